/* astra-client-roles.c: the role endpoints (astra-api.md §2.2–§2.6)
 *
 * Built-in and custom roles come as a bare array of role objects; create and update send
 * {"name", "policy": {description, resources, actions, effect}} with effect "allow".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-client"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-client-private.h"
#include "astra-json.h"
#include "astra-role.h"

/* Helpers {{{ */

static JsonNode *
build_role_body (const char         *name,
                 const char         *description,
                 const char * const *resources,
                 const char * const *actions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "name", name);
  json_builder_set_member_name (builder, "policy");
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "description",
                                        description != NULL ? description : "");
  astra_json_builder_add_strv_member (builder, "resources", resources);
  astra_json_builder_add_strv_member (builder, "actions", actions);
  astra_json_builder_add_string_member (builder, "effect", "allow");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* }}} */
/* Roles {{{ */

static void
on_list_roles_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A bare array (astra-api.md §2.2). */
  astra_client_return_model_list (task,
                                  JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL,
                                  ASTRA_TYPE_ROLE, (AstraModelParser) astra_role_new_from_json,
                                  _("a list of roles"));
}

void
astra_client_list_roles_async (AstraClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_list_roles_async);

  astra_client_send_async (self, "GET", "/organizations/roles", NULL, ASTRA_PERMISSION_ROLE_READ,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_list_roles_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_list_roles_finish:
 *
 * Returns: (transfer full): a #GListModel of #AstraRole, or %NULL
 */
GListModel *
astra_client_list_roles_finish (AstraClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return astra_client_finish_pointer (self, result, astra_client_list_roles_async, error);
}

/* Shared by get_role and create_role: the answer is one role object. */
static void
on_single_role_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    astra_client_return_model (task, root, (AstraModelParser) astra_role_new_from_json,
                               _("a role"));
}

void
astra_client_get_role_async (AstraClient         *self,
                             const char          *role_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (role_id != NULL && *role_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_get_role_async);

  path = astra_client_build_item_path ("/organizations/roles", role_id);
  astra_client_send_async (self, "GET", path, NULL, ASTRA_PERMISSION_ROLE_READ,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_single_role_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_get_role_finish:
 *
 * Returns: (transfer full): the role, or %NULL (ASTRA_CLIENT_ERROR_NOT_FOUND for an unknown id)
 */
AstraRole *
astra_client_get_role_finish (AstraClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return astra_client_finish_pointer (self, result, astra_client_get_role_async, error);
}

void
astra_client_create_role_async (AstraClient         *self,
                                const char          *name,
                                const char          *description,
                                const char * const  *resources,
                                const char * const  *actions,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_create_role_async);

  body = build_role_body (name, description, resources, actions);
  astra_client_send_async (self, "POST", "/organizations/roles", body, ASTRA_PERMISSION_ROLE_WRITE,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_single_role_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_create_role_finish:
 *
 * Returns: (transfer full): the role as created by the server, or %NULL
 */
AstraRole *
astra_client_create_role_finish (AstraClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return astra_client_finish_pointer (self, result, astra_client_create_role_async, error);
}

void
astra_client_update_role_async (AstraClient         *self,
                                const char          *role_id,
                                const char          *name,
                                const char          *description,
                                const char * const  *resources,
                                const char * const  *actions,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (role_id != NULL && *role_id != '\0');
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_update_role_async);

  body = build_role_body (name, description, resources, actions);
  path = astra_client_build_item_path ("/organizations/roles", role_id);
  astra_client_send_async (self, "PUT", path, body, ASTRA_PERMISSION_ROLE_WRITE,
                           ASTRA_REQUEST_NONE, cancellable, astra_client_on_no_content_cb,
                           g_steal_pointer (&task));
}

gboolean
astra_client_update_role_finish (AstraClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return astra_client_finish_boolean (self, result, astra_client_update_role_async, error);
}

void
astra_client_delete_role_async (AstraClient         *self,
                                const char          *role_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (role_id != NULL && *role_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_delete_role_async);

  path = astra_client_build_item_path ("/organizations/roles", role_id);
  astra_client_send_async (self, "DELETE", path, NULL, ASTRA_PERMISSION_ROLE_DELETE,
                           ASTRA_REQUEST_NONE, cancellable, astra_client_on_no_content_cb,
                           g_steal_pointer (&task));
}

gboolean
astra_client_delete_role_finish (AstraClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return astra_client_finish_boolean (self, result, astra_client_delete_role_async, error);
}

/* }}} */

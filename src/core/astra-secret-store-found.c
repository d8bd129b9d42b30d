/* astra-secret-store-found.c: tokens found in plain text, of organizations not connected
 *
 * A "found-token" item keeps a token that the scanner found in a file and that belongs to
 * no organization this app is connected to, so it can leave the file all the same. Its
 * attributes are the kind and the client id only (its organization is not known); its
 * secret is a JSON document with the client id, the token and, for a portal CSV row, the
 * client secret. A token of a connected organization is kept as a "generated-token" item
 * instead (astra_secret_store_save_generated_async), with its roles from the API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-secret-store"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-json.h"
#include "astra-secret-store-private.h"

#define KIND_FOUND "found-token"

/* Helpers {{{ */

static char *
serialize_found (const char *client_id,
                 const char *token,
                 const char *client_secret)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "clientId", client_id);
  astra_json_builder_add_string_member (builder, "token", token);
  if (client_secret != NULL)
    astra_json_builder_add_string_member (builder, "secret", client_secret);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static void
on_found_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_list_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) client_ids = g_ptr_array_new ();
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (const GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *client_id = g_hash_table_lookup (attributes, ATTR_CLIENT_ID);

      if (client_id != NULL && client_id[0] != '\0')
        g_ptr_array_add (client_ids, g_strdup (client_id));
    }
  g_list_free_full (items, g_object_unref);
  g_ptr_array_add (client_ids, NULL);

  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&client_ids), FALSE),
                         (GDestroyNotify) g_strfreev);
}

static void
list_found_step (GTask *task)
{
  AstraSecretOp *op = g_task_get_task_data (task);

  secret_password_searchv (astra_secret_get_schema (), op->identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), on_list_found_cb, task);
}

/* }}} */
/* Public API {{{ */

/**
 * astra_secret_store_save_found_async:
 * @client_id: the token's client id
 * @token: the `AstraCS:` token (a secret)
 * @client_secret: (nullable): the client secret, for a portal CSV row
 *
 * Keeps a token of an organization this app is not connected to as a "found-token" item,
 * replacing an earlier one of the same client id. Never emits "generated-changed": no
 * organization's page shows it.
 */
void
astra_secret_store_save_found_async (AstraSecretStore    *self,
                                     const char          *client_id,
                                     const char          *token,
                                     const char          *client_secret,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  GTask *task;
  AstraSecretOp *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (client_id != NULL && client_id[0] != '\0');
  g_return_if_fail (token != NULL || client_secret != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, astra_secret_store_save_found_async);

  task = astra_secret_op_task_new (self, ASTRA_SECRET_ACCESS_WRITE, astra_secret_op_replace_step,
                                   NULL, cancellable, on_found_written_cb,
                                   g_steal_pointer (&outer),
                                   astra_secret_store_save_found_async);
  op = g_task_get_task_data (task);
  op->identity = astra_secret_new_identity (KIND_FOUND, NULL, client_id);
  op->attributes = astra_secret_new_identity (KIND_FOUND, NULL, client_id);
  /* Translators: the item name shown in Seahorse; %s is the token's client id. */
  op->label = g_strdup_printf (_("Astra token %s — found in a file"), client_id);
  op->secret = serialize_found (client_id, token, client_secret);

  astra_secret_op_run (task);
}

gboolean
astra_secret_store_save_found_finish (AstraSecretStore  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_secret_store_save_found_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * astra_secret_store_list_found_async:
 *
 * The client ids of every "found-token" item, from the attributes only (no secret is
 * loaded). → (transfer full) GStrv, possibly empty.
 */
void
astra_secret_store_list_found_async (AstraSecretStore    *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));

  astra_secret_op_run (astra_secret_op_task_new (self, ASTRA_SECRET_ACCESS_READ, list_found_step,
                                                 astra_secret_new_identity (KIND_FOUND, NULL, NULL),
                                                 cancellable, callback, user_data,
                                                 astra_secret_store_list_found_async));
}

char **
astra_secret_store_list_found_finish (AstraSecretStore  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */

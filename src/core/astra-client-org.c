/* astra-client-org.c: the organization endpoints — current organization, environment
 * detection, databases and users
 *
 * Environment detection follows astra-cli's findEnvHint (astra-api.md §1): try each base
 * URL with GET /currentOrg and keep the first that does not answer 401.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-client"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-client-private.h"
#include "astra-database.h"
#include "astra-json.h"
#include "astra-organization.h"
#include "astra-token-format.h"
#include "astra-user.h"

/* GET /v2/databases pages (astra-api.md §2.8); the page cap stops a server that ignores
 * starting_after from keeping us busy forever. */
#define DATABASES_PAGE_SIZE     100
#define DATABASES_MAX_PAGES     1000

typedef struct
{
  GListStore *store;
  GHashTable *seen_ids;
  char       *last_id;
  guint       pages;
} DatabasesState;

typedef struct
{
  char         *token;
  char        **base_urls;
  guint         index;
  AstraClient  *client;
  GError       *last_error;
} DetectState;

static void list_databases_next_page (GTask *task);
static void detect_try_next (GTask *task);

/* Helpers {{{ */

static void
databases_state_free (DatabasesState *state)
{
  g_clear_object (&state->store);
  g_clear_pointer (&state->seen_ids, g_hash_table_unref);
  g_clear_pointer (&state->last_id, g_free);
  g_free (state);
}

static void
detect_state_free (DetectState *state)
{
  g_clear_pointer (&state->token, astra_secret_free);
  g_clear_pointer (&state->base_urls, g_strfreev);
  g_clear_object (&state->client);
  g_clear_error (&state->last_error);
  g_free (state);
}

/* An environment's name for one of its base URLs, else the URL's host (and port). */
static char *
describe_candidate (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;

  for (AstraEnvironment env = ASTRA_ENVIRONMENT_PRODUCTION; env <= ASTRA_ENVIRONMENT_TEST; env++)
    if (g_strcmp0 (base_url, astra_environment_get_base_url (env)) == 0)
      return g_strdup (astra_environment_get_display_name (env));

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (base_url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));

  return g_strdup (g_uri_get_host (uri));
}

/* "Production, Development and Test": every candidate, so that a failure of them all does
 * not read as if only the last one had been tried. */
static char *
describe_candidates (const char * const *base_urls,
                     guint               count)
{
  g_autofree char *list = describe_candidate (base_urls[0]);

  for (guint i = 1; i < count; i++)
    {
      g_autofree char *name = describe_candidate (base_urls[i]);
      char *joined;

      if (i + 1 < count)
        joined = g_strdup_printf ("%s, %s", list, name);
      else
        /* TRANSLATORS: joins the last two names of a list: "Production, Development and Test" */
        joined = g_strdup_printf (_("%s and %s"), list, name);
      g_free (list);
      list = joined;
    }

  return g_steal_pointer (&list);
}

/* }}} */
/* GET /currentOrg {{{ */

static void
on_current_org_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    astra_client_return_model (task, root, (AstraModelParser) astra_organization_new_from_json,
                               _("an organization"));
}

void
astra_client_get_current_org_async (AstraClient         *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_get_current_org_async);

  astra_client_send_async (self, "GET", "/currentOrg", NULL, ASTRA_PERMISSION_ORG_READ,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_current_org_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_get_current_org_finish:
 *
 * Returns: (transfer full): the organization of the client's token, or %NULL
 */
AstraOrganization *
astra_client_get_current_org_finish (AstraClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return astra_client_finish_pointer (self, result, astra_client_get_current_org_async, error);
}

/* }}} */
/* Environment detection {{{ */

static void
on_detect_current_org_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DetectState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  AstraOrganization *org;

  org = astra_client_get_current_org_finish (ASTRA_CLIENT (object), result, &error);
  if (org != NULL)
    {
      g_debug ("environment detection: candidate %u accepted the token", state->index);
      g_task_return_pointer (task, org, g_object_unref);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("environment detection: candidate %u failed (%s %d)", state->index,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED))
    {
      /* The token belongs elsewhere; a 401 is reported only if nothing better comes. */
      if (state->last_error == NULL ||
          g_error_matches (state->last_error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&state->last_error);
          state->last_error = g_steal_pointer (&error);
        }
    }
  else if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_NETWORK) ||
           g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TIMEOUT) ||
           g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TLS))
    {
      /* That environment cannot be reached; another may. */
      g_clear_error (&state->last_error);
      state->last_error = g_steal_pointer (&error);
    }
  else
    {
      /* Anything else is an answer other than 401: the token belongs to this
       * environment, and the failure is the result. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  state->index++;
  detect_try_next (g_steal_pointer (&task));
}

static void
detect_try_next (GTask *task)
{
  DetectState *state = g_task_get_task_data (task);

  g_clear_object (&state->client);

  while (state->base_urls[state->index] != NULL)
    {
      g_autoptr(GError) error = NULL;

      state->client = astra_client_new (state->base_urls[state->index], state->token, &error);
      if (state->client != NULL)
        break;

      g_clear_error (&state->last_error);
      state->last_error = g_steal_pointer (&error);
      state->index++;
    }

  if (state->client == NULL)
    {
      if (state->last_error != NULL && state->index > 1)
        {
          g_autofree char *tried = describe_candidates ((const char * const *) state->base_urls,
                                                        state->index);

          g_prefix_error (&state->last_error,
                          _("The token was tried with %s, and none of them accepted it. "),
                          tried);
        }

      if (state->last_error != NULL)
        g_task_return_error (task, g_steal_pointer (&state->last_error));
      else
        g_task_return_new_error (task, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL,
                                 _("No API URL was given to try the token with."));
      g_object_unref (task);
      return;
    }

  astra_client_get_current_org_async (state->client, g_task_get_cancellable (task),
                                      on_detect_current_org_cb, task);
}

void
astra_client_detect_environment_async (const char          *token,
                                       const char * const  *base_urls,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) format_error = NULL;
  DetectState *state;

  g_return_if_fail (base_urls != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_detect_environment_async);

  /* A malformed token fails the same way everywhere: say so once, send nothing. */
  if (!astra_token_format_validate (token, &format_error))
    {
      g_task_return_new_error (task, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_TOKEN,
                               _("The token cannot be used: %s"), format_error->message);
      return;
    }

  state = g_new0 (DetectState, 1);
  state->token = g_strdup (token);
  state->base_urls = g_strdupv ((char **) base_urls);
  g_task_set_task_data (task, state, (GDestroyNotify) detect_state_free);

  detect_try_next (g_steal_pointer (&task));
}

/**
 * astra_client_detect_environment_finish:
 * @index: (out) (optional): the position in the base URLs of the one that accepted the token
 *
 * Returns: (transfer full): the organization, or %NULL
 */
AstraOrganization *
astra_client_detect_environment_finish (GAsyncResult  *result,
                                        guint         *index,
                                        GError       **error)
{
  AstraOrganization *org;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_detect_environment_async, NULL);

  org = g_task_propagate_pointer (G_TASK (result), error);
  if (org != NULL && index != NULL)
    {
      DetectState *state = g_task_get_task_data (G_TASK (result));

      *index = state->index;
    }

  return org;
}

/* }}} */
/* Databases {{{ */

static void
on_databases_page_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DatabasesState *state = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) page = NULL;
  guint n_items;
  gboolean advanced = FALSE;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_task_return_error (task, astra_client_bad_shape_error (_("a list of databases")));
      return;
    }

  page = g_list_store_new (ASTRA_TYPE_DATABASE);
  if (!astra_client_append_models (page, json_node_get_array (root),
                      (AstraModelParser) astra_database_new_from_json, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (page));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(AstraDatabase) db = g_list_model_get_item (G_LIST_MODEL (page), i);
      const char *id = astra_database_get_id (db);

      /* A server that ignores starting_after sends the same page again. */
      if (!g_hash_table_add (state->seen_ids, g_strdup (id)))
        continue;
      g_list_store_append (state->store, db);
      g_free (state->last_id);
      state->last_id = g_strdup (id);
      advanced = TRUE;
    }

  state->pages++;
  if (n_items < DATABASES_PAGE_SIZE || !advanced || state->pages >= DATABASES_MAX_PAGES)
    {
      g_task_return_pointer (task, g_object_ref (state->store), g_object_unref);
      return;
    }

  list_databases_next_page (g_steal_pointer (&task));
}

static void
list_databases_next_page (GTask *task)
{
  DatabasesState *state = g_task_get_task_data (task);
  AstraClient *self = g_task_get_source_object (task);
  g_autofree char *path = NULL;

  if (state->last_id == NULL)
    {
      path = g_strdup_printf ("/databases?limit=%d", DATABASES_PAGE_SIZE);
    }
  else
    {
      g_autofree char *escaped = g_uri_escape_string (state->last_id, NULL, FALSE);

      path = g_strdup_printf ("/databases?limit=%d&starting_after=%s",
                              DATABASES_PAGE_SIZE, escaped);
    }

  astra_client_send_async (self, "GET", path, NULL, ASTRA_PERMISSION_DB_VIEW,
                           ASTRA_REQUEST_EXPECT_JSON, g_task_get_cancellable (task),
                           on_databases_page_cb, task);
}

void
astra_client_list_databases_async (AstraClient         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DatabasesState *state;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_list_databases_async);

  state = g_new0 (DatabasesState, 1);
  state->store = g_list_store_new (ASTRA_TYPE_DATABASE);
  state->seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, state, (GDestroyNotify) databases_state_free);

  list_databases_next_page (g_steal_pointer (&task));
}

/**
 * astra_client_list_databases_finish:
 *
 * Returns: (transfer full): a #GListModel of #AstraDatabase, all pages, or %NULL
 */
GListModel *
astra_client_list_databases_finish (AstraClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return astra_client_finish_pointer (self, result, astra_client_list_databases_async, error);
}

/* }}} */
/* Users {{{ */

static void
on_list_users_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *users = NULL;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* {"OrgID", "OrgName", "Users": [...]} (astra-api.md §2.8). */
  if (JSON_NODE_HOLDS_OBJECT (root))
    users = astra_json_object_get_array (json_node_get_object (root), "Users");
  astra_client_return_model_list (task, users, ASTRA_TYPE_USER,
                                  (AstraModelParser) astra_user_new_from_json,
                                  _("a list of users"));
}

void
astra_client_list_users_async (AstraClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_list_users_async);

  astra_client_send_async (self, "GET", "/organizations/users", NULL, ASTRA_PERMISSION_USER_READ,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_list_users_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_list_users_finish:
 *
 * Returns: (transfer full): a #GListModel of #AstraUser, or %NULL
 */
GListModel *
astra_client_list_users_finish (AstraClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return astra_client_finish_pointer (self, result, astra_client_list_users_async, error);
}

/* }}} */

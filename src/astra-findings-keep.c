/* astra-findings-keep.c: a finding kept in the keyring (astra-findings-keep.h)
 *
 * The steps, each waiting for the one before: read the secret again from the file; for a
 * connected organization, ask it afresh for its token list and roles (a token revoked a
 * minute ago is not stored as that organization's); save. Only the keyring's confirmation
 * completes the task, which is what lets the caller rewrite the file afterwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-findings"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-client.h"
#include "astra-findings-keep.h"
#include "astra-generated-token.h"
#include "astra-role.h"
#include "astra-secret-store.h"
#include "astra-token.h"

typedef struct
{
  AstraScanFinding *finding;
  AstraConnection  *connection;   /* NULL: no connected organization to ask */
  AstraClient      *client;
  GListModel       *listed;       /* AstraToken */
  char             *token;        /* secret */
  char             *client_secret;/* secret */
  char             *org_id;       /* of the item saved */
} Keep;

static void
keep_free (Keep *keep)
{
  g_clear_object (&keep->finding);
  g_clear_object (&keep->connection);
  g_clear_object (&keep->client);
  g_clear_object (&keep->listed);
  g_clear_pointer (&keep->token, astra_secret_free);
  g_clear_pointer (&keep->client_secret, astra_secret_free);
  g_clear_pointer (&keep->org_id, g_free);
  g_free (keep);
}

/* Helpers {{{ */

static AstraContext *
get_context (GTask *task)
{
  return g_task_get_source_object (task);
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Keep *keep = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean saved;

  /* save_found () drops the list: a list means the organization's generated-token item. */
  if (keep->connection != NULL && keep->listed != NULL)
    saved = astra_secret_store_save_generated_finish (ASTRA_SECRET_STORE (object), result, &error);
  else
    saved = astra_secret_store_save_found_finish (ASTRA_SECRET_STORE (object), result, &error);

  if (!saved)
    {
      g_task_return_error (task, error);
      return;
    }

  astra_scan_finding_set_state (keep->finding, ASTRA_SCAN_STATE_HELD);
  astra_scan_finding_set_org_id (keep->finding, keep->org_id);
  g_task_return_boolean (task, TRUE);
}

static void
save_found (GTask *task)
{
  Keep *keep = g_task_get_task_data (task);
  AstraSecretStore *store = astra_context_get_secret_store (get_context (task));

  g_clear_object (&keep->listed);
  astra_secret_store_save_found_async (store, astra_scan_finding_get_client_id (keep->finding),
                                       keep->token, keep->client_secret,
                                       g_task_get_cancellable (task), on_saved_cb, task);
}

static AstraToken *
find_listed (GListModel *listed,
             const char *client_id)
{
  guint n = g_list_model_get_n_items (listed);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (listed, i);

      if (g_strcmp0 (astra_token_get_client_id (token), client_id) == 0)
        return g_steal_pointer (&token);
    }
  return NULL;
}

/* The organization lists the token: its generated-token item, roles and all. */
static void
save_generated (GTask      *task,
                AstraToken *listed)
{
  Keep *keep = g_task_get_task_data (task);
  AstraSecretStore *store = astra_context_get_secret_store (get_context (task));
  const char *client_id = astra_scan_finding_get_client_id (keep->finding);
  g_autoptr(AstraGeneratedToken) generated = NULL;

  /* A token found alone has no client secret to go with it (the token only holds its
   * hash): the item keeps an empty one, and the token, which is what programs use. */
  generated = astra_generated_token_new (client_id,
                                         keep->client_secret != NULL ? keep->client_secret : "",
                                         keep->token);
  astra_generated_token_update_from_listed (generated, listed);
  astra_generated_token_set_org_id (generated, astra_connection_get_org_id (keep->connection));
  keep->org_id = g_strdup (astra_connection_get_org_id (keep->connection));
  astra_secret_store_save_generated_async (store, keep->connection, generated,
                                           g_task_get_cancellable (task), on_saved_cb, task);
}

static void
on_roles_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Keep *keep = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(AstraToken) listed = NULL;

  roles = astra_client_list_roles_finish (ASTRA_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Without the roles a role is named by its id, as the Tokens page does. */
  if (roles == NULL)
    g_debug ("Roles for a found token: %s", error->message);

  listed = find_listed (keep->listed, astra_scan_finding_get_client_id (keep->finding));
  if (listed == NULL)
    {
      /* Revoked since the scan, or another organization's after all. */
      save_found (g_steal_pointer (&task));
      return;
    }

  names = astra_role_names_by_id (roles);
  astra_token_resolve_roles (listed, names);
  save_generated (g_steal_pointer (&task), listed);
}

static void
on_tokens_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Keep *keep = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  keep->listed = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, &error);
  if (keep->listed == NULL)
    {
      /* Without the list the token cannot be called the organization's: nothing is saved,
       * so nothing is stored under the wrong kind either. */
      g_task_return_error (task, error);
      return;
    }

  /* The arguments' order of evaluation is unspecified: the cancellable first. */
  cancellable = g_task_get_cancellable (task);
  astra_client_list_roles_async (keep->client, cancellable, on_roles_listed_cb,
                                 g_steal_pointer (&task));
}

static void
on_client_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Keep *keep = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  keep->client = astra_context_get_client_finish (ASTRA_CONTEXT (object), result, &error);
  if (keep->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  astra_client_list_tokens_async (keep->client, cancellable, on_tokens_listed_cb,
                                  g_steal_pointer (&task));
}

static void
on_secret_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Keep *keep = g_task_get_task_data (task);
  AstraContext *context = get_context (task);
  const char *org_id = astra_scan_finding_get_org_id (keep->finding);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!astra_scan_finding_load_secret_finish (keep->finding, result, &keep->token,
                                              &keep->client_secret, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (org_id != NULL)
    keep->connection = astra_context_find_connection (context, org_id);
  if (keep->connection != NULL)
    g_object_ref (keep->connection);

  if (keep->connection == NULL || keep->token == NULL)
    {
      save_found (g_steal_pointer (&task));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  astra_context_get_client_async (context, keep->connection, cancellable, on_client_cb,
                                  g_steal_pointer (&task));
}

/* }}} */
/* Public API {{{ */

/**
 * astra_findings_keep_async:
 * @context: the app's connections and keyring
 * @finding: a finding, classified (its org id says which organization to ask)
 *
 * Reads @finding's secret again from its file and keeps it in the keyring.
 */
void
astra_findings_keep_async (AstraContext         *context,
                           AstraScanFinding     *finding,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Keep *keep;

  g_return_if_fail (ASTRA_IS_CONTEXT (context));
  g_return_if_fail (ASTRA_IS_SCAN_FINDING (finding));

  keep = g_new0 (Keep, 1);
  keep->finding = g_object_ref (finding);

  task = g_task_new (context, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_findings_keep_async);
  g_task_set_task_data (task, keep, (GDestroyNotify) keep_free);

  astra_scan_finding_load_secret_async (finding, cancellable, on_secret_loaded_cb,
                                        g_steal_pointer (&task));
}

gboolean
astra_findings_keep_finish (AstraContext  *context,
                            GAsyncResult  *result,
                            char         **value,
                            GError       **error)
{
  Keep *keep;

  g_return_val_if_fail (g_task_is_valid (result, context), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_findings_keep_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  keep = g_task_get_task_data (G_TASK (result));
  /* The value the finding's span covers: a portal CSV row's is its client secret. */
  if (value != NULL)
    *value = g_strdup (astra_scan_finding_get_kind (keep->finding) == ASTRA_SCAN_KIND_PORTAL_CSV_SECRET
                         ? keep->client_secret : keep->token);

  return TRUE;
}

/* }}} */

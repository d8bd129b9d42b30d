/* astra-context-token.c: the token the app connects with
 *
 * An organization's management token is an application token like any other, listed with
 * the rest. When it is rotated, the app must move to the new token before the old one is
 * revoked, or it locks itself out: the new token is checked against the API first (it must
 * reach the same organization), then stored where the old one was (the keyring, or the
 * session's memory for the environment's connection), and only then used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-context"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-context-private.h"
#include "astra-organization.h"
#include "astra-secret-store.h"

typedef struct
{
  AstraConnection *connection;
  AstraClient     *client;    /* with the new token */
  char            *token;     /* wiped on free */
} ReplaceData;

static void
replace_data_free (ReplaceData *data)
{
  g_clear_object (&data->connection);
  g_clear_object (&data->client);
  g_clear_pointer (&data->token, astra_secret_free);
  g_free (data);
}

/* The new token is in place: from now on every request goes out with it. */
static void
use_new_client (GTask *task)
{
  AstraContext *self = g_task_get_source_object (task);
  ReplaceData *data = g_task_get_task_data (task);

  g_hash_table_replace (self->clients,
                        g_strdup (astra_connection_get_org_id (data->connection)),
                        g_object_ref (data->client));
  g_task_return_boolean (task, TRUE);
}

static void
on_replacement_saved_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!astra_secret_store_save_connection_finish (ASTRA_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  use_new_client (task);
}

static void
on_replacement_checked_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AstraContext *self = g_task_get_source_object (task);
  ReplaceData *data = g_task_get_task_data (task);
  g_autoptr(AstraOrganization) org = NULL;
  const char *org_id = astra_connection_get_org_id (data->connection);
  GCancellable *cancellable;
  GError *error = NULL;

  org = astra_client_get_current_org_finish (ASTRA_CLIENT (object), result, &error);
  if (org == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_strcmp0 (astra_organization_get_id (org), org_id) != 0)
    {
      g_task_return_new_error (task, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_FORBIDDEN,
                               _("The new token belongs to another organization"));
      return;
    }

  if (g_hash_table_contains (self->session_tokens, org_id))
    {
      g_hash_table_replace (self->session_tokens, g_strdup (org_id), g_strdup (data->token));
      use_new_client (task);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  astra_secret_store_save_connection_async (self->store, data->connection, data->token,
                                            cancellable, on_replacement_saved_cb,
                                            g_steal_pointer (&task));
}

/**
 * astra_context_replace_token_async:
 * @connection: a connected organization
 * @token: the new management token (copied; the copy is wiped when done)
 *
 * Moves @connection to @token: checks with GET /v2/currentOrg that the token reaches the
 * same organization, stores it in place of the old one (the keyring, or memory for a
 * session-only connection), and from then on hands out clients that use it. Nothing
 * changes when any step fails: the old token stays in use.
 */
void
astra_context_replace_token_async (AstraContext        *self,
                                   AstraConnection     *connection,
                                   const char          *token,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReplaceData *data;
  GError *error = NULL;

  g_return_if_fail (ASTRA_IS_CONTEXT (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));
  g_return_if_fail (token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_context_replace_token_async);
  data = g_new0 (ReplaceData, 1);
  data->connection = g_object_ref (connection);
  data->token = g_strdup (token);
  g_task_set_task_data (task, data, (GDestroyNotify) replace_data_free);

  data->client = astra_client_new (astra_connection_get_api_url (connection), token, &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  astra_client_get_current_org_async (data->client, cancellable, on_replacement_checked_cb,
                                      g_steal_pointer (&task));
}

gboolean
astra_context_replace_token_finish (AstraContext  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * astra_context_get_connection_client_id:
 *
 * Returns: (nullable): the client id of the token the app connects to @org_id with, once
 *   the app has used it; %NULL before.
 */
const char *
astra_context_get_connection_client_id (AstraContext *self,
                                        const char   *org_id)
{
  AstraClient *client;

  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), NULL);

  client = org_id != NULL ? g_hash_table_lookup (self->clients, org_id) : NULL;
  return client != NULL ? astra_client_get_client_id (client) : NULL;
}

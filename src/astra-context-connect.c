/* astra-context-connect.c: connecting an organization, forgetting and renaming one
 *
 * Connecting asks the API for the token's organization (and, when not given, finds its
 * environment) before the keyring gets the token; forgetting removes the token from the
 * keyring before the organization leaves the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-context"

#include "config.h"

#include "astra-context-private.h"
#include "astra-organization.h"
#include "astra-token-format.h"

typedef struct
{
  char             *token;
  char             *url;
  int               environment;
  AstraClient      *client;
  AstraConnection  *connection;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_clear_pointer (&data->token, astra_secret_free);
  g_clear_pointer (&data->url, g_free);
  g_clear_object (&data->client);
  g_clear_object (&data->connection);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConnectData, connect_data_free)

/* ------------------------------------------------------------------------------------------ */
/* Connecting                                                                                 */

static void
on_save_connection_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AstraContext *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  GError *error = NULL;
  const char *org_id = astra_connection_get_org_id (data->connection);

  if (!astra_secret_store_save_connection_finish (ASTRA_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A replaced token means a new client; a session-only twin is superseded. */
  g_hash_table_replace (self->clients, g_strdup (org_id), g_object_ref (data->client));
  g_hash_table_remove (self->session_tokens, org_id);
  if (self->env_connection != NULL &&
      g_strcmp0 (astra_connection_get_org_id (self->env_connection), org_id) == 0)
    g_clear_object (&self->env_connection);

  astra_context_put_connection (self, data->connection, FALSE);
  g_task_return_pointer (task, g_object_ref (data->connection), g_object_unref);
}

static void
connect_store (GTask             *task,
               AstraOrganization *org,
               AstraEnvironment   environment)
{
  AstraContext *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  AstraConnection *existing = astra_context_find_connection (self, astra_organization_get_id (org));

  data->connection = astra_connection_new (astra_organization_get_id (org),
                                           astra_organization_get_name (org),
                                           environment,
                                           astra_client_get_base_url (data->client));
  if (existing != NULL)
    astra_connection_set_label (data->connection, astra_connection_get_label (existing));

  astra_secret_store_save_connection_async (self->store, data->connection, data->token,
                                            g_task_get_cancellable (task),
                                            on_save_connection_cb, g_object_ref (task));
}

static void
on_connect_current_org_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConnectData *data = g_task_get_task_data (task);
  g_autoptr(AstraOrganization) org = NULL;
  GError *error = NULL;

  org = astra_client_get_current_org_finish (ASTRA_CLIENT (object), result, &error);
  if (org == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  connect_store (task, org, (AstraEnvironment) data->environment);
}

static void
on_connect_detect_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConnectData *data = g_task_get_task_data (task);
  g_autoptr(AstraOrganization) org = NULL;
  GError *error = NULL;
  guint index = 0;

  org = astra_client_detect_environment_finish (result, &index, &error);
  if (org == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->environment = (int) MIN (index, (guint) ASTRA_ENVIRONMENT_TEST);
  data->client = astra_client_new (astra_environment_get_base_url (data->environment),
                                   data->token, &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  connect_store (task, org, (AstraEnvironment) data->environment);
}

/* ------------------------------------------------------------------------------------------ */
/* Forget and rename                                                                          */

static void
remove_connection (AstraContext    *self,
                   AstraConnection *connection)
{
  const char *org_id = astra_connection_get_org_id (connection);
  guint position;

  if (astra_context_find_position (self, org_id, &position))
    g_list_store_remove (self->connections, position);

  g_hash_table_remove (self->clients, org_id);
  g_hash_table_remove (self->session_tokens, org_id);

  if (connection == self->env_connection)
    g_clear_object (&self->env_connection);
  if (connection == self->demo_connection)
    {
      astra_secret_store_release_memory (self->store, org_id);
      g_clear_object (&self->demo_connection);
      if (self->demo_server != NULL)
        astra_sim_server_disconnect (self->demo_server);
      g_clear_object (&self->demo_server);
    }
}

static void
on_forget_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AstraContext *self = g_task_get_source_object (task);
  AstraConnection *connection = g_task_get_task_data (task);
  GError *error = NULL;

  if (!astra_secret_store_forget_connection_finish (ASTRA_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  remove_connection (self, connection);
  g_task_return_boolean (task, TRUE);
}

static void
on_rename_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AstraConnection *connection = g_task_get_task_data (task);
  const char *label = g_object_get_data (G_OBJECT (task), "label");
  GError *error = NULL;

  if (!astra_secret_store_rename_connection_finish (ASTRA_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  astra_connection_set_label (connection, label);
  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
astra_context_connect_async (AstraContext        *self,
                             const char          *token,
                             int                  environment,
                             const char          *custom_url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(ConnectData) data = g_new0 (ConnectData, 1);
  AstraClient *client;
  GError *error = NULL;

  g_return_if_fail (ASTRA_IS_CONTEXT (self));
  g_return_if_fail (environment >= -1 && environment <= ASTRA_ENVIRONMENT_CUSTOM);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_context_connect_async);

  /* Pasted tokens often carry a stray newline or space. */
  data->token = g_strstrip (g_strdup (token != NULL ? token : ""));
  data->environment = environment;

  if (!astra_token_format_validate (data->token, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (environment < 0)
    {
      const char *urls[] = {
        astra_environment_get_base_url (ASTRA_ENVIRONMENT_PRODUCTION),
        astra_environment_get_base_url (ASTRA_ENVIRONMENT_DEVELOPMENT),
        astra_environment_get_base_url (ASTRA_ENVIRONMENT_TEST),
        NULL
      };
      char *token_copy = g_strdup (data->token);

      g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) connect_data_free);
      astra_client_detect_environment_async (token_copy, urls, cancellable,
                                             on_connect_detect_cb, g_steal_pointer (&task));
      astra_secret_free (token_copy);
      return;
    }

  if (environment == ASTRA_ENVIRONMENT_CUSTOM)
    data->url = g_strstrip (g_strdup (custom_url != NULL ? custom_url : ""));
  else
    data->url = g_strdup (astra_environment_get_base_url (environment));

  data->client = astra_client_new (data->url, data->token, &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  client = data->client;
  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) connect_data_free);
  astra_client_get_current_org_async (client, cancellable, on_connect_current_org_cb,
                                      g_steal_pointer (&task));
}

AstraConnection *
astra_context_connect_finish (AstraContext  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
astra_context_forget_async (AstraContext        *self,
                            AstraConnection     *connection,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_CONTEXT (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_context_forget_async);
  g_task_set_task_data (task, g_object_ref (connection), g_object_unref);

  if (astra_context_is_session_only (self, connection))
    {
      remove_connection (self, connection);
      g_task_return_boolean (task, TRUE);
      return;
    }

  astra_secret_store_forget_connection_async (self->store, astra_connection_get_org_id (connection),
                                              cancellable, on_forget_cb, g_steal_pointer (&task));
}

gboolean
astra_context_forget_finish (AstraContext  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
astra_context_rename_async (AstraContext        *self,
                            AstraConnection     *connection,
                            const char          *label,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_CONTEXT (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_context_rename_async);
  g_task_set_task_data (task, g_object_ref (connection), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "label", g_strdup (label), g_free);

  if (astra_context_is_session_only (self, connection))
    {
      astra_connection_set_label (connection, label);
      g_task_return_boolean (task, TRUE);
      return;
    }

  astra_secret_store_rename_connection_async (self->store, connection, label, cancellable,
                                              on_rename_cb, g_steal_pointer (&task));
}

gboolean
astra_context_rename_finish (AstraContext  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

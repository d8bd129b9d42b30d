/* astra-context.c
 *
 * The app-wide service object: which organizations are connected, and how to talk to them.
 * Windows are thin: they ask the context for the connection list and for clients, and
 * call connect/forget/rename here so that the keyring stays the single source of truth.
 * This file has the object, its connection list, its clients and the demo; the files
 * with the rest are listed in astra-context-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-context"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-client-prefetch.h"
#include "astra-client-source.h"
#include "astra-context-private.h"
#include "astra-sim-server.h"

static void client_source_iface_init (AstraClientSourceInterface *iface);

/* An AstraClientSource, so that core code such as the portal CSV import gets its clients
 * (and the demo's simulator) from here. */
G_DEFINE_FINAL_TYPE_WITH_CODE (AstraContext, astra_context, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ASTRA_TYPE_CLIENT_SOURCE,
                                                      client_source_iface_init))

enum {
  PROP_0,
  PROP_LOADED,
  PROP_LOAD_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TOKENS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

gboolean
astra_context_find_position (AstraContext *self,
                             const char   *org_id,
                             guint        *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      if (g_strcmp0 (astra_connection_get_org_id (connection), org_id) == 0)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Adds @connection, or replaces the one with the same org id in place. */
void
astra_context_put_connection (AstraContext    *self,
                              AstraConnection *connection,
                              gboolean         first)
{
  guint position;

  if (astra_context_find_position (self, astra_connection_get_org_id (connection), &position))
    g_list_store_splice (self->connections, position, 1, (gpointer *) &connection, 1);
  else if (first)
    g_list_store_insert (self->connections, 0, connection);
  else if (self->demo_connection != NULL &&
           astra_context_find_position (self, astra_connection_get_org_id (self->demo_connection), &position))
    g_list_store_insert (self->connections, position, connection);
  else
    g_list_store_append (self->connections, connection);
}

/* For astra-context-load.c, which reads the connections. */
void
astra_context_set_loaded (AstraContext *self)
{
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

void
astra_context_take_load_error (AstraContext *self,
                               GError       *error)
{
  g_clear_error (&self->load_error);
  self->load_error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_ERROR]);
}

/* ------------------------------------------------------------------------------------------ */
/* Clients                                                                                    */

static void
on_lookup_token_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AstraContext *self = g_task_get_source_object (task);
  AstraConnection *connection = g_task_get_task_data (task);
  g_autoptr(AstraSecretString) token = NULL;
  g_autoptr(AstraClient) client = NULL;
  GError *error = NULL;

  token = astra_secret_store_lookup_token_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  client = astra_client_new (astra_connection_get_api_url (connection), token, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_hash_table_replace (self->clients, g_strdup (astra_connection_get_org_id (connection)),
                        g_object_ref (client));
  g_task_return_pointer (task, g_steal_pointer (&client), g_object_unref);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_context_dispose (GObject *object)
{
  AstraContext *self = ASTRA_CONTEXT (object);

  astra_context_drop_prefetches (self);
  g_clear_pointer (&self->env_prefetch, astra_client_prefetch_unref);
  g_clear_pointer (&self->keyring_prefetch, astra_client_prefetch_unref);
  if (self->demo_server != NULL)
    astra_sim_server_disconnect (self->demo_server);
  g_clear_object (&self->demo_server);
  g_clear_object (&self->demo_connection);
  g_clear_object (&self->env_connection);
  g_clear_object (&self->connections);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->session_tokens, g_hash_table_unref);

  G_OBJECT_CLASS (astra_context_parent_class)->dispose (object);
}

static void
astra_context_finalize (GObject *object)
{
  AstraContext *self = ASTRA_CONTEXT (object);

  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (astra_context_parent_class)->finalize (object);
}

static void
astra_context_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AstraContext *self = ASTRA_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    case PROP_LOAD_ERROR:
      g_value_set_boxed (value, self->load_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
client_source_get_client_async (AstraClientSource   *source,
                                AstraConnection     *connection,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  astra_context_get_client_async (ASTRA_CONTEXT (source), connection, cancellable, callback,
                                  user_data);
}

static AstraClient *
client_source_get_client_finish (AstraClientSource  *source,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  return astra_context_get_client_finish (ASTRA_CONTEXT (source), result, error);
}

static void
client_source_iface_init (AstraClientSourceInterface *iface)
{
  iface->get_client_async = client_source_get_client_async;
  iface->get_client_finish = client_source_get_client_finish;
}

static void
astra_context_class_init (AstraContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = astra_context_dispose;
  object_class->finalize = astra_context_finalize;
  object_class->get_property = astra_context_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOAD_ERROR] =
    g_param_spec_boxed ("load-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AstraContext::tokens-changed:
   * @org_id: the organization whose token list the app changed
   *
   * Emitted by astra_context_tokens_changed(): every view of the organization's tokens,
   * in every window, fetches the list again.
   */
  signals[TOKENS_CHANGED] =
    g_signal_new ("tokens-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
astra_context_init (AstraContext *self)
{
  self->connections = g_list_store_new (ASTRA_TYPE_CONNECTION);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->session_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) astra_secret_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

/**
 * astra_context_new:
 * @store: (nullable): the secret store, or NULL for a new one
 * @settings: (nullable): the settings, or NULL for the app's schema
 *
 * Returns: (transfer full): a new context with no connections yet; call
 *   astra_context_load_async() to read them.
 */
AstraContext *
astra_context_new (AstraSecretStore *store,
                   GSettings        *settings)
{
  AstraContext *self = g_object_new (ASTRA_TYPE_CONTEXT, NULL);

  self->store = store != NULL ? g_object_ref (store) : astra_secret_store_new ();
  self->settings = settings != NULL ? g_object_ref (settings) : g_settings_new (BASE_APP_ID);

  return self;
}

AstraSecretStore *
astra_context_get_secret_store (AstraContext *self)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), NULL);
  return self->store;
}

GSettings *
astra_context_get_settings (AstraContext *self)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), NULL);
  return self->settings;
}

GListModel *
astra_context_get_connections (AstraContext *self)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), NULL);
  return G_LIST_MODEL (self->connections);
}

AstraConnection *
astra_context_find_connection (AstraContext *self,
                               const char   *org_id)
{
  guint position;
  g_autoptr(AstraConnection) connection = NULL;

  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), NULL);

  if (org_id == NULL || !astra_context_find_position (self, org_id, &position))
    return NULL;

  /* The store keeps its reference, so (transfer none) is safe. */
  connection = g_list_model_get_item (G_LIST_MODEL (self->connections), position);
  return connection;
}

gboolean
astra_context_get_loaded (AstraContext *self)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), FALSE);
  return self->loaded;
}

const GError *
astra_context_get_load_error (AstraContext *self)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), NULL);
  return self->load_error;
}

gboolean
astra_context_is_session_only (AstraContext    *self,
                               AstraConnection *connection)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (ASTRA_IS_CONNECTION (connection), FALSE);

  return connection == self->demo_connection || connection == self->env_connection;
}

gboolean
astra_context_is_from_environment (AstraContext    *self,
                                   AstraConnection *connection)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), FALSE);

  return connection != NULL && connection == self->env_connection;
}

void
astra_context_get_client_async (AstraContext        *self,
                                AstraConnection     *connection,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *org_id;
  const char *token;
  AstraClient *client;

  g_return_if_fail (ASTRA_IS_CONTEXT (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_context_get_client_async);
  g_task_set_task_data (task, g_object_ref (connection), g_object_unref);

  org_id = astra_connection_get_org_id (connection);
  if ((client = g_hash_table_lookup (self->clients, org_id)) != NULL)
    {
      g_task_return_pointer (task, g_object_ref (client), g_object_unref);
      return;
    }

  if ((token = g_hash_table_lookup (self->session_tokens, org_id)) != NULL)
    {
      GError *error = NULL;
      AstraClient *new_client = astra_client_new (astra_connection_get_api_url (connection),
                                                  token, &error);

      if (new_client == NULL)
        {
          g_task_return_error (task, error);
          return;
        }

      g_hash_table_replace (self->clients, g_strdup (org_id), g_object_ref (new_client));
      g_task_return_pointer (task, new_client, g_object_unref);
      return;
    }

  if (self->keyring_prefetch != NULL &&
      astra_client_prefetch_is_for_org (self->keyring_prefetch, org_id))
    {
      g_autoptr(AstraClientPrefetch) prefetch = g_steal_pointer (&self->keyring_prefetch);
      g_autoptr(AstraSecretString) prefetched_token = astra_client_prefetch_dup_token (prefetch);
      g_autoptr(AstraClient) new_client = NULL;

      /* The token the prefetch thread read from the keyring moments ago, for the URL the
       * keyring has now: its token list and roles are on their way already. */
      new_client = astra_client_new (astra_connection_get_api_url (connection), prefetched_token, NULL);
      if (new_client != NULL &&
          astra_client_prefetch_matches (prefetch, astra_client_get_base_url (new_client),
                                         prefetched_token))
        {
          g_debug ("Client for %s: token from the keyring prefetch", org_id);
          g_hash_table_replace (self->clients, g_strdup (org_id), g_object_ref (new_client));
          astra_context_start_prefetch (self, PREFETCH_TOKENS, new_client, prefetch);
          astra_context_start_prefetch (self, PREFETCH_ROLES, new_client, prefetch);
          g_task_return_pointer (task, g_steal_pointer (&new_client), g_object_unref);
          return;
        }
    }

  /* The task keeps @cancellable; libsecret gets none, as it mishandles cancelled calls
   * (0.20.5 returns them twice). */
  astra_secret_store_lookup_token_async (self->store, org_id, NULL,
                                         on_lookup_token_cb, g_steal_pointer (&task));
}

AstraClient *
astra_context_get_client_finish (AstraContext  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

AstraConnection *
astra_context_start_demo (AstraContext  *self,
                          GError       **error)
{
  g_autoptr(AstraSimServer) server = NULL;
  g_autoptr(AstraConnection) connection = NULL;
  const char *org_id;

  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), NULL);

  if (self->demo_connection != NULL)
    return self->demo_connection;

  /* The demo lives only in memory, and so do its secrets: its management token, and the
   * tokens generated in it, which the secret store keeps for the demo's life instead of
   * the keyring (the demo's organization is gone after a restart; its secrets must not
   * stay behind). Copying, exporting and rotating them work as with a real organization. */
  server = astra_sim_server_new ();
  astra_sim_server_set_seed (server, 36, 4);
  astra_sim_server_set_org_name (server, _("Demo Organization"));
  if (!astra_sim_server_listen (server, 0, error))
    return NULL;

  org_id = astra_sim_server_get_org_id (server);
  connection = astra_connection_new (org_id,
                                     astra_sim_server_get_org_name (server),
                                     ASTRA_ENVIRONMENT_CUSTOM,
                                     astra_sim_server_get_base_url (server));
  astra_connection_set_is_demo (connection, TRUE);

  g_hash_table_replace (self->session_tokens, g_strdup (org_id),
                        g_strdup (astra_sim_server_get_admin_token (server)));
  astra_secret_store_keep_in_memory (self->store, org_id);
  self->demo_server = g_steal_pointer (&server);
  self->demo_connection = g_object_ref (connection);
  g_list_store_append (self->connections, connection);

  return self->demo_connection;
}

AstraConnection *
astra_context_get_demo (AstraContext *self)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (self), NULL);
  return self->demo_connection;
}

/**
 * astra_context_tokens_changed:
 * @org_id: the organization
 *
 * Says that the app generated, revoked or imported tokens of @org_id, so that every window
 * showing it follows at once ("tokens-changed").
 */
void
astra_context_tokens_changed (AstraContext *self,
                              const char   *org_id)
{
  g_return_if_fail (ASTRA_IS_CONTEXT (self));
  g_return_if_fail (org_id != NULL);

  g_signal_emit (self, signals[TOKENS_CHANGED], 0, org_id);
}

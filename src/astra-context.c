/* astra-context.c
 *
 * The app-wide service object: which organizations are connected, and how to talk to them.
 * Windows are thin: they ask the context for the connection list and for clients, and
 * call connect/forget/rename here so that the keyring stays the single source of truth.
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
#include "astra-organization.h"
#include "astra-sim-server.h"
#include "astra-token-format.h"

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
/* Helpers                                                                                    */

static gboolean
find_position (AstraContext    *self,
               const char      *org_id,
               guint           *position)
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
static void
put_connection (AstraContext    *self,
                AstraConnection *connection,
                gboolean         first)
{
  guint position;

  if (find_position (self, astra_connection_get_org_id (connection), &position))
    g_list_store_splice (self->connections, position, 1, (gpointer *) &connection, 1);
  else if (first)
    g_list_store_insert (self->connections, 0, connection);
  else if (self->demo_connection != NULL &&
           find_position (self, astra_connection_get_org_id (self->demo_connection), &position))
    g_list_store_insert (self->connections, position, connection);
  else
    g_list_store_append (self->connections, connection);
}

static AstraEnvironment
environment_for_url (const char *url)
{
  for (AstraEnvironment env = ASTRA_ENVIRONMENT_PRODUCTION; env < ASTRA_ENVIRONMENT_CUSTOM; env++)
    if (g_strcmp0 (astra_environment_get_base_url (env), url) == 0)
      return env;

  return ASTRA_ENVIRONMENT_CUSTOM;
}

/* ASTRA_API_URL may be given with or without the "/v2" suffix the client expects. */
static char *
normalize_api_url (const char *url)
{
  g_autofree char *copy = g_strstrip (g_strdup (url));
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';

  if (g_str_has_suffix (copy, "/v2"))
    return g_steal_pointer (&copy);

  return g_strconcat (copy, "/v2", NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Prefetching                                                                                */

/* The environment's connection is shown first, and its token list is the slowest answer
 * at startup: it is requested together with the organization on a thread of its own
 * (AstraClientPrefetch), ideally before GTK has started (astra_context_prefetch_environment()),
 * not after the window has been built and the page asked. A prefetched answer serves one
 * caller, and only soon after startup; later callers get a fresh request. */
#define PREFETCH_MAX_AGE_USEC (30 * G_USEC_PER_SEC)

typedef enum {
  PREFETCH_TOKENS,
  PREFETCH_ROLES,
} PrefetchKind;

typedef struct _Prefetch
{
  AstraContext *owner;        /* NULL once taken, or when the context went away */
  AstraClient  *client;       /* the caller that may take it */
  GCancellable *cancellable;
  PrefetchKind  kind;
  gint64        started;
  GListModel   *result;
  GError       *error;
  GTask        *waiter;       /* the caller that took it while still on its way */
  guint         done : 1;
} Prefetch;

static void
prefetch_free (Prefetch *prefetch)
{
  g_clear_object (&prefetch->client);
  g_clear_object (&prefetch->cancellable);
  g_clear_object (&prefetch->result);
  g_clear_error (&prefetch->error);
  g_clear_object (&prefetch->waiter);
  g_free (prefetch);
}

static void
prefetch_deliver (Prefetch *prefetch,
                  GTask    *task)
{
  if (prefetch->error != NULL)
    g_task_return_error (task, g_steal_pointer (&prefetch->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&prefetch->result), g_object_unref);
}

/* Forgets @prefetch: at once if answered, else when its cancelled request returns. */
static void
prefetch_drop (Prefetch *prefetch)
{
  prefetch->owner = NULL;
  if (prefetch->done)
    prefetch_free (prefetch);
  else
    g_cancellable_cancel (prefetch->cancellable);
}

static void
on_prefetched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Prefetch *prefetch = user_data;

  prefetch->result = astra_client_prefetch_take_finish (result, &prefetch->error);
  prefetch->done = TRUE;

  /* Still waiting in the context for its caller. */
  if (prefetch->owner != NULL)
    return;

  if (prefetch->waiter != NULL)
    prefetch_deliver (prefetch, prefetch->waiter);
  prefetch_free (prefetch);
}

static void
prefetch_start (AstraContext        *self,
                PrefetchKind         kind,
                AstraClient         *client,
                AstraClientPrefetch *source)
{
  Prefetch *prefetch = g_new0 (Prefetch, 1);

  if (self->prefetch[kind] != NULL)
    prefetch_drop (g_steal_pointer (&self->prefetch[kind]));

  prefetch->owner = self;
  prefetch->client = g_object_ref (client);
  prefetch->cancellable = g_cancellable_new ();
  prefetch->kind = kind;
  prefetch->started = g_get_monotonic_time ();
  self->prefetch[kind] = prefetch;

  astra_client_prefetch_take_async (source,
                                    kind == PREFETCH_TOKENS ? ASTRA_PREFETCH_TOKENS : ASTRA_PREFETCH_ROLES,
                                    prefetch->cancellable, on_prefetched_cb, prefetch);
}

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GListModel *list;
  GError *error = NULL;

  if (g_task_get_source_tag (task) == astra_context_list_tokens_async)
    list = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, &error);
  else
    list = astra_client_list_roles_finish (ASTRA_CLIENT (object), result, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, g_object_unref);
}

static void
list_async (AstraContext        *self,
            PrefetchKind         kind,
            AstraClient         *client,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  Prefetch *prefetch;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if ((prefetch = g_steal_pointer (&self->prefetch[kind])) != NULL)
    {
      if (prefetch->client == client &&
          g_get_monotonic_time () - prefetch->started < PREFETCH_MAX_AGE_USEC)
        {
          prefetch->owner = NULL;
          if (prefetch->done)
            {
              prefetch_deliver (prefetch, task);
              prefetch_free (prefetch);
            }
          else
            prefetch->waiter = g_steal_pointer (&task);
          return;
        }

      prefetch_drop (prefetch);
    }

  if (kind == PREFETCH_TOKENS)
    astra_client_list_tokens_async (client, cancellable, on_listed_cb, g_steal_pointer (&task));
  else
    astra_client_list_roles_async (client, cancellable, on_listed_cb, g_steal_pointer (&task));
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                    */

typedef struct
{
  guint        pending;
  AstraClient *env_client;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->env_client);
  g_free (data);
}

static void
load_step_done (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);
  AstraContext *self = g_task_get_source_object (task);

  if (--data->pending > 0)
    return;

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);

  if (self->load_error != NULL)
    g_task_return_error (task, g_error_copy (self->load_error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
add_env_connection (AstraContext      *self,
                    AstraOrganization *org,
                    const char        *url,
                    AstraClient       *client)
{
  const char *org_id = org != NULL ? astra_organization_get_id (org) : ENVIRONMENT_ORG_ID;
  const char *name = org != NULL ? astra_organization_get_name (org) : _("From Environment");
  const char *token = g_getenv ("ASTRA_DB_APPLICATION_TOKEN");

  g_clear_object (&self->env_connection);
  self->env_connection = astra_connection_new (org_id, name, environment_for_url (url), url);
  g_hash_table_replace (self->session_tokens, g_strdup (org_id), g_strdup (token));
  if (client != NULL)
    g_hash_table_replace (self->clients, g_strdup (org_id), g_object_ref (client));

  put_connection (self, self->env_connection, TRUE);
}

static void
on_env_current_org_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  AstraClient *client = data->env_client;
  AstraContext *self = g_task_get_source_object (task);
  g_autoptr(AstraOrganization) org = NULL;
  g_autoptr(GError) error = NULL;

  org = astra_client_prefetch_take_finish (result, &error);
  if (error != NULL)
    g_debug ("Environment token: %s", error->message);

  /* Without an organization the connection is still listed, so that its page shows why. */
  add_env_connection (self, org, astra_client_get_base_url (client), client);
  load_step_done (task);
}

static void
load_environment (AstraContext *self,
                  GTask        *task)
{
  const char *url = g_getenv ("ASTRA_API_URL");
  const char *token = g_getenv ("ASTRA_DB_APPLICATION_TOKEN");
  g_autofree char *base_url = NULL;
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(GError) error = NULL;
  LoadData *data = g_task_get_task_data (task);

  if (url == NULL || *url == '\0' || token == NULL || *token == '\0')
    return;

  base_url = normalize_api_url (url);
  client = astra_client_new (base_url, token, &error);
  if (client == NULL)
    {
      g_debug ("Environment connection: %s", error->message);
      add_env_connection (self, NULL, base_url, NULL);
      return;
    }

  /* Started before GTK by the application, or now. */
  if (self->env_prefetch == NULL || !astra_client_prefetch_matches (self->env_prefetch, base_url, token))
    {
      g_clear_pointer (&self->env_prefetch, astra_client_prefetch_unref);
      self->env_prefetch = astra_client_prefetch_start (base_url, token, &error);
    }
  if (self->env_prefetch == NULL)
    {
      g_debug ("Environment connection: %s", error->message);
      add_env_connection (self, NULL, base_url, client);
      return;
    }

  data->pending++;
  data->env_client = g_object_ref (client);
  astra_client_prefetch_take_async (self->env_prefetch, ASTRA_PREFETCH_CURRENT_ORG,
                                    g_task_get_cancellable (task),
                                    on_env_current_org_cb, g_object_ref (task));
  prefetch_start (self, PREFETCH_TOKENS, client, self->env_prefetch);
  prefetch_start (self, PREFETCH_ROLES, client, self->env_prefetch);
  /* Each answer is taken once: the context keeps the thread's answers no longer. */
  g_clear_pointer (&self->env_prefetch, astra_client_prefetch_unref);
}

static void
add_stored_connections (AstraContext *self,
                        GListModel   *stored)
{
  guint n = g_list_model_get_n_items (stored);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (stored, i);

      /* The environment's connection wins over a stored one for the same org. */
      if (!find_position (self, astra_connection_get_org_id (connection), NULL))
        put_connection (self, connection, FALSE);
    }
}

static void
on_list_connections_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AstraContext *self = g_task_get_source_object (task);
  g_autoptr(GListModel) stored = NULL;
  g_autoptr(GError) error = NULL;

  stored = astra_secret_store_list_connections_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (stored == NULL)
    {
      g_clear_error (&self->load_error);
      self->load_error = g_steal_pointer (&error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_ERROR]);
    }
  else
    add_stored_connections (self, stored);

  load_step_done (task);
}

/* The keyring's connections as the prefetch thread read them; when it could not (no
 * Secret Service, nothing listed: a keyring loaded locked hides its items), the usual
 * listing, which also asks for the unlock. */
static void
on_prefetched_connections_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AstraContext *self = g_task_get_source_object (task);
  g_autoptr(GListModel) stored = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  stored = astra_client_prefetch_take_finish (result, &error);
  if (stored == NULL || g_list_model_get_n_items (stored) == 0)
    {
      if (error != NULL)
        g_debug ("Keyring prefetch: %s", error->message);
      g_clear_pointer (&self->keyring_prefetch, astra_client_prefetch_unref);
      astra_secret_store_list_connections_async (self->store, cancellable,
                                                 on_list_connections_cb, g_steal_pointer (&task));
      return;
    }

  add_stored_connections (self, stored);
  load_step_done (task);
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

  put_connection (self, data->connection, FALSE);
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

  if (find_position (self, org_id, &position))
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
/* GObject                                                                                    */

static void
astra_context_dispose (GObject *object)
{
  AstraContext *self = ASTRA_CONTEXT (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->prefetch); i++)
    if (self->prefetch[i] != NULL)
      prefetch_drop (g_steal_pointer (&self->prefetch[i]));
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

/**
 * astra_context_prefetch_environment:
 *
 * Starts asking the API named by ASTRA_API_URL, with ASTRA_DB_APPLICATION_TOKEN, for the
 * current organization, its tokens and its roles, on a thread of their own: the application
 * calls it before GTK starts, and hands the result to its context with
 * astra_context_set_environment_prefetch() before astra_context_load_async().
 *
 * Without an organization in the environment, the organization shown first is one
 * connected earlier: the thread then reads the keyring's connections and that one's token
 * first (astra_client_prefetch_start_from_keyring()), and the context takes both from it
 * instead of asking the keyring on the main thread, which answered ~100 ms late under
 * GTK's start-up load (build-aux/bench, stored_org_populate_10000_over_gtk).
 *
 * Returns: (transfer full) (nullable): the answers to come, or %NULL when there is nothing
 *   to prefetch (libsecret's file backend: the keyring is read as usual)
 */
AstraClientPrefetch *
astra_context_prefetch_environment (void)
{
  const char *url = g_getenv ("ASTRA_API_URL");
  const char *token = g_getenv ("ASTRA_DB_APPLICATION_TOKEN");
  g_autofree char *base_url = NULL;

  if (url == NULL || *url == '\0' || token == NULL || *token == '\0')
    {
      g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
      g_autofree char *last = g_settings_get_string (settings, "last-organization");

      /* No environment: the organization shown first is one connected earlier. */
      return astra_client_prefetch_start_from_keyring (last, NULL);
    }

  base_url = normalize_api_url (url);
  return astra_client_prefetch_start (base_url, token, NULL);
}

void
astra_context_set_environment_prefetch (AstraContext        *self,
                                        AstraClientPrefetch *prefetch)
{
  g_return_if_fail (ASTRA_IS_CONTEXT (self));

  if (prefetch != NULL && astra_client_prefetch_is_from_keyring (prefetch))
    {
      g_clear_pointer (&self->keyring_prefetch, astra_client_prefetch_unref);
      self->keyring_prefetch = astra_client_prefetch_ref (prefetch);
      return;
    }

  if (prefetch != NULL)
    astra_client_prefetch_ref (prefetch);
  g_clear_pointer (&self->env_prefetch, astra_client_prefetch_unref);
  self->env_prefetch = prefetch;
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

  if (org_id == NULL || !find_position (self, org_id, &position))
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
astra_context_load_async (AstraContext        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (ASTRA_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_context_load_async);
  data = g_new0 (LoadData, 1);
  data->pending = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  load_environment (self, task);
  if (self->keyring_prefetch != NULL)
    astra_client_prefetch_take_async (self->keyring_prefetch, ASTRA_PREFETCH_CONNECTIONS,
                                      cancellable, on_prefetched_connections_cb,
                                      g_steal_pointer (&task));
  else
    astra_secret_store_list_connections_async (self->store, cancellable,
                                               on_list_connections_cb, g_steal_pointer (&task));
}

gboolean
astra_context_load_finish (AstraContext  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
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
          prefetch_start (self, PREFETCH_TOKENS, new_client, prefetch);
          prefetch_start (self, PREFETCH_ROLES, new_client, prefetch);
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

void
astra_context_list_tokens_async (AstraContext        *self,
                                 AstraClient         *client,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (ASTRA_IS_CONTEXT (self));
  g_return_if_fail (ASTRA_IS_CLIENT (client));

  list_async (self, PREFETCH_TOKENS, client, cancellable, callback, user_data,
              astra_context_list_tokens_async);
}

GListModel *
astra_context_list_tokens_finish (AstraContext  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
astra_context_list_roles_async (AstraContext        *self,
                                AstraClient         *client,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (ASTRA_IS_CONTEXT (self));
  g_return_if_fail (ASTRA_IS_CLIENT (client));

  list_async (self, PREFETCH_ROLES, client, cancellable, callback, user_data,
              astra_context_list_roles_async);
}

GListModel *
astra_context_list_roles_finish (AstraContext  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

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

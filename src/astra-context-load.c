/* astra-context-load.c: the organizations the app starts with
 *
 * The one given in the environment (ASTRA_API_URL, ASTRA_DB_APPLICATION_TOKEN), listed
 * first, and those saved in the keyring. Both may have been read on the prefetch thread
 * while GTK started (astra_context_prefetch_environment()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-context"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-client-prefetch.h"
#include "astra-context-private.h"
#include "astra-organization.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

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

  astra_context_set_loaded (self);

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

  astra_context_put_connection (self, self->env_connection, TRUE);
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
  astra_context_start_prefetch (self, PREFETCH_TOKENS, client, self->env_prefetch);
  astra_context_start_prefetch (self, PREFETCH_ROLES, client, self->env_prefetch);
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
      if (!astra_context_find_position (self, astra_connection_get_org_id (connection), NULL))
        astra_context_put_connection (self, connection, FALSE);
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
      astra_context_take_load_error (self, g_steal_pointer (&error));
    }
  else
    add_stored_connections (self, stored);

  load_step_done (task);
}

/* The keyring's connections as the prefetch thread read them (none, when it saw every
 * collection unlocked and nothing stored); when it could not (no Secret Service, nothing
 * listed with a collection locked: a keyring loaded locked hides its items), the usual
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
  if (stored == NULL)
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
/* Public API                                                                                 */

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

/* astra-scan-classify.c: held, live, revoked or of an unknown organization
 *
 * The knowledge comes from two places only: the keyring's attributes (which client ids it
 * holds, in which organization; the management tokens, whose client id is read from the
 * token itself) and the connected organizations' token lists, fetched with their own
 * management tokens. A found token is never sent anywhere. Whatever does not answer (no
 * keyring, no network, an organization that fails) leaves the answer "unknown": offline,
 * a scan still says which tokens are held.
 *
 * The command line makes its clients from the keyring's management tokens; the app passes
 * its AstraContext as the AstraClientSource, with the connection from its environment,
 * which the keyring does not know (astra_scan_classify_full_async()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-client-source.h"
#include "astra-client.h"
#include "astra-connection.h"
#include "astra-scan-classify.h"
#include "astra-secret-store.h"
#include "astra-token.h"

/* A pre-commit hook must not hang on a network that does not answer: one attempt, a short
 * timeout; an organization that does not answer only leaves its tokens "unknown". */
#define LISTING_TIMEOUT_SECONDS 10
#define LISTING_ATTEMPTS        1

struct _AstraScanKnowledge
{
  GHashTable *held;       /* client id → org id */
  GHashTable *listings;   /* org id → GHashTable set of client ids */
  gboolean    complete;
};

typedef struct
{
  GListModel         *findings;
  AstraSecretStore   *store;
  AstraClientSource  *clients;      /* NULL: made from the keyring's tokens */
  AstraScanKnowledge *knowledge;
  GPtrArray          *connections;  /* AstraConnection: still to ask */
  GHashTable         *session_orgs; /* org ids whose token is not the keyring's */
  gboolean            online;
  gboolean            complete;
  GError             *keyring_error;
  AstraConnection    *connection;   /* the one being asked */
  AstraClient        *client;
} ClassifyData;

static void ask_next_connection (GTask *task);

/* Helpers {{{ */

static void
classify_data_free (ClassifyData *data)
{
  g_clear_object (&data->findings);
  g_clear_object (&data->store);
  g_clear_object (&data->clients);
  g_clear_pointer (&data->knowledge, astra_scan_knowledge_free);
  g_clear_pointer (&data->connections, g_ptr_array_unref);
  g_clear_pointer (&data->session_orgs, g_hash_table_unref);
  g_clear_error (&data->keyring_error);
  g_clear_object (&data->connection);
  g_clear_object (&data->client);
  g_free (data);
}

static const char *
listing_org_of (AstraScanKnowledge *self,
                const char         *client_id)
{
  GHashTableIter iter;
  gpointer org_id, listing;

  g_hash_table_iter_init (&iter, self->listings);
  while (g_hash_table_iter_next (&iter, &org_id, &listing))
    if (g_hash_table_contains (listing, client_id))
      return org_id;
  return NULL;
}

static AstraScanState
state_of (AstraScanKnowledge  *self,
          const char          *client_id,
          const char         **org_id)
{
  const char *held_org = g_hash_table_lookup (self->held, client_id);
  const char *listed_org = listing_org_of (self, client_id);

  /* A found-token item is held under no organization (""): the listing may name it. */
  *org_id = held_org != NULL && held_org[0] != '\0' ? held_org : listed_org;
  if (held_org != NULL)
    {
      GHashTable *listing = g_hash_table_lookup (self->listings, held_org);

      if (listing != NULL && !g_hash_table_contains (listing, client_id))
        return ASTRA_SCAN_STATE_REVOKED;
      return ASTRA_SCAN_STATE_HELD;
    }
  if (listed_org != NULL)
    return ASTRA_SCAN_STATE_LIVE;
  return self->complete ? ASTRA_SCAN_STATE_UNKNOWN_ORG : ASTRA_SCAN_STATE_UNKNOWN;
}

static void
finish_classify (GTask *task)
{
  ClassifyData *data = g_task_get_task_data (task);

  astra_scan_knowledge_set_complete (data->knowledge, data->complete);
  astra_scan_classify (data->findings, data->knowledge);
  g_task_return_boolean (task, TRUE);
}

static gboolean
return_if_cancelled (GTask  *task,
                     GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  g_task_return_error (task, g_error_copy (error));
  return TRUE;
}

/* The keyring did not answer in full: its first reason is what the caller is told. */
static void
note_keyring_error (ClassifyData *data,
                    const GError *error)
{
  data->complete = FALSE;
  if (data->keyring_error == NULL &&
      error->domain == ASTRA_SECRET_STORE_ERROR &&
      error->code != ASTRA_SECRET_STORE_ERROR_NOT_FOUND)
    data->keyring_error = g_error_copy (error);
}

static gboolean
is_session_connection (ClassifyData    *data,
                       AstraConnection *connection)
{
  return g_hash_table_contains (data->session_orgs, astra_connection_get_org_id (connection));
}

/* }}} */
/* Callbacks {{{ */

static void
on_list_tokens_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ClassifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GPtrArray) client_ids = g_ptr_array_new ();

  tokens = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, &error);
  if (tokens == NULL)
    {
      if (return_if_cancelled (task, error))
        return;
      g_debug ("organization %s did not list its tokens: %s",
               astra_connection_get_org_id (data->connection), error->message);
      data->complete = FALSE;
    }
  else
    {
      for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
        {
          g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

          g_ptr_array_add (client_ids, (gpointer) astra_token_get_client_id (token));
        }
      g_ptr_array_add (client_ids, NULL);
      astra_scan_knowledge_add_listing (data->knowledge,
                                        astra_connection_get_org_id (data->connection),
                                        (const char * const *) client_ids->pdata);
    }

  ask_next_connection (g_steal_pointer (&task));
}

/* With @data->client for @data->connection: its management token is held when it is the
 * keyring's; then its token list, when online. */
static void
use_client (GTask *task)
{
  ClassifyData *data = g_task_get_task_data (task);

  if (!is_session_connection (data, data->connection))
    astra_scan_knowledge_add_held (data->knowledge, astra_connection_get_org_id (data->connection),
                                   astra_client_get_client_id (data->client));

  if (!data->online)
    {
      data->complete = FALSE;
      ask_next_connection (task);
      return;
    }

  astra_client_list_tokens_async (data->client, g_task_get_cancellable (task), on_list_tokens_cb,
                                  task);
}

static void
on_get_client_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ClassifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_object (&data->client);
  data->client = astra_client_source_get_client_finish (ASTRA_CLIENT_SOURCE (object), result,
                                                        &error);
  if (data->client == NULL)
    {
      if (return_if_cancelled (task, error))
        return;
      g_debug ("no client for organization %s: %s",
               astra_connection_get_org_id (data->connection), error->message);
      note_keyring_error (data, error);
      ask_next_connection (g_steal_pointer (&task));
      return;
    }

  use_client (g_steal_pointer (&task));
}

static void
on_lookup_token_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ClassifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) token = NULL;

  token = astra_secret_store_lookup_token_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (token == NULL)
    {
      if (return_if_cancelled (task, error))
        return;
      note_keyring_error (data, error);
      ask_next_connection (g_steal_pointer (&task));
      return;
    }

  g_clear_object (&data->client);
  data->client = astra_client_new (astra_connection_get_api_url (data->connection), token, &error);
  if (data->client == NULL)
    {
      data->complete = FALSE;
      ask_next_connection (g_steal_pointer (&task));
      return;
    }
  /* Our own client: a pre-commit hook must not wait long on it. */
  astra_client_set_timeout (data->client, LISTING_TIMEOUT_SECONDS);
  astra_client_set_retry_policy (data->client, LISTING_ATTEMPTS, 0, 0);
  use_client (g_steal_pointer (&task));
}

static void
on_list_connections_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ClassifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) connections = NULL;

  connections = astra_secret_store_list_connections_finish (ASTRA_SECRET_STORE (object),
                                                            result, &error);
  if (connections == NULL)
    {
      if (return_if_cancelled (task, error))
        return;
      note_keyring_error (data, error);
    }

  for (guint i = 0; connections != NULL && i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);

      if (!is_session_connection (data, connection))
        g_ptr_array_add (data->connections, g_steal_pointer (&connection));
    }
  ask_next_connection (g_steal_pointer (&task));
}

static void
on_list_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ClassifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) found = NULL;
  GCancellable *cancellable;

  found = astra_secret_store_list_found_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (found == NULL)
    {
      if (return_if_cancelled (task, error))
        return;
      g_debug ("could not list the found tokens: %s", error->message);
      note_keyring_error (data, error);
    }
  for (guint i = 0; found != NULL && found[i] != NULL; i++)
    if (!g_hash_table_contains (data->knowledge->held, found[i]))
      astra_scan_knowledge_add_held (data->knowledge, "", found[i]);

  cancellable = g_task_get_cancellable (task);
  astra_secret_store_list_connections_async (data->store, cancellable, on_list_connections_cb,
                                             g_steal_pointer (&task));
}

static void
on_list_held_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ClassifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) held = NULL;
  GCancellable *cancellable;
  GHashTableIter iter;
  gpointer client_id, org_id;

  held = astra_secret_store_list_held_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (held == NULL)
    {
      if (return_if_cancelled (task, error))
        return;
      /* No keyring (or one that stays locked): only the session's organizations answer. */
      g_debug ("no keyring to classify found tokens with: %s", error->message);
      note_keyring_error (data, error);
      ask_next_connection (g_steal_pointer (&task));
      return;
    }

  g_hash_table_iter_init (&iter, held);
  while (g_hash_table_iter_next (&iter, &client_id, &org_id))
    astra_scan_knowledge_add_held (data->knowledge, org_id, client_id);

  /* Tokens kept from plain text for an organization we are not connected to are held
   * too, under no organization. */
  cancellable = g_task_get_cancellable (task);
  astra_secret_store_list_found_async (data->store, cancellable, on_list_found_cb,
                                       g_steal_pointer (&task));
}

static void
ask_next_connection (GTask *task)
{
  ClassifyData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_clear_object (&data->connection);
  while (data->connections->len > 0)
    {
      data->connection = g_ptr_array_steal_index (data->connections, 0);
      /* The demo's tokens are made up on this computer: no file holds one by accident. */
      if (!astra_connection_get_is_demo (data->connection))
        break;
      g_clear_object (&data->connection);
    }

  if (data->connection == NULL)
    {
      finish_classify (task);
      g_object_unref (task);
      return;
    }

  if (data->clients != NULL)
    astra_client_source_get_client_async (data->clients, data->connection, cancellable,
                                          on_get_client_cb, task);
  else
    astra_secret_store_lookup_token_async (data->store,
                                           astra_connection_get_org_id (data->connection),
                                           cancellable, on_lookup_token_cb, task);
}

/* }}} */
/* Public API {{{ */

AstraScanKnowledge *
astra_scan_knowledge_new (void)
{
  AstraScanKnowledge *self = g_new0 (AstraScanKnowledge, 1);

  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->listings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_hash_table_unref);
  return self;
}

void
astra_scan_knowledge_free (AstraScanKnowledge *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->held);
  g_hash_table_unref (self->listings);
  g_free (self);
}

void
astra_scan_knowledge_add_held (AstraScanKnowledge *self,
                               const char         *org_id,
                               const char         *client_id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (org_id != NULL && client_id != NULL);

  g_hash_table_replace (self->held, g_strdup (client_id), g_strdup (org_id));
}

void
astra_scan_knowledge_add_listing (AstraScanKnowledge *self,
                                  const char         *org_id,
                                  const char * const *client_ids)
{
  GHashTable *listing;

  g_return_if_fail (self != NULL);
  g_return_if_fail (org_id != NULL);

  listing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; client_ids != NULL && client_ids[i] != NULL; i++)
    g_hash_table_add (listing, g_strdup (client_ids[i]));
  g_hash_table_replace (self->listings, g_strdup (org_id), listing);
}

void
astra_scan_knowledge_set_complete (AstraScanKnowledge *self,
                                   gboolean            complete)
{
  g_return_if_fail (self != NULL);
  self->complete = complete;
}

void
astra_scan_classify (GListModel         *findings,
                     AstraScanKnowledge *knowledge)
{
  g_return_if_fail (G_IS_LIST_MODEL (findings));
  g_return_if_fail (knowledge != NULL);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i);
      const char *org_id = NULL;
      AstraScanState state;

      state = state_of (knowledge, astra_scan_finding_get_client_id (finding), &org_id);
      astra_scan_finding_set_org_id (finding, org_id);
      astra_scan_finding_set_state (finding, state);
    }
}

void
astra_scan_classify_async (GListModel          *findings,
                           AstraSecretStore    *store,
                           gboolean             online,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  astra_scan_classify_full_async (findings, store, NULL, NULL, online, cancellable, callback,
                                  user_data);
}

/**
 * astra_scan_classify_full_async:
 * @findings: GListModel of AstraScanFinding; their "state" and "org-id" are set
 * @store: (nullable): the keyring
 * @clients: (nullable): where the organizations' clients come from
 * @session_connections: (nullable): connections the keyring does not hold
 *
 * See astra-scan-classify.h.
 */
void
astra_scan_classify_full_async (GListModel          *findings,
                                AstraSecretStore    *store,
                                AstraClientSource   *clients,
                                GListModel          *session_connections,
                                gboolean             online,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ClassifyData *data;
  guint n_session;

  g_return_if_fail (G_IS_LIST_MODEL (findings));
  g_return_if_fail (store == NULL || ASTRA_IS_SECRET_STORE (store));
  g_return_if_fail (clients == NULL || ASTRA_IS_CLIENT_SOURCE (clients));
  g_return_if_fail (session_connections == NULL || G_IS_LIST_MODEL (session_connections));
  g_return_if_fail (session_connections == NULL || clients != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_scan_classify_full_async);
  g_task_set_name (task, "astra_scan_classify_full_async");

  data = g_new0 (ClassifyData, 1);
  data->findings = g_object_ref (findings);
  data->store = store != NULL ? g_object_ref (store) : NULL;
  data->clients = clients != NULL ? g_object_ref (clients) : NULL;
  data->knowledge = astra_scan_knowledge_new ();
  data->connections = g_ptr_array_new_with_free_func (g_object_unref);
  data->session_orgs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->online = online;
  data->complete = TRUE;
  g_task_set_task_data (task, data, (GDestroyNotify) classify_data_free);

  /* The session's connections first, as the app lists them; the keyring's follow. */
  n_session = session_connections != NULL ? g_list_model_get_n_items (session_connections) : 0;
  for (guint i = 0; i < n_session; i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (session_connections, i);

      g_hash_table_add (data->session_orgs, g_strdup (astra_connection_get_org_id (connection)));
      g_ptr_array_add (data->connections, g_steal_pointer (&connection));
    }

  if (store == NULL)
    {
      data->complete = FALSE;
      ask_next_connection (g_steal_pointer (&task));
      return;
    }

  astra_secret_store_list_held_async (store, cancellable, on_list_held_cb, g_steal_pointer (&task));
}

gboolean
astra_scan_classify_finish (GAsyncResult  *result,
                            GError       **error)
{
  return astra_scan_classify_full_finish (result, NULL, error);
}

gboolean
astra_scan_classify_full_finish (GAsyncResult  *result,
                                 GError       **keyring_error,
                                 GError       **error)
{
  ClassifyData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_scan_classify_full_async,
                        FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (keyring_error != NULL && data->keyring_error != NULL)
    *keyring_error = g_error_copy (data->keyring_error);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */

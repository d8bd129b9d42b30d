/* astra-client-prefetch-keyring.c: the first answers of an organization connected earlier
 *
 * How the app starts every day after the first: no organization in the environment, one
 * (or more) in the keyring. On the main thread, reading the keyring at startup answered
 * ~100 ms late under GTK's start-up load, and only then could the token list be asked for
 * and parsed. astra_client_prefetch_start_from_keyring() does it all on a thread of its
 * own, while GTK starts: it opens a private SecretService connection (not libsecret's
 * shared one, which belongs to the main thread's context), lists the connections as
 * AstraSecretStore does, picks the organization the window will show first (the one shown
 * last, else the first by name), reads that one's token without unlocking anything, and
 * then asks the API for its tokens and roles like the environment's prefetch.
 *
 * The answers: ASTRA_PREFETCH_CONNECTIONS (the keyring's list), then the tokens and the
 * roles (ASTRA_PREFETCH_CURRENT_ORG is never asked). An empty list is an answer too when
 * every collection is unlocked. Whatever the thread cannot do — no Secret Service,
 * nothing listed with a collection locked (a keyring loaded locked hides its items), a
 * locked item — is an error in its slot, and AstraContext then takes the usual path on
 * the main thread, which can prompt for the unlock. The token stays in this process's memory and
 * is wiped with the prefetch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-secret-store"

#include "config.h"

#include <string.h>

#include "astra-client-prefetch-private.h"
#include "astra-connection.h"
#include "astra-secret-store-private.h"

typedef struct
{
  AstraClientPrefetch *prefetch;
  char                *preferred_org_id;
} KeyringWork;

static AstraConnection *
pick_connection (GListModel *connections,
                 const char *preferred_org_id)
{
  guint n = g_list_model_get_n_items (connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);

      if (g_strcmp0 (astra_connection_get_org_id (connection), preferred_org_id) == 0)
        return g_steal_pointer (&connection);
    }

  return g_list_model_get_item (connections, 0);
}

/* Whether every collection of the keyring is unlocked, so that a search that found nothing
 * means that nothing is stored: a keyring loaded locked hides its items from a search
 * (gnome-keyring after a restart), and then the main thread's listing asks for the unlock.
 * Knowing it here saves that second listing (several D-Bus round trips on the main thread)
 * on the way to the first frame of every first start; loading the collections costs the
 * thread ~3 ms. */
static gboolean
all_collections_unlocked (SecretService *service)
{
  g_autoptr(GError) error = NULL;
  GList *collections;
  gboolean unlocked = TRUE;

  if (!secret_service_load_collections_sync (service, NULL, &error))
    {
      g_debug ("Keyring prefetch: %s", error->message);
      return FALSE;
    }

  collections = secret_service_get_collections (service);
  for (GList *l = collections; l != NULL; l = l->next)
    if (secret_collection_get_locked (l->data))
      unlocked = FALSE;
  g_list_free_full (collections, g_object_unref);

  return unlocked;
}

/* Reads the keyring; returns the connection whose token it could read (now the
 * prefetch's org_id, base_url and token), or NULL with @error set. Delivers the
 * connection list when it could read one. */
static AstraConnection *
read_keyring (AstraClientPrefetch  *self,
              const char           *preferred_org_id,
              GError              **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) identity = astra_secret_new_identity (KIND_MANAGEMENT, NULL, NULL);
  g_autoptr(GListStore) connections = NULL;
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(SecretValue) value = NULL;
  SecretRetrievable *item;
  GList *items;

  service = secret_service_open_sync (SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_OPEN_SESSION,
                                      NULL, error);
  if (service == NULL)
    return NULL;

  /* No UNLOCK: nothing prompts from here; a locked keyring is the main thread's. */
  items = secret_service_search_sync (service, astra_secret_get_schema (), identity,
                                      SECRET_SEARCH_ALL, NULL, error);
  if (items == NULL && error != NULL && *error != NULL)
    return NULL;

  connections = astra_secret_connections_from_items (items);
  if (g_list_model_get_n_items (G_LIST_MODEL (connections)) == 0 &&
      !all_collections_unlocked (service))
    {
      g_list_free_full (items, g_object_unref);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Nothing listed");
      return NULL;
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (connections)) > 0)
    {
      connection = pick_connection (G_LIST_MODEL (connections), preferred_org_id);
      item = astra_secret_find_newest_item (items, astra_connection_get_org_id (connection));
      if (item != NULL && !secret_item_get_locked (SECRET_ITEM (item)) &&
          secret_item_load_secret_sync (SECRET_ITEM (item), NULL, NULL))
        value = secret_item_get_secret (SECRET_ITEM (item));
    }
  g_list_free_full (items, g_object_unref);

  /* Known before the list is delivered: the main thread asks for the client as soon as
   * it has the list. */
  if (value != NULL && secret_value_get_text (value) != NULL)
    {
      g_mutex_lock (&self->mutex);
      self->org_id = g_strdup (astra_connection_get_org_id (connection));
      self->base_url = g_strdup (astra_connection_get_api_url (connection));
      self->token = g_strdup (secret_value_get_text (value));
      g_mutex_unlock (&self->mutex);
    }

  self->pending++;
  astra_client_prefetch_deliver (self, ASTRA_PREFETCH_CONNECTIONS,
                                 g_object_ref (connections), NULL);

  if (self->token == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No token read");
      return NULL;
    }

  return g_steal_pointer (&connection);
}

static gpointer
run_keyring_worker (gpointer data)
{
  KeyringWork *work = data;
  AstraClientPrefetch *self = work->prefetch;   /* the thread's reference */
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);

  connection = read_keyring (self, work->preferred_org_id, &error);
  if (!self->slots[ASTRA_PREFETCH_CONNECTIONS].done)
    {
      self->pending++;
      astra_client_prefetch_deliver (self, ASTRA_PREFETCH_CONNECTIONS, NULL, g_error_copy (error));
    }

  if (connection != NULL)
    {
      /* The organization itself is known: its connection was stored with it. */
      self->pending++;
      astra_client_prefetch_deliver (self, ASTRA_PREFETCH_CURRENT_ORG, NULL,
                                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                          "Not asked"));
      client = astra_client_new (self->base_url, self->token, &error);
    }

  if (client != NULL)
    astra_client_prefetch_request (self, client);
  else
    {
      g_debug ("Keyring prefetch: %s", error != NULL ? error->message : "no client");
      astra_client_prefetch_fail (self, error);
    }

  g_free (work->preferred_org_id);
  g_free (work);
  astra_client_prefetch_finish_worker (self, &client);

  return NULL;
}

gboolean
astra_client_prefetch_is_from_keyring (AstraClientPrefetch *self)
{
  return self->from_keyring;
}

/**
 * astra_client_prefetch_start_from_keyring:
 * @preferred_org_id: (nullable): the organization shown last, shown first if still connected
 * @error: why the thread could not be started
 *
 * Starts reading the keyring's connections, and the first answers of the organization to
 * show first, on a new thread. Under libsecret's file backend (SECRET_BACKEND=file, and
 * inside Flatpak) there is no Secret Service to talk to: returns %NULL without @error,
 * and the app reads the keyring as usual.
 *
 * Returns: (transfer full) (nullable): the answers to come
 */
AstraClientPrefetch *
astra_client_prefetch_start_from_keyring (const char  *preferred_org_id,
                                          GError     **error)
{
  AstraClientPrefetch *self;
  KeyringWork *work;
  const GType types[] = {
    SECRET_TYPE_SERVICE, SECRET_TYPE_ITEM, SECRET_TYPE_COLLECTION, SECRET_TYPE_VALUE,
    G_TYPE_DBUS_PROXY, G_TYPE_DBUS_CONNECTION, G_TYPE_DBUS_MESSAGE,
  };

  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0 ||
      g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return NULL;

  /* See astra_client_prefetch_prepare_types(): the thread's libsecret classes too. */
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (G_TYPE_IS_CLASSED (types[i]))
      g_type_class_unref (g_type_class_ref (types[i]));
    else
      g_type_ensure (types[i]);

  self = astra_client_prefetch_new (NULL, NULL);
  self->from_keyring = TRUE;
  work = g_new0 (KeyringWork, 1);
  work->prefetch = self;
  work->preferred_org_id = g_strdup (preferred_org_id);

  if (astra_client_prefetch_run_thread (self, run_keyring_worker, work, error) == NULL)
    {
      g_free (work->preferred_org_id);
      g_free (work);
      return NULL;
    }

  return self;
}

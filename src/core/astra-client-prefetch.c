/* astra-client-prefetch.c: an organization's first answers, fetched on a thread of their own
 *
 * When the app starts with an organization to show, the current organization, its tokens
 * and its roles are needed before anything useful can be painted. Asked on the main thread,
 * they wait for GTK's start-up and the first window to be built (the main loop only reads
 * their answers once it is free again), and a 10,000-token answer is then parsed there too.
 *
 * astra_client_prefetch_start() asks all three at once from a thread with its own
 * GMainContext and its own AstraClient (a SoupSession belongs to the context it was made
 * in); the application starts it before GTK's own start-up (astra-application.c says why
 * not earlier). GTK starts meanwhile on the main thread;
 * each answer is kept, parsed, until the main thread takes it with
 * astra_client_prefetch_take_async(), which returns at once if it has arrived. Each answer
 * can be taken once; the thread ends when all three have arrived.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <libsoup/soup.h>

#include "astra-client.h"
#include "astra-client-prefetch-private.h"
#include "astra-client-private.h"
#include "astra-organization.h"
#include "astra-role.h"
#include "astra-token.h"

static void
astra_client_prefetch_clear (AstraClientPrefetch *self)
{
  for (guint i = 0; i < ASTRA_PREFETCH_N_KINDS; i++)
    {
      g_clear_object (&self->slots[i].result);
      g_clear_error (&self->slots[i].error);
      g_assert (self->slots[i].waiter == NULL);
    }

  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_clear_pointer (&self->token, g_free);
    }
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->org_id, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
}

AstraClientPrefetch *
astra_client_prefetch_ref (AstraClientPrefetch *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
astra_client_prefetch_unref (AstraClientPrefetch *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) astra_client_prefetch_clear);
}

static void
return_slot (GTask *task,
             Slot  *slot)
{
  if (slot->error != NULL)
    g_task_return_error (task, g_steal_pointer (&slot->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&slot->result), g_object_unref);
}

/* On the worker thread: keeps the answer, or hands it to the caller already waiting (whose
 * callback then runs in the caller's own context). */
void
astra_client_prefetch_deliver (AstraClientPrefetch *self,
                               AstraPrefetchKind    kind,
                               gpointer             result,
                               GError              *error)
{
  Slot *slot = &self->slots[kind];
  g_autoptr(GTask) waiter = NULL;

  g_mutex_lock (&self->mutex);
  slot->result = result;
  slot->error = error;
  slot->done = TRUE;
  waiter = g_steal_pointer (&slot->waiter);
  g_mutex_unlock (&self->mutex);

  if (waiter != NULL)
    return_slot (waiter, slot);

  self->pending--;
  g_main_context_wakeup (self->context);
}

static void
on_current_org_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GError *error = NULL;
  AstraOrganization *org = astra_client_get_current_org_finish (ASTRA_CLIENT (object), result, &error);

  astra_client_prefetch_deliver (user_data, ASTRA_PREFETCH_CURRENT_ORG, org, error);
}

static void
on_tokens_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError *error = NULL;
  GListModel *tokens = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, &error);

  astra_client_prefetch_deliver (user_data, ASTRA_PREFETCH_TOKENS, tokens, error);
}

static void
on_roles_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError *error = NULL;
  GListModel *roles = astra_client_list_roles_finish (ASTRA_CLIENT (object), result, &error);

  astra_client_prefetch_deliver (user_data, ASTRA_PREFETCH_ROLES, roles, error);
}

/* On the worker thread: asks @client for every answer not delivered yet, and returns once
 * all have arrived. */
void
astra_client_prefetch_request (AstraClientPrefetch *self,
                               AstraClient         *client)
{
  g_mutex_lock (&self->mutex);
  self->pending = 0;
  for (guint i = 0; i < ASTRA_PREFETCH_N_KINDS; i++)
    if (!self->slots[i].done)
      self->pending++;
  g_mutex_unlock (&self->mutex);

  if (!self->slots[ASTRA_PREFETCH_CURRENT_ORG].done)
    astra_client_get_current_org_async (client, NULL, on_current_org_cb, self);
  if (!self->slots[ASTRA_PREFETCH_TOKENS].done)
    astra_client_list_tokens_async (client, NULL, on_tokens_cb, self);
  if (!self->slots[ASTRA_PREFETCH_ROLES].done)
    astra_client_list_roles_async (client, NULL, on_roles_cb, self);

  while (self->pending > 0)
    g_main_context_iteration (self->context, TRUE);
}

/* On the worker thread: every answer not delivered yet is @error. */
void
astra_client_prefetch_fail (AstraClientPrefetch *self,
                            const GError        *error)
{
  for (guint i = 0; i < ASTRA_PREFETCH_N_KINDS; i++)
    if (!self->slots[i].done)
      {
        self->pending++;
        astra_client_prefetch_deliver (self, i, NULL, g_error_copy (error));
      }
}

/* On the worker thread, last: what the session still has to close runs before the
 * context goes. */
void
astra_client_prefetch_finish_worker (AstraClientPrefetch *self,
                                     AstraClient        **client)
{
  g_clear_object (client);
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);
  astra_client_prefetch_unref (self);
}

static gpointer
run_worker (gpointer data)
{
  AstraClientPrefetch *self = data;   /* the thread's reference */
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);

  /* The environment names the organization: nothing to read from the keyring. */
  self->pending++;
  astra_client_prefetch_deliver (self, ASTRA_PREFETCH_CONNECTIONS, NULL,
                                 g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                      "Not read from the keyring"));

  client = astra_client_new (self->base_url, self->token, &error);
  if (client == NULL)
    astra_client_prefetch_fail (self, error);
  else
    astra_client_prefetch_request (self, client);

  astra_client_prefetch_finish_worker (self, &client);

  return NULL;
}

/* GLib 2.74 can deadlock when two threads initialize classes at once and one class_init
 * registers a type whose registration the other thread is in (seen here: SoupSession's
 * class_init asking for GInetSocketAddress while the main thread, connecting to D-Bus,
 * registered GSocketAddress). The classes the thread instantiates first, and GIO's
 * modules (the proxy resolver loads them), are set up on the calling thread before it
 * starts; the main thread needs all of them for its own client anyway. @base_url: the
 * thread's server, NULL when it is read on the thread (from the keyring). */
void
astra_client_prefetch_prepare_types (const char *base_url)
{
  const GType types[] = {
    SOUP_TYPE_SESSION, SOUP_TYPE_MESSAGE, G_TYPE_SOCKET_CLIENT, G_TYPE_SOCKET,
    G_TYPE_SOCKET_CONNECTION, G_TYPE_TCP_CONNECTION, G_TYPE_INET_SOCKET_ADDRESS,
    G_TYPE_INET_ADDRESS, G_TYPE_NETWORK_ADDRESS, G_TYPE_PROXY_ADDRESS, G_TYPE_TASK,
    G_TYPE_CANCELLABLE, G_TYPE_LIST_STORE, G_TYPE_MEMORY_INPUT_STREAM,
    ASTRA_TYPE_CLIENT, ASTRA_TYPE_ORGANIZATION, ASTRA_TYPE_ROLE, ASTRA_TYPE_TOKEN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_type_class_unref (g_type_class_ref (types[i]));

  g_object_unref (g_resolver_get_default ());
  /* A client of a server on this computer asks no proxy resolver (astra_client_new()). */
  if (base_url == NULL || !astra_client_url_is_loopback (base_url))
    g_proxy_resolver_get_default ();
}

/**
 * astra_client_prefetch_start:
 * @base_url: the DevOps API base URL including "/v2"
 * @token: the organization's management token
 * @error: why the thread could not be started
 *
 * Starts asking for the current organization, the tokens and the roles on a new thread.
 * A token or URL that the client refuses is not an error here: each answer then carries
 * the client's error.
 *
 * Returns: (transfer full) (nullable): the answers to come
 */
AstraClientPrefetch *
astra_client_prefetch_start (const char  *base_url,
                             const char  *token,
                             GError     **error)
{
  AstraClientPrefetch *self;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  self = astra_client_prefetch_new (base_url, token);

  return astra_client_prefetch_run_thread (self, run_worker, self, error);
}

AstraClientPrefetch *
astra_client_prefetch_new (const char *base_url,
                           const char *token)
{
  AstraClientPrefetch *self = g_atomic_rc_box_new0 (AstraClientPrefetch);

  g_mutex_init (&self->mutex);
  self->base_url = g_strdup (base_url);
  self->token = g_strdup (token);
  self->context = g_main_context_new ();

  return self;
}

/* Starts @worker with @data on a thread that holds a reference of its own to @self (its
 * worker drops it with astra_client_prefetch_finish_worker()); returns @self, or NULL (and
 * drops @self) when the thread could not be started. */
AstraClientPrefetch *
astra_client_prefetch_run_thread (AstraClientPrefetch *self,
                                  GThreadFunc          worker,
                                  gpointer             data,
                                  GError             **error)
{
  GThread *thread;

  astra_client_prefetch_prepare_types (self->base_url);

  astra_client_prefetch_ref (self);
  thread = g_thread_try_new ("astra-prefetch", worker, data, error);
  if (thread == NULL)
    {
      astra_client_prefetch_unref (self);   /* the thread's */
      astra_client_prefetch_unref (self);
      return NULL;
    }
  g_thread_unref (thread);

  return self;
}

/* The keyring's organization is known once its ASTRA_PREFETCH_CONNECTIONS answer has
 * arrived: until then these are NULL. */
const char *
astra_client_prefetch_get_base_url (AstraClientPrefetch *self)
{
  return self->base_url;
}

/* Whether these answers are the ones a client for @base_url and @token would get. */
gboolean
astra_client_prefetch_matches (AstraClientPrefetch *self,
                               const char          *base_url,
                               const char          *token)
{
  gboolean matches;

  g_mutex_lock (&self->mutex);
  matches = g_strcmp0 (self->base_url, base_url) == 0 && g_strcmp0 (self->token, token) == 0;
  g_mutex_unlock (&self->mutex);

  return matches;
}

/* Whether the answers are for @org_id, read from the keyring. */
gboolean
astra_client_prefetch_is_for_org (AstraClientPrefetch *self,
                                  const char          *org_id)
{
  gboolean is_for;

  g_mutex_lock (&self->mutex);
  is_for = self->org_id != NULL && self->token != NULL && g_strcmp0 (self->org_id, org_id) == 0;
  g_mutex_unlock (&self->mutex);

  return is_for;
}

/**
 * astra_client_prefetch_dup_token:
 *
 * Returns: (transfer full) (nullable): the token the answers were asked with, read from the
 *   keyring or given; free with astra_secret_free()
 */
char *
astra_client_prefetch_dup_token (AstraClientPrefetch *self)
{
  char *token;

  g_mutex_lock (&self->mutex);
  token = g_strdup (self->token);
  g_mutex_unlock (&self->mutex);

  return token;
}

/**
 * astra_client_prefetch_take_async:
 * @self: the prefetch
 * @kind: which answer
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default context of the caller
 * @user_data: for @callback
 *
 * Takes the answer of @kind, at once if it has arrived. An answer can be taken once: a
 * second caller gets %G_IO_ERROR_NOT_FOUND and should ask the API itself.
 */
void
astra_client_prefetch_take_async (AstraClientPrefetch *self,
                                  AstraPrefetchKind    kind,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Slot *slot;

  g_return_if_fail (self != NULL);
  g_return_if_fail (kind < ASTRA_PREFETCH_N_KINDS);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_prefetch_take_async);
  g_task_set_task_data (task, astra_client_prefetch_ref (self),
                        (GDestroyNotify) astra_client_prefetch_unref);
  slot = &self->slots[kind];

  g_mutex_lock (&self->mutex);
  if (slot->taken)
    {
      g_mutex_unlock (&self->mutex);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "This answer was taken already");
      return;
    }

  slot->taken = TRUE;
  if (!slot->done)
    {
      slot->waiter = g_steal_pointer (&task);
      g_mutex_unlock (&self->mutex);
      return;
    }
  g_mutex_unlock (&self->mutex);

  return_slot (task, slot);
}

/**
 * astra_client_prefetch_take_finish:
 *
 * Returns: (transfer full): the answer (see #AstraPrefetchKind), or %NULL with @error set
 */
gpointer
astra_client_prefetch_take_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_prefetch_take_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

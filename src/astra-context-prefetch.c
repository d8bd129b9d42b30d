/* astra-context-prefetch.c: an organization's first token list and roles, taken from the
 * prefetch thread (AstraClientPrefetch) instead of asked again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-context"

#include "config.h"

#include "astra-client-prefetch.h"
#include "astra-context-private.h"

/* The environment's connection is shown first, and its token list is the slowest answer
 * at startup: it is requested together with the organization on a thread of its own
 * (AstraClientPrefetch), ideally before GTK has started (astra_context_prefetch_environment()),
 * not after the window has been built and the page asked. A prefetched answer serves one
 * caller, and only soon after startup; later callers get a fresh request. */
#define PREFETCH_MAX_AGE_USEC (30 * G_USEC_PER_SEC)

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

void
astra_context_start_prefetch (AstraContext        *self,
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


/* Lets go of the answers nobody took (the context is going away). */
void
astra_context_drop_prefetches (AstraContext *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->prefetch); i++)
    if (self->prefetch[i] != NULL)
      prefetch_drop (g_steal_pointer (&self->prefetch[i]));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

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

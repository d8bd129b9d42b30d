/* astra-client-prefetch-private.h: what the prefetch's workers share
 *
 * astra-client-prefetch.c          the answers, the environment's worker
 * astra-client-prefetch-keyring.c  the keyring's worker: the organization shown first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-client.h"
#include "astra-client-prefetch.h"

G_BEGIN_DECLS

typedef struct
{
  gpointer  result;
  GError   *error;
  GTask    *waiter;     /* the caller that asked before the answer came */
  guint     done : 1;
  guint     taken : 1;
} Slot;

struct _AstraClientPrefetch
{
  char         *base_url;    /* under the mutex: the keyring's worker sets them */
  char         *token;
  char         *org_id;
  gboolean      from_keyring;
  GMutex        mutex;
  Slot          slots[ASTRA_PREFETCH_N_KINDS];

  /* The worker thread's own. */
  GMainContext *context;
  guint         pending;
};

AstraClientPrefetch *astra_client_prefetch_new           (const char          *base_url,
                                                         const char          *token);
AstraClientPrefetch *astra_client_prefetch_run_thread    (AstraClientPrefetch *self,
                                                         GThreadFunc          worker,
                                                         gpointer             data,
                                                         GError             **error);
void                 astra_client_prefetch_prepare_types (const char *base_url);

/* On the worker thread. */
void astra_client_prefetch_deliver        (AstraClientPrefetch  *self,
                                           AstraPrefetchKind     kind,
                                           gpointer              result,
                                           GError               *error);
void astra_client_prefetch_request        (AstraClientPrefetch  *self,
                                           AstraClient          *client);
void astra_client_prefetch_fail           (AstraClientPrefetch  *self,
                                           const GError         *error);
void astra_client_prefetch_finish_worker  (AstraClientPrefetch  *self,
                                           AstraClient         **client);

G_END_DECLS

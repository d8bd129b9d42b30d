/* astra-context-private.h: what the astra-context*.c files share
 *
 * astra-context.c              the object, its connection list and clients, the demo
 * astra-context-load.c         the organizations the app starts with
 * astra-context-prefetch.c     the first token list and roles, from the prefetch thread
 * astra-context-connect.c      connecting, forgetting and renaming an organization
 * astra-context-connect-any.c  connecting the organization of any token the keyring holds
 * astra-context-token.c        replacing the token the app connects with (after a rotation)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-context.h"
#include "astra-sim-server.h"

G_BEGIN_DECLS

/* The id of the environment connection until (or unless) its organization is known. */
#define ENVIRONMENT_ORG_ID "environment"

struct _AstraContext
{
  GObject           parent_instance;

  AstraSecretStore *store;
  GSettings        *settings;
  GListStore       *connections;
  GHashTable       *clients;          /* org id → AstraClient */
  GHashTable       *session_tokens;   /* org id → token, for session-only connections */
  AstraConnection  *env_connection;
  AstraConnection  *demo_connection;
  AstraSimServer   *demo_server;
  GError           *load_error;
  struct _Prefetch *prefetch[2];      /* PrefetchKind → the environment's first lists */
  AstraClientPrefetch *env_prefetch;  /* the environment's first answers, until loaded */
  AstraClientPrefetch *keyring_prefetch;  /* the keyring's connections and the first one's
                                           * answers, until its client is made */
  guint             loaded : 1;
};

/* The prefetched lists, in AstraContext's prefetch[]. */
typedef enum {
  PREFETCH_TOKENS,
  PREFETCH_ROLES,
} PrefetchKind;

/* astra-context.c */
gboolean astra_context_find_position   (AstraContext    *self,
                                        const char      *org_id,
                                        guint           *position);
/* Adds @connection (first in the list when @first), or replaces the one with the same org
 * id in place. */
void     astra_context_put_connection  (AstraContext    *self,
                                        AstraConnection *connection,
                                        gboolean         first);
void     astra_context_set_loaded      (AstraContext    *self);
void     astra_context_take_load_error (AstraContext    *self,
                                        GError          *error);

/* astra-context-prefetch.c: @kind's answer from @source, for @client's first request. */
void     astra_context_start_prefetch  (AstraContext        *self,
                                        PrefetchKind         kind,
                                        AstraClient         *client,
                                        AstraClientPrefetch *source);
void     astra_context_drop_prefetches (AstraContext        *self);

G_END_DECLS

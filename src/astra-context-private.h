/* astra-context-private.h: what the astra-context*.c files share
 *
 * astra-context.c        connections, clients, loading, connect, forget, rename, the demo
 * astra-context-token.c  replacing the token the app connects with (after a rotation)
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

G_END_DECLS

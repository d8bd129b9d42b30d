/* astra-context.h: the app-wide services the windows share
 *
 * Owned by AstraApplication (astra_application_get_context). Holds the secret store, the
 * settings, the list of connected organizations (loaded from the keyring), one AstraClient
 * per organization (created on first use, its token looked up in the keyring), the demo
 * organization and the connection given by the environment. Widget-free (GIO only).
 *
 * Session-only connections (the demo, and ASTRA_API_URL + ASTRA_DB_APPLICATION_TOKEN from
 * the environment) keep their token in memory for the session and never reach the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-client.h"
#include "astra-client-prefetch.h"
#include "astra-connection.h"
#include "astra-secret-store.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_CONTEXT (astra_context_get_type ())

G_DECLARE_FINAL_TYPE (AstraContext, astra_context, ASTRA, CONTEXT, GObject)

/* @settings: NULL to use the app's schema. Properties: "loaded" (boolean: the keyring was
 * read, successfully or not), "load-error" (GError boxed, NULL when fine). */
AstraContext     *astra_context_new                  (AstraSecretStore  *store,
                                                      GSettings         *settings);
AstraClientPrefetch *astra_context_prefetch_environment (void);
void              astra_context_set_environment_prefetch (AstraContext        *self,
                                                          AstraClientPrefetch *prefetch);
AstraSecretStore *astra_context_get_secret_store     (AstraContext      *self);
GSettings        *astra_context_get_settings         (AstraContext      *self);
/* A GListModel of AstraConnection: the environment's first, then the keyring's sorted by
 * display name, then the demo. (transfer none) */
GListModel       *astra_context_get_connections      (AstraContext      *self);
AstraConnection  *astra_context_find_connection      (AstraContext      *self,
                                                      const char        *org_id);
gboolean          astra_context_get_loaded           (AstraContext      *self);
const GError     *astra_context_get_load_error       (AstraContext      *self);
/* TRUE for the demo and the environment connection (never stored in the keyring). */
gboolean          astra_context_is_session_only      (AstraContext      *self,
                                                      AstraConnection   *connection);
gboolean          astra_context_is_from_environment  (AstraContext      *self,
                                                      AstraConnection   *connection);

/* Reads the environment connection and the keyring's connections. Fails only for the
 * keyring part; the environment connection is added either way. */
void              astra_context_load_async           (AstraContext        *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          astra_context_load_finish          (AstraContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* The client for @connection, created on first use. (transfer full) */
void              astra_context_get_client_async     (AstraContext        *self,
                                                      AstraConnection     *connection,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AstraClient      *astra_context_get_client_finish    (AstraContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* astra_client_list_tokens_async() and astra_client_list_roles_async() for the Tokens
 * page, except that the first call for the environment's client takes the answer to the
 * request astra_context_load_async() started, so that it travels while the window is
 * being built. (transfer full) the list. */
void              astra_context_list_tokens_async    (AstraContext        *self,
                                                      AstraClient         *client,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GListModel       *astra_context_list_tokens_finish   (AstraContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
void              astra_context_list_roles_async     (AstraContext        *self,
                                                      AstraClient         *client,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GListModel       *astra_context_list_roles_finish    (AstraContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Validates @token's format, finds its organization (trying production, development and
 * test when @environment is -1, else @environment with @custom_url for CUSTOM), stores it
 * in the keyring and adds the connection — or updates the token of an existing one for
 * the same organization. (transfer full) the connection. */
void              astra_context_connect_async        (AstraContext        *self,
                                                      const char          *token,
                                                      int                  environment,
                                                      const char          *custom_url,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AstraConnection  *astra_context_connect_finish       (AstraContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Connects the organization with the first of @tokens (e.g. a portal CSV's) that may list
 * its tokens, with astra_context_connect_async()'s environment rules; tokens refused, or
 * whose role may not list tokens, are skipped and nothing of them is stored. When none
 * will do: ASTRA_CLIENT_ERROR_UNAUTHORIZED. (transfer full) the connection.
 * (astra-context-connect-any.c) */
void              astra_context_connect_any_async    (AstraContext        *self,
                                                      const char * const  *tokens,
                                                      int                  environment,
                                                      const char          *custom_url,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AstraConnection  *astra_context_connect_any_finish   (AstraContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Removes the connection and its management token from the keyring. */
void              astra_context_forget_async         (AstraContext        *self,
                                                      AstraConnection     *connection,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          astra_context_forget_finish        (AstraContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

void              astra_context_rename_async         (AstraContext        *self,
                                                      AstraConnection     *connection,
                                                      const char          *label,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          astra_context_rename_finish        (AstraContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Starts the bundled simulator on loopback with seeded data (once) and adds the demo
 * connection. Synchronous: the simulator runs in this main context. (transfer none) */
AstraConnection  *astra_context_start_demo           (AstraContext      *self,
                                                      GError           **error);
AstraConnection  *astra_context_get_demo             (AstraContext      *self);

/* The app changed @org_id's token list: every window showing it refreshes. */
void              astra_context_tokens_changed       (AstraContext        *self,
                                                      const char          *org_id);

/* Moves @connection to a new management token (after rotating the old one): checked with
 * the API, stored in place of the old one, then used. (astra-context-token.c) */
void              astra_context_replace_token_async  (AstraContext        *self,
                                                      AstraConnection     *connection,
                                                      const char          *token,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          astra_context_replace_token_finish (AstraContext        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* The client id of the token the app connects to @org_id with, or NULL before it did. */
const char       *astra_context_get_connection_client_id (AstraContext    *self,
                                                          const char      *org_id);

G_END_DECLS

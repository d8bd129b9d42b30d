/* astra-secret-store.h: every secret the app keeps, in the Secret Service (libsecret)
 *
 * One schema, "io.github.astratokens.AstraTokens", with a "kind" attribute:
 *   - "management-token": an organization's credential; the keyring is the single source of
 *     truth for which organizations are connected (non-secret facts such as the org name,
 *     environment and API URL are attributes; the token is the secret).
 *   - "generated-token": a token this app created; the secret is a JSON document holding
 *     client id, client secret, token, role ids and names, generated-on and description.
 *   - "found-token": a token found in a plain-text file, of an organization this app is not
 *     connected to (astra-secret-store-found.c).
 * Signal "generated-changed" (org id, client id, held) follows every save and delete of a
 * generated token, so that every window showing the organization can follow.
 * Labels read well in Seahorse: "Astra management token — ORG NAME",
 * "Astra token CLIENT_ID (ROLE NAMES) — ORG NAME".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_SECRET_STORE_ERROR (astra_secret_store_error_quark ())

typedef enum
{
  ASTRA_SECRET_STORE_ERROR_NO_SERVICE,  /* no session bus, or no Secret Service on it */
  ASTRA_SECRET_STORE_ERROR_LOCKED,      /* the collection is locked and could not be unlocked */
  ASTRA_SECRET_STORE_ERROR_DISMISSED,   /* the user dismissed the unlock prompt */
  ASTRA_SECRET_STORE_ERROR_WRITE_FAILED,
  ASTRA_SECRET_STORE_ERROR_NOT_FOUND,
  ASTRA_SECRET_STORE_ERROR_CORRUPT,     /* a stored value this app cannot read */
  ASTRA_SECRET_STORE_ERROR_FAILED,
} AstraSecretStoreError;

#define ASTRA_TYPE_SECRET_STORE (astra_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (AstraSecretStore, astra_secret_store, ASTRA, SECRET_STORE, GObject)

GQuark             astra_secret_store_error_quark (void);

AstraSecretStore  *astra_secret_store_new (void);

/* FALSE: never asks to unlock the keyring; what only an unlock would give fails with LOCKED
 * at once (reads only). Default TRUE. */
void               astra_secret_store_set_may_prompt (AstraSecretStore *self,
                                                      gboolean          may_prompt);
gboolean           astra_secret_store_get_may_prompt (AstraSecretStore *self);

/* Stores or replaces (same org id) an organization's management token. */
void        astra_secret_store_save_connection_async    (AstraSecretStore     *self,
                                                         AstraConnection      *connection,
                                                         const char           *token,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean    astra_secret_store_save_connection_finish   (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* Updates the local label of a connected organization, keeping its token. */
void        astra_secret_store_rename_connection_async  (AstraSecretStore     *self,
                                                         AstraConnection      *connection,
                                                         const char           *label,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean    astra_secret_store_rename_connection_finish (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* → GListModel of AstraConnection sorted by display name (transfer full). */
void        astra_secret_store_list_connections_async   (AstraSecretStore     *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GListModel *astra_secret_store_list_connections_finish  (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* → the management token (transfer full; free with astra_secret_free);
 * ASTRA_SECRET_STORE_ERROR_NOT_FOUND when there is none. */
void        astra_secret_store_lookup_token_async       (AstraSecretStore     *self,
                                                         const char           *org_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char       *astra_secret_store_lookup_token_finish      (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* Removes the organization's management token (generated tokens stay). */
void        astra_secret_store_forget_connection_async  (AstraSecretStore     *self,
                                                         const char           *org_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean    astra_secret_store_forget_connection_finish (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* Stores a generated token under @connection's org id and environment. */
void        astra_secret_store_save_generated_async     (AstraSecretStore     *self,
                                                         AstraConnection      *connection,
                                                         AstraGeneratedToken  *token,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean    astra_secret_store_save_generated_finish    (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* The client ids whose secrets the keyring holds for @org_id, without unlocking or loading
 * any secret. → (transfer full) GStrv, possibly empty. */
void        astra_secret_store_list_generated_async     (AstraSecretStore     *self,
                                                         const char           *org_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char      **astra_secret_store_list_generated_finish    (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* Of those, the client ids whose item keeps no client secret (a token kept from a file
 * that held it alone), without unlocking or loading any secret. → (transfer full) GStrv. */
void        astra_secret_store_list_secretless_async    (AstraSecretStore     *self,
                                                         const char           *org_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char      **astra_secret_store_list_secretless_finish   (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* Every generated token the keyring holds, in all organizations (the scanner's "held"),
 * without unlocking or loading any secret. → (transfer full) GHashTable: client id → org id
 * (astra-secret-store-inventory.c). */
void        astra_secret_store_list_held_async          (AstraSecretStore     *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GHashTable *astra_secret_store_list_held_finish         (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* A token found in plain text, of an organization this app is not connected to: a
 * "found-token" item (client id, token, and a portal CSV row's client secret), replacing an
 * earlier one of the same client id (astra-secret-store-found.c). */
void        astra_secret_store_save_found_async         (AstraSecretStore     *self,
                                                         const char           *client_id,
                                                         const char           *token,
                                                         const char           *client_secret,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean    astra_secret_store_save_found_finish        (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
/* The client ids of the "found-token" items, without loading a secret. → (transfer full). */
void        astra_secret_store_list_found_async         (AstraSecretStore     *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char      **astra_secret_store_list_found_finish        (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* → AstraGeneratedToken with its secret (transfer full); NOT_FOUND when absent. */
void        astra_secret_store_lookup_generated_async   (AstraSecretStore     *self,
                                                         const char           *org_id,
                                                         const char           *client_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
AstraGeneratedToken *astra_secret_store_lookup_generated_finish (AstraSecretStore  *self,
                                                                 GAsyncResult      *result,
                                                                 GError           **error);

/* Removes a generated token's secret (after revocation). FALSE without error if absent. */
void        astra_secret_store_delete_generated_async   (AstraSecretStore     *self,
                                                         const char           *org_id,
                                                         const char           *client_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean    astra_secret_store_delete_generated_finish  (AstraSecretStore     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* The generated tokens of a session-only organization (the demo) are kept in memory, never
 * in the keyring, until released. */
void        astra_secret_store_keep_in_memory           (AstraSecretStore     *self,
                                                         const char           *org_id);
void        astra_secret_store_release_memory           (AstraSecretStore     *self,
                                                         const char           *org_id);
gboolean    astra_secret_store_is_in_memory             (AstraSecretStore     *self,
                                                         const char           *org_id);

G_END_DECLS

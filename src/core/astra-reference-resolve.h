/* astra-reference-resolve.h: the secret an astra://ORG/CLIENT_ID/FIELD reference names
 *
 * ORG is matched as an organization id first, then as the display name the sidebar shows
 * (a name shared by two organizations is refused: use the id). CLIENT_ID is a generated
 * token of that organization held in the keyring, or the organization's own management
 * token when its client id is that one. By id, the generated tokens of an organization
 * that is no longer connected (or only from the environment) still resolve. Errors name
 * the reference and the reason, never a secret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-secret-store.h"

G_BEGIN_DECLS

#define ASTRA_REFERENCE_RESOLVE_ERROR (astra_reference_resolve_error_quark ())

typedef enum
{
  ASTRA_REFERENCE_RESOLVE_ERROR_SYNTAX,                 /* not astra://ORG/CLIENT_ID/FIELD */
  ASTRA_REFERENCE_RESOLVE_ERROR_NO_ORGANIZATION,        /* ORG is no connected organization */
  ASTRA_REFERENCE_RESOLVE_ERROR_AMBIGUOUS_ORGANIZATION, /* ORG names two or more */
  ASTRA_REFERENCE_RESOLVE_ERROR_NO_TOKEN,               /* the keyring holds no such token */
  ASTRA_REFERENCE_RESOLVE_ERROR_FIELD_UNAVAILABLE,      /* e.g. a management token's secret */
  ASTRA_REFERENCE_RESOLVE_ERROR_LOCKED,                 /* locked, unlock prompt dismissed */
  ASTRA_REFERENCE_RESOLVE_ERROR_KEYRING,                /* no keyring, or it failed */
} AstraReferenceResolveError;

GQuark  astra_reference_resolve_error_quark (void);

/* Whether @error is about the keyring itself (locked, unavailable) rather than about the
 * reference: scripts tell "try again later" from "fix the reference". */
gboolean astra_reference_resolve_error_is_keyring (const GError *error);

/* Resolves @reference against @store's keyring. The collection is unlocked first when it
 * is locked, through the Secret Service's own prompt (gnome-keyring's system prompter). */
void    astra_reference_resolve_async  (AstraSecretStore     *store,
                                        const char           *reference,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
/* Returns: (transfer full): the value; free with astra_secret_free(). %NULL with
 * ASTRA_REFERENCE_RESOLVE_ERROR (or G_IO_ERROR_CANCELLED) in @error. */
char   *astra_reference_resolve_finish (AstraSecretStore     *store,
                                        GAsyncResult         *result,
                                        GError              **error);

/* Asks to unlock the keyring items of this app when they are locked (the prompt), so that
 * listing finds them: gnome-keyring hides the attributes of a keyring loaded locked.
 * @client_id: (nullable): the token wanted, looked for first; %NULL for all.
 * FALSE with ASTRA_REFERENCE_RESOLVE_ERROR_LOCKED or _KEYRING. */
void     astra_reference_unlock_keyring_async  (const char           *client_id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean astra_reference_unlock_keyring_finish (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS

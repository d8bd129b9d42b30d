/* astra-token-import.h: a portal CSV's tokens into the keyring, checked first
 *
 * The tokens are checked against the token list of the organization they are imported
 * into before anything is stored: a token it does not list is revoked or belongs to
 * another organization, and storing it would only put a useless secret in the keyring.
 * Those it lists are stored with the organization's roles, description and dates. Tokens
 * it does not list are looked for in the other connected organizations, and stored there
 * when found; the rest are reported, never stored. The app's import and
 * `astra-tokens-cli import` both go through here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-client-source.h"
#include "astra-secret-store.h"

G_BEGIN_DECLS

#define ASTRA_TOKEN_IMPORT_ERROR (astra_token_import_error_quark ())

typedef enum
{
  ASTRA_TOKEN_IMPORT_ERROR_CHECK_FAILED, /* the target's token list could not be read:
                                          * nothing was stored */
  ASTRA_TOKEN_IMPORT_ERROR_SAVE_FAILED,  /* the keyring refused a token: those before it
                                          * were stored */
} AstraTokenImportError;

typedef struct
{
  GPtrArray *orgs;        /* AstraConnection checked: the target first, then the others */
  GPtrArray *saved;       /* AstraGeneratedToken stored… */
  GPtrArray *saved_orgs;  /* …each under this AstraConnection */
  GPtrArray *unknown;     /* AstraGeneratedToken no organization lists: not stored */
} AstraTokenImport;

GQuark            astra_token_import_error_quark (void);

/* @tokens: AstraGeneratedToken, as parsed from the file. @target: the organization
 * imported into. @connections: AstraConnection, every connected organization (the
 * target among them or not). The error messages carry the underlying message. */
void              astra_token_import_async    (AstraSecretStore     *store,
                                               AstraClientSource    *clients,
                                               GListModel           *tokens,
                                               AstraConnection      *target,
                                               GListModel           *connections,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
AstraTokenImport *astra_token_import_finish   (GAsyncResult         *result,
                                               GError              **error);
/* How many of the saved tokens went to @connection. */
guint             astra_token_import_count_saved_in (AstraTokenImport *import,
                                                     AstraConnection  *connection);
void              astra_token_import_free     (AstraTokenImport     *import);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraTokenImport, astra_token_import_free)

G_END_DECLS

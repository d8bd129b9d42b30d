/* astra-new-token-dialog.h: shows a just-generated token once
 *
 * Client ID, Client Secret and Token, masked with reveal toggles and copy buttons; saves to
 * the keyring when asked (with retry on failure); Export CSV…; copy as an environment
 * snippet; confirmation before closing while the secret is neither in the keyring nor
 * exported. Emits "secured" once the token is in the keyring or exported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-secret-store.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_NEW_TOKEN_DIALOG (astra_new_token_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AstraNewTokenDialog, astra_new_token_dialog, ASTRA, NEW_TOKEN_DIALOG, AdwWindow)

AstraNewTokenDialog *astra_new_token_dialog_new (GtkWindow           *parent,
                                                 AstraSecretStore    *store,
                                                 AstraConnection     *connection,
                                                 AstraGeneratedToken *token,
                                                 gboolean             save_to_keyring);
/* TRUE once the token is in the keyring or was exported. */
gboolean             astra_new_token_dialog_is_secured (AstraNewTokenDialog *self);

G_END_DECLS

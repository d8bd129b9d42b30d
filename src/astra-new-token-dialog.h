/* astra-new-token-dialog.h: shows a just-generated token once
 *
 * Client ID, Client Secret and Token, masked with reveal toggles and copy buttons; saves to
 * the keyring when asked (with retry on failure); Export CSV…; copy as an environment
 * snippet; confirmation before closing while the secret is neither in the keyring nor
 * exported. Emits "secured" once the token is in the keyring or exported.
 *
 * Secrets are masked unless the "mask-secrets" setting is off; they never appear in the
 * window title or in toasts, and the rows are emptied when the dialog closes.
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
/* TRUE once the token is in the keyring or was exported ("secured" property). */
gboolean             astra_new_token_dialog_is_secured (AstraNewTokenDialog *self);
/* The token shown, or NULL once the dialog was closed. (transfer none) */
AstraGeneratedToken *astra_new_token_dialog_get_token  (AstraNewTokenDialog *self);
/* Shows a short message (never a secret) in the dialog's own toast overlay. */
void                 astra_new_token_dialog_add_toast  (AstraNewTokenDialog *self,
                                                        const char          *message);
/* Writes the portal CSV of this token to @file without the warning and the file chooser
 * (what "Export CSV…" does after them); marks the token secured on success. For tests. */
void                 astra_new_token_dialog_export_to_file_async  (AstraNewTokenDialog *self,
                                                                   GFile               *file,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
gboolean             astra_new_token_dialog_export_to_file_finish (AstraNewTokenDialog *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

G_END_DECLS

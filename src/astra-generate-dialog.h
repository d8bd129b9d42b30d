/* astra-generate-dialog.h: "Generate Token" — roles, description, expiry, save to keyring
 *
 * On success it presents the new-token dialog itself and emits "token-generated".
 * In rotate mode (astra_generate_dialog_set_rotate_from) the roles and description are
 * those of the old token; the old token is revoked only once the new one is stored in the
 * keyring or exported, and "token-revoked" is emitted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-client.h"
#include "astra-connection.h"
#include "astra-context.h"
#include "astra-generated-token.h"
#include "astra-secret-store.h"
#include "astra-token.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_GENERATE_DIALOG (astra_generate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AstraGenerateDialog, astra_generate_dialog, ASTRA, GENERATE_DIALOG, AdwWindow)

/* Signals: "token-generated" (AstraGeneratedToken *token): created on the server;
 *          "token-secured" (AstraGeneratedToken *token): saved to the keyring or exported
 *            from the new-token dialog (refresh the "in keyring" marks then);
 *          "token-revoked" (const char *client_id): the rotated-out token was revoked. */
AstraGenerateDialog *astra_generate_dialog_new             (GtkWindow           *parent,
                                                            AstraClient         *client,
                                                            AstraSecretStore    *store,
                                                            AstraConnection     *connection,
                                                            GListModel          *roles);
void                 astra_generate_dialog_set_rotate_from (AstraGenerateDialog *self,
                                                            AstraToken          *old_token);
/* The rotated token is the one the app connects with: once the new one is secured, the
 * app moves to it through @context (checked with the API, stored in place of the old one),
 * and only then revokes the old one. @from_environment: the old one came from
 * ASTRA_DB_APPLICATION_TOKEN, which still holds it afterwards (the message says so). */
void                 astra_generate_dialog_set_replaces_connection (AstraGenerateDialog *self,
                                                                    AstraContext        *context,
                                                                    gboolean             from_environment);

G_END_DECLS

/* astra-connect-dialog.h: connect an organization with a management token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-context.h"
#include "astra-generated-token.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_CONNECT_DIALOG (astra_connect_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AstraConnectDialog, astra_connect_dialog, ASTRA, CONNECT_DIALOG, AdwWindow)

/* @replace: NULL to add an organization, or the connection whose token to replace.
 * Signal "connected" (AstraConnection *connection) on success; the dialog then closes.
 * Action "connect.connect" starts connecting with what the rows hold. */
AstraConnectDialog *astra_connect_dialog_new (GtkWindow       *parent,
                                              AstraContext    *context,
                                              AstraConnection *replace);
/* For a portal CSV opened while no organization is connected: no token row; Connect tries
 * the tokens of @tokens (AstraGeneratedToken, read from the file @file_name) in order and
 * connects their organization with the first that may list its tokens
 * (astra_context_connect_any_async). Signal "connected" as above. */
AstraConnectDialog *astra_connect_dialog_new_for_tokens (GtkWindow    *parent,
                                                         AstraContext *context,
                                                         GListModel   *tokens,
                                                         const char   *file_name);
AstraConnectDialog *astra_connect_dialog_new_for_found_token (GtkWindow           *parent,
                                                              AstraContext        *context,
                                                              AstraGeneratedToken *token,
                                                              const char          *file_name);

G_END_DECLS

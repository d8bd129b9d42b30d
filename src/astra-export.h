/* astra-export.h: "Export CSV…" for tokens
 *
 * Portal format when every selected token's secret is in the keyring, inventory format
 * otherwise; a file chooser (GtkFileChooserNative) names what the file contains, and a
 * file holding secrets is written only after a warning whose default is to cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "astra-connection.h"
#include "astra-secret-store.h"

G_BEGIN_DECLS

/* @tokens: AstraToken items (the selection). Reports the outcome in a toast on the
 * AdwToastOverlay when the window has one. */
void astra_export_tokens          (GtkWindow        *parent,
                                   AstraSecretStore *store,
                                   AstraConnection  *connection,
                                   GListModel       *tokens);

G_END_DECLS

/* astra-rc-import-dialog.h: import organizations from the Astra CLI's .astrarc
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-context.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_RC_IMPORT_DIALOG (astra_rc_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AstraRcImportDialog, astra_rc_import_dialog, ASTRA, RC_IMPORT_DIALOG, AdwWindow)

/* Signal "imported" (guint n_connections) once the chosen profiles are stored.
 * Action "rc-import.import" imports the checked profiles. */
AstraRcImportDialog *astra_rc_import_dialog_new (GtkWindow    *parent,
                                                 AstraContext *context);

G_END_DECLS

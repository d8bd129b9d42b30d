/* astra-role-editor-dialog.h: create or edit a custom role scoped to one database
 *
 * Database picker (from GET /v2/databases), permission preset (read only, read and write,
 * administrator) plus the detailed action list; built-in roles cannot be edited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-client.h"
#include "astra-connection.h"
#include "astra-role.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_ROLE_EDITOR_DIALOG (astra_role_editor_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AstraRoleEditorDialog, astra_role_editor_dialog, ASTRA, ROLE_EDITOR_DIALOG, AdwWindow)

/* @role: NULL to create a new role. Signal "role-saved" (AstraRole *role). */
AstraRoleEditorDialog *astra_role_editor_dialog_new (GtkWindow       *parent,
                                                     AstraClient     *client,
                                                     AstraConnection *connection,
                                                     AstraRole       *role);

G_END_DECLS

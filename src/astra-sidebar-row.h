/* astra-sidebar-row.h: one connected organization in the window's sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "astra-connection.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_SIDEBAR_ROW (astra_sidebar_row_get_type ())

G_DECLARE_FINAL_TYPE (AstraSidebarRow, astra_sidebar_row, ASTRA, SIDEBAR_ROW, GtkListBoxRow)

/* @badge: "Demo", "From Environment", an environment name, or NULL for none. */
GtkWidget       *astra_sidebar_row_new            (AstraConnection *connection,
                                                   const char      *badge);
AstraConnection *astra_sidebar_row_get_connection (AstraSidebarRow *self);

G_END_DECLS

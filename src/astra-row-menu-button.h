/* astra-row-menu-button.h: the "Token Actions" button of a token row, as one widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ASTRA_TYPE_ROW_MENU_BUTTON (astra_row_menu_button_get_type ())

G_DECLARE_FINAL_TYPE (AstraRowMenuButton, astra_row_menu_button, ASTRA, ROW_MENU_BUTTON, GtkButton)

GtkWidget *astra_row_menu_button_new   (const char         *icon_name);
void       astra_row_menu_button_popup (AstraRowMenuButton *self,
                                        GMenuModel         *menu);

G_END_DECLS

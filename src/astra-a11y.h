/* astra-a11y.h: accessible names that GTK 4.8 gets wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Gives every button and check button with a mnemonic its visible text as its accessible
 * name, from now on, in every window of the process. Idempotent. */
void      astra_a11y_init                  (void);
/* "_Save" → "Save", "Drag__and__Drop" → "Drag_and_Drop". */
char     *astra_a11y_strip_mnemonic        (const char *label);

/* Names the header of @column (a column kept without a visible title, as narrow as its
 * icons): what a screen reader announces for it, and its tooltip. */
void      astra_a11y_name_column_header    (GtkColumnView       *view,
                                            GtkColumnViewColumn *column,
                                            const char          *name);

G_END_DECLS

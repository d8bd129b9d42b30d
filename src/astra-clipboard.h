/* astra-clipboard.h: copying values, and clearing copied secrets again
 *
 * Secrets put on the clipboard are cleared after the "clipboard-clear-seconds" setting
 * (0 = never) and when the app quits, but only if the clipboard still holds that very
 * secret (product.md "Copy and clipboard").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Copies @text to @widget's clipboard. When @is_secret, schedules the clear. */
void      astra_clipboard_copy             (GtkWidget  *widget,
                                            const char *text,
                                            gboolean    is_secret);
/* The same without a widget (GNOME Shell's search copies with no window open): watch
 * @clipboard's "changed" to know when the secret is no longer there. */
void      astra_clipboard_copy_to          (GdkClipboard *clipboard,
                                            const char   *text,
                                            gboolean      is_secret);
/* Clears the clipboard now if it still holds a secret this app put there. */
void      astra_clipboard_clear_secret     (void);
/* Whether a secret this app copied is still on the clipboard. */
gboolean  astra_clipboard_holds_secret     (void);
/* Seconds until copied secrets are cleared, from the settings (0 = never). */
guint     astra_clipboard_get_clear_seconds (void);

G_END_DECLS

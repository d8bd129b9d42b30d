/* astra-autostart.h: the XDG autostart entry of the background expiry check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Returns: (transfer full): $XDG_CONFIG_HOME/autostart/@app_id.desktop. */
char     *astra_autostart_get_path    (const char  *app_id);
/* Writes the entry (Exec=@program --gapplication-service --check-expiry, X-GNOME-Autostart-enabled=true)
 * or removes it; removing one that is not there is no error. */
gboolean  astra_autostart_set_enabled (const char  *app_id,
                                       const char  *program,
                                       const char  *name,
                                       gboolean     enabled,
                                       GError     **error);

G_END_DECLS

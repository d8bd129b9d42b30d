/* astra-settings.h: the app's GSettings, when its schema can be found
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The app's settings, or NULL when the schema is not installed (a test, an uninstalled
 * run): callers then use the schema's default instead of aborting in g_settings_new().
 * (transfer full) (nullable) */
GSettings *astra_settings_try_new (void);

G_END_DECLS

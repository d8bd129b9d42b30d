/* astra-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ASTRA_TYPE_PREFERENCES_WINDOW (astra_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (AstraPreferencesWindow, astra_preferences_window, ASTRA, PREFERENCES_WINDOW, AdwPreferencesWindow)

AstraPreferencesWindow *astra_preferences_window_new (GtkWindow *transient_for);

G_END_DECLS

/* astra-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-application.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_WINDOW (astra_window_get_type ())

G_DECLARE_FINAL_TYPE (AstraWindow, astra_window, ASTRA, WINDOW, AdwApplicationWindow)

AstraWindow *astra_window_new (AstraApplication *application);

G_END_DECLS

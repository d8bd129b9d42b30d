/* astra-autostart-private.h: the Background portal side of astra-autostart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-autostart.h"

G_BEGIN_DECLS

/* Asks org.freedesktop.portal.Background to (not) start `@program --gapplication-service
 * --check-expiry` at login, its question attached to @parent_window (a portal window
 * identifier, or "" or %NULL). Completes @task (a boolean) with the result. */
void astra_autostart_portal_request (GTask      *task,
                                     const char *parent_window,
                                     const char *program,
                                     const char *reason,
                                     gboolean    enabled,
                                     guint       timeout_s);

G_END_DECLS

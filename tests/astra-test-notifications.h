/* astra-test-notifications.h: a fake org.freedesktop.Notifications on the test bus
 *
 * GApplication sends notifications through its freedesktop backend when no
 * org.gtk.Notifications server runs: owning the freedesktop name on the test session's bus
 * lets a test see what the app really sends over D-Bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Owns the name on the session bus, in this main context. Returns: (transfer none): the
 * parameters (susssasa{sv}i) of every Notify call so far, growing as they arrive. */
GPtrArray *astra_test_notifications_start (void);

/* What the notification server sends when a person clicks @action_key (an action key of
 * the Notify call, "default" for the notification itself) of notification @index (0-based,
 * the order of the calls): the ActionInvoked signal, then NotificationClosed. */
void       astra_test_notifications_invoke (guint       index,
                                            const char *action_key);

G_END_DECLS

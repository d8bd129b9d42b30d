/* astra-test-portal.h: a fake org.freedesktop.portal.Desktop on the test bus
 *
 * Serves org.freedesktop.portal.Background.RequestBackground the way xdg-desktop-portal
 * does: the reply is the Request object's path built from the caller's unique name and its
 * handle_token, and the answer comes later as that object's Response signal. Each call is
 * recorded; the response code is chosen by the test, or there is none at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* No Response signal: the request stays open until the caller closes it. */
#define ASTRA_TEST_PORTAL_NO_ANSWER (-1)

/* Owns the name on the session bus, in this main context. Returns: (transfer none): the
 * parameters (sa{sv}) of every RequestBackground call so far, growing as they arrive. */
GPtrArray *astra_test_portal_start        (void);
/* Lets the connection go (before g_test_dbus_down(), which waits for it). */
void       astra_test_portal_stop         (void);
/* The response code (0 success, 1 cancelled by the person, 2 other) of the next calls, or
 * ASTRA_TEST_PORTAL_NO_ANSWER. 0 until set. */
void       astra_test_portal_set_response (int response);
/* How many times a caller called Close on one of the requests. */
guint      astra_test_portal_get_n_closed (void);

G_END_DECLS

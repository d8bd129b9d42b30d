/* astra-expiry-notifier.h: one desktop notification per organization and day about the
 * tokens that expire soon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-expiry-monitor.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_EXPIRY_NOTIFIER (astra_expiry_notifier_get_type ())

G_DECLARE_FINAL_TYPE (AstraExpiryNotifier, astra_expiry_notifier, ASTRA, EXPIRY_NOTIFIER, GObject)

/* Sends a GNotification (actions app.review-expiring(s org id) and app.rotate-token((ss)
 * org id, client id)) whenever @monitor has checked an organization with tokens that
 * expire soon, unless one about that organization was sent on this local day already
 * (remembered in the "expiry-notified" setting). */
AstraExpiryNotifier *astra_expiry_notifier_new (GApplication       *application,
                                                AstraContext       *context,
                                                AstraExpiryMonitor *monitor,
                                                GSettings          *settings);

G_END_DECLS

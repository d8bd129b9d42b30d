/* astra-application-expiry.h: the application's part in the expiry warnings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-application.h"
#include "astra-expiry-monitor.h"

G_BEGIN_DECLS

/* From handle_local_options(): --check-expiry was given (the autostart entry's
 * `astra-tokens --gapplication-service --check-expiry`). D-Bus activation (GNOME Shell's
 * search, a notification's action) starts the same service without it, and must not check
 * the organizations or notify. */
void                astra_application_expiry_request_check (AstraApplication *self);
/* From startup(): the monitor (counts for the sidebar and the pages), the autostart entry
 * following its setting, the app.review-expiring and app.rotate-token actions, and in
 * service mode with --check-expiry the background check. */
void                astra_application_expiry_startup  (AstraApplication *self);
/* From activate(): the organizations are checked and notified about while the app runs. */
void                astra_application_expiry_activate (AstraApplication *self);
void                astra_application_expiry_shutdown (AstraApplication *self);
/* (transfer none) (nullable) */
AstraExpiryMonitor *astra_application_get_expiry_monitor (AstraApplication *self);

G_END_DECLS

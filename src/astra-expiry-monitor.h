/* astra-expiry-monitor.h: how many tokens of each connected organization expire soon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-context.h"
#include "astra-token.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_EXPIRY_MONITOR (astra_expiry_monitor_get_type ())

G_DECLARE_FINAL_TYPE (AstraExpiryMonitor, astra_expiry_monitor, ASTRA, EXPIRY_MONITOR, GObject)

/* Signals:
 *   "changed" (const char *org_id): the organization's count may have changed.
 *   "checked" (const char *org_id): its token list was read (by the monitor or a page);
 *     never emitted for a failed or timed-out check.
 *   "idle": no check is under way any more. */
AstraExpiryMonitor *astra_expiry_monitor_new          (AstraContext       *context,
                                                       GSettings          *settings);
/* Starts checking every connected organization (not the demo), then again once a day
 * (just after local midnight) while the monitor lives. @delay_seconds lets a window's own
 * first listing arrive first (astra_expiry_monitor_report() spares a second request). */
void                astra_expiry_monitor_start        (AstraExpiryMonitor *self,
                                                       guint               delay_seconds);
/* Checks every connected organization now. */
void                astra_expiry_monitor_check_all    (AstraExpiryMonitor *self);
gboolean            astra_expiry_monitor_is_busy      (AstraExpiryMonitor *self);
/* A page listed @org_id's tokens (AstraToken items): counted without asking the API. */
void                astra_expiry_monitor_report       (AstraExpiryMonitor *self,
                                                       const char         *org_id,
                                                       GListModel         *tokens);
/* Tokens of @org_id that expire soon or have expired, at the last check (0 unknown). */
guint               astra_expiry_monitor_get_count    (AstraExpiryMonitor *self,
                                                       const char         *org_id);
/* The one that expires first among them, or NULL. (transfer none) */
AstraToken         *astra_expiry_monitor_get_soonest  (AstraExpiryMonitor *self,
                                                       const char         *org_id);
/* The tokens read at the last check, or NULL. (transfer none) */
GListModel         *astra_expiry_monitor_get_tokens   (AstraExpiryMonitor *self,
                                                       const char         *org_id);
guint               astra_expiry_monitor_get_threshold_days (AstraExpiryMonitor *self);
/* How long one organization's check may take before it is given up (seconds). */
void                astra_expiry_monitor_set_check_timeout (AstraExpiryMonitor *self,
                                                            guint               seconds);

G_END_DECLS

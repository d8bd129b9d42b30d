/* astra-expiry.h: how soon a token expires, as a state and in words
 *
 * Everything takes the clock as a parameter (@now), so the rules can be tested at any
 * instant without faking the system clock.
 *
 * The state is measured in real time (seconds), never in calendar days, so that a
 * daylight saving change or a month end cannot move a token in or out of "soon":
 *   NONE     the token never expires (@expires is NULL)
 *   EXPIRED  expires ≤ now (a token stops working at its expiry instant)
 *   SOON     0 < expires − now ≤ threshold_days × 24 h (inclusive: a token expiring exactly
 *            14 × 24 h from now is soon with a threshold of 14; one second later it is not)
 *   OK       expires − now > threshold_days × 24 h
 *
 * The words (astra_expiry_describe, sentence case for a table cell) count hours in real
 * time and days on the local calendar, the way people read a date:
 *   expires − now < 1 h        "In N minutes" (N rounded up, at least 1)
 *   expires − now < 24 h       "In N hours" (whole hours, rounded down: 23 h 59 min is
 *                              "In 23 hours")
 *   otherwise, by local dates  "Tomorrow" (the next calendar day), "In N days"
 *   expired on today's date    "Expired"
 *   expired on an earlier date "Expired N days ago" (calendar days)
 *   no expiry                  "Never"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  ASTRA_EXPIRY_NONE,
  ASTRA_EXPIRY_OK,
  ASTRA_EXPIRY_SOON,
  ASTRA_EXPIRY_EXPIRED,
} AstraExpiryState;

/* The default of the "expiry-warning-days" setting, and its range. */
#define ASTRA_EXPIRY_DEFAULT_THRESHOLD_DAYS 14
#define ASTRA_EXPIRY_MIN_THRESHOLD_DAYS 1
#define ASTRA_EXPIRY_MAX_THRESHOLD_DAYS 90

AstraExpiryState astra_expiry_get_state        (GDateTime  *expires,
                                                GDateTime  *now,
                                                guint       threshold_days);
/* Whether a token in @state wants the person's attention (soon or already expired): what
 * the warning colour, the filter, the banner, the sidebar count and the notification
 * count. */
gboolean         astra_expiry_state_needs_attention (AstraExpiryState state);
/* Returns: (transfer full): the words for @expires seen at @now ("In 3 days", "Expired"),
 * or "Never" for NULL; translated. */
char            *astra_expiry_describe         (GDateTime  *expires,
                                                GDateTime  *now);
/* How many AstraTokens of @tokens need attention; *@soonest (optional) is the one that
 * expires first among them, (transfer none), NULL when none. Expired tokens count too. */
guint            astra_expiry_count_attention  (GListModel  *tokens,
                                                GDateTime   *now,
                                                guint        threshold_days,
                                                gpointer    *soonest);
/* Counts the AstraTokens of @tokens that expire soon and those that have expired. */
void             astra_expiry_count_states     (GListModel  *tokens,
                                                GDateTime   *now,
                                                guint        threshold_days,
                                                guint       *n_soon,
                                                guint       *n_expired);
/* Returns: (transfer full): what the banner and the notification say, translated:
 * "3 tokens expire within 14 days", "1 token has expired", or with both
 * "4 tokens expire within 14 days or have expired" (the count is their sum). */
char            *astra_expiry_describe_count   (guint        n_soon,
                                                guint        n_expired,
                                                guint        threshold_days);
/* The whole days between @generated_on and @expires, rounded to the nearest day (a token
 * generated at 10:00 to expire "in 30 days" at local midnight is 30 days), or 0 when
 * either is NULL or the lifetime is not positive. */
guint            astra_expiry_lifetime_days    (GDateTime  *generated_on,
                                                GDateTime  *expires);

/* Seconds from @now to a minute past the next local midnight, when a running app checks
 * again (a day's words and counts change at midnight). Computed from the wall clock each
 * time, so a suspended laptop or a 23- or 25-hour day does not drift; at least 60. */
guint            astra_expiry_seconds_to_next_check (GDateTime *now);

G_END_DECLS

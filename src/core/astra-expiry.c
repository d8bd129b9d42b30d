/* astra-expiry.c: how soon a token expires, as a state and in words (rules in the header)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-expiry"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-expiry.h"
#include "astra-token.h"

#define SECONDS_PER_HOUR G_GINT64_CONSTANT (3600)
#define SECONDS_PER_DAY (24 * SECONDS_PER_HOUR)

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

/* Seconds from @now to @expires: negative once expired. */
static gint64
seconds_left (GDateTime *expires,
              GDateTime *now)
{
  return g_date_time_to_unix (expires) - g_date_time_to_unix (now);
}

/* Calendar days from the local date of @from to the local date of @to. Through GDate's
 * day numbers, so a 23- or 25-hour day (daylight saving) still counts as one. */
/* The local time zone. GLib 2.74's g_time_zone_new_local() reads /etc/localtime again on
 * every call when $TZ is unset (it compares the zone's name with the unset variable), 25 µs
 * each time, for every row the Expires column binds: the zone is kept until $TZ changes. */
G_LOCK_DEFINE_STATIC (local_zone);

static GTimeZone *
ref_local_zone (void)
{
  static GTimeZone *zone;
  static char *zone_tz;
  const char *tz = g_getenv ("TZ");
  GTimeZone *result;

  G_LOCK (local_zone);
  if (zone == NULL || g_strcmp0 (zone_tz, tz) != 0)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      g_free (zone_tz);
      zone = g_time_zone_new_local ();
      zone_tz = g_strdup (tz);
    }
  result = g_time_zone_ref (zone);
  G_UNLOCK (local_zone);

  return result;
}

static int
local_days_between (GDateTime *from,
                    GDateTime *to)
{
  g_autoptr(GTimeZone) zone = ref_local_zone ();
  g_autoptr(GDateTime) local_from = g_date_time_to_timezone (from, zone);
  g_autoptr(GDateTime) local_to = g_date_time_to_timezone (to, zone);
  GDate date_from, date_to;
  int year, month, day;

  /* On the stack: the Expires cell computes this for every row it binds. */
  g_date_clear (&date_from, 1);
  g_date_clear (&date_to, 1);
  g_date_time_get_ymd (local_from, &year, &month, &day);
  g_date_set_dmy (&date_from, day, month, year);
  g_date_time_get_ymd (local_to, &year, &month, &day);
  g_date_set_dmy (&date_to, day, month, year);

  return g_date_days_between (&date_from, &date_to);
}

static char *
describe_future (GDateTime *expires,
                 GDateTime *now,
                 gint64     left)
{
  int days;

  if (left < SECONDS_PER_HOUR)
    {
      guint minutes = MAX (1, (guint) ((left + 59) / 60));

      /* TRANSLATORS: when a token expires, in a table cell: less than an hour away */
      return g_strdup_printf (ngettext ("In %u minute", "In %u minutes", minutes), minutes);
    }

  if (left < SECONDS_PER_DAY)
    {
      guint hours = (guint) (left / SECONDS_PER_HOUR);

      /* TRANSLATORS: when a token expires, in a table cell: less than a day away */
      return g_strdup_printf (ngettext ("In %u hour", "In %u hours", hours), hours);
    }

  /* At least 24 hours away, so at least the next calendar day. */
  days = MAX (1, local_days_between (now, expires));
  if (days == 1)
    /* TRANSLATORS: when a token expires, in a table cell */
    return g_strdup (_("Tomorrow"));

  /* TRANSLATORS: when a token expires, in a table cell: calendar days from today */
  return g_strdup_printf (ngettext ("In %d day", "In %d days", days), days);
}

static char *
describe_past (GDateTime *expires,
               GDateTime *now)
{
  int days = local_days_between (expires, now);

  if (days <= 0)
    /* TRANSLATORS: a token that stopped working today, in a table cell */
    return g_strdup (_("Expired"));

  /* TRANSLATORS: a token that stopped working on an earlier day, in a table cell */
  return g_strdup_printf (ngettext ("Expired %d day ago", "Expired %d days ago", days), days);
}

/* ------------------------------------------------------------------------------------------
 * Public API
 * ---------------------------------------------------------------------------------------- */

AstraExpiryState
astra_expiry_get_state (GDateTime *expires,
                        GDateTime *now,
                        guint      threshold_days)
{
  gint64 left;

  g_return_val_if_fail (now != NULL, ASTRA_EXPIRY_NONE);

  if (expires == NULL)
    return ASTRA_EXPIRY_NONE;

  left = seconds_left (expires, now);
  if (left <= 0)
    return ASTRA_EXPIRY_EXPIRED;
  if (left <= (gint64) threshold_days * SECONDS_PER_DAY)
    return ASTRA_EXPIRY_SOON;

  return ASTRA_EXPIRY_OK;
}

gboolean
astra_expiry_state_needs_attention (AstraExpiryState state)
{
  return state == ASTRA_EXPIRY_SOON || state == ASTRA_EXPIRY_EXPIRED;
}

char *
astra_expiry_describe (GDateTime *expires,
                       GDateTime *now)
{
  gint64 left;

  g_return_val_if_fail (now != NULL, NULL);

  if (expires == NULL)
    /* TRANSLATORS: when a token expires, in a table cell: it does not */
    return g_strdup (_("Never"));

  left = seconds_left (expires, now);
  if (left <= 0)
    return describe_past (expires, now);

  return describe_future (expires, now, left);
}

guint
astra_expiry_count_attention (GListModel *tokens,
                              GDateTime  *now,
                              guint       threshold_days,
                              gpointer   *soonest)
{
  guint n_items;
  guint count = 0;
  AstraToken *first = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (tokens), 0);
  g_return_val_if_fail (now != NULL, 0);

  n_items = g_list_model_get_n_items (tokens);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);
      GDateTime *expires = astra_token_get_expires (token);

      if (!astra_expiry_state_needs_attention (astra_expiry_get_state (expires, now,
                                                                       threshold_days)))
        continue;

      count++;
      if (first == NULL ||
          g_date_time_compare (expires, astra_token_get_expires (first)) < 0)
        first = token;
    }

  if (soonest != NULL)
    *soonest = first;

  return count;
}

void
astra_expiry_count_states (GListModel *tokens,
                           GDateTime  *now,
                           guint       threshold_days,
                           guint      *n_soon,
                           guint      *n_expired)
{
  guint n_items;

  g_return_if_fail (G_IS_LIST_MODEL (tokens));
  g_return_if_fail (now != NULL && n_soon != NULL && n_expired != NULL);

  *n_soon = *n_expired = 0;
  n_items = g_list_model_get_n_items (tokens);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

      switch (astra_expiry_get_state (astra_token_get_expires (token), now, threshold_days))
        {
        case ASTRA_EXPIRY_SOON:
          (*n_soon)++;
          break;
        case ASTRA_EXPIRY_EXPIRED:
          (*n_expired)++;
          break;
        case ASTRA_EXPIRY_NONE:
        case ASTRA_EXPIRY_OK:
        default:
          break;
        }
    }
}

char *
astra_expiry_describe_count (guint n_soon,
                             guint n_expired,
                             guint threshold_days)
{
  guint total = n_soon + n_expired;
  g_autofree char *days = NULL;

  if (n_soon == 0)
    /* TRANSLATORS: the expiry banner and notification when every token counted expired */
    return g_strdup_printf (ngettext ("%u token has expired", "%u tokens have expired", total),
                            total);

  /* TRANSLATORS: the end of “3 tokens expire within 14 days”, the days of the setting */
  days = g_strdup_printf (ngettext ("%u day", "%u days", threshold_days), threshold_days);
  if (n_expired == 0)
    /* TRANSLATORS: the expiry banner and notification; %s is “14 days” */
    return g_strdup_printf (ngettext ("%u token expires within %s",
                                      "%u tokens expire within %s", total),
                            total, days);

  /* TRANSLATORS: the expiry banner and notification when some tokens counted expired
   * already; %s is “14 days” */
  return g_strdup_printf (ngettext ("%u token expires within %s or has expired",
                                    "%u tokens expire within %s or have expired", total),
                          total, days);
}

guint
astra_expiry_lifetime_days (GDateTime *generated_on,
                            GDateTime *expires)
{
  gint64 lifetime;

  if (generated_on == NULL || expires == NULL)
    return 0;

  lifetime = seconds_left (expires, generated_on);
  if (lifetime <= 0)
    return 0;

  return (guint) ((lifetime + SECONDS_PER_DAY / 2) / SECONDS_PER_DAY);
}

guint
astra_expiry_seconds_to_next_check (GDateTime *now)
{
  g_autoptr(GTimeZone) zone = ref_local_zone ();
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  gint64 span;

  g_return_val_if_fail (now != NULL, 60);

  local = g_date_time_to_timezone (now, zone);
  tomorrow = g_date_time_add_days (local, 1);
  /* 00:01 of the next local day, whatever its length. */
  next = g_date_time_new (zone, g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                          g_date_time_get_day_of_month (tomorrow), 0, 1, 0);
  span = next != NULL ? g_date_time_difference (next, now) / G_USEC_PER_SEC : 0;

  return (guint) CLAMP (span, 60, 26 * SECONDS_PER_HOUR);
}

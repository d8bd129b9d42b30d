/* test-expiry.c: the expiry state and words around every boundary
 *
 * The rules are in src/core/astra-expiry.h. Every case passes its own clock; the DST and
 * calendar cases set the local time zone. The last case uses the real clock and the zone
 * it was started in, so that the dates suite (tests/at-date.sh) runs it at awkward dates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "astra-expiry.h"
#include "astra-token.h"

#define HOUR (G_GINT64_CONSTANT (3600))
#define DAY (24 * HOUR)

static char *started_tz;

static GDateTime *
utc (int year, int month, int day, int hour, int minute)
{
  return g_date_time_new_utc (year, month, day, hour, minute, 0);
}

static GDateTime *
plus (GDateTime *when, gint64 seconds)
{
  return g_date_time_add_seconds (when, (double) seconds);
}

static void
set_local_zone (const char *tz)
{
  g_setenv ("TZ", tz, TRUE);
}

static void
assert_expiry (GDateTime        *now,
               gint64            seconds_from_now,
               guint             threshold_days,
               AstraExpiryState  state,
               const char       *words)
{
  g_autoptr(GDateTime) expires = plus (now, seconds_from_now);
  g_autofree char *described = astra_expiry_describe (expires, now);

  g_assert_cmpint (astra_expiry_get_state (expires, now, threshold_days), ==, state);
  g_assert_cmpstr (described, ==, words);
}

/* 2026-12-04 12:00 UTC, in UTC: the boundaries the issue names, one second either side. */
static void
test_boundaries (void)
{
  g_autoptr(GDateTime) now = utc (2026, 12, 4, 12, 0);

  set_local_zone ("UTC");
  assert_expiry (now, -HOUR, 14, ASTRA_EXPIRY_EXPIRED, "Expired");
  /* 00:00 today is still today; 23:59:59 yesterday is a day ago. */
  assert_expiry (now, -12 * HOUR, 14, ASTRA_EXPIRY_EXPIRED, "Expired");
  assert_expiry (now, -12 * HOUR - 1, 14, ASTRA_EXPIRY_EXPIRED, "Expired 1 day ago");
  assert_expiry (now, -2 * DAY, 14, ASTRA_EXPIRY_EXPIRED, "Expired 2 days ago");
  /* A token stops working at its expiry instant. */
  assert_expiry (now, 0, 14, ASTRA_EXPIRY_EXPIRED, "Expired");
  assert_expiry (now, 1, 14, ASTRA_EXPIRY_SOON, "In 1 minute");
  assert_expiry (now, 59 * 60, 14, ASTRA_EXPIRY_SOON, "In 59 minutes");
  assert_expiry (now, HOUR - 1, 14, ASTRA_EXPIRY_SOON, "In 60 minutes");
  assert_expiry (now, HOUR, 14, ASTRA_EXPIRY_SOON, "In 1 hour");
  assert_expiry (now, 23 * HOUR, 14, ASTRA_EXPIRY_SOON, "In 23 hours");
  assert_expiry (now, DAY - 1, 14, ASTRA_EXPIRY_SOON, "In 23 hours");
  assert_expiry (now, DAY, 14, ASTRA_EXPIRY_SOON, "Tomorrow");
  /* 35:59 from noon is still the next calendar day; 36:00 is the day after. */
  assert_expiry (now, 36 * HOUR - 1, 14, ASTRA_EXPIRY_SOON, "Tomorrow");
  assert_expiry (now, 36 * HOUR, 14, ASTRA_EXPIRY_SOON, "In 2 days");
  assert_expiry (now, 3 * DAY, 14, ASTRA_EXPIRY_SOON, "In 3 days");
  /* Exactly at the limit is soon; one second past it is not. */
  assert_expiry (now, 14 * DAY, 14, ASTRA_EXPIRY_SOON, "In 14 days");
  assert_expiry (now, 14 * DAY + 1, 14, ASTRA_EXPIRY_OK, "In 14 days");
  assert_expiry (now, 15 * DAY, 14, ASTRA_EXPIRY_OK, "In 15 days");
  /* The threshold is the setting's, at both ends of its range. */
  assert_expiry (now, 15 * DAY, 15, ASTRA_EXPIRY_SOON, "In 15 days");
  assert_expiry (now, DAY, 1, ASTRA_EXPIRY_SOON, "Tomorrow");
  assert_expiry (now, DAY + 1, 1, ASTRA_EXPIRY_OK, "Tomorrow");
  assert_expiry (now, 90 * DAY, 90, ASTRA_EXPIRY_SOON, "In 90 days");
  assert_expiry (now, 90 * DAY + 1, 90, ASTRA_EXPIRY_OK, "In 90 days");
}

static void
test_never (void)
{
  g_autoptr(GDateTime) now = utc (2026, 12, 4, 12, 0);
  g_autofree char *described = astra_expiry_describe (NULL, now);

  g_assert_cmpint (astra_expiry_get_state (NULL, now, 14), ==, ASTRA_EXPIRY_NONE);
  g_assert_cmpstr (described, ==, "Never");
  g_assert_false (astra_expiry_state_needs_attention (ASTRA_EXPIRY_NONE));
  g_assert_false (astra_expiry_state_needs_attention (ASTRA_EXPIRY_OK));
  g_assert_true (astra_expiry_state_needs_attention (ASTRA_EXPIRY_SOON));
  g_assert_true (astra_expiry_state_needs_attention (ASTRA_EXPIRY_EXPIRED));
}

/* Berlin, the nights clocks change: "soon" counts real hours (a 25-hour night is more
 * than a day), the words count calendar days (it is still "Tomorrow"). */
static void
test_dst (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) before_end = g_date_time_new (berlin, 2026, 10, 25, 0, 30, 0);
  g_autoptr(GDateTime) after_end = g_date_time_new (berlin, 2026, 10, 26, 0, 30, 0);
  g_autoptr(GDateTime) before_start = g_date_time_new (berlin, 2027, 3, 28, 0, 30, 0);
  g_autoptr(GDateTime) after_start = g_date_time_new (berlin, 2027, 3, 29, 0, 30, 0);
  g_autofree char *long_night = NULL;
  g_autofree char *short_night = NULL;

  g_assert_nonnull (berlin);
  set_local_zone ("Europe/Berlin");

  g_assert_cmpint (g_date_time_difference (after_end, before_end), ==, 25 * HOUR * G_USEC_PER_SEC);
  g_assert_cmpint (astra_expiry_get_state (after_end, before_end, 1), ==, ASTRA_EXPIRY_OK);
  long_night = astra_expiry_describe (after_end, before_end);
  g_assert_cmpstr (long_night, ==, "Tomorrow");

  g_assert_cmpint (g_date_time_difference (after_start, before_start), ==, 23 * HOUR * G_USEC_PER_SEC);
  g_assert_cmpint (astra_expiry_get_state (after_start, before_start, 1), ==, ASTRA_EXPIRY_SOON);
  short_night = astra_expiry_describe (after_start, before_start);
  g_assert_cmpstr (short_night, ==, "In 23 hours");
}

/* Month and year ends, and 29 February, on the local calendar. */
static void
test_calendar_ends (void)
{
  g_autoptr(GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) new_year_eve = g_date_time_new (new_york, 2026, 12, 31, 23, 0, 0);
  g_autoptr(GDateTime) leap_day = utc (2028, 2, 28, 12, 0);
  g_autoptr(GDateTime) month_end = utc (2027, 1, 31, 12, 0);

  set_local_zone ("America/New_York");
  /* 24.5 hours on, 1 January: tomorrow; 25 hours on, 2 January: in 2 days. */
  assert_expiry (new_year_eve, 24 * HOUR + 30 * 60, 14, ASTRA_EXPIRY_SOON, "Tomorrow");
  assert_expiry (new_year_eve, 25 * HOUR, 14, ASTRA_EXPIRY_SOON, "In 2 days");
  /* Expired on 31 December, seen on 1 January: a day ago. */
  assert_expiry (new_year_eve, -30 * 60, 14, ASTRA_EXPIRY_EXPIRED, "Expired");
  {
    g_autoptr(GDateTime) next_morning = g_date_time_new (new_york, 2027, 1, 1, 9, 0, 0);

    assert_expiry (next_morning, -10 * HOUR - 30 * 60, 14, ASTRA_EXPIRY_EXPIRED,
                   "Expired 1 day ago");
  }

  set_local_zone ("UTC");
  /* 28 Feb 2028 + 2 days is 1 March, across 29 February. */
  assert_expiry (leap_day, 2 * DAY, 14, ASTRA_EXPIRY_SOON, "In 2 days");
  /* 31 January + 30 days is 2 March 2027: 30 calendar days, not "a month". */
  assert_expiry (month_end, 30 * DAY, 14, ASTRA_EXPIRY_OK, "In 30 days");
  assert_expiry (month_end, 30 * DAY, 30, ASTRA_EXPIRY_SOON, "In 30 days");
}

/* Rotate offers the same lifetime again: from generated-on to expiry, to the nearest day. */
static void
test_lifetime (void)
{
  g_autoptr(GDateTime) generated = utc (2026, 11, 4, 10, 0);
  g_autoptr(GDateTime) midnight_30 = utc (2026, 12, 4, 0, 0);
  g_autoptr(GDateTime) exactly_90 = plus (generated, 90 * DAY);
  g_autoptr(GDateTime) half_day = plus (generated, 12 * HOUR);
  g_autoptr(GDateTime) before = plus (generated, -DAY);

  g_assert_cmpuint (astra_expiry_lifetime_days (generated, midnight_30), ==, 30);
  g_assert_cmpuint (astra_expiry_lifetime_days (generated, exactly_90), ==, 90);
  g_assert_cmpuint (astra_expiry_lifetime_days (generated, half_day), ==, 1);
  g_assert_cmpuint (astra_expiry_lifetime_days (generated, before), ==, 0);
  g_assert_cmpuint (astra_expiry_lifetime_days (NULL, midnight_30), ==, 0);
  g_assert_cmpuint (astra_expiry_lifetime_days (generated, NULL), ==, 0);
}

static AstraToken *
new_token (const char *client_id,
           GDateTime  *expires)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  AstraToken *token;

  json_object_set_string_member (object, "clientId", client_id);
  if (expires != NULL)
    {
      g_autofree char *iso = g_date_time_format_iso8601 (expires);

      json_object_set_string_member (object, "tokenExpiry", iso);
    }
  token = astra_token_new_from_json (object, &error);
  g_assert_no_error (error);

  return token;
}

/* What the banner, the sidebar and the notification count: soon and expired tokens. */
static void
test_count (void)
{
  g_autoptr(GDateTime) now = utc (2026, 12, 4, 12, 0);
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_TOKEN);
  gint64 offsets[] = { -HOUR, 23 * HOUR, 14 * DAY, 14 * DAY + 1, 15 * DAY, 3 * DAY };
  gpointer soonest = NULL;

  set_local_zone ("UTC");
  g_assert_cmpuint (astra_expiry_count_attention (G_LIST_MODEL (tokens), now, 14, &soonest), ==, 0);
  g_assert_null (soonest);

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autoptr(GDateTime) expires = plus (now, offsets[i]);
      g_autofree char *client_id = g_strdup_printf ("client%u", i);
      g_autoptr(AstraToken) token = new_token (client_id, expires);

      g_list_store_append (tokens, token);
    }
  {
    g_autoptr(AstraToken) never = new_token ("Never", NULL);

    g_list_store_append (tokens, never);
  }

  g_assert_cmpuint (astra_expiry_count_attention (G_LIST_MODEL (tokens), now, 14, &soonest), ==, 4);
  g_assert_cmpstr (astra_token_get_client_id (soonest), ==, "client0");
  g_assert_cmpuint (astra_expiry_count_attention (G_LIST_MODEL (tokens), now, 1, &soonest), ==, 2);
  g_assert_cmpuint (astra_expiry_count_attention (G_LIST_MODEL (tokens), now, 90, NULL), ==, 6);
  {
    guint n_soon, n_expired;

    astra_expiry_count_states (G_LIST_MODEL (tokens), now, 14, &n_soon, &n_expired);
    g_assert_cmpuint (n_soon, ==, 3);
    g_assert_cmpuint (n_expired, ==, 1);
  }
}

/* What the banner and the notification say. */
static void
test_describe_count (void)
{
  struct { guint soon, expired, days; const char *text; } cases[] = {
    { 3, 0, 14, "3 tokens expire within 14 days" },
    { 1, 0, 1, "1 token expires within 1 day" },
    { 0, 1, 14, "1 token has expired" },
    { 0, 2, 14, "2 tokens have expired" },
    { 3, 1, 14, "4 tokens expire within 14 days or have expired" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = astra_expiry_describe_count (cases[i].soon, cases[i].expired, cases[i].days);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* The daily check: a minute past the next local midnight, also across DST nights. */
static void
test_next_check (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) noon = g_date_time_new (berlin, 2026, 12, 4, 12, 0, 0);
  g_autoptr(GDateTime) late = g_date_time_new (berlin, 2026, 12, 4, 23, 59, 30);
  g_autoptr(GDateTime) after = g_date_time_new (berlin, 2026, 12, 5, 0, 1, 0);
  g_autoptr(GDateTime) before_end = g_date_time_new (berlin, 2026, 10, 24, 12, 0, 0);
  g_autoptr(GDateTime) before_start = g_date_time_new (berlin, 2027, 3, 27, 12, 0, 0);

  set_local_zone ("Europe/Berlin");
  g_assert_cmpuint (astra_expiry_seconds_to_next_check (noon), ==, 12 * HOUR + 60);
  /* Never sooner than a minute: no busy loop just before midnight. */
  g_assert_cmpuint (astra_expiry_seconds_to_next_check (late), ==, 90);
  g_assert_cmpuint (astra_expiry_seconds_to_next_check (after), ==, DAY);
  /* Noon to 00:01 is 12 h 1 min of wall clock either side of a DST night, the next day
   * is 23 or 25 hours long. */
  g_assert_cmpuint (astra_expiry_seconds_to_next_check (before_end), ==, 12 * HOUR + 60);
  g_assert_cmpuint (astra_expiry_seconds_to_next_check (before_start), ==, 12 * HOUR + 60);
  {
    g_autoptr(GDateTime) night_end = g_date_time_new (berlin, 2026, 10, 25, 0, 1, 0);
    g_autoptr(GDateTime) night_start = g_date_time_new (berlin, 2027, 3, 28, 0, 1, 0);

    g_assert_cmpuint (astra_expiry_seconds_to_next_check (night_end), ==, 25 * HOUR);
    g_assert_cmpuint (astra_expiry_seconds_to_next_check (night_start), ==, 23 * HOUR);
  }
}

/* The real clock, in the zone the test started in (suite dates fakes both): the rules
 * hold whatever today is. */
static void
test_real_clock (void)
{
  g_autoptr(GDateTime) now = NULL;

  if (started_tz != NULL)
    set_local_zone (started_tz);
  else
    g_unsetenv ("TZ");
  now = g_date_time_new_now_local ();

  assert_expiry (now, -HOUR / 2 + 0, 14, ASTRA_EXPIRY_EXPIRED,
                 g_date_time_get_hour (now) == 0 && g_date_time_get_minute (now) < 30
                 ? "Expired 1 day ago" : "Expired");
  assert_expiry (now, 23 * HOUR, 14, ASTRA_EXPIRY_SOON, "In 23 hours");
  {
    g_autoptr(GDateTime) limit = plus (now, 14 * DAY);
    g_autoptr(GDateTime) past_limit = plus (now, 14 * DAY + 1);

    g_assert_cmpint (astra_expiry_get_state (limit, now, 14), ==, ASTRA_EXPIRY_SOON);
    g_assert_cmpint (astra_expiry_get_state (past_limit, now, 14), ==, ASTRA_EXPIRY_OK);
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  started_tz = g_strdup (g_getenv ("TZ"));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/expiry/boundaries", test_boundaries);
  g_test_add_func ("/expiry/never", test_never);
  g_test_add_func ("/expiry/dst", test_dst);
  g_test_add_func ("/expiry/calendar-ends", test_calendar_ends);
  g_test_add_func ("/expiry/lifetime", test_lifetime);
  g_test_add_func ("/expiry/count", test_count);
  g_test_add_func ("/expiry/describe-count", test_describe_count);
  g_test_add_func ("/expiry/next-check", test_next_check);
  g_test_add_func ("/expiry/real-clock", test_real_clock);

  return g_test_run ();
}

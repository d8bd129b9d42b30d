/* test-display-text.c: server text bounded before it is laid out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-display-text.h"

#define FSI "\xe2\x81\xa8"
#define PDI "\xe2\x81\xa9"
#define RLO "\xe2\x80\xae"

static void
test_plain (void)
{
  g_autofree char *shown = astra_display_text_new ("CI pipeline", 200, ASTRA_DISPLAY_TEXT_FIRST_LINE);

  g_assert_cmpstr (shown, ==, "CI pipeline");
  g_assert_true (astra_display_text_is_plain ("CI pipeline", 200, ASTRA_DISPLAY_TEXT_FIRST_LINE));
  g_assert_true (astra_display_text_is_plain (NULL, 200, ASTRA_DISPLAY_TEXT_DEFAULT));
  g_free (shown);
  shown = astra_display_text_new (NULL, 200, ASTRA_DISPLAY_TEXT_DEFAULT);
  g_assert_cmpstr (shown, ==, "");
  /* Other scripts are not bidi controls. */
  g_assert_true (astra_display_text_is_plain ("Überblick — 東京 ✓", 200, ASTRA_DISPLAY_TEXT_DEFAULT));
}

/* 10,000 characters without a space are cut to the limit, in characters, not bytes. */
static void
test_long (void)
{
  g_autoptr(GString) word = g_string_new (NULL);
  g_autofree char *shown = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append (word, i % 2 ? "é" : "x");
  g_assert_false (astra_display_text_is_plain (word->str, 200, ASTRA_DISPLAY_TEXT_DEFAULT));
  shown = astra_display_text_new (word->str, 200, ASTRA_DISPLAY_TEXT_FIRST_LINE);
  g_assert_cmpint (g_utf8_strlen (shown, -1), ==, 201);
  g_assert_true (g_str_has_suffix (shown, "…"));
  g_assert_true (g_str_has_prefix (shown, "xéxé"));

  /* Text that wraps gets a break opportunity (U+200B) every 24 characters of a word. */
  g_free (shown);
  shown = astra_display_text_new (word->str, 200, ASTRA_DISPLAY_TEXT_DEFAULT);
  g_assert_true (g_str_has_suffix (shown, "…"));
  g_assert_cmpint (g_utf8_strlen (shown, -1), ==, 201 + 200 / 24);
  g_assert_true (g_str_has_prefix (shown, "xéxéxéxéxéxéxéxéxéxéxéxé\xe2\x80\x8b"));

  /* Exactly at the limit: whole. */
  g_free (shown);
  shown = astra_display_text_new ("abcde", 5, ASTRA_DISPLAY_TEXT_DEFAULT);
  g_assert_cmpstr (shown, ==, "abcde");
}

static void
test_first_line (void)
{
  g_autofree char *shown = astra_display_text_new ("first\nsecond", 200, ASTRA_DISPLAY_TEXT_FIRST_LINE);
  g_autofree char *body = astra_display_text_new ("first\nsecond", 200, ASTRA_DISPLAY_TEXT_DEFAULT);
  g_autofree char *trailing = astra_display_text_new ("only\n\n  \n", 200, ASTRA_DISPLAY_TEXT_FIRST_LINE);

  g_assert_cmpstr (shown, ==, "first…");
  g_assert_cmpstr (body, ==, "first\nsecond");
  g_assert_cmpstr (trailing, ==, "only");
  g_assert_false (astra_display_text_is_plain ("a\r\nb", 200, ASTRA_DISPLAY_TEXT_FIRST_LINE));
  g_assert_true (astra_display_text_is_plain ("a\nb", 200, ASTRA_DISPLAY_TEXT_DEFAULT));
}

/* A right-to-left override cannot reorder what stands around the text. */
static void
test_bidi (void)
{
  const char *text = "invoice" RLO "fdp.exe";
  g_autofree char *shown = astra_display_text_new (text, 200, ASTRA_DISPLAY_TEXT_FIRST_LINE);

  g_assert_false (astra_display_text_is_plain (text, 200, ASTRA_DISPLAY_TEXT_FIRST_LINE));
  g_assert_cmpstr (shown, ==, FSI "invoice" RLO "fdp.exe" PDI);
}

static void
test_invalid_utf8 (void)
{
  const char *text = "caf\xe9 ok";
  g_autofree char *shown = astra_display_text_new (text, 200, ASTRA_DISPLAY_TEXT_DEFAULT);

  g_assert_false (astra_display_text_is_plain (text, 200, ASTRA_DISPLAY_TEXT_DEFAULT));
  g_assert_true (g_utf8_validate (shown, -1, NULL));
  g_assert_nonnull (strstr (shown, " ok"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/display-text/plain", test_plain);
  g_test_add_func ("/display-text/long", test_long);
  g_test_add_func ("/display-text/first-line", test_first_line);
  g_test_add_func ("/display-text/bidi", test_bidi);
  g_test_add_func ("/display-text/invalid-utf8", test_invalid_utf8);

  return g_test_run ();
}

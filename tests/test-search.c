/* test-search.c: what the token list's search field matches (astra-search.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-search.h"

static gboolean
contains (const char *haystack,
          const char *needle)
{
  g_autofree char *folded = astra_search_fold (needle);

  return astra_search_contains (haystack, folded);
}

/* ASCII text, compared in place: any case, anywhere, nothing more. */
static void
test_ascii (void)
{
  g_assert_true (contains ("Database Administrator", "databa"));
  g_assert_true (contains ("Database Administrator", "ADMIN"));
  g_assert_true (contains ("Database Administrator", "e A"));
  g_assert_true (contains ("Database Administrator", "Database Administrator"));
  g_assert_false (contains ("Database Administrator", "Database Administrators"));
  g_assert_false (contains ("Database Administrator", "databse"));
  g_assert_true (contains ("aab", "ab"));          /* a restart after a partial match */
  g_assert_true (contains ("anything", ""));
  g_assert_true (contains (NULL, ""));
  g_assert_false (contains (NULL, "a"));
  g_assert_false (contains ("", "a"));
}

/* Other text is folded as GtkStringFilter's ignore-case match does it. */
static void
test_unicode (void)
{
  g_assert_true (contains ("Größe der Datenbank", "GRÖSSE"));
  g_assert_true (contains ("Zugriff für Köln", "köln"));
  g_assert_true (contains ("ＡＢＣ token", "abc"));    /* compatibility forms */
  g_assert_true (contains ("Strasse", "straße"));    /* folded needle is ASCII */
  g_assert_false (contains ("Strase", "straße"));
  g_assert_false (contains ("plain ascii", "ö"));
  g_assert_true (contains ("e\xcc\x81t\xc3\xa9", "\xc3\xa9t\xc3\xa9"));  /* é as e + accent */
}

/* The text columns' order: case ignored, NULL as "", other text collated. */
static void
test_compare (void)
{
  g_assert_cmpint (astra_search_compare ("abc", "ABD"), <, 0);
  g_assert_cmpint (astra_search_compare ("ABD", "abc"), >, 0);
  g_assert_cmpint (astra_search_compare ("Admin User", "admin user"), ==, 0);
  g_assert_cmpint (astra_search_compare ("RO User", "R/W User"), >, 0);   /* '/' < 'O' */
  g_assert_cmpint (astra_search_compare ("Bulk token 10", "Bulk token 9"), <, 0);
  g_assert_cmpint (astra_search_compare (NULL, ""), ==, 0);
  g_assert_cmpint (astra_search_compare (NULL, "a"), <, 0);
  g_assert_cmpint (astra_search_compare ("Öl", "öl"), ==, 0);
  g_assert_cmpint (astra_search_compare ("Öl", "Zebra"), !=, 0);
}

/* A search of several words: each word, white space of any kind and amount between. */
static void
test_terms (void)
{
  g_auto(GStrv) none = astra_search_terms ("");
  g_auto(GStrv) blank = astra_search_terms (" \t \n");
  g_auto(GStrv) two = astra_search_terms ("  admin\tci  ");
  g_auto(GStrv) one = astra_search_terms ("r/w");
  const char * const expected_two[] = { "admin", "ci", NULL };
  const char * const expected_one[] = { "r/w", NULL };

  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_cmpuint (g_strv_length (blank), ==, 0);
  g_assert_true (g_strv_equal ((const char * const *) two, expected_two));
  g_assert_true (g_strv_equal ((const char * const *) one, expected_one));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/ascii", test_ascii);
  g_test_add_func ("/search/unicode", test_unicode);
  g_test_add_func ("/search/compare", test_compare);
  g_test_add_func ("/search/terms", test_terms);

  return g_test_run ();
}

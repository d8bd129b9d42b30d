/* astra-search.c: what the search field matches, without an allocation per item
 *
 * The token list filters 10,000 tokens on every keystroke. GtkStringFilter normalizes and
 * case-folds each item's string, through a property expression and a copy, for every
 * filter and every keystroke: ~100 ms for three columns. Client ids, descriptions and
 * role names are nearly always ASCII, and folding ASCII is lowering it: such text is
 * compared in place, byte by byte. Other text is folded as GtkStringFilter does it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-search.h"

char *
astra_search_fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : "", -1);
}

char **
astra_search_terms (const char *folded)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = g_strsplit_set (folded != NULL ? folded : "", " \t\n\r\f\v", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_strv_builder_add (builder, words[i]);

  return g_strv_builder_end (builder);
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;

  return TRUE;
}

/* @needle is ASCII and lower case (folded). */
static gboolean
ascii_contains (const char *haystack,
                const char *needle,
                gsize       needle_len)
{
  for (const char *h = haystack; *h != '\0'; h++)
    {
      gsize i = 0;

      while (i < needle_len && h[i] != '\0' && g_ascii_tolower (h[i]) == needle[i])
        i++;
      if (i == needle_len)
        return TRUE;
      if (h[i] == '\0')
        return FALSE;
    }

  return needle_len == 0;
}

gboolean
astra_search_contains (const char *haystack,
                       const char *folded_needle)
{
  g_autofree char *folded = NULL;
  gboolean needle_ascii;

  g_return_val_if_fail (folded_needle != NULL, FALSE);

  if (folded_needle[0] == '\0')
    return TRUE;
  if (haystack == NULL)
    return FALSE;

  needle_ascii = is_ascii (folded_needle);
  if (is_ascii (haystack))
    /* Folding ASCII gives ASCII: a needle that is not cannot be in it. */
    return needle_ascii && ascii_contains (haystack, folded_needle, strlen (folded_needle));

  folded = astra_search_fold (haystack);
  return strstr (folded, folded_needle) != NULL;
}

/* GtkStringSorter evaluates a property expression, copies, case-folds and makes a collation
 * key of every token's string for every sort: sorting 10,000 tokens by Client ID took
 * 500 ms from the header click to the list painted (build-aux/bench, sort_10000_ms). */
int
astra_search_compare (const char *a,
                      const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  a = a != NULL ? a : "";
  b = b != NULL ? b : "";
  if (is_ascii (a) && is_ascii (b))
    return g_ascii_strcasecmp (a, b);

  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  return g_utf8_collate (fa, fb);
}

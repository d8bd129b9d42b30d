/* astra-search.h: what the search field matches and how the text columns sort, fast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns: (transfer full): @text as astra_search_contains() wants it: normalized
 * (G_NORMALIZE_ALL) and case-folded, as GtkStringFilter's ignore-case matching does. */
char     *astra_search_fold     (const char *text);

/* Returns: (transfer full): the words of @folded (from astra_search_fold()), split at
 * white space, without empty ones: a search for several words finds what contains each of
 * them, in any order ("admin ci" finds "CI pipeline" with the role "Organization
 * Administrator", as GNOME Shell's search does). */
char    **astra_search_terms    (const char *folded);

/* Whether @haystack (nullable) contains @folded_needle (from astra_search_fold()), case
 * and compatibility forms ignored. ASCII text, nearly every token's, is compared in place;
 * other text is folded first. */
gboolean  astra_search_contains (const char *haystack,
                                 const char *folded_needle);

/* The order of the token list's text columns: case ignored, strcmp()-like result. ASCII
 * text (nearly all of it) in place, byte by byte as C.UTF-8 collates it; other text by
 * g_utf8_collate() of its case-folded form, as GtkStringSorter does. NULL sorts as "". */
int       astra_search_compare  (const char *a,
                                 const char *b);

G_END_DECLS

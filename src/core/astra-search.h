/* astra-search.h: what the search field matches, without an allocation per item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns: (transfer full): @text as astra_search_contains() wants it: normalized
 * (G_NORMALIZE_ALL) and case-folded, as GtkStringFilter's ignore-case matching does. */
char     *astra_search_fold     (const char *text);

/* Whether @haystack (nullable) contains @folded_needle (from astra_search_fold()), case
 * and compatibility forms ignored. ASCII text, nearly every token's, is compared in place;
 * other text is folded first. */
gboolean  astra_search_contains (const char *haystack,
                                 const char *folded_needle);

G_END_DECLS

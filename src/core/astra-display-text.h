/* astra-display-text.h: text from a server, a file or the keyring, made safe to lay out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ASTRA_DISPLAY_TEXT_DEFAULT    = 0,
  /* A single line (a table cell): the first line, with "…" when more follow. */
  ASTRA_DISPLAY_TEXT_FIRST_LINE = 1 << 0,
} AstraDisplayTextFlags;

/* The longest text a table cell or a title is given to lay out, and a body of text (a
 * description in Details). Pango lays out a 10,000-character word for seconds. */
#define ASTRA_DISPLAY_TEXT_LINE_CHARS 200
#define ASTRA_DISPLAY_TEXT_BODY_CHARS 500

/* Whether @text can be shown as it is: valid UTF-8, at most @max_chars bytes, no line
 * break (with FIRST_LINE) and no bidirectional control character. Cheap: for the
 * common case, which then needs no copy. */
gboolean  astra_display_text_is_plain (const char            *text,
                                       guint                  max_chars,
                                       AstraDisplayTextFlags  flags);

/* @text as it may be shown: invalid bytes replaced, cut at @max_chars characters (or the
 * first line) with "…", long words given a place to wrap (U+200B, unless FIRST_LINE),
 * and isolated (U+2068 … U+2069) when it holds bidirectional
 * controls, so that a U+202E cannot reorder what stands around it. NULL gives "".
 * The full text stays in the model, for copying. (transfer full) */
char     *astra_display_text_new      (const char            *text,
                                       guint                  max_chars,
                                       AstraDisplayTextFlags  flags);

G_END_DECLS

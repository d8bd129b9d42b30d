/* astra-display-text.c: text from a server, a file or the keyring, made safe to lay out
 *
 * Whatever the API sends ends up in a label: it must not cost more than a frame to lay
 * out (a description of 10,000 characters without a space took Pango minutes in a
 * wrapping label), break the layout (a second line in a one-line cell), or disguise itself
 * (a right-to-left override turning "exe.gpj" around). The model keeps the text as it came;
 * only what is shown is bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-display-text"

#include "config.h"

#include <string.h>

#include "astra-display-text.h"

#define ELLIPSIS "\xe2\x80\xa6"             /* U+2026 */
#define FIRST_STRONG_ISOLATE "\xe2\x81\xa8" /* U+2068 */
#define POP_DIRECTIONAL_ISOLATE "\xe2\x81\xa9" /* U+2069 */
#define ZERO_WIDTH_SPACE "\xe2\x80\x8b"       /* U+200B */

/* The longest run without a break opportunity in a text that wraps. */
#define WORD_RUN_CHARS 24

/* U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069: the characters that change the order in
 * which text around them is shown. */
static gboolean
is_bidi_control (gunichar c)
{
  return c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

gboolean
astra_display_text_is_plain (const char            *text,
                             guint                  max_chars,
                             AstraDisplayTextFlags  flags)
{
  const char *end = NULL;
  gsize length;

  if (text == NULL)
    return TRUE;

  length = strlen (text);
  if (length > max_chars || !g_utf8_validate (text, length, &end))
    return FALSE;
  if ((flags & ASTRA_DISPLAY_TEXT_FIRST_LINE) && strpbrk (text, "\n\r") != NULL)
    return FALSE;

  /* Bidirectional controls are all in U+061C and U+2xxx: only their lead bytes need a look. */
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p == 0xD8 || (guchar) *p == 0xE2)
      {
        for (const char *q = p; *q != '\0'; q = g_utf8_next_char (q))
          if (is_bidi_control (g_utf8_get_char (q)))
            return FALSE;
        break;
      }

  return TRUE;
}

char *
astra_display_text_new (const char            *text,
                        guint                  max_chars,
                        AstraDisplayTextFlags  flags)
{
  g_autofree char *valid = NULL;
  GString *shown;
  gboolean cut = FALSE;
  gboolean isolate = FALSE;
  const char *p;
  guint n = 0;
  guint run = 0;

  if (text == NULL)
    return g_strdup ("");

  /* Only as much as can be shown is looked at: at most four bytes a character, so the
   * prefix holds more than @max_chars characters whenever the text does. */
  valid = g_utf8_make_valid (text, MIN (strlen (text), (gsize) max_chars * 4 + 4));
  shown = g_string_new (NULL);

  for (p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Pango wraps a word longer than a line character by character, in a time that
       * grows with the square of its length: give long words a place to break. */
      if (!(flags & ASTRA_DISPLAY_TEXT_FIRST_LINE))
        {
          run = g_unichar_isspace (c) ? 0 : run + 1;
          if (run > WORD_RUN_CHARS)
            {
              g_string_append (shown, ZERO_WIDTH_SPACE);
              run = 1;
            }
        }

      if ((flags & ASTRA_DISPLAY_TEXT_FIRST_LINE) && (c == '\n' || c == '\r'))
        {
          /* Only blank lines after it: nothing is hidden. */
          cut = strspn (p, " \t\r\n") != strlen (p);
          break;
        }
      if (n == max_chars)
        {
          cut = TRUE;
          break;
        }
      if (is_bidi_control (c))
        isolate = TRUE;
      g_string_append_unichar (shown, c);
      n++;
    }
  if (cut)
    g_string_append (shown, ELLIPSIS);
  if (isolate)
    {
      g_string_prepend (shown, FIRST_STRONG_ISOLATE);
      g_string_append (shown, POP_DIRECTIONAL_ISOLATE);
    }

  return g_string_free (shown, FALSE);
}

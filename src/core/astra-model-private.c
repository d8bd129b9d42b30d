/* astra-model-private.c: helpers shared by the model parsers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-client.h"
#include "astra-json.h"
#include "astra-model-private.h"

/* GLib parses at most a few dozen fraction digits; the API sends up to nine. Longer
 * fractions carry no information we could show, so they are cut rather than refused. */
#define MAX_FRACTION_DIGITS 9

static gboolean
read_digits (const char *text,
             guint       count,
             int        *value)
{
  *value = 0;
  for (guint i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      *value = *value * 10 + (text[i] - '0');
    }
  return TRUE;
}

/* The shape the API always sends, "2025-06-17T02:26:29.846Z", read without the copy and
 * the general ISO-8601 parser: listing 10,000 tokens parses 13,000 timestamps. The seconds
 * are computed as g_date_time_new_from_iso8601() does (integer digits / power of ten), so
 * both paths give the same GDateTime. Anything else returns FALSE for the general path. */
static gboolean
parse_timestamp_fast (const char  *text,
                      GDateTime  **result)
{
  int year, month, day, hour, minute, second;
  guint64 fraction = 0, divisor = 1;
  const char *p = text + 19;
  g_autoptr(GTimeZone) utc = NULL;

  if (!read_digits (text, 4, &year) || text[4] != '-' ||
      !read_digits (text + 5, 2, &month) || text[7] != '-' ||
      !read_digits (text + 8, 2, &day) || text[10] != 'T' ||
      !read_digits (text + 11, 2, &hour) || text[13] != ':' ||
      !read_digits (text + 14, 2, &minute) || text[16] != ':' ||
      !read_digits (text + 17, 2, &second))
    return FALSE;

  if (*p == '.')
    {
      guint digits = 0;

      for (p++; g_ascii_isdigit (*p); p++, digits++)
        {
          if (digits < MAX_FRACTION_DIGITS)
            {
              fraction = fraction * 10 + (guint64) (*p - '0');
              divisor *= 10;
            }
        }
      if (digits == 0)
        return FALSE;
    }
  if (p[0] != 'Z' || p[1] != '\0')
    return FALSE;

  utc = g_time_zone_new_utc ();
  *result = g_date_time_new (utc, year, month, day, hour, minute,
                             (gdouble) (second * divisor + fraction) / divisor);
  return TRUE;
}

GDateTime *
astra_model_parse_timestamp (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GString) normalized = NULL;
  const char *dot;

  GDateTime *fast = NULL;

  if (text == NULL || *text == '\0' || strlen (text) > 64)
    return NULL;

  if (parse_timestamp_fast (text, &fast))
    return fast;

  normalized = g_string_new (text);
  dot = strchr (text, '.');
  if (dot != NULL)
    {
      gsize start = dot - text + 1;
      gsize end = start;

      while (g_ascii_isdigit (text[end]))
        end++;
      if (end - start > MAX_FRACTION_DIGITS)
        g_string_erase (normalized, start + MAX_FRACTION_DIGITS,
                        end - start - MAX_FRACTION_DIGITS);
    }

  utc = g_time_zone_new_utc ();
  return g_date_time_new_from_iso8601 (normalized->str, utc);
}

const char *
astra_model_require_string (JsonObject  *object,
                            const char  *name,
                            const char  *what,
                            GError     **error)
{
  JsonNode *node = astra_json_object_get_member (object, name);
  const char *value = astra_json_object_get_string (object, name);

  if (value != NULL && *value != '\0')
    return value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    g_set_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                 /* Translators: the first %s is a thing such as "a token", the second a
                  * JSON field name such as "clientId" */
                 _("The server sent %s without the required field “%s”."), what, name);
  else if (value != NULL)
    g_set_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                 _("The server sent %s with an empty “%s”."), what, name);
  else
    g_set_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                 _("The server sent %s whose “%s” is not a text value."), what, name);
  return NULL;
}

const char *
astra_model_optional_string (JsonObject *object,
                             const char *name)
{
  const char *value = astra_json_object_get_string (object, name);

  return value != NULL ? value : "";
}

char **
astra_model_optional_strv (JsonObject *object,
                           const char *name)
{
  char **strv = astra_json_object_dup_strv (object, name, FALSE);

  return strv != NULL ? strv : g_new0 (char *, 1);
}

char **
astra_model_strv_copy (const char * const *strv)
{
  if (strv == NULL)
    return g_new0 (char *, 1);

  return g_strdupv ((char **) strv);
}

gboolean
astra_model_strv_equal (const char * const *a,
                        const char * const *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || *a == NULL) && (b == NULL || *b == NULL);

  return g_strv_equal (a, b);
}

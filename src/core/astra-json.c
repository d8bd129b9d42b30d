/* astra-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-json"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "astra-json.h"

G_DEFINE_QUARK (astra-json-error-quark, astra_json_error)

gboolean
astra_json_check_depth (const char *data,
                        gsize       length,
                        guint       max_depth)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

static gboolean
read_hex4 (const char *data,
           gsize       length,
           gsize       start,
           guint      *value)
{
  *value = 0;
  if (start + 4 > length)
    return FALSE;

  for (gsize i = start; i < start + 4; i++)
    {
      int digit = g_ascii_xdigit_value (data[i]);

      if (digit < 0)
        return FALSE;
      *value = (*value << 4) | (guint) digit;
    }

  return TRUE;
}

/* json-glib 1.6 turns a lone UTF-16 surrogate escape ("\ud800") or an octal escape ("\615")
 * into bytes that are not UTF-8, which later trip Pango (labels) and GVariant (D-Bus,
 * keyring attributes), and it leaks memory on some malformed \u escapes. All are refused
 * before parsing: only JSON's own escapes, every \u with four hex digits, and surrogates
 * in high-low pairs. */
static gboolean
has_valid_unicode_escapes (const char *data,
                           gsize       length)
{
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      guint unit;
      guint low;

      if (!in_string)
        {
          in_string = data[i] == '"';
          continue;
        }

      if (data[i] == '"')
        {
          in_string = FALSE;
          continue;
        }

      if (data[i] != '\\' || i + 1 >= length)
        continue;

      if (data[i + 1] != 'u')
        {
          /* Only JSON's escapes: json-glib's scanner also takes GScanner's octal ones
           * ("\\615"), which make any byte, UTF-8 or not. */
          if (strchr ("\"\\/bfnrt", data[i + 1]) == NULL || data[i + 1] == '\0')
            return FALSE;
          i++;  /* skip the escaped character, which may be a quote */
          continue;
        }

      /* a backslash at i, 'u' at i + 1, four hex digits from i + 2 */
      if (!read_hex4 (data, length, i + 2, &unit) || (unit >= 0xDC00 && unit <= 0xDFFF))
        return FALSE;
      i += 5;

      if (unit >= 0xD800 && unit <= 0xDBFF)
        {
          /* a low surrogate escape must follow at once: a backslash at i + 1, 'u' at i + 2 */
          if (i + 2 >= length || data[i + 1] != '\\' || data[i + 2] != 'u' ||
              !read_hex4 (data, length, i + 3, &low) || low < 0xDC00 || low > 0xDFFF)
            return FALSE;
          i += 6;
        }
    }

  return TRUE;
}

/* json-glib 1.6 parses a second top-level value ("[1] [2]", "\"a\"{}") before it reports the
 * error, and leaks it. A body holds one value: anything but white space after the first one
 * is refused before parsing. */
static gboolean
has_trailing_data (const char *data,
                   gsize       length)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  gboolean in_scalar = FALSE;
  gboolean done = FALSE;
  guint depth = 0;
  gsize i = 0;

  while (i < length && g_ascii_isspace (data[i]))
    i++;
  /* json-glib skips a UTF-8 byte order mark, and so must we. */
  if (length - i >= 3 && memcmp (data + i, "\xEF\xBB\xBF", 3) == 0)
    i += 3;
  while (i < length && g_ascii_isspace (data[i]))
    i++;

  /* Find the end of the first value. */
  for (; i < length && !done; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            {
              in_string = FALSE;
              done = depth == 0;
            }
          continue;
        }

      if (depth == 0 && in_scalar &&
          (g_ascii_isspace (c) || c == '"' || c == '[' || c == '{' || c == ']' || c == '}'))
        break;

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        depth++;
      else if (c == ']' || c == '}')
        {
          if (depth == 0)
            return FALSE;  /* a stray bracket: json-glib reports it */
          done = --depth == 0;
        }
      else if (depth == 0)
        in_scalar = TRUE;
    }

  for (; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return TRUE;

  return FALSE;
}

static gboolean
is_blank (const char *data,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

static const char *
describe_syntax_error (const GError *error)
{
  if (error->domain != JSON_PARSER_ERROR)
    return _("a syntax error");

  switch ((JsonParserError) error->code)
    {
    case JSON_PARSER_ERROR_TRAILING_COMMA:
      return _("a trailing comma");
    case JSON_PARSER_ERROR_MISSING_COMMA:
      return _("a missing comma");
    case JSON_PARSER_ERROR_MISSING_COLON:
      return _("a missing colon");
    case JSON_PARSER_ERROR_INVALID_BAREWORD:
      return _("an unquoted word");
    case JSON_PARSER_ERROR_EMPTY_MEMBER_NAME:
      return _("an empty member name");
    case JSON_PARSER_ERROR_INVALID_DATA:
      return _("invalid text or an invalid escape sequence");
    case JSON_PARSER_ERROR_PARSE:
    case JSON_PARSER_ERROR_UNKNOWN:
    default:
      return _("a syntax error");
    }
}

/* json-glib's own messages quote the offending part of the input ("unexpected string
 * constant "…""): that can be part of a secret in a truncated token-creation answer, and it
 * is not even valid UTF-8 when the input is not (a lone \ud800 escape). Keep only the kind of
 * error and its position, which json-glib puts first as "<data>:LINE:COLUMN: ". */
static void
set_syntax_error (GError       **error,
                  const GError  *parser_error)
{
  const char *what = describe_syntax_error (parser_error);
  guint line = 0;
  guint column = 0;

  if (sscanf (parser_error->message, "<data>:%u:%u:", &line, &column) == 2)
    g_set_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX,
                 _("The response is not valid JSON: %s at line %u, column %u."),
                 what, line, column);
  else
    g_set_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX,
                 _("The response is not valid JSON: %s."), what);
}

JsonNode *
astra_json_parse (const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || length == 0 || is_blank (data, length))
    {
      g_set_error_literal (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_EMPTY,
                           _("The response was empty."));
      return NULL;
    }

  if (length > ASTRA_JSON_MAX_SIZE)
    {
      g_set_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_LARGE,
                   /* %lu, not G_GSIZE_FORMAT: xgettext cannot see through the macro */
                   _("The response is too large (%lu bytes)."), (unsigned long) length);
      return NULL;
    }

  if (!astra_json_check_depth (data, length, ASTRA_JSON_MAX_DEPTH))
    {
      g_set_error_literal (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_DEEP,
                           _("The response is nested too deeply to be valid."));
      return NULL;
    }

  if (has_trailing_data (data, length))
    {
      g_set_error_literal (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX,
                           _("The response is not valid JSON: more data follows its end."));
      return NULL;
    }

  if (!has_valid_unicode_escapes (data, length))
    {
      g_set_error_literal (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX,
                           _("The response is not valid JSON: it holds an invalid \\u escape sequence."));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      set_syntax_error (error, local_error);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_EMPTY,
                           _("The response was empty."));
      return NULL;
    }

  return json_node_ref (root);
}

JsonNode *
astra_json_parse_bytes (GBytes  *bytes,
                        GError **error)
{
  gsize length = 0;
  const char *data = NULL;

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &length);

  return astra_json_parse (data, length, error);
}

JsonNode *
astra_json_object_get_member (JsonObject *object,
                              const char *name)
{
  JsonObjectIter iter;
  const char *member_name;
  JsonNode *member_node;

  g_return_val_if_fail (name != NULL, NULL);

  if (object == NULL)
    return NULL;

  if (json_object_has_member (object, name))
    return json_object_get_member (object, name);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member_name, &member_node))
    {
      if (g_ascii_strcasecmp (member_name, name) == 0)
        return member_node;
    }

  return NULL;
}

const char *
astra_json_object_get_string (JsonObject *object,
                              const char *name)
{
  JsonNode *node = astra_json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

JsonObject *
astra_json_object_get_object (JsonObject *object,
                              const char *name)
{
  JsonNode *node = astra_json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

JsonArray *
astra_json_object_get_array (JsonObject *object,
                             const char *name)
{
  JsonNode *node = astra_json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

gboolean
astra_json_object_get_int (JsonObject *object,
                           const char *name,
                           gint64     *value)
{
  JsonNode *node = astra_json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  if (value != NULL)
    *value = json_node_get_int (node);
  return TRUE;
}

gboolean
astra_json_object_get_bool (JsonObject *object,
                            const char *name,
                            gboolean   *value)
{
  JsonNode *node = astra_json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  if (value != NULL)
    *value = json_node_get_boolean (node);
  return TRUE;
}

char **
astra_json_object_dup_strv (JsonObject *object,
                            const char *name,
                            gboolean    strict)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array = astra_json_object_get_array (object, name);
  guint length;

  if (array == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  length = json_array_get_length (array);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
      else if (strict)
        return NULL;
    }

  return g_strv_builder_end (builder);
}

char *
astra_json_to_string (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return json_to_string (node, FALSE);
}

void
astra_json_builder_add_string_member (JsonBuilder *builder,
                                      const char  *name,
                                      const char  *value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
astra_json_builder_add_strv_member (JsonBuilder        *builder,
                                    const char         *name,
                                    const char * const *values)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

void
astra_json_builder_add_int_member (JsonBuilder *builder,
                                   const char  *name,
                                   gint64       value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
astra_json_builder_add_date_member (JsonBuilder *builder,
                                    const char  *name,
                                    GDateTime   *value)
{
  g_autofree char *text = NULL;

  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  if (value != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (value);

      text = g_date_time_format_iso8601 (utc);
    }

  astra_json_builder_add_string_member (builder, name, text);
}

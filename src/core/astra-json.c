/* astra-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-json"

#include "config.h"

#include <glib/gi18n.h>

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
is_blank (const char *data,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
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

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX,
                   _("The response is not valid JSON: %s"), local_error->message);
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

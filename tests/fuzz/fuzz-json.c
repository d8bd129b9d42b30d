/* fuzz-json.c: astra_json_parse() and the typed getters on arbitrary bytes
 *
 * Every body the client receives goes through these, so they must refuse, not crash on,
 * anything: deep nesting, NUL bytes, invalid UTF-8, huge numbers, duplicate keys that differ
 * only in case. Every string must come out as UTF-8, and a parsed document without doubles
 * must serialise and parse again to the same text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-fuzz.h"
#include "astra-json.h"

static const char * const member_names[] = {
  "clients", "clientId", "CLIENTID", "roles", "Policy", "errors", "message", "ID", "name",
  "generatedOn", "",
};

static void
exercise_object (JsonObject *object)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (guint i = 0; i < G_N_ELEMENTS (member_names); i++)
    {
      const char *name = member_names[i];
      g_auto(GStrv) strict = NULL;
      g_auto(GStrv) loose = NULL;
      gint64 number;
      gboolean flag;

      (void) astra_json_object_get_string (object, name);
      (void) astra_json_object_get_object (object, name);
      (void) astra_json_object_get_array (object, name);
      (void) astra_json_object_get_int (object, name, &number);
      (void) astra_json_object_get_bool (object, name, &flag);
      strict = astra_json_object_dup_strv (object, name, TRUE);
      loose = astra_json_object_dup_strv (object, name, FALSE);
      /* A strict list exists only if the loose one does, and is then the same. */
      if (strict != NULL)
        g_assert_true (loose != NULL && g_strv_equal ((const char * const *) strict,
                                                      (const char * const *) loose));
    }

  /* Every member present must be found under its own name. */
  for (GList *l = names; l != NULL; l = l->next)
    g_assert_nonnull (astra_json_object_get_member (object, l->data));
}

static void
exercise_node (JsonNode *node,
               guint     depth)
{
  g_assert_cmpuint (depth, <=, ASTRA_JSON_MAX_DEPTH + 1);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      exercise_object (object);
      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_assert_true (g_utf8_validate (name, -1, NULL));
          exercise_node (member, depth + 1);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        exercise_node (json_array_get_element (array, i), depth + 1);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      /* Every string reaches labels, GVariants or the keyring: it must be UTF-8. */
      g_assert_true (g_utf8_validate (json_node_get_string (node), -1, NULL));
    }
}

/* json-glib 1.6 writes doubles that are not JSON: 1e400 parses to infinity and is written
 * "inf", 1e40 is written "1e+40.0". Documents with doubles cannot round-trip, whatever we
 * do; nothing of ours re-serialises numbers from a server (astra-api.md has no doubles). */
static gboolean
has_double (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if (has_double (member))
          return TRUE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (has_double (json_array_get_element (array, i)))
          return TRUE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      return TRUE;
    }

  return FALSE;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  astra_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *copy = astra_fuzz_dup_unterminated (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  root = astra_json_parse (copy, size, &error);
  if (root == NULL)
    {
      /* Refusals always explain themselves, in the JSON domain. */
      g_assert_nonnull (error);
      g_assert_true (error->domain == ASTRA_JSON_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      /* The message never quotes the input: a malformed body may hold a secret. */
      g_assert_null (strchr (error->message, '"'));
      g_assert_null (strchr (error->message, '`'));
      return 0;
    }
  g_assert_no_error (error);

  exercise_node (root, 0);

  if (has_double (root))
    return 0;

  text = astra_json_to_string (root);
  again = astra_json_parse (text, strlen (text), &again_error);
  g_assert_no_error (again_error);
  text_again = astra_json_to_string (again);
  g_assert_cmpstr (text, ==, text_again);

  return 0;
}

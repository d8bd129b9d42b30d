/* test-json.c: bounded parsing and typed, case-insensitive getters on hostile input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-json.h"

static JsonNode *
parse (const char  *text,
       GError     **error)
{
  return astra_json_parse (text, text ? strlen (text) : 0, error);
}

static void
test_empty_and_blank (void)
{
  const char *inputs[] = { "", "   \n\t", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = parse (inputs[i], &error);

      g_assert_null (node);
      g_assert_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_EMPTY);
    }
}

static void
test_deep_nesting (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gsize depth = 200000;
  g_autofree char *deep = g_malloc (depth + 1);

  memset (deep, '[', depth);
  deep[depth] = '\0';
  node = astra_json_parse (deep, depth, &error);
  g_assert_null (node);
  g_assert_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_DEEP);

  /* Brackets inside strings do not count. */
  g_assert_true (astra_json_check_depth ("{\"a\": \"[[[[[[[[[[\\\"[[[[\"}", 25, 2));
  g_assert_false (astra_json_check_depth ("[[[1]]]", 7, 2));
}

static void
test_syntax (void)
{
  const char *bad[] = {
    "{\"clients\": [",
    "{\"a\": 1,}",
    "nul",
    "{\"a\": \"\xff\xfe\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = parse (bad[i], &error);

      g_assert_null (node);
      g_assert_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX);
    }
}

static void
test_getters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse ("{\"ID\": \"r1\", \"Name\": 5, \"policy\": {\"actions\": "
                                    "[\"a\", 3, \"b\"]}, \"n\": 7, \"b\": true, \"z\": null}",
                                    &error);
  JsonObject *object;
  JsonObject *policy;
  g_auto(GStrv) loose = NULL;
  g_auto(GStrv) strict = NULL;
  gint64 n = 0;
  gboolean b = FALSE;

  g_assert_no_error (error);
  object = json_node_get_object (node);

  g_assert_cmpstr (astra_json_object_get_string (object, "id"), ==, "r1");
  g_assert_cmpstr (astra_json_object_get_string (object, "ID"), ==, "r1");
  /* Wrong type: NULL, and no critical (which would abort this test). */
  g_assert_null (astra_json_object_get_string (object, "name"));
  g_assert_null (astra_json_object_get_string (object, "z"));
  g_assert_null (astra_json_object_get_string (object, "missing"));
  g_assert_null (astra_json_object_get_object (object, "id"));
  g_assert_null (astra_json_object_get_array (object, "policy"));

  policy = astra_json_object_get_object (object, "Policy");
  g_assert_nonnull (policy);
  loose = astra_json_object_dup_strv (policy, "actions", FALSE);
  g_assert_cmpstrv (loose, ((const char *[]) { "a", "b", NULL }));
  strict = astra_json_object_dup_strv (policy, "actions", TRUE);
  g_assert_null (strict);

  g_assert_true (astra_json_object_get_int (object, "n", &n));
  g_assert_cmpint (n, ==, 7);
  g_assert_false (astra_json_object_get_int (object, "b", &n));
  g_assert_true (astra_json_object_get_bool (object, "b", &b));
  g_assert_true (b);
  g_assert_false (astra_json_object_get_bool (object, "n", &b));
}

static void
test_too_large (void)
{
  g_autoptr(GError) error = NULL;
  gsize size = ASTRA_JSON_MAX_SIZE + 1;
  g_autofree char *big = g_malloc (size);
  g_autoptr(JsonNode) node = NULL;

  memset (big, ' ', size);
  big[0] = '"';
  big[size - 1] = '"';
  node = astra_json_parse (big, size, &error);
  g_assert_null (node);
  g_assert_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_LARGE);
}

static void
test_builder_members (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_offset (2 * 3600);
  g_autofree char *text = NULL;
  const char *roles[] = { "a", "b", NULL };

  local = g_date_time_new (plus2, 2026, 11, 28, 17, 30, 0);
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "name", "x");
  astra_json_builder_add_string_member (builder, "none", NULL);
  astra_json_builder_add_strv_member (builder, "roles", roles);
  astra_json_builder_add_strv_member (builder, "empty", NULL);
  astra_json_builder_add_int_member (builder, "count", -42);
  astra_json_builder_add_date_member (builder, "when", local);
  astra_json_builder_add_date_member (builder, "never", NULL);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  text = astra_json_to_string (root);
  g_assert_cmpstr (text, ==,
                   "{\"name\":\"x\",\"none\":null,\"roles\":[\"a\",\"b\"],\"empty\":[],"
                   "\"count\":-42,\"when\":\"2026-11-28T15:30:00Z\",\"never\":null}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json/empty-and-blank", test_empty_and_blank);
  g_test_add_func ("/json/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json/syntax", test_syntax);
  g_test_add_func ("/json/getters", test_getters);
  g_test_add_func ("/json/too-large", test_too_large);
  g_test_add_func ("/json/builder-members", test_builder_members);

  return g_test_run ();
}

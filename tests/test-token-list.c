/* test-token-list.c: the one-pass token list reader against the json-glib path
 *
 * astra_token_list_parse() must give exactly the tokens that a json-glib tree plus
 * astra_token_new_from_json() gives for every valid body, and fail cleanly (never crash,
 * never return a partial list) on broken ones. One unreadable item (issue 13) is skipped
 * and counted, the rest of the list still read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-client.h"
#include "astra-json.h"
#include "astra-model-private.h"
#include "astra-test-async.h"
#include "astra-token.h"
#include "astra-token-array.h"
#include "astra-token-list.h"
#include "astra-token-list-stream.h"
#include "astra-token-private.h"
#include "astra-sim-server.h"

/* The generic path the client used before, as the reference. */
static GListModel *
parse_with_tree (const char  *body,
                 GError     **error)
{
  g_autoptr(JsonNode) root = astra_json_parse (body, strlen (body), error);
  g_autoptr(GListStore) store = NULL;
  JsonArray *clients;

  if (root == NULL)
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  clients = astra_json_object_get_array (json_node_get_object (root), "clients");
  g_assert_nonnull (clients);

  store = g_list_store_new (ASTRA_TYPE_TOKEN);
  for (guint i = 0; i < json_array_get_length (clients); i++)
    {
      JsonNode *element = json_array_get_element (clients, i);
      g_autoptr(AstraToken) token = NULL;

      g_assert_true (JSON_NODE_HOLDS_OBJECT (element));
      token = astra_token_new_from_json (json_node_get_object (element), error);
      if (token == NULL)
        return NULL;
      g_list_store_append (store, token);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

static void
assert_same_time (GDateTime *a,
                  GDateTime *b)
{
  if (a == NULL || b == NULL)
    {
      g_assert_true (a == b);
      return;
    }
  g_assert_cmpint (g_date_time_to_unix (a), ==, g_date_time_to_unix (b));
  g_assert_cmpint (g_date_time_get_microsecond (a), ==, g_date_time_get_microsecond (b));
}

static void
assert_same_as_tree (const char *body)
{
  g_autoptr(GError) error = NULL;
  guint n_unreadable = G_MAXUINT;
  g_autoptr(GListModel) fast = astra_token_list_parse (body, strlen (body), &n_unreadable, &error);
  g_autoptr(GListModel) tree = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (fast);
  g_assert_cmpuint (n_unreadable, ==, 0);
  g_assert_cmpuint (astra_token_list_get_n_unreadable (fast), ==, 0);
  tree = parse_with_tree (body, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (fast), ==, g_list_model_get_n_items (tree));
  for (guint i = 0; i < g_list_model_get_n_items (fast); i++)
    {
      g_autoptr(AstraToken) a = g_list_model_get_item (fast, i);
      g_autoptr(AstraToken) b = g_list_model_get_item (tree, i);

      g_assert_cmpstr (astra_token_get_client_id (a), ==, astra_token_get_client_id (b));
      g_assert_cmpstr (astra_token_get_description (a), ==, astra_token_get_description (b));
      g_assert_true (g_strv_equal ((const char * const *) astra_token_get_role_ids (a),
                                   (const char * const *) astra_token_get_role_ids (b)));
      g_assert_cmpstr (astra_token_get_roles_label (a), ==, astra_token_get_roles_label (b));
      assert_same_time (astra_token_get_generated_on (a), astra_token_get_generated_on (b));
      assert_same_time (astra_token_get_expires (a), astra_token_get_expires (b));
    }
}

static const char *valid_body =
  "\xEF\xBB\xBF {\"clients\": [\n"
  "  {\"clientId\": \"BOjPpMRcaWergiKIyHXEAymP\", \"roles\": [\"ad0566b5-2a67-49de-89e8-92258c2f2c98\"],\n"
  "   \"generatedOn\": \"2025-06-17T02:26:29.846Z\", \"description\": \"Token for service A\",\n"
  "   \"tokenExpiry\": \"2025-12-31T23:59:59.000Z\"},\n"
  "  {\"clientId\": \"legacyLegacyLegacyLegacy\", \"roles\": [\"R/W User\", 7, null, {\"x\": [1]}, \"b\"],\n"
  "   \"generatedOn\": \"2025-09-02T19:18:10.799083554Z\", \"tokenExpiry\": null},\n"
  "  {\"ClientID\": \"caselessCaselessCaseless\", \"DESCRIPTION\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\"\\n\\t\\/\",\n"
  "   \"generatedon\": \"2025-09-02T19:18:10.7990835541234Z\", \"roles\": \"not an array\"},\n"
  "  {\"clientId\": \"exactWinsExactWinsExactW\", \"CLIENTID\": \"caselessLoses\", \"description\": 12,\n"
  "   \"generatedOn\": \"2025-06-17T02:26:29Z\", \"tokenExpiry\": \"2026-01-01T00:00:00+02:00\",\n"
  "   \"unknown\": {\"deep\": [[[{\"a\": -1.5e+3}]]], \"b\": [true, false, null, 0, -0.0, 1E9]}},\n"
  "  {\"clientId\": \"badTimesBadTimesBadTimes\", \"generatedOn\": \"2025-13-01T00:00:00Z\",\n"
  "   \"tokenExpiry\": \"2025-06-17T02:26:29.Z\", \"roles\": []},\n"
  "  {\"clientId\": \"noZoneNoZoneNoZoneNoZone\", \"generatedOn\": \"2025-06-17T02:26:29.5\",\n"
  "   \"tokenExpiry\": \"tomorrow\", \"description\": \"\"}\n"
  "], \"other\": \"ignored\"}\r\n";

static void
test_same_as_tree (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(AstraToken) caseless = NULL;

  assert_same_as_tree (valid_body);
  assert_same_as_tree ("{\"clients\": []}");

  tokens = astra_token_list_parse (valid_body, strlen (valid_body), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, 6);
  caseless = g_list_model_get_item (tokens, 2);
  g_assert_cmpstr (astra_token_get_client_id (caseless), ==, "caselessCaselessCaseless");
  g_assert_cmpstr (astra_token_get_description (caseless), ==, "café 😀 \"q\"\n\t/");
}

static void
test_many_tokens (void)
{
  g_autoptr(GString) body = g_string_new ("{\"clients\":[");

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (body,
                            "%s{\"clientId\":\"client%06u\",\"roles\":[\"role-%u\",\"role-%u\"],"
                            "\"generatedOn\":\"2025-%02u-%02uT%02u:%02u:%02u.%03uZ\","
                            "\"description\":\"Bulk token %u\",\"tokenExpiry\":%s}",
                            i > 0 ? "," : "", i, i % 5, i % 7, i % 12 + 1, i % 28 + 1,
                            i % 24, i % 60, (i * 7) % 60, i % 1000, i,
                            i % 3 ? "null" : "\"2030-01-01T00:00:00.000Z\"");
  g_string_append (body, "]}");

  assert_same_as_tree (body->str);
}

static void
test_null_clients (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = astra_token_list_parse ("{\"clients\": null}", 17, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, 0);
}

typedef struct
{
  const char *body;
  GQuark      domain;
  int         code;
  const char *message_part;
} BadCase;

static void
test_bad_bodies (void)
{
  const BadCase cases[] = {
    { "", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_EMPTY, NULL },
    { " \n\t ", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_EMPTY, NULL },
    { "[]", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_UNEXPECTED, NULL },
    { "{}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_UNEXPECTED, NULL },
    { "{\"clients\": \"x\"}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_UNEXPECTED, NULL },
    { "{\"clients\": {}}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_UNEXPECTED, NULL },
    /* Syntax: json-glib's extensions and plain breakage. */
    { "{\"clients\": []} {}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [],}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [1,]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{'clients': []}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [] /* c */}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [01]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [0x10]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [.5]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [5.]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [-]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [1e]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [NaN]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [True]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [nul]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{clients: []}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\" []}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [{\"a\":1 \"b\":2}]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [1 2]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [\"\\x\"]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [\"\\u12\"]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [\"\\u12g4\"]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [\"\\ud800\"]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [\"\\ud800\\u0041\"]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [\"\\udc00\"]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [\"a\\u0000b\"]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [\"a\x01z\"]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    /* Text that is not UTF-8 outside the items: the body is not JSON. */
    { "{\"other\": \"\xff\", \"clients\": []}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, "UTF-8" },
    { "{\"clients\": [], \"\xc3\": 1}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, "UTF-8" },
    { "{\"clients\"\xc3: []}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    /* Unreadable items do not excuse a syntax error elsewhere. */
    { "{\"clients\": [{\"clientId\": 42}, {\"clientId\": \"b\"},]}",
      ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [{\"clientId\": \"\xff\"}, {\"clientId\": \"b\"}",
      ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [{\"clientId\": \"\xff\x01\"}]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [{\"clientId\": \"\xff\\x\"}]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [{\"clientId\": \"\xff}]}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "\v{\"clients\": []}", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
    { "{\"clients\": [\"unterminated", ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) tokens = NULL;
      g_autofree char *escaped = g_strescape (cases[i].body, NULL);

      g_test_message ("case %u: %s", i, escaped);
      tokens = astra_token_list_parse (cases[i].body, strlen (cases[i].body), NULL, &error);
      g_assert_null (tokens);
      g_assert_error (error, cases[i].domain, cases[i].code);
      if (cases[i].message_part != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].message_part));
    }

  /* Nesting beyond the cap, inside a member nobody reads. */
  {
    g_autoptr(GString) body = g_string_new ("{\"clients\": [], \"x\": ");
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) tokens = NULL;

    for (guint i = 0; i < ASTRA_JSON_MAX_DEPTH; i++)
      g_string_append_c (body, '[');
    for (guint i = 0; i < ASTRA_JSON_MAX_DEPTH; i++)
      g_string_append_c (body, ']');
    g_string_append_c (body, '}');
    tokens = astra_token_list_parse (body->str, body->len, NULL, &error);
    g_assert_null (tokens);
    g_assert_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_DEEP);
  }

  /* Exactly at the cap is fine: the root object plus 63 arrays. */
  {
    g_autoptr(GString) body = g_string_new ("{\"clients\": [], \"x\": ");
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) tokens = NULL;

    for (guint i = 0; i < ASTRA_JSON_MAX_DEPTH - 1; i++)
      g_string_append_c (body, '[');
    for (guint i = 0; i < ASTRA_JSON_MAX_DEPTH - 1; i++)
      g_string_append_c (body, ']');
    g_string_append_c (body, '}');
    tokens = astra_token_list_parse (body->str, body->len, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (tokens);
  }

  /* Above the size cap, refused before reading. */
  {
    gsize size = ASTRA_JSON_MAX_SIZE + 1;
    g_autofree char *big = g_malloc (size);
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) tokens = NULL;

    memset (big, ' ', size);
    big[0] = '{';
    tokens = astra_token_list_parse (big, size, NULL, &error);
    g_assert_null (tokens);
    g_assert_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_LARGE);
  }

  /* A NULL in the middle of the buffer is not the end of the data. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) tokens = astra_token_list_parse ("{\"clients\": []}\0x", 17, NULL, &error);

    g_assert_null (tokens);
    g_assert_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX);
  }
}

typedef struct
{
  const char *body;
  guint       n_tokens;
  guint       n_unreadable;
  const char *client_ids;   /* of the tokens read, joined with "," */
} UnreadableCase;

/* Items that cannot be read are skipped and counted; the rest of the list is read. */
static void
test_unreadable_items (void)
{
  const UnreadableCase cases[] = {
    /* Not an object. */
    { "{\"clients\": [{\"clientId\": \"a\"}, 3, {\"clientId\": \"b\"}]}", 2, 1, "a,b" },
    { "{\"clients\": [\"x\", null, [{\"clientId\": \"n\"}], true, {\"clientId\": \"b\"}]}", 1, 4, "b" },
    /* No usable clientId: a number where a string is expected, missing, null, empty. */
    { "{\"clients\": [{\"clientId\": \"a\"}, {\"roles\": []}, 4]}", 1, 2, "a" },
    { "{\"clients\": [{\"clientId\": 42, \"description\": \"n\"}, {\"clientId\": \"b\"}]}", 1, 1, "b" },
    { "{\"clients\": [{\"clientId\": null}, {\"clientId\": \"\"}, {\"clientId\": [\"c\"]}]}", 0, 3, "" },
    /* Text that is not UTF-8, wherever it is in the item. */
    { "{\"clients\": [{\"clientId\": \"a\", \"description\": \"caf\xe9\"}, {\"clientId\": \"b\"}]}", 1, 1, "b" },
    { "{\"clients\": [{\"clientId\": \"\xed\xa0\x80\"}, {\"clientId\": \"b\"}]}", 1, 1, "b" },
    { "{\"clients\": [{\"clientId\": \"a\", \"roles\": [\"r\", \"\xc3\"]}, {\"clientId\": \"b\"}]}", 1, 1, "b" },
    { "{\"clients\": [{\"clientId\": \"a\", \"x\": {\"y\": [\"ok\\n\xff\\\"q\"]}}, {\"clientId\": \"b\"}]}", 1, 1, "b" },
    { "{\"clients\": [{\"clientId\": \"a\", \"\xc3\": 1}, {\"clientId\": \"b\"}]}", 1, 1, "b" },
    { "{\"clients\": [{\"clientId\": \"a\", \"description\": \"\xf0\x9f\x98\"}]}", 0, 1, "" },
    { "{\"clients\": [\"\xff\", {\"clientId\": \"b\", \"description\": \"caf\xc3\xa9\"}]}", 1, 1, "b" },
    /* Both kinds in one list, as the simulator's bad-item fault sends it. */
    { "{\"clients\": [{\"clientId\": \"a\"}, {\"clientId\": \"u\", \"description\": \"\xff\xfe\"},"
      " {\"clientId\": 7}, {\"clientId\": \"b\"}]}", 2, 2, "a,b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) tokens = NULL;
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();
      g_autofree char *escaped = g_strescape (cases[i].body, NULL);
      g_autofree char *joined = NULL;
      guint n_unreadable = G_MAXUINT;

      g_test_message ("case %u: %s", i, escaped);
      tokens = astra_token_list_parse (cases[i].body, strlen (cases[i].body), &n_unreadable, &error);
      g_assert_no_error (error);
      g_assert_nonnull (tokens);
      g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, cases[i].n_tokens);
      g_assert_cmpuint (n_unreadable, ==, cases[i].n_unreadable);
      /* The model carries the count to the UI. */
      g_assert_cmpuint (astra_token_list_get_n_unreadable (tokens), ==, cases[i].n_unreadable);

      for (guint j = 0; j < g_list_model_get_n_items (tokens); j++)
        {
          g_autoptr(AstraToken) token = g_list_model_get_item (tokens, j);

          g_assert_true (g_utf8_validate (astra_token_get_description (token), -1, NULL));
          g_ptr_array_add (ids, (char *) astra_token_get_client_id (token));
        }
      g_ptr_array_add (ids, NULL);
      joined = g_strjoinv (",", (char **) ids->pdata);
      g_assert_cmpstr (joined, ==, cases[i].client_ids);
    }

  /* Unreadable items among many: the others keep their order and fields. */
  {
    g_autoptr(GString) body = g_string_new ("{\"clients\":[");
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) tokens = NULL;
    guint n_unreadable = 0;

    for (guint i = 0; i < 100; i++)
      g_string_append_printf (body, i % 10 == 3 ? "%s{\"clientId\":%u,\"description\":\"%s\"}"
                                                : "%s{\"clientId\":\"c%06u\",\"description\":\"%s\"}",
                              i > 0 ? "," : "", i, i % 10 == 7 ? "bad \xc0\xaf" : "fine");
    g_string_append (body, "]}");
    tokens = astra_token_list_parse (body->str, body->len, &n_unreadable, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (n_unreadable, ==, 20);
    g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, 80);
    for (guint j = 0; j < 80; j++)
      {
        g_autoptr(AstraToken) token = g_list_model_get_item (tokens, j);

        g_assert_cmpstr (astra_token_get_description (token), ==, "fine");
      }
  }

  /* The count resets: a clean body after a spoiled one reports none. */
  {
    guint n_unreadable = G_MAXUINT;
    g_autoptr(GListModel) tokens = astra_token_list_parse ("{\"clients\": null}", 17,
                                                           &n_unreadable, NULL);

    g_assert_nonnull (tokens);
    g_assert_cmpuint (n_unreadable, ==, 0);
  }
}

/* Every proper prefix of a valid body is broken; none may crash or yield a list. */
static void
test_truncated (void)
{
  gsize length = strlen (valid_body);

  for (gsize cut = 0; cut < length; cut++)
    {
      g_autofree char *copy = g_strndup (valid_body, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) tokens = NULL;

      /* Only trailing white space may go without changing the meaning. */
      if (cut >= length - 2)
        continue;

      /* Exact-size heap copies let a sanitizer or MALLOC_CHECK_ catch any overread. */
      tokens = astra_token_list_parse (copy, cut, NULL, &error);
      g_assert_null (tokens);
      g_assert_nonnull (error);
    }
}

static void
test_timestamps (void)
{
  const char *texts[] = {
    "2025-06-17T02:26:29.846Z",
    "2025-09-02T19:18:10.799083554Z",
    "2025-09-02T19:18:10.7990835541234Z",
    "2025-06-17T02:26:29Z",
    "2025-06-17T02:26:29.5Z",
    "1970-01-01T00:00:00.000Z",
    "2099-12-31T23:59:59.999999999Z",
    "2024-02-29T12:00:00.1Z",
  };
  const char *invalid[] = {
    "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z", "2025-06-17T24:00:00Z",
    "2025-06-17T02:26:60Z", "2025-06-17T02:26:29.Z", "2025-06-17",
    "2025-06-17T02:26:29.8x6Z", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GString) normalized = g_string_new (texts[i]);
      g_autoptr(GDateTime) ours = astra_model_parse_timestamp (texts[i]);
      g_autoptr(GDateTime) glib = NULL;
      const char *dot = strchr (texts[i], '.');

      /* The reference: GLib's own ISO-8601 parser on the text cut to nine digits. */
      if (dot != NULL && strlen (dot + 1) > 10)
        g_string_erase (normalized, dot - texts[i] + 10, strlen (dot + 1) - 10);
      glib = g_date_time_new_from_iso8601 (normalized->str, utc);

      g_test_message ("%s", texts[i]);
      g_assert_nonnull (ours);
      g_assert_nonnull (glib);
      g_assert_true (g_date_time_equal (ours, glib));
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GDateTime) ours = astra_model_parse_timestamp (invalid[i]);

      g_test_message ("%s", invalid[i]);
      g_assert_null (ours);
    }
}

static GListModel *
list_tokens_from_sim (guint        n_tokens,
                      const char  *fault,
                      GError     **error)
{
  g_autoptr(AstraSimServer) sim = astra_sim_server_new ();
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;

  astra_sim_server_set_seed (sim, n_tokens, 1);
  if (fault != NULL)
    g_assert_true (astra_sim_server_add_fault (sim, fault, &local_error));
  g_assert_true (astra_sim_server_listen (sim, 0, &local_error));
  g_assert_no_error (local_error);

  client = astra_client_new (astra_sim_server_get_base_url (sim),
                             astra_sim_server_get_admin_token (sim), &local_error);
  g_assert_no_error (local_error);
  astra_client_set_retry_policy (client, 1, 10, 10);
  /* The in-process simulator serves a 20 MB list slowly under the sanitizers. */
  astra_client_set_timeout (client, 300);

  astra_client_list_tokens_async (client, NULL, astra_test_store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  astra_sim_server_disconnect (sim);
  return astra_client_list_tokens_finish (client, result, error);
}

static void
test_client_reads_sim (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GListModel) none = NULL;
  g_autoptr(AstraToken) first = NULL;

  tokens = list_tokens_from_sim (300, NULL, &error);
  g_assert_no_error (error);
  /* The bulk tokens plus the simulator's sample ones. */
  g_assert_cmpuint (g_list_model_get_n_items (tokens), >=, 300);
  first = g_list_model_get_item (tokens, 0);
  g_assert_cmpstr (astra_token_get_client_id (first), !=, "");
  g_assert_cmpuint (g_strv_length ((char **) astra_token_get_role_ids (first)), >=, 1);

  none = list_tokens_from_sim (10, "GET:/v2/clientIdSecrets=malformed", &error);
  g_assert_null (none);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "could not be read"));
}

/* Incremental reader {{{ */

/* Feeds @body in pieces of @chunk bytes. */
static GListModel *
parse_streamed (const char  *body,
                gsize        length,
                gsize        chunk,
                guint       *n_unreadable,
                GError     **error)
{
  g_autoptr(AstraTokenListStream) stream = astra_token_list_stream_new ();

  for (gsize at = 0; at < length; at += chunk)
    if (!astra_token_list_stream_feed (stream, body + at, MIN (chunk, length - at), error))
      return NULL;
  return astra_token_list_stream_finish (stream, n_unreadable, error);
}

/* The incremental reader gives what the whole-body reader gives, however the body is cut. */
static void
assert_stream_same (const char *body,
                    gsize       length)
{
  const gsize chunks[] = { 1, 2, 3, 7, 64, 4096, G_MAXSIZE / 2 };
  g_autoptr(GError) whole_error = NULL;
  guint whole_unreadable = 0;
  g_autoptr(GListModel) whole = astra_token_list_parse (body, length, &whole_unreadable, &whole_error);

  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      g_autoptr(GError) error = NULL;
      guint n_unreadable = G_MAXUINT;
      g_autoptr(GListModel) streamed = parse_streamed (body, length, chunks[c], &n_unreadable, &error);

      if (whole == NULL)
        {
          g_assert_null (streamed);
          g_assert_nonnull (error);
          g_assert_true (error->domain == ASTRA_JSON_ERROR);
          /* Emptiness and depth are told apart as the whole reader does. */
          if (whole_error->code == ASTRA_JSON_ERROR_EMPTY || whole_error->code == ASTRA_JSON_ERROR_TOO_DEEP)
            g_assert_error (error, ASTRA_JSON_ERROR, whole_error->code);
          continue;
        }

      g_assert_no_error (error);
      g_assert_nonnull (streamed);
      g_assert_cmpuint (n_unreadable, ==, whole_unreadable);
      g_assert_cmpuint (astra_token_list_get_n_unreadable (streamed), ==, whole_unreadable);
      g_assert_cmpuint (g_list_model_get_n_items (streamed), ==, g_list_model_get_n_items (whole));
      for (guint i = 0; i < g_list_model_get_n_items (whole); i++)
        {
          g_autoptr(AstraToken) a = g_list_model_get_item (whole, i);
          g_autoptr(AstraToken) b = g_list_model_get_item (streamed, i);

          g_assert_cmpstr (astra_token_get_client_id (a), ==, astra_token_get_client_id (b));
          g_assert_cmpstr (astra_token_get_description (a), ==, astra_token_get_description (b));
          g_assert_true (g_strv_equal ((const char * const *) astra_token_get_role_ids (a),
                                       (const char * const *) astra_token_get_role_ids (b)));
          assert_same_time (astra_token_get_generated_on (a), astra_token_get_generated_on (b));
          assert_same_time (astra_token_get_expires (a), astra_token_get_expires (b));
        }
    }
}

static void
test_stream_same_as_whole (void)
{
  const char *bodies[] = {
    valid_body,
    "{\"clients\": null}",
    "{\"clients\": []}",
    "{}",
    "  {\"clients\": 5}",
    "{\"clients\": \"x\"}",
    "{\"Clients\": [{\"clientId\": \"caseless\"}]}",
    "{\"CLIENTS\": [{\"clientId\": \"first\"}], \"Clients\": [{\"clientId\": \"second\"}]}",
    "{\"Clients\": [{\"clientId\": \"loses\"}], \"clients\": [{\"clientId\": \"wins\"}], \"CLIENTS\": null}",
    "{\"clients\": [{\"clientId\": \"old\"}], \"clients\": [{\"clientId\": \"new\"}]}",
    "{\"cl\\u0069ents\": [{\"clientId\": \"escaped name\"}]}",
    "{\"x\": {\"clients\": [1]}, \"clients\": [{\"clientId\": \"a\", \"d\": \"]}\\\"[{\"}], \"y\": [true, -1.5e3, null, \"}\"]}",
    "{\"clients\": [{\"clientId\": \"a\"}, 3, {\"clientId\": \"b\"}]}",
    "{\"clients\": [{\"clientId\": 42}, {\"clientId\": \"b\", \"description\": \"caf\xe9\"}, {\"clientId\": \"c\"}]}",
    "{\"clients\": [\"\xff\", {\"clientId\": \"b\", \"description\": \"caf\xc3\xa9\"}]}",
    "{\"clients\": [1, 2, 3]}",
    /* Broken ones. */
    "",
    "   ",
    "[]",
    "[1,",
    "{\"clients\": [}",
    "{\"clients\": [{\"clientId\": \"a\"},]}",
    "{\"clients\": [{\"clientId\": \"a\"}] \"x\": 1}",
    "{\"clients\" [] }",
    "{\"clients\": [], }",
    "{\"clients\": []} x",
    "{\"clients\": [{\"clientId\": \"a\"}]}}",
    "{\"clients\": [nul]}",
    "{\"clients\": [truex]}",
    "{\"clients\": [{\"clientId\": \"a\" \"b\"}]}",
    "{clients: []}",
    "{\"clients\": [\"unterminated]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *escaped = g_strescape (bodies[i], NULL);

      g_test_message ("body %u: %s", i, escaped);
      assert_stream_same (bodies[i], strlen (bodies[i]));
    }

  /* Every cut of a valid body is broken for both. */
  for (gsize cut = 0; cut + 2 < strlen (valid_body); cut += 5)
    assert_stream_same (valid_body, cut);

  /* Depth: at the cap is fine, one more is too deep, inside an item or in another member. */
  for (guint extra = 0; extra < 2; extra++)
    for (guint in_item = 0; in_item < 2; in_item++)
      {
        g_autoptr(GString) body = g_string_new (in_item ? "{\"clients\": [" : "{\"clients\": [], \"x\": ");
        guint n = ASTRA_JSON_MAX_DEPTH - (in_item ? 2 : 1) + extra;

        for (guint j = 0; j < n; j++)
          g_string_append_c (body, '[');
        for (guint j = 0; j < n; j++)
          g_string_append_c (body, ']');
        g_string_append (body, in_item ? "]}" : "}");
        assert_stream_same (body->str, body->len);
      }
}

/* A body over the whole-body cap: read, one token at a time, within bounds. */
static void
test_stream_large (void)
{
  g_autoptr(AstraTokenListStream) stream = astra_token_list_stream_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GString) item = g_string_new (NULL);
  guint64 fed = 0;
  guint n = 0;

  g_assert_true (astra_token_list_stream_feed (stream, "{\"clients\": [", 13, &error));
  while (fed <= ASTRA_JSON_MAX_SIZE + 1024)
    {
      g_string_printf (item, "%s{\"clientId\": \"c%023u\", \"roles\": [\"%036u\"], "
                       "\"description\": \"token %u\", \"generatedOn\": \"2026-01-02T03:04:05.678Z\"}",
                       n > 0 ? ",\n" : "", n, n, n);
      g_assert_true (astra_token_list_stream_feed (stream, item->str, item->len, &error));
      fed += item->len;
      n++;
    }
  g_assert_true (astra_token_list_stream_feed (stream, "]}", 2, &error));
  tokens = astra_token_list_stream_finish (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, n);
  {
    g_autoptr(AstraToken) last = g_list_model_get_item (tokens, n - 1);
    g_autofree char *description = g_strdup_printf ("token %u", n - 1);

    g_assert_cmpstr (astra_token_get_description (last), ==, description);
  }

  /* One entry over its cap is refused, and the stream stays failed. */
  {
    g_autoptr(AstraTokenListStream) big = astra_token_list_stream_new ();
    g_autofree char *filler = g_strnfill (64 * 1024, 'a');
    gboolean ok = TRUE;

    ok = astra_token_list_stream_feed (big, "{\"clients\": [{\"description\": \"", 30, &error);
    for (guint i = 0; ok && i < 2 * ASTRA_TOKEN_LIST_MAX_ITEM / (64 * 1024); i++)
      ok = astra_token_list_stream_feed (big, filler, 64 * 1024, &error);
    g_assert_false (ok);
    g_assert_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_LARGE);
    g_clear_error (&error);
    g_assert_false (astra_token_list_stream_feed (big, "\"}]}", 4, &error));
    g_clear_error (&error);
    g_assert_null (astra_token_list_stream_finish (big, NULL, &error));
    g_assert_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_LARGE);
    g_clear_error (&error);

    /* After a reset it reads a new body. */
    astra_token_list_stream_reset (big);
    g_assert_true (astra_token_list_stream_feed (big, "{\"clients\": null}", 17, &error));
    g_clear_object (&tokens);
    tokens = astra_token_list_stream_finish (big, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, 0);
  }
}

/* Through the real client: the simulator lists more tokens than fit under the cap. */
static void
test_client_reads_huge_sim (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;

  /* About 20 MB, over ASTRA_JSON_MAX_SIZE (85,000 tokens would not be): the client must
   * read it as it arrives ("read as it arrives" with G_MESSAGES_DEBUG=astra-client). */
  tokens = list_tokens_from_sim (95000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), >=, 95000);
}

/* }}} */

/* AstraTokenArray, the list the parser returns and the token table shows: GListStore's
 * contract (items-changed once per change, with its range; the tokens referenced). */
typedef struct
{
  guint position, removed, added, n_signals;
} Change;

static void
on_array_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Change     *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->n_signals++;
}

static AstraToken *
array_token (const char *client_id)
{
  return astra_token_new_take (g_strdup (client_id), g_strdup (""), g_new0 (char *, 1), NULL, NULL);
}

static const char *
array_id (AstraTokenArray *array,
          guint            position)
{
  g_autoptr(AstraToken) token = g_list_model_get_item (G_LIST_MODEL (array), position);

  return token != NULL ? astra_token_get_client_id (token) : NULL;
}

static void
test_token_array (void)
{
  g_autoptr(AstraTokenArray) array = astra_token_array_new ();
  AstraToken *tokens[4] = { array_token ("a"), array_token ("b"), array_token ("c"), array_token ("d") };
  AstraToken *weak = tokens[1];
  Change change = { 0 };

  g_signal_connect (array, "items-changed", G_CALLBACK (on_array_changed_cb), &change);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (array)) == ASTRA_TYPE_TOKEN);

  astra_token_array_splice (array, 0, 0, tokens, 3);
  g_assert_cmpuint (change.n_signals, ==, 1);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.added, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (array)), ==, 3);

  /* In the middle: the tail moves, in order. */
  astra_token_array_splice (array, 1, 1, &tokens[3], 1);
  g_assert_cmpuint (change.n_signals, ==, 2);
  g_assert_cmpuint (change.position, ==, 1);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 1);
  g_assert_cmpstr (array_id (array, 0), ==, "a");
  g_assert_cmpstr (array_id (array, 1), ==, "d");
  g_assert_cmpstr (array_id (array, 2), ==, "c");
  g_assert_null (array_id (array, 3));

  astra_token_array_splice (array, 1, 0, &tokens[1], 1);
  g_assert_cmpstr (array_id (array, 1), ==, "b");
  g_assert_cmpstr (array_id (array, 2), ==, "d");
  g_assert_cmpstr (array_id (array, 3), ==, "c");

  astra_token_array_remove (array, 0);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpstr (array_id (array, 0), ==, "b");

  /* The array holds its own references: the caller's go, the tokens stay until removed. */
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    g_object_unref (tokens[i]);
  g_assert_nonnull (weak);
  g_assert_cmpstr (array_id (array, 2), ==, "c");

  change.n_signals = 0;
  astra_token_array_splice (array, 0, 0, NULL, 0);
  g_assert_cmpuint (change.n_signals, ==, 0);
  astra_token_array_remove_all (array);
  g_assert_cmpuint (change.n_signals, ==, 1);
  g_assert_cmpuint (change.removed, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (array)), ==, 0);
  g_assert_null (weak);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/token-list/same-as-tree", test_same_as_tree);
  g_test_add_func ("/token-list/many-tokens", test_many_tokens);
  g_test_add_func ("/token-list/null-clients", test_null_clients);
  g_test_add_func ("/token-list/token-array", test_token_array);
  g_test_add_func ("/token-list/bad-bodies", test_bad_bodies);
  g_test_add_func ("/token-list/unreadable-items", test_unreadable_items);
  g_test_add_func ("/token-list/truncated", test_truncated);
  g_test_add_func ("/token-list/timestamps", test_timestamps);
  g_test_add_func ("/token-list/client-reads-sim", test_client_reads_sim);
  g_test_add_func ("/token-list/stream-same-as-whole", test_stream_same_as_whole);
  g_test_add_func ("/token-list/stream-large", test_stream_large);
  g_test_add_func ("/token-list/client-reads-huge-sim", test_client_reads_huge_sim);

  return g_test_run ();
}

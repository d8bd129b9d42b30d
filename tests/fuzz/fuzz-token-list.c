/* fuzz-token-list.c: the token list (GET /v2/clientIdSecrets) and the token-creation answer
 *
 * The list is {"clients": [...]}; each element becomes an AstraToken. The same objects are
 * also read as the creation answer (AstraGeneratedToken), whose parser sees the secret.
 * Whatever a server sends, a model is either built with a client id and readable properties,
 * or refused with an error. The one-pass list reader (astra_token_list_parse) reads the
 * same bytes: it returns a list whose every token has valid UTF-8 text, with how many items
 * it skipped as unreadable, or an error; a body json-glib refuses is refused too, unless
 * the reader skipped an item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-fuzz.h"
#include "astra-generated-token.h"
#include "astra-json.h"
#include "astra-token.h"
#include "astra-token-list.h"
#include "astra-token-list-stream.h"

static GHashTable *role_names;

static void
check_token (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraToken) token = astra_token_new_from_json (object, &error);

  if (token == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (astra_token_get_client_id (token));

  astra_fuzz_read_properties (token);
  astra_token_resolve_roles (token, role_names);
  astra_token_set_in_keyring (token, TRUE);
  astra_fuzz_read_properties (token);

  /* One display name per role id, in the same order. */
  if (astra_token_get_role_ids (token) != NULL)
    g_assert_cmpuint (g_strv_length ((char **) astra_token_get_role_ids (token)), ==,
                      g_strv_length ((char **) astra_token_get_role_names (token)));
}

/* The incremental reader, fed in uneven pieces, accepts what the whole-body reader
 * accepts, refuses what it refuses, and gives the same tokens. */
static void
check_stream_reader (const char *data,
                     gsize       size,
                     GListModel *whole,
                     guint       whole_unreadable)
{
  g_autoptr(AstraTokenListStream) stream = astra_token_list_stream_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  guint n_unreadable = G_MAXUINT;
  gboolean ok = TRUE;

  for (gsize at = 0, piece = 1; ok && at < size; at += piece, piece = piece * 3 % 17 + 1)
    ok = astra_token_list_stream_feed (stream, data + at, MIN (piece, size - at), &error);
  if (ok)
    tokens = astra_token_list_stream_finish (stream, &n_unreadable, &error);
  if (whole == NULL)
    {
      g_assert_null (tokens);
      g_assert_nonnull (error);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_cmpuint (n_unreadable, ==, whole_unreadable);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, g_list_model_get_n_items (whole));
  for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
    {
      g_autoptr(AstraToken) a = g_list_model_get_item (whole, i);
      g_autoptr(AstraToken) b = g_list_model_get_item (tokens, i);

      g_assert_cmpstr (astra_token_get_client_id (a), ==, astra_token_get_client_id (b));
      g_assert_cmpstr (astra_token_get_description (a), ==, astra_token_get_description (b));
    }
}

static void
check_list_reader (const char *data,
                   gsize       size,
                   gboolean    is_json)
{
  g_autoptr(GError) error = NULL;
  guint n_unreadable = G_MAXUINT;
  g_autoptr(GListModel) tokens = astra_token_list_parse (data, size, &n_unreadable, &error);

  if (tokens == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      check_stream_reader (data, size, NULL, 0);
      return;
    }
  g_assert_no_error (error);
  check_stream_reader (data, size, tokens, n_unreadable);
  /* Stricter than json-glib, never more lenient, except that an item holding text that is
   * not UTF-8 is skipped (counted) where json-glib refuses the whole body. */
  if (n_unreadable == 0)
    g_assert_true (is_json);
  g_assert_cmpuint (n_unreadable, ==, astra_token_list_get_n_unreadable (tokens));
  for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

      g_assert_true (g_utf8_validate (astra_token_get_client_id (token), -1, NULL));
      g_assert_true (g_utf8_validate (astra_token_get_description (token), -1, NULL));
      astra_fuzz_read_properties (token);
    }
}

static void
check_generated_token (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraGeneratedToken) token = astra_generated_token_new_from_json (object, &error);

  if (token == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (astra_generated_token_get_client_id (token));
  g_assert_nonnull (astra_generated_token_get_secret (token));
  g_assert_nonnull (astra_generated_token_get_token (token));
  astra_fuzz_read_properties (token);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  astra_fuzz_init ();
  role_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (role_names, (char *) "ad0566b5-2a67-49de-89e8-92258c2f2c98",
                       (char *) "Organization Administrator");
  g_hash_table_insert (role_names, (char *) "16a4b1d7-a615-41f8-95ca-52b0280f4d77",
                       (char *) "RO Svc Acct");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *copy = astra_fuzz_dup_unterminated (data, size);
  g_autoptr(JsonNode) root = astra_json_parse (copy, size, NULL);
  JsonArray *clients;

  check_list_reader (copy, size, root != NULL);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  check_generated_token (json_node_get_object (root));

  clients = astra_json_object_get_array (json_node_get_object (root), "clients");
  if (clients == NULL)
    return 0;

  for (guint i = 0; i < json_array_get_length (clients); i++)
    {
      JsonNode *element = json_array_get_element (clients, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        check_token (json_node_get_object (element));
    }

  return 0;
}

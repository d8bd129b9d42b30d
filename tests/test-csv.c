/* test-csv.c: portal and inventory CSV formats, atomic private writes, the portal reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "astra-csv.h"
#include "astra-generated-token.h"
#include "astra-token.h"
#include "astra-token-format.h"

#define HEADER "\"Client Id\",\"Client Secret\",\"Role\",\"Token\"\r\n"
#define GOOD   "\"ClientIdAaaaaaaaaaaaaaaa\",\"secret\",\"RO User\",\"\"\r\n"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static GBytes *
read_data_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
assert_bytes_equal (GBytes *actual,
                    GBytes *expected)
{
  gsize actual_len, expected_len;
  const char *a = g_bytes_get_data (actual, &actual_len);
  const char *e = g_bytes_get_data (expected, &expected_len);
  g_autofree char *a_str = g_strndup (a, actual_len);
  g_autofree char *e_str = g_strndup (e, expected_len);

  /* As strings first, for a readable diff on failure. */
  g_assert_cmpstr (a_str, ==, e_str);
  g_assert_cmpmem (a, actual_len, e, expected_len);
}

static AstraGeneratedToken *
new_generated (const char         *client_id,
               const char         *secret,
               const char         *token,
               const char * const *role_names,
               const char * const *role_ids)
{
  g_autofree char *composed = NULL;
  AstraGeneratedToken *generated;

  if (token == NULL)
    token = composed = astra_token_format_compose (client_id, secret);

  generated = astra_generated_token_new (client_id, secret, token);
  astra_generated_token_set_role_names (generated, role_names);
  astra_generated_token_set_role_ids (generated, role_ids);

  return generated;
}

static GListModel *
portal_tokens (void)
{
  static const char * const admin[] = { "Organization Administrator", NULL };
  static const char * const two[] = { "R/W Svc Acct", "RO Svc Acct", NULL };
  static const char * const ids[] = { "ad0566b5-2a67-49de-89e8-92258c2f2c98", NULL };
  GListStore *store = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(AstraGeneratedToken) a = NULL;
  g_autoptr(AstraGeneratedToken) b = NULL;
  g_autoptr(AstraGeneratedToken) c = NULL;

  a = new_generated ("AbCdEfGhIjKlMnOpQrStUvWx", "s3cr,et", NULL, admin, NULL);
  b = new_generated ("ZyXwVuTsRqPoNmLkJiHgFeDc", "+,-a\"b\"c,", NULL, two, NULL);
  /* No names known: the role ids stand in. */
  c = new_generated ("QwErTyUiOpAsDfGhJkLzXcVb", "-=@leading",
                     "AstraCS:QwErTyUiOpAsDfGhJkLzXcVb:"
                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                     NULL, ids);
  g_list_store_append (store, a);
  g_list_store_append (store, b);
  g_list_store_append (store, c);

  return G_LIST_MODEL (store);
}

static AstraToken *
new_token (const char *json,
           GHashTable *names,
           gboolean    in_keyring)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  AstraToken *token;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  token = astra_token_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  astra_token_resolve_roles (token, names);
  astra_token_set_in_keyring (token, in_keyring);

  return token;
}

static GListModel *
inventory_tokens (void)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GListStore *store = g_list_store_new (ASTRA_TYPE_TOKEN);
  static const struct {
    const char *json;
    gboolean in_keyring;
  } rows[] = {
    { "{\"clientId\": \"AbCdEfGhIjKlMnOpQrStUvWx\", \"roles\": [\"id-admin\"],"
      " \"generatedOn\": \"2025-06-17T02:26:29.846Z\", \"description\": \"Token for service A\","
      " \"tokenExpiry\": \"2025-12-31T23:59:59.000Z\"}", TRUE },
    { "{\"clientId\": \"ZyXwVuTsRqPoNmLkJiHgFeDc\", \"roles\": [\"id-rw\", \"legacy-role-name\"],"
      " \"generatedOn\": \"2025-09-02T19:18:10.799083554Z\","
      " \"description\": \"=HYPERLINK(\\\"http://evil\\\",\\\"click\\\")\", \"tokenExpiry\": null}", FALSE },
    { "{\"clientId\": \"=cmd|' /C calc'!A0\", \"roles\": [\"id-weird\"],"
      " \"description\": \"+1 @home\", \"tokenExpiry\": \"2026-01-01T00:00:00Z\"}", FALSE },
    { "{\"clientId\": \"QwErTyUiOpAsDfGhJkLzXcVb\", \"roles\": [],"
      " \"generatedOn\": \"2025-01-01T00:00:00.000Z\", \"description\": \"@SUM(A1:A2)\"}", TRUE },
    { "{\"clientId\": \"TabTabTabTabTabTabTabTab\", \"roles\": [\"a=b\", \"c\"],"
      " \"generatedOn\": \"2025-01-02T03:04:05Z\", \"description\": \"\\tindent\"}", FALSE },
    { "{\"clientId\": \"CrCrCrCrCrCrCrCrCrCrCrCr\", \"roles\": [\"id-admin\"],"
      " \"generatedOn\": \"2025-01-02T04:04:05+01:00\", \"description\": \"\\r-2+3\"}", FALSE },
    { "{\"clientId\": \"MinusMinusMinusMinusMinu\", \"roles\": [\"id-admin\"],"
      " \"generatedOn\": \"2025-01-02T03:04:05Z\", \"description\": \"-2+3 and a=b, safe\"}", FALSE },
  };

  g_hash_table_insert (names, (gpointer) "id-admin", (gpointer) "Organization Administrator");
  g_hash_table_insert (names, (gpointer) "id-rw", (gpointer) "R/W Svc Acct");
  g_hash_table_insert (names, (gpointer) "id-weird", (gpointer) "-weird role");

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(AstraToken) token = new_token (rows[i].json, names, rows[i].in_keyring);
      g_list_store_append (store, token);
    }

  return G_LIST_MODEL (store);
}

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("astra-csv-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
count_entries (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
    }
  g_remove (path);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* ------------------------------------------------------------------------------------------ */
/* Formats                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
test_portal_golden (void)
{
  g_autoptr(GListModel) tokens = portal_tokens ();
  g_autoptr(GBytes) expected = read_data_file ("portal.csv");
  g_autoptr(GBytes) actual = astra_csv_format_portal (tokens);

  assert_bytes_equal (actual, expected);
}

static void
test_inventory_golden (void)
{
  g_autoptr(GListModel) tokens = inventory_tokens ();
  g_autoptr(GBytes) expected = read_data_file ("inventory.csv");
  g_autoptr(GBytes) actual = astra_csv_format_inventory (tokens);

  assert_bytes_equal (actual, expected);
}

static void
test_inventory_has_no_secrets (void)
{
  g_autoptr(GListModel) tokens = inventory_tokens ();
  g_autoptr(GBytes) bytes = astra_csv_format_inventory (tokens);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_null (strstr (text, "AstraCS:"));
  g_assert_true (g_str_has_prefix (text, "\"Client Id\",\"Description\",\"Roles\",\"Generated On\","
                                         "\"Expires\",\"In Keyring\"\r\n"));
}

static void
test_empty_models (void)
{
  g_autoptr(GListStore) generated = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_TOKEN);
  g_autoptr(GBytes) portal = astra_csv_format_portal (G_LIST_MODEL (generated));
  g_autoptr(GBytes) inventory = astra_csv_format_inventory (G_LIST_MODEL (tokens));

  g_assert_cmpmem (g_bytes_get_data (portal, NULL), g_bytes_get_size (portal),
                   HEADER, strlen (HEADER));
  g_assert_cmpuint (g_bytes_get_size (inventory), >, 0);
}

static void
test_portal_round_trip (void)
{
  /* Byte-exact secrets: commas, quotes, leading + - = @, line breaks of every kind,
   * surrounding spaces, non-ASCII. */
  static const char * const secrets[] = {
    "plain",
    "a,b,c",
    "\"quoted\"",
    "\"\"",
    "+starts-with-plus",
    "-starts-with-minus",
    "=1+2",
    "@at",
    "line1\nline2",
    "line1\r\nline2\r\n",
    "lone\rcr",
    "  spaces around  ",
    "ünïcødé,€",
    ",",
    "\t",
  };
  static const char * const roles[] = { "R/W Svc Acct", "My \"custom\" role", NULL };
  g_autoptr(GListStore) store = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GListModel) back = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *client_id = g_strdup_printf ("RoundTripClientId%07u", i);
      g_autoptr(AstraGeneratedToken) token = new_generated (client_id, secrets[i], NULL,
                                                            i % 2 ? roles : NULL, NULL);
      g_list_store_append (store, token);
    }

  bytes = astra_csv_format_portal (G_LIST_MODEL (store));
  back = astra_csv_parse_portal (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (back), ==, G_N_ELEMENTS (secrets));

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autoptr(AstraGeneratedToken) orig = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(AstraGeneratedToken) read = g_list_model_get_item (back, i);
      const char * const *names = astra_generated_token_get_role_names (read);

      g_assert_cmpstr (astra_generated_token_get_client_id (read), ==,
                       astra_generated_token_get_client_id (orig));
      g_assert_cmpstr (astra_generated_token_get_secret (read), ==, secrets[i]);
      g_assert_cmpstr (astra_generated_token_get_token (read), ==,
                       astra_generated_token_get_token (orig));
      if (i % 2)
        g_assert_cmpstrv (names, roles);
      else
        g_assert_true (names == NULL || names[0] == NULL);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Writing files                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void
test_write_new_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, ASTRA_CSV_PORTAL_FILE_NAME, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GListModel) tokens = portal_tokens ();
  g_autoptr(GBytes) bytes = astra_csv_format_portal (tokens);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  mode_t old_umask;

  /* Even a permissive umask yields a private file. */
  old_umask = umask (0);
  g_assert_true (astra_csv_write_file (file, bytes, NULL, &error));
  umask (old_umask);
  g_assert_no_error (error);

  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpuint (count_entries (dir), ==, 1);

  remove_tree (dir);
}

static void
test_write_replaces_public_file (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "tokens.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("new contents\r\n", 14);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (path, "old contents, longer than the new ones\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_cmpuint (file_mode (path), ==, 0644);

  g_assert_true (astra_csv_write_file (file, bytes, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new contents\r\n");
  g_assert_cmpuint (count_entries (dir), ==, 1);

  remove_tree (dir);
}

static void
test_write_to_directory_fails (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *target = g_build_filename (dir, "GeneratedToken.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (target);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (target, 0700), ==, 0);

  g_assert_false (astra_csv_write_file (file, bytes, NULL, &error));
  g_assert_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "GeneratedToken.csv"));
  g_assert_true (g_file_test (target, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_cmpuint (count_entries (target), ==, 0);

  remove_tree (dir);
}

static void
test_write_missing_folder_fails (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *target = g_build_filename (dir, "no-such-folder", "tokens.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (target);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;

  g_assert_false (astra_csv_write_file (file, bytes, NULL, &error));
  g_assert_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_WRITE);
  g_assert_cmpuint (count_entries (dir), ==, 0);

  remove_tree (dir);
}

static void
test_write_read_only_folder_fails (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *target = g_build_filename (dir, "tokens.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (target);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("new", 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  if (geteuid () == 0)
    {
      /* root writes anywhere; the folder-as-target and missing-folder cases still run. */
      g_test_skip ("permissions do not apply to root");
      remove_tree (dir);
      return;
    }

  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);

  g_assert_false (astra_csv_write_file (file, bytes, NULL, &error));
  g_assert_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_WRITE);

  /* The old file is untouched and nothing was added. */
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (count_entries (dir), ==, 1);

  g_chmod (dir, 0700);
  remove_tree (dir);
}

static void
test_write_fails_midway (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *target = g_build_filename (dir, "tokens.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (target);
  g_autoptr(GListModel) tokens = portal_tokens ();
  g_autoptr(GBytes) bytes = astra_csv_format_portal (tokens);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  struct rlimit saved, limited;
  void (*saved_handler) (int);
  gboolean ok;

  g_assert_true (g_file_set_contents (target, "old", -1, NULL));

  /* A file size limit makes write() fail with EFBIG after a few bytes, also for root:
   * a disk filling up in the middle of the export. */
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 16;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  ok = astra_csv_write_file (file, bytes, NULL, &error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);

  g_assert_false (ok);
  g_assert_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_WRITE);
  g_test_message ("%s", error->message);

  /* The old file is untouched and no temporary file is left. */
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (count_entries (dir), ==, 1);

  remove_tree (dir);
}

static void
test_write_cancelled (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *target = g_build_filename (dir, "tokens.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (target);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (astra_csv_write_file (file, bytes, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_entries (dir), ==, 0);

  remove_tree (dir);
}

static void
on_write_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_write_async (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "inventory.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GListModel) tokens = inventory_tokens ();
  g_autoptr(GBytes) bytes = astra_csv_format_inventory (tokens);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  astra_csv_write_file_async (file, bytes, NULL, on_write_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (astra_csv_write_file_finish (file, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  remove_tree (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static GListModel *
parse (const char  *text,
       GError     **error)
{
  return astra_csv_parse_portal (text, strlen (text), error);
}

static void
test_read_golden (void)
{
  g_autoptr(GBytes) bytes = read_data_file ("portal.csv");
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraGeneratedToken) second = NULL;
  g_autoptr(AstraGeneratedToken) third = NULL;
  static const char * const two[] = { "R/W Svc Acct", "RO Svc Acct", NULL };

  tokens = astra_csv_parse_portal (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, 3);

  second = g_list_model_get_item (tokens, 1);
  g_assert_cmpstr (astra_generated_token_get_client_id (second), ==, "ZyXwVuTsRqPoNmLkJiHgFeDc");
  g_assert_cmpstr (astra_generated_token_get_secret (second), ==, "+,-a\"b\"c,");
  g_assert_cmpstrv (astra_generated_token_get_role_names (second), two);

  third = g_list_model_get_item (tokens, 2);
  g_assert_cmpstr (astra_generated_token_get_secret (third), ==, "-=@leading");
  g_assert_cmpstr (astra_generated_token_get_token (third), ==,
                   "AstraCS:QwErTyUiOpAsDfGhJkLzXcVb:"
                   "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
}

static void
test_read_accepts (void)
{
  static const char * const inputs[] = {
    /* BOM + CRLF */
    "\xef\xbb\xbf\"Client Id\",\"Client Secret\",\"Role\",\"Token\"\r\n"
    "\"ClientIdAaaaaaaaaaaaaaaa\",\"s,e\"\"c\",\"RO User\",\"\"\r\n",
    /* LF, no final line break */
    "\"Client Id\",\"Client Secret\",\"Role\",\"Token\"\n"
    "\"ClientIdAaaaaaaaaaaaaaaa\",\"s,e\"\"c\",\"RO User\",\"\"",
    /* unquoted simple fields, trailing blank lines, header in another case */
    "client id,CLIENT SECRET,Role,Token\n"
    "ClientIdAaaaaaaaaaaaaaaa,\"s,e\"\"c\",RO User,\n\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) tokens = parse (inputs[i], &error);
      g_autoptr(AstraGeneratedToken) token = NULL;
      g_autofree char *composed = NULL;

      g_test_message ("input %u", i);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, 1);
      token = g_list_model_get_item (tokens, 0);
      g_assert_cmpstr (astra_generated_token_get_client_id (token), ==, "ClientIdAaaaaaaaaaaaaaaa");
      g_assert_cmpstr (astra_generated_token_get_secret (token), ==, "s,e\"c");
      /* An empty Token column is composed from client id and secret. */
      composed = astra_token_format_compose ("ClientIdAaaaaaaaaaaaaaaa", "s,e\"c");
      g_assert_cmpstr (astra_generated_token_get_token (token), ==, composed);
    }
}

static void
test_read_rejects (void)
{
  static const struct {
    const char *input;
    int         code;
    const char *prefix;   /* "Line N:" */
  } cases[] = {
    { HEADER GOOD "\"ClientIdBbbbbbbbbbbbbbbb\",\"unterminated\r\n", ASTRA_CSV_ERROR_MALFORMED, "Line 3:" },
    { HEADER GOOD "\"ClientIdBbbbbbbbbbbbbbbb\",\"s\",\"r\",\"t\",\"extra\"\r\n", ASTRA_CSV_ERROR_MALFORMED, "Line 3:" },
    { HEADER "\"ClientIdBbbbbbbbbbbbbbbb\",\"s\",\"r\"\r\n", ASTRA_CSV_ERROR_MALFORMED, "Line 2:" },
    { HEADER "\"ClientIdBbbbbbbbbbbbbbbb\"x,\"s\",\"r\",\"t\"\r\n", ASTRA_CSV_ERROR_MALFORMED, "Line 2:" },
    { HEADER "ClientId\"Bbbb,\"s\",\"r\",\"t\"\r\n", ASTRA_CSV_ERROR_MALFORMED, "Line 2:" },
    { HEADER GOOD "\"\",\"s\",\"r\",\"t\"\r\n", ASTRA_CSV_ERROR_MALFORMED, "Line 3:" },
    { HEADER GOOD "\"ClientIdBbbbbbbbbbbbbbbb\",\"\",\"r\",\"t\"\r\n", ASTRA_CSV_ERROR_MALFORMED, "Line 3:" },
    /* A secret spanning lines 2-3 moves the next record to line 4. */
    { HEADER "\"ClientIdAaaaaaaaaaaaaaaa\",\"multi\r\nline\",\"r\",\"t\"\r\n\"x\"\r\n",
      ASTRA_CSV_ERROR_MALFORMED, "Line 4:" },
    { HEADER GOOD GOOD "\"ClientIdBbbbbbbbbbbbbbbb\",\"s\xff\",\"r\",\"t\"\r\n", ASTRA_CSV_ERROR_MALFORMED, "Line 4:" },
    { "\"Client Id\",\"Secret\",\"Role\",\"Token\"\r\n" GOOD, ASTRA_CSV_ERROR_HEADER, "Line 1:" },
    { "\"Client Id\",\"Client Secret\",\"Role\"\r\n", ASTRA_CSV_ERROR_HEADER, "Line 1:" },
    { "\n\n\"a\",\"b\"\n", ASTRA_CSV_ERROR_HEADER, "Line 3:" },
    { "", ASTRA_CSV_ERROR_EMPTY, NULL },
    { "\xef\xbb\xbf\r\n", ASTRA_CSV_ERROR_EMPTY, NULL },
    { HEADER, ASTRA_CSV_ERROR_EMPTY, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) tokens = parse (cases[i].input, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (tokens);
      g_assert_error (error, ASTRA_CSV_ERROR, cases[i].code);
      if (cases[i].prefix != NULL)
        g_assert_true (g_str_has_prefix (error->message, cases[i].prefix));
    }
}

static void
test_read_rejects_nul (void)
{
  static const char data[] = HEADER "\"ClientIdAaaaaaaaaaaaaaaa\",\"s\0t\",\"r\",\"t\"\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = astra_csv_parse_portal (data, sizeof data - 1, &error);

  g_assert_null (tokens);
  g_assert_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (error->message, "Line 2:"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/csv/portal/golden", test_portal_golden);
  g_test_add_func ("/csv/portal/round-trip", test_portal_round_trip);
  g_test_add_func ("/csv/inventory/golden", test_inventory_golden);
  g_test_add_func ("/csv/inventory/no-secrets", test_inventory_has_no_secrets);
  g_test_add_func ("/csv/empty-models", test_empty_models);
  g_test_add_func ("/csv/write/new-file", test_write_new_file);
  g_test_add_func ("/csv/write/replaces-public-file", test_write_replaces_public_file);
  g_test_add_func ("/csv/write/directory-fails", test_write_to_directory_fails);
  g_test_add_func ("/csv/write/missing-folder-fails", test_write_missing_folder_fails);
  g_test_add_func ("/csv/write/read-only-folder-fails", test_write_read_only_folder_fails);
  g_test_add_func ("/csv/write/fails-midway", test_write_fails_midway);
  g_test_add_func ("/csv/write/cancelled", test_write_cancelled);
  g_test_add_func ("/csv/write/async", test_write_async);
  g_test_add_func ("/csv/read/golden", test_read_golden);
  g_test_add_func ("/csv/read/accepts", test_read_accepts);
  g_test_add_func ("/csv/read/rejects", test_read_rejects);
  g_test_add_func ("/csv/read/rejects-nul", test_read_rejects_nul);

  return g_test_run ();
}

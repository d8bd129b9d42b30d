/* test-cli-pgp.c: `astra-tokens-cli export` and `import` against the simulator, the real
 * keyring of the private test session and real GnuPG
 *
 * The simulator runs in this process (the CLI reaches it over loopback while the test
 * turns its main loop); its organization is connected in the keyring with a custom API
 * URL, and two tokens made through the API are stored as the app stores them. Files the
 * CLI writes are opened with stock gpg and compared byte for byte with the portal CSV of
 * the same tokens, which is what the app's plain export writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "astra-client.h"
#include "astra-connection.h"
#include "astra-csv.h"
#include "astra-generated-token.h"
#include "astra-role.h"
#include "astra-secret-store.h"
#include "astra-sim-server.h"
#include "astra-test-async.h"
#include "astra-test-gpg.h"

#define PASSPHRASE "a passphrase for the team"

static AstraSimServer   *sim;
static AstraSecretStore *store;
static AstraConnection  *connection;
static char             *home;
static char             *out_dir;
static char             *client_ids[2];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

/* Runs astra-tokens-cli with the main loop turning (the simulator is in this process).
 * → its exit status; @out and @err (nullable) get its output. */
static int
run_cli (char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("ASTRA_CLI_PROGRAM"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, astra_test_store_result_cb, &result);
  g_subprocess_communicate_utf8_finish (process, astra_test_wait (&result), &stdout_text,
                                        &stderr_text, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, NULL);

  g_test_message ("stdout: %s\nstderr: %s", stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static AstraGeneratedToken *
lookup_stored (const char *client_id,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_secret_store_lookup_generated_async (store, astra_connection_get_org_id (connection),
                                             client_id, NULL, astra_test_store_result_cb, &result);
  return astra_secret_store_lookup_generated_finish (store, astra_test_wait (&result), error);
}

/* The portal CSV of the stored tokens, as the plain export writes it. */
static GBytes *
expected_csv (guint n)
{
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraGeneratedToken) token = lookup_stored (client_ids[i], &error);

      g_assert_no_error (error);
      g_list_store_append (tokens, token);
    }
  return astra_csv_format_portal (G_LIST_MODEL (tokens));
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

static void
delete_stored (const char *client_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_secret_store_delete_generated_async (store, astra_connection_get_org_id (connection),
                                             client_id, NULL, astra_test_store_result_cb, &result);
  g_assert_true (astra_secret_store_delete_generated_finish (store, astra_test_wait (&result), &error));
  g_assert_no_error (error);
}

static char *
write_passphrase_file (const char *name,
                       const char *passphrase)
{
  g_autofree char *path = g_build_filename (out_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, passphrase, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
assert_dir_holds_only (const char *allowed)
{
  g_autoptr(GDir) dir = g_dir_open (out_dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_strcmp0 (name, allowed) != 0 && g_strcmp0 (name, "passphrase") != 0 &&
        g_strcmp0 (name, "wrong") != 0)
      g_error ("left behind: %s", name);
}

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                      */

static void
test_export_recipient (void)
{
  g_autofree char *path = g_build_filename (out_dir, "GeneratedToken.csv.gpg", NULL);
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) expected = expected_csv (2);

  g_assert_cmpint (run_cli (NULL, NULL, "export", "--recipient", "alice@example.org",
                            "--output", path, client_ids[0], client_ids[1], NULL), ==, 0);
  cipher = read_file (path);
  g_assert_null (memmem (g_bytes_get_data (cipher, NULL), g_bytes_get_size (cipher), "AstraCS:", 8));

  plain = astra_test_gpg_run (home, cipher, "--decrypt");
  assert_bytes_equal (plain, expected);
  g_unlink (path);
}

static void
test_export_armor_stdout (void)
{
  g_autofree char *out = NULL;
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) expected = expected_csv (1);

  g_assert_cmpint (run_cli (&out, NULL, "export", "--armor", "-r", "alice@example.org",
                            "-o", "-", client_ids[0], NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "-----BEGIN PGP MESSAGE-----"));
  cipher = g_bytes_new (out, strlen (out));
  plain = astra_test_gpg_run (home, cipher, "--decrypt");
  assert_bytes_equal (plain, expected);
}

/* Exported with a passphrase, opened with stock gpg, imported back after the keyring lost
 * them: the secrets in the keyring are the ones exported. */
static void
test_passphrase_round_trip (void)
{
  g_autofree char *path = g_build_filename (out_dir, "team.gpg", NULL);
  g_autofree char *passphrase_file = write_passphrase_file ("passphrase", PASSPHRASE "\n");
  g_autofree char *out = NULL;
  g_autoptr(GBytes) expected = expected_csv (2);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) cipher = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(AstraGeneratedToken) before = lookup_stored (client_ids[1], &error);

    g_assert_no_error (error);
    secret = g_strdup (astra_generated_token_get_secret (before));
  }

  g_assert_cmpint (run_cli (NULL, NULL, "export", "--passphrase-file", passphrase_file,
                            "-o", path, client_ids[0], client_ids[1], NULL), ==, 0);
  cipher = read_file (path);
  plain = astra_test_gpg_run (home, cipher, "--pinentry-mode", "loopback",
                              "--passphrase-file", passphrase_file, "--decrypt");
  assert_bytes_equal (plain, expected);

  delete_stored (client_ids[0]);
  delete_stored (client_ids[1]);
  g_assert_null (lookup_stored (client_ids[1], NULL));

  g_assert_cmpint (run_cli (&out, NULL, "import", "--passphrase-file", passphrase_file,
                            path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Stored 2 tokens in the keyring under Acme Analytics"));
  {
    g_autoptr(AstraGeneratedToken) after = lookup_stored (client_ids[1], &error);

    g_assert_no_error (error);
    g_assert_cmpstr (astra_generated_token_get_secret (after), ==, secret);
  }
  g_unlink (path);
}

/* Encrypted for the user's key: gpg-agent has the (passphrase-less) key, nothing to ask. */
static void
test_import_for_key (void)
{
  g_autofree char *path = g_build_filename (out_dir, "GeneratedToken.csv.asc", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraGeneratedToken) after = NULL;

  g_assert_cmpint (run_cli (NULL, NULL, "export", "-a", "-r", "alice@example.org", "-o", path,
                            client_ids[0], NULL), ==, 0);
  delete_stored (client_ids[0]);

  g_assert_cmpint (run_cli (&out, NULL, "import", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Stored 1 token in the keyring"));
  after = lookup_stored (client_ids[0], &error);
  g_assert_no_error (error);
  g_unlink (path);
}

/* A token no organization lists is named and not stored; exit status 1. */
static void
test_import_unknown (void)
{
  g_autofree char *path = g_build_filename (out_dir, "GeneratedToken.csv", NULL);
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(AstraGeneratedToken) unknown = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *out = NULL;

  unknown = astra_generated_token_new ("NotInAnyOrgAbcdefghijklm", "secret",
                                       "AstraCS:NotInAnyOrgAbcdefghijklm:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_list_store_append (tokens, unknown);
  csv = astra_csv_format_portal (G_LIST_MODEL (tokens));
  g_file_set_contents (path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL);

  g_assert_cmpint (run_cli (&out, NULL, "import", path, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "Not stored: NotInAnyOrgAbcdefghijklm"));
  g_assert_null (strstr (out, "secret"));
  g_unlink (path);
}

static void
test_errors (void)
{
  g_autofree char *path = g_build_filename (out_dir, "GeneratedToken.csv.gpg", NULL);
  g_autofree char *good = write_passphrase_file ("passphrase", PASSPHRASE);
  g_autofree char *err = NULL;
  g_autofree char *wrong = NULL;

  /* The command line itself. */
  g_assert_cmpint (run_cli (NULL, NULL, "export", client_ids[0], NULL), ==, 64);
  g_assert_cmpint (run_cli (NULL, NULL, "export", "-r", "alice@example.org", NULL), ==, 64);
  g_assert_cmpint (run_cli (NULL, NULL, "import", NULL), ==, 64);

  /* A client id the keyring does not hold. */
  g_assert_cmpint (run_cli (NULL, &err, "export", "-r", "alice@example.org", "-o", path,
                            "NoSuchClientIdAbcdefghij", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "NoSuchClientIdAbcdefghij"));
  g_clear_pointer (&err, g_free);

  /* No such key: nothing written, no temporary file left. */
  g_assert_cmpint (run_cli (NULL, &err, "export", "-r", "nobody@example.org", "-o", path,
                            client_ids[0], NULL), ==, 2);
  g_assert_nonnull (strstr (err, "nobody@example.org"));
  assert_dir_holds_only ("passphrase");
  g_clear_pointer (&err, g_free);

  /* A wrong passphrase: said so, nothing stored. */
  g_assert_cmpint (run_cli (NULL, NULL, "export", "--passphrase-file", good, "-o", path,
                            client_ids[0], NULL), ==, 0);
  wrong = write_passphrase_file ("wrong", "not it");
  g_assert_cmpint (run_cli (NULL, &err, "import", "--passphrase-file", wrong, path, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "passphrase is wrong"));
  g_clear_pointer (&err, g_free);

  /* Truncated. */
  {
    g_autoptr(GBytes) whole = read_file (path);

    g_file_set_contents (path, g_bytes_get_data (whole, NULL), g_bytes_get_size (whole) / 2, NULL);
    g_assert_cmpint (run_cli (NULL, &err, "import", "--passphrase-file", good, path, NULL), ==, 2);
    g_assert_nonnull (strstr (err, "damaged"));
  }
  g_unlink (path);
}

/* ------------------------------------------------------------------------------------------ */
/* Set-up                                                                                     */

static char *
create_token (AstraClient *client,
              const char  *role_id,
              const char  *role_name)
{
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GError) error = NULL;
  const char *role_ids[] = { role_id, NULL };
  const char *role_names[] = { role_name, NULL };

  astra_client_create_token_async (client, role_ids, "for a teammate", NULL, NULL,
                                   astra_test_store_result_cb, &created);
  token = astra_client_create_token_finish (client, astra_test_wait (&created), &error);
  g_assert_no_error (error);
  /* As the app stores a token it generated: with the role names it showed. */
  astra_generated_token_set_role_names (token, role_names);
  astra_generated_token_set_org_id (token, astra_connection_get_org_id (connection));
  astra_secret_store_save_generated_async (store, connection, token, NULL, astra_test_store_result_cb, &saved);
  g_assert_true (astra_secret_store_save_generated_finish (store, astra_test_wait (&saved), &error));
  g_assert_no_error (error);

  return g_strdup (astra_generated_token_get_client_id (token));
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(AstraRole) role = NULL;

  home = astra_test_gpg_make_home ("apgp-cli-XXXXXX");
  g_free (astra_test_gpg_generate_key (home, "Alice Admin <alice@example.org>", "never", NULL));
  g_setenv ("GNUPGHOME", home, TRUE);
  out_dir = astra_test_gpg_make_home ("apgp-out-XXXXXX");

  sim = astra_sim_server_new ();
  astra_sim_server_set_org_name (sim, "Acme Analytics");
  g_assert_true (astra_sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);

  store = astra_secret_store_new ();
  connection = astra_connection_new (astra_sim_server_get_org_id (sim), "Acme Analytics",
                                     ASTRA_ENVIRONMENT_CUSTOM, astra_sim_server_get_base_url (sim));
  astra_secret_store_save_connection_async (store, connection, astra_sim_server_get_admin_token (sim),
                                            NULL, astra_test_store_result_cb, &saved);
  g_assert_true (astra_secret_store_save_connection_finish (store, astra_test_wait (&saved), &error));
  g_assert_no_error (error);

  client = astra_client_new (astra_sim_server_get_base_url (sim),
                             astra_sim_server_get_admin_token (sim), &error);
  g_assert_no_error (error);
  astra_client_list_roles_async (client, NULL, astra_test_store_result_cb, &listed);
  roles = astra_client_list_roles_finish (client, astra_test_wait (&listed), &error);
  g_assert_no_error (error);
  role = g_list_model_get_item (roles, 0);

  client_ids[0] = create_token (client, astra_role_get_id (role), astra_role_get_name (role));
  client_ids[1] = create_token (client, astra_role_get_id (role), astra_role_get_name (role));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  set_up ();

  g_test_add_func ("/cli-pgp/export/recipient", test_export_recipient);
  g_test_add_func ("/cli-pgp/export/armor-stdout", test_export_armor_stdout);
  g_test_add_func ("/cli-pgp/round-trip/passphrase", test_passphrase_round_trip);
  g_test_add_func ("/cli-pgp/round-trip/for-key", test_import_for_key);
  g_test_add_func ("/cli-pgp/import/unknown", test_import_unknown);
  g_test_add_func ("/cli-pgp/errors", test_errors);

  status = g_test_run ();

  astra_sim_server_disconnect (sim);
  g_clear_object (&sim);
  astra_test_gpg_remove_home (home);
  astra_test_gpg_remove_home (out_dir);
  return status;
}

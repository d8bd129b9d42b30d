/* test-astrarc.c: the .astrarc importer (astra-api.md §6.2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "astra-rc.h"

#define TOKEN_PROD  "AstraCS:ProdProdProdProdProdProd:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
#define TOKEN_DEV   "AstraCS:DevvDevvDevvDevvDevvDevv:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
#define TOKEN_TEST  "AstraCS:TestTestTestTestTestTest:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6"
#define TOKEN_LOCAL "AstraCS:LocalLocalLocalLocalLoca:18ac3e7343f016890c510e93f935261169d9e3f565436429830faf0934f4f8e4"
#define TOKEN_HTTPS "AstraCS:SecureSecureSecureSecure:3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea"

static GListModel *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GListModel *profiles;

  profiles = astra_rc_load_file (file, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profiles);
  g_assert_true (g_list_model_get_item_type (profiles) == ASTRA_TYPE_RC_PROFILE);

  return profiles;
}

static AstraRcProfile *
get_profile (GListModel *profiles,
             guint       position,
             const char *name)
{
  AstraRcProfile *profile = g_list_model_get_item (profiles, position);

  g_assert_nonnull (profile);
  g_assert_cmpstr (astra_rc_profile_get_name (profile), ==, name);
  g_object_unref (profile);   /* the model keeps it alive */

  return profile;
}

static void
assert_usable (AstraRcProfile   *profile,
               const char       *token,
               AstraEnvironment  environment,
               const char       *api_url)
{
  g_autofree char *message = NULL;

  g_assert_null (astra_rc_profile_get_error (profile));
  g_object_get (profile, "error-message", &message, NULL);
  g_assert_null (message);
  g_assert_cmpstr (astra_rc_profile_get_token (profile), ==, token);
  g_assert_cmpint (astra_rc_profile_get_environment (profile), ==, environment);
  g_assert_cmpstr (astra_rc_profile_get_api_url (profile), ==, api_url);
}

static void
assert_broken (AstraRcProfile *profile,
               int             code)
{
  const GError *error = astra_rc_profile_get_error (profile);
  g_autofree char *message = NULL;

  g_assert_nonnull (error);
  g_test_message ("[%s] %s", astra_rc_profile_get_name (profile), error->message);
  g_assert_error ((GError *) error, ASTRA_RC_ERROR, code);
  g_object_get (profile, "error-message", &message, NULL);
  g_assert_cmpstr (message, ==, error->message);
  /* A message never quotes a token. */
  g_assert_null (strstr (error->message, "AstraCS:"));
}

static void
test_profiles (void)
{
  g_autoptr(GListModel) profiles = load_fixture ("astrarc-profiles");
  static const char * const names[] = {
    "default", "prod-org", "dev-org", "test-org", "local-sim", "local-https", "no-token",
    "bad-token", "bad-env", "local-missing", "local-bad", "local-http-remote", "empty", "local-query",
    "token-in-env",
  };
  AstraRcProfile *profile;

  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    get_profile (profiles, i, names[i]);

  /* [default] holds prod-org's token: astra-cli's "config use" copy. */
  profile = get_profile (profiles, 0, "default");
  assert_usable (profile, TOKEN_PROD, ASTRA_ENVIRONMENT_PRODUCTION, "https://api.astra.datastax.com/v2");
  g_assert_true (astra_rc_profile_is_default_copy (profile));

  /* Junk lines around it do not matter; no ASTRA_ENV means production. */
  profile = get_profile (profiles, 1, "prod-org");
  assert_usable (profile, TOKEN_PROD, ASTRA_ENVIRONMENT_PRODUCTION, "https://api.astra.datastax.com/v2");
  g_assert_false (astra_rc_profile_is_default_copy (profile));

  /* CRLF line ends, lower-case environment. */
  profile = get_profile (profiles, 2, "dev-org");
  assert_usable (profile, TOKEN_DEV, ASTRA_ENVIRONMENT_DEVELOPMENT, "https://api.dev.cloud.datastax.com/v2");

  /* Indented lines, quoted values, an unknown key. */
  profile = get_profile (profiles, 3, "test-org");
  assert_usable (profile, TOKEN_TEST, ASTRA_ENVIRONMENT_TEST, "https://api.test.cloud.datastax.com/v2");

  /* LOCAL: the endpoint, /v2 included, is the API base (trailing slash dropped). */
  profile = get_profile (profiles, 4, "local-sim");
  assert_usable (profile, TOKEN_LOCAL, ASTRA_ENVIRONMENT_CUSTOM, "http://127.0.0.1:8181/v2");
  {
    guint environment = 99;
    g_autofree char *api_url = NULL;
    g_object_get (profile, "environment", &environment, "api-url", &api_url, NULL);
    g_assert_cmpuint (environment, ==, ASTRA_ENVIRONMENT_CUSTOM);
    g_assert_cmpstr (api_url, ==, "http://127.0.0.1:8181/v2");
  }

  /* A trailing comment after the token is not part of it. */
  profile = get_profile (profiles, 5, "local-https");
  assert_usable (profile, TOKEN_HTTPS, ASTRA_ENVIRONMENT_CUSTOM, "https://astra.example.com/api/v2");

  assert_broken (get_profile (profiles, 6, "no-token"), ASTRA_RC_ERROR_NO_TOKEN);
  g_assert_null (astra_rc_profile_get_token (get_profile (profiles, 6, "no-token")));

  profile = get_profile (profiles, 7, "bad-token");
  assert_broken (profile, ASTRA_RC_ERROR_BAD_TOKEN);
  g_assert_null (astra_rc_profile_get_token (profile));

  profile = get_profile (profiles, 8, "bad-env");
  assert_broken (profile, ASTRA_RC_ERROR_BAD_ENVIRONMENT);
  g_assert_nonnull (strstr (astra_rc_profile_get_error (profile)->message, "STAGING"));
  g_assert_null (astra_rc_profile_get_api_url (profile));

  assert_broken (get_profile (profiles, 9, "local-missing"), ASTRA_RC_ERROR_BAD_ENDPOINT);
  assert_broken (get_profile (profiles, 10, "local-bad"), ASTRA_RC_ERROR_BAD_ENDPOINT);
  /* Plain HTTP only to this computer. */
  assert_broken (get_profile (profiles, 11, "local-http-remote"), ASTRA_RC_ERROR_BAD_ENDPOINT);
  assert_broken (get_profile (profiles, 12, "empty"), ASTRA_RC_ERROR_NO_TOKEN);
  /* A query string would be refused when connecting: refused at import already (fuzzer). */
  assert_broken (get_profile (profiles, 13, "local-query"), ASTRA_RC_ERROR_BAD_ENDPOINT);
  /* A token pasted into the wrong key is not echoed into the message (fuzzer). */
  profile = get_profile (profiles, 14, "token-in-env");
  assert_broken (profile, ASTRA_RC_ERROR_BAD_ENVIRONMENT);
  g_assert_null (strstr (astra_rc_profile_get_error (profile)->message, "AstraCS:"));
}

static void
test_default_not_a_copy (void)
{
  g_autoptr(GListModel) profiles = load_fixture ("astrarc-default-own");
  AstraRcProfile *profile;

  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, 2);
  profile = get_profile (profiles, 0, "default");
  g_assert_null (astra_rc_profile_get_error (profile));
  g_assert_false (astra_rc_profile_is_default_copy (profile));
  g_assert_false (astra_rc_profile_is_default_copy (get_profile (profiles, 1, "prod-org")));
}

static void
test_parse_inline (void)
{
  static const char text[] =
    "\xef\xbb\xbf[one]\n"
    "ASTRA_DB_APPLICATION_TOKEN=AstraCS:bad\n"
    "[two]\n"
    "astra_env=test\n"
    "[one]\n"
    /* A repeated section continues the first; the last value wins. */
    "ASTRA_DB_APPLICATION_TOKEN=" TOKEN_DEV "\n"
    "ASTRA_ENV=DEV\n"
    "[two]\n"
    "ASTRA_DB_APPLICATION_TOKEN=\"" TOKEN_TEST "\"";
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) profiles = astra_rc_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, 2);
  assert_usable (get_profile (profiles, 0, "one"), TOKEN_DEV, ASTRA_ENVIRONMENT_DEVELOPMENT,
                 "https://api.dev.cloud.datastax.com/v2");
  assert_usable (get_profile (profiles, 1, "two"), TOKEN_TEST, ASTRA_ENVIRONMENT_TEST,
                 "https://api.test.cloud.datastax.com/v2");
}

static void
test_parse_degenerate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) empty = astra_rc_parse ("", 0, &error);
  g_autoptr(GListModel) junk = NULL;
  g_autoptr(GListModel) binary = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (empty), ==, 0);

  junk = astra_rc_parse ("just some text\n= =\n[\n]\n", 22, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (junk), ==, 0);

  /* Only non-UTF-8 input fails the whole file. */
  binary = astra_rc_parse ("[a]\nASTRA_ENV=\xff\xfe\n", 16, &error);
  g_assert_null (binary);
  g_assert_error (error, ASTRA_RC_ERROR, ASTRA_RC_ERROR_UNREADABLE);
}

static void
write_rc (const char *path,
          const char *profile)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = g_strdup_printf ("[%s]\nASTRA_DB_APPLICATION_TOKEN=" TOKEN_PROD "\n", profile);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
assert_found (const char *expected_path,
              const char *expected_profile)
{
  g_autoptr(GFile) found = astra_rc_find_file ();
  g_autoptr(GFile) expected = NULL;
  g_autoptr(GListModel) profiles = NULL;
  g_autoptr(GError) error = NULL;

  if (expected_path == NULL)
    {
      g_assert_null (found);
      return;
    }

  expected = g_file_new_for_path (expected_path);
  g_assert_nonnull (found);
  g_assert_true (g_file_equal (found, expected));

  profiles = astra_rc_load_file (found, &error);
  g_assert_no_error (error);
  get_profile (profiles, 0, expected_profile);
}

static void
test_find_file (void)
{
  /* main() pointed HOME and XDG_CONFIG_HOME at a fresh folder before GLib read them. */
  const char *config_home = g_getenv ("XDG_CONFIG_HOME");
  g_autofree char *home_rc = g_build_filename (g_get_home_dir (), ".astrarc", NULL);
  g_autofree char *xdg_rc = NULL;
  g_autofree char *env_rc = g_build_filename (g_get_home_dir (), "elsewhere", "my.astrarc", NULL);
  g_autofree char *missing = g_build_filename (g_get_home_dir (), "no-such.astrarc", NULL);

  g_assert_nonnull (config_home);
  g_assert_cmpstr (config_home, ==, g_get_user_config_dir ());
  xdg_rc = g_build_filename (config_home, "astra", ".astrarc", NULL);

  g_unsetenv ("ASTRARC");
  assert_found (NULL, NULL);

  write_rc (home_rc, "from-home");
  assert_found (home_rc, "from-home");

  write_rc (xdg_rc, "from-xdg");
  assert_found (xdg_rc, "from-xdg");

  write_rc (env_rc, "from-env");
  g_setenv ("ASTRARC", env_rc, TRUE);
  assert_found (env_rc, "from-env");

  /* $ASTRARC naming a missing file falls through to the next place. */
  g_setenv ("ASTRARC", missing, TRUE);
  assert_found (xdg_rc, "from-xdg");

  g_setenv ("ASTRARC", "", TRUE);
  g_remove (xdg_rc);
  assert_found (home_rc, "from-home");

  g_unsetenv ("ASTRARC");
}

static void
test_load_errors (void)
{
  g_autofree char *missing_path = g_build_filename (g_get_home_dir (), "missing.astrarc", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) folder = g_file_new_for_path (g_get_home_dir ());
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) profiles = NULL;

  profiles = astra_rc_load_file (missing, &error);
  g_assert_null (profiles);
  g_assert_error (error, ASTRA_RC_ERROR, ASTRA_RC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  profiles = astra_rc_load_file (folder, &error);
  g_assert_null (profiles);
  g_assert_error (error, ASTRA_RC_ERROR, ASTRA_RC_ERROR_UNREADABLE);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_load_async (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "astrarc-default-own", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) profiles = NULL;
  g_autoptr(GError) error = NULL;

  astra_rc_load_file_async (file, NULL, on_loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  profiles = astra_rc_load_file_finish (file, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, 2);
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

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = NULL;
  g_autofree char *home = NULL;
  g_autofree char *config = NULL;
  int status;

  /* Not G_TEST_OPTION_ISOLATE_DIRS: it sets XDG_CONFIG_HOME to /dev/null and overrides
   * g_get_user_config_dir() internally, while the search order must be tested through the
   * real environment variables, set before GLib first reads them. */
  root = g_dir_make_tmp ("astrarc-XXXXXX", NULL);
  if (root == NULL)
    return 1;
  home = g_build_filename (root, "home", NULL);
  config = g_build_filename (root, "config", NULL);
  g_mkdir (home, 0700);
  g_mkdir (config, 0700);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_unsetenv ("ASTRARC");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/astrarc/profiles", test_profiles);
  g_test_add_func ("/astrarc/default-not-a-copy", test_default_not_a_copy);
  g_test_add_func ("/astrarc/parse/inline", test_parse_inline);
  g_test_add_func ("/astrarc/parse/degenerate", test_parse_degenerate);
  g_test_add_func ("/astrarc/find-file", test_find_file);
  g_test_add_func ("/astrarc/load/errors", test_load_errors);
  g_test_add_func ("/astrarc/load/async", test_load_async);

  status = g_test_run ();
  remove_tree (root);

  return status;
}

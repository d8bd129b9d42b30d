/* test-cli.c: astra-tokens-cli list, read and run against the real gnome-keyring of the
 * private test session (build-aux/with-test-session)
 *
 * The keyring is filled through AstraSecretStore, as the app fills it; the built program
 * (ASTRA_CLI_PROGRAM) runs as a child process, and the tests assert on its exit status, its
 * output and what its child command saw. `script` (util-linux) gives `read` a terminal.
 * Other tests may share the keyring: fresh random org ids, names and client ids here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-reference.h"
#include "astra-secret-store.h"
#include "astra-test-keyring.h"
#include "astra-token-format.h"

#define SECRET "cli-test-secret,+/="

typedef struct
{
  AstraSecretStore    *store;
  AstraConnection     *connection;
  AstraGeneratedToken *token;
  char                *management;    /* the org's management token */
  char                *org_name;
  char                *dir;           /* a scratch folder */
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static char *
random_client_id (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char id[25];

  for (guint i = 0; i < 24; i++)
    id[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  id[24] = '\0';

  return g_strdup (id);
}

static const char *
cli_program (void)
{
  const char *program = g_getenv ("ASTRA_CLI_PROGRAM");

  g_assert_nonnull (program);
  return program;
}

/* Runs @argv with @env (NAME, VALUE, … NULL) added to the environment. */
static void
spawn (Run                *run,
       const char * const *env,
       const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

/* Runs astra-tokens-cli with @args (NULL-terminated). */
static void
run_cli_env (Run                *run,
             const char * const *env,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) cli_program ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  spawn (run, env, (const char * const *) argv->pdata);
}

#define run_cli(run, ...) run_cli_env (run, NULL, (const char *[]) { __VA_ARGS__, NULL })

/* Runs the CLI on a terminal: util-linux's `script` gives it a pty for stdin, stdout and
 * stderr (-e: with the CLI's exit status), and copies what it wrote to our pipe. */
static void
run_cli_on_terminal (Run                *run,
                     const char * const *args)
{
  g_autoptr(GString) command = g_string_new (NULL);
  g_autofree char *quoted = g_shell_quote (cli_program ());

  g_string_append (command, quoted);
  for (guint i = 0; args[i] != NULL; i++)
    {
      g_autofree char *arg = g_shell_quote (args[i]);
      g_string_append_printf (command, " %s", arg);
    }

  spawn (run, NULL, (const char *[]) { "script", "-qec", command->str, "/dev/null", NULL });
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *org_id = g_uuid_string_random ();
  g_autofree char *management_client = random_client_id ();
  g_autofree char *client_id = random_client_id ();
  g_autofree char *token_text = astra_token_format_compose (client_id, SECRET);
  const char *role_names[] = { "Database Administrator", NULL };
  g_autoptr(GDateTime) generated_on = g_date_time_new_utc (2026, 11, 30, 10, 0, 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;

  fixture->store = astra_secret_store_new ();
  fixture->org_name = g_strdup_printf ("CLI Org %u", g_random_int ());
  fixture->connection = astra_connection_new (org_id, fixture->org_name,
                                              ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  fixture->management = astra_token_format_compose (management_client, "management secret");
  astra_secret_store_save_connection_async (fixture->store, fixture->connection,
                                            fixture->management, NULL, on_result_cb, &result);
  g_assert_true (astra_secret_store_save_connection_finish (fixture->store, wait_for (&result),
                                                            &error));
  g_assert_no_error (error);

  fixture->token = astra_generated_token_new (client_id, SECRET, token_text);
  astra_generated_token_set_description (fixture->token, "CI deploy");
  astra_generated_token_set_role_names (fixture->token, role_names);
  astra_generated_token_set_generated_on (fixture->token, generated_on);
  astra_secret_store_save_generated_async (fixture->store, fixture->connection, fixture->token,
                                           NULL, on_result_cb, &result2);
  g_assert_true (astra_secret_store_save_generated_finish (fixture->store, wait_for (&result2),
                                                           &error));
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("astra-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  astra_secret_store_forget_connection_async (fixture->store,
                                              astra_connection_get_org_id (fixture->connection),
                                              NULL, on_result_cb, &result);
  g_assert_true (astra_secret_store_forget_connection_finish (fixture->store, wait_for (&result),
                                                              NULL));

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);

  g_clear_object (&fixture->token);
  g_clear_object (&fixture->connection);
  g_clear_object (&fixture->store);
  g_free (fixture->management);
  g_free (fixture->org_name);
  g_free (fixture->dir);
}

static char *
reference (Fixture             *fixture,
           const char          *org,
           AstraReferenceField  field)
{
  return astra_reference_format (org != NULL ? org : astra_connection_get_org_id (fixture->connection),
                                 astra_generated_token_get_client_id (fixture->token), field);
}

static void
assert_no_secret (const char *text)
{
  g_assert_null (strstr (text, "AstraCS:"));
  g_assert_null (strstr (text, SECRET));
}

/* ------------------------------------------------------------------------------------------ */
/* read                                                                                       */

static void
test_read (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *token_ref = reference (fixture, NULL, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *secret_ref = reference (fixture, fixture->org_name, ASTRA_REFERENCE_FIELD_CLIENT_SECRET);
  g_autofree char *expected_token = g_strconcat (astra_generated_token_get_token (fixture->token), "\n", NULL);
  g_autofree char *expected_secret = g_strconcat (SECRET, "\n", NULL);
  g_autofree char *management_id = astra_token_format_dup_client_id (fixture->management);
  g_autofree char *management_ref = astra_reference_format (astra_connection_get_org_id (fixture->connection),
                                                            management_id, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *expected_management = g_strconcat (fixture->management, "\n", NULL);
  g_auto(Run) by_id = { 0 };
  g_auto(Run) by_name = { 0 };
  g_auto(Run) management = { 0 };
  g_auto(Run) debug = { 0 };

  /* One secret and a newline, as $(…) wants it. */
  run_cli (&by_id, "read", token_ref);
  g_assert_cmpint (by_id.status, ==, 0);
  g_assert_cmpstr (by_id.out, ==, expected_token);
  g_assert_cmpstr (by_id.err, ==, "");

  run_cli (&by_name, "read", secret_ref);
  g_assert_cmpint (by_name.status, ==, 0);
  g_assert_cmpstr (by_name.out, ==, expected_secret);

  /* Every debug message on: stderr still holds no secret. */
  run_cli_env (&debug, (const char *[]) { "G_MESSAGES_DEBUG", "all", NULL },
               (const char *[]) { "read", secret_ref, NULL });
  g_assert_cmpint (debug.status, ==, 0);
  g_assert_cmpstr (debug.out, ==, expected_secret);
  assert_no_secret (debug.err);

  /* The app's own connection token is a token too. */
  run_cli (&management, "read", management_ref);
  g_assert_cmpint (management.status, ==, 0);
  g_assert_cmpstr (management.out, ==, expected_management);
}

static void
test_read_terminal (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *token_ref = reference (fixture, NULL, ASTRA_REFERENCE_FIELD_TOKEN);
  g_auto(Run) refused = { 0 };
  g_auto(Run) revealed = { 0 };

  run_cli_on_terminal (&refused, (const char *[]) { "read", token_ref, NULL });
  g_assert_cmpint (refused.status, ==, 64);
  g_assert_nonnull (strstr (refused.out, "terminal"));
  g_assert_nonnull (strstr (refused.out, "--reveal"));
  assert_no_secret (refused.out);

  run_cli_on_terminal (&revealed, (const char *[]) { "read", "--reveal", token_ref, NULL });
  g_assert_cmpint (revealed.status, ==, 0);
  g_assert_nonnull (strstr (revealed.out, astra_generated_token_get_token (fixture->token)));
}

static void
test_read_unresolved (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *unknown_client = random_client_id ();
  g_autofree char *no_token = astra_reference_format (astra_connection_get_org_id (fixture->connection),
                                                      unknown_client, ASTRA_REFERENCE_FIELD_TOKEN);
  g_auto(Run) missing = { 0 };
  g_auto(Run) malformed = { 0 };
  g_auto(Run) no_args = { 0 };

  run_cli (&missing, "read", no_token);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpstr (missing.out, ==, "");
  g_assert_nonnull (strstr (missing.err, no_token));
  g_assert_nonnull (strstr (missing.err, "no token"));

  run_cli (&malformed, "read", "astra://org/short/token");
  g_assert_cmpint (malformed.status, ==, 64);
  g_assert_cmpstr (malformed.out, ==, "");

  run_cli (&no_args, "read");
  g_assert_cmpint (no_args.status, ==, 64);
}

/* A token kept from a file that held it alone: its token reads, its client secret is
 * said not to be on this computer (exit 1), never printed as an empty line. */
static void
test_read_no_client_secret (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *client_id = random_client_id ();
  g_autofree char *token_text = astra_token_format_compose (client_id, "kept from a file");
  g_autoptr(AstraGeneratedToken) kept = astra_generated_token_new (client_id, "", token_text);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret_ref = astra_reference_format (astra_connection_get_org_id (fixture->connection),
                                                        client_id, ASTRA_REFERENCE_FIELD_CLIENT_SECRET);
  g_autofree char *token_ref = astra_reference_format (astra_connection_get_org_id (fixture->connection),
                                                       client_id, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *expected_token = g_strconcat (token_text, "\n", NULL);
  g_auto(Run) secret = { 0 };
  g_auto(Run) token = { 0 };

  astra_secret_store_save_generated_async (fixture->store, fixture->connection, kept, NULL,
                                           on_result_cb, &result);
  g_assert_true (astra_secret_store_save_generated_finish (fixture->store, wait_for (&result), &error));
  g_assert_no_error (error);

  run_cli (&secret, "read", secret_ref);
  g_assert_cmpint (secret.status, ==, 1);
  g_assert_cmpstr (secret.out, ==, "");
  g_assert_nonnull (strstr (secret.err, "client secret is not on this computer"));

  run_cli (&token, "read", token_ref);
  g_assert_cmpint (token.status, ==, 0);
  g_assert_cmpstr (token.out, ==, expected_token);

  g_clear_object (&result);
  astra_secret_store_delete_generated_async (fixture->store,
                                             astra_connection_get_org_id (fixture->connection),
                                             client_id, NULL, on_result_cb, &result);
  astra_secret_store_delete_generated_finish (fixture->store, wait_for (&result), NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* run                                                                                        */

static void
test_run_environment (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *token_ref = reference (fixture, NULL, ASTRA_REFERENCE_FIELD_TOKEN);
  g_auto(Run) run = { 0 };
  g_auto(Run) status = { 0 };
  g_autofree char *expected = g_strdup_printf ("%s|plain|%s", astra_generated_token_get_token (fixture->token),
                                               token_ref);

  /* A reference in the environment is resolved for the child; other values stay as they
   * are, and the command line still holds only the reference ($1). */
  run_cli_env (&run,
               (const char *[]) { "ASTRA_DB_APPLICATION_TOKEN", token_ref, "OTHER", "plain", NULL },
               (const char *[]) { "run", "--", "sh", "-c",
                                  "printf '%s|%s|%s' \"$ASTRA_DB_APPLICATION_TOKEN\" \"$OTHER\" \"$1\"",
                                  "sh", token_ref, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expected);
  assert_no_secret (run.err);

  /* exec: the exit status is the command's own. */
  run_cli (&status, "run", "--", "sh", "-c", "exit 7");
  g_assert_cmpint (status.status, ==, 7);
}

static void
test_run_env_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *token_ref = reference (fixture, NULL, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *secret_ref = reference (fixture, fixture->org_name, ASTRA_REFERENCE_FIELD_CLIENT_SECRET);
  g_autofree char *id_ref = reference (fixture, NULL, ASTRA_REFERENCE_FIELD_CLIENT_ID);
  g_autofree char *path = g_build_filename (fixture->dir, ".env", NULL);
  g_autofree char *second = g_build_filename (fixture->dir, "override.env", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  contents = g_strdup_printf ("# Astra credentials, by reference\n"
                              "\n"
                              "export ASTRA_DB_APPLICATION_TOKEN=%s\n"
                              "ASTRA_DB_CLIENT_SECRET='%s'   # single-quoted\r\n"
                              "  ASTRA_DB_CLIENT_ID = \"%s\"\n"
                              "PLAIN=hello world # a comment\n"
                              "QUOTED=\"a \\\"quoted\\\" # value\"\n"
                              "HASH=a#b\n"
                              "OVERRIDDEN=first\n",
                              token_ref, secret_ref, id_ref);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (second, "OVERRIDDEN=second\n", -1, &error);
  g_assert_no_error (error);

  run_cli (&run, "run", "--env-file", path, "--env-file", second, "--", "sh", "-c",
           "printf '%s\\n' \"$ASTRA_DB_APPLICATION_TOKEN\" \"$ASTRA_DB_CLIENT_SECRET\" "
           "\"$ASTRA_DB_CLIENT_ID\" \"$PLAIN\" \"$QUOTED\" \"$HASH\" \"$OVERRIDDEN\"");
  expected = g_strdup_printf ("%s\n%s\n%s\nhello world\na \"quoted\" # value\na#b\nsecond\n",
                              astra_generated_token_get_token (fixture->token), SECRET,
                              astra_generated_token_get_client_id (fixture->token));
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expected);
}

static void
test_run_unresolved (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *token_ref = reference (fixture, NULL, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *unknown_client = random_client_id ();
  g_autofree char *bad_ref = astra_reference_format (fixture->org_name, unknown_client,
                                                     ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *path = g_build_filename (fixture->dir, "broken.env", NULL);
  g_autofree char *marker = g_build_filename (fixture->dir, "started", NULL);
  g_autofree char *contents = g_strdup_printf ("GOOD=%s\n# the next one is wrong\nBAD=%s\n",
                                               token_ref, bad_ref);
  g_autofree char *where = g_strdup_printf ("%s:3", path);
  g_autoptr(GError) error = NULL;
  g_auto(Run) from_file = { 0 };
  g_auto(Run) from_env = { 0 };
  g_auto(Run) malformed = { 0 };

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  /* The command would create the marker file: it must never start. */
  run_cli (&from_file, "run", "--env-file", path, "--", "touch", marker);
  g_assert_cmpint (from_file.status, ==, 1);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (from_file.err, bad_ref));
  g_assert_nonnull (strstr (from_file.err, where));
  g_assert_nonnull (strstr (from_file.err, "BAD"));
  assert_no_secret (from_file.err);

  run_cli_env (&from_env, (const char *[]) { "SOME_TOKEN", "astra://x/y/z", NULL },
               (const char *[]) { "run", "--", "touch", marker, NULL });
  g_assert_cmpint (from_env.status, ==, 1);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (from_env.err, "SOME_TOKEN"));
  g_assert_nonnull (strstr (from_env.err, "astra://x/y/z"));

  /* A line that is not NAME=VALUE: the file and line, not the text (it may be a secret). */
  g_file_set_contents (path, "OK=1\nAstraCS:not-an-assignment\n", -1, &error);
  g_assert_no_error (error);
  run_cli (&malformed, "run", "--env-file", path, "--", "touch", marker);
  g_assert_cmpint (malformed.status, ==, 2);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (malformed.err, ":2:"));
  g_assert_null (strstr (malformed.err, "AstraCS:"));
}

static void
test_run_command_line (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *missing_file = g_build_filename (fixture->dir, "absent.env", NULL);
  g_auto(Run) not_found = { 0 };
  g_auto(Run) no_command = { 0 };
  g_auto(Run) no_env_file = { 0 };

  /* As a shell says. */
  run_cli (&not_found, "run", "--", "astra-no-such-command-here");
  g_assert_cmpint (not_found.status, ==, 127);
  g_assert_nonnull (strstr (not_found.err, "astra-no-such-command-here"));

  run_cli (&no_command, "run", "--");
  g_assert_cmpint (no_command.status, ==, 64);

  run_cli (&no_env_file, "run", "--env-file", missing_file, "--", "true");
  g_assert_cmpint (no_env_file.status, ==, 2);
}

/* ------------------------------------------------------------------------------------------ */
/* list                                                                                       */

static JsonObject *
find_member (JsonArray  *array,
             const char *member,
             const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, member, NULL), value) == 0)
        return object;
    }
  return NULL;
}

static void
test_list_json (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *token_ref = reference (fixture, NULL, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *management_id = astra_token_format_dup_client_id (fixture->management);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  JsonObject *org;
  JsonObject *token;
  JsonObject *management;
  JsonArray *roles;

  run_cli (&run, "list", "--json");
  g_assert_cmpint (run.status, ==, 0);
  assert_no_secret (run.out);
  g_assert_null (strstr (run.out, "management secret"));

  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  org = find_member (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                   "organizations"),
                     "id", astra_connection_get_org_id (fixture->connection));
  g_assert_nonnull (org);
  g_assert_cmpstr (json_object_get_string_member (org, "name"), ==, fixture->org_name);
  g_assert_cmpstr (json_object_get_string_member (org, "environment"), ==, "prod");

  token = find_member (json_object_get_array_member (org, "tokens"), "client_id",
                       astra_generated_token_get_client_id (fixture->token));
  g_assert_nonnull (token);
  g_assert_cmpstr (json_object_get_string_member (token, "kind"), ==, "generated");
  g_assert_cmpstr (json_object_get_string_member (token, "description"), ==, "CI deploy");
  g_assert_cmpstr (json_object_get_string_member (token, "reference"), ==, token_ref);
  g_assert_cmpstr (json_object_get_string_member (token, "generated_on"), ==, "2026-11-30T10:00:00Z");
  roles = json_object_get_array_member (token, "roles");
  g_assert_cmpuint (json_array_get_length (roles), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (roles, 0), ==, "Database Administrator");

  management = find_member (json_object_get_array_member (org, "tokens"), "client_id", management_id);
  g_assert_nonnull (management);
  g_assert_cmpstr (json_object_get_string_member (management, "kind"), ==, "management");
}

static void
test_list_text (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *token_ref = reference (fixture, NULL, ASTRA_REFERENCE_FIELD_TOKEN);
  g_auto(Run) run = { 0 };
  g_auto(Run) extra = { 0 };

  run_cli (&run, "list");
  g_assert_cmpint (run.status, ==, 0);
  assert_no_secret (run.out);
  g_assert_nonnull (strstr (run.out, fixture->org_name));
  g_assert_nonnull (strstr (run.out, token_ref));
  g_assert_nonnull (strstr (run.out, "CI deploy"));
  g_assert_nonnull (strstr (run.out, "2026-11-30"));

  run_cli (&extra, "list", "unexpected");
  g_assert_cmpint (extra.status, ==, 64);
}

static void
test_help (void)
{
  const char *commands[] = { "list", "read", "run" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) run = { 0 };
      g_autofree char *usage = g_strdup_printf ("astra-tokens-cli %s", commands[i]);

      run_cli (&run, commands[i], "--help");
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, usage));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* A locked keyring (--locked: in a test session of its own)                                  */

/* dbus-monitor, watching for what asks the keyring daemon to unlock: Service.Unlock and
 * the Prompt it hands back. Our daemon's prompt fails at once (no display), so an attempt
 * to prompt shows only here; for a user it is a dialog that a git hook would wait on. */
typedef struct
{
  GSubprocess *process;
  char        *log;
} Monitor;

static void
monitor_start (Monitor    *monitor,
               const char *dir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  monitor->log = g_build_filename (dir, "dbus-monitor.log", NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, monitor->log);
  monitor->process = g_subprocess_launcher_spawn (launcher, &error, "dbus-monitor", "--session",
                                                  "type=method_call,interface=org.freedesktop.Secret.Service,member=Unlock",
                                                  "type=method_call,interface=org.freedesktop.Secret.Prompt",
                                                  NULL);
  g_assert_no_error (error);

  /* It is watching once the bus has taken its name back ("NameLost"). */
  for (;;)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (monitor->log, &text, NULL, NULL) && strstr (text, "NameLost") != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

/* → (transfer full) what it saw; stops it. */
static char *
monitor_stop (Monitor *monitor)
{
  char *text = NULL;

  /* Whatever the last command sent is on the bus by now; give the monitor a moment. */
  g_usleep (200000);
  g_subprocess_force_exit (monitor->process);
  g_subprocess_wait (monitor->process, NULL, NULL);
  g_assert_true (g_file_get_contents (monitor->log, &text, NULL, NULL));
  g_unlink (monitor->log);
  g_clear_object (&monitor->process);
  g_clear_pointer (&monitor->log, g_free);
  return text;
}

static gboolean
asked_to_unlock (const char *monitored)
{
  return strstr (monitored, "member=Unlock") != NULL || strstr (monitored, "member=Prompt") != NULL;
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* scan --offline and scan --no-keyring with a locked keyring: a pre-commit hook. Neither
 * asks for the unlock; --offline still knows, from the attributes a locked keyring shows,
 * which tokens it holds, and says once that the rest is unknown because it is locked;
 * --no-keyring does not ask it at all. Exit statuses as without a keyring. */
static void
test_scan_keyring_locked (void)
{
  Fixture fixture = { NULL };
  g_autofree char *tree = NULL;
  g_autofree char *file = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *stranger_id = random_client_id ();
  g_autofree char *stranger = astra_token_format_compose (stranger_id, "not in any keyring");
  g_autofree char *text = NULL;
  g_autofree char *monitored = NULL;
  g_autofree char *held = NULL;
  g_autofree char *unknown = NULL;
  g_auto(Run) offline = { 0 };
  g_auto(Run) no_keyring = { 0 };
  g_auto(Run) offline_clean = { 0 };
  g_auto(Run) no_keyring_clean = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) prompting = { 0 };
  Monitor monitor = { NULL };

  fixture_set_up (&fixture, NULL);
  tree = g_build_filename (fixture.dir, "tree", NULL);
  clean = g_build_filename (fixture.dir, "clean", NULL);
  file = g_build_filename (tree, ".env", NULL);
  g_assert_cmpint (g_mkdir_with_parents (tree, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (clean, 0700), ==, 0);
  text = g_strdup_printf ("HELD=%s\nSTRANGER=%s\n",
                          astra_generated_token_get_token (fixture.token), stranger);
  g_assert_true (g_file_set_contents (file, text, -1, NULL));
  astra_test_lock_default_collection ();

  monitor_start (&monitor, fixture.dir);
  run_cli (&offline, "scan", "--json", "--offline", tree);
  run_cli (&no_keyring, "scan", "--json", "--no-keyring", tree);
  run_cli (&offline_clean, "scan", "--offline", clean);
  run_cli (&no_keyring_clean, "scan", "--no-keyring", clean);
  run_cli (&missing, "scan", "--offline", "--no-keyring", fixture.dir, "/does/not/exist");
  monitored = monitor_stop (&monitor);
  g_test_message ("monitored: %s", monitored);
  g_assert_false (asked_to_unlock (monitored));

  held = g_strdup_printf ("\"client_id\":\"%s\",\"state\":\"held\"",
                          astra_generated_token_get_client_id (fixture.token));
  unknown = g_strdup_printf ("\"client_id\":\"%s\",\"state\":\"unknown\"", stranger_id);
  g_assert_cmpint (offline.status, ==, 1);
  g_assert_nonnull (strstr (offline.out, held));
  g_assert_nonnull (strstr (offline.out, unknown));
  g_assert_cmpuint (count (offline.err, "keyring is locked"), ==, 1);
  /* Tokens are shown masked ("AstraCS:" and a few characters), never whole. */
  g_assert_null (strstr (offline.out, astra_generated_token_get_token (fixture.token)));
  g_assert_null (strstr (offline.out, stranger));
  assert_no_secret (offline.err);

  g_assert_cmpint (no_keyring.status, ==, 1);
  g_assert_cmpuint (count (no_keyring.out, "\"state\":\"unknown\""), ==, 2);
  g_assert_null (strstr (no_keyring.err, "locked"));

  g_assert_cmpint (offline_clean.status, ==, 0);
  g_assert_cmpint (no_keyring_clean.status, ==, 0);
  g_assert_cmpint (missing.status, ==, 2);

  /* The control: a scan that may prompt does ask, so the monitor would have seen it. */
  monitor_start (&monitor, fixture.dir);
  run_cli (&prompting, "scan", "--json", tree);
  g_free (monitored);
  monitored = monitor_stop (&monitor);
  g_assert_true (asked_to_unlock (monitored));

  g_unlink (file);
  g_rmdir (tree);
  g_rmdir (clean);
  g_rmdir (fixture.dir);
  g_clear_object (&fixture.token);
  g_clear_object (&fixture.connection);
  g_clear_object (&fixture.store);
  g_free (fixture.management);
  g_free (fixture.org_name);
  g_free (fixture.dir);
}

/* The keyring daemon of the test session has no display for its unlock prompt, so the
 * prompt fails at once, as a dismissed one does: every command says the keyring is locked
 * (exit status 2), never that the token is missing, and `run` starts nothing. */
static void
test_keyring_locked (void)
{
  Fixture fixture = { NULL };
  g_autofree char *token_ref = NULL;
  g_autofree char *marker = NULL;
  g_auto(Run) read = { 0 };
  g_auto(Run) run = { 0 };
  g_auto(Run) list = { 0 };

  fixture_set_up (&fixture, NULL);
  token_ref = reference (&fixture, NULL, ASTRA_REFERENCE_FIELD_TOKEN);
  marker = g_build_filename (fixture.dir, "started", NULL);
  astra_test_lock_default_collection ();

  run_cli (&read, "read", token_ref);
  g_assert_cmpint (read.status, ==, 2);
  g_assert_cmpstr (read.out, ==, "");
  g_assert_nonnull (strstr (read.err, "locked"));
  assert_no_secret (read.err);

  run_cli_env (&run, (const char *[]) { "ASTRA_DB_APPLICATION_TOKEN", token_ref, NULL },
               (const char *[]) { "run", "--", "touch", marker, NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "locked"));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  run_cli (&list, "list");
  g_assert_cmpint (list.status, ==, 2);
  g_assert_nonnull (strstr (list.err, "locked"));

  /* The session is thrown away with its keyring: nothing to clean up there. */
  g_rmdir (fixture.dir);
  g_clear_object (&fixture.token);
  g_clear_object (&fixture.connection);
  g_clear_object (&fixture.store);
  g_free (fixture.management);
  g_free (fixture.org_name);
  g_free (fixture.dir);
}

/* --no-service: on a bus without any Secret Service (tests/without-secret-service.sh). */
static void
test_no_service (void)
{
  const char *reference = "astra://4b1f6c0e-any-org/AbCdEfGhIjKlMnOpQrStUvWx/token";
  g_auto(Run) read = { 0 };
  g_auto(Run) run = { 0 };
  g_auto(Run) list = { 0 };

  run_cli (&read, "read", reference);
  g_assert_cmpint (read.status, ==, 2);
  g_assert_cmpstr (read.out, ==, "");
  g_assert_nonnull (strstr (read.err, reference));
  g_assert_nonnull (strstr (read.err, "No keyring is available"));

  run_cli_env (&run, (const char *[]) { "ASTRA_DB_APPLICATION_TOKEN", reference, NULL },
               (const char *[]) { "run", "--", "sh", "-c", "echo started", NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");

  run_cli (&list, "list");
  g_assert_cmpint (list.status, ==, 2);
  g_assert_nonnull (strstr (list.err, "No keyring is available"));
}

/* scan --no-keyring does not need a Secret Service: the tokens are unknown, nothing fails. */
static void
test_no_service_scan (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("astra-cli-XXXXXX", &error);
  g_autofree char *file = g_build_filename (dir, "deploy.sh", NULL);
  g_autofree char *token = astra_token_format_compose ("AbCdEfGhIjKlMnOpQrStUvWx", "no service");
  g_autofree char *text = g_strdup_printf ("export ASTRA_DB_APPLICATION_TOKEN=%s\n", token);
  g_auto(Run) scan = { 0 };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (file, text, -1, NULL));
  run_cli (&scan, "scan", "--json", "--no-keyring", dir);
  g_assert_cmpint (scan.status, ==, 1);
  g_assert_nonnull (strstr (scan.out, "\"state\":\"unknown\""));
  g_assert_cmpstr (scan.err, ==, "");
  g_unlink (file);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = argc > 1 && g_str_has_prefix (argv[argc - 1], "--no-") ? argv[argc - 1]
                     : argc > 1 && g_str_has_prefix (argv[argc - 1], "--locked") ? argv[argc - 1]
                     : NULL;

  if (mode != NULL)
    argc--;
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_strcmp0 (mode, "--locked") == 0)
    {
      g_test_add_func ("/cli/keyring-locked", test_keyring_locked);
      return g_test_run ();
    }
  /* A session of its own too: once locked, nothing can be stored for another test. */
  if (g_strcmp0 (mode, "--locked-scan") == 0)
    {
      g_test_add_func ("/cli/keyring-locked/scan", test_scan_keyring_locked);
      return g_test_run ();
    }
  if (g_strcmp0 (mode, "--no-service") == 0)
    {
      g_test_add_func ("/cli/no-service", test_no_service);
      g_test_add_func ("/cli/no-service/scan", test_no_service_scan);
      return g_test_run ();
    }

  g_test_add_func ("/cli/help", test_help);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli/read/pipe", test_read);
  ADD ("/cli/read/terminal", test_read_terminal);
  ADD ("/cli/read/unresolved", test_read_unresolved);
  ADD ("/cli/read/no-client-secret", test_read_no_client_secret);
  ADD ("/cli/run/environment", test_run_environment);
  ADD ("/cli/run/env-file", test_run_env_file);
  ADD ("/cli/run/unresolved", test_run_unresolved);
  ADD ("/cli/run/command-line", test_run_command_line);
  ADD ("/cli/list/json", test_list_json);
  ADD ("/cli/list/text", test_list_text);
#undef ADD

  return g_test_run ();
}

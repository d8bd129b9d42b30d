/* test-sim-cli.c: the astra-sim program's contract (the binary in $ASTRA_SIM_PROGRAM)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "astra-token-format.h"
#include "sim-test-http.h"

typedef struct
{
  GSubprocess *process;
  char        *url;
  char        *token;
  SoupSession *session;
} Sim;

static const char *
program (void)
{
  const char *path = g_getenv ("ASTRA_SIM_PROGRAM");

  g_assert_nonnull (path);
  return path;
}

static Sim *
sim_start (const char *first_arg,
           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  Sim *sim = g_new0 (Sim, 1);
  va_list ap;

  g_ptr_array_add (args, (gpointer) program ());
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Debug logging on: what it prints must still hold no secret. */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata,
                                               &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  /* Keep the pipe open: astra-sim goes to the background when its stdout reader leaves. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
  line1 = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  line2 = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line1);
  g_assert_nonnull (line2);

  g_assert_true (g_regex_match_simple ("^ASTRA_API_URL=http://127\\.0\\.0\\.1:\\d+/v2$", line1,
                                       0, 0));
  g_assert_true (g_str_has_prefix (line2, "ASTRA_DB_APPLICATION_TOKEN="));
  sim->url = g_strdup (line1 + strlen ("ASTRA_API_URL="));
  sim->token = g_strdup (line2 + strlen ("ASTRA_DB_APPLICATION_TOKEN="));
  g_assert_true (astra_token_format_validate (sim->token, NULL));
  sim->session = soup_session_new ();
  return sim;
}

static SimResponse *
sim_call (Sim        *sim,
          const char *method,
          const char *path,
          const char *token,
          const char *body)
{
  g_autofree char *full = g_strconcat (sim->url, path, NULL);

  return sim_http (sim->session, method, full, token, body);
}

/* Stops the program with @signum, checks it exits 0, and returns its stderr. */
static char *
sim_stop (Sim *sim,
          int  signum)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  g_subprocess_send_signal (sim->process, signum);
  g_assert_true (g_subprocess_communicate_utf8 (sim->process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (sim->process));
  g_assert_cmpint (g_subprocess_get_exit_status (sim->process), ==, 0);
  /* Nothing after the two lines. */
  g_assert_cmpstr (out, ==, "");

  g_clear_object (&sim->process);
  g_clear_object (&sim->session);
  g_free (sim->url);
  g_free (sim->token);
  g_free (sim);
  return g_steal_pointer (&err);
}

static JsonObject *
find_client (SimResponse *list,
             const char  *client_id)
{
  JsonArray *clients = json_object_get_array_member (sim_response_object (list), "clients");

  for (guint i = 0; i < json_array_get_length (clients); i++)
    {
      JsonObject *client = json_array_get_object_element (clients, i);

      if (g_str_equal (json_object_get_string_member (client, "clientId"), client_id))
        return client;
    }
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_contract (void)
{
  Sim *sim = sim_start ("--databases", "2", "--org-name", "CLI Org", NULL);
  g_autofree char *admin = g_strdup (sim->token);
  g_autofree char *secret = NULL;
  g_autofree char *token = NULL;
  g_autofree char *err = NULL;

  {
    g_autoptr(SimResponse) r = sim_call (sim, "GET", "/currentOrg", sim->token, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (sim_response_object (r), "name"), ==,
                     "CLI Org");
  }
  {
    g_autoptr(SimResponse) r = sim_call (sim, "GET", "/databases", sim->token, NULL);

    g_assert_cmpuint (json_array_get_length (sim_response_array (r)), ==, 2);
  }
  {
    g_autoptr(SimResponse) r = sim_call (sim, "POST", "/clientIdSecrets", sim->token,
                                         "{\"roles\": [\"RO Svc Acct\"]}");

    g_assert_cmpuint (r->status, ==, 200);
    secret = g_strdup (json_object_get_string_member (sim_response_object (r), "secret"));
    token = g_strdup (json_object_get_string_member (sim_response_object (r), "token"));
  }

  err = sim_stop (sim, SIGTERM);
  /* Debug logs were on: they name requests but never a credential. */
  g_assert_nonnull (strstr (err, "/v2/clientIdSecrets"));
  g_assert_null (strstr (err, admin));
  g_assert_null (strstr (err, token));
  g_assert_null (strstr (err, secret));
  g_assert_null (strstr (err, "AstraCS:"));
}

static void
test_state (void)
{
  g_autofree char *dir = g_dir_make_tmp ("astra-sim-state-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autofree char *token = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *org_id = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *err = NULL;
  struct stat st;
  Sim *sim;

  sim = sim_start ("--state", path, NULL);
  {
    g_autoptr(SimResponse) org = sim_call (sim, "GET", "/currentOrg", sim->token, NULL);
    g_autoptr(SimResponse) r = sim_call (sim, "POST", "/clientIdSecrets", sim->token,
                                         "{\"roles\": [\"R/W Svc Acct\"], "
                                         "\"description\": \"kept\"}");
    g_autoptr(SimResponse) role = NULL;
    g_autofree char *body = NULL;

    org_id = g_strdup (json_object_get_string_member (sim_response_object (org), "id"));
    g_assert_cmpuint (r->status, ==, 200);
    token = g_strdup (json_object_get_string_member (sim_response_object (r), "token"));
    secret = g_strdup (json_object_get_string_member (sim_response_object (r), "secret"));
    client_id = g_strdup (json_object_get_string_member (sim_response_object (r), "clientId"));

    body = g_strdup_printf ("{\"name\": \"Kept role\", \"policy\": {\"description\": \"d\","
                            " \"effect\": \"allow\", \"resources\": [\"drn:astra:org:%s\"],"
                            " \"actions\": [\"org-read\"]}}", org_id);
    role = sim_call (sim, "POST", "/organizations/roles", sim->token, body);
    g_assert_cmpuint (role->status, ==, 201);
  }
  g_free (sim_stop (sim, SIGINT));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, client_id));
  g_assert_null (strstr (contents, token));
  g_assert_null (strstr (contents, secret));

  sim = sim_start ("--state", path, NULL);
  {
    g_autoptr(SimResponse) org = sim_call (sim, "GET", "/currentOrg", token, NULL);
    g_autoptr(SimResponse) list = sim_call (sim, "GET", "/clientIdSecrets", sim->token, NULL);
    g_autoptr(SimResponse) roles = sim_call (sim, "GET", "/organizations/roles", sim->token, NULL);
    JsonObject *client;

    g_assert_cmpuint (org->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (sim_response_object (org), "id"), ==, org_id);
    client = find_client (list, client_id);
    g_assert_nonnull (client);
    g_assert_cmpstr (json_object_get_string_member (client, "description"), ==, "kept");
    g_assert_nonnull (strstr (sim_response_text (roles), "Kept role"));
  }
  err = sim_stop (sim, SIGTERM);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_help (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;
  const char *argv[] = { program (), "--help", NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  for (guint i = 0; i < 8; i++)
    {
      const char *needed[] = { "--fault", "METHOD:PATH=KIND[*COUNT]", "429[/SECONDS]",
                               "drop-after", "big/BYTES", "slow/MS", "--state", "--port" };

      g_assert_nonnull (strstr (out, needed[i]));
    }
}

static void
test_bad_options (void)
{
  const char *cases[][3] = {
    { "--fault", "GET:/v2/x=teapot", "Invalid fault" },
    { "--fault", "nonsense", "Invalid fault" },
    { "--port", "70000", "--port" },
    { "--tokens", "-1", "--tokens" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;
      int status;
      const char *argv[] = { program (), cases[i][0], cases[i][1], NULL };

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   NULL, &err, &status, &error));
      g_assert_false (g_spawn_check_wait_status (status, NULL));
      g_assert_nonnull (strstr (err, cases[i][2]));
    }
}

static gboolean
process_gone (int pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  const char *paren;

  if (!g_file_get_contents (stat_path, &contents, NULL, NULL))
    return TRUE;
  /* A zombie nobody reaps has finished too. */
  paren = strrchr (contents, ')');
  return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

static void
test_detach (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("background as process (\\d+)", 0, 0, NULL);
  g_autofree char *pid_text = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *full = NULL;
  int status;
  int pid;
  const char *argv[] = {
    "bash", "-c",
    "eval \"$(\"$ASTRA_SIM_PROGRAM\" | head -2)\" && "
    "printf '%s\\n%s\\n' \"$ASTRA_API_URL\" \"$ASTRA_DB_APPLICATION_TOKEN\"",
    NULL
  };

  /* The shell returns although astra-sim keeps serving. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_true (g_regex_match (regex, err, 0, &match));
  pid_text = g_match_info_fetch (match, 1);
  pid = atoi (pid_text);
  g_assert_cmpint (pid, >, 1);

  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  full = g_strconcat (lines[0], "/currentOrg", NULL);
  {
    g_autoptr(SimResponse) r = sim_http (session, "GET", full, lines[1], NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }

  /* The detached server still stops on SIGTERM. */
  g_assert_cmpint (kill (pid, SIGTERM), ==, 0);
  for (guint i = 0; i < 500 && !process_gone (pid); i++)
    g_usleep (10000);
  g_assert_true (process_gone (pid));
}

static void
test_bulk_tokens (void)
{
  Sim *sim = sim_start ("--tokens", "10000", NULL);
  g_autoptr(SimResponse) r = sim_call (sim, "GET", "/clientIdSecrets", sim->token, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sim_response_object (r),
                                                                         "clients")),
                    >=, 10000);
  g_free (sim_stop (sim, SIGTERM));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sim-cli/contract", test_contract);
  g_test_add_func ("/sim-cli/state", test_state);
  g_test_add_func ("/sim-cli/help", test_help);
  g_test_add_func ("/sim-cli/bad-options", test_bad_options);
  g_test_add_func ("/sim-cli/detach", test_detach);
  g_test_add_func ("/sim-cli/bulk-tokens", test_bulk_tokens);

  return g_test_run ();
}

/* test-scan-classify.c: found tokens classified with the real keyring and the simulator
 *
 * Runs in a session of its own (build-aux/with-test-session): a connected organization
 * (the in-process simulator) whose management token is in the keyring; tokens held in the
 * keyring, one of them revoked since; a token the organization lists but the keyring does
 * not hold; a token of another organization. Then astra_scan_classify_async() online and
 * offline, and `astra-tokens-cli scan` itself in the same session (its exit status 0 when
 * the only token found is revoked).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-client-source.h"
#include "astra-client.h"
#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-scan-classify.h"
#include "astra-scanner.h"
#include "astra-secret-store.h"
#include "astra-sim-server.h"
#include "astra-token-format.h"

typedef struct
{
  AstraSimServer   *sim;
  AstraSecretStore *store;
  AstraClient      *client;
  char             *root;
  char             *token[5];      /* held, held+revoked, listed only, other org, management */
  char             *client_id[5];
} Fixture;

enum { HELD, REVOKED, LISTED, OTHER_ORG, MANAGEMENT };

/* The clients of the app's AstraContext, as the findings page passes them: one per
 * organization, given, never looked up. */
#define TEST_TYPE_CLIENT_SOURCE (test_client_source_get_type ())
G_DECLARE_FINAL_TYPE (TestClientSource, test_client_source, TEST, CLIENT_SOURCE, GObject)

struct _TestClientSource
{
  GObject     parent_instance;
  GHashTable *clients;   /* org id → AstraClient */
};

static void test_client_source_iface_init (AstraClientSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestClientSource, test_client_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ASTRA_TYPE_CLIENT_SOURCE,
                                                      test_client_source_iface_init))

static void
test_client_source_get_client_async (AstraClientSource   *source,
                                     AstraConnection     *connection,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  TestClientSource *self = TEST_CLIENT_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  AstraClient *client = g_hash_table_lookup (self->clients, astra_connection_get_org_id (connection));

  if (client == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no client");
  else
    g_task_return_pointer (task, g_object_ref (client), g_object_unref);
}

static AstraClient *
test_client_source_get_client_finish (AstraClientSource  *source,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_client_source_iface_init (AstraClientSourceInterface *iface)
{
  iface->get_client_async = test_client_source_get_client_async;
  iface->get_client_finish = test_client_source_get_client_finish;
}

static void
test_client_source_finalize (GObject *object)
{
  g_hash_table_unref (TEST_CLIENT_SOURCE (object)->clients);
  G_OBJECT_CLASS (test_client_source_parent_class)->finalize (object);
}

static void
test_client_source_class_init (TestClientSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_client_source_finalize;
}

static void
test_client_source_init (TestClientSource *self)
{
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* Helpers {{{ */

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static AstraGeneratedToken *
create_token (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *roles[] = { "Database Administrator", NULL };
  AstraGeneratedToken *token;

  astra_client_create_token_async (fixture->client, roles, "found in a file", NULL, NULL,
                                   on_result_cb, &result);
  token = astra_client_create_token_finish (fixture->client, wait_for (&result), &error);
  g_assert_no_error (error);
  return token;
}

static void
save_generated (Fixture             *fixture,
                AstraConnection     *connection,
                AstraGeneratedToken *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_secret_store_save_generated_async (fixture->store, connection, token, NULL, on_result_cb, &result);
  g_assert_true (astra_secret_store_save_generated_finish (fixture->store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static GListModel *
scan_and_classify (Fixture  *fixture,
                   gboolean  online)
{
  g_autoptr(AstraScanner) scanner = astra_scanner_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *roots[] = { fixture->root, NULL };
  GListModel *findings;

  findings = astra_scanner_scan (scanner, roots, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 5);

  astra_scan_classify_async (findings, fixture->store, online, NULL, on_result_cb, &result);
  g_assert_true (astra_scan_classify_finish (wait_for (&result), &error));
  g_assert_no_error (error);
  return findings;
}

static AstraScanFinding *
finding_of (GListModel *findings,
            const char *client_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i);

      if (g_str_equal (astra_scan_finding_get_client_id (finding), client_id))
        return finding;
    }
  g_assert_not_reached ();
}

static AstraScanState
state_of (GListModel *findings,
          const char *client_id)
{
  return astra_scan_finding_get_state (finding_of (findings, client_id));
}

/* }}} */
/* Fixture {{{ */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(AstraGeneratedToken) held = NULL;
  g_autoptr(AstraGeneratedToken) revoked = NULL;
  g_autoptr(AstraGeneratedToken) listed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;

  fixture->sim = astra_sim_server_new ();
  g_assert_true (astra_sim_server_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);
  fixture->store = astra_secret_store_new ();
  fixture->client = astra_client_new (astra_sim_server_get_base_url (fixture->sim),
                                      astra_sim_server_get_admin_token (fixture->sim), &error);
  g_assert_no_error (error);

  connection = astra_connection_new (astra_sim_server_get_org_id (fixture->sim),
                                     astra_sim_server_get_org_name (fixture->sim),
                                     ASTRA_ENVIRONMENT_CUSTOM,
                                     astra_sim_server_get_base_url (fixture->sim));
  astra_secret_store_save_connection_async (fixture->store, connection,
                                            astra_sim_server_get_admin_token (fixture->sim),
                                            NULL, on_result_cb, &result);
  g_assert_true (astra_secret_store_save_connection_finish (fixture->store, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  held = create_token (fixture);
  save_generated (fixture, connection, held);
  revoked = create_token (fixture);
  save_generated (fixture, connection, revoked);
  astra_client_revoke_token_async (fixture->client, astra_generated_token_get_client_id (revoked),
                                   NULL, on_result_cb, &result);
  g_assert_true (astra_client_revoke_token_finish (fixture->client, wait_for (&result), &error));
  g_assert_no_error (error);
  listed = create_token (fixture);

  fixture->token[HELD] = g_strdup (astra_generated_token_get_token (held));
  fixture->token[REVOKED] = g_strdup (astra_generated_token_get_token (revoked));
  fixture->token[LISTED] = g_strdup (astra_generated_token_get_token (listed));
  fixture->token[OTHER_ORG] = astra_token_format_compose ("OtherOrgOtherOrgOtherOrg", "elsewhere");
  fixture->token[MANAGEMENT] = g_strdup (astra_sim_server_get_admin_token (fixture->sim));
  for (guint i = 0; i < G_N_ELEMENTS (fixture->token); i++)
    {
      fixture->client_id[i] = astra_token_format_dup_client_id (fixture->token[i]);
      g_string_append_printf (text, "TOKEN_%u=%s\n", i, fixture->token[i]);
    }

  fixture->root = g_dir_make_tmp ("test-scan-classify-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->root, ".env", NULL);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->root);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_cmpint (system (command), ==, 0);
  /* The next test's organization must be the only one connected: one that no longer
   * answers would leave every unknown token "unknown" rather than "unknown-org". */
  astra_secret_store_forget_connection_async (fixture->store, astra_sim_server_get_org_id (fixture->sim),
                                              NULL, on_result_cb, &result);
  g_assert_true (astra_secret_store_forget_connection_finish (fixture->store, wait_for (&result), NULL));
  for (guint i = 0; i < G_N_ELEMENTS (fixture->token); i++)
    {
      g_free (fixture->token[i]);
      g_free (fixture->client_id[i]);
    }
  g_free (fixture->root);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->store);
  astra_sim_server_disconnect (fixture->sim);
  g_clear_object (&fixture->sim);
}

/* }}} */
/* Tests {{{ */

static void
test_online (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GListModel) findings = scan_and_classify (fixture, TRUE);
  const char *org_id = astra_sim_server_get_org_id (fixture->sim);

  g_assert_cmpint (state_of (findings, fixture->client_id[HELD]), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpint (state_of (findings, fixture->client_id[REVOKED]), ==, ASTRA_SCAN_STATE_REVOKED);
  g_assert_cmpint (state_of (findings, fixture->client_id[LISTED]), ==, ASTRA_SCAN_STATE_LIVE);
  g_assert_cmpint (state_of (findings, fixture->client_id[OTHER_ORG]), ==, ASTRA_SCAN_STATE_UNKNOWN_ORG);
  g_assert_cmpint (state_of (findings, fixture->client_id[MANAGEMENT]), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpstr (astra_scan_finding_get_org_id (finding_of (findings, fixture->client_id[LISTED])), ==, org_id);
  g_assert_cmpstr (astra_scan_finding_get_org_id (finding_of (findings, fixture->client_id[HELD])), ==, org_id);
  g_assert_null (astra_scan_finding_get_org_id (finding_of (findings, fixture->client_id[OTHER_ORG])));
}

/* A token of an organization we are not connected to, once kept in the keyring as a
 * "found-token" item (the Plain-Text Tokens page), is held too. */
static void
test_found_token_held (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) findings = NULL;

  astra_secret_store_save_found_async (fixture->store, fixture->client_id[OTHER_ORG],
                                       fixture->token[OTHER_ORG], NULL, NULL, on_result_cb, &result);
  g_assert_true (astra_secret_store_save_found_finish (fixture->store, wait_for (&result), &error));
  g_assert_no_error (error);

  for (guint online = 0; online < 2; online++)
    {
      g_clear_object (&findings);
      findings = scan_and_classify (fixture, online);
      g_assert_cmpint (state_of (findings, fixture->client_id[OTHER_ORG]), ==, ASTRA_SCAN_STATE_HELD);
      g_assert_cmpint (state_of (findings, fixture->client_id[LISTED]), ==,
                       online ? ASTRA_SCAN_STATE_LIVE : ASTRA_SCAN_STATE_UNKNOWN);
    }
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GListModel) findings = scan_and_classify (fixture, FALSE);

  /* The keyring still answers; whether a token is live or revoked cannot be known. */
  g_assert_cmpint (state_of (findings, fixture->client_id[HELD]), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpint (state_of (findings, fixture->client_id[REVOKED]), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpint (state_of (findings, fixture->client_id[LISTED]), ==, ASTRA_SCAN_STATE_UNKNOWN);
  g_assert_cmpint (state_of (findings, fixture->client_id[OTHER_ORG]), ==, ASTRA_SCAN_STATE_UNKNOWN);
  g_assert_cmpint (state_of (findings, fixture->client_id[MANAGEMENT]), ==, ASTRA_SCAN_STATE_HELD);
}

static void
test_organization_down (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GListModel) findings = NULL;

  /* The organization does not answer: nothing is called revoked or of another org. */
  astra_sim_server_disconnect (fixture->sim);
  findings = scan_and_classify (fixture, TRUE);
  g_assert_cmpint (state_of (findings, fixture->client_id[REVOKED]), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpint (state_of (findings, fixture->client_id[OTHER_ORG]), ==, ASTRA_SCAN_STATE_UNKNOWN);
}

/* The organization of the app's environment (ASTRA_API_URL + ASTRA_DB_APPLICATION_TOKEN):
 * not in the keyring, asked through the app's clients. Its tokens are live, its own token
 * is live but not held (the keyring does not have it), and with every organization
 * answering, a token of none is of an unknown organization. */
static void
test_environment_organization (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(AstraSimServer) env_sim = astra_sim_server_new ();
  g_autoptr(AstraClient) env_client = NULL;
  g_autoptr(TestClientSource) clients = g_object_new (TEST_TYPE_CLIENT_SOURCE, NULL);
  g_autoptr(GListStore) session = g_list_store_new (ASTRA_TYPE_CONNECTION);
  g_autoptr(AstraConnection) env_connection = NULL;
  g_autoptr(AstraGeneratedToken) env_token = NULL;
  g_autoptr(AstraScanner) scanner = astra_scanner_new ();
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autofree char *path = g_build_filename (fixture->root, "env.sh", NULL);
  g_autofree char *text = NULL;
  g_autofree char *env_client_id = NULL;
  g_autofree char *env_admin_id = NULL;
  const char *roles[] = { "Database Administrator", NULL };
  const char *roots[] = { fixture->root, NULL };
  const char *env_org;

  g_assert_true (astra_sim_server_listen (env_sim, 0, &error));
  g_assert_no_error (error);
  env_org = astra_sim_server_get_org_id (env_sim);
  g_assert_cmpstr (env_org, !=, astra_sim_server_get_org_id (fixture->sim));
  env_client = astra_client_new (astra_sim_server_get_base_url (env_sim),
                                 astra_sim_server_get_admin_token (env_sim), &error);
  g_assert_no_error (error);
  astra_client_create_token_async (env_client, roles, "in the environment's org", NULL, NULL,
                                   on_result_cb, &result);
  env_token = astra_client_create_token_finish (env_client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  env_client_id = g_strdup (astra_generated_token_get_client_id (env_token));
  env_admin_id = astra_token_format_dup_client_id (astra_sim_server_get_admin_token (env_sim));
  text = g_strdup_printf ("export ASTRA_DB_APPLICATION_TOKEN=%s\nOTHER=%s\n",
                          astra_sim_server_get_admin_token (env_sim),
                          astra_generated_token_get_token (env_token));
  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  env_connection = astra_connection_new (env_org, astra_sim_server_get_org_name (env_sim),
                                         ASTRA_ENVIRONMENT_CUSTOM,
                                         astra_sim_server_get_base_url (env_sim));
  g_list_store_append (session, env_connection);
  g_hash_table_insert (clients->clients, g_strdup (env_org), g_object_ref (env_client));
  g_hash_table_insert (clients->clients, g_strdup (astra_sim_server_get_org_id (fixture->sim)),
                       g_object_ref (fixture->client));

  findings = astra_scanner_scan (scanner, roots, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 7);

  /* Without the environment's connection (the command line's case), they are unknown. */
  astra_scan_classify_async (findings, fixture->store, TRUE, NULL, on_result_cb, &result);
  g_assert_true (astra_scan_classify_finish (wait_for (&result), &error));
  g_clear_object (&result);
  g_assert_cmpint (state_of (findings, env_client_id), ==, ASTRA_SCAN_STATE_UNKNOWN_ORG);

  astra_scan_classify_full_async (findings, fixture->store, ASTRA_CLIENT_SOURCE (clients),
                                  G_LIST_MODEL (session), TRUE, NULL, on_result_cb, &result);
  g_assert_true (astra_scan_classify_full_finish (wait_for (&result), &keyring_error, &error));
  g_assert_no_error (error);
  g_assert_no_error (keyring_error);

  g_assert_cmpint (state_of (findings, env_client_id), ==, ASTRA_SCAN_STATE_LIVE);
  g_assert_cmpstr (astra_scan_finding_get_org_id (finding_of (findings, env_client_id)), ==, env_org);
  g_assert_cmpint (state_of (findings, env_admin_id), ==, ASTRA_SCAN_STATE_LIVE);
  /* The keyring's organization as before, its management token held. */
  g_assert_cmpint (state_of (findings, fixture->client_id[HELD]), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpint (state_of (findings, fixture->client_id[REVOKED]), ==, ASTRA_SCAN_STATE_REVOKED);
  g_assert_cmpint (state_of (findings, fixture->client_id[LISTED]), ==, ASTRA_SCAN_STATE_LIVE);
  g_assert_cmpint (state_of (findings, fixture->client_id[MANAGEMENT]), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpint (state_of (findings, fixture->client_id[OTHER_ORG]), ==, ASTRA_SCAN_STATE_UNKNOWN_ORG);

  astra_sim_server_disconnect (env_sim);
}

typedef struct
{
  GSubprocess *process;
  char        *out;
  gboolean     done;
} Cli;

static void
on_cli_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &cli->out, NULL, &error);
  g_assert_no_error (error);
  cli->done = TRUE;
}

/* Runs astra-tokens-cli while this process's simulator keeps serving. */
static int
run_cli (const char  *path,
         char       **out)
{
  g_autofree char *cli_path = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "astra-tokens-cli", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  Cli cli = { NULL };

  /* Everything it says, debug messages included, is checked for secrets. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "ASTRA_TOKENS_DEBUG_HTTP", "1", TRUE);
  cli.process = g_subprocess_launcher_spawn (launcher, &error, cli_path, "scan", "--json", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (cli.process, NULL, NULL, on_cli_done_cb, &cli);
  while (!cli.done)
    g_main_context_iteration (NULL, TRUE);
  *out = cli.out;
  g_subprocess_wait (cli.process, NULL, NULL);
  {
    int status = g_subprocess_get_exit_status (cli.process);

    g_object_unref (cli.process);
    return status;
  }
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *revoked_only = g_build_filename (fixture->root, "revoked", NULL);
  g_autofree char *revoked_file = g_build_filename (revoked_only, "old.env", NULL);
  g_autofree char *line = g_strdup_printf ("OLD=%s\n", fixture->token[REVOKED]);
  g_autofree char *expected = NULL;

  g_assert_cmpint (run_cli (fixture->root, &out), ==, 1);
  g_assert_nonnull (strstr (out, "/v2/clientIdSecrets"));   /* the wire log is on */
  expected = g_strdup_printf ("\"client_id\":\"%s\",\"state\":\"revoked\"", fixture->client_id[REVOKED]);
  g_assert_nonnull (strstr (out, expected));
  g_free (expected);
  expected = g_strdup_printf ("\"client_id\":\"%s\",\"state\":\"live\"", fixture->client_id[LISTED]);
  g_assert_nonnull (strstr (out, expected));
  g_free (expected);
  expected = g_strdup_printf ("\"client_id\":\"%s\",\"state\":\"unknown-org\"", fixture->client_id[OTHER_ORG]);
  g_assert_nonnull (strstr (out, expected));
  for (guint i = 0; i < G_N_ELEMENTS (fixture->token); i++)
    g_assert_null (strstr (out, fixture->token[i] + 40));
  /* The management token sent to list the organization's tokens is not in the wire log. */
  g_assert_null (strstr (out, fixture->token[MANAGEMENT] + 20));
  g_clear_pointer (&out, g_free);

  /* Only a revoked token: nothing to stop a commit for. */
  g_assert_cmpint (g_mkdir_with_parents (revoked_only, 0700), ==, 0);
  g_assert_true (g_file_set_contents (revoked_file, line, -1, NULL));
  g_assert_cmpint (run_cli (revoked_only, &out), ==, 0);
  g_assert_nonnull (strstr (out, "\"state\":\"revoked\""));
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/scan-classify/online", Fixture, NULL, fixture_set_up, test_online, fixture_tear_down);
  g_test_add ("/scan-classify/offline", Fixture, NULL, fixture_set_up, test_offline, fixture_tear_down);
  g_test_add ("/scan-classify/organization-down", Fixture, NULL, fixture_set_up,
              test_organization_down, fixture_tear_down);
  g_test_add ("/scan-classify/environment-organization", Fixture, NULL, fixture_set_up,
              test_environment_organization, fixture_tear_down);
  g_test_add ("/scan-classify/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  /* Last: the found-token item it keeps stays in the session's keyring. */
  g_test_add ("/scan-classify/found-token-held", Fixture, NULL, fixture_set_up,
              test_found_token_held, fixture_tear_down);

  return g_test_run ();
}

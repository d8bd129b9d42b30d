/* test-prefetch-keyring.c: astra_client_prefetch_start_from_keyring(), the first answers
 * of an organization connected earlier, read from the session's real keyring (a private
 * SecretService connection on the prefetch thread) and the simulator over loopback
 *
 * Runs in the test session (build-aux/with-test-session): gnome-keyring on a private bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-client-prefetch.h"
#include "astra-connection.h"
#include "astra-secret-store.h"
#include "astra-sim-server.h"
#include "astra-test-async.h"
#include "astra-test-keyring.h"
#include "astra-types.h"

#define OTHER_ORG_ID "00000000-0000-4000-8000-00000000beef"
/* Well-formed, known to no server. */
#define OTHER_TOKEN \
  "AstraCS:ABCDEFGHIJKLMNOPQRSTUVWX:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* Takes @kind, running this thread's main loop (and so the simulator) meanwhile. */
static gpointer
take (AstraClientPrefetch *prefetch,
      AstraPrefetchKind    kind,
      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_client_prefetch_take_async (prefetch, kind, NULL, astra_test_store_result_cb, &result);
  return astra_client_prefetch_take_finish (astra_test_wait (&result), error);
}

static void
save (AstraSecretStore *store,
      const char       *org_id,
      const char       *org_name,
      const char       *api_url,
      const char       *token)
{
  g_autoptr(AstraConnection) connection = astra_connection_new (org_id, org_name,
                                                                ASTRA_ENVIRONMENT_CUSTOM, api_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_secret_store_save_connection_async (store, connection, token, NULL, astra_test_store_result_cb, &result);
  g_assert_true (astra_secret_store_save_connection_finish (store, astra_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
forget (AstraSecretStore *store,
        const char       *org_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_secret_store_forget_connection_async (store, org_id, NULL, astra_test_store_result_cb, &result);
  g_assert_true (astra_secret_store_forget_connection_finish (store, astra_test_wait (&result), &error));
  g_assert_no_error (error);
}

static AstraSimServer *
start_sim (guint n_tokens)
{
  g_autoptr(GError) error = NULL;
  AstraSimServer *sim = astra_sim_server_new ();

  astra_sim_server_set_seed (sim, n_tokens, 0);
  astra_sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);

  return sim;
}

static AstraClientPrefetch *
start (const char *preferred_org_id)
{
  g_autoptr(GError) error = NULL;
  AstraClientPrefetch *prefetch = astra_client_prefetch_start_from_keyring (preferred_org_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (prefetch);
  g_assert_true (astra_client_prefetch_is_from_keyring (prefetch));

  return prefetch;
}

/* Two organizations connected: the one shown last is read, its token and its lists come
 * from the thread; the other one's token is not. */
static void
test_preferred (void)
{
  g_autoptr(AstraSimServer) sim = start_sim (300);
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraClientPrefetch) prefetch = NULL;
  g_autoptr(GListModel) connections = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(AstraSecretString) token = NULL;
  g_autoptr(GError) error = NULL;
  const char *org_id = astra_sim_server_get_org_id (sim);
  const char *base_url = astra_sim_server_get_base_url (sim);
  gpointer answer;

  /* "Aaa" sorts first: without a preference it would be the one shown. */
  save (store, OTHER_ORG_ID, "Aaa Other", base_url, OTHER_TOKEN);
  save (store, org_id, "Zzz Simulated", base_url, astra_sim_server_get_admin_token (sim));

  prefetch = start (org_id);
  connections = take (prefetch, ASTRA_PREFETCH_CONNECTIONS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (connections), ==, 2);

  g_assert_true (astra_client_prefetch_is_for_org (prefetch, org_id));
  g_assert_false (astra_client_prefetch_is_for_org (prefetch, OTHER_ORG_ID));
  token = astra_client_prefetch_dup_token (prefetch);
  g_assert_cmpstr (token, ==, astra_sim_server_get_admin_token (sim));
  g_assert_true (astra_client_prefetch_matches (prefetch, base_url, token));

  tokens = take (prefetch, ASTRA_PREFETCH_TOKENS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), >=, 300);
  roles = take (prefetch, ASTRA_PREFETCH_ROLES, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (roles), >, 0);

  /* The organization is known from the keyring: not asked for. */
  answer = take (prefetch, ASTRA_PREFETCH_CURRENT_ORG, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (answer);

  forget (store, OTHER_ORG_ID);
  forget (store, org_id);
  astra_sim_server_disconnect (sim);
}

/* No preference, or one no longer connected: the first by name, as the window shows. */
static void
test_first_by_name (void)
{
  g_autoptr(AstraSimServer) sim = start_sim (10);
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraClientPrefetch) prefetch = NULL;
  g_autoptr(GListModel) connections = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GError) error = NULL;
  const char *org_id = astra_sim_server_get_org_id (sim);

  save (store, OTHER_ORG_ID, "Zzz Other", astra_sim_server_get_base_url (sim), OTHER_TOKEN);
  save (store, org_id, "Aaa Simulated", astra_sim_server_get_base_url (sim),
        astra_sim_server_get_admin_token (sim));

  prefetch = start ("not-connected-any-more");
  connections = take (prefetch, ASTRA_PREFETCH_CONNECTIONS, &error);
  g_assert_no_error (error);
  g_assert_true (astra_client_prefetch_is_for_org (prefetch, org_id));
  tokens = take (prefetch, ASTRA_PREFETCH_TOKENS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), >=, 10);

  forget (store, OTHER_ORG_ID);
  forget (store, org_id);
  astra_sim_server_disconnect (sim);
}

/* Nothing connected, every collection unlocked: the thread's answer is an empty list (the
 * app does not list the keyring again on the way to its first frame); the others say
 * that nothing was asked. */
static void
test_nothing_stored (void)
{
  g_autoptr(AstraClientPrefetch) prefetch = start (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) connections = NULL;
  gpointer answer;

  connections = take (prefetch, ASTRA_PREFETCH_CONNECTIONS, &error);
  g_assert_no_error (error);
  g_assert_nonnull (connections);
  g_assert_cmpuint (g_list_model_get_n_items (connections), ==, 0);

  for (AstraPrefetchKind kind = 0; kind < ASTRA_PREFETCH_N_KINDS; kind++)
    {
      if (kind == ASTRA_PREFETCH_CONNECTIONS)
        continue;
      answer = take (prefetch, kind, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_assert_null (answer);
      g_clear_error (&error);
    }
  g_assert_false (astra_client_prefetch_is_for_org (prefetch, OTHER_ORG_ID));
  g_assert_null (astra_client_prefetch_dup_token (prefetch));
}

/* Nothing listed while a collection is locked: a keyring loaded locked (gnome-keyring
 * after a restart) hides its items from a search, so the empty search is no answer, and
 * the app lists the keyring itself, which asks for the unlock. Last: the collection stays
 * locked. */
static void
test_nothing_listed_locked (void)
{
  g_autoptr(AstraClientPrefetch) prefetch = NULL;
  g_autoptr(GError) error = NULL;
  gpointer answer;

  astra_test_lock_default_collection ();
  prefetch = start (NULL);
  answer = take (prefetch, ASTRA_PREFETCH_CONNECTIONS, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (answer);
}

/* libsecret's file backend (Flatpak's) has no Secret Service: no thread, the usual path. */
static void
test_file_backend (void)
{
  g_autoptr(GError) error = NULL;

  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_assert_null (astra_client_prefetch_start_from_keyring (NULL, &error));
  g_assert_no_error (error);
  g_unsetenv ("SECRET_BACKEND");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/prefetch-keyring/preferred", test_preferred);
  g_test_add_func ("/prefetch-keyring/first-by-name", test_first_by_name);
  g_test_add_func ("/prefetch-keyring/nothing-stored", test_nothing_stored);
  g_test_add_func ("/prefetch-keyring/file-backend", test_file_backend);
  g_test_add_func ("/prefetch-keyring/nothing-listed-locked", test_nothing_listed_locked);

  return g_test_run ();
}

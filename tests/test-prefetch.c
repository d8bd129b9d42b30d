/* test-prefetch.c: AstraClientPrefetch, the first answers fetched on a thread of their own,
 * against the simulator over loopback (served from this test's main context while the
 * prefetch thread asks)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-client-prefetch.h"
#include "astra-client.h"
#include "astra-organization.h"
#include "astra-role.h"
#include "astra-sim-server.h"
#include "astra-test-async.h"
#include "astra-token.h"

/* A well-formed token that no server knows. */
#define UNKNOWN_TOKEN \
  "AstraCS:ABCDEFGHIJKLMNOPQRSTUVWX:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* Takes @kind, running this thread's main loop (and so the simulator) meanwhile. */
static gpointer
take (AstraClientPrefetch *prefetch,
      AstraPrefetchKind    kind,
      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_client_prefetch_take_async (prefetch, kind, NULL, astra_test_store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return astra_client_prefetch_take_finish (result, error);
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
start_prefetch (const char *base_url,
                const char *token)
{
  g_autoptr(GError) error = NULL;
  AstraClientPrefetch *prefetch = astra_client_prefetch_start (base_url, token, &error);

  g_assert_no_error (error);
  g_assert_nonnull (prefetch);

  return prefetch;
}

/* The three answers, parsed, each once; the simulator saw three requests. */
static void
test_answers (void)
{
  g_autoptr(AstraSimServer) sim = start_sim (250);
  g_autoptr(AstraClientPrefetch) prefetch = NULL;
  g_autoptr(AstraOrganization) org = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(GListModel) again = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before = astra_sim_server_get_request_count (sim);

  prefetch = start_prefetch (astra_sim_server_get_base_url (sim),
                             astra_sim_server_get_admin_token (sim));
  g_assert_true (astra_client_prefetch_matches (prefetch, astra_sim_server_get_base_url (sim),
                                                astra_sim_server_get_admin_token (sim)));
  g_assert_false (astra_client_prefetch_matches (prefetch, astra_sim_server_get_base_url (sim),
                                                 UNKNOWN_TOKEN));

  /* Tokens first: the order of taking does not matter. */
  tokens = take (prefetch, ASTRA_PREFETCH_TOKENS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_item_type (tokens), ==, ASTRA_TYPE_TOKEN);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, astra_sim_server_get_token_count (sim));
  g_assert_cmpuint (g_list_model_get_n_items (tokens), >, 250);

  org = take (prefetch, ASTRA_PREFETCH_CURRENT_ORG, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (astra_organization_get_id (org), ==, astra_sim_server_get_org_id (sim));

  roles = take (prefetch, ASTRA_PREFETCH_ROLES, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_item_type (roles), ==, ASTRA_TYPE_ROLE);
  g_assert_cmpuint (g_list_model_get_n_items (roles), >, 0);

  g_assert_cmpuint (astra_sim_server_get_request_count (sim) - n_before, ==, 3);

  /* Each answer serves one caller. */
  again = take (prefetch, ASTRA_PREFETCH_TOKENS, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (again);

  astra_sim_server_disconnect (sim);
}

/* Taken before the slow server has answered: the caller waits, then gets it. */
static void
test_take_before_answer (void)
{
  g_autoptr(AstraSimServer) sim = start_sim (0);
  g_autoptr(AstraClientPrefetch) prefetch = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  astra_sim_server_set_latency (sim, 300);
  started = g_get_monotonic_time ();
  prefetch = start_prefetch (astra_sim_server_get_base_url (sim),
                             astra_sim_server_get_admin_token (sim));

  tokens = take (prefetch, ASTRA_PREFETCH_TOKENS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, astra_sim_server_get_token_count (sim));
  /* It did wait for the answer rather than return early. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 300 * 1000);

  astra_sim_server_disconnect (sim);
}

/* Refused credentials and a server that is gone come back as the client's errors. */
static void
test_errors (void)
{
  g_autoptr(AstraSimServer) sim = start_sim (0);
  g_autoptr(AstraClientPrefetch) unknown = NULL;
  g_autoptr(AstraClientPrefetch) malformed = NULL;
  g_autoptr(AstraClientPrefetch) gone = NULL;
  g_autofree char *base_url = g_strdup (astra_sim_server_get_base_url (sim));
  g_autoptr(GError) error = NULL;
  gpointer answer;

  unknown = start_prefetch (base_url, UNKNOWN_TOKEN);
  answer = take (unknown, ASTRA_PREFETCH_TOKENS, &error);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_null (answer);
  g_clear_error (&error);

  /* The client refuses the token before sending anything: every answer says so (the
   * keyring's connections are never read for an organization given directly). */
  malformed = start_prefetch (base_url, "AstraCS:not-a-token");
  answer = take (malformed, ASTRA_PREFETCH_CONNECTIONS, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (answer);
  g_clear_error (&error);
  for (AstraPrefetchKind kind = 0; kind < ASTRA_PREFETCH_CONNECTIONS; kind++)
    {
      answer = take (malformed, kind, &error);
      g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_TOKEN);
      g_assert_null (answer);
      g_clear_error (&error);
    }

  astra_sim_server_disconnect (sim);
  gone = start_prefetch (base_url, UNKNOWN_TOKEN);
  answer = take (gone, ASTRA_PREFETCH_CURRENT_ORG, &error);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_NETWORK);
  g_assert_null (answer);
}

/* Dropped before anything was taken: the thread finishes on its own, nothing leaks (the
 * sanitizer and valgrind runs check that). */
static void
test_dropped (void)
{
  g_autoptr(AstraSimServer) sim = start_sim (50);
  AstraClientPrefetch *prefetch;
  guint n_before = astra_sim_server_get_request_count (sim);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  prefetch = start_prefetch (astra_sim_server_get_base_url (sim),
                             astra_sim_server_get_admin_token (sim));
  astra_client_prefetch_unref (prefetch);

  /* Served all the same. */
  while (astra_sim_server_get_request_count (sim) - n_before < 3 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (astra_sim_server_get_request_count (sim) - n_before, ==, 3);

  astra_sim_server_disconnect (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/prefetch/answers", test_answers);
  g_test_add_func ("/prefetch/take-before-answer", test_take_before_answer);
  g_test_add_func ("/prefetch/errors", test_errors);
  g_test_add_func ("/prefetch/dropped", test_dropped);

  return g_test_run ();
}

/* test-faults.c: the client against the simulator's fault injection, end to end
 *
 * What test-client checks per error class (retries, status mapping, POST never retried),
 * this file follows through to what the user sees next: the token whose answer was lost
 * shows up once on refresh; the main loop keeps turning while a server sits on an answer
 * and the request can be cancelled; a multi-megabyte body leaves the client usable; a
 * plain-HTTP URL to another host is refused before anything is sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-client.h"
#include "astra-generated-token.h"
#include "astra-role.h"
#include "astra-sim-server.h"
#include "astra-test-async.h"
#include "astra-token.h"

typedef struct
{
  AstraSimServer *sim;
  AstraClient    *client;
} Fixture;

static void
add_fault (Fixture    *fixture,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (astra_sim_server_add_fault (fixture->sim, spec, &error));
  g_assert_no_error (error);
}

static GListModel *
list_tokens (AstraClient  *client,
             GCancellable *cancellable,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_client_list_tokens_async (client, cancellable, astra_test_store_result_cb, &result);
  return astra_client_list_tokens_finish (client, astra_test_wait (&result), error);
}

static char *
first_role_id (AstraClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(AstraRole) role = NULL;
  g_autoptr(GError) error = NULL;

  astra_client_list_roles_async (client, NULL, astra_test_store_result_cb, &result);
  roles = astra_client_list_roles_finish (client, astra_test_wait (&result), &error);
  g_assert_no_error (error);
  role = g_list_model_get_item (roles, 0);
  return g_strdup (astra_role_get_id (role));
}

static guint
count_described (GListModel *tokens,
                 const char *description)
{
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

      if (g_strcmp0 (astra_token_get_description (token), description) == 0)
        count++;
    }

  return count;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = astra_sim_server_new ();
  astra_sim_server_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);
  fixture->client = astra_client_new (astra_sim_server_get_base_url (fixture->sim),
                                      astra_sim_server_get_admin_token (fixture->sim), &error);
  g_assert_no_error (error);
  astra_client_set_retry_policy (fixture->client, 3, 5, 40);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  astra_sim_server_disconnect (fixture->sim);
  g_clear_object (&fixture->sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_lost_answer_shows_on_refresh (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *role_id = first_role_id (fixture->client);
  const char *role_ids[] = { role_id, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraGeneratedToken) generated = NULL;
  g_autoptr(GListModel) before = NULL;
  g_autoptr(GListModel) after = NULL;

  before = list_tokens (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_described (before, "answer lost"), ==, 0);

  /* The server creates the token, then closes the connection without answering. */
  add_fault (fixture, "POST:/v2/clientIdSecrets=drop-after*1");
  astra_client_create_token_async (fixture->client, role_ids, "answer lost", NULL, NULL,
                                   astra_test_store_result_cb, &result);
  generated = astra_client_create_token_finish (fixture->client, astra_test_wait (&result), &error);
  g_assert_null (generated);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_ANSWER_LOST);
  g_test_message ("lost answer: %s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* The request did reach the server: not "could not reach", and the token may exist. */
  g_assert_null (strstr (error->message, "Could not reach"));
  g_assert_nonnull (strstr (error->message, "The token may have been created"));
  g_assert_nonnull (strstr (error->message, "refresh the token list"));
  g_clear_error (&error);

  /* Refreshing shows it, once: it was neither dropped nor created twice. */
  after = list_tokens (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, g_list_model_get_n_items (before) + 1);
  g_assert_cmpuint (count_described (after, "answer lost"), ==, 1);
}

typedef struct
{
  guint         ticks;
  guint         cancel_at;
  GCancellable *cancellable;
} Ticker;

static gboolean
on_tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;

  /* Cancel after the loop has turned a number of times, not after some time. */
  if (++ticker->ticks == ticker->cancel_at)
    g_cancellable_cancel (ticker->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_answer_due_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_slow_server_cancel (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  Ticker ticker = { 0, 20, cancellable };
  gboolean answer_due = FALSE;
  guint tick_id;
  guint due_id;

  /* The server holds the answer for a minute; the "answer due" source marks that moment
   * in the same loop, so the order of events is checked, not a duration. */
  add_fault (fixture, "GET:/v2/clientIdSecrets=slow/60000*1");
  due_id = g_timeout_add (60000, on_answer_due_cb, &answer_due);
  tick_id = g_timeout_add (5, on_tick_cb, &ticker);

  astra_client_list_tokens_async (fixture->client, cancellable, astra_test_store_result_cb, &result);
  tokens = astra_client_list_tokens_finish (fixture->client, astra_test_wait (&result), &error);
  g_assert_null (tokens);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The loop kept turning while waiting, and the cancel ended the wait, not the server. */
  g_assert_cmpuint (ticker.ticks, >=, ticker.cancel_at);
  g_assert_false (answer_due);
  g_source_remove (tick_id);
  g_source_remove (due_id);
  g_clear_error (&error);

  /* The same client works at once afterwards. */
  astra_sim_server_clear_faults (fixture->sim);
  tokens = list_tokens (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
}

static void
test_big_body (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;

  /* About 6 MB: within the size bound, but not a token list. Refused with a reason. */
  add_fault (fixture, "GET:/v2/clientIdSecrets=big/6000000*1");
  tokens = list_tokens (fixture->client, NULL, &error);
  if (tokens == NULL)
    {
      g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE);
      g_test_message ("6 MB body: %s", error->message);
      g_clear_error (&error);
    }
  g_clear_object (&tokens);

  /* Nothing is left in a bad state: the next request works. */
  tokens = list_tokens (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
}

static void
test_plain_http_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *refused[] = {
    "http://example.invalid/v2",
    "http://127.0.0.1.example.invalid/v2",
    "http://[::ffff:8.8.8.8]/v2",
  };
  guint requests = astra_sim_server_get_request_count (fixture->sim);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraClient) client =
        astra_client_new (refused[i], astra_sim_server_get_admin_token (fixture->sim), &error);

      g_assert_null (client);
      g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL);
      /* The message never repeats the token it was given. */
      g_assert_null (strstr (error->message, astra_sim_server_get_admin_token (fixture->sim)));
    }

  /* Nothing reached any server. */
  g_assert_cmpuint (astra_sim_server_get_request_count (fixture->sim), ==, requests);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/faults/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("create/lost-answer-shows-once-on-refresh", test_lost_answer_shows_on_refresh);
  ADD ("list/slow-server-cancelled", test_slow_server_cancel);
  ADD ("list/big-body", test_big_body);
  ADD ("url/plain-http-refused", test_plain_http_refused);
#undef ADD

  return g_test_run ();
}

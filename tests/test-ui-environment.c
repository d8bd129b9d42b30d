/* test-ui-environment.c: the organization given by ASTRA_API_URL + ASTRA_DB_APPLICATION_TOKEN
 *
 * Scripts and benchmarks start `astra-sim`, export the two lines it prints, and launch the
 * app: the window must show that organization first, marked "From Environment", without
 * storing its token in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "astra-application.h"
#include "astra-secret-store.h"
#include "astra-test-ui.h"
#include "astra-tokens-page.h"
#include "astra-window.h"

#define TIMEOUT_MS 20000

static AstraApplication *app;
static AstraSimServer *sim;

static void
on_lookup_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **out = user_data;
  g_autofree char *token = astra_secret_store_lookup_token_finish (ASTRA_SECRET_STORE (object), result, out);

  g_assert_null (token);
  g_assert_nonnull (*out);
}

static void
test_environment_connection (void)
{
  AstraContext *context = astra_application_get_context (app);
  AstraWindow *window = astra_window_new (app);
  AstraTokensPage *page;
  AstraConnection *connection;
  g_autoptr(GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  ASTRA_TEST_UI_WAIT (astra_window_get_connection (window) != NULL, TIMEOUT_MS);

  connection = astra_window_get_connection (window);
  g_assert_cmpstr (astra_connection_get_org_id (connection), ==, astra_sim_server_get_org_id (sim));
  g_assert_cmpstr (astra_connection_get_api_url (connection), ==, astra_sim_server_get_base_url (sim));
  g_assert_true (astra_context_is_from_environment (context, connection));
  g_assert_true (astra_context_is_session_only (context, connection));
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (window), "From Environment"));

  page = ASTRA_TOKENS_PAGE (astra_test_ui_find (GTK_WIDGET (window), ASTRA_TYPE_TOKENS_PAGE, NULL));
  ASTRA_TEST_UI_WAIT (g_strcmp0 (astra_tokens_page_get_state (page), "list") == 0, TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (astra_tokens_page_get_model (page)), ==,
                    astra_sim_server_get_token_count (sim));

  /* Session only: nothing of it reached the keyring. */
  astra_secret_store_lookup_token_async (astra_context_get_secret_store (context),
                                         astra_sim_server_get_org_id (sim), NULL,
                                         on_lookup_cb, &error);
  ASTRA_TEST_UI_WAIT (error != NULL, TIMEOUT_MS);
  g_assert_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_unsetenv ("ASTRA_TOKENS_BENCHMARK");
  astra_test_ui_init (&argc, &argv);

  /* Exactly what `astra-sim` prints: the base URL with /v2 and an administrator token. */
  sim = astra_test_ui_start_sim (5);
  g_setenv ("ASTRA_API_URL", astra_sim_server_get_base_url (sim), TRUE);
  g_setenv ("ASTRA_DB_APPLICATION_TOKEN", astra_sim_server_get_admin_token (sim), TRUE);

  app = astra_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/ui/environment/connection", test_environment_connection);
  ret = g_test_run ();

  g_unsetenv ("ASTRA_API_URL");
  g_unsetenv ("ASTRA_DB_APPLICATION_TOKEN");
  astra_sim_server_disconnect (sim);
  g_clear_object (&sim);
  return ret;
}

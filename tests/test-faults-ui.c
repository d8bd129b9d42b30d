/* test-faults-ui.c: the new-token dialog when the keyring write fails after creation
 *
 * The token exists on the server and Astra will never show its secret again, so the dialog
 * must not lose it: it stays open with the keyring's error in words a person understands,
 * offers Retry and Export CSV…, refuses to close silently, and once the CSV is written the
 * secret is safe and the dialog may close.
 *
 * And the main window with a server that sits on its answers: it keeps drawing while the
 * list loads, and closing it cancels the request instead of waiting for the server.
 *
 * Each case needs a keyring of its own, so tests/meson.build runs this program three times:
 *   -p /faults-ui/keyring-locked     in a fresh test session, whose default collection the
 *                                    test locks (the daemon has no display to prompt on);
 *   -p /faults-ui/no-secret-service  on a bus where no Secret Service exists at all;
 *   -p /faults-ui/slow-server        in a fresh test session (it connects an organization).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-faults-ui"

#include "config.h"

#include <adwaita.h>
#include <libsecret/secret.h>

#include "astra-application.h"
#include "astra-client.h"
#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-new-token-dialog.h"
#include "astra-role.h"
#include "astra-roles-page.h"
#include "astra-secret-store.h"
#include "astra-test-ui.h"
#include "astra-token.h"
#include "astra-tokens-page.h"
#include "astra-window.h"

#define WAIT_MS 20000

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Locks the session keyring's default collection. Unlocking needs a prompt, which fails at
 * once without a display, so every later write fails the way it does for a user who
 * dismissed the unlock dialog. */
static void
lock_default_collection (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) objects = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects = g_list_prepend (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));
}

static AstraGeneratedToken *
create_token (AstraClient *client,
              const char  *description)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraRole) role = NULL;
  AstraGeneratedToken *token;
  const char *role_ids[2] = { NULL, NULL };

  astra_client_list_roles_async (client, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  roles = astra_client_list_roles_finish (client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  role = g_list_model_get_item (roles, 0);
  role_ids[0] = astra_role_get_id (role);
  astra_client_create_token_async (client, role_ids, description, NULL, NULL,
                                   store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  token = astra_client_create_token_finish (client, result, &error);
  g_assert_no_error (error);

  return token;
}

static gboolean
server_lists_token (AstraClient *client,
                    const char  *client_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GError) error = NULL;

  astra_client_list_tokens_async (client, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  tokens = astra_client_list_tokens_finish (client, result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

      if (g_strcmp0 (astra_token_get_client_id (token), client_id) == 0)
        return TRUE;
    }

  return FALSE;
}

static GtkWidget *
find_visible_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }

  return NULL;
}

static gboolean
keyring_failed (GtkWidget *dialog)
{
  return astra_test_ui_find_mapped (dialog, ADW_TYPE_ACTION_ROW, "Not saved to keyring") != NULL;
}

static void
assert_error_is_readable (GtkWidget *dialog)
{
  GtkWidget *row = astra_test_ui_find_mapped (dialog, ADW_TYPE_ACTION_ROW, "Not saved to keyring");
  const char *message = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  g_test_message ("keyring error shown: %s", message);
  g_assert_nonnull (message);
  g_assert_cmpuint (strlen (message), >, 10);
  /* Words for a person, not D-Bus internals. */
  g_assert_null (strstr (message, "GDBus"));
  g_assert_null (strstr (message, "org.freedesktop"));
  g_assert_null (strstr (message, "/org/"));
  /* Nor libsecret's own text ("Cannot create an item in a locked collection"). */
  g_assert_null (strstr (message, "collection"));
}

/* ------------------------------------------------------------------------------------------ */
/* The test                                                                                   */

static void
run_keyring_failure (gboolean lock_keyring)
{
  g_autoptr(AstraSimServer) sim = astra_test_ui_start_sim (0);
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) csv = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *secret = NULL;
  GtkWindow *parent;
  GtkWidget *dialog;
  GtkWidget *retry;
  GtkWidget *question;

  client = astra_client_new (astra_sim_server_get_base_url (sim),
                             astra_sim_server_get_admin_token (sim), &error);
  g_assert_no_error (error);
  connection = astra_connection_new (astra_sim_server_get_org_id (sim),
                                     astra_sim_server_get_org_name (sim),
                                     ASTRA_ENVIRONMENT_CUSTOM,
                                     astra_sim_server_get_base_url (sim));

  /* The token exists on the server before the keyring is even asked. */
  token = create_token (client, "keyring will fail");
  client_id = g_strdup (astra_generated_token_get_client_id (token));
  secret = g_strdup (astra_generated_token_get_secret (token));

  if (lock_keyring)
    lock_default_collection ();

  parent = GTK_WINDOW (adw_application_window_new (NULL));
  gtk_window_present (parent);
  dialog = GTK_WIDGET (astra_new_token_dialog_new (parent, store, connection, token, TRUE));
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (dialog);

  /* The save fails, and says so. */
  ASTRA_TEST_UI_WAIT (keyring_failed (dialog), WAIT_MS);
  assert_error_is_readable (dialog);
  g_assert_false (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)));
  g_free (astra_test_ui_screenshot (dialog, lock_keyring ? "faults-keyring-locked.png"
                                                 : "faults-no-secret-service.png"));

  /* Retry and Export CSV… are offered. */
  retry = astra_test_ui_find_mapped (dialog, GTK_TYPE_BUTTON, "Retry");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_is_sensitive (retry));
  g_assert_nonnull (astra_test_ui_find_mapped (dialog, ADW_TYPE_ACTION_ROW, "Export CSV…"));

  /* Retrying while the keyring still fails fails again, cleanly. */
  g_signal_emit_by_name (retry, "clicked");
  ASTRA_TEST_UI_WAIT (!keyring_failed (dialog), WAIT_MS);
  ASTRA_TEST_UI_WAIT (keyring_failed (dialog), WAIT_MS);
  assert_error_is_readable (dialog);

  /* Closing does not drop the secret: the dialog stays and asks first. */
  gtk_window_close (GTK_WINDOW (dialog));
  ASTRA_TEST_UI_WAIT (find_visible_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, WAIT_MS);
  question = find_visible_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (gtk_widget_get_visible (dialog));
  g_assert_nonnull (astra_new_token_dialog_get_token (ASTRA_NEW_TOKEN_DIALOG (dialog)));
  /* Dismissing the question (Escape) keeps the dialog. */
  gtk_window_close (GTK_WINDOW (question));
  ASTRA_TEST_UI_WAIT (find_visible_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL, WAIT_MS);
  g_assert_true (gtk_widget_get_visible (dialog));

  /* Export CSV is the way out: the file holds the secret, byte-exact. */
  csv = g_file_new_build_filename (g_get_home_dir (), "GeneratedToken.csv", NULL);
  astra_new_token_dialog_export_to_file_async (ASTRA_NEW_TOKEN_DIALOG (dialog), csv, NULL,
                                               store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  g_assert_true (astra_new_token_dialog_export_to_file_finish (ASTRA_NEW_TOKEN_DIALOG (dialog),
                                                                result, &error));
  g_assert_no_error (error);
  g_assert_true (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)));
  g_assert_true (g_file_load_contents (csv, NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, client_id));
  g_assert_nonnull (strstr (contents, secret));

  /* Now it closes without a question. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  ASTRA_TEST_UI_WAIT (dialog == NULL || !gtk_widget_get_visible (dialog), WAIT_MS);
  g_assert_null (find_visible_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  if (dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  /* Nothing was created twice, nothing was lost on the server either. */
  g_assert_true (server_lists_token (client, client_id));

  gtk_window_destroy (parent);
  g_file_delete (csv, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* A slow server and the main window                                                           */

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_answer_due_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_slow_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraApplication) app = astra_application_new ();
  g_autoptr(AstraSimServer) sim = astra_test_ui_start_sim (0);
  AstraWindow *window;
  GtkWindow *connect;
  GtkWidget *page;
  GtkWidget *roles_page;
  guint requests;
  gboolean answer_due = FALSE;
  guint due_id;
  guint frames = 0;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = astra_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  /* Connect as a person would; the token list then takes a minute to come. */
  g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/clientIdSecrets=slow/60000", &error));
  g_assert_no_error (error);
  connect = astra_window_show_connect (window, NULL);
  gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (connect),
                                                           ADW_TYPE_PASSWORD_ENTRY_ROW, "Token")),
                         astra_sim_server_get_admin_token (sim));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (astra_test_ui_find (GTK_WIDGET (connect),
                                                                      GTK_TYPE_TOGGLE_BUTTON,
                                                                      "Custom API URL")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (connect),
                                                           ADW_TYPE_ENTRY_ROW, "API URL")),
                         astra_sim_server_get_base_url (sim));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (connect), "connect.connect", NULL));
  due_id = g_timeout_add (60000, on_answer_due_cb, &answer_due);

  ASTRA_TEST_UI_WAIT (astra_window_get_connection (window) != NULL, WAIT_MS);
  page = astra_test_ui_find (GTK_WIDGET (window), ASTRA_TYPE_TOKENS_PAGE, NULL);
  g_assert_nonnull (page);
  ASTRA_TEST_UI_WAIT (g_strcmp0 (astra_tokens_page_get_state (ASTRA_TOKENS_PAGE (page)),
                                 "loading") == 0, WAIT_MS);

  /* While the server sits on the answer, the window keeps drawing frames (the spinner). */
  gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick_cb, &frames, NULL);
  ASTRA_TEST_UI_WAIT (frames >= 10, WAIT_MS);
  g_assert_cmpstr (astra_tokens_page_get_state (ASTRA_TOKENS_PAGE (page)), ==, "loading");
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "faults-slow-server.png"));

  /* The Roles page, shown now, waits for its own slow answer. */
  g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/organizations/roles=slow/60000",
                                             &error));
  g_assert_no_error (error);
  /* Built when first shown. */
  g_assert_null (astra_test_ui_find (GTK_WIDGET (window), ASTRA_TYPE_ROLES_PAGE, NULL));
  requests = astra_sim_server_get_request_count (sim);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (astra_test_ui_find (GTK_WIDGET (window),
                                                                             ADW_TYPE_VIEW_STACK,
                                                                             NULL)),
                                         "roles");
  roles_page = astra_test_ui_find (GTK_WIDGET (window), ASTRA_TYPE_ROLES_PAGE, NULL);
  g_assert_nonnull (roles_page);
  ASTRA_TEST_UI_WAIT (astra_sim_server_get_request_count (sim) > requests, WAIT_MS);
  g_assert_cmpstr (astra_roles_page_get_state (ASTRA_ROLES_PAGE (roles_page)), ==, "loading");

  /* Closing the window cancels the requests: the pages, which the pending requests hold, go
   * away at once rather than when the server answers or the client's 20 s timeout ends the
   * request. The "answer due" mark, 15 s after the close, orders the events. */
  g_source_remove (due_id);
  due_id = g_timeout_add (15000, on_answer_due_cb, &answer_due);
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  g_object_add_weak_pointer (G_OBJECT (roles_page), (gpointer *) &roles_page);
  gtk_window_destroy (GTK_WINDOW (window));
  ASTRA_TEST_UI_WAIT ((page == NULL && roles_page == NULL) || answer_due, WAIT_MS);
  g_assert_null (page);
  g_assert_null (roles_page);
  g_assert_false (answer_due);

  g_source_remove (due_id);
  astra_sim_server_clear_faults (sim);
}

static void
test_keyring_locked (void)
{
  run_keyring_failure (TRUE);
}

static void
test_no_secret_service (void)
{
  run_keyring_failure (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  astra_test_ui_init (&argc, &argv);

  g_test_add_func ("/faults-ui/keyring-locked", test_keyring_locked);
  g_test_add_func ("/faults-ui/no-secret-service", test_no_secret_service);
  g_test_add_func ("/faults-ui/slow-server", test_slow_server);

  return g_test_run ();
}

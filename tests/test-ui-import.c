/* test-ui-import.c: "Import GeneratedToken.csv…" from the welcome page, nothing connected
 *
 * A portal CSV holds application tokens; one of them may be able to manage the tokens of
 * its organization. With nothing connected, importing the file offers to connect the
 * organization with such a token, then imports the file into it; when no token of the file
 * can, it says so and stores nothing. One window and one simulator; the cases run in order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "astra-application.h"
#include "astra-client.h"
#include "astra-connect-dialog.h"
#include "astra-csv.h"
#include "astra-generated-token.h"
#include "astra-role.h"
#include "astra-secret-store.h"
#include "astra-test-ui.h"
#include "astra-token-format.h"
#include "astra-window.h"

#define TIMEOUT_MS 20000

static AstraApplication *app;
static AstraWindow *window;
static AstraSimServer *sim;
static AstraGeneratedToken *read_only;     /* may not list tokens */
static AstraGeneratedToken *admin;         /* Organization Administrator: may */
static AstraGeneratedToken *unknown;       /* well-formed, unknown to the organization */

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static AstraContext *
get_context (void)
{
  return astra_application_get_context (app);
}

static const char *
visible_main_page (void)
{
  GtkWidget *stack = astra_test_ui_find (GTK_WIDGET (window), GTK_TYPE_STACK, NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (toplevel), type) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }

  return NULL;
}

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  ASTRA_TEST_UI_WAIT (*result != NULL, TIMEOUT_MS);
  return *result;
}

static AstraClient *
admin_client (void)
{
  g_autoptr(GError) error = NULL;
  AstraClient *client = astra_client_new (astra_sim_server_get_base_url (sim),
                                          astra_sim_server_get_admin_token (sim), &error);

  g_assert_no_error (error);
  return client;
}

/* A token the simulator knows, generated through the API and stored nowhere. */
static AstraGeneratedToken *
generate (const char *role_name,
          const char *description)
{
  g_autoptr(AstraClient) client = admin_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(GError) error = NULL;
  AstraGeneratedToken *token;
  const char *role_ids[2] = { NULL, NULL };

  astra_client_list_roles_async (client, NULL, on_result_cb, &result);
  roles = astra_client_list_roles_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (roles); i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (roles, i);

      if (g_strcmp0 (astra_role_get_name (role), role_name) == 0)
        role_ids[0] = astra_role_get_id (role);
    }
  g_assert_nonnull (role_ids[0]);

  g_clear_object (&result);
  astra_client_create_token_async (client, role_ids, description, NULL, NULL, on_result_cb, &result);
  token = astra_client_create_token_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  return token;
}

/* Writes a portal CSV of @tokens (as the portal does: client id, secret, role, token). */
static GFile *
write_csv (AstraGeneratedToken **tokens,
           char                **dir_out)
{
  g_autoptr(GListStore) store = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *path = NULL;
  const char *roles[] = { "Some Role", NULL };

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autoptr(AstraGeneratedToken) row =
        astra_generated_token_new (astra_generated_token_get_client_id (tokens[i]),
                                   astra_generated_token_get_secret (tokens[i]),
                                   astra_generated_token_get_token (tokens[i]));

      astra_generated_token_set_role_names (row, roles);
      g_list_store_append (store, row);
    }

  *dir_out = g_dir_make_tmp ("astra-csv-XXXXXX", NULL);
  path = g_build_filename (*dir_out, "GeneratedToken.csv", NULL);
  csv = astra_csv_format_portal (G_LIST_MODEL (store));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL));
  return g_file_new_for_path (path);
}

static void
remove_csv (GFile *file,
            char  *dir)
{
  g_autofree char *path = g_file_get_path (file);

  g_unlink (path);
  g_rmdir (dir);
  g_free (dir);
}

/* Whether the keyring holds the generated token @client_id of the simulator's org. */
static AstraGeneratedToken *
keyring_generated (const char *client_id)
{
  AstraSecretStore *store = astra_context_get_secret_store (get_context ());
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AstraGeneratedToken *token;

  astra_secret_store_lookup_generated_async (store, astra_sim_server_get_org_id (sim), client_id,
                                             NULL, on_result_cb, &result);
  token = astra_secret_store_lookup_generated_finish (store, wait_result (&result), &error);
  if (token == NULL)
    g_assert_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND);
  return token;
}

static char *
keyring_management_token (void)
{
  AstraSecretStore *store = astra_context_get_secret_store (get_context ());
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  astra_secret_store_lookup_token_async (store, astra_sim_server_get_org_id (sim), NULL,
                                         on_result_cb, &result);
  token = astra_secret_store_lookup_token_finish (store, wait_result (&result), &error);
  if (token == NULL)
    g_assert_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND);
  return token;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

/* A mapped label under @root whose text contains @text. */
static gboolean
shows_text_containing (GtkWidget  *root,
                       const char *text)
{
  g_autoptr(GPtrArray) labels = astra_test_ui_find_all (root, GTK_TYPE_LABEL, NULL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (label) && strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* Imports @file from the welcome page and, in the dialog that offers to connect the file's
 * organization, picks the simulator's URL and presses Connect and Import. */
static GtkWindow *
import_and_connect (GFile *file)
{
  GtkWindow *dialog;
  GtkWidget *custom;
  GtkWidget *url_row;
  GtkWidget *token_row;

  g_assert_cmpstr (visible_main_page (), ==, "welcome");
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                               "Import GeneratedToken.csv…"));
  astra_window_import_csv_file (window, file);

  ASTRA_TEST_UI_WAIT ((dialog = find_toplevel (ASTRA_TYPE_CONNECT_DIALOG)) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Import Tokens");
  g_assert_true (shows_text_containing (GTK_WIDGET (dialog), "“GeneratedToken.csv”"));
  /* No token to paste: the file's are used. */
  token_row = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "Token");
  g_assert_true (token_row == NULL || !gtk_widget_get_mapped (token_row));

  custom = astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_TOGGLE_BUTTON, "Custom API URL");
  url_row = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "API URL");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (custom), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (url_row), astra_sim_server_get_base_url (sim));
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (dialog), GTK_TYPE_BUTTON,
                                               "Connect and Import"));
  g_free (astra_test_ui_screenshot (GTK_WIDGET (dialog), "connect-csv-dialog.png"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.connect", NULL));
  return dialog;
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                      */

static void
test_welcome (void)
{
  GListModel *connections = astra_context_get_connections (get_context ());

  ASTRA_TEST_UI_WAIT (astra_context_get_loaded (get_context ()), TIMEOUT_MS);
  /* A first start: organizations other test programs of this session left in the keyring
   * are forgotten. */
  while (g_list_model_get_n_items (connections) > 0)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, 0);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      astra_context_forget_async (get_context (), connection, NULL, on_result_cb, &result);
      g_assert_true (astra_context_forget_finish (get_context (), wait_result (&result), &error));
      g_assert_no_error (error);
    }
  ASTRA_TEST_UI_WAIT (g_strcmp0 (visible_main_page (), "welcome") == 0, TIMEOUT_MS);

  read_only = generate ("RO Svc Acct", "Dashboard");
  admin = generate ("Organization Administrator", "Ops automation");
  {
    const char *id = "UnknownCsvTokenAbcdefghi";
    g_autofree char *text = astra_token_format_compose (id, "not+a,known-secret");

    unknown = astra_generated_token_new (id, "not+a,known-secret", text);
  }
}

/* No token of the file may list its organization's tokens: said in the dialog, nothing
 * connected, nothing stored. */
static void
test_none_can_connect (void)
{
  AstraGeneratedToken *tokens[] = { unknown, read_only, NULL };
  char *dir = NULL;
  g_autoptr(GFile) file = write_csv (tokens, &dir);
  g_autoptr(AstraGeneratedToken) stored = NULL;
  g_autofree char *management = NULL;
  GtkWindow *dialog = import_and_connect (file);

  ASTRA_TEST_UI_WAIT (shows_text_containing (GTK_WIDGET (dialog),
                                             "None of the 2 tokens in the file can connect their "
                                             "organization"),
                      TIMEOUT_MS);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_null (find_message_dialog ());
  gtk_window_close (dialog);

  g_assert_cmpuint (g_list_model_get_n_items (astra_context_get_connections (get_context ())), ==, 0);
  g_assert_cmpstr (visible_main_page (), ==, "welcome");
  management = keyring_management_token ();
  g_assert_null (management);
  stored = keyring_generated (astra_generated_token_get_client_id (read_only));
  g_assert_null (stored);
  remove_csv (file, dir);
}

/* The file's administrator token connects the organization, even after tokens that
 * cannot; then the file's tokens the organization lists are imported into it. */
static void
test_connect_and_import (void)
{
  AstraGeneratedToken *tokens[] = { unknown, read_only, admin, NULL };
  char *dir = NULL;
  g_autoptr(GFile) file = write_csv (tokens, &dir);
  g_autoptr(AstraGeneratedToken) stored = NULL;
  g_autofree char *management = NULL;
  AstraConnection *connection;
  AdwMessageDialog *message;
  const char *body;

  import_and_connect (file);

  ASTRA_TEST_UI_WAIT ((message = find_message_dialog ()) != NULL, TIMEOUT_MS);
  g_assert_null (find_toplevel (ASTRA_TYPE_CONNECT_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (message), ==, "Some Tokens Were Not Imported");
  body = adw_message_dialog_get_body (message);
  g_assert_nonnull (strstr (body, "2 tokens of Acme Analytics are now in your keyring"));
  g_assert_nonnull (strstr (body, astra_generated_token_get_client_id (unknown)));
  g_assert_null (strstr (body, "AstraCS:"));
  adw_message_dialog_response (message, "close");
  gtk_window_close (GTK_WINDOW (message));

  /* Connected with the token that may manage tokens. */
  connection = astra_window_get_connection (window);
  g_assert_nonnull (connection);
  g_assert_cmpstr (astra_connection_get_org_id (connection), ==, astra_sim_server_get_org_id (sim));
  ASTRA_TEST_UI_WAIT (g_strcmp0 (visible_main_page (), "organizations") == 0, TIMEOUT_MS);
  management = keyring_management_token ();
  g_assert_cmpstr (management, ==, astra_generated_token_get_token (admin));

  /* Both known tokens stored with the organization's roles; the unknown one not. */
  stored = keyring_generated (astra_generated_token_get_client_id (admin));
  g_assert_nonnull (stored);
  g_assert_cmpstrv (astra_generated_token_get_role_names (stored),
                    ((const char *[]) { "Organization Administrator", NULL }));
  g_assert_cmpstr (astra_generated_token_get_description (stored), ==, "Ops automation");
  g_clear_object (&stored);
  stored = keyring_generated (astra_generated_token_get_client_id (read_only));
  g_assert_nonnull (stored);
  g_assert_cmpstrv (astra_generated_token_get_role_names (stored), ((const char *[]) { "RO Svc Acct", NULL }));
  g_assert_nonnull (astra_generated_token_get_generated_on (stored));
  g_clear_object (&stored);
  stored = keyring_generated (astra_generated_token_get_client_id (unknown));
  g_assert_null (stored);

  remove_csv (file, dir);
}

/* Leaves the session's keyring as it found it, for the next test program. */
static void
test_cleanup (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_context_forget_async (get_context (), astra_window_get_connection (window), NULL,
                              on_result_cb, &result);
  g_assert_true (astra_context_forget_finish (get_context (), wait_result (&result), &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_unsetenv ("ASTRA_API_URL");
  g_unsetenv ("ASTRA_DB_APPLICATION_TOKEN");
  g_unsetenv ("ASTRA_TOKENS_BENCHMARK");

  astra_test_ui_init (&argc, &argv);

  app = astra_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  sim = astra_sim_server_new ();
  astra_sim_server_set_org_name (sim, "Acme Analytics");
  g_assert_true (astra_sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);

  window = astra_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/ui-import/welcome", test_welcome);
  g_test_add_func ("/ui-import/none-can-connect", test_none_can_connect);
  g_test_add_func ("/ui-import/connect-and-import", test_connect_and_import);
  g_test_add_func ("/ui-import/cleanup", test_cleanup);

  ret = g_test_run ();

  g_clear_object (&read_only);
  g_clear_object (&admin);
  g_clear_object (&unknown);
  gtk_window_destroy (GTK_WINDOW (window));
  astra_sim_server_disconnect (sim);
  g_clear_object (&sim);
  return ret;
}

/* test-ui-own-token.c: the token the app itself connects with, in the real window
 *
 * The organization is connected with a token of its own (as a person pastes one), which
 * the organization's list shows like any other. Its row is marked; revoking it warns that
 * the app will be locked out; rotating it moves the app to the new token (checked with the
 * server, stored where the old one was) before the old one is revoked, and when the
 * check fails the old token is kept and still used.
 *
 *   test-ui-own-token                 connected through the keyring
 *   test-ui-own-token --environment   started with ASTRA_API_URL and
 *                                     ASTRA_DB_APPLICATION_TOKEN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "astra-application.h"
#include "astra-client.h"
#include "astra-generate-dialog.h"
#include "astra-generated-token.h"
#include "astra-new-token-dialog.h"
#include "astra-secret-store.h"
#include "astra-test-ui.h"
#include "astra-token.h"
#include "astra-token-format.h"
#include "astra-tokens-page.h"
#include "astra-window.h"

#define TIMEOUT_MS 20000

static AstraApplication *app;
static AstraWindow *window;
static AstraSimServer *sim;
static gboolean from_environment;
static char *own_token;       /* the token the app connects with now */

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static AstraContext *
get_context (void)
{
  return astra_application_get_context (app);
}

static AstraTokensPage *
tokens_page (void)
{
  return ASTRA_TOKENS_PAGE (astra_test_ui_find (GTK_WIDGET (window), ASTRA_TYPE_TOKENS_PAGE, NULL));
}

static AstraToken *
find_row (const char *client_id)
{
  GListModel *model = astra_tokens_page_get_model (tokens_page ());

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (model, i);

      if (g_strcmp0 (astra_token_get_client_id (token), client_id) == 0)
        return token;
    }

  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (toplevel), type) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }

  return NULL;
}

static gboolean
tokens_listed (void)
{
  return g_strcmp0 (astra_tokens_page_get_state (tokens_page ()), "list") == 0;
}

static void
on_populated_cb (AstraTokensPage *page,
                 gboolean        *populated)
{
  *populated = TRUE;
}

static void
refresh_and_wait (void)
{
  gboolean populated = FALSE;
  gulong id = g_signal_connect (tokens_page (), "populated", G_CALLBACK (on_populated_cb), &populated);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  ASTRA_TEST_UI_WAIT (populated || g_strcmp0 (astra_tokens_page_get_state (tokens_page ()), "error") == 0,
                      TIMEOUT_MS);
  g_signal_handler_disconnect (tokens_page (), id);
}

/* Whether a mapped label under @root contains @text. */
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

static void
on_listed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GListModel) tokens = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, error);

  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "listed");
}

/* Whether the server still accepts @token: lists tokens with it. */
static gboolean
server_accepts (const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraClient) client = astra_client_new (astra_sim_server_get_base_url (sim), token, &error);

  g_assert_no_error (error);
  astra_client_list_tokens_async (client, NULL, on_listed_cb, &error);
  ASTRA_TEST_UI_WAIT (error != NULL, TIMEOUT_MS);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    return TRUE;
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED);
  return FALSE;
}

static void
on_token_looked_up_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(char **) user_data = astra_secret_store_lookup_token_finish (ASTRA_SECRET_STORE (object), result, &error);
  g_assert_no_error (error);
}

static char *
keyring_token (void)
{
  char *token = NULL;

  astra_secret_store_lookup_token_async (astra_context_get_secret_store (get_context ()),
                                         astra_sim_server_get_org_id (sim), NULL,
                                         on_token_looked_up_cb, &token);
  ASTRA_TEST_UI_WAIT (token != NULL, TIMEOUT_MS);
  return token;
}

static void
on_generated_cb (AstraGenerateDialog *dialog,
                 AstraGeneratedToken *token,
                 char               **out)
{
  *out = g_strdup (astra_generated_token_get_token (token));
}

static void
on_revoked_cb (AstraGenerateDialog *dialog,
               const char          *client_id,
               gboolean            *revoked)
{
  *revoked = TRUE;
}

/* Rotates @client_id from its row, as a person does, and waits until the new token is
 * saved and the rotation is over (revoked or not). The new-token dialog is left open for
 * its messages. Returns: the new token. */
static char *
rotate (const char *client_id,
        gboolean   *revoked)
{
  char *new_token = NULL;
  GtkWindow *generate;
  GtkWindow *shown;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.rotate", "s", client_id));
  ASTRA_TEST_UI_WAIT ((generate = find_toplevel (ASTRA_TYPE_GENERATE_DIALOG)) != NULL, TIMEOUT_MS);
  /* The dialog says that the app moves to the new token first. */
  g_assert_true (shows_text_containing (GTK_WIDGET (generate), "Astra Tokens itself connects with this token"));
  g_signal_connect (generate, "token-generated", G_CALLBACK (on_generated_cb), &new_token);
  g_signal_connect (generate, "token-revoked", G_CALLBACK (on_revoked_cb), revoked);
  g_object_add_weak_pointer (G_OBJECT (generate), (gpointer *) &generate);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (generate), "dialog.generate", NULL));
  ASTRA_TEST_UI_WAIT ((shown = find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG)) != NULL &&
                      astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (shown)), TIMEOUT_MS);
  g_assert_nonnull (new_token);
  /* The generate dialog goes once the rotation is over. */
  ASTRA_TEST_UI_WAIT (*revoked || generate == NULL ||
                      shows_text_containing (GTK_WIDGET (shown), "could not switch"), TIMEOUT_MS);
  if (generate != NULL)
    g_object_remove_weak_pointer (G_OBJECT (generate), (gpointer *) &generate);

  return new_token;
}

static void
close_new_token_dialog (void)
{
  GtkWindow *shown = find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG);

  g_assert_nonnull (shown);
  gtk_window_close (shown);
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == NULL, TIMEOUT_MS);
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                      */

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraConnection) connection = astra_context_connect_finish (ASTRA_CONTEXT (object), result, &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The row of the app's own token is marked, in the list and in Details. */
static void
test_marked (void)
{
  g_autofree char *client_id = astra_token_format_dup_client_id (own_token);
  g_autoptr(GPtrArray) marks = NULL;
  GtkWidget *icon;

  if (!from_environment)
    {
      gboolean connected = FALSE;

      astra_context_connect_async (get_context (), own_token, ASTRA_ENVIRONMENT_CUSTOM,
                                   astra_sim_server_get_base_url (sim), NULL, on_connected_cb, &connected);
      ASTRA_TEST_UI_WAIT (connected, TIMEOUT_MS);
    }
  ASTRA_TEST_UI_WAIT (astra_window_get_connection (window) != NULL && tokens_listed (), TIMEOUT_MS);

  ASTRA_TEST_UI_WAIT (find_row (client_id) != NULL, TIMEOUT_MS);
  g_assert_true (astra_token_get_connects_app (find_row (client_id)));
  astra_test_ui_spin (100);
  icon = astra_test_ui_find_mapped (GTK_WIDGET (tokens_page ()), GTK_TYPE_IMAGE, "Used by this app to connect");
  g_assert_nonnull (icon);
  /* Only that row. */
  marks = astra_test_ui_find_all (GTK_WIDGET (tokens_page ()), GTK_TYPE_IMAGE,
                                  "Used by this app to connect");
  g_assert_cmpuint (marks->len, ==, 1);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window),
                                    from_environment ? "own-token-environment.png" : "own-token.png"));
}

/* Revoke warns that the app is locked out, and says how to come back. */
static void
test_revoke_warns (void)
{
  g_autofree char *client_id = astra_token_format_dup_client_id (own_token);
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.revoke", "s", client_id));
  ASTRA_TEST_UI_WAIT ((dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG))) != NULL, TIMEOUT_MS);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Astra Tokens itself connects"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "rotate it instead"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  astra_test_ui_spin (200);
  g_assert_true (server_accepts (own_token));
}

/* When the new token cannot be checked, the old one stays, and stays in use. */
static void
test_rotate_check_fails (void)
{
  g_autofree char *client_id = astra_token_format_dup_client_id (own_token);
  g_autofree char *new_token = NULL;
  g_autoptr(GError) error = NULL;
  gboolean revoked = FALSE;

  g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/currentOrg=500*20", &error));
  g_assert_no_error (error);
  new_token = rotate (client_id, &revoked);
  ASTRA_TEST_UI_WAIT (shows_text_containing (GTK_WIDGET (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG)),
                                             "could not switch"), TIMEOUT_MS);
  astra_sim_server_clear_faults (sim);
  g_assert_false (revoked);
  close_new_token_dialog ();

  g_assert_true (server_accepts (own_token));
  if (!from_environment)
    {
      g_autofree char *stored = keyring_token ();

      g_assert_cmpstr (stored, ==, own_token);
    }
  refresh_and_wait ();
  g_assert_true (tokens_listed ());
  g_assert_true (astra_token_get_connects_app (find_row (client_id)));
}

/* Rotate moves the app to the new token, then revokes the old one: the app keeps working. */
static void
test_rotate_moves_app (void)
{
  g_autofree char *old_id = astra_token_format_dup_client_id (own_token);
  g_autofree char *new_token = NULL;
  g_autofree char *new_id = NULL;
  gboolean revoked = FALSE;
  GtkWindow *shown;

  new_token = rotate (old_id, &revoked);
  ASTRA_TEST_UI_WAIT (revoked, TIMEOUT_MS);
  new_id = astra_token_format_dup_client_id (new_token);
  g_assert_false (server_accepts (own_token));
  g_assert_true (server_accepts (new_token));

  shown = find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG);
  ASTRA_TEST_UI_WAIT (shows_text_containing (GTK_WIDGET (shown), "now connects with the new one"), TIMEOUT_MS);
  /* Started from the environment: the variable still holds the old token, and it says so. */
  g_assert_true (shows_text_containing (GTK_WIDGET (shown), "ASTRA_DB_APPLICATION_TOKEN still holds the old token") == from_environment);
  close_new_token_dialog ();

  if (!from_environment)
    {
      g_autofree char *stored = keyring_token ();

      g_assert_cmpstr (stored, ==, new_token);
    }

  /* The list follows: the old row is gone, the new one is marked, and a refresh works. */
  ASTRA_TEST_UI_WAIT (find_row (old_id) == NULL && find_row (new_id) != NULL &&
                      astra_token_get_connects_app (find_row (new_id)), TIMEOUT_MS);
  refresh_and_wait ();
  g_assert_true (tokens_listed ());
  g_assert_true (astra_token_get_connects_app (find_row (new_id)));

  g_free (own_token);
  own_token = g_steal_pointer (&new_token);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--environment") == 0)
      {
        from_environment = TRUE;
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
        argc--;
        break;
      }

  astra_test_ui_init (&argc, &argv);
  g_unsetenv ("ASTRA_TOKENS_BENCHMARK");

  sim = astra_sim_server_new ();
  astra_sim_server_set_org_name (sim, "Own Token Org");
  astra_sim_server_set_seed (sim, 6, 1);
  g_assert_true (astra_sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);
  /* As a person pastes one: a token of its own, not the simulator's seed token. */
  own_token = astra_sim_server_mint_token (sim, "Organization Administrator", "Astra Tokens desktop", &error);
  g_assert_no_error (error);

  if (from_environment)
    {
      g_setenv ("ASTRA_API_URL", astra_sim_server_get_base_url (sim), TRUE);
      g_setenv ("ASTRA_DB_APPLICATION_TOKEN", own_token, TRUE);
    }
  else
    {
      g_unsetenv ("ASTRA_API_URL");
      g_unsetenv ("ASTRA_DB_APPLICATION_TOKEN");
    }

  app = astra_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = astra_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/ui/own-token/marked", test_marked);
  g_test_add_func ("/ui/own-token/revoke-warns", test_revoke_warns);
  g_test_add_func ("/ui/own-token/rotate-check-fails", test_rotate_check_fails);
  g_test_add_func ("/ui/own-token/rotate-moves-app", test_rotate_moves_app);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  astra_sim_server_disconnect (sim);
  g_clear_object (&sim);
  g_free (own_token);
  return ret;
}

/* test-ui-window.c: the main window, driven as a person would, against the simulator
 *
 * One window and one simulator for the whole program; the cases run in order and build on
 * each other: welcome → connect → tokens → search → revoke → error states → roles → demo.
 * Screenshots (welcome, tokens, roles, error) go to $ASTRA_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "astra-a11y.h"
#include "astra-application.h"
#include "astra-client.h"
#include "astra-csv.h"
#include "astra-display-text.h"
#include "astra-generate-dialog.h"
#include "astra-generated-token.h"
#include "astra-new-token-dialog.h"
#include "astra-reference-resolve.h"
#include "astra-role.h"
#include "astra-roles-page.h"
#include "astra-row-menu-button.h"
#include "astra-secret-store.h"
#include "astra-test-gpg.h"
#include "astra-test-ui.h"
#include "astra-token.h"
#include "astra-token-format.h"
#include "astra-tokens-page.h"
#include "astra-window.h"
#include "astra-window-private.h"

static char *gnupg_home;
#define TIMEOUT_MS 20000

static AstraApplication *app;
static AstraWindow *window;
static AstraSimServer *sim;
static char *kept_client_id;    /* a token whose secret the keyring holds */
static char *kept_token;

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

static AstraRolesPage *
roles_page (void)
{
  return ASTRA_ROLES_PAGE (astra_test_ui_find (GTK_WIDGET (window), ASTRA_TYPE_ROLES_PAGE, NULL));
}

static const char *
visible_main_page (void)
{
  GtkWidget *stack = astra_test_ui_find (GTK_WIDGET (window), GTK_TYPE_STACK, NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static gboolean
tokens_state_is (const char *state)
{
  return g_strcmp0 (astra_tokens_page_get_state (tokens_page ()), state) == 0;
}

static AstraToken *
find_row (const char *client_id)
{
  GListModel *model = astra_tokens_page_get_model (tokens_page ());
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (model, i);

      if (g_strcmp0 (astra_token_get_client_id (token), client_id) == 0)
        return token;
    }

  return NULL;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static void
on_populated_cb (AstraTokensPage *page,
                 gboolean        *populated)
{
  *populated = TRUE;
}

/* Refreshes like F5 and waits until the list is populated again, or shows @state. */
/* What clicking a response button does: the response, then the dialog closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
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
refresh_and_wait (const char *state)
{
  gboolean populated = FALSE;
  gulong id = g_signal_connect (tokens_page (), "populated", G_CALLBACK (on_populated_cb), &populated);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  if (g_str_equal (state, "list"))
    ASTRA_TEST_UI_WAIT (populated, TIMEOUT_MS);
  else
    ASTRA_TEST_UI_WAIT (tokens_state_is (state), TIMEOUT_MS);
  g_signal_handler_disconnect (tokens_page (), id);
}

static GtkWidget *
find_connect_button (GtkWindow *dialog)
{
  g_autoptr(GPtrArray) buttons = astra_test_ui_find_all (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, NULL);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), "connect.connect") == 0)
      return g_ptr_array_index (buttons, i);

  g_assert_not_reached ();
}

/* Fills the connect dialog's rows like a person and presses Connect. */
static void
connect_with (GtkWindow  *dialog,
              const char *token)
{
  GtkWidget *token_row = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "Token");
  GtkWidget *custom = astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_TOGGLE_BUTTON, "Custom API URL");
  GtkWidget *url_row = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "API URL");

  g_assert_nonnull (token_row);
  g_assert_nonnull (custom);
  g_assert_nonnull (url_row);

  /* The dialog opens ready for pasting: the token field has the keyboard focus. */
  ASTRA_TEST_UI_WAIT (gtk_window_get_focus (dialog) != NULL &&
                      gtk_widget_is_ancestor (gtk_window_get_focus (dialog), token_row),
                      TIMEOUT_MS);

  /* Connect stays disabled while the token is empty. */
  gtk_editable_set_text (GTK_EDITABLE (token_row), "");
  g_assert_false (gtk_widget_get_sensitive (find_connect_button (dialog)));

  gtk_editable_set_text (GTK_EDITABLE (token_row), token);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (custom), TRUE);
  g_assert_true (gtk_widget_get_visible (url_row));
  gtk_editable_set_text (GTK_EDITABLE (url_row), astra_sim_server_get_base_url (sim));
  g_assert_true (gtk_widget_get_sensitive (find_connect_button (dialog)));

  /* Trying another choice and coming back keeps the typed URL, and Connect uses it. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (astra_test_ui_find (GTK_WIDGET (dialog),
                                                                       GTK_TYPE_TOGGLE_BUTTON,
                                                                       "Production")), TRUE);
  g_assert_false (gtk_widget_get_visible (url_row));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (custom), TRUE);
  g_assert_true (gtk_widget_get_visible (url_row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_row)), ==,
                   astra_sim_server_get_base_url (sim));
  g_assert_true (gtk_widget_get_sensitive (find_connect_button (dialog)));

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.connect", NULL));
  ASTRA_TEST_UI_WAIT (dialog == NULL || !gtk_widget_get_visible (GTK_WIDGET (dialog)), TIMEOUT_MS);
  if (dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
}

static void
on_token_looked_up_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = astra_secret_store_lookup_token_finish (ASTRA_SECRET_STORE (object), result, &error);
  g_assert_no_error (error);
}

static char *
keyring_token (const char *org_id)
{
  char *token = NULL;

  astra_secret_store_lookup_token_async (astra_context_get_secret_store (get_context ()), org_id,
                                         NULL, on_token_looked_up_cb, &token);
  ASTRA_TEST_UI_WAIT (token != NULL, TIMEOUT_MS);
  return token;
}

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
toast_shown (void)
{
  GType type = g_type_from_name ("AdwToastWidget");

  return type != 0 && astra_test_ui_find_mapped (GTK_WIDGET (window), type, NULL) != NULL;
}

/* Closes the visible toast and those queued behind it, as their close button does. */
static void
dismiss_toasts (void)
{
  GType type = g_type_from_name ("AdwToastWidget");
  gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;
  GtkWidget *toast;

  while (type != 0 && g_get_monotonic_time () < end &&
         (toast = astra_test_ui_find_mapped (GTK_WIDGET (window), type, NULL)) != NULL)
    {
      gtk_widget_activate_action (toast, "toast.close", NULL);
      astra_test_ui_spin (50);
    }
}

/* Screenshots without a passing toast over the content. */
static void
screenshot (const char *name)
{
  dismiss_toasts ();
  ASTRA_TEST_UI_WAIT (!toast_shown (), TIMEOUT_MS);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), name));
}

/* Every visible cell text, to check what a person actually sees. */
static void
collect_texts (GtkWidget *widget,
               GPtrArray *texts)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL)
    g_ptr_array_add (texts, (gpointer) gtk_inscription_get_text (GTK_INSCRIPTION (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static void
on_revoked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (astra_client_revoke_token_finish (ASTRA_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static const char *
error_page_text (void)
{
  GtkWidget *page = astra_test_ui_find_mapped (GTK_WIDGET (tokens_page ()), ADW_TYPE_STATUS_PAGE, NULL);

  g_assert_nonnull (page);
  return adw_status_page_get_description (ADW_STATUS_PAGE (page));
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                      */

static void
test_welcome (void)
{
  ASTRA_TEST_UI_WAIT (astra_context_get_loaded (get_context ()), TIMEOUT_MS);
  g_assert_no_error (astra_context_get_load_error (get_context ()));
  ASTRA_TEST_UI_WAIT (g_strcmp0 (visible_main_page (), "welcome") == 0, TIMEOUT_MS);

  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                               "Connect an Organization…"));
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                               "Explore a Demo Organization"));
  screenshot ("welcome.png");
}

static void
test_connect (void)
{
  GtkWindow *dialog = astra_window_show_connect (window, NULL);
  GtkWidget *token_row = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "Token");
  g_autofree char *stored = NULL;
  AstraConnection *connection;

  /* A malformed token is refused inline, before anything is sent. */
  gtk_editable_set_text (GTK_EDITABLE (token_row), "not-a-token");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.connect", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (dialog), GTK_TYPE_LABEL, NULL));
  g_free (astra_test_ui_screenshot (GTK_WIDGET (dialog), "connect-dialog.png"));

  connect_with (dialog, astra_sim_server_get_admin_token (sim));

  ASTRA_TEST_UI_WAIT (g_strcmp0 (visible_main_page (), "organizations") == 0, TIMEOUT_MS);
  connection = astra_window_get_connection (window);
  g_assert_nonnull (connection);
  g_assert_cmpstr (astra_connection_get_org_id (connection), ==, astra_sim_server_get_org_id (sim));

  /* The sidebar shows the organization's name. */
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (window), astra_sim_server_get_org_name (sim)));

  /* The keyring holds its token. */
  stored = keyring_token (astra_sim_server_get_org_id (sim));
  g_assert_cmpstr (stored, ==, astra_sim_server_get_admin_token (sim));
}

static void
on_created_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(AstraGeneratedToken **) user_data = astra_client_create_token_finish (ASTRA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (astra_secret_store_save_generated_finish (ASTRA_SECRET_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
on_roles_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(GListModel **) user_data = astra_client_list_roles_finish (ASTRA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* A token the simulator knows, generated through the API (not stored anywhere). */
static AstraGeneratedToken *
generate_with_api (const char *role_name,
                   const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraClient) client = astra_client_new (astra_sim_server_get_base_url (sim),
                                                    astra_sim_server_get_admin_token (sim), &error);
  g_autoptr(GListModel) roles = NULL;
  AstraGeneratedToken *token = NULL;
  const char *role_ids[2] = { NULL, NULL };

  g_assert_no_error (error);
  /* The simulator's roles, whichever organization the window shows. */
  astra_client_list_roles_async (client, NULL, on_roles_listed_cb, &roles);
  ASTRA_TEST_UI_WAIT (roles != NULL, TIMEOUT_MS);
  for (guint i = 0; i < g_list_model_get_n_items (roles); i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (roles, i);

      if (g_strcmp0 (astra_role_get_name (role), role_name) == 0)
        role_ids[0] = astra_role_get_id (role);
    }
  g_assert_nonnull (role_ids[0]);

  astra_client_create_token_async (client, role_ids, description, NULL, NULL, on_created_cb, &token);
  ASTRA_TEST_UI_WAIT (token != NULL, TIMEOUT_MS);
  return token;
}

/* A token generated by this app, so its secret is in the keyring. */
static char *
generate_into_keyring (const char *role_name,
                       const char *description)
{
  g_autoptr(AstraGeneratedToken) token = generate_with_api (role_name, description);
  gboolean saved = FALSE;

  astra_generated_token_set_org_id (token, astra_sim_server_get_org_id (sim));
  astra_secret_store_save_generated_async (astra_context_get_secret_store (get_context ()),
                                           astra_window_get_connection (window), token, NULL,
                                           on_saved_cb, &saved);
  ASTRA_TEST_UI_WAIT (saved, TIMEOUT_MS);

  g_free (kept_token);
  kept_token = g_strdup (astra_generated_token_get_token (token));
  return g_strdup (astra_generated_token_get_client_id (token));
}

static void
test_tokens (void)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autofree char *kept = NULL;
  GListModel *roles;
  gboolean saw_role_name = FALSE;
  GtkWidget *key_icon;

  ASTRA_TEST_UI_WAIT (tokens_state_is ("list"), TIMEOUT_MS);

  /* A token whose secret is in this machine's keyring gets the keyring icon. */
  kept = generate_into_keyring ("R/W Svc Acct", "CI pipeline (GitHub Actions)");
  refresh_and_wait ("list");
  g_assert_nonnull (find_row (kept));
  /* The keyring's answer may come after the list is shown. */
  ASTRA_TEST_UI_WAIT (astra_token_get_in_keyring (find_row (kept)), TIMEOUT_MS);
  astra_test_ui_spin (100);
  key_icon = astra_test_ui_find_mapped (GTK_WIDGET (tokens_page ()), GTK_TYPE_IMAGE, "In keyring");
  g_assert_nonnull (key_icon);
  kept_client_id = g_strdup (kept);
  g_assert_cmpuint (g_list_model_get_n_items (astra_tokens_page_get_model (tokens_page ())), ==,
                    astra_sim_server_get_token_count (sim));

  astra_test_ui_spin (200);
  collect_texts (GTK_WIDGET (tokens_page ()), texts);
  g_assert_cmpuint (texts->len, >, 0);

  /* Role cells show names, never the ids of known roles. */
  roles = astra_tokens_page_get_roles (tokens_page ());
  g_assert_nonnull (roles);
  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = g_ptr_array_index (texts, i);

      if (strstr (text, "Organization Administrator") != NULL)
        saw_role_name = TRUE;
      for (guint r = 0; r < g_list_model_get_n_items (roles); r++)
        {
          g_autoptr(AstraRole) role = g_list_model_get_item (roles, r);

          g_assert_null (strstr (text, astra_role_get_id (role)));
        }
    }
  g_assert_true (saw_role_name);

  screenshot ("tokens.png");
}

static AstraToken *
find_row_in (AstraTokensPage *page,
             const char      *client_id)
{
  GListModel *model = astra_tokens_page_get_model (page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (model, i);

      if (g_strcmp0 (astra_token_get_client_id (token), client_id) == 0)
        return token;
    }

  return NULL;
}

static gboolean
row_held_in (AstraTokensPage *page,
             const char      *client_id)
{
  AstraToken *token = find_row_in (page, client_id);

  return token != NULL && astra_token_get_in_keyring (token);
}

static void
on_generated_in_dialog_cb (AstraGenerateDialog *dialog,
                           AstraGeneratedToken *token,
                           char               **client_id)
{
  *client_id = g_strdup (astra_generated_token_get_client_id (token));
}

static void
on_held_looked_up_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = astra_secret_store_lookup_generated_finish (ASTRA_SECRET_STORE (object), result, &error);
  *(int *) user_data = token != NULL ? 1 : g_error_matches (error, ASTRA_SECRET_STORE_ERROR,
                                                            ASTRA_SECRET_STORE_ERROR_NOT_FOUND) ? 0 : -1;
}

static void
on_generated_changed_cb (AstraSecretStore *store,
                         const char       *org_id,
                         const char       *client_id,
                         gboolean          held,
                         char            **removed)
{
  if (!held)
    {
      g_free (*removed);
      *removed = g_strdup (client_id);
    }
}

/* 1 when the keyring holds @client_id's secret, 0 when it does not. */
static int
keyring_holds (const char *client_id)
{
  int held = -2;

  astra_secret_store_lookup_generated_async (astra_context_get_secret_store (get_context ()),
                                             astra_sim_server_get_org_id (sim), client_id, NULL,
                                             on_held_looked_up_cb, &held);
  ASTRA_TEST_UI_WAIT (held != -2, TIMEOUT_MS);
  return held;
}

/* Generates a token through the Generate dialog with Save to Keyring, as a person does,
 * and closes the new-token dialog once the secret is saved. Returns: the client id. */
static char *
generate_in_window (const char *role_name,
                    const char *description)
{
  char *client_id = NULL;
  GtkWindow *generate;
  GtkWindow *new_token;
  GtkWidget *row;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate-token", NULL));
  generate = find_toplevel (ASTRA_TYPE_GENERATE_DIALOG);
  g_assert_nonnull (generate);
  g_signal_connect (generate, "token-generated", G_CALLBACK (on_generated_in_dialog_cb), &client_id);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (generate));
  ASTRA_TEST_UI_WAIT ((row = astra_test_ui_find (GTK_WIDGET (generate), ADW_TYPE_ACTION_ROW, role_name)) != NULL,
                      TIMEOUT_MS);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (astra_test_ui_find (row, GTK_TYPE_CHECK_BUTTON, NULL)), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (generate), ADW_TYPE_ENTRY_ROW,
                                                           "Description")),
                         description);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (generate), "dialog.generate", NULL));
  ASTRA_TEST_UI_WAIT ((new_token = find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG)) != NULL &&
                      astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (new_token)), TIMEOUT_MS);
  g_assert_nonnull (client_id);
  gtk_window_close (new_token);
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == NULL, TIMEOUT_MS);

  return client_id;
}

/* What the app does to the keyring and the token list shows at once in every window that
 * shows the organization, with no refresh by hand: a token generated with Save to Keyring
 * in one window gets its row and keyring icon in both, and its secret can be copied; once
 * revoked from the other window, it is gone from both and from the keyring. */
static void
test_keyring_follows (void)
{
  AstraWindow *second = astra_window_new (app);
  AstraTokensPage *second_page;
  g_autofree char *client_id = NULL;
  g_autofree char *removed = NULL;
  AdwMessageDialog *dialog;

  gtk_window_present (GTK_WINDOW (second));
  second_page = ASTRA_TOKENS_PAGE (astra_test_ui_find (GTK_WIDGET (second), ASTRA_TYPE_TOKENS_PAGE, NULL));
  g_assert_nonnull (second_page);
  ASTRA_TEST_UI_WAIT (astra_window_get_connection (second) != NULL &&
                      g_strcmp0 (astra_tokens_page_get_state (second_page), "list") == 0, TIMEOUT_MS);
  g_assert_cmpstr (astra_connection_get_org_id (astra_window_get_connection (second)), ==,
                   astra_sim_server_get_org_id (sim));

  /* Generate, as a person does, in the first window. */
  client_id = generate_in_window ("RO Svc Acct", "followed at once");
  g_assert_cmpint (keyring_holds (client_id), ==, 1);

  /* Both windows: the row, held in the keyring, without a refresh. */
  ASTRA_TEST_UI_WAIT (row_held_in (tokens_page (), client_id), TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (row_held_in (second_page, client_id), TIMEOUT_MS);
  /* ...and it stays so once every answer on its way has arrived. */
  astra_test_ui_spin (500);
  g_assert_true (row_held_in (tokens_page (), client_id));
  g_assert_true (row_held_in (second_page, client_id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second_page), "tokens.copy-token", "s", client_id));

  /* Revoked from the second window: gone from both, and from the keyring. */
  g_signal_connect (astra_context_get_secret_store (get_context ()), "generated-changed",
                    G_CALLBACK (on_generated_changed_cb), &removed);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second_page), "tokens.revoke", "s", client_id));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  respond (dialog, "revoke");
  ASTRA_TEST_UI_WAIT (find_row_in (second_page, client_id) == NULL, TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (find_row_in (tokens_page (), client_id) == NULL, TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (g_strcmp0 (removed, client_id) == 0, TIMEOUT_MS);
  g_signal_handlers_disconnect_by_func (astra_context_get_secret_store (get_context ()),
                                        on_generated_changed_cb, &removed);
  g_assert_cmpint (keyring_holds (client_id), ==, 0);

  gtk_window_destroy (GTK_WINDOW (second));
  astra_test_ui_spin (100);
}

/* The mapped cells that show @text. (transfer container) */
static GPtrArray *
find_cells (GtkWidget  *root,
            const char *text)
{
  g_autoptr(GPtrArray) all = astra_test_ui_find_all (root, GTK_TYPE_INSCRIPTION, text);
  GPtrArray *mapped = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (all, i)))
      g_ptr_array_add (mapped, g_ptr_array_index (all, i));

  return mapped;
}

static void
on_layout_cb (GdkFrameClock *clock,
              guint         *n_layouts)
{
  ++*n_layouts;
}

/* Once laid out at its new width the window stays still: the columns fitted to the width
 * do not start a layout loop. */
static void
assert_layout_settles (void)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint n_layouts = 0;
  gulong id = g_signal_connect (clock, "layout", G_CALLBACK (on_layout_cb), &n_layouts);

  astra_test_ui_spin (500);
  g_signal_handler_disconnect (clock, id);
  g_test_message ("%u layouts in 500 ms", n_layouts);
  g_assert_cmpuint (n_layouts, <=, 2);
}

/* At @width the token table fits the window: every row's Actions button and every column
 * title is inside it and whole; Generated and Expires make room on narrow windows. */
static void
check_table_at (int width)
{
  GtkColumnView *view = astra_tokens_page_get_column_view (tokens_page ());
  GtkColumnViewColumn *generated = astra_test_ui_find_column (view, "Generated");
  GtkColumnViewColumn *expires = astra_test_ui_find_column (view, "Expires");
  g_autoptr(GPtrArray) buttons = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  g_autofree char *name = g_strdup_printf ("tokens-%d.png", width);
  GtkWidget *key_icon;

  astra_test_ui_resize (GTK_WINDOW (window), width, 800);
  g_test_message ("window %d px: tokens page %d px, column view %d px", width,
                  gtk_widget_get_width (GTK_WIDGET (tokens_page ())),
                  gtk_widget_get_width (GTK_WIDGET (view)));
  assert_layout_settles ();

  buttons = astra_test_ui_find_all (GTK_WIDGET (view), ASTRA_TYPE_ROW_MENU_BUTTON, "Token Actions");
  g_assert_cmpuint (buttons->len, >, 0);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (buttons, i)))
      astra_test_ui_assert_table_fits (view, g_ptr_array_index (buttons, i));

  g_assert_nonnull (generated);
  g_assert_nonnull (expires);
  if (width <= 800)
    {
      g_assert_false (gtk_column_view_column_get_visible (generated));
      g_assert_false (gtk_column_view_column_get_visible (expires));
    }
  if (width >= 1400)
    {
      g_assert_true (gtk_column_view_column_get_visible (generated));
      g_assert_true (gtk_column_view_column_get_visible (expires));
    }

  /* The keyring's icons stay, in view. */
  key_icon = astra_test_ui_find_mapped (GTK_WIDGET (view), GTK_TYPE_IMAGE, "In keyring");
  g_assert_nonnull (key_icon);
  astra_test_ui_assert_table_fits (view, key_icon);

  /* From the default size on, a role's name is not cut to “Organi…”. */
  roles = find_cells (GTK_WIDGET (view), "Organization Administrator");
  g_assert_cmpuint (roles->len, >, 0);
  if (width >= 1000)
    for (guint i = 0; i < roles->len; i++)
      g_assert_true (astra_test_ui_inscription_is_whole (g_ptr_array_index (roles, i)));

  screenshot (name);
}

static void
test_layout (void)
{
  check_table_at (800);
  check_table_at (1000);
  check_table_at (1400);
  check_table_at (1000);
  check_table_at (800);

  astra_test_ui_resize (GTK_WINDOW (window), 1280, 800);
}

static void
on_clipboard_text_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  *(char **) user_data = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*(char **) user_data == NULL)
    *(char **) user_data = g_strdup ("");
}

static GtkWidget *
find_popover_menu (GtkWidget *parent)
{
  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      return child;

  return NULL;
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  ++*(guint *) user_data;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* A row's "Token Actions" button opens that row's menu; its "Copy Client ID" copies the
 * row's client id; once the menu is closed the window keeps painting (a popover that is
 * left half-presented stops the frame clock). */
static void
test_row_menu (void)
{
  GListModel *model = astra_tokens_page_get_model (tokens_page ());
  g_autofree char *copied = NULL;
  GtkWidget *button, *popover = NULL, *label, *item;
  gboolean listed = FALSE;
  guint ticks = 0, tick_id;

  /* Runs last, after the organization was forgotten: connect it again. */
  connect_with (astra_window_show_connect (window, NULL), astra_sim_server_get_admin_token (sim));
  ASTRA_TEST_UI_WAIT (tokens_state_is ("list"), TIMEOUT_MS);
  button = astra_test_ui_find_mapped (GTK_WIDGET (tokens_page ()), ASTRA_TYPE_ROW_MENU_BUTTON,
                                      "Token Actions");
  g_assert_nonnull (button);
  /* As from the keyboard: GtkButton emits "clicked" once its pressed look has shown. */
  g_assert_true (gtk_widget_activate (button));
  ASTRA_TEST_UI_WAIT ((popover = find_popover_menu (button)) != NULL, TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (gtk_widget_get_mapped (popover), TIMEOUT_MS);
  for (guint i = 0; i < 3; i++)
    astra_test_ui_iterate ();
  g_assert_true (astra_test_ui_shows_text (popover, "Revoke…"));
  g_assert_true (astra_test_ui_shows_text (popover, "Copy Reference"));
  g_free (astra_test_ui_screenshot (popover, "row-menu.png"));

  label = astra_test_ui_find_mapped (popover, GTK_TYPE_LABEL, "Copy Client ID");
  g_assert_nonnull (label);
  item = gtk_widget_get_parent (label);
  g_assert_true (gtk_widget_activate (item));
  ASTRA_TEST_UI_WAIT (!gtk_widget_get_mapped (popover), TIMEOUT_MS);

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 on_clipboard_text_cb, &copied);
  ASTRA_TEST_UI_WAIT (copied != NULL, TIMEOUT_MS);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (model, i);

      listed |= g_strcmp0 (astra_token_get_client_id (token), copied) == 0;
    }
  g_assert_true (listed);

  /* The copy's toast comes and goes as usual. */
  ASTRA_TEST_UI_WAIT (toast_shown (), TIMEOUT_MS);
  dismiss_toasts ();
  ASTRA_TEST_UI_WAIT (!toast_shown (), TIMEOUT_MS);

  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick_cb, &ticks, NULL);
  ASTRA_TEST_UI_WAIT (ticks >= 5, TIMEOUT_MS);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
}

static GtkColumnViewColumn *
find_column (const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (astra_tokens_page_get_column_view (tokens_page ()));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;   /* the column view keeps it */
    }
  g_assert_not_reached ();
}

static gboolean
is_sorted (gboolean by_client_id)
{
  GListModel *model = astra_tokens_page_get_model (tokens_page ());
  guint n = g_list_model_get_n_items (model);

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(AstraToken) a = g_list_model_get_item (model, i - 1);
      g_autoptr(AstraToken) b = g_list_model_get_item (model, i);

      g_autofree char *fa = g_utf8_casefold (astra_token_get_client_id (a), -1);
      g_autofree char *fb = g_utf8_casefold (astra_token_get_client_id (b), -1);

      /* GtkStringSorter ignores case by default; the page and the Generated column sort
       * by whole seconds (generated-on-unix), so tokens of the same second may come in
       * any order. */
      if (by_client_id
          ? g_utf8_collate (fa, fb) > 0
          : g_date_time_to_unix (astra_token_get_generated_on (a)) <
            g_date_time_to_unix (astra_token_get_generated_on (b)))
        return FALSE;
    }
  return TRUE;
}

/* Oldest first when @ascending. */
static gboolean
is_sorted_by_generated (gboolean ascending)
{
  GListModel *model = astra_tokens_page_get_model (tokens_page ());

  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AstraToken) a = g_list_model_get_item (model, i - 1);
      g_autoptr(AstraToken) b = g_list_model_get_item (model, i);
      gint64 ua = g_date_time_to_unix (astra_token_get_generated_on (a));
      gint64 ub = g_date_time_to_unix (astra_token_get_generated_on (b));

      if (ascending ? ua > ub : ua < ub)
        return FALSE;
    }
  return TRUE;
}

/* The list opens newest first; another column's header sorts by it, and Generated
 * (descending) again gives back the first order. */
static void
test_sort (void)
{
  GtkColumnView *view = astra_tokens_page_get_column_view (tokens_page ());
  GListModel *model = astra_tokens_page_get_model (tokens_page ());
  g_autoptr(GPtrArray) first_order = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_cmpuint (g_list_model_get_n_items (model), >, 2);
  g_assert_true (is_sorted (FALSE));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (first_order, g_list_model_get_item (model, i));

  gtk_column_view_sort_by_column (view, find_column ("Client ID"), GTK_SORT_ASCENDING);
  ASTRA_TEST_UI_WAIT (is_sorted (TRUE), TIMEOUT_MS);

  gtk_column_view_sort_by_column (view, find_column ("Generated"), GTK_SORT_DESCENDING);
  ASTRA_TEST_UI_WAIT (is_sorted (FALSE), TIMEOUT_MS);
  for (guint i = 0; i < first_order->len; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (model, i);

      g_assert_true (token == g_ptr_array_index (first_order, i));
    }
}

/* The state of the page's sort.@name action, as the menu shows it. GTK 4.8 has no public
 * way to read a widget's inserted action group back: the page keeps it as object data.
 * (transfer none) */
static const char *
sort_state (const char *name)
{
  GActionGroup *group = g_object_get_data (G_OBJECT (tokens_page ()), "astra-sort-actions");
  g_autoptr(GVariant) state = NULL;

  g_assert_nonnull (group);
  state = g_action_group_get_action_state (group, name);
  return g_intern_string (g_variant_get_string (state, NULL));
}

/* Sorting without a pointer: the "Sort Tokens" menu (the column headers have no
 * accessible action in GTK 4.8) offers each column and both orders as radio items. */
static void
test_sort_menu (void)
{
  GtkWidget *page = GTK_WIDGET (tokens_page ());
  GtkWidget *button = astra_test_ui_find_mapped (page, GTK_TYPE_MENU_BUTTON, "Sort Tokens");
  GMenuModel *menu;

  g_assert_nonnull (button);
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Sort Tokens");
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  g_assert_cmpint (g_menu_model_get_n_items (g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION)),
                   ==, 5);

  g_assert_true (gtk_widget_activate_action (page, "sort.column", "s", "client-id"));
  g_assert_true (gtk_widget_activate_action (page, "sort.order", "s", "ascending"));
  ASTRA_TEST_UI_WAIT (is_sorted (TRUE), TIMEOUT_MS);

  g_assert_true (gtk_widget_activate_action (page, "sort.column", "s", "generated"));
  ASTRA_TEST_UI_WAIT (is_sorted_by_generated (TRUE), TIMEOUT_MS);
  g_assert_true (gtk_widget_activate_action (page, "sort.order", "s", "descending"));
  ASTRA_TEST_UI_WAIT (is_sorted (FALSE), TIMEOUT_MS);
  g_assert_cmpstr (sort_state ("column"), ==, "generated");
  g_assert_cmpstr (sort_state ("order"), ==, "descending");

  /* A header click (here its sorter) leaves the menu showing no choice rather than a
   * wrong one; a choice then sorts as asked. */
  gtk_column_view_sort_by_column (astra_tokens_page_get_column_view (tokens_page ()),
                                  find_column ("Client ID"), GTK_SORT_ASCENDING);
  g_assert_cmpstr (sort_state ("column"), ==, "");
  g_assert_true (gtk_widget_activate_action (page, "sort.order", "s", "descending"));
  g_assert_cmpstr (sort_state ("column"), ==, "generated");
  ASTRA_TEST_UI_WAIT (is_sorted (FALSE), TIMEOUT_MS);
}

/* Buttons with a mnemonic in parts of the window that were never shown (the error page's
 * Retry, the roles page's Edit…) are named by their visible text, once, like shown ones:
 * a screen reader may reach them through the accessibility tree before they are mapped. */
static void
check_unshown_names (GtkWidget  *root,
                     GHashTable *checked)
{
  g_autoptr(GPtrArray) buttons = astra_test_ui_find_all (root, GTK_TYPE_BUTTON, NULL);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      const char *label = gtk_button_get_label (GTK_BUTTON (button));
      g_autofree char *visible = NULL;

      if (gtk_widget_get_realized (button) || label == NULL ||
          !gtk_button_get_use_underline (GTK_BUTTON (button)) || strchr (label, '_') == NULL)
        continue;

      visible = astra_a11y_strip_mnemonic (label);
      gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, visible);
      g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (button),
                                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY));
      g_hash_table_add (checked, (gpointer) label);
    }
}

static void
test_unshown_names (void)
{
  g_autoptr(GHashTable) checked = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *roles;

  check_unshown_names (GTK_WIDGET (window), checked);
  g_assert_true (g_hash_table_contains (checked, "_Retry"));

  /* The window builds its Roles page when it is first shown: one never shown. */
  g_assert_null (astra_test_ui_find (GTK_WIDGET (window), ASTRA_TYPE_ROLES_PAGE, NULL));
  roles = g_object_ref_sink (g_object_new (ASTRA_TYPE_ROLES_PAGE, NULL));
  check_unshown_names (roles, checked);
  g_assert_true (g_hash_table_contains (checked, "_Edit…"));
  g_object_unref (roles);
}

static void
test_search (void)
{
  GtkWidget *entry = astra_test_ui_find (GTK_WIDGET (tokens_page ()), GTK_TYPE_SEARCH_ENTRY, NULL);
  GListModel *model = astra_tokens_page_get_model (tokens_page ());
  g_autoptr(AstraToken) first = g_list_model_get_item (model, 0);
  g_autofree char *client_id = g_strdup (astra_token_get_client_id (first));
  guint total = g_list_model_get_n_items (model);

  g_assert_nonnull (entry);

  /* By client id (case-insensitively). */
  {
    g_autofree char *lower = g_ascii_strdown (client_id, -1);

    gtk_editable_set_text (GTK_EDITABLE (entry), lower);
    ASTRA_TEST_UI_WAIT (g_list_model_get_n_items (model) == 1, TIMEOUT_MS);
  }

  /* By role name: the admin token has Organization Administrator. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "organization admin");
  ASTRA_TEST_UI_WAIT (g_list_model_get_n_items (model) >= 1 && g_list_model_get_n_items (model) < total,
                      TIMEOUT_MS);

  /* Words in any order, each in any column: the administrator token's description and
   * role, written the other way round and mixed. */
  {
    guint admins;

    gtk_editable_set_text (GTK_EDITABLE (entry), "organization admin");
    ASTRA_TEST_UI_WAIT (g_list_model_get_n_items (model) < total, TIMEOUT_MS);
    admins = g_list_model_get_n_items (model);
    gtk_editable_set_text (GTK_EDITABLE (entry), "  admin   organization ");
    ASTRA_TEST_UI_WAIT (g_list_model_get_n_items (model) == admins, TIMEOUT_MS);
    gtk_editable_set_text (GTK_EDITABLE (entry), "ORGANIZATION astra-sim");
    ASTRA_TEST_UI_WAIT (g_list_model_get_n_items (model) == 1, TIMEOUT_MS);
    /* One more word that no token has: nothing. */
    gtk_editable_set_text (GTK_EDITABLE (entry), "organization astra-sim nowhere");
    ASTRA_TEST_UI_WAIT (g_list_model_get_n_items (model) == 0, TIMEOUT_MS);
  }

  /* Nothing matches: a status page says so. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "no such token anywhere");
  ASTRA_TEST_UI_WAIT (g_list_model_get_n_items (model) == 0, TIMEOUT_MS);
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE,
                                               "No Matching Tokens"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  ASTRA_TEST_UI_WAIT (g_list_model_get_n_items (model) == total, TIMEOUT_MS);
}

static void
test_revoke (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = astra_sim_server_mint_token (sim, "RO User", "to be revoked", &error);
  g_autofree char *client_id = NULL;
  AdwMessageDialog *dialog;
  guint before;

  g_assert_no_error (error);
  client_id = g_strndup (token + strlen ("AstraCS:"), 24);

  refresh_and_wait ("list");
  g_assert_nonnull (find_row (client_id));
  before = astra_sim_server_get_token_count (sim);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.revoke", "s", client_id));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  /* The safe answer is the default. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  respond (dialog, "revoke");

  ASTRA_TEST_UI_WAIT (find_row (client_id) == NULL, TIMEOUT_MS);
  g_assert_cmpuint (astra_sim_server_get_token_count (sim), ==, before - 1);
}

static void
test_server_error (void)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *retry;

  g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/clientIdSecrets=500", &error));
  g_assert_no_error (error);

  refresh_and_wait ("error");
  retry = astra_test_ui_find_mapped (GTK_WIDGET (tokens_page ()), GTK_TYPE_BUTTON, "Retry");
  g_assert_nonnull (retry);
  g_assert_null (astra_test_ui_find_mapped (GTK_WIDGET (tokens_page ()), GTK_TYPE_BUTTON, "Replace Token…"));
  g_assert_nonnull (error_page_text ());
  g_assert_cmpstr (error_page_text (), !=, "");

  astra_sim_server_clear_faults (sim);
  g_assert_true (gtk_widget_activate_action (retry, "tokens.refresh", NULL));
  ASTRA_TEST_UI_WAIT (tokens_state_is ("list"), TIMEOUT_MS);
}

static void
test_forbidden (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = astra_sim_server_mint_token (sim, "RO User", "read only", &error);
  GtkWindow *dialog;

  g_assert_no_error (error);

  /* Connecting the same organization again replaces its token (no second row). */
  dialog = astra_window_show_connect (window, NULL);
  connect_with (dialog, token);
  g_assert_cmpuint (g_list_model_get_n_items (astra_context_get_connections (get_context ())), ==, 1);

  ASTRA_TEST_UI_WAIT (tokens_state_is ("error"), TIMEOUT_MS);
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, "Permission Denied"));
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (tokens_page ()), GTK_TYPE_BUTTON, "Retry"));
}

static void
test_unauthorized (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = astra_sim_server_mint_token (sim, "Organization Administrator",
                                                       "revoked soon", &error);
  g_autoptr(AstraClient) admin = NULL;
  g_autofree char *client_id = NULL;
  GtkWidget *replace;
  GtkWindow *dialog;
  gboolean revoked = FALSE;

  g_assert_no_error (error);
  dialog = astra_window_show_connect (window, NULL);
  connect_with (dialog, token);
  ASTRA_TEST_UI_WAIT (tokens_state_is ("list"), TIMEOUT_MS);

  /* Revoke the organization's own management token behind the app's back. */
  admin = astra_client_new (astra_sim_server_get_base_url (sim), astra_sim_server_get_admin_token (sim), &error);
  g_assert_no_error (error);
  client_id = g_strndup (token + strlen ("AstraCS:"), 24);
  astra_client_revoke_token_async (admin, client_id, NULL, on_revoked_cb, &revoked);
  ASTRA_TEST_UI_WAIT (revoked, TIMEOUT_MS);

  refresh_and_wait ("error");
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, "Token Not Accepted"));
  g_assert_nonnull (strstr (error_page_text (), "invalid, revoked, or for another environment"));
  replace = astra_test_ui_find_mapped (GTK_WIDGET (tokens_page ()), GTK_TYPE_BUTTON, "Replace Token…");
  g_assert_nonnull (replace);
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (tokens_page ()), GTK_TYPE_BUTTON, "Retry"));
  screenshot ("error.png");

  /* Replace Token… opens the connect dialog for this organization. */
  g_assert_true (gtk_widget_activate_action (replace, "tokens.replace-token", NULL));
  dialog = NULL;
  {
    GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (toplevel != GTK_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
            g_strcmp0 (gtk_window_get_title (toplevel), "Replace Token") == 0)
          dialog = toplevel;
      }
  }
  g_assert_nonnull (dialog);
  connect_with (dialog, astra_sim_server_get_admin_token (sim));
  ASTRA_TEST_UI_WAIT (tokens_state_is ("list"), TIMEOUT_MS);
}

static void
test_roles (void)
{
  GtkWidget *stack = astra_test_ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL);
  GtkWidget *flow;
  GListModel *model;
  AdwMessageDialog *dialog;
  guint n_roles;

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "roles");
  ASTRA_TEST_UI_WAIT (g_strcmp0 (astra_roles_page_get_state (roles_page ()), "list") == 0, TIMEOUT_MS);

  model = astra_roles_page_get_model (roles_page ());
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 10);
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (roles_page ()), "Organization Administrator"));

  /* The details pane shows the selected role's actions. */
  astra_test_ui_spin (200);
  flow = astra_test_ui_find_mapped (GTK_WIDGET (roles_page ()), GTK_TYPE_FLOW_BOX, NULL);
  g_assert_nonnull (flow);
  g_assert_nonnull (gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (flow), 0));

  screenshot ("roles.png");

  /* The custom role comes first and can be deleted, after a warning. */
  n_roles = g_list_model_get_n_items (model);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (roles_page ()), "roles.delete", NULL));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  respond (dialog, "delete");
  ASTRA_TEST_UI_WAIT (g_list_model_get_n_items (model) == n_roles - 1, TIMEOUT_MS);

  /* Built-in roles cannot be changed. */
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (roles_page ()),
                                           "Built-in role. Built-in roles cannot be changed or deleted."));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "tokens");
}

#define MARKUP_TEXT "<span foreground=\"red\" size=\"xx-large\">Big</span> for R&D"
#define MARKUP_NAME "R&D <i>team</i>"

static void
on_role_created_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(AstraRole **) user_data = astra_client_create_role_finish (ASTRA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* Whether a mapped label under @root shows exactly @text: as text, not as markup (which
 * would show "Big for R&D" in red, or nothing at all for "&"). */
static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  g_autoptr(GPtrArray) labels = astra_test_ui_find_all (root, GTK_TYPE_LABEL, NULL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      g_autoptr(GString) shown = NULL;

      if (!gtk_widget_get_mapped (GTK_WIDGET (label)))
        continue;
      /* Break opportunities (U+200B) that long words get are not text. */
      shown = g_string_new (gtk_label_get_text (label));
      g_string_replace (shown, "\xe2\x80\x8b", "", 0);
      if (g_strcmp0 (shown->str, text) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Text from the API is shown as text everywhere, never as Pango markup: a role's name and
 * description on the roles page, a token's description and roles in Details, a toast. */
static void
test_markup_as_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraClient) admin = astra_client_new (astra_sim_server_get_base_url (sim),
                                                   astra_sim_server_get_admin_token (sim), &error);
  g_autofree char *org_drn = g_strdup_printf ("drn:astra:org:%s", astra_sim_server_get_org_id (sim));
  const char *resources[] = { org_drn, NULL };
  const char *actions[] = { "org-read", NULL };
  g_autoptr(AstraRole) role = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  GtkWidget *stack = astra_test_ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL);
  GtkSingleSelection *selection;
  AdwMessageDialog *dialog;
  GListModel *model;
  const char *role_ids[2] = { NULL, NULL };

  g_assert_no_error (error);
  astra_client_create_role_async (admin, MARKUP_NAME, MARKUP_TEXT, resources, actions, NULL,
                                  on_role_created_cb, &role);
  ASTRA_TEST_UI_WAIT (role != NULL, TIMEOUT_MS);

  /* The roles page, with that role selected. */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "roles");
  astra_roles_page_refresh (roles_page ());
  model = astra_roles_page_get_model (roles_page ());
  ASTRA_TEST_UI_WAIT (g_strcmp0 (astra_roles_page_get_state (roles_page ()), "list") == 0, TIMEOUT_MS);
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (astra_test_ui_find (GTK_WIDGET (roles_page ()),
                                                                                                GTK_TYPE_LIST_VIEW, NULL))));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AstraRole) listed = g_list_model_get_item (model, i);

      if (g_strcmp0 (astra_role_get_name (listed), MARKUP_NAME) == 0)
        gtk_single_selection_set_selected (selection, i);
    }
  astra_test_ui_spin (200);
  g_assert_true (shows_label (GTK_WIDGET (roles_page ()), MARKUP_NAME));
  g_assert_true (shows_label (GTK_WIDGET (roles_page ()), MARKUP_TEXT));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "tokens");

  /* A token with that role and description, in Details. */
  role_ids[0] = astra_role_get_id (role);
  astra_client_create_token_async (admin, role_ids, MARKUP_TEXT, NULL, NULL, on_created_cb, &token);
  ASTRA_TEST_UI_WAIT (token != NULL, TIMEOUT_MS);
  refresh_and_wait ("list");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.details", "s",
                                             astra_generated_token_get_client_id (token)));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  astra_test_ui_spin (100);
  g_assert_true (shows_label (GTK_WIDGET (dialog), MARKUP_TEXT));
  g_assert_true (shows_label (GTK_WIDGET (dialog), MARKUP_NAME));
  respond (dialog, "close");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);

  /* A toast (here an error's, which quotes the server) shows its text as it is. */
  dismiss_toasts ();
  astra_window_add_toast (window, MARKUP_TEXT);
  ASTRA_TEST_UI_WAIT (toast_shown (), TIMEOUT_MS);
  g_assert_true (shows_label (GTK_WIDGET (window), MARKUP_TEXT));
  dismiss_toasts ();
}

/* The longest text a mapped label under @root lays out, in characters. */
static glong
longest_label (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = astra_test_ui_find_all (root, GTK_TYPE_LABEL, NULL);
  glong longest = 0;

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (labels, i)))
      longest = MAX (longest, g_utf8_strlen (gtk_label_get_text (g_ptr_array_index (labels, i)), -1));

  return longest;
}

/* Nothing the server sends costs more than a frame to show: a role named with 10,000
 * characters and no space, a token described with as many, a multi-line description and
 * one with a right-to-left override, through the table, Details, the roles page and the
 * generate dialog. The window keeps its width; what is shown is bounded; the whole text is
 * still what Copy copies. */
static void
test_long_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraClient) admin = astra_client_new (astra_sim_server_get_base_url (sim),
                                                   astra_sim_server_get_admin_token (sim), &error);
  g_autofree char *org_drn = g_strdup_printf ("drn:astra:org:%s", astra_sim_server_get_org_id (sim));
  const char *resources[] = { org_drn, NULL };
  const char *actions[] = { "org-read", NULL };
  g_autofree char *long_name = g_strnfill (10000, 'N');
  g_autofree char *long_text = g_strnfill (10000, 'd');
  g_autoptr(AstraRole) role = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(AstraGeneratedToken) multiline = NULL;
  g_autoptr(AstraGeneratedToken) override = NULL;
  GtkWidget *stack = astra_test_ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL);
  const char *role_ids[2] = { NULL, NULL };
  AdwMessageDialog *dialog;
  GtkWindow *generate;
  GtkSingleSelection *selection;
  GListModel *model;
  int width_before = gtk_widget_get_width (GTK_WIDGET (window));
  gint64 start;

  g_assert_no_error (error);
  astra_client_create_role_async (admin, long_name, long_text, resources, actions, NULL,
                                  on_role_created_cb, &role);
  ASTRA_TEST_UI_WAIT (role != NULL, TIMEOUT_MS);
  role_ids[0] = astra_role_get_id (role);
  astra_client_create_token_async (admin, role_ids, long_text, NULL, NULL, on_created_cb, &token);
  ASTRA_TEST_UI_WAIT (token != NULL, TIMEOUT_MS);
  astra_client_create_token_async (admin, role_ids, "first line\nsecond line", NULL, NULL,
                                   on_created_cb, &multiline);
  ASTRA_TEST_UI_WAIT (multiline != NULL, TIMEOUT_MS);
  astra_client_create_token_async (admin, role_ids, "invoice\xe2\x80\xae" "fdp.exe", NULL, NULL,
                                   on_created_cb, &override);
  ASTRA_TEST_UI_WAIT (override != NULL, TIMEOUT_MS);

  /* The table: one line each, bounded, the override isolated. */
  refresh_and_wait ("list");
  astra_test_ui_spin (200);
  {
    g_autoptr(GPtrArray) texts = g_ptr_array_new ();

    collect_texts (GTK_WIDGET (tokens_page ()), texts);
    for (guint i = 0; i < texts->len; i++)
      {
        const char *text = g_ptr_array_index (texts, i);

        g_assert_cmpint (g_utf8_strlen (text, -1), <=, 202);
        g_assert_null (strchr (text, '\n'));
        if (g_str_has_prefix (text, "first line"))
          g_assert_cmpstr (text, ==, "first line…");
        if (strstr (text, "invoice") != NULL)
          g_assert_cmpstr (text, ==, "\xe2\x81\xa8invoice\xe2\x80\xae" "fdp.exe\xe2\x81\xa9");
      }
  }

  /* Details of an ordinary token, for comparison. */
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.details", "s",
                                             astra_generated_token_get_client_id (multiline)));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  g_test_message ("Details of a short description shown in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  respond (dialog, "close");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);

  /* Details: bounded, shown within a frame or so, and Copy copies all of it. */
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.details", "s",
                                             astra_generated_token_get_client_id (token)));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  g_test_message ("Details of a 10,000-character description shown in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (longest_label (GTK_WIDGET (dialog)), <=, 2 * ASTRA_DISPLAY_TEXT_BODY_CHARS);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <, 1600);
  {
    GtkWidget *copy = astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Copy Description");

    g_assert_nonnull (copy);
    g_assert_cmpstr (g_object_get_data (G_OBJECT (copy), "value"), ==, long_text);
  }
  respond (dialog, "close");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);

  /* The generate dialog lists the role, bounded. */
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate-token", NULL));
  generate = find_toplevel (ASTRA_TYPE_GENERATE_DIALOG);
  g_assert_nonnull (generate);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (generate));
  g_test_message ("Generate Token with a 10,000-character role shown in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (generate)), <, 1600);
  gtk_window_destroy (generate);

  /* The roles page, with that role selected, keeps the window's width. */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "roles");
  astra_roles_page_refresh (roles_page ());
  ASTRA_TEST_UI_WAIT (g_strcmp0 (astra_roles_page_get_state (roles_page ()), "list") == 0, TIMEOUT_MS);
  model = astra_roles_page_get_model (roles_page ());
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (astra_test_ui_find (GTK_WIDGET (roles_page ()),
                                                                                                GTK_TYPE_LIST_VIEW, NULL))));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AstraRole) listed = g_list_model_get_item (model, i);

      if (g_strcmp0 (astra_role_get_id (listed), astra_role_get_id (role)) == 0)
        gtk_single_selection_set_selected (selection, i);
    }
  astra_test_ui_spin (300);
  g_assert_cmpint (longest_label (GTK_WIDGET (roles_page ())), <=, 2 * ASTRA_DISPLAY_TEXT_BODY_CHARS);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, width_before);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "tokens");
}

typedef struct
{
  gboolean             done;
  AstraGeneratedToken *token;
  GError              *error;
} LookUp;

/* Issue 13: tokens the server sent that cannot be read are left out of the list, and a
 * toast says how many; a clean list says nothing. */
static void
test_unreadable_items (void)
{
  g_autoptr(GError) error = NULL;

  dismiss_toasts ();
  ASTRA_TEST_UI_WAIT (!toast_shown (), TIMEOUT_MS);

  g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/clientIdSecrets=bad-item*1", &error));
  g_assert_no_error (error);
  refresh_and_wait ("list");
  ASTRA_TEST_UI_WAIT (toast_shown (), TIMEOUT_MS);
  g_assert_true (shows_label (GTK_WIDGET (window), "2 tokens could not be read and are not shown"));
  dismiss_toasts ();
  ASTRA_TEST_UI_WAIT (!toast_shown (), TIMEOUT_MS);

  astra_sim_server_clear_faults (sim);
  refresh_and_wait ("list");
  astra_test_ui_spin (300);
  g_assert_false (toast_shown ());
}

static void
on_generated_looked_up_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  LookUp *look_up = user_data;

  look_up->token = astra_secret_store_lookup_generated_finish (ASTRA_SECRET_STORE (object), result,
                                                               &look_up->error);
  look_up->done = TRUE;
}

static AstraGeneratedToken *
keyring_generated (const char  *client_id,
                   GError     **error)
{
  LookUp look_up = { FALSE, NULL, NULL };

  astra_secret_store_lookup_generated_async (astra_context_get_secret_store (get_context ()),
                                             astra_sim_server_get_org_id (sim), client_id, NULL,
                                             on_generated_looked_up_cb, &look_up);
  ASTRA_TEST_UI_WAIT (look_up.done, TIMEOUT_MS);
  if (look_up.error != NULL)
    g_propagate_error (error, look_up.error);
  return look_up.token;
}

/* A portal CSV holding one token the organization knows and one it does not (revoked,
 * or another organization's): only the known one is stored, with the organization's
 * roles, description and date, and the message names the other one. */
static void
test_import_csv (void)
{
  const char *unknown_id = "ImportedCsvTokenAbcdefgh";
  const char *unknown_secret = "s3cr+et,with-comma.and_dots";
  g_autofree char *unknown_text = astra_token_format_compose (unknown_id, unknown_secret);
  g_autoptr(AstraGeneratedToken) unknown = astra_generated_token_new (unknown_id, unknown_secret,
                                                                      unknown_text);
  g_autoptr(AstraGeneratedToken) known = generate_with_api ("RO Svc Acct", "Nightly report");
  g_autoptr(AstraGeneratedToken) from_file = NULL;
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  const char *csv_roles[] = { "R/W Svc Acct", NULL };
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *dir = g_dir_make_tmp ("astra-csv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "GeneratedToken.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(AstraGeneratedToken) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *client_id = astra_generated_token_get_client_id (known);
  const char *body;
  AdwMessageDialog *dialog;

  /* As the portal writes it: client id, secret, role names and token, nothing else. */
  from_file = astra_generated_token_new (client_id, astra_generated_token_get_secret (known),
                                         astra_generated_token_get_token (known));
  astra_generated_token_set_role_names (from_file, csv_roles);
  g_list_store_append (tokens, from_file);
  astra_generated_token_set_role_names (unknown, csv_roles);
  g_list_store_append (tokens, unknown);
  csv = astra_csv_format_portal (G_LIST_MODEL (tokens));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL));

  astra_window_import_csv_file (window, file);

  /* The message says what was stored and names the token that was not, without a secret;
   * the file, the only copy of that token's secret, is not offered for deletion. */
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Some Tokens Were Not Imported");
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "1 token of Acme Analytics is now in your keyring"));
  g_assert_nonnull (strstr (body, "1 token is not in Acme Analytics and was not stored"));
  g_assert_nonnull (strstr (body, "revoked or belongs to another organization"));
  g_assert_nonnull (strstr (body, unknown_id));
  g_assert_null (strstr (body, client_id));
  g_assert_null (strstr (body, unknown_secret));
  g_assert_null (strstr (body, "AstraCS:"));
  g_assert_false (adw_message_dialog_has_response (dialog, "delete"));
  respond (dialog, "close");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  /* The known token is stored with what the organization knows of it, not the file's roles. */
  stored = keyring_generated (client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (astra_generated_token_get_secret (stored), ==, astra_generated_token_get_secret (known));
  g_assert_cmpstr (astra_generated_token_get_token (stored), ==, astra_generated_token_get_token (known));
  g_assert_cmpstr (astra_generated_token_get_description (stored), ==, "Nightly report");
  g_assert_true (g_strv_equal ((const char * const *) astra_generated_token_get_role_ids (stored),
                               (const char * const *) astra_generated_token_get_role_ids (known)));
  g_assert_cmpstrv (astra_generated_token_get_role_names (stored), ((const char *[]) { "RO Svc Acct", NULL }));
  g_assert_nonnull (astra_generated_token_get_generated_on (stored));
  g_assert_cmpint (g_date_time_to_unix (astra_generated_token_get_generated_on (stored)), ==,
                   g_date_time_to_unix (astra_generated_token_get_generated_on (known)));

  /* The unknown one is not. */
  g_clear_object (&stored);
  stored = keyring_generated (unknown_id, &error);
  g_assert_null (stored);
  g_assert_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND);

  /* The list, refreshed after the import, shows the keyring icon on the stored token. */
  ASTRA_TEST_UI_WAIT (find_row (client_id) != NULL && astra_token_get_in_keyring (find_row (client_id)),
                      TIMEOUT_MS);

  g_unlink (path);
  g_rmdir (dir);
}

/* A file a teammate encrypted for the user's key (GeneratedToken.csv.gpg): decrypted in
 * memory (gpg-agent has the passphrase-less key), imported the same way, and not offered
 * for deletion, since nothing in it is plain text. A damaged one says so, stores nothing. */
static void
test_import_csv_encrypted (void)
{
  g_autoptr(AstraGeneratedToken) known = generate_with_api ("R/W Svc Acct", "Sent encrypted");
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) cipher = NULL;
  g_autofree char *dir = g_dir_make_tmp ("astra-csv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "GeneratedToken.csv.gpg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(AstraGeneratedToken) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *client_id = astra_generated_token_get_client_id (known);
  AdwMessageDialog *dialog;

  g_list_store_append (tokens, known);
  csv = astra_csv_format_portal (G_LIST_MODEL (tokens));
  cipher = astra_test_gpg_run (gnupg_home, csv, "--encrypt", "--recipient", "alice@example.org");
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (cipher, NULL), g_bytes_get_size (cipher), NULL));

  astra_window_import_csv_file (window, file);

  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Tokens Imported");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "1 token of Acme Analytics is now in your keyring"));
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "unencrypted"));
  g_assert_false (adw_message_dialog_has_response (dialog, "delete"));
  respond (dialog, "close");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  stored = keyring_generated (client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (astra_generated_token_get_secret (stored), ==, astra_generated_token_get_secret (known));

  /* Cut short on its way: the reason, and what to do. */
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (cipher, NULL), g_bytes_get_size (cipher) / 2, NULL));
  astra_window_import_csv_file (window, file);
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Decrypt the File");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "damaged"));
  respond (dialog, "close");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);

  g_unlink (path);
  g_rmdir (dir);
}

/* A file whose every token the organization knows can be deleted after the import. */
static void
test_import_csv_all_known (void)
{
  g_autoptr(AstraGeneratedToken) known = generate_with_api ("R/W Svc Acct", "Loader");
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *dir = g_dir_make_tmp ("astra-csv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "GeneratedToken.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(AstraGeneratedToken) stored = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  g_list_store_append (tokens, known);
  csv = astra_csv_format_portal (G_LIST_MODEL (tokens));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL));

  astra_window_import_csv_file (window, file);

  /* Then the app offers to delete the plain-text file; deleting is never the default. */
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete the Plain-Text File?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "1 token of Acme Analytics is now in your keyring, with its roles"));
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "keep");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), !=, "delete");
  respond (dialog, "delete");
  ASTRA_TEST_UI_WAIT (!g_file_test (path, G_FILE_TEST_EXISTS), TIMEOUT_MS);
  g_rmdir (dir);

  stored = keyring_generated (astra_generated_token_get_client_id (known), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (astra_generated_token_get_token (stored), ==, astra_generated_token_get_token (known));
  g_assert_cmpstrv (astra_generated_token_get_role_names (stored), ((const char *[]) { "R/W Svc Acct", NULL }));
}

/* When the organization's list cannot be read, nothing of the file is stored. */
static void
test_import_csv_unchecked (void)
{
  g_autoptr(AstraGeneratedToken) known = generate_with_api ("R/W Svc Acct", "Unchecked");
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *dir = g_dir_make_tmp ("astra-csv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "GeneratedToken.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(AstraGeneratedToken) stored = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  g_list_store_append (tokens, known);
  csv = astra_csv_format_portal (G_LIST_MODEL (tokens));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL));
  g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/clientIdSecrets=500", &error));
  g_assert_no_error (error);

  astra_window_import_csv_file (window, file);

  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  astra_sim_server_clear_faults (sim);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Check the Tokens");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "so nothing was imported"));
  respond (dialog, "close");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);

  stored = keyring_generated (astra_generated_token_get_client_id (known), &error);
  g_assert_null (stored);
  g_assert_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_keyboard (void)
{
  GListModel *model = astra_tokens_page_get_model (tokens_page ());
  GtkColumnView *view = astra_tokens_page_get_column_view (tokens_page ());
  g_autoptr(AstraToken) first = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *reference = NULL;
  g_autoptr(AstraSecretString) resolved = NULL;
  g_autoptr(GAsyncResult) resolved_result = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkWindow *generate;

  /* Ctrl+C on the list copies the selected client id. */
  refresh_and_wait ("list");
  first = g_list_model_get_item (model, 0);
  gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "tokens.copy-selected", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 on_clipboard_text_cb, &copied);
  ASTRA_TEST_UI_WAIT (copied != NULL, TIMEOUT_MS);
  g_assert_cmpstr (copied, ==, astra_token_get_client_id (first));

  /* Delete asks before revoking the selection; Cancel keeps the token. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "tokens.revoke-selected", NULL));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  respond (dialog, "cancel");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);
  g_assert_nonnull (find_row (astra_token_get_client_id (first)));

  /* Copy Token fetches the secret from the keyring. */
  g_clear_pointer (&copied, g_free);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.copy-token", "s",
                                             kept_client_id));
  for (gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;
       g_strcmp0 (copied, kept_token) != 0 && g_get_monotonic_time () < end;)
    {
      g_clear_pointer (&copied, g_free);
      gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                     on_clipboard_text_cb, &copied);
      ASTRA_TEST_UI_WAIT (copied != NULL, TIMEOUT_MS);
    }
  g_assert_cmpstr (copied, ==, kept_token);

  /* Copy Reference names the token by org id, without its secret, and that reference
   * resolves to the token from the keyring. */
  g_clear_pointer (&copied, g_free);
  reference = g_strdup_printf ("astra://%s/%s/token", astra_sim_server_get_org_id (sim),
                               kept_client_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.copy-reference",
                                             "s", kept_client_id));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 on_clipboard_text_cb, &copied);
  ASTRA_TEST_UI_WAIT (copied != NULL, TIMEOUT_MS);
  g_assert_cmpstr (copied, ==, reference);
  ASTRA_TEST_UI_WAIT (astra_test_ui_shows_text (GTK_WIDGET (window), "Reference copied"), TIMEOUT_MS);
  astra_reference_resolve_async (astra_context_get_secret_store (get_context ()), copied, NULL,
                                 on_result_cb, &resolved_result);
  ASTRA_TEST_UI_WAIT (resolved_result != NULL, TIMEOUT_MS);
  resolved = astra_reference_resolve_finish (astra_context_get_secret_store (get_context ()),
                                             resolved_result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resolved, ==, kept_token);

  /* Ctrl+N opens the generate dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.generate-token", NULL));
  generate = find_toplevel (ASTRA_TYPE_GENERATE_DIALOG);
  g_assert_nonnull (generate);
  gtk_window_destroy (generate);

  /* Details… lists every field. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.details", "s",
                                             astra_token_get_client_id (first)));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  g_assert_nonnull (astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, "Client ID"));
  g_assert_nonnull (astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, "Roles"));
  g_assert_nonnull (astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Copy Client ID"));
  respond (dialog, "close");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);
}

static void
test_rc_import (void)
{
  g_autofree char *dir = g_dir_make_tmp ("astra-rc-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, ".astrarc", NULL);
  g_autofree char *rc = g_strdup_printf ("[default]\nASTRA_DB_APPLICATION_TOKEN=%s\n"
                                         "ASTRA_ENV=LOCAL\nASTRA_LOCAL_ENDPOINT=%s\n\n"
                                         "[work]\nASTRA_DB_APPLICATION_TOKEN=%s\n"
                                         "ASTRA_ENV=LOCAL\nASTRA_LOCAL_ENDPOINT=%s\n\n"
                                         "[broken]\nASTRA_DB_APPLICATION_TOKEN=not-a-token\n",
                                         astra_sim_server_get_admin_token (sim),
                                         astra_sim_server_get_base_url (sim),
                                         astra_sim_server_get_admin_token (sim),
                                         astra_sim_server_get_base_url (sim));
  g_autoptr(GPtrArray) checks = NULL;
  GtkWindow *dialog = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */
  guint active = 0, sensitive = 0;

  g_assert_true (g_file_set_contents (path, rc, -1, NULL));
  g_setenv ("ASTRARC", path, TRUE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import-rc", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (toplevel), "Import from Astra CLI") == 0 &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        dialog = toplevel;
    }
  g_assert_nonnull (dialog);

  /* One check box per profile: [default] copies [work] and starts unchecked, the broken one
   * cannot be chosen. */
  checks = astra_test_ui_find_all (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_cmpuint (checks->len, ==, 3);
  for (guint i = 0; i < checks->len; i++)
    {
      active += gtk_check_button_get_active (g_ptr_array_index (checks, i));
      sensitive += gtk_widget_get_sensitive (g_ptr_array_index (checks, i));
    }
  g_assert_cmpuint (active, ==, 1);
  g_assert_cmpuint (sensitive, ==, 2);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (dialog), "rc-import-dialog.png"));

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "rc-import.import", NULL));
  ASTRA_TEST_UI_WAIT (dialog == NULL || !gtk_widget_get_visible (GTK_WIDGET (dialog)), TIMEOUT_MS);
  if (dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  /* Same organization: its token was updated, no second row. */
  g_assert_cmpuint (g_list_model_get_n_items (astra_context_get_connections (get_context ())), ==, 1);
  g_unsetenv ("ASTRARC");
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_narrow (void)
{
  GtkWidget *leaflet = astra_test_ui_find (GTK_WIDGET (window), ADW_TYPE_LEAFLET, NULL);
  GtkWidget *back;
  GtkWidget *row;

  /* 600 px folds the leaflet. Narrower, libadwaita 1.2 reveals its AdwViewSwitcherBar and
   * its internal action bar warns about a -1 height while doing so (not our widgets). */
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 700);
  ASTRA_TEST_UI_WAIT (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)), TIMEOUT_MS);

  /* Folded: choosing the organization shows its content, with a back button. */
  row = astra_test_ui_find (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW, NULL);
  g_assert_nonnull (row);
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  ASTRA_TEST_UI_WAIT (g_strcmp0 (adw_leaflet_get_visible_child_name (ADW_LEAFLET (leaflet)), "content") == 0,
                      TIMEOUT_MS);
  back = astra_test_ui_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Back to Organizations");
  g_assert_nonnull (back);
  g_assert_true (gtk_widget_activate_action (back, "win.show-sidebar", NULL));
  ASTRA_TEST_UI_WAIT (g_strcmp0 (adw_leaflet_get_visible_child_name (ADW_LEAFLET (leaflet)), "sidebar") == 0,
                      TIMEOUT_MS);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  ASTRA_TEST_UI_WAIT (!adw_leaflet_get_folded (ADW_LEAFLET (leaflet)), TIMEOUT_MS);
}

static void
on_listed_generated_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(char ***) user_data = astra_secret_store_list_generated_finish (ASTRA_SECRET_STORE (object),
                                                                    result, &error);
  g_assert_no_error (error);
}

static void
test_demo (void)
{
  g_autoptr(AstraSecretStore) fresh_store = astra_secret_store_new ();
  g_autofree char *client_id = NULL;
  g_autofree char *copied = NULL;
  g_auto(GStrv) in_keyring = NULL;
  AstraConnection *demo;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.explore-demo", NULL));
  demo = astra_context_get_demo (get_context ());
  g_assert_nonnull (demo);
  g_assert_true (astra_connection_get_is_demo (demo));
  ASTRA_TEST_UI_WAIT (astra_window_get_connection (window) == demo, TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (tokens_state_is ("list"), TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (astra_tokens_page_get_model (tokens_page ())), >=, 20);

  /* Marked as a demo in the sidebar and in the content. */
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (window), "Demo"));
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (window), GTK_TYPE_REVEALER, NULL));
  screenshot ("demo.png");

  /* A token generated in the demo is held for the demo's life, but never in the login
   * keyring, which outlives it: a store of its own (as after a restart) finds nothing. */
  client_id = generate_in_window ("RO Svc Acct", "demo secret");
  ASTRA_TEST_UI_WAIT (find_row (client_id) != NULL && astra_token_get_in_keyring (find_row (client_id)),
                      TIMEOUT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.copy-token", "s", client_id));
  astra_secret_store_list_generated_async (fresh_store, astra_connection_get_org_id (demo), NULL,
                                           on_listed_generated_cb, &in_keyring);
  ASTRA_TEST_UI_WAIT (in_keyring != NULL, TIMEOUT_MS);
  g_assert_cmpuint (g_strv_length (in_keyring), ==, 0);

  /* So no reference to it could resolve: Copy Reference copies nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tokens_page ()), "tokens.copy-reference",
                                             "s", client_id));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 on_clipboard_text_cb, &copied);
  ASTRA_TEST_UI_WAIT (copied != NULL, TIMEOUT_MS);
  g_assert_false (g_str_has_prefix (copied, "astra://"));
}

/* Importing into the demo a file holding a token of Acme Analytics, another connected
 * organization: it is stored under Acme Analytics, and the message says so. */
static void
test_import_csv_other_org (void)
{
  g_autoptr(AstraGeneratedToken) acme = generate_with_api ("RO Svc Acct", "Imported elsewhere");
  const char *unknown_id = "NowhereCsvTokenAbcdefghi";
  g_autofree char *unknown_text = astra_token_format_compose (unknown_id, "nowhere+secret");
  g_autoptr(AstraGeneratedToken) unknown = astra_generated_token_new (unknown_id, "nowhere+secret",
                                                                      unknown_text);
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *dir = g_dir_make_tmp ("astra-csv-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "GeneratedToken.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(AstraGeneratedToken) stored = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  const char *body;

  g_assert_true (astra_window_get_connection (window) == astra_context_get_demo (get_context ()));
  g_list_store_append (tokens, acme);
  g_list_store_append (tokens, unknown);
  csv = astra_csv_format_portal (G_LIST_MODEL (tokens));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL));

  astra_window_import_csv_file (window, file);

  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Some Tokens Were Not Imported");
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "1 token belongs to Acme Analytics, another connected organization"));
  g_assert_nonnull (strstr (body, "1 token is in none of your connected organizations"));
  g_assert_nonnull (strstr (body, unknown_id));
  g_assert_null (strstr (body, "AstraCS:"));
  respond (dialog, "close");
  ASTRA_TEST_UI_WAIT (find_message_dialog () == NULL, TIMEOUT_MS);

  stored = keyring_generated (astra_generated_token_get_client_id (acme), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (astra_generated_token_get_org_id (stored), ==, astra_sim_server_get_org_id (sim));
  g_assert_cmpstrv (astra_generated_token_get_role_names (stored), ((const char *[]) { "RO Svc Acct", NULL }));
  g_assert_cmpstr (astra_generated_token_get_description (stored), ==, "Imported elsewhere");
  g_clear_object (&stored);
  stored = keyring_generated (unknown_id, &error);
  g_assert_null (stored);
  g_assert_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND);

  g_unlink (path);
  g_rmdir (dir);
}

static void
on_forgotten_lookup_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GError **out = user_data;
  g_autofree char *token = astra_secret_store_lookup_token_finish (ASTRA_SECRET_STORE (object), result, out);

  g_assert_null (token);
}

static void
forget (const char *org_id)
{
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.forget-org", "s", org_id));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  respond (dialog, "forget");
  ASTRA_TEST_UI_WAIT (astra_context_find_connection (get_context (), org_id) == NULL, TIMEOUT_MS);
}

static void
test_rename (void)
{
  /* The keyring-backed organization, not the session-only demo. */
  AstraConnection *connection = astra_context_find_connection (get_context (),
                                                               astra_sim_server_get_org_id (sim));
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rename-org", "s",
                                             astra_connection_get_org_id (connection)));
  ASTRA_TEST_UI_WAIT ((dialog = find_message_dialog ()) != NULL, TIMEOUT_MS);
  entry = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (GTK_IS_EDITABLE (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Acme (staging)");
  respond (dialog, "rename");

  ASTRA_TEST_UI_WAIT (g_strcmp0 (astra_connection_get_display_name (connection), "Acme (staging)") == 0,
                      TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (astra_test_ui_shows_text (GTK_WIDGET (window), "Acme (staging)"), TIMEOUT_MS);
}

static void
test_forget (void)
{
  AstraConnection *demo = astra_context_get_demo (get_context ());
  g_autoptr(GError) error = NULL;

  /* The selected demo goes; the window moves on to the remaining organization. */
  g_assert_nonnull (demo);
  forget (astra_connection_get_org_id (demo));
  ASTRA_TEST_UI_WAIT (astra_window_get_connection (window) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (astra_connection_get_org_id (astra_window_get_connection (window)), ==,
                   astra_sim_server_get_org_id (sim));

  /* The last one goes with its management token; the welcome page is back. */
  forget (astra_sim_server_get_org_id (sim));
  ASTRA_TEST_UI_WAIT (g_strcmp0 (visible_main_page (), "welcome") == 0, TIMEOUT_MS);
  astra_secret_store_lookup_token_async (astra_context_get_secret_store (get_context ()),
                                         astra_sim_server_get_org_id (sim), NULL,
                                         on_forgotten_lookup_cb, &error);
  ASTRA_TEST_UI_WAIT (error != NULL, TIMEOUT_MS);
  g_assert_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND);
}

/* Run by tests/meson.build on a bus without a Secret Service (--no-keyring). */
static void
test_no_keyring (void)
{
  AstraConnection *demo;

  ASTRA_TEST_UI_WAIT (astra_context_get_loaded (get_context ()), TIMEOUT_MS);
  g_assert_error (astra_context_get_load_error (get_context ()), ASTRA_SECRET_STORE_ERROR,
                  ASTRA_SECRET_STORE_ERROR_NO_SERVICE);

  /* A clear page says what is missing, instead of an empty window. */
  ASTRA_TEST_UI_WAIT (g_strcmp0 (visible_main_page (), "keyring") == 0, TIMEOUT_MS);
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE,
                                               "No Keyring Available"));

  /* The demo needs no keyring. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.explore-demo", NULL));
  demo = astra_context_get_demo (get_context ());
  g_assert_nonnull (demo);
  ASTRA_TEST_UI_WAIT (g_strcmp0 (visible_main_page (), "organizations") == 0, TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (tokens_state_is ("list"), TIMEOUT_MS);
}

/* ------------------------------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  gboolean no_keyring = FALSE;
  g_autoptr(GError) error = NULL;
  int ret;

  /* This test adds its organizations itself. */
  g_unsetenv ("ASTRA_API_URL");
  g_unsetenv ("ASTRA_DB_APPLICATION_TOKEN");
  g_unsetenv ("ASTRA_TOKENS_BENCHMARK");

  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--no-keyring") == 0)
      {
        no_keyring = TRUE;
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
        argc--;
        break;
      }

  astra_test_ui_init (&argc, &argv);
  /* The user's GnuPG home for encrypted imports: one key, without a passphrase. */
  gnupg_home = astra_test_gpg_make_home ("apgp-w-XXXXXX");
  g_free (astra_test_gpg_generate_key (gnupg_home, "Alice Admin <alice@example.org>", "never", NULL));
  g_setenv ("GNUPGHOME", gnupg_home, TRUE);

  app = astra_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* A realistic name: this test's screenshots illustrate the README and the metainfo. */
  sim = astra_sim_server_new ();
  astra_sim_server_set_org_name (sim, "Acme Analytics");
  astra_sim_server_set_seed (sim, 20, 3);
  g_assert_true (astra_sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);

  {
    g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);

    g_settings_set_int (settings, "window-width", 1280);
    g_settings_set_int (settings, "window-height", 800);
  }
  window = astra_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  if (no_keyring)
    {
      g_test_add_func ("/ui/window/no-keyring", test_no_keyring);
      goto run;
    }

  g_test_add_func ("/ui/window/welcome", test_welcome);
  g_test_add_func ("/ui/window/connect", test_connect);
  g_test_add_func ("/ui/window/tokens", test_tokens);
  g_test_add_func ("/ui/window/keyring-follows", test_keyring_follows);
  g_test_add_func ("/ui/window/layout", test_layout);
  g_test_add_func ("/ui/window/sort", test_sort);
  g_test_add_func ("/ui/window/sort-menu", test_sort_menu);
  g_test_add_func ("/ui/window/unshown-names", test_unshown_names);
  g_test_add_func ("/ui/window/search", test_search);
  g_test_add_func ("/ui/window/revoke", test_revoke);
  g_test_add_func ("/ui/window/server-error", test_server_error);
  g_test_add_func ("/ui/window/forbidden", test_forbidden);
  g_test_add_func ("/ui/window/unauthorized", test_unauthorized);
  g_test_add_func ("/ui/window/roles", test_roles);
  g_test_add_func ("/ui/window/markup-as-text", test_markup_as_text);
  g_test_add_func ("/ui/window/long-text", test_long_text);
  g_test_add_func ("/ui/window/unreadable-items", test_unreadable_items);
  g_test_add_func ("/ui/window/import-csv", test_import_csv);
  g_test_add_func ("/ui/window/import-csv-all-known", test_import_csv_all_known);
  g_test_add_func ("/ui/window/import-csv-unchecked", test_import_csv_unchecked);
  g_test_add_func ("/ui/window/import-csv-encrypted", test_import_csv_encrypted);
  g_test_add_func ("/ui/window/keyboard", test_keyboard);
  g_test_add_func ("/ui/window/rc-import", test_rc_import);
  g_test_add_func ("/ui/window/narrow", test_narrow);
  g_test_add_func ("/ui/window/demo", test_demo);
  g_test_add_func ("/ui/window/import-csv-other-org", test_import_csv_other_org);
  g_test_add_func ("/ui/window/rename", test_rename);
  g_test_add_func ("/ui/window/forget", test_forget);
  /* Last: under Xvfb, once any row menu has been opened (a GtkMenuButton's as well), a
   * toast shown after a dialog closes never finishes hiding (GTK 4.8, not understood). */
  g_test_add_func ("/ui/window/row-menu", test_row_menu);

run:
  ret = g_test_run ();
  astra_test_gpg_remove_home (gnupg_home);

  gtk_window_destroy (GTK_WINDOW (window));
  astra_sim_server_disconnect (sim);
  g_clear_object (&sim);
  return ret;
}

/* test-ui-dialogs.c: the generate, new-token, export, role editor dialogs and the clipboard
 *
 * Real dialogs under Xvfb, the real libsoup client against the in-process simulator, the
 * real gnome-keyring of the test session, and the real X clipboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-dialogs"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "astra-a11y.h"
#include "astra-client.h"
#include "astra-clipboard.h"
#include "astra-connection.h"
#include "astra-csv.h"
#include "astra-database.h"
#include "astra-encrypt-dialog.h"
#include "astra-export.h"
#include "astra-generate-dialog.h"
#include "astra-generated-token.h"
#include "astra-new-token-dialog.h"
#include "astra-organization.h"
#include "astra-role-editor-dialog.h"
#include "astra-role.h"
#include "astra-secret-store.h"
#include "astra-test-gpg.h"
#include "astra-test-ui.h"
#include "astra-token.h"

/* --no-keyring: this run is on a bus without a Secret Service (test-ui-dialogs-no-keyring). */
static gboolean no_keyring;

/* The simulator, a client with its admin token, and the keyring, for one test. */
typedef struct
{
  AstraSimServer   *sim;
  AstraClient      *client;
  AstraConnection  *connection;
  AstraSecretStore *store;
  GListModel       *roles;
  GtkWindow        *parent;
} Fixture;

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

#define WAIT_RESULT(result) ASTRA_TEST_UI_WAIT ((result) != NULL, 20000)

static GListModel *
list_roles (AstraClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *roles;

  astra_client_list_roles_async (client, NULL, store_result_cb, &result);
  WAIT_RESULT (result);
  roles = astra_client_list_roles_finish (client, result, &error);
  g_assert_no_error (error);

  return roles;
}

static GListModel *
list_tokens (AstraClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *tokens;

  astra_client_list_tokens_async (client, NULL, store_result_cb, &result);
  WAIT_RESULT (result);
  tokens = astra_client_list_tokens_finish (client, result, &error);
  g_assert_no_error (error);

  return tokens;
}

static AstraToken *
find_token (GListModel *tokens,
            const char *client_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

      if (g_strcmp0 (astra_token_get_client_id (token), client_id) == 0)
        return g_steal_pointer (&token);
    }

  return NULL;
}

static AstraRole *
find_role_by_name (GListModel *roles,
                   const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (roles); i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (roles, i);

      if (g_strcmp0 (astra_role_get_name (role), name) == 0)
        return g_steal_pointer (&role);
    }

  return NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay;

  fixture->sim = astra_test_ui_start_sim (0);
  fixture->client = astra_client_new (astra_sim_server_get_base_url (fixture->sim),
                                      astra_sim_server_get_admin_token (fixture->sim), &error);
  g_assert_no_error (error);
  astra_client_set_retry_policy (fixture->client, 2, 10, 50);
  fixture->connection = astra_connection_new (astra_sim_server_get_org_id (fixture->sim),
                                              astra_sim_server_get_org_name (fixture->sim),
                                              ASTRA_ENVIRONMENT_CUSTOM,
                                              astra_sim_server_get_base_url (fixture->sim));
  fixture->store = astra_secret_store_new ();
  fixture->roles = list_roles (fixture->client);

  /* A stand-in main window with a toast overlay, as the real one has. */
  fixture->parent = GTK_WINDOW (adw_application_window_new (NULL));
  overlay = adw_toast_overlay_new ();
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (fixture->parent), overlay);
  gtk_window_set_default_size (fixture->parent, 900, 700);
  gtk_window_present (fixture->parent);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Close every dialog a test left open, without confirmation. */
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }

  g_clear_object (&fixture->roles);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->connection);
  g_clear_object (&fixture->client);
  if (fixture->sim != NULL)
    astra_sim_server_disconnect (fixture->sim);
  g_clear_object (&fixture->sim);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
toplevel_exists (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return TRUE;
    }

  return FALSE;
}

static char *
read_clipboard (GdkClipboard *clipboard)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  gdk_clipboard_read_text_async (clipboard, NULL, store_result_cb, &result);
  WAIT_RESULT (result);
  text = gdk_clipboard_read_text_finish (clipboard, result, &error);
  if (error != NULL)
    g_test_message ("clipboard read: %s", error->message);

  return text;
}

static void
check_role (GtkWidget  *dialog,
            const char *role_name)
{
  GtkWidget *row = astra_test_ui_find (dialog, ADW_TYPE_ACTION_ROW, role_name);
  GtkWidget *check;

  g_assert_nonnull (row);
  check = astra_test_ui_find (row, GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  GtkWidget *button = astra_test_ui_find (root, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  return button;
}

/* As a pointer click does; gtk_widget_activate() on a button clicks only after a delay. */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static const char *
row_subtitle (GtkWidget  *root,
              const char *title)
{
  GtkWidget *row = astra_test_ui_find (root, ADW_TYPE_ACTION_ROW, title);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* Renders @window as it is, then dark and 360 pixels wide (a phone), as @name.png and
 * @name-dark-narrow.png; restores the window's width and the light style afterwards. */
static void
screenshots (GtkWindow  *window,
             const char *name,
             int         width,
             int         height)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *plain = g_strdup_printf ("%s.png", name);
  g_autofree char *dark = g_strdup_printf ("%s-dark-narrow.png", name);

  if (g_getenv ("ASTRA_SCREENSHOT_DIR") == NULL)
    return;

  gtk_window_set_default_size (window, width, height);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), plain));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_set_default_size (window, 360, height);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), dark));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (window, width, height);
  astra_test_ui_spin (100);
}

static void
on_token_generated_cb (AstraGenerateDialog  *dialog,
                       AstraGeneratedToken  *token,
                       AstraGeneratedToken **out)
{
  g_set_object (out, token);
}

static void
on_token_revoked_cb (AstraGenerateDialog  *dialog,
                     const char           *client_id,
                     char                **out)
{
  g_free (*out);
  *out = g_strdup (client_id);
}

/* The client id the last generate dialog reported secured ("token-secured"). */
static char *secured_client_id;

static void
on_token_secured_cb (AstraGenerateDialog *dialog,
                     AstraGeneratedToken *token,
                     gpointer             user_data)
{
  g_free (secured_client_id);
  secured_client_id = g_strdup (astra_generated_token_get_client_id (token));
}

/* Opens the generate dialog, picks @role_name, generates and returns the new token. */
static AstraGeneratedToken *
generate_token (Fixture     *fixture,
                const char  *role_name,
                const char  *description,
                gboolean     save_to_keyring,
                AstraToken  *rotate_from,
                char       **revoked)
{
  AstraGenerateDialog *dialog;
  GtkWidget *generate;
  AstraGeneratedToken *token = NULL;

  dialog = astra_generate_dialog_new (fixture->parent, fixture->client, fixture->store,
                                      fixture->connection, fixture->roles);
  g_signal_connect (dialog, "token-generated", G_CALLBACK (on_token_generated_cb), &token);
  g_signal_connect (dialog, "token-secured", G_CALLBACK (on_token_secured_cb), NULL);
  g_clear_pointer (&secured_client_id, g_free);
  if (revoked != NULL)
    g_signal_connect (dialog, "token-revoked", G_CALLBACK (on_token_revoked_cb), revoked);
  if (rotate_from != NULL)
    astra_generate_dialog_set_rotate_from (dialog, rotate_from);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));

  generate = find_button (GTK_WIDGET (dialog), "Generate");
  if (rotate_from == NULL)
    {
      /* Nothing checked yet: Generate is unavailable. */
      g_assert_false (gtk_widget_get_sensitive (generate));
      check_role (GTK_WIDGET (dialog), role_name);
      gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog),
                                                               ADW_TYPE_ENTRY_ROW,
                                                               "Description")),
                             description);
    }
  if (!save_to_keyring)
    gtk_switch_set_active (GTK_SWITCH (astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_SWITCH,
                                                           "Save to Keyring")), FALSE);
  g_assert_true (gtk_widget_get_sensitive (generate));
  if (rotate_from != NULL && save_to_keyring)
    {
      gtk_window_set_default_size (GTK_WINDOW (dialog), 580, 680);
      g_free (astra_test_ui_screenshot (GTK_WIDGET (dialog), "rotate.png"));
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.generate", NULL));
  ASTRA_TEST_UI_WAIT (token != NULL, 20000);
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) != NULL, 5000);

  return token;
}

static void
assert_token_works (Fixture    *fixture,
                    const char *token)
{
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(AstraOrganization) org = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  client = astra_client_new (astra_sim_server_get_base_url (fixture->sim), token, &error);
  g_assert_no_error (error);
  astra_client_get_current_org_async (client, NULL, store_result_cb, &result);
  WAIT_RESULT (result);
  org = astra_client_get_current_org_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (astra_organization_get_id (org), ==,
                   astra_sim_server_get_org_id (fixture->sim));
}

static AstraGeneratedToken *
lookup_generated (Fixture    *fixture,
                  const char *client_id,
                  GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_secret_store_lookup_generated_async (fixture->store,
                                             astra_sim_server_get_org_id (fixture->sim),
                                             client_id, NULL, store_result_cb, &result);
  WAIT_RESULT (result);
  return astra_secret_store_lookup_generated_finish (fixture->store, result, error);
}

static GListModel *
read_portal_file (GFile *file)
{
  g_autofree char *contents = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  GListModel *parsed;
  gsize length;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  parsed = astra_csv_parse_portal (contents, length, &error);
  g_assert_no_error (error);

  return parsed;
}

/* ------------------------------------------------------------------------------------------ */
/* Clipboard                                                                                  */

static void
test_clipboard_secret_pastes_as_text (Fixture       *fixture,
                                      gconstpointer  data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->parent));
  GdkContentFormats *formats;
  GdkDisplay *other;
  g_autofree char *local = NULL;
  g_autofree char *remote = NULL;
  const char *secret = "+secret,with-commas.and_dots";

  astra_clipboard_copy (GTK_WIDGET (fixture->parent), secret, TRUE);

  formats = gdk_clipboard_get_formats (clipboard);
  g_assert_true (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING));
  g_assert_true (gdk_content_formats_contain_mime_type (formats, "x-kde-passwordManagerHint"));

  local = read_clipboard (clipboard);
  g_assert_cmpstr (local, ==, secret);

  /* A second X connection is another client: it pastes through the X selection, as any
   * other application would, so the extra hint type must not break plain text. */
  other = gdk_display_open (g_getenv ("DISPLAY"));
  g_assert_nonnull (other);
  remote = read_clipboard (gdk_display_get_clipboard (other));
  g_assert_cmpstr (remote, ==, secret);
  /* Not closed: with GTK 4.8 on X11, gdk_display_close() on this second connection leaves
   * later reads of the default display's own clipboard hanging. */

  astra_clipboard_clear_secret ();
  g_assert_null (gdk_clipboard_get_content (clipboard));
}

static void
test_clipboard_clears_only_own_secret (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->parent));
  g_autofree char *text = NULL;

  g_settings_set_uint (settings, "clipboard-clear-seconds", 1);
  g_assert_cmpuint (astra_clipboard_get_clear_seconds (), ==, 1);

  /* Ours: cleared once the timeout passed. */
  astra_clipboard_copy (GTK_WIDGET (fixture->parent), "first-secret", TRUE);
  g_assert_nonnull (gdk_clipboard_get_content (clipboard));
  ASTRA_TEST_UI_WAIT (gdk_clipboard_get_content (clipboard) == NULL, 10000);
  text = read_clipboard (clipboard);
  g_assert_null (text);
  /* Let the X server's notice of that clear arrive before claiming the clipboard again;
   * GDK would otherwise apply the stale "no owner" notice to the next content. */
  astra_test_ui_spin (500);

  /* Replaced by the person in the meantime: left alone, now and on quit. */
  astra_clipboard_copy (GTK_WIDGET (fixture->parent), "second-secret", TRUE);
  gdk_clipboard_set_text (clipboard, "something else");
  astra_test_ui_spin (2500);
  text = read_clipboard (clipboard);
  g_assert_cmpstr (text, ==, "something else");
  astra_clipboard_clear_secret ();
  g_clear_pointer (&text, g_free);
  text = read_clipboard (clipboard);
  g_assert_cmpstr (text, ==, "something else");

  /* 0 means never. */
  g_settings_set_uint (settings, "clipboard-clear-seconds", 0);
  astra_clipboard_copy (GTK_WIDGET (fixture->parent), "kept-secret", TRUE);
  astra_test_ui_spin (1500);
  g_clear_pointer (&text, g_free);
  text = read_clipboard (clipboard);
  g_assert_cmpstr (text, ==, "kept-secret");
  astra_clipboard_clear_secret ();

  g_settings_reset (settings, "clipboard-clear-seconds");
}

/* ------------------------------------------------------------------------------------------ */
/* Generate → new token → copy, keyring, export                                              */

static void
test_generate_flow (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(AstraGeneratedToken) stored = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(AstraToken) listed = NULL;
  g_autoptr(GListStore) selection = NULL;
  g_autoptr(GListModel) parsed = NULL;
  g_autoptr(AstraGeneratedToken) row = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *expected_reference = NULL;
  g_autofree char *expected_snippet = NULL;
  AstraExportFormat format;
  AdwComboRow *env_kind;
  GtkWidget *dialog;

  token = generate_token (fixture, "RO Svc Acct", "ci reader", TRUE, NULL, NULL);
  g_assert_cmpstr (astra_generated_token_get_description (token), ==, "ci reader");
  dialog = GTK_WIDGET (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG));
  g_assert_true (astra_new_token_dialog_get_token (ASTRA_NEW_TOKEN_DIALOG (dialog)) == token);

  /* Saved to the keyring by the dialog itself. */
  ASTRA_TEST_UI_WAIT (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)), 20000);
  g_assert_nonnull (astra_test_ui_find (dialog, ADW_TYPE_ACTION_ROW, "Saved to keyring"));
  g_assert_cmpstr (secured_client_id, ==, astra_generated_token_get_client_id (token));

  expected_reference = g_strdup_printf ("astra://%s/%s/token",
                                        astra_connection_get_org_id (fixture->connection),
                                        astra_generated_token_get_client_id (token));
  expected_snippet = g_strdup_printf ("ASTRA_DB_APPLICATION_TOKEN=%s\n"
                                      "ASTRA_DB_CLIENT_ID=%s\n"
                                      "ASTRA_DB_CLIENT_SECRET=astra://%s/%s/client-secret\n",
                                      expected_reference,
                                      astra_generated_token_get_client_id (token),
                                      astra_connection_get_org_id (fixture->connection),
                                      astra_generated_token_get_client_id (token));

  /* Masked, and the title holds no secret. */
  g_assert_cmpstr (row_subtitle (dialog, "Client Secret"), !=,
                   astra_generated_token_get_secret (token));
  g_assert_null (strstr (gtk_window_get_title (GTK_WINDOW (dialog)),
                         astra_generated_token_get_secret (token)));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 580, 660);
  astra_test_ui_spin (300);
  shot = astra_test_ui_screenshot (dialog, "new-token.png");

  /* Revealed, the rows show exactly the token's values. */
  click (find_button (dialog, "Show Client ID"));
  click (find_button (dialog, "Show Client Secret"));
  click (find_button (dialog, "Show Token"));
  g_assert_cmpstr (row_subtitle (dialog, "Client ID"), ==,
                   astra_generated_token_get_client_id (token));
  g_assert_cmpstr (row_subtitle (dialog, "Client Secret"), ==,
                   astra_generated_token_get_secret (token));
  g_assert_cmpstr (row_subtitle (dialog, "Token"), ==, astra_generated_token_get_token (token));
  assert_token_works (fixture, astra_generated_token_get_token (token));
  g_free (astra_test_ui_screenshot (dialog, "new-token-revealed.png"));

  /* Copy puts the exact value on the clipboard. */
  click (find_button (dialog, "Copy Client Secret"));
  copied = read_clipboard (gtk_widget_get_clipboard (dialog));
  g_assert_cmpstr (copied, ==, astra_generated_token_get_secret (token));
  g_clear_pointer (&copied, g_free);
  click (find_button (dialog, "Copy Token"));
  copied = read_clipboard (gtk_widget_get_clipboard (dialog));
  g_assert_cmpstr (copied, ==, astra_generated_token_get_token (token));
  g_clear_pointer (&copied, g_free);

  /* Copy Reference: the reference by org id, not the secret. */
  click (find_button (dialog, "Copy Reference"));
  copied = read_clipboard (gtk_widget_get_clipboard (dialog));
  g_assert_cmpstr (copied, ==, expected_reference);
  g_clear_pointer (&copied, g_free);

  /* The environment snippet holds references by default: a pasted .env holds no secret. */
  env_kind = ADW_COMBO_ROW (astra_test_ui_find (dialog, ADW_TYPE_COMBO_ROW,
                                                "Environment Snippet Holds"));
  g_assert_nonnull (env_kind);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (env_kind)));
  g_assert_cmpuint (adw_combo_row_get_selected (env_kind), ==, 0);
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.copy-environment", NULL));
  copied = read_clipboard (gtk_widget_get_clipboard (dialog));
  g_assert_cmpstr (copied, ==, expected_snippet);
  g_assert_null (strstr (copied, "AstraCS:"));
  g_assert_null (strstr (copied, astra_generated_token_get_secret (token)));
  g_clear_pointer (&copied, g_free);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 580, 900);
  astra_test_ui_spin (300);
  g_free (astra_test_ui_screenshot (dialog, "new-token-references.png"));

  /* "Values" gives the secrets themselves. */
  adw_combo_row_set_selected (env_kind, 1);
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.copy-environment", NULL));
  copied = read_clipboard (gtk_widget_get_clipboard (dialog));
  g_assert_nonnull (strstr (copied, "ASTRA_DB_APPLICATION_TOKEN="));
  g_assert_nonnull (strstr (copied, astra_generated_token_get_token (token)));
  g_assert_nonnull (strstr (copied, astra_generated_token_get_secret (token)));
  g_assert_null (strstr (copied, "astra://"));
  astra_clipboard_clear_secret ();

  /* The keyring holds all three values. */
  stored = lookup_generated (fixture, astra_generated_token_get_client_id (token), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (astra_generated_token_get_secret (stored), ==,
                   astra_generated_token_get_secret (token));
  g_assert_cmpstr (astra_generated_token_get_token (stored), ==,
                   astra_generated_token_get_token (token));

  /* Exporting the listed token picks the portal format, since its secret is in the
   * keyring, and the file reads back byte-exact. */
  tokens = list_tokens (fixture->client);
  listed = find_token (tokens, astra_generated_token_get_client_id (token));
  g_assert_nonnull (listed);
  selection = g_list_store_new (ASTRA_TYPE_TOKEN);
  g_list_store_append (selection, listed);
  dir = g_dir_make_tmp ("astra-export-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_file_new_build_filename (dir, "GeneratedToken.csv", NULL);
  astra_export_tokens_to_file_async (fixture->store, fixture->connection,
                                     G_LIST_MODEL (selection), ASTRA_EXPORT_FORMAT_AUTO, file,
                                     NULL, store_result_cb, &result);
  WAIT_RESULT (result);
  g_assert_true (astra_export_tokens_to_file_finish (result, &format, &error));
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, ASTRA_EXPORT_FORMAT_PORTAL);
  parsed = read_portal_file (file);
  g_assert_cmpuint (g_list_model_get_n_items (parsed), ==, 1);
  row = g_list_model_get_item (parsed, 0);
  g_assert_cmpstr (astra_generated_token_get_client_id (row), ==,
                   astra_generated_token_get_client_id (token));
  g_assert_cmpstr (astra_generated_token_get_secret (row), ==,
                   astra_generated_token_get_secret (token));
  g_assert_cmpstr (astra_generated_token_get_token (row), ==,
                   astra_generated_token_get_token (token));
  g_assert_cmpstr (astra_generated_token_get_role_names (row)[0], ==, "RO Svc Acct");

  /* Done closes without a question: the secret is in the keyring. */
  g_assert_true (gtk_widget_activate_action (dialog, "window.close", NULL));
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == NULL, 5000);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_file_delete (file, NULL, NULL);
  g_rmdir (dir);
}

static void
test_export_inventory_without_secrets (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *minted = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  AstraExportFormat format;

  /* A token made elsewhere: its secret is not in this keyring. */
  minted = astra_sim_server_mint_token (fixture->sim, "RO Svc Acct", "=made in the portal", &error);
  g_assert_no_error (error);
  tokens = list_tokens (fixture->client);
  g_assert_cmpuint (g_list_model_get_n_items (tokens), >, 0);

  dir = g_dir_make_tmp ("astra-export-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_file_new_build_filename (dir, "inventory.csv", NULL);
  astra_export_tokens_to_file_async (fixture->store, fixture->connection, tokens,
                                     ASTRA_EXPORT_FORMAT_AUTO, file, NULL, store_result_cb,
                                     &result);
  WAIT_RESULT (result);
  g_assert_true (astra_export_tokens_to_file_finish (result, &format, &error));
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, ASTRA_EXPORT_FORMAT_INVENTORY);

  path = g_file_get_path (file);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (contents, "AstraCS:"));
  g_assert_null (strstr (contents, "Client Secret"));
  g_assert_nonnull (strstr (contents, "'=made in the portal"));

  /* Asking for the portal format anyway fails instead of writing a partial file. */
  g_clear_object (&result);
  g_file_delete (file, NULL, NULL);
  astra_export_tokens_to_file_async (fixture->store, fixture->connection, tokens,
                                     ASTRA_EXPORT_FORMAT_PORTAL, file, NULL, store_result_cb,
                                     &result);
  WAIT_RESULT (result);
  g_assert_false (astra_export_tokens_to_file_finish (result, NULL, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_query_exists (file, NULL));

  g_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* Closing an unsecured token asks first                                                      */

static void
test_close_confirmation (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) parsed = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  AdwMessageDialog *question;
  GtkWidget *dialog;

  token = generate_token (fixture, "RO Svc Acct", "not kept", FALSE, NULL, NULL);
  dialog = GTK_WIDGET (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG));
  g_assert_nonnull (astra_test_ui_find (dialog, ADW_TYPE_ACTION_ROW,
                                        "Not saved — export or copy it now"));
  g_assert_false (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)));

  /* Not in the keyring: no reference would resolve, so none is offered; the snippet
   * holds the values. */
  g_assert_false (gtk_widget_is_sensitive (find_button (dialog, "Copy Reference")));
  g_assert_false (gtk_widget_get_sensitive (astra_test_ui_find (dialog, ADW_TYPE_COMBO_ROW,
                                                                "Environment Snippet Holds")));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (astra_test_ui_find (dialog,
                    ADW_TYPE_COMBO_ROW, "Environment Snippet Holds"))), ==, 1);
  g_assert_cmpstr (row_subtitle (dialog, "Copy Reference"), ==,
                   "Available once the token is saved to the keyring");

  /* Closing asks; the default answer keeps the dialog open. */
  gtk_window_close (GTK_WINDOW (dialog));
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 5000);
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "never shows this secret"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (question), ==, "cancel");
  click (find_button (GTK_WIDGET (question), "Keep Open"));
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL, 5000);
  g_assert_true (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == GTK_WINDOW (dialog));
  g_assert_nonnull (astra_new_token_dialog_get_token (ASTRA_NEW_TOKEN_DIALOG (dialog)));

  /* Exported: secured, so it closes without asking. */
  dir = g_dir_make_tmp ("astra-export-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_file_new_build_filename (dir, "GeneratedToken.csv", NULL);
  astra_new_token_dialog_export_to_file_async (ASTRA_NEW_TOKEN_DIALOG (dialog), file, NULL,
                                               store_result_cb, &result);
  WAIT_RESULT (result);
  g_assert_true (astra_new_token_dialog_export_to_file_finish (ASTRA_NEW_TOKEN_DIALOG (dialog),
                                                               result, &error));
  g_assert_no_error (error);
  g_assert_true (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)));
  parsed = read_portal_file (file);
  g_assert_cmpuint (g_list_model_get_n_items (parsed), ==, 1);

  gtk_window_close (GTK_WINDOW (dialog));
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == NULL, 5000);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_file_delete (file, NULL, NULL);
  g_rmdir (dir);
}

static void
test_close_confirmed_discards (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  AdwMessageDialog *question;
  GtkWidget *dialog;

  token = generate_token (fixture, "RO Svc Acct", "thrown away", FALSE, NULL, NULL);
  dialog = GTK_WIDGET (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG));
  /* Reveal, then close anyway: the rows are emptied and the token let go. */
  click (find_button (dialog, "Show Client Secret"));
  g_object_ref (dialog);
  g_assert_true (gtk_widget_activate_action (dialog, "window.close", NULL));
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 5000);
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  click (find_button (GTK_WIDGET (question), "Close and Lose the Secret"));
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == NULL, 5000);
  g_assert_null (astra_new_token_dialog_get_token (ASTRA_NEW_TOKEN_DIALOG (dialog)));
  g_assert_cmpstr (row_subtitle (dialog, "Client Secret"), ==, "");
  g_object_unref (dialog);
}


static void
test_new_token_unmasked_setting (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autoptr(AstraGeneratedToken) token = NULL;
  AstraNewTokenDialog *dialog;

  token = astra_generated_token_new ("ABCDEFGHIJKLMNOPQRSTUVWX", "s3cr3t,with+comma",
                                     "AstraCS:ABCDEFGHIJKLMNOPQRSTUVWX:"
                                     "0000000000000000000000000000000000000000000000000000000000000000");
  g_settings_set_boolean (settings, "mask-secrets", FALSE);
  dialog = astra_new_token_dialog_new (fixture->parent, fixture->store, fixture->connection,
                                       token, FALSE);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (dialog), "Client Secret"), ==, "s3cr3t,with+comma");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
      find_button (GTK_WIDGET (dialog), "Show Client Secret"))));
  /* Hiding again works as with the default. */
  click (find_button (GTK_WIDGET (dialog), "Show Client Secret"));
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (dialog), "Client Secret"), !=, "s3cr3t,with+comma");
  g_settings_reset (settings, "mask-secrets");
}

/* ------------------------------------------------------------------------------------------ */
/* A lost answer is reported, not retried                                                     */

static const char *
banner_text (GtkWidget *dialog)
{
  GtkWidget *revealer = astra_test_ui_find (dialog, GTK_TYPE_REVEALER, NULL);

  if (!gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)))
    return "";
  return gtk_label_get_text (GTK_LABEL (astra_test_ui_find (revealer, GTK_TYPE_LABEL, NULL)));
}

/* The server may have created the token and its answer never arrived whole (a connection
 * lost after the request, a gateway's 5xx): the dialog says the token may exist, keeps
 * Generate off (another try would make a second token) until the list was checked, finds
 * the token and offers to revoke it, its secret being lost. Without a token, Generate is
 * back. */
static void
test_generate_lost_answer (Fixture       *fixture,
                           gconstpointer  data)
{
  const struct { const char *fault; gboolean created; } cases[] = {
    { "POST:/v2/clientIdSecrets=drop-after*1", TRUE },
    { "POST:/v2/clientIdSecrets=after/502*1", TRUE },
    { "POST:/v2/clientIdSecrets=503*1", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      AstraGenerateDialog *dialog;
      GtkWidget *description;
      guint before = astra_sim_server_get_token_count (fixture->sim);
      char *revoked = NULL;

      astra_sim_server_add_fault (fixture->sim, cases[i].fault, &error);
      g_assert_no_error (error);

      dialog = astra_generate_dialog_new (fixture->parent, fixture->client, fixture->store,
                                          fixture->connection, fixture->roles);
      g_signal_connect (dialog, "token-revoked", G_CALLBACK (on_token_revoked_cb), &revoked);
      gtk_window_present (GTK_WINDOW (dialog));
      check_role (GTK_WIDGET (dialog), "RO Svc Acct");
      description = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Description");
      gtk_editable_set_text (GTK_EDITABLE (description), "lost");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.generate", NULL));

      ASTRA_TEST_UI_WAIT (*banner_text (GTK_WIDGET (dialog)) != '\0', 30000);
      g_assert_nonnull (strstr (banner_text (GTK_WIDGET (dialog)), "may have been created"));
      g_assert_null (strstr (banner_text (GTK_WIDGET (dialog)), "Try again later"));
      g_assert_null (strstr (banner_text (GTK_WIDGET (dialog)), "<"));

      /* Nothing is lost from the form, no new-token dialog, exactly one POST, and no
       * second one until the list was checked. */
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (description)), ==, "lost");
      g_assert_null (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG));
      g_assert_cmpuint (astra_sim_server_get_token_count (fixture->sim), ==, before + cases[i].created);
      g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (dialog), "Generate")));
      g_assert_true (gtk_widget_get_mapped (find_button (GTK_WIDGET (dialog), "Check Token List")));
      if (i == 1)
        {
          gtk_window_set_default_size (GTK_WINDOW (dialog), 580, 680);
          astra_test_ui_spin (300);
          g_free (astra_test_ui_screenshot (GTK_WIDGET (dialog), "generate-error.png"));
        }

      click (find_button (GTK_WIDGET (dialog), "Check Token List"));
      if (cases[i].created)
        {
          ASTRA_TEST_UI_WAIT (strstr (banner_text (GTK_WIDGET (dialog)), "was created") != NULL, 30000);
          g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (dialog), "Generate")));
          click (find_button (GTK_WIDGET (dialog), "Revoke Lost Token"));
          ASTRA_TEST_UI_WAIT (strstr (banner_text (GTK_WIDGET (dialog)), "was revoked") != NULL, 30000);
          g_assert_nonnull (revoked);
        }
      else
        ASTRA_TEST_UI_WAIT (strstr (banner_text (GTK_WIDGET (dialog)), "No token was created") != NULL, 30000);

      g_assert_cmpuint (astra_sim_server_get_token_count (fixture->sim), ==, before);
      g_assert_true (gtk_widget_get_sensitive (find_button (GTK_WIDGET (dialog), "Generate")));
      g_free (revoked);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Rotation                                                                                   */

static void
test_rotate (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *minted = NULL;
  g_autofree char *revoked = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GListModel) after = NULL;
  g_autoptr(AstraToken) old = NULL;
  g_autoptr(AstraToken) gone = NULL;
  g_autoptr(AstraToken) created = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(AstraRole) role = find_role_by_name (fixture->roles, "R/W Svc Acct");
  const char *client_id;

  g_assert_nonnull (role);
  minted = astra_sim_server_mint_token (fixture->sim, "R/W Svc Acct", "rotate me", &error);
  g_assert_no_error (error);
  tokens = list_tokens (fixture->client);
  /* The minted token's client id is its second segment. */
  client_id = minted + strlen ("AstraCS:");
  {
    g_autofree char *id = g_strndup (client_id, strchr (client_id, ':') - client_id);
    old = find_token (tokens, id);
  }
  g_assert_nonnull (old);

  /* Same roles and description; the old token goes once the new one is in the keyring. */
  token = generate_token (fixture, NULL, NULL, TRUE, old, &revoked);
  g_assert_cmpstr (astra_generated_token_get_description (token), ==, "rotate me");
  g_assert_cmpstr (astra_generated_token_get_role_ids (token)[0], ==, astra_role_get_id (role));
  ASTRA_TEST_UI_WAIT (revoked != NULL, 20000);
  g_assert_cmpstr (revoked, ==, astra_token_get_client_id (old));

  after = list_tokens (fixture->client);
  gone = find_token (after, astra_token_get_client_id (old));
  g_assert_null (gone);
  created = find_token (after, astra_generated_token_get_client_id (token));
  g_assert_nonnull (created);
}

static void
test_rotate_unsecured_keeps_old (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *minted = NULL;
  g_autofree char *revoked = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GListModel) after = NULL;
  g_autoptr(AstraToken) old = NULL;
  g_autoptr(AstraToken) still = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  AdwMessageDialog *question;
  const char *client_id;

  minted = astra_sim_server_mint_token (fixture->sim, "RO Svc Acct", "keep me", &error);
  g_assert_no_error (error);
  client_id = minted + strlen ("AstraCS:");
  id = g_strndup (client_id, strchr (client_id, ':') - client_id);
  tokens = list_tokens (fixture->client);
  old = find_token (tokens, id);
  g_assert_nonnull (old);

  token = generate_token (fixture, NULL, NULL, FALSE, old, &revoked);
  gtk_window_close (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG));
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 5000);
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  click (find_button (GTK_WIDGET (question), "Close and Lose the Secret"));
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == NULL, 5000);
  astra_test_ui_spin (200);

  g_assert_null (revoked);
  after = list_tokens (fixture->client);
  still = find_token (after, id);
  g_assert_nonnull (still);
}

/* ------------------------------------------------------------------------------------------ */
/* Role editor                                                                                */

static void
on_role_saved_cb (AstraRoleEditorDialog  *dialog,
                  AstraRole              *role,
                  AstraRole             **out)
{
  g_set_object (out, role);
}

static void             choose      (GtkWidget  *root,
                                    const char *title);

static GListModel *
list_databases (AstraClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *databases;

  astra_client_list_databases_async (client, NULL, store_result_cb, &result);
  WAIT_RESULT (result);
  databases = astra_client_list_databases_finish (client, result, &error);
  g_assert_no_error (error);

  return databases;
}

/* The database list of a role editor, once it has loaded. */
static GtkListBox *
wait_for_database_list (AstraRoleEditorDialog *dialog)
{
  GtkWidget *list = astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_LIST_BOX, "Databases");

  g_assert_nonnull (list);
  ASTRA_TEST_UI_WAIT (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0) != NULL, 20000);
  return GTK_LIST_BOX (list);
}

static AstraRoleEditorDialog *
open_role_editor (Fixture     *fixture,
                  AstraRole   *role,
                  AstraRole  **saved)
{
  AstraRoleEditorDialog *dialog;

  dialog = astra_role_editor_dialog_new (fixture->parent, fixture->client, fixture->connection,
                                         role);
  g_signal_connect (dialog, "role-saved", G_CALLBACK (on_role_saved_cb), saved);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  wait_for_database_list (dialog);
  return dialog;
}

static void
test_role_editor_creates_scoped_role (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(AstraRole) saved = NULL;
  g_autoptr(AstraRole) edited = NULL;
  g_autoptr(AstraRole) listed = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(AstraDatabase) database = NULL;
  g_autofree char *org_drn = NULL;
  g_autofree char *db_drn = NULL;
  g_autoptr(GListModel) databases = NULL;
  g_autoptr(AstraDatabase) first = NULL;
  AstraRoleEditorDialog *dialog;
  GtkWidget *row;
  const char *org_id = astra_sim_server_get_org_id (fixture->sim);
  const char * const *resources;
  const char * const *actions;
  GtkWidget *revealer;

  dialog = open_role_editor (fixture, NULL, &saved);
  databases = list_databases (fixture->client);
  g_assert_cmpuint (g_list_model_get_n_items (databases), >=, 2);
  database = g_list_model_get_item (databases, g_list_model_get_n_items (databases) - 1);
  first = g_list_model_get_item (databases, 0);

  /* Every database is a radio choice named after it; the first one is preselected. */
  for (guint i = 0; i < g_list_model_get_n_items (databases); i++)
    {
      g_autoptr(AstraDatabase) each = g_list_model_get_item (databases, i);
      GtkCheckButton *check = astra_test_ui_find_choice (GTK_WIDGET (dialog), astra_database_get_name (each));

      gtk_test_accessible_assert_property (check, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           astra_database_get_name (each));
      g_assert_true (gtk_check_button_get_active (check) == (i == 0));
    }
  g_assert_nonnull (strstr (row_subtitle (GTK_WIDGET (dialog), astra_database_get_name (first)),
                            astra_database_get_id (first)));
  /* Three databases: no search. */
  g_assert_false (gtk_widget_get_visible (astra_test_ui_find (GTK_WIDGET (dialog),
                                                              GTK_TYPE_SEARCH_ENTRY,
                                                              "Search databases")));
  g_assert_true (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "Read Only")));

  /* Save needs a name. */
  g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (dialog), "Save")));

  choose (GTK_WIDGET (dialog), astra_database_get_name (database));
  g_assert_false (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog),
                                                            astra_database_get_name (first))));
  gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                                           "Name")), "Orders writer");
  gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                                           "Description")), "Writes orders");
  choose (GTK_WIDGET (dialog), "Read and Write");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (
      astra_test_ui_find (astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW,
                                              "Write table data"),
                          GTK_TYPE_CHECK_BUTTON, NULL))));
  /* Then adjusted by hand: the preset shows Custom. */
  row = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, "Create tables");
  g_assert_nonnull (row);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (astra_test_ui_find (row, GTK_TYPE_CHECK_BUTTON,
                                                                     NULL)), TRUE);
  g_assert_true (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "Custom")));
  g_assert_false (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "Read and Write")));
  /* And back: the preset is recognised again. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (astra_test_ui_find (row, GTK_TYPE_CHECK_BUTTON,
                                                                     NULL)), FALSE);
  g_assert_true (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "Read and Write")));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (astra_test_ui_find (row, GTK_TYPE_CHECK_BUTTON,
                                                                     NULL)), TRUE);
  screenshots (GTK_WINDOW (dialog), "role-editor", 580, 720);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL));
  ASTRA_TEST_UI_WAIT (saved != NULL, 20000);

  /* What the simulator now reports for the role. */
  roles = list_roles (fixture->client);
  listed = find_role_by_name (roles, "Orders writer");
  g_assert_nonnull (listed);
  g_assert_false (astra_role_is_builtin (listed));
  g_assert_cmpstr (astra_role_get_description (listed), ==, "Writes orders");
  resources = astra_role_get_resources (listed);
  org_drn = g_strdup_printf ("drn:astra:org:%s", org_id);
  db_drn = g_strdup_printf ("%s:db:%s", org_drn, astra_database_get_id (database));
  g_assert_true (g_strv_contains (resources, org_drn));
  g_assert_true (g_strv_contains (resources, db_drn));
  {
    g_autofree char *ks = g_strdup_printf ("%s:keyspace:*", db_drn);
    g_autofree char *table = g_strdup_printf ("%s:keyspace:*:table:*", db_drn);
    g_assert_true (g_strv_contains (resources, ks));
    g_assert_true (g_strv_contains (resources, table));
  }
  g_assert_cmpuint (g_strv_length ((char **) resources), ==, 4);
  actions = astra_role_get_actions (listed);
  g_assert_true (g_strv_contains (actions, "org-db-view"));
  g_assert_true (g_strv_contains (actions, "db-table-select"));
  g_assert_true (g_strv_contains (actions, "db-table-modify"));
  g_assert_true (g_strv_contains (actions, "db-table-create"));
  g_assert_false (g_strv_contains (actions, "org-db-terminate"));

  /* Editing pre-fills from the role, including its database. */
  dialog = open_role_editor (fixture, listed, &edited);
  g_assert_true (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog),
                                                           astra_database_get_name (database))));
  g_assert_false (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog),
                                                            astra_database_get_name (first))));
  g_assert_true (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "Custom")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog),
                                                                            ADW_TYPE_ENTRY_ROW,
                                                                            "Name"))),
                   ==, "Orders writer");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (
      astra_test_ui_find (astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW,
                                              "Create tables"),
                          GTK_TYPE_CHECK_BUTTON, NULL))));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A second role with the same name: the API's 409 is shown inside the dialog. */
  g_clear_object (&saved);
  dialog = open_role_editor (fixture, NULL, &saved);
  gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                                           "Name")), "Orders writer");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL));
  revealer = astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_REVEALER, NULL);
  ASTRA_TEST_UI_WAIT (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), 20000);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (astra_test_ui_find (revealer,
                                                                              GTK_TYPE_LABEL,
                                                                              NULL))),
                            "already exists"));
  g_assert_null (saved);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
}



static guint
count_shown_rows (GtkListBox *list)
{
  GtkListBoxRow *row;
  guint n = 0;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    n += gtk_widget_get_child_visible (GTK_WIDGET (row));

  return n;
}

static void
test_role_editor_many_databases (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(AstraSimServer) sim = astra_sim_server_new ();
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(GListModel) databases = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(AstraDatabase) target = NULL;
  g_autoptr(AstraRole) saved = NULL;
  g_autoptr(AstraRole) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_drn = NULL;
  AstraRoleEditorDialog *dialog;
  GtkListBox *list;
  GtkWidget *search;
  guint n;

  /* More databases than one page of GET /v2/databases holds (25). */
  astra_sim_server_set_seed (sim, 0, 40);
  astra_sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);
  client = astra_client_new (astra_sim_server_get_base_url (sim),
                             astra_sim_server_get_admin_token (sim), &error);
  g_assert_no_error (error);
  connection = astra_connection_new (astra_sim_server_get_org_id (sim),
                                     astra_sim_server_get_org_name (sim),
                                     ASTRA_ENVIRONMENT_CUSTOM,
                                     astra_sim_server_get_base_url (sim));
  databases = list_databases (client);
  n = g_list_model_get_n_items (databases);
  g_assert_cmpuint (n, >, 25);
  target = g_list_model_get_item (databases, n - 1);

  dialog = astra_role_editor_dialog_new (fixture->parent, client, connection, NULL);
  g_signal_connect (dialog, "role-saved", G_CALLBACK (on_role_saved_cb), &saved);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  list = wait_for_database_list (dialog);
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, n - 1));
  g_assert_null (gtk_list_box_get_row_at_index (list, n));

  /* Many: a search narrows the list; the chosen database stays in it. */
  search = astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_SEARCH_ENTRY, "Search databases");
  g_assert_true (gtk_widget_get_visible (search));
  g_assert_cmpuint (count_shown_rows (list), ==, n);
  screenshots (GTK_WINDOW (dialog), "role-editor-many", 580, 720);
  gtk_editable_set_text (GTK_EDITABLE (search), astra_database_get_name (target));
  ASTRA_TEST_UI_WAIT (count_shown_rows (list) < n, 5000);
  g_assert_cmpuint (count_shown_rows (list), ==, 2);
  astra_test_ui_spin (200);
  screenshots (GTK_WINDOW (dialog), "role-editor-search", 580, 720);
  choose (GTK_WIDGET (dialog), astra_database_get_name (target));
  gtk_editable_set_text (GTK_EDITABLE (search), "no such database");
  ASTRA_TEST_UI_WAIT (count_shown_rows (list) == 1, 5000);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  ASTRA_TEST_UI_WAIT (count_shown_rows (list) == n, 5000);

  gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                                           "Name")), "Last page reader");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL));
  ASTRA_TEST_UI_WAIT (saved != NULL, 20000);

  roles = list_roles (client);
  listed = find_role_by_name (roles, "Last page reader");
  g_assert_nonnull (listed);
  db_drn = g_strdup_printf ("drn:astra:org:%s:db:%s", astra_sim_server_get_org_id (sim),
                            astra_database_get_id (target));
  g_assert_true (g_strv_contains (astra_role_get_resources (listed), db_drn));

  astra_sim_server_disconnect (sim);
}

static void
test_role_editor_errors_inline (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraRole) saved = NULL;
  AstraRoleEditorDialog *dialog;
  GtkWidget *status;
  GtkWidget *revealer;
  const char *text;

  /* The database list fails (every attempt): the row says so and offers Retry. */
  astra_sim_server_add_fault (fixture->sim, "GET:/v2/databases=503", &error);
  g_assert_no_error (error);
  dialog = astra_role_editor_dialog_new (fixture->parent, fixture->client, fixture->connection,
                                         NULL);
  g_signal_connect (dialog, "role-saved", G_CALLBACK (on_role_saved_cb), &saved);
  gtk_window_present (GTK_WINDOW (dialog));
  ASTRA_TEST_UI_WAIT (astra_test_ui_find_mapped (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW,
                                                 "Could not load the databases") != NULL, 20000);
  status = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW,
                               "Could not load the databases");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status)), !=, "");
  gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                                           "Name")), "Needs a database");
  g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (dialog), "Save")));

  /* Retry once the server is well again. */
  astra_sim_server_clear_faults (fixture->sim);
  click (find_button (GTK_WIDGET (dialog), "Retry"));
  ASTRA_TEST_UI_WAIT (gtk_widget_get_sensitive (find_button (GTK_WIDGET (dialog), "Save")), 20000);
  g_assert_false (gtk_widget_get_visible (status));

  /* A plain-text error body from the API is shown as it is, inside the dialog. */
  astra_sim_server_add_fault (fixture->sim, "POST:/v2/organizations/roles=text*1", &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL));
  revealer = astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_REVEALER, NULL);
  ASTRA_TEST_UI_WAIT (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), 20000);
  text = gtk_label_get_text (GTK_LABEL (astra_test_ui_find (revealer, GTK_TYPE_LABEL, NULL)));
  g_test_message ("shown: %s", text);
  g_assert_true (g_str_has_prefix (text, "Could not save the role: "));
  g_assert_null (saved);
  /* Nothing typed is lost. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog),
                                                                            ADW_TYPE_ENTRY_ROW,
                                                                            "Name"))),
                   ==, "Needs a database");
}

/* ------------------------------------------------------------------------------------------ */
/* The interactive export: warnings, format choice, file chooser, toast                       */

static GtkWidget *
wait_for_file_chooser (void)
{
  /* Without a portal, GtkFileChooserNative shows an in-process GtkFileChooserDialog. */
  ASTRA_TEST_UI_WAIT (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL, 10000);
  return GTK_WIDGET (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
}

/* The chooser asks where to save, names the contents and proposes @name. It is cancelled
 * here: accepting a GtkFileChooserDialog programmatically is unreliable in GTK 4.8 (it
 * checks the folder asynchronously and may resolve the name against another folder), and
 * writing is covered through astra_export_tokens_to_file_async() and the new-token
 * dialog's export_to_file. */
static void
check_and_cancel_chooser (GtkWidget  *chooser,
                          const char *title_part,
                          const char *name)
{
  g_autofree char *current = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));

  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (chooser)), title_part));
  g_assert_cmpstr (current, ==, name);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SAVE);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  /* Gone, not just hidden: the export code destroys it once the answer is handled. */
  ASTRA_TEST_UI_WAIT (!toplevel_exists (GTK_TYPE_FILE_CHOOSER_DIALOG), 5000);
}

/* Answers the chooser with @path, as a person typing a full path in the name field and
 * pressing Export does. (Setting the folder instead is unreliable in GTK 4.8: it loads it
 * asynchronously and may resolve the name against another folder meanwhile.) */
static void
accept_chooser (GtkWidget  *chooser,
                const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), path);
  ASTRA_TEST_UI_WAIT (({ g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
                         chosen != NULL && g_file_equal (chosen, file); }), 10000);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  ASTRA_TEST_UI_WAIT (!toplevel_exists (GTK_TYPE_FILE_CHOOSER_DIALOG), 5000);
}

/* The encrypt dialog comes first in every export with secrets: picks @choice and, for a
 * passphrase, types one twice, then presses Export. */
static void
choose_protection (const char *choice)
{
  GtkWidget *dialog;
  GtkCheckButton *check;

  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_ENCRYPT_DIALOG) != NULL, 10000);
  dialog = GTK_WIDGET (find_toplevel (ASTRA_TYPE_ENCRYPT_DIALOG));
  /* This GnuPG home has no key: once listed, encryption for people cannot be chosen. */
  ASTRA_TEST_UI_WAIT (gtk_check_button_get_active (astra_test_ui_find_choice (dialog, "Without Encryption")),
                      10000);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (astra_test_ui_find_choice (dialog, "Encrypt for People"))));
  check = astra_test_ui_find_choice (dialog, choice);
  gtk_widget_activate (GTK_WIDGET (check));
  g_assert_true (gtk_check_button_get_active (check));
  if (g_str_equal (choice, "Encrypt With a Passphrase"))
    {
      gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find_mapped (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, "Passphrase")),
                             "four unrelated words here");
      gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find_mapped (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, "Repeat Passphrase")),
                             "four unrelated words here");
    }
  click (astra_test_ui_find (dialog, GTK_TYPE_BUTTON, "Export…"));
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_ENCRYPT_DIALOG) == NULL, 5000);
}

static void
test_export_dialog_flow (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(AstraToken) listed = NULL;
  g_autoptr(GListStore) selection = NULL;
  g_autoptr(GListModel) parsed = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *minted = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  AdwMessageDialog *question;
  GtkWidget *chooser;
  GtkWidget *dialog;

  token = generate_token (fixture, "RO Svc Acct", "exported", TRUE, NULL, NULL);
  dialog = GTK_WIDGET (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG));
  ASTRA_TEST_UI_WAIT (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)), 20000);
  gtk_window_close (GTK_WINDOW (dialog));
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == NULL, 5000);

  tokens = list_tokens (fixture->client);
  listed = find_token (tokens, astra_generated_token_get_client_id (token));
  selection = g_list_store_new (ASTRA_TYPE_TOKEN);
  g_list_store_append (selection, listed);
  dir = g_dir_make_tmp ("astra-export-XXXXXX", &error);
  g_assert_no_error (error);

  /* Every secret is in the keyring: how to protect them first; without encryption, the
   * warning, whose default is Cancel. */
  astra_export_tokens (fixture->parent, fixture->store, fixture->connection,
                       G_LIST_MODEL (selection));
  choose_protection ("Without Encryption");
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 10000);
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "unencrypted"));
  click (find_button (GTK_WIDGET (question), "Cancel"));
  astra_test_ui_spin (300);
  g_assert_null (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));

  /* Encrypted with a passphrase: no warning, a chooser proposing GeneratedToken.csv.gpg. */
  astra_export_tokens (fixture->parent, fixture->store, fixture->connection,
                       G_LIST_MODEL (selection));
  choose_protection ("Encrypt With a Passphrase");
  chooser = wait_for_file_chooser ();
  check_and_cancel_chooser (chooser, "Encrypted", "GeneratedToken.csv.gpg");
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  /* Export With Secrets → a chooser that names the contents, proposing the portal's name. */
  astra_export_tokens (fixture->parent, fixture->store, fixture->connection,
                       G_LIST_MODEL (selection));
  choose_protection ("Without Encryption");
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 10000);
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  click (find_button (GTK_WIDGET (question), "Export With Secrets"));
  chooser = wait_for_file_chooser ();
  check_and_cancel_chooser (chooser, "With Secrets", "GeneratedToken.csv");
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  /* A token from elsewhere in the selection: the dialog says an inventory is all it can be. */
  minted = astra_sim_server_mint_token (fixture->sim, "RO Svc Acct", "from the portal", &error);
  g_assert_no_error (error);
  g_clear_object (&tokens);
  tokens = list_tokens (fixture->client);
  astra_export_tokens (fixture->parent, fixture->store, fixture->connection, tokens);
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 10000);
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "inventory without secrets"));
  click (find_button (GTK_WIDGET (question), "Export Inventory"));
  chooser = wait_for_file_chooser ();
  check_and_cancel_chooser (chooser, "No Secrets", "astra-token-inventory.csv");

  /* The same, answered: the inventory is written, lists both tokens and holds no secret. */
  path = g_build_filename (dir, "inventory.csv", NULL);
  astra_export_tokens (fixture->parent, fixture->store, fixture->connection, tokens);
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 10000);
  click (find_button (GTK_WIDGET (find_toplevel (ADW_TYPE_MESSAGE_DIALOG)), "Export Inventory"));
  accept_chooser (wait_for_file_chooser (), path);
  ASTRA_TEST_UI_WAIT (g_file_test (path, G_FILE_TEST_EXISTS), 10000);
  astra_test_ui_spin (200);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\"Client Id\",\"Description\",\"Roles\""));
  g_assert_nonnull (strstr (contents, astra_generated_token_get_client_id (token)));
  g_assert_null (strstr (contents, "AstraCS:"));
  g_assert_null (strstr (contents, astra_generated_token_get_secret (token)));
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_rmdir (dir);
}

static void
test_new_token_export_action (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GListModel) parsed = NULL;
  g_autoptr(AstraGeneratedToken) row = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  AdwMessageDialog *question;
  GtkWidget *dialog;
  GtkWidget *chooser;

  token = generate_token (fixture, "RO Svc Acct", "by file", FALSE, NULL, NULL);
  dialog = GTK_WIDGET (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG));
  dir = g_dir_make_tmp ("astra-export-XXXXXX", &error);
  g_assert_no_error (error);

  /* "Export CSV…": the encrypt dialog; without encryption, the unencrypted-file warning,
   * then the chooser. */
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.export", NULL));
  choose_protection ("Without Encryption");
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 10000);
  question = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "cancel");
  click (find_button (GTK_WIDGET (question), "Export With Secrets"));
  chooser = wait_for_file_chooser ();
  check_and_cancel_chooser (chooser, "With Secret", "GeneratedToken.csv");
  g_assert_false (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)));

  /* What Export does once a file is chosen. */
  file = g_file_new_build_filename (dir, "GeneratedToken.csv", NULL);
  astra_new_token_dialog_export_to_file_async (ASTRA_NEW_TOKEN_DIALOG (dialog), file, NULL,
                                               store_result_cb, &result);
  WAIT_RESULT (result);
  g_assert_true (astra_new_token_dialog_export_to_file_finish (ASTRA_NEW_TOKEN_DIALOG (dialog),
                                                               result, &error));
  g_assert_true (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)));
  parsed = read_portal_file (file);
  row = g_list_model_get_item (parsed, 0);
  g_assert_cmpstr (astra_generated_token_get_secret (row), ==,
                   astra_generated_token_get_secret (token));

  /* Secured by the file: Done closes without a question. */
  gtk_window_close (GTK_WINDOW (dialog));
  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == NULL, 5000);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_file_delete (file, NULL, NULL);
  g_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* Expiry                                                                                     */


/* Activates the row @title, as a click or Enter on it does. */
static void
choose (GtkWidget  *root,
        const char *title)
{
  GtkCheckButton *check = astra_test_ui_find_choice (root, title);

  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (check)));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (check)));
  g_assert_true (gtk_check_button_get_active (check));
}

static gboolean
day_is (GDateTime *when,
        GDateTime *day)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (when);

  return g_date_time_get_year (local) == g_date_time_get_year (day) &&
         g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (day);
}

static void
test_generate_expiry_date (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 45);
  g_autoptr(GDateTime) latest = g_date_time_add_days (now, 60);
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(AstraToken) listed = NULL;
  g_autofree char *typed = g_date_time_format (latest, "%Y-%m-%d");
  const char *choices[] = { "Never", "In 30 days", "In 90 days", "In 365 days", "On a date" };
  AstraGenerateDialog *dialog;
  GtkWidget *generate;
  GtkWidget *date_row;
  GtkCalendar *calendar;
  GDateTime *expires;

  dialog = astra_generate_dialog_new (fixture->parent, fixture->client, fixture->store,
                                      fixture->connection, fixture->roles);
  g_signal_connect (dialog, "token-generated", G_CALLBACK (on_token_generated_cb), &token);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  check_role (GTK_WIDGET (dialog), "RO Svc Acct");
  generate = find_button (GTK_WIDGET (dialog), "Generate");
  date_row = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Expiry Date");
  g_assert_nonnull (date_row);

  /* Five radio choices, each named after its row; default-expiry-days 0 picks Never. */
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      GtkCheckButton *check = astra_test_ui_find_choice (GTK_WIDGET (dialog), choices[i]);

      gtk_test_accessible_assert_property (check, GTK_ACCESSIBLE_PROPERTY_LABEL, choices[i]);
      g_assert_true (gtk_check_button_get_active (check) == (i == 0));
    }
  g_assert_false (gtk_widget_get_visible (date_row));
  g_assert_true (g_str_has_prefix (row_subtitle (GTK_WIDGET (dialog), "In 30 days"), "Until "));
  /* The subtitle is read out too, and follows changes. */
  gtk_test_accessible_assert_property (astra_test_ui_find_choice (GTK_WIDGET (dialog), "In 30 days"),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       row_subtitle (GTK_WIDGET (dialog), "In 30 days"));

  choose (GTK_WIDGET (dialog), "On a date");
  g_assert_false (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "Never")));
  g_assert_true (gtk_widget_get_visible (date_row));

  /* The calendar, for a pointer. */
  calendar = GTK_CALENDAR (astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_CALENDAR, NULL));
  gtk_calendar_select_day (calendar, yesterday);
  g_assert_false (gtk_widget_get_sensitive (generate));
  g_assert_true (gtk_widget_has_css_class (date_row, "error"));
  gtk_test_accessible_assert_state (date_row, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_calendar_select_day (calendar, later);
  g_assert_true (gtk_widget_get_sensitive (generate));
  g_assert_false (gtk_widget_has_css_class (date_row, "error"));
  {
    g_autofree char *shown = g_date_time_format (later, "%Y-%m-%d");

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (date_row)), ==, shown);
  }

  /* Typing, for a keyboard or a screen reader: nonsense and past days are refused. */
  gtk_editable_set_text (GTK_EDITABLE (date_row), "someday");
  g_assert_false (gtk_widget_get_sensitive (generate));
  g_assert_true (gtk_widget_has_css_class (date_row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (date_row), "2001-02-30");
  g_assert_false (gtk_widget_get_sensitive (generate));
  gtk_editable_set_text (GTK_EDITABLE (date_row), "2001-02-03");
  g_assert_false (gtk_widget_get_sensitive (generate));
  gtk_editable_set_text (GTK_EDITABLE (date_row), typed);
  g_assert_true (gtk_widget_get_sensitive (generate));
  {
    g_autofree char *until = g_strdup_printf ("Until the end of %s", typed);

    gtk_test_accessible_assert_property (astra_test_ui_find_choice (GTK_WIDGET (dialog), "On a date"),
                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, until);
  }
  {
    g_autoptr(GDateTime) on_calendar = gtk_calendar_get_date (calendar);

    g_assert_true (day_is (on_calendar, latest));
  }
  screenshots (GTK_WINDOW (dialog), "generate", 580, 680);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.generate", NULL));
  ASTRA_TEST_UI_WAIT (token != NULL, 20000);
  expires = astra_generated_token_get_expires (token);
  g_assert_nonnull (expires);
  g_assert_true (day_is (expires, latest));

  /* What the server keeps. */
  tokens = list_tokens (fixture->client);
  listed = find_token (tokens, astra_generated_token_get_client_id (token));
  g_assert_nonnull (listed);
  g_assert_nonnull (astra_token_get_expires (listed));
  g_assert_true (day_is (astra_token_get_expires (listed), latest));
}

static void
test_generate_expiry_preset (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  AstraGenerateDialog *dialog;
  GDateTime *expires;
  GTimeSpan ahead;

  /* The default from Preferences is preselected. */
  g_settings_set_uint (settings, "default-expiry-days", 365);
  dialog = astra_generate_dialog_new (fixture->parent, fixture->client, fixture->store,
                                      fixture->connection, fixture->roles);
  g_settings_reset (settings, "default-expiry-days");
  g_signal_connect (dialog, "token-generated", G_CALLBACK (on_token_generated_cb), &token);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "In 365 days")));

  check_role (GTK_WIDGET (dialog), "RO Svc Acct");
  choose (GTK_WIDGET (dialog), "In 90 days");
  g_assert_false (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "In 365 days")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.generate", NULL));
  ASTRA_TEST_UI_WAIT (token != NULL, 20000);

  expires = astra_generated_token_get_expires (token);
  g_assert_nonnull (expires);
  ahead = g_date_time_difference (expires, now);
  g_assert_cmpint (ahead, >, 89 * G_TIME_SPAN_DAY);
  g_assert_cmpint (ahead, <, 91 * G_TIME_SPAN_DAY);
}

static void
test_generate_expiry_other_default (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 45);
  g_autofree char *shown = g_date_time_format (day, "%Y-%m-%d");
  AstraGenerateDialog *dialog;

  /* A default that is none of the choices (gsettings set) is offered as that day. */
  g_settings_set_uint (settings, "default-expiry-days", 45);
  dialog = astra_generate_dialog_new (fixture->parent, fixture->client, fixture->store,
                                      fixture->connection, fixture->roles);
  g_settings_reset (settings, "default-expiry-days");
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "On a date")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog),
                                                                            ADW_TYPE_ENTRY_ROW,
                                                                            "Expiry Date"))),
                   ==, shown);
}

/* ------------------------------------------------------------------------------------------ */
/* No keyring: the token stays on screen with Retry and Export                                */

static void
test_no_keyring_keeps_token (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  GtkWidget *dialog;
  GtkWidget *row;

  if (!no_keyring)
    {
      g_test_skip ("runs as test-ui-dialogs-no-keyring, on a bus without a Secret Service");
      return;
    }

  token = generate_token (fixture, "RO Svc Acct", "nowhere to keep", TRUE, NULL, NULL);
  dialog = GTK_WIDGET (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG));
  ASTRA_TEST_UI_WAIT (astra_test_ui_find (dialog, ADW_TYPE_ACTION_ROW,
                                          "Not saved to keyring") != NULL, 20000);
  row = astra_test_ui_find (dialog, ADW_TYPE_ACTION_ROW, "Not saved to keyring");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=, "");
  g_assert_true (gtk_widget_get_mapped (find_button (dialog, "Retry")));
  g_assert_false (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)));
  g_assert_nonnull (astra_new_token_dialog_get_token (ASTRA_NEW_TOKEN_DIALOG (dialog)));
  g_free (astra_test_ui_screenshot (dialog, "new-token-no-keyring.png"));

  /* Retrying fails the same way, and the values are still there to copy. */
  click (find_button (dialog, "Retry"));
  ASTRA_TEST_UI_WAIT (astra_test_ui_find_mapped (dialog, GTK_TYPE_BUTTON, "Retry") != NULL, 20000);
  g_assert_false (astra_new_token_dialog_is_secured (ASTRA_NEW_TOKEN_DIALOG (dialog)));

  /* Closing asks first. */
  gtk_window_close (GTK_WINDOW (dialog));
  ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 5000);
  g_assert_true (find_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) == GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;
  g_autofree char *gnupg_home = NULL;
  int status;

  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--no-keyring") == 0)
      {
        no_keyring = TRUE;
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
        argc--;
        break;
      }

  astra_test_ui_init (&argc, &argv);
  /* The encrypt dialog lists keys: from an empty GnuPG home of this run, never the user's. */
  gnupg_home = astra_test_gpg_make_home ("apgp-d-XXXXXX");
  g_setenv ("GNUPGHOME", gnupg_home, TRUE);
  /* Accessible names and actions as the application sets them up. */
  astra_a11y_init ();

  /* The app's style sheet, as AdwApplication loads it, so screenshots look as in the app. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

#define ADD(path, func) \
  g_test_add ("/ui-dialogs/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("clipboard/secret-pastes-as-text", test_clipboard_secret_pastes_as_text);
  ADD ("clipboard/clears-only-own-secret", test_clipboard_clears_only_own_secret);
  ADD ("generate/flow", test_generate_flow);
  ADD ("generate/lost-answer", test_generate_lost_answer);
  ADD ("new-token/close-confirmation", test_close_confirmation);
  ADD ("new-token/close-confirmed-discards", test_close_confirmed_discards);
  ADD ("export/inventory-without-secrets", test_export_inventory_without_secrets);
  ADD ("export/dialog-flow", test_export_dialog_flow);
  ADD ("new-token/export-action", test_new_token_export_action);
  ADD ("new-token/unmasked-setting", test_new_token_unmasked_setting);
  ADD ("generate/expiry-date", test_generate_expiry_date);
  ADD ("generate/expiry-preset", test_generate_expiry_preset);
  ADD ("generate/expiry-other-default", test_generate_expiry_other_default);
  ADD ("no-keyring/keeps-token", test_no_keyring_keeps_token);
  ADD ("rotate/revokes-after-keyring", test_rotate);
  ADD ("rotate/unsecured-keeps-old", test_rotate_unsecured_keeps_old);
  ADD ("role-editor/creates-scoped-role", test_role_editor_creates_scoped_role);
  ADD ("role-editor/many-databases", test_role_editor_many_databases);
  ADD ("role-editor/errors-inline", test_role_editor_errors_inline);

  status = g_test_run ();
  astra_test_gpg_remove_home (gnupg_home);
  return status;
}

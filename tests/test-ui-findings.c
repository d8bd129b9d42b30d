/* test-ui-findings.c: the Plain-Text Tokens page in the real window
 *
 * A temporary tree (ASTRA_FINDINGS_ROOT) holds tokens of the simulator's organization (a
 * .env line, a .bashrc export, a portal GeneratedToken.csv) and of an organization the app
 * is not connected to. The page scans it with the real scanner, classifies with the real
 * keyring and the simulator, and its actions are checked against the keyring and the
 * files themselves, byte for byte. The last case locks the keyring: nothing is rewritten.
 * Runs in a test session of its own (build-aux/with-test-session): it connects an
 * organization and locks the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "astra-application.h"
#include "astra-connect-dialog.h"
#include "astra-export.h"
#include "astra-findings-page.h"
#include "astra-generated-token.h"
#include "astra-reference.h"
#include "astra-scan-finding.h"
#include "astra-secret-store.h"
#include "astra-test-keyring.h"
#include "astra-test-ui.h"
#include "astra-token.h"
#include "astra-token-format.h"
#include "astra-tokens-page.h"
#include "astra-window.h"

#define TIMEOUT_MS 30000
/* An organization nobody here is connected to. */
#define UNKNOWN_TOKEN "AstraCS:ZyXwVuTsRqPoNmLkJiHgFeDc:" \
  "5f5e5d5c5b5a59585756555453525150" "4f4e4d4c4b4a49484746454443424140"
#define IGNORED_TOKEN "AstraCS:IgNoReDtOkEnAbCdEfGhIjKl:" \
  "0a0b0c0d0e0f10111213141516171819" "1a1b1c1d1e1f20212223242526272829"
#define CSV_SECRET "fake,Secret-of+the.row_0123456789"

static AstraApplication *app;
static AstraWindow *window;
static AstraSimServer *sim;
static AstraSimServer *contractor;   /* an organization not connected at first */
static char *root;
static char *env_token;
static char *rc_token;
static char *csv_token;
static char *env_path;
static char *env_before;
static char *rc_path;
static char *csv_path;
static char *csv_contents;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static char *
plant (const char *relative,
       const char *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static char *
read_file (const char *path)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static AstraFindingsPage *
page (void)
{
  return ASTRA_FINDINGS_PAGE (astra_test_ui_find (GTK_WIDGET (window), ASTRA_TYPE_FINDINGS_PAGE, NULL));
}

static AstraScanFinding *
find_finding (const char *client_id)
{
  GListModel *findings = astra_findings_page_get_findings (page ());

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i);

      if (g_strcmp0 (astra_scan_finding_get_client_id (finding), client_id) == 0)
        return finding;   /* the page's list keeps it */
    }

  return NULL;
}

static AstraScanState
state_of (const char *client_id)
{
  AstraScanFinding *finding = find_finding (client_id);

  g_assert_nonnull (finding);
  return astra_scan_finding_get_state (finding);
}

static void
activate_on (const char *action,
             const char *client_id)
{
  AstraScanFinding *finding = find_finding (client_id);

  g_assert_nonnull (finding);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), action, "(st)",
                                             astra_scan_finding_get_path (finding),
                                             astra_scan_finding_get_value_offset (finding)));
}

static void
scan_and_wait (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "findings.scan", NULL));
  g_assert_true (astra_findings_page_get_scanning (page ()));
  ASTRA_TEST_UI_WAIT (!astra_findings_page_get_scanning (page ()), TIMEOUT_MS);
}

static void
wait_idle (void)
{
  ASTRA_TEST_UI_WAIT (!astra_findings_page_get_busy (page ()) &&
                      !astra_findings_page_get_scanning (page ()), TIMEOUT_MS);
}

/* Whether a mapped label under @widget contains @text (a toast, say). */
static gboolean
shows_text_containing (GtkWidget  *widget,
                       const char *text)
{
  g_autoptr(GPtrArray) labels = astra_test_ui_find_all (widget, GTK_TYPE_LABEL, NULL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (label) && strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL)
        return TRUE;
    }

  return FALSE;
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

static char *
client_id_of (const char *token)
{
  return astra_token_format_dup_client_id (token);
}

static void
on_generated_looked_up_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  AstraGeneratedToken **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = astra_secret_store_lookup_generated_finish (ASTRA_SECRET_STORE (object), result, &error);
  g_assert_no_error (error);
}

static AstraGeneratedToken *
keyring_generated (const char *client_id)
{
  AstraSecretStore *store = astra_context_get_secret_store (astra_application_get_context (app));
  AstraGeneratedToken *token = NULL;

  astra_secret_store_lookup_generated_async (store, astra_sim_server_get_org_id (sim), client_id,
                                             NULL, on_generated_looked_up_cb, &token);
  ASTRA_TEST_UI_WAIT (token != NULL, TIMEOUT_MS);
  return token;
}

static void
on_async_result_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
on_secretless_listed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(char ***) user_data = astra_secret_store_list_secretless_finish (ASTRA_SECRET_STORE (object),
                                                                      result, &error);
  g_assert_no_error (error);
}

static void
on_found_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(char ***) user_data = astra_secret_store_list_found_finish (ASTRA_SECRET_STORE (object), result, &error);
  g_assert_no_error (error);
}

static char **
keyring_found (void)
{
  AstraSecretStore *store = astra_context_get_secret_store (astra_application_get_context (app));
  char **found = NULL;

  astra_secret_store_list_found_async (store, NULL, on_found_listed_cb, &found);
  ASTRA_TEST_UI_WAIT (found != NULL, TIMEOUT_MS);
  return found;
}

static AstraToken *
tokens_page_row (const char *client_id)
{
  AstraTokensPage *tokens = ASTRA_TOKENS_PAGE (astra_test_ui_find (GTK_WIDGET (window),
                                                                   ASTRA_TYPE_TOKENS_PAGE, NULL));
  GListModel *model = astra_tokens_page_get_model (tokens);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (model, i);

      if (g_strcmp0 (astra_token_get_client_id (token), client_id) == 0)
        return token;
    }
  return NULL;
}

static char *
replaced (const char *contents,
          const char *token,
          const char *reference)
{
  g_autoptr(GString) text = g_string_new (contents);

  g_assert_cmpuint (g_string_replace (text, token, reference, 0), ==, 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
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

/* The scan finds every planted token and says what it is. */
static void
test_scan (void)
{
  g_autofree char *env_id = client_id_of (env_token);
  g_autofree char *unknown_id = client_id_of (UNKNOWN_TOKEN);
  g_autofree char *csv_id = client_id_of (csv_token);
  gboolean connected = FALSE;
  GListModel *findings;
  GtkWidget *review;

  /* Nothing connected yet: the welcome page's quick look found the .bashrc export and the
   * portal CSV in Downloads (not the notes: it only looks in the usual places). */
  ASTRA_TEST_UI_WAIT ((review = astra_test_ui_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                                           "Review Plain-Text Tokens…")) != NULL,
                      TIMEOUT_MS);
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (window),
                                           "2 Astra tokens lie in plain text on this computer, "
                                           "where any program can read them."));
  astra_test_ui_spin (300);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "welcome-findings.png"));

  /* Its button opens the page and searches at once; without a connected organization no
   * token can be called live. Back returns to the welcome page. */
  g_signal_emit_by_name (review, "clicked");
  ASTRA_TEST_UI_WAIT (page () != NULL && gtk_widget_get_mapped (GTK_WIDGET (page ())), TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (!astra_findings_page_get_scanning (page ()), TIMEOUT_MS);
  g_assert_cmpint (state_of (unknown_id), ==, ASTRA_SCAN_STATE_UNKNOWN_ORG);
  g_assert_cmpint (state_of (env_id), ==, ASTRA_SCAN_STATE_UNKNOWN_ORG);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-findings", NULL));
  ASTRA_TEST_UI_WAIT (gtk_widget_get_mapped (review), TIMEOUT_MS);

  astra_context_connect_async (astra_application_get_context (app),
                               astra_sim_server_get_admin_token (sim), ASTRA_ENVIRONMENT_CUSTOM,
                               astra_sim_server_get_base_url (sim), NULL, on_connected_cb, &connected);
  ASTRA_TEST_UI_WAIT (connected && astra_window_get_connection (window) != NULL, TIMEOUT_MS);

  /* From the primary menu, as a person opens it; then the page's own Search button. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-findings", "b", FALSE));
  g_assert_nonnull (page ());
  ASTRA_TEST_UI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (page ())), TIMEOUT_MS);
  g_assert_cmpstr (astra_findings_page_get_root (page ()), ==, root);
  scan_and_wait ();

  findings = astra_findings_page_get_findings (page ());
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 6);
  g_assert_cmpint (state_of (env_id), ==, ASTRA_SCAN_STATE_LIVE);
  g_assert_cmpint (state_of (csv_id), ==, ASTRA_SCAN_STATE_LIVE);
  g_assert_cmpint (state_of (unknown_id), ==, ASTRA_SCAN_STATE_UNKNOWN_ORG);

  /* In words, grouped by file; the masked token, never the whole one. */
  astra_test_ui_spin (200);
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (page ()), "Unknown organization"));
  {
    g_autofree char *live = g_strdup_printf ("Live in %s", astra_sim_server_get_org_name (sim));

    g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (page ()), live));
  }
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (page ()), ADW_TYPE_PREFERENCES_GROUP,
                                               NULL));
  g_assert_false (astra_test_ui_shows_text (GTK_WIDGET (page ()), env_token));
  /* A line of a connected organization's token offers Replace (which keeps it first), an
   * unknown organization's token Keep; every row has its menu. */
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (page ()), GTK_TYPE_BUTTON, "Keep in Keyring"));
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (page ()), GTK_TYPE_BUTTON, "Replace with Reference"));
  {
    g_autofree char *menu = g_strdup_printf ("Actions for %s",
                                             astra_scan_finding_get_masked (find_finding (unknown_id)));

    g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (page ()), GTK_TYPE_MENU_BUTTON, menu));
  }

  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "findings.png"));
  astra_test_ui_resize (GTK_WINDOW (window), 800, 600);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "findings-800.png"));
  astra_test_ui_resize (GTK_WINDOW (window), 1000, 680);
}

/* Keep in Keyring: a connected organization's token becomes its generated-token item, with
 * the roles from the API, and its Tokens page shows it held; an unknown one a found-token. */
static void
test_keep (void)
{
  g_autofree char *env_id = client_id_of (env_token);
  g_autofree char *unknown_id = client_id_of (UNKNOWN_TOKEN);
  g_autoptr(AstraGeneratedToken) kept = NULL;
  g_auto(GStrv) found = NULL;

  activate_on ("findings.keep", env_id);
  wait_idle ();
  g_assert_cmpint (state_of (env_id), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (page ()), "In this keyring"));

  kept = keyring_generated (env_id);
  g_assert_cmpstr (astra_generated_token_get_token (kept), ==, env_token);
  g_assert_cmpstr (astra_generated_token_get_description (kept), ==, "Found in .env");
  g_assert_nonnull (astra_generated_token_get_role_names (kept));
  g_assert_cmpstr (astra_generated_token_get_role_names (kept)[0], ==, "RO User");

  /* The organization's Tokens page follows the keyring ("generated-changed"). */
  ASTRA_TEST_UI_WAIT (tokens_page_row (env_id) != NULL &&
                      astra_token_get_in_keyring (tokens_page_row (env_id)), TIMEOUT_MS);

  /* Found alone in .env, it was kept without a client secret: the keyring item says so
   * without its secret, and copying the client secret says it is not on this computer
   * rather than copying nothing. */
  g_assert_cmpstr (astra_generated_token_get_secret (kept), ==, "");
  {
    g_auto(GStrv) secretless = NULL;
    AstraSecretStore *store = astra_context_get_secret_store (astra_application_get_context (app));

    astra_secret_store_list_secretless_async (store, astra_sim_server_get_org_id (sim), NULL,
                                              on_secretless_listed_cb, &secretless);
    ASTRA_TEST_UI_WAIT (secretless != NULL, TIMEOUT_MS);
    g_assert_true (g_strv_contains ((const char * const *) secretless, env_id));
  }
  g_assert_true (gtk_widget_activate_action (astra_test_ui_find (GTK_WIDGET (window),
                                                                 ASTRA_TYPE_TOKENS_PAGE, NULL),
                                             "tokens.copy-secret", "s", env_id));
  ASTRA_TEST_UI_WAIT (shows_text_containing (GTK_WIDGET (window),
                                             "client secret is not on this computer"),
                      TIMEOUT_MS);

  /* The details say where the token is, and that its client secret is not. */
  {
    GtkWindow *details = NULL;

    g_assert_true (gtk_widget_activate_action (astra_test_ui_find (GTK_WIDGET (window),
                                                                   ASTRA_TYPE_TOKENS_PAGE, NULL),
                                               "tokens.details", "s", env_id));
    ASTRA_TEST_UI_WAIT ((details = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, TIMEOUT_MS);
    ASTRA_TEST_UI_WAIT (shows_text_containing (GTK_WIDGET (details), "without its client secret"),
                        TIMEOUT_MS);
    gtk_window_close (details);
    ASTRA_TEST_UI_WAIT (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL, TIMEOUT_MS);
  }

  /* A portal CSV row needs the client secret: the export says it is not here rather than
   * writing an empty field; AUTO falls back to the inventory, which holds no secret. */
  {
    g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_TOKEN);
    g_autofree char *dir = g_dir_make_tmp ("test-ui-findings-export-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "GeneratedToken.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    AstraContext *context = astra_application_get_context (app);
    AstraConnection *connection = astra_context_find_connection (context,
                                                                 astra_sim_server_get_org_id (sim));
    AstraExportFormat used = ASTRA_EXPORT_FORMAT_AUTO;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    g_list_store_append (tokens, tokens_page_row (env_id));
    astra_export_tokens_to_file_async (astra_context_get_secret_store (context), connection,
                                       G_LIST_MODEL (tokens), ASTRA_EXPORT_FORMAT_PORTAL, file,
                                       NULL, on_async_result_cb, &result);
    ASTRA_TEST_UI_WAIT (result != NULL, TIMEOUT_MS);
    g_assert_false (astra_export_tokens_to_file_finish (result, &used, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "not on this computer"));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_clear_object (&result);
    g_clear_error (&error);

    astra_export_tokens_to_file_async (astra_context_get_secret_store (context), connection,
                                       G_LIST_MODEL (tokens), ASTRA_EXPORT_FORMAT_AUTO, file,
                                       NULL, on_async_result_cb, &result);
    ASTRA_TEST_UI_WAIT (result != NULL, TIMEOUT_MS);
    g_assert_true (astra_export_tokens_to_file_finish (result, &used, &error));
    g_assert_no_error (error);
    g_assert_cmpint (used, ==, ASTRA_EXPORT_FORMAT_INVENTORY);
    g_unlink (path);
    g_rmdir (dir);
  }

  activate_on ("findings.keep", unknown_id);
  wait_idle ();
  g_assert_cmpint (state_of (unknown_id), ==, ASTRA_SCAN_STATE_HELD);
  found = keyring_found ();
  g_assert_true (g_strv_contains ((const char * const *) found, unknown_id));

  /* A scan afterwards still says held: the keyring is asked, not the page's memory. */
  scan_and_wait ();
  g_assert_cmpint (state_of (env_id), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpint (state_of (unknown_id), ==, ASTRA_SCAN_STATE_HELD);
}

/* Replace with Reference rewrites the line, and only the value in it. */
static void
test_replace (void)
{
  g_autofree char *env_id = client_id_of (env_token);
  g_autofree char *reference = astra_reference_format (astra_sim_server_get_org_id (sim), env_id,
                                                       ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *expected = replaced (env_before, env_token, reference);
  g_autofree char *after = NULL;

  activate_on ("findings.replace", env_id);
  wait_idle ();
  after = read_file (env_path);
  g_assert_cmpstr (after, ==, expected);
  g_assert_null (find_finding (env_id));

  /* Searched again, the file holds no token any more. */
  scan_and_wait ();
  g_assert_null (find_finding (env_id));
}

/* A file that changed after the scan is not rewritten: it is searched again. */
static void
test_replace_changed (void)
{
  g_autofree char *rc_id = client_id_of (rc_token);
  g_autofree char *changed = NULL;
  g_autofree char *after = NULL;
  g_autofree char *original = read_file (rc_path);

  g_assert_nonnull (find_finding (rc_id));
  changed = g_strconcat ("# edited by hand meanwhile\n", original, NULL);
  g_assert_true (g_file_set_contents (rc_path, changed, -1, NULL));

  activate_on ("findings.replace", rc_id);
  wait_idle ();
  after = read_file (rc_path);
  g_assert_cmpstr (after, ==, changed);
  /* Found again, on its new line. */
  g_assert_nonnull (find_finding (rc_id));
  g_assert_cmpuint (astra_scan_finding_get_line (find_finding (rc_id)), ==, 2);
}

/* Delete File trashes a portal CSV whose every row is held; Undo brings it back. */
static void
test_delete_csv (void)
{
  g_autofree char *csv_id = client_id_of (csv_token);
  g_autoptr(AstraGeneratedToken) kept = NULL;
  g_autofree char *restored = NULL;
  GtkWidget *delete_button;

  /* Not before its rows are held: the button says so by being off, the action refuses. */
  delete_button = astra_test_ui_find (GTK_WIDGET (page ()), GTK_TYPE_BUTTON, "Delete File");
  g_assert_nonnull (delete_button);
  g_assert_false (gtk_widget_get_sensitive (delete_button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "findings.delete-file", "s", csv_path));
  wait_idle ();
  g_assert_true (g_file_test (csv_path, G_FILE_TEST_EXISTS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "findings.keep-file", "s", csv_path));
  wait_idle ();
  g_assert_cmpint (state_of (csv_id), ==, ASTRA_SCAN_STATE_HELD);
  /* The row's client secret is kept too. */
  kept = keyring_generated (csv_id);
  g_assert_cmpstr (astra_generated_token_get_secret (kept), ==, CSV_SECRET);
  g_assert_cmpstr (astra_generated_token_get_token (kept), ==, csv_token);
  g_assert_true (gtk_widget_get_sensitive (astra_test_ui_find (GTK_WIDGET (page ()), GTK_TYPE_BUTTON,
                                                               "Delete File")));
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "findings-csv-held.png"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "findings.delete-file", "s", csv_path));
  wait_idle ();
  g_assert_false (g_file_test (csv_path, G_FILE_TEST_EXISTS));
  g_assert_null (find_finding (csv_id));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "findings.undo-delete", "s", csv_path));
  wait_idle ();
  restored = read_file (csv_path);
  g_assert_cmpstr (restored, ==, csv_contents);
  g_assert_nonnull (find_finding (csv_id));
}

/* Ignore hides a finding, and it stays hidden after a new scan; GSettings has no secret. */
static void
test_ignore (void)
{
  g_autofree char *ignored_id = client_id_of (IGNORED_TOKEN);
  g_autofree char *unknown_id = client_id_of (UNKNOWN_TOKEN);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.astratokens.AstraTokens");
  g_auto(GStrv) ignored = NULL;

  g_assert_nonnull (find_finding (ignored_id));
  activate_on ("findings.ignore", ignored_id);
  g_assert_null (find_finding (ignored_id));

  ignored = g_settings_get_strv (settings, "ignored-findings");
  g_assert_cmpuint (g_strv_length (ignored), ==, 1);
  g_assert_nonnull (strstr (ignored[0], ignored_id));
  g_assert_null (strstr (ignored[0], "AstraCS:"));

  scan_and_wait ();
  g_assert_null (find_finding (ignored_id));
  g_assert_nonnull (find_finding (unknown_id));
}

/* An unknown organization's administrator token connects its organization, when the
 * person says so in the connect dialog; the token is then held, as the connection's. */
static void
test_connect_org (void)
{
  g_autofree char *id = client_id_of (astra_sim_server_get_admin_token (contractor));
  GtkWindow *dialog;
  GtkWidget *custom;
  GtkWidget *url_row;

  g_assert_cmpint (state_of (id), ==, ASTRA_SCAN_STATE_UNKNOWN_ORG);
  activate_on ("findings.connect", id);
  ASTRA_TEST_UI_WAIT ((dialog = find_toplevel (ASTRA_TYPE_CONNECT_DIALOG)) != NULL, TIMEOUT_MS);
  g_assert_null (astra_context_find_connection (astra_application_get_context (app),
                                                astra_sim_server_get_org_id (contractor)));
  /* It says what it does here: connect, not import a file's tokens. */
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Connect Organization");
  g_assert_nonnull (astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Connect"));
  g_free (astra_test_ui_screenshot (GTK_WIDGET (dialog), "findings-connect.png"));

  custom = astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_TOGGLE_BUTTON, "Custom API URL");
  url_row = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "API URL");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (custom), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (url_row), astra_sim_server_get_base_url (contractor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.connect", NULL));

  ASTRA_TEST_UI_WAIT (find_toplevel (ASTRA_TYPE_CONNECT_DIALOG) == NULL, TIMEOUT_MS);
  g_assert_nonnull (astra_context_find_connection (astra_application_get_context (app),
                                                   astra_sim_server_get_org_id (contractor)));
  ASTRA_TEST_UI_WAIT (!astra_findings_page_get_scanning (page ()) && find_finding (id) != NULL &&
                      astra_scan_finding_get_state (find_finding (id)) == ASTRA_SCAN_STATE_HELD,
                      TIMEOUT_MS);
}

/* Cancel stops a scan and keeps what was shown; an empty tree and a missing folder are
 * states of their own. */
static void
test_states (void)
{
  g_autofree char *empty = g_build_filename (root, "empty-folder", NULL);
  g_autofree char *missing = g_build_filename (root, "no-such-folder", NULL);
  guint shown = g_list_model_get_n_items (astra_findings_page_get_findings (page ()));

  g_assert_cmpuint (shown, >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "findings.scan", NULL));
  g_assert_true (astra_findings_page_get_scanning (page ()));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "findings.cancel", NULL));
  g_assert_false (astra_findings_page_get_scanning (page ()));
  astra_test_ui_spin (300);
  g_assert_cmpuint (g_list_model_get_n_items (astra_findings_page_get_findings (page ())), ==, shown);
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (page ()), ADW_TYPE_PREFERENCES_GROUP, NULL));

  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  astra_findings_page_set_root (page (), empty);
  scan_and_wait ();
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (page ()), ADW_TYPE_STATUS_PAGE,
                                               "No plain-text tokens found in your home folder"));
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "findings-empty.png"));

  astra_findings_page_set_root (page (), missing);
  scan_and_wait ();
  g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (page ()), ADW_TYPE_STATUS_PAGE,
                                               "Could Not Search"));
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "findings-error.png"));

  astra_findings_page_set_root (page (), root);
  scan_and_wait ();
  g_assert_cmpuint (g_list_model_get_n_items (astra_findings_page_get_findings (page ())), ==, shown);
}

/* With the keyring locked, the save fails and the file is left exactly as it was. */
static void
test_keyring_locked (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = astra_sim_server_mint_token (sim, "RO User", "Locked out", &error);
  g_autofree char *id = client_id_of (token);
  g_autofree char *contents = g_strdup_printf ("API_URL=https://example.invalid\n"
                                               "ASTRA_DB_APPLICATION_TOKEN='%s'\n", token);
  g_autofree char *path = plant ("service/.env", contents);
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  scan_and_wait ();
  g_assert_cmpint (state_of (id), ==, ASTRA_SCAN_STATE_LIVE);

  astra_test_lock_default_collection ();
  activate_on ("findings.replace", id);
  wait_idle ();
  /* It was the keyring that said no, and the toast says what was not done. */
  ASTRA_TEST_UI_WAIT (shows_text_containing (GTK_WIDGET (window), "so the file was left as it is"),
                      TIMEOUT_MS);

  after = read_file (path);
  g_assert_cmpstr (after, ==, contents);
  g_assert_cmpint (state_of (id), ==, ASTRA_SCAN_STATE_LIVE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *env_contents = NULL;
  g_autofree char *rc_contents = NULL;
  int ret;

  astra_test_ui_init (&argc, &argv);
  g_unsetenv ("ASTRA_TOKENS_BENCHMARK");
  g_unsetenv ("ASTRA_API_URL");
  g_unsetenv ("ASTRA_DB_APPLICATION_TOKEN");

  sim = astra_sim_server_new ();
  astra_sim_server_set_org_name (sim, "Findings Org");
  g_assert_true (astra_sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);
  env_token = astra_sim_server_mint_token (sim, "RO User", "Found in .env", &error);
  g_assert_no_error (error);
  rc_token = astra_sim_server_mint_token (sim, "RO User", "Found in .bashrc", &error);
  g_assert_no_error (error);
  csv_token = astra_sim_server_mint_token (sim, "RO User", "Downloaded", &error);
  g_assert_no_error (error);

  contractor = astra_sim_server_new ();
  astra_sim_server_set_org_name (contractor, "Contractor Org");
  g_assert_true (astra_sim_server_listen (contractor, 0, &error));
  g_assert_no_error (error);

  root = g_dir_make_tmp ("astra-findings-XXXXXX", &error);
  g_assert_no_error (error);
  env_before = g_strdup_printf ("# local settings\nASTRA_DB_ID=0b9e-41\n"
                                "ASTRA_DB_APPLICATION_TOKEN=%s\nDEBUG=1\n", env_token);
  env_path = plant ("project/.env", env_before);
  rc_contents = g_strdup_printf ("export ASTRA_DB_APPLICATION_TOKEN=\"%s\"\n", rc_token);
  rc_path = plant (".bashrc", rc_contents);
  /* The portal's own layout; the secret is made up (the simulator keeps minted secrets
   * to itself), the token and client id are the organization's. */
  csv_contents = g_strdup_printf ("\"Client Id\",\"Client Secret\",\"Role\",\"Token\"\n"
                                  "\"%.24s\",\"%s\",\"Read Only User\",\"%s\"\n",
                                  csv_token + strlen ("AstraCS:"), CSV_SECRET, csv_token);
  csv_path = plant ("Downloads/GeneratedToken.csv", csv_contents);
  g_free (plant ("notes/other-org.txt", "the contractor's token: " UNKNOWN_TOKEN "\n"));
  g_free (plant ("notes/ignored.json", "{ \"token\": \"" IGNORED_TOKEN "\" }\n"));
  {
    g_autofree char *handover = g_strdup_printf ("Admin token for the contractor's org:\n%s\n",
                                                 astra_sim_server_get_admin_token (contractor));

    g_free (plant ("notes/handover.md", handover));
  }
  g_setenv ("ASTRA_FINDINGS_ROOT", root, TRUE);

  app = astra_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = astra_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/ui/findings/scan", test_scan);
  g_test_add_func ("/ui/findings/keep", test_keep);
  g_test_add_func ("/ui/findings/replace", test_replace);
  g_test_add_func ("/ui/findings/replace-changed", test_replace_changed);
  g_test_add_func ("/ui/findings/delete-csv", test_delete_csv);
  g_test_add_func ("/ui/findings/ignore", test_ignore);
  g_test_add_func ("/ui/findings/connect-org", test_connect_org);
  g_test_add_func ("/ui/findings/states", test_states);
  /* Last: it locks the keyring for good. */
  g_test_add_func ("/ui/findings/keyring-locked", test_keyring_locked);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  astra_sim_server_disconnect (sim);
  g_clear_object (&sim);
  astra_sim_server_disconnect (contractor);
  g_clear_object (&contractor);
  return ret;
}

/* test-ui-pgp.c: the encrypt dialog of every export with secrets, under Xvfb
 *
 * A throw-away GnuPG home holds the user's key (Alice), a teammate's key the user certified
 * (Bob) and one imported without being certified (Carol: "not verified"). The dialog is driven as a person would:
 * the choices, the search, the switch, the Export button; what it answers is then written
 * by the app's own export writer, and stock gpg must give back the portal CSV byte for
 * byte. Screenshots of the dialog at its default width and at 800 px go to
 * $ASTRA_SCREENSHOT_DIR (export-encrypt.png, export-encrypt-800.png), and of the passphrase
 * choice (export-encrypt-passphrase.png).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "astra-csv.h"
#include "astra-encrypt-dialog.h"
#include "astra-export.h"
#include "astra-generated-token.h"
#include "astra-test-gpg.h"
#include "astra-test-ui.h"

#define TIMEOUT_MS 20000
#define PASSPHRASE "unrelated words make good passphrases"

static char *home;
static char *fpr_alice;
static char *fpr_carol;
static char *fpr_bob;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static GtkWindow *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ASTRA_IS_ENCRYPT_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
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

static GBytes *
portal_csv (void)
{
  g_autoptr(GListStore) tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(AstraGeneratedToken) token = NULL;
  const char *roles[] = { "Database Administrator", NULL };

  token = astra_generated_token_new ("EncryptedExportAbcdefghij", "s3cr,et\"x",
                                     "AstraCS:EncryptedExportAbcdefghij:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  astra_generated_token_set_role_names (token, roles);
  g_list_store_append (tokens, token);
  return astra_csv_format_portal (G_LIST_MODEL (tokens));
}

/* Writes @plain as @protection says with the app's writer; → the file's bytes. */
static GBytes *
write_protected (AstraExportProtection *protection,
                 GBytes                *plain)
{
  g_autofree char *dir = astra_test_gpg_make_home ("apgp-ui-XXXXXX");
  g_autofree char *path = g_build_filename (dir, astra_export_protection_file_name (protection), NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length;

  astra_export_write_protected_async (file, plain, protection, NULL, on_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, TIMEOUT_MS);
  g_assert_true (astra_export_write_protected_finish (result, &error));
  g_assert_no_error (error);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);
  return g_bytes_new_take (contents, length);
}

static GtkWidget *
find_key_row (GtkWidget  *dialog,
              const char *name)
{
  return astra_test_ui_find_mapped (dialog, ADW_TYPE_ACTION_ROW, name);
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                      */

/* Encrypt for people is chosen at first (the user has a key); the user's key is included
 * and says so; a teammate's key nobody verified is shown but cannot be chosen; the search
 * finds keys by e-mail; armored output; the file opens with stock gpg. */
static void
test_for_people (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AstraExportProtection) protection = NULL;
  g_autoptr(GBytes) plain = portal_csv ();
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GBytes) decrypted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = NULL;
  GtkCheckButton *people;
  GtkWidget *dialog;
  GtkWidget *alice;
  GtkWidget *carol;
  GtkWidget *bob;
  GtkWidget *search;
  GtkWidget *armor;

  astra_encrypt_dialog_choose_async (NULL, 2, NULL, on_result_cb, &result);
  ASTRA_TEST_UI_WAIT ((dialog = GTK_WIDGET (find_dialog ())) != NULL, TIMEOUT_MS);
  people = astra_test_ui_find_choice (dialog, "Encrypt for People");
  ASTRA_TEST_UI_WAIT (gtk_widget_is_sensitive (GTK_WIDGET (people)) &&
                      gtk_check_button_get_active (people), TIMEOUT_MS);
  g_assert_false (gtk_check_button_get_active (astra_test_ui_find_choice (dialog, "Without Encryption")));

  ASTRA_TEST_UI_WAIT ((alice = find_key_row (dialog, "Alice Admin")) != NULL, TIMEOUT_MS);
  carol = find_key_row (dialog, "Carol Colleague");
  g_assert_nonnull (carol);
  g_assert_true (astra_test_ui_shows_text (alice, "You, always included"));
  g_assert_true (astra_test_ui_shows_text (carol, "Not verified"));
  g_assert_false (gtk_widget_is_sensitive (carol));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (alice)))));

  /* The teammate: choosable, chosen by activating the row, as a person would. */
  bob = find_key_row (dialog, "Bob Builder");
  g_assert_nonnull (bob);
  g_assert_true (gtk_widget_is_sensitive (bob));
  gtk_widget_activate (GTK_WIDGET (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (bob))));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (bob)))));
  /* Every control says what it does. */
  g_assert_nonnull (astra_test_ui_find (dialog, GTK_TYPE_CHECK_BUTTON, "Encrypt for Alice Admin"));

  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 760);
  astra_test_ui_spin (200);
  shot = astra_test_ui_screenshot (dialog, "export-encrypt.png");
  g_clear_pointer (&shot, g_free);
  astra_test_ui_resize (GTK_WINDOW (dialog), 800, 760);
  shot = astra_test_ui_screenshot (dialog, "export-encrypt-800.png");

  search = astra_test_ui_find (dialog, GTK_TYPE_SEARCH_ENTRY, "Search keys");
  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), "CAROL@example");
  ASTRA_TEST_UI_WAIT (find_key_row (dialog, "Alice Admin") == NULL, TIMEOUT_MS);
  g_assert_nonnull (find_key_row (dialog, "Carol Colleague"));
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  ASTRA_TEST_UI_WAIT (find_key_row (dialog, "Alice Admin") != NULL, TIMEOUT_MS);

  armor = astra_test_ui_find (dialog, GTK_TYPE_SWITCH, "Armored text");
  g_assert_nonnull (armor);
  gtk_switch_set_active (GTK_SWITCH (armor), TRUE);
  g_assert_true (gtk_widget_activate_action (dialog, "encrypt.export", NULL));

  ASTRA_TEST_UI_WAIT (result != NULL, TIMEOUT_MS);
  protection = astra_encrypt_dialog_choose_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (protection->mode, ==, ASTRA_EXPORT_PROTECTION_PEOPLE);
  g_assert_true (protection->armor);
  g_assert_true (g_strv_contains ((const char * const *) protection->recipients, fpr_alice));
  g_assert_true (g_strv_contains ((const char * const *) protection->recipients, fpr_bob));
  g_assert_false (g_strv_contains ((const char * const *) protection->recipients, fpr_carol));
  g_assert_cmpstr (astra_export_protection_file_name (protection), ==, "GeneratedToken.csv.asc");
  g_assert_null (find_dialog ());

  cipher = write_protected (protection, plain);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (cipher, NULL), "-----BEGIN PGP MESSAGE-----"));
  decrypted = astra_test_gpg_run (home, cipher, "--decrypt");
  assert_bytes_equal (decrypted, plain);
}

/* A passphrase: Export waits for both entries to match, the hint follows the typing, and
 * the file opens with `gpg --passphrase-file`. */
static void
test_with_passphrase (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AstraExportProtection) protection = NULL;
  g_autoptr(GBytes) plain = portal_csv ();
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GBytes) decrypted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *passphrase_file = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;
  GtkWidget *repeat;
  GtkWidget *export_button;
  int fd;

  astra_encrypt_dialog_choose_async (NULL, 1, NULL, on_result_cb, &result);
  ASTRA_TEST_UI_WAIT ((dialog = GTK_WIDGET (find_dialog ())) != NULL, TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (gtk_check_button_get_active (astra_test_ui_find_choice (dialog, "Encrypt for People")), TIMEOUT_MS);
  gtk_widget_activate (GTK_WIDGET (astra_test_ui_find_choice (dialog, "Encrypt With a Passphrase")));
  g_assert_true (gtk_check_button_get_active (astra_test_ui_find_choice (dialog, "Encrypt With a Passphrase")));

  entry = astra_test_ui_find_mapped (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, "Passphrase");
  repeat = astra_test_ui_find_mapped (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, "Repeat Passphrase");
  export_button = astra_test_ui_find (dialog, GTK_TYPE_BUTTON, "Export…");
  g_assert_nonnull (entry);
  g_assert_nonnull (repeat);
  g_assert_nonnull (export_button);
  g_assert_false (gtk_widget_is_sensitive (export_button));

  gtk_editable_set_text (GTK_EDITABLE (entry), "short");
  g_assert_true (astra_test_ui_shows_text (dialog, "Too short: use at least 8 characters, better a few unrelated words."));
  gtk_editable_set_text (GTK_EDITABLE (entry), PASSPHRASE);
  g_assert_true (astra_test_ui_shows_text (dialog, "Strong."));
  gtk_editable_set_text (GTK_EDITABLE (repeat), PASSPHRASE "!");
  g_assert_true (astra_test_ui_shows_text (dialog, "The two passphrases differ."));
  g_assert_false (gtk_widget_is_sensitive (export_button));
  gtk_editable_set_text (GTK_EDITABLE (repeat), PASSPHRASE);
  g_assert_true (gtk_widget_is_sensitive (export_button));
  g_free (astra_test_ui_screenshot (dialog, "export-encrypt-passphrase.png"));
  g_signal_emit_by_name (export_button, "clicked");

  ASTRA_TEST_UI_WAIT (result != NULL, TIMEOUT_MS);
  protection = astra_encrypt_dialog_choose_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (protection->mode, ==, ASTRA_EXPORT_PROTECTION_PASSPHRASE);
  g_assert_cmpstr (protection->passphrase, ==, PASSPHRASE);
  g_assert_false (protection->armor);
  g_assert_cmpstr (astra_export_protection_file_name (protection), ==, "GeneratedToken.csv.gpg");

  cipher = write_protected (protection, plain);
  fd = g_file_open_tmp ("apgp-pass-XXXXXX", &passphrase_file, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (passphrase_file, PASSPHRASE, -1, &error);
  g_assert_no_error (error);
  decrypted = astra_test_gpg_run (home, cipher, "--pinentry-mode", "loopback",
                                  "--passphrase-file", passphrase_file, "--decrypt");
  g_unlink (passphrase_file);
  assert_bytes_equal (decrypted, plain);
}

/* Closing the dialog exports nothing. */
static void
test_cancel (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AstraExportProtection) protection = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  astra_encrypt_dialog_choose_async (NULL, 1, NULL, on_result_cb, &result);
  ASTRA_TEST_UI_WAIT ((dialog = GTK_WIDGET (find_dialog ())) != NULL, TIMEOUT_MS);
  gtk_window_close (GTK_WINDOW (dialog));
  ASTRA_TEST_UI_WAIT (result != NULL, TIMEOUT_MS);
  protection = astra_encrypt_dialog_choose_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (protection);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *carol_home = NULL;
  g_autofree char *bob_home = NULL;
  g_autoptr(GBytes) carol_public = NULL;
  g_autoptr(GBytes) bob_public = NULL;
  int status;

  astra_test_ui_init (&argc, &argv);

  home = astra_test_gpg_make_home ("apgp-uh-XXXXXX");
  carol_home = astra_test_gpg_make_home ("apgp-uc-XXXXXX");
  fpr_alice = astra_test_gpg_generate_key (home, "Alice Admin <alice@example.org>", "never", NULL);
  fpr_carol = astra_test_gpg_generate_key (carol_home, "Carol Colleague <carol@example.org>", "never", NULL);
  carol_public = astra_test_gpg_run (carol_home, NULL, "--export", fpr_carol);
  g_bytes_unref (astra_test_gpg_run (home, carol_public, "--import"));
  astra_test_gpg_remove_home (carol_home);
  /* Bob's key, certified by Alice (a local signature): valid, so it may be chosen. */
  bob_home = astra_test_gpg_make_home ("apgp-ub-XXXXXX");
  fpr_bob = astra_test_gpg_generate_key (bob_home, "Bob Builder <bob@example.org>", "never", NULL);
  bob_public = astra_test_gpg_run (bob_home, NULL, "--export", fpr_bob);
  g_bytes_unref (astra_test_gpg_run (home, bob_public, "--import"));
  g_bytes_unref (astra_test_gpg_run (home, NULL, "--quick-lsign-key", fpr_bob));
  astra_test_gpg_remove_home (bob_home);
  g_setenv ("GNUPGHOME", home, TRUE);

  g_test_add_func ("/ui-pgp/encrypt-dialog/for-people", test_for_people);
  g_test_add_func ("/ui-pgp/encrypt-dialog/with-passphrase", test_with_passphrase);
  g_test_add_func ("/ui-pgp/encrypt-dialog/cancel", test_cancel);

  status = g_test_run ();
  astra_test_gpg_remove_home (home);
  return status;
}

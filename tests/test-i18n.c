/* test-i18n.c: the app runs translated
 *
 * Proves the translation chain end to end with the German catalog compiled in the build
 * directory: strings marked in C (core and app), in .ui templates, with a context (the
 * shortcuts window) all come back in German under LANGUAGE=de, as the running app shows them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-i18n"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "astra-application.h"
#include "astra-preferences-window.h"
#include "astra-test-ui.h"
#include "astra-token-format.h"
#include "astra-types.h"
#include "astra-window.h"

static void
test_catalog (void)
{
  g_autoptr(GError) error = NULL;

  /* The German catalog is the one in use, and complete enough to have a header. */
  g_assert_true (strstr (gettext (""), "Language: de") != NULL);

  g_assert_cmpstr (_("Preferences"), ==, "Einstellungen");
  g_assert_cmpstr (C_("shortcut window", "Quit"), ==, "Beenden");

  /* Core strings marked with N_() and translated at use. */
  g_assert_cmpstr (astra_environment_get_display_name (ASTRA_ENVIRONMENT_PRODUCTION), ==,
                   "Produktion");

  /* An error message as the user would read it. */
  g_assert_false (astra_token_format_validate ("", &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "Es wurde kein Token angegeben."));
}

static void
test_templates (void)
{
  AstraPreferencesWindow *window = astra_preferences_window_new (NULL);
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GPtrArray) shortcuts = NULL;
  gboolean found_generate = FALSE;
  GtkWidget *spin;
  GObject *overlay;

  /* .ui templates from the GResource are translated by GtkBuilder through textdomain(). */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Einstellungen");
  spin = astra_test_ui_find (GTK_WIDGET (window), GTK_TYPE_SPIN_BUTTON,
                             "Kopierte Geheimnisse leeren nach");
  g_assert_nonnull (spin);
  gtk_window_present (GTK_WINDOW (window));
  ASTRA_TEST_UI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (window)), 10000);
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (window), "Standard-Ablaufzeit"));
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "preferences-de.png"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Context-qualified strings (msgctxt) in the shortcuts window. */
  builder = gtk_builder_new_from_resource (RESOURCE_BASE "/ui/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_nonnull (overlay);
  shortcuts = astra_test_ui_find_all (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SHORTCUT, NULL);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *title = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "title", &title, NULL);
      found_generate |= g_strcmp0 (title, "Token erzeugen") == 0;
    }
  g_assert_true (found_generate);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_main_window (void)
{
  g_autoptr(AstraApplication) app = astra_application_new ();
  g_autoptr(GError) error = NULL;
  AstraContext *context;
  AstraWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  context = astra_application_get_context (app);

  window = astra_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  ASTRA_TEST_UI_WAIT (astra_context_get_loaded (context), 20000);

  /* The header's main menu is there in every state of the window. */
  ASTRA_TEST_UI_WAIT (astra_test_ui_find_mapped (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON,
                                                 "Hauptmenü") != NULL, 20000);
  g_assert_null (astra_test_ui_find_mapped (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON,
                                            "Main Menu"));

  /* On a first start (the keyring holds no organization yet; other tests in the same
   * session may have added some) the welcome page, as a German user first sees it. */
  if (g_list_model_get_n_items (astra_context_get_connections (context)) == 0)
    {
      ASTRA_TEST_UI_WAIT (astra_test_ui_shows_text (GTK_WIDGET (window),
                                                    "Willkommen bei Astra Tokens"), 20000);
      g_assert_nonnull (astra_test_ui_find_mapped (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                                   "Eine Organisation verbinden …"));
      g_assert_false (astra_test_ui_shows_text (GTK_WIDGET (window), "Welcome to Astra Tokens"));
    }
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "window-de.png"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* gettext ignores LANGUAGE in the C locale; C.UTF-8 is always there and is not "C". */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, ""));

  bindtextdomain (GETTEXT_PACKAGE, ASTRA_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The welcome page, not an organization taken from the environment. */
  g_unsetenv ("ASTRA_API_URL");
  g_unsetenv ("ASTRA_DB_APPLICATION_TOKEN");

  astra_test_ui_init (&argc, &argv);

  g_test_add_func ("/i18n/catalog", test_catalog);
  g_test_add_func ("/i18n/templates", test_templates);
  g_test_add_func ("/i18n/main-window", test_main_window);

  return g_test_run ();
}

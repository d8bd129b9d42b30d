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
#include "astra-row-menu-button.h"
#include "astra-test-ui.h"
#include "astra-token-format.h"
#include "astra-tokens-page.h"
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

/* One registered application for the whole program: a GApplication cannot be unregistered,
 * and a second one would try to export the same object path. */
static AstraApplication *app;

static AstraApplication *
get_application (void)
{
  g_autoptr(GError) error = NULL;

  if (app != NULL)
    return app;

  app = astra_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

static void
test_main_window (void)
{
  AstraContext *context = astra_application_get_context (get_application ());
  AstraWindow *window;

  window = astra_window_new (get_application ());
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

/* The organization's name in the sidebar, or NULL. (transfer none) */
static GtkWidget *
find_sidebar_name (AstraWindow *window,
                   const char  *name)
{
  g_autoptr(GPtrArray) labels = astra_test_ui_find_all (GTK_WIDGET (window), GTK_TYPE_LABEL, name);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_ancestor (g_ptr_array_index (labels, i), GTK_TYPE_LIST_BOX_ROW) != NULL)
      return g_ptr_array_index (labels, i);

  return NULL;
}

/* The token table in German, whose titles and badges are longer than the English ones,
 * fits the window at 800, 1000 and 1400 px: every row's actions button and every column
 * title is inside it and whole, and the sidebar's organization name is not cut. */
static void
check_tokens_at (AstraWindow *window,
                 int          width)
{
  AstraTokensPage *page = ASTRA_TOKENS_PAGE (astra_test_ui_find (GTK_WIDGET (window),
                                                                 ASTRA_TYPE_TOKENS_PAGE, NULL));
  GtkColumnView *view = astra_tokens_page_get_column_view (page);
  GtkColumnViewColumn *generated = astra_test_ui_find_column (view, "Erzeugt");
  GtkColumnViewColumn *expires = astra_test_ui_find_column (view, "Läuft ab");
  g_autoptr(GPtrArray) buttons = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autofree char *name = g_strdup_printf ("tokens-de-%d.png", width);
  GtkWidget *org_name;
  guint n_bounded = 0;
  int natural;

  astra_test_ui_resize (GTK_WINDOW (window), width, 700);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), name));

  /* The environment strip and the expiry banner wrap, with an ellipsis only as a bound
   * (they are measured as one line): the German text is whole. */
  labels = astra_test_ui_find_all (GTK_WIDGET (window), GTK_TYPE_LABEL, NULL);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (!gtk_widget_get_mapped (GTK_WIDGET (label)) || !gtk_label_get_wrap (label) ||
          gtk_label_get_ellipsize (label) == PANGO_ELLIPSIZE_NONE)
        continue;
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
      n_bounded++;
    }
  g_assert_cmpuint (n_bounded, ==, 2);

  buttons = astra_test_ui_find_all (GTK_WIDGET (view), ASTRA_TYPE_ROW_MENU_BUTTON, "Token-Aktionen");
  g_assert_cmpuint (buttons->len, >, 0);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (buttons, i)))
      astra_test_ui_assert_table_fits (view, g_ptr_array_index (buttons, i));

  g_assert_nonnull (generated);
  g_assert_nonnull (expires);
  g_assert_true (gtk_column_view_column_get_visible (generated) == (width >= 1400));
  g_assert_true (gtk_column_view_column_get_visible (expires) == (width >= 1400));

  /* Role names are not translated; from the default size on, they are not cut. */
  roles = astra_test_ui_find_all (GTK_WIDGET (view), GTK_TYPE_INSCRIPTION, "Organization Administrator");
  g_assert_cmpuint (roles->len, >, 0);
  for (guint i = 0; i < roles->len && width >= 1000; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (roles, i)))
      g_assert_true (astra_test_ui_inscription_is_whole (g_ptr_array_index (roles, i)));

  org_name = find_sidebar_name (window, "Acme Analytics");
  g_assert_nonnull (org_name);
  g_assert_true (gtk_widget_get_mapped (org_name));
  gtk_widget_measure (org_name, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_width (org_name), >=, natural);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  astra_context_load_finish (ASTRA_CONTEXT (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_tokens_layout (void)
{
  AstraContext *context = astra_application_get_context (get_application ());
  g_autoptr(AstraSimServer) sim = astra_sim_server_new ();
  g_autoptr(GError) error = NULL;
  AstraConnection *connection;
  AstraTokensPage *page;
  AstraWindow *window;
  GtkWidget *org_name;
  gboolean loaded = FALSE;

  /* An organization from the environment, read again as the window's Reload does: its
   * badge, “Aus der Umgebung”, is the longest, and nothing goes to the keyring. */
  astra_sim_server_set_org_name (sim, "Acme Analytics");
  astra_sim_server_set_seed (sim, 20, 3);
  g_assert_true (astra_sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);
  g_setenv ("ASTRA_API_URL", astra_sim_server_get_base_url (sim), TRUE);
  g_setenv ("ASTRA_DB_APPLICATION_TOKEN", astra_sim_server_get_admin_token (sim), TRUE);

  window = astra_window_new (get_application ());
  gtk_window_present (GTK_WINDOW (window));
  ASTRA_TEST_UI_WAIT (astra_context_get_loaded (context), 20000);
  astra_context_load_async (context, NULL, on_loaded_cb, &loaded);
  ASTRA_TEST_UI_WAIT (loaded, 20000);

  /* Chosen in the sidebar, as a person would. */
  ASTRA_TEST_UI_WAIT ((org_name = find_sidebar_name (window, "Acme Analytics")) != NULL, 20000);
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_ancestor (org_name, GTK_TYPE_LIST_BOX)),
                           GTK_LIST_BOX_ROW (gtk_widget_get_ancestor (org_name, GTK_TYPE_LIST_BOX_ROW)));
  ASTRA_TEST_UI_WAIT ((connection = astra_window_get_connection (window)) != NULL &&
                      astra_context_is_from_environment (context, connection), 20000);
  page = ASTRA_TOKENS_PAGE (astra_test_ui_find (GTK_WIDGET (window), ASTRA_TYPE_TOKENS_PAGE, NULL));
  ASTRA_TEST_UI_WAIT (g_strcmp0 (astra_tokens_page_get_state (page), "list") == 0, 20000);

  check_tokens_at (window, 800);
  check_tokens_at (window, 1000);
  check_tokens_at (window, 1400);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("ASTRA_API_URL");
  g_unsetenv ("ASTRA_DB_APPLICATION_TOKEN");
  astra_sim_server_disconnect (sim);
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
  g_test_add_func ("/i18n/tokens-layout", test_tokens_layout);

  return g_test_run ();
}

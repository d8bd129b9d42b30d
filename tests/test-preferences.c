/* test-preferences.c: the preferences, about and shortcuts windows and the app actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <adwaita.h>

#include "astra-application.h"
#include "astra-preferences-window.h"
#include "astra-test-ui.h"
#include "astra-window.h"

/* One registered application for the whole program: a GApplication cannot be unregistered,
 * and a second one would try to export the same object path. */
static AstraApplication *app;

static void
start_application (void)
{
  g_autoptr(GError) error = NULL;

  app = astra_application_new ();
  /* Not unique: the test needs no bus name, only startup (actions, accelerators). */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

static guint
count_toplevels (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      n++;

  return n;
}

static gboolean
strv_has (char       **strv,
          const char  *wanted)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, wanted);
}

/* ------------------------------------------------------------------------------------------ */

/* The default expiry choice @title: a radio button named after its row. */
static GtkCheckButton *
find_expiry_choice (GtkWidget  *window,
                    const char *title)
{
  GtkCheckButton *check = astra_test_ui_find_choice (window, title);

  /* Named for assistive technologies by the row's title. */
  gtk_test_accessible_assert_property (check, GTK_ACCESSIBLE_PROPERTY_LABEL, title);
  return check;
}

/* The title of the one default expiry choice that is selected. */
static const char *
selected_expiry (GtkWidget *window)
{
  const char *titles[] = { "Never", "30 days", "90 days", "365 days" };
  const char *selected = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      if (!gtk_check_button_get_active (find_expiry_choice (window, titles[i])))
        continue;
      g_assert_null (selected);
      selected = titles[i];
    }

  return selected;
}

static void
test_preferences_bindings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  AstraPreferencesWindow *window = astra_preferences_window_new (NULL);
  GtkWidget *spin, *mask;

  gtk_window_present (GTK_WINDOW (window));
  ASTRA_TEST_UI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (window)), 10000);

  spin = astra_test_ui_find (GTK_WIDGET (window), GTK_TYPE_SPIN_BUTTON, "Clear Copied Secrets After");
  mask = astra_test_ui_find (GTK_WIDGET (window), GTK_TYPE_SWITCH, "Mask Secrets");
  g_assert_nonnull (spin);
  g_assert_nonnull (mask);
  g_assert_true (astra_test_ui_shows_text (GTK_WIDGET (window), "Default Expiry"));

  /* Controls are named for assistive technologies, not just visually labelled. */
  gtk_test_accessible_assert_property (spin, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Clear Copied Secrets After");
  gtk_test_accessible_assert_property (mask, GTK_ACCESSIBLE_PROPERTY_LABEL, "Mask Secrets");

  /* Schema defaults shown. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 30);
  g_assert_cmpstr (selected_expiry (GTK_WIDGET (window)), ==, "Never");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (mask)));

  /* Widget → settings. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 45);
  g_assert_cmpuint (g_settings_get_uint (settings, "clipboard-clear-seconds"), ==, 45);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "clipboard-clear-seconds"), ==, 0);
  /* The range is the schema's: the spin button cannot store what the schema rejects. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 100000);
  g_assert_cmpuint (g_settings_get_uint (settings, "clipboard-clear-seconds"), ==, 600);

  /* As a click, Space or the accessible "toggle" action does. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (find_expiry_choice (GTK_WIDGET (window),
                                                                      "365 days"))));
  g_assert_cmpuint (g_settings_get_uint (settings, "default-expiry-days"), ==, 365);
  g_assert_cmpstr (selected_expiry (GTK_WIDGET (window)), ==, "365 days");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_expiry_choice (GTK_WIDGET (window),
                                                                             "30 days")),
                                             "toggle", NULL));
  g_assert_cmpuint (g_settings_get_uint (settings, "default-expiry-days"), ==, 30);
  g_assert_cmpstr (selected_expiry (GTK_WIDGET (window)), ==, "30 days");

  gtk_switch_set_active (GTK_SWITCH (mask), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "mask-secrets"));

  /* Settings → widget: a change made elsewhere shows at once. */
  g_settings_set_uint (settings, "default-expiry-days", 90);
  g_assert_cmpstr (selected_expiry (GTK_WIDGET (window)), ==, "90 days");
  g_settings_set_uint (settings, "clipboard-clear-seconds", 120);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 120);
  g_settings_set_boolean (settings, "mask-secrets", TRUE);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (mask)));

  /* A value no choice stands for shows the schema default, and is kept until a choice is
   * made (the generate dialog offers it as a date). */
  g_settings_set_uint (settings, "default-expiry-days", 45);
  g_assert_cmpstr (selected_expiry (GTK_WIDGET (window)), ==, "Never");
  g_assert_cmpuint (g_settings_get_uint (settings, "default-expiry-days"), ==, 45);
  g_settings_set_uint (settings, "default-expiry-days", 30);

  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "preferences.png"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "preferences-dark-narrow.png"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "clipboard-clear-seconds");
  g_settings_reset (settings, "default-expiry-days");
  g_settings_reset (settings, "mask-secrets");
}

/* The title of the one style choice that is selected. */
static const char *
selected_style (GtkWidget *window)
{
  const char *titles[] = { "Follow System", "Light", "Dark" };
  const char *selected = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      if (!gtk_check_button_get_active (find_expiry_choice (window, titles[i])))
        continue;
      g_assert_null (selected);
      selected = titles[i];
    }

  return selected;
}

static gboolean
style_setting_is (GSettings  *settings,
                  const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, "style-variant");

  return g_str_equal (value, expected);
}

/* Follow System / Light / Dark: kept in GSettings, applied by the application to the style
 * manager at once, whoever changes the setting. */
static void
test_preferences_style (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  AdwStyleManager *style = adw_style_manager_get_default ();
  AstraPreferencesWindow *window = astra_preferences_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  ASTRA_TEST_UI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (window)), 10000);

  g_assert_cmpstr (selected_style (GTK_WIDGET (window)), ==, "Follow System");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  /* As a click, Space or the accessible "toggle" action does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_expiry_choice (GTK_WIDGET (window),
                                                                             "Dark")),
                                             "toggle", NULL));
  g_assert_true (style_setting_is (settings, "dark"));
  g_assert_cmpstr (selected_style (GTK_WIDGET (window)), ==, "Dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));

  /* A change made elsewhere (gsettings set) applies live and shows. */
  g_settings_set_string (settings, "style-variant", "light");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style));
  ASTRA_TEST_UI_WAIT (g_strcmp0 (selected_style (GTK_WIDGET (window)), "Light") == 0, 10000);

  g_assert_true (gtk_widget_activate (GTK_WIDGET (find_expiry_choice (GTK_WIDGET (window),
                                                                      "Follow System"))));
  g_assert_true (style_setting_is (settings, "follow"));
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "style-variant");
}

static void
test_app_actions (void)
{
  g_auto(GStrv) accels = NULL;
  GtkWindow *preferences;
  AdwAboutWindow *about;

  for (guint i = 0; i < 3; i++)
    {
      const char *name = (const char *[]) { "quit", "preferences", "about" }[i];
      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), name));
    }

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_true (strv_has (accels, "<Control>comma"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_true (strv_has (accels, "<Control>q"));
  g_clear_pointer (&accels, g_strfreev);

  /* Preferences: opens once, a second activation presents the same window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  ASTRA_TEST_UI_WAIT ((preferences = find_toplevel (ASTRA_TYPE_PREFERENCES_WINDOW)) != NULL &&
                      gtk_widget_get_mapped (GTK_WIDGET (preferences)), 10000);
  g_assert_true (gtk_window_get_application (preferences) == GTK_APPLICATION (app));
  ASTRA_TEST_UI_WAIT (gtk_application_get_active_window (GTK_APPLICATION (app)) == preferences,
                      10000);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  astra_test_ui_spin (100);
  g_assert_cmpuint (count_toplevels (ASTRA_TYPE_PREFERENCES_WINDOW), ==, 1);
  gtk_window_destroy (preferences);

  /* About: the facts a user or a bug reporter needs. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  ASTRA_TEST_UI_WAIT ((about = (AdwAboutWindow *) find_toplevel (ADW_TYPE_ABOUT_WINDOW)) != NULL,
                      10000);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Astra Tokens");
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  g_assert_true (g_str_has_prefix (adw_about_window_get_issue_url (about), "https://"));
  g_assert_nonnull (adw_about_window_get_developers (about));
  g_assert_nonnull (adw_about_window_get_copyright (about));
  /* The icon comes with the app (GResource), so it shows even when not installed. */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (about))),
                                          BASE_APP_ID));
  g_free (astra_test_ui_screenshot (GTK_WIDGET (about), "about.png"));
  gtk_window_destroy (GTK_WINDOW (about));
}

static void
test_help_overlay (void)
{
  static const char *expected[] = {
    "<Primary>n", "<Primary>f", "F5 <Primary>r", "<Primary>c", "Delete",
    "<Primary>comma", "<Primary>question", "<Primary>q", "Escape",
  };
  g_autoptr(GPtrArray) shortcuts = NULL;
  g_auto(GStrv) accels = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) seen = NULL;
  GtkShortcutsWindow *overlay;
  AstraWindow *window;

  /* Every window has win.show-help-overlay, bound to Ctrl+?; the shortcuts window is built
   * when first shown, not with the window. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_true (strv_has (accels, "<Control>question"));

  window = astra_window_new (app);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);

  shortcuts = astra_test_ui_find_all (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SHORTCUT, NULL);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *title = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i),
                    "accelerator", &accelerator,
                    "title", &title,
                    NULL);
      g_assert_true (title != NULL && *title != '\0');
      g_strv_builder_add (builder, accelerator);
    }
  seen = g_strv_builder_end (builder);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!strv_has (seen, expected[i]))
      g_error ("the shortcuts window does not list %s", expected[i]);

  ASTRA_TEST_UI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (overlay)), 10000);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (overlay), "shortcuts.png"));

  gtk_window_destroy (GTK_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  astra_test_ui_init (&argc, &argv);
  start_application ();

  g_test_add_func ("/preferences/bindings", test_preferences_bindings);
  g_test_add_func ("/preferences/style", test_preferences_style);
  g_test_add_func ("/application/actions", test_app_actions);
  g_test_add_func ("/application/help-overlay", test_help_overlay);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

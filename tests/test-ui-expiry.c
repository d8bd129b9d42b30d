/* test-ui-expiry.c: tokens that expire soon are flagged, filtered, counted and announced
 *
 * One window, one in-process simulator holding tokens around the boundaries (expired 30
 * days ago, in 23 hours, in 3 days, in 15 days, in 90 days, never), and a fake
 * org.freedesktop.Notifications server on the test session bus: GApplication's real
 * notification path (its freedesktop backend) delivers to it over D-Bus. A fake
 * org.freedesktop.portal.Desktop answers the background switch in Flatpak mode. The cases run in
 * order and build on each other. Run in a session of its own (build-aux/with-test-session):
 * it connects an organization and owns the notification server's name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "astra-application.h"
#include "astra-application-expiry.h"
#include "astra-autostart.h"
#include "astra-client.h"
#include "astra-expiry-monitor.h"
#include "astra-expiry-notifier.h"
#include "astra-generate-dialog.h"
#include "astra-generated-token.h"
#include "astra-preferences-window.h"
#include "astra-role.h"
#include "astra-test-notifications.h"
#include "astra-test-portal.h"
#include "astra-test-ui.h"
#include "astra-token.h"
#include "astra-tokens-page.h"
#include "astra-window.h"
#include "astra-window-private.h"

#define TIMEOUT_MS 20000
#define HOUR (G_GINT64_CONSTANT (3600))
#define DAY (24 * HOUR)

static AstraApplication *app;
static AstraWindow *window;
static AstraSimServer *sim;
static AstraClient *client;
static GPtrArray *notifications;   /* GVariant (susssasa{sv}i) of every Notify call */
static GPtrArray *portal_calls;    /* GVariant (sa{sv}) of every RequestBackground call */
static char *soon_client_id;       /* the token that expires in 3 days */

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
  return window->tokens_page;
}

static GSettings *
settings (void)
{
  return astra_context_get_settings (get_context ());
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
  ASTRA_TEST_UI_WAIT (populated, TIMEOUT_MS);
  g_signal_handler_disconnect (tokens_page (), id);
  astra_test_ui_spin (50);
}

static void
on_roles_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GListModel **roles = user_data;
  g_autoptr(GError) error = NULL;

  *roles = astra_client_list_roles_finish (ASTRA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static void
on_created_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AstraGeneratedToken **token = user_data;
  g_autoptr(GError) error = NULL;

  *token = astra_client_create_token_finish (ASTRA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* Generates a token through the API, as another tool would. Returns its client id. */
static char *
create_token (const char *description,
              gint64      seconds_from_now)
{
  static char *role_id;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_seconds (now, (double) seconds_from_now);
  g_autoptr(AstraGeneratedToken) token = NULL;

  if (role_id == NULL)
    {
      g_autoptr(GListModel) roles = NULL;

      astra_client_list_roles_async (client, NULL, on_roles_cb, &roles);
      ASTRA_TEST_UI_WAIT (roles != NULL, TIMEOUT_MS);
      for (guint i = 0; i < g_list_model_get_n_items (roles) && role_id == NULL; i++)
        {
          g_autoptr(AstraRole) role = g_list_model_get_item (roles, i);

          if (g_strcmp0 (astra_role_get_name (role), "RO Svc Acct") == 0)
            role_id = g_strdup (astra_role_get_id (role));
        }
      g_assert_nonnull (role_id);
    }

  {
    const char *role_ids[] = { role_id, NULL };

    astra_client_create_token_async (client, role_ids, description, expires, NULL,
                                     on_created_cb, &token);
  }
  ASTRA_TEST_UI_WAIT (token != NULL, TIMEOUT_MS);
  return g_strdup (astra_generated_token_get_client_id (token));
}

/* The Expires cell of the row whose Description cell shows @description: the only cell of
 * the row with a tooltip of its own (the date). */
static GtkInscription *
expires_cell (const char *description)
{
  g_autoptr(GPtrArray) cells = astra_test_ui_find_all (GTK_WIDGET (tokens_page ()), GTK_TYPE_INSCRIPTION, NULL);

  for (guint i = 0; i < cells->len; i++)
    if (g_strcmp0 (gtk_inscription_get_text (g_ptr_array_index (cells, i)), description) == 0)
      {
        GtkWidget *row = gtk_widget_get_parent (gtk_widget_get_parent (g_ptr_array_index (cells, i)));
        g_autoptr(GPtrArray) row_cells = astra_test_ui_find_all (row, GTK_TYPE_INSCRIPTION, NULL);

        for (guint j = 0; j < row_cells->len; j++)
          if (gtk_widget_get_has_tooltip (g_ptr_array_index (row_cells, j)))
            return g_ptr_array_index (row_cells, j);
      }

  g_error ("no row shows “%s” with an Expires cell", description);
}

static GtkWidget *
banner (void)
{
  return astra_test_ui_find (GTK_WIDGET (tokens_page ()), GTK_TYPE_REVEALER, NULL);
}

static const char *
banner_text (void)
{
  GtkWidget *revealer = banner ();

  if (!gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (astra_test_ui_find (revealer, GTK_TYPE_LABEL, NULL)));
}

static GtkToggleButton *
expiring_toggle (void)
{
  return GTK_TOGGLE_BUTTON (astra_test_ui_find (GTK_WIDGET (tokens_page ()), GTK_TYPE_TOGGLE_BUTTON,
                                                "Expiring Soon"));
}

static guint
rows_shown (void)
{
  return g_list_model_get_n_items (astra_tokens_page_get_model (tokens_page ()));
}

/* The count in the organization's sidebar row, by its accessible label, or NULL. */
static GtkWidget *
sidebar_count (guint count)
{
  g_autofree char *label = g_strdup_printf (count == 1 ? "%u token expires soon" : "%u tokens expire soon", count);
  GtkWidget *found = astra_test_ui_find (GTK_WIDGET (window), GTK_TYPE_LABEL, label);

  return found != NULL && gtk_widget_get_visible (found) ? found : NULL;
}

static void
on_connected_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *connected = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraConnection) connection = astra_context_connect_finish (ASTRA_CONTEXT (object), result, &error);

  g_assert_no_error (error);
  *connected = TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                      */

/* To local noon @days calendar days from today: the words ("In 3 days", calendar days)
 * then do not depend on the hour the test runs at (3 days and an hour from 23:30 is 4
 * calendar days away), and the time left stays between days − ½ and days + ½. */
static gint64
seconds_to_noon_in_days (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) noon = g_date_time_new_local (g_date_time_get_year (now),
                                                     g_date_time_get_month (now),
                                                     g_date_time_get_day_of_month (now), 12, 0, 0);
  g_autoptr(GDateTime) then = g_date_time_add_days (noon, days);

  return g_date_time_difference (then, now) / G_USEC_PER_SEC;
}

static void
test_connect (void)
{
  gboolean connected = FALSE;
  g_autoptr(GError) error = NULL;
  g_autofree char *hours = NULL, *fifteen = NULL;

  client = astra_client_new (astra_sim_server_get_base_url (sim), astra_sim_server_get_admin_token (sim), &error);
  g_assert_no_error (error);
  hours = create_token ("Nightly backup", 23 * HOUR + 30 * 60);
  soon_client_id = create_token ("Billing export", seconds_to_noon_in_days (3));
  fifteen = create_token ("Partner feed", seconds_to_noon_in_days (15));

  ASTRA_TEST_UI_WAIT (astra_context_get_loaded (get_context ()), TIMEOUT_MS);
  astra_context_connect_async (get_context (), astra_sim_server_get_admin_token (sim),
                               ASTRA_ENVIRONMENT_CUSTOM, astra_sim_server_get_base_url (sim), NULL,
                               on_connected_cb, &connected);
  ASTRA_TEST_UI_WAIT (connected, TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (tokens_page () != NULL &&
                      g_strcmp0 (astra_tokens_page_get_state (tokens_page ()), "list") == 0, TIMEOUT_MS);
  astra_test_ui_spin (100);
}

/* The words, and the warning colour within 14 days; error once expired. */
static void
test_cells (void)
{
  struct { const char *description, *words, *style; } rows[] = {
    { "Nightly backup", "In 23 hours", "warning" },
    { "Billing export", "In 3 days", "warning" },
    { "Partner feed", "In 15 days", NULL },
    { "Expired demo token", "Expired 30 days ago", "error" },
    { "Analytics dashboard, read only", "In 90 days", NULL },
    { "CI pipeline", "Never", "dim-label" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkInscription *cell = expires_cell (rows[i].description);
      const char *styles[] = { "warning", "error", "dim-label" };

      g_assert_cmpstr (gtk_inscription_get_text (cell), ==, rows[i].words);
      for (guint s = 0; s < G_N_ELEMENTS (styles); s++)
        g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (cell), styles[s]), ==,
                         g_strcmp0 (rows[i].style, styles[s]) == 0);
      /* The exact date is a tooltip away (built when asked for). */
      g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (cell)));
    }
}

static void
test_banner (void)
{
  GtkWidget *review;

  g_assert_cmpstr (banner_text (), ==, "3 tokens expire within 14 days or have expired");
  review = astra_test_ui_find_mapped (banner (), GTK_TYPE_BUTTON, "Review");
  g_assert_nonnull (review);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (review), ==, "Show only the tokens that expire soon");

  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "expiry-banner.png"));
  astra_test_ui_resize (GTK_WINDOW (window), 800, 600);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "expiry-banner-800.png"));
  astra_test_ui_resize (GTK_WINDOW (window), 1280, 800);
}

/* Review turns Expiring Soon on; it narrows the search's results, and the search its. */
static void
test_filter (void)
{
  GtkWidget *search = astra_test_ui_find (GTK_WIDGET (tokens_page ()), GTK_TYPE_SEARCH_ENTRY, NULL);
  guint all = rows_shown ();

  g_assert_cmpuint (all, ==, 10);
  g_assert_false (gtk_toggle_button_get_active (expiring_toggle ()));
  gtk_editable_set_text (GTK_EDITABLE (search), "Partner");
  ASTRA_TEST_UI_WAIT (rows_shown () == 1, TIMEOUT_MS);

  /* A button activated from the keyboard clicks once its pressed look has shown. */
  g_assert_true (gtk_widget_activate (astra_test_ui_find_mapped (banner (), GTK_TYPE_BUTTON, "Review")));
  ASTRA_TEST_UI_WAIT (gtk_toggle_button_get_active (expiring_toggle ()), TIMEOUT_MS);
  g_assert_null (astra_test_ui_find_mapped (banner (), GTK_TYPE_BUTTON, "Review"));
  /* Review clears the search: every token that needs a look. */
  ASTRA_TEST_UI_WAIT (rows_shown () == 3, TIMEOUT_MS);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (astra_tokens_page_get_model (tokens_page ()), i);

      g_assert_nonnull (astra_token_get_expires (token));
    }

  gtk_editable_set_text (GTK_EDITABLE (search), "backup");
  ASTRA_TEST_UI_WAIT (rows_shown () == 1, TIMEOUT_MS);
  gtk_editable_set_text (GTK_EDITABLE (search), "Partner");
  ASTRA_TEST_UI_WAIT (rows_shown () == 0, TIMEOUT_MS);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  ASTRA_TEST_UI_WAIT (rows_shown () == 3, TIMEOUT_MS);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "expiry-filter.png"));

  gtk_toggle_button_set_active (expiring_toggle (), FALSE);
  ASTRA_TEST_UI_WAIT (rows_shown () == all, TIMEOUT_MS);
  g_assert_nonnull (astra_test_ui_find_mapped (banner (), GTK_TYPE_BUTTON, "Review"));
}

static void
test_sidebar (void)
{
  ASTRA_TEST_UI_WAIT (sidebar_count (3) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (sidebar_count (3))), ==, "3");
}

/* The threshold in Preferences applies at once: cells, banner, filter and sidebar. */
static void
test_threshold (void)
{
  AstraPreferencesWindow *preferences = astra_preferences_window_new (GTK_WINDOW (window));
  GtkWidget *spin;

  gtk_window_present (GTK_WINDOW (preferences));
  spin = astra_test_ui_find (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON, "Warn Before Expiry");
  g_assert_nonnull (spin);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 14);
  /* Tall enough to show the Expiring Tokens group at the bottom. */
  astra_test_ui_resize (GTK_WINDOW (preferences), 560, 1200);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (preferences), "expiry-preferences.png"));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 16);
  g_assert_cmpuint (g_settings_get_uint (settings (), "expiry-warning-days"), ==, 16);
  ASTRA_TEST_UI_WAIT (g_strcmp0 (banner_text (), "4 tokens expire within 16 days or have expired") == 0, TIMEOUT_MS);
  astra_test_ui_spin (50);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (expires_cell ("Partner feed")), "warning"));
  ASTRA_TEST_UI_WAIT (sidebar_count (4) != NULL, TIMEOUT_MS);

  /* The limits of the setting are the spin's. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 500);
  g_assert_cmpuint (g_settings_get_uint (settings (), "expiry-warning-days"), ==, 90);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 14);
  ASTRA_TEST_UI_WAIT (g_strcmp0 (banner_text (), "3 tokens expire within 14 days or have expired") == 0, TIMEOUT_MS);
  astra_test_ui_spin (50);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (expires_cell ("Partner feed")), "warning"));
  ASTRA_TEST_UI_WAIT (sidebar_count (3) != NULL, TIMEOUT_MS);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* The background switch writes and removes the XDG autostart entry. */
static void
test_autostart (void)
{
  AstraPreferencesWindow *preferences = astra_preferences_window_new (GTK_WINDOW (window));
  g_autofree char *path = astra_autostart_get_path (APP_ID);
  g_autofree char *contents = NULL;
  GtkWidget *toggle;

  gtk_window_present (GTK_WINDOW (preferences));
  toggle = astra_test_ui_find (GTK_WIDGET (preferences), GTK_TYPE_SWITCH,
                               "Warn About Expiring Tokens in the Background");
  g_assert_nonnull (toggle);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* $XDG_CONFIG_HOME, which the isolated test directories set. */
  g_assert_true (g_str_has_prefix (path, g_getenv ("XDG_CONFIG_HOME")));

  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (g_settings_get_boolean (settings (), "expiry-background-check"));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Exec=astra-tokens --gapplication-service --check-expiry\n"));
  g_assert_nonnull (strstr (contents, "X-GNOME-Autostart-enabled=true\n"));

  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* Inside Flatpak (ASTRA_FLATPAK_INFO names an existing file) the Preferences window shows
 * the background switch; returns it, with the window presented. */
static GtkWidget *
present_flatpak_preferences (AstraPreferencesWindow **preferences)
{
  g_autofree char *info = g_test_build_filename (G_TEST_DIST, "test-ui-expiry.c", NULL);
  GtkWidget *toggle;

  g_setenv ("ASTRA_FLATPAK_INFO", info, TRUE);
  /* As the app's preferences action opens it: a window of the application. */
  *preferences = astra_preferences_window_new (GTK_WINDOW (window));
  gtk_window_set_application (GTK_WINDOW (*preferences), gtk_window_get_application (GTK_WINDOW (window)));
  gtk_window_present (GTK_WINDOW (*preferences));
  toggle = astra_test_ui_find (GTK_WIDGET (*preferences), GTK_TYPE_SWITCH,
                               "Warn About Expiring Tokens in the Background");
  g_assert_nonnull (toggle);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  return toggle;
}

static gboolean
last_call_autostart (void)
{
  g_autoptr(GVariant) options = g_variant_get_child_value (g_ptr_array_index (portal_calls, portal_calls->len - 1), 1);
  gboolean autostart;

  g_assert_true (g_variant_lookup (options, "autostart", "b", &autostart));
  return autostart;
}

/* In Flatpak the switch asks the Background portal, which writes the entry on the host:
 * none in the sandbox's own config folder. */
static void
test_portal_enable (void)
{
  AstraPreferencesWindow *preferences;
  GtkWidget *toggle = present_flatpak_preferences (&preferences);
  g_autofree char *path = astra_autostart_get_path (APP_ID);
  g_autoptr(GVariant) options = NULL;
  g_autoptr(GVariant) parent = NULL;
  g_autofree const char **commandline = NULL;
  g_autofree char *xid = NULL;

  astra_test_portal_set_response (0);
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  ASTRA_TEST_UI_WAIT (portal_calls->len == 1, TIMEOUT_MS);
  g_assert_true (last_call_autostart ());
  /* The portal's question is attached to the window the switch is in. */
  parent = g_variant_get_child_value (g_ptr_array_index (portal_calls, 0), 0);
  xid = g_strdup_printf ("x11:%lx", (unsigned long) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (preferences))));
  g_assert_cmpstr (g_variant_get_string (parent, NULL), ==, xid);
  options = g_variant_get_child_value (g_ptr_array_index (portal_calls, 0), 1);
  g_assert_true (g_variant_lookup (options, "commandline", "^a&s", &commandline));
  g_assert_cmpstrv (commandline,
                    ((const char *[]) { "astra-tokens", "--gapplication-service", "--check-expiry", NULL }));
  /* The answer arrives and changes nothing: the switch stays on. */
  astra_test_ui_spin (300);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_true (g_settings_get_boolean (settings (), "expiry-background-check"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  ASTRA_TEST_UI_WAIT (portal_calls->len == 2, TIMEOUT_MS);
  g_assert_false (last_call_autostart ());
  astra_test_ui_spin (300);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_unsetenv ("ASTRA_FLATPAK_INFO");
}

/* The person says no: the switch goes back off, the reason shows, and the portal is not
 * asked a second time. */
static void
test_portal_denied (void)
{
  AstraPreferencesWindow *preferences;
  GtkWidget *toggle = present_flatpak_preferences (&preferences);
  guint n_calls = portal_calls->len;

  astra_test_portal_set_response (1);
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  ASTRA_TEST_UI_WAIT (!gtk_switch_get_active (GTK_SWITCH (toggle)), TIMEOUT_MS);
  g_assert_false (g_settings_get_boolean (settings (), "expiry-background-check"));
  ASTRA_TEST_UI_WAIT (astra_test_ui_shows_text (GTK_WIDGET (preferences),
                                                "Running in the background was not allowed. "
                                                "You can allow it in Settings → Apps."),
                      TIMEOUT_MS);
  astra_test_ui_spin (300);
  g_assert_cmpuint (portal_calls->len, ==, n_calls + 1);
  g_assert_true (last_call_autostart ());

  astra_test_portal_set_response (0);
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_unsetenv ("ASTRA_FLATPAK_INFO");
}

/* A token generated elsewhere (another window, astra-cli): tokens-changed updates all. */
static void
test_follows_changes (void)
{
  g_autofree char *client_id = create_token ("Deploy key", 2 * DAY);

  astra_context_tokens_changed (get_context (), astra_connection_get_org_id (astra_window_get_connection (window)));
  ASTRA_TEST_UI_WAIT (g_strcmp0 (banner_text (), "4 tokens expire within 14 days or have expired") == 0, TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (sidebar_count (4) != NULL, TIMEOUT_MS);
}

/* Once the app runs (activated), a loaded list notifies, once per organization and day. */
static void
test_notification (void)
{
  const char *org_id = astra_connection_get_org_id (astra_window_get_connection (window));
  const char *app_name, *icon, *summary, *body;
  g_autofree const char **actions = NULL;
  guint32 replaces;
  g_autoptr(GVariant) hints = NULL;
  gint32 timeout;
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autofree char *text = NULL;

  g_assert_cmpuint (notifications->len, ==, 0);
  g_application_activate (G_APPLICATION (app));
  refresh_and_wait ();
  ASTRA_TEST_UI_WAIT (notifications->len == 1, TIMEOUT_MS);

  g_variant_get (g_ptr_array_index (notifications, 0), "(&su&s&s&s^a&s@a{sv}i)",
                 &app_name, &replaces, &icon, &summary, &body, &actions, &hints, &timeout);
  g_assert_cmpstr (summary, ==, "Tokens in Acme Analytics expire soon");
  g_assert_cmpstr (body, ==, "4 tokens expire within 14 days or have expired.\n“Expired demo token”: Expired 30 days ago.");
  for (guint i = 0; actions[i] != NULL; i++)
    g_string_append_printf (labels, "%s|", actions[i]);
  g_assert_nonnull (strstr (labels->str, "|Review|"));
  g_assert_nonnull (strstr (labels->str, "|Rotate…|"));
  text = g_variant_print (g_ptr_array_index (notifications, 0), FALSE);
  g_assert_null (strstr (text, "AstraCS:"));
  /* What the user reads, next to the screenshots (data/screenshots/expiry-notification.txt). */
  if (g_getenv ("ASTRA_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("ASTRA_SCREENSHOT_DIR"),
                                                "expiry-notification.txt", NULL);
      g_autoptr(GString) shown = g_string_new (NULL);

      g_string_append_printf (shown, "%s\n%s\n", summary, body);
      /* org.freedesktop.Notifications actions: identifier, label, identifier, label… */
      for (guint i = 1; actions[i - 1] != NULL && actions[i] != NULL; i += 2)
        if (actions[i][0] != '\0')   /* the "default" action (a click) has no button */
          g_string_append_printf (shown, "[%s] ", actions[i]);
      g_string_truncate (shown, shown->len - 1);
      g_string_append_c (shown, '\n');
      g_mkdir_with_parents (g_getenv ("ASTRA_SCREENSHOT_DIR"), 0755);
      g_assert_true (g_file_set_contents (path, shown->str, -1, NULL));
    }

  /* The day is remembered by organization id, not by anything secret. */
  {
    g_autoptr(GVariant) notified = g_settings_get_value (settings (), "expiry-notified");
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
    const char *day = NULL;

    g_assert_true (g_variant_lookup (notified, org_id, "&s", &day));
    g_assert_cmpstr (day, ==, today);
  }

  /* Later the same day: quiet. */
  refresh_and_wait ();
  astra_test_ui_spin (500);
  g_assert_cmpuint (notifications->len, ==, 1);

  /* Another day (the memory says yesterday): again. */
  {
    g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));

    g_variant_builder_add (&builder, "{ss}", org_id, "2000-01-01");
    g_settings_set_value (settings (), "expiry-notified", g_variant_builder_end (&builder));
  }
  refresh_and_wait ();
  ASTRA_TEST_UI_WAIT (notifications->len == 2, TIMEOUT_MS);
}

static AstraGenerateDialog *
find_generate_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ASTRA_IS_GENERATE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ASTRA_GENERATE_DIALOG (toplevel);
    }

  return NULL;
}

/* The notification's actions, as the shell activates them on the application. */
static void
test_notification_actions (void)
{
  const char *org_id = astra_connection_get_org_id (astra_window_get_connection (window));
  AstraGenerateDialog *dialog;

  g_assert_false (gtk_toggle_button_get_active (expiring_toggle ()));
  g_action_group_activate_action (G_ACTION_GROUP (app), "review-expiring", g_variant_new_string (org_id));
  ASTRA_TEST_UI_WAIT (gtk_toggle_button_get_active (expiring_toggle ()), TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (rows_shown () == 4, TIMEOUT_MS);
  gtk_toggle_button_set_active (expiring_toggle (), FALSE);

  g_action_group_activate_action (G_ACTION_GROUP (app), "rotate-token",
                                  g_variant_new ("(ss)", org_id, soon_client_id));
  ASTRA_TEST_UI_WAIT ((dialog = find_generate_dialog ()) != NULL, TIMEOUT_MS);
  /* Rotate keeps the description and offers the same lifetime again: generated now, to
   * expire at noon 3 days from today, that is 3 days (rounded) from today. */
  {
    GtkWidget *description = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Description");
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);
    g_autofree char *day = g_date_time_format (later, "%Y-%m-%d");
    g_autofree char *until = g_strdup_printf ("Until the end of %s", day);

    g_assert_nonnull (description);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (description)), ==, "Billing export");
    g_assert_true (gtk_check_button_get_active (astra_test_ui_find_choice (GTK_WIDGET (dialog), "On a date")));
    g_assert_nonnull (astra_test_ui_find (GTK_WIDGET (dialog), GTK_TYPE_LABEL, until));
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The real path of a click on the notification's Review button: the notification server's
 * ActionInvoked signal over D-Bus, which GApplication turns into app.review-expiring. */
static void
test_notification_clicked (void)
{
  const char *org_id = astra_connection_get_org_id (astra_window_get_connection (window));
  g_autofree char *review_key = g_strdup_printf ("app.review-expiring::%s", org_id);

  g_assert_cmpuint (notifications->len, >, 0);
  g_assert_false (gtk_toggle_button_get_active (expiring_toggle ()));
  astra_test_notifications_invoke (notifications->len - 1, review_key);
  ASTRA_TEST_UI_WAIT (gtk_toggle_button_get_active (expiring_toggle ()), TIMEOUT_MS);
  ASTRA_TEST_UI_WAIT (rows_shown () == 4, TIMEOUT_MS);
  gtk_toggle_button_set_active (expiring_toggle (), FALSE);
}

static void
on_checked_cb (AstraExpiryMonitor *monitor,
               const char         *org_id,
               guint              *n_checked)
{
  (*n_checked)++;
}

static void
on_idle_cb (AstraExpiryMonitor *monitor,
            gboolean           *idle)
{
  *idle = TRUE;
}

/* Runs a background check as the service does (a monitor and a notifier of their own) and
 * returns how many organizations it read; the day is forgotten first, so a good check
 * would notify. */
static guint
background_check (guint timeout_s)
{
  g_autoptr(AstraExpiryMonitor) monitor = astra_expiry_monitor_new (get_context (), settings ());
  g_autoptr(AstraExpiryNotifier) notifier =
    astra_expiry_notifier_new (G_APPLICATION (app), get_context (), monitor, settings ());
  guint n_checked = 0;
  gboolean idle = FALSE;
  gint64 started = g_get_monotonic_time ();

  g_settings_reset (settings (), "expiry-notified");
  astra_expiry_monitor_set_check_timeout (monitor, timeout_s);
  g_signal_connect (monitor, "checked", G_CALLBACK (on_checked_cb), &n_checked);
  g_signal_connect (monitor, "idle", G_CALLBACK (on_idle_cb), &idle);
  astra_expiry_monitor_start (monitor, 0);
  /* Bounded by the check's own timeout: a hang fails here. */
  ASTRA_TEST_UI_WAIT (idle, (timeout_s + 10) * 1000);
  g_assert_false (astra_expiry_monitor_is_busy (monitor));
  g_test_message ("background check: %u read in %.1f s", n_checked,
                  (g_get_monotonic_time () - started) / 1e6);
  astra_test_ui_spin (300);

  return n_checked;
}

/* A slow server, a failing one, a dropped connection: no hang, no notification. A working
 * one notifies (the check can succeed at all). */
static void
test_background_faults (void)
{
  g_autoptr(GError) error = NULL;
  guint before = notifications->len;

  astra_sim_server_set_latency (sim, 5000);
  g_assert_cmpuint (background_check (1), ==, 0);
  g_assert_cmpuint (notifications->len, ==, before);
  astra_sim_server_set_latency (sim, 0);

  g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/clientIdSecrets=503", &error));
  g_assert_cmpuint (background_check (30), ==, 0);
  astra_sim_server_clear_faults (sim);
  g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/clientIdSecrets=drop", &error));
  g_assert_cmpuint (background_check (30), ==, 0);
  astra_sim_server_clear_faults (sim);
  g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/clientIdSecrets=malformed", &error));
  g_assert_cmpuint (background_check (30), ==, 0);
  astra_sim_server_clear_faults (sim);
  g_assert_cmpuint (notifications->len, ==, before);

  g_assert_cmpuint (background_check (30), ==, 1);
  ASTRA_TEST_UI_WAIT (notifications->len == before + 1, TIMEOUT_MS);
}

/* A second organization, not selected: the running app lists it itself, and its sidebar
 * row shows its own count (the seeded token that expired 30 days ago). */
static void
test_other_org (void)
{
  g_autoptr(AstraSimServer) other = astra_sim_server_new ();
  g_autoptr(GError) error = NULL;
  const char *selected = astra_connection_get_org_id (astra_window_get_connection (window));
  gboolean connected = FALSE;
  guint before = notifications->len;

  astra_sim_server_set_org_name (other, "Globex");
  g_assert_true (astra_sim_server_listen (other, 0, &error));
  g_assert_no_error (error);
  astra_context_connect_async (get_context (), astra_sim_server_get_admin_token (other),
                               ASTRA_ENVIRONMENT_CUSTOM, astra_sim_server_get_base_url (other), NULL,
                               on_connected_cb, &connected);
  ASTRA_TEST_UI_WAIT (connected, TIMEOUT_MS);

  ASTRA_TEST_UI_WAIT (sidebar_count (1) != NULL, TIMEOUT_MS);
  g_assert_nonnull (sidebar_count (4));
  g_assert_cmpstr (astra_connection_get_org_id (astra_window_get_connection (window)), ==, selected);
  /* And it is announced, once. */
  ASTRA_TEST_UI_WAIT (notifications->len == before + 1, TIMEOUT_MS);
  astra_sim_server_disconnect (other);
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
  notifications = astra_test_notifications_start ();
  portal_calls = astra_test_portal_start ();

  app = astra_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  sim = astra_sim_server_new ();
  astra_sim_server_set_org_name (sim, "Acme Analytics");
  astra_sim_server_set_seed (sim, 0, 3);
  g_assert_true (astra_sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);

  {
    g_autoptr(GSettings) window_settings = g_settings_new (BASE_APP_ID);

    g_settings_set_int (window_settings, "window-width", 1280);
    g_settings_set_int (window_settings, "window-height", 800);
  }
  window = astra_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/ui/expiry/connect", test_connect);
  g_test_add_func ("/ui/expiry/cells", test_cells);
  g_test_add_func ("/ui/expiry/banner", test_banner);
  g_test_add_func ("/ui/expiry/filter", test_filter);
  g_test_add_func ("/ui/expiry/sidebar", test_sidebar);
  g_test_add_func ("/ui/expiry/threshold", test_threshold);
  g_test_add_func ("/ui/expiry/autostart", test_autostart);
  g_test_add_func ("/ui/expiry/portal-enable", test_portal_enable);
  g_test_add_func ("/ui/expiry/portal-denied", test_portal_denied);
  g_test_add_func ("/ui/expiry/follows-changes", test_follows_changes);
  g_test_add_func ("/ui/expiry/notification", test_notification);
  g_test_add_func ("/ui/expiry/notification-actions", test_notification_actions);
  g_test_add_func ("/ui/expiry/notification-clicked", test_notification_clicked);
  g_test_add_func ("/ui/expiry/background-faults", test_background_faults);
  g_test_add_func ("/ui/expiry/other-organization", test_other_org);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&client);
  astra_sim_server_disconnect (sim);
  g_clear_object (&sim);
  return ret;
}

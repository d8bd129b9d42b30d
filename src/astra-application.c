/* astra-application.c
 *
 * The application object: one main window, the app-wide actions (quit, about,
 * preferences) and their accelerators.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-application"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-a11y.h"
#include "astra-application.h"
#include "astra-application-expiry.h"
#include "astra-clipboard.h"
#include "astra-preferences-window.h"
#include "astra-search-provider.h"
#include "astra-window.h"

#define ASTRA_WEBSITE   "https://github.com/astratokens/astra-tokens"
#define ASTRA_ISSUE_URL "https://github.com/astratokens/astra-tokens/issues"

struct _AstraApplication
{
  AdwApplication parent_instance;

  AstraContext  *context;
  /* The style-variant setting, applied to the style manager as it changes. */
  GSettings     *settings;

  /* The first window waits for the connection list before it is shown. */
  GtkWindow     *pending_window;
  gulong         loaded_handler;
  gulong         connections_handler;
  guint          present_timeout;

  /* GNOME Shell's search, on the application's own bus connection. */
  AstraSearchProvider *search_provider;
};

/* How long a first window waits for the keyring before it shows its loading page. */
#define PRESENT_TIMEOUT_MS 500

G_DEFINE_FINAL_TYPE (AstraApplication, astra_application, ADW_TYPE_APPLICATION)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
schema_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);

  return schema != NULL;
}

/* Follow System, Light or Dark, as Preferences sets it. */
static void
apply_style_variant (AstraApplication *self)
{
  g_autofree char *variant = g_settings_get_string (self->settings, "style-variant");
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_str_equal (variant, "light"))
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (variant, "dark"))
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (app);
  AstraPreferencesWindow *preferences;

  /* Ctrl+, inside the open preferences window must not stack a second one. */
  if (ASTRA_IS_PREFERENCES_WINDOW (parent))
    {
      gtk_window_present (parent);
      return;
    }

  preferences = astra_preferences_window_new (parent);
  gtk_window_set_application (GTK_WINDOW (preferences), app);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  static const char *developers[] = {
    "The Astra Tokens developers " ASTRA_WEBSITE,
    NULL
  };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  adw_show_about_window (parent,
                         "application-name", _("Astra Tokens"),
                         "application-icon", APP_ID,
                         "comments", _("Manage DataStax Astra application tokens"),
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Astra Tokens developers"),
                         "developers", developers,
                         "copyright", "© 2026 The Astra Tokens developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", ASTRA_WEBSITE,
                         "issue-url", ASTRA_ISSUE_URL,
                         /* Translators: Replace "translator-credits" with your names,
                          * one name per line, optionally with an email address or URL. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

/* ------------------------------------------------------------------------------------------ */
/* GApplication vfuncs                                                                        */

static int
astra_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  /* Answered locally, before registering on the bus or opening a display: packagers and
   * the install test run it without a session. */
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_variant_dict_contains (options, "check-expiry"))
    astra_application_expiry_request_check (ASTRA_APPLICATION (app));

  /* Without its schema GSettings would abort the app at its first setting; say why. */
  if (!schema_installed ())
    {
      /* TRANSLATORS: %s is the settings schema id */
      g_printerr (_("Astra Tokens cannot start: its settings schema %s is not installed. "
                    "Install the app with “meson install”, or run it from the source folder "
                    "with build-aux/run."), BASE_APP_ID);
      g_printerr ("\n");
      return EXIT_FAILURE;
    }

  return -1;
}

static void
present_pending_window (AstraApplication *self)
{
  g_clear_handle_id (&self->present_timeout, g_source_remove);
  g_clear_signal_handler (&self->loaded_handler, self->context);
  if (self->context != NULL)
    g_clear_signal_handler (&self->connections_handler,
                            astra_context_get_connections (self->context));

  if (self->pending_window != NULL)
    gtk_window_present (self->pending_window);
  g_clear_weak_pointer (&self->pending_window);
}

static gboolean
on_present_timeout_cb (gpointer user_data)
{
  AstraApplication *self = user_data;

  self->present_timeout = 0;
  present_pending_window (self);

  return G_SOURCE_REMOVE;
}

static void
on_context_ready_cb (AstraApplication *self)
{
  present_pending_window (self);
}

static void
astra_application_activate (GApplication *app)
{
  AstraApplication *self = ASTRA_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GListModel *connections = astra_context_get_connections (self->context);

  if (window == NULL)
    {
      window = GTK_WINDOW (astra_window_new (self));

      /* The first frame shows the page the user will see — welcome, keyring or the
       * organizations — rather than a spinner that the keyring replaces a few
       * milliseconds later. The list was requested in startup(), so its D-Bus round trip
       * overlaps building the window; a keyring slower than PRESENT_TIMEOUT_MS gets the
       * loading page. The window belongs to the application already, which keeps the
       * application running meanwhile. */
      if (!astra_context_get_loaded (self->context) &&
          g_list_model_get_n_items (connections) == 0)
        {
          astra_application_expiry_activate (self);
          g_set_weak_pointer (&self->pending_window, window);
          self->loaded_handler =
            g_signal_connect_swapped (self->context, "notify::loaded",
                                      G_CALLBACK (on_context_ready_cb), self);
          self->connections_handler =
            g_signal_connect_swapped (connections, "items-changed",
                                      G_CALLBACK (on_context_ready_cb), self);
          self->present_timeout = g_timeout_add (PRESENT_TIMEOUT_MS, on_present_timeout_cb,
                                                 self);
          return;
        }
    }

  present_pending_window (self);
  gtk_window_present (window);
  astra_application_expiry_activate (self);
}

static void
astra_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  /* What GtkApplication binds for a gtk/help-overlay.ui, which the app does not have. */
  static const char *help_overlay_accels[] = { "<Control>question", NULL };

  AstraApplication *self = ASTRA_APPLICATION (app);
  g_autoptr(AstraClientPrefetch) env_prefetch = NULL;

  /* An organization given in the environment is shown first: its first answers travel,
   * and a long token list is parsed, on a thread of their own while GTK starts. Not
   * earlier: registering on the session bus sets up GIO's socket types, which the thread
   * would otherwise set up at the same time (GLib 2.74's type system can deadlock when
   * two threads initialize classes that use each other's types). Not in service mode
   * (D-Bus activation by GNOME Shell's search or a notification's button, the autostart
   * entry), which may never show a window: a window opened later loads as usual. */
  if (!(g_application_get_flags (app) & G_APPLICATION_IS_SERVICE))
    env_prefetch = astra_context_prefetch_environment ();

  G_APPLICATION_CLASS (astra_application_parent_class)->startup (app);
  astra_a11y_init ();
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_overlay_accels);

  self->settings = g_settings_new (BASE_APP_ID);
  g_signal_connect_object (self->settings, "changed::style-variant",
                           G_CALLBACK (apply_style_variant), self, G_CONNECT_SWAPPED);
  apply_style_variant (self);

  self->context = astra_context_new (NULL, NULL);
  astra_context_set_environment_prefetch (self->context, env_prefetch);
  /* Windows follow the connection list as it fills in. */
  astra_context_load_async (ASTRA_APPLICATION (app)->context, NULL, NULL, NULL);
  astra_application_expiry_startup (self);
}

static void
astra_application_shutdown (GApplication *app)
{
  /* Before the display goes away, and before a clipboard manager is offered our content. */
  astra_clipboard_clear_secret ();

  G_APPLICATION_CLASS (astra_application_parent_class)->shutdown (app);

  g_clear_handle_id (&ASTRA_APPLICATION (app)->present_timeout, g_source_remove);
  g_clear_weak_pointer (&ASTRA_APPLICATION (app)->pending_window);
  g_clear_signal_handler (&ASTRA_APPLICATION (app)->loaded_handler, ASTRA_APPLICATION (app)->context);
  if (ASTRA_APPLICATION (app)->context != NULL)
    g_clear_signal_handler (&ASTRA_APPLICATION (app)->connections_handler,
                            astra_context_get_connections (ASTRA_APPLICATION (app)->context));
  astra_application_expiry_shutdown (ASTRA_APPLICATION (app));
  g_clear_object (&ASTRA_APPLICATION (app)->context);
  g_clear_object (&ASTRA_APPLICATION (app)->settings);
}

static gboolean
astra_application_dbus_register (GApplication     *app,
                                 GDBusConnection  *connection,
                                 const char       *object_path,
                                 GError          **error)
{
  AstraApplication *self = ASTRA_APPLICATION (app);

  if (!G_APPLICATION_CLASS (astra_application_parent_class)->dbus_register (app, connection,
                                                                           object_path, error))
    return FALSE;

  self->search_provider = astra_search_provider_new (app);
  return astra_search_provider_register (self->search_provider, connection, object_path, error);
}

static void
astra_application_dbus_unregister (GApplication    *app,
                                   GDBusConnection *connection,
                                   const char      *object_path)
{
  AstraApplication *self = ASTRA_APPLICATION (app);

  if (self->search_provider != NULL)
    astra_search_provider_unregister (self->search_provider);
  g_clear_object (&self->search_provider);

  G_APPLICATION_CLASS (astra_application_parent_class)->dbus_unregister (app, connection,
                                                                        object_path);
}

static void
astra_application_class_init (AstraApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = astra_application_handle_local_options;
  app_class->activate = astra_application_activate;
  app_class->startup = astra_application_startup;
  app_class->shutdown = astra_application_shutdown;
  app_class->dbus_register = astra_application_dbus_register;
  app_class->dbus_unregister = astra_application_dbus_unregister;
}

static void
astra_application_init (AstraApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "version", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Print the version and exit"), NULL);
  /* The autostart entry's: with --gapplication-service, check the organizations for
   * expiring tokens, notify, and exit. */
  g_application_add_main_option (G_APPLICATION (self), "check-expiry", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("With --gapplication-service: warn about expiring tokens, then exit"),
                                 NULL);
}

AstraApplication *
astra_application_new (void)
{
  return g_object_new (ASTRA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_BASE,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

AstraContext *
astra_application_get_context (AstraApplication *self)
{
  g_return_val_if_fail (ASTRA_IS_APPLICATION (self), NULL);

  return self->context;
}

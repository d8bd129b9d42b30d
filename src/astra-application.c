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

#include "astra-application.h"
#include "astra-window.h"

struct _AstraApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (AstraApplication, astra_application, ADW_TYPE_APPLICATION)

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
};

/* ------------------------------------------------------------------------------------------ */
/* GApplication vfuncs                                                                        */

static void
astra_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (astra_window_new (ASTRA_APPLICATION (app)));

  gtk_window_present (window);
}

static void
astra_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (astra_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
astra_application_class_init (AstraApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = astra_application_activate;
  app_class->startup = astra_application_startup;
}

static void
astra_application_init (AstraApplication *self)
{
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

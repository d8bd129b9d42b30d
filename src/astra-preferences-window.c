/* astra-preferences-window.c
 *
 * The preferences window: a thin view over the app's GSettings. Every control is bound with
 * g_settings_bind, or its GSettings action (the style), so a change applies at once and
 * other windows see it through their own GSettings objects; there is no Apply button and
 * nothing to save on close. The default
 * expiry is a group of radio buttons, which no binding covers, so it follows the setting by
 * hand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-preferences-window.h"

struct _AstraPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  gboolean              showing_expiry;

  /* Template widgets */
  GtkAdjustment        *clipboard_adjustment;
  GtkCheckButton       *expiry_never_check;
  GtkCheckButton       *expiry_30_check;
  GtkCheckButton       *expiry_90_check;
  GtkCheckButton       *expiry_365_check;
  GtkSwitch            *mask_switch;
  GtkAdjustment        *expiry_warning_adjustment;
  GtkSwitch            *expiry_background_switch;
};

G_DEFINE_FINAL_TYPE (AstraPreferencesWindow, astra_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The days of each expiry choice, in the order of get_expiry_checks(). */
static const guint expiry_days[] = { 0, 30, 90, 365 };

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
get_expiry_checks (AstraPreferencesWindow *self,
                   GtkCheckButton         *checks[G_N_ELEMENTS (expiry_days)])
{
  checks[0] = self->expiry_never_check;
  checks[1] = self->expiry_30_check;
  checks[2] = self->expiry_90_check;
  checks[3] = self->expiry_365_check;
}

static gboolean
find_expiry_choice (guint  days,
                    guint *position)
{
  for (guint i = 0; i < G_N_ELEMENTS (expiry_days); i++)
    {
      if (expiry_days[i] == days)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
show_default_expiry (AstraPreferencesWindow *self)
{
  GtkCheckButton *checks[G_N_ELEMENTS (expiry_days)];
  guint position = 0;

  /* A value set from outside (gsettings set) that no choice stands for shows the schema
   * default, and is left as it is until a choice is made. */
  if (!find_expiry_choice (g_settings_get_uint (self->settings, "default-expiry-days"),
                           &position))
    {
      g_autoptr(GVariant) fallback = g_settings_get_default_value (self->settings,
                                                                  "default-expiry-days");

      find_expiry_choice (g_variant_get_uint32 (fallback), &position);
    }

  get_expiry_checks (self, checks);
  self->showing_expiry = TRUE;
  gtk_check_button_set_active (checks[position], TRUE);
  self->showing_expiry = FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_expiry_toggled_cb (AstraPreferencesWindow *self,
                      GtkCheckButton         *check)
{
  GtkCheckButton *checks[G_N_ELEMENTS (expiry_days)];

  /* Both the choice left and the one taken report; the second one is enough. */
  if (self->showing_expiry || !gtk_check_button_get_active (check))
    return;

  get_expiry_checks (self, checks);
  for (guint i = 0; i < G_N_ELEMENTS (expiry_days); i++)
    if (checks[i] == check)
      g_settings_set_uint (self->settings, "default-expiry-days", expiry_days[i]);
}

static void
on_settings_changed_cb (AstraPreferencesWindow *self,
                        const char             *key,
                        GSettings              *settings)
{
  show_default_expiry (self);
}

static void
bind_settings (AstraPreferencesWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) style_variant = g_settings_create_action (self->settings, "style-variant");

  g_settings_bind (self->settings, "clipboard-clear-seconds",
                   self->clipboard_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "mask-secrets",
                   self->mask_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "expiry-warning-days",
                   self->expiry_warning_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "expiry-background-check",
                   self->expiry_background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  /* The style radio rows carry prefs.style-variant with their choice as the target. */
  g_action_map_add_action (G_ACTION_MAP (group), style_variant);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "prefs", G_ACTION_GROUP (group));

  g_signal_connect_object (self->settings, "changed::default-expiry-days",
                           G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
  show_default_expiry (self);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject vfuncs                                                                             */

static void
astra_preferences_window_dispose (GObject *object)
{
  AstraPreferencesWindow *self = ASTRA_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (astra_preferences_window_parent_class)->dispose (object);
}

static void
astra_preferences_window_class_init (AstraPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = astra_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/astra-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, clipboard_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, expiry_never_check);
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, expiry_30_check);
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, expiry_90_check);
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, expiry_365_check);
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, mask_switch);
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, expiry_warning_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, expiry_background_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_expiry_toggled_cb);
}

static void
astra_preferences_window_init (AstraPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The schema id is the base id in every profile: one set of preferences per user. */
  self->settings = g_settings_new (BASE_APP_ID);
  bind_settings (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

/**
 * astra_preferences_window_new:
 * @transient_for: (nullable): the window the preferences belong to
 *
 * Creates the preferences window, modal for @transient_for.
 *
 * Returns: (transfer floating): a new #AstraPreferencesWindow
 */
AstraPreferencesWindow *
astra_preferences_window_new (GtkWindow *transient_for)
{
  g_return_val_if_fail (transient_for == NULL || GTK_IS_WINDOW (transient_for), NULL);

  return g_object_new (ASTRA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", transient_for,
                       NULL);
}

/* astra-preferences-window.c
 *
 * The preferences window: a thin view over the app's GSettings. Every control is bound with
 * g_settings_bind, so a change applies at once and other windows see it through their own
 * GSettings objects; there is no Apply button and nothing to save on close.
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

  /* Template widgets */
  GtkAdjustment        *clipboard_adjustment;
  AdwComboRow          *expiry_row;
  GtkSwitch            *mask_switch;
};

G_DEFINE_FINAL_TYPE (AstraPreferencesWindow, astra_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The choices of the expiry combo row, in the order of the GtkStringList in the .ui file. */
static const guint expiry_days[] = { 0, 30, 90, 365 };

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
expiry_days_to_position (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data)
{
  guint days = g_variant_get_uint32 (variant);

  for (guint i = 0; i < G_N_ELEMENTS (expiry_days); i++)
    {
      if (expiry_days[i] == days)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  /* A value set from outside (gsettings set) that the row cannot show: GSettings then falls
   * back to the schema default, which the row can show. */
  return FALSE;
}

static GVariant *
expiry_position_to_days (const GValue       *value,
                         const GVariantType *expected_type,
                         gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (expiry_days))
    return NULL;

  return g_variant_new_uint32 (expiry_days[position]);
}

static void
bind_settings (AstraPreferencesWindow *self)
{
  g_settings_bind (self->settings, "clipboard-clear-seconds",
                   self->clipboard_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "mask-secrets",
                   self->mask_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "default-expiry-days",
                                self->expiry_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                expiry_days_to_position,
                                expiry_position_to_days,
                                NULL, NULL);
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
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, AstraPreferencesWindow, mask_switch);
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

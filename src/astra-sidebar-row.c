/* astra-sidebar-row.c
 *
 * A sidebar row: the organization's display name, a badge when it is not a plain production
 * organization, the count of its tokens that expire soon (from the application's expiry
 * monitor), and a menu to rename or forget it. The menu's row.* actions forward to the
 * window's win.rename-org / win.forget-org with the organization id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sidebar-row"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-application-expiry.h"
#include "astra-sidebar-row.h"

struct _AstraSidebarRow
{
  GtkListBoxRow    parent_instance;

  AstraConnection *connection;

  GtkLabel        *name_label;
  GtkLabel        *badge_label;
  GtkLabel        *expiry_label;
  GtkMenuButton   *menu_button;
};

G_DEFINE_FINAL_TYPE (AstraSidebarRow, astra_sidebar_row, GTK_TYPE_LIST_BOX_ROW)

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AstraSidebarRow *self = ASTRA_SIDEBAR_ROW (widget);
  const char *target = g_str_equal (action_name, "row.rename") ? "win.rename-org" : "win.forget-org";

  gtk_widget_activate_action (widget, target, "s", astra_connection_get_org_id (self->connection));
}

static void
update_labels (AstraSidebarRow *self)
{
  const char *name = astra_connection_get_display_name (self->connection);
  g_autofree char *menu_label = g_strdup_printf (_("Options for %s"), name);

  gtk_label_set_label (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);
  /* The row is what a person picks: it reads as the organization, not as a nameless item. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _("Organization Options"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
}

static void
update_expiry_count (AstraSidebarRow    *self,
                     AstraExpiryMonitor *monitor)
{
  guint count = astra_expiry_monitor_get_count (monitor, astra_connection_get_org_id (self->connection));
  g_autofree char *number = g_strdup_printf ("%u", count);
  /* TRANSLATORS: the accessible label and tooltip of the count in a sidebar row */
  g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u token expires soon",
                                                         "%u tokens expire soon", count),
                                            count);

  gtk_label_set_label (self->expiry_label, number);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->expiry_label), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->expiry_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->expiry_label), count > 0);
}

static void
on_expiry_changed_cb (AstraExpiryMonitor *monitor,
                      const char         *org_id,
                      AstraSidebarRow    *self)
{
  if (g_strcmp0 (org_id, astra_connection_get_org_id (self->connection)) == 0)
    update_expiry_count (self, monitor);
}

static void
on_display_name_cb (AstraSidebarRow *self)
{
  update_labels (self);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_sidebar_row_dispose (GObject *object)
{
  AstraSidebarRow *self = ASTRA_SIDEBAR_ROW (object);

  g_clear_object (&self->connection);

  G_OBJECT_CLASS (astra_sidebar_row_parent_class)->dispose (object);
}

static void
astra_sidebar_row_class_init (AstraSidebarRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = astra_sidebar_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/astra-sidebar-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraSidebarRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, AstraSidebarRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, AstraSidebarRow, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, AstraSidebarRow, menu_button);

  gtk_widget_class_install_action (widget_class, "row.rename", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "row.forget", NULL, forward_action);
}

static void
astra_sidebar_row_init (AstraSidebarRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

GtkWidget *
astra_sidebar_row_new (AstraConnection *connection,
                       const char      *badge)
{
  AstraSidebarRow *self;
  GApplication *app;
  AstraExpiryMonitor *monitor;

  g_return_val_if_fail (ASTRA_IS_CONNECTION (connection), NULL);

  self = g_object_new (ASTRA_TYPE_SIDEBAR_ROW, NULL);
  self->connection = g_object_ref (connection);

  gtk_label_set_label (self->badge_label, badge);
  gtk_widget_set_visible (GTK_WIDGET (self->badge_label), badge != NULL);
  update_labels (self);
  g_signal_connect_object (connection, "notify::display-name",
                           G_CALLBACK (on_display_name_cb), self, G_CONNECT_SWAPPED);

  app = g_application_get_default ();
  if (ASTRA_IS_APPLICATION (app) &&
      (monitor = astra_application_get_expiry_monitor (ASTRA_APPLICATION (app))) != NULL)
    {
      g_signal_connect_object (monitor, "changed", G_CALLBACK (on_expiry_changed_cb), self, 0);
      update_expiry_count (self, monitor);
    }

  return GTK_WIDGET (self);
}

AstraConnection *
astra_sidebar_row_get_connection (AstraSidebarRow *self)
{
  g_return_val_if_fail (ASTRA_IS_SIDEBAR_ROW (self), NULL);
  return self->connection;
}

/* astra-row-menu-button.c: the "Token Actions" button of a token row, as one widget
 *
 * GTK 4.8's column view builds up to 200 rows as soon as a list is shown, visible or not,
 * and a GtkMenuButton is three widgets (the menu button, its toggle button and the icon),
 * each with its CSS node, event controllers and accessible object. This is a GtkButton —
 * so it keeps the button's keyboard handling, styles and its accessible "click" action —
 * that paints its icon itself and makes its menu (a GtkPopoverMenu) on the first click:
 * one widget per row until someone opens a menu (build-aux/bench).
 *
 * Like GtkMenuButton it places its popover in size_allocate(), and the popover is marked
 * as its popup for assistive technologies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-row-menu-button"

#include "config.h"

#include "astra-row-menu-button.h"

#define ICON_SIZE 16

struct _AstraRowMenuButton
{
  GtkButton     parent_instance;

  char         *icon_name;
  GtkIconPaintable *icon;      /* looked up when first painted, for the widget's scale */
  int           icon_scale;
  GtkWidget    *popover;       /* made when popped up, dropped once closed */
  guint         drop_id;
};

G_DEFINE_FINAL_TYPE (AstraRowMenuButton, astra_row_menu_button, GTK_TYPE_BUTTON)

static GtkIconPaintable *
get_icon (AstraRowMenuButton *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (self->icon == NULL || self->icon_scale != scale)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));

      g_clear_object (&self->icon);
      self->icon = gtk_icon_theme_lookup_icon (theme, self->icon_name, NULL, ICON_SIZE, scale,
                                               gtk_widget_get_direction (GTK_WIDGET (self)), 0);
      self->icon_scale = scale;
    }

  return self->icon;
}

static void
astra_row_menu_button_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  *minimum = *natural = ICON_SIZE;
}

static void
astra_row_menu_button_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  AstraRowMenuButton *self = ASTRA_ROW_MENU_BUTTON (widget);

  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
astra_row_menu_button_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  AstraRowMenuButton *self = ASTRA_ROW_MENU_BUTTON (widget);
  GtkIconPaintable *icon = get_icon (self);
  GdkRGBA color;

  if (icon == NULL)
    return;

  /* The button's foreground colour, as its GtkImage would have it (flat, hover, …). */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT ((gtk_widget_get_width (widget) - ICON_SIZE) / 2.f,
                                                (gtk_widget_get_height (widget) - ICON_SIZE) / 2.f));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                            ICON_SIZE, ICON_SIZE, &color, 1);
  gtk_snapshot_restore (snapshot);
}

static void
astra_row_menu_button_css_changed (GtkWidget         *widget,
                                   GtkCssStyleChange *change)
{
  AstraRowMenuButton *self = ASTRA_ROW_MENU_BUTTON (widget);

  GTK_WIDGET_CLASS (astra_row_menu_button_parent_class)->css_changed (widget, change);

  /* A new icon theme, or the scale, is picked up on the next paint. */
  g_clear_object (&self->icon);
}

static gboolean
on_drop_popover_cb (gpointer user_data)
{
  AstraRowMenuButton *self = user_data;

  self->drop_id = 0;
  if (self->popover != NULL && !gtk_widget_get_visible (self->popover))
    g_clear_pointer (&self->popover, gtk_widget_unparent);

  return G_SOURCE_REMOVE;
}

/* The closed menu goes, with its surface, once it has finished closing: the next one is
 * built for whichever token the row shows then, and rows that were opened once keep
 * nothing. */
static void
on_popover_closed_cb (AstraRowMenuButton *self)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_EXPANDED, FALSE, -1);
  gtk_widget_unset_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_CHECKED);
  if (self->drop_id == 0)
    self->drop_id = g_idle_add (on_drop_popover_cb, self);
}

static void
astra_row_menu_button_dispose (GObject *object)
{
  AstraRowMenuButton *self = ASTRA_ROW_MENU_BUTTON (object);

  g_clear_handle_id (&self->drop_id, g_source_remove);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_object (&self->icon);

  G_OBJECT_CLASS (astra_row_menu_button_parent_class)->dispose (object);
}

static void
astra_row_menu_button_finalize (GObject *object)
{
  AstraRowMenuButton *self = ASTRA_ROW_MENU_BUTTON (object);

  g_free (self->icon_name);

  G_OBJECT_CLASS (astra_row_menu_button_parent_class)->finalize (object);
}

static void
astra_row_menu_button_class_init (AstraRowMenuButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = astra_row_menu_button_dispose;
  object_class->finalize = astra_row_menu_button_finalize;

  widget_class->measure = astra_row_menu_button_measure;
  widget_class->size_allocate = astra_row_menu_button_size_allocate;
  widget_class->snapshot = astra_row_menu_button_snapshot;
  widget_class->css_changed = astra_row_menu_button_css_changed;
}

static void
astra_row_menu_button_init (AstraRowMenuButton *self)
{
  /* Measured and allocated here (the icon and the popover), not by GtkButton's layout. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "image-button");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE, -1);
}

GtkWidget *
astra_row_menu_button_new (const char *icon_name)
{
  AstraRowMenuButton *self = g_object_new (ASTRA_TYPE_ROW_MENU_BUTTON, NULL);

  self->icon_name = g_strdup (icon_name);

  return GTK_WIDGET (self);
}

/* Shows @menu under the button. */
void
astra_row_menu_button_popup (AstraRowMenuButton *self,
                             GMenuModel         *menu)
{
  g_return_if_fail (ASTRA_IS_ROW_MENU_BUTTON (self));
  g_return_if_fail (G_IS_MENU_MODEL (menu));

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_menu_new_from_model (menu);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
      gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_BOTTOM);
      g_signal_connect_swapped (self->popover, "closed", G_CALLBACK (on_popover_closed_cb), self);
    }
  else
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->popover), menu);

  gtk_widget_set_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_CHECKED, FALSE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_EXPANDED, TRUE, -1);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

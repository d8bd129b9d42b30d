/* astra-a11y.c
 *
 * GTK 4.8 (Debian 12) names a button that has a mnemonic twice: after its raw label
 * property and after the label widget it is labelled by, so AT-SPI reads
 * "_Connect an Organization… Connect an Organization…". A check button gets its raw label
 * ("_Save to Keyring"). Screen readers read the underscore out, and anything that finds a
 * control by its visible text (AT-SPI test drivers, voice control) misses it.
 *
 * The repair gives such a widget its visible text as its only name as soon as it is built,
 * and again whenever its label changes: a button of a page that was never shown is in the
 * accessibility tree too. The button classes' constructed() is wrapped for that (GTK has no
 * hook for "a widget was built", and GObject's notify signal takes no emission hook), which
 * covers our .ui templates and the buttons libadwaita builds itself (the responses of an
 * AdwMessageDialog). Buttons without a mnemonic are left alone, and so are their explicit
 * accessible labels.
 *
 * A check button has no accessible action at all in GTK 4.8 (a button has "click", a switch
 * "toggle"), so nothing but a real keyboard or pointer could tick it. The check button class
 * gets a "toggle" action, which GTK lists on AT-SPI under that name (as it lists a switch's):
 * running it does what a click does, radio groups included. A class action rather than an
 * action group per button, because a group's actions are listed with their prefix
 * ("check.toggle"), which no assistive technology knows.
 *
 * A control that an AdwActionRow activates is labelled by the row's title; with an explicit
 * accessible label as well, GTK 4.8 reads both ("Save to Keyring Save to Keyring"). Such a
 * control is named after the row's title alone, and described by the row's subtitle (which
 * AT-SPI otherwise never reads out: "In 30 days", "Until 2031-12-31"), kept up to date.
 *
 * A combo row is labelled by its title too, and gets the same treatment.
 *
 * Likewise libadwaita 1.2 and GTK build a few buttons without a name (AT-SPI falls back to
 * "GtkImage"): the reveal button of an AdwPasswordEntryRow, the close button of a toast, the
 * search buttons of a preferences window and the shortcuts window, the version button of
 * the about window. They get one when realized.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-a11y"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "astra-a11y.h"

#define WATCHED_KEY "astra-a11y-watched"
#define DESCRIBED_KEY "astra-a11y-described"

typedef void (*ConstructedFunc) (GObject *object);

/* The constructed() of GtkButton and GtkCheckButton before the repair wrapped them. */
static ConstructedFunc button_constructed;
static ConstructedFunc check_button_constructed;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
get_mnemonic_label (GtkWidget   *widget,
                    const char **label)
{
  if (GTK_IS_BUTTON (widget))
    {
      *label = gtk_button_get_label (GTK_BUTTON (widget));
      return gtk_button_get_use_underline (GTK_BUTTON (widget));
    }

  if (GTK_IS_CHECK_BUTTON (widget))
    {
      *label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
      return gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget));
    }

  *label = NULL;
  return FALSE;
}

static void
repair_name (GtkWidget *widget)
{
  const char *label = NULL;
  g_autofree char *visible = NULL;

  if (!get_mnemonic_label (widget, &label) || label == NULL || strchr (label, '_') == NULL)
    return;

  visible = astra_a11y_strip_mnemonic (label);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, visible,
                                  -1);
}

/* The icon-only buttons libadwaita 1.2 builds without a name, and the name they get. */
static const char *
name_for_unnamed_icon_button (GtkWidget *widget)
{
  GtkWidget *child;
  const char *icon;

  if ((G_OBJECT_TYPE (widget) != GTK_TYPE_BUTTON && G_OBJECT_TYPE (widget) != GTK_TYPE_TOGGLE_BUTTON) ||
      gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return NULL;

  child = gtk_button_get_child (GTK_BUTTON (widget));

  /* The version button of an AdwAboutWindow shows the version in a label of its own. */
  if (GTK_IS_LABEL (child) && gtk_widget_get_ancestor (widget, ADW_TYPE_ABOUT_WINDOW) != NULL)
    return gtk_label_get_text (GTK_LABEL (child));

  if (!GTK_IS_IMAGE (child) || (icon = gtk_image_get_icon_name (GTK_IMAGE (child))) == NULL)
    return NULL;

  /* The reveal button of an AdwPasswordEntryRow: libadwaita describes it ("Show Text",
   * "Hide Text") but does not name it. */
  if (gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL &&
      (g_str_has_prefix (icon, "view-reveal") || g_str_has_prefix (icon, "view-conceal")))
    return _("Show or Hide Text");

  /* The search buttons of a preferences window and of the shortcuts window. */
  if ((g_str_equal (icon, "system-search-symbolic") || g_str_equal (icon, "edit-find-symbolic")) &&
      (gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_WINDOW) != NULL ||
       gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUTS_WINDOW) != NULL))
    return _("Search");

  /* The close button of a toast. */
  if (g_str_equal (icon, "window-close-symbolic") &&
      gtk_widget_get_ancestor (widget, g_type_from_name ("AdwToastWidget")) != NULL)
    return _("Dismiss");

  return NULL;
}

static void
toggle_action (GtkWidget  *check,
               const char *action_name,
               GVariant   *parameter)
{
  /* The check button's own activation: what a click or Space does. */
  gtk_widget_activate (check);
}

/* @text as the row shows it: markup and mnemonic underscores taken out. (transfer full) */
static char *
row_visible_text (GtkWidget  *row,
                  const char *text)
{
  g_autofree char *visible = NULL;

  if (text == NULL || *text == '\0')
    return NULL;

  if (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)) &&
      !pango_parse_markup (text, -1, 0, NULL, &visible, NULL, NULL))
    return NULL;
  if (visible == NULL)
    visible = g_strdup (text);

  return g_steal_pointer (&visible);
}

static void
describe_after_row (GtkWidget *widget,
                    GtkWidget *row)
{
  const char *text = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_autofree char *subtitle = row_visible_text (row, text);

  if (subtitle != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
on_row_subtitle_notify_cb (GtkWidget  *row,
                           GParamSpec *pspec,
                           GtkWidget  *widget)
{
  if (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)) == widget)
    describe_after_row (widget, row);
}

static gboolean
name_after_row (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);
  g_autofree char *visible = NULL;

  /* A combo row is a control of its own, labelled by its own title. */
  if (row == NULL ||
      (row != widget && adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)) != widget) ||
      (row == widget && !ADW_IS_COMBO_ROW (row)))
    return FALSE;

  visible = row_visible_text (row, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  if (visible == NULL)
    return FALSE;
  if (adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (row)))
    {
      g_autofree char *marked = g_steal_pointer (&visible);
      visible = astra_a11y_strip_mnemonic (marked);
    }

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, visible,
                                  -1);

  if (row != widget)
    {
      describe_after_row (widget, row);
      if (g_object_get_data (G_OBJECT (widget), DESCRIBED_KEY) == NULL)
        {
          g_object_set_data (G_OBJECT (widget), DESCRIBED_KEY, GINT_TO_POINTER (TRUE));
          g_signal_connect_object (row, "notify::subtitle",
                                   G_CALLBACK (on_row_subtitle_notify_cb), widget, 0);
        }
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_label_notify_cb (GtkWidget  *widget,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  /* Runs after GTK has set the raw label as the name again. */
  repair_name (widget);
}

/* Repairs @object's name now and whenever its label changes. */
static void
watch_label (GObject *object)
{
  if (g_object_get_data (object, WATCHED_KEY) == NULL)
    {
      g_object_set_data (object, WATCHED_KEY, GINT_TO_POINTER (TRUE));
      g_signal_connect (object, "notify::label", G_CALLBACK (on_label_notify_cb), NULL);
      g_signal_connect (object, "notify::use-underline", G_CALLBACK (on_label_notify_cb), NULL);
    }

  repair_name (GTK_WIDGET (object));
}

/* Runs before GtkBuilder and g_object_new() set the label: its notification, when the
 * object is complete, does the repair. */
static void
repairing_constructed (GObject *object)
{
  if (GTK_IS_BUTTON (object))
    button_constructed (object);
  else
    check_button_constructed (object);

  watch_label (object);
}

/* Makes @type's constructed() (and that of its subclasses whose class exists already and
 * inherited it) repairing_constructed(); returns the one it replaces. Classes created
 * later inherit it from @type's class. */
static ConstructedFunc
wrap_constructed (GType type)
{
  GObjectClass *klass = g_type_class_ref (type);
  ConstructedFunc original = klass->constructed;
  g_autofree GType *children = NULL;
  guint n_children = 0;
  GPtrArray *pending = g_ptr_array_new ();

  g_ptr_array_add (pending, GSIZE_TO_POINTER (type));
  while (pending->len > 0)
    {
      GType current = GPOINTER_TO_SIZE (g_ptr_array_steal_index (pending, pending->len - 1));
      GObjectClass *current_class = g_type_class_peek (current);

      if (current_class != NULL && current_class->constructed == original)
        current_class->constructed = repairing_constructed;

      g_free (children);
      children = g_type_children (current, &n_children);
      for (guint i = 0; i < n_children; i++)
        g_ptr_array_add (pending, GSIZE_TO_POINTER (children[i]));
    }
  g_ptr_array_unref (pending);

  /* The class reference lives as long as the process, like the wrapper. */
  return original;
}

static gboolean
on_realize_hook (GSignalInvocationHint *hint,
                 guint                  n_param_values,
                 const GValue          *param_values,
                 gpointer               user_data)
{
  GObject *object = g_value_get_object (&param_values[0]);

  if (name_after_row (GTK_WIDGET (object)))
    return G_SOURCE_CONTINUE;

  if (GTK_IS_BUTTON (object))
    {
      const char *name = name_for_unnamed_icon_button (GTK_WIDGET (object));

      if (name != NULL)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (object),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                          -1);
          return G_SOURCE_CONTINUE;
        }
    }

  /* Buttons built before astra_a11y_init() ran. */
  if (GTK_IS_BUTTON (object) || GTK_IS_CHECK_BUTTON (object))
    watch_label (object);

  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
astra_a11y_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GtkWidgetClass *check_class;
      guint realize;

      /* Before any check button exists: a widget's actions are those of its class. The
       * class reference, like the signal's, lives as long as the process. */
      check_class = g_type_class_ref (GTK_TYPE_CHECK_BUTTON);
      gtk_widget_class_install_action (check_class, "toggle", NULL, toggle_action);

      button_constructed = wrap_constructed (GTK_TYPE_BUTTON);
      check_button_constructed = wrap_constructed (GTK_TYPE_CHECK_BUTTON);

      /* Signals are looked up on a class; this one lives as long as the process. */
      g_type_class_ref (GTK_TYPE_WIDGET);
      realize = g_signal_lookup ("realize", GTK_TYPE_WIDGET);
      g_signal_add_emission_hook (realize, 0, on_realize_hook, NULL, NULL);
      g_once_init_leave (&initialized, 1);
    }
}

char *
astra_a11y_strip_mnemonic (const char *label)
{
  GString *visible;

  g_return_val_if_fail (label != NULL, NULL);

  visible = g_string_sized_new (strlen (label));
  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          /* "__" is a literal underscore; a single one marks the mnemonic. */
          if (p[1] == '_')
            g_string_append_c (visible, *++p);
          continue;
        }
      g_string_append_c (visible, *p);
    }

  return g_string_free (visible, FALSE);
}

/* GTK 4.8 names a column header after the column's title only, and has no API to reach
 * the header: the column view's first child is its header row, with one title widget per
 * column in the order of gtk_column_view_get_columns(). */
void
astra_a11y_name_column_header (GtkColumnView       *view,
                               GtkColumnViewColumn *column,
                               const char          *name)
{
  GListModel *columns;
  GtkWidget *title;
  guint n;

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));
  g_return_if_fail (GTK_IS_COLUMN_VIEW_COLUMN (column));
  g_return_if_fail (name != NULL);

  columns = gtk_column_view_get_columns (view);
  n = g_list_model_get_n_items (columns);
  title = gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (view)));
  for (guint i = 0; i < n && title != NULL; i++, title = gtk_widget_get_next_sibling (title))
    {
      g_autoptr(GtkColumnViewColumn) item = g_list_model_get_item (columns, i);

      if (item != column)
        continue;

      gtk_accessible_update_property (GTK_ACCESSIBLE (title),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      gtk_widget_set_tooltip_text (title, name);
      return;
    }

  g_warning ("No header for the column “%s”", gtk_column_view_column_get_title (column));
}

/* astra-test-ui.c: shared helpers for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-test-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "astra-test-ui.h"

/* ------------------------------------------------------------------------------------------ */
/* Main loop                                                                                  */

/* GTK 4.8 warns when a toplevel holding a focused text entry goes away under Xvfb, where no
 * window manager sends focus-out events. That is an artefact of the headless display, not
 * of our code, so that one message is only noted; every other warning stays fatal. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if (g_strcmp0 (domain, "Gtk") == 0 && message != NULL &&
      strstr (message, "did not receive a focus-out event") != NULL)
    {
      g_test_message ("ignored: Gtk-WARNING: GtkText did not receive a focus-out event");
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
astra_test_ui_init (int    *argc,
                    char ***argv)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  /* Isolated dirs: a test never sees the developer's settings or config files. */
  gtk_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  /* Stack transitions and toasts appear at once: screenshots show finished states. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

static gboolean
wake_up_cb (gpointer user_data)
{
  gboolean *fired = user_data;

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

void
astra_test_ui_iterate (void)
{
  gboolean fired = FALSE;
  guint id = g_timeout_add (10, wake_up_cb, &fired);

  g_main_context_iteration (NULL, TRUE);
  if (!fired)
    g_source_remove (id);
}

void
astra_test_ui_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    astra_test_ui_iterate ();
}

gboolean
astra_test_ui_wait_until (AstraTestUiCondition condition,
                          gpointer             user_data,
                          guint                timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () >= deadline)
        return condition (user_data);
      astra_test_ui_iterate ();
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Simulator                                                                                  */

AstraSimServer *
astra_test_ui_start_sim (guint n_tokens)
{
  g_autoptr(AstraSimServer) sim = astra_sim_server_new ();
  g_autoptr(GError) error = NULL;

  astra_sim_server_set_seed (sim, n_tokens, 3);
  astra_sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (astra_sim_server_get_base_url (sim));

  return g_steal_pointer (&sim);
}

/* ------------------------------------------------------------------------------------------ */
/* Finding widgets                                                                            */

static gboolean
text_matches (const char *text,
              const char *wanted)
{
  g_autoptr(GString) plain = NULL;

  if (text == NULL)
    return FALSE;
  if (g_strcmp0 (text, wanted) == 0)
    return TRUE;

  /* Compare without mnemonic underscores ("_Connect" matches "Connect"). */
  plain = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        {
          g_string_append_c (plain, '_');
          p++;
        }
      else if (*p != '_')
        g_string_append_c (plain, *p);
    }

  return g_strcmp0 (plain->str, wanted) == 0;
}

static gboolean
accessible_label_matches (GtkWidget  *widget,
                          const char *wanted)
{
  g_autofree char *mismatch = NULL;
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (!gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;

  mismatch = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, wanted);
  return mismatch == NULL;
}

static gboolean
widget_matches (GtkWidget  *widget,
                GType       type,
                const char *label)
{
  if (!g_type_is_a (G_OBJECT_TYPE (widget), type))
    return FALSE;
  if (label == NULL)
    return TRUE;

  if (accessible_label_matches (widget, label))
    return TRUE;
  if (GTK_IS_BUTTON (widget) && text_matches (gtk_button_get_label (GTK_BUTTON (widget)), label))
    return TRUE;
  if (GTK_IS_MENU_BUTTON (widget) &&
      text_matches (gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)), label))
    return TRUE;
  if (GTK_IS_LABEL (widget) && text_matches (gtk_label_get_text (GTK_LABEL (widget)), label))
    return TRUE;
  if (GTK_IS_INSCRIPTION (widget) &&
      text_matches (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), label))
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      text_matches (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), label))
    return TRUE;
  if (ADW_IS_STATUS_PAGE (widget) &&
      text_matches (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), label))
    return TRUE;
  if (text_matches (gtk_widget_get_tooltip_text (widget), label))
    return TRUE;

  return g_strcmp0 (gtk_widget_get_name (widget), label) == 0;
}

static void
collect (GtkWidget  *widget,
         GType       type,
         const char *label,
         gboolean    only_mapped,
         gboolean    first_only,
         GPtrArray  *found)
{
  if (only_mapped && !gtk_widget_get_mapped (widget))
    return;

  if (widget_matches (widget, type, label))
    {
      g_ptr_array_add (found, widget);
      if (first_only)
        return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      collect (child, type, label, only_mapped, first_only, found);
      if (first_only && found->len > 0)
        return;
    }
}

static GtkWidget *
find_first (GtkWidget  *root,
            GType       type,
            const char *label,
            gboolean    only_mapped)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  collect (root, type, label, only_mapped, TRUE, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

GtkWidget *
astra_test_ui_find (GtkWidget  *root,
                    GType       type,
                    const char *label)
{
  return find_first (root, type, label, FALSE);
}

GtkWidget *
astra_test_ui_find_mapped (GtkWidget  *root,
                           GType       type,
                           const char *label)
{
  return find_first (root, type, label, TRUE);
}

GPtrArray *
astra_test_ui_find_all (GtkWidget  *root,
                        GType       type,
                        const char *label)
{
  GPtrArray *found = g_ptr_array_new ();

  g_return_val_if_fail (GTK_IS_WIDGET (root), found);

  collect (root, type, label, FALSE, FALSE, found);
  return found;
}

gboolean
astra_test_ui_shows_text (GtkWidget  *root,
                          const char *text)
{
  return find_first (root, GTK_TYPE_LABEL, text, TRUE) != NULL ||
         find_first (root, GTK_TYPE_INSCRIPTION, text, TRUE) != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Screenshots                                                                                */

char *
astra_test_ui_screenshot (GtkWidget  *widget,
                          const char *file_name)
{
  const char *dir = g_getenv ("ASTRA_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  gint64 deadline;
  int width, height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  if (dir == NULL || *dir == '\0')
    return NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  /* Let pending layout and drawing happen so the picture matches what a person sees. */
  astra_test_ui_spin (300);

  /* A window just presented may not have its size yet (under the sanitizers, where
   * everything is slower): wait for it, and do without the picture if it never comes. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((gtk_widget_get_width (widget) <= 0 || gtk_widget_get_height (widget) <= 0) &&
         g_get_monotonic_time () < deadline)
    astra_test_ui_iterate ();
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (width <= 0 || height <= 0)
    {
      g_test_message ("screenshot %s skipped: %s has no size yet", file_name,
                      G_OBJECT_TYPE_NAME (widget));
      return NULL;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      /* Nothing drawn yet (seen under the sanitizers, where everything is slower): a
       * missing picture is no reason to fail the test that asked for it. */
      g_test_message ("screenshot %s skipped: %s has not drawn anything yet", file_name,
                      G_OBJECT_TYPE_NAME (widget));
      return NULL;
    }

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return g_steal_pointer (&path);
}

/* ------------------------------------------------------------------------------------------ */
/* Layout                                                                                     */

static void
on_after_paint_cb (GdkFrameClock *clock,
                   guint         *n_frames)
{
  ++*n_frames;
}

void
astra_test_ui_resize (GtkWindow *window,
                      int        width,
                      int        height)
{
  GdkSurface *surface;
  GdkFrameClock *clock;
  guint n_frames = 0;
  gulong id;

  g_return_if_fail (GTK_IS_WINDOW (window));

  /* A window being shown takes the size it had asked for when the display answers. */
  ASTRA_TEST_UI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
                      gtk_widget_get_width (GTK_WIDGET (window)) > 1, 10000);
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  gtk_window_set_default_size (window, width, height);
  ASTRA_TEST_UI_WAIT (gdk_surface_get_width (surface) == width, 10000);

  /* Two frames painted at the new size: any layout a first allocation queues (columns
   * shown or hidden for the width) has run and drawn. */
  clock = gdk_surface_get_frame_clock (surface);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &n_frames);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  ASTRA_TEST_UI_WAIT (n_frames >= 1, 10000);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  ASTRA_TEST_UI_WAIT (n_frames >= 2, 10000);
  g_signal_handler_disconnect (clock, id);
}

GtkColumnViewColumn *
astra_test_ui_find_column (GtkColumnView *view,
                           const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      /* A column without a title shows an empty one. */
      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0 ||
          (gtk_column_view_column_get_title (column) == NULL && g_strcmp0 (title, "") == 0))
        return column;   /* the view keeps a reference */
    }

  return NULL;
}

/* @widget's horizontal extent in @other's coordinates. */
static void
horizontal_bounds (GtkWidget *widget,
                   GtkWidget *other,
                   double    *start,
                   double    *end)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, other, &bounds));
  *start = bounds.origin.x;
  *end = bounds.origin.x + bounds.size.width;
}

static void
assert_inside (GtkWidget *widget,
               GtkWidget *area,
               const char *what)
{
  double start, end;

  horizontal_bounds (widget, area, &start, &end);
  if (start < -0.5 || end > gtk_widget_get_width (area) + 0.5)
    g_error ("%s (%s) spans x %.1f to %.1f of a %s %d px wide",
             what, G_OBJECT_TYPE_NAME (widget), start, end, G_OBJECT_TYPE_NAME (area),
             gtk_widget_get_width (area));
}

void
astra_test_ui_assert_table_fits (GtkColumnView *view,
                                 GtkWidget     *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (view)));
  /* GtkColumnView's first child is its header, which holds one title per column. */
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (view));
  g_autoptr(GPtrArray) labels = NULL;
  GListModel *columns = gtk_column_view_get_columns (view);
  guint n_visible = 0, n_shown = 0;

  g_assert_nonnull (scrolled);
  g_assert_nonnull (header);
  g_assert_true (gtk_widget_get_mapped (widget));
  assert_inside (widget, scrolled, "the cell widget");
  assert_inside (widget, window, "the cell widget");

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      n_visible += gtk_column_view_column_get_visible (column);
    }

  labels = astra_test_ui_find_all (header, GTK_TYPE_LABEL, NULL);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      const char *title = gtk_label_get_text (GTK_LABEL (label));
      int natural;

      if (!gtk_widget_get_mapped (label))
        continue;

      g_assert_nonnull (astra_test_ui_find_column (view, title));
      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      if (gtk_widget_get_width (label) < natural)
        g_error ("the column title “%s” is %d px wide, and needs %d px", title,
                 gtk_widget_get_width (label), natural);
      assert_inside (label, scrolled, title);
      n_shown++;
    }
  g_assert_cmpuint (n_shown, ==, n_visible);
}

gboolean
astra_test_ui_inscription_is_whole (GtkInscription *inscription)
{
  const char *text = gtk_inscription_get_text (inscription);
  g_autoptr(PangoLayout) layout = NULL;
  int text_width;

  if (text == NULL || *text == '\0')
    return TRUE;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (inscription), text);
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  return text_width <= gtk_widget_get_width (GTK_WIDGET (inscription));
}

GtkCheckButton *
astra_test_ui_find_choice (GtkWidget  *root,
                           const char *title)
{
  GtkWidget *row = astra_test_ui_find (root, ADW_TYPE_ACTION_ROW, title);
  GtkWidget *check;

  g_assert_nonnull (row);
  check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  /* Read out as a radio button, not as a check box. */
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (check)), ==,
                   GTK_ACCESSIBLE_ROLE_RADIO);
  return GTK_CHECK_BUTTON (check);
}

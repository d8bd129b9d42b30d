/* floor-columnview.c: what GTK itself costs to show a token table of N rows
 *
 *   floor-columnview ROWS [--scroll]
 *
 * The floor window (floor.c) plus, under its header bar, a GtkColumnView with the same
 * seven columns as the app's token list, built from stock GTK widgets (five GtkInscriptions,
 * a Keyring column that is empty for tokens not held, a GtkMenuButton where the app has its
 * one-widget AstraRowMenuButton), over ROWS items that are already in memory when the window is
 * built: no network, no keyring, no parsing, no sorting. It reports its first painted
 * frame, which already holds the list, as "ASTRA_BENCH populated <µs> <rows>", then quits.
 * With --scroll it then scrolls the list one page per frame to the bottom, exactly as the
 * app's scroll benchmark does (src/astra-benchmark.c), and reports
 * "ASTRA_BENCH scrolled <µs> <rows> <median frame µs>". With --search it has a search
 * field above the table, focused as the app's is when a person types, and types six
 * letters into it as the app's search benchmark does, a letter every 120 ms; each letter
 * narrows the list through a GtkFilterListModel as the app's search for "Databa" narrows
 * the simulator's 10,000 tokens (77 %, 23 %, 20.1 %, 20 %, 20 %, 20 % of them left, spread
 * over the whole list), and reports "ASTRA_BENCH searched <µs> <rows> <median µs>" (from
 * the letter to the narrowed list painted).
 *
 * build-aux/bench divides its time by the floor's, like the app's: the app cannot show a
 * list faster than GTK shows the same table with nothing else to do, so the difference
 * between the two is what the app itself adds (GTK 4.8 builds up to 200 rows of a list as
 * soon as it is shown, visible or not).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

static guint n_rows;
static gboolean scroll;
static gboolean search;
static GtkAdjustment *vadjustment;
static GArray *frames;       /* gint64 µs */
static gint64 turn_us, frame_start;

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
quit (GtkWidget *window)
{
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

/* A frame's time, as the app's scroll benchmark takes it: the page turn plus the frame
 * clock's work from "before-paint" to "after-paint", not the wait between frames. */
static void
on_before_paint (GdkFrameClock *clock)
{
  if (frame_start == 0)
    frame_start = g_get_monotonic_time ();
}

static gboolean
scroll_a_page (GdkFrameClock *clock,
               GtkWidget     *window)
{
  double value = gtk_adjustment_get_value (vadjustment);
  double limit = gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size (vadjustment);

  if (frame_start > 0)
    {
      gint64 frame = turn_us + g_get_monotonic_time () - frame_start;

      g_array_append_val (frames, frame);
    }
  if (value >= limit)
    {
      g_array_sort (frames, compare_int64);
      printf ("ASTRA_BENCH scrolled %" G_GINT64_FORMAT " %u %" G_GINT64_FORMAT "\n",
              g_get_monotonic_time (), n_rows,
              frames->len > 0 ? g_array_index (frames, gint64, frames->len / 2) : -1);
      fflush (stdout);
      return FALSE;
    }

  turn_us = g_get_monotonic_time ();
  gtk_adjustment_set_value (vadjustment, MIN (value + gtk_adjustment_get_page_size (vadjustment), limit));
  turn_us = g_get_monotonic_time () - turn_us;
  frame_start = 0;
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  return TRUE;
}

/* --search: what is left of the list after each letter (of the app's bulk tokens, for
 * "Databa"), and a row's place in it: row i stays while hash(i) is below the letter's
 * share, so each letter keeps a subset of what the last one kept. */
static const double search_shares[] = { 0.770, 0.229, 0.2013, 0.2001, 0.2000, 0.2000 };
#define SEARCH_TEXT "Databa"
#define TYPING_INTERVAL_MS 120

static GtkWidget *search_entry;
static GtkFilter *search_filter;
static GListModel *search_model;   /* the rows the search leaves */
static guint search_letters;    /* letters in the field */
static gint64 step_start;       /* the last letter's time, 0 once its list is painted */
static gboolean step_applied;
static gboolean list_painted;

static double
row_share (guint position)
{
  guint32 h = position * 2654435761u;

  h ^= h >> 16;
  h *= 0x45d9f3bu;
  h ^= h >> 16;
  return h / 4294967296.0;
}

static gboolean
match_row (gpointer item,
           gpointer user_data)
{
  guint position = (guint) strtoul (gtk_string_object_get_string (item), NULL, 10);

  return search_letters == 0 ||
         row_share (position) < search_shares[MIN (search_letters, G_N_ELEMENTS (search_shares)) - 1];
}

static void
on_search_changed (GtkEditable *entry)
{
  guint letters = (guint) g_utf8_strlen (gtk_editable_get_text (entry), -1);

  if (letters == search_letters)
    return;
  search_letters = letters;
  gtk_filter_changed (search_filter, GTK_FILTER_CHANGE_MORE_STRICT);
}

/* After the field's own handler (connected first): the letter's change is in the model. */
static void
on_step_applied (GtkEditable *entry)
{
  if (step_start == 0 || step_applied)
    return;
  step_applied = TRUE;
  gdk_frame_clock_request_phase (gtk_widget_get_frame_clock (GTK_WIDGET (entry)),
                                 GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
type_a_letter (gpointer user_data)
{
  int position = -1;

  step_start = g_get_monotonic_time ();
  step_applied = FALSE;
  gtk_editable_insert_text (GTK_EDITABLE (search_entry), SEARCH_TEXT + search_letters, 1, &position);
}

/* TRUE while there are letters to type. */
static gboolean
search_step (GdkFrameClock *clock,
             GtkWidget     *window)
{
  if (!list_painted)
    {
      list_painted = TRUE;
      g_timeout_add_once (TYPING_INTERVAL_MS, type_a_letter, NULL);
      return TRUE;
    }
  if (!step_applied)
    return TRUE;   /* a frame of the cursor's blinking, not the letter's */

  {
    gint64 elapsed = g_get_monotonic_time () - step_start;

    g_array_append_val (frames, elapsed);
  }
  step_applied = FALSE;
  step_start = 0;
  if (search_letters < strlen (SEARCH_TEXT))
    {
      g_timeout_add_once (TYPING_INTERVAL_MS, type_a_letter, NULL);
      return TRUE;
    }

  g_array_sort (frames, compare_int64);
  printf ("ASTRA_BENCH searched %" G_GINT64_FORMAT " %u %" G_GINT64_FORMAT "\n",
          g_get_monotonic_time (), g_list_model_get_n_items (search_model),
          g_array_index (frames, gint64, frames->len / 2));
  fflush (stdout);
  return FALSE;
}

static void
on_after_paint (GdkFrameClock *clock,
                GtkWidget     *window)
{
  if (scroll)
    {
      if (scroll_a_page (clock, window))
        return;
    }
  else if (search)
    {
      if (search_step (clock, window))
        return;
    }
  else
    {
      printf ("ASTRA_BENCH populated %" G_GINT64_FORMAT " %u\n", g_get_monotonic_time (), n_rows);
      fflush (stdout);
    }

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);
  quit (window);
}

static void
on_realize (GtkWidget *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (on_after_paint), window, 0);
  if (scroll)
    g_signal_connect (gtk_widget_get_frame_clock (window), "before-paint",
                      G_CALLBACK (on_before_paint), NULL);
}

static void
setup_text (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_valign (inscription, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (item, inscription);
}

/* Each text column shows a string of the length the app's column shows: @prefix and the
 * row's position. */
static void
bind_text (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           const char               *prefix)
{
  g_autofree char *text = g_strdup_printf ("%s%u", prefix, gtk_list_item_get_position (item));

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

/* The app's Keyring cell holds an icon only for a token whose secret is on this computer,
 * none of the simulator's. */
static void
setup_empty (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
}

static void
setup_menu (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *menu = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "view-more-symbolic");
  gtk_widget_add_css_class (menu, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Token Actions", -1);
  gtk_widget_set_halign (menu, GTK_ALIGN_END);
  gtk_list_item_set_child (item, menu);
}

static void
add_column (GtkColumnView *view,
            const char    *title,
            int            width,
            GCallback      setup,
            const char    *prefix)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, NULL);
  if (prefix != NULL)
    g_signal_connect (factory, "bind", G_CALLBACK (bind_text), (gpointer) prefix);

  column = gtk_column_view_column_new (title, factory);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  else
    gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
}

static GtkWidget *
create_table (void)
{
  GtkStringList *strings = gtk_string_list_new (NULL);
  GtkWidget *view, *scrolled;

  for (guint i = 0; i < n_rows; i++)
    {
      char id[16];

      g_snprintf (id, sizeof id, "%u", i);
      gtk_string_list_append (strings, id);
    }

  if (search)
    {
      search_filter = GTK_FILTER (gtk_custom_filter_new (match_row, NULL, NULL));
      search_model = G_LIST_MODEL (gtk_filter_list_model_new (G_LIST_MODEL (strings),
                                                              g_object_ref (search_filter)));
      view = gtk_column_view_new (GTK_SELECTION_MODEL (gtk_multi_selection_new (search_model)));
    }
  else
    view = gtk_column_view_new (GTK_SELECTION_MODEL (gtk_multi_selection_new (G_LIST_MODEL (strings))));
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (view), TRUE);
  add_column (GTK_COLUMN_VIEW (view), "Client ID", 214, G_CALLBACK (setup_text), "bJgLFtTsehTNVipFoIFF");
  add_column (GTK_COLUMN_VIEW (view), "Description", 0, G_CALLBACK (setup_text), "astra-sim token ");
  add_column (GTK_COLUMN_VIEW (view), "Roles", 0, G_CALLBACK (setup_text), "R/W User, Role ");
  add_column (GTK_COLUMN_VIEW (view), "Generated", 140, G_CALLBACK (setup_text), "2026-11-28 21:");
  add_column (GTK_COLUMN_VIEW (view), "Expires", 100, G_CALLBACK (setup_text), "2027-01-");
  add_column (GTK_COLUMN_VIEW (view), "Keyring", 72, G_CALLBACK (setup_empty), NULL);
  add_column (GTK_COLUMN_VIEW (view), "Actions", 76, G_CALLBACK (setup_menu), NULL);

  scrolled = gtk_scrolled_window_new ();
  vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);

  return scrolled;
}

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  if (search)
    {
      search_entry = gtk_search_entry_new ();
      gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (search_entry), 0);
      gtk_widget_set_margin_start (search_entry, 12);
      gtk_widget_set_margin_end (search_entry, 12);
      gtk_widget_set_margin_top (search_entry, 6);
      gtk_widget_set_margin_bottom (search_entry, 6);
      g_signal_connect (search_entry, "search-changed", G_CALLBACK (on_search_changed), NULL);
      g_signal_connect (search_entry, "search-changed", G_CALLBACK (on_step_applied), NULL);
      gtk_box_append (GTK_BOX (box), search_entry);
    }
  gtk_box_append (GTK_BOX (box), create_table ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Floor");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);

  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
  if (search)
    gtk_widget_grab_focus (search_entry);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  scroll = argc == 3 && g_str_equal (argv[2], "--scroll");
  search = argc == 3 && g_str_equal (argv[2], "--search");
  if ((argc != 2 && !scroll && !search) || (n_rows = (guint) strtoul (argv[1], NULL, 10)) == 0)
    {
      fprintf (stderr, "usage: floor-columnview ROWS [--scroll | --search]\n");
      return 2;
    }
  frames = g_array_new (FALSE, FALSE, sizeof (gint64));

  app = adw_application_new ("io.github.astratokens.AstraTokens.BenchColumnView",
                             G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);

  return g_application_run (G_APPLICATION (app), 1, argv);
}

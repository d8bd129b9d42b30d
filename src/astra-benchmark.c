/* astra-benchmark.c
 *
 * Measurement points for the benchmarks, enabled by ASTRA_TOKENS_BENCHMARK:
 *   startup   after the window's first painted frame:
 *             "ASTRA_BENCH first-frame <monotonic µs>", then quit;
 *   populate  after the selected organization's tokens are listed with role names and the
 *             next frame is painted: "ASTRA_BENCH populated <µs> <rows>", then quit;
 *   scroll    after populated, scrolls the token list one page per frame to the bottom:
 *             "ASTRA_BENCH scrolled <µs> <rows> <median frame µs>", then quit; a frame's
 *             time is the page turn (the adjustment's new value) plus the frame clock's
 *             work from "before-paint" to "after-paint", not the wait between frames;
 *   search    after populated, types SEARCH_TEXT into the search field one letter at a time,
 *             a letter every TYPING_INTERVAL_MS, and times each from the keystroke to the
 *             filtered list painted: "ASTRA_BENCH searched <µs> <rows> <median µs>";
 *   sort      after populated, sorts by one column after another as a click on its header
 *             does, and times each to the re-sorted list painted:
 *             "ASTRA_BENCH sorted <µs> <rows> <median µs>";
 *   session   astra-benchmark-session.c.
 * Out of the normal path: without the variable nothing is connected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-benchmark"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "astra-benchmark.h"
#include "astra-tokens-page-private.h"
#include "astra-window-private.h"

/* Letters typed: the first six of a role that bulk tokens carry ("Database
 * Administrator"), so that each keystroke narrows a list of thousands. */
#define SEARCH_TEXT "Databa"
/* About a fast typist's pace; also more than a frame, so that the frame clock's pacing of
 * back-to-back frames is not counted as the app's time. */
#define TYPING_INTERVAL_MS 120

typedef enum {
  MODE_STARTUP,
  MODE_POPULATE,
  MODE_SCROLL,
  MODE_SEARCH,
  MODE_SORT,
} Mode;

typedef struct
{
  AstraWindow   *window;
  GdkFrameClock *clock;
  Mode           mode;
  gulong         paint_handler;
  gulong         before_paint_handler;
  gboolean       populated;
  gboolean       started;    /* the populated list has been painted */

  /* scroll */
  gint64         turn_us;    /* time the last page turn took */
  gint64         frame_start;
  /* search and sort: one step is waiting for its paint since step_start */
  guint          step;
  gint64         step_start;
  gboolean       step_applied;
  GArray        *samples;    /* gint64 µs */
} Bench;

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
median_sample (Bench *bench)
{
  if (bench->samples->len == 0)
    return -1;

  g_array_sort (bench->samples, compare_int64);
  return g_array_index (bench->samples, gint64, bench->samples->len / 2);
}

static guint
n_rows (Bench *bench)
{
  return g_list_model_get_n_items (astra_tokens_page_get_model (bench->window->tokens_page));
}

static void
finish (Bench      *bench,
        const char *what,
        gboolean    with_rows)
{
  if (bench->samples != NULL)
    printf ("ASTRA_BENCH %s %" G_GINT64_FORMAT " %u %" G_GINT64_FORMAT "\n", what,
            g_get_monotonic_time (), n_rows (bench), median_sample (bench));
  else if (with_rows)
    printf ("ASTRA_BENCH %s %" G_GINT64_FORMAT " %u\n", what, g_get_monotonic_time (), n_rows (bench));
  else
    printf ("ASTRA_BENCH %s %" G_GINT64_FORMAT "\n", what, g_get_monotonic_time ());
  fflush (stdout);

  g_clear_signal_handler (&bench->paint_handler, bench->clock);
  g_clear_signal_handler (&bench->before_paint_handler, bench->clock);
  g_application_quit (g_application_get_default ());
}

static GtkAdjustment *
get_vadjustment (Bench *bench)
{
  GtkWidget *view = GTK_WIDGET (astra_tokens_page_get_column_view (bench->window->tokens_page));
  GtkWidget *scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
}

/* The search field's "search-changed" (after the page's own handler has filtered), or
 * the sort model's "items-changed": the step's change is in the models, the next painted
 * frame shows it. */
static void
on_step_applied_cb (Bench *bench)
{
  if (bench->step_start == 0 || bench->step_applied)
    return;

  bench->step_applied = TRUE;
  gdk_frame_clock_request_phase (bench->clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

/* Columns in the order astra-tokens-page.ui has them; a click on a header sorts by it. */
static const guint sort_clicks[] = { 1, 2, 0, 4, 3, 1, 2 };

static void
next_step_cb (gpointer user_data)
{
  Bench *bench = user_data;
  AstraTokensPage *page = bench->window->tokens_page;
  GtkColumnView *view = astra_tokens_page_get_column_view (page);

  if (bench->mode == MODE_SEARCH)
    {
      GtkEditable *entry = GTK_EDITABLE (GTK_WIDGET (page->search_entry));
      int position = -1;

      if (bench->step == strlen (SEARCH_TEXT))
        {
          finish (bench, "searched", TRUE);
          return;
        }
      /* What a key press in the field does. */
      bench->step_start = g_get_monotonic_time ();
      gtk_editable_insert_text (entry, SEARCH_TEXT + bench->step, 1, &position);
    }
  else
    {
      g_autoptr(GtkColumnViewColumn) column = NULL;

      if (bench->step == G_N_ELEMENTS (sort_clicks))
        {
          finish (bench, "sorted", TRUE);
          return;
        }
      column = g_list_model_get_item (gtk_column_view_get_columns (view), sort_clicks[bench->step]);
      /* What a click on the column's header does. */
      bench->step_start = g_get_monotonic_time ();
      gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
      on_step_applied_cb (bench);
    }
  bench->step++;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Bench         *bench)
{
  GtkAdjustment *adj;
  double value, limit;

  switch (bench->mode)
    {
    case MODE_STARTUP:
      finish (bench, "first-frame", FALSE);
      return;

    case MODE_POPULATE:
      if (bench->populated)
        finish (bench, "populated", TRUE);
      return;

    case MODE_SEARCH:
    case MODE_SORT:
      if (!bench->populated)
        return;
      if (!bench->started)
        {
          bench->started = TRUE;
          g_timeout_add_once (TYPING_INTERVAL_MS, next_step_cb, bench);
        }
      else if (bench->step_applied)
        {
          gint64 elapsed = g_get_monotonic_time () - bench->step_start;

          g_array_append_val (bench->samples, elapsed);
          bench->step_applied = FALSE;
          g_timeout_add_once (TYPING_INTERVAL_MS, next_step_cb, bench);
        }
      return;

    case MODE_SCROLL:
    default:
      if (!bench->populated)
        return;

      if (bench->frame_start > 0)
        {
          gint64 frame = bench->turn_us + g_get_monotonic_time () - bench->frame_start;

          g_array_append_val (bench->samples, frame);
        }

      /* One page per frame, until the last row is shown. */
      adj = get_vadjustment (bench);
      value = gtk_adjustment_get_value (adj);
      limit = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
      if (value >= limit)
        {
          finish (bench, "scrolled", TRUE);
          return;
        }
      bench->turn_us = g_get_monotonic_time ();
      gtk_adjustment_set_value (adj, MIN (value + gtk_adjustment_get_page_size (adj), limit));
      bench->turn_us = g_get_monotonic_time () - bench->turn_us;
      bench->frame_start = 0;
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
      return;
    }
}

static void
on_before_paint_cb (GdkFrameClock *clock,
                    Bench         *bench)
{
  if (bench->frame_start == 0)
    bench->frame_start = g_get_monotonic_time ();
}

static void
on_populated_cb (AstraTokensPage *page,
                 Bench           *bench)
{
  bench->populated = TRUE;
  if (bench->clock != NULL)
    gdk_frame_clock_request_phase (bench->clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
on_realize_cb (GtkWidget *widget,
               Bench     *bench)
{
  bench->clock = gtk_widget_get_frame_clock (widget);
  bench->paint_handler = g_signal_connect (bench->clock, "after-paint",
                                           G_CALLBACK (on_after_paint_cb), bench);
  if (bench->mode == MODE_SCROLL)
    bench->before_paint_handler = g_signal_connect (bench->clock, "before-paint",
                                                    G_CALLBACK (on_before_paint_cb), bench);
}

void
astra_benchmark_attach (AstraWindow *window)
{
  const char *mode = g_getenv ("ASTRA_TOKENS_BENCHMARK");
  Bench *bench;

  if (mode == NULL || *mode == '\0')
    return;
  if (g_str_equal (mode, "session"))
    {
      astra_benchmark_session_attach (window);
      return;
    }

  bench = g_new0 (Bench, 1);
  bench->window = window;
  if (!g_str_equal (mode, "startup") && !g_str_equal (mode, "populate"))
    bench->samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (g_str_equal (mode, "populate"))
    bench->mode = MODE_POPULATE;
  else if (g_str_equal (mode, "scroll"))
    bench->mode = MODE_SCROLL;
  else if (g_str_equal (mode, "search"))
    bench->mode = MODE_SEARCH;
  else if (g_str_equal (mode, "sort"))
    bench->mode = MODE_SORT;
  else
    bench->mode = MODE_STARTUP;

  /* Lives as long as the process: the benchmark quits the app when done. */
  g_object_set_data (G_OBJECT (window), "astra-benchmark", bench);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), bench);
  if (window->tokens_page != NULL)
    astra_benchmark_watch_pages (window);
}

void
astra_benchmark_watch_pages (AstraWindow *window)
{
  Bench *bench = g_object_get_data (G_OBJECT (window), "astra-benchmark");

  astra_benchmark_session_watch_pages (window);
  if (bench == NULL || window->tokens_page == NULL)
    return;

  g_signal_connect (window->tokens_page, "populated", G_CALLBACK (on_populated_cb), bench);
  if (bench->mode == MODE_SEARCH)
    g_signal_connect_swapped (window->tokens_page->search_entry,
                              "search-changed", G_CALLBACK (on_step_applied_cb), bench);
}

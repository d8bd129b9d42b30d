/* astra-benchmark.c
 *
 * Measurement points for the benchmarks, enabled by ASTRA_TOKENS_BENCHMARK:
 *   startup   after the window's first painted frame:
 *             "ASTRA_BENCH first-frame <monotonic µs>", then quit;
 *   populate  after the selected organization's tokens are listed with role names and the
 *             next frame is painted: "ASTRA_BENCH populated <µs> <rows>", then quit;
 *   scroll    after populated, scrolls the token list one page per frame to the bottom:
 *             "ASTRA_BENCH scrolled <µs> <rows>", then quit.
 * Out of the normal path: without the variable nothing is connected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-benchmark"

#include "config.h"

#include <stdio.h>

#include "astra-benchmark.h"
#include "astra-window-private.h"

typedef enum {
  MODE_STARTUP,
  MODE_POPULATE,
  MODE_SCROLL,
} Mode;

typedef struct
{
  AstraWindow   *window;
  GdkFrameClock *clock;
  Mode           mode;
  gulong         paint_handler;
  gboolean       populated;
} Bench;

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
  if (with_rows)
    printf ("ASTRA_BENCH %s %" G_GINT64_FORMAT " %u\n", what, g_get_monotonic_time (), n_rows (bench));
  else
    printf ("ASTRA_BENCH %s %" G_GINT64_FORMAT "\n", what, g_get_monotonic_time ());
  fflush (stdout);

  g_clear_signal_handler (&bench->paint_handler, bench->clock);
  g_application_quit (g_application_get_default ());
}

static GtkAdjustment *
get_vadjustment (Bench *bench)
{
  GtkWidget *view = GTK_WIDGET (astra_tokens_page_get_column_view (bench->window->tokens_page));
  GtkWidget *scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
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

    case MODE_SCROLL:
    default:
      if (!bench->populated)
        return;

      /* One page per frame, until the last row is shown. */
      adj = get_vadjustment (bench);
      value = gtk_adjustment_get_value (adj);
      limit = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
      if (value >= limit)
        {
          finish (bench, "scrolled", TRUE);
          return;
        }
      gtk_adjustment_set_value (adj, MIN (value + gtk_adjustment_get_page_size (adj), limit));
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
      return;
    }
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
}

void
astra_benchmark_attach (AstraWindow *window)
{
  const char *mode = g_getenv ("ASTRA_TOKENS_BENCHMARK");
  Bench *bench;

  if (mode == NULL || *mode == '\0')
    return;

  bench = g_new0 (Bench, 1);
  bench->window = window;
  if (g_str_equal (mode, "populate"))
    bench->mode = MODE_POPULATE;
  else if (g_str_equal (mode, "scroll"))
    bench->mode = MODE_SCROLL;
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

  if (bench == NULL || window->tokens_page == NULL)
    return;

  g_signal_connect (window->tokens_page, "populated", G_CALLBACK (on_populated_cb), bench);
}

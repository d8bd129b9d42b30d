/* floor.c: the smallest libadwaita program, as a yardstick for Astra Tokens
 *
 * An AdwApplication with one AdwApplicationWindow holding an AdwHeaderBar, the same size as
 * the main window. It reports its first painted frame exactly as the app does under
 * ASTRA_TOKENS_BENCHMARK=startup (a GdkFrameClock "after-paint" handler printing
 * g_get_monotonic_time()), then quits, so that build-aux/bench can divide the app's figures
 * by this one and machine noise cancels out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>

#include <adwaita.h>

static void
on_after_paint (GdkFrameClock *clock,
                GtkWidget     *window)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);

  /* Same line format as the app's benchmark hook; flushed at once because stdout is a pipe. */
  printf ("ASTRA_BENCH first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);

  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

static void
on_realize (GtkWidget *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (on_after_paint), window, 0);
}

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Floor");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);

  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.astratokens.AstraTokens.BenchFloor",
                             G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}

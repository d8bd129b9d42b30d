/* astra-tokens-page-fit.c: the token table fitted to the page's width
 *
 * Columns make room as the page narrows (AstraTokensPageFold): Generated and Expires first,
 * the Keyring and Client ID columns only when even the table's minimum does not fit, so
 * that the row's Actions are always on screen. Called by the page's size_allocate().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-page"

#include "config.h"

#include "astra-tokens-page-private.h"

static void
measure_table (AstraTokensPage *self,
               int             *minimum,
               int             *natural)
{
  gtk_widget_measure (GTK_WIDGET (self->column_view), GTK_ORIENTATION_HORIZONTAL, -1,
                      minimum, natural, NULL, NULL);
}

static gboolean
fold_fits (AstraTokensPageFold *fold,
           int                  minimum,
           int                  natural,
           int                  width)
{
  return (fold->for_comfort ? natural : minimum) <= width;
}

/* A column hidden from the start has never been measured: what it would add to the table
 * is taken from what its cells ask for (astra-tokens-page-cells.c), as many characters of
 * the table's font as GtkInscription counts them, and a cell's padding and border (13 px:
 * Generated is estimated at 141 px and measures 141 px once shown). The estimate only
 * decides whether to show it: once shown, the column is measured as any other. */
#define CELL_PADDING_PX 13

static void
estimate_fold (AstraTokensPage     *self,
               AstraTokensPageFold *fold)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self->column_view));
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                        pango_font_metrics_get_approximate_digit_width (metrics));

  pango_font_metrics_unref (metrics);
  fold->nat_width = PANGO_PIXELS_CEIL ((int) fold->estimate_chars * char_width) + CELL_PADDING_PX;
  fold->min_width = fold->nat_width;
}

/* Asks for one more layout, in which the table's size is measured afresh. */
static gboolean
refit_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);

  self->refit_tick = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self->column_view));

  return G_SOURCE_REMOVE;
}

/* The table is never wider than the page, so the Actions column is always on screen:
 * Generated and Expires go when the table is narrower than its natural width (the other
 * columns get their room first: whole role names), the Keyring and Client ID columns only
 * when even the table's minimum width does not fit, and each comes back once the page has
 * the room it took. Called before the page's children are allocated, so the table is laid
 * out at once with the columns that fit; a column is shown again only when the width it
 * took when it was hidden fits, so there is no loop.
 *
 * A column's width is what the table lost when it was hidden. Measured again in the same
 * layout, the table can still report its old size: GTK 4.8 keeps a widget's measurement
 * until its next allocation when a resize was already queued (as it is for every row added
 * while scrolling). Such a column's width is then taken at the next layout, with nothing
 * shown again meanwhile; taking the old size for the width (0) made Expires show and hide
 * again in every frame of a scroll, each time building and dropping 200 cells
 * (build-aux/bench, scroll_frame_over_gtk: 4.4 before). */
void
astra_tokens_page_fit_columns (AstraTokensPage *self,
                               int              width)
{
  int minimum, natural;

  measure_table (self, &minimum, &natural);

  if (self->n_folded > 0 && self->folds[self->n_folded - 1].width_pending)
    {
      AstraTokensPageFold *fold = &self->folds[self->n_folded - 1];

      fold->min_width = fold->with_minimum - minimum;
      fold->nat_width = fold->with_natural - natural;
      fold->width_pending = FALSE;
      if (fold->min_width <= 0 && fold->nat_width <= 0)
        {
          /* Still the old size: measured again at the next layout. */
          fold->width_pending = TRUE;
          if (self->refit_tick == 0)
            self->refit_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), refit_cb, NULL, NULL);
          return;
        }
    }

  while (self->n_folded > 0)
    {
      AstraTokensPageFold *fold = &self->folds[self->n_folded - 1];

      if (fold->estimate_chars > 0)
        estimate_fold (self, fold);
      if (!fold_fits (fold, minimum + fold->min_width, natural + fold->nat_width, width))
        break;

      fold->estimate_chars = 0;
      gtk_column_view_column_set_visible (fold->column, TRUE);
      self->n_folded--;
      minimum += fold->min_width;
      natural += fold->nat_width;
    }

  while (self->n_folded < ASTRA_TOKENS_PAGE_N_FOLDS)
    {
      AstraTokensPageFold *fold = &self->folds[self->n_folded];
      int folded_minimum, folded_natural;

      if (fold_fits (fold, minimum, natural, width))
        break;

      gtk_column_view_column_set_visible (fold->column, FALSE);
      self->n_folded++;
      measure_table (self, &folded_minimum, &folded_natural);
      if (folded_minimum == minimum && folded_natural == natural)
        {
          fold->width_pending = TRUE;
          fold->with_minimum = minimum;
          fold->with_natural = natural;
          if (self->refit_tick == 0)
            self->refit_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), refit_cb, NULL, NULL);
          return;
        }
      fold->min_width = minimum - folded_minimum;
      fold->nat_width = natural - folded_natural;
      minimum = folded_minimum;
      natural = folded_natural;
    }
}

void
astra_tokens_page_init_folds (AstraTokensPage *self)
{
  /* Least needed first: the dates are in the token's details, the keyring's answer in
   * its menu (Copy Token is greyed out); the description and roles tell tokens apart. */
  self->folds[0] = (AstraTokensPageFold) { self->generated_column, TRUE };
  self->folds[1] = (AstraTokensPageFold) { self->expires_column, TRUE };
  self->folds[2] = (AstraTokensPageFold) { self->keyring_column, FALSE };
  self->folds[3] = (AstraTokensPageFold) { self->client_id_column, FALSE };
  /* A window of the default width has no room for the dates: they start hidden, so that
   * the first list's 200 rows are not built with cells that the first layout drops again
   * (A/B against GTK's own table, populate 10,000: 1.21 → 1.02); a wider page shows them at once. */
  self->folds[0].estimate_chars = 16;   /* setup_generated_cb() */
  self->folds[1].estimate_chars = 16;   /* setup_expires_cb() */
  gtk_column_view_column_set_visible (self->generated_column, FALSE);
  gtk_column_view_column_set_visible (self->expires_column, FALSE);
  self->n_folded = 2;
}

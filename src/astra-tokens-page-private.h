/* astra-tokens-page-private.h: what the files of the Tokens page share
 *
 * astra-tokens-page.c        the page: loading, states, models, search
 * astra-tokens-page-cells.c  the columns' cells and the row menu
 * astra-tokens-page-actions.c the tokens.* actions
 * astra-tokens-page-expiry.c the Expires words, the Expiring Soon filter and the banner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-token.h"
#include "astra-token-array.h"
#include "astra-tokens-page.h"

G_BEGIN_DECLS

/* A column that makes room for the others when the page is narrow (fit_columns()). */
typedef struct
{
  GtkColumnViewColumn *column;
  gboolean             for_comfort;  /* goes when the table is narrower than its natural
                                      * width, not only when its minimum does not fit */
  int                  min_width;    /* what it added to the table's minimum and natural */
  int                  nat_width;    /* widths, measured when it was last hidden */
  gboolean             width_pending;  /* hidden, its widths known at the next layout: */
  int                  with_minimum;   /* the table's minimum and natural widths with it */
  int                  with_natural;
  guint                estimate_chars; /* hidden from the start, never measured: its cells'
                                        * natural width in characters (0 once measured) */
} AstraTokensPageFold;

#define ASTRA_TOKENS_PAGE_N_FOLDS 4

struct _AstraTokensPage
{
  AdwBin               parent_instance;

  AstraContext        *context;
  AstraConnection     *connection;
  AstraClient         *client;
  GCancellable        *cancellable;   /* of the current connection; cancelled on switch */
  AstraTokenArray     *tokens;
  GHashTable          *held;          /* client ids whose secrets the keyring holds */
  GHashTable          *keyring_cells; /* GtkListItems of the Keyring column now bound */
  guint                keyring_generation;  /* counts the app's changes to them */
  GListModel          *roles;
  GtkFilterListModel  *filter_model;
  GtkSortListModel    *sort_model;
  GtkMultiSelection   *selection;
  GtkCustomFilter     *search_filter;
  char                *search_folded;  /* the search field's text, astra_search_fold()ed */
  char               **search_terms;   /* its words (astra_search_terms()) */
  const char          *state;

  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkWidget           *replace_button;
  GtkSearchEntry      *search_entry;
  GtkLabel            *count_label;
  GtkStack            *results_stack;
  GtkScrolledWindow   *scrolled_window;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *client_id_column;
  GtkColumnViewColumn *description_column;
  GtkColumnViewColumn *roles_column;
  GtkColumnViewColumn *generated_column;
  GtkColumnViewColumn *expires_column;
  GtkColumnViewColumn *keyring_column;
  /* In the order they go as the page narrows; the first n_folded are hidden. */
  AstraTokensPageFold  folds[ASTRA_TOKENS_PAGE_N_FOLDS];
  guint                n_folded;
  guint                refit_tick;       /* a fold's width is measured at the next layout */
  gulong               sorter_handler;   /* until the sort model has the sorter */

  /* astra-tokens-page-expiry.c */
  GSettings           *settings;
  guint                expiry_threshold_days;
  GtkCustomFilter     *expiry_filter;   /* matches all until Expiring Soon is on */
  GtkRevealer         *expiry_banner;
  GtkLabel            *expiry_banner_label;
  GtkToggleButton     *expiring_button;
  GtkWidget           *expiry_review_button;
  GPtrArray           *expires_items;   /* the GtkListItems of the Expires column (unowned) */
  guint                expiry_tick_id;
};

void        astra_tokens_page_set_state          (AstraTokensPage *self,
                                                  const char      *state);
void        astra_tokens_page_add_toast          (AstraTokensPage *self,
                                                  const char      *title);
GtkWindow  *astra_tokens_page_get_window         (AstraTokensPage *self);
/* Returns: (transfer none) (nullable): the token in the store, at *@position. */
AstraToken *astra_tokens_page_find_token         (AstraTokensPage *self,
                                                  const char      *client_id,
                                                  guint           *position);
/* Returns: (transfer full): the selected tokens, in the order shown. */
GPtrArray  *astra_tokens_page_dup_selected       (AstraTokensPage *self);
/* Whether the keyring holds @token's secret, so that a reference to it resolves. */
gboolean    astra_tokens_page_can_reference      (AstraTokensPage *self,
                                                  AstraToken      *token);

/* astra-tokens-page-cells.c */
/* The Keyring cells of the rows shown follow their tokens' "in-keyring". */
void        astra_tokens_page_update_keyring_cells (AstraTokensPage *self);
/* Returns: (transfer full) (nullable): @when in local time, or NULL for NULL. */
char       *astra_tokens_page_format_local       (GDateTime       *when,
                                                  const char      *format);
void        astra_tokens_page_class_add_cells    (GtkWidgetClass  *widget_class);

/* astra-tokens-page-fit.c */
void        astra_tokens_page_init_folds         (AstraTokensPage *self);
void        astra_tokens_page_fit_columns        (AstraTokensPage *self,
                                                  int              width);

/* astra-tokens-page-expiry.c */
void        astra_tokens_page_class_add_expiry   (GtkWidgetClass  *widget_class);
/* Returns: (transfer full): the filter of Expiring Soon, for the page's every-filter. */
GtkFilter  *astra_tokens_page_init_expiry        (AstraTokensPage *self);
void        astra_tokens_page_set_expiry_settings (AstraTokensPage *self,
                                                  GSettings       *settings);
/* The tokens or the threshold changed: the banner and the filter follow. */
void        astra_tokens_page_update_expiry      (AstraTokensPage *self);
/* A list arrived: the banner, the filter, and the sidebar's count (the expiry monitor). */
void        astra_tokens_page_refreshed_expiry   (AstraTokensPage *self);
void        astra_tokens_page_dispose_expiry     (AstraTokensPage *self);
void        astra_tokens_page_setup_expires_cell (AstraTokensPage *self,
                                                  GtkListItem     *item,
                                                  GtkWidget       *cell);
void        astra_tokens_page_bind_expires_cell  (AstraTokensPage *self,
                                                  GtkWidget       *cell,
                                                  AstraToken      *token);

/* astra-tokens-page-actions.c */
void        astra_tokens_page_class_add_actions  (GtkWidgetClass  *widget_class);
void        astra_tokens_page_add_sort_actions   (AstraTokensPage *self);

G_END_DECLS

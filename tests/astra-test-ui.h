/* astra-test-ui.h: shared helpers for the widget tests (suite "ui")
 *
 * Spin the main loop until something happens, start an in-process simulator, find widgets
 * the way a person would (by type and visible or accessible label), and save screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "astra-sim-server.h"

G_BEGIN_DECLS

/* gtk_test_init() plus the settings every UI test wants (isolated dirs, C locale names). */
void            astra_test_ui_init           (int          *argc,
                                              char       ***argv);

/* Runs one main-context iteration, waking up at least every 10 ms. */
void            astra_test_ui_iterate        (void);
/* Spins the main loop for @ms milliseconds (for letting animations settle; not a sync). */
void            astra_test_ui_spin           (guint         ms);

typedef gboolean (*AstraTestUiCondition) (gpointer user_data);
/* Spins the main loop until @condition returns TRUE or @timeout_ms passed.
 * Returns the last value of @condition. */
gboolean        astra_test_ui_wait_until     (AstraTestUiCondition condition,
                                              gpointer             user_data,
                                              guint                timeout_ms);

/* Same as a macro over any C expression: ASTRA_TEST_UI_WAIT (n_items (m) == 3, 10000). */
#define ASTRA_TEST_UI_WAIT(expr, timeout_ms)                                  \
  G_STMT_START {                                                              \
    gint64 astra_deadline__ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000; \
    while (!(expr) && g_get_monotonic_time () < astra_deadline__)             \
      astra_test_ui_iterate ();                                               \
    if (!(expr))                                                              \
      g_error ("%s:%d: timed out waiting for: %s", __FILE__, __LINE__, #expr); \
  } G_STMT_END

/* A simulator listening on 127.0.0.1 (any port) in this main context, with @n_tokens extra
 * seeded tokens. (transfer full) */
AstraSimServer *astra_test_ui_start_sim      (guint         n_tokens);

/* The first widget under @root (included) in depth-first order that is of @type (or a
 * subtype) and, when @label is not NULL, whose label matches: its accessible label, a
 * button's or label's text (mnemonic underscores ignored), a preferences row's title,
 * a status page's title, a tooltip, or the widget name. Only mapped widgets are searched
 * when @only_mapped. (transfer none) or NULL. */
GtkWidget      *astra_test_ui_find           (GtkWidget    *root,
                                              GType         type,
                                              const char   *label);
GtkWidget      *astra_test_ui_find_mapped    (GtkWidget    *root,
                                              GType         type,
                                              const char   *label);
/* All matches, in depth-first order. (transfer container) */
GPtrArray      *astra_test_ui_find_all       (GtkWidget    *root,
                                              GType         type,
                                              const char   *label);
/* Whether some mapped GtkLabel or GtkInscription under @root shows exactly @text. */
gboolean        astra_test_ui_shows_text     (GtkWidget    *root,
                                              const char   *text);
/* The choice @title of a list of radio rows (an AdwActionRow whose activatable widget is
 * a check button read out as a radio button), as a person finds it; asserts that shape. */
GtkCheckButton *astra_test_ui_find_choice    (GtkWidget    *root,
                                              const char   *title);

/* Gives @window the default size @width × @height and waits until it has been laid out
 * at that width (the frame's own border aside) and has drawn a frame since. */
void            astra_test_ui_resize         (GtkWindow    *window,
                                              int           width,
                                              int           height);
/* The column of @view titled @title, or NULL. (transfer none) */
GtkColumnViewColumn *
                astra_test_ui_find_column    (GtkColumnView *view,
                                              const char    *title);
/* Asserts that @view fits the window it is in: every visible column's title is shown
 * whole (its label has at least its natural width) and inside the visible part of the
 * view, and @widget (a cell of the last column, say) lies wholly inside the view's
 * scrolled window and the window. */
void            astra_test_ui_assert_table_fits (GtkColumnView *view,
                                                 GtkWidget     *widget);
/* Whether @inscription shows its whole text, without an ellipsis. */
gboolean        astra_test_ui_inscription_is_whole (GtkInscription *inscription);

/* Renders @widget (usually a window) to $ASTRA_SCREENSHOT_DIR/@file_name as PNG, creating
 * the directory. Does nothing when the variable is unset. Returns the path or NULL.
 * (transfer full) */
char           *astra_test_ui_screenshot     (GtkWidget    *widget,
                                              const char   *file_name);

G_END_DECLS

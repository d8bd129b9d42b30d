/* astra-tokens-page.c
 *
 * The Tokens page of one organization: loads the token list, the roles (to show names
 * instead of ids) and which secrets this machine's keyring holds, all at once, then shows
 * them in a sortable, searchable, multi-selection GtkColumnView. Loading, empty and error
 * states are pages of a GtkStack. The columns' cells are in astra-tokens-page-cells.c, the
 * tokens.* actions in astra-tokens-page-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-a11y.h"
#include "astra-client.h"
#include "astra-role.h"
#include "astra-search.h"
#include "astra-secret-store.h"
#include "astra-toast.h"
#include "astra-token.h"
#include "astra-token-list.h"
#include "astra-tokens-page-private.h"

G_DEFINE_FINAL_TYPE (AstraTokensPage, astra_tokens_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  POPULATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Everything one refresh fetches. The list is shown once the client, the token list and
 * the roles have answered; which secrets the keyring holds is shown when the keyring
 * answers, before or after: a keyring that is slow to start (or stuck) never holds the
 * list back. Held by the API steps and by the keyring's answer. */
typedef struct
{
  AstraTokensPage *page;
  GCancellable    *cancellable;
  guint            ref_count;
  guint            pending;         /* API steps still on their way */
  guint            keyring_generation;  /* the page's, when the keyring was asked */
  GListModel      *tokens;
  GError          *tokens_error;
  GListModel      *roles;
  guint            shown : 1;
} Refresh;

static void
refresh_unref (Refresh *refresh)
{
  if (--refresh->ref_count > 0)
    return;

  g_clear_object (&refresh->page);
  g_clear_object (&refresh->cancellable);
  g_clear_object (&refresh->tokens);
  g_clear_error (&refresh->tokens_error);
  g_clear_object (&refresh->roles);
  g_free (refresh);
}

/* Every token shown takes its "in-keyring" from self->held: the keyring's last answer for
 * this organization, with every change the app made since (AstraSecretStore's
 * "generated-changed") applied on top. */
static void
apply_keyring (AstraTokensPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tokens));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (G_LIST_MODEL (self->tokens), i);

      astra_token_set_in_keyring (token, g_hash_table_contains (self->held, astra_token_get_client_id (token)));
    }
  astra_tokens_page_update_keyring_cells (self);
}

static void on_keyring_listed_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data);

/* Takes a reference on @refresh until the keyring answers. */
static void
ask_keyring (AstraTokensPage *self,
             Refresh         *refresh)
{
  refresh->ref_count++;
  refresh->keyring_generation = self->keyring_generation;
  /* No cancellable: libsecret 0.20.5 returns a cancelled search twice (a critical). The
   * answer is cheap, and a stale one is dropped by on_keyring_listed_cb(). */
  astra_secret_store_list_generated_async (astra_context_get_secret_store (self->context),
                                           astra_connection_get_org_id (self->connection),
                                           NULL, on_keyring_listed_cb, refresh);
}

/* The app saved or removed a generated token's secret (in this window or another one):
 * the row follows at once, also for a token the list does not show yet (a new one). */
static void
on_tokens_changed_cb (AstraContext    *context,
                      const char      *org_id,
                      AstraTokensPage *self)
{
  if (self->connection != NULL && g_strcmp0 (org_id, astra_connection_get_org_id (self->connection)) == 0)
    astra_tokens_page_refresh (self);
}

static void
on_generated_changed_cb (AstraSecretStore *store,
                         const char       *org_id,
                         const char       *client_id,
                         gboolean          held,
                         AstraTokensPage  *self)
{
  AstraToken *token;

  if (self->connection == NULL || g_strcmp0 (org_id, astra_connection_get_org_id (self->connection)) != 0)
    return;

  /* A keyring answer asked for before this change is out of date when it arrives. */
  self->keyring_generation++;
  if (held)
    g_hash_table_add (self->held, g_strdup (client_id));
  else
    g_hash_table_remove (self->held, client_id);

  token = astra_tokens_page_find_token (self, client_id, NULL);
  if (token != NULL)
    {
      astra_token_set_in_keyring (token, held);
      astra_tokens_page_update_keyring_cells (self);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

void
astra_tokens_page_set_state (AstraTokensPage *self,
           const char      *state)
{
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->stack, g_str_equal (state, "keyring") ? "error" : state);

  if (g_strcmp0 (self->state, state) == 0)
    return;

  self->state = g_intern_string (state);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
astra_tokens_page_add_toast (AstraTokensPage *self,
           const char      *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), astra_toast_new (title));
}

GtkWindow *
astra_tokens_page_get_window (AstraTokensPage *self)
{
  return GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
}

AstraToken *
astra_tokens_page_find_token (AstraTokensPage *self,
            const char      *client_id,
            guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tokens));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (G_LIST_MODEL (self->tokens), i);

      if (g_strcmp0 (astra_token_get_client_id (token), client_id) == 0)
        {
          if (position != NULL)
            *position = i;
          return token;   /* the store keeps a reference */
        }
    }

  return NULL;
}

GPtrArray *
astra_tokens_page_dup_selected (AstraTokensPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      g_ptr_array_add (tokens, g_list_model_get_item (G_LIST_MODEL (self->sort_model), position));
    while (gtk_bitset_iter_next (&iter, &position));

  return tokens;
}

static void
update_count (AstraTokensPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->tokens));
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u token", "%u tokens", total), total);
  else
    text = g_strdup_printf (_("%u of %u"), shown, total);

  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->results_stack,
                                    shown == 0 && total > 0 ? "no-results" : "results");
}

static void
show_error (AstraTokensPage *self,
            const GError    *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);
  g_autofree char *description = NULL;
  const char *title;
  const char *state = "error";
  gboolean can_replace = FALSE;

  if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED))
    {
      /* The client's message restates the cause before quoting the API; keep the quote. */
      const char *quote = strstr (escaped, "The API said");

      title = _("Token Not Accepted");
      description = g_strdup_printf ("%s\n\n%s",
                                     _("The management token is invalid, revoked, or for another "
                                       "environment."),
                                     quote != NULL ? quote : escaped);
      can_replace = TRUE;
    }
  else if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_FORBIDDEN))
    {
      title = _("Permission Denied");
      description = g_strdup_printf ("%s\n\n%s",
                                     _("The role of this organization’s management token does not "
                                       "allow listing tokens."),
                                     escaped);
    }
  else if (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND))
    {
      title = _("No Token in the Keyring");
      description = g_strdup (_("The keyring no longer holds this organization’s management "
                                "token. Paste it again to keep using the organization."));
      can_replace = TRUE;
    }
  else if (error->domain == ASTRA_SECRET_STORE_ERROR)
    {
      title = _("Keyring Unavailable");
      description = g_strdup_printf ("%s\n\n%s",
                                     _("The management token is kept in the system keyring, which "
                                       "could not be read. Make sure GNOME Keyring or another "
                                       "Secret Service is installed, running and unlocked."),
                                     escaped);
      state = "keyring";
    }
  else
    {
      title = _("Could Not Load Tokens");
      description = g_steal_pointer (&escaped);
    }

  /* Session-only connections have no keyring entry to replace. */
  if (can_replace && astra_context_is_session_only (self->context, self->connection))
    can_replace = FALSE;

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  gtk_widget_set_visible (self->replace_button, can_replace);
  astra_tokens_page_set_state (self, state);
}

/* Newest first, the list's default order: the key and the tie order (stable, by position
 * in the answer) of the Generated column's sorter (compare_generated()), so that the order
 * is the same once GTK sorts (on_sorter_changed_cb()). */
static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  GDateTime *da = astra_token_get_generated_on (*(AstraToken **) a);
  GDateTime *db = astra_token_get_generated_on (*(AstraToken **) b);
  gint64 ua = da != NULL ? g_date_time_to_unix (da) : 0;
  gint64 ub = db != NULL ? g_date_time_to_unix (db) : 0;

  return (ua < ub) - (ua > ub);
}

static void
finish_refresh (Refresh *refresh)
{
  AstraTokensPage *self = refresh->page;
  g_autoptr(GHashTable) names = NULL;
  const char *own_client_id;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  gboolean was_empty;
  guint n, n_unreadable;

  if (refresh->tokens_error != NULL)
    {
      show_error (self, refresh->tokens_error);
      return;
    }

  g_set_object (&self->roles, refresh->roles);
  names = astra_role_names_by_id (refresh->roles);
  own_client_id = self->client != NULL ? astra_client_get_client_id (self->client) : NULL;

  n = g_list_model_get_n_items (refresh->tokens);
  for (guint i = 0; i < n; i++)
    {
      AstraToken *token = g_list_model_get_item (refresh->tokens, i);

      astra_token_resolve_roles (token, names);
      /* Until the keyring answers, what it held before: no icon blinks on a refresh. */
      astra_token_set_in_keyring (token, g_hash_table_contains (self->held, astra_token_get_client_id (token)));
      astra_token_set_connects_app (token, g_strcmp0 (astra_token_get_client_id (token), own_client_id) == 0);
      g_ptr_array_add (items, token);
    }

  g_ptr_array_sort (items, compare_newest_first);
  was_empty = g_list_model_get_n_items (G_LIST_MODEL (self->tokens)) == 0;
  astra_token_array_splice (self->tokens, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tokens)),
                            (AstraToken **) items->pdata, items->len);
  g_ptr_array_foreach (items, (GFunc) g_object_unref, NULL);

  /* The list view keeps its anchor on an item, which sorting moves anywhere: a freshly
   * loaded list starts at its top (the newest tokens). */
  if (was_empty)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);

  update_count (self);
  astra_tokens_page_refreshed_expiry (self);
  astra_tokens_page_set_state (self, n > 0 ? "list" : "empty");

  /* Items the server sent that could not be read were left out (issue 13): say so, or
   * the list would look complete. Their text is never shown, only how many. */
  n_unreadable = astra_token_list_get_n_unreadable (refresh->tokens);
  if (n_unreadable > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u token could not be read and is not shown",
                                      "%u tokens could not be read and are not shown",
                                      n_unreadable),
                         n_unreadable);

      astra_tokens_page_add_toast (self, text);
    }

  g_signal_emit (self, signals[POPULATED], 0);
}

static void
refresh_step_done (Refresh *refresh)
{
  if (--refresh->pending > 0)
    return;

  if (!g_cancellable_is_cancelled (refresh->cancellable))
    finish_refresh (refresh);
  refresh->shown = TRUE;

  /* The store has the tokens now; the keyring's answer may keep the refresh a while. */
  g_clear_object (&refresh->tokens);
  g_clear_object (&refresh->roles);

  refresh_unref (refresh);
}

/* ------------------------------------------------------------------------------------------ */
/* Refresh callbacks                                                                          */

static void
on_tokens_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Refresh *refresh = user_data;

  refresh->tokens = astra_context_list_tokens_finish (ASTRA_CONTEXT (object), result,
                                                      &refresh->tokens_error);
  refresh_step_done (refresh);
}

static void
on_roles_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refresh *refresh = user_data;
  g_autoptr(GError) error = NULL;

  /* Without roles the tokens are still worth showing, with their role ids. */
  refresh->roles = astra_context_list_roles_finish (ASTRA_CONTEXT (object), result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Listing roles: %s", error->message);

  refresh_step_done (refresh);
}

static void
on_keyring_listed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Refresh *refresh = user_data;
  AstraTokensPage *self = refresh->page;
  g_auto(GStrv) in_keyring = NULL;
  g_autoptr(GError) error = NULL;

  in_keyring = astra_secret_store_list_generated_finish (ASTRA_SECRET_STORE (object),
                                                         result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Listing generated tokens in the keyring: %s", error->message);

  if (!g_cancellable_is_cancelled (refresh->cancellable) && error == NULL)
    {
      if (refresh->keyring_generation != self->keyring_generation)
        {
          /* The app changed the keyring while this answer travelled: ask again. */
          ask_keyring (self, refresh);
        }
      else
        {
          g_hash_table_remove_all (self->held);
          for (guint i = 0; in_keyring[i] != NULL; i++)
            g_hash_table_add (self->held, g_steal_pointer (&in_keyring[i]));
          /* Before the list is shown, finish_refresh() applies it. */
          if (refresh->shown)
            apply_keyring (self);
        }
    }

  refresh_unref (refresh);
}

static void
on_client_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Refresh *refresh = user_data;
  AstraTokensPage *self = refresh->page;
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = astra_context_get_client_finish (ASTRA_CONTEXT (object), result, &error);
  if (client == NULL)
    {
      /* Shown by finish_refresh(), once the keyring has answered too. */
      refresh->tokens_error = g_steal_pointer (&error);
      refresh_step_done (refresh);
      return;
    }

  if (!g_cancellable_is_cancelled (refresh->cancellable))
    {
      g_set_object (&self->client, client);
      refresh->pending += 2;
      astra_context_list_tokens_async (self->context, client, refresh->cancellable,
                                       on_tokens_listed_cb, refresh);
      astra_context_list_roles_async (self->context, client, refresh->cancellable,
                                      on_roles_listed_cb, refresh);
    }

  refresh_step_done (refresh);
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                     */

/* Each word of the search is in the Client ID, the Description or the Roles, case
 * ignored. */
static gboolean
match_search (gpointer item,
              gpointer user_data)
{
  AstraTokensPage *self = user_data;
  AstraToken *token = item;

  /* The models can outlive the page's dispose by a moment. */
  if (self->search_terms == NULL)
    return TRUE;

  for (guint i = 0; self->search_terms[i] != NULL; i++)
    {
      const char *term = self->search_terms[i];

      if (!astra_search_contains (astra_token_get_client_id (token), term) &&
          !astra_search_contains (astra_token_get_description (token), term) &&
          !astra_search_contains (astra_token_get_roles_label (token), term))
        return FALSE;
    }

  return TRUE;
}

/* One filter for the three columns, and told how the text changed: typing one more letter
 * only looks again at the tokens still shown (10,000 tokens filter within a frame). Text
 * that contains the old text is stricter also word by word: each old word is inside one of
 * the new words. */
static void
on_search_changed_cb (AstraTokensPage *self)
{
  g_autofree char *folded = astra_search_fold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  g_autofree char *old = g_steal_pointer (&self->search_folded);
  GtkFilterChange change;

  if (g_strcmp0 (old, folded) == 0)
    {
      self->search_folded = g_steal_pointer (&old);
      return;
    }

  if (strstr (folded, old) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (old, folded) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;

  g_strfreev (self->search_terms);
  self->search_terms = astra_search_terms (folded);
  self->search_folded = g_steal_pointer (&folded);
  gtk_filter_changed (GTK_FILTER (self->search_filter), change);
}

static void
on_stop_search_cb (AstraTokensPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_sorter_changed_cb (AstraTokensPage *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);

  g_clear_signal_handler (&self->sorter_handler, sorter);
  /* Not while disposing: the column view's columns go before the view. */
  if (self->sort_model != NULL)
    gtk_sort_list_model_set_sorter (self->sort_model, sorter);
}

static void
on_filtered_items_changed_cb (AstraTokensPage *self)
{
  update_count (self);
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWidget                                                                                  */

/* The page lays out its child itself, instead of AdwBin's GtkBinLayout, to fit the table
 * to its width first. */
static void
astra_tokens_page_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  gtk_widget_measure (adw_bin_get_child (ADW_BIN (widget)), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
astra_tokens_page_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  astra_tokens_page_fit_columns (ASTRA_TOKENS_PAGE (widget), width);

  gtk_widget_allocate (adw_bin_get_child (ADW_BIN (widget)), width, height, baseline, NULL);
}

/* Each answer on its way holds the page, so dispose alone would wait for the server (or the
 * client's 20 s timeout) before cancelling: out of its window, the page stops at once. */
static void
astra_tokens_page_unroot (GtkWidget *widget)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  if (self->refit_tick != 0)
    gtk_widget_remove_tick_callback (widget, self->refit_tick);
  self->refit_tick = 0;

  GTK_WIDGET_CLASS (astra_tokens_page_parent_class)->unroot (widget);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_tokens_page_dispose (GObject *object)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_func (astra_context_get_secret_store (self->context),
                                            on_generated_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->context, on_tokens_changed_cb, self);
    }
  if (self->column_view != NULL)
    g_clear_signal_handler (&self->sorter_handler, gtk_column_view_get_sorter (self->column_view));
  g_clear_object (&self->context);
  g_clear_object (&self->connection);
  g_clear_object (&self->client);
  g_clear_object (&self->roles);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->search_filter);
  g_clear_pointer (&self->search_folded, g_free);
  g_clear_pointer (&self->search_terms, g_strfreev);
  astra_tokens_page_dispose_expiry (self);
  g_clear_object (&self->tokens);
  g_clear_pointer (&self->held, g_hash_table_unref);
  g_clear_pointer (&self->keyring_cells, g_hash_table_unref);

  G_OBJECT_CLASS (astra_tokens_page_parent_class)->dispose (object);
}

static void
astra_tokens_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_tokens_page_class_init (AstraTokensPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = astra_tokens_page_dispose;
  object_class->get_property = astra_tokens_page_get_property;

  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "loading",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[POPULATED] =
    g_signal_new ("populated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  g_type_ensure (ASTRA_TYPE_TOKEN);

  widget_class->measure = astra_tokens_page_measure;
  widget_class->size_allocate = astra_tokens_page_size_allocate;
  widget_class->unroot = astra_tokens_page_unroot;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/astra-tokens-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, replace_button);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, client_id_column);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, description_column);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, roles_column);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, generated_column);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, expires_column);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, keyring_column);
  astra_tokens_page_class_add_cells (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);

  astra_tokens_page_class_add_actions (widget_class);
  astra_tokens_page_class_add_expiry (widget_class);
}

/* ------------------------------------------------------------------------------------------ */
/* Sorting                                                                                    */

static GtkOrdering
ordering (gint64 difference)
{
  return difference < 0 ? GTK_ORDERING_SMALLER : difference > 0 ? GTK_ORDERING_LARGER
                                                                : GTK_ORDERING_EQUAL;
}

static int
compare_client_ids (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  return ordering (astra_search_compare (astra_token_get_client_id ((AstraToken *) a),
                                         astra_token_get_client_id ((AstraToken *) b)));
}

static int
compare_descriptions (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  return ordering (astra_search_compare (astra_token_get_description ((AstraToken *) a),
                                         astra_token_get_description ((AstraToken *) b)));
}

static int
compare_roles (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return ordering (astra_search_compare (astra_token_get_roles_label ((AstraToken *) a),
                                         astra_token_get_roles_label ((AstraToken *) b)));
}

static gint64
unix_or (GDateTime *when,
         gint64     missing)
{
  return when != NULL ? g_date_time_to_unix (when) : missing;
}

/* As "generated-on-unix" and "expires-unix" order them: by whole seconds, never-expiring
 * last. */
static int
compare_generated (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  gint64 ua = unix_or (astra_token_get_generated_on ((AstraToken *) a), 0);
  gint64 ub = unix_or (astra_token_get_generated_on ((AstraToken *) b), 0);

  return ordering ((ua > ub) - (ua < ub));
}

static int
compare_expires (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  gint64 ua = unix_or (astra_token_get_expires ((AstraToken *) a), G_MAXINT64);
  gint64 ub = unix_or (astra_token_get_expires ((AstraToken *) b), G_MAXINT64);

  return ordering ((ua > ub) - (ua < ub));
}

/* Each sortable column compares tokens in C: GTK's string and numeric sorters read every
 * token's property through an expression (and for text, copy, fold and collate it) on
 * every sort. */
static void
set_sorters (AstraTokensPage *self)
{
  const struct {
    GtkColumnViewColumn *column;
    GCompareDataFunc     compare;
  } sorters[] = {
    { self->client_id_column, compare_client_ids },
    { self->description_column, compare_descriptions },
    { self->roles_column, compare_roles },
    { self->generated_column, compare_generated },
    { self->expires_column, compare_expires },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sorters); i++)
    {
      g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (sorters[i].compare, NULL, NULL);

      gtk_column_view_column_set_sorter (sorters[i].column, GTK_SORTER (sorter));
    }
}

static void
astra_tokens_page_init (AstraTokensPage *self)
{
  GtkEveryFilter *every_filter;

  self->state = g_intern_static_string ("loading");
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  astra_tokens_page_init_folds (self);

  set_sorters (self);
  /* The Keyring column has no title, to stay as narrow as its key icon. */
  astra_a11y_name_column_header (self->column_view, self->keyring_column, _("In Keyring"));
  self->tokens = astra_token_array_new ();
  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keyring_cells = g_hash_table_new (NULL, NULL);
  self->search_folded = g_strdup ("");
  self->search_terms = g_new0 (char *, 1);
  self->search_filter = gtk_custom_filter_new (match_search, self, NULL);

  /* The search and Expiring Soon (astra-tokens-page-expiry.c) both narrow the list. */
  every_filter = gtk_every_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (every_filter), GTK_FILTER (g_object_ref (self->search_filter)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (every_filter), astra_tokens_page_init_expiry (self));
  self->filter_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->tokens)),
                                                  GTK_FILTER (every_filter));
  /* The list starts in the column view's default order, newest first, which
   * finish_refresh() gives the store itself: the sort model gets the column view's sorter
   * only once a person picks another order. With the sorter from the start, every list
   * that arrives is sorted twice, the second time by GTK through a property expression
   * per token (build-aux/bench, populate 10,000). */
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filter_model)), NULL);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->sort_model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, self->generated_column, GTK_SORT_DESCENDING);
  self->sorter_handler = g_signal_connect_object (gtk_column_view_get_sorter (self->column_view),
                                                  "changed", G_CALLBACK (on_sorter_changed_cb),
                                                  self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filtered_items_changed_cb), self, G_CONNECT_SWAPPED);

  astra_tokens_page_add_sort_actions (self);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tokens.copy-unavailable", FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

/* A generated token in the keyring, or the app's own token when the keyring holds it (not
 * when it came from the environment); never the demo's, whose secrets live in memory. */
gboolean
astra_tokens_page_can_reference (AstraTokensPage *self,
                                 AstraToken      *token)
{
  g_return_val_if_fail (ASTRA_IS_TOKENS_PAGE (self), FALSE);
  g_return_val_if_fail (ASTRA_IS_TOKEN (token), FALSE);

  if (self->context == NULL || self->connection == NULL ||
      astra_connection_get_is_demo (self->connection))
    return FALSE;

  return astra_token_get_in_keyring (token) ||
         (astra_token_get_connects_app (token) &&
          !astra_context_is_from_environment (self->context, self->connection));
}

void
astra_tokens_page_set_connection (AstraTokensPage *self,
                                  AstraContext    *context,
                                  AstraConnection *connection)
{
  g_return_if_fail (ASTRA_IS_TOKENS_PAGE (self));
  g_return_if_fail (context == NULL || ASTRA_IS_CONTEXT (context));

  if (self->context != context)
    {
      if (self->context != NULL)
        {
          g_signal_handlers_disconnect_by_func (astra_context_get_secret_store (self->context),
                                                on_generated_changed_cb, self);
          g_signal_handlers_disconnect_by_func (self->context, on_tokens_changed_cb, self);
        }
      g_set_object (&self->context, context);
      if (context != NULL)
        {
          g_signal_connect_object (astra_context_get_secret_store (context), "generated-changed",
                                   G_CALLBACK (on_generated_changed_cb), self, 0);
          g_signal_connect_object (context, "tokens-changed",
                                   G_CALLBACK (on_tokens_changed_cb), self, 0);
        }
      astra_tokens_page_set_expiry_settings (self, context != NULL ? astra_context_get_settings (context) : NULL);
    }
  if (self->connection == connection && connection != NULL)
    return;

  g_set_object (&self->connection, connection);
  g_hash_table_remove_all (self->held);
  g_clear_object (&self->client);
  g_clear_object (&self->roles);
  astra_token_array_remove_all (self->tokens);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");

  astra_tokens_page_refresh (self);
}

void
astra_tokens_page_refresh (AstraTokensPage *self)
{
  Refresh *refresh;

  g_return_if_fail (ASTRA_IS_TOKENS_PAGE (self));

  /* A new refresh (or organization) makes every answer still on its way stale. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->connection == NULL || self->context == NULL)
    {
      astra_tokens_page_set_state (self, "loading");
      return;
    }

  self->cancellable = g_cancellable_new ();
  if (g_list_model_get_n_items (G_LIST_MODEL (self->tokens)) == 0 ||
      !g_str_equal (self->state, "list"))
    astra_tokens_page_set_state (self, "loading");

  refresh = g_new0 (Refresh, 1);
  refresh->page = g_object_ref (self);
  refresh->cancellable = g_object_ref (self->cancellable);
  /* The keyring is asked at once, not after the client: its answer then travels while
   * the window is being shown. */
  refresh->ref_count = 1;
  refresh->pending = 1;
  astra_context_get_client_async (self->context, self->connection, self->cancellable,
                                  on_client_cb, refresh);
  ask_keyring (self, refresh);
}

void
astra_tokens_page_focus_search (AstraTokensPage *self)
{
  g_return_if_fail (ASTRA_IS_TOKENS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Puts @text in the search entry, as if typed, with the focus there to refine it. */
void
astra_tokens_page_set_search (AstraTokensPage *self,
                              const char      *text)
{
  g_return_if_fail (ASTRA_IS_TOKENS_PAGE (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

const char *
astra_tokens_page_get_state (AstraTokensPage *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKENS_PAGE (self), NULL);
  return self->state;
}

GListModel *
astra_tokens_page_get_roles (AstraTokensPage *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKENS_PAGE (self), NULL);
  return self->roles;
}

GListModel *
astra_tokens_page_get_model (AstraTokensPage *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKENS_PAGE (self), NULL);
  return G_LIST_MODEL (self->sort_model);
}

GtkColumnView *
astra_tokens_page_get_column_view (AstraTokensPage *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKENS_PAGE (self), NULL);
  return self->column_view;
}

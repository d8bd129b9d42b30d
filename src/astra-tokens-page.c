/* astra-tokens-page.c
 *
 * The Tokens page of one organization: loads the token list, the roles (to show names
 * instead of ids) and which secrets this machine's keyring holds, all at once, then shows
 * them in a sortable, searchable, multi-selection GtkColumnView. Loading, empty and error
 * states are pages of a GtkStack. Row commands are tokens.* actions taking the client id;
 * dialogs (generate, rotate, export) belong to their own classes.
 *
 * Cells are GtkInscriptions filled in "bind" from the item's properties: the only
 * allocations while scrolling are the date strings, so 10,000 rows scroll smoothly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-client.h"
#include "astra-clipboard.h"
#include "astra-export.h"
#include "astra-generate-dialog.h"
#include "astra-generated-token.h"
#include "astra-role.h"
#include "astra-secret-store.h"
#include "astra-token.h"
#include "astra-tokens-page.h"

struct _AstraTokensPage
{
  AdwBin               parent_instance;

  AstraContext        *context;
  AstraConnection     *connection;
  AstraClient         *client;
  GCancellable        *cancellable;   /* of the current connection; cancelled on switch */
  GListStore          *tokens;
  GListModel          *roles;
  GtkFilterListModel  *filter_model;
  GtkSortListModel    *sort_model;
  GtkMultiSelection   *selection;
  GtkAnyFilter        *any_filter;
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
  GtkColumnViewColumn *generated_column;
  gulong               sorter_handler;   /* until the sort model has the sorter */
};

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

/* Everything one refresh fetches; the page is updated once all three have answered. */
typedef struct
{
  AstraTokensPage *page;
  GCancellable    *cancellable;
  guint            pending;
  GListModel      *tokens;
  GError          *tokens_error;
  GListModel      *roles;
  char           **in_keyring;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_clear_object (&refresh->page);
  g_clear_object (&refresh->cancellable);
  g_clear_object (&refresh->tokens);
  g_clear_error (&refresh->tokens_error);
  g_clear_object (&refresh->roles);
  g_clear_pointer (&refresh->in_keyring, g_strfreev);
  g_free (refresh);
}

/* One operation on one row (copy a secret, revoke), carried to its callback. */
typedef struct
{
  AstraTokensPage *page;
  AstraConnection *connection;
  char            *client_id;
  gboolean         want_token;
} RowOp;

static RowOp *
row_op_new (AstraTokensPage *page,
            const char      *client_id)
{
  RowOp *op = g_new0 (RowOp, 1);

  op->page = g_object_ref (page);
  op->connection = g_object_ref (page->connection);
  op->client_id = g_strdup (client_id);
  return op;
}

static void
row_op_free (RowOp *op)
{
  g_clear_object (&op->page);
  g_clear_object (&op->connection);
  g_clear_pointer (&op->client_id, g_free);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RowOp, row_op_free)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
set_state (AstraTokensPage *self,
           const char      *state)
{
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->stack, g_str_equal (state, "keyring") ? "error" : state);

  if (g_strcmp0 (self->state, state) == 0)
    return;

  self->state = g_intern_string (state);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
add_toast (AstraTokensPage *self,
           const char      *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static GtkWindow *
get_window (AstraTokensPage *self)
{
  return GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
}

static AstraToken *
find_token (AstraTokensPage *self,
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

static GPtrArray *
dup_selected (AstraTokensPage *self)
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
  set_state (self, state);
}

/* Newest first, the list's default order: the key and the tie order (stable, by position
 * in the answer) of the Generated column's GtkNumericSorter on "generated-on-unix", so
 * that the order is the same once GTK sorts (on_sorter_changed_cb()). */
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

static GHashTable *
role_names_by_id (GListModel *roles)
{
  GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = roles != NULL ? g_list_model_get_n_items (roles) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (roles, i);

      /* The model keeps the role, and so the strings, alive while the table is used. */
      g_hash_table_insert (names, (char *) astra_role_get_id (role), (char *) astra_role_get_name (role));
    }

  return names;
}

static void
finish_refresh (Refresh *refresh)
{
  AstraTokensPage *self = refresh->page;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) held = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  gboolean was_empty;
  guint n;

  if (refresh->tokens_error != NULL)
    {
      show_error (self, refresh->tokens_error);
      return;
    }

  g_set_object (&self->roles, refresh->roles);
  names = role_names_by_id (refresh->roles);
  for (guint i = 0; refresh->in_keyring != NULL && refresh->in_keyring[i] != NULL; i++)
    g_hash_table_add (held, refresh->in_keyring[i]);

  n = g_list_model_get_n_items (refresh->tokens);
  for (guint i = 0; i < n; i++)
    {
      AstraToken *token = g_list_model_get_item (refresh->tokens, i);

      astra_token_resolve_roles (token, names);
      astra_token_set_in_keyring (token, g_hash_table_contains (held, astra_token_get_client_id (token)));
      g_ptr_array_add (items, token);
    }

  g_ptr_array_sort (items, compare_newest_first);
  was_empty = g_list_model_get_n_items (G_LIST_MODEL (self->tokens)) == 0;
  g_list_store_splice (self->tokens, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tokens)),
                       items->pdata, items->len);
  g_ptr_array_foreach (items, (GFunc) g_object_unref, NULL);

  /* The list view keeps its anchor on an item, which sorting moves anywhere: a freshly
   * loaded list starts at its top (the newest tokens). */
  if (was_empty)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);

  update_count (self);
  set_state (self, n > 0 ? "list" : "empty");
  g_signal_emit (self, signals[POPULATED], 0);
}

static void
refresh_step_done (Refresh *refresh)
{
  if (--refresh->pending > 0)
    return;

  if (!g_cancellable_is_cancelled (refresh->cancellable))
    finish_refresh (refresh);

  refresh_free (refresh);
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
  g_autoptr(GError) error = NULL;

  refresh->in_keyring = astra_secret_store_list_generated_finish (ASTRA_SECRET_STORE (object),
                                                                  result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Listing generated tokens in the keyring: %s", error->message);

  refresh_step_done (refresh);
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
  if (g_cancellable_is_cancelled (refresh->cancellable))
    {
      refresh_free (refresh);
      return;
    }

  if (client == NULL)
    {
      show_error (self, error);
      refresh_free (refresh);
      return;
    }

  g_set_object (&self->client, client);
  refresh->pending = 3;
  astra_context_list_tokens_async (self->context, client, refresh->cancellable,
                                   on_tokens_listed_cb, refresh);
  astra_context_list_roles_async (self->context, client, refresh->cancellable,
                                  on_roles_listed_cb, refresh);
  /* No cancellable: libsecret 0.20.5 returns a cancelled search twice (a critical). The
   * answer is cheap, and a stale one is dropped by refresh_step_done(). */
  astra_secret_store_list_generated_async (astra_context_get_secret_store (self->context),
                                           astra_connection_get_org_id (self->connection),
                                           NULL, on_keyring_listed_cb, refresh);
}

/* ------------------------------------------------------------------------------------------ */
/* Cells                                                                                      */

static void
setup_text_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  /* One line per row, vertically centred next to the row's buttons. */
  gtk_widget_set_valign (inscription, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (item, inscription);
}

static void
setup_mono_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  setup_text_cb (factory, item, user_data);
  gtk_widget_add_css_class (gtk_list_item_get_child (item), "monospace");
}

static void
bind_client_id_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            astra_token_get_client_id (token));
}

static void
bind_description_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            astra_token_get_description (token));
}

static void
bind_roles_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            astra_token_get_roles_label (token));
}

static char *
format_local (GDateTime  *when,
              const char *format)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return NULL;

  local = g_date_time_to_local (when);
  return g_date_time_format (local, format);
}

static void
bind_generated_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);
  g_autofree char *text = format_local (astra_token_get_generated_on (token), "%Y-%m-%d %H:%M");

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            text != NULL ? text : "—");
}

static void
bind_expires_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  GDateTime *expires = astra_token_get_expires (token);
  g_autofree char *text = NULL;
  gboolean expired = FALSE;

  if (expires == NULL)
    text = g_strdup (_("Never"));
  else if (g_date_time_to_unix (expires) <= g_get_real_time () / G_USEC_PER_SEC)
    {
      text = g_strdup (_("Expired"));
      expired = TRUE;
    }
  else
    text = format_local (expires, "%Y-%m-%d");

  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
  if (expired)
    gtk_widget_add_css_class (cell, "error");
  else
    gtk_widget_remove_css_class (cell, "error");
  if (expires == NULL)
    gtk_widget_add_css_class (cell, "dim-label");
  else
    gtk_widget_remove_css_class (cell, "dim-label");
}

/* gtk_widget_set_tooltip_text() on a visible widget asks the X server where the pointer
 * is (XIQueryPointer, a round trip) in case the tooltip must show at once. A row's widgets
 * are new and not under the pointer, and the column view creates up to 200 rows when a
 * list is shown: hiding them while the tooltip is set saves hundreds of round trips
 * (build-aux/bench, populate 100). */
static void
set_row_tooltip (GtkWidget  *widget,
                 const char *text)
{
  gtk_widget_set_visible (widget, FALSE);
  gtk_widget_set_tooltip_text (widget, text);
  gtk_widget_set_visible (widget, TRUE);
}

static void
setup_keyring_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *image = gtk_image_new_from_icon_name ("dialog-password-symbolic");

  gtk_widget_set_halign (image, GTK_ALIGN_CENTER);
  set_row_tooltip (image, _("The secret is in this computer’s keyring"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("In keyring"), -1);
  gtk_list_item_set_child (item, image);
}

static void
bind_keyring_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);

  gtk_widget_set_visible (gtk_list_item_get_child (item), astra_token_get_in_keyring (token));
}

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             const char *client_id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (client_id));
  g_menu_append_item (menu, item);
}

/* The row menu is built when it is opened, not for every bound row. */
static void
create_row_menu_cb (GtkMenuButton *button,
                    gpointer       user_data)
{
  GtkListItem *list_item = user_data;
  AstraToken *token = gtk_list_item_get_item (list_item);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) copy = g_menu_new ();
  g_autoptr(GMenu) manage = g_menu_new ();
  g_autoptr(GMenu) danger = g_menu_new ();
  const char *client_id;
  /* A disabled action greys out the secret items when the keyring does not hold them. */
  const char *secret_action_token, *secret_action_secret;

  if (token == NULL)
    return;

  client_id = astra_token_get_client_id (token);
  secret_action_token = astra_token_get_in_keyring (token) ? "tokens.copy-token" : "tokens.copy-unavailable";
  secret_action_secret = astra_token_get_in_keyring (token) ? "tokens.copy-secret" : "tokens.copy-unavailable";

  append_item (copy, _("Copy Client _ID"), "tokens.copy-client-id", client_id);
  append_item (copy, _("Copy _Token"), secret_action_token, client_id);
  append_item (copy, _("Copy Client _Secret"), secret_action_secret, client_id);
  append_item (manage, _("_Details…"), "tokens.details", client_id);
  append_item (manage, _("R_otate…"), "tokens.rotate", client_id);
  append_item (danger, _("_Revoke…"), "tokens.revoke", client_id);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (manage));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (danger));

  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

/* One menu button per row, holding every row action (Copy Client ID first; Ctrl+C copies
 * the selected row's). GTK 4.8's column view builds up to 200 rows as soon as a list is
 * shown: a second, actionable copy button and a box per row cost 15% of the CPU time to
 * show 10,000 tokens and 2.5 MiB (build-aux/bench). */
static void
setup_actions_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *menu = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "view-more-symbolic");
  gtk_widget_add_css_class (menu, "flat");
  set_row_tooltip (menu, _("Token Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Token Actions"), -1);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (menu), create_row_menu_cb, item, NULL);
  gtk_widget_set_halign (menu, GTK_ALIGN_END);
  gtk_list_item_set_child (item, menu);
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                     */

static void
on_search_changed_cb (AstraTokensPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->any_filter));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringFilter) filter = g_list_model_get_item (G_LIST_MODEL (self->any_filter), i);

      gtk_string_filter_set_search (filter, text);
    }
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
/* Copying                                                                                    */

static void
copy_client_id_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  astra_clipboard_copy (widget, g_variant_get_string (param, NULL), FALSE);
  add_toast (ASTRA_TOKENS_PAGE (widget), _("Client ID copied"));
}

static void
on_secret_looked_up_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(RowOp) op = user_data;
  AstraTokensPage *self = op->page;
  gboolean want_token = op->want_token;
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GError) error = NULL;
  guint seconds;
  g_autofree char *message = NULL;

  token = astra_secret_store_lookup_generated_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (token == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_toast (self, error->message);
      return;
    }

  astra_clipboard_copy (GTK_WIDGET (self),
                        want_token ? astra_generated_token_get_token (token)
                                   : astra_generated_token_get_secret (token),
                        TRUE);

  /* Say what was copied, never the value. */
  seconds = astra_clipboard_get_clear_seconds ();
  if (seconds == 0)
    message = g_strdup (want_token ? _("Token copied") : _("Client secret copied"));
  else if (want_token)
    message = g_strdup_printf (_("Token copied — clears in %u s"), seconds);
  else
    message = g_strdup_printf (_("Client secret copied — clears in %u s"), seconds);
  add_toast (self, message);
}

static void
copy_secret_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);
  RowOp *op;

  if (self->connection == NULL)
    return;

  op = row_op_new (self, g_variant_get_string (param, NULL));
  op->want_token = g_str_equal (action_name, "tokens.copy-token");
  astra_secret_store_lookup_generated_async (astra_context_get_secret_store (self->context),
                                             astra_connection_get_org_id (self->connection),
                                             op->client_id, self->cancellable,
                                             on_secret_looked_up_cb, op);
}

static void
copy_unavailable_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  /* Never enabled: stands for "copy a secret this keyring does not hold". */
}

static void
copy_selected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);
  g_autoptr(GPtrArray) selected = dup_selected (self);
  g_autoptr(GString) ids = g_string_new (NULL);

  if (selected->len == 0)
    return;

  for (guint i = 0; i < selected->len; i++)
    {
      if (i > 0)
        g_string_append_c (ids, '\n');
      g_string_append (ids, astra_token_get_client_id (g_ptr_array_index (selected, i)));
    }

  astra_clipboard_copy (widget, ids->str, FALSE);
  add_toast (self, selected->len == 1 ? _("Client ID copied") : _("Client IDs copied"));
}

/* ------------------------------------------------------------------------------------------ */
/* Revoking                                                                                   */

static void
on_keyring_secret_deleted_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!astra_secret_store_delete_generated_finish (ASTRA_SECRET_STORE (object), result, &error) &&
      error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not remove a revoked token from the keyring: %s", error->message);
}

static void
on_revoked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RowOp) op = user_data;
  AstraTokensPage *self = op->page;
  const char *client_id = op->client_id;
  AstraConnection *connection = op->connection;
  g_autoptr(GError) error = NULL;
  guint position;

  if (!astra_client_revoke_token_finish (ASTRA_CLIENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_toast (self, error->message);
      return;
    }

  /* A revoked token's secret is useless: do not keep it in the keyring. */
  astra_secret_store_delete_generated_async (astra_context_get_secret_store (self->context),
                                             astra_connection_get_org_id (connection), client_id,
                                             NULL, on_keyring_secret_deleted_cb, NULL);

  if (connection == self->connection && find_token (self, client_id, &position) != NULL)
    g_list_store_remove (self->tokens, position);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->tokens)) == 0 && connection == self->connection)
    set_state (self, "empty");

  add_toast (self, _("Token revoked"));
}

static void
revoke_ids (AstraTokensPage    *self,
            const char * const *client_ids)
{
  if (self->client == NULL)
    return;

  for (guint i = 0; client_ids[i] != NULL; i++)
    {
      RowOp *op = row_op_new (self, client_ids[i]);

      astra_client_revoke_token_async (self->client, client_ids[i], self->cancellable,
                                       on_revoked_cb, op);
    }
}

static void
on_revoke_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       AstraTokensPage  *self)
{
  const char * const *ids = g_object_get_data (G_OBJECT (dialog), "client-ids");

  if (g_strcmp0 (response, "revoke") == 0)
    revoke_ids (self, ids);
}

static void
confirm_revoke (AstraTokensPage *self,
                GStrv            client_ids)
{
  guint n = g_strv_length (client_ids);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (n == 0)
    return;

  if (n == 1)
    {
      heading = g_strdup (_("Revoke Token?"));
      body = g_strdup_printf (_("Applications using the token %s lose access to the organization "
                                "immediately. This cannot be undone."), client_ids[0]);
    }
  else
    {
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Revoke %u Token?", "Revoke %u Tokens?", n), n);
      body = g_strdup (_("Applications using these tokens lose access to the organization "
                         "immediately. This cannot be undone."));
    }

  dialog = adw_message_dialog_new (get_window (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "revoke", _("_Revoke"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "client-ids", client_ids, (GDestroyNotify) g_strfreev);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_revoke_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GStrv ids = g_new0 (char *, 2);

  ids[0] = g_variant_dup_string (param, NULL);
  confirm_revoke (ASTRA_TOKENS_PAGE (widget), ids);
}

static void
revoke_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);
  g_autoptr(GPtrArray) selected = dup_selected (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < selected->len; i++)
    g_strv_builder_add (builder, astra_token_get_client_id (g_ptr_array_index (selected, i)));

  confirm_revoke (self, g_strv_builder_end (builder));
}

/* ------------------------------------------------------------------------------------------ */
/* Generating, rotating, details, export                                                      */

static void
on_tokens_changed_cb (AstraTokensPage *self)
{
  astra_tokens_page_refresh (self);
}

static void
open_generate_dialog (AstraTokensPage *self,
                      AstraToken      *rotate_from)
{
  g_autoptr(GListModel) no_roles = NULL;
  AstraGenerateDialog *dialog;

  if (self->client == NULL || self->connection == NULL)
    return;

  if (self->roles == NULL)
    no_roles = G_LIST_MODEL (g_list_store_new (ASTRA_TYPE_ROLE));

  dialog = astra_generate_dialog_new (get_window (self), self->client,
                                      astra_context_get_secret_store (self->context),
                                      self->connection,
                                      self->roles != NULL ? self->roles : no_roles);
  if (rotate_from != NULL)
    astra_generate_dialog_set_rotate_from (dialog, rotate_from);

  g_signal_connect_object (dialog, "token-generated", G_CALLBACK (on_tokens_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "token-revoked", G_CALLBACK (on_tokens_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  open_generate_dialog (ASTRA_TOKENS_PAGE (widget), NULL);
}

static void
rotate_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);
  AstraToken *token = find_token (self, g_variant_get_string (param, NULL), NULL);

  if (token != NULL)
    open_generate_dialog (self, token);
}

static void
on_details_copy_clicked_cb (GtkButton *button,
                            GtkWidget *dialog)
{
  const char *value = g_object_get_data (G_OBJECT (button), "value");
  AstraTokensPage *self = g_object_get_data (G_OBJECT (dialog), "page");

  astra_clipboard_copy (GTK_WIDGET (button), value, FALSE);
  if (self != NULL)
    add_toast (self, _("Copied"));
}

static void
add_detail_row (GtkWidget  *dialog,
                GtkWidget  *group,
                const char *title,
                const char *value,
                gboolean    copyable)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value != NULL && *value != '\0' ? value : "—");

  if (copyable)
    {
      g_autofree char *label = g_strdup_printf (_("Copy %s"), title);
      GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      g_object_set_data_full (G_OBJECT (button), "value", g_strdup (value), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_details_copy_clicked_cb), dialog);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);
  AstraToken *token = find_token (self, g_variant_get_string (param, NULL), NULL);
  g_autofree char *generated = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *role_ids = NULL;
  GtkWidget *dialog;
  GtkWidget *group;

  if (token == NULL)
    return;

  generated = format_local (astra_token_get_generated_on (token), "%Y-%m-%d %H:%M:%S");
  expires = astra_token_get_expires (token) != NULL
            ? format_local (astra_token_get_expires (token), "%Y-%m-%d %H:%M:%S")
            : g_strdup (_("Never"));
  role_ids = g_strjoinv (", ", (char **) astra_token_get_role_ids (token));

  dialog = adw_message_dialog_new (get_window (self), _("Token Details"), NULL);
  group = adw_preferences_group_new ();
  gtk_widget_set_size_request (group, 360, -1);
  add_detail_row (dialog, group, _("Client ID"), astra_token_get_client_id (token), TRUE);
  add_detail_row (dialog, group, _("Description"), astra_token_get_description (token), FALSE);
  add_detail_row (dialog, group, _("Roles"), astra_token_get_roles_label (token), TRUE);
  add_detail_row (dialog, group, _("Role IDs"), role_ids, TRUE);
  add_detail_row (dialog, group, _("Generated"), generated, FALSE);
  add_detail_row (dialog, group, _("Expires"), expires, FALSE);
  add_detail_row (dialog, group, _("Secret"),
                  astra_token_get_in_keyring (token) ? _("In this computer’s keyring")
                                                     : _("Not on this computer"),
                  FALSE);
  g_object_set_data (G_OBJECT (dialog), "page", self);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), group);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);
  g_autoptr(GPtrArray) selected = dup_selected (self);
  g_autoptr(GListStore) chosen = g_list_store_new (ASTRA_TYPE_TOKEN);

  if (self->connection == NULL)
    return;

  if (selected->len > 0)
    g_list_store_splice (chosen, 0, 0, selected->pdata, selected->len);

  astra_export_tokens (get_window (self), astra_context_get_secret_store (self->context),
                       self->connection,
                       selected->len > 0 ? G_LIST_MODEL (chosen) : G_LIST_MODEL (self->tokens));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  astra_tokens_page_refresh (ASTRA_TOKENS_PAGE (widget));
}

static void
replace_token_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);

  if (self->connection != NULL)
    gtk_widget_activate_action (widget, "win.replace-token", "s",
                                astra_connection_get_org_id (self->connection));
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWidget                                                                                  */

/* Each answer on its way holds the page, so dispose alone would wait for the server (or the
 * client's 20 s timeout) before cancelling: out of its window, the page stops at once. */
static void
astra_tokens_page_unroot (GtkWidget *widget)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);

  g_cancellable_cancel (self->cancellable);

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
  if (self->column_view != NULL)
    g_clear_signal_handler (&self->sorter_handler, gtk_column_view_get_sorter (self->column_view));
  g_clear_object (&self->context);
  g_clear_object (&self->connection);
  g_clear_object (&self->client);
  g_clear_object (&self->roles);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->any_filter);
  g_clear_object (&self->tokens);

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
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, generated_column);
  gtk_widget_class_bind_template_callback (widget_class, setup_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_mono_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_keyring_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_actions_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_client_id_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_description_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_roles_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_generated_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_expires_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_keyring_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);

  gtk_widget_class_install_action (widget_class, "tokens.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "tokens.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "tokens.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "tokens.replace-token", NULL, replace_token_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-client-id", "s", copy_client_id_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-token", "s", copy_secret_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-secret", "s", copy_secret_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-unavailable", "s", copy_unavailable_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-selected", NULL, copy_selected_action);
  gtk_widget_class_install_action (widget_class, "tokens.details", "s", details_action);
  gtk_widget_class_install_action (widget_class, "tokens.rotate", "s", rotate_action);
  gtk_widget_class_install_action (widget_class, "tokens.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "tokens.revoke-selected", NULL, revoke_selected_action);
}

static void
astra_tokens_page_init (AstraTokensPage *self)
{
  const char *properties_searched[] = { "client-id", "description", "roles-label" };

  self->state = g_intern_static_string ("loading");
  gtk_widget_init_template (GTK_WIDGET (self));

  self->tokens = g_list_store_new (ASTRA_TYPE_TOKEN);
  self->any_filter = gtk_any_filter_new ();
  for (guint i = 0; i < G_N_ELEMENTS (properties_searched); i++)
    {
      GtkExpression *expression = gtk_property_expression_new (ASTRA_TYPE_TOKEN, NULL,
                                                               properties_searched[i]);
      GtkStringFilter *filter = gtk_string_filter_new (expression);

      gtk_string_filter_set_match_mode (filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
      gtk_string_filter_set_ignore_case (filter, TRUE);
      gtk_multi_filter_append (GTK_MULTI_FILTER (self->any_filter), GTK_FILTER (filter));
    }

  self->filter_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->tokens)),
                                                  GTK_FILTER (g_object_ref (self->any_filter)));
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

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tokens.copy-unavailable", FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
astra_tokens_page_set_connection (AstraTokensPage *self,
                                  AstraContext    *context,
                                  AstraConnection *connection)
{
  g_return_if_fail (ASTRA_IS_TOKENS_PAGE (self));
  g_return_if_fail (context == NULL || ASTRA_IS_CONTEXT (context));

  g_set_object (&self->context, context);
  if (self->connection == connection && connection != NULL)
    return;

  g_set_object (&self->connection, connection);
  g_clear_object (&self->client);
  g_clear_object (&self->roles);
  g_list_store_remove_all (self->tokens);
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
      set_state (self, "loading");
      return;
    }

  self->cancellable = g_cancellable_new ();
  if (g_list_model_get_n_items (G_LIST_MODEL (self->tokens)) == 0 ||
      !g_str_equal (self->state, "list"))
    set_state (self, "loading");

  refresh = g_new0 (Refresh, 1);
  refresh->page = g_object_ref (self);
  refresh->cancellable = g_object_ref (self->cancellable);
  astra_context_get_client_async (self->context, self->connection, self->cancellable,
                                  on_client_cb, refresh);
}

void
astra_tokens_page_focus_search (AstraTokensPage *self)
{
  g_return_if_fail (ASTRA_IS_TOKENS_PAGE (self));

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

/* astra-tokens-page-actions.c: the tokens.* actions of the Tokens page
 *
 * Row commands take the client id (copy, details, rotate, revoke); the others work on the
 * selection or the page (copy-selected, revoke-selected, export, generate, refresh,
 * replace-token). Dialogs (generate, rotate, export) belong to their own classes. The
 * sort.* actions drive the "Sort" menu, the keyboard's and screen readers' way to sort.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-page"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-client.h"
#include "astra-clipboard.h"
#include "astra-display-text.h"
#include "astra-export.h"
#include "astra-generate-dialog.h"
#include "astra-generated-token.h"
#include "astra-reference.h"
#include "astra-role.h"
#include "astra-secret-store.h"
#include "astra-token.h"
#include "astra-tokens-page-private.h"

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
/* Copying                                                                                    */

static void
copy_client_id_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  astra_clipboard_copy (widget, g_variant_get_string (param, NULL), FALSE);
  astra_tokens_page_add_toast (ASTRA_TOKENS_PAGE (widget), _("Client ID copied"));
}

/* A reference names the secret without holding it: no clipboard clearing, and the org id
 * rather than its name, which survives renames. */
static void
copy_reference_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);
  AstraToken *token = astra_tokens_page_find_token (self, g_variant_get_string (param, NULL), NULL);
  g_autofree char *reference = NULL;

  if (token == NULL || !astra_tokens_page_can_reference (self, token))
    return;

  reference = astra_reference_format (astra_connection_get_org_id (self->connection),
                                      astra_token_get_client_id (token),
                                      ASTRA_REFERENCE_FIELD_TOKEN);
  astra_clipboard_copy (widget, reference, FALSE);
  astra_tokens_page_add_toast (self, _("Reference copied"));
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
        astra_tokens_page_add_toast (self, error->message);
      return;
    }

  /* A token kept from a file that held it alone: nothing to copy, and nothing cleared. */
  if (!want_token && (astra_generated_token_get_secret (token) == NULL ||
                      astra_generated_token_get_secret (token)[0] == '\0'))
    {
      astra_tokens_page_add_toast (self, _("This token’s client secret is not on this computer"));
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
  astra_tokens_page_add_toast (self, message);
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
  g_autoptr(GPtrArray) selected = astra_tokens_page_dup_selected (self);
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
  astra_tokens_page_add_toast (self, selected->len == 1 ? _("Client ID copied") : _("Client IDs copied"));
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
        astra_tokens_page_add_toast (self, error->message);
      return;
    }

  /* A revoked token's secret is useless: do not keep it in the keyring. */
  astra_secret_store_delete_generated_async (astra_context_get_secret_store (self->context),
                                             astra_connection_get_org_id (connection), client_id,
                                             NULL, on_keyring_secret_deleted_cb, NULL);

  if (connection == self->connection && astra_tokens_page_find_token (self, client_id, &position) != NULL)
    astra_token_array_remove (self->tokens, position);
  /* Other windows showing the organization. */
  astra_context_tokens_changed (self->context, astra_connection_get_org_id (connection));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->tokens)) == 0 && connection == self->connection)
    astra_tokens_page_set_state (self, "empty");

  astra_tokens_page_add_toast (self, _("Token revoked"));
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

  /* Revoking the app's own token locks this organization out of the app: say so, and how
   * to come back. Rotating it is the way to replace it without that. */
  for (guint i = 0; i < n; i++)
    {
      AstraToken *token = astra_tokens_page_find_token (self, client_ids[i], NULL);

      if (token != NULL && astra_token_get_connects_app (token))
        {
          g_autofree char *warned = NULL;

          warned = g_strdup_printf (_("%s\n\nAstra Tokens itself connects to %s with the token %s. "
                                      "After revoking it, the app cannot reach the organization "
                                      "until you connect it again with another token (Add "
                                      "Organization). To replace it without losing access, "
                                      "rotate it instead."),
                                    body, astra_connection_get_display_name (self->connection),
                                    client_ids[i]);
          g_free (body);
          body = g_steal_pointer (&warned);
          break;
        }
    }

  dialog = adw_message_dialog_new (astra_tokens_page_get_window (self), heading, body);
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
  g_autoptr(GPtrArray) selected = astra_tokens_page_dup_selected (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < selected->len; i++)
    g_strv_builder_add (builder, astra_token_get_client_id (g_ptr_array_index (selected, i)));

  confirm_revoke (self, g_strv_builder_end (builder));
}

/* ------------------------------------------------------------------------------------------ */
/* Generating, rotating, details, export                                                      */

/* Generated or revoked from a dialog: every window showing the organization follows. */
static void
on_tokens_changed_cb (AstraTokensPage *self)
{
  if (self->context != NULL && self->connection != NULL)
    astra_context_tokens_changed (self->context, astra_connection_get_org_id (self->connection));
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

  dialog = astra_generate_dialog_new (astra_tokens_page_get_window (self), self->client,
                                      astra_context_get_secret_store (self->context),
                                      self->connection,
                                      self->roles != NULL ? self->roles : no_roles);
  if (rotate_from != NULL)
    astra_generate_dialog_set_rotate_from (dialog, rotate_from);
  /* Rotating the app's own token: the app moves to the new one before the old one goes. */
  if (rotate_from != NULL && astra_token_get_connects_app (rotate_from))
    astra_generate_dialog_set_replaces_connection (dialog, self->context,
                                                   astra_context_is_from_environment (self->context,
                                                                                      self->connection));

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
  AstraToken *token = astra_tokens_page_find_token (self, g_variant_get_string (param, NULL), NULL);

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
    astra_tokens_page_add_toast (self, _("Copied"));
}

static void
add_detail_row (GtkWidget  *dialog,
                GtkWidget  *group,
                const char *title,
                const char *value,
                gboolean    copyable)
{
  GtkWidget *row = adw_action_row_new ();

  /* Values come from the API: shown as text, never as markup, and bounded (a long one is
   * cut for the eye; its copy button copies all of it). */
  g_autofree char *shown = astra_display_text_new (value != NULL && *value != '\0' ? value : "—",
                                                   ASTRA_DISPLAY_TEXT_BODY_CHARS,
                                                   ASTRA_DISPLAY_TEXT_DEFAULT);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);

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
present_details (AstraTokensPage *self,
                 AstraToken      *token,
                 gboolean         has_client_secret)
{
  g_autofree char *generated = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *role_ids = NULL;
  GtkWidget *dialog;
  GtkWidget *group;

  generated = astra_tokens_page_format_local (astra_token_get_generated_on (token), "%Y-%m-%d %H:%M:%S");
  expires = astra_token_get_expires (token) != NULL
            ? astra_tokens_page_format_local (astra_token_get_expires (token), "%Y-%m-%d %H:%M:%S")
            : g_strdup (_("Never"));
  role_ids = g_strjoinv (", ", (char **) astra_token_get_role_ids (token));

  dialog = adw_message_dialog_new (astra_tokens_page_get_window (self), _("Token Details"), NULL);
  group = adw_preferences_group_new ();
  gtk_widget_set_size_request (group, 360, -1);
  add_detail_row (dialog, group, _("Client ID"), astra_token_get_client_id (token), TRUE);
  add_detail_row (dialog, group, _("Description"), astra_token_get_description (token), TRUE);
  add_detail_row (dialog, group, _("Roles"), astra_token_get_roles_label (token), TRUE);
  add_detail_row (dialog, group, _("Role IDs"), role_ids, TRUE);
  add_detail_row (dialog, group, _("Generated"), generated, FALSE);
  add_detail_row (dialog, group, _("Expires"), expires, FALSE);
  add_detail_row (dialog, group, _("Secret"),
                  astra_token_get_connects_app (token) ? _("In this computer’s keyring, as the token "
                                                           "Astra Tokens connects with")
                  : astra_token_get_in_keyring (token) && !has_client_secret
                  ? _("In this computer’s keyring, without its client secret: the client "
                      "secret is not on this computer")
                  : astra_token_get_in_keyring (token) ? _("In this computer’s keyring")
                                                       : _("Not on this computer"),
                  FALSE);
  if (astra_token_get_connects_app (token))
    add_detail_row (dialog, group, _("Used by This App"),
                    _("Astra Tokens connects to this organization with this token. Rotate it to "
                      "replace it; revoking it disconnects the app."),
                    FALSE);
  g_object_set_data (G_OBJECT (dialog), "page", self);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), group);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_details_secretless_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(RowOp) op = user_data;
  g_auto(GStrv) secretless = NULL;
  g_autoptr(GError) error = NULL;
  AstraToken *token;

  secretless = astra_secret_store_list_secretless_finish (ASTRA_SECRET_STORE (object), result,
                                                          &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  token = astra_tokens_page_find_token (op->page, op->client_id, NULL);
  if (token == NULL)
    return;
  present_details (op->page, token,
                   secretless == NULL ||
                   !g_strv_contains ((const char * const *) secretless, op->client_id));
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);
  AstraToken *token = astra_tokens_page_find_token (self, g_variant_get_string (param, NULL), NULL);

  if (token == NULL)
    return;

  /* Whether a held token keeps its client secret is an attribute: no secret is loaded. */
  if (astra_token_get_in_keyring (token) && self->connection != NULL)
    astra_secret_store_list_secretless_async (astra_context_get_secret_store (self->context),
                                              astra_connection_get_org_id (self->connection),
                                              self->cancellable, on_details_secretless_cb,
                                              row_op_new (self, astra_token_get_client_id (token)));
  else
    present_details (self, token, TRUE);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AstraTokensPage *self = ASTRA_TOKENS_PAGE (widget);
  g_autoptr(GPtrArray) selected = astra_tokens_page_dup_selected (self);
  g_autoptr(GListStore) chosen = g_list_store_new (ASTRA_TYPE_TOKEN);

  if (self->connection == NULL)
    return;

  if (selected->len > 0)
    g_list_store_splice (chosen, 0, 0, selected->pdata, selected->len);

  astra_export_tokens (astra_tokens_page_get_window (self), astra_context_get_secret_store (self->context),
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
/* Sorting without a pointer                                                                  */

/* GTK 4.8's column headers have no accessible action and take no keyboard focus, so the
 * "Sort" menu offers the same orders: sort.column (which column) and sort.order
 * (ascending or descending), stateful so that the menu shows the choice as radio items. */

#define SORT_ACTIONS_KEY "astra-sort-actions"
#define SORTING_KEY      "astra-sorting"
#define HEADER_CLICK_KEY "astra-header-click"

/* Each choice of sort.column and the template id of its column. */
static const struct
{
  const char *key;
  const char *column_id;
} sort_columns[] = {
  { "client-id",   "client_id_column" },
  { "description", "description_column" },
  { "roles",       "roles_column" },
  { "generated",   "generated_column" },
  { "expires",     "expires_column" },
};

static const char *
sort_state (GActionGroup *group,
            const char   *action_name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (group, action_name);

  /* Interned: the state is one of a few fixed strings. */
  return g_intern_string (g_variant_get_string (state, NULL));
}

/* The sort.column key of the column whose header @x, @y (column view coordinates) is
 * on, or NULL. GTK 4.8's column view has its header row as first child, and in it one
 * title per column, in the order of gtk_column_view_get_columns(). */
static const char *
column_key_at (AstraTokensPage *self,
               double           x,
               double           y)
{
  GtkWidget *view = GTK_WIDGET (self->column_view);
  GtkWidget *header = gtk_widget_get_first_child (view);
  GtkWidget *picked = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT);
  g_autoptr(GtkColumnViewColumn) column = NULL;
  guint position = 0;

  while (picked != NULL && gtk_widget_get_parent (picked) != header)
    picked = gtk_widget_get_parent (picked);
  if (picked == NULL)
    return NULL;
  for (GtkWidget *title = gtk_widget_get_first_child (header); title != picked;
       title = gtk_widget_get_next_sibling (title))
    position++;

  column = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), position);
  for (guint i = 0; column != NULL && i < G_N_ELEMENTS (sort_columns); i++)
    if (G_OBJECT (column) == gtk_widget_get_template_child (GTK_WIDGET (self),
                                                            ASTRA_TYPE_TOKENS_PAGE,
                                                            sort_columns[i].column_id)
        || (column == self->generated_column
            && g_str_equal (sort_columns[i].column_id, "generated_column")))
      return sort_columns[i].key;

  return NULL;
}

/* Pressed before the header's own gesture sorts on release: remembers which column. */
static void
on_header_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      AstraTokensPage *self)
{
  g_object_set_data (G_OBJECT (self), HEADER_CLICK_KEY, (gpointer) column_key_at (self, x, y));
}

/* A header click sorted the list. GTK 4.8 does not tell by which column, but a click on a
 * header sorts by its column: ascending, or the other way round if it already sorted by
 * it. The menu follows, so that its radio items show the order the headers show. */
static void
on_header_sorted_cb (AstraTokensPage *self)
{
  GActionMap *group = g_object_get_data (G_OBJECT (self), SORT_ACTIONS_KEY);
  const char *clicked = g_object_get_data (G_OBJECT (self), HEADER_CLICK_KEY);
  const char *column = "";
  const char *order = "";

  g_object_set_data (G_OBJECT (self), HEADER_CLICK_KEY, NULL);
  if (group == NULL || g_object_get_data (G_OBJECT (self), SORTING_KEY) != NULL)
    return;

  if (clicked != NULL)
    {
      const char *was_column = sort_state (G_ACTION_GROUP (group), "column");
      const char *was_order = sort_state (G_ACTION_GROUP (group), "order");

      column = clicked;
      if (!g_str_equal (was_column, clicked))
        order = "ascending";
      else if (*was_order != '\0')
        order = g_str_equal (was_order, "ascending") ? "descending" : "ascending";
    }

  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (group, "column")),
                             g_variant_new_string (column));
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (group, "order")),
                             g_variant_new_string (order));
}

static void
on_sort_activate_cb (GSimpleAction   *action,
                     GVariant        *param,
                     AstraTokensPage *self)
{
  GActionGroup *group = g_object_get_data (G_OBJECT (self), SORT_ACTIONS_KEY);
  const char *column_key;
  GtkSortType order;

  g_simple_action_set_state (action, param);

  /* After a header click the other half of the choice is unknown: ascending, or the
   * Generated column. */
  column_key = sort_state (group, "column");
  if (*column_key == '\0')
    {
      column_key = "generated";
      g_action_group_change_action_state (group, "column", g_variant_new_string (column_key));
    }
  order = g_str_equal (sort_state (group, "order"), "descending") ? GTK_SORT_DESCENDING
                                                                   : GTK_SORT_ASCENDING;
  if (*sort_state (group, "order") == '\0')
    g_action_group_change_action_state (group, "order", g_variant_new_string ("ascending"));
  for (guint i = 0; i < G_N_ELEMENTS (sort_columns); i++)
    {
      GObject *column;

      if (!g_str_equal (sort_columns[i].key, column_key))
        continue;

      if (g_str_equal (sort_columns[i].column_id, "generated_column"))
        column = G_OBJECT (self->generated_column);
      else
        column = gtk_widget_get_template_child (GTK_WIDGET (self), ASTRA_TYPE_TOKENS_PAGE,
                                                sort_columns[i].column_id);
      g_object_set_data (G_OBJECT (self), SORTING_KEY, GINT_TO_POINTER (TRUE));
      gtk_column_view_sort_by_column (self->column_view, GTK_COLUMN_VIEW_COLUMN (column), order);
      g_object_set_data (G_OBJECT (self), SORTING_KEY, NULL);
      return;
    }

  g_warning ("No column to sort by for “%s”", column_key);
}

void
astra_tokens_page_add_sort_actions (AstraTokensPage *self)
{
  /* The order the page opens with: newest first. */
  const struct
  {
    const char *name;
    const char *initial;
  } actions[] = {
    { "column", "generated" },
    { "order",  "descending" },
  };
  GSimpleActionGroup *group = g_simple_action_group_new ();
  GtkGesture *header_click;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr(GSimpleAction) action =
        g_simple_action_new_stateful (actions[i].name, G_VARIANT_TYPE_STRING,
                                      g_variant_new_string (actions[i].initial));

      g_signal_connect_object (action, "activate", G_CALLBACK (on_sort_activate_cb), self, 0);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }

  g_object_set_data_full (G_OBJECT (self), SORT_ACTIONS_KEY, group, g_object_unref);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "sort", G_ACTION_GROUP (group));
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_header_sorted_cb), self, G_CONNECT_SWAPPED);

  /* In the capture phase, so that it runs before the header sorts; it claims nothing. */
  header_click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (header_click),
                                              GTK_PHASE_CAPTURE);
  g_signal_connect_object (header_click, "pressed", G_CALLBACK (on_header_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (header_click));
}

void
astra_tokens_page_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "tokens.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "tokens.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "tokens.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "tokens.replace-token", NULL, replace_token_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-client-id", "s", copy_client_id_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-token", "s", copy_secret_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-secret", "s", copy_secret_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-reference", "s", copy_reference_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-unavailable", "s", copy_unavailable_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-selected", NULL, copy_selected_action);
  gtk_widget_class_install_action (widget_class, "tokens.details", "s", details_action);
  gtk_widget_class_install_action (widget_class, "tokens.rotate", "s", rotate_action);
  gtk_widget_class_install_action (widget_class, "tokens.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "tokens.revoke-selected", NULL, revoke_selected_action);

  /* The columns the sort menu names, found by gtk_widget_get_template_child() (the page
   * binds the Generated column itself). */
  for (guint i = 0; i < G_N_ELEMENTS (sort_columns); i++)
    if (!g_str_equal (sort_columns[i].column_id, "generated_column"))
      gtk_widget_class_bind_template_child_full (widget_class, sort_columns[i].column_id, FALSE, 0);
}

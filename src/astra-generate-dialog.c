/* astra-generate-dialog.c: "Generate Token" and "Rotate Token"
 *
 * Collects roles (a searchable multi-select list bound to the organization's roles),
 * a description, an expiry and whether to save to the keyring, then sends one
 * POST /v2/clientIdSecrets. That request is never repeated on its own: when its answer is
 * lost the dialog says so and lets the person check the list first. On success it hands
 * the token to the new-token dialog and steps aside.
 *
 * Rotating generates with the old token's roles and description, and revokes the old token
 * only once the new-token dialog reports the new one secured (in the keyring or exported);
 * a new token that is never secured leaves the old one alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-generate-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-display-text.h"
#include "astra-expiry.h"
#include "astra-export.h"
#include "astra-generate-dialog-private.h"
#include "astra-new-token-dialog.h"
#include "astra-role.h"
#include "astra-toast.h"

/* Above this many roles the search entry is shown. */
#define SEARCH_THRESHOLD 8


G_DEFINE_FINAL_TYPE (AstraGenerateDialog, astra_generate_dialog, ADW_TYPE_WINDOW)

guint astra_generate_dialog_signals[N_SIGNALS];
#define signals astra_generate_dialog_signals


/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
is_valid (AstraGenerateDialog *self)
{
  if (g_hash_table_size (self->checked) == 0)
    return FALSE;
  if (!astra_generate_dialog_expiry_is_valid (self))
    return FALSE;

  return TRUE;
}

/* The role list is long, so the group says which roles are checked. */
static void
update_roles_summary (AstraGenerateDialog *self)
{
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *bounded = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *text = NULL;

  if (self->roles == NULL)
    return;

  astra_generate_dialog_collect_roles (self, &ids, &names);
  if (names[0] == NULL)
    {
      adw_preferences_group_set_description (self->roles_group,
                                             _("The token can do what its roles allow."));
      return;
    }

  joined = g_strjoinv (", ", names);
  /* The group's description is markup; role names come from the API, of any length. */
  bounded = astra_display_text_new (joined, ASTRA_DISPLAY_TEXT_BODY_CHARS, ASTRA_DISPLAY_TEXT_DEFAULT);
  escaped = g_markup_escape_text (bounded, -1);
  /* Translators: %s is a list of role names */
  text = g_strdup_printf (_("Selected: %s"), escaped);
  adw_preferences_group_set_description (self->roles_group, text);
}

void
astra_generate_dialog_update_actions (AstraGenerateDialog *self)
{
  update_roles_summary (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.generate",
                                 !self->busy && self->lost_since == NULL && is_valid (self));
}

void
astra_generate_dialog_set_busy (AstraGenerateDialog *self,
          gboolean             busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !busy);
  gtk_stack_set_visible_child_name (self->generate_stack, busy ? "spinner" : "label");
  gtk_spinner_set_spinning (self->generate_spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.close", !busy);
  astra_generate_dialog_update_actions (self);
}

void
astra_generate_dialog_show_error (AstraGenerateDialog *self,
            const char          *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static AstraRole *
find_role (AstraGenerateDialog *self,
           const char          *id)
{
  guint n = g_list_model_get_n_items (self->roles);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (self->roles, i);

      if (g_strcmp0 (astra_role_get_id (role), id) == 0)
        return g_steal_pointer (&role);
    }

  return NULL;
}

/* The checked role ids and names, in the order of the role list. */
void
astra_generate_dialog_collect_roles (AstraGenerateDialog  *self,
               GStrv                *ids,
               GStrv                *names)
{
  g_autoptr(GStrvBuilder) id_builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) name_builder = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (self->roles);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (self->roles, i);

      if (!g_hash_table_contains (self->checked, astra_role_get_id (role)))
        continue;
      g_strv_builder_add (id_builder, astra_role_get_id (role));
      g_strv_builder_add (name_builder, astra_role_get_name (role));
    }

  *ids = g_strv_builder_end (id_builder);
  *names = g_strv_builder_end (name_builder);
}

/* The request may have reached the server, which then created the token: a timeout or an
 * answer that could not be read. (ASTRA_CLIENT_ERROR_ANSWER_LOST says so itself; NETWORK
 * means the request never got through.) */
static gboolean
is_lost_answer (const GError *error)
{
  return g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TIMEOUT) ||
         g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE);
}

static void
report_rotation (AstraGenerateDialog *self,
                 const char          *message)
{
  if (self->new_token_dialog != NULL)
    astra_new_token_dialog_add_toast (self->new_token_dialog, message);
  else if (!astra_export_show_toast (gtk_window_get_transient_for (GTK_WINDOW (self)), message))
    g_message ("%s", message);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_role_check_toggled_cb (GtkCheckButton      *check,
                          AstraGenerateDialog *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "role-id");

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->checked, g_strdup (id));
  else
    g_hash_table_remove (self->checked, id);

  astra_generate_dialog_update_actions (self);
}

static GtkWidget *
create_role_row (gpointer item,
                 gpointer user_data)
{
  AstraGenerateDialog *self = user_data;
  AstraRole *role = item;
  const char *description = astra_role_get_description (role);
  g_autofree char *name = NULL;
  GtkWidget *row;
  GtkWidget *check;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Server text, bounded: a role named with 10,000 characters froze this dialog for 35 s. */
  name = astra_display_text_new (astra_role_get_name (role), ASTRA_DISPLAY_TEXT_LINE_CHARS,
                                 ASTRA_DISPLAY_TEXT_FIRST_LINE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  if (description != NULL && description[0] != '\0')
    {
      g_autofree char *shown = astra_display_text_new (description, ASTRA_DISPLAY_TEXT_BODY_CHARS,
                                                       ASTRA_DISPLAY_TEXT_DEFAULT);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
    }

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data_full (G_OBJECT (check), "role-id",
                          g_strdup (astra_role_get_id (role)), g_free);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               g_hash_table_contains (self->checked, astra_role_get_id (role)));
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_role_check_toggled_cb), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  if (!astra_role_is_builtin (role))
    {
      GtkWidget *tag = gtk_label_new (_("Custom"));

      gtk_widget_add_css_class (tag, "dim-label");
      gtk_widget_add_css_class (tag, "caption");
      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }

  return row;
}

static gboolean
match_role (gpointer item,
            gpointer user_data)
{
  AstraGenerateDialog *self = user_data;
  AstraRole *role = item;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  if (search == NULL || search[0] == '\0')
    return TRUE;

  needle = g_utf8_casefold (search, -1);
  name = g_utf8_casefold (astra_role_get_name (role), -1);
  description = g_utf8_casefold (astra_role_get_description (role), -1);

  return strstr (name, needle) != NULL || strstr (description, needle) != NULL;
}

static void
on_filtered_items_changed_cb (GListModel          *model,
                              guint                position,
                              guint                removed,
                              guint                added,
                              AstraGenerateDialog *self)
{
  gboolean any = g_list_model_get_n_items (self->roles) > 0;

  gtk_label_set_text (self->roles_empty_label,
                      any ? _("No role matches the search")
                          : _("No roles are loaded. Close this dialog and refresh the list."));
  gtk_stack_set_visible_child_name (self->roles_stack,
                                    g_list_model_get_n_items (model) > 0 ? "list" : "empty");
}

static void
on_roles_changed_cb (GListModel          *model,
                     guint                position,
                     guint                removed,
                     guint                added,
                     AstraGenerateDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry),
                          g_list_model_get_n_items (model) > SEARCH_THRESHOLD);
}

static void
on_search_changed_cb (GtkSearchEntry      *entry,
                      AstraGenerateDialog *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_delete_old_secret_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Best effort: a leftover secret of a revoked token is harmless and visible as such. */
  if (!astra_secret_store_delete_generated_finish (ASTRA_SECRET_STORE (object), result, &error) &&
      error != NULL)
    g_debug ("Could not remove the old token’s secret: %s", error->message);
}

static void
on_revoke_old_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AstraGenerateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *client_id = astra_token_get_client_id (self->old_token);

  self->revoking = FALSE;

  if (!astra_client_revoke_token_finish (ASTRA_CLIENT (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The new token is safe, but the old one could not be "
                                   "revoked: %s. Revoke it from the token list."),
                                 error->message);
      report_rotation (self, message);
    }
  else
    {
      astra_secret_store_delete_generated_async (self->store,
                                                 astra_connection_get_org_id (self->connection),
                                                 client_id, NULL,
                                                 on_delete_old_secret_cb, NULL);
      if (self->swap_context == NULL)
        report_rotation (self, _("The old token was revoked"));
      else if (self->swap_from_environment)
        report_rotation (self, _("The old token was revoked, and Astra Tokens now connects with "
                                 "the new one until it quits. ASTRA_DB_APPLICATION_TOKEN still "
                                 "holds the old token: replace it where you set it."));
      else
        report_rotation (self, _("The old token was revoked, and Astra Tokens now connects with "
                                 "the new one"));
      g_signal_emit (self, signals[TOKEN_REVOKED], 0, client_id);
    }

  if (self->new_token_dialog == NULL)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_new_client_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AstraGenerateDialog) self = user_data;
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(GError) error = NULL;

  /* The old token is revoked with the new one, which the app now uses. */
  client = astra_context_get_client_finish (ASTRA_CONTEXT (object), result, &error);
  astra_client_revoke_token_async (client != NULL ? client : self->client,
                                   astra_token_get_client_id (self->old_token),
                                   NULL, on_revoke_old_cb, g_object_ref (self));
}

static void
on_connection_replaced_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(AstraGenerateDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_context_replace_token_finish (ASTRA_CONTEXT (object), result, &error))
    {
      g_autofree char *message = NULL;

      self->revoking = FALSE;
      message = g_strdup_printf (_("The new token is safe, but Astra Tokens could not switch to "
                                   "it (%s), so the old token was not revoked and the app still "
                                   "connects with it."),
                                 error->message);
      report_rotation (self, message);
      if (self->new_token_dialog == NULL)
        gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  astra_context_get_client_async (ASTRA_CONTEXT (object), self->connection, NULL,
                                  on_new_client_cb, g_object_ref (self));
}

static void
on_new_token_secured_cb (AstraNewTokenDialog *dialog,
                         AstraGenerateDialog *self)
{
  AstraGeneratedToken *token = astra_new_token_dialog_get_token (dialog);

  if (token != NULL)
    g_signal_emit (self, signals[TOKEN_SECURED], 0, token);

  if (self->old_token == NULL || self->revoking)
    return;

  /* Only now, with the new secret in the keyring or in a file, is the old token let go. */
  g_signal_handlers_disconnect_by_func (dialog, on_new_token_secured_cb, self);
  self->revoking = TRUE;
  if (self->swap_context != NULL && token != NULL)
    {
      /* The app's own token: first the app moves to the new one. */
      astra_context_replace_token_async (self->swap_context, self->connection,
                                         astra_generated_token_get_token (token), NULL,
                                         on_connection_replaced_cb, g_object_ref (self));
      return;
    }

  astra_client_revoke_token_async (self->client, astra_token_get_client_id (self->old_token),
                                   NULL, on_revoke_old_cb, g_object_ref (self));
}

static gboolean
destroy_self_cb (gpointer user_data)
{
  gtk_window_destroy (GTK_WINDOW (user_data));

  return G_SOURCE_REMOVE;
}

static void
on_new_token_dialog_destroyed_cb (GtkWidget           *dialog,
                                  AstraGenerateDialog *self)
{
  /* Not from inside the other window's disposal. */
  if (!self->revoking)
    g_idle_add_full (G_PRIORITY_DEFAULT, destroy_self_cb, g_object_ref (self), g_object_unref);
}

static void
present_new_token (AstraGenerateDialog *self,
                   AstraGeneratedToken *token)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  AstraNewTokenDialog *dialog;

  dialog = astra_new_token_dialog_new (parent, self->store, self->connection, token,
                                       gtk_switch_get_active (self->keyring_switch));
  g_set_weak_pointer (&self->new_token_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  /* The token was read from a flawed answer: say what was odd. */
  if (astra_generated_token_get_notice (token) != NULL)
    astra_new_token_dialog_add_toast (dialog, astra_generated_token_get_notice (token));

  /* This dialog steps aside but lives on, hidden, while the new-token dialog is open: it
   * reports when the new token is secured and, when rotating, then revokes the old one. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_signal_connect_object (dialog, "destroy",
                           G_CALLBACK (on_new_token_dialog_destroyed_cb), self, 0);
  g_signal_connect_object (dialog, "secured",
                           G_CALLBACK (on_new_token_secured_cb), self, 0);
  if (astra_new_token_dialog_is_secured (dialog))
    on_new_token_secured_cb (dialog, self);
}

static void
complete_token (AstraGenerateDialog *self,
                AstraGeneratedToken *token)
{
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GDateTime) expires = NULL;
  const char * const *returned_ids = astra_generated_token_get_role_ids (token);
  const char *description = gtk_editable_get_text (GTK_EDITABLE (self->description_row));

  /* What the creation answer does not echo, taken from what was asked for. */
  astra_generate_dialog_collect_roles (self, &ids, &names);
  if (returned_ids == NULL || returned_ids[0] == NULL)
    astra_generated_token_set_role_ids (token, (const char * const *) ids);
  astra_generated_token_set_role_names (token, (const char * const *) names);
  if (astra_generated_token_get_org_id (token) == NULL ||
      astra_generated_token_get_org_id (token)[0] == '\0')
    astra_generated_token_set_org_id (token, astra_connection_get_org_id (self->connection));
  if (astra_generated_token_get_description (token) == NULL ||
      astra_generated_token_get_description (token)[0] == '\0')
    {
      /* The setter copies. */
      g_autofree char *stripped = g_strstrip (g_strdup (description));

      astra_generated_token_set_description (token, stripped);
    }
  if (astra_generated_token_get_expires (token) == NULL &&
      (expires = astra_generate_dialog_dup_expires (self)) != NULL)
    astra_generated_token_set_expires (token, expires);
}

static void
on_create_token_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AstraGenerateDialog) self = user_data;
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = astra_client_create_token_finish (ASTRA_CLIENT (object), result, &error);
  astra_generate_dialog_set_busy (self, FALSE);

  if (token == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_ANSWER_LOST))
        message = g_strdup (error->message);
      else if (is_lost_answer (error))
        message = g_strdup_printf (_("The server’s answer was lost (%s). The token may have "
                                     "been created anyway: refresh the token list to check "
                                     "before generating again."),
                                   error->message);
      else
        message = g_strdup_printf (_("Could not generate the token: %s"), error->message);
      astra_generate_dialog_show_error (self, message);
      /* Generating again could make a second token: first look for the first one. */
      if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_ANSWER_LOST) ||
          is_lost_answer (error))
        astra_generate_dialog_lost_begin (self, self->request_started);
      return;
    }

  complete_token (self, token);
  g_signal_emit (self, signals[TOKEN_GENERATED], 0, token);
  present_new_token (self, token);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AstraGenerateDialog *self = ASTRA_GENERATE_DIALOG (widget);
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *description = NULL;

  if (self->busy || !is_valid (self))
    return;

  astra_generate_dialog_collect_roles (self, &ids, &names);
  description = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row))));
  expires = astra_generate_dialog_dup_expires (self);

  astra_generate_dialog_show_error (self, NULL);
  astra_generate_dialog_set_busy (self, TRUE);
  g_clear_pointer (&self->request_started, g_date_time_unref);
  self->request_started = g_date_time_new_now_utc ();
  /* Never cancelled while waiting: an answer that arrives must reach the person. */
  astra_client_create_token_async (self->client,
                                   (const char * const *) ids,
                                   description[0] != '\0' ? description : NULL,
                                   expires,
                                   NULL,
                                   on_create_token_cb,
                                   g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWindow vfuncs                                                                           */

static gboolean
astra_generate_dialog_close_request (GtkWindow *window)
{
  AstraGenerateDialog *self = ASTRA_GENERATE_DIALOG (window);

  if (self->busy)
    {
      /* Closing now would drop a secret that may already exist on the server. */
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   astra_toast_new (_("Waiting for the server’s answer…")));
      return TRUE;
    }

  return GTK_WINDOW_CLASS (astra_generate_dialog_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject vfuncs                                                                             */

static void
astra_generate_dialog_dispose (GObject *object)
{
  AstraGenerateDialog *self = ASTRA_GENERATE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->new_token_dialog);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->connection);
  g_clear_object (&self->roles);
  g_clear_object (&self->filtered_roles);
  g_clear_object (&self->old_token);
  g_clear_object (&self->swap_context);
  g_clear_pointer (&self->request_started, g_date_time_unref);
  g_clear_pointer (&self->lost_since, g_date_time_unref);
  g_clear_pointer (&self->lost_client_id, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (astra_generate_dialog_parent_class)->dispose (object);
}

static void
astra_generate_dialog_finalize (GObject *object)
{
  AstraGenerateDialog *self = ASTRA_GENERATE_DIALOG (object);

  g_clear_pointer (&self->checked, g_hash_table_unref);
  g_clear_pointer (&self->expiry_date, g_date_time_unref);

  G_OBJECT_CLASS (astra_generate_dialog_parent_class)->finalize (object);
}

static void
astra_generate_dialog_class_init (AstraGenerateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = astra_generate_dialog_dispose;
  object_class->finalize = astra_generate_dialog_finalize;
  window_class->close_request = astra_generate_dialog_close_request;

  signals[TOKEN_GENERATED] = g_signal_new ("token-generated",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, ASTRA_TYPE_GENERATED_TOKEN);
  signals[TOKEN_SECURED] = g_signal_new ("token-secured",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, ASTRA_TYPE_GENERATED_TOKEN);
  signals[TOKEN_REVOKED] = g_signal_new ("token-revoked",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/astra-generate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, generate_stack);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, generate_spinner);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, lost_button);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, page);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, rotate_group);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, rotate_label);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_never_row);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_30_row);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_90_row);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_365_row);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_date_row);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_never_check);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_30_check);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_90_check);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_365_check);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, expiry_date_check);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, date_popover);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, calendar);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, keyring_switch);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, roles_stack);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, roles_list);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, roles_empty_label);
  gtk_widget_class_bind_template_child (widget_class, AstraGenerateDialog, roles_group);

  gtk_widget_class_bind_template_callback_full (widget_class, "on_expiry_toggled_cb",
                                                G_CALLBACK (astra_generate_dialog_on_expiry_toggled));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_date_text_changed_cb",
                                                G_CALLBACK (astra_generate_dialog_on_date_text_changed));

  gtk_widget_class_install_action (widget_class, "dialog.generate", NULL, generate_action);
  astra_generate_dialog_class_add_lost_actions (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
astra_generate_dialog_init (AstraGenerateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();

  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  astra_generate_dialog_init_expiry (self);
  astra_generate_dialog_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraGenerateDialog *
astra_generate_dialog_new (GtkWindow        *parent,
                           AstraClient      *client,
                           AstraSecretStore *store,
                           AstraConnection  *connection,
                           GListModel       *roles)
{
  AstraGenerateDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ASTRA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (store), NULL);
  g_return_val_if_fail (ASTRA_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (roles), NULL);

  self = g_object_new (ASTRA_TYPE_GENERATE_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->store = g_object_ref (store);
  self->connection = g_object_ref (connection);
  self->roles = g_object_ref (roles);

  self->filter = gtk_custom_filter_new (match_role, self, NULL);
  self->filtered_roles = gtk_filter_list_model_new (g_object_ref (roles),
                                                    GTK_FILTER (self->filter));
  g_signal_connect_object (self->filtered_roles, "items-changed",
                           G_CALLBACK (on_filtered_items_changed_cb), self, 0);
  g_signal_connect_object (roles, "items-changed", G_CALLBACK (on_roles_changed_cb), self, 0);
  gtk_list_box_bind_model (self->roles_list, G_LIST_MODEL (self->filtered_roles),
                           create_role_row, self, NULL);

  on_roles_changed_cb (roles, 0, 0, 0, self);
  on_filtered_items_changed_cb (G_LIST_MODEL (self->filtered_roles), 0, 0, 0, self);
  astra_generate_dialog_update_actions (self);

  return self;
}

void
astra_generate_dialog_set_rotate_from (AstraGenerateDialog *self,
                                       AstraToken          *old_token)
{
  const char * const *ids;
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autofree char *text = NULL;
  guint lifetime_days;

  g_return_if_fail (ASTRA_IS_GENERATE_DIALOG (self));
  g_return_if_fail (ASTRA_IS_TOKEN (old_token));

  g_set_object (&self->old_token, old_token);
  gtk_window_set_title (GTK_WINDOW (self), _("Rotate Token"));
  adw_window_title_set_title (self->window_title, _("Rotate Token"));

  gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                         astra_token_get_description (old_token));
  /* A token that expires is replaced by one with the same lifetime (astra-expiry.h); one
   * that does not keeps the default. */
  lifetime_days = astra_expiry_lifetime_days (astra_token_get_generated_on (old_token),
                                              astra_token_get_expires (old_token));
  if (lifetime_days > 0)
    astra_generate_dialog_select_expiry_days (self, lifetime_days);

  g_hash_table_remove_all (self->checked);
  ids = astra_token_get_role_ids (old_token);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(AstraRole) role = find_role (self, ids[i]);

      if (role != NULL)
        g_hash_table_add (self->checked, g_strdup (ids[i]));
      else
        g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", ids[i]);
    }
  /* Rebuild the rows so their check boxes show the old token's roles. */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_list_box_bind_model (self->roles_list, G_LIST_MODEL (self->filtered_roles),
                           create_role_row, self, NULL);

  text = g_strdup_printf (_("A new token is generated with the roles and description of "
                            "%s. The old token is revoked only after the new one is saved "
                            "to the keyring or exported."),
                          astra_token_get_client_id (old_token));
  if (missing->len > 0)
    {
      g_autofree char *with_missing = NULL;

      with_missing = g_strdup_printf (_("%s These roles of the old token no longer exist and "
                                        "are left out: %s."),
                                      text, missing->str);
      g_free (text);
      text = g_steal_pointer (&with_missing);
    }
  gtk_label_set_text (self->rotate_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->rotate_group), TRUE);

  astra_generate_dialog_update_actions (self);
}

void
astra_generate_dialog_set_replaces_connection (AstraGenerateDialog *self,
                                               AstraContext        *context,
                                               gboolean             from_environment)
{
  g_return_if_fail (ASTRA_IS_GENERATE_DIALOG (self));
  g_return_if_fail (ASTRA_IS_CONTEXT (context));

  g_set_object (&self->swap_context, context);
  self->swap_from_environment = from_environment;

  if (self->old_token != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s Astra Tokens itself connects with this token: "
                                                 "it switches to the new one, checked with the "
                                                 "server, before the old one is revoked."),
                                               gtk_label_get_text (self->rotate_label));

      gtk_label_set_text (self->rotate_label, text);
    }
}

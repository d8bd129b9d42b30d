/* astra-connect-dialog.c
 *
 * Connects an organization: a token, an environment (or detection), then the context checks
 * the token with GET /v2/currentOrg and stores it. Errors show inline with the API's own
 * message; nothing typed is lost. Also used to replace the token of an organization whose
 * token was refused (401), for a portal CSV opened with nothing connected, to connect
 * the file's organization with one of the file's own tokens, and for a token found in plain
 * text, to connect its organization with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-connect-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-connect-dialog.h"
#include "astra-generated-token.h"
#include "astra-token-format.h"

struct _AstraConnectDialog
{
  AdwWindow            parent_instance;

  AstraContext        *context;
  AstraConnection     *replace;
  GListModel          *candidates;   /* AstraGeneratedToken from a file, or NULL */
  gboolean             found_token;  /* the one candidate was found in plain text */
  GCancellable        *cancellable;

  GtkButton           *connect_button;
  GtkSpinner          *spinner;
  GtkLabel            *intro_label;
  AdwPreferencesGroup *rows_group;
  AdwPasswordEntryRow *token_row;
  AdwPreferencesGroup *environment_group;
  /* One group of toggle buttons; "Detect" leads it. */
  GtkToggleButton     *env_production;
  GtkToggleButton     *env_development;
  GtkToggleButton     *env_test;
  GtkToggleButton     *env_custom;
  GtkToggleButton     *env_detect;
  AdwEntryRow         *url_row;
  GtkLabel            *status_label;
};

G_DEFINE_FINAL_TYPE (AstraConnectDialog, astra_connect_dialog, ADW_TYPE_WINDOW)

enum {
  CONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
is_busy (AstraConnectDialog *self)
{
  return self->cancellable != NULL;
}

static void
show_status (AstraConnectDialog *self,
             const char         *message,
             gboolean            is_error)
{
  gtk_label_set_label (self->status_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
update_sensitivity (AstraConnectDialog *self)
{
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  gboolean custom = gtk_toggle_button_get_active (self->env_custom);
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  gboolean busy = is_busy (self);

  gtk_widget_set_visible (GTK_WIDGET (self->url_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rows_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->environment_group), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connect.connect",
                                 !busy && (self->candidates != NULL || *token != '\0') &&
                                 (!custom || *url != '\0'));
}

static int
selected_environment (AstraConnectDialog *self)
{
  if (gtk_toggle_button_get_active (self->env_production))
    return ASTRA_ENVIRONMENT_PRODUCTION;
  if (gtk_toggle_button_get_active (self->env_development))
    return ASTRA_ENVIRONMENT_DEVELOPMENT;
  if (gtk_toggle_button_get_active (self->env_test))
    return ASTRA_ENVIRONMENT_TEST;
  if (gtk_toggle_button_get_active (self->env_custom))
    return ASTRA_ENVIRONMENT_CUSTOM;

  return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AstraConnectDialog) self = user_data;
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  if (self->candidates != NULL)
    connection = astra_context_connect_any_finish (ASTRA_CONTEXT (object), result, &error);
  else
    connection = astra_context_connect_finish (ASTRA_CONTEXT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  update_sensitivity (self);

  if (connection == NULL)
    {
      show_status (self, error->message, TRUE);
      if (self->candidates == NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
      return;
    }

  g_signal_emit (self, signals[CONNECTED], 0, connection);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_input_changed_cb (AstraConnectDialog *self)
{
  if (!is_busy (self))
    show_status (self, NULL, FALSE);
  update_sensitivity (self);
}

static void
on_token_activated_cb (AstraConnectDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "connect.connect", NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
connect_with_candidates (AstraConnectDialog *self)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (self->candidates);

  /* The strings belong to the tokens, which the model keeps alive; the context copies them. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraGeneratedToken) token = g_list_model_get_item (self->candidates, i);

      g_ptr_array_add (tokens, (char *) astra_generated_token_get_token (token));
    }
  g_ptr_array_add (tokens, NULL);

  self->cancellable = g_cancellable_new ();
  show_status (self, self->found_token ? _("Checking the token with Astra…")
                                       : _("Checking the file’s tokens with Astra…"), FALSE);
  update_sensitivity (self);

  astra_context_connect_any_async (self->context, (const char * const *) tokens->pdata,
                                   selected_environment (self),
                                   gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                                   self->cancellable, on_connected_cb, g_object_ref (self));
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AstraConnectDialog *self = ASTRA_CONNECT_DIALOG (widget);
  g_autoptr(AstraSecretString) token = NULL;
  g_autoptr(GError) error = NULL;

  if (is_busy (self))
    return;

  if (self->candidates != NULL)
    {
      connect_with_candidates (self);
      return;
    }

  /* Check the shape first: a malformed token is never sent anywhere. */
  token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  if (!astra_token_format_validate (token, &error))
    {
      show_status (self, error->message, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
      return;
    }

  self->cancellable = g_cancellable_new ();
  show_status (self, _("Checking the token with Astra…"), FALSE);
  update_sensitivity (self);

  astra_context_connect_async (self->context, token, selected_environment (self),
                               gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                               self->cancellable, on_connected_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWindow                                                                                  */

static gboolean
astra_connect_dialog_close_request (GtkWindow *window)
{
  AstraConnectDialog *self = ASTRA_CONNECT_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  /* Do not keep the pasted token in the entry's buffer longer than needed. */
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");

  return GTK_WINDOW_CLASS (astra_connect_dialog_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_connect_dialog_dispose (GObject *object)
{
  AstraConnectDialog *self = ASTRA_CONNECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->replace);
  g_clear_object (&self->candidates);

  G_OBJECT_CLASS (astra_connect_dialog_parent_class)->dispose (object);
}

/* GtkWindow focuses its first focusable child (Cancel) when shown; a person opening this
 * dialog wants to paste the token straight away. */
static void
astra_connect_dialog_map (GtkWidget *widget)
{
  AstraConnectDialog *self = ASTRA_CONNECT_DIALOG (widget);

  GTK_WIDGET_CLASS (astra_connect_dialog_parent_class)->map (widget);
  if (self->candidates != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->connect_button));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
}

static void
astra_connect_dialog_class_init (AstraConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = astra_connect_dialog_dispose;
  window_class->close_request = astra_connect_dialog_close_request;

  signals[CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, ASTRA_TYPE_CONNECTION);

  widget_class->map = astra_connect_dialog_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/astra-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, rows_group);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, environment_group);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, env_detect);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, env_production);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, env_development);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, env_test);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, env_custom);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, AstraConnectDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_token_activated_cb);

  gtk_widget_class_install_action (widget_class, "connect.connect", NULL, connect_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
astra_connect_dialog_init (AstraConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_sensitivity (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraConnectDialog *
astra_connect_dialog_new (GtkWindow       *parent,
                          AstraContext    *context,
                          AstraConnection *replace)
{
  AstraConnectDialog *self;

  g_return_val_if_fail (ASTRA_IS_CONTEXT (context), NULL);

  self = g_object_new (ASTRA_TYPE_CONNECT_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);

  if (replace != NULL)
    {
      AstraEnvironment env = astra_connection_get_environment (replace);
      GtkToggleButton *env_buttons[] = {
        self->env_production, self->env_development, self->env_test, self->env_custom,
      };
      g_autofree char *intro = NULL;

      self->replace = g_object_ref (replace);
      intro = g_strdup_printf (_("Astra did not accept the saved token of “%s”. Paste a valid "
                                 "token of this organization to replace it in the keyring."),
                               astra_connection_get_display_name (replace));
      gtk_window_set_title (GTK_WINDOW (self), _("Replace Token"));
      gtk_label_set_label (self->intro_label, intro);
      gtk_button_set_label (self->connect_button, _("_Replace"));
      if ((guint) env < G_N_ELEMENTS (env_buttons))
        gtk_toggle_button_set_active (env_buttons[env], TRUE);
      if (env == ASTRA_ENVIRONMENT_CUSTOM)
        gtk_editable_set_text (GTK_EDITABLE (self->url_row), astra_connection_get_api_url (replace));
    }

  update_sensitivity (self);
  return self;
}

/* The dialog for tokens the person already has, in a file: no token to paste. */
static AstraConnectDialog *
new_with_candidates (GtkWindow    *parent,
                     AstraContext *context,
                     GListModel   *tokens)
{
  AstraConnectDialog *self = g_object_new (ASTRA_TYPE_CONNECT_DIALOG, "transient-for", parent, NULL);

  self->context = g_object_ref (context);
  self->candidates = g_object_ref (tokens);
  gtk_widget_set_visible (GTK_WIDGET (self->rows_group), FALSE);

  return self;
}

AstraConnectDialog *
astra_connect_dialog_new_for_tokens (GtkWindow    *parent,
                                     AstraContext *context,
                                     GListModel   *tokens,
                                     const char   *file_name)
{
  AstraConnectDialog *self;
  g_autofree char *intro = NULL;

  g_return_val_if_fail (ASTRA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (tokens), NULL);
  g_return_val_if_fail (file_name != NULL, NULL);

  self = new_with_candidates (parent, context, tokens);
  intro = g_strdup_printf (_("The tokens in “%s” belong to an organization that is not "
                             "connected yet. Astra Tokens can connect it with a token from the "
                             "file whose role may manage tokens, such as Organization "
                             "Administrator, then import the file’s tokens into it."),
                           file_name);
  gtk_window_set_title (GTK_WINDOW (self), _("Import Tokens"));
  gtk_label_set_label (self->intro_label, intro);
  gtk_button_set_label (self->connect_button, _("C_onnect and Import"));

  update_sensitivity (self);
  return self;
}

/**
 * astra_connect_dialog_new_for_found_token:
 * @token: a token found in plain text in @file_name (the Plain-Text Tokens page)
 *
 * Connects the organization of @token with @token itself, which the keyring then holds
 * as the organization's connection. Nothing is imported.
 */
AstraConnectDialog *
astra_connect_dialog_new_for_found_token (GtkWindow           *parent,
                                          AstraContext        *context,
                                          AstraGeneratedToken *token,
                                          const char          *file_name)
{
  AstraConnectDialog *self;
  g_autoptr(GListStore) tokens = NULL;
  g_autofree char *intro = NULL;

  g_return_val_if_fail (ASTRA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (token), NULL);
  g_return_val_if_fail (file_name != NULL, NULL);

  tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_list_store_append (tokens, token);
  self = new_with_candidates (parent, context, G_LIST_MODEL (tokens));
  self->found_token = TRUE;
  intro = g_strdup_printf (_("The token found in “%s” belongs to an organization that is not "
                             "connected yet. If its role may manage tokens, such as "
                             "Organization Administrator, Astra Tokens can connect the "
                             "organization with it and keep it in the keyring."),
                           file_name);
  gtk_window_set_title (GTK_WINDOW (self), _("Connect Organization"));
  gtk_label_set_label (self->intro_label, intro);
  gtk_button_set_label (self->connect_button, _("C_onnect"));

  update_sensitivity (self);
  return self;
}

/* astra-new-token-dialog.c: shows a just-generated token once
 *
 * The API returns the client secret and the token only in the answer to the creation
 * request, so this dialog is the one chance to keep them. It saves the token to the keyring
 * when asked (retry on failure), offers copy buttons, a portal CSV export, a reference
 * (astra://…, once the keyring holds the token) and an environment snippet (of references
 * by default then, so that a pasted .env file holds no secret), and refuses to close
 * silently while the secret is neither in the keyring nor exported. It holds the token
 * only while it is open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-new-token-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-clipboard.h"
#include "astra-csv.h"
#include "astra-display-text.h"
#include "astra-export.h"
#include "astra-new-token-dialog.h"
#include "astra-reference.h"
#include "astra-settings.h"
#include "astra-toast.h"

/* Shown instead of a value; its length says nothing about the value's. */
#define MASK "••••••••••••••••••••••••"

/* The choices of env_kind_row, in the order of its model. */
enum
{
  SNIPPET_REFERENCES,
  SNIPPET_VALUES,
};

typedef enum
{
  KEYRING_OFF,
  KEYRING_SAVING,
  KEYRING_SAVED,
  KEYRING_FAILED,
} KeyringState;

struct _AstraNewTokenDialog
{
  AdwWindow            parent_instance;

  AstraSecretStore    *store;
  AstraConnection     *connection;
  AstraGeneratedToken *token;
  GCancellable        *cancellable;
  /* How the next export is protected, as chosen in the encrypt dialog; NULL: plain. */
  AstraExportProtection *protection;

  KeyringState         keyring_state;
  guint                exported : 1;
  guint                close_confirmed : 1;
  guint                reveal_client_id : 1;
  guint                reveal_client_secret : 1;
  guint                reveal_token : 1;
  guint                references_offered : 1;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  AdwPreferencesGroup *credentials_group;
  AdwActionRow        *client_id_row;
  AdwActionRow        *client_secret_row;
  AdwActionRow        *token_row;
  GtkToggleButton     *client_id_reveal;
  GtkToggleButton     *client_secret_reveal;
  GtkToggleButton     *token_reveal;
  AdwActionRow        *keyring_row;
  GtkImage            *keyring_icon;
  GtkStack            *keyring_stack;
  GtkSpinner          *keyring_spinner;
  GtkButton           *retry_button;
  AdwActionRow        *reference_row;
  AdwComboRow         *env_kind_row;
};

G_DEFINE_FINAL_TYPE (AstraNewTokenDialog, astra_new_token_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SECURED,
  PROP_REVEAL_CLIENT_ID,
  PROP_REVEAL_CLIENT_SECRET,
  PROP_REVEAL_TOKEN,
  N_PROPS
};

enum {
  SECURED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
get_mask_setting (void)
{
  g_autoptr(GSettings) settings = astra_settings_try_new ();

  return settings != NULL ? g_settings_get_boolean (settings, "mask-secrets") : TRUE;
}

static gboolean
is_secured (AstraNewTokenDialog *self)
{
  return self->keyring_state == KEYRING_SAVED || self->exported;
}

/* A reference resolves only once the keyring holds the token; the demo's never are. */
static gboolean
can_reference (AstraNewTokenDialog *self)
{
  return self->keyring_state == KEYRING_SAVED && !astra_connection_get_is_demo (self->connection);
}

/* (transfer full) astra://ORG_ID/CLIENT_ID/FIELD: by org id, which survives renames. */
static char *
dup_reference (AstraNewTokenDialog *self,
               AstraReferenceField  field)
{
  return astra_reference_format (astra_connection_get_org_id (self->connection),
                                 astra_generated_token_get_client_id (self->token), field);
}

/* References are offered, and are the snippet's default, as soon as the keyring holds the
 * token: a .env file pasted from it then holds no secret. */
static void
update_reference_rows (AstraNewTokenDialog *self)
{
  gboolean available = can_reference (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.copy-reference", available);
  gtk_widget_set_sensitive (GTK_WIDGET (self->env_kind_row), available);

  if (available)
    adw_action_row_set_subtitle (self->reference_row,
                                 _("Names the token in the keyring without holding it, for "
                                   "astra-tokens-cli read and run"));
  else if (astra_connection_get_is_demo (self->connection))
    adw_action_row_set_subtitle (self->reference_row,
                                 _("The demo organization’s tokens are not kept in the keyring"));
  else
    adw_action_row_set_subtitle (self->reference_row,
                                 _("Available once the token is saved to the keyring"));

  if (available != self->references_offered)
    {
      self->references_offered = available;
      adw_combo_row_set_selected (self->env_kind_row,
                                  available ? SNIPPET_REFERENCES : SNIPPET_VALUES);
    }
}

static void
show_value (AdwActionRow    *row,
            GtkToggleButton *toggle,
            const char      *value,
            gboolean         reveal)
{
  adw_action_row_set_subtitle (row, reveal && value != NULL ? value : MASK);
  gtk_button_set_icon_name (GTK_BUTTON (toggle),
                            reveal ? "view-conceal-symbolic" : "view-reveal-symbolic");
}

/* A token kept from a file that held it alone has no client secret on this computer. */
static gboolean
has_client_secret (AstraNewTokenDialog *self)
{
  const char *secret = astra_generated_token_get_secret (self->token);

  return secret != NULL && secret[0] != '\0';
}

static void
update_values (AstraNewTokenDialog *self)
{
  if (self->token == NULL)
    {
      /* Closed: leave no copy of a secret in the widgets. */
      adw_action_row_set_subtitle (self->client_id_row, "");
      adw_action_row_set_subtitle (self->client_secret_row, "");
      adw_action_row_set_subtitle (self->token_row, "");
      return;
    }

  show_value (self->client_id_row, self->client_id_reveal,
              astra_generated_token_get_client_id (self->token), self->reveal_client_id);
  if (has_client_secret (self))
    show_value (self->client_secret_row, self->client_secret_reveal,
                astra_generated_token_get_secret (self->token), self->reveal_client_secret);
  else
    adw_action_row_set_subtitle (self->client_secret_row,
                                 _("Not on this computer: this token was kept from a file "
                                   "that held the token alone"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.reveal-client-secret",
                                 has_client_secret (self));
  show_value (self->token_row, self->token_reveal,
              astra_generated_token_get_token (self->token), self->reveal_token);
}

static void
update_keyring_row (AstraNewTokenDialog *self,
                    const char          *error_message)
{
  GtkWidget *row = GTK_WIDGET (self->keyring_row);
  GtkWidget *icon = GTK_WIDGET (self->keyring_icon);

  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "warning");
  gtk_spinner_set_spinning (self->keyring_spinner, self->keyring_state == KEYRING_SAVING);

  switch (self->keyring_state)
    {
    case KEYRING_SAVING:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Saving to keyring…"));
      adw_action_row_set_subtitle (self->keyring_row, "");
      gtk_image_set_from_icon_name (self->keyring_icon, "dialog-password-symbolic");
      gtk_stack_set_visible_child_name (self->keyring_stack, "saving");
      break;

    case KEYRING_SAVED:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Saved to keyring"));
      adw_action_row_set_subtitle (self->keyring_row,
                                   _("You can copy or export it later from the token list."));
      gtk_image_set_from_icon_name (self->keyring_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      gtk_stack_set_visible_child_name (self->keyring_stack, "none");
      break;

    case KEYRING_FAILED:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Not saved to keyring"));
      adw_action_row_set_subtitle (self->keyring_row, error_message);
      gtk_image_set_from_icon_name (self->keyring_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "error");
      gtk_button_set_label (self->retry_button, _("_Retry"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button),
                                   _("Try saving to the keyring again"));
      gtk_stack_set_visible_child_name (self->keyring_stack, "retry");
      break;

    case KEYRING_OFF:
    default:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("Not saved — export or copy it now"));
      adw_action_row_set_subtitle (self->keyring_row,
                                   _("Saving to the keyring was turned off for this token."));
      gtk_image_set_from_icon_name (self->keyring_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      gtk_button_set_label (self->retry_button, _("_Save"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->retry_button),
                                   _("Save the token to the keyring after all"));
      gtk_stack_set_visible_child_name (self->keyring_stack, "retry");
      break;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.retry-save",
                                 self->keyring_state == KEYRING_FAILED ||
                                 self->keyring_state == KEYRING_OFF);
  update_reference_rows (self);
}

/* Called whenever keyring_state or exported changed. */
static void
notify_secured (AstraNewTokenDialog *self,
                gboolean             was_secured)
{
  if (was_secured || !is_secured (self))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURED]);
  g_signal_emit (self, signals[SECURED], 0);
}

static void
update_title (AstraNewTokenDialog *self)
{
  const char * const *names = astra_generated_token_get_role_names (self->token);
  const char *description = astra_generated_token_get_description (self->token);
  g_autofree char *roles = NULL;
  g_autofree char *shown = NULL;

  /* Non-secret context only: what the token is for. */
  if (names != NULL && names[0] != NULL)
    roles = g_strjoinv (", ", (char **) names);

  if (description != NULL && description[0] != '\0')
    shown = astra_display_text_new (description, ASTRA_DISPLAY_TEXT_LINE_CHARS,
                                    ASTRA_DISPLAY_TEXT_FIRST_LINE);
  else if (roles != NULL)
    shown = astra_display_text_new (roles, ASTRA_DISPLAY_TEXT_LINE_CHARS,
                                    ASTRA_DISPLAY_TEXT_FIRST_LINE);
  if (shown != NULL)
    adw_window_title_set_subtitle (self->window_title, shown);
}

static char *
format_copied_message (const char *what,
                       gboolean    is_secret)
{
  guint seconds = astra_clipboard_get_clear_seconds ();

  if (!is_secret || seconds == 0)
    /* Translators: %s is what was copied, e.g. "Client secret" */
    return g_strdup_printf (_("%s copied"), what);

  /* Translators: %s is what was copied, e.g. "Client secret"; %u is a number of seconds */
  return g_strdup_printf (_("%s copied — clears in %u s"), what, seconds);
}

/* Unquoted where the value is safe for sh, .env files and docker --env-file alike (the
 * token alphabet is); single-quoted otherwise. */
static void
append_env_line (GString    *snippet,
                 const char *name,
                 const char *value)
{
  gboolean plain = value[0] != '\0';

  for (const char *p = value; *p != '\0' && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("+,-._:/=@", *p) != NULL;

  g_string_append_printf (snippet, "%s=", name);
  if (plain)
    g_string_append (snippet, value);
  else
    {
      g_autofree char *quoted = g_shell_quote (value);
      g_string_append (snippet, quoted);
      explicit_bzero (quoted, strlen (quoted));
    }
  g_string_append_c (snippet, '\n');
}

static void
wipe_string (GString *string)
{
  explicit_bzero (string->str, string->allocated_len);
  g_string_free (string, TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_save_generated_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AstraNewTokenDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean was_secured = is_secured (self);

  if (!astra_secret_store_save_generated_finish (ASTRA_SECRET_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->keyring_state = KEYRING_FAILED;
      update_keyring_row (self, error->message);
      return;
    }

  self->keyring_state = KEYRING_SAVED;
  update_keyring_row (self, NULL);
  notify_secured (self, was_secured);
}

static void
on_export_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AstraNewTokenDialog *self = g_task_get_source_object (task);
  GError *error = NULL;
  gboolean was_secured = is_secured (self);

  if (!astra_export_write_protected_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  self->exported = TRUE;
  notify_secured (self, was_secured);
  g_task_return_boolean (task, TRUE);
}

static void
on_ui_export_finished_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (object);
  GFile *file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (!astra_new_token_dialog_export_to_file_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_object_unref (file);
          return;
        }
      message = g_strdup_printf (_("Could not export: %s"), error->message);
    }
  else
    message = g_strdup_printf (_("Exported to “%s”"), name);

  astra_new_token_dialog_add_toast (self, message);
  g_object_unref (file);
}

static void
on_export_file_chosen_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(AstraNewTokenDialog) self = user_data;
  GFile *file = astra_export_choose_file_finish (result, NULL);

  if (file == NULL || self->token == NULL)
    {
      g_clear_object (&file);
      g_clear_pointer (&self->protection, astra_export_protection_free);
      return;
    }

  astra_new_token_dialog_export_to_file_async (self, file, self->cancellable,
                                               on_ui_export_finished_cb, file);
  /* The writer has its own copy: a passphrase is not kept while the dialog stays open. */
  g_clear_pointer (&self->protection, astra_export_protection_free);
}

static void
on_export_confirmed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(AstraNewTokenDialog) self = user_data;
  AstraExportProtection *protection = astra_export_protect_finish (result, NULL);
  gboolean encrypted;

  if (protection == NULL || self->token == NULL)
    {
      astra_export_protection_free (protection);
      return;
    }

  g_clear_pointer (&self->protection, astra_export_protection_free);
  self->protection = protection;
  encrypted = protection->mode != ASTRA_EXPORT_PROTECTION_PLAIN;
  astra_export_choose_file_async (GTK_WINDOW (self),
                                  encrypted ? _("Export Token With Secret, Encrypted")
                                            : _("Export Token With Secret (Portal Format)"),
                                  astra_export_protection_file_name (protection),
                                  self->cancellable,
                                  on_export_file_chosen_cb,
                                  g_object_ref (self));
}

static gboolean
close_confirmed_cb (gpointer user_data)
{
  AstraNewTokenDialog *self = user_data;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
on_close_confirm_response_cb (AdwMessageDialog    *dialog,
                              const char          *response,
                              AstraNewTokenDialog *self)
{
  if (g_strcmp0 (response, "close") != 0)
    return;

  /* Closed once the question itself is gone: it is transient for this window, and GTK 4.8
   * does not cope with a transient parent finalized under it. */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_confirmed_cb, g_object_ref (self), g_object_unref);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (widget);
  const char *which = g_variant_get_string (parameter, NULL);
  g_autofree char *message = NULL;
  const char *value;
  const char *what;
  gboolean is_secret = TRUE;

  if (self->token == NULL)
    return;

  if (g_str_equal (which, "client-id"))
    {
      value = astra_generated_token_get_client_id (self->token);
      what = _("Client ID");
      is_secret = FALSE;
    }
  else if (g_str_equal (which, "client-secret"))
    {
      if (!has_client_secret (self))
        {
          astra_new_token_dialog_add_toast (self, _("This token’s client secret is not on this "
                                                    "computer"));
          return;
        }
      value = astra_generated_token_get_secret (self->token);
      what = _("Client secret");
    }
  else if (g_str_equal (which, "token"))
    {
      value = astra_generated_token_get_token (self->token);
      what = _("Token");
    }
  else
    g_return_if_reached ();

  astra_clipboard_copy (widget, value, is_secret);
  message = format_copied_message (what, is_secret);
  astra_new_token_dialog_add_toast (self, message);
}

static void
copy_reference_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (widget);
  g_autofree char *reference = NULL;

  if (self->token == NULL || !can_reference (self))
    return;

  /* Not a secret: no clearing, and the toast may say so plainly. */
  reference = dup_reference (self, ASTRA_REFERENCE_FIELD_TOKEN);
  astra_clipboard_copy (widget, reference, FALSE);
  astra_new_token_dialog_add_toast (self, _("Reference copied"));
}

static void
copy_environment_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (widget);
  g_autofree char *message = NULL;
  gboolean references;
  GString *snippet;

  if (self->token == NULL)
    return;

  references = can_reference (self) &&
               adw_combo_row_get_selected (self->env_kind_row) == SNIPPET_REFERENCES;
  snippet = g_string_new (NULL);
  if (references)
    {
      g_autofree char *token = dup_reference (self, ASTRA_REFERENCE_FIELD_TOKEN);
      g_autofree char *secret = dup_reference (self, ASTRA_REFERENCE_FIELD_CLIENT_SECRET);

      /* The client id is no secret: as itself, so that programs can show it. */
      append_env_line (snippet, "ASTRA_DB_APPLICATION_TOKEN", token);
      append_env_line (snippet, "ASTRA_DB_CLIENT_ID",
                       astra_generated_token_get_client_id (self->token));
      append_env_line (snippet, "ASTRA_DB_CLIENT_SECRET", secret);
    }
  else
    {
      append_env_line (snippet, "ASTRA_DB_APPLICATION_TOKEN",
                       astra_generated_token_get_token (self->token));
      append_env_line (snippet, "ASTRA_DB_CLIENT_ID",
                       astra_generated_token_get_client_id (self->token));
      append_env_line (snippet, "ASTRA_DB_CLIENT_SECRET",
                       astra_generated_token_get_secret (self->token));
    }
  astra_clipboard_copy (widget, snippet->str, !references);
  wipe_string (snippet);

  message = format_copied_message (_("Environment snippet"), !references);
  astra_new_token_dialog_add_toast (self, message);
}

static void
retry_save_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (widget);

  if (self->token == NULL || self->keyring_state == KEYRING_SAVING ||
      self->keyring_state == KEYRING_SAVED)
    return;

  self->keyring_state = KEYRING_SAVING;
  update_keyring_row (self, NULL);
  /* Not cancelled when the dialog closes: a secret on its way into the keyring should
   * arrive there. */
  astra_secret_store_save_generated_async (self->store, self->connection, self->token, NULL,
                                           on_save_generated_cb, g_object_ref (self));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (widget);

  if (self->token == NULL)
    return;

  astra_export_protect_async (GTK_WINDOW (self), 1, self->cancellable,
                              on_export_confirmed_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWindow vfuncs                                                                           */

static gboolean
astra_new_token_dialog_close_request (GtkWindow *window)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (window);

  if (self->token != NULL && !is_secured (self) && !self->close_confirmed)
    {
      AdwMessageDialog *dialog;

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
          window,
          _("Close Without Keeping the Secret?"),
          _("The API never shows this secret again. It is neither in the keyring nor "
            "exported; once this window is closed, the client secret and the token are "
            "lost. The token itself stays valid until it is revoked.")));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Keep Open"),
                                        "close", _("_Close and Lose the Secret"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "close", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (dialog, "cancel");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_signal_connect_object (dialog, "response",
                               G_CALLBACK (on_close_confirm_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  /* The dialog keeps the token only while it is open. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->token);
  update_values (self);

  return GTK_WINDOW_CLASS (astra_new_token_dialog_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject vfuncs                                                                             */

static void
astra_new_token_dialog_dispose (GObject *object)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->token);
  g_clear_object (&self->store);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->protection, astra_export_protection_free);

  G_OBJECT_CLASS (astra_new_token_dialog_parent_class)->dispose (object);
}

static void
astra_new_token_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SECURED:
      g_value_set_boolean (value, is_secured (self));
      break;
    case PROP_REVEAL_CLIENT_ID:
      g_value_set_boolean (value, self->reveal_client_id);
      break;
    case PROP_REVEAL_CLIENT_SECRET:
      g_value_set_boolean (value, self->reveal_client_secret);
      break;
    case PROP_REVEAL_TOKEN:
      g_value_set_boolean (value, self->reveal_token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_new_token_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AstraNewTokenDialog *self = ASTRA_NEW_TOKEN_DIALOG (object);
  gboolean reveal = g_value_get_boolean (value);

  switch (prop_id)
    {
    case PROP_REVEAL_CLIENT_ID:
      if (self->reveal_client_id == reveal)
        return;
      self->reveal_client_id = reveal;
      break;
    case PROP_REVEAL_CLIENT_SECRET:
      if (self->reveal_client_secret == reveal)
        return;
      self->reveal_client_secret = reveal;
      break;
    case PROP_REVEAL_TOKEN:
      if (self->reveal_token == reveal)
        return;
      self->reveal_token = reveal;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  update_values (self);
  g_object_notify_by_pspec (object, pspec);
}

static void
astra_new_token_dialog_class_init (AstraNewTokenDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = astra_new_token_dialog_dispose;
  object_class->get_property = astra_new_token_dialog_get_property;
  object_class->set_property = astra_new_token_dialog_set_property;
  window_class->close_request = astra_new_token_dialog_close_request;

  properties[PROP_SECURED] =
    g_param_spec_boolean ("secured", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEAL_CLIENT_ID] =
    g_param_spec_boolean ("reveal-client-id", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEAL_CLIENT_SECRET] =
    g_param_spec_boolean ("reveal-client-secret", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEAL_TOKEN] =
    g_param_spec_boolean ("reveal-token", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SECURED] = g_signal_new ("secured",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/astra-new-token-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, client_id_reveal);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, client_secret_reveal);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, token_reveal);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, keyring_icon);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, keyring_stack);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, keyring_spinner);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, reference_row);
  gtk_widget_class_bind_template_child (widget_class, AstraNewTokenDialog, env_kind_row);

  gtk_widget_class_install_action (widget_class, "dialog.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "dialog.copy-environment", NULL,
                                   copy_environment_action);
  gtk_widget_class_install_action (widget_class, "dialog.copy-reference", NULL,
                                   copy_reference_action);
  gtk_widget_class_install_action (widget_class, "dialog.retry-save", NULL, retry_save_action);
  gtk_widget_class_install_action (widget_class, "dialog.export", NULL, export_action);
  gtk_widget_class_install_property_action (widget_class, "dialog.reveal-client-id",
                                            "reveal-client-id");
  gtk_widget_class_install_property_action (widget_class, "dialog.reveal-client-secret",
                                            "reveal-client-secret");
  gtk_widget_class_install_property_action (widget_class, "dialog.reveal-token",
                                            "reveal-token");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
astra_new_token_dialog_init (AstraNewTokenDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  /* Values until the keyring holds the token (update_reference_rows()). */
  adw_combo_row_set_selected (self->env_kind_row, SNIPPET_VALUES);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraNewTokenDialog *
astra_new_token_dialog_new (GtkWindow           *parent,
                            AstraSecretStore    *store,
                            AstraConnection     *connection,
                            AstraGeneratedToken *token,
                            gboolean             save_to_keyring)
{
  AstraNewTokenDialog *self;
  gboolean reveal;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (store), NULL);
  g_return_val_if_fail (ASTRA_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (token), NULL);

  /* Part of the application, so that closing the main window neither quits the app nor
   * takes this dialog, and the secret, with it. */
  self = g_object_new (ASTRA_TYPE_NEW_TOKEN_DIALOG,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->store = g_object_ref (store);
  self->connection = g_object_ref (connection);
  self->token = g_object_ref (token);

  /* Through the properties, so that the reveal toggles show the state too. */
  reveal = !get_mask_setting ();
  update_values (self);
  g_object_set (self,
                "reveal-client-id", reveal,
                "reveal-client-secret", reveal,
                "reveal-token", reveal,
                NULL);
  update_title (self);

  self->keyring_state = KEYRING_OFF;
  update_keyring_row (self, NULL);
  if (save_to_keyring)
    gtk_widget_activate_action (GTK_WIDGET (self), "dialog.retry-save", NULL);

  return self;
}

gboolean
astra_new_token_dialog_is_secured (AstraNewTokenDialog *self)
{
  g_return_val_if_fail (ASTRA_IS_NEW_TOKEN_DIALOG (self), FALSE);

  return is_secured (self);
}

AstraGeneratedToken *
astra_new_token_dialog_get_token (AstraNewTokenDialog *self)
{
  g_return_val_if_fail (ASTRA_IS_NEW_TOKEN_DIALOG (self), NULL);

  return self->token;
}

void
astra_new_token_dialog_add_toast (AstraNewTokenDialog *self,
                                  const char          *message)
{
  g_return_if_fail (ASTRA_IS_NEW_TOKEN_DIALOG (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, astra_toast_new (message));
}

void
astra_new_token_dialog_export_to_file_async (AstraNewTokenDialog *self,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GListStore) tokens = NULL;
  g_autoptr(GBytes) contents = NULL;

  g_return_if_fail (ASTRA_IS_NEW_TOKEN_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_new_token_dialog_export_to_file_async);

  if (self->token == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The dialog was closed");
      return;
    }

  tokens = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_list_store_append (tokens, self->token);
  contents = astra_csv_format_portal (G_LIST_MODEL (tokens));
  astra_export_write_protected_async (file, contents, self->protection, cancellable,
                                      on_export_written_cb, g_steal_pointer (&task));
}

gboolean
astra_new_token_dialog_export_to_file_finish (AstraNewTokenDialog  *self,
                                              GAsyncResult         *result,
                                              GError              **error)
{
  g_return_val_if_fail (ASTRA_IS_NEW_TOKEN_DIALOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

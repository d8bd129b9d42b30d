/* astra-window-actions.c
 *
 * The window's win.* actions and shortcuts: adding organizations (connect, Astra CLI
 * import, portal CSV import, demo), renaming and forgetting them, and forwarding
 * Generate/Refresh/Search to the visible page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-window"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-connect-dialog.h"
#include "astra-csv.h"
#include "astra-findings-page.h"
#include "astra-generated-token.h"
#include "astra-pgp.h"
#include "astra-rc-import-dialog.h"
#include "astra-role.h"
#include "astra-token-import.h"
#include "astra-token.h"
#include "astra-window-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
tokens_visible (AstraWindow *self)
{
  return self->view_stack != NULL &&
         g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "tokens") == 0;
}

static AstraConnection *
connection_for_param (AstraWindow *self,
                      GVariant    *param)
{
  return astra_context_find_connection (self->context, g_variant_get_string (param, NULL));
}

static void
show_error_dialog (AstraWindow *self,
                   const char  *heading,
                   const char  *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------------ */
/* Adding organizations                                                                       */

static void
on_connected_cb (AstraWindow     *self,
                 AstraConnection *connection)
{
  g_autofree char *message = g_strdup_printf (_("Connected to %s"),
                                              astra_connection_get_display_name (connection));

  astra_window_select_org (self, astra_connection_get_org_id (connection));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  /* A replaced token: the pages must ask again with the new one. */
  astra_tokens_page_refresh (self->tokens_page);
  if (self->roles_page != NULL)
    astra_roles_page_refresh (self->roles_page);
  astra_window_add_toast (self, message);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  astra_window_show_connect (ASTRA_WINDOW (widget), NULL);
}

static void
replace_token_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);

  astra_window_show_connect (self, connection_for_param (self, param));
}

static void
on_imported_cb (AstraWindow *self,
                guint        n_imported)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u organization",
                                          "Imported %u organizations", n_imported), n_imported);
  astra_window_add_toast (self, message);
}

static void
import_rc_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);
  AstraRcImportDialog *dialog = astra_rc_import_dialog_new (GTK_WINDOW (self), self->context);

  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_imported_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
explore_demo_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  AstraConnection *demo = astra_context_start_demo (self->context, &error);

  if (demo == NULL)
    {
      show_error_dialog (self, _("Could Not Start the Demo"), error->message);
      return;
    }

  astra_window_select_org (self, astra_connection_get_org_id (demo));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);

  astra_context_load_async (self->context, self->cancellable, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Importing GeneratedToken.csv                                                               */

/* The file is read (and decrypted, for a .gpg or .asc file: gpg-agent asks for the
 * passphrase with its own dialog, and the plaintext stays in memory), parsed, then handed
 * to the core import (astra-token-import.h), which checks the tokens against the
 * organizations' token lists and stores those they list. */

typedef struct
{
  AstraWindow      *window;
  AstraConnection  *connection;  /* the organization the file is imported into */
  GFile            *file;
  gboolean          encrypted;   /* an OpenPGP file: nothing in it is plain text */
  GListModel       *tokens;      /* AstraGeneratedToken, as read from the file */
  AstraTokenImport *result;
} CsvImport;

static void
csv_import_free (CsvImport *import)
{
  g_clear_object (&import->window);
  g_clear_object (&import->connection);
  g_clear_object (&import->file);
  g_clear_object (&import->tokens);
  g_clear_pointer (&import->result, astra_token_import_free);
  g_free (import);
}

static void
on_csv_deleted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AstraWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_dialog (self, _("Could Not Delete the File"), error->message);
      return;
    }

  astra_window_add_toast (self, _("Plain-text file deleted"));
}

static void
on_delete_csv_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           gpointer          user_data)
{
  CsvImport *import = user_data;

  if (g_strcmp0 (response, "delete") == 0)
    g_file_delete_async (import->file, G_PRIORITY_DEFAULT, import->window->cancellable,
                         on_csv_deleted_cb, g_object_ref (import->window));
}

/* "N tokens of ORG are now in your keyring, …" for the organization imported into, and one
 * sentence for each other organization that held some; NULL when none was stored. */
static char *
describe_saved (CsvImport *import)
{
  g_autoptr(GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);
  AstraTokenImport *result = import->result;
  guint n;

  if (result->saved->len == 0)
    return NULL;

  n = astra_token_import_count_saved_in (result, import->connection);
  if (n > 0)
    g_ptr_array_add (sentences,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u token of %s is now in your keyring, with "
                                                   "its roles, description and date from the "
                                                   "organization.",
                                                   "%u tokens of %s are now in your keyring, "
                                                   "with their roles, description and date "
                                                   "from the organization.",
                                                   n),
                                      n, astra_connection_get_display_name (import->connection)));

  for (guint i = 1; i < result->orgs->len; i++)
    {
      AstraConnection *other = g_ptr_array_index (result->orgs, i);

      n = astra_token_import_count_saved_in (result, other);
      if (n == 0)
        continue;
      g_ptr_array_add (sentences,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u token belongs to %s, another connected "
                                                     "organization: it is now in your keyring "
                                                     "under %s, with its roles.",
                                                     "%u tokens belong to %s, another connected "
                                                     "organization: they are now in your keyring "
                                                     "under %s, with their roles.",
                                                     n),
                                        n, astra_connection_get_display_name (other),
                                        astra_connection_get_display_name (other)));
    }

  g_ptr_array_add (sentences, NULL);
  return g_strjoinv (" ", (char **) sentences->pdata);
}

/* "M tokens are not in ORG: IDS. …", or NULL when every token was found. */
static char *
describe_unknown (CsvImport *import)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *client_ids = NULL;
  GPtrArray *unknown = import->result->unknown;
  guint n = unknown->len;

  if (n == 0)
    return NULL;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ids, (char *) astra_generated_token_get_client_id (g_ptr_array_index (unknown, i)));
  g_ptr_array_add (ids, NULL);
  /* Client ids are not secret; the tokens and secrets never appear in a message. */
  client_ids = g_strjoinv (", ", (char **) ids->pdata);

  if (import->result->orgs->len > 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u token is in none of your connected organizations "
                                         "and was not stored: it is revoked or belongs to "
                                         "another organization. Client ID: %s.",
                                         "%u tokens are in none of your connected organizations "
                                         "and were not stored: they are revoked or belong to "
                                         "another organization. Client IDs: %s.",
                                         n),
                            n, client_ids);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u token is not in %s and was not stored: it is "
                                       "revoked or belongs to another organization. "
                                       "Client ID: %s.",
                                       "%u tokens are not in %s and were not stored: they are "
                                       "revoked or belong to another organization. "
                                       "Client IDs: %s.",
                                       n),
                          n, astra_connection_get_display_name (import->connection),
                          client_ids);
}

/* What to say of the file itself: an encrypted one may stay; a plain-text one whose
 * tokens are all in the keyring should go. NULL when there is nothing to say. */
static char *
describe_file (CsvImport  *import,
               gboolean    all_stored,
               const char **heading)
{
  g_autofree char *name = g_file_get_basename (import->file);
  guint n_saved = import->result->saved->len;

  if (import->encrypted)
    {
      *heading = all_stored ? _("Tokens Imported")
                            : (n_saved > 0 ? _("Some Tokens Were Not Imported")
                                           : _("No Tokens Imported"));
      return NULL;
    }

  if (all_stored)
    {
      /* Everything the file holds is in the keyring: the file can go. */
      *heading = _("Delete the Plain-Text File?");
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "“%s” still holds its secret unencrypted; "
                                           "delete it unless you need it.",
                                           "“%s” still holds their secrets unencrypted; "
                                           "delete it unless you need it.",
                                           n_saved),
                              name);
    }

  /* The file is the only copy of the secrets not stored: never offer to delete it. */
  *heading = n_saved > 0 ? _("Some Tokens Were Not Imported") : _("No Tokens Imported");
  return g_strdup_printf (_("“%s” was kept; it still holds the secrets unencrypted."), name);
}

static void
csv_import_done (CsvImport *import)
{
  g_autofree char *saved = describe_saved (import);
  g_autofree char *unknown = describe_unknown (import);
  g_autofree char *file_note = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *heading = NULL;
  gboolean offer_delete;
  GtkWidget *dialog;

  if (import->window->tokens_page != NULL)
    astra_tokens_page_refresh (import->window->tokens_page);

  file_note = describe_file (import, unknown == NULL, &heading);
  offer_delete = unknown == NULL && !import->encrypted;

  /* What was stored, what was not, then what to do with the file. */
  if (saved != NULL)
    g_ptr_array_add (parts, saved);
  if (unknown != NULL)
    g_ptr_array_add (parts, unknown);
  if (file_note != NULL)
    g_ptr_array_add (parts, file_note);
  g_ptr_array_add (parts, NULL);
  body = g_strjoinv ("\n\n", (char **) parts->pdata);
  dialog = adw_message_dialog_new (GTK_WINDOW (import->window), heading, body);

  if (offer_delete)
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "keep", _("_Keep File"),
                                        "delete", _("_Delete File"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      /* Deleting must be a deliberate click: Escape and closing keep the file. */
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
    }
  else
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
    }

  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_csv_response_cb),
                         import, (GClosureNotify) (void (*) (void)) csv_import_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_csv_imported_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CsvImport *import = user_data;
  g_autoptr(GError) error = NULL;

  import->result = astra_token_import_finish (result, &error);
  if (import->result != NULL)
    {
      csv_import_done (import);
      return;
    }

  if (g_error_matches (error, ASTRA_TOKEN_IMPORT_ERROR, ASTRA_TOKEN_IMPORT_ERROR_CHECK_FAILED))
    {
      /* Nothing has been stored when the check fails, and nothing will be. */
      g_autofree char *body = g_strdup_printf (_("Only tokens that %s lists are stored, and its "
                                                 "list could not be read, so nothing was "
                                                 "imported. %s"),
                                               astra_connection_get_display_name (import->connection),
                                               error->message);
      show_error_dialog (import->window, _("Could Not Check the Tokens"), body);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Nothing is lost: the file stays where it is. */
      show_error_dialog (import->window, _("Could Not Save to the Keyring"), error->message);
    }

  csv_import_free (import);
}

/* Starts checking the file's tokens: the organization imported into first. */
static void
csv_import_check (CsvImport *import)
{
  AstraContext *context = import->window->context;

  astra_token_import_async (astra_context_get_secret_store (context),
                            ASTRA_CLIENT_SOURCE (context),
                            import->tokens,
                            import->connection,
                            astra_context_get_connections (context),
                            import->window->cancellable,
                            on_csv_imported_cb, import);
}

/* The dialog connected the file's organization: import the file into it. @pending is the
 * dialog's, freed with it; the import goes on with its own copy. */
static void
on_csv_org_connected_cb (AstraConnectDialog *dialog,
                         AstraConnection    *connection,
                         CsvImport          *pending)
{
  CsvImport *import = g_new0 (CsvImport, 1);

  import->window = g_object_ref (pending->window);
  import->connection = g_object_ref (connection);
  import->file = g_object_ref (pending->file);
  import->encrypted = pending->encrypted;
  import->tokens = g_object_ref (pending->tokens);
  csv_import_check (import);
}

/* Nothing is connected: offer to connect the organization with one of the file's tokens.
 * Cancelling stores nothing. */
static void
csv_import_connect (CsvImport *import)
{
  g_autofree char *name = g_file_get_basename (import->file);
  AstraConnectDialog *dialog;

  dialog = astra_connect_dialog_new_for_tokens (GTK_WINDOW (import->window),
                                                import->window->context, import->tokens, name);
  g_signal_connect_object (dialog, "connected", G_CALLBACK (on_connected_cb), import->window,
                           G_CONNECT_SWAPPED);
  g_signal_connect_data (dialog, "connected", G_CALLBACK (on_csv_org_connected_cb), import,
                         (GClosureNotify) (void (*) (void)) csv_import_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
csv_import_parse (CsvImport  *import,
                  const char *contents,
                  gsize       length)
{
  g_autoptr(GError) error = NULL;

  import->tokens = astra_csv_parse_portal (contents, length, &error);
  if (import->tokens == NULL)
    {
      /* The parser's message names the line number. */
      show_error_dialog (import->window, _("Not a GeneratedToken.csv File"), error->message);
      csv_import_free (import);
      return;
    }

  if (import->connection == NULL)
    {
      csv_import_connect (import);
      return;
    }

  csv_import_check (import);
}

static void
on_csv_decrypted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CsvImport *import = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plaintext = NULL;

  plaintext = astra_pgp_decrypt_finish (result, &error);
  if (plaintext == NULL)
    {
      /* Cancelling the passphrase dialog is a choice, not a failure: nothing to say. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_CANCELLED))
        show_error_dialog (import->window, _("Could Not Decrypt the File"), error->message);
      csv_import_free (import);
      return;
    }

  csv_import_parse (import, g_bytes_get_data (plaintext, NULL), g_bytes_get_size (plaintext));
}

static void
on_csv_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CsvImport *import = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ciphertext = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_dialog (import->window, _("Could Not Read the File"), error->message);
      csv_import_free (import);
      return;
    }

  if (astra_pgp_is_encrypted ((const guint8 *) contents, length))
    {
      import->encrypted = TRUE;
      ciphertext = g_bytes_new_take (contents, length);
      astra_pgp_decrypt_async (ciphertext, NULL, import->window->cancellable,
                               on_csv_decrypted_cb, import);
      return;
    }

  csv_import_parse (import, contents, length);
  /* The file holds secrets: do not leave a copy lying around in freed memory. */
  astra_secret_free (contents);
}

static void
on_csv_chooser_response_cb (GtkNativeDialog *chooser,
                            int              response,
                            gpointer         user_data)
{
  CsvImport *import = user_data;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      csv_import_free (import);
      g_object_unref (chooser);
      return;
    }

  import->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  g_file_load_contents_async (import->file, import->window->cancellable, on_csv_loaded_cb, import);
}

static void
import_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *title = NULL;
  GtkFileChooserNative *chooser;
  CsvImport *import;

  /* With nothing connected, the file's own tokens may connect its organization. */
  if (self->connection != NULL)
    title = g_strdup_printf (_("Import Tokens into %s"),
                             astra_connection_get_display_name (self->connection));
  else
    title = g_strdup (_("Import GeneratedToken.csv"));
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  /* A teammate's file may come encrypted: GeneratedToken.csv.gpg or .asc. */
  gtk_file_filter_set_name (filter, _("CSV Files, Plain or Encrypted"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.gpg");
  gtk_file_filter_add_pattern (filter, "*.asc");
  gtk_file_filter_add_mime_type (filter, "application/pgp-encrypted");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  import = g_new0 (CsvImport, 1);
  import->window = g_object_ref (self);
  g_set_object (&import->connection, self->connection);
  g_signal_connect (chooser, "response", G_CALLBACK (on_csv_chooser_response_cb), import);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------------------------ */
/* Renaming and forgetting                                                                    */

static void
on_renamed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AstraWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_context_rename_finish (ASTRA_CONTEXT (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error_dialog (self, _("Could Not Rename the Organization"), error->message);
}

static void
on_rename_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       AstraWindow      *self)
{
  AstraConnection *connection = g_object_get_data (G_OBJECT (dialog), "connection");
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_strcmp0 (response, "rename") != 0)
    return;

  astra_context_rename_async (self->context, connection, gtk_editable_get_text (entry),
                              self->cancellable, on_renamed_cb, g_object_ref (self));
}

static void
rename_org_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);
  AstraConnection *connection = connection_for_param (self, param);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (connection == NULL)
    return;

  body = g_strdup_printf (_("The name shown for “%s” on this computer. Leave it empty to use the "
                            "organization’s own name."),
                          astra_connection_get_org_name (connection));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Rename Organization"), body);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), astra_connection_get_display_name (connection));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "connection", g_object_ref (connection),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_forgotten_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AstraWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_context_forget_finish (ASTRA_CONTEXT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_dialog (self, _("Could Not Forget the Organization"), error->message);
      return;
    }

  astra_window_add_toast (self, _("Organization forgotten"));
}

static void
on_forget_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       AstraWindow      *self)
{
  AstraConnection *connection = g_object_get_data (G_OBJECT (dialog), "connection");

  if (g_strcmp0 (response, "forget") != 0)
    return;

  astra_context_forget_async (self->context, connection, self->cancellable,
                              on_forgotten_cb, g_object_ref (self));
}

static void
forget_org_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);
  AstraConnection *connection = connection_for_param (self, param);
  g_autofree char *heading = NULL;
  const char *body;
  GtkWidget *dialog;

  if (connection == NULL)
    return;

  heading = g_strdup_printf (_("Forget %s?"), astra_connection_get_display_name (connection));
  if (astra_context_is_session_only (self->context, connection))
    body = _("This organization is only shown for this session; nothing about it is stored.");
  else
    body = _("Its management token will be removed from the keyring. Tokens you generated "
             "stay valid, and their secrets stay in the keyring.");

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "forget", _("_Forget"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "forget",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "connection", g_object_ref (connection),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_forget_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------------ */
/* Page actions                                                                               */

static void
generate_token_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);

  if (self->view_stack == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "tokens");
  gtk_widget_activate_action (GTK_WIDGET (self->tokens_page), "tokens.generate", NULL);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);

  if (self->view_stack == NULL)
    return;

  if (tokens_visible (self))
    astra_tokens_page_refresh (self->tokens_page);
  else if (self->roles_page != NULL)
    astra_roles_page_refresh (self->roles_page);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);

  if (self->view_stack == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "tokens");
  astra_tokens_page_focus_search (self->tokens_page);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);

  if (self->leaflet != NULL)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The Plain-Text Tokens page is built the first time it is shown, and kept: a scan's
 * findings stay while the user looks at an organization and comes back. */
static void
show_findings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);
  const char *current = gtk_stack_get_visible_child_name (self->main_stack);

  if (self->findings_page == NULL)
    {
      self->findings_page = astra_findings_page_new (self->context);
      gtk_stack_add_named (self->main_stack, self->findings_page, "findings");
    }

  if (g_strcmp0 (current, "findings") != 0)
    {
      g_free (self->before_findings);
      self->before_findings = g_strdup (current);
    }
  gtk_stack_set_visible_child_name (self->main_stack, "findings");
  if (param != NULL && g_variant_get_boolean (param))
    astra_findings_page_scan (ASTRA_FINDINGS_PAGE (self->findings_page));
}

static void
close_findings_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AstraWindow *self = ASTRA_WINDOW (widget);

  /* What the window showed before (or would have shown since, show_main_page ()), then
   * whatever the window's state calls for now. */
  if (self->before_findings != NULL &&
      gtk_stack_get_child_by_name (self->main_stack, self->before_findings) != NULL)
    gtk_stack_set_visible_child_name (self->main_stack, self->before_findings);
  else
    gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  astra_window_update_main_stack (self);
}

/* GtkApplication would build the shortcuts window (a few ms of CPU) with every window, for a
 * resource at gtk/help-overlay.ui; it lives elsewhere and is built when first asked for.
 * gtk_application_window_set_help_overlay() then replaces this action with GTK's own. */
static void
show_help_overlay_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "/ui/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

/* ------------------------------------------------------------------------------------------ */
/* Internal API                                                                               */

void
astra_window_actions_init (AstraWindow *self)
{
  static const GActionEntry entries[] = {
    { "show-help-overlay", show_help_overlay_activated },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
}

void
astra_window_update_actions (AstraWindow *self)
{
  gboolean has_org = self->connection != NULL;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.generate-token", has_org);
  gtk_widget_action_set_enabled (widget, "win.refresh", has_org);
  gtk_widget_action_set_enabled (widget, "win.search", has_org);
}

void
astra_window_class_actions_init (AstraWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.replace-token", "s", replace_token_action);
  gtk_widget_class_install_action (widget_class, "win.import-rc", NULL, import_rc_action);
  gtk_widget_class_install_action (widget_class, "win.import-csv", NULL, import_csv_action);
  gtk_widget_class_install_action (widget_class, "win.explore-demo", NULL, explore_demo_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.rename-org", "s", rename_org_action);
  gtk_widget_class_install_action (widget_class, "win.forget-org", "s", forget_org_action);
  gtk_widget_class_install_action (widget_class, "win.generate-token", NULL, generate_token_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-findings", "b", show_findings_action);
  gtk_widget_class_install_action (widget_class, "win.close-findings", NULL, close_findings_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.generate-token", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

GtkWindow *
astra_window_show_connect (AstraWindow     *self,
                           AstraConnection *connection)
{
  AstraConnectDialog *dialog;

  g_return_val_if_fail (ASTRA_IS_WINDOW (self), NULL);

  dialog = astra_connect_dialog_new (GTK_WINDOW (self), self->context, connection);
  g_signal_connect_object (dialog, "connected", G_CALLBACK (on_connected_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}

void
astra_window_import_csv_file (AstraWindow *self,
                              GFile       *file)
{
  CsvImport *import;

  g_return_if_fail (ASTRA_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  import = g_new0 (CsvImport, 1);
  import->window = g_object_ref (self);
  g_set_object (&import->connection, self->connection);
  import->file = g_object_ref (file);
  g_file_load_contents_async (import->file, self->cancellable, on_csv_loaded_cb, import);
}

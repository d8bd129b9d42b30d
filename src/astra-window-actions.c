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
#include "astra-rc-import-dialog.h"
#include "astra-role.h"
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

/* A portal CSV is checked against the organization's token list before anything is
 * stored: a token the organization does not list is revoked or belongs to another
 * organization, and storing it would only put a useless secret in the keyring. Those that
 * it lists are stored with the organization's roles, description and dates. Tokens it
 * does not list are looked for in the other connected organizations, and stored there
 * when found; the rest are named, never stored. */

typedef struct
{
  AstraWindow     *window;
  AstraConnection *connection;  /* the organization the file is imported into */
  GFile           *file;
  GListModel      *tokens;      /* AstraGeneratedToken, as read from the file */
  GPtrArray       *orgs;        /* AstraConnection to check: @connection, then the others */
  guint            org;         /* the one being checked */
  AstraClient     *client;      /* its client */
  GListModel      *listed;      /* AstraToken, its token list */
  GPtrArray       *remaining;   /* AstraGeneratedToken no organization checked so far lists */
  GPtrArray       *known;       /* AstraGeneratedToken to store… */
  GPtrArray       *known_orgs;  /* …each under this AstraConnection */
  guint            next;
  guint            saved;
} CsvImport;

static void
csv_import_free (CsvImport *import)
{
  g_clear_object (&import->window);
  g_clear_object (&import->connection);
  g_clear_object (&import->file);
  g_clear_object (&import->tokens);
  g_clear_pointer (&import->orgs, g_ptr_array_unref);
  g_clear_object (&import->client);
  g_clear_object (&import->listed);
  g_clear_pointer (&import->remaining, g_ptr_array_unref);
  g_clear_pointer (&import->known, g_ptr_array_unref);
  g_clear_pointer (&import->known_orgs, g_ptr_array_unref);
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

static void csv_import_next    (CsvImport *import);
static void csv_import_connect (CsvImport *import);

static guint
count_saved_in (CsvImport       *import,
                AstraConnection *connection)
{
  guint n = 0;

  for (guint i = 0; i < import->known_orgs->len; i++)
    if (g_ptr_array_index (import->known_orgs, i) == connection)
      n++;

  return n;
}

/* "N tokens of ORG are now in your keyring, …" for the organization imported into, and one
 * sentence for each other organization that held some; NULL when none was stored. */
static char *
describe_saved (CsvImport *import)
{
  g_autoptr(GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);
  guint n;

  if (import->saved == 0)
    return NULL;

  n = count_saved_in (import, import->connection);
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

  for (guint i = 1; i < import->orgs->len; i++)
    {
      AstraConnection *other = g_ptr_array_index (import->orgs, i);

      n = count_saved_in (import, other);
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
  guint n = import->remaining->len;

  if (n == 0)
    return NULL;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ids, (char *) astra_generated_token_get_client_id (g_ptr_array_index (import->remaining, i)));
  g_ptr_array_add (ids, NULL);
  /* Client ids are not secret; the tokens and secrets never appear in a message. */
  client_ids = g_strjoinv (", ", (char **) ids->pdata);

  if (import->orgs->len > 1)
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

static void
csv_import_done (CsvImport *import)
{
  g_autofree char *name = g_file_get_basename (import->file);
  g_autofree char *saved = describe_saved (import);
  g_autofree char *unknown = describe_unknown (import);
  g_autofree char *file_note = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *heading;
  GtkWidget *dialog;

  if (import->window->tokens_page != NULL)
    astra_tokens_page_refresh (import->window->tokens_page);

  if (unknown == NULL)
    {
      /* Everything the file holds is in the keyring: the file can go. */
      heading = _("Delete the Plain-Text File?");
      file_note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "“%s” still holds its secret unencrypted; "
                                                "delete it unless you need it.",
                                                "“%s” still holds their secrets unencrypted; "
                                                "delete it unless you need it.",
                                                import->saved),
                                   name);
    }
  else
    {
      /* The file is the only copy of the secrets not stored: never offer to delete it. */
      heading = saved != NULL ? _("Some Tokens Were Not Imported") : _("No Tokens Imported");
      file_note = g_strdup_printf (_("“%s” was kept; it still holds the secrets unencrypted."),
                                   name);
    }

  /* What was stored, what was not, then what to do with the file. */
  if (saved != NULL)
    g_ptr_array_add (parts, saved);
  if (unknown != NULL)
    g_ptr_array_add (parts, unknown);
  g_ptr_array_add (parts, file_note);
  g_ptr_array_add (parts, NULL);
  body = g_strjoinv ("\n\n", (char **) parts->pdata);
  dialog = adw_message_dialog_new (GTK_WINDOW (import->window), heading, body);

  if (unknown == NULL)
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
on_csv_token_saved_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  CsvImport *import = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_secret_store_save_generated_finish (ASTRA_SECRET_STORE (object), result, &error))
    {
      /* Nothing is lost: the file stays where it is. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_dialog (import->window, _("Could Not Save to the Keyring"), error->message);
      csv_import_free (import);
      return;
    }

  import->saved++;
  csv_import_next (import);
}

static void
csv_import_next (CsvImport *import)
{
  AstraSecretStore *store = astra_context_get_secret_store (import->window->context);
  AstraGeneratedToken *token;
  AstraConnection *connection;

  if (import->next >= import->known->len)
    {
      csv_import_done (import);
      return;
    }

  token = g_ptr_array_index (import->known, import->next);
  connection = g_ptr_array_index (import->known_orgs, import->next);
  import->next++;
  astra_generated_token_set_org_id (token, astra_connection_get_org_id (connection));
  astra_secret_store_save_generated_async (store, connection, token,
                                           import->window->cancellable,
                                           on_csv_token_saved_cb, import);
}

/* Nothing has been stored when the check fails, and nothing will be. */
static void
csv_import_check_failed (CsvImport *import,
                         GError    *error)
{
  g_autofree char *body = NULL;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      body = g_strdup_printf (_("Only tokens that %s lists are stored, and its list could not be "
                                "read, so nothing was imported. %s"),
                              astra_connection_get_display_name (import->connection),
                              error->message);
      show_error_dialog (import->window, _("Could Not Check the Tokens"), body);
    }
  csv_import_free (import);
}

static void csv_import_check_org (CsvImport *import);

/* The organization being checked could not tell its tokens. For the one imported into,
 * nothing is stored; another one is only not looked into. */
static void
csv_import_org_failed (CsvImport *import,
                       GError    *error)
{
  if (import->org == 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      csv_import_check_failed (import, error);
      return;
    }

  g_debug ("CSV import: tokens of another organization: %s", error->message);
  import->org++;
  csv_import_check_org (import);
}

static void
on_csv_roles_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  CsvImport *import = user_data;
  AstraConnection *connection = g_ptr_array_index (import->orgs, import->org);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GListStore) remaining = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GPtrArray) matched = NULL;
  guint n;

  roles = astra_client_list_roles_finish (ASTRA_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      csv_import_free (import);
      return;
    }
  /* Without the roles (a token that may list tokens but not roles), a role is named by
   * its id, as the Tokens page does: the token is still the organization's. */
  if (roles == NULL)
    g_debug ("Roles for the CSV import: %s", error->message);

  names = astra_role_names_by_id (roles);
  n = g_list_model_get_n_items (import->listed);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (import->listed, i);

      astra_token_resolve_roles (token, names);
    }

  g_list_store_splice (remaining, 0, 0, import->remaining->pdata, import->remaining->len);
  g_clear_pointer (&import->remaining, g_ptr_array_unref);
  matched = astra_generated_token_match_listed (G_LIST_MODEL (remaining), import->listed,
                                                &import->remaining);
  for (guint i = 0; i < matched->len; i++)
    {
      g_ptr_array_add (import->known, g_object_ref (g_ptr_array_index (matched, i)));
      g_ptr_array_add (import->known_orgs, g_object_ref (connection));
    }

  import->org++;
  csv_import_check_org (import);
}

static void
on_csv_tokens_listed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CsvImport *import = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&import->listed);
  import->listed = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, &error);
  if (import->listed == NULL)
    {
      csv_import_org_failed (import, error);
      return;
    }

  astra_client_list_roles_async (import->client, import->window->cancellable,
                                 on_csv_roles_listed_cb, import);
}

static void
on_csv_client_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CsvImport *import = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&import->client);
  import->client = astra_context_get_client_finish (ASTRA_CONTEXT (object), result, &error);
  if (import->client == NULL)
    {
      csv_import_org_failed (import, error);
      return;
    }

  /* Asked afresh, not from the Tokens page: a token revoked elsewhere a minute ago
   * must not be stored. */
  astra_client_list_tokens_async (import->client, import->window->cancellable,
                                  on_csv_tokens_listed_cb, import);
}

/* Checks the tokens no organization listed so far against the next organization, or
 * stores what was found once every organization was asked (or nothing is left). */
static void
csv_import_check_org (CsvImport *import)
{
  if (import->org >= import->orgs->len || import->remaining->len == 0)
    {
      csv_import_next (import);
      return;
    }

  astra_context_get_client_async (import->window->context,
                                  g_ptr_array_index (import->orgs, import->org),
                                  import->window->cancellable, on_csv_client_cb, import);
}

/* Starts checking the file's tokens: the organization imported into first. */
static void
csv_import_check (CsvImport *import)
{
  GListModel *connections = astra_context_get_connections (import->window->context);
  guint n = g_list_model_get_n_items (import->tokens);

  import->orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (import->orgs, g_object_ref (import->connection));
  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(AstraConnection) other = g_list_model_get_item (connections, i);

      if (g_strcmp0 (astra_connection_get_org_id (other),
                     astra_connection_get_org_id (import->connection)) != 0)
        g_ptr_array_add (import->orgs, g_steal_pointer (&other));
    }

  import->remaining = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (import->remaining, g_list_model_get_item (import->tokens, i));
  import->known = g_ptr_array_new_with_free_func (g_object_unref);
  import->known_orgs = g_ptr_array_new_with_free_func (g_object_unref);

  csv_import_check_org (import);
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
on_csv_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CsvImport *import = user_data;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_dialog (import->window, _("Could Not Read the File"), error->message);
      csv_import_free (import);
      return;
    }

  import->tokens = astra_csv_parse_portal (contents, length, &error);
  /* The file holds secrets: do not leave a copy lying around in freed memory. */
  astra_secret_free (contents);

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
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
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
  else
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

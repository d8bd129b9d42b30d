/* astra-export.c: "Export CSV…" for tokens
 *
 * Looks up the selected tokens' secrets in the keyring, decides between the portal format
 * (secrets, what teammates' scripts read) and the inventory format (no secrets), asks how
 * a file with secrets is protected (AstraEncryptDialog: for people, with a passphrase, or
 * plain text after a warning), asks where to save with a GtkFileChooserNative whose title
 * names the contents, and writes the file off the main thread with the core writers
 * (astra-csv.h, astra-pgp.h: atomic, mode 0600). The outcome is a toast on the parent window.
 *
 * The dialog steps are also exported on their own so the new-token dialog reuses them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-export"

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "astra-csv.h"
#include "astra-export.h"
#include "astra-generated-token.h"
#include "astra-pgp.h"
#include "astra-toast.h"
#include "astra-token.h"

#define INVENTORY_FILE_NAME "astra-token-inventory.csv"

/* Secrets looked up for a selection: found[i] is the stored token for tokens[i] or NULL. */
typedef struct
{
  AstraSecretStore *store;
  char             *org_id;
  GPtrArray        *tokens;     /* AstraToken */
  GPtrArray        *found;      /* AstraGeneratedToken or NULL */
  guint             next;
  guint             n_found;     /* with every secret, client secret included */
  guint             n_secretless;/* held, but kept without a client secret */
  GError           *first_error; /* a failure other than "not found" */
} Lookup;

/* The state of tokens_to_file and of the interactive flow. */
typedef struct
{
  GtkWindow             *parent;
  AstraExportFormat      format;
  AstraExportProtection *protection;  /* for the portal format; NULL: plain */
  GFile                 *file;
  Lookup                *lookup;
  GCancellable          *cancellable;
} Export;

static void lookup_next (GTask *task);

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->store);
  g_clear_pointer (&lookup->org_id, g_free);
  g_clear_pointer (&lookup->tokens, g_ptr_array_unref);
  g_clear_pointer (&lookup->found, g_ptr_array_unref);
  g_clear_error (&lookup->first_error);
  g_free (lookup);
}

static void
export_free (Export *export)
{
  g_clear_object (&export->parent);
  g_clear_object (&export->file);
  g_clear_object (&export->cancellable);
  g_clear_pointer (&export->protection, astra_export_protection_free);
  g_clear_pointer (&export->lookup, lookup_free);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static GPtrArray *
copy_model (GListModel *model)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (model, i));

  return array;
}

static GListModel *
model_from_array (GPtrArray *array,
                  GType      item_type)
{
  GListStore *store = g_list_store_new (item_type);

  for (guint i = 0; i < array->len; i++)
    g_list_store_append (store, g_ptr_array_index (array, i));

  return G_LIST_MODEL (store);
}

/* The Role column uses the names the token list resolved, which are fresher than the
 * names stored with the secret when a role was renamed since. */
static GListModel *
build_portal_model (Lookup *lookup)
{
  GListStore *store = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);

  for (guint i = 0; i < lookup->tokens->len; i++)
    {
      AstraToken *token = g_ptr_array_index (lookup->tokens, i);
      AstraGeneratedToken *generated = g_ptr_array_index (lookup->found, i);
      const char * const *names = astra_token_get_role_names (token);

      if (names != NULL && names[0] != NULL)
        astra_generated_token_set_role_names (generated, names);
      g_list_store_append (store, generated);
    }

  return G_LIST_MODEL (store);
}

static GBytes *
format_contents (Lookup            *lookup,
                 AstraExportFormat  format)
{
  if (format == ASTRA_EXPORT_FORMAT_PORTAL)
    {
      g_autoptr(GListModel) model = build_portal_model (lookup);
      return astra_csv_format_portal (model);
    }
  else
    {
      g_autoptr(GListModel) model = model_from_array (lookup->tokens, ASTRA_TYPE_TOKEN);
      return astra_csv_format_inventory (model);
    }
}

static AdwToastOverlay *
find_toast_overlay (GtkWidget *widget)
{
  if (widget == NULL)
    return NULL;
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *overlay = find_toast_overlay (child);

      if (overlay != NULL)
        return overlay;
    }

  return NULL;
}

static void
report_error (GtkWindow  *parent,
              const char *message)
{
  AdwMessageDialog *dialog;

  if (astra_export_show_toast (parent, message))
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Export Failed"), message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------------ */
/* Looking up the secrets of a selection, one after the other                                 */

static void
on_lookup_generated_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  AstraGeneratedToken *generated;

  generated = astra_secret_store_lookup_generated_finish (ASTRA_SECRET_STORE (object),
                                                          result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      lookup_free (lookup);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A token kept from a file that held it alone has no client secret on this computer: a
   * portal row needs one, and an empty field would look like a secret that is "". */
  if (generated != NULL && (astra_generated_token_get_secret (generated) == NULL ||
                            astra_generated_token_get_secret (generated)[0] == '\0'))
    lookup->n_secretless++;
  else if (generated != NULL)
    lookup->n_found++;
  else if (error != NULL &&
           !g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND) &&
           lookup->first_error == NULL)
    lookup->first_error = g_steal_pointer (&error);

  g_ptr_array_add (lookup->found, generated);
  lookup_next (g_steal_pointer (&task));
}

static void
lookup_next (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);
  AstraToken *token;

  if (lookup->next >= lookup->tokens->len)
    {
      g_task_return_pointer (task, lookup, (GDestroyNotify) lookup_free);
      g_object_unref (task);
      return;
    }

  token = g_ptr_array_index (lookup->tokens, lookup->next++);
  astra_secret_store_lookup_generated_async (lookup->store,
                                             lookup->org_id,
                                             astra_token_get_client_id (token),
                                             g_task_get_cancellable (task),
                                             on_lookup_generated_cb,
                                             task);
}

static void
lookup_secrets_async (AstraSecretStore    *store,
                      AstraConnection     *connection,
                      GListModel          *tokens,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);

  g_task_set_source_tag (task, lookup_secrets_async);
  lookup->store = g_object_ref (store);
  lookup->org_id = g_strdup (astra_connection_get_org_id (connection));
  lookup->tokens = copy_model (tokens);
  lookup->found = g_ptr_array_new_with_free_func (unref_nullable);
  /* Not owned by the task: it is handed to the caller as the result. */
  g_task_set_task_data (task, lookup, NULL);

  lookup_next (task);
}

/* → (transfer full) the Lookup, stolen from the task. */
static Lookup *
lookup_secrets_finish (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Writing in a worker thread                                                                 */

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  GBytes *contents = task_data;
  GError *error = NULL;

  if (astra_csv_write_file (file, contents, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Message dialogs as async calls (libadwaita 1.2 has no adw_message_dialog_choose)            */

static void
on_message_dialog_response_cb (AdwMessageDialog *dialog,
                               const char       *response,
                               gpointer          user_data)
{
  g_autoptr(GTask) task = user_data;

  g_signal_handlers_disconnect_by_data (dialog, task);
  g_task_return_pointer (task, g_strdup (response), g_free);
}

static void
on_message_dialog_cancelled_cb (GCancellable     *cancellable,
                                AdwMessageDialog *dialog)
{
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
run_message_dialog_async (AdwMessageDialog    *dialog,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (dialog, cancellable, callback, user_data);

  g_task_set_source_tag (task, run_message_dialog_async);
  g_signal_connect (dialog, "response", G_CALLBACK (on_message_dialog_response_cb), task);
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (on_message_dialog_cancelled_cb),
                           g_object_ref (dialog), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
run_message_dialog_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static AdwMessageDialog *
create_secrets_warning (GtkWindow *parent,
                        guint      n_secrets)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  body = g_strdup_printf (ngettext ("The file will hold the client secret and the token "
                                    "unencrypted. Anyone who can read it can use the token. "
                                    "Keep it safe and delete it when it is no longer needed.",
                                    "The file will hold the client secrets and tokens of %u "
                                    "tokens unencrypted. Anyone who can read it can use the "
                                    "tokens. Keep it safe and delete it when it is no longer "
                                    "needed.",
                                    n_secrets),
                          n_secrets);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent,
                                                       _("Export Unencrypted Secrets?"),
                                                       body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "export", _("_Export With Secrets"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "export", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  return dialog;
}

/* ------------------------------------------------------------------------------------------ */
/* The file chooser                                                                           */

static gboolean
destroy_native_cb (gpointer user_data)
{
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (user_data));

  return G_SOURCE_REMOVE;
}

static void
on_file_chooser_response_cb (GtkNativeDialog *native,
                             int              response,
                             gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GFile) file = NULL;

  g_signal_handlers_disconnect_by_data (native, task);
  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_debug ("File chooser answered %d%s%s", response, file != NULL ? " with " : "", file != NULL ? g_file_peek_path (file) : "");

  if (file != NULL)
    g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Export cancelled");

  /* Not from inside its own response: GTK 4.8's fallback dialog is still being answered,
   * and destroying it now leaves its surface calling into a freed window. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_native_cb, g_object_ref (native),
                   g_object_unref);
}

/* ------------------------------------------------------------------------------------------ */
/* tokens_to_file                                                                             */

static void
on_to_file_written_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!astra_export_write_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_to_file_looked_up_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Export *export = g_task_get_task_data (task);
  g_autoptr(GBytes) contents = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  export->lookup = lookup_secrets_finish (result, &error);
  if (export->lookup == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (export->format == ASTRA_EXPORT_FORMAT_AUTO)
    export->format = (export->lookup->n_found == export->lookup->tokens->len)
                     ? ASTRA_EXPORT_FORMAT_PORTAL : ASTRA_EXPORT_FORMAT_INVENTORY;

  if (export->format == ASTRA_EXPORT_FORMAT_PORTAL &&
      export->lookup->n_found < export->lookup->tokens->len)
    {
      if (export->lookup->first_error != NULL)
        g_task_return_error (task, g_steal_pointer (&export->lookup->first_error));
      else if (export->lookup->n_secretless > 0)
        g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR,
                                 ASTRA_SECRET_STORE_ERROR_NOT_FOUND,
                                 ngettext ("The client secret of %u token is not on this "
                                           "computer (it was kept from a file without it), and "
                                           "the portal format needs it",
                                           "The client secrets of %u tokens are not on this "
                                           "computer (they were kept from files without them), "
                                           "and the portal format needs them",
                                           export->lookup->n_secretless),
                                 export->lookup->n_secretless);
      else
        g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR,
                                 ASTRA_SECRET_STORE_ERROR_NOT_FOUND,
                                 _("The keyring does not hold the secrets of every token"));
      return;
    }

  contents = format_contents (export->lookup, export->format);
  cancellable = g_task_get_cancellable (task);
  astra_export_write_async (export->file, contents, cancellable,
                            on_to_file_written_cb, g_steal_pointer (&task));
}

/* ------------------------------------------------------------------------------------------ */
/* The interactive flow: look up → decide and warn → choose a file → write → toast            */

static void
finish_flow_written (Export *export)
{
  g_autofree char *name = g_file_get_basename (export->file);
  g_autofree char *message = NULL;
  guint n = export->lookup->tokens->len;

  if (export->protection != NULL && export->protection->mode != ASTRA_EXPORT_PROTECTION_PLAIN)
    message = g_strdup_printf (ngettext ("Exported %u token, encrypted, to “%s”",
                                         "Exported %u tokens, encrypted, to “%s”", n),
                               n, name);
  else if (export->format == ASTRA_EXPORT_FORMAT_PORTAL)
    message = g_strdup_printf (ngettext ("Exported %u token with its secret to “%s”",
                                         "Exported %u tokens with their secrets to “%s”", n),
                               n, name);
  else
    message = g_strdup_printf (ngettext ("Exported an inventory of %u token to “%s”",
                                         "Exported an inventory of %u tokens to “%s”", n),
                               n, name);

  if (!astra_export_show_toast (export->parent, message))
    g_message ("%s", message);
}

static void
on_flow_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_export_write_protected_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not export: %s"), error->message);
      report_error (export->parent, message);
      return;
    }

  finish_flow_written (export);
}

static void
on_flow_file_chosen_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GBytes) contents = NULL;
  GCancellable *cancellable;
  AstraExportProtection *protection;
  GFile *file;

  export->file = astra_export_choose_file_finish (result, NULL);
  if (export->file == NULL)
    return;

  contents = format_contents (export->lookup, export->format);
  /* Read before the call: C leaves the order of its arguments open, and the compiler may
   * steal @export before it reads the others. */
  file = export->file;
  protection = export->protection;
  cancellable = export->cancellable;
  astra_export_write_protected_async (file, contents, protection, cancellable,
                                      on_flow_written_cb, g_steal_pointer (&export));
}

static void
choose_file (Export *export)
{
  const char *title;
  const char *name;

  if (export->format == ASTRA_EXPORT_FORMAT_PORTAL && export->protection != NULL &&
      export->protection->mode != ASTRA_EXPORT_PROTECTION_PLAIN)
    {
      title = _("Export Tokens With Secrets, Encrypted");
      name = astra_export_protection_file_name (export->protection);
    }
  else if (export->format == ASTRA_EXPORT_FORMAT_PORTAL)
    {
      title = _("Export Tokens With Secrets (Portal Format)");
      name = ASTRA_CSV_PORTAL_FILE_NAME;
    }
  else
    {
      title = _("Export Token Inventory (No Secrets)");
      name = INVENTORY_FILE_NAME;
    }

  astra_export_choose_file_async (export->parent, title, name, export->cancellable,
                                  on_flow_file_chosen_cb, export);
}

static void
on_flow_format_chosen_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autofree char *response = run_message_dialog_finish (result, NULL);

  if (g_strcmp0 (response, "export") == 0)
    export->format = ASTRA_EXPORT_FORMAT_PORTAL;
  else if (g_strcmp0 (response, "inventory") == 0)
    export->format = ASTRA_EXPORT_FORMAT_INVENTORY;
  else
    return;

  choose_file (g_steal_pointer (&export));
}

/* Every secret is available, and the user chose a plain file: the unencrypted-file
 * warning, with the inventory offered as the alternative that holds no secrets. */
static void
ask_plain_format (Export *export)
{
  AdwMessageDialog *dialog = create_secrets_warning (export->parent, export->lookup->tokens->len);

  adw_message_dialog_add_response (dialog, "inventory", _("Export _Inventory Only"));
  run_message_dialog_async (dialog, export->cancellable, on_flow_format_chosen_cb, export);
}

static void
on_flow_protection_chosen_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(Export) export = user_data;

  export->protection = astra_encrypt_dialog_choose_finish (result, NULL);
  if (export->protection == NULL)
    return;

  if (export->protection->mode == ASTRA_EXPORT_PROTECTION_PLAIN)
    {
      g_clear_pointer (&export->protection, astra_export_protection_free);
      ask_plain_format (g_steal_pointer (&export));
      return;
    }

  export->format = ASTRA_EXPORT_FORMAT_PORTAL;
  choose_file (g_steal_pointer (&export));
}

static void
ask_format (Export *export)
{
  Lookup *lookup = export->lookup;
  guint n = lookup->tokens->len;
  AdwMessageDialog *dialog;

  if (lookup->n_found == n)
    {
      /* Every secret is available: how to protect them comes first. */
      astra_encrypt_dialog_choose_async (export->parent, n, export->cancellable,
                                         on_flow_protection_chosen_cb, export);
      return;
    }
  else
    {
      g_autofree char *body = NULL;

      body = g_strdup_printf (ngettext ("The keyring holds the secrets of %u of the %u selected "
                                        "tokens, so the file will be an inventory without "
                                        "secrets: client id, description, roles, dates and "
                                        "whether the keyring holds the secret.",
                                        "The keyring holds the secrets of %u of the %u selected "
                                        "tokens, so the file will be an inventory without "
                                        "secrets: client id, description, roles, dates and "
                                        "whether the keyring holds the secret.",
                                        n),
                              lookup->n_found, n);
      if (lookup->n_secretless > 0)
        {
          g_autofree char *secretless = NULL;

          secretless = g_strdup_printf (ngettext ("The client secret of %u of them is not on "
                                                  "this computer: it was kept from a file "
                                                  "without it.",
                                                  "The client secrets of %u of them are not on "
                                                  "this computer: they were kept from files "
                                                  "without them.",
                                                  lookup->n_secretless),
                                        lookup->n_secretless);
          char *joined = g_strdup_printf ("%s\n\n%s", body, secretless);

          g_free (body);
          body = joined;
        }
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (export->parent,
                                                           _("Export an Inventory?"),
                                                           body));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "inventory", _("Export _Inventory"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "inventory", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "inventory");
      adw_message_dialog_set_close_response (dialog, "cancel");
    }

  run_message_dialog_async (dialog, export->cancellable, on_flow_format_chosen_cb, export);
}

static void
on_flow_looked_up_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;

  export->lookup = lookup_secrets_finish (result, &error);
  if (export->lookup == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        report_error (export->parent, error->message);
      return;
    }

  /* Tokens without their client secret are said so in ask_format()'s dialog. */
  if (export->lookup->n_found == 0 && export->lookup->n_secretless == 0)
    {
      /* Nothing to warn about or choose between: the title of the file chooser says that
       * the file is an inventory without secrets. */
      export->format = ASTRA_EXPORT_FORMAT_INVENTORY;
      choose_file (g_steal_pointer (&export));
      return;
    }

  ask_format (g_steal_pointer (&export));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

gboolean
astra_export_show_toast (GtkWindow  *window,
                         const char *message)
{
  AdwToastOverlay *overlay;

  g_return_val_if_fail (message != NULL, FALSE);

  if (window == NULL)
    return FALSE;

  overlay = find_toast_overlay (gtk_window_get_child (window));
  if (overlay == NULL)
    return FALSE;

  adw_toast_overlay_add_toast (overlay, astra_toast_new (message));
  return TRUE;
}

void
astra_export_write_async (GFile               *file,
                          GBytes              *contents,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (contents != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_export_write_async);
  g_task_set_name (task, "astra-export-write");
  g_task_set_task_data (task, g_bytes_ref (contents), (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, write_thread);
}

gboolean
astra_export_write_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_protect_warning_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *response = run_message_dialog_finish (result, &error);
  AstraExportProtection *protection;

  if (g_strcmp0 (response, "export") != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Export cancelled");
      return;
    }

  protection = g_new0 (AstraExportProtection, 1);
  protection->mode = ASTRA_EXPORT_PROTECTION_PLAIN;
  g_task_return_pointer (task, protection, (GDestroyNotify) astra_export_protection_free);
}

static void
on_protect_chosen_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  AstraExportProtection *protection = astra_encrypt_dialog_choose_finish (result, &error);
  guint n_secrets = GPOINTER_TO_UINT (g_task_get_task_data (task));
  GCancellable *cancellable;
  GtkWindow *parent;

  if (protection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (protection->mode != ASTRA_EXPORT_PROTECTION_PLAIN)
    {
      g_task_return_pointer (task, protection, (GDestroyNotify) astra_export_protection_free);
      return;
    }

  astra_export_protection_free (protection);
  parent = g_object_get_data (G_OBJECT (task), "parent");
  cancellable = g_task_get_cancellable (task);
  run_message_dialog_async (create_secrets_warning (parent, n_secrets), cancellable,
                            on_protect_warning_cb, g_steal_pointer (&task));
}

void
astra_export_protect_async (GtkWindow           *parent,
                            guint                n_secrets,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, astra_export_protect_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (n_secrets), NULL);
  if (parent != NULL)
    g_object_set_data_full (G_OBJECT (task), "parent", g_object_ref (parent), g_object_unref);
  astra_encrypt_dialog_choose_async (parent, n_secrets, cancellable, on_protect_chosen_cb, task);
}

AstraExportProtection *
astra_export_protect_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
astra_export_write_protected_async (GFile                       *file,
                                    GBytes                      *contents,
                                    const AstraExportProtection *protection,
                                    GCancellable                *cancellable,
                                    GAsyncReadyCallback          callback,
                                    gpointer                     user_data)
{
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (contents != NULL);

  if (protection == NULL || protection->mode == ASTRA_EXPORT_PROTECTION_PLAIN)
    {
      astra_export_write_async (file, contents, cancellable, callback, user_data);
      return;
    }

  /* The user's own keys are added by the core, so that they can read the file back. */
  astra_pgp_encrypt_to_file_async (contents,
                                   protection->mode == ASTRA_EXPORT_PROTECTION_PEOPLE
                                   ? (const char * const *) protection->recipients : NULL,
                                   protection->mode == ASTRA_EXPORT_PROTECTION_PASSPHRASE
                                   ? protection->passphrase : NULL,
                                   protection->armor, file, cancellable, callback, user_data);
}

gboolean
astra_export_write_protected_finish (GAsyncResult  *result,
                                     GError       **error)
{
  /* Both writers are GTasks that return a boolean. */
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
astra_export_choose_file_async (GtkWindow           *parent,
                                const char          *title,
                                const char          *file_name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GTask *task;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_export_choose_file_async);

  native = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), file_name);

  if (g_str_has_suffix (file_name, ASTRA_PGP_BINARY_SUFFIX) ||
      g_str_has_suffix (file_name, ASTRA_PGP_ARMOR_SUFFIX))
    {
      gtk_file_filter_set_name (csv, _("Encrypted Files (OpenPGP)"));
      gtk_file_filter_add_mime_type (csv, "application/pgp-encrypted");
      gtk_file_filter_add_suffix (csv, "gpg");
      gtk_file_filter_add_suffix (csv, "asc");
    }
  else
    {
      gtk_file_filter_set_name (csv, _("CSV Files"));
      gtk_file_filter_add_mime_type (csv, "text/csv");
      gtk_file_filter_add_suffix (csv, "csv");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), csv);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);

  /* The task holds the only reference to the native dialog until it answers. */
  g_object_set_data_full (G_OBJECT (task), "native", native, g_object_unref);
  g_signal_connect (native, "response", G_CALLBACK (on_file_chooser_response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

GFile *
astra_export_choose_file_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
astra_export_tokens_to_file_async (AstraSecretStore    *store,
                                   AstraConnection     *connection,
                                   GListModel          *tokens,
                                   AstraExportFormat    format,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  Export *export;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (store));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));
  g_return_if_fail (G_IS_LIST_MODEL (tokens));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_export_tokens_to_file_async);
  export = g_new0 (Export, 1);
  export->format = format;
  export->file = g_object_ref (file);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);

  if (format == ASTRA_EXPORT_FORMAT_INVENTORY)
    {
      /* No secret is needed: do not touch (or unlock) the keyring at all. */
      g_autoptr(GBytes) contents = NULL;
      g_autoptr(GPtrArray) array = copy_model (tokens);
      g_autoptr(GListModel) model = model_from_array (array, ASTRA_TYPE_TOKEN);

      contents = astra_csv_format_inventory (model);
      astra_export_write_async (file, contents, cancellable, on_to_file_written_cb, task);
      return;
    }

  lookup_secrets_async (store, connection, tokens, cancellable, on_to_file_looked_up_cb, task);
}

gboolean
astra_export_tokens_to_file_finish (GAsyncResult       *result,
                                    AstraExportFormat  *format_used,
                                    GError            **error)
{
  Export *export;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  export = g_task_get_task_data (G_TASK (result));
  if (format_used != NULL)
    *format_used = export->format;

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
astra_export_tokens (GtkWindow        *parent,
                     AstraSecretStore *store,
                     AstraConnection  *connection,
                     GListModel       *tokens)
{
  Export *export;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (ASTRA_IS_SECRET_STORE (store));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));
  g_return_if_fail (G_IS_LIST_MODEL (tokens));

  if (g_list_model_get_n_items (tokens) == 0)
    return;

  export = g_new0 (Export, 1);
  export->parent = g_object_ref (parent);
  export->format = ASTRA_EXPORT_FORMAT_AUTO;
  export->cancellable = g_cancellable_new ();

  lookup_secrets_async (store, connection, tokens, export->cancellable,
                        on_flow_looked_up_cb, export);
}

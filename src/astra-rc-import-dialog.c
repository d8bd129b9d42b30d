/* astra-rc-import-dialog.c
 *
 * Lists the profiles of the Astra CLI's .astrarc with a check box each (broken profiles say
 * why and cannot be chosen; a [default] section that copies another profile starts
 * unchecked), then connects the chosen ones one after another through the context, which
 * validates each token with Astra and stores it in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-rc-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-rc.h"
#include "astra-rc-import-dialog.h"

struct _AstraRcImportDialog
{
  AdwWindow      parent_instance;

  AstraContext  *context;
  GListModel    *profiles;
  GPtrArray     *checks;        /* GtkCheckButton per profile, same order */
  GCancellable  *cancellable;
  guint          next;
  guint          imported;
  GString       *errors;

  GtkStack      *stack;
  GtkSpinner    *spinner;
  GtkLabel      *file_label;
  GtkListBox    *profile_list;
  GtkLabel      *status_label;
};

G_DEFINE_FINAL_TYPE (AstraRcImportDialog, astra_rc_import_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static GtkWidget *
create_profile_row (gpointer item,
                    gpointer user_data)
{
  AstraRcImportDialog *self = user_data;
  AstraRcProfile *profile = item;
  const GError *error = astra_rc_profile_get_error (profile);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  if (error != NULL)
    subtitle = g_strdup (error->message);
  else if (astra_rc_profile_is_default_copy (profile))
    subtitle = g_strdup_printf (_("%s — the default profile, a copy of another one"),
                                astra_environment_get_display_name (astra_rc_profile_get_environment (profile)));
  else if (astra_rc_profile_get_environment (profile) == ASTRA_ENVIRONMENT_CUSTOM)
    subtitle = g_strdup (astra_rc_profile_get_api_url (profile));
  else
    subtitle = g_strdup (astra_environment_get_display_name (astra_rc_profile_get_environment (profile)));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), astra_rc_profile_get_name (profile));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               error == NULL && !astra_rc_profile_is_default_copy (profile));
  gtk_widget_set_sensitive (check, error == NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  astra_rc_profile_get_name (profile), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  if (error != NULL)
    gtk_widget_add_css_class (row, "dim-label");

  g_ptr_array_add (self->checks, check);
  return row;
}

static void
load_profiles (AstraRcImportDialog *self)
{
  g_autoptr(GFile) file = astra_rc_find_file ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (file == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "rc-import.import", FALSE);
      return;
    }

  path = g_file_get_path (file);
  self->profiles = astra_rc_load_file (file, &error);
  if (self->profiles == NULL || g_list_model_get_n_items (self->profiles) == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      if (error != NULL)
        adw_status_page_set_description (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->stack, "empty")),
                                         error->message);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "rc-import.import", FALSE);
      return;
    }

  text = g_strdup_printf (_("Choose the profiles of “%s” to connect. Each token is checked with "
                            "Astra, then kept in your keyring."), path);
  gtk_label_set_label (self->file_label, text);
  gtk_list_box_bind_model (self->profile_list, self->profiles, create_profile_row, self, NULL);
}

static void set_busy (AstraRcImportDialog *self,
                      gboolean             busy);
static void import_next (AstraRcImportDialog *self);

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AstraRcImportDialog) self = user_data;
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraRcProfile) profile = g_list_model_get_item (self->profiles, self->next - 1);

  connection = astra_context_connect_finish (ASTRA_CONTEXT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (connection != NULL)
    {
      self->imported++;
      /* Imported once is enough: do not import it again when retrying the others. */
      gtk_check_button_set_active (g_ptr_array_index (self->checks, self->next - 1), FALSE);
    }
  else
    g_string_append_printf (self->errors, "%s: %s\n", astra_rc_profile_get_name (profile),
                            error->message);

  import_next (self);
}

static void
import_next (AstraRcImportDialog *self)
{
  guint n = g_list_model_get_n_items (self->profiles);

  while (self->next < n &&
         !gtk_check_button_get_active (g_ptr_array_index (self->checks, self->next)))
    self->next++;

  if (self->next < n)
    {
      g_autoptr(AstraRcProfile) profile = g_list_model_get_item (self->profiles, self->next++);

      astra_context_connect_async (self->context, astra_rc_profile_get_token (profile),
                                   astra_rc_profile_get_environment (profile),
                                   astra_rc_profile_get_api_url (profile),
                                   self->cancellable, on_connected_cb, g_object_ref (self));
      return;
    }

  set_busy (self, FALSE);

  if (self->imported > 0)
    g_signal_emit (self, signals[IMPORTED], 0, self->imported);

  if (self->errors->len > 0)
    {
      g_strchomp (self->errors->str);
      gtk_label_set_label (self->status_label, self->errors->str);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
set_busy (AstraRcImportDialog *self,
          gboolean             busy)
{
  if (busy)
    self->cancellable = g_cancellable_new ();
  else
    g_clear_object (&self->cancellable);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->profile_list), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rc-import.import", !busy);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AstraRcImportDialog *self = ASTRA_RC_IMPORT_DIALOG (widget);

  if (self->profiles == NULL || self->cancellable != NULL)
    return;

  self->next = 0;
  self->imported = 0;
  g_string_truncate (self->errors, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  set_busy (self, TRUE);
  import_next (self);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_rc_import_dialog_dispose (GObject *object)
{
  AstraRcImportDialog *self = ASTRA_RC_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->profiles);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (astra_rc_import_dialog_parent_class)->dispose (object);
}

static void
astra_rc_import_dialog_finalize (GObject *object)
{
  AstraRcImportDialog *self = ASTRA_RC_IMPORT_DIALOG (object);

  g_string_free (self->errors, TRUE);

  G_OBJECT_CLASS (astra_rc_import_dialog_parent_class)->finalize (object);
}

static void
astra_rc_import_dialog_class_init (AstraRcImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = astra_rc_import_dialog_dispose;
  object_class->finalize = astra_rc_import_dialog_finalize;

  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/astra-rc-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraRcImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AstraRcImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, AstraRcImportDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, AstraRcImportDialog, profile_list);
  gtk_widget_class_bind_template_child (widget_class, AstraRcImportDialog, status_label);

  gtk_widget_class_install_action (widget_class, "rc-import.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
astra_rc_import_dialog_init (AstraRcImportDialog *self)
{
  self->checks = g_ptr_array_new ();
  self->errors = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraRcImportDialog *
astra_rc_import_dialog_new (GtkWindow    *parent,
                            AstraContext *context)
{
  AstraRcImportDialog *self;

  g_return_val_if_fail (ASTRA_IS_CONTEXT (context), NULL);

  self = g_object_new (ASTRA_TYPE_RC_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  load_profiles (self);

  return self;
}

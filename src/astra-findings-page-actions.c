/* astra-findings-page-actions.c: what the Plain-Text Tokens page does
 *
 * findings.scan, findings.cancel; per finding (target "(st)": path and value offset)
 * findings.keep, findings.replace, findings.ignore, findings.connect (an unknown
 * organization's token offered as a new connection: an administrator's token connects it,
 * astra_connect_dialog_new_for_found_token); per file (target: path)
 * findings.keep-file, findings.delete-file, findings.undo-delete.
 *
 * The order is the safety: a file is rewritten only after the keyring confirmed the save,
 * and trashed only when every token in it is held. A file that changed since the scan is
 * never written: the page searches again instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-findings"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-connect-dialog.h"
#include "astra-file-rewrite.h"
#include "astra-findings-keep.h"
#include "astra-findings-page-private.h"
#include "astra-generated-token.h"
#include "astra-reference.h"
#include "astra-scan-ignore.h"
#include "astra-toast.h"
#include "astra-trash.h"

typedef struct
{
  AstraFindingsPage *page;
  AstraScanFinding  *finding;
  GPtrArray         *queue;      /* AstraScanFinding: the rest of a Keep All */
} Action;

static void
action_free (Action *action)
{
  astra_findings_page_add_busy (action->page, -1);
  g_clear_object (&action->page);
  g_clear_object (&action->finding);
  g_clear_pointer (&action->queue, g_ptr_array_unref);
  g_free (action);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Action, action_free)

static Action *
action_new (AstraFindingsPage *page,
            AstraScanFinding  *finding)
{
  Action *action = g_new0 (Action, 1);

  action->page = g_object_ref (page);
  action->finding = finding != NULL ? g_object_ref (finding) : NULL;
  astra_findings_page_add_busy (page, 1);

  return action;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
toast (AstraFindingsPage *self,
       const char        *text)
{
  astra_findings_page_toast (self, astra_toast_new (text));
}

static gboolean
is_changed_error (const GError *error)
{
  return g_error_matches (error, ASTRA_SCAN_FINDING_ERROR, ASTRA_SCAN_FINDING_ERROR_CHANGED) ||
         g_error_matches (error, ASTRA_SCAN_FINDING_ERROR, ASTRA_SCAN_FINDING_ERROR_UNREADABLE) ||
         g_error_matches (error, ASTRA_FILE_REWRITE_ERROR, ASTRA_FILE_REWRITE_ERROR_CHANGED);
}

/* Says what went wrong; a file that changed is searched again rather than written. */
static void
report_error (AstraFindingsPage *self,
              const char        *what,
              const GError      *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Translators: "Could not keep the token: REASON"; the first %s is one of the sentences
   * passed here ("Could not keep the token"…), the second the reason. */
  text = g_strdup_printf (_("%s: %s"), what, error->message);
  toast (self, text);

  if (is_changed_error (error))
    astra_findings_page_scan (self);
}

static gboolean
is_line_kind (AstraScanKind kind)
{
  return kind == ASTRA_SCAN_KIND_DOTENV || kind == ASTRA_SCAN_KIND_SHELL_EXPORT ||
         kind == ASTRA_SCAN_KIND_ASTRARC_PROFILE;
}

static AstraScanFinding *
lookup_or_toast (AstraFindingsPage *self,
                 GVariant          *target)
{
  AstraScanFinding *finding = astra_findings_page_lookup (self, target);

  if (finding == NULL)
    toast (self, _("This token is no longer listed"));

  return finding;
}

/* ------------------------------------------------------------------------------------------ */
/* Keep in Keyring                                                                            */

static void keep_next (Action *action);

static void
on_kept_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Action) action = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_findings_keep_finish (ASTRA_CONTEXT (object), result, NULL, &error))
    {
      report_error (action->page, _("Could not keep the token in the keyring"), error);
      return;
    }

  if (action->queue != NULL && action->queue->len > 0)
    {
      keep_next (g_steal_pointer (&action));
      return;
    }

  toast (action->page, _("Kept in the keyring"));
}

static void
keep_next (Action *action)
{
  if (action->queue != NULL)
    {
      g_set_object (&action->finding, g_ptr_array_index (action->queue, 0));
      g_ptr_array_remove_index (action->queue, 0);
    }

  astra_findings_keep_async (action->page->context, action->finding, action->page->cancellable,
                             on_kept_cb, action);
}

static void
keep_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *target)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (widget);
  AstraScanFinding *finding = lookup_or_toast (self, target);

  if (finding == NULL)
    return;
  if (!astra_findings_can_keep (finding))
    {
      toast (self, _("This token is already in the keyring"));
      return;
    }

  keep_next (action_new (self, finding));
}

static void
keep_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *target)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (widget);
  GListModel *findings = astra_findings_page_get_findings (self);
  const char *path = g_variant_get_string (target, NULL);
  g_autoptr(GPtrArray) queue = g_ptr_array_new_with_free_func (g_object_unref);
  Action *action;

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i);

      if (g_strcmp0 (astra_scan_finding_get_path (finding), path) == 0 &&
          astra_findings_can_keep (finding))
        g_ptr_array_add (queue, g_steal_pointer (&finding));
    }

  if (queue->len == 0)
    {
      toast (self, _("Every token in this file is already in the keyring"));
      return;
    }

  action = action_new (self, NULL);
  action->queue = g_steal_pointer (&queue);
  keep_next (action);
}

/* ------------------------------------------------------------------------------------------ */
/* Replace with Reference                                                                     */

static void
on_rewritten_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Action) action = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_file_rewrite_finding_finish (result, &error))
    {
      report_error (action->page, _("Could not replace the token"), error);
      return;
    }

  astra_findings_page_remove (action->page, action->finding);
  toast (action->page, _("Replaced with a reference to the keyring"));
}

static void
on_kept_for_replace_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(Action) action = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) value = NULL;
  g_autofree char *reference = NULL;
  AstraScanFinding *finding;
  GCancellable *cancellable;
  const char *org_id;

  /* Nothing is written unless the keyring confirmed the save. */
  if (!astra_findings_keep_finish (ASTRA_CONTEXT (object), result, &value, &error))
    {
      report_error (action->page, _("Could not keep the token in the keyring, so the file was left as it is"), error);
      return;
    }

  org_id = astra_scan_finding_get_org_id (action->finding);
  if (org_id == NULL || value == NULL)
    {
      toast (action->page, _("The token was kept in the keyring, but its organization is not connected, so no reference can name it"));
      return;
    }

  reference = astra_reference_format (org_id, astra_scan_finding_get_client_id (action->finding),
                                      ASTRA_REFERENCE_FIELD_TOKEN);
  finding = action->finding;
  cancellable = action->page->cancellable;
  astra_file_rewrite_finding_async (finding, value, reference, cancellable, on_rewritten_cb,
                                    g_steal_pointer (&action));
}

static void
replace_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *target)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (widget);
  AstraScanFinding *finding = lookup_or_toast (self, target);

  if (finding == NULL)
    return;
  if (!astra_findings_can_replace (self, finding))
    {
      toast (self, _("Only a token of a connected organization, in a .env, shell or .astrarc line, can be replaced with a reference"));
      return;
    }

  /* Kept (again) first: the save that the rewrite waits for, and the value it checks. */
  astra_findings_keep_async (self->context, finding, self->cancellable, on_kept_for_replace_cb,
                             action_new (self, finding));
}

/* ------------------------------------------------------------------------------------------ */
/* Ignore                                                                                     */

static void
ignore_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *target)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (widget);
  g_autoptr(AstraScanFinding) finding = NULL;

  finding = lookup_or_toast (self, target);
  if (finding == NULL)
    return;

  /* Held while the page lets go of it. */
  g_object_ref (finding);
  astra_scan_ignore_add (astra_context_get_settings (self->context), finding);
  astra_findings_page_remove (self, finding);
  toast (self, _("Ignored: this token will not be shown again"));
}

/* ------------------------------------------------------------------------------------------ */
/* Delete File and its Undo                                                                   */

static void
on_undo_clicked_cb (AdwToast          *done,
                    AstraFindingsPage *self)
{
  const char *path = g_object_get_data (G_OBJECT (done), "astra-path");

  gtk_widget_activate_action (GTK_WIDGET (self), "findings.undo-delete", "s", path);
}

static void
on_trashed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Action) action = user_data;
  AstraFindingsPage *self = action->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraTrashed) trashed = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *text = NULL;
  GListModel *findings = astra_findings_page_get_findings (self);
  const char *path;
  AdwToast *done;

  trashed = astra_trash_file_finish (result, &error);
  if (trashed == NULL)
    {
      report_error (self, _("Could not move the file to the trash"), error);
      return;
    }

  path = astra_trashed_get_path (trashed);
  for (guint i = g_list_model_get_n_items (findings); i > 0; i--)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i - 1);

      if (g_strcmp0 (astra_scan_finding_get_path (finding), path) == 0)
        g_list_store_remove (G_LIST_STORE (findings), i - 1);
    }
  astra_findings_page_rebuild (self);

  basename = g_filename_display_basename (path);
  /* Translators: %s is a file name. */
  text = g_strdup_printf (_("“%s” moved to the trash"), basename);
  done = astra_toast_new (text);
  adw_toast_set_button_label (done, _("_Undo"));
  /* The toast lives in the window's overlay, outside this page's action scope. */
  g_object_set_data_full (G_OBJECT (done), "astra-path", g_strdup (path), g_free);
  g_signal_connect_object (done, "button-clicked", G_CALLBACK (on_undo_clicked_cb), self, 0);
  g_hash_table_replace (self->trashed, g_strdup (path), g_steal_pointer (&trashed));
  astra_findings_page_toast (self, done);
}

static void
delete_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *target)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (widget);
  const char *path = g_variant_get_string (target, NULL);
  g_autoptr(GFile) file = NULL;

  if (!astra_findings_page_can_delete_file (self, path))
    {
      toast (self, _("Keep every token of this file in the keyring first"));
      return;
    }

  file = g_file_new_for_path (path);
  astra_trash_file_async (file, self->cancellable, on_trashed_cb, action_new (self, NULL));
}

static void
on_restored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Action) action = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_trash_restore_finish (result, &error))
    {
      report_error (action->page, _("Could not restore the file"), error);
      return;
    }

  toast (action->page, _("File restored"));
  astra_findings_page_scan (action->page);
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *target)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (widget);
  const char *path = g_variant_get_string (target, NULL);
  gpointer key = NULL;
  gpointer trashed = NULL;

  if (!g_hash_table_steal_extended (self->trashed, path, &key, &trashed))
    return;
  g_free (key);

  astra_trash_restore_async (trashed, self->cancellable, on_restored_cb, action_new (self, NULL));
}

/* ------------------------------------------------------------------------------------------ */
/* Connect Its Organization                                                                   */

static void
on_org_connected_cb (AstraFindingsPage *self)
{
  /* Its organization is connected now: the token is the connection's, held and listed. */
  astra_findings_page_scan (self);
}

static void
on_loaded_for_connect_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(Action) action = user_data;
  AstraScanFinding *finding = action->finding;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) token = NULL;
  g_autoptr(AstraSecretString) client_secret = NULL;
  g_autoptr(AstraGeneratedToken) generated = NULL;
  g_autofree char *name = NULL;
  AstraConnectDialog *dialog;

  if (!astra_scan_finding_load_secret_finish (finding, result, &token, &client_secret, &error))
    {
      report_error (action->page, _("Could not read the token"), error);
      return;
    }
  if (token == NULL)
    {
      toast (action->page, _("This row has no token to connect with"));
      return;
    }

  generated = astra_generated_token_new (astra_scan_finding_get_client_id (finding),
                                         client_secret != NULL ? client_secret : "", token);
  name = g_filename_display_basename (astra_scan_finding_get_path (finding));

  /* The token goes to Astra only when the person presses Connect in the dialog. */
  dialog = astra_connect_dialog_new_for_found_token (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (action->page))),
                                                     action->page->context, generated, name);
  g_signal_connect_object (dialog, "connected", G_CALLBACK (on_org_connected_cb), action->page,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *target)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (widget);
  AstraScanFinding *finding = lookup_or_toast (self, target);

  if (finding == NULL)
    return;

  astra_scan_finding_load_secret_async (finding, self->cancellable, on_loaded_for_connect_cb,
                                        action_new (self, finding));
}

/* ------------------------------------------------------------------------------------------ */
/* Scan                                                                                       */

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *target)
{
  astra_findings_page_scan (ASTRA_FINDINGS_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *target)
{
  astra_findings_page_cancel_scan (ASTRA_FINDINGS_PAGE (widget));
}

/* ------------------------------------------------------------------------------------------ */
/* Internal API                                                                               */

gboolean
astra_findings_can_keep (AstraScanFinding *finding)
{
  AstraScanState state = astra_scan_finding_get_state (finding);

  return state != ASTRA_SCAN_STATE_HELD && state != ASTRA_SCAN_STATE_REVOKED;
}

gboolean
astra_findings_can_replace (AstraFindingsPage *self,
                            AstraScanFinding  *finding)
{
  AstraScanState state = astra_scan_finding_get_state (finding);
  const char *org_id = astra_scan_finding_get_org_id (finding);

  return is_line_kind (astra_scan_finding_get_kind (finding)) &&
         (state == ASTRA_SCAN_STATE_HELD || state == ASTRA_SCAN_STATE_LIVE) &&
         org_id != NULL && astra_context_find_connection (self->context, org_id) != NULL;
}

gboolean
astra_findings_page_can_delete_file (AstraFindingsPage *self,
                                     const char        *path)
{
  GListModel *findings = astra_findings_page_get_findings (self);
  gboolean any = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i);

      if (g_strcmp0 (astra_scan_finding_get_path (finding), path) != 0)
        continue;
      /* A revoked row is dead: it does not keep the file. */
      if (astra_scan_finding_get_kind (finding) != ASTRA_SCAN_KIND_PORTAL_CSV_SECRET ||
          (astra_scan_finding_get_state (finding) != ASTRA_SCAN_STATE_HELD &&
           astra_scan_finding_get_state (finding) != ASTRA_SCAN_STATE_REVOKED))
        return FALSE;
      any = TRUE;
    }

  return any;
}

void
astra_findings_page_update_actions (AstraFindingsPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean scanning = astra_findings_page_get_scanning (self);

  /* An action cancelled by the page's dispose ends after the template let go. */
  if (self->groups_box == NULL)
    return;

  gtk_widget_action_set_enabled (widget, "findings.scan", !scanning);
  gtk_widget_action_set_enabled (widget, "findings.cancel", scanning);

  for (GtkWidget *group = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box));
       group != NULL; group = gtk_widget_get_next_sibling (group))
    {
      GtkWidget *button = g_object_get_data (G_OBJECT (group), "astra-delete-button");
      const char *path = g_object_get_data (G_OBJECT (group), "astra-path");

      if (button != NULL)
        gtk_widget_set_sensitive (button, astra_findings_page_can_delete_file (self, path));
    }
}

void
astra_findings_page_class_actions_init (AstraFindingsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "findings.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "findings.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "findings.keep", "(st)", keep_action);
  gtk_widget_class_install_action (widget_class, "findings.replace", "(st)", replace_action);
  gtk_widget_class_install_action (widget_class, "findings.ignore", "(st)", ignore_action);
  gtk_widget_class_install_action (widget_class, "findings.connect", "(st)", connect_action);
  gtk_widget_class_install_action (widget_class, "findings.keep-file", "s", keep_file_action);
  gtk_widget_class_install_action (widget_class, "findings.delete-file", "s", delete_file_action);
  gtk_widget_class_install_action (widget_class, "findings.undo-delete", "s", undo_delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "findings.scan", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "findings.cancel", NULL);
}

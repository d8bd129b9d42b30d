/* astra-findings-page.c
 *
 * The Plain-Text Tokens page: runs the scanner (in its thread) over the home folder,
 * classifies what it found (keyring, connected organizations), leaves out what the user
 * ignored, and shows the rest grouped by file: one AdwPreferencesGroup per file, one row
 * per finding (astra-findings-row.c). A row follows its finding's state, so an action that
 * changes it shows at once; an action that takes a finding away (replaced, ignored,
 * trashed) rebuilds the groups. The actions themselves are in astra-findings-page-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-findings"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-findings-page-private.h"
#include "astra-client-source.h"
#include "astra-findings-row.h"
#include "astra-scan-classify.h"
#include "astra-scan-ignore.h"
#include "astra-secret-store.h"
#include "astra-trash.h"

G_DEFINE_FINAL_TYPE (AstraFindingsPage, astra_findings_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_ROOT,
  PROP_SCANNING,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
set_scanning (AstraFindingsPage *self,
              GCancellable      *cancellable)
{
  gboolean was = self->scan_cancellable != NULL;

  g_set_object (&self->scan_cancellable, cancellable);
  gtk_spinner_set_spinning (self->spinner, cancellable != NULL);
  if (was != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
  astra_findings_page_update_actions (self);
}

static char *
dup_display_folder (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *display = g_filename_display_name (folder);
  g_autofree char *home = g_filename_display_name (g_get_home_dir ());

  if (g_str_has_prefix (display, home) &&
      (display[strlen (home)] == '/' || display[strlen (home)] == '\0'))
    return g_strconcat ("~", display + strlen (home), NULL);

  return g_steal_pointer (&display);
}

static GtkWidget *
create_group (AstraFindingsPage *self,
              AstraScanFinding  *first,
              guint              n_in_file)
{
  const char *path = astra_scan_finding_get_path (first);
  g_autofree char *basename = g_filename_display_basename (path);
  g_autofree char *folder = dup_display_folder (path);
  g_autofree char *title = g_markup_escape_text (basename, -1);
  g_autofree char *description = g_markup_escape_text (folder, -1);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  g_object_set_data_full (G_OBJECT (group), "astra-path", g_strdup (path), g_free);

  /* For one finding, its row's button says it all. */
  if (n_in_file > 1)
    {
      button = gtk_button_new_with_mnemonic (_("_Keep All in Keyring"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "findings.keep-file");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", path);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (suffix), button);
    }

  if (astra_scan_finding_get_kind (first) == ASTRA_SCAN_KIND_PORTAL_CSV_SECRET)
    {
      button = gtk_button_new_with_mnemonic (_("_Delete File"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "findings.delete-file");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", path);
      gtk_widget_set_tooltip_text (button, _("Move this file to the trash once every token in it is in the keyring"));
      gtk_widget_add_css_class (button, "destructive-action");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (suffix), button);
      g_object_set_data (G_OBJECT (group), "astra-delete-button", button);
    }
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), suffix);

  return group;
}

static void
update_summary (AstraFindingsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  g_autofree char *root = g_filename_display_name (self->root);
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;

  if (g_strcmp0 (self->root, g_get_home_dir ()) == 0)
    where = g_strdup (_("in your home folder"));
  else
    /* Translators: where tokens were found; %s is a folder. */
    where = g_strdup_printf (_("under %s"), root);

  /* Translators: %u is a number of tokens, %s where they are ("in your home folder"). */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u token in plain text %s. Keep it in the keyring, "
                                       "then replace it with a reference or delete its file.",
                                       "%u tokens in plain text %s. Keep them in the keyring, "
                                       "then replace them with references or delete their files.",
                                       n), n, where);
  gtk_label_set_text (self->summary_label, text);
}

static void
on_scanner_progress_cb (AstraFindingsPage *self)
{
  guint64 files = astra_scanner_get_files_read (self->scanner);
  g_autofree char *size = g_format_size (astra_scanner_get_bytes_read (self->scanner));
  g_autofree char *text = NULL;

  /* %lu, not G_GUINT64_FORMAT: xgettext cannot see through the macro. */
  /* Translators: scan progress: a number of files, then a size such as "12.3 MB". */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu file searched (%s)",
                                       "%lu files searched (%s)", (gulong) files),
                          (gulong) files, size);
  adw_status_page_set_description (self->scanning_page, text);
}

static void
show_error (AstraFindingsPage *self,
            const GError      *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->state_stack, "error");
}

static void
on_classified_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AstraFindingsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_scan_classify_finish (result, &error))
    return;   /* only ever cancelled */

  set_scanning (self, NULL);
  astra_findings_page_rebuild (self);
}

/* The core's classifier, with the context's clients and the connections the keyring does not
 * hold (the environment's; the demo is left out there). */
static void
classify (AstraFindingsPage *self)
{
  GListModel *connections = astra_context_get_connections (self->context);
  g_autoptr(GListStore) session = g_list_store_new (ASTRA_TYPE_CONNECTION);

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);

      if (astra_context_is_session_only (self->context, connection))
        g_list_store_append (session, connection);
    }

  astra_scan_classify_full_async (G_LIST_MODEL (self->findings),
                                  astra_context_get_secret_store (self->context),
                                  ASTRA_CLIENT_SOURCE (self->context), G_LIST_MODEL (session),
                                  TRUE, self->scan_cancellable, on_classified_cb,
                                  g_object_ref (self));
}

static void
on_scanned_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AstraFindingsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) shown = NULL;
  GSettings *settings = astra_context_get_settings (self->context);

  all = astra_scanner_scan_finish (ASTRA_SCANNER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (all == NULL)
    {
      set_scanning (self, NULL);
      show_error (self, error);
      return;
    }

  shown = astra_scan_ignore_filter (settings, all);
  g_list_store_remove_all (self->findings);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (shown, i);

      g_list_store_append (self->findings, finding);
    }

  classify (self);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_findings_page_dispose (GObject *object)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (object);

  if (self->scan_cancellable != NULL)
    g_cancellable_cancel (self->scan_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->scan_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASTRA_TYPE_FINDINGS_PAGE);

  G_OBJECT_CLASS (astra_findings_page_parent_class)->dispose (object);
}

static void
astra_findings_page_finalize (GObject *object)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (object);

  g_clear_object (&self->context);
  g_clear_object (&self->scanner);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->findings);
  g_clear_pointer (&self->trashed, g_hash_table_unref);
  g_clear_pointer (&self->root, g_free);

  G_OBJECT_CLASS (astra_findings_page_parent_class)->finalize (object);
}

static void
astra_findings_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:  g_value_set_object (value, self->context); break;
    case PROP_ROOT:     g_value_set_string (value, self->root); break;
    case PROP_SCANNING: g_value_set_boolean (value, self->scan_cancellable != NULL); break;
    case PROP_BUSY:     g_value_set_boolean (value, self->busy > 0); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_findings_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AstraFindingsPage *self = ASTRA_FINDINGS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_ROOT:
      astra_findings_page_set_root (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_findings_page_class_init (AstraFindingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = astra_findings_page_dispose;
  object_class->finalize = astra_findings_page_finalize;
  object_class->get_property = astra_findings_page_get_property;
  object_class->set_property = astra_findings_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, ASTRA_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROOT] =
    g_param_spec_string ("root", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCANNING] =
    g_param_spec_boolean ("scanning", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/astra-findings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraFindingsPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, AstraFindingsPage, scanning_page);
  gtk_widget_class_bind_template_child (widget_class, AstraFindingsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AstraFindingsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AstraFindingsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AstraFindingsPage, groups_box);

  astra_findings_page_class_actions_init (klass);
}

static void
astra_findings_page_init (AstraFindingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->scanner = astra_scanner_new ();
  self->findings = g_list_store_new (ASTRA_TYPE_SCAN_FINDING);
  self->trashed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) astra_trashed_free);
  self->root = g_strdup (astra_findings_default_root ());
  g_signal_connect_object (self->scanner, "notify::files-read",
                           G_CALLBACK (on_scanner_progress_cb), self, G_CONNECT_SWAPPED);
  astra_findings_page_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Private API                                                                                */

AstraScanFinding *
astra_findings_page_lookup (AstraFindingsPage *self,
                            GVariant          *target)
{
  const char *path = NULL;
  guint64 offset = 0;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));

  g_variant_get (target, "(&st)", &path, &offset);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if (astra_scan_finding_get_value_offset (finding) == offset &&
          g_strcmp0 (astra_scan_finding_get_path (finding), path) == 0)
        return finding;   /* the store keeps it alive */
    }

  return NULL;
}

void
astra_findings_page_remove (AstraFindingsPage *self,
                            AstraScanFinding  *finding)
{
  guint position;

  if (g_list_store_find (self->findings, finding, &position))
    g_list_store_remove (self->findings, position);
  astra_findings_page_rebuild (self);
}

/* How many findings from @first on share its file (they come one after the other). */
static guint
count_in_file (AstraFindingsPage *self,
               guint              first)
{
  GListModel *findings = G_LIST_MODEL (self->findings);
  g_autoptr(AstraScanFinding) head = g_list_model_get_item (findings, first);
  guint n = g_list_model_get_n_items (findings);
  guint i;

  for (i = first + 1; i < n; i++)
    {
      g_autoptr(AstraScanFinding) next = g_list_model_get_item (findings, i);

      if (g_strcmp0 (astra_scan_finding_get_path (next), astra_scan_finding_get_path (head)) != 0)
        break;
    }

  return i - first;
}

void
astra_findings_page_rebuild (AstraFindingsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  GtkWidget *child;
  GtkWidget *list = NULL;
  const char *path = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      /* The scanner reports a file's findings one after the other. */
      if (g_strcmp0 (path, astra_scan_finding_get_path (finding)) != 0)
        {
          GtkWidget *group = create_group (self, finding, count_in_file (self, i));

          path = astra_scan_finding_get_path (finding);
          list = gtk_list_box_new ();
          gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
          gtk_widget_add_css_class (list, "boxed-list");
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
          gtk_box_append (self->groups_box, group);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), astra_findings_row_new (self, finding));
    }

  update_summary (self);
  astra_findings_page_update_actions (self);
  if (self->scan_cancellable == NULL)
    gtk_stack_set_visible_child_name (self->state_stack, n > 0 ? "results" : "empty");
}

void
astra_findings_page_add_busy (AstraFindingsPage *self,
                              int                delta)
{
  gboolean was = self->busy > 0;

  self->busy += delta;
  if (was != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  astra_findings_page_update_actions (self);
}

void
astra_findings_page_cancel_scan (AstraFindingsPage *self)
{
  if (self->scan_cancellable == NULL)
    return;

  g_cancellable_cancel (self->scan_cancellable);
  set_scanning (self, NULL);
  gtk_stack_set_visible_child_name (self->state_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->findings)) > 0
                                    ? "results" : "intro");
}

void
astra_findings_page_toast (AstraFindingsPage *self,
                           AdwToast          *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

const char *
astra_findings_default_root (void)
{
  const char *root = g_getenv ("ASTRA_FINDINGS_ROOT");

  return root != NULL && root[0] != '\0' ? root : g_get_home_dir ();
}

GtkWidget *
astra_findings_page_new (AstraContext *context)
{
  g_return_val_if_fail (ASTRA_IS_CONTEXT (context), NULL);

  return g_object_new (ASTRA_TYPE_FINDINGS_PAGE, "context", context, NULL);
}

const char *
astra_findings_page_get_root (AstraFindingsPage *self)
{
  g_return_val_if_fail (ASTRA_IS_FINDINGS_PAGE (self), NULL);

  return self->root;
}

void
astra_findings_page_set_root (AstraFindingsPage *self,
                              const char        *root)
{
  g_return_if_fail (ASTRA_IS_FINDINGS_PAGE (self));

  if (root == NULL || g_strcmp0 (root, self->root) == 0)
    return;

  g_free (self->root);
  self->root = g_strdup (root);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOT]);
}

void
astra_findings_page_scan (AstraFindingsPage *self)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char *roots[] = { self->root, NULL };

  g_return_if_fail (ASTRA_IS_FINDINGS_PAGE (self));

  if (self->scan_cancellable != NULL)
    g_cancellable_cancel (self->scan_cancellable);
  /* One scanner runs one scan at a time: a cancelled one may still be winding down. */
  if (astra_scanner_get_running (self->scanner))
    {
      g_autoptr(AstraScanner) fresh = astra_scanner_new ();

      g_signal_handlers_disconnect_by_data (self->scanner, self);
      g_set_object (&self->scanner, fresh);
      g_signal_connect_object (self->scanner, "notify::files-read",
                               G_CALLBACK (on_scanner_progress_cb), self, G_CONNECT_SWAPPED);
    }
  set_scanning (self, cancellable);

  adw_status_page_set_description (self->scanning_page, NULL);
  gtk_stack_set_visible_child_name (self->state_stack, "scanning");
  astra_scanner_scan_async (self->scanner, roots, cancellable, on_scanned_cb, g_object_ref (self));
}

gboolean
astra_findings_page_get_scanning (AstraFindingsPage *self)
{
  g_return_val_if_fail (ASTRA_IS_FINDINGS_PAGE (self), FALSE);

  return self->scan_cancellable != NULL;
}

gboolean
astra_findings_page_get_busy (AstraFindingsPage *self)
{
  g_return_val_if_fail (ASTRA_IS_FINDINGS_PAGE (self), FALSE);

  return self->busy > 0;
}

GListModel *
astra_findings_page_get_findings (AstraFindingsPage *self)
{
  g_return_val_if_fail (ASTRA_IS_FINDINGS_PAGE (self), NULL);

  return G_LIST_MODEL (self->findings);
}

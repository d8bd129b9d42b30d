/* astra-encrypt-dialog.c: how to protect an export of secrets
 *
 * A thin controller over the core's key listing (astra-pgp.h): the keys are a GListStore
 * filtered by a GtkStringFilter on their "search-text" and bound to a boxed list; the
 * chosen fingerprints are a set. The user's own usable keys are always chosen (the core
 * adds them anyway, so that the user can read the file back) and shown so. The passphrase
 * is read from its entries only when Export is pressed, and the entries are emptied then.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-encrypt-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-csv.h"
#include "astra-display-text.h"
#include "astra-encrypt-dialog.h"
#include "astra-pgp.h"
#include "astra-types.h"

struct _AstraEncryptDialog
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  GtkCheckButton       *people_check;
  GtkCheckButton       *passphrase_check;
  GtkCheckButton       *plain_check;
  AdwActionRow         *people_row;
  AdwActionRow         *passphrase_row;
  AdwPreferencesGroup  *recipients_group;
  AdwPreferencesGroup  *passphrase_group;
  AdwPreferencesGroup  *format_group;
  GtkSearchEntry       *search_entry;
  GtkListBox           *keys_list;
  AdwPasswordEntryRow  *passphrase_entry;
  AdwPasswordEntryRow  *repeat_entry;
  GtkLevelBar          *strength_bar;
  GtkLabel             *strength_label;
  GtkSwitch            *armor_switch;

  GListStore           *keys;
  GtkStringFilter      *filter;
  GHashTable           *chosen;       /* fingerprint → TRUE */
  GCancellable         *cancellable;
  GTask                *task;         /* the choose_async call, until answered */
  gboolean              setting_default;
  gboolean              user_chose;   /* the default no longer follows the key listing */
};

G_DEFINE_FINAL_TYPE (AstraEncryptDialog, astra_encrypt_dialog, ADW_TYPE_WINDOW)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static AstraExportProtectionMode
current_mode (AstraEncryptDialog *self)
{
  if (gtk_check_button_get_active (self->people_check))
    return ASTRA_EXPORT_PROTECTION_PEOPLE;
  if (gtk_check_button_get_active (self->passphrase_check))
    return ASTRA_EXPORT_PROTECTION_PASSPHRASE;
  return ASTRA_EXPORT_PROTECTION_PLAIN;
}

/* 0–4: length counts most; mixing kinds of characters helps a short one a little. A hint,
 * not a measure: a few unrelated words beat any short mix. */
static guint
rate_passphrase (const char *text)
{
  glong length = g_utf8_strlen (text, -1);
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, other = FALSE;
  guint kinds;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_islower (c))
        lower = TRUE;
      else if (g_unichar_isupper (c))
        upper = TRUE;
      else if (g_unichar_isdigit (c))
        digit = TRUE;
      else
        other = TRUE;
    }
  kinds = lower + upper + digit + other;

  if (length < 8)
    return length == 0 ? 0 : 1;
  if (length >= 20)
    return 4;
  if (length >= 14)
    return kinds >= 2 ? 4 : 3;
  return kinds >= 3 ? 3 : 2;
}

static const char *
describe_strength (guint rating)
{
  switch (rating)
    {
    case 0:
      return _("A few unrelated words make a strong passphrase that is easy to say.");
    case 1:
      return _("Too short: use at least 8 characters, better a few unrelated words.");
    case 2:
      return _("Weak: longer is better than more symbols.");
    case 3:
      return _("Fair: a few more characters would make it strong.");
    default:
      return _("Strong.");
    }
}

static gboolean
passphrase_is_ready (AstraEncryptDialog *self)
{
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_entry));

  return passphrase[0] != '\0' && g_str_equal (passphrase, repeat);
}

static void
update_state (AstraEncryptDialog *self)
{
  AstraExportProtectionMode mode = current_mode (self);
  gboolean ready;

  gtk_widget_set_visible (GTK_WIDGET (self->recipients_group),
                          mode == ASTRA_EXPORT_PROTECTION_PEOPLE);
  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_group),
                          mode == ASTRA_EXPORT_PROTECTION_PASSPHRASE);
  gtk_widget_set_visible (GTK_WIDGET (self->format_group), mode != ASTRA_EXPORT_PROTECTION_PLAIN);

  if (mode == ASTRA_EXPORT_PROTECTION_PEOPLE)
    ready = g_hash_table_size (self->chosen) > 0;
  else if (mode == ASTRA_EXPORT_PROTECTION_PASSPHRASE)
    ready = passphrase_is_ready (self);
  else
    ready = TRUE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "encrypt.export", ready);
}

static void
update_strength (AstraEncryptDialog *self)
{
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_entry));
  guint rating = rate_passphrase (passphrase);

  gtk_level_bar_set_value (self->strength_bar, rating);
  if (repeat[0] != '\0' && !g_str_equal (passphrase, repeat))
    gtk_label_set_text (self->strength_label, _("The two passphrases differ."));
  else
    gtk_label_set_text (self->strength_label, describe_strength (rating));
}

/* ------------------------------------------------------------------------------------------ */
/* Key rows                                                                                   */

static void
on_key_check_toggled_cb (GtkCheckButton     *check,
                         AstraEncryptDialog *self)
{
  AstraPgpKey *key = g_object_get_data (G_OBJECT (check), "key");
  const char *fingerprint = astra_pgp_key_get_fingerprint (key);

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->chosen, g_strdup (fingerprint));
  else
    g_hash_table_remove (self->chosen, fingerprint);
  update_state (self);
}

static GtkWidget *
create_key_row (gpointer item,
                gpointer user_data)
{
  AstraEncryptDialog *self = user_data;
  AstraPgpKey *key = item;
  const char *problem = astra_pgp_key_get_problem (key);
  gboolean own = astra_pgp_key_is_secret (key) && problem == NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *check_label = NULL;
  /* A user id is whatever its owner wrote, possibly to look like someone else. */
  g_autofree char *name = astra_display_text_new (astra_pgp_key_get_name (key),
                                                  ASTRA_DISPLAY_TEXT_LINE_CHARS,
                                                  ASTRA_DISPLAY_TEXT_FIRST_LINE);
  g_autofree char *email = astra_display_text_new (astra_pgp_key_get_email (key),
                                                   ASTRA_DISPLAY_TEXT_LINE_CHARS,
                                                   ASTRA_DISPLAY_TEXT_FIRST_LINE);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *note = NULL;

  /* Names and addresses are whatever the key's owner wrote: text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name[0] != '\0' ? name : _("Unnamed key"));
  subtitle = g_strdup_printf ("%s · %s", email, astra_pgp_key_get_key_id (key));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (check), "key", g_object_ref (key), g_object_unref);
  /* Translators: the accessible name of a recipient’s check box; %s is a person’s name. */
  check_label = g_strdup_printf (_("Encrypt for %s"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  check_label, -1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               g_hash_table_contains (self->chosen,
                                                      astra_pgp_key_get_fingerprint (key)));
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_key_check_toggled_cb), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  if (own)
    note = gtk_label_new (_("You, always included"));
  else if (problem != NULL)
    note = gtk_label_new (problem);
  if (note != NULL)
    {
      gtk_widget_add_css_class (note, problem != NULL ? "error" : "dim-label");
      gtk_widget_add_css_class (note, "caption");
      gtk_widget_set_valign (note, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), note);
    }

  /* Shown, so that the user sees why a teammate's key is not offered, but not choosable. */
  gtk_widget_set_sensitive (row, problem == NULL && !own);
  return row;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_keys_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AstraEncryptDialog) self = user_data;
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(GError) error = NULL;
  gboolean any_usable = FALSE;

  keys = astra_pgp_list_keys_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (keys == NULL)
    {
      /* The reason, where the choice is: no GnuPG at all disables both kinds. */
      adw_action_row_set_subtitle (self->people_row, error->message);
      if (g_error_matches (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_ENGINE))
        {
          adw_action_row_set_subtitle (self->passphrase_row, error->message);
          gtk_widget_set_sensitive (GTK_WIDGET (self->passphrase_row), FALSE);
        }
    }
  else
    {
      for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
        {
          g_autoptr(AstraPgpKey) key = g_list_model_get_item (keys, i);

          if (!astra_pgp_key_is_usable (key))
            continue;
          any_usable = TRUE;
          if (astra_pgp_key_is_secret (key))
            g_hash_table_add (self->chosen, g_strdup (astra_pgp_key_get_fingerprint (key)));
        }
      g_list_store_splice (self->keys, 0, 0, (gpointer *) NULL, 0);
      for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
        {
          g_autoptr(GObject) key = g_list_model_get_item (keys, i);

          g_list_store_append (self->keys, key);
        }
      if (!any_usable)
        adw_action_row_set_subtitle (self->people_row,
                                     _("Your GnuPG keyring has no key that can be used. Create "
                                       "one, or import your teammates’ keys, with Passwords and "
                                       "Keys (Seahorse)."));
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->people_row), any_usable);
  /* On by default when it can be used; otherwise a plain file, behind its warning, as
   * before. What the user chose meanwhile stays chosen. */
  self->setting_default = TRUE;
  if (any_usable && !self->user_chose)
    gtk_check_button_set_active (self->people_check, TRUE);
  else if (!any_usable && (gtk_check_button_get_active (self->people_check) || !self->user_chose))
    gtk_check_button_set_active (self->plain_check, TRUE);
  self->setting_default = FALSE;
  update_state (self);
}

static void
on_mode_toggled_cb (AstraEncryptDialog *self,
                    GtkCheckButton     *check)
{
  if (!self->setting_default && gtk_check_button_get_active (check))
    self->user_chose = TRUE;
  update_state (self);
}

static void
on_search_changed_cb (AstraEncryptDialog *self,
                      GtkSearchEntry     *entry)
{
  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_passphrase_changed_cb (AstraEncryptDialog *self,
                          GtkEditable        *editable)
{
  update_strength (self);
  update_state (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
answer (AstraEncryptDialog    *self,
        AstraExportProtection *protection)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    return;
  if (protection != NULL)
    g_task_return_pointer (task, protection, (GDestroyNotify) astra_export_protection_free);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Export cancelled");
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AstraEncryptDialog *self = ASTRA_ENCRYPT_DIALOG (widget);
  AstraExportProtection *protection = g_new0 (AstraExportProtection, 1);

  protection->mode = current_mode (self);
  protection->armor = gtk_switch_get_active (self->armor_switch);

  if (protection->mode == ASTRA_EXPORT_PROTECTION_PEOPLE)
    {
      g_autoptr(GPtrArray) fingerprints = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer fingerprint;

      g_hash_table_iter_init (&iter, self->chosen);
      while (g_hash_table_iter_next (&iter, &fingerprint, NULL))
        g_ptr_array_add (fingerprints, g_strdup (fingerprint));
      g_ptr_array_add (fingerprints, NULL);
      protection->recipients = (char **) g_ptr_array_steal (fingerprints, NULL);
    }
  else if (protection->mode == ASTRA_EXPORT_PROTECTION_PASSPHRASE)
    {
      protection->passphrase = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry)));
    }

  /* The entries' own copies go now, not when the dialog is finalized. */
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_entry), "");

  answer (self, protection);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* ------------------------------------------------------------------------------------------ */
/* GObject and GtkWindow                                                                      */

static gboolean
astra_encrypt_dialog_close_request (GtkWindow *window)
{
  AstraEncryptDialog *self = ASTRA_ENCRYPT_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_entry), "");
  answer (self, NULL);

  return GTK_WINDOW_CLASS (astra_encrypt_dialog_parent_class)->close_request (window);
}

static void
astra_encrypt_dialog_dispose (GObject *object)
{
  AstraEncryptDialog *self = ASTRA_ENCRYPT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  answer (self, NULL);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->keys);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->chosen, g_hash_table_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), ASTRA_TYPE_ENCRYPT_DIALOG);

  G_OBJECT_CLASS (astra_encrypt_dialog_parent_class)->dispose (object);
}

static void
astra_encrypt_dialog_class_init (AstraEncryptDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = astra_encrypt_dialog_dispose;
  window_class->close_request = astra_encrypt_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/astratokens/AstraTokens/ui/astra-encrypt-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, people_check);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, passphrase_check);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, plain_check);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, people_row);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, recipients_group);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, passphrase_group);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, format_group);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, keys_list);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, passphrase_entry);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, repeat_entry);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, strength_label);
  gtk_widget_class_bind_template_child (widget_class, AstraEncryptDialog, armor_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_passphrase_changed_cb);

  gtk_widget_class_install_action (widget_class, "encrypt.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
astra_encrypt_dialog_init (AstraEncryptDialog *self)
{
  g_autoptr(GtkFilterListModel) filtered = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keys = g_list_store_new (ASTRA_TYPE_PGP_KEY);
  self->filter = gtk_string_filter_new (gtk_property_expression_new (ASTRA_TYPE_PGP_KEY, NULL,
                                                                     "search-text"));
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->keys)),
                                        g_object_ref (GTK_FILTER (self->filter)));
  gtk_list_box_bind_model (self->keys_list, G_LIST_MODEL (filtered), create_key_row, self, NULL);

  /* Until the keys are known: nothing to choose from yet. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->people_row), FALSE);
  self->setting_default = TRUE;
  gtk_check_button_set_active (self->plain_check, TRUE);
  self->setting_default = FALSE;
  update_strength (self);
  update_state (self);

  astra_pgp_list_keys_async (self->cancellable, on_keys_listed_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
astra_export_protection_free (AstraExportProtection *protection)
{
  if (protection == NULL)
    return;

  g_strfreev (protection->recipients);
  astra_secret_free (protection->passphrase);
  g_free (protection);
}

const char *
astra_export_protection_file_name (const AstraExportProtection *protection)
{
  g_return_val_if_fail (protection != NULL, NULL);

  if (protection->mode == ASTRA_EXPORT_PROTECTION_PLAIN)
    return ASTRA_CSV_PORTAL_FILE_NAME;
  return protection->armor ? ASTRA_CSV_PORTAL_FILE_NAME ASTRA_PGP_ARMOR_SUFFIX
                           : ASTRA_CSV_PORTAL_FILE_NAME ASTRA_PGP_BINARY_SUFFIX;
}

void
astra_encrypt_dialog_choose_async (GtkWindow           *parent,
                                   guint                n_tokens,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  AstraEncryptDialog *self;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  self = g_object_new (ASTRA_TYPE_ENCRYPT_DIALOG, "transient-for", parent, NULL);
  self->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, astra_encrypt_dialog_choose_async);
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (gtk_window_close), self,
                             G_CONNECT_SWAPPED);

  subtitle = g_strdup_printf (ngettext ("%u token", "%u tokens", n_tokens), n_tokens);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_present (GTK_WINDOW (self));
}

AstraExportProtection *
astra_encrypt_dialog_choose_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

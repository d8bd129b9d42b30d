/* astra-findings-row.c: one finding on the Plain-Text Tokens page (astra-findings-row.h)
 *
 * An AdwActionRow: the masked token as title; line, kind and client id below; the state in
 * words; one button for the step that matters most and a menu with every action that
 * applies. The row follows its finding's "state", so a Keep shows at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-findings"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-findings-page-private.h"
#include "astra-findings-row.h"

static const char *
state_text (AstraFindingsPage *self,
            AstraScanFinding  *finding,
            char             **owned)
{
  AstraConnection *connection = NULL;
  const char *org_id = astra_scan_finding_get_org_id (finding);

  switch (astra_scan_finding_get_state (finding))
    {
    case ASTRA_SCAN_STATE_HELD:
      return _("In this keyring");
    case ASTRA_SCAN_STATE_LIVE:
      if (org_id != NULL)
        connection = astra_context_find_connection (self->context, org_id);
      if (connection == NULL)
        return _("Live");
      /* Translators: the state of a found token; %s is the organization's name. */
      *owned = g_strdup_printf (_("Live in %s"), astra_connection_get_display_name (connection));
      return *owned;
    case ASTRA_SCAN_STATE_REVOKED:
      return _("Revoked — safe to delete");
    case ASTRA_SCAN_STATE_UNKNOWN_ORG:
      return _("Unknown organization");
    case ASTRA_SCAN_STATE_UNKNOWN:
    default:
      return _("Not checked");
    }
}

static const char *
state_style (AstraScanState state)
{
  switch (state)
    {
    case ASTRA_SCAN_STATE_HELD:
      return "success";
    case ASTRA_SCAN_STATE_REVOKED:
      return "dim-label";
    case ASTRA_SCAN_STATE_LIVE:
    case ASTRA_SCAN_STATE_UNKNOWN_ORG:
    case ASTRA_SCAN_STATE_UNKNOWN:
    default:
      return "warning";
    }
}

typedef struct
{
  AstraFindingsPage *page;
  AstraScanFinding  *finding;
  GtkLabel          *state_label;
  GtkWidget         *keep_button;
  GtkWidget         *replace_button;
  GtkMenuButton     *menu_button;
} RowParts;

static GVariant *
new_target (AstraScanFinding *finding)
{
  return g_variant_new ("(st)", astra_scan_finding_get_path (finding),
                        astra_scan_finding_get_value_offset (finding));
}

/* Every action that applies to the finding now, for its row's menu. */
static GMenuModel *
new_row_menu (AstraFindingsPage *self,
              AstraScanFinding  *finding)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;

  if (astra_findings_can_keep (finding))
    {
      item = g_menu_item_new (_("_Keep in Keyring"), NULL);
      g_menu_item_set_action_and_target_value (item, "findings.keep", new_target (finding));
      g_menu_append_item (menu, item);
      g_clear_object (&item);
    }
  if (astra_findings_can_replace (self, finding))
    {
      item = g_menu_item_new (_("_Replace with Reference"), NULL);
      g_menu_item_set_action_and_target_value (item, "findings.replace", new_target (finding));
      g_menu_append_item (menu, item);
      g_clear_object (&item);
    }
  /* An administrator's token of an organization not connected can connect it. */
  if (astra_scan_finding_get_state (finding) == ASTRA_SCAN_STATE_UNKNOWN_ORG)
    {
      item = g_menu_item_new (_("_Connect Its Organization…"), NULL);
      g_menu_item_set_action_and_target_value (item, "findings.connect", new_target (finding));
      g_menu_append_item (menu, item);
      g_clear_object (&item);
    }
  item = g_menu_item_new (_("_Ignore"), NULL);
  g_menu_item_set_action_and_target_value (item, "findings.ignore", new_target (finding));
  g_menu_append_item (menu, item);

  return G_MENU_MODEL (menu);
}

/* One button for the step that matters most (a line of a connected organization's token
 * is best replaced, which keeps it first; anything else not held is kept), the rest in
 * the menu. */
static void
update_row (RowParts *parts)
{
  g_autofree char *owned = NULL;
  g_autoptr(GMenuModel) menu = NULL;
  const char *styles[] = { "success", "warning", "dim-label" };
  AstraScanState state = astra_scan_finding_get_state (parts->finding);
  gboolean can_replace = astra_findings_can_replace (parts->page, parts->finding);

  gtk_label_set_text (parts->state_label, state_text (parts->page, parts->finding, &owned));
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (parts->state_label), styles[i]);
  gtk_widget_add_css_class (GTK_WIDGET (parts->state_label), state_style (state));

  gtk_widget_set_visible (parts->replace_button, can_replace);
  gtk_widget_set_visible (parts->keep_button,
                          !can_replace && astra_findings_can_keep (parts->finding));
  menu = new_row_menu (parts->page, parts->finding);
  gtk_menu_button_set_menu_model (parts->menu_button, menu);
}

static void
on_finding_state_cb (AstraScanFinding *finding,
                     GParamSpec       *pspec,
                     GtkWidget        *row)
{
  RowParts *parts = g_object_get_data (G_OBJECT (row), "astra-row-parts");

  update_row (parts);
  /* A file's Delete File waits for every one of its rows to be held. */
  astra_findings_page_update_actions (parts->page);
}

static GtkWidget *
new_row_button (const char       *label,
                const char       *action,
                AstraScanFinding *finding)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), new_target (finding));

  return button;
}

GtkWidget *
astra_findings_row_new (AstraFindingsPage *self,
                        AstraScanFinding  *finding)
{
  GtkWidget *row = adw_action_row_new ();
  RowParts *parts = g_new0 (RowParts, 1);
  g_autofree char *subtitle = NULL;
  g_autofree char *menu_label = NULL;

  /* The file's text is shown as text, never read as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), astra_scan_finding_get_masked (finding));
  /* Translators: a found token's line, kind and client id: "Line 3 · .env file · Client ID X". */
  subtitle = g_strdup_printf (_("Line %u · %s · Client ID %s"),
                              astra_scan_finding_get_line (finding),
                              astra_scan_kind_get_display_name (astra_scan_finding_get_kind (finding)),
                              astra_scan_finding_get_client_id (finding));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_add_css_class (row, "astra-finding-row");

  parts->page = self;
  parts->finding = finding;
  parts->state_label = GTK_LABEL (gtk_label_new (NULL));
  /* Whole: the state is what the row is about; the subtitle wraps instead. */
  gtk_label_set_xalign (parts->state_label, 1.0);
  parts->keep_button = new_row_button (_("Keep in Keyring"), "findings.keep", finding);
  parts->replace_button = new_row_button (_("Replace with Reference"), "findings.replace", finding);
  parts->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (parts->menu_button, "view-more-symbolic");
  gtk_widget_set_valign (GTK_WIDGET (parts->menu_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (parts->menu_button), "flat");
  /* Translators: the menu of one found token; %s is its masked text. */
  menu_label = g_strdup_printf (_("Actions for %s"), astra_scan_finding_get_masked (finding));
  gtk_widget_set_tooltip_text (GTK_WIDGET (parts->menu_button), _("More Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (parts->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (parts->state_label));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), parts->keep_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), parts->replace_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (parts->menu_button));

  g_object_set_data_full (G_OBJECT (row), "astra-row-parts", parts, g_free);
  g_object_set_data_full (G_OBJECT (row), "astra-finding", g_object_ref (finding), g_object_unref);
  /* Disconnected with the row. */
  g_signal_connect_object (finding, "notify::state", G_CALLBACK (on_finding_state_cb), row, 0);
  update_row (parts);

  return row;
}

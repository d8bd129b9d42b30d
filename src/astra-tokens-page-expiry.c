/* astra-tokens-page-expiry.c: how soon the tokens of the page expire
 *
 * The Expires cell in words ("In 3 days") with the warning or error colour, its exact date
 * as a tooltip (built only when asked for: the column view binds hundreds of cells a
 * second), the Expiring Soon filter (combined with the search in the page's
 * every-filter), and the banner that counts the tokens needing attention with a Review
 * button. The threshold is the "expiry-warning-days" setting, followed live. The rules are
 * the core's (src/core/astra-expiry.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-page"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-application-expiry.h"
#include "astra-expiry.h"
#include "astra-tokens-page-private.h"

/* How often the Expires words follow the clock while the page is shown. */
#define EXPIRY_TICK_S 300

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
token_needs_attention (gpointer item,
                       gpointer user_data)
{
  AstraTokensPage *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return astra_expiry_state_needs_attention (
    astra_expiry_get_state (astra_token_get_expires (item), now, self->expiry_threshold_days));
}

static void
apply_filter (AstraTokensPage *self)
{
  /* Off, the filter has no function and GTK knows it matches everything (no cost). */
  gboolean active = gtk_toggle_button_get_active (self->expiring_button);

  if (active)
    gtk_custom_filter_set_filter_func (self->expiry_filter, token_needs_attention, self, NULL);
  else
    gtk_custom_filter_set_filter_func (self->expiry_filter, NULL, NULL, NULL);
  /* Review has nothing more to show while the list is reviewed. */
  gtk_widget_set_visible (self->expiry_review_button, !active);
}

static void
update_banner (AstraTokensPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint n_soon, n_expired;

  astra_expiry_count_states (G_LIST_MODEL (self->tokens), now, self->expiry_threshold_days,
                             &n_soon, &n_expired);
  if (n_soon + n_expired > 0)
    {
      g_autofree char *text = astra_expiry_describe_count (n_soon, n_expired,
                                                           self->expiry_threshold_days);

      gtk_label_set_label (self->expiry_banner_label, text);
    }

  gtk_revealer_set_reveal_child (self->expiry_banner, n_soon + n_expired > 0);
}

/* The threshold changed, or time passed ("In 23 hours" is "In 22 hours" an hour later):
 * the Expires cells GTK has bound are filled again. Not items-changed on the store: that
 * would drop the selection, and re-filter every token. */
static void
rebind_rows (AstraTokensPage *self)
{
  for (guint i = 0; i < self->expires_items->len; i++)
    {
      GtkListItem *item = g_ptr_array_index (self->expires_items, i);
      AstraToken *token = gtk_list_item_get_item (item);

      if (token != NULL)
        astra_tokens_page_bind_expires_cell (self, gtk_list_item_get_child (item), token);
    }
}

static void
on_expires_item_finalized_cb (gpointer  user_data,
                              GObject  *item)
{
  AstraTokensPage *self = user_data;

  g_ptr_array_remove_fast (self->expires_items, item);
}

/* Every few minutes the words, the colours, the banner and the filter follow the clock. */
static gboolean
on_expiry_tick_cb (gpointer user_data)
{
  AstraTokensPage *self = user_data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      rebind_rows (self);
      astra_tokens_page_update_expiry (self);
    }

  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_threshold_changed_cb (AstraTokensPage *self)
{
  self->expiry_threshold_days = g_settings_get_uint (self->settings, "expiry-warning-days");
  rebind_rows (self);
  astra_tokens_page_update_expiry (self);
}

static void
on_expiring_toggled_cb (AstraTokensPage *self)
{
  apply_filter (self);
}

static gboolean
on_expires_query_tooltip_cb (GtkWidget   *cell,
                             int          x,
                             int          y,
                             gboolean     keyboard,
                             GtkTooltip  *tooltip,
                             GtkListItem *item)
{
  AstraToken *token = gtk_list_item_get_item (item);
  GDateTime *expires = token != NULL ? astra_token_get_expires (token) : NULL;
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;

  if (expires == NULL)
    return FALSE;

  date = astra_tokens_page_format_local (expires, "%Y-%m-%d %H:%M");
  /* TRANSLATORS: tooltip of the Expires cell; %s is a local date and time */
  text = g_strdup_printf (_("Expires on %s"), date);
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
review_expiring_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  astra_tokens_page_show_expiring (ASTRA_TOKENS_PAGE (widget));
}

/* ------------------------------------------------------------------------------------------ */
/* Shared with astra-tokens-page.c and astra-tokens-page-cells.c                              */

void
astra_tokens_page_class_add_expiry (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, expiry_banner);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, expiry_banner_label);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, expiring_button);
  gtk_widget_class_bind_template_child (widget_class, AstraTokensPage, expiry_review_button);
  gtk_widget_class_bind_template_callback (widget_class, on_expiring_toggled_cb);
  gtk_widget_class_install_action (widget_class, "tokens.review-expiring", NULL,
                                   review_expiring_action);
}

GtkFilter *
astra_tokens_page_init_expiry (AstraTokensPage *self)
{
  self->expiry_threshold_days = ASTRA_EXPIRY_DEFAULT_THRESHOLD_DAYS;
  self->expiry_filter = gtk_custom_filter_new (NULL, NULL, NULL);
  self->expires_items = g_ptr_array_new ();
  self->expiry_tick_id = g_timeout_add_seconds (EXPIRY_TICK_S, on_expiry_tick_cb, self);

  return GTK_FILTER (g_object_ref (self->expiry_filter));
}

void
astra_tokens_page_set_expiry_settings (AstraTokensPage *self,
                                       GSettings       *settings)
{
  if (self->settings == settings)
    return;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, on_threshold_changed_cb, self);
  g_set_object (&self->settings, settings);
  if (settings == NULL)
    return;

  g_signal_connect_object (settings, "changed::expiry-warning-days",
                           G_CALLBACK (on_threshold_changed_cb), self, G_CONNECT_SWAPPED);
  on_threshold_changed_cb (self);
}

/* The sidebar's count and the notifications need no second request for this list. The
 * monitor gets a copy: the store holds another organization's tokens tomorrow. */
static void
report_to_monitor (AstraTokensPage *self)
{
  GApplication *app = g_application_get_default ();
  AstraExpiryMonitor *monitor;
  g_autoptr(GListStore) copy = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  if (!ASTRA_IS_APPLICATION (app) || self->connection == NULL ||
      (monitor = astra_application_get_expiry_monitor (ASTRA_APPLICATION (app))) == NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->tokens));
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->tokens), i));
  copy = g_list_store_new (ASTRA_TYPE_TOKEN);
  g_list_store_splice (copy, 0, 0, items->pdata, items->len);
  astra_expiry_monitor_report (monitor, astra_connection_get_org_id (self->connection),
                               G_LIST_MODEL (copy));
}

void
astra_tokens_page_refreshed_expiry (AstraTokensPage *self)
{
  astra_tokens_page_update_expiry (self);
  report_to_monitor (self);
}

void
astra_tokens_page_update_expiry (AstraTokensPage *self)
{
  /* Time passed or tokens changed: which ones match is asked again. */
  if (gtk_toggle_button_get_active (self->expiring_button))
    gtk_filter_changed (GTK_FILTER (self->expiry_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_banner (self);
}

void
astra_tokens_page_dispose_expiry (AstraTokensPage *self)
{
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, on_threshold_changed_cb, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->expiry_filter);
  g_clear_handle_id (&self->expiry_tick_id, g_source_remove);
  if (self->expires_items != NULL)
    {
      for (guint i = 0; i < self->expires_items->len; i++)
        g_object_weak_unref (g_ptr_array_index (self->expires_items, i),
                             on_expires_item_finalized_cb, self);
      g_clear_pointer (&self->expires_items, g_ptr_array_unref);
    }
}

void
astra_tokens_page_setup_expires_cell (AstraTokensPage *self,
                                      GtkListItem     *item,
                                      GtkWidget       *cell)
{
  g_ptr_array_add (self->expires_items, item);
  g_object_weak_ref (G_OBJECT (item), on_expires_item_finalized_cb, self);
  gtk_widget_set_has_tooltip (cell, TRUE);
  g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_expires_query_tooltip_cb), item);
}

void
astra_tokens_page_bind_expires_cell (AstraTokensPage *self,
                                     GtkWidget       *cell,
                                     AstraToken      *token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *expires = astra_token_get_expires (token);
  AstraExpiryState state = astra_expiry_get_state (expires, now, self->expiry_threshold_days);
  g_autofree char *text = astra_expiry_describe (expires, now);

  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
  if (state == ASTRA_EXPIRY_EXPIRED)
    gtk_widget_add_css_class (cell, "error");
  else
    gtk_widget_remove_css_class (cell, "error");
  if (state == ASTRA_EXPIRY_SOON)
    gtk_widget_add_css_class (cell, "warning");
  else
    gtk_widget_remove_css_class (cell, "warning");
  if (state == ASTRA_EXPIRY_NONE)
    gtk_widget_add_css_class (cell, "dim-label");
  else
    gtk_widget_remove_css_class (cell, "dim-label");
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
astra_tokens_page_show_expiring (AstraTokensPage *self)
{
  g_return_if_fail (ASTRA_IS_TOKENS_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->expiring_button, TRUE);
}

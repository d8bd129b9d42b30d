/* astra-window.c
 *
 * The main window. It shows one of four states in its main stack: loading (reading the
 * keyring), welcome (nothing connected), keyring (no Secret Service and nothing else to
 * show), and the organizations leaflet: a sidebar of connected organizations and, for the
 * selected one, the Tokens and Roles pages. The window only follows the context's
 * connection list and hands the selected organization to the pages; the pages do the work.
 * Actions live in astra-window-actions.c.
 *
 * The leaflet (astra-window-organizations.ui) is built the first time an organization is
 * listed, not with the window: a start on the welcome page would otherwise build, style
 * and register on the accessibility bus two pages of column views, menus and popovers
 * that it never shows. Until then its widgets are NULL. The loading and keyring pages
 * (astra-window-states.ui) are likewise built only for a window that shows one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-window"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-benchmark.h"
#include "astra-findings-page.h"
#include "astra-scan-ignore.h"
#include "astra-scan-quick.h"
#include "astra-secret-store.h"
#include "astra-sidebar-row.h"
#include "astra-toast.h"
#include "astra-window-private.h"

G_DEFINE_FINAL_TYPE (AstraWindow, astra_window, ADW_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static const char *
badge_for (AstraWindow     *self,
           AstraConnection *connection)
{
  AstraEnvironment env = astra_connection_get_environment (connection);

  if (astra_connection_get_is_demo (connection))
    return _("Demo");
  if (astra_context_is_from_environment (self->context, connection))
    return _("From Environment");
  if (env != ASTRA_ENVIRONMENT_PRODUCTION)
    return astra_environment_get_display_name (env);

  return NULL;
}

static GtkWidget *
create_sidebar_row (gpointer item,
                    gpointer user_data)
{
  AstraWindow *self = user_data;

  return astra_sidebar_row_new (ASTRA_CONNECTION (item), badge_for (self, item));
}

static GtkListBoxRow *
find_row (AstraWindow *self,
          const char  *org_id)
{
  if (self->sidebar_list == NULL)
    return NULL;

  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sidebar_list, i);
      AstraConnection *connection;

      if (row == NULL)
        return NULL;

      connection = astra_sidebar_row_get_connection (ASTRA_SIDEBAR_ROW (row));
      if (g_strcmp0 (astra_connection_get_org_id (connection), org_id) == 0)
        return row;
    }
}

/* Which organization to show first: the environment's (scripts and benchmarks set it on
 * purpose), else the one selected last time, else the first. */
static const char *
preferred_org_id (AstraWindow *self)
{
  GListModel *connections = astra_context_get_connections (self->context);
  g_autofree char *last = g_settings_get_string (astra_context_get_settings (self->context),
                                                 "last-organization");
  g_autoptr(AstraConnection) first = g_list_model_get_item (connections, 0);
  AstraConnection *found;

  if (first == NULL)
    return NULL;
  if (astra_context_is_from_environment (self->context, first))
    return astra_connection_get_org_id (first);
  if ((found = astra_context_find_connection (self->context, last)) != NULL)
    return astra_connection_get_org_id (found);

  return astra_connection_get_org_id (first);
}

static void create_primary_popup_cb (GtkMenuButton *button,
                                     gpointer       user_data);

/* While the Plain-Text Tokens page is open, a change of state is remembered for when it
 * closes instead of taking the page away. */
static void
show_main_page (AstraWindow *self,
                const char  *name)
{
  if (self->findings_page != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "findings") == 0)
    {
      g_free (self->before_findings);
      self->before_findings = g_strdup (name);
      return;
    }

  gtk_stack_set_visible_child_name (self->main_stack, name);
}

static void
show_state_page (AstraWindow *self,
                 const char  *name)
{
  if (self->keyring_page == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new ();
      g_autoptr(GError) error = NULL;

      if (!gtk_builder_add_from_resource (builder, RESOURCE_BASE "/ui/astra-window-states.ui",
                                          &error))
        g_error ("Window pages: %s", error->message);

      gtk_stack_add_named (self->main_stack,
                           GTK_WIDGET (gtk_builder_get_object (builder, "loading_box")),
                           "loading");
      gtk_stack_add_named (self->main_stack,
                           GTK_WIDGET (gtk_builder_get_object (builder, "keyring_box")),
                           "keyring");
      gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (gtk_builder_get_object (builder, "keyring_menu_button")),
                                             create_primary_popup_cb, self, NULL);
      self->keyring_page = ADW_STATUS_PAGE (gtk_builder_get_object (builder, "keyring_page"));
    }

  show_main_page (self, name);
}

static void
update_keyring_page (AstraWindow  *self,
                     const GError *error)
{
  const char *description;

  if (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
      g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED))
    description = _("The keyring is locked. Unlock it, then try again.");
  else
    description = _("Astra Tokens keeps every secret in the system keyring, but no Secret Service "
                    "is running. Install and start GNOME Keyring (the “gnome-keyring” package) or "
                    "another Secret Service provider such as KeePassXC, then try again.");

  adw_status_page_set_description (self->keyring_page, description);
  adw_status_page_set_icon_name (self->keyring_page, "dialog-warning-symbolic");
}

static void
on_quick_scan_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AstraWindow) self = user_data;
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GListModel) shown = NULL;
  g_autofree char *text = NULL;
  guint n;

  findings = astra_scan_quick_finish (result, NULL);
  if (findings == NULL)
    return;   /* cancelled: the window closed */

  shown = astra_scan_ignore_filter (astra_context_get_settings (self->context), findings);
  n = g_list_model_get_n_items (shown);
  if (n == 0)
    return;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "An Astra token lies in plain text on this computer, "
                                       "where any program can read it.",
                                       "%u Astra tokens lie in plain text on this computer, "
                                       "where any program can read them.", n), n);
  gtk_label_set_text (self->findings_hint_label, text);
  gtk_revealer_set_reveal_child (self->findings_hint, TRUE);
}

/* The welcome page says when tokens lie in the usual places; once per window, and off the
 * main thread (astra-scan-quick.h). */
static void
start_findings_hint (AstraWindow *self)
{
  if (self->findings_hint_started)
    return;

  self->findings_hint_started = TRUE;
  astra_scan_quick_async (astra_findings_default_root (), self->cancellable, on_quick_scan_cb,
                          g_object_ref (self));
}

static void
update_main_stack (AstraWindow *self)
{
  GListModel *connections = astra_context_get_connections (self->context);
  const GError *error = astra_context_get_load_error (self->context);
  guint n = g_list_model_get_n_items (connections);

  if (n > 0)
    {
      astra_window_ensure_organizations (self);
      show_main_page (self, "organizations");
      if (gtk_list_box_get_selected_row (self->sidebar_list) == NULL)
        astra_window_select_org (self, self->selected_org_id != NULL &&
                                 astra_context_find_connection (self->context, self->selected_org_id)
                                 ? self->selected_org_id : preferred_org_id (self));
      if (self->pending_search != NULL)
        {
          g_autofree char *text = g_steal_pointer (&self->pending_search);
          g_autofree char *org_id = g_steal_pointer (&self->pending_search_org_id);

          astra_window_search_tokens (self, org_id, text);
        }
    }
  else if (!astra_context_get_loaded (self->context))
    {
      /* A window built before the keyring answered waits unseen (see
       * astra_application_activate()); only one shown meanwhile needs the loading page. */
      if (self->showing)
        show_state_page (self, "loading");
    }
  else if (error != NULL && error->domain == ASTRA_SECRET_STORE_ERROR)
    {
      show_state_page (self, "keyring");
      update_keyring_page (self, error);
    }
  else
    {
      show_main_page (self, "welcome");
      start_findings_hint (self);
    }

  astra_window_update_actions (self);
}

static void
update_info_bar (AstraWindow *self)
{
  AstraConnection *connection = self->connection;
  const char *text = NULL;

  if (self->leaflet == NULL)
    return;

  if (connection != NULL && astra_connection_get_is_demo (connection))
    text = _("This is a demo organization, served by a simulator on this computer. "
             "Nothing you do here touches a real Astra account.");
  else if (connection != NULL && astra_context_is_from_environment (self->context, connection))
    text = _("This organization comes from the ASTRA_API_URL and ASTRA_DB_APPLICATION_TOKEN "
             "environment variables. It is not saved in the keyring.");

  if (text != NULL)
    gtk_label_set_label (self->info_label, text);
  /* Hidden, not just folded away: a collapsed revealer still allocates its padded child. */
  gtk_widget_set_visible (GTK_WIDGET (self->demo_revealer), text != NULL);
  gtk_revealer_set_reveal_child (self->demo_revealer, text != NULL);
}

static void on_display_name_cb (AstraWindow *self);

static void
set_connection (AstraWindow     *self,
                AstraConnection *connection)
{
  if (connection == self->connection)
    return;
  if (connection != NULL)
    astra_window_ensure_organizations (self);

  if (self->connection != NULL)
    g_clear_signal_handler (&self->name_handler, self->connection);
  g_set_object (&self->connection, connection);

  if (connection != NULL)
    {
      self->name_handler = g_signal_connect_object (connection, "notify::display-name",
                                                    G_CALLBACK (on_display_name_cb), self,
                                                    G_CONNECT_SWAPPED);
      g_free (self->selected_org_id);
      self->selected_org_id = g_strdup (astra_connection_get_org_id (connection));
      if (!astra_context_is_session_only (self->context, connection))
        g_settings_set_string (astra_context_get_settings (self->context), "last-organization",
                               self->selected_org_id);
      adw_view_switcher_title_set_subtitle (self->switcher_title,
                                            astra_connection_get_display_name (connection));
    }
  else if (self->switcher_title != NULL)
    adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);

  update_info_bar (self);
  if (self->tokens_page != NULL)
    {
      astra_tokens_page_set_connection (self->tokens_page, self->context, connection);
      if (self->roles_page != NULL)
        astra_roles_page_set_connection (self->roles_page, self->context, connection);
    }
  astra_window_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

/* A menu button builds its popover, a widget per item, as soon as it has a menu model: the
 * main menus get theirs when first opened instead. */
static void
create_primary_popup_cb (GtkMenuButton *button,
                         gpointer       user_data)
{
  AstraWindow *self = user_data;

  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
on_connections_changed_cb (AstraWindow *self,
                           guint        position,
                           guint        removed,
                           guint        added,
                           GListModel  *model)
{
  g_assert (ASTRA_IS_WINDOW (self));

  /* A replaced connection (new token) is a new object: follow it by org id. */
  if (self->connection != NULL &&
      astra_context_find_connection (self->context, self->selected_org_id) != self->connection)
    {
      set_connection (self, NULL);
      astra_window_select_org (self, self->selected_org_id);
    }

  update_main_stack (self);
}

static void
on_context_loaded_cb (AstraWindow *self)
{
  update_main_stack (self);
}

static void
on_sidebar_row_selected_cb (AstraWindow   *self,
                            GtkListBoxRow *row)
{
  AstraConnection *connection = NULL;

  g_assert (ASTRA_IS_WINDOW (self));

  if (row == NULL)
    return;

  connection = astra_sidebar_row_get_connection (ASTRA_SIDEBAR_ROW (row));
  set_connection (self, connection);
}

static void
on_sidebar_row_activated_cb (AstraWindow   *self,
                             GtkListBoxRow *row)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* Most starts never show the Roles page: its widgets (a template, a list, a detail pane)
 * are built the first time it is, not with the organizations view. */
static void
ensure_roles_page (AstraWindow *self)
{
  if (self->roles_page != NULL)
    return;

  self->roles_page = ASTRA_ROLES_PAGE (g_object_new (ASTRA_TYPE_ROLES_PAGE, NULL));
  adw_bin_set_child (self->roles_slot, GTK_WIDGET (self->roles_page));
  astra_roles_page_set_connection (self->roles_page, self->context, self->connection);
}

static void
on_view_stack_visible_child_cb (AstraWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "roles") == 0)
    ensure_roles_page (self);
  astra_window_update_actions (self);
}

static void
on_display_name_cb (AstraWindow *self)
{
  if (self->connection != NULL && self->switcher_title != NULL)
    adw_view_switcher_title_set_subtitle (self->switcher_title,
                                          astra_connection_get_display_name (self->connection));
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWidget                                                                                  */

static void
astra_window_show (GtkWidget *widget)
{
  AstraWindow *self = ASTRA_WINDOW (widget);

  self->showing = TRUE;
  if (self->context != NULL)
    update_main_stack (self);

  GTK_WIDGET_CLASS (astra_window_parent_class)->show (widget);
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWindow                                                                                  */

static gboolean
astra_window_close_request (GtkWindow *window)
{
  AstraWindow *self = ASTRA_WINDOW (window);
  GSettings *settings = astra_context_get_settings (self->context);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));

  g_cancellable_cancel (self->cancellable);
  set_connection (self, NULL);

  return GTK_WINDOW_CLASS (astra_window_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

/* Called once the window has its application ("application" is not a construct property). */
static void
setup (AstraWindow      *self,
       AstraApplication *app)
{
  GListModel *connections;
  GSettings *settings;

  self->context = g_object_ref (astra_application_get_context (app));
  settings = astra_context_get_settings (self->context);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  connections = astra_context_get_connections (self->context);
  /* After the sidebar (bound once the organizations view is built) has followed the
   * change, so that a removed organization's row is gone when another is selected. */
  g_signal_connect_object (connections, "items-changed",
                           G_CALLBACK (on_connections_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->context, "notify::loaded",
                           G_CALLBACK (on_context_loaded_cb), self, G_CONNECT_SWAPPED);

  update_main_stack (self);
  astra_benchmark_attach (self);
}

static void
astra_window_dispose (GObject *object)
{
  AstraWindow *self = ASTRA_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* libadwaita 1.2's view switchers must let go of the stack before it is disposed. */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  if (self->connection != NULL)
    g_clear_signal_handler (&self->name_handler, self->connection);
  g_clear_object (&self->connection);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (astra_window_parent_class)->dispose (object);
}

static void
astra_window_finalize (GObject *object)
{
  AstraWindow *self = ASTRA_WINDOW (object);

  g_clear_pointer (&self->selected_org_id, g_free);
  g_clear_pointer (&self->pending_search, g_free);
  g_clear_pointer (&self->pending_search_org_id, g_free);
  g_clear_pointer (&self->before_findings, g_free);

  G_OBJECT_CLASS (astra_window_parent_class)->finalize (object);
}

static void
astra_window_class_init (AstraWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = astra_window_dispose;
  object_class->finalize = astra_window_finalize;
  window_class->close_request = astra_window_close_request;
  widget_class->show = astra_window_show;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/astra-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AstraWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AstraWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, AstraWindow, welcome_menu_button);
  gtk_widget_class_bind_template_child (widget_class, AstraWindow, findings_hint);
  gtk_widget_class_bind_template_child (widget_class, AstraWindow, findings_hint_label);

  astra_window_class_actions_init (klass);
}

static void
astra_window_init (AstraWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->welcome_menu_button, create_primary_popup_cb,
                                         self, NULL);
  astra_window_actions_init (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Private API                                                                                */

void
astra_window_update_main_stack (AstraWindow *self)
{
  g_return_if_fail (ASTRA_IS_WINDOW (self));

  update_main_stack (self);
}

void
astra_window_ensure_organizations (AstraWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GtkBuilderScope) scope = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ASTRA_IS_WINDOW (self));

  if (self->leaflet != NULL)
    return;

  /* The builder finds types by name: register them first. */
  g_type_ensure (ASTRA_TYPE_TOKENS_PAGE);

  scope = gtk_builder_cscope_new ();
  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope),
                                           "on_sidebar_row_selected_cb", G_CALLBACK (on_sidebar_row_selected_cb),
                                           "on_sidebar_row_activated_cb", G_CALLBACK (on_sidebar_row_activated_cb),
                                           "on_view_stack_visible_child_cb", G_CALLBACK (on_view_stack_visible_child_cb),
                                           NULL);
  builder = gtk_builder_new ();
  gtk_builder_set_scope (builder, scope);
  /* Signal handlers without an object get the window, as in a template. */
  gtk_builder_set_current_object (builder, G_OBJECT (self));
  if (!gtk_builder_add_from_resource (builder, RESOURCE_BASE "/ui/astra-window-organizations.ui",
                                      &error))
    g_error ("Organizations view: %s", error->message);

  self->leaflet = ADW_LEAFLET (gtk_builder_get_object (builder, "leaflet"));
  self->sidebar_list = GTK_LIST_BOX (gtk_builder_get_object (builder, "sidebar_list"));
  self->switcher_title = ADW_VIEW_SWITCHER_TITLE (gtk_builder_get_object (builder, "switcher_title"));
  self->switcher_bar = ADW_VIEW_SWITCHER_BAR (gtk_builder_get_object (builder, "switcher_bar"));
  self->view_stack = ADW_VIEW_STACK (gtk_builder_get_object (builder, "view_stack"));
  self->demo_revealer = GTK_REVEALER (gtk_builder_get_object (builder, "demo_revealer"));
  self->info_label = GTK_LABEL (gtk_builder_get_object (builder, "info_label"));
  self->tokens_page = ASTRA_TOKENS_PAGE (gtk_builder_get_object (builder, "tokens_page"));
  self->roles_slot = ADW_BIN (gtk_builder_get_object (builder, "roles_slot"));
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (gtk_builder_get_object (builder, "menu_button")),
                                         create_primary_popup_cb, self, NULL);

  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->leaflet), "organizations");
  gtk_list_box_bind_model (self->sidebar_list, astra_context_get_connections (self->context),
                           create_sidebar_row, self, NULL);
  astra_benchmark_watch_pages (self);
}

void
astra_window_add_toast (AstraWindow *self,
                        const char  *title)
{
  g_return_if_fail (ASTRA_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, astra_toast_new (title));
}

void
astra_window_select_org (AstraWindow *self,
                         const char  *org_id)
{
  GtkListBoxRow *row;

  g_return_if_fail (ASTRA_IS_WINDOW (self));

  if (org_id != NULL && astra_context_find_connection (self->context, org_id) != NULL)
    astra_window_ensure_organizations (self);
  if (org_id == NULL || (row = find_row (self, org_id)) == NULL)
    return;

  gtk_list_box_select_row (self->sidebar_list, row);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraWindow *
astra_window_new (AstraApplication *application)
{
  AstraWindow *self;

  g_return_val_if_fail (ASTRA_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (astra_application_get_context (application) != NULL, NULL);

  self = g_object_new (ASTRA_TYPE_WINDOW, "application", application, NULL);
  setup (self, application);

  return self;
}

AstraConnection *
astra_window_get_connection (AstraWindow *self)
{
  g_return_val_if_fail (ASTRA_IS_WINDOW (self), NULL);
  return self->connection;
}

/**
 * astra_window_search_tokens:
 * @org_id: (nullable): the organization to search in, if connected; else the one shown
 * @text: what to search for
 *
 * Shows the Tokens page with @text in its search entry (GNOME Shell's "more results").
 * Before the organizations are listed, remembers it until they are.
 */
void
astra_window_search_tokens (AstraWindow *self,
                            const char  *org_id,
                            const char  *text)
{
  g_return_if_fail (ASTRA_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  if (g_list_model_get_n_items (astra_context_get_connections (self->context)) == 0)
    {
      /* Nothing to search in until the keyring has answered; nothing at all after. */
      if (!astra_context_get_loaded (self->context))
        {
          g_free (self->pending_search);
          g_free (self->pending_search_org_id);
          self->pending_search = g_strdup (text);
          self->pending_search_org_id = g_strdup (org_id);
        }
      return;
    }

  if (org_id != NULL && astra_context_find_connection (self->context, org_id) != NULL)
    astra_window_select_org (self, org_id);
  if (self->view_stack == NULL || self->connection == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "tokens");
  astra_tokens_page_set_search (self->tokens_page, text);
}

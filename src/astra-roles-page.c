/* astra-roles-page.c
 *
 * The Roles page of one organization: the built-in and custom roles in a list, and the
 * selected role's policy (description, effect, resources, actions) in a details pane.
 * Custom roles can be created, edited (through the role editor dialog) and deleted; built-in
 * roles say that they cannot be changed. Loading, empty and error are GtkStack pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-roles-page"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-client.h"
#include "astra-role.h"
#include "astra-role-editor-dialog.h"
#include "astra-roles-page.h"
#include "astra-secret-store.h"
#include "astra-toast.h"

struct _AstraRolesPage
{
  AdwBin              parent_instance;

  AstraContext       *context;
  AstraConnection    *connection;
  AstraClient        *client;
  GCancellable       *cancellable;
  GListStore         *roles;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
  const char         *state;
  /* The connection changed or a refresh was asked for while the page was hidden. */
  gboolean            stale;

  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_page;
  GtkWidget          *replace_button;
  GtkListView        *list_view;
  GtkLabel           *name_label;
  GtkLabel           *kind_label;
  GtkWidget          *edit_box;
  AdwActionRow       *description_row;
  AdwActionRow       *effect_row;
  AdwActionRow       *resources_row;
  GtkWidget          *actions_group;
  GtkFlowBox         *actions_box;
};

G_DEFINE_FINAL_TYPE (AstraRolesPage, astra_roles_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
set_state (AstraRolesPage *self,
           const char     *state)
{
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->stack, state);

  if (g_strcmp0 (self->state, state) == 0)
    return;

  self->state = g_intern_string (state);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
add_toast (AstraRolesPage *self,
           const char     *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), astra_toast_new (title));
}

static AstraRole *
get_selected_role (AstraRolesPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
show_error (AstraRolesPage *self,
            const GError   *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);
  g_autofree char *description = NULL;
  gboolean can_replace = FALSE;
  const char *title;

  if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED))
    {
      title = _("Token Not Accepted");
      description = g_strdup_printf ("%s\n\n%s",
                                     _("The management token is invalid, revoked, or for another "
                                       "environment."),
                                     escaped);
      can_replace = TRUE;
    }
  else if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_FORBIDDEN))
    {
      title = _("Permission Denied");
      description = g_strdup_printf ("%s\n\n%s",
                                     _("The role of this organization’s management token does not "
                                       "allow reading roles."),
                                     escaped);
    }
  else if (error->domain == ASTRA_SECRET_STORE_ERROR)
    {
      title = _("Keyring Unavailable");
      description = g_steal_pointer (&escaped);
      can_replace = g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND);
    }
  else
    {
      title = _("Could Not Load Roles");
      description = g_steal_pointer (&escaped);
    }

  if (can_replace && astra_context_is_session_only (self->context, self->connection))
    can_replace = FALSE;

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  gtk_widget_set_visible (self->replace_button, can_replace);
  set_state (self, "error");
}

static GtkWidget *
create_action_chip (gpointer item,
                    gpointer user_data)
{
  GtkWidget *label = gtk_label_new (gtk_string_object_get_string (item));

  gtk_widget_add_css_class (label, "astra-chip");
  gtk_widget_add_css_class (label, "monospace");
  return label;
}

static void
update_details (AstraRolesPage *self)
{
  AstraRole *role = get_selected_role (self);
  g_autoptr(GtkStringList) actions = NULL;
  g_autofree char *resources = NULL;
  gboolean builtin;

  gtk_widget_set_visible (GTK_WIDGET (self->name_label), role != NULL);
  if (role == NULL)
    {
      gtk_flow_box_bind_model (self->actions_box, NULL, NULL, NULL, NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "roles.edit", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "roles.delete", FALSE);
      return;
    }

  builtin = astra_role_is_builtin (role);
  gtk_label_set_label (self->name_label, astra_role_get_name (role));
  gtk_label_set_label (self->kind_label,
                       builtin ? _("Built-in role. Built-in roles cannot be changed or deleted.")
                               : _("Custom role"));
  gtk_widget_set_visible (self->edit_box, !builtin);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roles.edit", !builtin);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "roles.delete", !builtin);

  adw_action_row_set_subtitle (self->description_row,
                               *astra_role_get_description (role) != '\0'
                               ? astra_role_get_description (role) : _("No description"));
  adw_action_row_set_subtitle (self->effect_row, astra_role_get_effect (role));
  resources = g_strjoinv ("\n", (char **) astra_role_get_resources (role));
  adw_action_row_set_subtitle (self->resources_row, *resources != '\0' ? resources : "—");

  actions = gtk_string_list_new (astra_role_get_actions (role));
  gtk_flow_box_bind_model (self->actions_box, G_LIST_MODEL (actions), create_action_chip, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_roles_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AstraRolesPage) self = user_data;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  roles = astra_client_list_roles_finish (ASTRA_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (roles == NULL)
    {
      show_error (self, error);
      return;
    }

  n = g_list_model_get_n_items (roles);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (roles, i));
  g_list_store_splice (self->roles, 0, g_list_model_get_n_items (G_LIST_MODEL (self->roles)),
                       items->pdata, items->len);

  set_state (self, n > 0 ? "list" : "empty");
  update_details (self);
}

static void
on_client_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AstraRolesPage) self = user_data;
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = astra_context_get_client_finish (ASTRA_CONTEXT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;
  if (client == NULL)
    {
      show_error (self, error);
      return;
    }

  g_set_object (&self->client, client);
  astra_client_list_roles_async (client, self->cancellable, on_roles_listed_cb,
                                 g_object_ref (self));
}

static void
on_selection_changed_cb (AstraRolesPage *self)
{
  update_details (self);
}

static void
on_role_saved_cb (AstraRolesPage *self)
{
  add_toast (self, _("Role saved"));
  astra_roles_page_refresh (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Rows                                                                                       */

static void
setup_role_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *kind = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (kind), 0);
  gtk_widget_add_css_class (kind, "caption");
  gtk_widget_add_css_class (kind, "dim-label");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), kind);
  gtk_list_item_set_child (item, box);
}

static void
bind_role_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  AstraRole *role = gtk_list_item_get_item (item);
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *kind = gtk_widget_get_next_sibling (name);

  gtk_label_set_label (GTK_LABEL (name), astra_role_get_name (role));
  gtk_label_set_label (GTK_LABEL (kind), astra_role_is_builtin (role) ? _("Built-in") : _("Custom"));
}

/* Custom roles first, then built-in ones, each by name. */
static int
compare_roles (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  AstraRole *ra = (AstraRole *) a;
  AstraRole *rb = (AstraRole *) b;
  gboolean ba = astra_role_is_builtin (ra);
  gboolean bb = astra_role_is_builtin (rb);

  if (ba != bb)
    return ba ? 1 : -1;

  return g_utf8_collate (astra_role_get_name (ra), astra_role_get_name (rb));
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
open_editor (AstraRolesPage *self,
             AstraRole      *role)
{
  AstraRoleEditorDialog *dialog;

  if (self->client == NULL)
    return;

  dialog = astra_role_editor_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         self->client, self->connection, role);
  g_signal_connect_object (dialog, "role-saved", G_CALLBACK (on_role_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  open_editor (ASTRA_ROLES_PAGE (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AstraRolesPage *self = ASTRA_ROLES_PAGE (widget);
  AstraRole *role = get_selected_role (self);

  if (role != NULL && !astra_role_is_builtin (role))
    open_editor (self, role);
}

static void
on_role_deleted_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AstraRolesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_client_delete_role_finish (ASTRA_CLIENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_toast (self, error->message);
      return;
    }

  add_toast (self, _("Role deleted"));
  astra_roles_page_refresh (self);
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       AstraRolesPage   *self)
{
  const char *role_id = g_object_get_data (G_OBJECT (dialog), "role-id");

  if (g_strcmp0 (response, "delete") != 0 || self->client == NULL)
    return;

  astra_client_delete_role_async (self->client, role_id, self->cancellable,
                                  on_role_deleted_cb, g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AstraRolesPage *self = ASTRA_ROLES_PAGE (widget);
  AstraRole *role = get_selected_role (self);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (role == NULL || astra_role_is_builtin (role))
    return;

  heading = g_strdup_printf (_("Delete Role “%s”?"), astra_role_get_name (role));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("Tokens that use this role lose it, and with it the access "
                                     "it grants. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "role-id", g_strdup (astra_role_get_id (role)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  astra_roles_page_refresh (ASTRA_ROLES_PAGE (widget));
}

static void
replace_token_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  AstraRolesPage *self = ASTRA_ROLES_PAGE (widget);

  if (self->connection != NULL)
    gtk_widget_activate_action (widget, "win.replace-token", "s",
                                astra_connection_get_org_id (self->connection));
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_roles_page_map (GtkWidget *widget)
{
  AstraRolesPage *self = ASTRA_ROLES_PAGE (widget);

  GTK_WIDGET_CLASS (astra_roles_page_parent_class)->map (widget);

  if (self->stale)
    astra_roles_page_refresh (self);
}

/* Each answer on its way holds the page, so dispose alone would wait for the server (or the
 * client's 20 s timeout) before cancelling: out of its window, the page stops at once, and
 * loads again if it is shown somewhere else. */
static void
astra_roles_page_unroot (GtkWidget *widget)
{
  AstraRolesPage *self = ASTRA_ROLES_PAGE (widget);

  if (self->cancellable != NULL && !g_cancellable_is_cancelled (self->cancellable))
    {
      g_cancellable_cancel (self->cancellable);
      self->stale = TRUE;
    }

  GTK_WIDGET_CLASS (astra_roles_page_parent_class)->unroot (widget);
}

static void
astra_roles_page_dispose (GObject *object)
{
  AstraRolesPage *self = ASTRA_ROLES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->connection);
  g_clear_object (&self->client);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->roles);

  G_OBJECT_CLASS (astra_roles_page_parent_class)->dispose (object);
}

static void
astra_roles_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AstraRolesPage *self = ASTRA_ROLES_PAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_roles_page_class_init (AstraRolesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = astra_roles_page_dispose;
  widget_class->map = astra_roles_page_map;
  widget_class->unroot = astra_roles_page_unroot;
  object_class->get_property = astra_roles_page_get_property;

  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "loading",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/astra-roles-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, replace_button);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, kind_label);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, edit_box);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, description_row);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, effect_row);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, resources_row);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, actions_group);
  gtk_widget_class_bind_template_child (widget_class, AstraRolesPage, actions_box);
  gtk_widget_class_bind_template_callback (widget_class, setup_role_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_role_cb);

  gtk_widget_class_install_action (widget_class, "roles.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "roles.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "roles.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "roles.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "roles.replace-token", NULL, replace_token_action);
}

static void
astra_roles_page_init (AstraRolesPage *self)
{
  self->state = g_intern_static_string ("loading");
  gtk_widget_init_template (GTK_WIDGET (self));

  self->roles = g_list_store_new (ASTRA_TYPE_ROLE);
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->roles)),
                                              GTK_SORTER (gtk_custom_sorter_new (compare_roles, NULL, NULL)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sort_model)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
astra_roles_page_set_connection (AstraRolesPage  *self,
                                 AstraContext    *context,
                                 AstraConnection *connection)
{
  g_return_if_fail (ASTRA_IS_ROLES_PAGE (self));

  g_set_object (&self->context, context);
  if (self->connection == connection && connection != NULL)
    return;

  g_set_object (&self->connection, connection);
  g_clear_object (&self->client);
  g_list_store_remove_all (self->roles);
  astra_roles_page_refresh (self);
}

void
astra_roles_page_refresh (AstraRolesPage *self)
{
  g_return_if_fail (ASTRA_IS_ROLES_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->connection == NULL || self->context == NULL)
    {
      set_state (self, "loading");
      return;
    }

  /* Most sessions never open this page, and the Tokens page lists the roles on its own:
   * a hidden page loads when it is first shown (map), not at startup. This keeps a
   * second roles request, and the layout of the role list and of the selected role's
   * action chips, out of the time to the first token list (build-aux/bench). */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      if (g_list_model_get_n_items (G_LIST_MODEL (self->roles)) == 0)
        set_state (self, "loading");
      return;
    }
  self->stale = FALSE;

  self->cancellable = g_cancellable_new ();
  if (g_list_model_get_n_items (G_LIST_MODEL (self->roles)) == 0)
    set_state (self, "loading");

  astra_context_get_client_async (self->context, self->connection, self->cancellable,
                                  on_client_cb, g_object_ref (self));
}

const char *
astra_roles_page_get_state (AstraRolesPage *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLES_PAGE (self), NULL);
  return self->state;
}

GListModel *
astra_roles_page_get_model (AstraRolesPage *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLES_PAGE (self), NULL);
  return G_LIST_MODEL (self->sort_model);
}

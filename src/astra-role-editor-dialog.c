/* astra-role-editor-dialog.c: create or edit a custom role scoped to one database
 *
 * Scoping a token to one database means a custom role whose resources are the
 * organization, the database, its keyspaces and its tables (astra-api.md §3.3), with
 * org-db-view plus the db-, keyspace- and table-level actions wanted (§3.4). The dialog
 * picks the database from GET /v2/databases, offers three presets that fill a detailed
 * action checklist, and saves with POST or PUT. Errors from the API (409 duplicate name,
 * 400 with a plain-text body) are shown inside the dialog with the API's own words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-role-editor-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-database.h"
#include "astra-role-editor-dialog.h"

typedef enum
{
  GROUP_DATABASE,
  GROUP_KEYSPACE,
  GROUP_TABLE,
  GROUP_API,
  N_GROUPS
} ActionGroup;

typedef enum {
  PRESET_READ_ONLY,
  PRESET_READ_WRITE,
  PRESET_ADMIN,
  PRESET_CUSTOM,
  N_PRESETS
} Preset;

/* Above this many databases the search entry is shown. */
#define DATABASE_SEARCH_THRESHOLD 8
/* Above this many rows in sight the database list scrolls, this high (about six rows). */
#define DATABASE_SCROLL_THRESHOLD 6
#define DATABASE_LIST_HEIGHT 340

typedef struct
{
  const char  *id;
  const char  *label;
  ActionGroup  group;
  guint        in_read_only : 1;
  guint        in_read_write : 1;
} ActionInfo;

/* Every action a database-scoped role can usefully hold. The Administrator preset is all
 * of them; org-db-view is always included (without it the database is invisible). */
static const ActionInfo action_infos[] = {
  { "org-db-view", N_("See the database"), GROUP_DATABASE, TRUE, TRUE },
  { "org-db-expand", N_("Expand the database"), GROUP_DATABASE },
  { "org-db-suspend", N_("Park and unpark the database"), GROUP_DATABASE },
  { "org-db-passwordreset", N_("Reset the database password"), GROUP_DATABASE },
  { "org-db-addpeering", N_("Add VPC peering"), GROUP_DATABASE },
  { "org-db-managemigratorproxy", N_("Manage the migration proxy"), GROUP_DATABASE },
  { "db-manage-region", N_("Manage regions"), GROUP_DATABASE },
  { "db-manage-privateendpoint", N_("Manage private endpoints"), GROUP_DATABASE },
  { "db-manage-thirdpartymetrics", N_("Manage third-party metrics"), GROUP_DATABASE },
  { "org-db-terminate", N_("Terminate the database"), GROUP_DATABASE },
  { "db-all-keyspace-describe", N_("Describe all keyspaces"), GROUP_KEYSPACE, TRUE, TRUE },
  { "db-keyspace-describe", N_("Describe keyspaces"), GROUP_KEYSPACE, TRUE, TRUE },
  { "db-all-keyspace-create", N_("Create any keyspace"), GROUP_KEYSPACE },
  { "db-keyspace-create", N_("Create keyspaces"), GROUP_KEYSPACE },
  { "db-keyspace-alter", N_("Alter keyspaces"), GROUP_KEYSPACE },
  { "db-keyspace-modify", N_("Modify keyspaces"), GROUP_KEYSPACE },
  { "db-keyspace-drop", N_("Drop keyspaces"), GROUP_KEYSPACE },
  { "db-keyspace-grant", N_("Grant keyspace permissions"), GROUP_KEYSPACE },
  { "db-keyspace-authorize", N_("Authorize keyspace access"), GROUP_KEYSPACE },
  { "db-table-select", N_("Read table data"), GROUP_TABLE, TRUE, TRUE },
  { "db-table-describe", N_("Describe tables"), GROUP_TABLE, TRUE, TRUE },
  { "db-table-modify", N_("Write table data"), GROUP_TABLE, FALSE, TRUE },
  { "db-table-create", N_("Create tables"), GROUP_TABLE },
  { "db-table-alter", N_("Alter tables"), GROUP_TABLE },
  { "db-table-drop", N_("Drop tables"), GROUP_TABLE },
  { "db-table-grant", N_("Grant table permissions"), GROUP_TABLE },
  { "db-table-authorize", N_("Authorize table access"), GROUP_TABLE },
  { "db-cql", N_("CQL"), GROUP_API, TRUE, TRUE },
  { "db-rest", N_("REST API"), GROUP_API, TRUE, TRUE },
  { "db-graphql", N_("GraphQL API"), GROUP_API, TRUE, TRUE },
  { "db-data-import", N_("Import data"), GROUP_API },
};

static const char *group_titles[N_GROUPS] = {
  N_("Database Management"),
  N_("Keyspaces"),
  N_("Tables"),
  N_("API Access"),
};

#define ALWAYS_INCLUDED_ACTION "org-db-view"

struct _AstraRoleEditorDialog
{
  AdwWindow            parent_instance;

  AstraClient         *client;
  AstraConnection     *connection;
  AstraRole           *role;            /* NULL when creating */
  char                *role_db_id;      /* the database the edited role is scoped to */
  GListModel          *databases;
  AstraDatabase       *selected_database;
  GHashTable          *actions;         /* checked action ids, including unknown ones */
  GHashTable          *checks;          /* action id → GtkCheckButton (unowned) */
  GCancellable        *cancellable;
  gboolean             busy;
  gboolean             loading;
  gboolean             applying_preset;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *save_stack;
  GtkSpinner          *save_spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  AdwPreferencesPage  *page;
  AdwEntryRow         *name_row;
  AdwEntryRow         *description_row;
  AdwPreferencesGroup *database_group;
  GtkSearchEntry      *database_search;
  GtkListBox          *database_status_list;
  AdwActionRow        *database_status_row;
  GtkStack            *database_stack;
  GtkSpinner          *database_spinner;
  GtkScrolledWindow   *database_scroller;
  GtkListBox          *database_list;
  GtkCheckButton      *preset_read_only_check;
  GtkCheckButton      *preset_read_write_check;
  GtkCheckButton      *preset_admin_check;
  GtkCheckButton      *preset_custom_check;
};

G_DEFINE_FINAL_TYPE (AstraRoleEditorDialog, astra_role_editor_dialog, ADW_TYPE_WINDOW)

enum {
  ROLE_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static const ActionInfo *
find_action_info (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_infos); i++)
    if (g_str_equal (action_infos[i].id, id))
      return &action_infos[i];

  return NULL;
}

static gboolean
in_preset (const ActionInfo *info,
           Preset            preset)
{
  switch (preset)
    {
    case PRESET_READ_ONLY:
      return info->in_read_only;
    case PRESET_READ_WRITE:
      return info->in_read_write;
    case PRESET_ADMIN:
      return TRUE;
    case PRESET_CUSTOM:
    case N_PRESETS:
    default:
      return FALSE;
    }
}

/* The preset whose action set is exactly the checked set, else PRESET_CUSTOM. */
static Preset
detect_preset (AstraRoleEditorDialog *self)
{
  for (Preset preset = PRESET_READ_ONLY; preset < PRESET_CUSTOM; preset++)
    {
      guint n = 0;
      gboolean match = TRUE;

      for (guint i = 0; i < G_N_ELEMENTS (action_infos) && match; i++)
        {
          gboolean wanted = in_preset (&action_infos[i], preset);

          match = wanted == g_hash_table_contains (self->actions, action_infos[i].id);
          n += wanted;
        }

      if (match && n == g_hash_table_size (self->actions))
        return preset;
    }

  return PRESET_CUSTOM;
}

static GtkCheckButton *
get_preset_check (AstraRoleEditorDialog *self,
                  Preset                 preset)
{
  GtkCheckButton *checks[N_PRESETS] = {
    self->preset_read_only_check, self->preset_read_write_check,
    self->preset_admin_check, self->preset_custom_check,
  };

  return checks[preset];
}

/* Selects the radio button of @preset without applying it: the actions are already so. */
static void
show_preset (AstraRoleEditorDialog *self,
             Preset                 preset)
{
  self->applying_preset = TRUE;
  gtk_check_button_set_active (get_preset_check (self, preset), TRUE);
  self->applying_preset = FALSE;
}

static AstraDatabase *
get_selected_database (AstraRoleEditorDialog *self)
{
  return self->selected_database;
}

static gboolean
is_valid (AstraRoleEditorDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (self->role != NULL && astra_role_is_builtin (self->role))
    return FALSE;

  return name[0] != '\0' && get_selected_database (self) != NULL;
}

static void
update_actions (AstraRoleEditorDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.save", !self->busy && is_valid (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.reload-databases", !self->loading);
}

static void
show_error (AstraRoleEditorDialog *self,
            const char            *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
set_busy (AstraRoleEditorDialog *self,
          gboolean               busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !busy);
  gtk_stack_set_visible_child_name (self->save_stack, busy ? "spinner" : "label");
  gtk_spinner_set_spinning (self->save_spinner, busy);
  update_actions (self);
}

static void
sync_checks (AstraRoleEditorDialog *self)
{
  GHashTableIter iter;
  gpointer id, check;

  self->applying_preset = TRUE;
  g_hash_table_iter_init (&iter, self->checks);
  while (g_hash_table_iter_next (&iter, &id, &check))
    gtk_check_button_set_active (check, g_hash_table_contains (self->actions, id));
  self->applying_preset = FALSE;
}

static void
apply_preset (AstraRoleEditorDialog *self,
              Preset                 preset)
{
  if (preset == PRESET_CUSTOM)
    return;

  /* Actions this dialog does not know (kept from an edited role) are not part of any
   * preset; choosing a preset replaces them too. */
  g_hash_table_remove_all (self->actions);
  for (guint i = 0; i < G_N_ELEMENTS (action_infos); i++)
    if (in_preset (&action_infos[i], preset))
      g_hash_table_add (self->actions, g_strdup (action_infos[i].id));
  g_hash_table_add (self->actions, g_strdup (ALWAYS_INCLUDED_ACTION));

  sync_checks (self);
}

static GtkWidget *
create_action_row (AstraRoleEditorDialog *self,
                   const char            *id,
                   const char            *label);

static void
add_action_groups (AstraRoleEditorDialog *self)
{
  AdwPreferencesGroup *groups[N_GROUPS];

  for (guint g = 0; g < N_GROUPS; g++)
    {
      groups[g] = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (groups[g], _(group_titles[g]));
      adw_preferences_page_add (self->page, groups[g]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (action_infos); i++)
    adw_preferences_group_add (groups[action_infos[i].group],
                               create_action_row (self, action_infos[i].id,
                                                  _(action_infos[i].label)));
}

/* Rows for actions of an edited role that the checklist does not know, so that saving
 * keeps them (the action list is open-ended, astra-api.md §3.4). */
static void
add_unknown_actions (AstraRoleEditorDialog *self,
                     const char * const    *actions)
{
  AdwPreferencesGroup *group = NULL;

  for (guint i = 0; actions != NULL && actions[i] != NULL; i++)
    {
      if (find_action_info (actions[i]) != NULL || g_hash_table_contains (self->checks, actions[i]))
        continue;

      if (group == NULL)
        {
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, _("Other Actions"));
          adw_preferences_group_set_description (group, _("Kept from the role as it is"));
          adw_preferences_page_add (self->page, group);
        }
      adw_preferences_group_add (group, create_action_row (self, actions[i], actions[i]));
    }
}

/* drn:astra:org:<org>:db:<db> → <db>; NULL for any other resource. */
static char *
database_of_resource (const char *resource)
{
  g_auto(GStrv) parts = g_strsplit (resource, ":", -1);

  if (g_strv_length (parts) < 6 ||
      !g_str_equal (parts[0], "drn") || !g_str_equal (parts[1], "astra") ||
      !g_str_equal (parts[2], "org") || !g_str_equal (parts[4], "db") ||
      g_str_equal (parts[5], "*") || parts[5][0] == '\0')
    return NULL;

  return g_strdup (parts[5]);
}

static GStrv
build_scope_resources (const char *org_id,
                       const char *db_id)
{
  GStrv resources = g_new0 (char *, 5);

  resources[0] = g_strdup_printf ("drn:astra:org:%s", org_id);
  resources[1] = g_strdup_printf ("drn:astra:org:%s:db:%s", org_id, db_id);
  resources[2] = g_strdup_printf ("drn:astra:org:%s:db:%s:keyspace:*", org_id, db_id);
  resources[3] = g_strdup_printf ("drn:astra:org:%s:db:%s:keyspace:*:table:*", org_id, db_id);

  return resources;
}

static GStrv
build_resources (AstraRoleEditorDialog *self,
                 AstraDatabase         *database)
{
  const char *db_id = astra_database_get_id (database);

  /* Editing without changing the database keeps the role's resources as they are, so a
   * role narrowed to certain keyspaces stays narrow. */
  if (self->role != NULL && g_strcmp0 (self->role_db_id, db_id) == 0)
    return g_strdupv ((char **) astra_role_get_resources (self->role));

  return build_scope_resources (astra_connection_get_org_id (self->connection), db_id);
}

/* The checked actions: the known ones in checklist order, then the others sorted. */
static GStrv
collect_actions (AstraRoleEditorDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer id;

  for (guint i = 0; i < G_N_ELEMENTS (action_infos); i++)
    if (g_hash_table_contains (self->actions, action_infos[i].id))
      g_strv_builder_add (builder, action_infos[i].id);

  g_hash_table_iter_init (&iter, self->actions);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (find_action_info (id) == NULL)
      g_ptr_array_add (others, id);
  g_ptr_array_sort (others, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < others->len; i++)
    g_strv_builder_add (builder, *(const char **) &others->pdata[i]);

  return g_strv_builder_end (builder);
}

static GtkCheckButton *
get_database_check (GtkListBoxRow *row)
{
  return GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
}

static AstraDatabase *
get_row_database (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (get_database_check (row)), "database");
}

/* The edited role's database, else the first one, as a choice has to be made. */
static void
select_role_database (AstraRoleEditorDialog *self)
{
  GtkListBoxRow *row;

  for (int i = 0;
       self->role_db_id != NULL &&
       (row = gtk_list_box_get_row_at_index (self->database_list, i)) != NULL;
       i++)
    {
      if (g_strcmp0 (astra_database_get_id (get_row_database (row)), self->role_db_id) == 0)
        {
          gtk_check_button_set_active (get_database_check (row), TRUE);
          return;
        }
    }

  if (self->role_db_id != NULL)
    adw_preferences_group_set_description (self->database_group,
                                           _("The role’s database no longer exists; saving "
                                             "scopes the role to the database chosen here"));
  if ((row = gtk_list_box_get_row_at_index (self->database_list, 0)) != NULL)
    gtk_check_button_set_active (get_database_check (row), TRUE);
}

static GtkWidget *
create_database_row (AstraRoleEditorDialog *self,
                     AstraDatabase         *database,
                     GtkCheckButton        *group);

/* A few rows are shown whole; more scroll inside a fixed height. (The preferences page
 * gives its groups their minimum height only, so the list cannot just ask for its natural
 * height up to a maximum.) */
static void
update_database_list_height (AstraRoleEditorDialog *self)
{
  GtkListBoxRow *row;
  guint shown = 0;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->database_list, i)) != NULL; i++)
    shown += gtk_widget_get_child_visible (GTK_WIDGET (row));

  gtk_scrolled_window_set_policy (self->database_scroller, GTK_POLICY_NEVER,
                                  shown > DATABASE_SCROLL_THRESHOLD ? GTK_POLICY_AUTOMATIC
                                                                    : GTK_POLICY_NEVER);
  gtk_scrolled_window_set_min_content_height (self->database_scroller,
                                              shown > DATABASE_SCROLL_THRESHOLD
                                              ? DATABASE_LIST_HEIGHT : -1);
}

static void
fill_database_list (AstraRoleEditorDialog *self)
{
  GtkCheckButton *group = NULL;
  GtkListBoxRow *old;
  guint n = g_list_model_get_n_items (self->databases);

  g_clear_object (&self->selected_database);
  while ((old = gtk_list_box_get_row_at_index (self->database_list, 0)) != NULL)
    gtk_list_box_remove (self->database_list, GTK_WIDGET (old));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraDatabase) database = g_list_model_get_item (self->databases, i);
      GtkWidget *row = create_database_row (self, database, group);

      gtk_list_box_append (self->database_list, row);
      if (group == NULL)
        group = get_database_check (GTK_LIST_BOX_ROW (row));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->database_search), n > DATABASE_SEARCH_THRESHOLD);
  update_database_list_height (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_action_toggled_cb (GtkCheckButton        *check,
                      AstraRoleEditorDialog *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "action-id");

  if (self->applying_preset)
    return;

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->actions, g_strdup (id));
  else
    g_hash_table_remove (self->actions, id);

  show_preset (self, detect_preset (self));
}

static GtkWidget *
create_action_row (AstraRoleEditorDialog *self,
                   const char            *id,
                   const char            *label)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  gboolean always = g_str_equal (id, ALWAYS_INCLUDED_ACTION);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), id);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               always || g_hash_table_contains (self->actions, id));
  g_object_set_data_full (G_OBJECT (check), "action-id", g_strdup (id), g_free);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_action_toggled_cb), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  if (always)
    {
      gtk_widget_set_sensitive (check, FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("org-db-view — always included"));
    }

  g_hash_table_insert (self->checks, g_strdup (id), check);
  return row;
}

static void
on_preset_toggled_cb (AstraRoleEditorDialog *self,
                      GtkCheckButton        *check)
{
  /* Both the preset left and the one taken report; the second one is enough. */
  if (self->applying_preset || !gtk_check_button_get_active (check))
    return;

  for (Preset preset = PRESET_READ_ONLY; preset < N_PRESETS; preset++)
    if (get_preset_check (self, preset) == check)
      apply_preset (self, preset);
}

static void
on_name_changed_cb (GtkEditable           *editable,
                    AstraRoleEditorDialog *self)
{
  update_actions (self);
}

static void
on_database_toggled_cb (GtkCheckButton        *check,
                        AstraRoleEditorDialog *self)
{
  if (!gtk_check_button_get_active (check))
    return;

  g_set_object (&self->selected_database, g_object_get_data (G_OBJECT (check), "database"));
  update_actions (self);
}

static GtkWidget *
create_database_row (AstraRoleEditorDialog *self,
                     AstraDatabase         *database,
                     GtkCheckButton        *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check;
  const char *region = astra_database_get_region (database);
  g_autofree char *subtitle = NULL;

  /* The id tells apart databases of the same name; it is what the role's resources name. */
  if (region != NULL && region[0] != '\0')
    subtitle = g_strdup_printf ("%s · %s", region, astra_database_get_id (database));
  else
    subtitle = g_strdup (astra_database_get_id (database));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), astra_database_get_name (database));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* One line each, ellipsized when narrow: a scrolled window sizes its content for its
   * natural width, so wrapped lines would be cut off at the bottom. */
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_widget_set_tooltip_text (row, subtitle);

  check = g_object_new (GTK_TYPE_CHECK_BUTTON,
                        "accessible-role", GTK_ACCESSIBLE_ROLE_RADIO,
                        "valign", GTK_ALIGN_CENTER,
                        "group", group,
                        NULL);
  g_object_set_data_full (G_OBJECT (check), "database", g_object_ref (database), g_object_unref);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_database_toggled_cb), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  return row;
}

static gboolean
match_database (GtkListBoxRow *row,
                gpointer       user_data)
{
  AstraRoleEditorDialog *self = user_data;
  AstraDatabase *database = get_row_database (row);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->database_search));
  g_autofree char *needle = NULL;
  g_autofree char *name = NULL;

  if (search == NULL || search[0] == '\0')
    return TRUE;

  /* The chosen database stays in sight whatever the search. */
  if (database == self->selected_database)
    return TRUE;

  needle = g_utf8_casefold (search, -1);
  name = g_utf8_casefold (astra_database_get_name (database), -1);

  return strstr (name, needle) != NULL ||
         strstr (astra_database_get_id (database), search) != NULL ||
         strstr (astra_database_get_region (database), search) != NULL;
}

static void
on_database_search_changed_cb (AstraRoleEditorDialog *self,
                               GtkSearchEntry        *entry)
{
  gtk_list_box_invalidate_filter (self->database_list);
  update_database_list_height (self);
}

static void
on_list_databases_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(AstraRoleEditorDialog) self = user_data;
  g_autoptr(GListModel) databases = NULL;
  g_autoptr(GError) error = NULL;

  databases = astra_client_list_databases_finish (ASTRA_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  gtk_spinner_set_spinning (self->database_spinner, FALSE);

  if (databases == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->database_status_row),
                                     _("Could not load the databases"));
      adw_action_row_set_subtitle (self->database_status_row, error->message);
      gtk_stack_set_visible_child_name (self->database_stack, "error");
      update_actions (self);
      return;
    }

  g_set_object (&self->databases, databases);
  fill_database_list (self);

  if (g_list_model_get_n_items (databases) == 0)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->database_status_row),
                                     _("This organization has no databases"));
      adw_action_row_set_subtitle (self->database_status_row,
                                   _("Create a database first; a custom role is scoped to one."));
      gtk_widget_set_visible (GTK_WIDGET (self->database_stack), FALSE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->database_status_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->database_status_list), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->database_scroller), TRUE);
      select_role_database (self);
    }

  update_actions (self);
}

static void
finish_saved (AstraRoleEditorDialog *self,
              AstraRole             *role)
{
  g_signal_emit (self, signals[ROLE_SAVED], 0, role);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
report_save_error (AstraRoleEditorDialog *self,
                   const GError          *error)
{
  g_autofree char *message = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_CONFLICT))
    message = g_strdup_printf (_("A role named “%s” already exists. Choose another name. (%s)"),
                               name, error->message);
  else
    message = g_strdup_printf (_("Could not save the role: %s"), error->message);

  show_error (self, message);
}

static void
on_create_role_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AstraRoleEditorDialog) self = user_data;
  g_autoptr(AstraRole) role = NULL;
  g_autoptr(GError) error = NULL;

  role = astra_client_create_role_finish (ASTRA_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (role == NULL)
    {
      report_save_error (self, error);
      return;
    }

  finish_saved (self, role);
}

static void
on_update_role_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AstraRoleEditorDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraRole) role = NULL;
  const char * const *resources = g_object_get_data (G_OBJECT (self), "saved-resources");
  const char * const *actions = g_object_get_data (G_OBJECT (self), "saved-actions");
  g_autofree char *name = NULL;

  if (!astra_client_update_role_finish (ASTRA_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      report_save_error (self, error);
      return;
    }

  set_busy (self, FALSE);
  /* PUT answers without a body: the role as saved is what was sent. */
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  role = astra_role_new (astra_role_get_id (self->role), name,
                         gtk_editable_get_text (GTK_EDITABLE (self->description_row)),
                         resources, actions, FALSE);
  finish_saved (self, role);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AstraRoleEditorDialog *self = ASTRA_ROLE_EDITOR_DIALOG (widget);
  AstraDatabase *database = get_selected_database (self);
  g_autofree char *name = NULL;
  const char *description;
  GStrv resources;
  GStrv actions;

  if (self->busy || !is_valid (self))
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  description = gtk_editable_get_text (GTK_EDITABLE (self->description_row));
  resources = build_resources (self, database);
  actions = collect_actions (self);
  g_object_set_data_full (G_OBJECT (self), "saved-resources", resources,
                          (GDestroyNotify) g_strfreev);
  g_object_set_data_full (G_OBJECT (self), "saved-actions", actions,
                          (GDestroyNotify) g_strfreev);

  show_error (self, NULL);
  set_busy (self, TRUE);

  if (self->role == NULL)
    astra_client_create_role_async (self->client, name, description,
                                    (const char * const *) resources,
                                    (const char * const *) actions,
                                    self->cancellable, on_create_role_cb, g_object_ref (self));
  else
    astra_client_update_role_async (self->client, astra_role_get_id (self->role), name,
                                    description,
                                    (const char * const *) resources,
                                    (const char * const *) actions,
                                    self->cancellable, on_update_role_cb, g_object_ref (self));
}

static void
reload_databases_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  AstraRoleEditorDialog *self = ASTRA_ROLE_EDITOR_DIALOG (widget);

  if (self->loading || self->client == NULL)
    return;

  self->loading = TRUE;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->database_status_row),
                                 _("Loading databases…"));
  adw_action_row_set_subtitle (self->database_status_row, "");
  gtk_widget_set_visible (GTK_WIDGET (self->database_stack), TRUE);
  gtk_stack_set_visible_child_name (self->database_stack, "loading");
  gtk_spinner_set_spinning (self->database_spinner, TRUE);
  update_actions (self);

  astra_client_list_databases_async (self->client, self->cancellable,
                                     on_list_databases_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------ */
/* GObject vfuncs                                                                             */

static gboolean
astra_role_editor_dialog_close_request (GtkWindow *window)
{
  AstraRoleEditorDialog *self = ASTRA_ROLE_EDITOR_DIALOG (window);

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (astra_role_editor_dialog_parent_class)->close_request (window);
}

static void
astra_role_editor_dialog_dispose (GObject *object)
{
  AstraRoleEditorDialog *self = ASTRA_ROLE_EDITOR_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->connection);
  g_clear_object (&self->role);
  g_clear_object (&self->databases);
  g_clear_object (&self->selected_database);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (astra_role_editor_dialog_parent_class)->dispose (object);
}

static void
astra_role_editor_dialog_finalize (GObject *object)
{
  AstraRoleEditorDialog *self = ASTRA_ROLE_EDITOR_DIALOG (object);

  g_clear_pointer (&self->role_db_id, g_free);
  g_clear_pointer (&self->actions, g_hash_table_unref);
  g_clear_pointer (&self->checks, g_hash_table_unref);

  G_OBJECT_CLASS (astra_role_editor_dialog_parent_class)->finalize (object);
}

static void
astra_role_editor_dialog_class_init (AstraRoleEditorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = astra_role_editor_dialog_dispose;
  object_class->finalize = astra_role_editor_dialog_finalize;
  window_class->close_request = astra_role_editor_dialog_close_request;

  signals[ROLE_SAVED] = g_signal_new ("role-saved",
                                      G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 1, ASTRA_TYPE_ROLE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/astra-role-editor-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, save_stack);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, page);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, database_group);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, database_search);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, database_status_list);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, database_status_row);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, database_stack);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, database_spinner);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, database_scroller);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, database_list);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, preset_read_only_check);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, preset_read_write_check);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, preset_admin_check);
  gtk_widget_class_bind_template_child (widget_class, AstraRoleEditorDialog, preset_custom_check);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_database_search_changed_cb);

  gtk_widget_class_install_action (widget_class, "dialog.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "dialog.reload-databases", NULL,
                                   reload_databases_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
astra_role_editor_dialog_init (AstraRoleEditorDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();

  /* No placeholder for a search that matches nothing: the chosen database always stays. */
  gtk_list_box_set_filter_func (self->database_list, match_database, self, NULL);

  g_signal_connect (self->name_row, "changed", G_CALLBACK (on_name_changed_cb), self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraRoleEditorDialog *
astra_role_editor_dialog_new (GtkWindow       *parent,
                              AstraClient     *client,
                              AstraConnection *connection,
                              AstraRole       *role)
{
  AstraRoleEditorDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ASTRA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (ASTRA_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (role == NULL || ASTRA_IS_ROLE (role), NULL);

  self = g_object_new (ASTRA_TYPE_ROLE_EDITOR_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->connection = g_object_ref (connection);

  if (role == NULL)
    {
      apply_preset (self, PRESET_READ_ONLY);
      add_action_groups (self);
      show_preset (self, PRESET_READ_ONLY);
    }
  else
    {
      const char * const *resources = astra_role_get_resources (role);
      const char * const *actions = astra_role_get_actions (role);

      self->role = g_object_ref (role);
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Role"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), astra_role_get_name (role));
      gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                             astra_role_get_description (role));

      for (guint i = 0; resources != NULL && resources[i] != NULL && self->role_db_id == NULL; i++)
        self->role_db_id = database_of_resource (resources[i]);

      for (guint i = 0; actions != NULL && actions[i] != NULL; i++)
        g_hash_table_add (self->actions, g_strdup (actions[i]));
      g_hash_table_add (self->actions, g_strdup (ALWAYS_INCLUDED_ACTION));

      add_action_groups (self);
      add_unknown_actions (self, actions);
      show_preset (self, detect_preset (self));

      if (astra_role_is_builtin (role))
        show_error (self, _("Built-in roles cannot be edited."));
    }

  reload_databases_action (GTK_WIDGET (self), NULL, NULL);
  update_actions (self);

  return self;
}

/* astra-role.c: a built-in or custom role with its policy
 *
 * The wire is inconsistent (astra-api.md §2.2, §2.9): current servers send ID/Name/Type/
 * Policy with a lower-case policy inside, the spec says id/name/policy, and an old docs
 * example carries the policy as a JSON string. All of them are read here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-role"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-json.h"
#include "astra-model-private.h"
#include "astra-role.h"

#define ORG_ID_PLACEHOLDER "__ORG_ID__"

struct _AstraRole
{
  GObject    parent_instance;

  char      *id;
  char      *name;
  char      *role_type;
  char      *description;
  char      *effect;
  char     **resources;
  char     **actions;
  GDateTime *last_update;
  gboolean   builtin;
};

G_DEFINE_FINAL_TYPE (AstraRole, astra_role, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ROLE_TYPE,
  PROP_DESCRIPTION,
  PROP_EFFECT,
  PROP_RESOURCES,
  PROP_ACTIONS,
  PROP_BUILTIN,
  PROP_LAST_UPDATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers {{{ */

static gboolean
resources_use_placeholder (const char * const *resources)
{
  for (guint i = 0; resources != NULL && resources[i] != NULL; i++)
    if (strstr (resources[i], ORG_ID_PLACEHOLDER) != NULL)
      return TRUE;
  return FALSE;
}

/* Returns (transfer full) the policy object, whether it was sent as an object or as a JSON
 * string; NULL when absent or unreadable (the policy is optional). */
static JsonObject *
dup_policy (JsonObject *object)
{
  JsonObject *policy = astra_json_object_get_object (object, "Policy");
  const char *text;
  g_autoptr(JsonNode) root = NULL;

  if (policy != NULL)
    return json_object_ref (policy);

  text = astra_json_object_get_string (object, "Policy");
  if (text == NULL)
    return NULL;

  root = astra_json_parse (text, strlen (text), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static GDateTime *
parse_last_update (JsonObject *object)
{
  const char *text = astra_json_object_get_string (object, "LastUpdateDateTime");

  if (text == NULL)
    text = astra_json_object_get_string (object, "last_update_datetime");

  return astra_model_parse_timestamp (text);
}

/* }}} */
/* GObject vfuncs {{{ */

static void
astra_role_finalize (GObject *object)
{
  AstraRole *self = (AstraRole *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->role_type, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->effect, g_free);
  g_clear_pointer (&self->resources, g_strfreev);
  g_clear_pointer (&self->actions, g_strfreev);
  g_clear_pointer (&self->last_update, g_date_time_unref);

  G_OBJECT_CLASS (astra_role_parent_class)->finalize (object);
}

static void
astra_role_constructed (GObject *object)
{
  AstraRole *self = (AstraRole *) object;

  G_OBJECT_CLASS (astra_role_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = g_strdup ("");
  if (self->name == NULL)
    self->name = g_strdup ("");
  if (self->description == NULL)
    self->description = g_strdup ("");
  if (self->effect == NULL)
    self->effect = g_strdup ("allow");
  if (self->resources == NULL)
    self->resources = g_new0 (char *, 1);
  if (self->actions == NULL)
    self->actions = g_new0 (char *, 1);

  /* Built-in roles are recognised by Type or, on servers that omit it, by the literal
   * __ORG_ID__ placeholder in their resources (astra-api.md §2.2). */
  if (g_strcmp0 (self->role_type, "default") == 0 ||
      resources_use_placeholder ((const char * const *) self->resources))
    self->builtin = TRUE;

  if (self->role_type == NULL || *self->role_type == '\0')
    {
      g_free (self->role_type);
      self->role_type = g_strdup (self->builtin ? "default" : "custom");
    }
}

static void
astra_role_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AstraRole *self = ASTRA_ROLE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ROLE_TYPE:
      g_value_set_string (value, self->role_type);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_EFFECT:
      g_value_set_string (value, self->effect);
      break;

    case PROP_RESOURCES:
      g_value_set_boxed (value, self->resources);
      break;

    case PROP_ACTIONS:
      g_value_set_boxed (value, self->actions);
      break;

    case PROP_BUILTIN:
      g_value_set_boolean (value, self->builtin);
      break;

    case PROP_LAST_UPDATE:
      g_value_set_boxed (value, self->last_update);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_role_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  AstraRole *self = ASTRA_ROLE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_ROLE_TYPE:
      self->role_type = g_value_dup_string (value);
      break;

    case PROP_DESCRIPTION:
      self->description = g_value_dup_string (value);
      break;

    case PROP_EFFECT:
      self->effect = g_value_dup_string (value);
      break;

    case PROP_RESOURCES:
      self->resources = g_value_dup_boxed (value);
      break;

    case PROP_ACTIONS:
      self->actions = g_value_dup_boxed (value);
      break;

    case PROP_BUILTIN:
      self->builtin = g_value_get_boolean (value);
      break;

    case PROP_LAST_UPDATE:
      self->last_update = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_role_class_init (AstraRoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = astra_role_constructed;
  object_class->finalize = astra_role_finalize;
  object_class->get_property = astra_role_get_property;
  object_class->set_property = astra_role_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ROLE_TYPE] = g_param_spec_string ("role-type", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_EFFECT] = g_param_spec_string ("effect", NULL, NULL, NULL, flags);
  properties[PROP_RESOURCES] = g_param_spec_boxed ("resources", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_ACTIONS] = g_param_spec_boxed ("actions", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_BUILTIN] = g_param_spec_boolean ("builtin", NULL, NULL, FALSE, flags);
  properties[PROP_LAST_UPDATE] =
    g_param_spec_boxed ("last-update", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_role_init (AstraRole *self)
{
}

/* }}} */
/* Public API {{{ */

AstraRole *
astra_role_new (const char         *id,
                const char         *name,
                const char         *description,
                const char * const *resources,
                const char * const *actions,
                gboolean            builtin)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (ASTRA_TYPE_ROLE,
                       "id", id,
                       "name", name,
                       "role-type", builtin ? "default" : "custom",
                       "description", description,
                       "resources", resources,
                       "actions", actions,
                       "builtin", builtin,
                       NULL);
}

/**
 * astra_role_new_from_json:
 * @object: one role as sent by GET/POST /v2/organizations/roles
 * @error: ASTRA_CLIENT_ERROR_BAD_RESPONSE when "ID" or "Name" is missing or not a string
 *
 * Returns: (transfer full): the role, or %NULL
 */
AstraRole *
astra_role_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(JsonObject) policy = NULL;
  g_autoptr(GDateTime) last_update = NULL;
  g_auto(GStrv) resources = NULL;
  g_auto(GStrv) actions = NULL;
  const char *id;
  const char *name;

  g_return_val_if_fail (object != NULL, NULL);

  if (!(id = astra_model_require_string (object, "ID", _("a role"), error)) ||
      !(name = astra_model_require_string (object, "Name", _("a role"), error)))
    return NULL;

  policy = dup_policy (object);
  resources = astra_model_optional_strv (policy, "resources");
  actions = astra_model_optional_strv (policy, "actions");
  last_update = parse_last_update (object);

  return g_object_new (ASTRA_TYPE_ROLE,
                       "id", id,
                       "name", name,
                       "role-type", astra_json_object_get_string (object, "Type"),
                       "description", astra_model_optional_string (policy, "description"),
                       "effect", astra_json_object_get_string (policy, "effect"),
                       "resources", resources,
                       "actions", actions,
                       "last-update", last_update,
                       NULL);
}

const char *
astra_role_get_id (AstraRole *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLE (self), NULL);

  return self->id;
}

const char *
astra_role_get_name (AstraRole *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLE (self), NULL);

  return self->name;
}

const char *
astra_role_get_role_type (AstraRole *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLE (self), NULL);

  return self->role_type;
}

const char *
astra_role_get_description (AstraRole *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLE (self), NULL);

  return self->description;
}

const char *
astra_role_get_effect (AstraRole *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLE (self), NULL);

  return self->effect;
}

const char * const *
astra_role_get_resources (AstraRole *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLE (self), NULL);

  return (const char * const *) self->resources;
}

const char * const *
astra_role_get_actions (AstraRole *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLE (self), NULL);

  return (const char * const *) self->actions;
}

gboolean
astra_role_is_builtin (AstraRole *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLE (self), FALSE);

  return self->builtin;
}

/**
 * astra_role_get_last_update:
 *
 * Returns: (transfer none) (nullable): when the role was last changed, if the server said
 */
GDateTime *
astra_role_get_last_update (AstraRole *self)
{
  g_return_val_if_fail (ASTRA_IS_ROLE (self), NULL);

  return self->last_update;
}

/* }}} */

GHashTable *
astra_role_names_by_id (GListModel *roles)
{
  GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = roles != NULL ? g_list_model_get_n_items (roles) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (roles, i);

      /* The model keeps the role, and so the strings, alive while the table is used. */
      g_hash_table_insert (names, (char *) astra_role_get_id (role), (char *) astra_role_get_name (role));
    }

  return names;
}

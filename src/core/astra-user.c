/* astra-user.c: a member of the organization
 *
 * The users endpoint sends each user's roles as role objects (at least ID and Name), so
 * names come with the list; a server that sends bare role ids gets the ids as names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-user"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-json.h"
#include "astra-model-private.h"
#include "astra-user.h"

struct _AstraUser
{
  GObject   parent_instance;

  char     *id;
  char     *email;
  char     *status;
  char    **role_ids;
  char    **role_names;
};

G_DEFINE_FINAL_TYPE (AstraUser, astra_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_EMAIL,
  PROP_STATUS,
  PROP_ROLE_IDS,
  PROP_ROLE_NAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers {{{ */

static void
read_roles (AstraUser  *self,
            JsonObject *object)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  JsonArray *roles = astra_json_object_get_array (object, "Roles");
  guint length = roles != NULL ? json_array_get_length (roles) : 0;

  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (roles, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        {
          JsonObject *role = json_node_get_object (element);
          const char *id = astra_json_object_get_string (role, "ID");
          const char *name = astra_json_object_get_string (role, "Name");

          if (id == NULL)
            continue;
          g_strv_builder_add (ids, id);
          g_strv_builder_add (names, name != NULL ? name : id);
        }
      else if (JSON_NODE_HOLDS_VALUE (element) &&
               json_node_get_value_type (element) == G_TYPE_STRING)
        {
          g_strv_builder_add (ids, json_node_get_string (element));
          g_strv_builder_add (names, json_node_get_string (element));
        }
    }

  self->role_ids = g_strv_builder_end (ids);
  self->role_names = g_strv_builder_end (names);
}

/* }}} */
/* GObject vfuncs {{{ */

static void
astra_user_finalize (GObject *object)
{
  AstraUser *self = (AstraUser *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->role_ids, g_strfreev);
  g_clear_pointer (&self->role_names, g_strfreev);

  G_OBJECT_CLASS (astra_user_parent_class)->finalize (object);
}

static void
astra_user_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  AstraUser *self = ASTRA_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_ROLE_IDS:
      g_value_set_boxed (value, self->role_ids);
      break;

    case PROP_ROLE_NAMES:
      g_value_set_boxed (value, self->role_names);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_user_class_init (AstraUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = astra_user_finalize;
  object_class->get_property = astra_user_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  properties[PROP_ROLE_IDS] = g_param_spec_boxed ("role-ids", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_ROLE_NAMES] = g_param_spec_boxed ("role-names", NULL, NULL, G_TYPE_STRV, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_user_init (AstraUser *self)
{
}

/* }}} */
/* Public API {{{ */

/**
 * astra_user_new_from_json:
 * @object: one element of "Users" in GET /v2/organizations/users
 * @error: ASTRA_CLIENT_ERROR_BAD_RESPONSE when "UserID" is missing or not a string
 *
 * Returns: (transfer full): the user, or %NULL
 */
AstraUser *
astra_user_new_from_json (JsonObject  *object,
                          GError     **error)
{
  AstraUser *self;
  const char *id;

  g_return_val_if_fail (object != NULL, NULL);

  id = astra_model_require_string (object, "UserID", _("a user"), error);
  if (id == NULL)
    return NULL;

  self = g_object_new (ASTRA_TYPE_USER, NULL);
  self->id = g_strdup (id);
  self->email = g_strdup (astra_model_optional_string (object, "Email"));
  self->status = g_strdup (astra_model_optional_string (object, "Status"));
  read_roles (self, object);

  return self;
}

const char *
astra_user_get_id (AstraUser *self)
{
  g_return_val_if_fail (ASTRA_IS_USER (self), NULL);

  return self->id;
}

const char *
astra_user_get_email (AstraUser *self)
{
  g_return_val_if_fail (ASTRA_IS_USER (self), NULL);

  return self->email;
}

const char *
astra_user_get_status (AstraUser *self)
{
  g_return_val_if_fail (ASTRA_IS_USER (self), NULL);

  return self->status;
}

const char * const *
astra_user_get_role_ids (AstraUser *self)
{
  g_return_val_if_fail (ASTRA_IS_USER (self), NULL);

  return (const char * const *) self->role_ids;
}

const char * const *
astra_user_get_role_names (AstraUser *self)
{
  g_return_val_if_fail (ASTRA_IS_USER (self), NULL);

  return (const char * const *) self->role_names;
}

/* }}} */

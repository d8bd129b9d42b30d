/* astra-database.c: a database of the organization
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-database"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-database.h"
#include "astra-json.h"
#include "astra-model-private.h"

struct _AstraDatabase
{
  GObject   parent_instance;

  char     *id;
  char     *org_id;
  char     *name;
  char     *status;
  char     *region;
  char     *cloud_provider;
  char    **keyspaces;
};

G_DEFINE_FINAL_TYPE (AstraDatabase, astra_database, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ORG_ID,
  PROP_NAME,
  PROP_STATUS,
  PROP_REGION,
  PROP_CLOUD_PROVIDER,
  PROP_KEYSPACES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers {{{ */

/* info.keyspaces lists all keyspaces; servers that only know the default one send
 * info.keyspace instead. */
static char **
dup_keyspaces (JsonObject *info)
{
  char **keyspaces = astra_json_object_dup_strv (info, "keyspaces", FALSE);
  const char *keyspace;

  if (keyspaces != NULL && keyspaces[0] != NULL)
    return keyspaces;
  g_strfreev (keyspaces);

  keyspace = astra_json_object_get_string (info, "keyspace");
  if (keyspace != NULL && *keyspace != '\0')
    {
      char **single = g_new0 (char *, 2);

      single[0] = g_strdup (keyspace);
      return single;
    }

  return g_new0 (char *, 1);
}

/* }}} */
/* GObject vfuncs {{{ */

static void
astra_database_finalize (GObject *object)
{
  AstraDatabase *self = (AstraDatabase *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->org_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->cloud_provider, g_free);
  g_clear_pointer (&self->keyspaces, g_strfreev);

  G_OBJECT_CLASS (astra_database_parent_class)->finalize (object);
}

static void
astra_database_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AstraDatabase *self = ASTRA_DATABASE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_ORG_ID:
      g_value_set_string (value, self->org_id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;

    case PROP_CLOUD_PROVIDER:
      g_value_set_string (value, self->cloud_provider);
      break;

    case PROP_KEYSPACES:
      g_value_set_boxed (value, self->keyspaces);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_database_class_init (AstraDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = astra_database_finalize;
  object_class->get_property = astra_database_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_ORG_ID] = g_param_spec_string ("org-id", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, ro);
  properties[PROP_CLOUD_PROVIDER] = g_param_spec_string ("cloud-provider", NULL, NULL, NULL, ro);
  properties[PROP_KEYSPACES] = g_param_spec_boxed ("keyspaces", NULL, NULL, G_TYPE_STRV, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_database_init (AstraDatabase *self)
{
}

/* }}} */
/* Public API {{{ */

/**
 * astra_database_new_from_json:
 * @object: one element of GET /v2/databases
 * @error: ASTRA_CLIENT_ERROR_BAD_RESPONSE when "id" is missing or not a string
 *
 * Returns: (transfer full): the database, or %NULL
 */
AstraDatabase *
astra_database_new_from_json (JsonObject  *object,
                              GError     **error)
{
  AstraDatabase *self;
  JsonObject *info;
  const char *id;
  const char *name;

  g_return_val_if_fail (object != NULL, NULL);

  id = astra_model_require_string (object, "id", _("a database"), error);
  if (id == NULL)
    return NULL;

  info = astra_json_object_get_object (object, "info");
  name = astra_model_optional_string (info, "name");

  self = g_object_new (ASTRA_TYPE_DATABASE, NULL);
  self->id = g_strdup (id);
  self->org_id = g_strdup (astra_model_optional_string (object, "orgId"));
  self->name = g_strdup (*name != '\0' ? name : id);
  self->status = g_strdup (astra_model_optional_string (object, "status"));
  self->region = g_strdup (astra_model_optional_string (info, "region"));
  self->cloud_provider = g_strdup (astra_model_optional_string (info, "cloudProvider"));
  self->keyspaces = dup_keyspaces (info);

  return self;
}

const char *
astra_database_get_id (AstraDatabase *self)
{
  g_return_val_if_fail (ASTRA_IS_DATABASE (self), NULL);

  return self->id;
}

const char *
astra_database_get_org_id (AstraDatabase *self)
{
  g_return_val_if_fail (ASTRA_IS_DATABASE (self), NULL);

  return self->org_id;
}

const char *
astra_database_get_name (AstraDatabase *self)
{
  g_return_val_if_fail (ASTRA_IS_DATABASE (self), NULL);

  return self->name;
}

const char *
astra_database_get_status (AstraDatabase *self)
{
  g_return_val_if_fail (ASTRA_IS_DATABASE (self), NULL);

  return self->status;
}

const char *
astra_database_get_region (AstraDatabase *self)
{
  g_return_val_if_fail (ASTRA_IS_DATABASE (self), NULL);

  return self->region;
}

const char *
astra_database_get_cloud_provider (AstraDatabase *self)
{
  g_return_val_if_fail (ASTRA_IS_DATABASE (self), NULL);

  return self->cloud_provider;
}

const char * const *
astra_database_get_keyspaces (AstraDatabase *self)
{
  g_return_val_if_fail (ASTRA_IS_DATABASE (self), NULL);

  return (const char * const *) self->keyspaces;
}

/* }}} */

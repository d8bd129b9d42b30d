/* astra-organization.c: the organization a token belongs to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-organization"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-json.h"
#include "astra-model-private.h"
#include "astra-organization.h"

struct _AstraOrganization
{
  GObject  parent_instance;

  char    *id;
  char    *name;
};

G_DEFINE_FINAL_TYPE (AstraOrganization, astra_organization, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GObject vfuncs {{{ */

static void
astra_organization_finalize (GObject *object)
{
  AstraOrganization *self = (AstraOrganization *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (astra_organization_parent_class)->finalize (object);
}

static void
astra_organization_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AstraOrganization *self = ASTRA_ORGANIZATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_organization_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AstraOrganization *self = ASTRA_ORGANIZATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_organization_constructed (GObject *object)
{
  AstraOrganization *self = (AstraOrganization *) object;

  G_OBJECT_CLASS (astra_organization_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = g_strdup ("");
  /* Personal organizations may come without a usable name; the id still identifies them. */
  if (self->name == NULL || *self->name == '\0')
    {
      g_free (self->name);
      self->name = g_strdup (self->id);
    }
}

static void
astra_organization_class_init (AstraOrganizationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = astra_organization_constructed;
  object_class->finalize = astra_organization_finalize;
  object_class->get_property = astra_organization_get_property;
  object_class->set_property = astra_organization_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_organization_init (AstraOrganization *self)
{
}

/* }}} */
/* Public API {{{ */

AstraOrganization *
astra_organization_new (const char *id,
                        const char *name)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (ASTRA_TYPE_ORGANIZATION,
                       "id", id,
                       "name", name,
                       NULL);
}

/**
 * astra_organization_new_from_json:
 * @object: the body of GET /v2/currentOrg
 * @error: ASTRA_CLIENT_ERROR_BAD_RESPONSE when "id" is missing or not a string
 *
 * Returns: (transfer full): the organization, or %NULL
 */
AstraOrganization *
astra_organization_new_from_json (JsonObject  *object,
                                  GError     **error)
{
  const char *id;

  g_return_val_if_fail (object != NULL, NULL);

  id = astra_model_require_string (object, "id", _("an organization"), error);
  if (id == NULL)
    return NULL;

  return astra_organization_new (id, astra_json_object_get_string (object, "name"));
}

const char *
astra_organization_get_id (AstraOrganization *self)
{
  g_return_val_if_fail (ASTRA_IS_ORGANIZATION (self), NULL);

  return self->id;
}

const char *
astra_organization_get_name (AstraOrganization *self)
{
  g_return_val_if_fail (ASTRA_IS_ORGANIZATION (self), NULL);

  return self->name;
}

/* }}} */

/* astra-connection.c: a connected organization, as the sidebar shows it
 *
 * A plain value object built from the keyring's item attributes (or from a freshly
 * validated token). It never holds the management token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-connection"

#include "config.h"

#include "astra-connection.h"

struct _AstraConnection
{
  GObject           parent_instance;

  char             *org_id;
  char             *org_name;
  char             *api_url;
  char             *label;
  AstraEnvironment  environment;
  guint             is_demo : 1;
};

G_DEFINE_FINAL_TYPE (AstraConnection, astra_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ORG_ID,
  PROP_ORG_NAME,
  PROP_ENVIRONMENT,
  PROP_API_URL,
  PROP_LABEL,
  PROP_DISPLAY_NAME,
  PROP_IS_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
astra_connection_finalize (GObject *object)
{
  AstraConnection *self = (AstraConnection *) object;

  g_clear_pointer (&self->org_id, g_free);
  g_clear_pointer (&self->org_name, g_free);
  g_clear_pointer (&self->api_url, g_free);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (astra_connection_parent_class)->finalize (object);
}

static void
astra_connection_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AstraConnection *self = ASTRA_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ORG_ID:
      g_value_set_string (value, self->org_id);
      break;

    case PROP_ORG_NAME:
      g_value_set_string (value, self->org_name);
      break;

    case PROP_ENVIRONMENT:
      g_value_set_uint (value, self->environment);
      break;

    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, astra_connection_get_display_name (self));
      break;

    case PROP_IS_DEMO:
      g_value_set_boolean (value, self->is_demo);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_connection_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AstraConnection *self = ASTRA_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ORG_ID:
      self->org_id = g_value_dup_string (value);
      break;

    case PROP_ORG_NAME:
      self->org_name = g_value_dup_string (value);
      break;

    case PROP_ENVIRONMENT:
      self->environment = MIN (g_value_get_uint (value), ASTRA_ENVIRONMENT_CUSTOM);
      break;

    case PROP_API_URL:
      self->api_url = g_value_dup_string (value);
      break;

    case PROP_LABEL:
      astra_connection_set_label (self, g_value_get_string (value));
      break;

    case PROP_IS_DEMO:
      astra_connection_set_is_demo (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_connection_constructed (GObject *object)
{
  AstraConnection *self = (AstraConnection *) object;

  G_OBJECT_CLASS (astra_connection_parent_class)->constructed (object);

  /* A well-known environment always has its base URL, so callers may pass NULL. */
  if ((self->api_url == NULL || self->api_url[0] == '\0') &&
      self->environment != ASTRA_ENVIRONMENT_CUSTOM)
    {
      g_free (self->api_url);
      self->api_url = g_strdup (astra_environment_get_base_url (self->environment));
    }

  if (self->org_name == NULL)
    self->org_name = g_strdup (self->org_id != NULL ? self->org_id : "");
}

static void
astra_connection_class_init (AstraConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = astra_connection_constructed;
  object_class->finalize = astra_connection_finalize;
  object_class->get_property = astra_connection_get_property;
  object_class->set_property = astra_connection_set_property;

  properties[PROP_ORG_ID] =
    g_param_spec_string ("org-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ORG_NAME] =
    g_param_spec_string ("org-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENVIRONMENT] =
    g_param_spec_uint ("environment", NULL, NULL,
                       ASTRA_ENVIRONMENT_PRODUCTION, ASTRA_ENVIRONMENT_CUSTOM,
                       ASTRA_ENVIRONMENT_PRODUCTION,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_API_URL] =
    g_param_spec_string ("api-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_IS_DEMO] =
    g_param_spec_boolean ("is-demo", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_connection_init (AstraConnection *self)
{
  self->environment = ASTRA_ENVIRONMENT_PRODUCTION;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/**
 * astra_connection_new:
 * @org_id: the organization id (from GET /v2/currentOrg)
 * @org_name: (nullable): its name; the id is shown when unknown
 * @environment: the environment the token belongs to
 * @api_url: (nullable): the DevOps API base including "/v2"; may be NULL for the
 *   well-known environments, required for %ASTRA_ENVIRONMENT_CUSTOM
 *
 * Returns: (transfer full): a new connection without a local label.
 */
AstraConnection *
astra_connection_new (const char       *org_id,
                      const char       *org_name,
                      AstraEnvironment  environment,
                      const char       *api_url)
{
  g_return_val_if_fail (org_id != NULL, NULL);
  g_return_val_if_fail (environment <= ASTRA_ENVIRONMENT_CUSTOM, NULL);

  return g_object_new (ASTRA_TYPE_CONNECTION,
                       "org-id", org_id,
                       "org-name", org_name,
                       "environment", (guint) environment,
                       "api-url", api_url,
                       NULL);
}

const char *
astra_connection_get_org_id (AstraConnection *self)
{
  g_return_val_if_fail (ASTRA_IS_CONNECTION (self), NULL);

  return self->org_id;
}

const char *
astra_connection_get_org_name (AstraConnection *self)
{
  g_return_val_if_fail (ASTRA_IS_CONNECTION (self), NULL);

  return self->org_name;
}

AstraEnvironment
astra_connection_get_environment (AstraConnection *self)
{
  g_return_val_if_fail (ASTRA_IS_CONNECTION (self), ASTRA_ENVIRONMENT_PRODUCTION);

  return self->environment;
}

const char *
astra_connection_get_api_url (AstraConnection *self)
{
  g_return_val_if_fail (ASTRA_IS_CONNECTION (self), NULL);

  return self->api_url;
}

/**
 * astra_connection_get_label:
 *
 * Returns: (nullable): the local label, or %NULL when none is set.
 */
const char *
astra_connection_get_label (AstraConnection *self)
{
  g_return_val_if_fail (ASTRA_IS_CONNECTION (self), NULL);

  return self->label;
}

/**
 * astra_connection_set_label:
 * @label: (nullable): the local name; %NULL, "" or white space clear it
 *
 * Only changes this object; astra_secret_store_rename_connection_async() persists it.
 */
void
astra_connection_set_label (AstraConnection *self,
                            const char      *label)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (ASTRA_IS_CONNECTION (self));

  if (label != NULL)
    {
      stripped = g_strstrip (g_strdup (label));
      if (stripped[0] == '\0')
        g_clear_pointer (&stripped, g_free);
    }

  if (g_strcmp0 (stripped, self->label) == 0)
    return;

  g_free (self->label);
  self->label = g_steal_pointer (&stripped);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

/**
 * astra_connection_get_display_name:
 *
 * Returns: the local label when set, else the organization name.
 */
const char *
astra_connection_get_display_name (AstraConnection *self)
{
  g_return_val_if_fail (ASTRA_IS_CONNECTION (self), NULL);

  if (self->label != NULL)
    return self->label;

  return self->org_name;
}

gboolean
astra_connection_get_is_demo (AstraConnection *self)
{
  g_return_val_if_fail (ASTRA_IS_CONNECTION (self), FALSE);

  return self->is_demo;
}

void
astra_connection_set_is_demo (AstraConnection *self,
                              gboolean         is_demo)
{
  g_return_if_fail (ASTRA_IS_CONNECTION (self));

  is_demo = !!is_demo;
  if (self->is_demo == is_demo)
    return;

  self->is_demo = is_demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEMO]);
}

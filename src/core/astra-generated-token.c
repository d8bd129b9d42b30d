/* astra-generated-token.c: a token with its secret
 *
 * The secret and the token live only in this object's own buffers and are wiped when it
 * is finalized. They are deliberately not properties: a GValue copy made by a binding or a
 * g_object_get() would outlive the wipe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-generated-token"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-client.h"
#include "astra-generated-token.h"
#include "astra-json.h"
#include "astra-model-private.h"
#include "astra-token.h"
#include "astra-token-format.h"

struct _AstraGeneratedToken
{
  GObject     parent_instance;

  char       *client_id;
  char       *secret;
  char       *token;
  char       *org_id;
  char       *description;
  char      **role_ids;
  char      **role_names;
  GDateTime  *generated_on;
  GDateTime  *expires;
  char       *notice;     /* what was odd in the answer it was read from; never stored */
};

G_DEFINE_FINAL_TYPE (AstraGeneratedToken, astra_generated_token, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT_ID,
  PROP_ORG_ID,
  PROP_DESCRIPTION,
  PROP_ROLE_IDS,
  PROP_ROLE_NAMES,
  PROP_GENERATED_ON,
  PROP_EXPIRES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers {{{ */

static gboolean
set_date_time (GDateTime **field,
               GDateTime  *value)
{
  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);
  return TRUE;
}

static gboolean
set_strv (char               ***field,
          const char * const   *value)
{
  if (astra_model_strv_equal ((const char * const *) *field, value))
    return FALSE;

  g_strfreev (*field);
  *field = astra_model_strv_copy (value);
  return TRUE;
}

/* }}} */
/* GObject vfuncs {{{ */

static void
astra_generated_token_finalize (GObject *object)
{
  AstraGeneratedToken *self = (AstraGeneratedToken *) object;

  g_clear_pointer (&self->secret, astra_secret_free);
  g_clear_pointer (&self->token, astra_secret_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->org_id, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->role_ids, g_strfreev);
  g_clear_pointer (&self->role_names, g_strfreev);
  g_clear_pointer (&self->generated_on, g_date_time_unref);
  g_clear_pointer (&self->expires, g_date_time_unref);
  g_clear_pointer (&self->notice, g_free);

  G_OBJECT_CLASS (astra_generated_token_parent_class)->finalize (object);
}

static void
astra_generated_token_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AstraGeneratedToken *self = ASTRA_GENERATED_TOKEN (object);

  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;

    case PROP_ORG_ID:
      g_value_set_string (value, self->org_id);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_ROLE_IDS:
      g_value_set_boxed (value, self->role_ids);
      break;

    case PROP_ROLE_NAMES:
      g_value_set_boxed (value, self->role_names);
      break;

    case PROP_GENERATED_ON:
      g_value_set_boxed (value, self->generated_on);
      break;

    case PROP_EXPIRES:
      g_value_set_boxed (value, self->expires);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_generated_token_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AstraGeneratedToken *self = ASTRA_GENERATED_TOKEN (object);

  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      self->client_id = g_value_dup_string (value);
      break;

    case PROP_ORG_ID:
      astra_generated_token_set_org_id (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      astra_generated_token_set_description (self, g_value_get_string (value));
      break;

    case PROP_ROLE_IDS:
      astra_generated_token_set_role_ids (self, g_value_get_boxed (value));
      break;

    case PROP_ROLE_NAMES:
      astra_generated_token_set_role_names (self, g_value_get_boxed (value));
      break;

    case PROP_GENERATED_ON:
      astra_generated_token_set_generated_on (self, g_value_get_boxed (value));
      break;

    case PROP_EXPIRES:
      astra_generated_token_set_expires (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_generated_token_class_init (AstraGeneratedTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = astra_generated_token_finalize;
  object_class->get_property = astra_generated_token_get_property;
  object_class->set_property = astra_generated_token_set_property;

  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORG_ID] = g_param_spec_string ("org-id", NULL, NULL, NULL, rw);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, rw);
  properties[PROP_ROLE_IDS] = g_param_spec_boxed ("role-ids", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_ROLE_NAMES] = g_param_spec_boxed ("role-names", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_GENERATED_ON] =
    g_param_spec_boxed ("generated-on", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_EXPIRES] = g_param_spec_boxed ("expires", NULL, NULL, G_TYPE_DATE_TIME, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_generated_token_init (AstraGeneratedToken *self)
{
  self->org_id = g_strdup ("");
  self->description = g_strdup ("");
  self->role_ids = g_new0 (char *, 1);
  self->role_names = g_new0 (char *, 1);
}

/* }}} */
/* Public API {{{ */

/**
 * astra_generated_token_new:
 * @client_id: the client id
 * @secret: the client secret
 * @token: (nullable): the AstraCS token; composed from @client_id and @secret when %NULL
 *
 * Returns: (transfer full): a new generated token holding copies of @secret and @token
 */
AstraGeneratedToken *
astra_generated_token_new (const char *client_id,
                           const char *secret,
                           const char *token)
{
  AstraGeneratedToken *self;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  self = g_object_new (ASTRA_TYPE_GENERATED_TOKEN, "client-id", client_id, NULL);
  self->secret = g_strdup (secret);
  if (token != NULL)
    self->token = g_strdup (token);
  else
    self->token = astra_token_format_compose (client_id, secret);

  return self;
}

/**
 * astra_generated_token_new_from_json:
 * @object: the body of POST /v2/clientIdSecrets
 * @error: ASTRA_CLIENT_ERROR_BAD_RESPONSE when clientId or secret are missing or not strings
 *
 * The token is the one sent; if a server leaves it out, it is composed from the client id
 * and the secret (astra-api.md §4) so that the user still gets a usable credential.
 *
 * Returns: (transfer full): the generated token, or %NULL
 */
AstraGeneratedToken *
astra_generated_token_new_from_json (JsonObject  *object,
                                     GError     **error)
{
  g_autoptr(GDateTime) generated_on = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_auto(GStrv) role_ids = NULL;
  AstraGeneratedToken *self;
  JsonNode *token_node;
  const char *client_id;
  const char *secret;
  const char *token;
  const char *org_id;
  const char *description;

  g_return_val_if_fail (object != NULL, NULL);

  if (!(client_id = astra_model_require_string (object, "clientId", _("a new token"), error)) ||
      !(secret = astra_model_require_string (object, "secret", _("a new token"), error)))
    return NULL;

  token_node = astra_json_object_get_member (object, "token");
  if (token_node != NULL && !JSON_NODE_HOLDS_NULL (token_node))
    {
      if (!(token = astra_model_require_string (object, "token", _("a new token"), error)))
        return NULL;
    }
  else
    token = NULL;

  self = astra_generated_token_new (client_id, secret, token);

  org_id = astra_json_object_get_string (object, "orgId");
  if (org_id != NULL)
    astra_generated_token_set_org_id (self, org_id);

  description = astra_json_object_get_string (object, "description");
  if (description != NULL)
    astra_generated_token_set_description (self, description);

  role_ids = astra_model_optional_strv (object, "roles");
  astra_generated_token_set_role_ids (self, (const char * const *) role_ids);

  generated_on =
    astra_model_parse_timestamp (astra_json_object_get_string (object, "generatedOn"));
  astra_generated_token_set_generated_on (self, generated_on);

  expires = astra_model_parse_timestamp (astra_json_object_get_string (object, "tokenExpiry"));
  astra_generated_token_set_expires (self, expires);

  return self;
}

const char *
astra_generated_token_get_client_id (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return self->client_id;
}

const char *
astra_generated_token_get_secret (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return self->secret;
}

const char *
astra_generated_token_get_token (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return self->token;
}

const char *
astra_generated_token_get_org_id (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return self->org_id;
}

void
astra_generated_token_set_org_id (AstraGeneratedToken *self,
                                  const char          *org_id)
{
  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (self));

  if (org_id == NULL)
    org_id = "";
  if (g_strcmp0 (self->org_id, org_id) == 0)
    return;

  g_free (self->org_id);
  self->org_id = g_strdup (org_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_ID]);
}

const char *
astra_generated_token_get_description (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return self->description;
}

void
astra_generated_token_set_description (AstraGeneratedToken *self,
                                       const char          *description)
{
  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (self));

  if (description == NULL)
    description = "";
  if (g_strcmp0 (self->description, description) == 0)
    return;

  g_free (self->description);
  self->description = g_strdup (description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

const char * const *
astra_generated_token_get_role_ids (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return (const char * const *) self->role_ids;
}

void
astra_generated_token_set_role_ids (AstraGeneratedToken *self,
                                    const char * const  *role_ids)
{
  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (self));

  if (set_strv (&self->role_ids, role_ids))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE_IDS]);
}

const char * const *
astra_generated_token_get_role_names (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return (const char * const *) self->role_names;
}

void
astra_generated_token_set_role_names (AstraGeneratedToken *self,
                                      const char * const  *role_names)
{
  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (self));

  if (set_strv (&self->role_names, role_names))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE_NAMES]);
}

GDateTime *
astra_generated_token_get_generated_on (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return self->generated_on;
}

void
astra_generated_token_set_generated_on (AstraGeneratedToken *self,
                                        GDateTime           *generated_on)
{
  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (self));

  if (set_date_time (&self->generated_on, generated_on))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GENERATED_ON]);
}

GDateTime *
astra_generated_token_get_expires (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return self->expires;
}

void
astra_generated_token_set_expires (AstraGeneratedToken *self,
                                   GDateTime           *expires)
{
  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (self));

  if (set_date_time (&self->expires, expires))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES]);
}

void
astra_generated_token_update_from_listed (AstraGeneratedToken *self,
                                          AstraToken          *listed)
{
  const char * const *role_ids;
  const char * const *role_names;

  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (self));
  g_return_if_fail (ASTRA_IS_TOKEN (listed));
  g_return_if_fail (g_strcmp0 (self->client_id, astra_token_get_client_id (listed)) == 0);

  role_ids = astra_token_get_role_ids (listed);
  role_names = astra_token_get_role_names (listed);
  /* Unresolved, a role is best named by its id (what the Tokens page shows, too). */
  if (role_names == NULL || role_ids == NULL ||
      g_strv_length ((char **) role_names) != g_strv_length ((char **) role_ids))
    role_names = role_ids;

  astra_generated_token_set_role_ids (self, role_ids);
  astra_generated_token_set_role_names (self, role_names);
  astra_generated_token_set_description (self, astra_token_get_description (listed));
  astra_generated_token_set_generated_on (self, astra_token_get_generated_on (listed));
  astra_generated_token_set_expires (self, astra_token_get_expires (listed));
}

GPtrArray *
astra_generated_token_match_listed (GListModel  *imported,
                                    GListModel  *listed,
                                    GPtrArray  **unknown)
{
  g_autoptr(GHashTable) by_client_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_listed;
  guint n_imported;

  g_return_val_if_fail (G_IS_LIST_MODEL (imported), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (listed), NULL);
  g_return_val_if_fail (unknown != NULL, NULL);

  n_listed = g_list_model_get_n_items (listed);
  for (guint i = 0; i < n_listed; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (listed, i);

      /* @listed keeps the token, and so its client id, alive while the table is used. */
      g_hash_table_insert (by_client_id, (char *) astra_token_get_client_id (token), token);
    }

  n_imported = g_list_model_get_n_items (imported);
  for (guint i = 0; i < n_imported; i++)
    {
      g_autoptr(AstraGeneratedToken) token = g_list_model_get_item (imported, i);
      AstraToken *entry = g_hash_table_lookup (by_client_id, token->client_id);

      if (entry == NULL)
        {
          g_ptr_array_add (others, g_steal_pointer (&token));
          continue;
        }

      astra_generated_token_update_from_listed (token, entry);
      g_ptr_array_add (known, g_steal_pointer (&token));
    }

  *unknown = g_steal_pointer (&others);
  return g_steal_pointer (&known);
}

/* }}} */

/**
 * astra_generated_token_get_notice:
 *
 * Returns: (nullable): what was odd in the server's answer the token was read from (say,
 *   bytes after the JSON), for the person to hear about; never stored.
 */
const char *
astra_generated_token_get_notice (AstraGeneratedToken *self)
{
  g_return_val_if_fail (ASTRA_IS_GENERATED_TOKEN (self), NULL);

  return self->notice;
}

void
astra_generated_token_set_notice (AstraGeneratedToken *self,
                                  const char          *notice)
{
  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (self));

  g_free (self->notice);
  self->notice = g_strdup (notice);
}

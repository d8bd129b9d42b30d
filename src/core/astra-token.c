/* astra-token.c: one row of the token list, without secrets
 *
 * The list carries role ids; the UI shows names, so the window resolves them with the
 * organization's roles once both lists are loaded (astra_token_resolve_roles). Until then,
 * and for ids no role matches (legacy tokens created with a role *name*, deleted roles),
 * the id itself is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-token"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-json.h"
#include "astra-model-private.h"
#include "astra-token.h"
#include "astra-token-private.h"

struct _AstraToken
{
  GObject     parent_instance;

  char       *client_id;
  char       *description;
  char      **role_ids;
  char      **role_names;
  GDateTime  *generated_on;
  GDateTime  *expires;
  gboolean    in_keyring;
  gboolean    connects_app;   /* the token this app connects to its organization with */
};

G_DEFINE_FINAL_TYPE (AstraToken, astra_token, G_TYPE_OBJECT)

/* 10,000 tokens live at once: the instance stays within GSlice's 80-byte chunks. */
G_STATIC_ASSERT (sizeof (AstraToken) <= 80);

enum {
  PROP_0,
  PROP_CLIENT_ID,
  PROP_DESCRIPTION,
  PROP_ROLE_IDS,
  PROP_GENERATED_ON,
  PROP_EXPIRES,
  PROP_GENERATED_ON_UNIX,
  PROP_EXPIRES_UNIX,
  PROP_ROLE_NAMES,
  PROP_ROLES_LABEL,
  PROP_IN_KEYRING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers {{{ */

/* The tokens of a list share their roles' ids, names and labels, and many share their
 * description: these strings are GRefStrings from GLib's intern table, one copy for every
 * token that holds the same text (2 MiB less for 10,000 tokens, build-aux/bench). */
static char *
shared_take (char *text)
{
  char *shared;

  if (text == NULL)
    return NULL;

  shared = g_ref_string_new_intern (text);
  g_free (text);
  return shared;
}

/* A token's lists of role ids and names are shared as well, whole: the 10,000 tokens of a
 * big organization hold a handful of different lists, and an array of their own each cost
 * ~64 bytes a token. A list is an array inside a SharedStrv, counted under a lock (the
 * token list is read on the prefetch thread), found by its strings. */
typedef struct
{
  char  *label;     /* the strings joined with ", ": a token's Roles column */
  guint  refs;
  char  *strv[];    /* NULL-terminated */
} SharedStrv;

static GMutex shared_strv_lock;
static GHashTable *shared_strvs;  /* the SharedStrvs' strv arrays, compared string by string */

static SharedStrv *
shared_strv_of (char **strv)
{
  return (SharedStrv *) (gpointer) ((char *) strv - G_STRUCT_OFFSET (SharedStrv, strv));
}

static guint
strv_hash (gconstpointer key)
{
  const char * const *strv = key;
  guint hash = 5381;

  for (guint i = 0; strv[i] != NULL; i++)
    hash = hash * 33 + g_str_hash (strv[i]);

  return hash;
}

static gboolean
strv_equal (gconstpointer a,
            gconstpointer b)
{
  return g_strv_equal (a, b);
}

static char **
shared_strv_new (const char * const *strv)
{
  const char *empty[] = { NULL };
  SharedStrv *shared;
  char **found;

  if (strv == NULL)
    strv = empty;

  g_mutex_lock (&shared_strv_lock);
  if (shared_strvs == NULL)
    shared_strvs = g_hash_table_new (strv_hash, strv_equal);
  found = g_hash_table_lookup (shared_strvs, strv);
  if (found != NULL)
    shared = shared_strv_of (found);
  else
    {
      guint n = g_strv_length ((char **) strv);

      shared = g_malloc (sizeof (SharedStrv) + (n + 1) * sizeof (char *));
      shared->refs = 0;
      for (guint i = 0; i < n; i++)
        shared->strv[i] = g_strdup (strv[i]);
      shared->strv[n] = NULL;
      shared->label = g_strjoinv (", ", shared->strv);
      g_hash_table_add (shared_strvs, shared->strv);
    }
  shared->refs++;
  g_mutex_unlock (&shared_strv_lock);

  return shared->strv;
}

static char **
shared_strv_take (char **strv)
{
  char **shared = shared_strv_new ((const char * const *) strv);

  g_strfreev (strv);
  return shared;
}

static void
shared_strv_free (char **strv)
{
  SharedStrv *shared;

  if (strv == NULL)
    return;

  shared = shared_strv_of (strv);
  g_mutex_lock (&shared_strv_lock);
  if (--shared->refs == 0)
    {
      g_hash_table_remove (shared_strvs, shared->strv);
      /* The array is part of the SharedStrv: its strings go, then the whole. */
      for (guint i = 0; shared->strv[i] != NULL; i++)
        g_free (shared->strv[i]);
      g_free (shared->label);
      g_free (shared);
    }
  g_mutex_unlock (&shared_strv_lock);
}

static void
shared_release (char *text)
{
  if (text != NULL)
    g_ref_string_release (text);
}

/* The Roles column: the role names once resolved, the ids until then. The label lives
 * with the shared list (one pointer less a token: AstraToken fits GSlice's 80-byte size). */
static const char *
roles_label (AstraToken *self)
{
  char **strv = self->role_names != NULL && self->role_names[0] != NULL
                ? self->role_names : self->role_ids;

  if (strv == NULL)
    return "";
  return shared_strv_of (strv)->label;
}

static void
set_role_names (AstraToken         *self,
                const char * const *role_names)
{
  if (astra_model_strv_equal ((const char * const *) self->role_names, role_names))
    return;

  shared_strv_free (self->role_names);
  self->role_names = shared_strv_new (role_names);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE_NAMES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLES_LABEL]);
}

/* }}} */
/* GObject vfuncs {{{ */

static void
astra_token_finalize (GObject *object)
{
  AstraToken *self = (AstraToken *) object;

  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->description, shared_release);
  g_clear_pointer (&self->role_ids, shared_strv_free);
  g_clear_pointer (&self->role_names, shared_strv_free);
  g_clear_pointer (&self->generated_on, g_date_time_unref);
  g_clear_pointer (&self->expires, g_date_time_unref);

  G_OBJECT_CLASS (astra_token_parent_class)->finalize (object);
}

static void
astra_token_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AstraToken *self = ASTRA_TOKEN (object);

  switch (prop_id)
    {
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_ROLE_IDS:
      g_value_set_boxed (value, self->role_ids);
      break;

    case PROP_GENERATED_ON:
      g_value_set_boxed (value, self->generated_on);
      break;

    case PROP_EXPIRES:
      g_value_set_boxed (value, self->expires);
      break;

    case PROP_GENERATED_ON_UNIX:
      g_value_set_int64 (value, self->generated_on ? g_date_time_to_unix (self->generated_on) : 0);
      break;

    case PROP_EXPIRES_UNIX:
      g_value_set_int64 (value, self->expires ? g_date_time_to_unix (self->expires) : G_MAXINT64);
      break;

    case PROP_ROLE_NAMES:
      g_value_set_boxed (value, self->role_names);
      break;

    case PROP_ROLES_LABEL:
      g_value_set_string (value, roles_label (self));
      break;

    case PROP_IN_KEYRING:
      g_value_set_boolean (value, self->in_keyring);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_token_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AstraToken *self = ASTRA_TOKEN (object);

  switch (prop_id)
    {
    case PROP_ROLE_NAMES:
      set_role_names (self, g_value_get_boxed (value));
      break;

    case PROP_IN_KEYRING:
      astra_token_set_in_keyring (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_token_class_init (AstraTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = astra_token_finalize;
  object_class->get_property = astra_token_get_property;
  object_class->set_property = astra_token_set_property;

  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, ro);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, ro);
  properties[PROP_ROLE_IDS] = g_param_spec_boxed ("role-ids", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_GENERATED_ON] =
    g_param_spec_boxed ("generated-on", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_EXPIRES] = g_param_spec_boxed ("expires", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_GENERATED_ON_UNIX] =
    g_param_spec_int64 ("generated-on-unix", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_EXPIRES_UNIX] =
    g_param_spec_int64 ("expires-unix", NULL, NULL, G_MININT64, G_MAXINT64, G_MAXINT64, ro);
  properties[PROP_ROLE_NAMES] = g_param_spec_boxed ("role-names", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_ROLES_LABEL] = g_param_spec_string ("roles-label", NULL, NULL, NULL, ro);
  properties[PROP_IN_KEYRING] = g_param_spec_boolean ("in-keyring", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_token_init (AstraToken *self)
{
}

/* }}} */
/* Public API {{{ */

/**
 * astra_token_new_from_json:
 * @object: one element of the "clients" array of GET /v2/clientIdSecrets
 * @error: ASTRA_CLIENT_ERROR_BAD_RESPONSE when "clientId" is missing or not a string
 *
 * "description" and "tokenExpiry" are newer fields that older servers omit; a null
 * "tokenExpiry" means the token never expires.
 *
 * Returns: (transfer full): the token, or %NULL
 */
AstraToken *
astra_token_new_from_json (JsonObject  *object,
                           GError     **error)
{
  AstraToken *self;
  const char *client_id;

  g_return_val_if_fail (object != NULL, NULL);

  client_id = astra_model_require_string (object, "clientId", _("a token"), error);
  if (client_id == NULL)
    return NULL;

  self = g_object_new (ASTRA_TYPE_TOKEN, NULL);
  self->client_id = g_strdup (client_id);
  self->description = shared_take (g_strdup (astra_model_optional_string (object, "description")));
  self->role_ids = shared_strv_take (astra_model_optional_strv (object, "roles"));
  self->role_names = shared_strv_new (NULL);
  self->generated_on =
    astra_model_parse_timestamp (astra_json_object_get_string (object, "generatedOn"));
  self->expires =
    astra_model_parse_timestamp (astra_json_object_get_string (object, "tokenExpiry"));

  return self;
}

/* For astra_token_list_parse(), which reads the list without a JSON tree. */
AstraToken *
astra_token_new_take (char      *client_id,
                      char      *description,
                      char     **role_ids,
                      GDateTime *generated_on,
                      GDateTime *expires)
{
  AstraToken *self;

  g_return_val_if_fail (client_id != NULL && *client_id != '\0', NULL);
  g_return_val_if_fail (description != NULL, NULL);
  g_return_val_if_fail (role_ids != NULL, NULL);

  self = g_object_new (ASTRA_TYPE_TOKEN, NULL);
  self->client_id = client_id;
  self->description = shared_take (description);
  self->role_ids = shared_strv_take (role_ids);
  self->role_names = shared_strv_new (NULL);
  self->generated_on = generated_on;
  self->expires = expires;

  return self;
}

const char *
astra_token_get_client_id (AstraToken *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKEN (self), NULL);

  return self->client_id;
}

const char *
astra_token_get_description (AstraToken *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKEN (self), NULL);

  return self->description;
}

const char * const *
astra_token_get_role_ids (AstraToken *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKEN (self), NULL);

  return (const char * const *) self->role_ids;
}

/**
 * astra_token_get_role_names:
 *
 * Returns: (transfer none): the display names after astra_token_resolve_roles(), in the
 *   order of the role ids; empty before
 */
const char * const *
astra_token_get_role_names (AstraToken *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKEN (self), NULL);

  return (const char * const *) self->role_names;
}

const char *
astra_token_get_roles_label (AstraToken *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKEN (self), NULL);

  return roles_label (self);
}

GDateTime *
astra_token_get_generated_on (AstraToken *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKEN (self), NULL);

  return self->generated_on;
}

GDateTime *
astra_token_get_expires (AstraToken *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKEN (self), NULL);

  return self->expires;
}

gboolean
astra_token_get_in_keyring (AstraToken *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKEN (self), FALSE);

  return self->in_keyring;
}

void
astra_token_set_in_keyring (AstraToken *self,
                            gboolean    in_keyring)
{
  g_return_if_fail (ASTRA_IS_TOKEN (self));

  in_keyring = !!in_keyring;
  if (self->in_keyring == in_keyring)
    return;

  self->in_keyring = in_keyring;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_KEYRING]);
}

void
astra_token_resolve_roles (AstraToken *self,
                           GHashTable *names_by_id)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) names = NULL;

  g_return_if_fail (ASTRA_IS_TOKEN (self));

  builder = g_strv_builder_new ();
  for (guint i = 0; self->role_ids[i] != NULL; i++)
    {
      const char *name = NULL;

      if (names_by_id != NULL)
        name = g_hash_table_lookup (names_by_id, self->role_ids[i]);
      g_strv_builder_add (builder, name != NULL ? name : self->role_ids[i]);
    }
  names = g_strv_builder_end (builder);

  set_role_names (self, (const char * const *) names);
}

/* }}} */

gboolean
astra_token_get_connects_app (AstraToken *self)
{
  g_return_val_if_fail (ASTRA_IS_TOKEN (self), FALSE);

  return self->connects_app;
}

/* Set by the list that shows the token, before its rows are bound: no notification. */
void
astra_token_set_connects_app (AstraToken *self,
                              gboolean    connects_app)
{
  g_return_if_fail (ASTRA_IS_TOKEN (self));

  self->connects_app = !!connects_app;
}

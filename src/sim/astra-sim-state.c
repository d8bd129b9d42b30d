/* astra-sim-state.c: the --state file, a JSON snapshot of the whole organization
 *
 * {"version": 1, "orgId", "orgName", "ownerUserId", "roles": […], "tokens": […],
 *  "users": […], "databases": […]}. Times are µs since the epoch. Tokens are stored as the
 * SHA-256 of the AstraCS: string ("tokenHash"): they authenticate after a restart, yet the
 * file holds no usable credential. Written atomically with mode 0600.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include "astra-json.h"
#include "astra-sim-server.h"
#include "astra-sim-state-private.h"

#define STATE_VERSION 1

/* ------------------------------------------------------------------------------------------
 * Writing
 * ---------------------------------------------------------------------------------------- */

static void
put_role (JsonBuilder  *builder,
          AstraSimRole *role)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "id", role->id);
  astra_json_builder_add_string_member (builder, "name", role->name);
  json_builder_set_member_name (builder, "builtin");
  json_builder_add_boolean_value (builder, role->builtin);
  astra_json_builder_add_string_member (builder, "description", role->description);
  astra_json_builder_add_string_member (builder, "effect", role->effect);
  astra_json_builder_add_strv_member (builder, "resources", (const char * const *) role->resources);
  astra_json_builder_add_strv_member (builder, "actions", (const char * const *) role->actions);
  astra_json_builder_add_int_member (builder, "lastUpdate", role->last_update);
  astra_json_builder_add_string_member (builder, "lastUpdateUser", role->last_update_user);
  json_builder_end_object (builder);
}

static void
put_token (JsonBuilder   *builder,
           AstraSimToken *token)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "clientId", token->client_id);
  astra_json_builder_add_strv_member (builder, "roles", (const char * const *) token->roles);
  astra_json_builder_add_int_member (builder, "generatedOn", token->generated_on);
  astra_json_builder_add_string_member (builder, "description", token->description);
  astra_json_builder_add_int_member (builder, "expiry", token->expiry);
  astra_json_builder_add_string_member (builder, "tokenHash", token->token_hash);
  json_builder_end_object (builder);
}

static void
put_user (JsonBuilder  *builder,
          AstraSimUser *user)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "id", user->id);
  astra_json_builder_add_string_member (builder, "email", user->email);
  astra_json_builder_add_string_member (builder, "status", user->status);
  astra_json_builder_add_strv_member (builder, "roles", (const char * const *) user->roles);
  json_builder_end_object (builder);
}

static void
put_database (JsonBuilder      *builder,
              AstraSimDatabase *database)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "id", database->id);
  astra_json_builder_add_string_member (builder, "ownerId", database->owner_id);
  astra_json_builder_add_string_member (builder, "status", database->status);
  astra_json_builder_add_int_member (builder, "creationTime", database->creation_time);
  astra_json_builder_add_string_member (builder, "name", database->name);
  astra_json_builder_add_string_member (builder, "keyspace", database->keyspace);
  astra_json_builder_add_strv_member (builder, "keyspaces",
                                      (const char * const *) database->keyspaces);
  astra_json_builder_add_string_member (builder, "region", database->region);
  astra_json_builder_add_string_member (builder, "cloudProvider", database->cloud_provider);
  astra_json_builder_add_string_member (builder, "tier", database->tier);
  astra_json_builder_add_string_member (builder, "dbType", database->db_type);
  json_builder_end_object (builder);
}

typedef void (*PutFunc) (JsonBuilder *builder,
                         gpointer     item);

static void
put_array (JsonBuilder *builder,
           const char  *name,
           GPtrArray   *items,
           PutFunc      put)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    put (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
}

/* ------------------------------------------------------------------------------------------
 * Reading
 * ---------------------------------------------------------------------------------------- */

static char *
dup_string (JsonObject *object,
            const char *name)
{
  return g_strdup (astra_json_object_get_string (object, name));
}

static gint64
get_int (JsonObject *object,
         const char *name)
{
  gint64 value = 0;

  astra_json_object_get_int (object, name, &value);
  return value;
}

static GStrv
dup_strv (JsonObject *object,
          const char *name)
{
  GStrv strv = astra_json_object_dup_strv (object, name, FALSE);

  return strv ? strv : g_new0 (char *, 1);
}

static gpointer
read_role (JsonObject *object)
{
  g_autoptr(AstraSimRole) role = astra_sim_role_new ();

  role->id = dup_string (object, "id");
  role->name = dup_string (object, "name");
  if (role->id == NULL || role->name == NULL)
    return NULL;
  astra_json_object_get_bool (object, "builtin", &role->builtin);
  role->description = dup_string (object, "description");
  if (role->description == NULL)
    role->description = g_strdup ("");
  role->effect = dup_string (object, "effect");
  if (role->effect == NULL)
    role->effect = g_strdup ("allow");
  role->resources = dup_strv (object, "resources");
  role->actions = dup_strv (object, "actions");
  role->last_update = get_int (object, "lastUpdate");
  role->last_update_user = dup_string (object, "lastUpdateUser");
  return g_steal_pointer (&role);
}

static gpointer
read_token (JsonObject *object)
{
  g_autoptr(AstraSimToken) token = astra_sim_token_new ();

  token->client_id = dup_string (object, "clientId");
  token->token_hash = dup_string (object, "tokenHash");
  if (token->client_id == NULL || token->token_hash == NULL)
    return NULL;
  token->roles = dup_strv (object, "roles");
  token->generated_on = get_int (object, "generatedOn");
  token->description = dup_string (object, "description");
  if (token->description == NULL)
    token->description = g_strdup ("");
  token->expiry = get_int (object, "expiry");
  return g_steal_pointer (&token);
}

static gpointer
read_user (JsonObject *object)
{
  g_autoptr(AstraSimUser) user = astra_sim_user_new ();

  user->id = dup_string (object, "id");
  if (user->id == NULL)
    return NULL;
  user->email = dup_string (object, "email");
  user->status = dup_string (object, "status");
  user->roles = dup_strv (object, "roles");
  return g_steal_pointer (&user);
}

static gpointer
read_database (JsonObject *object)
{
  g_autoptr(AstraSimDatabase) database = astra_sim_database_new ();

  database->id = dup_string (object, "id");
  database->status = dup_string (object, "status");
  database->name = dup_string (object, "name");
  database->cloud_provider = dup_string (object, "cloudProvider");
  if (database->id == NULL || database->status == NULL || database->name == NULL ||
      database->cloud_provider == NULL)
    return NULL;
  database->owner_id = dup_string (object, "ownerId");
  database->creation_time = get_int (object, "creationTime");
  database->keyspace = dup_string (object, "keyspace");
  database->keyspaces = dup_strv (object, "keyspaces");
  database->region = dup_string (object, "region");
  database->tier = dup_string (object, "tier");
  database->db_type = dup_string (object, "dbType");
  return g_steal_pointer (&database);
}

/* Reads every element of @name with @read; FALSE when one is not a valid entry. */
static gboolean
read_array (JsonObject  *root,
            const char  *name,
            gpointer   (*read) (JsonObject *),
            GPtrArray   *into)
{
  JsonArray *array = astra_json_object_get_array (root, name);

  if (array == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return FALSE;
      item = read (json_node_get_object (node));
      if (item == NULL)
        return FALSE;
      g_ptr_array_add (into, item);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * Module API
 * ---------------------------------------------------------------------------------------- */

AstraSimData *
astra_sim_state_load (const char  *path,
                      GError     **error)
{
  g_autoptr(AstraSimData) data = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *org_id = NULL;
  JsonObject *root;
  gsize length;
  gint64 version = 0;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_set_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_STATE,
                   "Could not read the state file: %s", local_error->message);
      return NULL;
    }

  node = astra_json_parse (contents, length, &local_error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_STATE,
                   "The state file %s is not valid: %s", path,
                   local_error ? local_error->message : "not a JSON object");
      return NULL;
    }
  root = json_node_get_object (node);

  astra_json_object_get_int (root, "version", &version);
  org_id = dup_string (root, "orgId");
  if (version != STATE_VERSION || org_id == NULL)
    {
      g_set_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_STATE,
                   "The state file %s is not an astra-sim state file (version %d)", path,
                   STATE_VERSION);
      return NULL;
    }

  data = astra_sim_data_new (org_id, astra_json_object_get_string (root, "orgName"));
  if (astra_json_object_get_string (root, "ownerUserId") != NULL)
    {
      g_free (data->owner_user_id);
      data->owner_user_id = dup_string (root, "ownerUserId");
    }

  if (!read_array (root, "roles", read_role, data->roles) ||
      !read_array (root, "users", read_user, data->users) ||
      !read_array (root, "databases", read_database, data->databases) ||
      !read_array (root, "tokens", read_token, data->tokens))
    {
      g_set_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_STATE,
                   "The state file %s has a missing or invalid entry", path);
      return NULL;
    }

  for (guint i = 0; i < data->tokens->len; i++)
    {
      AstraSimToken *token = g_ptr_array_index (data->tokens, i);

      g_hash_table_replace (data->tokens_by_id, token->client_id, token);
    }

  return g_steal_pointer (&data);
}

gboolean
astra_sim_state_save (const char    *path,
                      AstraSimData  *data,
                      GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;

  json_builder_begin_object (builder);
  astra_json_builder_add_int_member (builder, "version", STATE_VERSION);
  astra_json_builder_add_string_member (builder, "orgId", data->org_id);
  astra_json_builder_add_string_member (builder, "orgName", data->org_name);
  astra_json_builder_add_string_member (builder, "ownerUserId", data->owner_user_id);
  put_array (builder, "roles", data->roles, (PutFunc) put_role);
  put_array (builder, "users", data->users, (PutFunc) put_user);
  put_array (builder, "databases", data->databases, (PutFunc) put_database);
  put_array (builder, "tokens", data->tokens, (PutFunc) put_token);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  contents = astra_json_to_string (root);

  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT |
                                   G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                   0600, error);
}

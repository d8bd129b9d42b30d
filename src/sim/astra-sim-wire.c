/* astra-sim-wire.c: the model in the real API's JSON shapes and casing (astra-api.md §2.9)
 *
 * Roles and users use capitalised outer keys (ID, Name, Policy; OrgID, Users, UserID),
 * policies, tokens, databases and the organization lower camel case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include "astra-json.h"
#include "astra-sim-wire-private.h"

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec,
          guint        digits)
{
  g_autofree char *text = astra_sim_format_time (usec, digits);

  astra_json_builder_add_string_member (builder, name, text);
}

static void
add_policy (JsonBuilder  *builder,
            AstraSimRole *role)
{
  json_builder_set_member_name (builder, "Policy");
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "description", role->description);
  astra_json_builder_add_string_member (builder, "effect", role->effect);
  astra_json_builder_add_strv_member (builder, "resources", (const char * const *) role->resources);
  astra_json_builder_add_strv_member (builder, "actions", (const char * const *) role->actions);
  json_builder_end_object (builder);
}

static void
add_role (JsonBuilder  *builder,
          AstraSimRole *role)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "ID", role->id);
  astra_json_builder_add_string_member (builder, "Name", role->name);
  astra_json_builder_add_string_member (builder, "Type", role->builtin ? "default" : "custom");
  add_policy (builder, role);
  json_builder_end_object (builder);
}

static void
add_token (JsonBuilder   *builder,
           AstraSimToken *token)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "clientId", token->client_id);
  astra_json_builder_add_strv_member (builder, "roles", (const char * const *) token->roles);
  add_time (builder, "generatedOn", token->generated_on, 3);
  astra_json_builder_add_string_member (builder, "description", token->description);
  if (token->expiry != 0)
    add_time (builder, "tokenExpiry", token->expiry, 3);
  else
    astra_json_builder_add_string_member (builder, "tokenExpiry", NULL);
  json_builder_end_object (builder);
}

static void
add_user (JsonBuilder  *builder,
          AstraSimData *data,
          AstraSimUser *user)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "UserID", user->id);
  astra_json_builder_add_string_member (builder, "Email", user->email);
  astra_json_builder_add_string_member (builder, "Status", user->status);
  json_builder_set_member_name (builder, "Roles");
  json_builder_begin_array (builder);
  for (guint i = 0; user->roles != NULL && user->roles[i] != NULL; i++)
    {
      AstraSimRole *role = astra_sim_data_find_role (data, user->roles[i]);

      json_builder_begin_object (builder);
      astra_json_builder_add_string_member (builder, "ID", user->roles[i]);
      astra_json_builder_add_string_member (builder, "Name", role ? role->name : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_database (JsonBuilder      *builder,
              AstraSimData     *data,
              AstraSimDatabase *database)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "id", database->id);
  astra_json_builder_add_string_member (builder, "orgId", data->org_id);
  astra_json_builder_add_string_member (builder, "ownerId", database->owner_id);
  astra_json_builder_add_string_member (builder, "status", database->status);
  add_time (builder, "creationTime", database->creation_time, 3);
  json_builder_set_member_name (builder, "info");
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "name", database->name);
  astra_json_builder_add_string_member (builder, "keyspace", database->keyspace);
  astra_json_builder_add_strv_member (builder, "keyspaces",
                                      (const char * const *) database->keyspaces);
  astra_json_builder_add_string_member (builder, "region", database->region);
  astra_json_builder_add_string_member (builder, "cloudProvider", database->cloud_provider);
  astra_json_builder_add_string_member (builder, "tier", database->tier);
  if (database->db_type != NULL)
    astra_json_builder_add_string_member (builder, "dbType", database->db_type);
  json_builder_set_member_name (builder, "datacenters");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  {
    g_autofree char *dc_id = g_strdup_printf ("%s-1", database->id);

    astra_json_builder_add_string_member (builder, "id", dc_id);
    astra_json_builder_add_string_member (builder, "name", "dc-1");
    astra_json_builder_add_string_member (builder, "region", database->region);
    astra_json_builder_add_string_member (builder, "cloudProvider", database->cloud_provider);
    astra_json_builder_add_string_member (builder, "tier", database->tier);
    astra_json_builder_add_string_member (builder, "status", database->status);
  }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------------------------
 * Module API
 * ---------------------------------------------------------------------------------------- */

JsonNode *
astra_sim_wire_org (AstraSimData *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "id", data->org_id);
  astra_json_builder_add_string_member (builder, "name", data->org_name);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_role (AstraSimRole *role)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_role (builder, role);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_roles (AstraSimData *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < data->roles->len; i++)
    add_role (builder, g_ptr_array_index (data->roles, i));
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_role_saved (AstraSimData *data,
                           AstraSimRole *role)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "OrgID", data->org_id);
  astra_json_builder_add_string_member (builder, "ID", role->id);
  astra_json_builder_add_string_member (builder, "Name", role->name);
  add_policy (builder, role);
  add_time (builder, "LastUpdateDateTime", role->last_update, 3);
  astra_json_builder_add_string_member (builder, "LastUpdateUserID", role->last_update_user);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_tokens (AstraSimData *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "clients");
  json_builder_begin_array (builder);
  for (guint i = 0; i < data->tokens->len; i++)
    add_token (builder, g_ptr_array_index (data->tokens, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_token_created (AstraSimData  *data,
                              AstraSimToken *token,
                              const char    *secret,
                              const char    *token_string)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "clientId", token->client_id);
  astra_json_builder_add_string_member (builder, "orgId", data->org_id);
  astra_json_builder_add_string_member (builder, "secret", secret);
  astra_json_builder_add_string_member (builder, "token", token_string);
  /* Token creation was seen answering with nanosecond precision (astra-api.md §2.7). */
  add_time (builder, "generatedOn", token->generated_on, 9);
  astra_json_builder_add_strv_member (builder, "roles", (const char * const *) token->roles);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_users (AstraSimData *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "OrgID", data->org_id);
  astra_json_builder_add_string_member (builder, "OrgName", data->org_name);
  json_builder_set_member_name (builder, "Users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < data->users->len; i++)
    add_user (builder, data, g_ptr_array_index (data->users, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_user (AstraSimData *data,
                     AstraSimUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_user (builder, data, user);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_databases (AstraSimData *data,
                          GPtrArray    *databases)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < databases->len; i++)
    add_database (builder, data, g_ptr_array_index (databases, i));
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_database (AstraSimData     *data,
                         AstraSimDatabase *database)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_database (builder, data, database);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_errors (guint       id,
                       const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ID");
  json_builder_add_int_value (builder, id);
  astra_json_builder_add_string_member (builder, "message", message);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

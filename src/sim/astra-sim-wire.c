/* astra-sim-wire.c: the model in the real API's JSON shapes and casing (astra-api.md §2.9)
 *
 * Roles and users use capitalised outer keys (ID, Name, Policy; OrgID, Users, UserID),
 * policies, tokens, databases and the organization lower camel case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include "astra-sim-wire-private.h"

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_strv (JsonBuilder *builder,
          const char  *name,
          GStrv        values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec,
          guint        digits)
{
  g_autofree char *text = astra_sim_format_time (usec, digits);

  add_string (builder, name, text);
}

static void
add_policy (JsonBuilder  *builder,
            AstraSimRole *role)
{
  json_builder_set_member_name (builder, "Policy");
  json_builder_begin_object (builder);
  add_string (builder, "description", role->description);
  add_string (builder, "effect", role->effect);
  add_strv (builder, "resources", role->resources);
  add_strv (builder, "actions", role->actions);
  json_builder_end_object (builder);
}

static void
add_role (JsonBuilder  *builder,
          AstraSimRole *role)
{
  json_builder_begin_object (builder);
  add_string (builder, "ID", role->id);
  add_string (builder, "Name", role->name);
  add_string (builder, "Type", role->builtin ? "default" : "custom");
  add_policy (builder, role);
  json_builder_end_object (builder);
}

static void
add_token (JsonBuilder   *builder,
           AstraSimToken *token)
{
  json_builder_begin_object (builder);
  add_string (builder, "clientId", token->client_id);
  add_strv (builder, "roles", token->roles);
  add_time (builder, "generatedOn", token->generated_on, 3);
  add_string (builder, "description", token->description);
  if (token->expiry != 0)
    add_time (builder, "tokenExpiry", token->expiry, 3);
  else
    add_string (builder, "tokenExpiry", NULL);
  json_builder_end_object (builder);
}

static void
add_user (JsonBuilder  *builder,
          AstraSimData *data,
          AstraSimUser *user)
{
  json_builder_begin_object (builder);
  add_string (builder, "UserID", user->id);
  add_string (builder, "Email", user->email);
  add_string (builder, "Status", user->status);
  json_builder_set_member_name (builder, "Roles");
  json_builder_begin_array (builder);
  for (guint i = 0; user->roles != NULL && user->roles[i] != NULL; i++)
    {
      AstraSimRole *role = astra_sim_data_find_role (data, user->roles[i]);

      json_builder_begin_object (builder);
      add_string (builder, "ID", user->roles[i]);
      add_string (builder, "Name", role ? role->name : "");
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
  add_string (builder, "id", database->id);
  add_string (builder, "orgId", data->org_id);
  add_string (builder, "ownerId", database->owner_id);
  add_string (builder, "status", database->status);
  add_time (builder, "creationTime", database->creation_time, 3);
  json_builder_set_member_name (builder, "info");
  json_builder_begin_object (builder);
  add_string (builder, "name", database->name);
  add_string (builder, "keyspace", database->keyspace);
  add_strv (builder, "keyspaces", database->keyspaces);
  add_string (builder, "region", database->region);
  add_string (builder, "cloudProvider", database->cloud_provider);
  add_string (builder, "tier", database->tier);
  if (database->db_type != NULL)
    add_string (builder, "dbType", database->db_type);
  json_builder_set_member_name (builder, "datacenters");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  {
    g_autofree char *dc_id = g_strdup_printf ("%s-1", database->id);

    add_string (builder, "id", dc_id);
    add_string (builder, "name", "dc-1");
    add_string (builder, "region", database->region);
    add_string (builder, "cloudProvider", database->cloud_provider);
    add_string (builder, "tier", database->tier);
    add_string (builder, "status", database->status);
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
  add_string (builder, "id", data->org_id);
  add_string (builder, "name", data->org_name);
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
  add_string (builder, "OrgID", data->org_id);
  add_string (builder, "ID", role->id);
  add_string (builder, "Name", role->name);
  add_policy (builder, role);
  add_time (builder, "LastUpdateDateTime", role->last_update, 3);
  add_string (builder, "LastUpdateUserID", role->last_update_user);
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
  add_string (builder, "clientId", token->client_id);
  add_string (builder, "orgId", data->org_id);
  add_string (builder, "secret", secret);
  add_string (builder, "token", token_string);
  /* Token creation was seen answering with nanosecond precision (astra-api.md §2.7). */
  add_time (builder, "generatedOn", token->generated_on, 9);
  add_strv (builder, "roles", token->roles);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
astra_sim_wire_users (AstraSimData *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "OrgID", data->org_id);
  add_string (builder, "OrgName", data->org_name);
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
  add_string (builder, "message", message);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* astra-sim-wire.c: the model in the real API's JSON shapes and casing (astra-api.md §2.9)
 *
 * Roles and users use capitalised outer keys (ID, Name, Policy; OrgID, Users, UserID),
 * policies, tokens, databases and the organization lower camel case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include <time.h>

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

/* A JSON string as json-glib writes one: quotes, backslashes and control characters
 * escaped, everything else (UTF-8 included) as is. */
static void
append_json_string (GString    *out,
                    const char *value)
{
  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* As astra_sim_format_time (usec, 3), without a GDateTime and a strftime() per call. */
static void
append_json_time (GString *out,
                  gint64   usec)
{
  time_t seconds = (time_t) (usec / G_USEC_PER_SEC);
  struct tm tm;

  if (usec < 0 || gmtime_r (&seconds, &tm) == NULL || tm.tm_year + 1900 > 9999)
    {
      g_autofree char *text = astra_sim_format_time (usec, 3);

      append_json_string (out, text);
      return;
    }

  g_string_append_printf (out, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec,
                          (int) (usec % G_USEC_PER_SEC / 1000));
}

/* The token list is the largest answer (10,000 tokens in the benchmarks, ~1.9 MB): it is
 * written straight into one string, in the same compact form as astra_json_to_string(),
 * instead of building a json-glib tree of 60,000 nodes first and walking it (about ten
 * times slower, and that wait is the app's). */
char *
astra_sim_wire_tokens_text (AstraSimData *data)
{
  GString *out = g_string_sized_new (64 + data->tokens->len * 200);

  g_string_append (out, "{\"clients\":[");
  for (guint i = 0; i < data->tokens->len; i++)
    {
      AstraSimToken *token = g_ptr_array_index (data->tokens, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"clientId\":");
      append_json_string (out, token->client_id);
      g_string_append (out, ",\"roles\":[");
      for (guint j = 0; token->roles != NULL && token->roles[j] != NULL; j++)
        {
          if (j > 0)
            g_string_append_c (out, ',');
          append_json_string (out, token->roles[j]);
        }
      g_string_append (out, "],\"generatedOn\":");
      append_json_time (out, token->generated_on);
      g_string_append (out, ",\"description\":");
      append_json_string (out, token->description);
      g_string_append (out, ",\"tokenExpiry\":");
      if (token->expiry != 0)
        append_json_time (out, token->expiry);
      else
        g_string_append (out, "null");
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");

  return g_string_free (out, FALSE);
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

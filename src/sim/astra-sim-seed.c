/* astra-sim-seed.c: the demo organization's built-in roles and sample data
 *
 * The 16 built-in roles of astra-api.md §3.1 with the fixture ids of §3.2 where known, and
 * action lists modelled on §3.5 ("Svc Acct" roles cannot list users or databases; only the
 * Organization Administrator and the Database Administrator manage tokens). Sample users,
 * databases, one custom role scoped to a database, and a handful of tokens of every shape a
 * client must cope with: no description, an expiry, an expired one, several roles, and a
 * legacy token whose role entry is a role *name* instead of an id (terraform #40).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include <string.h>

#include "astra-sim-data-private.h"

#define ORG_DRN "drn:astra:org:__ORG_ID__"

#define DB_DESCRIBE "accesslist-read db-all-keyspace-describe db-keyspace-describe " \
                    "db-table-describe "
#define DB_DATA     "db-table-select db-graphql db-rest db-cql "
#define DB_SCHEMA   "db-all-keyspace-create db-keyspace-create db-keyspace-drop " \
                    "db-keyspace-alter db-keyspace-modify db-keyspace-grant " \
                    "db-keyspace-authorize db-table-create db-table-drop db-table-alter " \
                    "db-table-modify db-table-grant db-table-authorize "
#define DB_MANAGE   "db-data-import db-manage-region db-manage-privateendpoint " \
                    "db-manage-thirdpartymetrics "
#define ORG_DB      "org-db-create org-db-terminate org-db-suspend org-db-expand " \
                    "org-db-addpeering org-db-view org-db-passwordreset " \
                    "org-db-managemigratorproxy "
#define ADMIN_USER  "org-read org-billing-read org-billing-write org-cmk-read org-cmk-write " \
                    "org-user-read org-user-write " ORG_DB \
                    "db-all-keyspace-describe db-keyspace-describe db-table-describe " \
                    "db-table-select db-graphql db-rest db-cql " DB_SCHEMA DB_MANAGE
#define ORG_ADMIN   ADMIN_USER "org-write org-audits-read org-role-read org-role-write " \
                    "org-role-delete org-token-read org-token-write org-external-auth-read " \
                    "org-external-auth-write org-notification-write accesslist-read " \
                    "accesslist-write org-integrations-read org-integrations-write " \
                    "org-stream-manage"
#define RO_SVC      DB_DESCRIBE DB_DATA
#define RO_USER     "org-read org-db-view org-user-read " RO_SVC

enum
{
  RESOURCES_DATA   = 0,
  RESOURCES_STREAM = 1 << 0,
  RESOURCES_ROLE   = 1 << 1,
};

typedef struct
{
  const char *name;
  const char *fixture_id;   /* astra-api.md §3.2, or NULL for a random id */
  const char *description;
  const char *actions;      /* space separated */
  const char *removed;      /* space separated, taken out of @actions */
  guint       resources;
} BuiltinRole;

static const BuiltinRole builtin_roles[] = {
  { ASTRA_SIM_ROLE_ORG_ADMIN, "ad0566b5-2a67-49de-89e8-92258c2f2c98",
    "Organization Administrator: all permissions", ORG_ADMIN, NULL,
    RESOURCES_STREAM | RESOURCES_ROLE },
  { "Database Administrator", NULL, "Database Administrator",
    "org-read accesslist-write org-token-read org-token-write org-role-read "
    ORG_DB DB_DESCRIBE DB_DATA DB_SCHEMA DB_MANAGE, NULL, RESOURCES_DATA },
  { "Billing Admin", NULL, "Billing Administrator",
    "org-read org-billing-read org-billing-write", NULL, RESOURCES_DATA },
  { "UI View Only", NULL, "UI View Only",
    "org-read org-db-view org-user-read org-role-read org-token-read org-billing-read "
    "org-audits-read " DB_DESCRIBE, NULL, RESOURCES_DATA },
  { "Admin User", "43745b73-ad46-46e4-b826-c15d06d2cea0", "Administrator User",
    ADMIN_USER, NULL, RESOURCES_DATA },
  { "Admin Svc Acct", NULL, "Administrator Service Account",
    ADMIN_USER, "org-user-read org-user-write org-db-view", RESOURCES_DATA },
  { "RO User", NULL, "Read Only User", RO_USER, NULL, RESOURCES_DATA },
  { "R/W User", NULL, "Read/Write User", RO_USER "db-table-modify", NULL, RESOURCES_DATA },
  { "RO Svc Acct", "16a4b1d7-a615-41f8-95ca-52b0280f4d77", "Read Only Service Account",
    RO_SVC, NULL, RESOURCES_DATA },
  { "R/W Svc Acct", "b4ed0e9e-67e8-47b6-8b58-c6629be961a9", "Read/Write Service Account",
    RO_SVC "db-table-modify", NULL, RESOURCES_DATA },
  { "API Admin User", "67c4b5dc-dd3f-4b2d-be51-09be12836d57", "API Administrator User",
    ADMIN_USER "accesslist-read org-stream-manage", "org-read db-cql", RESOURCES_STREAM },
  { "API Admin Svc Acct", NULL, "API Administrator Service Account",
    ADMIN_USER "accesslist-read org-stream-manage",
    "org-read db-cql org-user-read org-user-write org-db-view", RESOURCES_STREAM },
  { "API RO User", NULL, "API Read Only User", RO_USER, "db-cql", RESOURCES_DATA },
  { "API R/W User", NULL, "API Read/Write User", RO_USER "db-table-modify", "db-cql",
    RESOURCES_DATA },
  { "API RO Svc Acct", NULL, "API Read Only Service Account", RO_SVC, "db-cql",
    RESOURCES_DATA },
  { "API R/W Svc Acct", NULL, "API Read/Write Service Account", RO_SVC "db-table-modify",
    "db-cql", RESOURCES_DATA },
};

typedef struct
{
  const char *name;
  const char *region;
  const char *provider;
} SampleDatabase;

static const SampleDatabase sample_databases[] = {
  { "vector-search", "us-east-2",   "AWS" },
  { "orders",        "us-east1",    "GCP" },
  { "telemetry",     "westus3",     "AZURE" },
  { "inventory",     "eu-west-1",   "AWS" },
  { "sessions",      "europe-west1", "GCP" },
  { "audit-log",     "eastus",      "AZURE" },
};

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

static GStrv
split_actions (const char *actions,
               const char *removed)
{
  g_auto(GStrv) all = g_strsplit (actions, " ", -1);
  g_auto(GStrv) minus = g_strsplit (removed ? removed : "", " ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; minus[i] != NULL; i++)
    g_hash_table_add (seen, minus[i]);

  for (guint i = 0; all[i] != NULL; i++)
    {
      if (*all[i] == '\0' || g_hash_table_contains (seen, all[i]))
        continue;
      g_hash_table_add (seen, all[i]);
      g_strv_builder_add (builder, all[i]);
    }
  return g_strv_builder_end (builder);
}

static GStrv
builtin_resources (guint kinds)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, ORG_DRN);
  g_strv_builder_add (builder, ORG_DRN ":db:*");
  g_strv_builder_add (builder, ORG_DRN ":db:*:keyspace:*");
  g_strv_builder_add (builder, ORG_DRN ":db:*:keyspace:*:table:*");
  if (kinds & RESOURCES_STREAM)
    g_strv_builder_add (builder, ORG_DRN ":stream:*");
  if (kinds & RESOURCES_ROLE)
    g_strv_builder_add (builder, ORG_DRN ":role:*");
  return g_strv_builder_end (builder);
}

static const char *
role_id (AstraSimData *data,
         const char   *name)
{
  AstraSimRole *role = astra_sim_data_find_role_by_name (data, name);

  g_assert (role != NULL);
  return role->id;
}

static void
add_user (AstraSimData *data,
          const char   *id,
          const char   *email,
          const char   *status,
          const char   *role_name)
{
  AstraSimUser *user = astra_sim_user_new ();
  const char *roles[] = { role_id (data, role_name), NULL };

  user->id = id ? g_strdup (id) : g_uuid_string_random ();
  user->email = g_strdup (email);
  user->status = g_strdup (status);
  user->roles = g_strdupv ((char **) roles);
  g_ptr_array_add (data->users, user);
}

static AstraSimDatabase *
add_database (AstraSimData *data,
              guint         index,
              gint64        now)
{
  const SampleDatabase *sample = &sample_databases[index % G_N_ELEMENTS (sample_databases)];
  static const char *later_statuses[] = { "ACTIVE", "PARKED", "TERMINATED", "ACTIVE" };
  AstraSimDatabase *database = astra_sim_database_new ();
  g_autofree char *keyspace = NULL;
  const char *keyspaces[3] = { "default_keyspace", NULL, NULL };

  database->id = g_uuid_string_random ();
  database->owner_id = g_strdup (data->owner_user_id);
  /* The first three are live (ACTIVE, ACTIVE, HIBERNATED), so include=nonterminated, the
   * default, returns all of them; later ones mix in PARKED and TERMINATED databases. */
  if (index < 2)
    database->status = g_strdup ("ACTIVE");
  else if (index == 2)
    database->status = g_strdup ("HIBERNATED");
  else
    database->status = g_strdup (later_statuses[(index - 3) % G_N_ELEMENTS (later_statuses)]);
  database->creation_time = now - (gint64) (400 - (index % 400)) * 86400 * G_USEC_PER_SEC;
  if (index < G_N_ELEMENTS (sample_databases))
    database->name = g_strdup (sample->name);
  else
    database->name = g_strdup_printf ("%s-%u", sample->name, index);
  keyspace = g_strdelimit (g_strdup (database->name), "-", '_');
  keyspaces[1] = keyspace;
  database->keyspace = g_strdup ("default_keyspace");
  database->keyspaces = g_strdupv ((char **) keyspaces);
  database->region = g_strdup (sample->region);
  database->cloud_provider = g_strdup (sample->provider);
  database->tier = g_strdup ("serverless");
  database->db_type = (index % 2 == 0) ? g_strdup ("vector") : NULL;
  g_ptr_array_add (data->databases, database);
  return database;
}

static void
add_scoped_role (AstraSimData     *data,
                 AstraSimDatabase *database,
                 gint64            now)
{
  AstraSimRole *role = astra_sim_role_new ();
  g_autoptr(GStrvBuilder) resources = g_strv_builder_new ();
  g_autofree char *org = g_strdup_printf ("drn:astra:org:%s", data->org_id);
  g_autofree char *db = g_strdup_printf ("%s:db:%s", org, database->id);
  g_autofree char *ks = g_strdup_printf ("%s:keyspace:*", db);
  g_autofree char *table = g_strdup_printf ("%s:table:*", ks);

  g_strv_builder_add_many (resources, org, db, ks, table, NULL);
  role->id = g_uuid_string_random ();
  role->name = g_strdup_printf ("%s read only", database->name);
  role->description = g_strdup_printf ("Read access to the %s database only", database->name);
  role->effect = g_strdup ("allow");
  role->resources = g_strv_builder_end (resources);
  role->actions = split_actions ("org-db-view db-all-keyspace-describe db-keyspace-describe "
                                 "db-table-describe db-table-select db-cql db-rest db-graphql",
                                 NULL);
  role->last_update = now - G_GINT64_CONSTANT (30) * G_USEC_PER_SEC * 3600 * 24;
  role->last_update_user = g_strdup (data->owner_user_id);
  astra_sim_data_add_role (data, role);
}

static void
add_sample_token (AstraSimData *data,
                  const char   *role_a,
                  const char   *role_b,
                  const char   *description,
                  gint64        generated_on,
                  gint64        expiry)
{
  const char *roles[3] = { role_a, role_b, NULL };
  g_autofree char *token = NULL;

  token = astra_sim_data_mint_token (data, roles, description, generated_on, expiry, NULL, NULL);
  explicit_bzero (token, strlen (token));
}

/* ------------------------------------------------------------------------------------------
 * Module API
 * ---------------------------------------------------------------------------------------- */

void
astra_sim_seed_builtin_roles (AstraSimData *data)
{
  /* Built-in roles have always existed: date them well before anything else. */
  gint64 epoch = G_GINT64_CONSTANT (1609459200) * G_USEC_PER_SEC;

  for (guint i = 0; i < G_N_ELEMENTS (builtin_roles); i++)
    {
      const BuiltinRole *def = &builtin_roles[i];
      AstraSimRole *role = astra_sim_role_new ();

      role->id = def->fixture_id ? g_strdup (def->fixture_id) : g_uuid_string_random ();
      role->name = g_strdup (def->name);
      role->builtin = TRUE;
      role->description = g_strdup (def->description);
      role->effect = g_strdup ("allow");
      role->resources = builtin_resources (def->resources);
      role->actions = split_actions (def->actions, def->removed);
      role->last_update = epoch;
      role->last_update_user = g_strdup ("");
      astra_sim_data_add_role (data, role);
    }
}

void
astra_sim_seed_sample_data (AstraSimData *data,
                            guint         n_databases)
{
  gint64 now = g_get_real_time ();
  gint64 day = G_USEC_PER_SEC * G_GINT64_CONSTANT (86400);

  add_user (data, data->owner_user_id, "owner@example.com", "active", ASTRA_SIM_ROLE_ORG_ADMIN);
  add_user (data, NULL, "dba@example.com", "active", "Database Administrator");
  add_user (data, NULL, "analyst@example.com", "invited", "RO User");

  for (guint i = 0; i < n_databases; i++)
    add_database (data, i, now);
  if (n_databases > 0)
    add_scoped_role (data, g_ptr_array_index (data->databases, 0), now);

  /* Legacy token: its role entry is the role's name, as old clients sent it. */
  add_sample_token (data, "R/W User", NULL, "", now - 1400 * day, 0);
  add_sample_token (data, role_id (data, "Database Administrator"), NULL, "", now - 380 * day, 0);
  add_sample_token (data, role_id (data, "API RO User"), NULL, "Expired demo token",
                    now - 120 * day, now - 30 * day);
  add_sample_token (data, role_id (data, "Admin User"), role_id (data, "API R/W Svc Acct"),
                    "Ops team", now - 60 * day, 0);
  add_sample_token (data, role_id (data, "R/W Svc Acct"), NULL, "CI pipeline",
                    now - 14 * day, 0);
  add_sample_token (data, role_id (data, "RO Svc Acct"), NULL, "Analytics dashboard, read only",
                    now - 2 * day, now + 90 * day);
}

void
astra_sim_seed_bulk_tokens (AstraSimData *data,
                            guint         n_tokens)
{
  static const char *names[] = {
    "RO Svc Acct", "R/W Svc Acct", "API RO User", "Database Administrator", "Admin User",
  };
  const char *ids[G_N_ELEMENTS (names)];
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    ids[i] = role_id (data, names[i]);

  for (guint i = 0; i < n_tokens; i++)
    {
      g_autofree char *description = g_strdup_printf ("Bulk token %u", i + 1);
      gint64 generated_on = now - (gint64) (n_tokens - i) * 60 * G_USEC_PER_SEC;
      gint64 expiry = (i % 3 == 0) ? now + (gint64) (i % 365 + 1) * 86400 * G_USEC_PER_SEC : 0;

      add_sample_token (data, ids[i % G_N_ELEMENTS (ids)], NULL, description, generated_on,
                        expiry);
    }
}

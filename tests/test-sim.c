/* test-sim.c: conformance of the in-process simulator with astra-api.md, over raw libsoup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "astra-json.h"
#include "astra-sim-server.h"
#include "astra-token-format.h"
#include "sim-test-http.h"

typedef struct
{
  AstraSimServer *server;
  SoupSession    *session;
  const char     *admin;
} Fixture;

static void
fixture_start (Fixture *f,
               guint    n_databases)
{
  g_autoptr(GError) error = NULL;

  if (f->server == NULL)
    f->server = astra_sim_server_new ();
  astra_sim_server_set_seed (f->server, 0, n_databases);
  g_assert_true (astra_sim_server_listen (f->server, 0, &error));
  g_assert_no_error (error);
  f->session = soup_session_new ();
  f->admin = astra_sim_server_get_admin_token (f->server);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_start (f, 3);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->server);
}

static char *
url (Fixture    *f,
     const char *path)
{
  return g_strconcat (astra_sim_server_get_base_url (f->server), path, NULL);
}

static SimResponse *
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body)
{
  g_autofree char *full = url (f, path);

  return sim_http (f->session, method, full, token, body);
}

static gboolean
is_uuid (const char *text)
{
  return text != NULL && g_uuid_string_is_valid (text);
}

static gboolean
is_iso_ms (const char *text)
{
  return text != NULL &&
         g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$", text, 0, 0);
}

static JsonObject *
find_by (JsonArray  *array,
         const char *key,
         const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, key), value) == 0)
        return object;
    }
  return NULL;
}

static char *
role_id (Fixture    *f,
         const char *name)
{
  g_autoptr(SimResponse) r = call (f, "GET", "/organizations/roles", f->admin, NULL);
  JsonObject *role;

  g_assert_cmpuint (r->status, ==, 200);
  role = find_by (sim_response_array (r), "Name", name);
  g_assert_nonnull (role);
  return g_strdup (json_object_get_string_member (role, "ID"));
}

static char *
mint (Fixture    *f,
      const char *role_name)
{
  g_autoptr(GError) error = NULL;
  char *token = astra_sim_server_mint_token (f->server, role_name, "test", &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

#define ROLE_BODY_FORMAT \
  "{\"name\": \"%s\", \"policy\": {\"description\": \"scoped\", \"effect\": \"allow\"," \
  " \"resources\": [\"%s\"], \"actions\": [\"org-db-view\", \"db-table-select\"]}}"

static char *
role_body (const char *name,
           const char *resource)
{
  return g_strdup_printf (ROLE_BODY_FORMAT, name, resource);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_current_org (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);
  JsonObject *org;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (sim_response_is_json (r));
  org = sim_response_object (r);
  g_assert_cmpstr (json_object_get_string_member (org, "id"), ==,
                   astra_sim_server_get_org_id (f->server));
  g_assert_cmpstr (json_object_get_string_member (org, "name"), ==, "Demo Organization");
  g_assert_true (is_uuid (json_object_get_string_member (org, "id")));
}

static void
test_org_name (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(SimResponse) r = NULL;

  f->server = astra_sim_server_new ();
  astra_sim_server_set_org_name (f->server, "someone@example.com");
  fixture_start (f, 1);
  r = call (f, "GET", "/currentOrg", f->admin, NULL);
  g_assert_cmpstr (json_object_get_string_member (sim_response_object (r), "name"), ==,
                   "someone@example.com");
  fixture_tear_down (f, NULL);
}

static void
test_auth_401 (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *forged = g_strdup (f->admin);
  const char *bad[] = { NULL, "", "not-a-token", NULL };

  /* Same client id, another hash. */
  forged[strlen (forged) - 1] = forged[strlen (forged) - 1] == 'a' ? 'b' : 'a';
  bad[3] = forged;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", bad[i], NULL);

      g_assert_cmpuint (r->status, ==, 401);
      g_assert_true (sim_response_is_json (r));
      g_assert_nonnull (sim_response_error_message (r));
      /* Nothing of the presented token comes back. */
      if (bad[i] != NULL && *bad[i] != '\0')
        g_assert_null (strstr (sim_response_text (r), bad[i]));
    }

  /* 401 is a JSON errors body even on text-error endpoints. */
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", "nope", "{}");

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_nonnull (sim_response_error_message (r));
  }

  /* The scheme is case-insensitive; other schemes are refused. */
  {
    g_autofree char *full = url (f, "/currentOrg");
    g_autofree char *mixed = g_strdup_printf ("bEaReR  %s", f->admin);
    g_autofree char *basic = g_strdup_printf ("Basic %s", f->admin);
    g_autoptr(SimResponse) ok = sim_http_start_full (f->session, "GET", full, mixed, NULL);
    g_autoptr(SimResponse) refused = sim_http_start_full (f->session, "GET", full, basic, NULL);

    sim_http_wait (ok);
    sim_http_wait (refused);
    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpuint (refused->status, ==, 401);
  }
}

static void
test_auth_403 (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *ro = mint (f, "RO Svc Acct");
  g_autofree char *dba = mint (f, "Database Administrator");
  struct { const char *method, *path, *token, *body, *permission; } cases[] = {
    { "GET", "/clientIdSecrets", ro, NULL, "org-token-read" },
    { "POST", "/clientIdSecrets", ro, "{\"roles\": [\"RO Svc Acct\"]}", "org-token-write" },
    { "DELETE", "/clientIdSecrets/AbCdEfGhIjKlMnOpQrStUvWx", ro, NULL, "org-token-write" },
    { "GET", "/organizations/roles", ro, NULL, "org-role-read" },
    { "GET", "/organizations/users", ro, NULL, "org-user-read" },
    { "GET", "/databases", ro, NULL, "org-db-view" },
    { "POST", "/organizations/roles", dba, "{}", "org-role-write" },
    { "DELETE", "/organizations/roles/x", dba, NULL, "org-role-delete" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimResponse) r = call (f, cases[i].method, cases[i].path, cases[i].token,
                                       cases[i].body);

      g_assert_cmpuint (r->status, ==, 403);
      g_assert_nonnull (strstr (sim_response_text (r), cases[i].permission));
    }

  /* A read-only service account can still validate itself. */
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", ro, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  /* The Database Administrator manages tokens. */
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/clientIdSecrets", dba, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_auth_custom_role (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *resource = g_strdup_printf ("drn:astra:org:%s",
                                               astra_sim_server_get_org_id (f->server));
  g_autofree char *body = g_strdup_printf (
    "{\"name\": \"Token auditor\", \"policy\": {\"description\": \"d\", \"effect\": \"allow\","
    " \"resources\": [\"%s\"], \"actions\": [\"org-token-read\"]}}", resource);
  g_autoptr(SimResponse) created = call (f, "POST", "/organizations/roles", f->admin, body);
  g_autofree char *token = NULL;
  g_autoptr(SimResponse) list = NULL;
  g_autoptr(SimResponse) roles = NULL;
  g_autoptr(SimResponse) updated = NULL;
  g_autoptr(SimResponse) list_after = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body2 = NULL;

  g_assert_cmpuint (created->status, ==, 201);
  token = mint (f, "Token auditor");

  list = call (f, "GET", "/clientIdSecrets", token, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  roles = call (f, "GET", "/organizations/roles", token, NULL);
  g_assert_cmpuint (roles->status, ==, 403);

  /* Editing the role changes what existing tokens may do. */
  path = g_strdup_printf ("/organizations/roles/%s",
                          json_object_get_string_member (sim_response_object (created), "ID"));
  body2 = g_strdup_printf (
    "{\"name\": \"Token auditor\", \"policy\": {\"description\": \"d\", \"effect\": \"allow\","
    " \"resources\": [\"%s\"], \"actions\": [\"org-role-read\"]}}", resource);
  updated = call (f, "PUT", path, f->admin, body2);
  g_assert_cmpuint (updated->status, ==, 200);
  list_after = call (f, "GET", "/clientIdSecrets", token, NULL);
  g_assert_cmpuint (list_after->status, ==, 403);
}

static void
test_routes (Fixture       *f,
             gconstpointer  data)
{
  struct { const char *method, *path; guint status; } cases[] = {
    { "GET", "/nothing", 404 },
    { "GET", "/organizations", 404 },
    { "GET", "/clientIdSecrets/a/b", 404 },
    { "PATCH", "/currentOrg", 405 },
    { "DELETE", "/currentOrg", 405 },
    { "PUT", "/clientIdSecrets", 405 },
    { "GET", "/tokens", 405 },
    { "POST", "/databases", 405 },
    { "GET", "/clientIdSecrets/", 200 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimResponse) r = call (f, cases[i].method, cases[i].path, f->admin, NULL);

      g_assert_cmpuint (r->status, ==, cases[i].status);
      if (cases[i].status == 405)
        g_assert_nonnull (soup_message_headers_get_one (r->headers, "Allow"));
      if (cases[i].status >= 400)
        g_assert_nonnull (sim_response_error_message (r));
    }

  /* Outside /v2 entirely. */
  {
    g_autofree char *root = g_strdup (astra_sim_server_get_base_url (f->server));
    g_autofree char *v1 = NULL;
    g_autoptr(SimResponse) r = NULL;

    root[strlen (root) - strlen ("/v2")] = '\0';
    v1 = g_strconcat (root, "/v1/currentOrg", NULL);
    r = sim_http (f->session, "GET", v1, f->admin, NULL);
    g_assert_cmpuint (r->status, ==, 404);
  }
}

static void
test_roles_list (Fixture       *f,
                 gconstpointer  data)
{
  static const char *builtins[] = {
    "Organization Administrator", "Database Administrator", "Billing Admin", "UI View Only",
    "Admin User", "Admin Svc Acct", "RO User", "R/W User", "RO Svc Acct", "R/W Svc Acct",
    "API Admin User", "API Admin Svc Acct", "API RO User", "API R/W User", "API RO Svc Acct",
    "API R/W Svc Acct",
  };
  static const struct { const char *name, *id; } fixtures[] = {
    { "Organization Administrator", "ad0566b5-2a67-49de-89e8-92258c2f2c98" },
    { "Admin User", "43745b73-ad46-46e4-b826-c15d06d2cea0" },
    { "API Admin User", "67c4b5dc-dd3f-4b2d-be51-09be12836d57" },
    { "R/W Svc Acct", "b4ed0e9e-67e8-47b6-8b58-c6629be961a9" },
    { "RO Svc Acct", "16a4b1d7-a615-41f8-95ca-52b0280f4d77" },
  };
  g_autoptr(SimResponse) r = call (f, "GET", "/organizations/roles", f->admin, NULL);
  g_autofree char *org_drn = g_strdup_printf ("drn:astra:org:%s",
                                              astra_sim_server_get_org_id (f->server));
  JsonArray *roles;
  guint n_custom = 0;

  g_assert_cmpuint (r->status, ==, 200);
  roles = sim_response_array (r);
  g_assert_cmpuint (json_array_get_length (roles), >=, G_N_ELEMENTS (builtins));

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    {
      JsonObject *role = find_by (roles, "Name", builtins[i]);
      JsonObject *policy;
      JsonArray *resources;

      g_assert_nonnull (role);
      g_assert_true (is_uuid (json_object_get_string_member (role, "ID")));
      g_assert_cmpstr (json_object_get_string_member (role, "Type"), ==, "default");
      policy = json_object_get_object_member (role, "Policy");
      g_assert_nonnull (policy);
      g_assert_cmpstr (json_object_get_string_member (policy, "effect"), ==, "allow");
      g_assert_true (json_object_has_member (policy, "description"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (policy, "actions")),
                        >, 0);
      resources = json_object_get_array_member (policy, "resources");
      g_assert_cmpstr (json_array_get_string_element (resources, 0), ==,
                       "drn:astra:org:__ORG_ID__");
      /* Lower-case spellings are not on the wire. */
      g_assert_false (json_object_has_member (role, "id"));
      g_assert_false (json_object_has_member (role, "policy"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    g_assert_cmpstr (json_object_get_string_member (find_by (roles, "Name", fixtures[i].name),
                                                    "ID"), ==, fixtures[i].id);

  for (guint i = 0; i < json_array_get_length (roles); i++)
    {
      JsonObject *role = json_array_get_object_element (roles, i);

      if (g_str_equal (json_object_get_string_member (role, "Type"), "custom"))
        {
          JsonObject *policy = json_object_get_object_member (role, "Policy");
          JsonArray *resources = json_object_get_array_member (policy, "resources");

          g_assert_cmpstr (json_array_get_string_element (resources, 0), ==, org_drn);
          n_custom++;
        }
    }
  g_assert_cmpuint (n_custom, ==, 1);

  /* The read-only service account has no org-db-view or org-user-read; the org admin has
   * everything about tokens and roles. */
  {
    JsonObject *ro = json_object_get_object_member (find_by (roles, "Name", "RO Svc Acct"),
                                                    "Policy");
    JsonObject *admin = json_object_get_object_member (
      find_by (roles, "Name", "Organization Administrator"), "Policy");
    g_autofree char *ro_actions = json_to_string (json_object_get_member (ro, "actions"), FALSE);
    g_autofree char *admin_actions = json_to_string (json_object_get_member (admin, "actions"),
                                                     FALSE);

    g_assert_null (strstr (ro_actions, "org-db-view"));
    g_assert_null (strstr (ro_actions, "org-user-read"));
    g_assert_nonnull (strstr (ro_actions, "db-table-select"));
    for (guint i = 0; i < 5; i++)
      {
        const char *needed[] = { "org-token-read", "org-token-write", "org-role-read",
                                 "org-role-write", "org-role-delete" };

        g_assert_nonnull (strstr (admin_actions, needed[i]));
      }
  }
}

static void
test_roles_get (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SimResponse) r = call (f, "GET",
                                   "/organizations/roles/ad0566b5-2a67-49de-89e8-92258c2f2c98",
                                   f->admin, NULL);
  g_autoptr(SimResponse) missing = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sim_response_object (r), "Name"), ==,
                   "Organization Administrator");

  missing = call (f, "GET", "/organizations/roles/00000000-0000-0000-0000-000000000000",
                  f->admin, NULL);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_true (sim_response_is_text (missing));
  g_assert_cmpstr (sim_response_text (missing), !=, "");
}

/* astra-api.md §2.3 (terraform #101): reading one role needs more than listing them all. */
static void
test_roles_get_needs_more (Fixture       *f,
                           gconstpointer  data)
{
  const char *org_id = astra_sim_server_get_org_id (f->server);
  g_autofree char *dba = mint (f, "Database Administrator");
  g_autofree char *admin_id = role_id (f, "Organization Administrator");
  g_autofree char *path = g_strdup_printf ("/organizations/roles/%s", admin_id);
  g_autofree char *reader_body = g_strdup_printf (
    "{\"name\": \"Role reader\", \"policy\": {\"description\": \"d\", \"effect\": \"allow\","
    " \"resources\": [\"drn:astra:org:%s\", \"drn:astra:org:%s:role:*\"],"
    " \"actions\": [\"org-role-read\"]}}", org_id, org_id);
  g_autoptr(SimResponse) list = call (f, "GET", "/organizations/roles", dba, NULL);
  g_autoptr(SimResponse) one = call (f, "GET", path, dba, NULL);
  g_autoptr(SimResponse) by_admin = call (f, "GET", path, f->admin, NULL);
  g_autoptr(SimResponse) created = call (f, "POST", "/organizations/roles", f->admin,
                                         reader_body);
  g_autofree char *reader = NULL;
  g_autoptr(SimResponse) by_reader = NULL;

  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpuint (one->status, ==, 403);
  g_assert_true (sim_response_is_text (one));
  g_assert_nonnull (strstr (sim_response_text (one), "org-role-read"));
  g_assert_cmpuint (by_admin->status, ==, 200);

  /* The extra permission is a role resource, which custom roles can grant too. */
  g_assert_cmpuint (created->status, ==, 201);
  reader = mint (f, "Role reader");
  by_reader = call (f, "GET", path, reader, NULL);
  g_assert_cmpuint (by_reader->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sim_response_object (by_reader), "ID"), ==,
                   admin_id);
}

static void
test_roles_create (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *resource = g_strdup_printf ("drn:astra:org:%s:db:*",
                                               astra_sim_server_get_org_id (f->server));
  g_autofree char *body = role_body ("Scoped reader", resource);
  g_autoptr(SimResponse) r = call (f, "POST", "/organizations/roles", f->admin, body);
  g_autoptr(SimResponse) dup = NULL;
  g_autoptr(SimResponse) dup_case = NULL;
  g_autoptr(SimResponse) dup_builtin = NULL;
  g_autoptr(SimResponse) get = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body_case = NULL;
  g_autofree char *body_builtin = NULL;
  JsonObject *created;

  g_assert_cmpuint (r->status, ==, 201);
  created = sim_response_object (r);
  g_assert_cmpstr (json_object_get_string_member (created, "OrgID"), ==,
                   astra_sim_server_get_org_id (f->server));
  g_assert_true (is_uuid (json_object_get_string_member (created, "ID")));
  g_assert_cmpstr (json_object_get_string_member (created, "Name"), ==, "Scoped reader");
  g_assert_nonnull (json_object_get_object_member (created, "Policy"));
  g_assert_true (is_iso_ms (json_object_get_string_member (created, "LastUpdateDateTime")));
  g_assert_true (json_object_has_member (created, "LastUpdateUserID"));

  path = g_strdup_printf ("/organizations/roles/%s",
                          json_object_get_string_member (created, "ID"));
  get = call (f, "GET", path, f->admin, NULL);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sim_response_object (get), "Type"), ==,
                   "custom");

  dup = call (f, "POST", "/organizations/roles", f->admin, body);
  g_assert_cmpuint (dup->status, ==, 409);
  g_assert_true (sim_response_is_text (dup));

  body_case = role_body ("SCOPED READER", resource);
  dup_case = call (f, "POST", "/organizations/roles", f->admin, body_case);
  g_assert_cmpuint (dup_case->status, ==, 409);

  body_builtin = role_body ("RO User", resource);
  dup_builtin = call (f, "POST", "/organizations/roles", f->admin, body_builtin);
  g_assert_cmpuint (dup_builtin->status, ==, 409);
}

static void
test_roles_invalid (Fixture       *f,
                    gconstpointer  data)
{
  const char *bodies[] = {
    "{\"name\": \"x\"}",
    "{\"policy\": {\"description\": \"d\", \"effect\": \"allow\", "
    "\"resources\": [\"drn:astra:org:1\"], \"actions\": [\"org-read\"]}}",
    "{\"name\": \"x\", \"policy\": {\"effect\": \"allow\", "
    "\"resources\": [\"drn:astra:org:1\"], \"actions\": [\"org-read\"]}}",
    "{\"name\": \"x\", \"policy\": {\"description\": \"d\", \"effect\": \"deny\", "
    "\"resources\": [\"drn:astra:org:1\"], \"actions\": [\"org-read\"]}}",
    "{\"name\": \"x\", \"policy\": {\"description\": \"d\", \"effect\": \"allow\", "
    "\"actions\": [\"org-read\"]}}",
    "{\"name\": \"x\", \"policy\": {\"description\": \"d\", \"effect\": \"allow\", "
    "\"resources\": [\"drn:astra:org:1\"]}}",
    "{\"name\": \"x\", \"policy\": {\"description\": \"d\", \"effect\": \"allow\", "
    "\"resources\": \"drn:astra:org:1\", \"actions\": [\"org-read\"]}}",
    "{\"name\": \"x\", \"policy\": {\"description\": \"d\", \"effect\": \"allow\", "
    "\"resources\": [1], \"actions\": [\"org-read\"]}}",
    "{\"name\": 5, \"policy\": {\"description\": \"d\", \"effect\": \"allow\", "
    "\"resources\": [\"drn:astra:org:1\"], \"actions\": [\"org-read\"]}}",
    "{\"name\": \"x\", \"policy\": \"{}\"}",
    "[]",
    "not json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(SimResponse) r = call (f, "POST", "/organizations/roles", f->admin, bodies[i]);

      g_assert_cmpuint (r->status, ==, 400);
      g_assert_true (sim_response_is_text (r));
    }

  /* A resource outside the DRN scheme: the message terraform users wanted to see. */
  {
    g_autofree char *body = role_body ("Bad", "arn:aws:s3:::bucket");
    g_autoptr(SimResponse) r = call (f, "POST", "/organizations/roles", f->admin, body);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_true (sim_response_is_text (r));
    g_assert_nonnull (strstr (sim_response_text (r), "resource must start with drn:astra:org:"));
  }
}

static void
test_roles_update_delete (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *resource = g_strdup_printf ("drn:astra:org:%s",
                                               astra_sim_server_get_org_id (f->server));
  g_autofree char *body = role_body ("Temp", resource);
  g_autofree char *body2 = role_body ("Temp renamed", resource);
  g_autofree char *body3 = role_body ("RO User", resource);
  g_autoptr(SimResponse) created = call (f, "POST", "/organizations/roles", f->admin, body);
  g_autofree char *path = g_strdup_printf ("/organizations/roles/%s",
                                           json_object_get_string_member (
                                             sim_response_object (created), "ID"));
  g_autofree char *builtin = NULL;
  g_autofree char *builtin_path = NULL;

  {
    g_autoptr(SimResponse) r = call (f, "PUT", path, f->admin, body2);

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", path, f->admin, NULL);

    g_assert_cmpstr (json_object_get_string_member (sim_response_object (r), "Name"), ==,
                     "Temp renamed");
  }
  {
    g_autoptr(SimResponse) r = call (f, "PUT", path, f->admin, body3);

    g_assert_cmpuint (r->status, ==, 409);
  }
  {
    g_autoptr(SimResponse) r = call (f, "PUT", path, f->admin, "{\"name\": \"x\"}");

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_true (sim_response_is_text (r));
  }
  {
    g_autoptr(SimResponse) r = call (f, "PUT", "/organizations/roles/unknown", f->admin, body2);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_true (sim_response_is_text (r));
  }

  builtin = role_id (f, "RO Svc Acct");
  builtin_path = g_strdup_printf ("/organizations/roles/%s", builtin);
  {
    g_autoptr(SimResponse) r = call (f, "PUT", builtin_path, f->admin, body2);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_true (sim_response_is_text (r));
    g_assert_nonnull (strstr (sim_response_text (r), "built-in"));
  }
  {
    g_autoptr(SimResponse) r = call (f, "DELETE", builtin_path, f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_true (sim_response_is_text (r));
  }
  {
    g_autoptr(SimResponse) r = call (f, "DELETE", path, f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 204);
    g_assert_cmpstr (sim_response_text (r), ==, "");
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", path, f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 404);
  }
  {
    g_autoptr(SimResponse) r = call (f, "DELETE", path, f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_true (sim_response_is_text (r));
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", builtin_path, f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_tokens_list (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SimResponse) r = call (f, "GET", "/clientIdSecrets", f->admin, NULL);
  JsonObject *root;
  JsonArray *clients;
  gboolean legacy = FALSE, expiring = FALSE, described = FALSE, multi = FALSE;

  g_assert_cmpuint (r->status, ==, 200);
  root = sim_response_object (r);
  clients = json_object_get_array_member (root, "clients");
  g_assert_nonnull (clients);
  g_assert_cmpuint (json_array_get_length (clients), ==,
                    astra_sim_server_get_token_count (f->server));

  for (guint i = 0; i < json_array_get_length (clients); i++)
    {
      JsonObject *client = json_array_get_object_element (clients, i);
      const char *client_id = json_object_get_string_member (client, "clientId");
      JsonArray *roles = json_object_get_array_member (client, "roles");
      JsonNode *expiry = json_object_get_member (client, "tokenExpiry");

      g_assert_cmpuint (strlen (client_id), ==, 24);
      for (const char *c = client_id; *c; c++)
        g_assert_true (g_ascii_isalpha (*c));
      g_assert_true (is_iso_ms (json_object_get_string_member (client, "generatedOn")));
      g_assert_nonnull (json_object_get_string_member (client, "description"));
      g_assert_nonnull (expiry);
      if (!JSON_NODE_HOLDS_NULL (expiry))
        {
          g_assert_true (is_iso_ms (json_node_get_string (expiry)));
          expiring = TRUE;
        }
      g_assert_cmpuint (json_array_get_length (roles), >=, 1);
      if (json_array_get_length (roles) > 1)
        multi = TRUE;
      if (g_str_equal (json_array_get_string_element (roles, 0), "R/W User"))
        legacy = TRUE;
      if (*json_object_get_string_member (client, "description") != '\0')
        described = TRUE;
      g_assert_false (json_object_has_member (client, "secret"));
      g_assert_false (json_object_has_member (client, "token"));
    }
  g_assert_true (legacy);
  g_assert_true (expiring);
  g_assert_true (described);
  g_assert_true (multi);
  g_assert_null (strstr (sim_response_text (r), "AstraCS:"));
}

static void
check_created (Fixture     *f,
               SimResponse *r,
               const char  *expected_role)
{
  JsonObject *created;
  const char *client_id, *secret, *token;
  g_autofree char *expected = NULL;
  JsonArray *roles;

  g_assert_cmpuint (r->status, ==, 200);
  created = sim_response_object (r);
  client_id = json_object_get_string_member (created, "clientId");
  secret = json_object_get_string_member (created, "secret");
  token = json_object_get_string_member (created, "token");
  g_assert_cmpuint (strlen (client_id), ==, 24);
  g_assert_cmpuint (strlen (secret), ==, 128);
  g_assert_cmpuint (strspn (secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789+,-._"), ==, 128);
  expected = astra_token_format_compose (client_id, secret);
  g_assert_cmpstr (token, ==, expected);
  g_assert_true (astra_token_format_validate (token, NULL));
  g_assert_cmpstr (json_object_get_string_member (created, "orgId"), ==,
                   astra_sim_server_get_org_id (f->server));
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z$",
                                       json_object_get_string_member (created, "generatedOn"),
                                       0, 0));
  roles = json_object_get_array_member (created, "roles");
  g_assert_cmpstr (json_array_get_string_element (roles, 0), ==, expected_role);

  /* The new token authenticates. */
  {
    g_autoptr(SimResponse) org = call (f, "GET", "/currentOrg", token, NULL);

    g_assert_cmpuint (org->status, ==, 200);
  }
}

static void
test_tokens_create (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *ro = role_id (f, "RO Svc Acct");
  g_autofree char *body = g_strdup_printf ("{\"roles\": [\"%s\"], \"description\": \"svc A\","
                                           " \"orgId\": \"%s\"}", ro,
                                           astra_sim_server_get_org_id (f->server));
  guint before = astra_sim_server_get_token_count (f->server);

  {
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin, body);

    check_created (f, r, ro);
  }
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/tokens", f->admin, body);

    check_created (f, r, ro);
  }
  /* A legacy role name is accepted and stored as given. */
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin,
                                     "{\"roles\": [\"R/W Svc Acct\"]}");

    check_created (f, r, "R/W Svc Acct");
  }
  g_assert_cmpuint (astra_sim_server_get_token_count (f->server), ==, before + 3);

  /* Expiry shows up in the list with millisecond precision. */
  {
    g_autofree char *with_expiry = g_strdup_printf (
      "{\"roles\": [\"%s\"], \"tokenExpiry\": \"2099-08-19T14:30:00Z\"}", ro);
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin, with_expiry);
    g_autoptr(SimResponse) list = NULL;
    JsonObject *client;

    g_assert_cmpuint (r->status, ==, 200);
    list = call (f, "GET", "/clientIdSecrets", f->admin, NULL);
    client = find_by (json_object_get_array_member (sim_response_object (list), "clients"),
                      "clientId",
                      json_object_get_string_member (sim_response_object (r), "clientId"));
    g_assert_cmpstr (json_object_get_string_member (client, "tokenExpiry"), ==,
                     "2099-08-19T14:30:00.000Z");
    g_assert_cmpstr (json_object_get_string_member (client, "description"), ==, "");
  }
}

/* The list is written without json-glib: descriptions with quotes, backslashes, control
 * characters and non-ASCII text come back exactly as given, and times in the API's shape. */
static void
test_tokens_list_escaping (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *ro = role_id (f, "RO Svc Acct");
  const char *description = "quote \" back \\ slash\nnew\tline\001\037 é ✓ </script>";
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResponse) created = NULL;
  g_autoptr(SimResponse) list = NULL;
  JsonObject *client;
  JsonArray *roles;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ro);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  created = call (f, "POST", "/clientIdSecrets", f->admin, body);
  g_assert_cmpuint (created->status, ==, 200);

  list = call (f, "GET", "/clientIdSecrets", f->admin, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  client = find_by (json_object_get_array_member (sim_response_object (list), "clients"),
                    "clientId",
                    json_object_get_string_member (sim_response_object (created), "clientId"));
  g_assert_nonnull (client);
  g_assert_cmpstr (json_object_get_string_member (client, "description"), ==, description);
  g_assert_true (is_iso_ms (json_object_get_string_member (client, "generatedOn")));
  g_assert_true (json_object_get_null_member (client, "tokenExpiry"));
  roles = json_object_get_array_member (client, "roles");
  g_assert_cmpuint (json_array_get_length (roles), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (roles, 0), ==, ro);
}

static void
test_tokens_create_invalid (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *ro = role_id (f, "RO Svc Acct");
  g_autofree char *past =
    g_strdup_printf ("{\"roles\": [\"%s\"], \"tokenExpiry\": \"2001-01-01T00:00:00Z\"}", ro);
  g_autofree char *bad_time =
    g_strdup_printf ("{\"roles\": [\"%s\"], \"tokenExpiry\": \"tomorrow\"}", ro);
  g_autofree char *bad_desc =
    g_strdup_printf ("{\"roles\": [\"%s\"], \"description\": 7}", ro);
  g_autofree char *other_org =
    g_strdup_printf ("{\"roles\": [\"%s\"], "
                     "\"orgId\": \"00000000-0000-0000-0000-000000000000\"}", ro);
  struct { const char *body; guint status; } cases[] = {
    { "{}", 400 },
    { "{\"roles\": []}", 400 },
    { "{\"roles\": \"RO Svc Acct\"}", 400 },
    { "{\"roles\": [1]}", 400 },
    { "{\"roles\": [\"00000000-0000-0000-0000-000000000000\"]}", 400 },
    { "{\"roles\": [\"No Such Role\"]}", 400 },
    { past, 400 },
    { bad_time, 400 },
    { bad_desc, 400 },
    { other_org, 404 },
    { "{\"roles\": [", 400 },
    { "", 400 },
  };
  guint before = astra_sim_server_get_token_count (f->server);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin, cases[i].body);

      g_assert_cmpuint (r->status, ==, cases[i].status);
      g_assert_true (sim_response_is_text (r));
      g_assert_cmpstr (sim_response_text (r), !=, "");
    }
  g_assert_cmpuint (astra_sim_server_get_token_count (f->server), ==, before);
}

static void
test_tokens_revoke (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *token = mint (f, "R/W Svc Acct");
  g_autofree char *client_id = astra_token_format_dup_client_id (token);
  g_autofree char *path = g_strdup_printf ("/clientIdSecrets/%s", client_id);

  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", token, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(SimResponse) r = call (f, "DELETE", path, f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", token, NULL);

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_nonnull (sim_response_error_message (r));
  }
  {
    g_autoptr(SimResponse) r = call (f, "DELETE", path, f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_nonnull (sim_response_error_message (r));
  }
  {
    g_autoptr(SimResponse) list = call (f, "GET", "/clientIdSecrets", f->admin, NULL);

    g_assert_null (find_by (json_object_get_array_member (sim_response_object (list), "clients"),
                            "clientId", client_id));
  }
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SimResponse) r = call (f, "GET", "/organizations/users", f->admin, NULL);
  JsonObject *root;
  JsonArray *users;
  JsonObject *user;
  JsonObject *role;
  g_autofree char *path = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  root = sim_response_object (r);
  g_assert_cmpstr (json_object_get_string_member (root, "OrgID"), ==,
                   astra_sim_server_get_org_id (f->server));
  g_assert_cmpstr (json_object_get_string_member (root, "OrgName"), ==,
                   astra_sim_server_get_org_name (f->server));
  users = json_object_get_array_member (root, "Users");
  g_assert_cmpuint (json_array_get_length (users), >=, 2);
  user = json_array_get_object_element (users, 0);
  g_assert_true (is_uuid (json_object_get_string_member (user, "UserID")));
  g_assert_nonnull (strchr (json_object_get_string_member (user, "Email"), '@'));
  g_assert_true (g_str_equal (json_object_get_string_member (user, "Status"), "active") ||
                 g_str_equal (json_object_get_string_member (user, "Status"), "invited"));
  role = json_array_get_object_element (json_object_get_array_member (user, "Roles"), 0);
  g_assert_true (is_uuid (json_object_get_string_member (role, "ID")));
  g_assert_nonnull (json_object_get_string_member (role, "Name"));

  path = g_strdup_printf ("/organizations/users/%s",
                          json_object_get_string_member (user, "UserID"));
  {
    g_autoptr(SimResponse) one = call (f, "GET", path, f->admin, NULL);

    g_assert_cmpuint (one->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (sim_response_object (one), "UserID"), ==,
                     json_object_get_string_member (user, "UserID"));
  }
  {
    g_autoptr(SimResponse) none = call (f, "GET", "/organizations/users/nobody", f->admin, NULL);

    g_assert_cmpuint (none->status, ==, 404);
    g_assert_nonnull (sim_response_error_message (none));
  }
}

static void
test_users_write (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *ro_user = role_id (f, "RO User");
  g_autofree char *rw_user = role_id (f, "R/W User");
  g_autofree char *invite = g_strdup_printf ("{\"email\": \"new@example.com\", \"orgID\": \"%s\","
                                             " \"roles\": [\"%s\"]}",
                                             astra_sim_server_get_org_id (f->server), ro_user);
  g_autofree char *roles = g_strdup_printf ("{\"roles\": [\"%s\"]}", rw_user);
  g_autofree char *user_path = NULL;
  g_autofree char *roles_path = NULL;
  g_autofree char *ro = mint (f, "RO User");

  {
    g_autoptr(SimResponse) r = call (f, "PUT", "/organizations/users", ro, invite);

    g_assert_cmpuint (r->status, ==, 403);
    g_assert_nonnull (strstr (sim_response_error_message (r), "org-user-write"));
  }
  {
    g_autoptr(SimResponse) r = call (f, "PUT", "/organizations/users", f->admin, invite);
    JsonObject *user;

    g_assert_cmpuint (r->status, ==, 200);
    user = sim_response_object (r);
    g_assert_cmpstr (json_object_get_string_member (user, "Status"), ==, "invited");
    user_path = g_strdup_printf ("/organizations/users/%s",
                                 json_object_get_string_member (user, "UserID"));
    roles_path = g_strdup_printf ("%s/roles", user_path);
  }
  {
    g_autoptr(SimResponse) r = call (f, "PUT", "/organizations/users", f->admin, invite);

    g_assert_cmpuint (r->status, ==, 409);
  }
  {
    g_autoptr(SimResponse) r = call (f, "PUT", "/organizations/users", f->admin,
                                     "{\"email\": \"x@example.com\", \"roles\": [\"nope\"]}");

    g_assert_cmpuint (r->status, ==, 400);
  }
  {
    g_autoptr(SimResponse) r = call (f, "PUT", roles_path, f->admin, roles);
    g_autoptr(SimResponse) get = call (f, "GET", user_path, f->admin, NULL);
    JsonArray *user_roles;

    g_assert_cmpuint (r->status, ==, 204);
    user_roles = json_object_get_array_member (sim_response_object (get), "Roles");
    g_assert_cmpuint (json_array_get_length (user_roles), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (user_roles, 0),
                                                    "Name"), ==, "R/W User");
  }
  {
    g_autoptr(SimResponse) r = call (f, "DELETE", user_path, f->admin, NULL);
    g_autoptr(SimResponse) get = call (f, "GET", user_path, f->admin, NULL);
    g_autoptr(SimResponse) again = call (f, "PUT", roles_path, f->admin, roles);

    g_assert_cmpuint (r->status, ==, 204);
    g_assert_cmpuint (get->status, ==, 404);
    g_assert_cmpuint (again->status, ==, 404);
  }
}

static void
test_databases (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SimResponse) r = call (f, "GET", "/databases", f->admin, NULL);
  JsonArray *databases;
  JsonObject *db;
  JsonObject *info;
  g_autofree char *path = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  databases = sim_response_array (r);
  g_assert_cmpuint (json_array_get_length (databases), ==, 3);
  db = json_array_get_object_element (databases, 0);
  g_assert_true (is_uuid (json_object_get_string_member (db, "id")));
  g_assert_cmpstr (json_object_get_string_member (db, "orgId"), ==,
                   astra_sim_server_get_org_id (f->server));
  g_assert_nonnull (json_object_get_string_member (db, "ownerId"));
  g_assert_cmpstr (json_object_get_string_member (db, "status"), ==, "ACTIVE");
  g_assert_true (is_iso_ms (json_object_get_string_member (db, "creationTime")));
  info = json_object_get_object_member (db, "info");
  g_assert_nonnull (json_object_get_string_member (info, "name"));
  g_assert_nonnull (json_object_get_string_member (info, "keyspace"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (info, "keyspaces")),
                    >=, 1);
  g_assert_nonnull (json_object_get_string_member (info, "region"));
  g_assert_nonnull (json_object_get_string_member (info, "cloudProvider"));
  g_assert_nonnull (json_object_get_string_member (info, "tier"));

  path = g_strdup_printf ("/databases/%s", json_object_get_string_member (db, "id"));
  {
    g_autoptr(SimResponse) one = call (f, "GET", path, f->admin, NULL);

    g_assert_cmpuint (one->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (sim_response_object (one), "id"), ==,
                     json_object_get_string_member (db, "id"));
  }
  {
    g_autoptr(SimResponse) none = call (f, "GET", "/databases/unknown", f->admin, NULL);

    g_assert_cmpuint (none->status, ==, 404);
    g_assert_nonnull (sim_response_error_message (none));
  }
}

static guint
count_pages (Fixture    *f,
             const char *query,
             guint       limit,
             guint      *n_pages)
{
  g_autofree char *last = NULL;
  guint total = 0;

  *n_pages = 0;
  for (;;)
    {
      g_autofree char *path = NULL;
      g_autoptr(SimResponse) r = NULL;
      JsonArray *page;
      guint length;

      if (last != NULL)
        path = g_strdup_printf ("/databases?%s&limit=%u&starting_after=%s", query, limit, last);
      else
        path = g_strdup_printf ("/databases?%s&limit=%u", query, limit);
      r = call (f, "GET", path, f->admin, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      page = sim_response_array (r);
      length = json_array_get_length (page);
      g_assert_cmpuint (length, <=, limit);
      if (length == 0)
        break;
      (*n_pages)++;
      total += length;
      g_free (last);
      last = g_strdup (json_object_get_string_member (
        json_array_get_object_element (page, length - 1), "id"));
      if (length < limit)
        break;
    }
  return total;
}

static void
test_databases_paging (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  guint n_all = 0, n_live = 0, n_aws = 0, n_pages = 0;

  fixture_start (f, 60);

  {
    g_autoptr(SimResponse) all = call (f, "GET", "/databases?include=all&limit=100", f->admin,
                                       NULL);
    JsonArray *array = sim_response_array (all);

    n_all = json_array_get_length (array);
    g_assert_cmpuint (n_all, ==, 60);
    for (guint i = 0; i < n_all; i++)
      {
        JsonObject *db = json_array_get_object_element (array, i);
        const char *status = json_object_get_string_member (db, "status");

        if (!g_str_equal (status, "TERMINATED") && !g_str_equal (status, "TERMINATING"))
          n_live++;
        if (g_str_equal (json_object_get_string_member (json_object_get_object_member (db, "info"),
                                                        "cloudProvider"), "AWS"))
          n_aws++;
      }
  }
  g_assert_cmpuint (n_live, <, n_all);

  /* Default page size is 25. */
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/databases", f->admin, NULL);

    g_assert_cmpuint (json_array_get_length (sim_response_array (r)), ==, 25);
  }

  g_assert_cmpuint (count_pages (f, "include=all", 7, &n_pages), ==, n_all);
  g_assert_cmpuint (n_pages, ==, (n_all + 6) / 7);
  g_assert_cmpuint (count_pages (f, "include=nonterminated", 10, &n_pages), ==, n_live);
  g_assert_cmpuint (count_pages (f, "include=all&provider=aws", 4, &n_pages), ==, n_aws);

  {
    g_autoptr(SimResponse) r = call (f, "GET", "/databases?include=terminated&limit=100",
                                     f->admin, NULL);
    JsonArray *array = sim_response_array (r);

    g_assert_cmpuint (json_array_get_length (array), ==, n_all - n_live);
  }

  {
    const char *bad[] = {
      "/databases?limit=0", "/databases?limit=101", "/databases?limit=abc", "/databases?limit=-1",
      "/databases?include=bogus", "/databases?provider=IBM", "/databases?starting_after=nope",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(SimResponse) r = call (f, "GET", bad[i], f->admin, NULL);

        g_assert_cmpuint (r->status, ==, 400);
        g_assert_nonnull (sim_response_error_message (r));
      }
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/databases?limit=100&include=ALL", f->admin,
                                     NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  fixture_tear_down (f, NULL);
}

static void
test_bodies (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new ("{\"roles\": ");
  g_autoptr(GString) large = g_string_new ("{\"roles\": [\"RO Svc Acct\"], \"description\": \"");
  guint before = astra_sim_server_get_token_count (f->server);

  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');

  {
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin, deep->str);

    g_assert_cmpuint (r->status, ==, 400);
  }

  while (large->len < 2 * 1024 * 1024)
    g_string_append (large, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (large, "\"}");
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin, large->str);

    g_assert_cmpuint (r->status, ==, 413);
  }
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/organizations/roles", f->admin, large->str);

    g_assert_cmpuint (r->status, ==, 413);
  }
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin,
                                     "{\"roles\": [\"RO Svc Acct\"]");

    g_assert_cmpuint (r->status, ==, 400);
  }
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin, "\xff\xfe");

    g_assert_cmpuint (r->status, ==, 400);
  }
  g_assert_cmpuint (astra_sim_server_get_token_count (f->server), ==, before);

  /* The server is fine afterwards. */
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_mint (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *unknown = NULL;
  guint before = astra_sim_server_get_token_count (f->server);
  g_autofree char *token = mint (f, "API RO User");

  g_assert_true (astra_token_format_validate (token, NULL));
  g_assert_cmpuint (astra_sim_server_get_token_count (f->server), ==, before + 1);

  unknown = astra_sim_server_mint_token (f->server, "Nope", NULL, &error);
  g_assert_null (unknown);
  g_assert_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_UNKNOWN_ROLE);

  /* The admin token is an Organization Administrator's. */
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/clientIdSecrets", f->admin, NULL);
    g_autofree char *client_id = astra_token_format_dup_client_id (f->admin);
    JsonObject *client = find_by (json_object_get_array_member (sim_response_object (r),
                                                                "clients"),
                                  "clientId", client_id);

    JsonArray *roles = json_object_get_array_member (client, "roles");

    g_assert_cmpstr (json_array_get_string_element (roles, 0), ==,
                     "ad0566b5-2a67-49de-89e8-92258c2f2c98");
  }
}

static void
test_counters (Fixture       *f,
               gconstpointer  data)
{
  guint before = astra_sim_server_get_request_count (f->server);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", NULL, NULL);

      g_assert_cmpuint (r->status, ==, 401);
    }
  g_assert_cmpuint (astra_sim_server_get_request_count (f->server), ==, before + 3);
}

static void
test_bulk_seed (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(SimResponse) r = NULL;

  f->server = astra_sim_server_new ();
  astra_sim_server_set_seed (f->server, 2000, 3);
  f->session = soup_session_new ();
  g_assert_true (astra_sim_server_listen (f->server, 0, NULL));
  f->admin = astra_sim_server_get_admin_token (f->server);

  r = call (f, "GET", "/clientIdSecrets", f->admin, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sim_response_object (r),
                                                                         "clients")),
                    >=, 2000);
  fixture_tear_down (f, NULL);
}

/* ------------------------------------------------------------------------------------------
 * Faults, latency, concurrency, state
 * ---------------------------------------------------------------------------------------- */

static void
add_fault (Fixture    *f,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (astra_sim_server_add_fault (f->server, spec, &error));
  g_assert_no_error (error);
}

static void
test_fault_429 (Fixture       *f,
                gconstpointer  data)
{
  add_fault (f, "GET:/v2/clientIdSecrets=429/7*1");

  {
    g_autoptr(SimResponse) r = call (f, "GET", "/clientIdSecrets", f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 429);
    /* RFC 6585's phrase, not libsoup's "Unknown Error" for a code it has no name for. */
    g_assert_cmpstr (r->reason, ==, "Too Many Requests");
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "7");
    g_assert_nonnull (sim_response_error_message (r));
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/clientIdSecrets", f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }

  add_fault (f, "*:*=429");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);

      g_assert_cmpuint (r->status, ==, 429);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
    }
  astra_sim_server_clear_faults (f->server);
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_fault_status (Fixture       *f,
                   gconstpointer  data)
{
  const guint statuses[] = { 500, 502, 503, 504 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *spec = g_strdup_printf ("get:/organizations/roles=%u*1", statuses[i]);
      g_autoptr(SimResponse) r = NULL;
      g_autoptr(SimResponse) again = NULL;

      add_fault (f, spec);
      r = call (f, "GET", "/organizations/roles", f->admin, NULL);
      g_assert_cmpuint (r->status, ==, statuses[i]);
      g_assert_true (sim_response_is_json (r));
      g_assert_nonnull (sim_response_error_message (r));
      again = call (f, "GET", "/organizations/roles", f->admin, NULL);
      g_assert_cmpuint (again->status, ==, 200);
    }

  /* Counted: two failures, then normal service. */
  add_fault (f, "*:*=503*2");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);

      g_assert_cmpuint (r->status, ==, i < 2 ? 503 : 200);
    }

  /* Method and path must both match, on whole path segments. */
  add_fault (f, "POST:/v2/currentOrg=500");
  add_fault (f, "GET:/v2/organizations/rol=500");
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);
    g_autoptr(SimResponse) roles = call (f, "GET", "/organizations/roles", f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (roles->status, ==, 200);
  }
  add_fault (f, "GET:/v2/organizations=502");
  {
    g_autoptr(SimResponse) roles = call (f, "GET", "/organizations/roles/x", f->admin, NULL);

    g_assert_cmpuint (roles->status, ==, 502);
  }
}

static void
test_fault_bodies (Fixture       *f,
                   gconstpointer  data)
{
  add_fault (f, "GET:/v2/currentOrg=text*1");
  add_fault (f, "GET:/v2/currentOrg=malformed*1");
  add_fault (f, "GET:/v2/currentOrg=big/200000*1");

  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 500);
    g_assert_true (sim_response_is_text (r));
    g_assert_cmpstr (sim_response_text (r), !=, "");
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_true (sim_response_is_json (r));
    node = astra_json_parse (sim_response_text (r), strlen (sim_response_text (r)), &error);
    g_assert_null (node);
    g_assert_nonnull (error);
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (r->body), ==, 200000);
    node = astra_json_parse_bytes (r->body, NULL);
    g_assert_nonnull (node);
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (sim_response_object (r), "id"), ==,
                     astra_sim_server_get_org_id (f->server));
  }
}

static void
test_fault_drop (Fixture       *f,
                 gconstpointer  data)
{
  add_fault (f, "GET:/v2/currentOrg=drop*1");

  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);

    g_assert_nonnull (r->error);
    g_assert_cmpuint (r->status, ==, 0);
  }
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);

    g_assert_no_error (r->error);
    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_fault_drop_after (Fixture       *f,
                       gconstpointer  data)
{
  guint before = astra_sim_server_get_token_count (f->server);

  add_fault (f, "POST:/v2/clientIdSecrets=drop-after*1");

  /* The token is created, exactly once, but its secret never reaches the client. */
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin,
                                     "{\"roles\": [\"RO Svc Acct\"], \"description\": \"lost\"}");

    g_assert_nonnull (r->error);
    g_assert_cmpuint (r->status, ==, 0);
  }
  g_assert_cmpuint (astra_sim_server_get_token_count (f->server), ==, before + 1);
  {
    g_autoptr(SimResponse) list = call (f, "GET", "/clientIdSecrets", f->admin, NULL);

    g_assert_nonnull (strstr (sim_response_text (list), "\"lost\""));
  }
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/clientIdSecrets", f->admin,
                                     "{\"roles\": [\"RO Svc Acct\"]}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_assert_cmpuint (astra_sim_server_get_token_count (f->server), ==, before + 2);
}

static void
test_fault_parse (void)
{
  const char *bad[] = {
    "", "GET", "GET:/v2/x", "GET:/v2/x=", "GET:v2/x=500", ":/v2/x=500", "G3T:/v2/x=500",
    "GET:/v2/x=418", "GET:/v2/x=429/soon", "GET:/v2/x=slow", "GET:/v2/x=slow/-1",
    "GET:/v2/x=big", "GET:/v2/x=big/0", "GET:/v2/x=500*0", "GET:/v2/x=500*x",
    "GET:/v2/x=drop/1", "GET:/v2/x=500/1", "GET:/v2/x=text*",
  };
  const char *good[] = {
    "GET:/v2/x=500", "*:*=429", "post:/v2/tokens=429/30*2", "DELETE:*=drop-after",
    "PUT:/v2/organizations/roles=slow/250*1", "*:/clientIdSecrets=big/4096", "GET:*=malformed",
    "GET:*=text*3", "GET:*=drop", "GET:*=502", "GET:*=503", "GET:*=504",
  };
  g_autoptr(AstraSimServer) server = astra_sim_server_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (astra_sim_server_add_fault (server, bad[i], &error));
      g_assert_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_BAD_FAULT);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (astra_sim_server_add_fault (server, good[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_latency_concurrent (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *slow_url = url (f, "/databases");
  g_autofree char *fast_url = url (f, "/currentOrg");
  g_autoptr(SoupSession) other = soup_session_new ();
  g_autoptr(SimResponse) slow = NULL;
  g_autoptr(SimResponse) fast = NULL;

  /* Latency for everyone, and one answer that would take ten minutes: the other requests
   * must be served meanwhile, so nothing may block the main loop. */
  astra_sim_server_set_latency (f->server, 50);
  add_fault (f, "GET:/v2/databases=slow/600000*1");

  slow = sim_http_start (other, "GET", slow_url, f->admin, NULL);
  while (astra_sim_server_get_request_count (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);
  fast = sim_http_start (f->session, "GET", fast_url, f->admin, NULL);

  sim_http_wait (fast);
  g_assert_cmpuint (fast->status, ==, 200);
  g_assert_false (slow->done);

  {
    g_autoptr(SimResponse) again = call (f, "GET", "/databases", f->admin, NULL);

    g_assert_cmpuint (again->status, ==, 200);
    g_assert_false (slow->done);
  }

  /* Give up on the slow one; the server drops it when it goes away. */
  soup_session_abort (other);
  sim_http_wait (slow);
  g_assert_nonnull (slow->error);
}

static void
test_latency_cancelled (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *full = url (f, "/clientIdSecrets");
  g_autoptr(SoupSession) other = soup_session_new ();
  g_autoptr(SimResponse) r = NULL;
  guint before = astra_sim_server_get_token_count (f->server);

  /* A client that gives up while its answer is delayed: the server must not crash nor stop
   * serving. (Whether the request still runs is the server's business, as with a real one.) */
  add_fault (f, "POST:/v2/clientIdSecrets=slow/300*1");
  r = sim_http_start (other, "POST", full, f->admin, "{\"roles\": [\"RO Svc Acct\"]}");
  while (astra_sim_server_get_request_count (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);
  soup_session_abort (other);
  sim_http_wait (r);
  g_assert_nonnull (r->error);

  {
    g_autoptr(SimResponse) later = call (f, "GET", "/databases", f->admin, NULL);
    gint64 deadline = g_get_monotonic_time () + 600 * 1000;

    g_assert_cmpuint (later->status, ==, 200);
    /* Let the delayed answer's timer fire. */
    while (g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (astra_sim_server_get_token_count (f->server), <=, before + 1);
  {
    g_autoptr(SimResponse) again = call (f, "GET", "/currentOrg", f->admin, NULL);

    g_assert_cmpuint (again->status, ==, 200);
  }
}

static void
test_concurrency_many (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64,
                                                                  "max-conns-per-host", 64,
                                                                  NULL);
  g_autofree char *full = url (f, "/clientIdSecrets");
  SimResponse *responses[64];
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  astra_sim_server_set_latency (f->server, 20);
  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    responses[i] = sim_http_start (session, "POST", full, f->admin,
                                   "{\"roles\": [\"RO Svc Acct\"]}");
  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    {
      sim_http_wait (responses[i]);
      g_assert_no_error (responses[i]->error);
      g_assert_cmpuint (responses[i]->status, ==, 200);
      g_hash_table_add (ids, g_strdup (json_object_get_string_member (
        sim_response_object (responses[i]), "clientId")));
      sim_response_free (responses[i]);
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, G_N_ELEMENTS (responses));
}

static void
test_state (void)
{
  g_autofree char *dir = g_dir_make_tmp ("astra-sim-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autofree char *token = NULL;
  g_autofree char *org_id = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 }, *f = &fixture;

  f->server = astra_sim_server_new ();
  g_assert_true (astra_sim_server_set_state_file (f->server, path, &error));
  g_assert_no_error (error);
  fixture_start (f, 2);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  org_id = g_strdup (astra_sim_server_get_org_id (f->server));
  {
    g_autoptr(SimResponse) r = call (f, "POST", "/tokens", f->admin,
                                     "{\"roles\": [\"RO Svc Acct\"]}");

    token = g_strdup (json_object_get_string_member (sim_response_object (r), "token"));
  }
  fixture_tear_down (f, NULL);

  f->server = astra_sim_server_new ();
  g_assert_true (astra_sim_server_set_state_file (f->server, path, &error));
  g_assert_no_error (error);
  fixture_start (f, 2);
  g_assert_cmpstr (astra_sim_server_get_org_id (f->server), ==, org_id);
  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", token, NULL);
    g_autoptr(SimResponse) admin = call (f, "GET", "/databases", f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (admin->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (sim_response_array (admin)), ==, 2);
  }
  fixture_tear_down (f, NULL);

  /* A token whose expiry has passed answers 401 (edit the saved expiry into the past). */
  {
    g_autofree char *contents = NULL;
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *client_id = astra_token_format_dup_client_id (token);
    g_autofree char *saved = NULL;
    JsonArray *tokens;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    root = json_from_string (contents, NULL);
    tokens = json_object_get_array_member (json_node_get_object (root), "tokens");
    for (guint i = 0; i < json_array_get_length (tokens); i++)
      {
        JsonObject *entry = json_array_get_object_element (tokens, i);

        if (g_str_equal (json_object_get_string_member (entry, "clientId"), client_id))
          json_object_set_int_member (entry, "expiry", 1000000);
      }
    saved = json_to_string (root, FALSE);
    g_assert_true (g_file_set_contents (path, saved, -1, NULL));

    f->server = astra_sim_server_new ();
    g_assert_true (astra_sim_server_set_state_file (f->server, path, &error));
    fixture_start (f, 2);
    {
      g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", token, NULL);

      g_assert_cmpuint (r->status, ==, 401);
    }
    fixture_tear_down (f, NULL);
  }

  /* Nowhere to write. */
  {
    g_autoptr(AstraSimServer) server = astra_sim_server_new ();
    g_autoptr(GError) bad = NULL;
    g_autofree char *nowhere = g_build_filename (dir, "missing", "state.json", NULL);

    g_assert_false (astra_sim_server_set_state_file (server, nowhere, &bad));
    g_assert_error (bad, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_STATE);
  }

  /* Not a state file. */
  g_assert_true (g_file_set_contents (path, "{\"version\": 99}", -1, NULL));
  {
    g_autoptr(AstraSimServer) server = astra_sim_server_new ();
    g_autoptr(GError) bad = NULL;

    g_assert_false (astra_sim_server_set_state_file (server, path, &bad));
    g_assert_error (bad, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_STATE);
  }
  g_assert_true (g_file_set_contents (path, "[[[[", -1, NULL));
  {
    g_autoptr(AstraSimServer) server = astra_sim_server_new ();
    g_autoptr(GError) bad = NULL;

    g_assert_false (astra_sim_server_set_state_file (server, path, &bad));
    g_assert_error (bad, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_STATE);
  }
  g_remove (path);
  g_rmdir (dir);
}

/* Random requests built from real fragments: every answer is a well-formed HTTP answer
 * with a known status, never a crash or a hang. */
static void
test_random_requests (Fixture       *f,
                      gconstpointer  data)
{
  static const char *methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH" };
  static const char *segments[] = {
    "currentOrg", "organizations", "roles", "users", "clientIdSecrets", "tokens", "databases",
    "ad0566b5-2a67-49de-89e8-92258c2f2c98", "%2e%2e", "", "x", "roles", "%00",
  };
  static const char *bodies[] = {
    NULL, "", "{}", "[]", "null", "{\"roles\": [\"RO Svc Acct\"]}", "{\"roles\": [null]}",
    "{\"name\": \"r\", \"policy\": {}}", "{\"roles\": {\"a\": 1}}", "\"text\"", "{\"a\":",
    "{\"name\": \"\\u0000\", \"policy\": {\"description\": \"\", \"effect\": \"allow\", "
    "\"resources\": [\"drn:astra:org:\"], \"actions\": [\"\"]}}",
    "{\"email\": \"a@b\", \"roles\": [\"ad0566b5-2a67-49de-89e8-92258c2f2c98\"]}",
  };
  static const guint allowed[] = { 200, 201, 204, 400, 403, 404, 405, 409 };

  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(GString) path = g_string_new (NULL);
      guint depth = g_test_rand_int_range (1, 5);
      const char *method = methods[g_test_rand_int_range (0, G_N_ELEMENTS (methods))];
      const char *body = bodies[g_test_rand_int_range (0, G_N_ELEMENTS (bodies))];
      g_autoptr(SimResponse) r = NULL;
      gboolean known = FALSE;

      for (guint d = 0; d < depth; d++)
        g_string_append_printf (path, "/%s",
                                segments[g_test_rand_int_range (0, G_N_ELEMENTS (segments))]);
      r = call (f, method, path->str, f->admin, body);
      g_assert_no_error (r->error);
      for (guint k = 0; k < G_N_ELEMENTS (allowed); k++)
        known |= r->status == allowed[k];
      if (!known)
        g_test_message ("%s %s -> %u", method, path->str, r->status);
      g_assert_true (known);
    }

  {
    g_autoptr(SimResponse) r = call (f, "GET", "/currentOrg", f->admin, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

int
main (int   argc,
      char *argv[])
{
  /* GSETTINGS_SCHEMA_DIR holds only our schema: GIO's GNOME proxy resolver would abort on
   * the missing org.gnome.system.proxy. Loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sim/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("org/current", test_current_org);
  g_test_add_func ("/sim/org/name", test_org_name);
  ADD ("auth/401", test_auth_401);
  ADD ("auth/403", test_auth_403);
  ADD ("auth/custom-role", test_auth_custom_role);
  ADD ("routes", test_routes);
  ADD ("roles/list", test_roles_list);
  ADD ("roles/get", test_roles_get);
  ADD ("roles/get/needs-more", test_roles_get_needs_more);
  ADD ("roles/create", test_roles_create);
  ADD ("roles/invalid", test_roles_invalid);
  ADD ("roles/update-delete", test_roles_update_delete);
  ADD ("tokens/list", test_tokens_list);
  ADD ("tokens/list/escaping", test_tokens_list_escaping);
  ADD ("tokens/create", test_tokens_create);
  ADD ("tokens/create-invalid", test_tokens_create_invalid);
  ADD ("tokens/revoke", test_tokens_revoke);
  ADD ("users", test_users);
  ADD ("users/write", test_users_write);
  ADD ("databases/get", test_databases);
  g_test_add_func ("/sim/databases/paging", test_databases_paging);
  ADD ("bodies", test_bodies);
  ADD ("mint", test_mint);
  ADD ("counters", test_counters);
  g_test_add_func ("/sim/seed/bulk", test_bulk_seed);
  ADD ("faults/429", test_fault_429);
  ADD ("faults/status", test_fault_status);
  ADD ("faults/bodies", test_fault_bodies);
  ADD ("faults/drop", test_fault_drop);
  ADD ("faults/drop-after", test_fault_drop_after);
  g_test_add_func ("/sim/faults/parse", test_fault_parse);
  ADD ("latency/concurrent", test_latency_concurrent);
  ADD ("latency/cancelled", test_latency_cancelled);
  ADD ("concurrency/many", test_concurrency_many);
  g_test_add_func ("/sim/state", test_state);
  ADD ("robustness/random-requests", test_random_requests);

  return g_test_run ();
}

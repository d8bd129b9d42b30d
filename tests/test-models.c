/* test-models.c: the model parsers against wire fixtures, hostile ones included
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-client.h"
#include "astra-database.h"
#include "astra-generated-token.h"
#include "astra-json.h"
#include "astra-organization.h"
#include "astra-role.h"
#include "astra-token-format.h"
#include "astra-token.h"
#include "astra-user.h"

#define ORG_ADMIN_ID "ad0566b5-2a67-49de-89e8-92258c2f2c98"
#define RO_SVC_ID    "16a4b1d7-a615-41f8-95ca-52b0280f4d77"
#define SECRET       "abc,DEF+ghi-jkl.mno_pqr0123456789"
#define CLIENT_ID    "BOjPpMRcaWergiKIyHXEAymP"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = astra_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
assert_bad_response (GError     *error,
                     const char *needle)
{
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, needle));
}

/* Organization {{{ */

static void
test_organization_wire (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"id\": \"8f1c2b3a-0000-4000-8000-000000000001\", \"name\": \"someone@example.com\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraOrganization) org = astra_organization_new_from_json (object, &error);
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (astra_organization_get_id (org), ==, "8f1c2b3a-0000-4000-8000-000000000001");
  g_assert_cmpstr (astra_organization_get_name (org), ==, "someone@example.com");
  g_object_get (org, "name", &name, NULL);
  g_assert_cmpstr (name, ==, "someone@example.com");
}

static void
test_organization_hostile (void)
{
  const struct {
    const char *json;
    const char *needle;
  } bad[] = {
    { "{\"name\": \"x\"}", "id" },
    { "{\"id\": null}", "id" },
    { "{\"id\": 42}", "text" },
    { "{\"id\": [\"a\"]}", "text" },
    { "{\"id\": {\"x\": 1}}", "text" },
    { "{\"id\": \"\"}", "empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraOrganization) org = astra_organization_new_from_json (object, &error);

      g_assert_null (org);
      assert_bad_response (error, bad[i].needle);
    }

  /* An optional name of the wrong type is ignored; the id stands in. Key case differs. */
  {
    g_autoptr(JsonObject) object = parse_object ("{\"ID\": \"org-1\", \"Name\": 17}");
    g_autoptr(GError) error = NULL;
    g_autoptr(AstraOrganization) org = astra_organization_new_from_json (object, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (astra_organization_get_name (org), ==, "org-1");
  }
}

/* }}} */
/* Roles {{{ */

static void
test_role_wire (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"ID\": \"" ORG_ADMIN_ID "\", \"Name\": \"Organization Administrator\","
    " \"Type\": \"default\","
    " \"Policy\": {\"description\": \"Organization Administrator\", \"effect\": \"allow\","
    "   \"resources\": [\"drn:astra:org:__ORG_ID__\", \"drn:astra:org:__ORG_ID__:db:*\"],"
    "   \"actions\": [\"org-read\", \"org-token-read\", \"org-token-write\"]}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraRole) role = astra_role_new_from_json (object, &error);
  g_auto(GStrv) actions = NULL;
  gboolean builtin = FALSE;

  g_assert_no_error (error);
  g_assert_cmpstr (astra_role_get_id (role), ==, ORG_ADMIN_ID);
  g_assert_cmpstr (astra_role_get_name (role), ==, "Organization Administrator");
  g_assert_cmpstr (astra_role_get_role_type (role), ==, "default");
  g_assert_cmpstr (astra_role_get_description (role), ==, "Organization Administrator");
  g_assert_cmpstr (astra_role_get_effect (role), ==, "allow");
  g_assert_cmpuint (g_strv_length ((char **) astra_role_get_resources (role)), ==, 2);
  g_assert_cmpstr (astra_role_get_actions (role)[2], ==, "org-token-write");
  g_assert_true (astra_role_is_builtin (role));
  g_assert_null (astra_role_get_last_update (role));

  g_object_get (role, "actions", &actions, "builtin", &builtin, NULL);
  g_assert_cmpuint (g_strv_length (actions), ==, 3);
  g_assert_true (builtin);
}

static void
test_role_create_response (void)
{
  /* The create response adds OrgID and LastUpdate*; the type is absent. */
  g_autoptr(JsonObject) object = parse_object (
    "{\"OrgID\": \"org\", \"ID\": \"c0ffee00-0000-4000-8000-000000000001\","
    " \"Name\": \"db1 read\", \"LastUpdateDateTime\": \"2025-09-02T19:18:10.799083554Z\","
    " \"LastUpdateUserID\": \"u\","
    " \"Policy\": {\"description\": \"scoped\", \"effect\": \"allow\","
    "   \"resources\": [\"drn:astra:org:org\", \"drn:astra:org:org:db:db1\"],"
    "   \"actions\": [\"db-table-select\"]}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraRole) role = astra_role_new_from_json (object, &error);
  GDateTime *last_update;

  g_assert_no_error (error);
  g_assert_false (astra_role_is_builtin (role));
  g_assert_cmpstr (astra_role_get_role_type (role), ==, "custom");
  last_update = astra_role_get_last_update (role);
  g_assert_nonnull (last_update);
  g_assert_cmpint (g_date_time_get_year (last_update), ==, 2025);
  g_assert_cmpint (g_date_time_get_second (last_update), ==, 10);
}

static void
test_role_spec_casing_and_string_policy (void)
{
  /* The spec's lower-case keys and the old docs' policy-as-a-JSON-string. */
  g_autoptr(JsonObject) object = parse_object (
    "{\"id\": \"r1\", \"name\": \"Legacy\", \"last_update_datetime\": \"2024-01-02T03:04:05Z\","
    " \"policy\": \"{\\\"description\\\":\\\"from a string\\\",\\\"effect\\\":\\\"allow\\\","
    "\\\"resources\\\":[\\\"drn:astra:org:o\\\"],\\\"actions\\\":[\\\"org-read\\\",\\\"db-cql\\\"]}\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraRole) role = astra_role_new_from_json (object, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (astra_role_get_name (role), ==, "Legacy");
  g_assert_cmpstr (astra_role_get_description (role), ==, "from a string");
  g_assert_cmpstr (astra_role_get_actions (role)[1], ==, "db-cql");
  g_assert_nonnull (astra_role_get_last_update (role));
}

static void
test_role_hostile (void)
{
  const struct {
    const char *json;
    const char *needle;
  } bad[] = {
    { "{\"Name\": \"x\"}", "ID" },
    { "{\"ID\": \"r\"}", "Name" },
    { "{\"ID\": 7, \"Name\": \"x\"}", "ID" },
    { "{\"ID\": \"r\", \"Name\": null}", "Name" },
    { "{\"ID\": \"r\", \"Name\": {\"en\": \"x\"}}", "Name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraRole) role = astra_role_new_from_json (object, &error);

      g_assert_null (role);
      assert_bad_response (error, bad[i].needle);
    }

  /* Optional parts of the wrong type are ignored, never fatal. */
  {
    const char *lenient[] = {
      "{\"ID\": \"r\", \"Name\": \"n\", \"Policy\": 5}",
      "{\"ID\": \"r\", \"Name\": \"n\", \"Policy\": \"not json {\"}",
      "{\"ID\": \"r\", \"Name\": \"n\", \"Policy\": \"[1,2]\"}",
      "{\"ID\": \"r\", \"Name\": \"n\", \"Policy\": null, \"Type\": 3}",
      "{\"ID\": \"r\", \"Name\": \"n\", \"Policy\": {\"resources\": \"drn\", \"actions\": [1, null, \"org-read\", {}],"
      " \"description\": 9, \"effect\": []}, \"LastUpdateDateTime\": \"yesterday\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (lenient); i++)
      {
        g_autoptr(JsonObject) object = parse_object (lenient[i]);
        g_autoptr(GError) error = NULL;
        g_autoptr(AstraRole) role = astra_role_new_from_json (object, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (astra_role_get_description (role), ==, "");
        g_assert_cmpuint (g_strv_length ((char **) astra_role_get_resources (role)), ==, 0);
        g_assert_null (astra_role_get_last_update (role));
        g_assert_false (astra_role_is_builtin (role));
      }
  }
}

/* }}} */
/* Tokens {{{ */

static void
test_token_wire (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"clientId\": \"" CLIENT_ID "\", \"roles\": [\"" ORG_ADMIN_ID "\"],"
    " \"generatedOn\": \"2025-06-17T02:26:29.846Z\", \"description\": \"Token for service A\","
    " \"tokenExpiry\": \"2025-12-31T23:59:59.000Z\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraToken) token = astra_token_new_from_json (object, &error);
  GDateTime *generated_on;
  gint64 generated_unix = 0;
  gint64 expires_unix = 0;
  g_autofree char *label = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (astra_token_get_client_id (token), ==, CLIENT_ID);
  g_assert_cmpstr (astra_token_get_description (token), ==, "Token for service A");
  g_assert_cmpstr (astra_token_get_role_ids (token)[0], ==, ORG_ADMIN_ID);
  g_assert_null (astra_token_get_role_ids (token)[1]);
  generated_on = astra_token_get_generated_on (token);
  g_assert_nonnull (generated_on);
  g_assert_cmpint (g_date_time_get_microsecond (generated_on), ==, 846000);
  g_assert_nonnull (astra_token_get_expires (token));
  g_object_get (token,
                "generated-on-unix", &generated_unix,
                "expires-unix", &expires_unix,
                "roles-label", &label,
                NULL);
  g_assert_cmpint (generated_unix, ==, 1750127189);
  g_assert_cmpint (expires_unix, ==, 1767225599);
  /* Unresolved: the ids are what there is to show. */
  g_assert_cmpstr (label, ==, ORG_ADMIN_ID);
  g_assert_false (astra_token_get_in_keyring (token));
}

static void
test_token_old_server (void)
{
  /* Older servers omit description and tokenExpiry; null expiry means never. */
  const char *fixtures[] = {
    "{\"clientId\": \"" CLIENT_ID "\", \"roles\": [], \"generatedOn\": \"2021-01-01T00:00:00.000Z\"}",
    "{\"clientId\": \"" CLIENT_ID "\", \"roles\": [], \"generatedOn\": \"2021-01-01T00:00:00.000Z\","
    " \"description\": \"\", \"tokenExpiry\": null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(JsonObject) object = parse_object (fixtures[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraToken) token = astra_token_new_from_json (object, &error);
      gint64 expires_unix = 0;

      g_assert_no_error (error);
      g_assert_cmpstr (astra_token_get_description (token), ==, "");
      g_assert_null (astra_token_get_expires (token));
      g_object_get (token, "expires-unix", &expires_unix, NULL);
      g_assert_cmpint (expires_unix, ==, G_MAXINT64);
      g_assert_cmpstr (astra_token_get_roles_label (token), ==, "");
    }
}

static void
test_token_hostile (void)
{
  const struct {
    const char *json;
    const char *needle;
  } bad[] = {
    { "{\"roles\": []}", "clientId" },
    { "{\"clientId\": null, \"roles\": []}", "clientId" },
    { "{\"clientId\": 12345, \"roles\": []}", "clientId" },
    { "{\"clientId\": true}", "clientId" },
    { "{\"clientId\": [\"" CLIENT_ID "\"]}", "clientId" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraToken) token = astra_token_new_from_json (object, &error);

      g_assert_null (token);
      assert_bad_response (error, bad[i].needle);
    }

  /* Everything optional of the wrong type is ignored. */
  {
    g_autoptr(JsonObject) object = parse_object (
      "{\"CLIENTID\": \"" CLIENT_ID "\", \"roles\": \"" ORG_ADMIN_ID "\","
      " \"generatedOn\": 1750127189, \"description\": {\"text\": \"x\"},"
      " \"tokenExpiry\": \"never\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(AstraToken) token = astra_token_new_from_json (object, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (astra_token_get_client_id (token), ==, CLIENT_ID);
    g_assert_cmpuint (g_strv_length ((char **) astra_token_get_role_ids (token)), ==, 0);
    g_assert_null (astra_token_get_generated_on (token));
    g_assert_null (astra_token_get_expires (token));
    g_assert_cmpstr (astra_token_get_description (token), ==, "");
  }

  /* Mixed role arrays keep their strings only. */
  {
    g_autoptr(JsonObject) object = parse_object (
      "{\"clientId\": \"" CLIENT_ID "\", \"roles\": [1, null, \"" RO_SVC_ID "\", {\"ID\": \"x\"}, [\"y\"]]}");
    g_autoptr(GError) error = NULL;
    g_autoptr(AstraToken) token = astra_token_new_from_json (object, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length ((char **) astra_token_get_role_ids (token)), ==, 1);
    g_assert_cmpstr (astra_token_get_role_ids (token)[0], ==, RO_SVC_ID);
  }
}

static void
test_token_huge_roles (void)
{
  g_autoptr(GString) json = g_string_new ("{\"clientId\": \"" CLIENT_ID "\", \"roles\": [");
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraToken) token = NULL;
  guint n = 100000;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s\"role-%u\"", i ? "," : "", i);
  g_string_append (json, "]}");

  object = parse_object (json->str);
  token = astra_token_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) astra_token_get_role_ids (token)), ==, n);
  astra_token_resolve_roles (token, NULL);
  g_assert_cmpstr (astra_token_get_role_names (token)[n - 1], ==, "role-99999");
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup (pspec->name));
}

static gboolean
seen_contains (GPtrArray  *seen,
               const char *name)
{
  for (guint i = 0; i < seen->len; i++)
    if (g_str_equal (g_ptr_array_index (seen, i), name))
      return TRUE;
  return FALSE;
}

static void
test_token_resolve_roles (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"clientId\": \"" CLIENT_ID "\", \"roles\": [\"" ORG_ADMIN_ID "\", \"R/W Svc Acct\","
    " \"00000000-dead-beef-0000-000000000000\", \"" RO_SVC_ID "\"]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraToken) token = astra_token_new_from_json (object, &error);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  const char * const *role_names;

  g_assert_no_error (error);
  g_hash_table_insert (names, (gpointer) ORG_ADMIN_ID, (gpointer) "Organization Administrator");
  g_hash_table_insert (names, (gpointer) RO_SVC_ID, (gpointer) "RO Svc Acct");
  g_signal_connect (token, "notify", G_CALLBACK (on_notify), seen);

  astra_token_resolve_roles (token, names);

  role_names = astra_token_get_role_names (token);
  g_assert_cmpuint (g_strv_length ((char **) role_names), ==, 4);
  g_assert_cmpstr (role_names[0], ==, "Organization Administrator");
  /* A legacy role name and an unknown id are kept verbatim, in order. */
  g_assert_cmpstr (role_names[1], ==, "R/W Svc Acct");
  g_assert_cmpstr (role_names[2], ==, "00000000-dead-beef-0000-000000000000");
  g_assert_cmpstr (role_names[3], ==, "RO Svc Acct");
  g_assert_cmpstr (astra_token_get_roles_label (token), ==,
                   "Organization Administrator, R/W Svc Acct, "
                   "00000000-dead-beef-0000-000000000000, RO Svc Acct");
  g_assert_true (seen_contains (seen, "role-names"));
  g_assert_true (seen_contains (seen, "roles-label"));

  /* Resolving again to the same names does not notify. */
  g_ptr_array_set_size (seen, 0);
  astra_token_resolve_roles (token, names);
  g_assert_cmpuint (seen->len, ==, 0);

  astra_token_set_in_keyring (token, TRUE);
  astra_token_set_in_keyring (token, TRUE);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_true (astra_token_get_in_keyring (token));
}

/* Tokens with the same roles share one list of ids and one of names (memory at 10,000
 * tokens); a list is never confused with another, and outlives any one of its tokens. */
static AstraToken *
token_with_roles (const char *client_id,
                  const char *roles_json)
{
  g_autofree char *json = g_strdup_printf ("{\"clientId\": \"%s\", \"roles\": %s}",
                                           client_id, roles_json);
  g_autoptr(JsonObject) object = parse_object (json);
  g_autoptr(GError) error = NULL;
  AstraToken *token = astra_token_new_from_json (object, &error);

  g_assert_no_error (error);
  return token;
}

static void
test_token_shared_roles (void)
{
  g_autoptr(AstraToken) a = token_with_roles ("a", "[\"" RO_SVC_ID "\", \"R/W Svc Acct\"]");
  g_autoptr(AstraToken) b = token_with_roles ("b", "[\"" RO_SVC_ID "\", \"R/W Svc Acct\"]");
  g_autoptr(AstraToken) reversed = token_with_roles ("c", "[\"R/W Svc Acct\", \"" RO_SVC_ID "\"]");
  g_autoptr(AstraToken) none = token_with_roles ("d", "[]");
  g_autoptr(AstraToken) blank = token_with_roles ("e", "[\"\"]");
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const *ids;

  g_assert_true (astra_token_get_role_ids (a) == astra_token_get_role_ids (b));
  g_assert_false (astra_token_get_role_ids (a) == astra_token_get_role_ids (reversed));
  g_assert_cmpstr (astra_token_get_role_ids (reversed)[0], ==, "R/W Svc Acct");
  g_assert_false (astra_token_get_role_ids (none) == astra_token_get_role_ids (blank));
  g_assert_cmpuint (g_strv_length ((char **) astra_token_get_role_ids (none)), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) astra_token_get_role_ids (blank)), ==, 1);
  g_assert_cmpstr (astra_token_get_role_ids (blank)[0], ==, "");

  /* Whatever bytes a hostile server puts in an id, two different lists stay two lists. */
  {
    g_autoptr(AstraToken) joined = token_with_roles ("f", "[\"x\\u001fy\"]");
    g_autoptr(AstraToken) split = token_with_roles ("g", "[\"x\", \"y\"]");

    g_assert_cmpuint (g_strv_length ((char **) astra_token_get_role_ids (joined)), ==, 1);
    g_assert_cmpuint (g_strv_length ((char **) astra_token_get_role_ids (split)), ==, 2);
    g_assert_cmpstr (astra_token_get_role_ids (split)[1], ==, "y");
  }

  g_hash_table_insert (names, (gpointer) RO_SVC_ID, (gpointer) "RO Svc Acct");
  astra_token_resolve_roles (a, names);
  astra_token_resolve_roles (b, names);
  g_assert_true (astra_token_get_role_names (a) == astra_token_get_role_names (b));
  g_assert_cmpstr (astra_token_get_role_names (b)[0], ==, "RO Svc Acct");

  /* The first holder gone, the second still reads its lists. */
  ids = astra_token_get_role_ids (b);
  g_clear_object (&a);
  g_assert_true (astra_token_get_role_ids (b) == ids);
  g_assert_cmpstr (ids[0], ==, RO_SVC_ID);
  g_assert_cmpstr (ids[1], ==, "R/W Svc Acct");
  g_assert_null (ids[2]);
  g_assert_cmpstr (astra_token_get_role_names (b)[1], ==, "R/W Svc Acct");
}

/* }}} */
/* Generated tokens {{{ */

static void
test_generated_token_wire (void)
{
  g_autofree char *token_text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  GDateTime *generated_on;
  GParamSpec *pspec;

  token_text = astra_token_format_compose (CLIENT_ID, SECRET);
  json = g_strdup_printf ("{\"clientId\": \"%s\", \"orgId\": \"org-1\", \"secret\": \"%s\","
                          " \"token\": \"%s\", \"generatedOn\": \"2025-09-02T19:18:10.799083554Z\","
                          " \"roles\": [\"%s\"]}",
                          CLIENT_ID, SECRET, token_text, ORG_ADMIN_ID);
  object = parse_object (json);
  token = astra_generated_token_new_from_json (object, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (astra_generated_token_get_client_id (token), ==, CLIENT_ID);
  g_assert_cmpstr (astra_generated_token_get_secret (token), ==, SECRET);
  g_assert_cmpstr (astra_generated_token_get_token (token), ==, token_text);
  g_assert_cmpstr (astra_generated_token_get_org_id (token), ==, "org-1");
  g_assert_cmpstr (astra_generated_token_get_role_ids (token)[0], ==, ORG_ADMIN_ID);
  generated_on = astra_generated_token_get_generated_on (token);
  g_assert_nonnull (generated_on);
  /* Nanoseconds are cut to microseconds, not refused. */
  g_assert_cmpint (g_date_time_get_microsecond (generated_on), ==, 799083);
  g_assert_null (astra_generated_token_get_expires (token));
  g_assert_cmpstr (astra_generated_token_get_description (token), ==, "");

  /* The secret and the token are never properties. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (token), "secret");
  g_assert_null (pspec);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (token), "token");
  g_assert_null (pspec);
}

static void
test_generated_token_setters (void)
{
  g_autoptr(AstraGeneratedToken) token = astra_generated_token_new (CLIENT_ID, SECRET, NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *composed = astra_token_format_compose (CLIENT_ID, SECRET);
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2030, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) same = g_date_time_new_utc (2030, 1, 1, 0, 0, 0);
  const char *names[] = { "Organization Administrator", NULL };

  g_assert_cmpstr (astra_generated_token_get_token (token), ==, composed);
  g_signal_connect (token, "notify", G_CALLBACK (on_notify), seen);

  astra_generated_token_set_description (token, "svc");
  astra_generated_token_set_description (token, "svc");
  astra_generated_token_set_expires (token, expires);
  astra_generated_token_set_expires (token, same);
  astra_generated_token_set_role_names (token, names);
  astra_generated_token_set_role_names (token, names);
  astra_generated_token_set_org_id (token, "o");
  g_object_set (token, "description", "svc2", NULL);

  g_assert_cmpuint (seen->len, ==, 5);
  g_assert_true (seen_contains (seen, "expires"));
  g_assert_true (seen_contains (seen, "role-names"));
  g_assert_cmpstr (astra_generated_token_get_description (token), ==, "svc2");
  g_assert_true (g_date_time_equal (astra_generated_token_get_expires (token), expires));
}

static void
test_generated_token_hostile (void)
{
  const struct {
    const char *json;
    const char *needle;
  } bad[] = {
    { "{\"secret\": \"" SECRET "\"}", "clientId" },
    { "{\"clientId\": \"" CLIENT_ID "\"}", "secret" },
    { "{\"clientId\": \"" CLIENT_ID "\", \"secret\": 123}", "secret" },
    { "{\"clientId\": \"" CLIENT_ID "\", \"secret\": \"\"}", "secret" },
    { "{\"clientId\": \"" CLIENT_ID "\", \"secret\": \"" SECRET "\", \"token\": 5}", "token" },
    { "{\"clientId\": \"" CLIENT_ID "\", \"secret\": \"" SECRET "\", \"token\": [\"AstraCS:\"]}", "token" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraGeneratedToken) token = astra_generated_token_new_from_json (object, &error);

      g_assert_null (token);
      assert_bad_response (error, bad[i].needle);
      /* Error messages never carry the secret. */
      g_assert_null (strstr (error->message, SECRET));
    }

  /* A missing token is composed, so that the secret is never lost. */
  {
    g_autoptr(JsonObject) object = parse_object (
      "{\"clientId\": \"" CLIENT_ID "\", \"secret\": \"" SECRET "\", \"token\": null,"
      " \"roles\": 4, \"generatedOn\": false, \"orgId\": 1}");
    g_autoptr(GError) error = NULL;
    g_autoptr(AstraGeneratedToken) token = astra_generated_token_new_from_json (object, &error);
    g_autofree char *composed = astra_token_format_compose (CLIENT_ID, SECRET);

    g_assert_no_error (error);
    g_assert_cmpstr (astra_generated_token_get_token (token), ==, composed);
    g_assert_cmpstr (astra_generated_token_get_org_id (token), ==, "");
    g_assert_null (astra_generated_token_get_generated_on (token));
  }
}

/* }}} */
/* Databases and users {{{ */

static void
test_database_wire (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"id\": \"db-1\", \"orgId\": \"org-1\", \"ownerId\": \"" CLIENT_ID "\", \"status\": \"ACTIVE\","
    " \"creationTime\": \"2024-01-01T00:00:00Z\","
    " \"info\": {\"name\": \"shop\", \"keyspace\": \"default_keyspace\","
    "   \"keyspaces\": [\"default_keyspace\", \"orders\"], \"region\": \"us-east1\","
    "   \"cloudProvider\": \"GCP\", \"tier\": \"serverless\", \"dbType\": \"vector\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraDatabase) db = astra_database_new_from_json (object, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (astra_database_get_id (db), ==, "db-1");
  g_assert_cmpstr (astra_database_get_org_id (db), ==, "org-1");
  g_assert_cmpstr (astra_database_get_name (db), ==, "shop");
  g_assert_cmpstr (astra_database_get_status (db), ==, "ACTIVE");
  g_assert_cmpstr (astra_database_get_region (db), ==, "us-east1");
  g_assert_cmpstr (astra_database_get_cloud_provider (db), ==, "GCP");
  g_assert_cmpuint (g_strv_length ((char **) astra_database_get_keyspaces (db)), ==, 2);
  g_assert_cmpstr (astra_database_get_keyspaces (db)[1], ==, "orders");
}

static void
test_database_hostile (void)
{
  {
    g_autoptr(JsonObject) object = parse_object ("{\"info\": {\"name\": \"x\"}}");
    g_autoptr(GError) error = NULL;
    g_autoptr(AstraDatabase) db = astra_database_new_from_json (object, &error);

    g_assert_null (db);
    assert_bad_response (error, "id");
  }
  {
    g_autoptr(JsonObject) object = parse_object ("{\"id\": 1}");
    g_autoptr(GError) error = NULL;
    g_autoptr(AstraDatabase) db = astra_database_new_from_json (object, &error);

    g_assert_null (db);
    assert_bad_response (error, "id");
  }
  {
    g_autoptr(JsonObject) object = parse_object (
      "{\"id\": \"db-2\", \"status\": 3, \"info\": \"nope\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(AstraDatabase) db = astra_database_new_from_json (object, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (astra_database_get_name (db), ==, "db-2");
    g_assert_cmpstr (astra_database_get_status (db), ==, "");
    g_assert_cmpstr (astra_database_get_region (db), ==, "");
    g_assert_cmpuint (g_strv_length ((char **) astra_database_get_keyspaces (db)), ==, 0);
  }
  {
    g_autoptr(JsonObject) object = parse_object (
      "{\"id\": \"db-3\", \"info\": {\"name\": \"\", \"keyspace\": \"ks\", \"keyspaces\": 5}}");
    g_autoptr(GError) error = NULL;
    g_autoptr(AstraDatabase) db = astra_database_new_from_json (object, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (astra_database_get_name (db), ==, "db-3");
    g_assert_cmpstr (astra_database_get_keyspaces (db)[0], ==, "ks");
  }
}

static void
test_user_wire (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"UserID\": \"u-1\", \"Email\": \"ada@example.com\", \"Status\": \"active\","
    " \"Roles\": [{\"ID\": \"" ORG_ADMIN_ID "\", \"Name\": \"Organization Administrator\"},"
    "             {\"ID\": \"" RO_SVC_ID "\"}, {\"Name\": \"no id\"}, 5, \"legacy-id\"]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraUser) user = astra_user_new_from_json (object, &error);
  const char * const *ids;
  const char * const *names;

  g_assert_no_error (error);
  g_assert_cmpstr (astra_user_get_id (user), ==, "u-1");
  g_assert_cmpstr (astra_user_get_email (user), ==, "ada@example.com");
  g_assert_cmpstr (astra_user_get_status (user), ==, "active");
  ids = astra_user_get_role_ids (user);
  names = astra_user_get_role_names (user);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 3);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 3);
  g_assert_cmpstr (names[0], ==, "Organization Administrator");
  g_assert_cmpstr (names[1], ==, RO_SVC_ID);
  g_assert_cmpstr (ids[2], ==, "legacy-id");

  /* The spec's lower camel case works too. */
  {
    g_autoptr(JsonObject) spec = parse_object (
      "{\"userID\": \"u-2\", \"email\": \"b@example.com\", \"status\": \"invited\", \"roles\": []}");
    g_autoptr(AstraUser) user2 = astra_user_new_from_json (spec, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (astra_user_get_email (user2), ==, "b@example.com");
  }
  {
    g_autoptr(JsonObject) bad = parse_object ("{\"Email\": \"c@example.com\"}");
    g_autoptr(AstraUser) user3 = astra_user_new_from_json (bad, &error);

    g_assert_null (user3);
    assert_bad_response (error, "UserID");
  }
}

/* }}} */

/* A portal CSV's tokens checked against the organization's list: the listed one takes the
 * organization's roles, description and dates (not the file's role names); the other is
 * named, not returned. */
static void
test_generated_token_match_listed (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"clientId\": \"" CLIENT_ID "\", \"roles\": [\"" RO_SVC_ID "\"],"
    " \"generatedOn\": \"2025-06-17T02:26:29.846Z\", \"description\": \"Dashboard\","
    " \"tokenExpiry\": null}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraToken) entry = astra_token_new_from_json (object, &error);
  g_autoptr(GListStore) listed = g_list_store_new (ASTRA_TYPE_TOKEN);
  g_autoptr(GListStore) imported = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autofree char *known_text = astra_token_format_compose (CLIENT_ID, SECRET);
  g_autofree char *other_text = astra_token_format_compose ("OtherOrgTokenAbcdefghijk", SECRET);
  g_autoptr(AstraGeneratedToken) known = astra_generated_token_new (CLIENT_ID, SECRET, known_text);
  g_autoptr(AstraGeneratedToken) other =
    astra_generated_token_new ("OtherOrgTokenAbcdefghijk", SECRET, other_text);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) matched = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  const char *file_roles[] = { "Organization Administrator", NULL };
  AstraGeneratedToken *first;

  g_assert_no_error (error);
  g_hash_table_insert (names, (gpointer) RO_SVC_ID, (gpointer) "RO Svc Acct");
  astra_token_resolve_roles (entry, names);
  g_list_store_append (listed, entry);
  astra_generated_token_set_role_names (known, file_roles);
  g_list_store_append (imported, other);
  g_list_store_append (imported, known);

  matched = astra_generated_token_match_listed (G_LIST_MODEL (imported), G_LIST_MODEL (listed),
                                                &unknown);

  g_assert_cmpuint (matched->len, ==, 1);
  first = g_ptr_array_index (matched, 0);
  g_assert_true (first == known);
  g_assert_cmpstr (astra_generated_token_get_secret (first), ==, SECRET);
  g_assert_cmpstrv (astra_generated_token_get_role_ids (first), ((const char *[]) { RO_SVC_ID, NULL }));
  g_assert_cmpstrv (astra_generated_token_get_role_names (first), ((const char *[]) { "RO Svc Acct", NULL }));
  g_assert_cmpstr (astra_generated_token_get_description (first), ==, "Dashboard");
  g_assert_cmpint (g_date_time_to_unix (astra_generated_token_get_generated_on (first)), ==, 1750127189);
  g_assert_null (astra_generated_token_get_expires (first));
  g_assert_cmpuint (unknown->len, ==, 1);
  g_assert_true (g_ptr_array_index (unknown, 0) == other);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/models/organization/wire", test_organization_wire);
  g_test_add_func ("/models/organization/hostile", test_organization_hostile);
  g_test_add_func ("/models/role/wire", test_role_wire);
  g_test_add_func ("/models/role/create-response", test_role_create_response);
  g_test_add_func ("/models/role/spec-casing-string-policy", test_role_spec_casing_and_string_policy);
  g_test_add_func ("/models/role/hostile", test_role_hostile);
  g_test_add_func ("/models/token/wire", test_token_wire);
  g_test_add_func ("/models/token/old-server", test_token_old_server);
  g_test_add_func ("/models/token/hostile", test_token_hostile);
  g_test_add_func ("/models/token/huge-roles", test_token_huge_roles);
  g_test_add_func ("/models/token/resolve-roles", test_token_resolve_roles);
  g_test_add_func ("/models/token/shared-roles", test_token_shared_roles);
  g_test_add_func ("/models/generated-token/wire", test_generated_token_wire);
  g_test_add_func ("/models/generated-token/match-listed", test_generated_token_match_listed);
  g_test_add_func ("/models/generated-token/setters", test_generated_token_setters);
  g_test_add_func ("/models/generated-token/hostile", test_generated_token_hostile);
  g_test_add_func ("/models/database/wire", test_database_wire);
  g_test_add_func ("/models/database/hostile", test_database_hostile);
  g_test_add_func ("/models/user/wire", test_user_wire);

  return g_test_run ();
}

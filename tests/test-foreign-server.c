/* test-foreign-server.c: the real AstraClient against tests/foreign-astra.py, a server
 * written from astra-api.md alone that makes every free choice differently from astra-sim
 * (member order, unknown members, whitespace, chunked bodies, Connection: close, status
 * texts, timestamp precision, spec casing, error body shapes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "astra-client.h"
#include "astra-database.h"
#include "astra-generated-token.h"
#include "astra-json.h"
#include "astra-organization.h"
#include "astra-role.h"
#include "astra-token-format.h"
#include "astra-token-list.h"
#include "astra-token.h"
#include "astra-user.h"

#define UNKNOWN_TOKEN \
  "AstraCS:ABCDEFGHIJKLMNOPQRSTUVWX:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define N_DATABASES 230   /* more than two pages of 100 */

static GSubprocess *server;
static char *base_url;      /* http://127.0.0.1:PORT/v2 */
static char *admin_token;
static JsonNode *state;     /* GET /_foreign/state */

/* Helpers {{{ */

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static AstraClient *
new_client (const char *token)
{
  g_autoptr(GError) error = NULL;
  AstraClient *client = astra_client_new (base_url, token, &error);

  g_assert_no_error (error);
  astra_client_set_retry_policy (client, 3, 5, 1500);
  return client;
}

/* A test hook of the foreign server: outside /v2, no token. */
static GBytes *
control (const char *method,
         const char *path,
         const char *json)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *root = g_strndup (base_url, strlen (base_url) - strlen ("/v2"));
  g_autofree char *uri = g_strconcat (root, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  if (json != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)));
  return body;
}

static void
add_fault (const char *method,
           const char *path,
           guint       status,
           guint       count,
           const char *content_type,
           const char *body_json,
           const char *headers_json)
{
  g_autofree char *json = g_strdup_printf ("{\"method\": \"%s\", \"path\": \"/v2%s\", \"status\": %u, "
                                           "\"count\": %u, \"content_type\": \"%s\", \"body\": %s, "
                                           "\"headers\": %s}",
                                           method, path, status, count, content_type, body_json,
                                           headers_json != NULL ? headers_json : "{}");
  g_autoptr(GBytes) answer = control ("POST", "/_foreign/fault", json);
}

static const char *
state_string (const char *name)
{
  return astra_json_object_get_string (json_node_get_object (state), name);
}

static GListModel *
list_tokens (AstraClient *client, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_client_list_tokens_async (client, NULL, on_result_cb, &result);
  return astra_client_list_tokens_finish (client, wait_for (&result), error);
}

static GListModel *
list_roles (AstraClient *client, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_client_list_roles_async (client, NULL, on_result_cb, &result);
  return astra_client_list_roles_finish (client, wait_for (&result), error);
}

static AstraRole *
find_role (GListModel *roles, const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (roles); i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (roles, i);

      if (g_strcmp0 (astra_role_get_name (role), name) == 0)
        return g_steal_pointer (&role);
    }
  return NULL;
}

static gboolean
has_role (GListModel *roles, const char *name)
{
  g_autoptr(AstraRole) role = find_role (roles, name);

  return role != NULL;
}

static AstraToken *
find_token (GListModel *tokens, const char *client_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

      if (g_strcmp0 (astra_token_get_client_id (token), client_id) == 0)
        return g_steal_pointer (&token);
    }
  return NULL;
}

/* The API's own words end the message: "… The API said: “@said”". */
static void
assert_api_said (const GError *error,
                 const char   *said)
{
  g_autofree char *quoted = g_strdup_printf ("“%s”", said);

  if (!g_str_has_suffix (error->message, quoted))
    g_error ("“%s” does not end with %s", error->message, quoted);
}

/* }}} */
/* Reading {{{ */

static void
test_current_org (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AstraOrganization) org = NULL;
  g_autoptr(GError) error = NULL;

  astra_client_get_current_org_async (client, NULL, on_result_cb, &result);
  org = astra_client_get_current_org_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (astra_organization_get_id (org), ==, state_string ("orgId"));
  g_assert_cmpstr (astra_organization_get_name (org), ==, "foreign-owner@example.com");
}

static void
test_roles (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) roles = list_roles (client, &error);
  g_autoptr(AstraRole) admin = NULL;
  g_autoptr(AstraRole) spec = NULL;
  g_autoptr(AstraRole) string_policy = NULL;
  g_autoptr(AstraRole) custom = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (roles), ==, 16 + 3);

  admin = find_role (roles, "Organization Administrator");
  g_assert_nonnull (admin);
  g_assert_cmpstr (astra_role_get_id (admin), ==, "ad0566b5-2a67-49de-89e8-92258c2f2c98");
  g_assert_true (astra_role_is_builtin (admin));
  g_assert_cmpstr (astra_role_get_effect (admin), ==, "allow");
  g_assert_true (g_strv_contains (astra_role_get_actions (admin), "org-token-write"));
  g_assert_cmpstr (astra_role_get_resources (admin)[0], ==, "drn:astra:org:__ORG_ID__");
  g_assert_true (has_role (roles, "R/W Svc Acct"));
  g_assert_true (has_role (roles, "API R/W Svc Acct"));

  /* The OpenAPI's lower-case id/name/policy/last_update_datetime. */
  spec = find_role (roles, "Foreign Spec Casing");
  g_assert_nonnull (spec);
  g_assert_false (astra_role_is_builtin (spec));
  g_assert_cmpstr (astra_role_get_description (spec), ==, "Foreign Spec Casing: custom");
  g_assert_cmpuint (g_strv_length ((char **) astra_role_get_actions (spec)), ==, 2);
  g_assert_nonnull (astra_role_get_last_update (spec));

  /* The old docs' policy: a JSON string under "policy". */
  string_policy = find_role (roles, "Foreign String Policy");
  g_assert_nonnull (string_policy);
  g_assert_cmpstr (astra_role_get_description (string_policy), ==, "Foreign String Policy: custom");
  g_assert_true (g_strv_contains (astra_role_get_actions (string_policy), "org-db-view"));

  custom = find_role (roles, "Foreign Reader");
  g_assert_nonnull (custom);
  g_assert_false (astra_role_is_builtin (custom));
  g_assert_nonnull (astra_role_get_last_update (custom));
}

static void
check_tokens (GListModel *tokens, guint expected)
{
  g_assert_cmpuint (g_list_model_get_n_items (tokens), ==, expected);
  g_assert_cmpuint (astra_token_list_get_n_unreadable (tokens), ==, 0);
  for (guint i = 0; i < expected; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

      g_assert_cmpuint (strlen (astra_token_get_client_id (token)), ==, 24);
      g_assert_nonnull (astra_token_get_generated_on (token));
      g_assert_nonnull (astra_token_get_description (token));
      g_assert_nonnull (astra_token_get_role_ids (token)[0]);
    }
}

static void
test_tokens_small (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = list_tokens (client, &error);
  g_autoptr(AstraToken) admin = NULL;
  g_autoptr(AstraToken) seeded = NULL;
  g_autofree char *admin_id = astra_token_format_dup_client_id (admin_token);
  g_autoptr(GDateTime) expected = NULL;

  g_assert_no_error (error);
  /* The admin token, a read-only one and three seeded (--tokens 3). */
  check_tokens (tokens, 5);
  admin = find_token (tokens, admin_id);
  g_assert_nonnull (admin);
  g_assert_cmpstr (astra_token_get_description (admin), ==, "Foreign admin");
  g_assert_null (astra_token_get_expires (admin));
  g_assert_cmpstr (astra_token_get_role_ids (admin)[0], ==, "ad0566b5-2a67-49de-89e8-92258c2f2c98");

  /* Seeded token 0: description set, expiry 200 days after 2025-06-17T02:26:29.846Z. */
  seeded = g_list_model_get_item (tokens, 2);
  g_assert_cmpstr (astra_token_get_description (seeded), ==, "Seeded token 0");
  expected = g_date_time_new_utc (2026, 1, 3, 2, 26, 29.846);
  g_assert_nonnull (astra_token_get_expires (seeded));
  g_assert_cmpint (g_date_time_difference (astra_token_get_expires (seeded), expected) / 1000, ==, 0);
}

static void
test_tokens_large (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GBytes) answer = control ("POST", "/_foreign/tokens", "{\"count\": 5000}");
  gint64 expected_ms[] = { 846, 0, 0, 0, 0 };

  tokens = list_tokens (client, &error);
  g_assert_no_error (error);
  check_tokens (tokens, 5005);

  /* Millisecond, nanosecond, whole-second, microsecond and "+00:00" stamps. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, 5 + i);
      GDateTime *on = astra_token_get_generated_on (token);

      g_assert_cmpint (g_date_time_get_year (on), ==, 2025);
      g_assert_cmpint (g_date_time_get_minute (on), ==, 26 + (int) i);
      g_assert_cmpint (g_date_time_get_utc_offset (on), ==, 0);
      (void) expected_ms;
    }
}

/* Over ASTRA_JSON_MAX_SIZE: the list is read as it arrives (astra-token-list-stream.c),
 * in whichever layout the server picks for each answer. */
static void
test_tokens_streamed (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GBytes) answer = control ("POST", "/_foreign/tokens", "{\"count\": 25000}");

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) tokens = list_tokens (client, &error);

      g_assert_no_error (error);
      check_tokens (tokens, 30005);
    }
}

static void
test_users_databases (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) users = NULL;
  g_autoptr(GListModel) dbs = NULL;
  g_autoptr(AstraUser) owner = NULL;
  g_autoptr(AstraDatabase) db = NULL;

  astra_client_list_users_async (client, NULL, on_result_cb, &result);
  users = astra_client_list_users_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (users), ==, 2);
  owner = g_list_model_get_item (users, 0);
  g_assert_cmpstr (astra_user_get_email (owner), ==, "owner@foreign.example");
  g_assert_cmpstr (astra_user_get_status (owner), ==, "active");
  g_assert_cmpstr (astra_user_get_role_names (owner)[0], ==, "Organization Administrator");

  astra_client_list_databases_async (client, NULL, on_result_cb, &result2);
  dbs = astra_client_list_databases_finish (client, wait_for (&result2), &error);
  g_assert_no_error (error);
  /* Paged by starting_after; the terminated one is not listed by default. */
  g_assert_cmpuint (g_list_model_get_n_items (dbs), ==, N_DATABASES);
  db = g_list_model_get_item (dbs, 0);
  g_assert_true (g_str_has_prefix (astra_database_get_name (db), "foreign-db-"));
  g_assert_cmpstr (astra_database_get_org_id (db), ==, state_string ("orgId"));
  g_assert_cmpstr (astra_database_get_keyspaces (db)[0], ==, "default_keyspace");
}

/* }}} */
/* Changing {{{ */

static void
test_generate_revoke (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) revoked = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(AstraToken) listed = NULL;
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2027, 8, 19, 14, 30, 0);
  g_autofree char *composed = NULL;
  const char *roles[] = { "ad0566b5-2a67-49de-89e8-92258c2f2c98",
                          "16a4b1d7-a615-41f8-95ca-52b0280f4d77", NULL };

  astra_client_create_token_async (client, roles, "foreign generate", expires, NULL,
                                   on_result_cb, &result);
  token = astra_client_create_token_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_null (astra_generated_token_get_notice (token));
  g_assert_true (astra_token_format_validate (astra_generated_token_get_token (token), NULL));
  composed = astra_token_format_compose (astra_generated_token_get_client_id (token),
                                         astra_generated_token_get_secret (token));
  g_assert_cmpstr (composed, ==, astra_generated_token_get_token (token));
  g_assert_cmpstr (astra_generated_token_get_org_id (token), ==, state_string ("orgId"));
  g_assert_true (g_strv_equal (astra_generated_token_get_role_ids (token), roles));
  g_assert_nonnull (astra_generated_token_get_generated_on (token));
  g_assert_cmpstr (astra_generated_token_get_description (token), ==, "foreign generate");

  tokens = list_tokens (client, &error);
  g_assert_no_error (error);
  listed = find_token (tokens, astra_generated_token_get_client_id (token));
  g_assert_nonnull (listed);
  g_assert_cmpint (g_date_time_compare (astra_token_get_expires (listed), expires), ==, 0);
  g_assert_cmpstr (astra_token_get_description (listed), ==, "foreign generate");

  /* 200 with a text/plain "Ok". */
  astra_client_revoke_token_async (client, astra_generated_token_get_client_id (token), NULL,
                                   on_result_cb, &revoked);
  g_assert_true (astra_client_revoke_token_finish (client, wait_for (&revoked), &error));
  g_assert_no_error (error);

  astra_client_revoke_token_async (client, astra_generated_token_get_client_id (token), NULL,
                                   on_result_cb, &again);
  g_assert_false (astra_client_revoke_token_finish (client, wait_for (&again), &error));
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_NOT_FOUND);
  {
    g_autofree char *said = g_strdup_printf ("client id %s not found",
                                             astra_generated_token_get_client_id (token));
    assert_api_said (error, said);
  }
}

static void
test_role_crud (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraRole) role = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(AstraRole) duplicate = NULL;
  g_autoptr(AstraRole) bad = NULL;
  g_autoptr(AstraRole) gone = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(AstraRole) updated = NULL;
  g_autofree char *org_drn = g_strdup_printf ("drn:astra:org:%s", state_string ("orgId"));
  const char *resources[] = { org_drn, NULL };
  const char *bad_resources[] = { "org:nope", NULL };
  const char *actions[] = { "org-read", "org-db-view", NULL };
  const char *more_actions[] = { "org-read", "org-db-view", "db-cql", NULL };

  astra_client_create_role_async (client, "Foreign Created", "made here", resources, actions,
                                  NULL, on_result_cb, &r1);
  role = astra_client_create_role_finish (client, wait_for (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (astra_role_get_id (role)), ==, 36);
  g_assert_cmpstr (astra_role_get_name (role), ==, "Foreign Created");
  g_assert_cmpstr (astra_role_get_description (role), ==, "made here");
  g_assert_false (astra_role_is_builtin (role));

  /* 409 with a bare JSON string. */
  astra_client_create_role_async (client, "Foreign Created", "", resources, actions, NULL,
                                  on_result_cb, &r2);
  duplicate = astra_client_create_role_finish (client, wait_for (&r2), &error);
  g_assert_null (duplicate);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_CONFLICT);
  assert_api_said (error, "role with name Foreign Created already exists");
  g_clear_error (&error);

  /* 400 with a bare JSON string. */
  astra_client_create_role_async (client, "Foreign Bad", "", bad_resources, actions, NULL,
                                  on_result_cb, &r3);
  bad = astra_client_create_role_finish (client, wait_for (&r3), &error);
  g_assert_null (bad);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_REQUEST);
  assert_api_said (error, "resource must start with drn:astra:org:");
  g_clear_error (&error);

  /* 200 with a body nobody documented. */
  astra_client_update_role_async (client, astra_role_get_id (role), "Foreign Renamed", "changed",
                                  resources, more_actions, NULL, on_result_cb, &r4);
  g_assert_true (astra_client_update_role_finish (client, wait_for (&r4), &error));
  g_assert_no_error (error);
  roles = list_roles (client, &error);
  g_assert_no_error (error);
  updated = find_role (roles, "Foreign Renamed");
  g_assert_nonnull (updated);
  g_assert_cmpstr (astra_role_get_id (updated), ==, astra_role_get_id (role));
  g_assert_true (g_strv_equal (astra_role_get_actions (updated), more_actions));

  astra_client_delete_role_async (client, astra_role_get_id (role), NULL, on_result_cb, &r5);
  g_assert_true (astra_client_delete_role_finish (client, wait_for (&r5), &error));
  g_assert_no_error (error);

  /* 404 with text/plain. */
  astra_client_get_role_async (client, astra_role_get_id (role), NULL, on_result_cb, &r6);
  gone = astra_client_get_role_finish (client, wait_for (&r6), &error);
  g_assert_null (gone);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_NOT_FOUND);
  {
    g_autofree char *said = g_strdup_printf ("role %s not found", astra_role_get_id (role));
    assert_api_said (error, said);
  }
}

/* }}} */
/* Errors {{{ */

static void
test_unauthorized_forbidden (void)
{
  g_autoptr(AstraClient) unknown = new_client (UNKNOWN_TOKEN);
  g_autoptr(AstraClient) read_only = new_client (state_string ("readOnlyToken"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GListModel) tokens2 = NULL;

  tokens = list_tokens (unknown, &error);
  g_assert_null (tokens);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED);
  assert_api_said (error, "The provided token is not valid for this environment");
  g_clear_error (&error);

  tokens2 = list_tokens (read_only, &error);
  g_assert_null (tokens2);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_FORBIDDEN);
  assert_api_said (error, "role is missing the org-token-read permission");
}

static void
test_rate_limited (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(GListModel) roles2 = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  /* Two seconds ahead, which an HTTP date (whole seconds) leaves at least one second away:
   * the client must wait at least half of that. */
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 2);
  g_autofree char *http_date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *headers = g_strdup_printf ("{\"Retry-After\": \"%s\"}", http_date);
  gint64 started;

  /* Once, with Retry-After as an HTTP date: the retry succeeds. */
  add_fault ("GET", "/organizations/roles", 429, 1, "text/plain", "\"slow down\"", headers);
  started = g_get_monotonic_time ();
  roles = list_roles (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (roles), >=, 19);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 500 * 1000);

  /* Every time, Retry-After in seconds: RATE_LIMITED after the retries. */
  add_fault ("GET", "/organizations/roles", 429, 3, "application/json; charset=utf-8",
             "{\"errors\": [{\"ID\": 429, \"message\": \"rate limit exceeded\"}]}",
             "{\"Retry-After\": \"0\"}");
  roles2 = list_roles (client, &error);
  g_assert_null (roles2);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_RATE_LIMITED);
  assert_api_said (error, "rate limit exceeded");
}

static void
test_server_errors (void)
{
  g_autoptr(AstraClient) client = new_client (admin_token);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  const char *roles[] = { "ad0566b5-2a67-49de-89e8-92258c2f2c98", NULL };

  add_fault ("GET", "/clientIdSecrets", 503, 3, "text/plain; charset=utf-8",
             "\"upstream unavailable\"", NULL);
  tokens = list_tokens (client, &error);
  g_assert_null (tokens);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_SERVER_ERROR);
  assert_api_said (error, "upstream unavailable");
  g_assert_nonnull (strstr (error->message, "HTTP 503"));
  g_clear_error (&error);

  /* A POST is not retried, and a 500 may have created the token. */
  add_fault ("POST", "/clientIdSecrets", 500, 1, "text/plain", "\"boom\"", NULL);
  astra_client_create_token_async (client, roles, NULL, NULL, NULL, on_result_cb, &result);
  token = astra_client_create_token_finish (client, wait_for (&result), &error);
  g_assert_null (token);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_ANSWER_LOST);
  g_assert_nonnull (strstr (error->message, "HTTP 500"));
}

/* }}} */

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "foreign-astra.py", NULL);
  g_autofree char *databases = g_strdup_printf ("%d", N_DATABASES);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GBytes) answer = NULL;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/usr/bin/python3", script,
                             "--foreground", "--tokens", "3", "--databases", databases, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "ASTRA_API_URL="))
        base_url = g_strdup (line + strlen ("ASTRA_API_URL="));
      else if (g_str_has_prefix (line, "ASTRA_DB_APPLICATION_TOKEN="))
        admin_token = g_strdup (line + strlen ("ASTRA_DB_APPLICATION_TOKEN="));
    }
  g_assert_nonnull (base_url);
  g_assert_true (astra_token_format_validate (admin_token, NULL));

  answer = control ("GET", "/_foreign/state", NULL);
  state = astra_json_parse_bytes (answer, &error);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("/usr/bin/python3 is needed for the foreign server");
      return g_test_run ();
    }
  start_server ();

  g_test_add_func ("/foreign/current-org", test_current_org);
  g_test_add_func ("/foreign/roles/list", test_roles);
  g_test_add_func ("/foreign/tokens/small", test_tokens_small);
  g_test_add_func ("/foreign/tokens/generate-revoke", test_generate_revoke);
  g_test_add_func ("/foreign/roles/create-update-delete", test_role_crud);
  g_test_add_func ("/foreign/users-databases", test_users_databases);
  g_test_add_func ("/foreign/errors/401-403", test_unauthorized_forbidden);
  g_test_add_func ("/foreign/errors/429", test_rate_limited);
  g_test_add_func ("/foreign/errors/5xx", test_server_errors);
  /* Last: it adds 5,000 tokens to the organization. */
  g_test_add_func ("/foreign/tokens/large", test_tokens_large);
  g_test_add_func ("/foreign/tokens/large/streamed", test_tokens_streamed);

  status = g_test_run ();

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&server);
  g_clear_pointer (&state, json_node_unref);
  g_free (base_url);
  g_free (admin_token);
  return status;
}

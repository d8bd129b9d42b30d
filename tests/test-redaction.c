/* test-redaction.c: no credential reaches the log, even with every debug switch on
 *
 * The whole process's log output is captured (G_MESSAGES_DEBUG=all and the header-level wire
 * log ASTRA_TOKENS_DEBUG_HTTP=1) during a complete exchange with the simulator — the
 * organization, roles, a token created, listed and revoked, and a refused request — and
 * searched for the management token, the new secret and the new token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-client.h"
#include "astra-generated-token.h"
#include "astra-http-log.h"
#include "astra-organization.h"
#include "astra-role.h"
#include "astra-sim-server.h"
#include "astra-test-async.h"
#include "astra-token-format.h"

#define UNKNOWN_TOKEN \
  "AstraCS:ABCDEFGHIJKLMNOPQRSTUVWX:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static GString *captured;
static guint n_captured;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  /* Every field, not only MESSAGE: a secret in any of them would reach the journal. */
  for (gsize i = 0; i < n_fields; i++)
    {
      g_string_append (captured, fields[i].key);
      g_string_append_c (captured, '=');
      if (fields[i].length < 0)
        g_string_append (captured, fields[i].value);
      else
        g_string_append_len (captured, fields[i].value, fields[i].length);
      g_string_append_c (captured, '\n');
    }
  n_captured++;

  /* Warnings and worse still go to stderr so that a failing run shows them. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
assert_not_logged (const char *secret,
                   const char *what)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >=, 20);
  if (strstr (captured->str, secret) != NULL)
    g_error ("The %s appears in the log output", what);
}

static void
test_redact_line (void)
{
  const struct {
    const char *line;
    const char *expected;
  } cases[] = {
    { "Authorization: Bearer " UNKNOWN_TOKEN, "Authorization: [redacted]" },
    { "authorization: bearer x", "Authorization: [redacted]" },
    { "  Proxy-Authorization: Basic abc", "Proxy-Authorization: [redacted]" },
    { "Cookie: session=1", "Cookie: [redacted]" },
    { "X-Echo: " UNKNOWN_TOKEN " end", "X-Echo: AstraCS:[redacted] end" },
    { "GET /v2/clientIdSecrets HTTP/1.1", "GET /v2/clientIdSecrets HTTP/1.1" },
    { "Accept: application/json", "Accept: application/json" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = astra_http_log_redact_line (cases[i].line);

      g_assert_cmpstr (redacted, ==, cases[i].expected);
    }
}

static void
test_full_exchange (void)
{
  g_autoptr(AstraSimServer) sim = astra_sim_server_new ();
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(AstraClient) stranger = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraOrganization) org = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(AstraGeneratedToken) generated = NULL;
  g_autofree char *management = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *new_hash = NULL;
  g_autofree char *management_hash = NULL;
  const char *role_ids[2] = { NULL, NULL };

  astra_sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);
  management = g_strdup (astra_sim_server_get_admin_token (sim));
  client = astra_client_new (astra_sim_server_get_base_url (sim), management, &error);
  g_assert_no_error (error);

  astra_client_get_current_org_async (client, NULL, astra_test_store_result_cb, &result);
  org = astra_client_get_current_org_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  astra_client_list_roles_async (client, NULL, astra_test_store_result_cb, &result);
  roles = astra_client_list_roles_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  for (guint i = 0; i < g_list_model_get_n_items (roles) && role_ids[0] == NULL; i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (roles, i);

      if (g_str_equal (astra_role_get_name (role), "R/W Svc Acct"))
        role_ids[0] = g_intern_string (astra_role_get_id (role));
    }
  g_assert_nonnull (role_ids[0]);

  astra_client_create_token_async (client, role_ids, "redaction check", NULL, NULL,
                                   astra_test_store_result_cb, &result);
  generated = astra_client_create_token_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  secret = g_strdup (astra_generated_token_get_secret (generated));
  new_token = g_strdup (astra_generated_token_get_token (generated));

  astra_client_list_tokens_async (client, NULL, astra_test_store_result_cb, &result);
  tokens = astra_client_list_tokens_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  /* The new token is used once as a bearer itself, then revoked. */
  {
    g_autoptr(AstraClient) second = astra_client_new (astra_sim_server_get_base_url (sim),
                                                      new_token, &error);
    g_autoptr(GListModel) ignored = NULL;

    g_assert_no_error (error);
    astra_client_list_roles_async (second, NULL, astra_test_store_result_cb, &result);
    ignored = astra_client_list_roles_finish (second, wait_for_result (&result), &error);
    g_clear_error (&error);
    g_clear_object (&result);
  }

  astra_client_revoke_token_async (client, astra_generated_token_get_client_id (generated),
                                   NULL, astra_test_store_result_cb, &result);
  g_assert_true (astra_client_revoke_token_finish (client, wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* A refused request logs too. */
  stranger = astra_client_new (astra_sim_server_get_base_url (sim), UNKNOWN_TOKEN, &error);
  g_assert_no_error (error);
  astra_client_list_tokens_async (stranger, NULL, astra_test_store_result_cb, &result);
  g_clear_object (&tokens);
  tokens = astra_client_list_tokens_finish (stranger, wait_for_result (&result), &error);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  astra_sim_server_disconnect (sim);

  /* Something was logged, headers included, so the absence below means something. */
  g_assert_cmpuint (n_captured, >, 10);
  g_assert_nonnull (strstr (captured->str, "POST /v2/clientIdSecrets"));
  g_assert_nonnull (strstr (captured->str, "Authorization: [redacted]"));

  new_hash = g_strdup (strrchr (new_token, ':') + 1);
  management_hash = g_strdup (strrchr (management, ':') + 1);
  assert_not_logged (management, "management token");
  assert_not_logged (management_hash, "management token's hash");
  assert_not_logged (secret, "new client secret");
  assert_not_logged (new_token, "new token");
  assert_not_logged (new_hash, "new token's hash");
  assert_not_logged (UNKNOWN_TOKEN, "refused token");
  g_assert_null (strstr (captured->str, "Bearer AstraCS"));
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything can log, so that GLib reads them on first use. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("ASTRA_TOKENS_DEBUG_HTTP", "1", TRUE);
  captured = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/redaction/redact-line", test_redact_line);
  g_test_add_func ("/redaction/full-exchange", test_full_exchange);

  return g_test_run ();
}

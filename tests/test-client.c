/* test-client.c: the real AstraClient over loopback — against the simulator for every
 * endpoint and error class, and against small hand-made servers for wire-level abuse
 * (oversized bodies, silence, refused connections)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "astra-client-private.h"
#include "astra-client.h"
#include "astra-database.h"
#include "astra-generated-token.h"
#include "astra-json.h"
#include "astra-organization.h"
#include "astra-role.h"
#include "astra-token-format.h"
#include "astra-token.h"
#include "astra-user.h"

/* A well-formed token that no server knows. */
#define UNKNOWN_TOKEN \
  "AstraCS:ABCDEFGHIJKLMNOPQRSTUVWX:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

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
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static AstraClient *
new_client (const char *base_url,
            const char *token)
{
  g_autoptr(GError) error = NULL;
  AstraClient *client = astra_client_new (base_url, token, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  /* Small delays keep retry tests quick; the logic is the same. */
  astra_client_set_retry_policy (client, 4, 5, 40);
  return client;
}

static AstraOrganization *
get_current_org (AstraClient  *client,
                 GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_client_get_current_org_async (client, NULL, on_result_cb, &result);
  return astra_client_get_current_org_finish (client, wait_for_result (&result), error);
}

static GListModel *
list_tokens (AstraClient  *client,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_client_list_tokens_async (client, NULL, on_result_cb, &result);
  return astra_client_list_tokens_finish (client, wait_for_result (&result), error);
}

/* }}} */
/* Base URL and token checks (nothing is sent) {{{ */

static void
test_base_url (void)
{
  const char *good[] = {
    "https://api.astra.datastax.com/v2",
    "https://api.dev.cloud.datastax.com/v2/",
    "http://127.0.0.1:8080/v2",
    "http://127.10.20.30/v2",
    "http://localhost:1234/v2",
    "http://LOCALHOST/v2",
    "http://[::1]:9000/v2",
  };
  const char *bad[] = {
    "http://example.com/v2",
    "http://api.astra.datastax.com/v2",
    "http://10.0.0.1/v2",
    "http://128.0.0.1/v2",
    "http://[::2]/v2",
    "http://localhost.example.com/v2",
    "ftp://127.0.0.1/v2",
    "api.astra.datastax.com/v2",
    "https://",
    "https://user:pass@api.astra.datastax.com/v2",
    "https://api.astra.datastax.com/v2?token=x",
    "",
    "not a url at all",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (astra_client_check_base_url (good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (astra_client_check_base_url (bad[i], &error));
      g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL);
      g_assert_cmpstr (error->message, !=, "");
    }
  g_assert_false (astra_client_check_base_url (NULL, NULL));
}

static void
test_new_checks (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) format_error = NULL;
  g_autoptr(AstraClient) client = NULL;
  const char *short_token = "AstraCS:abc";

  /* The token is checked first, with the format's own explanation. */
  client = astra_client_new ("https://api.astra.datastax.com/v2", short_token, &error);
  g_assert_null (client);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_TOKEN);
  g_assert_false (astra_token_format_validate (short_token, &format_error));
  g_assert_nonnull (strstr (error->message, format_error->message));
  g_clear_error (&error);

  client = astra_client_new ("https://api.astra.datastax.com/v2", "ClientSecretNotAToken", &error);
  g_assert_null (client);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_TOKEN);
  g_assert_null (strstr (error->message, "ClientSecretNotAToken"));
  g_clear_error (&error);

  client = astra_client_new ("https://api.astra.datastax.com/v2", NULL, &error);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_TOKEN);
  g_clear_error (&error);

  /* Plain HTTP to another host is refused before any connection exists. */
  client = astra_client_new ("http://example.com/v2", UNKNOWN_TOKEN, &error);
  g_assert_null (client);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (error->message, "example.com"));
  g_assert_null (strstr (error->message, UNKNOWN_TOKEN));
  g_clear_error (&error);

  client = astra_client_new ("https://api.astra.datastax.com/v2/", UNKNOWN_TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (astra_client_get_base_url (client), ==, "https://api.astra.datastax.com/v2");
}

static void
test_detect_refuses_before_sending (void)
{
  const char *urls[] = { "http://example.com/v2", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraOrganization) org = NULL;

  /* A network attempt would end in NETWORK (only loopback is reachable); INVALID_URL shows
   * that the check came first. */
  astra_client_detect_environment_async (UNKNOWN_TOKEN, urls, NULL, on_result_cb, &result);
  org = astra_client_detect_environment_finish (wait_for_result (&result), NULL, &error);
  g_assert_null (org);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL);
  g_clear_object (&result);
  g_clear_error (&error);

  astra_client_detect_environment_async ("AstraCS:nope", urls, NULL, on_result_cb, &result);
  org = astra_client_detect_environment_finish (wait_for_result (&result), NULL, &error);
  g_assert_null (org);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_TOKEN);
}

/* }}} */
/* Error mapping (no server) {{{ */

static void
test_api_message (void)
{
  const struct {
    const char *body;
    const char *expected;
  } cases[] = {
    { "{\"errors\": [{\"ID\": 340018, \"message\": \"Invalid token\"}]}", "Invalid token" },
    { "{\"errors\": [{\"ID\": 1, \"message\": \"first\"}, {\"ID\": 2}, {\"message\": \"second\"}]}",
      "first; second" },
    { "\"role name already exists\"", "role name already exists" },
    { "  resource must start with drn:astra:org:\n", "resource must start with drn:astra:org:" },
    { "line one\r\n\tline\x01 two\x7f", "line one line two" },
    { "{\"message\": \"from message\"}", "from message" },
    { "{\"unexpected\": true}", "{\"unexpected\": true}" },
    { "Bearer AstraCS:ABCDEFGHIJKLMNOPQRSTUVWX:0123456789abcdef was rejected",
      "Bearer AstraCS:[redacted] was rejected" },
    { "bad \xff\xfe bytes", "bad \xef\xbf\xbd\xef\xbf\xbd bytes" },
  };
  g_autofree char *long_body = g_strnfill (5000, 'x');
  g_autofree char *message = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = astra_client_extract_api_message (cases[i].body, strlen (cases[i].body));

      g_assert_cmpstr (got, ==, cases[i].expected);
    }

  g_assert_null (astra_client_extract_api_message ("", 0));
  g_assert_null (astra_client_extract_api_message (" \n\t ", 4));
  g_assert_null (astra_client_extract_api_message (NULL, 0));

  message = astra_client_extract_api_message (long_body, strlen (long_body));
  g_assert_cmpuint (g_utf8_strlen (message, -1), ==, ASTRA_CLIENT_MAX_API_MESSAGE + 1);
  g_assert_true (g_str_has_suffix (message, "…"));
}

static void
test_status_mapping (void)
{
  const struct {
    guint status;
    AstraClientError code;
  } cases[] = {
    { 400, ASTRA_CLIENT_ERROR_BAD_REQUEST },
    { 422, ASTRA_CLIENT_ERROR_BAD_REQUEST },
    { 401, ASTRA_CLIENT_ERROR_UNAUTHORIZED },
    { 403, ASTRA_CLIENT_ERROR_FORBIDDEN },
    { 404, ASTRA_CLIENT_ERROR_NOT_FOUND },
    { 409, ASTRA_CLIENT_ERROR_CONFLICT },
    { 429, ASTRA_CLIENT_ERROR_RATE_LIMITED },
    { 500, ASTRA_CLIENT_ERROR_SERVER_ERROR },
    { 503, ASTRA_CLIENT_ERROR_SERVER_ERROR },
    { 302, ASTRA_CLIENT_ERROR_BAD_RESPONSE },
    { 418, ASTRA_CLIENT_ERROR_BAD_RESPONSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = astra_client_error_from_status (cases[i].status, "org-read", "API text");

      g_assert_error (error, ASTRA_CLIENT_ERROR, (gint) cases[i].code);
      g_assert_nonnull (strstr (error->message, "API text"));
    }

  {
    g_autoptr(GError) error = astra_client_error_from_status (401, NULL, NULL);

    g_assert_cmpstr (error->message, ==,
                     "The token is invalid, revoked, or belongs to another environment.");
  }
  {
    g_autoptr(GError) error = astra_client_error_from_status (403, "org-token-read", "nope");

    g_assert_nonnull (strstr (error->message, "org-token-read"));
    g_assert_nonnull (strstr (error->message, "nope"));
  }
}

static void
test_transport_mapping (void)
{
  const struct {
    GQuark domain;
    gint code;
    AstraClientError expected;
  } cases[] = {
    { 0, G_IO_ERROR_TIMED_OUT, ASTRA_CLIENT_ERROR_TIMEOUT },
    { 0, G_IO_ERROR_CONNECTION_REFUSED, ASTRA_CLIENT_ERROR_NETWORK },
    { 0, G_IO_ERROR_HOST_UNREACHABLE, ASTRA_CLIENT_ERROR_NETWORK },
    { 0, G_IO_ERROR_NETWORK_UNREACHABLE, ASTRA_CLIENT_ERROR_NETWORK },
    { 0, G_IO_ERROR_CONNECTION_CLOSED, ASTRA_CLIENT_ERROR_NETWORK },
    { 0, G_IO_ERROR_PARTIAL_INPUT, ASTRA_CLIENT_ERROR_NETWORK },
    { 1, G_RESOLVER_ERROR_NOT_FOUND, ASTRA_CLIENT_ERROR_NETWORK },
    { 2, G_TLS_ERROR_BAD_CERTIFICATE, ASTRA_CLIENT_ERROR_TLS },
    { 2, G_TLS_ERROR_HANDSHAKE, ASTRA_CLIENT_ERROR_TLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GQuark domain = cases[i].domain == 0 ? G_IO_ERROR
                    : cases[i].domain == 1 ? G_RESOLVER_ERROR : G_TLS_ERROR;
      g_autoptr(GError) cause = g_error_new_literal (domain, cases[i].code, "cause");
      g_autoptr(GError) error = astra_client_error_from_transport (cause, "api.example:443");

      g_assert_error (error, ASTRA_CLIENT_ERROR, (gint) cases[i].expected);
      g_assert_nonnull (strstr (error->message, "api.example"));
    }
}

static void
test_retry_delay (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) future = g_date_time_add_seconds (now, 30);
  g_autoptr(GDateTime) past = g_date_time_add_seconds (now, -30);
  g_autofree char *future_text = soup_date_time_to_string (future, SOUP_DATE_HTTP);
  g_autofree char *past_text = soup_date_time_to_string (past, SOUP_DATE_HTTP);
  guint delay;

  /* Exponential without Retry-After, capped. */
  g_assert_cmpuint (astra_client_compute_retry_delay (NULL, 1, 500, 8000), ==, 500);
  g_assert_cmpuint (astra_client_compute_retry_delay (NULL, 2, 500, 8000), ==, 1000);
  g_assert_cmpuint (astra_client_compute_retry_delay (NULL, 3, 500, 8000), ==, 2000);
  g_assert_cmpuint (astra_client_compute_retry_delay (NULL, 10, 500, 8000), ==, 8000);
  g_assert_cmpuint (astra_client_compute_retry_delay (NULL, 200, 500, 8000), ==, 8000);
  g_assert_cmpuint (astra_client_compute_retry_delay ("garbage", 1, 500, 8000), ==, 500);

  /* Retry-After in seconds, honoured up to the cap. */
  g_assert_cmpuint (astra_client_compute_retry_delay ("2", 1, 500, 8000), ==, 2000);
  g_assert_cmpuint (astra_client_compute_retry_delay (" 0 ", 3, 500, 8000), ==, 0);
  g_assert_cmpuint (astra_client_compute_retry_delay ("120", 1, 500, 8000), ==, 8000);
  g_assert_cmpuint (astra_client_compute_retry_delay ("99999999999999", 1, 500, 8000), ==, 500);

  /* Retry-After as an HTTP date. */
  delay = astra_client_compute_retry_delay (future_text, 1, 500, 60000);
  g_assert_cmpuint (delay, >, 20000);
  g_assert_cmpuint (delay, <=, 30000);
  g_assert_cmpuint (astra_client_compute_retry_delay (future_text, 1, 500, 8000), ==, 8000);
  g_assert_cmpuint (astra_client_compute_retry_delay (past_text, 1, 500, 8000), ==, 0);
}

/* }}} */
/* Hand-made servers: silence, refusal, oversized bodies {{{ */

static guint16
closed_loopback_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
test_connection_refused (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v2", closed_loopback_port ());
  g_autoptr(AstraClient) client = new_client (url, UNKNOWN_TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraOrganization) org = get_current_org (client, &error);

  g_assert_null (org);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static void
test_timeout_silent_server (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(AstraOrganization) org = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  /* Listening without ever accepting: the kernel completes the handshake, nobody answers. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/v2",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  client = new_client (url, UNKNOWN_TOKEN);
  astra_client_set_timeout (client, 1);
  org = get_current_org (client, &error);
  g_assert_null (org);
  g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TIMEOUT);
}

typedef enum
{
  BODY_CONTENT_LENGTH,
  BODY_CHUNKED,
  BODY_EMPTY,
} BodyKind;

static void
huge_body_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  BodyKind kind = GPOINTER_TO_UINT (user_data);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize total = ASTRA_JSON_MAX_SIZE + 1024 * 1024;
  gsize chunk_size = 1024 * 1024;

  soup_server_message_set_status (msg, 200, NULL);
  if (kind == BODY_EMPTY)
    {
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      return;
    }

  soup_message_headers_set_encoding (headers, kind == BODY_CHUNKED ? SOUP_ENCODING_CHUNKED
                                                                   : SOUP_ENCODING_CONTENT_LENGTH);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "[\"", 2);
  for (gsize sent = 2; sent < total; sent += chunk_size)
    soup_message_body_append_take (body, (guchar *) g_strnfill (chunk_size, 'a'), chunk_size);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "\"]", 2);
  if (kind == BODY_CHUNKED)
    soup_message_body_complete (body);
}

static void
test_oversized_bodies (void)
{
  const BodyKind kinds[] = { BODY_CONTENT_LENGTH, BODY_CHUNKED, BODY_EMPTY };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraClient) client = NULL;
      g_autoptr(GListModel) tokens = NULL;
      g_autofree char *url = NULL;
      GSList *uris;

      soup_server_add_handler (server, "/v2", huge_body_handler, GUINT_TO_POINTER (kinds[i]), NULL);
      soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
      g_assert_no_error (error);
      uris = soup_server_get_uris (server);
      url = g_strdup_printf ("http://127.0.0.1:%d/v2", g_uri_get_port (uris->data));
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

      client = new_client (url, UNKNOWN_TOKEN);
      tokens = list_tokens (client, &error);
      g_assert_null (tokens);
      g_assert_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE);
      if (kinds[i] == BODY_EMPTY)
        g_assert_nonnull (strstr (error->message, "empty"));
      else
        g_assert_nonnull (strstr (error->message, "MiB"));
    }
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/check/base-url", test_base_url);
  g_test_add_func ("/client/check/new", test_new_checks);
  g_test_add_func ("/client/check/detect-refuses-before-sending", test_detect_refuses_before_sending);
  g_test_add_func ("/client/errors/api-message", test_api_message);
  g_test_add_func ("/client/errors/status", test_status_mapping);
  g_test_add_func ("/client/errors/transport", test_transport_mapping);
  g_test_add_func ("/client/retry/delay", test_retry_delay);
  g_test_add_func ("/client/wire/connection-refused", test_connection_refused);
  g_test_add_func ("/client/wire/timeout", test_timeout_silent_server);
  g_test_add_func ("/client/wire/oversized-bodies", test_oversized_bodies);

  return g_test_run ();
}

/* sim-test-http.h: synchronous-looking HTTP calls for the simulator's tests
 *
 * Each call runs the thread-default main context until soup_session_send_and_read_async()
 * finishes, so an in-process AstraSimServer in the same context keeps serving meanwhile.
 * Header-only (static functions) so that each test program just includes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

typedef struct
{
  guint               status;
  GBytes             *body;
  char               *content_type;
  char               *reason;         /* the status line's reason phrase */
  SoupMessageHeaders *headers;
  GError             *error;          /* transport error (dropped connection, …) */
  JsonNode           *json;           /* parsed body when it is JSON, else NULL */
  char               *text;           /* the body, NUL-terminated */
  gboolean            done;
} SimResponse;

G_GNUC_UNUSED static void sim_response_free (SimResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimResponse, sim_response_free)

G_GNUC_UNUSED static void
sim_response_free (SimResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_error (&response->error);
  g_free (response->content_type);
  g_free (response->reason);
  g_free (response->text);
  g_free (response);
}

G_GNUC_UNUSED static void
on_send_and_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SimResponse *response = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  response->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                      &response->error);
  if (msg != NULL && response->error == NULL)
    {
      const char *type;

      response->status = soup_message_get_status (msg);
      response->reason = g_strdup (soup_message_get_reason_phrase (msg));
      response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
      type = soup_message_headers_get_content_type (response->headers, NULL);
      response->content_type = g_strdup (type);
      if (response->body != NULL)
        response->text = g_strndup (g_bytes_get_data (response->body, NULL),
                                    g_bytes_get_size (response->body));
      if (type != NULL && g_str_equal (type, "application/json") && response->body != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          gsize length;
          const char *data = g_bytes_get_data (response->body, &length);

          if (json_parser_load_from_data (parser, data, length, NULL) &&
              json_parser_get_root (parser) != NULL)
            response->json = json_node_copy (json_parser_get_root (parser));
        }
    }
  response->done = TRUE;
}

/* Starts a request with a raw Authorization header value (or none); finish it with
 * sim_http_wait(). */
G_GNUC_UNUSED static SimResponse *
sim_http_start_full (SoupSession *session,
                     const char  *method,
                     const char  *url,
                     const char  *authorization,
                     const char  *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SimResponse *response = g_new0 (SimResponse, 1);

  g_assert_nonnull (msg);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  authorization);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_send_and_read_cb, response);
  return response;
}

/* Same with "Bearer @token" (or no header when @token is NULL). */
G_GNUC_UNUSED static SimResponse *
sim_http_start (SoupSession *session,
                const char  *method,
                const char  *url,
                const char  *token,
                const char  *body)
{
  g_autofree char *authorization = token ? g_strdup_printf ("Bearer %s", token) : NULL;

  return sim_http_start_full (session, method, url, authorization, body);
}

G_GNUC_UNUSED static void
sim_http_wait (SimResponse *response)
{
  while (!response->done)
    g_main_context_iteration (NULL, TRUE);
}

G_GNUC_UNUSED static SimResponse *
sim_http (SoupSession *session,
          const char  *method,
          const char  *url,
          const char  *token,
          const char  *body)
{
  SimResponse *response = sim_http_start (session, method, url, token, body);

  sim_http_wait (response);
  return response;
}

G_GNUC_UNUSED static const char *
sim_response_text (SimResponse *response)
{
  return response->text != NULL ? response->text : "";
}

G_GNUC_UNUSED static gboolean
sim_response_is_json (SimResponse *response)
{
  return g_strcmp0 (response->content_type, "application/json") == 0;
}

G_GNUC_UNUSED static gboolean
sim_response_is_text (SimResponse *response)
{
  return g_strcmp0 (response->content_type, "text/plain") == 0;
}

G_GNUC_UNUSED static JsonObject *
sim_response_object (SimResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

G_GNUC_UNUSED static JsonArray *
sim_response_array (SimResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (response->json));
  return json_node_get_array (response->json);
}

G_GNUC_UNUSED static const char *
sim_response_error_message (SimResponse *response)
{
  JsonObject *object;
  JsonArray *errors;
  JsonObject *first;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  object = json_node_get_object (response->json);
  if (!json_object_has_member (object, "errors"))
    return NULL;
  errors = json_object_get_array_member (object, "errors");
  if (errors == NULL || json_array_get_length (errors) < 1)
    return NULL;
  first = json_array_get_object_element (errors, 0);
  if (first == NULL || !json_object_has_member (first, "ID") ||
      json_node_get_value_type (json_object_get_member (first, "ID")) != G_TYPE_INT64 ||
      !json_object_has_member (first, "message"))
    return NULL;
  return json_object_get_string_member (first, "message");
}

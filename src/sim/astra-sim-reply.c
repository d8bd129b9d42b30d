/* astra-sim-reply.c: answers and request bodies, with the real API's two error styles
 *
 * Most endpoints answer errors with the documented {"errors":[{"ID":…,"message":…}]} body;
 * role create/get/update/delete and token creation answer with a bare text/plain string
 * (astra-api.md §2.10), which is what made terraform fail on "cannot unmarshal string".
 * The "ID" of a JSON error is the HTTP status: the real numeric codes are not documented.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include <string.h>

#include "astra-json.h"
#include "astra-sim-private.h"
#include "astra-sim-wire-private.h"

#define JSON_TYPE "application/json"
#define TEXT_TYPE "text/plain; charset=utf-8"

/* libsoup 3.2 has no name for 429 and would send "429 Unknown Error". */
static const char *
reason_phrase (guint status)
{
  if (status == 429)
    return "Too Many Requests";
  return NULL;
}

static void
set_body (SoupServerMessage *msg,
          guint              status,
          const char        *content_type,
          char              *body)
{
  gsize length = strlen (body);

  soup_server_message_set_status (msg, status, reason_phrase (status));
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, length);
}

void
astra_sim_message_set_json_error (SoupServerMessage *msg,
                                  guint              status,
                                  const char        *message)
{
  g_autoptr(JsonNode) node = astra_sim_wire_errors (status, message);

  set_body (msg, status, JSON_TYPE, astra_json_to_string (node));
}

void
astra_sim_reply_json (AstraSimRequest *request,
                      guint            status,
                      JsonNode        *node)
{
  g_autoptr(JsonNode) owned = node;

  set_body (request->msg, status, JSON_TYPE, astra_json_to_string (owned));
}

void
astra_sim_reply_json_text (AstraSimRequest *request,
                           guint            status,
                           char            *body)
{
  set_body (request->msg, status, JSON_TYPE, body);
}

void
astra_sim_reply_empty (AstraSimRequest *request,
                       guint            status)
{
  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

void
astra_sim_reply_error (AstraSimRequest *request,
                       guint            status,
                       const char      *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                  "WWW-Authenticate", "Bearer");

  if (request->text_errors && status != SOUP_STATUS_UNAUTHORIZED)
    set_body (request->msg, status, TEXT_TYPE, g_steal_pointer (&message));
  else
    astra_sim_message_set_json_error (request->msg, status, message);
}

JsonObject *
astra_sim_request_parse_object (AstraSimRequest  *request,
                                JsonNode        **root)
{
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (body == NULL || body->length == 0)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST, "request body is required");
      return NULL;
    }
  if (body->length > ASTRA_SIM_MAX_BODY)
    {
      astra_sim_reply_error (request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                             "request body is larger than %u bytes", ASTRA_SIM_MAX_BODY);
      return NULL;
    }

  bytes = soup_message_body_flatten (body);
  node = astra_json_parse_bytes (bytes, &error);
  if (node == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST, "invalid JSON body: %s",
                             error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "invalid JSON body: an object was expected");
      return NULL;
    }

  *root = g_steal_pointer (&node);
  return json_node_get_object (*root);
}

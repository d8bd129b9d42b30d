/* astra-client-request.c: sending one API request, with retries, bounded reads and
 * error mapping
 *
 * One logical request is a GTask whose data is a Request. Each try ("attempt") builds a
 * fresh SoupMessage, sends it with soup_session_send_async() and reads the body from the
 * stream in chunks, so a hostile body is refused at ASTRA_JSON_MAX_SIZE instead of being
 * buffered whole. A per-attempt timer bounds the total time of a try (libsoup's own timeout
 * only bounds each socket operation, so a server trickling bytes would never time out).
 *
 * GET, PUT and DELETE are retried on 429/502/503/504; the wait honours Retry-After and
 * ends at once when the caller cancels. POST is never retried: if the answer to a token
 * creation is lost, sending it again would create a second token.
 *
 * Logging: g_debug() gets the method, the path (never the query), the status and the
 * duration — never headers or bodies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-client-private.h"
#include "astra-http-log.h"
#include "astra-json.h"

#define READ_CHUNK_SIZE (64 * 1024)

typedef struct
{
  AstraClient       *client;
  const char        *method;       /* static string */
  char              *path;
  char              *uri;
  char              *host;
  GBytes            *body;
  char              *permission;
  AstraRequestFlags  flags;

  guint              attempt;
  gint64             started_at;
  SoupMessage       *message;
  GInputStream      *stream;
  GByteArray        *buffer;
  guint8            *chunk;
  GCancellable      *attempt_cancellable;
  gulong             cancelled_id;
  GSource           *timeout_source;
  gboolean           timed_out;
  gboolean           sent;         /* the whole request reached the connection */

  /* A 2xx body larger than the cap goes to the sink, if there is one. */
  AstraBodySink      sink;
  gboolean           streaming;    /* this attempt's body is going to the sink */

  GSource           *wait_source;
  GSource           *wait_cancel_source;
} Request;

static void start_attempt (GTask *task);

/* Request lifetime {{{ */

static void
wipe_buffer (GByteArray *buffer)
{
  /* Response bodies may hold a new secret (token creation): zero them before freeing. */
  if (buffer->len > 0)
    explicit_bzero (buffer->data, buffer->len);
  g_byte_array_unref (buffer);
}

static void
clear_wait (Request *request)
{
  if (request->wait_source != NULL)
    {
      g_source_destroy (request->wait_source);
      g_clear_pointer (&request->wait_source, g_source_unref);
    }
  if (request->wait_cancel_source != NULL)
    {
      g_source_destroy (request->wait_cancel_source);
      g_clear_pointer (&request->wait_cancel_source, g_source_unref);
    }
}

/* The whole request is on the wire: from now on the server may carry it out. */
static void
on_wrote_body_cb (SoupMessage *message,
                  gpointer     user_data)
{
  Request *request = user_data;

  request->sent = TRUE;
}

static void
clear_attempt (Request      *request,
               GCancellable *cancellable)
{
  if (request->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, request->cancelled_id);
      request->cancelled_id = 0;
    }
  if (request->timeout_source != NULL)
    {
      g_source_destroy (request->timeout_source);
      g_clear_pointer (&request->timeout_source, g_source_unref);
    }
  g_clear_object (&request->attempt_cancellable);
  if (request->stream != NULL && !g_input_stream_is_closed (request->stream))
    {
      /* Closing before the end of the body makes libsoup drop the connection instead of
       * reading the rest of a refused answer. */
      g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
    }
  g_clear_object (&request->stream);
  if (request->message != NULL)
    g_signal_handlers_disconnect_by_func (request->message, on_wrote_body_cb, request);
  g_clear_object (&request->message);
  g_clear_pointer (&request->buffer, wipe_buffer);
  request->timed_out = FALSE;
  request->sent = FALSE;
  if (request->streaming)
    request->sink.reset (request->sink.data);
  request->streaming = FALSE;
}

static void
request_free (Request *request)
{
  clear_wait (request);
  /* Any attempt was cleared before the task returned; the cancellable is gone by now. */
  clear_attempt (request, NULL);
  g_clear_object (&request->client);
  g_clear_pointer (&request->path, g_free);
  g_clear_pointer (&request->uri, g_free);
  g_clear_pointer (&request->host, g_free);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->permission, g_free);
  if (request->chunk != NULL)
    explicit_bzero (request->chunk, READ_CHUNK_SIZE);
  g_clear_pointer (&request->chunk, g_free);
  g_free (request);
}

static gboolean
is_retried_method (const char *method)
{
  return g_str_equal (method, "GET") || g_str_equal (method, "PUT") ||
         g_str_equal (method, "DELETE");
}

static gboolean
is_retried_status (guint status)
{
  return status == 429 || status == 502 || status == 503 || status == 504;
}

/* }}} */
/* Finishing {{{ */

static void
return_error (GTask  *task,
              GError *error)
{
  Request *request = g_task_get_task_data (task);

  clear_attempt (request, g_task_get_cancellable (task));
  g_task_return_error (task, error);
}

static void
return_transport_error (GTask        *task,
                        const GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (request->timed_out)
        {
          guint timeout = astra_client_get_timeout (request->client);

          g_debug ("%s %s timed out", request->method, request->path);
          return_error (task, g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TIMEOUT,
                                           ngettext ("The Astra API did not answer within %u second.",
                                                     "The Astra API did not answer within %u seconds.",
                                                     timeout),
                                           timeout));
        }
      else
        {
          /* Cancellation is the caller's decision, not a failure: pass it on unchanged. */
          return_error (task, g_error_copy (error));
        }
      return;
    }

  g_debug ("%s %s failed: %s", request->method, request->path, error->message);

  /* The server had the whole request when the connection broke: a POST may have been
   * carried out (a token created) with only its answer lost. "Could not reach" would be
   * wrong, and trying again blindly could do it twice. (An answer that came but could not
   * be parsed stays BAD_RESPONSE, a timeout TIMEOUT.) */
  if (request->sent && !is_retried_method (request->method) && error->domain == G_IO_ERROR &&
      error->code != G_IO_ERROR_TIMED_OUT)
    {
      return_error (task, g_error_new_literal (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_ANSWER_LOST,
                                               _("The connection was lost before Astra answered. "
                                                 "The change may have been made: refresh before "
                                                 "trying again.")));
      return;
    }

  return_error (task, astra_client_error_from_transport (error, request->host));
}

GError *
astra_client_error_from_json (const GError *json_error)
{
  if (g_error_matches (json_error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_EMPTY))
    return g_error_new_literal (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                                _("The Astra API sent an empty answer where data was expected."));

  return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                      _("The Astra API sent an answer that could not be read. %s"),
                      json_error->message);
}

static void
finish_success (GTask   *task,
                Request *request)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = NULL;

  if (request->flags & ASTRA_REQUEST_EXPECT_JSON)
    {
      root = astra_json_parse ((const char *) request->buffer->data, request->buffer->len,
                               &error);
      if (root == NULL)
        {
          return_error (task, astra_client_error_from_json (error));
          return;
        }
    }

  if (request->streaming)
    {
      /* The sink has the body; the caller finishes it. */
      request->streaming = FALSE;
      clear_attempt (request, g_task_get_cancellable (task));
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  if (request->flags & ASTRA_REQUEST_RAW_BODY)
    {
      GByteArray *buffer = g_steal_pointer (&request->buffer);
      GBytes *body = g_bytes_new_with_free_func (buffer->data, buffer->len,
                                                 (GDestroyNotify) wipe_buffer, buffer);

      clear_attempt (request, g_task_get_cancellable (task));
      g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
      return;
    }

  clear_attempt (request, g_task_get_cancellable (task));
  g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

static void
finish_http_error (GTask   *task,
                   Request *request,
                   guint    status)
{
  g_autofree char *api_message = NULL;

  api_message = astra_client_extract_api_message ((const char *) request->buffer->data,
                                                  request->buffer->len);
  return_error (task, astra_client_error_from_status (status, request->permission, api_message));
}

/* }}} */
/* Retry wait {{{ */

static gboolean
on_wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_object_ref (task);
  clear_wait (request);
  start_attempt (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_object_ref (task);
  clear_wait (request);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
schedule_retry (GTask   *task,
                Request *request,
                guint    delay_ms)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);

  request->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_name (request->wait_source, "[astra] retry wait");
  g_source_set_callback (request->wait_source, on_wait_done_cb,
                         g_object_ref (task), g_object_unref);
  g_source_attach (request->wait_source, context);

  /* Cancelling during the wait returns at once, not after the delay. */
  if (cancellable != NULL)
    {
      request->wait_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (request->wait_cancel_source, context);
    }
}

/* }}} */
/* Response {{{ */

static void
handle_response (GTask   *task,
                 Request *request)
{
  SoupMessage *message = request->message;
  guint status = soup_message_get_status (message);
  guint max_attempts, base_delay_ms, max_delay_ms;

  g_debug ("%s %s -> %u (%" G_GINT64_FORMAT " ms, attempt %u)",
           request->method, request->path, status,
           (g_get_monotonic_time () - request->started_at) / 1000, request->attempt);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      finish_success (task, request);
      return;
    }

  astra_client_get_retry_policy (request->client, &max_attempts, &base_delay_ms, &max_delay_ms);
  if (is_retried_status (status) && is_retried_method (request->method) &&
      request->attempt < max_attempts)
    {
      const char *retry_after =
        soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
      guint delay_ms = astra_client_compute_retry_delay (retry_after, request->attempt,
                                                         base_delay_ms, max_delay_ms);

      g_debug ("%s %s: retrying in %u ms (attempt %u of %u%s)",
               request->method, request->path, delay_ms, request->attempt + 1, max_attempts,
               retry_after != NULL ? ", Retry-After" : "");
      clear_attempt (request, g_task_get_cancellable (task));
      schedule_retry (task, request, delay_ms);
      return;
    }

  finish_http_error (task, request, status);
}

/* Only a success is read by the caller's sink: an error body is only ever quoted, and
 * the cap keeps it small. */
static gboolean
can_stream (Request *request)
{
  return request->sink.feed != NULL &&
         SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (request->message));
}

/* Hands the sink what was buffered (the first time) and the chunk just read. */
static gboolean
feed_sink (Request  *request,
           gssize    size,
           GError  **error)
{
  if (!request->streaming)
    {
      g_debug ("%s %s: body larger than %d bytes, read as it arrives",
               request->method, request->path, ASTRA_JSON_MAX_SIZE);
      request->streaming = TRUE;
      if (!request->sink.feed (request->sink.data, (const char *) request->buffer->data,
                               request->buffer->len, error))
        return FALSE;
      explicit_bzero (request->buffer->data, request->buffer->len);
      g_byte_array_set_size (request->buffer, 0);
    }
  return request->sink.feed (request->sink.data, (const char *) request->chunk, size, error);
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize size;

  size = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (size < 0)
    {
      return_transport_error (task, error);
      return;
    }

  if (size == 0)
    {
      handle_response (task, request);
      return;
    }

  if (request->streaming || (request->buffer->len + (gsize) size > ASTRA_JSON_MAX_SIZE &&
                               can_stream (request)))
    {
      if (!feed_sink (request, size, &error))
        {
          return_error (task, astra_client_error_from_json (error));
          return;
        }
    }
  else if (request->buffer->len + (gsize) size > ASTRA_JSON_MAX_SIZE)
    {
      g_debug ("%s %s: body larger than %d bytes, refused",
               request->method, request->path, ASTRA_JSON_MAX_SIZE);
      return_error (task, g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                                       _("The Astra API sent an answer larger than %d MiB, which is refused."),
                                       ASTRA_JSON_MAX_SIZE / (1024 * 1024)));
      return;
    }

  else
    g_byte_array_append (request->buffer, request->chunk, size);

  g_input_stream_read_async (request->stream, request->chunk, READ_CHUNK_SIZE,
                             G_PRIORITY_DEFAULT, request->attempt_cancellable, on_read_cb,
                             g_steal_pointer (&task));
}

static void
on_sent_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  headers = soup_message_get_response_headers (request->message);
  if (!can_stream (request) &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > ASTRA_JSON_MAX_SIZE)
    {
      g_debug ("%s %s: Content-Length %" G_GOFFSET_FORMAT " refused",
               request->method, request->path,
               soup_message_headers_get_content_length (headers));
      return_error (task, g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                                       _("The Astra API sent an answer larger than %d MiB, which is refused."),
                                       ASTRA_JSON_MAX_SIZE / (1024 * 1024)));
      return;
    }

  request->buffer = g_byte_array_new ();
  if (request->chunk == NULL)
    request->chunk = g_malloc (READ_CHUNK_SIZE);
  g_input_stream_read_async (request->stream, request->chunk, READ_CHUNK_SIZE,
                             G_PRIORITY_DEFAULT, request->attempt_cancellable, on_read_cb,
                             g_steal_pointer (&task));
}

/* }}} */
/* Attempts {{{ */

static void
on_caller_cancelled_cb (GCancellable *cancellable,
                        GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

static gboolean
on_attempt_timeout_cb (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->attempt_cancellable);
  g_clear_pointer (&request->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
start_attempt (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  SoupMessageHeaders *headers;

  if (g_task_return_error_if_cancelled (task))
    return;

  request->attempt++;
  request->started_at = g_get_monotonic_time ();
  request->message = soup_message_new (request->method, request->uri);
  g_assert (request->message != NULL);

  /* The API does not redirect; following one could carry the bearer token elsewhere. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Authorization",
                                astra_client_get_authorization (request->client));
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json",
                                              request->body);

  request->attempt_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (cancellable,
                                                   G_CALLBACK (on_caller_cancelled_cb),
                                                   g_object_ref (request->attempt_cancellable),
                                                   g_object_unref);

  /* The source is destroyed in clear_attempt() before the Request goes away. */
  request->timeout_source =
    g_timeout_source_new_seconds (astra_client_get_timeout (request->client));
  g_source_set_name (request->timeout_source, "[astra] request timeout");
  g_source_set_callback (request->timeout_source, on_attempt_timeout_cb, request, NULL);
  g_source_attach (request->timeout_source, g_task_get_context (task));

  /* Disconnected with the message in clear_attempt(), before the Request goes away. */
  g_signal_connect (request->message, "wrote-body", G_CALLBACK (on_wrote_body_cb), request);

  soup_session_send_async (astra_client_get_session (request->client), request->message,
                           G_PRIORITY_DEFAULT, request->attempt_cancellable, on_sent_cb,
                           g_object_ref (task));
}

/* }}} */
/* Error mapping {{{ */

/* Control characters (and invalid UTF-8) from a plain-text body would garble a dialog
 * or a terminal; tokens echoed back must not reach the UI either. */
static char *
sanitize_message (const char *text,
                  gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  g_autofree char *redacted = astra_http_log_redact_tokens (valid);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean pending_space = FALSE;
  guint count = 0;

  for (const char *p = redacted; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || !g_unichar_isprint (c))
        {
          pending_space = out->len > 0;
          continue;
        }

      /* The space waiting to be written counts too, or the cap is exceeded by one. */
      if (count + (pending_space ? 1 : 0) >= ASTRA_CLIENT_MAX_API_MESSAGE)
        {
          g_string_append (out, "…");
          break;
        }

      if (pending_space)
        {
          g_string_append_c (out, ' ');
          count++;
          pending_space = FALSE;
        }
      g_string_append_unichar (out, c);
      count++;
    }

  if (out->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
join_error_messages (JsonArray *errors)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  guint length = json_array_get_length (errors);

  for (guint i = 0; i < length && joined->len < 4 * ASTRA_CLIENT_MAX_API_MESSAGE; i++)
    {
      JsonNode *element = json_array_get_element (errors, i);
      const char *message = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        message = astra_json_object_get_string (json_node_get_object (element), "message");
      else if (JSON_NODE_HOLDS_VALUE (element) &&
               json_node_get_value_type (element) == G_TYPE_STRING)
        message = json_node_get_string (element);

      if (message == NULL || *message == '\0')
        continue;
      if (joined->len > 0)
        g_string_append (joined, "; ");
      g_string_append (joined, message);
    }

  if (joined->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static gboolean
looks_like_html (const char *body,
                 gsize       length)
{
  gsize start = 0;
  g_autofree char *head = NULL;

  while (start < length && g_ascii_isspace (body[start]))
    start++;
  if (start >= length || body[start] != '<')
    return FALSE;

  head = g_ascii_strdown (body + start, MIN (length - start, 256));
  return g_str_has_prefix (head, "<!doctype html") || g_str_has_prefix (head, "<html") ||
         strstr (head, "<head") != NULL || strstr (head, "<body") != NULL ||
         strstr (head, "<title") != NULL;
}

char *
astra_client_extract_api_message (const char *body,
                                  gsize       length)
{
  g_autoptr(JsonNode) root = NULL;

  if (body == NULL || length == 0)
    return NULL;

  root = astra_json_parse (body, length, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonArray *errors = astra_json_object_get_array (object, "errors");
      const char *message;

      if (errors != NULL)
        {
          g_autofree char *joined = join_error_messages (errors);

          if (joined != NULL)
            return sanitize_message (joined, -1);
        }

      message = astra_json_object_get_string (object, "message");
      if (message == NULL)
        message = astra_json_object_get_string (object, "error");
      if (message != NULL)
        return sanitize_message (message, -1);
    }
  else if (root != NULL && JSON_NODE_HOLDS_VALUE (root) &&
           json_node_get_value_type (root) == G_TYPE_STRING)
    {
      /* Several endpoints answer with a bare JSON string (astra-api.md §2.10). */
      return sanitize_message (json_node_get_string (root), -1);
    }

  /* A web page (a gateway's or a proxy's error page): its markup says nothing to a person
   * and must not reach a label; say what it was. */
  if (looks_like_html (body, length))
    return g_strdup (_("(an HTML page, not an answer of the API)"));

  /* Plain text, or JSON we do not understand: show the body itself. */
  return sanitize_message (body, MIN (length, (gsize) 16 * ASTRA_CLIENT_MAX_API_MESSAGE));
}

static GError *
new_error_with_api_message (AstraClientError  code,
                            const char       *sentence,
                            const char       *api_message)
{
  if (api_message == NULL || *api_message == '\0')
    return g_error_new_literal (ASTRA_CLIENT_ERROR, code, sentence);

  /* Translators: the first %s is a sentence of ours, the second the API's own message */
  return g_error_new (ASTRA_CLIENT_ERROR, code, _("%s The API said: “%s”"), sentence, api_message);
}

GError *
astra_client_error_from_status (guint       status,
                                const char *permission,
                                const char *api_message)
{
  g_autofree char *sentence = NULL;
  AstraClientError code;

  switch (status)
    {
    case 400:
    case 422:
      code = ASTRA_CLIENT_ERROR_BAD_REQUEST;
      sentence = g_strdup (_("The Astra API refused the request as invalid."));
      break;

    case 401:
      code = ASTRA_CLIENT_ERROR_UNAUTHORIZED;
      sentence = g_strdup (_("The token is invalid, revoked, or belongs to another environment."));
      break;

    case 403:
      code = ASTRA_CLIENT_ERROR_FORBIDDEN;
      if (permission != NULL)
        sentence = g_strdup_printf (_("The token’s role does not allow this: it needs the “%s” permission."),
                                    permission);
      else
        sentence = g_strdup (_("The token’s role does not allow this."));
      break;

    case 404:
      code = ASTRA_CLIENT_ERROR_NOT_FOUND;
      sentence = g_strdup (_("The Astra API does not know this item; it may have been deleted meanwhile."));
      break;

    case 409:
      code = ASTRA_CLIENT_ERROR_CONFLICT;
      sentence = g_strdup (_("This conflicts with something that already exists, such as a role with the same name."));
      break;

    case 429:
      code = ASTRA_CLIENT_ERROR_RATE_LIMITED;
      sentence = g_strdup (_("The Astra API is receiving too many requests. Wait a moment and try again."));
      break;

    default:
      if (status >= 500 && status <= 599)
        {
          code = ASTRA_CLIENT_ERROR_SERVER_ERROR;
          sentence = g_strdup_printf (_("The Astra API had a problem on its side (HTTP %u). Try again later."),
                                      status);
        }
      else
        {
          code = ASTRA_CLIENT_ERROR_BAD_RESPONSE;
          sentence = g_strdup_printf (_("The Astra API answered with an unexpected status (HTTP %u)."),
                                      status);
        }
      break;
    }

  return new_error_with_api_message (code, sentence, api_message);
}

GError *
astra_client_error_from_transport (const GError *error,
                                   const char   *host)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TIMEOUT,
                        _("The Astra API at %s did not answer in time."), host);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TLS,
                        _("The secure connection to %s could not be established: %s"),
                        host, error->message);

  if (error->domain == SOUP_SESSION_ERROR &&
      (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING))
    return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                        _("The server at %s did not answer like the Astra API: %s"),
                        host, error->message);

  /* Refused, unreachable, unresolvable, closed mid-answer and the rest: the network. */
  return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_NETWORK,
                      _("Could not reach the Astra API at %s: %s"), host, error->message);
}

guint
astra_client_compute_retry_delay (const char *retry_after,
                                  guint       attempt,
                                  guint       base_delay_ms,
                                  guint       max_delay_ms)
{
  guint64 delay;

  if (retry_after != NULL)
    {
      g_autofree char *value = g_strstrip (g_strdup (retry_after));
      guint64 seconds;

      if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &seconds, NULL))
        return (guint) MIN (seconds * 1000, (guint64) max_delay_ms);

      {
        g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (value);

        if (date != NULL)
          {
            g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
            GTimeSpan span = g_date_time_difference (date, now);

            if (span <= 0)
              return 0;
            return (guint) MIN ((guint64) span / 1000, (guint64) max_delay_ms);
          }
      }
    }

  /* base · 2^(attempt−1), without overflowing for large attempt counts. */
  delay = base_delay_ms;
  for (guint i = 1; i < attempt && delay < max_delay_ms; i++)
    delay *= 2;

  return (guint) MIN (delay, (guint64) max_delay_ms);
}

/* }}} */
/* Public (private) API {{{ */

void
astra_client_send_async (AstraClient         *self,
                         const char          *method,
                         const char          *path,
                         JsonNode            *body,
                         const char          *permission,
                         AstraRequestFlags    flags,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  astra_client_send_with_sink_async (self, method, path, body, permission, flags, NULL,
                                     cancellable, callback, user_data);
}

void
astra_client_send_with_sink_async (AstraClient         *self,
                                   const char          *method,
                                   const char          *path,
                                   JsonNode            *body,
                                   const char          *permission,
                                   AstraRequestFlags    flags,
                                   const AstraBodySink *sink,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  Request *request;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_send_async);
  g_task_set_name (task, "astra_client_send_async");

  request = g_new0 (Request, 1);
  request->client = g_object_ref (self);
  request->method = g_intern_string (method);
  request->uri = g_strconcat (astra_client_get_base_url (self), path, NULL);
  request->permission = g_strdup (permission);
  request->flags = flags;
  if (sink != NULL)
    {
      g_return_if_fail (flags & ASTRA_REQUEST_RAW_BODY);
      g_return_if_fail (sink->feed != NULL && sink->reset != NULL);
      request->sink = *sink;
    }
  if (body != NULL)
    {
      g_autofree char *text = astra_json_to_string (body);
      gsize length = strlen (text);

      request->body = g_bytes_new_take (g_steal_pointer (&text), length);
    }
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  uri = g_uri_parse (request->uri, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      request->path = g_strdup (path);
      g_task_return_new_error (task, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL,
                               _("The request could not be addressed: the API URL is not valid."));
      return;
    }
  /* The path alone (never the query) is what logs and messages show. */
  request->path = g_strdup (g_uri_get_path (uri));
  if (g_uri_get_port (uri) > 0)
    request->host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  else
    request->host = g_strdup (g_uri_get_host (uri));

  start_attempt (task);
}

gboolean
astra_client_send_finish_bytes (AstraClient   *self,
                                GAsyncResult  *result,
                                GBytes       **body,
                                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  Request *request;
  GBytes *bytes;

  g_return_val_if_fail (ASTRA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_send_async, FALSE);
  request = g_task_get_task_data (G_TASK (result));
  g_return_val_if_fail (request->flags & ASTRA_REQUEST_RAW_BODY, FALSE);

  bytes = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (body != NULL)
    *body = bytes;
  else
    g_bytes_unref (bytes);

  return TRUE;
}

gboolean
astra_client_send_finish (AstraClient   *self,
                          GAsyncResult  *result,
                          JsonNode     **root,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *node;

  g_return_val_if_fail (ASTRA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_send_async, FALSE);

  node = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (root != NULL)
    *root = node;
  else if (node != NULL)
    json_node_unref (node);

  return TRUE;
}

/* }}} */

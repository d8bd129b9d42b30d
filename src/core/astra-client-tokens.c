/* astra-client-tokens.c: the token endpoints (astra-api.md §2.7)
 *
 * Creating a token is a POST and is never retried: if its answer is lost, the user must be
 * told, not handed a second token. The answer is the only time the secret is sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-client-private.h"
#include "astra-generated-token.h"
#include "astra-json.h"
#include "astra-token-format.h"
#include "astra-token-list.h"
#include "astra-token-list-stream.h"
#include "astra-token.h"

typedef struct
{
  char      **role_ids;
  char       *description;
  GDateTime  *expires;
} CreateTokenState;

/* Helpers {{{ */

static void
create_token_state_free (CreateTokenState *state)
{
  g_clear_pointer (&state->role_ids, g_strfreev);
  g_clear_pointer (&state->description, g_free);
  g_clear_pointer (&state->expires, g_date_time_unref);
  g_free (state);
}

static JsonNode *
build_token_body (const char * const *role_ids,
                  const char         *description,
                  GDateTime          *expires)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  astra_json_builder_add_strv_member (builder, "roles", role_ids);

  if (description != NULL && *description != '\0')
    astra_json_builder_add_string_member (builder, "description", description);

  if (expires != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (expires);
      g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      astra_json_builder_add_string_member (builder, "tokenExpiry", text);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* }}} */
/* Tokens {{{ */

static gboolean
feed_token_list (gpointer     data,
                 const char  *bytes,
                 gsize        length,
                 GError     **error)
{
  return astra_token_list_stream_feed (data, bytes, length, error);
}

static void
reset_token_list (gpointer data)
{
  astra_token_list_stream_reset (data);
}

static void
on_list_tokens_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *tokens;
  const char *data;
  gsize length;

  if (!astra_client_send_finish_bytes (ASTRA_CLIENT (object), result, &body, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* {"clients": [...]}, not a bare array (astra-api.md §2.7). A big organization lists
   * thousands of tokens: they are read in one pass, without a json-glib tree (about five
   * times faster for 10,000 tokens, see build-aux/bench), with the same rules. A body over
   * ASTRA_JSON_MAX_SIZE (some 85,000 tokens) was read as it came, by the task's stream. */
  if (body == NULL)
    {
      tokens = astra_token_list_stream_finish (g_task_get_task_data (task), NULL, &error);
    }
  else
    {
      data = g_bytes_get_data (body, &length);
      tokens = astra_token_list_parse (data, length, NULL, &error);
    }
  if (tokens != NULL)
    g_task_return_pointer (task, tokens, g_object_unref);
  else if (g_error_matches (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_UNEXPECTED))
    g_task_return_error (task, astra_client_bad_shape_error (_("a list of tokens")));
  else if (error->domain == ASTRA_JSON_ERROR)
    g_task_return_error (task, astra_client_error_from_json (error));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
astra_client_list_tokens_async (AstraClient         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  AstraTokenListStream *stream = astra_token_list_stream_new ();
  AstraBodySink sink = { feed_token_list, reset_token_list, stream };

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_list_tokens_async);
  g_task_set_task_data (task, stream, (GDestroyNotify) astra_token_list_stream_free);

  astra_client_send_with_sink_async (self, "GET", "/clientIdSecrets", NULL,
                                     ASTRA_PERMISSION_TOKEN_READ, ASTRA_REQUEST_RAW_BODY, &sink,
                                     cancellable, on_list_tokens_cb, g_steal_pointer (&task));
}

/**
 * astra_client_list_tokens_finish:
 *
 * Unreadable items are skipped; astra_token_list_get_n_unreadable() on the model says how
 * many (the count travels with the model, through prefetching and the context alike).
 *
 * Returns: (transfer full): a #GListModel of #AstraToken, or %NULL
 */
GListModel *
astra_client_list_tokens_finish (AstraClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return astra_client_finish_pointer (self, result, astra_client_list_tokens_async, error);
}

/* Any failure after the request may have reached Astra leaves the token possibly created:
 * a 5xx (a gateway may answer after the API created it), a timeout, an answer cut off or
 * unreadable. Only a clear 4xx, or a request that never left, says it was not. */
static gboolean
may_have_been_created (const GError *error)
{
  return g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_ANSWER_LOST) ||
         g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_SERVER_ERROR) ||
         g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TIMEOUT) ||
         g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE);
}

static GError *
new_maybe_created_error (const GError *cause)
{
  g_autofree char *reason = NULL;
  const char *http = strstr (cause->message, "HTTP ");
  guint status = http != NULL ? (guint) g_ascii_strtoull (http + 5, NULL, 10) : 0;

  /* Short, and without the server's text: a gateway's page or a half answer says nothing
   * to a person, and "try again later" is exactly what must not be done here. */
  if (g_error_matches (cause, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_SERVER_ERROR) && status >= 500)
    reason = g_strdup_printf (_("Astra answered with a server error (HTTP %u)"), status);
  else if (g_error_matches (cause, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_SERVER_ERROR))
    reason = g_strdup (_("Astra answered with a server error"));
  else if (g_error_matches (cause, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TIMEOUT))
    reason = g_strdup (_("Astra did not answer in time"));
  else if (g_error_matches (cause, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE))
    reason = g_strdup (_("Astra’s answer could not be read"));
  else
    reason = g_strdup (_("The connection was lost before Astra answered"));

  /* Translators: %s says why, e.g. "Astra did not answer in time" */
  return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_ANSWER_LOST,
                      _("%s. The token may have been created: refresh the token list to check "
                        "before generating again."),
                      reason);
}

/* The JSON string value of @member in @body, read by hand: only when it holds no escapes
 * and no quote (client ids, secrets and tokens never do). (transfer full) or NULL. */
static char *
scan_string_member (const char *body,
                    gsize       length,
                    const char *member)
{
  g_autofree char *key = g_strdup_printf ("\"%s\"", member);
  const char *end = body + length;
  const char *at = g_strstr_len (body, length, key);
  const char *value;

  if (at == NULL)
    return NULL;
  at += strlen (key);
  while (at < end && g_ascii_isspace (*at))
    at++;
  if (at >= end || *at != ':')
    return NULL;
  at++;
  while (at < end && g_ascii_isspace (*at))
    at++;
  if (at >= end || *at != '"')
    return NULL;
  value = ++at;
  while (at < end && *at != '"' && *at != '\\' && (guchar) *at >= 0x20)
    at++;
  if (at >= end || *at != '"')
    return NULL;

  return g_strndup (value, at - value);
}

/* A creation answer that is not the JSON it should be, but holds the new credential: the
 * token exists and this is the only time its secret is sent, so it is kept when the token
 * can be read and matches the secret (astra-api.md §4: its last part is the secret's
 * SHA-256). The client id is the token's own. (transfer full) or NULL. */
static AstraGeneratedToken *
rescue_token (const char *body,
              gsize       length)
{
  g_autofree char *secret = scan_string_member (body, length, "secret");
  g_autofree char *token = scan_string_member (body, length, "token");
  g_autofree char *client_id = NULL;
  g_autofree char *composed = NULL;

  if (secret == NULL || token == NULL || !astra_token_format_validate (token, NULL))
    return NULL;
  client_id = astra_token_format_dup_client_id (token);
  composed = astra_token_format_compose (client_id, secret);
  if (g_strcmp0 (composed, token) != 0)
    {
      astra_secret_free (g_steal_pointer (&composed));
      astra_secret_free (g_steal_pointer (&secret));
      astra_secret_free (g_steal_pointer (&token));
      return NULL;
    }

  {
    AstraGeneratedToken *rescued = astra_generated_token_new (client_id, secret, token);

    astra_secret_free (g_steal_pointer (&composed));
    astra_secret_free (g_steal_pointer (&secret));
    astra_secret_free (g_steal_pointer (&token));
    return rescued;
  }
}

/* Reads the creation answer strictly, and when that fails, as leniently as is safe. */
static AstraGeneratedToken *
read_created_token (GBytes  *bytes,
                    GError **error)
{
  g_autoptr(GError) strict_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  AstraGeneratedToken *token = NULL;
  gsize length;
  const char *body = g_bytes_get_data (bytes, &length);

  root = astra_json_parse (body, length, &strict_error);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    token = astra_generated_token_new_from_json (json_node_get_object (root), &strict_error);
  else if (root != NULL)
    strict_error = astra_client_bad_shape_error (_("the new token"));
  else
    {
      GError *mapped = astra_client_error_from_json (strict_error);

      g_clear_error (&strict_error);
      strict_error = mapped;
    }

  if (token != NULL)
    return token;

  token = body != NULL ? rescue_token (body, length) : NULL;
  if (token != NULL)
    {
      g_autofree char *notice = NULL;

      notice = g_strdup_printf (_("Astra’s answer was not quite right (%s), but it held the new "
                                  "token, which matches its secret: it was kept."),
                                strict_error->message);
      astra_generated_token_set_notice (token, notice);
      g_debug ("Kept a new token from a flawed answer: %s", strict_error->message);
      return token;
    }

  g_propagate_error (error, new_maybe_created_error (strict_error));
  return NULL;
}

static void
on_create_token_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateTokenState *state = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  AstraGeneratedToken *token;

  if (!astra_client_send_finish_bytes (ASTRA_CLIENT (object), result, &body, &error))
    {
      /* Say what the change was: a token that may exist, and may not be created twice. */
      if (may_have_been_created (error))
        {
          GError *maybe = new_maybe_created_error (error);

          g_clear_error (&error);
          error = maybe;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  token = read_created_token (body, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The answer does not echo what only the request knew. */
  if (*astra_generated_token_get_description (token) == '\0' && state->description != NULL)
    astra_generated_token_set_description (token, state->description);
  if (astra_generated_token_get_expires (token) == NULL && state->expires != NULL)
    astra_generated_token_set_expires (token, state->expires);
  if (astra_generated_token_get_role_ids (token)[0] == NULL)
    astra_generated_token_set_role_ids (token, (const char * const *) state->role_ids);

  g_task_return_pointer (task, token, g_object_unref);
}

void
astra_client_create_token_async (AstraClient         *self,
                                 const char * const  *role_ids,
                                 const char          *description,
                                 GDateTime           *expires,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  CreateTokenState *state;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_create_token_async);

  if (role_ids == NULL || role_ids[0] == NULL)
    {
      g_task_return_new_error (task, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_REQUEST,
                               _("A token needs at least one role."));
      return;
    }

  state = g_new0 (CreateTokenState, 1);
  state->role_ids = g_strdupv ((char **) role_ids);
  state->description = g_strdup (description);
  state->expires = expires != NULL ? g_date_time_ref (expires) : NULL;
  g_task_set_task_data (task, state, (GDestroyNotify) create_token_state_free);

  /* POST: never retried by the request machinery. */
  body = build_token_body (role_ids, description, expires);
  astra_client_send_async (self, "POST", "/clientIdSecrets", body, ASTRA_PERMISSION_TOKEN_WRITE,
                           ASTRA_REQUEST_RAW_BODY, cancellable, on_create_token_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_create_token_finish:
 *
 * Returns: (transfer full): the new token with its secret, or %NULL
 */
AstraGeneratedToken *
astra_client_create_token_finish (AstraClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return astra_client_finish_pointer (self, result, astra_client_create_token_async, error);
}

void
astra_client_revoke_token_async (AstraClient         *self,
                                 const char          *client_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (client_id != NULL && *client_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_revoke_token_async);

  path = astra_client_build_item_path ("/clientIdSecrets", client_id);
  astra_client_send_async (self, "DELETE", path, NULL, ASTRA_PERMISSION_TOKEN_WRITE,
                           ASTRA_REQUEST_NONE, cancellable, astra_client_on_no_content_cb,
                           g_steal_pointer (&task));
}

gboolean
astra_client_revoke_token_finish (AstraClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return astra_client_finish_boolean (self, result, astra_client_revoke_token_async, error);
}

/* }}} */

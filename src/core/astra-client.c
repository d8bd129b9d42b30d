/* astra-client.c: the Astra DevOps API client
 *
 * The object holds what every request needs — one SoupSession, the base URL and the
 * management token — plus the helpers the endpoint files share. The endpoints of
 * astra-api.md §2 live in astra-client-org.c, astra-client-roles.c and
 * astra-client-tokens.c; they build request bodies and read the shapes of the answers on
 * top of astra_client_send_async() (astra-client-request.c), which does the sending,
 * retrying, bounded reading and error mapping.
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
#include "astra-token-format.h"

#define DEFAULT_TIMEOUT_SECONDS 20
#define DEFAULT_MAX_ATTEMPTS    4
#define DEFAULT_BASE_DELAY_MS   500
#define DEFAULT_MAX_DELAY_MS    8000

struct _AstraClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *authorization;
  char        *client_id;     /* of the management token: not secret, shown in the list */
  guint        timeout;
  guint        max_attempts;
  guint        base_delay_ms;
  guint        max_delay_ms;
};

G_DEFINE_FINAL_TYPE (AstraClient, astra_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (astra-client-error-quark, astra_client_error)

/* Shared helpers {{{ */

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* Covers 127.0.0.0/8 and ::1; GUri gives IPv6 literals without brackets. */
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* A URL of a server on this computer: the demo's simulator, astra-sim in the tests, an
 * .astrarc's LOCAL endpoint. FALSE for anything that is not a URL. */
gboolean
astra_client_url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return host != NULL && is_loopback_host (host);
}

GError *
astra_client_bad_shape_error (const char *expected)
{
  return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                      /* Translators: %s is what was expected, such as "a list of roles" */
                      _("The Astra API sent an answer of an unexpected shape instead of %s."),
                      expected);
}

/* (transfer full) "/prefix/<id escaped as one path segment>" so that an id can never
 * change the path it is put into ("..", "/", "?"). */
char *
astra_client_build_item_path (const char *prefix,
                 const char *id)
{
  g_autofree char *escaped = NULL;

  /* "." and ".." are unreserved, so escaping leaves them, and URI normalisation would
   * then climb out of the collection. */
  if (g_str_equal (id, "."))
    return g_strconcat (prefix, "/%2E", NULL);
  if (g_str_equal (id, ".."))
    return g_strconcat (prefix, "/%2E%2E", NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  return g_strconcat (prefix, "/", escaped, NULL);
}

/* Parses every element of @array with @parser; any element that is not an object or
 * lacks a required field fails the whole list rather than silently hiding an item. */
gboolean
astra_client_append_models (GListStore  *store,
               JsonArray   *array,
               AstraModelParser  parser,
               GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint length = json_array_get_length (array);

  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) local_error = NULL;
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                       _("The Astra API sent a list whose item %u of %u is not an object."),
                       i + 1, length);
          return FALSE;
        }

      item = parser (json_node_get_object (element), &local_error);
      if (item == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Item %u of %u: "), i + 1, length);
          return FALSE;
        }
      g_ptr_array_add (items, item);
    }

  g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0,
                       items->pdata, items->len);
  return TRUE;
}

GListModel *
astra_client_parse_model_list (JsonArray   *array,
                  GType        type,
                  AstraModelParser  parser,
                  GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (type);

  if (!astra_client_append_models (store, array, parser, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* Returns on @task the model @parser makes of @root, which must be an object. */
void
astra_client_return_model (GTask            *task,
                           JsonNode         *root,
                           AstraModelParser  parser,
                           const char       *expected)
{
  g_autoptr(GError) error = NULL;
  gpointer model;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, astra_client_bad_shape_error (expected));
      return;
    }

  model = parser (json_node_get_object (root), &error);
  if (model == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, model, g_object_unref);
}

/* Returns on @task a list of the models @parser makes of @array's objects; a %NULL
 * @array (not found where expected) is a bad shape. */
void
astra_client_return_model_list (GTask            *task,
                                JsonArray        *array,
                                GType             type,
                                AstraModelParser  parser,
                                const char       *expected)
{
  g_autoptr(GError) error = NULL;
  GListModel *model;

  if (array == NULL)
    {
      g_task_return_error (task, astra_client_bad_shape_error (expected));
      return;
    }

  model = astra_client_parse_model_list (array, type, parser, &error);
  if (model == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, model, g_object_unref);
}

/* Shared by the calls whose answer body carries nothing we need. */
void
astra_client_on_no_content_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

gpointer
astra_client_finish_pointer (AstraClient   *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
astra_client_finish_boolean (AstraClient   *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */
/* GObject vfuncs {{{ */

static void
astra_client_finalize (GObject *object)
{
  AstraClient *self = (AstraClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->authorization, astra_secret_free);
  g_clear_pointer (&self->client_id, g_free);

  G_OBJECT_CLASS (astra_client_parent_class)->finalize (object);
}

static void
astra_client_class_init (AstraClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = astra_client_finalize;
}

static void
astra_client_init (AstraClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  /* A user agent ending in a space gets libsoup's own token appended. */
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "user-agent", "astra-tokens/" PACKAGE_VERSION " ",
                                                 NULL);
  astra_http_log_attach (self->session);
}

/* }}} */
/* Private accessors {{{ */

SoupSession *
astra_client_get_session (AstraClient *self)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);

  return self->session;
}

const char *
astra_client_get_authorization (AstraClient *self)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);

  return self->authorization;
}

guint
astra_client_get_timeout (AstraClient *self)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), 0);

  return self->timeout;
}

void
astra_client_get_retry_policy (AstraClient *self,
                               guint       *max_attempts,
                               guint       *base_delay_ms,
                               guint       *max_delay_ms)
{
  g_return_if_fail (ASTRA_IS_CLIENT (self));

  *max_attempts = self->max_attempts;
  *base_delay_ms = self->base_delay_ms;
  *max_delay_ms = self->max_delay_ms;
}

/* }}} */
/* Construction and settings {{{ */

/**
 * astra_client_check_base_url:
 * @url: a DevOps API base URL, including "/v2"
 * @error: ASTRA_CLIENT_ERROR_INVALID_URL
 *
 * Plain HTTP would send the management token in clear text, so it is only accepted to
 * this computer (the simulator, tests).
 */
gboolean
astra_client_check_base_url (const char  *url,
                             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL,
                           _("No API URL was given."));
      return FALSE;
    }

  /* The URL is not quoted back: a pasted token in the wrong field must not be echoed. */
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL,
                           _("The API URL is not a valid URL. It should look like "
                             "“https://api.astra.datastax.com/v2”."));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error_literal (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL,
                           _("The API URL must start with “https://”."));
      return FALSE;
    }

  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL,
                           _("The API URL has no host name."));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL,
                           _("The API URL must not contain a user name, a password, a query or a fragment."));
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !is_loopback_host (host))
    {
      g_set_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL,
                   _("Unencrypted HTTP is only allowed to this computer; use “https://” for %s."),
                   host);
      return FALSE;
    }

  return TRUE;
}

/**
 * astra_client_new:
 * @base_url: the DevOps API base URL including "/v2"
 * @token: the organization's management token (AstraCS:…)
 * @error: ASTRA_CLIENT_ERROR_INVALID_TOKEN or ASTRA_CLIENT_ERROR_INVALID_URL
 *
 * Nothing is sent: the token's shape and the URL are checked locally.
 *
 * Returns: (transfer full): a new client, or %NULL
 */
AstraClient *
astra_client_new (const char  *base_url,
                  const char  *token,
                  GError     **error)
{
  g_autoptr(GError) format_error = NULL;
  AstraClient *self;
  gsize length;

  if (!astra_token_format_validate (token, &format_error))
    {
      g_set_error (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_TOKEN,
                   _("The token cannot be used: %s"), format_error->message);
      return NULL;
    }

  if (!astra_client_check_base_url (base_url, error))
    return NULL;

  self = g_object_new (ASTRA_TYPE_CLIENT, NULL);
  length = strlen (base_url);
  while (length > 0 && base_url[length - 1] == '/')
    length--;
  self->base_url = g_strndup (base_url, length);
  self->authorization = g_strconcat ("Bearer ", token, NULL);
  self->client_id = astra_token_format_dup_client_id (token);
  /* A server on this computer is never reached through a proxy: with http_proxy set and
   * no no_proxy, the demo organization's requests would go to the proxy. Not asking GIO's
   * resolver also spares loading libproxy and its module before the first list is shown
   * (build-aux/bench, populate_100_over_gtk). */
  if (astra_client_url_is_loopback (self->base_url))
    soup_session_set_proxy_resolver (self->session, NULL);

  return self;
}

/**
 * astra_client_get_client_id:
 *
 * Returns: the client id of the token this client sends: the organization's token list
 *   shows it like any other token.
 */
const char *
astra_client_get_client_id (AstraClient *self)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);

  return self->client_id;
}

const char *
astra_client_get_base_url (AstraClient *self)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);

  return self->base_url;
}

void
astra_client_set_timeout (AstraClient *self,
                          guint        seconds)
{
  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

void
astra_client_set_retry_policy (AstraClient *self,
                               guint        max_attempts,
                               guint        base_delay_ms,
                               guint        max_delay_ms)
{
  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (base_delay_ms, max_delay_ms);
}

/* }}} */

/* astra-client.c: the Astra DevOps API client
 *
 * The object holds what every request needs — one SoupSession, the base URL and the
 * management token — and implements the endpoints of astra-api.md §2 on top of
 * astra_client_send_async() (astra-client-request.c), which does the sending, retrying,
 * bounded reading and error mapping. Here are only request bodies and the shapes of the
 * answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-client-private.h"
#include "astra-database.h"
#include "astra-generated-token.h"
#include "astra-http-log.h"
#include "astra-json.h"
#include "astra-organization.h"
#include "astra-role.h"
#include "astra-token-format.h"
#include "astra-token-list.h"
#include "astra-token.h"
#include "astra-user.h"

#define DEFAULT_TIMEOUT_SECONDS 20
#define DEFAULT_MAX_ATTEMPTS    4
#define DEFAULT_BASE_DELAY_MS   500
#define DEFAULT_MAX_DELAY_MS    8000

/* GET /v2/databases pages (astra-api.md §2.8); the page cap stops a server that ignores
 * starting_after from keeping us busy forever. */
#define DATABASES_PAGE_SIZE     100
#define DATABASES_MAX_PAGES     1000

/* The permission each endpoint needs (astra-api.md §1), named in 403 messages. */
#define PERMISSION_ORG_READ     "org-read"
#define PERMISSION_ROLE_READ    "org-role-read"
#define PERMISSION_ROLE_WRITE   "org-role-write"
#define PERMISSION_ROLE_DELETE  "org-role-delete"
#define PERMISSION_TOKEN_READ   "org-token-read"
#define PERMISSION_TOKEN_WRITE  "org-token-write"
#define PERMISSION_DB_VIEW      "org-db-view"
#define PERMISSION_USER_READ    "org-user-read"

struct _AstraClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *authorization;
  guint        timeout;
  guint        max_attempts;
  guint        base_delay_ms;
  guint        max_delay_ms;
};

G_DEFINE_FINAL_TYPE (AstraClient, astra_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (astra-client-error-quark, astra_client_error)

typedef gpointer (*ModelParser) (JsonObject *object,
                                 GError    **error);

typedef struct
{
  GListStore *store;
  GHashTable *seen_ids;
  char       *last_id;
  guint       pages;
} DatabasesState;

typedef struct
{
  char         *token;
  char        **base_urls;
  guint         index;
  AstraClient  *client;
  GError       *last_error;
} DetectState;

typedef struct
{
  char      **role_ids;
  char       *description;
  GDateTime  *expires;
} CreateTokenState;

static void list_databases_next_page (GTask *task);
static void detect_try_next (GTask *task);

/* Helpers {{{ */

static void
databases_state_free (DatabasesState *state)
{
  g_clear_object (&state->store);
  g_clear_pointer (&state->seen_ids, g_hash_table_unref);
  g_clear_pointer (&state->last_id, g_free);
  g_free (state);
}

static void
detect_state_free (DetectState *state)
{
  g_clear_pointer (&state->token, astra_secret_free);
  g_clear_pointer (&state->base_urls, g_strfreev);
  g_clear_object (&state->client);
  g_clear_error (&state->last_error);
  g_free (state);
}

static void
create_token_state_free (CreateTokenState *state)
{
  g_clear_pointer (&state->role_ids, g_strfreev);
  g_clear_pointer (&state->description, g_free);
  g_clear_pointer (&state->expires, g_date_time_unref);
  g_free (state);
}

static GError *
bad_shape_error (const char *expected)
{
  return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                      /* Translators: %s is what was expected, such as "a list of roles" */
                      _("The Astra API sent an answer of an unexpected shape instead of %s."),
                      expected);
}

/* (transfer full) "/prefix/<id escaped as one path segment>" so that an id can never
 * change the path it is put into ("..", "/", "?"). */
static char *
build_item_path (const char *prefix,
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
static gboolean
append_models (GListStore  *store,
               JsonArray   *array,
               ModelParser  parser,
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

static GListModel *
parse_model_list (JsonArray   *array,
                  GType        type,
                  ModelParser  parser,
                  GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (type);

  if (!append_models (store, array, parser, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}

static JsonNode *
build_role_body (const char         *name,
                 const char         *description,
                 const char * const *resources,
                 const char * const *actions)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "policy");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description != NULL ? description : "");
  json_builder_set_member_name (builder, "resources");
  json_builder_begin_array (builder);
  for (guint i = 0; resources != NULL && resources[i] != NULL; i++)
    json_builder_add_string_value (builder, resources[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "actions");
  json_builder_begin_array (builder);
  for (guint i = 0; actions != NULL && actions[i] != NULL; i++)
    json_builder_add_string_value (builder, actions[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "effect");
  json_builder_add_string_value (builder, "allow");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
build_token_body (const char * const *role_ids,
                  const char         *description,
                  GDateTime          *expires)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; role_ids[i] != NULL; i++)
    json_builder_add_string_value (builder, role_ids[i]);
  json_builder_end_array (builder);

  if (description != NULL && *description != '\0')
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, description);
    }

  if (expires != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (expires);
      g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_set_member_name (builder, "tokenExpiry");
      json_builder_add_string_value (builder, text);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

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

/* }}} */
/* GObject vfuncs {{{ */

static void
astra_client_finalize (GObject *object)
{
  AstraClient *self = (AstraClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->authorization, astra_secret_free);

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

  return self;
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
/* GET /currentOrg {{{ */

static void
on_current_org_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  AstraOrganization *org;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, bad_shape_error (_("an organization")));
      return;
    }

  org = astra_organization_new_from_json (json_node_get_object (root), &error);
  if (org == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, org, g_object_unref);
}

void
astra_client_get_current_org_async (AstraClient         *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_get_current_org_async);

  astra_client_send_async (self, "GET", "/currentOrg", NULL, PERMISSION_ORG_READ,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_current_org_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_get_current_org_finish:
 *
 * Returns: (transfer full): the organization of the client's token, or %NULL
 */
AstraOrganization *
astra_client_get_current_org_finish (AstraClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_get_current_org_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */
/* Environment detection {{{ */

static void
on_detect_current_org_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DetectState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  AstraOrganization *org;

  org = astra_client_get_current_org_finish (ASTRA_CLIENT (object), result, &error);
  if (org != NULL)
    {
      g_debug ("environment detection: candidate %u accepted the token", state->index);
      g_task_return_pointer (task, org, g_object_unref);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("environment detection: candidate %u failed (%s %d)", state->index,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED))
    {
      /* The token belongs elsewhere; a 401 is reported only if nothing better comes. */
      if (state->last_error == NULL ||
          g_error_matches (state->last_error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&state->last_error);
          state->last_error = g_steal_pointer (&error);
        }
    }
  else if (g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_NETWORK) ||
           g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TIMEOUT) ||
           g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_TLS))
    {
      /* That environment cannot be reached; another may. */
      g_clear_error (&state->last_error);
      state->last_error = g_steal_pointer (&error);
    }
  else
    {
      /* Anything else is an answer other than 401: the token belongs to this
       * environment, and the failure is the result. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  state->index++;
  detect_try_next (g_steal_pointer (&task));
}

static void
detect_try_next (GTask *task)
{
  DetectState *state = g_task_get_task_data (task);

  g_clear_object (&state->client);

  while (state->base_urls[state->index] != NULL)
    {
      g_autoptr(GError) error = NULL;

      state->client = astra_client_new (state->base_urls[state->index], state->token, &error);
      if (state->client != NULL)
        break;

      g_clear_error (&state->last_error);
      state->last_error = g_steal_pointer (&error);
      state->index++;
    }

  if (state->client == NULL)
    {
      if (state->last_error != NULL)
        g_task_return_error (task, g_steal_pointer (&state->last_error));
      else
        g_task_return_new_error (task, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_URL,
                                 _("No API URL was given to try the token with."));
      g_object_unref (task);
      return;
    }

  astra_client_get_current_org_async (state->client, g_task_get_cancellable (task),
                                      on_detect_current_org_cb, task);
}

void
astra_client_detect_environment_async (const char          *token,
                                       const char * const  *base_urls,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) format_error = NULL;
  DetectState *state;

  g_return_if_fail (base_urls != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_detect_environment_async);

  /* A malformed token fails the same way everywhere: say so once, send nothing. */
  if (!astra_token_format_validate (token, &format_error))
    {
      g_task_return_new_error (task, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_TOKEN,
                               _("The token cannot be used: %s"), format_error->message);
      return;
    }

  state = g_new0 (DetectState, 1);
  state->token = g_strdup (token);
  state->base_urls = g_strdupv ((char **) base_urls);
  g_task_set_task_data (task, state, (GDestroyNotify) detect_state_free);

  detect_try_next (g_steal_pointer (&task));
}

/**
 * astra_client_detect_environment_finish:
 * @index: (out) (optional): the position in the base URLs of the one that accepted the token
 *
 * Returns: (transfer full): the organization, or %NULL
 */
AstraOrganization *
astra_client_detect_environment_finish (GAsyncResult  *result,
                                        guint         *index,
                                        GError       **error)
{
  AstraOrganization *org;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_detect_environment_async, NULL);

  org = g_task_propagate_pointer (G_TASK (result), error);
  if (org != NULL && index != NULL)
    {
      DetectState *state = g_task_get_task_data (G_TASK (result));

      *index = state->index;
    }

  return org;
}

/* }}} */
/* Roles {{{ */

static void
on_list_roles_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *roles;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A bare array (astra-api.md §2.2). */
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_task_return_error (task, bad_shape_error (_("a list of roles")));
      return;
    }

  roles = parse_model_list (json_node_get_array (root), ASTRA_TYPE_ROLE,
                            (ModelParser) astra_role_new_from_json, &error);
  if (roles == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, roles, g_object_unref);
}

void
astra_client_list_roles_async (AstraClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_list_roles_async);

  astra_client_send_async (self, "GET", "/organizations/roles", NULL, PERMISSION_ROLE_READ,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_list_roles_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_list_roles_finish:
 *
 * Returns: (transfer full): a #GListModel of #AstraRole, or %NULL
 */
GListModel *
astra_client_list_roles_finish (AstraClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_list_roles_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Shared by get_role and create_role: the answer is one role object. */
static void
on_single_role_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  AstraRole *role;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, bad_shape_error (_("a role")));
      return;
    }

  role = astra_role_new_from_json (json_node_get_object (root), &error);
  if (role == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, role, g_object_unref);
}

void
astra_client_get_role_async (AstraClient         *self,
                             const char          *role_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (role_id != NULL && *role_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_get_role_async);

  path = build_item_path ("/organizations/roles", role_id);
  astra_client_send_async (self, "GET", path, NULL, PERMISSION_ROLE_READ,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_single_role_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_get_role_finish:
 *
 * Returns: (transfer full): the role, or %NULL (ASTRA_CLIENT_ERROR_NOT_FOUND for an unknown id)
 */
AstraRole *
astra_client_get_role_finish (AstraClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_get_role_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
astra_client_create_role_async (AstraClient         *self,
                                const char          *name,
                                const char          *description,
                                const char * const  *resources,
                                const char * const  *actions,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_create_role_async);

  body = build_role_body (name, description, resources, actions);
  astra_client_send_async (self, "POST", "/organizations/roles", body, PERMISSION_ROLE_WRITE,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_single_role_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_create_role_finish:
 *
 * Returns: (transfer full): the role as created by the server, or %NULL
 */
AstraRole *
astra_client_create_role_finish (AstraClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_create_role_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Shared by the calls whose answer body carries nothing we need. */
static void
on_no_content_cb (GObject      *object,
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

void
astra_client_update_role_async (AstraClient         *self,
                                const char          *role_id,
                                const char          *name,
                                const char          *description,
                                const char * const  *resources,
                                const char * const  *actions,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (role_id != NULL && *role_id != '\0');
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_update_role_async);

  body = build_role_body (name, description, resources, actions);
  path = build_item_path ("/organizations/roles", role_id);
  astra_client_send_async (self, "PUT", path, body, PERMISSION_ROLE_WRITE,
                           ASTRA_REQUEST_NONE, cancellable, on_no_content_cb,
                           g_steal_pointer (&task));
}

gboolean
astra_client_update_role_finish (AstraClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_update_role_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
astra_client_delete_role_async (AstraClient         *self,
                                const char          *role_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (role_id != NULL && *role_id != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_delete_role_async);

  path = build_item_path ("/organizations/roles", role_id);
  astra_client_send_async (self, "DELETE", path, NULL, PERMISSION_ROLE_DELETE,
                           ASTRA_REQUEST_NONE, cancellable, on_no_content_cb,
                           g_steal_pointer (&task));
}

gboolean
astra_client_delete_role_finish (AstraClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_delete_role_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */
/* Tokens {{{ */

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
   * times faster for 10,000 tokens, see build-aux/bench), with the same rules. */
  data = g_bytes_get_data (body, &length);
  tokens = astra_token_list_parse (data, length, &error);
  if (tokens != NULL)
    g_task_return_pointer (task, tokens, g_object_unref);
  else if (g_error_matches (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_UNEXPECTED))
    g_task_return_error (task, bad_shape_error (_("a list of tokens")));
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

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_list_tokens_async);

  astra_client_send_async (self, "GET", "/clientIdSecrets", NULL, PERMISSION_TOKEN_READ,
                           ASTRA_REQUEST_RAW_BODY, cancellable, on_list_tokens_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_list_tokens_finish:
 *
 * Returns: (transfer full): a #GListModel of #AstraToken, or %NULL
 */
GListModel *
astra_client_list_tokens_finish (AstraClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_list_tokens_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_create_token_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateTokenState *state = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  AstraGeneratedToken *token;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A single object (the OpenAPI's "items" wrapper is wrong, astra-api.md §2.7). */
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, bad_shape_error (_("the new token")));
      return;
    }

  token = astra_generated_token_new_from_json (json_node_get_object (root), &error);
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
  astra_client_send_async (self, "POST", "/clientIdSecrets", body, PERMISSION_TOKEN_WRITE,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_create_token_cb,
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
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_create_token_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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

  path = build_item_path ("/clientIdSecrets", client_id);
  astra_client_send_async (self, "DELETE", path, NULL, PERMISSION_TOKEN_WRITE,
                           ASTRA_REQUEST_NONE, cancellable, on_no_content_cb,
                           g_steal_pointer (&task));
}

gboolean
astra_client_revoke_token_finish (AstraClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_revoke_token_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */
/* Databases {{{ */

static void
on_databases_page_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DatabasesState *state = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) page = NULL;
  guint n_items;
  gboolean advanced = FALSE;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_task_return_error (task, bad_shape_error (_("a list of databases")));
      return;
    }

  page = g_list_store_new (ASTRA_TYPE_DATABASE);
  if (!append_models (page, json_node_get_array (root),
                      (ModelParser) astra_database_new_from_json, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (page));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(AstraDatabase) db = g_list_model_get_item (G_LIST_MODEL (page), i);
      const char *id = astra_database_get_id (db);

      /* A server that ignores starting_after sends the same page again. */
      if (!g_hash_table_add (state->seen_ids, g_strdup (id)))
        continue;
      g_list_store_append (state->store, db);
      g_free (state->last_id);
      state->last_id = g_strdup (id);
      advanced = TRUE;
    }

  state->pages++;
  if (n_items < DATABASES_PAGE_SIZE || !advanced || state->pages >= DATABASES_MAX_PAGES)
    {
      g_task_return_pointer (task, g_object_ref (state->store), g_object_unref);
      return;
    }

  list_databases_next_page (g_steal_pointer (&task));
}

static void
list_databases_next_page (GTask *task)
{
  DatabasesState *state = g_task_get_task_data (task);
  AstraClient *self = g_task_get_source_object (task);
  g_autofree char *path = NULL;

  if (state->last_id == NULL)
    {
      path = g_strdup_printf ("/databases?limit=%d", DATABASES_PAGE_SIZE);
    }
  else
    {
      g_autofree char *escaped = g_uri_escape_string (state->last_id, NULL, FALSE);

      path = g_strdup_printf ("/databases?limit=%d&starting_after=%s",
                              DATABASES_PAGE_SIZE, escaped);
    }

  astra_client_send_async (self, "GET", path, NULL, PERMISSION_DB_VIEW,
                           ASTRA_REQUEST_EXPECT_JSON, g_task_get_cancellable (task),
                           on_databases_page_cb, task);
}

void
astra_client_list_databases_async (AstraClient         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DatabasesState *state;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_list_databases_async);

  state = g_new0 (DatabasesState, 1);
  state->store = g_list_store_new (ASTRA_TYPE_DATABASE);
  state->seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, state, (GDestroyNotify) databases_state_free);

  list_databases_next_page (g_steal_pointer (&task));
}

/**
 * astra_client_list_databases_finish:
 *
 * Returns: (transfer full): a #GListModel of #AstraDatabase, all pages, or %NULL
 */
GListModel *
astra_client_list_databases_finish (AstraClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_list_databases_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */
/* Users {{{ */

static void
on_list_users_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *users = NULL;
  GListModel *model;

  if (!astra_client_send_finish (ASTRA_CLIENT (object), result, &root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* {"OrgID", "OrgName", "Users": [...]} (astra-api.md §2.8). */
  if (JSON_NODE_HOLDS_OBJECT (root))
    users = astra_json_object_get_array (json_node_get_object (root), "Users");
  if (users == NULL)
    {
      g_task_return_error (task, bad_shape_error (_("a list of users")));
      return;
    }

  model = parse_model_list (users, ASTRA_TYPE_USER,
                            (ModelParser) astra_user_new_from_json, &error);
  if (model == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, model, g_object_unref);
}

void
astra_client_list_users_async (AstraClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_client_list_users_async);

  astra_client_send_async (self, "GET", "/organizations/users", NULL, PERMISSION_USER_READ,
                           ASTRA_REQUEST_EXPECT_JSON, cancellable, on_list_users_cb,
                           g_steal_pointer (&task));
}

/**
 * astra_client_list_users_finish:
 *
 * Returns: (transfer full): a #GListModel of #AstraUser, or %NULL
 */
GListModel *
astra_client_list_users_finish (AstraClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_client_list_users_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */

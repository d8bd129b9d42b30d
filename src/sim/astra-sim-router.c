/* astra-sim-router.c: which handler answers a request, and whether the caller may call it
 *
 * Order of checks, as a gateway in front of the real service would do them: unknown path
 * → 404, known path with another method → 405 (with Allow), missing/unknown/revoked/
 * expired bearer token → 401, token whose roles lack the endpoint's action → 403 naming the
 * missing permission. currentOrg needs nothing but a valid token: astra-cli calls it to
 * validate any token, including read-only service accounts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include <string.h>

#include "astra-sim-private.h"

typedef struct
{
  const char      *method;
  const char      *pattern;      /* segments after /v2; "*" matches one segment */
  const char      *action;       /* permission needed, or NULL */
  gboolean         text_errors;
  AstraSimHandler  handler;
} Route;

static const Route routes[] = {
  { "GET",    "currentOrg",                  NULL,              FALSE,
    astra_sim_handle_current_org },
  { "GET",    "organizations/roles",         "org-role-read",   FALSE,
    astra_sim_handle_list_roles },
  { "POST",   "organizations/roles",         "org-role-write",  TRUE,
    astra_sim_handle_create_role },
  { "GET",    "organizations/roles/*",       "org-role-read",   TRUE,
    astra_sim_handle_get_role },
  { "PUT",    "organizations/roles/*",       "org-role-write",  TRUE,
    astra_sim_handle_update_role },
  { "DELETE", "organizations/roles/*",       "org-role-delete", TRUE,
    astra_sim_handle_delete_role },
  { "GET",    "organizations/users",         "org-user-read",   FALSE,
    astra_sim_handle_list_users },
  { "PUT",    "organizations/users",         "org-user-write",  FALSE,
    astra_sim_handle_invite_user },
  { "GET",    "organizations/users/*",       "org-user-read",   FALSE,
    astra_sim_handle_get_user },
  { "DELETE", "organizations/users/*",       "org-user-write",  FALSE,
    astra_sim_handle_remove_user },
  { "PUT",    "organizations/users/*/roles", "org-user-write",  FALSE,
    astra_sim_handle_set_user_roles },
  { "GET",    "clientIdSecrets",             "org-token-read",  FALSE,
    astra_sim_handle_list_tokens },
  { "POST",   "clientIdSecrets",             "org-token-write", TRUE,
    astra_sim_handle_create_token },
  { "DELETE", "clientIdSecrets/*",           "org-token-write", FALSE,
    astra_sim_handle_revoke_token },
  { "POST",   "tokens",                      "org-token-write", TRUE,
    astra_sim_handle_create_token },
  { "GET",    "databases",                   "org-db-view",     FALSE,
    astra_sim_handle_list_databases },
  { "GET",    "databases/*",                 "org-db-view",     FALSE,
    astra_sim_handle_get_database },
};

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

static gboolean
pattern_matches (const char *pattern,
                 char      **segments,
                 guint       n_segments)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);

  if (g_strv_length (parts) != n_segments)
    return FALSE;

  for (guint i = 0; i < n_segments; i++)
    if (!g_str_equal (parts[i], "*") && !g_str_equal (parts[i], segments[i]))
      return FALSE;
  return TRUE;
}

/* Segments after "/v2", ignoring a trailing slash; NULL when the path is outside /v2. */
static char **
split_path (const char *path,
            guint      *n_segments)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  char **segments;

  if (!g_str_has_prefix (path, "/v2/"))
    return NULL;

  parts = g_strsplit (path + strlen ("/v2/"), "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0' && parts[i + 1] == NULL && i > 0)
        break;                            /* trailing slash */
      g_strv_builder_add (builder, parts[i]);
    }
  segments = g_strv_builder_end (builder);
  *n_segments = g_strv_length (segments);
  return segments;
}

static const char *
bearer_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");

  if (value == NULL)
    return NULL;
  while (*value == ' ' || *value == '\t')
    value++;
  if (g_ascii_strncasecmp (value, "Bearer", 6) != 0 || (value[6] != ' ' && value[6] != '\t'))
    return NULL;
  value += 6;
  while (*value == ' ' || *value == '\t')
    value++;
  return value;
}

static gboolean
authorize (AstraSimRequest *request,
           const Route     *route)
{
  const char *bearer = bearer_token (request->msg);
  g_autofree char *trimmed = NULL;

  if (bearer == NULL || *bearer == '\0')
    {
      astra_sim_reply_error (request, SOUP_STATUS_UNAUTHORIZED,
                             "missing bearer token: send Authorization: Bearer <token>");
      return FALSE;
    }

  trimmed = g_strstrip (g_strdup (bearer));
  request->caller = astra_sim_data_authenticate (request->data, trimmed);
  explicit_bzero (trimmed, strlen (trimmed));
  if (request->caller == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_UNAUTHORIZED,
                             "the token is invalid, revoked, expired or for another environment");
      return FALSE;
    }

  if (route->action != NULL &&
      !astra_sim_data_token_allows (request->data, request->caller, route->action))
    {
      astra_sim_reply_error (request, SOUP_STATUS_FORBIDDEN,
                             "the token's roles lack the %s permission", route->action);
      return FALSE;
    }

  return TRUE;
}

static void
reply_no_route (AstraSimRequest *request)
{
  g_autoptr(GString) allow = g_string_new (NULL);

  for (guint i = 0; request->segments != NULL && i < G_N_ELEMENTS (routes); i++)
    if (pattern_matches (routes[i].pattern, request->segments, request->n_segments))
      g_string_append_printf (allow, "%s%s", allow->len ? ", " : "", routes[i].method);

  if (allow->len == 0)
    {
      astra_sim_reply_error (request, SOUP_STATUS_NOT_FOUND, "no such endpoint: %s",
                             request->path);
      return;
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Allow", allow->str);
  astra_sim_reply_error (request, SOUP_STATUS_METHOD_NOT_ALLOWED,
                         "method %s is not allowed on %s (allowed: %s)",
                         request->method, request->path, allow->str);
}

/* ------------------------------------------------------------------------------------------
 * Module API
 * ---------------------------------------------------------------------------------------- */

void
astra_sim_router_dispatch (AstraSimServer    *server,
                           SoupServerMessage *msg)
{
  AstraSimRequest request = { 0 };
  GUri *uri = soup_server_message_get_uri (msg);
  g_auto(GStrv) segments = NULL;
  g_autoptr(GHashTable) query = NULL;
  const Route *route = NULL;

  request.server = server;
  request.data = astra_sim_server_get_data (server);
  request.msg = msg;
  request.method = soup_server_message_get_method (msg);
  request.path = g_uri_get_path (uri);
  if (g_uri_get_query (uri) != NULL)
    query = soup_form_decode (g_uri_get_query (uri));
  request.query = query;
  segments = split_path (request.path, &request.n_segments);
  request.segments = segments;

  for (guint i = 0; segments != NULL && i < G_N_ELEMENTS (routes) && route == NULL; i++)
    if (g_str_equal (routes[i].method, request.method) &&
        pattern_matches (routes[i].pattern, segments, request.n_segments))
      route = &routes[i];

  if (route == NULL)
    {
      reply_no_route (&request);
      return;
    }

  request.text_errors = route->text_errors;
  if (!authorize (&request, route))
    return;

  route->handler (&request);
}

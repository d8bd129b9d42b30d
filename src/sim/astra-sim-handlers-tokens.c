/* astra-sim-handlers-tokens.c: list, create and revoke application tokens (astra-api.md §2.7)
 *
 * Creation (POST /v2/clientIdSecrets and its alias POST /v2/tokens) answers 200 with the
 * only copy of the secret and token. Each "roles" entry must name an existing role by id or,
 * as legacy clients did, by its exact name; the entry is stored as given, so such a token
 * lists the name (terraform #40). An "orgId" other than the organization's answers 404;
 * "tokenExpiry" must be an ISO-8601 instant in the future. Errors are text/plain.
 * Revocation answers 200 without a body, and 404 with an errors body for an unknown id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include <string.h>

#include "astra-json.h"
#include "astra-sim-private.h"
#include "astra-sim-wire-private.h"

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

/* An optional string member: TRUE with *value NULL when missing or null, FALSE when present
 * with another type. */
static gboolean
optional_string (JsonObject  *body,
                 const char  *name,
                 const char **value)
{
  JsonNode *node = astra_json_object_get_member (body, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  *value = astra_json_object_get_string (body, name);
  return *value != NULL;
}

static gboolean
read_roles (AstraSimRequest *request,
            JsonObject      *body,
            GStrv           *roles)
{
  *roles = astra_json_object_dup_strv (body, "roles", TRUE);
  if (*roles == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "roles is required and must be an array of role ids");
      return FALSE;
    }
  if ((*roles)[0] == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST, "roles must not be empty");
      return FALSE;
    }

  for (guint i = 0; (*roles)[i] != NULL; i++)
    if (astra_sim_data_resolve_role (request->data, (*roles)[i]) == NULL)
      {
        astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST, "Role ID not found: %s",
                               (*roles)[i]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
read_expiry (AstraSimRequest *request,
             JsonObject      *body,
             gint64          *expiry)
{
  const char *text;

  *expiry = 0;
  if (!optional_string (body, "tokenExpiry", &text))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "tokenExpiry must be an ISO-8601 date and time");
      return FALSE;
    }
  if (text == NULL)
    return TRUE;

  if (!astra_sim_parse_time (text, expiry))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "tokenExpiry is not an ISO-8601 date and time: %s", text);
      return FALSE;
    }
  if (*expiry <= g_get_real_time ())
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "tokenExpiry must be in the future");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * Handlers
 * ---------------------------------------------------------------------------------------- */

void
astra_sim_handle_list_tokens (AstraSimRequest *request)
{
  astra_sim_reply_json_text (request, SOUP_STATUS_OK, astra_sim_wire_tokens_text (request->data));
}

void
astra_sim_handle_create_token (AstraSimRequest *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) roles = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *token_string = NULL;
  const char *description;
  const char *org_id;
  AstraSimToken *token;
  JsonObject *body;
  gint64 expiry;

  body = astra_sim_request_parse_object (request, &root);
  if (body == NULL || !read_roles (request, body, &roles))
    return;

  if (!optional_string (body, "orgId", &org_id))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST, "orgId must be a string");
      return;
    }
  if (org_id != NULL && !g_str_equal (org_id, request->data->org_id))
    {
      astra_sim_reply_error (request, SOUP_STATUS_NOT_FOUND, "organization %s not found",
                             org_id);
      return;
    }
  if (!optional_string (body, "description", &description))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST, "description must be a string");
      return;
    }
  if (!read_expiry (request, body, &expiry))
    return;

  token_string = astra_sim_data_mint_token (request->data, (const char *const *) roles,
                                            description, 0, expiry, &secret, &token);
  astra_sim_server_changed (request->server);

  astra_sim_reply_json (request, SOUP_STATUS_OK,
                        astra_sim_wire_token_created (request->data, token, secret,
                                                      token_string));
  explicit_bzero (secret, strlen (secret));
  explicit_bzero (token_string, strlen (token_string));
}

void
astra_sim_handle_revoke_token (AstraSimRequest *request)
{
  const char *client_id = request->segments[1];

  if (!astra_sim_data_remove_token (request->data, client_id))
    {
      astra_sim_reply_error (request, SOUP_STATUS_NOT_FOUND, "token %s not found", client_id);
      return;
    }

  astra_sim_server_changed (request->server);
  astra_sim_reply_empty (request, SOUP_STATUS_OK);
}

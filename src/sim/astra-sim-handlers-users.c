/* astra-sim-handlers-users.c: the organization's users (astra-api.md §2.8)
 *
 * Listing and reading need org-user-read; inviting (PUT /v2/organizations/users with
 * {"email", "orgID", "roles"}), replacing a user's roles (PUT …/users/{id}/roles) and
 * removing a user need org-user-write. Invited users have the status "invited". Inviting an
 * email that is already a member answers 409. Errors use the JSON errors body.
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

/* The "roles" member as role ids; on failure the request has been answered. */
static GStrv
read_role_ids (AstraSimRequest *request,
               JsonObject      *body)
{
  g_auto(GStrv) roles = astra_json_object_dup_strv (body, "roles", TRUE);

  if (roles == NULL || roles[0] == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "roles is required and must be a non-empty array of role ids");
      return NULL;
    }
  for (guint i = 0; roles[i] != NULL; i++)
    if (astra_sim_data_find_role (request->data, roles[i]) == NULL)
      {
        astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST, "Role ID not found: %s",
                               roles[i]);
        return NULL;
      }
  return g_steal_pointer (&roles);
}

static AstraSimUser *
find_user_or_404 (AstraSimRequest *request)
{
  const char *id = request->segments[2];
  AstraSimUser *user = astra_sim_data_find_user (request->data, id);

  if (user == NULL)
    astra_sim_reply_error (request, SOUP_STATUS_NOT_FOUND, "user %s not found", id);
  return user;
}

static gboolean
email_is_member (AstraSimData *data,
                 const char   *email)
{
  for (guint i = 0; i < data->users->len; i++)
    {
      AstraSimUser *user = g_ptr_array_index (data->users, i);

      if (g_ascii_strcasecmp (user->email, email) == 0)
        return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------
 * Handlers
 * ---------------------------------------------------------------------------------------- */

void
astra_sim_handle_list_users (AstraSimRequest *request)
{
  astra_sim_reply_json (request, SOUP_STATUS_OK, astra_sim_wire_users (request->data));
}

void
astra_sim_handle_get_user (AstraSimRequest *request)
{
  AstraSimUser *user = find_user_or_404 (request);

  if (user != NULL)
    astra_sim_reply_json (request, SOUP_STATUS_OK, astra_sim_wire_user (request->data, user));
}

void
astra_sim_handle_invite_user (AstraSimRequest *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) roles = NULL;
  AstraSimUser *user;
  JsonObject *body;
  const char *email;
  const char *org_id;

  body = astra_sim_request_parse_object (request, &root);
  if (body == NULL)
    return;

  email = astra_json_object_get_string (body, "email");
  if (email == NULL || strchr (email, '@') == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "email is required and must be an email address");
      return;
    }
  org_id = astra_json_object_get_string (body, "orgID");
  if (org_id != NULL && !g_str_equal (org_id, request->data->org_id))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST, "orgID does not match");
      return;
    }
  roles = read_role_ids (request, body);
  if (roles == NULL)
    return;
  if (email_is_member (request->data, email))
    {
      astra_sim_reply_error (request, SOUP_STATUS_CONFLICT, "%s is already a member", email);
      return;
    }

  user = astra_sim_user_new ();
  user->id = g_uuid_string_random ();
  user->email = g_strdup (email);
  user->status = g_strdup ("invited");
  user->roles = g_steal_pointer (&roles);
  g_ptr_array_add (request->data->users, user);
  astra_sim_server_changed (request->server);

  astra_sim_reply_json (request, SOUP_STATUS_OK, astra_sim_wire_user (request->data, user));
}

void
astra_sim_handle_set_user_roles (AstraSimRequest *request)
{
  g_autoptr(JsonNode) root = NULL;
  AstraSimUser *user;
  JsonObject *body;
  GStrv roles;

  user = find_user_or_404 (request);
  if (user == NULL)
    return;
  body = astra_sim_request_parse_object (request, &root);
  if (body == NULL)
    return;
  roles = read_role_ids (request, body);
  if (roles == NULL)
    return;

  g_strfreev (user->roles);
  user->roles = roles;
  astra_sim_server_changed (request->server);
  astra_sim_reply_empty (request, SOUP_STATUS_NO_CONTENT);
}

void
astra_sim_handle_remove_user (AstraSimRequest *request)
{
  AstraSimUser *user = find_user_or_404 (request);

  if (user == NULL)
    return;

  g_ptr_array_remove (request->data->users, user);
  astra_sim_server_changed (request->server);
  astra_sim_reply_empty (request, SOUP_STATUS_NO_CONTENT);
}

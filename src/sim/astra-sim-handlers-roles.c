/* astra-sim-handlers-roles.c: built-in and custom roles (astra-api.md §2.2–§2.6)
 *
 * Create and update take {"name", "policy": {"description", "resources", "actions",
 * "effect"}}, all required, effect only "allow", every resource starting with
 * "drn:astra:org:". A name already used by another role (compared ignoring ASCII case)
 * answers 409. Built-in roles can be neither changed nor deleted: 400 with a text body (400
 * is the one status both PUT and DELETE document for a refused request). Deleting a custom
 * role leaves its id in the tokens that had it: they simply lose its permissions.
 *
 * Reading one role needs more than listing them all (astra-api.md §2.3, terraform #101): on
 * top of org-role-read, a role whose resources cover drn:astra:org:<org>:role:<id>, as the
 * Organization Administrator's ":role:*" does. Other tokens that may list roles get 403.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include "astra-json.h"
#include "astra-sim-private.h"
#include "astra-sim-wire-private.h"

#define DRN_PREFIX "drn:astra:org:"

typedef struct
{
  const char *name;
  const char *description;
  const char *effect;
  GStrv       resources;
  GStrv       actions;
} RoleInput;

static void
role_input_clear (RoleInput *input)
{
  g_clear_pointer (&input->resources, g_strfreev);
  g_clear_pointer (&input->actions, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RoleInput, role_input_clear)

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
read_string_array (AstraSimRequest *request,
                   JsonObject      *policy,
                   const char      *member,
                   GStrv           *out)
{
  *out = astra_json_object_dup_strv (policy, member, TRUE);
  if (*out == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "policy.%s is required and must be an array of strings", member);
      return FALSE;
    }
  if ((*out)[0] == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "policy.%s must not be empty", member);
      return FALSE;
    }
  return TRUE;
}

/* Reads and validates a create/update body; on failure the request has been answered. */
static gboolean
read_role_input (AstraSimRequest *request,
                 JsonObject      *body,
                 RoleInput       *input)
{
  JsonObject *policy;

  input->name = astra_json_object_get_string (body, "name");
  if (input->name == NULL || is_blank (input->name))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "name is required and must be a non-empty string");
      return FALSE;
    }

  policy = astra_json_object_get_object (body, "policy");
  if (policy == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "policy is required and must be an object");
      return FALSE;
    }

  input->description = astra_json_object_get_string (policy, "description");
  if (input->description == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "policy.description is required and must be a string");
      return FALSE;
    }

  input->effect = astra_json_object_get_string (policy, "effect");
  if (input->effect == NULL || !g_str_equal (input->effect, "allow"))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "policy.effect is required and must be \"allow\"");
      return FALSE;
    }

  if (!read_string_array (request, policy, "resources", &input->resources) ||
      !read_string_array (request, policy, "actions", &input->actions))
    return FALSE;

  for (guint i = 0; input->resources[i] != NULL; i++)
    if (!g_str_has_prefix (input->resources[i], DRN_PREFIX))
      {
        astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                               "resource must start with " DRN_PREFIX);
        return FALSE;
      }

  return TRUE;
}

static gboolean
name_is_taken (AstraSimData *data,
               const char   *name,
               AstraSimRole *except)
{
  for (guint i = 0; i < data->roles->len; i++)
    {
      AstraSimRole *role = g_ptr_array_index (data->roles, i);

      if (role != except && g_ascii_strcasecmp (role->name, name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
apply_input (AstraSimRequest *request,
             AstraSimRole    *role,
             RoleInput       *input)
{
  g_free (role->name);
  role->name = g_strdup (input->name);
  g_free (role->description);
  role->description = g_strdup (input->description);
  g_free (role->effect);
  role->effect = g_strdup (input->effect);
  g_strfreev (role->resources);
  role->resources = g_steal_pointer (&input->resources);
  g_strfreev (role->actions);
  role->actions = g_steal_pointer (&input->actions);
  role->last_update = g_get_real_time ();
  g_free (role->last_update_user);
  role->last_update_user = g_strdup (request->caller->client_id);
}

/* The role named by the last path segment, or NULL after answering 404. */
static AstraSimRole *
find_role_or_404 (AstraSimRequest *request)
{
  const char *id = request->segments[2];
  AstraSimRole *role = astra_sim_data_find_role (request->data, id);

  if (role == NULL)
    astra_sim_reply_error (request, SOUP_STATUS_NOT_FOUND, "role %s not found", id);
  return role;
}

/* ------------------------------------------------------------------------------------------
 * Handlers
 * ---------------------------------------------------------------------------------------- */

void
astra_sim_handle_list_roles (AstraSimRequest *request)
{
  astra_sim_reply_json (request, SOUP_STATUS_OK, astra_sim_wire_roles (request->data));
}

void
astra_sim_handle_get_role (AstraSimRequest *request)
{
  g_autofree char *drn = g_strdup_printf (DRN_PREFIX "%s:role:%s", request->data->org_id,
                                          request->segments[2]);
  AstraSimRole *role;

  if (!astra_sim_data_token_allows_on (request->data, request->caller, "org-role-read", drn))
    {
      astra_sim_reply_error (request, SOUP_STATUS_FORBIDDEN,
                             "the token's roles lack org-role-read on %s", drn);
      return;
    }

  role = find_role_or_404 (request);
  if (role != NULL)
    astra_sim_reply_json (request, SOUP_STATUS_OK, astra_sim_wire_role (role));
}

void
astra_sim_handle_create_role (AstraSimRequest *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(RoleInput) input = { 0 };
  JsonObject *body;
  AstraSimRole *role;

  body = astra_sim_request_parse_object (request, &root);
  if (body == NULL || !read_role_input (request, body, &input))
    return;

  if (name_is_taken (request->data, input.name, NULL))
    {
      astra_sim_reply_error (request, SOUP_STATUS_CONFLICT,
                             "a role named \"%s\" already exists", input.name);
      return;
    }

  role = astra_sim_role_new ();
  role->id = g_uuid_string_random ();
  apply_input (request, role, &input);
  astra_sim_data_add_role (request->data, role);
  astra_sim_server_changed (request->server);

  astra_sim_reply_json (request, SOUP_STATUS_CREATED,
                        astra_sim_wire_role_saved (request->data, role));
}

void
astra_sim_handle_update_role (AstraSimRequest *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(RoleInput) input = { 0 };
  AstraSimRole *role;
  JsonObject *body;

  role = find_role_or_404 (request);
  if (role == NULL)
    return;
  if (role->builtin)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "the built-in role \"%s\" cannot be modified", role->name);
      return;
    }

  body = astra_sim_request_parse_object (request, &root);
  if (body == NULL || !read_role_input (request, body, &input))
    return;

  if (name_is_taken (request->data, input.name, role))
    {
      astra_sim_reply_error (request, SOUP_STATUS_CONFLICT,
                             "a role named \"%s\" already exists", input.name);
      return;
    }

  apply_input (request, role, &input);
  astra_sim_server_changed (request->server);

  astra_sim_reply_json (request, SOUP_STATUS_OK,
                        astra_sim_wire_role_saved (request->data, role));
}

void
astra_sim_handle_delete_role (AstraSimRequest *request)
{
  AstraSimRole *role = find_role_or_404 (request);

  if (role == NULL)
    return;
  if (role->builtin)
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "the built-in role \"%s\" cannot be deleted", role->name);
      return;
    }

  astra_sim_data_remove_role (request->data, role->id);
  astra_sim_server_changed (request->server);
  astra_sim_reply_empty (request, SOUP_STATUS_NO_CONTENT);
}

/* astra-secret-store-generated.c: generated tokens in the keyring
 *
 * A "generated-token" item's label, the JSON document stored as its secret (client id,
 * secret, token, roles, dates, description) and the steps that list and look them up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-secret-store"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-json.h"
#include "astra-secret-store-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Label                                                                                      */
/* ------------------------------------------------------------------------------------------ */

char *
astra_secret_dup_generated_label (AstraConnection     *connection,
                                  AstraGeneratedToken *token)
{
  const char * const *role_names = astra_generated_token_get_role_names (token);
  const char *client_id = astra_generated_token_get_client_id (token);
  const char *org_name = astra_connection_get_org_name (connection);

  if (role_names != NULL && role_names[0] != NULL)
    {
      g_autofree char *roles = g_strjoinv (", ", (char **) role_names);

      /* Translators: the item name shown in Seahorse: client id, role names, org name. */
      return g_strdup_printf (_("Astra token %s (%s) — %s"), client_id, roles, org_name);
    }

  /* Translators: the item name shown in Seahorse: client id, org name. */
  return g_strdup_printf (_("Astra token %s — %s"), client_id, org_name);
}

/* The complete attributes of a generated token's item. Description, role names and org
 * name are there for searching without the secret (astra-held-index.c); the secret store
 * clears an item saved before they existed when the token is saved again. */
GHashTable *
astra_secret_new_generated_attributes (AstraConnection     *connection,
                                       AstraGeneratedToken *token)
{
  const char * const *role_names = astra_generated_token_get_role_names (token);
  const char *secret = astra_generated_token_get_secret (token);
  gboolean has_secret = secret != NULL && secret[0] != '\0';
  g_autofree char *roles = NULL;
  GHashTable *attributes;

  attributes = astra_secret_new_identity (KIND_GENERATED, astra_connection_get_org_id (connection),
                                          astra_generated_token_get_client_id (token));
  astra_secret_set_attribute (attributes, ATTR_ENVIRONMENT,
                              astra_environment_to_string (astra_connection_get_environment (connection)));
  astra_secret_set_attribute (attributes, ATTR_ORG_NAME, astra_connection_get_org_name (connection));
  astra_secret_set_attribute (attributes, ATTR_DESCRIPTION,
                              astra_generated_token_get_description (token));
  if (role_names != NULL)
    roles = g_strjoinv (", ", (char **) role_names);
  astra_secret_set_attribute (attributes, ATTR_ROLE_NAMES, roles);
  astra_secret_set_attribute (attributes, ATTR_HAS_CLIENT_SECRET,
                              has_secret ? "true" : "false");

  return attributes;
}

/* ------------------------------------------------------------------------------------------ */
/* Generated tokens                                                                           */
/* ------------------------------------------------------------------------------------------ */

/* The stored value: everything needed to copy or export the token later, offline.
 * (transfer full), to be freed with astra_secret_free(). */
char *
astra_secret_serialize_generated (AstraGeneratedToken *token,
                                  const char          *org_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *token_org = astra_generated_token_get_org_id (token);

  if (token_org == NULL || token_org[0] == '\0')
    token_org = org_id;

  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "clientId",
                                        astra_generated_token_get_client_id (token));
  astra_json_builder_add_string_member (builder, "secret",
                                        astra_generated_token_get_secret (token));
  astra_json_builder_add_string_member (builder, "token",
                                        astra_generated_token_get_token (token));
  astra_json_builder_add_strv_member (builder, "roles",
                                      astra_generated_token_get_role_ids (token));
  astra_json_builder_add_strv_member (builder, "roleNames",
                                      astra_generated_token_get_role_names (token));
  astra_json_builder_add_date_member (builder, "generatedOn",
                                      astra_generated_token_get_generated_on (token));
  astra_json_builder_add_string_member (builder, "description",
                                        astra_generated_token_get_description (token));
  astra_json_builder_add_string_member (builder, "orgId", token_org);
  astra_json_builder_add_date_member (builder, "expires",
                                      astra_generated_token_get_expires (token));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static GDateTime *
get_date_member (JsonObject *object,
                 const char *name)
{
  const char *text = astra_json_object_get_string (object, name);

  if (text == NULL || text[0] == '\0')
    return NULL;

  return g_date_time_new_from_iso8601 (text, NULL);
}

static AstraGeneratedToken *
parse_generated (char        *json,
                 const char  *client_id,
                 GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) role_ids = NULL;
  g_auto(GStrv) role_names = NULL;
  g_autoptr(GDateTime) generated_on = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GError) local_error = NULL;
  AstraGeneratedToken *token;
  const char *stored_client_id;
  const char *secret;
  const char *token_text;
  JsonObject *object;

  root = astra_json_parse (json, strlen (json), &local_error);
  /* json-glib holds its own copies now; ours goes right away. */
  astra_secret_wipe (json);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* Never echo the parser message: it may quote the secret. */
      g_set_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_CORRUPT,
                   _("The keyring item for token %s is not in a format this app can read"),
                   client_id);
      return NULL;
    }

  object = json_node_get_object (root);
  stored_client_id = astra_json_object_get_string (object, "clientId");
  secret = astra_json_object_get_string (object, "secret");
  token_text = astra_json_object_get_string (object, "token");

  if (g_strcmp0 (stored_client_id, client_id) != 0 || secret == NULL || token_text == NULL)
    {
      g_set_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_CORRUPT,
                   _("The keyring item for token %s is incomplete"), client_id);
      return NULL;
    }

  token = astra_generated_token_new (client_id, secret, token_text);
  astra_generated_token_set_org_id (token, astra_json_object_get_string (object, "orgId"));
  astra_generated_token_set_description (token,
                                         astra_json_object_get_string (object, "description"));

  role_ids = astra_json_object_dup_strv (object, "roles", FALSE);
  role_names = astra_json_object_dup_strv (object, "roleNames", FALSE);
  astra_generated_token_set_role_ids (token, (const char * const *) role_ids);
  astra_generated_token_set_role_names (token, (const char * const *) role_names);

  generated_on = get_date_member (object, "generatedOn");
  expires = get_date_member (object, "expires");
  astra_generated_token_set_generated_on (token, generated_on);
  astra_generated_token_set_expires (token, expires);

  return token;
}

static void
on_lookup_generated_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) json = NULL;
  AstraGeneratedToken *token;
  AstraSecretOp *op = g_task_get_task_data (task);

  json = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (json == NULL)
    {
      astra_secret_op_return_absent_or_locked (g_steal_pointer (&task));
      return;
    }

  token = parse_generated (json, op->client_id, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, token, g_object_unref);
}

void
astra_secret_op_lookup_generated_step (GTask *task)
{
  astra_secret_op_lookup (task, on_lookup_generated_cb);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
return_no_generated (GTask *task)
{
  g_task_return_pointer (task, g_new0 (char *, 1), (GDestroyNotify) g_strfreev);
  g_object_unref (task);
}

static void
on_list_generated_search_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) client_ids = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Nothing by name: maybe a keyring loaded locked (astra_secret_op_unlock_hidden ()). */
  if (items == NULL &&
      astra_secret_op_unlock_hidden (task, ((AstraSecretOp *) g_task_get_task_data (task))->identity,
                                     return_no_generated))
    {
      g_steal_pointer (&task);
      return;
    }

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  client_ids = g_ptr_array_new ();
  for (const GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *client_id = g_hash_table_lookup (attributes, ATTR_CLIENT_ID);

      if (client_id == NULL || client_id[0] == '\0' || g_hash_table_contains (seen, client_id))
        continue;

      client_id = g_strdup (client_id);
      g_hash_table_add (seen, (gpointer) client_id);
      g_ptr_array_add (client_ids, (gpointer) client_id);
    }
  g_list_free_full (items, g_object_unref);

  g_ptr_array_sort (client_ids, compare_strings);
  g_ptr_array_add (client_ids, NULL);

  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&client_ids), FALSE),
                         (GDestroyNotify) g_strfreev);
}

void
astra_secret_op_list_generated_step (GTask *task)
{
  AstraSecretOp *op = g_task_get_task_data (task);

  secret_password_searchv (astra_secret_get_schema (), op->identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task),
                           on_list_generated_search_cb, task);
}


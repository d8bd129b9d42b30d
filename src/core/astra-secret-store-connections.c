/* astra-secret-store-connections.c: organizations' management tokens in the keyring
 *
 * The attributes and label of a "management-token" item, and the steps that list the
 * connections, look up a token and rewrite an item under a new local label.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-secret-store"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-secret-store-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Attributes and label                                                                       */
/* ------------------------------------------------------------------------------------------ */

GHashTable *
astra_secret_new_connection_attributes (AstraConnection *connection)
{
  GHashTable *attributes = astra_secret_new_identity (KIND_MANAGEMENT,
                                                      astra_connection_get_org_id (connection),
                                                      NULL);
  AstraEnvironment environment = astra_connection_get_environment (connection);

  astra_secret_set_attribute (attributes, ATTR_CLIENT_ID, "");
  astra_secret_set_attribute (attributes, ATTR_ENVIRONMENT,
                              astra_environment_to_string (environment));
  astra_secret_set_attribute (attributes, ATTR_ORG_NAME,
                              astra_connection_get_org_name (connection));
  astra_secret_set_attribute (attributes, ATTR_API_URL,
                              astra_connection_get_api_url (connection));
  astra_secret_set_attribute (attributes, ATTR_LABEL, astra_connection_get_label (connection));
  astra_secret_set_attribute (attributes, ATTR_DEMO,
                              astra_connection_get_is_demo (connection) ? "true" : "false");

  return attributes;
}

char *
astra_secret_dup_connection_label (AstraConnection *connection)
{
  /* Translators: the item name shown in Seahorse; %s is the organization's name. */
  return g_strdup_printf (_("Astra management token — %s"),
                          astra_connection_get_org_name (connection));
}

/* ------------------------------------------------------------------------------------------ */
/* Connections                                                                                */
/* ------------------------------------------------------------------------------------------ */

static AstraConnection *
connection_from_attributes (GHashTable *attributes)
{
  const char *org_id = g_hash_table_lookup (attributes, ATTR_ORG_ID);
  const char *org_name = g_hash_table_lookup (attributes, ATTR_ORG_NAME);
  const char *api_url = g_hash_table_lookup (attributes, ATTR_API_URL);
  const char *label = g_hash_table_lookup (attributes, ATTR_LABEL);
  const char *demo = g_hash_table_lookup (attributes, ATTR_DEMO);
  AstraEnvironment environment = ASTRA_ENVIRONMENT_PRODUCTION;
  AstraConnection *connection;

  if (org_id == NULL || org_id[0] == '\0')
    return NULL;

  if (!astra_environment_from_string (g_hash_table_lookup (attributes, ATTR_ENVIRONMENT),
                                      &environment))
    environment = ASTRA_ENVIRONMENT_PRODUCTION;

  if (api_url != NULL && api_url[0] == '\0')
    api_url = NULL;

  /* A custom environment is useless without its URL. */
  if (environment == ASTRA_ENVIRONMENT_CUSTOM && api_url == NULL)
    return NULL;

  connection = astra_connection_new (org_id,
                                     org_name != NULL && org_name[0] != '\0' ? org_name : NULL,
                                     environment, api_url);
  astra_connection_set_label (connection, label);
  astra_connection_set_is_demo (connection, g_strcmp0 (demo, "true") == 0);

  return connection;
}

static int
compare_connections (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  AstraConnection *ca = (AstraConnection *) a;
  AstraConnection *cb = (AstraConnection *) b;
  g_autofree char *fa = g_utf8_casefold (astra_connection_get_display_name (ca), -1);
  g_autofree char *fb = g_utf8_casefold (astra_connection_get_display_name (cb), -1);
  int ret = g_utf8_collate (fa, fb);

  if (ret != 0)
    return ret;

  return g_strcmp0 (astra_connection_get_org_id (ca), astra_connection_get_org_id (cb));
}

static void
return_no_connections (GTask *task)
{
  g_task_return_pointer (task, g_list_store_new (ASTRA_TYPE_CONNECTION), g_object_unref);
  g_object_unref (task);
}

/* Left-over duplicates of one org (an interrupted update) show once: the newest.
 * Returns: (transfer none) (nullable): of @items (SecretRetrievable), the newest of @org_id */
SecretRetrievable *
astra_secret_find_newest_item (GList      *items,
                               const char *org_id)
{
  SecretRetrievable *newest = NULL;

  for (const GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);

      if (g_strcmp0 (g_hash_table_lookup (attributes, ATTR_ORG_ID), org_id) == 0 &&
          (newest == NULL ||
           secret_retrievable_get_modified (l->data) >= secret_retrievable_get_modified (newest)))
        newest = l->data;
    }

  return newest;
}

/* @items: (element-type SecretRetrievable): management-token items, as a search finds them
 * Returns: (transfer full): their connections, one per organization, sorted by display name */
GListStore *
astra_secret_connections_from_items (GList *items)
{
  g_autoptr(GHashTable) newest = NULL;   /* org id → SecretRetrievable */
  GListStore *store;
  GHashTableIter iter;
  gpointer value;

  newest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (const GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *org_id = g_hash_table_lookup (attributes, ATTR_ORG_ID);
      SecretRetrievable *previous;

      if (org_id == NULL || org_id[0] == '\0')
        continue;

      previous = g_hash_table_lookup (newest, org_id);
      if (previous == NULL ||
          secret_retrievable_get_modified (l->data) >= secret_retrievable_get_modified (previous))
        g_hash_table_replace (newest, g_strdup (org_id), l->data);
    }

  store = g_list_store_new (ASTRA_TYPE_CONNECTION);
  g_hash_table_iter_init (&iter, newest);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (value);
      g_autoptr(AstraConnection) connection = connection_from_attributes (attributes);

      if (connection != NULL)
        g_list_store_insert_sorted (store, connection, compare_connections, NULL);
    }

  return store;
}

static void
on_list_connections_search_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) store = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Nothing: a first start, or a keyring loaded locked that hides our items. Without this
   * the app would look unconnected instead of asking for the unlock. */
  if (items == NULL)
    {
      g_autoptr(GHashTable) identity = astra_secret_new_identity (KIND_MANAGEMENT, NULL, NULL);

      if (astra_secret_op_unlock_hidden (task, identity, return_no_connections))
        {
          g_steal_pointer (&task);
          return;
        }
    }

  store = astra_secret_connections_from_items (items);
  g_list_free_full (items, g_object_unref);

  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

void
astra_secret_op_list_connections_step (GTask *task)
{
  g_autoptr(GHashTable) identity = astra_secret_new_identity (KIND_MANAGEMENT, NULL, NULL);

  /* No LOAD_SECRETS and no UNLOCK: listing never prompts and never reads a token. */
  secret_password_searchv (astra_secret_get_schema (), identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task),
                           on_list_connections_search_cb, task);
}

static void
on_lookup_token_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (token == NULL)
    {
      astra_secret_op_return_absent_or_locked (g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, token, (GDestroyNotify) astra_secret_free);
}

void
astra_secret_op_lookup_token_step (GTask *task)
{
  astra_secret_op_lookup (task, on_lookup_token_cb);
}

static void
on_rename_lookup_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  AstraSecretOp *op = g_task_get_task_data (task);

  op->secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->secret == NULL)
    {
      astra_secret_op_return_absent_or_locked (g_steal_pointer (&task));
      return;
    }

  op->access = ASTRA_SECRET_ACCESS_WRITE;
  astra_secret_op_replace_step (g_steal_pointer (&task));
}

void
astra_secret_op_rename_step (GTask *task)
{
  astra_secret_op_lookup (task, on_rename_lookup_cb);
}


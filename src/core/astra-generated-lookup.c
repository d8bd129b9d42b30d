/* astra-generated-lookup.c: the stored tokens of given client ids, in whichever connected
 * organization the keyring holds them
 *
 * One step after the other: the connections, the client ids of each, then each token.
 * A client id held under two organizations (the same file imported into both) is taken
 * from the first one in the connections' order, which is the display order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-generated-lookup"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-connection.h"
#include "astra-generated-lookup.h"
#include "astra-generated-token.h"

typedef struct
{
  AstraSecretStore *store;
  char            **client_ids;
  GListModel       *connections;
  guint             next_connection;
  GHashTable       *org_of_client;  /* client id → org id */
  guint             next_token;
  GListStore       *found;
} Lookup;

static void list_next_connection (GTask *task);
static void lookup_next_token    (GTask *task);

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->store);
  g_clear_pointer (&lookup->client_ids, g_strfreev);
  g_clear_object (&lookup->connections);
  g_clear_pointer (&lookup->org_of_client, g_hash_table_unref);
  g_clear_object (&lookup->found);
  g_free (lookup);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_token_looked_up_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(AstraGeneratedToken) token = NULL;
  GError *error = NULL;

  token = astra_secret_store_lookup_generated_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  astra_generated_token_set_org_id (token, g_hash_table_lookup (lookup->org_of_client,
                                                                lookup->client_ids[lookup->next_token - 1]));
  g_list_store_append (lookup->found, token);
  lookup_next_token (g_steal_pointer (&task));
}

static void
on_generated_listed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(AstraConnection) connection = NULL;
  g_auto(GStrv) client_ids = NULL;
  GError *error = NULL;

  client_ids = astra_secret_store_list_generated_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (client_ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  connection = g_list_model_get_item (lookup->connections, lookup->next_connection - 1);
  for (guint i = 0; client_ids[i] != NULL; i++)
    if (!g_hash_table_contains (lookup->org_of_client, client_ids[i]))
      g_hash_table_insert (lookup->org_of_client, g_strdup (client_ids[i]),
                           g_strdup (astra_connection_get_org_id (connection)));

  list_next_connection (g_steal_pointer (&task));
}

static void
on_connections_listed_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  GError *error = NULL;

  lookup->connections = astra_secret_store_list_connections_finish (ASTRA_SECRET_STORE (object),
                                                                    result, &error);
  if (lookup->connections == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  list_next_connection (g_steal_pointer (&task));
}

/* ------------------------------------------------------------------------------------------ */
/* Steps                                                                                      */

static void
list_next_connection (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(AstraConnection) connection = NULL;

  if (lookup->next_connection >= g_list_model_get_n_items (lookup->connections))
    {
      lookup_next_token (task);
      return;
    }

  connection = g_list_model_get_item (lookup->connections, lookup->next_connection++);
  astra_secret_store_list_generated_async (lookup->store,
                                           astra_connection_get_org_id (connection),
                                           g_task_get_cancellable (task),
                                           on_generated_listed_cb, task);
}

static void
lookup_next_token (GTask *task)
{
  Lookup *lookup = g_task_get_task_data (task);
  const char *client_id;
  const char *org_id;

  if (lookup->client_ids[lookup->next_token] == NULL)
    {
      g_task_return_pointer (task, g_object_ref (lookup->found), g_object_unref);
      g_object_unref (task);
      return;
    }

  client_id = lookup->client_ids[lookup->next_token++];
  org_id = g_hash_table_lookup (lookup->org_of_client, client_id);
  if (org_id == NULL)
    {
      /* Client ids are not secret: naming it tells which argument is wrong. */
      g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND,
                               /* Translators: %s is a client id (24 letters and digits), not a secret. */
                               _("The keyring holds no token with client id “%s” in any "
                                 "connected organization."), client_id);
      g_object_unref (task);
      return;
    }

  astra_secret_store_lookup_generated_async (lookup->store, org_id, client_id,
                                             g_task_get_cancellable (task),
                                             on_token_looked_up_cb, task);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
astra_generated_lookup_async (AstraSecretStore    *store,
                              const char * const  *client_ids,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Lookup *lookup;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (store));
  g_return_if_fail (client_ids != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_generated_lookup_async);
  lookup = g_new0 (Lookup, 1);
  lookup->store = g_object_ref (store);
  lookup->client_ids = g_strdupv ((char **) client_ids);
  lookup->org_of_client = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lookup->found = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);

  astra_secret_store_list_connections_async (store, cancellable, on_connections_listed_cb, task);
}

GListModel *
astra_generated_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

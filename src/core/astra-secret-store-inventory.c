/* astra-secret-store-inventory.c: which client ids the keyring holds, across organizations
 *
 * For the scanner (astra-scan-classify.c): one search over the attributes of every
 * generated token, so a found token can be called "held" without unlocking or loading any
 * secret. The demo organization's in-memory tokens are not files anyone could leave
 * around, so they are not listed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-secret-store"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-secret-store-private.h"

/* Helpers {{{ */

static void
return_nothing_held (GTask *task)
{
  g_task_return_pointer (task, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
                         (GDestroyNotify) g_hash_table_unref);
  g_object_unref (task);
}

static void
on_list_held_search_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) held = NULL;
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
                                     return_nothing_held))
    {
      g_steal_pointer (&task);
      return;
    }

  held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (const GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *client_id = g_hash_table_lookup (attributes, ATTR_CLIENT_ID);
      const char *org_id = g_hash_table_lookup (attributes, ATTR_ORG_ID);

      if (client_id == NULL || client_id[0] == '\0' || org_id == NULL)
        continue;
      g_hash_table_replace (held, g_strdup (client_id), g_strdup (org_id));
    }
  g_list_free_full (items, g_object_unref);

  g_task_return_pointer (task, g_steal_pointer (&held), (GDestroyNotify) g_hash_table_unref);
}

static void
list_held_step (GTask *task)
{
  AstraSecretOp *op = g_task_get_task_data (task);

  secret_password_searchv (astra_secret_get_schema (), op->identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task),
                           on_list_held_search_cb, task);
}

/* }}} */
/* Public API {{{ */

/**
 * astra_secret_store_list_held_async:
 *
 * Lists the client id and organization of every generated token the keyring holds, from
 * the items' attributes only: nothing is unlocked (unless the keyring was loaded locked)
 * and no secret is loaded.
 */
void
astra_secret_store_list_held_async (AstraSecretStore    *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  astra_secret_op_run (astra_secret_op_task_new (self, ASTRA_SECRET_ACCESS_READ, list_held_step,
                                                 astra_secret_new_identity (KIND_GENERATED, NULL, NULL),
                                                 cancellable, callback, user_data,
                                                 astra_secret_store_list_held_async));
}

/**
 * astra_secret_store_list_held_finish:
 *
 * Returns: (transfer full): client id → org id (strings), possibly empty; %NULL on error.
 */
GHashTable *
astra_secret_store_list_held_finish (AstraSecretStore  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_secret_store_list_held_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */

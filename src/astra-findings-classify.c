/* astra-findings-classify.c: the findings page's classification (astra-findings-classify.h)
 *
 * One step after the other: the keyring's generated tokens, its found tokens, then each
 * connected organization's token list. Each callback takes the task and hands it on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-findings"

#include "config.h"

#include "astra-client.h"
#include "astra-findings-classify.h"
#include "astra-scan-classify.h"
#include "astra-secret-store.h"
#include "astra-token.h"

typedef struct
{
  GListModel         *findings;
  AstraScanKnowledge *knowledge;
  char              **found;        /* client ids of "found-token" items */
  GPtrArray          *connections;  /* AstraConnection: still to ask */
  AstraConnection    *connection;   /* being asked */
  gboolean            complete;
} Classify;

static void
classify_free (Classify *data)
{
  g_clear_object (&data->findings);
  g_clear_pointer (&data->knowledge, astra_scan_knowledge_free);
  g_clear_pointer (&data->found, g_strfreev);
  g_clear_pointer (&data->connections, g_ptr_array_unref);
  g_clear_object (&data->connection);
  g_free (data);
}

/* Helpers {{{ */

static gboolean
return_if_cancelled (GTask  *task,
                     GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  g_task_return_error (task, g_error_copy (error));
  return TRUE;
}

static void
finish (GTask *task)
{
  Classify *data = g_task_get_task_data (task);
  guint n = g_list_model_get_n_items (data->findings);

  astra_scan_knowledge_set_complete (data->knowledge, data->complete);
  astra_scan_classify (data->findings, data->knowledge);

  /* The scanner's rules know generated tokens; a found-token item is held all the same. */
  for (guint i = 0; data->found != NULL && i < n; i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (data->findings, i);
      const char *client_id = astra_scan_finding_get_client_id (finding);

      if (astra_scan_finding_get_state (finding) != ASTRA_SCAN_STATE_HELD &&
          g_strv_contains ((const char * const *) data->found, client_id))
        astra_scan_finding_set_state (finding, ASTRA_SCAN_STATE_HELD);
    }

  g_task_return_boolean (task, TRUE);
}

static void ask_next (GTask *task);

static void
on_tokens_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Classify *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) listed = NULL;
  g_autoptr(GPtrArray) client_ids = g_ptr_array_new ();

  listed = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, &error);
  if (return_if_cancelled (task, error))
    return;
  if (listed == NULL)
    {
      g_debug ("Token list for the findings: %s", error->message);
      data->complete = FALSE;
      ask_next (g_steal_pointer (&task));
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (listed); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (listed, i);

      g_ptr_array_add (client_ids, (gpointer) astra_token_get_client_id (token));
    }
  g_ptr_array_add (client_ids, NULL);
  astra_scan_knowledge_add_listing (data->knowledge,
                                    astra_connection_get_org_id (data->connection),
                                    (const char * const *) client_ids->pdata);
  ask_next (g_steal_pointer (&task));
}

static void
on_client_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Classify *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraClient) client = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  client = astra_context_get_client_finish (ASTRA_CONTEXT (object), result, &error);
  if (return_if_cancelled (task, error))
    return;
  if (client == NULL)
    {
      data->complete = FALSE;
      ask_next (g_steal_pointer (&task));
      return;
    }

  astra_client_list_tokens_async (client, cancellable, on_tokens_listed_cb,
                                  g_steal_pointer (&task));
}

static void
ask_next (GTask *task)
{
  Classify *data = g_task_get_task_data (task);
  AstraContext *context = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *own;

  if (data->connections->len == 0)
    {
      finish (task);
      g_object_unref (task);
      return;
    }

  g_set_object (&data->connection, g_ptr_array_index (data->connections, 0));
  g_ptr_array_remove_index (data->connections, 0);

  /* The token the app connects with is held too: it is the organization's keyring item. */
  own = astra_context_get_connection_client_id (context, astra_connection_get_org_id (data->connection));
  if (own != NULL)
    astra_scan_knowledge_add_held (data->knowledge, astra_connection_get_org_id (data->connection), own);

  astra_context_get_client_async (context, data->connection, cancellable, on_client_cb, task);
}

static void
on_found_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Classify *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->found = astra_secret_store_list_found_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (return_if_cancelled (task, error))
    return;
  if (error != NULL)
    g_debug ("Found tokens in the keyring: %s", error->message);

  ask_next (g_steal_pointer (&task));
}

static void
on_held_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Classify *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) held = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GHashTableIter iter;
  gpointer client_id;
  gpointer org_id;

  held = astra_secret_store_list_held_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (return_if_cancelled (task, error))
    return;
  if (held == NULL)
    {
      /* No keyring: nothing can be called held, nor a token nobody lists unknown. */
      g_debug ("No keyring to classify the findings with: %s", error->message);
      data->complete = FALSE;
      ask_next (g_steal_pointer (&task));
      return;
    }

  g_hash_table_iter_init (&iter, held);
  while (g_hash_table_iter_next (&iter, &client_id, &org_id))
    astra_scan_knowledge_add_held (data->knowledge, org_id, client_id);

  astra_secret_store_list_found_async (ASTRA_SECRET_STORE (object), cancellable,
                                       on_found_listed_cb, g_steal_pointer (&task));
}

/* }}} */
/* Public API {{{ */

/**
 * astra_findings_classify_async:
 * @findings: GListModel of AstraScanFinding; their "state" and "org-id" are set
 */
void
astra_findings_classify_async (AstraContext        *context,
                               GListModel          *findings,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GListModel *connections;
  Classify *data;

  g_return_if_fail (ASTRA_IS_CONTEXT (context));
  g_return_if_fail (G_IS_LIST_MODEL (findings));

  data = g_new0 (Classify, 1);
  data->findings = g_object_ref (findings);
  data->knowledge = astra_scan_knowledge_new ();
  data->connections = g_ptr_array_new_with_free_func (g_object_unref);
  data->complete = TRUE;

  /* The demo's tokens are made up on this computer: no file holds one by accident. */
  connections = astra_context_get_connections (context);
  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);

      if (!astra_connection_get_is_demo (connection))
        g_ptr_array_add (data->connections, g_steal_pointer (&connection));
    }

  task = g_task_new (context, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_findings_classify_async);
  g_task_set_task_data (task, data, (GDestroyNotify) classify_free);

  astra_secret_store_list_held_async (astra_context_get_secret_store (context), cancellable,
                                      on_held_listed_cb, g_steal_pointer (&task));
}

gboolean
astra_findings_classify_finish (AstraContext  *context,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, context), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */

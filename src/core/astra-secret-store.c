/* astra-secret-store.c: every secret the app keeps, in the Secret Service (libsecret)
 *
 * One schema with a "kind" attribute. Attributes and labels are stored unencrypted by
 * gnome-keyring and shown by Seahorse, so they only hold facts that are not secret: ids,
 * the environment, the org name, the API URL and the local label. A generated token's
 * description, role names and org name are attributes too (the Token list shows the first
 * two to anyone with the organization's token list, and the label already held the last
 * two), so that GNOME Shell's search finds tokens without unlocking anything; its dates
 * and role ids live inside the encrypted JSON value with the secret.
 *
 * Every item of one kind carries the same, complete set of attributes (absent values are
 * ""), because libsecret replaces an item only when all attributes match: storing the same
 * facts again replaces the item in place, and after storing changed facts (a renamed org,
 * a new local label) the items that differ are cleared by their own attributes, which can
 * then never match the new item. The new value is always written before anything old is
 * removed, so a failure loses nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-secret-store"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-secret-store-private.h"

struct _AstraSecretStore
{
  GObject     parent_instance;

  /* org id → (client id → AstraGeneratedToken): the organizations whose generated tokens
   * live in memory for the session instead of the keyring (the demo's). */
  GHashTable *memory;

  AstraSecretQueue queue;
  gboolean         no_prompt;   /* astra_secret_store_set_may_prompt() */
};

G_DEFINE_FINAL_TYPE (AstraSecretStore, astra_secret_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (astra-secret-store-error-quark, astra_secret_store_error)

enum {
  GENERATED_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a write of a generated token changes, told to the "generated-changed" listeners
 * once the keyring has confirmed it. */
typedef struct
{
  char     *org_id;
  char     *client_id;
  gboolean  held;
} GeneratedChange;

static void
generated_change_free (GeneratedChange *change)
{
  g_free (change->org_id);
  g_free (change->client_id);
  g_free (change);
}

static GTask *
new_generated_change_task (AstraSecretStore    *self,
                           const char          *org_id,
                           const char          *client_id,
                           gboolean             held,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data,
                           gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GeneratedChange *change = g_new0 (GeneratedChange, 1);

  change->org_id = g_strdup (org_id);
  change->client_id = g_strdup (client_id);
  change->held = held;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, change, (GDestroyNotify) generated_change_free);

  return task;
}

/* Tells the listeners, then the caller. @changed: FALSE when a delete found nothing. */
static void
return_generated_change (GTask    *task,
                         gboolean  changed)
{
  AstraSecretStore *self = g_task_get_source_object (task);
  GeneratedChange *change = g_task_get_task_data (task);

  if (changed)
    g_signal_emit (self, signals[GENERATED_CHANGED], 0,
                   change->org_id, change->client_id, change->held);
  g_task_return_boolean (task, changed);
}

static void
on_generated_written_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean changed = g_task_propagate_boolean (G_TASK (result), &error);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  return_generated_change (task, changed);
}

static int
compare_client_ids (gconstpointer a,
                    gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

AstraSecretQueue *
astra_secret_store_get_queue (AstraSecretStore *self)
{
  return &self->queue;
}

/* (transfer none) (nullable): the tokens of an organization kept in memory */
static GHashTable *
get_memory (AstraSecretStore *self,
            const char       *org_id)
{
  return org_id != NULL ? g_hash_table_lookup (self->memory, org_id) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
astra_secret_store_finalize (GObject *object)
{
  AstraSecretStore *self = ASTRA_SECRET_STORE (object);

  g_clear_pointer (&self->memory, g_hash_table_unref);

  G_OBJECT_CLASS (astra_secret_store_parent_class)->finalize (object);
}

static void
astra_secret_store_class_init (AstraSecretStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = astra_secret_store_finalize;

  /**
   * AstraSecretStore::generated-changed:
   * @org_id: the organization
   * @client_id: the token
   * @held: whether the store now holds the token's secret
   *
   * Emitted after a generated token's secret was saved or removed through this store
   * (and the keyring confirmed it), before the caller hears of it: every view of the
   * organization can follow at once.
   */
  signals[GENERATED_CHANGED] =
    g_signal_new ("generated-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
astra_secret_store_init (AstraSecretStore *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_hash_table_unref);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */
/* ------------------------------------------------------------------------------------------ */

AstraSecretStore *
astra_secret_store_new (void)
{
  return g_object_new (ASTRA_TYPE_SECRET_STORE, NULL);
}

/**
 * astra_secret_store_set_may_prompt:
 *
 * With %FALSE, nothing this store does asks to unlock the keyring: for scripts and git
 * hooks, which must never wait for a prompt nobody sees. Listings then give what is readable
 * without an unlock, and a secret or listing that only an unlock would give fails at once
 * with %ASTRA_SECRET_STORE_ERROR_LOCKED. Reads only: a write to a locked keyring may still
 * prompt. The default is %TRUE.
 */
void
astra_secret_store_set_may_prompt (AstraSecretStore *self,
                                   gboolean          may_prompt)
{
  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));

  self->no_prompt = !may_prompt;
}

gboolean
astra_secret_store_get_may_prompt (AstraSecretStore *self)
{
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (self), TRUE);

  return !self->no_prompt;
}

static gboolean
finish_boolean (AstraSecretStore  *self,
                GAsyncResult      *result,
                gpointer           source_tag,
                GError           **error)
{
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
finish_pointer (AstraSecretStore  *self,
                GAsyncResult      *result,
                gpointer           source_tag,
                GError           **error)
{
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GHashTable *
new_connection_identity (AstraConnection *connection)
{
  return astra_secret_new_identity (KIND_MANAGEMENT, astra_connection_get_org_id (connection),
                                    NULL);
}

/* Runs @step on the items named by @identity (transfer full; %NULL for all items). */
static void
run_op (AstraSecretStore    *self,
        AstraSecretAccess    access,
        AstraSecretOpStep    step,
        GHashTable          *identity,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data,
        gpointer             source_tag)
{
  astra_secret_op_run (astra_secret_op_task_new (self, access, step, identity,
                                                 cancellable, callback, user_data, source_tag));
}

/**
 * astra_secret_store_save_connection_async:
 * @connection: the organization; its org id identifies the item
 * @token: the management token (copied; the copy is wiped once stored)
 *
 * Stores the token in the default collection, replacing the organization's previous
 * item (a new token, org name or label), so one organization is always one item.
 */
void
astra_secret_store_save_connection_async (AstraSecretStore    *self,
                                          AstraConnection     *connection,
                                          const char          *token,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;
  AstraSecretOp *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));
  g_return_if_fail (token != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = astra_secret_op_task_new (self, ASTRA_SECRET_ACCESS_WRITE, astra_secret_op_replace_step,
                                   new_connection_identity (connection),
                                   cancellable, callback, user_data,
                                   astra_secret_store_save_connection_async);
  op = g_task_get_task_data (task);
  op->attributes = astra_secret_new_connection_attributes (connection);
  op->label = astra_secret_dup_connection_label (connection);
  op->secret = g_strdup (token);

  astra_secret_op_run (task);
}

gboolean
astra_secret_store_save_connection_finish (AstraSecretStore  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  return finish_boolean (self, result, astra_secret_store_save_connection_async, error);
}

/**
 * astra_secret_store_rename_connection_async:
 * @label: (nullable): the new local label; %NULL or "" for the org name
 *
 * Rewrites the organization's item with the new label attribute, keeping its token.
 * Fails with %ASTRA_SECRET_STORE_ERROR_NOT_FOUND when the organization has no item.
 * @connection itself is not changed: set its label once this succeeds.
 */
void
astra_secret_store_rename_connection_async (AstraSecretStore    *self,
                                            AstraConnection     *connection,
                                            const char          *label,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autofree char *stripped = NULL;
  GTask *task;
  AstraSecretOp *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  stripped = g_strstrip (g_strdup (label != NULL ? label : ""));

  task = astra_secret_op_task_new (self, ASTRA_SECRET_ACCESS_READ, astra_secret_op_rename_step,
                                   new_connection_identity (connection),
                                   cancellable, callback, user_data,
                                   astra_secret_store_rename_connection_async);
  op = g_task_get_task_data (task);
  op->attributes = astra_secret_new_connection_attributes (connection);
  astra_secret_set_attribute (op->attributes, ATTR_LABEL, stripped);
  op->label = astra_secret_dup_connection_label (connection);

  astra_secret_op_run (task);
}

gboolean
astra_secret_store_rename_connection_finish (AstraSecretStore  *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  return finish_boolean (self, result, astra_secret_store_rename_connection_async, error);
}

/**
 * astra_secret_store_list_connections_async:
 *
 * Reads the connected organizations from the keyring's attributes, without loading or
 * unlocking any secret.
 */
void
astra_secret_store_list_connections_async (AstraSecretStore    *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_op (self, ASTRA_SECRET_ACCESS_READ, astra_secret_op_list_connections_step, NULL,
          cancellable, callback, user_data, astra_secret_store_list_connections_async);
}

/**
 * astra_secret_store_list_connections_finish:
 *
 * Returns: (transfer full): a #GListModel of #AstraConnection sorted by display name,
 *   or %NULL with @error set.
 */
GListModel *
astra_secret_store_list_connections_finish (AstraSecretStore  *self,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  return finish_pointer (self, result, astra_secret_store_list_connections_async, error);
}

void
astra_secret_store_lookup_token_async (AstraSecretStore    *self,
                                       const char          *org_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_op (self, ASTRA_SECRET_ACCESS_READ, astra_secret_op_lookup_token_step,
          astra_secret_new_identity (KIND_MANAGEMENT, org_id, NULL),
          cancellable, callback, user_data, astra_secret_store_lookup_token_async);
}

/**
 * astra_secret_store_lookup_token_finish:
 *
 * Returns: (transfer full): the management token, to be freed with astra_secret_free();
 *   %NULL with %ASTRA_SECRET_STORE_ERROR_NOT_FOUND when there is none, or
 *   %ASTRA_SECRET_STORE_ERROR_LOCKED when it exists but stayed locked.
 */
char *
astra_secret_store_lookup_token_finish (AstraSecretStore  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  return finish_pointer (self, result, astra_secret_store_lookup_token_async, error);
}

/**
 * astra_secret_store_forget_connection_async:
 *
 * Removes the organization's management token(s). Succeeds (TRUE) also when there was
 * nothing to remove: afterwards the organization is not connected either way.
 */
void
astra_secret_store_forget_connection_async (AstraSecretStore    *self,
                                            const char          *org_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run_op (self, ASTRA_SECRET_ACCESS_WRITE, astra_secret_op_clear_step,
          astra_secret_new_identity (KIND_MANAGEMENT, org_id, NULL),
          cancellable, callback, user_data, astra_secret_store_forget_connection_async);
}

gboolean
astra_secret_store_forget_connection_finish (AstraSecretStore  *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!finish_boolean (self, result, astra_secret_store_forget_connection_async, &local_error) &&
      local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * astra_secret_store_save_generated_async:
 * @connection: the organization the token belongs to (org id, environment, org name)
 * @token: the token with its secret
 *
 * Stores client id, secret, token, roles, dates and description as one JSON value,
 * replacing an earlier item for the same client id.
 */
void
astra_secret_store_save_generated_async (AstraSecretStore    *self,
                                         AstraConnection     *connection,
                                         AstraGeneratedToken *token,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  const char *org_id;
  const char *client_id;
  GHashTable *memory;
  GTask *outer;
  GTask *task;
  AstraSecretOp *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));
  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (token));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  org_id = astra_connection_get_org_id (connection);
  client_id = astra_generated_token_get_client_id (token);

  outer = new_generated_change_task (self, org_id, client_id, TRUE, cancellable, callback,
                                     user_data, astra_secret_store_save_generated_async);

  if (client_id == NULL || client_id[0] == '\0' ||
      astra_generated_token_get_secret (token) == NULL)
    {
      g_task_return_new_error (outer, ASTRA_SECRET_STORE_ERROR,
                               ASTRA_SECRET_STORE_ERROR_WRITE_FAILED,
                               _("Could not save to the keyring: the token has no client id or secret"));
      g_object_unref (outer);
      return;
    }

  if ((memory = get_memory (self, org_id)) != NULL)
    {
      g_hash_table_replace (memory, g_strdup (client_id), g_object_ref (token));
      return_generated_change (outer, TRUE);
      g_object_unref (outer);
      return;
    }

  task = astra_secret_op_task_new (self, ASTRA_SECRET_ACCESS_WRITE, astra_secret_op_replace_step,
                                   NULL, cancellable, on_generated_written_cb, outer,
                                   astra_secret_store_save_generated_async);
  op = g_task_get_task_data (task);

  op->identity = astra_secret_new_identity (KIND_GENERATED, org_id, client_id);
  op->attributes = astra_secret_new_generated_attributes (connection, token);
  op->label = astra_secret_dup_generated_label (connection, token);
  op->secret = astra_secret_serialize_generated (token, org_id);

  astra_secret_op_run (task);
}

gboolean
astra_secret_store_save_generated_finish (AstraSecretStore  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  return finish_boolean (self, result, astra_secret_store_save_generated_async, error);
}

/**
 * astra_secret_store_list_generated_async:
 *
 * Lists the client ids of @org_id's generated tokens held in the keyring, from the
 * attributes only: nothing is unlocked or loaded.
 */
void
astra_secret_store_list_generated_async (AstraSecretStore    *self,
                                         const char          *org_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GHashTable *memory;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if ((memory = get_memory (self, org_id)) != NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      GHashTableIter iter;
      gpointer client_id;

      g_task_set_source_tag (task, astra_secret_store_list_generated_async);
      g_hash_table_iter_init (&iter, memory);
      while (g_hash_table_iter_next (&iter, &client_id, NULL))
        g_ptr_array_add (ids, g_strdup (client_id));
      g_ptr_array_sort (ids, compare_client_ids);
      g_ptr_array_add (ids, NULL);
      g_task_return_pointer (task, g_ptr_array_steal (ids, NULL), (GDestroyNotify) g_strfreev);
      return;
    }

  run_op (self, ASTRA_SECRET_ACCESS_READ, astra_secret_op_list_generated_step,
          astra_secret_new_identity (KIND_GENERATED, org_id, NULL),
          cancellable, callback, user_data, astra_secret_store_list_generated_async);
}

/**
 * astra_secret_store_list_generated_finish:
 *
 * Returns: (transfer full): the client ids, sorted, possibly empty; %NULL on error.
 */
char **
astra_secret_store_list_generated_finish (AstraSecretStore  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  return finish_pointer (self, result, astra_secret_store_list_generated_async, error);
}

/**
 * astra_secret_store_list_secretless_async:
 *
 * Lists the client ids of @org_id's generated tokens whose keyring item keeps no client
 * secret (a token kept from a file that held it alone), from the attributes only: nothing
 * is unlocked or loaded. Items saved before the store noted this have a client secret.
 */
void
astra_secret_store_list_secretless_async (AstraSecretStore    *self,
                                          const char          *org_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GHashTable *identity;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* The demo's tokens are generated in the session, each with its client secret. */
  if (get_memory (self, org_id) != NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, astra_secret_store_list_secretless_async);
      g_task_return_pointer (task, g_new0 (char *, 1), (GDestroyNotify) g_strfreev);
      return;
    }

  identity = astra_secret_new_identity (KIND_GENERATED, org_id, NULL);
  astra_secret_set_attribute (identity, ATTR_HAS_CLIENT_SECRET, "false");
  run_op (self, ASTRA_SECRET_ACCESS_READ, astra_secret_op_list_generated_step, identity,
          cancellable, callback, user_data, astra_secret_store_list_secretless_async);
}

/**
 * astra_secret_store_list_secretless_finish:
 *
 * Returns: (transfer full): the client ids, sorted, possibly empty; %NULL on error.
 */
char **
astra_secret_store_list_secretless_finish (AstraSecretStore  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  return finish_pointer (self, result, astra_secret_store_list_secretless_async, error);
}

void
astra_secret_store_lookup_generated_async (AstraSecretStore    *self,
                                           const char          *org_id,
                                           const char          *client_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GHashTable *memory;
  GTask *task;
  AstraSecretOp *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if ((memory = get_memory (self, org_id)) != NULL)
    {
      AstraGeneratedToken *token = g_hash_table_lookup (memory, client_id);

      task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, astra_secret_store_lookup_generated_async);
      if (token != NULL)
        g_task_return_pointer (task, g_object_ref (token), g_object_unref);
      else
        g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND,
                                 _("This token’s secret is not in the keyring"));
      g_object_unref (task);
      return;
    }

  task = astra_secret_op_task_new (self, ASTRA_SECRET_ACCESS_READ,
                                   astra_secret_op_lookup_generated_step,
                                   astra_secret_new_identity (KIND_GENERATED, org_id, client_id),
                                   cancellable, callback, user_data,
                                   astra_secret_store_lookup_generated_async);
  op = g_task_get_task_data (task);
  op->client_id = g_strdup (client_id);

  astra_secret_op_run (task);
}

/**
 * astra_secret_store_lookup_generated_finish:
 *
 * Returns: (transfer full): the token with its secret; %NULL with NOT_FOUND, LOCKED or
 *   CORRUPT (a value this app cannot read) in @error.
 */
AstraGeneratedToken *
astra_secret_store_lookup_generated_finish (AstraSecretStore  *self,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  return finish_pointer (self, result, astra_secret_store_lookup_generated_async, error);
}

void
astra_secret_store_delete_generated_async (AstraSecretStore    *self,
                                           const char          *org_id,
                                           const char          *client_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GHashTable *memory;
  GTask *outer;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  outer = new_generated_change_task (self, org_id, client_id, FALSE, cancellable, callback,
                                     user_data, astra_secret_store_delete_generated_async);

  if ((memory = get_memory (self, org_id)) != NULL)
    {
      return_generated_change (outer, g_hash_table_remove (memory, client_id));
      g_object_unref (outer);
      return;
    }

  run_op (self, ASTRA_SECRET_ACCESS_WRITE, astra_secret_op_clear_step,
          astra_secret_new_identity (KIND_GENERATED, org_id, client_id),
          cancellable, on_generated_written_cb, outer,
          astra_secret_store_delete_generated_async);
}

/**
 * astra_secret_store_delete_generated_finish:
 *
 * Returns: %TRUE when an item was removed, %FALSE without @error when there was none.
 */
gboolean
astra_secret_store_delete_generated_finish (AstraSecretStore  *self,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  return finish_boolean (self, result, astra_secret_store_delete_generated_async, error);
}


/**
 * astra_secret_store_keep_in_memory:
 * @org_id: an organization that lives only for this session (the demo)
 *
 * From now on the generated tokens of @org_id are kept in memory, never in the keyring:
 * saved, listed, looked up and deleted as usual, and gone with
 * astra_secret_store_release_memory() or the store.
 */
void
astra_secret_store_keep_in_memory (AstraSecretStore *self,
                                   const char       *org_id)
{
  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);

  if (get_memory (self, org_id) == NULL)
    g_hash_table_insert (self->memory, g_strdup (org_id),
                         g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref));
}

/**
 * astra_secret_store_release_memory:
 *
 * Forgets what astra_secret_store_keep_in_memory() kept for @org_id, secrets included.
 */
void
astra_secret_store_release_memory (AstraSecretStore *self,
                                   const char       *org_id)
{
  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);

  g_hash_table_remove (self->memory, org_id);
}

gboolean
astra_secret_store_is_in_memory (AstraSecretStore *self,
                                 const char       *org_id)
{
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (self), FALSE);

  return get_memory (self, org_id) != NULL;
}

/* astra-secret-store-op.c: the machinery every secret store operation runs on
 *
 * An operation is a GTask carrying an AstraSecretOp: it first checks for a session bus,
 * then runs its step. Here are the schema and attribute helpers, the mapping of libsecret
 * errors to ASTRA_SECRET_STORE_ERROR, the store-then-clear replacement and the lookups
 * that tell an absent item from a locked one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-secret-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-secret-store-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Schema and attributes                                                                      */
/* ------------------------------------------------------------------------------------------ */

#define SCHEMA_ATTRIBUTES \
  { \
    { ATTR_KIND, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_ORG_ID, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_CLIENT_ID, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_ENVIRONMENT, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_ORG_NAME, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_API_URL, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_LABEL, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_DEMO, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_DESCRIPTION, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_ROLE_NAMES, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { ATTR_HAS_CLIENT_SECRET, SECRET_SCHEMA_ATTRIBUTE_STRING }, \
    { NULL, 0 }, \
  }

const SecretSchema *
astra_secret_get_schema (void)
{
  static const SecretSchema schema = { BASE_APP_ID, SECRET_SCHEMA_NONE, SCHEMA_ATTRIBUTES };

  return &schema;
}

/* The same attributes without the schema name. gnome-keyring keeps the attributes of a
 * keyring it loaded locked from disk only as hashes, and the schema name ("xdg:schema")
 * not at all: until it is unlocked, only a search without the name finds our items. */
static const SecretSchema *
get_schema_any_name (void)
{
  static const SecretSchema schema = {
    BASE_APP_ID, SECRET_SCHEMA_DONT_MATCH_NAME, SCHEMA_ATTRIBUTES
  };

  return &schema;
}

GHashTable *
astra_secret_new_attributes (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

void
astra_secret_set_attribute (GHashTable *attributes,
                            const char *name,
                            const char *value)
{
  g_hash_table_replace (attributes, g_strdup (name), g_strdup (value != NULL ? value : ""));
}

GHashTable *
astra_secret_new_identity (const char *kind,
                           const char *org_id,
                           const char *client_id)
{
  GHashTable *attributes = astra_secret_new_attributes ();

  astra_secret_set_attribute (attributes, ATTR_KIND, kind);
  if (org_id != NULL)
    astra_secret_set_attribute (attributes, ATTR_ORG_ID, org_id);
  if (client_id != NULL)
    astra_secret_set_attribute (attributes, ATTR_CLIENT_ID, client_id);

  return attributes;
}

static void
op_free (gpointer data)
{
  AstraSecretOp *op = data;

  g_clear_pointer (&op->identity, g_hash_table_unref);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_clear_pointer (&op->label, g_free);
  g_clear_pointer (&op->secret, astra_secret_free);
  g_list_free_full (g_steal_pointer (&op->stale), g_object_unref);
  g_clear_pointer (&op->org_id, g_free);
  g_clear_pointer (&op->client_id, g_free);
  g_free (op);
}


static gboolean
attributes_equal (GHashTable *a,
                  GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      /* gnome-keyring adds "xdg:schema"; only our own attributes matter. */
      if (g_str_has_prefix (key, "xdg:"))
        continue;
      if (g_strcmp0 (g_hash_table_lookup (b, key), value) != 0)
        return FALSE;
    }

  g_hash_table_iter_init (&iter, b);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_str_has_prefix (key, "xdg:"))
        continue;
      if (!g_hash_table_contains (a, key))
        return FALSE;
    }

  return TRUE;
}

/* TRUE when every attribute of @subset has the same value in @superset: clearing by
 * @subset would then also remove the @superset item. */
static gboolean
attributes_match (GHashTable *subset,
                  GHashTable *superset)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, subset);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_str_has_prefix (key, "xdg:"))
        continue;
      if (g_strcmp0 (g_hash_table_lookup (superset, key), value) != 0)
        return FALSE;
    }

  return TRUE;
}

/* The attributes of @attributes that our schema knows: libsecret refuses others in a
 * match (and an item written by a later version might carry more). */
static GHashTable *
copy_schema_attributes (GHashTable *attributes)
{
  const SecretSchema *schema = astra_secret_get_schema ();
  GHashTable *copy = astra_secret_new_attributes ();

  for (guint i = 0; schema->attributes[i].name != NULL; i++)
    {
      const char *value = g_hash_table_lookup (attributes, schema->attributes[i].name);

      if (value != NULL)
        astra_secret_set_attribute (copy, schema->attributes[i].name, value);
    }

  return copy;
}

static gboolean
is_no_service_error (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
        /* The "default" alias points nowhere: a keyring daemon without a login keyring
         * that could not ask the user to create one. */
        case G_DBUS_ERROR_UNKNOWN_OBJECT:
        case G_DBUS_ERROR_UNKNOWN_METHOD:
          return TRUE;

        default:
          return FALSE;
        }
    }

  return g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static gboolean uses_file_backend (void);

/* Turns a libsecret/GDBus error into one of ours. Cancellation by the caller stays
 * G_IO_ERROR_CANCELLED, so that UIs can ignore it. Takes ownership of @error. */
static GError *
map_error (GError       *error,
           GCancellable *cancellable,
           AstraSecretAccess        access)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        return g_steal_pointer (&owned);

      return g_error_new_literal (ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED,
                                  _("The keyring stays locked: its unlock prompt was dismissed"));
    }

  /* libsecret's text ("Cannot create an item in a locked collection") is for developers:
   * say what happened and what to do, in the log only the original. */
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      g_debug ("Keyring locked: %s", error->message);
      return g_error_new_literal (ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED,
                                  _("The keyring is locked and could not be unlocked. Unlock "
                                    "it (for example in Passwords and Keys) and try again."));
    }

  /* libsecret keeps one connection to the Secret Service, with its encryption session, for
   * the life of the process. When the keyring daemon went away (killed, restarted), every
   * later call fails on that stale session; dropping it makes the next call (Retry)
   * connect afresh, to a daemon D-Bus starts again. Users of the old one keep their ref. */
  if (!uses_file_backend ())
    secret_service_disconnect ();

  /* The D-Bus text ("The name org.freedesktop.secrets was not provided by any .service
   * files") means nothing to a person: say what is missing and what to do instead. */
  if (is_no_service_error (error))
    {
      g_debug ("No Secret Service: %s", error->message);
      return g_error_new_literal (ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NO_SERVICE,
                                  _("No keyring is available: no keyring service (such as "
                                    "GNOME Keyring) is running. Copy or export what you need "
                                    "now, it cannot be saved."));
    }

  if (access == ASTRA_SECRET_ACCESS_WRITE)
    return g_error_new (ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_WRITE_FAILED,
                        _("Could not save to the keyring: %s"), error->message);

  return g_error_new (ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_FAILED,
                      _("Could not read the keyring: %s"), error->message);
}

void
astra_secret_op_return_error (GTask  *task,
                              GError *error)
{
  AstraSecretOp *op = g_task_get_task_data (task);

  g_task_return_error (task, map_error (error, g_task_get_cancellable (task), op->access));
}

/* @identity: (transfer full) (nullable): the attributes naming the items to work on */
GTask *
astra_secret_op_task_new (AstraSecretStore    *self,
                          AstraSecretAccess    access,
                          AstraSecretOpStep    step,
                          GHashTable          *identity,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  AstraSecretOp *op = g_new0 (AstraSecretOp, 1);

  op->access = access;
  op->step = step;
  op->identity = identity;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_free);

  return task;
}

static gboolean
uses_file_backend (void)
{
  /* libsecret's file backend (SECRET_BACKEND=file) needs no session bus. */
  return g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0;
}

static void
on_bus_get_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  AstraSecretOp *op = g_task_get_task_data (task);

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR,
                                 ASTRA_SECRET_STORE_ERROR_NO_SERVICE,
                                 _("No keyring is available: there is no D-Bus session bus (%s)"),
                                 error->message);
      return;
    }

  op->step (g_steal_pointer (&task));
}

/* Checks for a session bus before talking to libsecret: without one its errors are
 * generic GIO failures that say nothing about a missing keyring. */
static void
start_op (GTask *task)
{
  AstraSecretOp *op = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (uses_file_backend ())
    op->step (task);
  else
    g_bus_get (G_BUS_TYPE_SESSION, g_task_get_cancellable (task), on_bus_get_cb, task);
}

/* Operations run as readers and writers: any number of reads at once, a write alone.
 * libsecret 0.20.5 is not safe otherwise: a search that loads an item another operation
 * deletes meanwhile fails with "No such secret item" and then completes its task a second
 * time (a critical, and the search's caller called twice). Both happen as soon as a
 * revoked token's secret is removed while a window lists the keyring again. */
static gboolean
is_exclusive (AstraSecretOp *op)
{
  return op->access == ASTRA_SECRET_ACCESS_WRITE || op->step == astra_secret_op_rename_step;
}

static void
start_waiting_ops (AstraSecretStore *self)
{
  AstraSecretQueue *queue = astra_secret_store_get_queue (self);

  while (!g_queue_is_empty (&queue->waiting) && queue->writing == 0)
    {
      GTask *task = g_queue_peek_head (&queue->waiting);
      AstraSecretOp *op = g_task_get_task_data (task);

      if (is_exclusive (op) && queue->reading > 0)
        return;

      g_queue_pop_head (&queue->waiting);
      if (is_exclusive (op))
        queue->writing++;
      else
        queue->reading++;
      op->queued = TRUE;
      start_op (task);
    }
}

static void
on_op_completed_cb (GTask      *task,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  AstraSecretStore *self = g_task_get_source_object (task);
  AstraSecretQueue *queue = astra_secret_store_get_queue (self);
  AstraSecretOp *op = g_task_get_task_data (task);

  if (!op->queued)
    return;
  op->queued = FALSE;

  if (is_exclusive (op))
    queue->writing--;
  else
    queue->reading--;
  start_waiting_ops (self);
}

void
astra_secret_op_run (GTask *task)
{
  AstraSecretStore *self = g_task_get_source_object (task);
  AstraSecretQueue *queue = astra_secret_store_get_queue (self);

  g_signal_connect (task, "notify::completed", G_CALLBACK (on_op_completed_cb), NULL);
  g_queue_push_tail (&queue->waiting, task);
  start_waiting_ops (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Store, then clear outdated items                                                           */
/* ------------------------------------------------------------------------------------------ */

static void clear_next_stale (GTask *task);

static void
on_stale_removed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (SECRET_IS_ITEM (object))
    secret_item_delete_finish (SECRET_ITEM (object), result, &error);
  else
    secret_password_clear_finish (result, &error);

  /* The new item is safely stored; an outdated copy left behind is only untidy, and
   * listing keeps the newest item per org. */
  if (error != NULL)
    g_debug ("Could not remove an outdated keyring item: %s", error->message);

  clear_next_stale (g_steal_pointer (&task));
}

static void
clear_next_stale (GTask *task)
{
  AstraSecretOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(SecretRetrievable) stale = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GHashTable) match = NULL;

  if (op->stale == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  stale = op->stale->data;
  op->stale = g_list_delete_link (op->stale, op->stale);

  /* Through the Secret Service, items are objects that can be deleted one by one. */
  if (SECRET_IS_ITEM (stale))
    {
      secret_item_delete (SECRET_ITEM (stale), cancellable, on_stale_removed_cb, task);
      return;
    }

  /* Other backends only clear by attributes: unless that match would also find the new
   * item (the stale item has a subset of its attributes), then it stays. */
  attributes = secret_retrievable_get_attributes (stale);
  match = copy_schema_attributes (attributes);
  if (attributes_match (match, op->attributes))
    {
      clear_next_stale (task);
      return;
    }

  secret_password_clearv (astra_secret_get_schema (), match, cancellable,
                          on_stale_removed_cb, task);
}

static void
on_replace_search_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  AstraSecretOp *op = g_task_get_task_data (task);
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_debug ("Could not look for outdated keyring items: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (const GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);

      if (!attributes_equal (attributes, op->attributes))
        op->stale = g_list_prepend (op->stale, g_object_ref (l->data));
    }
  g_list_free_full (items, g_object_unref);

  clear_next_stale (g_steal_pointer (&task));
}

static void
on_replace_stored_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  AstraSecretOp *op = g_task_get_task_data (task);
  GCancellable *cancellable;

  g_clear_pointer (&op->secret, astra_secret_free);

  if (!secret_password_store_finish (result, &error))
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Not g_steal_pointer() in the same call: argument evaluation order is unspecified. */
  cancellable = g_task_get_cancellable (task);
  secret_password_searchv (astra_secret_get_schema (), op->identity, SECRET_SEARCH_ALL, cancellable,
                           on_replace_search_cb, g_steal_pointer (&task));
}

/* Stores op->secret under op->attributes, then clears items with the same identity but
 * other attributes. */
void
astra_secret_op_replace_step (GTask *task)
{
  AstraSecretOp *op = g_task_get_task_data (task);

  g_assert (op->secret != NULL);
  g_assert (op->attributes != NULL);
  g_assert (op->identity != NULL);

  secret_password_storev (astra_secret_get_schema (), op->attributes, SECRET_COLLECTION_DEFAULT,
                          op->label, op->secret, g_task_get_cancellable (task),
                          on_replace_stored_cb, task);
}

/* ------------------------------------------------------------------------------------------ */
/* Lookups: telling "absent" from "locked"                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
on_absent_unlock_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  AstraSecretOp *op = g_task_get_task_data (task);
  gboolean locked = FALSE;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (items == NULL)
    {
      g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND,
                               _("The keyring holds no such secret"));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (SECRET_ITEM (l->data)))
      locked = TRUE;
  g_list_free_full (items, g_object_unref);

  if (locked)
    {
      g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED,
                               _("The keyring is locked: unlock it to use the stored secret"));
      return;
    }

  /* Unlocked: now the item can be found by name, and the operation runs again. */
  op->step (g_steal_pointer (&task));
}

/* The flags of a search that may unlock what it finds: the usual unlock prompt, unless the
 * store may not prompt. */
static SecretSearchFlags
unlock_search_flags (GTask *task)
{
  AstraSecretStore *self = g_task_get_source_object (task);

  if (!astra_secret_store_get_may_prompt (self))
    return SECRET_SEARCH_ALL;
  return SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK;
}

static void
on_absent_search_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  AstraSecretOp *op = g_task_get_task_data (task);
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (items != NULL)
    {
      g_list_free_full (items, g_object_unref);
      g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED,
                               _("The keyring is locked: unlock it to use the stored secret"));
      return;
    }

  /* Not found by name: it may be in a keyring that was loaded locked (after a login that
   * did not unlock it, or after the keyring daemon restarted), where the name cannot be
   * matched. Look again without it, unlocking what matches: the usual unlock prompt. */
  if (!op->unlock_tried && !uses_file_backend ())
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      SecretSearchFlags flags = unlock_search_flags (task);

      op->unlock_tried = TRUE;
      secret_password_searchv (get_schema_any_name (), op->identity, flags, cancellable,
                               on_absent_unlock_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND,
                           _("The keyring holds no such secret"));
}

/* Listings: a keyring loaded locked hides our items                                          */

typedef struct
{
  GTask             *task;
  AstraSecretOpStep  nothing;
} UnlockHidden;

static void
on_unlock_hidden_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  UnlockHidden *data = user_data;
  g_autoptr(GTask) task = data->task;
  AstraSecretOp *op = g_task_get_task_data (task);
  AstraSecretOpStep nothing = data->nothing;
  g_autoptr(GError) error = NULL;
  gboolean locked = FALSE;
  GList *items;

  g_free (data);
  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (items == NULL)
    {
      nothing (g_steal_pointer (&task));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (SECRET_ITEM (l->data)))
      locked = TRUE;
  g_list_free_full (items, g_object_unref);

  if (locked)
    {
      g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED,
                               _("The keyring is locked: unlock it to see the stored organizations and tokens"));
      return;
    }

  /* Unlocked: the names can be matched again, and the listing runs again. */
  op->step (g_steal_pointer (&task));
}

gboolean
astra_secret_op_unlock_hidden (GTask             *task,
                               GHashTable        *identity,
                               AstraSecretOpStep  nothing)
{
  AstraSecretOp *op = g_task_get_task_data (task);
  UnlockHidden *data;

  if (op->unlock_tried || uses_file_backend ())
    return FALSE;

  op->unlock_tried = TRUE;
  data = g_new0 (UnlockHidden, 1);
  data->task = task;
  data->nothing = nothing;
  secret_password_searchv (get_schema_any_name (), identity,
                           unlock_search_flags (task), g_task_get_cancellable (task),
                           on_unlock_hidden_cb, data);
  return TRUE;
}

/* Lookups that may not prompt                                                                */

typedef struct
{
  GTask               *task;
  GAsyncReadyCallback  callback;
} Lookup;

static void
on_lookup_precheck_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GTask) task = lookup->task;
  GAsyncReadyCallback callback = lookup->callback;
  AstraSecretOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  gboolean locked = FALSE;
  GList *items;

  g_free (lookup);
  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (SECRET_ITEM (l->data)))
      locked = TRUE;
  g_list_free_full (items, g_object_unref);

  if (locked)
    {
      g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED,
                               _("The keyring is locked: unlock it to use the stored secret"));
      return;
    }

  /* The cancellable is read before the call: the order of arguments is unspecified. */
  cancellable = g_task_get_cancellable (task);
  secret_password_lookupv (astra_secret_get_schema (), op->identity, cancellable,
                           callback, g_steal_pointer (&task));
}

void
astra_secret_op_lookup (GTask               *task,
                        GAsyncReadyCallback  callback)
{
  AstraSecretStore *self = g_task_get_source_object (task);
  AstraSecretOp *op = g_task_get_task_data (task);
  Lookup *lookup;

  /* libsecret's lookup unlocks a locked item it finds, with a prompt: look first. */
  if (astra_secret_store_get_may_prompt (self) || uses_file_backend ())
    {
      secret_password_lookupv (astra_secret_get_schema (), op->identity,
                               g_task_get_cancellable (task), callback, task);
      return;
    }

  lookup = g_new0 (Lookup, 1);
  lookup->task = task;
  lookup->callback = callback;
  secret_password_searchv (astra_secret_get_schema (), op->identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), on_lookup_precheck_cb, lookup);
}

/* libsecret's lookup returns NULL without an error both when nothing matches and when the
 * item is in a collection that stayed locked (prompt dismissed or impossible). A search
 * that does not unlock tells the two apart, so that a locked secret is never reported
 * as missing. */
void
astra_secret_op_return_absent_or_locked (GTask *task)
{
  AstraSecretOp *op = g_task_get_task_data (task);

  secret_password_searchv (astra_secret_get_schema (), op->identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task),
                           on_absent_search_cb, task);
}

/* ------------------------------------------------------------------------------------------ */
/* Clearing                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void
on_clear_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, removed);
}

void
astra_secret_op_clear_step (GTask *task)
{
  AstraSecretOp *op = g_task_get_task_data (task);

  secret_password_clearv (astra_secret_get_schema (), op->identity, g_task_get_cancellable (task),
                          on_clear_cb, task);
}


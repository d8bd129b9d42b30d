/* astra-secret-store.c: every secret the app keeps, in the Secret Service (libsecret)
 *
 * One schema with a "kind" attribute. Attributes and labels are stored unencrypted by
 * gnome-keyring and shown by Seahorse, so they only hold facts that are not secret: ids,
 * the environment, the org name, the API URL and the local label. A generated token's
 * description, roles and dates live inside the encrypted JSON value with the secret.
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
#include <libsecret/secret.h>
#include <string.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-json.h"
#include "astra-secret-store.h"

#define KIND_MANAGEMENT "management-token"
#define KIND_GENERATED  "generated-token"

#define ATTR_KIND        "kind"
#define ATTR_ORG_ID      "org-id"
#define ATTR_CLIENT_ID   "client-id"
#define ATTR_ENVIRONMENT "environment"
#define ATTR_ORG_NAME    "org-name"
#define ATTR_API_URL     "api-url"
#define ATTR_LABEL       "local-label"
#define ATTR_DEMO        "demo"

struct _AstraSecretStore
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (AstraSecretStore, astra_secret_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (astra-secret-store-error-quark, astra_secret_store_error)

typedef enum
{
  ACCESS_READ,
  ACCESS_WRITE,
} Access;

typedef void (*OpStep) (GTask *task);

typedef struct
{
  OpStep      step;         /* what runs once the bus is known to be there */
  Access      access;
  GHashTable *identity;     /* attributes naming the item(s) this operation is about */
  GHashTable *attributes;   /* complete attributes of the item to store */
  char       *label;
  char       *secret;       /* wiped on free */
  GList      *stale;        /* SecretRetrievable *: outdated items to remove */
  char       *org_id;
  char       *client_id;
} Op;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    BASE_APP_ID, SECRET_SCHEMA_NONE,
    {
      { ATTR_KIND, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_ORG_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_CLIENT_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_ENVIRONMENT, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_ORG_NAME, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_API_URL, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_LABEL, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_DEMO, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
op_free (gpointer data)
{
  Op *op = data;

  g_clear_pointer (&op->identity, g_hash_table_unref);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_clear_pointer (&op->label, g_free);
  g_clear_pointer (&op->secret, astra_secret_free);
  g_list_free_full (g_steal_pointer (&op->stale), g_object_unref);
  g_clear_pointer (&op->org_id, g_free);
  g_clear_pointer (&op->client_id, g_free);
  g_free (op);
}

static GHashTable *
new_attributes (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
set_attribute (GHashTable *attributes,
               const char *name,
               const char *value)
{
  g_hash_table_replace (attributes, g_strdup (name), g_strdup (value != NULL ? value : ""));
}

static GHashTable *
new_identity (const char *kind,
              const char *org_id,
              const char *client_id)
{
  GHashTable *attributes = new_attributes ();

  set_attribute (attributes, ATTR_KIND, kind);
  if (org_id != NULL)
    set_attribute (attributes, ATTR_ORG_ID, org_id);
  if (client_id != NULL)
    set_attribute (attributes, ATTR_CLIENT_ID, client_id);

  return attributes;
}

static GHashTable *
new_connection_attributes (AstraConnection *connection)
{
  GHashTable *attributes = new_identity (KIND_MANAGEMENT,
                                         astra_connection_get_org_id (connection),
                                         NULL);

  set_attribute (attributes, ATTR_CLIENT_ID, "");
  set_attribute (attributes, ATTR_ENVIRONMENT,
                 astra_environment_to_string (astra_connection_get_environment (connection)));
  set_attribute (attributes, ATTR_ORG_NAME, astra_connection_get_org_name (connection));
  set_attribute (attributes, ATTR_API_URL, astra_connection_get_api_url (connection));
  set_attribute (attributes, ATTR_LABEL, astra_connection_get_label (connection));
  set_attribute (attributes, ATTR_DEMO, astra_connection_get_is_demo (connection) ? "true" : "false");

  return attributes;
}

static char *
dup_connection_label (AstraConnection *connection)
{
  /* Translators: the item name shown in Seahorse; %s is the organization's name. */
  return g_strdup_printf (_("Astra management token — %s"),
                          astra_connection_get_org_name (connection));
}

static char *
dup_generated_label (AstraConnection     *connection,
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
  const SecretSchema *schema = get_schema ();
  GHashTable *copy = new_attributes ();

  for (guint i = 0; schema->attributes[i].name != NULL; i++)
    {
      const char *value = g_hash_table_lookup (attributes, schema->attributes[i].name);

      if (value != NULL)
        set_attribute (copy, schema->attributes[i].name, value);
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

/* Turns a libsecret/GDBus error into one of ours. Cancellation by the caller stays
 * G_IO_ERROR_CANCELLED, so that UIs can ignore it. Takes ownership of @error. */
static GError *
map_error (GError       *error,
           GCancellable *cancellable,
           Access        access)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        return g_steal_pointer (&owned);

      return g_error_new_literal (ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED,
                                  _("The keyring stays locked: its unlock prompt was dismissed"));
    }

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return g_error_new (ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED,
                        _("The keyring is locked and could not be unlocked (%s)"),
                        error->message);

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

  if (access == ACCESS_WRITE)
    return g_error_new (ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_WRITE_FAILED,
                        _("Could not save to the keyring: %s"), error->message);

  return g_error_new (ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_FAILED,
                      _("Could not read the keyring: %s"), error->message);
}

static void
return_mapped_error (GTask  *task,
                     GError *error)
{
  Op *op = g_task_get_task_data (task);

  g_task_return_error (task, map_error (error, g_task_get_cancellable (task), op->access));
}

static GTask *
op_task_new (AstraSecretStore    *self,
             Access               access,
             OpStep               step,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  op->access = access;
  op->step = step;
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
  Op *op = g_task_get_task_data (task);

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
op_run (GTask *task)
{
  Op *op = g_task_get_task_data (task);

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
  Op *op = g_task_get_task_data (task);
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

  secret_password_clearv (get_schema (), match, cancellable, on_stale_removed_cb, task);
}

static void
on_replace_search_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = g_task_get_task_data (task);
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
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable;

  g_clear_pointer (&op->secret, astra_secret_free);

  if (!secret_password_store_finish (result, &error))
    {
      return_mapped_error (task, g_steal_pointer (&error));
      return;
    }

  /* Not g_steal_pointer() in the same call: argument evaluation order is unspecified. */
  cancellable = g_task_get_cancellable (task);
  secret_password_searchv (get_schema (), op->identity, SECRET_SEARCH_ALL, cancellable,
                           on_replace_search_cb, g_steal_pointer (&task));
}

/* Stores op->secret under op->attributes, then clears items with the same identity but
 * other attributes. */
static void
replace_step (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_assert (op->secret != NULL);
  g_assert (op->attributes != NULL);
  g_assert (op->identity != NULL);

  secret_password_storev (get_schema (), op->attributes, SECRET_COLLECTION_DEFAULT,
                          op->label, op->secret, g_task_get_cancellable (task),
                          on_replace_stored_cb, task);
}

/* ------------------------------------------------------------------------------------------ */
/* Lookups: telling "absent" from "locked"                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
on_absent_search_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_mapped_error (task, g_steal_pointer (&error));
      return;
    }

  if (items != NULL)
    {
      g_list_free_full (items, g_object_unref);
      g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED,
                               _("The keyring is locked: unlock it to use the stored secret"));
      return;
    }

  g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND,
                           _("The keyring holds no such secret"));
}

/* libsecret's lookup returns NULL without an error both when nothing matches and when the
 * item is in a collection that stayed locked (prompt dismissed or impossible). A search
 * that does not unlock tells the two apart, so that a locked secret is never reported
 * as missing. */
static void
return_absent_or_locked (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_password_searchv (get_schema (), op->identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task),
                           on_absent_search_cb, task);
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
on_list_connections_search_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) newest = NULL;   /* org id → SecretRetrievable */
  g_autoptr(GListStore) store = NULL;
  GHashTableIter iter;
  gpointer value;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_mapped_error (task, g_steal_pointer (&error));
      return;
    }

  /* Left-over duplicates of one org (an interrupted update) show once: the newest. */
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

  g_list_free_full (items, g_object_unref);

  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

static void
list_connections_step (GTask *task)
{
  g_autoptr(GHashTable) identity = new_identity (KIND_MANAGEMENT, NULL, NULL);

  /* No LOAD_SECRETS and no UNLOCK: listing never prompts and never reads a token. */
  secret_password_searchv (get_schema (), identity, SECRET_SEARCH_ALL,
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
      return_mapped_error (task, g_steal_pointer (&error));
      return;
    }

  if (token == NULL)
    {
      return_absent_or_locked (g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, token, (GDestroyNotify) astra_secret_free);
}

static void
lookup_token_step (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_password_lookupv (get_schema (), op->identity, g_task_get_cancellable (task),
                           on_lookup_token_cb, task);
}

static void
on_rename_lookup_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = g_task_get_task_data (task);

  op->secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_mapped_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->secret == NULL)
    {
      return_absent_or_locked (g_steal_pointer (&task));
      return;
    }

  op->access = ACCESS_WRITE;
  replace_step (g_steal_pointer (&task));
}

static void
rename_step (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_password_lookupv (get_schema (), op->identity, g_task_get_cancellable (task),
                           on_rename_lookup_cb, task);
}

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
      return_mapped_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, removed);
}

static void
clear_step (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_password_clearv (get_schema (), op->identity, g_task_get_cancellable (task),
                          on_clear_cb, task);
}

/* ------------------------------------------------------------------------------------------ */
/* Generated tokens                                                                           */
/* ------------------------------------------------------------------------------------------ */

/* The stored value: everything needed to copy or export the token later, offline.
 * (transfer full), to be freed with astra_secret_free(). */
static char *
serialize_generated (AstraGeneratedToken *token,
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
  Op *op = g_task_get_task_data (task);

  json = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_mapped_error (task, g_steal_pointer (&error));
      return;
    }

  if (json == NULL)
    {
      return_absent_or_locked (g_steal_pointer (&task));
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

static void
lookup_generated_step (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_password_lookupv (get_schema (), op->identity, g_task_get_cancellable (task),
                           on_lookup_generated_cb, task);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
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
      return_mapped_error (task, g_steal_pointer (&error));
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

static void
list_generated_step (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_password_searchv (get_schema (), op->identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task),
                           on_list_generated_search_cb, task);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
astra_secret_store_class_init (AstraSecretStoreClass *klass)
{
}

static void
astra_secret_store_init (AstraSecretStore *self)
{
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */
/* ------------------------------------------------------------------------------------------ */

AstraSecretStore *
astra_secret_store_new (void)
{
  return g_object_new (ASTRA_TYPE_SECRET_STORE, NULL);
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
  Op *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));
  g_return_if_fail (token != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ACCESS_WRITE, replace_step, cancellable, callback, user_data,
                      astra_secret_store_save_connection_async);
  op = g_task_get_task_data (task);
  op->identity = new_identity (KIND_MANAGEMENT, astra_connection_get_org_id (connection), NULL);
  op->attributes = new_connection_attributes (connection);
  op->label = dup_connection_label (connection);
  op->secret = g_strdup (token);

  op_run (task);
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
  Op *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  stripped = g_strstrip (g_strdup (label != NULL ? label : ""));

  task = op_task_new (self, ACCESS_READ, rename_step, cancellable, callback, user_data,
                      astra_secret_store_rename_connection_async);
  op = g_task_get_task_data (task);
  op->identity = new_identity (KIND_MANAGEMENT, astra_connection_get_org_id (connection), NULL);
  op->attributes = new_connection_attributes (connection);
  set_attribute (op->attributes, ATTR_LABEL, stripped);
  op->label = dup_connection_label (connection);

  op_run (task);
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

  op_run (op_task_new (self, ACCESS_READ, list_connections_step, cancellable, callback, user_data,
                       astra_secret_store_list_connections_async));
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
  GTask *task;
  Op *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ACCESS_READ, lookup_token_step, cancellable, callback, user_data,
                      astra_secret_store_lookup_token_async);
  op = g_task_get_task_data (task);
  op->identity = new_identity (KIND_MANAGEMENT, org_id, NULL);

  op_run (task);
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
  GTask *task;
  Op *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ACCESS_WRITE, clear_step, cancellable, callback, user_data,
                      astra_secret_store_forget_connection_async);
  op = g_task_get_task_data (task);
  op->identity = new_identity (KIND_MANAGEMENT, org_id, NULL);

  op_run (task);
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
  GTask *task;
  Op *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));
  g_return_if_fail (ASTRA_IS_GENERATED_TOKEN (token));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  org_id = astra_connection_get_org_id (connection);
  client_id = astra_generated_token_get_client_id (token);

  task = op_task_new (self, ACCESS_WRITE, replace_step, cancellable, callback, user_data,
                      astra_secret_store_save_generated_async);
  op = g_task_get_task_data (task);

  if (client_id == NULL || client_id[0] == '\0' ||
      astra_generated_token_get_secret (token) == NULL)
    {
      g_task_return_new_error (task, ASTRA_SECRET_STORE_ERROR,
                               ASTRA_SECRET_STORE_ERROR_WRITE_FAILED,
                               _("Could not save to the keyring: the token has no client id or secret"));
      g_object_unref (task);
      return;
    }

  op->identity = new_identity (KIND_GENERATED, org_id, client_id);
  op->attributes = new_identity (KIND_GENERATED, org_id, client_id);
  set_attribute (op->attributes, ATTR_ENVIRONMENT,
                 astra_environment_to_string (astra_connection_get_environment (connection)));
  op->label = dup_generated_label (connection, token);
  op->secret = serialize_generated (token, org_id);

  op_run (task);
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
  GTask *task;
  Op *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ACCESS_READ, list_generated_step, cancellable, callback, user_data,
                      astra_secret_store_list_generated_async);
  op = g_task_get_task_data (task);
  op->identity = new_identity (KIND_GENERATED, org_id, NULL);

  op_run (task);
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

void
astra_secret_store_lookup_generated_async (AstraSecretStore    *self,
                                           const char          *org_id,
                                           const char          *client_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ACCESS_READ, lookup_generated_step, cancellable, callback, user_data,
                      astra_secret_store_lookup_generated_async);
  op = g_task_get_task_data (task);
  op->identity = new_identity (KIND_GENERATED, org_id, client_id);
  op->client_id = g_strdup (client_id);

  op_run (task);
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
  GTask *task;
  Op *op;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, ACCESS_WRITE, clear_step, cancellable, callback, user_data,
                      astra_secret_store_delete_generated_async);
  op = g_task_get_task_data (task);
  op->identity = new_identity (KIND_GENERATED, org_id, client_id);

  op_run (task);
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

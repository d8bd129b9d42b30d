/* astra-held-index.c: the generated tokens the keyring holds, read without their secrets
 *
 * One search of the keyring for every item of our schema, without unlocking and without
 * loading secrets (libsecret then only reads attributes and labels): the generated tokens
 * become AstraHeldTokens, the organizations' management items say which organizations are
 * connected and what they are called here. Reads run through the secret store's queue,
 * as its own listings do (astra-secret-store-op.c says why).
 *
 * Reading is the slow part: gnome-keyring answers one property read per item, about
 * 1.5–3 s for 1,000 items on the benchmark machine (reading the properties directly over
 * D-Bus instead of through libsecret's proxies was tried: no faster). Hence the index is
 * kept in memory and searches answer from it in about a millisecond.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-held-index"

#include "config.h"

#include <string.h>

#include "astra-held-index.h"
#include "astra-secret-store-private.h"

/* A burst of keyring changes (an import of many tokens) is read once, shortly after. */
#define RELOAD_DELAY_MS 300

struct _AstraHeldIndex
{
  GObject           parent_instance;

  AstraSecretStore *store;
  GPtrArray        *tokens;       /* AstraHeldToken *, sorted */
  GHashTable       *paths;        /* D-Bus object paths of the items they were read from */
  GHashTable       *by_id;        /* id → AstraHeldToken * (borrowed from tokens) */

  gint64            load_start;   /* for the log */
  gboolean          stale;        /* the keyring may hold something else than tokens */
  gboolean          loading;
  GPtrArray        *waiting;      /* GTask * of ensure calls waiting for a load */
  guint             reload_id;

  GDBusConnection  *bus;
  guint             keyring_signal_id;
  GCancellable     *cancellable;  /* cancelled on dispose */
};

static void astra_held_index_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AstraHeldIndex, astra_held_index, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      astra_held_index_list_model_init))

/* ------------------------------------------------------------------------------------------ */
/* Reading the keyring                                                                        */

typedef struct
{
  char           *sort_key;
  AstraHeldToken *token;
} SortEntry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SortEntry *x = a;
  const SortEntry *y = b;
  int order = strcmp (x->sort_key, y->sort_key);

  return order != 0 ? order : g_strcmp0 (astra_held_token_get_id (x->token),
                                          astra_held_token_get_id (y->token));
}

/* What the connected organizations are called here: org id → local label or org name. */
static GHashTable *
collect_org_names (GList *items)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *org_id = g_hash_table_lookup (attributes, ATTR_ORG_ID);
      const char *label = g_hash_table_lookup (attributes, ATTR_LABEL);
      const char *org_name = g_hash_table_lookup (attributes, ATTR_ORG_NAME);

      if (g_strcmp0 (g_hash_table_lookup (attributes, ATTR_KIND), KIND_MANAGEMENT) != 0 ||
          org_id == NULL)
        continue;
      g_hash_table_replace (names, g_strdup (org_id),
                            g_strdup (label != NULL && label[0] != '\0' ? label : org_name));
    }

  return names;
}

static AstraHeldToken *
token_from_item (SecretRetrievable *item,
                 GHashTable        *org_names)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);
  const char *org_id = g_hash_table_lookup (attributes, ATTR_ORG_ID);
  const char *client_id = g_hash_table_lookup (attributes, ATTR_CLIENT_ID);
  const char *role_names = g_hash_table_lookup (attributes, ATTR_ROLE_NAMES);
  const char *org_name = g_hash_table_lookup (org_names, org_id != NULL ? org_id : "");
  g_autofree char *label_roles = NULL;
  g_autofree char *label_org = NULL;

  if (g_strcmp0 (g_hash_table_lookup (attributes, ATTR_KIND), KIND_GENERATED) != 0 ||
      org_id == NULL || client_id == NULL || client_id[0] == '\0')
    return NULL;

  /* Saved before role names and org name were attributes: the label has both. */
  if (role_names == NULL || (org_name == NULL && g_hash_table_lookup (attributes, ATTR_ORG_NAME) == NULL))
    {
      g_autofree char *label = secret_retrievable_get_label (item);

      astra_held_token_parse_label (label, client_id, &label_roles, &label_org);
    }
  if (role_names == NULL)
    role_names = label_roles;
  if (org_name == NULL)
    org_name = g_hash_table_lookup (attributes, ATTR_ORG_NAME);
  if (org_name == NULL)
    org_name = label_org;

  return astra_held_token_new (org_id, client_id, org_name,
                               g_hash_table_lookup (attributes, ATTR_DESCRIPTION), role_names);
}

static GPtrArray *
tokens_from_items (GList *items)
{
  g_autoptr(GHashTable) org_names = collect_org_names (items);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (SortEntry));
  GPtrArray *tokens;

  for (GList *l = items; l != NULL; l = l->next)
    {
      AstraHeldToken *token = token_from_item (l->data, org_names);
      const char *description;
      SortEntry entry;

      if (token == NULL)
        continue;
      /* An outdated copy that a save could not remove: one result per token. */
      if (!g_hash_table_add (seen, (gpointer) astra_held_token_get_id (token)))
        {
          g_object_unref (token);
          continue;
        }

      description = astra_held_token_get_description (token);
      entry.token = token;
      {
        g_autofree char *text = g_strconcat (astra_held_token_get_org_name (token), "\n",
                                             description[0] != '\0' ? description
                                               : astra_held_token_get_client_id (token),
                                             NULL);
        entry.sort_key = g_utf8_collate_key (text, -1);
      }
      g_array_append_val (entries, entry);
    }

  g_array_sort (entries, compare_entries);
  tokens = g_ptr_array_new_full (entries->len, g_object_unref);
  for (guint i = 0; i < entries->len; i++)
    {
      SortEntry *entry = &g_array_index (entries, SortEntry, i);

      g_ptr_array_add (tokens, entry->token);
      g_free (entry->sort_key);
    }

  return tokens;
}

/* What one read of the keyring found. */
typedef struct
{
  GPtrArray  *tokens;
  GHashTable *paths;
} Listing;

static void
listing_free (Listing *listing)
{
  g_clear_pointer (&listing->tokens, g_ptr_array_unref);
  g_clear_pointer (&listing->paths, g_hash_table_unref);
  g_free (listing);
}

static void
on_held_search_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Listing *listing;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      astra_secret_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  listing = g_new0 (Listing, 1);
  listing->tokens = tokens_from_items (items);
  listing->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Through the Secret Service, items are D-Bus objects: the keyring's signals name them. */
  for (GList *l = items; l != NULL; l = l->next)
    if (G_IS_DBUS_PROXY (l->data))
      g_hash_table_add (listing->paths, g_strdup (g_dbus_proxy_get_object_path (l->data)));
  g_list_free_full (items, g_object_unref);

  g_task_return_pointer (task, listing, (GDestroyNotify) listing_free);
}

/* No SECRET_SEARCH_UNLOCK and no SECRET_SEARCH_LOAD_SECRETS: a locked keyring shows
 * nothing rather than a prompt, and no secret leaves the keyring. */
static void
list_held_step (GTask *task)
{
  AstraSecretOp *op = g_task_get_task_data (task);

  secret_password_searchv (astra_secret_get_schema (), op->identity, SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), on_held_search_cb, task);
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                    */

static void start_load (AstraHeldIndex *self);

static void
replace_tokens (AstraHeldIndex *self,
                GPtrArray      *tokens)
{
  guint removed = self->tokens->len;

  g_hash_table_remove_all (self->by_id);
  g_ptr_array_unref (self->tokens);
  self->tokens = tokens;
  for (guint i = 0; i < tokens->len; i++)
    g_hash_table_insert (self->by_id, (gpointer) astra_held_token_get_id (tokens->pdata[i]),
                         tokens->pdata[i]);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, tokens->len);
}

static void
complete_waiting (AstraHeldIndex *self,
                  const GError   *error)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    {
      if (error != NULL)
        g_task_return_error (waiting->pdata[i], g_error_copy (error));
      else
        g_task_return_boolean (waiting->pdata[i], TRUE);
    }
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AstraHeldIndex) self = user_data;
  g_autoptr(GError) error = NULL;
  Listing *listing = g_task_propagate_pointer (G_TASK (result), &error);

  self->loading = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (listing == NULL)
    {
      g_debug ("Could not read the held tokens: %s", error->message);
      self->stale = TRUE;
      complete_waiting (self, error);
      return;
    }

  replace_tokens (self, g_steal_pointer (&listing->tokens));
  g_hash_table_unref (self->paths);
  self->paths = g_steal_pointer (&listing->paths);
  listing_free (listing);
  g_debug ("%u held tokens, read in %.1f ms", self->tokens->len,
           (g_get_monotonic_time () - self->load_start) / 1000.0);

  /* Changed again while it was read: read again before anyone is answered. */
  if (self->stale)
    start_load (self);
  else
    complete_waiting (self, NULL);
}

static void
start_load (AstraHeldIndex *self)
{
  GHashTable *identity = astra_secret_new_attributes ();
  GTask *task;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->stale = FALSE;
  self->loading = TRUE;
  self->load_start = g_get_monotonic_time ();

  /* Every item of the schema: the generated tokens and the organizations' names. */
  task = astra_secret_op_task_new (self->store, ASTRA_SECRET_ACCESS_READ, list_held_step,
                                   identity, self->cancellable, on_loaded_cb,
                                   g_object_ref (self), start_load);
  astra_secret_op_run (task);
}

static gboolean
on_reload_timeout_cb (gpointer user_data)
{
  AstraHeldIndex *self = user_data;

  self->reload_id = 0;
  if (self->stale && !self->loading)
    start_load (self);

  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_generated_changed_cb (AstraHeldIndex *self)
{
  astra_held_index_invalidate (self);
}

static void
on_item_attributes_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(AstraHeldIndex) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) attributes = NULL;
  const char *schema = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, NULL);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (reply != NULL)
    {
      g_variant_get (reply, "(v)", &attributes);
      if (g_variant_is_of_type (attributes, G_VARIANT_TYPE ("a{ss}")))
        g_variant_lookup (attributes, "xdg:schema", "&s", &schema);
    }

  /* Ours, or one that cannot be read (locked): read the keyring again to be sure. */
  if (reply == NULL || g_strcmp0 (schema, BASE_APP_ID) == 0)
    astra_held_index_invalidate (self);
}

/* A change in a collection of the Secret Service, which every app's passwords share (a
 * browser writes often): only one of our items makes the index read the keyring again. */
static void
on_keyring_signal_cb (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  AstraHeldIndex *self = ASTRA_HELD_INDEX (user_data);
  const char *item_path;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(o)")))
    {
      astra_held_index_invalidate (self);
      return;
    }

  g_variant_get (parameters, "(&o)", &item_path);
  if (g_hash_table_contains (self->paths, item_path))
    {
      astra_held_index_invalidate (self);
      return;
    }
  if (g_str_equal (signal_name, "ItemDeleted"))
    return;   /* not one we listed */

  /* Created, or changed into one of ours? Its attributes say (never its secret). */
  g_dbus_connection_call (connection, "org.freedesktop.secrets", item_path,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", "org.freedesktop.Secret.Item", "Attributes"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
                          on_item_attributes_cb, g_object_ref (self));
}

static void
on_bus_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AstraHeldIndex) self = user_data;
  g_autoptr(GError) error = NULL;

  self->bus = g_bus_get_finish (result, &error);
  if (self->bus == NULL)
    {
      g_debug ("No session bus to follow the keyring on: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  self->keyring_signal_id =
    g_dbus_connection_signal_subscribe (self->bus, "org.freedesktop.secrets",
                                        "org.freedesktop.Secret.Collection", NULL, NULL, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_keyring_signal_cb,
                                        self, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* GListModel                                                                                 */

static GType
astra_held_index_get_item_type (GListModel *model)
{
  return ASTRA_TYPE_HELD_TOKEN;
}

static guint
astra_held_index_get_n_items (GListModel *model)
{
  return ASTRA_HELD_INDEX (model)->tokens->len;
}

static gpointer
astra_held_index_get_item (GListModel *model,
                           guint       position)
{
  AstraHeldIndex *self = ASTRA_HELD_INDEX (model);

  if (position >= self->tokens->len)
    return NULL;

  return g_object_ref (self->tokens->pdata[position]);
}

static void
astra_held_index_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = astra_held_index_get_item_type;
  iface->get_n_items = astra_held_index_get_n_items;
  iface->get_item = astra_held_index_get_item;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_held_index_dispose (GObject *object)
{
  AstraHeldIndex *self = ASTRA_HELD_INDEX (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->bus != NULL && self->keyring_signal_id != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->keyring_signal_id);
  self->keyring_signal_id = 0;
  g_clear_object (&self->bus);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_generated_changed_cb, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (astra_held_index_parent_class)->dispose (object);
}

static void
astra_held_index_finalize (GObject *object)
{
  AstraHeldIndex *self = ASTRA_HELD_INDEX (object);

  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->paths, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (astra_held_index_parent_class)->finalize (object);
}

static void
astra_held_index_class_init (AstraHeldIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = astra_held_index_dispose;
  object_class->finalize = astra_held_index_finalize;
}

static void
astra_held_index_init (AstraHeldIndex *self)
{
  self->tokens = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->stale = TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraHeldIndex *
astra_held_index_new (AstraSecretStore *store)
{
  AstraHeldIndex *self;

  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (store), NULL);

  self = g_object_new (ASTRA_TYPE_HELD_INDEX, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_swapped (store, "generated-changed", G_CALLBACK (on_generated_changed_cb), self);

  /* libsecret's file backend has no bus, and nothing else writes its file meanwhile. */
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") != 0)
    g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_bus_cb, g_object_ref (self));

  return self;
}

void
astra_held_index_invalidate (AstraHeldIndex *self)
{
  g_return_if_fail (ASTRA_IS_HELD_INDEX (self));

  self->stale = TRUE;
  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (RELOAD_DELAY_MS, on_reload_timeout_cb, self);
}

void
astra_held_index_ensure_async (AstraHeldIndex      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_HELD_INDEX (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_held_index_ensure_async);

  if (!self->stale && !self->loading)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
  if (!self->loading)
    start_load (self);
}

gboolean
astra_held_index_ensure_finish (AstraHeldIndex  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (ASTRA_IS_HELD_INDEX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char **
astra_held_index_search (AstraHeldIndex     *self,
                         const char * const *terms,
                         const char * const *within)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) folded = NULL;

  g_return_val_if_fail (ASTRA_IS_HELD_INDEX (self), NULL);

  folded = astra_held_token_fold_terms (terms);
  if (folded[0] == NULL)
    return g_strv_builder_end (ids);

  if (within != NULL)
    {
      for (guint i = 0; within[i] != NULL; i++)
        {
          AstraHeldToken *token = g_hash_table_lookup (self->by_id, within[i]);

          if (token != NULL && astra_held_token_matches (token, (const char * const *) folded))
            g_strv_builder_add (ids, within[i]);
        }
      return g_strv_builder_end (ids);
    }

  for (guint i = 0; i < self->tokens->len; i++)
    if (astra_held_token_matches (self->tokens->pdata[i], (const char * const *) folded))
      g_strv_builder_add (ids, astra_held_token_get_id (self->tokens->pdata[i]));

  return g_strv_builder_end (ids);
}

AstraHeldToken *
astra_held_index_lookup (AstraHeldIndex *self,
                         const char     *id)
{
  g_return_val_if_fail (ASTRA_IS_HELD_INDEX (self), NULL);

  return id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
}

/* astra-reference-resolve.c: the secret an astra://ORG/CLIENT_ID/FIELD reference names
 *
 * Four steps, each on the keyring: unlock (only when locked: the Secret Service prompts),
 * list the connected organizations to find ORG, look up the generated token, and failing
 * that the organization's management token, whose client id the token itself carries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-reference"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-reference-resolve.h"
#include "astra-reference.h"
#include "astra-token-format.h"

G_DEFINE_QUARK (astra-reference-resolve-error-quark, astra_reference_resolve_error)

typedef struct
{
  char                *reference;
  char                *org;
  char                *client_id;
  AstraReferenceField  field;
  AstraConnection     *connection;
  gboolean             retried;
} Resolve;

static void
resolve_free (Resolve *resolve)
{
  g_free (resolve->reference);
  g_free (resolve->org);
  g_free (resolve->client_id);
  g_clear_object (&resolve->connection);
  g_free (resolve);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* "REFERENCE: REASON". The reference is the user's own text and names no secret. */
static void
return_error (GTask                      *task,
              AstraReferenceResolveError  code,
              const char                 *reason)
{
  Resolve *resolve = g_task_get_task_data (task);

  /* Translators: a reference (astra://…) that could not be resolved, and why. */
  g_task_return_new_error (task, ASTRA_REFERENCE_RESOLVE_ERROR, code, _("%s: %s"),
                           resolve->reference, reason);
}

static void start_resolve (GTask *task);

/* A secret store error, for this reference. Takes ownership of @error. */
static void
return_store_error (GTask  *task,
                    GError *error)
{
  g_autoptr(GError) owned = error;
  Resolve *resolve = g_task_get_task_data (task);
  gboolean is_locked = g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
                       g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED) ||
                       g_error_matches (error, ASTRA_REFERENCE_RESOLVE_ERROR, ASTRA_REFERENCE_RESOLVE_ERROR_LOCKED);

  /* Another program (the app, a second CLI) removing an item while a search here loads
   * the list fails that search with "No such secret item" (libsecret 0.20): a moment
   * later the keyring answers again. Once, so that a keyring that is really gone is
   * reported at once. */
  if (!is_locked && !resolve->retried &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Resolving again after a keyring error: %s", error->message);
      resolve->retried = TRUE;
      g_clear_object (&resolve->connection);
      start_resolve (g_object_ref (task));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&owned));
  else if (is_locked)
    return_error (task, ASTRA_REFERENCE_RESOLVE_ERROR_LOCKED, error->message);
  else
    return_error (task, ASTRA_REFERENCE_RESOLVE_ERROR_KEYRING, error->message);
}

gboolean
astra_reference_resolve_error_is_keyring (const GError *error)
{
  return g_error_matches (error, ASTRA_REFERENCE_RESOLVE_ERROR, ASTRA_REFERENCE_RESOLVE_ERROR_LOCKED) ||
         g_error_matches (error, ASTRA_REFERENCE_RESOLVE_ERROR, ASTRA_REFERENCE_RESOLVE_ERROR_KEYRING);
}

/* ------------------------------------------------------------------------------------------ */
/* Unlocking                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* No schema name: gnome-keyring does not know the name of an item in a keyring it loaded
 * locked, so only such a search finds (and unlocks) those. */
static const SecretSchema any_item_schema = {
  BASE_APP_ID, SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void on_unlock_search_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data);

/* Every management token: the widest search, so that listing the organizations finds
 * them. Takes ownership of @task. */
static void
unlock_all (GTask *task)
{
  secret_password_search (&any_item_schema, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                          g_task_get_cancellable (task), on_unlock_search_cb, task,
                          "kind", "management-token", NULL);
}

static void
on_unlock_search_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  gboolean still_locked = FALSE;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
               g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
        g_task_return_new_error (task, ASTRA_REFERENCE_RESOLVE_ERROR,
                                 ASTRA_REFERENCE_RESOLVE_ERROR_LOCKED,
                                 _("The keyring is locked: its unlock prompt was dismissed"));
      else
        g_task_return_new_error (task, ASTRA_REFERENCE_RESOLVE_ERROR,
                                 ASTRA_REFERENCE_RESOLVE_ERROR_KEYRING,
                                 _("No keyring is available: no keyring service such as GNOME Keyring "
                                   "answers (%s)"), error->message);
      return;
    }

  for (const GList *l = items; l != NULL; l = l->next)
    if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (l->data))
      still_locked = TRUE;

  /* The token's own item was not found (a management token's item has no client id): all
   * then. gnome-keyring unlocks a whole collection, so one item found is enough. */
  if (items == NULL && g_task_get_task_data (task) != NULL)
    {
      g_task_set_task_data (task, NULL, NULL);
      unlock_all (g_steal_pointer (&task));
      return;
    }
  g_list_free_full (items, g_object_unref);

  if (still_locked)
    g_task_return_new_error (task, ASTRA_REFERENCE_RESOLVE_ERROR,
                             ASTRA_REFERENCE_RESOLVE_ERROR_LOCKED,
                             _("The keyring is locked and was not unlocked: unlock it (for "
                               "example in Passwords and Keys) and try again"));
  else
    g_task_return_boolean (task, TRUE);
}

/* Searches only @client_id's items first when given: the fewer items a search loads, the
 * less it meets items other programs delete meanwhile, which libsecret 0.20 answers with
 * an error (and a second completion of its task). */
void
astra_reference_unlock_keyring_async (const char          *client_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, astra_reference_unlock_keyring_async);

  /* libsecret's file backend (Flatpak's) has nothing to unlock. */
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (client_id == NULL)
    {
      unlock_all (g_steal_pointer (&task));
      return;
    }

  /* No LOAD_SECRETS: this only unlocks; nothing secret comes over the bus yet. */
  g_task_set_task_data (task, g_strdup (client_id), g_free);
  secret_password_search (&any_item_schema, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                          cancellable, on_unlock_search_cb, g_steal_pointer (&task),
                          "client-id", client_id, NULL);
}

gboolean
astra_reference_unlock_keyring_finish (GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        astra_reference_unlock_keyring_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Resolving                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void
on_management_token_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) token = NULL;
  g_autofree char *client_id = NULL;

  token = astra_secret_store_lookup_token_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (error != NULL &&
      !g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND))
    {
      return_store_error (task, g_steal_pointer (&error));
      return;
    }

  if (token != NULL)
    client_id = astra_token_format_dup_client_id (token);
  if (g_strcmp0 (client_id, resolve->client_id) != 0)
    {
      return_error (task, ASTRA_REFERENCE_RESOLVE_ERROR_NO_TOKEN,
                    _("the keyring holds no token with this client ID for this organization"));
      return;
    }

  switch (resolve->field)
    {
    case ASTRA_REFERENCE_FIELD_TOKEN:
      g_task_return_pointer (task, g_steal_pointer (&token), (GDestroyNotify) astra_secret_free);
      break;
    case ASTRA_REFERENCE_FIELD_CLIENT_ID:
      g_task_return_pointer (task, g_steal_pointer (&client_id), (GDestroyNotify) astra_secret_free);
      break;
    case ASTRA_REFERENCE_FIELD_CLIENT_SECRET:
    default:
      return_error (task, ASTRA_REFERENCE_RESOLVE_ERROR_FIELD_UNAVAILABLE,
                    _("this is the organization’s management token, and the keyring keeps "
                      "no client secret for it; use the “token” field"));
      break;
    }
}

static void
on_generated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  AstraSecretStore *store = ASTRA_SECRET_STORE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  const char *value;

  token = astra_secret_store_lookup_generated_finish (store, result, &error);
  if (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND) &&
      resolve->connection == NULL)
    {
      return_error (task, ASTRA_REFERENCE_RESOLVE_ERROR_NO_ORGANIZATION,
                    _("no connected organization has this ID or name, and the keyring holds "
                      "no token of an organization with this ID"));
      return;
    }
  if (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* The app's own connection token is a token of the organization too. */
      astra_secret_store_lookup_token_async (store, astra_connection_get_org_id (resolve->connection),
                                             cancellable, on_management_token_cb,
                                             g_steal_pointer (&task));
      return;
    }
  if (token == NULL)
    {
      return_store_error (task, g_steal_pointer (&error));
      return;
    }

  switch (resolve->field)
    {
    case ASTRA_REFERENCE_FIELD_TOKEN:
      value = astra_generated_token_get_token (token);
      break;
    case ASTRA_REFERENCE_FIELD_CLIENT_SECRET:
      value = astra_generated_token_get_secret (token);
      break;
    case ASTRA_REFERENCE_FIELD_CLIENT_ID:
    default:
      value = astra_generated_token_get_client_id (token);
      break;
    }

  if ((value == NULL || value[0] == '\0') && resolve->field == ASTRA_REFERENCE_FIELD_CLIENT_SECRET)
    {
      /* A token kept from a file that held it without its client secret. */
      return_error (task, ASTRA_REFERENCE_RESOLVE_ERROR_FIELD_UNAVAILABLE,
                    _("this token’s client secret is not on this computer: the keyring keeps "
                      "the token only; use the “token” field"));
      return;
    }
  if (value == NULL || value[0] == '\0')
    {
      return_error (task, ASTRA_REFERENCE_RESOLVE_ERROR_FIELD_UNAVAILABLE,
                    _("the keyring item of this token holds no such field"));
      return;
    }

  g_task_return_pointer (task, g_strdup (value), (GDestroyNotify) astra_secret_free);
}

/* The organization @org names: its id, else its display name, which must be unique.
 * (transfer full) or %NULL with @code and @reason set. */
static AstraConnection *
find_connection (GListModel                  *connections,
                 const char                  *org,
                 AstraReferenceResolveError  *code,
                 const char                 **reason)
{
  g_autoptr(AstraConnection) by_name = NULL;
  guint n_by_name = 0;
  guint n = g_list_model_get_n_items (connections);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);

      if (g_strcmp0 (astra_connection_get_org_id (connection), org) == 0)
        return g_steal_pointer (&connection);
      if (g_strcmp0 (astra_connection_get_display_name (connection), org) == 0)
        {
          n_by_name++;
          g_set_object (&by_name, connection);
        }
    }

  if (n_by_name == 1)
    return g_steal_pointer (&by_name);

  if (n_by_name > 1)
    {
      *code = ASTRA_REFERENCE_RESOLVE_ERROR_AMBIGUOUS_ORGANIZATION;
      *reason = _("two or more connected organizations have this name; use the "
                  "organization ID instead (astra-tokens-cli list shows it)");
    }
  else
    {
      *code = ASTRA_REFERENCE_RESOLVE_ERROR_NO_ORGANIZATION;
      *reason = _("no connected organization has this ID or name");
    }
  return NULL;
}

static void
on_connections_listed_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);
  AstraSecretStore *store = ASTRA_SECRET_STORE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) connections = NULL;
  AstraReferenceResolveError code = ASTRA_REFERENCE_RESOLVE_ERROR_NO_ORGANIZATION;
  const char *reason = NULL;
  GCancellable *cancellable;

  connections = astra_secret_store_list_connections_finish (store, result, &error);
  if (connections == NULL)
    {
      return_store_error (task, g_steal_pointer (&error));
      return;
    }

  resolve->connection = find_connection (connections, resolve->org, &code, &reason);
  if (resolve->connection == NULL && code != ASTRA_REFERENCE_RESOLVE_ERROR_NO_ORGANIZATION)
    {
      return_error (task, code, reason);
      return;
    }

  /* Not connected (any more), or connected from the environment only: its generated tokens
   * may still be in the keyring, and the id names them. */
  /* (The cancellable first: C leaves the order of evaluating arguments open.) */
  cancellable = g_task_get_cancellable (task);
  astra_secret_store_lookup_generated_async (store,
                                             resolve->connection != NULL
                                             ? astra_connection_get_org_id (resolve->connection)
                                             : resolve->org,
                                             resolve->client_id, cancellable,
                                             on_generated_cb, g_steal_pointer (&task));
}

static void
on_unlocked_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  AstraSecretStore *store = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (!astra_reference_unlock_keyring_finish (result, &error))
    {
      return_store_error (task, g_steal_pointer (&error));
      return;
    }

  astra_secret_store_list_connections_async (store, cancellable, on_connections_listed_cb,
                                             g_steal_pointer (&task));
}

/* Takes ownership of @task. */
static void
start_resolve (GTask *task)
{
  Resolve *resolve = g_task_get_task_data (task);

  astra_reference_unlock_keyring_async (resolve->client_id, g_task_get_cancellable (task),
                                        on_unlocked_cb, task);
}

/**
 * astra_reference_resolve_async:
 * @store: the secret store to read
 * @reference: "astra://ORG/CLIENT_ID/FIELD"
 *
 * Looks up the value @reference names. Fails with ASTRA_REFERENCE_RESOLVE_ERROR: SYNTAX,
 * NO_ORGANIZATION, AMBIGUOUS_ORGANIZATION, NO_TOKEN, FIELD_UNAVAILABLE, LOCKED or KEYRING,
 * each message starting with the reference.
 */
void
astra_reference_resolve_async (AstraSecretStore    *store,
                               const char          *reference,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Resolve *resolve;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (store));
  g_return_if_fail (reference != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_reference_resolve_async);
  resolve = g_new0 (Resolve, 1);
  resolve->reference = g_strdup (reference);
  g_task_set_task_data (task, resolve, (GDestroyNotify) resolve_free);

  if (!astra_reference_parse (reference, &resolve->org, &resolve->client_id, &resolve->field,
                              &error))
    {
      return_error (task, ASTRA_REFERENCE_RESOLVE_ERROR_SYNTAX, error->message);
      return;
    }

  start_resolve (g_steal_pointer (&task));
}

char *
astra_reference_resolve_finish (AstraSecretStore  *store,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_reference_resolve_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

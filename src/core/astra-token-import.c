/* astra-token-import.c: a portal CSV's tokens into the keyring, checked first
 *
 * One organization after the other: its client, its token list (asked afresh: a token
 * revoked elsewhere a minute ago must not be stored), its roles (to name them), then the
 * tokens it lists are set aside for it. Storing starts only when every organization was
 * asked or nothing is left, so that a failed check of the target stores nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-token-import"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-client.h"
#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-role.h"
#include "astra-token-import.h"
#include "astra-token.h"

G_DEFINE_QUARK (astra-token-import-error-quark, astra_token_import_error)

typedef struct
{
  AstraSecretStore  *store;
  AstraClientSource *clients;
  AstraTokenImport  *import;
  guint              org;       /* the organization being checked */
  AstraClient       *client;    /* its client */
  GListModel        *listed;    /* AstraToken, its token list */
  GPtrArray         *remaining; /* AstraGeneratedToken no organization checked so far lists */
  guint              next;      /* the next known token to store */
  GPtrArray         *known;     /* AstraGeneratedToken to store… */
  GPtrArray         *known_orgs;/* …each under this AstraConnection */
} Import;

static void check_org  (GTask *task);
static void store_next (GTask *task);

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
import_free (Import *import)
{
  g_clear_object (&import->store);
  g_clear_object (&import->clients);
  g_clear_pointer (&import->import, astra_token_import_free);
  g_clear_object (&import->client);
  g_clear_object (&import->listed);
  g_clear_pointer (&import->remaining, g_ptr_array_unref);
  g_clear_pointer (&import->known, g_ptr_array_unref);
  g_clear_pointer (&import->known_orgs, g_ptr_array_unref);
  g_free (import);
}

static void
return_result (GTask *task)
{
  Import *import = g_task_get_task_data (task);
  AstraTokenImport *result = g_steal_pointer (&import->import);

  result->unknown = g_ptr_array_ref (import->remaining);
  g_task_return_pointer (task, result, (GDestroyNotify) astra_token_import_free);
  g_object_unref (task);
}

/* The organization being checked could not tell its tokens. For the target, nothing is
 * stored; another one is only not looked into. */
static void
org_failed (GTask  *task,
            GError *error)
{
  Import *import = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return;
    }

  if (import->org == 0)
    {
      g_task_return_new_error (task, ASTRA_TOKEN_IMPORT_ERROR,
                               ASTRA_TOKEN_IMPORT_ERROR_CHECK_FAILED, "%s", error->message);
      g_object_unref (task);
      return;
    }

  g_debug ("Token import: tokens of another organization: %s", error->message);
  import->org++;
  check_org (task);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_token_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Import *import = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!astra_secret_store_save_generated_finish (ASTRA_SECRET_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, ASTRA_TOKEN_IMPORT_ERROR,
                                 ASTRA_TOKEN_IMPORT_ERROR_SAVE_FAILED, "%s", error->message);
      g_object_unref (task);
      return;
    }

  g_ptr_array_add (import->import->saved,
                   g_object_ref (g_ptr_array_index (import->known, import->next - 1)));
  g_ptr_array_add (import->import->saved_orgs,
                   g_object_ref (g_ptr_array_index (import->known_orgs, import->next - 1)));
  store_next (task);
}

static void
on_roles_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Import *import = g_task_get_task_data (task);
  AstraConnection *connection = g_ptr_array_index (import->import->orgs, import->org);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GListStore) remaining = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GPtrArray) matched = NULL;
  guint n;

  roles = astra_client_list_roles_finish (ASTRA_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      org_failed (task, error);
      return;
    }
  /* Without the roles (a token that may list tokens but not roles), a role is named by
   * its id, as the Tokens page does: the token is still the organization's. */
  if (roles == NULL)
    g_debug ("Roles for the token import: %s", error->message);

  names = astra_role_names_by_id (roles);
  n = g_list_model_get_n_items (import->listed);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (import->listed, i);

      astra_token_resolve_roles (token, names);
    }

  g_list_store_splice (remaining, 0, 0, import->remaining->pdata, import->remaining->len);
  g_clear_pointer (&import->remaining, g_ptr_array_unref);
  matched = astra_generated_token_match_listed (G_LIST_MODEL (remaining), import->listed,
                                                &import->remaining);
  for (guint i = 0; i < matched->len; i++)
    {
      g_ptr_array_add (import->known, g_object_ref (g_ptr_array_index (matched, i)));
      g_ptr_array_add (import->known_orgs, g_object_ref (connection));
    }

  import->org++;
  check_org (task);
}

static void
on_tokens_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Import *import = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_object (&import->listed);
  import->listed = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, &error);
  if (import->listed == NULL)
    {
      org_failed (task, error);
      return;
    }

  astra_client_list_roles_async (import->client, g_task_get_cancellable (task),
                                 on_roles_listed_cb, task);
}

static void
on_client_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Import *import = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_object (&import->client);
  import->client = astra_client_source_get_client_finish (ASTRA_CLIENT_SOURCE (object), result,
                                                          &error);
  if (import->client == NULL)
    {
      org_failed (task, error);
      return;
    }

  astra_client_list_tokens_async (import->client, g_task_get_cancellable (task),
                                  on_tokens_listed_cb, task);
}

/* ------------------------------------------------------------------------------------------ */
/* Steps                                                                                      */

static void
store_next (GTask *task)
{
  Import *import = g_task_get_task_data (task);
  AstraGeneratedToken *token;
  AstraConnection *connection;

  if (import->next >= import->known->len)
    {
      return_result (task);
      return;
    }

  token = g_ptr_array_index (import->known, import->next);
  connection = g_ptr_array_index (import->known_orgs, import->next);
  import->next++;
  astra_generated_token_set_org_id (token, astra_connection_get_org_id (connection));
  astra_secret_store_save_generated_async (import->store, connection, token,
                                           g_task_get_cancellable (task),
                                           on_token_saved_cb, task);
}

/* Checks the tokens no organization listed so far against the next organization, or
 * stores what was found once every organization was asked (or nothing is left). */
static void
check_org (GTask *task)
{
  Import *import = g_task_get_task_data (task);

  if (import->org >= import->import->orgs->len || import->remaining->len == 0)
    {
      store_next (task);
      return;
    }

  astra_client_source_get_client_async (import->clients,
                                        g_ptr_array_index (import->import->orgs, import->org),
                                        g_task_get_cancellable (task), on_client_cb, task);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
astra_token_import_async (AstraSecretStore    *store,
                          AstraClientSource   *clients,
                          GListModel          *tokens,
                          AstraConnection     *target,
                          GListModel          *connections,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  Import *import;
  AstraTokenImport *result;

  g_return_if_fail (ASTRA_IS_SECRET_STORE (store));
  g_return_if_fail (ASTRA_IS_CLIENT_SOURCE (clients));
  g_return_if_fail (G_IS_LIST_MODEL (tokens));
  g_return_if_fail (ASTRA_IS_CONNECTION (target));
  g_return_if_fail (G_IS_LIST_MODEL (connections));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_token_import_async);
  import = g_new0 (Import, 1);
  import->store = g_object_ref (store);
  import->clients = g_object_ref (clients);
  g_task_set_task_data (task, import, (GDestroyNotify) import_free);

  result = import->import = g_new0 (AstraTokenImport, 1);
  result->orgs = g_ptr_array_new_with_free_func (g_object_unref);
  result->saved = g_ptr_array_new_with_free_func (g_object_unref);
  result->saved_orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (result->orgs, g_object_ref (target));
  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(AstraConnection) other = g_list_model_get_item (connections, i);

      if (g_strcmp0 (astra_connection_get_org_id (other),
                     astra_connection_get_org_id (target)) != 0)
        g_ptr_array_add (result->orgs, g_steal_pointer (&other));
    }

  import->remaining = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
    g_ptr_array_add (import->remaining, g_list_model_get_item (tokens, i));
  import->known = g_ptr_array_new_with_free_func (g_object_unref);
  import->known_orgs = g_ptr_array_new_with_free_func (g_object_unref);

  check_org (task);
}

AstraTokenImport *
astra_token_import_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
astra_token_import_count_saved_in (AstraTokenImport *import,
                                   AstraConnection  *connection)
{
  guint n = 0;

  g_return_val_if_fail (import != NULL, 0);

  for (guint i = 0; i < import->saved_orgs->len; i++)
    if (g_ptr_array_index (import->saved_orgs, i) == connection)
      n++;

  return n;
}

void
astra_token_import_free (AstraTokenImport *import)
{
  if (import == NULL)
    return;

  g_clear_pointer (&import->orgs, g_ptr_array_unref);
  g_clear_pointer (&import->saved, g_ptr_array_unref);
  g_clear_pointer (&import->saved_orgs, g_ptr_array_unref);
  g_clear_pointer (&import->unknown, g_ptr_array_unref);
  g_free (import);
}

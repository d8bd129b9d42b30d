/* astra-keyring-client-source.c: clients made from the management tokens in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-keyring-client-source"

#include "config.h"

#include "astra-client.h"
#include "astra-connection.h"
#include "astra-keyring-client-source.h"

struct _AstraKeyringClientSource
{
  GObject           parent_instance;

  AstraSecretStore *store;
};

static void client_source_iface_init (AstraClientSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AstraKeyringClientSource, astra_keyring_client_source,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ASTRA_TYPE_CLIENT_SOURCE,
                                                      client_source_iface_init))

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_token_looked_up_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AstraConnection *connection = g_task_get_task_data (task);
  g_autoptr(AstraSecretString) token = NULL;
  AstraClient *client;
  GError *error = NULL;

  token = astra_secret_store_lookup_token_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  client = astra_client_new (astra_connection_get_api_url (connection), token, &error);
  if (client == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, client, g_object_unref);
}

/* ------------------------------------------------------------------------------------------ */
/* AstraClientSource                                                                          */

static void
get_client_async (AstraClientSource   *source,
                  AstraConnection     *connection,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  AstraKeyringClientSource *self = ASTRA_KEYRING_CLIENT_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, get_client_async);
  g_task_set_task_data (task, g_object_ref (connection), g_object_unref);
  astra_secret_store_lookup_token_async (self->store, astra_connection_get_org_id (connection),
                                         cancellable, on_token_looked_up_cb, task);
}

static AstraClient *
get_client_finish (AstraClientSource  *source,
                   GAsyncResult       *result,
                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
client_source_iface_init (AstraClientSourceInterface *iface)
{
  iface->get_client_async = get_client_async;
  iface->get_client_finish = get_client_finish;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_keyring_client_source_dispose (GObject *object)
{
  AstraKeyringClientSource *self = ASTRA_KEYRING_CLIENT_SOURCE (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (astra_keyring_client_source_parent_class)->dispose (object);
}

static void
astra_keyring_client_source_class_init (AstraKeyringClientSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = astra_keyring_client_source_dispose;
}

static void
astra_keyring_client_source_init (AstraKeyringClientSource *self)
{
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraClientSource *
astra_keyring_client_source_new (AstraSecretStore *store)
{
  AstraKeyringClientSource *self;

  g_return_val_if_fail (ASTRA_IS_SECRET_STORE (store), NULL);

  self = g_object_new (ASTRA_TYPE_KEYRING_CLIENT_SOURCE, NULL);
  self->store = g_object_ref (store);
  return ASTRA_CLIENT_SOURCE (self);
}

/* astra-client-source.c: where a client for a connected organization comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-client-source"

#include "config.h"

#include "astra-client-source.h"
#include "astra-connection.h"

G_DEFINE_INTERFACE (AstraClientSource, astra_client_source, G_TYPE_OBJECT)

static void
astra_client_source_default_init (AstraClientSourceInterface *iface)
{
}

void
astra_client_source_get_client_async (AstraClientSource   *self,
                                      AstraConnection     *connection,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (ASTRA_IS_CLIENT_SOURCE (self));
  g_return_if_fail (ASTRA_IS_CONNECTION (connection));

  ASTRA_CLIENT_SOURCE_GET_IFACE (self)->get_client_async (self, connection, cancellable,
                                                          callback, user_data);
}

AstraClient *
astra_client_source_get_client_finish (AstraClientSource  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (ASTRA_IS_CLIENT_SOURCE (self), NULL);

  return ASTRA_CLIENT_SOURCE_GET_IFACE (self)->get_client_finish (self, result, error);
}

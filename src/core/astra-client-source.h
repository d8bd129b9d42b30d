/* astra-client-source.h: where a client for a connected organization comes from
 *
 * The app's AstraContext keeps one client per organization (and the demo's in-process
 * simulator); the command line makes one from the keyring (AstraKeyringClientSource).
 * Code shared by both, such as the portal CSV import, asks through this interface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_CLIENT_SOURCE (astra_client_source_get_type ())

G_DECLARE_INTERFACE (AstraClientSource, astra_client_source, ASTRA, CLIENT_SOURCE, GObject)

struct _AstraClientSourceInterface
{
  GTypeInterface parent_iface;

  void          (*get_client_async)  (AstraClientSource    *self,
                                      AstraConnection      *connection,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  AstraClient  *(*get_client_finish) (AstraClientSource    *self,
                                      GAsyncResult         *result,
                                      GError              **error);
};

/* → (transfer full) a client for @connection's organization. */
void          astra_client_source_get_client_async  (AstraClientSource    *self,
                                                     AstraConnection      *connection,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
AstraClient  *astra_client_source_get_client_finish (AstraClientSource    *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS

/* astra-generated-lookup.h: the stored tokens of given client ids, in whichever connected
 * organization the keyring holds them
 *
 * For the command line, which is given client ids only: the keyring's connections are
 * listed, then the client ids each one holds (no secret is loaded for that), then the
 * wanted tokens are loaded with their secrets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-secret-store.h"

G_BEGIN_DECLS

/* → (transfer full) GListModel of AstraGeneratedToken in the order of @client_ids, each
 * with its org id set. Fails with ASTRA_SECRET_STORE_ERROR_NOT_FOUND naming the first
 * client id no connected organization holds. */
void        astra_generated_lookup_async  (AstraSecretStore     *store,
                                           const char * const   *client_ids,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GListModel *astra_generated_lookup_finish (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS

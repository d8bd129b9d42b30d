/* astra-keyring-client-source.h: clients made from the management tokens in the keyring
 *
 * For the command line, which has no AstraContext: each request looks the organization's
 * management token up and makes a new client with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-client-source.h"
#include "astra-secret-store.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_KEYRING_CLIENT_SOURCE (astra_keyring_client_source_get_type ())

G_DECLARE_FINAL_TYPE (AstraKeyringClientSource, astra_keyring_client_source, ASTRA,
                      KEYRING_CLIENT_SOURCE, GObject)

AstraClientSource *astra_keyring_client_source_new (AstraSecretStore *store);

G_END_DECLS

/* astra-client.c: the Astra DevOps API client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-client"

#include "config.h"

#include "astra-client.h"

G_DEFINE_QUARK (astra-client-error-quark, astra_client_error)

/* astra-connection.h: a connected organization, as the sidebar shows it
 *
 * Only non-secret facts; the management token itself stays in the keyring
 * (astra-secret-store.h) and is looked up when a client is needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_CONNECTION (astra_connection_get_type ())

G_DECLARE_FINAL_TYPE (AstraConnection, astra_connection, ASTRA, CONNECTION, GObject)

/* Properties: "org-id", "org-name", "api-url" (strings, construct-only),
 * "environment" (AstraEnvironment as guint, construct-only),
 * "label" (string, writable: the local name; NULL/"" means the org name),
 * "display-name" (string, read-only: label if set, else org name),
 * "is-demo" (boolean, construct-only: the bundled simulator's demo organization). */
AstraConnection  *astra_connection_new              (const char       *org_id,
                                                     const char       *org_name,
                                                     AstraEnvironment  environment,
                                                     const char       *api_url);
const char       *astra_connection_get_org_id       (AstraConnection  *self);
const char       *astra_connection_get_org_name     (AstraConnection  *self);
AstraEnvironment  astra_connection_get_environment  (AstraConnection  *self);
const char       *astra_connection_get_api_url      (AstraConnection  *self);
const char       *astra_connection_get_label        (AstraConnection  *self);
void              astra_connection_set_label        (AstraConnection  *self,
                                                     const char       *label);
const char       *astra_connection_get_display_name (AstraConnection  *self);
gboolean          astra_connection_get_is_demo      (AstraConnection  *self);
void              astra_connection_set_is_demo      (AstraConnection  *self,
                                                     gboolean          is_demo);

G_END_DECLS

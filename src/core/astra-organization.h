/* astra-organization.h: the organization a token belongs to (GET /v2/currentOrg)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_ORGANIZATION (astra_organization_get_type ())

G_DECLARE_FINAL_TYPE (AstraOrganization, astra_organization, ASTRA, ORGANIZATION, GObject)

/* Properties: "id" (string), "name" (string; may be an e-mail address for personal orgs). */
AstraOrganization *astra_organization_new            (const char  *id,
                                                      const char  *name);
/* Reads {"id": …, "name": …}; "id" is required, a missing name falls back to the id. */
AstraOrganization *astra_organization_new_from_json  (JsonObject  *object,
                                                      GError     **error);
const char        *astra_organization_get_id         (AstraOrganization *self);
const char        *astra_organization_get_name       (AstraOrganization *self);

G_END_DECLS

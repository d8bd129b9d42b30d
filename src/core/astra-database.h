/* astra-database.h: a database of the organization (GET /v2/databases)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_DATABASE (astra_database_get_type ())

G_DECLARE_FINAL_TYPE (AstraDatabase, astra_database, ASTRA, DATABASE, GObject)

/* Properties: "id", "org-id", "name" (info.name, falls back to the id), "status", "region",
 * "cloud-provider" (strings, "" when absent), "keyspaces" (GStrv). */
AstraDatabase       *astra_database_new_from_json      (JsonObject    *object,
                                                        GError       **error);
const char          *astra_database_get_id             (AstraDatabase *self);
const char          *astra_database_get_org_id         (AstraDatabase *self);
const char          *astra_database_get_name           (AstraDatabase *self);
const char          *astra_database_get_status         (AstraDatabase *self);
const char          *astra_database_get_region         (AstraDatabase *self);
const char          *astra_database_get_cloud_provider (AstraDatabase *self);
const char * const  *astra_database_get_keyspaces      (AstraDatabase *self);

G_END_DECLS

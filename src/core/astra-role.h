/* astra-role.h: a built-in or custom role with its policy (astra-api.md §2.2, §3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_ROLE (astra_role_get_type ())

G_DECLARE_FINAL_TYPE (AstraRole, astra_role, ASTRA, ROLE, GObject)

/* Properties (all read-only, set at construction):
 *   "id" (string), "name" (string), "role-type" (string: "default" for built-in roles,
 *   otherwise as sent, usually "custom"), "description" (string, "" when absent),
 *   "effect" (string), "resources" (GStrv), "actions" (GStrv),
 *   "builtin" (boolean: Type "default", or resources using the __ORG_ID__ placeholder),
 *   "last-update" (GDateTime, nullable). */
AstraRole          *astra_role_new              (const char          *id,
                                                 const char          *name,
                                                 const char          *description,
                                                 const char * const  *resources,
                                                 const char * const  *actions,
                                                 gboolean             builtin);
/* Accepts the wire shape (ID/Name/Type/Policy), the spec's lower-case keys, and a Policy
 * given as a JSON string (astra-api.md §2.2). "ID" and "Name" are required. */
AstraRole          *astra_role_new_from_json    (JsonObject          *object,
                                                 GError             **error);
const char         *astra_role_get_id           (AstraRole *self);
const char         *astra_role_get_name         (AstraRole *self);
const char         *astra_role_get_role_type    (AstraRole *self);
const char         *astra_role_get_description  (AstraRole *self);
const char         *astra_role_get_effect       (AstraRole *self);
const char * const *astra_role_get_resources    (AstraRole *self);
const char * const *astra_role_get_actions      (AstraRole *self);
gboolean            astra_role_is_builtin       (AstraRole *self);
GDateTime          *astra_role_get_last_update  (AstraRole *self);

/* Role id → role name for every AstraRole in @roles (nullable), for
 * astra_token_resolve_roles(). The strings are the roles': @roles must outlive the
 * table. (transfer full) */
GHashTable         *astra_role_names_by_id      (GListModel *roles);

G_END_DECLS

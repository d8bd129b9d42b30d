/* astra-user.h: a member of the organization (GET /v2/organizations/users)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_USER (astra_user_get_type ())

G_DECLARE_FINAL_TYPE (AstraUser, astra_user, ASTRA, USER, GObject)

/* Properties: "id", "email", "status" (strings), "role-ids", "role-names" (GStrv). */
AstraUser           *astra_user_new_from_json   (JsonObject *object,
                                                 GError    **error);
const char          *astra_user_get_id          (AstraUser  *self);
const char          *astra_user_get_email       (AstraUser  *self);
const char          *astra_user_get_status      (AstraUser  *self);
const char * const  *astra_user_get_role_ids    (AstraUser  *self);
const char * const  *astra_user_get_role_names  (AstraUser  *self);

G_END_DECLS

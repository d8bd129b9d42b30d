/* astra-roles-page.h: the built-in and custom roles of one organization
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-connection.h"
#include "astra-context.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_ROLES_PAGE (astra_roles_page_get_type ())

G_DECLARE_FINAL_TYPE (AstraRolesPage, astra_roles_page, ASTRA, ROLES_PAGE, AdwBin)

/* Property "state" (string, read-only): "loading", "list", "empty" or "error". */
void        astra_roles_page_set_connection (AstraRolesPage  *self,
                                             AstraContext    *context,
                                             AstraConnection *connection);
void        astra_roles_page_refresh        (AstraRolesPage  *self);
const char *astra_roles_page_get_state      (AstraRolesPage  *self);
/* The roles as listed (AstraRole). (transfer none) */
GListModel *astra_roles_page_get_model      (AstraRolesPage  *self);

G_END_DECLS

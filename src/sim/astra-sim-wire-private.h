/* astra-sim-wire-private.h: JSON bodies in the shapes and casing of astra-api.md §2.9
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "astra-sim-data-private.h"

G_BEGIN_DECLS

/* All return (transfer full) nodes. */
JsonNode *astra_sim_wire_org           (AstraSimData     *data);
JsonNode *astra_sim_wire_role          (AstraSimRole     *role);
JsonNode *astra_sim_wire_roles         (AstraSimData     *data);
/* The role create/update answer: OrgID, ID, Name, Policy, LastUpdateDateTime, LastUpdateUserID. */
JsonNode *astra_sim_wire_role_saved    (AstraSimData     *data,
                                        AstraSimRole     *role);
JsonNode *astra_sim_wire_token_created (AstraSimData     *data,
                                        AstraSimToken    *token,
                                        const char       *secret,
                                        const char       *token_string);
JsonNode *astra_sim_wire_users         (AstraSimData     *data);
JsonNode *astra_sim_wire_user          (AstraSimData     *data,
                                        AstraSimUser     *user);
/* @databases: AstraSimDatabase* (a page of data->databases). */
JsonNode *astra_sim_wire_databases     (AstraSimData     *data,
                                        GPtrArray        *databases);
JsonNode *astra_sim_wire_database      (AstraSimData     *data,
                                        AstraSimDatabase *database);
/* The token list, serialised (transfer full): the same text as json-glib would write. */
char     *astra_sim_wire_tokens_text   (AstraSimData     *data);
/* {"errors":[{"ID":@id,"message":@message}]} */
JsonNode *astra_sim_wire_errors        (guint             id,
                                        const char       *message);

G_END_DECLS

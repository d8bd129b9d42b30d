/* astra-generated-token.h: a token with its secret, as returned once by
 * POST /v2/clientIdSecrets, or as read back from the keyring or a portal CSV
 *
 * The secret and the token are wiped from memory when the object is finalized. They are
 * not GObject properties, so that no GValue copy of them can linger.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_GENERATED_TOKEN (astra_generated_token_get_type ())

G_DECLARE_FINAL_TYPE (AstraGeneratedToken, astra_generated_token, ASTRA, GENERATED_TOKEN, GObject)

/* Non-secret properties: "client-id", "org-id", "description" (strings), "role-ids",
 * "role-names" (GStrv, role-names writable), "generated-on", "expires" (GDateTime, nullable). */
AstraGeneratedToken *astra_generated_token_new            (const char          *client_id,
                                                           const char          *secret,
                                                           const char          *token);
/* Reads the creation response (clientId, orgId, secret, token, generatedOn, roles). */
AstraGeneratedToken *astra_generated_token_new_from_json  (JsonObject          *object,
                                                           GError             **error);
const char          *astra_generated_token_get_client_id  (AstraGeneratedToken *self);
const char          *astra_generated_token_get_secret     (AstraGeneratedToken *self);
const char          *astra_generated_token_get_token      (AstraGeneratedToken *self);
const char          *astra_generated_token_get_org_id     (AstraGeneratedToken *self);
void                 astra_generated_token_set_org_id     (AstraGeneratedToken *self,
                                                           const char          *org_id);
const char          *astra_generated_token_get_description (AstraGeneratedToken *self);
void                 astra_generated_token_set_description (AstraGeneratedToken *self,
                                                            const char          *description);
const char * const  *astra_generated_token_get_role_ids   (AstraGeneratedToken *self);
void                 astra_generated_token_set_role_ids   (AstraGeneratedToken *self,
                                                           const char * const  *role_ids);
const char * const  *astra_generated_token_get_role_names (AstraGeneratedToken *self);
void                 astra_generated_token_set_role_names (AstraGeneratedToken *self,
                                                           const char * const  *role_names);
GDateTime           *astra_generated_token_get_generated_on (AstraGeneratedToken *self);
void                 astra_generated_token_set_generated_on (AstraGeneratedToken *self,
                                                             GDateTime           *generated_on);
GDateTime           *astra_generated_token_get_expires    (AstraGeneratedToken *self);
void                 astra_generated_token_set_expires    (AstraGeneratedToken *self,
                                                           GDateTime           *expires);
/* Takes what the organization knows of this token from @listed, its entry in the token
 * list (same client id): role ids, role names (as resolved, else the ids), description,
 * generated-on and expiry. The secret and the token stay as they are. */
void                 astra_generated_token_update_from_listed (AstraGeneratedToken *self,
                                                               AstraToken          *listed);
/* Checks @imported (AstraGeneratedToken, e.g. from a portal CSV) against @listed
 * (AstraToken, the organization's token list): each imported token the list holds is
 * updated from its entry and returned, in the order of @imported; the others (revoked, or
 * of another organization) go to @unknown, in the same order.
 * (transfer full) both arrays, which hold a reference on each token. */
GPtrArray           *astra_generated_token_match_listed   (GListModel          *imported,
                                                           GListModel          *listed,
                                                           GPtrArray          **unknown);

/* What was odd in the answer the token was read from, or NULL; never stored. */
const char          *astra_generated_token_get_notice     (AstraGeneratedToken *self);
void                 astra_generated_token_set_notice     (AstraGeneratedToken *self,
                                                           const char          *notice);

G_END_DECLS

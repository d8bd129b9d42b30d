/* astra-token.h: one row of the token list (GET /v2/clientIdSecrets), without secrets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_TOKEN (astra_token_get_type ())

G_DECLARE_FINAL_TYPE (AstraToken, astra_token, ASTRA, TOKEN, GObject)

/* Properties:
 *   "client-id" (string), "description" (string, "" when absent),
 *   "role-ids" (GStrv: as on the wire; may hold non-UUID legacy role names),
 *   "generated-on" (GDateTime, nullable), "expires" (GDateTime, nullable = never),
 *   "generated-on-unix" (gint64, 0 when unknown) and "expires-unix" (gint64, G_MAXINT64 when
 *   never) for sorters,
 *   "role-names" (GStrv, writable: display names after resolution, same order as role-ids),
 *   "roles-label" (string: role names joined with ", "; ids until resolved),
 *   "in-keyring" (boolean, writable: this machine's keyring holds the secret). */
AstraToken          *astra_token_new_from_json   (JsonObject          *object,
                                                  GError             **error);
const char          *astra_token_get_client_id   (AstraToken *self);
const char          *astra_token_get_description (AstraToken *self);
const char * const  *astra_token_get_role_ids    (AstraToken *self);
const char * const  *astra_token_get_role_names  (AstraToken *self);
const char          *astra_token_get_roles_label (AstraToken *self);
GDateTime           *astra_token_get_generated_on (AstraToken *self);
GDateTime           *astra_token_get_expires     (AstraToken *self);
gboolean             astra_token_get_in_keyring  (AstraToken *self);
void                 astra_token_set_in_keyring  (AstraToken *self,
                                                  gboolean    in_keyring);
/* Whether this is the token the app itself connects to the organization with. */
gboolean             astra_token_get_connects_app (AstraToken *self);
void                 astra_token_set_connects_app (AstraToken *self,
                                                   gboolean    connects_app);
/* Resolves role ids to names with @names_by_id (id → name, both strings); ids not in the
 * table are kept verbatim (legacy names or unknown ids, astra-api.md §2.7). */
void                 astra_token_resolve_roles   (AstraToken *self,
                                                  GHashTable *names_by_id);

G_END_DECLS

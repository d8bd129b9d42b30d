/* astra-held-token.h: a generated token the keyring holds, as its item shows it unlocked
 *
 * Only what the item's attributes and label tell, never its secret: organization, client
 * id, description and role names, and those words folded for searching (case, accents and
 * compatibility forms ignored). Immutable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ASTRA_TYPE_HELD_TOKEN (astra_held_token_get_type ())

G_DECLARE_FINAL_TYPE (AstraHeldToken, astra_held_token, ASTRA, HELD_TOKEN, GObject)

/* @role_names: joined with ", " as shown; @org_name: what the organization is called here
 * (its local label, if it has one). Any of them may be NULL or "". */
AstraHeldToken *astra_held_token_new             (const char     *org_id,
                                                  const char     *client_id,
                                                  const char     *org_name,
                                                  const char     *description,
                                                  const char     *role_names);
/* Reads a "generated-token" item saved before description and role names were attributes
 * from its label, "Astra token CLIENT_ID (ROLE NAMES) — ORG NAME" in whatever language
 * it was saved in: the role names are what is in parentheses after the client id, the
 * organization what follows the dash after them. NULL for what the label does not have. */
void            astra_held_token_parse_label     (const char     *label,
                                                  const char     *client_id,
                                                  char          **role_names,
                                                  char          **org_name);

/* "ORG_ID/CLIENT_ID": names the token in search results; not a secret. */
const char     *astra_held_token_get_id          (AstraHeldToken *self);
const char     *astra_held_token_get_org_id      (AstraHeldToken *self);
const char     *astra_held_token_get_client_id   (AstraHeldToken *self);
const char     *astra_held_token_get_org_name    (AstraHeldToken *self);
const char     *astra_held_token_get_description (AstraHeldToken *self);
const char     *astra_held_token_get_role_names  (AstraHeldToken *self);

/* Whether every one of @folded_terms (from astra_held_token_fold_terms()) is the start of
 * a word of the description, role names or organization name, or of the client id. */
gboolean        astra_held_token_matches         (AstraHeldToken     *self,
                                                  const char * const *folded_terms);
/* Folds search terms the way tokens are folded; empty terms are dropped. (transfer full) */
char          **astra_held_token_fold_terms      (const char * const *terms);

G_END_DECLS

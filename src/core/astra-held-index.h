/* astra-held-index.h: the generated tokens the keyring holds, across every organization
 *
 * A GListModel of AstraHeldToken, sorted by organization, then description: every
 * "generated-token" item of the keyring, also of an organization no longer connected,
 * read from item attributes and labels only — nothing is unlocked, no secret is loaded, no
 * API is asked. It is kept in memory and read again when one of our items changes (the
 * Secret Service's ItemCreated/ItemDeleted/ItemChanged for an item of our schema — other
 * apps' passwords are ignored — and the store's "generated-changed"), so that searches
 * answer from memory (GNOME Shell's search provider, astra-search-provider.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-held-token.h"
#include "astra-secret-store.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_HELD_INDEX (astra_held_index_get_type ())

G_DECLARE_FINAL_TYPE (AstraHeldIndex, astra_held_index, ASTRA, HELD_INDEX, GObject)

AstraHeldIndex *astra_held_index_new          (AstraSecretStore    *store);

/* Completes once the index holds what the keyring holds: at once when nothing changed
 * since it was last read, else after reading it (again). Errors are the store's
 * (ASTRA_SECRET_STORE_ERROR); the index then keeps what it had. */
void            astra_held_index_ensure_async  (AstraHeldIndex      *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        astra_held_index_ensure_finish (AstraHeldIndex      *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Marks the index out of date (the next ensure reads the keyring again). */
void            astra_held_index_invalidate    (AstraHeldIndex      *self);

/* The ids (astra_held_token_get_id()) of the tokens that every term matches
 * (astra_held_token_matches()), in the model's order; none for no terms.
 * With @within, only among those ids, in their order. (transfer full) */
char          **astra_held_index_search        (AstraHeldIndex      *self,
                                                const char * const  *terms,
                                                const char * const  *within);
/* (transfer none) (nullable) */
AstraHeldToken *astra_held_index_lookup        (AstraHeldIndex      *self,
                                                const char          *id);

G_END_DECLS

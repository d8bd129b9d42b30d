/* astra-token-array.h: a list of tokens in one array
 *
 * A GListModel of AstraToken like GListStore, for the lists that hold every token of an
 * organization: GListStore keeps each item in a node of a balanced tree (~48 bytes), this
 * keeps a pointer. Lists are replaced whole or lose one token at a time, so an array is
 * all they need.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-token.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_TOKEN_ARRAY (astra_token_array_get_type ())
G_DECLARE_FINAL_TYPE (AstraTokenArray, astra_token_array, ASTRA, TOKEN_ARRAY, GObject)

AstraTokenArray *astra_token_array_new        (void);
/* Replaces @n_removed tokens at @position with @additions (each referenced), then emits
 * one items-changed, as g_list_store_splice() does. */
void             astra_token_array_splice     (AstraTokenArray  *self,
                                               guint             position,
                                               guint             n_removed,
                                               AstraToken      **additions,
                                               guint             n_additions);
void             astra_token_array_remove     (AstraTokenArray  *self,
                                               guint             position);
void             astra_token_array_remove_all (AstraTokenArray  *self);

G_END_DECLS

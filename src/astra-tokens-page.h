/* astra-tokens-page.h: the token list of one organization
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-connection.h"
#include "astra-context.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_TOKENS_PAGE (astra_tokens_page_get_type ())

G_DECLARE_FINAL_TYPE (AstraTokensPage, astra_tokens_page, ASTRA, TOKENS_PAGE, AdwBin)

/* Properties: "state" (string, read-only): "loading", "list", "empty", "error" or
 * "keyring". Signal "populated": the list shows the organization's tokens with role names
 * resolved (emitted after every successful refresh). */
void           astra_tokens_page_set_connection  (AstraTokensPage *self,
                                                  AstraContext    *context,
                                                  AstraConnection *connection);
void           astra_tokens_page_refresh         (AstraTokensPage *self);
void           astra_tokens_page_focus_search    (AstraTokensPage *self);
void           astra_tokens_page_set_search      (AstraTokensPage *self,
                                                  const char      *text);
/* Turns on Expiring Soon and clears the search (the banner's Review, the notification's). */
void           astra_tokens_page_show_expiring   (AstraTokensPage *self);
const char    *astra_tokens_page_get_state       (AstraTokensPage *self);
/* The roles fetched by the last refresh (AstraRole), or NULL. (transfer none) */
GListModel    *astra_tokens_page_get_roles       (AstraTokensPage *self);
/* The rows as shown: filtered and sorted AstraToken items. (transfer none) */
GListModel    *astra_tokens_page_get_model       (AstraTokensPage *self);
GtkColumnView *astra_tokens_page_get_column_view (AstraTokensPage *self);

G_END_DECLS

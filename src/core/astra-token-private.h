/* astra-token-private.h: constructor for the core's own parsers (not public)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-token.h"

G_BEGIN_DECLS

/* Takes ownership of every argument. @client_id must be non-empty; @description and
 * @role_ids must not be NULL; @generated_on and @expires may be. (transfer full) */
AstraToken *astra_token_new_take (char      *client_id,
                                  char      *description,
                                  char     **role_ids,
                                  GDateTime *generated_on,
                                  GDateTime *expires);

G_END_DECLS

/* astra-token-list-private.h: the one-pass reader's pieces, for the incremental reader
 *
 * astra-token-list-stream.c splits a body that arrives in chunks into fragments (a member
 * name, a member value, one element of "clients") and has each read here, by the same
 * strict reader and with the same rules as astra_token_list_parse(). Positions in syntax
 * errors count from the start of the fragment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-token.h"

G_BEGIN_DECLS

/* A complete JSON string, quotes included → its decoded text (transfer full). */
gboolean astra_token_list_read_name        (const char  *data,
                                            gsize        length,
                                            char       **name,
                                            GError     **error);
/* Checks one complete JSON value nested @depth levels deep; @value_is_null tells null. */
gboolean astra_token_list_check_value      (const char  *data,
                                            gsize        length,
                                            guint        depth,
                                            gboolean    *value_is_null,
                                            GError     **error);
/* One element of "clients" → @token (transfer full), or NULL when the element is
 * unreadable (skipped, as astra_token_list_parse() skips it). FALSE on a syntax error. */
gboolean astra_token_list_read_item        (const char  *data,
                                            gsize        length,
                                            guint        depth,
                                            guint        index,
                                            AstraToken **token,
                                            GError     **error);
void     astra_token_list_set_n_unreadable (GListModel  *tokens,
                                            guint        n_unreadable);

G_END_DECLS

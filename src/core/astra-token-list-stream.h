/* astra-token-list-stream.h: a token list too large to hold, read as it arrives
 *
 * Bodies up to ASTRA_JSON_MAX_SIZE are read whole by astra_token_list_parse(). An
 * organization with more tokens than fit in that (about 85,000) would never be listed,
 * so the client hands a larger 2xx body to this reader chunk by chunk instead: it keeps
 * only the element of "clients" being received (at most ASTRA_TOKEN_LIST_MAX_ITEM bytes)
 * and the tokens read so far (at most ASTRA_TOKEN_LIST_MAX_TOKENS), never the body.
 * The result, the skipped unreadable items and the errors are those of
 * astra_token_list_parse() for the same body, except that syntax error positions count
 * from the start of the piece that holds them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One client is a few hundred bytes; a thousand role ids still fit many times over. */
#define ASTRA_TOKEN_LIST_MAX_ITEM    (1024 * 1024)
/* More than twice the tokens that the whole-body reader's cap allows. */
#define ASTRA_TOKEN_LIST_MAX_TOKENS  200000

typedef struct _AstraTokenListStream AstraTokenListStream;

AstraTokenListStream *astra_token_list_stream_new    (void);
void                  astra_token_list_stream_free   (AstraTokenListStream  *self);

/* Forgets everything read so far (the request is being sent again). */
void                  astra_token_list_stream_reset  (AstraTokenListStream  *self);

/* Reads the next @length bytes. FALSE with an ASTRA_JSON_ERROR once the body cannot be a
 * token list (the error stays: further feeds fail the same way). */
gboolean              astra_token_list_stream_feed   (AstraTokenListStream  *self,
                                                      const char            *data,
                                                      gsize                  length,
                                                      GError               **error);

/* The body has ended: the list of AstraToken (transfer full), carrying its count of
 * unreadable items as astra_token_list_parse() does. */
GListModel           *astra_token_list_stream_finish (AstraTokenListStream  *self,
                                                      guint                 *n_unreadable,
                                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraTokenListStream, astra_token_list_stream_free)

G_END_DECLS

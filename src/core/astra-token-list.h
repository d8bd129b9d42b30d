/* astra-token-list.h: the token list body (GET /v2/clientIdSecrets) read in one pass
 *
 * An organization may hold thousands of tokens. Building a json-glib tree of the whole
 * body and then the models from it costs several times more than the models themselves
 * (build-aux/bench, "parse a 10,000-token list"), so the list is read by a small strict
 * JSON reader that creates the AstraTokens as it goes and keeps nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reads {"clients": [...]} (astra-api.md §2.7) into a GListModel of AstraToken, with the
 * same field rules as astra_token_new_from_json() (member names matched exactly first,
 * then ignoring ASCII case). A "clients" of null gives an empty list.
 *
 * The input must be RFC 8259 JSON (a UTF-8 byte order mark is skipped), within
 * ASTRA_JSON_MAX_SIZE and ASTRA_JSON_MAX_DEPTH. Errors:
 * - ASTRA_JSON_ERROR_EMPTY, _TOO_LARGE, _TOO_DEEP, _SYNTAX as astra_json_parse() gives them;
 * - ASTRA_JSON_ERROR_UNEXPECTED when the body is not an object with a "clients" array.
 *
 * An item that cannot be read (not an object, no usable "clientId", a string that is not
 * valid UTF-8 anywhere in it) is skipped, not an error: the rest of the list is returned,
 * and @n_unreadable (nullable) says how many were skipped. The model carries the same
 * count for astra_token_list_get_n_unreadable(). A syntax error anywhere still fails the
 * whole body. (transfer full) */
GListModel *astra_token_list_parse             (const char  *data,
                                                gsize        length,
                                                guint       *n_unreadable,
                                                GError     **error);

/* How many items of the body were skipped as unreadable, for a model that
 * astra_token_list_parse() (and so astra_client_list_tokens_finish()) returned; 0 for any
 * other model. */
guint       astra_token_list_get_n_unreadable  (GListModel  *tokens);

G_END_DECLS

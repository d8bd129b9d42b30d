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
 * - ASTRA_JSON_ERROR_UNEXPECTED when the body is not an object with a "clients" array;
 * - ASTRA_CLIENT_ERROR_BAD_RESPONSE naming the first bad item ("Item 3 of 10: …").
 * (transfer full) */
GListModel *astra_token_list_parse (const char  *data,
                                    gsize        length,
                                    GError     **error);

G_END_DECLS

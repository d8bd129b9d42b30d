/* astra-token-format.h: the AstraCS: token format of astra-api.md §4
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ASTRA_TOKEN_FORMAT_ERROR (astra_token_format_error_quark ())

typedef enum
{
  ASTRA_TOKEN_FORMAT_ERROR_EMPTY,
  ASTRA_TOKEN_FORMAT_ERROR_PREFIX,
  ASTRA_TOKEN_FORMAT_ERROR_LENGTH,
  ASTRA_TOKEN_FORMAT_ERROR_PARTS,
  ASTRA_TOKEN_FORMAT_ERROR_CLIENT_ID,
  ASTRA_TOKEN_FORMAT_ERROR_HASH,
} AstraTokenFormatError;

#define ASTRA_TOKEN_PREFIX          "AstraCS:"
#define ASTRA_TOKEN_LENGTH          97
#define ASTRA_TOKEN_CLIENT_ID_LEN   24

GQuark    astra_token_format_error_quark (void);

/* Checks the shape of an application token before anything is sent. Leading and trailing
 * white space is not accepted here: callers strip pasted input first. The message says what
 * is wrong without echoing the token. */
gboolean  astra_token_format_validate    (const char  *token,
                                          GError     **error);
/* The client id part of a well-formed token; (transfer full) or NULL. */
char     *astra_token_format_dup_client_id (const char *token);
/* "AstraCS:" + client_id + ":" + hex(sha256(secret)); (transfer full). */
char     *astra_token_format_compose     (const char  *client_id,
                                          const char  *secret);
/* astra-cli's masked form: first 12 characters, "****", last 4; (transfer full). */
char     *astra_token_format_mask        (const char  *token);

G_END_DECLS

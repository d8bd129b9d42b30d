/* astra-http-log.h: logging HTTP exchanges without leaking credentials (private)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The environment variable that turns on wire logging of request and response headers. */
#define ASTRA_HTTP_LOG_ENV "ASTRA_TOKENS_DEBUG_HTTP"

/* Adds a header-level SoupLogger to @session when ASTRA_TOKENS_DEBUG_HTTP=1. Bodies are
 * never logged (a token-creation response carries the new secret). */
void   astra_http_log_attach        (SoupSession *session);

/* (transfer full) @line with credentials removed: the value of Authorization-like headers
 * and of cookies, and every "AstraCS:…" token anywhere in the line. */
char  *astra_http_log_redact_line   (const char  *line);

/* (transfer full) @text with every "AstraCS:…" token replaced by "AstraCS:[redacted]". */
char  *astra_http_log_redact_tokens (const char  *text);

G_END_DECLS

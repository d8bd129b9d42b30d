/* astra-http-log.c: logging HTTP exchanges without leaking credentials
 *
 * SoupLogger prints "Authorization: Bearer AstraCS:…" verbatim at the HEADERS level and
 * the token-creation response (with the new secret) at the BODY level (platform-notes.md
 * §3.3). So the wire log is opt-in, headers only, and every line goes through a printer
 * that removes credentials before it reaches GLib's log writer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-http"

#include "config.h"

#include <string.h>

#include "astra-http-log.h"

#define TOKEN_PREFIX "AstraCS:"
#define REDACTED     "[redacted]"

static const char * const secret_headers[] = {
  "Authorization",
  "Proxy-Authorization",
  "Cookie",
  "Set-Cookie",
  NULL
};

/* Helpers {{{ */

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || c == ':' || c == '-' || c == '_' || c == '.' ||
         c == '+' || c == '/' || c == '=';
}

static const char *
find_token_prefix (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, TOKEN_PREFIX, strlen (TOKEN_PREFIX)) == 0)
      return p;
  return NULL;
}

/* Returns the header name @line starts with when it is one whose value is a credential. */
static const char *
match_secret_header (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;

  for (guint i = 0; secret_headers[i] != NULL; i++)
    {
      gsize len = strlen (secret_headers[i]);

      if (g_ascii_strncasecmp (line, secret_headers[i], len) == 0 &&
          (line[len] == ':' || line[len] == ' '))
        return secret_headers[i];
    }

  return NULL;
}

/* }}} */
/* Callbacks {{{ */

static void
print_redacted_cb (SoupLogger         *logger,
                   SoupLoggerLogLevel  level,
                   char                direction,
                   const char         *data,
                   gpointer            user_data)
{
  g_autofree char *line = astra_http_log_redact_line (data);

  /* The user asked for this output with ASTRA_TOKENS_DEBUG_HTTP, so it is a message, not
   * a debug line that G_MESSAGES_DEBUG would also have to enable. */
  g_message ("%c %s", direction, line);
}

static SoupLoggerLogLevel
filter_headers_only_cb (SoupLogger  *logger,
                        SoupMessage *msg,
                        gpointer     user_data)
{
  return SOUP_LOGGER_LOG_HEADERS;
}

/* }}} */
/* Public API {{{ */

char *
astra_http_log_redact_tokens (const char *text)
{
  GString *out;
  const char *p;
  const char *hit;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  p = text;
  while ((hit = find_token_prefix (p)) != NULL)
    {
      const char *end = hit + strlen (TOKEN_PREFIX);

      while (is_token_char (*end))
        end++;
      g_string_append_len (out, p, hit - p);
      g_string_append (out, TOKEN_PREFIX REDACTED);
      p = end;
    }
  g_string_append (out, p);

  return g_string_free (out, FALSE);
}

char *
astra_http_log_redact_line (const char *line)
{
  const char *header;

  if (line == NULL)
    return g_strdup ("");

  header = match_secret_header (line);
  if (header != NULL)
    return g_strdup_printf ("%s: " REDACTED, header);

  return astra_http_log_redact_tokens (line);
}

void
astra_http_log_attach (SoupSession *session)
{
  g_autoptr(SoupLogger) logger = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));

  if (g_strcmp0 (g_getenv (ASTRA_HTTP_LOG_ENV), "1") != 0)
    return;

  logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);
  /* The filters pin the level even if a later change raises the logger's own level. */
  soup_logger_set_request_filter (logger, filter_headers_only_cb, NULL, NULL);
  soup_logger_set_response_filter (logger, filter_headers_only_cb, NULL, NULL);
  soup_logger_set_max_body_size (logger, 0);
  soup_logger_set_printer (logger, print_redacted_cb, NULL, NULL);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
}

/* }}} */

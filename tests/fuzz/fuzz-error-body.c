/* fuzz-error-body.c: turning an error answer into a message for the user
 *
 * Input: a first line with the HTTP status ("404 text/plain"), then the body. Error bodies
 * come as {"errors": [...]}, a bare JSON string, plain text or an HTML page from a proxy
 * (astra-api.md §2.10). Whatever they hold, the message shown must be UTF-8 without control
 * characters, bounded, and must never carry an AstraCS: token the server echoed back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-client-private.h"
#include "astra-fuzz.h"

static void
assert_presentable (const char *message,
                    guint       max_chars)
{
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (message, -1), <=, max_chars);

  for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));

  /* Every token prefix is followed by the redaction marker (perhaps cut short by the
   * length cap), never by a client id. */
  for (const char *p = message; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, "AstraCS:", 8) == 0)
      g_assert_true (p[8] == '\0' || p[8] == '[' || g_str_has_prefix (p + 8, "…"));
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  astra_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *newline = memchr (data, '\n', size);
  g_autofree char *status_line = NULL;
  g_autofree char *body = NULL;
  g_autofree char *api_message = NULL;
  g_autoptr(GError) error = NULL;
  gsize body_length;
  guint64 status = 500;

  if (newline != NULL)
    {
      status_line = astra_fuzz_dup (data, newline - data);
      status = g_ascii_strtoull (status_line, NULL, 10);
      if (status < 100 || status > 599)
        status = 500;
      body_length = size - (newline + 1 - data);
      body = astra_fuzz_dup_unterminated (newline + 1, body_length);
    }
  else
    {
      body_length = size;
      body = astra_fuzz_dup_unterminated (data, size);
    }

  api_message = astra_client_extract_api_message (body, body_length);
  if (api_message != NULL)
    {
      g_assert_cmpstr (api_message, !=, "");
      /* The cap, plus the ellipsis that marks a cut. */
      assert_presentable (api_message, ASTRA_CLIENT_MAX_API_MESSAGE + 1);
    }

  error = astra_client_error_from_status ((guint) status, "org-token-read", api_message);
  g_assert_nonnull (error);
  g_assert_true (error->domain == ASTRA_CLIENT_ERROR);
  assert_presentable (error->message, G_MAXUINT);

  return 0;
}

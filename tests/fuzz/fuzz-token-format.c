/* fuzz-token-format.c: the AstraCS: token checks on arbitrary pasted text
 *
 * A token is validated before anything is sent; what passes must yield its client id and
 * mask without reading past the end, and the error message must never echo the input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-fuzz.h"
#include "astra-token-format.h"

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
  g_autofree char *token = astra_fuzz_dup (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *masked = NULL;

  if (!astra_token_format_validate (token, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      /* Never echo what was pasted: it may be a real token with one typo. (Our messages
       * name the prefix only as “AstraCS”, without the colon.) */
      if (g_str_has_prefix (token, ASTRA_TOKEN_PREFIX))
        g_assert_null (strstr (error->message, ASTRA_TOKEN_PREFIX));
      return 0;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (token), ==, ASTRA_TOKEN_LENGTH);

  client_id = astra_token_format_dup_client_id (token);
  g_assert_nonnull (client_id);
  g_assert_cmpuint (strlen (client_id), ==, ASTRA_TOKEN_CLIENT_ID_LEN);
  g_assert_true (strncmp (token + strlen (ASTRA_TOKEN_PREFIX), client_id,
                          ASTRA_TOKEN_CLIENT_ID_LEN) == 0);

  masked = astra_token_format_mask (token);
  g_assert_nonnull (masked);
  g_assert_null (strstr (masked, token + 12));

  return 0;
}

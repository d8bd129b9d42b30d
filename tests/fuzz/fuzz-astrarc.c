/* fuzz-astrarc.c: importing the Astra CLI's .astrarc
 *
 * The file is plain INI text in the user's home, written by hand or by astra-cli. UTF-8
 * input always parses (junk lines are skipped, broken profiles carry their own error); a
 * profile offered as usable must hold a well-formed token and an API URL that the client
 * accepts (HTTPS, or plain HTTP to this computer only). Error messages never show a token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-client.h"
#include "astra-fuzz.h"
#include "astra-rc.h"
#include "astra-token-format.h"

static void
check_profile (AstraRcProfile *profile)
{
  const GError *profile_error = astra_rc_profile_get_error (profile);
  const char *token = astra_rc_profile_get_token (profile);
  const char *api_url = astra_rc_profile_get_api_url (profile);

  g_assert_nonnull (astra_rc_profile_get_name (profile));
  astra_fuzz_read_properties (profile);

  if (profile_error != NULL)
    {
      g_assert_true (g_utf8_validate (profile_error->message, -1, NULL));
      if (token != NULL && *token != '\0')
        g_assert_null (strstr (profile_error->message, token));
      return;
    }

  g_assert_true (astra_token_format_validate (token, NULL));
  g_assert_nonnull (api_url);
  /* What the import offers, the client must be willing to use. */
  {
    g_autoptr(GError) url_error = NULL;

    astra_client_check_base_url (api_url, &url_error);
    g_assert_no_error (url_error);
  }
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
  g_autofree char *copy = astra_fuzz_dup_unterminated (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) profiles = NULL;

  profiles = astra_rc_parse (copy, size, &error);
  if (profiles == NULL)
    {
      /* Only text that is not UTF-8 is refused as a whole. */
      g_assert_nonnull (error);
      g_assert_false (g_utf8_validate (copy, size, NULL));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(AstraRcProfile) profile = g_list_model_get_item (profiles, i);

      check_profile (profile);
    }

  return 0;
}

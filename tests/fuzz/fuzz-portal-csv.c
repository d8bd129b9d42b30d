/* fuzz-portal-csv.c: reading a GeneratedToken.csv that a teammate sent
 *
 * A file either parses into tokens with a client id and a secret, or is refused with a
 * message naming the line. What parses must survive our own writer byte-exact: written with
 * astra_csv_format_portal() and read again, every value comes back the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-csv.h"
#include "astra-fuzz.h"
#include "astra-generated-token.h"

static void
assert_same_token (AstraGeneratedToken *a,
                   AstraGeneratedToken *b)
{
  const char * const *names_a = astra_generated_token_get_role_names (a);
  const char * const *names_b = astra_generated_token_get_role_names (b);

  g_assert_cmpstr (astra_generated_token_get_client_id (a), ==,
                   astra_generated_token_get_client_id (b));
  g_assert_cmpstr (astra_generated_token_get_secret (a), ==,
                   astra_generated_token_get_secret (b));
  g_assert_cmpstr (astra_generated_token_get_token (a), ==,
                   astra_generated_token_get_token (b));
  g_assert_cmpuint (names_a ? g_strv_length ((char **) names_a) : 0, ==,
                    names_b ? g_strv_length ((char **) names_b) : 0);
  for (guint i = 0; names_a != NULL && names_a[i] != NULL; i++)
    g_assert_cmpstr (names_a[i], ==, names_b[i]);
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
  g_autoptr(GError) again_error = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GListModel) again = NULL;
  g_autoptr(GBytes) written = NULL;
  guint n_items;

  tokens = astra_csv_parse_portal (copy, size, &error);
  if (tokens == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == ASTRA_CSV_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  n_items = g_list_model_get_n_items (tokens);
  g_assert_cmpuint (n_items, >, 0);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(AstraGeneratedToken) token = g_list_model_get_item (tokens, i);

      g_assert_true (ASTRA_IS_GENERATED_TOKEN (token));
      g_assert_cmpstr (astra_generated_token_get_client_id (token), !=, "");
      g_assert_cmpstr (astra_generated_token_get_secret (token), !=, "");
      g_assert_nonnull (astra_generated_token_get_token (token));
      astra_fuzz_read_properties (token);
    }

  written = astra_csv_format_portal (tokens);
  again = astra_csv_parse_portal (g_bytes_get_data (written, NULL), g_bytes_get_size (written),
                                  &again_error);
  g_assert_no_error (again_error);
  g_assert_cmpuint (g_list_model_get_n_items (again), ==, n_items);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(AstraGeneratedToken) a = g_list_model_get_item (tokens, i);
      g_autoptr(AstraGeneratedToken) b = g_list_model_get_item (again, i);

      assert_same_token (a, b);
    }

  return 0;
}

/* test-token-format.c: the AstraCS: token format (astra-api.md §4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-token-format.h"

/* A fabricated token: 24 letters and the sha256 of the secret "s3cr,et". */
#define CLIENT_ID "AbCdEfGhIjKlMnOpQrStUvWx"

static char *
make_token (void)
{
  return astra_token_format_compose (CLIENT_ID, "s3cr,et");
}

static void
test_compose (void)
{
  g_autofree char *token = make_token ();
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "s3cr,et", -1);

  g_assert_cmpuint (strlen (token), ==, ASTRA_TOKEN_LENGTH);
  g_assert_true (g_str_has_prefix (token, "AstraCS:" CLIENT_ID ":"));
  g_assert_cmpstr (token + strlen ("AstraCS:" CLIENT_ID ":"), ==, hash);
  g_assert_true (astra_token_format_validate (token, NULL));
}

static void
expect_error (const char *token,
              int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (astra_token_format_validate (token, &error));
  g_assert_error (error, ASTRA_TOKEN_FORMAT_ERROR, code);
  g_assert_nonnull (error->message);
  /* The message must never echo the token it rejects. */
  if (token != NULL && strlen (token) > 12)
    g_assert_null (strstr (error->message, token));
}

static void
test_rejects (void)
{
  g_autofree char *good = make_token ();
  g_autofree char *short_token = g_strndup (good, ASTRA_TOKEN_LENGTH - 1);
  g_autofree char *long_token = g_strconcat (good, "0", NULL);
  g_autofree char *upper = g_strdup (good);
  g_autofree char *four_parts = g_strdup (good);
  g_autofree char *bad_id = g_strdup (good);

  expect_error (NULL, ASTRA_TOKEN_FORMAT_ERROR_EMPTY);
  expect_error ("", ASTRA_TOKEN_FORMAT_ERROR_EMPTY);
  expect_error ("astracs:" CLIENT_ID ":0", ASTRA_TOKEN_FORMAT_ERROR_PREFIX);
  expect_error ("{\"token\": \"AstraCS:x\"}", ASTRA_TOKEN_FORMAT_ERROR_PREFIX);
  expect_error (short_token, ASTRA_TOKEN_FORMAT_ERROR_LENGTH);
  expect_error (long_token, ASTRA_TOKEN_FORMAT_ERROR_LENGTH);

  upper[ASTRA_TOKEN_LENGTH - 1] = 'F';
  expect_error (upper, ASTRA_TOKEN_FORMAT_ERROR_HASH);

  four_parts[40] = ':';
  expect_error (four_parts, ASTRA_TOKEN_FORMAT_ERROR_PARTS);

  bad_id[10] = '-';
  expect_error (bad_id, ASTRA_TOKEN_FORMAT_ERROR_CLIENT_ID);

  /* The client id must be exactly 24 characters: move the separator by one. */
  {
    g_autofree char *moved = g_strdup (good);
    moved[8 + 24] = 'x';
    moved[8 + 23] = ':';
    expect_error (moved, ASTRA_TOKEN_FORMAT_ERROR_CLIENT_ID);
  }
}

static void
test_client_id_and_mask (void)
{
  g_autofree char *token = make_token ();
  g_autofree char *client_id = astra_token_format_dup_client_id (token);
  g_autofree char *masked = astra_token_format_mask (token);

  g_assert_cmpstr (client_id, ==, CLIENT_ID);
  g_assert_null (astra_token_format_dup_client_id ("AstraCS:nope"));
  g_assert_cmpuint (strlen (masked), ==, 12 + 4 + 4);
  g_assert_true (g_str_has_prefix (masked, "AstraCS:AbCd****"));
  g_assert_true (g_str_has_suffix (masked, token + ASTRA_TOKEN_LENGTH - 4));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/token-format/compose", test_compose);
  g_test_add_func ("/token-format/rejects", test_rejects);
  g_test_add_func ("/token-format/client-id-and-mask", test_client_id_and_mask);

  return g_test_run ();
}

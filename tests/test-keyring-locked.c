/* test-keyring-locked.c: AstraSecretStore with a locked collection that cannot be unlocked
 *
 * Runs in a keyring session of its own (build-aux/with-test-session inside the outer one),
 * because it locks the default collection, which would break tests sharing the keyring.
 * The keyring daemon has no display, so its unlock prompt fails at once: every call must
 * end promptly with LOCKED (or DISMISSED), never hang, never claim success, and a locked
 * secret must never be reported as missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-secret-store.h"
#include "astra-test-async.h"
#include "astra-test-keyring.h"

#define TOKEN "AstraCS:AbCdEfGhIjKlMnOpQrStUvWx:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ORG_ID "4b1f6c0e-locked-org"

static void
assert_locked (GError *error)
{
  g_assert_nonnull (error);
  g_test_message ("message: %s", error->message);
  g_assert_true (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
                 g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED));
  /* Our words, not libsecret's ("Cannot create an item in a locked collection"). */
  g_assert_true (g_str_has_prefix (error->message, "The keyring"));
  g_assert_null (strstr (error->message, "collection"));
  g_assert_null (strstr (error->message, "Cannot"));
}

static void
test_locked (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(AstraGeneratedToken) generated = NULL;
  g_autoptr(GError) error = NULL;

  connection = astra_connection_new (ORG_ID, "Locked Org", ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  generated = astra_generated_token_new ("LockedClientIdAaaaaaaaaa", "se,cret", NULL);

  /* Stored while unlocked... */
  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_save_connection_async (store, connection, TOKEN, NULL, astra_test_store_result_cb, &result);
    g_assert_true (astra_secret_store_save_connection_finish (store, astra_test_wait (&result), &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_save_generated_async (store, connection, generated, NULL, astra_test_store_result_cb, &result);
    g_assert_true (astra_secret_store_save_generated_finish (store, astra_test_wait (&result), &error));
    g_assert_no_error (error);
  }

  /* ...then the keyring is locked and nobody can unlock it. */
  astra_test_lock_default_collection ();

  /* Listing reads attributes only, so it still works and never prompts. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GListModel) model = NULL;
    astra_secret_store_list_connections_async (store, NULL, astra_test_store_result_cb, &result);
    model = astra_secret_store_list_connections_finish (store, astra_test_wait (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_auto(GStrv) ids = NULL;
    astra_secret_store_list_generated_async (store, ORG_ID, NULL, astra_test_store_result_cb, &result);
    ids = astra_secret_store_list_generated_finish (store, astra_test_wait (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (ids), ==, 1);
  }

  /* A locked secret is LOCKED, not NOT_FOUND. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *token = NULL;
    astra_secret_store_lookup_token_async (store, ORG_ID, NULL, astra_test_store_result_cb, &result);
    token = astra_secret_store_lookup_token_finish (store, astra_test_wait (&result), &error);
    g_assert_null (token);
    assert_locked (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(AstraGeneratedToken) back = NULL;
    astra_secret_store_lookup_generated_async (store, ORG_ID, "LockedClientIdAaaaaaaaaa", NULL,
                                               astra_test_store_result_cb, &result);
    back = astra_secret_store_lookup_generated_finish (store, astra_test_wait (&result), &error);
    g_assert_null (back);
    assert_locked (error);
    g_clear_error (&error);
  }

  /* Writing fails loudly. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_save_connection_async (store, connection, TOKEN, NULL, astra_test_store_result_cb, &result);
    g_assert_false (astra_secret_store_save_connection_finish (store, astra_test_wait (&result), &error));
    assert_locked (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_rename_connection_async (store, connection, "x", NULL, astra_test_store_result_cb, &result);
    g_assert_false (astra_secret_store_rename_connection_finish (store, astra_test_wait (&result), &error));
    assert_locked (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_save_generated_async (store, connection, generated, NULL, astra_test_store_result_cb, &result);
    g_assert_false (astra_secret_store_save_generated_finish (store, astra_test_wait (&result), &error));
    assert_locked (error);
    g_clear_error (&error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/keyring/locked", test_locked);

  return g_test_run ();
}

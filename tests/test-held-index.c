/* test-held-index.c: the held-token index on libsecret's file backend (Flatpak's)
 *
 * No D-Bus there, so no keyring signals: the index must follow the secret store's
 * "generated-changed" alone. Saves and deletes through AstraSecretStore and checks what
 * the index finds, across organizations, connected or not, sorted, without secrets.
 * (Over the Secret Service and D-Bus, tests/test-search-provider.c.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-held-index.h"
#include "astra-secret-store.h"
#include "astra-test-async.h"

#define WAIT_MS 20000

static void
save (AstraSecretStore *store,
      AstraConnection  *connection,
      const char       *client_id,
      const char       *description,
      const char       *role_name)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("AstraCS:%s:secret-part", client_id);

  token = astra_generated_token_new (client_id, "held-index-secret", text);
  astra_generated_token_set_description (token, description);
  astra_generated_token_set_role_names (token, (const char * const []) { role_name, NULL });
  astra_secret_store_save_generated_async (store, connection, token, NULL, astra_test_store_result_cb, &result);
  astra_test_wait (&result);
  g_assert_true (astra_secret_store_save_generated_finish (store, result, &error));
  g_assert_no_error (error);
}

static void
ensure (AstraHeldIndex *index)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_held_index_ensure_async (index, NULL, astra_test_store_result_cb, &result);
  astra_test_wait (&result);
  g_assert_true (astra_held_index_ensure_finish (index, result, &error));
  g_assert_no_error (error);
}

static char *
search (AstraHeldIndex *index,
        const char     *term)
{
  g_auto(GStrv) ids = astra_held_index_search (index, (const char * const []) { term, NULL }, NULL);

  return g_strjoinv (" ", ids);
}

static void
test_follows_store (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraHeldIndex) index = astra_held_index_new (store);
  g_autoptr(AstraConnection) zeta = astra_connection_new ("org-z", "Zeta Labs",
                                                          ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  g_autoptr(AstraConnection) alpha = astra_connection_new ("org-a", "Alpha Works",
                                                           ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  ensure (index);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (index)), ==, 0);

  save (store, zeta, "ZetaZetaZetaZetaZetaZeta", "Ingest pipeline", "RO User");
  save (store, alpha, "AlphaAlphaAlphaAlphaAlph", "Ingest reports", "Database Administrator");
  save (store, alpha, "BetaBetaBetaBetaBetaBeta", "Grafana", "RO User");

  /* Saved through the store: the index reads the keyring again when next asked. */
  ensure (index);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (index)), ==, 3);
  found = search (index, "ingest");
  /* Sorted by organization, then description. */
  g_assert_cmpstr (found, ==, "org-a/AlphaAlphaAlphaAlphaAlph org-z/ZetaZetaZetaZetaZetaZeta");
  g_clear_pointer (&found, g_free);
  found = search (index, "ro");
  g_assert_cmpstr (found, ==, "org-a/BetaBetaBetaBetaBetaBeta org-z/ZetaZetaZetaZetaZetaZeta");
  g_clear_pointer (&found, g_free);
  found = search (index, "held");   /* the secret and the token are not searched */
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);

  {
    AstraHeldToken *token = astra_held_index_lookup (index, "org-z/ZetaZetaZetaZetaZetaZeta");

    g_assert_nonnull (token);
    g_assert_cmpstr (astra_held_token_get_description (token), ==, "Ingest pipeline");
    g_assert_cmpstr (astra_held_token_get_role_names (token), ==, "RO User");
    g_assert_cmpstr (astra_held_token_get_org_name (token), ==, "Zeta Labs");
  }

  /* Deleted through the store: gone. */
  astra_secret_store_delete_generated_async (store, "org-z", "ZetaZetaZetaZetaZetaZeta", NULL,
                                             astra_test_store_result_cb, &result);
  astra_test_wait (&result);
  g_assert_true (astra_secret_store_delete_generated_finish (store, result, &error));
  ensure (index);
  found = search (index, "ingest");
  g_assert_cmpstr (found, ==, "org-a/AlphaAlphaAlphaAlphaAlph");
  g_assert_null (astra_held_index_lookup (index, "org-z/ZetaZetaZetaZetaZetaZeta"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("astra-held-index-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keyring", NULL);

  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "astra-test", TRUE);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/held-index/file-backend/follows-store", test_follows_store);

  return g_test_run ();
}

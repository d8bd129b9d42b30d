/* test-keyring-found.c: "found-token" items in the real keyring (astra-secret-store-found.c)
 *
 * A token found in a file, of an organization this app is not connected to, is kept under
 * its client id only; saving it again replaces it; it is not a generated token of any
 * organization, so no page is told ("generated-changed"), and its secret is in the item's
 * secret, never in an attribute or the label. Run in the test session (suite keyring).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "astra-secret-store.h"
#include "astra-test-async.h"

#define CLIENT_ID "FoUnDaBcDeFgHiJkLmNoPqRs"
#define TOKEN     "AstraCS:" CLIENT_ID ":00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define TOKEN_2   "AstraCS:" CLIENT_ID ":ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

static const SecretSchema test_schema = {
  BASE_APP_ID, SECRET_SCHEMA_NONE,
  {
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void
save_found (AstraSecretStore *store,
            const char       *token,
            const char       *client_secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_secret_store_save_found_async (store, CLIENT_ID, token, client_secret, NULL,
                                       astra_test_store_result_cb, &result);
  g_assert_true (astra_secret_store_save_found_finish (store, astra_test_wait (&result), &error));
  g_assert_no_error (error);
}

static char **
list_found (AstraSecretStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char **found;

  astra_secret_store_list_found_async (store, NULL, astra_test_store_result_cb, &result);
  found = astra_secret_store_list_found_finish (store, astra_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static void
on_generated_changed_cb (AstraSecretStore *store,
                         const char       *org_id,
                         const char       *client_id,
                         gboolean          held,
                         guint            *count)
{
  (*count)++;
}

static void
test_save_and_list (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_auto(GStrv) before = list_found (store);
  g_auto(GStrv) after = NULL;
  g_auto(GStrv) again = NULL;
  g_autoptr(GList) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  g_autoptr(SecretValue) value = NULL;
  guint changed = 0;

  g_assert_false (g_strv_contains ((const char * const *) before, CLIENT_ID));
  g_signal_connect (store, "generated-changed", G_CALLBACK (on_generated_changed_cb), &changed);

  save_found (store, TOKEN, NULL);
  after = list_found (store);
  g_assert_true (g_strv_contains ((const char * const *) after, CLIENT_ID));
  g_assert_cmpuint (changed, ==, 0);

  /* Saved again (a portal CSV row, with its client secret): replaced, not doubled. */
  save_found (store, TOKEN_2, "a,client+secret");
  again = list_found (store);
  g_assert_cmpuint (g_strv_length (again), ==, g_strv_length (after));

  items = secret_password_search_sync (&test_schema, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK |
                                       SECRET_SEARCH_LOAD_SECRETS, NULL, &error,
                                       "kind", "found-token", "client-id", CLIENT_ID, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_retrievable_get_attributes (items->data);
  label = secret_retrievable_get_label (items->data);
  value = secret_retrievable_retrieve_secret_sync (items->data, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (value);
  /* The newer token and the client secret are the secret; nothing secret is outside it. */
  g_assert_nonnull (strstr (secret_value_get_text (value), TOKEN_2));
  g_assert_nonnull (strstr (secret_value_get_text (value), "a,client+secret"));
  g_assert_null (strstr (label, "AstraCS:"));
  g_assert_null (g_hash_table_lookup (attributes, "org-id"));
  {
    GHashTableIter iter;
    gpointer v;

    g_hash_table_iter_init (&iter, attributes);
    while (g_hash_table_iter_next (&iter, NULL, &v))
      g_assert_null (strstr (v, "AstraCS:"));
  }
  g_list_free_full (g_steal_pointer (&items), g_object_unref);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/keyring/found/save-and-list", test_save_and_list);

  return g_test_run ();
}

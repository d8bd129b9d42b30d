/* test-reference-resolve.c: astra:// references resolved against the real gnome-keyring of
 * the private test session (build-aux/with-test-session)
 *
 * Other tests may use the same keyring at the same time, so every test works with fresh
 * random org ids, names and client ids.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-reference-resolve.h"
#include "astra-reference.h"
#include "astra-secret-store.h"
#include "astra-test-async.h"
#include "astra-token-format.h"

#define SECRET "s3cr-et,with+odd/chars"

static char *
random_client_id (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  char id[25];

  for (guint i = 0; i < 24; i++)
    id[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  id[24] = '\0';

  return g_strdup (id);
}

static char *
resolve (AstraSecretStore *store,
         const char       *reference,
         GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_reference_resolve_async (store, reference, NULL, astra_test_store_result_cb, &result);
  return astra_reference_resolve_finish (store, astra_test_wait (&result), error);
}

static void
save_connection (AstraSecretStore *store,
                 AstraConnection  *connection,
                 const char       *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_secret_store_save_connection_async (store, connection, token, NULL, astra_test_store_result_cb, &result);
  g_assert_true (astra_secret_store_save_connection_finish (store, astra_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
forget_connection (AstraSecretStore *store,
                   AstraConnection  *connection)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_secret_store_forget_connection_async (store, astra_connection_get_org_id (connection),
                                              NULL, astra_test_store_result_cb, &result);
  g_assert_true (astra_secret_store_forget_connection_finish (store, astra_test_wait (&result), NULL));
}

static AstraGeneratedToken *
save_generated (AstraSecretStore *store,
                AstraConnection  *connection)
{
  g_autofree char *client_id = random_client_id ();
  g_autofree char *token_text = astra_token_format_compose (client_id, SECRET);
  g_autoptr(AstraGeneratedToken) token = astra_generated_token_new (client_id, SECRET, token_text);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_secret_store_save_generated_async (store, connection, token, NULL, astra_test_store_result_cb, &result);
  g_assert_true (astra_secret_store_save_generated_finish (store, astra_test_wait (&result), &error));
  g_assert_no_error (error);

  return g_steal_pointer (&token);
}

/* A connected organization with a unique name and a management token of its own. */
static AstraConnection *
new_connection (AstraSecretStore *store,
                const char       *name,
                char            **management_token)
{
  g_autofree char *org_id = g_uuid_string_random ();
  g_autofree char *client_id = random_client_id ();
  AstraConnection *connection;

  connection = astra_connection_new (org_id, name, ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  *management_token = astra_token_format_compose (client_id, "management secret");
  save_connection (store, connection, *management_token);

  return connection;
}

/* An error names the reference and never a secret. */
static void
assert_error (GError                     *error,
              AstraReferenceResolveError  code,
              const char                 *reference)
{
  g_assert_error (error, ASTRA_REFERENCE_RESOLVE_ERROR, (gint) code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, reference));
  g_assert_null (strstr (error->message, "AstraCS:"));
  g_assert_null (strstr (error->message, SECRET));
}

/* ------------------------------------------------------------------------------------------ */

static void
test_generated_fields (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autofree char *name = g_strdup_printf ("Resolve Org %u", g_random_int ());
  g_autofree char *management = NULL;
  g_autoptr(AstraConnection) connection = new_connection (store, name, &management);
  g_autoptr(AstraGeneratedToken) token = save_generated (store, connection);
  const char *org_id = astra_connection_get_org_id (connection);
  const char *client_id = astra_generated_token_get_client_id (token);
  const struct
  {
    AstraReferenceField  field;
    const char          *expected;
  } cases[] = {
    { ASTRA_REFERENCE_FIELD_TOKEN, astra_generated_token_get_token (token) },
    { ASTRA_REFERENCE_FIELD_CLIENT_SECRET, SECRET },
    { ASTRA_REFERENCE_FIELD_CLIENT_ID, client_id },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* By organization id, and by the name the sidebar shows (percent-encoded spaces). */
      const char *orgs[] = { org_id, name };

      for (guint j = 0; j < G_N_ELEMENTS (orgs); j++)
        {
          g_autofree char *reference = astra_reference_format (orgs[j], client_id, cases[i].field);
          g_autoptr(GError) error = NULL;
          g_autoptr(AstraSecretString) value = resolve (store, reference, &error);

          g_test_message ("%s", reference);
          g_assert_no_error (error);
          g_assert_cmpstr (value, ==, cases[i].expected);
        }
    }

  forget_connection (store, connection);
}

static void
test_local_label (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autofree char *name = g_strdup_printf ("Org Before Rename %u", g_random_int ());
  g_autofree char *label = g_strdup_printf ("R&D / EU %u", g_random_int ());
  g_autofree char *management = NULL;
  g_autoptr(AstraConnection) connection = new_connection (store, name, &management);
  g_autoptr(AstraGeneratedToken) token = save_generated (store, connection);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *by_label = NULL;
  g_autofree char *by_old_name = NULL;
  g_autoptr(AstraSecretString) value = NULL;

  astra_secret_store_rename_connection_async (store, connection, label, NULL, astra_test_store_result_cb, &result);
  g_assert_true (astra_secret_store_rename_connection_finish (store, astra_test_wait (&result), &error));
  g_assert_no_error (error);

  /* The sidebar shows the local label now: that is the name a reference uses. */
  by_label = astra_reference_format (label, astra_generated_token_get_client_id (token),
                                     ASTRA_REFERENCE_FIELD_CLIENT_SECRET);
  value = resolve (store, by_label, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, SECRET);

  by_old_name = astra_reference_format (name, astra_generated_token_get_client_id (token),
                                        ASTRA_REFERENCE_FIELD_TOKEN);
  g_clear_pointer (&value, astra_secret_free);
  value = resolve (store, by_old_name, &error);
  g_assert_null (value);
  assert_error (error, ASTRA_REFERENCE_RESOLVE_ERROR_NO_ORGANIZATION, by_old_name);

  forget_connection (store, connection);
}

static void
test_management_token (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autofree char *name = g_strdup_printf ("Management Org %u", g_random_int ());
  g_autofree char *management = NULL;
  g_autoptr(AstraConnection) connection = new_connection (store, name, &management);
  g_autofree char *client_id = astra_token_format_dup_client_id (management);
  const char *org_id = astra_connection_get_org_id (connection);
  g_autofree char *token_ref = astra_reference_format (org_id, client_id, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *id_ref = astra_reference_format (org_id, client_id, ASTRA_REFERENCE_FIELD_CLIENT_ID);
  g_autofree char *secret_ref = astra_reference_format (org_id, client_id,
                                                        ASTRA_REFERENCE_FIELD_CLIENT_SECRET);
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) value = NULL;

  value = resolve (store, token_ref, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, management);

  g_clear_pointer (&value, astra_secret_free);
  value = resolve (store, id_ref, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, client_id);

  /* The keyring keeps only the token of a management token: say so. */
  g_clear_pointer (&value, astra_secret_free);
  value = resolve (store, secret_ref, &error);
  g_assert_null (value);
  assert_error (error, ASTRA_REFERENCE_RESOLVE_ERROR_FIELD_UNAVAILABLE, secret_ref);
  g_assert_nonnull (strstr (error->message, "management token"));

  forget_connection (store, connection);
}

static void
test_unresolved (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autofree char *name = g_strdup_printf ("Unresolved Org %u", g_random_int ());
  g_autofree char *management = NULL;
  g_autoptr(AstraConnection) connection = new_connection (store, name, &management);
  g_autoptr(AstraGeneratedToken) token = save_generated (store, connection);
  g_autofree char *unknown_client = random_client_id ();
  g_autofree char *unknown_org = g_uuid_string_random ();
  const char *org_id = astra_connection_get_org_id (connection);
  const char *client_id = astra_generated_token_get_client_id (token);
  g_autofree char *no_org = astra_reference_format (unknown_org, client_id, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *no_token = astra_reference_format (org_id, unknown_client, ASTRA_REFERENCE_FIELD_TOKEN);
  /* Another organization's token is not this one's. */
  g_autofree char *other_org_name = g_strdup_printf ("Other Org %u", g_random_int ());
  g_autofree char *other_management = NULL;
  g_autoptr(AstraConnection) other = new_connection (store, other_org_name, &other_management);
  g_autofree char *wrong_org = astra_reference_format (other_org_name, client_id,
                                                       ASTRA_REFERENCE_FIELD_TOKEN);
  const char *bad_syntax = "astra://only-two/parts";
  struct
  {
    const char                 *reference;
    AstraReferenceResolveError  code;
  } cases[] = {
    { no_org, ASTRA_REFERENCE_RESOLVE_ERROR_NO_ORGANIZATION },
    { no_token, ASTRA_REFERENCE_RESOLVE_ERROR_NO_TOKEN },
    { wrong_org, ASTRA_REFERENCE_RESOLVE_ERROR_NO_TOKEN },
    { bad_syntax, ASTRA_REFERENCE_RESOLVE_ERROR_SYNTAX },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraSecretString) value = resolve (store, cases[i].reference, &error);

      g_assert_null (value);
      assert_error (error, cases[i].code, cases[i].reference);
      g_assert_false (astra_reference_resolve_error_is_keyring (error));
    }

  forget_connection (store, connection);
  forget_connection (store, other);
}

/* An organization forgotten (or connected from the environment only) keeps its generated
 * tokens in the keyring: a reference by org id still resolves; by name it cannot. */
static void
test_forgotten_organization (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autofree char *name = g_strdup_printf ("Forgotten Org %u", g_random_int ());
  g_autofree char *management = NULL;
  g_autoptr(AstraConnection) connection = new_connection (store, name, &management);
  g_autoptr(AstraGeneratedToken) token = save_generated (store, connection);
  const char *client_id = astra_generated_token_get_client_id (token);
  g_autofree char *by_id = astra_reference_format (astra_connection_get_org_id (connection),
                                                   client_id, ASTRA_REFERENCE_FIELD_CLIENT_SECRET);
  g_autofree char *by_name = astra_reference_format (name, client_id, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) value = NULL;

  forget_connection (store, connection);

  value = resolve (store, by_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, SECRET);

  g_clear_pointer (&value, astra_secret_free);
  value = resolve (store, by_name, &error);
  g_assert_null (value);
  assert_error (error, ASTRA_REFERENCE_RESOLVE_ERROR_NO_ORGANIZATION, by_name);
}

static void
test_ambiguous_name (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autofree char *name = g_strdup_printf ("Twin Org %u", g_random_int ());
  g_autofree char *management_a = NULL;
  g_autofree char *management_b = NULL;
  g_autoptr(AstraConnection) a = new_connection (store, name, &management_a);
  g_autoptr(AstraConnection) b = new_connection (store, name, &management_b);
  g_autoptr(AstraGeneratedToken) token = save_generated (store, a);
  const char *client_id = astra_generated_token_get_client_id (token);
  g_autofree char *by_name = astra_reference_format (name, client_id, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autofree char *by_id = astra_reference_format (astra_connection_get_org_id (a), client_id,
                                                   ASTRA_REFERENCE_FIELD_TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) value = NULL;

  value = resolve (store, by_name, &error);
  g_assert_null (value);
  assert_error (error, ASTRA_REFERENCE_RESOLVE_ERROR_AMBIGUOUS_ORGANIZATION, by_name);

  /* The id always tells them apart. */
  g_clear_error (&error);
  value = resolve (store, by_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, astra_generated_token_get_token (token));

  forget_connection (store, a);
  forget_connection (store, b);
}

static void
test_cancelled (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = random_client_id ();
  g_autofree char *reference = astra_reference_format ("any", client_id, ASTRA_REFERENCE_FIELD_TOKEN);
  g_autoptr(AstraSecretString) value = NULL;

  g_cancellable_cancel (cancellable);
  astra_reference_resolve_async (store, reference, cancellable, astra_test_store_result_cb, &result);
  value = astra_reference_resolve_finish (store, astra_test_wait (&result), &error);
  g_assert_null (value);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/reference-resolve/generated-fields", test_generated_fields);
  g_test_add_func ("/reference-resolve/local-label", test_local_label);
  g_test_add_func ("/reference-resolve/management-token", test_management_token);
  g_test_add_func ("/reference-resolve/unresolved", test_unresolved);
  g_test_add_func ("/reference-resolve/forgotten-organization", test_forgotten_organization);
  g_test_add_func ("/reference-resolve/ambiguous-name", test_ambiguous_name);
  g_test_add_func ("/reference-resolve/cancelled", test_cancelled);

  return g_test_run ();
}

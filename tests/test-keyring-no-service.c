/* test-keyring-no-service.c: AstraSecretStore when there is no keyring at all
 *
 * Run two ways (tests/meson.build):
 *   - under tests/without-secret-service.sh: a session bus on which nobody provides
 *     org.freedesktop.secrets;
 *   - with --no-bus: no session bus at all (DBUS_SESSION_BUS_ADDRESS and DISPLAY unset, so
 *     GDBus cannot autolaunch one).
 * Every call must fail with ASTRA_SECRET_STORE_ERROR_NO_SERVICE and a clear message,
 * promptly, and never report success or "not found".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-secret-store.h"
#include "astra-test-async.h"

#define TOKEN "AstraCS:AbCdEfGhIjKlMnOpQrStUvWx:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
assert_no_service (GError *error)
{
  g_assert_error (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NO_SERVICE);
  g_test_message ("message: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "No keyring is available"));
  /* The message must never carry a secret. */
  g_assert_null (strstr (error->message, "AstraCS:"));
}

static void
test_connections (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = astra_connection_new ("org-no-service", "No Service Org",
                                     ASTRA_ENVIRONMENT_PRODUCTION, NULL);

  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_save_connection_async (store, connection, TOKEN, NULL, astra_test_store_result_cb, &result);
    g_assert_false (astra_secret_store_save_connection_finish (store, astra_test_wait (&result), &error));
    assert_no_service (error);
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_rename_connection_async (store, connection, "x", NULL, astra_test_store_result_cb, &result);
    g_assert_false (astra_secret_store_rename_connection_finish (store, astra_test_wait (&result), &error));
    assert_no_service (error);
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GListModel) model = NULL;
    astra_secret_store_list_connections_async (store, NULL, astra_test_store_result_cb, &result);
    model = astra_secret_store_list_connections_finish (store, astra_test_wait (&result), &error);
    g_assert_null (model);
    assert_no_service (error);
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *token = NULL;
    astra_secret_store_lookup_token_async (store, "org-no-service", NULL, astra_test_store_result_cb, &result);
    token = astra_secret_store_lookup_token_finish (store, astra_test_wait (&result), &error);
    g_assert_null (token);
    assert_no_service (error);
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_forget_connection_async (store, "org-no-service", NULL, astra_test_store_result_cb, &result);
    g_assert_false (astra_secret_store_forget_connection_finish (store, astra_test_wait (&result), &error));
    assert_no_service (error);
    g_clear_error (&error);
  }
}

static void
test_generated (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GError) error = NULL;

  connection = astra_connection_new ("org-no-service", "No Service Org",
                                     ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  token = astra_generated_token_new ("NoServiceClientIdAaaaaaa", "se,cret", NULL);

  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_save_generated_async (store, connection, token, NULL, astra_test_store_result_cb, &result);
    g_assert_false (astra_secret_store_save_generated_finish (store, astra_test_wait (&result), &error));
    assert_no_service (error);
    g_assert_null (strstr (error->message, "se,cret"));
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_auto(GStrv) ids = NULL;
    astra_secret_store_list_generated_async (store, "org-no-service", NULL, astra_test_store_result_cb, &result);
    ids = astra_secret_store_list_generated_finish (store, astra_test_wait (&result), &error);
    g_assert_null (ids);
    assert_no_service (error);
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(AstraGeneratedToken) back = NULL;
    astra_secret_store_lookup_generated_async (store, "org-no-service", "NoServiceClientIdAaaaaaa",
                                               NULL, astra_test_store_result_cb, &result);
    back = astra_secret_store_lookup_generated_finish (store, astra_test_wait (&result), &error);
    g_assert_null (back);
    assert_no_service (error);
    g_clear_error (&error);
  }

  {
    g_autoptr(GAsyncResult) result = NULL;
    astra_secret_store_delete_generated_async (store, "org-no-service", "NoServiceClientIdAaaaaaa",
                                               NULL, astra_test_store_result_cb, &result);
    g_assert_false (astra_secret_store_delete_generated_finish (store, astra_test_wait (&result), &error));
    assert_no_service (error);
    g_clear_error (&error);
  }
}

int
main (int   argc,
      char *argv[])
{
  gboolean no_bus = FALSE;

  /* Our own option, removed before GTest sees the arguments. */
  for (int i = 1; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--no-bus") == 0)
        {
          no_bus = TRUE;
          memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
          argc--;
          i--;
        }
    }

  if (no_bus)
    {
      /* Without DISPLAY GDBus refuses to autolaunch a bus, so this is safe; without
       * XDG_RUNTIME_DIR it cannot find a "$XDG_RUNTIME_DIR/bus" socket either. */
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      g_unsetenv ("WAYLAND_DISPLAY");
      g_unsetenv ("XDG_RUNTIME_DIR");
      g_unsetenv ("SECRET_BACKEND");
    }
  else if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("Run under tests/without-secret-service.sh, or pass --no-bus\n");
      return 1;
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/keyring/no-service/connections", test_connections);
  g_test_add_func ("/keyring/no-service/generated", test_generated);

  return g_test_run ();
}

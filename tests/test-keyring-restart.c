/* test-keyring-restart.c: AstraSecretStore after the keyring daemon was restarted
 *
 * Issue 13, item 5: once the keyring daemon was killed and started again, libsecret's
 * connection (and its encryption session) still pointed at the old daemon, and every
 * Retry failed with the same stale-session error. A store call may fail once after the
 * restart; the next one (Retry) must connect afresh and work, and what was saved before
 * must still be there.
 *
 * When D-Bus itself starts the daemon again (on the next call), the keyring file is
 * there but loaded locked: a lookup must then ask for the unlock through the usual prompt
 * (which fails at once here, there is no display) and end with LOCKED, never claim the
 * item is missing. (gnome-keyring cannot match the schema name of items in a keyring it
 * loaded locked, so libsecret's lookup alone finds nothing and never prompts.)
 *
 * Runs in a keyring session of its own (build-aux/with-test-session), because it kills
 * and replaces that session's gnome-keyring-daemon. Not G_TEST_OPTION_ISOLATE_DIRS: the new
 * daemon must find the session's keyring file ($XDG_DATA_HOME/keyrings, password
 * "astra-test-keyring", as with-test-session made it) and its control socket
 * ($XDG_RUNTIME_DIR/keyring).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-secret-store.h"
#include "astra-test-async.h"

#define TOKEN "AstraCS:AbCdEfGhIjKlMnOpQrStUvWx:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ORG_ID "7d2e9a41-restart-org"
#define CLIENT_ID "RestartClientIdAaaaaaaaa"
#define CLIENT_ID_AFTER "RestartClientIdBbbbbbbbb"
#define SECRETS_NAME "org.freedesktop.secrets"
#define KEYRING_PASSWORD "astra-test-keyring"
#define TIMEOUT_US (20 * G_USEC_PER_SEC)

/* The pid of the process owning org.freedesktop.secrets, or 0 when nobody owns it. */
static guint32
secrets_owner_pid (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 pid = 0;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", SECRETS_NAME), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (reply == NULL)
    {
      /* NameHasOwner: nobody owns the name right now. */
      g_assert_true (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER));
      return 0;
    }

  g_variant_get (reply, "(u)", &pid);

  return pid;
}

/* Gone, or a zombie its parent has not reaped yet (the daemon's parent may be any process
 * of the session). */
static gboolean
process_exists (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *state;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return FALSE;
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  /* "pid (comm) S ...": the state follows the last parenthesis. */
  state = strrchr (stat, ')');

  return state == NULL || state[1] == '\0' || state[2] != 'Z';
}

/* Kills the session's keyring daemon and waits until it is gone and its name is free. */
static void
kill_keyring_daemon (GDBusConnection *bus)
{
  guint32 pid = secrets_owner_pid (bus);
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;

  g_assert_cmpuint (pid, >, 1);
  g_test_message ("killing gnome-keyring-daemon %u", pid);
  g_assert_cmpint (kill ((pid_t) pid, SIGTERM), ==, 0);

  while (process_exists ((pid_t) pid) || secrets_owner_pid (bus) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

/* Starts a new, unlocked daemon as build-aux/with-test-session does, on the same keyring
 * file, and waits until it owns org.freedesktop.secrets. */
static void
start_keyring_daemon (GDBusConnection *bus)
{
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GBytes) password = g_bytes_new_static (KEYRING_PASSWORD, strlen (KEYRING_PASSWORD));
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;
  guint32 pid;

  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                             &error, "gnome-keyring-daemon", "--replace", "--daemonize",
                             "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  /* With --daemonize the started process returns once the daemon is up. */
  g_assert_true (g_subprocess_communicate (daemon, password, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (daemon, NULL, &error));
  g_assert_no_error (error);

  while ((pid = secrets_owner_pid (bus)) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
  g_test_message ("new gnome-keyring-daemon %u", pid);
}

static char *
lookup_token (AstraSecretStore  *store,
              GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_secret_store_lookup_token_async (store, ORG_ID, NULL, astra_test_store_result_cb, &result);

  return astra_secret_store_lookup_token_finish (store, astra_test_wait (&result), error);
}

static gboolean
save_generated (AstraSecretStore     *store,
                AstraConnection      *connection,
                AstraGeneratedToken  *generated,
                GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_secret_store_save_generated_async (store, connection, generated, NULL, astra_test_store_result_cb,
                                           &result);

  return astra_secret_store_save_generated_finish (store, astra_test_wait (&result), error);
}

static GListModel *
list_connections (AstraSecretStore  *store,
                  GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_secret_store_list_connections_async (store, NULL, astra_test_store_result_cb, &result);
  return astra_secret_store_list_connections_finish (store, astra_test_wait (&result), error);
}

static char **
list_generated (AstraSecretStore  *store,
                GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_secret_store_list_generated_async (store, ORG_ID, NULL, astra_test_store_result_cb, &result);
  return astra_secret_store_list_generated_finish (store, astra_test_wait (&result), error);
}

static AstraGeneratedToken *
lookup_generated (AstraSecretStore  *store,
                  const char        *client_id,
                  GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  astra_secret_store_lookup_generated_async (store, ORG_ID, client_id, NULL, astra_test_store_result_cb,
                                             &result);

  return astra_secret_store_lookup_generated_finish (store, astra_test_wait (&result), error);
}

static void
save_before_restart (AstraSecretStore    *store,
                     AstraConnection     *connection,
                     AstraGeneratedToken *generated)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  astra_secret_store_save_connection_async (store, connection, TOKEN, NULL, astra_test_store_result_cb, &result);
  g_assert_true (astra_secret_store_save_connection_finish (store, astra_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_true (save_generated (store, connection, generated, &error));
  g_assert_no_error (error);
  token = lookup_token (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TOKEN);
}

static void
test_restart (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(AstraGeneratedToken) generated = NULL;
  g_autoptr(AstraGeneratedToken) after = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  guint failures = 0;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  connection = astra_connection_new (ORG_ID, "Restart Org", ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  generated = astra_generated_token_new (CLIENT_ID, "se,cret", NULL);

  /* Saved and read through the first daemon: libsecret now holds a session with it. */
  save_before_restart (store, connection, generated);

  kill_keyring_daemon (bus);
  start_keyring_daemon (bus);

  /* The user presses Retry a few times: one failure (the stale session) is allowed, then
   * every call works again. */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      token = lookup_token (store, &error);
      if (token != NULL)
        break;

      g_assert_nonnull (error);
      g_test_message ("attempt %u after the restart failed: %s", attempt + 1, error->message);
      g_assert_true (error->domain == ASTRA_SECRET_STORE_ERROR);
      /* Ours, not NOT_FOUND: the item is there. */
      g_assert_false (g_error_matches (error, ASTRA_SECRET_STORE_ERROR,
                                       ASTRA_SECRET_STORE_ERROR_NOT_FOUND));
      g_clear_error (&error);
      failures++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (failures, <=, 1);
  /* The item saved before the restart is still readable. */
  g_assert_cmpstr (token, ==, TOKEN);

  {
    g_autoptr(AstraGeneratedToken) back = lookup_generated (store, CLIENT_ID, &error);
    g_assert_no_error (error);
    g_assert_nonnull (back);
    g_assert_cmpstr (astra_generated_token_get_client_id (back), ==, CLIENT_ID);
  }

  /* Writing works too, and what is written can be read back. */
  after = astra_generated_token_new (CLIENT_ID_AFTER, "after,secret", NULL);
  g_assert_true (save_generated (store, connection, after, &error));
  g_assert_no_error (error);
  {
    g_autoptr(AstraGeneratedToken) back = lookup_generated (store, CLIENT_ID_AFTER, &error);
    g_assert_no_error (error);
    g_assert_nonnull (back);
  }
}

static void
test_restart_locked (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(AstraGeneratedToken) generated = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  guint stale = 0;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  connection = astra_connection_new (ORG_ID, "Restart Org", ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  generated = astra_generated_token_new (CLIENT_ID, "se,cret", NULL);
  save_before_restart (store, connection, generated);

  /* Nobody starts a daemon: the next call makes D-Bus start one, which finds the keyring
   * file locked. */
  kill_keyring_daemon (bus);

  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_autofree char *token = lookup_token (store, &error);

      g_assert_null (token);
      g_assert_nonnull (error);
      g_test_message ("attempt %u after the restart: %s", attempt + 1, error->message);
      g_assert_false (g_error_matches (error, ASTRA_SECRET_STORE_ERROR,
                                       ASTRA_SECRET_STORE_ERROR_NOT_FOUND));
      if (!g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) &&
          !g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED))
        {
          /* Only the first call may still meet the old session. */
          g_assert_cmpuint (attempt, ==, 0);
          stale++;
        }
      g_clear_error (&error);
    }
  g_assert_cmpuint (stale, <=, 1);

  /* Listing too: the connections and the generated tokens are hidden in a keyring loaded
   * locked, and an empty answer would make the app look unconnected. */
  {
    g_autoptr(GListModel) connections = list_connections (store, &error);

    g_assert_null (connections);
    g_assert_nonnull (error);
    g_test_message ("listing connections after the restart: %s", error->message);
    g_assert_true (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
                   g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED));
    g_clear_error (&error);
  }
  {
    g_auto(GStrv) client_ids = list_generated (store, &error);

    g_assert_null (client_ids);
    g_assert_true (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
                   g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED));
    g_clear_error (&error);
  }

  /* Writing asks for the unlock the same way. The lookups above never needed the old
   * encryption session, so the first write may be the one call that still meets it. */
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_assert_false (save_generated (store, connection, generated, &error));
      g_assert_nonnull (error);
      g_test_message ("saving, attempt %u after the restart: %s", attempt + 1, error->message);
      if (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
          g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED))
        break;
      stale++;
      g_clear_error (&error);
    }
  g_assert_true (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
                 g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED));
  g_assert_cmpuint (stale, <=, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/restart", test_restart);
  /* After /keyring/restart: it replaces the daemon that one started. */
  g_test_add_func ("/keyring/restart-locked", test_restart_locked);

  return g_test_run ();
}

/* test-autostart.c: turning the background check at login on and off, in and out of Flatpak
 *
 * Outside Flatpak the XDG autostart entry is written and removed. Inside (ASTRA_FLATPAK_INFO
 * names an existing file) the request goes over a private D-Bus session (GTestDBus) to a
 * fake org.freedesktop.portal.Desktop (astra-test-portal.h), which records each call and
 * answers with the code a case chooses, or never. The first case runs before the fake owns
 * its name: no portal at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-autostart.h"
#include "astra-test-portal.h"

#define TEST_APP_ID "io.github.astratokens.AstraTokens.Test"
#define REASON "Check for expiring tokens at login."
#define PARENT_WINDOW "x11:1234"

static GPtrArray *portal_calls;
static char *flatpak_info;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
on_requested_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;

  if (astra_autostart_request_finish (result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "none");
}

/* Requests @enabled and waits. Returns: (transfer full) (nullable): the error, or NULL. */
static GError *
request (gboolean      enabled,
         guint         timeout_s,
         GCancellable *cancellable)
{
  GError *error = NULL;

  astra_autostart_request_async (TEST_APP_ID, PARENT_WINDOW, "astra-tokens", "Astra Tokens", REASON,
                                 enabled, timeout_s, cancellable, on_requested_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_clear_error (&error);
  return error;
}

static void
use_flatpak (gboolean inside)
{
  g_setenv ("ASTRA_FLATPAK_INFO", inside ? flatpak_info : "/nonexistent/.flatpak-info", TRUE);
  g_assert_true (astra_autostart_in_flatpak () == inside);
}

static void
ensure_portal (int response)
{
  if (portal_calls == NULL)
    portal_calls = astra_test_portal_start ();
  astra_test_portal_set_response (response);
}

static GVariant *
last_options (void)
{
  GVariant *call;

  g_assert_cmpuint (portal_calls->len, >, 0);
  call = g_ptr_array_index (portal_calls, portal_calls->len - 1);
  g_assert_cmpstr (g_variant_get_type_string (call), ==, "(sa{sv})");
  return g_variant_get_child_value (call, 1);
}

static void
assert_no_entry (void)
{
  g_autofree char *path = astra_autostart_get_path (TEST_APP_ID);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                      */

/* Not Flatpak: the entry as before, and no portal call. */
static void
test_desktop_file (void)
{
  g_autofree char *path = astra_autostart_get_path (TEST_APP_ID);
  g_autofree char *contents = NULL;
  GError *error;

  use_flatpak (FALSE);
  error = request (TRUE, 5, NULL);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Exec=astra-tokens --gapplication-service --check-expiry\n"));
  g_assert_nonnull (strstr (contents, "X-GNOME-Autostart-enabled=true\n"));

  error = request (FALSE, 5, NULL);
  g_assert_no_error (error);
  assert_no_entry ();
  g_assert_null (portal_calls);
}

/* Flatpak, and nobody owns the portal's name. */
static void
test_no_portal (void)
{
  g_autoptr(GError) error = NULL;

  use_flatpak (TRUE);
  error = request (TRUE, 5, NULL);
  g_assert_error (error, ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_NO_PORTAL);
  assert_no_entry ();
}

static void
test_enable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) options = NULL;
  g_autoptr(GVariant) parent = NULL;
  g_autofree const char **commandline = NULL;
  g_autofree char *token_path = NULL;
  const char *reason = NULL, *token = NULL;
  gboolean autostart = FALSE, activatable = TRUE;

  use_flatpak (TRUE);
  ensure_portal (0);
  error = request (TRUE, 5, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (portal_calls->len, ==, 1);

  parent = g_variant_get_child_value (g_ptr_array_index (portal_calls, 0), 0);
  /* The portal attaches its question to the app's window. */
  g_assert_cmpstr (g_variant_get_string (parent, NULL), ==, PARENT_WINDOW);
  options = last_options ();
  g_assert_true (g_variant_lookup (options, "autostart", "b", &autostart));
  g_assert_true (autostart);
  g_assert_true (g_variant_lookup (options, "commandline", "^a&s", &commandline));
  g_assert_cmpstrv (commandline,
                    ((const char *[]) { "astra-tokens", "--gapplication-service", "--check-expiry", NULL }));
  g_assert_true (g_variant_lookup (options, "dbus-activatable", "b", &activatable));
  g_assert_false (activatable);
  g_assert_true (g_variant_lookup (options, "reason", "&s", &reason));
  g_assert_cmpstr (reason, ==, REASON);
  g_assert_true (g_variant_lookup (options, "handle_token", "&s", &token));
  token_path = g_strconcat ("/", token, NULL);
  g_assert_true (g_variant_is_object_path (token_path));
  /* The portal writes the entry on the host; the sandbox's own folder stays empty. */
  assert_no_entry ();
}

static void
test_disable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) options = NULL;
  gboolean autostart = TRUE;

  use_flatpak (TRUE);
  ensure_portal (0);
  error = request (FALSE, 5, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (portal_calls->len, ==, 2);
  options = last_options ();
  g_assert_true (g_variant_lookup (options, "autostart", "b", &autostart));
  g_assert_false (autostart);
  assert_no_entry ();
}

static void
test_denied (void)
{
  g_autoptr(GError) error = NULL;

  use_flatpak (TRUE);
  ensure_portal (1);
  error = request (TRUE, 5, NULL);
  g_assert_error (error, ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "Settings"));
  assert_no_entry ();
}

static void
test_failed (void)
{
  g_autoptr(GError) error = NULL;

  use_flatpak (TRUE);
  ensure_portal (2);
  error = request (TRUE, 5, NULL);
  g_assert_error (error, ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_FAILED);
}

/* The portal never answers: the wait ends after the timeout and the request is closed. */
static void
test_no_answer (void)
{
  g_autoptr(GError) error = NULL;
  guint closed;
  gint64 start = g_get_monotonic_time ();

  use_flatpak (TRUE);
  ensure_portal (ASTRA_TEST_PORTAL_NO_ANSWER);
  closed = astra_test_portal_get_n_closed ();
  error = request (TRUE, 1, NULL);
  g_assert_error (error, ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  while (astra_test_portal_get_n_closed () == closed)
    g_main_context_iteration (NULL, TRUE);
}

/* Cancelled while the portal is silent: G_IO_ERROR_CANCELLED, and the request is closed. */
static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint closed;
  guint n_calls;

  use_flatpak (TRUE);
  ensure_portal (ASTRA_TEST_PORTAL_NO_ANSWER);
  closed = astra_test_portal_get_n_closed ();
  n_calls = portal_calls->len;
  astra_autostart_request_async (TEST_APP_ID, PARENT_WINDOW, "astra-tokens", "Astra Tokens", REASON,
                                 TRUE, 30, cancellable, on_requested_cb, &error);
  while (portal_calls->len == n_calls)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  while (astra_test_portal_get_n_closed () == closed)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  /* Any file that exists stands for /.flatpak-info. */
  flatpak_info = g_test_build_filename (G_TEST_DIST, "test-autostart.c", NULL);

  g_test_add_func ("/autostart/desktop-file", test_desktop_file);
  g_test_add_func ("/autostart/portal/missing", test_no_portal);
  g_test_add_func ("/autostart/portal/enable", test_enable);
  g_test_add_func ("/autostart/portal/disable", test_disable);
  g_test_add_func ("/autostart/portal/denied", test_denied);
  g_test_add_func ("/autostart/portal/failed", test_failed);
  g_test_add_func ("/autostart/portal/no-answer", test_no_answer);
  g_test_add_func ("/autostart/portal/cancelled", test_cancelled);

  ret = g_test_run ();

  g_free (flatpak_info);
  astra_test_portal_stop ();
  g_test_dbus_down (bus);
  return ret;
}

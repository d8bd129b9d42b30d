/* test-expiry-service.c: `astra-tokens --gapplication-service`, as the autostart entry runs it
 *
 * The real application object started by the session: it reads the connected organization
 * from the keyring, lists its tokens from an in-process simulator, notifies through D-Bus
 * (a fake org.freedesktop.Notifications) and exits on its own, without a window. With
 * --latency (the server answers after 5 s, the check gives up after 1 s) or --fault
 * (503, dropped connections), it exits just the same and never notifies. Each mode runs in
 * a test session of its own (build-aux/with-test-session): the app owns its bus name.
 *
 * Usage: test-expiry-service [--latency | --fault]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "astra-application.h"
#include "astra-application-expiry.h"
#include "astra-test-notifications.h"
#include "astra-test-ui.h"

#define TIMEOUT_MS 20000

static const char *mode = "ok";
static GPtrArray *notifications;

static void
on_connected_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *connected = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraConnection) connection = astra_context_connect_finish (ASTRA_CONTEXT (object), result, &error);

  g_assert_no_error (error);
  *connected = TRUE;
}

static void
on_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *loaded = user_data;

  g_assert_true (astra_context_load_finish (ASTRA_CONTEXT (object), result, NULL));
  *loaded = TRUE;
}

/* What the Connect dialog does: the organization's token goes to the keyring. */
static void
connect_org (AstraSimServer *sim)
{
  g_autoptr(AstraContext) context = astra_context_new (NULL, NULL);
  gboolean loaded = FALSE, connected = FALSE;

  astra_context_load_async (context, NULL, on_loaded_cb, &loaded);
  ASTRA_TEST_UI_WAIT (loaded, TIMEOUT_MS);
  astra_context_connect_async (context, astra_sim_server_get_admin_token (sim),
                               ASTRA_ENVIRONMENT_CUSTOM, astra_sim_server_get_base_url (sim), NULL,
                               on_connected_cb, &connected);
  ASTRA_TEST_UI_WAIT (connected, TIMEOUT_MS);
}

static void
on_startup_cb (GApplication *app,
               gboolean     *service)
{
  *service = (g_application_get_flags (app) & G_APPLICATION_IS_SERVICE) != 0;
}

/* With --latency the check gives up after 1 s rather than the service's 60 s. */
static void
on_startup_after_cb (GApplication *app,
                     gpointer      user_data)
{
  astra_expiry_monitor_set_check_timeout (astra_application_get_expiry_monitor (ASTRA_APPLICATION (app)), 1);
}

static void
test_service (void)
{
  g_autoptr(AstraSimServer) sim = astra_test_ui_start_sim (0);
  g_autoptr(AstraApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  /* D-Bus activation (GNOME Shell's search, a notification's button) starts the same
   * service without --check-expiry: it must not check or notify. */
  gboolean activation = g_str_equal (mode, "activation");
  char *argv[] = { (char *) "astra-tokens", (char *) "--gapplication-service",
                   activation ? NULL : (char *) "--check-expiry", NULL };
  gboolean service = FALSE;
  gint64 started;
  double seconds;
  int status;

  connect_org (sim);
  if (g_str_equal (mode, "latency"))
    astra_sim_server_set_latency (sim, 5000);
  else if (g_str_equal (mode, "fault"))
    g_assert_true (astra_sim_server_add_fault (sim, "GET:/v2/clientIdSecrets=drop", &error));

  app = astra_application_new ();
  g_signal_connect (app, "startup", G_CALLBACK (on_startup_cb), &service);
  if (g_str_equal (mode, "latency"))
    g_signal_connect_after (app, "startup", G_CALLBACK (on_startup_after_cb), NULL);

  started = g_get_monotonic_time ();
  status = g_application_run (G_APPLICATION (app), g_strv_length (argv), argv);
  seconds = (g_get_monotonic_time () - started) / 1e6;
  g_test_message ("service mode %s: exited with %d after %.1f s, %u notifications",
                  mode, status, seconds, notifications->len);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (service);
  /* It exits on its own: the check's timeout plus the inactivity timeout, not a hang. */
  g_assert_cmpfloat (seconds, <, 60);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  if (g_str_equal (mode, "ok"))
    {
      const char *summary = NULL;
      g_autofree char *expected = g_strdup_printf ("Tokens in %s expire soon",
                                                   astra_sim_server_get_org_name (sim));

      /* The seeded organization has a token that expired 30 days ago. */
      g_assert_cmpuint (notifications->len, ==, 1);
      g_variant_get_child (g_ptr_array_index (notifications, 0), 3, "&s", &summary);
      g_assert_cmpstr (summary, ==, expected);
    }
  else
    g_assert_cmpuint (notifications->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("ASTRA_API_URL");
  g_unsetenv ("ASTRA_DB_APPLICATION_TOKEN");
  g_unsetenv ("ASTRA_TOKENS_BENCHMARK");
  astra_test_ui_init (&argc, &argv);
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--latency"))
      mode = "latency";
    else if (g_str_equal (argv[i], "--activation"))
      mode = "activation";
    else if (g_str_equal (argv[i], "--fault"))
      mode = "fault";
  notifications = astra_test_notifications_start ();

  g_test_add_func ("/expiry/service", test_service);

  return g_test_run ();
}

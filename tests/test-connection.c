/* test-connection.c: the AstraConnection model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-connection.h"

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_defaults (void)
{
  g_autoptr(AstraConnection) prod = NULL;
  g_autoptr(AstraConnection) custom = NULL;

  prod = astra_connection_new ("org-1", "Example Org", ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  g_assert_cmpstr (astra_connection_get_org_id (prod), ==, "org-1");
  g_assert_cmpstr (astra_connection_get_org_name (prod), ==, "Example Org");
  g_assert_cmpint (astra_connection_get_environment (prod), ==, ASTRA_ENVIRONMENT_PRODUCTION);
  /* A well-known environment fills in its base URL. */
  g_assert_cmpstr (astra_connection_get_api_url (prod), ==, "https://api.astra.datastax.com/v2");
  g_assert_null (astra_connection_get_label (prod));
  g_assert_cmpstr (astra_connection_get_display_name (prod), ==, "Example Org");
  g_assert_false (astra_connection_get_is_demo (prod));

  custom = astra_connection_new ("org-2", NULL, ASTRA_ENVIRONMENT_CUSTOM,
                                 "http://127.0.0.1:8080/v2");
  g_assert_cmpstr (astra_connection_get_api_url (custom), ==, "http://127.0.0.1:8080/v2");
  /* Without a name the id stands in, so a row is never blank. */
  g_assert_cmpstr (astra_connection_get_display_name (custom), ==, "org-2");
}

static void
test_label (void)
{
  g_autoptr(AstraConnection) conn = NULL;
  g_autofree char *display = NULL;
  guint notified = 0;

  conn = astra_connection_new ("org-1", "Example Org", ASTRA_ENVIRONMENT_DEVELOPMENT, NULL);
  g_assert_cmpstr (astra_connection_get_api_url (conn), ==, "https://api.dev.cloud.datastax.com/v2");
  g_signal_connect (conn, "notify::display-name", G_CALLBACK (on_notify_cb), &notified);

  astra_connection_set_label (conn, "  Staging  ");
  g_assert_cmpstr (astra_connection_get_label (conn), ==, "Staging");
  g_assert_cmpstr (astra_connection_get_display_name (conn), ==, "Staging");
  g_assert_cmpuint (notified, ==, 1);

  /* Same value: no notification. */
  astra_connection_set_label (conn, "Staging");
  g_assert_cmpuint (notified, ==, 1);

  g_object_get (conn, "display-name", &display, NULL);
  g_assert_cmpstr (display, ==, "Staging");

  astra_connection_set_label (conn, "   ");
  g_assert_null (astra_connection_get_label (conn));
  g_assert_cmpstr (astra_connection_get_display_name (conn), ==, "Example Org");
  g_assert_cmpuint (notified, ==, 2);

  astra_connection_set_is_demo (conn, TRUE);
  g_assert_true (astra_connection_get_is_demo (conn));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/connection/defaults", test_defaults);
  g_test_add_func ("/connection/label", test_label);

  return g_test_run ();
}

/* test-client-proxy.c: a server on this computer is reached without a proxy, any other
 * through the system's proxy resolver
 *
 * GIO's default proxy resolver is replaced by one that sends every request to a proxy on
 * 127.0.0.1:9, where nothing listens, and counts how often it is asked. Nothing leaves
 * this computer: a request that goes to the proxy fails at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "astra-client.h"
#include "astra-organization.h"
#include "astra-sim-server.h"
#include "astra-test-async.h"

#define TEST_TYPE_PROXY_RESOLVER (test_proxy_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestProxyResolver, test_proxy_resolver, TEST, PROXY_RESOLVER, GObject)

struct _TestProxyResolver
{
  GObject parent_instance;
};

static guint n_lookups;

static gboolean
test_proxy_resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
test_proxy_resolver_lookup (GProxyResolver  *resolver,
                            const char      *uri,
                            GCancellable    *cancellable,
                            GError         **error)
{
  char *proxies[] = { (char *) "http://127.0.0.1:9", NULL };

  g_atomic_int_inc (&n_lookups);
  return g_strdupv (proxies);
}

static void
test_proxy_resolver_lookup_async (GProxyResolver      *resolver,
                                  const char          *uri,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_return_pointer (task, test_proxy_resolver_lookup (resolver, uri, cancellable, NULL),
                         (GDestroyNotify) g_strfreev);
}

static char **
test_proxy_resolver_lookup_finish (GProxyResolver  *resolver,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = test_proxy_resolver_is_supported;
  iface->lookup = test_proxy_resolver_lookup;
  iface->lookup_async = test_proxy_resolver_lookup_async;
  iface->lookup_finish = test_proxy_resolver_lookup_finish;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestProxyResolver, test_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      test_proxy_resolver_iface_init))

static void
test_proxy_resolver_class_init (TestProxyResolverClass *klass)
{
}

static void
test_proxy_resolver_init (TestProxyResolver *self)
{
}

/* Asks @base_url for the current organization; returns the error, NULL on success. */
static GError *
ask_current_org (const char *base_url,
                 const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraClient) client = astra_client_new (base_url, token, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AstraOrganization) organization = NULL;

  g_assert_no_error (error);
  astra_client_set_retry_policy (client, 1, 0, 0);
  astra_client_get_current_org_async (client, NULL, astra_test_store_result_cb, &result);
  astra_test_wait (&result);
  organization = astra_client_get_current_org_finish (client, result, &error);

  return g_steal_pointer (&error);
}

static AstraSimServer *
start_sim (void)
{
  g_autoptr(GError) error = NULL;
  AstraSimServer *sim = astra_sim_server_new ();

  astra_sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);
  return sim;
}

/* The simulator's own URL (127.0.0.1) and the same server as "localhost". */
static void
test_loopback (void)
{
  g_autoptr(AstraSimServer) sim = start_sim ();
  const char *base_url = astra_sim_server_get_base_url (sim);
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *by_name = g_strdup_printf ("http://localhost:%d%s", g_uri_get_port (uri),
                                              g_uri_get_path (uri));
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (uri);
  n_lookups = 0;
  error = ask_current_org (base_url, astra_sim_server_get_admin_token (sim));
  g_assert_no_error (error);
  error = ask_current_org (by_name, astra_sim_server_get_admin_token (sim));
  g_assert_no_error (error);
  g_assert_cmpuint (g_atomic_int_get (&n_lookups), ==, 0);
}

/* Any other server goes through the resolver's proxy (which refuses the connection). */
static void
test_remote (void)
{
  g_autoptr(AstraSimServer) sim = start_sim ();
  g_autoptr(GError) error = NULL;

  n_lookups = 0;
  error = ask_current_org ("https://api.astra.invalid/v2", astra_sim_server_get_admin_token (sim));
  g_assert_nonnull (error);
  g_assert_cmpuint (g_atomic_int_get (&n_lookups), >, 0);
}

int
main (int    argc,
      char **argv)
{
  GIOExtensionPoint *point;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Ours, before GIO picks the default resolver for the first time. */
  point = g_io_extension_point_register (G_PROXY_RESOLVER_EXTENSION_POINT_NAME);
  g_io_extension_point_set_required_type (point, G_TYPE_PROXY_RESOLVER);
  g_io_extension_point_implement (G_PROXY_RESOLVER_EXTENSION_POINT_NAME,
                                  TEST_TYPE_PROXY_RESOLVER, "astra-test-proxy", 1000);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "astra-test-proxy", TRUE);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (g_proxy_resolver_get_default (),
                                             TEST_TYPE_PROXY_RESOLVER));

  g_test_add_func ("/client-proxy/loopback", test_loopback);
  g_test_add_func ("/client-proxy/remote", test_remote);

  return g_test_run ();
}

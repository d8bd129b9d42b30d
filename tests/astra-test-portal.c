/* astra-test-portal.c: a fake org.freedesktop.portal.Desktop on the test bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-test-portal.h"

#define PORTAL_PATH "/org/freedesktop/portal/desktop"

static GPtrArray *calls;
static int next_response;
static guint n_closed;
static GDBusNodeInfo *info;
/* Held for good: the name goes with the last reference to the shared connection. */
static GDBusConnection *bus;

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "      <arg type='o' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "  <interface name='org.freedesktop.portal.Request'>"
  "    <method name='Close'/>"
  "  </interface>"
  "</node>";

typedef struct
{
  GDBusConnection *bus;
  char            *sender;
  char            *path;
  guint            object_id;
  GVariant        *results;
  guint32          response;
} PendingRequest;

static void
pending_request_free (PendingRequest *request)
{
  g_object_unref (request->bus);
  g_free (request->sender);
  g_free (request->path);
  g_clear_pointer (&request->results, g_variant_unref);
  g_free (request);
}

/* Answers after the method's reply has gone out, as the real portal does once the person
 * has chosen. */
static gboolean
send_response_cb (gpointer user_data)
{
  PendingRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (request->bus, request->sender, request->path,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(u@a{sv})", request->response,
                                                request->results),
                                 &error);
  g_assert_no_error (error);
  g_dbus_connection_unregister_object (request->bus, request->object_id);
  return G_SOURCE_REMOVE;
}

static void
on_request_method_cb (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  PendingRequest *request = user_data;

  /* Close: the request ends without a Response. */
  n_closed++;
  g_dbus_method_invocation_return_value (invocation, NULL);
  g_dbus_connection_unregister_object (connection, request->object_id);
}

static void
on_portal_method_cb (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  static const GDBusInterfaceVTable request_vtable = { on_request_method_cb };
  g_autoptr(GVariant) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sender_part = g_strdup (sender + 1);
  const char *token = "fallback";
  PendingRequest *request;
  gboolean autostart = FALSE;

  g_ptr_array_add (calls, g_variant_ref (parameters));
  options = g_variant_get_child_value (parameters, 1);
  g_variant_lookup (options, "handle_token", "&s", &token);
  g_variant_lookup (options, "autostart", "b", &autostart);
  g_strdelimit (sender_part, ".", '_');

  request = g_new0 (PendingRequest, 1);
  request->bus = g_object_ref (connection);
  request->sender = g_strdup (sender);
  request->path = g_strconcat (PORTAL_PATH "/request/", sender_part, "/", token, NULL);
  request->response = next_response;
  if (next_response == 0)
    request->results = g_variant_ref_sink (g_variant_new_parsed ("{'background': <true>, 'autostart': <%b>}",
                                                                 autostart));
  else
    request->results = g_variant_ref_sink (g_variant_new_parsed ("@a{sv} {}"));
  request->object_id = g_dbus_connection_register_object (connection, request->path,
                                                          info->interfaces[1], &request_vtable,
                                                          request,
                                                          (GDestroyNotify) pending_request_free,
                                                          &error);
  g_assert_no_error (error);

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", request->path));
  if (next_response != ASTRA_TEST_PORTAL_NO_ANSWER)
    g_idle_add (send_response_cb, request);
}

static GVariant *
on_portal_get_property_cb (GDBusConnection  *connection,
                           const char       *sender,
                           const char       *object_path,
                           const char       *interface_name,
                           const char       *property_name,
                           GError          **error,
                           gpointer          user_data)
{
  return g_variant_new_uint32 (1);
}

GPtrArray *
astra_test_portal_start (void)
{
  static const GDBusInterfaceVTable vtable = { on_portal_method_cb, on_portal_get_property_cb };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 owned;

  g_assert_null (calls);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  calls = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bus);
  g_dbus_connection_register_object (bus, PORTAL_PATH, info->interfaces[0], &vtable, NULL, NULL,
                                     &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.portal.Desktop", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  /* 1: DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1);

  return calls;
}

void
astra_test_portal_set_response (int response)
{
  next_response = response;
}

void
astra_test_portal_stop (void)
{
  g_clear_object (&bus);
}

guint
astra_test_portal_get_n_closed (void)
{
  return n_closed;
}

/* astra-test-notifications.c: a fake org.freedesktop.Notifications on the test bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-test-notifications.h"

static GPtrArray *calls;
static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
on_notifications_method_cb (GDBusConnection       *connection,
                            const char            *sender,
                            const char            *object_path,
                            const char            *interface_name,
                            const char            *method_name,
                            GVariant              *parameters,
                            GDBusMethodInvocation *invocation,
                            gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      g_ptr_array_add (calls, g_variant_ref (parameters));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", calls->len));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "fake", "test", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

GPtrArray *
astra_test_notifications_start (void)
{
  static const GDBusInterfaceVTable vtable = { on_notifications_method_cb };
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 owned;

  calls = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_assert_nonnull (bus);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  /* 1: DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1);

  return calls;
}


void
astra_test_notifications_invoke (guint       index,
                                 const char *action_key)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;
  /* Notify answered each call with its position + 1. */
  guint32 id = index + 1;

  g_assert_nonnull (calls);
  g_assert_cmpuint (index, <, calls->len);
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", id, action_key), &error);
  g_assert_no_error (error);
  /* Reason 2: dismissed by the user. */
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "NotificationClosed",
                                 g_variant_new ("(uu)", id, 2), &error);
  g_assert_no_error (error);
}

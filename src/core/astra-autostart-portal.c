/* astra-autostart-portal.c: the background check at login through the Background portal
 *
 * Inside Flatpak the app cannot write the session's autostart folder; it asks
 * org.freedesktop.portal.Background.RequestBackground (version 1: autostart, commandline,
 * dbus-activatable, reason) and the portal writes the entry, after asking the person if it
 * has to. The answer comes as the Response signal of an org.freedesktop.portal.Request
 * object whose path the app knows in advance from its handle_token: it subscribes before
 * calling, so that an answer sent before the call returns is not lost. The portal may
 * never answer (a dialog left open, a hung backend): the wait is bounded, and the request
 * is closed when the time is up or the caller cancels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-autostart"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-autostart-private.h"

#define PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define BACKGROUND_IFACE   "org.freedesktop.portal.Background"
#define REQUEST_IFACE      "org.freedesktop.portal.Request"

/* The Request's response codes. */
enum
{
  RESPONSE_SUCCESS = 0,
  RESPONSE_CANCELLED = 1,   /* the person said no */
};

typedef struct
{
  GDBusConnection *bus;
  char           **commandline;
  char            *reason;
  char            *parent_window;
  char            *request_path;
  gboolean         enabled;
  guint            timeout_s;
  guint            response_id;
  GSource         *timeout_source;
  GSource         *cancel_source;
  gboolean         done;
} Request;

static void
request_free (Request *request)
{
  g_assert (request->response_id == 0);
  g_assert (request->timeout_source == NULL);
  g_assert (request->cancel_source == NULL);
  g_clear_object (&request->bus);
  g_strfreev (request->commandline);
  g_free (request->reason);
  g_free (request->parent_window);
  g_free (request->request_path);
  g_free (request);
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Completes @task once, with @error or (when NULL) success. Closes a pending request when
 * the app stops waiting, so that a dialog the portal may show goes away. */
static void
complete (GTask  *task,
          GError *error)
{
  Request *request = g_task_get_task_data (task);
  gboolean close = error != NULL &&
                   (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                    g_error_matches (error, ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_TIMED_OUT));

  if (request->done)
    {
      g_clear_error (&error);
      return;
    }
  request->done = TRUE;

  if (request->response_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (request->bus, request->response_id);
      request->response_id = 0;
    }
  clear_source (&request->timeout_source);
  clear_source (&request->cancel_source);

  if (close && request->bus != NULL && request->request_path != NULL)
    g_dbus_connection_call (request->bus, PORTAL_BUS_NAME, request->request_path, REQUEST_IFACE,
                            "Close", NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL,
                            NULL, NULL);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  /* The reference the pending request held (see astra_autostart_portal_request()). */
  g_object_unref (task);
}

static GError *
new_error_for_response (guint32   response,
                        GVariant *results,
                        gboolean  enabled)
{
  gboolean autostart = enabled;

  if (response == RESPONSE_SUCCESS)
    {
      /* A portal may grant running in the background but not the start at login. */
      if (g_variant_lookup (results, "autostart", "b", &autostart) && autostart != enabled)
        response = RESPONSE_CANCELLED;
      else
        return NULL;
    }

  if (response == RESPONSE_CANCELLED)
    return g_error_new_literal (ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_DENIED,
                                _("Running in the background was not allowed. You can allow it in Settings → Apps."));

  return g_error_new_literal (ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_FAILED,
                              _("The desktop could not set up the background check."));
}

static GError *
new_error_for_call (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
    {
      g_debug ("No Background portal: %s", error->message);
      return g_error_new_literal (ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_NO_PORTAL,
                                  _("The background check needs the desktop’s background portal, which is not available."));
    }

  return g_error_new (ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_FAILED,
                      _("The desktop could not set up the background check: %s"), error->message);
}

/* The object path the portal gives the request: /org/freedesktop/portal/desktop/request/
 * SENDER/TOKEN, SENDER being the bus's unique name without the ':' and with '_' for '.'. */
static char *
build_request_path (GDBusConnection  *bus,
                    char            **token_out)
{
  g_autofree char *sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_autofree char *token = g_strdup_printf ("astra_tokens_%u", g_random_int ());

  g_strdelimit (sender, ".", '_');
  *token_out = g_strdup (token);
  return g_strconcat (PORTAL_OBJECT_PATH, "/request/", sender, "/", token, NULL);
}

static GVariant *
build_parameters (Request    *request,
                  const char *token)
{
  GVariantBuilder options;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason", g_variant_new_string (request->reason));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (request->enabled));
  g_variant_builder_add (&options, "{sv}", "commandline",
                         g_variant_new_strv ((const char * const *) request->commandline, -1));
  /* --check-expiry cannot travel through D-Bus activation. */
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  /* The app's window as the portal spec names it ("x11:XID", "wayland:HANDLE"), so that
   * the portal's question is attached to it; "" centres it on its own. */
  return g_variant_new ("(sa{sv})", request->parent_window, &options);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_response_cb (GDBusConnection *bus,
                const char      *sender_name,
                const char      *object_path,
                const char      *interface_name,
                const char      *signal_name,
                GVariant        *parameters,
                gpointer         user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  guint32 response;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_debug ("Background portal answered %u", response);
  complete (task, new_error_for_response (response, results, request->enabled));
}

static void
subscribe (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->bus, request->response_id);
  /* user_data is borrowed: complete() unsubscribes before it drops the task. */
  request->response_id = g_dbus_connection_signal_subscribe (request->bus, PORTAL_BUS_NAME,
                                                             REQUEST_IFACE, "Response",
                                                             request->request_path, NULL,
                                                             G_DBUS_SIGNAL_FLAGS_NONE,
                                                             on_response_cb, task, NULL);
}

static void
on_request_background_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *handle = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (request->done)
    return;
  if (reply == NULL)
    {
      complete (task, new_error_for_call (error));
      return;
    }

  /* Portals older than handle_token choose the path themselves: follow it. An answer
   * sent before this point would be lost there, which only such old portals risk. */
  g_variant_get (reply, "(&o)", &handle);
  if (g_strcmp0 (handle, request->request_path) != 0)
    {
      g_free (request->request_path);
      request->request_path = g_strdup (handle);
      subscribe (task);
    }
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  complete (task, g_error_new (ASTRA_AUTOSTART_ERROR, ASTRA_AUTOSTART_ERROR_TIMED_OUT,
                               ngettext ("The desktop did not answer the request to run in the background within %u second.",
                                         "The desktop did not answer the request to run in the background within %u seconds.",
                                         request->timeout_s),
                               request->timeout_s));
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  complete (task, error);
  return G_SOURCE_REMOVE;
}

static void
on_bus_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  request->bus = g_bus_get_finish (result, &error);
  if (request->done)
    return;
  if (request->bus == NULL)
    {
      complete (task, new_error_for_call (error));
      return;
    }

  request->request_path = build_request_path (request->bus, &token);
  subscribe (task);
  g_dbus_connection_call (request->bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, BACKGROUND_IFACE,
                          "RequestBackground", build_parameters (request, token),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), on_request_background_cb,
                          g_object_ref (task));
}

/* ------------------------------------------------------------------------------------------ */
/* Shared with astra-autostart.c                                                              */

void
astra_autostart_portal_request (GTask      *task,
                                const char *parent_window,
                                const char *program,
                                const char *reason,
                                gboolean    enabled,
                                guint       timeout_s)
{
  Request *request = g_new0 (Request, 1);
  const char *commandline[] = { program, "--gapplication-service", "--check-expiry", NULL };
  GCancellable *cancellable = g_task_get_cancellable (task);

  request->commandline = g_strdupv ((char **) commandline);
  request->reason = g_strdup (reason);
  request->parent_window = g_strdup (parent_window != NULL ? parent_window : "");
  request->enabled = enabled;
  request->timeout_s = timeout_s;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  /* Until complete(): the signal subscription, the timeout and the cancellable's source
   * borrow this reference. */
  g_object_ref (task);

  request->timeout_source = g_timeout_source_new_seconds (timeout_s);
  g_source_set_callback (request->timeout_source, on_timeout_cb, task, NULL);
  g_source_attach (request->timeout_source, g_task_get_context (task));
  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (on_cancelled_cb), task, NULL);
      g_source_attach (request->cancel_source, g_task_get_context (task));
    }

  g_bus_get (G_BUS_TYPE_SESSION, cancellable, on_bus_cb, g_object_ref (task));
}

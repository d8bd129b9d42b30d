/* astra-application-expiry.c: the application's part in the expiry warnings
 *
 * Owns the expiry monitor and, once the app is activated or started by the session as a
 * service, the notifier. Keeps the XDG autostart entry in step with the Preferences switch
 * (inside Flatpak through the Background portal); when the portal refuses, the switch goes
 * back off and the reason shows as a toast.
 * In service mode (`astra-tokens --gapplication-service`, what the autostart entry runs) no
 * window opens: the app reads the connected organizations from the keyring, checks them,
 * notifies, and lets GApplication's inactivity timeout end it; a check never outlives its
 * timeout, so an unreachable server cannot keep it running. The notification's actions
 * open the window on the organization with Expiring Soon on, or the rotate dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-application"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "astra-application-expiry.h"
#include "astra-autostart.h"
#include "astra-expiry-notifier.h"
#include "astra-preferences-window.h"
#include "astra-toast.h"
#include "astra-tokens-page.h"
#include "astra-window.h"
#include "astra-window-private.h"

/* The monitor and the notifier hang on the application object as data rather than as
 * fields of AstraApplication: astra-application.c only calls the three functions below. */
#define MONITOR_KEY  "astra-expiry-monitor"
#define NOTIFIER_KEY "astra-expiry-notifier"

/* Windowed, the page on screen reports its own list first. */
#define WINDOWED_START_DELAY_S 5
/* After the last check, before a service exits (GApplication's inactivity timeout). */
#define SERVICE_INACTIVITY_MS 10000
/* Each organization's check in the background, at most. */
#define SERVICE_CHECK_TIMEOUT_S 60
/* The whole background run, keyring included, at most. */
#define SERVICE_MAX_S 300
#define SERVICE_MAX_KEY "astra-expiry-service-max"
#define CHECK_REQUESTED_KEY "astra-expiry-check-requested"
/* The autostart request under way, whether the person asked for it, and the switch being
 * turned back off after a refusal. */
#define AUTOSTART_CANCELLABLE_KEY "astra-autostart-cancellable"
#define AUTOSTART_USER_KEY "astra-autostart-by-user"
#define AUTOSTART_REVERT_KEY "astra-autostart-revert"
/* The portal may ask the person first: time to read and answer, but no endless wait. */
#define AUTOSTART_TIMEOUT_S 120

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static GSettings *
get_settings (AstraApplication *self)
{
  return astra_context_get_settings (astra_application_get_context (self));
}

static void
ensure_notifier (AstraApplication *self)
{
  AstraExpiryNotifier *notifier;

  if (g_object_get_data (G_OBJECT (self), NOTIFIER_KEY) != NULL)
    return;

  notifier = astra_expiry_notifier_new (G_APPLICATION (self), astra_application_get_context (self),
                                        astra_application_get_expiry_monitor (self),
                                        get_settings (self));
  g_object_set_data_full (G_OBJECT (self), NOTIFIER_KEY, notifier, g_object_unref);
}

/* Shows why the background check could not be turned on or off: in the preferences window
 * when it is open (the switch is there), else in the main window, else in the log. */
static void
show_autostart_error (AstraApplication *self,
                      const char       *message)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  AstraWindow *main_window = NULL;

  /* The preferences window is transient for a main window and not one of the app's. */
  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (ASTRA_IS_PREFERENCES_WINDOW (l->data) && gtk_widget_get_visible (l->data))
        {
          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (l->data),
                                            astra_toast_new (message));
          return;
        }
    }

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (main_window == NULL && ASTRA_IS_WINDOW (l->data))
      main_window = l->data;

  if (main_window != NULL)
    astra_window_add_toast (main_window, message);
  else
    g_message ("Background check: %s", message);
}

static void
on_autostart_requested_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(AstraApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  if (astra_autostart_request_finish (result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  settings = get_settings (self);
  g_debug ("Could not update the autostart entry: %s", error->message);
  /* Turned on, and refused: the switch goes back off. Turning it off then must not ask
   * the portal again (it could ask the person a second time). */
  if (g_object_get_data (G_OBJECT (self), AUTOSTART_USER_KEY) != NULL &&
      g_settings_get_boolean (settings, "expiry-background-check"))
    {
      g_object_set_data (G_OBJECT (self), AUTOSTART_REVERT_KEY, GINT_TO_POINTER (TRUE));
      g_settings_set_boolean (settings, "expiry-background-check", FALSE);
    }
  show_autostart_error (self, error->message);
}

/* The window the portal's question belongs to, as portals name windows: "x11:XID" (hex).
 * On Wayland GTK 4.8 exports a window only asynchronously and once at a time
 * (gdk_wayland_toplevel_export_handle()): "" there, and the portal centres its dialog.
 * (transfer full) */
static char *
dup_parent_window (AstraApplication *self)
{
#ifdef GDK_WINDOWING_X11
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GdkSurface *surface = window != NULL ? gtk_native_get_surface (GTK_NATIVE (window)) : NULL;

  if (surface != NULL && GDK_IS_X11_SURFACE (surface))
    return g_strdup_printf ("x11:%lx", (unsigned long) gdk_x11_surface_get_xid (surface));
#endif
  return g_strdup ("");
}

/* Brings the autostart entry in step with the setting; a newer change cancels an older
 * request. @by_user: the setting just changed (a refusal turns it back off), rather than
 * the check at startup (a refusal is only reported: a portal missing today is no reason to
 * forget the choice). */
static void
update_autostart (AstraApplication *self,
                  gboolean          by_user)
{
  gboolean enabled = g_settings_get_boolean (get_settings (self), "expiry-background-check");
  GCancellable *cancellable = g_object_get_data (G_OBJECT (self), AUTOSTART_CANCELLABLE_KEY);
  g_autofree char *parent_window = dup_parent_window (self);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), AUTOSTART_CANCELLABLE_KEY, cancellable, g_object_unref);
  g_object_set_data (G_OBJECT (self), AUTOSTART_USER_KEY, GINT_TO_POINTER (by_user));

  astra_autostart_request_async (APP_ID, parent_window, "astra-tokens", _("Astra Tokens"),
                                 _("Check the connected organizations for expiring tokens when you log in."),
                                 enabled, AUTOSTART_TIMEOUT_S, cancellable,
                                 on_autostart_requested_cb, g_object_ref (self));
}

static void
on_background_check_changed_cb (GSettings        *settings,
                                const char       *key,
                                AstraApplication *self)
{
  /* The switch going back off after a refusal (on_autostart_requested_cb()). */
  if (g_object_steal_data (G_OBJECT (self), AUTOSTART_REVERT_KEY) != NULL &&
      !g_settings_get_boolean (settings, key))
    return;

  update_autostart (self, TRUE);
}

/* ------------------------------------------------------------------------------------------ */
/* Opening the app from a notification                                                        */

typedef struct
{
  AstraWindow *window;
  char        *org_id;
  char        *client_id;   /* rotate this one, or NULL: review */
  gulong       handler;
  GObject     *source;
  gulong       destroy_handler;
} Pending;

static void
pending_free (Pending *pending)
{
  if (pending->handler != 0 && pending->source != NULL)
    g_signal_handler_disconnect (pending->source, pending->handler);
  g_clear_signal_handler (&pending->destroy_handler, pending->window);
  g_clear_object (&pending->source);
  g_clear_object (&pending->window);
  g_free (pending->org_id);
  g_free (pending->client_id);
  g_free (pending);
}

static void run_pending (Pending *pending);

/* Closed before the organization's tokens arrived: nothing left to do. */
static void
on_pending_window_destroy_cb (GtkWidget *window,
                              Pending   *pending)
{
  pending->destroy_handler = 0;
  pending_free (pending);
}

static void
on_pending_ready_cb (GObject *source,
                     gpointer  arg1,
                     gpointer  user_data)
{
  Pending *pending = user_data;

  g_signal_handler_disconnect (pending->source, pending->handler);
  pending->handler = 0;
  g_clear_object (&pending->source);
  run_pending (pending);
}

static void
wait_for (Pending    *pending,
          gpointer    source,
          const char *signal)
{
  pending->source = g_object_ref (source);
  pending->handler = g_signal_connect (source, signal, G_CALLBACK (on_pending_ready_cb), pending);
}

/* Waits for the connection list, then the organization's tokens, then acts. */
static void
run_pending (Pending *pending)
{
  AstraContext *context = astra_application_get_context (
    ASTRA_APPLICATION (gtk_window_get_application (GTK_WINDOW (pending->window))));
  AstraTokensPage *page;

  if (astra_context_find_connection (context, pending->org_id) == NULL)
    {
      if (!astra_context_get_loaded (context))
        {
          wait_for (pending, context, "notify::loaded");
          return;
        }
      pending_free (pending);   /* forgotten since the notification */
      return;
    }

  astra_window_select_org (pending->window, pending->org_id);
  page = pending->window->tokens_page;
  if (page == NULL)
    {
      pending_free (pending);
      return;
    }

  if (pending->client_id == NULL)
    {
      astra_tokens_page_show_expiring (page);
      pending_free (pending);
      return;
    }

  if (!g_str_equal (astra_tokens_page_get_state (page), "list"))
    {
      wait_for (pending, page, "populated");
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (page), "tokens.rotate", "s", pending->client_id);
  pending_free (pending);
}

static AstraWindow *
present_window (AstraApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* The preferences or a dialog may be the active one: find the main window. */
  if (!ASTRA_IS_WINDOW (window))
    {
      GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

      window = NULL;
      for (GList *l = windows; l != NULL && window == NULL; l = l->next)
        if (ASTRA_IS_WINDOW (l->data))
          window = l->data;
    }
  if (window == NULL)
    window = GTK_WINDOW (astra_window_new (self));

  gtk_window_present (window);
  return ASTRA_WINDOW (window);
}

static void
open_org (AstraApplication *self,
          const char       *org_id,
          const char       *client_id)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->window = g_object_ref (present_window (self));
  pending->org_id = g_strdup (org_id);
  pending->client_id = g_strdup (client_id);
  pending->destroy_handler = g_signal_connect (pending->window, "destroy",
                                               G_CALLBACK (on_pending_window_destroy_cb), pending);
  run_pending (pending);
}

static void
review_expiring_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  open_org (ASTRA_APPLICATION (user_data), g_variant_get_string (parameter, NULL), NULL);
}

static void
rotate_token_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  const char *org_id, *client_id;

  g_variant_get (parameter, "(&s&s)", &org_id, &client_id);
  open_org (ASTRA_APPLICATION (user_data), org_id, client_id);
}

static const GActionEntry expiry_actions[] = {
  { "review-expiring", review_expiring_activated, "s" },
  { "rotate-token", rotate_token_activated, "(ss)" },
};

/* ------------------------------------------------------------------------------------------ */
/* Service mode                                                                               */

/* Releases the hold of start_service() once, whichever comes first: every organization
 * checked, or SERVICE_MAX_S (a keyring that never answers must not keep it running). */
static void
release_service (AstraApplication *self)
{
  guint max_id = GPOINTER_TO_UINT (g_object_steal_data (G_OBJECT (self), SERVICE_MAX_KEY));

  if (max_id == 0)
    return;
  if (max_id != G_MAXUINT)
    g_source_remove (max_id);
  g_debug ("Background expiry check done");
  g_application_release (G_APPLICATION (self));
}

static gboolean
on_service_max_cb (gpointer user_data)
{
  AstraApplication *self = user_data;

  /* The source ends itself: release_service() must not remove it. */
  g_object_set_data (G_OBJECT (self), SERVICE_MAX_KEY, GUINT_TO_POINTER (G_MAXUINT));
  g_debug ("Background expiry check gave up");
  release_service (self);

  return G_SOURCE_REMOVE;
}

static void
on_service_idle_cb (AstraExpiryMonitor *monitor,
                    AstraApplication   *self)
{
  g_signal_handlers_disconnect_by_func (monitor, on_service_idle_cb, self);
  release_service (self);
}

static void
on_service_loaded_cb (AstraContext     *context,
                      GParamSpec       *pspec,
                      AstraApplication *self)
{
  AstraExpiryMonitor *monitor = astra_application_get_expiry_monitor (self);

  if (!astra_context_get_loaded (context))
    return;
  g_signal_handlers_disconnect_by_func (context, on_service_loaded_cb, self);

  g_signal_connect_object (monitor, "idle", G_CALLBACK (on_service_idle_cb), self, 0);
  astra_expiry_monitor_start (monitor, 0);
}

static void
start_service (AstraApplication *self)
{
  AstraContext *context = astra_application_get_context (self);

  g_application_set_inactivity_timeout (G_APPLICATION (self), SERVICE_INACTIVITY_MS);
  astra_expiry_monitor_set_check_timeout (astra_application_get_expiry_monitor (self),
                                          SERVICE_CHECK_TIMEOUT_S);
  ensure_notifier (self);
  /* Released when every organization has been checked (or given up). */
  g_application_hold (G_APPLICATION (self));
  g_object_set_data (G_OBJECT (self), SERVICE_MAX_KEY,
                     GUINT_TO_POINTER (g_timeout_add_seconds (SERVICE_MAX_S, on_service_max_cb, self)));
  g_signal_connect_object (context, "notify::loaded", G_CALLBACK (on_service_loaded_cb), self, 0);
  on_service_loaded_cb (context, NULL, self);
}

/* ------------------------------------------------------------------------------------------ */
/* Shared with astra-application.c                                                            */

void
astra_application_expiry_request_check (AstraApplication *self)
{
  g_return_if_fail (ASTRA_IS_APPLICATION (self));

  g_object_set_data (G_OBJECT (self), CHECK_REQUESTED_KEY, GINT_TO_POINTER (TRUE));
}

void
astra_application_expiry_startup (AstraApplication *self)
{
  AstraExpiryMonitor *monitor;

  g_return_if_fail (ASTRA_IS_APPLICATION (self));

  monitor = astra_expiry_monitor_new (astra_application_get_context (self), get_settings (self));
  g_object_set_data_full (G_OBJECT (self), MONITOR_KEY, monitor, g_object_unref);
  g_action_map_add_action_entries (G_ACTION_MAP (self), expiry_actions,
                                   G_N_ELEMENTS (expiry_actions), self);
  g_signal_connect_object (get_settings (self), "changed::expiry-background-check",
                           G_CALLBACK (on_background_check_changed_cb), self, 0);
  /* The entry may have gone (a new home folder, a cleaner): the switch says it is on. */
  if (g_settings_get_boolean (get_settings (self), "expiry-background-check"))
    update_autostart (self, FALSE);

  if ((g_application_get_flags (G_APPLICATION (self)) & G_APPLICATION_IS_SERVICE) &&
      g_object_get_data (G_OBJECT (self), CHECK_REQUESTED_KEY) != NULL)
    start_service (self);
}

void
astra_application_expiry_activate (AstraApplication *self)
{
  g_return_if_fail (ASTRA_IS_APPLICATION (self));

  ensure_notifier (self);
  astra_expiry_monitor_start (astra_application_get_expiry_monitor (self), WINDOWED_START_DELAY_S);
}

void
astra_application_expiry_shutdown (AstraApplication *self)
{
  GCancellable *cancellable = g_object_get_data (G_OBJECT (self), AUTOSTART_CANCELLABLE_KEY);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_object_set_data (G_OBJECT (self), AUTOSTART_CANCELLABLE_KEY, NULL);
  g_object_set_data (G_OBJECT (self), NOTIFIER_KEY, NULL);
  g_object_set_data (G_OBJECT (self), MONITOR_KEY, NULL);
}

AstraExpiryMonitor *
astra_application_get_expiry_monitor (AstraApplication *self)
{
  g_return_val_if_fail (ASTRA_IS_APPLICATION (self), NULL);
  return g_object_get_data (G_OBJECT (self), MONITOR_KEY);
}

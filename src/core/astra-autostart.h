/* astra-autostart.h: the XDG autostart entry of the background expiry check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ASTRA_AUTOSTART_ERROR (astra_autostart_error_quark ())

typedef enum
{
  ASTRA_AUTOSTART_ERROR_DENIED,      /* the person (or a policy) said no */
  ASTRA_AUTOSTART_ERROR_FAILED,      /* the portal ended the request with an error */
  ASTRA_AUTOSTART_ERROR_NO_PORTAL,   /* no Background portal on the session bus */
  ASTRA_AUTOSTART_ERROR_TIMED_OUT,   /* the portal never answered */
} AstraAutostartError;

GQuark    astra_autostart_error_quark (void);

/* Returns: (transfer full): $XDG_CONFIG_HOME/autostart/@app_id.desktop. */
char     *astra_autostart_get_path    (const char  *app_id);
/* Writes the entry (Exec=@program --gapplication-service --check-expiry, X-GNOME-Autostart-enabled=true)
 * or removes it; removing one that is not there is no error. */
gboolean  astra_autostart_set_enabled (const char  *app_id,
                                       const char  *program,
                                       const char  *name,
                                       gboolean     enabled,
                                       GError     **error);

/* Whether the app runs inside a Flatpak sandbox, where an entry written by
 * astra_autostart_set_enabled() would land in the sandbox's own config folder. */
gboolean  astra_autostart_in_flatpak  (void);

/* Turns the background check at login on or off: inside Flatpak through the Background
 * portal (which may ask the person, with @reason, in a dialog attached to @parent_window:
 * "x11:XID", "wayland:HANDLE", or "" / %NULL for none), elsewhere with the entry of
 * astra_autostart_set_enabled(). The portal's answer is awaited at most @timeout_s seconds.
 * Errors: ASTRA_AUTOSTART_ERROR, G_IO_ERROR (the entry), G_IO_ERROR_CANCELLED. */
void      astra_autostart_request_async  (const char           *app_id,
                                          const char           *parent_window,
                                          const char           *program,
                                          const char           *name,
                                          const char           *reason,
                                          gboolean              enabled,
                                          guint                 timeout_s,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  astra_autostart_request_finish (GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS

/* astra-autostart.c: the XDG autostart entry of the background expiry check
 *
 * The session starts `astra-tokens --gapplication-service --check-expiry` at login (XDG Autostart
 * specification): the app checks the connected organizations without a window, notifies,
 * and exits when idle. The entry holds no secret. Inside Flatpak the entry would land in the
 * sandbox's private config folder, which no session reads: there the Background portal
 * writes it (astra-autostart-portal.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "astra-autostart-private.h"

G_DEFINE_QUARK (astra-autostart-error-quark, astra_autostart_error)

char *
astra_autostart_get_path (const char *app_id)
{
  g_autofree char *file_name = NULL;

  g_return_val_if_fail (app_id != NULL, NULL);

  file_name = g_strconcat (app_id, ".desktop", NULL);
  /* g_get_user_config_dir() is $XDG_CONFIG_HOME, or ~/.config without it. */
  return g_build_filename (g_get_user_config_dir (), "autostart", file_name, NULL);
}

gboolean
astra_autostart_set_enabled (const char  *app_id,
                             const char  *program,
                             const char  *name,
                             gboolean     enabled,
                             GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GKeyFile) entry = NULL;
  g_autofree char *exec = NULL;

  g_return_val_if_fail (app_id != NULL, FALSE);
  g_return_val_if_fail (program != NULL, FALSE);

  path = astra_autostart_get_path (app_id);
  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "%s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
      return TRUE;
    }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  exec = g_strconcat (program, " --gapplication-service --check-expiry", NULL);
  entry = g_key_file_new ();
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE, "Application");
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME, name);
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, app_id);
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-UsesNotifications", TRUE);

  return g_key_file_save_to_file (entry, path, error);
}

gboolean
astra_autostart_in_flatpak (void)
{
  /* Flatpak puts /.flatpak-info in every sandbox. ASTRA_FLATPAK_INFO names another file
   * to test for instead, so that tests can take the portal's path outside a sandbox (an
   * existing file) or the desktop file's inside one (a missing file). */
  const char *info = g_getenv ("ASTRA_FLATPAK_INFO");

  return g_file_test (info != NULL ? info : "/.flatpak-info", G_FILE_TEST_EXISTS);
}

void
astra_autostart_request_async (const char          *app_id,
                               const char          *parent_window,
                               const char          *program,
                               const char          *name,
                               const char          *reason,
                               gboolean             enabled,
                               guint                timeout_s,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (app_id != NULL);
  g_return_if_fail (program != NULL);
  g_return_if_fail (reason != NULL);
  g_return_if_fail (timeout_s > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_autostart_request_async);

  if (astra_autostart_in_flatpak ())
    {
      astra_autostart_portal_request (task, parent_window, program, reason, enabled, timeout_s);
      return;
    }

  /* A small local file, written at once as before: the result still arrives from the
   * main loop, like the portal's. */
  if (astra_autostart_set_enabled (app_id, program, name, enabled, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

gboolean
astra_autostart_request_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_autostart_request_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

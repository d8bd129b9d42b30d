/* astra-autostart.c: the XDG autostart entry of the background expiry check
 *
 * The session starts `astra-tokens --gapplication-service --check-expiry` at login (XDG Autostart
 * specification): the app checks the connected organizations without a window, notifies,
 * and exits when idle. The entry holds no secret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "astra-autostart.h"

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

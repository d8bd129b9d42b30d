/* astra-trash.c: trashing with a way back (astra-trash.h)
 *
 * After g_file_trash() the trashed copy is found by its info file: the "NAME*.trashinfo"
 * in the candidate trash folders whose Path is the original and that was not there before. The
 * candidates are the freedesktop.org ones GLib uses: $XDG_DATA_HOME/Trash for a file on the
 * home folder's file system, else $topdir/.Trash/$uid and $topdir/.Trash-$uid (where Path
 * is relative to $topdir).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-trash"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "astra-trash.h"

struct _AstraTrashed
{
  char *path;          /* where the file was */
  char *trashed_path;  /* Trash/files/NAME */
  char *info_path;     /* Trash/info/NAME.trashinfo */
};

void
astra_trashed_free (AstraTrashed *trashed)
{
  if (trashed == NULL)
    return;
  g_free (trashed->path);
  g_free (trashed->trashed_path);
  g_free (trashed->info_path);
  g_free (trashed);
}

const char *
astra_trashed_get_path (AstraTrashed *trashed)
{
  g_return_val_if_fail (trashed != NULL, NULL);

  return trashed->path;
}

/* Helpers {{{ */

/* The top of the mount @path is on: the last ancestor on the same device. */
static char *
dup_topdir (const char *path)
{
  g_autofree char *current = g_path_get_dirname (path);
  struct stat st;
  dev_t device;

  if (g_stat (current, &st) != 0)
    return NULL;
  device = st.st_dev;

  for (;;)
    {
      g_autofree char *parent = g_path_get_dirname (current);

      if (g_strcmp0 (parent, current) == 0 || g_stat (parent, &st) != 0 || st.st_dev != device)
        return g_steal_pointer (&current);
      g_free (current);
      current = g_steal_pointer (&parent);
    }
}

/* Adds to @matches the info files in @trash_dir/info whose Path is @path, each as
 * "TRASH_DIR\nINFO_NAME". @prefix: what a relative Path is relative to. */
static void
collect_in_trash (const char *trash_dir,
                  const char *prefix,
                  const char *path,
                  GPtrArray  *matches)
{
  g_autofree char *info_dir = g_build_filename (trash_dir, "info", NULL);
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr(GDir) dir = g_dir_open (info_dir, 0, NULL);
  const char *dot = strchr (basename, '.');
  const char *name;

  if (dir == NULL)
    return;

  /* GLib names a second "A.csv" in the trash "A.2.csv": what comes before the first dot is
   * all a name is sure to start with. */
  if (dot != NULL)
    basename[dot - basename] = '\0';

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GKeyFile) info = g_key_file_new ();
      g_autofree char *info_path = g_build_filename (info_dir, name, NULL);
      g_autofree char *escaped = NULL;
      g_autofree char *unescaped = NULL;
      g_autofree char *original = NULL;

      if (!g_str_has_prefix (name, basename) || !g_str_has_suffix (name, ".trashinfo") ||
          !g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL))
        continue;

      escaped = g_key_file_get_string (info, "Trash Info", "Path", NULL);
      unescaped = escaped != NULL ? g_uri_unescape_string (escaped, NULL) : NULL;
      if (unescaped == NULL)
        continue;
      original = g_path_is_absolute (unescaped) ? g_strdup (unescaped)
                                                : g_build_filename (prefix, unescaped, NULL);
      if (g_strcmp0 (original, path) == 0)
        g_ptr_array_add (matches, g_strdup_printf ("%s\n%s", trash_dir, name));
    }
}

/* Every info file for @path in the trash folders GLib may have used. (transfer full) */
static GPtrArray *
collect_trashed (const char *path)
{
  g_autofree char *home_trash = g_build_filename (g_get_user_data_dir (), "Trash", NULL);
  g_autofree char *topdir = dup_topdir (path);
  g_autofree char *uid = g_strdup_printf ("%u", (guint) getuid ());
  GPtrArray *matches = g_ptr_array_new_with_free_func (g_free);

  collect_in_trash (home_trash, "", path, matches);
  if (topdir != NULL)
    {
      g_autofree char *shared = g_build_filename (topdir, ".Trash", uid, NULL);
      g_autofree char *own = g_strdup_printf ("%s/.Trash-%s", topdir, uid);

      collect_in_trash (shared, topdir, path, matches);
      collect_in_trash (own, topdir, path, matches);
    }

  return matches;
}

/* The info file that appeared for @trashed->path since @before was collected: that one is
 * ours, whatever its name (GLib adds ".2", ".3"… to a name already in the trash). */
static gboolean
find_trashed (AstraTrashed *trashed,
              GPtrArray    *before)
{
  g_autoptr(GPtrArray) after = collect_trashed (trashed->path);

  for (guint i = 0; i < after->len; i++)
    {
      const char *match = g_ptr_array_index (after, i);
      g_auto(GStrv) parts = NULL;
      g_autofree char *stem = NULL;

      if (g_ptr_array_find_with_equal_func (before, match, g_str_equal, NULL))
        continue;

      parts = g_strsplit (match, "\n", 2);
      stem = g_strndup (parts[1], strlen (parts[1]) - strlen (".trashinfo"));
      trashed->info_path = g_build_filename (parts[0], "info", parts[1], NULL);
      trashed->trashed_path = g_build_filename (parts[0], "files", stem, NULL);
      return TRUE;
    }

  return FALSE;
}

/* }}} */
/* Public API {{{ */

AstraTrashed *
astra_trash_file (GFile         *file,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(AstraTrashed) trashed = NULL;
  g_autoptr(GPtrArray) before = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  trashed = g_new0 (AstraTrashed, 1);
  trashed->path = g_file_get_path (file);
  if (trashed->path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only local files can be moved to the trash"));
      return NULL;
    }

  before = collect_trashed (trashed->path);
  if (!g_file_trash (file, cancellable, error))
    return NULL;

  /* Trashed, but no way back found: the file is still safe in the trash, and the caller
   * just offers no Undo. */
  if (!find_trashed (trashed, before))
    g_clear_pointer (&trashed->trashed_path, g_free);

  return g_steal_pointer (&trashed);
}

gboolean
astra_trash_restore (AstraTrashed  *trashed,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;

  g_return_val_if_fail (trashed != NULL, FALSE);

  if (trashed->trashed_path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The file is in the trash, but could not be found there"));
      return FALSE;
    }

  from = g_file_new_for_path (trashed->trashed_path);
  to = g_file_new_for_path (trashed->path);
  /* Never over a file someone made since: G_IO_ERROR_EXISTS. */
  if (!g_file_move (from, to, G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_ALL_METADATA,
                    cancellable, NULL, NULL, error))
    return FALSE;

  g_unlink (trashed->info_path);
  return TRUE;
}

static void
trash_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  AstraTrashed *trashed = astra_trash_file (task_data, cancellable, &error);

  if (trashed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trashed, (GDestroyNotify) astra_trashed_free);
}

void
astra_trash_file_async (GFile               *file,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_trash_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, trash_thread);
}

AstraTrashed *
astra_trash_file_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (astra_trash_restore (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
astra_trash_restore_async (AstraTrashed        *trashed,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (trashed != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_trash_restore_async);
  g_task_set_task_data (task, trashed, (GDestroyNotify) astra_trashed_free);
  g_task_run_in_thread (task, restore_thread);
}

gboolean
astra_trash_restore_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */

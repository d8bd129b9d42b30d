/* astra-scan-walk.c: walks folder trees and hands every regular file to the readers
 *
 * Built for speed like `grep -rlF`: openat()/fdopendir() relative to each folder (no path
 * lookups from the root), the entry type from readdir() (no stat per entry), one fstat()
 * per opened file; the reading itself happens in reader threads (astra-scan-read.c) while
 * the walk goes on. Every file and every skip is a job in one list in walk order, so the
 * results come out in that order whichever reader finishes first.
 *
 * Safety: files are opened with O_NOFOLLOW | O_NONBLOCK and checked with fstat() before a
 * byte is read, so a FIFO, socket or device swapped in for a file is never read and never
 * blocks; folders are opened with O_NOFOLLOW and remembered by device and inode, so no
 * folder is entered twice (loops through bind mounts included).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* memmem (), memrchr (), explicit_bzero () */
#define _GNU_SOURCE

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "astra-scan-private.h"
#include "astra-token-format.h"

#define MAX_DEPTH   256

typedef struct
{
  dev_t dev;
  ino_t ino;
} FileId;

typedef struct
{
  char          *name;
  unsigned char  type;
} Entry;

typedef struct
{
  GCancellable      *cancellable;
  AstraScanProgress *progress;
  AstraScanReaders  *readers;
  GPtrArray         *jobs;          /* AstraScanJob, in walk order */
  GPtrArray         *canonical_roots;
  GHashTable        *visited;       /* FileId → FileId, folders entered */
  FileId             keyrings;
  FileId             cache;
  GString           *path;
} Walk;

static void walk_folder (Walk       *walk,
                         int         fd,
                         const char *name,
                         guint       depth);

/* Helpers {{{ */

static guint
file_id_hash (gconstpointer key)
{
  const FileId *id = key;

  return (guint) id->ino ^ (guint) (id->ino >> 32) ^ (guint) id->dev;
}

static gboolean
file_id_equal (gconstpointer a,
               gconstpointer b)
{
  const FileId *x = a, *y = b;

  return x->dev == y->dev && x->ino == y->ino;
}

static FileId
file_id_of_path (const char *path)
{
  FileId id = { 0, 0 };
  struct stat st;

  if (path != NULL && stat (path, &st) == 0)
    {
      id.dev = st.st_dev;
      id.ino = st.st_ino;
    }
  return id;
}

static gboolean
file_id_matches (FileId             id,
                 const struct stat *st)
{
  return id.ino != 0 && id.dev == st->st_dev && id.ino == st->st_ino;
}

static void
skip (Walk                *walk,
      AstraScanSkipReason  reason,
      const char          *message)
{
  AstraScanJob *job = astra_scan_job_new (walk->path->str, -1);

  job->skip = astra_scan_skip_new (walk->path->str, reason, message);
  g_ptr_array_add (walk->jobs, job);
}

static void
skip_errno (Walk *walk,
            int   saved_errno)
{
  skip (walk, ASTRA_SCAN_SKIP_UNREADABLE, g_strerror (saved_errno));
}

static gint64
mtime_usec (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_USEC_PER_SEC + st->st_mtim.tv_nsec / 1000;
}

/* Why a folder is not entered, by its name (and its parent's), or NULL. */
static const char *
excluded_by_name (const char *name,
                  const char *parent)
{
  static const char * const caches[] = {
    ".cache", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", NULL,
  };

  if (g_str_equal (name, "node_modules"))
    return _("Not searched: installed packages (node_modules)");
  if (g_strv_contains (caches, name))
    return _("Not searched: a cache");
  if (g_str_equal (parent, ".git") && (g_str_equal (name, "objects") || g_str_equal (name, "lfs")))
    return _("Not searched: the Git object store");
  if (g_str_equal (parent, ".hg") && g_str_equal (name, "store"))
    return _("Not searched: the Mercurial store");
  return NULL;
}

/* Why a folder is not entered, by what it contains, or NULL. */
static const char *
excluded_by_contents (GArray *entries)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const char *name = g_array_index (entries, Entry, i).name;

      if (g_str_equal (name, "pyvenv.cfg") || g_str_equal (name, "conda-meta"))
        return _("Not searched: a virtual environment");
      if (g_str_equal (name, "CACHEDIR.TAG"))
        return _("Not searched: a cache");
    }
  return NULL;
}

static gboolean
is_under_a_root (Walk       *walk,
                 const char *resolved)
{
  for (guint i = 0; i < walk->canonical_roots->len; i++)
    {
      const char *root = g_ptr_array_index (walk->canonical_roots, i);
      gsize length = strlen (root);

      if (g_str_equal (root, "/"))
        return TRUE;
      if (strncmp (resolved, root, length) == 0 &&
          (resolved[length] == '/' || resolved[length] == '\0'))
        return TRUE;
    }
  return FALSE;
}

static void
clear_entry (gpointer data)
{
  g_free (((Entry *) data)->name);
}

/* }}} */
/* Files {{{ */

static void
check_and_push (Walk *walk,
                int   fd)
{
  AstraScanJob *job;
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      skip_errno (walk, errno);
      close (fd);
      return;
    }
  if (!S_ISREG (st.st_mode))
    {
      skip (walk, ASTRA_SCAN_SKIP_SPECIAL, _("Not a regular file (never read)"));
      close (fd);
      return;
    }
  if (st.st_size > ASTRA_SCANNER_MAX_FILE_SIZE)
    {
      skip (walk, ASTRA_SCAN_SKIP_TOO_LARGE, _("Larger than 50 MiB"));
      close (fd);
      return;
    }

  job = astra_scan_job_new (walk->path->str, fd);
  job->size = st.st_size;
  job->mtime = mtime_usec (&st);
  g_ptr_array_add (walk->jobs, job);
  astra_scan_readers_push (walk->readers, job);
}

static void
scan_file (Walk       *walk,
           int         folder_fd,
           const char *name,
           gboolean    follow)
{
  int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (follow ? 0 : O_NOFOLLOW);
  int fd;

  fd = openat (folder_fd, name, flags);
  if (fd < 0)
    {
      /* ELOOP: it became a symbolic link since readdir(); it is not followed */
      if (errno != ELOOP)
        skip_errno (walk, errno);
      return;
    }
  check_and_push (walk, fd);
}

/* }}} */
/* Walking folders {{{ */

static void
check_symlink (Walk *walk)
{
  g_autofree char *parent = NULL;
  char *resolved;

  resolved = realpath (walk->path->str, NULL);
  if (resolved == NULL)
    {
      if (errno == ELOOP)
        skip (walk, ASTRA_SCAN_SKIP_SYMLINK_LOOP, _("A symbolic link that loops"));
      /* a dangling link names nothing to read */
      return;
    }

  if (!is_under_a_root (walk, resolved))
    {
      skip (walk, ASTRA_SCAN_SKIP_SYMLINK_OUTSIDE,
            _("A symbolic link out of the searched folders (not followed)"));
    }
  else
    {
      /* Inside the tree: its target is read where it is. A link to a folder around it
       * would lead round in circles if it were followed: say so. */
      char *real_parent;

      parent = g_path_get_dirname (walk->path->str);
      real_parent = realpath (parent, NULL);
      if (real_parent != NULL &&
          (g_str_equal (real_parent, resolved) ||
           (g_str_has_prefix (real_parent, resolved) && real_parent[strlen (resolved)] == '/')))
        skip (walk, ASTRA_SCAN_SKIP_SYMLINK_LOOP, _("A symbolic link that loops"));
      free (real_parent);
    }
  free (resolved);
}

static void
enter_folder (Walk       *walk,
              int         parent_fd,
              const char *name,
              const char *parent_name,
              guint       depth)
{
  const char *excluded;
  struct stat st;
  FileId id;
  int fd;

  excluded = excluded_by_name (name, parent_name);
  if (excluded != NULL)
    {
      skip (walk, ASTRA_SCAN_SKIP_EXCLUDED, excluded);
      return;
    }

  fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      if (errno != ELOOP)
        skip_errno (walk, errno);
      return;
    }
  if (fstat (fd, &st) != 0)
    {
      skip_errno (walk, errno);
      close (fd);
      return;
    }
  if (file_id_matches (walk->keyrings, &st))
    {
      skip (walk, ASTRA_SCAN_SKIP_EXCLUDED, _("Not searched: the keyrings folder"));
      close (fd);
      return;
    }
  if (file_id_matches (walk->cache, &st))
    {
      skip (walk, ASTRA_SCAN_SKIP_EXCLUDED, _("Not searched: a cache"));
      close (fd);
      return;
    }
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  if (g_hash_table_contains (walk->visited, &id))
    {
      skip (walk, ASTRA_SCAN_SKIP_SYMLINK_LOOP, _("A folder met twice (a loop)"));
      close (fd);
      return;
    }
  if (depth >= MAX_DEPTH)
    {
      skip (walk, ASTRA_SCAN_SKIP_EXCLUDED, _("Not searched: nested too deeply"));
      close (fd);
      return;
    }
  g_hash_table_add (walk->visited, g_memdup2 (&id, sizeof id));

  astra_scan_progress_set_folder (walk->progress, walk->path->str);
  walk_folder (walk, fd, name, depth + 1);
}

static unsigned char
type_of_entry (int         folder_fd,
               const char *name)
{
  struct stat st;

  if (fstatat (folder_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return DT_UNKNOWN;
  if (S_ISDIR (st.st_mode))
    return DT_DIR;
  if (S_ISREG (st.st_mode))
    return DT_REG;
  if (S_ISLNK (st.st_mode))
    return DT_LNK;
  return DT_FIFO;   /* any other special file: never opened */
}

/* Takes @fd. */
static void
walk_folder (Walk       *walk,
             int         fd,
             const char *name,
             guint       depth)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autofree char *folder_name = g_strdup (name);
  struct dirent *dirent;
  const char *excluded;
  gsize path_length;
  DIR *dir;

  dir = fdopendir (fd);
  if (dir == NULL)
    {
      skip_errno (walk, errno);
      close (fd);
      return;
    }

  g_array_set_clear_func (entries, clear_entry);
  errno = 0;
  while ((dirent = readdir (dir)) != NULL)
    {
      Entry entry;

      if (g_str_equal (dirent->d_name, ".") || g_str_equal (dirent->d_name, ".."))
        continue;
      entry.name = g_strdup (dirent->d_name);
      entry.type = dirent->d_type;
      g_array_append_val (entries, entry);
    }
  if (errno != 0)
    skip_errno (walk, errno);

  excluded = excluded_by_contents (entries);
  if (excluded != NULL)
    {
      skip (walk, ASTRA_SCAN_SKIP_EXCLUDED, excluded);
      closedir (dir);
      return;
    }

  path_length = walk->path->len;
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);
      unsigned char type = entry->type;

      if (g_cancellable_is_cancelled (walk->cancellable))
        break;

      if (path_length == 0 || walk->path->str[path_length - 1] != '/')
        g_string_append_c (walk->path, '/');
      g_string_append (walk->path, entry->name);

      if (type == DT_UNKNOWN)
        type = type_of_entry (dirfd (dir), entry->name);

      switch (type)
        {
        case DT_DIR:
          enter_folder (walk, dirfd (dir), entry->name, folder_name, depth);
          break;
        case DT_REG:
          scan_file (walk, dirfd (dir), entry->name, FALSE);
          break;
        case DT_LNK:
          check_symlink (walk);
          break;
        case DT_UNKNOWN:
          skip_errno (walk, errno);
          break;
        default:
          skip (walk, ASTRA_SCAN_SKIP_SPECIAL, _("Not a regular file (never opened)"));
          break;
        }

      g_string_truncate (walk->path, path_length);
    }

  closedir (dir);
}

/* }}} */
/* Roots {{{ */

static gboolean
check_roots (const char * const  *roots,
             GPtrArray           *canonical,
             GError             **error)
{
  for (guint i = 0; roots[i] != NULL; i++)
    {
      char *resolved = realpath (roots[i], NULL);

      if (resolved == NULL)
        {
          int saved_errno = errno;

          g_set_error (error, ASTRA_SCANNER_ERROR, ASTRA_SCANNER_ERROR_ROOT,
                       _("Cannot search “%s”: %s"), roots[i], g_strerror (saved_errno));
          return FALSE;
        }
      g_ptr_array_add (canonical, g_strdup (resolved));
      free (resolved);
    }
  return TRUE;
}

static gboolean
walk_root (Walk        *walk,
           const char  *root,
           GError     **error)
{
  g_autofree char *name = g_path_get_basename (root);
  struct stat st;
  FileId id;
  int fd;

  g_string_assign (walk->path, root);
  while (walk->path->len > 1 && walk->path->str[walk->path->len - 1] == '/')
    g_string_truncate (walk->path, walk->path->len - 1);

  if (stat (root, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ASTRA_SCANNER_ERROR, ASTRA_SCANNER_ERROR_ROOT,
                   _("Cannot search “%s”: %s"), root, g_strerror (saved_errno));
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode) && !S_ISREG (st.st_mode))
    {
      /* A FIFO given by name is not opened either: it could block forever. */
      g_set_error (error, ASTRA_SCANNER_ERROR, ASTRA_SCANNER_ERROR_ROOT,
                   _("Cannot search “%s”: not a folder or a regular file"), root);
      return FALSE;
    }

  if (S_ISREG (st.st_mode))
    {
      scan_file (walk, AT_FDCWD, root, TRUE);
      return TRUE;
    }

  id.dev = st.st_dev;
  id.ino = st.st_ino;
  if (g_hash_table_contains (walk->visited, &id))
    return TRUE;    /* given twice, or inside another root already searched */

  fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, ASTRA_SCANNER_ERROR, ASTRA_SCANNER_ERROR_ROOT,
                   _("Cannot search “%s”: %s"), root, g_strerror (saved_errno));
      return FALSE;
    }
  g_hash_table_add (walk->visited, g_memdup2 (&id, sizeof id));
  astra_scan_progress_set_folder (walk->progress, walk->path->str);
  walk_folder (walk, fd, name, 0);
  return TRUE;
}

/* }}} */
/* Private API {{{ */

void
astra_scan_progress_set_folder (AstraScanProgress *progress,
                                const char        *folder)
{
  g_mutex_lock (&progress->lock);
  g_free (progress->folder);
  progress->folder = g_strdup (folder);
  g_mutex_unlock (&progress->lock);
}

char *
astra_scan_progress_dup_folder (AstraScanProgress *progress)
{
  char *folder;

  g_mutex_lock (&progress->lock);
  folder = g_strdup (progress->folder);
  g_mutex_unlock (&progress->lock);
  return folder;
}

GPtrArray *
astra_scan_walk (const char * const  *roots,
                 AstraScanProgress   *progress,
                 GPtrArray           *skipped,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) astra_scan_job_free);
  g_autoptr(GPtrArray) canonical = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) visited = g_hash_table_new_full (file_id_hash, file_id_equal, g_free, NULL);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  gboolean ok = TRUE;
  Walk walk = {
    .cancellable = cancellable,
    .progress = progress,
    .jobs = jobs,
    .canonical_roots = canonical,
    .visited = visited,
    .keyrings = file_id_of_path (keyrings),
    .cache = file_id_of_path (g_get_user_cache_dir ()),
    .path = path,
  };

  if (!check_roots (roots, canonical, error))
    return NULL;

  walk.readers = astra_scan_readers_new (progress, cancellable);
  for (guint i = 0; ok && roots[i] != NULL; i++)
    ok = walk_root (&walk, roots[i], error);
  astra_scan_readers_finish (walk.readers);

  if (!ok)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  for (guint i = 0; i < jobs->len; i++)
    {
      AstraScanJob *job = g_ptr_array_index (jobs, i);

      if (job->skip != NULL)
        g_ptr_array_add (skipped, g_steal_pointer (&job->skip));
      for (guint j = 0; job->findings != NULL && j < job->findings->len; j++)
        g_ptr_array_add (findings, g_object_ref (g_ptr_array_index (job->findings, j)));
    }

  return g_steal_pointer (&findings);
}

/* }}} */

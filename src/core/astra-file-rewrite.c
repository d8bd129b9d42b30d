/* astra-file-rewrite.c: one value of a file replaced, atomically (astra-file-rewrite.h)
 *
 * POSIX calls rather than GFile: the checks (fstat of the very descriptor that is read),
 * the mode of the temporary file before any byte goes in, fsync of file and folder, and
 * rename(2) over the original are what make it safe, and GIO hides some of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-file-rewrite"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "astra-file-rewrite.h"

G_DEFINE_QUARK (astra-file-rewrite-error-quark, astra_file_rewrite_error)

/* Helpers {{{ */

static gint64
mtime_usec (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_USEC_PER_SEC + st->st_mtim.tv_nsec / 1000;
}

static gboolean
set_changed (const char  *path,
             GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, ASTRA_FILE_REWRITE_ERROR, ASTRA_FILE_REWRITE_ERROR_CHANGED,
               _("“%s” changed since it was searched; search it again"), display);
  return FALSE;
}

static gboolean
set_failed (const char  *path,
            const char  *what,
            int          saved_errno,
            GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  /* Translators: "Could not write “FILE”: REASON"; the first %s is one of the verbs below. */
  g_set_error (error, ASTRA_FILE_REWRITE_ERROR, ASTRA_FILE_REWRITE_ERROR_FAILED,
               _("Could not %s “%s”: %s"), what, display, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

/* The whole file, checked against the scan; (transfer full), wiped by the caller. */
static char *
read_checked (const char           *path,
              const AstraFileSpan  *span,
              struct stat          *st,
              GError              **error)
{
  g_autofree char *data = NULL;
  gsize filled = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT || saved_errno == ELOOP)
        set_changed (path, error);
      else
        set_failed (path, _("read"), saved_errno, error);
      return NULL;
    }

  if (fstat (fd, st) != 0 || !S_ISREG (st->st_mode) ||
      (guint64) st->st_size != span->file_size || mtime_usec (st) != span->file_mtime ||
      span->value_offset + span->value_length > span->file_size)
    {
      close (fd);
      set_changed (path, error);
      return NULL;
    }

  data = g_malloc (span->file_size + 1);
  while (filled < span->file_size)
    {
      ssize_t n = read (fd, data + filled, span->file_size - filled);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      filled += n;
    }
  close (fd);

  if (filled != span->file_size)
    {
      explicit_bzero (data, span->file_size);
      set_changed (path, error);
      return NULL;
    }
  data[filled] = '\0';

  return g_steal_pointer (&data);
}

/* Writes @parts to a temporary file beside @path with @st's mode (and owner, when allowed),
 * flushed to disk; → its path (transfer full) or NULL. */
static char *
write_temporary (const char         *path,
                 const struct stat  *st,
                 const char * const *parts,
                 const gsize        *lengths,
                 GError            **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *template = g_strdup_printf ("%s/.%s.astra-XXXXXX", folder, name);
  gboolean ok = TRUE;
  int fd;

  /* Created 0600, so no other user can read it before fchmod () gives the original mode. */
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_failed (path, _("write"), errno, error);
      return NULL;
    }

  /* The owner only matters when root rewrites someone's file; otherwise it is ours already. */
  if (fchown (fd, st->st_uid, st->st_gid) != 0 && errno != EPERM)
    ok = FALSE;
  ok = ok && fchmod (fd, st->st_mode & 07777) == 0;
  for (guint i = 0; ok && parts[i] != NULL; i++)
    ok = write_all (fd, parts[i], lengths[i]);
  ok = ok && fsync (fd) == 0;

  if (!ok)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (template);
      set_failed (path, _("write"), saved_errno, error);
      return NULL;
    }

  if (close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (template);
      set_failed (path, _("write"), saved_errno, error);
      return NULL;
    }

  return g_steal_pointer (&template);
}

static void
sync_folder (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  int fd = g_open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  /* The rename is only durable once the folder is; failing here loses no data. */
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* }}} */
/* Public API {{{ */

/**
 * astra_file_rewrite_value:
 *
 * Replaces the value at @span in @path by @replacement, keeping every other byte and the
 * file's mode. Errors: ASTRA_FILE_REWRITE_ERROR_CHANGED when the file is not as scanned
 * (the caller rescans), ASTRA_FILE_REWRITE_ERROR_FAILED when it cannot be read or written.
 */
gboolean
astra_file_rewrite_value (const char           *path,
                          const AstraFileSpan  *span,
                          const char           *expected_value,
                          const char           *replacement,
                          GError              **error)
{
  g_autoptr(AstraSecretString) data = NULL;
  g_autofree char *temporary = NULL;
  struct stat st;
  struct stat now;
  const char *parts[4];
  gsize lengths[3];

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (span != NULL, FALSE);
  g_return_val_if_fail (expected_value != NULL, FALSE);
  g_return_val_if_fail (replacement != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (strlen (expected_value) != span->value_length)
    return set_changed (path, error);

  data = read_checked (path, span, &st, error);
  if (data == NULL)
    return FALSE;

  if (memcmp (data + span->value_offset, expected_value, span->value_length) != 0)
    {
      /* astra_secret_free wipes only up to the first NUL; the file may hold several. */
      explicit_bzero (data, span->file_size);
      return set_changed (path, error);
    }

  parts[0] = data;
  lengths[0] = span->value_offset;
  parts[1] = replacement;
  lengths[1] = strlen (replacement);
  parts[2] = data + span->value_offset + span->value_length;
  lengths[2] = span->file_size - span->value_offset - span->value_length;
  parts[3] = NULL;

  temporary = write_temporary (path, &st, parts, lengths, error);
  explicit_bzero (data, span->file_size);
  if (temporary == NULL)
    return FALSE;

  /* A last look: someone may have written the file while we read it. */
  if (lstat (path, &now) != 0 || now.st_ino != st.st_ino || now.st_size != st.st_size ||
      mtime_usec (&now) != mtime_usec (&st))
    {
      g_unlink (temporary);
      return set_changed (path, error);
    }

  if (g_rename (temporary, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (temporary);
      return set_failed (path, _("replace"), saved_errno, error);
    }

  sync_folder (path);
  g_debug ("Replaced %" G_GUINT64_FORMAT " bytes at offset %" G_GUINT64_FORMAT " of a file",
           span->value_length, span->value_offset);

  return TRUE;
}

typedef struct
{
  char          *path;
  AstraFileSpan  span;
  char          *expected_value;   /* a secret: wiped */
  char          *replacement;
} RewriteData;

static void
rewrite_data_free (RewriteData *data)
{
  g_free (data->path);
  astra_secret_free (data->expected_value);
  g_free (data->replacement);
  g_free (data);
}

static void
rewrite_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RewriteData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (astra_file_rewrite_value (data->path, &data->span, data->expected_value,
                                data->replacement, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
astra_file_rewrite_finding_async (AstraScanFinding     *finding,
                                  const char           *expected_value,
                                  const char           *replacement,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  RewriteData *data;

  g_return_if_fail (ASTRA_IS_SCAN_FINDING (finding));
  g_return_if_fail (expected_value != NULL);
  g_return_if_fail (replacement != NULL);

  data = g_new0 (RewriteData, 1);
  data->path = g_strdup (astra_scan_finding_get_path (finding));
  data->span.file_size = astra_scan_finding_get_file_size (finding);
  data->span.file_mtime = astra_scan_finding_get_file_mtime (finding);
  data->span.value_offset = astra_scan_finding_get_value_offset (finding);
  data->span.value_length = astra_scan_finding_get_value_length (finding);
  data->expected_value = g_strdup (expected_value);
  data->replacement = g_strdup (replacement);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_file_rewrite_finding_async);
  g_task_set_task_data (task, data, (GDestroyNotify) rewrite_data_free);
  g_task_run_in_thread (task, rewrite_thread);
}

gboolean
astra_file_rewrite_finding_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */

/* astra-scan-finding-secret.c: the one way a found secret leaves its file
 *
 * The finding keeps no secret (astra-scan-finding.h says why); when the findings page
 * moves one into the keyring, the file is checked and read again here, and the value is
 * taken only if it is still where, and what, the scan saw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "astra-scan-private.h"
#include "astra-token-format.h"

typedef struct
{
  char *token;
  char *client_secret;
} Secrets;

/* Helpers {{{ */

static void
secrets_free (Secrets *secrets)
{
  g_clear_pointer (&secrets->token, astra_secret_free);
  g_clear_pointer (&secrets->client_secret, astra_secret_free);
  g_free (secrets);
}

static gboolean
check_stat (AstraScanFinding   *self,
            const struct stat  *st,
            GError            **error)
{
  if (!S_ISREG (st->st_mode) ||
      (guint64) st->st_size != astra_scan_finding_get_file_size (self) ||
      (gint64) st->st_mtim.tv_sec * G_USEC_PER_SEC + st->st_mtim.tv_nsec / 1000 !=
        astra_scan_finding_get_file_mtime (self))
    {
      g_set_error (error, ASTRA_SCAN_FINDING_ERROR, ASTRA_SCAN_FINDING_ERROR_CHANGED,
                   _("“%s” changed since it was searched; search it again"),
                   astra_scan_finding_get_path (self));
      return FALSE;
    }
  return TRUE;
}

static void
set_unreadable (AstraScanFinding  *self,
                int                saved_errno,
                GError           **error)
{
  g_set_error (error, ASTRA_SCAN_FINDING_ERROR, ASTRA_SCAN_FINDING_ERROR_UNREADABLE,
               _("Cannot read “%s”: %s"), astra_scan_finding_get_path (self),
               g_strerror (saved_errno));
}

static void
set_changed (AstraScanFinding  *self,
             GError           **error)
{
  g_set_error (error, ASTRA_SCAN_FINDING_ERROR, ASTRA_SCAN_FINDING_ERROR_CHANGED,
               _("“%s” changed since it was searched; search it again"),
               astra_scan_finding_get_path (self));
}

/* Reads the whole file (checked against the scan's size and mtime); (transfer full), to be
 * wiped by the caller. */
static char *
read_checked (AstraScanFinding  *self,
              gsize             *length,
              GError           **error)
{
  struct stat st;
  char *data;
  gsize filled = 0;
  int fd;

  fd = open (astra_scan_finding_get_path (self),
             O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      set_unreadable (self, errno, error);
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !check_stat (self, &st, error))
    {
      if (error != NULL && *error == NULL)
        set_unreadable (self, errno, error);
      close (fd);
      return NULL;
    }

  data = g_malloc (st.st_size + 1);
  while (filled < (gsize) st.st_size)
    {
      ssize_t n = read (fd, data + filled, st.st_size - filled);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      filled += n;
    }
  close (fd);

  if (filled != (gsize) st.st_size)
    {
      astra_scan_wipe (data, filled);
      g_free (data);
      set_changed (self, error);
      return NULL;
    }
  *length = filled;
  return data;
}

static gboolean
extract (AstraScanFinding  *self,
         const char        *data,
         gsize              length,
         Secrets           *secrets)
{
  const char *client_id = astra_scan_finding_get_client_id (self);
  guint64 offset = astra_scan_finding_get_value_offset (self);
  const char *end = data + length;

  if (astra_scan_finding_get_kind (self) == ASTRA_SCAN_KIND_PORTAL_CSV_SECRET)
    {
      guint64 row_offset = astra_scan_finding_get_row_offset (self);
      g_autofree char *row_client_id = NULL;
      AstraScanPortalRow row;

      if (row_offset >= length || astra_scan_portal_row_parse (data + row_offset, end, &row) == NULL)
        return FALSE;
      row_client_id = astra_scan_portal_row_dup_field (&row, 0);
      if (!g_str_equal (row_client_id, client_id) || (guint64) (row.start[1] - data) != offset)
        return FALSE;

      secrets->client_secret = astra_scan_portal_row_dup_field (&row, 1);
      secrets->token = astra_scan_portal_row_dup_field (&row, 3);
      if (!astra_token_format_validate (secrets->token, NULL))
        g_clear_pointer (&secrets->token, astra_secret_free);
      return TRUE;
    }

  if (offset + ASTRA_TOKEN_LENGTH > length || !astra_scan_token_at (data, data + offset, end) ||
      strncmp (data + offset + ASTRA_SCAN_NEEDLE_LEN, client_id, ASTRA_TOKEN_CLIENT_ID_LEN) != 0)
    return FALSE;

  secrets->token = g_strndup (data + offset, ASTRA_TOKEN_LENGTH);
  return TRUE;
}

static gboolean
load_secrets (AstraScanFinding  *self,
              GCancellable      *cancellable,
              Secrets           *secrets,
              GError           **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  gboolean found;

  if (!astra_scan_finding_check_unchanged (self, cancellable, error))
    return FALSE;

  data = read_checked (self, &length, error);
  if (data == NULL)
    return FALSE;

  found = extract (self, data, length, secrets);
  astra_scan_wipe (data, length);
  if (!found)
    {
      set_changed (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
load_secret_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Secrets *secrets = g_new0 (Secrets, 1);
  GError *error = NULL;

  if (load_secrets (source_object, cancellable, secrets, &error))
    g_task_return_pointer (task, secrets, (GDestroyNotify) secrets_free);
  else
    {
      secrets_free (secrets);
      g_task_return_error (task, error);
    }
}

/* }}} */
/* Public API {{{ */

gboolean
astra_scan_finding_check_unchanged (AstraScanFinding  *self,
                                    GCancellable      *cancellable,
                                    GError           **error)
{
  struct stat st;

  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (lstat (astra_scan_finding_get_path (self), &st) != 0)
    {
      set_unreadable (self, errno, error);
      return FALSE;
    }
  return check_stat (self, &st, error);
}

gboolean
astra_scan_finding_load_secret (AstraScanFinding  *self,
                                GCancellable      *cancellable,
                                char             **token,
                                char             **client_secret,
                                GError           **error)
{
  Secrets secrets = { NULL, NULL };

  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), FALSE);

  if (!load_secrets (self, cancellable, &secrets, error))
    return FALSE;

  if (token != NULL)
    *token = g_steal_pointer (&secrets.token);
  if (client_secret != NULL)
    *client_secret = g_steal_pointer (&secrets.client_secret);
  g_clear_pointer (&secrets.token, astra_secret_free);
  g_clear_pointer (&secrets.client_secret, astra_secret_free);
  return TRUE;
}

void
astra_scan_finding_load_secret_async (AstraScanFinding    *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASTRA_IS_SCAN_FINDING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_scan_finding_load_secret_async);
  g_task_set_name (task, "astra_scan_finding_load_secret_async");
  g_task_run_in_thread (task, load_secret_thread);
}

gboolean
astra_scan_finding_load_secret_finish (AstraScanFinding  *self,
                                       GAsyncResult      *result,
                                       char             **token,
                                       char             **client_secret,
                                       GError           **error)
{
  Secrets *secrets;

  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  secrets = g_task_propagate_pointer (G_TASK (result), error);
  if (secrets == NULL)
    return FALSE;

  if (token != NULL)
    *token = g_steal_pointer (&secrets->token);
  if (client_secret != NULL)
    *client_secret = g_steal_pointer (&secrets->client_secret);
  secrets_free (secrets);
  return TRUE;
}

/* }}} */

/* astra-csv.c: CSV files for teammates and audits (product.md "CSV export", astra-api.md §5)
 *
 * Choices, where the portal's own format is not known for sure:
 *   - RFC 4180: every field double-quoted, inner quotes doubled, records end with CRLF
 *     (also the last one). UTF-8 without a BOM; the reader accepts a BOM, CRLF and LF.
 *   - Portal format values are byte-exact. Inventory format cells that start with
 *     = + - @ TAB or CR get a leading apostrophe (OWASP CSV injection), since that file is
 *     meant to be opened in spreadsheets and holds no value that must round-trip.
 *   - Inventory dates are ISO-8601 in UTC ("2025-06-17T02:26:29Z"): unambiguous for an
 *     audit across time zones, and sortable as text.
 *
 * Files are written to a private (0600) temporary file next to the target, synced and
 * renamed over it, so readers see the old file or the complete new one, never a part,
 * and the temporary file is removed on any failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-csv"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "astra-csv.h"
#include "astra-generated-token.h"
#include "astra-token.h"

#define PORTAL_HEADER    "\"Client Id\",\"Client Secret\",\"Role\",\"Token\"\r\n"
#define INVENTORY_HEADER "\"Client Id\",\"Description\",\"Roles\",\"Generated On\",\"Expires\",\"In Keyring\"\r\n"
#define UTF8_BOM         "\xef\xbb\xbf"

static const char * const portal_columns[] = { "Client Id", "Client Secret", "Role", "Token" };

G_DEFINE_QUARK (astra-csv-error-quark, astra_csv_error)

/* ------------------------------------------------------------------------------------------ */
/* Writing                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
wipe_and_free (gpointer data)
{
  GString *string = data;

  explicit_bzero (string->str, string->allocated_len);
  g_string_free (string, TRUE);
}

/* Wraps @string without copying; the bytes are wiped when the last reference goes. */
static GBytes *
string_to_wiping_bytes (GString *string)
{
  return g_bytes_new_with_free_func (string->str, string->len, wipe_and_free, string);
}

static inline gboolean
is_formula_start (char c)
{
  /* NUL is on OWASP's list too, but a C string starting with NUL is empty. */
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static inline void
append_field (GString    *out,
              const char *value,
              gboolean    neutralize)
{
  const char *quote;

  g_string_append_c (out, '"');

  if (value != NULL)
    {
      if (neutralize && is_formula_start (value[0]))
        g_string_append_c (out, '\'');

      while ((quote = strchr (value, '"')) != NULL)
        {
          g_string_append_len (out, value, quote - value + 1);
          g_string_append_c (out, '"');
          value = quote + 1;
        }
      g_string_append (out, value);
    }

  g_string_append_c (out, '"');
}

static inline void
append_joined_field (GString            *out,
                     const char * const *values)
{
  /* Role names hold no quotes in practice, but a custom role name is user text. */
  g_string_append_c (out, '"');
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *value = values[i];
      const char *quote;

      if (i > 0)
        g_string_append_len (out, ", ", 2);

      while ((quote = strchr (value, '"')) != NULL)
        {
          g_string_append_len (out, value, quote - value + 1);
          g_string_append_c (out, '"');
          value = quote + 1;
        }
      g_string_append (out, value);
    }
  g_string_append_c (out, '"');
}

static void
append_date_field (GString   *out,
                   GDateTime *date_time,
                   const char *none)
{
  g_autoptr(GDateTime) utc = NULL;
  char buffer[32];
  int year, month, day;

  if (date_time == NULL)
    {
      append_field (out, none, TRUE);
      return;
    }

  if (g_date_time_get_utc_offset (date_time) != 0)
    date_time = utc = g_date_time_to_utc (date_time);

  g_date_time_get_ymd (date_time, &year, &month, &day);
  g_snprintf (buffer, sizeof buffer, "\"%04d-%02d-%02dT%02d:%02d:%02dZ\"",
              year, month, day,
              g_date_time_get_hour (date_time),
              g_date_time_get_minute (date_time),
              g_date_time_get_second (date_time));
  g_string_append (out, buffer);
}

/**
 * astra_csv_format_portal:
 * @tokens: a #GListModel of #AstraGeneratedToken
 *
 * Formats the tokens like the portal's GeneratedToken.csv: Client Id, Client Secret,
 * Role (role names joined with ", "; the role ids when names are unknown) and Token,
 * byte-exact. The returned bytes hold secrets and are wiped when freed.
 *
 * Returns: (transfer full): the file contents
 */
GBytes *
astra_csv_format_portal (GListModel *tokens)
{
  GString *out;
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (tokens), NULL);

  n_items = g_list_model_get_n_items (tokens);
  /* About 300 bytes a row: one allocation for the usual case. */
  out = g_string_sized_new (sizeof PORTAL_HEADER + (gsize) n_items * 320);
  g_string_append_len (out, PORTAL_HEADER, sizeof PORTAL_HEADER - 1);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(AstraGeneratedToken) token = g_list_model_get_item (tokens, i);
      const char * const *roles;

      if (!ASTRA_IS_GENERATED_TOKEN (token))
        {
          g_critical ("%s: item %u is not an AstraGeneratedToken", G_STRFUNC, i);
          continue;
        }

      roles = astra_generated_token_get_role_names (token);
      if (roles == NULL || roles[0] == NULL)
        roles = astra_generated_token_get_role_ids (token);

      append_field (out, astra_generated_token_get_client_id (token), FALSE);
      g_string_append_c (out, ',');
      append_field (out, astra_generated_token_get_secret (token), FALSE);
      g_string_append_c (out, ',');
      append_joined_field (out, roles);
      g_string_append_c (out, ',');
      append_field (out, astra_generated_token_get_token (token), FALSE);
      g_string_append_len (out, "\r\n", 2);
    }

  return string_to_wiping_bytes (out);
}

/**
 * astra_csv_format_inventory:
 * @tokens: a #GListModel of #AstraToken
 *
 * Formats an audit list without secrets: Client Id, Description, Roles, Generated On,
 * Expires ("Never" when the token does not expire), In Keyring ("yes"/"no"). Cells that
 * a spreadsheet would run as a formula get a leading apostrophe.
 *
 * Returns: (transfer full): the file contents
 */
GBytes *
astra_csv_format_inventory (GListModel *tokens)
{
  GString *out;
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (tokens), NULL);

  n_items = g_list_model_get_n_items (tokens);
  out = g_string_sized_new (sizeof INVENTORY_HEADER + (gsize) n_items * 160);
  g_string_append_len (out, INVENTORY_HEADER, sizeof INVENTORY_HEADER - 1);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

      if (!ASTRA_IS_TOKEN (token))
        {
          g_critical ("%s: item %u is not an AstraToken", G_STRFUNC, i);
          continue;
        }

      append_field (out, astra_token_get_client_id (token), TRUE);
      g_string_append_c (out, ',');
      append_field (out, astra_token_get_description (token), TRUE);
      g_string_append_c (out, ',');
      append_field (out, astra_token_get_roles_label (token), TRUE);
      g_string_append_c (out, ',');
      append_date_field (out, astra_token_get_generated_on (token), "");
      g_string_append_c (out, ',');
      append_date_field (out, astra_token_get_expires (token), "Never");
      g_string_append_c (out, ',');
      g_string_append (out, astra_token_get_in_keyring (token) ? "\"yes\"" : "\"no\"");
      g_string_append_len (out, "\r\n", 2);
    }

  /* No secrets here, but one code path for both formats keeps things simple. */
  return string_to_wiping_bytes (out);
}

/* ------------------------------------------------------------------------------------------ */
/* Atomic file writes                                                                         */
/* ------------------------------------------------------------------------------------------ */

static gboolean
set_write_error_from_errno (GError     **error,
                            int          saved_errno,
                            const char  *display_name)
{
  g_set_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_WRITE,
               _("Could not write “%s”: %s"), display_name, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          length,
           GCancellable  *cancellable,
           int           *saved_errno)
{
  while (length > 0)
    {
      gssize written;

      if (g_cancellable_is_cancelled (cancellable))
        {
          *saved_errno = ECANCELED;
          return FALSE;
        }

      written = write (fd, data, MIN (length, 1024 * 1024));
      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          *saved_errno = errno;
          return FALSE;
        }

      data += written;
      length -= written;
    }

  return TRUE;
}

static gboolean
write_local_file (const char    *path,
                  GBytes        *contents,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *display_name = g_filename_display_name (path);
  g_autofree char *dirname = g_path_get_dirname (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *tmp_path = NULL;
  g_autofree char *tmp_name = NULL;
  const guint8 *data;
  gsize length;
  int saved_errno = 0;
  int fd;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_WRITE,
                   _("Could not write “%s”: it is a folder"), display_name);
      return FALSE;
    }

  /* Next to the target, so that the rename is atomic (same file system). A dot name keeps
   * it out of file choosers for the moment it exists. */
  tmp_name = g_strdup_printf (".%s.XXXXXX", basename);
  tmp_path = g_build_filename (dirname, tmp_name, NULL);

  /* Created 0600 (before the umask, which can only take bits away): no other user can
   * open it between creation and rename. */
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_write_error_from_errno (error, errno, display_name);

  data = g_bytes_get_data (contents, &length);

  if (!write_all (fd, data, length, cancellable, &saved_errno) ||
      (fsync (fd) != 0 && (saved_errno = errno, TRUE)))
    {
      close (fd);
      g_unlink (tmp_path);

      if (saved_errno == ECANCELED)
        return !g_cancellable_set_error_if_cancelled (cancellable, error);

      return set_write_error_from_errno (error, saved_errno, display_name);
    }

  if (close (fd) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      return set_write_error_from_errno (error, saved_errno, display_name);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_unlink (tmp_path);
      return FALSE;
    }

  if (g_rename (tmp_path, path) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      return set_write_error_from_errno (error, saved_errno, display_name);
    }

  /* Make the rename itself durable; the file is complete either way, so a failure here
   * (some file systems refuse to sync a folder) is not reported. */
  fd = g_open (dirname, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }

  return TRUE;
}

static gboolean
write_with_gio (GFile         *file,
                GBytes        *contents,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = g_file_get_parse_name (file);
  gsize length;
  const guint8 *data = g_bytes_get_data (contents, &length);

  /* PRIVATE alone keeps an existing file's 0644; REPLACE_DESTINATION makes it 0600 too
   * (platform-notes.md §6). */
  if (!g_file_replace_contents (file, (const char *) data, length, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      g_set_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_WRITE,
                   _("Could not write “%s”: %s"), display_name, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * astra_csv_write_file:
 * @file: the destination; replaced if it exists
 * @contents: the bytes to write
 *
 * Writes atomically with mode 0600, also when replacing an existing file of another mode.
 * On failure the destination is untouched and no temporary file is left behind.
 * Blocks: call it from a thread (astra_csv_write_file_async()).
 *
 * Returns: %TRUE on success; %ASTRA_CSV_ERROR_WRITE or %G_IO_ERROR_CANCELLED otherwise
 */
gboolean
astra_csv_write_file (GFile         *file,
                      GBytes        *contents,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  path = g_file_get_path (file);
  if (path != NULL)
    return write_local_file (path, contents, cancellable, error);

  return write_with_gio (file, contents, cancellable, error);
}

static void
write_file_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;

  if (astra_csv_write_file (G_FILE (source_object), task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * astra_csv_write_file_async:
 *
 * astra_csv_write_file() in a worker thread. @contents is referenced until done.
 */
void
astra_csv_write_file_async (GFile               *file,
                            GBytes              *contents,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (contents != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_csv_write_file_async);
  g_task_set_task_data (task, g_bytes_ref (contents), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, write_file_thread);
}

gboolean
astra_csv_write_file_finish (GFile         *file,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, file), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_csv_write_file_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the portal format                                                                  */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  const char *p;
  const char *end;
  guint       line;   /* physical line of p, 1-based */
} Reader;

static void
wipe_field (gpointer data)
{
  wipe_and_free (data);
}

static gboolean
malformed (GError **error,
           guint    line,
           const char *reason)
{
  /* Translators: the first %u is a line number in a CSV file, the %s says what is wrong. */
  g_set_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_MALFORMED, _("Line %u: %s"), line, reason);
  return FALSE;
}

/* Consumes a record terminator (CRLF, LF or a lone CR) at r->p, if any. */
static gboolean
skip_newline (Reader *r)
{
  if (r->p < r->end && *r->p == '\r')
    {
      r->p++;
      if (r->p < r->end && *r->p == '\n')
        r->p++;
      r->line++;
      return TRUE;
    }

  if (r->p < r->end && *r->p == '\n')
    {
      r->p++;
      r->line++;
      return TRUE;
    }

  return FALSE;
}

/* Reads one record into @fields (GString *, wiped when freed). Blank lines are skipped.
 * Returns FALSE with no error at the end of the data. */
static gboolean
read_record (Reader     *r,
             GPtrArray  *fields,
             guint      *record_line,
             GError    **error)
{
  while (r->p < r->end && (*r->p == '\n' || *r->p == '\r'))
    skip_newline (r);

  if (r->p >= r->end)
    return FALSE;

  *record_line = r->line;

  for (;;)
    {
      GString *field = g_string_new (NULL);

      g_ptr_array_add (fields, field);

      if (r->p < r->end && *r->p == '"')
        {
          guint start_line = r->line;

          r->p++;
          for (;;)
            {
              const char *chunk = r->p;

              while (r->p < r->end && *r->p != '"')
                {
                  if (*r->p == '\n')
                    r->line++;
                  r->p++;
                }
              g_string_append_len (field, chunk, r->p - chunk);

              if (r->p >= r->end)
                return malformed (error, start_line,
                                  _("a quoted field is not closed (missing \")"));

              /* At a quote: doubled means a literal quote, single means the end. */
              if (r->p + 1 < r->end && r->p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  r->p += 2;
                  continue;
                }

              r->p++;
              break;
            }

          if (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n')
            return malformed (error, r->line, _("text after the closing quote of a field"));
        }
      else
        {
          const char *start = r->p;

          while (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n')
            {
              if (*r->p == '"')
                return malformed (error, r->line, _("a quote inside a field that is not quoted"));
              r->p++;
            }
          g_string_append_len (field, start, r->p - start);
        }

      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }

      skip_newline (r);
      return TRUE;
    }
}

static gboolean
is_portal_header (GPtrArray *fields)
{
  if (fields->len != G_N_ELEMENTS (portal_columns))
    return FALSE;

  for (guint i = 0; i < fields->len; i++)
    {
      GString *field = g_ptr_array_index (fields, i);
      g_autofree char *name = g_strstrip (g_strdup (field->str));

      if (g_ascii_strcasecmp (name, portal_columns[i]) != 0)
        return FALSE;
    }

  return TRUE;
}

static char **
split_roles (const char *roles)
{
  g_auto(GStrv) parts = NULL;
  GPtrArray *names;

  if (roles[0] == '\0')
    return g_new0 (char *, 1);

  parts = g_strsplit (roles, ", ", -1);
  names = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_ptr_array_add (names, g_strdup (parts[i]));
    }
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_free (names, FALSE);
}

static guint
line_of_offset (const char *data,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        line++;
    }

  return line;
}

/**
 * astra_csv_parse_portal:
 * @data: the file contents
 * @length: their length in bytes
 *
 * Reads a portal-format CSV (as written by astra_csv_format_portal() or the Astra
 * portal): an optional UTF-8 BOM, CRLF or LF line ends, quoted fields with doubled quotes
 * and embedded commas or line breaks. Values are kept byte-exact.
 *
 * Errors: %ASTRA_CSV_ERROR_EMPTY (nothing, or only the header),
 * %ASTRA_CSV_ERROR_HEADER (not the portal's columns), %ASTRA_CSV_ERROR_MALFORMED with the
 * line number and the reason (not UTF-8, unterminated quote, text after a closing quote,
 * wrong number of fields, empty client id or secret).
 *
 * Returns: (transfer full): a #GListModel of #AstraGeneratedToken
 */
GListModel *
astra_csv_parse_portal (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(GListStore) store = NULL;
  const char *invalid = NULL;
  Reader reader;
  guint record_line = 0;
  gboolean have_header = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* An empty GBytes has NULL data; pointer arithmetic on NULL is undefined even with 0. */
  if (data == NULL)
    data = "";

  if (length >= 3 && memcmp (data, UTF8_BOM, 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (!g_utf8_validate (data, length, &invalid))
    {
      g_set_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_MALFORMED, _("Line %u: %s"),
                   line_of_offset (data, invalid - data),
                   _("the file is not UTF-8 text"));
      return NULL;
    }

  reader.p = data;
  reader.end = data + length;
  reader.line = 1;

  store = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);

  for (;;)
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (wipe_field);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(AstraGeneratedToken) token = NULL;
      g_auto(GStrv) roles = NULL;
      GString *client_id, *secret, *role, *token_text;

      if (!read_record (&reader, fields, &record_line, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;
        }

      if (!have_header)
        {
          if (!is_portal_header (fields))
            {
              g_set_error (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_HEADER,
                           _("Line %u: this is not an Astra token file: the first line must be "
                             "\"Client Id\",\"Client Secret\",\"Role\",\"Token\""),
                           record_line);
              return NULL;
            }
          have_header = TRUE;
          continue;
        }

      if (fields->len != G_N_ELEMENTS (portal_columns))
        {
          g_autofree char *reason =
            g_strdup_printf (_("expected 4 fields, found %u"), fields->len);
          malformed (error, record_line, reason);
          return NULL;
        }

      client_id = g_ptr_array_index (fields, 0);
      secret = g_ptr_array_index (fields, 1);
      role = g_ptr_array_index (fields, 2);
      token_text = g_ptr_array_index (fields, 3);

      if (client_id->len == 0)
        {
          malformed (error, record_line, _("the client id is empty"));
          return NULL;
        }

      if (secret->len == 0)
        {
          malformed (error, record_line, _("the client secret is empty"));
          return NULL;
        }

      /* An empty token is composed from the client id and the secret (astra-api.md §4). */
      token = astra_generated_token_new (client_id->str, secret->str,
                                         token_text->len > 0 ? token_text->str : NULL);
      roles = split_roles (role->str);
      astra_generated_token_set_role_names (token, (const char * const *) roles);

      g_list_store_append (store, token);
    }

  if (!have_header)
    {
      g_set_error_literal (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_EMPTY, _("The file is empty"));
      return NULL;
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (store)) == 0)
    {
      g_set_error_literal (error, ASTRA_CSV_ERROR, ASTRA_CSV_ERROR_EMPTY,
                           _("The file holds no tokens, only the header line"));
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* astra-scan-analyse.c: turns the contents of one file that holds a token, or is a portal
 * CSV download, into findings
 *
 * The walk only asks "is there a token in here?", as fast as it can; only the few files
 * where the answer is yes are analysed, in memory and as a whole, so that line numbers and
 * the line around each token never depend on where a read block happened to end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* memmem (), memrchr (), explicit_bzero () */
#define _GNU_SOURCE

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-scan-private.h"
#include "astra-token-format.h"

typedef struct
{
  gsize start;
  gsize end;
} Span;

/* Helpers {{{ */

static guint
count_lines (const char *p,
             const char *end)
{
  guint lines = 0;

  while (p < end && (p = memchr (p, '\n', end - p)) != NULL)
    {
      lines++;
      p++;
    }
  return lines;
}

static char *
mask_token_at (const char *p)
{
  char token[ASTRA_TOKEN_LENGTH + 1];
  char *masked;

  memcpy (token, p, ASTRA_TOKEN_LENGTH);
  token[ASTRA_TOKEN_LENGTH] = '\0';
  masked = astra_token_format_mask (token);
  astra_scan_wipe (token, sizeof token);
  return masked;
}

/* A client secret alone is shown as its last four characters only: unlike a token's first
 * twelve (the prefix and the public client id), its first characters are all secret. */
static char *
mask_secret (const char *secret)
{
  gsize length = strlen (secret);

  return g_strdup_printf ("****%s", length > 16 ? secret + length - 4 : "");
}

/* The `[profile]` an .astrarc line belongs to: the last section header above it. */
static char *
dup_section (const char *data,
             const char *line_start)
{
  const char *p = line_start;

  while (p > data)
    {
      const char *line_end = p - 1;   /* the previous line's '\n' */
      const char *line = memrchr (data, '\n', line_end - data);
      const char *close;

      line = line != NULL ? line + 1 : data;
      while (line < line_end && (*line == ' ' || *line == '\t'))
        line++;
      if (line < line_end && *line == '[' &&
          (close = memchr (line, ']', line_end - line)) != NULL)
        return g_strndup (line + 1, close - line - 1);
      p = line;
      while (p > data && p[-1] != '\n')
        p--;
    }
  return NULL;
}

static AstraScanFinding *
new_row_finding (const char               *path,
                 const char               *data,
                 const char               *row_start,
                 guint                     line,
                 const AstraScanPortalRow *row,
                 guint64                   file_size,
                 gint64                    file_mtime)
{
  g_autofree char *client_id = astra_scan_portal_row_dup_field (row, 0);
  g_autofree char *roles = astra_scan_portal_row_dup_field (row, 2);
  g_autoptr(AstraSecretString) secret = astra_scan_portal_row_dup_field (row, 1);
  g_autoptr(AstraSecretString) token = astra_scan_portal_row_dup_field (row, 3);
  g_autofree char *masked = NULL;
  AstraScanFinding *finding;

  if (astra_token_format_validate (token, NULL))
    masked = astra_token_format_mask (token);
  else
    masked = mask_secret (secret);

  finding = astra_scan_finding_new (path, line, ASTRA_SCAN_KIND_PORTAL_CSV_SECRET, client_id,
                                    masked, row->start[1] - data, row->length[1],
                                    file_size, file_mtime);
  astra_scan_finding_set_row_offset (finding, row_start - data);
  if (roles[0] != '\0')
    astra_scan_finding_set_role_names (finding, g_strsplit (roles, ", ", -1));
  return finding;
}

/* Reports each row of a portal CSV that has a client id and a secret; @rows gets the
 * byte spans of the rows, whose Token column is not reported a second time. */
static void
analyse_portal_rows (const char *path,
                     const char *data,
                     gsize       length,
                     gsize       header,
                     guint64     file_size,
                     gint64      file_mtime,
                     GArray     *rows,
                     GPtrArray  *findings)
{
  const char *end = data + length;
  const char *p = data + header;
  guint line = 1 + count_lines (data, p);

  while (p < end)
    {
      AstraScanPortalRow row;
      const char *next = astra_scan_portal_row_parse (p, end, &row);

      if (next == NULL)
        {
          /* Not a record of four quoted fields: leave it to the token search. */
          const char *newline = memchr (p, '\n', end - p);
          next = newline != NULL ? newline + 1 : end;
        }
      else if (row.length[0] > 0 && row.length[1] > 0)
        {
          Span span = { p - data, next - data };

          g_ptr_array_add (findings, new_row_finding (path, data, p, line, &row,
                                                      file_size, file_mtime));
          g_array_append_val (rows, span);
        }
      line += count_lines (p, next);
      p = next;
    }
}

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  guint64 x = astra_scan_finding_get_value_offset (*(AstraScanFinding **) a);
  guint64 y = astra_scan_finding_get_value_offset (*(AstraScanFinding **) b);

  return x < y ? -1 : x > y;
}

/* }}} */
/* Private API {{{ */

void
astra_scan_analyse_contents (const char *path,
                             const char *data,
                             gsize       length,
                             guint64     file_size,
                             gint64      file_mtime,
                             GPtrArray  *findings)
{
  g_autofree char *basename = g_path_get_basename (path);
  AstraScanFileClass file_class = astra_scan_file_class_from_name (basename);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  const char *end = data + length;
  const char *counted = data;
  guint line = 1;
  guint next_row = 0;
  gsize header;

  header = astra_scan_portal_header_length (data, length);
  if (header > 0)
    analyse_portal_rows (path, data, length, header, file_size, file_mtime, rows, found);

  for (const char *p = data;
       p < end && (p = memmem (p, end - p, ASTRA_SCAN_NEEDLE, ASTRA_SCAN_NEEDLE_LEN)) != NULL;
       p++)
    {
      g_autofree char *client_id = NULL;
      g_autofree char *masked = NULL;
      g_autofree char *variable = NULL;
      const char *line_start;
      AstraScanFinding *finding;
      AstraScanKind kind;

      if (!astra_scan_token_at (data, p, end))
        continue;

      while (next_row < rows->len && g_array_index (rows, Span, next_row).end <= (gsize) (p - data))
        next_row++;
      if (next_row < rows->len && g_array_index (rows, Span, next_row).start <= (gsize) (p - data))
        continue;

      line += count_lines (counted, p);
      counted = p;

      line_start = memrchr (data, '\n', p - data);
      line_start = line_start != NULL ? line_start + 1 : data;
      kind = astra_scan_line_kind (file_class, line_start, p, &variable);

      client_id = g_strndup (p + ASTRA_SCAN_NEEDLE_LEN, ASTRA_TOKEN_CLIENT_ID_LEN);
      masked = mask_token_at (p);
      finding = astra_scan_finding_new (path, line, kind, client_id, masked, p - data,
                                        ASTRA_TOKEN_LENGTH, file_size, file_mtime);
      astra_scan_finding_set_variable (finding, variable);
      if (kind == ASTRA_SCAN_KIND_ASTRARC_PROFILE)
        {
          g_autofree char *section = dup_section (data, line_start);

          astra_scan_finding_set_section (finding, section);
        }
      g_ptr_array_add (found, finding);

      p += ASTRA_TOKEN_LENGTH - 1;
    }

  /* Portal rows and other tokens of one file, in the order of the file. */
  g_ptr_array_sort (found, compare_offsets);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (findings, g_object_ref (g_ptr_array_index (found, i)));
}

/* }}} */

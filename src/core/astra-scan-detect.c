/* astra-scan-detect.c: the byte-level rules of the scanner: the token shape, the kind of a
 * line, portal CSV rows
 *
 * Everything here works on bytes in memory and allocates only for what it reports, so the
 * walk (astra-scan-walk.c) and the re-read before a move into the keyring
 * (astra-scan-finding-secret.c) apply exactly the same rules.
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

#define PORTAL_HEADER "\"Client Id\",\"Client Secret\",\"Role\",\"Token\""
#define UTF8_BOM      "\xEF\xBB\xBF"
#define HASH_LEN      64

/* Helpers {{{ */

static inline gboolean
is_lower_hex (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static inline gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static inline gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '-';
}

static const char *
skip_blanks (const char *p,
             const char *end)
{
  while (p < end && is_blank (*p))
    p++;
  return p;
}

/* Parses `[export ]NAME[ ]=[ ]["']` from @p up to @value; TRUE when that is all there is
 * between the line start and the value. @spaced allows blanks around "=" (.env, .astrarc). */
static gboolean
parse_assignment (const char  *p,
                  const char  *value,
                  gboolean     spaced,
                  gboolean    *exported,
                  char       **variable)
{
  const char *name;

  p = skip_blanks (p, value);
  *exported = FALSE;
  if (value - p > 7 && memcmp (p, "export", 6) == 0 && is_blank (p[6]))
    {
      *exported = TRUE;
      p = skip_blanks (p + 7, value);
    }

  name = p;
  if (p >= value || !is_name_start (*p))
    return FALSE;
  while (p < value && is_name_char (*p))
    p++;
  *variable = g_strndup (name, p - name);

  if (spaced)
    p = skip_blanks (p, value);
  if (p >= value || *p != '=')
    goto fail;
  p++;
  if (spaced)
    p = skip_blanks (p, value);
  if (p < value && (*p == '"' || *p == '\''))
    p++;
  if (p == value)
    return TRUE;

fail:
  g_clear_pointer (variable, g_free);
  return FALSE;
}

static gboolean
has_suffix (const char *name,
            const char *suffix)
{
  return g_str_has_suffix (name, suffix) && strlen (name) > strlen (suffix);
}

/* }}} */
/* Private API {{{ */

AstraScanFileClass
astra_scan_file_class_from_name (const char *basename)
{
  static const char * const shell_files[] = {
    ".bashrc", ".bash_profile", ".bash_login", ".bash_aliases", ".profile", ".zshrc",
    ".zshenv", ".zprofile", ".zlogin", ".kshrc", ".mkshrc", ".envrc", "environment",
    NULL,
  };

  if (g_str_equal (basename, ".astrarc") || g_str_equal (basename, "astrarc"))
    return ASTRA_SCAN_FILE_ASTRARC;
  if (g_strv_contains (shell_files, basename) ||
      has_suffix (basename, ".sh") || has_suffix (basename, ".bash") ||
      has_suffix (basename, ".zsh"))
    return ASTRA_SCAN_FILE_SHELL;
  /* .env, .env.local, .env.production…; and prod.env */
  if (g_str_has_prefix (basename, ".env") || has_suffix (basename, ".env"))
    return ASTRA_SCAN_FILE_DOTENV;
  return ASTRA_SCAN_FILE_OTHER;
}

/* Whether the letter or digit before @p ends an escape (\n, \t, \r; %3A, %20…) rather
 * than a word: a token inside a JSON string or a URL is still a token. */
static gboolean
ends_escape (const char *start,
             const char *p)
{
  if (p - start >= 2 && p[-2] == '\\' && (p[-1] == 'n' || p[-1] == 't' || p[-1] == 'r'))
    return TRUE;
  if (p - start >= 3 && p[-3] == '%' && g_ascii_isxdigit (p[-2]) && g_ascii_isxdigit (p[-1]))
    return TRUE;
  return FALSE;
}

gboolean
astra_scan_token_at (const char *start,
                     const char *p,
                     const char *end)
{
  const char *client_id = p + ASTRA_SCAN_NEEDLE_LEN;
  const char *hash = client_id + ASTRA_TOKEN_CLIENT_ID_LEN + 1;

  if (end - p < ASTRA_TOKEN_LENGTH || memcmp (p, ASTRA_SCAN_NEEDLE, ASTRA_SCAN_NEEDLE_LEN) != 0)
    return FALSE;

  for (guint i = 0; i < ASTRA_TOKEN_CLIENT_ID_LEN; i++)
    if (!g_ascii_isalnum (client_id[i]))
      return FALSE;
  if (client_id[ASTRA_TOKEN_CLIENT_ID_LEN] != ':')
    return FALSE;
  for (guint i = 0; i < HASH_LEN; i++)
    if (!is_lower_hex (hash[i]))
      return FALSE;

  /* A longer run of letters or digits is some other string that contains this shape. */
  if (p + ASTRA_TOKEN_LENGTH < end && g_ascii_isalnum (p[ASTRA_TOKEN_LENGTH]))
    return FALSE;
  if (p > start && g_ascii_isalnum (p[-1]) && !ends_escape (start, p))
    return FALSE;

  return TRUE;
}

AstraScanKind
astra_scan_line_kind (AstraScanFileClass   file_class,
                      const char          *line,
                      const char          *value,
                      char               **variable)
{
  gboolean exported = FALSE;

  *variable = NULL;
  switch (file_class)
    {
    case ASTRA_SCAN_FILE_DOTENV:
      if (parse_assignment (line, value, TRUE, &exported, variable))
        return ASTRA_SCAN_KIND_DOTENV;
      break;

    case ASTRA_SCAN_FILE_SHELL:
      if (parse_assignment (line, value, FALSE, &exported, variable))
        {
          if (exported)
            return ASTRA_SCAN_KIND_SHELL_EXPORT;
          g_clear_pointer (variable, g_free);
        }
      break;

    case ASTRA_SCAN_FILE_ASTRARC:
      if (parse_assignment (line, value, TRUE, &exported, variable) && !exported)
        return ASTRA_SCAN_KIND_ASTRARC_PROFILE;
      g_clear_pointer (variable, g_free);
      break;

    case ASTRA_SCAN_FILE_OTHER:
    default:
      break;
    }

  return ASTRA_SCAN_KIND_TOKEN;
}

gsize
astra_scan_portal_header_length (const char *data,
                                 gsize       length)
{
  gsize header = 0;

  if (length >= 3 && memcmp (data, UTF8_BOM, 3) == 0)
    header = 3;
  if (length - header < strlen (PORTAL_HEADER) ||
      memcmp (data + header, PORTAL_HEADER, strlen (PORTAL_HEADER)) != 0)
    return 0;

  header += strlen (PORTAL_HEADER);
  if (header < length && data[header] == '\r')
    header++;
  if (header < length && data[header] == '\n')
    header++;
  else if (header < length)
    return 0;   /* more columns than the portal's: not its format */

  return header;
}

const char *
astra_scan_portal_row_parse (const char         *p,
                             const char         *end,
                             AstraScanPortalRow *row)
{
  memset (row, 0, sizeof *row);

  for (guint field = 0; field < 4; field++)
    {
      if (p >= end || *p != '"')
        return NULL;
      p++;
      row->start[field] = p;
      for (;;)
        {
          if (p >= end)
            return NULL;
          if (*p == '"')
            {
              if (p + 1 < end && p[1] == '"')
                {
                  row->escaped[field] = TRUE;
                  p += 2;
                  continue;
                }
              break;
            }
          p++;
        }
      row->length[field] = p - row->start[field];
      p++;
      if (field < 3)
        {
          if (p >= end || *p != ',')
            return NULL;
          p++;
        }
    }

  if (p < end && *p == '\r')
    p++;
  if (p < end && *p == '\n')
    p++;
  else if (p < end)
    return NULL;

  return p;
}

char *
astra_scan_portal_row_dup_field (const AstraScanPortalRow *row,
                                 guint                     field)
{
  const char *p = row->start[field];
  const char *end = p + row->length[field];
  char *value, *out;

  g_return_val_if_fail (field < 4, NULL);

  value = out = g_malloc (row->length[field] + 1);
  while (p < end)
    {
      *out++ = *p;
      p += (*p == '"' && row->escaped[field]) ? 2 : 1;
    }
  *out = '\0';
  return value;
}

void
astra_scan_wipe (void   *data,
                 gsize   length)
{
  if (data != NULL)
    explicit_bzero (data, length);
}

/* }}} */

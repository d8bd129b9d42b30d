/* astra-cli-env-file.c: the NAME=VALUE lines of a dotenv file, for `run --env-file`
 *
 * The syntax of python-dotenv and docker's env files, without variable expansion: blank
 * lines and # comments are skipped, an "export " prefix is allowed, and a value is bare
 * (up to a " #" comment, trimmed), 'single-quoted' (literally) or "double-quoted" (with
 * \" \\ \n \t \r \$ escapes). A line that is none of these is an error that names the file
 * and line, never the line's text: it may hold a secret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-cli.h"
#include "astra-types.h"

void
astra_cli_env_line_free (AstraCliEnvLine *line)
{
  g_free (line->name);
  astra_secret_free (line->value);
  g_free (line);
}

static const char *
skip_blanks (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* After a closing quote: nothing but blanks and a comment. */
static gboolean
is_line_end (const char *p)
{
  p = skip_blanks (p);
  return *p == '\0' || *p == '#';
}

static char *
parse_double_quoted (const char  *p,
                     const char **end)
{
  GString *value = g_string_new (NULL);

  for (; *p != '\0' && *p != '"'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          switch (*p)
            {
            case 'n': g_string_append_c (value, '\n'); break;
            case 't': g_string_append_c (value, '\t'); break;
            case 'r': g_string_append_c (value, '\r'); break;
            case '"': case '\\': case '$': case '`': g_string_append_c (value, *p); break;
            default: g_string_append_c (value, '\\'); g_string_append_c (value, *p); break;
            }
        }
      else
        g_string_append_c (value, *p);
    }

  *end = p;
  return g_string_free (value, FALSE);
}

/* The value starting at @p; (transfer full) or %NULL when a quote is not closed or text
 * follows it. */
static char *
parse_value (const char *p)
{
  const char *end;
  g_autofree char *value = NULL;

  if (*p == '\'')
    {
      end = strchr (p + 1, '\'');
      if (end == NULL || !is_line_end (end + 1))
        return NULL;
      return g_strndup (p + 1, end - p - 1);
    }

  if (*p == '"')
    {
      value = parse_double_quoted (p + 1, &end);
      if (*end != '"' || !is_line_end (end + 1))
        {
          astra_secret_wipe (value);
          return NULL;
        }
      return g_steal_pointer (&value);
    }

  /* Bare: a comment starts at a '#' after a blank (a '#' inside a value is the value's). */
  for (end = p; *end != '\0'; end++)
    if (*end == '#' && end > p && (end[-1] == ' ' || end[-1] == '\t'))
      break;
  while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  return g_strndup (p, end - p);
}

static gboolean
parse_line (const char       *text,
            AstraCliEnvLine **line)
{
  const char *p = skip_blanks (text);
  const char *name_start;
  g_autofree char *name = NULL;
  char *value;

  *line = NULL;
  if (*p == '\0' || *p == '#')
    return TRUE;

  if (g_str_has_prefix (p, "export") && (p[6] == ' ' || p[6] == '\t'))
    p = skip_blanks (p + 6);

  name_start = p;
  if (!g_ascii_isalpha (*p) && *p != '_')
    return FALSE;
  while (g_ascii_isalnum (*p) || *p == '_')
    p++;
  name = g_strndup (name_start, p - name_start);

  p = skip_blanks (p);
  if (*p != '=')
    return FALSE;
  value = parse_value (skip_blanks (p + 1));
  if (value == NULL)
    return FALSE;

  *line = g_new0 (AstraCliEnvLine, 1);
  (*line)->name = g_steal_pointer (&name);
  (*line)->value = value;
  return TRUE;
}

GPtrArray *
astra_cli_env_file_parse (const char  *contents,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) astra_cli_env_line_free);
  g_auto(GStrv) texts = g_strsplit (contents, "\n", -1);
  guint number = 0;

  for (char **text = texts; *text != NULL; text++)
    {
      gsize length = strlen (*text);
      AstraCliEnvLine *line;

      number++;
      if (length > 0 && (*text)[length - 1] == '\r')
        (*text)[length - 1] = '\0';

      if (!parse_line (*text, &line))
        {
          for (char **rest = texts; *rest != NULL; rest++)
            astra_secret_wipe (*rest);
          /* Translators: FILE:LINE; NAME=VALUE is dotenv syntax, not to be translated. */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s:%u: not a NAME=VALUE line (or a quote is not closed)"),
                       path, number);
          return NULL;
        }
      if (line != NULL)
        {
          line->line = number;
          g_ptr_array_add (lines, line);
        }
    }

  /* The file's text may hold secrets (values that are not references). */
  for (char **text = texts; *text != NULL; text++)
    astra_secret_wipe (*text);

  return g_steal_pointer (&lines);
}

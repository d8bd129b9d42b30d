/* astra-token-list.c: the token list body read in one pass, without a JSON tree
 *
 * json-glib 1.6 reads about 20 MB/s and then the tree has to be walked and freed again:
 * for 10,000 tokens (1.8 MB) that was three quarters of the time to list them. This reader
 * validates the body as it goes and only keeps the five members of each client it needs.
 *
 * It is deliberately strict RFC 8259 (json-glib also takes comments, single quotes, hex
 * numbers and a second document after the first): the API never sends those, and hostile
 * input should fail rather than be guessed at. Safety: every read is bounds-checked
 * against the end of the buffer, nesting is capped at ASTRA_JSON_MAX_DEPTH (so recursion
 * is too), strings must be valid UTF-8 without NUL, lone surrogates or raw control
 * characters, and nothing is kept from an input that fails.
 *
 * One unreadable client does not cost the whole list (issue 13): an element of "clients"
 * that is not an object, has no usable "clientId", or holds a string that is not valid
 * UTF-8 (anywhere inside it) is skipped and counted, as long as the body itself is JSON.
 * Its bytes never reach a token, so no invalid UTF-8 can reach the UI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-token-list"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-client.h"
#include "astra-json.h"
#include "astra-model-private.h"
#include "astra-token-array.h"
#include "astra-token-list.h"
#include "astra-token-list-private.h"
#include "astra-token-private.h"

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  guint       depth;
  GString    *scratch;   /* the last decoded string */
  GPtrArray  *roles;     /* the role ids of the client being read, reused */
  GError     *error;     /* the first syntax or depth error */
  gboolean    in_item;   /* reading an element of "clients" */
  gboolean    item_bad;  /* ...which holds a string that is not UTF-8 */
} Reader;

/* The members of a client that a token is made of. */
typedef enum
{
  FIELD_CLIENT_ID,
  FIELD_DESCRIPTION,
  FIELD_ROLES,
  FIELD_GENERATED_ON,
  FIELD_TOKEN_EXPIRY,
  N_FIELDS
} Field;

static const char * const field_names[N_FIELDS] = {
  "clientId", "description", "roles", "generatedOn", "tokenExpiry",
};

typedef enum
{
  KIND_MISSING,
  KIND_NULL,
  KIND_STRING,
  KIND_ARRAY,
  KIND_OTHER,
} Kind;

typedef enum
{
  MATCH_NONE,
  MATCH_CASELESS,
  MATCH_EXACT,
} Match;

typedef struct
{
  Match      match[N_FIELDS];
  Kind       kind[N_FIELDS];
  char      *text[N_FIELDS];    /* string members */
  char     **role_ids;          /* the string elements of "roles" */
} Client;

/* Reader {{{ */

G_GNUC_PRINTF (2, 3)
static gboolean
fail (Reader     *reader,
      const char *format,
      ...)
{
  g_autofree char *reason = NULL;
  guint line = 1, column = 1;
  va_list args;

  if (reader->error != NULL)
    return FALSE;

  for (const char *q = reader->start; q < reader->p; q++)
    {
      if (*q == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  reader->error = g_error_new (ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX,
                               _("The response is not valid JSON: %u:%u: %s"),
                               line, column, reason);
  return FALSE;
}

static gboolean
enter (Reader *reader)
{
  if (++reader->depth > ASTRA_JSON_MAX_DEPTH)
    {
      if (reader->error == NULL)
        reader->error = g_error_new_literal (ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_DEEP,
                                             _("The response is nested too deeply to be valid."));
      return FALSE;
    }
  return TRUE;
}

static inline void
skip_space (Reader *reader)
{
  while (reader->p < reader->end &&
         (*reader->p == ' ' || *reader->p == '\n' || *reader->p == '\r' || *reader->p == '\t'))
    reader->p++;
}

/* Skips spaces, then TRUE when the next byte is @c (not consumed). */
static inline gboolean
peek (Reader *reader,
      char    c)
{
  skip_space (reader);
  return reader->p < reader->end && *reader->p == c;
}

static gboolean
expect (Reader *reader,
        char    c)
{
  if (!peek (reader, c))
    return reader->p < reader->end
           ? fail (reader, _("expected “%c”"), c)
           : fail (reader, _("unexpected end of data, expected “%c”"), c);
  reader->p++;
  return TRUE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the four hex digits after "\u". */
static gboolean
read_hex4 (Reader   *reader,
           gunichar *value)
{
  *value = 0;
  if (reader->end - reader->p < 4)
    return fail (reader, _("truncated \\u escape"));

  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (reader->p[i]);

      if (digit < 0)
        return fail (reader, _("invalid \\u escape"));
      *value = (*value << 4) | (gunichar) digit;
    }
  reader->p += 4;
  return TRUE;
}

/* Appends the raw bytes [from, to) of a string after checking they are UTF-8. Runs are cut
 * only at ASCII bytes (quote, backslash), so a valid character is never split. Inside an
 * element of "clients" bad bytes only mark that element unreadable: the scan goes on (the
 * string's end is still found, every byte is >= 0x80 and so neither quote nor backslash). */
static gboolean
append_run (Reader     *reader,
            const char *from,
            const char *to,
            gboolean    keep)
{
  if (to == from)
    return TRUE;
  if (G_UNLIKELY (!g_utf8_validate_len (from, to - from, NULL)))
    {
      if (reader->in_item)
        {
          reader->item_bad = TRUE;
          return TRUE;
        }
      reader->p = from;
      return fail (reader, _("a string is not valid UTF-8"));
    }
  if (keep)
    g_string_append_len (reader->scratch, from, to - from);
  return TRUE;
}

/* Reads a string starting at its opening quote into reader->scratch (when @keep). */
static gboolean
read_string (Reader   *reader,
             gboolean  keep)
{
  const char *run;

  g_string_truncate (reader->scratch, 0);
  reader->p++;   /* the opening quote */
  run = reader->p;

  for (;;)
    {
      guchar c;

      if (reader->p >= reader->end)
        return fail (reader, _("unterminated string"));

      c = (guchar) *reader->p;
      if (c == '"')
        {
          if (!append_run (reader, run, reader->p, keep))
            return FALSE;
          reader->p++;
          return TRUE;
        }
      else if (c == '\\')
        {
          gunichar ch;

          if (!append_run (reader, run, reader->p, keep))
            return FALSE;
          reader->p++;
          if (reader->p >= reader->end)
            return fail (reader, _("unterminated string"));

          switch (*reader->p++)
            {
            case '"': ch = '"'; break;
            case '\\': ch = '\\'; break;
            case '/': ch = '/'; break;
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case 'u':
              if (!read_hex4 (reader, &ch))
                return FALSE;
              if (ch >= 0xDC00 && ch <= 0xDFFF)
                return fail (reader, _("unpaired surrogate in a \\u escape"));
              if (ch >= 0xD800 && ch <= 0xDBFF)
                {
                  gunichar low;

                  if (reader->end - reader->p < 2 || reader->p[0] != '\\' || reader->p[1] != 'u')
                    return fail (reader, _("unpaired surrogate in a \\u escape"));
                  reader->p += 2;
                  if (!read_hex4 (reader, &low))
                    return FALSE;
                  if (low < 0xDC00 || low > 0xDFFF)
                    return fail (reader, _("unpaired surrogate in a \\u escape"));
                  ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
                }
              if (ch == 0)
                return fail (reader, _("a string contains a NUL character"));
              break;
            default:
              reader->p--;
              return fail (reader, _("invalid escape in a string"));
            }

          if (keep)
            g_string_append_unichar (reader->scratch, ch);
          run = reader->p;
        }
      else if (c < 0x20)
        return fail (reader, _("control character in a string"));
      else
        reader->p++;
    }
}

static gboolean
skip_digits (Reader *reader)
{
  const char *first = reader->p;

  while (reader->p < reader->end && g_ascii_isdigit (*reader->p))
    reader->p++;
  return reader->p > first ? TRUE : fail (reader, _("invalid number"));
}

static gboolean
skip_number (Reader *reader)
{
  if (reader->p < reader->end && *reader->p == '-')
    reader->p++;
  if (reader->p < reader->end && *reader->p == '0')
    reader->p++;
  else if (!skip_digits (reader))
    return FALSE;

  if (reader->p < reader->end && *reader->p == '.')
    {
      reader->p++;
      if (!skip_digits (reader))
        return FALSE;
    }
  if (reader->p < reader->end && (*reader->p == 'e' || *reader->p == 'E'))
    {
      reader->p++;
      if (reader->p < reader->end && (*reader->p == '+' || *reader->p == '-'))
        reader->p++;
      if (!skip_digits (reader))
        return FALSE;
    }
  return TRUE;
}

static gboolean
skip_literal (Reader     *reader,
              const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (reader->end - reader->p) < length || memcmp (reader->p, word, length) != 0)
    return fail (reader, _("unexpected character"));
  reader->p += length;
  return TRUE;
}

static gboolean skip_value (Reader *reader);

/* Calls @member for each member of the object at reader->p ("{"), with the decoded name
 * in reader->scratch; @member reads the value. */
typedef gboolean (*MemberFunc) (Reader   *reader,
                                gpointer  user_data);

static gboolean
read_object (Reader     *reader,
             MemberFunc  member,
             gpointer    user_data)
{
  if (!enter (reader))
    return FALSE;
  reader->p++;   /* "{" */

  if (peek (reader, '}'))
    {
      reader->p++;
      reader->depth--;
      return TRUE;
    }

  for (;;)
    {
      if (!peek (reader, '"'))
        return reader->p < reader->end
               ? fail (reader, _("expected a member name"))
               : fail (reader, _("unexpected end of data"));
      if (!read_string (reader, TRUE) || !expect (reader, ':'))
        return FALSE;
      skip_space (reader);
      if (!member (reader, user_data))
        return FALSE;

      if (peek (reader, ','))
        {
          reader->p++;
          continue;
        }
      if (!expect (reader, '}'))
        return FALSE;
      reader->depth--;
      return TRUE;
    }
}

/* Calls @element for each element of the array at reader->p ("["). */
typedef gboolean (*ElementFunc) (Reader   *reader,
                                 guint     index,
                                 gpointer  user_data);

static gboolean
read_array (Reader      *reader,
            ElementFunc  element,
            gpointer     user_data)
{
  if (!enter (reader))
    return FALSE;
  reader->p++;   /* "[" */

  if (peek (reader, ']'))
    {
      reader->p++;
      reader->depth--;
      return TRUE;
    }

  for (guint i = 0;; i++)
    {
      skip_space (reader);
      if (reader->p >= reader->end)
        return fail (reader, _("unexpected end of data, expected a value"));
      if (!element (reader, i, user_data))
        return FALSE;

      if (peek (reader, ','))
        {
          reader->p++;
          continue;
        }
      if (!expect (reader, ']'))
        return FALSE;
      reader->depth--;
      return TRUE;
    }
}

static gboolean
skip_member (Reader   *reader,
             gpointer  user_data)
{
  return skip_value (reader);
}

static gboolean
skip_element (Reader   *reader,
              guint     index,
              gpointer  user_data)
{
  return skip_value (reader);
}

/* Skips the value at reader->p, checking its syntax. */
static gboolean
skip_value (Reader *reader)
{
  skip_space (reader);
  if (reader->p >= reader->end)
    return fail (reader, _("unexpected end of data, expected a value"));

  switch (*reader->p)
    {
    case '{':
      return read_object (reader, skip_member, NULL);
    case '[':
      return read_array (reader, skip_element, NULL);
    case '"':
      return read_string (reader, FALSE);
    case 't':
      return skip_literal (reader, "true");
    case 'f':
      return skip_literal (reader, "false");
    case 'n':
      return skip_literal (reader, "null");
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return skip_number (reader);
    default:
      return fail (reader, _("unexpected character, expected a value"));
    }
}

static gboolean
is_null (Reader *reader)
{
  return reader->end - reader->p >= 4 && memcmp (reader->p, "null", 4) == 0;
}

/* }}} */
/* Clients {{{ */

static void
client_clear (Client *client)
{
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&client->text[i], g_free);
  g_clear_pointer (&client->role_ids, g_strfreev);
}

/* Exact names win over names that differ in case (astra_json_object_get_member()); among
 * exact duplicates the last wins, as in json-glib; among the others the first. */
static gboolean
client_takes (Client *client,
              Field   field,
              Match   match)
{
  return match == MATCH_EXACT || client->match[field] == MATCH_NONE;
}

static gboolean
read_role (Reader   *reader,
           guint     index,
           gpointer  user_data)
{
  GPtrArray *roles = reader->roles;

  if (*reader->p != '"')
    return skip_value (reader);   /* non-strings are skipped, as astra_model_optional_strv */

  if (!read_string (reader, TRUE))
    return FALSE;
  g_ptr_array_add (roles, g_strndup (reader->scratch->str, reader->scratch->len));
  return TRUE;
}

static gboolean
read_client_member (Reader   *reader,
                    gpointer  user_data)
{
  Client *client = user_data;
  const char *name = reader->scratch->str;
  Match match = MATCH_NONE;
  guint field;

  for (field = 0; field < N_FIELDS; field++)
    {
      if (strcmp (name, field_names[field]) == 0)
        {
          match = MATCH_EXACT;
          break;
        }
      if (g_ascii_strcasecmp (name, field_names[field]) == 0)
        {
          match = MATCH_CASELESS;
          break;
        }
    }

  if (match == MATCH_NONE || !client_takes (client, field, match))
    return skip_value (reader);

  client->match[field] = match;
  g_clear_pointer (&client->text[field], g_free);
  if (field == FIELD_ROLES)
    g_clear_pointer (&client->role_ids, g_strfreev);

  if (field == FIELD_ROLES && reader->p < reader->end && *reader->p == '[')
    {
      GPtrArray *roles = reader->roles;
      gboolean ok;

      client->kind[field] = KIND_ARRAY;
      g_ptr_array_set_size (roles, 0);
      ok = read_array (reader, read_role, NULL);
      if (ok)
        {
          client->role_ids = g_new (char *, roles->len + 1);
          memcpy (client->role_ids, roles->pdata, roles->len * sizeof (char *));
          client->role_ids[roles->len] = NULL;
        }
      else
        g_ptr_array_foreach (roles, (GFunc) g_free, NULL);
      g_ptr_array_set_size (roles, 0);
      return ok;
    }
  if (field != FIELD_ROLES && reader->p < reader->end && *reader->p == '"')
    {
      if (!read_string (reader, TRUE))
        return FALSE;
      client->kind[field] = KIND_STRING;
      client->text[field] = g_strndup (reader->scratch->str, reader->scratch->len);
      return TRUE;
    }

  client->kind[field] = is_null (reader) ? KIND_NULL : KIND_OTHER;
  return skip_value (reader);
}

/* The same checks and messages as astra_model_require_string (). */
static GError *
client_id_error (Client *client)
{
  const char *name = field_names[FIELD_CLIENT_ID];

  switch (client->kind[FIELD_CLIENT_ID])
    {
    case KIND_STRING:
      return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                          _("The server sent %s with an empty “%s”."), _("a token"), name);
    case KIND_MISSING:
    case KIND_NULL:
      return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                          /* Translators: the first %s is a thing such as "a token", the
                           * second a JSON field name such as "clientId" */
                          _("The server sent %s without the required field “%s”."),
                          _("a token"), name);
    case KIND_ARRAY:
    case KIND_OTHER:
    default:
      return g_error_new (ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_BAD_RESPONSE,
                          _("The server sent %s whose “%s” is not a text value."),
                          _("a token"), name);
    }
}

static AstraToken *
client_to_token (Client  *client,
                 GError **error)
{
  char **role_ids;
  char *description;

  if (client->text[FIELD_CLIENT_ID] == NULL || client->text[FIELD_CLIENT_ID][0] == '\0')
    {
      g_propagate_error (error, client_id_error (client));
      return NULL;
    }

  role_ids = g_steal_pointer (&client->role_ids);
  if (role_ids == NULL)
    role_ids = g_new0 (char *, 1);

  description = g_steal_pointer (&client->text[FIELD_DESCRIPTION]);
  if (description == NULL)
    description = g_strdup ("");

  return astra_token_new_take (g_steal_pointer (&client->text[FIELD_CLIENT_ID]),
                               description,
                               role_ids,
                               astra_model_parse_timestamp (client->text[FIELD_GENERATED_ON]),
                               astra_model_parse_timestamp (client->text[FIELD_TOKEN_EXPIRY]));
}

/* The "clients" array: the tokens, and how many items could not be read. */
typedef struct
{
  GPtrArray *tokens;
  guint      n_unreadable;
} List;

static void
list_clear (List *list)
{
  g_clear_pointer (&list->tokens, g_ptr_array_unref);
  list->n_unreadable = 0;
}

static gboolean
read_client (Reader   *reader,
             guint     index,
             gpointer  user_data)
{
  List *list = user_data;
  Client client = { 0 };
  g_autoptr(GError) item_error = NULL;
  AstraToken *token = NULL;
  gboolean is_object = *reader->p == '{';
  gboolean ok;

  reader->in_item = TRUE;
  reader->item_bad = FALSE;
  ok = is_object ? read_object (reader, read_client_member, &client) : skip_value (reader);
  reader->in_item = FALSE;

  /* A syntax error fails the whole body, as before. */
  if (ok)
    {
      /* Only the index in the log: the item's text may be anything. */
      if (!is_object)
        g_debug ("Token list item %u is not an object: skipped", index + 1);
      else if (reader->item_bad)
        g_debug ("Token list item %u holds text that is not UTF-8: skipped", index + 1);
      else if ((token = client_to_token (&client, &item_error)) == NULL)
        g_debug ("Token list item %u: %s Skipped.", index + 1, item_error->message);

      if (token != NULL)
        g_ptr_array_add (list->tokens, token);
      else
        list->n_unreadable++;
    }
  client_clear (&client);
  return ok;
}

/* }}} */
/* Fragments, for the incremental reader {{{ */

static void
fragment_init (Reader     *reader,
               const char *data,
               gsize       length,
               guint       depth)
{
  reader->start = data;
  reader->p = data;
  reader->end = data + length;
  reader->depth = depth;
  reader->scratch = g_string_sized_new (128);
  reader->roles = g_ptr_array_sized_new (8);
}

/* Checks that nothing but spaces follows, frees the reader's buffers and passes on its
 * error. */
static gboolean
fragment_finish (Reader   *reader,
                 gboolean  ok,
                 GError  **error)
{
  if (ok)
    {
      skip_space (reader);
      if (reader->p < reader->end)
        ok = fail (reader, _("unexpected data after the end"));
    }
  g_string_free (reader->scratch, TRUE);
  g_ptr_array_unref (reader->roles);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&reader->error));
  return ok;
}

gboolean
astra_token_list_read_name (const char  *data,
                            gsize        length,
                            char       **name,
                            GError     **error)
{
  Reader reader = { 0 };
  gboolean ok;

  fragment_init (&reader, data, length, 0);
  ok = peek (&reader, '"') ? read_string (&reader, TRUE)
                           : fail (&reader, _("expected a member name"));
  if (ok)
    *name = g_strndup (reader.scratch->str, reader.scratch->len);
  return fragment_finish (&reader, ok, error);
}

gboolean
astra_token_list_check_value (const char  *data,
                              gsize        length,
                              guint        depth,
                              gboolean    *value_is_null,
                              GError     **error)
{
  Reader reader = { 0 };
  gboolean ok;

  fragment_init (&reader, data, length, depth);
  skip_space (&reader);
  *value_is_null = is_null (&reader);
  ok = skip_value (&reader);
  return fragment_finish (&reader, ok, error);
}

gboolean
astra_token_list_read_item (const char  *data,
                            gsize        length,
                            guint        depth,
                            guint        index,
                            AstraToken **token,
                            GError     **error)
{
  Reader reader = { 0 };
  List list = { g_ptr_array_new_with_free_func (g_object_unref), 0 };
  gboolean ok;

  *token = NULL;
  fragment_init (&reader, data, length, depth);
  skip_space (&reader);
  ok = reader.p < reader.end ? read_client (&reader, index, &list)
                             : fail (&reader, _("unexpected end of data, expected a value"));
  if (ok && list.tokens->len == 1)
    *token = g_object_ref (g_ptr_array_index (list.tokens, 0));
  list_clear (&list);
  return fragment_finish (&reader, ok, error);
}

/* }}} */
/* Root {{{ */

typedef struct
{
  Match match;
  Kind  kind;
  List  list;
} Root;

static gboolean
read_root_member (Reader   *reader,
                  gpointer  user_data)
{
  Root *root = user_data;
  const char *name = reader->scratch->str;
  Match match;

  if (strcmp (name, "clients") == 0)
    match = MATCH_EXACT;
  else if (g_ascii_strcasecmp (name, "clients") == 0)
    match = MATCH_CASELESS;
  else
    return skip_value (reader);

  if (match != MATCH_EXACT && root->match != MATCH_NONE)
    return skip_value (reader);

  root->match = match;
  list_clear (&root->list);
  if (reader->p < reader->end && *reader->p == '[')
    {
      root->kind = KIND_ARRAY;
      root->list.tokens = g_ptr_array_new_with_free_func (g_object_unref);
      return read_array (reader, read_client, &root->list);
    }

  root->kind = is_null (reader) ? KIND_NULL : KIND_OTHER;
  return skip_value (reader);
}

static gboolean
is_blank (const char *data,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

#define N_UNREADABLE_KEY "astra-token-list-n-unreadable"

void
astra_token_list_set_n_unreadable (GListModel *tokens,
                                   guint       n_unreadable)
{
  g_object_set_data (G_OBJECT (tokens), N_UNREADABLE_KEY, GUINT_TO_POINTER (n_unreadable));
}

guint
astra_token_list_get_n_unreadable (GListModel *tokens)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (tokens), 0);

  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (tokens), N_UNREADABLE_KEY));
}

GListModel *
astra_token_list_parse (const char  *data,
                        gsize        length,
                        guint       *n_unreadable,
                        GError     **error)
{
  g_autoptr(GString) scratch = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(AstraTokenArray) store = NULL;
  Reader reader = { 0 };
  Root root = { 0 };
  gboolean ok;

  if (n_unreadable != NULL)
    *n_unreadable = 0;

  /* The same order of checks, and messages, as astra_json_parse(). */
  if (data == NULL || length == 0 || is_blank (data, length))
    {
      g_set_error_literal (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_EMPTY,
                           _("The response was empty."));
      return NULL;
    }
  if (length > ASTRA_JSON_MAX_SIZE)
    {
      g_set_error (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_LARGE,
                   /* %lu, not G_GSIZE_FORMAT: xgettext cannot see through the macro */
                   _("The response is too large (%lu bytes)."), (unsigned long) length);
      return NULL;
    }

  scratch = g_string_sized_new (128);
  reader.start = data;
  reader.p = data;
  reader.end = data + length;
  reader.scratch = scratch;
  roles = g_ptr_array_sized_new (8);
  reader.roles = roles;

  /* json-glib skips a UTF-8 byte order mark; so do we. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    reader.p += 3;

  skip_space (&reader);
  if (reader.p < reader.end && *reader.p == '{')
    ok = read_object (&reader, read_root_member, &root);
  else
    ok = skip_value (&reader);

  if (ok)
    {
      skip_space (&reader);
      if (reader.p < reader.end)
        ok = fail (&reader, _("unexpected data after the end"));
    }

  if (!ok)
    {
      list_clear (&root.list);
      g_propagate_error (error, g_steal_pointer (&reader.error));
      return NULL;
    }

  if (root.kind == KIND_NULL)
    return G_LIST_MODEL (astra_token_array_new ());

  if (root.kind != KIND_ARRAY)
    {
      g_set_error_literal (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_UNEXPECTED,
                           _("The response is not a list of tokens."));
      return NULL;
    }

  store = astra_token_array_new ();
  astra_token_array_splice (store, 0, 0, (AstraToken **) root.list.tokens->pdata,
                            root.list.tokens->len);
  if (root.list.n_unreadable > 0)
    g_object_set_data (G_OBJECT (store), N_UNREADABLE_KEY,
                       GUINT_TO_POINTER (root.list.n_unreadable));
  if (n_unreadable != NULL)
    *n_unreadable = root.list.n_unreadable;
  list_clear (&root.list);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* }}} */

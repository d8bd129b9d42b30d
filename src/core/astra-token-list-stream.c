/* astra-token-list-stream.c: a token list too large to hold, read as it arrives
 *
 * The body is cut into pieces by a small lexical scanner that only follows strings and
 * brackets: the root object's member names and values, and each element of "clients".
 * Each piece, once complete, is read by the strict one-pass reader
 * (astra-token-list-private.h), which checks its syntax and builds the token; only then is
 * the piece dropped. The structure between pieces (braces, colons, commas) is checked
 * here, so a body this accepts is one astra_token_list_parse() would accept whole.
 *
 * Which member is the list follows astra_token_list_parse(): "clients" exactly, else the
 * first member whose name is "clients" in another ASCII case; null gives an empty list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-token-list"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-json.h"
#include "astra-token-list-private.h"
#include "astra-token-list-stream.h"
#include "astra-token.h"

typedef enum
{
  STATE_ROOT,           /* a byte order mark, spaces, then "{" */
  STATE_FIRST_MEMBER,   /* spaces, then a name or "}" */
  STATE_MEMBER,         /* after a comma: spaces, then a name */
  STATE_NAME,           /* inside a member name */
  STATE_COLON,
  STATE_VALUE_START,    /* spaces, then a member value */
  STATE_VALUE,          /* inside a member value other than the list */
  STATE_FIRST_ELEMENT,  /* after the list's "[": spaces, then an element or "]" */
  STATE_ELEMENT_START,  /* after a comma in the list: spaces, then an element */
  STATE_ELEMENT,        /* inside an element of the list */
  STATE_AFTER_ELEMENT,  /* spaces, then "," or "]" */
  STATE_AFTER_VALUE,    /* spaces, then "," or "}" */
  STATE_END,            /* spaces only */
} State;

typedef enum
{
  MATCH_NONE,
  MATCH_CASELESS,
  MATCH_EXACT,
} Match;

typedef enum
{
  KIND_MISSING,
  KIND_NULL,
  KIND_ARRAY,
  KIND_OTHER,
} Kind;

struct _AstraTokenListStream
{
  State       state;
  GError     *error;
  guint64     offset;        /* bytes fed so far */
  gboolean    any_data;      /* a byte other than a space or the byte order mark */
  guint       bom_length;    /* bytes of the byte order mark seen at the start */

  /* The piece being received and where its lexical scan stands. */
  GByteArray *piece;
  gboolean    in_string;
  gboolean    escaped;
  gboolean    scalar;        /* a number or literal: it ends before a delimiter */
  guint       nesting;

  /* The member whose value comes next. */
  gboolean    value_is_list; /* this member's value is the token list */
  Match       value_match;

  /* The list found so far, as astra_token_list_parse()'s Root. */
  Match       match;
  Kind        kind;
  GPtrArray  *tokens;
  guint       n_unreadable;
};

static const guchar byte_order_mark[] = { 0xEF, 0xBB, 0xBF };

AstraTokenListStream *
astra_token_list_stream_new (void)
{
  AstraTokenListStream *self = g_new0 (AstraTokenListStream, 1);

  self->piece = g_byte_array_new ();
  return self;
}

void
astra_token_list_stream_reset (AstraTokenListStream *self)
{
  GByteArray *piece = self->piece;

  g_clear_error (&self->error);
  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_byte_array_set_size (piece, 0);
  memset (self, 0, sizeof *self);
  self->piece = piece;
}

void
astra_token_list_stream_free (AstraTokenListStream *self)
{
  if (self == NULL)
    return;
  astra_token_list_stream_reset (self);
  g_byte_array_unref (self->piece);
  g_free (self);
}

G_GNUC_PRINTF (2, 3)
static gboolean
fail (AstraTokenListStream *self,
      const char           *format,
      ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  if (self->error != NULL)
    return FALSE;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  /* %lu, not G_GUINT64_FORMAT: xgettext cannot see through the macro */
  self->error = g_error_new (ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_SYNTAX,
                             _("The response is not valid JSON at byte %lu: %s"),
                             (unsigned long) self->offset, reason);
  return FALSE;
}

static gboolean
take_error (AstraTokenListStream *self,
            GError               *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  return FALSE;
}

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static void
begin_piece (AstraTokenListStream *self,
             char                  first)
{
  g_byte_array_set_size (self->piece, 0);
  self->in_string = FALSE;
  self->escaped = FALSE;
  self->nesting = 0;
  self->scalar = first != '"' && first != '{' && first != '[';
}

/* Appends bytes of the piece from @data until it is complete. → the number of bytes that
 * belong to the piece; @complete says whether it ended. */
static gsize
scan_piece (AstraTokenListStream *self,
            const char           *data,
            gsize                 length,
            gboolean             *complete)
{
  gsize i = 0;

  *complete = FALSE;
  for (; i < length; i++)
    {
      char c = data[i];

      if (self->piece->len + i == 0)
        {
          /* The first byte opens the piece. */
          if (c == '"')
            self->in_string = TRUE;
          else if (c == '{' || c == '[')
            self->nesting = 1;
          continue;
        }

      if (self->in_string)
        {
          if (self->escaped)
            self->escaped = FALSE;
          else if (c == '\\')
            self->escaped = TRUE;
          else if (c == '"')
            {
              self->in_string = FALSE;
              if (self->nesting == 0)
                {
                  *complete = TRUE;
                  i++;
                  break;
                }
            }
          continue;
        }

      if (self->scalar)
        {
          if (is_space (c) || c == ',' || c == ']' || c == '}')
            {
              *complete = TRUE;
              break;
            }
          continue;
        }

      if (c == '"')
        self->in_string = TRUE;
      else if (c == '{' || c == '[')
        self->nesting++;
      else if ((c == '}' || c == ']') && --self->nesting == 0)
        {
          *complete = TRUE;
          i++;
          break;
        }
    }

  if (self->piece->len + i > ASTRA_TOKEN_LIST_MAX_ITEM)
    {
      take_error (self, g_error_new (ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_LARGE,
                                     _("One part of the token list is larger than %d KiB, which is refused."),
                                     ASTRA_TOKEN_LIST_MAX_ITEM / 1024));
      return i;
    }
  g_byte_array_append (self->piece, (const guint8 *) data, i);
  return i;
}

static gboolean
piece_done_name (AstraTokenListStream *self)
{
  g_autofree char *name = NULL;
  GError *error = NULL;

  if (!astra_token_list_read_name ((const char *) self->piece->data, self->piece->len,
                                   &name, &error))
    return take_error (self, error);

  if (strcmp (name, "clients") == 0)
    self->value_match = MATCH_EXACT;
  else if (g_ascii_strcasecmp (name, "clients") == 0)
    self->value_match = MATCH_CASELESS;
  else
    self->value_match = MATCH_NONE;

  self->value_is_list = self->value_match == MATCH_EXACT ||
                        (self->value_match == MATCH_CASELESS && self->match == MATCH_NONE);
  if (self->value_is_list)
    {
      self->match = self->value_match;
      self->kind = KIND_MISSING;
      g_clear_pointer (&self->tokens, g_ptr_array_unref);
      self->n_unreadable = 0;
    }
  return TRUE;
}

static gboolean
piece_done_value (AstraTokenListStream *self)
{
  GError *error = NULL;
  gboolean value_is_null = FALSE;

  /* Inside the root object: one level deep, as the whole-body reader sees it. */
  if (!astra_token_list_check_value ((const char *) self->piece->data, self->piece->len, 1,
                                     &value_is_null, &error))
    return take_error (self, error);

  if (self->value_is_list)
    self->kind = value_is_null ? KIND_NULL : KIND_OTHER;
  return TRUE;
}

static gboolean
piece_done_element (AstraTokenListStream *self)
{
  g_autoptr(AstraToken) token = NULL;
  GError *error = NULL;
  guint index = self->tokens->len + self->n_unreadable;

  /* Inside the root object and the list. */
  if (!astra_token_list_read_item ((const char *) self->piece->data, self->piece->len, 2,
                                   index, &token, &error))
    return take_error (self, error);

  if (token == NULL)
    {
      self->n_unreadable++;
      return TRUE;
    }

  if (self->tokens->len >= ASTRA_TOKEN_LIST_MAX_TOKENS)
    return take_error (self, g_error_new (ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_TOO_LARGE,
                                          _("The token list holds more than %d tokens, which is refused."),
                                          ASTRA_TOKEN_LIST_MAX_TOKENS));
  g_ptr_array_add (self->tokens, g_steal_pointer (&token));
  return TRUE;
}

/* Continues a piece; when it completes, hands it to @done and moves to @next. */
static gsize
continue_piece (AstraTokenListStream *self,
                const char           *data,
                gsize                 length,
                gboolean            (*done) (AstraTokenListStream *),
                State                 next)
{
  gboolean complete;
  gsize used = scan_piece (self, data, length, &complete);

  if (self->error == NULL && complete && done (self))
    {
      self->state = next;
      g_byte_array_set_size (self->piece, 0);
    }
  return used;
}

gboolean
astra_token_list_stream_feed (AstraTokenListStream  *self,
                              const char            *data,
                              gsize                  length,
                              GError               **error)
{
  gsize i = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  while (i < length && self->error == NULL)
    {
      char c = data[i];
      gsize used = 1;

      switch (self->state)
        {
        case STATE_ROOT:
          /* A byte order mark only as the very first bytes, and only whole. */
          if (self->offset < G_N_ELEMENTS (byte_order_mark) && self->bom_length == self->offset &&
              (guchar) c == byte_order_mark[self->offset])
            {
              self->bom_length++;
              break;
            }
          if (self->bom_length > 0 && self->bom_length < G_N_ELEMENTS (byte_order_mark))
            {
              fail (self, _("unexpected character, expected a value"));
              break;
            }
          if (is_space (c))
            break;
          self->any_data = TRUE;
          if (c != '{')
            {
              self->error = g_error_new_literal (ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_UNEXPECTED,
                                                 _("The response is not a list of tokens."));
              break;
            }
          self->state = STATE_FIRST_MEMBER;
          break;

        case STATE_FIRST_MEMBER:
        case STATE_MEMBER:
          if (is_space (c))
            break;
          if (c == '}' && self->state == STATE_FIRST_MEMBER)
            {
              self->state = STATE_END;
              break;
            }
          if (c != '"')
            {
              fail (self, _("expected a member name"));
              break;
            }
          begin_piece (self, c);
          self->state = STATE_NAME;
          used = 0;
          break;

        case STATE_NAME:
          used = continue_piece (self, data + i, length - i, piece_done_name, STATE_COLON);
          break;

        case STATE_COLON:
          if (is_space (c))
            break;
          if (c != ':')
            fail (self, _("expected “%c”"), ':');
          else
            self->state = STATE_VALUE_START;
          break;

        case STATE_VALUE_START:
          if (is_space (c))
            break;
          if (self->value_is_list && c == '[')
            {
              self->kind = KIND_ARRAY;
              self->tokens = g_ptr_array_new_with_free_func (g_object_unref);
              self->state = STATE_FIRST_ELEMENT;
              break;
            }
          begin_piece (self, c);
          self->state = STATE_VALUE;
          used = 0;
          break;

        case STATE_VALUE:
          used = continue_piece (self, data + i, length - i, piece_done_value, STATE_AFTER_VALUE);
          break;

        case STATE_FIRST_ELEMENT:
        case STATE_ELEMENT_START:
          if (is_space (c))
            break;
          if (c == ']' && self->state == STATE_FIRST_ELEMENT)
            {
              self->state = STATE_AFTER_VALUE;
              break;
            }
          begin_piece (self, c);
          self->state = STATE_ELEMENT;
          used = 0;
          break;

        case STATE_ELEMENT:
          used = continue_piece (self, data + i, length - i, piece_done_element,
                                 STATE_AFTER_ELEMENT);
          break;

        case STATE_AFTER_ELEMENT:
          if (is_space (c))
            break;
          if (c == ',')
            self->state = STATE_ELEMENT_START;
          else if (c == ']')
            self->state = STATE_AFTER_VALUE;
          else
            fail (self, _("expected “%c”"), ']');
          break;

        case STATE_AFTER_VALUE:
          if (is_space (c))
            break;
          if (c == ',')
            self->state = STATE_MEMBER;
          else if (c == '}')
            self->state = STATE_END;
          else
            fail (self, _("expected “%c”"), '}');
          break;

        case STATE_END:
          if (!is_space (c))
            fail (self, _("unexpected data after the end"));
          break;

        default:
          g_assert_not_reached ();
        }

      i += used;
      self->offset += used;
    }

  if (self->error != NULL)
    {
      g_clear_pointer (&self->tokens, g_ptr_array_unref);
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

GListModel *
astra_token_list_stream_finish (AstraTokenListStream  *self,
                                guint                 *n_unreadable,
                                GError               **error)
{
  g_autoptr(GListStore) store = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (n_unreadable != NULL)
    *n_unreadable = 0;

  if (self->error == NULL && !self->any_data)
    self->error = g_error_new_literal (ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_EMPTY,
                                       _("The response was empty."));
  if (self->error == NULL && self->state != STATE_END)
    fail (self, _("unexpected end of data"));
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return NULL;
    }

  store = g_list_store_new (ASTRA_TYPE_TOKEN);
  if (self->kind == KIND_NULL)
    return G_LIST_MODEL (g_steal_pointer (&store));
  if (self->kind != KIND_ARRAY)
    {
      g_set_error_literal (error, ASTRA_JSON_ERROR, ASTRA_JSON_ERROR_UNEXPECTED,
                           _("The response is not a list of tokens."));
      return NULL;
    }

  g_list_store_splice (store, 0, 0, self->tokens->pdata, self->tokens->len);
  if (self->n_unreadable > 0)
    astra_token_list_set_n_unreadable (G_LIST_MODEL (store), self->n_unreadable);
  if (n_unreadable != NULL)
    *n_unreadable = self->n_unreadable;

  return G_LIST_MODEL (g_steal_pointer (&store));
}

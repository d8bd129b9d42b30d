/* astra-held-token.c: a generated token the keyring holds, without its secret
 *
 * The words of description, role names and organization are folded once, when the item
 * is read, into one string " word word …": a term matches when " term" occurs in it, so
 * a search over a thousand tokens is a thousand strstr() calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-held-index"

#include "config.h"

#include <string.h>

#include "astra-held-token.h"

struct _AstraHeldToken
{
  GObject  parent_instance;

  char    *id;
  char    *org_id;
  char    *client_id;
  char    *org_name;
  char    *description;
  char    *role_names;

  char    *folded_words;      /* " word word …", each word preceded by one space */
  char    *folded_client_id;
};

G_DEFINE_FINAL_TYPE (AstraHeldToken, astra_held_token, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------------------------ */
/* Folding                                                                                    */

static gboolean
is_mark (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Appends the words of @text to @out, each as " word": case folded, decomposed with
 * compatibility forms (so "ﬁ" is "fi" and "²" is "2") and without accents, so that "resume"
 * finds "Résumé". Anything but letters and digits separates words. */
static void
append_folded_words (GString    *out,
                     const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  gboolean in_word = FALSE;

  if (text == NULL || text[0] == '\0')
    return;

  folded = g_utf8_casefold (text, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)   /* not UTF-8: nothing to find in it */
    return;

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_mark (c))
        continue;
      if (!g_unichar_isalnum (c))
        {
          in_word = FALSE;
          continue;
        }
      if (!in_word)
        g_string_append_c (out, ' ');
      in_word = TRUE;
      g_string_append_unichar (out, c);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_held_token_finalize (GObject *object)
{
  AstraHeldToken *self = ASTRA_HELD_TOKEN (object);

  g_free (self->id);
  g_free (self->org_id);
  g_free (self->client_id);
  g_free (self->org_name);
  g_free (self->description);
  g_free (self->role_names);
  g_free (self->folded_words);
  g_free (self->folded_client_id);

  G_OBJECT_CLASS (astra_held_token_parent_class)->finalize (object);
}

static void
astra_held_token_class_init (AstraHeldTokenClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = astra_held_token_finalize;
}

static void
astra_held_token_init (AstraHeldToken *self)
{
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraHeldToken *
astra_held_token_new (const char *org_id,
                      const char *client_id,
                      const char *org_name,
                      const char *description,
                      const char *role_names)
{
  AstraHeldToken *self;
  GString *words = g_string_new (NULL);

  g_return_val_if_fail (org_id != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (ASTRA_TYPE_HELD_TOKEN, NULL);
  self->org_id = g_strdup (org_id);
  self->client_id = g_strdup (client_id);
  self->id = g_strconcat (org_id, "/", client_id, NULL);
  self->org_name = g_strdup (org_name != NULL ? org_name : "");
  self->description = g_strdup (description != NULL ? description : "");
  self->role_names = g_strdup (role_names != NULL ? role_names : "");

  append_folded_words (words, self->description);
  append_folded_words (words, self->role_names);
  append_folded_words (words, self->org_name);
  self->folded_words = g_string_free (words, FALSE);
  self->folded_client_id = g_utf8_casefold (client_id, -1);

  return self;
}

void
astra_held_token_parse_label (const char  *label,
                              const char  *client_id,
                              char       **role_names,
                              char       **org_name)
{
  static const char dash[] = "— ";
  static const char roles_end[] = ") — ";
  const char *after;
  const char *end;

  g_return_if_fail (role_names != NULL && org_name != NULL);

  *role_names = NULL;
  *org_name = NULL;
  if (label == NULL || client_id == NULL || client_id[0] == '\0' ||
      (after = strstr (label, client_id)) == NULL)
    return;

  after += strlen (client_id);
  while (*after == ' ')
    after++;

  /* "(ROLE NAMES) — ORG": role names may hold parentheses, the organization dashes. */
  if (after[0] == '(' && (end = strstr (after, roles_end)) != NULL)
    {
      *role_names = g_strndup (after + 1, end - after - 1);
      *org_name = g_strstrip (g_strdup (end + strlen (roles_end)));
    }
  else if (g_str_has_prefix (after, dash))
    *org_name = g_strstrip (g_strdup (after + strlen (dash)));
}

const char *
astra_held_token_get_id (AstraHeldToken *self)
{
  g_return_val_if_fail (ASTRA_IS_HELD_TOKEN (self), NULL);
  return self->id;
}

const char *
astra_held_token_get_org_id (AstraHeldToken *self)
{
  g_return_val_if_fail (ASTRA_IS_HELD_TOKEN (self), NULL);
  return self->org_id;
}

const char *
astra_held_token_get_client_id (AstraHeldToken *self)
{
  g_return_val_if_fail (ASTRA_IS_HELD_TOKEN (self), NULL);
  return self->client_id;
}

const char *
astra_held_token_get_org_name (AstraHeldToken *self)
{
  g_return_val_if_fail (ASTRA_IS_HELD_TOKEN (self), NULL);
  return self->org_name;
}

const char *
astra_held_token_get_description (AstraHeldToken *self)
{
  g_return_val_if_fail (ASTRA_IS_HELD_TOKEN (self), NULL);
  return self->description;
}

const char *
astra_held_token_get_role_names (AstraHeldToken *self)
{
  g_return_val_if_fail (ASTRA_IS_HELD_TOKEN (self), NULL);
  return self->role_names;
}

char **
astra_held_token_fold_terms (const char * const *terms)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; terms != NULL && terms[i] != NULL; i++)
    {
      g_autoptr(GString) words = g_string_new (NULL);
      g_auto(GStrv) split = NULL;

      /* "read-only" is two words to match, as it is two words in a role name. */
      append_folded_words (words, terms[i]);
      split = g_strsplit (words->str, " ", -1);
      for (guint j = 0; split[j] != NULL; j++)
        {
          g_autofree char *word = NULL;

          if (split[j][0] == '\0')
            continue;
          word = g_strconcat (" ", split[j], NULL);
          g_strv_builder_add (builder, word);
        }
    }

  return g_strv_builder_end (builder);
}

gboolean
astra_held_token_matches (AstraHeldToken     *self,
                          const char * const *folded_terms)
{
  g_return_val_if_fail (ASTRA_IS_HELD_TOKEN (self), FALSE);

  for (guint i = 0; folded_terms != NULL && folded_terms[i] != NULL; i++)
    {
      const char *term = folded_terms[i];

      if (strstr (self->folded_words, term) == NULL &&
          !g_str_has_prefix (self->folded_client_id, term + 1))
        return FALSE;
    }

  return TRUE;
}

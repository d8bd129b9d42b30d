/* test-held-token.c: matching search terms against held tokens, and reading old labels
 *
 * The rules GNOME Shell's search follows (astra-held-token.h): every term starts a word of
 * description, role names or organization, or starts the client id; case, accents and
 * compatibility forms do not matter; labels of items saved before the attributes existed
 * give role names and organization, whatever the parentheses and dashes inside them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-held-token.h"

static gboolean
matches (AstraHeldToken *token,
         const char     *first,
         ...)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new ();
  g_auto(GStrv) folded = NULL;
  va_list args;

  va_start (args, first);
  for (const char *term = first; term != NULL; term = va_arg (args, const char *))
    g_ptr_array_add (terms, (gpointer) term);
  va_end (args);
  g_ptr_array_add (terms, NULL);

  folded = astra_held_token_fold_terms ((const char * const *) terms->pdata);
  return astra_held_token_matches (token, (const char * const *) folded);
}

static void
test_match_words (void)
{
  g_autoptr(AstraHeldToken) token = astra_held_token_new ("org-1", "AbCdEfGhIjKlMnOpQrStUvWx",
                                                          "Ünïcorn Analytics",
                                                          "Résumé ﬁles, nightly-backup",
                                                          "R/W User, Database Administrator");

  g_assert_cmpstr (astra_held_token_get_id (token), ==, "org-1/AbCdEfGhIjKlMnOpQrStUvWx");

  /* Words of each field, from their start, in any case and without accents. */
  g_assert_true (matches (token, "resume", NULL));
  g_assert_true (matches (token, "RÉSUMÉ", NULL));
  g_assert_true (matches (token, "files", NULL));          /* the ligature is two letters */
  g_assert_true (matches (token, "backup", NULL));         /* "-" separates words */
  g_assert_true (matches (token, "nightly-back", NULL));   /* and is two words in a term */
  g_assert_true (matches (token, "admin", NULL));
  g_assert_true (matches (token, "w", NULL));
  g_assert_true (matches (token, "unicorn", "analytics", NULL));
  g_assert_false (matches (token, "ightly", NULL));        /* not inside a word */
  g_assert_false (matches (token, "unicorn", "grafana", NULL));

  /* The client id from its start, in any case; not inside it. */
  g_assert_true (matches (token, "abcdef", NULL));
  g_assert_true (matches (token, "ABCDEFGHIJKLMNOPQRSTUVWX", NULL));
  g_assert_false (matches (token, "cdef", NULL));

  /* No term at all matches everything; the index asks for at least one. */
  g_assert_true (matches (token, "", "  ", NULL));
}

static void
test_fold_terms (void)
{
  g_auto(GStrv) folded = astra_held_token_fold_terms ((const char * const []) {
                                                        "Read-Only", "", "ÉTÉ", NULL });

  g_assert_cmpuint (g_strv_length (folded), ==, 3);
  g_assert_cmpstr (folded[0], ==, " read");
  g_assert_cmpstr (folded[1], ==, " only");
  g_assert_cmpstr (folded[2], ==, " ete");
}

static void
test_parse_label (void)
{
  const struct {
    const char *label;
    const char *roles;
    const char *org;
  } cases[] = {
    { "Astra token CLIENTID (RO User, R/W User) — Acme", "RO User, R/W User", "Acme" },
    { "Astra token CLIENTID — Acme", NULL, "Acme" },
    /* Parentheses and dashes inside role names and org names. */
    { "Astra token CLIENTID (Billing (EU), RO User) — Acme — Europe", "Billing (EU), RO User",
      "Acme — Europe" },
    /* Another language's words around the same shape. */
    { "Astra-Token CLIENTID (RO User) — Beispiel GmbH", "RO User", "Beispiel GmbH" },
    /* Not this app's shape: nothing. */
    { "Something else entirely", NULL, NULL },
    { "Astra token OTHERID (RO User) — Acme", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *roles = NULL;
      g_autofree char *org = NULL;

      astra_held_token_parse_label (cases[i].label, "CLIENTID", &roles, &org);
      g_assert_cmpstr (roles, ==, cases[i].roles);
      g_assert_cmpstr (org, ==, cases[i].org);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/held-token/match-words", test_match_words);
  g_test_add_func ("/held-token/fold-terms", test_fold_terms);
  g_test_add_func ("/held-token/parse-label", test_parse_label);

  return g_test_run ();
}

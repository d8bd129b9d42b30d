/* test-reference.c: astra://ORG/CLIENT_ID/FIELD references
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-reference.h"

#define CLIENT_ID "AbCdEfGhIjKlMnOpQrStUvWx"

static void
test_round_trip (void)
{
  const char *orgs[] = { "f7e8d9c0-1b2a-4c3d-9e8f-0a1b2c3d4e5f", "R&D / EU 100%", "Zoë’s org", "a b" };

  for (guint i = 0; i < G_N_ELEMENTS (orgs); i++)
    for (AstraReferenceField f = ASTRA_REFERENCE_FIELD_TOKEN; f <= ASTRA_REFERENCE_FIELD_CLIENT_ID; f++)
      {
        g_autofree char *ref = astra_reference_format (orgs[i], CLIENT_ID, f);
        g_autofree char *org = NULL;
        g_autofree char *client_id = NULL;
        AstraReferenceField field = -1;
        g_autoptr(GError) error = NULL;

        g_assert_true (astra_reference_looks_like (ref));
        /* Exactly two separators after the scheme, and nothing a shell splits on. */
        g_assert_null (strpbrk (ref, " &'\"\\"));
        g_assert_true (astra_reference_parse (ref, &org, &client_id, &field, &error));
        g_assert_no_error (error);
        g_assert_cmpstr (org, ==, orgs[i]);
        g_assert_cmpstr (client_id, ==, CLIENT_ID);
        g_assert_cmpint (field, ==, f);
      }
}

static void
test_format (void)
{
  g_autofree char *ref = astra_reference_format ("my-org", CLIENT_ID, ASTRA_REFERENCE_FIELD_CLIENT_SECRET);

  g_assert_cmpstr (ref, ==, "astra://my-org/" CLIENT_ID "/client-secret");
}

static void
test_rejects (void)
{
  const struct { const char *text; int code; } cases[] = {
    { "", ASTRA_REFERENCE_ERROR_SYNTAX },
    { "AstraCS:abc", ASTRA_REFERENCE_ERROR_SYNTAX },
    { "op://vault/item/field", ASTRA_REFERENCE_ERROR_SYNTAX },
    { "astra://", ASTRA_REFERENCE_ERROR_SYNTAX },
    { "astra://org/" CLIENT_ID, ASTRA_REFERENCE_ERROR_SYNTAX },
    { "astra:///" CLIENT_ID "/token", ASTRA_REFERENCE_ERROR_SYNTAX },
    { "astra://org/" CLIENT_ID "/token/extra", ASTRA_REFERENCE_ERROR_SYNTAX },
    { "astra://a%2/" CLIENT_ID "/token", ASTRA_REFERENCE_ERROR_SYNTAX },
    { "astra://a%00b/" CLIENT_ID "/token", ASTRA_REFERENCE_ERROR_SYNTAX },
    { "astra://a%FF/" CLIENT_ID "/token", ASTRA_REFERENCE_ERROR_SYNTAX },
    { "astra://org/short/token", ASTRA_REFERENCE_ERROR_CLIENT_ID },
    { "astra://org/AbCdEfGhIjKlMnOpQrStUvW!/token", ASTRA_REFERENCE_ERROR_CLIENT_ID },
    { "astra://org/" CLIENT_ID "/secret", ASTRA_REFERENCE_ERROR_FIELD },
    { "astra://org/" CLIENT_ID "/", ASTRA_REFERENCE_ERROR_FIELD },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      char *org = (char *) "untouched";

      g_test_message ("%s", cases[i].text);
      g_assert_false (astra_reference_parse (cases[i].text, &org, NULL, NULL, &error));
      g_assert_error (error, ASTRA_REFERENCE_ERROR, cases[i].code);
      g_assert_cmpstr (org, ==, "untouched");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reference/format", test_format);
  g_test_add_func ("/reference/round-trip", test_round_trip);
  g_test_add_func ("/reference/rejects", test_rejects);
  return g_test_run ();
}

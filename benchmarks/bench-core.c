/* bench-core.c: the core's hot paths on 10,000 tokens
 *
 *   bench-core [--tokens N] [--rounds R]
 *
 * - parse: a GET /v2/clientIdSecrets body of N tokens, shaped like the simulator's bulk
 *   tokens (astra-api.md §2.7), through the client's own parse path,
 *   astra_token_list_parse(); parse-tree: the generic path it replaced (a json-glib tree,
 *   then astra_token_new_from_json() per element), for comparison.
 * - csv-inventory: astra_csv_format_inventory() of those N tokens (roles resolved to names)
 *   plus astra_csv_write_file() to a temporary file: the "export the list" action.
 * - csv-portal: astra_csv_format_portal() of N generated tokens with secrets plus the write.
 *
 * Each figure is the median of R rounds (default 11), in milliseconds of CLOCK_MONOTONIC,
 * printed as one line: "CORE tokens=N parse_ms=… parse_tree_ms=… csv_inventory_ms=…
 * csv_portal_ms=…".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "astra-csv.h"
#include "astra-generated-token.h"
#include "astra-json.h"
#include "astra-token.h"
#include "astra-token-list.h"

/* The built-in roles the simulator's bulk tokens cycle through. */
static const struct {
  const char *id;
  const char *name;
} roles[] = {
  { "5a1b4f27-0b3e-4e1f-9d7c-1c2b3a4d5e01", "RO Svc Acct" },
  { "5a1b4f27-0b3e-4e1f-9d7c-1c2b3a4d5e02", "R/W Svc Acct" },
  { "5a1b4f27-0b3e-4e1f-9d7c-1c2b3a4d5e03", "API RO User" },
  { "5a1b4f27-0b3e-4e1f-9d7c-1c2b3a4d5e04", "Database Administrator" },
  { "5a1b4f27-0b3e-4e1f-9d7c-1c2b3a4d5e05", "Admin User" },
};

static void
random_letters (GRand *rand,
                char  *out,
                guint  n)
{
  static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  for (guint i = 0; i < n; i++)
    out[i] = letters[g_rand_int_range (rand, 0, sizeof letters - 1)];
  out[n] = '\0';
}

/* Builds {"clients":[…]} the way the simulator answers for `astra-sim --tokens N`. */
static GString *
make_list_body (guint n_tokens)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  GString *body = g_string_sized_new ((gsize) n_tokens * 200);
  gint64 now = g_get_real_time ();

  g_string_append (body, "{\"clients\":[");
  for (guint i = 0; i < n_tokens; i++)
    {
      g_autoptr(GDateTime) generated = NULL;
      g_autofree char *generated_text = NULL;
      char client_id[25];

      random_letters (rand, client_id, 24);
      generated = g_date_time_new_from_unix_utc ((now / G_USEC_PER_SEC) - (gint64) (n_tokens - i) * 60);
      generated_text = g_date_time_format (generated, "%Y-%m-%dT%H:%M:%S.000Z");

      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append_printf (body,
                              "{\"clientId\":\"%s\",\"roles\":[\"%s\"],\"generatedOn\":\"%s\","
                              "\"description\":\"Bulk token %u\",\"tokenExpiry\":",
                              client_id, roles[i % G_N_ELEMENTS (roles)].id, generated_text,
                              i + 1);
      if (i % 3 == 0)
        {
          g_autoptr(GDateTime) expiry =
            g_date_time_add_days (generated, (int) (i % 365) + 1);
          g_autofree char *expiry_text = g_date_time_format (expiry, "%Y-%m-%dT%H:%M:%S.000Z");

          g_string_append_printf (body, "\"%s\"}", expiry_text);
        }
      else
        g_string_append (body, "null}");
    }
  g_string_append (body, "]}");

  return body;
}

/* The generic path: a json-glib tree, then astra_token_new_from_json() per element. The
 * client used it for every list until astra_token_list_parse(); kept for comparison. */
static GListModel *
parse_list_tree (const char *data,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GListStore *store;
  JsonArray *clients;
  guint n;

  root = astra_json_parse (data, length, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    g_error ("parse: %s", error ? error->message : "not an object");

  clients = astra_json_object_get_array (json_node_get_object (root), "clients");
  if (clients == NULL)
    g_error ("parse: no clients array");

  n = json_array_get_length (clients);
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (clients, i);
      AstraToken *token;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        g_error ("parse: element %u is not an object", i);
      token = astra_token_new_from_json (json_node_get_object (element), &error);
      if (token == NULL)
        g_error ("parse: %s", error->message);
      g_ptr_array_add (items, token);
    }

  store = g_list_store_new (ASTRA_TYPE_TOKEN);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);

  return G_LIST_MODEL (store);
}

/* The client's parse path for a token list body (astra_client_list_tokens_async). */
static GListModel *
parse_list (const char *data,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  GListModel *tokens = astra_token_list_parse (data, length, NULL, &error);

  if (tokens == NULL)
    g_error ("parse: %s", error->message);
  return tokens;
}

static GListModel *
make_generated_tokens (GListModel *tokens)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GListStore *store = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  guint n = g_list_model_get_n_items (tokens);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);
      g_autoptr(AstraGeneratedToken) generated = NULL;
      g_autofree char *token_text = NULL;
      g_autofree char *digest = NULL;
      char secret[129];

      /* Portal secrets are long and may hold commas and quotes: exercise the quoting. */
      random_letters (rand, secret, 128);
      secret[10] = ',';
      secret[20] = '"';
      secret[0] = (i % 2) ? '+' : '-';
      digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
      token_text = g_strdup_printf ("AstraCS:%s:%s", astra_token_get_client_id (token), digest);

      generated = astra_generated_token_new (astra_token_get_client_id (token), secret, token_text);
      astra_generated_token_set_description (generated, astra_token_get_description (token));
      astra_generated_token_set_role_ids (generated, astra_token_get_role_ids (token));
      astra_generated_token_set_role_names (generated, astra_token_get_role_names (token));
      astra_generated_token_set_generated_on (generated, astra_token_get_generated_on (token));
      astra_generated_token_set_expires (generated, astra_token_get_expires (token));
      g_list_store_append (store, generated);
    }

  return G_LIST_MODEL (store);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return (n % 2) ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
elapsed_ms (gint64 start_us)
{
  return (double) (g_get_monotonic_time () - start_us) / 1000.0;
}

static void
write_csv (GFile  *file,
           GBytes *contents)
{
  g_autoptr(GError) error = NULL;

  if (!astra_csv_write_file (file, contents, NULL, &error))
    g_error ("write: %s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GListModel) generated = NULL;
  g_autoptr(GHashTable) names_by_id = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  g_autofree double *parse_ms = NULL;
  g_autofree double *parse_tree_ms = NULL;
  g_autofree double *inventory_ms = NULL;
  g_autofree double *portal_ms = NULL;
  int n_tokens = 10000;
  int rounds = 11;
  GOptionEntry entries[] = {
    { "tokens", 0, 0, G_OPTION_ARG_INT, &n_tokens, "Number of tokens (10000)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Repetitions per figure (11)", "R" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_tokens < 1 || rounds < 1)
    {
      g_printerr ("bench-core: %s\n", error ? error->message : "bad --tokens or --rounds");
      return 2;
    }

  body = make_list_body ((guint) n_tokens);

  names_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    g_hash_table_insert (names_by_id, (gpointer) roles[i].id, (gpointer) roles[i].name);

  dir = g_dir_make_tmp ("astra-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  file = g_file_new_build_filename (dir, "tokens.csv", NULL);

  parse_ms = g_new0 (double, rounds);
  parse_tree_ms = g_new0 (double, rounds);
  inventory_ms = g_new0 (double, rounds);
  portal_ms = g_new0 (double, rounds);

  /* One warm-up round of each, then the measured rounds. */
  for (int round = -1; round < rounds; round++)
    {
      g_autoptr(GListModel) parsed = NULL;
      gint64 start;

      start = g_get_monotonic_time ();
      parsed = parse_list (body->str, body->len);
      if (round >= 0)
        parse_ms[round] = elapsed_ms (start);

      {
        g_autoptr(GListModel) tree_parsed = NULL;

        start = g_get_monotonic_time ();
        tree_parsed = parse_list_tree (body->str, body->len);
        if (round >= 0)
          parse_tree_ms[round] = elapsed_ms (start);
        if (g_list_model_get_n_items (tree_parsed) != g_list_model_get_n_items (parsed))
          g_error ("the two parsers disagree");
      }

      if (tokens == NULL)
        {
          tokens = g_object_ref (parsed);
          for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
            {
              g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);

              astra_token_resolve_roles (token, names_by_id);
              astra_token_set_in_keyring (token, i % 7 == 0);
            }
          generated = make_generated_tokens (tokens);
        }

      {
        g_autoptr(GBytes) csv = NULL;

        start = g_get_monotonic_time ();
        csv = astra_csv_format_inventory (tokens);
        write_csv (file, csv);
        if (round >= 0)
          inventory_ms[round] = elapsed_ms (start);
      }

      {
        g_autoptr(GBytes) csv = NULL;

        start = g_get_monotonic_time ();
        csv = astra_csv_format_portal (generated);
        write_csv (file, csv);
        if (round >= 0)
          portal_ms[round] = elapsed_ms (start);
      }
    }

  g_unlink (g_file_peek_path (file));
  g_rmdir (dir);

  printf ("CORE tokens=%d parse_ms=%.3f parse_tree_ms=%.3f csv_inventory_ms=%.3f "
          "csv_portal_ms=%.3f\n",
          n_tokens,
          median (parse_ms, rounds),
          median (parse_tree_ms, rounds),
          median (inventory_ms, rounds),
          median (portal_ms, rounds));

  return 0;
}

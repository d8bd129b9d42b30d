/* astra-cli-import.c: `astra-tokens-cli import`, a portal CSV (plain or OpenPGP-encrypted)
 * into the keyring
 *
 * The same import as the app's (astra-token-import.h): the tokens are checked against the
 * token lists of the connected organizations, and only those an organization lists are
 * stored, under it. An encrypted file is decrypted in memory: gpg-agent asks for the
 * key's passphrase with its own dialog, or --passphrase-file gives a file's passphrase.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "astra-cli.h"
#include "astra-connection.h"
#include "astra-csv.h"
#include "astra-generated-token.h"
#include "astra-keyring-client-source.h"
#include "astra-pgp.h"
#include "astra-secret-store.h"
#include "astra-token-import.h"
#include "astra-types.h"

/* The file's plaintext: decrypted when it is an OpenPGP message. (transfer full) */
static GBytes *
read_plaintext (const char  *path,
                const char  *passphrase,
                GError     **error)
{
  g_autoptr(GBytes) contents = NULL;
  char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  contents = g_bytes_new_with_free_func (data, length, (GDestroyNotify) astra_secret_free, data);

  if (!astra_pgp_is_encrypted ((const guint8 *) data, length))
    return g_steal_pointer (&contents);

  return astra_pgp_decrypt (contents, passphrase, NULL, error);
}

static GListModel *
list_connections (AstraSecretStore  *store,
                  GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  AstraCliWait wait = { NULL };

  astra_secret_store_list_connections_async (store, NULL, astra_cli_async_ready, &wait);
  result = astra_cli_wait (&wait);
  return astra_secret_store_list_connections_finish (store, result, error);
}

static AstraConnection *
find_target (GListModel *connections,
             const char *org)
{
  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);

      if (org == NULL ||
          g_strcmp0 (astra_connection_get_org_id (connection), org) == 0 ||
          g_strcmp0 (astra_connection_get_display_name (connection), org) == 0)
        return g_steal_pointer (&connection);
    }
  return NULL;
}

static void
print_result (AstraTokenImport *import)
{
  for (guint i = 0; i < import->orgs->len; i++)
    {
      AstraConnection *connection = g_ptr_array_index (import->orgs, i);
      guint n = astra_token_import_count_saved_in (import, connection);

      if (n > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE, "Stored %u token in the keyring under %s.\n",
                              "Stored %u tokens in the keyring under %s.\n", n),
                 n, astra_connection_get_display_name (connection));
    }

  /* Client ids are not secret; tokens and secrets are never printed. */
  for (guint i = 0; i < import->unknown->len; i++)
    /* Translators: %s is a client id (24 letters and digits), not a secret. */
    g_print (_("Not stored: %s is in none of your connected organizations (revoked, or "
               "another organization’s).\n"),
             astra_generated_token_get_client_id (g_ptr_array_index (import->unknown, i)));
}

int
astra_cli_import (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *org = NULL;
  g_autoptr(AstraSecretString) passphrase = NULL;
  g_autoptr(AstraSecretStore) store = NULL;
  g_autoptr(AstraClientSource) clients = NULL;
  g_autoptr(GListModel) connections = NULL;
  g_autoptr(AstraConnection) target = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AstraTokenImport) import = NULL;
  g_autoptr(GError) error = NULL;
  AstraCliWait wait = { NULL };
  GOptionEntry entries[] = {
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("The passphrase of a file encrypted with one, on the first line of FILE"), N_("FILE") },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org,
      N_("Check the tokens against this organization first (id or name)"), N_("ORG") },
    { NULL },
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_set_summary (context,
                                _("Imports a GeneratedToken.csv, plain or encrypted with OpenPGP "
                                  "(.gpg, .asc), into the keyring. Only tokens that a connected "
                                  "organization lists are stored."));
  g_option_context_set_description (context,
                                    _("Examples:\n"
                                      "  astra-tokens-cli import GeneratedToken.csv.gpg\n"
                                      "  astra-tokens-cli import --passphrase-file pass.txt token.asc\n\n"
                                      "Exit status: 0 every token stored; 1 some tokens were not "
                                      "stored; 2 an error (keyring, GnuPG, file, API); 64 a wrong "
                                      "command line."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!astra_cli_parse_options (context, &argc, &argv))
    return ASTRA_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      astra_cli_printerr ("%s", _("name one file to import"));
      return ASTRA_CLI_EXIT_USAGE;
    }

  if (passphrase_file != NULL)
    {
      passphrase = astra_cli_read_passphrase_file (passphrase_file, &error);
      if (passphrase == NULL)
        {
          astra_cli_printerr ("%s", error->message);
          return ASTRA_CLI_EXIT_ERROR;
        }
    }

  plaintext = read_plaintext (argv[1], passphrase, &error);
  if (plaintext == NULL)
    {
      astra_cli_printerr ("%s", error->message);
      return ASTRA_CLI_EXIT_ERROR;
    }
  tokens = astra_csv_parse_portal (g_bytes_get_data (plaintext, NULL),
                                   g_bytes_get_size (plaintext), &error);
  if (tokens == NULL)
    {
      /* Translators: the file’s name, then the parser’s reason (with the line number). */
      astra_cli_printerr (_("%s is not a GeneratedToken.csv file: %s"), argv[1], error->message);
      return ASTRA_CLI_EXIT_ERROR;
    }

  store = astra_secret_store_new ();
  connections = list_connections (store, &error);
  if (connections == NULL)
    {
      astra_cli_printerr ("%s", error->message);
      return ASTRA_CLI_EXIT_ERROR;
    }
  target = find_target (connections, org);
  if (target == NULL)
    {
      astra_cli_printerr ("%s", org != NULL
                                ? _("no connected organization has that id or name")
                                : _("no organization is connected: connect one in Astra Tokens "
                                    "first"));
      return ASTRA_CLI_EXIT_ERROR;
    }

  clients = astra_keyring_client_source_new (store);
  astra_token_import_async (store, clients, tokens, target, connections, NULL,
                            astra_cli_async_ready, &wait);
  result = astra_cli_wait (&wait);
  import = astra_token_import_finish (result, &error);
  if (import == NULL)
    {
      astra_cli_printerr ("%s", error->message);
      return ASTRA_CLI_EXIT_ERROR;
    }

  print_result (import);
  return import->unknown->len == 0 ? ASTRA_CLI_EXIT_OK : ASTRA_CLI_EXIT_NO;
}

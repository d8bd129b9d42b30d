/* astra-cli-export.c: `astra-tokens-cli export`, tokens from the keyring as an encrypted
 * portal CSV
 *
 * The file is the portal's GeneratedToken.csv inside an OpenPGP message: for the keys
 * given with --recipient (the user's own keys are added, so that they can read it back),
 * or with the passphrase in --passphrase-file. There is no plain-text output: the app's
 * export, behind its warning, is the place for that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "astra-cli.h"
#include "astra-csv.h"
#include "astra-generated-lookup.h"
#include "astra-pgp.h"
#include "astra-secret-store.h"
#include "astra-types.h"

static GListModel *
lookup_tokens (char   **client_ids,
               GError **error)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  AstraCliWait wait = { NULL };

  astra_generated_lookup_async (store, (const char * const *) client_ids, NULL,
                                astra_cli_async_ready, &wait);
  result = astra_cli_wait (&wait);
  return astra_generated_lookup_finish (result, error);
}

static gboolean
write_output (const char  *output,
              GBytes      *ciphertext,
              GError     **error)
{
  g_autoptr(GFile) file = NULL;

  if (g_strcmp0 (output, "-") == 0)
    {
      gsize length;
      const char *data = g_bytes_get_data (ciphertext, &length);

      if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the output"));
          return FALSE;
        }
      return TRUE;
    }

  file = g_file_new_for_commandline_arg (output);
  return astra_csv_write_file (file, ciphertext, NULL, error);
}

int
astra_cli_export (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *output = NULL;
  g_autoptr(AstraSecretString) passphrase = NULL;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GBytes) ciphertext = NULL;
  g_autoptr(GError) error = NULL;
  gboolean armor = FALSE;
  GOptionEntry entries[] = {
    { "recipient", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &recipients,
      N_("Encrypt for this key (fingerprint, key id or e-mail); repeat for several"), N_("KEY") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      N_("Encrypt with the passphrase on the first line of FILE instead"), N_("FILE") },
    { "armor", 'a', 0, G_OPTION_ARG_NONE, &armor,
      N_("ASCII armor (.asc), for pasting into a chat or mail"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (“-” for standard output); default GeneratedToken.csv.gpg or .asc"),
      N_("FILE") },
    { NULL },
  };

  context = g_option_context_new (_("CLIENT_ID…"));
  g_option_context_set_summary (context,
                                _("Writes the tokens’ portal CSV (GeneratedToken.csv) from the "
                                  "keyring, encrypted with OpenPGP: for people’s keys, or with a "
                                  "passphrase. Open it with “gpg --decrypt” or import it with "
                                  "“astra-tokens-cli import”."));
  g_option_context_set_description (context,
                                    _("Examples:\n"
                                      "  astra-tokens-cli export --recipient teammate@example.org CLIENT_ID\n"
                                      "  astra-tokens-cli export --passphrase-file pass.txt --armor -o - CLIENT_ID\n\n"
                                      "“astra-tokens-cli list” shows the client ids the keyring holds.\n\n"
                                      "Exit status: 0 written; 1 a client id is not in the "
                                      "keyring; 2 an error (keyring, GnuPG, file); 64 a wrong "
                                      "command line."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!astra_cli_parse_options (context, &argc, &argv))
    return ASTRA_CLI_EXIT_USAGE;

  if (argc < 2)
    {
      astra_cli_printerr ("%s", _("name at least one client id"));
      return ASTRA_CLI_EXIT_USAGE;
    }
  if ((recipients != NULL) == (passphrase_file != NULL))
    {
      astra_cli_printerr ("%s", _("choose either --recipient or --passphrase-file"));
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

  tokens = lookup_tokens (argv + 1, &error);
  if (tokens == NULL)
    {
      astra_cli_printerr ("%s", error->message);
      return g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND)
             ? ASTRA_CLI_EXIT_NO : ASTRA_CLI_EXIT_ERROR;
    }

  /* The same bytes the app's plain export writes, so `gpg --decrypt` gives that file. */
  plaintext = astra_csv_format_portal (tokens);
  ciphertext = astra_pgp_encrypt (plaintext, (const char * const *) recipients, passphrase,
                                  armor, NULL, &error);
  if (ciphertext == NULL)
    {
      astra_cli_printerr ("%s", error->message);
      return ASTRA_CLI_EXIT_ERROR;
    }

  if (output == NULL)
    output = g_strconcat (ASTRA_CSV_PORTAL_FILE_NAME,
                          armor ? ASTRA_PGP_ARMOR_SUFFIX : ASTRA_PGP_BINARY_SUFFIX, NULL);
  if (!write_output (output, ciphertext, &error))
    {
      astra_cli_printerr ("%s", error->message);
      return ASTRA_CLI_EXIT_ERROR;
    }

  return ASTRA_CLI_EXIT_OK;
}

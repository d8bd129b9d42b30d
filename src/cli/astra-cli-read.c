/* astra-cli-read.c: astra-tokens-cli read [--reveal] REF — one secret on stdout
 *
 * For command substitution: `export ASTRA_DB_APPLICATION_TOKEN=$(astra-tokens-cli read REF)`.
 * A terminal is refused unless --reveal is given: a secret on screen ends up in scrollback,
 * screen shares and recordings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "astra-cli.h"
#include "astra-reference-resolve.h"
#include "astra-reference.h"

int
astra_cli_read (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AstraSecretStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) value = NULL;
  AstraCliWait wait = { NULL };
  gboolean reveal = FALSE;
  const GOptionEntry entries[] = {
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &reveal,
      N_("Print the secret even when the output is a terminal"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("REFERENCE"));
  g_option_context_set_summary (context,
                                _("Prints the secret an astra://ORGANIZATION/CLIENT_ID/FIELD "
                                  "reference names, followed by a newline, for $(…) in "
                                  "scripts. FIELD is token, client-secret or client-id."));
  g_option_context_set_description (context,
                                    _("Example:\n"
                                      "  export ASTRA_DB_APPLICATION_TOKEN=$(astra-tokens-cli read "
                                      "astra://ORGANIZATION_ID/CLIENT_ID/token)\n\n"
                                      "“astra-tokens-cli list” shows the reference of each token."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!astra_cli_parse_options (context, &argc, &argv))
    return ASTRA_CLI_EXIT_USAGE;

  if (argc != 2)
    {
      astra_cli_printerr (_("read takes exactly one reference; see “astra-tokens-cli read --help”"));
      return ASTRA_CLI_EXIT_USAGE;
    }

  if (!astra_reference_parse (argv[1], NULL, NULL, NULL, &error))
    {
      astra_cli_printerr ("%s: %s", argv[1], error->message);
      return ASTRA_CLI_EXIT_USAGE;
    }

  /* Before the keyring is even asked: nothing secret is loaded for a refused terminal. */
  if (!reveal && isatty (STDOUT_FILENO))
    {
      astra_cli_printerr (_("will not print a secret to a terminal, where it stays on screen "
                            "and in the scrollback; capture it with $(…) or a pipe, or add "
                            "--reveal to show it anyway"));
      return ASTRA_CLI_EXIT_USAGE;
    }

  store = astra_secret_store_new ();
  astra_reference_resolve_async (store, argv[1], NULL, astra_cli_async_ready, &wait);
  result = astra_cli_wait (&wait);
  value = astra_reference_resolve_finish (store, result, &error);
  if (value == NULL)
    {
      astra_cli_printerr ("%s", error->message);
      return astra_reference_resolve_error_is_keyring (error) ? ASTRA_CLI_EXIT_ERROR
                                                              : ASTRA_CLI_EXIT_NO;
    }

  if (fwrite (value, 1, strlen (value), stdout) != strlen (value) ||
      fputc ('\n', stdout) == EOF || fflush (stdout) != 0)
    {
      astra_cli_printerr (_("could not write the secret to the standard output"));
      return ASTRA_CLI_EXIT_ERROR;
    }

  return ASTRA_CLI_EXIT_OK;
}

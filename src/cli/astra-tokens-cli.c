/* astra-tokens-cli.c: the command-line companion, dispatching to one file per command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "astra-cli.h"

/* Commands register here, one line each, in the order `--help` lists them. */
static const AstraCliCommand commands[] = {
  { "list", N_("List the organizations and the tokens in the keyring (no secrets)"), astra_cli_list },
  { "read", N_("Print the secret a reference names (not to a terminal)"), astra_cli_read },
  { "run", N_("Run a command with references in its environment resolved"), astra_cli_run },
  { "export", N_("Write tokens from the keyring to an encrypted GeneratedToken.csv"), astra_cli_export },
  { "import", N_("Import a GeneratedToken.csv, plain or encrypted, into the keyring"), astra_cli_import },
  { "scan", N_("Find Astra tokens in plain-text files"), astra_cli_scan },
  { NULL, NULL, NULL },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: astra-tokens-cli COMMAND [OPTION…]"));
  fprintf (stream, "%s\n", _("Astra tokens from the desktop keyring, for programs and scripts."));
  fprintf (stream, "\n%s\n", _("Commands:"));
  for (const AstraCliCommand *c = commands; c->name != NULL; c++)
    fprintf (stream, "  %-10s %s\n", c->name, _(c->summary));
  fprintf (stream, "\n%s\n", _("Run “astra-tokens-cli COMMAND --help” for a command’s options."));
  fprintf (stream, "\n%s\n", _("Exit status: 0 success; 1 a negative answer (scan found a live "
                               "token, a reference was not resolved, export: a client id is "
                               "not in the keyring, import: some tokens were not stored); 2 an "
                               "error; 64 a wrong "
                               "command line. run: the command’s own status once it started, "
                               "126 when it cannot be executed, 127 when it is not found."));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *prog = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("astra-tokens-cli");
  /* GLib writes debug and info messages to stdout by default; stdout is for the answer
   * (`read` inside $(…), `list --json` into jq), even with G_MESSAGES_DEBUG=all. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    {
      print_usage (stderr);
      return ASTRA_CLI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return ASTRA_CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("astra-tokens-cli %s\n", PACKAGE_VERSION);
      return ASTRA_CLI_EXIT_OK;
    }

  for (const AstraCliCommand *c = commands; c->name != NULL; c++)
    {
      if (!g_str_equal (c->name, argv[1]))
        continue;
      /* The command sees "astra-tokens-cli NAME" as its program name, then its options. */
      prog = g_strdup_printf ("astra-tokens-cli %s", c->name);
      argv[1] = prog;
      return c->run (argc - 1, argv + 1);
    }

  astra_cli_printerr (_("unknown command “%s”; see “astra-tokens-cli --help”"), argv[1]);
  return ASTRA_CLI_EXIT_USAGE;
}

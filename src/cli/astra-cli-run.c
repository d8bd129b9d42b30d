/* astra-cli-run.c: astra-tokens-cli run [--env-file FILE]… -- COMMAND [ARG…]
 *
 * Like `op run`: every environment variable whose value is an astra:// reference, and every
 * NAME=VALUE line of the env files (applied in order over the environment; later lines win),
 * is set, references resolved from the keyring, and then COMMAND replaces this process
 * (exec): its signals, exit status and terminal are its own. Env-file lines that are not
 * references are set as they are. Any reference that cannot be resolved stops everything
 * before COMMAND starts. Secrets only ever go into COMMAND's environment: never onto a
 * command line, into a file or a message.
 *
 * Exit status when COMMAND does not start: 1 a reference was not resolved, 2 the keyring or
 * an env file failed, 64 a wrong command line, 126 COMMAND cannot be executed, 127 COMMAND
 * was not found (as a shell says).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "astra-cli.h"
#include "astra-reference-resolve.h"
#include "astra-reference.h"

#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND      127

extern char **environ;

/* Applies the lines of @path to @envp, remembering where each name was set. */
static gboolean
apply_env_file (const char   *path,
                char       ***envp,
                GHashTable   *origins)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      astra_cli_printerr ("%s", error->message);
      return FALSE;
    }

  lines = astra_cli_env_file_parse (contents, path, &error);
  astra_secret_free (contents);
  if (lines == NULL)
    {
      astra_cli_printerr ("%s", error->message);
      return FALSE;
    }

  for (guint i = 0; i < lines->len; i++)
    {
      AstraCliEnvLine *line = lines->pdata[i];

      *envp = g_environ_setenv (*envp, line->name, line->value, TRUE);
      g_hash_table_replace (origins, g_strdup (line->name),
                            g_strdup_printf ("%s:%u", path, line->line));
    }

  return TRUE;
}

/* Replaces every reference in @envp by its value. On failure prints which variable, where
 * it was set and why, and returns the exit status; 0 on success. */
static int
resolve_references (char       **envp,
                    GHashTable  *origins)
{
  g_autoptr(AstraSecretStore) store = NULL;

  for (char **entry = envp; *entry != NULL; entry++)
    {
      const char *equals = strchr (*entry, '=');
      g_autofree char *name = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraSecretString) value = NULL;
      AstraCliWait wait = { NULL };
      const char *origin;

      if (equals == NULL || !astra_reference_looks_like (equals + 1))
        continue;

      name = g_strndup (*entry, equals - *entry);
      if (store == NULL)
        store = astra_secret_store_new ();
      astra_reference_resolve_async (store, equals + 1, NULL, astra_cli_async_ready, &wait);
      result = astra_cli_wait (&wait);
      value = astra_reference_resolve_finish (store, result, &error);
      if (value == NULL)
        {
          origin = g_hash_table_lookup (origins, name);
          if (origin != NULL)
            /* Translators: a variable's name, the FILE:LINE that set it, and why its
             * reference (part of the message) could not be resolved. */
            astra_cli_printerr (_("%s (%s): %s"), name, origin, error->message);
          else
            /* Translators: a variable's name, set in the environment, and why its
             * reference (part of the message) could not be resolved. */
            astra_cli_printerr (_("%s (environment): %s"), name, error->message);
          return astra_reference_resolve_error_is_keyring (error) ? ASTRA_CLI_EXIT_ERROR
                                                                  : ASTRA_CLI_EXIT_NO;
        }

      astra_secret_free (*entry);
      *entry = g_strconcat (name, "=", value, NULL);
    }

  return ASTRA_CLI_EXIT_OK;
}

int
astra_cli_run (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GHashTable) origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) env_files = NULL;
  char **envp;
  char **command;
  int status;
  const GOptionEntry entries[] = {
    { "env-file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &env_files,
      N_("Set the NAME=VALUE lines of FILE too (dotenv syntax; may be given more than once)"),
      N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("-- COMMAND [ARG…]"));
  g_option_context_set_summary (context,
                                _("Runs COMMAND with every environment variable whose value is "
                                  "an astra:// reference, and every line of the env files, "
                                  "resolved from the keyring. Stops before COMMAND starts when "
                                  "a reference cannot be resolved (exit status 1). COMMAND "
                                  "replaces this program: its exit status is COMMAND’s own; "
                                  "127 when COMMAND is not found, 126 when it cannot be "
                                  "executed."));
  g_option_context_set_description (context,
                                    _("Example, with .env holding lines such as\n"
                                      "ASTRA_DB_APPLICATION_TOKEN=astra://ORGANIZATION_ID/CLIENT_ID/token:\n"
                                      "  astra-tokens-cli run --env-file .env -- python app.py"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Options after COMMAND are COMMAND's own. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!astra_cli_parse_options (context, &argc, &argv))
    return ASTRA_CLI_EXIT_USAGE;

  command = argv + 1;
  if (*command != NULL && g_str_equal (*command, "--"))
    command++;
  if (*command == NULL)
    {
      astra_cli_printerr (_("no command to run; see “astra-tokens-cli run --help”"));
      return ASTRA_CLI_EXIT_USAGE;
    }

  envp = g_get_environ ();
  for (guint i = 0; env_files != NULL && env_files[i] != NULL; i++)
    if (!apply_env_file (env_files[i], &envp, origins))
      {
        g_strfreev (envp);
        return ASTRA_CLI_EXIT_ERROR;
      }

  status = resolve_references (envp, origins);
  if (status != ASTRA_CLI_EXIT_OK)
    {
      for (char **entry = envp; *entry != NULL; entry++)
        astra_secret_wipe (*entry);
      g_strfreev (envp);
      return status;
    }

  fflush (stdout);
  fflush (stderr);
  /* execvp() searches PATH as a shell does, in this process's environment, which is
   * COMMAND's from here on (execvpe() is a GNU extension). */
  environ = envp;
  execvp (command[0], command);

  status = errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
  astra_cli_printerr (_("cannot run “%s”: %s"), command[0], g_strerror (errno));
  for (char **entry = envp; *entry != NULL; entry++)
    astra_secret_wipe (*entry);
  return status;
}

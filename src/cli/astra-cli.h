/* astra-cli.h: the commands of astra-tokens-cli and what they share
 *
 * astra-tokens-cli links GLib/GIO and the core library only (no GTK), so that it starts in
 * milliseconds and runs where no display is. Each command lives in its own file,
 * astra-cli-COMMAND.c, and is listed once in astra-tokens-cli.c's command table.
 *
 * Exit codes that scripts can trust (also printed by `astra-tokens-cli --help`):
 *   0  success (scan: no token that is not known to be revoked)
 *   1  the answer is "no" (scan: found a token not known to be revoked;
 *      read/run: a reference could not be resolved; export: a client id is not in the
 *      keyring; import: some tokens were not stored, no organization lists them)
 *   2  an error: keyring unavailable or locked, unreadable file, I/O failure, and for
 *      export/import a GnuPG failure (no key, wrong passphrase, damaged file, no agent)
 *   64 the command line itself is wrong (as sysexits.h's EX_USAGE)
 * `run` execs its COMMAND, whose status is its own from then on; when COMMAND cannot start,
 * 126 (not executable) or 127 (not found), as a shell says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

enum
{
  ASTRA_CLI_EXIT_OK    = 0,
  ASTRA_CLI_EXIT_NO    = 1,
  ASTRA_CLI_EXIT_ERROR = 2,
  ASTRA_CLI_EXIT_USAGE = 64,
};

/* One command: @argv[0] is "astra-tokens-cli COMMAND" (for messages), options follow. */
typedef int (*AstraCliRunFunc) (int argc, char **argv);

typedef struct
{
  const char      *name;
  const char      *summary;     /* one line, translatable (N_) */
  AstraCliRunFunc  run;
} AstraCliCommand;

/* Parses @argv with @context (help enabled, "--" kept for commands that take one).
 * Prints the error and returns FALSE on a bad command line. */
gboolean  astra_cli_parse_options (GOptionContext  *context,
                                   int             *argc,
                                   char          ***argv);

/* Runs the default main context until an async call started with
 * astra_cli_async_ready() as its callback and @wait as its data has finished, and
 * returns its result (transfer full). For the core's async APIs in a synchronous CLI. */
typedef struct
{
  GAsyncResult *result;
} AstraCliWait;

void          astra_cli_async_ready (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      wait);
GAsyncResult *astra_cli_wait        (AstraCliWait *wait);

/* The first line of @path, as `gpg --passphrase-file` reads it: (transfer full), free with
 * astra_secret_free. */
char     *astra_cli_read_passphrase_file (const char  *path,
                                          GError     **error);

/* Prints "astra-tokens-cli: MESSAGE" on stderr. */
void      astra_cli_printerr (const char *format,
                              ...) G_GNUC_PRINTF (1, 2);

/* astra-cli-env-file.c: one NAME=VALUE line of a dotenv file (run --env-file). */
typedef struct
{
  char  *name;
  char  *value;     /* may be a secret: wiped on free */
  guint  line;      /* 1-based */
} AstraCliEnvLine;

void       astra_cli_env_line_free  (AstraCliEnvLine  *line);
/* → (transfer full) GPtrArray of AstraCliEnvLine; NULL with an error naming @path and the
 * line (never its text) on a line that is not NAME=VALUE. */
GPtrArray *astra_cli_env_file_parse (const char       *contents,
                                     const char       *path,
                                     GError          **error);

/* The commands, one file each (astra-cli-COMMAND.c). */
int       astra_cli_list (int argc, char **argv);
int       astra_cli_read (int argc, char **argv);
int       astra_cli_run  (int argc, char **argv);
int       astra_cli_export (int argc, char **argv);
int       astra_cli_import (int argc, char **argv);
int       astra_cli_scan (int argc, char **argv);

G_END_DECLS

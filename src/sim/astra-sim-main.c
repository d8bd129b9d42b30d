/* astra-sim-main.c: the astra-sim program
 *
 * Prints exactly two lines on stdout and flushes them at once:
 *   ASTRA_API_URL=http://127.0.0.1:PORT/v2
 *   ASTRA_DB_APPLICATION_TOKEN=<an Organization Administrator token>
 * then serves until SIGINT or SIGTERM and exits 0. Logs go to stderr, without secrets.
 *
 * `eval "$(astra-sim | head -2)"` must return: bash waits for the whole pipeline, so when
 * stdout is a pipe whose reader goes away, the program forks, the parent exits 0 and the
 * child serves on in a new session. A reader that keeps the pipe open (a test harness) keeps
 * the program in the foreground, as does --foreground.
 *
 * Signals use a self-pipe watched by the main loop rather than g_unix_signal_add(): GLib
 * dispatches those from its worker thread, which does not survive fork(), so a detached
 * child would ignore SIGTERM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "astra-sim-server.h"

static const char description[] =
  "Serves the Astra DevOps API (v2) on 127.0.0.1 for tests, demos and benchmarks: one\n"
  "organization with the built-in roles, users, databases and tokens.\n"
  "\n"
  "The first two lines on stdout are ASTRA_API_URL=... and ASTRA_DB_APPLICATION_TOKEN=...\n"
  "(an Organization Administrator token), so this works in a shell:\n"
  "  eval \"$(astra-sim | head -2)\"\n"
  "When stdout is a pipe and its reader goes away, astra-sim continues in the background\n"
  "(output to /dev/null) and prints its process id on stderr. It stops on SIGINT or\n"
  "SIGTERM. --foreground prevents this.\n"
  "\n"
  "Fault injection (--fault, repeatable, first match wins):\n"
  "  METHOD:PATH=KIND[*COUNT]\n"
  "  METHOD  GET, POST, PUT, DELETE or * (any)\n"
  "  PATH    a path prefix such as /v2/clientIdSecrets (whole segments; /v2 optional), or *\n"
  "  KIND    429[/SECONDS]    answer 429 with Retry-After: SECONDS (default 1)\n"
  "          500|502|503|504  answer that status with a JSON errors body\n"
  "          text             answer 500 with a text/plain body\n"
  "          malformed        answer 200 with truncated JSON\n"
  "          slow/MS          answer normally after MS milliseconds\n"
  "          drop             close the connection without answering\n"
  "          drop-after       carry out the request, then close without answering\n"
  "          big/BYTES        answer 200 with a JSON body of about BYTES bytes\n"
  "          after/STATUS     carry out the request, then answer that 5xx status with a\n"
  "                           gateway's HTML page\n"
  "          trailing         carry out the request; bytes follow the JSON answer\n"
  "          bad-byte         carry out the request; the answer has a byte that is not UTF-8\n"
  "          numeric-id       carry out the request; \"clientId\" is a number in the answer\n"
  "          bad-item         carry out the request; in a token list, the first client's\n"
  "                           \"description\" is not UTF-8 and the last one's \"clientId\"\n"
  "                           is a number (two unreadable items)\n"
  "  COUNT   how many matching requests the fault affects (default: all)\n"
  "Examples:\n"
  "  --fault 'GET:/v2/clientIdSecrets=429/2*1'   first token list is rate limited\n"
  "  --fault 'POST:/v2/clientIdSecrets=drop-after*1'   token created, answer lost\n"
  "  --fault '*:*=503*3'                          three 503s, then normal service\n"
  "  --fault 'GET:/v2/clientIdSecrets=bad-item'   two tokens of the list unreadable\n"
  "\n"
  "--state FILE keeps the organization (custom roles, tokens as SHA-256 hashes, users,\n"
  "databases) in FILE: loaded at start when it exists, saved atomically after every change.\n"
  "Each start mints a new administrator token; tokens of earlier runs stay valid.\n"
  "--tokens and --databases only shape a new organization, not one loaded from FILE.";

static int signal_pipe[2] = { -1, -1 };

/* ------------------------------------------------------------------------------------------
 * Signals and detaching
 * ---------------------------------------------------------------------------------------- */

static void
on_signal (int signum)
{
  int saved_errno = errno;
  char byte = (char) signum;

  if (write (signal_pipe[1], &byte, 1) < 0)
    {
      /* Nothing safe to do in a signal handler; the pipe is only full if a stop is already
       * pending. */
    }
  errno = saved_errno;
}

static gboolean
on_signal_pipe_cb (int          fd,
                   GIOCondition condition,
                   gpointer     user_data)
{
  GMainLoop *loop = user_data;
  char byte;

  if (read (fd, &byte, 1) == 1)
    g_printerr ("astra-sim: stopping on signal %d\n", byte);
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
install_signals (GMainLoop  *loop,
                 GError    **error)
{
  struct sigaction action = { 0 };

  if (!g_unix_open_pipe (signal_pipe, FD_CLOEXEC, error) ||
      !g_unix_set_fd_nonblocking (signal_pipe[1], TRUE, error))
    return FALSE;

  action.sa_handler = on_signal;
  sigemptyset (&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);

  g_unix_fd_add (signal_pipe[0], G_IO_IN, on_signal_pipe_cb, loop);
  return TRUE;
}

static gboolean
on_stdout_closed_cb (int          fd,
                     GIOCondition condition,
                     gpointer     user_data)
{
  pid_t pid;
  int null_fd;

  fflush (stderr);
  pid = fork ();
  if (pid < 0)
    {
      g_printerr ("astra-sim: could not continue in the background: %s\n",
                  g_strerror (errno));
      return G_SOURCE_REMOVE;
    }
  if (pid > 0)
    {
      g_printerr ("astra-sim: stdout was closed; serving in the background as process %d "
                  "(stop it with: kill %d)\n", (int) pid, (int) pid);
      /* _exit: the child shares the listening socket; run no cleanup here. */
      _exit (0);
    }

  /* Like any daemon, let go of the terminal and of inherited pipes: a caller capturing
   * our stderr ($(… 2>&1)) would otherwise wait for us forever. */
  setsid ();
  null_fd = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0)
    {
      dup2 (null_fd, STDIN_FILENO);
      dup2 (null_fd, STDOUT_FILENO);
      dup2 (null_fd, STDERR_FILENO);
      close (null_fd);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
stdout_is_pipe (void)
{
  struct stat st;

  if (fstat (STDOUT_FILENO, &st) != 0)
    return FALSE;
  return S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode);
}

/* ------------------------------------------------------------------------------------------
 * main
 * ---------------------------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AstraSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) faults = NULL;
  g_autofree char *state = NULL;
  g_autofree char *org_name = NULL;
  int port = 0;
  int n_tokens = 0;
  int n_databases = 3;
  int latency = 0;
  gboolean foreground = FALSE;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Port on 127.0.0.1 (default 0: any free port)", "N" },
    { "tokens", 't', 0, G_OPTION_ARG_INT, &n_tokens,
      "Seed N extra tokens (default 0)", "N" },
    { "databases", 'd', 0, G_OPTION_ARG_INT, &n_databases,
      "Seed N databases (default 3)", "N" },
    { "latency", 'l', 0, G_OPTION_ARG_INT, &latency,
      "Delay every answer by MS milliseconds (never blocks other requests)", "MS" },
    { "fault", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Inject a fault, METHOD:PATH=KIND[*COUNT] (see below; repeatable)", "SPEC" },
    { "state", 's', 0, G_OPTION_ARG_FILENAME, &state,
      "Load the organization from FILE if it exists and save it there after every change",
      "FILE" },
    { "org-name", 'n', 0, G_OPTION_ARG_STRING, &org_name,
      "Name of the organization (default \"Demo Organization\")", "NAME" },
    { "foreground", 0, 0, G_OPTION_ARG_NONE, &foreground,
      "Never continue in the background, even when stdout's reader goes away", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);
  /* GLib prints info and debug messages on stdout by default; stdout is the protocol. */
  g_log_writer_default_set_use_stderr (TRUE);

  context = g_option_context_new ("- simulate the Astra DevOps API");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("astra-sim: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || n_tokens < 0 || n_databases < 0 || latency < 0)
    {
      g_printerr ("astra-sim: --port must be 0-65535; --tokens, --databases and --latency "
                  "must not be negative\n");
      return 2;
    }

  server = astra_sim_server_new ();
  astra_sim_server_set_seed (server, n_tokens, n_databases);
  astra_sim_server_set_latency (server, latency);
  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    if (!astra_sim_server_add_fault (server, faults[i], &error))
      {
        g_printerr ("astra-sim: %s\n", error->message);
        return 2;
      }
  if (state != NULL && !astra_sim_server_set_state_file (server, state, &error))
    {
      g_printerr ("astra-sim: %s\n", error->message);
      return 1;
    }
  if (org_name != NULL)
    astra_sim_server_set_org_name (server, org_name);

  if (!astra_sim_server_listen (server, port, &error))
    {
      g_printerr ("astra-sim: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  if (!install_signals (loop, &error))
    {
      g_printerr ("astra-sim: %s\n", error->message);
      return 1;
    }

  printf ("ASTRA_API_URL=%s\n", astra_sim_server_get_base_url (server));
  printf ("ASTRA_DB_APPLICATION_TOKEN=%s\n", astra_sim_server_get_admin_token (server));
  fflush (stdout);

  g_printerr ("astra-sim: serving organization \"%s\" (%s) at %s with %u tokens\n",
              astra_sim_server_get_org_name (server), astra_sim_server_get_org_id (server),
              astra_sim_server_get_base_url (server),
              astra_sim_server_get_token_count (server));

  if (!foreground && stdout_is_pipe ())
    g_unix_fd_add (STDOUT_FILENO, G_IO_ERR | G_IO_HUP, on_stdout_closed_cb, NULL);

  g_main_loop_run (loop);

  astra_sim_server_disconnect (server);
  return 0;
}

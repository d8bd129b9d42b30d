/* bench-launch.c: time one program from exec to the event it reports, and its peak RSS
 *
 *   bench-launch [--timeout SECONDS] -- PROGRAM [ARGS...]
 *
 * Takes CLOCK_MONOTONIC (the clock behind g_get_monotonic_time()) just before
 * posix_spawn(), reads the child's stdout for a line
 * "ASTRA_BENCH EVENT MICROSECONDS [ROWS [VALUE]]"
 * (the app's ASTRA_TOKENS_BENCHMARK hook, or benchmarks/floor), waits for the child with
 * wait4() to get its peak resident set size, and prints one line:
 *
 *   RESULT event=EVENT ms=ELAPSED rows=ROWS rss_kib=PEAK cpu_ms=CPU status=EXIT value=VALUE
 *
 * ms is the time from just before exec to the timestamp the child printed, so the child's
 * teardown is not counted. VALUE is a figure the child measured itself (a median frame or
 * keystroke time in µs, an RSS growth in KiB), -1 when it gave none. cpu_ms is the child's user + system time over its whole life
 * (teardown included): less noisy than ms on a busy machine, handy to compare two builds. Everything else the child writes to stdout goes to stderr.
 * Exit status: 0 on a reported event and a clean exit, 1 otherwise (the line is still
 * printed, with event=none, when the child never reported).
 *
 * Plain POSIX on purpose: no GLib in the measuring process, nothing to load before exec.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


static int64_t
monotonic_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
usage (void)
{
  fprintf (stderr, "usage: bench-launch [--timeout SECONDS] -- PROGRAM [ARGS...]\n");
  exit (2);
}

int
main (int   argc,
      char *argv[])
{
  posix_spawn_file_actions_t actions;
  struct rusage usage_info;
  char buffer[8192];
  size_t used = 0;
  char event[64] = "none";
  long long rows = -1;
  long long value = -1;
  int64_t start_us, event_us = -1, deadline_us;
  double timeout_s = 120;
  int pipe_fds[2];
  int argi = 1, status = 0, exit_code;
  pid_t pid;
  int killed = 0;

  for (; argi < argc; argi++)
    {
      if (strcmp (argv[argi], "--") == 0)
        {
          argi++;
          break;
        }
      else if (strcmp (argv[argi], "--timeout") == 0 && argi + 1 < argc)
        timeout_s = atof (argv[++argi]);
      else
        usage ();
    }
  if (argi >= argc)
    usage ();

  if (pipe2 (pipe_fds, O_CLOEXEC) != 0)
    {
      perror ("pipe2");
      return 1;
    }

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, pipe_fds[1], STDOUT_FILENO);

  start_us = monotonic_us ();
  errno = posix_spawnp (&pid, argv[argi], &actions, NULL, &argv[argi], environ);
  if (errno != 0)
    {
      perror (argv[argi]);
      return 1;
    }
  posix_spawn_file_actions_destroy (&actions);
  close (pipe_fds[1]);

  deadline_us = start_us + (int64_t) (timeout_s * 1e6);

  for (;;)
    {
      struct pollfd pfd = { .fd = pipe_fds[0], .events = POLLIN };
      int64_t left_ms = (deadline_us - monotonic_us ()) / 1000;
      ssize_t n;
      char *line, *newline;

      if (left_ms <= 0)
        {
          fprintf (stderr, "bench-launch: %s timed out after %.0f s\n", argv[argi], timeout_s);
          kill (pid, SIGKILL);
          killed = 1;
          break;
        }

      if (poll (&pfd, 1, (int) left_ms) <= 0)
        continue;

      n = read (pipe_fds[0], buffer + used, sizeof buffer - 1 - used);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;   /* EOF: the child closed stdout (exited) */
      used += (size_t) n;
      buffer[used] = '\0';

      line = buffer;
      while ((newline = strchr (line, '\n')) != NULL)
        {
          char name[64];
          long long us, r, v;
          int fields;

          *newline = '\0';
          fields = sscanf (line, "ASTRA_BENCH %63s %lld %lld %lld", name, &us, &r, &v);
          if (fields >= 2 && event_us < 0)
            {
              snprintf (event, sizeof event, "%s", name);
              event_us = us;
              if (fields >= 3)
                rows = r;
              if (fields == 4)
                value = v;
            }
          else
            fprintf (stderr, "%s\n", line);
          line = newline + 1;
        }

      used = strlen (line);
      memmove (buffer, line, used + 1);
      if (used == sizeof buffer - 1)
        used = 0;   /* an absurdly long line: drop it */
    }

  close (pipe_fds[0]);

  while (wait4 (pid, &status, 0, &usage_info) < 0)
    {
      if (errno != EINTR)
        {
          perror ("wait4");
          return 1;
        }
    }

  exit_code = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);

  printf ("RESULT event=%s ms=%.3f rows=%lld rss_kib=%ld cpu_ms=%.1f status=%d value=%lld\n",
          event,
          event_us >= 0 ? (double) (event_us - start_us) / 1000.0 : -1.0,
          rows,
          usage_info.ru_maxrss,
          (usage_info.ru_utime.tv_sec + usage_info.ru_stime.tv_sec) * 1000.0 +
          (usage_info.ru_utime.tv_usec + usage_info.ru_stime.tv_usec) / 1000.0,
          exit_code, value);

  return (event_us >= 0 && exit_code == 0 && !killed) ? 0 : 1;
}

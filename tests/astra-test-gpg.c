/* astra-test-gpg.c: throw-away GnuPG homes and stock gpg, for the OpenPGP tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "astra-test-gpg.h"

/* ------------------------------------------------------------------------------------------ */
/* Running gpg                                                                                */

/* Runs gpg with GNUPGHOME=@home and @input on stdin; → stdout, and the exit status. */
GBytes *
astra_test_gpg_run_full (const char  *home,
              GBytes      *input,
              int         *status,
              const char  *first,
              ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) "gpg");
  g_ptr_array_add (argv, (char *) "--batch");
  g_ptr_array_add (argv, (char *) "--quiet");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new ((input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0) |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "GNUPGHOME", home, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (process);
  if (*status != 0)
    g_test_message ("gpg: %.*s", (int) g_bytes_get_size (err),
                    (const char *) g_bytes_get_data (err, NULL));

  return g_steal_pointer (&out);
}

char *
astra_test_gpg_make_home (const char *template)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename ("/tmp", template, NULL);
  char *home = g_mkdtemp_full (g_steal_pointer (&path), 0700);

  g_assert_nonnull (home);
  (void) error;
  return home;
}

/* Generates a key without a passphrase in @home; → its fingerprint. */
char *
astra_test_gpg_generate_key (const char *home,
              const char *user_id,
              const char *expires,
              const char *faked_time)
{
  g_autoptr(GBytes) out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *faked = NULL;
  char *fingerprint = NULL;
  int status;

  if (faked_time != NULL)
    faked = g_strdup_printf ("--faked-system-time=%s", faked_time);
  g_bytes_unref (astra_test_gpg_run_full (home, NULL, &status, "--passphrase", "",
                               faked != NULL ? faked : "--no-tty",
                               "--quick-gen-key", user_id, "future-default", "default",
                               expires, NULL));
  g_assert_cmpint (status, ==, 0);

  out = astra_test_gpg_run (home, NULL, "--with-colons", "--list-keys", user_id);
  lines = g_strsplit (g_bytes_get_data (out, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL && fingerprint == NULL; i++)
    if (g_str_has_prefix (lines[i], "fpr:"))
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], ":", -1);
        fingerprint = g_strdup (fields[9]);
      }

  g_assert_nonnull (fingerprint);
  return fingerprint;
}

void
astra_test_gpg_remove_home (const char *home)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;

  g_subprocess_launcher_setenv (launcher, "GNUPGHOME", home, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, "gpgconf", "--kill", "gpg-agent", NULL);
  if (process != NULL)
    g_subprocess_wait (process, NULL, NULL);
  command = g_strdup_printf ("rm -rf '%s'", home);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}


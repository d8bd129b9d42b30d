/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>

#include "astra-application.h"

/* Whether this process is the binary the build left in its src folder (never an installed
 * copy): only then do the build folder's schema and catalogs belong to it. */
static gboolean
running_from_build_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = NULL;
  g_autofree char *build_dir = realpath (ASTRA_BUILD_BINDIR, NULL);

  if (exe == NULL || build_dir == NULL)
    return FALSE;

  exe_dir = g_path_get_dirname (exe);
  return g_str_equal (exe_dir, build_dir);
}

/* An uninstalled run (_build/src/astra-tokens, as the README suggests) uses the schema
 * compiled in the build folder, unless the caller chose a schema folder, and the catalogs
 * built there: the install prefix may hold none, or an older version's. */
static const char *
use_build_dir (void)
{
  g_autofree char *compiled = g_build_filename (ASTRA_BUILD_SCHEMADIR, "gschemas.compiled", NULL);

  if (!running_from_build_dir ())
    return LOCALEDIR;

  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL && g_file_test (compiled, G_FILE_TEST_EXISTS))
    g_setenv ("GSETTINGS_SCHEMA_DIR", ASTRA_BUILD_SCHEMADIR, TRUE);

  return ASTRA_BUILD_LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AstraApplication) app = NULL;

#ifdef __GLIBC__
  /* glibc gives each thread that allocates its own heap ("arena"), and keeps what it
   * touched. The app's threads (D-Bus, GLib's workers, the first answers' prefetch)
   * allocate little, or once: sharing the main heap keeps about 1.7 MiB of a 10,000-token
   * list's resident memory (build-aux/bench) for no measurable contention. */
  mallopt (M_ARENA_MAX, 1);
#endif

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, use_build_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Astra Tokens"));

  app = astra_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

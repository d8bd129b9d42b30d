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

#include "astra-application.h"

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
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Astra Tokens"));

  app = astra_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* astra-cli-common.c: option parsing, waiting for async results, messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-cli.h"
#include "astra-pgp.h"
#include "astra-types.h"

gboolean
astra_cli_parse_options (GOptionContext  *context,
                         int             *argc,
                         char          ***argv)
{
  g_autoptr(GError) error = NULL;

  /* --help's "Usage:" line names the program by its prgname: "astra-tokens-cli COMMAND". */
  g_set_prgname ((*argv)[0]);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      astra_cli_printerr ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

void
astra_cli_async_ready (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  AstraCliWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

GAsyncResult *
astra_cli_wait (AstraCliWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&wait->result);
}

void
astra_cli_printerr (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("astra-tokens-cli: %s\n", message);
}

char *
astra_cli_read_passphrase_file (const char  *path,
                                GError     **error)
{
  g_autoptr(AstraSecretString) contents = NULL;
  gsize length = 0;
  char *end;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  end = strpbrk (contents, "\r\n");
  if (end != NULL)
    *end = '\0';
  if (contents[0] == '\0')
    {
      g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_BAD_PASSPHRASE,
                   _("The passphrase file “%s” is empty."), path);
      return NULL;
    }

  return g_strdup (contents);
}

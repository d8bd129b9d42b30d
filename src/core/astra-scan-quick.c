/* astra-scan-quick.c: a scan of the usual places (astra-scan-quick.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include "astra-scan-finding.h"
#include "astra-scan-quick.h"
#include "astra-scanner.h"

static const char * const usual_places[] = {
  "Downloads",
  ".astrarc",
  ".config/astra/.astrarc",
  ".bashrc",
  ".bash_profile",
  ".profile",
  ".zshrc",
  ".zprofile",
  ".env",
  NULL,
};

char **
astra_scan_quick_dup_roots (const char *home)
{
  g_autoptr(GStrvBuilder) roots = g_strv_builder_new ();

  g_return_val_if_fail (home != NULL, NULL);

  for (guint i = 0; usual_places[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (home, usual_places[i], NULL);

      /* A symbolic link to a dotfiles repository is the usual case for rc files. */
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        g_strv_builder_add (roots, path);
    }

  return g_strv_builder_end (roots);
}

static void
quick_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_auto(GStrv) roots = astra_scan_quick_dup_roots (task_data);
  g_autoptr(AstraScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *findings;

  if (roots[0] == NULL)
    {
      g_task_return_pointer (task, g_list_store_new (ASTRA_TYPE_SCAN_FINDING), g_object_unref);
      return;
    }

  scanner = astra_scanner_new ();
  findings = astra_scanner_scan (scanner, (const char * const *) roots, cancellable, &error);
  if (findings == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A place that vanished between the look and the scan: as if it were not there. */
  if (findings == NULL)
    {
      g_debug ("Quick scan: %s", error->message);
      findings = G_LIST_MODEL (g_list_store_new (ASTRA_TYPE_SCAN_FINDING));
    }

  g_task_return_pointer (task, findings, g_object_unref);
}

void
astra_scan_quick_async (const char          *home,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (home != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_scan_quick_async);
  g_task_set_task_data (task, g_strdup (home), g_free);
  g_task_run_in_thread (task, quick_thread);
}

GListModel *
astra_scan_quick_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

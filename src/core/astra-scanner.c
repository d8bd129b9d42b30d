/* astra-scanner.c: runs a scan (astra-scan-walk.c) in a worker thread and reports its
 * progress to the main context that started it
 *
 * The walk counts files and bytes with atomics; a timeout on the caller's main context
 * turns those into property notifications ten times a second, so a progress bar never
 * costs the walk a lock or a main-loop round trip per file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-scan-private.h"
#include "astra-scanner.h"

#define PROGRESS_INTERVAL_MS 100

struct _AstraScanner
{
  GObject            parent_instance;

  GListStore        *skipped;
  AstraScanProgress  progress;      /* written by the worker thread */
  guint64            files_read;    /* as last notified */
  guint64            bytes_read;
  char              *current_folder;
  guint              progress_source;
  gboolean           running;
};

G_DEFINE_FINAL_TYPE (AstraScanner, astra_scanner, G_TYPE_OBJECT)
G_DEFINE_QUARK (astra-scanner-error-quark, astra_scanner_error)

enum {
  PROP_0,
  PROP_FILES_READ,
  PROP_BYTES_READ,
  PROP_CURRENT_FOLDER,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char      **roots;
  GPtrArray  *skipped;
} ScanData;

/* Helpers {{{ */

static void
scan_data_free (ScanData *data)
{
  g_strfreev (data->roots);
  g_ptr_array_unref (data->skipped);
  g_free (data);
}

static void
update_progress (AstraScanner *self)
{
  guint64 files = __atomic_load_n (&self->progress.files_read, __ATOMIC_RELAXED);
  guint64 bytes = __atomic_load_n (&self->progress.bytes_read, __ATOMIC_RELAXED);
  g_autofree char *folder = astra_scan_progress_dup_folder (&self->progress);

  g_object_freeze_notify (G_OBJECT (self));
  if (files != self->files_read)
    {
      self->files_read = files;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILES_READ]);
    }
  if (bytes != self->bytes_read)
    {
      self->bytes_read = bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_READ]);
    }
  if (g_strcmp0 (folder, self->current_folder) != 0)
    {
      g_free (self->current_folder);
      self->current_folder = g_steal_pointer (&folder);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_FOLDER]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_running (AstraScanner *self,
             gboolean      running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
start (AstraScanner *self)
{
  g_list_store_remove_all (self->skipped);
  self->progress.files_read = 0;
  self->progress.bytes_read = 0;
  astra_scan_progress_set_folder (&self->progress, NULL);
  update_progress (self);
  set_running (self, TRUE);
}

static GListModel *
finish (AstraScanner *self,
        GPtrArray    *findings,
        GPtrArray    *skipped)
{
  GListStore *store = g_list_store_new (ASTRA_TYPE_SCAN_FINDING);

  update_progress (self);
  g_list_store_splice (self->skipped, 0, 0, skipped->pdata, skipped->len);
  if (findings != NULL)
    g_list_store_splice (store, 0, 0, findings->pdata, findings->len);
  set_running (self, FALSE);
  return G_LIST_MODEL (store);
}

/* }}} */
/* Callbacks {{{ */

static gboolean
on_progress_timeout_cb (gpointer user_data)
{
  AstraScanner *self = ASTRA_SCANNER (user_data);

  update_progress (self);
  return G_SOURCE_CONTINUE;
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AstraScanner *self = ASTRA_SCANNER (source_object);
  ScanData *data = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *findings;

  findings = astra_scan_walk ((const char * const *) data->roots, &self->progress,
                              data->skipped, cancellable, &error);
  if (findings == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, findings, (GDestroyNotify) g_ptr_array_unref);
}

/* }}} */
/* GObject {{{ */

static void
astra_scanner_dispose (GObject *object)
{
  AstraScanner *self = ASTRA_SCANNER (object);

  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_object (&self->skipped);

  G_OBJECT_CLASS (astra_scanner_parent_class)->dispose (object);
}

static void
astra_scanner_finalize (GObject *object)
{
  AstraScanner *self = ASTRA_SCANNER (object);

  g_clear_pointer (&self->current_folder, g_free);
  g_clear_pointer (&self->progress.folder, g_free);
  g_mutex_clear (&self->progress.lock);

  G_OBJECT_CLASS (astra_scanner_parent_class)->finalize (object);
}

static void
astra_scanner_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AstraScanner *self = ASTRA_SCANNER (object);

  switch (prop_id)
    {
    case PROP_FILES_READ: g_value_set_uint64 (value, self->files_read); break;
    case PROP_BYTES_READ: g_value_set_uint64 (value, self->bytes_read); break;
    case PROP_CURRENT_FOLDER: g_value_set_string (value, self->current_folder); break;
    case PROP_RUNNING:    g_value_set_boolean (value, self->running); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_scanner_class_init (AstraScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = astra_scanner_dispose;
  object_class->finalize = astra_scanner_finalize;
  object_class->get_property = astra_scanner_get_property;

  properties[PROP_FILES_READ] =
    g_param_spec_uint64 ("files-read", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BYTES_READ] =
    g_param_spec_uint64 ("bytes-read", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_FOLDER] =
    g_param_spec_string ("current-folder", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_scanner_init (AstraScanner *self)
{
  self->skipped = g_list_store_new (ASTRA_TYPE_SCAN_SKIP);
  g_mutex_init (&self->progress.lock);
}

/* }}} */
/* Public API {{{ */

AstraScanner *
astra_scanner_new (void)
{
  return g_object_new (ASTRA_TYPE_SCANNER, NULL);
}

guint64
astra_scanner_get_files_read (AstraScanner *self)
{
  g_return_val_if_fail (ASTRA_IS_SCANNER (self), 0);
  return self->files_read;
}

guint64
astra_scanner_get_bytes_read (AstraScanner *self)
{
  g_return_val_if_fail (ASTRA_IS_SCANNER (self), 0);
  return self->bytes_read;
}

const char *
astra_scanner_get_current_folder (AstraScanner *self)
{
  g_return_val_if_fail (ASTRA_IS_SCANNER (self), NULL);
  return self->current_folder;
}

gboolean
astra_scanner_get_running (AstraScanner *self)
{
  g_return_val_if_fail (ASTRA_IS_SCANNER (self), FALSE);
  return self->running;
}

GListModel *
astra_scanner_get_skipped (AstraScanner *self)
{
  g_return_val_if_fail (ASTRA_IS_SCANNER (self), NULL);
  return G_LIST_MODEL (self->skipped);
}

void
astra_scanner_scan_async (AstraScanner         *self,
                          const char * const   *roots,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSource) source = NULL;
  ScanData *data;

  g_return_if_fail (ASTRA_IS_SCANNER (self));
  g_return_if_fail (roots != NULL);
  g_return_if_fail (!self->running);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_scanner_scan_async);
  g_task_set_name (task, "astra_scanner_scan_async");

  data = g_new0 (ScanData, 1);
  data->roots = g_strdupv ((char **) roots);
  data->skipped = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);

  start (self);
  source = g_timeout_source_new (PROGRESS_INTERVAL_MS);
  g_source_set_callback (source, on_progress_timeout_cb, self, NULL);
  g_source_set_name (source, "[astra] scan progress");
  self->progress_source = g_source_attach (source, g_main_context_get_thread_default ());

  g_task_run_in_thread (task, scan_thread);
}

GListModel *
astra_scanner_scan_finish (AstraScanner  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(GPtrArray) findings = NULL;
  ScanData *data;

  g_return_val_if_fail (ASTRA_IS_SCANNER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  g_clear_handle_id (&self->progress_source, g_source_remove);
  data = g_task_get_task_data (G_TASK (result));
  findings = g_task_propagate_pointer (G_TASK (result), error);
  if (findings == NULL)
    {
      g_object_unref (finish (self, NULL, data->skipped));
      return NULL;
    }
  return finish (self, findings, data->skipped);
}

GListModel *
astra_scanner_scan (AstraScanner        *self,
                    const char * const  *roots,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) findings = NULL;

  g_return_val_if_fail (ASTRA_IS_SCANNER (self), NULL);
  g_return_val_if_fail (roots != NULL, NULL);
  g_return_val_if_fail (!self->running, NULL);

  start (self);
  findings = astra_scan_walk (roots, &self->progress, skipped, cancellable, error);
  if (findings == NULL)
    {
      g_object_unref (finish (self, NULL, skipped));
      return NULL;
    }
  return finish (self, findings, skipped);
}

/* }}} */

/* astra-scanner.h: finds plain-text Astra tokens and portal CSV files in folder trees
 *
 * A scan reads every regular file under its roots with big read() blocks and memmem(), the
 * way `grep -rlF AstraCS:` does, off the main thread (a walking thread and one reader
 * thread per processor, at most four); the findings (astra-scan-finding.h) come back as a
 * GListModel in walk order (a file's findings together, by line), and what was not read
 * comes back as skipped entries with the reason. It never follows a symbolic link below a root (a link inside the tree names a file
 * the walk meets anyway; one outside or around a loop is recorded as skipped), never opens
 * a FIFO, socket or device, and does not descend into what holds no one's own secrets:
 * `.git/objects`, caches (`.cache`, `__pycache__`, folders with CACHEDIR.TAG),
 * `node_modules`, virtual environments (folders with pyvenv.cfg or conda-meta) and the
 * keyrings folder. Files over ASTRA_SCANNER_MAX_FILE_SIZE and binary files (a NUL byte in
 * the first block) are skipped. An unreadable file or folder is skipped, not an error.
 *
 * Classifying the findings (held, live, revoked…) is a separate step: astra-scan-classify.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-scan-finding.h"
#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_SCANNER_MAX_FILE_SIZE (50 * 1024 * 1024)

/**
 * AstraScanSkipReason:
 * @ASTRA_SCAN_SKIP_UNREADABLE: the file or folder could not be opened or read
 * @ASTRA_SCAN_SKIP_TOO_LARGE: a file over ASTRA_SCANNER_MAX_FILE_SIZE
 * @ASTRA_SCAN_SKIP_BINARY: a NUL byte in the first block
 * @ASTRA_SCAN_SKIP_SPECIAL: a FIFO, socket or device (never opened)
 * @ASTRA_SCAN_SKIP_SYMLINK_OUTSIDE: a symbolic link to something outside the roots
 * @ASTRA_SCAN_SKIP_SYMLINK_LOOP: a symbolic link that loops, or a folder met twice
 * @ASTRA_SCAN_SKIP_EXCLUDED: a folder the scanner does not enter (caches, .git/objects,
 *   node_modules, virtual environments, the keyrings folder)
 */
typedef enum
{
  ASTRA_SCAN_SKIP_UNREADABLE,
  ASTRA_SCAN_SKIP_TOO_LARGE,
  ASTRA_SCAN_SKIP_BINARY,
  ASTRA_SCAN_SKIP_SPECIAL,
  ASTRA_SCAN_SKIP_SYMLINK_OUTSIDE,
  ASTRA_SCAN_SKIP_SYMLINK_LOOP,
  ASTRA_SCAN_SKIP_EXCLUDED,
} AstraScanSkipReason;

#define ASTRA_SCANNER_ERROR (astra_scanner_error_quark ())

typedef enum
{
  ASTRA_SCANNER_ERROR_ROOT,     /* a root does not exist or cannot be opened at all */
} AstraScannerError;

#define ASTRA_TYPE_SCAN_SKIP (astra_scan_skip_get_type ())
G_DECLARE_FINAL_TYPE (AstraScanSkip, astra_scan_skip, ASTRA, SCAN_SKIP, GObject)

/* Properties (read-only): "path" (string), "reason" (AstraScanSkipReason), "message"
 * (string: translated, says why, e.g. the system's "Permission denied"). */
const char          *astra_scan_skip_get_path    (AstraScanSkip *self);
AstraScanSkipReason  astra_scan_skip_get_reason  (AstraScanSkip *self);
const char          *astra_scan_skip_get_message (AstraScanSkip *self);

#define ASTRA_TYPE_SCANNER (astra_scanner_get_type ())
G_DECLARE_FINAL_TYPE (AstraScanner, astra_scanner, ASTRA, SCANNER, GObject)

GQuark        astra_scanner_error_quark     (void);

/* One scanner runs one scan at a time. */
AstraScanner *astra_scanner_new             (void);

/* Progress, as properties "files-read" and "bytes-read" (guint64) and "current-folder"
 * (string: the folder being walked, for "Searching ~/Projects…") notified on the
 * thread-default main context of the astra_scanner_scan_async() caller, about ten times a
 * second while it runs and once at the end; "running" (boolean). */
guint64       astra_scanner_get_files_read  (AstraScanner *self);
guint64       astra_scanner_get_bytes_read  (AstraScanner *self);
const char   *astra_scanner_get_current_folder (AstraScanner *self);
gboolean      astra_scanner_get_running     (AstraScanner *self);

/* @roots: paths of folders or files (NULL-terminated; a root that is a symbolic link is
 * followed). → GListModel of AstraScanFinding in walk order (transfer full).
 * Errors: G_IO_ERROR_CANCELLED; ASTRA_SCANNER_ERROR_ROOT for a root that cannot be scanned
 * at all. After it finishes, astra_scanner_get_skipped() lists what was not read. */
void          astra_scanner_scan_async      (AstraScanner         *self,
                                             const char * const   *roots,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GListModel   *astra_scanner_scan_finish     (AstraScanner         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* The same, blocking in the calling thread (the CLI; the tests). */
GListModel   *astra_scanner_scan            (AstraScanner         *self,
                                             const char * const   *roots,
                                             GCancellable         *cancellable,
                                             GError              **error);

/* The last scan's skipped entries: GListModel of AstraScanSkip (transfer none; replaced by
 * the next scan). */
GListModel   *astra_scanner_get_skipped     (AstraScanner         *self);

G_END_DECLS

/* astra-file-rewrite.h: replaces one value in a file, atomically, keeping every other byte
 *
 * For "Replace with Reference": the span of a plain-text token found by the scanner is
 * replaced by a reference (astra-reference.h). The new contents go to a temporary file in
 * the same folder with the original's mode, are flushed to disk, and are renamed over the
 * original, so a crash leaves either the old file or the new one, never half of each.
 * A file that changed since the scan (size, modification time, or the bytes of the value)
 * is refused with ASTRA_FILE_REWRITE_ERROR_CHANGED: the caller scans it again rather than
 * overwrite what someone else wrote.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-scan-finding.h"

G_BEGIN_DECLS

#define ASTRA_FILE_REWRITE_ERROR (astra_file_rewrite_error_quark ())

typedef enum
{
  ASTRA_FILE_REWRITE_ERROR_CHANGED,   /* size, mtime or the value's bytes differ from the scan */
  ASTRA_FILE_REWRITE_ERROR_FAILED,    /* the file could not be read, written or renamed */
} AstraFileRewriteError;

/* What the file looked like when it was scanned, and where the value is. */
typedef struct
{
  guint64  file_size;
  gint64   file_mtime;        /* µs since the epoch, as astra-scan-finding.h keeps it */
  guint64  value_offset;
  guint64  value_length;
} AstraFileSpan;

GQuark    astra_file_rewrite_error_quark (void);

/* Replaces the @span->value_length bytes at @span->value_offset of @path, which must equal
 * @expected_value (the secret as loaded from the file: compared, never logged), by
 * @replacement. Blocking: call it in a thread (astra_file_rewrite_finding_async does). */
gboolean  astra_file_rewrite_value        (const char           *path,
                                           const AstraFileSpan  *span,
                                           const char           *expected_value,
                                           const char           *replacement,
                                           GError              **error);

/* The same for a scanner finding, in a worker thread. @expected_value is copied and wiped. */
void      astra_file_rewrite_finding_async  (AstraScanFinding     *finding,
                                             const char           *expected_value,
                                             const char           *replacement,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean  astra_file_rewrite_finding_finish (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS

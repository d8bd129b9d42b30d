/* astra-trash.h: a file moved to the trash, and back
 *
 * g_file_trash() moves a file to the freedesktop.org trash but says nothing of where it
 * went, and listing trash:/// needs gvfs. For the findings page's Undo, this finds the
 * trashed copy through its .trashinfo file (the trash of the home folder, or the one at
 * the top of the file's mount) and moves it back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AstraTrashed AstraTrashed;

void          astra_trashed_free        (AstraTrashed *trashed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraTrashed, astra_trashed_free)

/* Moves @file to the trash. → what astra_trash_restore() needs (transfer full), or NULL
 * with GIO's error (G_IO_ERROR_NOT_SUPPORTED where there is no trash). Blocking. */
AstraTrashed *astra_trash_file          (GFile         *file,
                                         GCancellable  *cancellable,
                                         GError       **error);
/* Moves the file back where it was; G_IO_ERROR_EXISTS when something new is there. */
gboolean      astra_trash_restore       (AstraTrashed  *trashed,
                                         GCancellable  *cancellable,
                                         GError       **error);
const char   *astra_trashed_get_path    (AstraTrashed  *trashed);

/* The same in a worker thread, for the UI. */
void          astra_trash_file_async      (GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
AstraTrashed *astra_trash_file_finish     (GAsyncResult        *result,
                                           GError             **error);
/* @trashed is taken (freed when done). */
void          astra_trash_restore_async   (AstraTrashed        *trashed,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      astra_trash_restore_finish  (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS

/* astra-export.h: "Export CSV…" for tokens
 *
 * Portal format when every selected token's secret is in the keyring, inventory format
 * otherwise; a file chooser (GtkFileChooserNative) names what the file contains, and a
 * file holding secrets is written only after a warning whose default is to cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "astra-connection.h"
#include "astra-encrypt-dialog.h"
#include "astra-secret-store.h"

G_BEGIN_DECLS

typedef enum
{
  ASTRA_EXPORT_FORMAT_AUTO,       /* portal when every secret is in the keyring, else inventory */
  ASTRA_EXPORT_FORMAT_PORTAL,     /* "Client Id","Client Secret","Role","Token": holds secrets */
  ASTRA_EXPORT_FORMAT_INVENTORY,  /* no secrets */
} AstraExportFormat;

/* @tokens: AstraToken items (the selection). Reports the outcome in a toast on the
 * AdwToastOverlay when the window has one. */
void astra_export_tokens          (GtkWindow        *parent,
                                   AstraSecretStore *store,
                                   AstraConnection  *connection,
                                   GListModel       *tokens);

/* The same without any dialog: looks the secrets up, picks the format (for AUTO), and
 * writes @file atomically with mode 0600 off the main thread. @format_used tells which
 * format was written. Fails with ASTRA_SECRET_STORE_ERROR_NOT_FOUND when PORTAL was asked
 * for and a secret is missing. */
void     astra_export_tokens_to_file_async  (AstraSecretStore     *store,
                                             AstraConnection      *connection,
                                             GListModel           *tokens,
                                             AstraExportFormat     format,
                                             GFile                *file,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean astra_export_tokens_to_file_finish (GAsyncResult         *result,
                                             AstraExportFormat    *format_used,
                                             GError              **error);

/* Writes @contents to @file (atomic, 0600) in a worker thread. */
void     astra_export_write_async           (GFile                *file,
                                             GBytes               *contents,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean astra_export_write_finish          (GAsyncResult         *result,
                                             GError              **error);

/* Writes @contents to @file as @protection (nullable: plain) says: encrypted with OpenPGP
 * (astra-pgp.h), or plain; either way atomically, mode 0600, off the main thread, leaving
 * nothing behind on failure. */
void     astra_export_write_protected_async  (GFile                        *file,
                                              GBytes                       *contents,
                                              const AstraExportProtection  *protection,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
gboolean astra_export_write_protected_finish (GAsyncResult                 *result,
                                              GError                      **error);

/* Asks how a file with @n_secrets tokens' secrets is to be protected (AstraEncryptDialog);
 * when the answer is "without encryption", the unencrypted-file warning follows.
 * → (transfer full) the protection, or G_IO_ERROR_CANCELLED. */
void                   astra_export_protect_async  (GtkWindow            *parent,
                                                    guint                 n_secrets,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
AstraExportProtection *astra_export_protect_finish (GAsyncResult         *result,
                                                    GError              **error);

/* A save dialog (GtkFileChooserNative) titled @title, proposing @file_name, filtered to CSV
 * (to OpenPGP files when @file_name ends in .gpg or .asc).
 * → (transfer full) the chosen GFile, or NULL with G_IO_ERROR_CANCELLED. */
void     astra_export_choose_file_async      (GtkWindow            *parent,
                                              const char           *title,
                                              const char           *file_name,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GFile   *astra_export_choose_file_finish     (GAsyncResult         *result,
                                              GError              **error);

/* Shows @message in the first AdwToastOverlay inside @window; FALSE when there is none. */
gboolean astra_export_show_toast             (GtkWindow            *window,
                                              const char           *message);

G_END_DECLS

/* astra-encrypt-dialog.h: how to protect an export of secrets
 *
 * Asked before every export that holds secrets: encrypted for people (a searchable picker
 * of the user's GnuPG public keys), encrypted with a passphrase (entered twice, with a
 * strength hint, never stored), or without encryption (the caller then shows the
 * unencrypted-file warning); armored (.asc) or binary (.gpg). Encryption for people is
 * chosen at first when the user has a key that can be used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  ASTRA_EXPORT_PROTECTION_PEOPLE,
  ASTRA_EXPORT_PROTECTION_PASSPHRASE,
  ASTRA_EXPORT_PROTECTION_PLAIN,
} AstraExportProtectionMode;

typedef struct
{
  AstraExportProtectionMode  mode;
  char                     **recipients;  /* PEOPLE: fingerprints (the user's own added later) */
  char                      *passphrase;  /* PASSPHRASE: wiped when freed */
  gboolean                   armor;
} AstraExportProtection;

void        astra_export_protection_free       (AstraExportProtection *protection);
/* "GeneratedToken.csv", "GeneratedToken.csv.gpg" or "GeneratedToken.csv.asc". */
const char *astra_export_protection_file_name  (const AstraExportProtection *protection);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraExportProtection, astra_export_protection_free)

#define ASTRA_TYPE_ENCRYPT_DIALOG (astra_encrypt_dialog_get_type ())

G_DECLARE_FINAL_TYPE (AstraEncryptDialog, astra_encrypt_dialog, ASTRA, ENCRYPT_DIALOG, AdwWindow)

/* Presents the dialog for an export of @n_tokens tokens. → (transfer full) the choice, or
 * G_IO_ERROR_CANCELLED when it was closed. */
void                   astra_encrypt_dialog_choose_async  (GtkWindow            *parent,
                                                           guint                 n_tokens,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
AstraExportProtection *astra_encrypt_dialog_choose_finish (GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS

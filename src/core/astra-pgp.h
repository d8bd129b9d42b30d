/* astra-pgp.h: OpenPGP encryption of exports and decryption of imports, through GPGME
 *
 * What is encrypted is the portal CSV (astra-csv.h) byte for byte, so that `gpg --decrypt`
 * of an exported file gives exactly the file the plain export would have written.
 *   - For people: encrypted to the chosen public keys, plus every secret key of the user's
 *     own that can encrypt, so the user can read the file back.
 *   - With a passphrase: symmetric (AES-256); the passphrase goes to gpg through GPGME's
 *     loopback pinentry, never to gpg-agent's own dialog, and is not cached by the agent.
 * Decryption of a file for a key asks for the key's passphrase with gpg-agent's pinentry;
 * a file encrypted with a passphrase can instead be given one (loopback).
 *
 * One gpgme context per operation; every blocking call runs in a GTask thread. Decrypted
 * bytes stay in memory that is wiped when the GBytes is freed, and are never written to disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-pgp-key.h"

G_BEGIN_DECLS

#define ASTRA_PGP_ERROR (astra_pgp_error_quark ())

typedef enum
{
  ASTRA_PGP_ERROR_NO_ENGINE,        /* GnuPG (gpg) is not installed or too old */
  ASTRA_PGP_ERROR_NO_AGENT,         /* gpg-agent could not be reached or started */
  ASTRA_PGP_ERROR_NO_KEY,           /* no recipient, or one that is not a usable key */
  ASTRA_PGP_ERROR_KEYRING,          /* the keyring of public keys could not be read */
  ASTRA_PGP_ERROR_BAD_PASSPHRASE,   /* the passphrase is wrong */
  ASTRA_PGP_ERROR_NO_SECRET_KEY,    /* the file is encrypted for someone else */
  ASTRA_PGP_ERROR_BAD_DATA,         /* not OpenPGP, truncated or tampered with */
  ASTRA_PGP_ERROR_CANCELLED,        /* the user cancelled the passphrase dialog */
  ASTRA_PGP_ERROR_FAILED,
} AstraPgpError;

#define ASTRA_PGP_ARMOR_SUFFIX  ".asc"
#define ASTRA_PGP_BINARY_SUFFIX ".gpg"

GQuark      astra_pgp_error_quark       (void);

/* TRUE when @data looks like an OpenPGP message (armored or binary) rather than text
 * such as a CSV. A cheap sniff of the first bytes, for choosing how to open a file. */
gboolean    astra_pgp_is_encrypted      (const guint8 *data,
                                         gsize         length);

/* Every public key of the keyring, usable or not, sorted by name then e-mail.
 * → (transfer full) GListModel of AstraPgpKey. Blocks: use the async variant from the UI. */
GListModel *astra_pgp_list_keys         (GCancellable         *cancellable,
                                         GError              **error);
void        astra_pgp_list_keys_async   (GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GListModel *astra_pgp_list_keys_finish  (GAsyncResult         *result,
                                         GError              **error);

/* Encrypts @plaintext for @recipients (fingerprints, key ids or e-mail addresses; the
 * user's own secret keys are added) or, when @passphrase is set, symmetrically with it.
 * Exactly one of the two must be given. @armor: ASCII armor (.asc) instead of binary.
 * → (transfer full) the OpenPGP message. */
GBytes     *astra_pgp_encrypt           (GBytes               *plaintext,
                                         const char * const   *recipients,
                                         const char           *passphrase,
                                         gboolean              armor,
                                         GCancellable         *cancellable,
                                         GError              **error);
/* astra_pgp_encrypt() then an atomic write of @file (mode 0600, a temporary file next to
 * it renamed over it, removed on any failure), in a thread. @passphrase is copied. */
void        astra_pgp_encrypt_to_file_async  (GBytes              *plaintext,
                                              const char * const  *recipients,
                                              const char          *passphrase,
                                              gboolean             armor,
                                              GFile               *file,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    astra_pgp_encrypt_to_file_finish (GAsyncResult        *result,
                                              GError             **error);

/* Decrypts @ciphertext. Without @passphrase gpg-agent asks for whatever is needed; with
 * one, it is given to gpg directly (loopback), for files encrypted with a passphrase.
 * → (transfer full) the plaintext, in memory wiped when the bytes are freed. */
GBytes     *astra_pgp_decrypt           (GBytes               *ciphertext,
                                         const char           *passphrase,
                                         GCancellable         *cancellable,
                                         GError              **error);
void        astra_pgp_decrypt_async     (GBytes               *ciphertext,
                                         const char           *passphrase,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GBytes     *astra_pgp_decrypt_finish    (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS

/* astra-pgp-key.h: one OpenPGP public key of the user's GnuPG keyring, for a recipient picker
 *
 * Read-only properties: "name", "email", "fingerprint", "key-id" (the last 16 hex digits),
 * "search-text" ("name <email> fingerprint", for a GtkStringFilter), and the booleans
 * "expired", "revoked", "invalid", "disabled", "untrusted" (GnuPG does not consider the
 * user id valid: nobody the user trusts has certified it), "can-encrypt", "secret" (the
 * user's own key: the secret key is in the keyring) and "usable" (a message can be
 * encrypted for it: none of the flaws and an encryption subkey).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ASTRA_TYPE_PGP_KEY (astra_pgp_key_get_type ())

G_DECLARE_FINAL_TYPE (AstraPgpKey, astra_pgp_key, ASTRA, PGP_KEY, GObject)

typedef enum
{
  ASTRA_PGP_KEY_EXPIRED     = 1 << 0,
  ASTRA_PGP_KEY_REVOKED     = 1 << 1,
  ASTRA_PGP_KEY_INVALID     = 1 << 2,
  ASTRA_PGP_KEY_DISABLED    = 1 << 3,
  ASTRA_PGP_KEY_UNTRUSTED   = 1 << 4,
  ASTRA_PGP_KEY_CAN_ENCRYPT = 1 << 5,
  ASTRA_PGP_KEY_SECRET      = 1 << 6,
} AstraPgpKeyFlags;

AstraPgpKey *astra_pgp_key_new             (const char       *name,
                                            const char       *email,
                                            const char       *fingerprint,
                                            AstraPgpKeyFlags  flags);
const char  *astra_pgp_key_get_name        (AstraPgpKey      *self);
const char  *astra_pgp_key_get_email       (AstraPgpKey      *self);
const char  *astra_pgp_key_get_fingerprint (AstraPgpKey      *self);
const char  *astra_pgp_key_get_key_id      (AstraPgpKey      *self);
AstraPgpKeyFlags astra_pgp_key_get_flags   (AstraPgpKey      *self);
gboolean     astra_pgp_key_is_usable       (AstraPgpKey      *self);
gboolean     astra_pgp_key_is_secret       (AstraPgpKey      *self);
/* Why the key cannot be used, for the user ("Expired", "Revoked", …); NULL when usable.
 * (transfer none; translated) */
const char  *astra_pgp_key_get_problem     (AstraPgpKey      *self);

G_END_DECLS

/* astra-pgp-key.c: one OpenPGP public key of the user's GnuPG keyring
 *
 * A plain value object: the key listing (astra-pgp.c) fills it once, the recipient picker
 * shows and filters it. The flags are kept as GnuPG reported them, and "usable" is derived
 * here so that the picker and the encryption agree on what may be chosen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-pgp"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-pgp-key.h"

struct _AstraPgpKey
{
  GObject           parent_instance;

  char             *name;
  char             *email;
  char             *fingerprint;
  char             *search_text;
  AstraPgpKeyFlags  flags;
};

G_DEFINE_FINAL_TYPE (AstraPgpKey, astra_pgp_key, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_EMAIL,
  PROP_FINGERPRINT,
  PROP_KEY_ID,
  PROP_SEARCH_TEXT,
  PROP_EXPIRED,
  PROP_REVOKED,
  PROP_INVALID,
  PROP_DISABLED,
  PROP_UNTRUSTED,
  PROP_CAN_ENCRYPT,
  PROP_SECRET,
  PROP_USABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define UNUSABLE_FLAGS (ASTRA_PGP_KEY_EXPIRED | ASTRA_PGP_KEY_REVOKED | ASTRA_PGP_KEY_INVALID | \
                        ASTRA_PGP_KEY_DISABLED | ASTRA_PGP_KEY_UNTRUSTED)

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_pgp_key_finalize (GObject *object)
{
  AstraPgpKey *self = ASTRA_PGP_KEY (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (astra_pgp_key_parent_class)->finalize (object);
}

static void
astra_pgp_key_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AstraPgpKey *self = ASTRA_PGP_KEY (object);

  switch (prop_id)
    {
    case PROP_NAME:        g_value_set_string (value, self->name); break;
    case PROP_EMAIL:       g_value_set_string (value, self->email); break;
    case PROP_FINGERPRINT: g_value_set_string (value, self->fingerprint); break;
    case PROP_KEY_ID:      g_value_set_string (value, astra_pgp_key_get_key_id (self)); break;
    case PROP_SEARCH_TEXT: g_value_set_string (value, self->search_text); break;
    case PROP_EXPIRED:     g_value_set_boolean (value, self->flags & ASTRA_PGP_KEY_EXPIRED); break;
    case PROP_REVOKED:     g_value_set_boolean (value, self->flags & ASTRA_PGP_KEY_REVOKED); break;
    case PROP_INVALID:     g_value_set_boolean (value, self->flags & ASTRA_PGP_KEY_INVALID); break;
    case PROP_DISABLED:    g_value_set_boolean (value, self->flags & ASTRA_PGP_KEY_DISABLED); break;
    case PROP_UNTRUSTED:   g_value_set_boolean (value, self->flags & ASTRA_PGP_KEY_UNTRUSTED); break;
    case PROP_CAN_ENCRYPT: g_value_set_boolean (value, self->flags & ASTRA_PGP_KEY_CAN_ENCRYPT); break;
    case PROP_SECRET:      g_value_set_boolean (value, self->flags & ASTRA_PGP_KEY_SECRET); break;
    case PROP_USABLE:      g_value_set_boolean (value, astra_pgp_key_is_usable (self)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
boolean_property (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
astra_pgp_key_class_init (AstraPgpKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = astra_pgp_key_finalize;
  object_class->get_property = astra_pgp_key_get_property;

  properties[PROP_NAME] = string_property ("name");
  properties[PROP_EMAIL] = string_property ("email");
  properties[PROP_FINGERPRINT] = string_property ("fingerprint");
  properties[PROP_KEY_ID] = string_property ("key-id");
  properties[PROP_SEARCH_TEXT] = string_property ("search-text");
  properties[PROP_EXPIRED] = boolean_property ("expired");
  properties[PROP_REVOKED] = boolean_property ("revoked");
  properties[PROP_INVALID] = boolean_property ("invalid");
  properties[PROP_DISABLED] = boolean_property ("disabled");
  properties[PROP_UNTRUSTED] = boolean_property ("untrusted");
  properties[PROP_CAN_ENCRYPT] = boolean_property ("can-encrypt");
  properties[PROP_SECRET] = boolean_property ("secret");
  properties[PROP_USABLE] = boolean_property ("usable");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_pgp_key_init (AstraPgpKey *self)
{
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraPgpKey *
astra_pgp_key_new (const char       *name,
                   const char       *email,
                   const char       *fingerprint,
                   AstraPgpKeyFlags  flags)
{
  AstraPgpKey *self;

  g_return_val_if_fail (fingerprint != NULL, NULL);

  self = g_object_new (ASTRA_TYPE_PGP_KEY, NULL);
  self->name = g_strdup (name != NULL ? name : "");
  self->email = g_strdup (email != NULL ? email : "");
  self->fingerprint = g_strdup (fingerprint);
  self->flags = flags;
  self->search_text = g_strdup_printf ("%s <%s> %s", self->name, self->email, fingerprint);

  return self;
}

const char *
astra_pgp_key_get_name (AstraPgpKey *self)
{
  g_return_val_if_fail (ASTRA_IS_PGP_KEY (self), NULL);

  return self->name;
}

const char *
astra_pgp_key_get_email (AstraPgpKey *self)
{
  g_return_val_if_fail (ASTRA_IS_PGP_KEY (self), NULL);

  return self->email;
}

const char *
astra_pgp_key_get_fingerprint (AstraPgpKey *self)
{
  g_return_val_if_fail (ASTRA_IS_PGP_KEY (self), NULL);

  return self->fingerprint;
}

/* The long key id is the fingerprint's last 16 hex digits (v4 keys). */
const char *
astra_pgp_key_get_key_id (AstraPgpKey *self)
{
  gsize length;

  g_return_val_if_fail (ASTRA_IS_PGP_KEY (self), NULL);

  length = strlen (self->fingerprint);
  return length > 16 ? self->fingerprint + length - 16 : self->fingerprint;
}

AstraPgpKeyFlags
astra_pgp_key_get_flags (AstraPgpKey *self)
{
  g_return_val_if_fail (ASTRA_IS_PGP_KEY (self), 0);

  return self->flags;
}

gboolean
astra_pgp_key_is_usable (AstraPgpKey *self)
{
  g_return_val_if_fail (ASTRA_IS_PGP_KEY (self), FALSE);

  return (self->flags & UNUSABLE_FLAGS) == 0 && (self->flags & ASTRA_PGP_KEY_CAN_ENCRYPT) != 0;
}

gboolean
astra_pgp_key_is_secret (AstraPgpKey *self)
{
  g_return_val_if_fail (ASTRA_IS_PGP_KEY (self), FALSE);

  return (self->flags & ASTRA_PGP_KEY_SECRET) != 0;
}

const char *
astra_pgp_key_get_problem (AstraPgpKey *self)
{
  g_return_val_if_fail (ASTRA_IS_PGP_KEY (self), NULL);

  /* The most final reason first: a revoked key stays revoked even if it is renewed. */
  if (self->flags & ASTRA_PGP_KEY_REVOKED)
    return _("Revoked");
  if (self->flags & ASTRA_PGP_KEY_EXPIRED)
    return _("Expired");
  if (self->flags & (ASTRA_PGP_KEY_INVALID | ASTRA_PGP_KEY_DISABLED))
    return _("Disabled or invalid");
  if (!(self->flags & ASTRA_PGP_KEY_CAN_ENCRYPT))
    return _("Cannot encrypt");
  if (self->flags & ASTRA_PGP_KEY_UNTRUSTED)
    return _("Not verified");
  return NULL;
}

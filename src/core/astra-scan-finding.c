/* astra-scan-finding.c: one plain-text Astra secret found by the scanner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-enum-types.h"
#include "astra-scan-finding.h"
#include "astra-scan-private.h"

struct _AstraScanFinding
{
  GObject         parent_instance;

  char           *path;
  GFile          *file;
  guint           line;
  AstraScanKind   kind;
  char           *client_id;
  char           *masked;
  char           *variable;
  char           *section;
  char          **role_names;
  guint64         value_offset;
  guint64         value_length;
  guint64         row_offset;
  guint64         file_size;
  gint64          file_mtime;
  AstraScanState  state;
  char           *org_id;
};

G_DEFINE_FINAL_TYPE (AstraScanFinding, astra_scan_finding, G_TYPE_OBJECT)
G_DEFINE_QUARK (astra-scan-finding-error-quark, astra_scan_finding_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_LINE,
  PROP_KIND,
  PROP_CLIENT_ID,
  PROP_MASKED,
  PROP_VARIABLE,
  PROP_SECTION,
  PROP_ROLE_NAMES,
  PROP_VALUE_OFFSET,
  PROP_VALUE_LENGTH,
  PROP_FILE_SIZE,
  PROP_FILE_MTIME,
  PROP_STATE,
  PROP_ORG_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char *id;
  const char *display_name;
} kinds[] = {
  [ASTRA_SCAN_KIND_TOKEN]             = { "token", N_("Token") },
  [ASTRA_SCAN_KIND_PORTAL_CSV_SECRET] = { "portal-csv-secret", N_("Client secret in a portal CSV file") },
  [ASTRA_SCAN_KIND_ASTRARC_PROFILE]   = { "astrarc-profile", N_("Astra CLI profile") },
  [ASTRA_SCAN_KIND_SHELL_EXPORT]      = { "shell-export", N_("Shell export") },
  [ASTRA_SCAN_KIND_DOTENV]            = { "dotenv", N_("Environment file") },
};

static const struct
{
  const char *id;
  const char *display_name;
} states[] = {
  [ASTRA_SCAN_STATE_UNKNOWN]     = { "unknown", N_("Unknown") },
  [ASTRA_SCAN_STATE_HELD]        = { "held", N_("In the keyring") },
  [ASTRA_SCAN_STATE_LIVE]        = { "live", N_("Live") },
  [ASTRA_SCAN_STATE_REVOKED]     = { "revoked", N_("Revoked") },
  [ASTRA_SCAN_STATE_UNKNOWN_ORG] = { "unknown-org", N_("Unknown organization") },
};

/* GObject {{{ */

static void
astra_scan_finding_finalize (GObject *object)
{
  AstraScanFinding *self = ASTRA_SCAN_FINDING (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->file);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->masked, g_free);
  g_clear_pointer (&self->variable, g_free);
  g_clear_pointer (&self->section, g_free);
  g_clear_pointer (&self->role_names, g_strfreev);
  g_clear_pointer (&self->org_id, g_free);

  G_OBJECT_CLASS (astra_scan_finding_parent_class)->finalize (object);
}

static void
astra_scan_finding_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AstraScanFinding *self = ASTRA_SCAN_FINDING (object);

  switch (prop_id)
    {
    case PROP_PATH:         g_value_set_string (value, self->path); break;
    case PROP_LINE:         g_value_set_uint (value, self->line); break;
    case PROP_KIND:         g_value_set_enum (value, self->kind); break;
    case PROP_CLIENT_ID:    g_value_set_string (value, self->client_id); break;
    case PROP_MASKED:       g_value_set_string (value, self->masked); break;
    case PROP_VARIABLE:     g_value_set_string (value, self->variable); break;
    case PROP_SECTION:      g_value_set_string (value, self->section); break;
    case PROP_ROLE_NAMES:   g_value_set_boxed (value, self->role_names); break;
    case PROP_VALUE_OFFSET: g_value_set_uint64 (value, self->value_offset); break;
    case PROP_VALUE_LENGTH: g_value_set_uint64 (value, self->value_length); break;
    case PROP_FILE_SIZE:    g_value_set_uint64 (value, self->file_size); break;
    case PROP_FILE_MTIME:   g_value_set_int64 (value, self->file_mtime); break;
    case PROP_STATE:        g_value_set_enum (value, self->state); break;
    case PROP_ORG_ID:       g_value_set_string (value, self->org_id); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_scan_finding_class_init (AstraScanFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = astra_scan_finding_finalize;
  object_class->get_property = astra_scan_finding_get_property;

  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  properties[PROP_LINE] = g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, ASTRA_TYPE_SCAN_KIND,
                                             ASTRA_SCAN_KIND_TOKEN, flags);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, flags);
  properties[PROP_MASKED] = g_param_spec_string ("masked", NULL, NULL, NULL, flags);
  properties[PROP_VARIABLE] = g_param_spec_string ("variable", NULL, NULL, NULL, flags);
  properties[PROP_SECTION] = g_param_spec_string ("section", NULL, NULL, NULL, flags);
  properties[PROP_ROLE_NAMES] = g_param_spec_boxed ("role-names", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_VALUE_OFFSET] = g_param_spec_uint64 ("value-offset", NULL, NULL,
                                                       0, G_MAXUINT64, 0, flags);
  properties[PROP_VALUE_LENGTH] = g_param_spec_uint64 ("value-length", NULL, NULL,
                                                       0, G_MAXUINT64, 0, flags);
  properties[PROP_FILE_SIZE] = g_param_spec_uint64 ("file-size", NULL, NULL,
                                                    0, G_MAXUINT64, 0, flags);
  properties[PROP_FILE_MTIME] = g_param_spec_int64 ("file-mtime", NULL, NULL,
                                                    G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, ASTRA_TYPE_SCAN_STATE,
                                              ASTRA_SCAN_STATE_UNKNOWN,
                                              flags | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ORG_ID] = g_param_spec_string ("org-id", NULL, NULL, NULL,
                                                 flags | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_scan_finding_init (AstraScanFinding *self)
{
}

/* }}} */
/* Private API {{{ */

AstraScanFinding *
astra_scan_finding_new (const char    *path,
                        guint          line,
                        AstraScanKind  kind,
                        const char    *client_id,
                        const char    *masked,
                        guint64        value_offset,
                        guint64        value_length,
                        guint64        file_size,
                        gint64         file_mtime)
{
  AstraScanFinding *self = g_object_new (ASTRA_TYPE_SCAN_FINDING, NULL);

  self->path = g_strdup (path);
  self->line = line;
  self->kind = kind;
  self->client_id = g_strdup (client_id);
  self->masked = g_strdup (masked);
  self->value_offset = value_offset;
  self->value_length = value_length;
  self->file_size = file_size;
  self->file_mtime = file_mtime;
  return self;
}

void
astra_scan_finding_set_variable (AstraScanFinding *self,
                                 const char       *variable)
{
  g_free (self->variable);
  self->variable = g_strdup (variable);
}

void
astra_scan_finding_set_section (AstraScanFinding *self,
                                const char       *section)
{
  g_free (self->section);
  self->section = g_strdup (section);
}

void
astra_scan_finding_set_role_names (AstraScanFinding  *self,
                                   char             **role_names)
{
  g_strfreev (self->role_names);
  self->role_names = role_names;
}

void
astra_scan_finding_set_row_offset (AstraScanFinding *self,
                                   guint64           row_offset)
{
  self->row_offset = row_offset;
}

guint64
astra_scan_finding_get_row_offset (AstraScanFinding *self)
{
  return self->row_offset;
}

/* }}} */
/* Public API {{{ */

const char *
astra_scan_kind_to_string (AstraScanKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kinds), NULL);
  return kinds[kind].id;
}

const char *
astra_scan_state_to_string (AstraScanState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), NULL);
  return states[state].id;
}

const char *
astra_scan_kind_get_display_name (AstraScanKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kinds), NULL);
  return _(kinds[kind].display_name);
}

const char *
astra_scan_state_get_display_name (AstraScanState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (states), NULL);
  return _(states[state].display_name);
}

const char *
astra_scan_finding_get_path (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), NULL);
  return self->path;
}

GFile *
astra_scan_finding_get_file (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), NULL);

  if (self->file == NULL)
    self->file = g_file_new_for_path (self->path);
  return self->file;
}

guint
astra_scan_finding_get_line (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), 0);
  return self->line;
}

AstraScanKind
astra_scan_finding_get_kind (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), ASTRA_SCAN_KIND_TOKEN);
  return self->kind;
}

const char *
astra_scan_finding_get_client_id (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), NULL);
  return self->client_id;
}

const char *
astra_scan_finding_get_masked (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), NULL);
  return self->masked;
}

const char *
astra_scan_finding_get_variable (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), NULL);
  return self->variable;
}

const char *
astra_scan_finding_get_section (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), NULL);
  return self->section;
}

const char * const *
astra_scan_finding_get_role_names (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), NULL);
  return (const char * const *) self->role_names;
}

guint64
astra_scan_finding_get_value_offset (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), 0);
  return self->value_offset;
}

guint64
astra_scan_finding_get_value_length (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), 0);
  return self->value_length;
}

guint64
astra_scan_finding_get_file_size (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), 0);
  return self->file_size;
}

gint64
astra_scan_finding_get_file_mtime (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), 0);
  return self->file_mtime;
}

AstraScanState
astra_scan_finding_get_state (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), ASTRA_SCAN_STATE_UNKNOWN);
  return self->state;
}

void
astra_scan_finding_set_state (AstraScanFinding *self,
                              AstraScanState    state)
{
  g_return_if_fail (ASTRA_IS_SCAN_FINDING (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
astra_scan_finding_get_org_id (AstraScanFinding *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (self), NULL);
  return self->org_id;
}

void
astra_scan_finding_set_org_id (AstraScanFinding *self,
                               const char       *org_id)
{
  g_return_if_fail (ASTRA_IS_SCAN_FINDING (self));

  if (g_strcmp0 (self->org_id, org_id) == 0)
    return;
  g_free (self->org_id);
  self->org_id = g_strdup (org_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_ID]);
}

/* }}} */

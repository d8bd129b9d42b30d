/* astra-scan-skip.c: a file or folder the scanner did not read, and why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-enum-types.h"
#include "astra-scan-private.h"
#include "astra-scanner.h"

struct _AstraScanSkip
{
  GObject              parent_instance;

  char                *path;
  AstraScanSkipReason  reason;
  char                *message;
};

G_DEFINE_FINAL_TYPE (AstraScanSkip, astra_scan_skip, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_REASON,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
astra_scan_skip_finalize (GObject *object)
{
  AstraScanSkip *self = ASTRA_SCAN_SKIP (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (astra_scan_skip_parent_class)->finalize (object);
}

static void
astra_scan_skip_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AstraScanSkip *self = ASTRA_SCAN_SKIP (object);

  switch (prop_id)
    {
    case PROP_PATH:    g_value_set_string (value, self->path); break;
    case PROP_REASON:  g_value_set_enum (value, self->reason); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_scan_skip_class_init (AstraScanSkipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = astra_scan_skip_finalize;
  object_class->get_property = astra_scan_skip_get_property;

  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] = g_param_spec_enum ("reason", NULL, NULL, ASTRA_TYPE_SCAN_SKIP_REASON,
                                               ASTRA_SCAN_SKIP_UNREADABLE,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_scan_skip_init (AstraScanSkip *self)
{
}

AstraScanSkip *
astra_scan_skip_new (const char          *path,
                     AstraScanSkipReason  reason,
                     const char          *message)
{
  AstraScanSkip *self = g_object_new (ASTRA_TYPE_SCAN_SKIP, NULL);

  self->path = g_strdup (path);
  self->reason = reason;
  self->message = g_strdup (message);
  return self;
}

const char *
astra_scan_skip_get_path (AstraScanSkip *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_SKIP (self), NULL);
  return self->path;
}

AstraScanSkipReason
astra_scan_skip_get_reason (AstraScanSkip *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_SKIP (self), ASTRA_SCAN_SKIP_UNREADABLE);
  return self->reason;
}

const char *
astra_scan_skip_get_message (AstraScanSkip *self)
{
  g_return_val_if_fail (ASTRA_IS_SCAN_SKIP (self), NULL);
  return self->message;
}

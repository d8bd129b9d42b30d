/* astra-rc.h: the Astra CLI's configuration file, .astrarc (astra-api.md §6.2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_RC_ERROR (astra_rc_error_quark ())

typedef enum
{
  ASTRA_RC_ERROR_NOT_FOUND,
  ASTRA_RC_ERROR_UNREADABLE,
  ASTRA_RC_ERROR_NO_TOKEN,
  ASTRA_RC_ERROR_BAD_TOKEN,
  ASTRA_RC_ERROR_BAD_ENVIRONMENT,
  ASTRA_RC_ERROR_BAD_ENDPOINT,
} AstraRcError;

#define ASTRA_TYPE_RC_PROFILE (astra_rc_profile_get_type ())

G_DECLARE_FINAL_TYPE (AstraRcProfile, astra_rc_profile, ASTRA, RC_PROFILE, GObject)

GQuark            astra_rc_error_quark               (void);

/* Properties: "name" (section name), "environment" (AstraEnvironment; LOCAL → CUSTOM),
 * "api-url" (string: the environment's URL or ASTRA_LOCAL_ENDPOINT),
 * "is-default-copy" (boolean: [default] duplicating another profile),
 * "error-message" (string, NULL when the profile is usable). The token is not a property. */
const char       *astra_rc_profile_get_name          (AstraRcProfile *self);
const char       *astra_rc_profile_get_token         (AstraRcProfile *self);
AstraEnvironment  astra_rc_profile_get_environment   (AstraRcProfile *self);
const char       *astra_rc_profile_get_api_url       (AstraRcProfile *self);
gboolean          astra_rc_profile_is_default_copy   (AstraRcProfile *self);
/* NULL when usable; otherwise why not (missing token, malformed token, bad env…). */
const GError     *astra_rc_profile_get_error         (AstraRcProfile *self);

/* $ASTRARC, else $XDG_CONFIG_HOME/astra/.astrarc, else ~/.astrarc; the first that exists,
 * or NULL. (transfer full) */
GFile            *astra_rc_find_file                 (void);
/* Parses INI text. Junk lines are skipped; broken profiles carry their own error.
 * → GListModel of AstraRcProfile in file order. Fails only on non-UTF-8 input. */
GListModel       *astra_rc_parse                     (const char   *data,
                                                      gsize         length,
                                                      GError      **error);
GListModel       *astra_rc_load_file                 (GFile        *file,
                                                      GError      **error);
/* astra_rc_load_file() in a worker thread. */
void              astra_rc_load_file_async           (GFile               *file,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GListModel       *astra_rc_load_file_finish          (GFile               *file,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS

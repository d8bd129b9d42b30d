/* astra-findings-keep.h: moves a plain-text finding into the keyring
 *
 * "Keep in Keyring" of the findings page, without widgets: the secret is read again from
 * the file (astra_scan_finding_load_secret_async, which refuses a file changed since the
 * scan), then kept as a "generated-token" item of its organization when that organization
 * is connected and lists it (its roles and description taken from the token list, so the
 * Tokens page shows it as held), else as a "found-token" item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-context.h"
#include "astra-scan-finding.h"

G_BEGIN_DECLS

void      astra_findings_keep_async  (AstraContext         *context,
                                      AstraScanFinding     *finding,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
/* @value: (out) (optional) (transfer full): the value that was in the file (the token, or
 * a portal CSV row's client secret), for a rewrite that checks it: free it with
 * astra_secret_free. Sets the finding's state to HELD (and its org id) on success. */
gboolean  astra_findings_keep_finish (AstraContext         *context,
                                      GAsyncResult         *result,
                                      char                **value,
                                      GError              **error);

G_END_DECLS

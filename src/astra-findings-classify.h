/* astra-findings-classify.h: held, live, revoked or unknown, for the findings page
 *
 * Gathers what astra-scan-classify.h's rules need from the app's own context: the keyring's
 * generated tokens (and its "found-token" items, which are held too), and the token list of
 * every connected organization through the context's clients, the demo aside. Then applies
 * the rules. An organization that does not answer only leaves its tokens unknown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-context.h"

G_BEGIN_DECLS

void      astra_findings_classify_async  (AstraContext         *context,
                                          GListModel           *findings,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
/* Fails only with G_IO_ERROR_CANCELLED. */
gboolean  astra_findings_classify_finish (AstraContext         *context,
                                          GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS

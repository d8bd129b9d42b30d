/* astra-scan-quick.h: the usual places only, for the welcome page's hint
 *
 * A first start should not read the whole home folder to say "there are tokens in plain
 * text here". This looks where they usually are: Downloads (the portal's
 * GeneratedToken.csv), the astra-cli config, and the shell startup files, in a worker
 * thread, with the real scanner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The places under @home (the home folder, or a test's tree) that exist. (transfer full) */
char      **astra_scan_quick_dup_roots  (const char           *home);
/* → the findings in those places: GListModel of AstraScanFinding (transfer full), empty
 * when none of them exists. Errors: G_IO_ERROR_CANCELLED only. */
void        astra_scan_quick_async      (const char           *home,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GListModel *astra_scan_quick_finish     (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS

/* astra-scan-ignore.h: the findings the user chose to ignore
 *
 * Remembered in GSettings ("ignored-findings") as "PATH\tCLIENT_ID" strings: the file and
 * the token's client id, never the secret, so an ignored token stays ignored across scans
 * (also when its line moves) and a new token in the same file is still shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-scan-finding.h"

G_BEGIN_DECLS

#define ASTRA_SCAN_IGNORE_KEY "ignored-findings"

gboolean  astra_scan_ignore_contains (GSettings        *settings,
                                      AstraScanFinding *finding);
/* Adds @finding's path and client id (once). */
void      astra_scan_ignore_add      (GSettings        *settings,
                                      AstraScanFinding *finding);
/* → a new list of the findings of @findings that are not ignored. (transfer full) */
GListModel *astra_scan_ignore_filter (GSettings        *settings,
                                      GListModel       *findings);

G_END_DECLS

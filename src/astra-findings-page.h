/* astra-findings-page.h: the Plain-Text Tokens page of the main window
 *
 * Scans a folder tree (the home folder; $ASTRA_FINDINGS_ROOT or the "root" property in
 * tests) for plain-text Astra tokens and lists them by file, with Keep in Keyring, Replace
 * with Reference, Delete File and Ignore.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-context.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_FINDINGS_PAGE (astra_findings_page_get_type ())

G_DECLARE_FINAL_TYPE (AstraFindingsPage, astra_findings_page, ASTRA, FINDINGS_PAGE, GtkBox)

/* $ASTRA_FINDINGS_ROOT when set (the tests' trees), else the home folder. */
const char  *astra_findings_default_root      (void);
GtkWidget   *astra_findings_page_new          (AstraContext      *context);
/* The folder searched: $ASTRA_FINDINGS_ROOT when set (tests), else the home folder. */
const char  *astra_findings_page_get_root     (AstraFindingsPage *self);
void         astra_findings_page_set_root     (AstraFindingsPage *self,
                                               const char        *root);
/* Starts a scan (cancelling one that runs). */
void         astra_findings_page_scan         (AstraFindingsPage *self);
/* "scanning" (boolean) tells when a scan and its classification run. */
gboolean     astra_findings_page_get_scanning (AstraFindingsPage *self);
/* "busy" (boolean): an action waits for the keyring, an organization or a file. */
gboolean     astra_findings_page_get_busy     (AstraFindingsPage *self);
/* The findings shown, grouped by file in this order: GListModel of AstraScanFinding
 * (transfer none). Follows every action. */
GListModel  *astra_findings_page_get_findings (AstraFindingsPage *self);

G_END_DECLS

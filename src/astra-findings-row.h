/* astra-findings-row.h: one finding's row on the Plain-Text Tokens page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-findings-page.h"
#include "astra-scan-finding.h"

G_BEGIN_DECLS

/* A new AdwActionRow for @finding, whose buttons and menu act on @page's actions
 * ("findings.keep", …) with the finding's path and value offset as target. */
GtkWidget *astra_findings_row_new (AstraFindingsPage *page,
                                   AstraScanFinding  *finding);

G_END_DECLS

/* astra-findings-page-private.h: what astra-findings-page.c and -actions.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-findings-page.h"
#include "astra-scanner.h"

G_BEGIN_DECLS

struct _AstraFindingsPage
{
  GtkBox           parent_instance;

  AstraContext    *context;
  char            *root;
  AstraScanner    *scanner;
  GCancellable    *scan_cancellable;   /* the running scan, or NULL */
  GCancellable    *cancellable;        /* every action; cancelled on dispose */
  GListStore      *findings;           /* AstraScanFinding, shown, by file */
  GHashTable      *trashed;            /* path → AstraTrashed, for Undo */
  guint            busy;               /* actions waiting for the keyring or a file */

  GtkStack        *state_stack;
  AdwStatusPage   *scanning_page;
  AdwStatusPage   *error_page;
  GtkSpinner      *spinner;
  GtkLabel        *summary_label;
  GtkBox          *groups_box;
};

/* astra-findings-page.c */
AstraScanFinding *astra_findings_page_lookup        (AstraFindingsPage *self,
                                                     GVariant          *target);
/* Takes @finding off the page (replaced, ignored, or its file trashed). */
void              astra_findings_page_remove        (AstraFindingsPage *self,
                                                     AstraScanFinding  *finding);
void              astra_findings_page_rebuild       (AstraFindingsPage *self);
/* Counts the actions under way ("busy"). */
void              astra_findings_page_add_busy      (AstraFindingsPage *self,
                                                     int                delta);
/* Stops a running scan: the page shows what it showed before. */
void              astra_findings_page_cancel_scan   (AstraFindingsPage *self);
void              astra_findings_page_toast         (AstraFindingsPage *self,
                                                     AdwToast          *toast);

/* astra-findings-page-actions.c */
void              astra_findings_page_class_actions_init (AstraFindingsPageClass *klass);
void              astra_findings_page_update_actions     (AstraFindingsPage      *self);
/* Whether the file's findings are all held, so that it can go: portal CSV files only. */
gboolean          astra_findings_page_can_delete_file    (AstraFindingsPage      *self,
                                                          const char             *path);
/* Whether Keep and Replace apply to @finding. */
gboolean          astra_findings_can_keep                (AstraScanFinding       *finding);
gboolean          astra_findings_can_replace             (AstraFindingsPage      *self,
                                                          AstraScanFinding       *finding);

G_END_DECLS

/* astra-scan-classify.h: says of each finding whether it is held, live, revoked or of an
 * unknown organization (AstraScanState)
 *
 * Two steps, so the rules can be tested without a keyring or a network: gather what is
 * known (AstraScanKnowledge: the client ids the keyring holds, with their organization;
 * the token lists of the connected organizations that answered), then apply it. Nothing is
 * ever learnt by sending a found token anywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-scan-finding.h"
#include "astra-types.h"

G_BEGIN_DECLS

typedef struct _AstraScanKnowledge AstraScanKnowledge;

AstraScanKnowledge *astra_scan_knowledge_new          (void);
void                astra_scan_knowledge_free         (AstraScanKnowledge *self);
/* The keyring holds @client_id (a generated token, or @org_id's management token). */
void                astra_scan_knowledge_add_held     (AstraScanKnowledge *self,
                                                       const char         *org_id,
                                                       const char         *client_id);
/* @org_id is connected and answered with its token list (NULL-terminated client ids). */
void                astra_scan_knowledge_add_listing  (AstraScanKnowledge *self,
                                                       const char         *org_id,
                                                       const char * const *client_ids);
/* The keyring was read and every connected organization answered (also when there is
 * none): a token nobody lists belongs to an organization this app is not connected to. */
void                astra_scan_knowledge_set_complete (AstraScanKnowledge *self,
                                                       gboolean            complete);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraScanKnowledge, astra_scan_knowledge_free)

/* Sets "state" and "org-id" of every AstraScanFinding in @findings:
 *   held, and its organization answered without it → REVOKED;
 *   held → HELD; listed by an organization → LIVE;
 *   otherwise UNKNOWN_ORG when the knowledge is complete, else UNKNOWN. */
void                astra_scan_classify               (GListModel         *findings,
                                                       AstraScanKnowledge *knowledge);

/* Gathers the knowledge and classifies @findings: the keyring through @store (NULL: no
 * keyring, everything stays UNKNOWN); when @online, the token list of each connected
 * organization (the demo organization is left out). A keyring or organization that does not
 * answer only leaves its tokens UNKNOWN: this fails only with G_IO_ERROR_CANCELLED. */
void                astra_scan_classify_async         (GListModel          *findings,
                                                       AstraSecretStore    *store,
                                                       gboolean             online,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            astra_scan_classify_finish        (GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS

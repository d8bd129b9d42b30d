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

#include "astra-client-source.h"
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
 * answer only leaves its tokens UNKNOWN: this fails only with G_IO_ERROR_CANCELLED.
 * The same as astra_scan_classify_full_async() with neither clients nor session connections. */
void                astra_scan_classify_async         (GListModel          *findings,
                                                       AstraSecretStore    *store,
                                                       gboolean             online,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* The same, for a caller that has more than the keyring:
 * @clients (nullable): where the clients of the organizations come from (the app's
 *   AstraContext, whose clients are already there); NULL: each is made from the management
 *   token in the keyring.
 * @session_connections (nullable): GListModel of AstraConnection that the keyring does not
 *   hold (the app's connection from ASTRA_API_URL + ASTRA_DB_APPLICATION_TOKEN): asked for
 *   their token lists through @clients, which must then be given. Their own token is not in
 *   the keyring, so it is never called held; for an organization in both, the session's
 *   connection is the one asked (the app uses it too). */
void                astra_scan_classify_full_async    (GListModel          *findings,
                                                       AstraSecretStore    *store,
                                                       AstraClientSource   *clients,
                                                       GListModel          *session_connections,
                                                       gboolean             online,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            astra_scan_classify_finish        (GAsyncResult        *result,
                                                       GError             **error);
/* astra_scan_classify_finish(), and in @keyring_error (nullable) why the keyring could not
 * be read in full, when it could not (LOCKED on a store that may not prompt, NO_SERVICE…):
 * the findings it would have called held may then be UNKNOWN. */
gboolean            astra_scan_classify_full_finish   (GAsyncResult        *result,
                                                       GError             **keyring_error,
                                                       GError             **error);

G_END_DECLS

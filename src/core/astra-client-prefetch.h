/* astra-client-prefetch.h: an organization's first answers, fetched on a thread of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  ASTRA_PREFETCH_CURRENT_ORG,   /* AstraOrganization */
  ASTRA_PREFETCH_TOKENS,        /* GListModel of AstraToken */
  ASTRA_PREFETCH_ROLES,         /* GListModel of AstraRole */
  ASTRA_PREFETCH_CONNECTIONS,   /* GListModel of AstraConnection: the keyring's */
  ASTRA_PREFETCH_N_KINDS
} AstraPrefetchKind;

typedef struct _AstraClientPrefetch AstraClientPrefetch;

AstraClientPrefetch *astra_client_prefetch_start       (const char           *base_url,
                                                        const char           *token,
                                                        GError              **error);
AstraClientPrefetch *astra_client_prefetch_ref         (AstraClientPrefetch  *self);
void                 astra_client_prefetch_unref       (AstraClientPrefetch  *self);
const char          *astra_client_prefetch_get_base_url (AstraClientPrefetch *self);
gboolean             astra_client_prefetch_matches     (AstraClientPrefetch  *self,
                                                        const char           *base_url,
                                                        const char           *token);
gboolean             astra_client_prefetch_is_for_org  (AstraClientPrefetch  *self,
                                                        const char           *org_id);
char                *astra_client_prefetch_dup_token   (AstraClientPrefetch  *self);
AstraClientPrefetch *astra_client_prefetch_start_from_keyring (const char    *preferred_org_id,
                                                               GError       **error);
gboolean             astra_client_prefetch_is_from_keyring    (AstraClientPrefetch *self);
void                 astra_client_prefetch_take_async  (AstraClientPrefetch  *self,
                                                        AstraPrefetchKind     kind,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gpointer             astra_client_prefetch_take_finish (GAsyncResult         *result,
                                                        GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraClientPrefetch, astra_client_prefetch_unref)

G_END_DECLS

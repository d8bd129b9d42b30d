/* astra-secret-store-private.h: what the astra-secret-store*.c files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsecret/secret.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-secret-store.h"

G_BEGIN_DECLS

#define KIND_MANAGEMENT "management-token"
#define KIND_GENERATED  "generated-token"

#define ATTR_KIND        "kind"
#define ATTR_ORG_ID      "org-id"
#define ATTR_CLIENT_ID   "client-id"
#define ATTR_ENVIRONMENT "environment"
#define ATTR_ORG_NAME    "org-name"
#define ATTR_API_URL     "api-url"
#define ATTR_LABEL       "local-label"
#define ATTR_DEMO        "demo"
/* Generated tokens only, for searching them without their secret (astra-held-index.c);
 * items saved before these existed have neither, and are read from their label. */
#define ATTR_DESCRIPTION "description"
#define ATTR_ROLE_NAMES  "role-names"
/* Generated tokens only: "false" when the item keeps no client secret (a token kept from a
 * file that held it alone); items saved before it existed have one (the app made them). */
#define ATTR_HAS_CLIENT_SECRET "has-client-secret"

typedef enum
{
  ASTRA_SECRET_ACCESS_READ,
  ASTRA_SECRET_ACCESS_WRITE,
} AstraSecretAccess;

typedef void (*AstraSecretOpStep) (GTask *task);

typedef struct
{
  AstraSecretOpStep  step;            /* what runs once the bus is known to be there */
  AstraSecretAccess  access;
  GHashTable        *identity;        /* attributes naming the item(s) this operation is about */
  GHashTable        *attributes;      /* complete attributes of the item to store */
  char              *label;
  char              *secret;          /* wiped on free */
  GList             *stale;           /* SecretRetrievable *: outdated items to remove */
  char              *org_id;
  char              *client_id;
  gboolean           queued;          /* counted by the store's queue until completed */
  gboolean           unlock_tried;    /* the unlock for a keyring loaded locked was asked */
} AstraSecretOp;

/* The operations of one store: those running, and those waiting for a write to finish
 * (astra-secret-store-op.c says why). */
typedef struct
{
  GQueue waiting;                     /* GTask * */
  guint  reading;
  guint  writing;
} AstraSecretQueue;

AstraSecretQueue   *astra_secret_store_get_queue             (AstraSecretStore    *self);

/* astra-secret-store-op.c */
const SecretSchema *astra_secret_get_schema                  (void);
GHashTable         *astra_secret_new_attributes              (void);
void                astra_secret_set_attribute               (GHashTable          *attributes,
                                                              const char          *name,
                                                              const char          *value);
GHashTable         *astra_secret_new_identity                (const char          *kind,
                                                              const char          *org_id,
                                                              const char          *client_id);
GTask              *astra_secret_op_task_new                 (AstraSecretStore    *self,
                                                              AstraSecretAccess    access,
                                                              AstraSecretOpStep    step,
                                                              GHashTable          *identity,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data,
                                                              gpointer             source_tag);
void                astra_secret_op_run                      (GTask               *task);
void                astra_secret_op_return_error             (GTask               *task,
                                                              GError              *error);
void                astra_secret_op_return_absent_or_locked  (GTask               *task);
/* A listing that found nothing by name may have missed the items of a keyring that
 * gnome-keyring loaded locked (after a restart, or a login that did not unlock it): asks
 * once for the unlock of whatever matches @identity without the schema name (the usual
 * unlock prompt). Takes @task and returns TRUE when it did: the task then runs its step
 * again once unlocked, fails with LOCKED/DISMISSED, or goes to @nothing when no item is
 * there. FALSE (task untouched) when already tried or on the file backend. */
gboolean            astra_secret_op_unlock_hidden            (GTask               *task,
                                                              GHashTable          *identity,
                                                              AstraSecretOpStep    nothing);
/* secret_password_lookupv() of op->identity, @callback getting @task; on a store that may
 * not prompt, a locked item fails with LOCKED first, as the lookup would prompt for it. */
void                astra_secret_op_lookup                   (GTask               *task,
                                                              GAsyncReadyCallback  callback);
void                astra_secret_op_replace_step             (GTask               *task);
void                astra_secret_op_clear_step               (GTask               *task);

/* astra-secret-store-connections.c */
GHashTable         *astra_secret_new_connection_attributes   (AstraConnection     *connection);
char               *astra_secret_dup_connection_label        (AstraConnection     *connection);
void                astra_secret_op_list_connections_step    (GTask               *task);
GListStore         *astra_secret_connections_from_items      (GList               *items);
SecretRetrievable  *astra_secret_find_newest_item            (GList               *items,
                                                              const char          *org_id);
void                astra_secret_op_lookup_token_step        (GTask               *task);
void                astra_secret_op_rename_step              (GTask               *task);

/* astra-secret-store-generated.c */
char               *astra_secret_dup_generated_label         (AstraConnection     *connection,
                                                              AstraGeneratedToken *token);
GHashTable         *astra_secret_new_generated_attributes    (AstraConnection     *connection,
                                                              AstraGeneratedToken *token);
char               *astra_secret_serialize_generated         (AstraGeneratedToken *token,
                                                              const char          *org_id);
void                astra_secret_op_lookup_generated_step    (GTask               *task);
void                astra_secret_op_list_generated_step      (GTask               *task);

G_END_DECLS

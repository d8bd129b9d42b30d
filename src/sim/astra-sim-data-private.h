/* astra-sim-data-private.h: the simulator's organization model
 *
 * Plain structs owned by one AstraSimData: the organization, its roles (built-in and
 * custom), tokens, users and databases. Nothing here knows about HTTP; the handlers read and
 * change the model, astra-sim-wire.c turns it into the API's JSON shapes and
 * astra-sim-state.c into the --state file.
 *
 * Tokens are kept only as the SHA-256 of the whole AstraCS string: enough to authenticate
 * them later, useless to anyone who reads the state file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ASTRA_SIM_ROLE_ORG_ADMIN "Organization Administrator"

typedef struct
{
  char     *id;
  char     *name;
  gboolean  builtin;
  char     *description;
  char     *effect;
  GStrv     resources;
  GStrv     actions;
  gint64    last_update;       /* µs since the epoch, UTC */
  char     *last_update_user;
} AstraSimRole;

typedef struct
{
  char     *client_id;
  GStrv     roles;             /* as given at creation: role ids, or legacy role names */
  gint64    generated_on;      /* µs since the epoch, UTC */
  char     *description;       /* never NULL, "" when not set */
  gint64    expiry;            /* µs since the epoch, UTC; 0 = never expires */
  char     *token_hash;        /* sha256 hex of the whole AstraCS: token */
} AstraSimToken;

typedef struct
{
  char     *id;
  char     *email;
  char     *status;            /* "active" or "invited" */
  GStrv     roles;             /* role ids */
} AstraSimUser;

typedef struct
{
  char     *id;
  char     *owner_id;
  char     *status;            /* ACTIVE, HIBERNATED, PARKED, TERMINATED, … */
  gint64    creation_time;     /* µs since the epoch, UTC */
  char     *name;
  char     *keyspace;
  GStrv     keyspaces;
  char     *region;
  char     *cloud_provider;    /* AWS, GCP or AZURE */
  char     *tier;
  char     *db_type;           /* "vector" or NULL */
} AstraSimDatabase;

typedef struct
{
  char       *org_id;
  char       *org_name;
  char       *owner_user_id;   /* LastUpdateUserID of changes made through the API */
  GPtrArray  *roles;           /* AstraSimRole*, built-in first, then custom in creation order */
  GPtrArray  *tokens;          /* AstraSimToken*, in generation order */
  GHashTable *tokens_by_id;    /* client id → borrowed AstraSimToken* */
  GPtrArray  *users;           /* AstraSimUser* */
  GPtrArray  *databases;       /* AstraSimDatabase*, in creation order */
} AstraSimData;

/* astra-sim-data.c */
AstraSimData     *astra_sim_data_new                (const char        *org_id,
                                                     const char        *org_name);
void              astra_sim_data_free               (AstraSimData      *data);

AstraSimRole     *astra_sim_role_new                (void);
void              astra_sim_role_free               (AstraSimRole      *role);
AstraSimToken    *astra_sim_token_new               (void);
void              astra_sim_token_free              (AstraSimToken     *token);
AstraSimUser     *astra_sim_user_new                (void);
void              astra_sim_user_free               (AstraSimUser      *user);
AstraSimDatabase *astra_sim_database_new            (void);
void              astra_sim_database_free           (AstraSimDatabase  *database);

AstraSimRole     *astra_sim_data_find_role          (AstraSimData      *data,
                                                     const char        *id);
/* Exact name match first, then ASCII case-insensitive. */
AstraSimRole     *astra_sim_data_find_role_by_name  (AstraSimData      *data,
                                                     const char        *name);
/* A token's role entry: a role id, or (legacy tokens) a role name. */
AstraSimRole     *astra_sim_data_resolve_role       (AstraSimData      *data,
                                                     const char        *id_or_name);
void              astra_sim_data_add_role           (AstraSimData      *data,
                                                     AstraSimRole      *role);
gboolean          astra_sim_data_remove_role        (AstraSimData      *data,
                                                     const char        *id);

AstraSimToken    *astra_sim_data_find_token         (AstraSimData      *data,
                                                     const char        *client_id);
void              astra_sim_data_add_token          (AstraSimData      *data,
                                                     AstraSimToken     *token);
gboolean          astra_sim_data_remove_token       (AstraSimData      *data,
                                                     const char        *client_id);
/* Creates and adds a token; returns (transfer full) the AstraCS: string and, when @secret
 * is not NULL, the secret. @generated_on 0 = now. */
char             *astra_sim_data_mint_token         (AstraSimData      *data,
                                                     const char *const *roles,
                                                     const char        *description,
                                                     gint64             generated_on,
                                                     gint64             expiry,
                                                     char             **secret,
                                                     AstraSimToken    **out_token);
/* The live, unexpired token this bearer string belongs to, or NULL. */
AstraSimToken    *astra_sim_data_authenticate       (AstraSimData      *data,
                                                     const char        *bearer);
/* Whether any of the token's roles (custom ones included) lists @action. */
gboolean          astra_sim_data_token_allows       (AstraSimData      *data,
                                                     AstraSimToken     *token,
                                                     const char        *action);
/* Whether one of the token's roles lists @action *and* a resource that covers @drn
 * ("*" matches one segment, __ORG_ID__ the organization's id). */
gboolean          astra_sim_data_token_allows_on    (AstraSimData      *data,
                                                     AstraSimToken     *token,
                                                     const char        *action,
                                                     const char        *drn);

AstraSimDatabase *astra_sim_data_find_database      (AstraSimData      *data,
                                                     const char        *id);
AstraSimUser     *astra_sim_data_find_user          (AstraSimData      *data,
                                                     const char        *id);

/* Random material (getrandom(2)): 24 letters, and 128 characters of [A-Za-z0-9+,-._]. */
char             *astra_sim_random_client_id        (void);
char             *astra_sim_random_secret           (void);
/* ISO-8601 UTC with @digits fractional digits (3 or 9) and a Z suffix. */
char             *astra_sim_format_time             (gint64             usec,
                                                     guint              digits);
/* Parses ISO-8601; a string without a zone is UTC. FALSE when unparseable. */
gboolean          astra_sim_parse_time              (const char        *text,
                                                     gint64            *usec);
char             *astra_sim_sha256                  (const char        *text);

/* astra-sim-seed.c */
void              astra_sim_seed_builtin_roles      (AstraSimData      *data);
void              astra_sim_seed_sample_data        (AstraSimData      *data,
                                                     guint              n_databases);
void              astra_sim_seed_bulk_tokens        (AstraSimData      *data,
                                                     guint              n_tokens);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraSimData, astra_sim_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraSimRole, astra_sim_role_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraSimToken, astra_sim_token_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraSimUser, astra_sim_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraSimDatabase, astra_sim_database_free)

G_END_DECLS

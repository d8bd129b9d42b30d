/* astra-client.h: the Astra DevOps API client (astra-api.md §1–§2)
 *
 * One AstraClient talks to one organization: a base URL (including "/v2") and the
 * organization's management token. All calls are asynchronous, take a GCancellable, and
 * report failures in ASTRA_CLIENT_ERROR with a message a user understands that includes the
 * API's own message. A cancelled call reports G_IO_ERROR_CANCELLED, which callers ignore.
 *
 * GET, PUT and DELETE are retried on 429/502/503/504 with bounded backoff honouring
 * Retry-After; POST is never retried (a lost answer must not create a token twice).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_CLIENT_ERROR (astra_client_error_quark ())

typedef enum
{
  ASTRA_CLIENT_ERROR_INVALID_TOKEN,   /* malformed token, refused before sending */
  ASTRA_CLIENT_ERROR_INVALID_URL,     /* not a URL, or plain HTTP to a non-loopback host */
  ASTRA_CLIENT_ERROR_BAD_REQUEST,     /* 400, 422 */
  ASTRA_CLIENT_ERROR_UNAUTHORIZED,    /* 401: invalid, revoked or other-environment token */
  ASTRA_CLIENT_ERROR_FORBIDDEN,       /* 403: the token's role lacks a permission */
  ASTRA_CLIENT_ERROR_NOT_FOUND,       /* 404 */
  ASTRA_CLIENT_ERROR_CONFLICT,        /* 409 */
  ASTRA_CLIENT_ERROR_RATE_LIMITED,    /* 429 after the retries */
  ASTRA_CLIENT_ERROR_SERVER_ERROR,    /* 5xx after the retries */
  ASTRA_CLIENT_ERROR_NETWORK,         /* unreachable, refused, connection dropped */
  ASTRA_CLIENT_ERROR_TIMEOUT,
  ASTRA_CLIENT_ERROR_TLS,
  ASTRA_CLIENT_ERROR_BAD_RESPONSE,    /* unparseable, unexpected shape, too large */
  ASTRA_CLIENT_ERROR_ANSWER_LOST,     /* a POST was sent whole, then the connection broke:
                                       * it may have been carried out */
} AstraClientError;

#define ASTRA_TYPE_CLIENT (astra_client_get_type ())

G_DECLARE_FINAL_TYPE (AstraClient, astra_client, ASTRA, CLIENT, GObject)

GQuark        astra_client_error_quark          (void);

/* TRUE when @url is https://, or http:// to a loopback address (127.0.0.0/8, ::1,
 * localhost). Sets ASTRA_CLIENT_ERROR_INVALID_URL otherwise. */
gboolean      astra_client_check_base_url       (const char   *url,
                                                 GError      **error);

/* Checks @token (astra_token_format_validate) and @base_url before anything is sent;
 * the token is copied and wiped when the client is finalized. (transfer full) */
AstraClient  *astra_client_new                  (const char   *base_url,
                                                 const char   *token,
                                                 GError      **error);
const char   *astra_client_get_base_url         (AstraClient  *self);
/* The client id of the management token it sends. */
const char   *astra_client_get_client_id        (AstraClient  *self);
/* Total request timeout per attempt (default 20 s, as the Java SDK). */
void          astra_client_set_timeout          (AstraClient  *self,
                                                 guint         seconds);
/* Retries for GET/PUT/DELETE: at most @max_attempts tries, exponential backoff from
 * @base_delay_ms capped at @max_delay_ms; Retry-After is honoured up to the cap.
 * Defaults: 4, 500 ms, 8000 ms. Tests use small values. */
void          astra_client_set_retry_policy     (AstraClient  *self,
                                                 guint         max_attempts,
                                                 guint         base_delay_ms,
                                                 guint         max_delay_ms);

/* GET /v2/currentOrg → AstraOrganization (transfer full). */
void                 astra_client_get_current_org_async  (AstraClient          *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
AstraOrganization   *astra_client_get_current_org_finish (AstraClient          *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* Tries each of @base_urls in order with GET /currentOrg and keeps the first that does not
 * answer 401 (astra-cli's findEnvHint). Returns the organization and, in @index, the
 * position of the URL that accepted the token. */
void                 astra_client_detect_environment_async  (const char           *token,
                                                             const char * const   *base_urls,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
AstraOrganization   *astra_client_detect_environment_finish (GAsyncResult         *result,
                                                             guint                *index,
                                                             GError              **error);

/* GET /v2/organizations/roles → GListModel of AstraRole (transfer full). */
void                 astra_client_list_roles_async   (AstraClient          *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel          *astra_client_list_roles_finish  (AstraClient          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* GET /v2/organizations/roles/{id} → AstraRole (transfer full). */
void                 astra_client_get_role_async     (AstraClient          *self,
                                                      const char           *role_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
AstraRole           *astra_client_get_role_finish    (AstraClient          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* POST /v2/organizations/roles (effect "allow") → the created AstraRole (transfer full). */
void                 astra_client_create_role_async  (AstraClient          *self,
                                                      const char           *name,
                                                      const char           *description,
                                                      const char * const   *resources,
                                                      const char * const   *actions,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
AstraRole           *astra_client_create_role_finish (AstraClient          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* PUT /v2/organizations/roles/{id}. */
void                 astra_client_update_role_async  (AstraClient          *self,
                                                      const char           *role_id,
                                                      const char           *name,
                                                      const char           *description,
                                                      const char * const   *resources,
                                                      const char * const   *actions,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean             astra_client_update_role_finish (AstraClient          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* DELETE /v2/organizations/roles/{id}. */
void                 astra_client_delete_role_async  (AstraClient          *self,
                                                      const char           *role_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean             astra_client_delete_role_finish (AstraClient          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* GET /v2/clientIdSecrets → GListModel of AstraToken (transfer full). Items the server sent
 * that cannot be read are left out, not an error: astra_token_list_get_n_unreadable()
 * (astra-token-list.h) on the model says how many. */
void                 astra_client_list_tokens_async  (AstraClient          *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel          *astra_client_list_tokens_finish (AstraClient          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* POST /v2/clientIdSecrets, never retried. @description and @expires may be NULL.
 * → AstraGeneratedToken (transfer full) holding the secret. */
void                 astra_client_create_token_async  (AstraClient          *self,
                                                       const char * const   *role_ids,
                                                       const char           *description,
                                                       GDateTime            *expires,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
AstraGeneratedToken *astra_client_create_token_finish (AstraClient          *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* DELETE /v2/clientIdSecrets/{clientId}; 200 and 204 are success. */
void                 astra_client_revoke_token_async  (AstraClient          *self,
                                                       const char           *client_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean             astra_client_revoke_token_finish (AstraClient          *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* GET /v2/databases, following starting_after/limit paging → GListModel of AstraDatabase. */
void                 astra_client_list_databases_async  (AstraClient          *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GListModel          *astra_client_list_databases_finish (AstraClient          *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* GET /v2/organizations/users → GListModel of AstraUser. */
void                 astra_client_list_users_async   (AstraClient          *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel          *astra_client_list_users_finish  (AstraClient          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS

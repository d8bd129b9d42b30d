/* astra-sim-server.h: a simulator of the Astra DevOps API (astra-api.md §2, §3, §8)
 *
 * A SoupServer on loopback holding one organization with the built-in roles, a few
 * databases and users, and tokens. It checks bearer tokens and each role's actions, mints
 * tokens as AstraCS:<24 letters>:<sha256 hex of the secret>, and reproduces the real
 * service's quirks. It runs in the caller's main context: tests and the demo organization
 * use it in-process, `astra-sim` wraps it as a program.
 *
 * Fault specifications (--fault, astra_sim_server_add_fault):
 *   METHOD:PATH=KIND[*COUNT]
 *   METHOD  GET, POST, PUT, DELETE or * (any)
 *   PATH    a path prefix such as /v2/clientIdSecrets, or * (any); matched on whole
 *           segments (/v2/organizations also covers /v2/organizations/roles/ID), and the
 *           leading /v2 may be left out
 *   KIND    429[/SECONDS]  answer 429 with Retry-After (default 1)
 *           500 | 502 | 503 | 504   answer that status with a JSON errors[] body
 *           text          answer 500 with a text/plain body
 *           malformed     answer 200 with truncated JSON
 *           slow/MS       answer normally after MS milliseconds
 *           drop          close the connection without answering
 *           drop-after    carry out the request, then close without answering
 *           big/BYTES     answer 200 with a JSON body of about BYTES bytes
 *           after/STATUS  carry out the request, then answer the 5xx STATUS with a
 *                         gateway's HTML page
 *           trailing      carry out the request; bytes follow the JSON answer
 *           bad-byte      carry out the request; the answer holds a byte that is not UTF-8
 *           numeric-id    carry out the request; "clientId" is a number in the answer
 *           bad-item      carry out the request; in a token list ({"clients": [...]}) the
 *                         first client's "description" is not UTF-8 and the last one's
 *                         "clientId" is a number (two unreadable items); other answers
 *                         are left as they are
 *   COUNT   how many matching requests the fault affects (default: all of them)
 * Faults are tried in the order they were added; the first match answers the request.
 *
 * Choices where astra-api.md leaves the behaviour open: built-in roles answer PUT/DELETE
 * with 400 (text); a duplicate role name (ASCII case-insensitive, built-ins included) 409;
 * revoking an unknown client id 404 with an errors body; an "orgId" other than the
 * organization's on token creation 404; the "ID" of JSON errors is the HTTP status;
 * currentOrg needs only a valid token; legacy role *names* in a token count for its
 * permissions; deleting a custom role leaves its id in the tokens that had it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ASTRA_SIM_ERROR (astra_sim_error_quark ())

typedef enum
{
  ASTRA_SIM_ERROR_BAD_FAULT,
  ASTRA_SIM_ERROR_STATE,
  ASTRA_SIM_ERROR_UNKNOWN_ROLE,
} AstraSimError;

#define ASTRA_TYPE_SIM_SERVER (astra_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (AstraSimServer, astra_sim_server, ASTRA, SIM_SERVER, GObject)

GQuark          astra_sim_error_quark             (void);

AstraSimServer *astra_sim_server_new              (void);
/* Seed data, before listening: @n_tokens extra tokens (bulk data for benchmarks) and
 * @n_databases databases (default 3). */
void            astra_sim_server_set_seed         (AstraSimServer  *self,
                                                   guint            n_tokens,
                                                   guint            n_databases);
void            astra_sim_server_set_org_name     (AstraSimServer  *self,
                                                   const char      *name);
/* Delay every answer by @latency_ms. */
void            astra_sim_server_set_latency      (AstraSimServer  *self,
                                                   guint            latency_ms);
gboolean        astra_sim_server_add_fault        (AstraSimServer  *self,
                                                   const char      *spec,
                                                   GError         **error);
void            astra_sim_server_clear_faults     (AstraSimServer  *self);
/* Loads @path if it exists and saves the state there after every change. */
gboolean        astra_sim_server_set_state_file   (AstraSimServer  *self,
                                                   const char      *path,
                                                   GError         **error);
/* Listens on 127.0.0.1:@port (0 = any free port). */
gboolean        astra_sim_server_listen           (AstraSimServer  *self,
                                                   guint            port,
                                                   GError         **error);
void            astra_sim_server_disconnect       (AstraSimServer  *self);
/* "http://127.0.0.1:PORT/v2", valid after listening. */
const char     *astra_sim_server_get_base_url     (AstraSimServer  *self);
const char     *astra_sim_server_get_org_id       (AstraSimServer  *self);
const char     *astra_sim_server_get_org_name     (AstraSimServer  *self);
/* An Organization Administrator token minted when the server was created. */
const char     *astra_sim_server_get_admin_token  (AstraSimServer  *self);
/* Mints a token with the built-in or custom role named @role_name, as if generated in the
 * portal. (transfer full) the AstraCS token, or NULL with ASTRA_SIM_ERROR_UNKNOWN_ROLE. */
char           *astra_sim_server_mint_token       (AstraSimServer  *self,
                                                   const char      *role_name,
                                                   const char      *description,
                                                   GError         **error);
/* Number of live (not revoked) tokens, and of requests served so far (for tests). */
guint           astra_sim_server_get_token_count  (AstraSimServer  *self);
guint           astra_sim_server_get_request_count (AstraSimServer *self);

G_END_DECLS

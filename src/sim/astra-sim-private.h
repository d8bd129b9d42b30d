/* astra-sim-private.h: what the simulator's server, router and handlers share
 *
 * A request goes: astra-sim-server.c (counting, latency, faults, pausing) →
 * astra-sim-router.c (path → route, 404/405, bearer check 401, permission 403) → one
 * handler in astra-sim-handlers-*.c, which answers through the astra_sim_reply_* helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "astra-sim-data-private.h"
#include "astra-sim-server.h"

G_BEGIN_DECLS

/* Request bodies above this size are refused with 413. */
#define ASTRA_SIM_MAX_BODY (1024 * 1024)

typedef struct
{
  AstraSimServer     *server;
  AstraSimData       *data;
  SoupServerMessage  *msg;
  const char         *method;
  const char         *path;
  GHashTable         *query;         /* decoded query parameters, or NULL */
  char              **segments;      /* path segments after /v2 */
  guint               n_segments;
  AstraSimToken      *caller;        /* set once authenticated */
  gboolean            text_errors;   /* this endpoint answers errors as text/plain */
} AstraSimRequest;

typedef void (*AstraSimHandler) (AstraSimRequest *request);

/* astra-sim-server.c */
AstraSimData *astra_sim_server_get_data       (AstraSimServer  *self);
/* Call after every change of the model: persists it when a state file is set. */
void          astra_sim_server_changed        (AstraSimServer  *self);

/* astra-sim-router.c */
void          astra_sim_router_dispatch       (AstraSimServer     *server,
                                               SoupServerMessage  *msg);

/* astra-sim-reply.c */
void          astra_sim_reply_json            (AstraSimRequest *request,
                                               guint            status,
                                               JsonNode        *node);
/* @body: (transfer full) JSON text. */
void          astra_sim_reply_json_text       (AstraSimRequest *request,
                                               guint            status,
                                               char            *body);
void          astra_sim_reply_empty           (AstraSimRequest *request,
                                               guint            status);
/* Errors as the endpoint sends them: text/plain when request->text_errors (except 401,
 * which is always a JSON errors body), else {"errors":[{"ID":…,"message":…}]}. */
void          astra_sim_reply_error           (AstraSimRequest *request,
                                               guint            status,
                                               const char      *format,
                                               ...) G_GNUC_PRINTF (3, 4);
void          astra_sim_message_set_json_error (SoupServerMessage *msg,
                                                guint              status,
                                                const char        *message);
/* Parses the request body as a JSON object; on failure answers 400/413 and returns NULL. */
JsonObject   *astra_sim_request_parse_object  (AstraSimRequest *request,
                                               JsonNode       **root);

/* astra-sim-handlers-org.c */
void          astra_sim_handle_current_org    (AstraSimRequest *request);
void          astra_sim_handle_list_databases (AstraSimRequest *request);
void          astra_sim_handle_get_database   (AstraSimRequest *request);

/* astra-sim-handlers-users.c */
void          astra_sim_handle_list_users     (AstraSimRequest *request);
void          astra_sim_handle_get_user       (AstraSimRequest *request);
void          astra_sim_handle_invite_user    (AstraSimRequest *request);
void          astra_sim_handle_set_user_roles (AstraSimRequest *request);
void          astra_sim_handle_remove_user    (AstraSimRequest *request);

/* astra-sim-handlers-roles.c */
void          astra_sim_handle_list_roles     (AstraSimRequest *request);
void          astra_sim_handle_get_role       (AstraSimRequest *request);
void          astra_sim_handle_create_role    (AstraSimRequest *request);
void          astra_sim_handle_update_role    (AstraSimRequest *request);
void          astra_sim_handle_delete_role    (AstraSimRequest *request);

/* astra-sim-handlers-tokens.c */
void          astra_sim_handle_list_tokens    (AstraSimRequest *request);
void          astra_sim_handle_create_token   (AstraSimRequest *request);
void          astra_sim_handle_revoke_token   (AstraSimRequest *request);

G_END_DECLS

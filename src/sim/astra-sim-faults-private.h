/* astra-sim-faults-private.h: fault injection (--fault, astra_sim_server_add_fault)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  ASTRA_SIM_FAULT_RATE_LIMIT,    /* 429 with Retry-After: value seconds */
  ASTRA_SIM_FAULT_STATUS,        /* value = 500, 502, 503 or 504, JSON errors body */
  ASTRA_SIM_FAULT_TEXT,          /* 500 with a text/plain body */
  ASTRA_SIM_FAULT_MALFORMED,     /* 200 with truncated JSON */
  ASTRA_SIM_FAULT_SLOW,          /* answer normally after value milliseconds */
  ASTRA_SIM_FAULT_DROP,          /* close the connection without answering */
  ASTRA_SIM_FAULT_DROP_AFTER,    /* carry out the request, then close without answering */
  ASTRA_SIM_FAULT_BIG,           /* 200 with a JSON body of about value bytes */
  /* Carry out the request, then spoil the answer (astra_sim_fault_spoil): */
  ASTRA_SIM_FAULT_STATUS_AFTER,  /* a gateway's HTML error page, status value */
  ASTRA_SIM_FAULT_TRAILING,      /* bytes after the JSON document */
  ASTRA_SIM_FAULT_BAD_BYTE,      /* an unknown member holding a byte that is not UTF-8 */
  ASTRA_SIM_FAULT_NUMERIC_ID,    /* "clientId" as a number */
  ASTRA_SIM_FAULT_BAD_ITEM,      /* a token list: one client's "description" not UTF-8, the
                                  * last client's "clientId" a number */
} AstraSimFaultKind;

typedef struct
{
  char              *method;     /* upper case, or "*" */
  char              *path;       /* path prefix, or "*" */
  AstraSimFaultKind  kind;
  guint              value;
  gint               remaining;  /* -1 = unlimited */
} AstraSimFault;

/* Largest body "big/BYTES" produces. */
#define ASTRA_SIM_FAULT_MAX_BIG (256u * 1024 * 1024)

AstraSimFault *astra_sim_fault_parse   (const char        *spec,
                                        GError           **error);
void           astra_sim_fault_free    (AstraSimFault     *fault);
/* Finds the first fault matching the request in @faults, consumes one of its uses (dropping
 * it when used up) and copies it to @out (whose strings are then NULL). */
gboolean       astra_sim_faults_take   (GPtrArray         *faults,
                                        const char        *method,
                                        const char        *path,
                                        AstraSimFault     *out);
/* Answers @msg for the kinds that replace the answer (rate limit, status, text, malformed,
 * big). */
void           astra_sim_fault_respond (const AstraSimFault *fault,
                                        SoupServerMessage   *msg);
/* Whether the request runs, and then the fault changes its answer. */
gboolean       astra_sim_fault_spoils_answer (const AstraSimFault *fault);
/* Changes the answer the request got, as the fault says. */
void           astra_sim_fault_spoil   (const AstraSimFault *fault,
                                        SoupServerMessage   *msg);
/* Whether the fault replaces the answer without running the request. */
gboolean       astra_sim_fault_replaces_answer (const AstraSimFault *fault);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraSimFault, astra_sim_fault_free)

G_END_DECLS

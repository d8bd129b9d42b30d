/* astra-reference.h: references that name a keyring secret without containing it
 *
 *   astra://ORG/CLIENT_ID/FIELD
 *
 * ORG is an organization id or its name as the sidebar shows it (percent-encoded where it
 * holds "/", "%", spaces or other characters outside RFC 3986's unreserved set); CLIENT_ID
 * is the token's 24-character client id; FIELD is "token", "client-secret" or "client-id".
 * Programs get the secret through `astra-tokens-cli read|run`, never from a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ASTRA_REFERENCE_SCHEME_PREFIX "astra://"

#define ASTRA_REFERENCE_ERROR (astra_reference_error_quark ())

typedef enum
{
  ASTRA_REFERENCE_ERROR_SYNTAX,     /* not astra://ORG/CLIENT_ID/FIELD */
  ASTRA_REFERENCE_ERROR_CLIENT_ID,  /* the client id is not 24 letters and digits */
  ASTRA_REFERENCE_ERROR_FIELD,      /* FIELD is none of the known ones */
} AstraReferenceError;

typedef enum
{
  ASTRA_REFERENCE_FIELD_TOKEN,
  ASTRA_REFERENCE_FIELD_CLIENT_SECRET,
  ASTRA_REFERENCE_FIELD_CLIENT_ID,
} AstraReferenceField;

GQuark      astra_reference_error_quark (void);

/* "token", "client-secret", "client-id"; NULL for an unknown value. */
const char *astra_reference_field_to_string   (AstraReferenceField  field);
gboolean    astra_reference_field_from_string (const char          *string,
                                               AstraReferenceField *field);

/* (transfer full) "astra://ORG/CLIENT_ID/FIELD", ORG percent-encoded as needed. */
char       *astra_reference_format (const char          *org,
                                    const char          *client_id,
                                    AstraReferenceField  field);

/* Whether @text starts like a reference (a cheap test before parsing a value). */
gboolean    astra_reference_looks_like (const char *text);

/* Splits a reference; @org comes back decoded. FALSE with ASTRA_REFERENCE_ERROR on any
 * deviation: the error message names what is wrong, never quoting more than the text. */
gboolean    astra_reference_parse  (const char           *text,
                                    char                **org,
                                    char                **client_id,
                                    AstraReferenceField  *field,
                                    GError              **error);

G_END_DECLS

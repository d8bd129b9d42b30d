/* astra-model-private.h: helpers shared by the model parsers (not installed, not public)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses an ISO-8601 timestamp as the API sends it (UTC, milli- or nanosecond precision);
 * a missing zone means UTC. (transfer full) or NULL when @text is NULL or not a timestamp. */
GDateTime  *astra_model_parse_timestamp   (const char          *text);

/* Reads a member that must be a non-empty string. On failure sets
 * ASTRA_CLIENT_ERROR_BAD_RESPONSE naming @what (a translated noun such as "a token") and
 * @name, and returns NULL. */
const char *astra_model_require_string    (JsonObject          *object,
                                           const char          *name,
                                           const char          *what,
                                           GError             **error);

/* An optional string member: its value, or "" when missing, null or of another type. */
const char *astra_model_optional_string   (JsonObject          *object,
                                           const char          *name);

/* An optional array of strings: non-string elements are skipped; missing or of another
 * type gives an empty vector. (transfer full), never NULL. */
char      **astra_model_optional_strv     (JsonObject          *object,
                                           const char          *name);

/* Copies a possibly NULL vector into a NULL-terminated one; never returns NULL. */
char      **astra_model_strv_copy         (const char * const  *strv);

gboolean    astra_model_strv_equal        (const char * const  *a,
                                           const char * const  *b);

G_END_DECLS

/* astra-json.h: defensive JSON helpers for untrusted bodies
 *
 * json-glib 1.6 overflows its stack on deeply nested input and returns success with a NULL
 * root on empty input (platform-notes.md §4). Everything that parses a body from the network
 * or a file goes through astra_json_parse(), which bounds size and depth first, and reads
 * members with the typed, case-insensitive getters below, which never emit criticals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ASTRA_JSON_ERROR (astra_json_error_quark ())

typedef enum
{
  ASTRA_JSON_ERROR_EMPTY,
  ASTRA_JSON_ERROR_TOO_LARGE,
  ASTRA_JSON_ERROR_TOO_DEEP,
  ASTRA_JSON_ERROR_SYNTAX,
  ASTRA_JSON_ERROR_UNEXPECTED,
} AstraJsonError;

/* Bodies above this size are refused before parsing. */
#define ASTRA_JSON_MAX_SIZE  (16 * 1024 * 1024)
/* Nesting of objects and arrays above this depth is refused before parsing. */
#define ASTRA_JSON_MAX_DEPTH 64

GQuark        astra_json_error_quark       (void);

/* Returns (transfer full) the root node, never NULL on success. */
JsonNode     *astra_json_parse             (const char  *data,
                                            gsize        length,
                                            GError     **error);
JsonNode     *astra_json_parse_bytes       (GBytes      *bytes,
                                            GError     **error);
/* TRUE when @data nests no deeper than @max_depth (brackets inside strings ignored). */
gboolean      astra_json_check_depth       (const char  *data,
                                            gsize        length,
                                            guint        max_depth);

/* Member lookup: exact name first, then ASCII case-insensitive (astra-api.md §2.9). */
JsonNode     *astra_json_object_get_member (JsonObject  *object,
                                            const char  *name);
/* These return NULL / FALSE when the member is missing, null, or of another type. */
const char   *astra_json_object_get_string (JsonObject  *object,
                                            const char  *name);
JsonObject   *astra_json_object_get_object (JsonObject  *object,
                                            const char  *name);
JsonArray    *astra_json_object_get_array  (JsonObject  *object,
                                            const char  *name);
gboolean      astra_json_object_get_int    (JsonObject  *object,
                                            const char  *name,
                                            gint64      *value);
gboolean      astra_json_object_get_bool   (JsonObject  *object,
                                            const char  *name,
                                            gboolean    *value);
/* (transfer full) the string elements of a string array member; non-strings are skipped
 * when @strict is FALSE and make the call fail (NULL) when it is TRUE. Missing → NULL. */
char        **astra_json_object_dup_strv   (JsonObject  *object,
                                            const char  *name,
                                            gboolean     strict);

/* Serialise a node compactly; (transfer full). */
char         *astra_json_to_string         (JsonNode    *node);

/* Builder helpers: each sets the member @name on the object being built, then its value. */
/* A string, or null when @value is NULL. */
void          astra_json_builder_add_string_member (JsonBuilder        *builder,
                                                    const char         *name,
                                                    const char         *value);
/* An array of strings, empty when @values is NULL. */
void          astra_json_builder_add_strv_member   (JsonBuilder        *builder,
                                                    const char         *name,
                                                    const char * const *values);
void          astra_json_builder_add_int_member    (JsonBuilder        *builder,
                                                    const char         *name,
                                                    gint64              value);
/* ISO 8601 in UTC (g_date_time_format_iso8601), or null when @value is NULL. */
void          astra_json_builder_add_date_member   (JsonBuilder        *builder,
                                                    const char         *name,
                                                    GDateTime          *value);

G_END_DECLS

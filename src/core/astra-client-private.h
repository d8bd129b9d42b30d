/* astra-client-private.h: the request machinery shared by the AstraClient files
 *
 * astra-client.c owns the object and the shared helpers; astra-client-org.c,
 * astra-client-roles.c and astra-client-tokens.c implement the endpoints;
 * astra-client-request.c sends one logical request (with retries), reads the body under a
 * size cap and maps failures to ASTRA_CLIENT_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "astra-client.h"

G_BEGIN_DECLS

/* The permission each endpoint needs (astra-api.md §1), named in 403 messages. */
#define ASTRA_PERMISSION_ORG_READ     "org-read"
#define ASTRA_PERMISSION_ROLE_READ    "org-role-read"
#define ASTRA_PERMISSION_ROLE_WRITE   "org-role-write"
#define ASTRA_PERMISSION_ROLE_DELETE  "org-role-delete"
#define ASTRA_PERMISSION_TOKEN_READ   "org-token-read"
#define ASTRA_PERMISSION_TOKEN_WRITE  "org-token-write"
#define ASTRA_PERMISSION_DB_VIEW      "org-db-view"
#define ASTRA_PERMISSION_USER_READ    "org-user-read"

/* Longest API message quoted in an error, in characters. */
#define ASTRA_CLIENT_MAX_API_MESSAGE 300

typedef enum
{
  ASTRA_REQUEST_NONE        = 0,
  /* A 2xx answer must carry a JSON body; an empty one is a BAD_RESPONSE. */
  ASTRA_REQUEST_EXPECT_JSON = 1 << 0,
  /* The 2xx body is handed over unparsed (astra_client_send_finish_bytes), for callers
   * with a faster reader of their own (astra_token_list_parse). */
  ASTRA_REQUEST_RAW_BODY    = 1 << 1,
} AstraRequestFlags;

/* A model constructor such as astra_token_new_from_json(). */
typedef gpointer (*AstraModelParser) (JsonObject *object,
                                      GError    **error);

/* Accessors for the request machinery. */
SoupSession *astra_client_get_session          (AstraClient        *self);
const char  *astra_client_get_authorization    (AstraClient        *self);
guint        astra_client_get_timeout          (AstraClient        *self);
void         astra_client_get_retry_policy     (AstraClient        *self,
                                                guint              *max_attempts,
                                                guint              *base_delay_ms,
                                                guint              *max_delay_ms);

/* Shared by the endpoint files (astra-client.c). */
gboolean     astra_client_url_is_loopback      (const char         *url);
GError      *astra_client_bad_shape_error      (const char         *expected);
char        *astra_client_build_item_path      (const char         *prefix,
                                                const char         *id);
gboolean     astra_client_append_models        (GListStore         *store,
                                                JsonArray          *array,
                                                AstraModelParser    parser,
                                                GError            **error);
GListModel  *astra_client_parse_model_list     (JsonArray          *array,
                                                GType               type,
                                                AstraModelParser    parser,
                                                GError            **error);
/* Return on a task the model or list of models parsed from an answer; a bad-shape error
 * naming @expected (translated) when it is not an object / @array is NULL. */
void         astra_client_return_model         (GTask              *task,
                                                JsonNode           *root,
                                                AstraModelParser    parser,
                                                const char         *expected);
void         astra_client_return_model_list    (GTask              *task,
                                                JsonArray          *array,
                                                GType               type,
                                                AstraModelParser    parser,
                                                const char         *expected);
/* The checks and result of an endpoint's _finish(): the task must come from @self and the
 * _async function @source_tag. */
gpointer     astra_client_finish_pointer       (AstraClient        *self,
                                                GAsyncResult       *result,
                                                gpointer            source_tag,
                                                GError            **error);
gboolean     astra_client_finish_boolean       (AstraClient        *self,
                                                GAsyncResult       *result,
                                                gpointer            source_tag,
                                                GError            **error);
/* A send callback for calls whose answer body carries nothing: returns a boolean. */
void         astra_client_on_no_content_cb     (GObject            *object,
                                                GAsyncResult       *result,
                                                gpointer            user_data);

/* Sends @method @path (relative to the base URL; may carry a query) with @body as JSON.
 * GET, PUT and DELETE are retried on 429/502/503/504. @permission names the action a 403
 * is about (astra-api.md §1). */
void         astra_client_send_async           (AstraClient        *self,
                                                const char         *method,
                                                const char         *path,
                                                JsonNode           *body,
                                                const char         *permission,
                                                AstraRequestFlags   flags,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
/* A reader for a 2xx body too large to hold (over ASTRA_JSON_MAX_SIZE): once the body
 * outgrows the cap, @feed gets what was read so far and then every further chunk, instead
 * of the body being refused; astra_client_send_finish_bytes() then gives a NULL body. A
 * @feed error fails the request (an ASTRA_JSON_ERROR, mapped as for a parsed body).
 * @reset is called when an attempt that fed it is abandoned. */
typedef struct
{
  gboolean (*feed)  (gpointer     data,
                     const char  *bytes,
                     gsize        length,
                     GError     **error);
  void     (*reset) (gpointer     data);
  gpointer   data;
} AstraBodySink;

/* astra_client_send_async() with a @sink (nullable) for an ASTRA_REQUEST_RAW_BODY request. */
void         astra_client_send_with_sink_async (AstraClient         *self,
                                                const char          *method,
                                                const char          *path,
                                                JsonNode            *body,
                                                const char          *permission,
                                                AstraRequestFlags    flags,
                                                const AstraBodySink *sink,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);

/* On success @root gets the parsed body (transfer full), or NULL when the request did not
 * expect JSON. */
gboolean     astra_client_send_finish          (AstraClient        *self,
                                                GAsyncResult       *result,
                                                JsonNode          **root,
                                                GError            **error);

/* For ASTRA_REQUEST_RAW_BODY requests: on success @body gets the body (transfer full; the
 * memory is wiped when the last reference goes, as for every body), or NULL when a sink
 * read it. */
gboolean     astra_client_send_finish_bytes    (AstraClient        *self,
                                                GAsyncResult       *result,
                                                GBytes            **body,
                                                GError            **error);

/* Maps an ASTRA_JSON_ERROR about a 2xx body to the BAD_RESPONSE the user sees. */
GError      *astra_client_error_from_json      (const GError       *json_error);

/* The API's own message in an error body: errors[].message joined, a "message" member, a
 * JSON string, or the plain text; trimmed, capped, without control characters or tokens.
 * (transfer full) or NULL when there is nothing to show. */
char        *astra_client_extract_api_message  (const char         *body,
                                                gsize               length);

/* Maps an HTTP status to ASTRA_CLIENT_ERROR with a sentence for the user. */
GError      *astra_client_error_from_status    (guint               status,
                                                const char         *permission,
                                                const char         *api_message);
/* Maps a transport GError (never G_IO_ERROR_CANCELLED) to ASTRA_CLIENT_ERROR. */
GError      *astra_client_error_from_transport (const GError       *error,
                                                const char         *host);

/* Milliseconds to wait before the next try: Retry-After (delta seconds or HTTP date) if
 * given, else exponential from @base_delay_ms; capped at @max_delay_ms. @attempt is the
 * number of tries made so far (≥ 1). */
guint        astra_client_compute_retry_delay  (const char         *retry_after,
                                                guint               attempt,
                                                guint               base_delay_ms,
                                                guint               max_delay_ms);

G_END_DECLS

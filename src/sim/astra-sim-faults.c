/* astra-sim-faults.c: parsing, matching and answering injected faults
 *
 * Syntax (also in astra-sim-server.h and astra-sim --help): METHOD:PATH=KIND[*COUNT].
 * METHOD is case-insensitive or "*"; PATH is "*" or a path prefix matched on whole segments
 * ("/v2/organizations/roles" also matches "/v2/organizations/roles/ID"), with or without the
 * leading "/v2". Faults are tried in the order they were added; the first match wins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include <stdlib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "astra-sim-faults-private.h"
#include "astra-sim-private.h"

#define MAX_SLOW_MS       (10 * 60 * 1000)
#define MAX_RETRY_SECONDS (24 * 3600)

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

static gboolean
fail (GError     **error,
      const char  *spec,
      const char  *why)
{
  g_set_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_BAD_FAULT,
               "Invalid fault \"%s\": %s (expected METHOD:PATH=KIND[*COUNT])", spec, why);
  return FALSE;
}

static gboolean
parse_number (const char *text,
              guint64     min,
              guint64     max,
              guint      *value)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &number, NULL))
    return FALSE;
  *value = number;
  return TRUE;
}

static gboolean
parse_kind (const char    *spec,
            const char    *kind,
            AstraSimFault *fault,
            GError       **error)
{
  const char *slash = strchr (kind, '/');
  g_autofree char *name = slash ? g_strndup (kind, slash - kind) : g_strdup (kind);
  const char *arg = slash ? slash + 1 : NULL;

  if (g_str_equal (name, "429"))
    {
      fault->kind = ASTRA_SIM_FAULT_RATE_LIMIT;
      fault->value = 1;
      if (arg != NULL && !parse_number (arg, 0, MAX_RETRY_SECONDS, &fault->value))
        return fail (error, spec, "429/SECONDS needs a number of seconds");
    }
  else if (g_str_equal (name, "500") || g_str_equal (name, "502") ||
           g_str_equal (name, "503") || g_str_equal (name, "504"))
    {
      fault->kind = ASTRA_SIM_FAULT_STATUS;
      fault->value = atoi (name);
      if (arg != NULL)
        return fail (error, spec, "5xx kinds take no argument");
    }
  else if (g_str_equal (name, "text") || g_str_equal (name, "malformed") ||
           g_str_equal (name, "drop") || g_str_equal (name, "drop-after"))
    {
      if (arg != NULL)
        return fail (error, spec, "this kind takes no argument");
      if (g_str_equal (name, "text"))
        fault->kind = ASTRA_SIM_FAULT_TEXT;
      else if (g_str_equal (name, "malformed"))
        fault->kind = ASTRA_SIM_FAULT_MALFORMED;
      else if (g_str_equal (name, "drop"))
        fault->kind = ASTRA_SIM_FAULT_DROP;
      else
        fault->kind = ASTRA_SIM_FAULT_DROP_AFTER;
    }
  else if (g_str_equal (name, "after"))
    {
      fault->kind = ASTRA_SIM_FAULT_STATUS_AFTER;
      if (arg == NULL || !parse_number (arg, 500, 599, &fault->value))
        return fail (error, spec, "after/STATUS needs a 5xx status");
    }
  else if (g_str_equal (name, "trailing") || g_str_equal (name, "bad-byte") ||
           g_str_equal (name, "numeric-id") || g_str_equal (name, "bad-item"))
    {
      if (arg != NULL)
        return fail (error, spec, "this kind takes no argument");
      if (g_str_equal (name, "trailing"))
        fault->kind = ASTRA_SIM_FAULT_TRAILING;
      else if (g_str_equal (name, "bad-byte"))
        fault->kind = ASTRA_SIM_FAULT_BAD_BYTE;
      else if (g_str_equal (name, "bad-item"))
        fault->kind = ASTRA_SIM_FAULT_BAD_ITEM;
      else
        fault->kind = ASTRA_SIM_FAULT_NUMERIC_ID;
    }
  else if (g_str_equal (name, "slow"))
    {
      fault->kind = ASTRA_SIM_FAULT_SLOW;
      if (arg == NULL || !parse_number (arg, 0, MAX_SLOW_MS, &fault->value))
        return fail (error, spec, "slow/MS needs a number of milliseconds (at most 600000)");
    }
  else if (g_str_equal (name, "big"))
    {
      fault->kind = ASTRA_SIM_FAULT_BIG;
      if (arg == NULL || !parse_number (arg, 1, ASTRA_SIM_FAULT_MAX_BIG, &fault->value))
        return fail (error, spec, "big/BYTES needs a number of bytes (at most 268435456)");
    }
  else
    return fail (error, spec,
                 "unknown kind; use 429[/SECONDS], 500, 502, 503, 504, text, malformed, "
                 "slow/MS, drop, drop-after, big/BYTES, after/STATUS, trailing, bad-byte, "
                 "numeric-id or bad-item");

  return TRUE;
}

static gboolean
path_has_prefix (const char *path,
                 const char *prefix)
{
  gsize length = strlen (prefix);

  if (!g_str_has_prefix (path, prefix))
    return FALSE;
  /* Whole segments only: /v2/tokens must not match /v2/tokensX. */
  return path[length] == '\0' || path[length] == '/' || path[length] == '?' ||
         (length > 0 && prefix[length - 1] == '/');
}

static gboolean
fault_matches (AstraSimFault *fault,
               const char    *method,
               const char    *path)
{
  if (!g_str_equal (fault->method, "*") && g_ascii_strcasecmp (fault->method, method) != 0)
    return FALSE;
  if (g_str_equal (fault->path, "*"))
    return TRUE;
  if (path_has_prefix (path, fault->path))
    return TRUE;
  /* Let "/clientIdSecrets" stand for "/v2/clientIdSecrets". */
  return g_str_has_prefix (path, "/v2/") && !g_str_has_prefix (fault->path, "/v2") &&
         path_has_prefix (path + 3, fault->path);
}

/* ------------------------------------------------------------------------------------------
 * Module API
 * ---------------------------------------------------------------------------------------- */

AstraSimFault *
astra_sim_fault_parse (const char  *spec,
                       GError     **error)
{
  g_autoptr(AstraSimFault) fault = g_new0 (AstraSimFault, 1);
  const char *colon;
  const char *equals;
  const char *star;
  g_autofree char *kind = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  colon = strchr (spec, ':');
  equals = colon ? strchr (colon, '=') : NULL;
  if (colon == NULL || equals == NULL)
    {
      fail (error, spec, "missing \":\" or \"=\"");
      return NULL;
    }

  fault->method = g_ascii_strup (spec, colon - spec);
  if (*fault->method == '\0')
    {
      fail (error, spec, "empty METHOD");
      return NULL;
    }
  for (const char *c = fault->method; *c; c++)
    if (!g_ascii_isalpha (*c) && !g_str_equal (fault->method, "*"))
      {
        fail (error, spec, "METHOD must be a word such as GET, or *");
        return NULL;
      }

  fault->path = g_strndup (colon + 1, equals - colon - 1);
  if (!g_str_equal (fault->path, "*") && fault->path[0] != '/')
    {
      fail (error, spec, "PATH must start with / or be *");
      return NULL;
    }

  star = strchr (equals + 1, '*');
  kind = star ? g_strndup (equals + 1, star - equals - 1) : g_strdup (equals + 1);
  fault->remaining = -1;
  if (star != NULL)
    {
      guint count;

      if (!parse_number (star + 1, 1, G_MAXINT, &count))
        {
          fail (error, spec, "COUNT must be a positive number");
          return NULL;
        }
      fault->remaining = count;
    }

  if (!parse_kind (spec, kind, fault, error))
    return NULL;

  return g_steal_pointer (&fault);
}

void
astra_sim_fault_free (AstraSimFault *fault)
{
  if (fault == NULL)
    return;
  g_free (fault->method);
  g_free (fault->path);
  g_free (fault);
}

gboolean
astra_sim_faults_take (GPtrArray     *faults,
                       const char    *method,
                       const char    *path,
                       AstraSimFault *out)
{
  for (guint i = 0; i < faults->len; i++)
    {
      AstraSimFault *fault = g_ptr_array_index (faults, i);

      if (!fault_matches (fault, method, path))
        continue;

      *out = *fault;
      out->method = NULL;
      out->path = NULL;
      if (fault->remaining > 0 && --fault->remaining == 0)
        g_ptr_array_remove_index (faults, i);
      return TRUE;
    }
  return FALSE;
}

gboolean
astra_sim_fault_spoils_answer (const AstraSimFault *fault)
{
  return fault->kind == ASTRA_SIM_FAULT_STATUS_AFTER || fault->kind == ASTRA_SIM_FAULT_TRAILING ||
         fault->kind == ASTRA_SIM_FAULT_BAD_BYTE || fault->kind == ASTRA_SIM_FAULT_NUMERIC_ID ||
         fault->kind == ASTRA_SIM_FAULT_BAD_ITEM;
}

#define BAD_TEXT_MARK "astra-sim-bad-item-text"

/* A token list ({"clients": [...]}) with two unreadable clients among readable ones: the
 * first one's "description" holds bytes that are not UTF-8, the last one's "clientId" is a
 * number. Any other body stays as it is. */
static void
spoil_items (const char *body,
             gsize       length,
             GString    *spoiled)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  JsonNode *root = NULL;
  JsonArray *clients = NULL;
  guint n;

  if (json_parser_load_from_data (parser, body, length, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "clients") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "clients")))
    clients = json_object_get_array_member (json_node_get_object (root), "clients");

  n = clients != NULL ? json_array_get_length (clients) : 0;
  if (n == 0 || !JSON_NODE_HOLDS_OBJECT (json_array_get_element (clients, 0)) ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (clients, n - 1)))
    {
      g_string_append_len (spoiled, body, length);
      return;
    }

  json_object_set_string_member (json_array_get_object_element (clients, 0), "description",
                                 BAD_TEXT_MARK);
  if (n > 1)
    json_object_set_int_member (json_array_get_object_element (clients, n - 1), "clientId",
                                4815162342);

  /* json-glib writes only UTF-8: the bad bytes go in after. */
  text = json_to_string (root, FALSE);
  parts = g_strsplit (text, BAD_TEXT_MARK, 2);
  g_string_append (spoiled, parts[0]);
  if (parts[1] != NULL)
    {
      g_string_append (spoiled, "Token for caf\xe9 \xff\xfe");
      g_string_append (spoiled, parts[1]);
    }
}

/* What a load balancer in front of the API sends when the API itself took too long or
 * broke off: the request was carried out all the same. */
static char *
gateway_page (guint status)
{
  return g_strdup_printf ("<html>\r\n<head><title>%u %s</title></head>\r\n<body>\r\n"
                          "<center><h1>%u %s</h1></center>\r\n</body>\r\n</html>\r\n",
                          status, soup_status_get_phrase (status),
                          status, soup_status_get_phrase (status));
}

void
astra_sim_fault_spoil (const AstraSimFault *fault,
                       SoupServerMessage   *msg)
{
  SoupMessageBody *response = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (response);
  gsize length;
  const char *body = g_bytes_get_data (flat, &length);
  const char *content_type = "application/json";
  GString *spoiled = g_string_new (NULL);

  switch (fault->kind)
    {
    case ASTRA_SIM_FAULT_STATUS_AFTER:
      {
        g_autofree char *page = gateway_page (fault->value);

        soup_server_message_set_status (msg, fault->value, NULL);
        g_string_append (spoiled, page);
        content_type = "text/html";
      }
      break;

    case ASTRA_SIM_FAULT_TRAILING:
      g_string_append_len (spoiled, body, length);
      g_string_append (spoiled, "\n}{\"trace\":\"e1f0\"} garbage");
      break;

    case ASTRA_SIM_FAULT_BAD_BYTE:
      /* Right after the opening brace, so every later member is still intact. */
      if (length > 0 && body[0] == '{')
        {
          g_string_append (spoiled, "{\"note\": \"caf\xe9\", ");
          g_string_append_len (spoiled, body + 1, length - 1);
        }
      else
        g_string_append_len (spoiled, body, length);
      break;

    case ASTRA_SIM_FAULT_NUMERIC_ID:
      {
        g_autoptr(GRegex) regex = g_regex_new ("\"clientId\"\\s*:\\s*\"[^\"]*\"", 0, 0, NULL);
        g_autofree char *text = g_strndup (body, length);
        g_autofree char *replaced = g_regex_replace_literal (regex, text, -1, 0,
                                                             "\"clientId\": 4815162342", 0, NULL);

        g_string_append (spoiled, replaced != NULL ? replaced : text);
      }
      break;

    case ASTRA_SIM_FAULT_BAD_ITEM:
      spoil_items (body, length, spoiled);
      break;

    case ASTRA_SIM_FAULT_RATE_LIMIT:
    case ASTRA_SIM_FAULT_STATUS:
    case ASTRA_SIM_FAULT_TEXT:
    case ASTRA_SIM_FAULT_MALFORMED:
    case ASTRA_SIM_FAULT_SLOW:
    case ASTRA_SIM_FAULT_DROP:
    case ASTRA_SIM_FAULT_DROP_AFTER:
    case ASTRA_SIM_FAULT_BIG:
    default:
      g_assert_not_reached ();
    }

  /* set_response() appends to what the handler wrote. */
  soup_message_body_truncate (response);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, spoiled->str, spoiled->len);
  g_string_free (spoiled, FALSE);
}

gboolean
astra_sim_fault_replaces_answer (const AstraSimFault *fault)
{
  switch (fault->kind)
    {
    case ASTRA_SIM_FAULT_RATE_LIMIT:
    case ASTRA_SIM_FAULT_STATUS:
    case ASTRA_SIM_FAULT_TEXT:
    case ASTRA_SIM_FAULT_MALFORMED:
    case ASTRA_SIM_FAULT_BIG:
      return TRUE;
    case ASTRA_SIM_FAULT_SLOW:
    case ASTRA_SIM_FAULT_DROP:
    case ASTRA_SIM_FAULT_DROP_AFTER:
    default:
      return FALSE;
    }
}

void
astra_sim_fault_respond (const AstraSimFault *fault,
                         SoupServerMessage   *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  switch (fault->kind)
    {
    case ASTRA_SIM_FAULT_RATE_LIMIT:
      {
        g_autofree char *seconds = g_strdup_printf ("%u", fault->value);
        g_autofree char *message = g_strdup_printf ("rate limit exceeded; retry after %u s",
                                                    fault->value);

        soup_message_headers_replace (headers, "Retry-After", seconds);
        astra_sim_message_set_json_error (msg, 429, message);
      }
      break;

    case ASTRA_SIM_FAULT_STATUS:
      astra_sim_message_set_json_error (msg, fault->value,
                                        soup_status_get_phrase (fault->value));
      break;

    case ASTRA_SIM_FAULT_TEXT:
      {
        static const char text[] = "upstream request failed: internal error";

        soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
        soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                          text, strlen (text));
      }
      break;

    case ASTRA_SIM_FAULT_MALFORMED:
      {
        static const char truncated[] =
          "{\"clients\": [{\"clientId\": \"AbCdEfGhIjKlMnOpQrStUvWx\", \"roles\": [\"";

        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                          truncated, strlen (truncated));
      }
      break;

    case ASTRA_SIM_FAULT_BIG:
      {
        static const char head[] = "{\"padding\":\"";
        static const char tail[] = "\"}";
        gsize overhead = strlen (head) + strlen (tail);
        gsize length = MAX (fault->value, overhead);
        char *body = g_malloc (length);

        memcpy (body, head, strlen (head));
        memset (body + strlen (head), 'x', length - overhead);
        memcpy (body + length - strlen (tail), tail, strlen (tail));
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                          body, length);
      }
      break;

    case ASTRA_SIM_FAULT_SLOW:
    case ASTRA_SIM_FAULT_DROP:
    case ASTRA_SIM_FAULT_DROP_AFTER:
    default:
      g_assert_not_reached ();
    }
}

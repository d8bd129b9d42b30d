/* astra-sim-handlers-org.c: the organization and its databases (read only)
 *
 * GET /v2/databases follows astra-api.md §2.8: include (default nonterminated), provider
 * (default ALL), starting_after (the last id of the previous page) and limit (default 25,
 * 1–100). An unknown include/provider value, a limit that is not an integer in range, or a
 * starting_after id that names no database answer 400.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include "astra-sim-private.h"
#include "astra-sim-wire-private.h"

#define DEFAULT_LIMIT 25
#define MAX_LIMIT     100

static const char *const statuses[] = {
  "ACTIVE", "PENDING", "PREPARING", "PREPARED", "INITIALIZING", "MAINTENANCE", "PARKING",
  "PARKED", "UNPARKING", "HIBERNATING", "HIBERNATED", "RESUMING", "RESIZING", "ERROR",
  "DEGRADED", "TERMINATING", "TERMINATED", NULL,
};

static const char *const providers[] = { "ALL", "AWS", "GCP", "AZURE", NULL };

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

static const char *
query_value (AstraSimRequest *request,
             const char      *name)
{
  return request->query ? g_hash_table_lookup (request->query, name) : NULL;
}

static gboolean
strv_contains_ascii_caseless (const char *const *strv,
                              const char        *value)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (g_ascii_strcasecmp (strv[i], value) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
include_matches (const char       *include,
                 AstraSimDatabase *database)
{
  if (g_ascii_strcasecmp (include, "all") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (include, "nonterminated") == 0)
    return !g_str_equal (database->status, "TERMINATED") &&
           !g_str_equal (database->status, "TERMINATING");
  return g_ascii_strcasecmp (include, database->status) == 0;
}

static gboolean
provider_matches (const char       *provider,
                  AstraSimDatabase *database)
{
  return g_ascii_strcasecmp (provider, "ALL") == 0 ||
         g_ascii_strcasecmp (provider, database->cloud_provider) == 0;
}

static gboolean
parse_limit (const char *text,
             guint      *limit)
{
  guint64 value;

  if (text == NULL)
    {
      *limit = DEFAULT_LIMIT;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 1, MAX_LIMIT, &value, NULL))
    return FALSE;
  *limit = value;
  return TRUE;
}

/* Index in data->databases after which the page starts, or -1 from the start. */
static gboolean
find_cursor (AstraSimRequest *request,
             const char      *starting_after,
             gint            *cursor)
{
  GPtrArray *all = request->data->databases;

  *cursor = -1;
  if (starting_after == NULL || *starting_after == '\0')
    return TRUE;

  for (guint i = 0; i < all->len; i++)
    {
      AstraSimDatabase *database = g_ptr_array_index (all, i);

      if (g_str_equal (database->id, starting_after))
        {
          *cursor = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------
 * Handlers
 * ---------------------------------------------------------------------------------------- */

void
astra_sim_handle_current_org (AstraSimRequest *request)
{
  astra_sim_reply_json (request, SOUP_STATUS_OK, astra_sim_wire_org (request->data));
}

void
astra_sim_handle_list_databases (AstraSimRequest *request)
{
  const char *include = query_value (request, "include");
  const char *provider = query_value (request, "provider");
  const char *starting_after = query_value (request, "starting_after");
  GPtrArray *all = request->data->databases;
  g_autoptr(GPtrArray) page = g_ptr_array_new ();
  guint limit;
  gint cursor;

  if (include == NULL || *include == '\0')
    include = "nonterminated";
  if (provider == NULL || *provider == '\0')
    provider = "ALL";

  if (g_ascii_strcasecmp (include, "all") != 0 &&
      g_ascii_strcasecmp (include, "nonterminated") != 0 &&
      !strv_contains_ascii_caseless (statuses, include))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "include: unknown value \"%s\"", include);
      return;
    }
  if (!strv_contains_ascii_caseless (providers, provider))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "provider: unknown value \"%s\" (ALL, AWS, GCP or Azure)", provider);
      return;
    }
  if (!parse_limit (query_value (request, "limit"), &limit))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "limit must be an integer from 1 to %d", MAX_LIMIT);
      return;
    }
  if (!find_cursor (request, starting_after, &cursor))
    {
      astra_sim_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                             "starting_after: no database with id \"%s\"", starting_after);
      return;
    }

  for (guint i = cursor + 1; i < all->len && page->len < limit; i++)
    {
      AstraSimDatabase *database = g_ptr_array_index (all, i);

      if (include_matches (include, database) && provider_matches (provider, database))
        g_ptr_array_add (page, database);
    }

  astra_sim_reply_json (request, SOUP_STATUS_OK,
                        astra_sim_wire_databases (request->data, page));
}

void
astra_sim_handle_get_database (AstraSimRequest *request)
{
  const char *id = request->segments[1];
  AstraSimDatabase *database = astra_sim_data_find_database (request->data, id);

  if (database == NULL)
    {
      astra_sim_reply_error (request, SOUP_STATUS_NOT_FOUND, "database %s not found", id);
      return;
    }
  astra_sim_reply_json (request, SOUP_STATUS_OK,
                        astra_sim_wire_database (request->data, database));
}

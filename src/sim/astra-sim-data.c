/* astra-sim-data.c: the simulator's organization model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "astra-sim-data-private.h"
#include "astra-token-format.h"

/* astra-api.md §4: secrets use letters, digits and "+,-._" — commas included. */
static const char secret_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,-._";
static const char letters[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

#define SECRET_LENGTH 128

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

static void
fill_random (guint8 *buffer,
             gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = getrandom (buffer + done, length - done, 0);

      if (n <= 0)
        {
          /* getrandom only fails before the entropy pool exists or on EINTR; fall back to
           * GLib's generator rather than fail: these are simulator credentials. */
          for (; done < length; done++)
            buffer[done] = g_random_int_range (0, 256);
          return;
        }
      done += n;
    }
}

/* Unbiased choice of @length characters from @alphabet by rejecting high bytes. */
static char *
random_string (const char *alphabet,
               gsize       length)
{
  gsize n_symbols = strlen (alphabet);
  guint limit = 256 - (256 % n_symbols);
  char *result = g_malloc (length + 1);
  gsize filled = 0;

  while (filled < length)
    {
      guint8 buffer[256];

      fill_random (buffer, sizeof buffer);
      for (gsize i = 0; i < sizeof buffer && filled < length; i++)
        if (buffer[i] < limit)
          result[filled++] = alphabet[buffer[i] % n_symbols];
    }
  result[length] = '\0';
  return result;
}

static gboolean
strv_contains_action (GStrv       actions,
                      const char *action)
{
  for (guint i = 0; actions != NULL && actions[i] != NULL; i++)
    if (g_str_equal (actions[i], action))
      return TRUE;
  return FALSE;
}

/* A policy resource covers @drn when it has as many ":" segments and each one is equal,
 * "*", or the built-in roles' literal __ORG_ID__ standing for this organization. */
static gboolean
resource_covers (AstraSimData *data,
                 const char   *resource,
                 const char   *drn)
{
  g_auto(GStrv) pattern = g_strsplit (resource, ":", -1);
  g_auto(GStrv) target = g_strsplit (drn, ":", -1);

  if (g_strv_length (pattern) != g_strv_length (target))
    return FALSE;

  for (guint i = 0; pattern[i] != NULL; i++)
    {
      if (g_str_equal (pattern[i], "*") || g_str_equal (pattern[i], target[i]))
        continue;
      if (g_str_equal (pattern[i], "__ORG_ID__") && g_str_equal (target[i], data->org_id))
        continue;
      return FALSE;
    }
  return TRUE;
}

static gboolean
role_covers (AstraSimData *data,
             AstraSimRole *role,
             const char   *drn)
{
  for (guint i = 0; role->resources != NULL && role->resources[i] != NULL; i++)
    if (resource_covers (data, role->resources[i], drn))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------------------------
 * Public (module) API
 * ---------------------------------------------------------------------------------------- */

char *
astra_sim_random_client_id (void)
{
  return random_string (letters, 24);
}

char *
astra_sim_random_secret (void)
{
  return random_string (secret_alphabet, SECRET_LENGTH);
}

char *
astra_sim_sha256 (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

char *
astra_sim_format_time (gint64 usec,
                       guint  digits)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *base = NULL;
  gint64 fraction = usec % G_USEC_PER_SEC;

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  if (digits >= 9)
    return g_strdup_printf ("%s.%06" G_GINT64_FORMAT "000Z", base, fraction);
  return g_strdup_printf ("%s.%03" G_GINT64_FORMAT "Z", base, fraction / 1000);
}

gboolean
astra_sim_parse_time (const char *text,
                      gint64     *usec)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;

  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;

  *usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

AstraSimRole *
astra_sim_role_new (void)
{
  return g_new0 (AstraSimRole, 1);
}

void
astra_sim_role_free (AstraSimRole *role)
{
  if (role == NULL)
    return;
  g_free (role->id);
  g_free (role->name);
  g_free (role->description);
  g_free (role->effect);
  g_strfreev (role->resources);
  g_strfreev (role->actions);
  g_free (role->last_update_user);
  g_free (role);
}

AstraSimToken *
astra_sim_token_new (void)
{
  return g_new0 (AstraSimToken, 1);
}

void
astra_sim_token_free (AstraSimToken *token)
{
  if (token == NULL)
    return;
  g_free (token->client_id);
  g_strfreev (token->roles);
  g_free (token->description);
  g_free (token->token_hash);
  g_free (token);
}

AstraSimUser *
astra_sim_user_new (void)
{
  return g_new0 (AstraSimUser, 1);
}

void
astra_sim_user_free (AstraSimUser *user)
{
  if (user == NULL)
    return;
  g_free (user->id);
  g_free (user->email);
  g_free (user->status);
  g_strfreev (user->roles);
  g_free (user);
}

AstraSimDatabase *
astra_sim_database_new (void)
{
  return g_new0 (AstraSimDatabase, 1);
}

void
astra_sim_database_free (AstraSimDatabase *database)
{
  if (database == NULL)
    return;
  g_free (database->id);
  g_free (database->owner_id);
  g_free (database->status);
  g_free (database->name);
  g_free (database->keyspace);
  g_strfreev (database->keyspaces);
  g_free (database->region);
  g_free (database->cloud_provider);
  g_free (database->tier);
  g_free (database->db_type);
  g_free (database);
}

AstraSimData *
astra_sim_data_new (const char *org_id,
                    const char *org_name)
{
  AstraSimData *data = g_new0 (AstraSimData, 1);

  data->org_id = org_id ? g_strdup (org_id) : g_uuid_string_random ();
  data->org_name = g_strdup (org_name ? org_name : "Demo Organization");
  data->owner_user_id = g_uuid_string_random ();
  data->roles = g_ptr_array_new_with_free_func ((GDestroyNotify) astra_sim_role_free);
  data->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) astra_sim_token_free);
  data->tokens_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  data->users = g_ptr_array_new_with_free_func ((GDestroyNotify) astra_sim_user_free);
  data->databases = g_ptr_array_new_with_free_func ((GDestroyNotify) astra_sim_database_free);
  return data;
}

void
astra_sim_data_free (AstraSimData *data)
{
  if (data == NULL)
    return;
  g_free (data->org_id);
  g_free (data->org_name);
  g_free (data->owner_user_id);
  g_clear_pointer (&data->tokens_by_id, g_hash_table_unref);
  g_clear_pointer (&data->tokens, g_ptr_array_unref);
  g_clear_pointer (&data->roles, g_ptr_array_unref);
  g_clear_pointer (&data->users, g_ptr_array_unref);
  g_clear_pointer (&data->databases, g_ptr_array_unref);
  g_free (data);
}

AstraSimRole *
astra_sim_data_find_role (AstraSimData *data,
                          const char   *id)
{
  for (guint i = 0; id != NULL && i < data->roles->len; i++)
    {
      AstraSimRole *role = g_ptr_array_index (data->roles, i);

      if (g_str_equal (role->id, id))
        return role;
    }
  return NULL;
}

AstraSimRole *
astra_sim_data_find_role_by_name (AstraSimData *data,
                                  const char   *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < data->roles->len; i++)
    {
      AstraSimRole *role = g_ptr_array_index (data->roles, i);

      if (g_str_equal (role->name, name))
        return role;
    }
  for (guint i = 0; i < data->roles->len; i++)
    {
      AstraSimRole *role = g_ptr_array_index (data->roles, i);

      if (g_ascii_strcasecmp (role->name, name) == 0)
        return role;
    }
  return NULL;
}

AstraSimRole *
astra_sim_data_resolve_role (AstraSimData *data,
                             const char   *id_or_name)
{
  AstraSimRole *role = astra_sim_data_find_role (data, id_or_name);

  if (role == NULL && id_or_name != NULL)
    {
      /* Legacy entries hold the exact built-in name (terraform #40); be exact here. */
      for (guint i = 0; i < data->roles->len && role == NULL; i++)
        {
          AstraSimRole *candidate = g_ptr_array_index (data->roles, i);

          if (g_str_equal (candidate->name, id_or_name))
            role = candidate;
        }
    }
  return role;
}

void
astra_sim_data_add_role (AstraSimData *data,
                         AstraSimRole *role)
{
  g_ptr_array_add (data->roles, role);
}

gboolean
astra_sim_data_remove_role (AstraSimData *data,
                            const char   *id)
{
  AstraSimRole *role = astra_sim_data_find_role (data, id);

  if (role == NULL)
    return FALSE;
  return g_ptr_array_remove (data->roles, role);
}

AstraSimToken *
astra_sim_data_find_token (AstraSimData *data,
                           const char   *client_id)
{
  if (client_id == NULL)
    return NULL;
  return g_hash_table_lookup (data->tokens_by_id, client_id);
}

void
astra_sim_data_add_token (AstraSimData  *data,
                          AstraSimToken *token)
{
  g_ptr_array_add (data->tokens, token);
  g_hash_table_replace (data->tokens_by_id, token->client_id, token);
}

gboolean
astra_sim_data_remove_token (AstraSimData *data,
                             const char   *client_id)
{
  AstraSimToken *token = astra_sim_data_find_token (data, client_id);

  if (token == NULL)
    return FALSE;
  g_hash_table_remove (data->tokens_by_id, client_id);
  return g_ptr_array_remove (data->tokens, token);
}

char *
astra_sim_data_mint_token (AstraSimData       *data,
                           const char *const  *roles,
                           const char         *description,
                           gint64              generated_on,
                           gint64              expiry,
                           char              **secret,
                           AstraSimToken     **out_token)
{
  AstraSimToken *token;
  g_autofree char *fresh_secret = astra_sim_random_secret ();
  g_autofree char *client_id = NULL;
  char *token_string;

  /* 52^24 ids: a collision is practically impossible, but never hand out a duplicate. */
  do
    {
      g_free (client_id);
      client_id = astra_sim_random_client_id ();
    }
  while (astra_sim_data_find_token (data, client_id) != NULL);

  token_string = astra_token_format_compose (client_id, fresh_secret);

  token = astra_sim_token_new ();
  token->client_id = g_steal_pointer (&client_id);
  token->roles = g_strdupv ((char **) roles);
  token->generated_on = generated_on ? generated_on : g_get_real_time ();
  token->description = g_strdup (description ? description : "");
  token->expiry = expiry;
  token->token_hash = astra_sim_sha256 (token_string);
  astra_sim_data_add_token (data, token);

  if (secret != NULL)
    *secret = g_steal_pointer (&fresh_secret);
  else
    explicit_bzero (fresh_secret, strlen (fresh_secret));
  if (out_token != NULL)
    *out_token = token;

  return token_string;
}

AstraSimToken *
astra_sim_data_authenticate (AstraSimData *data,
                             const char   *bearer)
{
  g_autofree char *client_id = astra_token_format_dup_client_id (bearer);
  g_autofree char *hash = NULL;
  AstraSimToken *token;

  if (client_id == NULL)
    return NULL;

  token = astra_sim_data_find_token (data, client_id);
  if (token == NULL)
    return NULL;

  hash = astra_sim_sha256 (bearer);
  if (!g_str_equal (hash, token->token_hash))
    return NULL;

  if (token->expiry != 0 && token->expiry <= g_get_real_time ())
    return NULL;

  return token;
}

gboolean
astra_sim_data_token_allows (AstraSimData  *data,
                             AstraSimToken *token,
                             const char    *action)
{
  for (guint i = 0; token->roles != NULL && token->roles[i] != NULL; i++)
    {
      AstraSimRole *role = astra_sim_data_resolve_role (data, token->roles[i]);

      if (role != NULL && strv_contains_action (role->actions, action))
        return TRUE;
    }
  return FALSE;
}

gboolean
astra_sim_data_token_allows_on (AstraSimData  *data,
                                AstraSimToken *token,
                                const char    *action,
                                const char    *drn)
{
  for (guint i = 0; token->roles != NULL && token->roles[i] != NULL; i++)
    {
      AstraSimRole *role = astra_sim_data_resolve_role (data, token->roles[i]);

      if (role != NULL && strv_contains_action (role->actions, action) &&
          role_covers (data, role, drn))
        return TRUE;
    }
  return FALSE;
}

AstraSimDatabase *
astra_sim_data_find_database (AstraSimData *data,
                              const char   *id)
{
  for (guint i = 0; id != NULL && i < data->databases->len; i++)
    {
      AstraSimDatabase *database = g_ptr_array_index (data->databases, i);

      if (g_str_equal (database->id, id))
        return database;
    }
  return NULL;
}

AstraSimUser *
astra_sim_data_find_user (AstraSimData *data,
                          const char   *id)
{
  for (guint i = 0; id != NULL && i < data->users->len; i++)
    {
      AstraSimUser *user = g_ptr_array_index (data->users, i);

      if (g_str_equal (user->id, id))
        return user;
    }
  return NULL;
}

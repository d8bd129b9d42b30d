/* astra-rc.c: the Astra CLI's configuration file, .astrarc (astra-api.md §6.2)
 *
 * A small INI reader of our own: GKeyFile rejects a whole file for one line it does not
 * understand, while a hand-edited .astrarc may hold anything. Here a line that is neither
 * a section, a "key = value" pair, a comment nor blank is skipped, and every profile gets
 * its own verdict (usable, or why not), so one broken profile never blocks the others.
 *
 * Tokens read from the file are wiped from memory with the file contents and the
 * profiles; error messages never quote a token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-rc"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-client.h"
#include "astra-rc.h"
#include "astra-token-format.h"

#define KEY_TOKEN    "ASTRA_DB_APPLICATION_TOKEN"
#define KEY_ENV      "ASTRA_ENV"
#define KEY_ENDPOINT "ASTRA_LOCAL_ENDPOINT"

#define DEFAULT_PROFILE "default"

/* Far bigger than any real .astrarc: refuse to load a wrong file into memory. */
#define MAX_RC_SIZE (1024 * 1024)

struct _AstraRcProfile
{
  GObject           parent_instance;

  char             *name;
  char             *token;      /* wiped on finalize; NULL unless well-formed */
  char             *api_url;
  GError           *error;
  AstraEnvironment  environment;
  guint             is_default_copy : 1;

  /* Raw values while parsing. */
  char             *raw_token;
  char             *raw_env;
  char             *raw_endpoint;
};

G_DEFINE_FINAL_TYPE (AstraRcProfile, astra_rc_profile, G_TYPE_OBJECT)

G_DEFINE_QUARK (astra-rc-error-quark, astra_rc_error)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ENVIRONMENT,
  PROP_API_URL,
  PROP_IS_DEFAULT_COPY,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
profile_set_error (AstraRcProfile *self,
                   GError         *error)
{
  /* The first problem found is the one the user sees. */
  if (self->error != NULL)
    {
      g_error_free (error);
      return;
    }

  self->error = error;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* A value quoted back in a message is shown in the import dialog: a token pasted into the
 * wrong key (the fuzzer put one into ASTRA_ENV) must not be echoed there. */
static const char *
shown_value (const char *value)
{
  if (value != NULL && strstr (value, ASTRA_TOKEN_PREFIX) != NULL)
    return _("(a value that looks like a token)");

  return value;
}

/* ASTRA_LOCAL_ENDPOINT is the API base including "/v2" (astra-api.md §1): kept as written,
 * minus trailing slashes, since paths are appended to it. */
static char *
check_endpoint (const char  *endpoint,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  g_autofree char *trimmed = NULL;
  g_autoptr(GError) url_error = NULL;
  gsize length;

  if (endpoint == NULL || endpoint[0] == '\0')
    {
      g_set_error_literal (error, ASTRA_RC_ERROR, ASTRA_RC_ERROR_BAD_ENDPOINT,
                           _("ASTRA_ENV is LOCAL but ASTRA_LOCAL_ENDPOINT is missing"));
      return NULL;
    }

  uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || host[0] == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, ASTRA_RC_ERROR, ASTRA_RC_ERROR_BAD_ENDPOINT,
                   _("ASTRA_LOCAL_ENDPOINT “%s” is not an http:// or https:// URL"), shown_value (endpoint));
      return NULL;
    }

  /* The app speaks plain HTTP to loopback only (product.md). */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !is_loopback_host (host))
    {
      g_set_error (error, ASTRA_RC_ERROR, ASTRA_RC_ERROR_BAD_ENDPOINT,
                   _("ASTRA_LOCAL_ENDPOINT “%s” must use https:// (plain http:// is only "
                     "allowed for this computer)"), shown_value (endpoint));
      return NULL;
    }

  length = strlen (endpoint);
  while (length > 0 && endpoint[length - 1] == '/')
    length--;
  trimmed = g_strndup (endpoint, length);

  /* What the import offers must be what the client accepts (the fuzzer found a query
   * string that passed here and was refused at connect time): one rule, the client's. */
  if (!astra_client_check_base_url (trimmed, &url_error))
    {
      g_set_error (error, ASTRA_RC_ERROR, ASTRA_RC_ERROR_BAD_ENDPOINT,
                   _("ASTRA_LOCAL_ENDPOINT “%s” cannot be used: %s"), shown_value (endpoint),
                   url_error->message);
      return NULL;
    }

  return g_steal_pointer (&trimmed);
}

static gboolean
parse_environment (const char       *value,
                   AstraEnvironment *environment)
{
  static const struct {
    const char       *name;
    AstraEnvironment  environment;
  } names[] = {
    { "PROD", ASTRA_ENVIRONMENT_PRODUCTION },
    { "PRODUCTION", ASTRA_ENVIRONMENT_PRODUCTION },
    { "DEV", ASTRA_ENVIRONMENT_DEVELOPMENT },
    { "TEST", ASTRA_ENVIRONMENT_TEST },
    { "LOCAL", ASTRA_ENVIRONMENT_CUSTOM },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (value, names[i].name) == 0)
        {
          *environment = names[i].environment;
          return TRUE;
        }
    }

  return FALSE;
}

/* Decides whether a parsed profile is usable. */
static void
profile_finish (AstraRcProfile *self)
{
  g_autoptr(GError) error = NULL;
  AstraEnvironment environment = ASTRA_ENVIRONMENT_PRODUCTION;
  gboolean env_ok = TRUE;

  if (self->raw_token == NULL || self->raw_token[0] == '\0')
    {
      profile_set_error (self, g_error_new_literal (ASTRA_RC_ERROR, ASTRA_RC_ERROR_NO_TOKEN,
                                                    _("The profile has no ASTRA_DB_APPLICATION_TOKEN")));
    }
  else if (!astra_token_format_validate (self->raw_token, &error))
    {
      /* The validator's message never echoes the token. */
      profile_set_error (self, g_error_new_literal (ASTRA_RC_ERROR, ASTRA_RC_ERROR_BAD_TOKEN,
                                                    error->message));
      g_clear_error (&error);
    }
  else
    {
      self->token = g_strdup (self->raw_token);
    }

  if (self->raw_env != NULL && self->raw_env[0] != '\0' &&
      !parse_environment (self->raw_env, &environment))
    {
      env_ok = FALSE;
      profile_set_error (self, g_error_new (ASTRA_RC_ERROR, ASTRA_RC_ERROR_BAD_ENVIRONMENT,
                                            _("Unknown ASTRA_ENV “%s” (expected PROD, DEV, TEST or LOCAL)"),
                                            shown_value (self->raw_env)));
      environment = ASTRA_ENVIRONMENT_PRODUCTION;
    }
  self->environment = environment;

  if (environment == ASTRA_ENVIRONMENT_CUSTOM)
    {
      self->api_url = check_endpoint (self->raw_endpoint, &error);
      if (self->api_url == NULL)
        profile_set_error (self, g_steal_pointer (&error));
    }
  else if (env_ok)
    {
      self->api_url = g_strdup (astra_environment_get_base_url (environment));
    }

  g_clear_pointer (&self->raw_token, astra_secret_free);
  g_clear_pointer (&self->raw_env, g_free);
  g_clear_pointer (&self->raw_endpoint, g_free);
}

/* Strips white space and one pair of matching quotes; an unquoted value ends at a
 * " #" or " ;" comment. (transfer full) */
static char *
clean_value (const char *start,
             const char *end)
{
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (end - start >= 2 && (*start == '"' || *start == '\'') && end[-1] == *start)
    return g_strndup (start + 1, end - start - 2);

  for (const char *p = start + 1; p < end; p++)
    {
      if ((*p == '#' || *p == ';') && g_ascii_isspace (p[-1]))
        {
          end = p;
          while (end > start && g_ascii_isspace (end[-1]))
            end--;
          break;
        }
    }

  return g_strndup (start, end - start);
}

static void
replace_string (char       **field,
                char        *value,
                gboolean     secret)
{
  if (secret)
    astra_secret_free (*field);
  else
    g_free (*field);
  *field = value;
}

static void
parse_line (const char      *line,
            gsize            length,
            guint            line_number,
            GPtrArray       *profiles,
            AstraRcProfile **current)
{
  const char *start = line;
  const char *end = line + length;
  const char *equals;
  g_autofree char *key = NULL;

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (start == end || *start == '#' || *start == ';')
    return;

  if (*start == '[')
    {
      g_autofree char *name = NULL;

      if (end[-1] != ']' || end - start < 3)
        {
          g_debug ("Line %u: not a section header, skipped", line_number);
          return;
        }

      name = g_strstrip (g_strndup (start + 1, end - start - 2));
      if (name[0] == '\0')
        {
          g_debug ("Line %u: empty section name, skipped", line_number);
          *current = NULL;
          return;
        }

      /* A repeated section continues the earlier one, as in other INI readers. */
      for (guint i = 0; i < profiles->len; i++)
        {
          AstraRcProfile *profile = g_ptr_array_index (profiles, i);

          if (g_strcmp0 (profile->name, name) == 0)
            {
              *current = profile;
              return;
            }
        }

      *current = g_object_new (ASTRA_TYPE_RC_PROFILE, NULL);
      (*current)->name = g_steal_pointer (&name);
      g_ptr_array_add (profiles, *current);
      return;
    }

  equals = memchr (start, '=', end - start);
  if (equals == NULL || *current == NULL)
    {
      /* Never log the line itself: it may hold a token. */
      g_debug ("Line %u: neither a section nor a key in a section, skipped", line_number);
      return;
    }

  key = clean_value (start, equals);

  if (g_ascii_strcasecmp (key, KEY_TOKEN) == 0)
    replace_string (&(*current)->raw_token, clean_value (equals + 1, end), TRUE);
  else if (g_ascii_strcasecmp (key, KEY_ENV) == 0)
    replace_string (&(*current)->raw_env, clean_value (equals + 1, end), FALSE);
  else if (g_ascii_strcasecmp (key, KEY_ENDPOINT) == 0)
    replace_string (&(*current)->raw_endpoint, clean_value (equals + 1, end), FALSE);
  else
    g_debug ("Line %u: unknown key, ignored", line_number);
}

/* astra-cli's "config use X" copies X into [default]; such a copy is not a profile of its
 * own. */
static void
mark_default_copies (GPtrArray *profiles)
{
  for (guint i = 0; i < profiles->len; i++)
    {
      AstraRcProfile *profile = g_ptr_array_index (profiles, i);

      if (g_strcmp0 (profile->name, DEFAULT_PROFILE) != 0 || profile->token == NULL)
        continue;

      for (guint j = 0; j < profiles->len; j++)
        {
          AstraRcProfile *other = g_ptr_array_index (profiles, j);

          if (other != profile && other->token != NULL &&
              strcmp (other->token, profile->token) == 0)
            {
              profile->is_default_copy = TRUE;
              break;
            }
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
astra_rc_profile_finalize (GObject *object)
{
  AstraRcProfile *self = (AstraRcProfile *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->token, astra_secret_free);
  g_clear_pointer (&self->api_url, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->raw_token, astra_secret_free);
  g_clear_pointer (&self->raw_env, g_free);
  g_clear_pointer (&self->raw_endpoint, g_free);

  G_OBJECT_CLASS (astra_rc_profile_parent_class)->finalize (object);
}

static void
astra_rc_profile_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AstraRcProfile *self = ASTRA_RC_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ENVIRONMENT:
      g_value_set_uint (value, self->environment);
      break;

    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;

    case PROP_IS_DEFAULT_COPY:
      g_value_set_boolean (value, self->is_default_copy);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error != NULL ? self->error->message : NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
astra_rc_profile_class_init (AstraRcProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = astra_rc_profile_finalize;
  object_class->get_property = astra_rc_profile_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENVIRONMENT] =
    g_param_spec_uint ("environment", NULL, NULL,
                       ASTRA_ENVIRONMENT_PRODUCTION, ASTRA_ENVIRONMENT_CUSTOM,
                       ASTRA_ENVIRONMENT_PRODUCTION,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_API_URL] =
    g_param_spec_string ("api-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_IS_DEFAULT_COPY] =
    g_param_spec_boolean ("is-default-copy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
astra_rc_profile_init (AstraRcProfile *self)
{
  self->environment = ASTRA_ENVIRONMENT_PRODUCTION;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */
/* ------------------------------------------------------------------------------------------ */

const char *
astra_rc_profile_get_name (AstraRcProfile *self)
{
  g_return_val_if_fail (ASTRA_IS_RC_PROFILE (self), NULL);

  return self->name;
}

/**
 * astra_rc_profile_get_token:
 *
 * Returns: (nullable): the profile's token when it is well-formed, else %NULL. Owned by
 *   the profile and wiped when it is finalized: copy it only as long as needed.
 */
const char *
astra_rc_profile_get_token (AstraRcProfile *self)
{
  g_return_val_if_fail (ASTRA_IS_RC_PROFILE (self), NULL);

  return self->token;
}

AstraEnvironment
astra_rc_profile_get_environment (AstraRcProfile *self)
{
  g_return_val_if_fail (ASTRA_IS_RC_PROFILE (self), ASTRA_ENVIRONMENT_PRODUCTION);

  return self->environment;
}

/**
 * astra_rc_profile_get_api_url:
 *
 * Returns: (nullable): the environment's base URL, or ASTRA_LOCAL_ENDPOINT for LOCAL;
 *   %NULL when the environment or endpoint is unusable.
 */
const char *
astra_rc_profile_get_api_url (AstraRcProfile *self)
{
  g_return_val_if_fail (ASTRA_IS_RC_PROFILE (self), NULL);

  return self->api_url;
}

gboolean
astra_rc_profile_is_default_copy (AstraRcProfile *self)
{
  g_return_val_if_fail (ASTRA_IS_RC_PROFILE (self), FALSE);

  return self->is_default_copy;
}

/**
 * astra_rc_profile_get_error:
 *
 * Returns: (nullable): %NULL when the profile can be imported, otherwise why not, in the
 *   %ASTRA_RC_ERROR domain (NO_TOKEN, BAD_TOKEN, BAD_ENVIRONMENT, BAD_ENDPOINT).
 */
const GError *
astra_rc_profile_get_error (AstraRcProfile *self)
{
  g_return_val_if_fail (ASTRA_IS_RC_PROFILE (self), NULL);

  return self->error;
}

/**
 * astra_rc_find_file:
 *
 * Looks where astra-cli does: $ASTRARC, then $XDG_CONFIG_HOME/astra/.astrarc, then
 * ~/.astrarc.
 *
 * Returns: (transfer full) (nullable): the first of them that exists
 */
GFile *
astra_rc_find_file (void)
{
  const char *env = g_getenv ("ASTRARC");
  g_autofree char *xdg = g_build_filename (g_get_user_config_dir (), "astra", ".astrarc", NULL);
  g_autofree char *home = g_build_filename (g_get_home_dir (), ".astrarc", NULL);
  const char *candidates[] = { env, xdg, home };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (candidates[i] != NULL && candidates[i][0] != '\0' &&
          g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
        return g_file_new_for_path (candidates[i]);
    }

  return NULL;
}

/**
 * astra_rc_parse:
 * @data: the file contents (a UTF-8 BOM is skipped)
 * @length: their length in bytes
 *
 * Returns: (transfer full): a #GListModel of #AstraRcProfile in file order; %NULL with
 *   %ASTRA_RC_ERROR_UNREADABLE only when @data is not UTF-8 text
 */
GListModel *
astra_rc_parse (const char  *data,
                gsize        length,
                GError     **error)
{
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GListStore) store = NULL;
  AstraRcProfile *current = NULL;
  const char *p;
  const char *end;
  guint line_number = 1;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* An empty GBytes has NULL data; pointer arithmetic on NULL is undefined even with 0. */
  if (data == NULL)
    data = "";

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, ASTRA_RC_ERROR, ASTRA_RC_ERROR_UNREADABLE,
                           _("The Astra CLI configuration is not UTF-8 text"));
      return NULL;
    }

  profiles = g_ptr_array_new_with_free_func (g_object_unref);

  for (p = data, end = data + length; p < end; line_number++)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;

      parse_line (p, line_end - p, line_number, profiles, &current);
      p = newline != NULL ? newline + 1 : end;
    }

  store = g_list_store_new (ASTRA_TYPE_RC_PROFILE);
  for (guint i = 0; i < profiles->len; i++)
    profile_finish (g_ptr_array_index (profiles, i));
  mark_default_copies (profiles);
  g_list_store_splice (store, 0, 0, profiles->pdata, profiles->len);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * astra_rc_load_file:
 *
 * Reads and parses @file. Blocks briefly (a small local file).
 *
 * Returns: (transfer full): the profiles; %NULL with %ASTRA_RC_ERROR_NOT_FOUND or
 *   %ASTRA_RC_ERROR_UNREADABLE
 */
GListModel *
astra_rc_load_file (GFile   *file,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *display_name = NULL;
  char *contents = NULL;
  gsize length = 0;
  GListModel *profiles;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  display_name = g_file_get_parse_name (file);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, ASTRA_RC_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                     ? ASTRA_RC_ERROR_NOT_FOUND : ASTRA_RC_ERROR_UNREADABLE,
                   _("Could not read “%s”: %s"), display_name, local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      g_file_info_get_size (info) > MAX_RC_SIZE)
    {
      g_set_error (error, ASTRA_RC_ERROR, ASTRA_RC_ERROR_UNREADABLE,
                   _("“%s” is not an Astra CLI configuration file"), display_name);
      return NULL;
    }

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      g_set_error (error, ASTRA_RC_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                     ? ASTRA_RC_ERROR_NOT_FOUND : ASTRA_RC_ERROR_UNREADABLE,
                   _("Could not read “%s”: %s"), display_name, local_error->message);
      return NULL;
    }

  profiles = astra_rc_parse (contents, length, error);

  /* The file holds tokens in the clear: do not leave a copy in freed memory. */
  explicit_bzero (contents, length);
  g_free (contents);

  return profiles;
}

static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GListModel *profiles;

  profiles = astra_rc_load_file (G_FILE (source_object), &error);
  if (profiles == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, profiles, g_object_unref);
}

/**
 * astra_rc_load_file_async:
 *
 * astra_rc_load_file() in a worker thread.
 */
void
astra_rc_load_file_async (GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_rc_load_file_async);
  g_task_run_in_thread (task, load_file_thread);
}

GListModel *
astra_rc_load_file_finish (GFile         *file,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (g_task_is_valid (result, file), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == astra_rc_load_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

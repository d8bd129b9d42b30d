/* astra-cli-list.c: astra-tokens-cli list [--json] — what the keyring holds, never a secret
 *
 * For each connected organization, the tokens whose secrets the keyring holds: generated
 * tokens (their description, roles and date live in the encrypted item, so each is read,
 * and only those facts are kept) and the organization's own management token, each with the
 * reference to use. References name the organization by id, which survives renames.
 *
 * --json prints one JSON document (an object with an "organizations" array), so that
 * `jq` and scripts read it whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "astra-cli.h"
#include "astra-connection.h"
#include "astra-display-text.h"
#include "astra-generated-token.h"
#include "astra-json.h"
#include "astra-reference-resolve.h"
#include "astra-reference.h"
#include "astra-token-format.h"

/* What is shown of one token: no secret in here. */
typedef struct
{
  char       *client_id;
  gboolean    management;
  char       *description;
  GStrv       role_names;
  GDateTime  *generated_on;
  GDateTime  *expires;
  char       *reference;
} ListedToken;

static void
listed_token_free (ListedToken *listed)
{
  g_free (listed->client_id);
  g_free (listed->description);
  g_strfreev (listed->role_names);
  g_clear_pointer (&listed->generated_on, g_date_time_unref);
  g_clear_pointer (&listed->expires, g_date_time_unref);
  g_free (listed->reference);
  g_free (listed);
}

static ListedToken *
listed_token_new (AstraConnection *connection,
                  const char      *client_id)
{
  ListedToken *listed = g_new0 (ListedToken, 1);

  listed->client_id = g_strdup (client_id);
  listed->reference = astra_reference_format (astra_connection_get_org_id (connection), client_id,
                                              ASTRA_REFERENCE_FIELD_TOKEN);
  return listed;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the keyring                                                                        */

/* Ends the program's wait for a keyring answer; FALSE with the message printed. */
static gboolean
keyring_failed (const GError *error,
                int          *exit_code)
{
  astra_cli_printerr ("%s", error->message);
  *exit_code = ASTRA_CLI_EXIT_ERROR;
  return FALSE;
}

static gboolean
add_generated (AstraSecretStore *store,
               AstraConnection  *connection,
               GPtrArray        *tokens,
               int              *exit_code)
{
  const char *org_id = astra_connection_get_org_id (connection);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) client_ids = NULL;
  AstraCliWait wait = { NULL };

  astra_secret_store_list_generated_async (store, org_id, NULL, astra_cli_async_ready, &wait);
  result = astra_cli_wait (&wait);
  client_ids = astra_secret_store_list_generated_finish (store, result, &error);
  if (client_ids == NULL)
    return keyring_failed (error, exit_code);

  for (guint i = 0; client_ids[i] != NULL; i++)
    {
      g_autoptr(GAsyncResult) token_result = NULL;
      g_autoptr(AstraGeneratedToken) token = NULL;
      ListedToken *listed = listed_token_new (connection, client_ids[i]);
      GDateTime *date;

      g_ptr_array_add (tokens, listed);
      astra_secret_store_lookup_generated_async (store, org_id, client_ids[i], NULL,
                                                 astra_cli_async_ready, &wait);
      token_result = astra_cli_wait (&wait);
      token = astra_secret_store_lookup_generated_finish (store, token_result, &error);
      if (token == NULL &&
          (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
           g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED) ||
           g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NO_SERVICE)))
        return keyring_failed (error, exit_code);
      if (token == NULL)
        {
          /* One unreadable item does not hide the others: listed with what is known. */
          astra_cli_printerr ("%s", error->message);
          g_clear_error (&error);
          continue;
        }

      listed->description = g_strdup (astra_generated_token_get_description (token));
      listed->role_names = g_strdupv ((char **) astra_generated_token_get_role_names (token));
      if ((date = astra_generated_token_get_generated_on (token)) != NULL)
        listed->generated_on = g_date_time_ref (date);
      if ((date = astra_generated_token_get_expires (token)) != NULL)
        listed->expires = g_date_time_ref (date);
    }

  return TRUE;
}

static gboolean
add_management (AstraSecretStore *store,
                AstraConnection  *connection,
                GPtrArray        *tokens,
                int              *exit_code)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraSecretString) token = NULL;
  g_autofree char *client_id = NULL;
  AstraCliWait wait = { NULL };
  ListedToken *listed;

  astra_secret_store_lookup_token_async (store, astra_connection_get_org_id (connection), NULL,
                                         astra_cli_async_ready, &wait);
  result = astra_cli_wait (&wait);
  token = astra_secret_store_lookup_token_finish (store, result, &error);
  if (g_error_matches (error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_NOT_FOUND))
    return TRUE;
  if (token == NULL)
    return keyring_failed (error, exit_code);

  /* Only the client id is kept; the token goes at once. */
  client_id = astra_token_format_dup_client_id (token);
  g_clear_pointer (&token, astra_secret_free);
  if (client_id == NULL)
    return TRUE;

  for (guint i = 0; i < tokens->len; i++)
    if (g_str_equal (((ListedToken *) tokens->pdata[i])->client_id, client_id))
      return TRUE;

  listed = listed_token_new (connection, client_id);
  listed->management = TRUE;
  g_ptr_array_insert (tokens, 0, listed);

  return TRUE;
}

static GListModel *
list_connections_once (AstraSecretStore  *store,
                       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  AstraCliWait wait = { NULL };

  astra_secret_store_list_connections_async (store, NULL, astra_cli_async_ready, &wait);
  result = astra_cli_wait (&wait);
  return astra_secret_store_list_connections_finish (store, result, error);
}

/* Another program removing an organization while the keyring lists them all fails the
 * listing ("No such secret item", libsecret 0.20); a moment later it works. Once. */
static GListModel *
list_connections (AstraSecretStore  *store,
                  GError           **error)
{
  g_autoptr(GError) first_error = NULL;
  GListModel *connections = list_connections_once (store, &first_error);

  if (connections != NULL)
    return connections;
  if (g_error_matches (first_error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
      g_error_matches (first_error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED))
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return NULL;
    }

  return list_connections_once (store, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                     */

static void
add_json_token (JsonBuilder *builder,
                ListedToken *listed)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "client_id", listed->client_id);
  astra_json_builder_add_string_member (builder, "kind",
                                        listed->management ? "management" : "generated");
  json_builder_set_member_name (builder, "description");
  if (listed->description != NULL)
    json_builder_add_string_value (builder, listed->description);
  else
    json_builder_add_null_value (builder);
  astra_json_builder_add_strv_member (builder, "roles", (const char * const *) listed->role_names);
  astra_json_builder_add_date_member (builder, "generated_on", listed->generated_on);
  astra_json_builder_add_date_member (builder, "expires", listed->expires);
  astra_json_builder_add_string_member (builder, "reference", listed->reference);
  json_builder_end_object (builder);
}

static void
begin_json_organization (JsonBuilder     *builder,
                         AstraConnection *connection)
{
  json_builder_begin_object (builder);
  astra_json_builder_add_string_member (builder, "id", astra_connection_get_org_id (connection));
  astra_json_builder_add_string_member (builder, "name",
                                        astra_connection_get_display_name (connection));
  astra_json_builder_add_string_member (builder, "environment",
                                        astra_environment_to_string (astra_connection_get_environment (connection)));
  json_builder_set_member_name (builder, "tokens");
  json_builder_begin_array (builder);
}

/* Text from the keyring (a description, a name) on one line, control characters and
 * bidirectional tricks neutralised. */
static char *
one_line (const char *text)
{
  return astra_display_text_new (text != NULL && text[0] != '\0' ? text : "—",
                                 ASTRA_DISPLAY_TEXT_LINE_CHARS, ASTRA_DISPLAY_TEXT_FIRST_LINE);
}

static void
print_text_organization (AstraConnection *connection,
                         GPtrArray       *tokens)
{
  AstraEnvironment environment = astra_connection_get_environment (connection);
  g_autofree char *name = one_line (astra_connection_get_display_name (connection));

  g_print ("%s  (%s, %s)\n", name, astra_connection_get_org_id (connection),
           astra_environment_get_display_name (environment));
  if (tokens->len == 0)
    g_print ("  %s\n", _("No tokens in the keyring"));

  for (guint i = 0; i < tokens->len; i++)
    {
      ListedToken *listed = tokens->pdata[i];
      g_autofree char *date = listed->generated_on != NULL
                              ? g_date_time_format (listed->generated_on, "%Y-%m-%d")
                              : g_strdup ("—");
      g_autofree char *roles = listed->role_names != NULL && listed->role_names[0] != NULL
                               ? g_strjoinv (", ", listed->role_names) : NULL;
      g_autofree char *shown_roles = one_line (roles);
      g_autofree char *description = listed->management
                                     ? g_strdup (_("Management token (Astra Tokens connects with it)"))
                                     : one_line (listed->description);

      if (listed->management)
        g_print ("  %s  %s\n", listed->client_id, description);
      else
        g_print ("  %s  %s  %s  %s\n", listed->client_id, date, shown_roles, description);
      g_print ("    %s\n", listed->reference);
    }
}

/* ------------------------------------------------------------------------------------------ */

int
astra_cli_list (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AstraSecretStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) connections = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  AstraCliWait wait = { NULL };
  gboolean as_json = FALSE;
  int exit_code = ASTRA_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print one JSON document: {\"organizations\": [{\"id\", \"name\", \"environment\", "
         "\"tokens\": [{\"client_id\", \"kind\", \"description\", \"roles\", "
         "\"generated_on\", \"expires\", \"reference\"}]}]}"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Lists the connected organizations and the tokens the keyring "
                                  "holds for each, with the reference to use for each token. "
                                  "Never prints a secret."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!astra_cli_parse_options (context, &argc, &argv))
    return ASTRA_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      astra_cli_printerr (_("list takes no arguments; see “astra-tokens-cli list --help”"));
      return ASTRA_CLI_EXIT_USAGE;
    }

  /* A keyring loaded locked hides our items' attributes: unlock first (the prompt). */
  astra_reference_unlock_keyring_async (NULL, NULL, astra_cli_async_ready, &wait);
  result = astra_cli_wait (&wait);
  if (!astra_reference_unlock_keyring_finish (result, &error))
    {
      astra_cli_printerr ("%s", error->message);
      return ASTRA_CLI_EXIT_ERROR;
    }

  store = astra_secret_store_new ();
  connections = list_connections (store, &error);
  if (connections == NULL)
    {
      astra_cli_printerr ("%s", error->message);
      return ASTRA_CLI_EXIT_ERROR;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "organizations");
  json_builder_begin_array (builder);

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);
      g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) listed_token_free);

      if (!add_generated (store, connection, tokens, &exit_code) ||
          !add_management (store, connection, tokens, &exit_code))
        return exit_code;

      if (as_json)
        {
          begin_json_organization (builder, connection);
          for (guint j = 0; j < tokens->len; j++)
            add_json_token (builder, tokens->pdata[j]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      else
        print_text_organization (connection, tokens);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (as_json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
    }
  else if (g_list_model_get_n_items (connections) == 0)
    g_print ("%s\n", _("No organization is connected: connect one in Astra Tokens first."));

  return exit_code;
}

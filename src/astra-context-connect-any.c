/* astra-context-connect-any.c
 *
 * Connecting an organization with one of several tokens, as a portal CSV hands them over:
 * the first token that may list the organization's tokens becomes its management token.
 * A token that cannot (refused, another environment, a role without org-token-read) is
 * skipped without storing anything; only the chosen one goes through
 * astra_context_connect_async(), which checks it with GET /v2/currentOrg and stores it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-context"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-client.h"
#include "astra-context.h"
#include "astra-organization.h"
#include "astra-token-format.h"

typedef struct
{
  GPtrArray   *tokens;          /* candidates, wiped when freed */
  guint        next;            /* the candidate after the one being tried */
  int          environment;     /* as asked: -1 detects */
  char        *custom_url;
  int          found;           /* the current candidate's environment */
} ConnectAny;

static void
connect_any_free (ConnectAny *data)
{
  g_clear_pointer (&data->tokens, g_ptr_array_unref);
  g_clear_pointer (&data->custom_url, g_free);
  g_free (data);
}

static void try_next (GTask *task);

static const char *
current_token (GTask *task)
{
  ConnectAny *data = g_task_get_task_data (task);

  return g_ptr_array_index (data->tokens, data->next - 1);
}

/* Whether @error only says that this token will not do, so the next one may. */
static gboolean
is_refusal (const GError *error)
{
  return g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_INVALID_TOKEN) ||
         g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_FORBIDDEN);
}

static void
on_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  AstraConnection *connection;

  connection = astra_context_connect_finish (ASTRA_CONTEXT (object), result, &error);
  if (connection == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, connection, g_object_unref);
}

static void
on_tokens_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConnectAny *data = g_task_get_task_data (task);
  g_autoptr(GListModel) tokens = NULL;
  GError *error = NULL;
  AstraContext *self;
  const char *token;
  GCancellable *cancellable;

  tokens = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, &error);
  if (tokens == NULL)
    {
      if (!is_refusal (error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_debug ("Candidate %u may not list tokens: %s", data->next, error->message);
      g_error_free (error);
      try_next (g_steal_pointer (&task));
      return;
    }

  self = g_task_get_source_object (task);
  token = current_token (task);
  cancellable = g_task_get_cancellable (task);
  astra_context_connect_async (self, token, data->found, data->custom_url, cancellable,
                               on_connected_cb, g_steal_pointer (&task));
}

/* Takes @task's reference. */
static void
list_tokens (GTask      *task,
             const char *url)
{
  g_autoptr(AstraClient) client = NULL;
  GError *error = NULL;

  client = astra_client_new (url, current_token (task), &error);
  if (client == NULL)
    {
      if (!is_refusal (error))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      g_error_free (error);
      try_next (task);
      return;
    }

  astra_client_list_tokens_async (client, g_task_get_cancellable (task), on_tokens_listed_cb,
                                  task);
}

static void
on_detected_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ConnectAny *data = g_task_get_task_data (task);
  g_autoptr(AstraOrganization) org = NULL;
  GError *error = NULL;
  guint index = 0;

  org = astra_client_detect_environment_finish (result, &index, &error);
  if (org == NULL)
    {
      if (!is_refusal (error))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      g_error_free (error);
      try_next (task);
      return;
    }

  data->found = (int) MIN (index, (guint) ASTRA_ENVIRONMENT_TEST);
  list_tokens (task, astra_environment_get_base_url (data->found));
}

/* Takes @task's reference. */
static void
try_next (GTask *task)
{
  ConnectAny *data = g_task_get_task_data (task);
  const char *urls[] = {
    astra_environment_get_base_url (ASTRA_ENVIRONMENT_PRODUCTION),
    astra_environment_get_base_url (ASTRA_ENVIRONMENT_DEVELOPMENT),
    astra_environment_get_base_url (ASTRA_ENVIRONMENT_TEST),
    NULL
  };

  if (data->next >= data->tokens->len)
    {
      g_task_return_new_error (task, ASTRA_CLIENT_ERROR, ASTRA_CLIENT_ERROR_UNAUTHORIZED,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The token in the file cannot connect its "
                                            "organization: Astra refused it, or its role may "
                                            "not list the organization’s tokens.",
                                            "None of the %u tokens in the file can connect "
                                            "their organization: Astra refused them, or their "
                                            "roles may not list the organization’s tokens.",
                                            data->tokens->len),
                               data->tokens->len);
      g_object_unref (task);
      return;
    }

  data->next++;
  if (data->environment >= 0)
    {
      data->found = data->environment;
      list_tokens (task, data->environment == ASTRA_ENVIRONMENT_CUSTOM
                           ? data->custom_url
                           : astra_environment_get_base_url (data->environment));
      return;
    }

  astra_client_detect_environment_async (current_token (task), urls,
                                         g_task_get_cancellable (task), on_detected_cb, task);
}

/**
 * astra_context_connect_any_async:
 * @tokens: the candidates, in the order to try them
 * @environment: as astra_context_connect_async(): -1 detects each token's environment
 *
 * Connects the organization with the first of @tokens that may list its tokens. Tokens
 * Astra refuses (401), that may not list tokens (403) or that are malformed are skipped;
 * any other failure (network, server) ends the attempt. Nothing is stored unless a token
 * is found. When none will do: ASTRA_CLIENT_ERROR_UNAUTHORIZED.
 */
void
astra_context_connect_any_async (AstraContext        *self,
                                 const char * const  *tokens,
                                 int                  environment,
                                 const char          *custom_url,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ConnectAny *data;

  g_return_if_fail (ASTRA_IS_CONTEXT (self));
  g_return_if_fail (tokens != NULL);
  g_return_if_fail (environment >= -1 && environment <= ASTRA_ENVIRONMENT_CUSTOM);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_context_connect_any_async);

  data = g_new0 (ConnectAny, 1);
  data->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) astra_secret_free);
  for (guint i = 0; tokens[i] != NULL; i++)
    g_ptr_array_add (data->tokens, g_strstrip (g_strdup (tokens[i])));
  data->environment = environment;
  data->custom_url = g_strstrip (g_strdup (custom_url != NULL ? custom_url : ""));
  g_task_set_task_data (task, data, (GDestroyNotify) connect_any_free);

  try_next (g_steal_pointer (&task));
}

AstraConnection *
astra_context_connect_any_finish (AstraContext  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

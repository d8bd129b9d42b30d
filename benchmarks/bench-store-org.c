/* bench-store-org.c: an organization connected earlier, for the stored-organization path
 *
 *   bench-store-org API_URL TOKEN
 *
 * Does what connecting an organization in the app does, through the core: asks API_URL
 * (with or without "/v2") for the token's organization and saves the connection, with its
 * token, in the keyring of the session it runs in (AstraSecretStore). An app started
 * afterwards without ASTRA_API_URL reads it from the keyring and shows its tokens: the
 * path a person takes every day after the first (build-aux/bench,
 * stored_org_populate_10000_over_gtk). Prints the organization id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>

#include "astra-client.h"
#include "astra-connection.h"
#include "astra-organization.h"
#include "astra-secret-store.h"

typedef struct
{
  GMainLoop        *loop;
  AstraSecretStore *store;
  AstraClient      *client;
  const char       *token;
  GError           *error;
} Run;

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  astra_secret_store_save_connection_finish (ASTRA_SECRET_STORE (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
on_current_org_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(AstraOrganization) org = NULL;
  g_autoptr(AstraConnection) connection = NULL;

  org = astra_client_get_current_org_finish (ASTRA_CLIENT (object), result, &run->error);
  if (org == NULL)
    {
      g_main_loop_quit (run->loop);
      return;
    }

  printf ("%s\n", astra_organization_get_id (org));
  connection = astra_connection_new (astra_organization_get_id (org),
                                     astra_organization_get_name (org),
                                     ASTRA_ENVIRONMENT_CUSTOM,
                                     astra_client_get_base_url (run->client));
  astra_secret_store_save_connection_async (run->store, connection, run->token, NULL,
                                            on_saved_cb, run);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(AstraSecretStore) store = NULL;
  g_autoptr(AstraClient) client = NULL;
  g_autofree char *base_url = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-store-org API_URL TOKEN\n");
      return 2;
    }

  base_url = g_str_has_suffix (argv[1], "/v2") ? g_strdup (argv[1]) : g_strconcat (argv[1], "/v2", NULL);
  client = astra_client_new (base_url, argv[2], &error);
  if (client == NULL)
    {
      fprintf (stderr, "bench-store-org: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  store = astra_secret_store_new ();
  run = (Run) { loop, store, client, argv[2], NULL };
  astra_client_get_current_org_async (client, NULL, on_current_org_cb, &run);
  g_main_loop_run (loop);

  if (run.error != NULL)
    {
      fprintf (stderr, "bench-store-org: %s\n", run.error->message);
      g_error_free (run.error);
      return 1;
    }

  return 0;
}

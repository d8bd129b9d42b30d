/* astra-benchmark-session.c: ASTRA_TOKENS_BENCHMARK=session, a leak detector
 *
 * Once the selected organization's tokens are listed, runs ROUNDS rounds of what a person
 * does with a new token, through the app's own code: generate it (the API call of the
 * Generate dialog, then every view of the organization refreshes), see it in the real New
 * Token dialog (which saves its secret to the keyring), close that dialog once it reports
 * the secret secured, and revoke the token (the API call, the keyring clean-up and the
 * refresh of the Revoke action). A round ends when the refreshed list is shown again.
 *
 * Prints "ASTRA_BENCH session <µs> <rows> <KiB>", the last figure the growth of the resident
 * set from the end of round WARM_UP_ROUNDS to the end of round ROUNDS: the first rounds
 * fill caches, pools and GTK's style and font state, growth after them is a leak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-benchmark"

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <unistd.h>

#include "astra-benchmark.h"
#include "astra-new-token-dialog.h"
#include "astra-role.h"
#include "astra-tokens-page-private.h"
#include "astra-window-private.h"

#define ROUNDS 200
#define WARM_UP_ROUNDS 20

typedef struct
{
  AstraWindow         *window;
  AstraClient         *client;
  char                *role_id;
  guint                round;
  guint                waiting;       /* what the current step still waits for */
  gboolean             started;
  gint64               warm_rss_kib;
  AstraGeneratedToken *token;
} Session;

static void next_round (Session *session);
static void revoke_token (Session *session);

/* Freed pages go back to the system first, so that what stays resident is what the app
 * still holds, not what malloc keeps for later. */
static gint64
resident_kib (void)
{
  g_autofree char *statm = NULL;
  long long size = 0, resident = 0;

  malloc_trim (0);
  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lld %lld", &size, &resident) != 2)
    return -1;

  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

static void
fail (Session    *session,
      const char *what,
      GError     *error)
{
  g_printerr ("session benchmark: %s: %s\n", what, error != NULL ? error->message : "failed");
  g_application_quit (g_application_get_default ());
}

static AstraContext *
get_context (Session *session)
{
  return session->window->tokens_page->context;
}

static AstraConnection *
get_connection (Session *session)
{
  return session->window->tokens_page->connection;
}

/* One of the step's awaited events happened (a refresh shown, a secret secured). */
static void
step_done (Session *session,
           void   (*next) (Session *))
{
  if (session->waiting == 0 || --session->waiting > 0)
    return;

  next (session);
}

static void
on_populated_cb (AstraTokensPage *page,
                 Session         *session)
{
  if (!session->started)
    {
      session->started = TRUE;
      next_round (session);
      return;
    }

  step_done (session, session->token != NULL ? revoke_token : next_round);
}

static void
on_secured_cb (AstraNewTokenDialog *dialog,
               Session             *session)
{
  g_signal_handlers_disconnect_by_func (dialog, on_secured_cb, session);
  gtk_window_close (GTK_WINDOW (dialog));
  step_done (session, revoke_token);
}

static void
on_created_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Session *session = user_data;
  g_autoptr(GError) error = NULL;
  AstraNewTokenDialog *dialog;

  session->token = astra_client_create_token_finish (ASTRA_CLIENT (object), result, &error);
  if (session->token == NULL)
    {
      fail (session, "generate", error);
      return;
    }

  /* Waits for the refreshed list and for the secret in the keyring. */
  session->waiting = 2;
  dialog = astra_new_token_dialog_new (GTK_WINDOW (session->window),
                                       astra_context_get_secret_store (get_context (session)),
                                       get_connection (session), session->token, TRUE);
  g_signal_connect (dialog, "secured", G_CALLBACK (on_secured_cb), session);
  gtk_window_present (GTK_WINDOW (dialog));
  astra_context_tokens_changed (get_context (session),
                                astra_connection_get_org_id (get_connection (session)));
}

static void
on_deleted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Session *session = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_secret_store_delete_generated_finish (ASTRA_SECRET_STORE (object), result, &error))
    {
      fail (session, "delete from the keyring", error);
      return;
    }

  session->waiting = 1;
  astra_context_tokens_changed (get_context (session),
                                astra_connection_get_org_id (get_connection (session)));
}

static void
on_revoked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Session *session = user_data;
  g_autoptr(GError) error = NULL;

  if (!astra_client_revoke_token_finish (ASTRA_CLIENT (object), result, &error))
    {
      fail (session, "revoke", error);
      return;
    }

  /* What the Revoke action does next: the secret leaves the keyring. */
  astra_secret_store_delete_generated_async (astra_context_get_secret_store (get_context (session)),
                                             astra_connection_get_org_id (get_connection (session)),
                                             astra_generated_token_get_client_id (session->token),
                                             NULL, on_deleted_cb, session);
  g_clear_object (&session->token);
}

static void
revoke_token (Session *session)
{
  astra_client_revoke_token_async (session->client,
                                   astra_generated_token_get_client_id (session->token),
                                   NULL, on_revoked_cb, session);
}

static void
next_round (Session *session)
{
  const char *role_ids[] = { session->role_id, NULL };
  g_autofree char *description = NULL;

  if (session->round == WARM_UP_ROUNDS)
    session->warm_rss_kib = resident_kib ();
  if (session->round == ROUNDS)
    {
      printf ("ASTRA_BENCH session %" G_GINT64_FORMAT " %u %" G_GINT64_FORMAT "\n",
              g_get_monotonic_time (),
              g_list_model_get_n_items (G_LIST_MODEL (session->window->tokens_page->tokens)),
              resident_kib () - session->warm_rss_kib);
      fflush (stdout);
      g_application_quit (g_application_get_default ());
      return;
    }

  session->round++;
  description = g_strdup_printf ("Benchmark session %u", session->round);
  astra_client_create_token_async (session->client, role_ids, description, NULL, NULL,
                                   on_created_cb, session);
}

static void
on_roles_ready (Session *session)
{
  GListModel *roles = astra_tokens_page_get_roles (session->window->tokens_page);
  g_autoptr(AstraRole) role = roles != NULL ? g_list_model_get_item (roles, 0) : NULL;

  if (role != NULL && session->role_id == NULL)
    session->role_id = g_strdup (astra_role_get_id (role));
}

static void
on_first_populated_cb (AstraTokensPage *page,
                       Session         *session)
{
  on_roles_ready (session);
  if (session->role_id == NULL)
    {
      fail (session, "roles", NULL);
      return;
    }
  session->client = g_object_ref (page->client);
  g_signal_handlers_disconnect_by_func (page, on_first_populated_cb, session);
  g_signal_connect (page, "populated", G_CALLBACK (on_populated_cb), session);
  on_populated_cb (page, session);
}

void
astra_benchmark_session_attach (AstraWindow *window)
{
  Session *session = g_new0 (Session, 1);

  session->window = window;
  /* Lives as long as the process: the benchmark quits the app when done. */
  g_object_set_data (G_OBJECT (window), "astra-benchmark-session", session);
  if (window->tokens_page != NULL)
    astra_benchmark_session_watch_pages (window);
}

void
astra_benchmark_session_watch_pages (AstraWindow *window)
{
  Session *session = g_object_get_data (G_OBJECT (window), "astra-benchmark-session");

  if (session == NULL || window->tokens_page == NULL)
    return;

  g_signal_connect (window->tokens_page, "populated", G_CALLBACK (on_first_populated_cb), session);
}

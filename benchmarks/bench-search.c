/* bench-search.c: GNOME Shell's search over 1,000 held tokens, as GNOME Shell calls it
 *
 *   bench-search --app PATH [--tokens N] [--rounds R]
 *
 * Stores N generated tokens (default 1,000) of five organizations in the session's keyring
 * through AstraSecretStore, starts PATH --gapplication-service (as D-Bus activation does)
 * and times, over D-Bus, GetInitialResultSet for a typical term (one description word
 * that about one token in ten has) followed by GetResultMetas for the first five results
 * (what the overview shows). "first" is the first such search, which reads the keyring;
 * the figure is the median of R more (default 21), answered from the app's index. Needs a
 * session bus with an unlocked keyring (build-aux/with-test-session). Prints one line:
 * "SEARCH tokens=N search_provider_ms=… search_provider_first_ms=… results=…".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "astra-connection.h"
#include "astra-generated-token.h"
#include "astra-secret-store.h"

#define TERM        "billing"
#define TIMEOUT_MS  60000

static const char *words[] = {
  "backup", "grafana", "ingest", "reports", "payments", "search", "analytics", "etl",
  "mobile", "billing",
};
static const char *role_names[] = {
  "RO Svc Acct", "R/W Svc Acct", "API RO User", "Database Administrator", "Admin User",
};

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
fill_keyring (guint n_tokens)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *org_id = g_uuid_string_random ();
      g_autofree char *name = g_strdup_printf ("Bench Org %u", i + 1);

      g_ptr_array_add (orgs, astra_connection_new (org_id, name, ASTRA_ENVIRONMENT_PRODUCTION, NULL));
    }

  for (guint i = 0; i < n_tokens; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(AstraGeneratedToken) token = NULL;
      g_autofree char *client_id = g_strdup_printf ("BenchClient%013u", i);
      g_autofree char *text = g_strdup_printf ("AstraCS:%s:%064u", client_id, i);
      g_autofree char *description = g_strdup_printf ("%s service %u",
                                                      words[i % G_N_ELEMENTS (words)], i);

      token = astra_generated_token_new (client_id, "bench-secret", text);
      astra_generated_token_set_description (token, description);
      astra_generated_token_set_role_names (token, (const char * const []) {
                                              role_names[i % G_N_ELEMENTS (role_names)], NULL });
      astra_secret_store_save_generated_async (store, orgs->pdata[i % orgs->len], token, NULL,
                                               on_result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (!astra_secret_store_save_generated_finish (store, result, &error))
        {
          g_printerr ("bench-search: could not store token %u: %s\n", i, error->message);
          exit (1);
        }
    }
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* One search as the overview makes it; returns its duration in ms, and the result count. */
static double
search_once (GDBusConnection *bus,
             const char      *path,
             guint           *n_results)
{
  const char *terms[] = { TERM, NULL };
  g_autoptr(GVariant) results = NULL;
  g_autoptr(GVariant) metas = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **ids = NULL;
  gint64 start = g_get_monotonic_time ();
  gsize n = 0;

  results = g_dbus_connection_call_sync (bus, APP_ID, path, "org.gnome.Shell.SearchProvider2",
                                         "GetInitialResultSet", g_variant_new ("(^as)", terms),
                                         G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                         TIMEOUT_MS, NULL, &error);
  if (results != NULL)
    {
      g_variant_get (results, "(^a&s)", &ids);
      n = g_strv_length ((char **) ids);
      if (n > 5)
        ids[5] = NULL;
      metas = g_dbus_connection_call_sync (bus, APP_ID, path, "org.gnome.Shell.SearchProvider2",
                                           "GetResultMetas", g_variant_new ("(^as)", ids),
                                           G_VARIANT_TYPE ("(aa{sv})"), G_DBUS_CALL_FLAGS_NONE,
                                           TIMEOUT_MS, NULL, &error);
    }
  if (error != NULL)
    {
      g_printerr ("bench-search: %s\n", error->message);
      exit (1);
    }

  *n_results = n;
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- time GNOME Shell's search");
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *app_path = NULL;
  int n_tokens = 1000;
  int rounds = 21;
  guint n_results = 0;
  double first;
  GOptionEntry entries[] = {
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &app_path, "The astra-tokens binary", "PATH" },
    { "tokens", 0, 0, G_OPTION_ARG_INT, &n_tokens, "Held tokens (1000)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Timed searches (21)", "R" },
    { NULL },
  };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || app_path == NULL ||
      n_tokens < 1 || rounds < 1)
    {
      g_printerr ("usage: bench-search --app PATH [--tokens N] [--rounds R]\n");
      return 2;
    }

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr ("bench-search: no session bus: %s\n", error->message);
      return 1;
    }
  fill_keyring (n_tokens);

  app = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, app_path, "--gapplication-service", NULL);
  if (app == NULL)
    {
      g_printerr ("bench-search: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < 600 && !name_has_owner (bus, APP_ID); i++)
    g_usleep (50 * 1000);

  path = g_strconcat ("/", APP_ID, "/SearchProvider", NULL);
  g_strdelimit (path + 1, ".", '/');

  first = search_once (bus, path, &n_results);
  for (int i = 0; i < rounds; i++)
    {
      double ms = search_once (bus, path, &n_results);

      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_doubles);

  path[strlen (path) - strlen ("/SearchProvider")] = '\0';
  g_dbus_connection_call_sync (bus, APP_ID, path, "org.freedesktop.Application",
                               "ActivateAction", g_variant_new_parsed ("('quit', @av [], @a{sv} {})"),
                               NULL, G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, NULL);
  g_subprocess_wait (app, NULL, NULL);

  printf ("SEARCH tokens=%d search_provider_ms=%.2f search_provider_first_ms=%.2f results=%u\n",
          n_tokens, g_array_index (times, double, times->len / 2), first, n_results);
  return 0;
}

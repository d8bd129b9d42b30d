/* test-search-provider.c: GNOME Shell's search, as GNOME Shell calls it
 *
 * Runs in a test session of its own (build-aux/with-test-session: bus, gnome-keyring,
 * Xvfb). Puts tokens into the real keyring through AstraSecretStore — two of a connected
 * organization (created on an in-process simulator), one of an organization that is not
 * connected, one item in the format saved before descriptions were attributes — then
 * starts the built astra-tokens as D-Bus activation does (--gapplication-service) and
 * calls org.gnome.Shell.SearchProvider2 over the bus: results, subsearch, metas, a token
 * saved meanwhile, activation (the clipboard, read back here on the same display, holds
 * the token, then is cleared; the notification, received by a notification server this
 * test plays, says so without the secret) and LaunchSearch. No reply carries a secret.
 * Last, the app runs in this process, so that the window LaunchSearch opens can be looked
 * at and photographed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <libsecret/secret.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "astra-application.h"
#include "astra-client.h"
#include "astra-generated-token.h"
#include "astra-role.h"
#include "astra-secret-store.h"
#include "astra-sim-server.h"
#include "astra-test-ui.h"
#include "astra-token-format.h"
#include "astra-window.h"

#define WAIT_MS          30000
#define CLEAR_SECONDS    3
#define PROVIDER_IFACE   "org.gnome.Shell.SearchProvider2"

static char             *app_path;        /* /io/github/…, the app's object path */
static char             *provider_path;
static GDBusConnection  *bus;
static AstraSimServer   *sim;
static AstraSecretStore *store;
static AstraConnection  *org_a;           /* connected: the simulator's */
static AstraConnection  *org_b;           /* not connected */
static GPtrArray        *secrets;         /* every client secret and token stored */
static GSubprocess      *app_process;
static char             *config_dir;      /* the child's XDG_CONFIG_HOME (its settings) */

/* The ids "ORG/CLIENT" of the tokens put in the keyring. */
static char *nightly_id;                  /* A: "Nightly backup job", RO User */
static char *grafana_id;                  /* A: "Grafana dashboards", Database Administrator */
static char *payments_id;                 /* B: "Paiements en ligne", R/W User */
static char *legacy_id;                   /* C: an item in the old format, "Initech" */
static char *nightly_token;

/* What the notification server this test plays was sent. */
static GPtrArray *notifications;          /* "SUMMARY\nBODY" */

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
add_secret (const char *text)
{
  g_ptr_array_add (secrets, g_strdup (text));
}

static void
assert_no_secret (const char *where,
                  const char *text)
{
  for (guint i = 0; i < secrets->len; i++)
    if (strstr (text, secrets->pdata[i]) != NULL)
      g_error ("a secret (%u of %u) is in %s", i + 1, secrets->len, where);
}

/* Calls the provider as GNOME Shell does, the main loop running meanwhile (the simulator
 * answers from it). Every reply is checked for secrets. */
static GVariant *
call_provider (const char  *method,
               GVariant    *parameters,
               const char  *reply_type,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GVariant *reply;

  g_dbus_connection_call (bus, APP_ID, provider_path, PROVIDER_IFACE, method, parameters,
                          reply_type != NULL ? G_VARIANT_TYPE (reply_type) : NULL,
                          G_DBUS_CALL_FLAGS_NONE, WAIT_MS, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS + 5000);
  reply = g_dbus_connection_call_finish (bus, result, error);
  if (reply != NULL)
    {
      g_autofree char *printed = g_variant_print (reply, TRUE);

      assert_no_secret (method, printed);
    }

  return reply;
}

/* GetInitialResultSet for @terms (NULL-terminated), sorted. */
static char **
search (const char * const *terms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call_provider ("GetInitialResultSet",
                                             g_variant_new ("(^as)", terms), "(as)", &error);
  char **results;

  g_assert_no_error (error);
  g_variant_get (reply, "(^as)", &results);
  return results;
}

static char **
subsearch (const char * const *previous,
           const char * const *terms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call_provider ("GetSubsearchResultSet",
                                             g_variant_new ("(^as^as)", previous, terms),
                                             "(as)", &error);
  char **results;

  g_assert_no_error (error);
  g_variant_get (reply, "(^as)", &results);
  return results;
}

/* Asserts that @results holds exactly @expected (NULL-terminated), in any order. */
static void
assert_results (char       **results,
                const char  *first,
                ...)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *id = first; id != NULL; id = va_arg (args, const char *))
    g_ptr_array_add (expected, (gpointer) id);
  va_end (args);

  for (guint i = 0; i < expected->len; i++)
    if (!g_strv_contains ((const char * const *) results, expected->pdata[i]))
      g_error ("%s is not among the %u results", (char *) expected->pdata[i],
               g_strv_length (results));
  g_assert_cmpuint (g_strv_length (results), ==, expected->len);
  g_strfreev (results);
}

#define TERMS(...) ((const char * const []) { __VA_ARGS__, NULL })

/* Whether the app has a window: GtkApplication exports each at APP_PATH/window/N. */
static gboolean
app_has_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  const char *xml;

  reply = g_dbus_connection_call_sync (bus, APP_ID, app_path, "org.freedesktop.DBus.Introspectable",
                                       "Introspect", NULL, G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, WAIT_MS, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);

  for (guint i = 0; node->nodes != NULL && node->nodes[i] != NULL; i++)
    if (g_strcmp0 (node->nodes[i]->path, "window") == 0)
      return TRUE;
  return FALSE;
}

static gboolean
name_has_owner (const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, WAIT_MS, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* The clipboard of this display as text, read from whoever owns it; NULL when empty. */
static char *
read_clipboard (void)
{
  GdkClipboard *clipboard = gdk_display_get_clipboard (gdk_display_get_default ());
  g_autoptr(GAsyncResult) result = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  return gdk_clipboard_read_text_finish (clipboard, result, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* A notification server (org.freedesktop.Notifications), as GNOME Shell plays it           */

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary, *body;

      g_variant_get (parameters, "(&su&s&s&s@as@a{sv}i)", NULL, NULL, NULL, &summary, &body,
                     NULL, NULL, NULL);
      g_ptr_array_add (notifications, g_strconcat (summary, "\n", body, NULL));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new_parsed ("(@as ['body'],)"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "</interface></node>";

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", node->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, WAIT_MS,
                                       NULL, &error);
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------------------------ */
/* The keyring's tokens                                                                       */

static void
save_generated (AstraConnection     *connection,
                AstraGeneratedToken *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_secret_store_save_generated_async (store, connection, token, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  g_assert_true (astra_secret_store_save_generated_finish (store, result, &error));
  g_assert_no_error (error);
  add_secret (astra_generated_token_get_secret (token));
  add_secret (astra_generated_token_get_token (token));
}

static char *
make_id (AstraConnection     *connection,
         AstraGeneratedToken *token)
{
  return g_strconcat (astra_connection_get_org_id (connection), "/",
                      astra_generated_token_get_client_id (token), NULL);
}

/* A token created on the simulator, as the Generate dialog does, and kept in the keyring. */
static char *
create_on_sim (AstraClient *client,
               GListModel  *roles,
               const char  *role_name,
               const char  *description,
               char       **token_text)
{
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *role_id = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (roles); i++)
    {
      g_autoptr(AstraRole) role = g_list_model_get_item (roles, i);

      if (g_str_equal (astra_role_get_name (role), role_name))
        role_id = astra_role_get_id (role);
    }
  g_assert_nonnull (role_id);

  astra_client_create_token_async (client, (const char * const []) { role_id, NULL },
                                   description, NULL, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  token = astra_client_create_token_finish (client, result, &error);
  g_assert_no_error (error);
  astra_generated_token_set_description (token, description);
  astra_generated_token_set_role_names (token, (const char * const []) { role_name, NULL });
  save_generated (org_a, token);
  if (token_text != NULL)
    *token_text = g_strdup (astra_generated_token_get_token (token));

  return make_id (org_a, token);
}

/* A token of an organization this keyring holds no management token for. */
static AstraGeneratedToken *
new_offline_token (const char *client_id,
                   const char *description,
                   const char *role_name)
{
  g_autofree char *secret = g_strdup_printf ("%s-secret-%08x", client_id, g_random_int ());
  g_autofree char *text = astra_token_format_compose (client_id, "0123456789abcdef0123456789abcdef"
                                                                 "0123456789abcdef0123456789abcdef");
  AstraGeneratedToken *token = astra_generated_token_new (client_id, secret, text);

  astra_generated_token_set_description (token, description);
  astra_generated_token_set_role_names (token, (const char * const []) { role_name, NULL });
  return token;
}

/* An item as this app saved it before description, role names and org name were
 * attributes: only the label tells them. */
static char *
store_legacy_item (void)
{
  static const SecretSchema old_schema = {
    BASE_APP_ID, SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "org-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  const char *org_id = "0c0ffee0-0000-4000-8000-0000000000c3";
  const char *client_id = "LegacyLegacyLegacyLegacy";
  g_autoptr(GError) error = NULL;
  g_autofree char *value = g_strdup_printf ("{\"clientId\":\"%s\",\"secret\":\"legacy-secret-1\","
                                            "\"token\":\"AstraCS:%s:legacy\"}", client_id, client_id);
  g_autofree char *token = g_strdup_printf ("AstraCS:%s:legacy", client_id);

  secret_password_store_sync (&old_schema, SECRET_COLLECTION_DEFAULT,
                              "Astra token LegacyLegacyLegacyLegacy (RO User, Billing (EU)) — Initech",
                              value, NULL, &error,
                              "kind", "generated-token", "org-id", org_id, "client-id", client_id,
                              "environment", "prod", NULL);
  g_assert_no_error (error);
  add_secret ("legacy-secret-1");
  add_secret (token);

  return g_strconcat (org_id, "/", client_id, NULL);
}

static void
fill_keyring (void)
{
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(AstraGeneratedToken) payments = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  client = astra_client_new (astra_sim_server_get_base_url (sim),
                             astra_sim_server_get_admin_token (sim), &error);
  g_assert_no_error (error);
  add_secret (astra_sim_server_get_admin_token (sim));

  /* Organization A is connected: its management token is in the keyring. */
  astra_secret_store_save_connection_async (store, org_a, astra_sim_server_get_admin_token (sim),
                                            NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  g_assert_true (astra_secret_store_save_connection_finish (store, result, &error));
  g_assert_no_error (error);

  g_clear_object (&result);
  astra_client_list_roles_async (client, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  roles = astra_client_list_roles_finish (client, result, &error);
  g_assert_no_error (error);

  nightly_id = create_on_sim (client, roles, "RO User", "Nightly backup job", &nightly_token);
  grafana_id = create_on_sim (client, roles, "Database Administrator", "Grafana dashboards", NULL);

  /* Organization B is not connected (never was on this computer). */
  payments = new_offline_token ("PaymentsPaymentsPayments", "Paiements en ligne", "R/W User");
  save_generated (org_b, payments);
  payments_id = make_id (org_b, payments);

  legacy_id = store_legacy_item ();
}

/* ------------------------------------------------------------------------------------------ */
/* The app, started as D-Bus activation starts it                                             */

static void
set_clear_seconds (void)
{
  g_autofree char *keyfile = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
  g_autoptr(GSettingsBackend) backend = g_keyfile_settings_backend_new (keyfile, "/", NULL);
  g_autoptr(GSettings) settings = g_settings_new_with_backend (BASE_APP_ID, backend);

  g_assert_true (g_settings_set_uint (settings, "clipboard-clear-seconds", CLEAR_SECONDS));
  g_settings_sync ();
}

static void
start_app (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv ("ASTRA_TOKENS_PROGRAM");

  g_assert_nonnull (program);
  g_assert_false (name_has_owner (APP_ID));

  /* Its settings from the key file this test wrote (the clearing time). */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_dir, TRUE);
  app_process = g_subprocess_launcher_spawn (launcher, &error, program, "--gapplication-service",
                                             NULL);
  g_assert_no_error (error);
  ASTRA_TEST_UI_WAIT (name_has_owner (APP_ID), WAIT_MS);
}

static void
quit_app (void)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_call_sync (bus, APP_ID, app_path, "org.freedesktop.Application",
                               "ActivateAction", g_variant_new_parsed ("('quit', @av [], @a{sv} {})"),
                               NULL, G_DBUS_CALL_FLAGS_NONE, WAIT_MS, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait (app_process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&app_process);
  ASTRA_TEST_UI_WAIT (!name_has_owner (APP_ID), WAIT_MS);
}

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                      */

static void
test_initial (void)
{
  g_autofree char *prefix = g_strndup (strchr (grafana_id, '/') + 1, 6);
  g_autofree char *lower_prefix = g_ascii_strdown (prefix, -1);
  guint requests = astra_sim_server_get_request_count (sim);

  /* A word of the description, a role name, the org name (the simulator's "Ünïcorn"), a
   * client id prefix in any case, two terms, an accent, the old item's label. */
  assert_results (search (TERMS ("nightly")), nightly_id, NULL);
  assert_results (search (TERMS ("GRAF")), grafana_id, NULL);
  assert_results (search (TERMS ("administrator")), grafana_id, NULL);
  assert_results (search (TERMS ("ro")), nightly_id, legacy_id, NULL);
  assert_results (search (TERMS ("user")), nightly_id, legacy_id, payments_id, NULL);
  assert_results (search (TERMS ("unicorn")), nightly_id, grafana_id, NULL);
  assert_results (search (TERMS ("globex")), payments_id, NULL);
  assert_results (search (TERMS (lower_prefix)), grafana_id, NULL);
  assert_results (search (TERMS ("ro", "job")), nightly_id, NULL);
  assert_results (search (TERMS ("RO User", "initech")), legacy_id, NULL);
  assert_results (search (TERMS ("billing", "eu")), legacy_id, NULL);
  assert_results (search (TERMS ("paiement")), payments_id, NULL);
  assert_results (search (TERMS ("PAÏEMENTS")), payments_id, NULL);
  assert_results (search (TERMS ("ckup")), NULL);    /* words match from their start */
  assert_results (search (TERMS ("nightly", "grafana")), NULL);
  assert_results (search (TERMS ("zzzz")), NULL);
  assert_results (search (TERMS ("")), NULL);

  /* Searching opened nothing, and asked the API nothing: the app that D-Bus activation
   * started for it did not fetch the last organization's tokens for a window to come
   * (its prefetch thread would have asked within a second). */
  g_assert_false (app_has_window ());
  astra_test_ui_spin (1500);
  g_assert_cmpuint (astra_sim_server_get_request_count (sim), ==, requests);
}

static void
test_subsearch (void)
{
  g_auto(GStrv) users = search (TERMS ("user"));

  g_assert_cmpuint (g_strv_length (users), ==, 3);
  assert_results (subsearch ((const char * const *) users, TERMS ("user", "ro")),
                  nightly_id, legacy_id, NULL);
  assert_results (subsearch ((const char * const *) users, TERMS ("user", "ro", "nig")),
                  nightly_id, NULL);
  /* Only among the previous results, even where others match. */
  assert_results (subsearch (TERMS (grafana_id), TERMS ("unicorn")), grafana_id, NULL);
  assert_results (subsearch (TERMS ("no/such"), TERMS ("unicorn")), NULL);
  g_assert_false (app_has_window ());
}

static GVariant *
find_meta (GVariant   *metas,
           const char *id)
{
  GVariantIter iter;
  GVariant *meta;

  g_variant_iter_init (&iter, metas);
  while ((meta = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *meta_id = NULL;

      if (g_variant_lookup (meta, "id", "&s", &meta_id) && g_str_equal (meta_id, id))
        return meta;
      g_variant_unref (meta);
    }

  g_error ("no meta for %s", id);
}

static void
assert_meta (GVariant   *metas,
             const char *id,
             const char *name,
             const char *description)
{
  g_autoptr(GVariant) meta = find_meta (metas, id);
  const char *text = NULL;

  g_assert_true (g_variant_lookup (meta, "name", "&s", &text));
  g_assert_cmpstr (text, ==, name);
  g_assert_true (g_variant_lookup (meta, "description", "&s", &text));
  g_assert_cmpstr (text, ==, description);
  g_assert_true (g_variant_lookup (meta, "gicon", "&s", &text));
  g_assert_cmpstr (text, ==, APP_ID);
}

static void
test_metas (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) metas = NULL;
  const char *ids[] = { nightly_id, grafana_id, payments_id, legacy_id, "no/such", NULL };

  reply = call_provider ("GetResultMetas", g_variant_new ("(^as)", ids), "(aa{sv})", &error);
  g_assert_no_error (error);
  metas = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (metas), ==, 4);

  assert_meta (metas, nightly_id, "Nightly backup job", "RO User — Ünïcorn Analytics");
  assert_meta (metas, grafana_id, "Grafana dashboards", "Database Administrator — Ünïcorn Analytics");
  assert_meta (metas, payments_id, "Paiements en ligne", "R/W User — Globex Corporation");
  /* No description: the client id names it. */
  assert_meta (metas, legacy_id, "LegacyLegacyLegacyLegacy", "RO User, Billing (EU) — Initech");
  g_assert_false (app_has_window ());
}

/* A token saved while the app runs is found without restarting it; one deleted is gone. */
static void
test_keyring_change (void)
{
  g_autoptr(AstraGeneratedToken) token = new_offline_token ("FreshFreshFreshFreshFres",
                                                            "Freshly minted", "Read Only User");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  assert_results (search (TERMS ("freshly")), NULL);
  save_generated (org_b, token);
  id = make_id (org_b, token);
  ASTRA_TEST_UI_WAIT (({ g_auto(GStrv) r = search (TERMS ("freshly"));
                         r[0] != NULL && g_str_equal (r[0], id); }), WAIT_MS);

  astra_secret_store_delete_generated_async (store, astra_connection_get_org_id (org_b),
                                             "FreshFreshFreshFreshFres", NULL, store_result_cb,
                                             &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  g_assert_true (astra_secret_store_delete_generated_finish (store, result, &error));
  ASTRA_TEST_UI_WAIT (({ g_auto(GStrv) r = search (TERMS ("freshly")); r[0] == NULL; }), WAIT_MS);
}

/* In an app that only copies (no search before, which would keep it running a while):
 * it serves the clipboard until the token is cleared, then ends by itself. */
static void
test_activate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *copied = NULL;
  const char *notification = NULL;
  guint n_before;

  quit_app ();
  /* Started as D-Bus activation starts it, the app also checks expiry dates (and may say
   * so in notifications of its own): the copy's notification is looked for among them. */
  start_app ();
  n_before = notifications->len;
  reply = call_provider ("ActivateResult",
                         g_variant_new ("(s^asu)", nightly_id, TERMS ("nightly"), 0), NULL, &error);
  g_assert_no_error (error);

  /* The token, served by the app's process to this one over X11. */
  copied = read_clipboard ();
  g_assert_true (g_strcmp0 (copied, nightly_token) == 0);   /* not cmpstr: it would log it */
  g_assert_false (app_has_window ());

  /* Said in a notification that names the token, not its secret. */
  ASTRA_TEST_UI_WAIT (({ for (guint i = n_before; i < notifications->len; i++)
                           if (g_str_has_prefix (notifications->pdata[i], "Token copied\n"))
                             notification = notifications->pdata[i];
                         notification != NULL; }), WAIT_MS);
  g_assert_nonnull (strstr (notification, "Nightly backup job"));
  g_assert_nonnull (strstr (notification, "3 seconds"));
  for (guint i = 0; i < notifications->len; i++)
    assert_no_secret ("a notification", notifications->pdata[i]);
  if (g_getenv ("ASTRA_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("ASTRA_SCREENSHOT_DIR"),
                                                "search-notification.txt", NULL);

      g_mkdir_with_parents (g_getenv ("ASTRA_SCREENSHOT_DIR"), 0755);
      g_assert_true (g_file_set_contents (path, notification, -1, NULL));
    }

  /* A result that is not held: an error, and nothing else copied. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_provider ("ActivateResult",
                         g_variant_new ("(s^asu)", "no-org/NoSuchNoSuchNoSuchNoSu", TERMS ("x"), 0),
                         NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_clear_pointer (&copied, g_free);
  copied = read_clipboard ();
  g_assert_true (g_strcmp0 (copied, nightly_token) == 0);   /* not cmpstr: it would log it */

  /* Cleared after the set time: the app stayed to serve it until then, and then ends. */
  ASTRA_TEST_UI_WAIT (({ g_autofree char *now = read_clipboard ();
                         g_strcmp0 (now, nightly_token) != 0; }), (CLEAR_SECONDS + 20) * 1000);
  ASTRA_TEST_UI_WAIT (!name_has_owner (APP_ID), WAIT_MS);
  g_subprocess_wait (app_process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (app_process));
  g_assert_cmpint (g_subprocess_get_exit_status (app_process), ==, 0);
  g_clear_object (&app_process);
}

static void
test_launch_search (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  start_app ();
  g_assert_false (app_has_window ());
  reply = call_provider ("LaunchSearch", g_variant_new ("(^asu)", TERMS ("nightly", "backup"), 0),
                         NULL, &error);
  g_assert_no_error (error);
  ASTRA_TEST_UI_WAIT (app_has_window (), WAIT_MS);

  quit_app ();
}

/* The same call to the app in this process: its window is on the Tokens page of the
 * token's organization, searching for the terms. */
static void
test_launch_search_window (void)
{
  g_autoptr(AstraApplication) app = astra_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GtkWindow *window = NULL;
  GtkWidget *entry = NULL;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_dbus_connection_call (bus, APP_ID, provider_path, PROVIDER_IFACE, "LaunchSearch",
                          g_variant_new ("(^asu)", TERMS ("nightly", "backup"), 0), NULL,
                          G_DBUS_CALL_FLAGS_NONE, WAIT_MS, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  reply = g_dbus_connection_call_finish (bus, result, &error);
  g_assert_no_error (error);

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  ASTRA_TEST_UI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
                      (entry = astra_test_ui_find_mapped (GTK_WIDGET (window),
                                                          GTK_TYPE_SEARCH_ENTRY, NULL)) != NULL,
                      WAIT_MS);
  ASTRA_TEST_UI_WAIT (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "nightly backup") == 0,
                      WAIT_MS);
  /* In the organization of the token found, with its row listed. */
  g_assert_true (astra_window_get_connection (ASTRA_WINDOW (window)) != NULL);
  g_assert_cmpstr (astra_connection_get_org_id (astra_window_get_connection (ASTRA_WINDOW (window))),
                   ==, astra_connection_get_org_id (org_a));
  ASTRA_TEST_UI_WAIT (astra_test_ui_shows_text (GTK_WIDGET (window), "Nightly backup job"), WAIT_MS);
  astra_test_ui_spin (300);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "search-launch.png"));
  astra_test_ui_resize (window, 800, 680);
  g_free (astra_test_ui_screenshot (GTK_WIDGET (window), "search-launch-800.png"));

  gtk_window_destroy (window);
  astra_test_ui_spin (100);
}

/* ------------------------------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  int status;

  astra_test_ui_init (&argc, &argv);

  app_path = g_strconcat ("/", APP_ID, NULL);
  g_strdelimit (app_path, ".", '/');
  provider_path = g_strconcat (app_path, "/SearchProvider", NULL);
  secrets = g_ptr_array_new_with_free_func (g_free);
  notifications = g_ptr_array_new_with_free_func (g_free);
  tmp = g_dir_make_tmp ("astra-search-XXXXXX", &error);
  g_assert_no_error (error);
  config_dir = g_build_filename (tmp, "config", NULL);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  start_notification_server ();

  sim = astra_sim_server_new ();
  astra_sim_server_set_seed (sim, 3, 1);
  astra_sim_server_set_org_name (sim, "Ünïcorn Analytics");
  astra_sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);
  org_a = astra_connection_new (astra_sim_server_get_org_id (sim),
                                astra_sim_server_get_org_name (sim), ASTRA_ENVIRONMENT_CUSTOM,
                                astra_sim_server_get_base_url (sim));
  org_b = astra_connection_new ("0c0ffee0-0000-4000-8000-0000000000b2", "Globex Corporation",
                                ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  store = astra_secret_store_new ();
  fill_keyring ();
  set_clear_seconds ();
  start_app ();

  /* In this order: they share the app, and the last ones end it. */
  g_test_add_func ("/search-provider/initial", test_initial);
  g_test_add_func ("/search-provider/subsearch", test_subsearch);
  g_test_add_func ("/search-provider/metas", test_metas);
  g_test_add_func ("/search-provider/keyring-change", test_keyring_change);
  g_test_add_func ("/search-provider/activate", test_activate);
  g_test_add_func ("/search-provider/launch-search", test_launch_search);
  g_test_add_func ("/search-provider/launch-search-window", test_launch_search_window);

  status = g_test_run ();

  if (app_process != NULL)
    g_subprocess_force_exit (app_process);
  g_clear_object (&app_process);
  g_clear_object (&store);
  g_clear_object (&org_a);
  g_clear_object (&org_b);
  g_clear_object (&sim);
  g_clear_object (&bus);
  return status;
}

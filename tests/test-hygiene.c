/* test-hygiene.c: no secret anywhere but the keyring and the CSV the user asked for
 *
 * The test runs the whole flow in a child process, through the real dialogs and actions:
 * connect an organization (its management token goes to the keyring), generate a token with
 * the generate dialog (the new-token dialog saves it to the keyring), copy the secret, the
 * token and the environment snippet, export GeneratedToken.csv. The child runs with
 * G_MESSAGES_DEBUG=all, the HTTP wire log on (ASTRA_TOKENS_DEBUG_HTTP=1), settings written
 * to a key file, and HOME, the XDG directories and TMPDIR in a fresh tree.
 *
 * Then the parent checks that neither the management token, nor the new client secret,
 * nor the new token (nor its hash part alone) appears in the child's stdout or stderr, nor
 * in any file of that tree except the CSV. (The keyring's own files live in the test
 * session's data directory, outside the tree.) Clipboard clearing has its own test in
 * test-ui-dialogs (/ui-dialogs/clipboard/...).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hygiene"

#include "config.h"

#include <adwaita.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "astra-client.h"
#include "astra-clipboard.h"
#include "astra-connection.h"
#include "astra-generate-dialog.h"
#include "astra-generated-token.h"
#include "astra-new-token-dialog.h"
#include "astra-secret-store.h"
#include "astra-sim-server.h"
#include "astra-test-ui.h"

#define CHILD_FLAG   "--hygiene-child"
#define SECRETS_FD   3
#define MARKER       "hygiene-debug-marker"
#define WAIT_MS      30000
#define ROLE_NAME    "R/W Svc Acct"
#define CSV_NAME     "GeneratedToken.csv"

/* ------------------------------------------------------------------------------------------ */
/* The child: the flow a person goes through                                                   */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
on_token_generated_cb (AstraGenerateDialog  *dialog,
                       AstraGeneratedToken  *token,
                       AstraGeneratedToken **out)
{
  g_set_object (out, token);
}

static GtkWidget *
find_visible_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }

  return NULL;
}

static char *
read_clipboard (GtkWidget *widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GAsyncResult) result = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  return gdk_clipboard_read_text_finish (clipboard, result, NULL);
}

/* Reading back goes through the X server, as another application would; the owner change
 * may take a few iterations to arrive. */
static gboolean
clipboard_holds (GtkWidget  *widget,
                 const char *wanted)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = read_clipboard (widget);

      if (text != NULL && strstr (text, wanted) != NULL)
        return TRUE;
      astra_test_ui_spin (20);
    }

  return FALSE;
}

static void
save_connection (AstraSecretStore *store,
                 AstraConnection  *connection,
                 const char       *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  astra_secret_store_save_connection_async (store, connection, token, NULL,
                                            store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  astra_secret_store_save_connection_finish (store, result, &error);
  g_assert_no_error (error);
}

static GListModel *
list_roles (AstraClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *roles;

  astra_client_list_roles_async (client, NULL, store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  roles = astra_client_list_roles_finish (client, result, &error);
  g_assert_no_error (error);
  return roles;
}

static AstraGeneratedToken *
generate_with_dialog (GtkWindow        *parent,
                      AstraClient      *client,
                      AstraSecretStore *store,
                      AstraConnection  *connection,
                      GListModel       *roles)
{
  AstraGenerateDialog *dialog;
  AstraGeneratedToken *token = NULL;
  GtkWidget *row;

  dialog = astra_generate_dialog_new (parent, client, store, connection, roles);
  g_signal_connect (dialog, "token-generated", G_CALLBACK (on_token_generated_cb), &token);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));

  row = astra_test_ui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, ROLE_NAME);
  g_assert_nonnull (row);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (astra_test_ui_find (row, GTK_TYPE_CHECK_BUTTON,
                                                                     NULL)), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (astra_test_ui_find (GTK_WIDGET (dialog),
                                                           ADW_TYPE_ENTRY_ROW, "Description")),
                         "hygiene check");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.generate", NULL));
  ASTRA_TEST_UI_WAIT (token != NULL, WAIT_MS);

  return token;
}

static void
write_secrets (const char * const *secrets)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; secrets[i] != NULL; i++)
    g_string_append_len (out, secrets[i], strlen (secrets[i]) + 1);

  g_assert_cmpint (write (SECRETS_FD, out->str, out->len), ==, (gssize) out->len);
  close (SECRETS_FD);
}

static int
run_child (void)
{
  g_autoptr(AstraSimServer) sim = NULL;
  g_autoptr(AstraClient) client = NULL;
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(AstraSecretStore) store = NULL;
  g_autoptr(GListModel) roles = NULL;
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) csv = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *management_token = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *token_value = NULL;
  GtkWindow *parent;
  GtkWidget *dialog;

  gtk_init ();
  adw_init ();
  g_debug ("%s", MARKER);

  sim = astra_test_ui_start_sim (0);
  management_token = g_strdup (astra_sim_server_get_admin_token (sim));
  client = astra_client_new (astra_sim_server_get_base_url (sim), management_token, &error);
  g_assert_no_error (error);
  connection = astra_connection_new (astra_sim_server_get_org_id (sim),
                                     astra_sim_server_get_org_name (sim),
                                     ASTRA_ENVIRONMENT_CUSTOM,
                                     astra_sim_server_get_base_url (sim));
  store = astra_secret_store_new ();

  /* Connect: the management token goes to the keyring. */
  save_connection (store, connection, management_token);

  /* Generate through the dialog; the new-token dialog saves to the keyring. */
  parent = GTK_WINDOW (adw_application_window_new (NULL));
  gtk_window_present (parent);
  roles = list_roles (client);
  token = generate_with_dialog (parent, client, store, connection, roles);
  secret = g_strdup (astra_generated_token_get_secret (token));
  token_value = g_strdup (astra_generated_token_get_token (token));

  ASTRA_TEST_UI_WAIT (find_visible_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG) != NULL, WAIT_MS);
  dialog = find_visible_toplevel (ASTRA_TYPE_NEW_TOKEN_DIALOG);
  ASTRA_TEST_UI_WAIT (astra_test_ui_find_mapped (dialog, ADW_TYPE_ACTION_ROW,
                                                 "Saved to keyring") != NULL, WAIT_MS);

  /* Reveal, copy each value, copy the environment snippet. */
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.reveal-client-secret", NULL));
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.reveal-token", NULL));
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.copy", "s", "client-secret"));
  g_assert_true (clipboard_holds (dialog, secret));
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.copy", "s", "token"));
  g_assert_true (clipboard_holds (dialog, token_value));
  /* The snippet holds references by default (no secret), the values on request. */
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.copy-reference", NULL));
  g_assert_true (clipboard_holds (dialog, "astra://"));
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.copy-environment", NULL));
  g_assert_true (clipboard_holds (dialog, "ASTRA_DB_CLIENT_SECRET=astra://"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (astra_test_ui_find (dialog, ADW_TYPE_COMBO_ROW,
                                                                 "Environment Snippet Holds")),
                              1);
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.copy-environment", NULL));
  g_assert_true (clipboard_holds (dialog, token_value));

  /* Export the CSV the user asked for. */
  folder = g_file_new_build_filename (g_get_home_dir (), "Documents", NULL);
  g_file_make_directory_with_parents (folder, NULL, NULL);
  csv = g_file_get_child (folder, CSV_NAME);
  astra_new_token_dialog_export_to_file_async (ASTRA_NEW_TOKEN_DIALOG (dialog), csv, NULL,
                                               store_result_cb, &result);
  ASTRA_TEST_UI_WAIT (result != NULL, WAIT_MS);
  g_assert_true (astra_new_token_dialog_export_to_file_finish (ASTRA_NEW_TOKEN_DIALOG (dialog),
                                                                result, &error));
  g_assert_no_error (error);

  /* Done; the app clears the clipboard it still owns on quit. */
  gtk_window_close (GTK_WINDOW (dialog));
  astra_clipboard_clear_secret ();
  gtk_window_destroy (parent);
  astra_test_ui_spin (200);

  write_secrets ((const char *[]) { management_token, secret, token_value, NULL });
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The parent: look everywhere                                                                 */

typedef struct
{
  GPtrArray  *needles;   /* (element-type utf8) */
  const char *allowed;   /* the exported CSV */
  guint       n_files;
  gboolean    saw_allowed;
} Scan;

static void
assert_clean (const char *where,
              const char *data,
              gsize       length,
              GPtrArray  *needles)
{
  for (guint i = 0; i < needles->len; i++)
    {
      const char *needle = g_ptr_array_index (needles, i);

      if (g_strstr_len (data, length, needle) != NULL)
        g_error ("a secret (%u of %u, %zu characters) appears in %s", i + 1, needles->len,
                 strlen (needle), where);
    }
}

static void
scan_tree (Scan       *scan,
           const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          scan_tree (scan, child);
        }
    }
  else if (S_ISREG (st.st_mode))
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      scan->n_files++;
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (g_strcmp0 (path, scan->allowed) == 0)
        {
          /* The CSV the user asked for holds the secret: that is what it is for. */
          scan->saw_allowed = TRUE;
          g_assert_nonnull (g_strstr_len (contents, length, g_ptr_array_index (scan->needles, 1)));
          return;
        }
      g_test_message ("checked %s (%zu bytes)", path, length);
      assert_clean (path, contents, length, scan->needles);
    }
}

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

static char **
make_environment (const char *root)
{
  char **env = g_get_environ ();
  const struct { const char *name; const char *sub; } dirs[] = {
    { "HOME", "home" }, { "XDG_CONFIG_HOME", "config" }, { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" }, { "TMPDIR", "tmp" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (root, dirs[i].sub, NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      env = g_environ_setenv (env, dirs[i].name, dir, TRUE);
    }

  env = g_environ_setenv (env, "G_MESSAGES_DEBUG", "all", TRUE);
  env = g_environ_setenv (env, "ASTRA_TOKENS_DEBUG_HTTP", "1", TRUE);
  /* Settings land in a file of the tree, so that the scan sees them. */
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "keyfile", TRUE);
  return env;
}

static void
test_no_secret_leaks (void)
{
  g_autofree char *root = NULL;
  g_autofree char *self = NULL;
  g_autofree char *allowed = NULL;
  g_auto(GStrv) env = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GInputStream) secrets_stream = NULL;
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gsize secrets_length = 0;
  int fds[2];
  Scan scan = { 0 };

  root = g_dir_make_tmp ("astra-hygiene-XXXXXX", &error);
  g_assert_no_error (error);
  env = make_environment (root);
  self = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);

  g_assert_cmpint (pipe (fds), ==, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_take_fd (launcher, fds[1], SECRETS_FD);
  child = g_subprocess_launcher_spawn (launcher, &error, self, CHILD_FLAG, NULL);
  g_assert_no_error (error);
  g_clear_object (&launcher);  /* closes our copy of the write end */

  g_subprocess_communicate (child, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (child))
    {
      g_test_message ("child stderr (may hold secrets only if this test is about to fail anyway):");
      g_printerr ("%.*s", (int) MIN (g_bytes_get_size (err), 20000),
                  (const char *) g_bytes_get_data (err, NULL));
      g_error ("the child flow failed");
    }

  /* The secrets, NUL-separated: management token, client secret, token. */
  secrets_stream = g_unix_input_stream_new (fds[0], TRUE);
  g_input_stream_read_all (secrets_stream, buffer, sizeof buffer - 1, &secrets_length, NULL, &error);
  g_assert_no_error (error);
  buffer[secrets_length] = '\0';
  for (gsize offset = 0; offset < secrets_length; offset += strlen (buffer + offset) + 1)
    g_ptr_array_add (needles, g_strdup (buffer + offset));
  g_assert_cmpuint (needles->len, ==, 3);
  /* The hash part of each token alone, in case something logs the token minus prefix. */
  for (guint i = 0; i < 3; i += 2)
    {
      const char *token = g_ptr_array_index (needles, i);
      const char *hash = strrchr (token, ':');

      g_assert_nonnull (hash);
      g_ptr_array_add (needles, g_strdup (hash + 1));
    }

  /* The capture works: the child's debug output is there. */
  g_assert_true (g_strstr_len (g_bytes_get_data (out, NULL), g_bytes_get_size (out), MARKER) ||
                 g_strstr_len (g_bytes_get_data (err, NULL), g_bytes_get_size (err), MARKER));
  g_test_message ("child wrote %zu bytes to stdout, %zu to stderr",
                  g_bytes_get_size (out), g_bytes_get_size (err));
  assert_clean ("the child's stdout", g_bytes_get_data (out, NULL), g_bytes_get_size (out), needles);
  assert_clean ("the child's stderr", g_bytes_get_data (err, NULL), g_bytes_get_size (err), needles);

  allowed = g_build_filename (root, "home", "Documents", CSV_NAME, NULL);
  scan.needles = needles;
  scan.allowed = allowed;
  scan_tree (&scan, root);
  g_assert_true (scan.saw_allowed);
  g_test_message ("%u files checked", scan.n_files);

  remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && g_strcmp0 (argv[1], CHILD_FLAG) == 0)
    return run_child ();

  astra_test_ui_init (&argc, &argv);
  g_test_add_func ("/hygiene/no-secret-outside-keyring-and-csv", test_no_secret_leaks);

  return g_test_run ();
}

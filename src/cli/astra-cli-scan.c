/* astra-cli-scan.c: `astra-tokens-cli scan`: plain-text Astra tokens in folders and files
 *
 * The scanner of the core (astra-scanner.h) and its classification (astra-scan-classify.h),
 * one line per finding, never the secret. Exit status 1 when a token that is not known to
 * be revoked was found, so that a git pre-commit hook can stop a commit; offline, or
 * without a keyring, the states are only less precise, never an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "astra-cli.h"
#include "astra-scan-classify.h"
#include "astra-scanner.h"
#include "astra-secret-store.h"

/* Helpers {{{ */

/* JSON is UTF-8; a file name need not be. */
static char *
dup_utf8_path (const char *path)
{
  if (g_utf8_validate (path, -1, NULL))
    return g_strdup (path);
  return g_filename_display_name (path);
}

static void
print_json (AstraScanFinding *finding)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = dup_utf8_path (astra_scan_finding_get_path (finding));
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "line");
  json_builder_add_int_value (builder, astra_scan_finding_get_line (finding));
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, astra_scan_kind_to_string (astra_scan_finding_get_kind (finding)));
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, astra_scan_finding_get_client_id (finding));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, astra_scan_state_to_string (astra_scan_finding_get_state (finding)));
  json_builder_set_member_name (builder, "masked");
  json_builder_add_string_value (builder, astra_scan_finding_get_masked (finding));
  if (astra_scan_finding_get_variable (finding) != NULL)
    {
      json_builder_set_member_name (builder, "variable");
      json_builder_add_string_value (builder, astra_scan_finding_get_variable (finding));
    }
  if (astra_scan_finding_get_section (finding) != NULL)
    {
      json_builder_set_member_name (builder, "section");
      json_builder_add_string_value (builder, astra_scan_finding_get_section (finding));
    }
  if (astra_scan_finding_get_org_id (finding) != NULL)
    {
      json_builder_set_member_name (builder, "org_id");
      json_builder_add_string_value (builder, astra_scan_finding_get_org_id (finding));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  line = json_to_string (root, FALSE);
  g_print ("%s\n", line);
}

static void
print_human (AstraScanFinding *finding)
{
  g_autofree char *path = g_filename_display_name (astra_scan_finding_get_path (finding));

  /* path:line  kind  client id  masked token  state */
  g_print ("%s:%u\t%s\t%s\t%s\t%s\n", path, astra_scan_finding_get_line (finding),
           astra_scan_kind_get_display_name (astra_scan_finding_get_kind (finding)),
           astra_scan_finding_get_client_id (finding),
           astra_scan_finding_get_masked (finding),
           astra_scan_state_get_display_name (astra_scan_finding_get_state (finding)));
}

static void
print_skipped (GListModel *skipped)
{
  for (guint i = 0; i < g_list_model_get_n_items (skipped); i++)
    {
      g_autoptr(AstraScanSkip) skip = g_list_model_get_item (skipped, i);
      g_autofree char *path = g_filename_display_name (astra_scan_skip_get_path (skip));

      g_printerr ("%s: %s\n", path, astra_scan_skip_get_message (skip));
    }
}

/* @use_keyring: FALSE for --no-keyring: the Secret Service is not even asked. Offline, the
 * keyring is read without ever prompting (a pre-commit hook must not wait for a prompt
 * nobody sees): what a locked keyring hides stays "unknown", and that is said once. */
static void
classify (GListModel *findings,
          gboolean    online,
          gboolean    use_keyring)
{
  g_autoptr(AstraSecretStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) keyring_error = NULL;
  AstraCliWait wait = { NULL };

  /* Without a session bus there is no keyring to ask (and nothing to autolaunch). */
  if (use_keyring && g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    {
      store = astra_secret_store_new ();
      astra_secret_store_set_may_prompt (store, online);
    }

  astra_scan_classify_async (findings, store, online, NULL, astra_cli_async_ready, &wait);
  result = astra_cli_wait (&wait);
  astra_scan_classify_full_finish (result, &keyring_error, NULL);

  if (g_error_matches (keyring_error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_LOCKED) ||
      g_error_matches (keyring_error, ASTRA_SECRET_STORE_ERROR, ASTRA_SECRET_STORE_ERROR_DISMISSED))
    astra_cli_printerr (_("the keyring is locked: tokens it may hold are reported as “unknown”"));
}

/* }}} */

int
astra_cli_scan (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AstraScanner) scanner = NULL;
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = NULL;
  gboolean json = FALSE;
  gboolean offline = FALSE;
  gboolean no_keyring = FALSE;
  gboolean show_skipped = FALSE;
  guint n_live = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("One JSON object per line: path, line, kind, client_id, state, masked"), NULL },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Do not ask the connected organizations which tokens are live, and never prompt to "
         "unlock the keyring"), NULL },
    { "no-keyring", 0, 0, G_OPTION_ARG_NONE, &no_keyring,
      N_("Do not read the keyring at all: every token found is “unknown”"), NULL },
    { "skipped", 0, 0, G_OPTION_ARG_NONE, &show_skipped,
      N_("List what was not read, and why, on standard error"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, N_("[PATH…]") },
    G_OPTION_ENTRY_NULL
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("Finds Astra tokens (AstraCS:…) and portal CSV downloads in plain-text files, by default\n"
      "in the home folder, and says of each whether the keyring holds it, whether a connected\n"
      "organization still lists it (live) or no longer does (revoked), or whether its\n"
      "organization is not connected. Secrets are never printed: tokens are shown masked.\n"
      "Caches, node_modules, virtual environments, .git/objects, binary files and files\n"
      "over 50 MiB are not read; symbolic links are not followed out of the folders given."));
  g_option_context_set_description (context,
    _("Exit status: 0 when no token was found that is not known to be revoked, 1 when one\n"
      "was, 2 on an error (a PATH that cannot be searched), 64 on a wrong command line.\n"
      "Offline or without a keyring the states are “unknown”; the exit status still counts\n"
      "every token found.\n"
      "\n"
      "--offline never prompts to unlock the keyring: it uses what a locked keyring shows\n"
      "without an unlock, and says once on standard error when the keyring is locked.\n"
      "--no-keyring does not ask the keyring at all (nor needs a keyring service), and\n"
      "implies --offline: no organization can be asked without the keyring's tokens.\n"
      "\n"
      "As a git pre-commit hook (.git/hooks/pre-commit, executable), to refuse commits of\n"
      "files that hold a token:\n"
      "\n"
      "  #!/bin/sh\n"
      "  git diff --cached --name-only --diff-filter=ACMR -z |\n"
      "    xargs -0 -r astra-tokens-cli scan --offline --"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!astra_cli_parse_options (context, &argc, &argv))
    return ASTRA_CLI_EXIT_USAGE;

  if (paths == NULL)
    {
      paths = g_new0 (char *, 2);
      paths[0] = g_strdup (g_get_home_dir ());
    }

  scanner = astra_scanner_new ();
  findings = astra_scanner_scan (scanner, (const char * const *) paths, NULL, &error);
  if (show_skipped)
    print_skipped (astra_scanner_get_skipped (scanner));
  if (findings == NULL)
    {
      astra_cli_printerr ("%s", error->message);
      return ASTRA_CLI_EXIT_ERROR;
    }

  if (g_list_model_get_n_items (findings) > 0)
    classify (findings, !offline && !no_keyring, !no_keyring);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i);

      if (json)
        print_json (finding);
      else
        print_human (finding);
      if (astra_scan_finding_get_state (finding) != ASTRA_SCAN_STATE_REVOKED)
        n_live++;
    }

  /* For a person (a pre-commit hook's output): what the lines mean, what to do. */
  if (!json && n_live > 0)
    g_printerr (ngettext ("%u token in plain text is not known to be revoked: move it into the "
                          "keyring with Astra Tokens and use an astra:// reference instead.\n",
                          "%u tokens in plain text are not known to be revoked: move them into the "
                          "keyring with Astra Tokens and use astra:// references instead.\n",
                          n_live),
                n_live);

  return n_live > 0 ? ASTRA_CLI_EXIT_NO : ASTRA_CLI_EXIT_OK;
}

/* test-pgp.c: OpenPGP export and import (astra-pgp.h) against real GnuPG
 *
 * Each run makes its own GnuPG homes under /tmp (short paths: gpg-agent's socket path
 * must fit in 108 bytes) with keys made by `gpg --quick-gen-key` without a passphrase:
 *   A  the user: one key (own, ultimately trusted), plus the public keys of C (imported,
 *      not certified: "not verified"), an expired key and a revoked key of A's own;
 *   B  somebody else, whose files A cannot open.
 * Files are checked with stock gpg as well as with the app's code, and the plaintext is
 * compared byte for byte with the portal CSV the plain export writes. The round trip
 * ends in the private test session's real gnome-keyring (build-aux/with-test-session).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "astra-connection.h"
#include "astra-csv.h"
#include "astra-generated-token.h"
#include "astra-pgp.h"
#include "astra-secret-store.h"
#include "astra-test-async.h"
#include "astra-test-gpg.h"

#define SECRET_1 "sec,ret+\"quoted\""
#define TOKEN_1  "AstraCS:AbCdEfGhIjKlMnOpQrStUvWx:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SECRET_2 "-second-secret"
#define TOKEN_2  "AstraCS:ZyXwVuTsRqPoNmLkJiHgFeDc:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define PASSPHRASE "correct horse battery staple"

static char *home_a;
static char *home_b;
static char *fpr_a;
static char *fpr_expired;
static char *fpr_c;
static char *fpr_revoked;

/* ------------------------------------------------------------------------------------------ */
/* Fixtures                                                                                   */

static GListModel *
make_tokens (void)
{
  GListStore *store = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(AstraGeneratedToken) one = astra_generated_token_new ("client-one", SECRET_1, TOKEN_1);
  g_autoptr(AstraGeneratedToken) two = astra_generated_token_new ("client-two", SECRET_2, TOKEN_2);
  const char *roles_one[] = { "Database Administrator", NULL };
  const char *roles_two[] = { "R/W User", "Read Only User", NULL };

  astra_generated_token_set_role_names (one, roles_one);
  astra_generated_token_set_role_names (two, roles_two);
  g_list_store_append (store, one);
  g_list_store_append (store, two);

  return G_LIST_MODEL (store);
}

/* What the plain export writes for the same tokens. */
static GBytes *
portal_csv (void)
{
  g_autoptr(GListModel) tokens = make_tokens ();

  return astra_csv_format_portal (tokens);
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

static GBytes *
flip_byte (GBytes *bytes,
           gsize   position)
{
  gsize length;
  guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));

  g_assert_cmpuint (position, <, length);
  copy[position] ^= 0x01;
  return g_bytes_new_take (copy, length);
}

static GBytes *
encrypt_for (const char *recipient,
             gboolean    armor)
{
  g_autoptr(GBytes) plain = portal_csv ();
  g_autoptr(GError) error = NULL;
  const char *recipients[] = { recipient, NULL };
  GBytes *cipher = astra_pgp_encrypt (plain, recipients, NULL, armor, NULL, &error);

  g_assert_no_error (error);
  return cipher;
}

/* ------------------------------------------------------------------------------------------ */
/* Keys                                                                                       */

static AstraPgpKey *
find_key (GListModel *keys,
          const char *fingerprint)
{
  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(AstraPgpKey) key = g_list_model_get_item (keys, i);

      if (g_strcmp0 (astra_pgp_key_get_fingerprint (key), fingerprint) == 0)
        return key;
    }
  return NULL;
}

static void
test_keys_list (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(GError) error = NULL;
  AstraPgpKey *own, *expired, *other;

  astra_pgp_list_keys_async (NULL, astra_test_store_result_cb, &result);
  keys = astra_pgp_list_keys_finish (astra_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (keys) == ASTRA_TYPE_PGP_KEY);
  g_assert_cmpuint (g_list_model_get_n_items (keys), ==, 4);

  own = find_key (keys, fpr_a);
  g_assert_nonnull (own);
  g_assert_cmpstr (astra_pgp_key_get_name (own), ==, "Alice Admin");
  g_assert_cmpstr (astra_pgp_key_get_email (own), ==, "alice@example.org");
  g_assert_cmpstr (astra_pgp_key_get_key_id (own), ==, fpr_a + strlen (fpr_a) - 16);
  g_assert_true (astra_pgp_key_is_secret (own));
  g_assert_true (astra_pgp_key_is_usable (own));
  g_assert_null (astra_pgp_key_get_problem (own));

  expired = find_key (keys, fpr_expired);
  g_assert_nonnull (expired);
  g_assert_false (astra_pgp_key_is_usable (expired));
  g_assert_true (astra_pgp_key_get_flags (expired) & ASTRA_PGP_KEY_EXPIRED);
  g_assert_nonnull (astra_pgp_key_get_problem (expired));

  {
    AstraPgpKey *revoked = find_key (keys, fpr_revoked);

    g_assert_nonnull (revoked);
    g_assert_true (astra_pgp_key_get_flags (revoked) & ASTRA_PGP_KEY_REVOKED);
    g_assert_false (astra_pgp_key_is_usable (revoked));
    g_assert_cmpstr (astra_pgp_key_get_problem (revoked), ==, "Revoked");
  }

  /* Imported, nobody certified it: shown, but not to be chosen. */
  other = find_key (keys, fpr_c);
  g_assert_nonnull (other);
  g_assert_false (astra_pgp_key_is_secret (other));
  g_assert_true (astra_pgp_key_get_flags (other) & ASTRA_PGP_KEY_UNTRUSTED);
  g_assert_false (astra_pgp_key_is_usable (other));

  /* Sorted by name: Alice, Carol, Old, Rita. */
  {
    g_autoptr(AstraPgpKey) first = g_list_model_get_item (keys, 0);
    g_autoptr(AstraPgpKey) last = g_list_model_get_item (keys, 2);
    gboolean usable;
    g_autofree char *search = NULL;

    g_assert_true (first == own);
    g_assert_true (last == expired);
    g_object_get (first, "usable", &usable, "search-text", &search, NULL);
    g_assert_true (usable);
    g_assert_nonnull (strstr (search, "alice@example.org"));
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Round trips                                                                                */

static void
test_recipient_round_trip (void)
{
  g_autoptr(GBytes) plain = portal_csv ();
  g_autoptr(GBytes) cipher = encrypt_for ("alice@example.org", FALSE);
  g_autoptr(GBytes) by_gpg = NULL;
  g_autoptr(GBytes) by_app = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (cipher, &length);

  g_assert_true (astra_pgp_is_encrypted (data, length));
  g_assert_null (memmem (data, length, "client-one", 10));
  g_assert_null (memmem (data, length, "AstraCS:", 8));

  by_gpg = astra_test_gpg_run (home_a, cipher, "--decrypt");
  assert_bytes_equal (by_gpg, plain);

  by_app = astra_pgp_decrypt (cipher, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_equal (by_app, plain);
}

static void
test_armor_round_trip (void)
{
  g_autoptr(GBytes) plain = portal_csv ();
  g_autoptr(GBytes) cipher = encrypt_for (fpr_a, TRUE);
  g_autoptr(GBytes) by_gpg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) by_app = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (cipher, &length);

  g_assert_true (g_str_has_prefix ((const char *) data, "-----BEGIN PGP MESSAGE-----"));
  g_assert_true (astra_pgp_is_encrypted (data, length));

  by_gpg = astra_test_gpg_run (home_a, cipher, "--decrypt");
  assert_bytes_equal (by_gpg, plain);

  astra_pgp_decrypt_async (cipher, NULL, NULL, astra_test_store_result_cb, &result);
  by_app = astra_pgp_decrypt_finish (astra_test_wait (&result), &error);
  g_assert_no_error (error);
  assert_bytes_equal (by_app, plain);
}

/* Encrypted for another person, the user's own key is added: A reads back what A sent. */
static void
test_own_key_added (void)
{
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GBytes) packets = NULL;
  g_autofree char *subkey_a = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = portal_csv ();
  const char *recipients[] = { fpr_a, NULL };

  cipher = astra_pgp_encrypt (plain, recipients, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  packets = astra_test_gpg_run (home_a, cipher, "--list-packets", "--list-only");
  /* One recipient given, A's own: listed once, not twice. */
  g_assert_nonnull (strstr (g_bytes_get_data (packets, NULL), ":pubkey enc packet:"));
  g_assert_null (strstr (strstr (g_bytes_get_data (packets, NULL), ":pubkey enc packet:") + 1,
                         ":pubkey enc packet:"));
}

static void
test_passphrase_round_trip (void)
{
  g_autoptr(GBytes) plain = portal_csv ();
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GBytes) by_gpg = NULL;
  g_autoptr(GBytes) by_app = NULL;
  g_autoptr(GBytes) packets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *passphrase_file = NULL;
  int fd;

  cipher = astra_pgp_encrypt (plain, NULL, PASSPHRASE, TRUE, NULL, &error);
  g_assert_no_error (error);

  fd = g_file_open_tmp ("astra-pass-XXXXXX", &passphrase_file, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (passphrase_file, PASSPHRASE "\n", -1, &error);
  g_assert_no_error (error);

  /* What the README tells a teammate to run; B has no key of A's at all. */
  by_gpg = astra_test_gpg_run (home_b, cipher, "--pinentry-mode", "loopback", "--passphrase-file",
                    passphrase_file, "--decrypt");
  assert_bytes_equal (by_gpg, plain);

  /* AES-256 (cipher 9), not whatever a gpg.conf says. */
  packets = astra_test_gpg_run (home_b, cipher, "--pinentry-mode", "loopback", "--passphrase-file",
                     passphrase_file, "--list-packets");
  g_assert_nonnull (strstr (g_bytes_get_data (packets, NULL), "symkey enc packet: version 4, cipher 9"));
  g_unlink (passphrase_file);

  by_app = astra_pgp_decrypt (cipher, PASSPHRASE, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_equal (by_app, plain);

  /* Not cached by the agent: the next file needs the passphrase again. */
  g_clear_pointer (&by_app, g_bytes_unref);
  by_app = astra_pgp_decrypt (cipher, "not the passphrase", NULL, &error);
  g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_BAD_PASSPHRASE);
  g_assert_null (by_app);
}

/* The whole way: keyring → portal CSV → encrypted file → decrypted → parsed → keyring. */
static void
test_keyring_round_trip (void)
{
  g_autoptr(AstraSecretStore) store = astra_secret_store_new ();
  g_autoptr(AstraConnection) connection = NULL;
  g_autoptr(GListModel) tokens = make_tokens ();
  g_autoptr(GListModel) parsed = NULL;
  g_autoptr(GListStore) found = g_list_store_new (ASTRA_TYPE_GENERATED_TOKEN);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) decrypted = NULL;
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = astra_test_gpg_make_home ("apgp-out-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "GeneratedToken.csv.gpg", NULL);
  g_autofree char *org_id = g_uuid_string_random ();
  const char *recipients[] = { fpr_a, NULL };
  char *contents = NULL;
  gsize length;

  connection = astra_connection_new (org_id, "Test Org", ASTRA_ENVIRONMENT_PRODUCTION, NULL);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(AstraGeneratedToken) token = g_list_model_get_item (tokens, i);
      g_autoptr(GAsyncResult) result = NULL;

      astra_secret_store_save_generated_async (store, connection, token, NULL, astra_test_store_result_cb, &result);
      g_assert_true (astra_secret_store_save_generated_finish (store, astra_test_wait (&result), &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(AstraGeneratedToken) token = g_list_model_get_item (tokens, i);
      g_autoptr(AstraGeneratedToken) stored = NULL;
      g_autoptr(GAsyncResult) result = NULL;

      astra_secret_store_lookup_generated_async (store, org_id,
                                                 astra_generated_token_get_client_id (token),
                                                 NULL, astra_test_store_result_cb, &result);
      stored = astra_secret_store_lookup_generated_finish (store, astra_test_wait (&result), &error);
      g_assert_no_error (error);
      g_list_store_append (found, stored);
    }

  plain = astra_csv_format_portal (G_LIST_MODEL (found));
  file = g_file_new_for_path (path);
  {
    g_autoptr(GAsyncResult) result = NULL;

    astra_pgp_encrypt_to_file_async (plain, recipients, NULL, FALSE, file, NULL, astra_test_store_result_cb, &result);
    g_assert_true (astra_pgp_encrypt_to_file_finish (astra_test_wait (&result), &error));
    g_assert_no_error (error);
  }

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  cipher = g_bytes_new_take (contents, length);
  decrypted = astra_pgp_decrypt (cipher, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_equal (decrypted, plain);

  parsed = astra_csv_parse_portal (g_bytes_get_data (decrypted, NULL), g_bytes_get_size (decrypted), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (parsed), ==, 2);
  {
    g_autoptr(AstraGeneratedToken) first = g_list_model_get_item (parsed, 0);

    g_assert_cmpstr (astra_generated_token_get_secret (first), ==, SECRET_1);
    g_assert_cmpstr (astra_generated_token_get_token (first), ==, TOKEN_1);
  }

  g_unlink (path);
  g_rmdir (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                     */

static void
test_error_no_key (void)
{
  g_autoptr(GBytes) plain = portal_csv ();
  g_autoptr(GError) error = NULL;
  const char *nobody[] = { "nobody@example.org", NULL };
  const char *expired[] = { fpr_expired, NULL };
  const char *untrusted[] = { fpr_c, NULL };
  const char *revoked[] = { fpr_revoked, NULL };
  GBytes *cipher;

  cipher = astra_pgp_encrypt (plain, nobody, NULL, FALSE, NULL, &error);
  g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "nobody@example.org"));
  g_assert_null (cipher);
  g_clear_error (&error);

  cipher = astra_pgp_encrypt (plain, expired, NULL, FALSE, NULL, &error);
  g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "Expired"));
  g_assert_null (cipher);
  g_clear_error (&error);

  cipher = astra_pgp_encrypt (plain, untrusted, NULL, FALSE, NULL, &error);
  g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "Not verified"));
  g_assert_null (cipher);
  g_clear_error (&error);

  cipher = astra_pgp_encrypt (plain, revoked, NULL, FALSE, NULL, &error);
  g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "Revoked"));
  g_assert_null (cipher);
}

static void
test_error_someone_else (void)
{
  g_autoptr(GBytes) plain = portal_csv ();
  g_autoptr(GBytes) cipher = NULL;
  g_autoptr(GBytes) result = NULL;
  g_autoptr(GError) error = NULL;

  /* B encrypts for B's own key; A has no key that opens it. */
  cipher = astra_test_gpg_run (home_b, plain, "--encrypt", "--default-recipient-self");
  result = astra_pgp_decrypt (cipher, NULL, NULL, &error);
  g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_SECRET_KEY);
  g_assert_null (result);
}

static void
test_error_damaged (void)
{
  g_autoptr(GBytes) cipher = encrypt_for (fpr_a, FALSE);
  g_autoptr(GBytes) armored = encrypt_for (fpr_a, TRUE);
  gsize length = g_bytes_get_size (cipher);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (cipher, 0, length * 2 / 3);
  g_autoptr(GBytes) flipped = flip_byte (cipher, length - 10);
  g_autoptr(GBytes) flipped_armor = flip_byte (armored, g_bytes_get_size (armored) - 60);
  g_autoptr(GBytes) plain = portal_csv ();
  GBytes *cases[] = { truncated, flipped, flipped_armor, plain };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) result = astra_pgp_decrypt (cases[i], NULL, NULL, &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(none)");
      g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_BAD_DATA);
      g_assert_null (result);
    }
}

/* A failed export leaves nothing behind: no file, no temporary file. */
static void
test_error_no_leftovers (void)
{
  g_autoptr(GBytes) plain = portal_csv ();
  g_autofree char *dir = astra_test_gpg_make_home ("apgp-out-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "GeneratedToken.csv.gpg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *nobody[] = { "nobody@example.org", NULL };

  astra_pgp_encrypt_to_file_async (plain, nobody, NULL, FALSE, file, NULL, astra_test_store_result_cb, &result);
  g_assert_false (astra_pgp_encrypt_to_file_finish (astra_test_wait (&result), &error));
  g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_KEY);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  astra_pgp_encrypt_to_file_async (plain, NULL, PASSPHRASE, FALSE, file, cancellable,
                                   astra_test_store_result_cb, &cancelled_result);
  g_assert_false (astra_pgp_encrypt_to_file_finish (astra_test_wait (&cancelled_result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
  g_rmdir (dir);
}

/* In a process of its own: gpgme keeps GnuPG's folders for the process's lifetime. */
static void
test_error_no_agent (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *home = astra_test_gpg_make_home ("apgp-n-XXXXXX");
      g_autofree char *command = g_strdup_printf ("cp -a %s/. %s/", home_a, home);
      g_autofree char *conf = g_build_filename (home, "gpg.conf", NULL);
      g_autoptr(GBytes) plain = portal_csv ();
      g_autoptr(GBytes) cipher = NULL;
      g_autoptr(GBytes) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* By stock gpg: GPGME must first run with the copied home (it keeps its folders). */
      cipher = astra_test_gpg_run (home_a, plain, "--encrypt", "--recipient", fpr_a);
      g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
      /* The copy must not reach A's running agent through a copied socket. */
      dir = g_dir_open (home, 0, NULL);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, "S."))
          {
            g_autofree char *socket = g_build_filename (home, name, NULL);
            g_unlink (socket);
          }
      g_file_set_contents (conf, "agent-program /nonexistent/gpg-agent\n", -1, &error);
      g_assert_no_error (error);
      g_setenv ("GNUPGHOME", home, TRUE);

      result = astra_pgp_decrypt (cipher, NULL, NULL, &error);
      g_test_message ("%s", error != NULL ? error->message : "(none)");
      astra_test_gpg_remove_home (home);
      g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_AGENT);
      g_assert_null (result);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A pinentry that answers every question with "cancelled", as when the user presses
 * Cancel in gpg-agent's dialog: not a failure, and said so. */
static void
test_error_pinentry_cancelled (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *home = astra_test_gpg_make_home ("apgp-p-XXXXXX");
      g_autofree char *pinentry = g_build_filename (home, "pinentry-cancel", NULL);
      g_autofree char *agent_conf = g_build_filename (home, "gpg-agent.conf", NULL);
      g_autofree char *agent_line = g_strdup_printf ("pinentry-program %s\n", pinentry);
      g_autoptr(GBytes) plain = portal_csv ();
      g_autoptr(GBytes) cipher = NULL;
      g_autoptr(GBytes) result = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      g_file_set_contents (pinentry,
                           "#!/bin/sh\n"
                           "echo 'OK Pleased to meet you'\n"
                           "while read -r command rest; do\n"
                           "  case $command in\n"
                           "    GETPIN) echo 'ERR 83886179 Operation cancelled <Pinentry>' ;;\n"
                           "    BYE) echo OK; exit 0 ;;\n"
                           "    *) echo OK ;;\n"
                           "  esac\n"
                           "done\n", -1, &error);
      g_assert_no_error (error);
      g_chmod (pinentry, 0700);
      g_file_set_contents (agent_conf, agent_line, -1, &error);
      g_assert_no_error (error);

      /* A key with a passphrase, so that decrypting needs the pinentry. */
      g_bytes_unref (astra_test_gpg_run_full (home, NULL, &status, "--passphrase", "secret words",
                                   "--pinentry-mode", "loopback", "--quick-gen-key",
                                   "Dana <dana@example.org>", "future-default", "default",
                                   "never", NULL));
      g_assert_cmpint (status, ==, 0);
      cipher = astra_test_gpg_run (home, plain, "--encrypt", "--recipient", "dana@example.org");
      g_setenv ("GNUPGHOME", home, TRUE);

      result = astra_pgp_decrypt (cipher, NULL, NULL, &error);
      astra_test_gpg_remove_home (home);
      g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_CANCELLED);
      g_assert_null (result);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_error_broken_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *home = astra_test_gpg_make_home ("apgp-k-XXXXXX");
      g_autofree char *ring = g_build_filename (home, "pubring.kbx", NULL);
      g_autoptr(GListModel) keys = NULL;
      g_autoptr(GError) error = NULL;

      g_file_set_contents (ring, "KBXf this is not a keybox at all, nor any keyring.", -1, &error);
      g_assert_no_error (error);
      g_setenv ("GNUPGHOME", home, TRUE);

      keys = astra_pgp_list_keys (NULL, &error);
      astra_test_gpg_remove_home (home);
      g_assert_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_KEYRING);
      g_assert_null (keys);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* ------------------------------------------------------------------------------------------ */

/* Imports the revocation certificate gpg made with the key. gpg writes it with a colon
 * before the armor line, so that it is not imported by accident. */
static void
revoke_key (const char *home,
            const char *fingerprint)
{
  g_autofree char *name = g_strconcat (fingerprint, ".rev", NULL);
  g_autofree char *path = g_build_filename (home, "openpgp-revocs.d", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) certificate = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  certificate = g_string_new (contents);
  g_string_replace (certificate, ":-----BEGIN PGP PUBLIC KEY BLOCK-----",
                    "-----BEGIN PGP PUBLIC KEY BLOCK-----", 1);
  input = g_bytes_new (certificate->str, certificate->len);
  g_bytes_unref (astra_test_gpg_run (home, input, "--import"));
}

static void
set_up_homes (void)
{
  g_autoptr(GBytes) public_c = NULL;
  g_autofree char *home_c = astra_test_gpg_make_home ("apgp-c-XXXXXX");

  home_a = astra_test_gpg_make_home ("apgp-a-XXXXXX");
  home_b = astra_test_gpg_make_home ("apgp-b-XXXXXX");

  fpr_a = astra_test_gpg_generate_key (home_a, "Alice Admin <alice@example.org>", "never", NULL);
  fpr_expired = astra_test_gpg_generate_key (home_a, "Old Key <old@example.org>", "1d", "20200101T000000");
  g_free (astra_test_gpg_generate_key (home_b, "Bob Other <bob@example.org>", "never", NULL));
  fpr_revoked = astra_test_gpg_generate_key (home_a, "Rita Revoked <rita@example.org>", "never", NULL);
  revoke_key (home_a, fpr_revoked);
  fpr_c = astra_test_gpg_generate_key (home_c, "Carol Colleague <carol@example.org>", "never", NULL);

  public_c = astra_test_gpg_run (home_c, NULL, "--export", fpr_c);
  g_bytes_unref (astra_test_gpg_run (home_a, public_c, "--import"));
  astra_test_gpg_remove_home (home_c);

  /* The code under test finds GnuPG like the app: through GNUPGHOME. */
  g_setenv ("GNUPGHOME", home_a, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!g_test_subprocess () || g_getenv ("ASTRA_TEST_PGP_HOME_A") == NULL)
    {
      set_up_homes ();
      g_setenv ("ASTRA_TEST_PGP_HOME_A", home_a, TRUE);
      g_setenv ("ASTRA_TEST_PGP_FPR_A", fpr_a, TRUE);
    }
  else
    {
      home_a = g_strdup (g_getenv ("ASTRA_TEST_PGP_HOME_A"));
      fpr_a = g_strdup (g_getenv ("ASTRA_TEST_PGP_FPR_A"));
    }

  g_test_add_func ("/pgp/keys/list", test_keys_list);
  g_test_add_func ("/pgp/round-trip/recipient", test_recipient_round_trip);
  g_test_add_func ("/pgp/round-trip/armor", test_armor_round_trip);
  g_test_add_func ("/pgp/round-trip/own-key-once", test_own_key_added);
  g_test_add_func ("/pgp/round-trip/passphrase", test_passphrase_round_trip);
  g_test_add_func ("/pgp/round-trip/keyring", test_keyring_round_trip);
  g_test_add_func ("/pgp/error/no-key", test_error_no_key);
  g_test_add_func ("/pgp/error/someone-else", test_error_someone_else);
  g_test_add_func ("/pgp/error/damaged", test_error_damaged);
  g_test_add_func ("/pgp/error/no-leftovers", test_error_no_leftovers);
  g_test_add_func ("/pgp/error/no-agent", test_error_no_agent);
  g_test_add_func ("/pgp/error/broken-keyring", test_error_broken_keyring);
  g_test_add_func ("/pgp/error/pinentry-cancelled", test_error_pinentry_cancelled);

  status = g_test_run ();

  if (!g_test_subprocess ())
    {
      astra_test_gpg_remove_home (home_a);
      astra_test_gpg_remove_home (home_b);
    }
  return status;
}

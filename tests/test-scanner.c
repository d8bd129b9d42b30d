/* test-scanner.c: the plain-text token scanner (astra-scanner.h) over trees written here
 *
 * Each test writes its own tree in a fresh temporary folder: tokens in every kind of file,
 * decoys, and everything the scanner must skip or never open (FIFOs, loops, 60 MiB files,
 * node_modules…). What the scanner reports is checked against what was planted, byte
 * offsets included, since the findings page rewrites exactly those bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "astra-enum-types.h"
#include "astra-scan-classify.h"
#include "astra-scanner.h"
#include "astra-token-format.h"

#define BLOCK 262144   /* the readers' block size (astra-scan-read.c) */

typedef struct
{
  char *root;
  guint serial;
} Fixture;

/* Helpers {{{ */

/* A token whose client id is 24 letters derived from @n, and its secret. */
static char *
make_token (guint  n,
            char **client_id_out,
            char **secret_out)
{
  char client_id[25];
  g_autofree char *secret = g_strdup_printf ("s3cr,et-%u+%s", n, "abcdefghijklmnopqrstuvwxyz");

  for (guint i = 0; i < 24; i++)
    client_id[i] = (i % 2 ? 'a' : 'A') + (n * 7 + i * 3) % 26;
  client_id[24] = '\0';
  if (client_id_out != NULL)
    *client_id_out = g_strdup (client_id);
  if (secret_out != NULL)
    *secret_out = g_strdup (secret);
  return astra_token_format_compose (client_id, secret);
}

static char *
write_file (Fixture    *fixture,
            const char *relative,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (fixture->root, relative, NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static GListModel *
scan (const char    *root,
      AstraScanner **scanner_out)
{
  g_autoptr(AstraScanner) scanner = astra_scanner_new ();
  g_autoptr(GError) error = NULL;
  const char *roots[] = { root, NULL };
  GListModel *findings;

  findings = astra_scanner_scan (scanner, roots, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (findings);
  if (scanner_out != NULL)
    *scanner_out = g_steal_pointer (&scanner);
  return findings;
}

static AstraScanFinding *
find (GListModel *findings,
      const char *client_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i);

      if (g_str_equal (astra_scan_finding_get_client_id (finding), client_id))
        return finding;   /* the model keeps its reference */
    }
  return NULL;
}

static AstraScanSkip *
find_skip (AstraScanner *scanner,
           const char   *path)
{
  GListModel *skipped = astra_scanner_get_skipped (scanner);

  for (guint i = 0; i < g_list_model_get_n_items (skipped); i++)
    {
      g_autoptr(AstraScanSkip) skip = g_list_model_get_item (skipped, i);

      if (g_str_equal (astra_scan_skip_get_path (skip), path))
        return skip;
    }
  return NULL;
}

/* The finding's byte span holds exactly @value in the file. */
static void
assert_span (AstraScanFinding *finding,
             const char       *value)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (astra_scan_finding_get_path (finding), &contents, &length, NULL));
  g_assert_cmpuint (astra_scan_finding_get_file_size (finding), ==, length);
  g_assert_cmpuint (astra_scan_finding_get_value_length (finding), ==, strlen (value));
  g_assert_cmpuint (astra_scan_finding_get_value_offset (finding) + strlen (value), <=, length);
  g_assert_cmpmem (contents + astra_scan_finding_get_value_offset (finding), strlen (value),
                   value, strlen (value));
}

static void
assert_finding (GListModel    *findings,
                const char    *client_id,
                const char    *path_suffix,
                guint          line,
                AstraScanKind  kind,
                const char    *variable)
{
  AstraScanFinding *finding = find (findings, client_id);

  g_assert_nonnull (finding);
  g_assert_true (g_str_has_suffix (astra_scan_finding_get_path (finding), path_suffix));
  g_assert_cmpuint (astra_scan_finding_get_line (finding), ==, line);
  g_assert_cmpint (astra_scan_finding_get_kind (finding), ==, kind);
  g_assert_cmpstr (astra_scan_finding_get_variable (finding), ==, variable);
  g_assert_cmpint (astra_scan_finding_get_state (finding), ==, ASTRA_SCAN_STATE_UNKNOWN);
}

/* }}} */
/* Fixture {{{ */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("test-scanner-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autofree char *command = g_strdup_printf ("chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", path, path);

  g_assert_cmpint (system (command), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *outside = g_strconcat (fixture->root, "-outside", NULL);

  remove_tree (fixture->root);
  remove_tree (outside);
  g_free (fixture->root);
}

/* }}} */
/* Tests {{{ */

static void
test_kinds (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(GStrv) id = g_new0 (char *, 9 + 1);
  g_auto(GStrv) secret = g_new0 (char *, 9 + 1);
  g_auto(GStrv) token = g_new0 (char *, 9 + 1);
  g_autofree char *env = NULL, *bashrc = NULL, *astrarc = NULL, *csv = NULL;
  g_autofree char *json = NULL, *notebook = NULL, *mixed = NULL;
  g_autofree char *masked0 = NULL, *masked3 = NULL;
  g_autoptr(GListModel) findings = NULL;
  AstraScanFinding *finding;

  for (guint i = 0; i < 9; i++)
    token[i] = make_token (i, &id[i], &secret[i]);
  masked0 = astra_token_format_mask (token[0]);
  masked3 = astra_token_format_mask (token[3]);

  env = g_strdup_printf ("# app\nASTRA_DB_ID=42\nASTRA_DB_APPLICATION_TOKEN=%s\n", token[0]);
  g_free (write_file (fixture, "project/.env", env, -1));
  bashrc = g_strdup_printf ("alias l=ls\nexport ASTRA_TOKEN=\"%s\"\n", token[1]);
  g_free (write_file (fixture, ".bashrc", bashrc, -1));
  astrarc = g_strdup_printf ("[default]\nASTRA_DB_APPLICATION_TOKEN=AstraCS:old\n\n [dev]\n"
                             "ASTRA_DB_APPLICATION_TOKEN=%s\n", token[2]);
  g_free (write_file (fixture, ".astrarc", astrarc, -1));
  csv = g_strdup_printf ("\xEF\xBB\xBF\"Client Id\",\"Client Secret\",\"Role\",\"Token\"\r\n"
                         "\"%s\",\"%s\",\"Database Administrator, R&D Admin\",\"%s\"\r\n"
                         "\"%s\",\"%s\",\"\",\"\"\r\n",
                         id[3], secret[3], token[3], id[4], secret[4]);
  g_free (write_file (fixture, "Downloads/GeneratedToken.csv", csv, -1));
  json = g_strdup_printf ("{\n  \"astra\": {\n    \"token\": \"%s\"\n  }\n}\n", token[5]);
  g_free (write_file (fixture, "project/config.json", json, -1));
  notebook = g_strdup_printf ("{\"cells\": [{\"source\": [\"import os\\n\",\n"
                              "\"os.environ['T'] = '%s'\\n\"]}]}\n", token[6]);
  g_free (write_file (fixture, "nb/explore.ipynb", notebook, -1));
  /* Not exported: a shell variable is a plain token, not a shell export. */
  mixed = g_strdup_printf ("#!/bin/sh\nT=%s ./run\n\n  export  B=%s\n", token[7], token[8]);
  g_free (write_file (fixture, "bin/run.sh", mixed, -1));

  findings = scan (fixture->root, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 9);

  assert_finding (findings, id[0], "/project/.env", 3, ASTRA_SCAN_KIND_DOTENV, "ASTRA_DB_APPLICATION_TOKEN");
  assert_finding (findings, id[1], "/.bashrc", 2, ASTRA_SCAN_KIND_SHELL_EXPORT, "ASTRA_TOKEN");
  assert_finding (findings, id[2], "/.astrarc", 5, ASTRA_SCAN_KIND_ASTRARC_PROFILE, "ASTRA_DB_APPLICATION_TOKEN");
  g_assert_cmpstr (astra_scan_finding_get_section (find (findings, id[2])), ==, "dev");
  g_assert_null (astra_scan_finding_get_section (find (findings, id[0])));
  assert_finding (findings, id[3], "/Downloads/GeneratedToken.csv", 2, ASTRA_SCAN_KIND_PORTAL_CSV_SECRET, NULL);
  assert_finding (findings, id[4], "/Downloads/GeneratedToken.csv", 3, ASTRA_SCAN_KIND_PORTAL_CSV_SECRET, NULL);
  assert_finding (findings, id[5], "/project/config.json", 3, ASTRA_SCAN_KIND_TOKEN, NULL);
  assert_finding (findings, id[6], "/nb/explore.ipynb", 2, ASTRA_SCAN_KIND_TOKEN, NULL);
  assert_finding (findings, id[7], "/bin/run.sh", 2, ASTRA_SCAN_KIND_TOKEN, NULL);
  assert_finding (findings, id[8], "/bin/run.sh", 4, ASTRA_SCAN_KIND_SHELL_EXPORT, "B");

  /* The span is the value to rewrite: the token, or a portal row's client secret. */
  for (guint i = 0; i < 9; i++)
    assert_span (find (findings, id[i]), i == 3 || i == 4 ? secret[i] : token[i]);

  /* Masked like astra-cli; a row without a token shows only the end of its secret. */
  finding = find (findings, id[0]);
  g_assert_cmpstr (astra_scan_finding_get_masked (finding), ==, masked0);
  finding = find (findings, id[4]);
  g_assert_true (g_str_has_prefix (astra_scan_finding_get_masked (finding), "****"));
  g_assert_null (strstr (secret[4], astra_scan_finding_get_masked (finding)) );
  finding = find (findings, id[3]);
  g_assert_cmpstr (astra_scan_finding_get_masked (finding), ==, masked3);
  g_assert_cmpstr (astra_scan_finding_get_role_names (finding)[1], ==, "R&D Admin");
}

static void
test_decoys (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *client_id = NULL;
  g_autofree char *token = make_token (1, &client_id, NULL);
  const char *hash = token + strlen ("AstraCS:") + 25;
  g_autofree char *upper = g_ascii_strup (hash, -1);
  g_autoptr(GString) decoys = g_string_new (NULL);
  g_autoptr(GListModel) findings = NULL;

  g_string_append_printf (decoys, "AstraCS:%.23s:%s\n", client_id, hash);      /* id too short */
  g_string_append_printf (decoys, "AstraCS:%sX:%s\n", client_id, hash);        /* id too long */
  g_string_append_printf (decoys, "AstraCS:%s:%.63s\n", client_id, hash);      /* hash too short */
  g_string_append_printf (decoys, "AstraCS:%s:%s\n", client_id, upper);        /* upper-case hex */
  g_string_append_printf (decoys, "AstraCS:%s:%s0fa9\n", client_id, hash);     /* longer hex run */
  g_string_append_printf (decoys, "AstraCS:%s:%sZz\n", client_id, hash);       /* longer letter run */
  g_string_append_printf (decoys, "AstraCS:%s:%.20s\n%s\n", client_id, hash, hash + 20); /* split */
  g_string_append_printf (decoys, "AstraCS:%s:%.20s\\\n%s\n", client_id, hash, hash + 20); /* continued */
  g_string_append_printf (decoys, "AstraCS:%s;%s\n", client_id, hash);
  g_string_append (decoys, "AstraCS:AstraCS:AstraCS:\n");
  g_string_append_printf (decoys, "word%s\n", token);                        /* glued to a word */
  g_string_append_printf (decoys, "0fa9%s.\n", token);                       /* in a hex run */
  g_free (write_file (fixture, "decoys.txt", decoys->str, -1));
  /* A token cut short by the end of the file. */
  g_free (write_file (fixture, "cut.txt", token, ASTRA_TOKEN_LENGTH - 1));

  findings = scan (fixture->root, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 0);

  /* …and the same tree with one real token among the decoys finds exactly that one. */
  g_string_append_printf (decoys, "real: %s.\n", token);
  g_free (write_file (fixture, "decoys.txt", decoys->str, -1));
  g_clear_object (&findings);
  findings = scan (fixture->root, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 1);
  assert_span (find (findings, client_id), token);

  /* After an escape, a token is not glued to a word: in a JSON string, in a URL. */
  {
    g_autofree char *escaped = g_strdup_printf ("{\"log\": \"connected\\n%s\"}\n"
                                                "https://example.com/?auth=token%%3A%s\n",
                                                token, token);

    g_free (write_file (fixture, "escaped.json", escaped, -1));
    g_clear_object (&findings);
    findings = scan (fixture->root, NULL);
    g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 3);
  }
}

static void
test_skips (Fixture       *fixture,
            gconstpointer  data)
{
  const char *hidden[] = {
    "node_modules/pkg/.env", ".git/objects/ab/cdef", "venv/lib/settings.py", ".cache/t.txt",
    "app/__pycache__/t.txt", "build/tagged/t.txt", "Pictures/image.png",
  };
  g_autofree char *keep_id = NULL;
  g_autofree char *keep = make_token (100, &keep_id, NULL);
  g_autofree char *git_config = NULL, *outside = NULL, *link = NULL, *loop = NULL;
  g_autofree char *fifo = NULL, *large = NULL, *keep_file = NULL;
  g_autoptr(AstraScanner) scanner = NULL;
  g_autoptr(GListModel) findings = NULL;
  AstraScanSkip *skip;
  int fd;

  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    {
      g_autofree char *token = make_token (i, NULL, NULL);
      g_autoptr(GString) contents = g_string_new (NULL);

      if (i == 6)   /* a binary file: a NUL byte before the token */
        g_string_append_len (contents, "\x89PNG\r\n\x1a\n\0\0", 10);
      g_string_append_printf (contents, "T=%s\n", token);
      g_free (write_file (fixture, hidden[i], contents->str, contents->len));
    }
  g_free (write_file (fixture, "venv/pyvenv.cfg", "home = /usr/bin\n", -1));
  g_free (write_file (fixture, "build/tagged/CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n", -1));
  /* .git/config is read: a token in a remote's URL is a leak like any other. */
  git_config = g_strdup_printf ("[remote \"o\"]\n\turl = https://token:%s@example.com/r\n", keep);
  keep_file = write_file (fixture, ".git/config", git_config, -1);

  /* Outside the tree, behind a link; and a link to a folder around it. */
  outside = g_strconcat (fixture->root, "-outside", NULL);
  g_assert_cmpint (g_mkdir_with_parents (outside, 0700), ==, 0);
  {
    g_autofree char *token = make_token (200, NULL, NULL);
    g_autofree char *path = g_build_filename (outside, ".env", NULL);

    g_assert_true (g_file_set_contents (path, token, -1, NULL));
  }
  link = g_build_filename (fixture->root, "link-out", NULL);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  loop = g_build_filename (fixture->root, "app", "loop", NULL);
  g_assert_cmpint (symlink ("..", loop), ==, 0);
  {
    g_autofree char *a = g_build_filename (fixture->root, "a", NULL);
    g_autofree char *b = g_build_filename (fixture->root, "b", NULL);

    g_assert_cmpint (symlink (b, a), ==, 0);
    g_assert_cmpint (symlink (a, b), ==, 0);
  }

  /* A FIFO nobody writes to: opening it for reading would block the scan forever. */
  fifo = g_build_filename (fixture->root, "app", "fifo", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  /* 60 MiB with a token at its very end. */
  large = g_build_filename (fixture->root, "large.log", NULL);
  fd = open (large, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  {
    g_autofree char *token = make_token (300, NULL, NULL);
    g_assert_cmpint (pwrite (fd, token, strlen (token), 60 * 1024 * 1024), ==, strlen (token));
  }
  close (fd);

  findings = scan (fixture->root, &scanner);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 1);
  g_assert_nonnull (find (findings, keep_id));
  g_assert_cmpstr (astra_scan_finding_get_path (find (findings, keep_id)), ==, keep_file);

  {
    const struct { const char *path; AstraScanSkipReason reason; } expected[] = {
      { "node_modules", ASTRA_SCAN_SKIP_EXCLUDED },
      { ".git/objects", ASTRA_SCAN_SKIP_EXCLUDED },
      { "venv", ASTRA_SCAN_SKIP_EXCLUDED },
      { ".cache", ASTRA_SCAN_SKIP_EXCLUDED },
      { "app/__pycache__", ASTRA_SCAN_SKIP_EXCLUDED },
      { "build/tagged", ASTRA_SCAN_SKIP_EXCLUDED },
      { "Pictures/image.png", ASTRA_SCAN_SKIP_BINARY },
      { "link-out", ASTRA_SCAN_SKIP_SYMLINK_OUTSIDE },
      { "app/loop", ASTRA_SCAN_SKIP_SYMLINK_LOOP },
      { "a", ASTRA_SCAN_SKIP_SYMLINK_LOOP },
      { "app/fifo", ASTRA_SCAN_SKIP_SPECIAL },
      { "large.log", ASTRA_SCAN_SKIP_TOO_LARGE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_autofree char *path = g_build_filename (fixture->root, expected[i].path, NULL);

        skip = find_skip (scanner, path);
        if (skip == NULL)
          g_error ("%s was not reported as skipped", expected[i].path);
        g_assert_cmpint (astra_scan_skip_get_reason (skip), ==, expected[i].reason);
        g_assert_cmpstr (astra_scan_skip_get_message (skip), !=, "");
      }
  }
}

static void
test_keyrings_folder (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  g_autofree char *file = g_build_filename (keyrings, "login.keyring", NULL);
  g_autofree char *token = make_token (7, NULL, NULL);
  g_autoptr(AstraScanner) scanner = NULL;
  g_autoptr(GListModel) findings = NULL;
  AstraScanSkip *skip;

  g_assert_cmpint (g_mkdir_with_parents (keyrings, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, token, -1, NULL));

  findings = scan (g_get_user_data_dir (), &scanner);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 0);
  skip = find_skip (scanner, keyrings);
  g_assert_nonnull (skip);
  g_assert_cmpint (astra_scan_skip_get_reason (skip), ==, ASTRA_SCAN_SKIP_EXCLUDED);
}

/* Unreadable files and folders are skipped with the reason. Root reads whatever the mode
 * says, so as root (CI) the scan runs in a subprocess that has become "nobody" after
 * handing the tree over to it. */
static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *file = NULL;
  g_autofree char *folder_file = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(AstraScanner) scanner = NULL;
  g_autoptr(GListModel) findings = NULL;
  AstraScanSkip *skip;

  if (geteuid () == 0 && !g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  token = make_token (9, NULL, NULL);
  file = write_file (fixture, "secret.env", token, -1);
  folder_file = write_file (fixture, "closed/t.env", token, -1);
  folder = g_path_get_dirname (folder_file);
  g_assert_cmpint (chmod (file, 0), ==, 0);
  g_assert_cmpint (chmod (folder, 0), ==, 0);

  if (geteuid () == 0)
    {
      const uid_t nobody = 65534;
      g_autofree char *command = g_strdup_printf ("chown -R %u:%u '%s'", nobody, nobody, fixture->root);

      g_assert_cmpint (system (command), ==, 0);
      g_assert_cmpint (setgid (nobody), ==, 0);
      g_assert_cmpint (setuid (nobody), ==, 0);
    }

  findings = scan (fixture->root, &scanner);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 0);
  skip = find_skip (scanner, file);
  g_assert_nonnull (skip);
  g_assert_cmpint (astra_scan_skip_get_reason (skip), ==, ASTRA_SCAN_SKIP_UNREADABLE);
  g_assert_cmpstr (astra_scan_skip_get_message (skip), ==, g_strerror (EACCES));
  skip = find_skip (scanner, folder);
  g_assert_nonnull (skip);
  g_assert_cmpint (astra_scan_skip_get_reason (skip), ==, ASTRA_SCAN_SKIP_UNREADABLE);
}

/* A token across a read-block boundary, at every possible cut; and a token after the
 * first block (the file is then read whole for its line number). */
static void
test_block_boundary (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *client_id = NULL;
  g_autofree char *token = make_token (11, &client_id, NULL);
  gsize line_length = 64;

  for (gsize cut = 0; cut <= ASTRA_TOKEN_LENGTH + 1; cut += (cut < 10 || cut > 88) ? 1 : 13)
    {
      g_autoptr(GString) contents = g_string_new (NULL);
      g_autoptr(GListModel) findings = NULL;
      g_autofree char *name = g_strdup_printf ("cut-%02zu.txt", cut);
      g_autofree char *path = NULL;
      AstraScanFinding *finding;
      guint lines;

      /* Whole lines up to BLOCK - cut, then the token, then more lines. */
      while (contents->len + line_length <= BLOCK - cut)
        {
          g_string_append_len (contents, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.", line_length - 1);
          g_string_append_c (contents, '\n');
        }
      lines = contents->len / line_length;
      while (contents->len < BLOCK - cut)
        g_string_append_c (contents, ' ');
      g_string_append (contents, token);
      g_string_append (contents, "\nend\n");
      for (guint i = 0; i < 5000; i++)
        g_string_append (contents, "more text after the token, so the file spans blocks\n");

      path = write_file (fixture, name, contents->str, contents->len);
      findings = scan (path, NULL);
      g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 1);
      finding = find (findings, client_id);
      g_assert_nonnull (finding);
      g_assert_cmpuint (astra_scan_finding_get_line (finding), ==, lines + 1);
      g_assert_cmpuint (astra_scan_finding_get_value_offset (finding), ==, BLOCK - cut);
      assert_span (finding, token);
    }
}

/* A word glued to a token is seen across a block boundary too, at every cut of the word:
 * the fast search carries the bytes before a token over to the next block, and the analysis
 * of a whole file has the final say. */
static void
test_block_boundary_glued (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *token = make_token (12, NULL, NULL);

  for (gsize cut = 0; cut <= 4; cut++)
    {
      g_autoptr(GString) contents = g_string_new (NULL);
      g_autoptr(GListModel) findings = NULL;
      g_autofree char *path = NULL;

      while (contents->len < BLOCK + cut - 4)
        g_string_append_c (contents, contents->len % 64 == 63 ? '\n' : ' ');
      g_string_append (contents, "word");   /* "word" ends at BLOCK + cut */
      g_string_append (contents, token);
      g_string_append (contents, "\n");
      path = write_file (fixture, "glued.txt", contents->str, contents->len);
      findings = scan (path, NULL);
      g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 0);
    }
}

static void
on_running_cb (GObject    *scanner,
               GParamSpec *pspec,
               gpointer    user_data)
{
  if (astra_scanner_get_running (ASTRA_SCANNER (scanner)))
    g_cancellable_cancel (user_data);
}

static void
on_scan_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
write_many (Fixture *fixture,
            guint    n_files)
{
  g_autofree char *token = make_token (21, NULL, NULL);
  g_autofree char *filler = g_strnfill (4000, 'x');
  g_autofree char *text = g_strdup_printf ("%s\n%s\n", filler, token);

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_strdup_printf ("d%02u/f%04u.txt", i % 50, i);

      g_free (write_file (fixture, name, text, -1));
    }
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_async_progress (Fixture       *fixture,
                     gconstpointer  data)
{
  guint folders_notified = 0;
  g_autoptr(AstraScanner) scanner = astra_scanner_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GError) error = NULL;
  const char *roots[] = { fixture->root, NULL };

  write_many (fixture, 300);
  g_signal_connect_swapped (scanner, "notify::current-folder", G_CALLBACK (count_cb), &folders_notified);
  astra_scanner_scan_async (scanner, roots, NULL, on_scan_done_cb, &result);
  g_assert_true (astra_scanner_get_running (scanner));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  findings = astra_scanner_scan_finish (scanner, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 300);
  g_assert_false (astra_scanner_get_running (scanner));
  g_assert_cmpuint (astra_scanner_get_files_read (scanner), ==, 300);
  g_assert_cmpuint (astra_scanner_get_bytes_read (scanner), ==, 300 * (4000 + 2 + ASTRA_TOKEN_LENGTH));
  /* The folder being walked, for "Searching …": at the end, the last one. */
  g_assert_cmpuint (folders_notified, >=, 1);
  g_assert_true (g_str_has_prefix (astra_scanner_get_current_folder (scanner), fixture->root));
  g_assert_true (g_str_has_prefix (astra_scanner_get_current_folder (scanner) + strlen (fixture->root), "/d"));
  /* Walk order, whichever reader thread was first: d00/f0000, d00/f0050, … */
  for (guint i = 1; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(AstraScanFinding) a = g_list_model_get_item (findings, i - 1);
      g_autoptr(AstraScanFinding) b = g_list_model_get_item (findings, i);
      g_autofree char *folder_a = g_path_get_dirname (astra_scan_finding_get_path (a));
      g_autofree char *folder_b = g_path_get_dirname (astra_scan_finding_get_path (b));

      /* one folder's files are contiguous */
      if (!g_str_equal (folder_a, folder_b))
        for (guint j = i + 1; j < g_list_model_get_n_items (findings); j++)
          {
            g_autoptr(AstraScanFinding) c = g_list_model_get_item (findings, j);
            g_autofree char *folder_c = g_path_get_dirname (astra_scan_finding_get_path (c));

            g_assert_cmpstr (folder_c, !=, folder_a);
          }
    }
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(AstraScanner) scanner = astra_scanner_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GError) error = NULL;
  const char *roots[] = { fixture->root, NULL };

  write_many (fixture, 2000);
  /* Cancelled from the main context as the scan starts, like a Cancel button would be:
   * the walk stops at the next entry and the readers read nothing more. */
  g_signal_connect (scanner, "notify::running", G_CALLBACK (on_running_cb), cancellable);
  astra_scanner_scan_async (scanner, roots, cancellable, on_scan_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  findings = astra_scanner_scan_finish (scanner, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (findings);
  g_assert_false (astra_scanner_get_running (scanner));
  g_assert_cmpuint (astra_scanner_get_files_read (scanner), <, 2000);

  /* The same scanner scans again afterwards. */
  g_clear_error (&error);
  g_signal_handlers_disconnect_by_func (scanner, on_running_cb, cancellable);
  findings = astra_scanner_scan (scanner, roots, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 2000);
}

static void
test_missing_root (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(AstraScanner) scanner = astra_scanner_new ();
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fixture->root, "nothing-here", NULL);
  const char *roots[] = { fixture->root, missing, NULL };

  findings = astra_scanner_scan (scanner, roots, NULL, &error);
  g_assert_error (error, ASTRA_SCANNER_ERROR, ASTRA_SCANNER_ERROR_ROOT);
  g_assert_null (findings);
  g_assert_nonnull (strstr (error->message, "nothing-here"));
}

static void
test_load_secret (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(GStrv) id = g_new0 (char *, 2 + 1);
  g_auto(GStrv) secret = g_new0 (char *, 2 + 1);
  g_auto(GStrv) token = g_new0 (char *, 2 + 1);
  g_autofree char *env = NULL, *csv = NULL, *env_path = NULL, *csv_path = NULL;
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(AstraSecretString) loaded_token = NULL;
  g_autoptr(AstraSecretString) loaded_secret = NULL;
  g_autoptr(GError) error = NULL;
  AstraScanFinding *finding;

  for (guint i = 0; i < 2; i++)
    token[i] = make_token (30 + i, &id[i], &secret[i]);
  env = g_strdup_printf ("T=%s\n", token[0]);
  env_path = write_file (fixture, ".env", env, -1);
  csv = g_strdup_printf ("\"Client Id\",\"Client Secret\",\"Role\",\"Token\"\n\"%s\",\"%s\",\"R\",\"%s\"\n",
                         id[1], secret[1], token[1]);
  csv_path = write_file (fixture, "GeneratedToken.csv", csv, -1);
  findings = scan (fixture->root, NULL);

  finding = find (findings, id[0]);
  g_assert_true (astra_scan_finding_load_secret (finding, NULL, &loaded_token, &loaded_secret, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (loaded_token, ==, token[0]);
  g_assert_null (loaded_secret);
  g_clear_pointer (&loaded_token, astra_secret_free);

  finding = find (findings, id[1]);
  g_assert_true (astra_scan_finding_load_secret (finding, NULL, &loaded_token, &loaded_secret, &error));
  g_assert_cmpstr (loaded_token, ==, token[1]);
  g_assert_cmpstr (loaded_secret, ==, secret[1]);
  g_clear_pointer (&loaded_token, astra_secret_free);
  g_clear_pointer (&loaded_secret, astra_secret_free);

  /* Changed since the scan (one byte more before the token): refused, not misread. */
  g_free (env);
  env = g_strdup_printf ("TT=%s\n", token[0]);
  g_assert_true (g_file_set_contents (env_path, env, -1, NULL));
  finding = find (findings, id[0]);
  g_assert_false (astra_scan_finding_check_unchanged (finding, NULL, &error));
  g_assert_error (error, ASTRA_SCAN_FINDING_ERROR, ASTRA_SCAN_FINDING_ERROR_CHANGED);
  g_clear_error (&error);
  g_assert_false (astra_scan_finding_load_secret (finding, NULL, &loaded_token, NULL, &error));
  g_assert_error (error, ASTRA_SCAN_FINDING_ERROR, ASTRA_SCAN_FINDING_ERROR_CHANGED);
  g_assert_null (loaded_token);
  g_clear_error (&error);

  /* Gone. */
  g_assert_cmpint (g_unlink (csv_path), ==, 0);
  g_assert_false (astra_scan_finding_load_secret (find (findings, id[1]), NULL, &loaded_token, NULL, &error));
  g_assert_error (error, ASTRA_SCAN_FINDING_ERROR, ASTRA_SCAN_FINDING_ERROR_UNREADABLE);
}

static void
test_classify (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(GStrv) id = g_new0 (char *, 5 + 1);
  g_auto(GStrv) token = g_new0 (char *, 5 + 1);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(AstraScanKnowledge) knowledge = astra_scan_knowledge_new ();
  const char *org1_list[3] = { NULL };

  for (guint i = 0; i < 5; i++)
    {
      token[i] = make_token (40 + i, &id[i], NULL);
      g_string_append_printf (text, "%s\n", token[i]);
    }
  g_free (write_file (fixture, "tokens.txt", text->str, -1));
  findings = scan (fixture->root, NULL);

  /* 0: held in org-1, listed → held; 1: held in org-1, not listed → revoked;
   * 2: listed by org-1 only → live; 3: held in org-2, which did not answer → held;
   * 4: nobody knows it. */
  astra_scan_knowledge_add_held (knowledge, "org-1", id[0]);
  astra_scan_knowledge_add_held (knowledge, "org-1", id[1]);
  astra_scan_knowledge_add_held (knowledge, "org-2", id[3]);
  org1_list[0] = id[0];
  org1_list[1] = id[2];
  astra_scan_knowledge_add_listing (knowledge, "org-1", org1_list);

  astra_scan_classify (findings, knowledge);
  g_assert_cmpint (astra_scan_finding_get_state (find (findings, id[0])), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpint (astra_scan_finding_get_state (find (findings, id[1])), ==, ASTRA_SCAN_STATE_REVOKED);
  g_assert_cmpint (astra_scan_finding_get_state (find (findings, id[2])), ==, ASTRA_SCAN_STATE_LIVE);
  g_assert_cmpint (astra_scan_finding_get_state (find (findings, id[3])), ==, ASTRA_SCAN_STATE_HELD);
  g_assert_cmpint (astra_scan_finding_get_state (find (findings, id[4])), ==, ASTRA_SCAN_STATE_UNKNOWN);
  g_assert_cmpstr (astra_scan_finding_get_org_id (find (findings, id[2])), ==, "org-1");
  g_assert_cmpstr (astra_scan_finding_get_org_id (find (findings, id[3])), ==, "org-2");
  g_assert_null (astra_scan_finding_get_org_id (find (findings, id[4])));

  /* Once every organization has answered, a token nobody lists is of another one. */
  astra_scan_knowledge_set_complete (knowledge, TRUE);
  astra_scan_classify (findings, knowledge);
  g_assert_cmpint (astra_scan_finding_get_state (find (findings, id[4])), ==, ASTRA_SCAN_STATE_UNKNOWN_ORG);
  g_assert_cmpint (astra_scan_finding_get_state (find (findings, id[2])), ==, ASTRA_SCAN_STATE_LIVE);
}

static void
test_classify_without_keyring (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *token = make_token (50, NULL, NULL);
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AstraScanFinding) finding = NULL;
  g_autoptr(GError) error = NULL;

  g_free (write_file (fixture, "t", token, -1));
  findings = scan (fixture->root, NULL);
  astra_scan_classify_async (findings, NULL, TRUE, NULL, on_scan_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (astra_scan_classify_finish (result, &error));
  g_assert_no_error (error);
  finding = g_list_model_get_item (findings, 0);
  g_assert_cmpint (astra_scan_finding_get_state (finding), ==, ASTRA_SCAN_STATE_UNKNOWN);
}

/* One file's findings come in the order of the file, portal rows and other tokens alike. */
static void
test_file_order (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(GStrv) id = g_new0 (char *, 3 + 1);
  g_auto(GStrv) secret = g_new0 (char *, 3 + 1);
  g_auto(GStrv) token = g_new0 (char *, 3 + 1);
  g_autofree char *csv = NULL;
  g_autoptr(GListModel) findings = NULL;

  for (guint i = 0; i < 3; i++)
    token[i] = make_token (60 + i, &id[i], &secret[i]);
  csv = g_strdup_printf ("\"Client Id\",\"Client Secret\",\"Role\",\"Token\"\n"
                         "\"%s\",\"%s\",\"R\",\"%s\"\n"
                         "note: %s\n"
                         "\"%s\",\"%s\",\"R\",\"%s\"\n",
                         id[0], secret[0], token[0], token[1], id[2], secret[2], token[2]);
  g_free (write_file (fixture, "GeneratedToken.csv", csv, -1));

  findings = scan (fixture->root, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i);

      g_assert_cmpstr (astra_scan_finding_get_client_id (finding), ==, id[i]);
      g_assert_cmpuint (astra_scan_finding_get_line (finding), ==, i + 2);
      g_assert_cmpint (astra_scan_finding_get_kind (finding), ==,
                       i == 1 ? ASTRA_SCAN_KIND_TOKEN : ASTRA_SCAN_KIND_PORTAL_CSV_SECRET);
    }
}

static void
test_names (void)
{
  g_assert_cmpstr (astra_scan_kind_to_string (ASTRA_SCAN_KIND_PORTAL_CSV_SECRET), ==, "portal-csv-secret");
  g_assert_cmpstr (astra_scan_kind_to_string (ASTRA_SCAN_KIND_DOTENV), ==, "dotenv");
  g_assert_cmpstr (astra_scan_state_to_string (ASTRA_SCAN_STATE_UNKNOWN_ORG), ==, "unknown-org");
  g_assert_cmpstr (astra_scan_state_to_string (ASTRA_SCAN_STATE_REVOKED), ==, "revoked");
  g_assert_true (G_TYPE_IS_ENUM (ASTRA_TYPE_SCAN_KIND));
  g_assert_true (G_TYPE_IS_ENUM (ASTRA_TYPE_SCAN_STATE));
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/scanner/names", test_names);
  ADD ("/scanner/kinds", test_kinds);
  ADD ("/scanner/decoys", test_decoys);
  ADD ("/scanner/file-order", test_file_order);
  ADD ("/scanner/skips", test_skips);
  ADD ("/scanner/keyrings-folder", test_keyrings_folder);
  ADD ("/scanner/unreadable", test_unreadable);
  ADD ("/scanner/block-boundary", test_block_boundary);
  ADD ("/scanner/block-boundary-glued", test_block_boundary_glued);
  ADD ("/scanner/async-progress", test_async_progress);
  ADD ("/scanner/cancel", test_cancel);
  ADD ("/scanner/missing-root", test_missing_root);
  ADD ("/scanner/load-secret", test_load_secret);
  ADD ("/scanner/classify", test_classify);
  ADD ("/scanner/classify-without-keyring", test_classify_without_keyring);

  return g_test_run ();
}

/* test-file-rewrite.c: a value replaced by a reference, byte for byte (astra-file-rewrite.h)
 *
 * Each case writes a real file, scans it with the real scanner (so the offsets are the
 * ones the findings page uses), rewrites the token's span and compares the whole file with
 * what it must be: the same bytes with only the value replaced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "astra-file-rewrite.h"
#include "astra-scanner.h"

#define CLIENT_ID "QwErTyUiOpAsDfGhJkLzXcVb"
#define TOKEN     "AstraCS:" CLIENT_ID ":0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define REF       "astra://f7e8d9c0-1b2a-4c3d-9e8f-0a1b2c3d4e5f/" CLIENT_ID "/token"

typedef struct
{
  char *folder;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->folder = g_dir_make_tmp ("astra-rewrite-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->folder, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->folder);
  g_free (fixture->folder);
}

static char *
plant (Fixture    *fixture,
       const char *name,
       const char *contents,
       int         mode)
{
  g_autofree char *path = g_build_filename (fixture->folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);

  return g_steal_pointer (&path);
}

/* The one finding the scanner reports for @path. */
static AstraScanFinding *
scan_one (const char *path)
{
  g_autoptr(AstraScanner) scanner = astra_scanner_new ();
  g_autoptr(GListModel) findings = NULL;
  g_autoptr(GError) error = NULL;
  const char *roots[] = { path, NULL };

  findings = astra_scanner_scan (scanner, roots, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 1);

  return g_list_model_get_item (findings, 0);
}

static AstraFileSpan
span_of (AstraScanFinding *finding)
{
  return (AstraFileSpan) {
    .file_size = astra_scan_finding_get_file_size (finding),
    .file_mtime = astra_scan_finding_get_file_mtime (finding),
    .value_offset = astra_scan_finding_get_value_offset (finding),
    .value_length = astra_scan_finding_get_value_length (finding),
  };
}

static void
assert_contents (const char *path,
                 const char *expected)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, expected, strlen (expected));
}

static void
assert_no_leftovers (Fixture *fixture,
                     guint    expected_files)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->folder, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;
  /* No temporary file stays behind. */
  g_assert_cmpuint (n, ==, expected_files);
}

static void
check_rewrite (Fixture    *fixture,
               const char *name,
               const char *before,
               const char *after,
               int         mode)
{
  g_autofree char *path = plant (fixture, name, before, mode);
  g_autoptr(AstraScanFinding) finding = scan_one (path);
  AstraFileSpan span = span_of (finding);
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_true (astra_file_rewrite_value (path, &span, TOKEN, REF, &error));
  g_assert_no_error (error);
  assert_contents (path, after);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, mode);
  assert_no_leftovers (fixture, 1);
}

static void
test_dotenv (Fixture       *fixture,
             gconstpointer  data)
{
  check_rewrite (fixture, ".env",
                 "# local settings\nASTRA_DB_ID=abc\nASTRA_DB_APPLICATION_TOKEN=" TOKEN "\nDEBUG=1\n",
                 "# local settings\nASTRA_DB_ID=abc\nASTRA_DB_APPLICATION_TOKEN=" REF "\nDEBUG=1\n",
                 0644);
}

static void
test_bashrc_export_quoted (Fixture       *fixture,
                           gconstpointer  data)
{
  check_rewrite (fixture, ".bashrc",
                 "alias ll='ls -l'\nexport ASTRA_DB_APPLICATION_TOKEN=\"" TOKEN "\"  # prod\n\tfi\n",
                 "alias ll='ls -l'\nexport ASTRA_DB_APPLICATION_TOKEN=\"" REF "\"  # prod\n\tfi\n",
                 0644);
}

static void
test_astrarc (Fixture       *fixture,
              gconstpointer  data)
{
  check_rewrite (fixture, ".astrarc",
                 "[default]\nASTRA_DB_APPLICATION_TOKEN=" TOKEN "\nASTRA_ENV=DEV\n",
                 "[default]\nASTRA_DB_APPLICATION_TOKEN=" REF "\nASTRA_ENV=DEV\n",
                 0600);
}

static void
test_crlf (Fixture       *fixture,
           gconstpointer  data)
{
  check_rewrite (fixture, ".env",
                 "A=1\r\nASTRA_DB_APPLICATION_TOKEN=" TOKEN "\r\nB=2\r\n",
                 "A=1\r\nASTRA_DB_APPLICATION_TOKEN=" REF "\r\nB=2\r\n",
                 0640);
}

static void
test_no_final_newline (Fixture       *fixture,
                       gconstpointer  data)
{
  check_rewrite (fixture, ".env",
                 "A=1\nASTRA_DB_APPLICATION_TOKEN='" TOKEN "'",
                 "A=1\nASTRA_DB_APPLICATION_TOKEN='" REF "'",
                 0600);
}

static void
refuse (Fixture    *fixture,
        const char *path,
        AstraFileSpan *span,
        const char *expected_contents)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (astra_file_rewrite_value (path, span, TOKEN, REF, &error));
  g_assert_error (error, ASTRA_FILE_REWRITE_ERROR, ASTRA_FILE_REWRITE_ERROR_CHANGED);
  /* The message never quotes the value. */
  g_assert_null (strstr (error->message, "AstraCS:"));
  assert_contents (path, expected_contents);
  assert_no_leftovers (fixture, 1);
}

static void
test_changed_since_scan (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *before = "ASTRA_DB_APPLICATION_TOKEN=" TOKEN "\n";
  g_autofree char *path = plant (fixture, ".env", before, 0600);
  g_autoptr(AstraScanFinding) finding = scan_one (path);
  AstraFileSpan span = span_of (finding);
  g_autofree char *swapped = g_strdup (before);
  const char *grown = "ASTRA_DB_APPLICATION_TOKEN=" TOKEN "\nX=1\n";
  AstraFileSpan stale = span;

  /* Same size, same bytes, another mtime: refused. */
  stale.file_mtime -= G_USEC_PER_SEC;
  refuse (fixture, path, &stale, before);

  /* Same size and mtime, another value at the offset (someone rotated the token by hand
   * and the clock did not move): refused. */
  swapped[span.value_offset + span.value_length - 1] = 'e';
  g_assert_true (g_file_set_contents (path, swapped, -1, NULL));
  {
    struct stat st;
    struct timespec times[2];

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    times[0] = st.st_atim;
    times[1].tv_sec = span.file_mtime / G_USEC_PER_SEC;
    times[1].tv_nsec = (span.file_mtime % G_USEC_PER_SEC) * 1000;
    g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
  }
  refuse (fixture, path, &span, swapped);

  /* Another size: refused. */
  g_assert_true (g_file_set_contents (path, grown, -1, NULL));
  refuse (fixture, path, &span, grown);

  /* Gone: refused as changed, not as a failure. */
  g_unlink (path);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (astra_file_rewrite_value (path, &span, TOKEN, REF, &error));
    g_assert_error (error, ASTRA_FILE_REWRITE_ERROR, ASTRA_FILE_REWRITE_ERROR_CHANGED);
  }
}

static void
on_rewritten_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (astra_file_rewrite_finding_finish (result, error) && *error != NULL);
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");
}

static void
test_finding_async (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = plant (fixture, "deploy.sh",
                                 "#!/bin/sh\nexport ASTRA_DB_APPLICATION_TOKEN=" TOKEN "\nrun\n", 0755);
  g_autoptr(AstraScanFinding) finding = scan_one (path);
  g_autoptr(GError) error = NULL;

  astra_file_rewrite_finding_async (finding, TOKEN, REF, NULL, on_rewritten_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* on_rewritten_cb leaves a marker error on success. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  assert_contents (path, "#!/bin/sh\nexport ASTRA_DB_APPLICATION_TOKEN=" REF "\nrun\n");

  /* A second try, on the same (now stale) finding, is refused. */
  g_clear_error (&error);
  astra_file_rewrite_finding_async (finding, TOKEN, REF, NULL, on_rewritten_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, ASTRA_FILE_REWRITE_ERROR, ASTRA_FILE_REWRITE_ERROR_CHANGED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/file-rewrite/dotenv", test_dotenv);
  ADD ("/file-rewrite/bashrc-export-quoted", test_bashrc_export_quoted);
  ADD ("/file-rewrite/astrarc", test_astrarc);
  ADD ("/file-rewrite/crlf", test_crlf);
  ADD ("/file-rewrite/no-final-newline", test_no_final_newline);
  ADD ("/file-rewrite/changed-since-scan", test_changed_since_scan);
  ADD ("/file-rewrite/finding-async", test_finding_async);
#undef ADD

  return g_test_run ();
}

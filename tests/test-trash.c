/* test-trash.c: a file moved to the trash and back (astra-trash.h)
 *
 * The real freedesktop.org trash of the test's own data folder (G_TEST_OPTION_ISOLATE_DIRS
 * points XDG_DATA_HOME into a temporary folder on the same file system as the files).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "astra-trash.h"

#define CSV "\"Client Id\",\"Client Secret\",\"Role\",\"Token\"\r\n\"a\",\"b\",\"c\",\"d\"\r\n"

static char *
plant (void)
{
  g_autofree char *folder = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  g_autofree char *path = g_build_filename (folder, "GeneratedToken.csv", NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, CSV, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  return g_steal_pointer (&path);
}

static void
test_trash_and_restore (void)
{
  g_autofree char *path = plant ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(AstraTrashed) trashed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  struct stat st;

  trashed = astra_trash_file (file, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_test_skip ("no trash on this file system");
      return;
    }
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (astra_trashed_get_path (trashed), ==, path);

  astra_trash_restore (trashed, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, CSV);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* Two files of the same name trashed one after the other: Undo brings back each its own. */
static void
test_same_name_twice (void)
{
  g_autofree char *path = plant ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(AstraTrashed) first = NULL;
  g_autoptr(AstraTrashed) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  first = astra_trash_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "second\n", -1, NULL));
  second = astra_trash_file (file, NULL, &error);
  g_assert_no_error (error);

  astra_trash_restore (second, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "second\n");

  /* Something is there again: the first is not moved over it. */
  g_assert_false (astra_trash_restore (first, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "second\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/trash/trash-and-restore", test_trash_and_restore);
  g_test_add_func ("/trash/same-name-twice", test_same_name_twice);

  return g_test_run ();
}

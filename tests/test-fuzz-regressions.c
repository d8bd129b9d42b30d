/* test-fuzz-regressions.c: replays a fuzz target's seed corpus and past crashes
 *
 * Linked with one tests/fuzz/fuzz-*.c (ASTRA_FUZZ_TARGET names it), so that every build,
 * not only the clang fuzzing one, runs each input that a fuzzer once crashed on, through
 * exactly the code the fuzzer ran.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "fuzz/astra-fuzz.h"

static void
replay_file (gconstpointer user_data)
{
  const char *path = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  /* An exact-size heap copy, so that a read past the end shows up under the sanitizers
   * and valgrind the way it does under the fuzzer. */
  exact = g_memdup2 (contents, length);
  g_assert_cmpint (LLVMFuzzerTestOneInput (exact, length), ==, 0);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static guint
add_directory (const char *kind)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", kind,
                                                     ASTRA_FUZZ_TARGET, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  /* Stable test paths, whatever order the file system lists them in. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/%s/%s/%s", ASTRA_FUZZ_TARGET, kind, file);

      /* The path lives as long as the test program. */
      g_test_add_data_func_full (test_path, g_build_filename (dir_path, file, NULL),
                                 replay_file, g_free);
    }

  return names->len;
}

static void
test_corpus_present (gconstpointer user_data)
{
  /* A target without seeds would make the replay pass vacuously. */
  g_assert_cmpuint (GPOINTER_TO_UINT (user_data), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  guint n_seeds;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  LLVMFuzzerInitialize (&argc, &argv);

  n_seeds = add_directory ("corpus");
  add_directory ("regressions");
  g_test_add_data_func ("/" ASTRA_FUZZ_TARGET "/corpus-present", GUINT_TO_POINTER (n_seeds),
                        test_corpus_present);

  return g_test_run ();
}

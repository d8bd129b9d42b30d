/* astra-fuzz.h: what every libFuzzer target in tests/fuzz shares
 *
 * Each fuzz-*.c defines LLVMFuzzerTestOneInput over one parser of untrusted input. The same
 * file is built twice: with clang's libFuzzer (-Dfuzzing=true, run for a bounded time by
 * build-aux/test --sanitize), and linked with tests/test-fuzz-regressions.c, which replays
 * the seed corpus and every input a fuzzer once crashed on in the regular suite.
 *
 * A critical or a warning on hostile input is a bug (platform-notes.md §4): both abort here,
 * so that the fuzzer reports them as crashes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* A NUL-terminated copy of the input, for the APIs that want one and for checking that the
 * length, not a terminator, bounds every read. (transfer full) */
static inline char *
astra_fuzz_dup (const uint8_t *data,
                size_t         size)
{
  char *copy = g_malloc (size + 1);

  if (size > 0)
    memcpy (copy, data, size);
  copy[size] = '\0';
  return copy;
}

/* An exact-size copy without a terminator: AddressSanitizer then catches any read past
 * @size by code that wrongly relies on one. (transfer full) */
static inline char *
astra_fuzz_dup_unterminated (const uint8_t *data,
                             size_t         size)
{
  return g_memdup2 (data, size);
}

/* Reads every readable property of @object, as bindings and list views do, and checks that
 * each string in it is UTF-8: everything a model exposes ends up in a label. */
static inline void
astra_fuzz_read_properties (gpointer object)
{
  guint n_pspecs = 0;
  g_autofree GParamSpec **pspecs =
    g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(pspecs[i]->flags & G_PARAM_READABLE))
        continue;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (object, pspecs[i]->name, &value);

      if (G_VALUE_HOLDS_STRING (&value) && g_value_get_string (&value) != NULL)
        g_assert_true (g_utf8_validate (g_value_get_string (&value), -1, NULL));
      else if (G_VALUE_HOLDS (&value, G_TYPE_STRV) && g_value_get_boxed (&value) != NULL)
        {
          const char * const *strv = g_value_get_boxed (&value);

          for (guint j = 0; strv[j] != NULL; j++)
            g_assert_true (g_utf8_validate (strv[j], -1, NULL));
        }
    }
}

static inline void
astra_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
}

G_END_DECLS

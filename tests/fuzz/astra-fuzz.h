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

#include <glib.h>
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

static inline void
astra_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
}

G_END_DECLS

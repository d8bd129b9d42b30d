/* astra-benchmark.h: the ASTRA_TOKENS_BENCHMARK hook used by benchmarks/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-window.h"

G_BEGIN_DECLS

/* Does nothing unless ASTRA_TOKENS_BENCHMARK is "startup", "populate", "scroll",
 * "search", "sort" or "session". */
void astra_benchmark_attach      (AstraWindow *window);
/* Called once the window has built its Tokens page (it does so on first use). */
void astra_benchmark_watch_pages (AstraWindow *window);

/* astra-benchmark-session.c: ASTRA_TOKENS_BENCHMARK=session */
void astra_benchmark_session_attach      (AstraWindow *window);
void astra_benchmark_session_watch_pages (AstraWindow *window);

G_END_DECLS

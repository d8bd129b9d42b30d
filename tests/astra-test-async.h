/* astra-test-async.h: waiting for one asynchronous call, for the tests without a window
 *
 *   g_autoptr(GAsyncResult) result = NULL;
 *
 *   astra_secret_store_lookup_token_async (store, org_id, NULL,
 *                                          astra_test_store_result_cb, &result);
 *   token = astra_secret_store_lookup_token_finish (store, astra_test_wait (&result), &error);
 *
 * Header only: every test program is a single file, and these two are all it shares. The
 * widget tests wait with ASTRA_TEST_UI_WAIT() (astra-test-ui.h) instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Long enough for the sanitizer builds on a loaded machine; a call that never returns
 * fails the test with its own message instead of meson's timeout. */
#define ASTRA_TEST_ASYNC_WAIT_SECONDS 120

/* A GAsyncReadyCallback: keeps @result in *(GAsyncResult **) @user_data. */
static inline void
astra_test_store_result_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static inline gboolean
astra_test_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context until astra_test_store_result_cb() has stored a result
 * in *@result, and returns it (transfer none). */
static inline GAsyncResult *
astra_test_wait (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + ASTRA_TEST_ASYNC_WAIT_SECONDS * G_USEC_PER_SEC;
  /* Wakes the loop now and then, so that the deadline is seen when nothing else happens. */
  guint wake = g_timeout_add (100, astra_test_wake_cb, NULL);

  while (*result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);

  if (*result == NULL)
    g_error ("An asynchronous call did not return within %d s", ASTRA_TEST_ASYNC_WAIT_SECONDS);

  return *result;
}

G_END_DECLS

/* astra-test-keyring.h: the test session's keyring (build-aux/with-test-session)
 *
 * Header only, like astra-test-async.h: each test program is one file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

/* Locks the default collection. Nothing can unlock it again in the test session (its
 * prompt has no display): a test that calls this runs last in its program. */
static inline void
astra_test_lock_default_collection (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (objects);

  g_assert_true (secret_collection_get_locked (collection));
}

G_END_DECLS

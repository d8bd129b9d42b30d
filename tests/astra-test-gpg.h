/* astra-test-gpg.h: throw-away GnuPG homes and stock gpg, for the OpenPGP tests
 *
 * Homes live under /tmp with short names: gpg-agent's socket path must fit in 108 bytes.
 * Keys are made without a passphrase (`gpg --quick-gen-key`, future-default: fast).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `gpg --batch --quiet ARGS…` with GNUPGHOME=@home and @input (nullable) on stdin;
 * → its stdout, and its exit status in @status. */
GBytes *astra_test_gpg_run_full     (const char  *home,
                                     GBytes      *input,
                                     int         *status,
                                     const char  *first,
                                     ...) G_GNUC_NULL_TERMINATED;
/* The same, asserting success. */
#define astra_test_gpg_run(home, input, ...) \
  ({ int _status; GBytes *_out = astra_test_gpg_run_full (home, input, &_status, __VA_ARGS__, NULL); \
     g_assert_cmpint (_status, ==, 0); _out; })

/* A new private folder /tmp/TEMPLATE (XXXXXX replaced). (transfer full) */
char   *astra_test_gpg_make_home    (const char  *template);
/* A key without a passphrase for @user_id; @faked_time (nullable) makes it in the past.
 * → its fingerprint (transfer full). */
char   *astra_test_gpg_generate_key (const char  *home,
                                     const char  *user_id,
                                     const char  *expires,
                                     const char  *faked_time);
/* Stops the home's gpg-agent and removes the folder. */
void    astra_test_gpg_remove_home  (const char  *home);

G_END_DECLS

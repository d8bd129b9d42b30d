/* astra-scan-finding.h: one plain-text Astra secret found by the scanner (astra-scanner.h)
 *
 * A finding names where a secret lies (path, 1-based line, byte span of the value) and what
 * it is (kind, client id, masked text), never the secret itself: the secret stays in the
 * file until astra_scan_finding_load_secret() re-reads it for a move into the keyring.
 * Re-reading instead of keeping it means a scan of a whole home folder holds no secret in
 * memory, and the re-read doubles as the "file changed since the scan?" check that must
 * precede any rewrite (the size and mtime seen at scan time are kept for that).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-types.h"

G_BEGIN_DECLS

/**
 * AstraScanKind:
 * @ASTRA_SCAN_KIND_TOKEN: an `AstraCS:` token in a file of no particular kind (a JSON
 *   config, a notebook, source code, notes)
 * @ASTRA_SCAN_KIND_PORTAL_CSV_SECRET: a row of a portal CSV download (`"Client Id",
 *   "Client Secret","Role","Token"`): a client secret and its token
 * @ASTRA_SCAN_KIND_ASTRARC_PROFILE: a `token=` line of an astra-cli `.astrarc` profile
 * @ASTRA_SCAN_KIND_SHELL_EXPORT: `export NAME=…` in a shell file (`.bashrc`, `*.sh`, …)
 * @ASTRA_SCAN_KIND_DOTENV: `NAME=…` in a `.env` or `.env.*` file
 *
 * What a finding is, from the file and the line it is in; the findings page offers
 * Replace with Reference for the line kinds (ASTRARC_PROFILE, SHELL_EXPORT, DOTENV).
 */
typedef enum
{
  ASTRA_SCAN_KIND_TOKEN,
  ASTRA_SCAN_KIND_PORTAL_CSV_SECRET,
  ASTRA_SCAN_KIND_ASTRARC_PROFILE,
  ASTRA_SCAN_KIND_SHELL_EXPORT,
  ASTRA_SCAN_KIND_DOTENV,
} AstraScanKind;

/**
 * AstraScanState:
 * @ASTRA_SCAN_STATE_UNKNOWN: not classified, or nothing could be learnt (offline, no keyring)
 * @ASTRA_SCAN_STATE_HELD: this keyring holds the token (a generated token or an
 *   organization's management token) and it is not known to be revoked
 * @ASTRA_SCAN_STATE_LIVE: listed by a connected organization, not in the keyring
 * @ASTRA_SCAN_STATE_REVOKED: its organization is connected and no longer lists it: the
 *   plain-text copy is dead and safe to delete
 * @ASTRA_SCAN_STATE_UNKNOWN_ORG: every connected organization was asked and none lists it
 *   (a token of another organization, or of a revoked one we cannot tell apart)
 *
 * Only REVOKED is known to be harmless. The scanner never sends a found secret anywhere to
 * find out more: the states come from the keyring and from the connected organizations'
 * own token lists.
 */
typedef enum
{
  ASTRA_SCAN_STATE_UNKNOWN,
  ASTRA_SCAN_STATE_HELD,
  ASTRA_SCAN_STATE_LIVE,
  ASTRA_SCAN_STATE_REVOKED,
  ASTRA_SCAN_STATE_UNKNOWN_ORG,
} AstraScanState;

#define ASTRA_SCAN_FINDING_ERROR (astra_scan_finding_error_quark ())

typedef enum
{
  ASTRA_SCAN_FINDING_ERROR_CHANGED,     /* the file's size, mtime or value changed since the scan */
  ASTRA_SCAN_FINDING_ERROR_UNREADABLE,  /* the file is gone or cannot be read any more */
} AstraScanFindingError;

#define ASTRA_TYPE_SCAN_FINDING (astra_scan_finding_get_type ())

G_DECLARE_FINAL_TYPE (AstraScanFinding, astra_scan_finding, ASTRA, SCAN_FINDING, GObject)

GQuark            astra_scan_finding_error_quark     (void);

/* Stable names for --json and GSettings: "token", "portal-csv-secret", "astrarc-profile",
 * "shell-export", "dotenv"; "unknown", "held", "live", "revoked", "unknown-org". */
const char       *astra_scan_kind_to_string          (AstraScanKind   kind);
const char       *astra_scan_state_to_string         (AstraScanState  state);
/* A translated label for the user: "Token", "Environment file", …; "In the keyring", "Live", … */
const char       *astra_scan_kind_get_display_name   (AstraScanKind   kind);
const char       *astra_scan_state_get_display_name  (AstraScanState  state);

/* Properties (read-only): "path" (string, file-system encoding, as found under the root
 * given), "line" (guint, 1-based), "kind" (AstraScanKind), "client-id" (string),
 * "masked" (string: first 12 characters, "****", last 4 of the token; for a portal CSV row
 * the row's token when it has one, else "****" and the last 4 of the client secret),
 * "variable" (string or NULL: NAME of `export NAME=…`, `NAME=…` or an .astrarc `KEY=…`),
 * "section" (string or NULL: the `[profile]` of an .astrarc line),
 * "value-offset"/"value-length" (guint64: byte span of the secret value in the file: the
 * token, or for a portal CSV row its Client Secret field without the quotes),
 * "role-names" (GStrv or NULL: the Role column of a portal CSV row, split on ", "),
 * "file-size" (guint64), "file-mtime" (gint64, µs since the epoch, as at scan time),
 * "state" (AstraScanState, set by astra_scan_classify()), "org-id" (string or NULL: the
 * organization the token belongs to, when the keyring or a token list says). */
const char       *astra_scan_finding_get_path         (AstraScanFinding *self);
GFile            *astra_scan_finding_get_file         (AstraScanFinding *self); /* (transfer none) */
guint             astra_scan_finding_get_line         (AstraScanFinding *self);
AstraScanKind     astra_scan_finding_get_kind         (AstraScanFinding *self);
const char       *astra_scan_finding_get_client_id    (AstraScanFinding *self);
const char       *astra_scan_finding_get_masked       (AstraScanFinding *self);
const char       *astra_scan_finding_get_variable     (AstraScanFinding *self);
const char       *astra_scan_finding_get_section      (AstraScanFinding *self);
const char * const *astra_scan_finding_get_role_names (AstraScanFinding *self);
guint64           astra_scan_finding_get_value_offset (AstraScanFinding *self);
guint64           astra_scan_finding_get_value_length (AstraScanFinding *self);
guint64           astra_scan_finding_get_file_size    (AstraScanFinding *self);
gint64            astra_scan_finding_get_file_mtime   (AstraScanFinding *self);
AstraScanState    astra_scan_finding_get_state        (AstraScanFinding *self);
void              astra_scan_finding_set_state        (AstraScanFinding *self,
                                                       AstraScanState    state);
const char       *astra_scan_finding_get_org_id       (AstraScanFinding *self);
void              astra_scan_finding_set_org_id       (AstraScanFinding *self,
                                                       const char       *org_id);

/* TRUE when the file still has the size and mtime seen at scan time (cheap: one stat).
 * ASTRA_SCAN_FINDING_ERROR_CHANGED or _UNREADABLE otherwise. Blocking: call it in a thread
 * (astra_scan_finding_load_secret_async() does). */
gboolean          astra_scan_finding_check_unchanged  (AstraScanFinding  *self,
                                                       GCancellable      *cancellable,
                                                       GError           **error);

/* The one way a secret leaves the file: re-reads it (after astra_scan_finding_check_unchanged
 * and a check that the span still holds a value of this client id). @token gets the token
 * (NULL for a portal CSV row whose Token field is empty), @client_secret the client secret of
 * a portal CSV row (NULL for every other kind). Both (transfer full): free them with
 * astra_secret_free (g_autoptr(AstraSecretString)). Errors: ASTRA_SCAN_FINDING_ERROR. */
void              astra_scan_finding_load_secret_async  (AstraScanFinding     *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean          astra_scan_finding_load_secret_finish (AstraScanFinding     *self,
                                                         GAsyncResult         *result,
                                                         char                **token,
                                                         char                **client_secret,
                                                         GError              **error);
/* The same, blocking (for the CLI and the tests). */
gboolean          astra_scan_finding_load_secret        (AstraScanFinding     *self,
                                                         GCancellable         *cancellable,
                                                         char                **token,
                                                         char                **client_secret,
                                                         GError              **error);

G_END_DECLS

/* astra-csv.h: CSV files for teammates and audits (product.md "CSV export", astra-api.md §5)
 *
 * Portal format: `"Client Id","Client Secret","Role","Token"`, every field quoted, inner
 * quotes doubled, values byte-exact (a secret may contain commas or start with + or -).
 * Inventory format: no secrets; Client Id, Description, Roles, Generated On, Expires,
 * In Keyring; cells a spreadsheet would run as a formula get a leading apostrophe.
 * Records end with CRLF (RFC 4180); UTF-8 without BOM. Inventory dates are ISO-8601 UTC.
 * Files are replaced atomically with mode 0600; a failed write leaves no partial file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "astra-types.h"

G_BEGIN_DECLS

#define ASTRA_CSV_ERROR (astra_csv_error_quark ())

typedef enum
{
  ASTRA_CSV_ERROR_MALFORMED,   /* message names the line number and the reason */
  ASTRA_CSV_ERROR_HEADER,      /* not the portal's header */
  ASTRA_CSV_ERROR_EMPTY,
  ASTRA_CSV_ERROR_WRITE,
} AstraCsvError;

#define ASTRA_CSV_PORTAL_FILE_NAME    "GeneratedToken.csv"
#define ASTRA_CSV_INVENTORY_FILE_NAME "astra-tokens-inventory.csv"

GQuark       astra_csv_error_quark          (void);

/* @tokens: AstraGeneratedToken items. Role = role names joined with ", ". (transfer full) */
GBytes      *astra_csv_format_portal        (GListModel  *tokens);
/* @tokens: AstraToken items (their "in-keyring" and "roles-label" are used). */
GBytes      *astra_csv_format_inventory     (GListModel  *tokens);
/* Writes @contents to @file atomically with mode 0600, also over an existing file. */
gboolean     astra_csv_write_file           (GFile       *file,
                                             GBytes      *contents,
                                             GCancellable *cancellable,
                                             GError     **error);
/* astra_csv_write_file() in a worker thread, for the UI. */
void         astra_csv_write_file_async     (GFile               *file,
                                             GBytes              *contents,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     astra_csv_write_file_finish    (GFile               *file,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Parses a portal CSV (UTF-8 BOM, CRLF or LF accepted). → GListModel of
 * AstraGeneratedToken whose role-names hold the Role column split on ", ". */
GListModel  *astra_csv_parse_portal         (const char  *data,
                                             gsize        length,
                                             GError     **error);

G_END_DECLS

/* astra-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-application.h"
#include "astra-connection.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_WINDOW (astra_window_get_type ())

G_DECLARE_FINAL_TYPE (AstraWindow, astra_window, ASTRA, WINDOW, AdwApplicationWindow)

AstraWindow     *astra_window_new            (AstraApplication *application);
/* The selected organization, or NULL. (transfer none) */
AstraConnection *astra_window_get_connection (AstraWindow      *self);
/* Opens the connect dialog; with @connection, to replace that organization's token. */
GtkWindow       *astra_window_show_connect   (AstraWindow      *self,
                                              AstraConnection  *connection);

/* Imports the tokens of a portal GeneratedToken.csv that the selected organization lists
 * into the keyring, with the organization's roles, description and dates, names those it
 * does not list, then offers to delete the plain-text file when everything was stored
 * (what "Import GeneratedToken.csv…" does once a file is chosen). With no organization
 * selected (the welcome page), first offers to connect the file's organization with one of
 * its tokens. */
void             astra_window_import_csv_file (AstraWindow     *self,
                                               GFile           *file);

/* Shows the Tokens page of @org_id (when connected; else of the organization shown)
 * searching for @text. */
void             astra_window_search_tokens   (AstraWindow     *self,
                                               const char      *org_id,
                                               const char      *text);

G_END_DECLS

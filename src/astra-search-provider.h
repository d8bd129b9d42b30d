/* astra-search-provider.h: the held tokens in GNOME Shell's search
 *
 * org.gnome.Shell.SearchProvider2 on the application's own connection, at
 * APP_PATH/SearchProvider (data/…search-provider.ini tells GNOME Shell). Results come
 * from the keyring's attributes and labels only (AstraHeldIndex), offline; activating one
 * copies its token with the app's clipboard rules and says so in a notification, without
 * opening a window; "more results" opens the Tokens page searching for the terms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ASTRA_TYPE_SEARCH_PROVIDER (astra_search_provider_get_type ())

G_DECLARE_FINAL_TYPE (AstraSearchProvider, astra_search_provider, ASTRA, SEARCH_PROVIDER, GObject)

/* @application: an AstraApplication (not referenced: it owns the provider). */
AstraSearchProvider *astra_search_provider_new        (GApplication        *application);
/* Exports the interface at @object_path + "/SearchProvider". */
gboolean             astra_search_provider_register   (AstraSearchProvider *self,
                                                       GDBusConnection     *connection,
                                                       const char          *object_path,
                                                       GError             **error);
void                 astra_search_provider_unregister (AstraSearchProvider *self);

G_END_DECLS

/* astra-toast.h: toasts whose text is shown as it is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* An AdwToast showing @text as plain text. libadwaita 1.2 reads a toast's title as Pango
 * markup, and toasts carry text from the API, files and the keyring (error messages,
 * organization names): "R&D" would show nothing, "<span …>" would style itself. */
AdwToast *astra_toast_new (const char *text);

G_END_DECLS

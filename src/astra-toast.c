/* astra-toast.c: toasts whose text is shown as it is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-toast"

#include "config.h"

#include "astra-toast.h"

AdwToast *
astra_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}

/* astra-clipboard.c: copying values, and clearing copied secrets again
 *
 * Plain values (client ids) go on the clipboard as text. Secrets go on it through a
 * content provider this module keeps, so that it can later tell whether the clipboard
 * still holds that very secret: the clear timer and the clear on quit only ever remove our
 * own content, never something the user copied afterwards (product.md "Copy and
 * clipboard", platform-notes.md §6).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-clipboard"

#include "config.h"

#include "astra-clipboard.h"
#include "astra-settings.h"

/* KeePassXC's hint that clipboard managers should not record the offer. GTK 4.8 on X11
 * advertises it but cannot serve it; text pasting is unaffected (tests/test-ui-dialogs.c). */
#define PASSWORD_MANAGER_HINT_MIME "x-kde-passwordManagerHint"
#define DEFAULT_CLEAR_SECONDS 30

/* Only one secret can be on the clipboard at a time, so this state is app-wide. */
static GdkClipboard       *secret_clipboard;
static GdkContentProvider *secret_provider;
static guint               clear_source_id;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
forget_secret (void)
{
  g_clear_handle_id (&clear_source_id, g_source_remove);
  g_clear_object (&secret_provider);
  g_clear_object (&secret_clipboard);
}

static GdkContentProvider *
create_secret_provider (const char *text)
{
  g_autoptr(GBytes) hint = g_bytes_new_static ("secret", strlen ("secret"));
  GdkContentProvider *providers[2];

  providers[0] = gdk_content_provider_new_typed (G_TYPE_STRING, text);
  providers[1] = gdk_content_provider_new_for_bytes (PASSWORD_MANAGER_HINT_MIME, hint);

  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static gboolean
on_clear_timeout_cb (gpointer user_data)
{
  clear_source_id = 0;
  astra_clipboard_clear_secret ();

  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

guint
astra_clipboard_get_clear_seconds (void)
{
  g_autoptr(GSettings) settings = astra_settings_try_new ();

  if (settings == NULL)
    return DEFAULT_CLEAR_SECONDS;

  return g_settings_get_uint (settings, "clipboard-clear-seconds");
}

void
astra_clipboard_copy (GtkWidget  *widget,
                      const char *text,
                      gboolean    is_secret)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  astra_clipboard_copy_to (gtk_widget_get_clipboard (widget), text, is_secret);
}

void
astra_clipboard_copy_to (GdkClipboard *clipboard,
                         const char   *text,
                         gboolean      is_secret)
{
  guint seconds;

  g_return_if_fail (GDK_IS_CLIPBOARD (clipboard));
  g_return_if_fail (text != NULL);

  if (!is_secret)
    {
      /* Replacing our secret with something else: it is no longer ours to clear. */
      gdk_clipboard_set_text (clipboard, text);
      if (clipboard == secret_clipboard)
        forget_secret ();
      return;
    }

  forget_secret ();
  secret_provider = create_secret_provider (text);
  secret_clipboard = g_object_ref (clipboard);
  gdk_clipboard_set_content (clipboard, secret_provider);

  seconds = astra_clipboard_get_clear_seconds ();
  if (seconds > 0)
    clear_source_id = g_timeout_add_seconds (seconds, on_clear_timeout_cb, NULL);
}

void
astra_clipboard_clear_secret (void)
{
  if (secret_clipboard != NULL &&
      gdk_clipboard_is_local (secret_clipboard) &&
      gdk_clipboard_get_content (secret_clipboard) == secret_provider)
    {
      g_debug ("Clearing a copied secret from the clipboard");
      gdk_clipboard_set_content (secret_clipboard, NULL);
    }

  forget_secret ();
}

gboolean
astra_clipboard_holds_secret (void)
{
  return secret_clipboard != NULL &&
         gdk_clipboard_is_local (secret_clipboard) &&
         gdk_clipboard_get_content (secret_clipboard) == secret_provider;
}

/* astra-tokens-page-cells.c: the token list's columns
 *
 * The GtkSignalListItemFactory callbacks of the columns in astra-tokens-page.ui, and the
 * menu of each row. Cells are GtkInscriptions filled in "bind" from the item's fields:
 * the only allocations while scrolling are the date strings, so 10,000 rows scroll
 * smoothly. GTK 4.8's column view builds up to 200 rows as soon as a list is shown, so
 * every widget a row does without counts (build-aux/bench).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-tokens-page"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-display-text.h"
#include "astra-row-menu-button.h"
#include "astra-secret-store.h"
#include "astra-token.h"
#include "astra-tokens-page-private.h"

/* A cell asks for @min_chars characters at least and @nat_chars when there is room
 * (GtkInscription's sizes, in average characters of its font, not its text): the column
 * view shares out the width in between, then gives what is left to Description and Roles,
 * and a text longer than its cell ends in an ellipsis. GTK 4.8 never shortens a column's
 * title, so a column is at least as wide as its title too. */
static GtkWidget *
set_up_cell (GtkListItem *item,
             guint        min_chars,
             guint        nat_chars)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), min_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), nat_chars);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  /* One line per row, vertically centred next to the row's buttons. */
  gtk_widget_set_valign (inscription, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (item, inscription);

  return inscription;
}

/* Client ids are 20 to 24 characters; the first 8 tell most tokens apart. */
static void
setup_client_id_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  gtk_widget_add_css_class (set_up_cell (item, 8, 24), "monospace");
}

static void
setup_description_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  set_up_cell (item, 6, 24);
}

/* Room for “Organization Administrator” once there is room at all. */
static void
setup_roles_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  set_up_cell (item, 6, 26);
}

/* Dates are short and all the same length: always whole, or (on narrow windows) not
 * shown at all (astra-tokens-page.c). */
static void
setup_generated_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  set_up_cell (item, 16, 16);   /* 2026-12-04 16:20 */
}

static void
setup_expires_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  /* “In 23 hours”, “Expired 12 days ago”: the longer ones end in an ellipsis when the
   * column is narrow, and the tooltip has the date. */
  GtkWidget *cell = set_up_cell (item, 10, 16);

  astra_tokens_page_setup_expires_cell (ASTRA_TOKENS_PAGE (user_data), item, cell);
}

/* Server text in a one-line cell. Almost always shown as it is, without a copy (scrolling
 * 10,000 rows binds hundreds of cells a second); a long, multi-line or bidi-laden one is
 * bounded first (astra-display-text.h). */
static void
set_cell_text (GtkListItem *item,
               const char  *text)
{
  GtkInscription *inscription = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  g_autofree char *shown = NULL;

  if (astra_display_text_is_plain (text, ASTRA_DISPLAY_TEXT_LINE_CHARS, ASTRA_DISPLAY_TEXT_FIRST_LINE))
    {
      gtk_inscription_set_text (inscription, text);
      return;
    }

  shown = astra_display_text_new (text, ASTRA_DISPLAY_TEXT_LINE_CHARS, ASTRA_DISPLAY_TEXT_FIRST_LINE);
  gtk_inscription_set_text (inscription, shown);
}

static void
bind_client_id_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);

  set_cell_text (item, astra_token_get_client_id (token));
}

static void
bind_description_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);

  set_cell_text (item, astra_token_get_description (token));
}

static void
bind_roles_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);

  set_cell_text (item, astra_token_get_roles_label (token));
}

char *
astra_tokens_page_format_local (GDateTime  *when,
              const char *format)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return NULL;

  local = g_date_time_to_local (when);
  return g_date_time_format (local, format);
}

static void
bind_generated_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  AstraToken *token = gtk_list_item_get_item (item);
  g_autofree char *text = astra_tokens_page_format_local (astra_token_get_generated_on (token), "%Y-%m-%d %H:%M");

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            text != NULL ? text : "—");
}

/* The words and colours are astra-tokens-page-expiry.c's; @user_data is the page. */
static void
bind_expires_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  astra_tokens_page_bind_expires_cell (ASTRA_TOKENS_PAGE (user_data), gtk_list_item_get_child (item),
                                       gtk_list_item_get_item (item));
}

/* gtk_widget_set_tooltip_text() on a visible widget asks the X server where the pointer
 * is (XIQueryPointer, a round trip) in case the tooltip must show at once. A row's widgets
 * are new and not under the pointer, and the column view creates up to 200 rows when a
 * list is shown: hiding them while the tooltip is set saves hundreds of round trips
 * (build-aux/bench, populate 100). */
static void
set_row_tooltip (GtkWidget  *widget,
                 const char *text)
{
  gtk_widget_set_visible (widget, FALSE);
  gtk_widget_set_tooltip_text (widget, text);
  gtk_widget_set_visible (widget, TRUE);
}

/* Most tokens' secrets are not on this computer: the cell holds an icon only for those
 * that are, rather than a hidden icon in each of the up to 200 rows GTK 4.8 builds. */
static void
update_keyring_icon (GtkListItem *item)
{
  AstraToken *token = gtk_list_item_get_item (item);
  gboolean own = token != NULL && astra_token_get_connects_app (token);
  gboolean held = token != NULL && astra_token_get_in_keyring (token);
  GtkWidget *image = gtk_list_item_get_child (item);
  /* The app's own token is marked apart: revoking it disconnects the app. */
  const char *icon = own ? "network-transmit-receive-symbolic" : "dialog-password-symbolic";

  if ((own || held) && (image == NULL || g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (image)), icon) != 0))
    {
      image = gtk_image_new_from_icon_name (icon);
      gtk_widget_set_halign (image, GTK_ALIGN_CENTER);
      set_row_tooltip (image, own ? _("Used by this app to connect")
                                  : _("The secret is in this computer’s keyring"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      own ? _("Used by this app to connect") : _("In keyring"), -1);
      gtk_list_item_set_child (item, image);
    }
  else if (!own && !held && image != NULL)
    gtk_list_item_set_child (item, NULL);
}

/* The keyring may answer after the list is shown (astra-tokens-page.c): the page updates
 * the cells it knows to be bound (astra_tokens_page_update_keyring_cells()), rather than
 * each bind connecting to its token's "notify::in-keyring" (a closure per bind, and a
 * handler search per unbind, for every row scrolled past). */
static void
bind_keyring_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 AstraTokensPage          *self)
{
  update_keyring_icon (item);
  if (self->keyring_cells != NULL)
    g_hash_table_add (self->keyring_cells, item);
}

static void
unbind_keyring_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   AstraTokensPage          *self)
{
  /* Not after the page's dispose, when the column view lets go of its rows. */
  if (self->keyring_cells != NULL)
    g_hash_table_remove (self->keyring_cells, item);
}

void
astra_tokens_page_update_keyring_cells (AstraTokensPage *self)
{
  GHashTableIter iter;
  gpointer item;

  if (self->keyring_cells == NULL)
    return;

  g_hash_table_iter_init (&iter, self->keyring_cells);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    update_keyring_icon (item);
}

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             const char *client_id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (client_id));
  g_menu_append_item (menu, item);
}

/* The row menu is built when it is opened, not for every bound row. */
static void
popup_row_menu (AstraRowMenuButton *button,
                AstraTokensPage    *page,
                AstraToken         *token,
                gboolean            has_client_secret)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) copy = g_menu_new ();
  g_autoptr(GMenu) manage = g_menu_new ();
  g_autoptr(GMenu) danger = g_menu_new ();
  const char *client_id = astra_token_get_client_id (token);
  gboolean held = astra_token_get_in_keyring (token);
  /* A disabled action greys out the secret items when the keyring does not hold them, and
   * Copy Client Secret for a token kept without its client secret. */
  const char *secret_action_token, *secret_action_secret, *reference_action;

  secret_action_token = held ? "tokens.copy-token" : "tokens.copy-unavailable";
  secret_action_secret = held && has_client_secret ? "tokens.copy-secret" : "tokens.copy-unavailable";
  reference_action = astra_tokens_page_can_reference (page, token)
                     ? "tokens.copy-reference" : "tokens.copy-unavailable";

  append_item (copy, _("Copy Client _ID"), "tokens.copy-client-id", client_id);
  append_item (copy, _("Copy _Token"), secret_action_token, client_id);
  append_item (copy, _("Copy Client _Secret"), secret_action_secret, client_id);
  append_item (copy, _("Copy Re_ference"), reference_action, client_id);
  append_item (manage, _("_Details…"), "tokens.details", client_id);
  append_item (manage, _("R_otate…"), "tokens.rotate", client_id);
  append_item (danger, _("_Revoke…"), "tokens.revoke", client_id);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (manage));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (danger));

  astra_row_menu_button_popup (button, G_MENU_MODEL (menu));
}

typedef struct
{
  AstraRowMenuButton *button;
  char               *client_id;
} MenuOpen;

static void
menu_open_free (MenuOpen *open)
{
  g_clear_object (&open->button);
  g_free (open->client_id);
  g_free (open);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MenuOpen, menu_open_free)

static void
on_secretless_listed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(MenuOpen) open = user_data;
  g_auto(GStrv) secretless = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (open->button), ASTRA_TYPE_TOKENS_PAGE);
  AstraToken *token;

  secretless = astra_secret_store_list_secretless_finish (ASTRA_SECRET_STORE (object), result,
                                                          &error);
  if (error != NULL)
    g_debug ("Which tokens keep no client secret: %s", error->message);

  /* The row may have been recycled, or the page left, while the keyring answered. */
  if (page == NULL)
    return;
  token = astra_tokens_page_find_token (ASTRA_TOKENS_PAGE (page), open->client_id, NULL);
  if (token == NULL)
    return;

  /* Unknown (a keyring error): offer it; copying then says what is wrong. */
  popup_row_menu (open->button, ASTRA_TOKENS_PAGE (page), token,
                  secretless == NULL ||
                  !g_strv_contains ((const char * const *) secretless, open->client_id));
}

static void
on_row_menu_clicked_cb (AstraRowMenuButton *button,
                        GtkListItem        *list_item)
{
  AstraToken *token = gtk_list_item_get_item (list_item);
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (button), ASTRA_TYPE_TOKENS_PAGE);
  AstraTokensPage *self;
  MenuOpen *open;

  if (token == NULL || page == NULL)
    return;

  self = ASTRA_TOKENS_PAGE (page);
  if (!astra_token_get_in_keyring (token) || self->connection == NULL)
    {
      popup_row_menu (button, self, token, FALSE);
      return;
    }

  /* Whether the held item keeps a client secret is an attribute: no secret is loaded. */
  open = g_new0 (MenuOpen, 1);
  open->button = g_object_ref (button);
  open->client_id = g_strdup (astra_token_get_client_id (token));
  astra_secret_store_list_secretless_async (astra_context_get_secret_store (self->context),
                                            astra_connection_get_org_id (self->connection),
                                            NULL, on_secretless_listed_cb, open);
}

/* One menu button per row, holding every row action (Copy Client ID first; Ctrl+C copies
 * the selected row's). GTK 4.8's column view builds up to 200 rows as soon as a list is
 * shown: a second, actionable copy button and a box per row cost 15% of the CPU time to
 * show 10,000 tokens and 2.5 MiB, and a GtkMenuButton is three widgets where
 * AstraRowMenuButton is one (build-aux/bench). */
static void
setup_actions_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *menu = astra_row_menu_button_new ("view-more-symbolic");

  gtk_widget_add_css_class (menu, "flat");
  set_row_tooltip (menu, _("Token Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Token Actions"), -1);
  g_signal_connect (menu, "clicked", G_CALLBACK (on_row_menu_clicked_cb), item);
  gtk_widget_set_halign (menu, GTK_ALIGN_END);
  gtk_widget_set_valign (menu, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (item, menu);
}

void
astra_tokens_page_class_add_cells (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, setup_client_id_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_description_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_roles_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_generated_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_expires_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_actions_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_client_id_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_description_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_roles_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_generated_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_expires_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_keyring_cb);
  gtk_widget_class_bind_template_callback (widget_class, unbind_keyring_cb);
}

/* astra-window-private.h: what astra-window.c and astra-window-actions.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-context.h"
#include "astra-roles-page.h"
#include "astra-tokens-page.h"
#include "astra-window.h"

G_BEGIN_DECLS

struct _AstraWindow
{
  AdwApplicationWindow  parent_instance;

  AstraContext         *context;
  AstraConnection      *connection;     /* the selected organization, or NULL */
  char                 *selected_org_id;
  gulong                name_handler;
  GCancellable         *cancellable;    /* cancelled when the window closes */

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GMenuModel           *primary_menu;
  GtkMenuButton        *welcome_menu_button;
  gboolean              showing;        /* shown, or being shown */

  /* The loading and keyring pages: NULL until one of them is needed. */
  AdwStatusPage        *keyring_page;

  /* The organizations view: NULL until astra_window_ensure_organizations(). */
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *view_stack;
  GtkRevealer          *demo_revealer;
  GtkLabel             *info_label;
  AstraTokensPage      *tokens_page;
  AdwBin               *roles_slot;
  AstraRolesPage       *roles_page;  /* NULL until the Roles page is first shown */

  /* A token search asked for before the organizations were listed
   * (astra_window_search_tokens()): its text, and the organization to show it in. */
  char                 *pending_search;
  char                 *pending_search_org_id;

  /* The Plain-Text Tokens page: NULL until first shown; the page it was opened from. */
  GtkWidget            *findings_page;
  char                 *before_findings;
  GtkRevealer          *findings_hint;    /* on the welcome page */
  GtkLabel             *findings_hint_label;
  gboolean              findings_hint_started;
};

void  astra_window_class_actions_init (AstraWindowClass *klass);
void  astra_window_actions_init       (AstraWindow      *self);
void  astra_window_update_actions     (AstraWindow      *self);
void  astra_window_add_toast          (AstraWindow      *self,
                                       const char       *title);
void  astra_window_select_org         (AstraWindow      *self,
                                       const char       *org_id);
void  astra_window_ensure_organizations (AstraWindow    *self);
/* Shows the page the window's state calls for (welcome, organizations, keyring…). */
void  astra_window_update_main_stack  (AstraWindow      *self);

G_END_DECLS

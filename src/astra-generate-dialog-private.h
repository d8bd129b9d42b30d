/* astra-generate-dialog-private.h: what the astra-generate-dialog*.c files share
 *
 * astra-generate-dialog.c       roles, description, expiry, generating and rotating
 * astra-generate-dialog-lost.c  a creation whose answer was lost: finding the token it may
 *                               have created, and revoking it when its secret is gone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-generate-dialog.h"
#include "astra-new-token-dialog.h"

G_BEGIN_DECLS

struct _AstraGenerateDialog
{
  AdwWindow            parent_instance;

  AstraClient         *client;
  AstraSecretStore    *store;
  AstraConnection     *connection;
  GListModel          *roles;
  GtkFilterListModel  *filtered_roles;
  GtkCustomFilter     *filter;
  GHashTable          *checked;         /* role id → NULL */
  AstraToken          *old_token;       /* rotate mode */
  AstraContext        *swap_context;    /* rotating the app's own token: moves the app */
  gboolean             swap_from_environment;
  AstraNewTokenDialog *new_token_dialog; /* weak */
  GCancellable        *cancellable;
  GDateTime           *expiry_date;     /* local midnight of the chosen day, or NULL */
  gboolean             busy;
  gboolean             syncing_date;    /* the entry and the calendar follow each other */
  gboolean             revoking;
  /* A creation whose answer was lost (astra-generate-dialog-lost.c) */
  GDateTime           *request_started; /* when the last creation request left (UTC) */
  GDateTime           *lost_since;      /* when that request left; NULL when none is open */
  char                *lost_client_id;  /* the token found that it created */

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkStack            *generate_stack;
  GtkSpinner          *generate_spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkButton           *lost_button;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *rotate_group;
  GtkLabel            *rotate_label;
  AdwEntryRow         *description_row;
  AdwActionRow        *expiry_never_row;
  AdwActionRow        *expiry_30_row;
  AdwActionRow        *expiry_90_row;
  AdwActionRow        *expiry_365_row;
  AdwActionRow        *expiry_date_row;
  GtkCheckButton      *expiry_never_check;
  GtkCheckButton      *expiry_30_check;
  GtkCheckButton      *expiry_90_check;
  GtkCheckButton      *expiry_365_check;
  GtkCheckButton      *expiry_date_check;
  AdwEntryRow         *date_row;
  GtkPopover          *date_popover;
  GtkCalendar         *calendar;
  GtkSwitch           *keyring_switch;
  GtkSearchEntry      *search_entry;
  GtkStack            *roles_stack;
  GtkListBox          *roles_list;
  GtkLabel            *roles_empty_label;
  AdwPreferencesGroup *roles_group;
};

enum {
  TOKEN_GENERATED,
  TOKEN_SECURED,
  TOKEN_REVOKED,
  N_SIGNALS
};

extern guint astra_generate_dialog_signals[N_SIGNALS];

void astra_generate_dialog_update_actions (AstraGenerateDialog  *self);
void astra_generate_dialog_set_busy       (AstraGenerateDialog  *self,
                                           gboolean              busy);
/* @message: (nullable): shown in the dialog's banner; NULL hides it */
void astra_generate_dialog_show_error     (AstraGenerateDialog  *self,
                                           const char           *message);
void astra_generate_dialog_collect_roles  (AstraGenerateDialog  *self,
                                           GStrv                *ids,
                                           GStrv                *names);

/* astra-generate-dialog-lost.c */
/* The creation sent at @since may have made a token: offer to look for it. */
void astra_generate_dialog_lost_begin     (AstraGenerateDialog  *self,
                                           GDateTime            *since);
void astra_generate_dialog_lost_clear     (AstraGenerateDialog  *self);
void astra_generate_dialog_class_add_lost_actions (GtkWidgetClass *widget_class);

/* The expiry choice (astra-generate-dialog-expiry.c) */
void       astra_generate_dialog_init_expiry          (AstraGenerateDialog *self);
gboolean   astra_generate_dialog_expiry_is_valid      (AstraGenerateDialog *self);
GDateTime *astra_generate_dialog_dup_expires          (AstraGenerateDialog *self);
void       astra_generate_dialog_select_expiry_days   (AstraGenerateDialog *self,
                                                       guint                days);
void       astra_generate_dialog_on_expiry_toggled    (AstraGenerateDialog *self,
                                                       GtkCheckButton      *check);
void       astra_generate_dialog_on_date_text_changed (AstraGenerateDialog *self,
                                                       GtkEditable         *editable);

G_END_DECLS

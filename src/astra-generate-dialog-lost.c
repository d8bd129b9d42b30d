/* astra-generate-dialog-lost.c: a creation whose answer was lost
 *
 * When Astra does not confirm a new token (a 5xx from a gateway, a timeout, a connection
 * lost after the request left), the token may exist all the same, with a secret that never
 * reached this app and is never shown again. Generating again would make a second one, so
 * Generate stays off until the person has checked the token list: the dialog looks for a
 * token with the same description and roles generated since the request left, and offers
 * to revoke it; when there is none, Generate is back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-generate-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-generate-dialog-private.h"
#include "astra-token.h"

/* The server's clock may be behind ours: a token generated this much before the request
 * left still counts. */
#define CLOCK_SKEW_SECONDS 300

static void
show_lost_button (AstraGenerateDialog *self,
                  const char          *label,
                  const char          *action)
{
  gtk_button_set_label (self->lost_button, label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->lost_button), action);
  gtk_widget_set_visible (GTK_WIDGET (self->lost_button), label != NULL);
}

static gboolean
same_roles (AstraToken         *token,
            const char * const *role_ids)
{
  const char * const *listed = astra_token_get_role_ids (token);

  if (g_strv_length ((char **) listed) != g_strv_length ((char **) role_ids))
    return FALSE;
  for (guint i = 0; role_ids[i] != NULL; i++)
    if (!g_strv_contains (listed, role_ids[i]))
      return FALSE;

  return TRUE;
}

/* The newest token that the lost request may have created, or NULL. (transfer none) */
static AstraToken *
find_lost_token (AstraGenerateDialog *self,
                 GListModel          *tokens)
{
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GDateTime) earliest = g_date_time_add_seconds (self->lost_since, -CLOCK_SKEW_SECONDS);
  AstraToken *found = NULL;

  astra_generate_dialog_collect_roles (self, &ids, &names);
  description = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row))));

  for (guint i = 0; i < g_list_model_get_n_items (tokens); i++)
    {
      g_autoptr(AstraToken) token = g_list_model_get_item (tokens, i);
      GDateTime *generated = astra_token_get_generated_on (token);

      if (generated == NULL || g_date_time_compare (generated, earliest) < 0)
        continue;
      if (g_strcmp0 (astra_token_get_description (token), description) != 0 ||
          !same_roles (token, (const char * const *) ids))
        continue;
      if (found == NULL ||
          g_date_time_compare (generated, astra_token_get_generated_on (found)) > 0)
        found = token;   /* the list keeps it alive */
    }

  return found;
}

static void
on_lost_checked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AstraGenerateDialog) self = user_data;
  g_autoptr(GListModel) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  AstraToken *found;

  tokens = astra_client_list_tokens_finish (ASTRA_CLIENT (object), result, &error);
  astra_generate_dialog_set_busy (self, FALSE);

  if (tokens == NULL)
    {
      message = g_strdup_printf (_("Could not check the token list: %s"), error->message);
      astra_generate_dialog_show_error (self, message);
      return;
    }

  found = find_lost_token (self, tokens);
  if (found == NULL)
    {
      astra_generate_dialog_lost_clear (self);
      astra_generate_dialog_show_error (self, _("No token was created. You can generate it again."));
      return;
    }

  g_free (self->lost_client_id);
  self->lost_client_id = g_strdup (astra_token_get_client_id (found));
  message = g_strdup_printf (_("The token %s was created, but its secret never reached Astra "
                               "Tokens and cannot be shown again. Revoke it, then generate a "
                               "new one."),
                             self->lost_client_id);
  astra_generate_dialog_show_error (self, message);
  show_lost_button (self, _("_Revoke Lost Token"), "dialog.revoke-lost");
}

static void
on_lost_revoked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AstraGenerateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = g_strdup (self->lost_client_id);

  astra_generate_dialog_set_busy (self, FALSE);
  if (!astra_client_revoke_token_finish (ASTRA_CLIENT (object), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not revoke the lost token: %s"),
                                                  error->message);

      astra_generate_dialog_show_error (self, message);
      return;
    }

  astra_generate_dialog_lost_clear (self);
  astra_generate_dialog_show_error (self, _("The lost token was revoked. You can generate a new one."));
  g_signal_emit (self, astra_generate_dialog_signals[TOKEN_REVOKED], 0, client_id);
}

static void
check_lost_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AstraGenerateDialog *self = ASTRA_GENERATE_DIALOG (widget);

  if (self->busy || self->lost_since == NULL)
    return;

  astra_generate_dialog_set_busy (self, TRUE);
  astra_client_list_tokens_async (self->client, NULL, on_lost_checked_cb, g_object_ref (self));
}

static void
revoke_lost_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AstraGenerateDialog *self = ASTRA_GENERATE_DIALOG (widget);

  if (self->busy || self->lost_client_id == NULL)
    return;

  astra_generate_dialog_set_busy (self, TRUE);
  astra_client_revoke_token_async (self->client, self->lost_client_id, NULL,
                                   on_lost_revoked_cb, g_object_ref (self));
}

void
astra_generate_dialog_lost_begin (AstraGenerateDialog *self,
                                  GDateTime           *since)
{
  g_return_if_fail (ASTRA_IS_GENERATE_DIALOG (self));

  g_clear_pointer (&self->lost_since, g_date_time_unref);
  self->lost_since = since != NULL ? g_date_time_ref (since) : g_date_time_new_now_utc ();
  g_clear_pointer (&self->lost_client_id, g_free);
  show_lost_button (self, _("_Check Token List"), "dialog.check-lost");
  astra_generate_dialog_update_actions (self);
}

void
astra_generate_dialog_lost_clear (AstraGenerateDialog *self)
{
  g_return_if_fail (ASTRA_IS_GENERATE_DIALOG (self));

  g_clear_pointer (&self->lost_since, g_date_time_unref);
  g_clear_pointer (&self->lost_client_id, g_free);
  show_lost_button (self, NULL, NULL);
  astra_generate_dialog_update_actions (self);
}

void
astra_generate_dialog_class_add_lost_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "dialog.check-lost", NULL, check_lost_action);
  gtk_widget_class_install_action (widget_class, "dialog.revoke-lost", NULL, revoke_lost_action);
}

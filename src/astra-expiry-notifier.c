/* astra-expiry-notifier.c: one desktop notification per organization and day about the
 * tokens that expire soon
 *
 * Follows the expiry monitor: after every successful check (the monitor's own, or a page's
 * list) of an organization with tokens to look at, a notification names the organization,
 * the count and the token that expires first (its description or client id: never a
 * secret), with Review (the window on that organization, Expiring Soon on) and Rotate…
 * (the rotate dialog of that token). The local day of the last one per organization id is
 * kept in the "expiry-notified" setting, so a second check the same day, or a restart,
 * stays quiet. Failed checks never reach here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-expiry-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-connection.h"
#include "astra-expiry.h"
#include "astra-expiry-notifier.h"

struct _AstraExpiryNotifier
{
  GObject             parent_instance;

  GApplication       *application;   /* (unowned): the application owns the notifier */
  AstraContext       *context;
  AstraExpiryMonitor *monitor;
  GSettings          *settings;
};

G_DEFINE_FINAL_TYPE (AstraExpiryNotifier, astra_expiry_notifier, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static char *
dup_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static gboolean
notified_today (AstraExpiryNotifier *self,
                const char          *org_id,
                const char          *today)
{
  g_autoptr(GVariant) notified = g_settings_get_value (self->settings, "expiry-notified");
  const char *day = NULL;

  return g_variant_lookup (notified, org_id, "&s", &day) && g_strcmp0 (day, today) == 0;
}

/* Keeps the organizations still connected, and @org_id with @today. */
static void
remember (AstraExpiryNotifier *self,
          const char          *org_id,
          const char          *today)
{
  g_autoptr(GVariant) notified = g_settings_get_value (self->settings, "expiry-notified");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char *key, *day;

  g_variant_iter_init (&iter, notified);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &day))
    if (!g_str_equal (key, org_id) && astra_context_find_connection (self->context, key) != NULL)
      g_variant_builder_add (&builder, "{ss}", key, day);
  g_variant_builder_add (&builder, "{ss}", org_id, today);

  g_settings_set_value (self->settings, "expiry-notified", g_variant_builder_end (&builder));
}

static GNotification *
build_notification (AstraExpiryNotifier *self,
                    AstraConnection     *connection,
                    GListModel          *tokens,
                    AstraToken          *soonest)
{
  const char *org_id = astra_connection_get_org_id (connection);
  guint days = astra_expiry_monitor_get_threshold_days (self->monitor);
  const char *description = astra_token_get_description (soonest);
  const char *name = description != NULL && *description != '\0'
                     ? description : astra_token_get_client_id (soonest);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = astra_expiry_describe (astra_token_get_expires (soonest), now);
  g_autofree char *title = NULL;
  g_autofree char *count_text = NULL;
  guint n_soon, n_expired;
  g_autofree char *body = NULL;
  g_autoptr(GNotification) notification = NULL;
  GVariant *rotate_target;

  /* TRANSLATORS: notification title; %s is the organization's name */
  title = g_strdup_printf (_("Tokens in %s expire soon"), astra_connection_get_display_name (connection));
  astra_expiry_count_states (tokens, now, days, &n_soon, &n_expired);
  count_text = astra_expiry_describe_count (n_soon, n_expired, days);
  /* TRANSLATORS: notification body: “3 tokens expire within 14 days”, then the token that
   * expires first (its description or client id) and when (“In 3 days”, “Expired”) */
  body = g_strdup_printf (_("%s.\n“%s”: %s."), count_text, name, when);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target_value (notification, "app.review-expiring",
                                                      g_variant_new_string (org_id));
  g_notification_add_button_with_target_value (notification, _("Review"), "app.review-expiring",
                                               g_variant_new_string (org_id));
  rotate_target = g_variant_new ("(ss)", org_id, astra_token_get_client_id (soonest));
  g_notification_add_button_with_target_value (notification, _("Rotate…"), "app.rotate-token",
                                               rotate_target);

  return g_steal_pointer (&notification);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static void
on_checked_cb (AstraExpiryMonitor  *monitor,
               const char          *org_id,
               AstraExpiryNotifier *self)
{
  guint count = astra_expiry_monitor_get_count (monitor, org_id);
  AstraToken *soonest = astra_expiry_monitor_get_soonest (monitor, org_id);
  AstraConnection *connection = astra_context_find_connection (self->context, org_id);
  g_autofree char *today = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GNotification) notification = NULL;

  if (count == 0 || soonest == NULL || connection == NULL)
    return;

  today = dup_today ();
  if (notified_today (self, org_id, today))
    return;

  notification = build_notification (self, connection,
                                     astra_expiry_monitor_get_tokens (monitor, org_id), soonest);
  /* One notification per organization: a newer one replaces it. */
  id = g_strconcat ("expiry-", org_id, NULL);
  g_application_send_notification (self->application, id, notification);
  remember (self, org_id, today);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_expiry_notifier_dispose (GObject *object)
{
  AstraExpiryNotifier *self = ASTRA_EXPIRY_NOTIFIER (object);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (astra_expiry_notifier_parent_class)->dispose (object);
}

static void
astra_expiry_notifier_class_init (AstraExpiryNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = astra_expiry_notifier_dispose;
}

static void
astra_expiry_notifier_init (AstraExpiryNotifier *self)
{
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraExpiryNotifier *
astra_expiry_notifier_new (GApplication       *application,
                           AstraContext       *context,
                           AstraExpiryMonitor *monitor,
                           GSettings          *settings)
{
  AstraExpiryNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ASTRA_IS_EXPIRY_MONITOR (monitor), NULL);

  self = g_object_new (ASTRA_TYPE_EXPIRY_NOTIFIER, NULL);
  self->application = application;
  self->context = g_object_ref (context);
  self->monitor = g_object_ref (monitor);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (monitor, "checked", G_CALLBACK (on_checked_cb), self, 0);

  return self;
}

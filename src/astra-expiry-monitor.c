/* astra-expiry-monitor.c: how many tokens of each connected organization expire soon
 *
 * Lists the tokens of every connected organization (not the demo) through the context's
 * clients, counts those that expire within the "expiry-warning-days" setting or have
 * expired (src/core/astra-expiry.h), and says when a count may have changed: the sidebar
 * rows show the counts, the notifier announces them. The Tokens page reports the lists it
 * loads, so the organization on screen is not asked twice. A check that fails or takes
 * longer than the check timeout is dropped without a word: the last good count stays.
 * Once a day (just after local midnight, recomputed from the wall clock each time, so a
 * suspended laptop does not drift) every organization is checked again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-expiry-monitor"

#include "config.h"

#include "astra-client.h"
#include "astra-connection.h"
#include "astra-expiry.h"
#include "astra-expiry-monitor.h"

#define DEFAULT_CHECK_TIMEOUT_S 60
/* After a change made in the app, a window's own refresh usually reports first. */
#define CHANGE_DELAY_S 3

typedef struct
{
  char         *org_id;
  GListModel   *tokens;        /* the last list read, or NULL */
  guint         count;
  AstraToken   *soonest;
  GCancellable *cancellable;   /* of the check under way, or NULL */
  guint         timeout_id;    /* gives the check under way up */
  guint         change_id;     /* a check after tokens-changed */
} Entry;

typedef struct
{
  AstraExpiryMonitor *monitor;
  AstraConnection    *connection;
  char               *org_id;
  GCancellable       *cancellable;
} Check;

struct _AstraExpiryMonitor
{
  GObject       parent_instance;

  AstraContext *context;
  GSettings    *settings;
  GHashTable   *entries;       /* org id → Entry */
  guint         threshold_days;
  guint         check_timeout_s;
  guint         n_busy;
  guint         daily_id;
  guint         start_id;
  gboolean      started;
};

G_DEFINE_FINAL_TYPE (AstraExpiryMonitor, astra_expiry_monitor, G_TYPE_OBJECT)

enum {
  CHANGED,
  CHECKED,
  IDLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
entry_free (Entry *entry)
{
  if (entry->cancellable != NULL)
    g_cancellable_cancel (entry->cancellable);
  g_clear_object (&entry->cancellable);
  g_clear_handle_id (&entry->timeout_id, g_source_remove);
  g_clear_handle_id (&entry->change_id, g_source_remove);
  g_clear_object (&entry->tokens);
  entry->soonest = NULL;
  g_free (entry->org_id);
  g_free (entry);
}

static void
check_free (Check *check)
{
  g_clear_object (&check->monitor);
  g_clear_object (&check->connection);
  g_clear_object (&check->cancellable);
  g_free (check->org_id);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Check, check_free)

static Entry *
ensure_entry (AstraExpiryMonitor *self,
              const char         *org_id)
{
  Entry *entry = g_hash_table_lookup (self->entries, org_id);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->org_id = g_strdup (org_id);
      g_hash_table_insert (self->entries, entry->org_id, entry);
    }

  return entry;
}

static void
recount (AstraExpiryMonitor *self,
         Entry              *entry)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gpointer soonest = NULL;

  entry->count = entry->tokens != NULL
    ? astra_expiry_count_attention (entry->tokens, now, self->threshold_days, &soonest)
    : 0;
  entry->soonest = soonest;
}

static void
store_tokens (AstraExpiryMonitor *self,
              const char         *org_id,
              GListModel         *tokens)
{
  Entry *entry = ensure_entry (self, org_id);

  g_clear_handle_id (&entry->change_id, g_source_remove);
  g_set_object (&entry->tokens, tokens);
  recount (self, entry);
  g_signal_emit (self, signals[CHANGED], 0, org_id);
  g_signal_emit (self, signals[CHECKED], 0, org_id);
}

static void
check_done (Check      *check,
            GListModel *tokens)
{
  AstraExpiryMonitor *self = check->monitor;
  Entry *entry = g_hash_table_lookup (self->entries, check->org_id);

  /* The entry's check is this one unless the organization was forgotten meanwhile. */
  if (entry != NULL && entry->cancellable == check->cancellable)
    {
      g_clear_object (&entry->cancellable);
      g_clear_handle_id (&entry->timeout_id, g_source_remove);
      if (tokens != NULL)
        store_tokens (self, check->org_id, tokens);
    }

  g_assert (self->n_busy > 0);
  if (--self->n_busy == 0)
    g_signal_emit (self, signals[IDLE], 0);
}

static void
on_tokens_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Check) check = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tokens = astra_context_list_tokens_finish (ASTRA_CONTEXT (object), result,
                                                                  &error);

  /* Only the error's domain and code: its message may quote the server. */
  if (tokens == NULL)
    g_debug ("Expiry check of an organization failed (%s %d)",
             g_quark_to_string (error->domain), error->code);
  check_done (check, tokens);
}

static void
on_client_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Check) check = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraClient) client = astra_context_get_client_finish (ASTRA_CONTEXT (object), result,
                                                                  &error);
  GCancellable *cancellable;

  if (client == NULL)
    {
      g_debug ("Expiry check found no client (%s %d)",
               g_quark_to_string (error->domain), error->code);
      check_done (check, NULL);
      return;
    }

  /* Not check->cancellable in the call: the arguments may be evaluated after the steal. */
  cancellable = check->cancellable;
  astra_context_list_tokens_async (ASTRA_CONTEXT (object), client, cancellable,
                                   on_tokens_listed_cb, g_steal_pointer (&check));
}

static gboolean
on_check_timeout_cb (gpointer user_data)
{
  Entry *entry = user_data;

  entry->timeout_id = 0;
  g_debug ("Expiry check timed out");
  g_cancellable_cancel (entry->cancellable);

  return G_SOURCE_REMOVE;
}

static void
check_connection (AstraExpiryMonitor *self,
                  AstraConnection    *connection)
{
  Entry *entry;
  Check *check;

  if (astra_connection_get_is_demo (connection))
    return;

  entry = ensure_entry (self, astra_connection_get_org_id (connection));
  if (entry->cancellable != NULL)
    return;

  g_clear_handle_id (&entry->change_id, g_source_remove);
  entry->cancellable = g_cancellable_new ();
  entry->timeout_id = g_timeout_add_seconds (self->check_timeout_s, on_check_timeout_cb, entry);
  self->n_busy++;

  check = g_new0 (Check, 1);
  check->monitor = g_object_ref (self);
  check->connection = g_object_ref (connection);
  check->org_id = g_strdup (entry->org_id);
  check->cancellable = g_object_ref (entry->cancellable);
  astra_context_get_client_async (self->context, connection, check->cancellable, on_client_cb,
                                  check);
}

static gboolean on_daily_cb (gpointer user_data);

static void
schedule_daily (AstraExpiryMonitor *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_clear_handle_id (&self->daily_id, g_source_remove);
  self->daily_id = g_timeout_add_seconds (astra_expiry_seconds_to_next_check (now), on_daily_cb, self);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static gboolean
on_daily_cb (gpointer user_data)
{
  AstraExpiryMonitor *self = user_data;

  self->daily_id = 0;
  astra_expiry_monitor_check_all (self);
  schedule_daily (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_start_cb (gpointer user_data)
{
  AstraExpiryMonitor *self = user_data;
  GListModel *connections = astra_context_get_connections (self->context);
  guint n = g_list_model_get_n_items (connections);

  self->start_id = 0;
  /* Organizations a page reported meanwhile are counted already. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);
      Entry *entry = g_hash_table_lookup (self->entries, astra_connection_get_org_id (connection));

      if (entry == NULL || entry->tokens == NULL)
        check_connection (self, connection);
    }
  schedule_daily (self);
  if (self->n_busy == 0)
    g_signal_emit (self, signals[IDLE], 0);

  return G_SOURCE_REMOVE;
}

static void
on_connections_changed_cb (AstraExpiryMonitor *self)
{
  GListModel *connections = astra_context_get_connections (self->context);
  guint n = g_list_model_get_n_items (connections);
  g_autoptr(GHashTable) connected = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  Entry *entry;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);

      g_hash_table_add (connected, (gpointer) astra_connection_get_org_id (connection));
      if (self->started && self->start_id == 0 &&
          !g_hash_table_contains (self->entries, astra_connection_get_org_id (connection)))
        check_connection (self, connection);
    }

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (!g_hash_table_contains (connected, entry->org_id))
      {
        if (entry->cancellable != NULL)
          {
            /* check_done() still counts it as finished. */
            g_cancellable_cancel (entry->cancellable);
            g_clear_object (&entry->cancellable);
            g_clear_handle_id (&entry->timeout_id, g_source_remove);
          }
        g_hash_table_iter_remove (&iter);
      }
}

typedef struct
{
  AstraExpiryMonitor *monitor;
  char               *org_id;
} Delayed;

static void
delayed_free (Delayed *delayed)
{
  g_free (delayed->org_id);
  g_free (delayed);
}

static gboolean
on_delayed_check_cb (gpointer user_data)
{
  Delayed *delayed = user_data;
  AstraExpiryMonitor *self = delayed->monitor;
  Entry *entry = g_hash_table_lookup (self->entries, delayed->org_id);
  AstraConnection *connection = astra_context_find_connection (self->context, delayed->org_id);

  if (entry != NULL)
    entry->change_id = 0;
  if (connection != NULL)
    check_connection (self, connection);

  return G_SOURCE_REMOVE;
}

/* Generate, rotate or revoke: a page showing the organization refreshes and reports; for
 * one that no page shows, the monitor lists it itself. */
static void
on_tokens_changed_cb (AstraContext       *context,
                      const char         *org_id,
                      AstraExpiryMonitor *self)
{
  Entry *entry = ensure_entry (self, org_id);
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->monitor = self;
  delayed->org_id = g_strdup (org_id);
  g_clear_handle_id (&entry->change_id, g_source_remove);
  entry->change_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, CHANGE_DELAY_S,
                                                 on_delayed_check_cb, delayed,
                                                 (GDestroyNotify) delayed_free);
}

static void
on_threshold_changed_cb (AstraExpiryMonitor *self)
{
  GHashTableIter iter;
  Entry *entry;

  self->threshold_days = g_settings_get_uint (self->settings, "expiry-warning-days");
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      recount (self, entry);
      g_signal_emit (self, signals[CHANGED], 0, entry->org_id);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_expiry_monitor_dispose (GObject *object)
{
  AstraExpiryMonitor *self = ASTRA_EXPIRY_MONITOR (object);

  g_clear_handle_id (&self->daily_id, g_source_remove);
  g_clear_handle_id (&self->start_id, g_source_remove);
  if (self->entries != NULL)
    g_hash_table_remove_all (self->entries);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (astra_context_get_connections (self->context), self);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (astra_expiry_monitor_parent_class)->dispose (object);
}

static void
astra_expiry_monitor_finalize (GObject *object)
{
  AstraExpiryMonitor *self = ASTRA_EXPIRY_MONITOR (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (astra_expiry_monitor_parent_class)->finalize (object);
}

static void
astra_expiry_monitor_class_init (AstraExpiryMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = astra_expiry_monitor_dispose;
  object_class->finalize = astra_expiry_monitor_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CHECKED] = g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[IDLE] = g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
astra_expiry_monitor_init (AstraExpiryMonitor *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  self->threshold_days = ASTRA_EXPIRY_DEFAULT_THRESHOLD_DAYS;
  self->check_timeout_s = DEFAULT_CHECK_TIMEOUT_S;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraExpiryMonitor *
astra_expiry_monitor_new (AstraContext *context,
                          GSettings    *settings)
{
  AstraExpiryMonitor *self;

  g_return_val_if_fail (ASTRA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (ASTRA_TYPE_EXPIRY_MONITOR, NULL);
  self->context = g_object_ref (context);
  self->settings = g_object_ref (settings);

  g_signal_connect_object (settings, "changed::expiry-warning-days",
                           G_CALLBACK (on_threshold_changed_cb), self, G_CONNECT_SWAPPED);
  self->threshold_days = g_settings_get_uint (settings, "expiry-warning-days");
  g_signal_connect_object (context, "tokens-changed", G_CALLBACK (on_tokens_changed_cb), self, 0);
  g_signal_connect_object (astra_context_get_connections (context), "items-changed",
                           G_CALLBACK (on_connections_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

void
astra_expiry_monitor_start (AstraExpiryMonitor *self,
                            guint               delay_seconds)
{
  g_return_if_fail (ASTRA_IS_EXPIRY_MONITOR (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->start_id = g_timeout_add_seconds (delay_seconds, on_start_cb, self);
}

void
astra_expiry_monitor_check_all (AstraExpiryMonitor *self)
{
  GListModel *connections;
  guint n;

  g_return_if_fail (ASTRA_IS_EXPIRY_MONITOR (self));

  connections = astra_context_get_connections (self->context);
  n = g_list_model_get_n_items (connections);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraConnection) connection = g_list_model_get_item (connections, i);

      check_connection (self, connection);
    }
}

gboolean
astra_expiry_monitor_is_busy (AstraExpiryMonitor *self)
{
  g_return_val_if_fail (ASTRA_IS_EXPIRY_MONITOR (self), FALSE);
  return self->n_busy > 0 || self->start_id != 0;
}

void
astra_expiry_monitor_report (AstraExpiryMonitor *self,
                             const char         *org_id,
                             GListModel         *tokens)
{
  AstraConnection *connection;

  g_return_if_fail (ASTRA_IS_EXPIRY_MONITOR (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (tokens));

  connection = astra_context_find_connection (self->context, org_id);
  if (connection == NULL || astra_connection_get_is_demo (connection))
    return;

  store_tokens (self, org_id, tokens);
}

guint
astra_expiry_monitor_get_count (AstraExpiryMonitor *self,
                                const char         *org_id)
{
  Entry *entry;

  g_return_val_if_fail (ASTRA_IS_EXPIRY_MONITOR (self), 0);

  entry = g_hash_table_lookup (self->entries, org_id);
  return entry != NULL ? entry->count : 0;
}

AstraToken *
astra_expiry_monitor_get_soonest (AstraExpiryMonitor *self,
                                  const char         *org_id)
{
  Entry *entry;

  g_return_val_if_fail (ASTRA_IS_EXPIRY_MONITOR (self), NULL);

  entry = g_hash_table_lookup (self->entries, org_id);
  return entry != NULL ? entry->soonest : NULL;
}

GListModel *
astra_expiry_monitor_get_tokens (AstraExpiryMonitor *self,
                                 const char         *org_id)
{
  Entry *entry;

  g_return_val_if_fail (ASTRA_IS_EXPIRY_MONITOR (self), NULL);

  entry = g_hash_table_lookup (self->entries, org_id);
  return entry != NULL ? entry->tokens : NULL;
}

guint
astra_expiry_monitor_get_threshold_days (AstraExpiryMonitor *self)
{
  g_return_val_if_fail (ASTRA_IS_EXPIRY_MONITOR (self), 0);
  return self->threshold_days;
}

void
astra_expiry_monitor_set_check_timeout (AstraExpiryMonitor *self,
                                        guint               seconds)
{
  g_return_if_fail (ASTRA_IS_EXPIRY_MONITOR (self));
  self->check_timeout_s = MAX (1, seconds);
}

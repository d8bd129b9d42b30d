/* astra-generate-dialog-expiry.c: the Generate Token dialog's expiry choice
 *
 * Never, three presets and a day of one's own: each choice says the day it stands for, a
 * typed day ("2031-12-31" or the locale's way) and the calendar follow each other, and
 * the day must be after today. The default comes from the default-expiry-days setting;
 * rotating preselects the old token's lifetime.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-generate-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "astra-generate-dialog-private.h"
#include "astra-settings.h"

typedef enum {
  EXPIRY_NEVER,
  EXPIRY_30,
  EXPIRY_90,
  EXPIRY_365,
  EXPIRY_DATE,
  N_EXPIRY_CHOICES
} ExpiryChoice;

/* The days of each preset choice; EXPIRY_NEVER and EXPIRY_DATE have none. */
static const guint expiry_choice_days[N_EXPIRY_CHOICES] = { 0, 30, 90, 365, 0 };


static GDateTime *
today_local (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_new_local (g_date_time_get_year (now),
                                g_date_time_get_month (now),
                                g_date_time_get_day_of_month (now),
                                0, 0, 0);
}


static GtkCheckButton *
get_expiry_check (AstraGenerateDialog *self,
                  ExpiryChoice         choice)
{
  GtkCheckButton *checks[N_EXPIRY_CHOICES] = {
    self->expiry_never_check, self->expiry_30_check, self->expiry_90_check,
    self->expiry_365_check, self->expiry_date_check,
  };

  return checks[choice];
}


static ExpiryChoice
get_expiry_choice (AstraGenerateDialog *self)
{
  for (ExpiryChoice choice = EXPIRY_NEVER; choice < N_EXPIRY_CHOICES; choice++)
    if (gtk_check_button_get_active (get_expiry_check (self, choice)))
      return choice;

  return EXPIRY_NEVER;
}


static gboolean
expiry_date_valid (AstraGenerateDialog *self)
{
  g_autoptr(GDateTime) today = today_local ();

  return self->expiry_date != NULL && g_date_time_compare (self->expiry_date, today) > 0;
}


/* A day typed as year-month-day (what the field shows), or in the locale's own way
 * ("31.12.2031", "12/31/2031"). Local midnight, or NULL. (transfer full) */
static GDateTime *
parse_date (const char *text)
{
  g_autoptr(GDate) date = g_date_new ();
  guint year, month, day;
  char end;

  if (sscanf (text, " %4u-%2u-%2u %c", &year, &month, &day, &end) == 3)
    {
      if (!g_date_valid_dmy (day, month, year))
        return NULL;
      g_date_set_dmy (date, day, month, year);
    }
  else
    {
      g_date_set_parse (date, text);
      if (!g_date_valid (date))
        return NULL;
    }

  return g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 0, 0, 0);
}


/* The expiry to send, or NULL for none. (transfer full) */
GDateTime *
astra_generate_dialog_dup_expires (AstraGenerateDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  switch (get_expiry_choice (self))
    {
    case EXPIRY_30:
    case EXPIRY_90:
    case EXPIRY_365:
      return g_date_time_add_days (now, expiry_choice_days[get_expiry_choice (self)]);
    case EXPIRY_DATE:
      if (self->expiry_date != NULL)
        {
          /* The end of the chosen day, local time. */
          g_autoptr(GDateTime) end = g_date_time_add_seconds (self->expiry_date, 86399);
          return g_date_time_to_utc (end);
        }
      return NULL;
    case EXPIRY_NEVER:
    case N_EXPIRY_CHOICES:
    default:
      return NULL;
    }
}


/* Each choice says the day it stands for, so nobody has to count. */
static void
update_expiry_subtitles (AstraGenerateDialog *self)
{
  AdwActionRow *rows[N_EXPIRY_CHOICES] = {
    self->expiry_never_row, self->expiry_30_row, self->expiry_90_row, self->expiry_365_row,
    self->expiry_date_row,
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  adw_action_row_set_subtitle (rows[EXPIRY_NEVER], _("The token works until it is revoked"));
  for (ExpiryChoice choice = EXPIRY_30; choice <= EXPIRY_365; choice++)
    {
      g_autoptr(GDateTime) until = g_date_time_add_days (now, expiry_choice_days[choice]);
      g_autofree char *day = g_date_time_format (until, "%Y-%m-%d");
      /* Translators: %s is a day, 2031-12-31 */
      g_autofree char *text = g_strdup_printf (_("Until %s"), day);

      adw_action_row_set_subtitle (rows[choice], text);
    }
}


/* The date choice's subtitle says what the typed day means, or what is wrong with it. */
static void
update_date_row (AstraGenerateDialog *self)
{
  gboolean valid = expiry_date_valid (self);

  if (valid)
    {
      g_autofree char *day = g_date_time_format (self->expiry_date, "%Y-%m-%d");
      /* Translators: %s is a day, 2031-12-31 */
      g_autofree char *text = g_strdup_printf (_("Until the end of %s"), day);

      gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
      adw_action_row_set_subtitle (self->expiry_date_row, text);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
      adw_action_row_set_subtitle (self->expiry_date_row,
                                   self->expiry_date == NULL
                                   ? _("Type the day as year-month-day, or choose it from the calendar")
                                   : _("Choose a day after today"));
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->date_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               valid ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
}


/* @date: (nullable): any time of the day, or NULL for a day that could not be read */
static void
set_expiry_date (AstraGenerateDialog *self,
                 GDateTime           *date)
{
  g_clear_pointer (&self->expiry_date, g_date_time_unref);
  if (date != NULL)
    self->expiry_date = g_date_time_new_local (g_date_time_get_year (date),
                                               g_date_time_get_month (date),
                                               g_date_time_get_day_of_month (date),
                                               0, 0, 0);
  update_date_row (self);
  astra_generate_dialog_update_actions (self);
}


/* Shows @date in the field and the calendar. */
static void
show_expiry_date (AstraGenerateDialog *self,
                  GDateTime           *date)
{
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

  self->syncing_date = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), text);
  gtk_calendar_select_day (self->calendar, date);
  self->syncing_date = FALSE;
  set_expiry_date (self, date);
}


/* Preselects an expiry @days from today (0: never): a preset when one matches, else that
 * day. */
void
astra_generate_dialog_select_expiry_days (AstraGenerateDialog *self,
                                          guint                days)
{
  g_autoptr(GDateTime) today = today_local ();
  g_autoptr(GDateTime) date = NULL;
  ExpiryChoice selected = days == 0 ? EXPIRY_NEVER : EXPIRY_DATE;

  /* Another number of days (gsettings set) is offered as that day. */
  for (ExpiryChoice choice = EXPIRY_30; choice <= EXPIRY_365; choice++)
    if (expiry_choice_days[choice] == days)
      selected = choice;

  date = g_date_time_add_days (today, days > 0 ? days : 30);
  show_expiry_date (self, date);
  gtk_check_button_set_active (get_expiry_check (self, selected), TRUE);
}


static void
apply_default_expiry (AstraGenerateDialog *self)
{
  g_autoptr(GSettings) settings = astra_settings_try_new ();

  astra_generate_dialog_select_expiry_days (self, settings != NULL ? g_settings_get_uint (settings, "default-expiry-days") : 0);
}


void
astra_generate_dialog_on_expiry_toggled (AstraGenerateDialog *self,
                                         GtkCheckButton      *check)
{
  /* Both the choice left and the one taken report; the second one is enough. */
  if (!gtk_check_button_get_active (check))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->date_row), check == self->expiry_date_check);
  astra_generate_dialog_update_actions (self);
}


void
astra_generate_dialog_on_date_text_changed (AstraGenerateDialog *self,
                                            GtkEditable         *editable)
{
  g_autoptr(GDateTime) date = NULL;

  if (self->syncing_date)
    return;

  date = parse_date (gtk_editable_get_text (editable));
  if (date != NULL)
    {
      self->syncing_date = TRUE;
      gtk_calendar_select_day (self->calendar, date);
      self->syncing_date = FALSE;
    }
  set_expiry_date (self, date);
}


/* GTK 4.8 emits day-selected only when the day of the month changes (not for 3 December
 * after 3 January, nor after a month or year arrow), so the date is followed through the
 * notifications of all three parts; each reports a calendar that already holds the new date. */
static void
on_calendar_date_notify_cb (GtkCalendar         *calendar,
                            GParamSpec          *pspec,
                            AstraGenerateDialog *self)
{
  g_autoptr(GDateTime) date = NULL;

  if (self->syncing_date)
    return;

  date = gtk_calendar_get_date (calendar);
  if (self->expiry_date != NULL &&
      g_date_time_get_year (date) == g_date_time_get_year (self->expiry_date) &&
      g_date_time_get_day_of_year (date) == g_date_time_get_day_of_year (self->expiry_date))
    return;

  show_expiry_date (self, date);
}


/* A click on a day: the choice is made, so the calendar goes away. */
static void
on_day_selected_cb (GtkCalendar         *calendar,
                    AstraGenerateDialog *self)
{
  if (self->syncing_date)
    return;

  on_calendar_date_notify_cb (calendar, NULL, self);
  gtk_popover_popdown (self->date_popover);
}

gboolean
astra_generate_dialog_expiry_is_valid (AstraGenerateDialog *self)
{
  return get_expiry_choice (self) != EXPIRY_DATE || expiry_date_valid (self);
}

void
astra_generate_dialog_init_expiry (AstraGenerateDialog *self)
{
  g_signal_connect (self->calendar, "day-selected", G_CALLBACK (on_day_selected_cb), self);
  g_signal_connect (self->calendar, "notify::day", G_CALLBACK (on_calendar_date_notify_cb), self);
  g_signal_connect (self->calendar, "notify::month", G_CALLBACK (on_calendar_date_notify_cb), self);
  g_signal_connect (self->calendar, "notify::year", G_CALLBACK (on_calendar_date_notify_cb), self);

  update_expiry_subtitles (self);
  apply_default_expiry (self);
}

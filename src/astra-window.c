/* astra-window.c
 *
 * The main window. (Skeleton: the full window is built in issue #4.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-window"

#include "config.h"

#include <glib/gi18n.h>

#include "astra-window.h"

struct _AstraWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (AstraWindow, astra_window, ADW_TYPE_APPLICATION_WINDOW)

static void
astra_window_class_init (AstraWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/astra-window.ui");
}

static void
astra_window_init (AstraWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AstraWindow *
astra_window_new (AstraApplication *application)
{
  return g_object_new (ASTRA_TYPE_WINDOW, "application", application, NULL);
}

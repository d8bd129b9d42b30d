/* astra-search-provider.c: the held tokens in GNOME Shell's search
 *
 * GNOME Shell starts the app by D-Bus activation (--gapplication-service, no window) and
 * calls it for every key typed in the overview. Each call holds the application while it
 * runs; after a search the application stays a little longer (KEEP_WARM_SECONDS), so that
 * the next keystroke finds the index in memory instead of a new process reading the
 * keyring. A copied token is on a clipboard this process serves: the application stays
 * until the clipboard no longer holds it (cleared after the set time, or replaced).
 *
 * Nothing here ever reads a secret, except ActivateResult, which looks up the one token
 * it copies; no reply, notification or log line contains it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-search-provider"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "astra-application.h"
#include "astra-clipboard.h"
#include "astra-display-text.h"
#include "astra-generated-token.h"
#include "astra-held-index.h"
#include "astra-search-provider.h"
#include "astra-window.h"

#define INTERFACE_NAME    "org.gnome.Shell.SearchProvider2"
#define INTERFACE_XML     RESOURCE_BASE "/dbus/org.gnome.Shell.SearchProvider2.xml"
#define KEEP_WARM_SECONDS 30

struct _AstraSearchProvider
{
  GObject          parent_instance;

  GApplication    *application;         /* owns the provider */
  GDBusConnection *connection;
  guint            registration_id;
  AstraHeldIndex  *index;               /* created at the first call */

  guint            keep_warm_id;        /* releases the hold that keeps the index warm */
  GdkClipboard    *clipboard;           /* while it holds a token copied here (held) */
  gulong           clipboard_handler;
};

G_DEFINE_FINAL_TYPE (AstraSearchProvider, astra_search_provider, G_TYPE_OBJECT)

/* One method call, held while the index is made current or the keyring answers. */
typedef struct
{
  AstraSearchProvider   *self;
  GDBusMethodInvocation *invocation;
} Call;

static void
call_free (Call *call)
{
  g_application_release (call->self->application);
  g_object_unref (call->self);
  /* Answered by now (g_dbus_method_invocation_return_*() took it), unless it failed. */
  g_clear_object (&call->invocation);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static AstraSecretStore *
get_store (AstraSearchProvider *self)
{
  AstraContext *context = astra_application_get_context (ASTRA_APPLICATION (self->application));

  return astra_context_get_secret_store (context);
}

static AstraHeldIndex *
get_index (AstraSearchProvider *self)
{
  if (self->index == NULL)
    self->index = astra_held_index_new (get_store (self));

  return self->index;
}

static gboolean
on_keep_warm_timeout_cb (gpointer user_data)
{
  AstraSearchProvider *self = user_data;

  self->keep_warm_id = 0;
  g_application_release (self->application);

  return G_SOURCE_REMOVE;
}

static void
keep_warm (AstraSearchProvider *self)
{
  if (self->keep_warm_id != 0)
    g_source_remove (self->keep_warm_id);
  else
    g_application_hold (self->application);

  self->keep_warm_id = g_timeout_add_seconds (KEEP_WARM_SECONDS, on_keep_warm_timeout_cb, self);
}

/* What a result is called: its description, else its client id. (transfer full) */
static char *
dup_result_name (const char *description,
                 const char *client_id)
{
  return astra_display_text_new (description != NULL && description[0] != '\0'
                                 ? description : client_id,
                                 ASTRA_DISPLAY_TEXT_LINE_CHARS, ASTRA_DISPLAY_TEXT_FIRST_LINE);
}

/* "ROLE NAMES — ORG", or either alone. (transfer full) */
static char *
dup_result_description (AstraHeldToken *token)
{
  const char *roles = astra_held_token_get_role_names (token);
  const char *org = astra_held_token_get_org_name (token);
  g_autofree char *text = NULL;

  if (roles[0] != '\0' && org[0] != '\0')
    /* Translators: a token in GNOME Shell's search: its role names, its organization. */
    text = g_strdup_printf (_("%s — %s"), roles, org);
  else
    text = g_strdup (roles[0] != '\0' ? roles : org);

  return astra_display_text_new (text, ASTRA_DISPLAY_TEXT_LINE_CHARS,
                                 ASTRA_DISPLAY_TEXT_FIRST_LINE);
}

static GVariant *
build_metas (AstraSearchProvider *self,
             const char * const  *ids)
{
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);
  g_autofree char *icon_name = g_icon_to_string (icon);
  /* (transfer full), not floating: no ref_sink, or the icon leaks with every answer. */
  g_autoptr(GVariant) icon_variant = g_icon_serialize (icon);
  GVariantBuilder metas;

  g_variant_builder_init (&metas, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      AstraHeldToken *token = astra_held_index_lookup (self->index, ids[i]);
      g_autofree char *name = NULL;
      g_autofree char *description = NULL;

      if (token == NULL)
        continue;

      name = dup_result_name (astra_held_token_get_description (token),
                              astra_held_token_get_client_id (token));
      description = dup_result_description (token);

      g_variant_builder_open (&metas, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (&metas, "{sv}", "id", g_variant_new_string (ids[i]));
      g_variant_builder_add (&metas, "{sv}", "name", g_variant_new_string (name));
      g_variant_builder_add (&metas, "{sv}", "description", g_variant_new_string (description));
      g_variant_builder_add (&metas, "{sv}", "gicon", g_variant_new_string (icon_name));
      g_variant_builder_add (&metas, "{sv}", "icon", icon_variant);
      g_variant_builder_close (&metas);
    }

  return g_variant_builder_end (&metas);
}

static void
notify (AstraSearchProvider *self,
        const char          *title,
        const char          *body)
{
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);

  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_application_send_notification (self->application, "token-copied", notification);
}

static void
notify_copied (AstraSearchProvider *self,
               const char          *name)
{
  guint seconds = astra_clipboard_get_clear_seconds ();
  g_autofree char *body = NULL;

  if (seconds > 0)
    /* Translators: %s is a token's description (or client id), never the token itself. */
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "“%s” is on the clipboard. It will be cleared in %u second.",
                                         "“%s” is on the clipboard. It will be cleared in %u seconds.",
                                         seconds),
                            name, seconds);
  else
    /* Translators: %s is a token's description (or client id), never the token itself. */
    body = g_strdup_printf (_("“%s” is on the clipboard."), name);

  notify (self, _("Token copied"), body);
}

/* The clipboard changed: once our token is no longer on it, this process need not stay. */
static void
on_clipboard_changed_cb (AstraSearchProvider *self)
{
  if (astra_clipboard_holds_secret ())
    return;

  g_clear_signal_handler (&self->clipboard_handler, self->clipboard);
  g_clear_object (&self->clipboard);
  g_application_release (self->application);
}

static void
stay_while_copied (AstraSearchProvider *self,
                   GdkClipboard        *clipboard)
{
  if (self->clipboard != NULL)
    return;   /* already staying for an earlier copy, on the same clipboard */

  g_application_hold (self->application);
  self->clipboard = g_object_ref (clipboard);
  self->clipboard_handler = g_signal_connect_swapped (clipboard, "changed",
                                                      G_CALLBACK (on_clipboard_changed_cb), self);
}

/* ------------------------------------------------------------------------------------------ */
/* Methods                                                                                    */

static void
on_token_looked_up_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  AstraSearchProvider *self = call->self;
  g_autoptr(AstraGeneratedToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  GdkDisplay *display = gdk_display_get_default ();
  GdkClipboard *clipboard;

  token = astra_secret_store_lookup_generated_finish (ASTRA_SECRET_STORE (object), result, &error);
  if (token == NULL)
    {
      notify (self, _("Could not copy the token"), error->message);
      g_dbus_method_invocation_return_gerror (g_steal_pointer (&call->invocation), error);
      return;
    }

  if (display == NULL)
    {
      g_dbus_method_invocation_return_error_literal (g_steal_pointer (&call->invocation),
                                                     G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                                     "No display to copy to");
      return;
    }

  clipboard = gdk_display_get_clipboard (display);
  astra_clipboard_copy_to (clipboard, astra_generated_token_get_token (token), TRUE);
  stay_while_copied (self, clipboard);

  name = dup_result_name (astra_generated_token_get_description (token),
                          astra_generated_token_get_client_id (token));
  notify_copied (self, name);
  g_dbus_method_invocation_return_value (g_steal_pointer (&call->invocation), NULL);
}

static void
activate_result (Call       *call,
                 const char *id)
{
  AstraSearchProvider *self = call->self;
  g_auto(GStrv) parts = g_strsplit (id, "/", 2);

  if (g_strv_length (parts) != 2 || parts[0][0] == '\0' || parts[1][0] == '\0')
    {
      g_dbus_method_invocation_return_error (g_steal_pointer (&call->invocation), G_DBUS_ERROR,
                                             G_DBUS_ERROR_INVALID_ARGS,
                                             "No such result: %s", id);
      call_free (call);
      return;
    }

  astra_secret_store_lookup_generated_async (get_store (self), parts[0], parts[1], NULL,
                                             on_token_looked_up_cb, call);
}

static void
launch_search (Call               *call,
               const char * const *terms)
{
  AstraSearchProvider *self = call->self;
  g_auto(GStrv) ids = astra_held_index_search (self->index, terms, NULL);
  g_autofree char *text = g_strjoinv (" ", (char **) terms);
  const char *org_id = NULL;
  GtkWindow *window;

  if (ids[0] != NULL)
    org_id = astra_held_token_get_org_id (astra_held_index_lookup (self->index, ids[0]));

  /* The one place the provider opens a window: the person asked for the app. */
  g_application_activate (self->application);
  window = gtk_application_get_active_window (GTK_APPLICATION (self->application));
  if (ASTRA_IS_WINDOW (window))
    astra_window_search_tokens (ASTRA_WINDOW (window), org_id, text);

  g_dbus_method_invocation_return_value (g_steal_pointer (&call->invocation), NULL);
}

/* Answers a call once the index holds what the keyring holds. */
static void
on_index_ready_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Call *call = user_data;
  AstraSearchProvider *self = call->self;
  const char *method = g_dbus_method_invocation_get_method_name (call->invocation);
  GVariant *parameters = g_dbus_method_invocation_get_parameters (call->invocation);
  g_autoptr(GError) error = NULL;
  g_autofree const char **terms = NULL;
  g_autofree const char **previous = NULL;
  g_autofree const char **ids = NULL;
  g_auto(GStrv) results = NULL;
  const char *id = NULL;

  /* A keyring that cannot be read has nothing to show: empty answers, said in the log. */
  if (!astra_held_index_ensure_finish (ASTRA_HELD_INDEX (object), result, &error))
    g_debug ("Searching what the keyring had before: %s", error->message);

  if (g_str_equal (method, "GetInitialResultSet"))
    {
      g_variant_get (parameters, "(^a&s)", &terms);
      results = astra_held_index_search (self->index, terms, NULL);
    }
  else if (g_str_equal (method, "GetSubsearchResultSet"))
    {
      g_variant_get (parameters, "(^a&s^a&s)", &previous, &terms);
      results = astra_held_index_search (self->index, terms, previous);
    }
  else if (g_str_equal (method, "GetResultMetas"))
    {
      g_variant_get (parameters, "(^a&s)", &ids);
      g_dbus_method_invocation_return_value (g_steal_pointer (&call->invocation),
                                             g_variant_new_tuple ((GVariant *[]) { build_metas (self, ids) }, 1));
    }
  else if (g_str_equal (method, "ActivateResult"))
    {
      g_variant_get (parameters, "(&s^a&su)", &id, &terms, NULL);
      activate_result (call, id);
      return;
    }
  else if (g_str_equal (method, "LaunchSearch"))
    {
      g_variant_get (parameters, "(^a&su)", &terms, NULL);
      launch_search (call, terms);
    }

  if (results != NULL)
    g_dbus_method_invocation_return_value (g_steal_pointer (&call->invocation),
                                           g_variant_new ("(^as)", results));
  keep_warm (self);
  call_free (call);
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  AstraSearchProvider *self = user_data;
  Call *call = g_new0 (Call, 1);

  /* Held until answered: a D-Bus activated service would otherwise quit meanwhile. */
  g_application_hold (self->application);
  call->self = g_object_ref (self);
  call->invocation = invocation;   /* (transfer full) from GDBus */

  astra_held_index_ensure_async (get_index (self), NULL, on_index_ready_cb, call);
}

static const GDBusInterfaceVTable interface_vtable = { method_call_cb, NULL, NULL, { 0 } };

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
astra_search_provider_dispose (GObject *object)
{
  AstraSearchProvider *self = ASTRA_SEARCH_PROVIDER (object);

  astra_search_provider_unregister (self);
  g_clear_handle_id (&self->keep_warm_id, g_source_remove);
  g_clear_signal_handler (&self->clipboard_handler, self->clipboard);
  g_clear_object (&self->clipboard);
  g_clear_object (&self->index);

  G_OBJECT_CLASS (astra_search_provider_parent_class)->dispose (object);
}

static void
astra_search_provider_class_init (AstraSearchProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = astra_search_provider_dispose;
}

static void
astra_search_provider_init (AstraSearchProvider *self)
{
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

AstraSearchProvider *
astra_search_provider_new (GApplication *application)
{
  AstraSearchProvider *self;

  g_return_val_if_fail (ASTRA_IS_APPLICATION (application), NULL);

  self = g_object_new (ASTRA_TYPE_SEARCH_PROVIDER, NULL);
  self->application = application;

  return self;
}

gboolean
astra_search_provider_register (AstraSearchProvider  *self,
                                GDBusConnection      *connection,
                                const char           *object_path,
                                GError              **error)
{
  g_autoptr(GBytes) xml = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (ASTRA_IS_SEARCH_PROVIDER (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  xml = g_resources_lookup_data (INTERFACE_XML, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (xml == NULL)
    return FALSE;
  node = g_dbus_node_info_new_for_xml (g_bytes_get_data (xml, NULL), error);
  if (node == NULL)
    return FALSE;

  path = g_strconcat (object_path, "/SearchProvider", NULL);
  self->registration_id =
    g_dbus_connection_register_object (connection, path,
                                       g_dbus_node_info_lookup_interface (node, INTERFACE_NAME),
                                       &interface_vtable, self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;

  self->connection = g_object_ref (connection);
  return TRUE;
}

void
astra_search_provider_unregister (AstraSearchProvider *self)
{
  g_return_if_fail (ASTRA_IS_SEARCH_PROVIDER (self));

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
}

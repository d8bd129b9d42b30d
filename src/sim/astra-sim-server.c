/* astra-sim-server.c: the simulator object — listening, counting, latency and faults
 *
 * Everything runs in the caller's main context and nothing blocks it: a delayed answer
 * (--latency, slow/MS) pauses the message and resumes it from a timeout, and dropped
 * connections are closed from an idle callback while the message is paused, outside
 * libsoup's own I/O callbacks. The router decides what each request means.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-sim"

#include "config.h"

#include <string.h>

#include "astra-sim-faults-private.h"
#include "astra-sim-private.h"
#include "astra-sim-server.h"
#include "astra-sim-state-private.h"

struct _AstraSimServer
{
  GObject       parent_instance;

  SoupServer   *soup;
  AstraSimData *data;
  GPtrArray    *faults;         /* AstraSimFault* */
  GHashTable   *pending;        /* Pending* of paused messages */

  char         *base_url;
  char         *admin_token;
  char         *admin_client_id;
  char         *state_path;

  guint         n_seed_tokens;
  guint         n_databases;
  guint         latency_ms;
  guint         request_count;

  guint         seeded : 1;
  guint         listening : 1;
};

G_DEFINE_FINAL_TYPE (AstraSimServer, astra_sim_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (astra-sim-error-quark, astra_sim_error)

#define DEFAULT_DATABASES 3
#define LISTEN_BACKLOG    512
#define ADMIN_DESCRIPTION "astra-sim administrator token"

/* A message paused until its delay is over, or until it can be dropped. */
typedef struct
{
  AstraSimServer    *self;      /* unowned: the server outlives its pending set */
  SoupServerMessage *msg;
  AstraSimFault      fault;
  gboolean           has_fault;
  gboolean           disconnected;
  gulong             disconnected_id;
  guint              source_id;
} Pending;

/* ------------------------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------------------------- */

static void
pending_free (Pending *pending)
{
  g_clear_handle_id (&pending->source_id, g_source_remove);
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  g_clear_object (&pending->msg);
  g_free (pending);
}

static void
close_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = NULL;

  /* The message may be freed as a side effect of stealing: the caller holds a reference. */
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
log_answer (SoupServerMessage *msg)
{
  /* Method, path and status only: never headers (Authorization) nor bodies (secrets). */
  g_debug ("%s %s -> %u", soup_server_message_get_method (msg),
           g_uri_get_path (soup_server_message_get_uri (msg)),
           soup_server_message_get_status (msg));
}

/* Runs a request that may be answered now; returns FALSE when the connection was dropped. */
static gboolean
run_request (AstraSimServer      *self,
             SoupServerMessage   *msg,
             const AstraSimFault *fault)
{
  if (fault != NULL && astra_sim_fault_replaces_answer (fault))
    {
      astra_sim_fault_respond (fault, msg);
      log_answer (msg);
      return TRUE;
    }

  if (fault != NULL && fault->kind == ASTRA_SIM_FAULT_DROP)
    {
      g_debug ("%s %s -> connection dropped", soup_server_message_get_method (msg),
               g_uri_get_path (soup_server_message_get_uri (msg)));
      close_connection (msg);
      return FALSE;
    }

  astra_sim_router_dispatch (self, msg);
  if (fault != NULL && astra_sim_fault_spoils_answer (fault))
    astra_sim_fault_spoil (fault, msg);
  log_answer (msg);

  if (fault != NULL && fault->kind == ASTRA_SIM_FAULT_DROP_AFTER)
    {
      g_debug ("(answer dropped: connection closed)");
      close_connection (msg);
      return FALSE;
    }
  return TRUE;
}

static void
ensure_seeded (AstraSimServer *self)
{
  if (self->seeded)
    return;
  self->seeded = TRUE;

  astra_sim_seed_sample_data (self->data, self->n_databases);
  astra_sim_seed_bulk_tokens (self->data, self->n_seed_tokens);
  astra_sim_server_changed (self);
}

/* ------------------------------------------------------------------------------------------
 * Callbacks
 * ---------------------------------------------------------------------------------------- */

static gboolean
on_pending_ready_cb (gpointer user_data)
{
  Pending *pending = user_data;
  AstraSimServer *self = pending->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  gboolean disconnected = pending->disconnected;
  AstraSimFault fault = pending->fault;
  gboolean has_fault = pending->has_fault;

  pending->source_id = 0;
  g_hash_table_remove (self->pending, pending);

  /* libsoup reports a client that went away only while it does I/O for the message, so a
   * paused request usually still runs, like on a real server; when we do know, skip it. */
  if (disconnected)
    return G_SOURCE_REMOVE;

  if (run_request (self, msg, has_fault ? &fault : NULL))
    soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static void
on_message_disconnected_cb (SoupServerMessage *msg,
                            gpointer           user_data)
{
  Pending *pending = user_data;

  pending->disconnected = TRUE;
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  AstraSimServer *self = user_data;
  AstraSimFault fault = { 0 };
  gboolean has_fault;
  gboolean must_pause;
  guint delay;
  Pending *pending;

  g_assert (ASTRA_IS_SIM_SERVER (self));

  has_fault = astra_sim_faults_take (self->faults, soup_server_message_get_method (msg),
                                     path, &fault);
  delay = self->latency_ms;
  if (has_fault && fault.kind == ASTRA_SIM_FAULT_SLOW)
    delay += fault.value;
  must_pause = delay > 0 ||
               (has_fault && (fault.kind == ASTRA_SIM_FAULT_DROP ||
                              fault.kind == ASTRA_SIM_FAULT_DROP_AFTER));

  if (!must_pause)
    {
      run_request (self, msg, has_fault ? &fault : NULL);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->fault = fault;
  pending->has_fault = has_fault;
  pending->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (on_message_disconnected_cb),
                                               pending);
  g_hash_table_add (self->pending, pending);

  soup_server_message_pause (msg);
  if (delay > 0)
    pending->source_id = g_timeout_add (delay, on_pending_ready_cb, pending);
  else
    /* At default priority, not an idle's: the simulator shares the app's main loop (demo
     * organization, tests), where GTK's redraws outrank idles and starve them for as long
     * as a spinner animates on a slow machine. */
    pending->source_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_pending_ready_cb, pending, NULL);
}

/* Before the body is read: count the request, and refuse a declared oversized body without
 * keeping it in memory. */
static void
on_early_request_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  AstraSimServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  self->request_count++;

  if (length > ASTRA_SIM_MAX_BODY)
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      astra_sim_message_set_json_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                        "request body is too large");
      log_answer (msg);
    }
}

/* ------------------------------------------------------------------------------------------
 * GObject
 * ---------------------------------------------------------------------------------------- */

static void
astra_sim_server_dispose (GObject *object)
{
  AstraSimServer *self = ASTRA_SIM_SERVER (object);

  astra_sim_server_disconnect (self);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (astra_sim_server_parent_class)->dispose (object);
}

static void
astra_sim_server_finalize (GObject *object)
{
  AstraSimServer *self = ASTRA_SIM_SERVER (object);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->data, astra_sim_data_free);
  g_free (self->base_url);
  if (self->admin_token != NULL)
    explicit_bzero (self->admin_token, strlen (self->admin_token));
  g_free (self->admin_token);
  g_free (self->admin_client_id);
  g_free (self->state_path);

  G_OBJECT_CLASS (astra_sim_server_parent_class)->finalize (object);
}

static void
astra_sim_server_class_init (AstraSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = astra_sim_server_dispose;
  object_class->finalize = astra_sim_server_finalize;
}

static void
astra_sim_server_init (AstraSimServer *self)
{
  AstraSimRole *admin_role;
  AstraSimToken *admin;
  const char *roles[2] = { NULL, NULL };

  self->n_databases = DEFAULT_DATABASES;
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) astra_sim_fault_free);
  self->pending = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) pending_free, NULL);

  self->data = astra_sim_data_new (NULL, NULL);
  astra_sim_seed_builtin_roles (self->data);

  admin_role = astra_sim_data_find_role_by_name (self->data, ASTRA_SIM_ROLE_ORG_ADMIN);
  roles[0] = admin_role->id;
  self->admin_token = astra_sim_data_mint_token (self->data, roles, ADMIN_DESCRIPTION, 0, 0,
                                                 NULL, &admin);
  self->admin_client_id = g_strdup (admin->client_id);

  self->soup = soup_server_new ("server-header", "astra-sim ", NULL);
  soup_server_add_early_handler (self->soup, NULL, on_early_request_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_request_cb, self, NULL);
}

/* ------------------------------------------------------------------------------------------
 * Private API
 * ---------------------------------------------------------------------------------------- */

AstraSimData *
astra_sim_server_get_data (AstraSimServer *self)
{
  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), NULL);

  return self->data;
}

void
astra_sim_server_changed (AstraSimServer *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ASTRA_IS_SIM_SERVER (self));

  if (self->state_path == NULL)
    return;

  /* Synchronously and before answering: a client that saw the answer can rely on the
   * change surviving a restart. The file is small; this takes well under a millisecond
   * for the default organization. */
  if (!astra_sim_state_save (self->state_path, self->data, &error))
    g_warning ("Could not save the state: %s", error->message);
}

/* ------------------------------------------------------------------------------------------
 * Public API
 * ---------------------------------------------------------------------------------------- */

/**
 * astra_sim_server_new:
 *
 * Creates a simulator with a fresh organization: the built-in roles and an Organization
 * Administrator token (astra_sim_server_get_admin_token()). Sample users, databases and
 * tokens are added when it starts listening, unless a state file was loaded.
 *
 * Returns: (transfer full): the simulator
 */
AstraSimServer *
astra_sim_server_new (void)
{
  return g_object_new (ASTRA_TYPE_SIM_SERVER, NULL);
}

/**
 * astra_sim_server_set_seed:
 * @self: the simulator
 * @n_tokens: extra tokens to create (bulk data for benchmarks)
 * @n_databases: number of databases (the default is 3)
 *
 * Sizes the seed data. Call before astra_sim_server_listen(); no effect once the
 * organization exists (seeded, or loaded from a state file).
 */
void
astra_sim_server_set_seed (AstraSimServer *self,
                           guint           n_tokens,
                           guint           n_databases)
{
  g_return_if_fail (ASTRA_IS_SIM_SERVER (self));

  /* No effect once seeded or loaded from a state file: the organization already exists. */
  self->n_seed_tokens = n_tokens;
  self->n_databases = n_databases;
}

void
astra_sim_server_set_org_name (AstraSimServer *self,
                               const char     *name)
{
  g_return_if_fail (ASTRA_IS_SIM_SERVER (self));
  g_return_if_fail (name != NULL);

  g_free (self->data->org_name);
  self->data->org_name = g_strdup (name);
  if (self->seeded)
    astra_sim_server_changed (self);
}

void
astra_sim_server_set_latency (AstraSimServer *self,
                              guint           latency_ms)
{
  g_return_if_fail (ASTRA_IS_SIM_SERVER (self));

  self->latency_ms = latency_ms;
}

/**
 * astra_sim_server_add_fault:
 * @self: the simulator
 * @spec: METHOD:PATH=KIND[*COUNT], see astra-sim-server.h
 * @error: return location for an %ASTRA_SIM_ERROR_BAD_FAULT error
 *
 * Adds a fault after those already added; the first matching fault answers a request.
 *
 * Returns: %TRUE when @spec was valid
 */
gboolean
astra_sim_server_add_fault (AstraSimServer  *self,
                            const char      *spec,
                            GError         **error)
{
  AstraSimFault *fault;

  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  fault = astra_sim_fault_parse (spec, error);
  if (fault == NULL)
    return FALSE;

  g_ptr_array_add (self->faults, fault);
  return TRUE;
}

void
astra_sim_server_clear_faults (AstraSimServer *self)
{
  g_return_if_fail (ASTRA_IS_SIM_SERVER (self));

  g_ptr_array_set_size (self->faults, 0);
}

/**
 * astra_sim_server_set_state_file:
 * @self: the simulator
 * @path: the state file
 * @error: return location for an %ASTRA_SIM_ERROR_STATE error
 *
 * Loads the organization from @path when it exists (the start-up administrator token joins
 * it), or creates @path; afterwards every change is saved there atomically, mode 0600.
 * Tokens are kept as SHA-256 hashes only. Call before astra_sim_server_listen().
 *
 * Returns: %TRUE on success; %FALSE when @path cannot be read, parsed or written
 */
gboolean
astra_sim_server_set_state_file (AstraSimServer  *self,
                                 const char      *path,
                                 GError         **error)
{
  g_autoptr(AstraSimData) loaded = NULL;
  g_autoptr(GError) local_error = NULL;
  AstraSimToken *old_admin;
  AstraSimRole *admin_role;
  AstraSimToken *admin;

  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (!self->seeded, FALSE);

  loaded = astra_sim_state_load (path, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (loaded == NULL)
    {
      /* A new file: write it now so that an unwritable place fails here, not on every
       * change later; it is written again, seeded, when listening starts. */
      if (!astra_sim_state_save (path, self->data, &local_error))
        {
          g_set_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_STATE,
                       "Cannot write the state file: %s", local_error->message);
          return FALSE;
        }
      g_free (self->state_path);
      self->state_path = g_strdup (path);
      return TRUE;
    }

  g_free (self->state_path);
  self->state_path = g_strdup (path);

  /* The administrator token minted at start-up joins the loaded organization, so the token
   * this run prints works; tokens of earlier runs keep working too. */
  admin_role = astra_sim_data_find_role_by_name (loaded, ASTRA_SIM_ROLE_ORG_ADMIN);
  if (admin_role == NULL)
    {
      g_set_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_STATE,
                   "The state file %s has no %s role", path, ASTRA_SIM_ROLE_ORG_ADMIN);
      return FALSE;
    }

  old_admin = astra_sim_data_find_token (self->data, self->admin_client_id);
  admin = astra_sim_token_new ();
  admin->client_id = g_strdup (old_admin->client_id);
  admin->roles = g_new0 (char *, 2);
  admin->roles[0] = g_strdup (admin_role->id);
  admin->generated_on = old_admin->generated_on;
  admin->description = g_strdup (old_admin->description);
  admin->token_hash = g_strdup (old_admin->token_hash);
  astra_sim_data_remove_token (loaded, admin->client_id);
  astra_sim_data_add_token (loaded, admin);

  g_clear_pointer (&self->data, astra_sim_data_free);
  self->data = g_steal_pointer (&loaded);
  self->seeded = TRUE;
  astra_sim_server_changed (self);
  return TRUE;
}

/**
 * astra_sim_server_listen:
 * @self: the simulator
 * @port: the port on 127.0.0.1, or 0 for any free port
 * @error: return location for a %G_IO_ERROR error
 *
 * Seeds the organization if needed and starts serving in the thread-default main context.
 *
 * Returns: %TRUE when listening; the URL is then astra_sim_server_get_base_url()
 */
gboolean
astra_sim_server_listen (AstraSimServer  *self,
                         guint            port,
                         GError         **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  ensure_seeded (self);

  /* Our own socket rather than soup_server_listen_local(): GSocket's default backlog of 10
   * resets connections when dozens of clients (benchmarks) connect at once. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->soup, socket, 0, error))
    return FALSE;

  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;

  g_free (self->base_url);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u/v2",
                                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  self->listening = TRUE;
  return TRUE;
}

void
astra_sim_server_disconnect (AstraSimServer *self)
{
  g_return_if_fail (ASTRA_IS_SIM_SERVER (self));

  if (self->pending != NULL)
    g_hash_table_remove_all (self->pending);
  if (self->soup != NULL && self->listening)
    soup_server_disconnect (self->soup);
  self->listening = FALSE;
}

const char *
astra_sim_server_get_base_url (AstraSimServer *self)
{
  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), NULL);

  return self->base_url;
}

const char *
astra_sim_server_get_org_id (AstraSimServer *self)
{
  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), NULL);

  return self->data->org_id;
}

const char *
astra_sim_server_get_org_name (AstraSimServer *self)
{
  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), NULL);

  return self->data->org_name;
}

const char *
astra_sim_server_get_admin_token (AstraSimServer *self)
{
  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), NULL);

  return self->admin_token;
}

/**
 * astra_sim_server_mint_token:
 * @self: the simulator
 * @role_name: the name (or id) of a built-in or custom role
 * @description: (nullable): the token's description
 * @error: return location for an %ASTRA_SIM_ERROR_UNKNOWN_ROLE error
 *
 * Creates a token with that role, as if generated in the portal.
 *
 * Returns: (transfer full) (nullable): the AstraCS: token
 */
char *
astra_sim_server_mint_token (AstraSimServer  *self,
                             const char      *role_name,
                             const char      *description,
                             GError         **error)
{
  const char *roles[2] = { NULL, NULL };
  AstraSimRole *role;
  char *token;

  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (role_name != NULL, NULL);

  role = astra_sim_data_find_role_by_name (self->data, role_name);
  if (role == NULL)
    role = astra_sim_data_find_role (self->data, role_name);
  if (role == NULL)
    {
      g_set_error (error, ASTRA_SIM_ERROR, ASTRA_SIM_ERROR_UNKNOWN_ROLE,
                   "No role named \"%s\"", role_name);
      return NULL;
    }

  roles[0] = role->id;
  token = astra_sim_data_mint_token (self->data, roles, description, 0, 0, NULL, NULL);
  if (self->seeded)
    astra_sim_server_changed (self);
  return token;
}

guint
astra_sim_server_get_token_count (AstraSimServer *self)
{
  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), 0);

  return self->data->tokens->len;
}

guint
astra_sim_server_get_request_count (AstraSimServer *self)
{
  g_return_val_if_fail (ASTRA_IS_SIM_SERVER (self), 0);

  return self->request_count;
}

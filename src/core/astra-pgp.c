/* astra-pgp.c: OpenPGP encryption of exports and decryption of imports, through GPGME
 *
 * Choices:
 *   - Recipients must be valid in GnuPG's own trust model (no GPGME_ENCRYPT_ALWAYS_TRUST):
 *     a key nobody the user trusts has certified could be anyone's, and a token encrypted
 *     for a stranger is a token handed to them. The picker shows such keys as "Not
 *     verified"; gpg itself refuses them too.
 *   - The passphrase of a symmetric file goes through the loopback pinentry, and the
 *     agent's passphrase cache is off ("no-symkey-cache"), so that it is never kept.
 *   - gpg is asked to use AES-256 for a passphrase (GnuPG 2.2's default for symmetric
 *     encryption); for keys, the cipher follows the recipients' preferences, as always.
 *   - Output is collected in memory that is wiped whenever it grows and when freed, since
 *     the decrypted side holds secrets; gpgme's own memory data objects do not wipe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-pgp"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <gpgme.h>
#include <locale.h>
#include <string.h>

#include "astra-csv.h"
#include "astra-pgp.h"
#include "astra-types.h"

G_DEFINE_QUARK (astra-pgp-error-quark, astra_pgp_error)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gpgme_ctx_t, gpgme_release, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gpgme_data_t, gpgme_data_release, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gpgme_key_t, gpgme_key_unref, NULL)

typedef enum
{
  OPERATION_LIST,
  OPERATION_ENCRYPT,
  OPERATION_DECRYPT,
} Operation;

/* Output that holds secrets: grown by copying, the old block wiped. */
typedef struct
{
  guint8 *data;
  gsize   length;
  gsize   allocated;
} WipingBuffer;

typedef struct
{
  GBytes   *input;
  char    **recipients;
  char     *passphrase;
  gboolean  armor;
  GFile    *file;
} Job;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void
wipe_and_free (gpointer data,
               gsize    length)
{
  if (data == NULL)
    return;
  explicit_bzero (data, length);
  g_free (data);
}

static void
wiping_buffer_free (WipingBuffer *buffer)
{
  wipe_and_free (buffer->data, buffer->allocated);
  g_free (buffer);
}

static ssize_t
wiping_buffer_read (void   *handle,
                    void   *data,
                    size_t  size)
{
  return 0;
}

static ssize_t
wiping_buffer_write (void       *handle,
                     const void *data,
                     size_t      size)
{
  WipingBuffer *buffer = handle;

  if (size > G_MAXSIZE - buffer->length)
    {
      errno = ENOMEM;
      return -1;
    }

  if (buffer->length + size > buffer->allocated)
    {
      gsize allocated = MAX (MAX (buffer->allocated * 2, buffer->length + size), 4096);
      guint8 *grown = g_malloc (allocated);

      if (buffer->length > 0)
        memcpy (grown, buffer->data, buffer->length);
      wipe_and_free (buffer->data, buffer->allocated);
      buffer->data = grown;
      buffer->allocated = allocated;
    }

  memcpy (buffer->data + buffer->length, data, size);
  buffer->length += size;
  return size;
}

static void
free_wiping_buffer_cb (gpointer data)
{
  wiping_buffer_free (data);
}

/* → the collected bytes, wiped when the GBytes goes; @buffer is consumed. */
static GBytes *
wiping_buffer_to_bytes (WipingBuffer *buffer)
{
  return g_bytes_new_with_free_func (buffer->data != NULL ? buffer->data : (guint8 *) "",
                                     buffer->length, free_wiping_buffer_cb, buffer);
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->input, g_bytes_unref);
  g_clear_pointer (&job->recipients, g_strfreev);
  g_clear_pointer (&job->passphrase, astra_secret_free);
  g_clear_object (&job->file);
  g_free (job);
}

static gboolean
ensure_engine (GError **error)
{
  static gsize initialized;
  static gpgme_error_t engine_error;

  if (g_once_init_enter (&initialized))
    {
      gpgme_check_version (NULL);
      /* pinentry shows its dialog in the user's language. */
      gpgme_set_locale (NULL, LC_CTYPE, setlocale (LC_CTYPE, NULL));
      engine_error = gpgme_engine_check_version (GPGME_PROTOCOL_OpenPGP);
      g_once_init_leave (&initialized, 1);
    }

  if (engine_error != 0)
    {
      g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_ENGINE,
                   /* Translators: %s is GnuPG’s own reason, in English. */
                   _("GnuPG is not installed. Install the “gpg” package to encrypt and "
                     "decrypt files (%s)."), gpgme_strerror (engine_error));
      return FALSE;
    }

  return TRUE;
}

/* gpg-agent is started by gpg when needed; when a socket is still missing after gpg ran,
 * there is none and none can be started. */
static gboolean
agent_reachable (void)
{
  g_auto(gpgme_ctx_t) ctx = NULL;
  const char *socket = gpgme_get_dirinfo ("agent-socket");

  if (socket == NULL || gpgme_new (&ctx) != 0 ||
      gpgme_set_protocol (ctx, GPGME_PROTOCOL_ASSUAN) != 0 ||
      gpgme_ctx_set_engine_info (ctx, GPGME_PROTOCOL_ASSUAN, socket, NULL) != 0)
    return FALSE;

  return gpgme_op_assuan_transact_ext (ctx, "GETINFO version", NULL, NULL, NULL, NULL,
                                       NULL, NULL, NULL) == 0;
}

static gboolean
is_bad_data (gpgme_err_code_t code)
{
  switch (code)
    {
    case GPG_ERR_BAD_DATA:
    case GPG_ERR_NO_DATA:
    case GPG_ERR_INV_PACKET:
    case GPG_ERR_UNEXPECTED:
    case GPG_ERR_INV_DATA:
    case GPG_ERR_TRUNCATED:
    case GPG_ERR_CHECKSUM:
    case GPG_ERR_BAD_SIGNATURE:
    case GPG_ERR_DECRYPT_FAILED:
    case GPG_ERR_INV_ARMOR:
    case GPG_ERR_UNKNOWN_PACKET:
    case GPG_ERR_EOF:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Turns a GPGME failure into a sentence that says what happened and what to do. */
static gboolean
set_error (GError           **error,
           gpgme_error_t      err,
           Operation          operation,
           GCancellable      *cancellable)
{
  gpgme_err_code_t code = gpgme_err_code (err);
  const char *detail = gpgme_strerror (err);

  if (code == GPG_ERR_CANCELED || code == GPG_ERR_FULLY_CANCELED)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_set_error_literal (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_CANCELLED,
                           _("The passphrase was not entered."));
      return FALSE;
    }

  /* Without an agent, gpg cannot ask for the secret keys and says "no secret key". */
  if (code == GPG_ERR_NO_AGENT || code == GPG_ERR_AGENT ||
      (code == GPG_ERR_NO_SECKEY && operation == OPERATION_DECRYPT && !agent_reachable ()))
    {
      g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_AGENT,
                   /* Translators: %s is GnuPG’s own reason, in English. */
                   _("GnuPG’s gpg-agent is not running and could not be started. Check "
                     "that the “gpg-agent” package is installed and that your GnuPG folder "
                     "can be written to (%s)."), detail);
      return FALSE;
    }

  switch (code)
    {
    case GPG_ERR_BAD_PASSPHRASE:
      g_set_error_literal (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_BAD_PASSPHRASE,
                           _("The passphrase is wrong. Ask the sender for the passphrase "
                             "and try again."));
      return FALSE;

    case GPG_ERR_NO_SECKEY:
      g_set_error_literal (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_SECRET_KEY,
                           _("The file is encrypted for someone else: none of your keys "
                             "can open it. Ask the sender to encrypt it for your key."));
      return FALSE;

    case GPG_ERR_UNUSABLE_PUBKEY:
    case GPG_ERR_NO_PUBKEY:
    case GPG_ERR_INV_USER_ID:
    case GPG_ERR_AMBIGUOUS_NAME:
      g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_KEY,
                   /* Translators: %s is GnuPG’s own reason, in English. */
                   _("A recipient’s key cannot be used: it is missing, expired, revoked "
                     "or not verified (%s)."), detail);
      return FALSE;

    case GPG_ERR_KEYRING_OPEN:
    case GPG_ERR_INV_KEYRING:
      g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_KEYRING,
                   _("Your GnuPG keyring of public keys could not be read (%s). Check it "
                     "with “gpg --list-keys”."), detail);
      return FALSE;

    case GPG_ERR_INV_ENGINE:
    case GPG_ERR_ENOENT:
      g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_ENGINE,
                   _("GnuPG could not be run (%s). Install the “gpg” package."), detail);
      return FALSE;

    default:
      break;
    }

  if (operation == OPERATION_DECRYPT && is_bad_data (code))
    {
      g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_BAD_DATA,
                   /* Translators: %s is GnuPG’s own reason, in English. */
                   _("The file is damaged: it is cut short, was changed after it was "
                     "encrypted, or is not an encrypted file (%s). Ask the sender for it "
                     "again."), detail);
      return FALSE;
    }

  if (operation == OPERATION_LIST)
    g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_KEYRING,
                 _("Your GnuPG keyring of public keys could not be read (%s). Check it "
                   "with “gpg --list-keys”."), detail);
  else
    g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_FAILED,
                 operation == OPERATION_ENCRYPT ? _("Could not encrypt: %s")
                                                : _("Could not decrypt: %s"),
                 detail);
  return FALSE;
}

static gpgme_error_t
passphrase_cb (void       *hook,
               const char *uid_hint,
               const char *passphrase_info,
               int         prev_was_bad,
               int         fd)
{
  const char *passphrase = hook;

  /* Asking again would only give the same answer. */
  if (prev_was_bad)
    return gpgme_error (GPG_ERR_BAD_PASSPHRASE);

  if (gpgme_io_writen (fd, passphrase, strlen (passphrase)) != 0 ||
      gpgme_io_writen (fd, "\n", 1) != 0)
    return gpgme_error_from_syserror ();

  return 0;
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      ctx)
{
  gpgme_cancel_async (ctx);
}

/* A context for one operation; @passphrase (kept by the caller until the context is
 * released) switches to the loopback pinentry. */
static gpgme_ctx_t
new_context (const char  *passphrase,
             gboolean     armor,
             GError     **error)
{
  gpgme_ctx_t ctx = NULL;
  gpgme_error_t err;

  if (!ensure_engine (error))
    return NULL;

  err = gpgme_new (&ctx);
  if (err == 0)
    err = gpgme_set_protocol (ctx, GPGME_PROTOCOL_OpenPGP);
  if (err != 0)
    {
      g_clear_pointer (&ctx, gpgme_release);
      set_error (error, err, OPERATION_LIST, NULL);
      return NULL;
    }

  gpgme_set_armor (ctx, armor);
  gpgme_set_offline (ctx, TRUE);
  /* Neither keep a typed passphrase nor find one from an earlier file. */
  gpgme_set_ctx_flag (ctx, "no-symkey-cache", "1");

  if (passphrase != NULL)
    {
      gpgme_set_pinentry_mode (ctx, GPGME_PINENTRY_MODE_LOOPBACK);
      gpgme_set_passphrase_cb (ctx, passphrase_cb, (void *) passphrase);
    }

  return ctx;
}

/* Runs @op on @ctx with cancellation forwarded to gpgme. */
#define RUN_CANCELLABLE(ctx, cancellable, expr)                                        \
  ({                                                                                   \
    gulong _handler = cancellable != NULL                                              \
      ? g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb), ctx, NULL)  \
      : 0;                                                                             \
    gpgme_error_t _err = (expr);                                                       \
    if (_handler != 0)                                                                 \
      g_cancellable_disconnect (cancellable, _handler);                                \
    _err;                                                                              \
  })

static gpgme_data_t
new_output (WipingBuffer **buffer,
            GError       **error)
{
  static struct gpgme_data_cbs callbacks = {
    wiping_buffer_read, wiping_buffer_write, NULL, NULL,
  };
  gpgme_data_t data = NULL;
  gpgme_error_t err;

  *buffer = g_new0 (WipingBuffer, 1);
  err = gpgme_data_new_from_cbs (&data, &callbacks, *buffer);
  if (err != 0)
    {
      g_clear_pointer (buffer, wiping_buffer_free);
      set_error (error, err, OPERATION_ENCRYPT, NULL);
      return NULL;
    }

  return data;
}

static AstraPgpKeyFlags
flags_of_key (gpgme_key_t key)
{
  AstraPgpKeyFlags flags = 0;

  if (key->expired)
    flags |= ASTRA_PGP_KEY_EXPIRED;
  if (key->revoked)
    flags |= ASTRA_PGP_KEY_REVOKED;
  if (key->invalid)
    flags |= ASTRA_PGP_KEY_INVALID;
  if (key->disabled)
    flags |= ASTRA_PGP_KEY_DISABLED;
  if (key->can_encrypt)
    flags |= ASTRA_PGP_KEY_CAN_ENCRYPT;
  if (key->secret)
    flags |= ASTRA_PGP_KEY_SECRET;
  /* The primary user id is what the picker shows; marginal validity is enough for gpg. */
  if (key->uids == NULL || key->uids->validity < GPGME_VALIDITY_MARGINAL)
    flags |= ASTRA_PGP_KEY_UNTRUSTED;

  return flags;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  AstraPgpKey *key_a = (AstraPgpKey *) a;
  AstraPgpKey *key_b = (AstraPgpKey *) b;
  int result = g_utf8_collate (astra_pgp_key_get_name (key_a), astra_pgp_key_get_name (key_b));

  if (result == 0)
    result = g_strcmp0 (astra_pgp_key_get_email (key_a), astra_pgp_key_get_email (key_b));
  return result;
}

/* gpg lists nothing and reports nothing to GPGME when it cannot read the keybox (only its
 * exit status tells, which GPGME does not pass on for listings): look at the file itself.
 * A keybox starts with a 32-byte header blob with the magic "KBXf" at offset 8. */
static gboolean
check_keybox (GError **error)
{
  const char *home = gpgme_get_dirinfo ("homedir");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (home == NULL)
    return TRUE;

  path = g_build_filename (home, "pubring.kbx", NULL);
  if (!g_file_get_contents (path, &contents, &length, NULL) || length == 0)
    return TRUE;  /* none yet: gpg creates it with the first key */

  if (length >= 32 && memcmp (contents + 8, "KBXf", 4) == 0)
    return TRUE;

  g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_KEYRING,
               _("Your GnuPG keyring of public keys could not be read (%s is damaged). Check "
                 "it with “gpg --list-keys”."), path);
  return FALSE;
}

/* Keys matching @pattern (all when NULL); with @secret_only, the user's own.
 * → (transfer full) GListModel of AstraPgpKey, sorted. */
static GListModel *
list_keys_with (gpgme_ctx_t    ctx,
                const char    *pattern,
                gboolean       secret_only,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GListStore) store = g_list_store_new (ASTRA_TYPE_PGP_KEY);
  gpgme_error_t err;

  if (!check_keybox (error))
    return NULL;

  /* WITH_SECRET marks the user's own keys in a listing of public keys. */
  gpgme_set_keylist_mode (ctx, GPGME_KEYLIST_MODE_LOCAL |
                               (secret_only ? 0 : GPGME_KEYLIST_MODE_WITH_SECRET));
  err = RUN_CANCELLABLE (ctx, cancellable, gpgme_op_keylist_start (ctx, pattern, secret_only));

  while (err == 0)
    {
      g_auto(gpgme_key_t) key = NULL;
      g_autoptr(AstraPgpKey) item = NULL;

      err = RUN_CANCELLABLE (ctx, cancellable, gpgme_op_keylist_next (ctx, &key));
      if (err != 0)
        break;
      if (key->subkeys == NULL || key->subkeys->fpr == NULL)
        continue;

      item = astra_pgp_key_new (key->uids != NULL ? key->uids->name : NULL,
                                key->uids != NULL ? key->uids->email : NULL,
                                key->subkeys->fpr,
                                flags_of_key (key));
      g_list_store_append (store, item);
    }

  gpgme_op_keylist_end (ctx);

  if (gpgme_err_code (err) != GPG_ERR_EOF)
    {
      set_error (error, err, OPERATION_LIST, cancellable);
      return NULL;
    }

  g_list_store_sort (store, compare_keys, NULL);
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* The fingerprints of the keys to encrypt to: each of @recipients (the first usable match)
 * and the user's own secret keys that can encrypt. */
static char *
build_recipient_lines (gpgme_ctx_t          ctx,
                       const char * const  *recipients,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_autoptr(GString) lines = g_string_new ("--\n");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; recipients[i] != NULL; i++)
    {
      g_autoptr(GListModel) keys = NULL;
      AstraPgpKey *chosen = NULL;
      AstraPgpKey *found = NULL;

      keys = list_keys_with (ctx, recipients[i], FALSE, cancellable, error);
      if (keys == NULL)
        return NULL;

      for (guint k = 0; k < g_list_model_get_n_items (keys) && chosen == NULL; k++)
        {
          AstraPgpKey *key = g_list_model_get_item (keys, k);

          found = found != NULL ? found : key;
          if (astra_pgp_key_is_usable (key))
            chosen = key;
          g_object_unref (key);
        }

      if (chosen == NULL)
        {
          if (found != NULL)
            g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_KEY,
                         /* Translators: the key as the user named it, then why (“Expired”, “Not verified”…). */
                         _("The key “%s” cannot be used: %s. Choose another key, or check "
                           "it with Passwords and Keys (Seahorse)."),
                         recipients[i], astra_pgp_key_get_problem (found));
          else
            g_set_error (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_NO_KEY,
                         /* Translators: %s is the key as the user named it (an e-mail address, a fingerprint). */
                         _("There is no key “%s” in your GnuPG keyring. Import the "
                           "recipient’s public key first."), recipients[i]);
          return NULL;
        }

      if (g_hash_table_add (seen, g_strdup (astra_pgp_key_get_fingerprint (chosen))))
        g_string_append_printf (lines, "%s\n", astra_pgp_key_get_fingerprint (chosen));
    }

  {
    g_autoptr(GListModel) own = list_keys_with (ctx, NULL, TRUE, cancellable, error);
    if (own == NULL)
      return NULL;

    for (guint k = 0; k < g_list_model_get_n_items (own); k++)
      {
        g_autoptr(AstraPgpKey) key = g_list_model_get_item (own, k);
        /* Secret listings say nothing of trust; one's own key is trusted by definition. */
        AstraPgpKeyFlags flags = astra_pgp_key_get_flags (key) & ~ASTRA_PGP_KEY_UNTRUSTED;

        if ((flags & (ASTRA_PGP_KEY_EXPIRED | ASTRA_PGP_KEY_REVOKED | ASTRA_PGP_KEY_INVALID |
                      ASTRA_PGP_KEY_DISABLED)) != 0 || !(flags & ASTRA_PGP_KEY_CAN_ENCRYPT))
          continue;
        if (g_hash_table_add (seen, g_strdup (astra_pgp_key_get_fingerprint (key))))
          g_string_append_printf (lines, "%s\n", astra_pgp_key_get_fingerprint (key));
      }
  }

  return g_string_free (g_steal_pointer (&lines), FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Threads                                                                                    */

static void
list_keys_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GListModel *keys = astra_pgp_list_keys (cancellable, &error);

  if (keys == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, keys, g_object_unref);
}

static void
encrypt_to_file_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GBytes) ciphertext = NULL;
  GError *error = NULL;

  ciphertext = astra_pgp_encrypt (job->input, (const char * const *) job->recipients,
                                  job->passphrase, job->armor, cancellable, &error);
  if (ciphertext == NULL || !astra_csv_write_file (job->file, ciphertext, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
decrypt_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  GBytes *plaintext = astra_pgp_decrypt (job->input, job->passphrase, cancellable, &error);

  if (plaintext == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, plaintext, (GDestroyNotify) g_bytes_unref);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

gboolean
astra_pgp_is_encrypted (const guint8 *data,
                        gsize         length)
{
  static const char armor[] = "-----BEGIN PGP MESSAGE-----";
  gsize skip = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  /* Armor may follow blank lines or a pasted chat line's spaces. */
  while (skip < length && g_ascii_isspace (data[skip]))
    skip++;
  if (length - skip >= sizeof armor - 1 && memcmp (data + skip, armor, sizeof armor - 1) == 0)
    return TRUE;

  /* Binary: the first byte is a packet tag (bit 7 set). Text never starts so, except
   * UTF-8 (0xEF BB BF BOM or a letter's lead byte), which gpg can decide. */
  return length > 0 && (data[0] & 0x80) != 0 && data[0] != 0xef;
}

/**
 * astra_pgp_list_keys:
 *
 * Lists every public key of the user's GnuPG keyring, with what makes it unusable.
 *
 * Returns: (transfer full): a #GListModel of #AstraPgpKey, or %NULL with
 * %ASTRA_PGP_ERROR_NO_ENGINE or %ASTRA_PGP_ERROR_KEYRING
 */
GListModel *
astra_pgp_list_keys (GCancellable  *cancellable,
                     GError       **error)
{
  g_auto(gpgme_ctx_t) ctx = new_context (NULL, FALSE, error);

  if (ctx == NULL)
    return NULL;

  return list_keys_with (ctx, NULL, FALSE, cancellable, error);
}

void
astra_pgp_list_keys_async (GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, astra_pgp_list_keys_async);
  g_task_set_name (task, "astra-pgp-list-keys");
  g_task_run_in_thread (task, list_keys_thread);
}

GListModel *
astra_pgp_list_keys_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * astra_pgp_encrypt:
 * @plaintext: what to encrypt (the portal CSV)
 * @recipients: (nullable): fingerprints, key ids or e-mail addresses
 * @passphrase: (nullable): for a symmetric message instead
 * @armor: ASCII armor instead of binary
 *
 * Returns: (transfer full): the OpenPGP message, or %NULL with an %ASTRA_PGP_ERROR
 */
GBytes *
astra_pgp_encrypt (GBytes              *plaintext,
                   const char * const  *recipients,
                   const char          *passphrase,
                   gboolean             armor,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_auto(gpgme_ctx_t) ctx = NULL;
  g_auto(gpgme_data_t) input = NULL;
  g_auto(gpgme_data_t) output = NULL;
  g_autofree char *lines = NULL;
  WipingBuffer *buffer = NULL;
  gpgme_error_t err;
  gsize length;
  const char *data;

  g_return_val_if_fail (plaintext != NULL, NULL);
  g_return_val_if_fail ((recipients != NULL && recipients[0] != NULL) != (passphrase != NULL),
                        NULL);

  if (passphrase != NULL && passphrase[0] == '\0')
    {
      g_set_error_literal (error, ASTRA_PGP_ERROR, ASTRA_PGP_ERROR_BAD_PASSPHRASE,
                           _("The passphrase is empty."));
      return NULL;
    }

  ctx = new_context (passphrase, armor, error);
  if (ctx == NULL)
    return NULL;

  if (recipients != NULL)
    {
      lines = build_recipient_lines (ctx, recipients, cancellable, error);
      if (lines == NULL)
        return NULL;
    }

  data = g_bytes_get_data (plaintext, &length);
  err = gpgme_data_new_from_mem (&input, data != NULL ? data : "", length, 0);
  if (err != 0)
    {
      set_error (error, err, OPERATION_ENCRYPT, cancellable);
      return NULL;
    }
  output = new_output (&buffer, error);
  if (output == NULL)
    return NULL;

  if (passphrase != NULL)
    err = RUN_CANCELLABLE (ctx, cancellable,
                           gpgme_op_encrypt_ext (ctx, NULL, NULL, GPGME_ENCRYPT_SYMMETRIC,
                                                 input, output));
  else
    err = RUN_CANCELLABLE (ctx, cancellable,
                           gpgme_op_encrypt_ext (ctx, NULL, lines, 0, input, output));

  if (err == 0 && recipients != NULL)
    {
      gpgme_encrypt_result_t result = gpgme_op_encrypt_result (ctx);

      if (result != NULL && result->invalid_recipients != NULL)
        err = result->invalid_recipients->reason != 0
              ? result->invalid_recipients->reason : gpgme_error (GPG_ERR_UNUSABLE_PUBKEY);
    }

  /* The buffer belongs to the data object until it is released. */
  g_clear_pointer (&output, gpgme_data_release);
  if (err != 0)
    {
      wiping_buffer_free (buffer);
      set_error (error, err, OPERATION_ENCRYPT, cancellable);
      return NULL;
    }

  return wiping_buffer_to_bytes (buffer);
}

void
astra_pgp_encrypt_to_file_async (GBytes              *plaintext,
                                 const char * const  *recipients,
                                 const char          *passphrase,
                                 gboolean             armor,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (plaintext != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_pgp_encrypt_to_file_async);
  g_task_set_name (task, "astra-pgp-encrypt-to-file");
  job = g_new0 (Job, 1);
  job->input = g_bytes_ref (plaintext);
  job->recipients = g_strdupv ((char **) recipients);
  job->passphrase = g_strdup (passphrase);
  job->armor = armor;
  job->file = g_object_ref (file);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, encrypt_to_file_thread);
}

gboolean
astra_pgp_encrypt_to_file_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * astra_pgp_decrypt:
 * @ciphertext: an OpenPGP message, armored or binary
 * @passphrase: (nullable): the passphrase of a symmetric message; gpg-agent asks when %NULL
 *
 * Returns: (transfer full): the plaintext, wiped when freed; %NULL with an
 * %ASTRA_PGP_ERROR (%ASTRA_PGP_ERROR_CANCELLED when the user cancelled the pinentry)
 */
GBytes *
astra_pgp_decrypt (GBytes        *ciphertext,
                   const char    *passphrase,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_auto(gpgme_ctx_t) ctx = NULL;
  g_auto(gpgme_data_t) input = NULL;
  g_auto(gpgme_data_t) output = NULL;
  WipingBuffer *buffer = NULL;
  gpgme_decrypt_result_t result;
  gpgme_error_t err;
  gsize length;
  const char *data;

  g_return_val_if_fail (ciphertext != NULL, NULL);

  ctx = new_context (passphrase, FALSE, error);
  if (ctx == NULL)
    return NULL;

  data = g_bytes_get_data (ciphertext, &length);
  err = gpgme_data_new_from_mem (&input, data != NULL ? data : "", length, 0);
  if (err != 0)
    {
      set_error (error, err, OPERATION_DECRYPT, cancellable);
      return NULL;
    }
  output = new_output (&buffer, error);
  if (output == NULL)
    return NULL;

  err = RUN_CANCELLABLE (ctx, cancellable, gpgme_op_decrypt (ctx, input, output));
  result = err == 0 ? gpgme_op_decrypt_result (ctx) : NULL;
  /* Without an integrity check (MDC), a change to the file would go unnoticed. */
  if (result != NULL && result->legacy_cipher_nomdc)
    err = gpgme_error (GPG_ERR_BAD_DATA);

  g_clear_pointer (&output, gpgme_data_release);
  if (err != 0)
    {
      wiping_buffer_free (buffer);
      set_error (error, err, OPERATION_DECRYPT, cancellable);
      return NULL;
    }

  return wiping_buffer_to_bytes (buffer);
}

void
astra_pgp_decrypt_async (GBytes              *ciphertext,
                         const char          *passphrase,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (ciphertext != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, astra_pgp_decrypt_async);
  g_task_set_name (task, "astra-pgp-decrypt");
  job = g_new0 (Job, 1);
  job->input = g_bytes_ref (ciphertext);
  job->passphrase = g_strdup (passphrase);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, decrypt_thread);
}

GBytes *
astra_pgp_decrypt_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

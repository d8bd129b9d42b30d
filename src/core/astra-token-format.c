/* astra-token-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-token-format"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-token-format.h"

G_DEFINE_QUARK (astra-token-format-error-quark, astra_token_format_error)

static gboolean
is_lower_hex (const char *s,
              gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
      return FALSE;
  return TRUE;
}

gboolean
astra_token_format_validate (const char  *token,
                             GError     **error)
{
  const char *client_id;
  const char *hash;
  gsize length;

  if (token == NULL || *token == '\0')
    {
      g_set_error_literal (error, ASTRA_TOKEN_FORMAT_ERROR, ASTRA_TOKEN_FORMAT_ERROR_EMPTY,
                           _("No token was given. Paste an application token that starts with “AstraCS:”."));
      return FALSE;
    }

  if (!g_str_has_prefix (token, ASTRA_TOKEN_PREFIX))
    {
      g_set_error_literal (error, ASTRA_TOKEN_FORMAT_ERROR, ASTRA_TOKEN_FORMAT_ERROR_PREFIX,
                           _("This is not an Astra application token: it must start with “AstraCS:”. "
                             "Use the token value, not the client id or the secret."));
      return FALSE;
    }

  length = strlen (token);
  if (length != ASTRA_TOKEN_LENGTH)
    {
      g_set_error (error, ASTRA_TOKEN_FORMAT_ERROR, ASTRA_TOKEN_FORMAT_ERROR_LENGTH,
                   /* %lu, not G_GSIZE_FORMAT: xgettext cannot see through the macro */
                   _("The token has %lu characters; an Astra token has exactly %d. "
                     "Check that it was copied whole."),
                   (unsigned long) length, ASTRA_TOKEN_LENGTH);
      return FALSE;
    }

  client_id = token + strlen (ASTRA_TOKEN_PREFIX);
  hash = strchr (client_id, ':');
  if (hash == NULL || strchr (hash + 1, ':') != NULL)
    {
      g_set_error_literal (error, ASTRA_TOKEN_FORMAT_ERROR, ASTRA_TOKEN_FORMAT_ERROR_PARTS,
                           _("The token must have three parts separated by colons: "
                             "“AstraCS”, the client id and a 64-character hash."));
      return FALSE;
    }

  if (hash - client_id != ASTRA_TOKEN_CLIENT_ID_LEN)
    {
      g_set_error (error, ASTRA_TOKEN_FORMAT_ERROR, ASTRA_TOKEN_FORMAT_ERROR_CLIENT_ID,
                   _("The client id inside the token must be %d characters long."),
                   ASTRA_TOKEN_CLIENT_ID_LEN);
      return FALSE;
    }

  for (const char *p = client_id; p < hash; p++)
    {
      if (!g_ascii_isalnum (*p))
        {
          g_set_error_literal (error, ASTRA_TOKEN_FORMAT_ERROR, ASTRA_TOKEN_FORMAT_ERROR_CLIENT_ID,
                               _("The client id inside the token may only contain letters and digits."));
          return FALSE;
        }
    }

  if (!is_lower_hex (hash + 1, strlen (hash + 1)))
    {
      g_set_error_literal (error, ASTRA_TOKEN_FORMAT_ERROR, ASTRA_TOKEN_FORMAT_ERROR_HASH,
                           _("The last part of the token must be 64 lowercase hexadecimal characters."));
      return FALSE;
    }

  return TRUE;
}

char *
astra_token_format_dup_client_id (const char *token)
{
  if (!astra_token_format_validate (token, NULL))
    return NULL;

  return g_strndup (token + strlen (ASTRA_TOKEN_PREFIX), ASTRA_TOKEN_CLIENT_ID_LEN);
}

char *
astra_token_format_compose (const char *client_id,
                            const char *secret)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
  return g_strconcat (ASTRA_TOKEN_PREFIX, client_id, ":", hash, NULL);
}

char *
astra_token_format_mask (const char *token)
{
  gsize length;

  if (token == NULL)
    return g_strdup ("");

  length = strlen (token);
  if (length <= 16)
    return g_strnfill (length, '*');

  return g_strdup_printf ("%.12s****%s", token, token + length - 4);
}

/* astra-reference.c: astra://ORG/CLIENT_ID/FIELD
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-reference.h"
#include "astra-token-format.h"

G_DEFINE_QUARK (astra-reference-error-quark, astra_reference_error)

static const char * const field_names[] = {
  [ASTRA_REFERENCE_FIELD_TOKEN] = "token",
  [ASTRA_REFERENCE_FIELD_CLIENT_SECRET] = "client-secret",
  [ASTRA_REFERENCE_FIELD_CLIENT_ID] = "client-id",
};

const char *
astra_reference_field_to_string (AstraReferenceField field)
{
  if ((guint) field >= G_N_ELEMENTS (field_names))
    return NULL;
  return field_names[field];
}

gboolean
astra_reference_field_from_string (const char          *string,
                                   AstraReferenceField *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    {
      if (g_strcmp0 (string, field_names[i]) == 0)
        {
          *field = (AstraReferenceField) i;
          return TRUE;
        }
    }
  return FALSE;
}

char *
astra_reference_format (const char          *org,
                        const char          *client_id,
                        AstraReferenceField  field)
{
  /* No reserved characters allowed through: a name like "R&D / EU" must survive the
   * "/" split and a shell's word splitting. */
  g_autofree char *escaped = g_uri_escape_string (org, NULL, FALSE);

  g_return_val_if_fail (org != NULL && client_id != NULL, NULL);

  return g_strconcat (ASTRA_REFERENCE_SCHEME_PREFIX, escaped, "/", client_id, "/",
                      astra_reference_field_to_string (field), NULL);
}

gboolean
astra_reference_looks_like (const char *text)
{
  return text != NULL && g_str_has_prefix (text, ASTRA_REFERENCE_SCHEME_PREFIX);
}

static gboolean
is_client_id (const char *text)
{
  if (strlen (text) != ASTRA_TOKEN_CLIENT_ID_LEN)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

gboolean
astra_reference_parse (const char           *text,
                       char                **org,
                       char                **client_id,
                       AstraReferenceField  *field,
                       GError              **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *decoded = NULL;
  AstraReferenceField parsed_field;

  if (!astra_reference_looks_like (text))
    {
      g_set_error (error, ASTRA_REFERENCE_ERROR, ASTRA_REFERENCE_ERROR_SYNTAX,
                   _("A reference starts with “astra://”"));
      return FALSE;
    }

  parts = g_strsplit (text + strlen (ASTRA_REFERENCE_SCHEME_PREFIX), "/", -1);
  if (g_strv_length (parts) != 3 || parts[0][0] == '\0')
    {
      g_set_error (error, ASTRA_REFERENCE_ERROR, ASTRA_REFERENCE_ERROR_SYNTAX,
                   _("A reference has the form astra://ORGANIZATION/CLIENT_ID/FIELD"));
      return FALSE;
    }

  decoded = g_uri_unescape_string (parts[0], NULL);
  if (decoded == NULL || decoded[0] == '\0' || !g_utf8_validate (decoded, -1, NULL))
    {
      g_set_error (error, ASTRA_REFERENCE_ERROR, ASTRA_REFERENCE_ERROR_SYNTAX,
                   _("The organization in the reference is not correctly encoded"));
      return FALSE;
    }

  if (!is_client_id (parts[1]))
    {
      g_set_error (error, ASTRA_REFERENCE_ERROR, ASTRA_REFERENCE_ERROR_CLIENT_ID,
                   _("The client ID in a reference is 24 letters and digits"));
      return FALSE;
    }

  if (!astra_reference_field_from_string (parts[2], &parsed_field))
    {
      g_set_error (error, ASTRA_REFERENCE_ERROR, ASTRA_REFERENCE_ERROR_FIELD,
                   _("The field of a reference is “token”, “client-secret” or “client-id”"));
      return FALSE;
    }

  if (org != NULL)
    *org = g_steal_pointer (&decoded);
  if (client_id != NULL)
    *client_id = g_strdup (parts[1]);
  if (field != NULL)
    *field = parsed_field;
  return TRUE;
}

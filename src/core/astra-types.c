/* astra-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-types"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "astra-types.h"

static const struct
{
  const char *id;
  const char *base_url;
  const char *display_name;
} environments[] = {
  [ASTRA_ENVIRONMENT_PRODUCTION]  = { "prod", "https://api.astra.datastax.com/v2", N_("Production") },
  [ASTRA_ENVIRONMENT_DEVELOPMENT] = { "dev", "https://api.dev.cloud.datastax.com/v2", N_("Development") },
  [ASTRA_ENVIRONMENT_TEST]        = { "test", "https://api.test.cloud.datastax.com/v2", N_("Test") },
  [ASTRA_ENVIRONMENT_CUSTOM]      = { "custom", NULL, N_("Custom") },
};

const char *
astra_environment_to_string (AstraEnvironment environment)
{
  g_return_val_if_fail (environment <= ASTRA_ENVIRONMENT_CUSTOM, NULL);

  return environments[environment].id;
}

gboolean
astra_environment_from_string (const char       *string,
                               AstraEnvironment *environment)
{
  g_return_val_if_fail (environment != NULL, FALSE);

  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (environments); i++)
    {
      if (g_ascii_strcasecmp (string, environments[i].id) == 0)
        {
          *environment = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
astra_environment_get_base_url (AstraEnvironment environment)
{
  g_return_val_if_fail (environment <= ASTRA_ENVIRONMENT_CUSTOM, NULL);

  return environments[environment].base_url;
}

const char *
astra_environment_get_display_name (AstraEnvironment environment)
{
  g_return_val_if_fail (environment <= ASTRA_ENVIRONMENT_CUSTOM, NULL);

  return _(environments[environment].display_name);
}

void
astra_secret_wipe (char *secret)
{
  if (secret == NULL)
    return;

  /* explicit_bzero cannot be optimised away, unlike memset before free(). */
  explicit_bzero (secret, strlen (secret));
}

void
astra_secret_free (char *secret)
{
  astra_secret_wipe (secret);
  g_free (secret);
}

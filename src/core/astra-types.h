/* astra-types.h: forward declarations and shared enums of the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _AstraClient          AstraClient;
typedef struct _AstraConnection      AstraConnection;
typedef struct _AstraDatabase        AstraDatabase;
typedef struct _AstraGeneratedToken  AstraGeneratedToken;
typedef struct _AstraOrganization    AstraOrganization;
typedef struct _AstraRcProfile       AstraRcProfile;
typedef struct _AstraRole            AstraRole;
typedef struct _AstraSecretStore     AstraSecretStore;
typedef struct _AstraToken           AstraToken;
typedef struct _AstraUser            AstraUser;

/**
 * AstraEnvironment:
 * @ASTRA_ENVIRONMENT_PRODUCTION: https://api.astra.datastax.com/v2
 * @ASTRA_ENVIRONMENT_DEVELOPMENT: https://api.dev.cloud.datastax.com/v2
 * @ASTRA_ENVIRONMENT_TEST: https://api.test.cloud.datastax.com/v2
 * @ASTRA_ENVIRONMENT_CUSTOM: a custom base URL (astra-cli's LOCAL, the simulator)
 *
 * The Astra environments of astra-api.md §1. Tokens are environment-specific.
 */
typedef enum
{
  ASTRA_ENVIRONMENT_PRODUCTION,
  ASTRA_ENVIRONMENT_DEVELOPMENT,
  ASTRA_ENVIRONMENT_TEST,
  ASTRA_ENVIRONMENT_CUSTOM,
} AstraEnvironment;

/* Stable identifiers, as stored in the keyring: "prod", "dev", "test", "custom". */
const char       *astra_environment_to_string   (AstraEnvironment  environment);
gboolean          astra_environment_from_string (const char       *string,
                                                 AstraEnvironment *environment);
/* The DevOps API base URL including "/v2"; NULL for ASTRA_ENVIRONMENT_CUSTOM. */
const char       *astra_environment_get_base_url (AstraEnvironment environment);
/* A translated name for the user: "Production", "Development", "Test", "Custom". */
const char       *astra_environment_get_display_name (AstraEnvironment environment);

/* Zero a string in place (so the compiler cannot elide it) and free it. NULL-safe. */
void              astra_secret_free   (char *secret);
void              astra_secret_wipe   (char *secret);

/* g_autoptr(AstraSecretString) secret = …; wipes and frees the string on scope exit. */
typedef char AstraSecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AstraSecretString, astra_secret_free)

G_END_DECLS

/* astra-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "astra-context.h"

G_BEGIN_DECLS

#define ASTRA_TYPE_APPLICATION (astra_application_get_type ())

G_DECLARE_FINAL_TYPE (AstraApplication, astra_application, ASTRA, APPLICATION, AdwApplication)

AstraApplication *astra_application_new         (void);
/* The app-wide services, created at startup. (transfer none) */
AstraContext     *astra_application_get_context (AstraApplication *self);

G_END_DECLS

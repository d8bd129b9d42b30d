/* astra-sim-state-private.h: the --state file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "astra-sim-data-private.h"

G_BEGIN_DECLS

/* (transfer full) the model stored at @path; NULL without error when @path does not exist,
 * NULL with ASTRA_SIM_ERROR_STATE when it cannot be read or is not a state file. */
AstraSimData *astra_sim_state_load (const char    *path,
                                    GError       **error);
/* Writes atomically (temporary file + rename), mode 0600. */
gboolean      astra_sim_state_save (const char    *path,
                                    AstraSimData  *data,
                                    GError       **error);

G_END_DECLS

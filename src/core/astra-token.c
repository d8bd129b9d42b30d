/* astra-token.c — placeholder, to be implemented
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-token.h"

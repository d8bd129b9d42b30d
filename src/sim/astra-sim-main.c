/* astra-sim-main.c — placeholder, to be implemented
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-sim-server.h"

int
main (int   argc,
      char *argv[])
{
  return 1;
}

/* fuzz-role.c: roles as GET /v2/organizations/roles returns them
 *
 * Capitalised or lower-case keys, a Policy that is an object or a JSON string holding one
 * (parsed a second time), arrays of anything: a role is either built with an id, a name and
 * readable properties, or refused with an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "astra-fuzz.h"
#include "astra-json.h"
#include "astra-role.h"

static void
check_role (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AstraRole) role = astra_role_new_from_json (object, &error);

  if (role == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (astra_role_get_id (role));
  g_assert_nonnull (astra_role_get_name (role));
  g_assert_nonnull (astra_role_get_description (role));
  (void) astra_role_is_builtin (role);
  astra_fuzz_read_properties (role);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  astra_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *copy = astra_fuzz_dup_unterminated (data, size);
  g_autoptr(JsonNode) root = astra_json_parse (copy, size, NULL);

  if (root == NULL)
    return 0;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      check_role (json_node_get_object (root));
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *roles = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (roles); i++)
        {
          JsonNode *element = json_array_get_element (roles, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            check_role (json_node_get_object (element));
        }
    }

  return 0;
}

/* astra-scan-ignore.c: the ignore list of the findings page (astra-scan-ignore.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include "astra-scan-ignore.h"

static char *
dup_entry (AstraScanFinding *finding)
{
  return g_strdup_printf ("%s\t%s", astra_scan_finding_get_path (finding),
                          astra_scan_finding_get_client_id (finding));
}

gboolean
astra_scan_ignore_contains (GSettings        *settings,
                            AstraScanFinding *finding)
{
  g_auto(GStrv) ignored = NULL;
  g_autofree char *entry = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (ASTRA_IS_SCAN_FINDING (finding), FALSE);

  ignored = g_settings_get_strv (settings, ASTRA_SCAN_IGNORE_KEY);
  entry = dup_entry (finding);

  return g_strv_contains ((const char * const *) ignored, entry);
}

void
astra_scan_ignore_add (GSettings        *settings,
                       AstraScanFinding *finding)
{
  g_auto(GStrv) ignored = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  g_autofree char *entry = NULL;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (ASTRA_IS_SCAN_FINDING (finding));

  ignored = g_settings_get_strv (settings, ASTRA_SCAN_IGNORE_KEY);
  entry = dup_entry (finding);
  if (g_strv_contains ((const char * const *) ignored, entry))
    return;

  g_strv_builder_addv (builder, (const char **) ignored);
  g_strv_builder_add (builder, entry);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (settings, ASTRA_SCAN_IGNORE_KEY, (const char * const *) updated);
}

GListModel *
astra_scan_ignore_filter (GSettings  *settings,
                          GListModel *findings)
{
  g_autoptr(GHashTable) ignored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) entries = NULL;
  GListStore *kept = g_list_store_new (ASTRA_TYPE_SCAN_FINDING);
  guint n = g_list_model_get_n_items (findings);

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  entries = g_settings_get_strv (settings, ASTRA_SCAN_IGNORE_KEY);
  for (guint i = 0; entries[i] != NULL; i++)
    g_hash_table_add (ignored, g_strdup (entries[i]));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AstraScanFinding) finding = g_list_model_get_item (findings, i);
      g_autofree char *entry = dup_entry (finding);

      if (!g_hash_table_contains (ignored, entry))
        g_list_store_append (kept, finding);
    }

  return G_LIST_MODEL (kept);
}

/* astra-token-array.c: a list of tokens in one array
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "astra-token-array.h"

struct _AstraTokenArray
{
  GObject    parent_instance;

  GPtrArray *tokens;  /* AstraToken, owned */
};

static void astra_token_array_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AstraTokenArray, astra_token_array, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      astra_token_array_list_model_init))

/* GListModel {{{ */

static GType
astra_token_array_get_item_type (GListModel *model)
{
  return ASTRA_TYPE_TOKEN;
}

static guint
astra_token_array_get_n_items (GListModel *model)
{
  return ASTRA_TOKEN_ARRAY (model)->tokens->len;
}

static gpointer
astra_token_array_get_item (GListModel *model,
                            guint       position)
{
  AstraTokenArray *self = ASTRA_TOKEN_ARRAY (model);

  if (position >= self->tokens->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->tokens, position));
}

static void
astra_token_array_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = astra_token_array_get_item_type;
  iface->get_n_items = astra_token_array_get_n_items;
  iface->get_item = astra_token_array_get_item;
}

/* }}} */
/* GObject {{{ */

static void
astra_token_array_finalize (GObject *object)
{
  AstraTokenArray *self = ASTRA_TOKEN_ARRAY (object);

  g_ptr_array_unref (self->tokens);

  G_OBJECT_CLASS (astra_token_array_parent_class)->finalize (object);
}

static void
astra_token_array_class_init (AstraTokenArrayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = astra_token_array_finalize;
}

static void
astra_token_array_init (AstraTokenArray *self)
{
  self->tokens = g_ptr_array_new_with_free_func (g_object_unref);
}

/* }}} */
/* Public API {{{ */

AstraTokenArray *
astra_token_array_new (void)
{
  return g_object_new (ASTRA_TYPE_TOKEN_ARRAY, NULL);
}

void
astra_token_array_splice (AstraTokenArray  *self,
                          guint             position,
                          guint             n_removed,
                          AstraToken      **additions,
                          guint             n_additions)
{
  g_return_if_fail (ASTRA_IS_TOKEN_ARRAY (self));
  g_return_if_fail (position <= self->tokens->len);
  g_return_if_fail (n_removed <= self->tokens->len - position);
  g_return_if_fail (additions != NULL || n_additions == 0);
  for (guint i = 0; i < n_additions; i++)
    g_return_if_fail (ASTRA_IS_TOKEN (additions[i]));

  if (n_removed > 0)
    g_ptr_array_remove_range (self->tokens, position, n_removed);
  if (n_additions > 0)
    {
      /* Room for all first, then one move of the tail: not one move per token. */
      guint tail = self->tokens->len - position;

      g_ptr_array_set_size (self->tokens, self->tokens->len + n_additions);
      memmove (self->tokens->pdata + position + n_additions, self->tokens->pdata + position,
               tail * sizeof (gpointer));
      for (guint i = 0; i < n_additions; i++)
        self->tokens->pdata[position + i] = g_object_ref (additions[i]);
    }

  if (n_removed > 0 || n_additions > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, n_removed, n_additions);
}

void
astra_token_array_remove (AstraTokenArray *self,
                          guint            position)
{
  g_return_if_fail (ASTRA_IS_TOKEN_ARRAY (self));
  g_return_if_fail (position < self->tokens->len);

  astra_token_array_splice (self, position, 1, NULL, 0);
}

void
astra_token_array_remove_all (AstraTokenArray *self)
{
  g_return_if_fail (ASTRA_IS_TOKEN_ARRAY (self));

  astra_token_array_splice (self, 0, self->tokens->len, NULL, 0);
}

/* }}} */

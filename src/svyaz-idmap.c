/* svyaz-idmap.c: entity id to index, open addressing.
 *
 * Linear probing after a multiplicative hash (the high bits of id times
 * the golden ratio), which spreads consecutive rowids; the table doubles
 * past half full.
 */
#include "svyaz-config.h"
#include "svyaz-idmap.h"

static inline guint
slot_of (gint64 id,
         guint  mask)
{
  return (guint) (((guint64) id * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 32) & mask;
}

void
svyaz_id_map_init (SvyazIdMap *map,
                   guint       expected)
{
  guint size = 16;

  g_return_if_fail (map != NULL);

  while (size < 2 * (gsize) expected + 2)
    size <<= 1;
  map->keys = g_new0 (gint64, size);
  map->values = g_new (guint, size);
  map->mask = size - 1;
  map->len = 0;
}

void
svyaz_id_map_clear (SvyazIdMap *map)
{
  g_clear_pointer (&map->keys, g_free);
  g_clear_pointer (&map->values, g_free);
  map->mask = 0;
  map->len = 0;
}

gboolean
svyaz_id_map_lookup (const SvyazIdMap *map,
                     gint64            id,
                     guint            *out_value)
{
  guint h;

  if (map->keys == NULL || id == 0)
    return FALSE;
  for (h = slot_of (id, map->mask); map->keys[h] != 0; h = (h + 1) & map->mask)
    if (map->keys[h] == id)
      {
        if (out_value)
          *out_value = map->values[h];
        return TRUE;
      }
  return FALSE;
}

static void
grow (SvyazIdMap *map)
{
  SvyazIdMap bigger;

  svyaz_id_map_init (&bigger, map->mask + 1);
  for (guint i = 0; i <= map->mask; i++)
    if (map->keys[i] != 0)
      svyaz_id_map_insert (&bigger, map->keys[i], map->values[i]);
  svyaz_id_map_clear (map);
  *map = bigger;
}

/**
 * svyaz_id_map_insert:
 *
 * Maps @id (not 0) to @value, unless it is mapped already.
 *
 * Returns: whether @id was new
 */
gboolean
svyaz_id_map_insert (SvyazIdMap *map,
                     gint64      id,
                     guint       value)
{
  guint h;

  g_return_val_if_fail (map != NULL && map->keys != NULL, FALSE);
  g_return_val_if_fail (id != 0, FALSE);

  if (2 * (map->len + 1) > map->mask + 1)
    grow (map);
  for (h = slot_of (id, map->mask); map->keys[h] != 0; h = (h + 1) & map->mask)
    if (map->keys[h] == id)
      return FALSE;
  map->keys[h] = id;
  map->values[h] = value;
  map->len++;
  return TRUE;
}

/* svyaz-idmap.h: entity id to index, for loops over whole graphs.
 *
 * Open addressing over a power-of-two table, keys stored inline: growing
 * a graph or a neighbourhood looks an id up for every end of every
 * relation, which GHashTable with boxed 64-bit keys did at several times
 * the cost. Ids are positive (SQLite rowids); 0 marks an empty slot.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gint64 *keys;
  guint  *values;
  guint   mask;
  guint   len;
} SvyazIdMap;

void      svyaz_id_map_init     (SvyazIdMap *map,
                                 guint       expected);
void      svyaz_id_map_clear    (SvyazIdMap *map);
gboolean  svyaz_id_map_lookup   (const SvyazIdMap *map,
                                 gint64      id,
                                 guint      *out_value);
gboolean  svyaz_id_map_insert   (SvyazIdMap *map,
                                 gint64      id,
                                 guint       value);

static inline gboolean
svyaz_id_map_contains (const SvyazIdMap *map,
                       gint64            id)
{
  return svyaz_id_map_lookup (map, id, NULL);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvyazIdMap, svyaz_id_map_clear)

G_END_DECLS

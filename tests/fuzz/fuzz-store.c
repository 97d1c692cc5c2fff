/* fuzz-store.c: arbitrary bytes as a database file. Opening either fails
 * with an error and leaves the file byte-for-byte as it was, or gives a
 * store that can be read and checked without a crash. */
#include "fuzz-common.h"

#include <string.h>
#include <glib/gstdio.h>

#include "svyaz-store.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = fuzz_write_file ("in.db", data, size);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_unlink (wal);
  g_unlink (shm);
  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_autofree char *after = NULL;
      gsize len = 0;

      g_assert (error != NULL);
      g_assert (g_file_get_contents (path, &after, &len, NULL));
      /* A file that is refused is never changed. */
      g_assert (len == size && memcmp (after, data, size) == 0);
      return 0;
    }
  /* A store that opens may still be damaged: reads fail cleanly. */
  {
    SvyazStats *stats = svyaz_store_get_stats (store, NULL);
    GPtrArray *lists[3];

    lists[0] = svyaz_store_list_entities (store, NULL, "а", 50, NULL);
    lists[1] = svyaz_store_list_relations (store, &(SvyazRelationQuery) { .limit = 50 }, NULL);
    lists[2] = svyaz_store_check (store, NULL);
    if (stats != NULL)
      svyaz_stats_free (stats);
    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      if (lists[i] != NULL)
        g_ptr_array_unref (lists[i]);
  }
  return 0;
}

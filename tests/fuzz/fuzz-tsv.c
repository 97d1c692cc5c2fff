/* fuzz-tsv.c: arbitrary bytes as a TSV file of triples. An import either
 * succeeds or fails whole: a failed one leaves the store as it was. */
#include "fuzz-common.h"

#include "svyaz-import.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *tsv = fuzz_write_file ("in.tsv", data, size);
  g_autofree char *db = g_build_filename (fuzz_scratch_dir (), "tsv.db", NULL);
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(SvyazStats) before = NULL;
  g_autoptr(SvyazStats) after = NULL;
  g_autoptr(GError) error = NULL;
  SvyazTsvReport report = { 0 };

  store = svyaz_store_open (db, SVYAZ_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  before = svyaz_store_get_stats (store, &error);
  if (!svyaz_import_tsv (store, tsv, &report, NULL, &error))
    {
      g_assert (error != NULL);
      after = svyaz_store_get_stats (store, NULL);
      g_assert (after->entities == before->entities && after->relations == before->relations);
    }
  return 0;
}

/* test-seed.c: a store holding the seed article, extracted, for tests of
 * what is built on the graph. */
#include "test-seed.h"

#include "svyaz-layout.h"
#include "svyaz-open.h"

/* Creates DIR/seed.db and fills it from the bundled corpus, through the
 * same first-use path as the applications. */
SvyazStore *
test_open_seed_store (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "seed.db", NULL);
  g_autoptr(GError) error = NULL;
  SvyazStore *store;
  guint seeded = 0;

  store = svyaz_open_user_store (path, SVYAZ_OPEN_CREATE | SVYAZ_OPEN_SEED_IF_EMPTY,
                                 &seeded, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seeded, ==, 1);
  return store;
}

/* The whole graph (no co-occurrence edges), laid out by @engine. */
SvyazGraph *
test_load_seed_graph (SvyazStore *store,
                      const char *engine)
{
  SvyazGraphQuery query = { 0 };
  g_autoptr(GError) error = NULL;
  SvyazGraph *graph = svyaz_graph_load (store, &query, &error);

  g_assert_no_error (error);
  g_assert_true (svyaz_layout_run (graph, engine, &error));
  g_assert_no_error (error);
  return graph;
}

gint64
test_entity_id (SvyazStore *store,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazEntity) entity = svyaz_store_find_entity (store, name, &error);

  g_assert_no_error (error);
  return entity->id;
}

/* test-seed.h: a store holding the seed article, extracted, for tests of
 * what is built on the graph (layout, rendering, exports, the window). */
#pragma once

#include "svyaz-graph.h"
#include "svyaz-store.h"

G_BEGIN_DECLS

SvyazStore *test_open_seed_store (const char *dir);
SvyazGraph *test_load_seed_graph (SvyazStore *store,
                                  const char *engine);
gint64      test_entity_id       (SvyazStore *store,
                                  const char *name);

G_END_DECLS

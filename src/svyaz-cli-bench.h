/* svyaz-cli-bench.h: the graph benchmarks of svyaz-cli. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int svyaz_cli_bench_graph (const char *name,
                           const char *db,
                           guint       nodes,
                           guint       triples,
                           guint32     seed);

G_END_DECLS

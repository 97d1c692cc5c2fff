/* svyaz-layout.h: positions and splines from Graphviz, and DOT files.
 *
 * The only module that includes Graphviz headers: its struct macros
 * changed between versions and its library is not thread-safe, so every
 * call is in svyaz-layout.c, serialized by one lock, and the results come
 * back as the plain data of SvyazGraph.
 */
#pragma once

#include "svyaz-graph.h"
#include "svyaz-interop.h"

G_BEGIN_DECLS

/* The engine a graph is laid out with by default. */
const char          *svyaz_layout_default_engine (guint         n_nodes,
                                                  guint         n_edges);
const char * const  *svyaz_layout_engines        (void);
gboolean             svyaz_layout_is_engine      (const char   *engine);

gboolean             svyaz_layout_run            (SvyazGraph   *graph,
                                                  const char   *engine,
                                                  GError      **error);
gboolean             svyaz_layout_is_cacheable   (const SvyazGraph *graph);
char                *svyaz_layout_signature      (const SvyazGraph *graph,
                                                  const char   *engine,
                                                  int           sizing);
GBytes              *svyaz_layout_save           (const SvyazGraph *graph);
gboolean             svyaz_layout_restore        (SvyazGraph   *graph,
                                                  const char   *engine,
                                                  GBytes       *saved);
gboolean             svyaz_layout_write_dot      (const SvyazGraph *graph,
                                                  const char   *path,
                                                  GError      **error);
SvyazForeignGraph   *svyaz_layout_read_dot        (const char  *path,
                                                   GError     **error);

G_END_DECLS

/* svyaz-spatial.h: a uniform grid over a laid-out graph, for hit-testing
 * and for finding what lies in a rectangle without scanning everything. */
#pragma once

#include "svyaz-graph.h"

G_BEGIN_DECLS

typedef struct _SvyazSpatial SvyazSpatial;

SvyazSpatial *svyaz_spatial_new      (const SvyazGraph *graph);
void          svyaz_spatial_free     (SvyazSpatial     *self);
int           svyaz_spatial_node_at  (SvyazSpatial     *self,
                                      double            x,
                                      double            y);
int           svyaz_spatial_edge_at  (SvyazSpatial     *self,
                                      double            x,
                                      double            y,
                                      double            tolerance);
void          svyaz_spatial_query    (SvyazSpatial     *self,
                                      double            x0,
                                      double            y0,
                                      double            x1,
                                      double            y1,
                                      GArray           *nodes,
                                      GArray           *edges);

const SvyazEdgeLines *
              svyaz_spatial_edge_lines (SvyazSpatial    *self);
void          svyaz_spatial_prepare  (SvyazSpatial     *self,
                                      gboolean          in_background);
gboolean      svyaz_spatial_edges_ready (SvyazSpatial   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazSpatial, svyaz_spatial_free)

G_END_DECLS

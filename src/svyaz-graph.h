/* svyaz-graph.h: the graph as the explorer and the exports see it.
 *
 * Plain data, no GTK, no Graphviz: nodes are entities, edges are the
 * relations between them merged by (subject, predicate, object). The store
 * fills it (svyaz_graph_load()), svyaz-render measures its labels,
 * svyaz-layout gives it positions and splines, and the geometry helpers
 * here answer "what is under this point" for the canvas and the tests.
 *
 * Scene units are points (1/72 inch, one pixel at zoom 1); y grows
 * downwards, as on screen.
 */
#pragma once

#include "svyaz-store.h"
#include "svyaz-view.h"

G_BEGIN_DECLS

#define SVYAZ_GRAPH_ERROR (svyaz_graph_error_quark ())

typedef enum {
  SVYAZ_GRAPH_ERROR_NO_ENTITY,
  SVYAZ_GRAPH_ERROR_LAYOUT,
  SVYAZ_GRAPH_ERROR_EXPORT,
} SvyazGraphError;

typedef struct {
  gint64   entity_id;
  char    *name;
  const char *type;       /* interned (g_intern_string()): types are few */
  char    *description;   /* nullable */
  guint    degree;        /* edges of this graph that touch it */
  guint    held_back;     /* neighbours the hub cap left out */
  double   weight;        /* 0–1: sizes the node when >= 0 (analytics); -1: by degree */
  int      group;         /* >= 0: coloured by this group (community…); -1: by type */

  /* Sizes, set by svyaz_render_measure() */
  double   font_size;
  double   label_width;
  double   label_height;
  double   width;
  double   height;

  /* Position, set by svyaz-layout: the centre */
  double   x;
  double   y;
  /* The outline as x, y pairs relative to the centre, as Graphviz clipped
   * the edges against it; NULL (0 vertices) for an ellipse. */
  guint    n_vertices;
  double  *vertices;
} SvyazNode;

typedef struct {
  guint     source;       /* node indices */
  guint     target;
  gint64    relation_id;  /* the most confident of the merged relations */
  const char *predicate;  /* interned (g_intern_string()) */
  guint     count;        /* relations merged into this edge */
  double    confidence;   /* the highest of them */
  gboolean  cooccurrence;

  /* Set by svyaz_render_measure() */
  double    label_width;
  double    label_height;

  /* Set by svyaz-layout: a cubic Bézier path, 1 + 3k points */
  guint     n_points;
  double   *points;       /* x, y pairs */
  gboolean  arrow;        /* an arrowhead from the path's end to (arrow_x, arrow_y) */
  double    arrow_x;
  double    arrow_y;

  /* Set by svyaz_graph_place_labels() */
  gboolean  label_visible;
  double    label_x;      /* centre of the predicate label */
  double    label_y;
} SvyazEdge;

typedef struct {
  GArray   *nodes;        /* of SvyazNode */
  GArray   *edges;        /* of SvyazEdge */
  gint64    focus_id;     /* the entity the graph was grown from, 0 for all */
  guint     depth;
  gboolean  laid_out;
  char     *engine;       /* the engine that laid it out, nullable */
  const char *groups;     /* static: what node groups colour ("communities"…), NULL: types */
  double    x0, y0, x1, y1; /* bounds of everything drawn */
  GHashTable *merge_index;  /* private: edge keys while building */
} SvyazGraph;

typedef struct {
  gint64    focus_id;     /* 0: every entity */
  guint     depth;        /* with focus_id: hops from it, 1–3 */
  gboolean  cooccurrence; /* include weak co-occurrence edges */
  guint     hub_cap;      /* neighbours each node adds, 0 for all */
} SvyazGraphQuery;

/* A document the document filter can choose, with its relations. */
typedef struct {
  gint64      id;         /* 0: relations imported without a document */
  guint       count;
  const char *title;      /* owned by the facets */
} SvyazFacetDocument;

/* What a view's filters choose from, counted before filtering. */
typedef struct {
  GPtrArray *types;           /* SvyazCount: entities per type */
  GPtrArray *predicates;      /* SvyazCount: relations per predicate */
  GArray    *documents;       /* SvyazFacetDocument, in the order added */
  GPtrArray *document_titles; /* private */
  GArray    *confidences;     /* double, ascending: one per relation */
  guint      held_back;       /* neighbours the hub cap left out, all nodes */
} SvyazFacets;

/* Every edge as a straight line from its path's start to its end, or
 * its arrow's tip: what a coarse frame draws of it, packed, so that a
 * frame of hundreds of thousands reads them in order from 16 bytes each
 * rather than each edge's points from wherever they were allocated. In
 * floats: a frame's pixels do not tell them from doubles. */
typedef struct {
  guint    n_edges;
  float   *ends;          /* x0, y0, x1, y1 an edge */
  guint8  *kinds;         /* an edge: 0 without a path, 1 co-occurrence, 2 typed */
} SvyazEdgeLines;

#define SVYAZ_NODE(g, i) (&g_array_index ((g)->nodes, SvyazNode, (i)))
#define SVYAZ_EDGE(g, i) (&g_array_index ((g)->edges, SvyazEdge, (i)))

GQuark       svyaz_graph_error_quark   (void);

SvyazGraph  *svyaz_graph_new           (void);
SvyazGraph  *svyaz_graph_ref           (SvyazGraph            *graph);
void         svyaz_graph_unref         (SvyazGraph            *graph);
SvyazGraph  *svyaz_graph_copy          (const SvyazGraph      *graph);

guint        svyaz_graph_add_node      (SvyazGraph            *graph,
                                        gint64                 entity_id,
                                        const char            *name,
                                        const char            *type,
                                        const char            *description);
void         svyaz_graph_add_relation  (SvyazGraph            *graph,
                                        guint                  source,
                                        guint                  target,
                                        gint64                 relation_id,
                                        const char            *predicate,
                                        double                 confidence,
                                        gboolean               cooccurrence);
void         svyaz_graph_finish        (SvyazGraph            *graph);

SvyazGraph  *svyaz_graph_load          (SvyazStore            *store,
                                        const SvyazGraphQuery *query,
                                        GError               **error);

SvyazGraph  *svyaz_graph_load_view     (SvyazStore            *store,
                                        const SvyazView       *view,
                                        SvyazFacets          **out_facets,
                                        GError               **error);
SvyazGraph  *svyaz_graph_load_between  (SvyazStore            *store,
                                        const SvyazView       *view,
                                        gint64                 from,
                                        gint64                 to,
                                        guint                  max_hops,
                                        GError               **error);
void         svyaz_facets_free         (SvyazFacets           *facets);
guint        svyaz_facets_count_confident (const SvyazFacets *facets,
                                        double                 min);

guint        svyaz_pair_hash           (gconstpointer          key);

int          svyaz_graph_find_node     (const SvyazGraph      *graph,
                                        gint64                 entity_id);

/* Geometry of a laid-out graph. */
void         svyaz_graph_update_bounds (SvyazGraph            *graph);
void         svyaz_graph_place_labels  (SvyazGraph            *graph);
gboolean     svyaz_node_contains       (const SvyazNode       *node,
                                        double                 x,
                                        double                 y);
int          svyaz_graph_node_at       (const SvyazGraph      *graph,
                                        double                 x,
                                        double                 y);
int          svyaz_graph_edge_at       (const SvyazGraph      *graph,
                                        double                 x,
                                        double                 y,
                                        double                 tolerance);
void         svyaz_graph_route_straight (SvyazGraph           *graph,
                                        guint                  index);
void         svyaz_graph_move_node     (SvyazGraph            *graph,
                                        guint                  index,
                                        double                 x,
                                        double                 y);
void         svyaz_edge_flatten        (const SvyazEdge       *edge,
                                        GArray                *points);
SvyazEdgeLines *svyaz_edge_lines_new   (const SvyazGraph      *graph);
void         svyaz_edge_lines_free     (SvyazEdgeLines        *lines);
double       svyaz_segment_distance    (double px, double py,
                                        double ax, double ay,
                                        double bx, double by);
void         svyaz_edge_point_at       (const SvyazEdge       *edge,
                                        double                 t,
                                        double                *x,
                                        double                *y);

/* Whether any point of the segment from (ax, ay) to (bx, by) lies in
 * the rectangle: their boxes meet and the rectangle's corners do not all
 * lie on one side of the segment's line (the three separating axes of a
 * segment and a box). Inline, without a division or a branch: a query
 * scans 800,000 segments with it, about every other one meeting a zoomed
 * view, past any predicting. */
static inline int
svyaz_segment_meets_rect (double ax, double ay, double bx, double by,
                          double x0, double y0, double x1, double y1)
{
  double dx = bx - ax, dy = by - ay;
  double a = dx * (y0 - ay) - dy * (x0 - ax);
  double b = dx * (y0 - ay) - dy * (x1 - ax);
  double c = dx * (y1 - ay) - dy * (x0 - ax);
  double d = dx * (y1 - ay) - dy * (x1 - ax);
  int boxes = (MAX (ax, bx) >= x0) & (MIN (ax, bx) <= x1) & (MAX (ay, by) >= y0) & (MIN (ay, by) <= y1);
  int apart = ((a > 0) & (b > 0) & (c > 0) & (d > 0)) | ((a < 0) & (b < 0) & (c < 0) & (d < 0));

  return boxes & !apart;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazGraph, svyaz_graph_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazFacets, svyaz_facets_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazEdgeLines, svyaz_edge_lines_free)

G_END_DECLS

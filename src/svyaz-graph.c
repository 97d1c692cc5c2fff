/* svyaz-graph.c: the graph model, its loading from the store, and the
 * geometry the canvas and the exports share.
 *
 * Relations are merged per (subject, predicate, object): the seed says
 * three times that Лукашенко met Назарбаев, and one labelled edge with a
 * count reads better than three stacked ones. A co-occurrence edge between
 * two entities that a typed relation already links adds nothing and is
 * dropped. Hit-testing is by the real outline of a node and by distance
 * to the flattened curve of an edge; linear scans are fine for the graphs
 * of a few thousand nodes drawn here.
 */
#include "svyaz-config.h"
#include "svyaz-graph.h"

#include <math.h>
#include <string.h>

#define ARROW_LENGTH 10.0   /* Graphviz's arrowsize 1, in points */
#define FLATTEN_STEPS 16

G_DEFINE_QUARK (svyaz-graph-error-quark, svyaz_graph_error)

/* Section: life cycle */

static void
node_clear (gpointer data)
{
  SvyazNode *node = data;

  g_free (node->name);
  g_free (node->type);
  g_free (node->description);
  g_free (node->vertices);
}

static void
edge_clear (gpointer data)
{
  SvyazEdge *edge = data;

  g_free (edge->predicate);
  g_free (edge->points);
}

static void
graph_clear (gpointer data)
{
  SvyazGraph *graph = data;

  g_array_unref (graph->nodes);
  g_array_unref (graph->edges);
  g_free (graph->engine);
  g_clear_pointer (&graph->merge_index, g_hash_table_unref);
}

SvyazGraph *
svyaz_graph_new (void)
{
  SvyazGraph *graph = g_atomic_rc_box_new0 (SvyazGraph);

  graph->nodes = g_array_new (FALSE, TRUE, sizeof (SvyazNode));
  graph->edges = g_array_new (FALSE, TRUE, sizeof (SvyazEdge));
  g_array_set_clear_func (graph->nodes, node_clear);
  g_array_set_clear_func (graph->edges, edge_clear);
  return graph;
}

SvyazGraph *
svyaz_graph_ref (SvyazGraph *graph)
{
  g_return_val_if_fail (graph != NULL, NULL);
  return g_atomic_rc_box_acquire (graph);
}

void
svyaz_graph_unref (SvyazGraph *graph)
{
  if (graph != NULL)
    g_atomic_rc_box_release_full (graph, graph_clear);
}

/**
 * svyaz_graph_copy:
 *
 * A deep copy, so a worker thread can lay out a graph that the window
 * keeps drawing.
 */
SvyazGraph *
svyaz_graph_copy (const SvyazGraph *graph)
{
  SvyazGraph *copy;

  g_return_val_if_fail (graph != NULL, NULL);

  copy = svyaz_graph_new ();
  copy->focus_id = graph->focus_id;
  copy->depth = graph->depth;
  copy->laid_out = graph->laid_out;
  copy->engine = g_strdup (graph->engine);
  copy->x0 = graph->x0;
  copy->y0 = graph->y0;
  copy->x1 = graph->x1;
  copy->y1 = graph->y1;
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode node = g_array_index (graph->nodes, SvyazNode, i);

      node.name = g_strdup (node.name);
      node.type = g_strdup (node.type);
      node.description = g_strdup (node.description);
      node.vertices = g_memdup2 (node.vertices, node.n_vertices * 2 * sizeof (double));
      g_array_append_val (copy->nodes, node);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge edge = g_array_index (graph->edges, SvyazEdge, i);

      edge.predicate = g_strdup (edge.predicate);
      edge.points = g_memdup2 (edge.points, edge.n_points * 2 * sizeof (double));
      g_array_append_val (copy->edges, edge);
    }
  return copy;
}

/* Section: building */

guint
svyaz_graph_add_node (SvyazGraph *graph,
                      gint64      entity_id,
                      const char *name,
                      const char *type,
                      const char *description)
{
  SvyazNode node = { 0 };

  g_return_val_if_fail (graph != NULL, 0);
  g_return_val_if_fail (name != NULL && type != NULL, 0);

  node.entity_id = entity_id;
  node.name = g_strdup (name);
  node.type = g_strdup (type);
  node.description = g_strdup (description);
  g_array_append_val (graph->nodes, node);
  return graph->nodes->len - 1;
}

/* Adds one relation, merging it into an edge of the same subject,
 * predicate and object (co-occurrences: either direction). */
void
svyaz_graph_add_relation (SvyazGraph *graph,
                          guint       source,
                          guint       target,
                          gint64      relation_id,
                          const char *predicate,
                          double      confidence,
                          gboolean    cooccurrence)
{
  SvyazEdge edge = { 0 };
  g_autofree char *key = NULL;
  gpointer found;

  g_return_if_fail (graph != NULL);
  g_return_if_fail (source < graph->nodes->len && target < graph->nodes->len);
  g_return_if_fail (predicate != NULL);

  if (graph->merge_index == NULL)
    graph->merge_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* A co-occurrence is the same edge in either direction. */
  key = g_strdup_printf ("%u %u %d %s", cooccurrence ? MIN (source, target) : source,
                         cooccurrence ? MAX (source, target) : target, cooccurrence, predicate);
  if (g_hash_table_lookup_extended (graph->merge_index, key, NULL, &found))
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, GPOINTER_TO_UINT (found));

      e->count++;
      if (confidence > e->confidence)
        {
          e->confidence = confidence;
          e->relation_id = relation_id;
        }
      return;
    }
  g_hash_table_insert (graph->merge_index, g_steal_pointer (&key),
                       GUINT_TO_POINTER (graph->edges->len));
  edge.source = source;
  edge.target = target;
  edge.relation_id = relation_id;
  edge.predicate = g_strdup (predicate);
  edge.count = 1;
  edge.confidence = confidence;
  edge.cooccurrence = cooccurrence;
  g_array_append_val (graph->edges, edge);
}

static guint64
pair_key (guint a,
          guint b)
{
  return ((guint64) MIN (a, b) << 32) | MAX (a, b);
}

/**
 * svyaz_graph_finish:
 *
 * Drops co-occurrence edges that a typed relation already explains and
 * counts each node's degree. Call once all relations are added.
 */
void
svyaz_graph_finish (SvyazGraph *graph)
{
  g_autoptr(GHashTable) typed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint kept = 0;

  g_return_if_fail (graph != NULL);

  g_clear_pointer (&graph->merge_index, g_hash_table_unref);
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);
      guint64 key = pair_key (e->source, e->target);

      if (!e->cooccurrence)
        g_hash_table_add (typed, g_memdup2 (&key, sizeof key));
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);
      guint64 key = pair_key (e->source, e->target);

      if (e->cooccurrence && g_hash_table_contains (typed, &key))
        edge_clear (e);
      else
        g_array_index (graph->edges, SvyazEdge, kept++) = *e;
    }
  /* The dropped edges are cleared already: shrink without the clear func. */
  g_array_set_clear_func (graph->edges, NULL);
  g_array_set_size (graph->edges, kept);
  g_array_set_clear_func (graph->edges, edge_clear);
  for (guint i = 0; i < graph->nodes->len; i++)
    SVYAZ_NODE (graph, i)->degree = 0;
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);

      SVYAZ_NODE (graph, e->source)->degree++;
      if (e->target != e->source)
        SVYAZ_NODE (graph, e->target)->degree++;
    }
}

int
svyaz_graph_find_node (const SvyazGraph *graph,
                       gint64            entity_id)
{
  g_return_val_if_fail (graph != NULL, -1);

  for (guint i = 0; i < graph->nodes->len; i++)
    if (g_array_index (graph->nodes, SvyazNode, i).entity_id == entity_id)
      return (int) i;
  return -1;
}

/* Section: loading */

static guint
ensure_node (SvyazGraph   *graph,
             GHashTable   *index,
             SvyazEntity  *entity)
{
  gpointer found;

  if (g_hash_table_lookup_extended (index, &entity->id, NULL, &found))
    return GPOINTER_TO_UINT (found);
  found = GUINT_TO_POINTER (svyaz_graph_add_node (graph, entity->id, entity->name,
                                                  entity->type, entity->description));
  g_hash_table_insert (index, g_memdup2 (&entity->id, sizeof entity->id), found);
  return GPOINTER_TO_UINT (found);
}

static void
add_links (SvyazGraph  *graph,
           GHashTable  *index,
           GArray      *links)
{
  for (guint i = 0; i < links->len; i++)
    {
      SvyazLink *l = &g_array_index (links, SvyazLink, i);
      gpointer s, o;

      if (!g_hash_table_lookup_extended (index, &l->subject_id, NULL, &s) ||
          !g_hash_table_lookup_extended (index, &l->object_id, NULL, &o))
        continue;
      svyaz_graph_add_relation (graph, GPOINTER_TO_UINT (s), GPOINTER_TO_UINT (o), l->id,
                                l->predicate, l->confidence, l->cooccurrence);
    }
}

static gboolean
add_entity (SvyazGraph   *graph,
            GHashTable   *index,
            SvyazStore   *store,
            gint64        id,
            GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) found = NULL;

  g_array_append_val (ids, id);
  found = svyaz_store_list_nodes_of (store, ids, error);

  if (found == NULL)
    return FALSE;
  if (found->len == 0)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NO_ENTITY,
                   "%s: no entity #%" G_GINT64_FORMAT, svyaz_store_get_path (store), id);
      return FALSE;
    }
  ensure_node (graph, index, g_ptr_array_index (found, 0));
  return TRUE;
}

/**
 * svyaz_graph_load:
 *
 * The whole graph of @store, or with @query->focus_id the entities within
 * @query->depth hops of it and the relations among them. Reads only what
 * the graph shows (svyaz_store_list_nodes(), svyaz_store_list_links()):
 * no evidence, no degree counts.
 *
 * Returns: (transfer full): a graph with no layout yet
 */
SvyazGraph *
svyaz_graph_load (SvyazStore            *store,
                  const SvyazGraphQuery *query,
                  GError               **error)
{
  g_autoptr(SvyazGraph) graph = svyaz_graph_new ();
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  graph->focus_id = query->focus_id;
  graph->depth = query->focus_id ? CLAMP (query->depth, 1, 3) : 0;

  if (query->focus_id == 0)
    {
      g_autoptr(GPtrArray) entities = svyaz_store_list_nodes (store, error);
      g_autoptr(GArray) links = NULL;

      if (entities == NULL)
        return NULL;
      for (guint i = 0; i < entities->len; i++)
        ensure_node (graph, index, g_ptr_array_index (entities, i));
      links = svyaz_store_list_links (store, query->cooccurrence, error);
      if (links == NULL)
        return NULL;
      add_links (graph, index, links);
    }
  else
    {
      g_autoptr(GArray) frontier = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) links = NULL;

      if (!add_entity (graph, index, store, query->focus_id, error))
        return NULL;
      g_array_append_val (frontier, query->focus_id);

      /* Breadth first, one query per ring: the links of the ring find
       * the next one. Once every node is known, one more query takes the
       * relations among them all, which also joins members of the outer
       * ring (Лукашенко travels_to Москва, both neighbours of Назарбаев). */
      for (guint depth = 0; depth < graph->depth && frontier->len > 0; depth++)
        {
          g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_autoptr(GHashTable) queued = g_hash_table_new (g_int64_hash, g_int64_equal);
          g_autoptr(GArray) ring = svyaz_store_list_links_of (store, frontier, query->cooccurrence, error);

          if (ring == NULL)
            return NULL;
          for (guint j = 0; j < ring->len; j++)
            {
              SvyazLink *l = &g_array_index (ring, SvyazLink, j);
              gint64 *ends[2] = { &l->subject_id, &l->object_id };

              for (guint e = 0; e < 2; e++)
                if (!g_hash_table_contains (index, ends[e]) && g_hash_table_add (queued, ends[e]))
                  g_array_append_val (next, *ends[e]);
            }
          if (next->len > 0)
            {
              g_autoptr(GPtrArray) found = svyaz_store_list_nodes_of (store, next, error);

              if (found == NULL)
                return NULL;
              for (guint k = 0; k < found->len; k++)
                ensure_node (graph, index, g_ptr_array_index (found, k));
            }
          g_array_set_size (frontier, 0);
          g_array_append_vals (frontier, next->data, next->len);
        }
      {
        g_autoptr(GArray) all = g_array_sized_new (FALSE, FALSE, sizeof (gint64), graph->nodes->len);

        for (guint i = 0; i < graph->nodes->len; i++)
          g_array_append_val (all, SVYAZ_NODE (graph, i)->entity_id);
        links = svyaz_store_list_links_within (store, all, query->cooccurrence, error);
        if (links == NULL)
          return NULL;
        add_links (graph, index, links);
      }
    }

  svyaz_graph_finish (graph);
  return g_steal_pointer (&graph);
}

/* Section: geometry */

static void
bezier_point (const double *p,
              double        t,
              double       *x,
              double       *y)
{
  double u = 1.0 - t;
  double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;

  *x = a * p[0] + b * p[2] + c * p[4] + d * p[6];
  *y = a * p[1] + b * p[3] + c * p[5] + d * p[7];
}

/**
 * svyaz_edge_point_at:
 * @t: 0 at the path's start, 1 at its end
 *
 * A point of the edge's path, by segment count rather than arc length,
 * which is close enough for placing a label.
 */
void
svyaz_edge_point_at (const SvyazEdge *edge,
                     double           t,
                     double          *x,
                     double          *y)
{
  guint segments;
  double s;
  guint k;

  g_return_if_fail (edge != NULL && edge->n_points >= 4);

  segments = (edge->n_points - 1) / 3;
  s = CLAMP (t, 0.0, 1.0) * segments;
  k = MIN ((guint) s, segments - 1);
  bezier_point (edge->points + 6 * k, s - k, x, y);
}

void
svyaz_graph_update_bounds (SvyazGraph *graph)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  g_return_if_fail (graph != NULL);

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode *n = SVYAZ_NODE (graph, i);

      x0 = MIN (x0, n->x - n->width / 2);
      x1 = MAX (x1, n->x + n->width / 2);
      y0 = MIN (y0, n->y - n->height / 2);
      y1 = MAX (y1, n->y + n->height / 2);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);

      for (guint k = 0; k < e->n_points; k++)
        {
          x0 = MIN (x0, e->points[2 * k]);
          x1 = MAX (x1, e->points[2 * k]);
          y0 = MIN (y0, e->points[2 * k + 1]);
          y1 = MAX (y1, e->points[2 * k + 1]);
        }
      if (e->label_visible)
        {
          x0 = MIN (x0, e->label_x - e->label_width / 2);
          x1 = MAX (x1, e->label_x + e->label_width / 2);
          y0 = MIN (y0, e->label_y - e->label_height / 2);
          y1 = MAX (y1, e->label_y + e->label_height / 2);
        }
    }
  if (x0 > x1)
    x0 = y0 = x1 = y1 = 0;
  graph->x0 = x0;
  graph->y0 = y0;
  graph->x1 = x1;
  graph->y1 = y1;
}

typedef struct {
  double x0, y0, x1, y1;
} Rect;

static gboolean
rects_overlap (const Rect *a,
               const Rect *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/**
 * svyaz_graph_place_labels:
 *
 * Places each typed edge's predicate label on its curve: at the middle if
 * that spot is free of nodes and of labels placed before, else at the
 * first free spot further along either way. A label with no free spot is
 * hidden rather than drawn over another; hovering the edge still names it.
 */
void
svyaz_graph_place_labels (SvyazGraph *graph)
{
  static const double spots[] = { 0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82 };
  g_autoptr(GArray) taken = g_array_new (FALSE, FALSE, sizeof (Rect));
  const double pad = 1.5;

  g_return_if_fail (graph != NULL);

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode *n = SVYAZ_NODE (graph, i);
      Rect r = { n->x - n->width / 2, n->y - n->height / 2, n->x + n->width / 2, n->y + n->height / 2 };

      g_array_append_val (taken, r);
    }

  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);

      e->label_visible = FALSE;
      if (e->cooccurrence || e->n_points < 4 || e->label_width <= 0)
        continue;
      for (guint s = 0; s < G_N_ELEMENTS (spots) && !e->label_visible; s++)
        {
          double x, y;
          Rect r;
          gboolean free_spot = TRUE;

          svyaz_edge_point_at (e, spots[s], &x, &y);
          r = (Rect) { x - e->label_width / 2 - pad, y - e->label_height / 2 - pad,
                       x + e->label_width / 2 + pad, y + e->label_height / 2 + pad };
          for (guint k = 0; k < taken->len && free_spot; k++)
            free_spot = !rects_overlap (&r, &g_array_index (taken, Rect, k));
          if (free_spot)
            {
              e->label_visible = TRUE;
              e->label_x = x;
              e->label_y = y;
              g_array_append_val (taken, r);
            }
        }
    }
  svyaz_graph_update_bounds (graph);
}

gboolean
svyaz_node_contains (const SvyazNode *node,
                     double           x,
                     double           y)
{
  double dx, dy;
  gboolean inside = FALSE;

  g_return_val_if_fail (node != NULL, FALSE);

  dx = x - node->x;
  dy = y - node->y;
  if (node->n_vertices < 3)
    {
      double a = node->width / 2, b = node->height / 2;

      return a > 0 && b > 0 && (dx * dx) / (a * a) + (dy * dy) / (b * b) <= 1.0;
    }
  /* Crossing test */
  for (guint i = 0, j = node->n_vertices - 1; i < node->n_vertices; j = i++)
    {
      double xi = node->vertices[2 * i], yi = node->vertices[2 * i + 1];
      double xj = node->vertices[2 * j], yj = node->vertices[2 * j + 1];

      if ((yi > dy) != (yj > dy) && dx < (xj - xi) * (dy - yi) / (yj - yi) + xi)
        inside = !inside;
    }
  return inside;
}

/* The topmost node whose outline holds (x, y), or -1. */
int
svyaz_graph_node_at (const SvyazGraph *graph,
                     double            x,
                     double            y)
{
  g_return_val_if_fail (graph != NULL, -1);

  for (guint i = graph->nodes->len; i-- > 0;)
    if (svyaz_node_contains (&g_array_index (graph->nodes, SvyazNode, i), x, y))
      return (int) i;
  return -1;
}

/* Whether the control points of a cubic lie on the chord between its
 * ends, in order, so that the curve is that chord. */
static gboolean
is_straight (const double *p)
{
  double dx = p[6] - p[0], dy = p[7] - p[1];
  double len2 = dx * dx + dy * dy;

  if (len2 < 1e-12)
    return FALSE;
  for (int c = 1; c <= 2; c++)
    {
      double cx = p[2 * c] - p[0], cy = p[2 * c + 1] - p[1];
      double t = (cx * dx + cy * dy) / len2;

      if (fabs (cx * dy - cy * dx) / sqrt (len2) > 1e-6 || t < 0 || t > 1)
        return FALSE;
    }
  return TRUE;
}

/**
 * svyaz_edge_flatten:
 * @points: (element-type double): receives x, y pairs
 *
 * The edge's path as a polyline: each Bézier segment cut in equal steps,
 * then the arrow. Hit-testing by brute force and by the spatial index
 * measure distances on these same points.
 */
void
svyaz_edge_flatten (const SvyazEdge *e,
                    GArray          *points)
{
  g_return_if_fail (e != NULL && points != NULL);

  g_array_set_size (points, 0);
  if (e->n_points < 4)
    return;
  g_array_append_vals (points, e->points, 2);
  for (guint k = 0; k + 3 < e->n_points; k += 3)
    for (int s = 1; s <= FLATTEN_STEPS; s++)
      {
        /* A straight segment (what sfdp draws at scale) needs no steps. */
        if (s == 1 && is_straight (e->points + 2 * k))
          {
            g_array_append_vals (points, e->points + 2 * k + 6, 2);
            break;
          }
        double q[2];

        bezier_point (e->points + 2 * k, (double) s / FLATTEN_STEPS, &q[0], &q[1]);
        g_array_append_vals (points, q, 2);
      }
  if (e->arrow)
    {
      double q[2] = { e->arrow_x, e->arrow_y };

      g_array_append_vals (points, q, 2);
    }
}

double
svyaz_segment_distance (double px, double py,
                        double ax, double ay,
                        double bx, double by)
{
  double vx = bx - ax, vy = by - ay;
  double len2 = vx * vx + vy * vy;
  double t = len2 > 0 ? ((px - ax) * vx + (py - ay) * vy) / len2 : 0;

  t = CLAMP (t, 0.0, 1.0);
  return hypot (px - (ax + t * vx), py - (ay + t * vy));
}

static double
edge_distance (const SvyazEdge *e,
               GArray          *points,
               double           x,
               double           y)
{
  double best = G_MAXDOUBLE;

  svyaz_edge_flatten (e, points);
  for (guint k = 1; k < points->len / 2; k++)
    {
      const double *p = &g_array_index (points, double, 2 * (k - 1));

      best = MIN (best, svyaz_segment_distance (x, y, p[0], p[1], p[2], p[3]));
    }
  return best;
}

/* The edge whose curve passes nearest (x, y), within @tolerance, or -1. */
int
svyaz_graph_edge_at (const SvyazGraph *graph,
                     double            x,
                     double            y,
                     double            tolerance)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  double best = tolerance;
  int found = -1;

  g_return_val_if_fail (graph != NULL, -1);

  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = &g_array_index (graph->edges, SvyazEdge, i);
      double d = edge_distance (e, points, x, y);

      if (d <= best)
        {
          best = d;
          found = (int) i;
        }
    }
  return found;
}

/* Where the ray from the node's centre towards (tx, ty) leaves its outline. */
static void
node_clip (const SvyazNode *node,
           double           tx,
           double           ty,
           double          *out_x,
           double          *out_y)
{
  double dx = tx - node->x, dy = ty - node->y;
  double t = G_MAXDOUBLE;

  if (dx == 0 && dy == 0)
    {
      *out_x = node->x;
      *out_y = node->y;
      return;
    }
  if (node->n_vertices < 3)
    {
      double a = node->width / 2, b = node->height / 2;

      t = 1.0 / sqrt ((dx * dx) / (a * a) + (dy * dy) / (b * b));
    }
  else
    {
      for (guint i = 0, j = node->n_vertices - 1; i < node->n_vertices; j = i++)
        {
          double ax = node->vertices[2 * j], ay = node->vertices[2 * j + 1];
          double ex = node->vertices[2 * i] - ax, ey = node->vertices[2 * i + 1] - ay;
          double den = dx * ey - dy * ex;
          double s, u;

          if (fabs (den) < 1e-12)
            continue;
          s = (ax * ey - ay * ex) / den;          /* along the ray */
          u = (ax * dy - ay * dx) / den;          /* along the side */
          if (s > 0 && u >= -1e-9 && u <= 1 + 1e-9)
            t = MIN (t, s);
        }
      if (t == G_MAXDOUBLE)
        t = 0;
    }
  *out_x = node->x + t * dx;
  *out_y = node->y + t * dy;
}

static void
route_straight (SvyazGraph *graph,
                SvyazEdge  *e)
{
  SvyazNode *s = SVYAZ_NODE (graph, e->source);
  SvyazNode *t = SVYAZ_NODE (graph, e->target);
  double ax, ay, bx, by, len;

  node_clip (s, t->x, t->y, &ax, &ay);
  node_clip (t, s->x, s->y, &bx, &by);
  e->arrow_x = bx;
  e->arrow_y = by;
  len = hypot (bx - ax, by - ay);
  if (e->arrow && len > ARROW_LENGTH)
    {
      bx -= (bx - ax) / len * ARROW_LENGTH;
      by -= (by - ay) / len * ARROW_LENGTH;
    }
  g_free (e->points);
  e->n_points = 4;
  e->points = g_new (double, 8);
  for (int k = 0; k < 4; k++)
    {
      e->points[2 * k] = ax + (bx - ax) * k / 3.0;
      e->points[2 * k + 1] = ay + (by - ay) * k / 3.0;
    }
}

/**
 * svyaz_graph_move_node:
 *
 * Moves a node the user dragged; its edges follow as straight lines
 * (loops move along), and labels are placed again.
 */
void
svyaz_graph_move_node (SvyazGraph *graph,
                       guint       index,
                       double      x,
                       double      y)
{
  SvyazNode *node;
  double dx, dy;

  g_return_if_fail (graph != NULL && index < graph->nodes->len);

  node = SVYAZ_NODE (graph, index);
  dx = x - node->x;
  dy = y - node->y;
  node->x = x;
  node->y = y;
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);

      if (e->source != index && e->target != index)
        continue;
      if (e->source == e->target)
        {
          for (guint k = 0; k < e->n_points; k++)
            {
              e->points[2 * k] += dx;
              e->points[2 * k + 1] += dy;
            }
          e->arrow_x += dx;
          e->arrow_y += dy;
        }
      else
        route_straight (graph, e);
    }
  svyaz_graph_place_labels (graph);
}

/* svyaz-layout.c: every Graphviz call of Svyaz.
 *
 * A SvyazGraph whose sizes svyaz-render measured becomes an Agraph_t of
 * fixed-size nodes (Graphviz never measures our text), gvLayout() places
 * it, and positions, outlines and edge splines are copied back into the
 * graph before everything Graphviz allocated is freed. Graphviz is not
 * thread-safe, so one lock serializes every use; the window calls
 * svyaz_layout_run() from one worker thread with a copy of its graph.
 *
 * Edge labels are given to dot only, as fixed-size HTML cells of exactly
 * the measured label size, so dot leaves room for them. Force-directed
 * engines get no edge labels (sfdp on a 3,652-node graph takes 0.7 s
 * without and over two minutes with them); their labels are placed on the
 * splines afterwards by svyaz_graph_place_labels().
 *
 * Numbers are formatted with g_ascii_formatd(): Graphviz parses with the
 * C locale, the window runs in the user's.
 */
#include "svyaz-config.h"
#include "svyaz-layout.h"
#include "svyaz-render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

static GMutex graphviz_lock;
static GVC_t *gvc;

static const char * const engines[] = { "dot", "neato", "fdp", "sfdp", "circo", "twopi", NULL };

/* Largest graph given predicate labels and true splines. */
/* Largest graph given true splines routed around the nodes, and (by dot)
 * room for its predicate labels: routing costs grow steeply with the
 * edges (a hub's 114-node, 353-edge neighbourhood took 11 s with them,
 * 0.1 s without). Larger graphs get straight edges. */
#define DETAIL_EDGES 150u

/* Largest graph whose overlaps sfdp removes by scaling (see below). */
#define SFDP_SCALE_MAX 10000u

const char * const *
svyaz_layout_engines (void)
{
  return engines;
}

gboolean
svyaz_layout_is_engine (const char *engine)
{
  return engine != NULL && g_strv_contains (engines, engine);
}

/* dot's layered drawing reads best for the graph of an article or two
 * (who met whom, who assembles where); on denser graphs its crossing
 * minimization takes seconds and the drawing grows too wide, so neato
 * takes over, and sfdp past a few hundred nodes. */
const char *
svyaz_layout_default_engine (guint n_nodes,
                             guint n_edges)
{
  if (n_nodes <= 80 && n_edges <= DETAIL_EDGES)
    return "dot";
  return n_nodes <= 400 ? "neato" : "sfdp";
}

static char *
fmt (char   *buf,
     double  value)
{
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.4f", value);
}

static void
set_attr (void       *obj,
          Agsym_t    *sym,
          const char *value)
{
  gsize len = strlen (value), slashes = 0;

  /* DOT cannot end a quoted string with a backslash: cgraph writes it
   * as is, and the reader takes it and the closing quote for an escaped
   * quote, so the file no longer parses. Such a value gets a space. */
  while (slashes < len && value[len - 1 - slashes] == '\\')
    slashes++;
  if (slashes > 0)
    {
      g_autofree char *spaced = g_strconcat (value, " ", NULL);

      agxset (obj, sym, spaced);
      return;
    }
  agxset (obj, sym, (char *) value);
}

static void
take_graphviz_error (GError    **error,
                     const char *what)
{
  /* cgraph 2.42 hands out a malloc()ed copy of its error log's tail. */
  char *last = aglasterr ();
  g_autofree char *msg = g_strstrip (g_strdup (last && *last ? last : "unknown error"));

  free (last);

  g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_LAYOUT, "%s: %s", what, msg);
}

/* Section: layout */

static void
read_node (SvyazNode *node,
           Agnode_t  *n,
           double     top)
{
  polygon_t *poly = ND_shape_info (n);

  node->x = ND_coord (n).x;
  node->y = top - ND_coord (n).y;
  node->width = ND_width (n) * 72.0;
  node->height = ND_height (n) * 72.0;
  g_clear_pointer (&node->vertices, g_free);
  node->n_vertices = 0;
  if (poly != NULL && poly->sides >= 3 && poly->vertices != NULL &&
      strcmp (ND_shape (n)->name, "ellipse") != 0)
    {
      node->n_vertices = (guint) poly->sides;
      node->vertices = g_new (double, 2 * node->n_vertices);
      for (guint k = 0; k < node->n_vertices; k++)
        {
          node->vertices[2 * k] = poly->vertices[k].x;
          node->vertices[2 * k + 1] = -poly->vertices[k].y;
        }
    }
}

static void
read_edge (SvyazEdge *edge,
           Agedge_t  *e,
           double     top,
           gboolean   labelled)
{
  splines *spl = ED_spl (e);
  guint n = 0;

  g_clear_pointer (&edge->points, g_free);
  edge->n_points = 0;
  edge->arrow = FALSE;
  if (spl == NULL || spl->size == 0)
    return;

  for (int b = 0; b < spl->size; b++)
    n += (guint) spl->list[b].size;
  edge->points = g_new (double, 2 * n);
  /* Several béziers happen only for edges through clusters; join them. */
  for (int b = 0; b < spl->size; b++)
    for (int k = 0; k < spl->list[b].size; k++)
      {
        edge->points[2 * edge->n_points] = spl->list[b].list[k].x;
        edge->points[2 * edge->n_points + 1] = top - spl->list[b].list[k].y;
        edge->n_points++;
      }
  /* Keep 1 + 3k points. */
  edge->n_points = edge->n_points >= 4 ? 1 + 3 * ((edge->n_points - 1) / 3) : 0;

  if (spl->list[spl->size - 1].eflag)
    {
      edge->arrow = TRUE;
      edge->arrow_x = spl->list[spl->size - 1].ep.x;
      edge->arrow_y = top - spl->list[spl->size - 1].ep.y;
    }
  else if (spl->list[0].sflag && edge->n_points >= 4)
    {
      /* Graphviz drew the arrow at the start (a back edge): reverse the
       * path so the arrow is always at its end. */
      for (guint a = 0, z = edge->n_points - 1; a < z; a++, z--)
        {
          double tx = edge->points[2 * a], ty = edge->points[2 * a + 1];

          edge->points[2 * a] = edge->points[2 * z];
          edge->points[2 * a + 1] = edge->points[2 * z + 1];
          edge->points[2 * z] = tx;
          edge->points[2 * z + 1] = ty;
        }
      edge->arrow = TRUE;
      edge->arrow_x = spl->list[0].sp.x;
      edge->arrow_y = top - spl->list[0].sp.y;
    }

  edge->label_visible = FALSE;
  if (labelled && ED_label (e) != NULL && ED_label (e)->set)
    {
      edge->label_visible = TRUE;
      edge->label_x = ED_label (e)->pos.x;
      edge->label_y = top - ED_label (e)->pos.y;
    }
}

static void
set_graph_attrs (Agraph_t   *g,
                 const char *engine,
                 guint       n_nodes,
                 guint       n_edges)
{
  gboolean detail = n_edges <= DETAIL_EDGES;

  agattr (g, AGRAPH, "splines", detail ? "true" : "line");
  agattr (g, AGRAPH, "pad", "0");
  if (strcmp (engine, "dot") == 0)
    {
      agattr (g, AGRAPH, "rankdir", "LR");
      agattr (g, AGRAPH, "nodesep", "0.2");
      agattr (g, AGRAPH, "ranksep", "0.4");
    }
  else
    {
      /* Room between nodes for the predicate labels placed later. */
      /* Prism removes overlaps best, but its triangulation dominates
       * past a thousand nodes (3.6k nodes: 11 s against 3 s scaled),
       * where labels are too small to read at a glance anyway. */
      /* Past ten thousand nodes scaling too costs memory beyond reason
       * (65,000 nodes: over 24 GB), and overlaps are dots drawn coarsely
       * anyway: sfdp is left as it is, with its faster quadtree. */
      agattr (g, AGRAPH, "overlap", strcmp (engine, "sfdp") != 0 ? "false"
                                    : n_nodes <= 1000 ? "prism" : n_nodes <= SFDP_SCALE_MAX ? "scale" : "false");
      if (strcmp (engine, "sfdp") == 0 && n_nodes > SFDP_SCALE_MAX)
        agattr (g, AGRAPH, "quadtree", "fast");
      agattr (g, AGRAPH, "sep", detail ? "+18" : "+4");
      agattr (g, AGRAPH, "esep", detail ? "+10" : "+2");
      if (strcmp (engine, "neato") == 0)
        agattr (g, AGRAPH, "pack", "true");
      if (strcmp (engine, "twopi") == 0)
        agattr (g, AGRAPH, "ranksep", "1.2");
      if (strcmp (engine, "fdp") == 0)
        agattr (g, AGRAPH, "K", "1.2");
      /* circo ignores overlap and puts leaves on small circles right on
       * top of a wide hub; one circle per component does not. */
      if (strcmp (engine, "circo") == 0)
        agattr (g, AGRAPH, "oneblock", "true");
    }
}

/* dot puts every unconnected node in its first rank, one tall column
 * beside the drawing (8 of the seed's 22 entities have only co-occurrence
 * edges). Shelving them in rows under the connected part keeps the
 * drawing's aspect close to a window's. dot's own pack mode would do it
 * but drops the edge labels. */
static void
shelve_isolated_nodes (SvyazGraph *graph)
{
  double x0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double x, y, row_height = 0;
  const double gap = 14;
  guint connected = 0;

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode *n = SVYAZ_NODE (graph, i);

      if (n->degree == 0)
        continue;
      connected++;
      x0 = MIN (x0, n->x - n->width / 2);
      x1 = MAX (x1, n->x + n->width / 2);
      y1 = MAX (y1, n->y + n->height / 2);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);

      for (guint k = 0; k < e->n_points; k++)
        y1 = MAX (y1, e->points[2 * k + 1]);
      if (e->label_visible)
        y1 = MAX (y1, e->label_y + e->label_height / 2);
    }
  if (connected == 0 || connected == graph->nodes->len)
    return;

  x = x0;
  y = y1 + 3 * gap;
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode *n = SVYAZ_NODE (graph, i);

      if (n->degree != 0)
        continue;
      if (x > x0 && x + n->width > x1)
        {
          x = x0;
          y += row_height + gap;
          row_height = 0;
        }
      n->x = x + n->width / 2;
      n->y = y + n->height / 2;
      x += n->width + gap;
      row_height = MAX (row_height, n->height);
    }
}

/**
 * svyaz_layout_run:
 * @engine: (nullable): a Graphviz engine name, or %NULL for the default
 *
 * Lays @graph out: measures its labels with Pango (svyaz_render_measure())
 * and sets every node's position and outline, every edge's path, arrow and
 * label position, and the graph's bounds. Safe to call from a worker
 * thread; the Graphviz part of calls is serialized.
 */
gboolean
svyaz_layout_run (SvyazGraph  *graph,
                  const char  *engine,
                  GError     **error)
{
  g_autofree Agnode_t **nodes = NULL;
  g_autofree Agedge_t **edges = NULL;
  Agsym_t *shape, *width, *height, *dir, *style, *label, *weight;
  gboolean labelled;
  Agraph_t *g;
  double top;
  int rc;

  g_return_val_if_fail (graph != NULL, FALSE);

  if (engine == NULL)
    engine = svyaz_layout_default_engine (graph->nodes->len, graph->edges->len);
  if (!svyaz_layout_is_engine (engine))
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_LAYOUT,
                   "unknown layout engine '%s' (use dot, neato, fdp, sfdp, circo or twopi)", engine);
      return FALSE;
    }
  g_free (graph->engine);
  graph->engine = g_strdup (engine);
  svyaz_render_measure (graph);
  if (graph->nodes->len == 0)
    {
      graph->laid_out = TRUE;
      svyaz_graph_update_bounds (graph);
      return TRUE;
    }
  labelled = strcmp (engine, "dot") == 0 && graph->edges->len <= DETAIL_EDGES;

  g_mutex_lock (&graphviz_lock);
  if (gvc == NULL)
    {
      agseterr (AGMAX);  /* errors are fetched with aglasterr(), not printed */
      gvc = gvContext ();
    }

  g = agopen ((char *) "svyaz", Agdirected, NULL);
  set_graph_attrs (g, engine, graph->nodes->len, graph->edges->len);
  agattr (g, AGNODE, "fixedsize", "true");
  agattr (g, AGNODE, "label", "");
  shape = agattr (g, AGNODE, "shape", "box");
  width = agattr (g, AGNODE, "width", "0.75");
  height = agattr (g, AGNODE, "height", "0.5");
  dir = agattr (g, AGEDGE, "dir", "forward");
  style = agattr (g, AGEDGE, "style", "solid");
  label = agattr (g, AGEDGE, "label", "");
  weight = agattr (g, AGEDGE, "weight", "1");

  nodes = g_new (Agnode_t *, graph->nodes->len);
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode *node = SVYAZ_NODE (graph, i);
      char name[32], buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_snprintf (name, sizeof name, "n%u", i);
      nodes[i] = agnode (g, name, TRUE);
      set_attr (nodes[i], shape, svyaz_render_type_style (node->type)->shape);
      set_attr (nodes[i], width, fmt (buf, MAX (node->width, 1) / 72.0));
      set_attr (nodes[i], height, fmt (buf, MAX (node->height, 1) / 72.0));
    }

  edges = g_new (Agedge_t *, graph->edges->len);
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *edge = SVYAZ_EDGE (graph, i);
      char name[32];

      g_snprintf (name, sizeof name, "e%u", i);
      edges[i] = agedge (g, nodes[edge->source], nodes[edge->target], name, TRUE);
      if (edge->cooccurrence)
        {
          set_attr (edges[i], dir, "none");
          set_attr (edges[i], style, "dashed");
          /* Weak edges pull less, so typed relations shape the drawing. */
          set_attr (edges[i], weight, "0");
        }
      if (labelled && !edge->cooccurrence && edge->label_width > 0)
        {
          g_autofree char *html = NULL;
          char w[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE];
          char *value;

          g_ascii_formatd (w, sizeof w, "%.0f", edge->label_width + 2);
          g_ascii_formatd (h, sizeof h, "%.0f", edge->label_height + 2);
          html = g_strdup_printf ("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLPADDING=\"0\" "
                                  "CELLSPACING=\"0\"><TR><TD FIXEDSIZE=\"TRUE\" WIDTH=\"%s\" "
                                  "HEIGHT=\"%s\"> </TD></TR></TABLE>", w, h);
          /* agxset keeps the string's HTML mark: it shares the refstr. */
          value = agstrdup_html (g, html);
          agxset (edges[i], label, value);
          agstrfree (g, value);
        }
    }

  rc = gvLayout (gvc, g, engine);
  if (rc != 0)
    {
      take_graphviz_error (error, engine);
      agclose (g);
      g_mutex_unlock (&graphviz_lock);
      return FALSE;
    }

  top = GD_bb (g).UR.y;
  for (guint i = 0; i < graph->nodes->len; i++)
    read_node (SVYAZ_NODE (graph, i), nodes[i], top);
  for (guint i = 0; i < graph->edges->len; i++)
    read_edge (SVYAZ_EDGE (graph, i), edges[i], top, labelled);

  gvFreeLayout (gvc, g);
  agclose (g);
  g_mutex_unlock (&graphviz_lock);

  graph->laid_out = TRUE;
  if (strcmp (engine, "dot") == 0)
    shelve_isolated_nodes (graph);
  if (labelled)
    svyaz_graph_update_bounds (graph);
  else
    svyaz_graph_place_labels (graph);
  return TRUE;
}

/* Section: saved layouts */

#define SAVED_VERSION 2.0

/**
 * svyaz_layout_is_cacheable:
 *
 * Whether a layout of @graph is worth keeping, and keeps: large graphs,
 * whose edges Graphviz draws straight, so that node positions and
 * outlines (and loops) are all a layout is.
 */
gboolean
svyaz_layout_is_cacheable (const SvyazGraph *graph)
{
  g_return_val_if_fail (graph != NULL, FALSE);
  return graph->edges->len > DETAIL_EDGES;
}

/**
 * svyaz_layout_signature:
 * @engine: (nullable): as for svyaz_layout_run()
 * @sizing: what sets node sizes besides the labels (the view's "size by")
 *
 * Returns: (transfer full): a SHA-256 of everything a layout of @graph
 *   depends on: the engine, each node's entity, name and type, each edge's
 *   ends and kind, and @sizing. Another graph or other options give
 *   another signature.
 */
char *
svyaz_layout_signature (const SvyazGraph *graph,
                        const char       *engine,
                        int               sizing)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gint32 head[3];

  g_return_val_if_fail (graph != NULL, NULL);

  if (engine == NULL)
    engine = svyaz_layout_default_engine (graph->nodes->len, graph->edges->len);
  head[0] = (gint32) SAVED_VERSION;
  head[1] = sizing;
  head[2] = (gint32) graph->nodes->len;
  g_checksum_update (sum, (const guchar *) head, sizeof head);
  g_checksum_update (sum, (const guchar *) engine, strlen (engine) + 1);
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazNode *n = SVYAZ_NODE (graph, i);

      g_checksum_update (sum, (const guchar *) &n->entity_id, sizeof n->entity_id);
      g_checksum_update (sum, (const guchar *) n->name, strlen (n->name) + 1);
      g_checksum_update (sum, (const guchar *) n->type, strlen (n->type) + 1);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = SVYAZ_EDGE (graph, i);
      guint32 ends[3] = { e->source, e->target, e->cooccurrence };

      g_checksum_update (sum, (const guchar *) ends, sizeof ends);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static void
put (GByteArray *out,
     double      value)
{
  g_byte_array_append (out, (const guint8 *) &value, sizeof value);
}

/**
 * svyaz_layout_save:
 *
 * Returns: (transfer full): @graph's layout as svyaz_layout_restore()
 *   reads it: every node's centre, size, label size and outline, the
 *   paths of loops (other edges are straight and follow their nodes), and
 *   where the predicate labels shown went. Restoring then needs neither
 *   Graphviz nor Pango for the nodes nor the label placement, which cost
 *   more than half a second at 3,600 nodes.
 */
GBytes *
svyaz_layout_save (const SvyazGraph *graph)
{
  GByteArray *out = g_byte_array_new ();
  guint loops = 0, labels = 0;

  g_return_val_if_fail (graph != NULL && graph->laid_out, NULL);

  for (guint i = 0; i < graph->edges->len; i++)
    {
      loops += SVYAZ_EDGE (graph, i)->source == SVYAZ_EDGE (graph, i)->target;
      labels += SVYAZ_EDGE (graph, i)->label_visible;
    }
  put (out, SAVED_VERSION);
  put (out, graph->nodes->len);
  put (out, graph->edges->len);
  put (out, loops);
  put (out, labels);
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazNode *n = SVYAZ_NODE (graph, i);

      put (out, n->x);
      put (out, n->y);
      put (out, n->width);
      put (out, n->height);
      put (out, n->font_size);
      put (out, n->label_width);
      put (out, n->label_height);
      put (out, n->n_vertices);
      for (guint k = 0; k < 2 * n->n_vertices; k++)
        put (out, n->vertices[k]);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = SVYAZ_EDGE (graph, i);

      if (e->source != e->target)
        continue;
      put (out, i);
      put (out, e->arrow);
      put (out, e->arrow_x);
      put (out, e->arrow_y);
      put (out, e->n_points);
      for (guint k = 0; k < 2 * e->n_points; k++)
        put (out, e->points[k]);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = SVYAZ_EDGE (graph, i);

      if (!e->label_visible)
        continue;
      put (out, i);
      put (out, e->label_x);
      put (out, e->label_y);
    }
  return g_byte_array_free_to_bytes (out);
}

typedef struct {
  const double *at;
  const double *end;
  gboolean      ok;
} Reader;

static double
take (Reader *r)
{
  if (!r->ok || r->at >= r->end)
    {
      r->ok = FALSE;
      return 0;
    }
  return *r->at++;
}

/* A count read from a saved layout: a whole number within @max. */
static guint
take_count (Reader *r,
            guint   max)
{
  double v = take (r);

  if (!(v >= 0 && v <= max && v == (guint) v))
    r->ok = FALSE;
  return r->ok ? (guint) v : 0;
}

/**
 * svyaz_layout_restore:
 * @engine: (nullable): the engine the layout was made with
 * @saved: what svyaz_layout_save() gave for a graph of the same signature
 *
 * Lays @graph out from @saved instead of running Graphviz: puts the
 * nodes and labels back, measures the predicate labels (each distinct
 * text once) and routes edges straight.
 *
 * Returns: %FALSE if @saved does not fit @graph (another version, another
 *   size, damaged); @graph is then as it was
 */
gboolean
svyaz_layout_restore (SvyazGraph *graph,
                      const char *engine,
                      GBytes     *saved)
{
  gsize size = 0;
  const double *data;
  Reader r;
  guint n_nodes, n_edges, loops, labels;
  g_autoptr(GArray) nodes = NULL;

  g_return_val_if_fail (graph != NULL && saved != NULL, FALSE);

  data = g_bytes_get_data (saved, &size);
  if (data == NULL || size % sizeof (double) != 0)
    return FALSE;
  r = (Reader) { data, data + size / sizeof (double), TRUE };
  if (take (&r) != SAVED_VERSION)
    return FALSE;
  n_nodes = take_count (&r, G_MAXINT);
  n_edges = take_count (&r, G_MAXINT);
  loops = take_count (&r, n_edges);
  labels = take_count (&r, n_edges);
  if (!r.ok || n_nodes != graph->nodes->len || n_edges != graph->edges->len)
    return FALSE;

  /* Read everything before touching the graph. */
  nodes = g_array_sized_new (FALSE, TRUE, sizeof (SvyazNode), n_nodes);
  g_array_set_clear_func (nodes, NULL);
  for (guint i = 0; i < n_nodes && r.ok; i++)
    {
      SvyazNode n = { 0 };

      n.x = take (&r);
      n.y = take (&r);
      n.width = take (&r);
      n.height = take (&r);
      n.font_size = take (&r);
      n.label_width = take (&r);
      n.label_height = take (&r);
      n.n_vertices = take_count (&r, 64);
      n.vertices = (double *) r.at;  /* borrowed from @saved */
      for (guint k = 0; k < 2 * n.n_vertices; k++)
        take (&r);
      g_array_append_val (nodes, n);
    }
  {
    const double *loops_at = r.at;

    for (guint l = 0; l < loops && r.ok; l++)
      {
        guint index = take_count (&r, n_edges - 1);
        guint points;

        take (&r), take (&r), take (&r);
        points = take_count (&r, 1024);
        for (guint k = 0; k < 2 * points; k++)
          take (&r);
        if (r.ok && SVYAZ_EDGE (graph, index)->source != SVYAZ_EDGE (graph, index)->target)
          r.ok = FALSE;
      }
    for (guint l = 0; l < labels && r.ok; l++)
      take_count (&r, n_edges - 1), take (&r), take (&r);
    if (!r.ok || r.at != r.end)
      return FALSE;
    r.at = loops_at;
  }

  g_free (graph->engine);
  graph->engine = g_strdup (engine ? engine : svyaz_layout_default_engine (n_nodes, n_edges));
  svyaz_render_measure_edges (graph);
  for (guint i = 0; i < n_nodes; i++)
    {
      SvyazNode *to = SVYAZ_NODE (graph, i);
      SvyazNode *from = &g_array_index (nodes, SvyazNode, i);

      to->x = from->x;
      to->y = from->y;
      to->width = from->width;
      to->height = from->height;
      to->font_size = from->font_size;
      to->label_width = from->label_width;
      to->label_height = from->label_height;
      g_clear_pointer (&to->vertices, g_free);
      to->n_vertices = from->n_vertices;
      to->vertices = from->n_vertices ? g_memdup2 (from->vertices, 2 * from->n_vertices * sizeof (double)) : NULL;
    }
  for (guint i = 0; i < n_edges; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);

      if (e->source == e->target)
        continue;
      e->arrow = !e->cooccurrence;
      svyaz_graph_route_straight (graph, i);
    }
  for (guint l = 0; l < loops; l++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, take_count (&r, n_edges - 1));

      e->arrow = take (&r) != 0;
      e->arrow_x = take (&r);
      e->arrow_y = take (&r);
      e->n_points = take_count (&r, 1024);
      g_free (e->points);
      e->points = g_new (double, 2 * e->n_points + 1);
      for (guint k = 0; k < 2 * e->n_points; k++)
        e->points[k] = take (&r);
    }
  for (guint i = 0; i < n_edges; i++)
    SVYAZ_EDGE (graph, i)->label_visible = FALSE;
  for (guint l = 0; l < labels; l++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, take_count (&r, n_edges - 1));

      e->label_visible = TRUE;
      e->label_x = take (&r);
      e->label_y = take (&r);
    }
  g_assert (r.ok);
  graph->laid_out = TRUE;
  svyaz_graph_update_bounds (graph);
  return TRUE;
}

/* Section: DOT files */

/**
 * svyaz_layout_write_dot:
 *
 * Writes @graph as DOT through cgraph's own writer, which quotes and
 * escapes every name; with a layout, positions are kept (`pos`, in
 * points, y up) so `neato -n` redraws it as laid out.
 */
gboolean
svyaz_layout_write_dot (const SvyazGraph *graph,
                        const char       *path,
                        GError          **error)
{
  g_autofree Agnode_t **nodes = NULL;
  Agsym_t *label, *type, *id, *desc, *shape, *pos, *width, *height;
  Agsym_t *elabel, *pred, *count, *conf, *cooc, *dir, *style;
  FILE *out;
  Agraph_t *g;
  int rc;

  g_return_val_if_fail (graph != NULL && path != NULL, FALSE);

  out = g_fopen (path, "w");
  if (out == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: %s", path, g_strerror (saved));
      return FALSE;
    }

  g_mutex_lock (&graphviz_lock);
  g = agopen ((char *) "svyaz", Agdirected, NULL);
  label = agattr (g, AGNODE, "label", "");
  type = agattr (g, AGNODE, "type", "");
  id = agattr (g, AGNODE, "entity_id", "");
  desc = agattr (g, AGNODE, "description", "");
  shape = agattr (g, AGNODE, "shape", "box");
  pos = graph->laid_out ? agattr (g, AGNODE, "pos", "") : NULL;
  width = graph->laid_out ? agattr (g, AGNODE, "width", "0.75") : NULL;
  height = graph->laid_out ? agattr (g, AGNODE, "height", "0.5") : NULL;
  elabel = agattr (g, AGEDGE, "label", "");
  pred = agattr (g, AGEDGE, "predicate", "");
  count = agattr (g, AGEDGE, "count", "1");
  conf = agattr (g, AGEDGE, "confidence", "1");
  cooc = agattr (g, AGEDGE, "cooccurrence", "false");
  dir = agattr (g, AGEDGE, "dir", "forward");
  style = agattr (g, AGEDGE, "style", "solid");

  nodes = g_new (Agnode_t *, MAX (graph->nodes->len, 1));
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazNode *node = &g_array_index (graph->nodes, SvyazNode, i);
      char name[32], buf[G_ASCII_DTOSTR_BUF_SIZE];

      /* Entity ids, not names, are node ids: names repeat across types. */
      g_snprintf (name, sizeof name, "e%" G_GINT64_FORMAT, node->entity_id);
      nodes[i] = agnode (g, name, TRUE);
      set_attr (nodes[i], label, node->name);
      set_attr (nodes[i], type, node->type);
      g_snprintf (name, sizeof name, "%" G_GINT64_FORMAT, node->entity_id);
      set_attr (nodes[i], id, name);
      set_attr (nodes[i], desc, node->description ? node->description : "");
      set_attr (nodes[i], shape, svyaz_render_type_style (node->type)->shape);
      if (pos != NULL)
        {
          char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
          g_autofree char *p = g_strdup_printf ("%s,%s", fmt (x, node->x), fmt (y, graph->y1 - node->y));

          set_attr (nodes[i], pos, p);
          set_attr (nodes[i], width, fmt (buf, node->width / 72.0));
          set_attr (nodes[i], height, fmt (buf, node->height / 72.0));
        }
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *edge = &g_array_index (graph->edges, SvyazEdge, i);
      char name[32], buf[G_ASCII_DTOSTR_BUF_SIZE];
      Agedge_t *e;

      g_snprintf (name, sizeof name, "r%u", i);
      e = agedge (g, nodes[edge->source], nodes[edge->target], name, TRUE);
      set_attr (e, elabel, edge->cooccurrence ? "" : edge->predicate);
      set_attr (e, pred, edge->predicate);
      g_snprintf (name, sizeof name, "%u", edge->count);
      set_attr (e, count, name);
      set_attr (e, conf, g_ascii_formatd (buf, sizeof buf, "%.2f", edge->confidence));
      set_attr (e, cooc, edge->cooccurrence ? "true" : "false");
      if (edge->cooccurrence)
        {
          set_attr (e, dir, "none");
          set_attr (e, style, "dashed");
        }
    }
  rc = agwrite (g, out);
  agclose (g);
  g_mutex_unlock (&graphviz_lock);

  if (fclose (out) != 0 || rc != 0)
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_EXPORT,
                   "%s: could not write the DOT file", path);
      return FALSE;
    }
  return TRUE;
}

/* Every attribute cgraph declared for @kind that @obj has a value for,
 * but a node's label left at "\N" (its name). */
static GHashTable *
dot_fields (Agraph_t *g,
            void     *obj,
            int       kind)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (Agsym_t *sym = agnxtattr (g, kind, NULL); sym; sym = agnxtattr (g, kind, sym))
    {
      const char *value = agxget (obj, sym);

      if (value == NULL || *value == '\0')
        continue;
      if (kind == AGNODE && g_str_equal (sym->name, "label") && g_str_equal (value, "\\N"))
        continue;
      g_hash_table_replace (fields, g_ascii_strdown (sym->name, -1), g_strdup (value));
    }
  return fields;
}

/**
 * svyaz_layout_read_dot:
 *
 * Parses a DOT file with cgraph's own parser into plain data: node names
 * as keys, every attribute as a field (svyaz-interop decides what they
 * mean). A file cgraph refuses gives its message in @error.
 *
 * Returns: (transfer full) (nullable): the graph
 */
SvyazForeignGraph *
svyaz_layout_read_dot (const char  *path,
                       GError     **error)
{
  g_autoptr(SvyazForeignGraph) graph = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  const char *bad;
  gsize len;
  Agraph_t *g;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_LAYOUT, "%s", local->message);
      return NULL;
    }
  if (!g_utf8_validate_len (text, len, &bad))
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_LAYOUT,
                   "%s: invalid UTF-8 at byte offset %" G_GSIZE_FORMAT, path, (gsize) (bad - text));
      return NULL;
    }
  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_LAYOUT,
                   "%s: not a DOT file (it holds a NUL byte)", path);
      return NULL;
    }

  g_mutex_lock (&graphviz_lock);
  agseterr (AGMAX);
  g = agmemread (text);
  if (g == NULL)
    {
      take_graphviz_error (error, path);
      g_mutex_unlock (&graphviz_lock);
      return NULL;
    }
  graph = svyaz_foreign_graph_new ();
  for (Agnode_t *n = agfstnode (g); n; n = agnxtnode (g, n))
    {
      g_autoptr(GHashTable) fields = dot_fields (g, n, AGNODE);

      svyaz_foreign_graph_add_node (graph, agnameof (n), fields);
    }
  for (Agnode_t *n = agfstnode (g); n; n = agnxtnode (g, n))
    for (Agedge_t *e = agfstout (g, n); e; e = agnxtout (g, e))
      {
        g_autoptr(GHashTable) fields = dot_fields (g, e, AGEDGE);

        svyaz_foreign_graph_add_edge (graph, agnameof (agtail (e)), agnameof (aghead (e)), fields);
      }
  agclose (g);
  g_mutex_unlock (&graphviz_lock);
  return g_steal_pointer (&graph);
}

/* svyaz-analysis.c: centralities, components, communities and paths.
 *
 * All of it runs on a compact adjacency (CSR) of the simple undirected
 * graph built once per call. Betweenness is Brandes' algorithm, O(nm),
 * exact up to SVYAZ_ANALYSIS_EXACT_MAX nodes and estimated beyond from
 * SVYAZ_ANALYSIS_PIVOTS evenly spaced sources, scaled up (Brandes and
 * Pich's pivots). Louvain
 * is the original two-phase method: local moves while modularity grows,
 * then communities folded into nodes, until nothing moves. Paths are
 * Yen's k shortest loopless paths over breadth-first search.
 */
#include "svyaz-analysis.h"

#include <math.h>
#include <string.h>

#define PAGERANK_DAMPING   0.85
#define PAGERANK_MAX_STEPS 200
#define PAGERANK_EPSILON   1e-12

typedef struct {
  guint   n;
  guint  *offsets;   /* n + 1 */
  guint  *targets;   /* neighbours of i: targets[offsets[i] .. offsets[i+1]) */
} Adjacency;

static void
adjacency_clear (Adjacency *adj)
{
  g_free (adj->offsets);
  g_free (adj->targets);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const guint *x = a, *y = b;

  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

static void
adjacency_build (Adjacency        *adj,
                 const SvyazGraph *graph)
{
  guint n = graph->nodes->len;
  g_autoptr(GArray) pairs = g_array_sized_new (FALSE, FALSE, 2 * sizeof (guint), 2 * graph->edges->len);
  guint kept = 0;

  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = SVYAZ_EDGE (graph, i);
      guint p[2] = { e->source, e->target }, q[2] = { e->target, e->source };

      if (e->source == e->target)
        continue;
      g_array_append_vals (pairs, p, 1);
      g_array_append_vals (pairs, q, 1);
    }
  g_array_sort (pairs, compare_pairs);

  adj->n = n;
  adj->offsets = g_new0 (guint, n + 1);
  adj->targets = g_new (guint, pairs->len + 1);
  for (guint i = 0; i < pairs->len; i++)
    {
      const guint *p = &g_array_index (pairs, guint, 2 * i);

      if (i > 0 && compare_pairs (p, &g_array_index (pairs, guint, 2 * (i - 1))) == 0)
        continue;  /* parallel edge */
      adj->targets[kept++] = p[1];
      adj->offsets[p[0] + 1]++;
    }
  for (guint i = 0; i < n; i++)
    adj->offsets[i + 1] += adj->offsets[i];
  g_assert (adj->offsets[n] == kept);
}

#define FOR_NEIGHBOURS(adj, v, w) \
  for (guint _k = (adj)->offsets[v], w; _k < (adj)->offsets[(v) + 1] && ((w) = (adj)->targets[_k], TRUE); _k++)

/* Section: betweenness */

static void
brandes (const Adjacency *adj,
         double          *out,
         gboolean        *out_sampled)
{
  guint n = adj->n;
  g_autofree guint *stack = g_new (guint, n);
  g_autofree guint *queue = g_new (guint, n);
  g_autofree int *dist = g_new (int, n);
  g_autofree double *sigma = g_new (double, n);
  g_autofree double *delta = g_new (double, n);
  guint step = n > SVYAZ_ANALYSIS_EXACT_MAX ? (n + SVYAZ_ANALYSIS_PIVOTS - 1) / SVYAZ_ANALYSIS_PIVOTS : 1;
  guint sources = 0;

  memset (out, 0, n * sizeof (double));
  for (guint s = 0; s < n; s += step)
    {
      guint head = 0, tail = 0, top = 0;

      sources++;
      for (guint i = 0; i < n; i++)
        dist[i] = -1, sigma[i] = 0, delta[i] = 0;
      dist[s] = 0;
      sigma[s] = 1;
      queue[tail++] = s;
      while (head < tail)
        {
          guint v = queue[head++];

          stack[top++] = v;
          FOR_NEIGHBOURS (adj, v, w)
            {
              if (dist[w] < 0)
                {
                  dist[w] = dist[v] + 1;
                  queue[tail++] = w;
                }
              if (dist[w] == dist[v] + 1)
                sigma[w] += sigma[v];
            }
        }
      /* Predecessors are the neighbours one step nearer: no lists needed. */
      while (top > 0)
        {
          guint w = stack[--top];

          FOR_NEIGHBOURS (adj, w, v)
            if (dist[v] >= 0 && dist[v] == dist[w] - 1)
              delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
          if (w != s)
            out[w] += delta[w];
        }
    }
  /* Each unordered pair was counted from both ends; a sample stands for
   * all n sources. */
  for (guint i = 0; i < n; i++)
    out[i] = out[i] / 2.0 * ((double) n / sources);
  *out_sampled = step > 1;
}

/* Section: PageRank */

static void
pagerank (const Adjacency *adj,
          double          *rank)
{
  guint n = adj->n;
  g_autofree double *next = g_new (double, n);

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    rank[i] = 1.0 / n;
  for (guint step = 0; step < PAGERANK_MAX_STEPS; step++)
    {
      double dangling = 0, change = 0;

      for (guint i = 0; i < n; i++)
        if (adj->offsets[i + 1] == adj->offsets[i])
          dangling += rank[i];
      for (guint i = 0; i < n; i++)
        next[i] = (1 - PAGERANK_DAMPING) / n + PAGERANK_DAMPING * dangling / n;
      for (guint v = 0; v < n; v++)
        {
          guint out = adj->offsets[v + 1] - adj->offsets[v];

          FOR_NEIGHBOURS (adj, v, w)
            next[w] += PAGERANK_DAMPING * rank[v] / out;
        }
      for (guint i = 0; i < n; i++)
        {
          change += fabs (next[i] - rank[i]);
          rank[i] = next[i];
        }
      if (change < PAGERANK_EPSILON)
        break;
    }
}

/* Section: groups */

typedef struct {
  guint id;
  guint size;
  guint first;
} Group;

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const Group *x = a, *y = b;

  if (x->size != y->size)
    return x->size > y->size ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

/* Renumbers @labels (any ids below @n_labels) so that 0 is the largest
 * group, ties going to the group met first. Returns how many groups. */
static guint
renumber (guint *labels,
          guint  n,
          guint  n_labels)
{
  g_autofree Group *groups = g_new0 (Group, n_labels);
  g_autofree guint *map = g_new (guint, n_labels);
  guint count = 0;

  for (guint i = 0; i < n_labels; i++)
    groups[i].id = i, groups[i].first = G_MAXUINT;
  for (guint i = 0; i < n; i++)
    {
      Group *g = &groups[labels[i]];

      if (g->size++ == 0)
        g->first = i;
    }
  /* g_new0 (…, 0) is NULL, which qsort() may not be given. */
  if (n_labels > 0)
    qsort (groups, n_labels, sizeof (Group), compare_groups);
  for (guint i = 0; i < n_labels; i++)
    {
      map[groups[i].id] = i;
      if (groups[i].size > 0)
        count++;
    }
  for (guint i = 0; i < n; i++)
    labels[i] = map[labels[i]];
  return count;
}

static guint
components (const Adjacency *adj,
            guint           *label)
{
  g_autofree guint *queue = g_new (guint, adj->n);
  guint count = 0;

  for (guint i = 0; i < adj->n; i++)
    label[i] = G_MAXUINT;
  for (guint s = 0; s < adj->n; s++)
    {
      guint head = 0, tail = 0;

      if (label[s] != G_MAXUINT)
        continue;
      label[s] = count;
      queue[tail++] = s;
      while (head < tail)
        {
          guint v = queue[head++];

          FOR_NEIGHBOURS (adj, v, w)
            if (label[w] == G_MAXUINT)
              {
                label[w] = count;
                queue[tail++] = w;
              }
        }
      count++;
    }
  return renumber (label, adj->n, count);
}

/* Section: Louvain */

typedef struct {
  guint  u, v;   /* u <= v; u == v is a loop holding a community's inner weight */
  double w;
} WEdge;

/* One level: moves nodes between communities while modularity grows.
 * Returns whether any node moved; @community holds the result. */
static gboolean
louvain_level (guint         n,
               const GArray *edges,
               guint        *community)
{
  g_autofree guint *offsets = g_new0 (guint, n + 1);
  g_autofree guint *nbr = NULL;
  g_autofree double *nw = NULL;
  g_autofree double *k = g_new0 (double, n);
  g_autofree double *tot = g_new0 (double, n);
  g_autofree double *link = g_new0 (double, n);
  g_autofree guint *touched = g_new (guint, n);
  g_autofree guint *fill = NULL;
  double m = 0;
  gboolean moved_any = FALSE, moved = TRUE;

  for (guint i = 0; i < edges->len; i++)
    {
      const WEdge *e = &g_array_index (edges, WEdge, i);

      m += e->w;
      k[e->u] += e->w;
      k[e->v] += e->w;
      if (e->u != e->v)
        offsets[e->u + 1]++, offsets[e->v + 1]++;
    }
  if (m <= 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    offsets[i + 1] += offsets[i];
  nbr = g_new (guint, offsets[n] + 1);
  nw = g_new (double, offsets[n] + 1);
  fill = g_memdup2 (offsets, n * sizeof (guint));
  for (guint i = 0; i < edges->len; i++)
    {
      const WEdge *e = &g_array_index (edges, WEdge, i);

      if (e->u == e->v)
        continue;
      nbr[fill[e->u]] = e->v, nw[fill[e->u]++] = e->w;
      nbr[fill[e->v]] = e->u, nw[fill[e->v]++] = e->w;
    }

  for (guint i = 0; i < n; i++)
    community[i] = i, tot[i] = k[i];

  while (moved)
    {
      moved = FALSE;
      for (guint i = 0; i < n; i++)
        {
          guint own = community[i], best = own, n_touched = 0;
          double best_gain;

          for (guint j = offsets[i]; j < offsets[i + 1]; j++)
            {
              guint c = community[nbr[j]];

              if (link[c] == 0)
                touched[n_touched++] = c;
              link[c] += nw[j];
            }
          tot[own] -= k[i];
          /* Gain of joining c, up to a constant factor: k_i,in(c) - tot(c) k_i / 2m. */
          best_gain = link[own] - tot[own] * k[i] / (2 * m);
          for (guint t = 0; t < n_touched; t++)
            {
              guint c = touched[t];
              double gain = link[c] - tot[c] * k[i] / (2 * m);

              /* Strictly better only, so that nodes settle. */
              if (gain > best_gain + 1e-12)
                best_gain = gain, best = c;
            }
          tot[best] += k[i];
          community[i] = best;
          for (guint t = 0; t < n_touched; t++)
            link[touched[t]] = 0;
          link[own] = 0;
          if (best != own)
            moved = moved_any = TRUE;
        }
    }
  return moved_any;
}

static double
modularity (guint         n,
            const GArray *edges,
            const guint  *community)
{
  g_autofree double *in = g_new0 (double, n);
  g_autofree double *tot = g_new0 (double, n);
  double m = 0, q = 0;

  for (guint i = 0; i < edges->len; i++)
    {
      const WEdge *e = &g_array_index (edges, WEdge, i);

      m += e->w;
      tot[community[e->u]] += e->w;
      tot[community[e->v]] += e->w;
      if (community[e->u] == community[e->v])
        in[community[e->u]] += e->w;
    }
  if (m <= 0)
    return 0;
  for (guint c = 0; c < n; c++)
    q += in[c] / m - (tot[c] / (2 * m)) * (tot[c] / (2 * m));
  return q;
}

static guint
louvain (const Adjacency *adj,
         guint           *out,
         double          *out_modularity)
{
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (WEdge));
  g_autoptr(GArray) original = NULL;
  guint n = adj->n;
  g_autofree guint *level = g_new (guint, MAX (n, 1));

  for (guint v = 0; v < n; v++)
    {
      out[v] = v;
      FOR_NEIGHBOURS (adj, v, w)
        if (v < w)
          {
            WEdge e = { v, w, 1.0 };

            g_array_append_val (edges, e);
          }
    }
  original = g_array_copy (edges);

  while (n > 1 && louvain_level (n, edges, level))
    {
      g_autoptr(GHashTable) folded = g_hash_table_new_full (svyaz_pair_hash, g_int64_equal, g_free, g_free);
      g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (WEdge));
      GHashTableIter iter;
      gpointer key, value;
      guint count;

      /* Dense community numbers, then every original node follows its level node. */
      count = renumber (level, n, n);
      for (guint v = 0; v < adj->n; v++)
        out[v] = level[out[v]];
      for (guint i = 0; i < edges->len; i++)
        {
          const WEdge *e = &g_array_index (edges, WEdge, i);
          guint a = MIN (level[e->u], level[e->v]), b = MAX (level[e->u], level[e->v]);
          gint64 pair = (gint64) a << 32 | b;
          double *w = g_hash_table_lookup (folded, &pair);

          if (w == NULL)
            {
              w = g_new0 (double, 1);
              g_hash_table_insert (folded, g_memdup2 (&pair, sizeof pair), w);
            }
          *w += e->w;
        }
      g_hash_table_iter_init (&iter, folded);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gint64 pair = *(gint64 *) key;
          WEdge e = { (guint) (pair >> 32), (guint) (pair & 0xffffffff), *(double *) value };

          g_array_append_val (next, e);
        }
      g_array_sort (next, compare_pairs);  /* WEdge starts with two guints */
      g_array_unref (edges);
      edges = g_steal_pointer (&next);
      if (count == n)
        break;
      n = count;
    }
  *out_modularity = modularity (adj->n, original, out);
  return renumber (out, adj->n, adj->n);
}

/* Section: public */

/**
 * svyaz_analysis_run:
 *
 * Returns: (transfer full): every measure for every node of @graph, by
 *   node index
 */
SvyazAnalysis *
svyaz_analysis_run (const SvyazGraph *graph)
{
  return svyaz_analysis_run_some (graph, SVYAZ_MEASURE_ALL);
}

/* Past this many nodes, the window measures only what it draws with:
 * betweenness and communities take seconds at 100,000 nodes. */
#define EVERYTHING_MAX 5000

/**
 * svyaz_analysis_needed:
 *
 * Returns: what to measure for a picture of @n_nodes coloured and sized
 *   so: everything on graphs of up to 5,000 nodes (the details panel
 *   shows it all), beyond that the cheap measures and what the colouring
 *   and sizing use
 */
SvyazMeasures
svyaz_analysis_needed (guint        n_nodes,
                       SvyazColorBy color_by,
                       SvyazSizeBy  size_by)
{
  SvyazMeasures m = SVYAZ_MEASURE_PAGERANK | SVYAZ_MEASURE_COMPONENTS;

  if (n_nodes <= EVERYTHING_MAX)
    return SVYAZ_MEASURE_ALL;
  if (color_by == SVYAZ_COLOR_BY_COMMUNITY)
    m |= SVYAZ_MEASURE_COMMUNITIES;
  if (size_by == SVYAZ_SIZE_BY_BETWEENNESS)
    m |= SVYAZ_MEASURE_BETWEENNESS;
  return m;
}

/**
 * svyaz_analysis_run_some:
 * @measures: which measures besides degree
 *
 * Returns: (transfer full): those measures for every node, by node index;
 *   the others are zero
 */
SvyazAnalysis *
svyaz_analysis_run_some (const SvyazGraph *graph,
                         SvyazMeasures     measures)
{
  SvyazAnalysis *a;
  Adjacency adj;
  guint n;

  g_return_val_if_fail (graph != NULL, NULL);

  adjacency_build (&adj, graph);
  n = adj.n;
  a = g_new0 (SvyazAnalysis, 1);
  a->n_nodes = n;
  a->degree = g_new0 (double, n + 1);
  a->betweenness = g_new0 (double, n + 1);
  a->pagerank = g_new0 (double, n + 1);
  a->component = g_new0 (guint, n + 1);
  a->community = g_new0 (guint, n + 1);
  for (guint i = 0; i < n; i++)
    a->degree[i] = adj.offsets[i + 1] - adj.offsets[i];
  a->measured = measures;
  if (measures & SVYAZ_MEASURE_BETWEENNESS)
    brandes (&adj, a->betweenness, &a->sampled);
  if (measures & SVYAZ_MEASURE_PAGERANK)
    pagerank (&adj, a->pagerank);
  if (measures & SVYAZ_MEASURE_COMPONENTS)
    a->n_components = components (&adj, a->component);
  if (measures & SVYAZ_MEASURE_COMMUNITIES)
    a->n_communities = louvain (&adj, a->community, &a->modularity);
  adjacency_clear (&adj);
  return a;
}

void
svyaz_analysis_free (SvyazAnalysis *analysis)
{
  if (analysis == NULL)
    return;
  g_free (analysis->degree);
  g_free (analysis->betweenness);
  g_free (analysis->pagerank);
  g_free (analysis->component);
  g_free (analysis->community);
  g_free (analysis);
}

/**
 * svyaz_analysis_apply:
 *
 * Sets each node's group (the colour) and weight (the size) from
 * @analysis, for svyaz_render_measure() and the drawing. Weights are the
 * measure relative to the graph's largest, square-rooted so that a hub
 * does not dwarf everything else.
 */
void
svyaz_analysis_apply (const SvyazAnalysis *analysis,
                      SvyazGraph          *graph,
                      SvyazColorBy         color_by,
                      SvyazSizeBy          size_by)
{
  const double *measure = NULL;
  double max = 0;

  g_return_if_fail (analysis != NULL && graph != NULL);
  g_return_if_fail (analysis->n_nodes == graph->nodes->len);

  switch (size_by)
    {
    case SVYAZ_SIZE_BY_DEGREE: measure = analysis->degree; break;
    case SVYAZ_SIZE_BY_BETWEENNESS: measure = analysis->betweenness; break;
    case SVYAZ_SIZE_BY_PAGERANK: measure = analysis->pagerank; break;
    case SVYAZ_SIZE_BY_NONE: break;
    }
  for (guint i = 0; measure && i < analysis->n_nodes; i++)
    max = MAX (max, measure[i]);
  graph->groups = color_by == SVYAZ_COLOR_BY_COMMUNITY ? "communities"
                : color_by == SVYAZ_COLOR_BY_COMPONENT ? "components" : NULL;
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode *node = SVYAZ_NODE (graph, i);

      node->weight = measure == NULL ? -1 : max > 0 ? sqrt (measure[i] / max) : 0;
      node->group = color_by == SVYAZ_COLOR_BY_COMMUNITY ? (int) analysis->community[i]
                  : color_by == SVYAZ_COLOR_BY_COMPONENT ? (int) analysis->component[i] : -1;
    }
}

/* Section: paths */

typedef struct {
  const Adjacency *adj;
  GHashTable      *removed_edges;  /* (min << 32 | max) */
  guint8          *removed_nodes;
} Blocked;

static gint64
edge_key (guint a,
          guint b)
{
  return (gint64) MIN (a, b) << 32 | MAX (a, b);
}

/* A shortest path from @from to @to avoiding what is blocked, or NULL. */
static GArray *
bfs_path (const Blocked *blocked,
          guint          from,
          guint          to)
{
  const Adjacency *adj = blocked->adj;
  g_autofree guint *parent = g_new (guint, adj->n);
  g_autofree guint *queue = g_new (guint, adj->n);
  guint head = 0, tail = 0;
  GArray *path;

  for (guint i = 0; i < adj->n; i++)
    parent[i] = G_MAXUINT;
  parent[from] = from;
  queue[tail++] = from;
  while (head < tail && parent[to] == G_MAXUINT)
    {
      guint v = queue[head++];

      FOR_NEIGHBOURS (adj, v, w)
        {
          gint64 key;

          if (parent[w] != G_MAXUINT || blocked->removed_nodes[w])
            continue;
          key = edge_key (v, w);
          if (g_hash_table_contains (blocked->removed_edges, &key))
            continue;
          parent[w] = v;
          queue[tail++] = w;
        }
    }
  if (parent[to] == G_MAXUINT)
    return NULL;
  path = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint v = to; ; v = parent[v])
    {
      g_array_prepend_val (path, v);
      if (v == from)
        break;
    }
  return path;
}

static gboolean
same_prefix (GArray *a,
             GArray *b,
             guint   len)
{
  return a->len >= len && b->len >= len &&
         memcmp (a->data, b->data, len * sizeof (guint)) == 0;
}

static gboolean
path_in (GPtrArray *paths,
         GArray    *path)
{
  for (guint i = 0; i < paths->len; i++)
    {
      GArray *p = g_ptr_array_index (paths, i);

      if (p->len == path->len && same_prefix (p, path, p->len))
        return TRUE;
    }
  return FALSE;
}

/**
 * svyaz_analysis_paths:
 * @from: node index
 * @to: node index
 * @k: how many paths at most
 *
 * Yen's algorithm: the shortest path, then each next one is the shortest
 * that leaves an earlier path at some node and never revisits a node.
 *
 * Returns: (transfer container) (element-type GArray): up to @k paths as
 *   arrays of node indices from @from to @to, shortest first; empty if
 *   they are not connected
 */
GPtrArray *
svyaz_analysis_paths (const SvyazGraph *graph,
                      guint             from,
                      guint             to,
                      guint             k)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) removed = g_hash_table_new_full (svyaz_pair_hash, g_int64_equal, g_free, NULL);
  Adjacency adj;
  Blocked blocked;
  GArray *first;

  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (from < graph->nodes->len && to < graph->nodes->len, NULL);

  if (k == 0)
    return g_steal_pointer (&found);
  adjacency_build (&adj, graph);
  blocked.adj = &adj;
  blocked.removed_edges = removed;
  blocked.removed_nodes = g_new0 (guint8, adj.n + 1);

  first = bfs_path (&blocked, from, to);
  if (first != NULL)
    g_ptr_array_add (found, first);
  while (found->len > 0 && found->len < k)
    {
      GArray *last = g_ptr_array_index (found, found->len - 1);
      guint best = G_MAXUINT;

      for (guint i = 0; i + 1 < last->len; i++)
        {
          guint spur = g_array_index (last, guint, i);
          GArray *tail;

          g_hash_table_remove_all (removed);
          memset (blocked.removed_nodes, 0, adj.n);
          for (guint p = 0; p < found->len; p++)
            {
              GArray *earlier = g_ptr_array_index (found, p);

              if (earlier->len > i + 1 && same_prefix (earlier, last, i + 1))
                {
                  gint64 key = edge_key (g_array_index (earlier, guint, i), g_array_index (earlier, guint, i + 1));

                  g_hash_table_add (removed, g_memdup2 (&key, sizeof key));
                }
            }
          for (guint r = 0; r < i; r++)
            blocked.removed_nodes[g_array_index (last, guint, r)] = 1;
          tail = bfs_path (&blocked, spur, to);
          if (tail != NULL)
            {
              GArray *path = g_array_new (FALSE, FALSE, sizeof (guint));

              g_array_append_vals (path, last->data, i);
              g_array_append_vals (path, tail->data, tail->len);
              g_array_unref (tail);
              if (path_in (found, path) || path_in (candidates, path))
                g_array_unref (path);
              else
                g_ptr_array_add (candidates, path);
            }
        }
      /* The shortest candidate; the first found among equals. */
      for (guint c = 0; c < candidates->len; c++)
        if (best == G_MAXUINT ||
            ((GArray *) g_ptr_array_index (candidates, c))->len <
            ((GArray *) g_ptr_array_index (candidates, best))->len)
          best = c;
      if (best == G_MAXUINT)
        break;
      g_ptr_array_add (found, g_ptr_array_steal_index (candidates, best));
    }
  g_free (blocked.removed_nodes);
  adjacency_clear (&adj);
  return g_steal_pointer (&found);
}

/* Section: paths in the store */

void
svyaz_path_free (SvyazPath *path)
{
  if (path == NULL)
    return;
  g_array_unref (path->entity_ids);
  g_ptr_array_unref (path->names);
  g_ptr_array_unref (path->hops);
  g_free (path->text);
  g_free (path);
}

static gboolean
relation_passes (const SvyazView     *view,
                 const SvyazRelation *r)
{
  return (view->cooccurrence || !r->cooccurrence) &&
         !svyaz_name_set_contains (view->hidden_predicates, r->predicate) &&
         !svyaz_id_set_contains (view->hidden_documents, r->document_id) &&
         r->confidence >= view->min_confidence;
}

static int
compare_relations (gconstpointer a,
                   gconstpointer b)
{
  const SvyazRelation *x = *(SvyazRelation * const *) a, *y = *(SvyazRelation * const *) b;

  if (x->cooccurrence != y->cooccurrence)
    return x->cooccurrence ? 1 : -1;
  if (x->confidence != y->confidence)
    return x->confidence > y->confidence ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static SvyazPath *
describe_path (SvyazStore       *store,
               const SvyazView  *view,
               const SvyazGraph *graph,
               GArray           *nodes,
               GError          **error)
{
  g_autoptr(SvyazPath) path = g_new0 (SvyazPath, 1);
  GString *text = g_string_new (NULL);

  path->entity_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  path->names = g_ptr_array_new_with_free_func (g_free);
  path->hops = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < nodes->len; i++)
    {
      const SvyazNode *node = SVYAZ_NODE (graph, g_array_index (nodes, guint, i));

      g_array_append_val (path->entity_ids, node->entity_id);
      g_ptr_array_add (path->names, g_strdup (node->name));
      if (i > 0)
        {
          const SvyazNode *prev = SVYAZ_NODE (graph, g_array_index (nodes, guint, i - 1));
          SvyazRelationQuery query = { 0 };
          g_autoptr(GPtrArray) all = NULL;
          GPtrArray *hop = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_relation_free);
          SvyazRelation *first;

          query.entity_id = prev->entity_id;
          query.other_id = node->entity_id;
          query.include_cooccurrence = view->cooccurrence;
          all = svyaz_store_list_relations (store, &query, error);
          if (all == NULL)
            {
              g_ptr_array_unref (hop);
              g_string_free (text, TRUE);
              return NULL;
            }
          for (guint r = 0; r < all->len; r++)
            if (relation_passes (view, g_ptr_array_index (all, r)))
              g_ptr_array_add (hop, g_steal_pointer (&all->pdata[r]));
          g_ptr_array_sort (hop, compare_relations);
          g_ptr_array_add (path->hops, hop);
          first = hop->len > 0 ? g_ptr_array_index (hop, 0) : NULL;
          g_string_append (text, first == NULL || first->cooccurrence ? " — "
                                 : first->subject_id == prev->entity_id ? " → " : " ← ");
        }
      g_string_append (text, node->name);
    }
  path->text = g_string_free (text, FALSE);
  return g_steal_pointer (&path);
}

/**
 * svyaz_find_paths:
 * @view: whose filters the paths respect
 * @k: how many paths at most
 *
 * The k shortest paths between two entities of @store
 * (svyaz_graph_load_between(), then svyaz_analysis_paths()), each with
 * the relations along it, strongest first, and a one-line summary whose
 * arrows follow the strongest relation of each hop.
 *
 * Returns: (transfer container) (element-type SvyazPath): shortest first;
 *   empty if none is within SVYAZ_PATH_MAX_HOPS
 */
GPtrArray *
svyaz_find_paths (SvyazStore       *store,
                  const SvyazView  *view,
                  gint64            from,
                  gint64            to,
                  guint             k,
                  GError          **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_path_free);
  g_autoptr(SvyazGraph) graph = NULL;
  g_autoptr(GPtrArray) found = NULL;
  int a, b;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (view != NULL, NULL);

  graph = svyaz_graph_load_between (store, view, from, to, SVYAZ_PATH_MAX_HOPS, error);
  if (graph == NULL)
    return NULL;
  a = svyaz_graph_find_node (graph, from);
  b = svyaz_graph_find_node (graph, to);
  if (a < 0 || b < 0)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NO_ENTITY,
                   "no entity #%" G_GINT64_FORMAT, a < 0 ? from : to);
      return NULL;
    }
  found = svyaz_analysis_paths (graph, (guint) a, (guint) b, k);
  for (guint i = 0; i < found->len; i++)
    {
      SvyazPath *path = describe_path (store, view, graph, g_ptr_array_index (found, i), error);

      if (path == NULL)
        return NULL;
      g_ptr_array_add (paths, path);
    }
  return g_steal_pointer (&paths);
}

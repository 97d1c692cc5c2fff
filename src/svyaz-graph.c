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
#include "svyaz-idmap.h"

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
  g_free (node->description);
  g_free (node->vertices);
}

static void
edge_clear (gpointer data)
{
  SvyazEdge *edge = data;

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
  copy->groups = graph->groups;
  copy->x0 = graph->x0;
  copy->y0 = graph->y0;
  copy->x1 = graph->x1;
  copy->y1 = graph->y1;
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode node = g_array_index (graph->nodes, SvyazNode, i);

      node.name = g_strdup (node.name);
      node.description = g_strdup (node.description);
      node.vertices = g_memdup2 (node.vertices, node.n_vertices * 2 * sizeof (double));
      g_array_append_val (copy->nodes, node);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge edge = g_array_index (graph->edges, SvyazEdge, i);

      edge.points = g_memdup2 (edge.points, edge.n_points * 2 * sizeof (double));
      g_array_append_val (copy->edges, edge);
    }
  return copy;
}

/* Section: building */

/* Takes @name and @description. */
static guint
append_node (SvyazGraph *graph,
             gint64      entity_id,
             char       *name,
             const char *type,
             char       *description)
{
  SvyazNode node = { 0 };

  node.entity_id = entity_id;
  node.weight = -1;
  node.group = -1;
  node.name = name;
  node.type = g_intern_string (type);
  node.description = description;
  g_array_append_val (graph->nodes, node);
  return graph->nodes->len - 1;
}

guint
svyaz_graph_add_node (SvyazGraph *graph,
                      gint64      entity_id,
                      const char *name,
                      const char *type,
                      const char *description)
{
  g_return_val_if_fail (graph != NULL, 0);
  g_return_val_if_fail (name != NULL && type != NULL, 0);

  return append_node (graph, entity_id, g_strdup (name), type, g_strdup (description));
}

/* What edges merge on; predicates interned, so compared by pointer. */
typedef struct {
  guint       source;
  guint       target;
  const char *predicate;
  gboolean    cooccurrence;
} MergeKey;

static guint
merge_key_hash (gconstpointer key)
{
  const MergeKey *k = key;
  guint64 pair = (guint64) k->source << 32 | k->target;

  return svyaz_pair_hash (&pair) ^ g_direct_hash (k->predicate) ^ (guint) k->cooccurrence;
}

static gboolean
merge_key_equal (gconstpointer a,
                 gconstpointer b)
{
  const MergeKey *x = a, *y = b;

  return x->source == y->source && x->target == y->target &&
         x->predicate == y->predicate && x->cooccurrence == y->cooccurrence;
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
  MergeKey key;
  gpointer found;

  g_return_if_fail (graph != NULL);
  g_return_if_fail (source < graph->nodes->len && target < graph->nodes->len);
  g_return_if_fail (predicate != NULL);

  if (graph->merge_index == NULL)
    graph->merge_index = g_hash_table_new_full (merge_key_hash, merge_key_equal, g_free, NULL);
  /* A co-occurrence is the same edge in either direction. */
  key.source = cooccurrence ? MIN (source, target) : source;
  key.target = cooccurrence ? MAX (source, target) : target;
  key.cooccurrence = cooccurrence != FALSE;
  key.predicate = g_intern_string (predicate);
  if (g_hash_table_lookup_extended (graph->merge_index, &key, NULL, &found))
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
  g_hash_table_insert (graph->merge_index, g_memdup2 (&key, sizeof key),
                       GUINT_TO_POINTER (graph->edges->len));
  edge.source = source;
  edge.target = target;
  edge.relation_id = relation_id;
  edge.predicate = key.predicate;
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
 * svyaz_pair_hash:
 *
 * A #GHashFunc for 64-bit keys made of two 32-bit halves (node pairs):
 * GLib 2.74's g_int64_hash() keeps only the low half, so every pair
 * sharing its second node collided, and loading a hub's edges went
 * quadratic.
 */
guint
svyaz_pair_hash (gconstpointer key)
{
  guint64 k = *(const guint64 *) key;

  /* splitmix64's finalizer */
  k ^= k >> 30;
  k *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  k ^= k >> 27;
  k *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  k ^= k >> 31;
  return (guint) k;
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
  g_auto(SvyazIdMap) typed = { 0 };
  gboolean weak = FALSE;
  guint kept = 0;

  g_return_if_fail (graph != NULL);

  g_clear_pointer (&graph->merge_index, g_hash_table_unref);
  for (guint i = 0; i < graph->edges->len && !weak; i++)
    weak = SVYAZ_EDGE (graph, i)->cooccurrence;
  /* The pairs joined by a typed relation, when there are co-occurrences
   * to test against them (keys shifted by one: 0 marks a free slot). */
  if (weak)
    {
      svyaz_id_map_init (&typed, graph->edges->len);
      for (guint i = 0; i < graph->edges->len; i++)
        {
          SvyazEdge *e = SVYAZ_EDGE (graph, i);

          if (!e->cooccurrence)
            svyaz_id_map_insert (&typed, (gint64) pair_key (e->source, e->target) + 1, 0);
        }
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);

      if (e->cooccurrence && svyaz_id_map_contains (&typed, (gint64) pair_key (e->source, e->target) + 1))
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

/* @entity is the caller's to discard: its name and description move to
 * the node rather than being copied again. */
static guint
ensure_node (SvyazGraph   *graph,
             SvyazIdMap   *index,
             SvyazEntity  *entity)
{
  guint found;

  if (svyaz_id_map_lookup (index, entity->id, &found))
    return found;
  g_assert (entity->name != NULL);
  found = append_node (graph, entity->id, g_steal_pointer (&entity->name), entity->type,
                       g_steal_pointer (&entity->description));
  svyaz_id_map_insert (index, entity->id, found);
  return found;
}

typedef struct {
  guint       source;
  guint       target;
  const char *predicate;   /* interned */
  gboolean    cooccurrence;
  gint64      relation_id;
  double      confidence;
} Pending;

/* Edges in a fixed order whatever order the store gave the relations in,
 * so that a layout's signature is the same from one session to the next. */
static int
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const Pending *x = a, *y = b;

  if (x->cooccurrence != y->cooccurrence)
    return x->cooccurrence ? 1 : -1;
  if (x->source != y->source)
    return x->source < y->source ? -1 : 1;
  if (x->target != y->target)
    return x->target < y->target ? -1 : 1;
  return x->predicate == y->predicate ? 0 : strcmp (x->predicate, y->predicate);
}

/* Orders @pending as compare_pending() does, in linear time: a radix sort
 * of a key packing the kind, source and target in as few bits as the
 * node numbers need, then each run of one key by predicate. qsort()
 * of 400,000 relations through a comparison callback took a fifth of
 * loading a whole store. Digits are 16 bits for many relations and 8
 * for few, whose counts would otherwise cost more than the moves (a
 * neighbourhood's 10,000 relations cleared and summed 65,536 counts per
 * digit). */
typedef struct {
  guint64 key;
  guint   index;
} Keyed;

static void
sort_pending (GArray *pending)
{
  guint n = pending->len;
  g_autofree Keyed *a = g_new (Keyed, MAX (n, 1));
  g_autofree Keyed *b = g_new (Keyed, MAX (n, 1));
  guint digit = n >= 1u << 16 ? 16 : 8;
  guint mask = (1u << digit) - 1;
  g_autofree guint *count = g_new (guint, 1u << digit);
  g_autofree Pending *sorted = NULL;
  guint top = 0, bits = 1;

  if (n < 2)
    return;  /* and an empty array's data may be NULL, which memcpy() may not be given */
  for (guint i = 0; i < n; i++)
    {
      const Pending *p = &g_array_index (pending, Pending, i);

      top = MAX (top, MAX (p->source, p->target));
    }
  while (bits < 31 && (top >> bits) != 0)
    bits++;
  g_assert ((top >> bits) == 0);
  for (guint i = 0; i < n; i++)
    {
      const Pending *p = &g_array_index (pending, Pending, i);

      a[i].key = (guint64) (p->cooccurrence ? 1 : 0) << (2 * bits) | (guint64) p->source << bits | p->target;
      a[i].index = i;
    }
  for (guint shift = 0; shift < 2 * bits + 1; shift += digit)
    {
      Keyed *swap;
      guint sum = 0;

      memset (count, 0, sizeof (guint) << digit);
      for (guint i = 0; i < n; i++)
        count[(a[i].key >> shift) & mask]++;
      if (n > 0 && count[(a[0].key >> shift) & mask] == n)
        continue;  /* one digit for all: nothing to move */
      for (guint d = 0; d < 1u << digit; d++)
        {
          guint c = count[d];

          count[d] = sum;
          sum += c;
        }
      for (guint i = 0; i < n; i++)
        b[count[(a[i].key >> shift) & mask]++] = a[i];
      swap = a, a = b, b = swap;
    }

  sorted = g_new (Pending, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    sorted[i] = g_array_index (pending, Pending, a[i].index);
  /* Runs of one key are a pair's parallel relations: a handful. */
  for (guint i = 1; i < n; i++)
    for (guint k = i; k > 0 && a[k].key == a[k - 1].key && compare_pending (&sorted[k - 1], &sorted[k]) > 0; k--)
      {
        Pending p = sorted[k];
        Keyed t = a[k];

        sorted[k] = sorted[k - 1], sorted[k - 1] = p;
        a[k] = a[k - 1], a[k - 1] = t;
      }
  memcpy (pending->data, sorted, sizeof (Pending) * n);
}

/* Adds @links between nodes of @index, merged as svyaz_graph_add_relation()
 * merges them, but by sorting rather than hashing each relation: a whole
 * store's half a million relations merge in a fraction of the time. */
static void
add_links (SvyazGraph  *graph,
           SvyazIdMap  *index,
           GArray      *links)
{
  g_autoptr(GArray) pending = g_array_sized_new (FALSE, FALSE, sizeof (Pending), links->len);
  guint n = 0;

  g_assert (graph->merge_index == NULL);
  /* Written in place: g_array_append_val() is a call a relation. */
  g_array_set_size (pending, links->len);
  for (guint i = 0; i < links->len; i++)
    {
      SvyazLink *l = &g_array_index (links, SvyazLink, i);
      guint s, o;
      Pending p;

      if (!svyaz_id_map_lookup (index, l->subject_id, &s) || !svyaz_id_map_lookup (index, l->object_id, &o))
        continue;
      p.source = s;
      p.target = o;
      /* A co-occurrence is the same edge in either direction. */
      if (l->cooccurrence && p.source > p.target)
        p.source = o, p.target = s;
      p.predicate = l->predicate;  /* interned by the store */
      p.cooccurrence = l->cooccurrence != FALSE;
      p.relation_id = l->id;
      p.confidence = l->confidence;
      g_array_index (pending, Pending, n++) = p;
    }
  g_array_set_size (pending, n);
  sort_pending (pending);
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);
      SvyazEdge edge = { 0 };

      if (i > 0 && compare_pending (p, p - 1) == 0)
        {
          SvyazEdge *e = SVYAZ_EDGE (graph, graph->edges->len - 1);

          e->count++;
          if (p->confidence > e->confidence)
            {
              e->confidence = p->confidence;
              e->relation_id = p->relation_id;
            }
          continue;
        }
      edge.source = p->source;
      edge.target = p->target;
      edge.relation_id = p->relation_id;
      edge.predicate = p->predicate;
      edge.count = 1;
      edge.confidence = p->confidence;
      edge.cooccurrence = p->cooccurrence;
      g_array_append_val (graph->edges, edge);
    }
}

/* Section: loading under a view */

void
svyaz_facets_free (SvyazFacets *facets)
{
  if (facets == NULL)
    return;
  g_ptr_array_unref (facets->types);
  g_ptr_array_unref (facets->predicates);
  g_array_unref (facets->documents);
  g_ptr_array_unref (facets->document_titles);
  g_array_unref (facets->confidences);
  g_free (facets);
}

/**
 * svyaz_facets_count_confident:
 *
 * Returns: how many of the relations counted in @facets have a confidence
 *   of at least @min
 */
guint
svyaz_facets_count_confident (const SvyazFacets *facets,
                              double             min)
{
  guint lo = 0, hi;

  g_return_val_if_fail (facets != NULL, 0);

  hi = facets->confidences->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (facets->confidences, double, mid) < min)
        lo = mid + 1;
      else
        hi = mid;
    }
  return facets->confidences->len - lo;
}

typedef struct {
  gint64  id;
  double  strength;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a, *y = b;

  if (x->strength != y->strength)
    return x->strength > y->strength ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Moves the @k first of @c in compare_candidates() order to its front,
 * in no particular order: a hub's thousands of neighbours were sorted
 * whole for the fifty the cap lets in. */
static void
select_first (Candidate *c,
              guint      n,
              guint      k)
{
  guint lo = 0, hi = n;

  while (hi - lo > 1)
    {
      Candidate pivot = c[lo + (hi - lo) / 2];
      guint lt = lo, i = lo, gt = hi;

      /* [lo, lt) before the pivot, [lt, gt) the pivot, [gt, hi) after */
      while (i < gt)
        {
          int cmp = compare_candidates (&c[i], &pivot);
          Candidate t = c[i];

          if (cmp < 0)
            c[i++] = c[lt], c[lt++] = t;
          else if (cmp > 0)
            c[i] = c[--gt], c[gt] = t;
          else
            i++;
        }
      if (k < lt)
        hi = lt;
      else if (k <= gt)
        return;
      else
        lo = gt;
    }
}

typedef struct {
  const SvyazView *view;
  SvyazIdMap      *members;   /* the nodes so far */
  GArray          *order;     /* gint64: the same, in the order found */
  GHashTable      *more;      /* gint64* -> guint: neighbours held back */
} Growth;

static gboolean
growth_add (Growth *g,
            gint64  id)
{
  if (svyaz_id_set_contains (g->view->hidden, id) || !svyaz_id_map_insert (g->members, id, 0))
    return FALSE;
  g_array_append_val (g->order, id);
  return TRUE;
}

/* Adds the neighbours of each of @sources: at most the view's hub cap
 * per source, strongest first (the sum of the confidences of the links
 * between them), counting the rest as held back. A neighbour an earlier
 * source took is neither added again nor held back. The new nodes go to
 * @next. */
static gboolean
grow (Growth      *g,
      SvyazStore  *store,
      GArray      *sources,
      GArray      *next,
      GError     **error)
{
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (Candidate));

  for (guint i = 0; i < sources->len; i++)
    {
      gint64 source = g_array_index (sources, gint64, i);
      g_autoptr(GArray) neighbours = svyaz_store_list_neighbours (store, source, g->view->cooccurrence, error);
      guint cap = svyaz_id_set_contains (g->view->uncapped, source) ? 0 : g->view->hub_cap;
      guint held = 0;

      if (neighbours == NULL)
        return FALSE;
      guint fresh = 0;

      g_array_set_size (sorted, neighbours->len);
      for (guint k = 0; k < neighbours->len; k++)
        {
          const SvyazNeighbour *n = &g_array_index (neighbours, SvyazNeighbour, k);

          if (!svyaz_id_map_contains (g->members, n->id) && !svyaz_id_set_contains (g->view->hidden, n->id))
            g_array_index (sorted, Candidate, fresh++) = (Candidate) { n->id, n->strength };
        }
      g_array_set_size (sorted, fresh);
      if (cap > 0 && sorted->len > cap)
        {
          select_first ((Candidate *) (void *) sorted->data, sorted->len, cap);
          held = sorted->len - cap;
          g_array_set_size (sorted, cap);
        }
      g_array_sort (sorted, compare_candidates);
      for (guint k = 0; k < sorted->len; k++)
        {
          gint64 id = g_array_index (sorted, Candidate, k).id;

          growth_add (g, id);
          g_array_append_val (next, id);
        }
      if (held > 0)
        g_hash_table_insert (g->more, g_memdup2 (&source, sizeof source), GUINT_TO_POINTER (held));
    }
  return TRUE;
}

static void
count_name (GHashTable *counts,
            const char *name)
{
  gpointer n = g_hash_table_lookup (counts, name);

  g_hash_table_insert (counts, (gpointer) name, GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
}

static int
compare_counts (gconstpointer a,
                gconstpointer b)
{
  const SvyazCount *x = *(SvyazCount * const *) a, *y = *(SvyazCount * const *) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->name, y->name);
}

static GPtrArray *
sorted_counts (GHashTable *counts)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_count_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SvyazCount *c = g_new0 (SvyazCount, 1);

      c->name = g_strdup (key);
      c->count = GPOINTER_TO_UINT (value);
      g_ptr_array_add (out, c);
    }
  g_ptr_array_sort (out, compare_counts);
  return out;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static SvyazFacets *
make_facets (SvyazStore  *store,
             GPtrArray   *entities,
             GArray      *links,
             guint        held_back,
             GError     **error)
{
  g_autoptr(SvyazFacets) facets = g_new0 (SvyazFacets, 1);
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) predicates = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) all_documents = NULL;

  for (guint i = 0; i < entities->len; i++)
    count_name (types, ((SvyazEntity *) g_ptr_array_index (entities, i))->type);
  facets->confidences = g_array_sized_new (FALSE, FALSE, sizeof (double), links->len);
  for (guint i = 0; i < links->len; i++)
    {
      SvyazLink *l = &g_array_index (links, SvyazLink, i);
      gpointer n = g_hash_table_lookup (documents, &l->document_id);

      count_name (predicates, l->predicate);
      g_array_append_val (facets->confidences, l->confidence);
      if (n == NULL)
        g_hash_table_insert (documents, g_memdup2 (&l->document_id, sizeof l->document_id),
                             GUINT_TO_POINTER (1));
      else
        g_hash_table_insert (documents, g_memdup2 (&l->document_id, sizeof l->document_id),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
    }
  g_array_sort (facets->confidences, compare_doubles);
  facets->types = sorted_counts (types);
  facets->predicates = sorted_counts (predicates);
  facets->held_back = held_back;

  /* Documents in the store's order (as added), titled. */
  all_documents = svyaz_store_list_documents (store, error);
  if (all_documents == NULL)
    return NULL;
  facets->documents = g_array_new (FALSE, FALSE, sizeof (SvyazFacetDocument));
  facets->document_titles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i <= all_documents->len; i++)
    {
      /* Index 0 stands for the relations without a document, listed last. */
      SvyazDocument *d = i < all_documents->len ? g_ptr_array_index (all_documents, i) : NULL;
      gint64 id = d ? d->id : 0;
      SvyazFacetDocument fd = { id, GPOINTER_TO_UINT (g_hash_table_lookup (documents, &id)), NULL };

      if (fd.count == 0)
        continue;
      fd.title = d ? d->title : "Imported relations";
      g_ptr_array_add (facets->document_titles, g_strdup (fd.title));
      fd.title = g_ptr_array_index (facets->document_titles, facets->document_titles->len - 1);
      g_array_append_val (facets->documents, fd);
    }
  return g_steal_pointer (&facets);
}

static SvyazGraph *load_view (SvyazStore *store, const SvyazView *view, SvyazFacets **out_facets,
                              GError **error);
static SvyazGraph *load_between (SvyazStore *store, const SvyazView *view, gint64 from, gint64 to,
                                 guint max_hops, GError **error);

/**
 * svyaz_graph_load_view:
 * @out_facets: (out) (optional): what the filters can choose from, with
 *   counts taken before filtering
 *
 * The graph @view shows: the whole store, or the focus's neighbourhood
 * grown ring by ring (each node adding at most the view's hub cap of its
 * strongest neighbours unless it is uncapped), grown again from the
 * expanded nodes, plus the added ones, without the hidden ones. Then the
 * filters: entities of hidden types go, and relations of hidden
 * predicates or documents or below the minimum confidence; an entity that
 * had relations here and has none left goes too, unless it is the focus
 * or was added by hand.
 *
 * Returns: (transfer full): a graph with no layout yet; each node's
 *   held_back says how many neighbours the hub cap left out
 */
SvyazGraph *
svyaz_graph_load_view (SvyazStore       *store,
                       const SvyazView  *view,
                       SvyazFacets     **out_facets,
                       GError          **error)
{
  SvyazGraph *graph;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (view != NULL, NULL);

  /* Its many reads see one state of the store. */
  if (!svyaz_store_read_begin (store, error))
    return NULL;
  graph = load_view (store, view, out_facets, error);
  svyaz_store_read_end (store);
  return graph;
}

static SvyazGraph *
load_view (SvyazStore       *store,
           const SvyazView  *view,
           SvyazFacets     **out_facets,
           GError          **error)
{
  g_autoptr(SvyazGraph) graph = svyaz_graph_new ();
  g_auto(SvyazIdMap) index = { 0 };
  g_auto(SvyazIdMap) members = { 0 };
  g_autoptr(GHashTable) more = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) entities = NULL;
  g_autoptr(GArray) links = NULL;
  g_autoptr(GHashTable) had = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) has = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) passing = g_array_new (FALSE, FALSE, sizeof (SvyazLink));
  Growth g = { view, &members, order, more };
  guint held_back = 0;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (view != NULL, NULL);

  svyaz_id_map_init (&index, 0);
  svyaz_id_map_init (&members, 0);
  graph->focus_id = view->focus_id;
  graph->depth = view->focus_id ? CLAMP (view->depth, 1, 3) : 0;

  if (view->focus_id == 0)
    {
      g_autoptr(GPtrArray) all = svyaz_store_list_nodes (store, error);

      if (all == NULL)
        return NULL;
      entities = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_entity_free);
      for (guint i = 0; i < all->len; i++)
        {
          SvyazEntity *e = g_ptr_array_index (all, i);

          if (!svyaz_id_set_contains (view->hidden, e->id))
            g_ptr_array_add (entities, g_steal_pointer (&all->pdata[i]));
        }
      links = svyaz_store_list_links (store, view->cooccurrence, error);
      if (links == NULL)
        return NULL;
    }
  else
    {
      g_autoptr(GArray) frontier = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) check = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) focus = NULL;

      g_array_append_val (check, view->focus_id);
      focus = svyaz_store_list_nodes_of (store, check, error);
      if (focus == NULL)
        return NULL;
      if (focus->len == 0)
        {
          g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NO_ENTITY,
                       "%s: no entity #%" G_GINT64_FORMAT, svyaz_store_get_path (store), view->focus_id);
          return NULL;
        }
      /* The focus is shown even if it was hidden: hiding it is focusing elsewhere. */
      svyaz_id_map_insert (&members, view->focus_id, 0);
      g_array_append_val (order, view->focus_id);
      g_array_append_val (frontier, view->focus_id);

      /* Breadth first, ring by ring: the neighbours of a ring's nodes
       * are the next one. Once every node is known, one more query takes
       * the relations among them all, which also joins members of the outer
       * ring (Лукашенко travels_to Москва, both neighbours of Назарбаев). */
      for (guint depth = 0; depth < graph->depth && frontier->len > 0; depth++)
        {
          g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (gint64));

          if (!grow (&g, store, frontier, next, error))
            return NULL;
          g_array_set_size (frontier, 0);
          g_array_append_vals (frontier, next->data, next->len);
        }
      for (guint i = 0; i < view->added->len; i++)
        growth_add (&g, g_array_index (view->added, gint64, i));
      if (view->expanded->len > 0)
        {
          g_autoptr(GArray) sources = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (gint64));

          for (guint i = 0; i < view->expanded->len; i++)
            {
              gint64 id = g_array_index (view->expanded, gint64, i);

              if (svyaz_id_map_contains (&members, id))
                g_array_append_val (sources, id);
            }
          if (!grow (&g, store, sources, next, error))
            return NULL;
        }
      entities = svyaz_store_list_nodes_of (store, order, error);
      if (entities == NULL)
        return NULL;
      links = svyaz_store_list_links_within (store, order, view->cooccurrence, error);
      if (links == NULL)
        return NULL;
    }

  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, more);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      held_back += GPOINTER_TO_UINT (value);
  }
  if (out_facets != NULL)
    {
      *out_facets = make_facets (store, entities, links, held_back, error);
      if (*out_facets == NULL)
        return NULL;
    }

  if (!svyaz_view_has_filters (view))
    {
      /* Nothing to filter: every entity and relation found is shown. */
      for (guint i = 0; i < entities->len; i++)
        {
          SvyazEntity *e = g_ptr_array_index (entities, i);
          guint node = ensure_node (graph, &index, e);

          SVYAZ_NODE (graph, node)->held_back = GPOINTER_TO_UINT (g_hash_table_lookup (more, &e->id));
        }
      add_links (graph, &index, links);
      svyaz_graph_finish (graph);
      return g_steal_pointer (&graph);
    }

  /* Filters */
  {
    g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

    for (guint i = 0; i < entities->len; i++)
      {
        SvyazEntity *e = g_ptr_array_index (entities, i);

        if (e->id == view->focus_id || !svyaz_name_set_contains (view->hidden_types, e->type))
          g_hash_table_insert (by_id, &e->id, e);
      }
    for (guint i = 0; i < links->len; i++)
      {
        SvyazLink *l = &g_array_index (links, SvyazLink, i);

        if (!g_hash_table_contains (by_id, &l->subject_id) || !g_hash_table_contains (by_id, &l->object_id))
          continue;
        g_hash_table_add (had, &l->subject_id);
        g_hash_table_add (had, &l->object_id);
        if (svyaz_name_set_contains (view->hidden_predicates, l->predicate) ||
            svyaz_id_set_contains (view->hidden_documents, l->document_id) ||
            l->confidence < view->min_confidence)
          continue;
        g_hash_table_add (has, &l->subject_id);
        g_hash_table_add (has, &l->object_id);
        g_array_append_val (passing, *l);
      }
    /* In the order found, so the focus comes first. */
    for (guint i = 0; i < entities->len; i++)
      {
        SvyazEntity *e = g_ptr_array_index (entities, i);
        gpointer held;
        guint node;

        if (!g_hash_table_contains (by_id, &e->id))
          continue;
        if (g_hash_table_contains (had, &e->id) && !g_hash_table_contains (has, &e->id) &&
            e->id != view->focus_id && !svyaz_id_set_contains (view->added, e->id))
          continue;
        node = ensure_node (graph, &index, e);
        held = g_hash_table_lookup (more, &e->id);
        SVYAZ_NODE (graph, node)->held_back = GPOINTER_TO_UINT (held);
      }
  }
  add_links (graph, &index, passing);
  svyaz_graph_finish (graph);
  return g_steal_pointer (&graph);
}

/* Bounds on the work of svyaz_graph_load_between() past the meeting of
 * its two rings. */
#define BETWEEN_EXTRA_RING_MAX 5000
#define BETWEEN_WITHIN_MAX     50000

/* Whether a relation passes the view's relation filters. */
static gboolean
link_passes (const SvyazView *view,
             const SvyazLink *l)
{
  return !svyaz_name_set_contains (view->hidden_predicates, l->predicate) &&
         !svyaz_id_set_contains (view->hidden_documents, l->document_id) &&
         l->confidence >= view->min_confidence &&
         !svyaz_id_set_contains (view->hidden, l->subject_id) &&
         !svyaz_id_set_contains (view->hidden, l->object_id);
}

/**
 * svyaz_graph_load_between:
 * @max_hops: give up beyond this many hops between @from and @to
 *
 * The part of the store where the shortest paths between @from and @to
 * lie: breadth-first rings grown from both ends, the smaller ring first,
 * until they meet and then one ring more, with the relations among
 * everything reached, through the relations the view's filters let pass
 * (entities of hidden types are left out, except the two ends). Every
 * shortest path is in it, and the alternatives one hop longer; longer
 * ones only as far as the rings reached.
 *
 * Returns: (transfer full): the graph, with no layout; it holds both
 *   ends, connected or not
 */
SvyazGraph *
svyaz_graph_load_between (SvyazStore       *store,
                          const SvyazView  *view,
                          gint64            from,
                          gint64            to,
                          guint             max_hops,
                          GError          **error)
{
  SvyazGraph *graph;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (view != NULL, NULL);

  if (!svyaz_store_read_begin (store, error))
    return NULL;
  graph = load_between (store, view, from, to, max_hops, error);
  svyaz_store_read_end (store);
  return graph;
}

static SvyazGraph *
load_between (SvyazStore       *store,
              const SvyazView  *view,
              gint64            from,
              gint64            to,
              guint             max_hops,
              GError          **error)
{
  g_autoptr(SvyazGraph) graph = svyaz_graph_new ();
  g_auto(SvyazIdMap) index = { 0 };
  g_autoptr(GHashTable) side_from = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) side_to = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) frontier_from = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) frontier_to = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTable *side[2] = { side_from, side_to };
  GArray *frontier[2] = { frontier_from, frontier_to };
  g_autoptr(GHashTable) seen_links = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (SvyazLink));
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) entities = NULL;
  gboolean met = from == to;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (view != NULL, NULL);

  svyaz_id_map_init (&index, 0);
  g_hash_table_add (side[0], g_memdup2 (&from, sizeof from));
  g_hash_table_add (side[1], g_memdup2 (&to, sizeof to));
  g_array_append_val (frontier[0], from);
  g_array_append_val (frontier[1], to);
  g_array_append_val (order, from);
  if (to != from)
    g_array_append_val (order, to);

  for (guint hops = 0, extra = 0; hops < max_hops; hops++)
    {
      guint s = frontier[0]->len <= frontier[1]->len ? 0 : 1;
      g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) ring = NULL;

      /* Once the ends meet, one more ring (if not too large) lets the
       * alternatives one hop longer than the shortest path show up. */
      if (met && (extra++ > 0 || frontier[s]->len > BETWEEN_EXTRA_RING_MAX))
        break;
      if (frontier[s]->len == 0)
        break;  /* that end's component is exhausted: no path */
      ring = svyaz_store_list_links_of (store, frontier[s], view->cooccurrence, error);
      if (ring == NULL)
        return NULL;
      for (guint i = 0; i < ring->len; i++)
        {
          SvyazLink *l = &g_array_index (ring, SvyazLink, i);
          gint64 ends[2] = { l->subject_id, l->object_id };

          if (!link_passes (view, l))
            continue;
          if (!g_hash_table_contains (seen_links, &l->id))
            {
              g_hash_table_add (seen_links, g_memdup2 (&l->id, sizeof l->id));
              g_array_append_val (links, *l);
            }
          for (guint e = 0; e < 2; e++)
            {
              gint64 other = ends[e];

              if (g_hash_table_contains (side[s], &other))
                continue;
              if (g_hash_table_contains (side[1 - s], &other))
                met = TRUE;
              else
                g_array_append_val (order, other);
              g_hash_table_add (side[s], g_memdup2 (&other, sizeof other));
              g_array_append_val (next, other);
            }
        }
      g_array_set_size (frontier[s], 0);
      g_array_append_vals (frontier[s], next->data, next->len);
    }

  /* The rings know the links of the nodes they grew from; those among
   * the outermost nodes close more alternatives. */
  if (order->len <= BETWEEN_WITHIN_MAX)
    {
      g_autoptr(GArray) within = svyaz_store_list_links_within (store, order, view->cooccurrence, error);

      if (within == NULL)
        return NULL;
      for (guint i = 0; i < within->len; i++)
        {
          SvyazLink *l = &g_array_index (within, SvyazLink, i);

          if (link_passes (view, l) && !g_hash_table_contains (seen_links, &l->id))
            {
              g_hash_table_add (seen_links, g_memdup2 (&l->id, sizeof l->id));
              g_array_append_val (links, *l);
            }
        }
    }
  entities = svyaz_store_list_nodes_of (store, order, error);
  if (entities == NULL)
    return NULL;
  for (guint i = 0; i < entities->len; i++)
    {
      SvyazEntity *e = g_ptr_array_index (entities, i);

      if (e->id == from || e->id == to || !svyaz_name_set_contains (view->hidden_types, e->type))
        ensure_node (graph, &index, e);
    }
  add_links (graph, &index, links);
  svyaz_graph_finish (graph);
  return g_steal_pointer (&graph);
}

/**
 * svyaz_graph_load:
 *
 * The whole graph of @store, or with @query->focus_id the entities within
 * @query->depth hops of it and the relations among them, every neighbour
 * included. Reads only what the graph shows (svyaz_store_list_nodes(),
 * svyaz_store_list_links()): no evidence, no degree counts.
 *
 * Returns: (transfer full): a graph with no layout yet
 */
SvyazGraph *
svyaz_graph_load (SvyazStore            *store,
                  const SvyazGraphQuery *query,
                  GError               **error)
{
  g_autoptr(SvyazView) view = svyaz_view_new ();

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  view->focus_id = query->focus_id;
  view->depth = query->depth;
  view->cooccurrence = query->cooccurrence;
  view->hub_cap = query->hub_cap;
  return svyaz_graph_load_view (store, view, NULL, error);
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

/* The rectangles taken so far by nodes and placed labels, filed in a
 * uniform grid of cells, each a list threaded through @links: a label's
 * spot is checked against those sharing a cell with it rather than
 * against every one (20,000 nodes and 118,584 labelled edges took 50 s,
 * at every node drag). Cells past the grid's border are clamped to it,
 * which keeps overlapping rectangles in a common cell. */
typedef struct {
  Rect   rect;
  guint  next;              /* the next link of its cell, or G_MAXUINT */
} TakenLink;

typedef struct {
  GArray *links;            /* TakenLink: a rectangle in each of its cells, read in a cell's order */
  guint  *heads;            /* cols * rows: a cell's first link, or G_MAXUINT */
  double  x0, y0, cell;
  int     cols, rows;
} Taken;

static void
taken_init (Taken  *taken,
            double  x0,
            double  y0,
            double  x1,
            double  y1,
            guint   expected)
{
  double area = MAX (x1 - x0, 1) * MAX (y1 - y0, 1);

  /* About a cell a rectangle, none narrower than a short label. */
  taken->cell = MAX (sqrt (area / MAX (expected, 1)), 16);
  taken->cols = (int) CLAMP (ceil ((x1 - x0) / taken->cell), 1, 4096);
  taken->rows = (int) CLAMP (ceil ((y1 - y0) / taken->cell), 1, 4096);
  taken->x0 = x0;
  taken->y0 = y0;
  taken->links = g_array_sized_new (FALSE, FALSE, sizeof (TakenLink), expected);
  taken->heads = g_new (guint, (gsize) taken->cols * taken->rows);
  memset (taken->heads, 0xff, sizeof (guint) * taken->cols * taken->rows);
}

static void
taken_clear (Taken *taken)
{
  g_array_unref (taken->links);
  g_free (taken->heads);
}

/* The cells @r covers, clamped to the grid. */
static void
taken_cells (const Taken *taken,
             const Rect  *r,
             int         *c0,
             int         *r0,
             int         *c1,
             int         *r1)
{
  *c0 = (int) CLAMP (floor ((r->x0 - taken->x0) / taken->cell), 0, taken->cols - 1);
  *c1 = (int) CLAMP (floor ((r->x1 - taken->x0) / taken->cell), 0, taken->cols - 1);
  *r0 = (int) CLAMP (floor ((r->y0 - taken->y0) / taken->cell), 0, taken->rows - 1);
  *r1 = (int) CLAMP (floor ((r->y1 - taken->y0) / taken->cell), 0, taken->rows - 1);
}

static void
taken_add (Taken      *taken,
           const Rect *r)
{
  int c0, r0, c1, r1;

  taken_cells (taken, r, &c0, &r0, &c1, &r1);
  for (int row = r0; row <= r1; row++)
    for (int col = c0; col <= c1; col++)
      {
        guint *head = &taken->heads[(gsize) row * taken->cols + col];
        TakenLink link = { *r, *head };

        *head = taken->links->len;
        g_array_append_val (taken->links, link);
      }
}

static gboolean
taken_overlaps (const Taken *taken,
                const Rect  *r)
{
  int c0, r0, c1, r1;

  taken_cells (taken, r, &c0, &r0, &c1, &r1);
  for (int row = r0; row <= r1; row++)
    for (int col = c0; col <= c1; col++)
      for (guint l = taken->heads[(gsize) row * taken->cols + col]; l != G_MAXUINT;
           l = g_array_index (taken->links, TakenLink, l).next)
        if (rects_overlap (r, &g_array_index (taken->links, TakenLink, l).rect))
          return TRUE;
  return FALSE;
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
  const double pad = 1.5;
  Taken taken;

  g_return_if_fail (graph != NULL);

  /* The grid spans the graph's bounds, which hold every node and every
   * edge's points (a label's spot lies on its curve, within its control
   * points' hull); about a cell for each node and edge. */
  svyaz_graph_update_bounds (graph);
  taken_init (&taken, graph->x0, graph->y0, graph->x1, graph->y1, graph->nodes->len + graph->edges->len);

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode *n = SVYAZ_NODE (graph, i);
      Rect r = { n->x - n->width / 2, n->y - n->height / 2, n->x + n->width / 2, n->y + n->height / 2 };

      taken_add (&taken, &r);
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

          svyaz_edge_point_at (e, spots[s], &x, &y);
          r = (Rect) { x - e->label_width / 2 - pad, y - e->label_height / 2 - pad,
                       x + e->label_width / 2 + pad, y + e->label_height / 2 + pad };
          if (!taken_overlaps (&taken, &r))
            {
              e->label_visible = TRUE;
              e->label_x = x;
              e->label_y = y;
              taken_add (&taken, &r);
            }
        }
    }
  taken_clear (&taken);
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

/**
 * svyaz_edge_lines_new:
 *
 * Returns: (transfer full): the graph's edges as straight lines, for
 *   coarse frames (SvyazRenderOptions.lines)
 */
SvyazEdgeLines *
svyaz_edge_lines_new (const SvyazGraph *graph)
{
  SvyazEdgeLines *lines;

  g_return_val_if_fail (graph != NULL, NULL);

  lines = g_new (SvyazEdgeLines, 1);
  lines->n_edges = graph->edges->len;
  lines->ends = g_new0 (float, 4 * (gsize) MAX (lines->n_edges, 1));
  lines->kinds = g_new0 (guint8, MAX (lines->n_edges, 1));
  for (guint i = 0; i < lines->n_edges; i++)
    {
      const SvyazEdge *e = SVYAZ_EDGE (graph, i);
      float *end = &lines->ends[4 * (gsize) i];

      if (e->n_points < 4)
        continue;
      lines->kinds[i] = e->cooccurrence ? 1 : 2;
      end[0] = (float) e->points[0];
      end[1] = (float) e->points[1];
      end[2] = (float) (e->arrow ? e->arrow_x : e->points[2 * e->n_points - 2]);
      end[3] = (float) (e->arrow ? e->arrow_y : e->points[2 * e->n_points - 1]);
    }
  return lines;
}

void
svyaz_edge_lines_free (SvyazEdgeLines *lines)
{
  if (lines == NULL)
    return;
  g_free (lines->ends);
  g_free (lines->kinds);
  g_free (lines);
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
 * svyaz_graph_route_straight:
 *
 * Gives edge @index a straight path between its ends' outlines, with its
 * arrowhead if it has one: how a restored layout draws what Graphviz drew
 * straight.
 */
void
svyaz_graph_route_straight (SvyazGraph *graph,
                            guint       index)
{
  g_return_if_fail (graph != NULL && index < graph->edges->len);
  route_straight (graph, SVYAZ_EDGE (graph, index));
}

/**
 * svyaz_graph_move_node:
 *
 * Moves a node the user dragged; its edges follow as straight lines
 * (loops move along), their labels hidden until svyaz_graph_place_labels()
 * places every label again: that reads the whole graph (1.3 s at 400,000
 * edges), too much for each step of a drag or each node of many moved.
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
      e->label_visible = FALSE;
    }
  svyaz_graph_update_bounds (graph);
}

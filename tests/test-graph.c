/* test-graph.c: the graph model on the seed store, its layout by every
 * Graphviz engine, label placement and hit-testing. */
#include <math.h>
#include <string.h>

#include "svyaz-generate.h"
#include "svyaz-layout.h"
#include "test-seed.h"
#include "test-util.h"

typedef struct {
  char       *dir;
  SvyazStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = test_make_tmpdir ();
  f->store = test_open_seed_store (f->dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  test_rm_rf (f->dir);
  g_free (f->dir);
}

static int
find_edge (SvyazGraph *g,
           const char *subject,
           const char *predicate,
           const char *object)
{
  for (guint i = 0; i < g->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (g, i);

      if (strcmp (e->predicate, predicate) == 0 &&
          strcmp (SVYAZ_NODE (g, e->source)->name, subject) == 0 &&
          strcmp (SVYAZ_NODE (g, e->target)->name, object) == 0)
        return (int) i;
    }
  return -1;
}

static void
test_load_merges (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SvyazGraphQuery query = { 0 };
  g_autoptr(SvyazGraph) g = svyaz_graph_load (f->store, &query, &error);
  g_autoptr(SvyazGraph) with_weak = NULL;
  int met;
  guint weak = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (g->nodes->len, ==, 22);
  /* Three met_with relations in the store are one edge counting three. */
  met = find_edge (g, "Александр Лукашенко", "met_with", "Нурсултан Назарбаев");
  g_assert_cmpint (met, >=, 0);
  g_assert_cmpuint (SVYAZ_EDGE (g, met)->count, ==, 3);
  g_assert_cmpfloat_with_epsilon (SVYAZ_EDGE (g, met)->confidence, 0.90, 1e-9);
  g_assert_cmpint (find_edge (g, "МАЗ", "assembles_in", "Казахстан"), >=, 0);
  for (guint i = 0; i < g->edges->len; i++)
    g_assert_false (SVYAZ_EDGE (g, i)->cooccurrence);
  g_assert_cmpuint (SVYAZ_NODE (g, svyaz_graph_find_node (g, test_entity_id (f->store, "Казахстан")))->degree,
                    ==, 7);

  query.cooccurrence = TRUE;
  with_weak = svyaz_graph_load (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (with_weak->nodes->len, ==, 22);
  for (guint i = 0; i < with_weak->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (with_weak, i);

      if (!e->cooccurrence)
        continue;
      weak++;
      /* A pair linked by a typed relation gets no co-occurrence edge. */
      for (guint k = 0; k < with_weak->edges->len; k++)
        {
          SvyazEdge *t = SVYAZ_EDGE (with_weak, k);

          g_assert_false (!t->cooccurrence &&
                          ((t->source == e->source && t->target == e->target) ||
                           (t->source == e->target && t->target == e->source)));
        }
    }
  g_assert_cmpuint (weak, >, 0);
  g_assert_cmpuint (with_weak->edges->len, ==, g->edges->len + weak);
}

static void
test_load_focus (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SvyazGraphQuery query = { .focus_id = test_entity_id (f->store, "МАЗ"), .depth = 1 };
  g_autoptr(SvyazGraph) one = svyaz_graph_load (f->store, &query, &error);
  g_autoptr(SvyazGraph) two = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (one->nodes->len, ==, 2);
  g_assert_cmpint (svyaz_graph_find_node (one, test_entity_id (f->store, "Казахстан")), >=, 0);
  g_assert_cmpuint (one->edges->len, ==, 1);

  /* Two hops: Казахстан's other companies and Назарбаев, and the edges
   * among everyone reached (Назарбаев leader_of Казахстан). */
  query.depth = 2;
  two = svyaz_graph_load (f->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (two->nodes->len, ==, 8);
  g_assert_cmpint (svyaz_graph_find_node (two, test_entity_id (f->store, "Назарбаев")), >=, 0);
  g_assert_cmpint (find_edge (two, "Нурсултан Назарбаев", "leader_of", "Казахстан"), >=, 0);
  g_assert_cmpint (find_edge (two, "Гомсельмаш", "assembles_in", "Казахстан"), >=, 0);

  /* Edges between two neighbours are part of the neighbourhood. */
  {
    g_autoptr(SvyazGraph) ego = NULL;

    query.focus_id = test_entity_id (f->store, "Назарбаев");
    query.depth = 1;
    ego = svyaz_graph_load (f->store, &query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ego->nodes->len, ==, 9);
    g_assert_cmpint (find_edge (ego, "Александр Лукашенко", "travels_to", "Москва"), >=, 0);
  }

  query.focus_id = 999999;
  g_assert_null (svyaz_graph_load (f->store, &query, &error));
  g_assert_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NO_ENTITY);
}

static gboolean
boxes_overlap (SvyazNode *a,
               SvyazNode *b)
{
  return fabs (a->x - b->x) < (a->width + b->width) / 2 - 0.5 &&
         fabs (a->y - b->y) < (a->height + b->height) / 2 - 0.5;
}

static void
test_layout_engines (Fixture *f, gconstpointer data)
{
  for (const char * const *engine = svyaz_layout_engines (); *engine; engine++)
    {
      g_autoptr(SvyazGraph) g = test_load_seed_graph (f->store, *engine);

      g_test_message ("engine %s: %.0f×%.0f", *engine, g->x1 - g->x0, g->y1 - g->y0);
      g_assert_true (g->laid_out);
      g_assert_cmpstr (g->engine, ==, *engine);
      for (guint i = 0; i < g->nodes->len; i++)
        {
          SvyazNode *n = SVYAZ_NODE (g, i);

          /* Graphviz kept the size we measured for the label. */
          g_assert_cmpfloat (n->width, >=, n->label_width);
          g_assert_cmpfloat (n->height, >=, n->label_height);
          g_assert_cmpfloat (n->x - n->width / 2, >=, g->x0 - 0.01);
          g_assert_cmpfloat (n->x + n->width / 2, <=, g->x1 + 0.01);
          g_assert_cmpfloat (n->y - n->height / 2, >=, g->y0 - 0.01);
          g_assert_cmpfloat (n->y + n->height / 2, <=, g->y1 + 0.01);
          /* No node on top of another, so every label stays readable.
           * Boxes are compared, which is stricter than the outlines. */
          for (guint k = i + 1; k < g->nodes->len; k++)
            g_assert_false (boxes_overlap (n, SVYAZ_NODE (g, k)));
        }
      for (guint i = 0; i < g->edges->len; i++)
        {
          SvyazEdge *e = SVYAZ_EDGE (g, i);

          g_assert_cmpuint (e->n_points, >=, 4);
          g_assert_cmpuint ((e->n_points - 1) % 3, ==, 0);
          g_assert_true (e->arrow);
          /* The arrow touches the target's outline, not its centre. */
          g_assert_cmpfloat (hypot (e->arrow_x - SVYAZ_NODE (g, e->target)->x,
                                    e->arrow_y - SVYAZ_NODE (g, e->target)->y), >, 1);
        }
    }
}

static void
test_labels_do_not_overlap (Fixture *f, gconstpointer data)
{
  static const char * const engines[] = { "dot", "neato" };

  for (guint k = 0; k < G_N_ELEMENTS (engines); k++)
    {
      g_autoptr(SvyazGraph) g = test_load_seed_graph (f->store, engines[k]);
      guint visible = 0;

      for (guint i = 0; i < g->edges->len; i++)
        {
          SvyazEdge *a = SVYAZ_EDGE (g, i);

          if (!a->label_visible)
            continue;
          visible++;
          for (guint j = i + 1; j < g->edges->len; j++)
            {
              SvyazEdge *b = SVYAZ_EDGE (g, j);

              if (b->label_visible)
                g_assert_false (fabs (a->label_x - b->label_x) < (a->label_width + b->label_width) / 2 &&
                                fabs (a->label_y - b->label_y) < (a->label_height + b->label_height) / 2);
            }
          for (guint n = 0; n < g->nodes->len; n++)
            {
              SvyazNode *node = SVYAZ_NODE (g, n);

              g_assert_false (fabs (a->label_x - node->x) < (a->label_width + node->width) / 2 &&
                              fabs (a->label_y - node->y) < (a->label_height + node->height) / 2);
            }
        }
      g_test_message ("%s: %u of %u labels shown", engines[k], visible, g->edges->len);
      /* dot reserves room for every label. */
      if (k == 0)
        g_assert_cmpuint (visible, ==, g->edges->len);
      else
        g_assert_cmpuint (visible, >=, g->edges->len / 2);
    }
}

/* Labels placed by the grid of taken rectangles are those a scan of
 * every node and every label placed before would place: on random
 * graphs crowded enough that many spots are taken, with nodes far
 * bigger than a cell, edges reaching far outside the crowd, and every
 * node on one point. */
static void
test_labels_as_a_scan_places_them (Fixture *f, gconstpointer data)
{
  static const double spots[] = { 0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (61);

  for (guint round = 0; round < 4; round++)
    {
      g_autoptr(SvyazGraph) g = svyaz_graph_new ();
      g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, 4 * sizeof (double));
      guint n_nodes = 300 + 200 * round, visible = 0, labelled = 0;
      double spread = round == 3 ? 0 : 1500 + 300 * round;

      for (guint i = 0; i < n_nodes; i++)
        {
          guint n = svyaz_graph_add_node (g, i + 1, "n", "person", NULL);
          SvyazNode *node = SVYAZ_NODE (g, n);

          node->x = g_rand_double_range (rand, 0, spread + 1e-9);
          node->y = g_rand_double_range (rand, 0, spread * 0.6 + 1e-9);
          node->width = i % 50 == 0 ? 150 : g_rand_double_range (rand, 10, 40);
          node->height = g_rand_double_range (rand, 8, 20);
        }
      /* A node far off, that some edges reach. */
      SVYAZ_NODE (g, 0)->x = 20 * spread + 5000;
      for (guint i = 0; i < 3 * n_nodes; i++)
        svyaz_graph_add_relation (g, g_rand_int_range (rand, 0, (int) n_nodes), g_rand_int_range (rand, 0, (int) n_nodes),
                                  i + 1, i % 4 ? "met_with" : "visited", 1, i % 5 == 0);
      svyaz_graph_finish (g);
      for (guint i = 0; i < g->edges->len; i++)
        {
          SvyazEdge *e = SVYAZ_EDGE (g, i);

          svyaz_graph_route_straight (g, i);
          e->label_width = g_rand_double_range (rand, 20, 70);
          e->label_height = 12;
        }
      svyaz_graph_place_labels (g);

      /* The scan. */
      for (guint i = 0; i < g->edges->len; i++)
        {
          SvyazEdge *e = SVYAZ_EDGE (g, i);
          gboolean shown = FALSE;
          double at[2] = { 0, 0 };

          if (e->cooccurrence || e->n_points < 4)
            {
              g_assert_false (e->label_visible);
              continue;
            }
          labelled++;
          for (guint s = 0; s < G_N_ELEMENTS (spots) && !shown; s++)
            {
              double x, y, r[4];
              gboolean free_spot = TRUE;

              svyaz_edge_point_at (e, spots[s], &x, &y);
              r[0] = x - e->label_width / 2 - 1.5, r[1] = y - e->label_height / 2 - 1.5;
              r[2] = x + e->label_width / 2 + 1.5, r[3] = y + e->label_height / 2 + 1.5;
              for (guint n = 0; n < g->nodes->len && free_spot; n++)
                {
                  const SvyazNode *node = SVYAZ_NODE (g, n);

                  free_spot = !(r[0] < node->x + node->width / 2 && node->x - node->width / 2 < r[2] &&
                                r[1] < node->y + node->height / 2 && node->y - node->height / 2 < r[3]);
                }
              for (guint k = 0; k < placed->len && free_spot; k++)
                {
                  const double *o = &g_array_index (placed, double, 4 * k);

                  free_spot = !(r[0] < o[2] && o[0] < r[2] && r[1] < o[3] && o[1] < r[3]);
                }
              if (free_spot)
                {
                  shown = TRUE;
                  at[0] = x, at[1] = y;
                  g_array_append_vals (placed, r, 1);
                }
            }
          g_assert_cmpint (e->label_visible, ==, shown);
          if (shown)
            {
              g_assert_cmpfloat (e->label_x, ==, at[0]);
              g_assert_cmpfloat (e->label_y, ==, at[1]);
              visible++;
            }
        }
      g_test_message ("round %u: %u of %u labels shown", round, visible, labelled);
      /* Crowded, but not so much that no spot is ever free. */
      g_assert_cmpuint (visible, <, labelled * 9 / 10);
      g_assert_cmpuint (visible, >, (round == 3 ? 0 : labelled / 10));
    }
}

static void
test_hit_testing (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = test_load_seed_graph (f->store, "dot");
  int met = find_edge (g, "Александр Лукашенко", "met_with", "Нурсултан Назарбаев");
  SvyazNode *n;
  double x, y;

  /* Every node at its centre, and just inside its outline's top. */
  for (guint i = 0; i < g->nodes->len; i++)
    {
      n = SVYAZ_NODE (g, i);
      g_assert_cmpint (svyaz_graph_node_at (g, n->x, n->y), ==, (int) i);
      g_assert_cmpint (svyaz_graph_node_at (g, n->x, n->y - n->height / 2 + 1), ==, (int) i);
      g_assert_cmpint (svyaz_graph_node_at (g, n->x, n->y - n->height / 2 - 1), !=, (int) i);
    }
  /* An ellipse is not its box: its corner is outside. */
  n = SVYAZ_NODE (g, svyaz_graph_find_node (g, test_entity_id (f->store, "Назарбаев")));
  g_assert_cmpuint (n->n_vertices, ==, 0);
  g_assert_cmpint (svyaz_graph_node_at (g, n->x + n->width / 2 - 2, n->y - n->height / 2 + 2), ==, -1);

  /* The edge on its curve, nothing in empty space. */
  g_assert_cmpint (met, >=, 0);
  svyaz_edge_point_at (SVYAZ_EDGE (g, met), 0.5, &x, &y);
  g_assert_cmpint (svyaz_graph_edge_at (g, x, y, 3), ==, met);
  g_assert_cmpint (svyaz_graph_edge_at (g, x + 2, y + 2, 4), ==, met);
  g_assert_cmpint (svyaz_graph_node_at (g, g->x1 + 50, g->y1 + 50), ==, -1);
  g_assert_cmpint (svyaz_graph_edge_at (g, g->x1 + 50, g->y1 + 50, 4), ==, -1);
}

static void
test_move_node (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = test_load_seed_graph (f->store, "dot");
  int index = svyaz_graph_find_node (g, test_entity_id (f->store, "МАЗ"));
  int edge = find_edge (g, "МАЗ", "assembles_in", "Казахстан");
  SvyazNode *n = SVYAZ_NODE (g, index);
  SvyazEdge *e = SVYAZ_EDGE (g, edge);
  double nx = n->x - 200, ny = n->y + 300;

  svyaz_graph_move_node (g, (guint) index, nx, ny);
  g_assert_cmpfloat (n->x, ==, nx);
  /* The edge now starts on МАЗ's outline at its new place and still ends
   * with its arrow on Казахстан's outline. */
  g_assert_true (fabs (e->points[0] - nx) <= n->width / 2 + 0.01);
  g_assert_true (fabs (e->points[1] - ny) <= n->height / 2 + 0.01);
  g_assert_true (fabs (fabs (e->points[0] - nx) - n->width / 2) < 0.01 ||
                 fabs (fabs (e->points[1] - ny) - n->height / 2) < 0.01);
  g_assert_cmpint (svyaz_graph_node_at (g, e->arrow_x, e->arrow_y), ==, (int) e->target);
  g_assert_cmpint (svyaz_graph_node_at (g, nx, ny), ==, index);
  g_assert_cmpfloat (g->y1, >=, ny + n->height / 2);
  /* Its label is hidden, not left where the edge was, until the labels
   * are placed again: on the edge's new line. */
  g_assert_false (e->label_visible);
  svyaz_graph_place_labels (g);
  g_assert_true (e->label_visible);
  g_assert_cmpfloat (svyaz_segment_distance (e->label_x, e->label_y, e->points[0], e->points[1],
                                             e->points[2 * e->n_points - 2], e->points[2 * e->n_points - 1]), <, 0.01);
}

/* A generated store big enough for straight edges, laid out with neato. */
static SvyazGraph *
load_generated (SvyazStore *store)
{
  g_autoptr(GError) error = NULL;
  SvyazGraphQuery query = { 0 };
  SvyazGraph *g = svyaz_graph_load (store, &query, &error);

  g_assert_no_error (error);
  return g;
}

static void
test_layout_cache (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "generated.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);
  g_autoptr(SvyazGraph) laid = NULL;
  g_autoptr(SvyazGraph) again = NULL;
  g_autoptr(SvyazGraph) seed = load_generated (f->store);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GBytes) damaged = NULL;
  g_autofree char *sig = NULL, *sig_engine = NULL, *sig_sizing = NULL, *sig_seed = NULL;
  gsize size;

  g_assert_no_error (error);
  g_assert_true (svyaz_generate (store, 300, 500, 3, NULL, &error));
  laid = load_generated (store);
  g_assert_true (svyaz_layout_is_cacheable (laid));
  g_assert_false (svyaz_layout_is_cacheable (seed));  /* splines and labels: laid out each time */

  /* The signature follows the graph and the options, nothing else. */
  sig = svyaz_layout_signature (laid, "neato", SVYAZ_SIZE_BY_NONE);
  sig_engine = svyaz_layout_signature (laid, "sfdp", SVYAZ_SIZE_BY_NONE);
  sig_sizing = svyaz_layout_signature (laid, "neato", SVYAZ_SIZE_BY_PAGERANK);
  sig_seed = svyaz_layout_signature (seed, "neato", SVYAZ_SIZE_BY_NONE);
  g_assert_cmpstr (sig, !=, sig_engine);
  g_assert_cmpstr (sig, !=, sig_sizing);
  g_assert_cmpstr (sig, !=, sig_seed);
  again = load_generated (store);
  {
    g_autofree char *same = svyaz_layout_signature (again, "neato", SVYAZ_SIZE_BY_NONE);
    g_assert_cmpstr (same, ==, sig);
  }

  /* Kept in the store and restored: the same nodes, edges on their ends. */
  g_assert_true (svyaz_layout_run (laid, "neato", &error));
  saved = svyaz_layout_save (laid);
  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_put_layout (store, sig, "neato", laid->nodes->len, saved, &error));
  g_assert_true (svyaz_store_commit (store, &error));
  back = svyaz_store_get_layout (store, sig, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, saved));
  g_assert_null (svyaz_store_get_layout (store, sig_engine, &error));
  g_assert_no_error (error);
  g_assert_true (svyaz_layout_restore (again, "neato", back));
  g_assert_true (again->laid_out);
  g_assert_cmpstr (again->engine, ==, "neato");
  for (guint i = 0; i < laid->nodes->len; i++)
    {
      g_assert_cmpfloat (SVYAZ_NODE (again, i)->x, ==, SVYAZ_NODE (laid, i)->x);
      g_assert_cmpfloat (SVYAZ_NODE (again, i)->y, ==, SVYAZ_NODE (laid, i)->y);
      g_assert_cmpuint (SVYAZ_NODE (again, i)->n_vertices, ==, SVYAZ_NODE (laid, i)->n_vertices);
      g_assert_cmpfloat (SVYAZ_NODE (again, i)->font_size, ==, SVYAZ_NODE (laid, i)->font_size);
      g_assert_cmpfloat (SVYAZ_NODE (again, i)->label_width, ==, SVYAZ_NODE (laid, i)->label_width);
    }
  /* The labels where they were, and measured as before. */
  for (guint i = 0; i < again->edges->len; i++)
    {
      g_assert_cmpint (SVYAZ_EDGE (again, i)->label_visible, ==, SVYAZ_EDGE (laid, i)->label_visible);
      g_assert_cmpfloat (SVYAZ_EDGE (again, i)->label_width, ==, SVYAZ_EDGE (laid, i)->label_width);
      if (SVYAZ_EDGE (laid, i)->label_visible)
        g_assert_cmpfloat (SVYAZ_EDGE (again, i)->label_x, ==, SVYAZ_EDGE (laid, i)->label_x);
    }
  for (guint i = 0; i < again->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (again, i);
      SvyazNode *s = SVYAZ_NODE (again, e->source);

      g_assert_cmpuint (e->n_points, >=, 4);
      /* Each path starts on its source (within the node's box). */
      g_assert_cmpfloat (fabs (e->points[0] - s->x), <=, s->width / 2 + 1);
      g_assert_cmpfloat (fabs (e->points[1] - s->y), <=, s->height / 2 + 1);
    }
  g_assert_cmpfloat (fabs ((again->x1 - again->x0) - (laid->x1 - laid->x0)), <, 50);

  /* A layout of another graph, or a damaged one, is refused. */
  g_assert_false (svyaz_layout_restore (seed, "neato", back));
  g_assert_false (seed->laid_out);
  size = g_bytes_get_size (back);
  damaged = g_bytes_new_from_bytes (back, 0, size - sizeof (double));
  g_clear_pointer (&again, svyaz_graph_unref);
  again = load_generated (store);
  g_assert_false (svyaz_layout_restore (again, "neato", damaged));
  g_assert_false (again->laid_out);

  /* The store keeps the latest few. */
  g_assert_true (svyaz_store_begin (store, &error));
  for (int i = 0; i < SVYAZ_STORE_LAYOUTS_KEPT + 3; i++)
    {
      g_autofree char *other = g_strdup_printf ("other-%d", i);

      g_assert_true (svyaz_store_put_layout (store, other, "neato", 1, saved, &error));
    }
  g_assert_true (svyaz_store_commit (store, &error));
  g_clear_pointer (&back, g_bytes_unref);
  back = svyaz_store_get_layout (store, sig, &error);
  g_assert_null (back);
  back = svyaz_store_get_layout (store, "other-10", &error);
  g_assert_nonnull (back);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/graph/load-merges", test_load_merges);
  ADD ("/graph/load-focus", test_load_focus);
  ADD ("/graph/layout-engines", test_layout_engines);
  ADD ("/graph/labels-do-not-overlap", test_labels_do_not_overlap);
  ADD ("/graph/labels-as-a-scan", test_labels_as_a_scan_places_them);
  ADD ("/graph/hit-testing", test_hit_testing);
  ADD ("/graph/move-node", test_move_node);
  ADD ("/graph/layout-cache", test_layout_cache);
  return g_test_run ();
}

/* test-spatial.c: the spatial index answers exactly what a brute-force
 * scan answers, on random graphs and on the laid-out seed graph. */
#include <math.h>
#include <string.h>

#include "svyaz-layout.h"
#include "svyaz-spatial-private.h"
#include "test-seed.h"
#include "test-util.h"

/* Whether a segment has a point in a rectangle, by another method than
 * the index's: an end inside, or a crossing of one of the four sides. */
static gboolean
segments_cross (double ax, double ay, double bx, double by,
                double cx, double cy, double dx, double dy)
{
  double d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  double d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  double d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  double d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);

  return ((d1 >= 0 && d2 <= 0) || (d1 <= 0 && d2 >= 0)) &&
         ((d3 >= 0 && d4 <= 0) || (d3 <= 0 && d4 >= 0));
}

static gboolean
segment_in_rect (double ax, double ay, double bx, double by,
                 double x0, double y0, double x1, double y1)
{
  if ((ax >= x0 && ax <= x1 && ay >= y0 && ay <= y1) || (bx >= x0 && bx <= x1 && by >= y0 && by <= y1))
    return TRUE;
  return segments_cross (ax, ay, bx, by, x0, y0, x1, y0) || segments_cross (ax, ay, bx, by, x1, y0, x1, y1) ||
         segments_cross (ax, ay, bx, by, x1, y1, x0, y1) || segments_cross (ax, ay, bx, by, x0, y1, x0, y0);
}

static const double hexagon[] = { 1, 0, 0.5, 1, -0.5, 1, -1, 0, -0.5, -1, 0.5, -1 };

/* Nodes of random sizes and shapes, edges straight or curved, some with
 * arrows, some loops; many overlapping so ties are exercised. */
static SvyazGraph *
random_graph (GRand *rand,
              guint  n_nodes,
              guint  n_edges,
              double size)
{
  SvyazGraph *g = svyaz_graph_new ();

  for (guint i = 0; i < n_nodes; i++)
    {
      SvyazNode *n;

      svyaz_graph_add_node (g, i + 1, "n", "person", NULL);
      n = SVYAZ_NODE (g, i);
      n->x = g_rand_double_range (rand, 0, size);
      n->y = g_rand_double_range (rand, 0, size);
      n->width = g_rand_double_range (rand, 10, 120);
      n->height = g_rand_double_range (rand, 10, 40);
      if (g_rand_boolean (rand))
        {
          n->n_vertices = 6;
          n->vertices = g_new (double, 12);
          for (guint k = 0; k < 6; k++)
            {
              n->vertices[2 * k] = hexagon[2 * k] * n->width / 2;
              n->vertices[2 * k + 1] = hexagon[2 * k + 1] * n->height / 2;
            }
        }
    }
  for (guint i = 0; i < n_edges; i++)
    {
      SvyazEdge *e;
      guint segments = 1 + g_rand_int_range (rand, 0, 3);
      gboolean straight = g_rand_int_range (rand, 0, 3) == 0;
      double ax = g_rand_double_range (rand, 0, size), ay = g_rand_double_range (rand, 0, size);

      g_autofree char *predicate = g_strdup_printf ("p%u", i);  /* never merged */

      svyaz_graph_add_relation (g, g_rand_int_range (rand, 0, n_nodes), g_rand_int_range (rand, 0, n_nodes),
                                i + 1, predicate, 1.0, FALSE);
      g_assert_cmpuint (g->edges->len, ==, i + 1);
      e = SVYAZ_EDGE (g, i);
      e->n_points = 1 + 3 * segments;
      e->points = g_new (double, 2 * e->n_points);
      e->points[0] = ax;
      e->points[1] = ay;
      for (guint k = 0; k < segments; k++)
        {
          double bx = g_rand_double_range (rand, 0, size), by = g_rand_double_range (rand, 0, size);
          double *p = e->points + 6 * k;

          for (int c = 1; c <= 3; c++)
            {
              p[2 * c] = p[0] + (bx - p[0]) * c / 3.0 +
                         (straight || c == 3 ? 0 : g_rand_double_range (rand, -60, 60));
              p[2 * c + 1] = p[1] + (by - p[1]) * c / 3.0 +
                             (straight || c == 3 ? 0 : g_rand_double_range (rand, -60, 60));
            }
        }
      e->arrow = g_rand_boolean (rand);
      e->arrow_x = e->points[2 * e->n_points - 2] + 8;
      e->arrow_y = e->points[2 * e->n_points - 1] + 3;
    }
  g->laid_out = TRUE;
  svyaz_graph_update_bounds (g);
  return g;
}

/* The index answers as the brute-force scans do. With @background, its
 * grids of segments are built in a thread (svyaz_spatial_prepare()) while
 * nodes are asked for, and the first edge hit-test waits for them. */
static void
assert_same_hits (SvyazGraph *g,
                  GRand      *rand,
                  guint       probes,
                  gboolean    background)
{
  g_autoptr(SvyazSpatial) index = svyaz_spatial_new (g);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  guint node_hits = 0, edge_hits = 0;

  if (background)
    {
      g_autoptr(SvyazSpatial) dropped = svyaz_spatial_new (g);

      /* Freed while it may still be building: it waits for the thread. */
      svyaz_spatial_prepare (dropped, TRUE);
      svyaz_spatial_prepare (index, TRUE);
      for (guint i = 0; i < probes; i++)
        {
          double x = g_rand_double_range (rand, g->x0 - 20, g->x1 + 20);
          double y = g_rand_double_range (rand, g->y0 - 20, g->y1 + 20);

          g_assert_cmpint (svyaz_spatial_node_at (index, x, y), ==, svyaz_graph_node_at (g, x, y));
        }
    }
  for (guint i = 0; i < probes; i++)
    {
      double x = g_rand_double_range (rand, g->x0 - 20, g->x1 + 20);
      double y = g_rand_double_range (rand, g->y0 - 20, g->y1 + 20);
      double tol = g_rand_double_range (rand, 0.5, 12);
      int node = svyaz_graph_node_at (g, x, y);
      int edge = svyaz_graph_edge_at (g, x, y, tol);

      g_assert_cmpint (svyaz_spatial_node_at (index, x, y), ==, node);
      g_assert_cmpint (svyaz_spatial_edge_at (index, x, y, tol), ==, edge);
      g_assert_true (svyaz_spatial_edges_ready (index));
      node_hits += node >= 0;
      edge_hits += edge >= 0;
    }
  /* The probes did hit things, or the comparison proves little. */
  g_assert_cmpuint (node_hits, >, probes / 50);
  g_assert_cmpuint (edge_hits, >, probes / 100);

  /* Random rectangles, then three around the whole drawing (the full
   * view, which the index answers without walking its cells): wider,
   * exactly the bounds, and a unit narrower. Each is asked as the index
   * chooses, through the cells, and by reading every segment. */
  for (guint i = 0; i < 3 * 53; i++)
    {
      static const SvyazSpatialScan scans[] = {
        SVYAZ_SPATIAL_SCAN_AUTO, SVYAZ_SPATIAL_SCAN_NEVER, SVYAZ_SPATIAL_SCAN_ALWAYS,
      };

      double x0 = g_rand_double_range (rand, g->x0, g->x1), y0 = g_rand_double_range (rand, g->y0, g->y1);
      double x1 = x0 + g_rand_double_range (rand, 1, (g->x1 - g->x0) / 3);
      double y1 = y0 + g_rand_double_range (rand, 1, (g->y1 - g->y0) / 3);
      svyaz_spatial_set_scan (index, scans[i / 53]);
      /* Scans of small graphs shared between cores too, every other one. */
      svyaz_spatial_set_scan_split (index, i % 2 ? 2 : 100000);
      if (i % 53 >= 50)
        {
          double margin = i % 53 == 50 ? 40 : i % 53 == 51 ? 0 : -1;

          x0 = g->x0 - margin, y0 = g->y0 - margin, x1 = g->x1 + margin, y1 = g->y1 + margin;
        }
      g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autofree guint8 *seen_nodes = g_new0 (guint8, g->nodes->len);
      g_autofree guint8 *seen_edges = g_new0 (guint8, g->edges->len);

      svyaz_spatial_query (index, x0, y0, x1, y1, nodes, edges);
      for (guint k = 0; k < nodes->len; k++)
        {
          g_assert_cmpuint (seen_nodes[g_array_index (nodes, guint, k)], ==, 0);  /* once */
          seen_nodes[g_array_index (nodes, guint, k)] = 1;
        }
      for (guint k = 0; k < edges->len; k++)
        {
          g_assert_cmpuint (seen_edges[g_array_index (edges, guint, k)], ==, 0);
          seen_edges[g_array_index (edges, guint, k)] = 1;
        }
      for (guint n = 0; n < g->nodes->len; n++)
        {
          SvyazNode *node = SVYAZ_NODE (g, n);
          gboolean meets = node->x + node->width / 2 >= x0 && node->x - node->width / 2 <= x1 &&
                           node->y + node->height / 2 >= y0 && node->y - node->height / 2 <= y1;

          g_assert_cmpint (seen_nodes[n], ==, meets);
        }
      for (guint e = 0; e < g->edges->len; e++)
        {
          gboolean meets = FALSE;

          svyaz_edge_flatten (SVYAZ_EDGE (g, e), points);
          for (guint k = 1; k < points->len / 2 && !meets; k++)
            {
              const double *p = &g_array_index (points, double, 2 * (k - 1));

              meets = segment_in_rect (p[0], p[1], p[2], p[3], x0, y0, x1, y1);
            }
          g_assert_cmpint (seen_edges[e], ==, meets);
        }
    }
}

static void
test_random_graphs (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  static const struct { guint nodes, edges; double size; } shapes[] = {
    { 1, 0, 10 }, { 5, 3, 200 }, { 200, 400, 2000 }, { 600, 1500, 2500 }, { 300, 300, 400 },
    /* A hairball: cells crossed by hundreds of long segments, which the
     * index also keeps as lines by angle and offset. */
    { 300, 1500, 1500 },
  };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      g_autoptr(SvyazGraph) g = random_graph (rand, shapes[s].nodes, shapes[s].edges, shapes[s].size);

      if (shapes[s].nodes < 10)
        {
          /* Too small for the hit-rate floor: compare a few points. */
          g_autoptr(SvyazSpatial) index = svyaz_spatial_new (g);

          for (guint i = 0; i < g->nodes->len; i++)
            g_assert_cmpint (svyaz_spatial_node_at (index, SVYAZ_NODE (g, i)->x, SVYAZ_NODE (g, i)->y), ==,
                             svyaz_graph_node_at (g, SVYAZ_NODE (g, i)->x, SVYAZ_NODE (g, i)->y));
          continue;
        }
      assert_same_hits (g, rand, 1500, FALSE);
      if (s + 1 == G_N_ELEMENTS (shapes))
        assert_same_hits (g, rand, 500, TRUE);
    }
}

static void
test_seed_graph (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(SvyazStore) store = test_open_seed_store (dir);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (const char * const *engine = svyaz_layout_engines (); *engine; engine++)
    {
      g_autoptr(SvyazGraph) g = test_load_seed_graph (store, *engine);

      assert_same_hits (g, rand, 1500, FALSE);
    }
  test_rm_rf (dir);
}

/* An index freed while its grids are built in the background (a node
 * dragged frees it at every step) lets its builder stop and frees what
 * was built, at any point of the building; one left alone answers as
 * one built in the foreground. Run under the sanitizers and valgrind in
 * CI, where a grid freed twice or left behind fails. */
static void
test_freed_while_building (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (83);
  /* No more edges than the other tests: each has a predicate of its own,
   * an interned string, and past 2,048 of them GLib drops its table of
   * them for a bigger one without freeing it, which LeakSanitizer sees. */
  g_autoptr(SvyazGraph) g = random_graph (rand, 1500, 1500, 6000);
  g_autoptr(SvyazSpatial) built = svyaz_spatial_new (g);

  svyaz_spatial_prepare (built, FALSE);
  for (guint round = 0; round < 24; round++)
    {
      SvyazSpatial *index = svyaz_spatial_new (g);

      svyaz_spatial_prepare (index, TRUE);
      if (round % 8 == 7)
        {
          /* Left to finish. */
          double x = g_rand_double_range (rand, 0, 6000), y = g_rand_double_range (rand, 0, 6000);

          g_assert_cmpint (svyaz_spatial_edge_at (index, x, y, 40), ==, svyaz_spatial_edge_at (built, x, y, 40));
        }
      else
        g_usleep (round * 100);
      svyaz_spatial_free (index);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spatial/random-graphs", test_random_graphs);
  g_test_add_func ("/spatial/freed-while-building", test_freed_while_building);
  g_test_add_func ("/spatial/seed-graph", test_seed_graph);
  return g_test_run ();
}

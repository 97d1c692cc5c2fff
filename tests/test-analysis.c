/* test-analysis.c: centralities, components and communities against
 * values computed by hand on small graphs, and paths, by hand and in the
 * seed store. */
#include <math.h>
#include <string.h>

#include "svyaz-analysis.h"
#include "test-seed.h"
#include "test-util.h"

/* A graph from "a-b b-c …" with single-letter node names. */
static SvyazGraph *
graph_from (const char *edges)
{
  SvyazGraph *g = svyaz_graph_new ();
  g_auto(GStrv) pairs = g_strsplit (edges, " ", -1);

  for (guint i = 0; pairs[i]; i++)
    {
      guint ends[2];

      g_assert_cmpuint (strlen (pairs[i]), ==, 3);
      for (guint e = 0; e < 2; e++)
        {
          char name[2] = { pairs[i][2 * e], 0 };
          int found = -1;

          for (guint n = 0; n < g->nodes->len; n++)
            if (g_str_equal (SVYAZ_NODE (g, n)->name, name))
              found = (int) n;
          ends[e] = found >= 0 ? (guint) found
                               : svyaz_graph_add_node (g, g->nodes->len + 1, name, "person", NULL);
        }
      svyaz_graph_add_relation (g, ends[0], ends[1], i + 1, "met_with", 1.0, FALSE);
    }
  svyaz_graph_finish (g);
  return g;
}

static int
node (SvyazGraph *g,
      const char *name)
{
  for (guint n = 0; n < g->nodes->len; n++)
    if (g_str_equal (SVYAZ_NODE (g, n)->name, name))
      return (int) n;
  g_assert_not_reached ();
}

static void
test_star_pagerank (void)
{
  /* A star: centre c, leaves x y z. By symmetry every leaf has rank L and
   * L = (1-d)/4 + d C / 3, C = (1-d)/4 + d 3L with d = 0.85. */
  g_autoptr(SvyazGraph) g = graph_from ("c-x c-y y-c c-z");
  g_autoptr(SvyazAnalysis) a = svyaz_analysis_run (g);
  double base = 0.15 / 4, leaf = (base + 0.85 / 3 * base) / (1 - 0.85 * 0.85), centre = base + 2.55 * leaf;

  g_assert_cmpfloat_with_epsilon (a->pagerank[node (g, "c")], centre, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->pagerank[node (g, "x")], leaf, 1e-9);
  g_assert_cmpfloat_with_epsilon (centre, 0.479730, 1e-6);
  /* Parallel edges count once. */
  g_assert_cmpfloat (a->degree[node (g, "c")], ==, 3);
  g_assert_cmpfloat (a->degree[node (g, "y")], ==, 1);
  /* Three pairs of leaves, each through the centre. */
  g_assert_cmpfloat_with_epsilon (a->betweenness[node (g, "c")], 3, 1e-9);
  g_assert_cmpfloat (a->betweenness[node (g, "x")], ==, 0);
  g_assert_false (a->sampled);
}

static void
test_path_betweenness_components (void)
{
  /* A path a-b-c-d-e beside a triangle f-g-h and a lone pair i-j. */
  g_autoptr(SvyazGraph) g = graph_from ("a-b b-c c-d d-e f-g g-h h-f i-j");
  g_autoptr(SvyazAnalysis) a = svyaz_analysis_run (g);

  /* b: a-c a-d a-e; c: a-d a-e b-d b-e; d: mirror of b. */
  g_assert_cmpfloat_with_epsilon (a->betweenness[node (g, "b")], 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->betweenness[node (g, "c")], 4, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->betweenness[node (g, "d")], 3, 1e-9);
  g_assert_cmpfloat (a->betweenness[node (g, "g")], ==, 0);
  g_assert_cmpuint (a->n_components, ==, 3);
  /* Largest first. */
  g_assert_cmpuint (a->component[node (g, "a")], ==, 0);
  g_assert_cmpuint (a->component[node (g, "e")], ==, 0);
  g_assert_cmpuint (a->component[node (g, "h")], ==, 1);
  g_assert_cmpuint (a->component[node (g, "j")], ==, 2);
  {
    double sum = 0;

    for (guint i = 0; i < g->nodes->len; i++)
      sum += a->pagerank[i];
    g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-9);
  }
}

static void
test_louvain_two_cliques (void)
{
  /* Two K4 joined by one edge: 13 edges, each side 6 inside and a degree
   * sum of 13, so Q = 2 (6/13 - (13/26)^2) = 0.423077. */
  g_autoptr(SvyazGraph) g = graph_from ("a-b a-c a-d b-c b-d c-d e-f e-g e-h f-g f-h g-h d-e");
  g_autoptr(SvyazAnalysis) a = svyaz_analysis_run (g);

  g_assert_cmpuint (a->n_communities, ==, 2);
  g_assert_cmpfloat_with_epsilon (a->modularity, 2 * (6.0 / 13 - 0.25), 1e-9);
  for (const char *p = "bcd"; *p; p++)
    {
      char name[2] = { *p, 0 };
      g_assert_cmpuint (a->community[node (g, name)], ==, a->community[node (g, "a")]);
    }
  for (const char *p = "fgh"; *p; p++)
    {
      char name[2] = { *p, 0 };
      g_assert_cmpuint (a->community[node (g, name)], ==, a->community[node (g, "e")]);
    }
  g_assert_cmpuint (a->community[node (g, "a")], !=, a->community[node (g, "e")]);

  svyaz_analysis_apply (a, g, SVYAZ_COLOR_BY_COMMUNITY, SVYAZ_SIZE_BY_DEGREE);
  g_assert_cmpint (SVYAZ_NODE (g, node (g, "a"))->group, ==, (int) a->community[node (g, "a")]);
  /* d and e have the most neighbours (4): weight 1; the others sqrt(3/4). */
  g_assert_cmpfloat_with_epsilon (SVYAZ_NODE (g, node (g, "d"))->weight, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (SVYAZ_NODE (g, node (g, "a"))->weight, sqrt (0.75), 1e-9);
  svyaz_analysis_apply (a, g, SVYAZ_COLOR_BY_TYPE, SVYAZ_SIZE_BY_NONE);
  g_assert_cmpint (SVYAZ_NODE (g, node (g, "a"))->group, ==, -1);
  g_assert_cmpfloat (SVYAZ_NODE (g, node (g, "a"))->weight, ==, -1);
}

static char *
path_names (SvyazGraph *g,
            GArray     *path)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < path->len; i++)
    g_string_append (s, SVYAZ_NODE (g, g_array_index (path, guint, i))->name);
  return g_string_free (s, FALSE);
}

static void
test_k_shortest (void)
{
  g_autoptr(SvyazGraph) g = graph_from ("a-b b-d a-c c-d a-e e-f f-d x-y");
  g_autoptr(GPtrArray) three = svyaz_analysis_paths (g, node (g, "a"), node (g, "d"), 3);
  g_autoptr(GPtrArray) all = svyaz_analysis_paths (g, node (g, "a"), node (g, "d"), 10);
  g_autoptr(GPtrArray) none = svyaz_analysis_paths (g, node (g, "a"), node (g, "x"), 3);
  g_autoptr(GPtrArray) self = svyaz_analysis_paths (g, node (g, "a"), node (g, "a"), 3);
  g_autofree char *p0 = NULL, *p1 = NULL, *p2 = NULL;

  g_assert_cmpuint (three->len, ==, 3);
  p0 = path_names (g, g_ptr_array_index (three, 0));
  p1 = path_names (g, g_ptr_array_index (three, 1));
  p2 = path_names (g, g_ptr_array_index (three, 2));
  g_assert_cmpstr (p0, ==, "abd");
  g_assert_cmpstr (p1, ==, "acd");
  g_assert_cmpstr (p2, ==, "aefd");
  /* Only three loopless paths exist. */
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (self->len, ==, 1);
  g_assert_cmpuint (((GArray *) g_ptr_array_index (self, 0))->len, ==, 1);
}

static void
test_seed_path (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(SvyazStore) store = test_open_seed_store (dir);
  g_autoptr(SvyazView) view = svyaz_view_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) filtered = NULL;
  gint64 maz = test_entity_id (store, "МАЗ");
  gint64 nazarbayev = test_entity_id (store, "Назарбаев");
  SvyazPath *first;

  paths = svyaz_find_paths (store, view, maz, nazarbayev, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paths->len, >=, 1);
  first = g_ptr_array_index (paths, 0);
  g_assert_cmpstr (first->text, ==, "МАЗ → Казахстан ← Нурсултан Назарбаев");
  g_assert_cmpuint (first->hops->len, ==, 2);
  for (guint h = 0; h < first->hops->len; h++)
    {
      GPtrArray *hop = g_ptr_array_index (first->hops, h);
      SvyazRelation *r;

      g_assert_cmpuint (hop->len, >=, 1);
      r = g_ptr_array_index (hop, 0);
      g_assert_nonnull (r->evidence);
    }
  /* Alternatives are no shorter, and different. */
  for (guint i = 1; i < paths->len; i++)
    {
      SvyazPath *p = g_ptr_array_index (paths, i);

      g_assert_cmpuint (p->hops->len, >=, first->hops->len);
      g_assert_cmpstr (p->text, !=, first->text);
    }

  /* Without assembles_in, МАЗ has no way to him. */
  svyaz_name_set_toggle (view->hidden_predicates, "assembles_in", TRUE);
  filtered = svyaz_find_paths (store, view, maz, nazarbayev, 3, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < filtered->len; i++)
    g_assert_null (strstr (((SvyazPath *) g_ptr_array_index (filtered, i))->text, "МАЗ → Казахстан"));
  g_clear_object (&store);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/centrality/star-pagerank", test_star_pagerank);
  g_test_add_func ("/analysis/centrality/path-betweenness-components", test_path_betweenness_components);
  g_test_add_func ("/analysis/communities/two-cliques", test_louvain_two_cliques);
  g_test_add_func ("/analysis/paths/k-shortest", test_k_shortest);
  g_test_add_func ("/analysis/paths/seed", test_seed_path);
  return g_test_run ();
}

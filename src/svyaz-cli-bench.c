/* svyaz-cli-bench.c: `svyaz-cli bench query|open|layout|hittest|render|import`.
 *
 * Each prints lines of "name value unit", timed with the monotonic clock
 * on the store named with --db, or on a store generated for the run
 * (svyaz_generate(), --nodes entities and 2.2 relations per entity, the
 * density of the 3.6k-node / 8k-edge graph xdot.py is measured on). The
 * import benchmark also runs sqlite3's own .import of the same file into
 * a bare table, the floor any importer stands on, and prints the ratio.
 */
#include "svyaz-config.h"
#include "svyaz-cli-bench.h"

#include <math.h>
#include <sys/resource.h>
#include <stdio.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "svyaz-generate.h"
#include "svyaz-graph.h"
#include "svyaz-import.h"
#include "svyaz-layout.h"
#include "svyaz-render.h"
#include "svyaz-spatial.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *times)
{
  g_array_sort (times, compare_doubles);
  return g_array_index (times, double, times->len / 2);
}

static void
print_size (const char       *what,
            const SvyazGraph *g)
{
  g_print ("%s_nodes %u nodes\n", what, g->nodes->len);
  g_print ("%s_edges %u edges\n", what, g->edges->len);
}

/* The store to measure: --db, or one generated in @tmpdir. */
static SvyazStore *
bench_store (const char  *db,
             guint        nodes,
             guint32      seed,
             const char  *tmpdir,
             GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(SvyazStore) store = NULL;

  if (db != NULL)
    return svyaz_store_open (db, SVYAZ_STORE_OPEN_DEFAULT, error);
  path = g_build_filename (tmpdir, "bench.db", NULL);
  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, error);
  if (store == NULL || !svyaz_generate (store, nodes, (guint) (nodes * 2.2), seed, NULL, error))
    return NULL;
  return g_steal_pointer (&store);
}

static gint64
top_hub (SvyazStore  *store,
         GError     **error)
{
  g_autoptr(GPtrArray) top = svyaz_store_list_entities (store, NULL, NULL, 1, error);

  if (top == NULL)
    return 0;
  if (top->len == 0)
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_NO_ENTITY, "the store has no entities");
      return 0;
    }
  return ((SvyazEntity *) g_ptr_array_index (top, 0))->id;
}

static gboolean
bench_query (SvyazStore  *store,
             GError     **error)
{
  gint64 hub = top_hub (store, error);

  if (hub == 0)
    return FALSE;
  /* Every neighbour, then as the window asks: the hub cap on each node. */
  for (guint step = 0; step < 4; step++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      guint depth = 1 + step % 2;
      gboolean capped = step >= 2;
      SvyazGraphQuery q = { .focus_id = hub, .depth = depth, .hub_cap = capped ? SVYAZ_VIEW_HUB_CAP : 0 };
      const char *suffix = capped ? "_capped" : "";
      guint nodes = 0, edges = 0;

      for (int run = 0; run < 5; run++)
        {
          double t0 = now_s ();
          g_autoptr(SvyazGraph) g = svyaz_graph_load (store, &q, error);
          double t = now_s () - t0;

          if (g == NULL)
            return FALSE;
          g_array_append_val (times, t);
          nodes = g->nodes->len;
          edges = g->edges->len;
        }
      g_print ("query_hub_depth%u%s_time %.2f ms\n", depth, suffix, median (times) * 1e3);
      g_print ("query_hub_depth%u%s_nodes %u nodes\n", depth, suffix, nodes);
      g_print ("query_hub_depth%u%s_edges %u edges\n", depth, suffix, edges);
    }
  return TRUE;
}

static SvyazGraph *
load_all (SvyazStore  *store,
          GError     **error)
{
  SvyazGraphQuery q = { 0 };

  return svyaz_graph_load (store, &q, error);
}

static gboolean
bench_open (const char  *path,
            GError     **error)
{
  double t0 = now_s ();
  g_autoptr(SvyazStore) store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, error);
  double t1;
  g_autoptr(SvyazGraph) g = NULL;

  if (store == NULL)
    return FALSE;
  t1 = now_s ();
  g = load_all (store, error);
  if (g == NULL)
    return FALSE;
  g_print ("open_store %.1f ms\n", (t1 - t0) * 1e3);
  g_print ("open_load_graph %.2f s\n", now_s () - t1);
  print_size ("open_graph", g);

  /* Reopening a laid-out graph, as the window does: load, look the
   * layout up by signature, restore it. The first run lays out (sfdp
   * on big graphs) and keeps the layout in the store. */
  if (svyaz_layout_is_cacheable (g))
    {
      g_autofree char *signature = svyaz_layout_signature (g, NULL, SVYAZ_SIZE_BY_NONE);
      g_autoptr(GBytes) saved = svyaz_store_get_layout (store, signature, error);
      g_autoptr(SvyazGraph) again = NULL;
      g_autoptr(GBytes) found = NULL;
      struct rusage usage;

      if (saved == NULL)
        {
          g_autoptr(GBytes) made = NULL;

          if (error != NULL && *error != NULL)
            return FALSE;
          t0 = now_s ();
          if (!svyaz_layout_run (g, NULL, error))
            return FALSE;
          g_print ("open_first_layout %.2f s\n", now_s () - t0);
          made = svyaz_layout_save (g);
          if (!svyaz_store_begin (store, error) ||
              !svyaz_store_put_layout (store, signature, g->engine, g->nodes->len, made, error) ||
              !svyaz_store_commit (store, error))
            return FALSE;
        }
      /* A new session: a connection of its own, so nothing it loaded
       * before (the graph cache) helps. */
      g_clear_object (&store);
      t0 = now_s ();
      store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, error);
      if (store == NULL)
        return FALSE;
      again = load_all (store, error);
      if (again == NULL)
        return FALSE;
      g_clear_pointer (&signature, g_free);
      signature = svyaz_layout_signature (again, NULL, SVYAZ_SIZE_BY_NONE);
      found = svyaz_store_get_layout (store, signature, error);
      if (found == NULL || !svyaz_layout_restore (again, NULL, found))
        {
          g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_LAYOUT, "the saved layout did not restore");
          return FALSE;
        }
      g_print ("open_with_saved_layout %.2f s\n", now_s () - t0);
      g_print ("open_saved_layout_size %.1f MB\n", g_bytes_get_size (found) / 1e6);
      getrusage (RUSAGE_SELF, &usage);
      g_print ("open_peak_memory %.0f MB\n", usage.ru_maxrss / 1024.0);
    }
  return TRUE;
}

static SvyazGraph *
laid_out_graph (SvyazStore  *store,
                double      *seconds,
                gboolean     reuse,
                GError     **error)
{
  g_autoptr(SvyazGraph) g = load_all (store, error);
  g_autofree char *signature = NULL;
  g_autoptr(GBytes) saved = NULL;
  double t0;

  if (g == NULL)
    return NULL;
  /* The drawing and hit-testing benches need a layout, not its making:
   * at 65,000 nodes sfdp takes minutes. */
  signature = svyaz_layout_signature (g, "sfdp", SVYAZ_SIZE_BY_NONE);
  if (reuse && svyaz_layout_is_cacheable (g) &&
      (saved = svyaz_store_get_layout (store, signature, NULL)) != NULL &&
      svyaz_layout_restore (g, "sfdp", saved))
    {
      *seconds = 0;
      return g_steal_pointer (&g);
    }
  t0 = now_s ();
  if (!svyaz_layout_run (g, "sfdp", error))
    return NULL;
  *seconds = now_s () - t0;
  if (svyaz_layout_is_cacheable (g) && !svyaz_store_is_read_only (store))
    {
      g_autoptr(GBytes) made = svyaz_layout_save (g);

      if (!svyaz_store_begin (store, error) ||
          !svyaz_store_put_layout (store, signature, "sfdp", g->nodes->len, made, error) ||
          !svyaz_store_commit (store, error))
        return NULL;
    }
  return g_steal_pointer (&g);
}

static gboolean
bench_layout (SvyazStore  *store,
              GError     **error)
{
  double seconds = 0;
  g_autoptr(SvyazGraph) g = laid_out_graph (store, &seconds, FALSE, error);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 hub;
  guint ego_nodes = 0;

  if (g == NULL)
    return FALSE;
  print_size ("layout_graph", g);
  g_print ("layout_sfdp_whole %.2f s\n", seconds);

  /* An ego network: the hub's neighbours, capped at 500 as the window's
   * neighbourhoods are, laid out by the default engine for its size. */
  hub = top_hub (store, error);
  if (hub == 0)
    return FALSE;
  for (int run = 0; run < 5; run++)
    {
      SvyazGraphQuery q = { .focus_id = hub, .depth = 1 };
      g_autoptr(SvyazGraph) ego = svyaz_graph_load (store, &q, error);
      double t0;

      if (ego == NULL)
        return FALSE;
      t0 = now_s ();
      if (!svyaz_layout_run (ego, NULL, error))
        return FALSE;
      seconds = now_s () - t0;
      g_array_append_val (times, seconds);
      ego_nodes = ego->nodes->len;
    }
  g_print ("layout_ego_size %u nodes\n", ego_nodes);
  g_print ("layout_ego_time %.1f ms\n", median (times) * 1e3);
  return TRUE;
}

static gboolean
bench_hittest (SvyazStore  *store,
               guint32      seed,
               GError     **error)
{
  double seconds = 0, t0, build, fast, slow;
  g_autoptr(SvyazGraph) g = laid_out_graph (store, &seconds, TRUE, error);
  g_autoptr(SvyazSpatial) index = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  const guint fast_runs = 200000, slow_runs = 2000;
  volatile int sink = 0;

  if (g == NULL)
    return FALSE;
  t0 = now_s ();
  index = svyaz_spatial_new (g);
  /* Its grids are built on first use: a hit-test builds those it needs. */
  sink += svyaz_spatial_node_at (index, g->x0, g->y0) + svyaz_spatial_edge_at (index, g->x0, g->y0, 4);
  build = now_s () - t0;

  t0 = now_s ();
  for (guint i = 0; i < fast_runs; i++)
    {
      double x = g_rand_double_range (rand, g->x0, g->x1), y = g_rand_double_range (rand, g->y0, g->y1);
      int n = svyaz_spatial_node_at (index, x, y);

      sink += n >= 0 ? n : svyaz_spatial_edge_at (index, x, y, 4);
    }
  fast = (now_s () - t0) / fast_runs;
  t0 = now_s ();
  for (guint i = 0; i < slow_runs; i++)
    {
      double x = g_rand_double_range (rand, g->x0, g->x1), y = g_rand_double_range (rand, g->y0, g->y1);
      int n = svyaz_graph_node_at (g, x, y);

      sink += n >= 0 ? n : svyaz_graph_edge_at (g, x, y, 4);
    }
  slow = (now_s () - t0) / slow_runs;
  (void) sink;
  print_size ("hittest_graph", g);
  g_print ("hittest_index_build %.1f ms\n", build * 1e3);
  g_print ("hittest_indexed %.2f us\n", fast * 1e6);
  g_print ("hittest_brute_force %.1f us\n", slow * 1e6);
  g_print ("hittest_speedup %.0f x\n", slow / fast);
  return TRUE;
}

/* One frame into a 1280×800 image, as the canvas would show it, centred
 * @across the graph's width (0.5: its centre). */
static double
frame (const SvyazGraph *g,
       SvyazSpatial     *index,
       double            zoom_over_fit,
       double            across,
       gboolean          detailed,
       guint            *out_nodes,
       guint            *out_edges)
{
  const int w = 1280, h = 800;
  double fit = MIN (w / MAX (g->x1 - g->x0, 1), h / MAX (g->y1 - g->y0, 1));
  double zoom = fit * zoom_over_fit, cx = g->x0 + (g->x1 - g->x0) * across, cy = (g->y0 + g->y1) / 2;
  double area[4] = { cx - w / 2.0 / zoom, cy - h / 2.0 / zoom, cx + w / 2.0 / zoom, cy + h / 2.0 / zoom };
  SvyazRenderOptions options = { .scale = zoom, .opaque = TRUE };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  double t0 = now_s ();

  svyaz_render_background (cr, &options);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -area[0], -area[1]);
  /* As the canvas draws it, unless asked for every detail. */
  if (detailed)
    svyaz_spatial_query (index, area[0], area[1], area[2], area[3], nodes, edges);
  else
    svyaz_render_find_scene (index, area[0], area[1], area[2], area[3], nodes, &edges, &options);
  svyaz_render_scene_part (cr, g, nodes, edges, &options);
  cairo_surface_flush (surface);
  t0 = now_s () - t0;
  *out_nodes = nodes->len;
  /* Counted apart when the frame drew every edge, the clip finding those
   * in view. */
  if (edges == NULL)
    {
      edges = g_array_new (FALSE, FALSE, sizeof (guint));
      svyaz_spatial_query (index, area[0], area[1], area[2], area[3], NULL, edges);
    }
  *out_edges = edges->len;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return t0;
}

static gboolean
bench_render (SvyazStore  *store,
              GError     **error)
{
  double seconds = 0;
  g_autoptr(SvyazGraph) g = laid_out_graph (store, &seconds, TRUE, error);
  g_autoptr(SvyazSpatial) index = NULL;
  g_autoptr(GArray) full = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) zoomed = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) detailed = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) side = g_array_new (FALSE, FALSE, sizeof (double));
  guint nodes = 0, edges = 0, zoomed_nodes = 0, zoomed_edges = 0, side_nodes = 0, side_edges = 0;

  if (g == NULL)
    return FALSE;
  index = svyaz_spatial_new (g);
  for (int run = 0; run < 5; run++)
    {
      double t = frame (g, index, 1.0, 0.5, FALSE, &nodes, &edges);

      g_array_append_val (full, t);
      t = frame (g, index, 8.0, 0.5, FALSE, &zoomed_nodes, &zoomed_edges);
      g_array_append_val (zoomed, t);
      /* Off the centre, where a hairball thins and its lines are walked
       * (at its centre they all lie in tiles painted opaque). */
      t = frame (g, index, 8.0, 0.25, FALSE, &side_nodes, &side_edges);
      g_array_append_val (side, t);
      t = frame (g, index, 1.0, 0.5, TRUE, &nodes, &edges);
      g_array_append_val (detailed, t);
    }
  print_size ("render_graph", g);
  g_print ("render_full_view_frame %.1f ms\n", median (full) * 1e3);
  g_print ("render_full_view_frame_detailed %.1f ms\n", median (detailed) * 1e3);
  g_print ("render_zoomed_8x_frame %.1f ms\n", median (zoomed) * 1e3);
  g_print ("render_zoomed_8x_nodes %u nodes\n", zoomed_nodes);
  g_print ("render_zoomed_8x_edges %u edges\n", zoomed_edges);
  g_print ("render_zoomed_8x_side_frame %.1f ms\n", median (side) * 1e3);
  g_print ("render_zoomed_8x_side_nodes %u nodes\n", side_nodes);
  g_print ("render_zoomed_8x_side_edges %u edges\n", side_edges);
  return TRUE;
}

static gboolean
bench_import (guint        triples,
              guint32      seed,
              const char  *tmpdir,
              GError     **error)
{
  g_autofree char *tsv = g_build_filename (tmpdir, "triples.tsv", NULL);
  g_autofree char *db = g_build_filename (tmpdir, "import.db", NULL);
  g_autofree char *floor_db = g_build_filename (tmpdir, "floor.db", NULL);
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GString) text = g_string_new ("subject\tsubject_type\tpredicate\tobject\tobject_type\n");
  g_autoptr(SvyazStore) store = NULL;
  static const char * const types[] = { "person", "company", "country", "city", "organization" };
  static const char * const predicates[] = { "met_with", "works_for", "located_in", "member_of", "supplies_to" };
  guint entities = MAX (triples / 5, 2);
  SvyazTsvReport report = { 0 };
  double ours, floor_s = 0;

  for (guint i = 0; i < triples; i++)
    {
      /* Subjects drawn with a heavy tail: a few appear on many lines. */
      guint a = (guint) (entities * pow (g_rand_double (rand), 3.0)) % entities;
      guint b = g_rand_int_range (rand, 0, entities);

      g_string_append_printf (text, "Entity %u\t%s\t%s\tEntity %u\t%s\n", a, types[a % 5],
                              predicates[g_rand_int_range (rand, 0, 5)], b, types[b % 5]);
    }
  if (!g_file_set_contents (tsv, text->str, (gssize) text->len, error))
    return FALSE;

  store = svyaz_store_open (db, SVYAZ_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return FALSE;
  ours = now_s ();
  if (!svyaz_import_tsv (store, tsv, &report, NULL, error))
    return FALSE;
  ours = now_s () - ours;
  g_print ("import_triples %u lines\n", triples);
  g_print ("import_file %.1f MB\n", text->len / 1e6);
  g_print ("import_time %.2f s\n", ours);
  g_print ("import_rate %.0f triples/s\n", triples / ours);
  if (sqlite3 != NULL)
    {
      const char *argv[] = { sqlite3, floor_db, "-cmd", ".mode tabs", ".import '' t", NULL };
      g_autofree char *import_cmd = g_strdup_printf (".import %s t", tsv);
      int status = 0;

      argv[4] = import_cmd;
      floor_s = now_s ();
      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                         &status, error))
        return FALSE;
      floor_s = now_s () - floor_s;
      g_print ("import_sqlite3_dot_import %.2f s\n", floor_s);
      g_print ("import_vs_sqlite3_floor %.1f x\n", ours / floor_s);
    }
  return TRUE;
}

/**
 * svyaz_cli_bench_graph:
 * @name: query, open, layout, hittest, render or import
 * @db: (nullable): the store to measure, else one is generated
 *
 * Returns: an exit code
 */
int
svyaz_cli_bench_graph (const char *name,
                       const char *db,
                       guint       nodes,
                       guint       triples,
                       guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("svyaz-bench-XXXXXX", &error);
  g_autoptr(SvyazStore) store = NULL;
  gboolean ok;

  if (tmpdir == NULL)
    goto fail;
  if (g_str_equal (name, "import"))
    ok = bench_import (triples, seed, tmpdir, &error);
  else
    {
      store = bench_store (db, nodes, seed, tmpdir, &error);
      if (store == NULL)
        goto fail;
      if (g_str_equal (name, "query"))
        ok = bench_query (store, &error);
      else if (g_str_equal (name, "open"))
        {
          g_autofree char *path = g_strdup (svyaz_store_get_path (store));

          g_clear_object (&store);
          ok = bench_open (path, &error);
        }
      else if (g_str_equal (name, "layout"))
        ok = bench_layout (store, &error);
      else if (g_str_equal (name, "hittest"))
        ok = bench_hittest (store, seed, &error);
      else
        ok = bench_render (store, &error);
    }
  g_clear_object (&store);
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *entry;

    while (dir && (entry = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, entry, NULL);
        g_unlink (path);
      }
    g_rmdir (tmpdir);
  }
  if (ok)
    return 0;

fail:
  g_printerr ("svyaz-cli: bench %s: %s\n", name, error->message);
  return 1;
}

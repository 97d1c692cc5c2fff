/* test-render.c: drawing and exporting the seed graph: real pixels at real
 * node positions, SVG parsed as XML, PDF read back with pdftotext, DOT
 * re-read by Graphviz, GraphML parsed, hostile names, atomic writes. */
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "svyaz-export.h"
#include "svyaz-layout.h"
#include "svyaz-render.h"
#include "svyaz-spatial.h"
#include "test-seed.h"
#include "test-util.h"

typedef struct {
  char       *dir;
  SvyazStore *store;
  SvyazGraph *graph;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = test_make_tmpdir ();
  f->store = test_open_seed_store (f->dir);
  f->graph = test_load_seed_graph (f->store, "dot");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->graph, svyaz_graph_unref);
  g_clear_object (&f->store);
  test_rm_rf (f->dir);
  g_free (f->dir);
}

static void
pixel_at (cairo_surface_t *surface,
          double           x,
          double           y,
          int             *r,
          int             *g,
          int             *b)
{
  unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 px;

  g_assert_true (x >= 0 && y >= 0 && x < cairo_image_surface_get_width (surface) &&
                 y < cairo_image_surface_get_height (surface));
  px = *(guint32 *) (data + (int) y * stride + 4 * (int) x);
  *r = (px >> 16) & 0xff;
  *g = (px >> 8) & 0xff;
  *b = px & 0xff;
}

/* Each node's fill, the tint of its type's colour, is where the node is. */
static void
test_pixels_by_type (Fixture *f, gconstpointer data)
{
  SvyazGraph *g = f->graph;
  SvyazRenderOptions options = { .scale = 1 };
  const double margin = 10;
  cairo_surface_t *surface;
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  cairo_t *cr;
  int r, gr, b;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (g->x1 - g->x0 + 2 * margin),
                                        (int) ceil (g->y1 - g->y0 + 2 * margin));
  cr = cairo_create (surface);
  svyaz_render_background (cr, &options);
  cairo_translate (cr, margin - g->x0, margin - g->y0);
  svyaz_render_scene (cr, g, &options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (guint i = 0; i < g->nodes->len; i++)
    {
      SvyazNode *n = SVYAZ_NODE (g, i);
      const SvyazTypeStyle *style = svyaz_render_type_style (n->type);
      g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
      guint best_count = 0, best = 0;
      double fr, fg, fb;

      /* Over the label's box the fill is the commonest colour: glyphs
       * cover less than half of it, and nothing else is drawn there. */
      for (double y = n->y - n->label_height / 2 + 1; y < n->y + n->label_height / 2 - 1; y += 1)
        for (double x = n->x - n->label_width / 2 + 1; x < n->x + n->label_width / 2 - 1; x += 1)
          {
            guint rgb, count;

            pixel_at (surface, x + margin - g->x0, y + margin - g->y0, &r, &gr, &b);
            rgb = (guint) (r << 16 | gr << 8 | b);
            count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (rgb))) + 1;
            g_hash_table_insert (counts, GUINT_TO_POINTER (rgb), GUINT_TO_POINTER (count));
            if (count > best_count)
              best_count = count, best = rgb;
          }
      svyaz_render_fill_color (style, FALSE, &fr, &fg, &fb);
      g_assert_cmpint (abs ((int) (best >> 16) - (int) round (fr * 255)), <=, 2);
      g_assert_cmpint (abs ((int) (best >> 8 & 0xff) - (int) round (fg * 255)), <=, 2);
      g_assert_cmpint (abs ((int) (best & 0xff) - (int) round (fb * 255)), <=, 2);
      g_hash_table_add (types, (gpointer) n->type);
    }
  /* The seed has seven types, drawn in seven different colours. */
  g_assert_cmpuint (g_hash_table_size (types), ==, 7);
  {
    g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
    GHashTableIter iter;
    gpointer type;

    g_hash_table_iter_init (&iter, types);
    while (g_hash_table_iter_next (&iter, &type, NULL))
      {
        const SvyazTypeStyle *s = svyaz_render_type_style (type);

        g_hash_table_add (colours, GUINT_TO_POINTER ((guint) (s->r * 255) << 16 |
                                                     (guint) (s->g * 255) << 8 | (guint) (s->b * 255)));
      }
    g_assert_cmpuint (g_hash_table_size (colours), ==, 7);
  }
  /* A label's text is dark on the fill: some pixel in the label box is. */
  {
    SvyazNode *n = SVYAZ_NODE (g, svyaz_graph_find_node (g, test_entity_id (f->store, "Казахстан")));
    int darkest = 255;

    for (double x = n->x - n->label_width / 2; x < n->x + n->label_width / 2; x += 1)
      {
        pixel_at (surface, x + margin - g->x0, n->y + margin - g->y0, &r, &gr, &b);
        darkest = MIN (darkest, (r + gr + b) / 3);
      }
    g_assert_cmpint (darkest, <, 100);
  }
  /* Empty space is background. */
  pixel_at (surface, 1, 1, &r, &gr, &b);
  g_assert_cmpint (r, ==, (int) (0.98 * 255 + 0.5));
  cairo_surface_destroy (surface);
}

typedef struct {
  GString  *text;
  gboolean  in_text;
  guint     elements;
  guint     nodes;
  guint     edges;
} XmlScan;

static void
xml_start (GMarkupParseContext *context, const char *element, const char **names,
           const char **values, gpointer user_data, GError **error)
{
  XmlScan *scan = user_data;

  scan->elements++;
  scan->in_text = strcmp (element, "text") == 0 || strcmp (element, "data") == 0;
  if (strcmp (element, "node") == 0)
    scan->nodes++;
  else if (strcmp (element, "edge") == 0)
    scan->edges++;
}

static void
xml_text (GMarkupParseContext *context, const char *text, gsize len,
          gpointer user_data, GError **error)
{
  XmlScan *scan = user_data;

  if (scan->in_text)
    {
      g_string_append_len (scan->text, text, (gssize) len);
      g_string_append_c (scan->text, '\n');
    }
}

static void
xml_end (GMarkupParseContext *context, const char *element, gpointer user_data, GError **error)
{
  ((XmlScan *) user_data)->in_text = FALSE;
}

/* Parses @path as XML (GMarkup refuses what is not well-formed). */
static XmlScan
parse_xml (const char *path)
{
  static const GMarkupParser parser = { xml_start, xml_end, xml_text, NULL, NULL };
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  XmlScan scan = { g_string_new (NULL), FALSE, 0, 0, 0 };

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  context = g_markup_parse_context_new (&parser, G_MARKUP_IGNORE_QUALIFIED, &scan, NULL);
  g_markup_parse_context_parse (context, contents, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  return scan;
}

/* libxml2's own parser agrees (libxml2-utils is installed by the quick
 * start's test command). */
static void
assert_xmllint_accepts (const char *path)
{
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, "--noout", path, NULL };
  int status = 0;

  g_assert_nonnull (xmllint);
  argv[0] = xmllint;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (status != 0)
    g_error ("xmllint rejects %s: %s", path, err);
}

static void
test_svg_export (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "seed.svg", NULL);
  g_autoptr(GError) error = NULL;
  XmlScan scan;

  g_assert_true (svyaz_export_graph (f->graph, SVYAZ_EXPORT_SVG, path, 1, NULL, &error));
  g_assert_no_error (error);
  scan = parse_xml (path);
  assert_xmllint_accepts (path);
  g_assert_cmpuint (scan.elements, >, f->graph->nodes->len);
  for (guint i = 0; i < f->graph->nodes->len; i++)
    g_assert_nonnull (strstr (scan.text->str, SVYAZ_NODE (f->graph, i)->name));
  g_assert_nonnull (strstr (scan.text->str, "assembles_in"));
  g_string_free (scan.text, TRUE);
}

static char *
collapse_spaces (const char *text)
{
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);

  return g_regex_replace_literal (spaces, text, -1, 0, " ", 0, NULL);
}

static void
test_pdf_export (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "seed.pdf", NULL);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autofree char *flat = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (svyaz_export_graph (f->graph, SVYAZ_EXPORT_PDF, path, 1, NULL, &error));
  g_assert_no_error (error);
  bytes = test_read_bytes (path);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 1000);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 5, "%PDF-", 5);

  /* poppler-utils is installed by the quick start's test command. */
  g_assert_nonnull (pdftotext);
  {
    const char *argv[] = { pdftotext, "-enc", "UTF-8", path, "-", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  flat = collapse_spaces (out);
  for (guint i = 0; i < f->graph->nodes->len; i++)
    g_assert_nonnull (strstr (flat, SVYAZ_NODE (f->graph, i)->name));
}

static void
test_png_export (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "seed.png", NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *one, *two;
  double view[4] = { f->graph->x0, f->graph->y0, f->graph->x0 + 100, f->graph->y0 + 50 };

  g_assert_true (svyaz_export_graph (f->graph, SVYAZ_EXPORT_PNG, path, 1, NULL, &error));
  one = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (one), ==, CAIRO_STATUS_SUCCESS);
  /* The scale factor multiplies the pixels. */
  g_assert_true (svyaz_export_graph (f->graph, SVYAZ_EXPORT_PNG, path, 2, NULL, &error));
  two = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (abs (cairo_image_surface_get_width (two) - 2 * cairo_image_surface_get_width (one)), <=, 1);
  g_assert_cmpint (abs (cairo_image_surface_get_height (two) - 2 * cairo_image_surface_get_height (one)), <=, 1);
  cairo_surface_destroy (one);
  cairo_surface_destroy (two);
  /* A view exports just that part. */
  g_assert_true (svyaz_export_graph (f->graph, SVYAZ_EXPORT_PNG, path, 3, view, &error));
  one = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_image_surface_get_width (one), ==, 300);
  g_assert_cmpint (cairo_image_surface_get_height (one), ==, 150);
  cairo_surface_destroy (one);
}

static void
test_dot_and_graphml_export (Fixture *f, gconstpointer data)
{
  g_autofree char *dot = g_build_filename (f->dir, "seed.dot", NULL);
  g_autofree char *graphml = g_build_filename (f->dir, "seed.graphml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazForeignGraph) read = NULL;
  XmlScan scan;

  g_assert_true (svyaz_export_graph (f->graph, SVYAZ_EXPORT_DOT, dot, 1, NULL, &error));
  read = svyaz_layout_read_dot (dot, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read->nodes->len, ==, f->graph->nodes->len);
  g_assert_cmpuint (read->edges->len, ==, f->graph->edges->len);

  g_assert_true (svyaz_export_graph (f->graph, SVYAZ_EXPORT_GRAPHML, graphml, 1, NULL, &error));
  scan = parse_xml (graphml);
  assert_xmllint_accepts (graphml);
  g_assert_cmpuint (scan.nodes, ==, f->graph->nodes->len);
  g_assert_cmpuint (scan.edges, ==, f->graph->edges->len);
  g_assert_nonnull (strstr (scan.text->str, "Нурсултан Назарбаев"));
  g_assert_nonnull (strstr (scan.text->str, "met_with"));
  g_string_free (scan.text, TRUE);
}

/* Names with quotes, markup, escapes, braces, a newline, a control
 * character, emoji and a trailing backslash (found by the export fuzzer:
 * DOT cannot end a quoted string with one) survive every format. */
static void
test_hostile_names (Fixture *f, gconstpointer data)
{
  static const char * const names[] = {
    "He said \"hi\"", "<b>&amp; AT&T</b>", "back\\slash {braces}", "line\nbreak",
    "bell\x07here", "Связь 🔗 emoji", "-- -> digraph { }", "ends in a backslash\\",
  };
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GError) error = NULL;
  const char *formats[] = { "svg", "graphml", "dot", "pdf", "png" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    svyaz_graph_add_node (g, i + 1, names[i], i % 2 ? "person" : "some<type>", names[i]);
  for (guint i = 0; i + 1 < G_N_ELEMENTS (names); i++)
    svyaz_graph_add_relation (g, i, i + 1, i + 1, names[i], 0.5, FALSE);
  svyaz_graph_finish (g);
  g_assert_true (svyaz_layout_run (g, "dot", &error));
  g_assert_no_error (error);

  for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
    {
      g_autofree char *path = g_strdup_printf ("%s/odd.%s", f->dir, formats[k]);
      SvyazExportFormat format;

      g_assert_true (svyaz_export_format_for_path (path, &format));
      g_assert_true (svyaz_export_graph (g, format, path, 1, NULL, &error));
      g_assert_no_error (error);
      if (format == SVYAZ_EXPORT_SVG || format == SVYAZ_EXPORT_GRAPHML)
        {
          XmlScan scan = parse_xml (path);

          assert_xmllint_accepts (path);
          g_assert_nonnull (strstr (scan.text->str, "He said \"hi\""));
          g_assert_nonnull (strstr (scan.text->str, "<b>&amp; AT&T</b>"));
          g_assert_nonnull (strstr (scan.text->str, "Связь 🔗 emoji"));
          g_assert_nonnull (strstr (scan.text->str, "bell\xef\xbf\xbdhere"));
          g_string_free (scan.text, TRUE);
        }
      else if (format == SVYAZ_EXPORT_DOT)
        {
          g_autoptr(SvyazForeignGraph) read = svyaz_layout_read_dot (path, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (read->nodes->len, ==, G_N_ELEMENTS (names));
          g_assert_cmpuint (read->edges->len, ==, G_N_ELEMENTS (names) - 1);
        }
    }
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

/* A failed export leaves the old file as it was and no temporary file. */
static void
test_atomic_export (Fixture *f, gconstpointer data)
{
  g_autofree char *sub = g_build_filename (f->dir, "out", NULL);
  g_autofree char *keep = g_build_filename (sub, "keep.png", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-dir", "x.svg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SvyazGraph) huge = svyaz_graph_new ();

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_free (test_write_file (sub, "keep.png", "old", -1));

  /* Too large a bitmap: refused before anything is written. */
  svyaz_graph_add_node (huge, 1, "far", "place", NULL);
  svyaz_graph_add_node (huge, 2, "away", "place", NULL);
  svyaz_graph_finish (huge);
  g_assert_true (svyaz_layout_run (huge, "dot", &error));
  svyaz_graph_move_node (huge, 1, 40000, 40000);
  g_assert_false (svyaz_export_graph (huge, SVYAZ_EXPORT_PNG, keep, 1, NULL, &error));
  g_assert_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_EXPORT);
  g_assert_nonnull (strstr (error->message, keep));
  g_clear_error (&error);
  bytes = test_read_bytes (keep);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "old", 3);
  g_assert_cmpuint (count_files (sub), ==, 1);

  /* A directory that does not exist. */
  g_assert_false (svyaz_export_graph (f->graph, SVYAZ_EXPORT_SVG, missing, 1, NULL, &error));
  g_assert_nonnull (strstr (error->message, "x.svg"));
  g_clear_error (&error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* A directory as the target. */
  g_assert_false (svyaz_export_graph (f->graph, SVYAZ_EXPORT_DOT, sub, 1, NULL, &error));
  g_clear_error (&error);

  /* Success replaces the old file whole. */
  g_assert_true (svyaz_export_graph (f->graph, SVYAZ_EXPORT_PNG, keep, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (sub), ==, 1);
}

/* Finishes @g with every edge a straight line between its nodes; @nodes
 * (unless NULL) and @edges receive them all. */
static void
lay_out_straight (SvyazGraph *g,
                  GArray     *nodes,
                  GArray     *edges)
{
  svyaz_graph_finish (g);
  for (guint i = 0; nodes != NULL && i < g->nodes->len; i++)
    g_array_append_val (nodes, i);
  for (guint i = 0; i < g->edges->len; i++)
    {
      svyaz_graph_route_straight (g, i);
      g_array_append_val (edges, i);
    }
  g->laid_out = TRUE;
  svyaz_graph_update_bounds (g);
}

/* The coarse drawing sets pixels itself: a line's pixels are grey all the
 * way between its ends, a node's centre has its type's colour, and
 * nothing else is drawn. */
static void
test_coarse_pixels (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  const SvyazTypeStyle *city = svyaz_render_type_style ("city");
  SvyazRenderOptions options = { .scale = 0.5, .coarse = TRUE };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 120);
  cairo_t *cr = cairo_create (surface);
  static const double at[][2] = { { 40, 40 }, { 360, 40 }, { 360, 200 }, { 40, 200 } };
  guint32 *pixels;
  int stride;

  for (guint i = 0; i < 4; i++)
    {
      guint n = svyaz_graph_add_node (g, i + 1, "узел", "city", NULL);

      SVYAZ_NODE (g, n)->x = at[i][0];
      SVYAZ_NODE (g, n)->y = at[i][1];
      SVYAZ_NODE (g, n)->width = 20;
      SVYAZ_NODE (g, n)->height = 10;
      g_array_append_val (nodes, n);
    }
  /* A square's sides, and one diagonal. */
  for (guint i = 0; i < 4; i++)
    svyaz_graph_add_relation (g, i, (i + 1) % 4, i + 1, "visited", 1, FALSE);
  svyaz_graph_add_relation (g, 0, 2, 5, "visited", 1, FALSE);
  lay_out_straight (g, NULL, edges);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, options.scale, options.scale);
  svyaz_render_scene_part (cr, g, nodes, edges, &options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;

#define PIXEL(x, y) (pixels[(y) * stride + (x)] & 0xffffff)
  /* Node centres (scene / 2): the type's colour, exactly. */
  for (guint i = 0; i < 4; i++)
    g_assert_cmphex (PIXEL ((int) (at[i][0] / 2), (int) (at[i][1] / 2)), ==,
                     (guint) (city->r * 255) << 16 | (guint) (city->g * 255) << 8 | (guint) (city->b * 255));
  /* The top side, y = 20, between the dots: grey on white, every pixel. */
  for (int x = 30; x <= 150; x++)
    {
      guint32 p = PIXEL (x, 20);

      g_assert_cmphex (p, !=, 0xffffff);
      g_assert_cmpuint ((p >> 16) & 0xff, ==, p & 0xff);  /* grey */
    }
  /* The diagonal from (20, 20) to (180, 100): its midpoint is grey. */
  g_assert_cmphex (PIXEL (100, 60), !=, 0xffffff);
  /* Away from every line and dot: untouched. */
  g_assert_cmphex (PIXEL (100, 30), ==, 0xffffff);
  g_assert_cmphex (PIXEL (195, 115), ==, 0xffffff);
  /* Lines stop at their ends: nothing beyond the diagonal's. */
  g_assert_cmphex (PIXEL (190, 105), ==, 0xffffff);
  g_assert_cmphex (PIXEL (10, 15), ==, 0xffffff);
#undef PIXEL
  cairo_surface_destroy (surface);
}

/* Mean darkness (255 − grey) over an image drawn coarsely. */
static double
coarse_darkness (SvyazGraph *g,
                 GArray     *edges,
                 double      crossings)
{
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  SvyazRenderOptions options = { .scale = 1, .coarse = TRUE, .crossings = crossings };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 120);
  cairo_t *cr = cairo_create (surface);
  guint32 *pixels;
  double sum = 0;
  int stride;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  svyaz_render_scene_part (cr, g, nodes, edges, &options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  for (int y = 0; y < 120; y++)
    for (int x = 0; x < 200; x++)
      sum += 255 - (pixels[y * stride + x] & 0xff);
  cairo_surface_destroy (surface);
  return sum / (200 * 120);
}

/* Past the budget of line pixels, a sample of the edges is drawn, each
 * as opaque as the edges it stands for: the picture's mean darkness stays
 * within a few percent of drawing every edge. */
static void
test_coarse_sampling (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GRand) rand = g_rand_new_with_seed (26);
  double all, sampled, heavy;

  for (guint i = 0; i < 400; i++)
    {
      guint n = svyaz_graph_add_node (g, i + 1, "n", "city", NULL);

      SVYAZ_NODE (g, n)->x = g_rand_double_range (rand, 0, 200);
      SVYAZ_NODE (g, n)->y = g_rand_double_range (rand, 0, 120);
      SVYAZ_NODE (g, n)->width = SVYAZ_NODE (g, n)->height = 2;
    }
  for (guint i = 0; i < 1200; i++)
    svyaz_graph_add_relation (g, g_rand_int_range (rand, 0, 400), g_rand_int_range (rand, 0, 400),
                              i + 1, "visited", 1, TRUE);
  lay_out_straight (g, NULL, edges);

  /* About 90,000 line pixels on 24,000: a budget of 1,000 crossings per
   * pixel draws every edge, one of 1 about one edge in four. */
  all = coarse_darkness (g, edges, 1000);
  sampled = coarse_darkness (g, edges, 1);
  heavy = coarse_darkness (g, edges, 0.1);
  g_test_message ("mean darkness: every edge %.1f, one in four %.1f, one in six %.1f", all, sampled, heavy);
  g_assert_cmpfloat (all, >, 20);
  g_assert_cmpfloat (sampled, !=, all);  /* it did sample */
  g_assert_cmpfloat (fabs (sampled - all), <, 0.03 * all);
  /* Sampling stops at one edge in six, where a line is 0.9 opaque. */
  g_assert_cmpfloat (fabs (heavy - all), <, 0.08 * all);
}

/* The scene from (@x0, @y0) at @zoom into a 1200 × 800 image. */
static guint8 *
draw_view_bytes (SvyazGraph               *g,
                 GArray                   *nodes,
                 GArray                   *edges,
                 const SvyazRenderOptions *options,
                 double                    zoom,
                 double                    x0,
                 double                    y0,
                 gsize                    *out_size)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1200, 800);
  cairo_t *cr = cairo_create (surface);
  guint8 *bytes;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -x0, -y0);
  svyaz_render_scene_part (cr, g, nodes, edges, options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  *out_size = (gsize) cairo_image_surface_get_stride (surface) * 800;
  bytes = g_memdup2 (cairo_image_surface_get_data (surface), *out_size);
  cairo_surface_destroy (surface);
  return bytes;
}

static guint8 *
draw_coarse_bytes (SvyazGraph               *g,
                   GArray                   *nodes,
                   GArray                   *edges,
                   const SvyazRenderOptions *options,
                   gsize                    *out_size)
{
  return draw_view_bytes (g, nodes, edges, options, 1, 0, 0, out_size);
}

/* A crowded frame's lines shared among threads give the very pixels one
 * thread gives, however many share them. */
static void
test_coarse_threads (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GRand) rand = g_rand_new_with_seed (27);
  static const guint threads[] = { 1, 0, 2, 3, 4 };
  g_autofree guint8 *first = NULL;
  gsize size = 0;

  for (guint i = 0; i < 600; i++)
    {
      guint n = svyaz_graph_add_node (g, i + 1, "n", i % 2 ? "city" : "person", NULL);

      SVYAZ_NODE (g, n)->x = g_rand_double_range (rand, 0, 1200);
      SVYAZ_NODE (g, n)->y = g_rand_double_range (rand, 0, 800);
      SVYAZ_NODE (g, n)->width = SVYAZ_NODE (g, n)->height = 6;
    }
  /* About 6,000 lines of 500 pixels: 3 million, past the threshold; and
   * 200 typed edges on one line (drawn first: a count past a byte's in
   * the first share) crossed by a co-occurrence (drawn in a later share):
   * where they cross, only a saturating sum keeps the pixel dark. */
  for (guint i = 0; i < 6000; i++)
    svyaz_graph_add_relation (g, g_rand_int_range (rand, 0, 600), g_rand_int_range (rand, 0, 600),
                              i + 1, i % 3 ? "visited" : "met_with", 1, i % 2 == 0);
  SVYAZ_NODE (g, 0)->x = 100, SVYAZ_NODE (g, 0)->y = 400.5;
  SVYAZ_NODE (g, 1)->x = 1100, SVYAZ_NODE (g, 1)->y = 400.5;
  SVYAZ_NODE (g, 2)->x = 600.5, SVYAZ_NODE (g, 2)->y = 100;
  SVYAZ_NODE (g, 3)->x = 600.5, SVYAZ_NODE (g, 3)->y = 700;
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *predicate = g_strdup_printf ("p%u", i);

      svyaz_graph_add_relation (g, 0, 1, 7000 + i, predicate, 1, FALSE);
    }
  svyaz_graph_add_relation (g, 2, 3, 8000, "near", 1, TRUE);
  lay_out_straight (g, nodes, edges);

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      SvyazRenderOptions options = { .scale = 1, .coarse = TRUE, .crossings = 1000, .threads = threads[t] };
      g_autofree guint8 *bytes = draw_coarse_bytes (g, nodes, edges, &options, &size);

      if (first == NULL)
        {
          guint dark = 0;

          /* Most of the picture is lines. */
          for (gsize i = 0; i < size; i += 4)
            dark += bytes[i] < 255;
          g_assert_cmpuint (dark, >, 1200 * 800 / 4);
          first = g_steal_pointer (&bytes);
        }
      else
        g_assert_true (memcmp (first, bytes, size) == 0);
    }
}

/* A hairball: 300 nodes in a disc at the centre of a 1200 × 800 frame
 * joined by 40,000 straight edges, 300 scattered around it with a few;
 * @nodes and @edges receive them all. */
static void
hairball (SvyazGraph *g,
          GArray     *nodes,
          GArray     *edges)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (31);

  for (guint i = 0; i < 600; i++)
    {
      guint n = svyaz_graph_add_node (g, i + 1, "n", "person", NULL);
      double angle = g_rand_double_range (rand, 0, 2 * G_PI);
      double radius = i < 300 ? g_rand_double_range (rand, 0, 250) : g_rand_double_range (rand, 320, 700);

      SVYAZ_NODE (g, n)->x = 600 + radius * cos (angle);
      SVYAZ_NODE (g, n)->y = 400 + radius * sin (angle) * 0.55;
      SVYAZ_NODE (g, n)->width = SVYAZ_NODE (g, n)->height = 4;
    }
  for (guint i = 0; i < 40000; i++)
    svyaz_graph_add_relation (g, g_rand_int_range (rand, 0, 300), g_rand_int_range (rand, 0, 300),
                              i + 1, i % 3 ? "visited" : "met_with", 1, i % 2 == 0);
  for (guint i = 0; i < 300; i++)
    svyaz_graph_add_relation (g, g_rand_int_range (rand, 300, 600), g_rand_int_range (rand, 300, 600),
                              50000 + i, "owns", 1, FALSE);
  lay_out_straight (g, nodes, edges);
}

/* A hairball's dense centre (a hundred lines and more to a pixel) is
 * painted opaque by tiles rather than walked: the picture is that of
 * every line walked through every pixel, but for a handful of pixels,
 * and the same with the lines shared among threads. Around it, sparse
 * lines keep their pixels. */
static void
test_coarse_solid_tiles (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  SvyazRenderOptions every = { .scale = 1, .coarse = TRUE, .crossings = 1000, .threads = 1, .every_pixel = TRUE };
  SvyazRenderOptions tiles = { .scale = 1, .coarse = TRUE, .crossings = 1000, .threads = 1 };
  g_autofree guint8 *exact = NULL, *painted = NULL, *shared = NULL;
  gsize size = 0, differ = 0, lighter = 0, opaque = 0;

  hairball (g, nodes, edges);

  exact = draw_coarse_bytes (g, nodes, edges, &every, &size);
  painted = draw_coarse_bytes (g, nodes, edges, &tiles, &size);
  tiles.threads = 2;
  shared = draw_coarse_bytes (g, nodes, edges, &tiles, &size);
  g_assert_true (memcmp (painted, shared, size) == 0);
  for (gsize i = 0; i < size; i += 4)
    {
      int d = abs ((int) exact[i] - (int) painted[i]);

      differ += d > 2;
      lighter += exact[i] > 200;
    }
  g_assert_cmpuint (differ, <, 1200 * 800 / 1000);
  /* The centre is opaque lines (the coarse grey, 84, over white) but for
   * the node dots; much of the rest is light. */
  for (int y = 370; y < 430; y++)
    for (int x = 500; x < 700; x++)
      opaque += exact[(gsize) y * 1200 * 4 + x * 4] == 84;
  g_assert_cmpuint (opaque, >, 60 * 200 * 3 / 4);
  g_assert_cmpuint (lighter, >, 1200 * 800 / 4);
}

/* A zoomed coarse view may be given every edge rather than those the
 * index finds in it (as the canvas does when its nodes already make the
 * view coarse): the lines beyond it are clipped away, and the pixels are
 * those of the index's edges, from the index's table of lines or the
 * frame's own. Painting opaque tiles there keeps them too, but for a
 * handful, across the disc's border and the frame's. */
static void
test_coarse_every_edge (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) seen_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) seen_edges = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(SvyazSpatial) index = NULL;
  SvyazRenderOptions every = { .scale = 3, .coarse = TRUE, .crossings = 1000, .threads = 1, .every_pixel = TRUE };
  SvyazRenderOptions tiles = { .scale = 3, .coarse = TRUE, .crossings = 1000, .threads = 2 };
  g_autofree guint8 *found = NULL, *all = NULL, *painted = NULL;
  /* Half the frame, from the disc's centre across its lower right border. */
  double x0 = 500, y0 = 330, zoom = 2;
  gsize size = 0, differ = 0, dark = 0, any = 0;

  hairball (g, nodes, edges);
  index = svyaz_spatial_new (g);
  svyaz_spatial_query (index, x0, y0, x0 + 1200 / zoom, y0 + 800 / zoom, seen_nodes, seen_edges);
  g_assert_cmpuint (seen_edges->len, >, 1000);
  g_assert_cmpuint (seen_edges->len, <, g->edges->len - 1000);

  found = draw_view_bytes (g, seen_nodes, seen_edges, &every, zoom, x0, y0, &size);
  every.lines = svyaz_spatial_edge_lines (index);
  all = draw_view_bytes (g, seen_nodes, NULL, &every, zoom, x0, y0, &size);
  g_assert_true (memcmp (found, all, size) == 0);

  tiles.lines = every.lines;
  painted = draw_view_bytes (g, seen_nodes, NULL, &tiles, zoom, x0, y0, &size);
  for (gsize i = 0; i < size; i += 4)
    {
      differ += abs ((int) all[i] - (int) painted[i]) > 2;
      any += all[i] != painted[i];
      dark += all[i] == 84;
    }
  g_test_message ("every-edge: %zu differ > 2, %zu differ at all, %zu opaque", differ, any, dark);
  /* Much of it opaque, so tiles were painted; nearly the same pixels
   * (all of them, when written; skipping the lines that cross two tiles
   * not painted made 1,459 differ). */
  g_assert_cmpuint (dark, >, 1200 * 800 / 10);
  g_assert_cmpuint (differ, <, 1200 * 800 / 10000);
}

/* A frame with more line pixels than its budget paints the tiles its
 * lines would all but fill, rather than sampling their lines: sampling
 * one line in k leaves light specks where every line's picture has none.
 * Across a hairball's flank, painting the tiles only when the lines
 * would make them opaque twice over left 534 such specks and a mean 10.6
 * grey levels a pixel from every line's picture; now 115 and 7.7, the
 * rest from sampling the sparser lines, one in two. */
static void
test_coarse_sampled_flank (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  SvyazRenderOptions every = { .scale = 2, .coarse = TRUE, .crossings = 1000, .threads = 1, .every_pixel = TRUE };
  SvyazRenderOptions budget = { .scale = 2, .coarse = TRUE, .threads = 2 };
  g_autofree guint8 *exact = NULL, *framed = NULL;
  /* From the disc's centre to its left border. */
  double x0 = 300, y0 = 200, zoom = 2;
  gsize size = 0;
  double sum = 0, light = 0, specks = 0;

  hairball (g, nodes, edges);
  exact = draw_view_bytes (g, nodes, NULL, &every, zoom, x0, y0, &size);
  framed = draw_view_bytes (g, nodes, NULL, &budget, zoom, x0, y0, &size);
  for (gsize i = 0; i < size; i += 4)
    {
      sum += abs ((int) exact[i] - (int) framed[i]);
      light += exact[i] > 200;
      specks += exact[i] < 100 && framed[i] > 200;
    }
  g_test_message ("sampled flank: %.2f grey levels a pixel from every line's picture, %.0f specks", sum / (size / 4), specks);
  /* Not all of it opaque: there are lines to walk, and more than the
   * budget's (the default 3 a pixel), which the frame had to sample. */
  g_assert_cmpfloat (light, >, size / 4 / 100);
  g_assert_cmpfloat (specks, <, size / 4 / 4000);
  g_assert_cmpfloat (sum / (size / 4), <, 9.0);
}

/* An opaque coarse frame (the canvas's) paints the background itself:
 * the pixels of one blended over svyaz_render_background(), within a
 * unit of rounding, light or dark, whatever was under it. */
static void
test_coarse_opaque (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));

  hairball (g, nodes, edges);
  for (int dark = 0; dark < 2; dark++)
    {
      guint8 *bytes[2];
      double bg[3];
      gsize size = 0, drawn = 0;
      int stride = 0;

      for (int opaque = 0; opaque < 2; opaque++)
        {
          SvyazRenderOptions options = { .scale = 1, .coarse = TRUE, .dark = dark, .opaque = opaque, .threads = 1 };
          cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 800);
          cairo_t *cr = cairo_create (surface);

          if (opaque)
            cairo_set_source_rgb (cr, 1, 0, 0);
          else
            svyaz_render_background (cr, &options);
          cairo_paint (cr);
          svyaz_render_scene_part (cr, g, nodes, edges, &options);
          cairo_destroy (cr);
          cairo_surface_flush (surface);
          stride = cairo_image_surface_get_stride (surface);
          size = (gsize) stride * 800;
          bytes[opaque] = g_memdup2 (cairo_image_surface_get_data (surface), size);
          cairo_surface_destroy (surface);
          svyaz_render_background_rgb (&options, bg);
        }
      for (gsize i = 0; i < size; i += 4)
        {
          for (int c = 0; c < 3; c++)
            g_assert_cmpint (abs ((int) bytes[0][i + c] - (int) bytes[1][i + c]), <=, 1);
          drawn += bytes[1][i + 2] != (guint8) lround (bg[0] * 255);
        }
      /* Lines and dots over much of it, so the comparison says something. */
      g_assert_cmpuint (drawn, >, 1200 * 800 / 10);
      g_free (bytes[0]);
      g_free (bytes[1]);
    }
}

/* What a frame draws, and how: a view crossed by tens of thousands of
 * edges is coarse though it holds few nodes, and is given every edge; a
 * view of a few edges gets exactly those the index finds, drawn in
 * detail. */
static void
test_find_scene (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GArray) all_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) all_edges = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(SvyazSpatial) index = NULL;
  /* The whole hairball (600 nodes, 30,000 edges); a corner of its sparse
   * ring. */
  static const double views[2][4] = { { -200, -100, 1400, 900 }, { 1150, 200, 1300, 300 } };

  hairball (g, all_nodes, all_edges);
  index = svyaz_spatial_new (g);
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      const double *r = views[v];
      g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint));
      SvyazRenderOptions options = { .scale = 1 };

      svyaz_spatial_query (index, r[0], r[1], r[2], r[3], NULL, expected);
      svyaz_render_find_scene (index, r[0], r[1], r[2], r[3], nodes, &edges, &options);
      g_assert_true (options.lines == svyaz_spatial_edge_lines (index));
      g_assert_cmpuint (nodes->len, <=, SVYAZ_RENDER_COARSE_NODES);
      if (v == 0)
        {
          g_assert_cmpuint (expected->len, >, 4 * SVYAZ_RENDER_COARSE_EDGES);
          g_assert_true (options.coarse);
          g_assert_null (edges);
        }
      else
        {
          g_assert_cmpuint (expected->len, >, 0);
          g_assert_cmpuint (expected->len, <, SVYAZ_RENDER_COARSE_EDGES / 10);
          g_assert_false (options.coarse);
          g_assert_nonnull (edges);
          g_assert_cmpuint (edges->len, ==, expected->len);
          g_assert_true (memcmp (edges->data, expected->data, edges->len * sizeof (guint)) == 0);
        }
    }
}

/* Rows of column @x (in the surface's pixels) that are not white. */
static guint
marked_rows (cairo_surface_t *surface,
             int              x,
             int             *out_last)
{
  const guint8 *bytes = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint rows = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    if (bytes[(gsize) y * stride + 4 * x] < 250)
      {
        rows++;
        *out_last = y;
      }
  return rows;
}

/* On a display of scale factor 2, a coarse line is one of its pixels
 * wide, not one logical pixel stretched over two. */
static void
test_coarse_hidpi (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazGraph) g = svyaz_graph_new ();
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  guint rows[2];
  int last[2] = { -1, -1 };

  svyaz_graph_add_node (g, 1, "a", "person", NULL);
  svyaz_graph_add_node (g, 2, "b", "person", NULL);
  SVYAZ_NODE (g, 0)->x = 10, SVYAZ_NODE (g, 0)->y = 50;
  SVYAZ_NODE (g, 1)->x = 190, SVYAZ_NODE (g, 1)->y = 50;
  SVYAZ_NODE (g, 0)->width = SVYAZ_NODE (g, 0)->height = SVYAZ_NODE (g, 1)->width = SVYAZ_NODE (g, 1)->height = 6;
  svyaz_graph_add_relation (g, 0, 1, 1, "met_with", 1, FALSE);
  svyaz_graph_finish (g);
  svyaz_graph_route_straight (g, 0);
  g->laid_out = TRUE;
  for (guint i = 0; i < 2; i++)
    g_array_append_val (nodes, i);
  g_array_append_val (edges, (guint) { 0 });

  for (guint k = 0; k < 2; k++)
    {
      SvyazRenderOptions options = { .scale = 1, .coarse = TRUE, .pixel_scale = k == 0 ? 2 : 1 };
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 200);
      cairo_t *cr;

      cairo_surface_set_device_scale (surface, 2, 2);
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      svyaz_render_scene_part (cr, g, nodes, edges, &options);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      rows[k] = marked_rows (surface, 200, &last[k]);
      cairo_surface_destroy (surface);
    }
  g_assert_cmpuint (rows[0], ==, 1);
  g_assert_cmpint (last[0], ==, 100);  /* where y = 50 falls at scale 2 */
  /* Made at one logical pixel, the line is stretched over two or more. */
  g_assert_cmpuint (rows[1], >=, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/render/coarse-pixels", test_coarse_pixels);
  ADD ("/render/coarse-sampling", test_coarse_sampling);
  ADD ("/render/coarse-threads", test_coarse_threads);
  ADD ("/render/coarse-solid-tiles", test_coarse_solid_tiles);
  ADD ("/render/coarse-every-edge", test_coarse_every_edge);
  ADD ("/render/coarse-opaque", test_coarse_opaque);
  ADD ("/render/coarse-sampled-flank", test_coarse_sampled_flank);
  ADD ("/render/find-scene", test_find_scene);
  ADD ("/render/coarse-hidpi", test_coarse_hidpi);
  ADD ("/render/pixels-by-type", test_pixels_by_type);
  ADD ("/render/svg-export", test_svg_export);
  ADD ("/render/pdf-export", test_pdf_export);
  ADD ("/render/png-export", test_png_export);
  ADD ("/render/dot-and-graphml-export", test_dot_and_graphml_export);
  ADD ("/render/hostile-names", test_hostile_names);
  ADD ("/render/atomic-export", test_atomic_export);
  return g_test_run ();
}

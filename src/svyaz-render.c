/* svyaz-render.c: how a graph looks, drawn with cairo and Pango.
 *
 * Labels are measured here, before layout, with the same Pango settings
 * they are drawn with (72 dpi so a point is a scene unit, no hinting so a
 * width does not change with zoom or surface), and the node sizes that
 * Graphviz lays out are derived from them: what is laid out is what is
 * drawn. Node shape and colour come from the entity type, node size from
 * the degree (through the font size), and co-occurrence edges are dashed.
 */
#include "svyaz-config.h"
#include "svyaz-render.h"

#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "svyaz-prefetch.h"
#include "svyaz-text.h"

#define NODE_FONT        "Sans"
#define NODE_FONT_MIN    11.0
#define NODE_FONT_MAX    17.0
#define EDGE_FONT_SIZE   10.0
#define NODE_LABEL_MAX   200.0   /* longer names are ellipsized */
#define EDGE_LABEL_MAX   160.0
#define ARROW_LENGTH     10.0
#define ARROW_HALF_WIDTH 3.5
#define MIN_READABLE_PX  4.0     /* labels smaller than this on screen are skipped, by default */
#define LABEL_PX(options) ((options)->min_label_px > 0 ? (options)->min_label_px : MIN_READABLE_PX)

/* Colours from the Tableau 10 palette: distinct, and readable with dark
 * text on their tints. Shapes keep types apart for colour-blind users. */
static const SvyazTypeStyle type_styles[] = {
  { "person",       "ellipse",       0.306, 0.475, 0.655 },
  { "country",      "hexagon",       0.882, 0.341, 0.349 },
  { "city",         "octagon",       0.949, 0.557, 0.169 },
  { "company",      "box",           0.349, 0.631, 0.310 },
  { "organization", "trapezium",     0.690, 0.478, 0.631 },
  { "place",        "parallelogram", 0.612, 0.459, 0.373 },
  { "event",        "invtrapezium",  0.929, 0.788, 0.282 },
};
/* Types from elsewhere (import-tsv) get one of these by a hash of the name. */
static const SvyazTypeStyle other_styles[] = {
  { NULL, "box", 0.463, 0.718, 0.698 },
  { NULL, "box", 1.000, 0.616, 0.655 },
  { NULL, "box", 0.475, 0.439, 0.431 },
  { NULL, "box", 0.729, 0.690, 0.675 },
};

const SvyazTypeStyle *
svyaz_render_type_style (const char *type)
{
  if (type == NULL)
    return &other_styles[0];
  for (guint i = 0; i < G_N_ELEMENTS (type_styles); i++)
    if (strcmp (type_styles[i].type, type) == 0)
      return &type_styles[i];
  return &other_styles[g_str_hash (type) % G_N_ELEMENTS (other_styles)];
}

/* The node's fill: a tint of the type colour, so dark text stays readable. */
void
svyaz_render_fill_color (const SvyazTypeStyle *style,
                         gboolean              dark,
                         double               *r,
                         double               *g,
                         double               *b)
{
  double base = dark ? 0.15 : 1.0;
  double mix = dark ? 0.45 : 0.30;

  *r = base + (style->r - base) * mix;
  *g = base + (style->g - base) * mix;
  *b = base + (style->b - base) * mix;
}

/* Section: text */

typedef struct {
  cairo_t     *cr;
  PangoLayout *layout;
  PangoFontDescription *font;
} Painter;

static void
painter_init (Painter *p,
              cairo_t *cr)
{
  PangoContext *context = pango_cairo_create_context (cr);
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (context, options);
  pango_cairo_context_set_resolution (context, 72.0);
  pango_context_set_round_glyph_positions (context, FALSE);
  cairo_font_options_destroy (options);

  p->cr = cr;
  p->layout = pango_layout_new (context);
  p->font = pango_font_description_from_string (NODE_FONT);
  /* Long names wrap onto a second line, then are ellipsized; a newline
   * in a name is shown as a glyph, never as a third line. */
  pango_layout_set_ellipsize (p->layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_wrap (p->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (p->layout, -2);
  pango_layout_set_alignment (p->layout, PANGO_ALIGN_CENTER);
  pango_layout_set_single_paragraph_mode (p->layout, TRUE);
  g_object_unref (context);
}

static void
painter_clear (Painter *p)
{
  g_clear_object (&p->layout);
  g_clear_pointer (&p->font, pango_font_description_free);
}

static void
painter_set_text (Painter    *p,
                  const char *text,
                  double      size,
                  double      max_width,
                  gboolean    bold)
{
  pango_font_description_set_absolute_size (p->font, size * PANGO_SCALE);
  pango_font_description_set_weight (p->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (p->layout, p->font);
  pango_layout_set_width (p->layout, max_width > 0 ? (int) (max_width * PANGO_SCALE) : -1);
  pango_layout_set_text (p->layout, text, -1);
}

static void
painter_size (Painter *p,
              double  *w,
              double  *h)
{
  PangoRectangle logical;

  pango_layout_get_extents (p->layout, NULL, &logical);
  *w = (double) logical.width / PANGO_SCALE;
  *h = (double) logical.height / PANGO_SCALE;
}

/* Draws the current text centred on (x, y). */
static void
painter_show (Painter *p,
              double   x,
              double   y)
{
  PangoRectangle logical;

  /* With a wrap width the text is centred inside it: logical.x says where. */
  pango_layout_get_extents (p->layout, NULL, &logical);
  cairo_move_to (p->cr, x - (logical.x + logical.width / 2.0) / PANGO_SCALE,
                 y - (logical.y + logical.height / 2.0) / PANGO_SCALE);
  pango_cairo_show_layout (p->cr, p->layout);
}

static double
node_font_size (guint degree)
{
  return MIN (NODE_FONT_MAX, NODE_FONT_MIN + 1.4 * log2 (1.0 + degree));
}

/* How much wider and taller than its label a shape must be so the label
 * stays inside it. */
static void
shape_factors (const char *shape,
               double     *fx,
               double     *fy)
{
  *fx = 1.0;
  *fy = 1.0;
  if (strcmp (shape, "ellipse") == 0)
    *fx = *fy = 1.42;
  else if (strcmp (shape, "hexagon") == 0 || strcmp (shape, "octagon") == 0)
    *fx = 1.3, *fy = 1.25;
  else if (strcmp (shape, "parallelogram") == 0 || strstr (shape, "trapezium") != NULL)
    *fx = 1.35, *fy = 1.2;
}

/**
 * svyaz_render_measure:
 *
 * Sets every node's font size, label size and node size, and every edge's
 * label size, as they will be drawn.
 */
void
svyaz_render_measure (SvyazGraph *graph)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  Painter p;

  g_return_if_fail (graph != NULL);

  painter_init (&p, cr);
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode *n = SVYAZ_NODE (graph, i);
      const SvyazTypeStyle *style = svyaz_render_type_style (n->type);
      double fx, fy, pad;

      /* Sized by a measure (svyaz_analysis_apply()): from the smallest
       * readable size to twice the largest degree-based one. */
      n->font_size = n->weight >= 0 ? NODE_FONT_MIN + (2 * NODE_FONT_MAX - NODE_FONT_MIN) * n->weight
                                    : node_font_size (n->degree);
      painter_set_text (&p, n->name, n->font_size, NODE_LABEL_MAX, FALSE);
      painter_size (&p, &n->label_width, &n->label_height);
      shape_factors (style->shape, &fx, &fy);
      pad = n->font_size * 0.9;
      n->width = ceil (n->label_width * fx + pad);
      n->height = ceil (n->label_height * fy + pad * 0.6);
    }
  painter_clear (&p);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  svyaz_render_measure_edges (graph);
}

/**
 * svyaz_render_measure_edges:
 *
 * Sets every edge's label size. Labels repeat ("visited", "met_with ×3"),
 * so each distinct text is measured once.
 */
void
svyaz_render_measure_edges (SvyazGraph *graph)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Painter p;

  g_return_if_fail (graph != NULL);

  painter_init (&p, cr);
  for (guint i = 0; i < graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (graph, i);
      g_autofree char *text = NULL;
      double *size;

      if (e->cooccurrence)
        {
          e->label_width = e->label_height = 0;
          continue;
        }
      text = e->count > 1 ? g_strdup_printf ("%s ×%u", e->predicate, e->count)
                          : g_strdup (e->predicate);
      size = g_hash_table_lookup (sizes, text);
      if (size == NULL)
        {
          size = g_new (double, 2);
          painter_set_text (&p, text, EDGE_FONT_SIZE, EDGE_LABEL_MAX, FALSE);
          painter_size (&p, &size[0], &size[1]);
          g_hash_table_insert (sizes, g_steal_pointer (&text), size);
        }
      e->label_width = size[0] + 4;
      e->label_height = size[1];
    }
  painter_clear (&p);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Section: drawing */

static void
accent_color (cairo_t *cr,
              double   alpha)
{
  cairo_set_source_rgba (cr, 0.208, 0.518, 0.894, alpha);
}

static void
text_color (cairo_t                  *cr,
            const SvyazRenderOptions *options)
{
  if (options->dark)
    cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
  else
    cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
}

/**
 * svyaz_render_background_rgb:
 * @rgb: (out caller-allocates) (array fixed-size=3): red, green, blue
 *
 * The colour a graph is drawn on, light or dark: coarse frames blend
 * their lines over it.
 */
void
svyaz_render_background_rgb (const SvyazRenderOptions *options,
                             double                   *rgb)
{
  g_return_if_fail (options != NULL && rgb != NULL);

  rgb[0] = options->dark ? 0.14 : 0.98;
  rgb[1] = options->dark ? 0.14 : 0.98;
  rgb[2] = options->dark ? 0.14 : 0.976;
}

void
svyaz_render_background (cairo_t                  *cr,
                         const SvyazRenderOptions *options)
{
  double rgb[3];

  svyaz_render_background_rgb (options, rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_paint (cr);
}

static void
node_path (cairo_t         *cr,
           const SvyazNode *n,
           double           grow)
{
  if (n->n_vertices < 3)
    {
      cairo_save (cr);
      cairo_translate (cr, n->x, n->y);
      cairo_scale (cr, n->width / 2 + grow, n->height / 2 + grow);
      cairo_new_path (cr);
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
      cairo_restore (cr);
      return;
    }
  cairo_new_path (cr);
  for (guint k = 0; k < n->n_vertices; k++)
    {
      double vx = n->vertices[2 * k], vy = n->vertices[2 * k + 1];
      double len = hypot (vx, vy);
      double f = len > 0 ? (len + grow) / len : 1;

      cairo_line_to (cr, n->x + vx * f, n->y + vy * f);
    }
  cairo_close_path (cr);
}

/* Colours of groups (communities, components), from ColorBrewer's
 * "Paired" and "Dark2" sets: distinct, and readable under dark text once
 * tinted. Groups past the last share the last, grey: the small ones. */
static const SvyazTypeStyle group_styles[] = {
  { NULL, NULL, 0.12, 0.47, 0.71 }, { NULL, NULL, 0.89, 0.10, 0.11 }, { NULL, NULL, 0.20, 0.63, 0.17 },
  { NULL, NULL, 1.00, 0.50, 0.00 }, { NULL, NULL, 0.42, 0.24, 0.60 }, { NULL, NULL, 0.69, 0.35, 0.16 },
  { NULL, NULL, 0.91, 0.16, 0.54 }, { NULL, NULL, 0.40, 0.65, 0.12 }, { NULL, NULL, 0.90, 0.67, 0.01 },
  { NULL, NULL, 0.11, 0.62, 0.47 }, { NULL, NULL, 0.46, 0.44, 0.70 }, { NULL, NULL, 0.55, 0.55, 0.55 },
};

/* Legend swatches when colours mean groups: the shape alone. */
static const SvyazTypeStyle neutral_style = { NULL, "box", 0.55, 0.55, 0.55 };

/* The node's colours: its type's, or its group's when it has one. */
static const SvyazTypeStyle *
node_colors (const SvyazNode *n)
{
  if (n->group < 0)
    return svyaz_render_type_style (n->type);
  return &group_styles[MIN ((guint) n->group, G_N_ELEMENTS (group_styles) - 1)];
}

static void
draw_node (Painter                  *p,
           const SvyazNode          *n,
           SvyazDrawState            state,
           const SvyazRenderOptions *options)
{
  cairo_t *cr = p->cr;
  const SvyazTypeStyle *style = node_colors (n);
  double r, g, b;

  if (options->coarse && state == SVYAZ_DRAW_NORMAL)
    {
      /* A dot of the type's colour, at least 3 pixels across. */
      double radius = MAX (MIN (n->width, n->height) / 2, 1.5 / MAX (options->scale, 1e-6));

      cairo_new_path (cr);
      cairo_arc (cr, n->x, n->y, radius, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, style->r, style->g, style->b);
      cairo_fill (cr);
      return;
    }

  if (state == SVYAZ_DRAW_SELECTED)
    {
      node_path (cr, n, 4);
      accent_color (cr, 0.35);
      cairo_set_line_width (cr, 5);
      cairo_stroke (cr);
    }
  node_path (cr, n, 0);
  svyaz_render_fill_color (style, options->dark, &r, &g, &b);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_fill_preserve (cr);
  if (state == SVYAZ_DRAW_NORMAL)
    {
      cairo_set_source_rgb (cr, style->r * 0.8, style->g * 0.8, style->b * 0.8);
      cairo_set_line_width (cr, 1.5);
    }
  else
    {
      accent_color (cr, 1);
      cairo_set_line_width (cr, 2.5);
    }
  cairo_stroke (cr);

  if (n->font_size * options->scale >= LABEL_PX (options) && (!options->coarse || state != SVYAZ_DRAW_NORMAL))
    {
      painter_set_text (p, n->name, n->font_size, NODE_LABEL_MAX, state != SVYAZ_DRAW_NORMAL);
      text_color (cr, options);
      painter_show (p, n->x, n->y);
    }
}

static void
draw_arrow (cairo_t         *cr,
            const SvyazEdge *e)
{
  double bx = e->points[2 * (e->n_points - 1)], by = e->points[2 * (e->n_points - 1) + 1];
  double dx = e->arrow_x - bx, dy = e->arrow_y - by;
  double len = hypot (dx, dy);
  double nx, ny;

  if (len < 1e-6)
    return;
  nx = -dy / len * ARROW_HALF_WIDTH * MAX (1.0, len / ARROW_LENGTH);
  ny = dx / len * ARROW_HALF_WIDTH * MAX (1.0, len / ARROW_LENGTH);
  cairo_new_path (cr);
  cairo_move_to (cr, e->arrow_x, e->arrow_y);
  cairo_line_to (cr, bx + nx, by + ny);
  cairo_line_to (cr, bx - nx, by - ny);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_edge (Painter                  *p,
           const SvyazEdge          *e,
           SvyazDrawState            state,
           const SvyazRenderOptions *options)
{
  cairo_t *cr = p->cr;
  double width = 1.0 + 0.6 * log2 (e->count);
  double grey = options->dark ? 0.7 : 0.33;

  if (e->n_points < 4)
    return;

  if (options->coarse && state == SVYAZ_DRAW_NORMAL)
    {
      /* One device pixel, end to end: at this distance detail is noise. */
      cairo_move_to (cr, e->points[0], e->points[1]);
      cairo_line_to (cr, e->arrow ? e->arrow_x : e->points[2 * e->n_points - 2],
                     e->arrow ? e->arrow_y : e->points[2 * e->n_points - 1]);
      cairo_set_source_rgba (cr, grey, grey, grey, e->cooccurrence ? 0.15 : 0.3);
      cairo_set_line_width (cr, 1.0 / MAX (options->scale, 1e-6));
      cairo_stroke (cr);
      return;
    }

  cairo_new_path (cr);
  cairo_move_to (cr, e->points[0], e->points[1]);
  for (guint k = 1; k + 2 < e->n_points; k += 3)
    cairo_curve_to (cr, e->points[2 * k], e->points[2 * k + 1],
                    e->points[2 * k + 2], e->points[2 * k + 3],
                    e->points[2 * k + 4], e->points[2 * k + 5]);
  if (e->arrow)
    cairo_line_to (cr, e->arrow_x, e->arrow_y);

  if (state != SVYAZ_DRAW_NORMAL)
    {
      accent_color (cr, 1);
      width += 1.5;
    }
  else if (e->cooccurrence)
    cairo_set_source_rgba (cr, grey, grey, grey, 0.55);
  else
    cairo_set_source_rgba (cr, grey, grey, grey, 0.9);

  if (e->cooccurrence)
    {
      static const double dashes[] = { 4, 3 };

      cairo_set_dash (cr, dashes, 2, 0);
      width *= 0.8;
    }
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (e->arrow)
    draw_arrow (cr, e);

  if (e->label_visible && EDGE_FONT_SIZE * options->scale >= LABEL_PX (options))
    {
      g_autofree char *text = e->count > 1 ? g_strdup_printf ("%s ×%u", e->predicate, e->count)
                                           : g_strdup (e->predicate);

      /* A backdrop keeps the label readable where it crosses a line. */
      cairo_rectangle (cr, e->label_x - e->label_width / 2, e->label_y - e->label_height / 2,
                       e->label_width, e->label_height);
      if (options->dark)
        cairo_set_source_rgba (cr, 0.14, 0.14, 0.14, 0.85);
      else
        cairo_set_source_rgba (cr, 0.98, 0.98, 0.976, 0.85);
      cairo_fill (cr);
      painter_set_text (p, text, EDGE_FONT_SIZE, EDGE_LABEL_MAX, FALSE);
      if (state != SVYAZ_DRAW_NORMAL)
        accent_color (cr, 1);
      else if (options->dark)
        cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
      else
        cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      painter_show (p, e->label_x, e->label_y);
    }
}

static int
compare_uints (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/**
 * svyaz_render_scene:
 *
 * Draws every edge, then every node, in scene units: the caller sets the
 * transform from scene to device.
 */
void
svyaz_render_scene (cairo_t                  *cr,
                    const SvyazGraph         *graph,
                    const SvyazRenderOptions *options)
{
  Painter p;

  g_return_if_fail (cr != NULL && graph != NULL && options != NULL);

  painter_init (&p, cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < graph->edges->len; i++)
    draw_edge (&p, &g_array_index (graph->edges, SvyazEdge, i), SVYAZ_DRAW_NORMAL, options);
  for (guint i = 0; i < graph->nodes->len; i++)
    draw_node (&p, &g_array_index (graph->nodes, SvyazNode, i), SVYAZ_DRAW_NORMAL, options);
  painter_clear (&p);
}

/* Section: coarse drawing */

/* Side of the square tiles a coarse frame is cut in for painting its
 * densest parts opaque without walking their lines (see draw_coarse()). */
#define TILE 32

typedef struct {
  int           width, height;
  guint8       *counts;    /* [y * width + x] */
  const guint8 *solid;     /* NULL, or per tile (row-major, tiles_w a row): 0, or painted
                            * opaque and so is every tile within reach - 1 of it */
  const guint  *open;      /* with solid: the tiles not painted opaque above and left of
                            * each tile corner, (tiles_w + 1) a row */
  int           tiles_w;
} Coverage;

/* The part of the line from (fx0, fy0) to (fx1, fy1) inside a @width ×
 * @height image, as pixel ends in @out (Liang-Barsky clipping); FALSE
 * when none is. Both axes at once and without a branch: a zoomed view's
 * lines cross the image or miss it about equally, past any predicting,
 * and branches, divisions and floor() made clipping 30 ns a line, more
 * than walking one across opaque tiles (9 ns now). A line along an axis
 * gets an infinite reciprocal there, and its borders' parameters are then
 * infinite, of the signs that keep or drop it whole; the left and top
 * borders lie a hair outside the image so that a line on them is not
 * 0 · ∞. Truncating, once clamped, floors. */
static inline gboolean
clip_line (int     width,
           int     height,
           double  fx0,
           double  fy0,
           double  fx1,
           double  fy1,
           int    *out)
{
#ifdef __SSE2__
  __m128d p0 = _mm_set_pd (fy0, fx0), d = _mm_sub_pd (_mm_set_pd (fy1, fx1), p0);
  __m128d inv = _mm_div_pd (_mm_set1_pd (1), d);
  __m128d a = _mm_mul_pd (_mm_sub_pd (_mm_set1_pd (-1e-7), p0), inv);
  __m128d b = _mm_mul_pd (_mm_sub_pd (_mm_set_pd (height - 1e-6, width - 1e-6), p0), inv);
  __m128d lo = _mm_min_pd (a, b), hi = _mm_max_pd (a, b), zero = _mm_setzero_pd ();
  __m128d t0 = _mm_max_sd (_mm_max_sd (lo, _mm_unpackhi_pd (lo, lo)), zero);
  __m128d t1 = _mm_min_sd (_mm_min_sd (hi, _mm_unpackhi_pd (hi, hi)), _mm_set_sd (1));
  __m128d last = _mm_set_pd (height - 1, width - 1);
  __m128d e0 = _mm_max_pd (_mm_min_pd (_mm_add_pd (p0, _mm_mul_pd (_mm_unpacklo_pd (t0, t0), d)), last), zero);
  __m128d e1 = _mm_max_pd (_mm_min_pd (_mm_add_pd (p0, _mm_mul_pd (_mm_unpacklo_pd (t1, t1), d)), last), zero);

  _mm_storel_epi64 ((__m128i *) (void *) out, _mm_cvttpd_epi32 (e0));
  _mm_storel_epi64 ((__m128i *) (void *) (out + 2), _mm_cvttpd_epi32 (e1));
  return _mm_comile_sd (t0, t1);
#else
  double ddx = fx1 - fx0, ddy = fy1 - fy0, ix = 1 / ddx, iy = 1 / ddy;
  double ax = (-1e-7 - fx0) * ix, bx = (width - 1e-6 - fx0) * ix;
  double ay = (-1e-7 - fy0) * iy, by = (height - 1e-6 - fy0) * iy;
  double t0 = MAX (MAX (MIN (ax, bx), MIN (ay, by)), 0), t1 = MIN (MIN (MAX (ax, bx), MAX (ay, by)), 1);

  out[0] = (int) CLAMP (fx0 + t0 * ddx, 0, width - 1);
  out[1] = (int) CLAMP (fy0 + t0 * ddy, 0, height - 1);
  out[2] = (int) CLAMP (fx0 + t1 * ddx, 0, width - 1);
  out[3] = (int) CLAMP (fy0 + t1 * ddy, 0, height - 1);
  return t0 <= t1;
#endif
}

/* How many steps along the major axis from @m, going @dm, stay in its
 * tile. */
static inline int
steps_in_tile (int m,
               int dm)
{
  return dm > 0 ? TILE - m % TILE : m % TILE + 1;
}


/* @n steps of a line from @along, a step @major on, the other axis at
 * @b + step · @slope in 32.32 fixed point, a pixel @minor on: @weight
 * added to each pixel's coverage. */
static inline void
walk_steps (guint8    *along,
            ptrdiff_t  major,
            ptrdiff_t  minor,
            gint64     b,
            gint64     slope,
            int        n,
            guint      weight)
{
  for (int i = 0; i < n; i++, along += major, b += slope)
    {
      guint8 *c = along + (b >> 32) * minor;

      *c = MIN (*c + weight, 255u);
    }
}

/* A one-pixel line from (x0, y0) to (x1, y1), in pixels, clipped to the
 * image, adding @weight to the coverage of each pixel once. */
static void
raster_line (Coverage *coverage,
             double    fx0,
             double    fy0,
             double    fx1,
             double    fy1,
             guint     weight)
{
  int width = coverage->width, ends[4];
  int x0, y0, x1, y1, n, m, dm;
  ptrdiff_t major, minor;
  guint8 *along;
  gint64 slope, b, abs_slope;
  double inverse;
  gboolean x_major;

  if (!clip_line (width, coverage->height, fx0, fy0, fx1, fy1, ends))
    return;
  x0 = ends[0], y0 = ends[1], x1 = ends[2], y1 = ends[3];
  /* No tile that is not opaque in the line's box of tiles: the line
   * lies in opaque tiles only and is done (most of a view into a
   * hairball's centre, where this test is all a line costs). */
  if (coverage->solid != NULL)
    {
      int tw = coverage->tiles_w + 1;
      int ta = MIN (x0, x1) / TILE, tb = MAX (x0, x1) / TILE + 1, ua = MIN (y0, y1) / TILE, ub = MAX (y0, y1) / TILE + 1;
      const guint *open = coverage->open;

      if (open[ub * tw + tb] - open[ua * tw + tb] - open[ub * tw + ta] + open[ua * tw + ta] == 0)
        return;
    }
  x_major = abs (x1 - x0) >= abs (y1 - y0);
  /* Along the longer axis a pixel a step, the other in 32.32 fixed point
   * rounded to the nearest: no branch a step, where Bresenham's error
   * term mispredicted about every other one. */
  if (x_major)
    {
      n = abs (x1 - x0);
      major = x1 >= x0 ? 1 : -1;
      minor = width;
      slope = n > 0 ? (gint64) ((guint64) (gint64) (y1 - y0) << 32) / n : 0;
      along = coverage->counts + x0;
      b = (gint64) ((guint64) (gint64) y0 << 32) + ((gint64) 1 << 31);
    }
  else
    {
      n = abs (y1 - y0);
      major = y1 >= y0 ? width : -width;
      minor = 1;
      slope = n > 0 ? (gint64) ((guint64) (gint64) (x1 - x0) << 32) / n : 0;
      along = coverage->counts + (gsize) y0 * width;
      b = (gint64) ((guint64) (gint64) x0 << 32) + ((gint64) 1 << 31);
    }
  if (coverage->solid == NULL)
    {
      walk_steps (along, major, minor, b, slope, n + 1, weight);
      return;
    }

  /* Where the line is in an opaque tile, it jumps to where it leaves
   * the square of tiles around that one that are all opaque (the tile's
   * reach says how far it goes): a line across a hairball's opaque
   * centre takes a few jumps rather than a step a tile. Elsewhere it
   * walks a tile's worth of steps, as above. */
  m = x_major ? x0 : y0;
  dm = (x_major ? x1 >= x0 : y1 >= y0) ? 1 : -1;
  abs_slope = slope < 0 ? -slope : slope;
  inverse = abs_slope > 0 ? 1.0 / (double) abs_slope : 0;
  for (int i = 0; i <= n; )
    {
      int mt = m / TILE, nt = (int) (b >> 32) / TILE, len;
      guint reach = x_major ? coverage->solid[nt * coverage->tiles_w + mt] : coverage->solid[mt * coverage->tiles_w + nt];

      if (reach > 0)
        {
          gint64 lo = (gint64) (nt - (int) reach + 1) * TILE, hi = (gint64) (nt + (int) reach) * TILE - 1;
          gint64 room = dm > 0 ? (gint64) (mt + (int) reach) * TILE - 1 - m : m - (gint64) (mt - (int) reach + 1) * TILE;

          g_assert (room >= 0);
          if (slope != 0)
            {
              /* The steps before the other axis leaves the square: a
               * division, by a multiplication near enough to be put right
               * in a step or two (a division took a tenth of a frame). */
              gint64 num = slope > 0 ? (hi + 1) * ((gint64) 1 << 32) - 1 - b : b - lo * ((gint64) 1 << 32);
              gint64 k = (gint64) ((double) num * inverse);

              if (k <= room)
                {
                  while (k > 0 && k * abs_slope > num)
                    k--;
                  while (k < room && (k + 1) * abs_slope <= num)
                    k++;
                  room = k;
                }
            }
          len = (int) MIN (room + 1, (gint64) (n - i + 1));
        }
      else
        {
          len = MIN (steps_in_tile (m, dm), n - i + 1);
          walk_steps (along, major, minor, b, slope, len, weight);
        }
      along += len * major;
      b += (gint64) len * slope;
      m += len * dm;
      i += len;
    }
}

/* How many line pixels a coarse frame walks at most, per pixel of the
 * frame: a whole 20,000-node graph seen at once is 19 million line pixels
 * in a 1-megapixel view, each pixel crossed 19 times on average. Past
 * this budget one edge in k is drawn, each as opaque as k would be (k
 * times a line's opacity): a pixel crossed by n lines then has, on
 * average over the sample, exactly the colour all n would give it. That
 * holds while k times a line's opacity is at most 1, so k stays at most
 * MAX_SAMPLING and the budget grows rather than the picture lightening. */
#define COARSE_CROSSINGS 3
#define MAX_SAMPLING 6

/* A coverage unit is a co-occurrence line's opacity; a typed line counts
 * two. Lines of one colour blend alike in any order, so a pixel's colour
 * depends only on how many cross it: counted in a byte per pixel, which
 * stays in cache where blending into 32-bit pixels did not. */
#define COVERAGE_ALPHA (38.0 / 255)

/* See solid_tiles(). */
#define SOLID_MARGIN 2
#define SOLID_MIN_MARGIN 0.5
#define SOLID_MIN_CROSSINGS 4

/* The coarse image's lines: the table of the graph's edges as lines,
 * the edges drawn (NULL: all), and where the image lies. The matrix is
 * read once per frame, a call into cairo per point cost a tenth of a
 * frame. */
typedef struct {
  const SvyazEdgeLines *lines;
  GArray               *edges;
  cairo_matrix_t        matrix;
  double                dx0, dy0;
  float                 view[4];   /* the image in graph units, a little wider: x0, y0, x1, y1 */
} LineSource;

static inline guint
source_edge (const LineSource *source,
             guint             i)
{
  return source->edges ? g_array_index (source->edges, guint, i) : i;
}

/* Whether the @i-th edge's box meets the image's: a frame zoomed into a
 * hairball's flank is given all its 400,000 lines, of which 38,000 cross
 * it, and the others are then let go after a few instructions on the
 * floats as they lie, before placing and clipping them in pixels. */
static inline gboolean
line_near (const LineSource *source,
           guint             i)
{
  const float *l = &source->lines->ends[4 * (gsize) source_edge (source, i)];
#ifdef __SSE2__
  __m128 v = _mm_loadu_ps (l), swapped = _mm_movehl_ps (v, v);
  __m128 lo = _mm_min_ps (v, swapped), hi = _mm_max_ps (v, swapped);
  __m128 view = _mm_loadu_ps (source->view);

  /* Lanes 0 and 1: x and y; the box misses the view when its low end
   * lies past the view's high one or its high end before the low one. */
  return (_mm_movemask_ps (_mm_or_ps (_mm_cmpgt_ps (lo, _mm_movehl_ps (view, view)),
                                      _mm_cmplt_ps (hi, view))) & 3) == 0;
#else
  return MIN (l[0], l[2]) <= source->view[2] && MAX (l[0], l[2]) >= source->view[0] &&
         MIN (l[1], l[3]) <= source->view[3] && MAX (l[1], l[3]) >= source->view[1];
#endif
}

/* The @i-th edge drawn as a line in pixels of the coarse image, and its
 * coverage units; FALSE when it has no path. */
static inline gboolean
line_ends (const LineSource *source,
           guint             i,
           double           *out,
           guint            *weight)
{
  const cairo_matrix_t *m = &source->matrix;
  guint edge = source_edge (source, i);
  const float *l = &source->lines->ends[4 * (gsize) edge];

  *weight = source->lines->kinds[edge];
  if (*weight == 0)
    return FALSE;
  out[0] = m->xx * l[0] + m->xy * l[1] + m->x0 - source->dx0;
  out[1] = m->yx * l[0] + m->yy * l[1] + m->y0 - source->dy0;
  out[2] = m->xx * l[2] + m->xy * l[3] + m->x0 - source->dx0;
  out[3] = m->yx * l[2] + m->yy * l[3] + m->y0 - source->dy0;
  return TRUE;
}

/* Lines a core takes at a time from a coarse frame's: enough that
 * taking them costs nothing, few enough that the cores finish together. */
#define RASTER_CHUNK 1024

/* to[i] = MIN (to[i] + add[i], 255), eight bytes at a time: the sum's
 * low seven bits of each byte, its top bit, and where a byte overflowed
 * (both tops set, or one set and the sum's clear) all of it set. */
static void
add_saturating (guint8       *to,
                const guint8 *add,
                gsize         size)
{
  const guint64 low = G_GUINT64_CONSTANT (0x7f7f7f7f7f7f7f7f), high = ~low;
  gsize i = 0;

  for (; i + 8 <= size; i += 8)
    {
      guint64 a, b, sum, over;

      memcpy (&a, to + i, 8);
      memcpy (&b, add + i, 8);
      sum = ((a & low) + (b & low)) ^ ((a ^ b) & high);
      over = ((a & b) | ((a | b) & ~sum)) & high;
      sum |= (over >> 7) * 0xff;
      memcpy (to + i, &sum, 8);
    }
  for (; i < size; i++)
    to[i] = (guint8) MIN (to[i] + add[i], 255);
}

/* The counts to colour: each core's counts summed, tiles painted
 * opaque where the frame has any, and each pixel's colour looked up. */
typedef struct {
  guint8        *counts[4];
  guint          n_counts;
  int            width;
  const guint8  *solid;      /* NULL, or as Coverage.solid */
  int            tiles_w;
  const guint32 *lut;        /* a colour for each count */
  guint32       *pixels;
  int            stride;     /* in pixels */
} Resolve;

static void
resolve_rows (const Resolve *r,
              int            y0,
              int            y1)
{
  /* Read once: the rows written might, for the compiler, be the table. */
  const guint32 opaque = r->lut[255];

  for (int y = y0; y < y1; y++)
    {
      guint8 *counts = r->counts[0] + (gsize) y * r->width;
      guint32 *row = r->pixels + (gsize) y * r->stride;
      const guint8 *solid = r->solid ? r->solid + (gsize) (y / TILE) * r->tiles_w : NULL;

      for (guint s = 1; s < r->n_counts; s++)
        add_saturating (counts, r->counts[s] + (gsize) y * r->width, r->width);
      for (int x0 = 0; x0 < r->width; x0 += TILE)
        {
          int x1 = MIN (x0 + TILE, r->width);

          if (solid != NULL && solid[x0 / TILE])
            for (int x = x0; x < x1; x++)
              row[x] = opaque;
          else
            for (int x = x0; x < x1; x++)
              row[x] = r->lut[counts[x]];
        }
    }
}

/* Waits until @n threads have called it. */
typedef struct {
  GMutex lock;
  GCond  cond;
  guint  arrived, n;
} Barrier;

static void
barrier_wait (Barrier *barrier)
{
  g_mutex_lock (&barrier->lock);
  if (++barrier->arrived == barrier->n)
    g_cond_broadcast (&barrier->cond);
  while (barrier->arrived < barrier->n)
    g_cond_wait (&barrier->cond, &barrier->lock);
  g_mutex_unlock (&barrier->lock);
}

/* One core's part of a coarse frame's lines, rasterized into its own
 * counts: it takes every @every-th line, RASTER_CHUNK of them at a time,
 * from where the cores have got to (@next), so that a core that runs
 * slower (the second one's 4.5 ms against the first's 3 in a zoom at
 * 65,000 nodes, even with the lines dealt out alike) takes fewer. Once
 * every core is done, it colours its rows of the image (@row0 to @row1):
 * summing the counts and looking up a million colours had taken 1.2 ms
 * on one core after the others had stopped. */
typedef struct {
  const LineSource *source;
  guint             end, every;
  gint             *next;
  Coverage          coverage;
  Barrier          *done;
  const Resolve    *resolve;
  int               row0, row1;
} RasterShare;

static gpointer
rasterize_share (gpointer data)
{
  RasterShare *share = data;
  const LineSource *source = share->source;
  guint every = share->every;

  while (TRUE)
    {
      guint64 first = (guint64) (guint) g_atomic_int_add (share->next, 1) * RASTER_CHUNK * every;
      guint end = (guint) MIN (first + (guint64) RASTER_CHUNK * every, share->end);

      if (first >= share->end)
        break;
      for (guint i = (guint) first; i < end; i += every)
        {
          double ends[4];
          guint weight;

          /* A view's edges skip through the table: the lines a few turns
           * ahead are fetched while this one is walked. */
          if (i + 8 * every < end)
            {
              guint ahead = source_edge (source, i + 8 * every);

              SVYAZ_PREFETCH (&source->lines->ends[4 * (gsize) ahead]);
              SVYAZ_PREFETCH (&source->lines->kinds[ahead]);
            }
          if (line_near (source, i) && line_ends (source, i, ends, &weight))
            raster_line (&share->coverage, ends[0], ends[1], ends[2], ends[3], weight);
        }
    }
  barrier_wait (share->done);
  resolve_rows (share->resolve, share->row0, share->row1);
  return NULL;
}

/* Past this many line pixels, a frame's lines are shared among the
 * cores, each counting into its own buffer, summed after: counts add up
 * alike in any order, so the pixels are those of one core's drawing. */
#define PARALLEL_LINE_PIXELS 1000000
/* What reading, placing and clipping a line costs, in walked pixels: a
 * view into a hairball's centre walks few pixels of its 200,000 lines. */
#define LINE_PIXELS_A_LINE 20

/* Rasterizes every @every-th of @n_lines lines (none when @n_lines is
 * 0) into @coverage and colours @resolve's pixels from it. */
static void
rasterize_edges (const LineSource     *source,
                 guint                 n_lines,
                 guint                 every,
                 double                line_pixels,
                 guint                 threads,
                 Coverage             *coverage,
                 Resolve              *resolve)
{
  gsize size = (gsize) coverage->width * coverage->height;
  /* A frame whose lines one core walks is coloured by that core too:
   * colouring alone gained nothing from a second one, writing the image
   * being bound by memory (a view into a hairball's centre, all of it
   * painted: 3.2 ms a frame on one core, 3.9 on two). */
  guint n_shares = line_pixels + n_lines * LINE_PIXELS_A_LINE / every < PARALLEL_LINE_PIXELS ? 1 :
                   CLAMP (threads > 0 ? threads : g_get_num_processors (), 1, 4);
  RasterShare shares[4];
  GThread *workers[4] = { NULL };
  Barrier done = { .n = n_shares };
  gint next = 0;

  g_mutex_init (&done.lock);
  g_cond_init (&done.cond);
  resolve->counts[0] = coverage->counts;
  resolve->n_counts = n_shares;
  for (guint s = 1; s < n_shares; s++)
    resolve->counts[s] = g_new0 (guint8, size);
  for (guint s = 0; s < n_shares; s++)
    {
      shares[s] = (RasterShare) {
        source, n_lines, every, &next,
        { coverage->width, coverage->height, resolve->counts[s],
          coverage->solid, coverage->open, coverage->tiles_w },
        &done, resolve,
        (int) ((gint64) coverage->height * s / n_shares), (int) ((gint64) coverage->height * (s + 1) / n_shares),
      };
      if (s > 0)
        workers[s] = g_thread_new ("svyaz-raster", rasterize_share, &shares[s]);
    }
  rasterize_share (&shares[0]);
  /* Every core reads every core's counts for its rows. */
  for (guint s = 1; s < n_shares; s++)
    g_thread_join (workers[s]);
  for (guint s = 1; s < n_shares; s++)
    g_free (resolve->counts[s]);
  g_mutex_clear (&done.lock);
  g_cond_clear (&done.cond);
}

/* Adds a clipped line's coverage units to the tiles it crosses, a
 * tile's worth of steps at a time, as raster_line() walks it. */
static void
add_tile_units (double    *units,
                int        tiles_w,
                const int *ends,
                double     weight)
{
  gboolean x_major = abs (ends[2] - ends[0]) >= abs (ends[3] - ends[1]);
  int n = x_major ? abs (ends[2] - ends[0]) : abs (ends[3] - ends[1]);
  int m = x_major ? ends[0] : ends[1], dm = (x_major ? ends[2] >= ends[0] : ends[3] >= ends[1]) ? 1 : -1;
  double minor = x_major ? ends[1] : ends[0];
  double slope = n > 0 ? (double) (x_major ? ends[3] - ends[1] : ends[2] - ends[0]) / n : 0;

  for (int i = 0; i <= n; )
    {
      int len = MIN (steps_in_tile (m, dm), n - i + 1);
      int mt = m / TILE, at = (int) (minor + slope * (len - 1) / 2 + 0.5) / TILE;

      units[x_major ? at * tiles_w + mt : mt * tiles_w + at] += weight * len;
      minor += slope * len;
      m += len * dm;
      i += len;
    }
}

/* Turns 1 for each opaque tile into its reach: its chessboard distance
 * to the nearest tile that is not (at most 255), past the image's border
 * counting as opaque, since no clipped line goes there. Two passes, each
 * taking the smallest of the neighbours seen already plus one. */
static void
tile_reach (guint8 *tiles,
            int     tiles_w,
            int     tiles_h)
{
  for (int t = 0; t < tiles_w * tiles_h; t++)
    tiles[t] = tiles[t] ? 255 : 0;
  for (int pass = 0; pass < 2; pass++)
    {
      int step = pass == 0 ? 1 : -1;

      for (int ty = pass == 0 ? 0 : tiles_h - 1; ty >= 0 && ty < tiles_h; ty += step)
        for (int tx = pass == 0 ? 0 : tiles_w - 1; tx >= 0 && tx < tiles_w; tx += step)
          {
            guint8 *t = &tiles[ty * tiles_w + tx];
            int best = *t;

            /* The neighbour before in the row, and the three in the row
             * before: those this pass has settled. */
            if (tx - step >= 0 && tx - step < tiles_w)
              best = MIN (best, tiles[ty * tiles_w + tx - step] + 1);
            for (int dx = -1; dx <= 1 && ty - step >= 0 && ty - step < tiles_h; dx++)
              if (tx + dx >= 0 && tx + dx < tiles_w)
                best = MIN (best, tiles[(ty - step) * tiles_w + tx + dx] + 1);
            *t = (guint8) best;
          }
    }
}

/* Coverage.open: how many tiles are not opaque above and left of each
 * corner of the tiles (a summed-area table), so that a box of tiles is
 * known to be all opaque from four numbers. */
static guint *
open_tiles (const guint8 *solid,
            int           tiles_w,
            int           tiles_h)
{
  int tw = tiles_w + 1;
  guint *open = g_new0 (guint, (gsize) tw * (tiles_h + 1));

  for (int ty = 0; ty < tiles_h; ty++)
    for (int tx = 0; tx < tiles_w; tx++)
      open[(ty + 1) * tw + tx + 1] = (solid[ty * tiles_w + tx] == 0) + open[ty * tw + tx + 1] +
                                     open[(ty + 1) * tw + tx] - open[ty * tw + tx];
  return open;
}

/* The tiles to paint opaque without walking their lines: those whose
 * pixels would, on average, take @margin times the units that make a
 * pixel opaque, and whose neighbours' would too (at the edge of the
 * graph, a tile's average may hide an empty part). Their lines are
 * walked only where they leave such tiles; a zoomed view into a
 * hairball's centre, 236 lines to a pixel, is then mostly painted rather
 * than drawn. *out_share is the opaque tiles' share of all the units.
 * Returns NULL when no tile is opaque. */
static guint8 *
solid_tiles (const double *units,
             int           width,
             int           height,
             int           tiles_w,
             int           tiles_h,
             double        margin,
             double       *out_share)
{
  /* Units after which a pixel's colour rounds to opaque, whatever the
   * sampling (the k sampled units of opacity k·a reach it no later in
   * expectation than k·n units of a). */
  double opaque = ceil (log (2 * 255.0) / -log (1 - COVERAGE_ALPHA));
  double threshold = margin * opaque * TILE * TILE, all = 0, solid_units = 0;
  guint8 *solid = g_new0 (guint8, (gsize) tiles_w * tiles_h);
  gboolean any = FALSE;

  /* Each tile's units as a whole tile's: the last column and row are
   * cut by the image's border, often to a pixel or two, and would leave
   * every line walking in and out of them. */
  g_autofree double *density = g_new (double, (gsize) tiles_w * tiles_h);

  for (int ty = 0; ty < tiles_h; ty++)
    for (int tx = 0; tx < tiles_w; tx++)
      {
        /* A cut tile shares its neighbour's count: a pixel or two of a
         * sample of the lines makes too few units to judge. */
        int tx0 = tx + 1 == tiles_w && tx > 0 && width % TILE != 0 ? tx - 1 : tx;
        int ty0 = ty + 1 == tiles_h && ty > 0 && height % TILE != 0 ? ty - 1 : ty;
        double u = 0;

        for (int y = ty0; y <= ty; y++)
          for (int x = tx0; x <= tx; x++)
            u += units[y * tiles_w + x];
        density[ty * tiles_w + tx] = u * TILE * TILE /
                                     ((MIN ((tx + 1) * TILE, width) - tx0 * TILE) *
                                      (MIN ((ty + 1) * TILE, height) - ty0 * TILE));
      }
  for (int ty = 0; ty < tiles_h; ty++)
    for (int tx = 0; tx < tiles_w; tx++)
      {
        double u = units[ty * tiles_w + tx];

        all += u;
        if (density[ty * tiles_w + tx] < threshold ||
            (tx > 0 && density[ty * tiles_w + tx - 1] < threshold) ||
            (tx + 1 < tiles_w && density[ty * tiles_w + tx + 1] < threshold) ||
            (ty > 0 && density[(ty - 1) * tiles_w + tx] < threshold) ||
            (ty + 1 < tiles_h && density[(ty + 1) * tiles_w + tx] < threshold))
          continue;
        solid[ty * tiles_w + tx] = 1;
        solid_units += u;
        any = TRUE;
      }
  *out_share = all > 0 ? solid_units / all : 0;
  if (!any)
    g_clear_pointer (&solid, g_free);
  else
    tile_reach (solid, tiles_w, tiles_h);
  return solid;
}

/* Ties the coarse image's pixels, allocated here, to its surface. */
static const cairo_user_data_key_t image_data_key;

/* @view: receives the box, in graph units, of a @width × @height image
 * at (@dx0, @dy0) in device pixels under @matrix, two pixels wider each
 * way than the image (a line's float ends need not round alike both
 * ways); left as it is when the matrix cannot be inverted. */
static void
view_in_graph (const cairo_matrix_t *matrix,
               double                dx0,
               double                dy0,
               int                   width,
               int                   height,
               float                *view)
{
  cairo_matrix_t inverse = *matrix;
  double lo[2] = { G_MAXDOUBLE, G_MAXDOUBLE }, hi[2] = { -G_MAXDOUBLE, -G_MAXDOUBLE };

  if (cairo_matrix_invert (&inverse) != CAIRO_STATUS_SUCCESS)
    return;
  for (int corner = 0; corner < 4; corner++)
    {
      double x = dx0 + (corner & 1 ? width + 2 : -2), y = dy0 + (corner & 2 ? height + 2 : -2);

      cairo_matrix_transform_point (&inverse, &x, &y);
      lo[0] = MIN (lo[0], x), lo[1] = MIN (lo[1], y);
      hi[0] = MAX (hi[0], x), hi[1] = MAX (hi[1], y);
    }
  /* Rounded outwards to floats, which the lines are in. */
  view[0] = nextafterf ((float) lo[0], -G_MAXFLOAT);
  view[1] = nextafterf ((float) lo[1], -G_MAXFLOAT);
  view[2] = nextafterf ((float) hi[0], G_MAXFLOAT);
  view[3] = nextafterf ((float) hi[1], G_MAXFLOAT);
}

/* The coarse drawing: with thousands of things in view, cairo's cost per
 * stroke dominates (8 µs for a one-pixel line), so edges are counted into
 * a coverage buffer and dots set straight into an image of the clip at
 * device resolution, painted in one operation. Where the lines would make
 * every pixel of a tile opaque several times over, the tile is painted
 * opaque and its lines are not walked (solid_tiles()): a view zoomed into
 * a 65,000-node hairball's centre has 236 lines to a pixel. The picture
 * differs from walking every line in a few pixels of a million (tested),
 * less than the sampling of edges past the budget makes it differ. */
static void
draw_coarse (cairo_t                  *cr,
             const SvyazGraph         *graph,
             GArray                   *nodes,
             GArray                   *edges,
             const SvyazRenderOptions *options)
{
  double x0, y0, x1, y1, dx0, dy0, dx1, dy1, total = 0, pixel_scale, budget;
  Coverage coverage;
  Resolve resolve;
  LineSource source;
  g_autoptr(SvyazEdgeLines) own_lines = NULL;
  g_autofree int *sampled = NULL;
  guint n_lines, n_sampled = 0;
  cairo_matrix_t matrix, to_pixels;
  cairo_surface_t *image;
  guint32 *pixels, lut[256];
  double background[3];
  int width, height, stride;
  cairo_format_t format;
  g_autofree guint8 *image_data = NULL;
  guint grey = options->dark ? 178 : 84, every, sample;
  g_autofree double *units = NULL;
  g_autofree guint8 *solid = NULL;
  g_autofree guint *open = NULL;
  int tiles_w, tiles_h;
  double unwalked = 0;
  const SvyazTypeStyle *style = NULL;
  const char *last_type = NULL;
  int last_group = -1;

  /* The image is made at the display's resolution (a scale factor of 2
   * makes it twice as wide), so that its one-pixel lines stay one pixel
   * of the screen rather than two blurred ones. */
  pixel_scale = options->pixel_scale > 0 ? options->pixel_scale : 1;
  cairo_clip_extents (cr, &x0, &y0, &x1, &y1);
  dx0 = x0, dy0 = y0, dx1 = x1, dy1 = y1;
  cairo_user_to_device (cr, &dx0, &dy0);
  cairo_user_to_device (cr, &dx1, &dy1);
  dx0 *= pixel_scale, dy0 *= pixel_scale, dx1 *= pixel_scale, dy1 *= pixel_scale;
  dx0 = floor (MIN (dx0, dx1)), dy0 = floor (MIN (dy0, dy1));
  width = (int) MIN (ceil (fabs (dx1 - dx0)) + 1, 8192);
  height = (int) MIN (ceil (fabs (dy1 - dy0)) + 1, 8192);
  if (width <= 0 || height <= 0)
    return;
  /* Every pixel is written below: cairo would clear its own 4 MB first. */
  format = options->opaque ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32;
  stride = cairo_format_stride_for_width (format, width);
  image_data = g_malloc ((gsize) stride * height);
  image = cairo_image_surface_create_for_data (image_data, format, width, height, stride);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (image);
      return;
    }
  cairo_surface_set_user_data (image, &image_data_key, g_steal_pointer (&image_data), g_free);
  pixels = (guint32 *) cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image) / 4;
  coverage = (Coverage) { width, height, g_new0 (guint8, (gsize) width * height), NULL, NULL, 0 };
  tiles_w = (width + TILE - 1) / TILE, tiles_h = (height + TILE - 1) / TILE;
  units = g_new0 (double, (gsize) tiles_w * tiles_h);
  cairo_get_matrix (cr, &matrix);
  cairo_matrix_init_scale (&to_pixels, pixel_scale, pixel_scale);
  cairo_matrix_multiply (&matrix, &matrix, &to_pixels);

  /* The pixels the lines would walk, each clipped line's longer side;
   * past 16,384 lines, from an even sample of them: reading every edge
   * cost a sixth of a 400,000-edge frame. The same lines say how many
   * coverage units each tile would take. */
  if (options->lines == NULL)
    own_lines = svyaz_edge_lines_new (graph);
  source = (LineSource) { options->lines ? options->lines : own_lines, edges, matrix, dx0, dy0,
                          { -G_MAXFLOAT, -G_MAXFLOAT, G_MAXFLOAT, G_MAXFLOAT } };
  view_in_graph (&matrix, dx0, dy0, width, height, source.view);
  g_assert (source.lines->n_edges == graph->edges->len);
  n_lines = edges ? edges->len : graph->edges->len;
  sample = MAX (n_lines / 16384, 1);
  sampled = g_new (int, 5 * (gsize) (n_lines / sample + 1));
  for (guint i = 0; i < n_lines; i += sample)
    {
      double end[4];
      int *ends = &sampled[5 * n_sampled];
      guint weight;

      if (line_near (&source, i) && line_ends (&source, i, end, &weight) &&
          clip_line (width, height, end[0], end[1], end[2], end[3], ends))
        {
          total += sample * (MAX (abs (ends[2] - ends[0]), abs (ends[3] - ends[1])) + 1);
          ends[4] = (int) weight;
          n_sampled++;
        }
    }
  budget = (double) width * height * (options->crossings > 0 ? options->crossings : COARSE_CROSSINGS);
  /* Below a few lines to a pixel on average, no tile is likely to be
   * opaque, and looking costs a sparse frame a tenth of its time.
   * Where every line fits the budget, a tile is painted only when the
   * picture stays that of every line walked (SOLID_MARGIN). The more a
   * frame would have to sample its lines, the sooner a tile is painted:
   * a pixel sampled one line in k keeps about 1/k of those crossing it,
   * so a tile whose every pixel is 96% covered (SOLID_MIN_MARGIN) shows
   * light specks where the picture has none. Painting such tiles leaves
   * fewer lines to sample: a view a quarter across a 65,000-node
   * hairball, zoomed 8×, went from lines sampled one in six, 13 grey
   * levels a pixel from every line's picture, to one in two (with the
   * budget below), 2.7 from it. */
  if (!options->every_pixel && total >= SOLID_MIN_CROSSINGS * width * height)
    {
      double margin = CLAMP (SOLID_MARGIN * budget / total, SOLID_MIN_MARGIN, SOLID_MARGIN);

      for (guint k = 0; k < n_sampled; k++)
        add_tile_units (units, tiles_w, &sampled[5 * k], (double) sample * sampled[5 * k + 4]);
      coverage.solid = solid = solid_tiles (units, width, height, tiles_w, tiles_h, margin, &unwalked);
    }
  coverage.tiles_w = tiles_w;
  if (solid != NULL)
    coverage.open = open = open_tiles (solid, tiles_w, tiles_h);
  /* The budget is for what is walked, the opaque tiles' share of the
   * units not, and for reading and clipping the lines that reach the
   * image: with all but a seventh of a flank's pixels painted, its
   * 38,000 long lines cost more than the pixels left to walk. */
  every = (guint) CLAMP (ceil ((total * (1 - unwalked) + (double) n_sampled * sample * LINE_PIXELS_A_LINE) / budget),
                         1, MAX_SAMPLING);
  /* Coverage to colour: n units over nothing, premultiplied, or over
   * the background when the frame is opaque (its image is then copied
   * rather than blended in, which took 1.4 ms of a 1280×800 frame); a
   * sampled unit stands for every of them. */
  svyaz_render_background_rgb (options, background);
  for (guint n = 0; n < 256; n++)
    {
      guint alpha = (guint) lround (255 * (1 - pow (1 - MIN (1.0, every * COVERAGE_ALPHA), n)));
      guint v = grey * alpha / 255;

      lut[n] = alpha << 24 | v << 16 | v << 8 | v;
      if (options->opaque)
        {
          lut[n] = 0xff000000u;
          for (int c = 0; c < 3; c++)
            lut[n] |= (guint) lround (background[c] * (255 - alpha) + v) << (16 - 8 * c);
        }
    }
  /* A view wholly within a hairball's opaque core has no line to walk:
   * every one would be skipped, after clipping, on its first box. */
  resolve = (Resolve) { { NULL }, 0, width, solid, tiles_w, lut, pixels, stride };
  rasterize_edges (&source, open == NULL || open[(gsize) (tiles_w + 1) * (tiles_h + 1) - 1] > 0 ? n_lines : 0,
                   every, total * (1 - unwalked) / every, options->threads, &coverage, &resolve);
  g_free (coverage.counts);

  for (guint i = 0; i < nodes->len; i++)
    {
      const SvyazNode *n = SVYAZ_NODE (graph, g_array_index (nodes, guint, i));
      double cx = n->x, cy = n->y, rx = n->width / 2, ry = n->height / 2, fx, fy, reach;
      guint32 colour;
      int r, x0i, x1i, y0i, y1i;

      /* The nodes come in the index's order, scattered through memory. */
      if (i + 8 < nodes->len)
        SVYAZ_PREFETCH (SVYAZ_NODE (graph, g_array_index (nodes, guint, i + 8)));
      /* Neighbours in the list often share a type (interned, so compared
       * without reading it): its colour is looked up again only when it
       * changes. */
      if (style == NULL || n->group >= 0 || last_group >= 0 || n->type != last_type)
        {
          style = node_colors (n);
          last_type = n->type;
          last_group = n->group;
        }
      colour = 0xff000000u | (guint) (style->r * 255) << 16 | (guint) (style->g * 255) << 8 | (guint) (style->b * 255);
      cairo_matrix_transform_point (&matrix, &cx, &cy);
      cairo_matrix_transform_distance (&matrix, &rx, &ry);
      /* A dot at least 3 pixels across, at most the node's size. */
      r = (int) CLAMP (MIN (fabs (rx), fabs (ry)), pixel_scale, 6 * pixel_scale);
      fx = cx - dx0, fy = cy - dy0, reach = (r + 0.5) * (r + 0.5);
      /* The disc's square, within the image (a node far outside has
       * none), each row's part of the test done once. */
      if (fabs (fx) > width + 8 * r || fabs (fy) > height + 8 * r)
        continue;
      x0i = MAX ((int) fx - r, 0), x1i = MIN ((int) fx + r, width - 1);
      y0i = MAX ((int) fy - r, 0), y1i = MIN ((int) fy + r, height - 1);
      for (int y = y0i; y <= y1i; y++)
        {
          double left = reach - (y - fy) * (y - fy);
          guint32 *row = pixels + (gsize) y * stride;

          for (int x = x0i; x <= x1i; x++)
            if ((x - fx) * (x - fx) <= left)
              row[x] = colour;
        }
    }
  cairo_surface_mark_dirty (image);

  cairo_surface_set_device_scale (image, pixel_scale, pixel_scale);
  cairo_save (cr);
  cairo_identity_matrix (cr);
  cairo_set_source_surface (cr, image, dx0 / pixel_scale, dy0 / pixel_scale);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (image);
}

/* About how many edges cross the rectangle, from an even sample of 4,096
 * lines: enough to tell a view crossed by tens of thousands (a zoom into
 * a hairball with few nodes left in sight) from one crossed by hundreds,
 * in 40 µs rather than the index's answer. */
static double
edges_in_view (const SvyazEdgeLines *lines,
               double                x0,
               double                y0,
               double                x1,
               double                y1)
{
  guint step = MAX (lines->n_edges / 4096, 1), sampled = 0, in = 0;

  for (guint i = 0; i < lines->n_edges; i += step)
    {
      const float *l = &lines->ends[4 * (gsize) i];

      sampled++;
      in += lines->kinds[i] != 0 && svyaz_segment_meets_rect (l[0], l[1], l[2], l[3], x0, y0, x1, y1);
    }
  return sampled > 0 ? (double) in / sampled * lines->n_edges : 0;
}

/**
 * svyaz_render_find_scene:
 * @nodes: (element-type guint): receives the nodes in the rectangle
 * @edges: (inout) (element-type guint): an empty array, which receives
 *   the edges in the rectangle; freed and set to NULL when the nodes
 *   alone, or twice the edges that would, make the frame coarse: every
 *   edge is then drawn, and clipping finds those in view at less cost
 *   than the index would
 * @options: coarse and lines are set for the frame
 *
 * What a frame of the rectangle draws, and how, as the canvas and the
 * benchmarks draw it.
 */
void
svyaz_render_find_scene (SvyazSpatial       *index,
                         double              x0,
                         double              y0,
                         double              x1,
                         double              y1,
                         GArray             *nodes,
                         GArray            **edges,
                         SvyazRenderOptions *options)
{
  g_return_if_fail (index != NULL && nodes != NULL && edges != NULL && *edges != NULL && options != NULL);

  svyaz_spatial_query (index, x0, y0, x1, y1, nodes, NULL);
  options->lines = svyaz_spatial_edge_lines (index);
  if (nodes->len > SVYAZ_RENDER_COARSE_NODES ||
      edges_in_view (options->lines, x0, y0, x1, y1) > 2 * SVYAZ_RENDER_COARSE_EDGES)
    {
      options->coarse = TRUE;
      g_clear_pointer (edges, g_array_unref);
      return;
    }
  svyaz_spatial_query (index, x0, y0, x1, y1, NULL, *edges);
  options->coarse = (*edges)->len > SVYAZ_RENDER_COARSE_EDGES;
}

/**
 * svyaz_render_scene_part:
 * @nodes: (element-type guint): the nodes to draw, e.g. what the spatial
 *   index finds in the view
 * @edges: (element-type guint) (nullable): the edges to draw, or NULL
 *   for every edge (coarse: those that cross the clip, found as they are
 *   clipped, which costs a crowded view less than asking the index)
 *
 * Draws only the given edges, then the given nodes, in graph order, so a
 * zoomed view costs what it shows rather than the whole graph.
 */
void
svyaz_render_scene_part (cairo_t                  *cr,
                         const SvyazGraph         *graph,
                         GArray                   *nodes,
                         GArray                   *edges,
                         const SvyazRenderOptions *options)
{
  Painter p;

  g_return_if_fail (cr != NULL && graph != NULL && nodes != NULL);

  /* Coarse lines blend alike in any order, and the index gives its
   * results in the same order for the same query: sorting 400,000 edges
   * would cost more than drawing them. */
  if (options->coarse)
    {
      draw_coarse (cr, graph, nodes, edges, options);
      return;
    }
  g_array_sort (nodes, compare_uints);
  if (edges)
    g_array_sort (edges, compare_uints);
  painter_init (&p, cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < (edges ? edges->len : graph->edges->len); i++)
    draw_edge (&p, &g_array_index (graph->edges, SvyazEdge, edges ? g_array_index (edges, guint, i) : i),
               SVYAZ_DRAW_NORMAL, options);
  for (guint i = 0; i < nodes->len; i++)
    draw_node (&p, &g_array_index (graph->nodes, SvyazNode, g_array_index (nodes, guint, i)),
               SVYAZ_DRAW_NORMAL, options);
  painter_clear (&p);
}

void
svyaz_render_node (cairo_t                  *cr,
                   const SvyazGraph         *graph,
                   guint                     index,
                   SvyazDrawState            state,
                   const SvyazRenderOptions *options)
{
  Painter p;

  g_return_if_fail (cr != NULL && graph != NULL && index < graph->nodes->len);

  painter_init (&p, cr);
  draw_node (&p, &g_array_index (graph->nodes, SvyazNode, index), state, options);
  painter_clear (&p);
}

void
svyaz_render_edge (cairo_t                  *cr,
                   const SvyazGraph         *graph,
                   guint                     index,
                   SvyazDrawState            state,
                   const SvyazRenderOptions *options)
{
  Painter p;

  g_return_if_fail (cr != NULL && graph != NULL && index < graph->edges->len);

  painter_init (&p, cr);
  draw_edge (&p, &g_array_index (graph->edges, SvyazEdge, index), state, options);
  painter_clear (&p);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * svyaz_render_legend:
 *
 * A box at (x, y), in device units, naming each entity type present with
 * its shape and colour, and the dashed co-occurrence edge if any is shown.
 */
void
svyaz_render_legend (cairo_t                  *cr,
                     const SvyazGraph         *graph,
                     double                    x,
                     double                    y,
                     const SvyazRenderOptions *options,
                     double                   *out_width,
                     double                   *out_height)
{
  g_autoptr(GPtrArray) types = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean cooccurrence = FALSE;
  const double row = 18, swatch = 22, pad = 8, size = 11;
  double width = 0, height;
  Painter p;

  g_return_if_fail (cr != NULL && graph != NULL);

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const char *type = g_array_index (graph->nodes, SvyazNode, i).type;

      if (g_hash_table_add (seen, (gpointer) type))
        g_ptr_array_add (types, (gpointer) type);
    }
  g_ptr_array_sort (types, compare_strings);
  for (guint i = 0; i < graph->edges->len; i++)
    cooccurrence |= g_array_index (graph->edges, SvyazEdge, i).cooccurrence;

  painter_init (&p, cr);
  for (guint i = 0; i < types->len; i++)
    {
      double w, h;

      painter_set_text (&p, g_ptr_array_index (types, i), size, 0, FALSE);
      painter_size (&p, &w, &h);
      width = MAX (width, w);
    }
  if (cooccurrence)
    {
      double w, h;

      painter_set_text (&p, "co-occurrence", size, 0, FALSE);
      painter_size (&p, &w, &h);
      width = MAX (width, w);
    }
  if (graph->groups != NULL)
    {
      g_autofree char *text = g_strdup_printf ("colours: %s", graph->groups);
      double w, h;

      painter_set_text (&p, text, size, 0, FALSE);
      painter_size (&p, &w, &h);
      width = MAX (width, w);
    }
  width += swatch + 3 * pad;
  height = row * (types->len + (cooccurrence ? 1 : 0) + (graph->groups ? 1 : 0)) + 2 * pad;

  if (types->len > 0)
    {
      cairo_rectangle (cr, x, y, width, height);
      if (options->dark)
        cairo_set_source_rgba (cr, 0.2, 0.2, 0.2, 0.9);
      else
        cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.5);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);

      guint rows = types->len + (cooccurrence ? 1 : 0) + (graph->groups ? 1 : 0);

      for (guint i = 0; i < rows; i++)
        {
          double cy = y + pad + row * i + row / 2;
          SvyazNode n = { 0 };
          double v[16];

          if (i >= types->len && !(cooccurrence && i == types->len))
            {
              g_autofree char *text = g_strdup_printf ("colours: %s", graph->groups);

              /* Colours by group: the shapes still say the type; three
               * swatches say the colours mean something else. */
              for (guint k = 0; k < 3; k++)
                {
                  cairo_rectangle (cr, x + pad + k * swatch / 3, cy - 5, swatch / 3 - 1, 10);
                  cairo_set_source_rgb (cr, group_styles[k].r, group_styles[k].g, group_styles[k].b);
                  cairo_fill (cr);
                }
              painter_set_text (&p, text, size, 0, FALSE);
            }
          else if (i == types->len)
            {
              static const double dashes[] = { 4, 3 };

              cairo_move_to (cr, x + pad, cy);
              cairo_line_to (cr, x + pad + swatch, cy);
              cairo_set_dash (cr, dashes, 2, 0);
              cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.8);
              cairo_stroke (cr);
              cairo_set_dash (cr, NULL, 0, 0);
              painter_set_text (&p, "co-occurrence", size, 0, FALSE);
            }
          else
            {
              const SvyazTypeStyle *style = svyaz_render_type_style (g_ptr_array_index (types, i));
              double fx, fy, r, g, b;

              /* A small node of the type, its outline a scaled-down
               * version of Graphviz's for that shape. */
              n.x = x + pad + swatch / 2;
              n.y = cy;
              n.width = swatch;
              n.height = row - 6;
              shape_factors (style->shape, &fx, &fy);
              if (strcmp (style->shape, "ellipse") != 0)
                {
                  double hw = n.width / 2, hh = n.height / 2;
                  const char *s = style->shape;

                  if (strcmp (s, "hexagon") == 0)
                    {
                      double h6[] = { hw, 0, hw / 2, hh, -hw / 2, hh, -hw, 0, -hw / 2, -hh, hw / 2, -hh };
                      memcpy (v, h6, sizeof h6), n.n_vertices = 6;
                    }
                  else if (strcmp (s, "octagon") == 0)
                    {
                      double h8[] = { hw, -hh / 2, hw, hh / 2, hw / 2, hh, -hw / 2, hh,
                                      -hw, hh / 2, -hw, -hh / 2, -hw / 2, -hh, hw / 2, -hh };
                      memcpy (v, h8, sizeof h8), n.n_vertices = 8;
                    }
                  else if (strcmp (s, "trapezium") == 0)
                    {
                      double t[] = { hw, hh, -hw, hh, -hw / 2, -hh, hw / 2, -hh };
                      memcpy (v, t, sizeof t), n.n_vertices = 4;
                    }
                  else if (strcmp (s, "invtrapezium") == 0)
                    {
                      double t[] = { hw / 2, hh, -hw / 2, hh, -hw, -hh, hw, -hh };
                      memcpy (v, t, sizeof t), n.n_vertices = 4;
                    }
                  else if (strcmp (s, "parallelogram") == 0)
                    {
                      double t[] = { hw / 2, hh, -hw, hh, -hw / 2, -hh, hw, -hh };
                      memcpy (v, t, sizeof t), n.n_vertices = 4;
                    }
                  else
                    {
                      double t[] = { hw, hh, -hw, hh, -hw, -hh, hw, -hh };
                      memcpy (v, t, sizeof t), n.n_vertices = 4;
                    }
                  n.vertices = v;
                }
              if (graph->groups != NULL)
                style = &neutral_style;
              node_path (cr, &n, 0);
              svyaz_render_fill_color (style, options->dark, &r, &g, &b);
              cairo_set_source_rgb (cr, r, g, b);
              cairo_fill_preserve (cr);
              cairo_set_source_rgb (cr, style->r * 0.8, style->g * 0.8, style->b * 0.8);
              cairo_set_line_width (cr, 1.2);
              cairo_stroke (cr);
              painter_set_text (&p, g_ptr_array_index (types, i), size, 0, FALSE);
            }
          {
            double w, h;

            painter_size (&p, &w, &h);
            text_color (cr, options);
            cairo_move_to (cr, x + 2 * pad + swatch, cy - h / 2);
            pango_cairo_show_layout (cr, p.layout);
          }
        }
    }
  painter_clear (&p);
  if (out_width)
    *out_width = types->len > 0 ? width : 0;
  if (out_height)
    *out_height = types->len > 0 ? height : 0;
}

/* The legend's size, measured on a scratch surface. */
void
svyaz_render_legend_size (const SvyazGraph *graph,
                          double           *width,
                          double           *height)
{
  SvyazRenderOptions options = { .scale = 1 };
  cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (scratch);

  svyaz_render_legend (cr, graph, 0, 0, &options, width, height);
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
}

/* Section: images */

/* Cairo draws SVG text as glyph outlines; a transparent text layer over
 * the labels lets a browser or Inkscape find and copy the names, as
 * pdftotext can in the PDF. */
static gboolean
add_svg_text_layer (const SvyazGraph  *graph,
                    const char        *path,
                    double             x0,
                    double             y0,
                    GError           **error)
{
  g_autofree char *svg = NULL;
  g_autoptr(GString) out = NULL;
  char *end;
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];

  if (!g_file_get_contents (path, &svg, NULL, error))
    return FALSE;
  end = g_strrstr (svg, "</svg>");
  if (end == NULL)
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_EXPORT, "%s: cairo wrote no SVG", path);
      return FALSE;
    }
  out = g_string_new_len (svg, end - svg);
  g_string_append (out, "<g id=\"svyaz-text\" fill-opacity=\"0\" font-family=\"sans-serif\" "
                        "text-anchor=\"middle\">\n");
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazNode *n = &g_array_index (graph->nodes, SvyazNode, i);
      g_autofree char *name = svyaz_text_xml_escape (n->name);

      g_string_append_printf (out, "<text x=\"%s\" y=\"%s\" font-size=\"%s\">%s</text>\n",
                              g_ascii_formatd (a, sizeof a, "%.1f", n->x - x0),
                              g_ascii_formatd (b, sizeof b, "%.1f", n->y - y0 + n->font_size * 0.35),
                              g_ascii_formatd (c, sizeof c, "%.1f", n->font_size), name);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = &g_array_index (graph->edges, SvyazEdge, i);
      g_autofree char *predicate = NULL;

      if (!e->label_visible)
        continue;
      predicate = svyaz_text_xml_escape (e->predicate);
      g_string_append_printf (out, "<text x=\"%s\" y=\"%s\" font-size=\"%s\">%s</text>\n",
                              g_ascii_formatd (a, sizeof a, "%.1f", e->label_x - x0),
                              g_ascii_formatd (b, sizeof b, "%.1f", e->label_y - y0 + EDGE_FONT_SIZE * 0.35),
                              g_ascii_formatd (c, sizeof c, "%.1f", EDGE_FONT_SIZE), predicate);
    }
  g_string_append (out, "</g>\n");
  g_string_append (out, end);
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
}

/**
 * svyaz_render_export_image:
 * @format: "png", "svg" or "pdf"
 * @scale: device pixels per scene unit (PNG; vector formats are in points)
 * @view: (nullable): x0, y0, x1, y1 of the scene to draw; %NULL for the
 *   whole graph with a legend beside it
 *
 * Draws @graph into the file @path, which is written directly: callers
 * wanting an atomic write pass a temporary path (see svyaz-export).
 */
gboolean
svyaz_render_export_image (const SvyazGraph *graph,
                           const char       *format,
                           const char       *path,
                           double            scale,
                           const double     *view,
                           GError          **error)
{
  SvyazRenderOptions options = { .scale = scale, .dark = FALSE };
  const double margin = 20;
  double x0, y0, x1, y1, legend_w = 0, legend_h = 0, width, height;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (graph != NULL && format != NULL && path != NULL, FALSE);

  if (!(scale > 0 && scale <= 16))
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_EXPORT,
                   "scale must be above 0 and at most 16");
      return FALSE;
    }
  if (view != NULL)
    {
      x0 = view[0], y0 = view[1], x1 = view[2], y1 = view[3];
    }
  else
    {
      svyaz_render_legend_size (graph, &legend_w, &legend_h);
      x0 = graph->x0 - margin, y0 = graph->y0 - margin;
      x1 = graph->x1 + margin + (legend_w > 0 ? legend_w + margin : 0);
      y1 = MAX (graph->y1 + margin, graph->y0 + legend_h + margin);
    }
  width = MAX (1, x1 - x0);
  height = MAX (1, y1 - y0);

  if (g_ascii_strcasecmp (format, "png") == 0)
    {
      double pw = ceil (width * scale), ph = ceil (height * scale);

      if (pw * ph > 400e6 || pw > 32767 || ph > 32767)
        {
          g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_EXPORT,
                       "a %.0f×%.0f pixel image is too large; use a smaller --scale or SVG/PDF",
                       pw, ph);
          return FALSE;
        }
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) pw, (int) ph);
    }
  else if (g_ascii_strcasecmp (format, "svg") == 0)
    surface = cairo_svg_surface_create (path, width, height);
  else if (g_ascii_strcasecmp (format, "pdf") == 0)
    surface = cairo_pdf_surface_create (path, width, height);
  else
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_EXPORT,
                   "unknown image format '%s'", format);
      return FALSE;
    }
  if (g_ascii_strcasecmp (format, "png") != 0)
    options.scale = 1;

  cr = cairo_create (surface);
  svyaz_render_background (cr, &options);
  if (g_ascii_strcasecmp (format, "png") == 0)
    cairo_scale (cr, scale, scale);
  cairo_translate (cr, -x0, -y0);
  svyaz_render_scene (cr, graph, &options);
  if (view == NULL)
    svyaz_render_legend (cr, graph, graph->x1 + 2 * margin, graph->y0, &options, NULL, NULL);
  cairo_destroy (cr);

  if (g_ascii_strcasecmp (format, "png") == 0)
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_EXPORT,
                   "%s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }
  if (g_ascii_strcasecmp (format, "svg") == 0)
    return add_svg_text_layer (graph, path, x0, y0, error);
  return TRUE;
}

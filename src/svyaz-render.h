/* svyaz-render.h: how a graph looks, drawn with cairo and Pango.
 *
 * One drawing code for the window's canvas and for the PNG, SVG and PDF
 * exports, so an exported image looks like the window. GTK-free: the CLI
 * and the tests draw onto cairo image, SVG and PDF surfaces through it.
 */
#pragma once

#include <cairo.h>

#include "svyaz-graph.h"
#include "svyaz-spatial.h"

G_BEGIN_DECLS

typedef struct {
  const char *type;        /* the entity type it is for, or NULL for others */
  const char *shape;       /* a Graphviz shape name */
  double      r, g, b;     /* the type's colour, 0–1 */
} SvyazTypeStyle;

typedef enum {
  SVYAZ_DRAW_NORMAL,
  SVYAZ_DRAW_HOVER,        /* highlighted with its edges */
  SVYAZ_DRAW_SELECTED,
} SvyazDrawState;

/* Past this many nodes in view, the canvas draws coarsely (see
 * SvyazRenderOptions.coarse): a cloud of thousands of labels reads as
 * nothing. */
#define SVYAZ_RENDER_COARSE_NODES 1500
/* …or this many edges: a zoomed view into a hairball crosses tens of
 * thousands of long edges, each a full cairo stroke when detailed. */
#define SVYAZ_RENDER_COARSE_EDGES 5000

typedef struct {
  double    scale;          /* device pixels per scene unit: labels too small are skipped */
  gboolean  dark;           /* draw for a dark background */
  gboolean  coarse;         /* many things in view: edges as thin straight lines without
                             * arrows or labels, and no node labels */
  double    min_label_px;   /* labels smaller than this on screen are skipped; 0: 4 px */
  double    crossings;      /* coarse: line pixels drawn per frame pixel at most, sampling
                             * the edges beyond; 0: the default, 3 */
  guint     threads;        /* coarse: threads sharing a crowded frame's lines, at most 4;
                             * 0: one per core (the pixels are the same) */
  gboolean  every_pixel;    /* coarse: walk every line through every pixel, painting no
                             * tile opaque from the estimate (see draw_coarse()) */
  double    pixel_scale;    /* coarse: the display's pixels per logical pixel (the
                             * widget's scale factor), at which its image is made;
                             * 0: 1 */
  const SvyazEdgeLines *lines; /* coarse: the graph's edges as lines, e.g.
                             * svyaz_spatial_edge_lines(); NULL: made for the frame */
  gboolean  opaque;         /* coarse: paint the background too (nothing is drawn under
                             * the scene but svyaz_render_background()), so that the
                             * frame's image is copied rather than blended */
} SvyazRenderOptions;

const SvyazTypeStyle *svyaz_render_type_style (const char            *type);
void         svyaz_render_fill_color   (const SvyazTypeStyle  *style,
                                        gboolean               dark,
                                        double                *r,
                                        double                *g,
                                        double                *b);

void         svyaz_render_measure      (SvyazGraph            *graph);
void         svyaz_render_measure_edges (SvyazGraph           *graph);

void         svyaz_render_background_rgb (const SvyazRenderOptions *options,
                                          double              *rgb);
void         svyaz_render_background   (cairo_t               *cr,
                                        const SvyazRenderOptions *options);
void         svyaz_render_scene        (cairo_t               *cr,
                                        const SvyazGraph      *graph,
                                        const SvyazRenderOptions *options);
void         svyaz_render_find_scene   (SvyazSpatial          *index,
                                        double                 x0,
                                        double                 y0,
                                        double                 x1,
                                        double                 y1,
                                        GArray                *nodes,
                                        GArray               **edges,
                                        SvyazRenderOptions    *options);
void         svyaz_render_scene_part   (cairo_t               *cr,
                                        const SvyazGraph      *graph,
                                        GArray                *nodes,
                                        GArray                *edges,
                                        const SvyazRenderOptions *options);
void         svyaz_render_node         (cairo_t               *cr,
                                        const SvyazGraph      *graph,
                                        guint                  index,
                                        SvyazDrawState         state,
                                        const SvyazRenderOptions *options);
void         svyaz_render_edge         (cairo_t               *cr,
                                        const SvyazGraph      *graph,
                                        guint                  index,
                                        SvyazDrawState         state,
                                        const SvyazRenderOptions *options);
void         svyaz_render_legend       (cairo_t               *cr,
                                        const SvyazGraph      *graph,
                                        double                 x,
                                        double                 y,
                                        const SvyazRenderOptions *options,
                                        double                *out_width,
                                        double                *out_height);

void         svyaz_render_legend_size  (const SvyazGraph      *graph,
                                        double                *width,
                                        double                *height);

gboolean     svyaz_render_export_image (const SvyazGraph      *graph,
                                        const char            *format,
                                        const char            *path,
                                        double                 scale,
                                        const double          *view,
                                        GError               **error);

G_END_DECLS

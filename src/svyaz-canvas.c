/* svyaz-canvas.c: the interactive graph view.
 *
 * Draws a laid-out SvyazGraph through svyaz-render, the same code the
 * image exports use. The static scene is recorded once as a render node
 * in scene units and replayed under the view transform, so panning and
 * zooming only change a transform; hover and selection are drawn on top
 * of it each frame. The recording is redone when the graph changes (a
 * node was dragged) or when the zoom crosses a label-readability step.
 *
 * The view maps a scene point p to the widget point (p - origin) × zoom.
 * Gestures: drag the background to pan, drag a node to move it, wheel or
 * pinch to zoom toward the pointer, click to select, double-click to
 * activate (the window focuses on the neighbourhood). Keyboard: + - 0 and
 * the arrows, as actions of the widget.
 */
#include "svyaz-config.h"
#include "svyaz-canvas.h"

#include <glib/gi18n.h>

#include <math.h>

#include "svyaz-render.h"
#include "svyaz-spatial.h"

/* sfdp spreads thousands of nodes over a hundred thousand points. */
#define ZOOM_MIN      0.002
#define ZOOM_MAX      8.0
#define ZOOM_STEP     1.25
#define FIT_MAX       1.5
#define MARGIN        24.0
#define PAN_STEP      60.0
#define PAN_DURATION  250000   /* µs */
#define TWEEN_DURATION 350000  /* µs */
/* The cached scene reaches this many viewports beyond the view on each
 * side, so panning that far costs a translation only. */
#define SCENE_MARGIN  0.5
/* A cached scene scaled further than this is drawn again at once. */
#define SCENE_SCALE_MAX 2.0
/* Zooming must rest this long before the scene is drawn again sharp. */
#define SCENE_REDRAW_MS 150

#define TWEEN_MAX_NODES 1500   /* beyond, a new graph just replaces the old */

struct _SvyazCanvas
{
  GtkWidget      parent_instance;

  SvyazGraph    *graph;
  SvyazSpatial  *index;        /* built on demand; dropped when nodes move */
  guint          hover_tick;   /* hover work waits for the next frame */
  double         origin_x;
  double         origin_y;
  double         zoom;
  gboolean       needs_fit;
  gboolean       dark;         /* drawn for a dark background */
  GArray        *reading_order;/* node indices, for Tab; built on demand */
  char          *announcement; /* the accessible description: the focused entity */
  double         min_label_px; /* the label density preference; 0: the default */

  gint64         selected_id;
  int            selected;     /* node index or -1 */
  int            hover_node;
  int            hover_edge;
  double         pointer_x;
  double         pointer_y;

  /* The static scene around the view, drawn in widget pixels at
   * scene_zoom: panning inside it is a translation, zooming a scale
   * until it is drawn again at the new zoom. */
  GskRenderNode *scene;
  double         scene_zoom;
  double         scene_x0, scene_y0, scene_x1, scene_y1;  /* scene units it covers */
  guint          redraw_id;    /* draws the scene again once zooming rests */
  double         legend_width;  /* measured once per graph */
  double         legend_height;

  /* Dragging */
  int            drag_node;
  double         drag_origin_x;
  double         drag_origin_y;
  double         drag_node_x;
  double         drag_node_y;
  double         zoom_begin;

  /* Marked entities: search matches, or a path in order */
  GArray        *marks;        /* gint64 */
  gboolean       marks_path;

  /* Transition between two graphs: the new graph with nodes on their way
   * from their old places and edges straight, drawn without the cache. */
  SvyazGraph    *tween;
  GArray        *tween_from;   /* x, y pairs per node of graph; NAN: new node */
  guint          tween_tick;
  gint64         tween_start;

  /* Pan animation */
  guint          tick_id;
  gint64         anim_start;
  double         anim_from_x, anim_from_y;
  double         anim_to_x, anim_to_y;
};

G_DEFINE_FINAL_TYPE (SvyazCanvas, svyaz_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ZOOM,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  NODE_MOVED,
  VIEW_CHANGED,
  NODE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Section: view */

static void
widget_to_scene (SvyazCanvas *self,
                 double       x,
                 double       y,
                 double      *sx,
                 double      *sy)
{
  *sx = self->origin_x + x / self->zoom;
  *sy = self->origin_y + y / self->zoom;
}

/* The view's scene rectangle. */
static void
visible_area (SvyazCanvas *self,
              double      *area)
{
  area[0] = self->origin_x;
  area[1] = self->origin_y;
  area[2] = self->origin_x + gtk_widget_get_width (GTK_WIDGET (self)) / self->zoom;
  area[3] = self->origin_y + gtk_widget_get_height (GTK_WIDGET (self)) / self->zoom;
}

/* From this many edges, the grids of segments are built in a thread of
 * their own when a graph is shown (0.8 s at 400,000 edges): the window
 * answers meanwhile, edges just are not hovered yet. */
#define BACKGROUND_INDEX_EDGES 50000

static SvyazSpatial *
spatial_index (SvyazCanvas *self)
{
  if (self->index == NULL)
    {
      self->index = svyaz_spatial_new (self->graph);
      if (self->graph->edges->len >= BACKGROUND_INDEX_EDGES)
        svyaz_spatial_prepare (self->index, TRUE);
    }
  return self->index;
}

static int
node_at (SvyazCanvas *self,
         double       sx,
         double       sy)
{
  return svyaz_spatial_node_at (spatial_index (self), sx, sy);
}

static void
set_view (SvyazCanvas *self,
          double       origin_x,
          double       origin_y,
          double       zoom)
{
  gboolean zoom_changed = zoom != self->zoom;

  self->origin_x = origin_x;
  self->origin_y = origin_y;
  self->zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (zoom_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  g_signal_emit (self, signals[VIEW_CHANGED], 0);
}

/* How the canvas draws at @scale pixels per scene unit. */
static SvyazRenderOptions
render_options (SvyazCanvas *self,
                double       scale)
{
  return (SvyazRenderOptions) { .scale = scale, .dark = self->dark, .min_label_px = self->min_label_px,
                                .pixel_scale = gtk_widget_get_scale_factor (GTK_WIDGET (self)) };
}

static void
invalidate_scene (SvyazCanvas *self)
{
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_pointer (&self->scene, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Fits the graph into the view above the legend: graphs are wider than
 * tall far more often than not, so the legend's rows cost less there than
 * its width would beside the graph. */
void
svyaz_canvas_zoom_fit (SvyazCanvas *self)
{
  int width, height;
  double gw, gh, zoom, usable;

  g_return_if_fail (SVYAZ_IS_CANVAS (self));

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (self->graph == NULL || width <= 0 || height <= 0)
    {
      self->needs_fit = TRUE;
      return;
    }
  self->needs_fit = FALSE;
  usable = MAX (height / 2.0, height - self->legend_height - 8);
  gw = MAX (1, self->graph->x1 - self->graph->x0);
  gh = MAX (1, self->graph->y1 - self->graph->y0);
  zoom = MIN ((width - 2 * MARGIN) / gw, (usable - 2 * MARGIN) / gh);
  zoom = CLAMP (zoom, ZOOM_MIN, FIT_MAX);
  set_view (self,
            self->graph->x0 + gw / 2 - width / 2.0 / zoom,
            self->graph->y0 + gh / 2 - usable / 2.0 / zoom,
            zoom);
}

/**
 * svyaz_canvas_zoom_by:
 * @x: widget x of the point that stays put, or -1 for the centre
 *
 * Zooms by @factor keeping the scene point under (@x, @y) in place.
 */
void
svyaz_canvas_zoom_by (SvyazCanvas *self,
                      double       factor,
                      double       x,
                      double       y)
{
  double sx, sy, zoom;

  g_return_if_fail (SVYAZ_IS_CANVAS (self));

  if (x < 0)
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  widget_to_scene (self, x, y, &sx, &sy);
  zoom = CLAMP (self->zoom * factor, ZOOM_MIN, ZOOM_MAX);
  set_view (self, sx - x / zoom, sy - y / zoom, zoom);
}

double
svyaz_canvas_get_zoom (SvyazCanvas *self)
{
  g_return_val_if_fail (SVYAZ_IS_CANVAS (self), 1.0);
  return self->zoom;
}

/* The scene rectangle on screen: x0, y0, x1, y1. */
void
svyaz_canvas_get_visible_area (SvyazCanvas *self,
                               double      *area)
{
  g_return_if_fail (SVYAZ_IS_CANVAS (self));
  visible_area (self, area);
}

gboolean
svyaz_canvas_scene_to_widget (SvyazCanvas *self,
                              gint64       entity_id,
                              double      *x,
                              double      *y)
{
  int index;

  g_return_val_if_fail (SVYAZ_IS_CANVAS (self), FALSE);

  if (self->graph == NULL || (index = svyaz_graph_find_node (self->graph, entity_id)) < 0)
    return FALSE;
  *x = (SVYAZ_NODE (self->graph, index)->x - self->origin_x) * self->zoom;
  *y = (SVYAZ_NODE (self->graph, index)->y - self->origin_y) * self->zoom;
  return TRUE;
}

static gboolean
pan_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  SvyazCanvas *self = SVYAZ_CANVAS (widget);
  double t = (double) (gdk_frame_clock_get_frame_time (clock) - self->anim_start) / PAN_DURATION;
  double e;

  t = CLAMP (t, 0.0, 1.0);
  e = 1 - pow (1 - t, 3);  /* ease out */
  set_view (self,
            self->anim_from_x + (self->anim_to_x - self->anim_from_x) * e,
            self->anim_from_y + (self->anim_to_y - self->anim_from_y) * e,
            self->zoom);
  if (t >= 1.0)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
pan_to_node (SvyazCanvas *self,
             int          index)
{
  SvyazNode *node = SVYAZ_NODE (self->graph, index);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  self->anim_from_x = self->origin_x;
  self->anim_from_y = self->origin_y;
  self->anim_to_x = node->x - width / 2.0 / self->zoom;
  self->anim_to_y = node->y - height / 2.0 / self->zoom;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || gtk_widget_get_frame_clock (GTK_WIDGET (self)) == NULL)
    {
      set_view (self, self->anim_to_x, self->anim_to_y, self->zoom);
      return;
    }
  self->anim_start = gdk_frame_clock_get_frame_time (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), pan_tick_cb, NULL, NULL);
}

/* Section: selection */

/* Tells assistive technologies what the graph is and which entity has
 * the keyboard's focus: GTK 4.8 has no announcements, so the canvas's
 * label says the graph and its description the focused entity, which
 * screen readers read as it changes. */
static void
announce (SvyazCanvas *self)
{
  g_autofree char *label = NULL;

  g_free (self->announcement);
  if (self->graph == NULL)
    self->announcement = g_strdup (_("No graph shown"));
  else if (self->selected < 0)
    self->announcement = g_strdup_printf (_("No entity selected; Tab moves to the first of %u"),
                                          self->graph->nodes->len);
  else
    {
      const SvyazNode *n = SVYAZ_NODE (self->graph, self->selected);

      self->announcement = g_strdup_printf (_("%s, %s, %u connections"), n->name, n->type, n->degree);
    }
  label = self->graph ? g_strdup_printf (_("Graph of %u entities and %u relations"),
                                         self->graph->nodes->len, self->graph->edges->len)
                      : g_strdup (_("Graph"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->announcement,
                                  -1);
}

static void
set_selected (SvyazCanvas *self,
              int          index)
{
  gint64 id = index >= 0 ? SVYAZ_NODE (self->graph, index)->entity_id : 0;

  if (id == self->selected_id)
    return;
  self->selected = index;
  self->selected_id = id;
  announce (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0, id);
}

/**
 * svyaz_canvas_select:
 * @entity_id: the entity to select, 0 to clear the selection
 * @pan: whether to bring the node to the middle of the view
 *
 * Returns: %FALSE when the entity is not in the graph shown
 */
gboolean
svyaz_canvas_select (SvyazCanvas *self,
                     gint64       entity_id,
                     gboolean     pan)
{
  int index = -1;

  g_return_val_if_fail (SVYAZ_IS_CANVAS (self), FALSE);

  if (entity_id != 0)
    {
      if (self->graph == NULL || (index = svyaz_graph_find_node (self->graph, entity_id)) < 0)
        return FALSE;
    }
  set_selected (self, index);
  if (index >= 0 && pan)
    pan_to_node (self, index);
  return TRUE;
}

gint64
svyaz_canvas_get_selected (SvyazCanvas *self)
{
  g_return_val_if_fail (SVYAZ_IS_CANVAS (self), 0);
  return self->selected_id;
}

/* Section: drawing */

/* Draws the scene around the view at the current zoom, only what the
 * spatial index finds there: the cost follows what is seen, and the
 * surface stays a few viewports large whatever the graph's extent. */
static void
record_scene (SvyazCanvas *self)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  SvyazRenderOptions options = render_options (self, self->zoom);
  SvyazGraph *g = self->graph;
  double area[4], mx, my;
  cairo_t *cr;

  visible_area (self, area);
  mx = (area[2] - area[0]) * SCENE_MARGIN;
  my = (area[3] - area[1]) * SCENE_MARGIN;
  self->scene_x0 = MAX (area[0] - mx, g->x0 - 20);
  self->scene_y0 = MAX (area[1] - my, g->y0 - 20);
  self->scene_x1 = MIN (area[2] + mx, g->x1 + 20);
  self->scene_y1 = MIN (area[3] + my, g->y1 + 20);
  self->scene_zoom = self->zoom;
  /* Drawn over the background alone (snapshot()'s colour): a coarse
   * frame may paint it. */
  options.opaque = TRUE;
  svyaz_render_find_scene (spatial_index (self), self->scene_x0, self->scene_y0,
                           self->scene_x1, self->scene_y1, nodes, &edges, &options);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0,
                                  MAX (1, (self->scene_x1 - self->scene_x0) * self->zoom),
                                  MAX (1, (self->scene_y1 - self->scene_y0) * self->zoom)));
  cairo_scale (cr, self->zoom, self->zoom);
  cairo_translate (cr, -self->scene_x0, -self->scene_y0);
  svyaz_render_scene_part (cr, g, nodes, edges, &options);
  cairo_destroy (cr);
  g_clear_pointer (&self->scene, gsk_render_node_unref);
  self->scene = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static gboolean
redraw_timeout_cb (gpointer user_data)
{
  SvyazCanvas *self = user_data;

  self->redraw_id = 0;
  g_clear_pointer (&self->scene, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* Whether the cached scene can serve the view: it covers it, at a zoom
 * close enough. A different zoom schedules a sharp redraw. */
static gboolean
scene_usable (SvyazCanvas *self)
{
  double area[4], ratio;

  if (self->scene == NULL)
    return FALSE;
  visible_area (self, area);
  ratio = self->zoom / self->scene_zoom;
  if (ratio > SCENE_SCALE_MAX || ratio < 1 / SCENE_SCALE_MAX)
    return FALSE;
  /* Parts of the view beyond the graph have nothing to draw anyway. */
  if ((area[0] < self->scene_x0 && self->scene_x0 > self->graph->x0 - 20) ||
      (area[1] < self->scene_y0 && self->scene_y0 > self->graph->y0 - 20) ||
      (area[2] > self->scene_x1 && self->scene_x1 < self->graph->x1 + 20) ||
      (area[3] > self->scene_y1 && self->scene_y1 < self->graph->y1 + 20))
    return FALSE;
  if (ratio != 1.0 && self->redraw_id == 0)
    self->redraw_id = g_timeout_add (SCENE_REDRAW_MS, redraw_timeout_cb, self);
  return TRUE;
}

/* A cairo context over the whole widget that draws in scene units. */
static cairo_t *
scene_cairo (SvyazCanvas *self,
             GtkSnapshot *snapshot,
             int          width,
             int          height)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  cairo_scale (cr, self->zoom, self->zoom);
  cairo_translate (cr, -self->origin_x, -self->origin_y);
  return cr;
}

/* Marked nodes drawn highlighted; for a path, the edges joining each
 * node to the next too. */
static void
draw_marks (SvyazCanvas              *self,
            cairo_t                  *cr,
            const SvyazRenderOptions *options)
{
  SvyazGraph *g = self->graph;
  g_autofree int *index = NULL;

  if (self->marks == NULL || self->marks->len == 0)
    return;
  index = g_new (int, self->marks->len);
  for (guint m = 0; m < self->marks->len; m++)
    index[m] = svyaz_graph_find_node (g, g_array_index (self->marks, gint64, m));
  for (guint m = 0; self->marks_path && m + 1 < self->marks->len; m++)
    for (guint i = 0; index[m] >= 0 && index[m + 1] >= 0 && i < g->edges->len; i++)
      {
        SvyazEdge *e = SVYAZ_EDGE (g, i);

        if (((int) e->source == index[m] && (int) e->target == index[m + 1]) ||
            ((int) e->source == index[m + 1] && (int) e->target == index[m]))
          svyaz_render_edge (cr, g, i, SVYAZ_DRAW_HOVER, options);
      }
  for (guint m = 0; m < self->marks->len; m++)
    if (index[m] >= 0 && index[m] != self->selected)
      svyaz_render_node (cr, g, (guint) index[m], SVYAZ_DRAW_HOVER, options);
}

static void
draw_overlay (SvyazCanvas *self,
              cairo_t     *cr)
{
  SvyazRenderOptions options = render_options (self, self->zoom);
  SvyazGraph *g = self->graph;
  int marked[2] = { self->hover_node, self->selected };

  for (int m = 0; m < 2; m++)
    {
      if (marked[m] < 0)
        continue;
      for (guint i = 0; i < g->edges->len; i++)
        {
          SvyazEdge *e = SVYAZ_EDGE (g, i);

          if ((int) e->source == marked[m] || (int) e->target == marked[m])
            svyaz_render_edge (cr, g, i, SVYAZ_DRAW_HOVER, &options);
        }
    }
  if (self->hover_edge >= 0 && self->hover_node < 0)
    svyaz_render_edge (cr, g, (guint) self->hover_edge, SVYAZ_DRAW_HOVER, &options);
  /* Nodes after edges, so highlighted edges do not cross their labels. */
  for (int m = 0; m < 2; m++)
    if (marked[m] >= 0)
      {
        SvyazEdge *e;

        for (guint i = 0; i < g->edges->len; i++)
          {
            e = SVYAZ_EDGE (g, i);
            if ((int) e->source == marked[m])
              svyaz_render_node (cr, g, e->target, SVYAZ_DRAW_NORMAL, &options);
            else if ((int) e->target == marked[m])
              svyaz_render_node (cr, g, e->source, SVYAZ_DRAW_NORMAL, &options);
          }
      }
  draw_marks (self, cr, &options);
  if (self->selected >= 0)
    svyaz_render_node (cr, g, (guint) self->selected, SVYAZ_DRAW_SELECTED, &options);
  if (self->hover_node >= 0 && self->hover_node != self->selected)
    svyaz_render_node (cr, g, (guint) self->hover_node, SVYAZ_DRAW_HOVER, &options);
}

static void
svyaz_canvas_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  SvyazCanvas *self = SVYAZ_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  SvyazRenderOptions options = render_options (self, 1);
  graphene_rect_t bounds;
  double rgb[3];
  cairo_t *cr;

  graphene_rect_init (&bounds, 0, 0, width, height);
  svyaz_render_background_rgb (&options, rgb);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { rgb[0], rgb[1], rgb[2], 1 }, &bounds);
  if (self->graph == NULL || !self->graph->laid_out)
    return;
  if (self->needs_fit)
    svyaz_canvas_zoom_fit (self);

  gtk_snapshot_push_clip (snapshot, &bounds);
  if (self->tween != NULL)
    {
      SvyazRenderOptions tween_options = render_options (self, self->zoom);

      cr = scene_cairo (self, snapshot, width, height);
      svyaz_render_scene (cr, self->tween, &tween_options);
      cairo_destroy (cr);
    }
  else
    {
      double ratio;

      if (!scene_usable (self))
        record_scene (self);
      ratio = self->zoom / self->scene_zoom;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) ((self->scene_x0 - self->origin_x) * self->zoom),
                                                              (float) ((self->scene_y0 - self->origin_y) * self->zoom)));
      gtk_snapshot_scale (snapshot, (float) ratio, (float) ratio);
      gtk_snapshot_append_node (snapshot, self->scene);
      gtk_snapshot_restore (snapshot);
    }
  if (self->tween == NULL &&
      (self->hover_node >= 0 || self->hover_edge >= 0 || self->selected >= 0 ||
       (self->marks != NULL && self->marks->len > 0)))
    {
      cr = scene_cairo (self, snapshot, width, height);
      draw_overlay (self, cr);
      cairo_destroy (cr);
    }

  /* The legend, in widget units, bottom left. */
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  svyaz_render_legend (cr, self->graph, 8, height - self->legend_height - 8, &options, NULL, NULL);
  cairo_destroy (cr);
  gtk_snapshot_pop (snapshot);
}

static void
svyaz_canvas_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  SvyazCanvas *self = SVYAZ_CANVAS (widget);

  if (self->needs_fit)
    svyaz_canvas_zoom_fit (self);
}

/* Section: hover and tooltips */

static void
update_hover (SvyazCanvas *self,
              double       x,
              double       y)
{
  int node = -1, edge = -1;
  double sx, sy;

  self->pointer_x = x;
  self->pointer_y = y;
  if (self->graph != NULL && self->graph->laid_out)
    {
      widget_to_scene (self, x, y, &sx, &sy);
      node = node_at (self, sx, sy);
      if (node < 0 && svyaz_spatial_edges_ready (spatial_index (self)))
        edge = svyaz_spatial_edge_at (spatial_index (self), sx, sy, 4.0 / self->zoom);
    }
  if (node != self->hover_node || edge != self->hover_edge)
    {
      self->hover_node = node;
      self->hover_edge = edge;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), node >= 0 ? "pointer" : NULL);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
hover_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  SvyazCanvas *self = SVYAZ_CANVAS (widget);

  self->hover_tick = 0;
  if (self->drag_node < 0)
    update_hover (self, self->pointer_x, self->pointer_y);
  return G_SOURCE_REMOVE;
}

/* Pointer motion comes faster than frames: hit-test once per frame. */
static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           SvyazCanvas              *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  if (self->hover_tick == 0 && self->drag_node < 0)
    self->hover_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), hover_tick_cb, NULL, NULL);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          SvyazCanvas              *self)
{
  if (self->hover_node >= 0 || self->hover_edge >= 0)
    {
      self->hover_node = self->hover_edge = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
svyaz_canvas_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard,
                            GtkTooltip *tooltip)
{
  SvyazCanvas *self = SVYAZ_CANVAS (widget);
  g_autofree char *markup = NULL;

  update_hover (self, x, y);
  if (self->hover_node >= 0)
    {
      SvyazNode *n = SVYAZ_NODE (self->graph, self->hover_node);
      g_autofree char *name = g_markup_escape_text (n->name, -1);
      g_autofree char *desc = g_markup_escape_text (n->description ? n->description : "", -1);

      g_autofree char *count = g_strdup_printf (ngettext ("%u relation", "%u relations", n->degree), n->degree);

      markup = g_strdup_printf ("<b>%s</b> · %s\n%s%s%s", name, n->type, desc, *desc ? "\n" : "", count);
    }
  else if (self->hover_edge >= 0)
    {
      SvyazEdge *e = SVYAZ_EDGE (self->graph, self->hover_edge);
      g_autofree char *s = g_markup_escape_text (SVYAZ_NODE (self->graph, e->source)->name, -1);
      g_autofree char *o = g_markup_escape_text (SVYAZ_NODE (self->graph, e->target)->name, -1);
      g_autofree char *p = g_markup_escape_text (e->predicate, -1);

      g_autofree char *count = g_strdup_printf (ngettext ("%u mention, confidence %.2f",
                                                          "%u mentions, confidence %.2f", e->count),
                                                e->count, e->confidence);

      markup = g_strdup_printf ("%s —<b>%s</b>→ %s\n%s", s, p, o, count);
    }
  if (markup == NULL)
    return FALSE;
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

/* Section: gestures */

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  SvyazCanvas     *self)
{
  double sx, sy;
  int node;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->graph == NULL || !self->graph->laid_out)
    return;
  widget_to_scene (self, x, y, &sx, &sy);
  node = node_at (self, sx, sy);
  /* An empty spot clears the selection on release, so that panning from
   * it keeps the selection. */
  if (n_press == 1 && node >= 0)
    set_selected (self, node);
  else if (n_press == 2 && node >= 0)
    g_signal_emit (self, signals[NODE_ACTIVATED], 0, SVYAZ_NODE (self->graph, node)->entity_id);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   SvyazCanvas     *self)
{
  double sx, sy;

  if (self->graph == NULL || !self->graph->laid_out)
    return;
  widget_to_scene (self, x, y, &sx, &sy);
  if (node_at (self, sx, sy) < 0)
    set_selected (self, -1);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               SvyazCanvas    *self)
{
  double sx, sy;

  self->drag_node = -1;
  self->drag_origin_x = self->origin_x;
  self->drag_origin_y = self->origin_y;
  if (self->graph == NULL || !self->graph->laid_out)
    return;
  widget_to_scene (self, x, y, &sx, &sy);
  self->drag_node = node_at (self, sx, sy);
  if (self->drag_node >= 0)
    {
      self->drag_node_x = SVYAZ_NODE (self->graph, self->drag_node)->x;
      self->drag_node_y = SVYAZ_NODE (self->graph, self->drag_node)->y;
    }
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                SvyazCanvas    *self)
{
  if (self->graph == NULL)
    return;
  if (self->drag_node >= 0)
    {
      /* First: freeing the index waits for any thread still reading the
       * geometry to build it. */
      g_clear_pointer (&self->index, svyaz_spatial_free);
      svyaz_graph_move_node (self->graph, (guint) self->drag_node,
                             self->drag_node_x + dx / self->zoom,
                             self->drag_node_y + dy / self->zoom);
      g_clear_pointer (&self->reading_order, g_array_unref);
      invalidate_scene (self);
    }
  else
    set_view (self, self->drag_origin_x - dx / self->zoom,
              self->drag_origin_y - dy / self->zoom, self->zoom);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             SvyazCanvas    *self)
{
  int node = self->drag_node;
  /* Held, so that a graph shown by a handler is not this one at its address. */
  g_autoptr(SvyazGraph) graph = self->graph ? svyaz_graph_ref (self->graph) : NULL;

  self->drag_node = -1;
  if (node >= 0 && graph != NULL && (dx != 0 || dy != 0))
    {
      SvyazNode *n = SVYAZ_NODE (graph, node);

      g_signal_emit (self, signals[NODE_MOVED], 0, n->entity_id, n->x, n->y);
      /* The labels the drag hid are placed again, unless a handler has
       * shown another graph (the window shows the moved one again). */
      if (self->graph == graph)
        {
          g_clear_pointer (&self->index, svyaz_spatial_free);
          svyaz_graph_place_labels (graph);
          invalidate_scene (self);
        }
    }
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           SvyazCanvas              *self)
{
  if (dy == 0)
    return FALSE;
  svyaz_canvas_zoom_by (self, pow (ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
  return TRUE;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               SvyazCanvas      *self)
{
  self->zoom_begin = self->zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       SvyazCanvas    *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    x = y = -1;
  svyaz_canvas_zoom_by (self, self->zoom_begin * scale / self->zoom, x, y);
}

/* Section: actions */

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SvyazCanvas *self = SVYAZ_CANVAS (widget);

  if (g_str_equal (action_name, "canvas.zoom-in"))
    svyaz_canvas_zoom_by (self, ZOOM_STEP, -1, -1);
  else if (g_str_equal (action_name, "canvas.zoom-out"))
    svyaz_canvas_zoom_by (self, 1 / ZOOM_STEP, -1, -1);
  else
    svyaz_canvas_zoom_fit (self);
}

/* Section: keyboard focus between nodes */

static int
compare_reading_order (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  SvyazGraph *g = user_data;
  const SvyazNode *x = SVYAZ_NODE (g, *(const guint *) a);
  const SvyazNode *y = SVYAZ_NODE (g, *(const guint *) b);
  /* Rows a label high, read left to right. */
  int row_x = (int) floor (x->y / 36), row_y = (int) floor (y->y / 36);

  if (row_x != row_y)
    return row_x < row_y ? -1 : 1;
  return x->x < y->x ? -1 : x->x > y->x ? 1 : 0;
}

/* The nodes in reading order, built when first asked for. */
static GArray *
reading_order (SvyazCanvas *self)
{
  if (self->reading_order == NULL)
    {
      self->reading_order = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->graph->nodes->len);
      for (guint i = 0; i < self->graph->nodes->len; i++)
        g_array_append_val (self->reading_order, i);
      g_array_sort_with_data (self->reading_order, compare_reading_order, self->graph);
    }
  return self->reading_order;
}

/* Tab and Shift+Tab: the next node in reading order. Past the last (or
 * before the first) the key is not taken, and focus leaves the canvas as
 * it would any widget. */
static gboolean
focus_step (SvyazCanvas *self,
            int          step)
{
  GArray *order;
  int at = -1;

  if (self->graph == NULL || self->graph->nodes->len == 0 || !self->graph->laid_out)
    return FALSE;
  order = reading_order (self);
  for (guint i = 0; self->selected >= 0 && i < order->len; i++)
    if (g_array_index (order, guint, i) == (guint) self->selected)
      at = (int) i;
  if (at < 0)
    at = step > 0 ? 0 : (int) order->len - 1;
  else
    at += step;
  if (at < 0 || at >= (int) order->len)
    return FALSE;
  set_selected (self, (int) g_array_index (order, guint, at));
  pan_to_node (self, self->selected);
  return TRUE;
}

/* The arrows with a node selected: the nearest node that way, within 60
 * degrees either side, nearness counting the sideways offset twice. */
static gboolean
focus_towards (SvyazCanvas *self,
               double       dx,
               double       dy)
{
  const SvyazNode *from;
  double best = G_MAXDOUBLE;
  int found = -1;

  if (self->graph == NULL || self->selected < 0)
    return FALSE;
  from = SVYAZ_NODE (self->graph, self->selected);
  for (guint i = 0; i < self->graph->nodes->len; i++)
    {
      const SvyazNode *n = SVYAZ_NODE (self->graph, i);
      double vx = n->x - from->x, vy = n->y - from->y;
      double along = vx * dx + vy * dy, across = fabs (vx * dy - vy * dx);

      if ((int) i == self->selected || along <= 0 || across > along * 1.732)
        continue;
      if (along + 2 * across < best)
        {
          best = along + 2 * across;
          found = (int) i;
        }
    }
  if (found < 0)
    return TRUE;  /* nothing that way: stay, rather than pan off */
  set_selected (self, found);
  pan_to_node (self, found);
  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SvyazCanvas           *self)
{
  GdkModifierType mods = state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);

  switch (keyval)
    {
    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
      return mods == 0 && focus_step (self, 1);
    case GDK_KEY_ISO_Left_Tab:
      return mods == GDK_SHIFT_MASK && focus_step (self, -1);
    case GDK_KEY_Left:
      return mods == 0 && focus_towards (self, -1, 0);
    case GDK_KEY_Right:
      return mods == 0 && focus_towards (self, 1, 0);
    case GDK_KEY_Up:
      return mods == 0 && focus_towards (self, 0, -1);
    case GDK_KEY_Down:
      return mods == 0 && focus_towards (self, 0, 1);
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (mods != 0 || self->selected < 0)
        return FALSE;
      g_signal_emit (self, signals[NODE_ACTIVATED], 0, self->selected_id);
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * svyaz_canvas_get_announcement:
 *
 * Returns: what the canvas tells assistive technologies of the focused
 * entity (its accessible description)
 */
const char *
svyaz_canvas_get_announcement (SvyazCanvas *self)
{
  g_return_val_if_fail (SVYAZ_IS_CANVAS (self), NULL);
  return self->announcement;
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SvyazCanvas *self = SVYAZ_CANVAS (widget);
  double dx, dy;

  g_variant_get (parameter, "(dd)", &dx, &dy);
  set_view (self, self->origin_x + dx * PAN_STEP / self->zoom,
            self->origin_y + dy * PAN_STEP / self->zoom, self->zoom);
}

/* Section: transitions */

static void
stop_tween (SvyazCanvas *self)
{
  if (self->tween_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tween_tick);
  self->tween_tick = 0;
  g_clear_pointer (&self->tween, svyaz_graph_unref);
  g_clear_pointer (&self->tween_from, g_array_unref);
}

/* Puts the tween's nodes @t of the way to their places in @target. */
static void
place_tween (SvyazCanvas *self,
             SvyazGraph  *target,
             double       t)
{
  SvyazGraph *tw = self->tween;

  g_assert (target->nodes->len == tw->nodes->len);
  for (guint i = 0; i < tw->nodes->len; i++)
    {
      SvyazNode *to = SVYAZ_NODE (target, i);
      SvyazNode *n = SVYAZ_NODE (tw, i);
      double fx = g_array_index (self->tween_from, double, 2 * i);
      double fy = g_array_index (self->tween_from, double, 2 * i + 1);

      if (isnan (fx))
        fx = to->x, fy = to->y;
      n->x = fx + (to->x - fx) * t;
      n->y = fy + (to->y - fy) * t;
    }
  for (guint i = 0; i < tw->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (tw, i);
      SvyazNode *a = SVYAZ_NODE (tw, e->source), *b = SVYAZ_NODE (tw, e->target);

      e->points[0] = a->x, e->points[1] = a->y;
      e->points[2] = a->x + (b->x - a->x) / 3, e->points[3] = a->y + (b->y - a->y) / 3;
      e->points[4] = a->x + 2 * (b->x - a->x) / 3, e->points[5] = a->y + 2 * (b->y - a->y) / 3;
      e->points[6] = b->x, e->points[7] = b->y;
    }
}

static gboolean
tween_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  SvyazCanvas *self = SVYAZ_CANVAS (widget);
  double t = (double) (gdk_frame_clock_get_frame_time (clock) - self->tween_start) / TWEEN_DURATION;

  if (t >= 1.0 || self->graph == NULL)
    {
      self->tween_tick = 0;
      stop_tween (self);
      gtk_widget_queue_draw (widget);
      return G_SOURCE_REMOVE;
    }
  place_tween (self, self->graph, 1 - pow (1 - CLAMP (t, 0, 1), 3));
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* Starts moving the nodes @old and @graph share from their old places
 * to their new ones, when animations are on and the graphs are small
 * enough to draw without the cache at every frame. */
static void
start_tween (SvyazCanvas *self,
             SvyazGraph  *old,
             SvyazGraph  *graph)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  g_autoptr(GHashTable) before = NULL;
  gboolean enabled = TRUE;
  guint shared = 0;

  stop_tween (self);
  if (old == NULL || graph == NULL || !old->laid_out || !graph->laid_out ||
      old->nodes->len > TWEEN_MAX_NODES || graph->nodes->len > TWEEN_MAX_NODES ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)) || gtk_widget_get_frame_clock (GTK_WIDGET (self)) == NULL)
    return;
  g_object_get (settings, "gtk-enable-animations", &enabled, NULL);
  if (!enabled)
    return;

  before = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < old->nodes->len; i++)
    g_hash_table_insert (before, &SVYAZ_NODE (old, i)->entity_id, SVYAZ_NODE (old, i));
  self->tween_from = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * graph->nodes->len);
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SvyazNode *was = g_hash_table_lookup (before, &SVYAZ_NODE (graph, i)->entity_id);
      double xy[2] = { NAN, NAN };

      if (was != NULL)
        xy[0] = was->x, xy[1] = was->y, shared++;
      g_array_append_vals (self->tween_from, xy, 2);
    }
  if (shared == 0)
    {
      g_clear_pointer (&self->tween_from, g_array_unref);
      return;
    }
  /* The old layout's coordinates are not the new one's: line the shared
   * nodes' centres up first, so they glide rather than fly in. */
  {
    double ox = 0, oy = 0, nx = 0, ny = 0;

    for (guint i = 0; i < graph->nodes->len; i++)
      if (!isnan (g_array_index (self->tween_from, double, 2 * i)))
        {
          ox += g_array_index (self->tween_from, double, 2 * i);
          oy += g_array_index (self->tween_from, double, 2 * i + 1);
          nx += SVYAZ_NODE (graph, i)->x;
          ny += SVYAZ_NODE (graph, i)->y;
        }
    for (guint i = 0; i < graph->nodes->len; i++)
      if (!isnan (g_array_index (self->tween_from, double, 2 * i)))
        {
          g_array_index (self->tween_from, double, 2 * i) += (nx - ox) / shared;
          g_array_index (self->tween_from, double, 2 * i + 1) += (ny - oy) / shared;
        }
  }

  self->tween = svyaz_graph_copy (graph);
  for (guint i = 0; i < self->tween->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (self->tween, i);

      g_free (e->points);
      e->points = g_new0 (double, 8);
      e->n_points = 4;
      e->arrow = FALSE;
      e->label_visible = FALSE;
    }
  place_tween (self, graph, 0);
  self->tween_start = gdk_frame_clock_get_frame_time (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  self->tween_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), tween_tick_cb, NULL, NULL);
}

/* Section: GObject */

static void
svyaz_canvas_dispose (GObject *object)
{
  SvyazCanvas *self = SVYAZ_CANVAS (object);

  if (self->hover_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->hover_tick);
  self->hover_tick = 0;
  stop_tween (self);
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_pointer (&self->index, svyaz_spatial_free);
  g_clear_pointer (&self->reading_order, g_array_unref);
  g_clear_pointer (&self->graph, svyaz_graph_unref);
  g_clear_pointer (&self->scene, gsk_render_node_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->announcement, g_free);
  G_OBJECT_CLASS (svyaz_canvas_parent_class)->dispose (object);
}

static void
svyaz_canvas_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SvyazCanvas *self = SVYAZ_CANVAS (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
svyaz_canvas_class_init (SvyazCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct { guint key; double dx, dy; } arrows[] = {
    { GDK_KEY_Left, -1, 0 }, { GDK_KEY_Right, 1, 0 }, { GDK_KEY_Up, 0, -1 }, { GDK_KEY_Down, 0, 1 },
  };

  object_class->dispose = svyaz_canvas_dispose;
  object_class->get_property = svyaz_canvas_get_property;
  widget_class->snapshot = svyaz_canvas_snapshot;
  widget_class->size_allocate = svyaz_canvas_size_allocate;
  widget_class->query_tooltip = svyaz_canvas_query_tooltip;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, ZOOM_MIN, ZOOM_MAX, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SvyazCanvas::selection-changed:
   * @entity_id: the selected entity, 0 for none
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * SvyazCanvas::node-activated:
   * @entity_id: the double-clicked entity
   */
  signals[NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * SvyazCanvas::node-moved:
   * @entity_id: the entity the user dragged
   * @x: its new centre, in scene units
   * @y:
   */
  signals[NODE_MOVED] =
    g_signal_new ("node-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  /**
   * SvyazCanvas::view-changed:
   *
   * The visible area moved or was zoomed (for the minimap).
   */
  signals[VIEW_CHANGED] =
    g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "canvas.pan", "(dd)", pan_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "canvas.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "canvas.zoom-fit", NULL);
  /* The arrows alone pan when no node is selected (the key controller
   * takes them otherwise); with Ctrl they always pan. */
  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, arrows[i].key, 0, "canvas.pan",
                                           "(dd)", arrows[i].dx, arrows[i].dy);
      gtk_widget_class_add_binding_action (widget_class, arrows[i].key, GDK_CONTROL_MASK, "canvas.pan",
                                           "(dd)", arrows[i].dx, arrows[i].dy);
    }

  gtk_widget_class_set_css_name (widget_class, "svyaz-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
svyaz_canvas_init (SvyazCanvas *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *zoom = gtk_gesture_zoom_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  self->zoom = 1.0;
  self->selected = self->hover_node = self->hover_edge = self->drag_node = -1;
  self->needs_fit = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  announce (self);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
}

/* Section: public */

GtkWidget *
svyaz_canvas_new (void)
{
  return g_object_new (SVYAZ_TYPE_CANVAS, NULL);
}

/**
 * svyaz_canvas_set_appearance:
 * @dark: draw for a dark background
 * @min_label_px: labels smaller than this on screen are not drawn; 0 for
 *   the default
 */
void
svyaz_canvas_set_appearance (SvyazCanvas *self,
                             gboolean     dark,
                             double       min_label_px)
{
  g_return_if_fail (SVYAZ_IS_CANVAS (self));

  if (self->dark == (dark != FALSE) && self->min_label_px == min_label_px)
    return;
  self->dark = dark != FALSE;
  self->min_label_px = min_label_px;
  invalidate_scene (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
svyaz_canvas_get_dark (SvyazCanvas *self)
{
  g_return_val_if_fail (SVYAZ_IS_CANVAS (self), FALSE);
  return self->dark;
}

/**
 * svyaz_canvas_set_graph:
 * @graph: (nullable) (transfer none): a laid-out graph; the canvas keeps a
 *   reference and may move its nodes
 *
 * Shows @graph fitted to the view, keeping the selection if its entity is
 * still there.
 */
void
svyaz_canvas_set_graph (SvyazCanvas *self,
                        SvyazGraph  *graph)
{
  g_return_if_fail (SVYAZ_IS_CANVAS (self));

  if (graph != NULL)
    svyaz_graph_ref (graph);
  g_clear_pointer (&self->index, svyaz_spatial_free);
  g_clear_pointer (&self->reading_order, g_array_unref);
  start_tween (self, self->graph, graph);
  g_clear_pointer (&self->graph, svyaz_graph_unref);
  self->graph = graph;
  self->hover_node = self->hover_edge = self->drag_node = -1;
  self->legend_width = self->legend_height = 0;
  if (graph != NULL)
    svyaz_render_legend_size (graph, &self->legend_width, &self->legend_height);
  invalidate_scene (self);
  svyaz_canvas_zoom_fit (self);

  self->selected = graph && self->selected_id ? svyaz_graph_find_node (graph, self->selected_id) : -1;
  announce (self);
  if (self->selected < 0 && self->selected_id != 0)
    {
      self->selected_id = 0;
      g_signal_emit (self, signals[SELECTION_CHANGED], 0, (gint64) 0);
    }
}

SvyazGraph *
svyaz_canvas_get_graph (SvyazCanvas *self)
{
  g_return_val_if_fail (SVYAZ_IS_CANVAS (self), NULL);
  return self->graph;
}

/**
 * svyaz_canvas_set_marks:
 * @entity_ids: (nullable) (element-type gint64): entities to highlight,
 *   %NULL or empty for none
 * @path: whether they form a path, in order: the edges joining each to
 *   the next are highlighted too
 */
void
svyaz_canvas_set_marks (SvyazCanvas *self,
                        GArray      *entity_ids,
                        gboolean     path)
{
  g_return_if_fail (SVYAZ_IS_CANVAS (self));

  g_clear_pointer (&self->marks, g_array_unref);
  if (entity_ids != NULL && entity_ids->len > 0)
    {
      self->marks = g_array_sized_new (FALSE, FALSE, sizeof (gint64), entity_ids->len);
      g_array_append_vals (self->marks, entity_ids->data, entity_ids->len);
    }
  self->marks_path = path;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * svyaz_canvas_center_on:
 *
 * Scrolls so that the scene point (@x, @y) is in the middle of the view.
 */
void
svyaz_canvas_center_on (SvyazCanvas *self,
                        double       x,
                        double       y)
{
  g_return_if_fail (SVYAZ_IS_CANVAS (self));

  /* The user's jump wins over a pan still under way. */
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  set_view (self, x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 / self->zoom,
            y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 / self->zoom, self->zoom);
}

gboolean
svyaz_canvas_is_animating (SvyazCanvas *self)
{
  g_return_val_if_fail (SVYAZ_IS_CANVAS (self), FALSE);
  return self->tween != NULL;
}

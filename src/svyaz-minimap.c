/* svyaz-minimap.c: the overview in a corner of the canvas.
 *
 * The whole graph, fitted into the widget, as dots in their types'
 * colours joined by straight lines, recorded once per graph as a render
 * node; the canvas's visible area is a rectangle drawn on top at every
 * frame. Clicking or dragging centres the canvas there.
 */
#include "svyaz-config.h"

#include <glib/gi18n.h>
#include "svyaz-minimap.h"

#include "svyaz-render.h"

#define PAD 6.0
/* Beyond this many edges the overview shows nodes only. */
#define EDGES_MAX 20000

struct _SvyazMinimap
{
  GtkWidget      parent_instance;

  SvyazCanvas   *canvas;       /* not owned: the minimap lives beside it */
  gulong         view_handler;
  GskRenderNode *scene;
  int            scene_width;
  int            scene_height;
  double         scale;        /* widget pixels per scene unit */
  double         offset_x;     /* widget position of the scene's x0, y0 */
  double         offset_y;
};

G_DEFINE_FINAL_TYPE (SvyazMinimap, svyaz_minimap, GTK_TYPE_WIDGET)

/* Section: geometry */

static gboolean
fit (SvyazMinimap *self,
     SvyazGraph   *g)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double gw, gh;

  if (g == NULL || !g->laid_out || width <= 2 * PAD || height <= 2 * PAD)
    return FALSE;
  gw = MAX (1, g->x1 - g->x0);
  gh = MAX (1, g->y1 - g->y0);
  self->scale = MIN ((width - 2 * PAD) / gw, (height - 2 * PAD) / gh);
  self->offset_x = (width - gw * self->scale) / 2;
  self->offset_y = (height - gh * self->scale) / 2;
  return TRUE;
}

/**
 * svyaz_minimap_to_scene:
 *
 * Returns: whether there is a graph; (@sx, @sy) is the scene point under
 *   the minimap's point (@x, @y)
 */
gboolean
svyaz_minimap_to_scene (SvyazMinimap *self,
                        double        x,
                        double        y,
                        double       *sx,
                        double       *sy)
{
  SvyazGraph *g;

  g_return_val_if_fail (SVYAZ_IS_MINIMAP (self), FALSE);

  g = self->canvas ? svyaz_canvas_get_graph (self->canvas) : NULL;
  if (!fit (self, g))
    return FALSE;
  *sx = g->x0 + (x - self->offset_x) / self->scale;
  *sy = g->y0 + (y - self->offset_y) / self->scale;
  return TRUE;
}

/* Section: drawing */

static void
record (SvyazMinimap *self,
        SvyazGraph   *g)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double radius = CLAMP (self->scale * 8, 1.2, 4.0);
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_translate (cr, self->offset_x, self->offset_y);
  cairo_scale (cr, self->scale, self->scale);
  cairo_translate (cr, -g->x0, -g->y0);
  if (g->edges->len <= EDGES_MAX)
    {
      cairo_set_source_rgba (cr, 0.45, 0.45, 0.45, 0.5);
      cairo_set_line_width (cr, 0.8 / self->scale);
      for (guint i = 0; i < g->edges->len; i++)
        {
          SvyazEdge *e = SVYAZ_EDGE (g, i);
          SvyazNode *a = SVYAZ_NODE (g, e->source), *b = SVYAZ_NODE (g, e->target);

          cairo_move_to (cr, a->x, a->y);
          cairo_line_to (cr, b->x, b->y);
        }
      cairo_stroke (cr);
    }
  for (guint i = 0; i < g->nodes->len; i++)
    {
      SvyazNode *n = SVYAZ_NODE (g, i);
      const SvyazTypeStyle *style = svyaz_render_type_style (n->type);

      cairo_set_source_rgb (cr, style->r, style->g, style->b);
      cairo_new_sub_path (cr);
      cairo_arc (cr, n->x, n->y, radius / self->scale, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  g_clear_pointer (&self->scene, gsk_render_node_unref);
  self->scene = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  self->scene_width = width;
  self->scene_height = height;
}

static void
svyaz_minimap_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SvyazMinimap *self = SVYAZ_MINIMAP (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  SvyazGraph *g = self->canvas ? svyaz_canvas_get_graph (self->canvas) : NULL;
  GskRoundedRect frame;
  double area[4];
  cairo_t *cr;

  gsk_rounded_rect_init_from_rect (&frame, &GRAPHENE_RECT_INIT (0, 0, width, height), 6);
  gtk_snapshot_push_rounded_clip (snapshot, &frame);
  gtk_snapshot_append_color (snapshot, self->canvas && svyaz_canvas_get_dark (self->canvas)
                                       ? &(GdkRGBA) { 0.2, 0.2, 0.21, 0.92 } : &(GdkRGBA) { 1, 1, 1, 0.92 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (fit (self, g))
    {
      if (self->scene == NULL || self->scene_width != width || self->scene_height != height)
        record (self, g);
      gtk_snapshot_append_node (snapshot, self->scene);

      svyaz_canvas_get_visible_area (self->canvas, area);
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      cairo_rectangle (cr,
                       self->offset_x + (area[0] - g->x0) * self->scale,
                       self->offset_y + (area[1] - g->y0) * self->scale,
                       (area[2] - area[0]) * self->scale,
                       (area[3] - area[1]) * self->scale);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.15);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.9);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      cairo_destroy (cr);
    }
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &frame, (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { { 0, 0, 0, 0.25 }, { 0, 0, 0, 0.25 },
                                             { 0, 0, 0, 0.25 }, { 0, 0, 0, 0.25 } });
}

/* Section: input */

static void
jump (SvyazMinimap *self,
      double        x,
      double        y)
{
  double sx, sy;

  if (svyaz_minimap_to_scene (self, x, y, &sx, &sy))
    svyaz_canvas_center_on (self->canvas, sx, sy);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            SvyazMinimap    *self)
{
  jump (self, x, y);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                SvyazMinimap   *self)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  jump (self, x + dx, y + dy);
}

static void
view_changed_cb (SvyazCanvas  *canvas,
                 SvyazMinimap *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Section: GObject */

static void
svyaz_minimap_dispose (GObject *object)
{
  SvyazMinimap *self = SVYAZ_MINIMAP (object);

  svyaz_minimap_set_canvas (self, NULL);
  g_clear_pointer (&self->scene, gsk_render_node_unref);
  G_OBJECT_CLASS (svyaz_minimap_parent_class)->dispose (object);
}

static void
svyaz_minimap_class_init (SvyazMinimapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = svyaz_minimap_dispose;
  widget_class->snapshot = svyaz_minimap_snapshot;
  gtk_widget_class_set_css_name (widget_class, "svyaz-minimap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
svyaz_minimap_init (SvyazMinimap *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();

  gtk_widget_set_size_request (GTK_WIDGET (self), 220, 150);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Overview of the whole graph"), -1);
}

/* Section: public */

GtkWidget *
svyaz_minimap_new (void)
{
  return g_object_new (SVYAZ_TYPE_MINIMAP, NULL);
}

void
svyaz_minimap_set_canvas (SvyazMinimap *self,
                          SvyazCanvas  *canvas)
{
  g_return_if_fail (SVYAZ_IS_MINIMAP (self));
  g_return_if_fail (canvas == NULL || SVYAZ_IS_CANVAS (canvas));

  if (self->canvas != NULL)
    g_clear_signal_handler (&self->view_handler, self->canvas);
  self->canvas = canvas;
  if (canvas != NULL)
    self->view_handler = g_signal_connect (canvas, "view-changed", G_CALLBACK (view_changed_cb), self);
  svyaz_minimap_graph_changed (self);
}

/* The canvas shows another graph, or moved nodes: draw the overview again. */
void
svyaz_minimap_graph_changed (SvyazMinimap *self)
{
  g_return_if_fail (SVYAZ_IS_MINIMAP (self));

  g_clear_pointer (&self->scene, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

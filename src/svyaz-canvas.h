/* svyaz-canvas.h: the interactive graph view. */
#pragma once

#include <gtk/gtk.h>

#include "svyaz-graph.h"

G_BEGIN_DECLS

#define SVYAZ_TYPE_CANVAS (svyaz_canvas_get_type ())
G_DECLARE_FINAL_TYPE (SvyazCanvas, svyaz_canvas, SVYAZ, CANVAS, GtkWidget)

GtkWidget   *svyaz_canvas_new              (void);
void         svyaz_canvas_set_appearance   (SvyazCanvas  *self,
                                            gboolean      dark,
                                            double        min_label_px);
gboolean     svyaz_canvas_get_dark         (SvyazCanvas  *self);
const char  *svyaz_canvas_get_announcement (SvyazCanvas  *self);
void         svyaz_canvas_set_graph        (SvyazCanvas  *self,
                                            SvyazGraph   *graph);
SvyazGraph  *svyaz_canvas_get_graph        (SvyazCanvas  *self);
gint64       svyaz_canvas_get_selected     (SvyazCanvas  *self);
gboolean     svyaz_canvas_select           (SvyazCanvas  *self,
                                            gint64        entity_id,
                                            gboolean      pan);
double       svyaz_canvas_get_zoom         (SvyazCanvas  *self);
void         svyaz_canvas_zoom_fit         (SvyazCanvas  *self);
void         svyaz_canvas_zoom_by          (SvyazCanvas  *self,
                                            double        factor,
                                            double        x,
                                            double        y);
void         svyaz_canvas_get_visible_area (SvyazCanvas  *self,
                                            double       *area);
gboolean     svyaz_canvas_scene_to_widget  (SvyazCanvas  *self,
                                            gint64        entity_id,
                                            double       *x,
                                            double       *y);

void         svyaz_canvas_set_marks        (SvyazCanvas  *self,
                                            GArray       *entity_ids,
                                            gboolean      path);
void         svyaz_canvas_center_on        (SvyazCanvas  *self,
                                            double        x,
                                            double        y);
gboolean     svyaz_canvas_is_animating     (SvyazCanvas  *self);

G_END_DECLS

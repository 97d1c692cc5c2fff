/* svyaz-minimap.h: an overview of the whole graph with the canvas's
 * visible area, to see where one is and to jump elsewhere. */
#pragma once

#include <gtk/gtk.h>

#include "svyaz-canvas.h"

G_BEGIN_DECLS

#define SVYAZ_TYPE_MINIMAP (svyaz_minimap_get_type ())
G_DECLARE_FINAL_TYPE (SvyazMinimap, svyaz_minimap, SVYAZ, MINIMAP, GtkWidget)

GtkWidget   *svyaz_minimap_new            (void);
void         svyaz_minimap_set_canvas     (SvyazMinimap *self,
                                           SvyazCanvas  *canvas);
void         svyaz_minimap_graph_changed  (SvyazMinimap *self);
gboolean     svyaz_minimap_to_scene       (SvyazMinimap *self,
                                           double        x,
                                           double        y,
                                           double       *sx,
                                           double       *sy);

G_END_DECLS

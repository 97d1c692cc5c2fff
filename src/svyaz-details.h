/* svyaz-details.h: the side panel describing the selected entity. */
#pragma once

#include <gtk/gtk.h>

#include "svyaz-store.h"

G_BEGIN_DECLS

#define SVYAZ_TYPE_DETAILS (svyaz_details_get_type ())
G_DECLARE_FINAL_TYPE (SvyazDetails, svyaz_details, SVYAZ, DETAILS, GtkWidget)

GtkWidget *svyaz_details_new        (void);
gboolean   svyaz_details_set_entity (SvyazDetails  *self,
                                     SvyazStore    *store,
                                     gint64         entity_id,
                                     GError       **error);
gint64     svyaz_details_get_entity (SvyazDetails  *self);
void       svyaz_details_set_graph_info (SvyazDetails *self,
                                     const char    *measures,
                                     guint          held_back);

G_END_DECLS

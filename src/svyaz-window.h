/* svyaz-window.h: the explorer window. */
#pragma once

#include <gtk/gtk.h>

#include "svyaz-store.h"
#include "svyaz-view.h"

G_BEGIN_DECLS

#define SVYAZ_TYPE_WINDOW (svyaz_window_get_type ())

/* The heading of the error shown when a database cannot be opened; that
 * dialog offers to open another. */
#define SVYAZ_WINDOW_OPEN_FAILED "Cannot open the database"
G_DECLARE_FINAL_TYPE (SvyazWindow, svyaz_window, SVYAZ, WINDOW, GtkApplicationWindow)

SvyazWindow *svyaz_window_new           (GtkApplication *application);
void         svyaz_window_set_store     (SvyazWindow    *self,
                                         SvyazStore     *store);
SvyazStore  *svyaz_window_get_store     (SvyazWindow    *self);
void         svyaz_window_show_error    (SvyazWindow    *self,
                                         const char     *heading,
                                         const char     *message);
void         svyaz_window_focus         (SvyazWindow    *self,
                                         gint64          entity_id,
                                         guint           depth);
gboolean     svyaz_window_is_busy       (SvyazWindow    *self);
gboolean     svyaz_window_is_importing  (SvyazWindow    *self);
gboolean     svyaz_window_import_files  (SvyazWindow    *self,
                                         const char * const *paths);
gboolean     svyaz_window_create_database (SvyazWindow  *self,
                                         const char     *path,
                                         GError        **error);
GtkWidget   *svyaz_window_get_canvas    (SvyazWindow    *self);
GtkWidget   *svyaz_window_get_details   (SvyazWindow    *self);
const char  *svyaz_window_get_status    (SvyazWindow    *self);
const SvyazView *svyaz_window_get_view  (SvyazWindow    *self);

G_END_DECLS

/* svyaz-window.h: the main window. */
#pragma once

#include <gtk/gtk.h>

#include "svyaz-store.h"

G_BEGIN_DECLS

#define SVYAZ_TYPE_WINDOW (svyaz_window_get_type ())
G_DECLARE_FINAL_TYPE (SvyazWindow, svyaz_window, SVYAZ, WINDOW, GtkApplicationWindow)

SvyazWindow *svyaz_window_new        (GtkApplication *application);
void         svyaz_window_set_store  (SvyazWindow    *self,
                                      SvyazStore     *store);
SvyazStore  *svyaz_window_get_store  (SvyazWindow    *self);
void         svyaz_window_show_error (SvyazWindow    *self,
                                      const char     *message);

G_END_DECLS

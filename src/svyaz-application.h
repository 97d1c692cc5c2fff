/* svyaz-application.h: the GtkApplication of the explorer. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SVYAZ_TYPE_APPLICATION (svyaz_application_get_type ())
G_DECLARE_FINAL_TYPE (SvyazApplication, svyaz_application, SVYAZ, APPLICATION, GtkApplication)

SvyazApplication *svyaz_application_new (void);

G_END_DECLS

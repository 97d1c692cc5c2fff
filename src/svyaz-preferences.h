/* svyaz-preferences.h: the Preferences window. */
#pragma once

#include <gtk/gtk.h>

#include "svyaz-settings.h"

G_BEGIN_DECLS

#define SVYAZ_TYPE_PREFERENCES (svyaz_preferences_get_type ())
G_DECLARE_FINAL_TYPE (SvyazPreferences, svyaz_preferences, SVYAZ, PREFERENCES, GtkWindow)

SvyazPreferences *svyaz_preferences_new (GtkWindow     *parent,
                                         SvyazSettings *settings);

G_END_DECLS

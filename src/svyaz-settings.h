/* svyaz-settings.h: the user's preferences and recent databases.
 *
 * Kept in a key file, $XDG_CONFIG_HOME/svyaz/settings.ini, so the app
 * needs no GSettings schema installed to run from a build tree, and the
 * CLI and tests can read and write it without a display. A missing or
 * damaged file gives the defaults; writes replace the file whole.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SVYAZ_SETTINGS_RECENT_MAX 10

typedef enum {
  SVYAZ_COLOR_SCHEME_SYSTEM,   /* follow the desktop's preference */
  SVYAZ_COLOR_SCHEME_LIGHT,
  SVYAZ_COLOR_SCHEME_DARK,
} SvyazColorScheme;

typedef enum {
  SVYAZ_LABELS_FEW,            /* only labels drawn large */
  SVYAZ_LABELS_NORMAL,
  SVYAZ_LABELS_MANY,           /* down to the smallest readable size */
} SvyazLabelDensity;

typedef struct {
  char              *engine;        /* a new view's layout engine; NULL: chosen by size */
  gboolean           cooccurrence;  /* new views show co-occurrence edges */
  guint              hub_cap;       /* neighbours a node adds, 0 for all */
  SvyazLabelDensity  labels;
  SvyazColorScheme   color_scheme;
  GPtrArray         *recent;        /* database paths, the latest first */
} SvyazSettings;

SvyazSettings *svyaz_settings_new          (void);
SvyazSettings *svyaz_settings_load         (void);
gboolean       svyaz_settings_save         (const SvyazSettings *settings,
                                            GError             **error);
void           svyaz_settings_free         (SvyazSettings       *settings);
char          *svyaz_settings_path         (void);
void           svyaz_settings_add_recent   (SvyazSettings       *settings,
                                            const char          *path);
double         svyaz_settings_min_label_px (SvyazLabelDensity    labels);

const char    *svyaz_color_scheme_name     (SvyazColorScheme     scheme);
const char    *svyaz_label_density_name    (SvyazLabelDensity    labels);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazSettings, svyaz_settings_free)

G_END_DECLS

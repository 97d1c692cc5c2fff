/* svyaz-window-private.h: what the window's files share. */
#pragma once

#include "svyaz-analysis.h"
#include "svyaz-canvas.h"
#include "svyaz-details.h"
#include "svyaz-minimap.h"
#include "svyaz-settings.h"
#include "svyaz-view.h"
#include "svyaz-window.h"

G_BEGIN_DECLS

struct _SvyazWindow
{
  GtkApplicationWindow  parent_instance;

  SvyazStore           *store;
  SvyazSettings        *settings;        /* preferences and recent databases */
  GSettings            *desktop_settings;/* GNOME's colour scheme, if installed */
  GCancellable         *import_cancellable; /* the import under way, if any */
  SvyazView            *view;            /* what the window shows, or is laying out */
  SvyazViewHistory     *undo;            /* earlier views, for undo and redo */
  SvyazGraph           *laid_out;        /* the view's graph as the layout left it */
  SvyazAnalysis        *analysis;        /* measures of laid_out's nodes */
  SvyazFacets          *facets;          /* what laid_out's filters chose from, with counts */
  char                 *laid_out_key;    /* svyaz_view_get_key() of laid_out's view */
  SvyazFacets          *loading_facets;  /* the same for the layout under way */
  char                 *loading_key;

  /* Layout runs in a worker; results older than this are dropped. */
  guint                 generation;
  gboolean              busy;
  GCancellable         *cancellable;

  /* Selection history, for back and forward */
  GArray               *history;         /* of gint64 */
  guint                 history_pos;
  gboolean              navigating;

  /* Name search: the matches the graph shows, in rank order */
  GArray               *matches;         /* of gint64 */
  guint                 match_pos;

  /* Paths */
  gint64                path_from;
  gint64                path_to;
  GPtrArray            *paths;           /* of SvyazPath */

  gboolean              syncing;         /* sidebar widgets being set from the view */
  guint                 confidence_timeout;
  gboolean              show_sidebar;
  gboolean              show_minimap;

  char                 *status;
  char                 *notice;          /* said once in the status line, then dropped */
  guint                 shown_relations;  /* counted once per layout, */
  guint                 shown_weak;       /* not on every zoom step */

  /* Template widgets */
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *engine_button;
  GtkPaned             *paned;
  SvyazCanvas          *canvas;
  SvyazDetails         *details;
  SvyazMinimap         *minimap;
  GtkWidget            *focus_bar;
  GtkLabel             *focus_label;
  GtkWidget            *busy_box;
  GtkSpinner           *spinner;
  GtkLabel             *busy_label;
  GtkProgressBar       *busy_progress;
  GMenu                *recent_menu;
  GtkLabel             *status_label;
  GtkRevealer          *sidebar;
  GtkStack             *sidebar_stack;
  GtkBox               *filters_box;
  GtkCheckButton       *cooccurrence_check;
  GtkScale             *confidence_scale;
  GtkLabel             *confidence_label;
  GtkDropDown          *color_dropdown;
  GtkDropDown          *size_dropdown;
  GtkSearchEntry       *text_entry;
  GtkListBox           *text_results;
  GtkLabel             *text_status;
  GtkLabel             *path_from_label;
  GtkLabel             *path_to_label;
  GtkSpinButton        *path_k;
  GtkListBox           *path_results;
  GtkLabel             *path_status;
};

/* The facets the sidebar shows: of the layout under way, if any. */
static inline SvyazFacets *
svyaz_window_facets (SvyazWindow *self)
{
  return self->loading_facets ? self->loading_facets : self->facets;
}

/* svyaz-window.c */
void  svyaz_window_reload             (SvyazWindow    *self);
void  svyaz_window_change_view        (SvyazWindow    *self,
                                       SvyazView      *view);
void  svyaz_window_apply_view         (SvyazWindow    *self,
                                       SvyazView      *view,
                                       gboolean        record);
void  svyaz_window_go_to              (SvyazWindow    *self,
                                       gint64          entity_id);
void  svyaz_window_show_entities      (SvyazWindow    *self,
                                       GArray         *entity_ids,
                                       gboolean        path);
void  svyaz_window_update_status      (SvyazWindow    *self);
void  svyaz_window_notice             (SvyazWindow    *self,
                                       const char     *text);
void  svyaz_window_cancel_layout      (SvyazWindow    *self);

/* svyaz-window-actions.c */
void  svyaz_window_class_add_actions  (GtkWidgetClass *widget_class);
void  svyaz_window_update_actions     (SvyazWindow    *self);

/* svyaz-window-files.c */
void       svyaz_window_class_add_files    (GtkWidgetClass *widget_class);
void       svyaz_window_files_init         (SvyazWindow    *self);
void       svyaz_window_files_dispose      (SvyazWindow    *self);
SvyazView *svyaz_window_new_view           (SvyazWindow    *self);
void       svyaz_window_apply_appearance   (SvyazWindow    *self);
void       svyaz_window_remember_store     (SvyazWindow    *self,
                                            SvyazStore     *store);
gboolean   svyaz_window_cancel_import      (SvyazWindow    *self);
/* svyaz-window.c */
void       svyaz_window_show_import_progress (SvyazWindow  *self,
                                            double          fraction,
                                            const char     *what);

/* svyaz-window-sidebar.c */
void  svyaz_window_class_add_sidebar  (GtkWidgetClass *widget_class);
void  svyaz_window_sidebar_sync       (SvyazWindow    *self);
void  svyaz_window_find_paths         (SvyazWindow    *self);
void  svyaz_window_set_path_end       (SvyazWindow    *self,
                                       gboolean        from,
                                       gint64          entity_id);
void  svyaz_window_search_text        (SvyazWindow    *self);

G_END_DECLS

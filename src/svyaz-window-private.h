/* svyaz-window-private.h: what the window's files share. */
#pragma once

#include "svyaz-canvas.h"
#include "svyaz-details.h"
#include "svyaz-window.h"

G_BEGIN_DECLS

struct _SvyazWindow
{
  GtkApplicationWindow  parent_instance;

  SvyazStore           *store;
  char                 *engine;          /* NULL: the default for the graph's size */
  gboolean              show_cooccurrence;
  gint64                focus_id;        /* 0: the whole graph */
  guint                 depth;

  /* Layout runs in a worker; results older than this are dropped. */
  guint                 generation;
  gboolean              busy;
  GCancellable         *cancellable;

  /* Selection history, for back and forward */
  GArray               *history;         /* of gint64 */
  guint                 history_pos;
  gboolean              navigating;

  char                 *status;
  guint                 shown_relations;  /* counted once per layout, */
  guint                 shown_weak;       /* not on every zoom step */

  /* Template widgets */
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *engine_button;
  GtkPaned             *paned;
  SvyazCanvas          *canvas;
  SvyazDetails         *details;
  GtkWidget            *focus_bar;
  GtkLabel             *focus_label;
  GtkSpinner           *spinner;
  GtkLabel             *status_label;
};

void  svyaz_window_class_add_actions  (GtkWidgetClass *widget_class);
void  svyaz_window_update_actions     (SvyazWindow    *self);
void  svyaz_window_reload             (SvyazWindow    *self);
void  svyaz_window_go_to              (SvyazWindow    *self,
                                       gint64          entity_id);

G_END_DECLS

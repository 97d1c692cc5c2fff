/* svyaz-view.h: what the explorer shows, as plain data.
 *
 * A view is everything a user can change about the picture: the focus
 * and depth, nodes expanded or hidden, the filters, colouring and sizing,
 * the layout engine and the nodes moved by hand. Views are values: they
 * are copied, compared and kept on the undo stack whole, so undoing
 * restores exactly what was there. svyaz_view_get_key() names the
 * picture a layout belongs to (everything but the moved nodes), under
 * which the store keeps moved nodes across restarts.
 */
#pragma once

#include <glib.h>

#include "svyaz-store.h"

G_BEGIN_DECLS

/* Neighbours one node adds when it grows, strongest first. */
#define SVYAZ_VIEW_HUB_CAP 50

typedef enum {
  SVYAZ_COLOR_BY_TYPE,
  SVYAZ_COLOR_BY_COMMUNITY,
  SVYAZ_COLOR_BY_COMPONENT,
} SvyazColorBy;

typedef enum {
  SVYAZ_SIZE_BY_NONE,
  SVYAZ_SIZE_BY_DEGREE,
  SVYAZ_SIZE_BY_BETWEENNESS,
  SVYAZ_SIZE_BY_PAGERANK,
} SvyazSizeBy;

typedef struct {
  gint64        focus_id;        /* 0: the whole graph */
  guint         depth;           /* with a focus: 1–3 */
  gboolean      cooccurrence;    /* show co-occurrence edges */
  guint         hub_cap;         /* neighbours added per node, 0: all */
  double        min_confidence;
  char         *engine;          /* nullable: chosen by size */
  SvyazColorBy  color_by;
  SvyazSizeBy   size_by;

  /* Sets, each sorted and without repeats */
  GArray       *expanded;        /* gint64: their neighbours are added */
  GArray       *uncapped;        /* gint64: all of their neighbours are added */
  GArray       *added;           /* gint64: shown whatever the focus */
  GArray       *hidden;          /* gint64: never shown */
  GArray       *hidden_documents;/* gint64: 0 stands for imported relations */
  GPtrArray    *hidden_types;    /* char* */
  GPtrArray    *hidden_predicates;

  GArray       *pins;            /* SvyazPin by entity id: nodes moved by hand */
} SvyazView;

SvyazView  *svyaz_view_new              (void);
SvyazView  *svyaz_view_copy             (const SvyazView *view);
void        svyaz_view_free             (SvyazView       *view);
gboolean    svyaz_view_equal            (const SvyazView *a,
                                         const SvyazView *b);
char       *svyaz_view_get_key          (const SvyazView *view);
char       *svyaz_view_to_string        (const SvyazView *view);

gboolean    svyaz_view_has_filters      (const SvyazView *view);
void        svyaz_view_clear_filters    (SvyazView       *view);
void        svyaz_view_focus            (SvyazView       *view,
                                         gint64           entity_id,
                                         guint            depth);

/* Sets */
gboolean    svyaz_id_set_contains       (const GArray    *set,
                                         gint64           id);
gboolean    svyaz_id_set_add            (GArray          *set,
                                         gint64           id);
gboolean    svyaz_id_set_remove         (GArray          *set,
                                         gint64           id);
gboolean    svyaz_name_set_contains     (const GPtrArray *set,
                                         const char      *name);
gboolean    svyaz_name_set_toggle       (GPtrArray       *set,
                                         const char      *name,
                                         gboolean         in);

/* Pins */
const SvyazPin *svyaz_view_get_pin      (const SvyazView *view,
                                         gint64           entity_id);
void        svyaz_view_set_pin          (SvyazView       *view,
                                         gint64           entity_id,
                                         double           x,
                                         double           y);

/* The undo and redo stacks of views. */
typedef struct _SvyazViewHistory SvyazViewHistory;

SvyazViewHistory *svyaz_view_history_new      (void);
void              svyaz_view_history_free     (SvyazViewHistory *history);
void              svyaz_view_history_clear    (SvyazViewHistory *history);
void              svyaz_view_history_push     (SvyazViewHistory *history,
                                               const SvyazView  *before);
gboolean          svyaz_view_history_can_undo (SvyazViewHistory *history);
gboolean          svyaz_view_history_can_redo (SvyazViewHistory *history);
SvyazView        *svyaz_view_history_undo     (SvyazViewHistory *history,
                                               const SvyazView  *current);
SvyazView        *svyaz_view_history_redo     (SvyazViewHistory *history,
                                               const SvyazView  *current);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazView, svyaz_view_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazViewHistory, svyaz_view_history_free)

G_END_DECLS

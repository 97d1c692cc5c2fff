/* svyaz-window.c: the explorer window.
 *
 * The window shows a view (svyaz-view): it loads the view's graph from
 * the store, has it measured and laid out in a worker thread, and hands
 * the result to the canvas, coloured and with the nodes the user moved.
 * Every change of view goes through svyaz_window_change_view(), which
 * keeps the previous view for undo; a change that keeps the layout (a
 * moved node, another colouring) redraws without laying out again. A
 * layout that finishes after a newer one was asked for is dropped (the
 * generation counter), so the window always shows the latest request and
 * never waits on Graphviz. The details panel follows the canvas's
 * selection, whose history drives Back and Forward. The actions live in
 * svyaz-window-actions.c, the sidebar in svyaz-window-sidebar.c, the
 * layout in ui/.
 */
#include "svyaz-config.h"

#include <glib/gi18n.h>
#include "svyaz-window-private.h"

#include "svyaz-document-view.h"
#include "svyaz-layout.h"
#include "svyaz-search.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (SvyazWindow, svyaz_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ENGINE,
  PROP_SHOW_COOCCURRENCE,
  PROP_SHOW_SIDEBAR,
  PROP_SHOW_MINIMAP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  SvyazGraph    *graph;
  SvyazAnalysis *analysis;
  SvyazMeasures  measures;
  char          *engine;
  SvyazSizeBy    size_by;
  guint          generation;
  char          *signature;   /* of a layout worth keeping, else NULL */
  GBytes        *saved;       /* the store's layout of that signature */
  gboolean       restored;    /* laid out from it, not by Graphviz */
  GBytes        *save;        /* a new layout for the store */
} LayoutJob;

static void
layout_job_free (LayoutJob *job)
{
  svyaz_graph_unref (job->graph);
  g_clear_pointer (&job->analysis, svyaz_analysis_free);
  g_free (job->engine);
  g_free (job->signature);
  g_clear_pointer (&job->saved, g_bytes_unref);
  g_clear_pointer (&job->save, g_bytes_unref);
  g_free (job);
}

/* Section: status */

void
svyaz_window_update_status (SvyazWindow *self)
{
  SvyazGraph *graph = svyaz_canvas_get_graph (self->canvas);
  g_autofree char *where = NULL;
  g_autofree char *weak = NULL;
  g_autofree char *held = NULL;

  g_free (self->status);
  if (self->store == NULL)
    {
      self->status = g_strdup (_("No database open"));
      gtk_label_set_text (self->status_label, self->status);
      return;
    }
  where = g_path_get_basename (svyaz_store_get_path (self->store));
  if (graph == NULL || self->busy)
    {
      self->status = g_strdup_printf (_("%s · laying out…"), where);
      gtk_label_set_text (self->status_label, self->status);
      return;
    }
  weak = self->shown_weak ? g_strdup_printf (ngettext (" · %u co-occurrence edge", " · %u co-occurrence edges", self->shown_weak), self->shown_weak)
                          : g_strdup ("");
  held = self->facets && self->facets->held_back
         ? g_strdup_printf (ngettext (" · %u more neighbour not shown", " · %u more neighbours not shown", self->facets->held_back), self->facets->held_back) : g_strdup ("");
  /* self->facets: what the graph on the canvas was chosen from. */
  self->status = g_strdup_printf (_("%s · %u entities · %u relations%s%s%s%s · layout %s · zoom %.*f%%%s%s"),
                                  where, graph->nodes->len, self->shown_relations, weak,
                                  self->view->focus_id ? _(" (neighbourhood)") : "",
                                  svyaz_view_has_filters (self->view) ? _(" (filtered)") : "", held,
                                  graph->engine ? graph->engine : _("none"),
                                  svyaz_canvas_get_zoom (self->canvas) < 0.1 ? 1 : 0,
                                  svyaz_canvas_get_zoom (self->canvas) * 100,
                                  self->notice ? " · " : "", self->notice ? self->notice : "");
  gtk_label_set_text (self->status_label, self->status);
}

/* Says @text in the status line until the next change of view. */
void
svyaz_window_notice (SvyazWindow *self,
                     const char  *text)
{
  g_free (self->notice);
  self->notice = g_strdup (text);
  svyaz_window_update_status (self);
}

static void
zoom_notify_cb (SvyazCanvas *canvas,
                GParamSpec  *pspec,
                SvyazWindow *self)
{
  svyaz_window_update_status (self);
}

static void show_details (SvyazWindow *self,
                          gint64       entity_id);

/* Section: showing a laid-out graph */

/* The graph the canvas shows: the layout's, coloured as the view says,
 * with the nodes the user moved where they were put. */
static void
present (SvyazWindow *self)
{
  g_autoptr(SvyazGraph) shown = NULL;
  gint64 selected;

  if (self->laid_out == NULL)
    return;
  shown = svyaz_graph_copy (self->laid_out);
  if (self->analysis != NULL)
    svyaz_analysis_apply (self->analysis, shown, self->view->color_by, self->view->size_by);
  for (guint i = 0; i < self->view->pins->len; i++)
    {
      const SvyazPin *pin = &g_array_index (self->view->pins, SvyazPin, i);
      int index = svyaz_graph_find_node (shown, pin->entity_id);

      if (index >= 0)
        svyaz_graph_move_node (shown, (guint) index, pin->x, pin->y);
    }
  if (self->view->pins->len > 0)
    svyaz_graph_place_labels (shown);

  selected = svyaz_details_get_entity (self->details);
  self->shown_relations = self->shown_weak = 0;
  for (guint i = 0; i < shown->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (shown, i);

      if (e->cooccurrence)
        self->shown_weak++;
      else
        self->shown_relations += e->count;
    }
  svyaz_canvas_set_graph (self->canvas, shown);
  svyaz_minimap_graph_changed (self->minimap);
  /* A neighbourhood opens with its centre selected and described. */
  if (selected == 0 || svyaz_graph_find_node (shown, selected) < 0)
    selected = self->view->focus_id;
  if (selected != 0 && svyaz_canvas_select (self->canvas, selected, FALSE))
    show_details (self, selected);  /* its measures in this picture */
  else
    svyaz_details_set_entity (self->details, NULL, 0, NULL);
  gtk_menu_button_set_label (self->engine_button, shown->engine);
  svyaz_window_update_status (self);
}

/* Section: layout */

/* The busy box says what is under way: an import (with its progress
 * bar) before a layout, as the import's Cancel matters more. */
static void
set_busy (SvyazWindow *self,
          gboolean     busy,
          const char  *what)
{
  gboolean importing = self->import_cancellable != NULL;

  self->busy = busy;
  gtk_widget_set_visible (self->busy_box, busy || importing);
  if (busy && !importing)
    gtk_label_set_text (self->busy_label, what);
  if (busy || importing)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
}

/**
 * svyaz_window_show_import_progress:
 * @fraction: 0–1, or < 0 when the import is over
 * @what: (nullable): the document being read, or what is being done
 */
void
svyaz_window_show_import_progress (SvyazWindow *self,
                                   double       fraction,
                                   const char  *what)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->busy_progress), fraction >= 0);
  if (fraction < 0)
    {
      set_busy (self, self->busy, gtk_label_get_text (self->busy_label));
      return;
    }
  gtk_progress_bar_set_fraction (self->busy_progress, fraction);
  text = what ? g_strdup_printf (_("Importing, %.0f%%: %s"), 100 * fraction, what)
              : g_strdup_printf (_("Importing, %.0f%%…"), 100 * fraction);
  gtk_label_set_text (self->busy_label, text);
  gtk_widget_set_visible (self->busy_box, TRUE);
  gtk_spinner_start (self->spinner);
}

static void
sidebar_and_actions (SvyazWindow *self)
{
  svyaz_window_sidebar_sync (self);
  svyaz_window_update_actions (self);
}

static void
layout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LayoutJob *job = task_data;
  GError *error = NULL;

  /* The measures decide node sizes, which the layout must know. */
  job->analysis = svyaz_analysis_run_some (job->graph, job->measures);
  svyaz_analysis_apply (job->analysis, job->graph, SVYAZ_COLOR_BY_TYPE, job->size_by);
  if (job->saved != NULL && svyaz_layout_restore (job->graph, job->engine, job->saved))
    {
      job->restored = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!svyaz_layout_run (job->graph, job->engine, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->signature != NULL)
    job->save = svyaz_layout_save (job->graph);
  g_task_return_boolean (task, TRUE);
}

static void
layout_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SvyazWindow *self = SVYAZ_WINDOW (source);
  LayoutJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (job->generation == self->generation)
        {
          set_busy (self, FALSE, NULL);
          svyaz_window_show_error (self, _("Cannot lay out the graph"), error->message);
          svyaz_window_update_status (self);
        }
      return;
    }
  if (job->generation != self->generation)
    return;  /* a newer layout was asked for, or this one cancelled */

  set_busy (self, FALSE, NULL);
  g_clear_pointer (&self->laid_out, svyaz_graph_unref);
  g_clear_pointer (&self->analysis, svyaz_analysis_free);
  g_clear_pointer (&self->facets, svyaz_facets_free);
  self->laid_out = svyaz_graph_ref (job->graph);
  self->analysis = g_steal_pointer (&job->analysis);
  self->facets = g_steal_pointer (&self->loading_facets);
  g_free (self->laid_out_key);
  self->laid_out_key = g_steal_pointer (&self->loading_key);
  if (job->save != NULL && self->store != NULL)
    {
      g_autoptr(GError) save_error = NULL;

      if (!svyaz_store_begin (self->store, &save_error) ||
          !svyaz_store_put_layout (self->store, job->signature, job->graph->engine,
                                   job->graph->nodes->len, job->save, &save_error) ||
          !svyaz_store_commit (self->store, &save_error))
        {
          /* A read-only store lays the graph out again next time; no more. */
          svyaz_store_rollback (self->store);
          g_debug ("layout not kept: %s", save_error->message);
        }
    }
  present (self);
  if (job->restored)
    svyaz_window_notice (self, _("saved layout"));
  sidebar_and_actions (self);
}

/**
 * svyaz_window_reload:
 *
 * Loads the graph the view shows from the store and starts its layout;
 * the canvas keeps the previous graph until the new one is ready.
 */
void
svyaz_window_reload (SvyazWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  SvyazFacets *facets = NULL;
  g_autofree char *what = NULL;
  LayoutJob *job;
  SvyazGraph *graph;

  self->generation++;
  g_clear_pointer (&self->loading_key, g_free);
  g_clear_pointer (&self->loading_facets, svyaz_facets_free);
  if (self->store == NULL)
    {
      g_clear_pointer (&self->laid_out_key, g_free);
      g_clear_pointer (&self->facets, svyaz_facets_free);
      g_clear_pointer (&self->laid_out, svyaz_graph_unref);
      svyaz_canvas_set_graph (self->canvas, NULL);
      svyaz_minimap_graph_changed (self->minimap);
      svyaz_window_update_status (self);
      return;
    }

  graph = svyaz_graph_load_view (self->store, self->view, &facets, &error);
  if (graph == NULL)
    {
      svyaz_window_show_error (self, _("Cannot read the graph"), error->message);
      return;
    }
  self->loading_facets = facets;
  self->loading_key = svyaz_view_get_key (self->view);

  /* Nodes moved in this picture in an earlier session. */
  if (self->view->pins->len == 0)
    {
      g_autoptr(GArray) pins = svyaz_store_get_positions (self->store, self->loading_key, NULL);

      if (pins != NULL)
        g_array_append_vals (self->view->pins, pins->data, pins->len);
    }

  gtk_widget_set_visible (self->focus_bar, self->view->focus_id != 0);
  if (self->view->focus_id != 0)
    {
      int index = svyaz_graph_find_node (graph, self->view->focus_id);
      g_autofree char *text = g_strdup_printf (_("Neighbourhood of %s, depth %u"),
                                               index >= 0 ? SVYAZ_NODE (graph, index)->name : "?",
                                               self->view->depth);

      gtk_label_set_text (self->focus_label, text);
    }
  svyaz_window_sidebar_sync (self);

  job = g_new0 (LayoutJob, 1);
  job->graph = graph;
  job->engine = g_strdup (self->view->engine);
  job->size_by = self->view->size_by;
  job->measures = svyaz_analysis_needed (graph->nodes->len, self->view->color_by, self->view->size_by);
  job->generation = self->generation;
  /* A large layout may be in the store already (cheap to look up; the
   * signature says whether it is of this very graph and options). */
  if (svyaz_layout_is_cacheable (graph))
    {
      job->signature = svyaz_layout_signature (graph, job->engine, job->size_by);
      job->saved = svyaz_store_get_layout (self->store, job->signature, NULL);
    }
  what = g_strdup_printf (job->saved ? _("Drawing %u entities from the saved layout…") : _("Laying out %u entities…"),
                          graph->nodes->len);
  set_busy (self, TRUE, what);
  svyaz_window_update_status (self);

  task = g_task_new (self, self->cancellable, layout_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) layout_job_free);
  g_task_run_in_thread (task, layout_thread);
}

gboolean
svyaz_window_is_busy (SvyazWindow *self)
{
  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), FALSE);
  return self->busy;
}

/* Section: views */

/* Forgets the layout under way: its result will be dropped when it comes
 * (Graphviz cannot be interrupted; the next layout waits for it). */
static void
drop_layout (SvyazWindow *self)
{
  self->generation++;
  g_clear_pointer (&self->loading_key, g_free);
  g_clear_pointer (&self->loading_facets, svyaz_facets_free);
  set_busy (self, FALSE, NULL);
}

/**
 * svyaz_window_cancel_layout:
 *
 * Gives up the layout under way and goes back to the view shown before
 * the change that asked for it (which Redo can ask for again).
 */
void
svyaz_window_cancel_layout (SvyazWindow *self)
{
  SvyazView *previous;

  g_return_if_fail (SVYAZ_IS_WINDOW (self));

  if (!self->busy)
    return;
  drop_layout (self);
  previous = svyaz_view_history_undo (self->undo, self->view);
  if (previous != NULL)
    svyaz_window_apply_view (self, previous, FALSE);
  svyaz_window_notice (self, _("layout cancelled"));
  sidebar_and_actions (self);
}

static void
save_pins (SvyazWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = svyaz_view_get_key (self->view);

  if (self->store == NULL)
    return;
  if (!svyaz_store_begin (self->store, &error) ||
      !svyaz_store_set_positions (self->store, key, self->view->pins, &error) ||
      !svyaz_store_commit (self->store, &error))
    {
      g_autofree char *text = g_strdup_printf (_("node positions not saved: %s"), error->message);

      svyaz_store_rollback (self->store);
      svyaz_window_notice (self, text);
    }
}

/**
 * svyaz_window_apply_view:
 * @view: (transfer full): the view to show
 * @record: whether undo should come back to the current view
 *
 * Shows @view: a new layout if it shows other nodes or another layout,
 * else the same layout coloured again and with its moved nodes.
 */
void
svyaz_window_apply_view (SvyazWindow *self,
                         SvyazView   *view,
                         gboolean     record)
{
  g_autoptr(SvyazView) old = NULL;
  g_autofree char *key = NULL;
  gboolean pins_changed;

  g_return_if_fail (SVYAZ_IS_WINDOW (self));
  g_return_if_fail (view != NULL);

  if (svyaz_view_equal (view, self->view))
    {
      svyaz_view_free (view);
      return;
    }
  old = g_steal_pointer (&self->view);
  self->view = view;
  if (record)
    svyaz_view_history_push (self->undo, old);
  g_clear_pointer (&self->notice, g_free);

  key = svyaz_view_get_key (view);
  pins_changed = old->pins->len != view->pins->len ||
                 (view->pins->len > 0 &&
                  memcmp (old->pins->data, view->pins->data, view->pins->len * sizeof (SvyazPin)) != 0);
  if (self->busy && g_strcmp0 (key, self->loading_key) == 0)
    {
      /* The layout under way is of this picture: it will show this view. */
      if (pins_changed)
        save_pins (self);
      svyaz_window_sidebar_sync (self);
    }
  else if (g_strcmp0 (key, self->laid_out_key) == 0)
    {
      /* Back to the picture shown: whatever is being laid out is moot. */
      if (self->busy)
        drop_layout (self);
      if (pins_changed)
        save_pins (self);
      present (self);
      svyaz_window_sidebar_sync (self);
    }
  else
    svyaz_window_reload (self);
  if (g_strcmp0 (old->engine, view->engine) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
  if (old->cooccurrence != view->cooccurrence)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_COOCCURRENCE]);
  svyaz_window_update_actions (self);
}

/**
 * svyaz_window_change_view:
 * @view: (transfer full)
 *
 * A change the user made: shown, and undoable.
 */
void
svyaz_window_change_view (SvyazWindow *self,
                          SvyazView   *view)
{
  svyaz_window_apply_view (self, view, TRUE);
}

/**
 * svyaz_window_focus:
 * @entity_id: the entity whose neighbourhood to show, 0 for everything
 * @depth: hops from it, 1–3
 */
void
svyaz_window_focus (SvyazWindow *self,
                    gint64       entity_id,
                    guint        depth)
{
  SvyazView *view;

  g_return_if_fail (SVYAZ_IS_WINDOW (self));

  view = svyaz_view_copy (self->view);
  svyaz_view_focus (view, entity_id, depth);
  svyaz_window_change_view (self, view);
}

/**
 * svyaz_window_get_view:
 *
 * Returns: (transfer none): what the window shows
 */
const SvyazView *
svyaz_window_get_view (SvyazWindow *self)
{
  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), NULL);
  return self->view;
}

/**
 * svyaz_window_show_entities:
 * @entity_ids: (element-type gint64): entities to bring into the picture
 * @path: whether they are a path, in order
 *
 * Adds to the view those of @entity_ids it does not show (one undoable
 * change), marks them all on the canvas and selects the first.
 */
void
svyaz_window_show_entities (SvyazWindow *self,
                            GArray      *entity_ids,
                            gboolean     path)
{
  SvyazGraph *graph = self->laid_out;
  g_autoptr(SvyazView) view = svyaz_view_copy (self->view);
  gboolean missing = FALSE;

  g_return_if_fail (SVYAZ_IS_WINDOW (self));

  for (guint i = 0; i < entity_ids->len; i++)
    {
      gint64 id = g_array_index (entity_ids, gint64, i);

      if (graph == NULL || svyaz_graph_find_node (graph, id) < 0)
        {
          missing = TRUE;
          svyaz_id_set_remove (view->hidden, id);
          if (view->focus_id != 0)
            svyaz_id_set_add (view->added, id);
        }
    }
  svyaz_canvas_set_marks (self->canvas, entity_ids, path);
  if (missing && view->focus_id == 0 && svyaz_view_has_filters (view))
    {
      svyaz_window_notice (self, _("some of them are filtered out"));
      missing = FALSE;
    }
  if (missing)
    svyaz_window_change_view (self, g_steal_pointer (&view));
  if (entity_ids->len > 0)
    svyaz_canvas_select (self->canvas, g_array_index (entity_ids, gint64, 0), !missing);
}

/* Section: selection */

static void
show_details (SvyazWindow *self,
              gint64       entity_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *measures = NULL;
  guint held_back = 0;

  if (!svyaz_details_set_entity (self->details, self->store, entity_id, &error))
    {
      svyaz_window_show_error (self, _("Cannot read the entity"), error->message);
      return;
    }
  if (entity_id != 0 && self->laid_out != NULL && self->analysis != NULL)
    {
      int i = svyaz_graph_find_node (self->laid_out, entity_id);

      if (i >= 0)
        {
          const SvyazAnalysis *a = self->analysis;
          GString *text = g_string_new (NULL);

          g_string_append_printf (text, ngettext ("In this picture: %u neighbour", "In this picture: %u neighbours",
                                                    (gulong) a->degree[i]), (guint) a->degree[i]);
          if (a->measured & SVYAZ_MEASURE_BETWEENNESS)
            g_string_append_printf (text, _(" · betweenness %s%.1f"), a->sampled ? "≈" : "", a->betweenness[i]);
          if (a->measured & SVYAZ_MEASURE_PAGERANK)
            g_string_append_printf (text, _(" · PageRank %.4f"), a->pagerank[i]);
          if (a->measured & SVYAZ_MEASURE_COMMUNITIES)
            g_string_append_printf (text, _(" · community %u of %u"), a->community[i] + 1, a->n_communities);
          if (a->measured & SVYAZ_MEASURE_COMPONENTS)
            g_string_append_printf (text, _(" · component %u of %u"), a->component[i] + 1, a->n_components);
          measures = g_string_free (text, FALSE);
          held_back = SVYAZ_NODE (self->laid_out, i)->held_back;
        }
    }
  svyaz_details_set_graph_info (self->details, measures, held_back);
}

static void
selection_changed_cb (SvyazCanvas *canvas,
                      gint64       entity_id,
                      SvyazWindow *self)
{
  if (self->busy && entity_id == 0)
    return;  /* the old graph is being replaced; keep the panel */
  show_details (self, entity_id);
  if (entity_id != 0 && !self->navigating)
    {
      /* A new selection drops the forward part of the history. */
      if (self->history->len > 0 && self->history_pos + 1 < self->history->len)
        g_array_set_size (self->history, self->history_pos + 1);
      if (self->history->len == 0 ||
          g_array_index (self->history, gint64, self->history->len - 1) != entity_id)
        g_array_append_val (self->history, entity_id);
      self->history_pos = self->history->len - 1;
    }
  svyaz_window_update_actions (self);
}

/**
 * svyaz_window_go_to:
 *
 * Selects @entity_id and brings it into view; an entity outside the
 * neighbourhood shown becomes the new focus.
 */
void
svyaz_window_go_to (SvyazWindow *self,
                    gint64       entity_id)
{
  if (svyaz_canvas_select (self->canvas, entity_id, TRUE))
    return;
  show_details (self, entity_id);
  svyaz_window_focus (self, entity_id, self->view->depth ? self->view->depth : 1);
}

static void
node_activated_cb (SvyazCanvas *canvas,
                   gint64       entity_id,
                   SvyazWindow *self)
{
  svyaz_window_focus (self, entity_id, 1);
}

static void
node_moved_cb (SvyazCanvas *canvas,
               gint64       entity_id,
               double       x,
               double       y,
               SvyazWindow *self)
{
  SvyazView *view = svyaz_view_copy (self->view);

  svyaz_view_set_pin (view, entity_id, x, y);
  svyaz_window_change_view (self, view);
  svyaz_minimap_graph_changed (self->minimap);
}

static void
entity_activated_cb (SvyazDetails *details,
                     gint64        entity_id,
                     SvyazWindow  *self)
{
  svyaz_window_go_to (self, entity_id);
}

static void
document_activated_cb (SvyazDetails *details,
                       gint64        document_id,
                       gint64        entity_id,
                       SvyazWindow  *self)
{
  g_autoptr(GError) error = NULL;
  SvyazDocumentView *view;

  view = svyaz_document_view_new (GTK_WINDOW (self), self->store, document_id, entity_id, &error);
  if (view == NULL)
    {
      svyaz_window_show_error (self, _("Cannot open the document"), error->message);
      return;
    }
  gtk_window_present (GTK_WINDOW (view));
}

/* Section: name search */

/* Selects the match at @pos (wrapping) and says which it is. */
static void
show_match (SvyazWindow *self,
            int          pos)
{
  g_autofree char *text = NULL;
  gint64 id;

  if (self->matches->len == 0)
    return;
  pos = ((pos % (int) self->matches->len) + (int) self->matches->len) % (int) self->matches->len;
  self->match_pos = (guint) pos;
  id = g_array_index (self->matches, gint64, pos);
  svyaz_canvas_select (self->canvas, id, TRUE);
  text = g_strdup_printf (_("match %d of %u"), pos + 1, self->matches->len);
  svyaz_window_notice (self, text);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   SvyazWindow    *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GPtrArray) found = NULL;
  SvyazGraph *graph = svyaz_canvas_get_graph (self->canvas);

  g_array_set_size (self->matches, 0);
  self->match_pos = 0;
  if (self->store != NULL && *text != '\0')
    found = svyaz_search_names (self->store, text, 500, NULL);
  for (guint i = 0; found != NULL && graph != NULL && i < found->len; i++)
    {
      SvyazEntity *e = g_ptr_array_index (found, i);

      if (svyaz_graph_find_node (graph, e->id) >= 0)
        g_array_append_val (self->matches, e->id);
    }
  svyaz_canvas_set_marks (self->canvas, self->matches, FALSE);
  if (self->matches->len > 0)
    show_match (self, 0);
  else if (*text != '\0')
    svyaz_window_notice (self, found && found->len > 0 ? _("no match in this picture: Enter goes to the best one")
                                                       : _("no match"));
  else
    svyaz_window_notice (self, NULL);
}

static void
search_activate_cb (GtkSearchEntry *entry,
                    SvyazWindow    *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GPtrArray) found = NULL;

  if (self->matches->len > 0)
    {
      show_match (self, (int) self->match_pos + 1);
      return;
    }
  if (self->store != NULL && *text != '\0')
    found = svyaz_search_names (self->store, text, 1, NULL);
  if (found == NULL || found->len == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (entry));
      return;
    }
  svyaz_window_go_to (self, ((SvyazEntity *) g_ptr_array_index (found, 0))->id);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
search_next_cb (GtkSearchEntry *entry,
                SvyazWindow    *self)
{
  show_match (self, (int) self->match_pos + 1);
}

static void
search_previous_cb (GtkSearchEntry *entry,
                    SvyazWindow    *self)
{
  show_match (self, (int) self->match_pos - 1);
}

static gboolean
search_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       SvyazWindow           *self)
{
  if (keyval == GDK_KEY_Down)
    show_match (self, (int) self->match_pos + 1);
  else if (keyval == GDK_KEY_Up || ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) &&
                                    (state & GDK_SHIFT_MASK)))
    show_match (self, (int) self->match_pos - 1);
  else
    return FALSE;
  return TRUE;
}

static void
stop_search_cb (GtkSearchEntry *entry,
                SvyazWindow    *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  svyaz_canvas_set_marks (self->canvas, NULL, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

/* Section: GObject */

static void
svyaz_window_dispose (GObject *object)
{
  SvyazWindow *self = SVYAZ_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  svyaz_window_files_dispose (self);
  g_clear_handle_id (&self->confidence_timeout, g_source_remove);
  g_clear_object (&self->store);
  if (self->minimap != NULL)
    svyaz_minimap_set_canvas (self->minimap, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SVYAZ_TYPE_WINDOW);

  G_OBJECT_CLASS (svyaz_window_parent_class)->dispose (object);
}

static void
svyaz_window_finalize (GObject *object)
{
  SvyazWindow *self = SVYAZ_WINDOW (object);

  svyaz_view_free (self->view);
  svyaz_view_history_free (self->undo);
  g_clear_pointer (&self->facets, svyaz_facets_free);
  g_clear_pointer (&self->loading_facets, svyaz_facets_free);
  g_clear_pointer (&self->laid_out, svyaz_graph_unref);
  g_clear_pointer (&self->analysis, svyaz_analysis_free);
  g_clear_pointer (&self->paths, g_ptr_array_unref);
  g_free (self->laid_out_key);
  g_free (self->loading_key);
  g_free (self->status);
  g_free (self->notice);
  g_array_unref (self->history);
  g_array_unref (self->matches);
  G_OBJECT_CLASS (svyaz_window_parent_class)->finalize (object);
}

static void
svyaz_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SvyazWindow *self = SVYAZ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ENGINE:
      {
        /* Asked for by the action while the template is being built. */
        SvyazGraph *graph = self->canvas ? svyaz_canvas_get_graph (self->canvas) : NULL;

        g_value_set_string (value, self->view->engine ? self->view->engine
                                   : graph && graph->engine ? graph->engine : "dot");
      }
      break;
    case PROP_SHOW_COOCCURRENCE:
      g_value_set_boolean (value, self->view->cooccurrence);
      break;
    case PROP_SHOW_SIDEBAR:
      g_value_set_boolean (value, self->show_sidebar);
      break;
    case PROP_SHOW_MINIMAP:
      g_value_set_boolean (value, self->show_minimap);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
svyaz_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SvyazWindow *self = SVYAZ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      svyaz_window_set_store (self, g_value_get_object (value));
      break;
    case PROP_ENGINE:
      {
        const char *engine = g_value_get_string (value);
        SvyazView *view;

        if (!svyaz_layout_is_engine (engine) || g_strcmp0 (engine, self->view->engine) == 0)
          break;
        view = svyaz_view_copy (self->view);
        g_free (view->engine);
        view->engine = g_strdup (engine);
        gtk_menu_button_set_label (self->engine_button, engine);
        svyaz_window_change_view (self, view);
      }
      break;
    case PROP_SHOW_COOCCURRENCE:
      {
        SvyazView *view;

        if (self->view->cooccurrence == g_value_get_boolean (value))
          break;
        view = svyaz_view_copy (self->view);
        view->cooccurrence = g_value_get_boolean (value);
        svyaz_window_change_view (self, view);
      }
      break;
    case PROP_SHOW_SIDEBAR:
      if (self->show_sidebar == g_value_get_boolean (value))
        break;
      self->show_sidebar = g_value_get_boolean (value);
      gtk_revealer_set_reveal_child (self->sidebar, self->show_sidebar);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_SHOW_MINIMAP:
      if (self->show_minimap == g_value_get_boolean (value))
        break;
      self->show_minimap = g_value_get_boolean (value);
      gtk_widget_set_visible (GTK_WIDGET (self->minimap), self->show_minimap);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
svyaz_window_class_init (SvyazWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = svyaz_window_dispose;
  object_class->finalize = svyaz_window_finalize;
  object_class->get_property = svyaz_window_get_property;
  object_class->set_property = svyaz_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SVYAZ_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_string ("engine", NULL, NULL, "dot",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_COOCCURRENCE] =
    g_param_spec_boolean ("show-cooccurrence", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_SIDEBAR] =
    g_param_spec_boolean ("show-sidebar", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_MINIMAP] =
    g_param_spec_boolean ("show-minimap", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SVYAZ_TYPE_CANVAS);
  g_type_ensure (SVYAZ_TYPE_DETAILS);
  g_type_ensure (SVYAZ_TYPE_MINIMAP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/svyaz/Svyaz/ui/svyaz-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, engine_button);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, details);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, minimap);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, focus_bar);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, focus_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, busy_box);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, busy_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, busy_progress);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  svyaz_window_class_add_sidebar (widget_class);
  svyaz_window_class_add_actions (widget_class);
  svyaz_window_class_add_files (widget_class);
}

static void
svyaz_window_init (SvyazWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  /* The view is the actions' state, read as the template is built. */
  self->settings = svyaz_settings_load ();
  self->view = svyaz_window_new_view (self);
  self->undo = svyaz_view_history_new ();
  self->history = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->matches = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  svyaz_window_files_init (self);

  g_signal_connect (self->canvas, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (self->canvas, "node-activated", G_CALLBACK (node_activated_cb), self);
  g_signal_connect (self->canvas, "node-moved", G_CALLBACK (node_moved_cb), self);
  g_signal_connect (self->canvas, "notify::zoom", G_CALLBACK (zoom_notify_cb), self);
  g_signal_connect (self->details, "entity-activated", G_CALLBACK (entity_activated_cb), self);
  g_signal_connect (self->details, "document-activated", G_CALLBACK (document_activated_cb), self);
  /* Up and Down walk the matches; the entry would move the cursor. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  svyaz_minimap_set_canvas (self->minimap, self->canvas);
  svyaz_window_update_actions (self);
  svyaz_window_update_status (self);
}

/* Section: public */

SvyazWindow *
svyaz_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (SVYAZ_TYPE_WINDOW, "application", application, NULL);
}

/* Beyond this many entities a store opens on its biggest hub's
 * neighbourhood rather than on everything: the whole graph takes seconds
 * to load and minutes to lay out, and "Show All" is one click away. */
#define WHOLE_GRAPH_MAX 2000

static gint64
large_store_start (SvyazStore *store)
{
  g_autoptr(SvyazStats) stats = svyaz_store_get_stats (store, NULL);
  g_autoptr(GPtrArray) top = NULL;

  if (stats == NULL || stats->entities <= WHOLE_GRAPH_MAX)
    return 0;
  top = svyaz_store_list_entities (store, NULL, NULL, 1, NULL);
  return top != NULL && top->len > 0 ? ((SvyazEntity *) g_ptr_array_index (top, 0))->id : 0;
}

void
svyaz_window_set_store (SvyazWindow *self,
                        SvyazStore  *store)
{
  g_return_if_fail (SVYAZ_IS_WINDOW (self));
  g_return_if_fail (store == NULL || SVYAZ_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  svyaz_view_free (self->view);
  self->view = svyaz_window_new_view (self);
  svyaz_view_history_clear (self->undo);
  g_clear_pointer (&self->laid_out, svyaz_graph_unref);
  g_clear_pointer (&self->laid_out_key, g_free);
  g_clear_pointer (&self->facets, svyaz_facets_free);
  g_clear_pointer (&self->analysis, svyaz_analysis_free);
  g_clear_pointer (&self->paths, g_ptr_array_unref);
  self->path_from = self->path_to = 0;
  g_array_set_size (self->history, 0);
  self->history_pos = 0;
  svyaz_details_set_entity (self->details, NULL, 0, NULL);
  svyaz_canvas_set_graph (self->canvas, NULL);
  if (store != NULL)
    {
      g_autofree char *basename = g_path_get_basename (svyaz_store_get_path (store));

      gtk_window_set_title (GTK_WINDOW (self), basename);
      svyaz_window_remember_store (self, store);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), "Svyaz");
  if (store != NULL)
    self->view->focus_id = large_store_start (store);
  svyaz_window_update_actions (self);
  svyaz_window_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

SvyazStore *
svyaz_window_get_store (SvyazWindow *self)
{
  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), NULL);
  return self->store;
}

GtkWidget *
svyaz_window_get_canvas (SvyazWindow *self)
{
  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->canvas);
}

GtkWidget *
svyaz_window_get_details (SvyazWindow *self)
{
  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->details);
}

const char *
svyaz_window_get_status (SvyazWindow *self)
{
  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), NULL);
  return self->status;
}

#define RESPONSE_OPEN_ANOTHER 1

static void
error_response_cb (GtkDialog *dialog,
                   int        response,
                   gpointer   user_data)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == RESPONSE_OPEN_ANOTHER && parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.open", NULL);
}

/**
 * svyaz_window_show_error:
 *
 * Shows @message under @heading in a modal dialog; the window stays
 * usable. When the database itself could not be opened, the dialog
 * offers to open another.
 */
void
svyaz_window_show_error (SvyazWindow *self,
                         const char  *heading,
                         const char  *message)
{
  GtkWidget *dialog;

  g_return_if_fail (SVYAZ_IS_WINDOW (self));
  g_return_if_fail (heading != NULL && message != NULL);

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_NONE, "%s", _(heading));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", message);
  if (g_str_equal (heading, SVYAZ_WINDOW_OPEN_FAILED))
    gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Open Another…"), RESPONSE_OPEN_ANOTHER);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Close"), GTK_RESPONSE_CLOSE);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), g_str_equal (heading, SVYAZ_WINDOW_OPEN_FAILED)
                                                        ? RESPONSE_OPEN_ANOTHER : GTK_RESPONSE_CLOSE);
  g_signal_connect (dialog, "response", G_CALLBACK (error_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

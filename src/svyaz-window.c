/* svyaz-window.c: the explorer window.
 *
 * Loads the visible graph from the store (everything, or one entity's
 * neighbourhood), has it laid out in a worker thread, and hands the result
 * to the canvas; the details panel follows the canvas's selection, and the
 * selection history drives Back and Forward. A layout that finishes after
 * a newer one was asked for is dropped (the generation counter), so the
 * window always shows the latest request and never waits on Graphviz.
 * The actions live in svyaz-window-actions.c, the layout in ui/.
 */
#include "svyaz-config.h"
#include "svyaz-window-private.h"

#include "svyaz-document-view.h"
#include "svyaz-layout.h"

G_DEFINE_FINAL_TYPE (SvyazWindow, svyaz_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ENGINE,
  PROP_SHOW_COOCCURRENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  SvyazGraph *graph;
  char       *engine;
  guint       generation;
} LayoutJob;

static void
layout_job_free (LayoutJob *job)
{
  svyaz_graph_unref (job->graph);
  g_free (job->engine);
  g_free (job);
}

/* Section: status */

static void
update_status (SvyazWindow *self)
{
  SvyazGraph *graph = svyaz_canvas_get_graph (self->canvas);
  g_autofree char *where = NULL;
  g_autofree char *weak = NULL;

  g_free (self->status);
  if (self->store == NULL)
    {
      self->status = g_strdup ("No database open");
      gtk_label_set_text (self->status_label, self->status);
      return;
    }
  where = g_path_get_basename (svyaz_store_get_path (self->store));
  if (graph == NULL || self->busy)
    {
      self->status = g_strdup_printf ("%s · laying out…", where);
      gtk_label_set_text (self->status_label, self->status);
      return;
    }
  weak = self->shown_weak ? g_strdup_printf (" · %u co-occurrence edges", self->shown_weak)
                          : g_strdup ("");
  self->status = g_strdup_printf ("%s · %u entities · %u relations%s%s · layout %s · zoom %.0f%%",
                                  where, graph->nodes->len, self->shown_relations, weak,
                                  self->focus_id ? " (neighbourhood)" : "",
                                  graph->engine ? graph->engine : "none",
                                  svyaz_canvas_get_zoom (self->canvas) * 100);
  gtk_label_set_text (self->status_label, self->status);
}

static void
zoom_notify_cb (SvyazCanvas *canvas,
                GParamSpec  *pspec,
                SvyazWindow *self)
{
  update_status (self);
}

/* Section: layout */

static void
layout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LayoutJob *job = task_data;
  GError *error = NULL;

  if (svyaz_layout_run (job->graph, job->engine, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
layout_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SvyazWindow *self = SVYAZ_WINDOW (source);
  LayoutJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gint64 selected;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (job->generation == self->generation)
        {
          self->busy = FALSE;
          gtk_spinner_stop (self->spinner);
          gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
          svyaz_window_show_error (self, "Cannot lay out the graph", error->message);
          update_status (self);
        }
      return;
    }
  if (job->generation != self->generation)
    return;  /* a newer layout was asked for */

  self->busy = FALSE;
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  selected = svyaz_details_get_entity (self->details);
  self->shown_relations = self->shown_weak = 0;
  for (guint i = 0; i < job->graph->edges->len; i++)
    {
      SvyazEdge *e = SVYAZ_EDGE (job->graph, i);

      if (e->cooccurrence)
        self->shown_weak++;
      else
        self->shown_relations += e->count;
    }
  svyaz_canvas_set_graph (self->canvas, job->graph);
  /* A neighbourhood opens with its centre selected and described. */
  if (selected == 0 || svyaz_graph_find_node (job->graph, selected) < 0)
    selected = self->focus_id;
  if (selected != 0)
    svyaz_canvas_select (self->canvas, selected, FALSE);
  gtk_menu_button_set_label (self->engine_button, job->graph->engine);
  update_status (self);
}

/**
 * svyaz_window_reload:
 *
 * Loads the graph the window should show from the store and starts its
 * layout; the canvas keeps the previous graph until the new one is ready.
 */
void
svyaz_window_reload (SvyazWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  SvyazGraphQuery query = { 0 };
  LayoutJob *job;
  SvyazGraph *graph;

  self->generation++;
  if (self->store == NULL)
    {
      svyaz_canvas_set_graph (self->canvas, NULL);
      update_status (self);
      return;
    }

  query.focus_id = self->focus_id;
  query.depth = self->depth;
  query.cooccurrence = self->show_cooccurrence;
  graph = svyaz_graph_load (self->store, &query, &error);
  if (graph == NULL)
    {
      svyaz_window_show_error (self, "Cannot read the graph", error->message);
      return;
    }

  gtk_widget_set_visible (self->focus_bar, self->focus_id != 0);
  if (self->focus_id != 0)
    {
      int index = svyaz_graph_find_node (graph, self->focus_id);
      g_autofree char *text = g_strdup_printf ("Neighbourhood of %s, depth %u",
                                               index >= 0 ? SVYAZ_NODE (graph, index)->name : "?",
                                               self->depth);

      gtk_label_set_text (self->focus_label, text);
    }

  job = g_new0 (LayoutJob, 1);
  job->graph = graph;
  job->engine = g_strdup (self->engine);
  job->generation = self->generation;
  self->busy = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  update_status (self);

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
  g_return_if_fail (SVYAZ_IS_WINDOW (self));

  self->focus_id = entity_id;
  self->depth = CLAMP (depth, 1, 3);
  svyaz_window_update_actions (self);
  svyaz_window_reload (self);
}

/* Section: selection */

static void
show_details (SvyazWindow *self,
              gint64       entity_id)
{
  g_autoptr(GError) error = NULL;

  if (!svyaz_details_set_entity (self->details, self->store, entity_id, &error))
    svyaz_window_show_error (self, "Cannot read the entity", error->message);
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
  svyaz_window_focus (self, entity_id, self->depth ? self->depth : 1);
}

static void
node_activated_cb (SvyazCanvas *canvas,
                   gint64       entity_id,
                   SvyazWindow *self)
{
  svyaz_window_focus (self, entity_id, 1);
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
      svyaz_window_show_error (self, "Cannot open the document", error->message);
      return;
    }
  gtk_window_present (GTK_WINDOW (view));
}

/* Section: search */

static gint64
find_entity (SvyazWindow *self,
             const char  *text,
             gboolean     in_graph_only)
{
  g_autoptr(GPtrArray) found = NULL;
  SvyazGraph *graph = svyaz_canvas_get_graph (self->canvas);

  if (self->store == NULL || text == NULL || *text == '\0')
    return 0;
  found = svyaz_store_list_entities (self->store, NULL, text, 50, NULL);
  if (found == NULL || found->len == 0)
    return 0;
  /* Prefer a match the canvas shows. */
  for (guint i = 0; graph != NULL && i < found->len; i++)
    {
      SvyazEntity *e = g_ptr_array_index (found, i);

      if (svyaz_graph_find_node (graph, e->id) >= 0)
        return e->id;
    }
  return in_graph_only ? 0 : ((SvyazEntity *) g_ptr_array_index (found, 0))->id;
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   SvyazWindow    *self)
{
  gint64 id = find_entity (self, gtk_editable_get_text (GTK_EDITABLE (entry)), TRUE);

  if (id != 0)
    svyaz_canvas_select (self->canvas, id, TRUE);
}

static void
search_activate_cb (GtkSearchEntry *entry,
                    SvyazWindow    *self)
{
  gint64 id = find_entity (self, gtk_editable_get_text (GTK_EDITABLE (entry)), FALSE);

  if (id == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (entry));
      return;
    }
  svyaz_window_go_to (self, id);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
stop_search_cb (GtkSearchEntry *entry,
                SvyazWindow    *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

/* Section: GObject */

static void
svyaz_window_dispose (GObject *object)
{
  SvyazWindow *self = SVYAZ_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), SVYAZ_TYPE_WINDOW);

  G_OBJECT_CLASS (svyaz_window_parent_class)->dispose (object);
}

static void
svyaz_window_finalize (GObject *object)
{
  SvyazWindow *self = SVYAZ_WINDOW (object);

  g_free (self->engine);
  g_free (self->status);
  g_array_unref (self->history);
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

        g_value_set_string (value, self->engine ? self->engine
                                   : graph && graph->engine ? graph->engine : "dot");
      }
      break;
    case PROP_SHOW_COOCCURRENCE:
      g_value_set_boolean (value, self->show_cooccurrence);
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

        if (!svyaz_layout_is_engine (engine) || g_strcmp0 (engine, self->engine) == 0)
          break;
        g_free (self->engine);
        self->engine = g_strdup (engine);
        gtk_menu_button_set_label (self->engine_button, engine);
        g_object_notify_by_pspec (object, pspec);
        svyaz_window_reload (self);
      }
      break;
    case PROP_SHOW_COOCCURRENCE:
      if (self->show_cooccurrence == g_value_get_boolean (value))
        break;
      self->show_cooccurrence = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, pspec);
      svyaz_window_reload (self);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SVYAZ_TYPE_CANVAS);
  g_type_ensure (SVYAZ_TYPE_DETAILS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/svyaz/Svyaz/ui/svyaz-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, engine_button);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, details);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, focus_bar);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, focus_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  svyaz_window_class_add_actions (widget_class);
}

static void
svyaz_window_init (SvyazWindow *self)
{
  self->history = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();
  self->depth = 1;
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self->canvas, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (self->canvas, "node-activated", G_CALLBACK (node_activated_cb), self);
  g_signal_connect (self->canvas, "notify::zoom", G_CALLBACK (zoom_notify_cb), self);
  g_signal_connect (self->details, "entity-activated", G_CALLBACK (entity_activated_cb), self);
  g_signal_connect (self->details, "document-activated", G_CALLBACK (document_activated_cb), self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->canvas));
  svyaz_window_update_actions (self);
  update_status (self);
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
  self->focus_id = 0;
  g_array_set_size (self->history, 0);
  self->history_pos = 0;
  svyaz_details_set_entity (self->details, NULL, 0, NULL);
  svyaz_canvas_set_graph (self->canvas, NULL);
  if (store != NULL)
    {
      g_autofree char *basename = g_path_get_basename (svyaz_store_get_path (store));

      gtk_window_set_title (GTK_WINDOW (self), basename);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), "Svyaz");
  if (store != NULL)
    self->focus_id = large_store_start (store);
  self->depth = 1;
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
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_NONE, "%s", heading);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", message);
  if (g_str_equal (heading, SVYAZ_WINDOW_OPEN_FAILED))
    gtk_dialog_add_button (GTK_DIALOG (dialog), "_Open Another…", RESPONSE_OPEN_ANOTHER);
  gtk_dialog_add_button (GTK_DIALOG (dialog), "_Close", GTK_RESPONSE_CLOSE);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), g_str_equal (heading, SVYAZ_WINDOW_OPEN_FAILED)
                                                        ? RESPONSE_OPEN_ANOTHER : GTK_RESPONSE_CLOSE);
  g_signal_connect (dialog, "response", G_CALLBACK (error_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

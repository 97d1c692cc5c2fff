/* svyaz-window-actions.c: the explorer window's actions and shortcuts.
 *
 * Every command of the window is a "win." action installed on the class,
 * with its accelerator, so menus, buttons and keys share one path (the
 * shortcuts window, ui/help-overlay.ui, lists them all): export,
 * find, back and forward, undo and redo of view changes, expand, collapse, hide,
 * focus depth, paths, text search, show all, Escape, zoom, and the
 * property actions (layout engine, co-occurrence edges, sidebar,
 * minimap). Single letters (E, H, P) are safe as window bindings: an
 * entry with the focus takes typed letters before they bubble up.
 */
#include "svyaz-config.h"

#include <glib/gi18n.h>
#include "svyaz-window-private.h"

#include "svyaz-export.h"

/* Section: export */

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  SvyazWindow *self = SVYAZ_WINDOW (user_data);
  SvyazGraph *graph = svyaz_canvas_get_graph (self->canvas);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  SvyazExportFormat format;
  const char *choice;
  double view[4];
  double scale;
  gboolean whole;

  if (response != GTK_RESPONSE_ACCEPT || graph == NULL)
    {
      g_object_unref (dialog);
      return;
    }
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = g_file_get_path (file);
  whole = g_strcmp0 (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "area"), "view") != 0;
  choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "format");
  scale = g_ascii_strtod (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "scale") ?
                          gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "scale") : "2", NULL);

  if (path == NULL)
    {
      svyaz_window_show_error (self, _("Cannot export"), _("Only local files can be written"));
      g_object_unref (dialog);
      return;
    }
  /* A typed extension wins; else the chosen format's is added. */
  if (!svyaz_export_format_for_path (path, &format))
    {
      char *with_ext;

      if (!svyaz_export_format_parse (choice, &format))
        format = SVYAZ_EXPORT_PNG;
      with_ext = g_strdup_printf ("%s.%s", path, svyaz_export_format_name (format));
      g_free (path);
      path = with_ext;
    }
  svyaz_canvas_get_visible_area (self->canvas, view);
  if (!svyaz_export_graph (graph, format, path, scale > 0 ? scale : 2, whole ? NULL : view, &error))
    svyaz_window_show_error (self, _("Cannot export"), error->message);
  g_object_unref (dialog);
}

/* @labels translated (the file chooser copies what it is given). */
static GStrv
translated (const char **labels)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; labels[i]; i++)
    g_strv_builder_add (builder, _(labels[i]));
  return g_strv_builder_end (builder);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  static const char *format_ids[] = { "png", "svg", "pdf", "dot", "graphml", "gexf", "csv", "json", NULL };
  static const char *format_labels[] = { N_("PNG image"), N_("SVG image"), N_("PDF document"),
                                         N_("DOT (Graphviz)"), N_("GraphML (Gephi, Cytoscape, yEd)"),
                                         N_("GEXF (Gephi)"), N_("CSV node and edge lists"),
                                         N_("JSON (d3, networkx)"), NULL };
  /* The default first: GTK 4.8's fallback file chooser shows the first
   * option whatever gtk_file_chooser_set_choice() said. */
  static const char *scale_ids[] = { "2", "1", "4", NULL };
  static const char *scale_labels[] = { N_("PNG at 2× (144 dpi)"), N_("PNG at 1× (72 dpi)"), N_("PNG at 4× (288 dpi)"), NULL };
  static const char *area_ids[] = { "all", "view", NULL };
  static const char *area_labels[] = { N_("The whole graph"), N_("The current view (images)"), NULL };
  SvyazWindow *self = SVYAZ_WINDOW (widget);
  g_auto(GStrv) formats = translated (format_labels);
  g_auto(GStrv) areas = translated (area_labels);
  g_auto(GStrv) scales = translated (scale_labels);
  GtkFileChooserNative *dialog;

  if (svyaz_canvas_get_graph (self->canvas) == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export Graph"), GTK_WINDOW (widget),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "format", _("Format"), format_ids,
                               (const char **) formats);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "format", "png");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "area", _("Area"), area_ids,
                               (const char **) areas);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "area", "all");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "scale", _("Scale"), scale_ids,
                               (const char **) scales);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "scale", "2");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "graph.png");
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Section: navigation */

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);
  gboolean back = g_str_equal (action_name, "win.back");

  if (back ? self->history_pos == 0 : self->history_pos + 1 >= self->history->len)
    return;
  self->history_pos += back ? -1 : 1;
  self->navigating = TRUE;
  svyaz_window_go_to (self, g_array_index (self->history, gint64, self->history_pos));
  self->navigating = FALSE;
  svyaz_window_update_actions (self);
}

static void
show_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  svyaz_window_focus (SVYAZ_WINDOW (widget), 0, 1);
}

/* Escape cancels a layout under way; else it clears the search marks and
 * the selection; with neither it leaves a neighbourhood for the whole
 * graph. */
static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);

  if (svyaz_window_cancel_import (self))
    ;
  else if (self->busy)
    svyaz_window_cancel_layout (self);
  else if (svyaz_canvas_get_selected (self->canvas) != 0)
    svyaz_canvas_select (self->canvas, 0, FALSE);
  else if (self->view->focus_id != 0)
    show_all_action (widget, "win.show-all", NULL);
  svyaz_canvas_set_marks (self->canvas, NULL, FALSE);
}

/* Section: view changes */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);
  SvyazView *view = g_str_equal (action_name, "win.undo")
                    ? svyaz_view_history_undo (self->undo, self->view)
                    : svyaz_view_history_redo (self->undo, self->view);

  if (view != NULL)
    svyaz_window_apply_view (self, view, FALSE);
}

/* Expand adds the selection's strongest neighbours (its hub cap); Show
 * All Neighbours lifts the cap; Collapse undoes both for that entity;
 * Hide takes it out of the picture. */
static void
selection_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);
  gint64 id = svyaz_canvas_get_selected (self->canvas);
  SvyazView *view;

  if (id == 0)
    return;
  view = svyaz_view_copy (self->view);
  if (g_str_equal (action_name, "win.hide"))
    {
      if (id == view->focus_id)
        {
          svyaz_view_free (view);
          svyaz_window_notice (self, _("the centre of a neighbourhood cannot be hidden"));
          return;
        }
      svyaz_id_set_add (view->hidden, id);
      svyaz_id_set_remove (view->added, id);
      svyaz_canvas_select (self->canvas, 0, FALSE);
    }
  else if (g_str_equal (action_name, "win.collapse"))
    {
      gboolean was = svyaz_id_set_remove (view->expanded, id);

      was |= svyaz_id_set_remove (view->uncapped, id);
      if (!was)
        {
          svyaz_view_free (view);
          svyaz_window_notice (self, _("nothing to collapse: it was not expanded"));
          return;
        }
    }
  else
    {
      if (view->focus_id == 0)
        {
          /* The whole graph has every neighbour: start from this one. */
          svyaz_view_focus (view, id, 1);
        }
      svyaz_id_set_add (view->expanded, id);
      if (g_str_equal (action_name, "win.show-neighbours"))
        svyaz_id_set_add (view->uncapped, id);
    }
  svyaz_window_change_view (self, view);
}

static void
depth_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);
  gint64 id = svyaz_canvas_get_selected (self->canvas);

  if (id == 0)
    id = self->view->focus_id;
  if (id != 0)
    svyaz_window_focus (self, id, (guint) g_variant_get_int32 (parameter));
}

static void
reset_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);
  SvyazView *view = svyaz_view_copy (self->view);

  svyaz_view_clear_filters (view);
  svyaz_window_change_view (self, view);
}

/* Section: paths and text */

static void
path_end_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);
  gint64 id = svyaz_canvas_get_selected (self->canvas);
  gboolean from = g_str_equal (action_name, "win.path-from");

  if (id == 0)
    return;
  svyaz_window_set_path_end (self, from, id);
  if (!from && self->path_from != 0)
    svyaz_window_find_paths (self);
}

static void
find_paths_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  svyaz_window_find_paths (SVYAZ_WINDOW (widget));
}

static void
cancel_layout_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);

  if (!svyaz_window_cancel_import (self))
    svyaz_window_cancel_layout (self);
}

static void
search_text_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);

  g_object_set (self, "show-sidebar", TRUE, NULL);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "text");
  gtk_widget_grab_focus (GTK_WIDGET (self->text_entry));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);

  if (g_str_equal (action_name, "win.zoom-in"))
    svyaz_canvas_zoom_by (self->canvas, 1.25, -1, -1);
  else if (g_str_equal (action_name, "win.zoom-out"))
    svyaz_canvas_zoom_by (self->canvas, 0.8, -1, -1);
  else
    svyaz_canvas_zoom_fit (self->canvas);
}

/* Section: setup */

void
svyaz_window_update_actions (SvyazWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.back", self->history_pos > 0);
  gtk_widget_action_set_enabled (widget, "win.forward", self->history_pos + 1 < self->history->len);
  gboolean selected = svyaz_canvas_get_selected (self->canvas) != 0;

  gtk_widget_action_set_enabled (widget, "win.show-all", self->view->focus_id != 0);
  gtk_widget_action_set_enabled (widget, "win.export", self->store != NULL);
  gtk_widget_action_set_enabled (widget, "win.add-documents", self->store != NULL && self->import_cancellable == NULL);
  gtk_widget_action_set_enabled (widget, "win.import-graph", self->store != NULL && self->import_cancellable == NULL);
  gtk_widget_action_set_enabled (widget, "win.undo", svyaz_view_history_can_undo (self->undo));
  gtk_widget_action_set_enabled (widget, "win.redo", svyaz_view_history_can_redo (self->undo));
  gtk_widget_action_set_enabled (widget, "win.expand", selected);
  gtk_widget_action_set_enabled (widget, "win.show-neighbours", selected);
  gtk_widget_action_set_enabled (widget, "win.collapse", selected);
  gtk_widget_action_set_enabled (widget, "win.hide", selected && svyaz_canvas_get_selected (self->canvas) != self->view->focus_id);
  gtk_widget_action_set_enabled (widget, "win.path-from", selected);
  gtk_widget_action_set_enabled (widget, "win.path-to", selected);
  gtk_widget_action_set_enabled (widget, "win.depth", selected || self->view->focus_id != 0);
  gtk_widget_action_set_enabled (widget, "win.find-paths", self->path_from != 0 && self->path_to != 0);
  gtk_widget_action_set_enabled (widget, "win.reset-filters", svyaz_view_has_filters (self->view));
}

void
svyaz_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.show-all", NULL, show_all_action);
  gtk_widget_class_install_action (widget_class, "win.escape", NULL, escape_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_property_action (widget_class, "win.engine", "engine");
  gtk_widget_class_install_property_action (widget_class, "win.show-cooccurrence", "show-cooccurrence");
  gtk_widget_class_install_property_action (widget_class, "win.show-sidebar", "show-sidebar");
  gtk_widget_class_install_property_action (widget_class, "win.show-minimap", "show-minimap");
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.expand", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "win.show-neighbours", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "win.hide", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "win.collapse", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "win.depth", "i", depth_action);
  gtk_widget_class_install_action (widget_class, "win.reset-filters", NULL, reset_filters_action);
  gtk_widget_class_install_action (widget_class, "win.path-from", NULL, path_end_action);
  gtk_widget_class_install_action (widget_class, "win.path-to", NULL, path_end_action);
  gtk_widget_class_install_action (widget_class, "win.find-paths", NULL, find_paths_action);
  gtk_widget_class_install_action (widget_class, "win.search-text", NULL, search_text_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-layout", NULL, cancel_layout_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, 0, "win.expand", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_SHIFT_MASK, "win.show-neighbours", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, 0, "win.hide", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "win.collapse", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.hide", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "win.path-from", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_P, GDK_SHIFT_MASK, "win.path-to", NULL);
  for (int depth = 1; depth <= 3; depth++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + depth, GDK_CONTROL_MASK, "win.depth", "i", depth);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_A, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.search-text", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.search-text", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.show-minimap", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.escape", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
}

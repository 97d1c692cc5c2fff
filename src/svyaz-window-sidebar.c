/* svyaz-window-sidebar.c: the window's sidebar: filters, text search
 * and paths.
 *
 * Filters list what the view's graph holds before filtering (the facets),
 * each with its count, as check buttons; every toggle is a change of view,
 * so it can be undone, and the widgets are set back from the view after
 * every change (svyaz_window_sidebar_sync(), with self->syncing keeping
 * that from looping back). The confidence scale waits until the slider
 * rests before it changes the view, so one drag is one undo step.
 */
#include "svyaz-config.h"

#include <glib/gi18n.h>
#include "svyaz-window-private.h"

#include "svyaz-search.h"

/* How long the confidence slider must rest before the view follows. */
#define CONFIDENCE_DELAY_MS 300
#define TEXT_HITS_MAX 200
/* A year of news has thousands of documents: list the busiest. */
#define DOCUMENTS_LISTED 40

/* Section: filters */

typedef enum {
  FILTER_TYPE,
  FILTER_PREDICATE,
  FILTER_DOCUMENT,
} FilterKind;

static void
filter_toggled_cb (GtkCheckButton *button,
                   SvyazWindow    *self)
{
  FilterKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "svyaz-kind"));
  const char *name = g_object_get_data (G_OBJECT (button), "svyaz-name");
  gboolean shown = gtk_check_button_get_active (button);
  SvyazView *view;

  if (self->syncing)
    return;
  view = svyaz_view_copy (self->view);
  switch (kind)
    {
    case FILTER_TYPE:
      svyaz_name_set_toggle (view->hidden_types, name, !shown);
      break;
    case FILTER_PREDICATE:
      svyaz_name_set_toggle (view->hidden_predicates, name, !shown);
      break;
    case FILTER_DOCUMENT:
      {
        gint64 id = g_ascii_strtoll (name, NULL, 10);

        if (shown)
          svyaz_id_set_remove (view->hidden_documents, id);
        else
          svyaz_id_set_add (view->hidden_documents, id);
      }
      break;
    }
  svyaz_window_change_view (self, view);
}

static int
compare_documents (gconstpointer a,
                   gconstpointer b)
{
  const SvyazFacetDocument *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static void
add_heading (SvyazWindow *self,
             const char  *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (self->filters_box, label);
}

static void
add_toggle (SvyazWindow *self,
            FilterKind   kind,
            const char  *name,
            const char  *label,
            guint        count,
            gboolean     shown)
{
  g_autofree char *text = g_strdup_printf ("%s (%u)", label, count);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *child = gtk_label_new (text);

  /* Titles of documents are long: one line each, whole in the tooltip. */
  gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (child), 0);
  gtk_label_set_width_chars (GTK_LABEL (child), 10);
  gtk_check_button_set_child (GTK_CHECK_BUTTON (check), child);
  gtk_widget_set_tooltip_text (check, text);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), shown);
  g_object_set_data (G_OBJECT (check), "svyaz-kind", GINT_TO_POINTER (kind));
  g_object_set_data_full (G_OBJECT (check), "svyaz-name", g_strdup (name), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (filter_toggled_cb), self);
  gtk_box_append (self->filters_box, check);
}

static void
update_confidence_label (SvyazWindow *self,
                         double       min)
{
  g_autofree char *text = NULL;

  if (svyaz_window_facets (self) == NULL)
    {
      gtk_label_set_text (self->confidence_label, "");
      return;
    }
  text = g_strdup_printf (_("%u of %u relations at %.2f or more"),
                          svyaz_facets_count_confident (svyaz_window_facets (self), min),
                          svyaz_window_facets (self)->confidences->len, min);
  gtk_label_set_text (self->confidence_label, text);
}

/**
 * svyaz_window_sidebar_sync:
 *
 * Sets the sidebar's widgets from the view and its facets.
 */
/* Whether the filter rows already list what the facets hold, so that
 * only their ticks need setting: rebuilding them would take the keyboard
 * focus away from the box just toggled. */
static gboolean
rows_match_facets (SvyazWindow *self)
{
  g_autofree char *signature = NULL;
  GString *s = g_string_new (NULL);
  const char *built = g_object_get_data (G_OBJECT (self->filters_box), "svyaz-signature");

  for (guint i = 0; svyaz_window_facets (self) && i < svyaz_window_facets (self)->types->len; i++)
    {
      SvyazCount *c = g_ptr_array_index (svyaz_window_facets (self)->types, i);
      g_string_append_printf (s, "t%s:%" G_GINT64_FORMAT ";", c->name, c->count);
    }
  for (guint i = 0; svyaz_window_facets (self) && i < svyaz_window_facets (self)->predicates->len; i++)
    {
      SvyazCount *c = g_ptr_array_index (svyaz_window_facets (self)->predicates, i);
      g_string_append_printf (s, "p%s:%" G_GINT64_FORMAT ";", c->name, c->count);
    }
  for (guint i = 0; svyaz_window_facets (self) && i < svyaz_window_facets (self)->documents->len; i++)
    {
      SvyazFacetDocument *d = &g_array_index (svyaz_window_facets (self)->documents, SvyazFacetDocument, i);
      g_string_append_printf (s, "d%" G_GINT64_FORMAT ":%u%s;", d->id, d->count,
                              svyaz_id_set_contains (self->view->hidden_documents, d->id) ? "h" : "");
    }
  signature = g_string_free (s, FALSE);
  if (g_strcmp0 (built, signature) == 0)
    return TRUE;
  g_object_set_data_full (G_OBJECT (self->filters_box), "svyaz-signature",
                          g_steal_pointer (&signature), g_free);
  return FALSE;
}

static void
tick_rows (SvyazWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->filters_box)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *name = g_object_get_data (G_OBJECT (child), "svyaz-name");
      FilterKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "svyaz-kind"));
      gboolean shown;

      if (!GTK_IS_CHECK_BUTTON (child) || name == NULL)
        continue;
      shown = kind == FILTER_TYPE ? !svyaz_name_set_contains (self->view->hidden_types, name)
            : kind == FILTER_PREDICATE ? !svyaz_name_set_contains (self->view->hidden_predicates, name)
            : !svyaz_id_set_contains (self->view->hidden_documents, g_ascii_strtoll (name, NULL, 10));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (child), shown);
    }
}

void
svyaz_window_sidebar_sync (SvyazWindow *self)
{
  GtkWidget *child;
  SvyazView *view = self->view;

  self->syncing = TRUE;
  if (rows_match_facets (self))
    {
      tick_rows (self);
      goto rest;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->filters_box))) != NULL)
    gtk_box_remove (self->filters_box, child);

  if (svyaz_window_facets (self) != NULL)
    {
      add_heading (self, _("Entity types"));
      for (guint i = 0; i < svyaz_window_facets (self)->types->len; i++)
        {
          SvyazCount *c = g_ptr_array_index (svyaz_window_facets (self)->types, i);

          add_toggle (self, FILTER_TYPE, c->name, c->name, (guint) c->count,
                      !svyaz_name_set_contains (view->hidden_types, c->name));
        }
      add_heading (self, _("Relations"));
      for (guint i = 0; i < svyaz_window_facets (self)->predicates->len; i++)
        {
          SvyazCount *c = g_ptr_array_index (svyaz_window_facets (self)->predicates, i);

          add_toggle (self, FILTER_PREDICATE, c->name, c->name, (guint) c->count,
                      !svyaz_name_set_contains (view->hidden_predicates, c->name));
        }
      add_heading (self, _("Documents"));
      {
        /* The documents with most relations here, and any hidden one. */
        g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (SvyazFacetDocument));
        guint listed = 0;

        g_array_append_vals (order, svyaz_window_facets (self)->documents->data, svyaz_window_facets (self)->documents->len);
        g_array_sort (order, compare_documents);
        for (guint i = 0; i < order->len; i++)
          {
            SvyazFacetDocument *d = &g_array_index (order, SvyazFacetDocument, i);
            g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, d->id);
            gboolean hidden = svyaz_id_set_contains (view->hidden_documents, d->id);

            if (listed >= DOCUMENTS_LISTED && !hidden)
              continue;
            add_toggle (self, FILTER_DOCUMENT, id, d->title, d->count, !hidden);
            listed++;
          }
        if (order->len > listed)
          {
            g_autofree char *more = g_strdup_printf (ngettext ("and %u more document with fewer relations",
                                                               "and %u more documents with fewer relations",
                                                               order->len - listed),
                                                     order->len - listed);
            GtkWidget *label = gtk_label_new (more);

            gtk_label_set_xalign (GTK_LABEL (label), 0);
            gtk_widget_add_css_class (label, "dim-label");
            gtk_box_append (self->filters_box, label);
          }
      }
    }
rest:
  gtk_range_set_value (GTK_RANGE (self->confidence_scale), view->min_confidence);
  update_confidence_label (self, view->min_confidence);
  gtk_drop_down_set_selected (self->color_dropdown, (guint) view->color_by);
  gtk_drop_down_set_selected (self->size_dropdown, (guint) view->size_by);
  self->syncing = FALSE;
}

static gboolean
confidence_timeout_cb (gpointer user_data)
{
  SvyazWindow *self = user_data;
  SvyazView *view;

  self->confidence_timeout = 0;
  view = svyaz_view_copy (self->view);
  view->min_confidence = gtk_range_get_value (GTK_RANGE (self->confidence_scale));
  svyaz_window_change_view (self, view);
  return G_SOURCE_REMOVE;
}

static void
confidence_changed_cb (GtkRange    *range,
                       SvyazWindow *self)
{
  update_confidence_label (self, gtk_range_get_value (range));
  if (self->syncing)
    return;
  g_clear_handle_id (&self->confidence_timeout, g_source_remove);
  self->confidence_timeout = g_timeout_add (CONFIDENCE_DELAY_MS, confidence_timeout_cb, self);
}

/* Colour by and Size by: one change of view each. */
static void
measure_selected_cb (GtkDropDown *dropdown,
                     GParamSpec  *pspec,
                     SvyazWindow *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  SvyazView *view;

  if (self->syncing)
    return;
  view = svyaz_view_copy (self->view);
  if (dropdown == self->color_dropdown)
    view->color_by = (SvyazColorBy) selected;
  else
    view->size_by = (SvyazSizeBy) selected;
  svyaz_window_change_view (self, view);
}

/* Section: text search */

/* gtk_list_box_remove_all() is GTK 4.12. */
static void
clear_list (GtkListBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_list_box_remove (box, child);
}

static GtkWidget *
wrapped_label (const char *text,
               gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* A result row holding @box. */
static GtkWidget *
append_row (GtkListBox *list,
            GtkWidget  *box)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_append (list, row);
  return row;
}

/**
 * svyaz_window_search_text:
 *
 * Lists the sentences holding the words of the text entry, each with the
 * entities it mentions; activating one shows those entities.
 */
void
svyaz_window_search_text (SvyazWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->text_entry));
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  clear_list (self->text_results);
  if (self->store == NULL || *text == '\0')
    {
      gtk_label_set_text (self->text_status, _("Sentences of the documents holding every word, in any form."));
      return;
    }
  hits = svyaz_search_sentences (self->store, text, TEXT_HITS_MAX, &error);
  if (hits == NULL)
    {
      gtk_label_set_text (self->text_status, error->message);
      return;
    }
  for (guint i = 0; i < hits->len; i++)
    {
      SvyazSentenceHit *hit = g_ptr_array_index (hits, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *row;
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *source = g_strdup_printf ("%s", hit->document_title);

      for (guint e = 0; e < hit->entity_names->len; e++)
        g_string_append_printf (names, "%s%s", e ? ", " : "", (char *) g_ptr_array_index (hit->entity_names, e));
      gtk_box_append (GTK_BOX (box), wrapped_label (hit->text, FALSE));
      if (names->len > 0)
        gtk_box_append (GTK_BOX (box), wrapped_label (names->str, TRUE));
      gtk_box_append (GTK_BOX (box), wrapped_label (source, TRUE));
      row = append_row (self->text_results, box);
      g_object_set_data_full (G_OBJECT (row), "svyaz-entities", g_array_ref (hit->entity_ids),
                              (GDestroyNotify) g_array_unref);
    }
  status = hits->len == 0 ? g_strdup (_("No sentence holds every word."))
         : hits->len == TEXT_HITS_MAX
         ? g_strdup_printf (_("The first %u sentences; choose one to show its entities."), hits->len)
         : g_strdup_printf (ngettext ("%u sentence; choose one to show its entities.",
                                      "%u sentences; choose one to show its entities.", hits->len), hits->len);
  gtk_label_set_text (self->text_status, status);
}

static void
text_changed_cb (GtkSearchEntry *entry,
                 SvyazWindow    *self)
{
  svyaz_window_search_text (self);
}

static void
text_row_activated_cb (GtkListBox    *box,
                       GtkListBoxRow *row,
                       SvyazWindow   *self)
{
  GArray *ids = g_object_get_data (G_OBJECT (row), "svyaz-entities");

  if (ids == NULL || ids->len == 0)
    {
      svyaz_window_notice (self, _("no entity is mentioned in that sentence"));
      return;
    }
  svyaz_window_show_entities (self, ids, FALSE);
}

/* Section: paths */

static char *
entity_name (SvyazWindow *self,
             gint64       id)
{
  g_autoptr(SvyazEntity) entity = NULL;

  if (id == 0 || self->store == NULL)
    return g_strdup ("—");
  entity = svyaz_store_get_entity (self->store, id, NULL);
  return g_strdup (entity ? entity->name : "—");
}

void
svyaz_window_set_path_end (SvyazWindow *self,
                           gboolean     from,
                           gint64       entity_id)
{
  g_autofree char *name = entity_name (self, entity_id);

  if (from)
    self->path_from = entity_id;
  else
    self->path_to = entity_id;
  gtk_label_set_text (from ? self->path_from_label : self->path_to_label, name);
  g_object_set (self, "show-sidebar", TRUE, NULL);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "paths");
  svyaz_window_update_actions (self);
}

/**
 * svyaz_window_find_paths:
 *
 * The shortest paths between the two chosen entities, through what the
 * filters let pass, listed with the relations of each hop; the first is
 * shown on the canvas.
 */
void
svyaz_window_find_paths (SvyazWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  GtkListBoxRow *first;

  clear_list (self->path_results);
  g_clear_pointer (&self->paths, g_ptr_array_unref);
  if (self->store == NULL || self->path_from == 0 || self->path_to == 0)
    return;
  self->paths = svyaz_find_paths (self->store, self->view, self->path_from, self->path_to,
                                  (guint) gtk_spin_button_get_value_as_int (self->path_k), &error);
  if (self->paths == NULL)
    {
      gtk_label_set_text (self->path_status, error->message);
      return;
    }
  for (guint i = 0; i < self->paths->len; i++)
    {
      SvyazPath *path = g_ptr_array_index (self->paths, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title = wrapped_label (path->text, FALSE);

      gtk_widget_add_css_class (title, "heading");
      gtk_box_append (GTK_BOX (box), title);
      for (guint h = 0; h < path->hops->len; h++)
        {
          GPtrArray *hop = g_ptr_array_index (path->hops, h);
          SvyazRelation *r = hop->len > 0 ? g_ptr_array_index (hop, 0) : NULL;
          g_autofree char *more = NULL;
          g_autofree char *line = NULL;

          if (r == NULL)
            continue;
          more = hop->len > 1 ? g_strdup_printf (_(" (+%u more)"), hop->len - 1) : g_strdup ("");
          line = g_strdup_printf ("%s %s %s%s%s%s%s", r->subject, r->predicate, r->object, more,
                                  r->evidence ? ": «" : "", r->evidence ? r->evidence : "",
                                  r->evidence ? "»" : "");
          gtk_box_append (GTK_BOX (box), wrapped_label (line, TRUE));
        }
      g_object_set_data (G_OBJECT (append_row (self->path_results, box)), "svyaz-path", path);
    }
  status = self->paths->len == 0
           ? g_strdup_printf (_("No path within %u hops through what the filters show."), SVYAZ_PATH_MAX_HOPS)
           : g_strdup_printf (ngettext ("%u path, shortest first.", "%u paths, shortest first.", self->paths->len),
                              self->paths->len);
  gtk_label_set_text (self->path_status, status);
  first = gtk_list_box_get_row_at_index (self->path_results, 0);
  if (first != NULL)
    {
      gtk_list_box_select_row (self->path_results, first);
      g_signal_emit_by_name (self->path_results, "row-activated", first);
    }
}

static void
path_row_activated_cb (GtkListBox    *box,
                       GtkListBoxRow *row,
                       SvyazWindow   *self)
{
  SvyazPath *path = g_object_get_data (G_OBJECT (row), "svyaz-path");

  if (path != NULL)
    svyaz_window_show_entities (self, path->entity_ids, TRUE);
}

/* Section: setup */

void
svyaz_window_class_add_sidebar (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, filters_box);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, cooccurrence_check);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, confidence_scale);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, color_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, size_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, text_entry);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, text_results);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, text_status);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, path_from_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, path_to_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, path_k);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, path_results);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, path_status);
  gtk_widget_class_bind_template_callback (widget_class, confidence_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, measure_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, text_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, path_row_activated_cb);
}

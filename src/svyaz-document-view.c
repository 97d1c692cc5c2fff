/* svyaz-document-view.c: a window with one whole document, its mentions marked.
 *
 * Opened from the details panel: the text as stored, each mention tinted
 * with its entity type's colour, the mentions of the entity the user came
 * from in bold and underlined, and the first of them scrolled into view.
 * Mentions are stored as byte offsets; the buffer counts characters.
 */
#include "svyaz-config.h"

#include <glib/gi18n.h>
#include "svyaz-document-view.h"

#include "svyaz-render.h"

struct _SvyazDocumentView
{
  GtkWindow    parent_instance;

  GtkLabel    *title_label;
  GtkTextView *text_view;
  GtkLabel    *info_label;

  guint        n_marked;
  guint        n_focus;
};

G_DEFINE_FINAL_TYPE (SvyazDocumentView, svyaz_document_view, GTK_TYPE_WINDOW)

static GtkTextTag *
tag_for_type (GtkTextBuffer *buffer,
              const char    *type)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  g_autofree char *name = g_strdup_printf ("type:%s", type);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);

  if (tag == NULL)
    {
      const SvyazTypeStyle *style = svyaz_render_type_style (type);
      GdkRGBA color;
      double r, g, b;

      svyaz_render_fill_color (style, FALSE, &r, &g, &b);
      color = (GdkRGBA) { r, g, b, 1 };
      tag = gtk_text_buffer_create_tag (buffer, name, "background-rgba", &color,
                                        "foreground", "#1e1e1e", NULL);
    }
  return tag;
}

static void
svyaz_document_view_class_init (SvyazDocumentViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/svyaz/Svyaz/ui/svyaz-document-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SvyazDocumentView, title_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazDocumentView, text_view);
  gtk_widget_class_bind_template_child (widget_class, SvyazDocumentView, info_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
svyaz_document_view_init (SvyazDocumentView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * svyaz_document_view_new:
 * @entity_id: the entity whose mentions stand out, or 0
 *
 * Returns: (transfer none): the new window, not yet shown, or %NULL
 */
SvyazDocumentView *
svyaz_document_view_new (GtkWindow   *parent,
                         SvyazStore  *store,
                         gint64       document_id,
                         gint64       entity_id,
                         GError     **error)
{
  g_autoptr(SvyazDocument) document = NULL;
  g_autoptr(GPtrArray) mentions = NULL;
  g_autofree char *body = NULL;
  g_autofree char *info = NULL;
  SvyazDocumentView *self;
  GtkTextBuffer *buffer;
  GtkTextTag *focus_tag;
  GtkTextMark *first = NULL;
  const char *at;
  glong offset = 0;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);

  document = svyaz_store_get_document (store, document_id, &body, error);
  if (document == NULL)
    return NULL;
  mentions = svyaz_store_list_mentions (store, document_id, 0, -1, error);
  if (mentions == NULL)
    return NULL;

  self = g_object_new (SVYAZ_TYPE_DOCUMENT_VIEW, "transient-for", parent, NULL);
  gtk_window_set_title (GTK_WINDOW (self), document->title);
  gtk_label_set_text (self->title_label, document->title);
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_set_text (buffer, body, -1);
  focus_tag = gtk_text_buffer_create_tag (buffer, "focus", "weight", PANGO_WEIGHT_BOLD,
                                          "underline", PANGO_UNDERLINE_SINGLE, NULL);

  /* Mentions come sorted by start: walk the text once. */
  at = body;
  for (guint i = 0; i < mentions->len; i++)
    {
      SvyazMention *m = g_ptr_array_index (mentions, i);
      GtkTextIter start, end;
      glong start_chars, end_chars;

      if (m->start < at - body || (gsize) m->end > document->length)
        continue;
      offset += g_utf8_pointer_to_offset (at, body + m->start);
      at = body + m->start;
      start_chars = offset;
      end_chars = offset + g_utf8_pointer_to_offset (at, body + m->end);
      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) start_chars);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) end_chars);
      gtk_text_buffer_apply_tag (buffer, tag_for_type (buffer, m->type), &start, &end);
      self->n_marked++;
      if (m->entity_id == entity_id)
        {
          gtk_text_buffer_apply_tag (buffer, focus_tag, &start, &end);
          self->n_focus++;
          if (first == NULL)
            first = gtk_text_buffer_create_mark (buffer, "first", &start, TRUE);
        }
    }
  if (first != NULL)
    gtk_text_view_scroll_to_mark (self->text_view, first, 0.1, FALSE, 0, 0);

  if (self->n_focus > 0)
    info = g_strdup_printf (_("%s · %u mentions marked, %u of the selected entity"),
                            document->source ? document->source : document->title,
                            self->n_marked, self->n_focus);
  else
    info = g_strdup_printf (_("%s · %u mentions marked"),
                            document->source ? document->source : document->title, self->n_marked);
  gtk_label_set_text (self->info_label, info);
  return self;
}

guint
svyaz_document_view_count_marked (SvyazDocumentView *self,
                                  gboolean           focus_only)
{
  g_return_val_if_fail (SVYAZ_IS_DOCUMENT_VIEW (self), 0);
  return focus_only ? self->n_focus : self->n_marked;
}

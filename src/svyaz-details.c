/* svyaz-details.c: the side panel describing the selected entity.
 *
 * Shows what the store knows of one entity: name, type, description,
 * aliases and degree, then its relations grouped by predicate and
 * direction. Each neighbour is a link ("entity:ID") and each relation
 * shows its evidence sentence with the two entities' mentions in bold,
 * the document it came from, and a link ("document:ID") that opens the
 * whole text. The window listens to the two signals and does the rest.
 */
#include "svyaz-config.h"

#include <glib/gi18n.h>
#include "svyaz-details.h"
#include "svyaz-view.h"

#include <stdlib.h>
#include <string.h>

#include "svyaz-render.h"

/* A hub's panel lists this many relations and counts the rest. */
#define MAX_ROWS 200

struct _SvyazDetails
{
  GtkWidget   parent_instance;

  gint64      entity_id;

  GtkStack   *stack;
  GtkLabel   *name_label;
  GtkLabel   *type_label;
  GtkLabel   *description_label;
  GtkLabel   *aliases_label;
  GtkLabel   *degree_label;
  GtkLabel   *measures_label;
  GtkWidget  *held_back_box;
  GtkLabel   *held_back_label;
  GtkBox     *relations_box;
  gboolean    refocus;      /* the keyboard was in the relations cleared */
};

G_DEFINE_FINAL_TYPE (SvyazDetails, svyaz_details, GTK_TYPE_WIDGET)

enum {
  ENTITY_ACTIVATED,
  DOCUMENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Section: evidence */

/* The sentence as Pango markup, the mentions of @a and @b in bold. */
static char *
evidence_markup (SvyazStore    *store,
                 SvyazRelation *r)
{
  g_autoptr(GPtrArray) mentions = NULL;
  GString *out = g_string_new ("«");
  gint64 at = r->evidence_start;
  gsize len = strlen (r->evidence);

  mentions = svyaz_store_list_mentions (store, r->document_id, r->evidence_start,
                                        r->evidence_end, NULL);
  for (guint i = 0; mentions != NULL && i < mentions->len; i++)
    {
      SvyazMention *m = g_ptr_array_index (mentions, i);
      g_autofree char *before = NULL;
      g_autofree char *inside = NULL;

      if ((m->entity_id != r->subject_id && m->entity_id != r->object_id) || m->start < at ||
          (gsize) (m->end - r->evidence_start) > len)
        continue;
      before = g_markup_escape_text (r->evidence + (at - r->evidence_start), m->start - at);
      inside = g_markup_escape_text (r->evidence + (m->start - r->evidence_start), m->end - m->start);
      g_string_append_printf (out, "%s<b>%s</b>", before, inside);
      at = m->end;
    }
  {
    g_autofree char *rest = g_markup_escape_text (r->evidence + (at - r->evidence_start), -1);

    g_string_append (out, rest);
  }
  g_string_append (out, "»");
  return g_string_free (out, FALSE);
}

typedef struct {
  SvyazDetails *self;
  char         *uri;
} LinkActivation;

static void
link_activation_free (gpointer data)
{
  LinkActivation *link = data;

  g_object_unref (link->self);
  g_free (link->uri);
  g_free (link);
}

static gboolean
follow_link_cb (gpointer data)
{
  LinkActivation *link = data;
  SvyazDetails *self = link->self;

  if (g_str_has_prefix (link->uri, "entity:"))
    g_signal_emit (self, signals[ENTITY_ACTIVATED], 0,
                   (gint64) g_ascii_strtoll (link->uri + strlen ("entity:"), NULL, 10));
  else
    g_signal_emit (self, signals[DOCUMENT_ACTIVATED], 0,
                   (gint64) g_ascii_strtoll (link->uri + strlen ("document:"), NULL, 10), self->entity_id);
  return G_SOURCE_REMOVE;
}

/* Followed from the main loop, not here: an entity link rebuilds the
 * panel, and the label must not be destroyed inside its own key or click
 * handler (GTK 4.8 then checks focus on a finalized widget). */
static gboolean
activate_link_cb (GtkLabel     *label,
                  const char   *uri,
                  SvyazDetails *self)
{
  LinkActivation *link;

  if (!g_str_has_prefix (uri, "entity:") && !g_str_has_prefix (uri, "document:"))
    return FALSE;
  link = g_new0 (LinkActivation, 1);
  link->self = g_object_ref (self);
  link->uri = g_strdup (uri);
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, follow_link_cb, link, link_activation_free);
  return TRUE;
}

static GtkWidget *
make_label (SvyazDetails *self,
            const char   *markup,
            const char   *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  g_signal_connect (label, "activate-link", G_CALLBACK (activate_link_cb), self);
  return label;
}

/* Section: relations */

typedef struct {
  char      *heading;
  GPtrArray *relations;   /* borrowed SvyazRelation */
} Group;

static void
group_free (Group *group)
{
  g_free (group->heading);
  g_ptr_array_unref (group->relations);
  g_free (group);
}

static void
add_relation_row (SvyazDetails  *self,
                  SvyazStore    *store,
                  SvyazRelation *r,
                  gint64        *last_neighbour)
{
  gboolean outgoing = r->subject_id == self->entity_id;
  gint64 other = outgoing ? r->object_id : r->subject_id;
  const char *other_name = outgoing ? r->object : r->subject;
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_set_margin_start (row, 10);
  if (other != *last_neighbour)
    {
      g_autofree char *name = g_markup_escape_text (other_name, -1);
      g_autofree char *markup = g_strdup_printf ("%s <a href=\"entity:%" G_GINT64_FORMAT "\">%s</a>",
                                                 outgoing ? "→" : "←", other, name);

      gtk_box_append (GTK_BOX (row), make_label (self, markup, NULL));
      *last_neighbour = other;
    }
  if (r->evidence != NULL && r->document_id != 0)
    {
      g_autofree char *evidence = evidence_markup (store, r);
      g_autofree char *title = g_markup_escape_text (r->document_title ? r->document_title : "", -1);
      g_autofree char *uri = g_strdup_printf ("document:%" G_GINT64_FORMAT, r->document_id);
      g_autofree char *source = g_strdup_printf (_("%s · confidence %.2f · <a href=\"%s\">Open document</a>"),
                                                 title, r->confidence, uri);
      GtkWidget *evidence_label = make_label (self, evidence, NULL);

      gtk_label_set_selectable (GTK_LABEL (evidence_label), TRUE);
      gtk_widget_set_margin_start (evidence_label, 14);
      gtk_box_append (GTK_BOX (row), evidence_label);
      evidence_label = make_label (self, source, "caption");
      gtk_widget_add_css_class (evidence_label, "dim-label");
      gtk_widget_set_margin_start (evidence_label, 14);
      gtk_widget_set_margin_bottom (evidence_label, 4);
      gtk_box_append (GTK_BOX (row), evidence_label);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("imported, confidence %.2f"), r->confidence);
      GtkWidget *label = make_label (self, text, "caption");

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_start (label, 14);
      gtk_box_append (GTK_BOX (row), label);
    }
  gtk_box_append (self->relations_box, row);
}

/* A link followed by keyboard rebuilds the list it sat in: focus leaves
 * it before its widgets go (GTK 4.8 otherwise keeps checking focus on a
 * finalized label) and comes back to the new list's first link. */
static void
clear_relations (SvyazDetails *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *child;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->relations_box)))
    {
      gtk_root_set_focus (root, NULL);
      self->refocus = TRUE;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->relations_box))) != NULL)
    gtk_box_remove (self->relations_box, child);
}

/* Section: GObject */

static void
svyaz_details_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SVYAZ_TYPE_DETAILS);
  G_OBJECT_CLASS (svyaz_details_parent_class)->dispose (object);
}

static void
svyaz_details_class_init (SvyazDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = svyaz_details_dispose;

  /**
   * SvyazDetails::entity-activated:
   * @entity_id: the neighbour whose link was followed
   */
  signals[ENTITY_ACTIVATED] =
    g_signal_new ("entity-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * SvyazDetails::document-activated:
   * @document_id: the document to open
   * @entity_id: the entity shown, whose mentions stand out
   */
  signals[DOCUMENT_ACTIVATED] =
    g_signal_new ("document-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/svyaz/Svyaz/ui/svyaz-details.ui");
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, name_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, type_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, description_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, aliases_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, degree_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, measures_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, held_back_box);
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, held_back_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazDetails, relations_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "svyaz-details");
}

static void
svyaz_details_init (SvyazDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Section: public */

GtkWidget *
svyaz_details_new (void)
{
  return g_object_new (SVYAZ_TYPE_DETAILS, NULL);
}

gint64
svyaz_details_get_entity (SvyazDetails *self)
{
  g_return_val_if_fail (SVYAZ_IS_DETAILS (self), 0);
  return self->entity_id;
}

/**
 * svyaz_details_set_entity:
 * @entity_id: the entity to describe, or 0 for the placeholder
 */
gboolean
svyaz_details_set_entity (SvyazDetails  *self,
                          SvyazStore    *store,
                          gint64         entity_id,
                          GError       **error)
{
  g_autoptr(SvyazEntity) entity = NULL;
  g_autoptr(GPtrArray) relations = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GHashTable) by_heading = NULL;
  g_auto(GStrv) aliases = NULL;
  g_autofree char *type_markup = NULL;
  g_autofree char *degree = NULL;
  SvyazRelationQuery query = { 0 };
  const SvyazTypeStyle *style;
  guint shown = 0;

  g_return_val_if_fail (SVYAZ_IS_DETAILS (self), FALSE);
  g_return_val_if_fail (store == NULL || SVYAZ_IS_STORE (store), FALSE);

  clear_relations (self);
  self->entity_id = 0;
  if (store == NULL || entity_id == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return TRUE;
    }

  entity = svyaz_store_get_entity (store, entity_id, error);
  if (entity == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return FALSE;
    }
  aliases = svyaz_store_get_aliases (store, entity_id, NULL);
  query.entity_id = entity_id;
  relations = svyaz_store_list_relations (store, &query, error);
  if (relations == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return FALSE;
    }
  self->entity_id = entity_id;

  style = svyaz_render_type_style (entity->type);
  type_markup = g_markup_printf_escaped ("<span foreground=\"#%02x%02x%02x\">●</span> %s",
                                         (int) (style->r * 255), (int) (style->g * 255),
                                         (int) (style->b * 255), entity->type);
  gtk_label_set_text (self->name_label, entity->name);
  gtk_label_set_markup (self->type_label, type_markup);
  gtk_label_set_text (self->description_label, entity->description ? entity->description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), entity->description != NULL);
  {
    g_autoptr(GStrvBuilder) others = g_strv_builder_new ();
    g_auto(GStrv) list = NULL;
    g_autofree char *joined = NULL;

    for (guint i = 0; aliases && aliases[i]; i++)
      if (g_strcmp0 (aliases[i], entity->name) != 0)
        g_strv_builder_add (others, aliases[i]);
    list = g_strv_builder_end (others);
    joined = g_strjoinv (", ", list);
    if (*joined)
      {
        g_autofree char *text = g_strdup_printf (_("Also: %s"), joined);

        gtk_label_set_text (self->aliases_label, text);
      }
    gtk_widget_set_visible (GTK_WIDGET (self->aliases_label), *joined != '\0');
  }
  /* The store's degree counts co-occurrences too; the list has none. */
  if (entity->degree > relations->len)
    {
      g_autofree char *typed = g_strdup_printf (ngettext ("%u relation", "%u relations", relations->len),
                                                relations->len);
      guint weak = entity->degree - relations->len;

      degree = g_strdup_printf (ngettext ("%s · %u co-occurrence", "%s · %u co-occurrences", weak),
                                typed, weak);
    }
  else
    degree = g_strdup_printf (ngettext ("%u relation", "%u relations", relations->len), relations->len);
  gtk_label_set_text (self->degree_label, degree);

  /* Group by predicate and direction, in the order the store gives. */
  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  by_heading = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < relations->len; i++)
    {
      SvyazRelation *r = g_ptr_array_index (relations, i);
      g_autofree char *heading = r->subject_id == entity_id ? g_strdup_printf ("%s →", r->predicate)
                                                            : g_strdup_printf ("← %s", r->predicate);
      Group *group = g_hash_table_lookup (by_heading, heading);

      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->heading = g_steal_pointer (&heading);
          group->relations = g_ptr_array_new ();
          g_ptr_array_add (groups, group);
          g_hash_table_insert (by_heading, group->heading, group);
        }
      g_ptr_array_add (group->relations, r);
    }
  if (groups->len == 0)
    gtk_box_append (self->relations_box, make_label (self, _("No typed relations."), "dim-label"));
  for (guint i = 0; i < groups->len && shown < MAX_ROWS; i++)
    {
      Group *group = g_ptr_array_index (groups, i);
      g_autofree char *heading = g_markup_printf_escaped ("<b>%s</b>  (%u)", group->heading,
                                                          group->relations->len);
      GtkWidget *label = make_label (self, heading, NULL);
      gint64 last_neighbour = 0;

      gtk_widget_set_margin_top (label, 6);
      gtk_box_append (self->relations_box, label);
      for (guint k = 0; k < group->relations->len && shown < MAX_ROWS; k++, shown++)
        add_relation_row (self, store, g_ptr_array_index (group->relations, k), &last_neighbour);
    }
  if (shown < relations->len)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("… and %u more relation (svyaz-cli show lists all)",
                                                         "… and %u more relations (svyaz-cli show lists all)",
                                                         relations->len - shown),
                                               relations->len - shown);

      gtk_box_append (self->relations_box, make_label (self, more, "dim-label"));
    }
  gtk_stack_set_visible_child_name (self->stack, "entity");
  if (self->refocus)
    {
      self->refocus = FALSE;
      gtk_widget_child_focus (GTK_WIDGET (self->relations_box), GTK_DIR_TAB_FORWARD);
    }
  return TRUE;
}

/**
 * svyaz_details_set_graph_info:
 * @measures: (nullable): the entity's measures in the picture shown
 * @held_back: how many of its neighbours the hub cap left out
 */
void
svyaz_details_set_graph_info (SvyazDetails *self,
                              const char   *measures,
                              guint         held_back)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SVYAZ_IS_DETAILS (self));

  gtk_label_set_text (self->measures_label, measures ? measures : "");
  gtk_widget_set_visible (GTK_WIDGET (self->measures_label), measures != NULL);
  text = g_strdup_printf (ngettext ("%u more neighbour not shown: the strongest came first.",
                                    "%u more neighbours not shown: the strongest came first.", held_back),
                          held_back);
  gtk_label_set_text (self->held_back_label, text);
  gtk_widget_set_visible (self->held_back_box, held_back > 0);
}

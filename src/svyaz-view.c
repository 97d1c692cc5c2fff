/* svyaz-view.c: views as values, their keys, and the undo stack.
 *
 * The sets are sorted arrays rather than hash tables so that two views
 * holding the same things are equal byte for byte and print the same
 * key, whatever order the user clicked in.
 */
#include "svyaz-view.h"

#include <string.h>

/* Undo keeps this many steps. */
#define HISTORY_MAX 200

/* Section: sets */

static gboolean
find_id (const GArray *set,
         gint64        id,
         guint        *out_index)
{
  guint lo = 0, hi = set->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 v = g_array_index (set, gint64, mid);

      if (v == id)
        {
          *out_index = mid;
          return TRUE;
        }
      if (v < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  *out_index = lo;
  return FALSE;
}

gboolean
svyaz_id_set_contains (const GArray *set,
                       gint64        id)
{
  guint index;

  g_return_val_if_fail (set != NULL, FALSE);
  return find_id (set, id, &index);
}

/* Returns: whether @id was not there yet */
gboolean
svyaz_id_set_add (GArray *set,
                  gint64  id)
{
  guint index;

  g_return_val_if_fail (set != NULL, FALSE);
  if (find_id (set, id, &index))
    return FALSE;
  g_array_insert_val (set, index, id);
  return TRUE;
}

/* Returns: whether @id was there */
gboolean
svyaz_id_set_remove (GArray *set,
                     gint64  id)
{
  guint index;

  g_return_val_if_fail (set != NULL, FALSE);
  if (!find_id (set, id, &index))
    return FALSE;
  g_array_remove_index (set, index);
  return TRUE;
}

static gboolean
find_name (const GPtrArray *set,
           const char      *name,
           guint           *out_index)
{
  guint lo = 0, hi = set->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int c = strcmp (g_ptr_array_index (set, mid), name);

      if (c == 0)
        {
          *out_index = mid;
          return TRUE;
        }
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  *out_index = lo;
  return FALSE;
}

gboolean
svyaz_name_set_contains (const GPtrArray *set,
                         const char      *name)
{
  guint index;

  g_return_val_if_fail (set != NULL && name != NULL, FALSE);
  return find_name (set, name, &index);
}

/**
 * svyaz_name_set_toggle:
 * @in: whether @name should be in @set
 *
 * Returns: whether @set changed
 */
gboolean
svyaz_name_set_toggle (GPtrArray  *set,
                       const char *name,
                       gboolean    in)
{
  guint index;
  gboolean there;

  g_return_val_if_fail (set != NULL && name != NULL, FALSE);
  there = find_name (set, name, &index);
  if (there == !!in)
    return FALSE;
  if (in)
    g_ptr_array_insert (set, index, g_strdup (name));
  else
    g_ptr_array_remove_index (set, index);
  return TRUE;
}

/* Section: views */

SvyazView *
svyaz_view_new (void)
{
  SvyazView *view = g_new0 (SvyazView, 1);

  view->depth = 1;
  view->hub_cap = SVYAZ_VIEW_HUB_CAP;
  view->expanded = g_array_new (FALSE, FALSE, sizeof (gint64));
  view->uncapped = g_array_new (FALSE, FALSE, sizeof (gint64));
  view->added = g_array_new (FALSE, FALSE, sizeof (gint64));
  view->hidden = g_array_new (FALSE, FALSE, sizeof (gint64));
  view->hidden_documents = g_array_new (FALSE, FALSE, sizeof (gint64));
  view->hidden_types = g_ptr_array_new_with_free_func (g_free);
  view->hidden_predicates = g_ptr_array_new_with_free_func (g_free);
  view->pins = g_array_new (FALSE, FALSE, sizeof (SvyazPin));
  return view;
}

static void
copy_ids (GArray       *to,
          const GArray *from)
{
  g_array_set_size (to, 0);
  g_array_append_vals (to, from->data, from->len);
}

static void
copy_names (GPtrArray       *to,
            const GPtrArray *from)
{
  g_ptr_array_set_size (to, 0);
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
}

SvyazView *
svyaz_view_copy (const SvyazView *view)
{
  SvyazView *copy;

  g_return_val_if_fail (view != NULL, NULL);

  copy = svyaz_view_new ();
  copy->focus_id = view->focus_id;
  copy->depth = view->depth;
  copy->cooccurrence = view->cooccurrence;
  copy->hub_cap = view->hub_cap;
  copy->min_confidence = view->min_confidence;
  copy->engine = g_strdup (view->engine);
  copy->color_by = view->color_by;
  copy->size_by = view->size_by;
  copy_ids (copy->expanded, view->expanded);
  copy_ids (copy->uncapped, view->uncapped);
  copy_ids (copy->added, view->added);
  copy_ids (copy->hidden, view->hidden);
  copy_ids (copy->hidden_documents, view->hidden_documents);
  copy_names (copy->hidden_types, view->hidden_types);
  copy_names (copy->hidden_predicates, view->hidden_predicates);
  g_array_append_vals (copy->pins, view->pins->data, view->pins->len);
  return copy;
}

void
svyaz_view_free (SvyazView *view)
{
  if (view == NULL)
    return;
  g_free (view->engine);
  g_array_unref (view->expanded);
  g_array_unref (view->uncapped);
  g_array_unref (view->added);
  g_array_unref (view->hidden);
  g_array_unref (view->hidden_documents);
  g_ptr_array_unref (view->hidden_types);
  g_ptr_array_unref (view->hidden_predicates);
  g_array_unref (view->pins);
  g_free (view);
}

static void
append_ids (GString      *out,
            const char   *name,
            const GArray *set)
{
  if (set->len == 0)
    return;
  g_string_append_printf (out, "%s=", name);
  for (guint i = 0; i < set->len; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (set, gint64, i));
  g_string_append_c (out, ';');
}

static void
append_names (GString         *out,
              const char      *name,
              const GPtrArray *set)
{
  if (set->len == 0)
    return;
  g_string_append_printf (out, "%s=", name);
  for (guint i = 0; i < set->len; i++)
    {
      /* Escaped so that no name can forge a separator. */
      g_autofree char *escaped = g_uri_escape_string (g_ptr_array_index (set, i), NULL, FALSE);

      g_string_append_printf (out, "%s%s", i ? "," : "", escaped);
    }
  g_string_append_c (out, ';');
}

static void
append_key (GString         *out,
            const SvyazView *view)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "focus=%" G_GINT64_FORMAT ";", view->focus_id);
  if (view->focus_id != 0)
    g_string_append_printf (out, "depth=%u;cap=%u;", view->depth, view->hub_cap);
  if (view->cooccurrence)
    g_string_append (out, "cooccurrence;");
  if (view->min_confidence > 0)
    g_string_append_printf (out, "min_confidence=%s;",
                            g_ascii_dtostr (number, sizeof number, view->min_confidence));
  if (view->engine != NULL)
    g_string_append_printf (out, "engine=%s;", view->engine);
  if (view->size_by != SVYAZ_SIZE_BY_NONE)
    g_string_append_printf (out, "size=%d;", view->size_by);
  append_ids (out, "expanded", view->expanded);
  append_ids (out, "uncapped", view->uncapped);
  append_ids (out, "added", view->added);
  append_ids (out, "hidden", view->hidden);
  append_ids (out, "hidden_documents", view->hidden_documents);
  append_names (out, "hidden_types", view->hidden_types);
  append_names (out, "hidden_predicates", view->hidden_predicates);
}

/**
 * svyaz_view_get_key:
 *
 * Returns: (transfer full): a string naming what the view lays out: two
 *   views with the same key show the same nodes in the same layout. The
 *   colouring and the moved nodes are not part of it.
 */
char *
svyaz_view_get_key (const SvyazView *view)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (view != NULL, NULL);
  append_key (out, view);
  return g_string_free (out, FALSE);
}

/**
 * svyaz_view_to_string:
 *
 * Returns: (transfer full): everything in the view, for comparisons and
 *   debugging
 */
char *
svyaz_view_to_string (const SvyazView *view)
{
  GString *out = g_string_new (NULL);
  char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (view != NULL, NULL);
  append_key (out, view);
  g_string_append_printf (out, "color=%d;", view->color_by);
  for (guint i = 0; i < view->pins->len; i++)
    {
      const SvyazPin *pin = &g_array_index (view->pins, SvyazPin, i);

      g_string_append_printf (out, "pin=%" G_GINT64_FORMAT ",%s,%s;", pin->entity_id,
                              g_ascii_dtostr (x, sizeof x, pin->x), g_ascii_dtostr (y, sizeof y, pin->y));
    }
  return g_string_free (out, FALSE);
}

gboolean
svyaz_view_equal (const SvyazView *a,
                  const SvyazView *b)
{
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  sa = svyaz_view_to_string (a);
  sb = svyaz_view_to_string (b);
  return g_str_equal (sa, sb);
}

gboolean
svyaz_view_has_filters (const SvyazView *view)
{
  g_return_val_if_fail (view != NULL, FALSE);
  return view->min_confidence > 0 || view->hidden_documents->len > 0 ||
         view->hidden_types->len > 0 || view->hidden_predicates->len > 0;
}

void
svyaz_view_clear_filters (SvyazView *view)
{
  g_return_if_fail (view != NULL);
  view->min_confidence = 0;
  g_array_set_size (view->hidden_documents, 0);
  g_ptr_array_set_size (view->hidden_types, 0);
  g_ptr_array_set_size (view->hidden_predicates, 0);
}

/**
 * svyaz_view_focus:
 * @entity_id: 0 for the whole graph
 *
 * Shows @entity_id's neighbourhood: expansions, hidden nodes and moved
 * nodes belonged to the previous picture and are dropped; filters,
 * colouring and the engine stay.
 */
void
svyaz_view_focus (SvyazView *view,
                  gint64     entity_id,
                  guint      depth)
{
  g_return_if_fail (view != NULL);
  view->focus_id = entity_id;
  view->depth = CLAMP (depth, 1, 3);
  g_array_set_size (view->expanded, 0);
  g_array_set_size (view->uncapped, 0);
  g_array_set_size (view->added, 0);
  g_array_set_size (view->hidden, 0);
  g_array_set_size (view->pins, 0);
}

/* Section: pins */

static gboolean
find_pin (const SvyazView *view,
          gint64           entity_id,
          guint           *out_index)
{
  guint lo = 0, hi = view->pins->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 v = g_array_index (view->pins, SvyazPin, mid).entity_id;

      if (v == entity_id)
        {
          *out_index = mid;
          return TRUE;
        }
      if (v < entity_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  *out_index = lo;
  return FALSE;
}

const SvyazPin *
svyaz_view_get_pin (const SvyazView *view,
                    gint64           entity_id)
{
  guint index;

  g_return_val_if_fail (view != NULL, NULL);
  return find_pin (view, entity_id, &index) ? &g_array_index (view->pins, SvyazPin, index) : NULL;
}

void
svyaz_view_set_pin (SvyazView *view,
                    gint64     entity_id,
                    double     x,
                    double     y)
{
  SvyazPin pin = { entity_id, x, y };
  guint index;

  g_return_if_fail (view != NULL);
  if (find_pin (view, entity_id, &index))
    g_array_index (view->pins, SvyazPin, index) = pin;
  else
    g_array_insert_val (view->pins, index, pin);
}

/* Section: history */

struct _SvyazViewHistory
{
  GPtrArray *undo;   /* of SvyazView, oldest first */
  GPtrArray *redo;   /* of SvyazView, the next redo last */
};

SvyazViewHistory *
svyaz_view_history_new (void)
{
  SvyazViewHistory *history = g_new0 (SvyazViewHistory, 1);

  history->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_view_free);
  history->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_view_free);
  return history;
}

void
svyaz_view_history_free (SvyazViewHistory *history)
{
  if (history == NULL)
    return;
  g_ptr_array_unref (history->undo);
  g_ptr_array_unref (history->redo);
  g_free (history);
}

void
svyaz_view_history_clear (SvyazViewHistory *history)
{
  g_return_if_fail (history != NULL);
  g_ptr_array_set_size (history->undo, 0);
  g_ptr_array_set_size (history->redo, 0);
}

/**
 * svyaz_view_history_push:
 * @before: the view as it was before a change
 *
 * Records a change: it can be undone, and whatever was undone before can
 * no longer be redone.
 */
void
svyaz_view_history_push (SvyazViewHistory *history,
                         const SvyazView  *before)
{
  g_return_if_fail (history != NULL && before != NULL);

  g_ptr_array_add (history->undo, svyaz_view_copy (before));
  if (history->undo->len > HISTORY_MAX)
    g_ptr_array_remove_index (history->undo, 0);
  g_ptr_array_set_size (history->redo, 0);
}

gboolean
svyaz_view_history_can_undo (SvyazViewHistory *history)
{
  g_return_val_if_fail (history != NULL, FALSE);
  return history->undo->len > 0;
}

gboolean
svyaz_view_history_can_redo (SvyazViewHistory *history)
{
  g_return_val_if_fail (history != NULL, FALSE);
  return history->redo->len > 0;
}

/**
 * svyaz_view_history_undo:
 * @current: the view shown now, kept for redo
 *
 * Returns: (transfer full) (nullable): the view to show, %NULL if there
 *   is nothing to undo
 */
SvyazView *
svyaz_view_history_undo (SvyazViewHistory *history,
                         const SvyazView  *current)
{
  g_return_val_if_fail (history != NULL && current != NULL, NULL);

  if (history->undo->len == 0)
    return NULL;
  g_ptr_array_add (history->redo, svyaz_view_copy (current));
  return g_ptr_array_steal_index (history->undo, history->undo->len - 1);
}

SvyazView *
svyaz_view_history_redo (SvyazViewHistory *history,
                         const SvyazView  *current)
{
  g_return_val_if_fail (history != NULL && current != NULL, NULL);

  if (history->redo->len == 0)
    return NULL;
  g_ptr_array_add (history->undo, svyaz_view_copy (current));
  return g_ptr_array_steal_index (history->redo, history->redo->len - 1);
}

/* test-view.c: views as values (keys, equality, undo and redo), graphs
 * loaded under a view (hub cap, expand, hide, filters and their counts),
 * and node positions kept in the store. */
#include <math.h>
#include <string.h>

#include "svyaz-graph.h"
#include "test-seed.h"
#include "test-util.h"

/* Section: values */

static void
test_key_and_equality (void)
{
  g_autoptr(SvyazView) a = svyaz_view_new ();
  g_autoptr(SvyazView) b = svyaz_view_new ();
  g_autofree char *ka = NULL, *kb = NULL, *kc = NULL;

  /* The same sets reached in another order are the same view. */
  svyaz_id_set_add (a->hidden, 5);
  svyaz_id_set_add (a->hidden, 2);
  svyaz_id_set_add (b->hidden, 2);
  svyaz_id_set_add (b->hidden, 5);
  g_assert_false (svyaz_id_set_add (b->hidden, 5));
  svyaz_name_set_toggle (a->hidden_types, "city", TRUE);
  svyaz_name_set_toggle (a->hidden_types, "company", TRUE);
  svyaz_name_set_toggle (b->hidden_types, "company", TRUE);
  svyaz_name_set_toggle (b->hidden_types, "city", TRUE);
  g_assert_true (svyaz_view_equal (a, b));
  ka = svyaz_view_get_key (a);
  kb = svyaz_view_get_key (b);
  g_assert_cmpstr (ka, ==, kb);

  /* Moved nodes and colours are not the layout's business, but they are
   * part of the view. */
  svyaz_view_set_pin (b, 7, 10.5, -3);
  b->color_by = SVYAZ_COLOR_BY_COMMUNITY;
  g_free (kb);
  kb = svyaz_view_get_key (b);
  g_assert_cmpstr (ka, ==, kb);
  g_assert_false (svyaz_view_equal (a, b));

  /* A name cannot forge a separator of the key. */
  svyaz_name_set_toggle (a->hidden_predicates, "x;hidden=1,2", TRUE);
  kc = svyaz_view_get_key (a);
  g_assert_null (strstr (kc, "hidden=1,2"));
  g_assert_true (svyaz_view_has_filters (a));
  svyaz_view_clear_filters (a);
  g_assert_false (svyaz_view_has_filters (a));
}

static void
test_history (void)
{
  g_autoptr(SvyazViewHistory) history = svyaz_view_history_new ();
  g_autoptr(SvyazView) view = svyaz_view_new ();
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  SvyazView *other;

  /* Five changes of different kinds, each recorded before it is made. */
  for (guint step = 0; step < 5; step++)
    {
      g_ptr_array_add (states, svyaz_view_to_string (view));
      svyaz_view_history_push (history, view);
      switch (step)
        {
        case 0: svyaz_view_focus (view, 42, 2); break;
        case 1: svyaz_name_set_toggle (view->hidden_types, "city", TRUE); break;
        case 2: svyaz_id_set_add (view->expanded, 17); break;
        case 3: svyaz_view_set_pin (view, 17, 100.25, 7); break;
        case 4: view->min_confidence = 0.7; break;
        }
    }
  g_ptr_array_add (states, svyaz_view_to_string (view));
  g_assert_false (svyaz_view_history_can_redo (history));

  /* Undo walks back through exactly the recorded states… */
  for (guint step = 5; step-- > 0;)
    {
      g_autofree char *now = NULL;

      other = svyaz_view_history_undo (history, view);
      g_assert_nonnull (other);
      svyaz_view_free (view);
      view = other;
      now = svyaz_view_to_string (view);
      g_assert_cmpstr (now, ==, g_ptr_array_index (states, step));
    }
  g_assert_false (svyaz_view_history_can_undo (history));
  g_assert_null (svyaz_view_history_undo (history, view));

  /* …and redo forward again. */
  for (guint step = 1; step <= 5; step++)
    {
      g_autofree char *now = NULL;

      other = svyaz_view_history_redo (history, view);
      svyaz_view_free (view);
      view = other;
      now = svyaz_view_to_string (view);
      g_assert_cmpstr (now, ==, g_ptr_array_index (states, step));
    }

  /* A new change after undoing drops what could be redone. */
  other = svyaz_view_history_undo (history, view);
  svyaz_view_free (view);
  view = other;
  svyaz_view_history_push (history, view);
  view->cooccurrence = TRUE;
  g_assert_false (svyaz_view_history_can_redo (history));
}

/* Section: loading */

/* A hub with 80 neighbours of falling confidence, one of which (n3) has
 * 10 neighbours of its own. */
static SvyazStore *
open_hub_store (const char *dir,
                gint64     *out_hub,
                gint64     *out_n3)
{
  g_autofree char *path = g_build_filename (dir, "hub.db", NULL);
  g_autoptr(GError) error = NULL;
  SvyazStore *store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);
  gint64 hub;

  g_assert_no_error (error);
  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_ensure_entity (store, "Hub", "person", NULL, &hub, NULL, &error));
  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);
      SvyazRelationInput r = { 0 };
      gint64 id;

      g_assert_true (svyaz_store_ensure_entity (store, name, i % 2 ? "city" : "company", NULL, &id, NULL, &error));
      r.subject_id = hub;
      r.object_id = id;
      r.predicate = i % 2 ? "visited" : "owns";
      r.evidence_start = -1;
      r.confidence = 1.0 - i / 100.0;
      g_assert_true (svyaz_store_add_relation (store, &r, NULL, &error));
      if (i == 3)
        {
          *out_n3 = id;
          for (guint j = 0; j < 10; j++)
            {
              g_autofree char *leaf = g_strdup_printf ("leaf%u", j);
              gint64 leaf_id;

              g_assert_true (svyaz_store_ensure_entity (store, leaf, "person", NULL, &leaf_id, NULL, &error));
              r.subject_id = id;
              r.object_id = leaf_id;
              r.predicate = "met_with";
              r.confidence = 0.5;
              g_assert_true (svyaz_store_add_relation (store, &r, NULL, &error));
            }
        }
    }
  g_assert_true (svyaz_store_commit (store, &error));
  *out_hub = hub;
  return store;
}

static gboolean
shows (SvyazGraph *g,
       SvyazStore *store,
       const char *name)
{
  g_autoptr(SvyazEntity) e = svyaz_store_find_entity (store, name, NULL);

  return e != NULL && svyaz_graph_find_node (g, e->id) >= 0;
}

static void
test_hub_cap (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazView) view = svyaz_view_new ();
  g_autoptr(SvyazGraph) g = NULL;
  g_autoptr(SvyazFacets) facets = NULL;
  gint64 hub = 0, n3 = 0;
  g_autoptr(SvyazStore) store = open_hub_store (dir, &hub, &n3);
  int h;

  svyaz_view_focus (view, hub, 1);
  g = svyaz_graph_load_view (store, view, &facets, &error);
  g_assert_no_error (error);
  /* The hub and its 50 strongest neighbours, n0 … n49; 30 held back. */
  g_assert_cmpuint (g->nodes->len, ==, 51);
  g_assert_true (shows (g, store, "n0"));
  g_assert_true (shows (g, store, "n49"));
  g_assert_false (shows (g, store, "n50"));
  h = svyaz_graph_find_node (g, hub);
  g_assert_cmpint (h, ==, 0);
  g_assert_cmpuint (SVYAZ_NODE (g, h)->held_back, ==, 30);
  g_assert_cmpuint (facets->held_back, ==, 30);

  /* "Show the rest". */
  svyaz_id_set_add (view->uncapped, hub);
  g_clear_pointer (&g, svyaz_graph_unref);
  g = svyaz_graph_load_view (store, view, NULL, &error);
  g_assert_cmpuint (g->nodes->len, ==, 81);
  g_assert_cmpuint (SVYAZ_NODE (g, 0)->held_back, ==, 0);

  /* Expanding n3 adds its ten; hiding one takes it away. */
  svyaz_id_set_add (view->expanded, n3);
  svyaz_id_set_add (view->hidden, test_entity_id (store, "leaf0"));
  g_clear_pointer (&g, svyaz_graph_unref);
  g = svyaz_graph_load_view (store, view, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g->nodes->len, ==, 81 + 9);
  g_assert_true (shows (g, store, "leaf9"));
  g_assert_false (shows (g, store, "leaf0"));

  /* Depth 2 with the cap: n3's ring comes with it. */
  svyaz_view_focus (view, hub, 2);
  g_clear_pointer (&g, svyaz_graph_unref);
  g = svyaz_graph_load_view (store, view, NULL, &error);
  g_assert_cmpuint (g->nodes->len, ==, 51 + 10);
  g_clear_object (&store);
  test_rm_rf (dir);
}

static int
compare_neighbours (gconstpointer a,
                    gconstpointer b)
{
  const SvyazNeighbour *x = a, *y = b;

  return x->id < y->id ? -1 : x->id > y->id;
}

/* svyaz_store_list_neighbours() against the same sums made from the
 * whole list of relations, for every entity, with and without
 * co-occurrence. */
static void
assert_neighbours_match (SvyazStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entities = svyaz_store_list_nodes (store, &error);

  g_assert_no_error (error);
  for (int cooccurrence = 0; cooccurrence <= 1; cooccurrence++)
    {
      g_autoptr(GArray) links = svyaz_store_list_links (store, cooccurrence, &error);

      for (guint i = 0; i < entities->len; i++)
        {
          gint64 id = ((SvyazEntity *) g_ptr_array_index (entities, i))->id;
          g_autoptr(GArray) got = svyaz_store_list_neighbours (store, id, cooccurrence, &error);
          g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (SvyazNeighbour));

          g_assert_no_error (error);
          for (guint k = 0; k < links->len; k++)
            {
              const SvyazLink *l = &g_array_index (links, SvyazLink, k);
              gint64 other = l->subject_id == id ? l->object_id : l->object_id == id ? l->subject_id : 0;
              guint w;

              if (other == 0 || other == id)
                continue;
              for (w = 0; w < want->len && g_array_index (want, SvyazNeighbour, w).id != other; w++)
                ;
              if (w == want->len)
                {
                  SvyazNeighbour n = { other, 0 };

                  g_array_append_val (want, n);
                }
              g_array_index (want, SvyazNeighbour, w).strength += l->confidence;
            }
          g_array_sort (got, compare_neighbours);
          g_array_sort (want, compare_neighbours);
          g_assert_cmpuint (got->len, ==, want->len);
          for (guint k = 0; k < got->len; k++)
            {
              g_assert_cmpint (g_array_index (got, SvyazNeighbour, k).id, ==, g_array_index (want, SvyazNeighbour, k).id);
              g_assert_cmpfloat_with_epsilon (g_array_index (got, SvyazNeighbour, k).strength,
                                              g_array_index (want, SvyazNeighbour, k).strength, 1e-9);
            }
        }
    }
}

static void
test_neighbours (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(GError) error = NULL;
  gint64 hub = 0, n3 = 0;
  g_autoptr(SvyazStore) store = open_hub_store (dir, &hub, &n3);
  g_autoptr(SvyazStore) seed = test_open_seed_store (dir);
  g_autoptr(GArray) of_hub = NULL;
  SvyazRelationInput r = { .subject_id = n3, .object_id = hub, .predicate = "visited",
                           .evidence_start = -1, .confidence = 0.25 };
  gboolean found = FALSE;

  /* A second relation between the hub and n3, the other way, and one
   * from the hub to itself, which is no neighbour. */
  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_add_relation (store, &r, NULL, &error));
  r.subject_id = r.object_id = hub;
  r.predicate = "mentions";
  g_assert_true (svyaz_store_add_relation (store, &r, NULL, &error));
  g_assert_true (svyaz_store_commit (store, &error));

  of_hub = svyaz_store_list_neighbours (store, hub, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (of_hub->len, ==, 80);
  for (guint k = 0; k < of_hub->len; k++)
    {
      const SvyazNeighbour *n = &g_array_index (of_hub, SvyazNeighbour, k);

      g_assert_cmpint (n->id, !=, hub);
      if (n->id == n3)
        {
          g_assert_cmpfloat_with_epsilon (n->strength, 0.97 + 0.25, 1e-9);
          found = TRUE;
        }
    }
  g_assert_true (found);
  g_clear_pointer (&of_hub, g_array_unref);
  of_hub = svyaz_store_list_neighbours (store, 999999, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (of_hub->len, ==, 0);

  assert_neighbours_match (store);
  assert_neighbours_match (seed);
  g_clear_object (&store);
  g_clear_object (&seed);
  test_rm_rf (dir);
}


static int
compare_strongest (gconstpointer a,
                   gconstpointer b)
{
  const SvyazNeighbour *x = a, *y = b;

  if (x->strength != y->strength)
    return x->strength > y->strength ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Rings grown with the cap on a random graph whose strengths tie often,
 * against the same rule written plainly: each source's neighbours sorted
 * whole (strongest first, then lowest id), the first cap taken. */
static void
test_hub_cap_ties (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "ties.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  gint64 ids[300];

  g_assert_true (svyaz_store_begin (store, &error));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *name = g_strdup_printf ("t%u", i);

      g_assert_true (svyaz_store_ensure_entity (store, name, "person", NULL, &ids[i], NULL, &error));
    }
  for (guint i = 0; i < 3000; i++)
    {
      /* Low numbers are hubs; confidences of four values make ties. */
      guint a = (guint) (G_N_ELEMENTS (ids) * pow (g_rand_double (rand), 3));
      SvyazRelationInput r = {
        .subject_id = ids[a], .object_id = ids[g_rand_int_range (rand, 0, G_N_ELEMENTS (ids))],
        .predicate = g_rand_boolean (rand) ? "met_with" : "owns", .evidence_start = -1,
        .confidence = g_rand_int_range (rand, 1, 5) / 4.0,
      };

      g_assert_true (svyaz_store_add_relation (store, &r, NULL, &error));
    }
  g_assert_true (svyaz_store_commit (store, &error));

  for (guint cap = 3; cap <= 9; cap += 3)
    {
      g_autoptr(SvyazView) view = svyaz_view_new ();
      g_autoptr(SvyazGraph) g = NULL;
      g_autoptr(GHashTable) members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_autoptr(GHashTable) held = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_autoptr(GArray) frontier = g_array_new (FALSE, FALSE, sizeof (gint64));
      guint some_held = 0;

      svyaz_view_focus (view, ids[0], 2);
      view->hub_cap = cap;
      g = svyaz_graph_load_view (store, view, NULL, &error);
      g_assert_no_error (error);

      g_hash_table_add (members, g_memdup2 (&ids[0], sizeof (gint64)));
      g_array_append_val (frontier, ids[0]);
      for (guint depth = 0; depth < 2; depth++)
        {
          g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (gint64));

          for (guint f = 0; f < frontier->len; f++)
            {
              gint64 source = g_array_index (frontier, gint64, f);
              g_autoptr(GArray) all = svyaz_store_list_neighbours (store, source, FALSE, &error);
              g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (SvyazNeighbour));

              for (guint k = 0; k < all->len; k++)
                if (!g_hash_table_contains (members, &g_array_index (all, SvyazNeighbour, k).id))
                  g_array_append_val (fresh, g_array_index (all, SvyazNeighbour, k));
              g_array_sort (fresh, compare_strongest);
              for (guint k = 0; k < fresh->len && k < cap; k++)
                {
                  gint64 id = g_array_index (fresh, SvyazNeighbour, k).id;

                  g_hash_table_add (members, g_memdup2 (&id, sizeof id));
                  g_array_append_val (next, id);
                }
              if (fresh->len > cap)
                g_hash_table_insert (held, g_memdup2 (&source, sizeof source),
                                     GUINT_TO_POINTER (fresh->len - cap));
            }
          g_array_set_size (frontier, 0);
          g_array_append_vals (frontier, next->data, next->len);
        }

      g_assert_cmpuint (g->nodes->len, ==, g_hash_table_size (members));
      for (guint i = 0; i < g->nodes->len; i++)
        {
          const SvyazNode *node = SVYAZ_NODE (g, i);

          g_assert_true (g_hash_table_contains (members, &node->entity_id));
          g_assert_cmpuint (node->held_back, ==,
                            GPOINTER_TO_UINT (g_hash_table_lookup (held, &node->entity_id)));
          some_held += node->held_back > 0;
        }
      g_assert_cmpuint (some_held, >, 1);
    }
  g_clear_object (&store);
  test_rm_rf (dir);
}

static guint
count_of (GPtrArray  *counts,
          const char *name)
{
  for (guint i = 0; i < counts->len; i++)
    {
      SvyazCount *c = g_ptr_array_index (counts, i);

      if (g_str_equal (c->name, name))
        return (guint) c->count;
    }
  return 0;
}

static void
test_filters (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(SvyazStore) store = test_open_seed_store (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazView) view = svyaz_view_new ();
  g_autoptr(SvyazGraph) all = NULL;
  g_autoptr(SvyazGraph) g = NULL;
  g_autoptr(SvyazFacets) facets = NULL;
  g_autoptr(SvyazStats) stats = svyaz_store_get_stats (store, NULL);
  guint typed = 0, sum = 0, companies;
  SvyazFacetDocument *doc;

  all = svyaz_graph_load_view (store, view, &facets, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->nodes->len, ==, 22);
  /* Counts before filtering: entities per type, relations per predicate. */
  for (guint i = 0; i < facets->types->len; i++)
    sum += ((SvyazCount *) g_ptr_array_index (facets->types, i))->count;
  g_assert_cmpuint (sum, ==, 22);
  g_assert_cmpuint (count_of (facets->predicates, "met_with"), ==, 3);
  g_assert_cmpuint (count_of (facets->predicates, "met_with"), ==, count_of (stats->predicates, "met_with"));
  g_assert_cmpuint (facets->confidences->len, ==, stats->relations);
  g_assert_cmpuint (svyaz_facets_count_confident (facets, 0), ==, stats->relations);
  g_assert_cmpuint (svyaz_facets_count_confident (facets, 1.01), ==, 0);
  g_assert_cmpuint (facets->documents->len, ==, 1);
  doc = &g_array_index (facets->documents, SvyazFacetDocument, 0);
  g_assert_cmpuint (doc->count, ==, stats->relations);
  g_assert_nonnull (strstr (doc->title, "Казахстана"));

  /* Hiding a type takes its entities away, and nothing else. */
  companies = count_of (facets->types, "company");
  g_assert_cmpuint (companies, >, 0);
  svyaz_name_set_toggle (view->hidden_types, "company", TRUE);
  g = svyaz_graph_load_view (store, view, NULL, &error);
  for (guint i = 0; i < g->nodes->len; i++)
    g_assert_cmpstr (SVYAZ_NODE (g, i)->type, !=, "company");

  /* Hiding a predicate takes its edges away, and entities left with none. */
  svyaz_view_clear_filters (view);
  svyaz_name_set_toggle (view->hidden_predicates, "assembles_in", TRUE);
  g_clear_pointer (&g, svyaz_graph_unref);
  g = svyaz_graph_load_view (store, view, NULL, &error);
  for (guint i = 0; i < g->edges->len; i++)
    g_assert_cmpstr (SVYAZ_EDGE (g, i)->predicate, !=, "assembles_in");
  g_assert_false (shows (g, store, "МАЗ"));
  g_assert_true (shows (g, store, "Казахстан"));

  /* The minimum confidence keeps what the count says. */
  svyaz_view_clear_filters (view);
  view->min_confidence = 0.85;
  g_clear_pointer (&g, svyaz_graph_unref);
  g = svyaz_graph_load_view (store, view, NULL, &error);
  for (guint i = 0; i < g->edges->len; i++)
    {
      g_assert_cmpfloat (SVYAZ_EDGE (g, i)->confidence, >=, 0.85);
      typed += SVYAZ_EDGE (g, i)->count;
    }
  g_assert_cmpuint (typed, ==, svyaz_facets_count_confident (facets, 0.85));

  /* Hiding the only document leaves nothing but isolated entities out. */
  svyaz_view_clear_filters (view);
  svyaz_id_set_add (view->hidden_documents, doc->id);
  g_clear_pointer (&g, svyaz_graph_unref);
  g = svyaz_graph_load_view (store, view, NULL, &error);
  g_assert_cmpuint (g->edges->len, ==, 0);
  g_clear_object (&store);
  test_rm_rf (dir);
}

static void
test_positions (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) pins = g_array_new (FALSE, FALSE, sizeof (SvyazPin));
  g_autoptr(GArray) back = NULL;
  SvyazStore *store = test_open_seed_store (dir);
  SvyazPin pin = { 0 };

  path = g_strdup (svyaz_store_get_path (store));
  pin.entity_id = test_entity_id (store, "Казахстан");
  pin.x = 12.5;
  pin.y = -40;
  g_array_append_val (pins, pin);
  pin.entity_id = 999999;  /* gone: skipped */
  g_array_append_val (pins, pin);
  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_set_positions (store, "focus=0;", pins, &error));
  g_assert_true (svyaz_store_commit (store, &error));
  g_object_unref (store);

  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  back = svyaz_store_get_positions (store, "focus=0;", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 1);
  g_assert_cmpfloat (g_array_index (back, SvyazPin, 0).x, ==, 12.5);
  g_assert_cmpfloat (g_array_index (back, SvyazPin, 0).y, ==, -40);
  g_clear_pointer (&back, g_array_unref);
  back = svyaz_store_get_positions (store, "focus=1;", &error);
  g_assert_cmpuint (back->len, ==, 0);
  g_object_unref (store);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/view/key-and-equality", test_key_and_equality);
  g_test_add_func ("/view/history", test_history);
  g_test_add_func ("/view/load/hub-cap", test_hub_cap);
  g_test_add_func ("/view/load/hub-cap-ties", test_hub_cap_ties);
  g_test_add_func ("/view/load/neighbours", test_neighbours);
  g_test_add_func ("/view/load/filters", test_filters);
  g_test_add_func ("/view/positions", test_positions);
  return g_test_run ();
}

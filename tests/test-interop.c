/* test-interop.c: graph files in and out. Every data format exported
 * and imported into an empty store gives back the same entities and the
 * same relations, hostile names included; files as Gephi, yEd,
 * Cytoscape, d3 and Graphviz users have them are read with their names,
 * types and predicates; a bad file is refused whole. */
#include "svyaz-export.h"
#include "svyaz-import.h"
#include "svyaz-interop.h"
#include "test-seed.h"
#include "test-util.h"

#include <string.h>

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = test_make_tmpdir ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  test_rm_rf (f->dir);
  g_free (f->dir);
}

static SvyazStore *
new_store (Fixture *f, const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  SvyazStore *store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char **) a, *(char **) b);
}

/* Every entity as "name|type|description", sorted. */
static GPtrArray *
entity_lines (SvyazStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entities = svyaz_store_list_entities (store, NULL, NULL, 0, &error);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < entities->len; i++)
    {
      SvyazEntity *e = g_ptr_array_index (entities, i);

      g_ptr_array_add (lines, g_strdup_printf ("%s|%s|%s", e->name, e->type,
                                               e->description ? e->description : ""));
    }
  g_ptr_array_sort (lines, compare_lines);
  return lines;
}

/* Every distinct relation as "subject|type|predicate|object|type|cooc",
 * sorted: an exported edge stands for all relations of its triple. A
 * co-occurrence has no direction, so its ends are put in order, and the
 * graph (hence every export) leaves it out where a typed relation joins
 * the same two entities. */
static GPtrArray *
relation_lines (SvyazStore *store)
{
  g_autoptr(GError) error = NULL;
  SvyazRelationQuery query = { .include_cooccurrence = TRUE };
  g_autoptr(GPtrArray) relations = svyaz_store_list_relations (store, &query, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) typed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < relations->len; i++)
    {
      SvyazRelation *r = g_ptr_array_index (relations, i);
      g_autofree char *a = g_strdup_printf ("%s|%s", r->subject, r->subject_type);
      g_autofree char *b = g_strdup_printf ("%s|%s", r->object, r->object_type);

      if (!r->cooccurrence)
        g_hash_table_add (typed, g_strdup_printf ("%s|%s", MIN (r->subject_id, r->object_id) == r->subject_id ? a : b,
                                                  MIN (r->subject_id, r->object_id) == r->subject_id ? b : a));
    }
  for (guint i = 0; i < relations->len; i++)
    {
      SvyazRelation *r = g_ptr_array_index (relations, i);
      g_autofree char *a = g_strdup_printf ("%s|%s", r->subject, r->subject_type);
      g_autofree char *b = g_strdup_printf ("%s|%s", r->object, r->object_type);
      char *line;

      if (r->cooccurrence)
        {
          g_autofree char *pair = g_strdup_printf ("%s|%s", MIN (r->subject_id, r->object_id) == r->subject_id ? a : b,
                                                   MIN (r->subject_id, r->object_id) == r->subject_id ? b : a);

          if (g_hash_table_contains (typed, pair))
            continue;
          line = g_strdup_printf ("%s|%s|%s|1", strcmp (a, b) < 0 ? a : b, r->predicate,
                                  strcmp (a, b) < 0 ? b : a);
        }
      else
        line = g_strdup_printf ("%s|%s|%s|0", a, r->predicate, b);
      if (g_hash_table_contains (seen, line))
        g_free (line);
      else
        {
          g_hash_table_add (seen, line);
          g_ptr_array_add (lines, line);
        }
    }
  g_ptr_array_sort (lines, compare_lines);
  return lines;
}

static void
assert_same_lines (GPtrArray *a, GPtrArray *b)
{
  g_assert_cmpuint (a->len, >, 0);
  for (guint i = 0; i < MIN (a->len, b->len); i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
  g_assert_cmpuint (a->len, ==, b->len);
}

/* Exports the whole graph of @store (co-occurrences too) in every data
 * format and imports each into an empty store. */
static void
assert_round_trips (Fixture *f, SvyazStore *store, const char *tag)
{
  static const SvyazExportFormat formats[] = {
    SVYAZ_EXPORT_GRAPHML, SVYAZ_EXPORT_GEXF, SVYAZ_EXPORT_CSV, SVYAZ_EXPORT_JSON, SVYAZ_EXPORT_DOT,
  };
  SvyazGraphQuery query = { .cooccurrence = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazGraph) graph = svyaz_graph_load (store, &query, &error);
  g_autoptr(GPtrArray) entities = entity_lines (store);
  g_autoptr(GPtrArray) relations = relation_lines (store);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const char *ext = svyaz_export_format_name (formats[i]);
      g_autofree char *file = g_strdup_printf ("%s.%s", tag, ext);
      g_autofree char *db = g_strdup_printf ("%s-%s.db", tag, ext);
      g_autofree char *path = g_build_filename (f->dir, file, NULL);
      g_autoptr(SvyazStore) copy = new_store (f, db);
      g_autoptr(GPtrArray) copy_entities = NULL;
      g_autoptr(GPtrArray) copy_relations = NULL;
      SvyazGraphFileReport report = { 0 };
      SvyazGraphFileFormat format;

      g_test_message ("%s as %s", tag, ext);
      g_assert_true (svyaz_export_graph (graph, formats[i], path, 1, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (svyaz_graph_file_format_for_path (path, &format));
      g_assert_true (svyaz_import_graph_file (copy, path, format, &report, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.nodes, ==, graph->nodes->len);
      g_assert_cmpuint (report.edges, ==, graph->edges->len);
      g_assert_cmpuint (report.relations_added, ==, graph->edges->len);

      copy_entities = entity_lines (copy);
      copy_relations = relation_lines (copy);
      assert_same_lines (entities, copy_entities);
      assert_same_lines (relations, copy_relations);
    }
}

static void
test_round_trip_seed (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazStore) store = test_open_seed_store (f->dir);

  assert_round_trips (f, store, "seed");
}

/* Names no format may mangle: its own quoting characters, markup, a
 * trailing backslash (DOT), a formula (spreadsheets), emoji. */
static void
test_round_trip_hostile (Fixture *f, gconstpointer data)
{
  static const char * const names[] = {
    "He said \"hi\"", "<b>&amp; AT&T</b>", "comma, semicolon; tab", "ends in a backslash\\",
    "=SUM(A1:A2)", "Связь 🔗 emoji", "-- -> digraph { }", "#not a comment", "'single'",
  };
  g_autoptr(SvyazStore) store = new_store (f, "hostile.db");
  g_autoptr(GError) error = NULL;
  gint64 ids[G_N_ELEMENTS (names)];

  g_assert_true (svyaz_store_begin (store, &error));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_true (svyaz_store_ensure_entity (store, names[i], i % 2 ? "person" : "company",
                                              i == 1 ? "described, \"quoted\" <here>" : NULL,
                                              &ids[i], NULL, &error));
  for (guint i = 0; i + 1 < G_N_ELEMENTS (names); i++)
    {
      SvyazRelationInput input = {
        .subject_id = ids[i], .object_id = ids[i + 1], .predicate = names[(i + 3) % G_N_ELEMENTS (names)],
        .evidence_start = -1, .evidence_end = -1, .confidence = 0.5, .cooccurrence = i == 2,
      };

      g_assert_true (svyaz_store_add_relation (store, &input, NULL, &error));
    }
  g_assert_true (svyaz_store_commit (store, &error));
  g_assert_no_error (error);

  assert_round_trips (f, store, "hostile");
}

/* Imports @text, written to a file named @name, into a new store. */
static SvyazStore *
import_text (Fixture              *f,
             const char           *name,
             const char           *text,
             SvyazGraphFileReport *report)
{
  g_autofree char *path = test_write_file (f->dir, name, text, -1);
  g_autofree char *db = g_strconcat (name, ".db", NULL);
  g_autoptr(GError) error = NULL;
  SvyazStore *store = new_store (f, db);
  SvyazGraphFileFormat format;

  g_assert_true (svyaz_graph_file_format_for_path (path, &format));
  g_assert_true (svyaz_import_graph_file (store, path, format, report, NULL, &error));
  g_assert_no_error (error);
  return store;
}

static void
assert_lines (SvyazStore         *store,
              const char * const *want_entities,
              const char * const *want_relations)
{
  g_autoptr(GPtrArray) entities = entity_lines (store);
  g_autoptr(GPtrArray) relations = relation_lines (store);

  for (guint i = 0; want_entities[i]; i++)
    {
      g_assert_cmpuint (i, <, entities->len);
      g_assert_cmpstr (g_ptr_array_index (entities, i), ==, want_entities[i]);
    }
  g_assert_cmpuint (entities->len, ==, g_strv_length ((char **) want_entities));
  for (guint i = 0; want_relations[i]; i++)
    {
      g_assert_cmpuint (i, <, relations->len);
      g_assert_cmpstr (g_ptr_array_index (relations, i), ==, want_relations[i]);
    }
  g_assert_cmpuint (relations->len, ==, g_strv_length ((char **) want_relations));
}

/* yEd keeps labels in y:NodeLabel inside graphics data, groups nodes in
 * nested graphs, and keys may carry defaults. */
static void
test_yed_graphml (Fixture *f, gconstpointer data)
{
  SvyazGraphFileReport report = { 0 };
  g_autoptr(SvyazStore) store = import_text (f, "yed.graphml",
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:y=\"http://www.yworks.com/xml/graphml\">\n"
    "  <key for=\"node\" id=\"d0\" yfiles.type=\"nodegraphics\"/>\n"
    "  <key for=\"edge\" id=\"d1\" yfiles.type=\"edgegraphics\"/>\n"
    "  <key for=\"node\" id=\"d2\" attr.name=\"Category\" attr.type=\"string\"><default>organization</default></key>\n"
    "  <graph edgedefault=\"directed\" id=\"G\">\n"
    "    <node id=\"n0\" yfiles.foldertype=\"group\">\n"
    "      <data key=\"d0\"><y:ProxyAutoBoundsNode><y:Realizers active=\"0\"><y:GroupNode>\n"
    "        <y:NodeLabel alignment=\"right\">Евразийский союз</y:NodeLabel></y:GroupNode></y:Realizers>\n"
    "      </y:ProxyAutoBoundsNode></data>\n"
    "      <graph edgedefault=\"directed\" id=\"n0:\">\n"
    "        <node id=\"n0::n0\"><data key=\"d0\"><y:ShapeNode><y:Geometry height=\"30\" width=\"30\"/>"
    "<y:NodeLabel>Минск</y:NodeLabel></y:ShapeNode></data><data key=\"d2\">city</data></node>\n"
    "      </graph>\n"
    "    </node>\n"
    "    <node id=\"n1\"><data key=\"d0\"><y:ShapeNode><y:NodeLabel>Беларусь &amp; Co</y:NodeLabel></y:ShapeNode></data>"
    "<data key=\"d2\">Country</data></node>\n"
    "    <edge id=\"e0\" source=\"n0::n0\" target=\"n1\"><data key=\"d1\"><y:PolyLineEdge>"
    "<y:EdgeLabel>capital_of</y:EdgeLabel></y:PolyLineEdge></data></edge>\n"
    "    <edge id=\"e1\" source=\"n1\" target=\"n0\"/>\n"
    "  </graph>\n"
    "</graphml>\n", &report);

  g_assert_cmpuint (report.nodes, ==, 3);
  g_assert_cmpuint (report.edges, ==, 2);
  assert_lines (store,
                (const char *[]) { "Беларусь & Co|country|", "Евразийский союз|organization|",
                                   "Минск|city|", NULL },
                (const char *[]) { "Беларусь & Co|country|related_to|Евразийский союз|organization|0",
                                   "Минск|city|capital_of|Беларусь & Co|country|0", NULL });
}

/* Gephi's GEXF numbers its attributes, the same ids for nodes and edges,
 * and gives edge labels and weights as XML attributes. */
static void
test_gephi_gexf (Fixture *f, gconstpointer data)
{
  SvyazGraphFileReport report = { 0 };
  g_autoptr(SvyazStore) store = import_text (f, "gephi.gexf",
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\">\n"
    "  <graph mode=\"static\" defaultedgetype=\"directed\">\n"
    "    <attributes class=\"node\" mode=\"static\"><attribute id=\"0\" title=\"Type\" type=\"string\"/></attributes>\n"
    "    <attributes class=\"edge\" mode=\"static\"><attribute id=\"0\" title=\"Relation\" type=\"string\"/>"
    "<attribute id=\"1\" title=\"confidence\" type=\"double\"/></attributes>\n"
    "    <nodes>\n"
    "      <node id=\"0\" label=\"Lukashenko\"><attvalues><attvalue for=\"0\" value=\"person\"/></attvalues>"
    "<viz:position x=\"1\" y=\"2\"/></node>\n"
    "      <node id=\"1\" label=\"Nazarbayev\"><attvalues><attvalue for=\"0\" value=\"person\"/></attvalues></node>\n"
    "      <node id=\"2\" label=\"Astana\"/>\n"
    "    </nodes>\n"
    "    <edges>\n"
    "      <edge id=\"0\" source=\"0\" target=\"1\" weight=\"3\"><attvalues><attvalue for=\"0\" value=\"met_with\"/>"
    "<attvalue for=\"1\" value=\"0.8\"/></attvalues></edge>\n"
    "      <edge id=\"1\" source=\"0\" target=\"2\" label=\"visited\"/>\n"
    "    </edges>\n"
    "  </graph>\n"
    "</gexf>\n", &report);

  g_assert_cmpuint (report.nodes, ==, 3);
  assert_lines (store,
                (const char *[]) { "Astana|other|", "Lukashenko|person|", "Nazarbayev|person|", NULL },
                (const char *[]) { "Lukashenko|person|met_with|Nazarbayev|person|0",
                                   "Lukashenko|person|visited|Astana|other|0", NULL });
}

/* Cytoscape.js elements with "data", and d3 links by node index. */
static void
test_json_shapes (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazStore) cy = import_text (f, "cy.json",
    "{\"elements\": {\"nodes\": [{\"data\": {\"id\": \"a\", \"name\": \"МАЗ\", \"type\": \"company\"}},"
    "                            {\"data\": {\"id\": \"b\", \"name\": \"Казахстан\", \"type\": \"country\"}}],"
    "               \"edges\": [{\"data\": {\"id\": \"ab\", \"source\": \"a\", \"target\": \"b\","
    "                                      \"interaction\": \"assembles_in\", \"weight\": 0.9}}]}}", NULL);
  g_autoptr(SvyazStore) d3 = import_text (f, "d3.json",
    "{\"nodes\": [{\"name\": \"Myriel\", \"group\": 1}, {\"name\": \"Napoleon\", \"group\": 1}],"
    " \"links\": [{\"source\": 1, \"target\": 0, \"value\": 1}]}", NULL);

  assert_lines (cy, (const char *[]) { "Казахстан|country|", "МАЗ|company|", NULL },
                (const char *[]) { "МАЗ|company|assembles_in|Казахстан|country|0", NULL });
  assert_lines (d3, (const char *[]) { "Myriel|other|", "Napoleon|other|", NULL },
                (const char *[]) { "Napoleon|other|related_to|Myriel|other|0", NULL });
}

/* A header-less edge list with semicolons, a quoted field over two
 * lines, and one with the TSV import's column names. */
static void
test_csv_lists (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazStore) plain = import_text (f, "plain.csv",
    "Alice;Bob;knows\r\n"
    "\"Bob \"\"the\"\" Builder\";\"Carol\nSmith\";works_with\r\n"
    "\r\n", NULL);
  g_autoptr(SvyazStore) typed = import_text (f, "typed.csv",
    "subject,subject_type,predicate,object,object_type\n"
    "Лукашенко,person,met_with,Токаев,person\n", NULL);

  assert_lines (plain,
                (const char *[]) { "Alice|other|", "Bob \"the\" Builder|other|", "Bob|other|",
                                   "Carol Smith|other|", NULL },
                (const char *[]) { "Alice|other|knows|Bob|other|0",
                                   "Bob \"the\" Builder|other|works_with|Carol Smith|other|0", NULL });
  assert_lines (typed, (const char *[]) { "Лукашенко|person|", "Токаев|person|", NULL },
                (const char *[]) { "Лукашенко|person|met_with|Токаев|person|0", NULL });
}

/* DOT through cgraph: labels, our predicate attribute, an edge label,
 * and nodes named only by edges. */
static void
test_dot (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazStore) store = import_text (f, "g.gv",
    "digraph \"news\" {\n"
    "  node [type=person];\n"
    "  a [label=\"Лукашенко\"];\n"
    "  b [label=\"Минск\", type=city];\n"
    "  a -> b [predicate=visited];\n"
    "  subgraph cluster_x { c -> a [label=\"met with\"]; }\n"
    "}\n", NULL);

  assert_lines (store, (const char *[]) { "c|person|", "Лукашенко|person|", "Минск|city|", NULL },
                (const char *[]) { "c|person|met with|Лукашенко|person|0",
                                   "Лукашенко|person|visited|Минск|city|0", NULL });
}

/* Each bad file gives one message naming the file and the fault, and the
 * store is left exactly as it was. */
static void
test_bad_files (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *name;
    const char *text;
    const char *message;
  } cases[] = {
    { "broken.graphml", "<graphml><graph><node id=\"a\"></graph></graphml>", "broken.graphml:" },
    { "foreign.graphml", "<html><body/></html>", "not a GraphML file" },
    { "empty.gexf", "", "empty" },
    { "noid.gexf", "<gexf><graph><nodes><node label=\"x\"/></nodes></graph></gexf>", "without an id" },
    { "bad.json", "{\"nodes\": [", "bad.json" },
    { "other.json", "{\"a\": 1}", "not a graph" },
    { "nosource.json", "{\"nodes\": [{\"id\": 1}], \"links\": [{\"target\": 1}]}", "link 1 has no source" },
    { "open.csv", "a,b\n\"c,d\n", ":2: a quoted field is not closed" },
    { "blank.csv", "Source,Target\na,\n", ":2: the source or the target is empty" },
    { "x.nodes.csv", "Id,Label\n1,a\n", "a node list" },
    { "latin1.csv", "a,b\n\xe9t\xe9,c\n", "invalid UTF-8 at byte offset 4" },
    { "bad.dot", "digraph { a -> ; }", "bad.dot" },
    { "long.csv", NULL, "longer than" },
  };
  g_autoptr(SvyazStore) store = new_store (f, "kept.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (f->dir, "kept.db", NULL);
  g_autoptr(GBytes) before = NULL;
  SvyazRelationInput input = { .predicate = "knows", .evidence_start = -1, .evidence_end = -1,
                               .confidence = 1 };

  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_ensure_entity (store, "Alice", "person", NULL, &input.subject_id, NULL, &error));
  g_assert_true (svyaz_store_ensure_entity (store, "Bob", "person", NULL, &input.object_id, NULL, &error));
  g_assert_true (svyaz_store_add_relation (store, &input, NULL, &error));
  g_assert_true (svyaz_store_commit (store, &error));
  g_clear_object (&store);
  before = test_read_bytes (db);
  store = svyaz_store_open (db, SVYAZ_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *long_text = NULL;
      g_autofree char *path = NULL;
      SvyazGraphFileFormat format;

      if (cases[i].text == NULL)
        {
          /* A good first edge, then a name too long for a store. */
          g_autofree char *name = g_strnfill (5000, 'x');

          long_text = g_strdup_printf ("Carol,Dave\nCarol,%s\n", name);
        }
      path = test_write_file (f->dir, cases[i].name, cases[i].text ? cases[i].text : long_text, -1);
      g_test_message ("%s", cases[i].name);
      g_assert_true (svyaz_graph_file_format_for_path (path, &format));
      g_assert_false (svyaz_import_graph_file (store, path, format, NULL, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("  %s", error->message);
      g_assert_null (strchr (error->message, '\n'));
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_clear_error (&error);
    }
  g_clear_object (&store);
  {
    g_autoptr(GBytes) after = test_read_bytes (db);

    g_assert_true (g_bytes_equal (before, after));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/interop/round-trip/seed", test_round_trip_seed);
  ADD ("/interop/round-trip/hostile", test_round_trip_hostile);
  ADD ("/interop/yed-graphml", test_yed_graphml);
  ADD ("/interop/gephi-gexf", test_gephi_gexf);
  ADD ("/interop/json-shapes", test_json_shapes);
  ADD ("/interop/csv-lists", test_csv_lists);
  ADD ("/interop/dot", test_dot);
  ADD ("/interop/bad-files", test_bad_files);
#undef ADD
  return g_test_run ();
}

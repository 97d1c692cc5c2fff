/* test-cli.c: svyaz-cli as a user runs it: exit codes, one-line errors,
 * the default database, and every listing's --json parsed back. */
#include "test-util.h"
#include "svyaz-store.h"

#include <json-glib/json-glib.h>
#include <string.h>

typedef struct {
  char *dir;
  char *db;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = test_make_tmpdir ();
  f->db = g_build_filename (f->dir, "cli.db", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static void
test_usage (Fixture *f, gconstpointer data)
{
  g_auto(Run) help = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) bad_option = { 0 };
  g_auto(Run) extra = { 0 };
  g_auto(Run) sub_help = { 0 };

  CLI (&help, "--help");
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "import-tsv"));

  CLI (&none, "--db", f->db);
  g_assert_cmpint (none.status, ==, 2);

  CLI (&unknown, "frobnicate");
  assert_one_line_error (&unknown, 2, "unknown command 'frobnicate'");

  CLI (&bad_option, "--db", f->db, "stats", "--no-such-option");
  assert_one_line_error (&bad_option, 2, "Unknown option --no-such-option");

  CLI (&extra, "--db", f->db, "stats", "surplus");
  assert_one_line_error (&extra, 2, "takes no arguments");

  CLI (&sub_help, "show", "--help");
  g_assert_cmpint (sub_help.status, ==, 0);
  g_assert_nonnull (strstr (sub_help.out, "--json"));
}

static void
test_missing_db_is_not_created (Fixture *f, gconstpointer data)
{
  g_auto(Run) r = { 0 };

  CLI (&r, "--db", f->db, "stats");
  assert_one_line_error (&r, 1, "no such database");
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

static void
test_foreign_file_untouched (Fixture *f, gconstpointer data)
{
  g_autofree char *path = test_write_file (f->dir, "photo.jpg", "\xff\xd8\xff\xe0 not a database", -1);
  g_autoptr(GBytes) before = test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_auto(Run) r = { 0 };
  g_auto(Run) init = { 0 };

  CLI (&r, "--db", path, "stats");
  assert_one_line_error (&r, 1, "not a Svyaz database");
  CLI (&init, "--db", path, "init");
  assert_one_line_error (&init, 1, "not a Svyaz database");
  after = test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

static JsonObject *
stats_json (Fixture *f, JsonNode **holder)
{
  g_auto(Run) r = { 0 };

  CLI (&r, "--db", f->db, "stats", "--json");
  g_assert_cmpint (r.status, ==, 0);
  *holder = parse_json (r.out);
  return json_node_get_object (*holder);
}

static void
test_init_seeds_corpus (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) node = NULL;
  g_auto(Run) r = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) docs = { 0 };
  JsonObject *stats;

  CLI (&r, "--db", f->db, "init");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "added 1 bundled document"));

  stats = stats_json (f, &node);
  g_assert_cmpint (json_object_get_int_member (stats, "documents"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (stats, "schema_version"), ==, SVYAZ_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (json_object_get_string_member (stats, "database"), ==, f->db);

  /* init is idempotent. */
  CLI (&again, "init", "--db", f->db);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_null (strstr (again.out, "bundled"));

  CLI (&docs, "--db", f->db, "documents", "--search", "Вискули");
  g_assert_cmpint (docs.status, ==, 0);
  g_assert_nonnull (strstr (docs.out, "западными воротами"));
}

static void
test_default_db_created_and_seeded (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = g_build_filename (f->dir, "svyaz", "svyaz.db", NULL);
  const char *env[] = { "XDG_DATA_HOME", f->dir, NULL };
  g_auto(Run) r = { 0 };
  g_auto(Run) env_db = { 0 };
  const char *env2[] = { "SVYAZ_DB", f->db, NULL };

  run_cli_env (&r, env, (const char *[]) { "stats", NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, expected));
  g_assert_nonnull (strstr (r.out, "documents:     1"));
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));

  /* $SVYAZ_DB names a store that must exist. */
  run_cli_env (&env_db, env2, (const char *[]) { "stats", NULL });
  assert_one_line_error (&env_db, 1, "no such database");
}

static void
test_add_documents (Fixture *f, gconstpointer data)
{
  g_autofree char *good = test_write_file (f->dir, "news.txt", "Путин прибыл в Минск.\nТекст.", -1);
  g_autofree char *bad = test_write_file (f->dir, "broken.txt", "Минск\xff\xfe", -1);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) stats_node = NULL;
  g_auto(Run) init = { 0 };
  g_auto(Run) add = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) broken = { 0 };
  g_auto(Run) lang = { 0 };
  JsonObject *doc;

  CLI (&init, "--db", f->db, "init", "--empty");
  g_assert_cmpint (init.status, ==, 0);

  CLI (&add, "--db", f->db, "add", good);
  g_assert_cmpint (add.status, ==, 0);
  g_assert_nonnull (strstr (add.out, "1 added, 0 already present"));

  CLI (&again, "--db", f->db, "add", "--json", good);
  g_assert_cmpint (again.status, ==, 0);
  node = parse_json (again.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  doc = json_array_get_object_element (json_node_get_array (node), 0);
  g_assert_false (json_object_get_boolean_member (doc, "added"));
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Путин прибыл в Минск.");

  /* A bad file among good ones: one line naming it, nothing added. */
  CLI (&broken, "--db", f->db, "add", good, bad);
  assert_one_line_error (&broken, 1, "broken.txt: invalid UTF-8 at byte offset 10");
  g_assert_cmpint (json_object_get_int_member (stats_json (f, &stats_node), "documents"), ==, 1);

  CLI (&lang, "--db", f->db, "add", "--lang", "fr", good);
  assert_one_line_error (&lang, 2, "--lang takes ru, en or auto");
}

static void
test_import_and_query (Fixture *f, gconstpointer data)
{
  g_autofree char *tsv = test_write_file (f->dir, "g.tsv",
    "subject\tsubject_type\tpredicate\tobject\tobject_type\n"
    "МАЗ\tcompany\tassembles_in\tКазахстан\tcountry\n"
    "БелАЗ\tcompany\tassembles_in\tКазахстан\tcountry\n"
    "Александр Лукашенко\tperson\tmet_with\tНурсултан Назарбаев\tperson\n"
    "Нурсултан Назарбаев\tperson\tleader_of\tКазахстан\tcountry\n"
    "Say \"hi\" <&>\tcompany\tlocated_in\tКазахстан\tcountry\n", -1);
  g_autofree char *bad = test_write_file (f->dir, "bad.tsv",
    "A\tperson\tknows\tB\tperson\nbroken line\n", -1);
  g_autoptr(JsonNode) imp = NULL;
  g_autoptr(JsonNode) ents = NULL;
  g_autoptr(JsonNode) show = NULL;
  g_autoptr(JsonNode) rels = NULL;
  g_autoptr(JsonNode) stats_node = NULL;
  g_auto(Run) init = { 0 };
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  g_auto(Run) r4 = { 0 };
  g_auto(Run) r5 = { 0 };
  g_auto(Run) r6 = { 0 };
  g_auto(Run) r7 = { 0 };
  JsonObject *o;
  JsonArray *a;

  CLI (&init, "--db", f->db, "init", "--empty");
  CLI (&r1, "--db", f->db, "import-tsv", "--json", tsv);
  g_assert_cmpint (r1.status, ==, 0);
  imp = parse_json (r1.out);
  o = json_node_get_object (imp);
  g_assert_cmpint (json_object_get_int_member (o, "lines"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "entities_added"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (o, "relations_added"), ==, 5);

  CLI (&r2, "--db", f->db, "import-tsv", bad);
  assert_one_line_error (&r2, 1, "bad.tsv:2: expected 5 tab-separated fields");
  g_assert_nonnull (strstr (r2.err, "nothing was imported"));
  o = stats_json (f, &stats_node);
  g_assert_cmpint (json_object_get_int_member (o, "relations"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "entity_types"), "company"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "predicates"), "assembles_in"), ==, 2);

  CLI (&r3, "--db", f->db, "entities", "--json", "--type", "country");
  g_assert_cmpint (r3.status, ==, 0);
  ents = parse_json (r3.out);
  a = json_node_get_array (ents);
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  o = json_array_get_object_element (a, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Казахстан");
  g_assert_cmpint (json_object_get_int_member (o, "degree"), ==, 4);

  CLI (&r4, "--db", f->db, "show", "--json", "нурсултан назарбаев");
  g_assert_cmpint (r4.status, ==, 0);
  show = parse_json (r4.out);
  o = json_node_get_object (show);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "entity"), "type"), ==, "person");
  a = json_object_get_array_member (o, "relations");
  g_assert_cmpuint (json_array_get_length (a), ==, 2);

  CLI (&r5, "--db", f->db, "relations", "--json", "--predicate", "located_in");
  g_assert_cmpint (r5.status, ==, 0);
  rels = parse_json (r5.out);
  a = json_node_get_array (rels);
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  o = json_object_get_object_member (json_array_get_object_element (a, 0), "subject");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Say \"hi\" <&>");

  CLI (&r6, "--db", f->db, "show", "Nobody");
  assert_one_line_error (&r6, 1, "no entity is called \"Nobody\"");

  CLI (&r7, "--db", f->db, "entities", "--search", "NEAR(\"*");
  g_assert_cmpint (r7.status, ==, 0);
}

static void
test_extract_and_add (Fixture *f, gconstpointer data)
{
  g_autofree char *seed = g_test_build_filename (G_TEST_DIST, "gold", "seed-belarus-kazakhstan.txt", NULL);
  g_autoptr(JsonNode) ex = NULL;
  g_autoptr(JsonNode) show = NULL;
  g_auto(Run) r1 = { 0 };
  g_auto(Run) init = { 0 };
  g_auto(Run) add = { 0 };
  g_auto(Run) r3 = { 0 };
  g_auto(Run) bad = { 0 };
  JsonArray *relations;
  gboolean found = FALSE;

  CLI (&r1, "extract", "--json", seed);
  g_assert_cmpint (r1.status, ==, 0);
  ex = parse_json (r1.out);
  relations = json_object_get_array_member (json_array_get_object_element (json_node_get_array (ex), 0),
                                            "relations");
  for (guint i = 0; i < json_array_get_length (relations); i++)
    {
      JsonObject *r = json_array_get_object_element (relations, i);
      JsonObject *ev = json_object_get_object_member (r, "evidence");

      if (g_str_equal (json_object_get_string_member (r, "subject"), "МАЗ") &&
          g_str_equal (json_object_get_string_member (r, "predicate"), "assembles_in") &&
          g_str_equal (json_object_get_string_member (r, "object"), "Казахстан"))
        {
          found = TRUE;
          g_assert_nonnull (strstr (json_object_get_string_member (ev, "text"), "собирают её в Казахстане"));
        }
      g_assert_false (json_object_get_boolean_member (r, "cooccurrence"));
    }
  g_assert_true (found);
  /* extract touched no database. */
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  CLI (&init, "--db", f->db, "init", "--empty");
  CLI (&add, "--db", f->db, "add", seed);
  g_assert_cmpint (add.status, ==, 0);
  g_assert_nonnull (strstr (add.out, "22 entities"));

  CLI (&r3, "--db", f->db, "show", "--json", "назарбаевым");
  g_assert_cmpint (r3.status, ==, 0);
  show = parse_json (r3.out);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (show), "entity"), "name"),
                   ==, "Нурсултан Назарбаев");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (show), "relations")), >=, 10);

  CLI (&bad, "extract", f->dir);
  assert_one_line_error (&bad, 1, "not a regular file");
}

/* Every line "name value unit", the value a number. */
static void
assert_figures (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  g_assert_nonnull (lines[0]);
  g_assert_cmpstr (lines[0], !=, "");
  for (guint i = 0; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) f3 = g_strsplit (lines[i], " ", -1);
      char *end = NULL;

      g_assert_cmpuint (g_strv_length (f3), ==, 3);
      g_assert_true (g_ascii_strtod (f3[1], &end) >= 0);
      g_assert_true (end != f3[1] && *end == '\0');
    }
}

static void
test_bench_prints_figures (Fixture *f, gconstpointer data)
{
  g_auto(Run) r = { 0 };
  g_auto(Run) wrong = { 0 };
  g_auto(Run) hit = { 0 };
  g_auto(Run) query = { 0 };
  g_auto(Run) import = { 0 };

  CLI (&r, "bench", "extract", "--mb", "0.05");
  g_assert_cmpint (r.status, ==, 0);
  assert_figures (r.out);
  g_assert_nonnull (strstr (r.out, "extract_speed "));
  g_assert_nonnull (strstr (r.out, " MB/s\n"));

  CLI (&wrong, "bench", "nothing");
  assert_one_line_error (&wrong, 2, "name a benchmark");

  CLI (&hit, "bench", "hittest", "--nodes", "150");
  g_assert_cmpint (hit.status, ==, 0);
  assert_figures (hit.out);
  g_assert_nonnull (strstr (hit.out, "hittest_graph_nodes 150 nodes\n"));
  g_assert_nonnull (strstr (hit.out, "hittest_indexed "));

  CLI (&query, "bench", "query", "--nodes", "150");
  g_assert_cmpint (query.status, ==, 0);
  assert_figures (query.out);
  g_assert_nonnull (strstr (query.out, "query_hub_depth2_time "));

  CLI (&import, "bench", "import", "--triples", "2000");
  g_assert_cmpint (import.status, ==, 0);
  assert_figures (import.out);
  g_assert_nonnull (strstr (import.out, "import_triples 2000 lines\n"));
}

static void
test_generate (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "gen.db", NULL);
  g_auto(Run) r = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) stats = { 0 };
  g_auto(Run) check = { 0 };
  g_auto(Run) top = { 0 };

  CLI (&r, "generate", "--entities", "300", "--relations", "1000", "--seed", "3", "-o", db);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "300 entities"));
  /* An existing file is never overwritten. */
  CLI (&again, "generate", "-o", db);
  assert_one_line_error (&again, 1, "already exists");

  CLI (&stats, "--db", db, "stats");
  g_assert_nonnull (strstr (stats.out, "entities:      300"));
  g_assert_nonnull (strstr (stats.out, "person"));
  g_assert_nonnull (strstr (stats.out, "met_with"));
  CLI (&check, "--db", db, "check");
  g_assert_cmpint (check.status, ==, 0);

  /* Power law: the biggest hub has far more than the mean of 2 × 1000 / 300. */
  CLI (&top, "--db", db, "entities", "--limit", "1", "--json");
  {
    g_autoptr(JsonNode) node = parse_json (top.out);
    JsonObject *hub = json_array_get_object_element (json_node_get_array (node), 0);

    g_assert_cmpint (json_object_get_int_member (hub, "degree"), >, 30);
  }
}

static void
test_export (Fixture *f, gconstpointer data)
{
  g_autofree char *png = g_build_filename (f->dir, "maz.png", NULL);
  g_autofree char *dot = g_build_filename (f->dir, "all.gv", NULL);
  g_autofree char *nowhere = g_build_filename (f->dir, "no", "such.svg", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_auto(Run) r = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  g_auto(Run) r4 = { 0 };
  g_auto(Run) r5 = { 0 };

  CLI (&r, "--db", f->db, "init");
  g_assert_cmpint (r.status, ==, 0);

  CLI (&r2, "--db", f->db, "export", "--focus", "МАЗ", "--depth", "2", "--engine", "neato",
       "--scale", "1.5", "-o", png);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_nonnull (strstr (r2.out, "png of 8 entities"));
  g_assert_nonnull (strstr (r2.out, "laid out by neato"));
  bytes = test_read_bytes (png);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 4, "\x89PNG", 4);

  /* The format from the extension; DOT of the whole graph. */
  CLI (&r3, "--db", f->db, "export", "-o", dot);
  g_assert_cmpint (r3.status, ==, 0);
  g_assert_nonnull (strstr (r3.out, "dot of 22 entities"));

  /* Usage errors exit 2, user errors 1 with one line naming the file. */
  CLI (&r4, "--db", f->db, "export", "-o", "graph.xyz");
  g_assert_cmpint (r4.status, ==, 2);
  CLI (&r5, "--db", f->db, "export", "-o", nowhere);
  g_assert_cmpint (r5.status, ==, 1);
  g_assert_nonnull (strstr (r5.err, "such.svg"));
  g_assert_null (strchr (g_strstrip (r5.err), '\n'));
}

/* export to GEXF and JSON, then `import` of each into an empty store. */
static void
test_import_graph (Fixture *f, gconstpointer data)
{
  static const char * const exts[] = { "gexf", "json", "csv" };
  g_auto(Run) init = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) usage = { 0 };
  g_autofree char *junk = test_write_file (f->dir, "junk.graphml", "<graphml><node", -1);

  CLI (&init, "--db", f->db, "init");
  g_assert_cmpint (init.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    {
      g_autofree char *name = g_strdup_printf ("all.%s", exts[i]);
      g_autofree char *db = g_strdup_printf ("copy-%s.db", exts[i]);
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_autofree char *copy = g_build_filename (f->dir, db, NULL);
      g_autoptr(JsonNode) report = NULL;
      g_auto(Run) out = { 0 };
      g_auto(Run) empty = { 0 };
      g_auto(Run) in = { 0 };
      JsonObject *o;

      CLI (&out, "--db", f->db, "export", "-o", path);
      g_assert_cmpint (out.status, ==, 0);
      CLI (&empty, "--db", copy, "init", "--empty");
      g_assert_cmpint (empty.status, ==, 0);
      CLI (&in, "--db", copy, "import", "--json", path);
      g_assert_cmpint (in.status, ==, 0);
      report = parse_json (in.out);
      o = json_node_get_object (report);
      g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, exts[i]);
      g_assert_cmpint (json_object_get_int_member (o, "nodes"), ==, 22);
      g_assert_cmpint (json_object_get_int_member (o, "entities_added"), ==, 22);
      g_assert_cmpint (json_object_get_int_member (o, "relations_added"), ==,
                       json_object_get_int_member (o, "edges"));
    }

  CLI (&bad, "--db", f->db, "import", junk);
  assert_one_line_error (&bad, 1, "junk.graphml");
  CLI (&usage, "--db", f->db, "import", "graph.xyz");
  g_assert_cmpint (usage.status, ==, 2);
}

/* A long import draws a progress bar on a terminal (script(1) gives the
 * command one) and nothing at all when stderr is piped. */
static void
test_progress_bar (Fixture *f, gconstpointer data)
{
  g_autofree char *seed = g_build_filename (g_getenv ("SVYAZ_DATA_DIR"), "corpus",
                                            "000_410002e381292c77.txt", NULL);
  g_autofree char *text = NULL;
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *command = NULL;
  g_autofree char *tty_out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) init = { 0 };
  g_auto(Run) piped = { 0 };
  int status = 0;

  g_assert_true (g_file_get_contents (seed, &text, NULL, &error));
  a = test_write_file (f->dir, "a.txt", text, -1);
  b = test_write_file (f->dir, "b.txt", "Лукашенко встретился с Токаевым в Минске.", -1);
  CLI (&init, "--db", f->db, "init", "--empty");
  g_assert_cmpint (init.status, ==, 0);

  CLI (&piped, "--db", f->db, "add", a);
  g_assert_cmpint (piped.status, ==, 0);
  g_assert_cmpstr (piped.err, ==, "");

  command = g_strdup_printf ("script -qec \"'%s' --db '%s' add '%s' '%s'\" /dev/null",
                             g_getenv ("SVYAZ_CLI"), f->db, a, b);
  g_assert_true (g_spawn_command_line_sync (command, &tty_out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  /* The second file's share starts at half the bar, and the line is wiped
   * before the report. */
  g_assert_nonnull (strstr (tty_out, "[###############---------------]  50%"));
  g_assert_nonnull (strstr (tty_out, "\r\033[K"));
  g_assert_nonnull (strstr (tty_out, "1 added, 1 already present"));
}

/* search, path and stats --centrality on the seed. */
static void
test_explore_commands (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) hits = NULL, paths = NULL, central = NULL, found = NULL;
  g_auto(Run) init = { 0 };
  g_auto(Run) search = { 0 };
  g_auto(Run) path = { 0 };
  g_auto(Run) stats = { 0 };
  g_auto(Run) names = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) bad = { 0 };
  JsonArray *array;
  JsonObject *first, *top;

  CLI (&init, "--db", f->db, "init");
  g_assert_cmpint (init.status, ==, 0);

  CLI (&search, "--db", f->db, "search", "--json", "венок", "возложил");
  g_assert_cmpint (search.status, ==, 0);
  hits = parse_json (search.out);
  array = json_node_get_array (hits);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  first = json_array_get_object_element (array, 0);
  g_assert_nonnull (strstr (json_object_get_string_member (first, "sentence"), "возложил венок"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "entities")), >=, 2);

  CLI (&path, "--db", f->db, "path", "--json", "МАЗ", "Назарбаевым", "-k", "2");
  g_assert_cmpint (path.status, ==, 0);
  paths = parse_json (path.out);
  array = json_node_get_array (paths);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "path"), ==, "МАЗ → Казахстан ← Нурсултан Назарбаев");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "hops")), ==, 2);

  CLI (&stats, "--db", f->db, "stats", "--centrality", "--json", "--top", "3");
  g_assert_cmpint (stats.status, ==, 0);
  central = parse_json (stats.out);
  top = json_node_get_object (central);
  g_assert_cmpint (json_object_get_int_member (top, "entities"), ==, 22);
  array = json_object_get_array_member (top, "top");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  /* By PageRank, the hub of the article comes first. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"),
                   ==, "Нурсултан Назарбаев");
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (array, 0), "pagerank"), >,
                     json_object_get_double_member (json_array_get_object_element (array, 1), "pagerank"));

  /* entities --search: inflected and Latin. */
  CLI (&names, "--db", f->db, "entities", "--json", "--search", "Казахстане");
  g_assert_cmpint (names.status, ==, 0);
  found = parse_json (names.out);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (found), 0), "name"),
                   ==, "Казахстан");

  CLI (&none, "--db", f->db, "search", "\"NEAR(", "*");
  g_assert_cmpint (none.status, ==, 0);
  CLI (&bad, "--db", f->db, "stats", "--centrality", "--by", "fame");
  g_assert_cmpint (bad.status, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("SVYAZ_CLI"));
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/cli/usage", test_usage);
  ADD ("/cli/missing-db", test_missing_db_is_not_created);
  ADD ("/cli/foreign-file", test_foreign_file_untouched);
  ADD ("/cli/init", test_init_seeds_corpus);
  ADD ("/cli/default-db", test_default_db_created_and_seeded);
  ADD ("/cli/add", test_add_documents);
  ADD ("/cli/import-and-query", test_import_and_query);
  ADD ("/cli/extract-and-add", test_extract_and_add);
  ADD ("/cli/bench", test_bench_prints_figures);
  ADD ("/cli/export", test_export);
  ADD ("/cli/import-graph", test_import_graph);
  ADD ("/cli/progress-bar", test_progress_bar);
  ADD ("/cli/generate", test_generate);
  ADD ("/cli/explore-commands", test_explore_commands);
#undef ADD
  return g_test_run ();
}

/* test-reliability.c: bad input gets a clear error and nothing is lost.
 *
 * Through svyaz-cli as a user runs it: damaged, foreign, newer, read-only
 * and locked database files (their bytes compared before and after),
 * `check`, hostile text input, an import killed with SIGKILL half-way,
 * names that need escaping in JSON, and search strings that look like
 * SQL or FTS5 syntax.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "test-util.h"

typedef struct {
  char *dir;
  char *db;
} Fixture;

static const char triples[] =
  "subject\tsubject_type\tpredicate\tobject\tobject_type\n"
  "Лукашенко\tperson\tmet_with\tНазарбаев\tperson\n"
  "МАЗ\tcompany\tassembles_in\tКазахстан\tcountry\n"
  "100% Foods\tcompany\tsupplies_to\tA_B Corp\tcompany\n"
  "AxB Corp\tcompany\tsupplies_to\tO'Brien\tperson\n";

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *tsv = NULL;
  g_auto(Run) init = { 0 };
  g_auto(Run) import = { 0 };

  f->dir = test_make_tmpdir ();
  f->db = g_build_filename (f->dir, "r.db", NULL);
  tsv = test_write_file (f->dir, "seed.tsv", triples, -1);
  CLI (&init, "--db", f->db, "init", "--empty");
  g_assert_cmpint (init.status, ==, 0);
  CLI (&import, "--db", f->db, "import-tsv", tsv);
  g_assert_cmpint (import.status, ==, 0);
}

/* Undoes set_read_only() on everything left, so the folder can go. */
static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (geteuid () == 0)
    {
      const char *argv[] = { "chattr", "-R", "-i", f->dir, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, NULL, NULL, NULL, NULL);
    }
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* Makes @path unwritable: chmod for a user; root ignores permissions,
 * so for root (as in CI) the immutable attribute. */
static void
set_read_only (const char *path,
               gboolean    read_only)
{
  if (geteuid () == 0)
    {
      const char *argv[] = { "chattr", read_only ? "+i" : "-i", path, NULL };
      int status = 0;
      g_autoptr(GError) error = NULL;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_cmpint (status, ==, 0);
    }
  else
    g_assert_cmpint (g_chmod (path, read_only ? (g_file_test (path, G_FILE_TEST_IS_DIR) ? 0555 : 0444)
                                              : (g_file_test (path, G_FILE_TEST_IS_DIR) ? 0755 : 0644)), ==, 0);
}

static char *
copy_to (Fixture    *f,
         const char *name,
         gsize       max_bytes)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (f->db, &contents, &len, NULL));
  return test_write_file (f->dir, name, contents, (gssize) MIN (len, max_bytes));
}

/* Runs @args against @db and expects a one-line error holding @part, and
 * the file's bytes as they were. */
static void
assert_refused_untouched (const char *db,
                          const char *part,
                          const char *command,
                          const char *arg)
{
  g_autoptr(GBytes) before = test_read_bytes (db);
  g_autoptr(GBytes) after = NULL;
  g_auto(Run) r = { 0 };

  if (arg != NULL)
    CLI (&r, "--db", db, command, arg);
  else
    CLI (&r, "--db", db, command);
  assert_one_line_error (&r, 1, part);
  after = test_read_bytes (db);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_database_files (Fixture *f, gconstpointer data)
{
  g_autofree char *tsv = test_write_file (f->dir, "more.tsv", "Путин\tperson\tmet_with\tЭрдоган\tperson\n", -1);
  g_autofree char *truncated = copy_to (f, "truncated.db", 3000);
  g_autofree char *newer = copy_to (f, "newer.db", G_MAXSIZE);
  g_autofree char *foreign = g_build_filename (f->dir, "foreign.sqlite", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.db", NULL);
  sqlite3 *db = NULL;

  /* A truncated file: refused for reading and for writing. */
  assert_refused_untouched (truncated, "not a usable database file", "stats", NULL);
  assert_refused_untouched (truncated, "not a usable database file", "import-tsv", tsv);

  /* A file a newer Svyaz wrote. */
  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_refused_untouched (newer, "written by a newer Svyaz", "import-tsv", tsv);

  /* Another application's SQLite file. */
  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);"
                                 "INSERT INTO photos (path) VALUES ('a.jpg')", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_refused_untouched (foreign, "another application", "stats", NULL);
  assert_refused_untouched (foreign, "another application", "init", NULL);

  /* A missing file is not created by a typo. */
  {
    g_auto(Run) r = { 0 };

    CLI (&r, "--db", missing, "import-tsv", tsv);
    assert_one_line_error (&r, 1, "no such database");
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }

  /* A read-only file and a read-only folder: writes refused, data kept. */
  set_read_only (f->db, TRUE);
  assert_refused_untouched (f->db, "read-only", "import-tsv", tsv);
  set_read_only (f->db, FALSE);
  {
    g_autofree char *sub = g_build_filename (f->dir, "locked-folder", NULL);
    g_autofree char *inner = g_build_filename (sub, "r.db", NULL);
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
    g_assert_true (g_file_get_contents (f->db, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (inner, contents, (gssize) len, NULL));
    set_read_only (sub, TRUE);
    assert_refused_untouched (inner, "folder must be writable", "import-tsv", tsv);
    set_read_only (sub, FALSE);
  }
}

/* Another program holds the write lock: after the busy timeout the CLI
 * says so, and the store is as it was. */
static void
test_locked_database (Fixture *f, gconstpointer data)
{
  g_autofree char *tsv = test_write_file (f->dir, "more.tsv", "Путин\tperson\tmet_with\tЭрдоган\tperson\n", -1);
  const char *env[] = { "SVYAZ_BUSY_TIMEOUT", "300", NULL };
  g_auto(Run) r = { 0 };
  g_auto(Run) after = { 0 };
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  run_cli_env (&r, env, (const char * const[]) { "--db", f->db, "import-tsv", tsv, NULL });
  assert_one_line_error (&r, 1, "locked by another program");
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);

  CLI (&after, "--db", f->db, "entities", "--search", "Путин");
  g_assert_cmpint (after.status, ==, 0);
  g_assert_null (strstr (after.out, "Путин"));
}

static void
test_check (Fixture *f, gconstpointer data)
{
  g_autofree char *damaged = copy_to (f, "damaged.db", G_MAXSIZE);
  g_autofree char *corrupt = copy_to (f, "corrupt.db", G_MAXSIZE);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_auto(Run) ok = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) broken = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  sqlite3 *db = NULL;

  CLI (&ok, "--db", f->db, "check");
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, ": ok"));

  /* Rows left pointing at a deleted entity, as a tool that writes with
   * foreign keys off could leave them. */
  g_assert_cmpint (sqlite3_open (damaged, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = OFF; PRAGMA journal_mode = DELETE;"
                                 "DELETE FROM entities WHERE name = 'МАЗ'", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  CLI (&bad, "--db", damaged, "check");
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.out, "dangling reference: relations row"));
  g_assert_nonnull (strstr (bad.out, "orphan alias"));
  g_assert_nonnull (strstr (bad.err, "problems found"));
  CLI (&json, "--db", damaged, "check", "--json");
  g_assert_true (json_parser_load_from_data (parser, json.out, -1, NULL));
  g_assert_false (json_object_get_boolean_member (json_node_get_object (json_parser_get_root (parser)), "ok"));

  /* A damaged page: check finds it and changes nothing. */
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (corrupt, &contents, &len, NULL));
    g_assert_cmpuint (len, >, 8192);
    memset (contents + 4096, 0x5a, 1000);  /* page 2, from its header on */
    g_assert_true (g_file_set_contents (corrupt, contents, (gssize) len, NULL));
  }
  before = test_read_bytes (corrupt);
  CLI (&broken, "--db", corrupt, "check");
  g_assert_cmpint (broken.status, ==, 1);
  g_assert_nonnull (strstr (broken.out, "integrity"));
  after = test_read_bytes (corrupt);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_text_input (Fixture *f, gconstpointer data)
{
  static const char with_nul[] = "Путин встретился\0 с Эрдоганом.";
  g_autofree char *nul = test_write_file (f->dir, "nul.txt", with_nul, sizeof with_nul - 1);
  g_autofree char *mixed = test_write_file (f->dir, "mixed.txt",
    "الرئيس محمود عباس التقى مع נתניהו في القدس. Владимир Путин 🙂 встретился с "
    "Реджепом Тайипом Эрдоганом\x07 в Сочи.\n", -1);
  g_autofree char *long_tsv = NULL;
  g_autofree char *long_word = NULL;
  g_autofree char *one_line = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  g_auto(Run) r4 = { 0 };
  g_auto(Run) r5 = { 0 };
  g_auto(Run) stats = { 0 };

  CLI (&r1, "--db", f->db, "add", nul);
  assert_one_line_error (&r1, 1, "nul.txt: a NUL byte at byte offset 31");

  CLI (&r2, "--db", f->db, "add", mixed);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_nonnull (strstr (r2.out, "added as document"));
  CLI (&stats, "--db", f->db, "relations", "--entity", "Путин");
  g_assert_nonnull (strstr (stats.out, "Сочи"));

  /* A 10,000-letter "name": refused in a triple with its line, ignored
   * as a name in a text. */
  g_string_append (text, "Путин\tperson\tmet_with\t");
  for (int i = 0; i < 10000; i++)
    g_string_append (text, "Я");
  g_string_append (text, "\tperson\n");
  long_tsv = test_write_file (f->dir, "long.tsv", text->str, -1);
  CLI (&r3, "--db", f->db, "import-tsv", long_tsv);
  assert_one_line_error (&r3, 1, "long.tsv:1: object is longer than 1024 bytes");

  g_string_assign (text, "Компания «");
  for (int i = 0; i < 10000; i++)
    g_string_append (text, "Я");
  g_string_append (text, "» подписала соглашение с корпорацией «КазМунайГаз».");
  long_word = test_write_file (f->dir, "long-word.txt", text->str, -1);
  CLI (&r4, "--db", f->db, "add", long_word);
  g_assert_cmpint (r4.status, ==, 0);

  /* 2 MB on one line with no sentence end: extracted in bounded pieces
   * (before the pieces this took minutes). */
  g_string_truncate (text, 0);
  while (text->len < 2000000)
    g_string_append (text, "Назарбаев встретился с Лукашенко в Минске и МАЗ Казахстан торговля ");
  one_line = test_write_file (f->dir, "one-line.txt", text->str, -1);
  CLI (&r5, "extract", one_line);
  g_assert_cmpint (r5.status, ==, 0);
  g_assert_nonnull (strstr (r5.out, "Нурсултан Назарбаев"));
  g_assert_nonnull (strstr (r5.out, "met_with"));
}

static char *
stats_snapshot (Fixture *f)
{
  g_auto(Run) stats = { 0 };
  g_auto(Run) names = { 0 };

  CLI (&stats, "--db", f->db, "stats", "--json");
  g_assert_cmpint (stats.status, ==, 0);
  CLI (&names, "--db", f->db, "entities", "--json");
  g_assert_cmpint (names.status, ==, 0);
  return g_strconcat (stats.out, names.out, NULL);
}

/* An import killed half-way leaves the store exactly as before. */
static void
test_killed_import (Fixture *f, gconstpointer data)
{
  g_autofree char *before = stats_snapshot (f);
  g_autofree char *after = NULL;
  g_autofree char *tsv = NULL;
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) check = { 0 };
  const char *argv[] = { g_getenv ("SVYAZ_CLI"), "--db", f->db, "import-tsv", NULL, NULL };
  GPid pid;
  int status = 0;
  gint64 deadline;
  GStatBuf st;

  for (int i = 0; i < 400000; i++)
    g_string_append_printf (big, "Person %d\tperson\tmet_with\tCompany %d\tcompany\n", i, i % 1000);
  tsv = test_write_file (f->dir, "big.tsv", big->str, (gssize) big->len);
  argv[4] = tsv;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                                G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  /* Kill it mid-way: once its journal has grown, or after 1.5 s (with
   * a 64 MB page cache the journal may grow only at commit); the whole
   * import takes several seconds, and the exit status below proves it
   * was still running. */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC / 2;
  while (!(g_stat (wal, &st) == 0 && st.st_size > 1 << 20) && g_get_monotonic_time () < deadline)
    g_usleep (2000);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_spawn_close_pid (pid);

  after = stats_snapshot (f);
  g_assert_cmpstr (after, ==, before);
  CLI (&check, "--db", f->db, "check");
  g_assert_cmpint (check.status, ==, 0);
}

/* A file large enough to load in bulk: the indexes and the name index
 * come back whole, and searches find what was imported. */
static void
test_bulk_import (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *tsv = NULL;
  g_auto(Run) import = { 0 };
  g_auto(Run) check = { 0 };
  g_auto(Run) search = { 0 };
  g_auto(Run) old = { 0 };
  g_auto(Run) rel = { 0 };

  for (int i = 0; big->len < 5 * 1024 * 1024; i++)
    g_string_append_printf (big, "Персона %d\tperson\tworks_for\tКомпания %d\tcompany\n", i, i % 997);
  tsv = test_write_file (f->dir, "bulk.tsv", big->str, (gssize) big->len);
  CLI (&import, "--db", f->db, "import-tsv", tsv);
  g_assert_cmpint (import.status, ==, 0);
  CLI (&check, "--db", f->db, "check");
  g_assert_cmpint (check.status, ==, 0);
  CLI (&search, "--db", f->db, "entities", "--search", "Персона 4242", "--json");
  g_assert_nonnull (strstr (search.out, "\"Персона 4242\""));
  CLI (&old, "--db", f->db, "entities", "--search", "O'Brien");
  g_assert_nonnull (strstr (old.out, "O'Brien"));
  CLI (&rel, "--db", f->db, "relations", "--entity", "Компания 996", "--limit", "1");
  g_assert_nonnull (strstr (rel.out, "works_for"));
}

static JsonArray *
parse_array (const char *text,
             JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

/* Names that need escaping come back from --json exactly. */
static void
test_json_escaping (Fixture *f, gconstpointer data)
{
  static const char * const names[] = {
    "He said \"hi\"", "back\\slash", "{braces} [brackets]", "<tag> & ampersand", "Связь 🔗",
    "עברית", "semi;colon, comma 'quote'",
  };
  g_autoptr(GString) tsv_text = g_string_new (NULL);
  g_autofree char *tsv = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) rparser = json_parser_new ();
  g_auto(Run) import = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) rel = { 0 };
  JsonArray *entities, *relations;

  for (guint i = 0; i + 1 < G_N_ELEMENTS (names); i++)
    g_string_append_printf (tsv_text, "%s\tthing\trelates_to\t%s\tthing\n", names[i], names[i + 1]);
  tsv = test_write_file (f->dir, "odd.tsv", tsv_text->str, -1);
  CLI (&import, "--db", f->db, "import-tsv", tsv);
  g_assert_cmpint (import.status, ==, 0);

  CLI (&list, "--db", f->db, "entities", "--type", "thing", "--json");
  entities = parse_array (list.out, parser);
  g_assert_cmpuint (json_array_get_length (entities), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gboolean found = FALSE;

      for (guint k = 0; k < json_array_get_length (entities); k++)
        found |= g_str_equal (json_object_get_string_member (json_array_get_object_element (entities, k), "name"),
                              names[i]);
      g_assert_true (found);
    }

  CLI (&rel, "--db", f->db, "relations", "--predicate", "relates_to", "--json");
  relations = parse_array (rel.out, rparser);
  g_assert_cmpuint (json_array_get_length (relations), ==, G_N_ELEMENTS (names) - 1);
}

/* Search and filter strings that look like SQL or FTS5 syntax are text:
 * no error, and no wider match than the words they hold. */
static void
test_injection (Fixture *f, gconstpointer data)
{
  static const struct { const char *search; const char *must; const char *must_not; } cases[] = {
    { "%", NULL, "МАЗ" },
    { "_", NULL, "МАЗ" },
    { "A_B", "A_B Corp", "AxB Corp" },
    { "100%", "100% Foods", "МАЗ" },
    { "O'Brien", "O'Brien", "МАЗ" },
    { "\"", NULL, "МАЗ" },
    { "*", NULL, "МАЗ" },
    { "NEAR", NULL, "МАЗ" },
    { "NEAR(МАЗ Казахстан)", NULL, NULL },
    { "МАЗ OR Казахстан", NULL, "Казахстан" },
    { "Корп:*", NULL, "МАЗ" },
    { "^МАЗ", "МАЗ", "Казахстан" },
    { "-МАЗ", "МАЗ", "Казахстан" },
    { "' OR 1=1 --", NULL, "МАЗ" },
    { "\"); DROP TABLE entities; --", NULL, "МАЗ" },
  };
  g_auto(Run) still = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) r = { 0 };
      g_auto(Run) d = { 0 };

      CLI (&r, "--db", f->db, "entities", "--search", cases[i].search);
      if (r.status != 0)
        g_error ("search «%s» failed: %s", cases[i].search, r.err);
      if (cases[i].must)
        g_assert_nonnull (strstr (r.out, cases[i].must));
      if (cases[i].must_not && strstr (r.out, cases[i].must_not))
        g_error ("search «%s» matched %s:\n%s", cases[i].search, cases[i].must_not, r.out);
      CLI (&d, "--db", f->db, "documents", "--search", cases[i].search);
      g_assert_cmpint (d.status, ==, 0);
    }
  {
    g_auto(Run) p = { 0 };
    g_auto(Run) s = { 0 };

    CLI (&p, "--db", f->db, "relations", "--predicate", "' OR 1=1 --");
    g_assert_cmpint (p.status, ==, 0);
    g_assert_nonnull (strstr (p.out, "0 relations"));
    CLI (&s, "--db", f->db, "show", "' OR '1'='1");
    assert_one_line_error (&s, 1, "no entity");
  }
  CLI (&still, "--db", f->db, "stats");
  g_assert_nonnull (strstr (still.out, "entities:      8"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/reliability/database-files", test_database_files);
  ADD ("/reliability/locked-database", test_locked_database);
  ADD ("/reliability/check", test_check);
  ADD ("/reliability/text-input", test_text_input);
  ADD ("/reliability/killed-import", test_killed_import);
  ADD ("/reliability/bulk-import", test_bulk_import);
  ADD ("/reliability/json-escaping", test_json_escaping);
  ADD ("/reliability/injection", test_injection);
  return g_test_run ();
}

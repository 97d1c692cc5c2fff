/* test-store.c: the store's round trips, migrations, refusal of foreign
 * files (byte-for-byte untouched), idempotence, FTS and transactions. */
#include "svyaz-store.h"
#include "svyaz-text.h"
#include "test-util.h"

#include <sqlite3.h>
#include <string.h>

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = test_make_tmpdir ();
  f->path = g_build_filename (f->dir, "test.db", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static SvyazStore *
create_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SvyazStore *store = svyaz_store_open (f->path, SVYAZ_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static gint64
sql_int (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
sql_exec (const char *path, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_create_sets_identity (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazStore) store = create_store (f);

  g_assert_cmpint (sql_int (f->path, "PRAGMA user_version"), ==, SVYAZ_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sql_int (f->path, "PRAGMA application_id"), ==, SVYAZ_STORE_APPLICATION_ID);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'relations'"), ==, 1);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'names_fts'"), ==, 1);
  g_assert_true (svyaz_store_is_empty (store));
  g_assert_cmpstr (svyaz_store_get_path (store), ==, f->path);
}

static void
test_missing_not_created (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = svyaz_store_open (f->path, SVYAZ_STORE_OPEN_DEFAULT, &error);

  g_assert_null (store);
  g_assert_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_create_in_new_folder (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nested = g_build_filename (f->dir, "a", "b", "store.db", NULL);
  g_autoptr(SvyazStore) store = svyaz_store_open (nested, SVYAZ_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_test (nested, G_FILE_TEST_IS_REGULAR));
}

static void
test_empty_file_initialised (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autofree char *path = test_write_file (f->dir, "empty.db", "", 0);

  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, SVYAZ_STORE_SCHEMA_VERSION);
}

/* Opens @path, expects @code, and checks the file kept every byte. */
static void
assert_refused_untouched (const char *path, gint code, const char *message_part)
{
  g_autoptr(GBytes) before = test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, SVYAZ_STORE_ERROR, code);
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_null (strchr (error->message, '\n'));

  after = test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_newer_version_refused (Fixture *f, gconstpointer data)
{
  g_object_unref (create_store (f));
  sql_exec (f->path, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;");

  assert_refused_untouched (f->path, SVYAZ_STORE_ERROR_TOO_NEW, "newer Svyaz (schema 99");
}

static void
test_foreign_sqlite_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "firefox.sqlite", NULL);

  sql_exec (path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
                  "INSERT INTO moz_places (url) VALUES ('https://example.org');");
  assert_refused_untouched (path, SVYAZ_STORE_ERROR_FOREIGN, "another application");

  /* An application_id of someone else, even with no tables. */
  g_free (path);
  path = g_build_filename (f->dir, "other.db", NULL);
  sql_exec (path, "PRAGMA application_id = 1234; CREATE TABLE t (x); DROP TABLE t;");
  assert_refused_untouched (path, SVYAZ_STORE_ERROR_FOREIGN, "another application");
}

static void
test_non_sqlite_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *text = test_write_file (f->dir, "notes.txt", "just some text, long enough\n", -1);
  g_autofree char *tiny = test_write_file (f->dir, "tiny.db", "SQLite", -1);
  g_autoptr(GError) error = NULL;

  assert_refused_untouched (text, SVYAZ_STORE_ERROR_NOT_DATABASE, "not an SQLite file");
  assert_refused_untouched (tiny, SVYAZ_STORE_ERROR_NOT_DATABASE, "not an SQLite file");

  g_assert_null (svyaz_store_open (f->dir, SVYAZ_STORE_OPEN_CREATE, &error));
  g_assert_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NOT_FILE);
}

static void
test_corrupt_sqlite_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = NULL;
  g_autofree guint8 *bytes = NULL;
  gsize len;

  g_object_unref (create_store (f));
  sql_exec (f->path, "PRAGMA journal_mode = DELETE;");
  good = test_read_bytes (f->path);
  bytes = g_memdup2 (g_bytes_get_data (good, &len), g_bytes_get_size (good));
  /* Keep the magic, scribble over the rest of the header and page 1. */
  memset (bytes + 16, 0xAB, MIN (len, 4096) - 16);
  bad = test_write_file (f->dir, "corrupt.db", (const char *) bytes, len);

  g_assert_null (svyaz_store_open (bad, SVYAZ_STORE_OPEN_DEFAULT, &error));
  g_assert_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NOT_DATABASE);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazStore) store = create_store (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) relations = NULL;
  g_autoptr(SvyazEntity) found = NULL;
  g_autoptr(SvyazStats) stats = NULL;
  g_auto(GStrv) aliases = NULL;
  const char *body = "Лукашенко встретился с Назарбаевым. Потом был обед.";
  const char *sentence = "Лукашенко встретился с Назарбаевым.";
  gint64 doc = 0, luk = 0, naz = 0, naz_again = 0;
  gboolean added = FALSE, created = FALSE;
  SvyazRelation *r;
  SvyazRelationInput input = {
    .predicate = "met_with",
    .evidence_start = 0,
    .evidence_end = (gint64) strlen (sentence),
    .confidence = 0.9,
    .rule = "meet-with-instr",
  };

  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_add_document (store, "Встреча", "/tmp/a.txt", "ru",
                                           body, strlen (body), &doc, &added, &error));
  g_assert_true (added);
  g_assert_true (svyaz_store_ensure_entity (store, "Александр Лукашенко", "person",
                                            "Президент Беларуси", &luk, &created, &error));
  g_assert_true (created);
  g_assert_true (svyaz_store_ensure_entity (store, "Нурсултан Назарбаев", "person",
                                            NULL, &naz, &created, &error));
  g_assert_true (svyaz_store_ensure_entity (store, "НУРСУЛТАН  назарбаев", "person",
                                            NULL, &naz_again, &created, &error));
  g_assert_false (created);
  g_assert_cmpint (naz, ==, naz_again);
  g_assert_true (svyaz_store_add_alias (store, naz, "Назарбаевым", &error));
  g_assert_true (svyaz_store_add_mention (store, naz, doc, 44, 66, &error));
  input.subject_id = luk;
  input.object_id = naz;
  input.document_id = doc;
  g_assert_true (svyaz_store_add_relation (store, &input, &added, &error));
  g_assert_true (added);
  g_assert_true (svyaz_store_add_relation (store, &input, &added, &error));
  g_assert_false (added);
  g_assert_true (svyaz_store_commit (store, &error));
  g_assert_no_error (error);

  found = svyaz_store_find_entity (store, "назарбаевым", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, naz);
  g_assert_cmpstr (found->name, ==, "Нурсултан Назарбаев");
  g_assert_cmpuint (found->degree, ==, 1);

  aliases = svyaz_store_get_aliases (store, naz, &error);
  g_assert_cmpuint (g_strv_length (aliases), ==, 1);
  g_assert_cmpstr (aliases[0], ==, "Назарбаевым");

  /* Not an alias, but a word of one: found by the name search. */
  relations = svyaz_store_list_relations (store, &(SvyazRelationQuery) { .entity = "лукашенко" }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relations->len, ==, 1);
  g_clear_pointer (&relations, g_ptr_array_unref);

  relations = svyaz_store_list_relations (store, &(SvyazRelationQuery) { .entity = "Путин" }, &error);
  g_assert_null (relations);
  g_assert_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NO_ENTITY);
  g_clear_error (&error);

  relations = svyaz_store_list_relations (store, &(SvyazRelationQuery) { .entity = "#2" }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relations->len, ==, 1);
  r = g_ptr_array_index (relations, 0);
  g_assert_cmpstr (r->subject, ==, "Александр Лукашенко");
  g_assert_cmpstr (r->predicate, ==, "met_with");
  g_assert_cmpstr (r->object, ==, "Нурсултан Назарбаев");
  g_assert_cmpstr (r->evidence, ==, sentence);
  g_assert_cmpstr (r->document_title, ==, "Встреча");
  g_assert_cmpstr (r->rule, ==, "meet-with-instr");
  g_assert_cmpfloat_with_epsilon (r->confidence, 0.9, 1e-9);
  g_assert_false (r->cooccurrence);

  stats = svyaz_store_get_stats (store, &error);
  g_assert_cmpint (stats->documents, ==, 1);
  g_assert_cmpint (stats->entities, ==, 2);
  g_assert_cmpint (stats->aliases, ==, 3);
  g_assert_cmpint (stats->mentions, ==, 1);
  g_assert_cmpint (stats->relations, ==, 1);
  g_assert_cmpint (stats->cooccurrences, ==, 0);
  g_assert_cmpuint (stats->types->len, ==, 1);
  g_assert_cmpstr (((SvyazCount *) g_ptr_array_index (stats->types, 0))->name, ==, "person");

  /* The same store reopened sees the same data. */
  g_clear_object (&store);
  store = svyaz_store_open (f->path, SVYAZ_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_clear_pointer (&found, svyaz_entity_free);
  found = svyaz_store_find_entity (store, "Александр Лукашенко", &error);
  g_assert_cmpstr (found->description, ==, "Президент Беларуси");
}

static void
test_document_idempotent (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazStore) store = create_store (f);
  g_autoptr(GError) error = NULL;
  gint64 first = 0, second = 0;
  gboolean added = TRUE;

  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_add_document (store, "A", NULL, "ru", "текст", strlen ("текст"),
                                           &first, &added, &error));
  g_assert_true (added);
  g_assert_true (svyaz_store_add_document (store, "B", NULL, "ru", "текст", strlen ("текст"),
                                           &second, &added, &error));
  g_assert_false (added);
  g_assert_cmpint (first, ==, second);
  g_assert_false (svyaz_store_add_document (store, "C", "bad.txt", "ru", "\xc3", 1,
                                            &second, &added, &error));
  g_assert_error (error, SVYAZ_TEXT_ERROR, SVYAZ_TEXT_ERROR_INVALID_UTF8);
  g_assert_true (svyaz_store_commit (store, NULL));
}

static void
test_rollback_keeps_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazStore) store = create_store (f);
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_ensure_entity (store, "МАЗ", "company", NULL, &id, NULL, &error));
  svyaz_store_rollback (store);
  g_assert_true (svyaz_store_is_empty (store));

  /* The id cache of the rolled-back transaction must not leak out. */
  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_ensure_entity (store, "МАЗ", "company", NULL, &id, NULL, &error));
  g_assert_true (svyaz_store_commit (store, &error));
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM entities WHERE name = 'МАЗ'"), ==, 1);
}

static void
add_entities (SvyazStore *store, const char * const *names, const char *type)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_true (svyaz_store_begin (store, &error));
  for (guint i = 0; names[i]; i++)
    g_assert_true (svyaz_store_ensure_entity (store, names[i], type, NULL, &id, NULL, &error));
  g_assert_true (svyaz_store_commit (store, &error));
}

static void
test_fts_search (Fixture *f, gconstpointer data)
{
  static const char * const people[] = { "Нурсултан Назарбаев", "Пётр Порошенко", "Angela Merkel", NULL };
  static const char * const hostile[] = {
    "\"", "\"\"", "*", "NEAR(", "a:b", "-", "^x", "' OR 1=1 --", "%", "_", "AND", "(", "{}", "",
    NULL
  };
  g_autoptr(SvyazStore) store = create_store (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  add_entities (store, people, "person");

  hits = svyaz_store_list_entities (store, NULL, "назарб", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((SvyazEntity *) g_ptr_array_index (hits, 0))->name, ==, "Нурсултан Назарбаев");
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* ё and е meet; case does not matter. */
  hits = svyaz_store_list_entities (store, "person", "ПЕТР", 0, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = svyaz_store_list_entities (store, "company", "merkel", 0, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  for (guint i = 0; hostile[i]; i++)
    {
      hits = svyaz_store_list_entities (store, NULL, hostile[i], 0, &error);
      g_assert_no_error (error);
      g_assert_nonnull (hits);
      /* "AND" is a word here, not an operator: nobody is called that. */
      g_assert_cmpuint (hits->len, ==, 0);
      g_clear_pointer (&hits, g_ptr_array_unref);
      hits = svyaz_store_search_documents (store, hostile[i], 0, &error);
      g_assert_no_error (error);
      g_clear_pointer (&hits, g_ptr_array_unref);
    }
}

static void
test_fts_query_quoting (void)
{
  g_autofree char *a = svyaz_store_fts_query ("Назарбаев \"NEAR\" x*");
  g_autofree char *b = svyaz_store_fts_query ("  ***  ");

  g_assert_cmpstr (a, ==, "\"назарбаев\" \"near\" \"x\"*");
  g_assert_null (b);
}

static void
test_ambiguous_name (Fixture *f, gconstpointer data)
{
  static const char * const names[] = { "Минск", NULL };
  g_autoptr(SvyazStore) store = create_store (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazEntity) e = NULL;

  add_entities (store, names, "city");
  add_entities (store, names, "company");
  e = svyaz_store_find_entity (store, "минск", &error);
  g_assert_null (e);
  g_assert_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_AMBIGUOUS);
  g_assert_nonnull (strstr (error->message, "#1 Минск (city)"));
  g_assert_nonnull (strstr (error->message, "#2 Минск (company)"));
  g_clear_error (&error);
  e = svyaz_store_find_entity (store, "#2", &error);
  g_assert_cmpstr (e->type, ==, "company");
}

static void
test_read_only_store_refuses_writes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;

  g_object_unref (create_store (f));
  store = svyaz_store_open (f->path, SVYAZ_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_false (svyaz_store_begin (store, &error));
  g_assert_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_READ_ONLY);
}

/* Every row of @sql, a line each, columns joined by tabs. */
static char *
sql_dump (const char *path, const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, c);

          g_string_append_printf (out, "%s%s", c ? "\t" : "", text ? text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* The same entities and relations, some already stored, given row by
 * row to one store and in bulk to another: the same answers on the way
 * (ids, new or not, duplicate or not) and the same rows, indexes and
 * name index at the end. */
static void
test_bulk_matches_rows (Fixture *f, gconstpointer data)
{
  static const char * const names[] = {
    "Лукашенко", "ЛУКАШЕНКО", "Назарбаев", "МАЗ", "Казахстан", "O'Brien", "Связь 🔗",
    "<tag> & \"quote\"", "Entity 10", "Entity 2", "entity 2",
  };
  static const char * const types[] = { "person", "company", "country" };
  /* Out of order in BINARY collation, as a bulk load sorts by it. */
  static const char * const predicates[] = { "met_with", "Б", "a", "Z", "works_for", "é" };
  g_autofree char *rows_path = g_build_filename (f->dir, "rows.db", NULL);
  g_autofree char *bulk_path = g_build_filename (f->dir, "bulk.db", NULL);
  const char *paths[2] = { rows_path, bulk_path };
  static const char * const dumps[] = {
    "SELECT id, name, key, type, description FROM entities ORDER BY id",
    "SELECT entity_id, surface, key, latin FROM aliases ORDER BY entity_id, surface",
    "SELECT subject_id, predicate, object_id, document_id, evidence_start, evidence_end,"
    " confidence, rule, cooccurrence FROM relations ORDER BY 1, 2, 3, 4, 5",
    "SELECT type, name, sql FROM sqlite_schema ORDER BY name",
    /* Alias ids differ: a bulk load writes a new entity's name last. */
    "SELECT a.entity_id, a.surface FROM names_fts n JOIN aliases a ON a.id = n.rowid"
    " WHERE names_fts MATCH 'лукашенко OR entity OR другое' ORDER BY 1, 2",
    "SELECT a.entity_id, a.surface FROM names_latin n JOIN aliases a ON a.id = n.rowid"
    " WHERE names_latin MATCH 'lukashenko OR drugoe' ORDER BY 1, 2",
  };
  g_autoptr(GArray) rows_answers = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bulk_answers = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *answers[2] = { rows_answers, bulk_answers };

  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SvyazStore) store = svyaz_store_open (paths[s], SVYAZ_STORE_OPEN_CREATE, &error);
      g_autoptr(GRand) rand = g_rand_new_with_seed (7);
      g_autoptr(GPtrArray) problems = NULL;
      const char *body = "Лукашенко встретился с Назарбаевым.";
      gint64 doc = 0, ids[64];
      gboolean added = FALSE;

      /* Stored before: a document, entities and relations, one with
       * evidence, that the load repeats. */
      g_assert_true (svyaz_store_begin (store, &error));
      g_assert_true (svyaz_store_add_document (store, "Встреча", NULL, "ru", body, strlen (body),
                                               &doc, &added, &error));
      for (guint i = 0; i < 8; i++)
        g_assert_true (svyaz_store_ensure_entity (store, names[i], types[i % 3], NULL, &ids[i],
                                                  NULL, &error));
      for (guint i = 0; i < 20; i++)
        {
          SvyazRelationInput input = {
            .subject_id = ids[i % 8], .object_id = ids[(i * 3) % 8],
            .predicate = predicates[i % 6], .document_id = i % 2 ? doc : 0,
            .evidence_start = i % 4 == 1 ? 0 : -1, .evidence_end = i % 4 == 1 ? 9 : -1,
            .confidence = 0.5, .rule = "seed",
          };

          g_assert_true (svyaz_store_add_relation (store, &input, NULL, &error));
        }
      g_assert_true (svyaz_store_commit (store, &error));

      g_assert_true (s == 0 ? svyaz_store_begin (store, &error) : svyaz_store_bulk_begin (store, &error));
      for (guint i = 0; i < 64; i++)
        {
          g_autofree char *name = g_strdup_printf ("%s%s", names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))],
                                                   i % 5 == 0 ? "" : (i % 2 ? " II" : " Jr"));
          gboolean created = FALSE;
          gint64 answer;

          g_assert_true (svyaz_store_ensure_entity (store, name, types[g_rand_int_range (rand, 0, 3)],
                                                    i % 7 == 3 ? "описание" : NULL, &ids[i], &created,
                                                    &error));
          answer = ids[i] * 2 + created;
          g_array_append_val (answers[s], answer);
          if (i % 9 == 4)
            g_assert_true (svyaz_store_add_alias (store, ids[i], "Другое имя", &error));
        }
      for (guint i = 0; i < 3000; i++)
        {
          gboolean evidence = g_rand_int_range (rand, 0, 4) == 0;
          SvyazRelationInput input = {
            .subject_id = ids[g_rand_int_range (rand, 0, 64)],
            .object_id = ids[g_rand_int_range (rand, 0, 64)],
            .predicate = predicates[g_rand_int_range (rand, 0, 6)],
            .document_id = g_rand_boolean (rand) ? doc : 0,
            .evidence_start = evidence ? g_rand_int_range (rand, 0, 3) : -1,
            .evidence_end = evidence ? 20 : -1,
            .confidence = g_rand_int_range (rand, 0, 5) / 4.0,
            .rule = g_rand_boolean (rand) ? "r1" : "",
            .cooccurrence = g_rand_int_range (rand, 0, 8) == 0,
          };
          gint64 answer;

          g_assert_true (svyaz_store_add_relation (store, &input, &added, &error));
          answer = added;
          g_array_append_val (answers[s], answer);
        }
      g_assert_true (s == 0 || svyaz_store_bulk_end (store, &error));
      g_assert_true (svyaz_store_commit (store, &error));
      g_assert_no_error (error);
      problems = svyaz_store_check (store, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (problems->len, ==, 0);
    }

  /* Both found duplicates and new rows, and answered alike. */
  g_assert_cmpuint (answers[0]->len, ==, answers[1]->len);
  g_assert_cmpmem (answers[0]->data, answers[0]->len * sizeof (gint64),
                   answers[1]->data, answers[1]->len * sizeof (gint64));
  for (guint d = 0; d < G_N_ELEMENTS (dumps); d++)
    {
      g_autofree char *rows = sql_dump (paths[0], dumps[d]);
      g_autofree char *bulk = sql_dump (paths[1], dumps[d]);

      g_assert_cmpuint (strlen (rows), >, 0);
      g_assert_cmpstr (bulk, ==, rows);
    }
  g_assert_cmpint (sql_int (paths[1], "SELECT count(*) FROM relations"), >, 1000);
  g_assert_cmpint (sql_int (paths[1], "SELECT count(*) FROM relations"), <, 3020);
  g_assert_cmpint (sql_int (paths[1], "SELECT count(*) FROM entities WHERE description IS NOT NULL"), >, 0);
}

static guint
count_nodes (SvyazStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = svyaz_store_list_nodes (store, &error);

  g_assert_no_error (error);
  return nodes->len;
}

static void
add_entity (SvyazStore *store, const char *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_ensure_entity (store, name, "person", NULL, &id, NULL, &error));
  g_assert_true (svyaz_store_commit (store, &error));
}

/* Between svyaz_store_read_begin() and the last svyaz_store_read_end(),
 * another connection's write does not show; after, it does. */
static void
test_read_snapshot (Fixture *f, gconstpointer data)
{
  g_autoptr(SvyazStore) reader = create_store (f);
  g_autoptr(SvyazStore) writer = NULL;
  g_autoptr(GError) error = NULL;

  add_entity (reader, "Первый");
  writer = svyaz_store_open (f->path, SVYAZ_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_nodes (reader), ==, 1);

  g_assert_true (svyaz_store_read_begin (reader, &error));
  g_assert_true (svyaz_store_read_begin (reader, &error));
  g_assert_cmpuint (count_nodes (reader), ==, 1);
  add_entity (writer, "Второй");
  g_assert_cmpuint (count_nodes (reader), ==, 1);
  /* Reads that go to SQLite see the same state as the cache. */
  {
    g_autoptr(SvyazStats) stats = svyaz_store_get_stats (reader, &error);

    g_assert_no_error (error);
    g_assert_cmpint (stats->entities, ==, 1);
  }
  svyaz_store_read_end (reader);
  g_assert_cmpuint (count_nodes (reader), ==, 1);
  svyaz_store_read_end (reader);
  g_assert_cmpuint (count_nodes (reader), ==, 2);

  /* Unheld, every read looks again. */
  add_entity (writer, "Третий");
  g_assert_cmpuint (count_nodes (reader), ==, 3);
  /* Its own writes a reader sees, held or not. */
  g_assert_true (svyaz_store_read_begin (reader, &error));
  svyaz_store_read_end (reader);
  add_entity (reader, "Четвёртый");
  g_assert_cmpuint (count_nodes (reader), ==, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/create", test_create_sets_identity);
  ADD ("/store/missing-not-created", test_missing_not_created);
  ADD ("/store/create-in-new-folder", test_create_in_new_folder);
  ADD ("/store/migrate/empty-file", test_empty_file_initialised);
  ADD ("/store/migrate/newer-refused", test_newer_version_refused);
  ADD ("/store/refuse/foreign-sqlite", test_foreign_sqlite_refused);
  ADD ("/store/refuse/not-sqlite", test_non_sqlite_refused);
  ADD ("/store/refuse/corrupt", test_corrupt_sqlite_refused);
  ADD ("/store/round-trip", test_round_trip);
  ADD ("/store/document-idempotent", test_document_idempotent);
  ADD ("/store/rollback", test_rollback_keeps_nothing);
  ADD ("/store/fts", test_fts_search);
  ADD ("/store/ambiguous", test_ambiguous_name);
  ADD ("/store/read-only", test_read_only_store_refuses_writes);
  ADD ("/store/bulk-matches-rows", test_bulk_matches_rows);
  ADD ("/store/read-snapshot", test_read_snapshot);
#undef ADD
  g_test_add_func ("/store/fts-query", test_fts_query_quoting);
  return g_test_run ();
}

/* test-search.c: name search in inflected forms and Latin letters,
 * sentence search, hostile query strings, and the migration that adds
 * the Latin name index to older stores. */
#include <sqlite3.h>
#include <string.h>

#include "svyaz-search.h"
#include "svyaz-text.h"
#include "test-seed.h"
#include "test-util.h"

typedef struct {
  char       *dir;
  SvyazStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  f->dir = test_make_tmpdir ();
  f->store = test_open_seed_store (f->dir);
  /* Entities known only by Cyrillic names, unlike the seed's, which the
   * lexicon gives English aliases too. */
  g_assert_true (svyaz_store_begin (f->store, &error));
  g_assert_true (svyaz_store_ensure_entity (f->store, "Касым-Жомарт Токаев", "person", NULL, &id, NULL, &error));
  g_assert_true (svyaz_store_ensure_entity (f->store, "Жезказган", "city", NULL, &id, NULL, &error));
  g_assert_true (svyaz_store_ensure_entity (f->store, "Щучинский район", "place", NULL, &id, NULL, &error));
  g_assert_true (svyaz_store_commit (f->store, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  test_rm_rf (f->dir);
  g_free (f->dir);
}

/* The name of the first match, or "" for none. */
static char *
first_match (SvyazStore *store,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = svyaz_search_names (store, text, 10, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return g_strdup (found->len > 0 ? ((SvyazEntity *) g_ptr_array_index (found, 0))->name : "");
}

static gboolean
has_alias (SvyazStore *store,
           const char *entity,
           const char *surface)
{
  g_auto(GStrv) aliases = svyaz_store_get_aliases (store, test_entity_id (store, entity), NULL);

  return g_strv_contains ((const char * const *) aliases, surface);
}

static void
test_inflected (Fixture *f, gconstpointer data)
{
  static const struct { const char *query, *name; } cases[] = {
    { "Назарбаеве", "Нурсултан Назарбаев" },    /* prepositional */
    { "лукашенку", "Александр Лукашенко" },      /* dative, lower case */
    { "Белнефтехимом", "Белнефтехим" },          /* instrumental */
    { "Токаевым", "Касым-Жомарт Токаев" },
    { "Жезказгане", "Жезказган" },
    { "КАЗАХСТАНА", "Казахстан" },
    { "Назарб", "Нурсултан Назарбаев" },        /* typing: a prefix */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = first_match (f->store, cases[i].query);

      g_test_message ("%s -> %s", cases[i].query, got);
      g_assert_cmpstr (got, ==, cases[i].name);
    }
  /* Those forms were found by stem, not because they are stored aliases. */
  g_assert_false (has_alias (f->store, "Назарбаев", "Назарбаеве"));
  g_assert_false (has_alias (f->store, "Белнефтехим", "Белнефтехимом"));
}

static void
test_transliterated (Fixture *f, gconstpointer data)
{
  static const struct { const char *query, *name; } cases[] = {
    { "Tokayev", "Касым-Жомарт Токаев" },       /* BGN */
    { "tokaev", "Касым-Жомарт Токаев" },        /* another romanization */
    { "Kasym-Zhomart Tokayev", "Касым-Жомарт Токаев" },
    { "Zhezkazgan", "Жезказган" },
    { "Shchuchinskiy", "Щучинский район" },
    { "Nazarbaev", "Нурсултан Назарбаев" },     /* the seed's English alias says Nazarbayev */
  };
  g_autofree char *key = svyaz_text_latin_key ("Назарбаев");
  g_autofree char *typed = svyaz_text_latin_key ("Nazarbayev");

  g_assert_cmpstr (key, ==, "nazarbaev");
  g_assert_cmpstr (typed, ==, key);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = first_match (f->store, cases[i].query);

      g_test_message ("%s -> %s", cases[i].query, got);
      g_assert_cmpstr (got, ==, cases[i].name);
    }
}

static void
test_hostile_queries (Fixture *f, gconstpointer data)
{
  static const char * const queries[] = {
    "\"", "\"\"", "*", "Казахстан*", ":", "name:Казахстан", "NEAR", "NEAR(Казахстан Беларусь)",
    "-Казахстан", "Казахстан -Беларусь", "Казахстан OR Беларусь", "NOT Казахстан", "(((",
    "'; DROP TABLE entities; --", "^Казахстан", "\\", "%", "_", "\xd0", "", "   ",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plain = svyaz_search_names (f->store, "Казахстан", 0, &error);
  g_autoptr(GPtrArray) plain_hits = svyaz_search_sentences (f->store, "Казахстан", 0, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) names = svyaz_search_names (f->store, queries[i], 0, &error);
      g_autoptr(GPtrArray) hits = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (names);
      hits = svyaz_search_sentences (f->store, queries[i], 0, &error);
      g_assert_no_error (error);
      g_assert_nonnull (hits);
      /* Operators are words or nothing: never a wider result. */
      if (strstr (queries[i], "Казахстан") != NULL)
        {
          g_assert_cmpuint (names->len, <=, plain->len);
          g_assert_cmpuint (hits->len, <=, plain_hits->len);
        }
    }
  {
    g_autoptr(SvyazStats) stats = svyaz_store_get_stats (f->store, &error);

    g_assert_no_error (error);
    g_assert_cmpint (stats->entities, ==, 25);
  }
}

static void
test_sentences (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* "визитом" and "Назарбаевым" in the text; the query has other forms. */
  g_autoptr(GPtrArray) hits = svyaz_search_sentences (f->store, "визит назарбаева", 0, &error);
  gint64 nazarbayev = test_entity_id (f->store, "Назарбаев");
  gint64 lukashenko = test_entity_id (f->store, "Лукашенко");
  gboolean with_both = FALSE, with_nazarbayev = FALSE;

  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, >=, 2);
  for (guint i = 0; i < hits->len; i++)
    {
      SvyazSentenceHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *body = NULL;
      g_autoptr(SvyazDocument) doc = svyaz_store_get_document (f->store, hit->document_id, &body, NULL);
      g_autofree char *lower = g_utf8_strdown (hit->text, -1);

      g_assert_nonnull (doc);
      g_assert_nonnull (strstr (lower, "визит"));
      g_assert_nonnull (strstr (lower, "назарбаев"));
      /* The offsets point at the sentence in the document. */
      g_assert_cmpint (strncmp (body + hit->start, hit->text, 20), ==, 0);
      g_assert_cmpuint (hit->entity_ids->len, ==, hit->entity_names->len);
      gboolean has_n = FALSE, has_l = FALSE;

      for (guint e = 0; e < hit->entity_ids->len; e++)
        {
          has_n |= g_array_index (hit->entity_ids, gint64, e) == nazarbayev;
          has_l |= g_array_index (hit->entity_ids, gint64, e) == lukashenko;
        }
      with_nazarbayev |= has_n;
      with_both |= has_n && has_l;
    }
  /* "…на переговорах Александра Лукашенко с Нурсултаном Назарбаевым, …
   * с официальным визитом." */
  g_assert_true (with_both);
  g_assert_true (with_nazarbayev);

  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = svyaz_search_sentences (f->store, "зеленый марсианин", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
}

/* A store of schema 1 gets the Latin index when opened for writing. */
static void
test_migration_from_1 (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  SvyazStore *store;
  sqlite3 *db;
  gint64 id;
  g_autofree char *got = NULL;

  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_ensure_entity (store, "Жезказган", "city", NULL, &id, NULL, &error));
  g_assert_true (svyaz_store_commit (store, &error));
  g_object_unref (store);

  /* Take it back to schema 1 as that release wrote it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER aliases_latin_insert; DROP TRIGGER aliases_latin_delete;"
                                 "DROP TRIGGER aliases_latin_update; DROP TABLE names_latin;"
                                 "DROP TABLE view_positions; DROP TABLE layouts; ALTER TABLE aliases DROP COLUMN latin;"
                                 "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  got = first_match (store, "Zhezkazgan");
  g_assert_cmpstr (got, ==, "Жезказган");
  {
    g_autoptr(GPtrArray) problems = svyaz_store_check (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }
  g_object_unref (store);
  test_rm_rf (dir);
}

static char *
schema_sql (sqlite3    *db,
            const char *name)
{
  sqlite3_stmt *stmt = NULL;
  char *sql;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT sql FROM sqlite_schema WHERE name = ?1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  sql = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return sql;
}

/* A store of schema 3, whose name indexes kept a token count per name,
 * gets them without, and finds its names as before, by key and by
 * Latin key; its index of objects loses the predicate. */
static void
test_migration_from_3 (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *fts = NULL;
  g_autofree char *latin = NULL;
  g_autofree char *key_index = NULL;
  g_autofree char *object_index = NULL;
  SvyazStore *store;
  sqlite3 *db;
  gint64 id;

  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (svyaz_store_begin (store, &error));
  g_assert_true (svyaz_store_ensure_entity (store, "Жезказган", "city", NULL, &id, NULL, &error));
  g_assert_true (svyaz_store_ensure_entity (store, "Нурсултан Назарбаев", "person", NULL, &id, NULL, &error));
  g_assert_true (svyaz_store_commit (store, &error));
  g_object_unref (store);

  /* Back to schema 3's name indexes, as that release wrote them. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TABLE names_fts; DROP TABLE names_latin;"
                                 "CREATE VIRTUAL TABLE names_fts USING fts5 ("
                                 "  key, content='aliases', content_rowid='id',"
                                 "  tokenize='unicode61 remove_diacritics 2');"
                                 "CREATE VIRTUAL TABLE names_latin USING fts5 ("
                                 "  latin, content='aliases', content_rowid='id', tokenize='unicode61');"
                                 "INSERT INTO names_fts (names_fts) VALUES ('rebuild');"
                                 "INSERT INTO names_latin (names_latin) VALUES ('rebuild');"
                                 "PRAGMA user_version = 3;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  {
    g_autofree char *by_key = first_match (store, "назарбаеве");
    g_autofree char *by_latin = first_match (store, "Zhezkazgan");
    g_autoptr(GPtrArray) problems = svyaz_store_check (store, &error);

    g_assert_cmpstr (by_key, ==, "Нурсултан Назарбаев");
    g_assert_cmpstr (by_latin, ==, "Жезказган");
    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }
  g_object_unref (store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  fts = schema_sql (db, "names_fts");
  latin = schema_sql (db, "names_latin");
  g_assert_nonnull (strstr (fts, "columnsize=0"));
  g_assert_nonnull (strstr (latin, "columnsize=0"));
  key_index = schema_sql (db, "aliases_key");
  g_assert_nonnull (strstr (key_index, "ON aliases (key)"));
  object_index = schema_sql (db, "relations_object");
  g_assert_nonnull (strstr (object_index, "ON relations (object_id)"));
  sqlite3_close (db);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/search/names/inflected", test_inflected);
  ADD ("/search/names/transliterated", test_transliterated);
  ADD ("/search/hostile-queries", test_hostile_queries);
  ADD ("/search/sentences", test_sentences);
  g_test_add_func ("/search/migration-from-1", test_migration_from_1);
  g_test_add_func ("/search/migration-from-3", test_migration_from_3);
  return g_test_run ();
}

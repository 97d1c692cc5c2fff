/* svyaz-store.c: the knowledge store, one SQLite file.
 *
 * Opening is careful not to touch a file that is not ours: the header and
 * the PRAGMAs application_id and user_version are read through a read-only
 * connection first, and only a file that is empty, a bare SQLite file, or a
 * Svyaz store of this or an older schema is then opened for writing. The
 * schema is built by ordered forward migrations, each in its own
 * transaction. All SQL is static text with bound parameters; prepared
 * statements are cached for the life of the connection.
 */
#include "svyaz-config.h"
#include "svyaz-store.h"
#include "svyaz-prefetch.h"
#include "svyaz-text.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

/* Page cache sizes, in KiB as SQLite takes them (negative). A bulk load
 * keeps its pages in memory rather than spilling them to the WAL and
 * reading them back (500,000 triples: 20.8 s to 12.2 s with the bulk
 * size); otherwise reads are served by the graph cache, and a window
 * holding a whole large store kept 64 MB of pages it had read once. */
#define CACHE_KIB -8192
#define BULK_CACHE_KIB -65536

struct _SvyazStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *stmts;        /* static SQL text -> sqlite3_stmt* */
  GHashTable *entity_ids;   /* "type\x1fkey" -> gint64 id, this transaction */
  gboolean    in_transaction;
  gboolean    read_only;
  struct BulkLoad *bulk;    /* between bulk_begin and bulk_end; see there */
  guint       reads;        /* svyaz_store_read_begin() depth */
  gboolean    read_began;   /* ... which began a read transaction */
  gboolean    read_checked; /* ... in which the cache was found current */
  gboolean    foreign_keys_off; /* a bulk load's transaction runs without them */
  struct GraphCache *cache;  /* entities and relations in memory; NULL until asked */
};

G_DEFINE_TYPE (SvyazStore, svyaz_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (svyaz-store-error-quark, svyaz_store_error)

/* Before SQLite's first use in the process: no memory statistics, which
 * took a mutex around every allocation. SQLite refuses (harmlessly) if
 * someone else in the process started it first. */
static void
configure_sqlite (void)
{
  static gsize configured = 0;

  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }
}

/* Forward migrations: migrations[i] takes a store from user_version i to
 * i + 1. Never edit a released entry; append a new one. */
static const char * const migrations[] = {
  /* 0 -> 1: the first schema */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE documents ("
  "  id       INTEGER PRIMARY KEY,"
  "  title    TEXT NOT NULL,"
  "  source   TEXT,"
  "  lang     TEXT NOT NULL DEFAULT 'und',"
  "  body     TEXT NOT NULL,"
  "  hash     TEXT NOT NULL UNIQUE,"
  "  added_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE entities ("
  "  id          INTEGER PRIMARY KEY,"
  "  name        TEXT NOT NULL,"
  "  key         TEXT NOT NULL,"
  "  type        TEXT NOT NULL,"
  "  description TEXT,"
  "  UNIQUE (key, type)"
  ");"
  "CREATE INDEX entities_type ON entities (type);"
  "CREATE TABLE aliases ("
  "  id        INTEGER PRIMARY KEY,"
  "  entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,"
  "  surface   TEXT NOT NULL,"
  "  key       TEXT NOT NULL,"
  "  UNIQUE (entity_id, surface)"
  ");"
  "CREATE INDEX aliases_key ON aliases (key);"
  "CREATE TABLE mentions ("
  "  id          INTEGER PRIMARY KEY,"
  "  entity_id   INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  start       INTEGER NOT NULL,"
  "  end         INTEGER NOT NULL,"
  "  CHECK (0 <= start AND start <= end),"
  "  UNIQUE (document_id, start, end, entity_id)"
  ");"
  "CREATE INDEX mentions_entity ON mentions (entity_id);"
  "CREATE TABLE relations ("
  "  id             INTEGER PRIMARY KEY,"
  "  subject_id     INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,"
  "  predicate      TEXT NOT NULL,"
  "  object_id      INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,"
  "  document_id    INTEGER REFERENCES documents (id) ON DELETE CASCADE,"
  "  evidence_start INTEGER,"
  "  evidence_end   INTEGER,"
  "  confidence     REAL NOT NULL DEFAULT 1.0 CHECK (confidence BETWEEN 0.0 AND 1.0),"
  "  rule           TEXT NOT NULL DEFAULT '',"
  "  cooccurrence   INTEGER NOT NULL DEFAULT 0 CHECK (cooccurrence IN (0, 1))"
  ");"
  /* Leads with subject_id: serves "relations of X" in the outgoing direction. */
  "CREATE UNIQUE INDEX relations_unique ON relations"
  "  (subject_id, predicate, object_id, ifnull (document_id, 0), ifnull (evidence_start, -1));"
  "CREATE INDEX relations_object ON relations (object_id, predicate);"
  "CREATE INDEX relations_document ON relations (document_id);"
  "CREATE VIRTUAL TABLE names_fts USING fts5 ("
  "  key, content='aliases', content_rowid='id',"
  "  tokenize='unicode61 remove_diacritics 2');"
  "CREATE TRIGGER aliases_fts_insert AFTER INSERT ON aliases BEGIN"
  "  INSERT INTO names_fts (rowid, key) VALUES (new.id, new.key);"
  "END;"
  "CREATE TRIGGER aliases_fts_delete AFTER DELETE ON aliases BEGIN"
  "  INSERT INTO names_fts (names_fts, rowid, key) VALUES ('delete', old.id, old.key);"
  "END;"
  "CREATE TRIGGER aliases_fts_update AFTER UPDATE ON aliases BEGIN"
  "  INSERT INTO names_fts (names_fts, rowid, key) VALUES ('delete', old.id, old.key);"
  "  INSERT INTO names_fts (rowid, key) VALUES (new.id, new.key);"
  "END;"
  "CREATE VIRTUAL TABLE documents_fts USING fts5 ("
  "  title, body, content='documents', content_rowid='id',"
  "  tokenize='unicode61 remove_diacritics 2');"
  "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN"
  "  INSERT INTO documents_fts (rowid, title, body) VALUES (new.id, new.title, new.body);"
  "END;"
  "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN"
  "  INSERT INTO documents_fts (documents_fts, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "END;"
  "CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN"
  "  INSERT INTO documents_fts (documents_fts, rowid, title, body)"
  "    VALUES ('delete', old.id, old.title, old.body);"
  "  INSERT INTO documents_fts (rowid, title, body) VALUES (new.id, new.title, new.body);"
  "END;",

  /* 1 -> 2: Latin spellings of names (svyaz_text_latin_key(), through the
   * connection's svyaz_latin() function), so "Nazarbayev" finds
   * Назарбаев; and the node positions a user set, per view. */
  "ALTER TABLE aliases ADD COLUMN latin TEXT NOT NULL DEFAULT '';"
  "UPDATE aliases SET latin = svyaz_latin (surface);"
  "CREATE VIRTUAL TABLE names_latin USING fts5 ("
  "  latin, content='aliases', content_rowid='id', tokenize='unicode61');"
  "INSERT INTO names_latin (names_latin) VALUES ('rebuild');"
  "CREATE TRIGGER aliases_latin_insert AFTER INSERT ON aliases BEGIN"
  "  INSERT INTO names_latin (rowid, latin) VALUES (new.id, new.latin);"
  "END;"
  "CREATE TRIGGER aliases_latin_delete AFTER DELETE ON aliases BEGIN"
  "  INSERT INTO names_latin (names_latin, rowid, latin) VALUES ('delete', old.id, old.latin);"
  "END;"
  "CREATE TRIGGER aliases_latin_update AFTER UPDATE ON aliases BEGIN"
  "  INSERT INTO names_latin (names_latin, rowid, latin) VALUES ('delete', old.id, old.latin);"
  "  INSERT INTO names_latin (rowid, latin) VALUES (new.id, new.latin);"
  "END;"
  "CREATE TABLE view_positions ("
  "  view_key  TEXT NOT NULL,"
  "  entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,"
  "  x         REAL NOT NULL,"
  "  y         REAL NOT NULL,"
  "  PRIMARY KEY (view_key, entity_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX view_positions_entity ON view_positions (entity_id);"
  /* Layouts of large graphs, by what they lay out (svyaz_layout_signature()). */
  "CREATE TABLE layouts ("
  "  signature  TEXT PRIMARY KEY,"
  "  engine     TEXT NOT NULL,"
  "  nodes      INTEGER NOT NULL,"
  "  used_at    INTEGER NOT NULL,"
  "  positions  BLOB NOT NULL"
  ") WITHOUT ROWID;",

  /* 2 -> 3: relations without a document (imported triples) stay out of
   * relations_document, which only finds a document's relations; a
   * 500,000-triple import built it for 0.18 s of NULLs. */
  "DROP INDEX relations_document;"
  "CREATE INDEX relations_document ON relations (document_id) WHERE document_id IS NOT NULL;",

  /* 3 -> 4: the name indexes keep no token count per name (columnsize=0):
   * they only answer MATCH with a set of aliases, never ranked, and the
   * counts cost a bulk load half of their indexing (100,000 names: 0.29
   * against 0.13 s for each index). They are rebuilt with aliases_key
   * away, so that FTS5 reads the aliases in rowid order. relations_object
   * keeps only the object: no query asks it for a predicate, and without
   * the predicate's text it is smaller and built faster (500,000
   * relations: 0.59 against 0.74 s). */
  "DROP INDEX relations_object;"
  "CREATE INDEX relations_object ON relations (object_id);"
  "DROP TABLE names_fts;"
  "CREATE VIRTUAL TABLE names_fts USING fts5 ("
  "  key, content='aliases', content_rowid='id',"
  "  tokenize='unicode61 remove_diacritics 2', columnsize=0);"
  "DROP TABLE names_latin;"
  "CREATE VIRTUAL TABLE names_latin USING fts5 ("
  "  latin, content='aliases', content_rowid='id', tokenize='unicode61', columnsize=0);"
  "DROP INDEX aliases_key;"
  "INSERT INTO names_fts (names_fts) VALUES ('rebuild');"
  "INSERT INTO names_latin (names_latin) VALUES ('rebuild');"
  "CREATE INDEX aliases_key ON aliases (key);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SVYAZ_STORE_SCHEMA_VERSION);

/* Section: object life cycle */

typedef struct GraphCache GraphCache;
static void graph_cache_free (GraphCache *cache);
typedef struct BulkLoad BulkLoad;
static void bulk_load_free (BulkLoad *bulk);
static gboolean bulk_ensure_entity (SvyazStore *self, char *clean, char *key, const char *type,
                                    const char *description, char *cache_key, gint64 *out_id,
                                    gboolean *out_created, GError **error);
static gboolean bulk_add_relation (BulkLoad *bulk, const SvyazRelationInput *input);

static void
svyaz_store_finalize (GObject *object)
{
  SvyazStore *self = SVYAZ_STORE (object);

  g_clear_pointer (&self->stmts, g_hash_table_unref);
  g_clear_pointer (&self->entity_ids, g_hash_table_unref);
  g_clear_pointer (&self->bulk, bulk_load_free);
  g_clear_pointer (&self->cache, graph_cache_free);
  if (self->db != NULL)
    {
      if (self->in_transaction)
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (svyaz_store_parent_class)->finalize (object);
}

static void
svyaz_store_class_init (SvyazStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = svyaz_store_finalize;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
svyaz_store_init (SvyazStore *self)
{
  self->stmts = g_hash_table_new_full (NULL, NULL, NULL, finalize_stmt);
  self->entity_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* How long a write waits for another program's lock before giving up:
 * $SVYAZ_BUSY_TIMEOUT in milliseconds, 5 s by default. */
static int
busy_timeout_ms (void)
{
  const char *env = g_getenv ("SVYAZ_BUSY_TIMEOUT");
  gint64 ms = env ? g_ascii_strtoll (env, NULL, 10) : 5000;

  return (int) CLAMP (ms, 0, 600000);
}

/* Section: errors and statements */

static gint
error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return SVYAZ_STORE_ERROR_NOT_DATABASE;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return SVYAZ_STORE_ERROR_READ_ONLY;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return SVYAZ_STORE_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
      return SVYAZ_STORE_ERROR_INVALID;
    default:
      return SVYAZ_STORE_ERROR_FAILED;
    }
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  const char  *path)
{
  const char *msg = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  gint code = error_code_for_sqlite (rc);

  if (code == SVYAZ_STORE_ERROR_BUSY)
    g_set_error (error, SVYAZ_STORE_ERROR, code,
                 "%s: the database is locked by another program (%s)", path, msg);
  else if (code == SVYAZ_STORE_ERROR_NOT_DATABASE)
    g_set_error (error, SVYAZ_STORE_ERROR, code,
                 "%s: not a usable database file (%s)", path, msg);
  else if ((rc & 0xff) == SQLITE_CANTOPEN)
    g_set_error (error, SVYAZ_STORE_ERROR, code,
                 "%s: cannot open the database (%s); its folder must be writable, "
                 "as SQLite keeps its journal beside it", path, msg);
  else
    g_set_error (error, SVYAZ_STORE_ERROR, code, "%s: %s", path, msg);
}

/* Returns a reset, unbound statement for the static string @sql. */
static sqlite3_stmt *
get_stmt (SvyazStore  *self,
          const char  *sql,
          GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }
  g_hash_table_insert (self->stmts, (gpointer) sql, stmt);
  return stmt;
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *path,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pragma_int (sqlite3     *db,
            const char  *sql,
            const char  *path,
            gint64      *out,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, db, rc, path);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* For text that outlives the statement's next step. */
static void
bind_static_text (sqlite3_stmt *stmt,
                  int           index,
                  const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

static char *
column_strdup (sqlite3_stmt *stmt,
               int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text ? g_strdup ((const char *) text) : NULL;
}

/* Steps a write statement to completion. */
static gboolean
step_done (SvyazStore    *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* After a loop over a statement's rows ended with @rc: resets it, and
 * says whether the rows all came (an error set otherwise). */
static gboolean
rows_done (SvyazStore    *self,
           sqlite3_stmt  *stmt,
           int            rc,
           GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }
  return TRUE;
}

/* Section: opening */

/* Reads the first bytes of @path without opening it through SQLite, so a
 * FIFO or a device is never opened and a foreign file is never locked. */
static gboolean
check_file (const char  *path,
            gboolean    *out_exists,
            gboolean    *out_empty,
            GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  GStatBuf st;
  char header[16];
  FILE *fp;
  size_t n;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        {
          *out_exists = FALSE;
          return TRUE;
        }
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_READ_ONLY,
                   "%s: %s", path, g_strerror (saved));
      return FALSE;
    }

  *out_exists = TRUE;
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NOT_FILE,
                   "%s: not a regular file (a directory, pipe or device cannot be a database)",
                   path);
      return FALSE;
    }

  *out_empty = st.st_size == 0;
  if (*out_empty)
    return TRUE;

  fp = g_fopen (path, "rb");
  if (fp == NULL)
    {
      int saved = errno;
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_READ_ONLY,
                   "%s: cannot read: %s", path, g_strerror (saved));
      return FALSE;
    }
  n = fread (header, 1, sizeof header, fp);
  fclose (fp);

  if (n != sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NOT_DATABASE,
                   "%s: not a Svyaz database (not an SQLite file)", path);
      return FALSE;
    }
  return TRUE;
}

/* Inspects an existing SQLite file read-only and says whether it needs
 * migrating. Refuses newer and foreign files. */
static gboolean
inspect_file (const char  *path,
              gint64      *out_version,
              GError     **error)
{
  sqlite3 *db = NULL;
  gint64 app_id = 0, version = 0, objects = 0;
  gboolean ok = FALSE;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, path);
      goto out;
    }
  sqlite3_busy_timeout (db, busy_timeout_ms ());

  if (!pragma_int (db, "PRAGMA application_id", path, &app_id, error) ||
      !pragma_int (db, "PRAGMA user_version", path, &version, error) ||
      !pragma_int (db, "SELECT count(*) FROM sqlite_schema", path, &objects, error))
    goto out;

  if (app_id != SVYAZ_STORE_APPLICATION_ID && (app_id != 0 || objects > 0))
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_FOREIGN,
                   "%s: not a Svyaz database (an SQLite file of another application)",
                   path);
      goto out;
    }
  if (version > SVYAZ_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_TOO_NEW,
                   "%s: written by a newer Svyaz (schema %" G_GINT64_FORMAT
                   ", this version reads up to %d); it was not changed",
                   path, version, SVYAZ_STORE_SCHEMA_VERSION);
      goto out;
    }

  *out_version = version;
  ok = TRUE;

out:
  sqlite3_close_v2 (db);
  return ok;
}

static gboolean
migrate (SvyazStore  *self,
         GError     **error)
{
  gint64 version = 0;
  g_autofree char *pragmas = NULL;

  if (!exec_sql (self->db, "BEGIN IMMEDIATE", self->path, error))
    return FALSE;

  /* Another process may have migrated since we looked. */
  if (!pragma_int (self->db, "PRAGMA user_version", self->path, &version, error))
    goto fail;
  if (version > SVYAZ_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_TOO_NEW,
                   "%s: written by a newer Svyaz", self->path);
      goto fail;
    }

  for (gint64 v = version; v < SVYAZ_STORE_SCHEMA_VERSION; v++)
    if (!exec_sql (self->db, migrations[v], self->path, error))
      goto fail;

  if (version == 0)
    {
      sqlite3_stmt *stmt = get_stmt (self,
                                     "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                                     error);
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              g_get_real_time () / G_USEC_PER_SEC);

      if (stmt == NULL)
        goto fail;
      bind_text (stmt, 1, "created_at");
      bind_text (stmt, 2, now);
      if (!step_done (self, stmt, error))
        goto fail;
      bind_text (stmt, 1, "created_by");
      bind_text (stmt, 2, "svyaz " SVYAZ_VERSION);
      if (!step_done (self, stmt, error))
        goto fail;
    }

  /* PRAGMA takes no parameters; both values are our own integers. */
  pragmas = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                             SVYAZ_STORE_APPLICATION_ID, SVYAZ_STORE_SCHEMA_VERSION);
  if (!exec_sql (self->db, pragmas, self->path, error))
    goto fail;

  return exec_sql (self->db, "COMMIT", self->path, error);

fail:
  /* Statements prepared against the old schema must not outlive it. */
  g_hash_table_remove_all (self->stmts);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* svyaz_latin(text): svyaz_text_latin_key() for the migration that fills
 * the aliases' Latin column. */
static void
sql_latin (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *latin;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  latin = svyaz_text_latin_key (text);
  sqlite3_result_text (context, latin, -1, g_free);
}

/* Opens the store's connection and sets what each connection needs. */
static gboolean
open_connection (SvyazStore  *self,
                 int          open_flags,
                 GError     **error)
{
  int rc = sqlite3_open_v2 (self->path, &self->db, open_flags, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }
  if (!self->read_only && sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_READ_ONLY,
                   "%s: the database is read-only (check the permissions of the file "
                   "and its folder)", self->path);
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, busy_timeout_ms ());
  sqlite3_create_function (self->db, "svyaz_latin", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                           NULL, sql_latin, NULL, NULL);
  return exec_sql (self->db, "PRAGMA foreign_keys = ON", self->path, error);
}

/**
 * svyaz_store_open:
 * @path: the database file
 * @flags: %SVYAZ_STORE_OPEN_CREATE to create a missing file
 *
 * Opens a Svyaz store, creating or migrating it as needed. A file that is
 * not a Svyaz store, or that a newer Svyaz wrote, is refused and left
 * byte-for-byte untouched.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
SvyazStore *
svyaz_store_open (const char           *path,
                  SvyazStoreOpenFlags   flags,
                  GError              **error)
{
  g_autoptr(SvyazStore) self = NULL;
  gboolean exists = FALSE, empty = TRUE;
  gboolean read_only = (flags & SVYAZ_STORE_OPEN_READ_ONLY) != 0;
  gint64 version = 0;
  int open_flags;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  configure_sqlite ();
  if (!check_file (path, &exists, &empty, error))
    return NULL;

  if (!exists)
    {
      g_autofree char *dir = NULL;

      if (!(flags & SVYAZ_STORE_OPEN_CREATE) || read_only)
        {
          g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NOT_FOUND,
                       "%s: no such database (create it with 'svyaz-cli --db %s init')",
                       path, path);
          return NULL;
        }
      dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_READ_ONLY,
                       "%s: cannot create folder %s: %s", path, dir, g_strerror (saved));
          return NULL;
        }
    }
  else if (!empty && !inspect_file (path, &version, error))
    {
      return NULL;
    }

  if (read_only && version < SVYAZ_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_READ_ONLY,
                   "%s: the database must be upgraded before it can be read, "
                   "and it was opened read-only", path);
      return NULL;
    }

  self = g_object_new (SVYAZ_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->read_only = read_only;

  open_flags = read_only ? SQLITE_OPEN_READONLY
                         : SQLITE_OPEN_READWRITE | (exists ? 0 : SQLITE_OPEN_CREATE);
  if (!open_connection (self, open_flags, error))
    return NULL;

  if (!read_only)
    {
      /* Migrate before switching to WAL: that switch rewrites the file's
       * header, and a file whose migration fails must be left as it was
       * (the rollback journal restores it exactly). Then on a connection
       * of its own: one that has dropped and rebuilt the name indexes
       * wrote names into them four to ten times slower (120 against 510
       * µs a new entity) until it was closed. */
      if (version < SVYAZ_STORE_SCHEMA_VERSION)
        {
          if (!migrate (self, error))
            return NULL;
          g_hash_table_remove_all (self->stmts);
          sqlite3_close_v2 (self->db);
          self->db = NULL;
          if (!open_connection (self, SQLITE_OPEN_READWRITE, error))
            return NULL;
        }
      if (!exec_sql (self->db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                     " PRAGMA cache_size = " G_STRINGIFY (CACHE_KIB) "; PRAGMA temp_store = MEMORY;",
                     path, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
svyaz_store_get_path (SvyazStore *self)
{
  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  return self->path;
}

gboolean
svyaz_store_is_read_only (SvyazStore *self)
{
  g_return_val_if_fail (SVYAZ_IS_STORE (self), TRUE);

  return self->read_only;
}

/* Back on after a bulk load's transaction. */
static gboolean
foreign_keys_on (SvyazStore  *self,
                 GError     **error)
{
  if (!self->foreign_keys_off)
    return TRUE;
  self->foreign_keys_off = FALSE;
  return exec_sql (self->db, "PRAGMA foreign_keys = ON", self->path, error);
}

/**
 * svyaz_store_is_empty:
 *
 * Returns: whether the store has no documents and no entities yet.
 */
gboolean
svyaz_store_is_empty (SvyazStore *self)
{
  gint64 n = 0;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);

  if (!pragma_int (self->db,
                   "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM entities)",
                   self->path, &n, NULL))
    return FALSE;
  return n == 0;
}

/* Section: transactions */

gboolean
svyaz_store_begin (SvyazStore  *self,
                   GError     **error)
{
  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);
  g_return_val_if_fail (self->reads == 0, FALSE);

  if (self->read_only)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_READ_ONLY,
                   "%s: opened read-only", self->path);
      return FALSE;
    }
  if (!exec_sql (self->db, "BEGIN IMMEDIATE", self->path, error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
svyaz_store_commit (SvyazStore  *self,
                    GError     **error)
{
  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (self->bulk == NULL, FALSE);  /* svyaz_store_bulk_end() first */

  if (!exec_sql (self->db, "COMMIT", self->path, error))
    {
      svyaz_store_rollback (self);
      return FALSE;
    }
  self->in_transaction = FALSE;
  g_hash_table_remove_all (self->entity_ids);
  return foreign_keys_on (self, error);
}

/**
 * svyaz_store_read_begin:
 *
 * Until the matching svyaz_store_read_end(), reads see one state of the
 * store, and the graph cache is checked against it once rather than on
 * every call: a depth-2 neighbourhood made fifty-odd calls, each asking
 * SQLite whether another connection had written. Calls nest. Inside a
 * write transaction, which sees one state already, they only count.
 * No write transaction may begin until the last svyaz_store_read_end().
 */
gboolean
svyaz_store_read_begin (SvyazStore  *self,
                        GError     **error)
{
  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);

  if (self->reads++ > 0 || self->in_transaction)
    return TRUE;
  if (!exec_sql (self->db, "BEGIN DEFERRED", self->path, error))
    {
      self->reads--;
      return FALSE;
    }
  self->read_began = TRUE;
  self->read_checked = FALSE;
  return TRUE;
}

void
svyaz_store_read_end (SvyazStore *self)
{
  g_return_if_fail (SVYAZ_IS_STORE (self));
  g_return_if_fail (self->reads > 0);

  if (--self->reads > 0)
    return;
  if (self->read_began)
    sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  self->read_began = FALSE;
  self->read_checked = FALSE;
}

void
svyaz_store_rollback (SvyazStore *self)
{
  g_return_if_fail (SVYAZ_IS_STORE (self));

  if (!self->in_transaction)
    return;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;
  g_hash_table_remove_all (self->entity_ids);
  /* The rollback restored whatever a bulk load had dropped, but not the
   * page cache's size nor the foreign keys, which are no part of the
   * database. */
  if (self->bulk != NULL)
    sqlite3_exec (self->db, "PRAGMA cache_size = " G_STRINGIFY (CACHE_KIB), NULL, NULL, NULL);
  g_clear_pointer (&self->bulk, bulk_load_free);
  foreign_keys_on (self, NULL);
}

/* Section: writes */

/**
 * svyaz_store_add_document:
 * @out_added: (out) (optional): %FALSE when a document with the same
 *   content was already stored; @out_id is then that document's id
 *
 * Adds a document's text; documents are identified by the SHA-256 of their
 * body, so adding the same text twice is harmless.
 */
gboolean
svyaz_store_add_document (SvyazStore   *self,
                          const char   *title,
                          const char   *source,
                          const char   *lang,
                          const char   *body,
                          gsize         body_len,
                          gint64       *out_id,
                          gboolean     *out_added,
                          GError      **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (title != NULL && body != NULL, FALSE);

  if (!svyaz_text_validate (body, body_len, source ? source : title, error))
    return FALSE;

  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) body, body_len);

  stmt = get_stmt (self, "SELECT id FROM documents WHERE hash = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (out_id)
        *out_id = sqlite3_column_int64 (stmt, 0);
      if (out_added)
        *out_added = FALSE;
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (!rows_done (self, stmt, rc, error))
    return FALSE;

  stmt = get_stmt (self,
                   "INSERT INTO documents (title, source, lang, body, hash, added_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, title);
  bind_text (stmt, 2, source);
  bind_text (stmt, 3, lang ? lang : "und");
  sqlite3_bind_text64 (stmt, 4, body, body_len, SQLITE_STATIC, SQLITE_UTF8);
  bind_text (stmt, 5, hash);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
  if (!step_done (self, stmt, error))
    return FALSE;

  if (out_id)
    *out_id = sqlite3_last_insert_rowid (self->db);
  if (out_added)
    *out_added = TRUE;
  return TRUE;
}

static gboolean
insert_alias (SvyazStore  *self,
              gint64       entity_id,
              const char  *surface,
              const char  *surface_key, /* nullable: svyaz_text_key (@surface) */
              GError     **error)
{
  g_autofree char *own_key = surface_key ? NULL : svyaz_text_key (surface, -1);
  const char *key = surface_key ? surface_key : own_key;
  g_autofree char *latin = svyaz_text_latin_key (surface);
  sqlite3_stmt *stmt;

  stmt = get_stmt (self,
                   "INSERT OR IGNORE INTO aliases (entity_id, surface, key, latin) VALUES (?1, ?2, ?3, ?4)",
                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entity_id);
  bind_text (stmt, 2, surface);
  bind_text (stmt, 3, key);
  bind_text (stmt, 4, latin);
  return step_done (self, stmt, error);
}

/**
 * svyaz_store_ensure_entity:
 * @description: (nullable): kept if the entity had none
 * @out_created: (out) (optional): whether the entity is new
 *
 * Finds the entity of this @type whose name has the same matching key as
 * @name, or creates it. The canonical name is also stored as an alias so
 * that name search covers it.
 */
gboolean
svyaz_store_ensure_entity (SvyazStore   *self,
                           const char   *name,
                           const char   *type,
                           const char   *description,
                           gint64       *out_id,
                           gboolean     *out_created,
                           GError      **error)
{
  gboolean created = FALSE;
  g_autofree char *clean = NULL;
  g_autofree char *key = NULL;
  g_autofree char *cache_key = NULL;
  gint64 *cached;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (name != NULL && type != NULL, FALSE);

  clean = svyaz_text_clean_name (name, -1);
  if (!svyaz_text_check_name (clean, "entity name", error) ||
      !svyaz_text_check_name (type, "entity type", error))
    {
      g_prefix_error (error, "%s: ", self->path);
      return FALSE;
    }
  key = svyaz_text_key (clean, -1);
  cache_key = g_strconcat (type, "\x1f", key, NULL);

  if (self->bulk != NULL)
    return bulk_ensure_entity (self, g_steal_pointer (&clean), g_steal_pointer (&key), type,
                               description, g_steal_pointer (&cache_key), out_id, out_created,
                               error);

  cached = g_hash_table_lookup (self->entity_ids, cache_key);
  if (cached != NULL && description == NULL)
    {
      *out_id = *cached;
      if (out_created)
        *out_created = FALSE;
      return TRUE;
    }

  stmt = get_stmt (self, "SELECT id FROM entities WHERE key = ?1 AND type = ?2", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, type);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (description != NULL)
        {
          g_clear_pointer (&self->cache, graph_cache_free);
          stmt = get_stmt (self,
                           "UPDATE entities SET description = ?2"
                           " WHERE id = ?1 AND description IS NULL", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          bind_text (stmt, 2, description);
          if (!step_done (self, stmt, error))
            return FALSE;
        }
    }
  else if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_clear_pointer (&self->cache, graph_cache_free);
      stmt = get_stmt (self,
                       "INSERT INTO entities (name, key, type, description)"
                       " VALUES (?1, ?2, ?3, ?4)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, clean);
      bind_text (stmt, 2, key);
      bind_text (stmt, 3, type);
      bind_text (stmt, 4, description);
      if (!step_done (self, stmt, error))
        return FALSE;
      id = sqlite3_last_insert_rowid (self->db);
      created = TRUE;
      if (!insert_alias (self, id, clean, key, error))
        return FALSE;
    }
  else
    {
      set_sqlite_error (error, self->db, rc, self->path);
      sqlite3_reset (stmt);
      return FALSE;
    }

  g_hash_table_insert (self->entity_ids, g_steal_pointer (&cache_key),
                       g_memdup2 (&id, sizeof id));
  *out_id = id;
  if (out_created)
    *out_created = created;
  return TRUE;
}

gboolean
svyaz_store_add_alias (SvyazStore   *self,
                       gint64        entity_id,
                       const char   *surface,
                       GError      **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (surface != NULL, FALSE);

  clean = svyaz_text_clean_name (surface, -1);
  if (!svyaz_text_check_name (clean, "alias", error))
    return FALSE;
  return insert_alias (self, entity_id, clean, NULL, error);
}

gboolean
svyaz_store_add_mention (SvyazStore   *self,
                         gint64        entity_id,
                         gint64        document_id,
                         gint64        start,
                         gint64        end,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (0 <= start && start <= end, FALSE);

  stmt = get_stmt (self,
                   "INSERT OR IGNORE INTO mentions (entity_id, document_id, start, end)"
                   " VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entity_id);
  sqlite3_bind_int64 (stmt, 2, document_id);
  sqlite3_bind_int64 (stmt, 3, start);
  sqlite3_bind_int64 (stmt, 4, end);
  return step_done (self, stmt, error);
}

/**
 * svyaz_store_add_relation:
 * @out_added: (out) (optional): %FALSE when the same relation from the same
 *   place was already stored
 */
gboolean
svyaz_store_add_relation (SvyazStore               *self,
                          const SvyazRelationInput *input,
                          gboolean                 *out_added,
                          GError                  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);
  g_return_val_if_fail (input != NULL && input->predicate != NULL, FALSE);

  if (!svyaz_text_check_name (input->predicate, "predicate", error))
    return FALSE;
  /* The relations change: the cache of them goes, rebuilt when asked. */
  g_clear_pointer (&self->cache, graph_cache_free);
  if (!(input->confidence >= 0.0 && input->confidence <= 1.0))
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_INVALID,
                   "confidence %g is outside 0…1", input->confidence);
      return FALSE;
    }

  if (self->bulk != NULL)
    {
      gboolean added = bulk_add_relation (self->bulk, input);

      if (out_added)
        *out_added = added;
      return TRUE;
    }

  stmt = get_stmt (self,
                   "INSERT OR IGNORE INTO relations (subject_id, predicate, object_id,"
                   " document_id, evidence_start, evidence_end, confidence, rule, cooccurrence)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, input->subject_id);
  bind_text (stmt, 2, input->predicate);
  sqlite3_bind_int64 (stmt, 3, input->object_id);
  if (input->document_id > 0)
    sqlite3_bind_int64 (stmt, 4, input->document_id);
  if (input->evidence_start >= 0 && input->evidence_end >= input->evidence_start)
    {
      sqlite3_bind_int64 (stmt, 5, input->evidence_start);
      sqlite3_bind_int64 (stmt, 6, input->evidence_end);
    }
  sqlite3_bind_double (stmt, 7, input->confidence);
  bind_text (stmt, 8, input->rule ? input->rule : "");
  sqlite3_bind_int (stmt, 9, input->cooccurrence ? 1 : 0);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (out_added)
    *out_added = sqlite3_changes (self->db) > 0;
  return TRUE;
}

/* Section: reads */

void
svyaz_entity_free (SvyazEntity *entity)
{
  if (entity == NULL)
    return;
  g_free (entity->name);
  g_free (entity->type);
  g_free (entity->description);
  g_free (entity);
}

void
svyaz_relation_free (SvyazRelation *relation)
{
  if (relation == NULL)
    return;
  g_free (relation->subject);
  g_free (relation->subject_type);
  g_free (relation->predicate);
  g_free (relation->object);
  g_free (relation->object_type);
  g_free (relation->document_title);
  g_free (relation->evidence);
  g_free (relation->rule);
  g_free (relation);
}

void
svyaz_document_free (SvyazDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->title);
  g_free (document->source);
  g_free (document->lang);
  g_free (document->hash);
  g_free (document);
}

void
svyaz_mention_free (SvyazMention *mention)
{
  if (mention == NULL)
    return;
  g_free (mention->type);
  g_free (mention);
}

void
svyaz_count_free (SvyazCount *count)
{
  if (count == NULL)
    return;
  g_free (count->name);
  g_free (count);
}

void
svyaz_stats_free (SvyazStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->types, g_ptr_array_unref);
  g_clear_pointer (&stats->predicates, g_ptr_array_unref);
  g_free (stats);
}

static gboolean
count_query (SvyazStore  *self,
             const char  *sql,
             gint64      *out,
             GError     **error)
{
  sqlite3_stmt *stmt = get_stmt (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static GPtrArray *
grouped_counts (SvyazStore  *self,
                const char  *sql,
                GError     **error)
{
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_count_free);
  sqlite3_stmt *stmt = get_stmt (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SvyazCount *count = g_new0 (SvyazCount, 1);
      count->name = column_strdup (stmt, 0);
      count->count = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (counts, count);
    }
  if (!rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&counts);
}

SvyazStats *
svyaz_store_get_stats (SvyazStore  *self,
                       GError     **error)
{
  g_autoptr(SvyazStats) stats = g_new0 (SvyazStats, 1);

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  if (!count_query (self, "SELECT count(*) FROM documents", &stats->documents, error) ||
      !count_query (self, "SELECT count(*) FROM entities", &stats->entities, error) ||
      !count_query (self, "SELECT count(*) FROM aliases", &stats->aliases, error) ||
      !count_query (self, "SELECT count(*) FROM mentions", &stats->mentions, error) ||
      !count_query (self, "SELECT count(*) FROM relations WHERE cooccurrence = 0",
                    &stats->relations, error) ||
      !count_query (self, "SELECT count(*) FROM relations WHERE cooccurrence = 1",
                    &stats->cooccurrences, error))
    return NULL;

  stats->types = grouped_counts (self,
                                 "SELECT type, count(*) AS n FROM entities"
                                 " GROUP BY type ORDER BY n DESC, type", error);
  if (stats->types == NULL)
    return NULL;
  stats->predicates = grouped_counts (self,
                                      "SELECT predicate, count(*) AS n FROM relations"
                                      " WHERE cooccurrence = 0"
                                      " GROUP BY predicate ORDER BY n DESC, predicate", error);
  if (stats->predicates == NULL)
    return NULL;

  return g_steal_pointer (&stats);
}

/**
 * svyaz_store_fts_query:
 * @user_text: anything a user typed
 *
 * Turns free text into an FTS5 query that cannot fail to parse and cannot
 * use FTS5 operators: every word becomes a quoted phrase (quotes doubled),
 * all must match, and the last one matches as a prefix so that typing
 * "Назарб" finds "Назарбаев".
 *
 * Returns: (transfer full) (nullable): the query, or %NULL if @user_text
 *   has no word characters
 */
char *
svyaz_store_fts_query (const char *user_text)
{
  g_autoptr(GPtrArray) words = NULL;

  g_return_val_if_fail (user_text != NULL, NULL);

  words = svyaz_text_words (user_text);
  if (words->len == 0)
    return NULL;
  return svyaz_store_fts_words (words, SVYAZ_FTS_PREFIX_LAST);
}

/**
 * svyaz_store_fts_words:
 * @words: (element-type utf8): words of letters, digits and marks only
 *   (svyaz_text_words())
 *
 * Returns: (transfer full): an FTS5 query needing every word, each a
 *   quoted string, as a prefix where @prefix says
 */
char *
svyaz_store_fts_words (GPtrArray          *words,
                       SvyazFtsPrefix      prefix)
{
  GString *query = g_string_new (NULL);

  g_return_val_if_fail (words != NULL, NULL);

  for (guint i = 0; i < words->len; i++)
    {
      const char *w = g_ptr_array_index (words, i);
      gboolean star = prefix == SVYAZ_FTS_PREFIX_ALL || (prefix == SVYAZ_FTS_PREFIX_LAST && i + 1 == words->len);

      /* A quote would end the string early: svyaz_text_words() has none. */
      g_assert (strchr (w, '"') == NULL);
      g_string_append_printf (query, "%s\"%s\"%s", i ? " " : "", w, star ? "*" : "");
    }
  return g_string_free (query, FALSE);
}

static SvyazEntity *
entity_from_row (sqlite3_stmt *stmt)
{
  SvyazEntity *entity = g_new0 (SvyazEntity, 1);

  entity->id = sqlite3_column_int64 (stmt, 0);
  entity->name = column_strdup (stmt, 1);
  entity->type = column_strdup (stmt, 2);
  entity->description = column_strdup (stmt, 3);
  entity->degree = (guint) sqlite3_column_int64 (stmt, 4);
  return entity;
}

#define ENTITY_COLUMNS \
  "e.id, e.name, e.type, e.description," \
  " (SELECT count(*) FROM relations r WHERE r.subject_id = e.id)" \
  " + (SELECT count(*) FROM relations r WHERE r.object_id = e.id)"

static GPtrArray *
collect_entities (SvyazStore    *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_entity_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entities, entity_from_row (stmt));
  if (!rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&entities);
}

/**
 * svyaz_store_list_entities:
 * @type: (nullable): only entities of this type
 * @search: (nullable): free text matched against names and aliases
 * @limit: at most this many, 0 for all
 *
 * Returns: (transfer container) (element-type SvyazEntity): entities by
 *   falling degree, then name
 */
GPtrArray *
svyaz_store_list_entities (SvyazStore  *self,
                           const char  *type,
                           const char  *search,
                           guint        limit,
                           GError     **error)
{
  g_autofree char *fts = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  if (search != NULL)
    {
      fts = svyaz_store_fts_query (search);
      if (fts == NULL)
        return g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_entity_free);
    }

  stmt = get_stmt (self,
                   "SELECT " ENTITY_COLUMNS " AS degree FROM entities e"
                   " WHERE (?1 IS NULL OR e.type = ?1)"
                   "   AND (?2 IS NULL OR e.id IN (SELECT a.entity_id FROM aliases a"
                   "        WHERE a.id IN (SELECT rowid FROM names_fts WHERE names_fts MATCH ?2)))"
                   " ORDER BY degree DESC, e.name COLLATE NOCASE, e.id"
                   " LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, type);
  bind_text (stmt, 2, fts);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);
  return collect_entities (self, stmt, error);
}

/**
 * svyaz_store_match_names:
 * @index: which spelling of the names @fts_query is matched against
 * @fts_query: an FTS5 query the caller built from quoted words only
 *   (svyaz_store_fts_query() or svyaz-search), never raw user text
 * @limit: at most this many, 0 for all
 *
 * Returns: (transfer container) (element-type SvyazEntity): the entities
 *   with a name or alias matching @fts_query, by falling degree
 */
GPtrArray *
svyaz_store_match_names (SvyazStore      *self,
                         SvyazNameIndex   index,
                         const char      *fts_query,
                         guint            limit,
                         GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (fts_query != NULL, NULL);

  if (index == SVYAZ_NAME_INDEX_LATIN)
    stmt = get_stmt (self,
                     "SELECT " ENTITY_COLUMNS " AS degree FROM entities e"
                     " WHERE e.id IN (SELECT a.entity_id FROM aliases a"
                     "        WHERE a.id IN (SELECT rowid FROM names_latin WHERE names_latin MATCH ?1))"
                     " ORDER BY degree DESC, e.name COLLATE NOCASE, e.id LIMIT ?2", error);
  else
    stmt = get_stmt (self,
                     "SELECT " ENTITY_COLUMNS " AS degree FROM entities e"
                     " WHERE e.id IN (SELECT a.entity_id FROM aliases a"
                     "        WHERE a.id IN (SELECT rowid FROM names_fts WHERE names_fts MATCH ?1))"
                     " ORDER BY degree DESC, e.name COLLATE NOCASE, e.id LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, fts_query);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  return collect_entities (self, stmt, error);
}

SvyazEntity *
svyaz_store_get_entity (SvyazStore  *self,
                        gint64       id,
                        GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  stmt = get_stmt (self, "SELECT " ENTITY_COLUMNS " FROM entities e WHERE e.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  found = collect_entities (self, stmt, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NO_ENTITY,
                   "no entity with id %" G_GINT64_FORMAT, id);
      return NULL;
    }
  return g_ptr_array_steal_index (found, 0);
}

/**
 * svyaz_store_find_entity:
 * @name: a canonical name or alias in any case, or "#ID"; failing an
 *   exact match, the words of @name are searched for in names and aliases
 *
 * Returns: (transfer full): the one entity known by @name; an error says
 *   whether none or several match (naming them with their types)
 */
SvyazEntity *
svyaz_store_find_entity (SvyazStore  *self,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (name[0] == '#' && name[1] != '\0')
    {
      guint64 id;

      if (g_ascii_string_to_unsigned (name + 1, 10, 1, G_MAXINT64, &id, NULL))
        return svyaz_store_get_entity (self, (gint64) id, error);
    }

  key = svyaz_text_key (name, -1);
  stmt = get_stmt (self,
                   "SELECT " ENTITY_COLUMNS " AS degree FROM entities e"
                   " WHERE e.key = ?1"
                   "    OR e.id IN (SELECT entity_id FROM aliases WHERE key = ?1)"
                   " ORDER BY e.key = ?1 DESC, degree DESC, e.id", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  found = collect_entities (self, stmt, error);
  if (found == NULL)
    return NULL;

  /* No name or alias is exactly that: a word search ("назарбаевым"
   * within the alias "Нурсултаном Назарбаевым") may still say who. */
  if (found->len == 0)
    {
      g_clear_pointer (&found, g_ptr_array_unref);
      found = svyaz_store_list_entities (self, NULL, name, 6, error);
      if (found == NULL)
        return NULL;
    }

  if (found->len == 0)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NO_ENTITY,
                   "no entity is called \"%s\" (try 'svyaz-cli entities --search')", name);
      return NULL;
    }
  if (found->len > 1)
    {
      GString *names = g_string_new (NULL);

      for (guint i = 0; i < found->len; i++)
        {
          SvyazEntity *e = g_ptr_array_index (found, i);
          g_string_append_printf (names, "%s#%" G_GINT64_FORMAT " %s (%s)",
                                  i ? ", " : "", e->id, e->name, e->type);
        }
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_AMBIGUOUS,
                   "\"%s\" names %u entities: %s; pick one by #id",
                   name, found->len, names->str);
      g_string_free (names, TRUE);
      return NULL;
    }
  return g_ptr_array_steal_index (found, 0);
}

/**
 * svyaz_store_get_aliases:
 *
 * Returns: (transfer full): the surface forms of an entity other than its
 *   canonical name, sorted
 */
GStrv
svyaz_store_get_aliases (SvyazStore  *self,
                         gint64       entity_id,
                         GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  stmt = get_stmt (self,
                   "SELECT a.surface FROM aliases a JOIN entities e ON e.id = a.entity_id"
                   " WHERE a.entity_id = ?1 AND a.surface != e.name"
                   " ORDER BY a.surface", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, entity_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (!rows_done (self, stmt, rc, error))
    return NULL;
  return g_strv_builder_end (builder);
}

/**
 * svyaz_store_list_relations:
 *
 * Returns: (transfer container) (element-type SvyazRelation): relations
 *   with their evidence sentences, strongest first
 */
GPtrArray *
svyaz_store_list_relations (SvyazStore               *self,
                            const SvyazRelationQuery *query,
                            GError                  **error)
{
  g_autoptr(GPtrArray) relations = NULL;
  gint64 entity_id = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  entity_id = query->entity_id;
  if (query->entity != NULL)
    {
      g_autoptr(SvyazEntity) entity = svyaz_store_find_entity (self, query->entity, error);

      if (entity == NULL)
        return NULL;
      entity_id = entity->id;
    }

  /* The UNION lets each half use its own index (subject or object). */
  stmt = get_stmt (self,
                   "SELECT r.id, r.subject_id, s.name, s.type, r.predicate,"
                   "       r.object_id, o.name, o.type, ifnull (r.document_id, 0), d.title,"
                   "       ifnull (r.evidence_start, -1), ifnull (r.evidence_end, -1),"
                   "       CASE WHEN r.evidence_start IS NOT NULL AND d.id IS NOT NULL"
                   "         THEN CAST (substr (CAST (d.body AS BLOB), r.evidence_start + 1,"
                   "                            r.evidence_end - r.evidence_start) AS TEXT)"
                   "       END,"
                   "       r.confidence, r.rule, r.cooccurrence"
                   " FROM relations r"
                   " JOIN entities s ON s.id = r.subject_id"
                   " JOIN entities o ON o.id = r.object_id"
                   " LEFT JOIN documents d ON d.id = r.document_id"
                   " WHERE r.id IN ("
                   "   SELECT id FROM relations WHERE ?1 = 0"
                   "   UNION SELECT id FROM relations WHERE subject_id = ?1"
                   "   UNION SELECT id FROM relations WHERE object_id = ?1)"
                   "   AND (?2 IS NULL OR r.predicate = ?2)"
                   "   AND (?3 OR r.cooccurrence = 0)"
                   "   AND (?5 = 0 OR r.subject_id = ?5 OR r.object_id = ?5)"
                   " ORDER BY r.cooccurrence, r.predicate, r.confidence DESC, s.name, o.name, r.id"
                   " LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, entity_id);
  bind_text (stmt, 2, query->predicate);
  sqlite3_bind_int (stmt, 3, query->include_cooccurrence ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, query->limit > 0 ? (gint64) query->limit : -1);
  sqlite3_bind_int64 (stmt, 5, query->other_id);

  relations = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_relation_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SvyazRelation *r = g_new0 (SvyazRelation, 1);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->subject_id = sqlite3_column_int64 (stmt, 1);
      r->subject = column_strdup (stmt, 2);
      r->subject_type = column_strdup (stmt, 3);
      r->predicate = column_strdup (stmt, 4);
      r->object_id = sqlite3_column_int64 (stmt, 5);
      r->object = column_strdup (stmt, 6);
      r->object_type = column_strdup (stmt, 7);
      r->document_id = sqlite3_column_int64 (stmt, 8);
      r->document_title = column_strdup (stmt, 9);
      r->evidence_start = sqlite3_column_int64 (stmt, 10);
      r->evidence_end = sqlite3_column_int64 (stmt, 11);
      r->evidence = column_strdup (stmt, 12);
      r->confidence = sqlite3_column_double (stmt, 13);
      r->rule = column_strdup (stmt, 14);
      r->cooccurrence = sqlite3_column_int (stmt, 15) != 0;
      g_ptr_array_add (relations, r);
    }
  if (!rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&relations);
}

static GPtrArray *
collect_documents (SvyazStore    *self,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_document_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SvyazDocument *d = g_new0 (SvyazDocument, 1);

      d->id = sqlite3_column_int64 (stmt, 0);
      d->title = column_strdup (stmt, 1);
      d->source = column_strdup (stmt, 2);
      d->lang = column_strdup (stmt, 3);
      d->hash = column_strdup (stmt, 4);
      d->added_at = sqlite3_column_int64 (stmt, 5);
      d->length = (gsize) sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (documents, d);
    }
  if (!rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&documents);
}

GPtrArray *
svyaz_store_list_documents (SvyazStore  *self,
                            GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  stmt = get_stmt (self,
                   "SELECT id, title, source, lang, hash, added_at,"
                   " length (CAST (body AS BLOB)) FROM documents ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  return collect_documents (self, stmt, error);
}

/**
 * svyaz_store_search_documents:
 * @query: free text; see svyaz_store_fts_query()
 *
 * Returns: (transfer container) (element-type SvyazDocument): documents
 *   whose title or text has every word of @query, best match first
 */
GPtrArray *
svyaz_store_search_documents (SvyazStore  *self,
                              const char  *query,
                              guint        limit,
                              GError     **error)
{
  g_autofree char *fts = NULL;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  fts = svyaz_store_fts_query (query);
  if (fts == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_document_free);
  return svyaz_store_match_documents (self, fts, limit, error);
}

/**
 * svyaz_store_match_documents:
 * @fts_query: an FTS5 query built from quoted words only, as for
 *   svyaz_store_match_names()
 *
 * Returns: (transfer container) (element-type SvyazDocument): documents
 *   matching @fts_query, best match first
 */
GPtrArray *
svyaz_store_match_documents (SvyazStore  *self,
                             const char  *fts_query,
                             guint        limit,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (fts_query != NULL, NULL);

  stmt = get_stmt (self,
                   "SELECT d.id, d.title, d.source, d.lang, d.hash, d.added_at,"
                   " length (CAST (d.body AS BLOB))"
                   " FROM documents_fts f JOIN documents d ON d.id = f.rowid"
                   " WHERE documents_fts MATCH ?1 ORDER BY f.rank LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, fts_query);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  return collect_documents (self, stmt, error);
}

/**
 * svyaz_store_get_document:
 * @out_body: (out) (optional): the full text
 *
 * Returns: (transfer full): the document, or %NULL with
 *   %SVYAZ_STORE_ERROR_NOT_FOUND when there is none with @id
 */
SvyazDocument *
svyaz_store_get_document (SvyazStore  *self,
                          gint64       id,
                          char       **out_body,
                          GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  stmt = get_stmt (self,
                   "SELECT id, title, source, lang, hash, added_at,"
                   " length (CAST (body AS BLOB)) FROM documents WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  found = collect_documents (self, stmt, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_set_error (error, SVYAZ_STORE_ERROR, SVYAZ_STORE_ERROR_NOT_FOUND,
                   "%s: no document #%" G_GINT64_FORMAT, self->path, id);
      return NULL;
    }
  if (out_body != NULL)
    {
      int rc;

      stmt = get_stmt (self, "SELECT body FROM documents WHERE id = ?1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        {
          set_sqlite_error (error, self->db, rc, self->path);
          sqlite3_reset (stmt);
          return NULL;
        }
      *out_body = column_strdup (stmt, 0);
      sqlite3_reset (stmt);
    }
  return g_steal_pointer (&g_ptr_array_index (found, 0));
}

/**
 * svyaz_store_list_mentions:
 * @start: byte offset where the range begins
 * @end: byte offset where it ends, or -1 for the end of the document
 *
 * Returns: (transfer container) (element-type SvyazMention): the mentions
 *   lying inside [@start, @end) of document @document_id, in text order
 */
GPtrArray *
svyaz_store_list_mentions (SvyazStore  *self,
                           gint64       document_id,
                           gint64       start,
                           gint64       end,
                           GError     **error)
{
  g_autoptr(GPtrArray) mentions = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  stmt = get_stmt (self,
                   "SELECT m.entity_id, e.type, m.start, m.end FROM mentions m"
                   " JOIN entities e ON e.id = m.entity_id"
                   " WHERE m.document_id = ?1 AND m.start >= ?2 AND (?3 < 0 OR m.end <= ?3)"
                   " ORDER BY m.start, m.end DESC, m.entity_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, end);

  mentions = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_mention_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SvyazMention *m = g_new0 (SvyazMention, 1);

      m->entity_id = sqlite3_column_int64 (stmt, 0);
      m->type = column_strdup (stmt, 1);
      m->start = sqlite3_column_int64 (stmt, 2);
      m->end = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (mentions, m);
    }
  if (!rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&mentions);
}

/* Section: checking */

static gboolean
collect_rows (SvyazStore  *self,
              const char  *sql,
              const char  *what,
              GPtrArray   *problems,
              GError     **error)
{
  sqlite3_stmt *stmt = get_stmt (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (text, "ok") != 0)
        g_ptr_array_add (problems, g_strdup_printf ("%s: %s", what, text ? text : "?"));
      if (problems->len >= 1000)
        break;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      /* A corrupt page makes the check itself fail: that is a finding. */
      if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        {
          g_ptr_array_add (problems, g_strdup_printf ("%s: %s", what, sqlite3_errmsg (self->db)));
          return TRUE;
        }
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }
  return TRUE;
}

/**
 * svyaz_store_check:
 *
 * Checks the file (PRAGMA integrity_check), the references between
 * tables (PRAGMA foreign_key_check: relations, mentions and aliases whose
 * entity or document is gone), the offsets of mentions and evidence
 * against their document, and the three full-text indexes against their
 * tables. Nothing is changed.
 *
 * Returns: (transfer container) (element-type utf8): one line per problem
 *   found, empty when the store is sound; %NULL if the checks could not run
 */
GPtrArray *
svyaz_store_check (SvyazStore  *self,
                   GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  static const struct { const char *what; const char *sql; } checks[] = {
    { "integrity", "PRAGMA integrity_check" },
    { "dangling reference",
      "SELECT \"table\" || ' row ' || rowid || ' refers to a missing row of ' || parent"
      " FROM pragma_foreign_key_check" },
    { "orphan alias",
      "SELECT 'alias ' || a.id || ' («' || a.surface || '») of missing entity ' || a.entity_id"
      " FROM aliases a WHERE a.entity_id NOT IN (SELECT id FROM entities)" },
    { "mention offsets",
      "SELECT 'mention ' || m.id || ' at ' || m.start || '–' || m.end || ' lies outside document '"
      " || d.id FROM mentions m JOIN documents d ON d.id = m.document_id"
      " WHERE m.end > length (CAST (d.body AS BLOB))" },
    { "evidence offsets",
      "SELECT 'relation ' || r.id || ' has evidence ' || r.evidence_start || '–' || r.evidence_end"
      " || ' outside document ' || d.id FROM relations r JOIN documents d ON d.id = r.document_id"
      " WHERE r.evidence_start IS NOT NULL AND (r.evidence_start > r.evidence_end"
      "   OR r.evidence_end > length (CAST (d.body AS BLOB)))" },
    { "entity without a name",
      "SELECT 'entity ' || id || ' has an empty name or type' FROM entities"
      " WHERE name = '' OR type = ''" },
  };
  /* FTS5's own check compares an index with its content table; it is
   * spelled as an INSERT but writes nothing. */
  static const struct { const char *what; const char *sql; } indexes[] = {
    { "name index", "INSERT INTO names_fts (names_fts, rank) VALUES ('integrity-check', 1)" },
    { "Latin name index", "INSERT INTO names_latin (names_latin, rank) VALUES ('integrity-check', 1)" },
    { "text index", "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)" },
  };

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      guint before = problems->len;

      if (!collect_rows (self, checks[i].sql, checks[i].what, problems, error))
        return NULL;
      /* Past a damaged file the other checks only repeat it. */
      if (i == 0 && problems->len > before)
        return g_steal_pointer (&problems);
    }
  for (guint i = 0; i < G_N_ELEMENTS (indexes) && !self->read_only; i++)
    {
      int rc = sqlite3_exec (self->db, indexes[i].sql, NULL, NULL, NULL);

      if ((rc & 0xff) == SQLITE_CORRUPT)
        g_ptr_array_add (problems, g_strdup_printf ("%s: does not match its table (%s)",
                                                    indexes[i].what, sqlite3_errmsg (self->db)));
      else if (rc != SQLITE_OK)
        {
          set_sqlite_error (error, self->db, rc, self->path);
          return NULL;
        }
    }
  return g_steal_pointer (&problems);
}

/* Section: the graph's view of the store */

#define LINK_COLUMNS \
  "id, subject_id, object_id, predicate, confidence, cooccurrence, ifnull (document_id, 0)"

/* Reads rows of LINK_COLUMNS from @stmt, which it resets. */
static GArray *
collect_links (SvyazStore    *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (SvyazLink));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SvyazLink link;

      link.id = sqlite3_column_int64 (stmt, 0);
      link.subject_id = sqlite3_column_int64 (stmt, 1);
      link.object_id = sqlite3_column_int64 (stmt, 2);
      link.predicate = g_intern_string ((const char *) sqlite3_column_text (stmt, 3));
      link.confidence = sqlite3_column_double (stmt, 4);
      link.cooccurrence = sqlite3_column_int (stmt, 5) != 0;
      link.document_id = sqlite3_column_int64 (stmt, 6);
      g_array_append_val (links, link);
    }
  if (!rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&links);
}

/* Section: the graph cache
 *
 * Every entity's name and type, every relation as the graph needs it, and
 * for each entity the relations touching it, in memory: a neighbourhood
 * is grown and named without a query per ring (a depth-2 hub
 * neighbourhood in a 500,000-relation store spent over 100 ms in SQLite's
 * table lookups). Built by one scan of each table on first use; dropped
 * when this connection writes an entity or a relation, and rebuilt when
 * another connection has committed since (PRAGMA data_version). */

/* One relation as seen from one of its ends. Scans of an entity's
 * relations read these, in a row, and touch the relation itself only
 * when it is taken: on a hub, following every index into the relations
 * was one cache miss each. */
typedef struct {
  guint32 other;       /* the slot of the entity at the other end, NO_SLOT if none */
  guint32 link;        /* index into links */
  guint8  outgoing;    /* this end is the subject */
  guint8  cooccurrence;
} LinkEnd;

#define NO_SLOT G_MAXUINT32

struct GraphCache {
  gint64   data_version;
  /* Entities, by ascending id; the strings live in the chunk */
  GArray  *entity_ids;
  GPtrArray *entity_names, *entity_types, *entity_descriptions;
  GStringChunk *strings;
  GArray  *links;      /* SvyazLink, in rowid order */
  gint64  *ids;        /* entity_ids' data: the slots of the adjacency */
  guint    n_ids;
  int     *slot_of;    /* by id, when ids are dense enough (rowids mostly are); else NULL */
  gint64   max_id;
  guint   *starts;     /* n_ids + 1 offsets into items */
  guint   *incoming;   /* per slot, where its incoming ends follow its outgoing ones */
  LinkEnd *items;
  /* Sets of slots for one call: marks[slot] == a mark the call took
   * means in the set; where[slot] is what the call keeps for it. A
   * 2,000-node neighbourhood looked its members up in a hash table for
   * every end of every relation of each. */
  guint   *marks;
  guint   *where;
  guint    mark;
  /* Membership in links_among()'s set, a bit per slot and all clear
   * between calls: at 100,000 entities it fits the first-level cache,
   * where marks, read at every end, did not (a 1,765-node set: 47,000
   * ends read for 9,900 relations). */
  guint64 *members;
};

static void
graph_cache_free (GraphCache *cache)
{
  if (cache == NULL)
    return;
  g_clear_pointer (&cache->entity_ids, g_array_unref);
  g_clear_pointer (&cache->entity_names, g_ptr_array_unref);
  g_clear_pointer (&cache->entity_types, g_ptr_array_unref);
  g_clear_pointer (&cache->entity_descriptions, g_ptr_array_unref);
  g_clear_pointer (&cache->strings, g_string_chunk_free);
  g_array_unref (cache->links);
  g_free (cache->slot_of);
  g_free (cache->starts);
  g_free (cache->incoming);
  g_free (cache->items);
  g_free (cache->marks);
  g_free (cache->members);
  g_free (cache->where);
  g_free (cache);
}

/* The slot of @id in @cache's adjacency, or -1 when it is no entity. */
static int
graph_cache_slot (const GraphCache *cache,
                 gint64           id)
{
  guint lo = 0, hi = cache->n_ids;

  if (cache->slot_of != NULL)
    return id >= 0 && id <= cache->max_id ? cache->slot_of[id] : -1;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (cache->ids[mid] < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < cache->n_ids && cache->ids[lo] == id ? (int) lo : -1;
}

static gboolean
data_version (SvyazStore  *self,
              gint64      *out_version,
              GError     **error)
{
  sqlite3_stmt *stmt = get_stmt (self, "PRAGMA data_version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cache_entities (SvyazStore  *self,
                GraphCache  *cache,
                GError     **error)
{
  sqlite3_stmt *stmt = get_stmt (self, "SELECT id, name, type, description FROM entities ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  cache->entity_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  cache->entity_names = g_ptr_array_new ();
  cache->entity_types = g_ptr_array_new ();
  cache->entity_descriptions = g_ptr_array_new ();
  cache->strings = g_string_chunk_new (1 << 20);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *description = (const char *) sqlite3_column_text (stmt, 3);

      g_array_append_val (cache->entity_ids, id);
      g_ptr_array_add (cache->entity_names,
                       g_string_chunk_insert (cache->strings, (const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (cache->entity_types,
                       g_string_chunk_insert_const (cache->strings, (const char *) sqlite3_column_text (stmt, 2)));
      g_ptr_array_add (cache->entity_descriptions,
                       description ? g_string_chunk_insert (cache->strings, description) : NULL);
    }
  if (!rows_done (self, stmt, rc, error))
    return FALSE;
  return TRUE;
}

/* The entity at @index of the cache, as svyaz_store_list_nodes() gives it. */
static SvyazEntity *
cached_entity (const GraphCache *cache,
               guint             index)
{
  SvyazEntity *entity = g_new0 (SvyazEntity, 1);

  entity->id = g_array_index (cache->entity_ids, gint64, index);
  entity->name = g_strdup (g_ptr_array_index (cache->entity_names, index));
  entity->type = g_strdup (g_ptr_array_index (cache->entity_types, index));
  entity->description = g_strdup (g_ptr_array_index (cache->entity_descriptions, index));
  return entity;
}

/* The cache, built or rebuilt as needed. */
static GraphCache *
graph_cache (SvyazStore  *self,
             GError     **error)
{
  GraphCache *cache;
  sqlite3_stmt *stmt;
  gint64 version;

  if (self->read_checked && self->cache != NULL)
    return self->cache;
  if (!data_version (self, &version, error))
    return NULL;
  /* Within svyaz_store_read_begin(), no other connection's write shows. */
  self->read_checked = self->reads > 0;
  if (self->cache != NULL && self->cache->data_version == version)
    return self->cache;
  g_clear_pointer (&self->cache, graph_cache_free);

  stmt = get_stmt (self, "SELECT " LINK_COLUMNS " FROM relations ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  cache = g_new0 (GraphCache, 1);
  cache->data_version = version;
  cache->links = collect_links (self, stmt, error);
  if (cache->links == NULL || !cache_entities (self, cache, error))
    {
      graph_cache_free (cache);
      return NULL;
    }
  self->cache = cache;
  return cache;
}

/* Each entity's relations, built the first time a neighbourhood asks:
 * loading the whole graph needs none of it. The slots are the entities'
 * places in the cache. */
static void
graph_cache_adjacency (GraphCache *cache)
{
  g_autofree guint *fill = NULL;
  g_autofree guint *fill_in = NULL;

  if (cache->starts != NULL)
    return;
  cache->n_ids = cache->entity_ids->len;
  cache->ids = (gint64 *) (void *) cache->entity_ids->data;
  cache->max_id = cache->n_ids > 0 ? cache->ids[cache->n_ids - 1] : 0;
  if (cache->n_ids > 0 && cache->ids[0] >= 0 && cache->max_id <= 4 * (gint64) cache->n_ids + 1024)
    {
      int *slot_of = g_new (int, cache->max_id + 1);

      for (gint64 id = 0; id <= cache->max_id; id++)
        slot_of[id] = -1;
      for (guint i = 0; i < cache->n_ids; i++)
        slot_of[cache->ids[i]] = (int) i;
      cache->slot_of = slot_of;
    }
  /* Each entity's outgoing ends, then its incoming ones: a scan for
   * relations within a set reads only the first (1,765 nodes around a
   * hub: half the ends). */
  cache->starts = g_new0 (guint, cache->n_ids + 1);
  cache->incoming = g_new0 (guint, MAX (cache->n_ids, 1));
  for (guint i = 0; i < cache->links->len; i++)
    {
      const SvyazLink *l = &g_array_index (cache->links, SvyazLink, i);
      int s = graph_cache_slot (cache, l->subject_id), o = graph_cache_slot (cache, l->object_id);

      if (s >= 0)
        {
          cache->starts[s + 1]++;
          cache->incoming[s]++;
        }
      if (o >= 0 && l->object_id != l->subject_id)
        cache->starts[o + 1]++;
    }
  for (guint i = 0; i < cache->n_ids; i++)
    {
      cache->starts[i + 1] += cache->starts[i];
      cache->incoming[i] += cache->starts[i];
    }
  cache->items = g_new (LinkEnd, MAX (cache->starts[cache->n_ids], 1));
  fill = g_memdup2 (cache->starts, sizeof (guint) * (cache->n_ids + 1));
  fill_in = g_memdup2 (cache->incoming, sizeof (guint) * MAX (cache->n_ids, 1));
  for (guint i = 0; i < cache->links->len; i++)
    {
      const SvyazLink *l = &g_array_index (cache->links, SvyazLink, i);
      int s = graph_cache_slot (cache, l->subject_id), o = graph_cache_slot (cache, l->object_id);

      if (s >= 0)
        cache->items[fill[s]++] = (LinkEnd) { o >= 0 ? (guint32) o : NO_SLOT, i, TRUE, l->cooccurrence != FALSE };
      if (o >= 0 && l->object_id != l->subject_id)
        cache->items[fill_in[o]++] = (LinkEnd) { s >= 0 ? (guint32) s : NO_SLOT, i, FALSE, l->cooccurrence != FALSE };
    }
  cache->marks = g_new0 (guint, MAX (cache->n_ids, 1));
  cache->where = g_new (guint, MAX (cache->n_ids, 1));
  cache->members = g_new0 (guint64, cache->n_ids / 64 + 1);
  cache->mark = 0;
}

/* A fresh mark for a set of slots. */
static guint
graph_cache_take_mark (GraphCache *cache)
{
  g_assert (cache->marks != NULL);
  if (cache->mark == G_MAXUINT)
    {
      memset (cache->marks, 0, sizeof (guint) * MAX (cache->n_ids, 1));
      cache->mark = 0;
    }
  return ++cache->mark;
}

/**
 * svyaz_store_list_nodes:
 *
 * Every entity as the graph needs it: id, name, type and description, in
 * id order, without the degree that svyaz_store_list_entities() counts.
 *
 * Returns: (transfer container) (element-type SvyazEntity)
 */
GPtrArray *
svyaz_store_list_nodes (SvyazStore  *self,
                        GError     **error)
{
  GraphCache *cache;
  GPtrArray *entities;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  cache = graph_cache (self, error);
  if (cache == NULL)
    return NULL;
  entities = g_ptr_array_new_full (cache->entity_ids->len, (GDestroyNotify) svyaz_entity_free);
  for (guint i = 0; i < cache->entity_ids->len; i++)
    g_ptr_array_add (entities, cached_entity (cache, i));
  return entities;
}

/**
 * svyaz_store_list_links:
 *
 * Every relation as the graph needs it, without joining names or cutting
 * evidence out of documents.
 *
 * Returns: (transfer full) (element-type SvyazLink)
 */
GArray *
svyaz_store_list_links (SvyazStore  *self,
                        gboolean     include_cooccurrence,
                        GError     **error)
{
  GraphCache *cache;
  GArray *links;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  cache = graph_cache (self, error);
  if (cache == NULL)
    return NULL;
  links = g_array_sized_new (FALSE, FALSE, sizeof (SvyazLink), cache->links->len);
  if (include_cooccurrence)
    return g_array_append_vals (links, cache->links->data, cache->links->len);
  for (guint i = 0; i < cache->links->len; i++)
    if (!g_array_index (cache->links, SvyazLink, i).cooccurrence)
      g_array_append_val (links, g_array_index (cache->links, SvyazLink, i));
  return links;
}

static inline guint64
bit (guint slot)
{
  return G_GUINT64_CONSTANT (1) << (slot % 64);
}

/* The relations touching @entity_ids (@within: only those with both ends
 * among them), each once, from the cache. */
static GArray *
links_among (SvyazStore  *self,
             GArray      *entity_ids,
             gboolean     include_cooccurrence,
             gboolean     within,
             GError     **error)
{
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (SvyazLink));
  g_autoptr(GArray) taken = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) slots = NULL;
  GraphCache *cache;
  gsize most = 0;
  guint n_taken = 0;

  cache = graph_cache (self, error);
  if (cache == NULL)
    return NULL;
  graph_cache_adjacency (cache);
  slots = g_array_sized_new (FALSE, FALSE, sizeof (guint), entity_ids->len);
  for (guint i = 0; i < entity_ids->len; i++)
    {
      int slot = graph_cache_slot (cache, g_array_index (entity_ids, gint64, i));

      /* Each entity once, however often @entity_ids names it. */
      if (slot >= 0 && !(cache->members[slot / 64] & bit (slot)))
        {
          cache->members[slot / 64] |= bit (slot);
          g_array_append_val (slots, slot);
        }
    }
  /* At most every end read, written in place. */
  for (guint i = 0; i < slots->len; i++)
    {
      guint slot = g_array_index (slots, guint, i);

      most += (within ? cache->incoming[slot] : cache->starts[slot + 1]) - cache->starts[slot];
    }
  g_array_set_size (taken, most);
  for (guint i = 0; i < slots->len; i++)
    {
      guint slot = g_array_index (slots, guint, i);

      for (guint k = cache->starts[slot], last = within ? cache->incoming[slot] : cache->starts[slot + 1];
           k < last; k++)
        {
          const LinkEnd *end = &cache->items[k];
          gboolean member;

          if (end->cooccurrence && !include_cooccurrence)
            continue;
          /* Once: from its subject's side, or (touching, not within) from
           * its object's when the subject is not in the set. */
          member = end->other != NO_SLOT && (cache->members[end->other / 64] & bit (end->other));
          if (within ? member : end->outgoing || !member)
            g_array_index (taken, guint32, n_taken++) = end->link;
        }
    }
  g_array_set_size (taken, n_taken);
  for (guint i = 0; i < slots->len; i++)
    cache->members[g_array_index (slots, guint, i) / 64] = 0;
  /* The relations are copied out once all are known, each asked for a
   * few turns ahead: they lie scattered through the cache, and waiting
   * on each in turn cost a 2,000-node neighbourhood a millisecond. */
  g_array_set_size (links, taken->len);
  for (guint i = 0; i < taken->len; i++)
    {
      if (i + 8 < taken->len)
        SVYAZ_PREFETCH (&g_array_index (cache->links, SvyazLink, g_array_index (taken, guint32, i + 8)));
      g_array_index (links, SvyazLink, i) = g_array_index (cache->links, SvyazLink, g_array_index (taken, guint32, i));
    }
  return g_steal_pointer (&links);
}

/**
 * svyaz_store_list_links_of:
 * @entity_ids: (element-type gint64): the entities
 *
 * The relations touching any entity of @entity_ids: a whole ring of a
 * neighbourhood, each relation once.
 *
 * Returns: (transfer full) (element-type SvyazLink)
 */
GArray *
svyaz_store_list_links_of (SvyazStore  *self,
                           GArray      *entity_ids,
                           gboolean     include_cooccurrence,
                           GError     **error)
{
  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (entity_ids != NULL, NULL);

  return links_among (self, entity_ids, include_cooccurrence, FALSE, error);
}

/**
 * svyaz_store_list_neighbours:
 *
 * The entities a relation joins to @entity_id, other than itself: what a
 * neighbourhood grows by, without copying out the relations (a hub's ring
 * of 50 neighbours touches tens of thousands).
 *
 * Returns: (transfer full) (element-type SvyazNeighbour): each neighbour
 *   once, in the order first met, with the summed confidence of the
 *   relations joining them; empty for an unknown entity
 */
GArray *
svyaz_store_list_neighbours (SvyazStore  *self,
                             gint64       entity_id,
                             gboolean     include_cooccurrence,
                             GError     **error)
{
  GArray *neighbours;
  GraphCache *cache;
  guint seen, n = 0;
  int slot;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);

  cache = graph_cache (self, error);
  if (cache == NULL)
    return NULL;
  graph_cache_adjacency (cache);
  neighbours = g_array_new (FALSE, FALSE, sizeof (SvyazNeighbour));
  slot = graph_cache_slot (cache, entity_id);
  if (slot < 0)
    return neighbours;
  /* At most one a relation, written in place. */
  g_array_set_size (neighbours, cache->starts[slot + 1] - cache->starts[slot]);
  /* A neighbour met is marked seen, where its place in the list. */
  seen = graph_cache_take_mark (cache);
  for (guint k = cache->starts[slot], last = cache->starts[slot + 1]; k < last; k++)
    {
      const LinkEnd *end = &cache->items[k];
      double confidence;

      /* A hub's ends lead all over the cache: what the ends a few turns
       * on will read is asked for now. */
      if (k + 8 < last)
        {
          SVYAZ_PREFETCH (&cache->marks[end[8].other]);
          SVYAZ_PREFETCH (&g_array_index (cache->links, SvyazLink, end[8].link));
        }

      if ((end->cooccurrence && !include_cooccurrence) || end->other == (guint32) slot || end->other == NO_SLOT)
        continue;
      confidence = g_array_index (cache->links, SvyazLink, end->link).confidence;
      if (cache->marks[end->other] == seen)
        g_array_index (neighbours, SvyazNeighbour, cache->where[end->other]).strength += confidence;
      else
        {
          cache->marks[end->other] = seen;
          cache->where[end->other] = n;
          g_array_index (neighbours, SvyazNeighbour, n++) = (SvyazNeighbour) { cache->ids[end->other], confidence };
        }
    }
  g_array_set_size (neighbours, n);
  return neighbours;
}

/**
 * svyaz_store_list_nodes_of:
 * @entity_ids: (element-type gint64): the entities
 *
 * Returns: (transfer container) (element-type SvyazEntity): those of
 *   @entity_ids that exist, as svyaz_store_list_nodes() gives them
 */
GPtrArray *
svyaz_store_list_nodes_of (SvyazStore  *self,
                           GArray      *entity_ids,
                           GError     **error)
{
  g_autoptr(GArray) slots = NULL;
  GraphCache *cache;
  GPtrArray *entities;
  guint low = G_MAXUINT, high = 0;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (entity_ids != NULL, NULL);

  cache = graph_cache (self, error);
  if (cache == NULL)
    return NULL;
  graph_cache_adjacency (cache);
  entities = g_ptr_array_new_full (entity_ids->len, (GDestroyNotify) svyaz_entity_free);
  /* The slots are the entities' places in the cache, by id: set as bits
   * and read back in order, they come sorted and each once, for a walk
   * over a bit per entity rather than a sort. */
  slots = g_array_sized_new (FALSE, FALSE, sizeof (guint), entity_ids->len);
  for (guint i = 0; i < entity_ids->len; i++)
    {
      int slot = graph_cache_slot (cache, g_array_index (entity_ids, gint64, i));

      if (slot >= 0)
        {
          cache->members[slot / 64] |= bit (slot);
          low = MIN (low, (guint) slot / 64);
          high = MAX (high, (guint) slot / 64 + 1);
        }
    }
  for (guint w = low; w < high; w++)
    {
      guint64 word = cache->members[w];

      cache->members[w] = 0;
      for (; word != 0; word &= word - 1)
        {
          guint slot = w * 64 + (guint) __builtin_ctzll (word);

          g_array_append_val (slots, slot);
        }
    }
  /* The strings lie scattered through the cache: each is asked for a few
   * entities ahead, the pointers to them further ahead still. */
  for (guint i = 0; i < slots->len; i++)
    {
      if (i + 16 < slots->len)
        {
          guint ahead = g_array_index (slots, guint, i + 16);

          SVYAZ_PREFETCH (&cache->entity_names->pdata[ahead]);
          SVYAZ_PREFETCH (&cache->entity_descriptions->pdata[ahead]);
        }
      if (i + 8 < slots->len)
        {
          guint ahead = g_array_index (slots, guint, i + 8);

          SVYAZ_PREFETCH (cache->entity_names->pdata[ahead]);
          SVYAZ_PREFETCH (cache->entity_descriptions->pdata[ahead]);
        }
      g_ptr_array_add (entities, cached_entity (cache, g_array_index (slots, guint, i)));
    }
  return entities;
}

/**
 * svyaz_store_list_links_within:
 * @entity_ids: (element-type gint64): the entities
 *
 * The relations whose subject and object are both in @entity_ids: the
 * edges of a neighbourhood once its nodes are known.
 *
 * Returns: (transfer full) (element-type SvyazLink)
 */
GArray *
svyaz_store_list_links_within (SvyazStore  *self,
                               GArray      *entity_ids,
                               gboolean     include_cooccurrence,
                               GError     **error)
{
  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (entity_ids != NULL, NULL);

  return links_among (self, entity_ids, include_cooccurrence, TRUE, error);
}

/* Section: view positions */

/**
 * svyaz_store_get_positions:
 * @view_key: names the view (svyaz_view_get_key())
 *
 * Returns: (transfer full) (element-type SvyazPin): the positions a user
 *   gave nodes of that view, by entity id
 */
GArray *
svyaz_store_get_positions (SvyazStore  *self,
                           const char  *view_key,
                           GError     **error)
{
  g_autoptr(GArray) pins = g_array_new (FALSE, FALSE, sizeof (SvyazPin));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (view_key != NULL, NULL);

  stmt = get_stmt (self, "SELECT entity_id, x, y FROM view_positions WHERE view_key = ?1"
                         " ORDER BY entity_id", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, view_key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SvyazPin pin = {
        sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 1), sqlite3_column_double (stmt, 2)
      };

      g_array_append_val (pins, pin);
    }
  if (!rows_done (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&pins);
}

/**
 * svyaz_store_set_positions:
 * @pins: (element-type SvyazPin): every position of the view; those not in
 *   @pins are forgotten
 *
 * Inside a transaction. Pins of entities that no longer exist are skipped.
 */
gboolean
svyaz_store_set_positions (SvyazStore  *self,
                           const char  *view_key,
                           GArray      *pins,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (view_key != NULL && pins != NULL, FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  stmt = get_stmt (self, "DELETE FROM view_positions WHERE view_key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, view_key);
  if (!step_done (self, stmt, error))
    return FALSE;
  stmt = get_stmt (self, "INSERT OR REPLACE INTO view_positions (view_key, entity_id, x, y)"
                         " SELECT ?1, id, ?3, ?4 FROM entities WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < pins->len; i++)
    {
      const SvyazPin *pin = &g_array_index (pins, SvyazPin, i);

      if (!isfinite (pin->x) || !isfinite (pin->y))
        continue;
      bind_text (stmt, 1, view_key);
      sqlite3_bind_int64 (stmt, 2, pin->entity_id);
      sqlite3_bind_double (stmt, 3, pin->x);
      sqlite3_bind_double (stmt, 4, pin->y);
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Section: layout cache */

/**
 * svyaz_store_get_layout:
 * @signature: what the layout is of (svyaz_layout_signature())
 *
 * Returns: (transfer full) (nullable): the saved layout
 *   (svyaz_layout_save()), or %NULL, with @error unset, if there is none
 */
GBytes *
svyaz_store_get_layout (SvyazStore  *self,
                        const char  *signature,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), NULL);
  g_return_val_if_fail (signature != NULL, NULL);

  stmt = get_stmt (self, "SELECT positions FROM layouts WHERE signature = ?1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, signature);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sqlite_error (error, self->db, rc, self->path);
  return bytes;
}

/**
 * svyaz_store_put_layout:
 *
 * Inside a transaction: keeps @positions under @signature, and only the
 * SVYAZ_STORE_LAYOUTS_KEPT most recently saved layouts.
 */
gboolean
svyaz_store_put_layout (SvyazStore  *self,
                        const char  *signature,
                        const char  *engine,
                        guint        n_nodes,
                        GBytes      *positions,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  gsize size;
  gconstpointer data;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (signature != NULL && engine != NULL && positions != NULL, FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  stmt = get_stmt (self, "INSERT OR REPLACE INTO layouts (signature, engine, nodes, used_at, positions)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  data = g_bytes_get_data (positions, &size);
  bind_text (stmt, 1, signature);
  bind_text (stmt, 2, engine);
  sqlite3_bind_int64 (stmt, 3, n_nodes);
  /* Microseconds: two saves in one second still keep their order. */
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  sqlite3_bind_blob64 (stmt, 5, data, size, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;
  stmt = get_stmt (self, "DELETE FROM layouts WHERE signature NOT IN"
                         " (SELECT signature FROM layouts ORDER BY used_at DESC LIMIT ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, SVYAZ_STORE_LAYOUTS_KEPT);
  return step_done (self, stmt, error);
}

/* Section: bulk loading
 *
 * Between svyaz_store_bulk_begin() and svyaz_store_bulk_end(), new
 * entities and relations are held in memory and written at the end, many
 * rows to a statement, relations in the order of their unique index; the
 * other indexes that a row-by-row load would keep up to date are dropped
 * and built once. SQLite spends about 2 µs on each statement it runs,
 * more than on the row itself, and an index fed rows in its own order
 * only appends. The store keeps what the database would have answered,
 * so that a load asks it nothing: every entity's id by type and key, and
 * every relation's key. */

/* The key of relations_unique. */
typedef struct {
  gint64  subject;
  gint64  object;
  gint64  document;   /* ifnull (document_id, 0) */
  gint64  evidence;   /* ifnull (evidence_start, -1) */
  guint32 predicate;  /* BulkLoad.predicates */
} RelationKey;

/* A relation to write at the end. */
typedef struct {
  RelationKey  key;
  gint64       evidence_end;
  double       confidence;
  const char  *rule;  /* in BulkLoad.rules */
  guint32      rank;  /* of the predicate in BINARY collation, for the sort */
  gboolean     cooccurrence;
} PendingRelation;

/* An entity to write at the end, with its name as its first alias. */
typedef struct {
  gint64       id;
  char        *name;
  char        *key;
  const char  *type;  /* in BulkLoad.rules, which interns any short text */
  char        *description;
} PendingEntity;

struct BulkLoad {
  GPtrArray   *sql;          /* what bulk_begin dropped, to build again */
  GHashTable  *predicates;   /* owned text -> number + 1 */
  GPtrArray   *predicate_names;  /* number -> text */
  GHashTable  *rules;        /* interned rule and type texts */
  GArray      *keys;         /* of RelationKey: stored and pending */
  guint64     *slots;        /* hash << 32 | index into keys + 1; 0 is empty */
  guint        mask;
  GArray      *relations;    /* of PendingRelation */
  GArray      *entities;     /* of PendingEntity, ids first_id on */
  gint64       first_id;
  gint64       last_alias_id;  /* stored before the load; 0: none */
};

/* Rows to a multi-row INSERT: 64 rows of 9 values stay far below
 * SQLite's limit on parameters. */
#define BULK_ROWS 64

static void
pending_entity_clear (PendingEntity *entity)
{
  g_free (entity->name);
  g_free (entity->key);
  g_free (entity->description);
}

static void
bulk_load_free (BulkLoad *bulk)
{
  g_ptr_array_unref (bulk->sql);
  g_hash_table_unref (bulk->predicates);
  g_ptr_array_unref (bulk->predicate_names);
  g_hash_table_unref (bulk->rules);
  g_array_unref (bulk->keys);
  g_free (bulk->slots);
  g_array_unref (bulk->relations);
  g_array_unref (bulk->entities);
  g_free (bulk);
}

static BulkLoad *
bulk_load_new (void)
{
  BulkLoad *bulk = g_new0 (BulkLoad, 1);

  bulk->sql = g_ptr_array_new_with_free_func (g_free);
  bulk->predicates = g_hash_table_new (g_str_hash, g_str_equal);
  bulk->predicate_names = g_ptr_array_new_with_free_func (g_free);
  bulk->rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  bulk->keys = g_array_new (FALSE, FALSE, sizeof (RelationKey));
  bulk->mask = 1023;
  bulk->slots = g_new0 (guint64, bulk->mask + 1);
  bulk->relations = g_array_new (FALSE, FALSE, sizeof (PendingRelation));
  bulk->entities = g_array_new (FALSE, FALSE, sizeof (PendingEntity));
  g_array_set_clear_func (bulk->entities, (GDestroyNotify) pending_entity_clear);
  return bulk;
}

static const char *
bulk_intern (BulkLoad   *bulk,
             const char *text)
{
  const char *interned = g_hash_table_lookup (bulk->rules, text);

  if (interned == NULL)
    {
      char *copy = g_strdup (text);

      g_hash_table_insert (bulk->rules, copy, copy);
      interned = copy;
    }
  return interned;
}

static guint32
bulk_predicate (BulkLoad   *bulk,
                const char *predicate)
{
  guint32 number = GPOINTER_TO_UINT (g_hash_table_lookup (bulk->predicates, predicate));

  if (number == 0)
    {
      char *copy = g_strdup (predicate);

      g_ptr_array_add (bulk->predicate_names, copy);
      number = bulk->predicate_names->len;
      g_hash_table_insert (bulk->predicates, copy, GUINT_TO_POINTER (number));
    }
  return number - 1;
}

static guint
relation_key_hash (const RelationKey *key)
{
  guint64 h = (guint64) key->subject * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  h = (h ^ (h >> 29) ^ (guint64) key->object) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  h = (h ^ (h >> 31) ^ key->predicate ^ ((guint64) key->document << 20) ^ (guint64) key->evidence)
      * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return (guint) (h ^ (h >> 32));
}

static gboolean
relation_key_equal (const RelationKey *a,
                    const RelationKey *b)
{
  return a->subject == b->subject && a->object == b->object && a->predicate == b->predicate &&
         a->document == b->document && a->evidence == b->evidence;
}

static void
bulk_grow_slots (BulkLoad *bulk)
{
  guint64 *old = bulk->slots;
  guint old_mask = bulk->mask;

  bulk->mask = bulk->mask * 2 + 1;
  bulk->slots = g_new0 (guint64, bulk->mask + 1);
  for (guint i = 0; i <= old_mask; i++)
    if (old[i] != 0)
      {
        guint slot = (guint) (old[i] >> 32) & bulk->mask;

        while (bulk->slots[slot] != 0)
          slot = (slot + 1) & bulk->mask;
        bulk->slots[slot] = old[i];
      }
  g_free (old);
}

/* Adds the key; FALSE when it was there already. */
static gboolean
bulk_insert_key (BulkLoad          *bulk,
                 const RelationKey *key)
{
  guint hash = relation_key_hash (key);
  guint slot = hash & bulk->mask;

  /* The hash kept in the slot spares reading most keys that differ. */
  for (; bulk->slots[slot] != 0; slot = (slot + 1) & bulk->mask)
    if ((guint) (bulk->slots[slot] >> 32) == hash &&
        relation_key_equal (&g_array_index (bulk->keys, RelationKey, (guint32) bulk->slots[slot] - 1), key))
      return FALSE;
  g_assert (bulk->keys->len < G_MAXUINT32 - 1);
  g_array_append_val (bulk->keys, *key);
  bulk->slots[slot] = (guint64) hash << 32 | bulk->keys->len;
  /* At most half full, so runs stay short. */
  if (bulk->keys->len * 2 > bulk->mask)
    bulk_grow_slots (bulk);
  return TRUE;
}

/* Holds the relation for bulk_end, unless its key is stored or held:
 * what INSERT OR IGNORE would do with relations_unique in place. */
static gboolean
bulk_add_relation (BulkLoad                 *bulk,
                   const SvyazRelationInput *input)
{
  gboolean evidence = input->evidence_start >= 0 && input->evidence_end >= input->evidence_start;
  PendingRelation relation = {
    .key = {
      .subject = input->subject_id,
      .object = input->object_id,
      .document = input->document_id > 0 ? input->document_id : 0,
      .evidence = evidence ? input->evidence_start : -1,
      .predicate = bulk_predicate (bulk, input->predicate),
    },
    .evidence_end = evidence ? input->evidence_end : -1,
    .confidence = input->confidence,
    .rule = bulk_intern (bulk, input->rule ? input->rule : ""),
    .cooccurrence = input->cooccurrence,
  };

  if (!bulk_insert_key (bulk, &relation.key))
    return FALSE;
  g_array_append_val (bulk->relations, relation);
  return TRUE;
}

static gboolean
bulk_ensure_entity (SvyazStore   *self,
                    char         *clean,       /* (transfer full) */
                    char         *key,         /* (transfer full) */
                    const char   *type,
                    const char   *description,
                    char         *cache_key,   /* (transfer full) */
                    gint64       *out_id,
                    gboolean     *out_created,
                    GError      **error)
{
  BulkLoad *bulk = self->bulk;
  gint64 *cached = g_hash_table_lookup (self->entity_ids, cache_key);
  gboolean ok = TRUE;

  if (cached == NULL)
    {
      /* entity_ids holds every entity: a miss is new. */
      PendingEntity entity = {
        .id = bulk->first_id + bulk->entities->len,
        .name = g_steal_pointer (&clean),
        .key = g_steal_pointer (&key),
        .type = bulk_intern (bulk, type),
        .description = g_strdup (description),
      };
      gint64 id = entity.id;

      g_clear_pointer (&self->cache, graph_cache_free);
      g_array_append_val (bulk->entities, entity);
      g_hash_table_insert (self->entity_ids, g_steal_pointer (&cache_key), g_memdup2 (&id, sizeof id));
      *out_id = id;
      if (out_created)
        *out_created = TRUE;
      return TRUE;
    }

  *out_id = *cached;
  if (out_created)
    *out_created = FALSE;
  if (description != NULL && *cached >= bulk->first_id)
    {
      PendingEntity *entity = &g_array_index (bulk->entities, PendingEntity, *cached - bulk->first_id);

      if (entity->description == NULL)
        entity->description = g_strdup (description);
    }
  else if (description != NULL)
    {
      sqlite3_stmt *stmt = get_stmt (self,
                                     "UPDATE entities SET description = ?2"
                                     " WHERE id = ?1 AND description IS NULL", error);

      g_clear_pointer (&self->cache, graph_cache_free);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, *cached);
          bind_text (stmt, 2, description);
          ok = step_done (self, stmt, error);
        }
    }
  g_free (clean);
  g_free (key);
  g_free (cache_key);
  return ok;
}

/* The keys of the relations stored before the load. */
static gboolean
bulk_load_keys (SvyazStore  *self,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = get_stmt (self,
                   "SELECT subject_id, predicate, object_id, ifnull (document_id, 0),"
                   " ifnull (evidence_start, -1) FROM relations", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelationKey key = {
        .subject = sqlite3_column_int64 (stmt, 0),
        .object = sqlite3_column_int64 (stmt, 2),
        .document = sqlite3_column_int64 (stmt, 3),
        .evidence = sqlite3_column_int64 (stmt, 4),
        .predicate = bulk_predicate (self->bulk, (const char *) sqlite3_column_text (stmt, 1)),
      };

      bulk_insert_key (self->bulk, &key);
    }
  if (!rows_done (self, stmt, rc, error))
    return FALSE;
  return TRUE;
}

/* Every entity by type and key, and the id the next one gets, as
 * SQLite would give it (one past the largest). */
static gboolean
bulk_load_entities (SvyazStore  *self,
                    GError     **error)
{
  sqlite3_stmt *stmt = get_stmt (self, "SELECT id, type, key FROM entities", error);
  gint64 last = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      last = MAX (last, id);
      g_hash_table_insert (self->entity_ids,
                           g_strconcat ((const char *) sqlite3_column_text (stmt, 1), "\x1f",
                                        (const char *) sqlite3_column_text (stmt, 2), NULL),
                           g_memdup2 (&id, sizeof id));
    }
  if (!rows_done (self, stmt, rc, error))
    return FALSE;
  self->bulk->first_id = last + 1;

  stmt = get_stmt (self, "SELECT ifnull (max (id), 0) FROM aliases", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    self->bulk->last_alias_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, self->path);
      return FALSE;
    }
  return TRUE;
}

typedef void (*BindRow) (sqlite3_stmt  *stmt,
                         int            first,
                         gconstpointer  row,
                         gpointer       user_data);

/* "@head VALUES (?, …), (?, …)…" for @n_rows rows of @columns. */
static sqlite3_stmt *
prepare_rows (SvyazStore  *self,
              const char  *head,
              guint        columns,
              guint        n_rows,
              GError     **error)
{
  g_autoptr(GString) sql = g_string_new (head);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_string_append (sql, " VALUES ");
  for (guint r = 0; r < n_rows; r++)
    {
      g_string_append (sql, r == 0 ? "(" : ", (");
      for (guint c = 0; c < columns; c++)
        g_string_append (sql, c == 0 ? "?" : ", ?");
      g_string_append_c (sql, ')');
    }
  rc = sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    set_sqlite_error (error, self->db, rc, self->path);
  return stmt;
}

/* Inserts @n rows of @size bytes from @rows, BULK_ROWS to a statement;
 * @bind may bind their text as static. */
static gboolean
insert_rows (SvyazStore     *self,
             const char     *head,
             guint           columns,
             gconstpointer   rows,
             gsize           size,
             guint           n,
             BindRow         bind,
             gpointer        user_data,
             GError        **error)
{
  sqlite3_stmt *full = NULL;
  gboolean ok = TRUE;

  for (guint done = 0; ok && done < n; )
    {
      guint count = MIN (BULK_ROWS, n - done);
      sqlite3_stmt *stmt;

      if (count == BULK_ROWS && full == NULL)
        full = prepare_rows (self, head, columns, count, error);
      stmt = count == BULK_ROWS ? full : prepare_rows (self, head, columns, count, error);
      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      for (guint r = 0; r < count; r++)
        bind (stmt, (int) (r * columns + 1), (const char *) rows + (gsize) (done + r) * size, user_data);
      ok = step_done (self, stmt, error);
      if (stmt != full)
        sqlite3_finalize (stmt);
      done += count;
    }
  sqlite3_finalize (full);
  return ok;
}

static void
bind_entity (sqlite3_stmt  *stmt,
             int            first,
             gconstpointer  row,
             gpointer       user_data)
{
  const PendingEntity *entity = row;

  sqlite3_bind_int64 (stmt, first, entity->id);
  bind_static_text (stmt, first + 1, entity->name);
  bind_static_text (stmt, first + 2, entity->key);
  bind_static_text (stmt, first + 3, entity->type);
  bind_static_text (stmt, first + 4, entity->description);
}

/* The alias every entity has: its name, by key and Latin key. */
typedef struct {
  gint64       entity_id;
  const char  *surface;
  const char  *key;
  char        *latin;
} PendingAlias;

static void
bind_alias (sqlite3_stmt  *stmt,
            int            first,
            gconstpointer  row,
            gpointer       user_data)
{
  const PendingAlias *alias = row;

  sqlite3_bind_int64 (stmt, first, alias->entity_id);
  bind_static_text (stmt, first + 1, alias->surface);
  bind_static_text (stmt, first + 2, alias->key);
  bind_static_text (stmt, first + 3, alias->latin);
}

static void
bind_relation (sqlite3_stmt  *stmt,
               int            first,
               gconstpointer  row,
               gpointer       user_data)
{
  const PendingRelation *relation = row;
  GPtrArray *predicate_names = user_data;

  sqlite3_bind_int64 (stmt, first, relation->key.subject);
  bind_static_text (stmt, first + 1, g_ptr_array_index (predicate_names, relation->key.predicate));
  sqlite3_bind_int64 (stmt, first + 2, relation->key.object);
  if (relation->key.document > 0)
    sqlite3_bind_int64 (stmt, first + 3, relation->key.document);
  else
    sqlite3_bind_null (stmt, first + 3);
  if (relation->key.evidence >= 0)
    {
      sqlite3_bind_int64 (stmt, first + 4, relation->key.evidence);
      sqlite3_bind_int64 (stmt, first + 5, relation->evidence_end);
    }
  else
    {
      sqlite3_bind_null (stmt, first + 4);
      sqlite3_bind_null (stmt, first + 5);
    }
  sqlite3_bind_double (stmt, first + 6, relation->confidence);
  bind_static_text (stmt, first + 7, relation->rule);
  sqlite3_bind_int (stmt, first + 8, relation->cooccurrence ? 1 : 0);
}

/* relations_unique's order: the predicate by rank in BINARY collation. */
static int
compare_pending_relations (gconstpointer a,
                           gconstpointer b)
{
  const PendingRelation *x = a, *y = b;

#define CMP(f) if (x->f != y->f) return x->f < y->f ? -1 : 1
  CMP (key.subject);
  CMP (rank);
  CMP (key.object);
  CMP (key.document);
  CMP (key.evidence);
#undef CMP
  return 0;
}

/* Sorts by subject, 16 bits a pass, and then each subject's run by the
 * rest: a comparison sort of 500,000 took 0.26 s. The order only speeds
 * up relations_unique, which the rows then extend at its end (or near
 * the keys stored before); any order gives the same rows. */
static void
sort_pending_relations (GArray *relations)
{
  PendingRelation *rows = (PendingRelation *) (void *) relations->data;
  g_autofree PendingRelation *spare = g_new (PendingRelation, MAX (relations->len, 1));
  g_autofree guint *counts = g_new (guint, 65536);
  PendingRelation *from = rows, *to = spare;
  guint64 bits = 0;
  guint n = relations->len;

  for (guint i = 0; i < n; i++)
    bits |= (guint64) rows[i].key.subject;
  for (guint shift = 0; shift < 64 && (bits >> shift) != 0; shift += 16)
    {
      PendingRelation *swap;
      guint sum = 0;

      memset (counts, 0, 65536 * sizeof (guint));
      for (guint i = 0; i < n; i++)
        counts[((guint64) from[i].key.subject >> shift) & 0xffff]++;
      for (guint d = 0; d < 65536; d++)
        {
          guint c = counts[d];

          counts[d] = sum;
          sum += c;
        }
      for (guint i = 0; i < n; i++)
        to[counts[((guint64) from[i].key.subject >> shift) & 0xffff]++] = from[i];
      swap = from;
      from = to;
      to = swap;
    }
  if (from != rows)
    memcpy (rows, from, (gsize) n * sizeof (PendingRelation));

  for (guint start = 0, end; start < n; start = end)
    {
      for (end = start + 1; end < n && rows[end].key.subject == rows[start].key.subject; end++)
        ;
      if (end - start > 1)
        qsort (rows + start, end - start, sizeof (PendingRelation), compare_pending_relations);
    }
}

static int
compare_predicate_names (gconstpointer a,
                         gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* What bulk_write() prepares on another core while the entities are
 * written: the aliases with their Latin keys (ICU's transliteration, for
 * Cyrillic names) and the relations in the order of relations_unique.
 * It reads the entities, which the writer only reads too. */
typedef struct {
  BulkLoad *bulk;
  GArray   *aliases;  /* of PendingAlias */
} BulkPrepare;

static gpointer
bulk_prepare_cb (gpointer data)
{
  BulkPrepare *prepare = data;
  BulkLoad *bulk = prepare->bulk;
  g_autofree guint32 *ranks = g_new0 (guint32, MAX (bulk->predicate_names->len, 1));
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();  /* borrows the names */

  for (guint i = 0; i < bulk->entities->len; i++)
    {
      const PendingEntity *entity = &g_array_index (bulk->entities, PendingEntity, i);
      PendingAlias alias = {
        .entity_id = entity->id,
        .surface = entity->name,
        .key = entity->key,
        .latin = svyaz_text_latin_key (entity->name),
      };

      g_array_append_val (prepare->aliases, alias);
    }

  g_ptr_array_extend (sorted, bulk->predicate_names, NULL, NULL);
  g_ptr_array_sort (sorted, compare_predicate_names);
  for (guint i = 0; i < sorted->len; i++)
    ranks[GPOINTER_TO_UINT (g_hash_table_lookup (bulk->predicates, g_ptr_array_index (sorted, i))) - 1] = i;
  for (guint i = 0; i < bulk->relations->len; i++)
    {
      PendingRelation *relation = &g_array_index (bulk->relations, PendingRelation, i);

      relation->rank = ranks[relation->key.predicate];
    }
  sort_pending_relations (bulk->relations);
  return NULL;
}

static gboolean
bulk_write (SvyazStore  *self,
            GError     **error)
{
  BulkLoad *bulk = self->bulk;
  g_autoptr(GArray) aliases = g_array_sized_new (FALSE, FALSE, sizeof (PendingAlias), bulk->entities->len);
  BulkPrepare prepare = { bulk, aliases };
  GThread *preparing = g_thread_new ("svyaz-bulk", bulk_prepare_cb, &prepare);
  gboolean ok;

  /* With the ids the load gave out, in order. */
  ok = insert_rows (self, "INSERT INTO entities (id, name, key, type, description)", 5,
                    bulk->entities->data, sizeof (PendingEntity), bulk->entities->len,
                    bind_entity, NULL, error);
  g_thread_join (preparing);
  ok = ok &&
       insert_rows (self, "INSERT OR IGNORE INTO aliases (entity_id, surface, key, latin)", 4,
                    aliases->data, sizeof (PendingAlias), aliases->len, bind_alias, NULL, error) &&
       insert_rows (self,
                    "INSERT INTO relations (subject_id, predicate, object_id, document_id,"
                    " evidence_start, evidence_end, confidence, rule, cooccurrence)", 9,
                    bulk->relations->data, sizeof (PendingRelation), bulk->relations->len,
                    bind_relation, bulk->predicate_names, error);
  for (guint i = 0; i < aliases->len; i++)
    g_free (g_array_index (aliases, PendingAlias, i).latin);
  return ok;
}

/* Indexes and triggers that a bulk load drops and builds again once:
 * they only speed up reads or mirror a table. relations_unique stays, as
 * the relations come in its order: 500,000 of them took 0.6-0.7 s with
 * it in place, 0.8-0.85 s written without it and sorted into it after.
 * So does the entities' unique constraint, which is part of the table. */
static const char * const bulk_objects[] = {
  "entities_type", "aliases_key", "relations_object", "relations_document", "aliases_fts_insert",
  "aliases_latin_insert",
};

/**
 * svyaz_store_bulk_begin:
 *
 * Instead of svyaz_store_begin(), for a large load: begins a transaction
 * in which svyaz_store_ensure_entity() and svyaz_store_add_relation()
 * hold what is new in memory, answering as they would otherwise (ids,
 * whether an entity is new, whether a relation is a duplicate), and
 * svyaz_store_bulk_end() writes it. Until then the new rows are not in
 * the database: a bulk load only adds. Secondary indexes and the
 * triggers feeding the name indexes are dropped meanwhile, keeping their
 * definitions, and foreign keys are not
 * checked: the loader joins only entities it ensured. A rollback
 * restores everything, as SQLite's DDL is transactional.
 */
gboolean
svyaz_store_bulk_begin (SvyazStore  *self,
                        GError     **error)
{
  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction && self->bulk == NULL, FALSE);

  /* Only outside a transaction does SQLite change this. */
  if (!self->read_only)
    {
      if (!exec_sql (self->db, "PRAGMA foreign_keys = OFF", self->path, error))
        return FALSE;
      self->foreign_keys_off = TRUE;
    }
  if (!svyaz_store_begin (self, error))
    {
      foreign_keys_on (self, NULL);
      return FALSE;
    }
  /* A large load's pages stay in memory instead of spilling to the WAL
   * and being read back. */
  if (!exec_sql (self->db, "PRAGMA cache_size = " G_STRINGIFY (BULK_CACHE_KIB), self->path, error))
    return FALSE;
  self->bulk = bulk_load_new ();
  if (!bulk_load_keys (self, error) || !bulk_load_entities (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (bulk_objects); i++)
    {
      sqlite3_stmt *stmt = get_stmt (self, "SELECT type, sql FROM sqlite_schema WHERE name = ?1", error);
      g_autofree char *drop = NULL;
      int rc;

      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, bulk_objects[i]);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          continue;  /* already gone: nothing to restore */
        }
      /* Names are our own constants, never user text. */
      drop = g_strdup_printf ("DROP %s %s", (const char *) sqlite3_column_text (stmt, 0), bulk_objects[i]);
      g_ptr_array_add (self->bulk->sql, column_strdup (stmt, 1));
      sqlite3_reset (stmt);
      if (!exec_sql (self->db, drop, self->path, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * svyaz_store_bulk_end:
 *
 * Writes what the load held, builds again what svyaz_store_bulk_begin()
 * dropped, and the name indexes from the aliases table. The transaction
 * stays open for svyaz_store_commit().
 */
gboolean
svyaz_store_bulk_end (SvyazStore  *self,
                      GError     **error)
{
  g_autofree char *names_sql = NULL;
  GPtrArray *sql;

  g_return_val_if_fail (SVYAZ_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->bulk != NULL, FALSE);

  if (!bulk_write (self, error))
    return FALSE;
  /* The new aliases into the name indexes, before aliases_key is back:
   * with it, SQLite reads the aliases in key order, and FTS5, given
   * rowids out of order, flushes a segment for nearly every row (100,000
   * names: 1.3 s rather than 0.3 s). Into empty indexes, a rebuild is
   * faster still (0.5 against 0.6-0.75 s); into a store with names
   * already, it would index them all again. */
  if (self->bulk->last_alias_id == 0)
    names_sql = g_strdup ("INSERT INTO names_fts (names_fts) VALUES ('rebuild');"
                          "INSERT INTO names_latin (names_latin) VALUES ('rebuild');");
  else
    names_sql = g_strdup_printf ("INSERT INTO names_fts (rowid, key)"
                                 " SELECT id, key FROM aliases WHERE id > %1$" G_GINT64_FORMAT ";"
                                 "INSERT INTO names_latin (rowid, latin)"
                                 " SELECT id, latin FROM aliases WHERE id > %1$" G_GINT64_FORMAT ";",
                                 self->bulk->last_alias_id);
  if (!exec_sql (self->db, names_sql, self->path, error))
    return FALSE;
  sql = self->bulk->sql;
  for (guint i = 0; i < sql->len; i++)
    if (!exec_sql (self->db, g_ptr_array_index (sql, i), self->path, error))
      return FALSE;
  g_clear_pointer (&self->bulk, bulk_load_free);
  return exec_sql (self->db, "PRAGMA cache_size = " G_STRINGIFY (CACHE_KIB), self->path, error);
}

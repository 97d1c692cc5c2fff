/* svyaz-import.c: bringing outside data into a store.
 *
 * Every import is all or nothing: inputs are read and validated first, then
 * written in one transaction, and any error rolls the whole import back so
 * a bad file never leaves half of itself in the store.
 */
#include "svyaz-import.h"

/* From this size on, import-tsv loads in bulk (svyaz_store_bulk_begin()). */
#define BULK_BYTES (4 * 1024 * 1024)
#include "svyaz-text.h"

#include <string.h>

G_DEFINE_QUARK (svyaz-import-error-quark, svyaz_import_error)

/* Text files larger than this are refused rather than read into memory. */
#define MAX_DOCUMENT_BYTES (256 * 1024 * 1024)

/* Section: progress */

static void
report_progress (const SvyazImportProgress *progress,
                 double                     fraction,
                 const char                *what)
{
  if (progress != NULL && progress->func != NULL)
    progress->func (CLAMP (fraction, 0.0, 1.0), what, progress->user_data);
}

/* TRUE, with @error set, when the import was asked to stop. */
static gboolean
cancelled (const SvyazImportProgress *progress,
           GError                   **error)
{
  return progress != NULL && progress->cancellable != NULL &&
         g_cancellable_set_error_if_cancelled (progress->cancellable, error);
}

void
svyaz_imported_document_free (SvyazImportedDocument *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->path);
  g_free (doc->title);
  g_free (doc);
}

typedef struct {
  char       *path;
  char       *title;
  char       *source;
  char       *lang;
  GMappedFile *mapped;
} PendingDocument;

static void
pending_document_free (PendingDocument *pending)
{
  g_free (pending->path);
  g_free (pending->title);
  g_free (pending->source);
  g_free (pending->lang);
  g_clear_pointer (&pending->mapped, g_mapped_file_unref);
  g_free (pending);
}

static GMappedFile *
map_regular_file (const char  *path,
                  GError     **error)
{
  GMappedFile *mapped;

  /* Checked first so that a FIFO is never opened (it would block). */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_READ,
                   "%s: no such file", path);
      return NULL;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_READ,
                   "%s: not a regular file", path);
      return NULL;
    }

  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (g_mapped_file_get_length (mapped) > MAX_DOCUMENT_BYTES)
    {
      g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_READ,
                   "%s: larger than %d MiB", path, MAX_DOCUMENT_BYTES / (1024 * 1024));
      g_mapped_file_unref (mapped);
      return NULL;
    }
  return mapped;
}

/**
 * svyaz_import_map_text:
 *
 * Maps a regular file and checks that it is UTF-8 without NUL bytes; the
 * error names the file and the byte offset of the first bad byte.
 *
 * Returns: (transfer full): the mapped file
 */
GMappedFile *
svyaz_import_map_text (const char  *path,
                       GError     **error)
{
  GMappedFile *mapped = map_regular_file (path, error);
  const char *text;

  if (mapped == NULL)
    return NULL;
  text = g_mapped_file_get_contents (mapped);
  if (!svyaz_text_validate (text ? text : "", g_mapped_file_get_length (mapped), path, error))
    {
      g_mapped_file_unref (mapped);
      return NULL;
    }
  return mapped;
}

static const char *
mapped_text (GMappedFile *mapped,
             gsize       *len)
{
  const char *text = g_mapped_file_get_contents (mapped);

  *len = g_mapped_file_get_length (mapped);
  /* An empty file maps to NULL. */
  return text != NULL ? text : "";
}

/* Reads and checks one text file; @title may come from a metadata file. */
static PendingDocument *
read_document (const char  *path,
               const char  *title,
               const char  *source,
               const char  *lang,
               GError     **error)
{
  PendingDocument *pending;
  GMappedFile *mapped;
  const char *text;
  gsize len;

  mapped = map_regular_file (path, error);
  if (mapped == NULL)
    return NULL;

  text = mapped_text (mapped, &len);
  if (!svyaz_text_validate (text, len, path, error))
    {
      g_mapped_file_unref (mapped);
      return NULL;
    }

  pending = g_new0 (PendingDocument, 1);
  pending->path = g_strdup (path);
  pending->mapped = mapped;
  pending->title = title ? g_strdup (title) : svyaz_text_guess_title (text, len);
  pending->source = source ? g_strdup (source) : g_canonicalize_filename (path, NULL);
  if (lang == NULL || g_str_equal (lang, "auto"))
    pending->lang = g_strdup (svyaz_text_guess_language (text, len));
  else
    pending->lang = g_strdup (lang);
  return pending;
}

/**
 * svyaz_import_extraction:
 *
 * Writes what extraction found in one document: entities (merged with
 * those of other documents by canonical name and type), their surface
 * forms as aliases, mentions, and relations with their evidence. Must run
 * inside a transaction.
 */
gboolean
svyaz_import_extraction (SvyazStore       *store,
                         gint64            document_id,
                         SvyazExtraction  *x,
                         GError          **error)
{
  g_autofree gint64 *ids = NULL;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), FALSE);
  g_return_val_if_fail (x != NULL, FALSE);

  ids = g_new0 (gint64, x->entities->len + 1);
  for (guint i = 0; i < x->entities->len; i++)
    {
      SvyazExtractedEntity *e = g_ptr_array_index (x->entities, i);

      if (!svyaz_store_ensure_entity (store, e->name, e->type, e->description,
                                      &ids[i], NULL, error))
        return FALSE;
      for (guint j = 0; j < e->surfaces->len; j++)
        if (!svyaz_store_add_alias (store, ids[i], g_ptr_array_index (e->surfaces, j), error))
          return FALSE;
      if (e->english != NULL && !svyaz_store_add_alias (store, ids[i], e->english, error))
        return FALSE;
    }

  for (guint i = 0; i < x->mentions->len; i++)
    {
      SvyazExtractedMention *m = &g_array_index (x->mentions, SvyazExtractedMention, i);

      if (!svyaz_store_add_mention (store, ids[m->entity], document_id, m->start, m->end, error))
        return FALSE;
    }

  for (guint i = 0; i < x->relations->len; i++)
    {
      SvyazExtractedRelation *r = &g_array_index (x->relations, SvyazExtractedRelation, i);
      SvyazRelationInput input = {
        .subject_id = ids[r->subject],
        .predicate = r->predicate,
        .object_id = ids[r->object],
        .document_id = document_id,
        .evidence_start = r->sentence_start,
        .evidence_end = r->sentence_end,
        .confidence = r->confidence,
        .rule = r->rule,
        .cooccurrence = r->cooccurrence,
      };

      if (!svyaz_store_add_relation (store, &input, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static GPtrArray *
store_documents (SvyazStore                *store,
                 GPtrArray                 *pending,
                 SvyazExtractor            *extractor,
                 const SvyazImportProgress *progress,
                 GError                   **error)
{
  g_autoptr(GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_imported_document_free);

  if (!svyaz_store_begin (store, error))
    return NULL;

  for (guint i = 0; i < pending->len; i++)
    {
      PendingDocument *p = g_ptr_array_index (pending, i);
      SvyazImportedDocument *doc;
      const char *text;
      gsize len;

      if (cancelled (progress, error))
        {
          svyaz_store_rollback (store);
          return NULL;
        }
      report_progress (progress, (double) i / pending->len, p->title);
      doc = g_new0 (SvyazImportedDocument, 1);
      g_ptr_array_add (results, doc);
      doc->path = g_strdup (p->path);
      doc->title = g_strdup (p->title);
      text = mapped_text (p->mapped, &len);
      if (!svyaz_store_add_document (store, p->title, p->source, p->lang, text, len,
                                     &doc->document_id, &doc->added, error))
        {
          svyaz_store_rollback (store);
          return NULL;
        }
      if (doc->added && extractor != NULL)
        {
          g_autoptr(SvyazExtraction) x = svyaz_extractor_run (extractor, text, len, p->lang, error);

          if (x == NULL || !svyaz_import_extraction (store, doc->document_id, x, error))
            {
              if (x == NULL)
                g_prefix_error (error, "%s: ", p->path);
              svyaz_store_rollback (store);
              return NULL;
            }
          doc->entities = x->entities->len;
          for (guint r = 0; r < x->relations->len; r++)
            {
              if (g_array_index (x->relations, SvyazExtractedRelation, r).cooccurrence)
                doc->cooccurrences++;
              else
                doc->relations++;
            }
        }
    }

  if (cancelled (progress, error))
    {
      svyaz_store_rollback (store);
      return NULL;
    }
  if (!svyaz_store_commit (store, error))
    return NULL;
  report_progress (progress, 1.0, NULL);
  return g_steal_pointer (&results);
}

/**
 * svyaz_import_text_files:
 * @paths: text files, UTF-8
 * @lang: (nullable): "ru", "en", or %NULL/"auto" to guess per file
 * @extractor: (nullable): extracts entities and relations from each new
 *   document into the same transaction
 * @progress: (nullable): told of each document as it starts
 *
 * Adds each file as a document, all in one transaction; a file whose text
 * is already stored is reported as not added.
 *
 * Returns: (transfer container) (element-type SvyazImportedDocument): one
 *   entry per path, in order
 */
GPtrArray *
svyaz_import_text_files (SvyazStore         *store,
                         const char * const *paths,
                         const char         *lang,
                         SvyazExtractor     *extractor,
                         const SvyazImportProgress *progress,
                         GError            **error)
{
  g_autoptr(GPtrArray) pending =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pending_document_free);

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (paths != NULL, NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      PendingDocument *p = read_document (paths[i], NULL, NULL, lang, error);

      if (p == NULL)
        return NULL;
      g_ptr_array_add (pending, p);
    }

  return store_documents (store, pending, extractor, progress, error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * svyaz_import_corpus:
 * @corpus_dir: a folder of `NAME.txt` files, each with an optional
 *   `NAME.meta` key file beside it giving Title, Source and Language
 *
 * Adds the bundled corpus, in file-name order, in one transaction.
 */
GPtrArray *
svyaz_import_corpus (SvyazStore      *store,
                     const char      *corpus_dir,
                     SvyazExtractor  *extractor,
                     GError         **error)
{
  g_autoptr(GPtrArray) pending =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pending_document_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (corpus_dir != NULL, NULL);

  dir = g_dir_open (corpus_dir, 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".txt"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *txt = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (corpus_dir, txt, NULL);
      g_autofree char *stem = g_strndup (txt, strlen (txt) - strlen (".txt"));
      g_autofree char *meta_name = g_strconcat (stem, ".meta", NULL);
      g_autofree char *meta_path = g_build_filename (corpus_dir, meta_name, NULL);
      g_autoptr(GKeyFile) meta = g_key_file_new ();
      g_autofree char *title = NULL;
      g_autofree char *source = NULL;
      g_autofree char *lang = NULL;
      PendingDocument *p;

      if (g_file_test (meta_path, G_FILE_TEST_EXISTS))
        {
          if (!g_key_file_load_from_file (meta, meta_path, G_KEY_FILE_NONE, error))
            {
              g_prefix_error (error, "%s: ", meta_path);
              return NULL;
            }
          title = g_key_file_get_string (meta, "Document", "Title", NULL);
          source = g_key_file_get_string (meta, "Document", "Source", NULL);
          lang = g_key_file_get_string (meta, "Document", "Language", NULL);
        }

      p = read_document (path, title, source, lang, error);
      if (p == NULL)
        return NULL;
      g_ptr_array_add (pending, p);
    }

  return store_documents (store, pending, extractor, NULL, error);
}

/* Section: TSV triples */

static gboolean
is_identifier (const char *s)
{
  if (!g_ascii_isalpha (*s) && *s != '_')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && *s != '_' && *s != '-')
      return FALSE;
  return TRUE;
}

static gboolean
parse_tsv_line (const char  *line,
                gsize        len,
                char       **fields,
                GError     **error)
{
  const char *p = line;
  const char *end = line + len;
  guint n = 0;

  while (TRUE)
    {
      const char *tab = memchr (p, '\t', end - p);
      const char *field_end = tab ? tab : end;

      if (n < 5)
        fields[n] = svyaz_text_clean_name (p, field_end - p);
      n++;
      if (tab == NULL)
        break;
      p = tab + 1;
    }

  if (n != 5)
    {
      g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE,
                   "expected 5 tab-separated fields (subject, subject_type, predicate, "
                   "object, object_type), found %u", n);
      return FALSE;
    }

  for (guint i = 0; i < 5; i++)
    {
      static const char * const what[] = {
        "subject", "subject_type", "predicate", "object", "object_type"
      };

      if (!svyaz_text_check_name (fields[i], what[i], error))
        return FALSE;
    }

  for (guint i = 1; i < 5; i += 3)
    {
      g_autofree char *lower = g_ascii_strdown (fields[i], -1);

      if (!is_identifier (lower))
        {
          g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE,
                       "type \"%s\" must be a word of Latin letters, digits, '_' or '-'",
                       fields[i]);
          return FALSE;
        }
      g_free (fields[i]);
      fields[i] = g_steal_pointer (&lower);
    }
  return TRUE;
}

static gboolean
is_header (char **fields)
{
  static const char * const names[] = {
    "subject", "subject_type", "predicate", "object", "object_type"
  };

  for (guint i = 0; i < 5; i++)
    if (g_ascii_strcasecmp (fields[i], names[i]) != 0)
      return FALSE;
  return TRUE;
}

/* An entity met before in a file: its id and "type\tname" as written,
 * in one block, so a lookup reads one place for both. */
typedef struct {
  gint64 id;
  char   key[];
} KnownEntity;

static guint
known_entity_hash (gconstpointer entity)
{
  return g_str_hash (((const KnownEntity *) entity)->key);
}

static gboolean
known_entity_equal (gconstpointer a,
                    gconstpointer b)
{
  return strcmp (((const KnownEntity *) a)->key, ((const KnownEntity *) b)->key) == 0;
}

/* @scratch: a KnownEntity reused for the lookup, so that a name met
 * before costs no allocation. */
static gboolean
cached_entity (SvyazStore  *store,
               GHashTable  *known,
               GString     *scratch,
               const char  *name,
               const char  *type,
               gint64      *out_id,
               gboolean    *out_created,
               GError     **error)
{
  KnownEntity *found;

  g_string_set_size (scratch, G_STRUCT_OFFSET (KnownEntity, key));
  g_string_append (scratch, type);
  g_string_append_c (scratch, '\t');
  g_string_append (scratch, name);
  found = g_hash_table_lookup (known, scratch->str);
  if (found != NULL)
    {
      *out_id = found->id;
      *out_created = FALSE;
      return TRUE;
    }
  if (!svyaz_store_ensure_entity (store, name, type, NULL, out_id, out_created, error))
    return FALSE;
  found = g_memdup2 (scratch->str, scratch->len + 1);
  found->id = *out_id;
  g_hash_table_add (known, found);
  return TRUE;
}

/**
 * svyaz_import_tsv:
 * @path: a file of lines `subject<TAB>subject_type<TAB>predicate<TAB>object<TAB>object_type`;
 *   an optional header line with those names, blank lines and lines
 *   starting with '#' are skipped
 * @report: (out caller-allocates) (optional): what was read and added
 *
 * Imports triples in one transaction. The first bad line stops the import,
 * with its line number in the error, and nothing is kept; so does
 * cancelling through @progress.
 */
gboolean
svyaz_import_tsv (SvyazStore                *store,
                  const char                *path,
                  SvyazTsvReport            *report,
                  const SvyazImportProgress *progress,
                  GError                   **error)
{
  /* Entities met before in this file, by name and type as written, so a
   * hub named on 10,000 lines is looked up in SQLite once. */
  g_autoptr(GHashTable) known = g_hash_table_new_full (known_entity_hash, known_entity_equal, g_free, NULL);
  g_autoptr(GString) scratch = g_string_new (NULL);
  g_autoptr(GMappedFile) mapped = NULL;
  SvyazTsvReport counts = { 0 };
  const char *text, *p, *end;
  guint64 line_no = 0;
  gsize len;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  mapped = map_regular_file (path, error);
  if (mapped == NULL)
    return FALSE;
  text = mapped_text (mapped, &len);
  end = text + len;

  /* Validated whole, so the error can give both the line and the offset. */
  if (!g_utf8_validate_len (text, len, &p))
    {
      guint64 bad_line = 1;

      for (const char *q = text; q < p; q++)
        bad_line += *q == '\n';
      g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE,
                   "%s:%" G_GUINT64_FORMAT ": invalid UTF-8 at byte offset %" G_GSIZE_FORMAT
                   "; nothing was imported", path, bad_line, (gsize) (p - text));
      return FALSE;
    }

  /* A large file is loaded with the secondary indexes and the name index
   * rebuilt once at the end rather than updated line by line. */
  if (len >= BULK_BYTES ? !svyaz_store_bulk_begin (store, error) : !svyaz_store_begin (store, error))
    {
      svyaz_store_rollback (store);
      return FALSE;
    }

  for (p = text; p < end; )
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;
      gsize line_len = line_end - p;
      char *fields[5] = { NULL };
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      line_no++;
      /* Every 64k lines: cheap next to the lines themselves. */
      if ((line_no & 0xffff) == 0)
        {
          if (cancelled (progress, error))
            {
              svyaz_store_rollback (store);
              return FALSE;
            }
          report_progress (progress, (double) (p - text) / len, NULL);
        }
      if (line_len > 0 && p[line_len - 1] == '\r')
        line_len--;

      if (line_len == 0 || p[0] == '#')
        {
          p = line_end + 1;
          continue;
        }

      ok = parse_tsv_line (p, line_len, fields, &local_error);
      if (ok && !(counts.lines == 0 && is_header (fields)))
        {
          gint64 subject_id = 0, object_id = 0;
          gboolean subject_new = FALSE, object_new = FALSE, added = FALSE;
          SvyazRelationInput input = {
            .predicate = fields[2],
            .evidence_start = -1,
            .evidence_end = -1,
            .confidence = 1.0,
            .rule = "import-tsv",
          };

          counts.lines++;
          ok = cached_entity (store, known, scratch, fields[0], fields[1], &subject_id,
                              &subject_new, &local_error) &&
               cached_entity (store, known, scratch, fields[3], fields[4], &object_id,
                              &object_new, &local_error);
          if (ok)
            {
              input.subject_id = subject_id;
              input.object_id = object_id;
              ok = svyaz_store_add_relation (store, &input, &added, &local_error);
            }
          if (ok)
            {
              counts.entities_added += (subject_new ? 1 : 0) + (object_new ? 1 : 0);
              if (added)
                counts.relations_added++;
              else
                counts.relations_duplicate++;
            }
        }
      else if (ok)
        {
          counts.lines = 0; /* the header is not data */
        }

      for (guint i = 0; i < 5; i++)
        g_free (fields[i]);

      if (!ok)
        {
          svyaz_store_rollback (store);
          g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE,
                       "%s:%" G_GUINT64_FORMAT ": %s; nothing was imported",
                       path, line_no, local_error->message);
          return FALSE;
        }
      p = line_end + 1;
    }

  if ((len >= BULK_BYTES && !svyaz_store_bulk_end (store, error)) ||
      !svyaz_store_commit (store, error))
    {
      svyaz_store_rollback (store);
      return FALSE;
    }

  if (report != NULL)
    *report = counts;
  return TRUE;
}

/* Section: graph files */

/**
 * svyaz_import_graph_file:
 * @format: how @path is written (svyaz_graph_file_format_for_path())
 * @report: (out caller-allocates) (optional): what was read and added
 *
 * Imports the graph another tool wrote (svyaz-interop) in one
 * transaction: every node becomes an entity (merged with one of the same
 * name and type), every edge a relation without a document. A node whose
 * name is empty or too long stops the import, and nothing is kept.
 */
gboolean
svyaz_import_graph_file (SvyazStore                *store,
                         const char                *path,
                         SvyazGraphFileFormat       format,
                         SvyazGraphFileReport      *report,
                         const SvyazImportProgress *progress,
                         GError                   **error)
{
  g_autoptr(SvyazForeignGraph) graph = NULL;
  g_autofree gint64 *ids = NULL;
  g_autofree char *rule = NULL;
  g_autoptr(GError) local = NULL;
  SvyazGraphFileReport counts = { 0 };
  gboolean bulk;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  graph = svyaz_graph_file_read (path, format, error);
  if (graph == NULL)
    return FALSE;
  counts.nodes = graph->nodes->len;
  counts.edges = graph->edges->len;
  ids = g_new0 (gint64, MAX (graph->nodes->len, 1));
  rule = g_strconcat ("import-", svyaz_graph_file_format_name (format), NULL);
  bulk = graph->edges->len >= 20000;

  if (bulk ? !svyaz_store_bulk_begin (store, error) : !svyaz_store_begin (store, error))
    {
      svyaz_store_rollback (store);
      return FALSE;
    }

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazForeignNode *node = g_ptr_array_index (graph->nodes, i);
      gboolean created = FALSE;

      if ((i & 0x3fff) == 0)
        {
          if (cancelled (progress, &local))
            goto failed;
          report_progress (progress, (double) i / (graph->nodes->len + graph->edges->len), NULL);
        }
      if (!svyaz_store_ensure_entity (store, node->name, node->type,
                                      node->description && *node->description ? node->description : NULL,
                                      &ids[i], &created, &local))
        {
          g_autofree char *shown = svyaz_text_ellipsize (node->key, 40);

          g_prefix_error (&local, "node \"%s\": ", shown);
          goto failed;
        }
      counts.entities_added += created ? 1 : 0;
    }

  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazForeignEdge *edge = &g_array_index (graph->edges, SvyazForeignEdge, i);
      SvyazRelationInput input = {
        .subject_id = ids[edge->source],
        .object_id = ids[edge->target],
        .predicate = edge->predicate,
        .evidence_start = -1,
        .evidence_end = -1,
        .confidence = edge->confidence,
        .rule = rule,
        .cooccurrence = edge->cooccurrence,
      };
      gboolean added = FALSE;

      if ((i & 0x3fff) == 0)
        {
          if (cancelled (progress, &local))
            goto failed;
          report_progress (progress, (double) (graph->nodes->len + i) /
                                     (graph->nodes->len + graph->edges->len), NULL);
        }
      if (!svyaz_text_check_name (edge->predicate, "predicate", &local) ||
          !svyaz_store_add_relation (store, &input, &added, &local))
        {
          g_prefix_error (&local, "edge %u: ", i + 1);
          goto failed;
        }
      if (added)
        counts.relations_added++;
      else
        counts.relations_duplicate++;
    }

  if ((bulk && !svyaz_store_bulk_end (store, &local)) || !svyaz_store_commit (store, &local))
    goto failed;
  if (report != NULL)
    *report = counts;
  return TRUE;

failed:
  svyaz_store_rollback (store);
  g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE,
               "%s: %s; nothing was imported", path, local->message);
  return FALSE;
}

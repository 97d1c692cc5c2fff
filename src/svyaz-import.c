/* svyaz-import.c: bringing outside data into a store.
 *
 * Every import is all or nothing: inputs are read and validated first, then
 * written in one transaction, and any error rolls the whole import back so
 * a bad file never leaves half of itself in the store.
 */
#include "svyaz-import.h"

/* From this size on, import-tsv loads in bulk (svyaz_store_bulk_begin()). */
#define BULK_BYTES (4 * 1024 * 1024)
#include "svyaz-prefetch.h"
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

/* Cleans the five fields of @line into @arena, each ending with a NUL,
 * at @offsets, @lengths long; types in lower case. */
static gboolean
parse_tsv_line (const char  *line,
                gsize        len,
                GString     *arena,
                guint32     *offsets,
                guint16     *lengths,
                GError     **error)
{
  static const char * const what[] = {
    "subject", "subject_type", "predicate", "object", "object_type"
  };
  const char *p = line;
  const char *end = line + len;
  guint n = 0;

  while (TRUE)
    {
      const char *tab = memchr (p, '\t', end - p);
      const char *field_end = tab ? tab : end;

      if (n < 5)
        {
          /* Offsets are 32-bit: a block holds a megabyte of lines, past
           * which only a line of gigabytes would take its buffer. */
          if ((guint64) arena->len + (field_end - p) * 3 + 1 > G_MAXUINT32)
            {
              g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE,
                           "the line is longer than %u bytes", G_MAXUINT32 / 4);
              return FALSE;
            }
          offsets[n] = (guint32) arena->len;
          svyaz_text_append_clean_name (arena, p, field_end - p);
          /* Checked below against SVYAZ_TEXT_NAME_MAX before any use. */
          lengths[n] = (guint16) MIN (arena->len - offsets[n], G_MAXUINT16);
          g_string_append_c (arena, '\0');
        }
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
    if (!svyaz_text_check_name (arena->str + offsets[i], what[i], error))
      return FALSE;

  for (guint i = 1; i < 5; i += 3)
    {
      char *type = arena->str + offsets[i];

      if (!is_identifier (type))
        {
          g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE,
                       "type \"%s\" must be a word of Latin letters, digits, '_' or '-'",
                       type);
          return FALSE;
        }
      for (char *c = type; *c; c++)
        *c = g_ascii_tolower (*c);
    }
  return TRUE;
}

static gboolean
is_header (const char * const *fields)
{
  static const char * const names[] = {
    "subject", "subject_type", "predicate", "object", "object_type"
  };

  for (guint i = 0; i < 5; i++)
    if (g_ascii_strcasecmp (fields[i], names[i]) != 0)
      return FALSE;
  return TRUE;
}

/* Entities met before in a file, by type and name as written, so that a
 * hub named on 10,000 lines is looked up in the store once. A 500,000
 * line file asks a million times; with GHashTable each answer waited on
 * memory three times (hashes, keys, the key's text). Here a slot holds a
 * tag of the hash and where its entry is, the entry holds the id beside
 * the text, and the hash comes from the worker that cleaned the line, so
 * the slots of lines ahead are fetched while this one is stored. */
typedef struct {
  gint64  id;
  guint32 type_len;
  guint32 name_len;
  char    key[];      /* the type, then the name */
} KnownEntry;

typedef struct {
  guint64 *slots;     /* tag (hash >> 32) << 32 | (entry offset / 8 + 1); 0 is empty */
  guint    mask;
  guint    len;
  GString *arena;     /* of KnownEntry, each at a multiple of 8 bytes */
} KnownTable;

static guint64
known_hash (const char *type,
            gsize       type_len,
            const char *name,
            gsize       name_len)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);  /* FNV-1a */

  for (gsize i = 0; i < type_len; i++)
    h = (h ^ (guchar) type[i]) * G_GUINT64_CONSTANT (0x100000001b3);
  h = (h ^ 0xff) * G_GUINT64_CONSTANT (0x100000001b3);  /* never a byte of UTF-8 */
  for (gsize i = 0; i < name_len; i++)
    h = (h ^ (guchar) name[i]) * G_GUINT64_CONSTANT (0x100000001b3);
  /* FNV's low bits, which pick the slot, are its weakest. */
  h = (h ^ (h >> 32)) * G_GUINT64_CONSTANT (0xd6e8feb86659fd93);
  return h ^ (h >> 32);
}

static void
known_table_init (KnownTable *table)
{
  table->mask = 1023;
  table->slots = g_new0 (guint64, table->mask + 1);
  table->len = 0;
  table->arena = g_string_new (NULL);
}

static void
known_table_clear (KnownTable *table)
{
  g_clear_pointer (&table->slots, g_free);
  if (table->arena != NULL)
    g_string_free (g_steal_pointer (&table->arena), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KnownTable, known_table_clear)

static inline const KnownEntry *
known_entry (const KnownTable *table,
             guint64           slot)
{
  return (const KnownEntry *) (void *) (table->arena->str + ((gsize) (guint32) slot - 1) * 8);
}

/* The entry of @type and @name, else NULL and in @out_slot where it goes. */
static const KnownEntry *
known_table_lookup (const KnownTable *table,
                    guint64           hash,
                    const char       *type,
                    gsize             type_len,
                    const char       *name,
                    gsize             name_len,
                    guint            *out_slot)
{
  guint32 tag = (guint32) (hash >> 32);
  guint slot = (guint) hash & table->mask;

  for (; table->slots[slot] != 0; slot = (slot + 1) & table->mask)
    if ((guint32) (table->slots[slot] >> 32) == tag)
      {
        const KnownEntry *entry = known_entry (table, table->slots[slot]);

        if (entry->type_len == type_len && entry->name_len == name_len &&
            memcmp (entry->key, type, type_len) == 0 &&
            memcmp (entry->key + type_len, name, name_len) == 0)
          return entry;
      }
  *out_slot = slot;
  return NULL;
}

static void
known_table_insert (KnownTable *table,
                    guint       slot,
                    guint64     hash,
                    const char *type,
                    gsize       type_len,
                    const char *name,
                    gsize       name_len,
                    gint64      id)
{
  KnownEntry head = { .id = id, .type_len = (guint32) type_len, .name_len = (guint32) name_len };
  gsize offset = table->arena->len;

  g_assert (offset % 8 == 0 && offset / 8 < G_MAXUINT32 - 1);
  g_assert (table->slots[slot] == 0);
  g_string_append_len (table->arena, (const char *) &head, sizeof head);
  g_string_append_len (table->arena, type, type_len);
  g_string_append_len (table->arena, name, name_len);
  g_string_set_size (table->arena, (table->arena->len + 7) & ~(gsize) 7);
  table->slots[slot] = (hash >> 32) << 32 | (offset / 8 + 1);
  table->len++;

  /* At most half full, so runs stay short. */
  if (table->len * 2 > table->mask)
    {
      g_autofree guint64 *old = table->slots;
      guint old_mask = table->mask;

      table->mask = table->mask * 2 + 1;
      table->slots = g_new0 (guint64, table->mask + 1);
      for (guint i = 0; i <= old_mask; i++)
        if (old[i] != 0)
          {
            const KnownEntry *entry = known_entry (table, old[i]);
            guint to = (guint) known_hash (entry->key, entry->type_len, entry->key + entry->type_len,
                                           entry->name_len) & table->mask;

            while (table->slots[to] != 0)
              to = (to + 1) & table->mask;
            table->slots[to] = old[i];
          }
    }
}

/* A file of triples is read in blocks of whole lines, cleaned (UTF-8,
 * NFC, spaces, types) by worker threads and handed in file order to the
 * caller's thread, which alone touches the store: on two cores the
 * cleaning runs beside the lookups and the store's bookkeeping instead of
 * before them. */
#define TSV_BLOCK_BYTES (1024 * 1024)
/* Blocks cleaned ahead of the one being stored, at most: bounds what a
 * file of any size holds in memory at once. */
#define TSV_BLOCKS_AHEAD 8

typedef struct {
  guint64 hashes[2];  /* known_hash() of the subject and of the object */
  guint32 line;       /* in the block, from 0 */
  guint32 fields[5];  /* offsets in the block's arena */
  guint16 lengths[5]; /* of the fields; names are at most SVYAZ_TEXT_NAME_MAX */
} TsvLine;

typedef struct {
  const char *start;
  const char *end;
  GString    *arena;       /* the cleaned fields, each ending with a NUL */
  GArray     *lines;       /* of TsvLine: data lines, not blank or comment */
  guint32     n_lines;     /* every line in the block */
  GError     *error;       /* the first bad line; the block stops there */
  guint32     error_line;
  gboolean    ready;
} TsvBlock;

typedef struct {
  const char *text;
  TsvBlock   *blocks;
  guint       n_blocks;
  guint       next;        /* the next block to clean */
  guint       stored;      /* blocks the caller is done with */
  gboolean    stop;
  GMutex      lock;
  GCond       cond;
  GThread    *workers[4];
} TsvReader;

static void
tsv_block_clear (TsvBlock *block)
{
  if (block->arena != NULL)
    g_string_free (g_steal_pointer (&block->arena), TRUE);
  g_clear_pointer (&block->lines, g_array_unref);
  g_clear_error (&block->error);
}

static void
clean_block (const TsvReader *reader,
             TsvBlock        *block)
{
  const char *bad = NULL;
  guint32 line = 0;

  if (g_utf8_validate_len (block->start, block->end - block->start, &bad))
    bad = NULL;
  block->arena = g_string_sized_new (block->end - block->start + 64);
  block->lines = g_array_new (FALSE, FALSE, sizeof (TsvLine));
  for (const char *p = block->start; p < block->end; line++)
    {
      const char *nl = memchr (p, '\n', block->end - p);
      const char *line_end = nl ? nl : block->end;
      gsize len = line_end - p;
      TsvLine parsed = { .line = line };

      if (bad != NULL && bad < line_end)
        {
          g_set_error (&block->error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE,
                       "invalid UTF-8 at byte offset %" G_GSIZE_FORMAT, (gsize) (bad - reader->text));
          block->error_line = line;
          break;
        }
      if (len > 0 && p[len - 1] == '\r')
        len--;
      if (len > 0 && p[0] != '#')
        {
          const char *arena;

          if (!parse_tsv_line (p, len, block->arena, parsed.fields, parsed.lengths, &block->error))
            {
              block->error_line = line;
              break;
            }
          arena = block->arena->str;
          for (guint e = 0; e < 2; e++)
            parsed.hashes[e] = known_hash (arena + parsed.fields[3 * e + 1], parsed.lengths[3 * e + 1],
                                           arena + parsed.fields[3 * e], parsed.lengths[3 * e]);
          g_array_append_val (block->lines, parsed);
        }
      p = line_end + 1;
    }
  block->n_lines = line;
}

static gpointer
tsv_worker_cb (gpointer data)
{
  TsvReader *reader = data;

  g_mutex_lock (&reader->lock);
  while (TRUE)
    {
      TsvBlock *block;

      while (!reader->stop && reader->next < reader->n_blocks &&
             reader->next >= reader->stored + TSV_BLOCKS_AHEAD)
        g_cond_wait (&reader->cond, &reader->lock);
      if (reader->stop || reader->next >= reader->n_blocks)
        break;
      block = &reader->blocks[reader->next++];
      g_mutex_unlock (&reader->lock);
      clean_block (reader, block);
      g_mutex_lock (&reader->lock);
      block->ready = TRUE;
      g_cond_broadcast (&reader->cond);
    }
  g_mutex_unlock (&reader->lock);
  return NULL;
}

static TsvReader *
tsv_reader_new (const char *text,
                gsize       len)
{
  TsvReader *reader = g_new0 (TsvReader, 1);
  const char *end = text + len;
  guint capacity = 0, n_workers;

  reader->text = text;
  g_mutex_init (&reader->lock);
  g_cond_init (&reader->cond);
  for (const char *p = text; p < end; )
    {
      const char *cut = end - p > TSV_BLOCK_BYTES ? memchr (p + TSV_BLOCK_BYTES, '\n', end - p - TSV_BLOCK_BYTES) : NULL;
      const char *block_end = cut ? cut + 1 : end;

      if (reader->n_blocks == capacity)
        {
          capacity = MAX (capacity * 2, 8);
          reader->blocks = g_renew (TsvBlock, reader->blocks, capacity);
        }
      reader->blocks[reader->n_blocks++] = (TsvBlock) { .start = p, .end = block_end };
      p = block_end;
    }
  n_workers = MIN (reader->n_blocks, (guint) CLAMP (g_get_num_processors (), 1, (int) G_N_ELEMENTS (reader->workers)));
  for (guint i = 0; i < n_workers; i++)
    reader->workers[i] = g_thread_new ("svyaz-tsv", tsv_worker_cb, reader);
  return reader;
}

/* Block @i, once cleaned. */
static TsvBlock *
tsv_reader_wait (TsvReader *reader,
                 guint      i)
{
  g_assert (i < reader->n_blocks);
  g_mutex_lock (&reader->lock);
  while (!reader->blocks[i].ready)
    g_cond_wait (&reader->cond, &reader->lock);
  g_mutex_unlock (&reader->lock);
  return &reader->blocks[i];
}

/* The caller is done with block @i: its memory goes to the blocks ahead. */
static void
tsv_reader_release (TsvReader *reader,
                    guint      i)
{
  tsv_block_clear (&reader->blocks[i]);
  g_mutex_lock (&reader->lock);
  reader->stored = i + 1;
  g_cond_broadcast (&reader->cond);
  g_mutex_unlock (&reader->lock);
}

static void
tsv_reader_free (TsvReader *reader)
{
  g_mutex_lock (&reader->lock);
  reader->stop = TRUE;
  g_cond_broadcast (&reader->cond);
  g_mutex_unlock (&reader->lock);
  for (guint i = 0; i < G_N_ELEMENTS (reader->workers); i++)
    if (reader->workers[i] != NULL)
      g_thread_join (reader->workers[i]);
  for (guint i = 0; i < reader->n_blocks; i++)
    tsv_block_clear (&reader->blocks[i]);
  g_mutex_clear (&reader->lock);
  g_cond_clear (&reader->cond);
  g_free (reader->blocks);
  g_free (reader);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsvReader, tsv_reader_free)

/* The id of the subject (@end 0) or the object (@end 1) of @line. */
static gboolean
known_entity (SvyazStore     *store,
              KnownTable     *known,
              const char     *arena,
              const TsvLine  *line,
              guint           end,
              gint64         *out_id,
              gboolean       *out_created,
              GError        **error)
{
  const char *name = arena + line->fields[3 * end];
  const char *type = arena + line->fields[3 * end + 1];
  gsize name_len = line->lengths[3 * end];
  gsize type_len = line->lengths[3 * end + 1];
  const KnownEntry *entry;
  guint slot = 0;

  entry = known_table_lookup (known, line->hashes[end], type, type_len, name, name_len, &slot);
  if (entry != NULL)
    {
      *out_id = entry->id;
      *out_created = FALSE;
      return TRUE;
    }
  if (!svyaz_store_ensure_entity (store, name, type, NULL, out_id, out_created, error))
    return FALSE;
  known_table_insert (known, slot, line->hashes[end], type, type_len, name, name_len, *out_id);
  return TRUE;
}

/* Adds one cleaned line's relation and its two entities. */
static gboolean
store_tsv_line (SvyazStore      *store,
                KnownTable      *known,
                const char      *arena,
                const TsvLine   *line,
                SvyazTsvReport  *counts,
                GError         **error)
{
  gint64 subject_id = 0, object_id = 0;
  gboolean subject_new = FALSE, object_new = FALSE, added = FALSE;
  SvyazRelationInput input = {
    .predicate = arena + line->fields[2],
    .evidence_start = -1,
    .evidence_end = -1,
    .confidence = 1.0,
    .rule = "import-tsv",
  };

  if (!known_entity (store, known, arena, line, 0, &subject_id, &subject_new, error) ||
      !known_entity (store, known, arena, line, 1, &object_id, &object_new, error))
    return FALSE;
  input.subject_id = subject_id;
  input.object_id = object_id;
  if (!svyaz_store_add_relation (store, &input, &added, error))
    return FALSE;
  counts->entities_added += (subject_new ? 1 : 0) + (object_new ? 1 : 0);
  if (added)
    counts->relations_added++;
  else
    counts->relations_duplicate++;
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
  g_auto(KnownTable) known = { NULL };
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(TsvReader) reader = NULL;  /* after mapped: joined before it is unmapped */
  SvyazTsvReport counts = { 0 };
  const char *text;
  guint64 first_line = 1;
  gsize len;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  mapped = map_regular_file (path, error);
  if (mapped == NULL)
    return FALSE;
  text = mapped_text (mapped, &len);
  known_table_init (&known);
  reader = tsv_reader_new (text, len);

  /* A large file is loaded with the secondary indexes and the name index
   * rebuilt once at the end rather than updated line by line. */
  if (len >= BULK_BYTES ? !svyaz_store_bulk_begin (store, error) : !svyaz_store_begin (store, error))
    {
      svyaz_store_rollback (store);
      return FALSE;
    }

  for (guint b = 0; b < reader->n_blocks; b++)
    {
      g_autoptr(GError) local_error = NULL;
      TsvBlock *block;
      guint64 bad_line = 0;

      if (cancelled (progress, error))
        {
          svyaz_store_rollback (store);
          return FALSE;
        }
      report_progress (progress, (double) (reader->blocks[b].start - text) / len, NULL);
      block = tsv_reader_wait (reader, b);
      for (guint i = 0; i < block->lines->len && bad_line == 0; i++)
        {
          const TsvLine *line = &g_array_index (block->lines, TsvLine, i);
          const char *arena = block->arena->str;

          /* Slots eight lines ahead, and the entries their slots name
           * four lines ahead, when the first one probed is taken. */
          if (i + 8 < block->lines->len)
            for (guint e = 0; e < 2; e++)
              SVYAZ_PREFETCH (&known.slots[(guint) line[8].hashes[e] & known.mask]);
          if (i + 4 < block->lines->len)
            for (guint e = 0; e < 2; e++)
              {
                guint64 slot = known.slots[(guint) line[4].hashes[e] & known.mask];

                if (slot != 0)
                  SVYAZ_PREFETCH (known_entry (&known, slot));
              }
          if (counts.lines == 0)
            {
              const char *fields[5];

              for (guint k = 0; k < 5; k++)
                fields[k] = arena + line->fields[k];
              if (is_header (fields))
                continue;  /* the header is not data */
            }
          counts.lines++;
          if (!store_tsv_line (store, &known, arena, line, &counts, &local_error))
            bad_line = first_line + line->line;
        }
      if (bad_line == 0 && block->error != NULL)
        {
          local_error = g_steal_pointer (&block->error);
          bad_line = first_line + block->error_line;
        }
      if (bad_line != 0)
        {
          svyaz_store_rollback (store);
          g_set_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE,
                       "%s:%" G_GUINT64_FORMAT ": %s; nothing was imported",
                       path, bad_line, local_error->message);
          return FALSE;
        }
      first_line += block->n_lines;
      tsv_reader_release (reader, b);
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

/* test-import.c: text documents, the bundled corpus and TSV triples go in
 * whole or not at all. */
#include "svyaz-import.h"
#include "svyaz-open.h"
#include "svyaz-text.h"
#include "test-util.h"

#include <string.h>
#include <sys/stat.h>

typedef struct {
  char       *dir;
  SvyazStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = test_make_tmpdir ();
  path = g_build_filename (f->dir, "test.db", NULL);
  f->store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  test_rm_rf (f->dir);
  g_free (f->dir);
}

static SvyazStats *
stats (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SvyazStats *s = svyaz_store_get_stats (f->store, &error);

  g_assert_no_error (error);
  return s;
}

static void
test_tsv_good (Fixture *f, gconstpointer data)
{
  g_autofree char *path = test_write_file (f->dir, "g.tsv",
    "subject\tsubject_type\tpredicate\tobject\tobject_type\r\n"
    "# a comment\n"
    "\n"
    "МАЗ\tcompany\tassembles_in\tКазахстан\tcountry\r\n"
    "БелАЗ\tCompany\tassembles_in\tКазахстан\tcountry\n"
    "маз\tcompany\tassembles_in\tказахстан\tcountry\n"
    "Лукашенко\tperson\tmet_with\tНазарбаев\tperson", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStats) s = NULL;
  g_autoptr(GPtrArray) rel = NULL;
  SvyazTsvReport report = { 0 };

  g_assert_true (svyaz_import_tsv (f->store, path, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.lines, ==, 4);
  g_assert_cmpuint (report.entities_added, ==, 5);
  g_assert_cmpuint (report.relations_added, ==, 3);
  g_assert_cmpuint (report.relations_duplicate, ==, 1);

  s = stats (f);
  g_assert_cmpint (s->entities, ==, 5);
  g_assert_cmpint (s->relations, ==, 3);

  rel = svyaz_store_list_relations (f->store,
                                    &(SvyazRelationQuery) { .entity = "Казахстан",
                                                            .predicate = "assembles_in" },
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rel->len, ==, 2);
  g_assert_cmpstr (((SvyazRelation *) g_ptr_array_index (rel, 0))->subject_type, ==, "company");
  g_assert_cmpstr (((SvyazRelation *) g_ptr_array_index (rel, 0))->rule, ==, "import-tsv");

  /* Importing the same file again adds nothing. */
  g_assert_true (svyaz_import_tsv (f->store, path, &report, NULL, &error));
  g_assert_cmpuint (report.relations_added, ==, 0);
  g_assert_cmpuint (report.entities_added, ==, 0);
  g_assert_cmpuint (report.relations_duplicate, ==, 4);
}

static void
assert_tsv_rejected (Fixture *f, const char *contents, gssize len, const char *message)
{
  g_autofree char *path = test_write_file (f->dir, "bad.tsv", contents, len);
  g_autofree char *expected = g_strconcat (path, message, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStats) s = NULL;

  g_assert_false (svyaz_import_tsv (f->store, path, NULL, NULL, &error));
  g_assert_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE);
  if (!g_str_has_prefix (error->message, expected))
    g_error ("expected \"%s…\", got \"%s\"", expected, error->message);

  s = stats (f);
  g_assert_cmpint (s->entities, ==, 0);
  g_assert_cmpint (s->relations, ==, 0);
}

static void
test_tsv_bad_line_rolls_back (Fixture *f, gconstpointer data)
{
  static const char nul_tsv[] = "A\tperson\tknows\tB\tperson\nA\0\tperson\tknows\tB\tperson\n";

  assert_tsv_rejected (f,
                       "A\tperson\tknows\tB\tperson\n"
                       "C\tperson\tknows\tD\tperson\n"
                       "E\tperson\tknows\n",
                       -1, ":3: expected 5 tab-separated fields");
  assert_tsv_rejected (f, "A\tperson\tknows\tB\tperson\n\t\t\t\t\n", -1, ":2: subject is empty");
  assert_tsv_rejected (f, "A\tperson\tknows\tB\tperson\nA\tpers on\tknows\tB\tperson\n", -1,
                       ":2: type \"pers on\" must be");
  assert_tsv_rejected (f, "A\tperson\tknows\tB\tperson\nA\xff\tperson\tknows\tB\tperson\n", -1,
                       ":2: invalid UTF-8 at byte offset 25");
  assert_tsv_rejected (f, nul_tsv, sizeof nul_tsv - 1, ":2: invalid UTF-8 at byte offset 25");
}

/* Whether the store refuses a relation to an entity that does not exist,
 * as it must outside a bulk load. */
static void
assert_foreign_keys_checked (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SvyazRelationInput r = { .subject_id = 1, .object_id = 987654321, .predicate = "knows",
                           .evidence_start = -1, .confidence = 1.0 };

  g_assert_true (svyaz_store_begin (f->store, &error));
  g_assert_false (svyaz_store_add_relation (f->store, &r, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "FOREIGN KEY"));
  svyaz_store_rollback (f->store);
}

/* A file past the bulk size loads without the secondary indexes and the
 * foreign key checks, and leaves both as they were, kept or rolled back. */
static void
test_tsv_bulk (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStats) s = NULL;
  g_autoptr(GPtrArray) rel = NULL;
  SvyazTsvReport report = { 0 };
  guint lines = 0;

  while (text->len < 4 * 1024 * 1024 + 1024)
    {
      g_string_append_printf (text, "Entity number %u of the bulk test\tperson\tknows\t"
                              "Entity number %u of the bulk test\tcompany\n", lines % 5000, lines % 3000);
      lines++;
    }
  path = test_write_file (f->dir, "bulk.tsv", text->str, (gssize) text->len);
  g_assert_true (svyaz_import_tsv (f->store, path, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.lines, ==, lines);
  g_assert_cmpuint (report.entities_added, ==, 5000 + 3000);
  g_assert_cmpuint (report.relations_added + report.relations_duplicate, ==, lines);
  g_assert_cmpuint (report.relations_duplicate, >, 0);
  s = stats (f);
  g_assert_cmpint (s->relations, ==, report.relations_added);
  /* The name index was rebuilt: an entity is found by a word of it. */
  rel = svyaz_store_list_relations (f->store, &(SvyazRelationQuery) { .entity = "Entity number 4999 of the bulk test" },
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rel->len, >, 0);
  assert_foreign_keys_checked (f);

  /* The same file with a bad last line: nothing more, checks back on. */
  g_string_append (text, "A\tperson\tknows\n");
  g_free (path);
  path = test_write_file (f->dir, "bulk-bad.tsv", text->str, (gssize) text->len);
  g_assert_false (svyaz_import_tsv (f->store, path, NULL, NULL, &error));
  g_assert_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_PARSE);
  g_clear_pointer (&s, svyaz_stats_free);
  s = stats (f);
  g_assert_cmpint (s->relations, ==, report.relations_added);
  assert_foreign_keys_checked (f);
}

static void
cancel_at_second_report_cb (double      fraction,
                            const char *what,
                            gpointer    user_data)
{
  GCancellable *cancellable = user_data;

  if (fraction > 0)
    g_cancellable_cancel (cancellable);
}

/* A file of many blocks (cleaned by worker threads, stored in file
 * order): lines are numbered and cleaned across block ends, the first
 * bad line in the file is the one reported, whatever block a worker
 * finished first, and a cancelled import stops its workers and keeps
 * nothing. */
static void
test_tsv_blocks (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) text = g_string_new ("subject\tsubject_type\tpredicate\tobject\tobject_type\r\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  SvyazImportProgress progress = { cancel_at_second_report_cb, cancellable, cancellable };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStats) s = NULL;
  g_autoptr(GPtrArray) rel = NULL;
  g_autofree char *path = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *expected = NULL;
  SvyazTsvReport report = { 0 };
  guint line = 1, data_lines = 0, parse_error_line, utf8_line;
  gsize utf8_offset = 0;

  /* 6 MB: a comment, a blank line and a name to clean every 1,000. */
  while (text->len < 6 * 1024 * 1024)
    {
      line++;
      if (line % 1000 == 0)
        g_string_append (text, "# a comment\n");
      else if (line % 1000 == 1)
        g_string_append (text, "\n");
      else
        {
          g_string_append_printf (text, "%s Person %u\tPERSON\tmet_with\tCity  %u\tcity\r\n",
                                  line % 1000 == 2 ? "  Cafe\xcc\x81" : "Café", line % 7919, line % 2003);
          data_lines++;
        }
    }
  g_string_append (text, "Café Person 1\tperson\tmet_with\tЗдесь конец\tcity");
  data_lines++;
  line++;
  path = test_write_file (f->dir, "blocks.tsv", text->str, (gssize) text->len);
  g_assert_true (svyaz_import_tsv (f->store, path, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.lines, ==, data_lines);
  g_assert_cmpuint (report.entities_added, ==, 7919 + 2003 + 1);
  g_assert_cmpuint (report.relations_added + report.relations_duplicate, ==, data_lines);
  s = stats (f);
  g_assert_cmpint (s->entities, ==, 7919 + 2003 + 1);
  /* NFD and spaces cleaned into the same names; the last line stored. */
  rel = svyaz_store_list_relations (f->store, &(SvyazRelationQuery) { .entity = "Здесь конец" }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rel->len, ==, 1);
  g_assert_cmpstr (((SvyazRelation *) g_ptr_array_index (rel, 0))->subject, ==, "Café Person 1");
  g_assert_cmpstr (((SvyazRelation *) g_ptr_array_index (rel, 0))->subject_type, ==, "person");

  /* A short line in the second megabyte and invalid UTF-8 in the fifth:
   * the short line is reported, then, once mended, the invalid byte. */
  parse_error_line = 1 + (guint) (2 * 1024 * 1024 / 50);
  utf8_line = 1 + (guint) (5 * 1024 * 1024 / 50);
  g_string_truncate (text, 0);
  for (guint i = 1; i <= utf8_line + 1000; i++)
    {
      gsize start = text->len;

      if (i == parse_error_line)
        g_string_append (text, "A\tperson\tmet_with\n");
      else if (i == utf8_line)
        {
          utf8_offset = start + 3;
          g_string_append (text, "Bad\xff\tperson\tmet_with\tB\tperson\n");
        }
      else
        g_string_append_printf (text, "Person %07u\tperson\tmet_with\tB %05u\tcity\n", i, i % 10000);
    }
  bad = test_write_file (f->dir, "blocks-bad.tsv", text->str, (gssize) text->len);
  g_assert_false (svyaz_import_tsv (f->store, bad, NULL, NULL, &error));
  expected = g_strdup_printf ("%s:%u: expected 5 tab-separated fields", bad, parse_error_line);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);
  g_clear_pointer (&bad, g_free);
  g_clear_pointer (&expected, g_free);
  g_string_replace (text, "A\tperson\tmet_with\n", "A\tperson\tmet_with\tB\tperson\n", 1);
  utf8_offset += strlen ("\tB\tperson");
  bad = test_write_file (f->dir, "blocks-bad.tsv", text->str, (gssize) text->len);
  g_assert_false (svyaz_import_tsv (f->store, bad, NULL, NULL, &error));
  expected = g_strdup_printf ("%s:%u: invalid UTF-8 at byte offset %" G_GSIZE_FORMAT "; nothing was imported",
                              bad, utf8_line, utf8_offset);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* Cancelled at the second block: nothing more kept. */
  g_assert_false (svyaz_import_tsv (f->store, path, NULL, &progress, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_pointer (&s, svyaz_stats_free);
  s = stats (f);
  g_assert_cmpint (s->entities, ==, 7919 + 2003 + 1);
}

static void
test_tsv_not_a_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fifo = g_build_filename (f->dir, "fifo", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.tsv", NULL);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_false (svyaz_import_tsv (f->store, fifo, NULL, NULL, &error));
  g_assert_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_READ);
  g_clear_error (&error);
  g_assert_false (svyaz_import_tsv (f->store, f->dir, NULL, NULL, &error));
  g_assert_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_READ);
  g_clear_error (&error);
  g_assert_false (svyaz_import_tsv (f->store, missing, NULL, NULL, &error));
  g_assert_error (error, SVYAZ_IMPORT_ERROR, SVYAZ_IMPORT_ERROR_READ);
}

static void
test_text_files (Fixture *f, gconstpointer data)
{
  g_autofree char *a = test_write_file (f->dir, "a.txt", "Минск и Астана\n\nТекст новости.", -1);
  g_autofree char *b = test_write_file (f->dir, "b.txt", "Berlin and Paris\nNews text.", -1);
  g_autofree char *bad = test_write_file (f->dir, "bad.txt", "ok \xd0", -1);
  const char *both[] = { a, b, NULL };
  const char *with_bad[] = { a, bad, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(SvyazStats) s = NULL;
  SvyazImportedDocument *d;

  /* One bad file: nothing at all is stored. */
  g_assert_null (svyaz_import_text_files (f->store, with_bad, NULL, NULL, NULL, &error));
  g_assert_error (error, SVYAZ_TEXT_ERROR, SVYAZ_TEXT_ERROR_INVALID_UTF8);
  g_assert_true (g_str_has_suffix (error->message, "bad.txt: invalid UTF-8 at byte offset 3"));
  g_clear_error (&error);
  g_assert_true (svyaz_store_is_empty (f->store));

  docs = svyaz_import_text_files (f->store, both, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docs->len, ==, 2);
  d = g_ptr_array_index (docs, 0);
  g_assert_true (d->added);
  g_assert_cmpstr (d->title, ==, "Минск и Астана");
  g_clear_pointer (&docs, g_ptr_array_unref);

  docs = svyaz_import_text_files (f->store, both, "auto", NULL, NULL, &error);
  g_assert_false (((SvyazImportedDocument *) g_ptr_array_index (docs, 0))->added);
  g_assert_false (((SvyazImportedDocument *) g_ptr_array_index (docs, 1))->added);

  listed = svyaz_store_list_documents (f->store, &error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (((SvyazDocument *) g_ptr_array_index (listed, 0))->lang, ==, "ru");
  g_assert_cmpstr (((SvyazDocument *) g_ptr_array_index (listed, 1))->lang, ==, "en");
  g_assert_cmpuint (((SvyazDocument *) g_ptr_array_index (listed, 1))->length, ==,
                    strlen ("Berlin and Paris\nNews text."));
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* Full-text search over the documents, any case. */
  listed = svyaz_store_search_documents (f->store, "астана", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((SvyazDocument *) g_ptr_array_index (listed, 0))->title, ==, "Минск и Астана");
}

static void
test_bundled_corpus (Fixture *f, gconstpointer data)
{
  g_autofree char *data_dir = svyaz_find_data_dir ();
  g_autofree char *corpus = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  SvyazImportedDocument *d;

  g_assert_nonnull (data_dir);
  corpus = g_build_filename (data_dir, "corpus", NULL);
  docs = svyaz_import_corpus (f->store, corpus, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docs->len, >=, 1);
  d = g_ptr_array_index (docs, 0);
  g_assert_true (d->added);
  g_assert_cmpstr (d->title, ==,
                   "Беларусь готова стать для Казахстана «западными воротами» на пути в Европу");

  hits = svyaz_store_search_documents (f->store, "КазМунайГаз", 0, &error);
  g_assert_cmpuint (hits->len, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/import/tsv/good", test_tsv_good);
  ADD ("/import/tsv/bulk", test_tsv_bulk);
  ADD ("/import/tsv/bad-line-rolls-back", test_tsv_bad_line_rolls_back);
  ADD ("/import/tsv/blocks", test_tsv_blocks);
  ADD ("/import/tsv/not-a-file", test_tsv_not_a_file);
  ADD ("/import/text-files", test_text_files);
  ADD ("/import/bundled-corpus", test_bundled_corpus);
#undef ADD
  return g_test_run ();
}

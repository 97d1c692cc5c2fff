/* svyaz-cli.c: the headless front end, `svyaz-cli [--db FILE] COMMAND …`.
 *
 * Each subcommand is a small function over the core library. Exit codes
 * are a contract for scripts: 0 success, 1 a user error (one line on
 * stderr naming the file and what is wrong), 2 a usage error. Listings
 * print aligned text, or with --json one JSON document built by json-glib.
 */
#include "svyaz-config.h"
#include "svyaz-analysis.h"
#include "svyaz-cli-bench.h"
#include "svyaz-export.h"
#include "svyaz-extract.h"
#include "svyaz-generate.h"
#include "svyaz-graph.h"
#include "svyaz-import.h"
#include "svyaz-layout.h"
#include "svyaz-open.h"
#include "svyaz-search.h"
#include "svyaz-store.h"
#include "svyaz-text.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
  EXIT_OK = 0,
  EXIT_USER = 1,
  EXIT_USAGE = 2,
};

typedef struct {
  const char *name;
  const char *args;
  const char *summary;
  int (*run) (int argc, char **argv);
} Command;

/* Options every subcommand shares. */
static char *opt_db;
static gboolean opt_json;

static const GOptionEntry db_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db,
    "Database file (default: $SVYAZ_DB or ~/.local/share/svyaz/svyaz.db)", "FILE" },
  { NULL }
};

static const GOptionEntry json_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print one JSON document", NULL },
  { NULL }
};

/* Section: helpers */

static int
fail (GError *error)
{
  /* A progress line, if one was drawn, gives way to the message. */
  if (isatty (STDERR_FILENO))
    g_printerr ("\r\033[K");
  g_printerr ("svyaz-cli: %s\n", error->message);
  return EXIT_USER;
}

static int
usage_error (const char *command,
             const char *message)
{
  g_printerr ("svyaz-cli %s: %s\nTry 'svyaz-cli %s --help'.\n",
              command, message, command);
  return EXIT_USAGE;
}

/* Parses a subcommand's options; returns -1 on success, else an exit code. */
static int
parse_options (const char          *command,
               const char          *params,
               const char          *summary,
               const GOptionEntry  *entries,
               gboolean             with_json,
               int                 *argc,
               char              ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strdup_printf ("%s%s%s", command, *params ? " " : "", params);

  context = g_option_context_new (title);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, db_entries, NULL);
  if (with_json)
    g_option_context_add_main_entries (context, json_entries, NULL);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    return usage_error (command, error->message);
  return -1;
}

static SvyazStore *
open_store (SvyazOpenFlags flags,
            GError       **error)
{
  return svyaz_open_user_store (opt_db, flags, NULL, error);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
json_add_string (JsonBuilder *builder,
                 const char  *member,
                 const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
json_add_int (JsonBuilder *builder,
              const char  *member,
              gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
json_add_entity (JsonBuilder *builder,
                 SvyazEntity *e)
{
  json_builder_begin_object (builder);
  json_add_int (builder, "id", e->id);
  json_add_string (builder, "name", e->name);
  json_add_string (builder, "type", e->type);
  json_add_string (builder, "description", e->description);
  json_add_int (builder, "degree", e->degree);
  json_builder_end_object (builder);
}

static void
json_add_relation (JsonBuilder   *builder,
                   SvyazRelation *r)
{
  json_builder_begin_object (builder);
  json_add_int (builder, "id", r->id);
  json_builder_set_member_name (builder, "subject");
  json_builder_begin_object (builder);
  json_add_int (builder, "id", r->subject_id);
  json_add_string (builder, "name", r->subject);
  json_add_string (builder, "type", r->subject_type);
  json_builder_end_object (builder);
  json_add_string (builder, "predicate", r->predicate);
  json_builder_set_member_name (builder, "object");
  json_builder_begin_object (builder);
  json_add_int (builder, "id", r->object_id);
  json_add_string (builder, "name", r->object);
  json_add_string (builder, "type", r->object_type);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, r->confidence);
  json_add_string (builder, "rule", r->rule);
  json_builder_set_member_name (builder, "cooccurrence");
  json_builder_add_boolean_value (builder, r->cooccurrence);
  json_builder_set_member_name (builder, "document");
  if (r->document_id > 0)
    {
      json_builder_begin_object (builder);
      json_add_int (builder, "id", r->document_id);
      json_add_string (builder, "title", r->document_title);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "evidence");
  if (r->evidence != NULL)
    {
      json_builder_begin_object (builder);
      json_add_string (builder, "text", r->evidence);
      json_add_int (builder, "start", r->evidence_start);
      json_add_int (builder, "end", r->evidence_end);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* printf's widths count bytes; names are mostly Cyrillic. */
static char *
pad (const char *text,
     guint       width)
{
  glong chars = g_utf8_strlen (text, -1);
  GString *out = g_string_new (text);

  for (glong i = chars; i < (glong) width; i++)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

/* Evidence may span lines; a listing shows it on one. */
static void
print_relation (SvyazRelation *r,
                const char    *indent)
{
  g_print ("%s%s —%s→ %s  [%.2f%s%s%s]\n", indent, r->subject, r->predicate, r->object,
           r->confidence, *r->rule ? ", " : "", r->rule,
           r->cooccurrence ? ", co-occurrence" : "");
  if (r->evidence != NULL)
    {
      g_autofree char *line = svyaz_text_clean_name (r->evidence, -1);
      g_print ("%s    «%s» (%s)\n", indent, line,
               r->document_title ? r->document_title : "unknown document");
    }
}

/* Long texts are extracted in segments; on a terminal, say how far. */
/* Section: progress on a terminal
 *
 * Long imports draw one line on stderr, redrawn in place, when stderr is
 * a terminal; piped or redirected, they stay quiet. Importing several
 * files, the extractor's progress within a file fills that file's share
 * of the bar. */

static struct {
  double  at;         /* where the current file's share starts */
  double  share;      /* of the whole bar, per file */
  char   *what;
} cli_progress = { 0, 1, NULL };

static void
draw_progress (double      fraction,
               const char *what)
{
  enum { WIDTH = 30 };
  char bar[WIDTH + 1];
  int filled = (int) (CLAMP (fraction, 0, 1) * WIDTH + 0.5);

  if (fraction >= 1)
    {
      g_printerr ("\r\033[K");
      return;
    }
  memset (bar, '#', filled);
  memset (bar + filled, '-', WIDTH - filled);
  bar[WIDTH] = '\0';
  g_printerr ("\r\033[K[%s] %3.0f%%%s%s", bar, 100 * fraction, what ? "  " : "", what ? what : "");
}

static void
import_progress_cb (double      fraction,
                    const char *what,
                    gpointer    user_data)
{
  g_free (cli_progress.what);
  cli_progress.what = what ? svyaz_text_ellipsize (what, 48) : NULL;
  cli_progress.at = fraction;
  draw_progress (fraction, cli_progress.what);
}

static void
extract_progress_cb (gsize    done,
                     gsize    total,
                     gpointer user_data)
{
  double within = total > 0 ? (double) done / total : 1;

  /* A file's end is not the import's: the commit is still to come. */
  draw_progress (MIN (cli_progress.at + cli_progress.share * within, 0.999), cli_progress.what);
}

/* The progress to hand an import: NULL when stderr is not a terminal. */
static const SvyazImportProgress *
terminal_progress (guint files)
{
  static SvyazImportProgress progress = { .func = import_progress_cb };

  if (!isatty (STDERR_FILENO))
    return NULL;
  cli_progress.at = 0;
  cli_progress.share = 1.0 / MAX (files, 1);
  return &progress;
}

static SvyazExtractor *
load_extractor (GError **error)
{
  g_autofree char *data_dir = svyaz_find_data_dir ();
  SvyazExtractor *extractor;

  if (data_dir == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "the data folder was not found (set SVYAZ_DATA_DIR)");
      return NULL;
    }
  extractor = svyaz_extractor_new (data_dir, error);
  if (extractor != NULL && isatty (STDERR_FILENO))
    svyaz_extractor_set_progress (extractor, extract_progress_cb, NULL);
  return extractor;
}

/* Section: commands */

static int
cmd_init (int argc, char **argv)
{
  static gboolean empty;
  static const GOptionEntry entries[] = {
    { "empty", 0, 0, G_OPTION_ARG_NONE, &empty, "Do not add the bundled corpus", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  guint seeded = 0;
  int rc;

  rc = parse_options ("init", "", "Create the database if it does not exist and, unless "
                      "--empty, fill an empty one from the bundled corpus.",
                      entries, FALSE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc > 1)
    return usage_error ("init", "takes no arguments");

  store = svyaz_open_user_store (opt_db,
                                 SVYAZ_OPEN_CREATE | (empty ? 0 : SVYAZ_OPEN_SEED_IF_EMPTY),
                                 &seeded, &error);
  if (store == NULL)
    return fail (error);

  g_print ("%s: ready (schema %d)", svyaz_store_get_path (store), SVYAZ_STORE_SCHEMA_VERSION);
  if (seeded > 0)
    g_print (", added %u bundled document%s", seeded, seeded == 1 ? "" : "s");
  g_print ("\n");
  return EXIT_OK;
}

static int
cmd_add (int argc, char **argv)
{
  static char *lang;
  static const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, "Language of the texts: ru, en or auto (default)", "LANG" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(SvyazExtractor) extractor = NULL;
  guint added = 0;
  int rc;

  rc = parse_options ("add", "FILE…", "Add UTF-8 text documents. A text already in the "
                      "database is skipped; if any file is unreadable or not UTF-8, nothing "
                      "is added.", entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc < 2)
    return usage_error ("add", "no files given");
  if (lang != NULL && !g_str_equal (lang, "ru") && !g_str_equal (lang, "en") &&
      !g_str_equal (lang, "auto"))
    return usage_error ("add", "--lang takes ru, en or auto");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  extractor = load_extractor (&error);
  if (extractor == NULL)
    return fail (error);
  docs = svyaz_import_text_files (store, (const char * const *) argv + 1, lang, extractor,
                                  terminal_progress (argc - 1), &error);
  if (docs == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < docs->len; i++)
        {
          SvyazImportedDocument *d = g_ptr_array_index (docs, i);

          json_builder_begin_object (builder);
          json_add_string (builder, "file", d->path);
          json_add_int (builder, "document", d->document_id);
          json_add_string (builder, "title", d->title);
          json_builder_set_member_name (builder, "added");
          json_builder_add_boolean_value (builder, d->added);
          json_add_int (builder, "entities", d->entities);
          json_add_int (builder, "relations", d->relations);
          json_add_int (builder, "cooccurrences", d->cooccurrences);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < docs->len; i++)
    {
      SvyazImportedDocument *d = g_ptr_array_index (docs, i);

      added += d->added ? 1 : 0;
      g_print ("%s: %s as document #%" G_GINT64_FORMAT " «%s»", d->path,
               d->added ? "added" : "already present", d->document_id, d->title);
      if (d->added)
        g_print (": %u entities, %u relations, %u co-occurrences", d->entities, d->relations,
                 d->cooccurrences);
      g_print ("\n");
    }
  g_print ("%u added, %u already present\n", added, docs->len - added);
  return EXIT_OK;
}

static int
cmd_search (int argc, char **argv)
{
  static int limit = 50;
  static const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most N sentences (default 50, 0 for all)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *text = NULL;
  int rc;

  rc = parse_options ("search", "WORDS…", "Sentences of the stored documents holding every word, "
                      "in any inflected form, with the entities they mention.",
                      entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc < 2)
    return usage_error ("search", "give the words to look for");
  if (limit < 0)
    return usage_error ("search", "--limit must not be negative");

  text = g_strjoinv (" ", argv + 1);
  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  hits = svyaz_search_sentences (store, text, (guint) limit, &error);
  if (hits == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < hits->len; i++)
        {
          SvyazSentenceHit *hit = g_ptr_array_index (hits, i);

          json_builder_begin_object (builder);
          json_add_int (builder, "document_id", hit->document_id);
          json_add_string (builder, "document", hit->document_title);
          json_add_int (builder, "start", hit->start);
          json_add_int (builder, "end", hit->end);
          json_add_string (builder, "sentence", hit->text);
          json_builder_set_member_name (builder, "entities");
          json_builder_begin_array (builder);
          for (guint e = 0; e < hit->entity_ids->len; e++)
            {
              json_builder_begin_object (builder);
              json_add_int (builder, "id", g_array_index (hit->entity_ids, gint64, e));
              json_add_string (builder, "name", g_ptr_array_index (hit->entity_names, e));
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < hits->len; i++)
    {
      SvyazSentenceHit *hit = g_ptr_array_index (hits, i);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint e = 0; e < hit->entity_names->len; e++)
        g_string_append_printf (names, "%s%s", e ? ", " : "", (char *) g_ptr_array_index (hit->entity_names, e));
      g_print ("«%s»\n    %s #%" G_GINT64_FORMAT " [%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT "]%s%s\n",
               hit->text, hit->document_title, hit->document_id, hit->start, hit->end,
               names->len ? " · " : "", names->str);
    }
  if (hits->len == 0)
    g_print ("no sentence holds every word of \"%s\"\n", text);
  return EXIT_OK;
}

static int
cmd_path (int argc, char **argv)
{
  static int k = 3;
  static gboolean cooccurrence;
  static const GOptionEntry entries[] = {
    { "k", 'k', 0, G_OPTION_ARG_INT, &k, "How many paths: the shortest and K-1 alternatives (default 3)", "K" },
    { "cooccurrence", 0, 0, G_OPTION_ARG_NONE, &cooccurrence, "Also walk co-occurrence edges", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(SvyazEntity) from = NULL;
  g_autoptr(SvyazEntity) to = NULL;
  g_autoptr(SvyazView) view = svyaz_view_new ();
  g_autoptr(GPtrArray) paths = NULL;
  int rc;

  rc = parse_options ("path", "FROM TO", "The shortest paths between two entities (names, aliases "
                      "or #IDs), with the relations and evidence along each.",
                      entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc != 3)
    return usage_error ("path", "give exactly two entities");
  if (k < 1 || k > 50)
    return usage_error ("path", "-k must be 1 to 50");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  from = svyaz_store_find_entity (store, argv[1], &error);
  if (from == NULL)
    return fail (error);
  to = svyaz_store_find_entity (store, argv[2], &error);
  if (to == NULL)
    return fail (error);
  view->cooccurrence = cooccurrence;
  paths = svyaz_find_paths (store, view, from->id, to->id, (guint) k, &error);
  if (paths == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < paths->len; i++)
        {
          SvyazPath *path = g_ptr_array_index (paths, i);

          json_builder_begin_object (builder);
          json_add_string (builder, "path", path->text);
          json_builder_set_member_name (builder, "entities");
          json_builder_begin_array (builder);
          for (guint e = 0; e < path->entity_ids->len; e++)
            json_builder_add_int_value (builder, g_array_index (path->entity_ids, gint64, e));
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "hops");
          json_builder_begin_array (builder);
          for (guint h = 0; h < path->hops->len; h++)
            {
              GPtrArray *hop = g_ptr_array_index (path->hops, h);

              json_builder_begin_array (builder);
              for (guint r = 0; r < hop->len; r++)
                json_add_relation (builder, g_ptr_array_index (hop, r));
              json_builder_end_array (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  if (paths->len == 0)
    {
      g_print ("no path between %s and %s within %d hops\n", from->name, to->name, SVYAZ_PATH_MAX_HOPS);
      return EXIT_OK;
    }
  for (guint i = 0; i < paths->len; i++)
    {
      SvyazPath *path = g_ptr_array_index (paths, i);

      g_print ("%u. %s  (%u hop%s)\n", i + 1, path->text, path->hops->len, path->hops->len == 1 ? "" : "s");
      for (guint h = 0; h < path->hops->len; h++)
        {
          GPtrArray *hop = g_ptr_array_index (path->hops, h);

          for (guint r = 0; r < hop->len; r++)
            print_relation (g_ptr_array_index (hop, r), "     ");
        }
    }
  return EXIT_OK;
}

typedef struct {
  const SvyazAnalysis *analysis;
  const double        *measure;
} RankBy;

static int
compare_rank (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const RankBy *by = user_data;
  guint x = *(const guint *) a, y = *(const guint *) b;

  if (by->measure[x] != by->measure[y])
    return by->measure[x] > by->measure[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* stats --centrality: the top entities of the whole graph by a measure. */
static int
print_centrality (SvyazStore  *store,
                  const char  *by_name,
                  int          top)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazGraph) graph = NULL;
  g_autoptr(SvyazAnalysis) analysis = NULL;
  g_autoptr(GArray) order = NULL;
  SvyazGraphQuery query = { 0 };
  RankBy by;

  graph = svyaz_graph_load (store, &query, &error);
  if (graph == NULL)
    return fail (error);
  analysis = svyaz_analysis_run (graph);
  by.analysis = analysis;
  by.measure = g_str_equal (by_name, "degree") ? analysis->degree
             : g_str_equal (by_name, "betweenness") ? analysis->betweenness : analysis->pagerank;
  order = g_array_sized_new (FALSE, FALSE, sizeof (guint), graph->nodes->len);
  for (guint i = 0; i < graph->nodes->len; i++)
    g_array_append_val (order, i);
  g_array_sort_with_data (order, compare_rank, &by);
  if (top > 0 && order->len > (guint) top)
    g_array_set_size (order, top);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_int (builder, "entities", graph->nodes->len);
      json_add_int (builder, "components", analysis->n_components);
      json_add_int (builder, "communities", analysis->n_communities);
      json_builder_set_member_name (builder, "modularity");
      json_builder_add_double_value (builder, analysis->modularity);
      json_builder_set_member_name (builder, "betweenness_sampled");
      json_builder_add_boolean_value (builder, analysis->sampled);
      json_builder_set_member_name (builder, "top");
      json_builder_begin_array (builder);
      for (guint r = 0; r < order->len; r++)
        {
          guint i = g_array_index (order, guint, r);
          SvyazNode *n = SVYAZ_NODE (graph, i);

          json_builder_begin_object (builder);
          json_add_int (builder, "id", n->entity_id);
          json_add_string (builder, "name", n->name);
          json_add_string (builder, "type", n->type);
          json_add_int (builder, "degree", (gint64) analysis->degree[i]);
          json_builder_set_member_name (builder, "betweenness");
          json_builder_add_double_value (builder, analysis->betweenness[i]);
          json_builder_set_member_name (builder, "pagerank");
          json_builder_add_double_value (builder, analysis->pagerank[i]);
          json_add_int (builder, "component", analysis->component[i]);
          json_add_int (builder, "community", analysis->community[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%u entities · %u connected components · %u communities (modularity %.3f)%s\n",
           graph->nodes->len, analysis->n_components, analysis->n_communities, analysis->modularity,
           analysis->sampled ? " · betweenness estimated from a sample" : "");
  g_print ("%4s  %-12s %6s %11s %9s %5s  %s\n", "RANK", "TYPE", "DEGREE", "BETWEENNESS",
           "PAGERANK", "COMM", "NAME");
  for (guint r = 0; r < order->len; r++)
    {
      guint i = g_array_index (order, guint, r);
      SvyazNode *n = SVYAZ_NODE (graph, i);

      g_print ("%4u  %-12s %6.0f %11.1f %9.5f %5u  %s\n", r + 1, n->type,
               analysis->degree[i], analysis->betweenness[i], analysis->pagerank[i],
               analysis->community[i], n->name);
    }
  return EXIT_OK;
}

static int
cmd_stats (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(SvyazStats) stats = NULL;
  static gboolean centrality;
  static char *by;
  static int top = 20;
  static const GOptionEntry entries[] = {
    { "centrality", 0, 0, G_OPTION_ARG_NONE, &centrality, "The most central entities instead: degree, "
      "betweenness, PageRank and community of each", NULL },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "With --centrality, rank by degree, betweenness or pagerank (default)", "M" },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, "With --centrality, how many entities (default 20, 0 for all)", "N" },
    { NULL }
  };
  int rc;

  rc = parse_options ("stats", "", "Count what the database holds.", entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc > 1)
    return usage_error ("stats", "takes no arguments");
  if (by != NULL && !g_str_equal (by, "degree") && !g_str_equal (by, "betweenness") && !g_str_equal (by, "pagerank"))
    return usage_error ("stats", "--by must be degree, betweenness or pagerank");
  if (top < 0)
    return usage_error ("stats", "--top must not be negative");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  if (centrality)
    return print_centrality (store, by ? by : "pagerank", top);
  stats = svyaz_store_get_stats (store, &error);
  if (stats == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_string (builder, "database", svyaz_store_get_path (store));
      json_add_int (builder, "schema_version", SVYAZ_STORE_SCHEMA_VERSION);
      json_add_int (builder, "documents", stats->documents);
      json_add_int (builder, "entities", stats->entities);
      json_add_int (builder, "aliases", stats->aliases);
      json_add_int (builder, "mentions", stats->mentions);
      json_add_int (builder, "relations", stats->relations);
      json_add_int (builder, "cooccurrences", stats->cooccurrences);
      json_builder_set_member_name (builder, "entity_types");
      json_builder_begin_object (builder);
      for (guint i = 0; i < stats->types->len; i++)
        {
          SvyazCount *c = g_ptr_array_index (stats->types, i);
          json_add_int (builder, c->name, c->count);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "predicates");
      json_builder_begin_object (builder);
      for (guint i = 0; i < stats->predicates->len; i++)
        {
          SvyazCount *c = g_ptr_array_index (stats->predicates, i);
          json_add_int (builder, c->name, c->count);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("database:      %s (schema %d)\n", svyaz_store_get_path (store), SVYAZ_STORE_SCHEMA_VERSION);
  g_print ("documents:     %" G_GINT64_FORMAT "\n", stats->documents);
  g_print ("entities:      %" G_GINT64_FORMAT "\n", stats->entities);
  for (guint i = 0; i < stats->types->len; i++)
    {
      SvyazCount *c = g_ptr_array_index (stats->types, i);
      g_print ("  %-12s %" G_GINT64_FORMAT "\n", c->name, c->count);
    }
  g_print ("aliases:       %" G_GINT64_FORMAT "\n", stats->aliases);
  g_print ("mentions:      %" G_GINT64_FORMAT "\n", stats->mentions);
  g_print ("relations:     %" G_GINT64_FORMAT " (+ %" G_GINT64_FORMAT " co-occurrence)\n",
           stats->relations, stats->cooccurrences);
  for (guint i = 0; i < stats->predicates->len; i++)
    {
      SvyazCount *c = g_ptr_array_index (stats->predicates, i);
      g_print ("  %-12s %" G_GINT64_FORMAT "\n", c->name, c->count);
    }
  return EXIT_OK;
}

static int
cmd_entities (int argc, char **argv)
{
  static char *type;
  static char *search;
  static int limit;
  static const GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, "Only entities of this type", "TYPE" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, "Only entities whose name or alias matches, in any "
      "inflected form or in Latin letters; the closest matches first", "TEXT" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most N entities", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(GPtrArray) entities = NULL;
  int rc;

  rc = parse_options ("entities", "", "List entities, most connected first.",
                      entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc > 1)
    return usage_error ("entities", "takes no arguments");
  if (limit < 0)
    return usage_error ("entities", "--limit must not be negative");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  if (search != NULL)
    {
      /* Any inflected form or Latin spelling; then the type, if asked. */
      entities = svyaz_search_names (store, search, type ? 0 : (guint) limit, &error);
      for (guint i = entities ? entities->len : 0; type != NULL && i-- > 0;)
        if (!g_str_equal (((SvyazEntity *) g_ptr_array_index (entities, i))->type, type))
          g_ptr_array_remove_index (entities, i);
      if (entities != NULL && limit > 0 && entities->len > (guint) limit)
        g_ptr_array_set_size (entities, limit);
    }
  else
    entities = svyaz_store_list_entities (store, type, NULL, (guint) limit, &error);
  if (entities == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < entities->len; i++)
        json_add_entity (builder, g_ptr_array_index (entities, i));
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%6s  %-12s %6s  %s\n", "ID", "TYPE", "DEGREE", "NAME");
  for (guint i = 0; i < entities->len; i++)
    {
      SvyazEntity *e = g_ptr_array_index (entities, i);
      g_print ("%6" G_GINT64_FORMAT "  %-12s %6u  %s\n", e->id, e->type, e->degree, e->name);
    }
  return EXIT_OK;
}

static int
cmd_show (int argc, char **argv)
{
  static gboolean cooccurrence;
  static const GOptionEntry entries[] = {
    { "cooccurrence", 0, 0, G_OPTION_ARG_NONE, &cooccurrence, "Also list co-occurrence edges", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(SvyazEntity) entity = NULL;
  g_autoptr(GPtrArray) relations = NULL;
  g_auto(GStrv) aliases = NULL;
  SvyazRelationQuery query = { 0 };
  int rc;

  rc = parse_options ("show", "ENTITY", "Show everything known about one entity, named by "
                      "its name, an alias (any case) or #ID, with evidence sentences.",
                      entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc != 2)
    return usage_error ("show", "give exactly one entity");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  entity = svyaz_store_find_entity (store, argv[1], &error);
  if (entity == NULL)
    return fail (error);
  aliases = svyaz_store_get_aliases (store, entity->id, &error);
  if (aliases == NULL)
    return fail (error);
  query.entity_id = entity->id;
  query.include_cooccurrence = cooccurrence;
  relations = svyaz_store_list_relations (store, &query, &error);
  if (relations == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entity");
      json_add_entity (builder, entity);
      json_builder_set_member_name (builder, "aliases");
      json_builder_begin_array (builder);
      for (guint i = 0; aliases[i]; i++)
        json_builder_add_string_value (builder, aliases[i]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "relations");
      json_builder_begin_array (builder);
      for (guint i = 0; i < relations->len; i++)
        json_add_relation (builder, g_ptr_array_index (relations, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s  (#%" G_GINT64_FORMAT ", %s)\n", entity->name, entity->id, entity->type);
  if (entity->description != NULL)
    g_print ("  %s\n", entity->description);
  if (aliases[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", aliases);
      g_print ("  also: %s\n", joined);
    }
  g_print ("  degree: %u\n", entity->degree);
  g_print ("relations (%u):\n", relations->len);
  for (guint i = 0; i < relations->len; i++)
    print_relation (g_ptr_array_index (relations, i), "  ");
  return EXIT_OK;
}

static int
cmd_relations (int argc, char **argv)
{
  static char *entity;
  static char *predicate;
  static gboolean cooccurrence;
  static int limit;
  static const GOptionEntry entries[] = {
    { "entity", 0, 0, G_OPTION_ARG_STRING, &entity, "Only relations of this entity (name, alias or #ID)", "ENTITY" },
    { "predicate", 0, 0, G_OPTION_ARG_STRING, &predicate, "Only relations with this predicate", "PREDICATE" },
    { "cooccurrence", 0, 0, G_OPTION_ARG_NONE, &cooccurrence, "Also list co-occurrence edges", NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most N relations", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(GPtrArray) relations = NULL;
  SvyazRelationQuery query = { 0 };
  int rc;

  rc = parse_options ("relations", "", "List relations with their evidence.",
                      entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc > 1)
    return usage_error ("relations", "takes no arguments");
  if (limit < 0)
    return usage_error ("relations", "--limit must not be negative");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  query.entity = entity;
  query.predicate = predicate;
  query.include_cooccurrence = cooccurrence;
  query.limit = (guint) limit;
  relations = svyaz_store_list_relations (store, &query, &error);
  if (relations == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < relations->len; i++)
        json_add_relation (builder, g_ptr_array_index (relations, i));
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < relations->len; i++)
    print_relation (g_ptr_array_index (relations, i), "");
  g_print ("%u relation%s\n", relations->len, relations->len == 1 ? "" : "s");
  return EXIT_OK;
}

static int
cmd_documents (int argc, char **argv)
{
  static char *search;
  static const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, "Only documents containing these words", "TEXT" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  int rc;

  rc = parse_options ("documents", "", "List the stored documents.", entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc > 1)
    return usage_error ("documents", "takes no arguments");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  docs = search ? svyaz_store_search_documents (store, search, 0, &error)
                : svyaz_store_list_documents (store, &error);
  if (docs == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < docs->len; i++)
        {
          SvyazDocument *d = g_ptr_array_index (docs, i);

          json_builder_begin_object (builder);
          json_add_int (builder, "id", d->id);
          json_add_string (builder, "title", d->title);
          json_add_string (builder, "source", d->source);
          json_add_string (builder, "lang", d->lang);
          json_add_string (builder, "sha256", d->hash);
          json_add_int (builder, "added_at", d->added_at);
          json_add_int (builder, "bytes", (gint64) d->length);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%6s  %-4s %8s  %s\n", "ID", "LANG", "BYTES", "TITLE");
  for (guint i = 0; i < docs->len; i++)
    {
      SvyazDocument *d = g_ptr_array_index (docs, i);
      g_print ("%6" G_GINT64_FORMAT "  %-4s %8" G_GSIZE_FORMAT "  %s\n",
               d->id, d->lang, d->length, d->title);
    }
  return EXIT_OK;
}

static int
cmd_import_tsv (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  SvyazTsvReport report = { 0 };
  int rc;

  rc = parse_options ("import-tsv", "FILE",
                      "Import triples, one per line: subject<TAB>subject_type<TAB>predicate"
                      "<TAB>object<TAB>object_type. A header line with those names, blank "
                      "lines and #comments are skipped. A bad line stops the import and "
                      "nothing is kept.", NULL, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc != 2)
    return usage_error ("import-tsv", "give exactly one file");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  if (!svyaz_import_tsv (store, argv[1], &report, terminal_progress (1), &error))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_string (builder, "file", argv[1]);
      json_add_int (builder, "lines", (gint64) report.lines);
      json_add_int (builder, "entities_added", (gint64) report.entities_added);
      json_add_int (builder, "relations_added", (gint64) report.relations_added);
      json_add_int (builder, "relations_duplicate", (gint64) report.relations_duplicate);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s: %" G_GUINT64_FORMAT " triples read, %" G_GUINT64_FORMAT " entities and %"
           G_GUINT64_FORMAT " relations added, %" G_GUINT64_FORMAT " already present\n",
           argv[1], report.lines, report.entities_added, report.relations_added,
           report.relations_duplicate);
  return EXIT_OK;
}

static int
cmd_import (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autofree char *format_name = NULL;
  SvyazGraphFileReport report = { 0 };
  SvyazGraphFileFormat format;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      "graphml, gexf, dot, csv or json (default: from the file name)", "FORMAT" },
    { NULL }
  };
  int rc;

  rc = parse_options ("import", "FILE",
                      "Import a graph another tool wrote: GraphML (Gephi, Cytoscape, yEd), "
                      "GEXF, DOT, a CSV edge list (with NAME.nodes.csv beside it, if there is "
                      "one) or {nodes, links} JSON. Nodes become entities (merged with those of "
                      "the same name and type), edges relations. A bad file stops the import "
                      "and nothing is kept.", entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc != 2)
    return usage_error ("import", "give exactly one file");
  if (format_name != NULL ? !svyaz_graph_file_format_parse (format_name, &format)
                          : !svyaz_graph_file_format_for_path (argv[1], &format))
    return usage_error ("import", "choose --format graphml, gexf, dot, csv or json");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  if (!svyaz_import_graph_file (store, argv[1], format, &report, terminal_progress (1), &error))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_string (builder, "file", argv[1]);
      json_add_string (builder, "format", svyaz_graph_file_format_name (format));
      json_add_int (builder, "nodes", (gint64) report.nodes);
      json_add_int (builder, "edges", (gint64) report.edges);
      json_add_int (builder, "entities_added", (gint64) report.entities_added);
      json_add_int (builder, "relations_added", (gint64) report.relations_added);
      json_add_int (builder, "relations_duplicate", (gint64) report.relations_duplicate);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s: %" G_GUINT64_FORMAT " nodes and %" G_GUINT64_FORMAT " edges read, %"
           G_GUINT64_FORMAT " entities and %" G_GUINT64_FORMAT " relations added, %"
           G_GUINT64_FORMAT " already present\n",
           argv[1], report.nodes, report.edges, report.entities_added, report.relations_added,
           report.relations_duplicate);
  return EXIT_OK;
}

static char *
evidence_of (const char                   *text,
             const SvyazExtractedRelation *r)
{
  return svyaz_text_clean_name (text + r->sentence_start, r->sentence_end - r->sentence_start);
}

static void
json_add_extraction (JsonBuilder     *builder,
                     const char      *path,
                     const char      *text,
                     SvyazExtraction *x,
                     gboolean         cooccurrence)
{
  json_builder_begin_object (builder);
  json_add_string (builder, "file", path);
  json_add_string (builder, "lang", x->lang);
  json_add_int (builder, "sentences", x->sentences);
  json_builder_set_member_name (builder, "entities");
  json_builder_begin_array (builder);
  for (guint i = 0; i < x->entities->len; i++)
    {
      SvyazExtractedEntity *e = g_ptr_array_index (x->entities, i);

      json_builder_begin_object (builder);
      json_add_string (builder, "name", e->name);
      json_add_string (builder, "type", e->type);
      json_add_string (builder, "description", e->description);
      json_add_int (builder, "mentions", e->mentions);
      json_builder_set_member_name (builder, "surfaces");
      json_builder_begin_array (builder);
      for (guint j = 0; j < e->surfaces->len; j++)
        json_builder_add_string_value (builder, g_ptr_array_index (e->surfaces, j));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "relations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < x->relations->len; i++)
    {
      SvyazExtractedRelation *r = &g_array_index (x->relations, SvyazExtractedRelation, i);
      g_autofree char *evidence = NULL;

      if (r->cooccurrence && !cooccurrence)
        continue;
      evidence = evidence_of (text, r);
      json_builder_begin_object (builder);
      json_add_string (builder, "subject", ((SvyazExtractedEntity *) g_ptr_array_index (x->entities, r->subject))->name);
      json_add_string (builder, "predicate", r->predicate);
      json_add_string (builder, "object", ((SvyazExtractedEntity *) g_ptr_array_index (x->entities, r->object))->name);
      json_builder_set_member_name (builder, "confidence");
      json_builder_add_double_value (builder, r->confidence);
      json_add_string (builder, "rule", r->rule);
      json_builder_set_member_name (builder, "cooccurrence");
      json_builder_add_boolean_value (builder, r->cooccurrence);
      json_builder_set_member_name (builder, "evidence");
      json_builder_begin_object (builder);
      json_add_string (builder, "text", evidence);
      json_add_int (builder, "start", r->sentence_start);
      json_add_int (builder, "end", r->sentence_end);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
print_extraction (const char      *path,
                  const char      *text,
                  SvyazExtraction *x,
                  gboolean         cooccurrence)
{
  guint weak = 0;

  g_print ("%s (%s, %u sentences)\nentities (%u):\n", path, x->lang, x->sentences,
           x->entities->len);
  for (guint i = 0; i < x->entities->len; i++)
    {
      SvyazExtractedEntity *e = g_ptr_array_index (x->entities, i);
      g_autofree char *forms = NULL;
      g_autofree char *name = pad (e->name, 34);

      g_ptr_array_add (e->surfaces, NULL);
      forms = g_strjoinv (", ", (char **) e->surfaces->pdata);
      g_ptr_array_remove_index (e->surfaces, e->surfaces->len - 1);
      g_print ("  %-12s %s ×%-3u %s\n", e->type, name, e->mentions, forms);
    }
  g_print ("relations:\n");
  for (guint i = 0; i < x->relations->len; i++)
    {
      SvyazExtractedRelation *r = &g_array_index (x->relations, SvyazExtractedRelation, i);
      g_autofree char *evidence = NULL;

      if (r->cooccurrence && !cooccurrence)
        {
          weak++;
          continue;
        }
      evidence = evidence_of (text, r);
      g_print ("  %s —%s→ %s  [%.2f, %s]\n      «%s»\n",
               ((SvyazExtractedEntity *) g_ptr_array_index (x->entities, r->subject))->name,
               r->predicate,
               ((SvyazExtractedEntity *) g_ptr_array_index (x->entities, r->object))->name,
               r->confidence, r->rule, evidence);
    }
  if (weak > 0)
    g_print ("  (+ %u co-occurrence edges; --cooccurrence lists them)\n", weak);
}

static int
cmd_extract (int argc, char **argv)
{
  static char *lang;
  static gboolean cooccurrence;
  static const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, "Language of the texts: ru, en or auto (default)", "LANG" },
    { "cooccurrence", 0, 0, G_OPTION_ARG_NONE, &cooccurrence, "Also list co-occurrence edges", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazExtractor) extractor = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  int rc;

  rc = parse_options ("extract", "FILE…", "Print the entities and relations found in text "
                      "files, without touching the database.", entries, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc < 2)
    return usage_error ("extract", "no files given");
  if (lang != NULL && !g_str_equal (lang, "ru") && !g_str_equal (lang, "en") &&
      !g_str_equal (lang, "auto"))
    return usage_error ("extract", "--lang takes ru, en or auto");

  extractor = load_extractor (&error);
  if (extractor == NULL)
    return fail (error);

  if (opt_json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GMappedFile) mapped = svyaz_import_map_text (argv[i], &error);
      g_autoptr(SvyazExtraction) x = NULL;
      const char *text;
      gsize len;

      if (mapped == NULL)
        return fail (error);
      text = g_mapped_file_get_contents (mapped);
      len = g_mapped_file_get_length (mapped);
      x = svyaz_extractor_run (extractor, text ? text : "", len, lang, &error);
      if (x == NULL)
        return fail (error);
      if (opt_json)
        json_add_extraction (builder, argv[i], text, x, cooccurrence);
      else
        print_extraction (argv[i], text, x, cooccurrence);
    }
  if (opt_json)
    {
      json_builder_end_array (builder);
      print_json (builder);
    }
  return EXIT_OK;
}

/* Section: benchmarks */

/* Stems swapped per generated article so that the corpus names many
 * people and places, some in no lexicon ("Шевченко"); endings follow the
 * stem, so "Назарбаевым" becomes "Токаевым". */
static const char * const bench_swaps[][4] = {
  { "Назарбаев", "Токаев", "Алиев", "Жапаров" },
  { "Лукашенко", "Пашинян", "Шевченко", "Коваленко" },
  { "Нурсултан", "Касым-Жомарт", "Ильхам", "Садыр" },
  { "Казахстан", "Узбекистан", "Таджикистан", "Азербайджан" },
  { "Минск", "Ташкент", "Бишкек", "Баку" },
  { "Путин", "Медведев", "Мишустин", "Лавров" },
  { "Scholz", "Merkel", "Macron", "Orban" },
  { "Paris", "Berlin", "Vienna", "Warsaw" },
};

static char *
bench_article (GPtrArray *paragraphs,
               GRand     *rand)
{
  GString *text = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 3, 9);

  for (guint i = 0; i < n; i++)
    {
      const char *p = g_ptr_array_index (paragraphs, g_rand_int_range (rand, 0, paragraphs->len));
      g_string_append (text, p);
      g_string_append (text, "\n\n");
    }
  for (guint s = 0; s < G_N_ELEMENTS (bench_swaps); s++)
    {
      guint pick = g_rand_int_range (rand, 0, 4);

      if (pick > 0)
        g_string_replace (text, bench_swaps[s][0], bench_swaps[s][pick], 0);
    }
  return g_string_free (text, FALSE);
}

static int
bench_extract (const char *texts_dir,
               double      megabytes,
               guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazExtractor) extractor = NULL;
  g_autoptr(GPtrArray) paragraphs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) articles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  const char *name;
  gsize total = 0;
  guint64 entities = 0, relations = 0;
  gint64 t0, t1, t2, load_us;
  double seconds;

  dir = g_dir_open (texts_dir, 0, &error);
  if (dir == NULL)
    return fail (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_auto(GStrv) paras = NULL;
      gsize len;

      if (!g_str_has_suffix (name, ".txt"))
        continue;
      path = g_build_filename (texts_dir, name, NULL);
      if (!g_file_get_contents (path, &contents, &len, &error) ||
          !svyaz_text_validate (contents, len, path, &error))
        return fail (error);
      paras = g_strsplit (contents, "\n", -1);
      for (guint i = 0; paras[i]; i++)
        if (g_utf8_strlen (g_strstrip (paras[i]), -1) > 40)
          g_ptr_array_add (paragraphs, g_strdup (paras[i]));
    }
  if (paragraphs->len == 0)
    {
      g_printerr ("svyaz-cli: %s: no .txt texts to build a corpus from\n", texts_dir);
      return EXIT_USER;
    }

  t0 = g_get_monotonic_time ();
  extractor = load_extractor (&error);
  if (extractor == NULL)
    return fail (error);
  t1 = g_get_monotonic_time ();

  /* Generating the corpus is not timed. */
  while (total < megabytes * 1e6)
    {
      char *article = bench_article (paragraphs, rand);
      total += strlen (article);
      g_ptr_array_add (articles, article);
    }

  load_us = t1 - t0;
  t1 = g_get_monotonic_time ();
  for (guint i = 0; i < articles->len; i++)
    {
      const char *a = g_ptr_array_index (articles, i);
      g_autoptr(SvyazExtraction) x = svyaz_extractor_run (extractor, a, strlen (a), NULL, &error);

      if (x == NULL)
        return fail (error);
      entities += x->entities->len;
      for (guint r = 0; r < x->relations->len; r++)
        relations += !g_array_index (x->relations, SvyazExtractedRelation, r).cooccurrence;
    }
  t2 = g_get_monotonic_time ();
  seconds = (t2 - t1) / 1e6;

  g_print ("extract_corpus %.1f MB\n", total / 1e6);
  g_print ("extract_articles %u articles\n", articles->len);
  g_print ("extract_article_size %.2f kB\n", total / 1e3 / articles->len);
  g_print ("extract_load %.0f ms\n", load_us / 1e3);
  g_print ("extract_time %.2f s\n", seconds);
  g_print ("extract_speed %.2f MB/s\n", total / 1e6 / seconds);
  g_print ("extract_rate %.0f articles/s\n", articles->len / seconds);
  g_print ("extract_entities %.1f per_article\n", (double) entities / articles->len);
  g_print ("extract_relations %.1f per_article\n", (double) relations / articles->len);
  /* Natasha/slovnet, DeepPavlov and Tomita cannot run here; their
   * published speed is 25–30 one-kilobyte articles per second on a CPU. */
  g_print ("extract_vs_published_30_kb_articles_per_s %.0f x\n",
           (total / 1e3 / seconds) / 30.0);
  return EXIT_OK;
}

static int
cmd_bench (int argc, char **argv)
{
  static char *texts;
  static double megabytes = 20.0;
  static int seed = 1;
  static int nodes = 3600;
  static int triples = 500000;
  static const GOptionEntry entries[] = {
    { "texts", 0, 0, G_OPTION_ARG_FILENAME, &texts, "extract: folder of .txt news to recombine (default: the bundled corpus)", "DIR" },
    { "mb", 0, 0, G_OPTION_ARG_DOUBLE, &megabytes, "extract: size of the generated corpus in MB (default 20)", "N" },
    { "nodes", 0, 0, G_OPTION_ARG_INT, &nodes, "query, open, layout, hittest, render: entities of the store generated when --db is not given (default 3600, with 2.2 relations each)", "N" },
    { "triples", 0, 0, G_OPTION_ARG_INT, &triples, "import: lines of the generated TSV (default 500000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 1)", "S" },
    { NULL }
  };
  static const char * const graph_benches[] = { "query", "open", "layout", "hittest", "render", "import", NULL };
  g_autofree char *default_texts = NULL;
  int rc;

  rc = parse_options ("bench", "extract|query|open|layout|hittest|render|import",
                      "Measure and print figures as lines of 'name value unit'. "
                      "'extract' times extraction over a generated corpus of recombined news; "
                      "'query' a depth-1 and depth-2 neighbourhood of the biggest hub; 'open' "
                      "opening a store and loading its graph; 'layout' sfdp on the whole graph "
                      "and the default engine on a hub's neighbourhood; 'hittest' hit-testing "
                      "through the spatial index against a scan; 'render' a 1280x800 frame of "
                      "the whole graph and one zoomed 8x; 'import' import-tsv against sqlite3's "
                      "own .import of the same file. All but extract and import use --db, or a "
                      "store generated for the run.",
                      entries, FALSE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc == 2 && g_strv_contains (graph_benches, argv[1]))
    {
      if (nodes < 10 || nodes > 10000000 || triples < 1 || triples > 50000000)
        return usage_error ("bench", "--nodes must be 10 to 10,000,000 and --triples 1 to 50,000,000");
      return svyaz_cli_bench_graph (argv[1], opt_db, (guint) nodes, (guint) triples, (guint32) seed);
    }
  if (argc != 2 || !g_str_equal (argv[1], "extract"))
    return usage_error ("bench", "name a benchmark: extract, query, open, layout, hittest, render or import");
  if (!(megabytes > 0 && megabytes <= 4096))
    return usage_error ("bench", "--mb must be between 0 and 4096");

  if (texts == NULL)
    {
      g_autofree char *data_dir = svyaz_find_data_dir ();

      if (data_dir == NULL)
        {
          g_printerr ("svyaz-cli: the data folder was not found (set SVYAZ_DATA_DIR)\n");
          return EXIT_USER;
        }
      texts = default_texts = g_build_filename (data_dir, "corpus", NULL);
    }
  return bench_extract (texts, megabytes, (guint32) seed);
}

static int
cmd_export (int argc, char **argv)
{
  static char *format_name;
  static char *focus;
  static int depth = 1;
  static char *engine;
  static double scale = 2.0;
  static gboolean cooccurrence;
  static char *output;
  static const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, "png, svg, pdf, dot, graphml, gexf, csv or json (default: from the file name)", "FORMAT" },
    { "focus", 0, 0, G_OPTION_ARG_STRING, &focus, "Only this entity's neighbourhood (name, alias or #ID)", "ENTITY" },
    { "depth", 0, 0, G_OPTION_ARG_INT, &depth, "Hops from --focus, 1 to 3 (default 1)", "N" },
    { "engine", 0, 0, G_OPTION_ARG_STRING, &engine, "Layout engine: dot, neato, fdp, sfdp, circo, twopi (default: dot for small graphs, neato up to 400 nodes, else sfdp)", "E" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Pixels per point for PNG (default 2)", "S" },
    { "cooccurrence", 0, 0, G_OPTION_ARG_NONE, &cooccurrence, "Include co-occurrence edges", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The file to write", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(SvyazGraph) graph = NULL;
  SvyazGraphQuery query = { 0 };
  SvyazExportFormat format;
  int rc;

  rc = parse_options ("export", "-o FILE", "Draw the graph into an image (PNG, SVG, PDF) or "
                      "write it as graph data (DOT, GraphML), laid out by Graphviz.",
                      entries, FALSE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc > 1)
    return usage_error ("export", "takes no arguments; name the file with -o");
  if (output == NULL)
    return usage_error ("export", "name the file to write with -o FILE");
  if (format_name != NULL ? !svyaz_export_format_parse (format_name, &format)
                          : !svyaz_export_format_for_path (output, &format))
    return usage_error ("export", "choose --format png, svg, pdf, dot, graphml, gexf, csv or json");
  if (depth < 1 || depth > 3)
    return usage_error ("export", "--depth must be 1, 2 or 3");
  if (engine != NULL && !svyaz_layout_is_engine (engine))
    return usage_error ("export", "--engine must be dot, neato, fdp, sfdp, circo or twopi");
  if (!(scale > 0 && scale <= 16))
    return usage_error ("export", "--scale must be above 0 and at most 16");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  if (focus != NULL)
    {
      g_autoptr(SvyazEntity) entity = svyaz_store_find_entity (store, focus, &error);

      if (entity == NULL)
        return fail (error);
      query.focus_id = entity->id;
      query.depth = (guint) depth;
    }
  query.cooccurrence = cooccurrence;
  graph = svyaz_graph_load (store, &query, &error);
  if (graph == NULL || !svyaz_layout_run (graph, engine, &error) ||
      !svyaz_export_graph (graph, format, output, scale, NULL, &error))
    return fail (error);
  g_print ("%s: %s of %u entities and %u edges, laid out by %s\n", output,
           svyaz_export_format_name (format), graph->nodes->len, graph->edges->len, graph->engine);
  return EXIT_OK;
}

static int
cmd_check (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  int rc;

  rc = parse_options ("check", "", "Check the database: the SQLite file's integrity, references "
                      "between tables, offsets into documents and the full-text indexes. "
                      "Changes nothing; exits 1 if a problem is found.",
                      NULL, TRUE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc > 1)
    return usage_error ("check", "takes no arguments");

  store = open_store (SVYAZ_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  problems = svyaz_store_check (store, &error);
  if (problems == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_string (builder, "database", svyaz_store_get_path (store));
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, problems->len == 0);
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < problems->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (problems, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else if (problems->len == 0)
    g_print ("%s: ok (file integrity, references, offsets, full-text indexes)\n",
             svyaz_store_get_path (store));
  else
    {
      for (guint i = 0; i < problems->len; i++)
        g_print ("%s: %s\n", svyaz_store_get_path (store), (char *) g_ptr_array_index (problems, i));
      g_printerr ("svyaz-cli: %s: %u problem%s found\n", svyaz_store_get_path (store),
                  problems->len, problems->len == 1 ? "" : "s");
    }
  return problems->len == 0 ? EXIT_OK : EXIT_USER;
}

static int
cmd_generate (int argc, char **argv)
{
  static int entities = 10000;
  static int relations = 50000;
  static int seed = 1;
  static char *output;
  static const GOptionEntry entries[] = {
    { "entities", 0, 0, G_OPTION_ARG_INT, &entities, "How many entities (default 10000)", "N" },
    { "relations", 0, 0, G_OPTION_ARG_INT, &relations, "How many relations (default 50000)", "M" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (default 1): the same seed, the same store", "S" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The new database file", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;
  SvyazGenerateReport report = { 0 };
  gint64 start;
  int rc;

  rc = parse_options ("generate", "-o FILE", "Make a large synthetic store for tests and benchmarks: "
                      "typed entities with Russian names, relations with power-law degrees and "
                      "hubs, a predicate mix by type, evidence sentences in generated documents.",
                      entries, FALSE, &argc, &argv);
  if (rc >= 0)
    return rc;
  if (argc > 1)
    return usage_error ("generate", "takes no arguments; name the file with -o");
  if (output == NULL)
    return usage_error ("generate", "name the new database with -o FILE");
  if (entities < 2 || entities > 10000000 || relations < 0 || relations > 50000000)
    return usage_error ("generate", "--entities must be 2 to 10,000,000 and --relations 0 to 50,000,000");
  if (g_file_test (output, G_FILE_TEST_EXISTS))
    {
      g_printerr ("svyaz-cli: %s: already exists; generate writes a new database\n", output);
      return EXIT_USER;
    }

  start = g_get_monotonic_time ();
  store = svyaz_store_open (output, SVYAZ_STORE_OPEN_CREATE, &error);
  if (store == NULL ||
      !svyaz_generate (store, (guint) entities, (guint) relations, (guint32) seed, &report, &error))
    return fail (error);
  g_print ("%s: %" G_GUINT64_FORMAT " entities, %" G_GUINT64_FORMAT " relations, %" G_GUINT64_FORMAT
           " documents, %" G_GUINT64_FORMAT " mentions in %.1f s\n", output, report.entities,
           report.relations, report.documents, report.mentions,
           (g_get_monotonic_time () - start) / 1e6);
  return EXIT_OK;
}

static const Command commands[] = {
  { "init", "", "Create the database (and add the bundled corpus)", cmd_init },
  { "add", "FILE…", "Add text documents", cmd_add },
  { "stats", "[--centrality]", "Count documents, entities and relations; or the most central entities", cmd_stats },
  { "check", "", "Check the database for damage and inconsistencies", cmd_check },
  { "entities", "[--type T] [--search Q]", "List entities", cmd_entities },
  { "show", "ENTITY", "Everything known about one entity, with evidence", cmd_show },
  { "relations", "[--entity E] [--predicate P]", "List relations", cmd_relations },
  { "documents", "[--search Q]", "List documents", cmd_documents },
  { "search", "WORDS…", "Sentences holding these words, with their entities", cmd_search },
  { "path", "FROM TO [-k K]", "Shortest paths between two entities, with evidence", cmd_path },
  { "import-tsv", "FILE", "Import subject/predicate/object triples", cmd_import_tsv },
  { "import", "FILE [--format F]", "Import a GraphML, GEXF, DOT, CSV or JSON graph", cmd_import },
  { "extract", "FILE…", "Entities and relations in text files (database untouched)", cmd_extract },
  { "export", "-o FILE [--format F] [--focus E]", "Draw the graph or write it as data (DOT, GraphML, GEXF, CSV, JSON)", cmd_export },
  { "generate", "-o FILE [--entities N] [--relations M]", "Make a large synthetic store", cmd_generate },
  { "bench", "extract|query|open|layout|hittest|render|import", "Benchmarks that print figures", cmd_bench },
};

static void
print_usage (FILE *out)
{
  fprintf (out,
           "Usage: svyaz-cli [--db FILE] COMMAND [OPTIONS…]\n\n"
           "Svyaz %s: a knowledge graph of who met whom, built from news.\n\n"
           "Commands:\n", SVYAZ_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *head = g_strdup_printf ("%s %s", commands[i].name, commands[i].args);
      fprintf (out, "  %-40s %s\n", head, commands[i].summary);
    }
  fprintf (out,
           "\nThe database is --db FILE, else $SVYAZ_DB, else %s\n"
           "(created and filled from the bundled corpus on first use).\n"
           "'svyaz-cli COMMAND --help' describes a command. Exit codes: 0 success,\n"
           "1 error (one line on stderr), 2 wrong usage.\n",
           "~/.local/share/svyaz/svyaz.db");
}

int
main (int    argc,
      char **argv)
{
  int first = 1;

  svyaz_init_process ();

  /* Global options come before the command. */
  while (first < argc && argv[first][0] == '-')
    {
      const char *arg = argv[first];

      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          print_usage (stdout);
          return EXIT_OK;
        }
      if (g_str_equal (arg, "--version"))
        {
          g_print ("svyaz-cli %s\n", SVYAZ_VERSION);
          return EXIT_OK;
        }
      if (g_str_equal (arg, "--db") && first + 1 < argc)
        {
          opt_db = g_strdup (argv[first + 1]);
          first += 2;
          continue;
        }
      if (g_str_has_prefix (arg, "--db="))
        {
          opt_db = g_strdup (arg + strlen ("--db="));
          first++;
          continue;
        }
      g_printerr ("svyaz-cli: unknown option %s\nTry 'svyaz-cli --help'.\n", arg);
      return EXIT_USAGE;
    }

  if (first >= argc)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[first], commands[i].name))
      return commands[i].run (argc - first, argv + first);

  g_printerr ("svyaz-cli: unknown command '%s'\nTry 'svyaz-cli --help'.\n", argv[first]);
  return EXIT_USAGE;
}

/* svyaz-export.c: a graph into a file, images and graph data alike.
 *
 * Images are drawn by svyaz-render, DOT is written by cgraph in
 * svyaz-layout, and the data formats other tools read are written here:
 * GraphML with typed attribute keys (Gephi, Cytoscape, yEd), GEXF 1.2
 * (Gephi), CSV node and edge lists with Gephi's column names, and JSON
 * in the {nodes, links} shape of d3 and networkx. Every format carries
 * the same fields, so svyaz-interop can read each of them back into the
 * same entities and relations.
 */
#include "svyaz-config.h"
#include "svyaz-export.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "svyaz-layout.h"
#include "svyaz-render.h"
#include "svyaz-text.h"

static const char * const format_names[] = {
  [SVYAZ_EXPORT_PNG] = "png",
  [SVYAZ_EXPORT_SVG] = "svg",
  [SVYAZ_EXPORT_PDF] = "pdf",
  [SVYAZ_EXPORT_DOT] = "dot",
  [SVYAZ_EXPORT_GRAPHML] = "graphml",
  [SVYAZ_EXPORT_GEXF] = "gexf",
  [SVYAZ_EXPORT_CSV] = "csv",
  [SVYAZ_EXPORT_JSON] = "json",
};

gboolean
svyaz_export_format_parse (const char        *name,
                           SvyazExportFormat *out_format)
{
  int found;

  g_return_val_if_fail (out_format != NULL, FALSE);

  found = svyaz_text_lookup (name, format_names, G_N_ELEMENTS (format_names));
  if (found < 0 && svyaz_text_lookup (name, (const char *[]) { "gv" }, 1) == 0)
    found = SVYAZ_EXPORT_DOT;
  if (found < 0)
    return FALSE;
  *out_format = (SvyazExportFormat) found;
  return TRUE;
}

/* The format a file name's extension asks for. */
gboolean
svyaz_export_format_for_path (const char        *path,
                              SvyazExportFormat *out_format)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return svyaz_export_format_parse (svyaz_text_extension (path), out_format);
}

const char *
svyaz_export_format_name (SvyazExportFormat format)
{
  g_return_val_if_fail (format <= SVYAZ_EXPORT_LAST, NULL);
  return format_names[format];
}

/* Section: GraphML */

static void
append_data (GString    *out,
             const char *key,
             const char *value)
{
  g_autofree char *escaped = svyaz_text_xml_escape (value);

  g_string_append_printf (out, "      <data key=\"%s\">%s", key, escaped);
  g_string_append (out, "</data>\n");
}

char *
svyaz_export_graphml_string (const SvyazGraph *graph)
{
  GString *out = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (graph != NULL, NULL);

  g_string_append (out,
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
    "         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
    "         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
    "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
    "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
    "  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n"
    "  <key id=\"description\" for=\"node\" attr.name=\"description\" attr.type=\"string\"/>\n"
    "  <key id=\"entity_id\" for=\"node\" attr.name=\"entity_id\" attr.type=\"long\"/>\n"
    "  <key id=\"degree\" for=\"node\" attr.name=\"degree\" attr.type=\"int\"/>\n"
    "  <key id=\"x\" for=\"node\" attr.name=\"x\" attr.type=\"double\"/>\n"
    "  <key id=\"y\" for=\"node\" attr.name=\"y\" attr.type=\"double\"/>\n"
    "  <key id=\"predicate\" for=\"edge\" attr.name=\"predicate\" attr.type=\"string\"/>\n"
    "  <key id=\"count\" for=\"edge\" attr.name=\"count\" attr.type=\"int\"/>\n"
    "  <key id=\"confidence\" for=\"edge\" attr.name=\"confidence\" attr.type=\"double\"/>\n"
    "  <key id=\"cooccurrence\" for=\"edge\" attr.name=\"cooccurrence\" attr.type=\"boolean\"/>\n"
    "  <key id=\"relation_id\" for=\"edge\" attr.name=\"relation_id\" attr.type=\"long\"/>\n"
    "  <graph id=\"svyaz\" edgedefault=\"directed\">\n");
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazNode *n = &g_array_index (graph->nodes, SvyazNode, i);

      g_string_append_printf (out, "    <node id=\"e%" G_GINT64_FORMAT "\">\n", n->entity_id);
      append_data (out, "label", n->name);
      append_data (out, "type", n->type);
      if (n->description)
        append_data (out, "description", n->description);
      g_string_append_printf (out, "      <data key=\"entity_id\">%" G_GINT64_FORMAT "</data>\n"
                              "      <data key=\"degree\">%u</data>\n", n->entity_id, n->degree);
      if (graph->laid_out)
        {
          g_string_append_printf (out, "      <data key=\"x\">%s</data>\n",
                                  g_ascii_formatd (buf, sizeof buf, "%.2f", n->x));
          g_string_append_printf (out, "      <data key=\"y\">%s</data>\n",
                                  g_ascii_formatd (buf, sizeof buf, "%.2f", n->y));
        }
      g_string_append (out, "    </node>\n");
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = &g_array_index (graph->edges, SvyazEdge, i);

      g_string_append_printf (out, "    <edge id=\"r%u\" source=\"e%" G_GINT64_FORMAT
                              "\" target=\"e%" G_GINT64_FORMAT "\"%s>\n", i,
                              SVYAZ_NODE (graph, e->source)->entity_id,
                              SVYAZ_NODE (graph, e->target)->entity_id,
                              e->cooccurrence ? " directed=\"false\"" : "");
      append_data (out, "predicate", e->predicate);
      g_string_append_printf (out, "      <data key=\"count\">%u</data>\n"
                              "      <data key=\"confidence\">%s</data>\n"
                              "      <data key=\"cooccurrence\">%s</data>\n"
                              "      <data key=\"relation_id\">%" G_GINT64_FORMAT "</data>\n"
                              "    </edge>\n",
                              e->count, g_ascii_formatd (buf, sizeof buf, "%.2f", e->confidence),
                              e->cooccurrence ? "true" : "false", e->relation_id);
    }
  g_string_append (out, "  </graph>\n</graphml>\n");
  return g_string_free (out, FALSE);
}

/* Section: GEXF */

static void
append_attvalue (GString    *out,
                 const char *key,
                 const char *value)
{
  g_autofree char *escaped = svyaz_text_xml_escape (value);

  g_string_append_printf (out, "          <attvalue for=\"%s\" value=\"%s\"/>\n", key, escaped);
}

char *
svyaz_export_gexf_string (const SvyazGraph *graph)
{
  GString *out = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char buf2[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (graph != NULL, NULL);

  g_string_append (out,
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<gexf xmlns=\"http://www.gexf.net/1.2draft\" xmlns:viz=\"http://www.gexf.net/1.2draft/viz\"\n"
    "      version=\"1.2\">\n"
    "  <meta><creator>Svyaz " SVYAZ_VERSION "</creator></meta>\n"
    "  <graph defaultedgetype=\"directed\" mode=\"static\">\n"
    "    <attributes class=\"node\">\n"
    "      <attribute id=\"type\" title=\"type\" type=\"string\"/>\n"
    "      <attribute id=\"description\" title=\"description\" type=\"string\"/>\n"
    "      <attribute id=\"entity_id\" title=\"entity_id\" type=\"long\"/>\n"
    "      <attribute id=\"degree\" title=\"degree\" type=\"integer\"/>\n"
    "    </attributes>\n"
    "    <attributes class=\"edge\">\n"
    "      <attribute id=\"predicate\" title=\"predicate\" type=\"string\"/>\n"
    "      <attribute id=\"count\" title=\"count\" type=\"integer\"/>\n"
    "      <attribute id=\"confidence\" title=\"confidence\" type=\"double\"/>\n"
    "      <attribute id=\"cooccurrence\" title=\"cooccurrence\" type=\"boolean\"/>\n"
    "    </attributes>\n"
    "    <nodes>\n");
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazNode *n = SVYAZ_NODE (graph, i);
      g_autofree char *label = svyaz_text_xml_escape (n->name);

      g_string_append_printf (out, "      <node id=\"e%" G_GINT64_FORMAT "\" label=\"%s\">\n"
                              "        <attvalues>\n", n->entity_id, label);
      append_attvalue (out, "type", n->type);
      if (n->description)
        append_attvalue (out, "description", n->description);
      g_string_append_printf (out, "          <attvalue for=\"entity_id\" value=\"%" G_GINT64_FORMAT "\"/>\n"
                              "          <attvalue for=\"degree\" value=\"%u\"/>\n"
                              "        </attvalues>\n", n->entity_id, n->degree);
      /* GEXF's y axis points up, ours down. */
      if (graph->laid_out)
        g_string_append_printf (out, "        <viz:position x=\"%s\" y=\"%s\" z=\"0\"/>\n",
                                g_ascii_formatd (buf, sizeof buf, "%.2f", n->x),
                                g_ascii_formatd (buf2, sizeof buf2, "%.2f", -n->y));
      g_string_append (out, "      </node>\n");
    }
  g_string_append (out, "    </nodes>\n    <edges>\n");
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = SVYAZ_EDGE (graph, i);
      g_autofree char *label = svyaz_text_xml_escape (e->predicate);

      g_string_append_printf (out, "      <edge id=\"r%u\" source=\"e%" G_GINT64_FORMAT
                              "\" target=\"e%" G_GINT64_FORMAT "\" label=\"%s\" weight=\"%u\"%s>\n"
                              "        <attvalues>\n", i,
                              SVYAZ_NODE (graph, e->source)->entity_id,
                              SVYAZ_NODE (graph, e->target)->entity_id, label, e->count,
                              e->cooccurrence ? " type=\"undirected\"" : "");
      append_attvalue (out, "predicate", e->predicate);
      g_string_append_printf (out, "          <attvalue for=\"count\" value=\"%u\"/>\n"
                              "          <attvalue for=\"confidence\" value=\"%s\"/>\n"
                              "          <attvalue for=\"cooccurrence\" value=\"%s\"/>\n"
                              "        </attvalues>\n      </edge>\n",
                              e->count, g_ascii_formatd (buf, sizeof buf, "%.2f", e->confidence),
                              e->cooccurrence ? "true" : "false");
    }
  g_string_append (out, "    </edges>\n  </graph>\n</gexf>\n");
  return g_string_free (out, FALSE);
}

/* Section: CSV */

/* RFC 4180: a field with a comma, quote or line break is quoted, its
 * quotes doubled. */
static void
append_csv_field (GString    *out,
                  const char *value,
                  gboolean    last)
{
  if (value == NULL)
    value = "";
  if (strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, value);
  g_string_append (out, last ? "\r\n" : ",");
}

/* Gephi's node table: Id and Label, then our own columns. */
char *
svyaz_export_csv_nodes_string (const SvyazGraph *graph)
{
  GString *out = g_string_new ("Id,Label,type,description,entity_id,degree\r\n");

  g_return_val_if_fail (graph != NULL, NULL);

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazNode *n = SVYAZ_NODE (graph, i);

      g_string_append_printf (out, "e%" G_GINT64_FORMAT ",", n->entity_id);
      append_csv_field (out, n->name, FALSE);
      append_csv_field (out, n->type, FALSE);
      append_csv_field (out, n->description, FALSE);
      g_string_append_printf (out, "%" G_GINT64_FORMAT ",%u\r\n", n->entity_id, n->degree);
    }
  return g_string_free (out, FALSE);
}

/* Gephi's edge table: Source, Target, Type, Label, Weight. */
char *
svyaz_export_csv_edges_string (const SvyazGraph *graph)
{
  GString *out = g_string_new ("Source,Target,Type,Label,Weight,predicate,confidence,cooccurrence\r\n");
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (graph != NULL, NULL);

  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = SVYAZ_EDGE (graph, i);

      g_string_append_printf (out, "e%" G_GINT64_FORMAT ",e%" G_GINT64_FORMAT ",%s,",
                              SVYAZ_NODE (graph, e->source)->entity_id,
                              SVYAZ_NODE (graph, e->target)->entity_id,
                              e->cooccurrence ? "Undirected" : "Directed");
      append_csv_field (out, e->predicate, FALSE);
      g_string_append_printf (out, "%u,", e->count);
      append_csv_field (out, e->predicate, FALSE);
      g_string_append_printf (out, "%s,%s\r\n",
                              g_ascii_formatd (buf, sizeof buf, "%.2f", e->confidence),
                              e->cooccurrence ? "true" : "false");
    }
  return g_string_free (out, FALSE);
}

/**
 * svyaz_export_csv_nodes_path:
 * @edges_path: where the edge list goes
 *
 * Returns: (transfer full): where its node list goes: "graph.csv" gives
 * "graph.nodes.csv".
 */
char *
svyaz_export_csv_nodes_path (const char *edges_path)
{
  g_autofree char *stem = NULL;

  g_return_val_if_fail (edges_path != NULL, NULL);

  if (g_str_has_suffix (edges_path, ".csv") || g_str_has_suffix (edges_path, ".CSV"))
    stem = g_strndup (edges_path, strlen (edges_path) - 4);
  else
    stem = g_strdup (edges_path);
  return g_strconcat (stem, ".nodes.csv", NULL);
}

/* Section: JSON */

char *
svyaz_export_json_string (const SvyazGraph *graph)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (graph != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "directed");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "multigraph");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazNode *n = SVYAZ_NODE (graph, i);
      g_autofree char *id = g_strdup_printf ("e%" G_GINT64_FORMAT, n->entity_id);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, n->name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, n->type);
      if (n->description)
        {
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, n->description);
        }
      json_builder_set_member_name (b, "entity_id");
      json_builder_add_int_value (b, n->entity_id);
      json_builder_set_member_name (b, "degree");
      json_builder_add_int_value (b, n->degree);
      if (graph->laid_out)
        {
          json_builder_set_member_name (b, "x");
          json_builder_add_double_value (b, round (n->x * 100) / 100);
          json_builder_set_member_name (b, "y");
          json_builder_add_double_value (b, round (n->y * 100) / 100);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "links");
  json_builder_begin_array (b);
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SvyazEdge *e = SVYAZ_EDGE (graph, i);
      g_autofree char *source = g_strdup_printf ("e%" G_GINT64_FORMAT,
                                                 SVYAZ_NODE (graph, e->source)->entity_id);
      g_autofree char *target = g_strdup_printf ("e%" G_GINT64_FORMAT,
                                                 SVYAZ_NODE (graph, e->target)->entity_id);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, source);
      json_builder_set_member_name (b, "target");
      json_builder_add_string_value (b, target);
      json_builder_set_member_name (b, "predicate");
      json_builder_add_string_value (b, e->predicate);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, e->count);
      json_builder_set_member_name (b, "confidence");
      json_builder_add_double_value (b, round (e->confidence * 100) / 100);
      json_builder_set_member_name (b, "cooccurrence");
      json_builder_add_boolean_value (b, e->cooccurrence);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* Section: writing */

/* Writes one file of @format through a temporary file in the same
 * directory, renamed over @path only once complete. */
static gboolean
write_one (const SvyazGraph  *graph,
           SvyazExportFormat  format,
           const char        *path,
           double             scale,
           const double      *view,
           GError           **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  gboolean ok = FALSE;
  int fd;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "%s: is a directory", path);
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp (tmp);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: cannot write in %s: %s", path, dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  switch (format)
    {
    case SVYAZ_EXPORT_PNG:
    case SVYAZ_EXPORT_SVG:
    case SVYAZ_EXPORT_PDF:
      ok = svyaz_render_export_image (graph, format_names[format], tmp, scale, view, &local);
      break;
    case SVYAZ_EXPORT_DOT:
      ok = svyaz_layout_write_dot (graph, tmp, &local);
      break;
    case SVYAZ_EXPORT_GRAPHML:
      text = svyaz_export_graphml_string (graph);
      break;
    case SVYAZ_EXPORT_GEXF:
      text = svyaz_export_gexf_string (graph);
      break;
    case SVYAZ_EXPORT_CSV:
      /* write_one() is called with CSV for the edge list only. */
      text = svyaz_export_csv_edges_string (graph);
      break;
    case SVYAZ_EXPORT_JSON:
      text = svyaz_export_json_string (graph);
      break;
    default:
      g_assert_not_reached ();
    }
  if (text != NULL)
    ok = g_file_set_contents (tmp, text, -1, &local);
  /* mkstemp made it private; an export is an ordinary file. */
  if (ok)
    g_chmod (tmp, 0644);
  if (ok && g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error (&local, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: %s", path, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (tmp);
      /* Name the user's file, not our temporary one. */
      g_set_error (error, local->domain, local->code, "%s: %s", path,
                   g_str_has_prefix (local->message, tmp) ? local->message + strlen (tmp) + 2
                                                          : local->message);
      return FALSE;
    }
  return TRUE;
}

/* The CSV node list, written whole like any other file. */
static gboolean
write_csv_nodes (const SvyazGraph  *graph,
                 const char        *edges_path,
                 GError           **error)
{
  g_autofree char *path = svyaz_export_csv_nodes_path (edges_path);
  g_autofree char *text = svyaz_export_csv_nodes_string (graph);
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, local->domain, local->code, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * svyaz_export_graph:
 * @scale: pixels per point for PNG (1 gives 72 dpi)
 * @view: (nullable): x0, y0, x1, y1 of the scene for images; %NULL for all
 *
 * Writes @graph to @path as @format, through a temporary file in the
 * same directory that is renamed over @path only once complete. CSV
 * writes the edge list to @path and the node list beside it
 * (svyaz_export_csv_nodes_path()), nodes first.
 */
gboolean
svyaz_export_graph (const SvyazGraph  *graph,
                    SvyazExportFormat  format,
                    const char        *path,
                    double             scale,
                    const double      *view,
                    GError           **error)
{
  g_return_val_if_fail (graph != NULL && path != NULL, FALSE);
  g_return_val_if_fail (format <= SVYAZ_EXPORT_LAST, FALSE);

  if (format <= SVYAZ_EXPORT_PDF && !graph->laid_out)
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_EXPORT,
                   "%s: the graph has no layout to draw", path);
      return FALSE;
    }
  if (format == SVYAZ_EXPORT_CSV && !g_file_test (path, G_FILE_TEST_IS_DIR) &&
      !write_csv_nodes (graph, path, error))
    return FALSE;
  return write_one (graph, format, path, scale, view, error);
}

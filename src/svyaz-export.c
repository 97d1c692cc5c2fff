/* svyaz-export.c: a graph into a file, images and graph data alike.
 *
 * Images are drawn by svyaz-render, DOT is written by cgraph in
 * svyaz-layout, and GraphML is written here with typed attribute keys
 * (the shape Gephi, Cytoscape and yEd read), its text escaped by
 * svyaz_text_xml_escape().
 */
#include "svyaz-config.h"
#include "svyaz-export.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "svyaz-layout.h"
#include "svyaz-render.h"
#include "svyaz-text.h"

static const char * const format_names[] = {
  [SVYAZ_EXPORT_PNG] = "png",
  [SVYAZ_EXPORT_SVG] = "svg",
  [SVYAZ_EXPORT_PDF] = "pdf",
  [SVYAZ_EXPORT_DOT] = "dot",
  [SVYAZ_EXPORT_GRAPHML] = "graphml",
};

gboolean
svyaz_export_format_parse (const char        *name,
                           SvyazExportFormat *out_format)
{
  g_return_val_if_fail (out_format != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *out_format = (SvyazExportFormat) i;
        return TRUE;
      }
  if (g_ascii_strcasecmp (name, "gv") == 0)
    {
      *out_format = SVYAZ_EXPORT_DOT;
      return TRUE;
    }
  return FALSE;
}

/* The format a file name's extension asks for. */
gboolean
svyaz_export_format_for_path (const char        *path,
                              SvyazExportFormat *out_format)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  return dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL &&
         svyaz_export_format_parse (dot + 1, out_format);
}

const char *
svyaz_export_format_name (SvyazExportFormat format)
{
  g_return_val_if_fail (format <= SVYAZ_EXPORT_GRAPHML, NULL);
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

/* Section: writing */

/**
 * svyaz_export_graph:
 * @scale: pixels per point for PNG (1 gives 72 dpi)
 * @view: (nullable): x0, y0, x1, y1 of the scene for images; %NULL for all
 *
 * Writes @graph to @path as @format, through a temporary file in the
 * same directory that is renamed over @path only once complete.
 */
gboolean
svyaz_export_graph (const SvyazGraph  *graph,
                    SvyazExportFormat  format,
                    const char        *path,
                    double             scale,
                    const double      *view,
                    GError           **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr(GError) local = NULL;
  gboolean ok;
  int fd;

  g_return_val_if_fail (graph != NULL && path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "%s: is a directory", path);
      return FALSE;
    }
  if (format <= SVYAZ_EXPORT_PDF && !graph->laid_out)
    {
      g_set_error (error, SVYAZ_GRAPH_ERROR, SVYAZ_GRAPH_ERROR_EXPORT,
                   "%s: the graph has no layout to draw", path);
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
      {
        g_autofree char *text = svyaz_export_graphml_string (graph);

        ok = g_file_set_contents (tmp, text, -1, &local);
      }
      break;
    default:
      g_assert_not_reached ();
    }
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

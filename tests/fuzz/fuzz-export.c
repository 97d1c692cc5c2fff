/* fuzz-export.c: a graph built from arbitrary bytes (names, types and
 * predicates cut at newlines), laid out by dot and written in every
 * format; every data format must read back (svyaz-interop) with the same
 * counts. */
#include "fuzz-common.h"

#include "svyaz-export.h"
#include "svyaz-interop.h"
#include "svyaz-layout.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SvyazGraph) graph = svyaz_graph_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GError) error = NULL;
  guint n_parts, n_nodes;

  if (size > 4096)
    return 0;
  text = g_utf8_make_valid ((const char *) data, (gssize) size);
  parts = g_strsplit (text, "\n", 24);
  n_parts = g_strv_length (parts);
  if (n_parts < 2)
    return 0;
  n_nodes = MIN (n_parts / 2, 8);
  for (guint i = 0; i < n_nodes; i++)
    svyaz_graph_add_node (graph, i + 1, parts[2 * i], parts[2 * i + 1], NULL);
  for (guint i = 0; i + 1 < n_parts && i < 12; i++)
    svyaz_graph_add_relation (graph, (guint) (data[i % size] % n_nodes), (guint) (data[(i + 1) % size] % n_nodes),
                              i + 1, parts[i], 0.5, data[i % size] & 1);
  svyaz_graph_finish (graph);
  g_assert (svyaz_layout_run (graph, "dot", &error));

  for (SvyazExportFormat f = SVYAZ_EXPORT_PNG; f <= SVYAZ_EXPORT_LAST; f++)
    {
      g_autofree char *name = g_strdup_printf ("out.%s", svyaz_export_format_name (f));
      g_autofree char *path = g_build_filename (fuzz_scratch_dir (), name, NULL);

      if (!svyaz_export_graph (graph, f, path, 0.5, NULL, &error))
        {
          /* Only a bitmap too large may fail. */
          g_assert (f == SVYAZ_EXPORT_PNG);
          g_clear_error (&error);
          continue;
        }
      if (f >= SVYAZ_EXPORT_DOT)
        {
          g_autoptr(SvyazForeignGraph) read = NULL;
          SvyazGraphFileFormat format;

          g_assert (svyaz_graph_file_format_for_path (path, &format));
          read = svyaz_graph_file_read (path, format, &error);
          if (read == NULL)
            g_error ("%s", error->message);
          g_assert (read->nodes->len == graph->nodes->len && read->edges->len == graph->edges->len);
        }
    }
  return 0;
}

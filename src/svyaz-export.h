/* svyaz-export.h: a graph into a file, images and graph data alike.
 *
 * The one entry point the window's Export dialog and `svyaz-cli export`
 * share. Every format is written to a temporary file beside the target
 * and renamed over it, so a failed export leaves no partial file and an
 * old file is replaced whole or not at all.
 */
#pragma once

#include "svyaz-graph.h"

G_BEGIN_DECLS

typedef enum {
  SVYAZ_EXPORT_PNG,
  SVYAZ_EXPORT_SVG,
  SVYAZ_EXPORT_PDF,
  SVYAZ_EXPORT_DOT,
  SVYAZ_EXPORT_GRAPHML,
  SVYAZ_EXPORT_GEXF,
  SVYAZ_EXPORT_CSV,      /* edges to the file, nodes to NAME.nodes.csv beside it */
  SVYAZ_EXPORT_JSON,     /* {nodes, links}: the d3 / networkx shape */
} SvyazExportFormat;

#define SVYAZ_EXPORT_LAST SVYAZ_EXPORT_JSON

gboolean     svyaz_export_format_parse     (const char        *name,
                                            SvyazExportFormat *out_format);
gboolean     svyaz_export_format_for_path  (const char        *path,
                                            SvyazExportFormat *out_format);
const char  *svyaz_export_format_name      (SvyazExportFormat  format);

gboolean     svyaz_export_graph            (const SvyazGraph  *graph,
                                            SvyazExportFormat  format,
                                            const char        *path,
                                            double             scale,
                                            const double      *view,
                                            GError           **error);
char        *svyaz_export_graphml_string   (const SvyazGraph  *graph);
char        *svyaz_export_gexf_string      (const SvyazGraph  *graph);
char        *svyaz_export_json_string      (const SvyazGraph  *graph);
char        *svyaz_export_csv_nodes_string (const SvyazGraph  *graph);
char        *svyaz_export_csv_edges_string (const SvyazGraph  *graph);
char        *svyaz_export_csv_nodes_path   (const char        *edges_path);

G_END_DECLS

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
} SvyazExportFormat;

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

G_END_DECLS

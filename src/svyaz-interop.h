/* svyaz-interop.h: graph files other tools write, read into plain data.
 *
 * GraphML (Gephi, Cytoscape, yEd, networkx), GEXF (Gephi), DOT (Graphviz,
 * read by cgraph in svyaz-layout), CSV edge lists with an optional node
 * list beside them, and {nodes, links} JSON (d3, networkx). Each reader
 * fills the same SvyazForeignGraph, which svyaz_import_graph_file() then
 * writes into a store in one transaction. Nothing here touches a store.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SVYAZ_INTEROP_ERROR (svyaz_interop_error_quark ())

typedef enum {
  SVYAZ_INTEROP_ERROR_FORMAT,   /* not a file of the format, or malformed */
  SVYAZ_INTEROP_ERROR_UNKNOWN,  /* no known format for the file's name */
} SvyazInteropError;

typedef enum {
  SVYAZ_GRAPH_FILE_GRAPHML,
  SVYAZ_GRAPH_FILE_GEXF,
  SVYAZ_GRAPH_FILE_DOT,
  SVYAZ_GRAPH_FILE_CSV,
  SVYAZ_GRAPH_FILE_JSON,
} SvyazGraphFileFormat;

/* Readers hand each node's and edge's attributes over as a table of
 * lower-case field name to text, and the fields' meaning is decided in
 * one place: a node's name is its "label" or "name", its type its
 * "type", "category", "kind" or "class"; an edge's predicate is its
 * "predicate", "relation", "relationship", "interaction", "label" or
 * "type" (but not Gephi's "Directed"/"Undirected"), its confidence its
 * "confidence" or a "weight" within (0, 1]. */

/* A node as the file names it; the strings are cleaned
 * (svyaz_text_clean_name()) but not yet checked. */
typedef struct {
  char *key;          /* the file's id for it */
  char *name;
  char *type;         /* an identifier: lower case, '_' for anything else */
  char *description;  /* nullable */
} SvyazForeignNode;

typedef struct {
  guint     source;   /* indices into the nodes */
  guint     target;
  char     *predicate;
  double    confidence;
  gboolean  cooccurrence;
} SvyazForeignEdge;

typedef struct {
  GPtrArray  *nodes;  /* of SvyazForeignNode */
  GArray     *edges;  /* of SvyazForeignEdge */
  GHashTable *index;  /* private: key to node index + 1 */
} SvyazForeignGraph;

GQuark              svyaz_interop_error_quark        (void);

SvyazForeignGraph  *svyaz_foreign_graph_new          (void);
void                svyaz_foreign_graph_free         (SvyazForeignGraph    *graph);
guint               svyaz_foreign_graph_add_node     (SvyazForeignGraph    *graph,
                                                      const char           *key,
                                                      GHashTable           *fields);
void                svyaz_foreign_graph_add_edge     (SvyazForeignGraph    *graph,
                                                      const char           *source,
                                                      const char           *target,
                                                      GHashTable           *fields);

gboolean            svyaz_graph_file_format_parse    (const char           *name,
                                                      SvyazGraphFileFormat *out_format);
gboolean            svyaz_graph_file_format_for_path (const char           *path,
                                                      SvyazGraphFileFormat *out_format);
const char         *svyaz_graph_file_format_name     (SvyazGraphFileFormat  format);

SvyazForeignGraph  *svyaz_graph_file_read            (const char           *path,
                                                      SvyazGraphFileFormat  format,
                                                      GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazForeignGraph, svyaz_foreign_graph_free)

G_END_DECLS

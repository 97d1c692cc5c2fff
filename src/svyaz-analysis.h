/* svyaz-analysis.h: network measures of a graph: degree, betweenness,
 * PageRank, connected components, Louvain communities, and the k
 * shortest paths between two nodes.
 *
 * Every measure treats the graph as simple and undirected (news
 * relations read both ways: "met_with", "signed with"): parallel edges
 * between two nodes count once and self loops not at all.
 */
#pragma once

#include "svyaz-graph.h"

G_BEGIN_DECLS

typedef enum {
  SVYAZ_MEASURE_BETWEENNESS = 1 << 0,
  SVYAZ_MEASURE_PAGERANK    = 1 << 1,
  SVYAZ_MEASURE_COMPONENTS  = 1 << 2,
  SVYAZ_MEASURE_COMMUNITIES = 1 << 3,
  SVYAZ_MEASURE_ALL         = 0xf,    /* degree is always measured */
} SvyazMeasures;

typedef struct {
  SvyazMeasures measured;   /* the others are zero */
  guint    n_nodes;
  double  *degree;        /* distinct neighbours */
  double  *betweenness;   /* shortest paths through the node, each pair once */
  double  *pagerank;      /* damping 0.85; sums to 1 */
  guint   *component;     /* 0: the largest */
  guint    n_components;
  guint   *community;     /* Louvain, 0: the largest */
  guint    n_communities;
  double   modularity;    /* of the communities found */
  gboolean sampled;       /* betweenness estimated from a sample of sources */
} SvyazAnalysis;

/* Exact betweenness up to this many nodes; beyond, estimated from this
 * many evenly spaced sources. */
#define SVYAZ_ANALYSIS_EXACT_MAX 2000
#define SVYAZ_ANALYSIS_PIVOTS    256

SvyazAnalysis *svyaz_analysis_run        (const SvyazGraph *graph);
SvyazAnalysis *svyaz_analysis_run_some   (const SvyazGraph *graph,
                                          SvyazMeasures     measures);
SvyazMeasures  svyaz_analysis_needed     (guint             n_nodes,
                                          SvyazColorBy      color_by,
                                          SvyazSizeBy       size_by);
void           svyaz_analysis_free       (SvyazAnalysis    *analysis);
void           svyaz_analysis_apply      (const SvyazAnalysis *analysis,
                                          SvyazGraph       *graph,
                                          SvyazColorBy      color_by,
                                          SvyazSizeBy       size_by);
GPtrArray     *svyaz_analysis_paths      (const SvyazGraph *graph,
                                          guint             from,
                                          guint             to,
                                          guint             k);

/* A path between two entities of the store, with what each hop rests on. */
typedef struct {
  GArray    *entity_ids;   /* gint64, from the first end to the other */
  GPtrArray *names;        /* char*, parallel */
  GPtrArray *hops;         /* per hop a GPtrArray of SvyazRelation between its two entities */
  char      *text;         /* "МАЗ → Казахстан ← Назарбаев" */
} SvyazPath;

/* Paths longer than this many hops are not looked for. */
#define SVYAZ_PATH_MAX_HOPS 8

void           svyaz_path_free           (SvyazPath        *path);
GPtrArray     *svyaz_find_paths          (SvyazStore       *store,
                                          const SvyazView  *view,
                                          gint64            from,
                                          gint64            to,
                                          guint             k,
                                          GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazAnalysis, svyaz_analysis_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazPath, svyaz_path_free)

G_END_DECLS

/* svyaz-generate.h: large synthetic stores for tests and benchmarks. */
#pragma once

#include "svyaz-store.h"

G_BEGIN_DECLS

typedef struct {
  guint64 entities;
  guint64 relations;     /* typed relations written (duplicates are redrawn) */
  guint64 documents;
  guint64 mentions;
} SvyazGenerateReport;

gboolean svyaz_generate (SvyazStore          *store,
                         guint                n_entities,
                         guint                n_relations,
                         guint32              seed,
                         SvyazGenerateReport *report,
                         GError             **error);

G_END_DECLS

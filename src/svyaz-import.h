/* svyaz-import.h: bringing outside data into a store: text documents
 * (files or the bundled corpus) and TSV triples from other tools.
 */
#pragma once

#include <gio/gio.h>

#include "svyaz-extract.h"
#include "svyaz-interop.h"
#include "svyaz-store.h"

G_BEGIN_DECLS

#define SVYAZ_IMPORT_ERROR (svyaz_import_error_quark ())

typedef enum {
  SVYAZ_IMPORT_ERROR_READ,       /* the file cannot be read */
  SVYAZ_IMPORT_ERROR_PARSE,      /* a line or field is malformed */
} SvyazImportError;

typedef struct {
  char     *path;
  char     *title;
  gint64    document_id;
  gboolean  added;       /* FALSE: the same text was already stored */
  guint     entities;    /* extracted from it, when added */
  guint     relations;   /* typed relations, when added */
  guint     cooccurrences;
} SvyazImportedDocument;

typedef struct {
  guint64 lines;         /* data lines read (not blank, comment or header) */
  guint64 entities_added;
  guint64 relations_added;
  guint64 relations_duplicate;
} SvyazTsvReport;

typedef struct {
  guint64 nodes;         /* read from the file */
  guint64 edges;
  guint64 entities_added;
  guint64 relations_added;
  guint64 relations_duplicate;
} SvyazGraphFileReport;

/* How a long import reports on itself and is stopped. Either member may
 * be unset; @func is called on the importing thread. A cancelled import
 * keeps nothing and fails with G_IO_ERROR_CANCELLED. */
typedef struct {
  void         (*func)        (double      fraction,
                               const char *what,
                               gpointer    user_data);
  gpointer       user_data;
  GCancellable  *cancellable;
} SvyazImportProgress;

void        svyaz_imported_document_free (SvyazImportedDocument *doc);

GQuark      svyaz_import_error_quark     (void);

GMappedFile *svyaz_import_map_text       (const char         *path,
                                          GError            **error);

GPtrArray  *svyaz_import_text_files      (SvyazStore         *store,
                                          const char * const *paths,
                                          const char         *lang,
                                          SvyazExtractor     *extractor,
                                          const SvyazImportProgress *progress,
                                          GError            **error);
GPtrArray  *svyaz_import_corpus          (SvyazStore         *store,
                                          const char         *corpus_dir,
                                          SvyazExtractor     *extractor,
                                          GError            **error);
gboolean    svyaz_import_extraction      (SvyazStore         *store,
                                          gint64              document_id,
                                          SvyazExtraction    *extraction,
                                          GError            **error);
gboolean    svyaz_import_tsv             (SvyazStore         *store,
                                          const char         *path,
                                          SvyazTsvReport     *report,
                                          const SvyazImportProgress *progress,
                                          GError            **error);
gboolean    svyaz_import_graph_file      (SvyazStore         *store,
                                          const char         *path,
                                          SvyazGraphFileFormat format,
                                          SvyazGraphFileReport *report,
                                          const SvyazImportProgress *progress,
                                          GError            **error);

G_END_DECLS

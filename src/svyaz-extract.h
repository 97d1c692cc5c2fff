/* svyaz-extract.h: entities and typed relations from Russian and English
 * news text, by rules and lexicons kept as data in data/extract/.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SVYAZ_EXTRACT_ERROR (svyaz_extract_error_quark ())

typedef enum {
  SVYAZ_EXTRACT_ERROR_DATA,      /* a data file is missing or malformed */
} SvyazExtractError;

typedef struct {
  char      *name;          /* canonical name */
  char      *english;       /* English name from the lexicon, nullable */
  char      *type;
  char      *description;   /* nullable */
  GPtrArray *surfaces;      /* distinct surface forms seen, in order */
  guint      mentions;
} SvyazExtractedEntity;

typedef struct {
  guint   entity;           /* index into entities */
  guint32 start;            /* byte offsets into the text */
  guint32 end;
} SvyazExtractedMention;

typedef struct {
  guint        subject;     /* index into entities */
  guint        object;
  const char  *predicate;   /* static or owned by the extractor */
  const char  *rule;
  double       confidence;
  guint32      sentence_start;
  guint32      sentence_end;
  gboolean     cooccurrence;
} SvyazExtractedRelation;

typedef struct {
  char      *lang;          /* "ru" or "en" */
  GPtrArray *entities;      /* of SvyazExtractedEntity */
  GArray    *mentions;      /* of SvyazExtractedMention, in text order */
  GArray    *relations;     /* of SvyazExtractedRelation */
  guint      sentences;
} SvyazExtraction;

typedef struct _SvyazExtractor SvyazExtractor;

typedef void (*SvyazProgressFunc) (gsize    done,
                                   gsize    total,
                                   gpointer user_data);

GQuark           svyaz_extract_error_quark (void);

SvyazExtractor  *svyaz_extractor_new       (const char      *data_dir,
                                            GError         **error);
void             svyaz_extractor_free      (SvyazExtractor  *self);
SvyazExtraction *svyaz_extractor_run       (SvyazExtractor  *self,
                                            const char      *text,
                                            gsize            len,
                                            const char      *lang,
                                            GError         **error);
void             svyaz_extractor_set_progress (SvyazExtractor    *self,
                                               SvyazProgressFunc  func,
                                               gpointer           user_data);
gboolean         svyaz_predicate_is_symmetric (SvyazExtractor *self,
                                               const char     *predicate);

const char      *svyaz_predicate_class        (SvyazExtractor *self,
                                               const char     *predicate);

void             svyaz_extraction_free     (SvyazExtraction *extraction);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazExtractor, svyaz_extractor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazExtraction, svyaz_extraction_free)

G_END_DECLS

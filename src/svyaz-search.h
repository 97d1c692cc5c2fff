/* svyaz-search.h: finding entities by what a user types, and sentences
 * of the documents by their words.
 *
 * Names match in any case and inflected form ("Назарбаевым" finds
 * Назарбаев) and in Latin letters ("Nazarbayev" finds him too); text
 * search lists the sentences that hold every word typed, with the
 * entities they mention. Whatever is typed, no FTS or SQL syntax leaks
 * through: quotes, '*', ':', NEAR and '-' are plain characters.
 */
#pragma once

#include "svyaz-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64   document_id;
  char    *document_title;
  gint64   start;          /* byte offsets of the sentence in the body */
  gint64   end;
  char    *text;           /* the sentence */
  GArray  *entity_ids;     /* of gint64: entities mentioned in it, in text order, once each */
  GPtrArray *entity_names; /* of char*, parallel to entity_ids */
} SvyazSentenceHit;

void        svyaz_sentence_hit_free  (SvyazSentenceHit *hit);

GPtrArray  *svyaz_search_names       (SvyazStore   *store,
                                      const char   *text,
                                      guint         limit,
                                      GError      **error);
GPtrArray  *svyaz_search_sentences   (SvyazStore   *store,
                                      const char   *text,
                                      guint         limit,
                                      GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazSentenceHit, svyaz_sentence_hit_free)

G_END_DECLS

/* svyaz-morph.h: Russian and English morphology from Debian's hunspell-ru
 * dictionary and the Snowball stemmers: lemmas of words, whether a word is
 * a common dictionary word, and the inflected forms of a name.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SVYAZ_MORPH_ERROR (svyaz_morph_error_quark ())

typedef enum {
  SVYAZ_MORPH_ERROR_NO_DICTIONARY,
} SvyazMorphError;

typedef struct _SvyazMorph SvyazMorph;

GQuark             svyaz_morph_error_quark    (void);
SvyazMorph        *svyaz_morph_new            (GError     **error);
void               svyaz_morph_free           (SvyazMorph  *self);
const char * const *svyaz_morph_lemmas        (SvyazMorph  *self,
                                               const char  *key);
gboolean           svyaz_morph_is_common_word (SvyazMorph  *self,
                                               const char  *key);
const char        *svyaz_morph_stem_en        (SvyazMorph  *self,
                                               const char  *key);
GPtrArray         *svyaz_morph_name_endings   (SvyazMorph  *self);
GPtrArray         *svyaz_morph_forms          (SvyazMorph  *self,
                                               const char  *word,
                                               const char  *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazMorph, svyaz_morph_free)

G_END_DECLS

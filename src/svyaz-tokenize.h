/* svyaz-tokenize.h: sentences and tokens of a text, with byte offsets into
 * the original UTF-8 so that evidence can always point back at it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SVYAZ_TOKEN_WORD,
  SVYAZ_TOKEN_NUMBER,
  SVYAZ_TOKEN_PUNCT,
  SVYAZ_TOKEN_QUOTE_OPEN,
  SVYAZ_TOKEN_QUOTE_CLOSE,
  SVYAZ_TOKEN_DASH,
} SvyazTokenKind;

typedef enum {
  SVYAZ_TOKEN_CAP        = 1 << 0, /* first letter upper case */
  SVYAZ_TOKEN_ALLCAPS    = 1 << 1, /* two or more letters, all upper case */
  SVYAZ_TOKEN_MIXED      = 1 << 2, /* upper case after the first letter: БелАЗ */
  SVYAZ_TOKEN_LATIN      = 1 << 3,
  SVYAZ_TOKEN_CYRILLIC   = 1 << 4,
  SVYAZ_TOKEN_SENT_START = 1 << 5, /* first word of its sentence */
} SvyazTokenFlags;

typedef struct {
  guint32      start;     /* byte offsets into the text */
  guint32      end;
  guint8       kind;      /* SvyazTokenKind */
  guint8       flags;     /* SvyazTokenFlags */
  const char  *key;       /* lower case, ё→е; interned, owned by the tokenizer */
} SvyazToken;

typedef struct {
  guint32 start;          /* byte offsets, without surrounding white space */
  guint32 end;
  guint   first_token;    /* index into the token array */
  guint   n_tokens;
} SvyazSentence;

typedef struct _SvyazTokenizer SvyazTokenizer;

SvyazTokenizer *svyaz_tokenizer_new      (const char      *locale,
                                          GError         **error);
void            svyaz_tokenizer_free     (SvyazTokenizer  *self);
gboolean        svyaz_tokenizer_run      (SvyazTokenizer  *self,
                                          const char      *text,
                                          gsize            len,
                                          GArray          *sentences,
                                          GArray          *tokens,
                                          GError         **error);
const char     *svyaz_tokenizer_intern   (SvyazTokenizer  *self,
                                          const char      *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazTokenizer, svyaz_tokenizer_free)

G_END_DECLS

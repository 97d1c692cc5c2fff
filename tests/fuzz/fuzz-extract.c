/* fuzz-extract.c: arbitrary bytes through validation and extraction.
 * The first byte picks the language; invalid UTF-8 must be refused with
 * an offset inside the input, valid text must extract without a crash,
 * with every offset inside the text. */
#include "fuzz-common.h"

#include "svyaz-config.h"
#include "svyaz-extract.h"
#include "svyaz-text.h"

static SvyazExtractor *extractor;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const langs[] = { "ru", "en", "auto" };
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazExtraction) x = NULL;
  const char *text;
  size_t len;

  if (extractor == NULL)
    {
      extractor = svyaz_extractor_new (SVYAZ_SOURCE_DATADIR, &error);
      g_assert_no_error (error);
    }
  if (size < 1 || size > 200000)
    return 0;
  text = (const char *) data + 1;
  len = size - 1;
  if (!svyaz_text_validate (text, len, "input", &error))
    {
      g_assert (error != NULL);
      return 0;
    }
  x = svyaz_extractor_run (extractor, text, len, langs[data[0] % 3], &error);
  g_assert_no_error (error);
  for (guint i = 0; i < x->mentions->len; i++)
    {
      SvyazExtractedMention *m = &g_array_index (x->mentions, SvyazExtractedMention, i);

      g_assert (m->start < m->end && m->end <= len);
      g_assert (m->entity < x->entities->len);
    }
  for (guint i = 0; i < x->relations->len; i++)
    {
      SvyazExtractedRelation *r = &g_array_index (x->relations, SvyazExtractedRelation, i);

      g_assert (r->sentence_start <= r->sentence_end && r->sentence_end <= len);
      g_assert (r->subject < x->entities->len && r->object < x->entities->len);
    }
  return 0;
}

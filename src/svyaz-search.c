/* svyaz-search.c: name and sentence search.
 *
 * A name query runs as tiers, each adding only entities the earlier ones
 * did not find, so the most literal matches come first: the words as
 * typed; the words with the last one as a prefix; every word cut to its
 * Snowball stem and matched as a prefix (a Russian stem is a prefix of
 * the other forms of a name: "Назарбаевым" stems to "назарбаев"); and the
 * Latin key (svyaz_text_latin_key()) against the aliases' Latin column.
 * Every FTS query is built from quoted words of letters and digits
 * (svyaz_text_words(), svyaz_store_fts_words()), so nothing a user types
 * is FTS syntax.
 *
 * Sentence search asks the document index which documents hold every
 * word (FTS5), splits those into sentences (svyaz-tokenize) and keeps the
 * sentences holding every word's stem, with the entities mentioned there.
 */
#include "svyaz-search.h"

#include "svyaz-text.h"
#include "svyaz-tokenize.h"

#include <libstemmer.h>
#include <string.h>

/* A stem shorter than this matches too much to be useful as a prefix. */
#define STEM_MIN_CHARS 3
/* Documents read for one sentence search. */
#define SENTENCE_DOCUMENTS_MAX 200

void
svyaz_sentence_hit_free (SvyazSentenceHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->document_title);
  g_free (hit->text);
  g_array_unref (hit->entity_ids);
  g_ptr_array_unref (hit->entity_names);
  g_free (hit);
}

/* Section: words */

static gboolean
is_cyrillic (const char *word)
{
  for (const char *p = word; *p; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_CYRILLIC)
      return TRUE;
  return FALSE;
}

/* The Snowball stem of one lower-case word, or the word itself when the
 * stem would be too short to search by. */
static char *
stem_word (struct sb_stemmer *ru,
           struct sb_stemmer *en,
           const char        *word)
{
  struct sb_stemmer *stemmer = is_cyrillic (word) ? ru : en;
  const sb_symbol *stem = NULL;
  int len;

  if (stemmer != NULL)
    stem = sb_stemmer_stem (stemmer, (const sb_symbol *) word, (int) strlen (word));
  if (stem == NULL)
    return g_strdup (word);
  len = sb_stemmer_length (stemmer);
  if (g_utf8_strlen ((const char *) stem, len) < STEM_MIN_CHARS)
    return g_strdup (word);
  return g_strndup ((const char *) stem, len);
}

static GPtrArray *
stem_words (GPtrArray *words)
{
  struct sb_stemmer *ru = sb_stemmer_new ("russian", "UTF_8");
  struct sb_stemmer *en = sb_stemmer_new ("english", "UTF_8");
  GPtrArray *stems = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < words->len; i++)
    g_ptr_array_add (stems, stem_word (ru, en, g_ptr_array_index (words, i)));
  if (ru != NULL)
    sb_stemmer_delete (ru);
  if (en != NULL)
    sb_stemmer_delete (en);
  return stems;
}

/* Section: names */

static gboolean
add_tier (SvyazStore     *store,
          SvyazNameIndex  index,
          const char     *fts,
          guint           limit,
          GPtrArray      *results,
          GHashTable     *seen,
          GError        **error)
{
  g_autoptr(GPtrArray) found = NULL;

  if (limit > 0 && results->len >= limit)
    return TRUE;
  found = svyaz_store_match_names (store, index, fts, limit, error);
  if (found == NULL)
    return FALSE;
  for (guint i = 0; i < found->len && (limit == 0 || results->len < limit); i++)
    {
      SvyazEntity *e = g_ptr_array_index (found, i);

      /* Not g_hash_table_add(): it would swap in the key of the copy
       * about to be freed. */
      if (g_hash_table_contains (seen, &e->id))
        continue;
      g_hash_table_add (seen, &e->id);
      g_ptr_array_add (results, g_steal_pointer (&found->pdata[i]));
    }
  return TRUE;
}

/**
 * svyaz_search_names:
 * @text: what the user typed
 * @limit: at most this many, 0 for all
 *
 * Returns: (transfer container) (element-type SvyazEntity): the entities
 *   whose names match @text in any of the tiers above, the most literal
 *   matches first and by falling degree within a tier; empty when @text
 *   has no letters or digits
 */
GPtrArray *
svyaz_search_names (SvyazStore  *store,
                    const char  *text,
                    guint        limit,
                    GError     **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_entity_free);
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GPtrArray) stems = NULL;
  g_autoptr(GPtrArray) latin_words = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *stemmed = NULL;
  g_autofree char *latin = NULL;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return g_steal_pointer (&results);
  words = svyaz_text_words (text);
  if (words->len == 0)
    return g_steal_pointer (&results);
  /* Entities are owned by results, which outlives the set. */
  seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  exact = svyaz_store_fts_words (words, SVYAZ_FTS_PREFIX_NONE);
  prefix = svyaz_store_fts_words (words, SVYAZ_FTS_PREFIX_LAST);
  stems = stem_words (words);
  stemmed = svyaz_store_fts_words (stems, SVYAZ_FTS_PREFIX_ALL);
  if (!add_tier (store, SVYAZ_NAME_INDEX_KEY, exact, limit, results, seen, error) ||
      !add_tier (store, SVYAZ_NAME_INDEX_KEY, prefix, limit, results, seen, error) ||
      !add_tier (store, SVYAZ_NAME_INDEX_KEY, stemmed, limit, results, seen, error))
    return NULL;

  latin = svyaz_text_latin_key (text);
  latin_words = svyaz_text_words (latin);
  if (latin_words->len > 0)
    {
      g_autofree char *fts = svyaz_store_fts_words (latin_words, SVYAZ_FTS_PREFIX_ALL);

      if (!add_tier (store, SVYAZ_NAME_INDEX_LATIN, fts, limit, results, seen, error))
        return NULL;
    }
  return g_steal_pointer (&results);
}

/* Section: sentences */

static gboolean
sentence_has_all (const GArray *tokens,
                  const SvyazSentence *sentence,
                  GPtrArray *stems)
{
  for (guint w = 0; w < stems->len; w++)
    {
      const char *stem = g_ptr_array_index (stems, w);
      gsize len = strlen (stem);
      gboolean found = FALSE;

      for (guint t = sentence->first_token; !found && t < sentence->first_token + sentence->n_tokens; t++)
        {
          const SvyazToken *token = &g_array_index (tokens, SvyazToken, t);
          g_autofree char *key = NULL;

          if (token->key == NULL)
            continue;
          /* Token keys fold case and ё; the stems come from the matching
           * key, which also folds with NFC: compare like with like. */
          key = svyaz_text_key (token->key, -1);
          found = strncmp (key, stem, len) == 0;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static SvyazSentenceHit *
make_hit (SvyazStore     *store,
          SvyazDocument  *document,
          const char     *body,
          const SvyazSentence *sentence,
          GError        **error)
{
  g_autoptr(SvyazSentenceHit) hit = g_new0 (SvyazSentenceHit, 1);
  g_autoptr(GPtrArray) mentions = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  hit->document_id = document->id;
  hit->document_title = g_strdup (document->title);
  hit->start = sentence->start;
  hit->end = sentence->end;
  hit->text = svyaz_text_clean_name (body + sentence->start, sentence->end - sentence->start);
  hit->entity_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  hit->entity_names = g_ptr_array_new_with_free_func (g_free);

  mentions = svyaz_store_list_mentions (store, document->id, sentence->start, sentence->end, error);
  if (mentions == NULL)
    return NULL;
  for (guint i = 0; i < mentions->len; i++)
    {
      SvyazMention *m = g_ptr_array_index (mentions, i);
      g_autoptr(SvyazEntity) entity = NULL;

      if (!g_hash_table_add (seen, &m->entity_id))
        continue;
      entity = svyaz_store_get_entity (store, m->entity_id, error);
      if (entity == NULL)
        return NULL;
      g_array_append_val (hit->entity_ids, m->entity_id);
      g_ptr_array_add (hit->entity_names, g_steal_pointer (&entity->name));
    }
  return g_steal_pointer (&hit);
}

/**
 * svyaz_search_sentences:
 * @text: the words to look for, in any form
 * @limit: at most this many sentences, 0 for all
 *
 * Returns: (transfer container) (element-type SvyazSentenceHit): the
 *   sentences holding every word of @text, best documents first and in
 *   text order within one
 */
GPtrArray *
svyaz_search_sentences (SvyazStore  *store,
                        const char  *text,
                        guint        limit,
                        GError     **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) svyaz_sentence_hit_free);
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GPtrArray) stems = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(SvyazTokenizer) tokenizer = NULL;
  g_autofree char *stem_query = NULL;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return g_steal_pointer (&hits);
  words = svyaz_text_words (text);
  if (words->len == 0)
    return g_steal_pointer (&hits);
  stems = stem_words (words);
  /* Whole words are what FTS5 indexes; the stems as prefixes match every
   * form of each word. */
  stem_query = svyaz_store_fts_words (stems, SVYAZ_FTS_PREFIX_ALL);
  documents = svyaz_store_match_documents (store, stem_query, SENTENCE_DOCUMENTS_MAX, error);
  if (documents == NULL)
    return NULL;
  tokenizer = svyaz_tokenizer_new ("ru", error);
  if (tokenizer == NULL)
    return NULL;

  for (guint d = 0; d < documents->len && (limit == 0 || hits->len < limit); d++)
    {
      SvyazDocument *document = g_ptr_array_index (documents, d);
      g_autofree char *body = NULL;
      g_autoptr(SvyazDocument) full = svyaz_store_get_document (store, document->id, &body, error);
      g_autoptr(GArray) sentences = g_array_new (FALSE, FALSE, sizeof (SvyazSentence));
      g_autoptr(GArray) tokens = g_array_new (FALSE, FALSE, sizeof (SvyazToken));

      if (full == NULL || !svyaz_tokenizer_run (tokenizer, body, strlen (body), sentences, tokens, error))
        return NULL;
      for (guint s = 0; s < sentences->len && (limit == 0 || hits->len < limit); s++)
        {
          const SvyazSentence *sentence = &g_array_index (sentences, SvyazSentence, s);
          SvyazSentenceHit *hit;

          if (!sentence_has_all (tokens, sentence, stems))
            continue;
          hit = make_hit (store, document, body, sentence, error);
          if (hit == NULL)
            return NULL;
          g_ptr_array_add (hits, hit);
        }
    }
  return g_steal_pointer (&hits);
}

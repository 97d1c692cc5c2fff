/* svyaz-tokenize.c: sentences and tokens of a text.
 *
 * Sentences come from ICU's sentence break iterator run directly over the
 * UTF-8 (a UText), so its boundaries are byte offsets. ICU breaks after
 * initials and Russian abbreviations ("А. Г. Лукашенко", "г.", "млн."), so
 * a merge pass joins such pieces again. Tokens are words (letters, with
 * inner hyphens and apostrophes: Касым-Жомарт), numbers, quotes and other
 * punctuation; every kind of quote and dash is unified, and each word gets
 * an interned lower-case key (ё→е) for matching.
 */
#include "svyaz-tokenize.h"

#include <gio/gio.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

struct _SvyazTokenizer
{
  UBreakIterator *breaker;
  GHashTable     *interned;  /* key -> itself */
  GStringChunk   *chunk;
};

/* Words after which a full stop does not end a sentence. */
static const char * const abbreviations[] = {
  "г", "гг", "т", "е", "д", "п", "т.е", "т.д", "т.п", "млн", "млрд", "трлн", "тыс",
  "им", "ул", "пр", "просп", "пл", "обл", "р", "руб", "долл", "см", "стр", "рис",
  "ст", "св", "акад", "проф", "доц", "ген", "гос", "пос", "с", "н.э", "вв", "в",
  "mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc",
  "u.s", "e.g", "i.e", "no", "gen", "gov", "sen", "rep", "prof",
  NULL
};

SvyazTokenizer *
svyaz_tokenizer_new (const char  *locale,
                     GError     **error)
{
  SvyazTokenizer *self;
  UErrorCode status = U_ZERO_ERROR;
  UBreakIterator *breaker;

  breaker = ubrk_open (UBRK_SENTENCE, locale ? locale : "ru", NULL, 0, &status);
  if (U_FAILURE (status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "cannot create ICU sentence iterator: %s", u_errorName (status));
      return NULL;
    }

  self = g_new0 (SvyazTokenizer, 1);
  self->breaker = breaker;
  self->interned = g_hash_table_new (g_str_hash, g_str_equal);
  self->chunk = g_string_chunk_new (64 * 1024);
  return self;
}

void
svyaz_tokenizer_free (SvyazTokenizer *self)
{
  if (self == NULL)
    return;
  ubrk_close (self->breaker);
  g_hash_table_unref (self->interned);
  g_string_chunk_free (self->chunk);
  g_free (self);
}

const char *
svyaz_tokenizer_intern (SvyazTokenizer *self,
                        const char     *key)
{
  const char *found = g_hash_table_lookup (self->interned, key);

  if (found == NULL)
    {
      found = g_string_chunk_insert (self->chunk, key);
      g_hash_table_add (self->interned, (gpointer) found);
    }
  return found;
}

static gboolean
is_quote (gunichar c, gboolean *open, gboolean *ambiguous)
{
  *ambiguous = FALSE;
  switch (c)
    {
    case 0x00AB: case 0x201E: case 0x201C: case 0x2018: case 0x201A: case 0x2039:
      *open = TRUE;
      return TRUE;
    case 0x00BB: case 0x201D: case 0x2019: case 0x203A:
      *open = FALSE;
      return TRUE;
    case '"':
      *ambiguous = TRUE;
      *open = TRUE;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_dash (gunichar c)
{
  return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalpha (c) || g_unichar_ismark (c);
}

/* Appends the tokens of text[start, end) and returns how many. */
static guint
tokenize_range (SvyazTokenizer *self,
                const char     *text,
                guint32         start,
                guint32         end,
                GArray         *tokens)
{
  const char *p = text + start;
  const char *stop = text + end;
  guint count = 0;
  gboolean first_word = TRUE;
  gboolean quote_open = FALSE;
  char buf[256];

  while (p < stop)
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);
      SvyazToken tok = { .start = (guint32) (p - text) };
      gboolean open, ambiguous;

      if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR ||
          g_unichar_iscntrl (c) || c == 0xFEFF || c == 0x200B)
        {
          p = next;
          continue;
        }

      if (is_word_char (c))
        {
          guint letters = 0, upper = 0, upper_inner = 0;
          gboolean after_letter = FALSE;
          gsize blen = 0;
          const char *q = p;
          gboolean latin = FALSE, cyrillic = FALSE;

          while (q < stop)
            {
              gunichar d = g_utf8_get_char (q);
              const char *qn = g_utf8_next_char (q);

              if (is_word_char (d))
                {
                  gunichar lower = g_unichar_tolower (d);

                  letters++;
                  if (g_unichar_isupper (d))
                    {
                      upper++;
                      /* "БелАЗ" is mixed case, "Касым-Жомарт" is not. */
                      if (after_letter)
                        upper_inner++;
                    }
                  after_letter = TRUE;
                  if (d < 0x250)
                    latin = TRUE;
                  else if (d >= 0x400 && d < 0x530)
                    cyrillic = TRUE;
                  if (lower == 0x0451)
                    lower = 0x0435;
                  if (blen + 6 < sizeof buf)
                    blen += g_unichar_to_utf8 (lower, buf + blen);
                  q = qn;
                  continue;
                }
              /* Inner hyphen or apostrophe followed by a letter. */
              if ((is_dash (d) && d != 0x2014 && d != 0x2013) || d == '\'' || d == 0x2019)
                {
                  if (qn < stop && is_word_char (g_utf8_get_char (qn)) && letters > 0)
                    {
                      if (blen + 6 < sizeof buf)
                        blen += g_unichar_to_utf8 (is_dash (d) ? '-' : '\'', buf + blen);
                      after_letter = FALSE;
                      q = qn;
                      continue;
                    }
                }
              break;
            }
          buf[blen] = '\0';
          tok.end = (guint32) (q - text);
          tok.kind = SVYAZ_TOKEN_WORD;
          tok.key = svyaz_tokenizer_intern (self, buf);
          if (g_unichar_isupper (c))
            tok.flags |= SVYAZ_TOKEN_CAP;
          if (letters >= 2 && upper == letters)
            tok.flags |= SVYAZ_TOKEN_ALLCAPS;
          else if (upper_inner > 0)
            tok.flags |= SVYAZ_TOKEN_MIXED;
          if (latin)
            tok.flags |= SVYAZ_TOKEN_LATIN;
          if (cyrillic)
            tok.flags |= SVYAZ_TOKEN_CYRILLIC;
          if (first_word)
            tok.flags |= SVYAZ_TOKEN_SENT_START;
          first_word = FALSE;
          p = q;
        }
      else if (g_unichar_isdigit (c))
        {
          const char *q = next;

          while (q < stop)
            {
              gunichar d = g_utf8_get_char (q);
              const char *qn = g_utf8_next_char (q);

              if (g_unichar_isdigit (d))
                q = qn;
              else if ((d == '.' || d == ',') && qn < stop && g_unichar_isdigit (g_utf8_get_char (qn)))
                q = qn;
              else
                break;
            }
          tok.end = (guint32) (q - text);
          tok.kind = SVYAZ_TOKEN_NUMBER;
          tok.key = svyaz_tokenizer_intern (self, "0");
          first_word = FALSE;
          p = q;
        }
      else if (is_quote (c, &open, &ambiguous))
        {
          if (ambiguous)
            open = !quote_open;
          quote_open = open;
          tok.end = (guint32) (next - text);
          tok.kind = open ? SVYAZ_TOKEN_QUOTE_OPEN : SVYAZ_TOKEN_QUOTE_CLOSE;
          tok.key = svyaz_tokenizer_intern (self, "\"");
          p = next;
        }
      else if (is_dash (c))
        {
          tok.end = (guint32) (next - text);
          tok.kind = SVYAZ_TOKEN_DASH;
          tok.key = svyaz_tokenizer_intern (self, "-");
          p = next;
        }
      else
        {
          char one[8] = { 0 };

          g_unichar_to_utf8 (c, one);
          tok.end = (guint32) (next - text);
          tok.kind = SVYAZ_TOKEN_PUNCT;
          tok.key = svyaz_tokenizer_intern (self, one);
          p = next;
        }

      g_array_append_val (tokens, tok);
      count++;
    }

  return count;
}

static gboolean
is_abbreviation (const char *word, gsize len)
{
  g_autofree char *lower = g_utf8_strdown (word, len);

  for (guint i = 0; abbreviations[i]; i++)
    if (strcmp (lower, abbreviations[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Whether a sentence piece ending at @end (after trimming) must be joined
 * with the next one: it ends with an initial or an abbreviation and a dot,
 * and the gap to the next piece stays on one line. */
static gboolean
ends_inside_sentence (const char *text,
                      guint32     start,
                      guint32     end,
                      guint32     next_start)
{
  const char *dot = text + end - 1;
  const char *w;

  if (end <= start || *dot != '.')
    return FALSE;
  if (memchr (text + end, '\n', next_start - end) != NULL)
    return FALSE;

  /* Find the word before the dot, allowing inner dots (т.е). */
  w = dot;
  while (w > text + start)
    {
      const char *prev = g_utf8_prev_char (w);
      gunichar c = g_utf8_get_char (prev);

      if (!g_unichar_isalpha (c) && c != '.')
        break;
      w = prev;
    }
  if (w == dot)
    return FALSE;

  /* A single capital letter: an initial. */
  if (g_utf8_next_char (w) == dot && g_unichar_isupper (g_utf8_get_char (w)))
    return TRUE;
  return is_abbreviation (w, dot - w);
}

/* Longest sentence, in bytes. Real sentences stay far below it (the
 * seed's longest is under 400); text without sentence ends (a list, a
 * table, a 100 MB line) is cut into pieces of this size at a space, so
 * the work per sentence, quadratic in places, stays bounded. */
#define SENTENCE_MAX 3000

/* Where to cut an overlong sentence: the last space before the limit,
 * else the last character boundary. */
static guint32
cut_point (const char *text,
           guint32     start,
           guint32     end)
{
  guint32 limit = start + SENTENCE_MAX;
  const char *p;

  g_assert (end > limit);
  for (p = g_utf8_find_prev_char (text + start, text + limit); p && p > text + start + SENTENCE_MAX / 2;
       p = g_utf8_find_prev_char (text + start, p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      return (guint32) (p - text);
  p = g_utf8_find_prev_char (text + start, text + limit + 1);
  return p && p > text + start ? (guint32) (p - text) : limit;
}

static void
add_sentence (SvyazTokenizer *self,
              const char     *text,
              guint32         start,
              guint32         end,
              GArray         *sentences,
              GArray         *tokens)
{
  while (start < end)
    {
      SvyazSentence sentence = { .start = start, .end = end };

      if (end - start > SENTENCE_MAX)
        sentence.end = cut_point (text, start, end);
      sentence.first_token = tokens->len;
      sentence.n_tokens = tokenize_range (self, text, sentence.start, sentence.end, tokens);
      if (sentence.n_tokens > 0)
        g_array_append_val (sentences, sentence);
      start = sentence.end;
      while (start < end && g_unichar_isspace (g_utf8_get_char (text + start)))
        start = (guint32) (g_utf8_next_char (text + start) - text);
    }
}

/**
 * svyaz_tokenizer_run:
 * @sentences: (element-type SvyazSentence): appended to
 * @tokens: (element-type SvyazToken): appended to
 *
 * Splits valid UTF-8 @text into sentences and tokens.
 */
gboolean
svyaz_tokenizer_run (SvyazTokenizer  *self,
                     const char      *text,
                     gsize            len,
                     GArray          *sentences,
                     GArray          *tokens,
                     GError         **error)
{
  UErrorCode status = U_ZERO_ERROR;
  UText *ut;
  g_autoptr(GArray) pieces = g_array_new (FALSE, FALSE, sizeof (guint32) * 2);
  int32_t from, to;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (len < G_MAXINT32, FALSE);

  ut = utext_openUTF8 (NULL, text, (int64_t) len, &status);
  ubrk_setUText (self->breaker, ut, &status);
  if (U_FAILURE (status))
    {
      utext_close (ut);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "sentence splitting failed: %s", u_errorName (status));
      return FALSE;
    }

  for (from = ubrk_first (self->breaker), to = ubrk_next (self->breaker);
       to != UBRK_DONE;
       from = to, to = ubrk_next (self->breaker))
    {
      guint32 s = (guint32) from, e = (guint32) to;

      /* Trim white space (including U+00A0) at both ends. */
      while (s < e)
        {
          gunichar c = g_utf8_get_char (text + s);
          if (!g_unichar_isspace (c) && g_unichar_type (c) != G_UNICODE_SPACE_SEPARATOR)
            break;
          s = (guint32) (g_utf8_next_char (text + s) - text);
        }
      while (e > s)
        {
          const char *prev = g_utf8_prev_char (text + e);
          gunichar c = g_utf8_get_char (prev);
          if (!g_unichar_isspace (c) && g_unichar_type (c) != G_UNICODE_SPACE_SEPARATOR)
            break;
          e = (guint32) (prev - text);
        }
      if (s < e)
        {
          guint32 piece[2] = { s, e };
          g_array_append_val (pieces, piece);
        }
    }
  utext_close (ut);

  for (guint i = 0; i < pieces->len; )
    {
      guint32 *piece = &g_array_index (pieces, guint32, i * 2);
      SvyazSentence sentence = { .start = piece[0], .end = piece[1] };
      guint j = i + 1;

      while (j < pieces->len)
        {
          guint32 *next = &g_array_index (pieces, guint32, j * 2);

          if (!ends_inside_sentence (text, sentence.start, sentence.end, next[0]))
            break;
          sentence.end = next[1];
          j++;
        }

      add_sentence (self, text, sentence.start, sentence.end, sentences, tokens);
      i = j;
    }

  return TRUE;
}

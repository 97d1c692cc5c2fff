/* svyaz-text.c: text helpers shared by the store, the importers and
 * extraction.
 *
 * Names are compared through a "matching key": NFC-normalized, case-folded,
 * with ё folded to е and every kind of space, quote and dash unified, so that
 * "Назарбаев", "НАЗАРБАЕВ" and "Назарбаев" with a no-break space all meet.
 * The original text is always kept beside the key for display and evidence.
 */
#include "svyaz-text.h"

#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

G_DEFINE_QUARK (svyaz-text-error-quark, svyaz_text_error)

/**
 * svyaz_text_validate:
 * @what: how to name the text in an error, e.g. a file name
 *
 * Checks that @text is UTF-8 without NUL bytes. The error names the byte
 * offset of the first bad byte, so a user can find it with a hex editor.
 */
gboolean
svyaz_text_validate (const char  *text,
                     gsize        len,
                     const char  *what,
                     GError     **error)
{
  const char *end = NULL;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (what != NULL, FALSE);

  if (g_utf8_validate_len (text, len, &end))
    return TRUE;

  if ((gsize) (end - text) < len && *end == '\0')
    g_set_error (error, SVYAZ_TEXT_ERROR, SVYAZ_TEXT_ERROR_INVALID_UTF8,
                 "%s: a NUL byte at byte offset %" G_GSIZE_FORMAT " (not a text file?)",
                 what, (gsize) (end - text));
  else
    g_set_error (error, SVYAZ_TEXT_ERROR, SVYAZ_TEXT_ERROR_INVALID_UTF8,
                 "%s: invalid UTF-8 at byte offset %" G_GSIZE_FORMAT,
                 what, (gsize) (end - text));
  return FALSE;
}

static gunichar
fold_char (gunichar c)
{
  switch (c)
    {
    case 0x0451: /* ё */
      return 0x0435; /* е */
    case 0x00AB: case 0x00BB: case 0x201C: case 0x201D: case 0x201E:
    case 0x201F: case 0x2039: case 0x203A: case 0x2018: case 0x2019:
    case 0x201A: case 0x201B: case 0x0060: case 0x00B4:
      return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
      return '-';
    default:
      if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR)
        return ' ';
      return c;
    }
}

/* Code points that are in NFC whatever surrounds them, as long as no
 * combining mark follows: ASCII, Latin-1 and Latin Extended-A letters,
 * Cyrillic (Й, ё are precomposed), general punctuation and currency. */
static gboolean
is_nfc_stable (gunichar c)
{
  return c < 0x300 || (c >= 0x400 && c <= 0x52F) || (c >= 0x2000 && c <= 0x20CF);
}

/* Whether @text (valid UTF-8) is in NFC as it is; news text nearly
 * always is, and checking costs a fraction of g_utf8_normalize(). */
static gboolean
is_nfc (const char *text,
        const char *end)
{
  for (const char *p = text; p < end; )
    {
      if ((guchar) *p < 0x80)
        {
          p++;
          continue;
        }
      if (!is_nfc_stable (g_utf8_get_char (p)))
        return FALSE;
      p = g_utf8_next_char (p);
    }
  return TRUE;
}

/* NFC of @text, or NULL if it is not valid UTF-8. */
static char *
to_nfc (const char *text,
        gssize      len)
{
  const char *end = len < 0 ? text + strlen (text) : text + len;

  if (!g_utf8_validate (text, end - text, NULL))
    return NULL;
  if (!is_nfc (text, end))
    return g_utf8_normalize (text, end - text, G_NORMALIZE_NFC);
  return g_strndup (text, end - text);
}

static gboolean
is_ascii (const char *text,
          gsize       len)
{
  for (gsize k = 0; k < len; k++)
    if ((guchar) text[k] >= 0x80)
      return FALSE;
  return TRUE;
}

/**
 * svyaz_text_key:
 *
 * Returns: (transfer full): the matching key of @text: NFC, case-folded,
 * ё→е, spaces/quotes/dashes unified, runs of spaces collapsed and trimmed.
 */
char *
svyaz_text_key (const char *text,
                gssize      len)
{
  g_autofree char *folded = NULL;
  g_autofree char *nfc = NULL;
  GString *out;
  gboolean pending_space = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  if (len < 0)
    len = (gssize) strlen (text);
  /* ASCII is its own NFC and case-folds by g_ascii_tolower(): an import
   * keys 100,000 new names "Entity 1" … with one copy of each rather
   * than two, and no Unicode tables. */
  if (is_ascii (text, len))
    nfc = g_ascii_strdown (text, len);
  else
    {
      folded = g_utf8_casefold (text, len);
      nfc = to_nfc (folded, -1);
    }
  if (nfc == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (nfc));
  for (const char *p = nfc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = fold_char (g_utf8_get_char (p));

      if (c == ' ')
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * svyaz_text_words:
 *
 * Returns: (transfer container) (element-type utf8): the words of @text's
 *   matching key, cut at anything that is not a letter, digit or
 *   combining mark; empty for invalid UTF-8
 */
GPtrArray *
svyaz_text_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = NULL;
  GString *word;

  g_return_val_if_fail (text != NULL, words);

  if (!g_utf8_validate (text, -1, NULL))
    return words;
  key = svyaz_text_key (text, -1);
  word = g_string_new (NULL);
  for (const char *p = key;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c)))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        g_ptr_array_add (words, g_strndup (word->str, word->len));
      g_string_truncate (word, 0);
      if (c == 0)
        break;
    }
  g_string_free (word, TRUE);
  return words;
}

/* One transliterator per thread: opening one parses ICU's rules (about a
 * millisecond), and a UTransliterator must not be shared between threads. */
static void
close_transliterator (gpointer data)
{
  utrans_close (data);
}

static GPrivate transliterator_key = G_PRIVATE_INIT (close_transliterator);

static UTransliterator *
get_transliterator (void)
{
  UTransliterator *t = g_private_get (&transliterator_key);
  static const char id[] = "Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower";
  UChar uid[sizeof id];
  UErrorCode status = U_ZERO_ERROR;

  if (t != NULL)
    return t;
  u_uastrcpy (uid, id);
  t = utrans_openU (uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
  if (U_FAILURE (status))
    return NULL;
  g_private_set (&transliterator_key, t);
  return t;
}

/* One word, without spaces, through the transliterator; NULL on failure. */
static char *
transliterate_word (UTransliterator *t,
                    const char      *word,
                    gssize           word_len)
{
  UErrorCode status = U_ZERO_ERROR;
  g_autofree UChar *buf = NULL;
  int32_t len = 0, capacity, limit;
  char *latin;

  u_strFromUTF8 (NULL, 0, &len, word, (int32_t) word_len, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE (status))
    return NULL;
  /* Romanization grows text: "щ" becomes "shch". */
  capacity = len * 4 + 16;
  buf = g_new (UChar, capacity);
  status = U_ZERO_ERROR;
  u_strFromUTF8 (buf, capacity, &len, word, (int32_t) word_len, &status);
  limit = len;
  utrans_transUChars (t, buf, &len, capacity, 0, &limit, &status);
  if (U_FAILURE (status))
    return NULL;
  latin = g_new (char, (gsize) len * 3 + 1);
  status = U_ZERO_ERROR;
  u_strToUTF8 (latin, len * 3 + 1, NULL, buf, len, &status);
  if (U_FAILURE (status))
    {
      g_free (latin);
      return NULL;
    }
  return latin;
}

/* Words already romanized, per thread as the transliterator: names share
 * their words ("Компания", first names, patronymics), and ICU takes about
 * 9 µs a name. The rules look at no character across a space (the tests
 * compare whole names against their words), so a name is its words'
 * romanizations joined by spaces. Emptied when it grows past
 * LATIN_WORDS_MAX. */
static void
free_latin_words (gpointer data)
{
  g_hash_table_unref (data);
}

static GPrivate latin_words_key = G_PRIVATE_INIT (free_latin_words);

#define LATIN_WORDS_MAX 65536

static const char *
latin_word (UTransliterator *t,
            const char      *word,
            gsize            word_len)
{
  GHashTable *words = g_private_get (&latin_words_key);
  g_autofree char *key = g_strndup (word, word_len);
  char *latin;

  if (words == NULL)
    {
      words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_private_set (&latin_words_key, words);
    }
  latin = g_hash_table_lookup (words, key);
  if (latin != NULL)
    return latin;
  latin = transliterate_word (t, word, (gssize) word_len);
  if (latin == NULL)
    return NULL;
  if (g_hash_table_size (words) >= LATIN_WORDS_MAX)
    g_hash_table_remove_all (words);
  g_hash_table_insert (words, g_steal_pointer (&key), latin);
  return latin;
}

/**
 * svyaz_text_latin_key:
 *
 * A Latin spelling of @text to match names typed in another script:
 * "Назарбаев" and "Nazarbayev" (or "Nazarbaev") both give "nazarbaev".
 * @text goes through ICU's Russian BGN romanization (other scripts through
 * Any-Latin), loses its accents and case, and then the letters that
 * romanizations disagree on (h, j, y and apostrophes: "kh"/"h", "ya"/"ja",
 * "ye"/"e") are dropped; anything else that is not a letter or digit
 * separates words, joined by single spaces.
 *
 * Returns: (transfer full): the key, "" if @text has no letters or digits
 */
char *
svyaz_text_latin_key (const char *text)
{
  g_autofree char *latin = NULL;
  GString *out;
  gboolean pending_space = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  if (!is_ascii (text, strlen (text)))
    {
      UTransliterator *t = get_transliterator ();
      g_autoptr(GString) joined = NULL;

      if (t == NULL)
        return g_strdup ("");
      joined = g_string_new (NULL);
      for (const char *p = text; *p; )
        {
          const char *space = strchr (p, ' ');
          gsize word_len = space ? (gsize) (space - p) : strlen (p);

          /* ASCII comes out of the rules as it went in, but for case,
           * which the key drops anyway. */
          if (is_ascii (p, word_len))
            g_string_append_len (joined, p, (gssize) word_len);
          else
            {
              const char *word = latin_word (t, p, word_len);

              if (word == NULL)
                return g_strdup ("");
              g_string_append (joined, word);
            }
          if (space == NULL)
            break;
          g_string_append_c (joined, ' ');
          p = space + 1;
        }
      latin = g_string_free (g_steal_pointer (&joined), FALSE);
    }

  out = g_string_new (NULL);
  for (const char *p = latin ? latin : text; *p; p++)
    {
      char c = g_ascii_tolower (*p);

      if (c == 'h' || c == 'j' || c == 'y' || c == '\'')
        continue;
      if (!g_ascii_isalnum (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_c (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_name_space (gunichar c)
{
  return g_unichar_isspace (c) || g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* Whether svyaz_text_append_clean_name() would copy @nfc as it is: no
 * space but single ASCII ones between other characters, nothing
 * invisible. */
static gboolean
is_clean_name (const char *nfc,
               const char *end)
{
  gboolean after_space = TRUE;  /* at the start, a space is leading */

  for (const char *p = nfc; p < end; )
    {
      guchar b = (guchar) *p;

      if (b < 0x80)
        {
          if (b == ' ' ? after_space : b < 0x20 || b == 0x7f)
            return FALSE;
          after_space = b == ' ';
          p++;
          continue;
        }
      if (is_name_space (g_utf8_get_char (p)))
        return FALSE;
      after_space = FALSE;
      p = g_utf8_next_char (p);
    }
  return !after_space || nfc == end;
}

/**
 * svyaz_text_append_clean_name:
 * @out: where the clean name is appended
 * @len: the length of @text in bytes, or -1 if it ends with a NUL
 *
 * Appends @text in NFC with control characters and runs of white space
 * turned into single spaces and both ends trimmed: the form in which a
 * name is stored and shown. Appends nothing if @text is not valid UTF-8.
 * An importer cleans millions of names into one buffer this way, with no
 * allocation for those already clean.
 */
void
svyaz_text_append_clean_name (GString    *out,
                              const char *text,
                              gssize      len)
{
  g_autofree char *normalized = NULL;
  const char *p, *end;
  gboolean pending_space = FALSE;
  gsize start;

  g_return_if_fail (out != NULL);
  g_return_if_fail (text != NULL);

  start = out->len;
  end = text + (len < 0 ? strlen (text) : (gsize) len);
  if (!g_utf8_validate_len (text, end - text, NULL))
    return;
  p = text;
  if (!is_nfc (text, end))
    {
      normalized = g_utf8_normalize (text, end - text, G_NORMALIZE_NFC);
      p = normalized;
      end = p + strlen (p);
    }
  if (is_clean_name (p, end))
    {
      g_string_append_len (out, p, end - p);
      return;
    }

  for (; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_name_space (c))
        {
          pending_space = out->len > start;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }
}

/**
 * svyaz_text_clean_name:
 *
 * Returns: (transfer full): svyaz_text_append_clean_name() of @text, on
 * its own.
 */
char *
svyaz_text_clean_name (const char *text,
                       gssize      len)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (len >= 0 ? (gsize) len : 15);
  svyaz_text_append_clean_name (out, text, len);
  return g_string_free (out, FALSE);
}

/**
 * svyaz_text_check_name:
 * @what: what the name is, for the message ("subject", "type", …)
 *
 * A name must be non-empty after cleaning and at most
 * %SVYAZ_TEXT_NAME_MAX bytes; @name must already be valid UTF-8.
 */
gboolean
svyaz_text_check_name (const char  *name,
                       const char  *what,
                       GError     **error)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (*name == '\0')
    {
      g_set_error (error, SVYAZ_TEXT_ERROR, SVYAZ_TEXT_ERROR_EMPTY,
                   "%s is empty", what);
      return FALSE;
    }
  if (strlen (name) > SVYAZ_TEXT_NAME_MAX)
    {
      g_set_error (error, SVYAZ_TEXT_ERROR, SVYAZ_TEXT_ERROR_TOO_LONG,
                   "%s is longer than %d bytes", what, SVYAZ_TEXT_NAME_MAX);
      return FALSE;
    }
  return TRUE;
}

/**
 * svyaz_text_guess_language:
 *
 * Returns: "ru" when Cyrillic letters outnumber Latin ones, "en" when Latin
 * ones do, "und" when the text has no letters of either. News in other
 * languages is out of scope, so two scripts are enough.
 */
const char *
svyaz_text_guess_language (const char *text,
                           gsize       len)
{
  gsize cyrillic = 0, latin = 0;
  const char *end = text + len;

  g_return_val_if_fail (text != NULL || len == 0, "und");

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x0400 && c <= 0x04FF)
        cyrillic++;
      else if (c < 0x80 && g_ascii_isalpha ((char) c))
        latin++;
    }

  if (cyrillic == 0 && latin == 0)
    return "und";
  return cyrillic >= latin ? "ru" : "en";
}

/**
 * svyaz_text_guess_title:
 *
 * Returns: (transfer full): the first non-blank line of @text, cleaned and
 * cut at 200 characters (on a character boundary), or "Untitled".
 */
char *
svyaz_text_guess_title (const char *text,
                        gsize       len)
{
  const char *p = text;
  const char *end = text + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;
      g_autofree char *clean = svyaz_text_clean_name (p, line_end - p);

      if (*clean != '\0')
        {
          return svyaz_text_ellipsize (clean, 200);
        }
      p = line_end + 1;
    }

  return g_strdup ("Untitled");
}

/**
 * svyaz_text_ellipsize:
 * @max_chars: at least 2
 *
 * Returns: (transfer full): @text if it has at most @max_chars characters,
 * else its first @max_chars - 1 and "…"
 */
char *
svyaz_text_ellipsize (const char *text,
                      guint       max_chars)
{
  const char *cut;

  g_return_val_if_fail (text != NULL && max_chars >= 2, NULL);

  if (g_utf8_strlen (text, -1) <= (glong) max_chars)
    return g_strdup (text);
  cut = g_utf8_offset_to_pointer (text, max_chars - 1);
  {
    g_autofree char *head = g_strndup (text, cut - text);

    return g_strconcat (head, "…", NULL);
  }
}

/**
 * svyaz_text_lookup:
 * @name: (nullable): what to look for, in any ASCII case
 * @names: a table of @n_names names (format names, preference values…)
 *
 * Returns: the index of @name in @names, or -1
 */
int
svyaz_text_lookup (const char         *name,
                   const char * const *names,
                   guint               n_names)
{
  for (guint i = 0; name != NULL && i < n_names; i++)
    if (names[i] != NULL && g_ascii_strcasecmp (name, names[i]) == 0)
      return (int) i;
  return -1;
}

/**
 * svyaz_text_extension:
 *
 * Returns: (nullable): what follows the last '.' of @path's last
 *   component ("gexf" in "out/graph.v2.gexf"), or %NULL
 */
const char *
svyaz_text_extension (const char *path)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, NULL);

  dot = strrchr (path, '.');
  return dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL ? dot + 1 : NULL;
}

/**
 * svyaz_text_xml_escape:
 *
 * @text escaped for XML element content and attribute values. Control
 * characters, which XML 1.0 cannot carry even as references, become
 * U+FFFD; invalid UTF-8 is replaced the same way.
 *
 * Returns: (transfer full): the escaped text
 */
char *
svyaz_text_xml_escape (const char *text)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) clean = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
        g_string_append_unichar (clean, 0xFFFD);
      else
        g_string_append_unichar (clean, c);
    }
  return g_markup_escape_text (clean->str, (gssize) clean->len);
}

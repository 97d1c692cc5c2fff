/* svyaz-morph.c: morphology from real Debian components.
 *
 * Lemmas come from hunspell with the hunspell-ru dictionary (Hunspell_stem
 * gives the dictionary form: "собирают" → "собирать"), memoized per word
 * because news vocabularies repeat. Names cannot be matched on stems
 * (Snowball stems "Назарбаев" and "Назарбаевым" differently), so the forms
 * of a name are generated up front: the suffix rules of the dictionary's
 * .aff file are applied under the flags of the name itself, if the
 * dictionary knows it, or of a model word that declines alike ("Путин" for
 * a surname in -ев). Hunspell's C API cannot list the forms of a word,
 * hence the small reader of SFX lines here. English words are stemmed with
 * Snowball.
 */
#include "svyaz-morph.h"

#include <hunspell/hunspell.h>
#include <libstemmer.h>
#include <string.h>

#define AFF_PATH "/usr/share/hunspell/ru_RU.aff"
#define DIC_PATH "/usr/share/hunspell/ru_RU.dic"
#define EN_AFF_PATH "/usr/share/hunspell/en_US.aff"
#define EN_DIC_PATH "/usr/share/hunspell/en_US.dic"

typedef struct {
  char  *strip;        /* removed from the end of the base ("" for 0) */
  char  *add;          /* appended */
  char **condition;    /* character sets matched against the base's end */
  gboolean *negated;
  guint  n_condition;
} SuffixRule;

struct _SvyazMorph
{
  Hunhandle          *hunspell;
  Hunhandle          *hunspell_en; /* nullable: only to tell common words */
  GPtrArray          *endings;     /* case endings of names, longest first */
  struct sb_stemmer  *stemmer_en;
  GHashTable         *rules;      /* flag char (as string) -> GPtrArray of SuffixRule */
  GHashTable         *dic_flags;  /* dictionary word -> its affix flags */
  GHashTable         *lemmas;     /* key -> NULL-terminated char*[] of keys */
  GHashTable         *common;     /* key -> GINT_TO_POINTER (1 + is_common) */
  GHashTable         *stems_en;   /* key -> stem */
  GStringChunk       *chunk;
};

G_DEFINE_QUARK (svyaz-morph-error-quark, svyaz_morph_error)

static void
suffix_rule_free (SuffixRule *rule)
{
  g_free (rule->strip);
  g_free (rule->add);
  g_strfreev (rule->condition);
  g_free (rule->negated);
  g_free (rule);
}

/* Splits a hunspell condition such as "[^цей]ый" into character sets. */
static void
parse_condition (SuffixRule *rule,
                 const char *condition)
{
  g_autoptr(GPtrArray) sets = g_ptr_array_new ();
  g_autoptr(GArray) negated = g_array_new (FALSE, FALSE, sizeof (gboolean));

  if (g_str_equal (condition, "."))
    condition = "";

  for (const char *p = condition; *p; )
    {
      gboolean neg = FALSE;

      if (*p == '[')
        {
          const char *close = strchr (p, ']');

          p++;
          if (*p == '^')
            {
              neg = TRUE;
              p++;
            }
          if (close == NULL)
            close = p + strlen (p);
          g_ptr_array_add (sets, g_strndup (p, close - p));
          p = *close ? close + 1 : close;
        }
      else if (*p == '.')
        {
          g_ptr_array_add (sets, g_strdup (""));
          neg = TRUE; /* "not in the empty set": any character */
          p++;
        }
      else
        {
          const char *next = g_utf8_next_char (p);
          g_ptr_array_add (sets, g_strndup (p, next - p));
          p = next;
        }
      g_array_append_val (negated, neg);
    }

  rule->n_condition = sets->len;
  g_ptr_array_add (sets, NULL);
  rule->condition = (char **) g_ptr_array_steal (sets, NULL);
  rule->negated = (gboolean *) g_array_steal (negated, NULL);
}

static gboolean
load_affixes (SvyazMorph  *self,
              const char  *path,
              GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;
      SuffixRule *rule;
      GPtrArray *list;

      if (!g_str_has_prefix (lines[i], "SFX "))
        continue;
      f = g_strsplit_set (lines[i], " \t", -1);
      /* Drop empty fields from runs of spaces. */
      {
        guint n = 0;
        for (guint j = 0; f[j]; j++)
          if (*f[j])
            f[n++] = f[j];
          else
            g_free (f[j]);
        f[n] = NULL;
        if (n < 5)
          continue; /* the header line "SFX G Y 52" */
      }

      rule = g_new0 (SuffixRule, 1);
      rule->strip = g_strdup (g_str_equal (f[2], "0") ? "" : f[2]);
      rule->add = g_strdup (g_str_equal (f[3], "0") ? "" : f[3]);
      /* An add part may carry continuation flags: "ами/X". */
      if (strchr (rule->add, '/'))
        *strchr (rule->add, '/') = '\0';
      parse_condition (rule, f[4]);

      list = g_hash_table_lookup (self->rules, f[1]);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func ((GDestroyNotify) suffix_rule_free);
          g_hash_table_insert (self->rules, g_strdup (f[1]), list);
        }
      g_ptr_array_add (list, rule);
    }
  return TRUE;
}

/* The .dic file lists "word/FLAGS"; hunspell's analysis of a base form
 * does not give its flags, so they are read from here. */
static gboolean
load_dictionary_flags (SvyazMorph  *self,
                       const char  *path,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  char *line, *next;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;

  /* The first line is the word count. */
  line = strchr (contents, '\n');
  for (line = line ? line + 1 : contents; *line; line = next)
    {
      char *slash;

      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      else
        next = line + strlen (line);
      slash = strchr (line, '/');
      if (slash == NULL)
        continue;
      *slash = '\0';
      g_strchomp (slash + 1);
      g_hash_table_insert (self->dic_flags,
                           (gpointer) g_string_chunk_insert_const (self->chunk, line),
                           (gpointer) g_string_chunk_insert_const (self->chunk, slash + 1));
    }
  return TRUE;
}

SvyazMorph *
svyaz_morph_new (GError **error)
{
  SvyazMorph *self;

  if (!g_file_test (AFF_PATH, G_FILE_TEST_EXISTS) || !g_file_test (DIC_PATH, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SVYAZ_MORPH_ERROR, SVYAZ_MORPH_ERROR_NO_DICTIONARY,
                   "the Russian hunspell dictionary is missing (%s); install hunspell-ru",
                   DIC_PATH);
      return NULL;
    }

  self = g_new0 (SvyazMorph, 1);
  self->hunspell = Hunspell_create (AFF_PATH, DIC_PATH);
  if (g_file_test (EN_DIC_PATH, G_FILE_TEST_EXISTS))
    self->hunspell_en = Hunspell_create (EN_AFF_PATH, EN_DIC_PATH);
  self->stemmer_en = sb_stemmer_new ("english", "UTF_8");
  self->rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  self->lemmas = g_hash_table_new (g_str_hash, g_str_equal);
  self->common = g_hash_table_new (g_str_hash, g_str_equal);
  self->stems_en = g_hash_table_new (g_str_hash, g_str_equal);
  self->chunk = g_string_chunk_new (64 * 1024);
  self->dic_flags = g_hash_table_new (g_str_hash, g_str_equal);

  if (!load_affixes (self, AFF_PATH, error) ||
      !load_dictionary_flags (self, DIC_PATH, error))
    {
      svyaz_morph_free (self);
      return NULL;
    }
  return self;
}

void
svyaz_morph_free (SvyazMorph *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self == NULL)
    return;
  g_hash_table_iter_init (&iter, self->lemmas);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_free (value);
  g_clear_pointer (&self->lemmas, g_hash_table_unref);
  g_clear_pointer (&self->common, g_hash_table_unref);
  g_clear_pointer (&self->stems_en, g_hash_table_unref);
  g_clear_pointer (&self->rules, g_hash_table_unref);
  g_clear_pointer (&self->dic_flags, g_hash_table_unref);
  g_clear_pointer (&self->chunk, g_string_chunk_free);
  if (self->stemmer_en)
    sb_stemmer_delete (self->stemmer_en);
  if (self->hunspell)
    Hunspell_destroy (self->hunspell);
  if (self->hunspell_en)
    Hunspell_destroy (self->hunspell_en);
  g_clear_pointer (&self->endings, g_ptr_array_unref);
  g_free (self);
}

static const char *
intern (SvyazMorph *self, const char *s)
{
  return g_string_chunk_insert_const (self->chunk, s);
}

static char *
fold_key (const char *word)
{
  g_autofree char *lower = g_utf8_strdown (word, -1);
  GString *out = g_string_sized_new (strlen (lower));

  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (out, c == 0x0451 ? 0x0435 : c);
    }
  return g_string_free (out, FALSE);
}

/**
 * svyaz_morph_lemmas:
 * @key: a lower-case word
 *
 * Returns: (transfer none): the dictionary forms of @key as lower-case
 *   keys, or an empty list for a word hunspell does not know
 */
const char * const *
svyaz_morph_lemmas (SvyazMorph *self,
                    const char *key)
{
  const char **cached;
  char **list = NULL;
  int n;

  g_return_val_if_fail (self != NULL && key != NULL, NULL);

  cached = g_hash_table_lookup (self->lemmas, key);
  if (cached != NULL)
    return cached;

  n = Hunspell_stem (self->hunspell, &list, key);
  cached = g_new0 (const char *, MAX (n, 0) + 1);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *folded = fold_key (list[i]);
      cached[i] = intern (self, folded);
    }
  if (n > 0)
    Hunspell_free_list (self->hunspell, &list, n);
  g_hash_table_insert (self->lemmas, (gpointer) intern (self, key), cached);
  return cached;
}

/**
 * svyaz_morph_is_common_word:
 *
 * Returns: whether @key (lower case) is a word of the dictionary as it
 *   stands, i.e. not only as a capitalized name: "официально" is,
 *   "назарбаев" is not. Latin words are looked up in the English
 *   dictionary (hunspell-en-us) when it is installed.
 */
gboolean
svyaz_morph_is_common_word (SvyazMorph *self,
                            const char *key)
{
  gpointer cached;
  gboolean common;

  g_return_val_if_fail (self != NULL && key != NULL, FALSE);

  cached = g_hash_table_lookup (self->common, key);
  if (cached != NULL)
    return GPOINTER_TO_INT (cached) - 1;

  if ((guchar) key[0] < 0x80)
    common = self->hunspell_en != NULL && Hunspell_spell (self->hunspell_en, key) != 0;
  else
    common = Hunspell_spell (self->hunspell, key) != 0;
  g_hash_table_insert (self->common, (gpointer) intern (self, key), GINT_TO_POINTER (1 + common));
  return common;
}

const char *
svyaz_morph_stem_en (SvyazMorph *self,
                     const char *key)
{
  const char *cached;
  const sb_symbol *stem;

  g_return_val_if_fail (self != NULL && key != NULL, NULL);

  cached = g_hash_table_lookup (self->stems_en, key);
  if (cached != NULL)
    return cached;
  stem = sb_stemmer_stem (self->stemmer_en, (const sb_symbol *) key, (int) strlen (key));
  cached = intern (self, stem ? (const char *) stem : key);
  g_hash_table_insert (self->stems_en, (gpointer) intern (self, key), (gpointer) cached);
  return cached;
}

/* The affix flags the dictionary gives @word as written, or in lower case. */
static char *
word_flags (SvyazMorph *self,
            const char *word)
{
  const char *flags = g_hash_table_lookup (self->dic_flags, word);

  if (flags == NULL)
    {
      g_autofree char *lower = g_utf8_strdown (word, -1);
      flags = g_hash_table_lookup (self->dic_flags, lower);
    }
  return g_strdup (flags);
}

static gboolean
condition_matches (SuffixRule *rule,
                   const char *word)
{
  const char *p = word + strlen (word);

  for (gint i = (gint) rule->n_condition - 1; i >= 0; i--)
    {
      char one[8] = { 0 };
      gboolean in_set;

      if (p == word)
        return FALSE;
      p = g_utf8_prev_char (p);
      g_unichar_to_utf8 (g_unichar_tolower (g_utf8_get_char (p)), one);
      in_set = strstr (rule->condition[i], one) != NULL;
      if (in_set == rule->negated[i])
        return FALSE;
    }
  return TRUE;
}

/**
 * svyaz_morph_forms:
 * @word: a name word, e.g. "Назарбаев"
 * @model: (nullable): a dictionary word that declines like @word; when
 *   %NULL, the flags of @word itself are used
 *
 * Returns: (transfer full) (element-type utf8): @word and every form the
 *   dictionary's suffix rules make of it under those flags
 */
GPtrArray *
svyaz_morph_forms (SvyazMorph *self,
                   const char *word,
                   const char *model)
{
  GPtrArray *forms = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *flags = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (self != NULL && word != NULL, forms);

  g_ptr_array_add (forms, g_strdup (word));
  flags = word_flags (self, model ? model : word);
  if (flags == NULL)
    return forms;

  lower = g_utf8_strdown (word, -1);
  for (const char *f = flags; *f; f++)
    {
      char flag[2] = { *f, 0 };
      GPtrArray *rules = g_hash_table_lookup (self->rules, flag);

      for (guint i = 0; rules && i < rules->len; i++)
        {
          SuffixRule *rule = g_ptr_array_index (rules, i);
          gsize wlen = strlen (word), slen = strlen (rule->strip);

          if (!g_str_has_suffix (lower, rule->strip) || !condition_matches (rule, lower))
            continue;
          {
            g_autofree char *base = g_strndup (word, wlen - slen);
            g_ptr_array_add (forms, g_strconcat (base, rule->add, NULL));
          }
        }
    }
  return forms;
}

static int
compare_length_desc (gconstpointer a,
                     gconstpointer b)
{
  return (int) strlen (*(const char * const *) b) - (int) strlen (*(const char * const *) a);
}

/**
 * svyaz_morph_name_endings:
 *
 * Returns: (transfer none) (element-type utf8): the case endings that the
 *   dictionary's paradigms of typical names add ("Путин", "Александр",
 *   "Москва", "Россия", "площадь"), longest first. Unknown names are
 *   grouped by what is left when one of these is removed.
 */
GPtrArray *
svyaz_morph_name_endings (SvyazMorph *self)
{
  static const char * const models[] = { "Путин", "Александр", "Москва", "Россия", "площадь" };
  g_autoptr(GHashTable) seen = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->endings != NULL)
    return self->endings;

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  self->endings = g_ptr_array_new_with_free_func (g_free);
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_autofree char *flags = word_flags (self, models[m]);

      for (const char *f = flags; f && *f; f++)
        {
          char flag[2] = { *f, 0 };
          GPtrArray *rules = g_hash_table_lookup (self->rules, flag);

          for (guint i = 0; rules && i < rules->len; i++)
            {
              SuffixRule *rule = g_ptr_array_index (rules, i);
              const char *add = rule->add, *strip = rule->strip;

              /* Only plain endings: added to the base, or replacing its
               * final vowel, soft sign or й ("Москва" → "Москвы"). Rules
               * that change the stem ("кусок" → "куска") would strip too
               * much from names. */
              if (*strip != '\0' &&
                  (g_utf8_strlen (strip, -1) != 1 ||
                   g_utf8_strchr ("аяоеьйы", -1, g_utf8_get_char (strip)) == NULL))
                continue;
              /* Case endings start with a vowel; genitive plurals ("-ов")
               * would eat the suffix of surnames such as Назарбаев. */
              if (*add == '\0' ||
                  g_utf8_strchr ("аяоеёиыуюэ", -1, g_utf8_get_char (add)) == NULL ||
                  g_str_equal (add, "ов") || g_str_equal (add, "ев"))
                continue;
              if (!g_hash_table_contains (seen, add))
                {
                  g_hash_table_add (seen, (gpointer) add);
                  g_ptr_array_add (self->endings, g_strdup (add));
                }
            }
        }
    }
  g_ptr_array_sort (self->endings, compare_length_desc);
  return self->endings;
}

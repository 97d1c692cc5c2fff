/* svyaz-extract.c: entities and typed relations from news text.
 *
 * The pipeline, per document:
 *   1. sentences and tokens (svyaz-tokenize.c);
 *   2. lexicon names, matched on surface forms generated up front from
 *      hunspell-ru paradigms (svyaz-morph.c), longest match first;
 *   3. descriptors ("президент Казахстана", "казахстанский президент",
 *      "President of France") that name a person the text also names, and
 *      appositives ("министр … России Сергей Лавров"), both giving
 *      leader_of/official_of;
 *   4. names not in the lexicon: «quoted» names, abbreviations (ОДКБ,
 *      БелАЗ), runs of capitalized words that are not merely a common word
 *      starting a sentence, typed by a head noun or a title before them;
 *      their inflected mentions are grouped into one entity;
 *   5. relation rules from data/extract/rules.txt, with coordinated groups
 *      and a subject carried over from the previous sentence;
 *   6. a weak co-occurrence edge for every other pair in a sentence.
 * Everything linguistic lives in data/extract/ as readable text.
 */
#include "svyaz-extract.h"

#include "svyaz-morph.h"
#include "svyaz-text.h"
#include "svyaz-tokenize.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (svyaz-extract-error-quark, svyaz_extract_error)

/* Section: data */

typedef struct {
  char      *type;
  char      *name;
  char      *english;
  char      *description;
  GPtrArray *roles;         /* of "role\x1fcountry" */
} LexEntry;

typedef struct {
  guint        entry;
  guint        n_words;
  GHashTable **forms;       /* per word: set of keys */
  const char **base;        /* per word: the key as written */
} LexAlias;

typedef enum {
  SLOT_NONE,
  SLOT_LEFT,
  SLOT_RIGHT,
  SLOT_PREP,
} SlotKind;

typedef struct {
  char       *name;
  char       *lang;
  GHashTable *triggers;      /* lemma or stem key -> itself */
  char       *predicate;
  SlotKind    subject_slots[2];
  guint       type_mask_subject;
  SlotKind    object_slot;
  char       *object_prep;
  guint       type_mask_object;
  gboolean    reciprocal;
  double      confidence;
} Rule;

typedef struct {
  char *text;               /* as in roles.txt: "президент", "prime minister" */
  char *lang;
  char **words;             /* role words, e.g. {"prime", "minister"} */
  guint n_words;
  char *predicate;
} Role;

static const char * const entity_types[] = {
  "person", "country", "city", "company", "organization", "place", "event", NULL
};

struct _SvyazExtractor
{
  SvyazProgressFunc progress;
  gpointer        progress_data;
  SvyazMorph     *morph;
  SvyazTokenizer *tokenizer;
  GPtrArray      *entries;        /* of LexEntry */
  GPtrArray      *aliases;        /* of LexAlias */
  GHashTable     *first_forms;    /* first-word key -> GArray of alias index */
  GHashTable     *adjectives;     /* adjective form key -> entry index + 1 */
  GPtrArray      *roles;          /* of Role */
  GHashTable     *role_forms;     /* key -> Role* (single-word roles, every form) */
  GHashTable     *heads;          /* lemma key -> type */
  GPtrArray      *rules;          /* of Rule */
  GHashTable     *rule_index[2];  /* ru, en: trigger key -> GArray of rule index */
  GHashTable     *symmetric;      /* predicate -> itself */
  GHashTable     *given_names;    /* form key -> nominative given name */
  GHashTable     *control;        /* lemma key -> itself */
  GHashTable     *not_names;      /* key -> itself */
  GHashTable     *predicates;     /* predicate -> its class */
};

static guint
type_index (const char *type)
{
  for (guint i = 0; entity_types[i]; i++)
    if (g_str_equal (entity_types[i], type))
      return i;
  return G_MAXUINT;
}

static gboolean
parse_types (const char *spec,
             guint      *mask)
{
  g_auto(GStrv) types = g_strsplit (spec, ",", -1);

  *mask = 0;
  for (guint i = 0; types[i]; i++)
    {
      char *t = g_strstrip (types[i]);
      guint idx;

      if (g_str_equal (t, "*"))
        {
          *mask = G_MAXUINT;
          continue;
        }
      idx = type_index (t);
      if (idx == G_MAXUINT)
        return FALSE;
      *mask |= 1u << idx;
    }
  return *mask != 0;
}

/* Reads a data file of "|"-separated fields, skipping comments and blank
 * lines; every line must have between @min and @max fields. */
static GPtrArray *
read_table (const char  *data_dir,
            const char  *name,
            guint        min_fields,
            guint        max_fields,
            GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, "extract", name, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  if (!svyaz_text_validate (contents, len, path, error))
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);
      char **fields;
      guint n;

      if (*line == '\0' || *line == '#')
        continue;
      fields = g_strsplit (line, "|", -1);
      n = g_strv_length (fields);
      for (guint j = 0; j < n; j++)
        g_strstrip (fields[j]);
      if (n < min_fields || n > max_fields)
        {
          g_set_error (error, SVYAZ_EXTRACT_ERROR, SVYAZ_EXTRACT_ERROR_DATA,
                       "%s:%u: expected %u to %u fields separated by '|', found %u",
                       path, i + 1, min_fields, max_fields, n);
          g_strfreev (fields);
          g_ptr_array_unref (rows);
          return NULL;
        }
      g_ptr_array_add (rows, fields);
    }
  return rows;
}

static char *
key_of (const char *text)
{
  return svyaz_text_key (text, -1);
}

/* Lower-case keys of @word's forms: its own paradigm, a model's, or, for a
 * form the dictionary knows only as an inflection ("Независимых"), the
 * paradigm of its lemma. Latin words stay as they are. */
static GHashTable *
word_forms (SvyazExtractor *self,
            const char     *word,
            const char     *model)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *key = key_of (word);
  gboolean latin = (guchar) word[0] < 0x80;

  g_hash_table_add (set, g_strdup (key));
  if (latin)
    {
      g_hash_table_add (set, g_strconcat (key, "'s", NULL));
      return set;
    }

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GPtrArray) forms = svyaz_morph_forms (self->morph, word,
                                                      pass == 0 ? NULL : model);
      if (pass == 1 && model == NULL)
        break;
      for (guint i = 0; i < forms->len; i++)
        g_hash_table_add (set, key_of (g_ptr_array_index (forms, i)));
    }

  if (g_hash_table_size (set) == 1)
    {
      const char * const *lemmas = svyaz_morph_lemmas (self->morph, key);

      for (guint i = 0; lemmas[i]; i++)
        {
          g_autoptr(GPtrArray) forms = svyaz_morph_forms (self->morph, lemmas[i], NULL);

          for (guint j = 0; j < forms->len; j++)
            g_hash_table_add (set, key_of (g_ptr_array_index (forms, j)));
        }
    }
  return set;
}

/* A model word for a name word the dictionary does not know, by its
 * ending: surnames in -ов/-ев/-ин decline like Путин, other consonant
 * endings like Александр (people) or Казахстан, -а like Москва, -ия like
 * Россия, -ь like площадь. Words ending in other vowels do not decline. */
static const char *
model_for (const char *word,
           gboolean    person)
{
  g_autofree char *key = key_of (word);

  if (g_str_has_suffix (key, "ский") || g_str_has_suffix (key, "цкий"))
    return "русский";
  if (g_str_has_suffix (key, "ов") || g_str_has_suffix (key, "ев") ||
      g_str_has_suffix (key, "ин") || g_str_has_suffix (key, "ын"))
    return "Путин";
  if (g_str_has_suffix (key, "ия"))
    return "Россия";
  if (g_str_has_suffix (key, "а"))
    return "Москва";
  if (g_str_has_suffix (key, "ь"))
    return person ? "Игорь" : "площадь";
  if (g_str_has_suffix (key, "й"))
    return person ? "Сергей" : NULL;
  {
    gunichar last = g_utf8_get_char (g_utf8_prev_char (key + strlen (key)));
    if (g_utf8_strchr ("бвгджзклмнпрстфхцчшщ", -1, last) != NULL)
      return person ? "Александр" : "Казахстан";
  }
  return NULL;
}

/* Forms of one word of a name: a dictionary word declines by its own
 * paradigm, another by a model chosen from its ending (or @inflect). */
static GHashTable *
name_word_forms (SvyazExtractor *self,
                 const char     *word,
                 gboolean        person,
                 const char     *inflect)
{
  g_autofree char *key = key_of (word);
  const char *model = NULL;
  GHashTable *forms;

  if ((guchar) word[0] >= 0x80)
    {
      if (inflect != NULL)
        model = inflect;
      else if (!svyaz_morph_is_common_word (self->morph, key) &&
               svyaz_morph_lemmas (self->morph, word)[0] == NULL)
        model = model_for (word, person);
    }
  forms = word_forms (self, word, model);

  /* A foreign name in -ин or -ов may decline like Путин or like any noun
   * ending in a consonant ("Си Цзиньпином"): take both. */
  if (model != NULL && (g_str_equal (model, "Путин") || g_str_equal (model, "Александр")))
    {
      g_autoptr(GHashTable) more = word_forms (self, word, "Казахстан");
      GHashTableIter iter;
      gpointer form;

      g_hash_table_iter_init (&iter, more);
      while (g_hash_table_iter_next (&iter, &form, NULL))
        g_hash_table_add (forms, g_strdup (form));
    }
  return forms;
}

static void
add_alias (SvyazExtractor *self,
           guint           entry_index,
           const char     *alias,
           const char     *inflect)
{
  LexEntry *entry = g_ptr_array_index (self->entries, entry_index);
  g_auto(GStrv) words = NULL;
  g_autofree char *clean = svyaz_text_clean_name (alias, -1);
  gboolean person = g_str_equal (entry->type, "person");
  LexAlias *a;
  GArray *list;
  guint n;

  if (*clean == '\0')
    return;
  words = g_strsplit (clean, " ", -1);
  n = g_strv_length (words);

  a = g_new0 (LexAlias, 1);
  a->entry = entry_index;
  a->n_words = n;
  a->forms = g_new0 (GHashTable *, n);
  a->base = g_new0 (const char *, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = key_of (words[i]);
      /* Function words inside names ("о", "of") do not decline. */
      gboolean small = g_utf8_strlen (words[i], -1) <= 2 && !g_unichar_isupper (g_utf8_get_char (words[i]));

      if (small)
        {
          a->forms[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_add (a->forms[i], g_strdup (key));
        }
      else
        a->forms[i] = name_word_forms (self, words[i], person, i == n - 1 ? inflect : NULL);
      a->base[i] = svyaz_tokenizer_intern (self->tokenizer, key);
    }
  g_ptr_array_add (self->aliases, a);

  /* Index by every form of the first word. */
  {
    GHashTableIter iter;
    gpointer form;

    g_hash_table_iter_init (&iter, a->forms[0]);
    while (g_hash_table_iter_next (&iter, &form, NULL))
      {
        const char *k = svyaz_tokenizer_intern (self->tokenizer, form);
        guint index = self->aliases->len - 1;

        list = g_hash_table_lookup (self->first_forms, k);
        if (list == NULL)
          {
            list = g_array_new (FALSE, FALSE, sizeof (guint));
            g_hash_table_insert (self->first_forms, (gpointer) k, list);
          }
        g_array_append_val (list, index);
      }
  }
}

static void
lex_alias_free (LexAlias *a)
{
  for (guint i = 0; i < a->n_words; i++)
    g_hash_table_unref (a->forms[i]);
  g_free (a->forms);
  g_free (a->base);
  g_free (a);
}

static void
lex_entry_free (LexEntry *e)
{
  g_free (e->type);
  g_free (e->name);
  g_free (e->english);
  g_free (e->description);
  g_ptr_array_unref (e->roles);
  g_free (e);
}

static void
rule_free (Rule *r)
{
  g_free (r->name);
  g_free (r->lang);
  g_hash_table_unref (r->triggers);
  g_free (r->predicate);
  g_free (r->object_prep);
  g_free (r);
}

static void
role_free (Role *r)
{
  g_free (r->text);
  g_free (r->lang);
  g_strfreev (r->words);
  g_free (r->predicate);
  g_free (r);
}

static gboolean
load_lexicon (SvyazExtractor  *self,
              const char      *data_dir,
              GError         **error)
{
  g_autoptr(GPtrArray) rows = read_table (data_dir, "lexicon.txt", 6, 6, error);

  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      char **f = g_ptr_array_index (rows, i);
      LexEntry *e;
      g_auto(GStrv) aliases = NULL;
      g_auto(GStrv) attrs = NULL;
      const char *inflect = NULL;
      guint index = self->entries->len;

      if (type_index (f[0]) == G_MAXUINT || *f[1] == '\0')
        {
          g_set_error (error, SVYAZ_EXTRACT_ERROR, SVYAZ_EXTRACT_ERROR_DATA,
                       "lexicon.txt: entry %u (\"%s\"): unknown type \"%s\" or no name",
                       i + 1, f[1], f[0]);
          return FALSE;
        }

      e = g_new0 (LexEntry, 1);
      e->type = g_strdup (f[0]);
      e->name = g_strdup (f[1]);
      e->english = *f[2] ? g_strdup (f[2]) : NULL;
      e->description = *f[4] ? g_strdup (f[4]) : NULL;
      e->roles = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->entries, e);

      attrs = g_strsplit (f[5], ";", -1);
      for (guint j = 0; attrs[j]; j++)
        {
          char *eq = strchr (g_strstrip (attrs[j]), '=');

          if (eq == NULL && *attrs[j] != '\0')
            {
              g_set_error (error, SVYAZ_EXTRACT_ERROR, SVYAZ_EXTRACT_ERROR_DATA,
                           "lexicon.txt: entry \"%s\": attribute \"%s\" has no '='",
                           e->name, attrs[j]);
              return FALSE;
            }
          if (eq != NULL && g_str_has_prefix (attrs[j], "inflect="))
            inflect = eq + 1;
        }

      add_alias (self, index, e->name, inflect);
      if (e->english)
        add_alias (self, index, e->english, NULL);
      aliases = g_strsplit (f[3], ";", -1);
      for (guint j = 0; aliases[j]; j++)
        add_alias (self, index, g_strstrip (aliases[j]), inflect);

      /* A person is also named by their surname alone. */
      if (g_str_equal (e->type, "person") && strchr (e->name, ' '))
        add_alias (self, index, strrchr (e->name, ' ') + 1, NULL);

      for (guint j = 0; attrs[j]; j++)
        {
          g_autofree char *a = g_strdup (attrs[j]);
          char *eq = strchr (a, '=');
          const char *value;

          if (eq == NULL)
            continue;
          *eq = '\0';
          value = eq + 1;
          if (g_str_equal (a, "adj") || g_str_equal (a, "adj_en"))
            {
              g_autoptr(GHashTable) forms = word_forms (self, value, NULL);
              GHashTableIter iter;
              gpointer form;

              g_hash_table_iter_init (&iter, forms);
              while (g_hash_table_iter_next (&iter, &form, NULL))
                g_hash_table_insert (self->adjectives,
                                     (gpointer) svyaz_tokenizer_intern (self->tokenizer, form),
                                     GUINT_TO_POINTER (index + 1));
            }
          else if (g_str_equal (a, "role"))
            {
              const char *at = strchr (value, '@');
              if (at != NULL)
                {
                  g_autofree char *role = g_strndup (value, at - value);
                  g_ptr_array_add (e->roles, g_strconcat (role, "\x1f", at + 1, NULL));
                }
            }
        }
    }
  return TRUE;
}

static gboolean
load_roles (SvyazExtractor  *self,
            const char      *data_dir,
            GError         **error)
{
  g_autoptr(GPtrArray) rows = read_table (data_dir, "roles.txt", 3, 3, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = g_ptr_array_index (rows, i);
      Role *r = g_new0 (Role, 1);

      r->text = g_strdup (f[0]);
      r->lang = g_strdup (f[1]);
      r->words = g_strsplit (f[0], " ", -1);
      r->n_words = g_strv_length (r->words);
      r->predicate = g_strdup (f[2]);
      g_ptr_array_add (self->roles, r);

      if (r->n_words == 1)
        {
          g_autoptr(GHashTable) forms = word_forms (self, f[0], NULL);
          GHashTableIter iter;
          gpointer form;

          if (g_str_equal (r->lang, "en"))
            g_hash_table_add (forms, g_strconcat (f[0], "s", NULL));
          g_hash_table_iter_init (&iter, forms);
          while (g_hash_table_iter_next (&iter, &form, NULL))
            g_hash_table_insert (self->role_forms,
                                 (gpointer) svyaz_tokenizer_intern (self->tokenizer, form), r);
        }
    }
  return TRUE;
}

static gboolean
load_heads (SvyazExtractor  *self,
            const char      *data_dir,
            GError         **error)
{
  g_autoptr(GPtrArray) rows = read_table (data_dir, "heads.txt", 2, 2, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = g_ptr_array_index (rows, i);
      guint t = type_index (f[1]);

      if (t == G_MAXUINT)
        {
          g_set_error (error, SVYAZ_EXTRACT_ERROR, SVYAZ_EXTRACT_ERROR_DATA,
                       "heads.txt: \"%s\": unknown type \"%s\"", f[0], f[1]);
          return FALSE;
        }
      g_hash_table_insert (self->heads,
                           (gpointer) svyaz_tokenizer_intern (self->tokenizer, f[0]),
                           (gpointer) entity_types[t]);
    }
  return TRUE;
}

/* A file of one word per line, each added to @set under its key (and,
 * with @forms, every form of it, mapped to the word as written). */
static gboolean
load_word_list (SvyazExtractor  *self,
                const char      *data_dir,
                const char      *name,
                GHashTable      *set,
                gboolean         forms,
                GError         **error)
{
  g_autoptr(GPtrArray) rows = read_table (data_dir, name, 1, 1, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const char *word = ((char **) g_ptr_array_index (rows, i))[0];
      const char *value = svyaz_tokenizer_intern (self->tokenizer, word);
      g_autofree char *key = key_of (word);

      g_hash_table_insert (set, (gpointer) svyaz_tokenizer_intern (self->tokenizer, key),
                           (gpointer) value);
      if (forms)
        {
          g_autoptr(GHashTable) all = name_word_forms (self, word, TRUE, NULL);
          GHashTableIter iter;
          gpointer form;

          g_hash_table_iter_init (&iter, all);
          while (g_hash_table_iter_next (&iter, &form, NULL))
            g_hash_table_insert (set, (gpointer) svyaz_tokenizer_intern (self->tokenizer, form),
                                 (gpointer) value);
        }
    }
  return TRUE;
}

static gboolean
parse_slot (const char  *spec,
            Rule        *rule,
            gboolean     subject,
            GError     **error)
{
  g_autofree char *copy = g_strdup (spec);
  char *colon = strchr (copy, ':');
  char *plus;
  g_auto(GStrv) slots = NULL;

  if (colon == NULL)
    goto bad;
  *colon = '\0';
  plus = strchr (colon + 1, '+');
  if (plus != NULL)
    {
      if (subject || !g_str_equal (plus + 1, "reciprocal"))
        goto bad;
      rule->reciprocal = TRUE;
      *plus = '\0';
    }
  if (!parse_types (colon + 1, subject ? &rule->type_mask_subject : &rule->type_mask_object))
    goto bad;

  slots = g_strsplit (copy, ",", 2);
  for (guint i = 0; slots[i]; i++)
    {
      SlotKind kind;

      if (subject && g_str_equal (slots[i], "none"))
        kind = SLOT_NONE;
      else if (g_str_equal (slots[i], "left"))
        kind = SLOT_LEFT;
      else if (g_str_equal (slots[i], "right"))
        kind = SLOT_RIGHT;
      else if (!subject && g_str_has_prefix (slots[i], "prep="))
        {
          kind = SLOT_PREP;
          rule->object_prep = g_strdup (slots[i] + 5);
        }
      else
        goto bad;
      if (subject)
        rule->subject_slots[i] = kind;
      else if (i == 0)
        rule->object_slot = kind;
      else
        goto bad;
    }
  return TRUE;

bad:
  g_set_error (error, SVYAZ_EXTRACT_ERROR, SVYAZ_EXTRACT_ERROR_DATA,
               "rules.txt: rule \"%s\": cannot read %s \"%s\"",
               rule->name, subject ? "subject" : "object", spec);
  return FALSE;
}

static gboolean
load_rules (SvyazExtractor  *self,
            const char      *data_dir,
            GError         **error)
{
  g_autoptr(GPtrArray) preds = read_table (data_dir, "predicates.txt", 4, 4, error);
  g_autoptr(GPtrArray) rows = NULL;

  if (preds == NULL)
    return FALSE;
  for (guint i = 0; i < preds->len; i++)
    {
      char **f = g_ptr_array_index (preds, i);
      const char *p = svyaz_tokenizer_intern (self->tokenizer, f[0]);

      g_hash_table_insert (self->predicates, (gpointer) p,
                           (gpointer) svyaz_tokenizer_intern (self->tokenizer, f[2]));
      if (g_str_equal (f[1], "yes"))
        g_hash_table_add (self->symmetric, (gpointer) p);
    }

  rows = read_table (data_dir, "rules.txt", 7, 7, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = g_ptr_array_index (rows, i);
      Rule *r = g_new0 (Rule, 1);
      g_auto(GStrv) triggers = g_strsplit (f[2], ",", -1);

      r->name = g_strdup (f[0]);
      r->lang = g_strdup (f[1]);
      r->predicate = g_strdup (f[3]);
      r->triggers = g_hash_table_new (g_str_hash, g_str_equal);
      r->confidence = g_ascii_strtod (f[6], NULL);
      g_ptr_array_add (self->rules, r);

      if (!g_hash_table_contains (self->predicates, r->predicate))
        {
          g_set_error (error, SVYAZ_EXTRACT_ERROR, SVYAZ_EXTRACT_ERROR_DATA,
                       "rules.txt: rule \"%s\": predicate \"%s\" is not in predicates.txt",
                       r->name, r->predicate);
          return FALSE;
        }
      if (!(r->confidence > 0.0 && r->confidence <= 1.0))
        {
          g_set_error (error, SVYAZ_EXTRACT_ERROR, SVYAZ_EXTRACT_ERROR_DATA,
                       "rules.txt: rule \"%s\": confidence must be in (0, 1]", r->name);
          return FALSE;
        }
      if (!parse_slot (f[4], r, TRUE, error) || !parse_slot (f[5], r, FALSE, error))
        return FALSE;

      for (guint j = 0; triggers[j]; j++)
        {
          g_autofree char *key = key_of (g_strstrip (triggers[j]));
          const char *k = g_str_equal (r->lang, "en")
                            ? svyaz_morph_stem_en (self->morph, key)
                            : svyaz_tokenizer_intern (self->tokenizer, key);

          g_hash_table_add (r->triggers, (gpointer) k);
          if (g_str_equal (r->lang, "en"))
            g_hash_table_add (r->triggers, (gpointer) svyaz_tokenizer_intern (self->tokenizer, key));
        }
    }

  /* Which rules a key triggers, so a token costs one lookup per form of
   * it rather than one per rule and form. */
  for (guint l = 0; l < 2; l++)
    self->rule_index[l] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                 (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *r = g_ptr_array_index (self->rules, i);
      GHashTable *index = self->rule_index[g_str_equal (r->lang, "en") ? 1 : 0];
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, r->triggers);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          GArray *list = g_hash_table_lookup (index, key);

          if (list == NULL)
            {
              list = g_array_new (FALSE, FALSE, sizeof (guint));
              g_hash_table_insert (index, key, list);
            }
          g_array_append_val (list, i);
        }
    }
  return TRUE;
}

/**
 * svyaz_extractor_new:
 * @data_dir: the folder holding `extract/` (see svyaz_find_data_dir())
 *
 * Loads the lexicon, rules and dictionaries. Loading takes a fraction of a
 * second; reuse one extractor for many documents.
 */
SvyazExtractor *
svyaz_extractor_new (const char  *data_dir,
                     GError     **error)
{
  g_autoptr(SvyazExtractor) self = g_new0 (SvyazExtractor, 1);

  g_return_val_if_fail (data_dir != NULL, NULL);

  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) lex_entry_free);
  self->aliases = g_ptr_array_new_with_free_func ((GDestroyNotify) lex_alias_free);
  self->first_forms = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) g_array_unref);
  self->adjectives = g_hash_table_new (g_str_hash, g_str_equal);
  self->roles = g_ptr_array_new_with_free_func ((GDestroyNotify) role_free);
  self->role_forms = g_hash_table_new (g_str_hash, g_str_equal);
  self->heads = g_hash_table_new (g_str_hash, g_str_equal);
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  self->symmetric = g_hash_table_new (g_str_hash, g_str_equal);
  self->predicates = g_hash_table_new (g_str_hash, g_str_equal);
  self->given_names = g_hash_table_new (g_str_hash, g_str_equal);
  self->control = g_hash_table_new (g_str_hash, g_str_equal);
  self->not_names = g_hash_table_new (g_str_hash, g_str_equal);

  self->morph = svyaz_morph_new (error);
  if (self->morph == NULL)
    return NULL;
  self->tokenizer = svyaz_tokenizer_new ("ru", error);
  if (self->tokenizer == NULL)
    return NULL;

  if (!load_heads (self, data_dir, error) ||
      !load_roles (self, data_dir, error) ||
      !load_rules (self, data_dir, error) ||
      !load_word_list (self, data_dir, "given-names.txt", self->given_names, TRUE, error) ||
      !load_word_list (self, data_dir, "control-verbs.txt", self->control, FALSE, error) ||
      !load_word_list (self, data_dir, "not-names.txt", self->not_names, FALSE, error) ||
      !load_lexicon (self, data_dir, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
svyaz_extractor_free (SvyazExtractor *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->first_forms, g_hash_table_unref);
  g_clear_pointer (&self->aliases, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->adjectives, g_hash_table_unref);
  g_clear_pointer (&self->role_forms, g_hash_table_unref);
  g_clear_pointer (&self->roles, g_ptr_array_unref);
  g_clear_pointer (&self->heads, g_hash_table_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->rule_index[0], g_hash_table_unref);
  g_clear_pointer (&self->rule_index[1], g_hash_table_unref);
  g_clear_pointer (&self->symmetric, g_hash_table_unref);
  g_clear_pointer (&self->predicates, g_hash_table_unref);
  g_clear_pointer (&self->given_names, g_hash_table_unref);
  g_clear_pointer (&self->control, g_hash_table_unref);
  g_clear_pointer (&self->not_names, g_hash_table_unref);
  g_clear_pointer (&self->tokenizer, svyaz_tokenizer_free);
  g_clear_pointer (&self->morph, svyaz_morph_free);
  g_free (self);
}

gboolean
svyaz_predicate_is_symmetric (SvyazExtractor *self,
                              const char     *predicate)
{
  g_return_val_if_fail (self != NULL && predicate != NULL, FALSE);

  return g_hash_table_contains (self->symmetric, predicate);
}

/**
 * svyaz_predicate_class:
 *
 * Returns: (nullable): the class of @predicate from predicates.txt
 *   ("visited" and "travels_to" are both "visit"), or %NULL if unknown
 */
const char *
svyaz_predicate_class (SvyazExtractor *self,
                       const char     *predicate)
{
  g_return_val_if_fail (self != NULL && predicate != NULL, NULL);

  return g_hash_table_lookup (self->predicates, predicate);
}

void
svyaz_extraction_free (SvyazExtraction *x)
{
  if (x == NULL)
    return;
  for (guint i = 0; x->entities && i < x->entities->len; i++)
    {
      SvyazExtractedEntity *e = g_ptr_array_index (x->entities, i);
      g_free (e->name);
      g_free (e->english);
      g_free (e->type);
      g_free (e->description);
      g_ptr_array_unref (e->surfaces);
      g_free (e);
    }
  g_clear_pointer (&x->entities, g_ptr_array_unref);
  g_clear_pointer (&x->mentions, g_array_unref);
  g_clear_pointer (&x->relations, g_array_unref);
  g_free (x->lang);
  g_free (x);
}

/* Section: one document */

/* A mention found in the text, before entities are merged. */
typedef struct {
  guint    t0, t1;        /* token span [t0, t1) */
  guint    sentence;
  gint     entry;         /* lexicon entry, or -1 */
  char    *name;          /* for unknown names: the surface as written */
  char    *group_key;     /* for unknown names: key used to merge forms */
  const char *type;
  gboolean nominative;
  gboolean quoted;
  gboolean descriptive;   /* "президента Казахстана", "казахстанского": not a name */
  gint     entity;        /* after merging: index into the result */
  /* A descriptor waiting to be resolved to a person of the document. */
  const char *role_word;  /* role lemma as in lexicon roles, or NULL */
  gint     country_entry;  /* the lexicon entry of the holder, or -1 */
  guint    holder_t0;      /* first token of the country/company mention */
  const char *role_predicate;
} Mention;

typedef struct {
  SvyazExtractor *ex;
  const char     *text;
  gboolean        en;
  GArray         *sentences;
  GArray         *tokens;
  guint8         *used;        /* per token: part of a mention */
  GArray         *mentions;    /* of Mention */
  SvyazExtraction *result;
  GHashTable     *relation_keys;
} Doc;

#define TOK(d, i) (&g_array_index ((d)->tokens, SvyazToken, (i)))

static gboolean is_separator     (Doc *d, guint i);
static char    *group_key_of     (Doc *d, const char *key);
static void     set_unknown_type (Doc *d, Mention *m, const char *type);
#define MEN(d, i) (&g_array_index ((d)->mentions, Mention, (i)))

static gboolean
is_word (Doc *d, guint i)
{
  return TOK (d, i)->kind == SVYAZ_TOKEN_WORD;
}

static gboolean
is_cap (Doc *d, guint i)
{
  return is_word (d, i) && (TOK (d, i)->flags & SVYAZ_TOKEN_CAP);
}

static void
add_mention (Doc *d, Mention *m)
{
  m->entity = -1;
  for (guint i = m->t0; i < m->t1; i++)
    d->used[i] = 1;
  g_array_append_val (d->mentions, *m);
}

/* Longest lexicon alias starting at token @i of a sentence ending at @end. */
static gboolean
match_lexicon (Doc *d, guint i, guint end, Mention *out)
{
  GArray *candidates = g_hash_table_lookup (d->ex->first_forms, TOK (d, i)->key);
  guint best_len = 0;
  gint best = -1;
  gboolean best_nominative = FALSE;

  if (candidates == NULL || !is_word (d, i))
    return FALSE;

  for (guint c = 0; c < candidates->len; c++)
    {
      LexAlias *a = g_ptr_array_index (d->ex->aliases, g_array_index (candidates, guint, c));
      gboolean ok = TRUE, nominative = TRUE;

      if (a->n_words <= best_len || i + a->n_words > end)
        continue;
      for (guint w = 0; w < a->n_words && ok; w++)
        {
          SvyazToken *t = TOK (d, i + w);

          ok = t->kind == SVYAZ_TOKEN_WORD && !d->used[i + w] &&
               g_hash_table_contains (a->forms[w], t->key);
          nominative = nominative && t->key == a->base[w];
        }
      /* A lower-case word alone names nothing: "рб", "us" as words. */
      if (ok && a->n_words == 1 && !(TOK (d, i)->flags & (SVYAZ_TOKEN_CAP)))
        ok = FALSE;
      if (ok)
        {
          best_len = a->n_words;
          best = (gint) a->entry;
          best_nominative = nominative;
        }
    }
  if (best < 0)
    return FALSE;

  memset (out, 0, sizeof *out);
  out->t0 = i;
  out->t1 = i + best_len;
  out->entry = best;
  out->type = ((LexEntry *) g_ptr_array_index (d->ex->entries, best))->type;
  out->nominative = best_nominative;
  return TRUE;
}

static gint
mention_at (Doc *d, guint token)
{
  for (guint i = 0; i < d->mentions->len; i++)
    if (MEN (d, i)->t0 <= token && token < MEN (d, i)->t1)
      return (gint) i;
  return -1;
}

/* The role starting at token @i, if any, and how many tokens it takes. */
static Role *
role_at (Doc *d, guint i, guint end, guint *n_tokens)
{
  Role *r;

  if (!is_word (d, i))
    return NULL;
  r = g_hash_table_lookup (d->ex->role_forms, TOK (d, i)->key);
  if (r != NULL)
    {
      *n_tokens = 1;
      return r;
    }
  for (guint k = 0; k < d->ex->roles->len; k++)
    {
      Role *m = g_ptr_array_index (d->ex->roles, k);
      gboolean ok = m->n_words > 1 && i + m->n_words <= end;

      for (guint w = 0; ok && w < m->n_words; w++)
        {
          const char *key = TOK (d, i + w)->key;
          ok = g_str_equal (key, m->words[w]) ||
               (w == m->n_words - 1 && g_str_has_prefix (key, m->words[w]));
        }
      if (ok)
        {
          *n_tokens = m->n_words;
          return m;
        }
    }
  return NULL;
}

/* Marks descriptors and appositives around country mentions. */
static void
find_descriptors (Doc *d, guint s)
{
  SvyazSentence *sent = &g_array_index (d->sentences, SvyazSentence, s);
  guint end = sent->first_token + sent->n_tokens;

  for (guint i = sent->first_token; i < end; i++)
    {
      guint n_role = 0, after, holder = 0;
      gboolean via_office = FALSE;
      Role *role = role_at (d, i, end, &n_role);
      gint country = -1;
      gint cm;
      Mention m = { 0 };

      if (role == NULL || d->used[i])
        {
          /* "казахстанский президент", "Kazakh President" */
          gpointer adj = is_word (d, i) ? g_hash_table_lookup (d->ex->adjectives, TOK (d, i)->key) : NULL;

          if (adj == NULL || i + 1 >= end || (role = role_at (d, i + 1, end, &n_role)) == NULL)
            continue;
          country = (gint) GPOINTER_TO_UINT (adj) - 1;
          {
            /* The adjective names the country too. */
            Mention cm_adj = { .t0 = i, .t1 = i + 1, .sentence = s, .entry = country,
                               .type = "country", .country_entry = -1, .descriptive = TRUE };
            add_mention (d, &cm_adj);
            holder = i;
          }
          m.t0 = i;
          m.t1 = i + 1 + n_role;
        }
      else
        {
          /* "президент Казахстана", "министр иностранных дел России",
           * "President of France" */
          guint j = i + n_role;
          guint skipped = 0;

          if (j < end && d->en && g_str_equal (TOK (d, j)->key, "of"))
            j++;
          while (j < end && skipped < 3 && (cm = mention_at (d, j)) < 0 &&
                 is_word (d, j) && !is_cap (d, j))
            {
              j++;
              skipped++;
            }
          if (j >= end || (cm = mention_at (d, j)) < 0 ||
              !(g_str_equal (MEN (d, cm)->type, "country") ||
                g_str_equal (MEN (d, cm)->type, "company") ||
                g_str_equal (MEN (d, cm)->type, "organization")))
            continue;
          /* "глава МИД Турции Хакан Фидан": an office of the country. */
          if (MEN (d, cm)->entry < 0 && MEN (d, cm)->t1 < end)
            {
              gint next = mention_at (d, MEN (d, cm)->t1);

              if (next >= 0 && g_str_equal (MEN (d, next)->type, "country"))
                {
                  cm = next;
                  via_office = TRUE;
                }
            }
          /* An unknown organization can only head an appositive. */
          if (MEN (d, cm)->entry < 0 &&
              !(MEN (d, cm)->t1 < end && mention_at (d, MEN (d, cm)->t1) >= 0))
            continue;
          country = MEN (d, cm)->entry;
          holder = MEN (d, cm)->t0;
          m.t0 = i;
          m.t1 = MEN (d, cm)->t1;
        }

      after = m.t1;
      m.sentence = s;
      m.entry = -1;
      m.type = "person";
      m.descriptive = TRUE;
      m.role_word = role->text;
      m.role_predicate = via_office ? "official_of" : role->predicate;
      m.country_entry = country;
      m.holder_t0 = holder;

      /* Appositive: the person is named right after; an unknown name
       * there is a person's. */
      if (after < end && (cm = mention_at (d, after)) >= 0 &&
          MEN (d, cm)->t0 == after &&
          (g_str_equal (MEN (d, cm)->type, "person") ||
           (MEN (d, cm)->entry < 0 && MEN (d, cm)->group_key != NULL && !MEN (d, cm)->quoted)))
        {
          if (!g_str_equal (MEN (d, cm)->type, "person"))
            set_unknown_type (d, MEN (d, cm), "person");
          MEN (d, cm)->country_entry = country;
          MEN (d, cm)->holder_t0 = holder;
          MEN (d, cm)->role_predicate = m.role_predicate;
          MEN (d, cm)->role_word = NULL;
          i = after;
          continue;
        }
      /* Only role words that a lexicon person may hold become mentions;
       * the country inside stays a mention of its own. */
      for (guint k = m.t0; k < m.t1; k++)
        if (mention_at (d, k) < 0)
          d->used[k] = 1;
      m.entity = -1;
      g_array_append_val (d->mentions, m);
      i = m.t1 - 1;
    }
}

static const char *
head_type (Doc *d, guint i)
{
  const char *type;
  const char * const *lemmas;

  if (!is_word (d, i))
    return NULL;
  type = g_hash_table_lookup (d->ex->heads, TOK (d, i)->key);
  if (type != NULL)
    return type;
  lemmas = svyaz_morph_lemmas (d->ex->morph, TOK (d, i)->key);
  for (guint k = 0; lemmas[k]; k++)
    if ((type = g_hash_table_lookup (d->ex->heads, lemmas[k])) != NULL)
      return type;
  /* A head the dictionary lacks ("технопарке"): drop a case ending. */
  {
    g_autofree char *stem = group_key_of (d, TOK (d, i)->key);
    return g_hash_table_lookup (d->ex->heads, stem);
  }
}

/* Strips a case ending the dictionary's name paradigms use, keeping at
 * least three letters, so "Фиданом" and "Фидан" meet. */
static char *
group_key_of (Doc *d, const char *key)
{
  GPtrArray *endings = svyaz_morph_name_endings (d->ex->morph);
  glong len = g_utf8_strlen (key, -1);

  for (guint i = 0; i < endings->len; i++)
    {
      const char *e = g_ptr_array_index (endings, i);

      if (g_str_has_suffix (key, e) && len - g_utf8_strlen (e, -1) >= 3)
        return g_strndup (key, strlen (key) - strlen (e));
    }
  return g_strdup (key);
}

static char *
surface (Doc *d, guint t0, guint t1)
{
  return svyaz_text_clean_name (d->text + TOK (d, t0)->start,
                                TOK (d, t1 - 1)->end - TOK (d, t0)->start);
}

static gboolean
surname_like (const char *key)
{
  static const char * const endings[] = {
    "ов", "ев", "ин", "ын", "ский", "цкий", "ко", "ук", "юк", "ян", "дзе", "швили",
    "ич", "ских", "ова", "ева", "ина", "ская", NULL
  };
  for (guint i = 0; endings[i]; i++)
    if (g_str_has_suffix (key, endings[i]))
      return TRUE;
  return FALSE;
}

/* The key that merges the forms of one unknown name: the words of a
 * person's name, and the first word of other Russian names, lose the case
 * ending the dictionary's name paradigms give them. */
static char *
compute_group_key (Doc *d, const Mention *m)
{
  GString *key = g_string_new (NULL);
  gboolean person = g_str_equal (m->type, "person");

  for (guint i = m->t0; i < m->t1; i++)
    {
      g_autofree char *g = NULL;

      if (!is_word (d, i) && TOK (d, i)->kind != SVYAZ_TOKEN_NUMBER)
        continue;
      const char *given = person ? g_hash_table_lookup (d->ex->given_names, TOK (d, i)->key) : NULL;

      if (given != NULL)
        g = key_of (given);
      else if (!m->quoted && !d->en && (i == m->t0 || person))
        g = group_key_of (d, TOK (d, i)->key);
      else
        g = g_strdup (TOK (d, i)->key);
      if (key->len)
        g_string_append_c (key, ' ');
      g_string_append (key, g);
    }
  return g_string_free (key, FALSE);
}

static void
set_unknown_type (Doc *d, Mention *m, const char *type)
{
  m->type = type;
  g_free (m->group_key);
  m->group_key = compute_group_key (d, m);
}

static void
add_unknown (Doc *d, guint s, guint t0, guint t1, const char *type, gboolean quoted)
{
  Mention m = { 0 };

  /* Thousands of letters in a row are no name, and the store would
   * refuse them as one. */
  if (TOK (d, t1 - 1)->end - TOK (d, t0)->start > SVYAZ_TEXT_NAME_MAX)
    return;

  m.t0 = t0;
  m.t1 = t1;
  m.sentence = s;
  m.entry = -1;
  m.country_entry = -1;
  m.quoted = quoted;
  m.name = quoted ? svyaz_text_clean_name (d->text + TOK (d, t0)->end,
                                           TOK (d, t1 - 1)->start - TOK (d, t0)->end)
                  : surface (d, t0, t1);
  m.nominative = TRUE;
  set_unknown_type (d, &m, type);
  add_mention (d, &m);
}

static gboolean
is_locative (Doc *d, guint i)
{
  static const char * const preps[] = { "в", "во", "из", "под", "in", "at", "from", "to", "near", NULL };

  if (!is_word (d, i))
    return FALSE;
  for (guint k = 0; preps[k]; k++)
    if (g_str_equal (TOK (d, i)->key, preps[k]))
      return TRUE;
  return FALSE;
}

/* The type of an unknown run of capitalized words [i, j). */
static const char *
classify_run (Doc *d, guint first, guint i, guint j, gboolean after_role)
{
  guint n = j - i;
  g_autofree char *last_key = group_key_of (d, TOK (d, j - 1)->key);
  gboolean latin = (TOK (d, i)->flags & SVYAZ_TOKEN_LATIN) != 0;
  const char *type;

  if (after_role)
    return "person";
  if (n >= 2 && g_hash_table_contains (d->ex->given_names, TOK (d, i)->key))
    return "person";
  if (i > first && (type = head_type (d, i - 1)) != NULL)
    return type;
  if ((type = head_type (d, i)) != NULL && n > 1)
    return type;
  if (d->en && n >= 2 && (type = head_type (d, j - 1)) != NULL)
    return type;
  if (n >= 2 && n <= 3 && !latin && surname_like (last_key))
    return "person";
  if (n == 1 && !latin && surname_like (last_key) && !is_locative (d, i - (i > first)))
    return "person";
  if (n == 1 && i > first && is_locative (d, i - 1))
    return "city";
  if (d->en && n >= 2 && n <= 3)
    return "person";
  if (latin)
    return "company";
  return n == 1 ? "city" : "place";
}

static void
find_unknown (Doc *d, guint s)
{
  SvyazSentence *sent = &g_array_index (d->sentences, SvyazSentence, s);
  guint first = sent->first_token;
  guint end = first + sent->n_tokens;

  for (guint i = first; i < end; i++)
    {
      SvyazToken *t = TOK (d, i);
      guint role_len = 0;

      if (d->used[i])
        continue;

      /* «Quoted Name» */
      if (t->kind == SVYAZ_TOKEN_QUOTE_OPEN)
        {
          guint j = i + 1;

          while (j < end && j < i + 8 && TOK (d, j)->kind != SVYAZ_TOKEN_QUOTE_CLOSE &&
                 TOK (d, j)->kind != SVYAZ_TOKEN_QUOTE_OPEN)
            j++;
          if (j < end && TOK (d, j)->kind == SVYAZ_TOKEN_QUOTE_CLOSE && j > i + 1 &&
              is_cap (d, i + 1))
            {
              gboolean free_span = TRUE;

              for (guint k = i; k <= j; k++)
                free_span = free_span && !d->used[k];
              if (free_span)
                {
                  const char *type = i > first ? head_type (d, i - 1) : NULL;
                  add_unknown (d, s, i, j + 1, type ? type : "company", TRUE);
                  i = j;
                }
            }
          continue;
        }

      if (!is_word (d, i) || g_hash_table_contains (d->ex->not_names, t->key))
        continue;

      /* ОДКБ, БелАЗ: an abbreviation on its own (one followed by a
       * capitalized word starts a run instead: "IT Park"). */
      if ((t->flags & (SVYAZ_TOKEN_ALLCAPS | SVYAZ_TOKEN_MIXED)) &&
          g_utf8_strlen (t->key, -1) >= 2 &&
          !(i + 1 < end && is_cap (d, i + 1) && !d->used[i + 1] &&
            !(TOK (d, i + 1)->flags & SVYAZ_TOKEN_ALLCAPS)) &&
          !(((t->flags & SVYAZ_TOKEN_MIXED) || g_utf8_strlen (t->key, -1) >= 5) &&
            svyaz_morph_is_common_word (d->ex->morph, t->key)) &&
          !g_hash_table_contains (d->ex->heads, t->key))
        {
          const char *type = i > first ? head_type (d, i - 1) : NULL;
          add_unknown (d, s, i, i + 1, type ? type : "organization", FALSE);
          continue;
        }

      /* Runs of capitalized words; a country's adjective or an office
       * ("French President") belongs to a descriptor, not a name. */
      if (is_cap (d, i) && !g_hash_table_contains (d->ex->adjectives, t->key) &&
          !(d->en && role_at (d, i, end, &role_len) != NULL))
        {
          guint j = i;
          guint n;
          gboolean after_role = FALSE;

          gboolean of_name = FALSE;

          while (j < end && is_cap (d, j) && (!d->used[j] || of_name) && j < i + 6 &&
                 !g_hash_table_contains (d->ex->not_names, TOK (d, j)->key) &&
                 !g_hash_table_contains (d->ex->adjectives, TOK (d, j)->key) &&
                 !(d->en && role_at (d, j, end, &role_len) != NULL) &&
                 !((TOK (d, j)->flags & SVYAZ_TOKEN_ALLCAPS) && j > i))
            {
              j++;
              /* "State Oil Company of Azerbaijan Republic", "Bank of
               * England": "of" after a head noun continues the name. */
              if (d->en && j + 1 < end && g_str_equal (TOK (d, j)->key, "of") &&
                  is_cap (d, j + 1) && head_type (d, j - 1) != NULL)
                {
                  j++;
                  of_name = TRUE;
                }
            }
          /* "Trans-Anatolian pipeline": a lower-case head ends an English name. */
          if (d->en && j < end && j > i && is_word (d, j) && !is_cap (d, j) &&
              g_hash_table_contains (d->ex->heads, TOK (d, j)->key))
            j++;
          if (of_name)
            {
              /* Names inside the longer name are not mentions of their own. */
              for (guint k = d->mentions->len; k-- > 0; )
                {
                  Mention *inner = MEN (d, k);

                  if (inner->sentence == s && inner->t0 >= i && inner->t1 <= j)
                    {
                      g_free (inner->name);
                      g_free (inner->group_key);
                      g_array_remove_index (d->mentions, k);
                    }
                }
            }
          n = j - i;

          /* A sentence's first word is a name only if the dictionary does
           * not know it as a common word ("Официально", "Подробности"). */
          if ((t->flags & SVYAZ_TOKEN_SENT_START) &&
              (svyaz_morph_is_common_word (d->ex->morph, t->key) ||
               role_at (d, i, end, &role_len) != NULL))
            {
              after_role = role_at (d, i, end, &role_len) != NULL && role_len == 1 && n > 1;
              if (n == 1)
                continue;
              i++;
              n--;
            }

          /* "президент Эрдоган": a title before the name. */
          if (i > first && role_at (d, i - 1, end, &role_len) != NULL)
            after_role = TRUE;

          /* A lone word the dictionary knows is not a name ("Президенты"),
           * nor is a country's adjective ("European"). */
          if (n == 1 && !after_role &&
              (svyaz_morph_is_common_word (d->ex->morph, TOK (d, i)->key) ||
               g_hash_table_contains (d->ex->adjectives, TOK (d, i)->key)))
            {
              i = j - 1;
              continue;
            }

          add_unknown (d, s, i, j, classify_run (d, first, i, j, after_role), FALSE);
          i = j - 1;
        }
    }

  /* "Full Name (ABBR)": the abbreviation is another name of the same. */
  for (guint k = 0; k < d->mentions->len; k++)
    {
      Mention *full = MEN (d, k);
      gint a;

      if (full->sentence != s || full->t1 + 2 >= end ||
          !g_str_equal (TOK (d, full->t1)->key, "(") ||
          !g_str_equal (TOK (d, full->t1 + 2)->key, ")") ||
          (a = mention_at (d, full->t1 + 1)) < 0)
        continue;
      {
        Mention *abbr = MEN (d, a);

        if (abbr->entry >= 0 || abbr->group_key == NULL ||
            !(TOK (d, abbr->t0)->flags & (SVYAZ_TOKEN_ALLCAPS | SVYAZ_TOKEN_MIXED)))
          continue;
        full = MEN (d, k);
        abbr->type = full->type;
        abbr->entry = full->entry;
        g_free (abbr->group_key);
        abbr->group_key = full->group_key ? g_strdup (full->group_key) : NULL;
      }
    }

  /* An unknown name listed with known ones is of their type: "в Ташкенте,
   * Самарканде и Бухаре", "Airbus and Dassault Aviation". */
  for (guint k = 0; k < d->mentions->len; k++)
    {
      Mention *m = MEN (d, k);

      if (m->sentence != s || m->entry >= 0 || m->group_key == NULL || m->quoted)
        continue;
      for (guint o = 0; o < d->mentions->len; o++)
        {
          Mention *other = MEN (d, o);
          guint lo, hi;
          gboolean joined = TRUE;

          if (other->sentence != s || other->entry < 0 || other == m)
            continue;
          lo = other->t1 <= m->t0 ? other->t1 : m->t1;
          hi = other->t1 <= m->t0 ? m->t0 : other->t0;
          if (hi <= lo || hi - lo > 2 || (other->t0 < m->t1 && other->t1 > m->t0))
            continue;
          for (guint t = lo; t < hi; t++)
            joined = joined && is_separator (d, t);
          if (joined && !g_str_equal (other->type, m->type))
            {
              set_unknown_type (d, m, other->type);
              break;
            }
        }
    }
}

/* The adjective @lemma ("центральный") agreeing with a head noun whose
 * lemma is @head ("азия"): Russian adjectives follow the noun's gender,
 * which shows in its ending. */
static char *
agree_adjective (const char *lemma, const char *head)
{
  gboolean feminine = g_str_has_suffix (head, "а") || g_str_has_suffix (head, "я");
  gboolean neuter = g_str_has_suffix (head, "о") || g_str_has_suffix (head, "е");
  g_autofree char *stem = NULL;
  gunichar before;
  gboolean hard;

  if (!feminine && !neuter)
    return g_strdup (lemma);
  stem = g_strndup (lemma, strlen (lemma) - strlen ("ый"));
  before = g_utf8_get_char (g_utf8_prev_char (stem + strlen (stem)));
  hard = g_str_has_suffix (lemma, "ый") || g_str_has_suffix (lemma, "ой") ||
         g_utf8_strchr ("гкх", -1, before) != NULL;
  if (feminine)
    return g_strconcat (stem, hard || g_utf8_strchr ("жшщч", -1, before) ? "ая" : "яя", NULL);
  return g_strconcat (stem, hard ? "ое" : "ее", NULL);
}

static gboolean
adjective_lemma (const char *lemma)
{
  return g_str_has_suffix (lemma, "ый") || g_str_has_suffix (lemma, "ий") ||
         g_str_has_suffix (lemma, "ой");
}

/* The dictionary form of a Russian name that is not a person's: the
 * adjectives and the head noun take their lemmas ("Ближнем Востоке" →
 * "Ближний Восток", "Центральной Азии" → "Центральная Азия"); words after
 * the head are its complement and stay ("Монументу Победы" → "Монумент
 * Победы"). Words the dictionary does not know stay as written. */
static char *
lemmatize_name (Doc *d, const char *name)
{
  g_auto(GStrv) words = g_strsplit (name, " ", -1);
  guint n = g_strv_length (words);
  g_autofree const char **lemmas = g_new0 (const char *, n + 1);
  GString *out = g_string_new (NULL);
  gint head = -1;

  for (guint i = 0; i < n; i++)
    {
      lemmas[i] = svyaz_morph_lemmas (d->ex->morph, words[i])[0];
      if (head < 0 && lemmas[i] != NULL && !adjective_lemma (lemmas[i]))
        head = (gint) i;
    }
  if (head < 0)
    head = (gint) n - 1;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *form = NULL;

      if (i > 0)
        g_string_append_c (out, ' ');
      /* Abbreviations stay as written: "МИД". */
      if ((gint) i > head || lemmas[i] == NULL ||
          (g_utf8_strlen (words[i], -1) > 1 &&
           g_unichar_isupper (g_utf8_get_char (g_utf8_next_char (words[i])))))
        {
          g_string_append (out, words[i]);
          continue;
        }
      form = (gint) i < head && adjective_lemma (lemmas[i]) && lemmas[head] != NULL
               ? agree_adjective (lemmas[i], lemmas[head])
               : g_strdup (lemmas[i]);
      if (g_unichar_isupper (g_utf8_get_char (words[i])))
        {
          g_autofree char *first = g_utf8_strup (form, g_utf8_next_char (form) - form);
          g_string_append (out, first);
          g_string_append (out, g_utf8_next_char (form));
        }
      else
        g_string_append (out, form);
    }
  return g_string_free (out, FALSE);
}

static int
compare_mentions (gconstpointer a, gconstpointer b)
{
  const Mention *x = a, *y = b;
  return (int) x->t0 - (int) y->t0;
}

/* Gives every mention an entity: lexicon entries by entry, descriptors by
 * the person of the document holding that role, unknown names by their
 * group key (a lone surname joins the full name it ends). */
static void
merge_entities (Doc *d)
{
  g_autoptr(GHashTable) by_entry = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) by_group = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *entities = d->result->entities;

  g_array_sort (d->mentions, compare_mentions);

  /* Lexicon entries named in the document. */
  for (guint i = 0; i < d->mentions->len; i++)
    {
      Mention *m = MEN (d, i);
      gpointer found;

      if (m->entry < 0)
        continue;
      if (!g_hash_table_lookup_extended (by_entry, GINT_TO_POINTER (m->entry), NULL, &found))
        {
          LexEntry *e = g_ptr_array_index (d->ex->entries, m->entry);
          SvyazExtractedEntity *x = g_new0 (SvyazExtractedEntity, 1);

          x->name = g_strdup (e->name);
          x->english = g_strdup (e->english);
          x->type = g_strdup (e->type);
          x->description = g_strdup (e->description);
          x->surfaces = g_ptr_array_new_with_free_func (g_free);
          found = GUINT_TO_POINTER (entities->len);
          g_ptr_array_add (entities, x);
          g_hash_table_insert (by_entry, GINT_TO_POINTER (m->entry), found);
        }
      m->entity = (gint) GPOINTER_TO_UINT (found);
    }

  /* Unknown names, grouped by key; multi-word ones first, so that a lone
   * surname can join the full name it ends. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < d->mentions->len; i++)
      {
        Mention *m = MEN (d, i);
        gpointer found;
        gboolean multi;

        if (m->entry >= 0 || m->group_key == NULL)
          continue;
        multi = strchr (m->group_key, ' ') != NULL;
        if ((pass == 0) != multi)
          continue;

        found = g_hash_table_lookup (by_group, m->group_key);
        if (found == NULL && !multi && g_str_equal (m->type, "person"))
          {
            GHashTableIter iter;
            gpointer key, value;

            g_hash_table_iter_init (&iter, by_group);
            while (g_hash_table_iter_next (&iter, &key, &value))
              {
                const char *space = strrchr (key, ' ');
                SvyazExtractedEntity *x = g_ptr_array_index (entities, GPOINTER_TO_UINT (value) - 1);

                if (space && g_str_equal (space + 1, m->group_key) && g_str_equal (x->type, "person"))
                  {
                    found = value;
                    break;
                  }
              }
          }
        if (found == NULL)
          {
            SvyazExtractedEntity *x = g_new0 (SvyazExtractedEntity, 1);

            x->type = g_strdup (m->type);
            x->surfaces = g_ptr_array_new_with_free_func (g_free);
            g_ptr_array_add (entities, x);
            found = GUINT_TO_POINTER (entities->len);
            g_hash_table_insert (by_group, m->group_key, found);
          }
        m->entity = (gint) GPOINTER_TO_UINT (found) - 1;
      }

  /* The canonical name of an unknown entity: a form of the full name
   * with no ending to strip (the nominative), else the full name with
   * the stripped endings left off ("Фиданом" → "Фидан"). */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, by_group);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        SvyazExtractedEntity *x = g_ptr_array_index (entities, GPOINTER_TO_UINT (value) - 1);
        const char *first = NULL;
        gboolean first_quoted = FALSE;

        if (x->name != NULL)
          continue; /* the lone surname's own group */
        for (guint i = 0; i < d->mentions->len && x->name == NULL; i++)
          {
            Mention *m = MEN (d, i);
            g_autofree char *mkey = NULL;

            if (m->entity != (gint) GPOINTER_TO_UINT (value) - 1 || m->group_key == NULL ||
                !g_str_equal (m->group_key, key))
              continue;
            if (first == NULL)
              {
                first = m->name;
                first_quoted = m->quoted;
              }
            mkey = svyaz_text_key (m->name, -1);
            if (g_str_equal (mkey, key) || d->en)
              x->name = g_strdup (m->name);
          }
        if (x->name == NULL && first != NULL)
          {
            g_auto(GStrv) words = g_strsplit (first, " ", -1);
            g_auto(GStrv) keys = g_strsplit (key, " ", -1);
            GString *rebuilt = g_string_new (NULL);

            for (guint w = 0; words[w]; w++)
              {
                g_autofree char *wk = svyaz_text_key (words[w], -1);
                const char *k = w < g_strv_length (keys) ? keys[w] : wk;
                const char *given = g_str_equal (x->type, "person")
                                      ? g_hash_table_lookup (d->ex->given_names, wk) : NULL;

                if (w)
                  g_string_append_c (rebuilt, ' ');
                if (given != NULL)
                  g_string_append (rebuilt, given);
                else if (g_str_has_prefix (wk, k))
                  g_string_append_len (rebuilt, words[w],
                                       g_utf8_offset_to_pointer (words[w], g_utf8_strlen (k, -1)) - words[w]);
                else
                  g_string_append (rebuilt, words[w]);
              }
            x->name = g_string_free (rebuilt, FALSE);
          }
        if (x->name == NULL)
          x->name = g_strdup (key);
        if (!d->en && !g_str_equal (x->type, "person") && first != NULL && !first_quoted)
          {
            g_free (x->name);
            x->name = lemmatize_name (d, first);
          }
      }
  }

  /* Descriptors: the person of this document who holds the role. */
  for (guint i = 0; i < d->mentions->len; i++)
    {
      Mention *m = MEN (d, i);
      gint person = -1;
      g_autofree char *wanted = NULL;

      if (m->entry >= 0 || m->group_key != NULL || m->role_predicate == NULL ||
          m->country_entry < 0)
        continue;
      wanted = g_strconcat (m->role_word, "\x1f",
                            ((LexEntry *) g_ptr_array_index (d->ex->entries, m->country_entry))->name,
                            NULL);
      for (guint k = 0; k < d->mentions->len && person < 0; k++)
        {
          Mention *other = MEN (d, k);
          LexEntry *e;

          if (other->entry < 0 || !g_str_equal (other->type, "person"))
            continue;
          e = g_ptr_array_index (d->ex->entries, other->entry);
          for (guint r = 0; r < e->roles->len; r++)
            if (g_str_equal (g_ptr_array_index (e->roles, r), wanted))
              {
                person = other->entity;
                break;
              }
        }
      m->entity = person;
    }
}

/* Section: relations */

static gboolean
type_ok (guint mask, const char *type)
{
  guint t = type_index (type);
  return t != G_MAXUINT && (mask & (1u << t));
}

static gboolean
is_separator (Doc *d, guint i)
{
  const char *k = TOK (d, i)->key;
  SvyazTokenKind kind = TOK (d, i)->kind;

  return kind == SVYAZ_TOKEN_QUOTE_OPEN || kind == SVYAZ_TOKEN_QUOTE_CLOSE ||
         g_str_equal (k, ",") || g_str_equal (k, "и") || g_str_equal (k, "and");
}

/* Mentions of sentence @s with an entity, in token order. */
static GArray *
sentence_mentions (Doc *d, guint s)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < d->mentions->len; i++)
    if (MEN (d, i)->sentence == s && MEN (d, i)->entity >= 0)
      g_array_append_val (list, i);
  return list;
}

/* Extends the group of mention @first (an index into @list) in direction
 * @dir over separators, keeping members of an accepted type. */
static void
grow_group (Doc *d, GArray *list, guint first, int dir, guint mask, GArray *group)
{
  gint cur = (gint) first;

  g_array_append_val (group, g_array_index (list, guint, first));
  while (TRUE)
    {
      gint next = cur + dir;
      Mention *a, *b;
      gboolean joined = TRUE;

      if (next < 0 || next >= (gint) list->len)
        break;
      a = MEN (d, g_array_index (list, guint, dir > 0 ? cur : next));
      b = MEN (d, g_array_index (list, guint, dir > 0 ? next : cur));
      if (b->t0 < a->t1 || b->t0 - a->t1 > 3)
        break;
      for (guint t = a->t1; t < b->t0; t++)
        joined = joined && is_separator (d, t);
      if (!joined || b->t0 == a->t1 || !type_ok (mask, MEN (d, g_array_index (list, guint, next))->type))
        break;
      g_array_append_val (group, g_array_index (list, guint, next));
      cur = next;
    }
}

static gboolean
group_nominative (Doc *d, GArray *group)
{
  for (guint i = 0; i < group->len; i++)
    if (MEN (d, g_array_index (group, guint, i))->nominative)
      return TRUE;
  return FALSE;
}

static GArray *
find_left (Doc *d, GArray *list, guint trigger, guint mask)
{
  GArray *fallback = NULL;

  for (gint k = (gint) list->len - 1; k >= 0; k--)
    {
      Mention *m = MEN (d, g_array_index (list, guint, k));
      GArray *group;

      if (m->t1 > trigger || !type_ok (mask, m->type))
        continue;
      group = g_array_new (FALSE, FALSE, sizeof (guint));
      grow_group (d, list, (guint) k, -1, mask, group);
      /* Members in text order, so that a reciprocal relation reads as
       * the text does ("Лукашенко и Назарбаев" → Лукашенко met_with …). */
      for (guint a = 0, b = group->len - 1; a < b; a++, b--)
        {
          guint tmp = g_array_index (group, guint, a);
          g_array_index (group, guint, a) = g_array_index (group, guint, b);
          g_array_index (group, guint, b) = tmp;
        }
      if (d->en || group_nominative (d, group))
        {
          if (fallback)
            g_array_unref (fallback);
          return group;
        }
      k -= (gint) group->len - 1;
      if (fallback == NULL)
        fallback = group;
      else
        g_array_unref (group);
    }
  return fallback;
}

static GArray *
find_right (Doc *d, GArray *list, guint from, guint max_gap, guint mask)
{
  for (guint k = 0; k < list->len; k++)
    {
      Mention *m = MEN (d, g_array_index (list, guint, k));
      GArray *group;

      if (m->t0 < from)
        continue;
      if (m->t0 - from > max_gap)
        return NULL;
      if (!type_ok (mask, m->type))
        continue;
      group = g_array_new (FALSE, FALSE, sizeof (guint));
      grow_group (d, list, k, +1, mask, group);
      return group;
    }
  return NULL;
}

static gboolean
is_control_verb (Doc *d, guint i)
{
  const char * const *lemmas;

  if (!is_word (d, i))
    return FALSE;
  if (g_hash_table_contains (d->ex->control, TOK (d, i)->key))
    return TRUE;
  lemmas = svyaz_morph_lemmas (d->ex->morph, TOK (d, i)->key);
  for (guint k = 0; lemmas[k]; k++)
    if (g_hash_table_contains (d->ex->control, lemmas[k]))
      return TRUE;
  return FALSE;
}

/* "Эрдоган пригласил Путина посетить Анкару": a control verb between the
 * subject and the trigger hands the action to the person it names. */
static GArray *
apply_control (Doc *d, GArray *list, GArray *subject, guint trigger, guint mask)
{
  guint from = 0;

  for (guint k = 0; k < subject->len; k++)
    from = MAX (from, MEN (d, g_array_index (subject, guint, k))->t1);
  for (guint c = from; c < trigger; c++)
    if (is_control_verb (d, c))
      {
        GArray *other = find_right (d, list, c + 1, 1, mask);

        if (other != NULL)
          {
            g_array_unref (subject);
            return other;
          }
      }
  return subject;
}

static void
add_relation (Doc *d, guint s, guint subj, guint obj, const char *predicate,
              const char *rule, double confidence, gboolean cooccurrence)
{
  SvyazSentence *sent = &g_array_index (d->sentences, SvyazSentence, s);
  SvyazExtractedRelation r = {
    .subject = subj,
    .object = obj,
    .predicate = predicate,
    .rule = rule,
    .confidence = confidence,
    .sentence_start = sent->start,
    .sentence_end = sent->end,
    .cooccurrence = cooccurrence,
  };
  g_autofree char *key = NULL;
  guint a = subj, b = obj;

  if (subj == obj)
    return;
  if (g_hash_table_contains (d->ex->symmetric, predicate) && a > b)
    {
      a = obj;
      b = subj;
    }
  key = g_strdup_printf ("%u %s %u %u", a, predicate, b, s);
  if (g_hash_table_contains (d->relation_keys, key))
    return;
  g_hash_table_add (d->relation_keys, g_steal_pointer (&key));
  g_array_append_val (d->result->relations, r);
}

static void
mark_rules (GHashTable *index,
            const char *key,
            guint8     *marks)
{
  GArray *list = g_hash_table_lookup (index, key);

  for (guint i = 0; list != NULL && i < list->len; i++)
    marks[g_array_index (list, guint, i)] = 1;
}

/* Marks in @marks the rules of the document's language that @t triggers:
 * by its key, its English stem, or one of its Russian lemmas. */
static gboolean
triggered_rules (Doc        *d,
                 SvyazToken *t,
                 guint8     *marks)
{
  GHashTable *index = d->ex->rule_index[d->en ? 1 : 0];
  const char * const *lemmas;
  gboolean any = FALSE;

  memset (marks, 0, d->ex->rules->len);
  mark_rules (index, t->key, marks);
  if (d->en)
    mark_rules (index, svyaz_morph_stem_en (d->ex->morph, t->key), marks);
  else
    for (lemmas = svyaz_morph_lemmas (d->ex->morph, t->key); *lemmas; lemmas++)
      mark_rules (index, *lemmas, marks);
  for (guint r = 0; r < d->ex->rules->len && !any; r++)
    any = marks[r] != 0;
  return any;
}

static void
apply_rules (Doc *d, guint s, GArray **carried_subject)
{
  SvyazSentence *sent = &g_array_index (d->sentences, SvyazSentence, s);
  guint end = sent->first_token + sent->n_tokens;
  g_autoptr(GArray) list = sentence_mentions (d, s);
  g_autofree guint8 *marks = g_malloc (MAX (d->ex->rules->len, 1));
  GArray *last_subject = NULL;

  for (guint i = sent->first_token; i < end; i++)
    {
      SvyazToken *t = TOK (d, i);

      if (t->kind != SVYAZ_TOKEN_WORD || (d->used[i] && mention_at (d, i) >= 0 &&
                                          MEN (d, mention_at (d, i))->entity >= 0))
        continue;
      if (!triggered_rules (d, t, marks))
        continue;

      for (guint r = 0; r < d->ex->rules->len; r++)
        {
          Rule *rule = g_ptr_array_index (d->ex->rules, r);
          g_autoptr(GArray) subject = NULL;
          g_autoptr(GArray) object = NULL;

          if (!marks[r])
            continue;

          for (guint k = 0; k < 2 && subject == NULL; k++)
            {
              if (rule->subject_slots[k] == SLOT_LEFT &&
                  (subject = find_left (d, list, i, rule->type_mask_subject)) != NULL)
                subject = apply_control (d, list, subject, i, rule->type_mask_subject);
              else if (rule->subject_slots[k] == SLOT_RIGHT)
                subject = find_right (d, list, i + 1, 1, rule->type_mask_subject);
            }
          if (rule->object_slot == SLOT_PREP)
            {
              /* The preposition must be in the trigger's clause. */
              for (guint p = i + 1; p < end && p <= i + 8; p++)
                {
                  const char *k = TOK (d, p)->key;

                  if (TOK (d, p)->kind == SVYAZ_TOKEN_PUNCT &&
                      (g_str_equal (k, ",") || g_str_equal (k, ";") || g_str_equal (k, ":")))
                    break;
                  if (is_word (d, p) && g_str_equal (k, rule->object_prep))
                    {
                      object = find_right (d, list, p + 1, 4, rule->type_mask_object);
                      break;
                    }
                }
            }
          else if (rule->object_slot == SLOT_RIGHT)
            object = find_right (d, list, i + 1, 2, rule->type_mask_object);
          else if (rule->object_slot == SLOT_LEFT)
            object = find_left (d, list, i, rule->type_mask_object);

          if (subject == NULL && rule->subject_slots[0] == SLOT_LEFT && *carried_subject != NULL)
            {
              gboolean ok = TRUE;
              for (guint k = 0; k < (*carried_subject)->len; k++)
                ok = ok && type_ok (rule->type_mask_subject,
                                    MEN (d, g_array_index (*carried_subject, guint, k))->type);
              if (ok)
                subject = g_array_ref (*carried_subject);
            }
          if (subject == NULL)
            {
              /* "товарооборот между Россией и Турцией" */
              if (rule->reciprocal && object != NULL && object->len >= 2)
                for (guint a = 0; a < object->len; a++)
                  for (guint b = a + 1; b < object->len; b++)
                    add_relation (d, s, (guint) MEN (d, g_array_index (object, guint, a))->entity,
                                  (guint) MEN (d, g_array_index (object, guint, b))->entity,
                                  rule->predicate, rule->name, rule->confidence, FALSE);
              continue;
            }

          if (object != NULL)
            {
              for (guint a = 0; a < subject->len; a++)
                for (guint b = 0; b < object->len; b++)
                  {
                    Mention *sm = MEN (d, g_array_index (subject, guint, a));
                    Mention *om = MEN (d, g_array_index (object, guint, b));
                    add_relation (d, s, (guint) sm->entity, (guint) om->entity,
                                  rule->predicate, rule->name, rule->confidence, FALSE);
                  }
            }
          else if (rule->reciprocal && subject->len >= 2)
            {
              for (guint a = 0; a < subject->len; a++)
                for (guint b = a + 1; b < subject->len; b++)
                  add_relation (d, s, (guint) MEN (d, g_array_index (subject, guint, a))->entity,
                                (guint) MEN (d, g_array_index (subject, guint, b))->entity,
                                rule->predicate, rule->name, rule->confidence * 0.9, FALSE);
            }
          else
            continue;

          if (last_subject)
            g_array_unref (last_subject);
          last_subject = g_array_ref (subject);
        }
    }

  /* Roles: descriptors resolved to a person, and appositives. */
  for (guint k = 0; k < list->len; k++)
    {
      Mention *m = MEN (d, g_array_index (list, guint, k));

      if (m->role_predicate != NULL)
        {
          /* The holder's own mention carries its entity. */
          for (guint c = 0; c < d->mentions->len; c++)
            {
              Mention *cm = MEN (d, c);
              if (cm->t0 == m->holder_t0 && cm->entity >= 0 && cm != m &&
                  !g_str_equal (cm->type, "person"))
                {
                  add_relation (d, s, (guint) m->entity, (guint) cm->entity,
                                m->role_predicate, m->role_word ? "descriptor" : "appositive",
                                m->role_word ? 0.8 : 0.9, FALSE);
                  break;
                }
            }
        }
    }

  /* The subject of this sentence may be dropped in the next one. */
  if (last_subject != NULL)
    {
      if (*carried_subject)
        g_array_unref (*carried_subject);
      *carried_subject = last_subject;
    }
  else if (list->len > 0)
    {
      /* A sentence naming others ends the carry. */
      g_clear_pointer (carried_subject, g_array_unref);
    }

  /* Weak edges between everything else named in the sentence. */
  {
    g_autoptr(GHashTable) linked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    guint n = MIN (list->len, 24);

    for (guint r = 0; r < d->result->relations->len; r++)
      {
        SvyazExtractedRelation *rel = &g_array_index (d->result->relations, SvyazExtractedRelation, r);
        if (rel->sentence_start == sent->start)
          g_hash_table_add (linked, g_strdup_printf ("%u %u", MIN (rel->subject, rel->object),
                                                     MAX (rel->subject, rel->object)));
      }
    for (guint a = 0; a < n; a++)
      for (guint b = a + 1; b < n; b++)
        {
          guint x = (guint) MEN (d, g_array_index (list, guint, a))->entity;
          guint y = (guint) MEN (d, g_array_index (list, guint, b))->entity;
          g_autofree char *key = g_strdup_printf ("%u %u", MIN (x, y), MAX (x, y));

          if (x == y || g_hash_table_contains (linked, key))
            continue;
          g_hash_table_add (linked, g_steal_pointer (&key));
          add_relation (d, s, x, y, "co_occurs_with", "same-sentence", 0.3, TRUE);
        }
  }
}

/* Extracts one segment: @text is its start, offsets are relative to it. */
static SvyazExtraction *
run_segment (SvyazExtractor  *self,
             const char      *text,
             gsize            len,
             const char      *lang,
             GError         **error)
{
  g_autoptr(SvyazExtraction) result = g_new0 (SvyazExtraction, 1);
  g_autoptr(GArray) sentences = g_array_new (FALSE, FALSE, sizeof (SvyazSentence));
  g_autoptr(GArray) tokens = g_array_new (FALSE, FALSE, sizeof (SvyazToken));
  g_autoptr(GArray) mentions = g_array_new (FALSE, TRUE, sizeof (Mention));
  g_autoptr(GHashTable) relation_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) carried = NULL;
  g_autofree guint8 *used = NULL;
  Doc d = { 0 };

  result->lang = g_strdup (lang);
  result->entities = g_ptr_array_new ();
  result->mentions = g_array_new (FALSE, FALSE, sizeof (SvyazExtractedMention));
  result->relations = g_array_new (FALSE, FALSE, sizeof (SvyazExtractedRelation));

  if (!svyaz_tokenizer_run (self->tokenizer, text, len, sentences, tokens, error))
    return NULL;

  used = g_new0 (guint8, tokens->len + 1);
  d.ex = self;
  d.text = text;
  d.en = g_str_equal (lang, "en");
  d.sentences = sentences;
  d.tokens = tokens;
  d.used = used;
  d.mentions = mentions;
  d.result = result;
  d.relation_keys = relation_keys;
  result->sentences = sentences->len;

  for (guint s = 0; s < sentences->len; s++)
    {
      SvyazSentence *sent = &g_array_index (sentences, SvyazSentence, s);
      guint end = sent->first_token + sent->n_tokens;

      for (guint i = sent->first_token; i < end; i++)
        {
          Mention m;

          /* A quoted name is one name: «Яндекс Go» is not «Яндекс». */
          if (TOK (&d, i)->kind == SVYAZ_TOKEN_QUOTE_OPEN)
            {
              guint j = i + 1;

              while (j < end && j < i + 8 && TOK (&d, j)->kind != SVYAZ_TOKEN_QUOTE_CLOSE)
                j++;
              if (j < end && TOK (&d, j)->kind == SVYAZ_TOKEN_QUOTE_CLOSE &&
                  match_lexicon (&d, i + 1, end, &m) && m.t1 != j)
                i = j;
              continue;
            }
          if (!used[i] && match_lexicon (&d, i, end, &m))
            {
              m.sentence = s;
              m.country_entry = -1;
              add_mention (&d, &m);
              i = m.t1 - 1;
            }
        }
      find_unknown (&d, s);
      find_descriptors (&d, s);
    }

  merge_entities (&d);

  for (guint i = 0; i < mentions->len; i++)
    {
      Mention *m = MEN (&d, i);
      SvyazExtractedEntity *x;
      SvyazExtractedMention xm;
      g_autofree char *surf = NULL;

      if (m->entity < 0)
        continue;
      x = g_ptr_array_index (result->entities, m->entity);
      xm.entity = (guint) m->entity;
      xm.start = TOK (&d, m->t0)->start;
      xm.end = TOK (&d, m->t1 - 1)->end;
      g_array_append_val (result->mentions, xm);
      x->mentions++;
      if (m->descriptive)
        continue;
      surf = surface (&d, m->t0, m->t1);
      if (!g_ptr_array_find_with_equal_func (x->surfaces, surf, g_str_equal, NULL))
        g_ptr_array_add (x->surfaces, g_steal_pointer (&surf));
    }

  for (guint s = 0; s < sentences->len; s++)
    apply_rules (&d, s, &carried);

  for (guint i = 0; i < mentions->len; i++)
    {
      g_free (MEN (&d, i)->name);
      g_free (MEN (&d, i)->group_key);
    }
  return g_steal_pointer (&result);
}

/* Section: long texts */

/* Texts are extracted in segments of at most this many bytes, cut at a
 * paragraph, else a sentence end, else a space. News articles are a few
 * kilobytes and never cut; a 100 MB file then costs time in proportion
 * to its size and memory in proportion to one segment plus the results.
 * Names are merged across segments by canonical name and type, as the
 * store merges them across documents. */
#define SEGMENT_MAX (64 * 1024)

static gsize
segment_end (const char *text,
             gsize       start,
             gsize       len)
{
  gsize limit = start + SEGMENT_MAX, floor = start + SEGMENT_MAX / 2;
  static const char * const breaks[] = { "\n", ". ", " " };

  if (len - start <= SEGMENT_MAX)
    return len;
  for (guint b = 0; b < G_N_ELEMENTS (breaks); b++)
    for (gsize i = limit; i > floor; i--)
      if (strncmp (text + i - strlen (breaks[b]), breaks[b], strlen (breaks[b])) == 0)
        return i;
  /* No space at all: cut at a character boundary. */
  while (limit > start && (text[limit] & 0xC0) == 0x80)
    limit--;
  return limit;
}

static void
merge_segment (SvyazExtraction *into,
               SvyazExtraction *part,
               guint32          offset,
               GHashTable      *by_key)
{
  g_autofree guint *map = g_new (guint, part->entities->len + 1);

  for (guint i = 0; i < part->entities->len; i++)
    {
      SvyazExtractedEntity *e = g_ptr_array_index (part->entities, i);
      g_autofree char *key = g_strconcat (e->type, "\x1f", e->name, NULL);
      gpointer found;

      if (g_hash_table_lookup_extended (by_key, key, NULL, &found))
        {
          SvyazExtractedEntity *m = g_ptr_array_index (into->entities, GPOINTER_TO_UINT (found));

          m->mentions += e->mentions;
          for (guint k = 0; k < e->surfaces->len; k++)
            if (!g_ptr_array_find_with_equal_func (m->surfaces, g_ptr_array_index (e->surfaces, k),
                                                   g_str_equal, NULL))
              g_ptr_array_add (m->surfaces, g_strdup (g_ptr_array_index (e->surfaces, k)));
          map[i] = GPOINTER_TO_UINT (found);
        }
      else
        {
          map[i] = into->entities->len;
          g_hash_table_insert (by_key, g_steal_pointer (&key), GUINT_TO_POINTER (map[i]));
          g_ptr_array_add (into->entities, e);
          g_ptr_array_index (part->entities, i) = NULL;
        }
    }
  /* The entities moved over are no longer the part's. */
  for (guint i = part->entities->len; i-- > 0;)
    if (g_ptr_array_index (part->entities, i) == NULL)
      g_ptr_array_remove_index (part->entities, i);

  for (guint i = 0; i < part->mentions->len; i++)
    {
      SvyazExtractedMention m = g_array_index (part->mentions, SvyazExtractedMention, i);

      m.entity = map[m.entity];
      m.start += offset;
      m.end += offset;
      g_array_append_val (into->mentions, m);
    }
  for (guint i = 0; i < part->relations->len; i++)
    {
      SvyazExtractedRelation r = g_array_index (part->relations, SvyazExtractedRelation, i);

      r.subject = map[r.subject];
      r.object = map[r.object];
      r.sentence_start += offset;
      r.sentence_end += offset;
      g_array_append_val (into->relations, r);
    }
  into->sentences += part->sentences;
}

/**
 * svyaz_extractor_set_progress:
 * @func: (nullable): called with the bytes done and the total as a long
 *   text is extracted, segment by segment
 */
void
svyaz_extractor_set_progress (SvyazExtractor    *self,
                              SvyazProgressFunc  func,
                              gpointer           user_data)
{
  g_return_if_fail (self != NULL);

  self->progress = func;
  self->progress_data = user_data;
}

/**
 * svyaz_extractor_run:
 * @text: valid UTF-8 (see svyaz_text_validate())
 * @lang: (nullable): "ru", "en", or %NULL/"auto" to guess
 *
 * Returns: (transfer full): entities, mentions and relations of @text
 */
SvyazExtraction *
svyaz_extractor_run (SvyazExtractor  *self,
                     const char      *text,
                     gsize            len,
                     const char      *lang,
                     GError         **error)
{
  g_autoptr(SvyazExtraction) result = NULL;
  g_autoptr(GHashTable) by_key = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (len < G_MAXUINT32, NULL);

  if (lang == NULL || g_str_equal (lang, "auto"))
    lang = svyaz_text_guess_language (text, MIN (len, SEGMENT_MAX));
  if (!g_str_equal (lang, "en"))
    lang = "ru";
  if (len <= SEGMENT_MAX)
    return run_segment (self, text, len, lang, error);

  by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (gsize start = 0; start < len;)
    {
      gsize end = segment_end (text, start, len);
      g_autoptr(SvyazExtraction) part = run_segment (self, text + start, end - start, lang, error);

      if (part == NULL)
        return NULL;
      if (result == NULL)
        {
          result = g_new0 (SvyazExtraction, 1);
          result->lang = g_strdup (lang);
          result->entities = g_ptr_array_new ();
          result->mentions = g_array_new (FALSE, FALSE, sizeof (SvyazExtractedMention));
          result->relations = g_array_new (FALSE, FALSE, sizeof (SvyazExtractedRelation));
        }
      merge_segment (result, part, (guint32) start, by_key);
      start = end;
      if (self->progress != NULL)
        self->progress (start, len, self->progress_data);
    }
  return g_steal_pointer (&result);
}

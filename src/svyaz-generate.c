/* svyaz-generate.c: large synthetic stores for tests and benchmarks.
 *
 * Entities of every type get plausible Russian names built from parts
 * (people "Given Surname", companies "Белтехмаш", cities "Красноозёрск"),
 * made unique by a middle initial or a number when the parts run out.
 * Relations follow preferential attachment: a subject is drawn with a
 * chance that grows with the relations it has, so degrees follow a power
 * law with a few hubs, as in news; the predicate depends on the
 * subject's type and decides the object's type. Every relation has an
 * evidence sentence in a generated document, with both names' mentions,
 * and one in ten pairs also gets a weak co-occurrence edge. Everything
 * is written in one transaction.
 */
#include "svyaz-config.h"
#include "svyaz-generate.h"

#include <string.h>

#define RELATIONS_PER_DOCUMENT 100

typedef enum {
  T_PERSON, T_COMPANY, T_ORGANIZATION, T_CITY, T_COUNTRY, T_PLACE, T_EVENT, N_TYPES
} Type;

static const char * const type_names[N_TYPES] = {
  "person", "company", "organization", "city", "country", "place", "event",
};
/* Shares of the entities, in thousandths. */
static const guint type_weights[N_TYPES] = { 340, 240, 100, 160, 40, 80, 40 };
static const char * const descriptions[N_TYPES] = {
  "человек (сгенерировано)", "компания (сгенерировано)", "организация (сгенерировано)",
  "город (сгенерировано)", "страна (сгенерировано)", "место (сгенерировано)",
  "событие (сгенерировано)",
};

typedef struct {
  const char *predicate;
  guint       weight;
  guint       object_types;   /* bit mask of Type */
  const char *middle;         /* between subject and object */
} PredicateRule;

#define B(t) (1u << (t))

static const PredicateRule rules[N_TYPES][5] = {
  [T_PERSON] = {
    { "met_with", 35, B (T_PERSON), " встретился с " },
    { "visited", 25, B (T_CITY) | B (T_COUNTRY) | B (T_PLACE), " посетил " },
    { "works_for", 20, B (T_COMPANY) | B (T_ORGANIZATION), " работает в " },
    { "member_of", 10, B (T_ORGANIZATION), " вошёл в " },
    { "participates_in", 10, B (T_EVENT), " принял участие в " },
  },
  [T_COMPANY] = {
    { "assembles_in", 30, B (T_COUNTRY) | B (T_CITY), " собирает технику в " },
    { "supplies_to", 30, B (T_COMPANY), " поставляет продукцию " },
    { "signed_agreement_with", 20, B (T_COMPANY) | B (T_ORGANIZATION), " подписала соглашение с " },
    { "located_in", 20, B (T_CITY), " находится в " },
  },
  [T_ORGANIZATION] = {
    { "located_in", 50, B (T_CITY), " находится в " },
    { "cooperates_with", 50, B (T_ORGANIZATION) | B (T_COUNTRY), " сотрудничает с " },
  },
  [T_CITY] = { { "located_in", 100, B (T_COUNTRY), " расположен в " } },
  [T_COUNTRY] = {
    { "trades_with", 60, B (T_COUNTRY), " торгует с " },
    { "member_of", 40, B (T_ORGANIZATION), " состоит в " },
  },
  [T_PLACE] = { { "located_in", 100, B (T_CITY), " находится в " } },
  [T_EVENT] = { { "located_in", 100, B (T_CITY), " прошёл в " } },
};

static const char * const given[] = {
  "Александр", "Алексей", "Андрей", "Анна", "Борис", "Вадим", "Валентина", "Виктор", "Владимир",
  "Галина", "Дмитрий", "Евгений", "Елена", "Ирина", "Игорь", "Кирилл", "Ксения", "Леонид",
  "Марина", "Михаил", "Наталья", "Николай", "Олег", "Ольга", "Павел", "Роман", "Сергей",
  "Светлана", "Тимур", "Татьяна", "Фёдор", "Юрий", "Айдар", "Нурлан", "Гульнара", "Асель",
};
static const char * const roots[] = {
  "Петр", "Иван", "Смирн", "Кузнец", "Попов", "Васил", "Соколов", "Михайл", "Новик", "Фёдор",
  "Морозов", "Волк", "Алексе", "Лебед", "Семён", "Егор", "Павл", "Козл", "Степан", "Никол",
  "Орл", "Андре", "Макар", "Захар", "Зайц", "Солов", "Борис", "Яковл", "Григор", "Роман",
  "Воробь", "Серге", "Кузьмин", "Фрол", "Александр", "Дмитри", "Корол", "Гусев", "Киселёв",
  "Ильин", "Максим", "Поляк", "Сорокин", "Виноград", "Ковал", "Белов", "Медвед", "Антон",
  "Тарас", "Жуков", "Баран", "Филипп", "Комар", "Давыд", "Беляк", "Герасим", "Богдан", "Осип",
};
static const char * const surname_ends[] = { "ов", "ев", "ин", "ский", "енко", "ук" };
static const char * const company_heads[] = {
  "Бел", "Каз", "Рос", "Уз", "Арм", "Гомель", "Минск", "Сиб", "Урал", "Волга", "Днепр", "Балт",
  "Сев", "Юг", "Алма", "Тян", "Кавказ", "Полесье", "Нева", "Амур",
};
static const char * const company_tails[] = {
  "тех", "нефть", "маш", "газ", "строй", "агро", "транс", "энерго", "металл", "хим", "пром",
  "лес", "авто", "фарм", "связь", "софт", "банк", "медиа",
};
static const char * const syllables[] = {
  "ка", "ра", "то", "ми", "ле", "на", "во", "гор", "бел", "кра", "сос", "дуб", "лип", "оз",
  "ряз", "тим", "сар", "бар", "кам", "ял", "ту", "ши", "ро", "жа",
};
static const char * const city_ends[] = { "ск", "ово", "ино", "град", "поль", "озёрск", "горск" };
static const char * const country_heads[] = { "Республика", "Королевство", "Федерация", "Княжество" };
static const char * const org_heads[] = {
  "Союз", "Ассоциация", "Совет", "Фонд", "Агентство", "Комитет", "Лига", "Палата",
};
static const char * const org_tails[] = {
  "развития", "сотрудничества", "безопасности", "торговли", "инвестиций", "экспортёров",
  "промышленников", "энергетиков",
};
static const char * const place_heads[] = { "площадь", "проспект", "Монумент", "парк", "мост", "музей" };
static const char * const event_heads[] = { "Форум", "Саммит", "Конгресс", "Выставка", "Фестиваль" };

#define PICK(rand, list) (list[g_rand_int_range ((rand), 0, G_N_ELEMENTS (list))])

static char *
capitalized_syllables (GRand *rand,
                       guint  n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, PICK (rand, syllables));
  /* Cyrillic capitals are two bytes like their small letters. */
  {
    g_autofree char *first = g_utf8_strup (s->str, g_utf8_next_char (s->str) - s->str);

    g_string_erase (s, 0, g_utf8_next_char (s->str) - s->str);
    g_string_prepend (s, first);
  }
  return g_string_free (s, FALSE);
}

static char *
surname (GRand *rand)
{
  return g_strconcat (PICK (rand, roots), PICK (rand, surname_ends), NULL);
}

static char *
make_name (Type   type,
           GRand *rand)
{
  switch (type)
    {
    case T_PERSON:
      {
        g_autofree char *s = surname (rand);
        return g_strdup_printf ("%s %s", PICK (rand, given), s);
      }
    case T_COMPANY:
      return g_strconcat (PICK (rand, company_heads), PICK (rand, company_tails), NULL);
    case T_ORGANIZATION:
      {
        g_autofree char *s = capitalized_syllables (rand, 2);
        return g_strdup_printf ("%s %s %s", PICK (rand, org_heads), PICK (rand, org_tails), s);
      }
    case T_CITY:
      {
        g_autofree char *s = capitalized_syllables (rand, g_rand_int_range (rand, 1, 3));
        return g_strconcat (s, PICK (rand, city_ends), NULL);
      }
    case T_COUNTRY:
      {
        g_autofree char *s = capitalized_syllables (rand, 3);
        return g_strdup_printf ("%s %s", PICK (rand, country_heads), s);
      }
    case T_PLACE:
      {
        g_autofree char *s = surname (rand);
        return g_strdup_printf ("%s %s", PICK (rand, place_heads), s);
      }
    case T_EVENT:
      return g_strdup_printf ("%s %d", PICK (rand, event_heads), g_rand_int_range (rand, 1990, 2027));
    default:
      g_assert_not_reached ();
    }
}

/* A name not used yet: parts, then a middle initial, then a number. */
static char *
unique_name (Type        type,
             GRand      *rand,
             GHashTable *taken)
{
  g_autofree char *base = make_name (type, rand);
  char *name = g_strdup (base);

  for (guint attempt = 0; g_hash_table_contains (taken, name); attempt++)
    {
      g_free (name);
      if (type == T_PERSON && attempt < 8)
        {
          const char *space = strchr (base, ' ');
          gunichar c = g_utf8_get_char (g_utf8_offset_to_pointer ("АБВГДЕЖЗИКЛМНОПРСТУФЭЮЯ",
                                                                  g_rand_int_range (rand, 0, 24)));
          char buf[8] = { 0 };

          g_unichar_to_utf8 (c, buf);
          name = g_strdup_printf ("%.*s %s. %s", (int) (space - base), base, buf, space + 1);
        }
      else
        name = g_strdup_printf ("%s-%u", base, attempt + 2);
    }
  g_hash_table_add (taken, name);
  return g_strdup (name);
}

static Type
draw_type (GRand *rand,
           guint  mask)
{
  guint total = 0, pick;

  for (guint t = 0; t < N_TYPES; t++)
    if (mask & B (t))
      total += type_weights[t];
  pick = g_rand_int_range (rand, 0, total);
  for (guint t = 0; t < N_TYPES; t++)
    if (mask & B (t))
      {
        if (pick < type_weights[t])
          return (Type) t;
        pick -= type_weights[t];
      }
  g_assert_not_reached ();
}

typedef struct {
  gint64 subject;
  gint64 object;
  const char *predicate;
  gint64 start, end;         /* the sentence */
  gint64 s_start, s_end;     /* the names in it */
  gint64 o_start, o_end;
  double confidence;
  gboolean weak;
} Pending;

static gboolean
flush_document (SvyazStore          *store,
                GString             *body,
                GArray              *pending,
                guint                number,
                SvyazGenerateReport *report,
                GError             **error)
{
  g_autofree char *title = g_strdup_printf ("Сводка новостей №%u (сгенерировано)", number);
  gint64 doc = 0;
  gboolean added = FALSE;

  if (pending->len == 0)
    return TRUE;
  if (!svyaz_store_add_document (store, title, "svyaz-cli generate", "ru", body->str, body->len,
                                 &doc, &added, error))
    return FALSE;
  report->documents++;
  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);
      SvyazRelationInput input = {
        .subject_id = p->subject, .predicate = p->predicate, .object_id = p->object,
        .document_id = doc, .evidence_start = p->start, .evidence_end = p->end,
        .confidence = p->confidence, .rule = "generate",
      };
      gboolean rel_added = FALSE;

      if (!svyaz_store_add_mention (store, p->subject, doc, p->s_start, p->s_end, error) ||
          !svyaz_store_add_mention (store, p->object, doc, p->o_start, p->o_end, error) ||
          !svyaz_store_add_relation (store, &input, &rel_added, error))
        return FALSE;
      report->mentions += 2;
      report->relations += rel_added ? 1 : 0;
      if (p->weak)
        {
          input.predicate = "co_occurs_with";
          input.cooccurrence = TRUE;
          input.confidence = 0.3;
          input.rule = "generate-cooccurrence";
          if (!svyaz_store_add_relation (store, &input, &rel_added, error))
            return FALSE;
        }
    }
  g_string_truncate (body, 0);
  g_array_set_size (pending, 0);
  return TRUE;
}

/**
 * svyaz_generate:
 * @seed: the same seed gives the same store
 *
 * Adds @n_entities entities and @n_relations typed relations with their
 * evidence to @store, in one transaction.
 */
gboolean
svyaz_generate (SvyazStore          *store,
                guint                n_entities,
                guint                n_relations,
                guint32              seed,
                SvyazGenerateReport *report,
                GError             **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) types = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_autoptr(GArray) endpoints = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *by_type[N_TYPES];
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  SvyazGenerateReport local = { 0 };
  guint documents = 0;

  g_return_val_if_fail (SVYAZ_IS_STORE (store), FALSE);
  g_return_val_if_fail (n_entities >= 2, FALSE);

  if (report == NULL)
    report = &local;
  memset (report, 0, sizeof *report);
  for (guint t = 0; t < N_TYPES; t++)
    by_type[t] = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!svyaz_store_begin (store, error))
    return FALSE;

  /* Entities: at least one of every type, so every predicate has objects. */
  for (guint i = 0; i < n_entities; i++)
    {
      Type type = i < N_TYPES ? (Type) i : draw_type (rand, (1u << N_TYPES) - 1);
      g_autofree char *name = unique_name (type, rand, taken);
      gint64 id = 0;
      gboolean created = FALSE;
      guint8 t8 = (guint8) type;

      if (!svyaz_store_ensure_entity (store, name, type_names[type], descriptions[type],
                                      &id, &created, error))
        goto fail;
      if (type == T_PERSON)
        {
          /* The surname alone names the person too, as in the news. */
          const char *space = strrchr (name, ' ');

          if (space != NULL && !svyaz_store_add_alias (store, id, space + 1, error))
            goto fail;
        }
      g_array_append_val (ids, id);
      g_array_append_val (types, t8);
      g_ptr_array_add (names, g_steal_pointer (&name));
      g_array_append_val (endpoints, i);
      g_array_append_val (by_type[type], i);
      report->entities++;
    }

  for (guint r = 0; r < n_relations; r++)
    {
      guint s = g_array_index (endpoints, guint, g_rand_int_range (rand, 0, endpoints->len));
      Type st = (Type) g_array_index (types, guint8, s);
      const PredicateRule *rule = NULL;
      guint pick = g_rand_int_range (rand, 0, 100), o;
      Type ot;
      GArray *pool;
      Pending p = { 0 };
      gsize at;

      for (guint k = 0; k < G_N_ELEMENTS (rules[st]) && rules[st][k].predicate; k++)
        {
          if (pick < rules[st][k].weight)
            {
              rule = &rules[st][k];
              break;
            }
          pick -= rules[st][k].weight;
        }
      g_assert (rule != NULL);
      ot = draw_type (rand, rule->object_types);
      pool = by_type[ot];
      /* Preferential: objects named often are named again. */
      o = g_array_index (pool, guint, g_rand_int_range (rand, 0, pool->len));
      if (o == s)
        o = g_array_index (pool, guint, g_rand_int_range (rand, 0, pool->len));
      if (o == s)
        continue;

      at = body->len;
      p.subject = g_array_index (ids, gint64, s);
      p.object = g_array_index (ids, gint64, o);
      p.predicate = rule->predicate;
      p.start = at;
      p.s_start = at;
      p.s_end = at + strlen (g_ptr_array_index (names, s));
      g_string_append (body, g_ptr_array_index (names, s));
      g_string_append (body, rule->middle);
      g_string_append (body, g_ptr_array_index (names, o));
      g_string_append_c (body, '.');
      p.end = body->len;
      p.o_end = p.end - 1;  /* before the full stop */
      p.o_start = p.o_end - strlen (g_ptr_array_index (names, o));
      p.confidence = 0.6 + 0.35 * g_rand_double (rand);
      p.weak = g_rand_int_range (rand, 0, 10) == 0;
      g_string_append_c (body, ' ');
      g_array_append_val (pending, p);

      g_array_append_val (endpoints, s);
      g_array_append_val (endpoints, o);
      g_array_append_val (by_type[st], s);
      g_array_append_val (by_type[ot], o);

      if (pending->len >= RELATIONS_PER_DOCUMENT &&
          !flush_document (store, body, pending, ++documents, report, error))
        goto fail;
    }
  if (!flush_document (store, body, pending, ++documents, report, error))
    goto fail;
  for (guint t = 0; t < N_TYPES; t++)
    g_array_unref (by_type[t]);
  return svyaz_store_commit (store, error);

fail:
  for (guint t = 0; t < N_TYPES; t++)
    g_array_unref (by_type[t]);
  svyaz_store_rollback (store);
  return FALSE;
}

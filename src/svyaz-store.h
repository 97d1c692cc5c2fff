/* svyaz-store.h: the knowledge store, one SQLite file holding documents,
 * entities, aliases, mentions and relations with their provenance.
 *
 * Every other module reads and writes the graph through this API; nothing
 * else talks to SQLite. Reads return plain structs; writes happen inside an
 * explicit transaction (svyaz_store_begin()/commit()/rollback()).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SVYAZ_STORE_ERROR (svyaz_store_error_quark ())

typedef enum {
  SVYAZ_STORE_ERROR_NOT_FOUND,      /* the file does not exist */
  SVYAZ_STORE_ERROR_NOT_FILE,       /* a directory, FIFO, device… */
  SVYAZ_STORE_ERROR_NOT_DATABASE,   /* not SQLite, or corrupt */
  SVYAZ_STORE_ERROR_FOREIGN,        /* SQLite, but another application's */
  SVYAZ_STORE_ERROR_TOO_NEW,        /* written by a newer Svyaz */
  SVYAZ_STORE_ERROR_READ_ONLY,      /* cannot be written */
  SVYAZ_STORE_ERROR_BUSY,           /* locked by another writer */
  SVYAZ_STORE_ERROR_INVALID,        /* bad data handed to a write */
  SVYAZ_STORE_ERROR_AMBIGUOUS,      /* a name matches several entities */
  SVYAZ_STORE_ERROR_NO_ENTITY,      /* a name matches no entity */
  SVYAZ_STORE_ERROR_FAILED,         /* any other SQLite failure */
} SvyazStoreError;

typedef enum {
  SVYAZ_STORE_OPEN_DEFAULT   = 0,
  SVYAZ_STORE_OPEN_CREATE    = 1 << 0, /* create the file if missing */
  SVYAZ_STORE_OPEN_READ_ONLY = 1 << 1,
} SvyazStoreOpenFlags;

/* The schema version this build writes (PRAGMA user_version). */
#define SVYAZ_STORE_SCHEMA_VERSION 4
/* PRAGMA application_id of a Svyaz store: "SVYZ". */
#define SVYAZ_STORE_APPLICATION_ID 0x5356595A

typedef struct {
  gint64  id;
  char   *name;
  char   *type;
  char   *description;   /* nullable */
  guint   degree;        /* typed and co-occurrence relations together */
} SvyazEntity;

typedef struct {
  gint64  id;
  gint64  subject_id;
  char   *subject;
  char   *subject_type;
  char   *predicate;
  gint64  object_id;
  char   *object;
  char   *object_type;
  gint64  document_id;   /* 0 when the relation came from an import */
  char   *document_title;/* nullable */
  gint64  evidence_start;/* byte offsets into the document body, -1 if none */
  gint64  evidence_end;
  char   *evidence;      /* the evidence sentence, nullable */
  double  confidence;
  char   *rule;
  gboolean cooccurrence;
} SvyazRelation;

typedef struct {
  gint64  id;
  char   *title;
  char   *source;
  char   *lang;
  char   *hash;
  gint64  added_at;      /* unix seconds */
  gsize   length;        /* bytes of body */
} SvyazDocument;

/* A relation as the graph needs it: no names, no evidence. */
typedef struct {
  gint64       id;
  gint64       subject_id;
  gint64       object_id;
  const char  *predicate;   /* interned with g_intern_string() */
  double       confidence;
  gboolean     cooccurrence;
  gint64       document_id; /* 0 for an imported relation */
} SvyazLink;

/* An entity's neighbour, with the summed confidence of the relations
 * joining them. */
typedef struct {
  gint64  id;
  double  strength;
} SvyazNeighbour;

/* A node position a user chose, in scene points. */
typedef struct {
  gint64  entity_id;
  double  x;
  double  y;
} SvyazPin;

/* The spellings of names that svyaz_store_match_names() searches. */
typedef enum {
  SVYAZ_NAME_INDEX_KEY,    /* the matching key (svyaz_text_key()) */
  SVYAZ_NAME_INDEX_LATIN,  /* the Latin key (svyaz_text_latin_key()) */
} SvyazNameIndex;

typedef struct {
  gint64  entity_id;
  char   *type;          /* the entity's type */
  gint64  start;         /* byte offsets into the document body */
  gint64  end;
} SvyazMention;

typedef struct {
  char   *name;          /* a type or a predicate */
  gint64  count;
} SvyazCount;

typedef struct {
  gint64     documents;
  gint64     entities;
  gint64     aliases;
  gint64     mentions;
  gint64     relations;      /* typed relations */
  gint64     cooccurrences;  /* weak co-occurrence edges */
  GPtrArray *types;          /* of SvyazCount, most frequent first */
  GPtrArray *predicates;     /* of SvyazCount, most frequent first */
} SvyazStats;

/* What a write of one relation needs; strings are borrowed. */
typedef struct {
  gint64      subject_id;
  const char *predicate;
  gint64      object_id;
  gint64      document_id;    /* 0 for none */
  gint64      evidence_start; /* -1 for none */
  gint64      evidence_end;
  double      confidence;
  const char *rule;           /* nullable */
  gboolean    cooccurrence;
} SvyazRelationInput;

typedef struct {
  const char *entity;        /* nullable: relations touching this entity */
  gint64      entity_id;     /* or by id, 0 for none */
  gint64      other_id;      /* with an entity: only those between it and this one, 0 for any */
  const char *predicate;     /* nullable */
  gboolean    include_cooccurrence;
  guint       limit;         /* 0 for no limit */
} SvyazRelationQuery;

void           svyaz_entity_free     (SvyazEntity   *entity);
void           svyaz_relation_free   (SvyazRelation *relation);
void           svyaz_document_free   (SvyazDocument *document);
void           svyaz_count_free      (SvyazCount    *count);
void           svyaz_mention_free    (SvyazMention  *mention);
void           svyaz_stats_free      (SvyazStats    *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazEntity, svyaz_entity_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazRelation, svyaz_relation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazDocument, svyaz_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazStats, svyaz_stats_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvyazMention, svyaz_mention_free)

#define SVYAZ_TYPE_STORE (svyaz_store_get_type ())
G_DECLARE_FINAL_TYPE (SvyazStore, svyaz_store, SVYAZ, STORE, GObject)

GQuark        svyaz_store_error_quark    (void);

SvyazStore   *svyaz_store_open           (const char           *path,
                                          SvyazStoreOpenFlags   flags,
                                          GError              **error);
const char   *svyaz_store_get_path       (SvyazStore           *self);
gboolean      svyaz_store_is_empty       (SvyazStore           *self);
gboolean      svyaz_store_is_read_only   (SvyazStore           *self);

/* Transactions: writes outside one are refused. */
gboolean      svyaz_store_begin          (SvyazStore           *self,
                                          GError              **error);
gboolean      svyaz_store_commit         (SvyazStore           *self,
                                          GError              **error);
void          svyaz_store_rollback       (SvyazStore           *self);
gboolean      svyaz_store_read_begin     (SvyazStore           *self,
                                          GError              **error);
void          svyaz_store_read_end       (SvyazStore           *self);
gboolean      svyaz_store_bulk_begin     (SvyazStore           *self,
                                          GError              **error);
gboolean      svyaz_store_bulk_end       (SvyazStore           *self,
                                          GError              **error);

/* Writes. */
gboolean      svyaz_store_add_document   (SvyazStore           *self,
                                          const char           *title,
                                          const char           *source,
                                          const char           *lang,
                                          const char           *body,
                                          gsize                 body_len,
                                          gint64               *out_id,
                                          gboolean             *out_added,
                                          GError              **error);
gboolean      svyaz_store_ensure_entity  (SvyazStore           *self,
                                          const char           *name,
                                          const char           *type,
                                          const char           *description,
                                          gint64               *out_id,
                                          gboolean             *out_created,
                                          GError              **error);
gboolean      svyaz_store_add_alias      (SvyazStore           *self,
                                          gint64                entity_id,
                                          const char           *surface,
                                          GError              **error);
gboolean      svyaz_store_add_mention    (SvyazStore           *self,
                                          gint64                entity_id,
                                          gint64                document_id,
                                          gint64                start,
                                          gint64                end,
                                          GError              **error);
gboolean      svyaz_store_add_relation   (SvyazStore           *self,
                                          const SvyazRelationInput *input,
                                          gboolean             *out_added,
                                          GError              **error);

/* Reads. */
SvyazStats   *svyaz_store_get_stats      (SvyazStore           *self,
                                          GError              **error);
GPtrArray    *svyaz_store_list_entities  (SvyazStore           *self,
                                          const char           *type,
                                          const char           *search,
                                          guint                 limit,
                                          GError              **error);
SvyazEntity  *svyaz_store_get_entity     (SvyazStore           *self,
                                          gint64                id,
                                          GError              **error);
GPtrArray    *svyaz_store_list_nodes     (SvyazStore           *self,
                                          GError              **error);
GArray       *svyaz_store_list_links     (SvyazStore           *self,
                                          gboolean              include_cooccurrence,
                                          GError              **error);
GArray       *svyaz_store_list_links_of  (SvyazStore           *self,
                                          GArray               *entity_ids,
                                          gboolean              include_cooccurrence,
                                          GError              **error);
GArray       *svyaz_store_list_neighbours (SvyazStore          *self,
                                          gint64                entity_id,
                                          gboolean              include_cooccurrence,
                                          GError              **error);
GArray       *svyaz_store_list_links_within (SvyazStore         *self,
                                          GArray               *entity_ids,
                                          gboolean              include_cooccurrence,
                                          GError              **error);
GPtrArray    *svyaz_store_list_nodes_of  (SvyazStore           *self,
                                          GArray               *entity_ids,
                                          GError              **error);
SvyazEntity  *svyaz_store_find_entity    (SvyazStore           *self,
                                          const char           *name,
                                          GError              **error);
GStrv         svyaz_store_get_aliases    (SvyazStore           *self,
                                          gint64                entity_id,
                                          GError              **error);
GPtrArray    *svyaz_store_list_relations (SvyazStore           *self,
                                          const SvyazRelationQuery *query,
                                          GError              **error);
GPtrArray    *svyaz_store_list_documents (SvyazStore           *self,
                                          GError              **error);
SvyazDocument *svyaz_store_get_document   (SvyazStore           *self,
                                          gint64                id,
                                          char                **out_body,
                                          GError              **error);
GPtrArray    *svyaz_store_list_mentions  (SvyazStore           *self,
                                          gint64                document_id,
                                          gint64                start,
                                          gint64                end,
                                          GError              **error);
GPtrArray    *svyaz_store_match_names    (SvyazStore           *self,
                                          SvyazNameIndex        index,
                                          const char           *fts_query,
                                          guint                 limit,
                                          GError              **error);
GArray       *svyaz_store_get_positions  (SvyazStore           *self,
                                          const char           *view_key,
                                          GError              **error);
gboolean      svyaz_store_set_positions  (SvyazStore           *self,
                                          const char           *view_key,
                                          GArray               *pins,
                                          GError              **error);
GPtrArray    *svyaz_store_match_documents (SvyazStore          *self,
                                          const char           *fts_query,
                                          guint                 limit,
                                          GError              **error);
/* Large layouts kept (svyaz_store_put_layout()), the latest first. */
#define SVYAZ_STORE_LAYOUTS_KEPT 8

GBytes       *svyaz_store_get_layout     (SvyazStore           *self,
                                          const char           *signature,
                                          GError              **error);
gboolean      svyaz_store_put_layout     (SvyazStore           *self,
                                          const char           *signature,
                                          const char           *engine,
                                          guint                 n_nodes,
                                          GBytes               *positions,
                                          GError              **error);
GPtrArray    *svyaz_store_search_documents (SvyazStore         *self,
                                          const char           *query,
                                          guint                 limit,
                                          GError              **error);
GPtrArray    *svyaz_store_check          (SvyazStore           *self,
                                          GError              **error);
/* Which words of an FTS query match as prefixes. */
typedef enum {
  SVYAZ_FTS_PREFIX_NONE,
  SVYAZ_FTS_PREFIX_LAST,   /* as one types: "Назарб" */
  SVYAZ_FTS_PREFIX_ALL,    /* stems */
} SvyazFtsPrefix;

char         *svyaz_store_fts_query      (const char           *user_text);
char         *svyaz_store_fts_words      (GPtrArray            *words,
                                          SvyazFtsPrefix        prefix);

G_END_DECLS

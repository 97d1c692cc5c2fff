/* svyaz-open.h: what both executables do first, where the user's store
 * and the bundled data live, and the one way both open a store (--db,
 * $SVYAZ_DB, or the default).
 */
#pragma once

#include "svyaz-store.h"

G_BEGIN_DECLS

typedef enum {
  SVYAZ_OPEN_DEFAULT       = 0,
  SVYAZ_OPEN_CREATE        = 1 << 0, /* create an explicitly named file */
  SVYAZ_OPEN_SEED_IF_EMPTY = 1 << 1, /* fill an empty store from data/corpus */
  SVYAZ_OPEN_READ_ONLY     = 1 << 2,
} SvyazOpenFlags;

void        svyaz_init_process      (void);
char       *svyaz_default_db_path   (void);
char       *svyaz_find_data_dir     (void);
char       *svyaz_find_locale_dir   (void);
char       *svyaz_resolve_db_path   (const char      *db_option,
                                     gboolean        *out_is_default);
SvyazStore *svyaz_open_user_store   (const char      *db_option,
                                     SvyazOpenFlags   flags,
                                     guint           *out_seeded,
                                     GError         **error);

G_END_DECLS

/* svyaz-open.c: where the user's store and the bundled data live.
 *
 * The store named by --db or $SVYAZ_DB must exist (a typo must not silently
 * create an empty database) unless the caller asks to create it; the
 * default store under $XDG_DATA_HOME is created on first use and filled
 * from the bundled corpus, so a new user sees a graph at once.
 */
#include "svyaz-config.h"
#include "svyaz-open.h"
#include "svyaz-import.h"

#include <locale.h>
#include <malloc.h>

/**
 * svyaz_init_process:
 *
 * What both executables do before anything else: take the locale from
 * the environment, and keep memory they free for the next query rather
 * than handing it back to the kernel. glibc returns the top of its heap
 * once more than twice its last large block lies free, and maps blocks
 * of a few hundred kilobytes afresh; a depth-2 neighbourhood of 1,765
 * nodes spent a fifth of its time taking page faults on memory the
 * query before had just returned (9.0 to 5.9-8.2 ms). Up to 64 MB stays
 * free in the heap; blocks of 32 MB and more are still mapped on their
 * own and returned at once.
 */
void
svyaz_init_process (void)
{
  setlocale (LC_ALL, "");
  mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
}

/**
 * svyaz_default_db_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/svyaz/svyaz.db`
 */
char *
svyaz_default_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "svyaz", "svyaz.db", NULL);
}

/**
 * svyaz_find_data_dir:
 *
 * Returns: (transfer full) (nullable): the folder holding `corpus/`:
 *   $SVYAZ_DATA_DIR, else `../share/svyaz` beside the running program
 *   (an installed tree, wherever it was moved or staged with DESTDIR),
 *   else the configured data folder, else the source tree's `data/` (so
 *   the build tree runs without installing)
 */
char *
svyaz_find_data_dir (void)
{
  const char *env = g_getenv ("SVYAZ_DATA_DIR");
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bin = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *beside = bin ? g_build_filename (bin, "..", "share", "svyaz", NULL) : NULL;
  const char * const candidates[] = { beside ? beside : SVYAZ_PKGDATADIR, SVYAZ_PKGDATADIR, SVYAZ_SOURCE_DATADIR };

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *corpus = g_build_filename (candidates[i], "corpus", NULL);

      if (g_file_test (corpus, G_FILE_TEST_IS_DIR))
        return g_strdup (candidates[i]);
    }
  return NULL;
}

/**
 * svyaz_find_locale_dir:
 *
 * Returns: (transfer full): where the window's translations are: beside
 * the program (an installed tree: ../share/locale), the build tree's po/
 * when run from there, else the configured prefix's.
 */
char *
svyaz_find_locale_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bin = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *beside = bin ? g_build_filename (bin, "..", "share", "locale", NULL) : NULL;
  g_autofree char *build_src = g_build_filename (SVYAZ_BUILD_LOCALEDIR, "..", "src", NULL);
  g_autofree char *mo = beside ? g_build_filename (beside, "ru", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL)
                               : NULL;

  if (mo != NULL && g_file_test (mo, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&beside);
  if (bin != NULL && g_file_test (build_src, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *a = g_canonicalize_filename (bin, NULL);
      g_autofree char *b = g_canonicalize_filename (build_src, NULL);

      if (g_str_equal (a, b))
        return g_strdup (SVYAZ_BUILD_LOCALEDIR);
    }
  return g_strdup (SVYAZ_LOCALEDIR);
}

/**
 * svyaz_resolve_db_path:
 * @db_option: (nullable): the value of --db
 *
 * Returns: (transfer full): @db_option, else $SVYAZ_DB, else the default
 */
char *
svyaz_resolve_db_path (const char *db_option,
                       gboolean   *out_is_default)
{
  const char *env = g_getenv ("SVYAZ_DB");

  if (out_is_default)
    *out_is_default = FALSE;
  if (db_option != NULL && *db_option != '\0')
    return g_strdup (db_option);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (out_is_default)
    *out_is_default = TRUE;
  return svyaz_default_db_path ();
}

/**
 * svyaz_open_user_store:
 * @db_option: (nullable): the value of --db
 * @out_seeded: (out) (optional): how many bundled documents were added
 *
 * Opens the store the user means. The default store, and any store opened
 * with %SVYAZ_OPEN_SEED_IF_EMPTY, is filled from the bundled corpus when
 * it has nothing in it yet.
 */
SvyazStore *
svyaz_open_user_store (const char      *db_option,
                       SvyazOpenFlags   flags,
                       guint           *out_seeded,
                       GError         **error)
{
  g_autoptr(SvyazStore) store = NULL;
  g_autofree char *path = NULL;
  SvyazStoreOpenFlags store_flags = SVYAZ_STORE_OPEN_DEFAULT;
  gboolean is_default = FALSE;
  gboolean existed;

  path = svyaz_resolve_db_path (db_option, &is_default);
  existed = g_file_test (path, G_FILE_TEST_EXISTS);

  if (flags & SVYAZ_OPEN_READ_ONLY)
    store_flags |= SVYAZ_STORE_OPEN_READ_ONLY;
  else if (is_default || (flags & SVYAZ_OPEN_CREATE))
    store_flags |= SVYAZ_STORE_OPEN_CREATE;

  store = svyaz_store_open (path, store_flags, error);
  if (store == NULL)
    return NULL;

  if (out_seeded)
    *out_seeded = 0;

  if (!(flags & SVYAZ_OPEN_READ_ONLY) &&
      ((is_default && !existed) || (flags & SVYAZ_OPEN_SEED_IF_EMPTY)) &&
      svyaz_store_is_empty (store))
    {
      g_autofree char *data_dir = svyaz_find_data_dir ();
      g_autofree char *corpus = NULL;
      g_autoptr(GPtrArray) docs = NULL;
      g_autoptr(SvyazExtractor) extractor = NULL;

      if (data_dir == NULL)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       "the bundled corpus was not found (set SVYAZ_DATA_DIR)");
          return NULL;
        }
      extractor = svyaz_extractor_new (data_dir, error);
      if (extractor == NULL)
        return NULL;
      corpus = g_build_filename (data_dir, "corpus", NULL);
      docs = svyaz_import_corpus (store, corpus, extractor, error);
      if (docs == NULL)
        return NULL;
      if (out_seeded)
        *out_seeded = docs->len;
    }

  return g_steal_pointer (&store);
}

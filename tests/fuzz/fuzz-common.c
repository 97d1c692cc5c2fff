/* fuzz-common.c: what the libFuzzer harnesses share. */
#include "fuzz-common.h"

#include <glib/gstdio.h>
#include <stdlib.h>

static char *scratch;

static void
remove_scratch (void)
{
  g_autoptr(GDir) dir = g_dir_open (scratch, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch, name, NULL);
      g_unlink (path);
    }
  g_rmdir (scratch);
}

const char *
fuzz_scratch_dir (void)
{
  if (scratch == NULL)
    {
      scratch = g_dir_make_tmp ("svyaz-fuzz-XXXXXX", NULL);
      g_assert (scratch != NULL);
      atexit (remove_scratch);
    }
  return scratch;
}

char *
fuzz_write_file (const char    *name,
                 const uint8_t *data,
                 size_t         size)
{
  char *path = g_build_filename (fuzz_scratch_dir (), name, NULL);

  g_assert (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
  return path;
}

/* test-util.h: helpers shared by the tests: scratch folders and files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char   *test_make_tmpdir   (void);
void    test_rm_rf         (const char *path);
char   *test_write_file    (const char *dir,
                            const char *name,
                            const char *contents,
                            gssize      len);
GBytes *test_read_bytes    (const char *path);

G_END_DECLS

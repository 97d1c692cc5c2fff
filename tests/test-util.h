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

/* svyaz-cli ($SVYAZ_CLI) run as a user would, its output captured. */
typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

void    run_clear          (Run *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

void    run_cli_env        (Run                *r,
                            const char * const *extra_env,
                            const char * const *args);
void    assert_one_line_error (Run        *r,
                               int         status,
                               const char *part);

#define CLI(r, ...) run_cli_env ((r), NULL, (const char * const[]) { __VA_ARGS__, NULL })

G_END_DECLS

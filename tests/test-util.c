/* test-util.c: helpers shared by the tests. */
#include "test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

char *
test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("svyaz-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_chmod (child, 0700);
      test_rm_rf (child);
    }
  g_rmdir (path);
}

char *
test_write_file (const char *dir,
                 const char *name,
                 const char *contents,
                 gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

GBytes *
test_read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs svyaz-cli with @args (NULL-terminated) and @extra_env variables
 * (name, value pairs); $SVYAZ_DB is cleared. */
void
run_cli_env (Run                *r,
             const char * const *extra_env,
             const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) argv_builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  int wait_status = 0;

  g_strv_builder_add (argv_builder, g_getenv ("SVYAZ_CLI"));
  g_strv_builder_addv (argv_builder, (const char **) args);
  argv = g_strv_builder_end (argv_builder);

  envp = g_environ_unsetenv (envp, "SVYAZ_DB");
  for (guint i = 0; extra_env && extra_env[i]; i += 2)
    envp = g_environ_setenv (envp, extra_env[i], extra_env[i + 1], TRUE);

  g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

/* Exit @status, nothing on stdout, and on stderr one line holding @part. */
void
assert_one_line_error (Run        *r,
                       int         status,
                       const char *part)
{
  g_assert_cmpint (r->status, ==, status);
  g_assert_cmpstr (r->out, ==, "");
  if (strstr (r->err, part) == NULL)
    g_error ("stderr \"%s\" lacks \"%s\"", r->err, part);
  if (status == 1)
    {
      g_assert_true (g_str_has_prefix (r->err, "svyaz-cli: "));
      g_assert_true (g_str_has_suffix (r->err, "\n"));
      g_assert_true (strchr (r->err, '\n') == r->err + strlen (r->err) - 1);
    }
}

/* test-settings.c: preferences and recent databases survive a save and a
 * load, odd paths included; a missing or damaged file gives the defaults,
 * and values out of range fall back one by one. */
#include "svyaz-settings.h"
#include "svyaz-view.h"

#include <glib/gstdio.h>

static void
test_defaults (char *fixture, gconstpointer data)
{
  g_autoptr(SvyazSettings) s = svyaz_settings_load ();

  g_assert_null (s->engine);
  g_assert_false (s->cooccurrence);
  g_assert_cmpuint (s->hub_cap, ==, SVYAZ_VIEW_HUB_CAP);
  g_assert_cmpint (s->labels, ==, SVYAZ_LABELS_NORMAL);
  g_assert_cmpint (s->color_scheme, ==, SVYAZ_COLOR_SCHEME_SYSTEM);
  g_assert_cmpuint (s->recent->len, ==, 0);
}

static void
test_round_trip (char *fixture, gconstpointer data)
{
  static const char * const odd[] = {
    "/tmp/a;b.db", "/tmp/line\nbreak.db", "/tmp/Связь 🔗.db", "/tmp/\"quoted\" 'x'.db", "/tmp/back\\slash.db",
  };
  g_autoptr(SvyazSettings) s = svyaz_settings_new ();
  g_autoptr(SvyazSettings) back = NULL;
  g_autoptr(GError) error = NULL;

  s->engine = g_strdup ("neato");
  s->cooccurrence = TRUE;
  s->hub_cap = 0;
  s->labels = SVYAZ_LABELS_FEW;
  s->color_scheme = SVYAZ_COLOR_SCHEME_DARK;
  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    svyaz_settings_add_recent (s, odd[i]);
  g_assert_true (svyaz_settings_save (s, &error));
  g_assert_no_error (error);

  back = svyaz_settings_load ();
  g_assert_cmpstr (back->engine, ==, "neato");
  g_assert_true (back->cooccurrence);
  g_assert_cmpuint (back->hub_cap, ==, 0);
  g_assert_cmpint (back->labels, ==, SVYAZ_LABELS_FEW);
  g_assert_cmpint (back->color_scheme, ==, SVYAZ_COLOR_SCHEME_DARK);
  g_assert_cmpuint (back->recent->len, ==, G_N_ELEMENTS (odd));
  /* The latest first. */
  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    g_assert_cmpstr (g_ptr_array_index (back->recent, i), ==, odd[G_N_ELEMENTS (odd) - 1 - i]);
}

static void
test_recent_order (char *fixture, gconstpointer data)
{
  g_autoptr(SvyazSettings) s = svyaz_settings_new ();

  for (guint i = 0; i < 15; i++)
    {
      g_autofree char *path = g_strdup_printf ("/data/%u.db", i);

      svyaz_settings_add_recent (s, path);
    }
  g_assert_cmpuint (s->recent->len, ==, SVYAZ_SETTINGS_RECENT_MAX);
  g_assert_cmpstr (g_ptr_array_index (s->recent, 0), ==, "/data/14.db");
  /* Opened again: moved to the top, not listed twice; relative paths
   * are made absolute. */
  svyaz_settings_add_recent (s, "/data/../data/10.db");
  g_assert_cmpstr (g_ptr_array_index (s->recent, 0), ==, "/data/10.db");
  g_assert_cmpstr (g_ptr_array_index (s->recent, 1), ==, "/data/14.db");
  g_assert_cmpuint (s->recent->len, ==, SVYAZ_SETTINGS_RECENT_MAX);
  svyaz_settings_add_recent (s, "relative.db");
  g_assert_true (g_path_is_absolute (g_ptr_array_index (s->recent, 0)));
}

static void
test_damaged (char *fixture, gconstpointer data)
{
  g_autofree char *path = svyaz_settings_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* Not a key file at all. */
  g_assert_true (g_file_set_contents (path, "\x89PNG\r\n\x1a\n\0\0garbage", 16, &error));
  {
    g_autoptr(SvyazSettings) s = svyaz_settings_load ();

    g_assert_cmpuint (s->hub_cap, ==, SVYAZ_VIEW_HUB_CAP);
    g_assert_cmpuint (s->recent->len, ==, 0);
  }

  /* A key file with every value wrong: each falls back alone. */
  g_assert_true (g_file_set_contents (path,
    "[preferences]\n"
    "engine=rm -rf /\n"
    "cooccurrence=maybe\n"
    "hub-cap=-5\n"
    "labels=lots\n"
    "color-scheme=purple\n"
    "[files]\n"
    "recent=relative.db;/ok.db;\n", -1, &error));
  {
    g_autoptr(SvyazSettings) s = svyaz_settings_load ();

    g_assert_null (s->engine);
    g_assert_false (s->cooccurrence);
    g_assert_cmpuint (s->hub_cap, ==, SVYAZ_VIEW_HUB_CAP);
    g_assert_cmpint (s->labels, ==, SVYAZ_LABELS_NORMAL);
    g_assert_cmpint (s->color_scheme, ==, SVYAZ_COLOR_SCHEME_SYSTEM);
    g_assert_cmpuint (s->recent->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (s->recent, 0), ==, "/ok.db");
  }
}

/* Each test starts with no settings file. */
static void
fixture_setup (char *fixture, gconstpointer data)
{
  g_autofree char *path = svyaz_settings_path ();

  g_unlink (path);
}

static void
fixture_teardown (char *fixture, gconstpointer data)
{
}

int
main (int argc, char **argv)
{
  /* A config folder of the test's own (G_TEST_OPTION_ISOLATE_DIRS would
   * do it per test, but GLib 2.74 then loses the folders' names, which
   * the leak checker of the sanitizer run reports). */
  g_autofree char *config = g_dir_make_tmp ("svyaz-settings-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, char, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/settings/defaults", test_defaults);
  ADD ("/settings/round-trip", test_round_trip);
  ADD ("/settings/recent-order", test_recent_order);
  ADD ("/settings/damaged", test_damaged);
#undef ADD
  status = g_test_run ();
  {
    g_autofree char *path = svyaz_settings_path ();
    g_autofree char *dir = g_path_get_dirname (path);

    g_unlink (path);
    g_rmdir (dir);
    g_rmdir (config);
  }
  return status;
}

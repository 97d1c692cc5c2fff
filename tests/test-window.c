/* test-window.c: the main window on a real store, under Xvfb. */
#include "svyaz-import.h"
#include "svyaz-window.h"
#include "test-util.h"

#include <string.h>

static GtkWidget *
find_label_with (GtkWidget *root, const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_text (GTK_LABEL (child)), text))
        return child;
      found = find_label_with (child, text);
      if (found)
        return found;
    }
  return NULL;
}

static void
test_window_shows_counts (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "w.db", NULL);
  g_autofree char *tsv = test_write_file (dir, "g.tsv",
    "МАЗ\tcompany\tassembles_in\tКазахстан\tcountry\n"
    "БелАЗ\tcompany\tassembles_in\tКазахстан\tcountry\n"
    "Лукашенко\tperson\tmet_with\tНазарбаев\tperson\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = svyaz_store_open (db, SVYAZ_STORE_OPEN_CREATE, &error);
  SvyazWindow *window;

  g_assert_no_error (error);
  g_assert_true (svyaz_import_tsv (store, tsv, NULL, &error));

  /* No GtkApplication: registering one needs a session bus. */
  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  g_assert_nonnull (find_label_with (GTK_WIDGET (window), "No database open"));

  svyaz_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));

  g_assert_true (svyaz_window_get_store (window) == store);
  g_assert_nonnull (find_label_with (GTK_WIDGET (window),
                                     "0 documents · 5 entities · 3 relations"));
  g_assert_nonnull (find_label_with (GTK_WIDGET (window), "company: 2"));
  g_assert_nonnull (find_label_with (GTK_WIDGET (window), "assembles_in: 2"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "w.db");

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/window/shows-counts", test_window_shows_counts);
  return g_test_run ();
}

/* test-window.c: the explorer window on the seed store, under Xvfb.
 *
 * Clicks go through the real event path: xdotool moves the X pointer and
 * presses the button over the node or link, the X server sends the
 * events, and GTK's gestures handle them as they would a user's.
 */
#include <string.h>

#include <gdk/x11/gdkx.h>

#include "svyaz-canvas.h"
#include "svyaz-details.h"
#include "svyaz-document-view.h"
#include "svyaz-generate.h"
#include "svyaz-window.h"
#include "test-seed.h"
#include "test-util.h"

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @cond holds, failing after @ms. */
static void
wait_until (Condition cond,
            gpointer  data,
            guint     ms,
            const char *what)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out waiting for %s", what);
      while (g_main_context_iteration (NULL, FALSE));
      g_usleep (2000);
    }
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE));
      g_usleep (2000);
    }
}

static gboolean
laid_out (gpointer data)
{
  SvyazWindow *window = data;
  SvyazCanvas *canvas = SVYAZ_CANVAS (svyaz_window_get_canvas (window));
  SvyazGraph *graph = svyaz_canvas_get_graph (canvas);

  return !svyaz_window_is_busy (window) && graph != NULL && graph->laid_out &&
         gtk_widget_get_mapped (GTK_WIDGET (canvas)) && gtk_widget_get_width (GTK_WIDGET (canvas)) > 0;
}

/* Clicks @widget at (@x, @y) of its own coordinates, @count times. */
static void
click_at (GtkWidget *widget,
          double     x,
          double     y,
          int        count)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  g_autoptr(GError) error = NULL;
  g_autofree char *xid = NULL, *px = NULL, *py = NULL, *repeat = NULL;
  double wx, wy, sx, sy;
  int status = 0;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_widget_translate_coordinates (widget, GTK_WIDGET (native), x, y, &wx, &wy));
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_native_get_surface_transform (native, &sx, &sy);
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  px = g_strdup_printf ("%d", (int) (wx + sx));
  py = g_strdup_printf ("%d", (int) (wy + sy));
  repeat = g_strdup_printf ("%d", count);
  {
    const char *argv[] = { "xdotool", "mousemove", "--sync", "--window", xid, px, py,
                           "click", "--repeat", repeat, "--delay", "60", "1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, const char *text);

/* The first widget under @root, depth first, that @match accepts. */
static GtkWidget *
find_widget (GtkWidget   *root,
             WidgetMatch  match,
             const char  *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child, text))
        return child;
      if ((found = find_widget (child, match, text)) != NULL)
        return found;
    }
  return NULL;
}

/* A label on screen, laid out, whose markup holds @needle. */
static gboolean
is_label_with (GtkWidget  *widget,
               const char *needle)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
         strstr (gtk_label_get_label (GTK_LABEL (widget)), needle) != NULL;
}

static gboolean
is_button_labelled (GtkWidget  *widget,
                    const char *label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkLabel *
find_label (GtkWidget  *root,
            const char *needle)
{
  return (GtkLabel *) find_widget (root, is_label_with, needle);
}

/* Clicks the text @text inside @label (a link in it). */
static void
click_text_in_label (GtkLabel   *label,
                     const char *text)
{
  PangoLayout *layout = gtk_label_get_layout (label);
  const char *all = pango_layout_get_text (layout);
  const char *at = strstr (all, text);
  PangoRectangle rect;
  int lx, ly;

  g_assert_nonnull (at);
  gtk_label_get_layout_offsets (label, &lx, &ly);
  /* A few characters in, on the line's middle. */
  pango_layout_index_to_pos (layout, (int) (g_utf8_offset_to_pointer (at, 1) - all), &rect);
  click_at (GTK_WIDGET (label), lx + (double) rect.x / PANGO_SCALE + 2,
            ly + (double) (rect.y + rect.height / 2) / PANGO_SCALE, 1);
}

typedef struct {
  GtkWidget  *root;
  const char *needle;
} LabelWanted;

static gboolean
label_shown (gpointer data)
{
  LabelWanted *w = data;

  return find_label (w->root, w->needle) != NULL;
}

/* The label showing @needle, once it is laid out on screen. */
static GtkLabel *
wait_label (GtkWidget  *root,
            const char *needle)
{
  LabelWanted wanted = { root, needle };

  wait_until (label_shown, &wanted, 5000, needle);
  return find_label (root, needle);
}

typedef struct {
  SvyazWindow *window;
  gint64       id;
} Expect;

static gboolean
selected_is (gpointer data)
{
  Expect *e = data;

  return svyaz_canvas_get_selected (SVYAZ_CANVAS (svyaz_window_get_canvas (e->window))) == e->id &&
         svyaz_details_get_entity (SVYAZ_DETAILS (svyaz_window_get_details (e->window))) == e->id;
}

static gboolean
shows_nodes (gpointer data)
{
  Expect *e = data;
  SvyazGraph *graph = svyaz_canvas_get_graph (SVYAZ_CANVAS (svyaz_window_get_canvas (e->window)));

  return laid_out (e->window) && graph->nodes->len == (guint) e->id;
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

static gboolean
document_open (gpointer data)
{
  GtkWidget *view = find_toplevel (SVYAZ_TYPE_DOCUMENT_VIEW);

  return view != NULL && gtk_widget_get_mapped (view);
}

static void
click_node (SvyazWindow *window,
            gint64       id,
            int          count)
{
  GtkWidget *canvas = svyaz_window_get_canvas (window);
  double x, y;

  g_assert_true (svyaz_canvas_scene_to_widget (SVYAZ_CANVAS (canvas), id, &x, &y));
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (canvas));
  g_assert_cmpfloat (y, <, gtk_widget_get_height (canvas));
  click_at (canvas, x, y, count);
}

static void
test_window_explore (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(SvyazStore) store = test_open_seed_store (dir);
  gint64 kazakhstan = test_entity_id (store, "Казахстан");
  gint64 maz = test_entity_id (store, "МАЗ");
  SvyazWindow *window;
  GtkWidget *details;
  SvyazDocumentView *view;
  Expect expect;

  /* No GtkApplication: registering one needs a session bus. */
  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  g_assert_cmpstr (svyaz_window_get_status (window), ==, "No database open");
  svyaz_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, window, 10000, "the layout");
  spin (200);
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "22 entities · 24 relations"));
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "layout dot"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "seed.db");
  details = svyaz_window_get_details (window);

  /* Click Казахстан: the panel describes it, with its relations. */
  click_node (window, kazakhstan, 1);
  expect = (Expect) { window, kazakhstan };
  wait_until (selected_is, &expect, 5000, "Казахстан selected");
  g_assert_nonnull (wait_label (details, "государство в Центральной Азии"));
  g_assert_nonnull (wait_label (details, "← assembles_in"));
  g_assert_nonnull (wait_label (details, "<b>Казахстане</b>"));  /* the mention in the evidence */

  /* Follow the link to МАЗ: the selection moves. */
  click_text_in_label (wait_label (details, "МАЗ</a>"), "МАЗ");
  expect = (Expect) { window, maz };
  wait_until (selected_is, &expect, 5000, "МАЗ selected through its link");
  g_assert_nonnull (wait_label (details, "белорусский производитель грузовиков"));

  /* Back and forward through the selection history. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  expect = (Expect) { window, kazakhstan };
  wait_until (selected_is, &expect, 2000, "back to Казахстан");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.forward", NULL);
  expect = (Expect) { window, maz };
  wait_until (selected_is, &expect, 2000, "forward to МАЗ");

  /* Open the evidence's document: every mention is marked. */
  click_text_in_label (wait_label (details, "Open document"), "Open document");
  wait_until (document_open, NULL, 5000, "the document window");
  view = SVYAZ_DOCUMENT_VIEW (find_toplevel (SVYAZ_TYPE_DOCUMENT_VIEW));
  g_assert_cmpuint (svyaz_document_view_count_marked (view, FALSE), >=, 60);
  g_assert_cmpuint (svyaz_document_view_count_marked (view, TRUE), >=, 1);
  gtk_window_destroy (GTK_WINDOW (view));

  /* Double-click МАЗ once the pan has settled: its neighbourhood. */
  spin (400);
  click_node (window, maz, 2);
  expect = (Expect) { window, 2 };
  wait_until (shows_nodes, &expect, 10000, "МАЗ's neighbourhood");
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "(neighbourhood)"));

  /* Escape clears the selection, then leaves the neighbourhood. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.escape", NULL);
  g_assert_cmpint (svyaz_canvas_get_selected (SVYAZ_CANVAS (svyaz_window_get_canvas (window))), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.escape", NULL);
  expect = (Expect) { window, 22 };
  wait_until (shows_nodes, &expect, 10000, "the whole graph again");

  /* Another engine lays the same graph out again. */
  g_object_set (window, "engine", "neato", NULL);
  wait_until (laid_out, window, 10000, "the neato layout");
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "layout neato"));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  test_rm_rf (dir);
}

static gboolean
chooser_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

/* A file that is no database: the window stays, and the dialog offers to
 * open another, which brings up the file chooser. */
static void
test_window_open_error (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *path = test_write_file (dir, "photo.db", "\xff\xd8\xff\xe0 JFIF", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, &error);
  SvyazWindow *window;
  GtkWidget *dialog, *button, *chooser;

  g_assert_null (store);
  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (window));
  svyaz_window_show_error (window, SVYAZ_WINDOW_OPEN_FAILED, error->message);
  spin (100);
  dialog = find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (wait_label (dialog, "not a Svyaz database"));
  button = find_widget (dialog, is_button_labelled, "_Open Another…");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  wait_until (chooser_shown, NULL, 5000, "the file chooser");
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Open Database");
  g_assert_null (find_toplevel (GTK_TYPE_MESSAGE_DIALOG));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  spin (100);
  g_assert_cmpstr (svyaz_window_get_status (window), ==, "No database open");

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  test_rm_rf (dir);
}

/* A store too big to show whole opens on its biggest hub, selected. */
static void
test_window_large_store (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "large.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);
  g_autoptr(GPtrArray) top = NULL;
  SvyazWindow *window;
  Expect expect;

  g_assert_no_error (error);
  g_assert_true (svyaz_generate (store, 2500, 4000, 5, NULL, &error));
  top = svyaz_store_list_entities (store, NULL, NULL, 1, &error);
  g_assert_no_error (error);

  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  svyaz_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, window, 60000, "the hub's neighbourhood");
  expect = (Expect) { window, ((SvyazEntity *) g_ptr_array_index (top, 0))->id };
  wait_until (selected_is, &expect, 5000, "the hub selected");
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "(neighbourhood)"));
  g_assert_cmpuint (svyaz_canvas_get_graph (SVYAZ_CANVAS (svyaz_window_get_canvas (window)))->nodes->len,
                    <, 2500);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/window/large-store", test_window_large_store);
  g_test_add_func ("/window/explore", test_window_explore);
  g_test_add_func ("/window/open-error", test_window_open_error);
  return g_test_run ();
}

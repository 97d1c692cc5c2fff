/* test-window.c: the explorer window on the seed store, under Xvfb.
 *
 * Clicks go through the real event path: xdotool moves the X pointer and
 * presses the button over the node or link, the X server sends the
 * events, and GTK's gestures handle them as they would a user's.
 */
#include "svyaz-config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>

#include "svyaz-canvas.h"
#include "svyaz-details.h"
#include "svyaz-document-view.h"
#include "svyaz-generate.h"
#include "svyaz-minimap.h"
#include "svyaz-preferences.h"
#include "svyaz-settings.h"
#include "svyaz-view.h"
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

static SvyazGraph *shown_graph (SvyazWindow *window);

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

  /* The hub has more neighbours than the cap: the strongest 50 came,
   * the panel says how many more there are, and Show All brings them. */
  {
    gint64 hub = ((SvyazEntity *) g_ptr_array_index (top, 0))->id;
    guint capped = shown_graph (window)->nodes->len, shown;
    gint64 neighbour = 0;

    g_assert_cmpuint (((SvyazEntity *) g_ptr_array_index (top, 0))->degree, >, SVYAZ_VIEW_HUB_CAP);
    g_assert_cmpuint (capped, ==, SVYAZ_VIEW_HUB_CAP + 1);
    g_assert_nonnull (wait_label (svyaz_window_get_details (window), "more neighbours not shown"));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-neighbours", NULL);
    wait_until (laid_out, window, 60000, "all of the hub's neighbours");
    shown = shown_graph (window)->nodes->len;
    g_assert_cmpuint (shown, >, capped);

    /* Hide one neighbour; expand another. */
    for (guint i = 0; i < shown_graph (window)->nodes->len && neighbour == 0; i++)
      if (SVYAZ_NODE (shown_graph (window), i)->entity_id != hub)
        neighbour = SVYAZ_NODE (shown_graph (window), i)->entity_id;
    svyaz_canvas_select (SVYAZ_CANVAS (svyaz_window_get_canvas (window)), neighbour, FALSE);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.hide", NULL);
    wait_until (laid_out, window, 60000, "the neighbour hidden");
    g_assert_cmpint (svyaz_graph_find_node (shown_graph (window), neighbour), <, 0);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
    wait_until (laid_out, window, 60000, "the neighbour back");
    g_assert_cmpint (svyaz_graph_find_node (shown_graph (window), neighbour), >=, 0);
    g_assert_cmpuint (shown_graph (window)->nodes->len, ==, shown);

    /* Collapse takes the lifted cap back. */
    svyaz_canvas_select (SVYAZ_CANVAS (svyaz_window_get_canvas (window)), hub, FALSE);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.collapse", NULL);
    wait_until (laid_out, window, 60000, "the hub collapsed");
    g_assert_cmpuint (shown_graph (window)->nodes->len, ==, capped);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  test_rm_rf (dir);
}

/* Section: exploration tools */

static gboolean
is_check_labelled (GtkWidget  *widget,
                   const char *prefix)
{
  GtkWidget *child;

  if (!GTK_IS_CHECK_BUTTON (widget))
    return FALSE;
  child = gtk_check_button_get_child (GTK_CHECK_BUTTON (widget));
  return GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), prefix);
}

static gboolean
is_search_entry_hinting (GtkWidget  *widget,
                         const char *hint)
{
  g_autofree char *text = NULL;

  if (!GTK_IS_SEARCH_ENTRY (widget))
    return FALSE;
  g_object_get (widget, "placeholder-text", &text, NULL);
  return text != NULL && strstr (text, hint) != NULL;
}

static gboolean
is_minimap (GtkWidget  *widget,
            const char *unused)
{
  return SVYAZ_IS_MINIMAP (widget) && gtk_widget_get_mapped (widget);
}

static gboolean
is_list_box (GtkWidget  *widget,
             const char *name)
{
  return GTK_IS_LIST_BOX (widget) && gtk_widget_get_mapped (widget) &&
         gtk_list_box_get_row_at_index (GTK_LIST_BOX (widget), 0) != NULL;
}

static guint
count_type (SvyazGraph *graph,
            const char *type)
{
  guint n = 0;

  for (guint i = 0; i < graph->nodes->len; i++)
    n += g_str_equal (SVYAZ_NODE (graph, i)->type, type);
  return n;
}

static SvyazGraph *
shown_graph (SvyazWindow *window)
{
  return svyaz_canvas_get_graph (SVYAZ_CANVAS (svyaz_window_get_canvas (window)));
}

/* Drags a node by (@dx, @dy) pixels through X. */
static void
drag_node (SvyazWindow *window,
           gint64       id,
           int          dx,
           int          dy)
{
  GtkWidget *canvas = svyaz_window_get_canvas (window);
  GtkNative *native = gtk_widget_get_native (canvas);
  g_autoptr(GError) error = NULL;
  g_autofree char *xid = NULL, *px = NULL, *py = NULL, *mx = NULL, *my = NULL, *ex = NULL, *ey = NULL;
  double x, y, wx, wy, sx, sy;
  int status = 0;

  g_assert_true (svyaz_canvas_scene_to_widget (SVYAZ_CANVAS (canvas), id, &x, &y));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_widget_translate_coordinates (canvas, GTK_WIDGET (native), x, y, &wx, &wy));
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_native_get_surface_transform (native, &sx, &sy);
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (gtk_native_get_surface (native)));
  px = g_strdup_printf ("%d", (int) (wx + sx));
  py = g_strdup_printf ("%d", (int) (wy + sy));
  mx = g_strdup_printf ("%d", (int) (wx + sx) + dx / 2);
  my = g_strdup_printf ("%d", (int) (wy + sy) + dy / 2);
  ex = g_strdup_printf ("%d", (int) (wx + sx) + dx);
  ey = g_strdup_printf ("%d", (int) (wy + sy) + dy);
  {
    const char *argv[] = { "xdotool", "mousemove", "--sync", "--window", xid, px, py, "mousedown", "1",
                           "sleep", "0.1", "mousemove", "--window", xid, mx, my, "sleep", "0.1",
                           "mousemove", "--window", xid, ex, ey, "sleep", "0.1", "mouseup", "1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
}

typedef struct {
  SvyazWindow *window;
  guint        pins;
} PinsWanted;

static gboolean
has_pins (gpointer data)
{
  PinsWanted *w = data;

  return svyaz_window_get_view (w->window)->pins->len == w->pins;
}

static void
test_window_search_filter_undo (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(SvyazStore) store = test_open_seed_store (dir);
  gint64 nazarbayev = test_entity_id (store, "Назарбаев");
  gint64 maz = test_entity_id (store, "МАЗ");
  g_autofree char *before = NULL, *after = NULL, *undone = NULL, *redone = NULL;
  SvyazWindow *window;
  GtkWidget *entry, *check;
  GtkLabel *label;
  Expect expect;

  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 850);
  svyaz_window_set_store (window, store);
  g_object_set (window, "show-sidebar", TRUE, NULL);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, window, 10000, "the layout");

  /* Search in an inflected form: the match is selected and marked. */
  entry = find_widget (GTK_WIDGET (window), is_search_entry_hinting, "Find an entity");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Назарбаеве");
  g_signal_emit_by_name (entry, "search-changed");
  expect = (Expect) { window, nazarbayev };
  wait_until (selected_is, &expect, 5000, "Назарбаев found as «Назарбаеве»");
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "match 1 of 1"));
  /* And in Latin letters. */
  svyaz_canvas_select (SVYAZ_CANVAS (svyaz_window_get_canvas (window)), 0, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Nazarbaev");
  g_signal_emit_by_name (entry, "search-changed");
  wait_until (selected_is, &expect, 5000, "Назарбаев found as «Nazarbaev»");
  g_signal_emit_by_name (entry, "stop-search");

  /* The type filter lists its count; unticking it is one undoable step. */
  g_assert_cmpuint (count_type (shown_graph (window), "company"), ==, 7);
  check = find_widget (GTK_WIDGET (window), is_check_labelled, "company (7)");
  g_assert_nonnull (check);
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_check_labelled, "met_with (3)"));
  before = svyaz_view_to_string (svyaz_window_get_view (window));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  wait_until (laid_out, window, 10000, "the filtered layout");
  g_assert_cmpuint (count_type (shown_graph (window), "company"), ==, 0);
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "(filtered)"));
  /* The same box, so the keyboard focus stays on it. */
  g_assert_true (find_widget (GTK_WIDGET (window), is_check_labelled, "company (7)") == check);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  after = svyaz_view_to_string (svyaz_window_get_view (window));
  g_assert_cmpstr (after, !=, before);

  /* Ctrl+Z brings back exactly the view before; Ctrl+Shift+Z redoes. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  wait_until (laid_out, window, 10000, "the layout after undo");
  undone = svyaz_view_to_string (svyaz_window_get_view (window));
  g_assert_cmpstr (undone, ==, before);
  g_assert_cmpuint (count_type (shown_graph (window), "company"), ==, 7);
  /* The filter list follows the view. */
  check = find_widget (GTK_WIDGET (window), is_check_labelled, "company (7)");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
  wait_until (laid_out, window, 10000, "the layout after redo");
  redone = svyaz_view_to_string (svyaz_window_get_view (window));
  g_assert_cmpstr (redone, ==, after);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reset-filters", NULL);
  wait_until (laid_out, window, 10000, "the layout without filters");
  g_assert_cmpuint (count_type (shown_graph (window), "company"), ==, 7);

  /* A path from МАЗ to Назарбаев, listed with its evidence. */
  svyaz_canvas_select (SVYAZ_CANVAS (svyaz_window_get_canvas (window)), maz, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.path-from", NULL);
  svyaz_canvas_select (SVYAZ_CANVAS (svyaz_window_get_canvas (window)), nazarbayev, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.path-to", NULL);
  label = wait_label (GTK_WIDGET (window), "МАЗ → Казахстан ← Нурсултан Назарбаев");
  g_assert_nonnull (label);
  g_assert_nonnull (wait_label (GTK_WIDGET (window), "собирают её в Казахстане"));

  /* The minimap: a click there centres the canvas on that spot. */
  g_object_set (window, "show-minimap", TRUE, NULL);
  {
    GtkWidget *minimap = find_widget (GTK_WIDGET (window), is_minimap, NULL);
    double area[4], sx, sy;
    int w, h;

    g_assert_nonnull (minimap);
    spin (200);
    w = gtk_widget_get_width (minimap);
    h = gtk_widget_get_height (minimap);
    g_assert_cmpint (w, >, 100);
    g_assert_true (svyaz_minimap_to_scene (SVYAZ_MINIMAP (minimap), w * 0.8, h * 0.3, &sx, &sy));
    click_at (minimap, w * 0.8, h * 0.3, 1);
    spin (200);
    svyaz_canvas_get_visible_area (SVYAZ_CANVAS (svyaz_window_get_canvas (window)), area);
    g_assert_cmpfloat (fabs ((area[0] + area[2]) / 2 - sx), <, 3);
    g_assert_cmpfloat (fabs ((area[1] + area[3]) / 2 - sy), <, 3);
  }

  /* Text search lists sentences; choosing one selects its first entity. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search-text", NULL);
  entry = find_widget (GTK_WIDGET (window), is_search_entry_hinting, "Words in the documents");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "венок");
  g_signal_emit_by_name (entry, "search-changed");
  g_assert_nonnull (wait_label (GTK_WIDGET (window), "возложил венок"));
  {
    GtkWidget *list = find_widget (GTK_WIDGET (window), is_list_box, NULL);
    GtkListBoxRow *row;

    g_assert_nonnull (list);
    row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
    g_signal_emit_by_name (list, "row-activated", row);
    expect = (Expect) { window, nazarbayev };
    wait_until (selected_is, &expect, 5000, "the sentence's first entity");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  test_rm_rf (dir);
}

/* A moved node is part of the view: undone, redone, and still there when
 * the store is opened again. */
static void
test_window_moved_nodes (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *path = NULL;
  SvyazStore *store = test_open_seed_store (dir);
  gint64 kazakhstan = test_entity_id (store, "Казахстан");
  g_autofree char *key = NULL;
  g_autoptr(GArray) stored = NULL;
  SvyazWindow *window;
  PinsWanted wanted;
  double x0, y0;
  int index;

  path = g_strdup (svyaz_store_get_path (store));
  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  svyaz_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, window, 10000, "the layout");
  spin (300);
  index = svyaz_graph_find_node (shown_graph (window), kazakhstan);
  x0 = SVYAZ_NODE (shown_graph (window), index)->x;
  y0 = SVYAZ_NODE (shown_graph (window), index)->y;

  drag_node (window, kazakhstan, 90, 60);
  wanted = (PinsWanted) { window, 1 };
  wait_until (has_pins, &wanted, 5000, "the move recorded");
  key = svyaz_view_get_key (svyaz_window_get_view (window));
  stored = svyaz_store_get_positions (store, key, NULL);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpint (g_array_index (stored, SvyazPin, 0).entity_id, ==, kazakhstan);
  g_assert_cmpfloat (fabs (g_array_index (stored, SvyazPin, 0).x - x0), >, 20);
  /* The labels the drag hid are placed again, on the moved edges' lines. */
  {
    SvyazGraph *g = shown_graph (window);
    int moved = svyaz_graph_find_node (g, kazakhstan);
    guint labelled = 0;

    for (guint i = 0; i < g->edges->len; i++)
      {
        const SvyazEdge *e = SVYAZ_EDGE (g, i);

        if ((e->source != (guint) moved && e->target != (guint) moved) || e->source == e->target ||
            !e->label_visible)
          continue;
        labelled++;
        g_assert_cmpfloat (svyaz_segment_distance (e->label_x, e->label_y, e->points[0], e->points[1],
                                                   e->points[2 * e->n_points - 2],
                                                   e->points[2 * e->n_points - 1]), <, 0.01);
      }
    g_assert_cmpuint (labelled, >, 0);
  }

  /* Undo puts it back where the layout had it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  wanted.pins = 0;
  wait_until (has_pins, &wanted, 5000, "the move undone");
  index = svyaz_graph_find_node (shown_graph (window), kazakhstan);
  g_assert_cmpfloat_with_epsilon (SVYAZ_NODE (shown_graph (window), index)->x, x0, 1e-6);
  g_assert_cmpfloat_with_epsilon (SVYAZ_NODE (shown_graph (window), index)->y, y0, 1e-6);
  g_clear_pointer (&stored, g_array_unref);
  stored = svyaz_store_get_positions (store, key, NULL);
  g_assert_cmpuint (stored->len, ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
  wanted.pins = 1;
  wait_until (has_pins, &wanted, 5000, "the move redone");

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  g_object_unref (store);

  /* A restart: the store remembers. */
  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, NULL);
  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  svyaz_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, window, 10000, "the layout after a restart");
  index = svyaz_graph_find_node (shown_graph (window), kazakhstan);
  g_assert_cmpfloat (fabs (SVYAZ_NODE (shown_graph (window), index)->x - x0), >, 20);
  g_assert_cmpuint (svyaz_window_get_view (window)->pins->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  g_object_unref (store);
  test_rm_rf (dir);
}

static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/svyaz/Svyaz/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  guint shortcuts = 0;

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  for (GSList *l = objects; l; l = l->next)
    shortcuts += GTK_IS_SHORTCUTS_SHORTCUT (l->data);
  g_assert_cmpuint (shortcuts, >=, 25);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static gboolean
not_busy (gpointer data)
{
  return !svyaz_window_is_busy (data);
}

/* Cancel gives the picture before back and leaves the window usable; a
 * large layout is kept in the store and drawn from there next time. */
static void
test_window_cancel_and_saved_layout (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "large.db", NULL);
  g_autoptr(GError) error = NULL;
  SvyazStore *store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, &error);
  g_autofree char *before = NULL, *after = NULL;
  SvyazWindow *window;
  guint hub_nodes;

  g_assert_no_error (error);
  g_assert_true (svyaz_generate (store, 2500, 4000, 7, NULL, &error));
  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  svyaz_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, window, 60000, "the hub's neighbourhood");
  before = svyaz_view_to_string (svyaz_window_get_view (window));
  hub_nodes = shown_graph (window)->nodes->len;

  /* Show All starts a long sfdp layout; Cancel at once. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL);
  g_assert_true (svyaz_window_is_busy (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-layout", NULL);
  g_assert_false (svyaz_window_is_busy (window));
  after = svyaz_view_to_string (svyaz_window_get_view (window));
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (shown_graph (window)->nodes->len, ==, hub_nodes);
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "layout cancelled"));
  /* The cancelled layout's result, when it comes, is dropped. */
  spin (300);
  g_assert_cmpuint (shown_graph (window)->nodes->len, ==, hub_nodes);

  /* Still usable: Show All again, to the end. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL);
  wait_until (not_busy, window, 120000, "the whole graph");
  g_assert_cmpuint (shown_graph (window)->nodes->len, ==, 2500);
  g_assert_null (strstr (svyaz_window_get_status (window), "saved layout"));
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  g_object_unref (store);

  /* Reopened: the whole graph comes from the saved layout. */
  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  svyaz_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, window, 60000, "the hub's neighbourhood again");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL);
  wait_until (not_busy, window, 120000, "the whole graph again");
  g_assert_cmpuint (shown_graph (window)->nodes->len, ==, 2500);
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "saved layout"));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  g_object_unref (store);
  test_rm_rf (dir);
}

static gboolean
not_importing (gpointer data)
{
  return !svyaz_window_is_importing (data);
}

static gboolean
is_visible_progress_bar (GtkWidget  *widget,
                         const char *unused)
{
  return GTK_IS_PROGRESS_BAR (widget) && gtk_widget_get_visible (widget);
}

static gboolean
is_drop_down (GtkWidget  *widget,
              const char *unused)
{
  return GTK_IS_DROP_DOWN (widget);
}

/* The canvas's pixel at (2, 2), as it last drew, 0xRRGGBB. */
static guint32
canvas_corner (SvyazWindow *window)
{
  GtkWidget *canvas = svyaz_window_get_canvas (window);
  int w = gtk_widget_get_width (canvas), h = gtk_widget_get_height (canvas);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (canvas);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (surface);
  guint32 pixel;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixel = ((guint32 *) (void *) cairo_image_surface_get_data (surface))[2 * w + 2] & 0xffffff;
  cairo_surface_destroy (surface);
  return pixel;
}

static gint64
count_documents (SvyazWindow *window)
{
  g_autoptr(SvyazStats) stats = svyaz_store_get_stats (svyaz_window_get_store (window), NULL);

  return stats->documents;
}

/* New database, documents and a graph file imported in the background
 * with a progress bar, an import cancelled keeping nothing, the recent
 * list, and the Preferences' dark style drawn on the canvas. */
static void
test_window_files_and_preferences (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "new.db", NULL);
  g_autofree char *seed_path = g_build_filename (g_getenv ("SVYAZ_DATA_DIR"), "corpus",
                                                 "000_410002e381292c77.txt", NULL);
  g_autofree char *seed = NULL;
  g_autofree char *short_doc = NULL;
  g_autofree char *graphml = NULL;
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazSettings) settings = NULL;
  GtkWidget *preferences, *dropdown;
  SvyazWindow *window;
  guint32 light, dark;

  g_assert_true (g_file_get_contents (seed_path, &seed, NULL, &error));
  short_doc = test_write_file (dir, "short.txt", "Лукашенко встретился с Токаевым в Минске.", -1);
  graphml = test_write_file (dir, "people.graphml",
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
    "<key id=\"t\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>"
    "<graph edgedefault=\"directed\"><node id=\"a\"><data key=\"t\">person</data></node>"
    "<node id=\"b\"/><edge source=\"a\" target=\"b\"/></graph></graphml>", -1);

  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (svyaz_window_create_database (window, db, &error));
  g_assert_no_error (error);
  /* Never over an existing file. */
  g_assert_false (svyaz_window_create_database (window, db, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST);
  g_clear_error (&error);
  settings = svyaz_settings_load ();
  g_assert_cmpstr (g_ptr_array_index (settings->recent, 0), ==, db);

  /* Two documents: a progress bar while they are read, then the graph. */
  {
    g_autofree char *a = test_write_file (dir, "seed.txt", seed, -1);
    const char *paths[] = { a, short_doc, NULL };

    g_assert_true (svyaz_window_import_files (window, paths));
    g_assert_true (svyaz_window_is_importing (window));
    g_assert_nonnull (find_widget (GTK_WIDGET (window), is_visible_progress_bar, NULL));
    wait_until (not_importing, window, 60000, "the import");
    g_assert_null (find_widget (GTK_WIDGET (window), is_visible_progress_bar, NULL));
    wait_until (laid_out, window, 30000, "the imported graph");
    g_test_message ("status: %s", svyaz_window_get_status (window));
    g_assert_nonnull (strstr (svyaz_window_get_status (window), "2 of 2 documents added"));
    g_assert_cmpuint (shown_graph (window)->nodes->len, >=, 20);
    g_assert_cmpint (count_documents (window), ==, 2);
  }

  /* Forty more, cancelled with the busy box's Cancel: nothing is kept. */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("copy%u.txt", i);
      g_autofree char *text = g_strdup_printf ("%s\nКопия %u.", seed, i);

      g_ptr_array_add (many, test_write_file (dir, name, text, -1));
    }
  g_ptr_array_add (many, NULL);
  g_assert_true (svyaz_window_import_files (window, (const char * const *) many->pdata));
  spin (50);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-layout", NULL);
  wait_until (not_importing, window, 60000, "the cancelled import");
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "import cancelled"));
  g_assert_cmpint (count_documents (window), ==, 2);

  /* A graph file, dropped or chosen: its entities join the store. */
  {
    const char *paths[] = { graphml, NULL };
    g_autoptr(SvyazEntity) a = NULL;

    g_assert_true (svyaz_window_import_files (window, paths));
    wait_until (not_importing, window, 30000, "the graph import");
    a = svyaz_store_find_entity (svyaz_window_get_store (window), "a", NULL);
    g_assert_nonnull (a);
    g_assert_cmpstr (a->type, ==, "person");
  }

  /* Preferences: Dark turns the canvas dark at once, and is saved. */
  wait_until (laid_out, window, 30000, "the graph after the import");
  spin (300);
  light = canvas_corner (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL);
  spin (100);
  preferences = find_toplevel (SVYAZ_TYPE_PREFERENCES);
  g_assert_nonnull (preferences);
  dropdown = find_widget (preferences, is_drop_down, NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), SVYAZ_COLOR_SCHEME_DARK);
  spin (300);
  dark = canvas_corner (window);
  g_test_message ("canvas corner: light %06x, dark %06x", light, dark);
  g_assert_cmpuint ((light >> 16) & 0xff, >, 200);
  g_assert_cmpuint ((dark >> 16) & 0xff, <, 60);
  g_clear_pointer (&settings, svyaz_settings_free);
  settings = svyaz_settings_load ();
  g_assert_cmpint (settings->color_scheme, ==, SVYAZ_COLOR_SCHEME_DARK);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), SVYAZ_COLOR_SCHEME_LIGHT);
  spin (100);
  g_assert_cmpuint ((canvas_corner (window) >> 16) & 0xff, >, 200);
  gtk_window_destroy (GTK_WINDOW (preferences));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  test_rm_rf (dir);
}

/* Types @keys (xdotool key names) into @window through X. */
static void
press_keys (GtkWidget          *window,
            const char * const *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_strv_builder_add_many (builder, "xdotool", "key", "--window", xid, "--delay", "80", NULL);
  g_strv_builder_addv (builder, (const char **) keys);
  argv = g_strv_builder_end (builder);
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  spin (150);
}

/* Tab walks the nodes in reading order, the arrows go to the nearest
 * node that way, each is announced (the canvas's accessible
 * description) and shown in the details panel; Enter focuses it. */
static void
test_window_keyboard_nodes (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(SvyazStore) store = test_open_seed_store (dir);
  SvyazCanvas *canvas;
  SvyazGraph *graph;
  SvyazWindow *window;
  const SvyazNode *first, *second, *right;
  gint64 id;

  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  svyaz_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, window, 10000, "the layout");
  spin (200);
  canvas = SVYAZ_CANVAS (svyaz_window_get_canvas (window));
  graph = svyaz_canvas_get_graph (canvas);
  gtk_widget_grab_focus (GTK_WIDGET (canvas));
  g_assert_nonnull (strstr (svyaz_canvas_get_announcement (canvas), "No entity selected"));

  press_keys (GTK_WIDGET (window), (const char *[]) { "Tab", NULL });
  id = svyaz_canvas_get_selected (canvas);
  g_assert_cmpint (id, !=, 0);
  first = SVYAZ_NODE (graph, svyaz_graph_find_node (graph, id));
  /* The first in reading order: no node sits in a row above it. */
  for (guint i = 0; i < graph->nodes->len; i++)
    g_assert_cmpint ((int) floor (SVYAZ_NODE (graph, i)->y / 36), >=, (int) floor (first->y / 36));
  g_assert_true (g_str_has_prefix (svyaz_canvas_get_announcement (canvas), first->name));
  g_assert_nonnull (wait_label (svyaz_window_get_details (window), first->name));

  press_keys (GTK_WIDGET (window), (const char *[]) { "Tab", NULL });
  second = SVYAZ_NODE (graph, svyaz_graph_find_node (graph, svyaz_canvas_get_selected (canvas)));
  g_assert_true (second != first);
  g_assert_true (floor (second->y / 36) > floor (first->y / 36) ||
                 (floor (second->y / 36) == floor (first->y / 36) && second->x >= first->x));
  press_keys (GTK_WIDGET (window), (const char *[]) { "shift+Tab", NULL });
  g_assert_cmpint (svyaz_canvas_get_selected (canvas), ==, first->entity_id);

  /* Right: a node to the right, if any; staying put otherwise. */
  press_keys (GTK_WIDGET (window), (const char *[]) { "Right", NULL });
  right = SVYAZ_NODE (graph, svyaz_graph_find_node (graph, svyaz_canvas_get_selected (canvas)));
  if (right != first)
    g_assert_cmpfloat (right->x, >, first->x);
  g_assert_true (g_str_has_prefix (svyaz_canvas_get_announcement (canvas), right->name));

  /* The details panel by keyboard: Tab from its first button reaches a
   * neighbour's link, and Enter follows it. */
  {
    GtkWidget *details = svyaz_window_get_details (window);
    GtkWidget *button = find_widget (details, is_button_labelled, "_Expand");
    gint64 before = svyaz_canvas_get_selected (canvas);
    GtkWidget *focus = NULL;

    g_assert_nonnull (button);
    gtk_widget_grab_focus (button);
    for (int i = 0; i < 12; i++)
      {
        press_keys (GTK_WIDGET (window), (const char *[]) { "Tab", NULL });
        focus = gtk_root_get_focus (GTK_ROOT (window));
        if (GTK_IS_LABEL (focus) && strstr (gtk_label_get_label (GTK_LABEL (focus)), "entity:") != NULL)
          break;
      }
    g_assert_true (GTK_IS_LABEL (focus));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (focus)), "entity:"));
    press_keys (GTK_WIDGET (window), (const char *[]) { "Return", NULL });
    g_assert_cmpint (svyaz_canvas_get_selected (canvas), !=, before);
    g_assert_cmpint (svyaz_canvas_get_selected (canvas), !=, 0);
    /* The keyboard stays in the panel, on the new entity's first link. */
    focus = gtk_root_get_focus (GTK_ROOT (window));
    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, details));
    gtk_widget_grab_focus (GTK_WIDGET (canvas));
  }

  /* Enter: the neighbourhood of the focused node, as a double-click. */
  id = svyaz_canvas_get_selected (canvas);
  press_keys (GTK_WIDGET (window), (const char *[]) { "Return", NULL });
  wait_until (laid_out, window, 10000, "the neighbourhood");
  g_assert_cmpint (svyaz_window_get_view (window)->focus_id, ==, id);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  test_rm_rf (dir);
}

/* Labels that neither wrap nor ellipsize must get their natural width:
 * a longer translation may not be cut off. */
static void
assert_labels_fit (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          !gtk_label_get_wrap (GTK_LABEL (child)) &&
          gtk_label_get_ellipsize (GTK_LABEL (child)) == PANGO_ELLIPSIZE_NONE)
        {
          int natural = 0;

          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
          if (gtk_widget_get_width (child) < natural)
            g_error ("label \"%s\" is %d px wide but needs %d", gtk_label_get_text (GTK_LABEL (child)),
                     gtk_widget_get_width (child), natural);
        }
      assert_labels_fit (child);
    }
}

/* The window in Russian: texts from po/ru.po, none of them clipped. */
static void
test_window_russian (void)
{
  g_autofree char *dir = test_make_tmpdir ();
  g_autoptr(SvyazStore) store = test_open_seed_store (dir);
  g_autofree char *old_messages = g_strdup (setlocale (LC_MESSAGES, NULL));
  GtkWidget *preferences;
  SvyazWindow *window;

  /* LANGUAGE picks the translation; gettext ignores it under the C
   * locale, not under C.UTF-8. */
  g_assert_nonnull (setlocale (LC_MESSAGES, "C.UTF-8"));
  g_setenv ("LANGUAGE", "ru", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, SVYAZ_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  window = g_object_new (SVYAZ_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  g_assert_cmpstr (svyaz_window_get_status (window), ==, "База данных не открыта");
  svyaz_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (laid_out, window, 10000, "the layout");
  spin (200);
  g_assert_nonnull (strstr (svyaz_window_get_status (window), "сущностей: 22 · связей: 24"));
  g_assert_nonnull (wait_label (svyaz_window_get_details (window), "Щёлкните сущность"));
  assert_labels_fit (GTK_WIDGET (window));

  /* An entity's panel, with plural forms. */
  svyaz_canvas_select (SVYAZ_CANVAS (svyaz_window_get_canvas (window)),
                       test_entity_id (store, "Казахстан"), FALSE);
  g_assert_nonnull (wait_label (svyaz_window_get_details (window), "связ"));
  assert_labels_fit (GTK_WIDGET (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL);
  spin (200);
  preferences = find_toplevel (SVYAZ_TYPE_PREFERENCES);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (preferences)), ==, "Параметры");
  g_assert_nonnull (wait_label (preferences, "Алгоритм раскладки"));
  assert_labels_fit (preferences);
  gtk_window_destroy (GTK_WINDOW (preferences));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE));
  g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, old_messages);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  /* Settings and recent files go to a folder of the test's own, never to
   * the user's. */
  g_autofree char *config = g_dir_make_tmp ("svyaz-window-XXXXXX", NULL);

  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", config, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/window/large-store", test_window_large_store);
  g_test_add_func ("/window/explore", test_window_explore);
  g_test_add_func ("/window/open-error", test_window_open_error);
  g_test_add_func ("/window/search-filter-undo-path", test_window_search_filter_undo);
  g_test_add_func ("/window/moved-nodes", test_window_moved_nodes);
  g_test_add_func ("/window/shortcuts", test_shortcuts_window);
  g_test_add_func ("/window/cancel-and-saved-layout", test_window_cancel_and_saved_layout);
  g_test_add_func ("/window/files-and-preferences", test_window_files_and_preferences);
  g_test_add_func ("/window/keyboard-nodes", test_window_keyboard_nodes);
  g_test_add_func ("/window/russian", test_window_russian);
  return g_test_run ();
}

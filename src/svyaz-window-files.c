/* svyaz-window-files.c: the window's files and preferences.
 *
 * Opening, new and recent databases; documents and graph files brought in from
 * the menu or dropped on the window, imported by a worker thread on its
 * own connection to the store, with a progress bar and Cancel (a
 * cancelled import keeps nothing, svyaz-import sees to that); the
 * Preferences window and what it changes at once: the colour scheme,
 * which follows the desktop's unless chosen, and the label density.
 */
#include "svyaz-config.h"

#include <glib/gi18n.h>

#include "svyaz-import.h"
#include "svyaz-open.h"
#include "svyaz-preferences.h"
#include "svyaz-window-private.h"

/* Section: preferences and appearance */

/**
 * svyaz_window_new_view:
 *
 * Returns: (transfer full): a view of everything as the preferences say
 * new views start.
 */
SvyazView *
svyaz_window_new_view (SvyazWindow *self)
{
  SvyazView *view = svyaz_view_new ();

  view->engine = g_strdup (self->settings->engine);
  view->cooccurrence = self->settings->cooccurrence;
  view->hub_cap = self->settings->hub_cap;
  return view;
}

/* GTK 4.8 without libadwaita does not follow the desktop's colour scheme
 * by itself: GNOME's setting, then a dark GTK theme, say it. */
static gboolean
system_prefers_dark (SvyazWindow *self)
{
  GtkSettings *gtk_settings = gtk_widget_get_settings (GTK_WIDGET (self));
  g_autofree char *theme = NULL;
  const char *env = g_getenv ("GTK_THEME");

  if (self->desktop_settings != NULL)
    {
      g_autofree char *scheme = g_settings_get_string (self->desktop_settings, "color-scheme");

      if (g_str_equal (scheme, "prefer-dark"))
        return TRUE;
      if (g_str_equal (scheme, "prefer-light"))
        return FALSE;
    }
  if (env != NULL && g_str_has_suffix (env, ":dark"))
    return TRUE;
  g_object_get (gtk_settings, "gtk-theme-name", &theme, NULL);
  return theme != NULL && g_strrstr (theme, "-dark") != NULL;
}

/**
 * svyaz_window_apply_appearance:
 *
 * Applies the colour scheme (to the widgets through GTK's dark theme
 * variant, to the canvas through its palette) and the label density.
 */
void
svyaz_window_apply_appearance (SvyazWindow *self)
{
  GtkSettings *gtk_settings = gtk_widget_get_settings (GTK_WIDGET (self));
  gboolean dark;

  switch (self->settings->color_scheme)
    {
    case SVYAZ_COLOR_SCHEME_DARK:
      dark = TRUE;
      break;
    case SVYAZ_COLOR_SCHEME_LIGHT:
      dark = FALSE;
      break;
    case SVYAZ_COLOR_SCHEME_SYSTEM:
    default:
      dark = system_prefers_dark (self);
      break;
    }
  g_object_set (gtk_settings, "gtk-application-prefer-dark-theme", dark, NULL);
  svyaz_canvas_set_appearance (self->canvas, dark, svyaz_settings_min_label_px (self->settings->labels));
  svyaz_minimap_graph_changed (self->minimap);
}

static void
desktop_scheme_changed_cb (GSettings   *settings,
                           const char  *key,
                           SvyazWindow *self)
{
  svyaz_window_apply_appearance (self);
}

static void
preferences_changed_cb (SvyazPreferences *preferences,
                        SvyazWindow      *self)
{
  svyaz_window_apply_appearance (self);
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);
  SvyazPreferences *preferences = svyaz_preferences_new (GTK_WINDOW (self), self->settings);

  g_signal_connect_object (preferences, "changed", G_CALLBACK (preferences_changed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* Section: opening: a database, a recent one */

static void
rebuild_recent_menu (SvyazWindow *self)
{
  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; i < self->settings->recent->len; i++)
    {
      const char *path = g_ptr_array_index (self->settings->recent, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *label = g_strdup_printf ("%s  (%s)", base, dir);
      g_autoptr(GMenuItem) item = NULL;

      /* Underscores in file names are not mnemonics. */
      item = g_menu_item_new (NULL, NULL);
      g_menu_item_set_attribute (item, "label", "s", label);
      g_menu_item_set_attribute (item, "use-markup", "b", FALSE);
      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (path));
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
save_settings (SvyazWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!svyaz_settings_save (self->settings, &error))
    svyaz_window_notice (self, error->message);
}

/* Called when a store is shown: it goes to the top of the recent list. */
void
svyaz_window_remember_store (SvyazWindow *self,
                             SvyazStore  *store)
{
  const char *path = svyaz_store_get_path (store);
  g_autofree char *uri = NULL;

  svyaz_settings_add_recent (self->settings, path);
  save_settings (self);
  rebuild_recent_menu (self);
  /* The desktop's own list too, for file choosers and the shell. */
  uri = g_filename_to_uri (g_ptr_array_index (self->settings->recent, 0), NULL, NULL);
  if (uri != NULL)
    gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

/* Opens @path in the window, or says why not. */
static gboolean
open_database (SvyazWindow *self,
               const char  *path,
               SvyazStoreOpenFlags flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = svyaz_store_open (path, flags, &error);

  if (store == NULL)
    {
      svyaz_window_show_error (self, SVYAZ_WINDOW_OPEN_FAILED, error->message);
      return FALSE;
    }
  svyaz_window_set_store (self, store);
  return TRUE;
}

/* The local file a chooser was answered with: NULL when it was
 * cancelled, or (@out_remote set) when the file is not a local one. */
static char *
chosen_path (GtkNativeDialog *dialog,
             int              response,
             gboolean        *out_remote)
{
  g_autoptr(GFile) file = NULL;
  char *path;

  *out_remote = FALSE;
  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file ? g_file_get_path (file) : NULL;
  *out_remote = path == NULL;
  return path;
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  SvyazWindow *self = SVYAZ_WINDOW (user_data);
  gboolean remote;
  g_autofree char *path = chosen_path (dialog, response, &remote);

  if (remote)
    svyaz_window_show_error (self, SVYAZ_WINDOW_OPEN_FAILED, _("Only local files can be opened"));
  else if (path != NULL)
    open_database (self, path, SVYAZ_STORE_OPEN_DEFAULT);
  g_object_unref (dialog);
}

/* Offers @filter and "All files" in @dialog, and shows it. */
static void
show_chooser (GtkFileChooserNative *dialog,
              GtkFileFilter        *filter,
              GCallback             response_cb,
              GtkWidget            *widget)
{
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  g_signal_connect (dialog, "response", response_cb, widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open Database"), GTK_WINDOW (widget),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Svyaz databases"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_filter_add_pattern (filter, "*.sqlite");
  show_chooser (dialog, filter, G_CALLBACK (open_response_cb), widget);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SvyazWindow *self = SVYAZ_WINDOW (widget);
  const char *path = g_variant_get_string (parameter, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* Gone: say so once and forget it. */
      g_autofree char *message = g_strdup_printf (_("%s no longer exists."), path);

      for (guint i = 0; i < self->settings->recent->len; i++)
        if (g_str_equal (g_ptr_array_index (self->settings->recent, i), path))
          g_ptr_array_remove_index (self->settings->recent, i--);
      save_settings (self);
      rebuild_recent_menu (self);
      svyaz_window_show_error (self, SVYAZ_WINDOW_OPEN_FAILED, message);
      return;
    }
  open_database (self, path, SVYAZ_STORE_OPEN_DEFAULT);
}

/* Section: new database */

/**
 * svyaz_window_create_database:
 *
 * Creates an empty store at @path and shows it. An existing file is
 * never replaced: a database's worth of work is one click from gone.
 */
gboolean
svyaz_window_create_database (SvyazWindow  *self,
                              const char   *path,
                              GError      **error)
{
  g_autoptr(SvyazStore) store = NULL;

  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   _("%s already exists. Open it with Open Database, or choose another name."), path);
      return FALSE;
    }
  store = svyaz_store_open (path, SVYAZ_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return FALSE;
  svyaz_window_set_store (self, store);
  return TRUE;
}

static void
new_response_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  SvyazWindow *self = SVYAZ_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  gboolean remote;
  g_autofree char *path = chosen_path (dialog, response, &remote);

  if (remote)
    svyaz_window_show_error (self, _("Cannot create the database"), _("Only local files can be written"));
  else if (path != NULL && !svyaz_window_create_database (self, path, &error))
    svyaz_window_show_error (self, _("Cannot create the database"), error->message);
  g_object_unref (dialog);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("New Database"), GTK_WINDOW (widget),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Create"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "news.db");
  g_signal_connect (dialog, "response", G_CALLBACK (new_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Section: imports */

typedef struct {
  SvyazWindow          *window;       /* a reference: the job may outlive a closed window */
  char                 *db_path;
  GPtrArray            *texts;        /* text files to add, or */
  char                 *graph_path;   /* a graph file to import */
  SvyazGraphFileFormat  format;
  GCancellable         *cancellable;
  double                last_fraction;
  char                 *summary;      /* what was done, for the status line */
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_object_unref (job->window);
  g_free (job->db_path);
  g_clear_pointer (&job->texts, g_ptr_array_unref);
  g_free (job->graph_path);
  g_object_unref (job->cancellable);
  g_free (job->summary);
  g_free (job);
}

typedef struct {
  SvyazWindow  *window;
  GCancellable *cancellable;    /* which import it is about */
  double        fraction;
  char         *what;
} ProgressUpdate;

static gboolean
progress_idle_cb (gpointer data)
{
  ProgressUpdate *update = data;
  SvyazWindow *self = update->window;

  if (self->import_cancellable == update->cancellable &&
      !g_cancellable_is_cancelled (update->cancellable))
    svyaz_window_show_import_progress (self, update->fraction, update->what);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->window);
  g_object_unref (update->cancellable);
  g_free (update->what);
  g_free (update);
}

/* On the worker thread: hands the figure to the main loop, at most one
 * update per percent. */
static void
import_progress_cb (double      fraction,
                    const char *what,
                    gpointer    user_data)
{
  ImportJob *job = user_data;
  ProgressUpdate *update;

  if (fraction < 1 && fraction - job->last_fraction < 0.01 && what == NULL)
    return;
  job->last_fraction = fraction;
  update = g_new0 (ProgressUpdate, 1);
  update->window = g_object_ref (job->window);
  update->cancellable = g_object_ref (job->cancellable);
  update->fraction = fraction;
  update->what = g_strdup (what);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, progress_idle_cb, update, progress_update_free);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  SvyazImportProgress progress = { import_progress_cb, job, job->cancellable };
  g_autoptr(SvyazStore) store = NULL;
  g_autoptr(SvyazExtractor) extractor = NULL;
  GError *error = NULL;

  /* SQLite connections are not shared between threads: the worker opens
   * its own, and the window's sees the commit once it is made. */
  store = svyaz_store_open (job->db_path, SVYAZ_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (job->graph_path != NULL)
    {
      SvyazGraphFileReport report = { 0 };

      if (!svyaz_import_graph_file (store, job->graph_path, job->format, &report, &progress, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      job->summary = g_strdup_printf (_("read %u nodes and %u edges: %u entities and %u relations added"),
                                      (guint) report.nodes, (guint) report.edges,
                                      (guint) report.entities_added, (guint) report.relations_added);
    }
  else
    {
      g_autofree char *data_dir = svyaz_find_data_dir ();
      g_autoptr(GPtrArray) docs = NULL;
      guint added = 0, entities = 0, relations = 0;

      import_progress_cb (0, _("loading the extraction rules"), job);
      extractor = data_dir ? svyaz_extractor_new (data_dir, &error) : NULL;
      if (extractor == NULL)
        {
          if (error == NULL)
            g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                         _("the data folder was not found (set SVYAZ_DATA_DIR)"));
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (job->texts, NULL);
      docs = svyaz_import_text_files (store, (const char * const *) job->texts->pdata, NULL,
                                      extractor, &progress, &error);
      g_ptr_array_set_size (job->texts, job->texts->len - 1);
      if (docs == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (guint i = 0; i < docs->len; i++)
        {
          SvyazImportedDocument *d = g_ptr_array_index (docs, i);

          added += d->added ? 1 : 0;
          entities += d->entities;
          relations += d->relations;
        }
      job->summary = g_strdup_printf (_("%u of %u documents added: %u entities, %u relations found"),
                                      added, docs->len, entities, relations);
    }
  g_task_return_boolean (task, TRUE);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SvyazWindow *self = SVYAZ_WINDOW (source);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean current = self->import_cancellable == job->cancellable;

  if (current)
    {
      g_clear_object (&self->import_cancellable);
      svyaz_window_show_import_progress (self, -1, NULL);
      svyaz_window_update_actions (self);
    }
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        svyaz_window_notice (self, _("import cancelled; nothing was added"));
      else
        svyaz_window_show_error (self, _("Cannot import"), error->message);
      return;
    }
  svyaz_window_notice (self, job->summary);
  /* The store changed under the view: show what it holds now. */
  if (self->store != NULL && g_str_equal (svyaz_store_get_path (self->store), job->db_path))
    svyaz_window_reload (self);
}

static void
start_import (SvyazWindow *self,
              ImportJob   *job)
{
  g_autoptr(GTask) task = NULL;

  job->window = g_object_ref (self);
  job->db_path = g_strdup (svyaz_store_get_path (self->store));
  job->cancellable = g_cancellable_new ();
  job->last_fraction = -1;
  g_set_object (&self->import_cancellable, job->cancellable);
  svyaz_window_show_import_progress (self, 0, job->graph_path ? _("reading the file") : NULL);
  svyaz_window_update_actions (self);

  task = g_task_new (self, NULL, import_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
}

static gboolean
has_text_suffix (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, ".txt") || g_str_has_suffix (lower, ".text");
}

/**
 * svyaz_window_import_files:
 * @paths: local files: text documents, a graph file, or a database
 *
 * What a drop on the window and the File menu's imports do: text files
 * are added and extracted, a graph file (GraphML, GEXF, DOT, CSV, JSON)
 * is imported, each in the background; a database is opened.
 *
 * Returns: FALSE, having said why, when nothing could be started
 */
gboolean
svyaz_window_import_files (SvyazWindow        *self,
                           const char * const *paths)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  const char *graph = NULL;
  const char *database = NULL;
  SvyazGraphFileFormat format = SVYAZ_GRAPH_FILE_GRAPHML;
  ImportJob *job;

  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (paths != NULL, FALSE);

  for (guint i = 0; paths[i]; i++)
    {
      SvyazGraphFileFormat f;

      if (has_text_suffix (paths[i]))
        g_ptr_array_add (texts, g_strdup (paths[i]));
      else if (svyaz_graph_file_format_for_path (paths[i], &f))
        {
          graph = paths[i];
          format = f;
        }
      else
        database = paths[i];
    }

  if (texts->len == 0 && graph == NULL && database != NULL)
    return open_database (self, database, SVYAZ_STORE_OPEN_DEFAULT);
  if (self->import_cancellable != NULL)
    {
      svyaz_window_show_error (self, _("Cannot import"), _("Another import is under way; wait for it or cancel it."));
      return FALSE;
    }
  if (self->store == NULL || svyaz_store_is_read_only (self->store))
    {
      svyaz_window_show_error (self, _("Cannot import"),
                               self->store ? _("The database is read-only.") : _("No database is open."));
      return FALSE;
    }
  if (texts->len == 0 && graph == NULL)
    {
      svyaz_window_show_error (self, _("Cannot import"),
                               _("Drop text documents (.txt) or a graph file (GraphML, GEXF, DOT, CSV, JSON)."));
      return FALSE;
    }

  job = g_new0 (ImportJob, 1);
  if (texts->len > 0)
    job->texts = g_steal_pointer (&texts);
  else
    {
      job->graph_path = g_strdup (graph);
      job->format = format;
    }
  start_import (self, job);
  return TRUE;
}

/**
 * svyaz_window_cancel_import:
 *
 * Returns: TRUE if an import was under way (it keeps nothing)
 */
gboolean
svyaz_window_cancel_import (SvyazWindow *self)
{
  if (self->import_cancellable == NULL)
    return FALSE;
  g_cancellable_cancel (self->import_cancellable);
  svyaz_window_notice (self, _("cancelling the import…"));
  return TRUE;
}

gboolean
svyaz_window_is_importing (SvyazWindow *self)
{
  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), FALSE);
  return self->import_cancellable != NULL;
}

static void
import_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  SvyazWindow *self = SVYAZ_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          char *path = g_file_get_path (file);

          if (path != NULL)
            g_ptr_array_add (paths, path);
        }
      g_ptr_array_add (paths, NULL);
      if (paths->len > 1)
        svyaz_window_import_files (self, (const char * const *) paths->pdata);
    }
  g_object_unref (dialog);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gboolean texts = g_str_equal (action_name, "win.add-documents");
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (texts ? _("Add Documents") : _("Import Graph"),
                                        GTK_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        texts ? _("_Add") : _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), texts);
  if (texts)
    {
      gtk_file_filter_set_name (filter, _("Text documents"));
      gtk_file_filter_add_pattern (filter, "*.txt");
      gtk_file_filter_add_mime_type (filter, "text/plain");
    }
  else
    {
      static const char * const patterns[] = { "*.graphml", "*.gexf", "*.dot", "*.gv", "*.csv", "*.json" };

      gtk_file_filter_set_name (filter, _("Graph files (GraphML, GEXF, DOT, CSV, JSON)"));
      for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
        gtk_file_filter_add_pattern (filter, patterns[i]);
    }
  show_chooser (dialog, filter, G_CALLBACK (import_chosen_cb), widget);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SvyazWindow   *self)
{
  GSList *files = g_value_get_boxed (value);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (GSList *l = files; l; l = l->next)
    {
      char *path = g_file_get_path (l->data);

      if (path != NULL)
        g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, NULL);
  if (paths->len == 1)
    return FALSE;
  return svyaz_window_import_files (self, (const char * const *) paths->pdata);
}

/* Section: setup */

void
svyaz_window_files_init (SvyazWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* GNOME's colour scheme, where its schema is installed (not in tests:
   * GSETTINGS_BACKEND=memory keeps it from the desktop's anyway). */
  schema = source ? g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE) : NULL;
  if (schema != NULL && g_settings_schema_has_key (schema, "color-scheme"))
    {
      self->desktop_settings = g_settings_new ("org.gnome.desktop.interface");
      g_signal_connect_object (self->desktop_settings, "changed::color-scheme",
                               G_CALLBACK (desktop_scheme_changed_cb), self, 0);
    }
  rebuild_recent_menu (self);
  svyaz_window_apply_appearance (self);

  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

void
svyaz_window_files_dispose (SvyazWindow *self)
{
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->desktop_settings);
  g_clear_pointer (&self->settings, svyaz_settings_free);
}

void
svyaz_window_class_add_files (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.add-documents", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.import-graph", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.add-documents", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import-graph", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
}

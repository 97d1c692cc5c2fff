/* svyaz-application.c: the GtkApplication of the explorer.
 *
 * Parses --db, opens the user's store (creating and seeding the default
 * one on first use) and presents the main window. A store that cannot be
 * opened is reported in a dialog over an empty window, never a crash.
 */
#include "svyaz-config.h"

#include <glib/gi18n.h>
#include "svyaz-application.h"

#include "svyaz-interop.h"
#include "svyaz-open.h"
#include "svyaz-window.h"

struct _SvyazApplication
{
  GtkApplication  parent_instance;

  char           *db_option;
};

G_DEFINE_FINAL_TYPE (SvyazApplication, svyaz_application, GTK_TYPE_APPLICATION)

static int
svyaz_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  SvyazApplication *self = SVYAZ_APPLICATION (app);
  g_autofree char *db = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("svyaz %s\n", SVYAZ_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "db", "^ay", &db))
    {
      g_free (self->db_option);
      self->db_option = g_steal_pointer (&db);
    }
  return -1;
}

static void
svyaz_application_activate (GApplication *app)
{
  SvyazApplication *self = SVYAZ_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStore) store = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (svyaz_window_new (GTK_APPLICATION (app)));
  gtk_window_present (window);

  store = svyaz_open_user_store (self->db_option, SVYAZ_OPEN_DEFAULT, NULL, &error);
  if (store != NULL)
    svyaz_window_set_store (SVYAZ_WINDOW (window), store);
  else
    svyaz_window_show_error (SVYAZ_WINDOW (window), SVYAZ_WINDOW_OPEN_FAILED, error->message);
}

/* Files given on the command line or opened from the desktop: a database
 * is opened, documents and graph files are imported into the store the
 * window opens, as if dropped on it. */
static void
svyaz_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  gboolean only_database = n_files == 1;
  GtkWindow *window;

  for (int i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);

      if (path == NULL)
        continue;
      g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, NULL);
  if (only_database)
    {
      SvyazGraphFileFormat format;
      const char *path = g_ptr_array_index (paths, 0);

      only_database = path != NULL && !g_str_has_suffix (path, ".txt") &&
                      !svyaz_graph_file_format_for_path (path, &format);
    }
  if (only_database)
    {
      SvyazApplication *self = SVYAZ_APPLICATION (app);

      g_free (self->db_option);
      self->db_option = g_strdup (g_ptr_array_index (paths, 0));
      g_application_activate (app);
      return;
    }
  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL && paths->len > 1 && svyaz_window_get_store (SVYAZ_WINDOW (window)) != NULL)
    svyaz_window_import_files (SVYAZ_WINDOW (window), (const char * const *) paths->pdata);
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_show_about_dialog (window,
                         "program-name", "Svyaz",
                         "version", SVYAZ_VERSION,
                         "comments", _("Explore who met whom in the news, as a knowledge graph"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "logo-icon-name", SVYAZ_APP_ID,
                         "website", "https://github.com/svyaz/svyaz",
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated_cb },
  { .name = "about", .activate = about_activated_cb },
};

static void
svyaz_application_startup (GApplication *app)
{
  static const char * const quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (svyaz_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
svyaz_application_finalize (GObject *object)
{
  SvyazApplication *self = SVYAZ_APPLICATION (object);

  g_free (self->db_option);
  G_OBJECT_CLASS (svyaz_application_parent_class)->finalize (object);
}

static void
svyaz_application_class_init (SvyazApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = svyaz_application_finalize;
  app_class->handle_local_options = svyaz_application_handle_local_options;
  app_class->activate = svyaz_application_activate;
  app_class->open = svyaz_application_open;
  app_class->startup = svyaz_application_startup;
}

static void
svyaz_application_init (SvyazApplication *self)
{
  static const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      "Database file (default: $SVYAZ_DB or ~/.local/share/svyaz/svyaz.db)", "FILE" },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, "Print the version and exit", NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

SvyazApplication *
svyaz_application_new (void)
{
  /* NON_UNIQUE: each invocation may name its own --db. */
  return g_object_new (SVYAZ_TYPE_APPLICATION,
                       "application-id", SVYAZ_APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

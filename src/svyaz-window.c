/* svyaz-window.c: the main window.
 *
 * Until the graph canvas arrives it shows what the open store holds: its
 * counts of documents, entities (by type) and relations (by predicate).
 * The layout lives in ui/svyaz-window.ui.
 */
#include "svyaz-config.h"
#include "svyaz-window.h"

#include "svyaz-open.h"

struct _SvyazWindow
{
  GtkApplicationWindow  parent_instance;

  SvyazStore           *store;

  /* Template widgets */
  GtkLabel             *summary_label;
  GtkLabel             *types_label;
  GtkLabel             *predicates_label;
  GtkLabel             *status_label;
};

G_DEFINE_FINAL_TYPE (SvyazWindow, svyaz_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Section: helpers */

static char *
format_counts (GPtrArray *counts)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < counts->len; i++)
    {
      SvyazCount *c = g_ptr_array_index (counts, i);
      g_string_append_printf (text, "%s%s: %" G_GINT64_FORMAT, i ? "\n" : "", c->name, c->count);
    }
  if (counts->len == 0)
    g_string_append (text, "none yet");
  return g_string_free (text, FALSE);
}

static void
svyaz_window_refresh (SvyazWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SvyazStats) stats = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *types = NULL;
  g_autofree char *predicates = NULL;
  g_autofree char *basename = NULL;

  if (self->store == NULL)
    {
      gtk_label_set_text (self->summary_label, "No database open");
      gtk_label_set_text (self->types_label, "");
      gtk_label_set_text (self->predicates_label, "");
      gtk_label_set_text (self->status_label, "");
      gtk_window_set_title (GTK_WINDOW (self), "Svyaz");
      return;
    }

  stats = svyaz_store_get_stats (self->store, &error);
  if (stats == NULL)
    {
      svyaz_window_show_error (self, error->message);
      return;
    }

  summary = g_strdup_printf ("%" G_GINT64_FORMAT " %s · %" G_GINT64_FORMAT " %s · %"
                             G_GINT64_FORMAT " %s",
                             stats->documents, stats->documents == 1 ? "document" : "documents",
                             stats->entities, stats->entities == 1 ? "entity" : "entities",
                             stats->relations, stats->relations == 1 ? "relation" : "relations");
  types = format_counts (stats->types);
  predicates = format_counts (stats->predicates);
  gtk_label_set_text (self->summary_label, summary);
  gtk_label_set_text (self->types_label, types);
  gtk_label_set_text (self->predicates_label, predicates);
  gtk_label_set_text (self->status_label, svyaz_store_get_path (self->store));

  basename = g_path_get_basename (svyaz_store_get_path (self->store));
  gtk_window_set_title (GTK_WINDOW (self), basename);
}

/* Section: actions */

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  SvyazWindow *self = SVYAZ_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      g_autoptr(SvyazStore) store = NULL;

      store = path ? svyaz_store_open (path, SVYAZ_STORE_OPEN_DEFAULT, &error) : NULL;
      if (store != NULL)
        svyaz_window_set_store (self, store);
      else
        svyaz_window_show_error (self, error ? error->message : "Only local files can be opened");
    }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new ("Open Database", GTK_WINDOW (widget),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
  gtk_file_filter_set_name (filter, "Svyaz databases");
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_filter_add_pattern (filter, "*.sqlite");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Section: GObject */

static void
svyaz_window_dispose (GObject *object)
{
  SvyazWindow *self = SVYAZ_WINDOW (object);

  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), SVYAZ_TYPE_WINDOW);

  G_OBJECT_CLASS (svyaz_window_parent_class)->dispose (object);
}

static void
svyaz_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SvyazWindow *self = SVYAZ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
svyaz_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SvyazWindow *self = SVYAZ_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      svyaz_window_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
svyaz_window_class_init (SvyazWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = svyaz_window_dispose;
  object_class->get_property = svyaz_window_get_property;
  object_class->set_property = svyaz_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SVYAZ_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/svyaz/Svyaz/ui/svyaz-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, types_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, predicates_label);
  gtk_widget_class_bind_template_child (widget_class, SvyazWindow, status_label);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
}

static void
svyaz_window_init (SvyazWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  svyaz_window_refresh (self);
}

/* Section: public */

SvyazWindow *
svyaz_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (SVYAZ_TYPE_WINDOW, "application", application, NULL);
}

void
svyaz_window_set_store (SvyazWindow *self,
                        SvyazStore  *store)
{
  g_return_if_fail (SVYAZ_IS_WINDOW (self));
  g_return_if_fail (store == NULL || SVYAZ_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  svyaz_window_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

SvyazStore *
svyaz_window_get_store (SvyazWindow *self)
{
  g_return_val_if_fail (SVYAZ_IS_WINDOW (self), NULL);

  return self->store;
}

static void
error_response_cb (GtkDialog *dialog,
                   int        response,
                   gpointer   user_data)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/**
 * svyaz_window_show_error:
 *
 * Shows @message in a modal dialog; the window stays usable so the user
 * can open another database.
 */
void
svyaz_window_show_error (SvyazWindow *self,
                         const char  *message)
{
  GtkWidget *dialog;

  g_return_if_fail (SVYAZ_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                   "Cannot open the database");
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", message);
  g_signal_connect (dialog, "response", G_CALLBACK (error_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* svyaz-preferences.c: the Preferences window.
 *
 * Edits the window's SvyazSettings in place (it outlives this window,
 * which is destroyed with its parent), saves them after every change and
 * emits "changed" so the window can apply what applies at once: the
 * colour scheme and the label density.
 */
#include "svyaz-config.h"
#include "svyaz-preferences.h"



/* The engine menu's rows after "Automatic". */
static const char * const engines[] = { "dot", "neato", "fdp", "sfdp", "circo", "twopi" };

struct _SvyazPreferences
{
  GtkWindow      parent_instance;

  SvyazSettings *settings;       /* not owned */
  gboolean       syncing;

  GtkDropDown   *scheme_dropdown;
  GtkDropDown   *labels_dropdown;
  GtkDropDown   *engine_dropdown;
  GtkSwitch     *cooccurrence_switch;
  GtkSpinButton *hub_cap_spin;
};

G_DEFINE_FINAL_TYPE (SvyazPreferences, svyaz_preferences, GTK_TYPE_WINDOW)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
save_and_emit (SvyazPreferences *self)
{
  g_autoptr(GError) error = NULL;

  if (self->syncing)
    return;
  if (!svyaz_settings_save (self->settings, &error))
    g_warning ("Cannot save the preferences: %s", error->message);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
scheme_selected_cb (GtkDropDown      *dropdown,
                    GParamSpec       *pspec,
                    SvyazPreferences *self)
{
  self->settings->color_scheme = (SvyazColorScheme) gtk_drop_down_get_selected (dropdown);
  save_and_emit (self);
}

static void
labels_selected_cb (GtkDropDown      *dropdown,
                    GParamSpec       *pspec,
                    SvyazPreferences *self)
{
  self->settings->labels = (SvyazLabelDensity) gtk_drop_down_get_selected (dropdown);
  save_and_emit (self);
}

static void
engine_selected_cb (GtkDropDown      *dropdown,
                    GParamSpec       *pspec,
                    SvyazPreferences *self)
{
  guint row = gtk_drop_down_get_selected (dropdown);

  g_clear_pointer (&self->settings->engine, g_free);
  if (row >= 1 && row <= G_N_ELEMENTS (engines))
    self->settings->engine = g_strdup (engines[row - 1]);
  save_and_emit (self);
}

static void
cooccurrence_active_cb (GtkSwitch        *sw,
                        GParamSpec       *pspec,
                        SvyazPreferences *self)
{
  self->settings->cooccurrence = gtk_switch_get_active (sw);
  save_and_emit (self);
}

static void
hub_cap_changed_cb (GtkSpinButton    *spin,
                    SvyazPreferences *self)
{
  self->settings->hub_cap = (guint) gtk_spin_button_get_value_as_int (spin);
  save_and_emit (self);
}

static void
svyaz_preferences_class_init (SvyazPreferencesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/svyaz/Svyaz/ui/svyaz-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, SvyazPreferences, scheme_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SvyazPreferences, labels_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SvyazPreferences, engine_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SvyazPreferences, cooccurrence_switch);
  gtk_widget_class_bind_template_child (widget_class, SvyazPreferences, hub_cap_spin);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
svyaz_preferences_init (SvyazPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SvyazPreferences *
svyaz_preferences_new (GtkWindow     *parent,
                       SvyazSettings *settings)
{
  SvyazPreferences *self;
  guint engine_row = 0;

  g_return_val_if_fail (settings != NULL, NULL);

  self = g_object_new (SVYAZ_TYPE_PREFERENCES, "transient-for", parent, NULL);
  self->settings = settings;

  self->syncing = TRUE;
  for (guint i = 0; settings->engine && i < G_N_ELEMENTS (engines); i++)
    if (g_str_equal (settings->engine, engines[i]))
      engine_row = i + 1;
  gtk_drop_down_set_selected (self->scheme_dropdown, settings->color_scheme);
  gtk_drop_down_set_selected (self->labels_dropdown, settings->labels);
  gtk_drop_down_set_selected (self->engine_dropdown, engine_row);
  gtk_switch_set_active (self->cooccurrence_switch, settings->cooccurrence);
  gtk_spin_button_set_value (self->hub_cap_spin, settings->hub_cap);
  self->syncing = FALSE;

  g_signal_connect (self->scheme_dropdown, "notify::selected", G_CALLBACK (scheme_selected_cb), self);
  g_signal_connect (self->labels_dropdown, "notify::selected", G_CALLBACK (labels_selected_cb), self);
  g_signal_connect (self->engine_dropdown, "notify::selected", G_CALLBACK (engine_selected_cb), self);
  g_signal_connect (self->cooccurrence_switch, "notify::active", G_CALLBACK (cooccurrence_active_cb), self);
  g_signal_connect (self->hub_cap_spin, "value-changed", G_CALLBACK (hub_cap_changed_cb), self);
  return self;
}

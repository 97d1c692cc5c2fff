/* svyaz-settings.c: the user's preferences and recent databases, in a
 * key file.
 *
 * Every value is checked as it is read: an unknown engine, a cap out of
 * range or a recent entry that is not an absolute path falls back to the
 * default rather than reaching the window.
 */
#include "svyaz-config.h"
#include "svyaz-settings.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "svyaz-layout.h"
#include "svyaz-text.h"
#include "svyaz-view.h"

static const char * const scheme_names[] = { "system", "light", "dark" };
static const char * const label_names[] = { "few", "normal", "many" };

const char *
svyaz_color_scheme_name (SvyazColorScheme scheme)
{
  g_return_val_if_fail (scheme < G_N_ELEMENTS (scheme_names), NULL);
  return scheme_names[scheme];
}

const char *
svyaz_label_density_name (SvyazLabelDensity labels)
{
  g_return_val_if_fail (labels < G_N_ELEMENTS (label_names), NULL);
  return label_names[labels];
}

/* The smallest on-screen font size, in pixels, at which node and edge
 * labels are drawn. */
double
svyaz_settings_min_label_px (SvyazLabelDensity labels)
{
  switch (labels)
    {
    case SVYAZ_LABELS_FEW:
      return 9.0;
    case SVYAZ_LABELS_MANY:
      return 3.0;
    case SVYAZ_LABELS_NORMAL:
    default:
      return 4.0;
    }
}

SvyazSettings *
svyaz_settings_new (void)
{
  SvyazSettings *settings = g_new0 (SvyazSettings, 1);

  settings->hub_cap = SVYAZ_VIEW_HUB_CAP;
  settings->labels = SVYAZ_LABELS_NORMAL;
  settings->color_scheme = SVYAZ_COLOR_SCHEME_SYSTEM;
  settings->recent = g_ptr_array_new_with_free_func (g_free);
  return settings;
}

void
svyaz_settings_free (SvyazSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->engine);
  g_ptr_array_unref (settings->recent);
  g_free (settings);
}

char *
svyaz_settings_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "svyaz", "settings.ini", NULL);
}

/* @value's index in @names, or @fallback when it is none of them. */
static guint
lookup_name (const char         *value,
             const char * const *names,
             guint               n_names,
             guint               fallback)
{
  int found = svyaz_text_lookup (value, names, n_names);

  return found >= 0 ? (guint) found : fallback;
}

SvyazSettings *
svyaz_settings_load (void)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = svyaz_settings_path ();
  g_autofree char *engine = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *labels = NULL;
  g_auto(GStrv) recent = NULL;
  g_autoptr(GError) error = NULL;
  SvyazSettings *settings = svyaz_settings_new ();
  gint64 cap;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_message ("%s: %s; using the default settings", path, error->message);
      return settings;
    }

  engine = g_key_file_get_string (file, "preferences", "engine", NULL);
  if (engine != NULL && svyaz_layout_is_engine (engine))
    settings->engine = g_steal_pointer (&engine);
  settings->cooccurrence = g_key_file_get_boolean (file, "preferences", "cooccurrence", NULL);
  cap = g_key_file_get_int64 (file, "preferences", "hub-cap", &error);
  if (error == NULL && cap >= 0 && cap <= 100000)
    settings->hub_cap = (guint) cap;
  g_clear_error (&error);
  labels = g_key_file_get_string (file, "preferences", "labels", NULL);
  settings->labels = lookup_name (labels, label_names, G_N_ELEMENTS (label_names), SVYAZ_LABELS_NORMAL);
  scheme = g_key_file_get_string (file, "preferences", "color-scheme", NULL);
  settings->color_scheme = lookup_name (scheme, scheme_names, G_N_ELEMENTS (scheme_names),
                                        SVYAZ_COLOR_SCHEME_SYSTEM);

  recent = g_key_file_get_string_list (file, "files", "recent", NULL, NULL);
  for (guint i = 0; recent && recent[i] && settings->recent->len < SVYAZ_SETTINGS_RECENT_MAX; i++)
    if (g_path_is_absolute (recent[i]) && g_utf8_validate (recent[i], -1, NULL))
      g_ptr_array_add (settings->recent, g_strdup (recent[i]));
  return settings;
}

gboolean
svyaz_settings_save (const SvyazSettings  *settings,
                     GError              **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = svyaz_settings_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  gsize len;

  g_return_val_if_fail (settings != NULL, FALSE);

  g_key_file_set_string (file, "preferences", "engine", settings->engine ? settings->engine : "auto");
  g_key_file_set_boolean (file, "preferences", "cooccurrence", settings->cooccurrence);
  g_key_file_set_int64 (file, "preferences", "hub-cap", settings->hub_cap);
  g_key_file_set_string (file, "preferences", "labels", svyaz_label_density_name (settings->labels));
  g_key_file_set_string (file, "preferences", "color-scheme",
                         svyaz_color_scheme_name (settings->color_scheme));
  g_key_file_set_string_list (file, "files", "recent",
                              (const char * const *) settings->recent->pdata, settings->recent->len);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  text = g_key_file_to_data (file, &len, NULL);
  return g_file_set_contents_full (path, text, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Puts @path first in the recent list, once. */
void
svyaz_settings_add_recent (SvyazSettings *settings,
                           const char    *path)
{
  g_autofree char *absolute = NULL;

  g_return_if_fail (settings != NULL && path != NULL);

  absolute = g_canonicalize_filename (path, NULL);
  for (guint i = 0; i < settings->recent->len; i++)
    if (g_str_equal (g_ptr_array_index (settings->recent, i), absolute))
      g_ptr_array_remove_index (settings->recent, i--);
  g_ptr_array_insert (settings->recent, 0, g_steal_pointer (&absolute));
  if (settings->recent->len > SVYAZ_SETTINGS_RECENT_MAX)
    g_ptr_array_set_size (settings->recent, SVYAZ_SETTINGS_RECENT_MAX);
}

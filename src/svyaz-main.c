/* svyaz-main.c: entry point of the explorer window, `svyaz`. */
#include "svyaz-config.h"

#include <glib/gi18n.h>

#include "svyaz-application.h"
#include "svyaz-open.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SvyazApplication) app = NULL;
  g_autofree char *locale_dir = svyaz_find_locale_dir ();

  svyaz_init_process ();
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  app = svyaz_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* svyaz-main.c: entry point of the explorer window, `svyaz`. */
#include "svyaz-config.h"

#include <locale.h>

#include "svyaz-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SvyazApplication) app = NULL;

  setlocale (LC_ALL, "");
  app = svyaz_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

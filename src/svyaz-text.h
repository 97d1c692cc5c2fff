/* svyaz-text.h: text helpers shared by the store, the importers and
 * extraction: UTF-8 validation with a byte offset for error messages, the
 * normalized matching key used for names, and a cheap language guess.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SVYAZ_TEXT_ERROR (svyaz_text_error_quark ())

typedef enum {
  SVYAZ_TEXT_ERROR_INVALID_UTF8,
  SVYAZ_TEXT_ERROR_TOO_LONG,
  SVYAZ_TEXT_ERROR_EMPTY,
} SvyazTextError;

/* Longest entity name, alias, type or predicate we accept, in bytes. */
#define SVYAZ_TEXT_NAME_MAX 1024

GQuark    svyaz_text_error_quark   (void);

gboolean  svyaz_text_validate      (const char  *text,
                                    gsize        len,
                                    const char  *what,
                                    GError     **error);
char     *svyaz_text_key           (const char  *text,
                                    gssize       len);
char     *svyaz_text_latin_key     (const char  *text);
GPtrArray *svyaz_text_words        (const char  *text);
char     *svyaz_text_clean_name    (const char  *text,
                                    gssize       len);
void      svyaz_text_append_clean_name (GString    *out,
                                        const char *text,
                                        gssize      len);
gboolean  svyaz_text_check_name    (const char  *name,
                                    const char  *what,
                                    GError     **error);
const char *svyaz_text_guess_language (const char *text,
                                       gsize       len);
char     *svyaz_text_xml_escape    (const char  *text);
char     *svyaz_text_ellipsize     (const char  *text,
                                    guint        max_chars);
int       svyaz_text_lookup        (const char  *name,
                                    const char * const *names,
                                    guint        n_names);
const char *svyaz_text_extension   (const char  *path);
char     *svyaz_text_guess_title   (const char  *text,
                                    gsize        len);

G_END_DECLS

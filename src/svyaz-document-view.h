/* svyaz-document-view.h: a window with one whole document, its mentions marked. */
#pragma once

#include <gtk/gtk.h>

#include "svyaz-store.h"

G_BEGIN_DECLS

#define SVYAZ_TYPE_DOCUMENT_VIEW (svyaz_document_view_get_type ())
G_DECLARE_FINAL_TYPE (SvyazDocumentView, svyaz_document_view, SVYAZ, DOCUMENT_VIEW, GtkWindow)

SvyazDocumentView *svyaz_document_view_new      (GtkWindow   *parent,
                                                 SvyazStore  *store,
                                                 gint64       document_id,
                                                 gint64       entity_id,
                                                 GError     **error);
guint              svyaz_document_view_count_marked (SvyazDocumentView *self,
                                                     gboolean           focus_only);

G_END_DECLS

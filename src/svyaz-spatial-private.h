/* svyaz-spatial-private.h: how a rectangle query finds its edges, for
 * the tests, which check both ways against a brute-force scan. */
#pragma once

#include "svyaz-spatial.h"

G_BEGIN_DECLS

typedef enum {
  SVYAZ_SPATIAL_SCAN_AUTO,    /* whichever reads fewer things */
  SVYAZ_SPATIAL_SCAN_NEVER,   /* the cells the rectangle touches */
  SVYAZ_SPATIAL_SCAN_ALWAYS,  /* every segment, in order */
} SvyazSpatialScan;

void svyaz_spatial_set_scan       (SvyazSpatial     *self,
                                   SvyazSpatialScan  scan);
/* From how many segments a scan is shared between two cores. */
void svyaz_spatial_set_scan_split (SvyazSpatial     *self,
                                   guint             segments);

G_END_DECLS

/* svyaz-spatial.c: uniform grids over a laid-out graph.
 *
 * Each node is filed in every cell its bounding box touches. Each edge is
 * split into the segments of its flattened path (svyaz_edge_flatten(),
 * the same points brute-force hit-testing uses), and each segment filed
 * in the cells it crosses of one of several grids, each grid's cells four
 * times as wide as the last's: the finest where it crosses a few cells. A
 * long edge across a zoomed view then sits in a handful of cells rather
 * than in every cell along it, which a 20,000-node graph's zoomed queries
 * spent most of their time scanning. The finest cells are sized so that
 * there are about as many of them as filed items.
 *
 * The coarse grids' big cells are crossed by thousands of long segments on
 * a hairball (a 65,000-node one has 88,000 in one cell), which a hit-test
 * cannot scan. Such a cell also keeps its segments as lines, in a grid of
 * their angles and offsets from the cell's centre (a Hough transform): the
 * lines passing near a point lie along a sine curve in that plane, so a
 * hit-test reads one short run of offsets per angle. Filing every segment
 * in a fine grid instead would take a 65,000-node graph's 3 * 10^9 units
 * of line at 57 MB per 300-unit cell size, and still leave 900 segments
 * to test per point.
 *
 * A rectangle query reads, for each item, its edge from an array in the
 * items' own order and a bit per edge for those met already; only items
 * of cells the rectangle cuts through, whose lines may meet it, have
 * their segments read and clipped. A 65,000-node graph's zoomed view
 * reads a million items for 207,285 edges; when the cells hold more items
 * than a quarter of all segments, as there, the query reads every
 * segment in order instead, past 100,000 segments on two cores (15 to
 * 11 ms on one, 6-10 ms on two).
 *
 * The answers equal those of svyaz_graph_node_at() and
 * svyaz_graph_edge_at() (the tests compare them on random graphs); the
 * index is rebuilt when the graph's geometry changes.
 */
#include "svyaz-config.h"
#include "svyaz-spatial-private.h"
#include "svyaz-prefetch.h"

#include <math.h>
#include <string.h>

typedef struct {
  guint  edge;
  double x0, y0, x1, y1;
} Segment;

/* A crowded cell's segments as lines: angle columns of the half turn,
 * each split in rows of offset from the cell's centre over
 * [-half, half]; the cell's items are reordered column by column, row by
 * row, and start (relative to the cell's first item) says where each
 * (column, row) begins. For the k-th item, lines[3 * (first + k)] holds
 * the line's unit normal and offset, in floats, to be read in order. */
typedef struct {
  guint   cell;
  guint   cols, rows;
  double  half;
  guint  *start;            /* cols * rows + 1 */
  guint   first;            /* the cell's first line in Grid.lines */
} Lines;

/* One grid: cols × rows cells of side cell from (x0, y0), and in CSR
 * layout the items filed in each. */
typedef struct {
  double  x0, y0;
  double  cell;
  guint   cols, rows;
  guint  *start;            /* cols * rows + 1 offsets into items */
  guint  *items;
  guint  *item_edges;       /* segment grids: each item's edge, in the items' order */
  Lines  *crowded;          /* by cell; segment grids only */
  guint   n_crowded;
  float  *lines;
} Grid;

/* A segment crossing at most this many cells of its grid stays there;
 * longer ones go to a coarser grid. Eight rather than four keeps long
 * segments in cells half as wide: a hit-test's point then lies nearer
 * their centres, where the runs of lines it reads are shorter (65,000
 * nodes: 7.0-7.8 to 4.6-5.3 us, for 17 MB more and 0.3 s more to
 * build). */
#define CELLS_PER_SEGMENT 8
#define MAX_LEVELS 12

/* A cell crossed by more segments than this also files them as lines. */
#define CROWDED 12

struct _SvyazSpatial
{
  SvyazGraph *graph;
  Grid        nodes;        /* the finest grid, of nodes */
  Grid        levels[MAX_LEVELS]; /* of segments, one grid each, finest first */
  guint       n_levels;
  guint8     *segment_level;
  GArray     *segments;     /* of Segment */
  guint      *node_stamp;   /* for unique results of a query */
  guint64    *edge_seen;    /* a bit an edge, cleared for each query: small enough to stay in cache */
  guint       stamp;
  GArray     *filed_edges;  /* the edges with a segment, in order */
  SvyazEdgeLines *lines;    /* built on first use */
  double      grid_w, grid_h; /* the extent the grids cover, from x0, y0 of the node grid */
  GThread    *builder;      /* building the levels (svyaz_spatial_prepare()), or NULL */
  gint        levels_built; /* atomic: whether they are */
  gint        abandoned;    /* atomic: the index is being freed, the builder may stop */

  double      ex0, ey0, ex1, ey1; /* extent of every node and segment */
  SvyazSpatialScan scan;
  guint       scan_split;   /* segments from which a scan takes two cores */
};

static void
cell_range (const Grid *grid,
            double      x0,
            double      y0,
            double      x1,
            double      y1,
            guint      *c0,
            guint      *r0,
            guint      *c1,
            guint      *r1)
{
  double fc0 = floor ((x0 - grid->x0) / grid->cell), fc1 = floor ((x1 - grid->x0) / grid->cell);
  double fr0 = floor ((y0 - grid->y0) / grid->cell), fr1 = floor ((y1 - grid->y0) / grid->cell);

  *c0 = (guint) CLAMP (fc0, 0, grid->cols - 1);
  *c1 = (guint) CLAMP (fc1, 0, grid->cols - 1);
  *r0 = (guint) CLAMP (fr0, 0, grid->rows - 1);
  *r1 = (guint) CLAMP (fr1, 0, grid->rows - 1);
}

/* Files items in cells in two passes: count, then fill (CSR layout). */
typedef struct {
  SvyazSpatial *self;
  Grid         *grid;
  guint         level;     /* for segments: which of them this grid takes */
  guint        *start;
  guint        *fill;
  guint        *items;
} Filing;

static void
file_box (Filing *f,
          guint   item,
          double  x0,
          double  y0,
          double  x1,
          double  y1)
{
  guint c0, r0, c1, r1;

  cell_range (f->grid, x0, y0, x1, y1, &c0, &r0, &c1, &r1);
  for (guint r = r0; r <= r1; r++)
    for (guint c = c0; c <= c1; c++)
      {
        guint cell = r * f->grid->cols + c;

        if (f->items == NULL)
          f->start[cell + 1]++;
        else
          f->items[f->start[cell] + f->fill[cell]++] = item;
      }
}

static void
file_nodes (SvyazSpatial *self,
            Filing       *f)
{
  for (guint i = 0; i < self->graph->nodes->len; i++)
    {
      const SvyazNode *n = SVYAZ_NODE (self->graph, i);

      file_box (f, i, n->x - n->width / 2, n->y - n->height / 2, n->x + n->width / 2, n->y + n->height / 2);
    }
}

static void
file_cell (Filing *f,
           guint   item,
           int     c,
           int     r)
{
  guint cell;

  if (c < 0 || r < 0 || (guint) c >= f->grid->cols || (guint) r >= f->grid->rows)
    return;
  cell = (guint) r * f->grid->cols + (guint) c;
  if (f->items == NULL)
    f->start[cell + 1]++;
  else
    f->items[f->start[cell] + f->fill[cell]++] = item;
}

/* Files a segment in the cells it crosses (Amanatides and Woo's grid
 * walk), not in every cell of its bounding box: a long diagonal edge
 * would otherwise sit in thousands of cells, and a 20,000-node graph's
 * queries scanned them all. Where the walk passes a corner, both cells
 * beside it are filed; a cell filed twice only costs a repeated test. */
static void
file_line (Filing *f,
           guint   item,
           double  ax,
           double  ay,
           double  bx,
           double  by)
{
  const Grid *grid = f->grid;
  double fx = (ax - grid->x0) / grid->cell, fy = (ay - grid->y0) / grid->cell;
  double gx = (bx - grid->x0) / grid->cell, gy = (by - grid->y0) / grid->cell;
  int c = (int) floor (fx), r = (int) floor (fy);
  int c_end = (int) floor (gx), r_end = (int) floor (gy);
  int step_c = gx > fx ? 1 : -1, step_r = gy > fy ? 1 : -1;
  double dx = gx - fx, dy = gy - fy;
  double t_max_x = dx != 0 ? ((c + (dx > 0)) - fx) / dx : G_MAXDOUBLE;
  double t_max_y = dy != 0 ? ((r + (dy > 0)) - fy) / dy : G_MAXDOUBLE;
  double t_delta_x = dx != 0 ? 1 / fabs (dx) : G_MAXDOUBLE;
  double t_delta_y = dy != 0 ? 1 / fabs (dy) : G_MAXDOUBLE;
  guint steps = grid->cols + grid->rows + 2;

  file_cell (f, item, c_end, r_end);
  while (steps-- > 0)
    {
      file_cell (f, item, c, r);
      if ((c == c_end && r == r_end) || (t_max_x > 1 && t_max_y > 1))
        break;
      if (fabs (t_max_x - t_max_y) < 1e-9)
        {
          file_cell (f, item, c + step_c, r);
          file_cell (f, item, c, r + step_r);
          c += step_c, r += step_r;
          t_max_x += t_delta_x, t_max_y += t_delta_y;
        }
      else if (t_max_x < t_max_y)
        c += step_c, t_max_x += t_delta_x;
      else
        r += step_r, t_max_y += t_delta_y;
    }
}

static void
file_segments (SvyazSpatial *self,
               Filing       *f)
{
  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *s = &g_array_index (self->segments, Segment, i);

      if (self->segment_level[i] == f->level)
        file_line (f, i, s->x0, s->y0, s->x1, s->y1);
    }
}

static void
build (SvyazSpatial  *self,
       Grid          *grid,
       guint          level,
       void         (*file) (SvyazSpatial *, Filing *))
{
  guint n_cells = grid->cols * grid->rows;
  Filing f = { self, grid, level, g_new0 (guint, n_cells + 1), NULL, NULL };

  file (self, &f);
  for (guint c = 0; c < n_cells; c++)
    f.start[c + 1] += f.start[c];
  f.items = g_new (guint, MAX (f.start[n_cells], 1));
  f.fill = g_new0 (guint, n_cells);
  file (self, &f);
  g_free (f.fill);
  grid->start = f.start;
  grid->items = f.items;
}

/* The grids are built when first needed: the full view needs none (see
 * svyaz_spatial_query()), and hovering nodes only theirs. */
static void
ensure_node_grid (SvyazSpatial *self)
{
  const SvyazGraph *graph = self->graph;
  Grid *grid = &self->nodes;
  double w, h, items;

  if (grid->start != NULL)
    return;
  grid->x0 = graph->x0 - 1;
  grid->y0 = graph->y0 - 1;
  w = self->grid_w = MAX (graph->x1 - graph->x0 + 2, 1);
  h = self->grid_h = MAX (graph->y1 - graph->y0 + 2, 1);
  items = MAX (graph->nodes->len + self->segments->len, 1);
  grid->cell = MAX (sqrt (w * h / items), 8.0);
  grid->cols = (guint) MIN (ceil (w / grid->cell), 4096);
  grid->rows = (guint) MIN (ceil (h / grid->cell), 4096);
  grid->cell = MAX (w / grid->cols, h / grid->rows);
  grid->cols = MAX (grid->cols, 1);
  grid->rows = MAX (grid->rows, 1);
  build (self, grid, 0, file_nodes);
}

/* The direction of a segment as an angle in [0, π], and its unit normal
 * (the direction turned a quarter). A point is given a line through it:
 * no line through it is farther from anything than it is. */
static double
segment_normal (const Segment *s,
                double        *nx,
                double        *ny)
{
  double dx = s->x1 - s->x0, dy = s->y1 - s->y0, length = hypot (dx, dy);

  if (length == 0)
    dx = 1, dy = 0, length = 1;
  if (dy < 0 || (dy == 0 && dx < 0))
    dx = -dx, dy = -dy;
  *nx = -dy / length;
  *ny = dx / length;
  return atan2 (dy, dx);
}

static void
index_cell_lines (SvyazSpatial *self,
                  Grid         *grid,
                  Lines        *lines,
                  guint         cell)
{
  guint first = grid->start[cell], n = grid->start[cell + 1] - first;
  double cx = grid->x0 + (cell % grid->cols + 0.5) * grid->cell;
  double cy = grid->y0 + (cell / grid->cols + 0.5) * grid->cell;
  g_autofree guint *bin = g_new (guint, n);
  g_autofree guint *fill = NULL;
  g_autofree guint *sorted = g_new (guint, n);
  g_autofree double *normal = g_new (double, 3 * n);
  guint n_bins;

  lines->cell = cell;
  /* A segment filed here passes through the cell, or by a corner of it:
   * its line within half a diagonal of the centre. Few angles and two
   * lines a bin: each angle's run costs a wait on memory, and reading on
   * along it is cheap, while a bin's start is 4 bytes (a line a bin took
   * 8 MB more on a 65,000-node hairball, for no faster hit-test). */
  lines->half = grid->cell * G_SQRT2 / 2;
  lines->cols = CLAMP ((guint) (sqrt (n) / 2), 4, 1024);
  lines->rows = CLAMP (n / lines->cols / 2, 1, 1024);
  n_bins = lines->cols * lines->rows;
  lines->start = g_new0 (guint, n_bins + 1);
  fill = g_new0 (guint, n_bins);
  for (guint k = 0; k < n; k++)
    {
      const Segment *s = &g_array_index (self->segments, Segment, grid->items[first + k]);
      double nx, ny, theta = segment_normal (s, &nx, &ny);
      double rho = nx * (s->x0 - cx) + ny * (s->y0 - cy);
      guint col = MIN ((guint) (theta / G_PI * lines->cols), lines->cols - 1);
      double row = floor ((rho + lines->half) / (2 * lines->half) * lines->rows);

      bin[k] = col * lines->rows + (guint) CLAMP (row, 0, lines->rows - 1);
      lines->start[bin[k] + 1]++;
      normal[3 * k] = nx, normal[3 * k + 1] = ny, normal[3 * k + 2] = rho;
    }
  for (guint b = 0; b < n_bins; b++)
    lines->start[b + 1] += lines->start[b];
  for (guint k = 0; k < n; k++)
    {
      guint at = lines->start[bin[k]] + fill[bin[k]]++;
      float *line = &grid->lines[3 * (lines->first + at)];

      sorted[at] = grid->items[first + k];
      line[0] = (float) normal[3 * k];
      line[1] = (float) normal[3 * k + 1];
      line[2] = (float) normal[3 * k + 2];
    }
  memcpy (&grid->items[first], sorted, n * sizeof (guint));
}

/* Files the crowded cells' segments as lines too (see the top). */
static void
index_lines (SvyazSpatial *self,
             Grid         *grid)
{
  guint n_cells = grid->cols * grid->rows, n_lines = 0;

  for (guint c = 0; c < n_cells; c++)
    if (grid->start[c + 1] - grid->start[c] > CROWDED)
      {
        grid->n_crowded++;
        n_lines += grid->start[c + 1] - grid->start[c];
      }
  if (grid->n_crowded == 0)
    return;
  grid->crowded = g_new0 (Lines, grid->n_crowded);
  grid->lines = g_new (float, 3 * (gsize) n_lines);
  n_lines = 0;
  for (guint c = 0, i = 0; c < n_cells; c++)
    if (grid->start[c + 1] - grid->start[c] > CROWDED)
      {
        grid->crowded[i].first = n_lines;
        index_cell_lines (self, grid, &grid->crowded[i++], c);
        n_lines += grid->start[c + 1] - grid->start[c];
      }
}

static const Lines *
find_lines (const Grid *grid,
            guint       cell)
{
  guint lo = 0, hi = grid->n_crowded;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (grid->crowded[mid].cell < cell)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < grid->n_crowded && grid->crowded[lo].cell == cell ? &grid->crowded[lo] : NULL;
}

/* The pyramid of grids, each segment in one of them. */
static void
build_levels (SvyazSpatial *self)
{
  /* From the node grid's extent, not the graph's: in a thread of its
   * own (svyaz_spatial_prepare()), this reads nothing of the graph. */
  double w = self->grid_w, h = self->grid_h;

  g_assert (self->n_levels == 0 && self->nodes.start != NULL);
  /* The finest as the nodes', then each four times as wide, down to one
   * cell. */
  do
    {
      Grid *level = &self->levels[self->n_levels];

      level->x0 = self->nodes.x0;
      level->y0 = self->nodes.y0;
      level->cell = self->n_levels == 0 ? self->nodes.cell : self->levels[self->n_levels - 1].cell * 4;
      level->cols = MAX ((guint) ceil (w / level->cell), 1);
      level->rows = MAX ((guint) ceil (h / level->cell), 1);
      self->n_levels++;
    }
  while ((self->levels[self->n_levels - 1].cols > 1 || self->levels[self->n_levels - 1].rows > 1) &&
         self->n_levels < MAX_LEVELS);
  self->segment_level = g_new (guint8, MAX (self->segments->len, 1));
  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *s = &g_array_index (self->segments, Segment, i);
      double length = MAX (fabs (s->x1 - s->x0), fabs (s->y1 - s->y0));
      guint level = 0;

      while (level + 1 < self->n_levels && length > CELLS_PER_SEGMENT * self->levels[level].cell)
        level++;
      self->segment_level[i] = (guint8) level;
    }
  for (guint l = 0; l < self->n_levels; l++)
    {
      Grid *grid = &self->levels[l];
      guint n_items;

      /* Freed meanwhile (a node dragged in a 400,000-edge graph frees it
       * at every move): what was built is freed, the rest not built. */
      if (g_atomic_int_get (&self->abandoned))
        return;
      build (self, grid, l, file_segments);
      if (g_atomic_int_get (&self->abandoned))
        return;
      index_lines (self, grid);
      n_items = grid->start[grid->cols * grid->rows];
      grid->item_edges = g_new (guint, MAX (n_items, 1));
      for (guint k = 0; k < n_items; k++)
        grid->item_edges[k] = g_array_index (self->segments, Segment, grid->items[k]).edge;
    }
}

static gpointer
build_levels_cb (gpointer data)
{
  SvyazSpatial *self = data;

  build_levels (self);
  g_atomic_int_set (&self->levels_built, 1);
  return NULL;
}

/* The grids of segments, for what asks about edges: built here, or by
 * the thread svyaz_spatial_prepare() started, which is waited for. */
static void
ensure_levels (SvyazSpatial *self)
{
  if (self->builder != NULL)
    {
      g_thread_join (g_steal_pointer (&self->builder));
      return;
    }
  if (self->n_levels > 0)
    return;
  ensure_node_grid (self);
  build_levels (self);
  g_atomic_int_set (&self->levels_built, 1);
}

/**
 * svyaz_spatial_prepare:
 * @in_background: build the grids of segments in a thread of their own
 *
 * Builds what rectangle queries and hit-tests read, rather than on first
 * use: the grid of nodes and the table of edge lines at once, the grids
 * of segments (0.8 s at 400,000 edges) here or in another thread. Until
 * that thread is done (svyaz_spatial_edges_ready()), only the node grid
 * and the edge lines may be asked for from elsewhere without waiting for
 * it: svyaz_spatial_node_at(), svyaz_spatial_edge_lines(), and
 * svyaz_spatial_query() without @edges; asking about edges waits.
 */
void
svyaz_spatial_prepare (SvyazSpatial *self,
                       gboolean      in_background)
{
  g_return_if_fail (self != NULL);

  ensure_node_grid (self);
  svyaz_spatial_edge_lines (self);
  if (self->builder != NULL || g_atomic_int_get (&self->levels_built))
    return;
  if (in_background)
    self->builder = g_thread_new ("svyaz-index", build_levels_cb, self);
  else
    ensure_levels (self);
}

/**
 * svyaz_spatial_edges_ready:
 *
 * Returns: whether asking about edges goes ahead at once: no thread of
 *   svyaz_spatial_prepare() is still building their grids (they may
 *   still be built on first use, without one)
 */
gboolean
svyaz_spatial_edges_ready (SvyazSpatial *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->builder == NULL || g_atomic_int_get (&self->levels_built);
}

/**
 * svyaz_spatial_new:
 * @graph: a laid-out graph; a reference is kept, and the index must be
 *   rebuilt when its nodes or edges move
 */
SvyazSpatial *
svyaz_spatial_new (const SvyazGraph *graph)
{
  SvyazSpatial *self;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));

  g_return_val_if_fail (graph != NULL, NULL);

  self = g_new0 (SvyazSpatial, 1);
  self->graph = svyaz_graph_ref ((SvyazGraph *) graph);
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  self->filed_edges = g_array_new (FALSE, FALSE, sizeof (guint));

  self->ex0 = self->ey0 = G_MAXDOUBLE;
  self->ex1 = self->ey1 = -G_MAXDOUBLE;

  for (guint i = 0; i < graph->edges->len; i++)
    {
      svyaz_edge_flatten (SVYAZ_EDGE (graph, i), points);
      if (points->len >= 4)
        g_array_append_val (self->filed_edges, i);
      for (guint k = 1; k < points->len / 2; k++)
        {
          const double *p = &g_array_index (points, double, 2 * (k - 1));
          Segment s = { i, p[0], p[1], p[2], p[3] };

          self->ex0 = MIN (self->ex0, MIN (p[0], p[2]));
          self->ey0 = MIN (self->ey0, MIN (p[1], p[3]));
          self->ex1 = MAX (self->ex1, MAX (p[0], p[2]));
          self->ey1 = MAX (self->ey1, MAX (p[1], p[3]));
          g_array_append_val (self->segments, s);
        }
    }
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SvyazNode *n = SVYAZ_NODE (graph, i);

      self->ex0 = MIN (self->ex0, n->x - n->width / 2);
      self->ey0 = MIN (self->ey0, n->y - n->height / 2);
      self->ex1 = MAX (self->ex1, n->x + n->width / 2);
      self->ey1 = MAX (self->ey1, n->y + n->height / 2);
    }

  self->scan_split = 100000;
  self->node_stamp = g_new0 (guint, MAX (graph->nodes->len, 1));
  self->edge_seen = g_new0 (guint64, graph->edges->len / 64 + 1);
  return self;
}

void
svyaz_spatial_free (SvyazSpatial *self)
{
  if (self == NULL)
    return;
  g_atomic_int_set (&self->abandoned, 1);
  if (self->builder != NULL)
    g_thread_join (self->builder);
  svyaz_graph_unref (self->graph);
  g_free (self->nodes.start);
  g_free (self->nodes.items);
  for (guint l = 0; l < self->n_levels; l++)
    {
      Grid *grid = &self->levels[l];

      g_free (grid->start);
      g_free (grid->items);
      g_free (grid->item_edges);
      for (guint i = 0; i < grid->n_crowded; i++)
        g_free (grid->crowded[i].start);
      g_free (grid->crowded);
      g_free (grid->lines);
    }
  g_free (self->segment_level);
  svyaz_edge_lines_free (self->lines);
  g_array_unref (self->segments);
  g_array_unref (self->filed_edges);

  g_free (self->node_stamp);
  g_free (self->edge_seen);
  g_free (self);
}

/* The topmost (last drawn) node whose outline holds (x, y), or -1. */
int
svyaz_spatial_node_at (SvyazSpatial *self,
                       double        x,
                       double        y)
{
  guint c, r, c1, r1, cell;
  int found = -1;

  g_return_val_if_fail (self != NULL, -1);

  ensure_node_grid (self);
  if (x < self->nodes.x0 || y < self->nodes.y0 || x > self->nodes.x0 + self->nodes.cols * self->nodes.cell ||
      y > self->nodes.y0 + self->nodes.rows * self->nodes.cell)
    return -1;
  cell_range (&self->nodes, x, y, x, y, &c, &r, &c1, &r1);
  cell = r * self->nodes.cols + c;
  for (guint k = self->nodes.start[cell]; k < self->nodes.start[cell + 1]; k++)
    {
      guint i = self->nodes.items[k];

      if ((int) i > found && svyaz_node_contains (SVYAZ_NODE (self->graph, i), x, y))
        found = (int) i;
    }
  return found;
}


static inline void
consider_segment (SvyazSpatial *self,
                  guint         segment,
                  double        x,
                  double        y,
                  double       *best,
                  int          *found)
{
  const Segment *s = &g_array_index (self->segments, Segment, segment);
  double d = svyaz_segment_distance (x, y, s->x0, s->y0, s->x1, s->y1);

  if (d < *best || (d == *best && (int) s->edge > *found))
    {
      *best = d;
      *found = (int) s->edge;
    }
}

/* A crowded cell's segments whose lines pass within *best of (x, y):
 * for each angle column, the offsets its lines may have, that column's
 * sine curve widened by how far it can stray within the column. The runs
 * are found for every column first, then read: a hairball's crowded
 * cells hold megabytes of lines, and fetching the runs one after the
 * other waited on memory for each. */
static void
consider_lines (SvyazSpatial *self,
                const Grid   *grid,
                const Lines  *lines,
                double        x,
                double        y,
                double       *best,
                int          *found)
{
  guint first = grid->start[lines->cell];
  double px = x - (grid->x0 + (lines->cell % grid->cols + 0.5) * grid->cell);
  double py = y - (grid->y0 + (lines->cell / grid->cols + 0.5) * grid->cell);
  double r = hypot (px, py), width = G_PI / lines->cols;
  /* Floats' rounding of the normals and offsets, and the rotation's. */
  double slack = 1e-5 * (lines->half + r) + 1e-9;
  double reach = r * width / 2 + *best + slack, rows_per_unit = lines->rows / (2 * lines->half);
  double last_row = lines->rows - 1;
  double sin_mid = sin (width / 2), cos_mid = cos (width / 2);
  double sin_step = sin (width), cos_step = cos (width);
  guint run[2 * 1024];

  g_assert (lines->cols <= 1024);
  for (guint col = 0; col < lines->cols; col++)
    {
      double g = -sin_mid * px + cos_mid * py, next_sin = sin_mid * cos_step + cos_mid * sin_step;
      /* Clamped before truncating, which then floors: floor() is a call. */
      double lo = CLAMP ((g - reach + lines->half) * rows_per_unit, 0, last_row);
      double hi = CLAMP ((g + reach + lines->half) * rows_per_unit, 0, last_row);

      /* Past a corner of the cell, some angles' offsets miss every line
       * it holds (all within half a diagonal, up to rounding): their
       * runs are empty, and cost no wait. */
      if (g - reach > 1.001 * lines->half || g + reach < -1.001 * lines->half)
        run[2 * col] = run[2 * col + 1] = col * lines->rows;
      else
        {
          run[2 * col] = col * lines->rows + (guint) lo;
          run[2 * col + 1] = col * lines->rows + (guint) hi + 1;
          SVYAZ_PREFETCH (&lines->start[run[2 * col]]);
          SVYAZ_PREFETCH (&lines->start[run[2 * col + 1]]);
        }
      cos_mid = cos_mid * cos_step - sin_mid * sin_step;
      sin_mid = next_sin;
    }
  for (guint col = 0; col < lines->cols; col++)
    {
      const char *from, *to;

      run[2 * col] = lines->start[run[2 * col]];
      run[2 * col + 1] = lines->start[run[2 * col + 1]];
      from = (const char *) &grid->lines[3 * (lines->first + run[2 * col])];
      to = (const char *) &grid->lines[3 * (lines->first + run[2 * col + 1])];
      /* The whole run: the first line alone left a wait on the rest
       * (65,000 nodes: 10.0 to 8.8 us). */
      for (; from < to; from += 64)
        SVYAZ_PREFETCH (from);
    }
  for (guint col = 0; col < lines->cols; col++)
    for (guint k = run[2 * col]; k < run[2 * col + 1]; k++)
      {
        const float *line = &grid->lines[3 * (lines->first + k)];

        if (fabs (line[0] * px + line[1] * py - line[2]) <= *best + slack)
          consider_segment (self, grid->items[first + k], x, y, best, found);
      }
}

/* The edge passing nearest (x, y) within @tolerance, or -1; of edges at
 * the same distance, the last drawn. */
int
svyaz_spatial_edge_at (SvyazSpatial *self,
                       double        x,
                       double        y,
                       double        tolerance)
{
  double best = tolerance;
  int found = -1;

  g_return_val_if_fail (self != NULL, -1);

  ensure_levels (self);
  for (guint l = 0; l < self->n_levels; l++)
    {
      const Grid *grid = &self->levels[l];
      guint c0, r0, c1, r1;

      cell_range (grid, x - tolerance, y - tolerance, x + tolerance, y + tolerance, &c0, &r0, &c1, &r1);
      for (guint r = r0; r <= r1; r++)
        for (guint c = c0; c <= c1; c++)
          {
            guint cell = r * grid->cols + c;
            const Lines *lines;

            if (grid->start[cell + 1] - grid->start[cell] > CROWDED &&
                (lines = find_lines (grid, cell)) != NULL)
              consider_lines (self, grid, lines, x, y, &best, &found);
            else
              for (guint k = grid->start[cell]; k < grid->start[cell + 1]; k++)
                consider_segment (self, grid->items[k], x, y, &best, &found);
          }
    }
  return found;
}

static inline int
segment_meets_rect (const Segment *s,
                    double         x0,
                    double         y0,
                    double         x1,
                    double         y1)
{
  return svyaz_segment_meets_rect (s->x0, s->y0, s->x1, s->y1, x0, y0, x1, y1);
}

/* The items a query would walk in the cells the rectangle touches, over
 * every grid: each row's run of cells is one stretch of items. */
static guint64
items_in_range (const SvyazSpatial *self,
                double              x0,
                double              y0,
                double              x1,
                double              y1)
{
  guint64 items = 0;

  for (guint l = 0; l < self->n_levels; l++)
    {
      const Grid *grid = &self->levels[l];
      guint c0, r0, c1, r1;

      cell_range (grid, x0, y0, x1, y1, &c0, &r0, &c1, &r1);
      for (guint r = r0; r <= r1; r++)
        items += grid->start[r * grid->cols + c1 + 1] - grid->start[r * grid->cols + c0];
    }
  return items;
}

/* Segments [first, end) of a scan, tested against the rectangle. */
typedef struct {
  SvyazSpatial *self;
  double        x0, y0, x1, y1;
  guint         first, end;
  GArray       *edges;
} ScanShare;

static gpointer
scan_share (gpointer data)
{
  ScanShare *share = data;
  const Segment *segments = (const Segment *) (void *) share->self->segments->data;
  double x0 = share->x0, y0 = share->y0, x1 = share->x1, y1 = share->y1;
  guint n = 0, last = G_MAXUINT, base = share->edges->len;
  guint *out;

  /* An edge's segments follow one another, so it is taken once by
   * remembering the last one taken; the answers are written in place,
   * without a branch, and counted after. */
  g_array_set_size (share->edges, base + share->end - share->first);
  out = (guint *) (void *) share->edges->data + base;
  for (guint i = share->first; i < share->end; i++)
    {
      const Segment *s = &segments[i];
      int take = segment_meets_rect (s, x0, y0, x1, y1) & (s->edge != last);

      out[n] = s->edge;
      n += take;
      last = take ? s->edge : last;
    }
  g_array_set_size (share->edges, base + n);
  return NULL;
}

/* Every segment in order, each tested against the rectangle: what a
 * query does when the cells would hand it more items than that. Past
 * scan_split segments the second half goes to another core: cut between
 * two edges, the halves' edges, put end to end, come in the same order. */
static void
scan_segments (SvyazSpatial *self,
               double        x0,
               double        y0,
               double        x1,
               double        y1,
               GArray       *edges)
{
  const Segment *segments = (const Segment *) (void *) self->segments->data;
  guint n = self->segments->len, mid = n;
  ScanShare first = { self, x0, y0, x1, y1, 0, n, edges };
  g_autoptr(GArray) second_edges = NULL;
  ScanShare second;
  GThread *worker;

  if (n >= self->scan_split && g_get_num_processors () > 1)
    for (mid = n / 2; mid < n && segments[mid].edge == segments[mid - 1].edge; mid++)
      ;
  if (mid == n || mid == 0)
    {
      scan_share (&first);
      return;
    }
  second_edges = g_array_new (FALSE, FALSE, sizeof (guint));
  second = (ScanShare) { self, x0, y0, x1, y1, mid, n, second_edges };
  first.end = mid;
  worker = g_thread_new ("svyaz-scan", scan_share, &second);
  scan_share (&first);
  g_thread_join (worker);
  g_array_append_vals (edges, second_edges->data, second_edges->len);
}

void
svyaz_spatial_set_scan_split (SvyazSpatial *self,
                              guint         segments)
{
  g_return_if_fail (self != NULL);

  self->scan_split = MAX (segments, 2);
}

void
svyaz_spatial_set_scan (SvyazSpatial     *self,
                        SvyazSpatialScan  scan)
{
  g_return_if_fail (self != NULL);

  self->scan = scan;
}

/**
 * svyaz_spatial_edge_lines:
 *
 * The graph's edges as straight lines (svyaz_edge_lines_new()), for
 * coarse frames (SvyazRenderOptions.lines): kept with the index, they
 * are made again when it is, as the geometry changes.
 *
 * Returns: (transfer none): the edges' lines
 */
const SvyazEdgeLines *
svyaz_spatial_edge_lines (SvyazSpatial *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->lines == NULL)
    self->lines = svyaz_edge_lines_new (self->graph);
  return self->lines;
}

/**
 * svyaz_spatial_query:
 * @nodes: (element-type guint): receives each node whose box meets the
 *   rectangle, once
 * @edges: (element-type guint): receives each edge with a segment that
 *   passes through the rectangle, once
 */
void
svyaz_spatial_query (SvyazSpatial *self,
                     double        x0,
                     double        y0,
                     double        x1,
                     double        y1,
                     GArray       *nodes,
                     GArray       *edges)
{
  guint c0, r0, c1, r1;

  g_return_if_fail (self != NULL);

  if (++self->stamp == 0)
    {
      memset (self->node_stamp, 0, sizeof (guint) * MAX (self->graph->nodes->len, 1));
      self->stamp = 1;
    }
  /* A rectangle around the whole drawing (the full view) holds all of
   * it: no cell needs walking, nor any result checking. */
  if (x0 <= self->ex0 && y0 <= self->ey0 && x1 >= self->ex1 && y1 >= self->ey1)
    {
      for (guint i = 0; nodes && i < self->graph->nodes->len; i++)
        g_array_append_val (nodes, i);
      if (edges)
        g_array_append_vals (edges, self->filed_edges->data, self->filed_edges->len);
      return;
    }
  ensure_node_grid (self);
  if (edges)
    {
      ensure_levels (self);
      memset (self->edge_seen, 0, sizeof (guint64) * (self->graph->edges->len / 64 + 1));
    }
  cell_range (&self->nodes, x0, y0, x1, y1, &c0, &r0, &c1, &r1);
  for (guint r = r0; nodes && r <= r1; r++)
    for (guint c = c0; c <= c1; c++)
      {
        guint cell = r * self->nodes.cols + c;

        for (guint k = self->nodes.start[cell]; k < self->nodes.start[cell + 1]; k++)
          {
            guint i = self->nodes.items[k];
            const SvyazNode *n = SVYAZ_NODE (self->graph, i);

            if (self->node_stamp[i] != self->stamp &&
                n->x + n->width / 2 >= x0 && n->x - n->width / 2 <= x1 &&
                n->y + n->height / 2 >= y0 && n->y - n->height / 2 <= y1)
              {
                self->node_stamp[i] = self->stamp;
                g_array_append_val (nodes, i);
              }
          }
      }
  /* A cell's item costs about four times a segment read in order (a
   * zoomed view of a 65,000-node hairball's centre: a million items for
   * 400,000 segments, 15 ms against 11; at 32 times, 7 against 9). */
  if (edges && (self->scan == SVYAZ_SPATIAL_SCAN_ALWAYS ||
                (self->scan == SVYAZ_SPATIAL_SCAN_AUTO &&
                 items_in_range (self, x0, y0, x1, y1) > self->segments->len / 4)))
    {
      scan_segments (self, x0, y0, x1, y1, edges);
      edges = NULL;
    }
  for (guint l = 0; edges && l < self->n_levels; l++)
    {
      const Grid *grid = &self->levels[l];

      cell_range (grid, x0, y0, x1, y1, &c0, &r0, &c1, &r1);
      for (guint r = r0; r <= r1; r++)
        for (guint c = c0; c <= c1; c++)
          {
            guint cell = r * grid->cols + c, first = grid->start[cell], end = grid->start[cell + 1];
            const Segment *segments = (const Segment *) (void *) self->segments->data;
            const Lines *lines = end - first > CROWDED ? find_lines (grid, cell) : NULL;
            /* The rectangle from the cell's centre, and its half sides. */
            double qx = (x0 + x1) / 2 - (grid->x0 + (c + 0.5) * grid->cell);
            double qy = (y0 + y1) / 2 - (grid->y0 + (r + 0.5) * grid->cell);
            double hw = (x1 - x0) / 2, hh = (y1 - y0) / 2;
            double slack = lines ? 1e-5 * (lines->half + fabs (qx) + fabs (qy) + hw + hh) + 1e-9 : 0;

            /* A cell inside the rectangle holds only segments that meet
             * it (each filed where it passes). */
            gboolean inside = grid->x0 + c * grid->cell >= x0 && grid->x0 + (c + 1) * grid->cell <= x1 &&
                              grid->y0 + r * grid->cell >= y0 && grid->y0 + (r + 1) * grid->cell <= y1;

            for (guint k = first; k < end; k++)
              {
                guint segment = grid->items[k], edge = grid->item_edges[k];
                guint64 bit = G_GUINT64_CONSTANT (1) << (edge % 64);

                /* Most edges were met already, by another segment or in
                 * a finer grid: that is read from the items' own order
                 * and a bit, without the segment's coordinates. */
                /* Segments outside the cells inside the rectangle are
                 * read, scattered through memory: a few turns ahead. */
                if (!inside && k + 8 < end)
                  SVYAZ_PREFETCH (&segments[grid->items[k + 8]]);
                if (self->edge_seen[edge / 64] & bit)
                  continue;
                if (!inside)
                  {
                    /* A crowded cell's lines that pass the rectangle by
                     * are left without reading their segments: a zoomed
                     * view lies within cells that 88,000 long segments
                     * cross, most of them elsewhere. */
                    if (lines != NULL)
                      {
                        const float *line = &grid->lines[3 * (lines->first + (k - first))];

                        if (fabs (line[0] * qx + line[1] * qy - line[2]) >
                            fabs (line[0]) * hw + fabs (line[1]) * hh + slack)
                          continue;
                      }
                    if (!segment_meets_rect (&segments[segment], x0, y0, x1, y1))
                      continue;
                  }
                self->edge_seen[edge / 64] |= bit;
                g_array_append_val (edges, edge);
              }
          }
    }
}

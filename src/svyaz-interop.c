/* svyaz-interop.c: graph files other tools write, read into plain data.
 *
 * The XML formats go through GMarkup, element names taken without their
 * namespace prefix so GraphML from yEd (y:NodeLabel) and GEXF 1.1 to 1.3
 * read alike; CSV follows RFC 4180 with the delimiter guessed from the
 * first line; JSON goes through json-glib and takes both the d3
 * {nodes, links} shape and Cytoscape.js's {elements: {nodes, edges}} with
 * "data" members. DOT is read by cgraph, in svyaz-layout, the one file
 * that includes Graphviz. Whatever the format, fields reach
 * svyaz_foreign_graph_add_node() and _add_edge(), which alone decide what
 * a field means.
 */
#include "svyaz-config.h"
#include "svyaz-interop.h"

#include <errno.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "svyaz-layout.h"
#include "svyaz-text.h"

G_DEFINE_QUARK (svyaz-interop-error-quark, svyaz_interop_error)

static const char * const format_names[] = {
  [SVYAZ_GRAPH_FILE_GRAPHML] = "graphml",
  [SVYAZ_GRAPH_FILE_GEXF] = "gexf",
  [SVYAZ_GRAPH_FILE_DOT] = "dot",
  [SVYAZ_GRAPH_FILE_CSV] = "csv",
  [SVYAZ_GRAPH_FILE_JSON] = "json",
};

/* Section: the foreign graph */

static void
foreign_node_free (gpointer data)
{
  SvyazForeignNode *node = data;

  g_free (node->key);
  g_free (node->name);
  g_free (node->type);
  g_free (node->description);
  g_free (node);
}

static void
foreign_edge_clear (gpointer data)
{
  SvyazForeignEdge *edge = data;

  g_free (edge->predicate);
}

SvyazForeignGraph *
svyaz_foreign_graph_new (void)
{
  SvyazForeignGraph *graph = g_new0 (SvyazForeignGraph, 1);

  graph->nodes = g_ptr_array_new_with_free_func (foreign_node_free);
  graph->edges = g_array_new (FALSE, TRUE, sizeof (SvyazForeignEdge));
  g_array_set_clear_func (graph->edges, foreign_edge_clear);
  graph->index = g_hash_table_new (g_str_hash, g_str_equal);
  return graph;
}

void
svyaz_foreign_graph_free (SvyazForeignGraph *graph)
{
  if (graph == NULL)
    return;
  g_hash_table_unref (graph->index);
  g_ptr_array_unref (graph->nodes);
  g_array_unref (graph->edges);
  g_free (graph);
}

/* The first of @names that @fields has with some text. */
static const char *
pick (GHashTable         *fields,
      const char * const *names)
{
  if (fields == NULL)
    return NULL;
  for (guint i = 0; names[i]; i++)
    {
      const char *value = g_hash_table_lookup (fields, names[i]);

      if (value != NULL && *value != '\0')
        return value;
    }
  return NULL;
}

/* Types are identifiers in a store: lower case, '_' for what is not a
 * letter, a digit or '-'. */
static char *
type_identifier (const char *text)
{
  g_autofree char *clean = svyaz_text_clean_name (text, -1);
  g_autofree char *lower = g_utf8_strdown (clean, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '-' || c == '_')
        g_string_append_unichar (out, c);
      else if (out->len > 0 && out->str[out->len - 1] != '_')
        g_string_append_c (out, '_');
    }
  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "other");
  return g_string_free (out, FALSE);
}

/**
 * svyaz_foreign_graph_add_node:
 * @key: the file's id for the node
 * @fields: (nullable): its attributes, lower-case names to text
 *
 * Adds the node, or fills in what an earlier mention of @key (an edge's
 * end, say) left out.
 *
 * Returns: its index
 */
guint
svyaz_foreign_graph_add_node (SvyazForeignGraph *graph,
                              const char        *key,
                              GHashTable        *fields)
{
  static const char * const name_fields[] = { "label", "name", "title", NULL };
  static const char * const type_fields[] = { "type", "category", "kind", "class",
                                              "entity_type", NULL };
  static const char * const description_fields[] = { "description", NULL };
  gpointer found;
  SvyazForeignNode *node;
  const char *name, *type, *description;

  g_return_val_if_fail (graph != NULL && key != NULL, 0);

  if (g_hash_table_lookup_extended (graph->index, key, NULL, &found))
    node = g_ptr_array_index (graph->nodes, GPOINTER_TO_UINT (found) - 1);
  else
    {
      node = g_new0 (SvyazForeignNode, 1);
      node->key = g_strdup (key);
      g_ptr_array_add (graph->nodes, node);
      g_hash_table_insert (graph->index, node->key, GUINT_TO_POINTER (graph->nodes->len));
      found = GUINT_TO_POINTER (graph->nodes->len);
    }

  name = pick (fields, name_fields);
  type = pick (fields, type_fields);
  description = pick (fields, description_fields);
  if (name != NULL || node->name == NULL)
    {
      g_free (node->name);
      node->name = svyaz_text_clean_name (name ? name : key, -1);
    }
  if (type != NULL || node->type == NULL)
    {
      g_free (node->type);
      node->type = type_identifier (type ? type : "");
    }
  if (description != NULL)
    {
      g_free (node->description);
      node->description = svyaz_text_clean_name (description, -1);
    }
  return GPOINTER_TO_UINT (found) - 1;
}

static gboolean
is_true (const char *value)
{
  return value != NULL && (g_ascii_strcasecmp (value, "true") == 0 ||
                           g_ascii_strcasecmp (value, "yes") == 0 ||
                           g_str_equal (value, "1"));
}

/**
 * svyaz_foreign_graph_add_edge:
 * @source: the key of the node it leaves, added if new
 * @target: the key of the node it reaches, added if new
 * @fields: (nullable): its attributes, lower-case names to text
 */
void
svyaz_foreign_graph_add_edge (SvyazForeignGraph *graph,
                              const char        *source,
                              const char        *target,
                              GHashTable        *fields)
{
  static const char * const predicate_fields[] = { "predicate", "relation", "relationship",
                                                   "interaction", "label", NULL };
  SvyazForeignEdge edge = { 0 };
  const char *predicate, *type, *confidence, *weight;

  g_return_if_fail (graph != NULL && source != NULL && target != NULL);

  edge.source = svyaz_foreign_graph_add_node (graph, source, NULL);
  edge.target = svyaz_foreign_graph_add_node (graph, target, NULL);

  predicate = pick (fields, predicate_fields);
  type = fields ? g_hash_table_lookup (fields, "type") : NULL;
  /* Gephi's "Type" column says whether the edge is directed. */
  if (predicate == NULL && type != NULL && *type != '\0' &&
      g_ascii_strcasecmp (type, "directed") != 0 && g_ascii_strcasecmp (type, "undirected") != 0 &&
      g_ascii_strcasecmp (type, "mutual") != 0)
    predicate = type;
  edge.predicate = svyaz_text_clean_name (predicate ? predicate : "related_to", -1);
  if (*edge.predicate == '\0')
    {
      g_free (edge.predicate);
      edge.predicate = g_strdup ("related_to");
    }

  edge.confidence = 1.0;
  confidence = fields ? g_hash_table_lookup (fields, "confidence") : NULL;
  weight = fields ? g_hash_table_lookup (fields, "weight") : NULL;
  if (confidence != NULL)
    {
      double c = g_ascii_strtod (confidence, NULL);

      if (c >= 0 && c <= 1)
        edge.confidence = c;
    }
  else if (weight != NULL)
    {
      double w = g_ascii_strtod (weight, NULL);

      if (w > 0 && w <= 1)
        edge.confidence = w;
    }
  edge.cooccurrence = fields != NULL && is_true (g_hash_table_lookup (fields, "cooccurrence"));
  g_array_append_val (graph->edges, edge);
}

static GHashTable *
fields_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
fields_set (GHashTable *fields,
            const char *name,
            const char *value)
{
  g_hash_table_replace (fields, g_ascii_strdown (name, -1), g_strdup (value));
}

/* Section: formats */

gboolean
svyaz_graph_file_format_parse (const char           *name,
                               SvyazGraphFileFormat *out_format)
{
  static const char * const other_names[] = { "gv", "xml" };
  static const SvyazGraphFileFormat other_formats[] = { SVYAZ_GRAPH_FILE_DOT, SVYAZ_GRAPH_FILE_GRAPHML };
  int found, other;

  g_return_val_if_fail (out_format != NULL, FALSE);

  found = svyaz_text_lookup (name, format_names, G_N_ELEMENTS (format_names));
  other = svyaz_text_lookup (name, other_names, G_N_ELEMENTS (other_names));
  if (found < 0 && other >= 0)
    found = (int) other_formats[other];
  if (found < 0)
    return FALSE;
  *out_format = (SvyazGraphFileFormat) found;
  return TRUE;
}

gboolean
svyaz_graph_file_format_for_path (const char           *path,
                                  SvyazGraphFileFormat *out_format)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return svyaz_graph_file_format_parse (svyaz_text_extension (path), out_format);
}

const char *
svyaz_graph_file_format_name (SvyazGraphFileFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

/* Section: reading files */

static gboolean
read_text (const char  *path,
           char       **out_text,
           gsize       *out_len,
           GError     **error)
{
  g_autoptr(GError) local = NULL;
  const char *bad;

  if (!g_file_get_contents (path, out_text, out_len, &local))
    {
      g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT, "%s", local->message);
      return FALSE;
    }
  if (!g_utf8_validate_len (*out_text, *out_len, &bad))
    {
      g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                   "%s: invalid UTF-8 at byte offset %" G_GSIZE_FORMAT, path,
                   (gsize) (bad - *out_text));
      g_clear_pointer (out_text, g_free);
      return FALSE;
    }
  return TRUE;
}

/* Section: GraphML and GEXF */

typedef struct {
  char *id;
  char *name;        /* attr.name or title, lower case */
  char *domain;      /* "node", "edge", "all" */
  char *default_value;
} XmlKey;

typedef struct {
  SvyazGraphFileFormat format;
  SvyazForeignGraph   *graph;
  GHashTable          *keys;        /* "domain:id" to XmlKey */
  gboolean             root_seen;

  /* The element open now: a node or an edge */
  gboolean             in_node;
  gboolean             in_edge;
  char                *node_key;
  char                *edge_source;
  char                *edge_target;
  GHashTable          *data;        /* key id to text */
  GHashTable          *fields;      /* for GEXF's own label and weight */

  XmlKey              *key_open;    /* a <key>/<attribute> whose <default> is read */
  char                *data_key;    /* the <data> being read */
  GString             *text;
  gboolean             in_label;    /* yEd's y:NodeLabel / y:EdgeLabel */
  GString             *label;
} XmlReader;

static void
xml_key_free (gpointer data)
{
  XmlKey *key = data;

  g_free (key->id);
  g_free (key->name);
  g_free (key->domain);
  g_free (key->default_value);
  g_free (key);
}

static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon ? colon + 1 : name;
}

static const char *
attribute (const char **names,
           const char **values,
           const char  *wanted)
{
  for (guint i = 0; names[i]; i++)
    if (g_str_equal (local_name (names[i]), wanted))
      return values[i];
  return NULL;
}

/* The node's or edge's fields: its data by key name, then the keys'
 * defaults, then what the element itself said. */
static GHashTable *
xml_fields (XmlReader  *reader,
            const char *domain)
{
  GHashTable *fields = fields_new ();
  GHashTableIter iter;
  gpointer value;
  XmlKey *key;

  g_hash_table_iter_init (&iter, reader->keys);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &key))
    {
      const char *text;

      if (!g_str_equal (key->domain, domain) && !g_str_equal (key->domain, "all"))
        continue;
      text = g_hash_table_lookup (reader->data, key->id);
      if (text == NULL)
        text = key->default_value;
      if (text != NULL)
        fields_set (fields, key->name, text);
    }
  if (reader->label->len > 0 && !g_hash_table_contains (fields, "label"))
    fields_set (fields, "label", reader->label->str);
  g_hash_table_iter_init (&iter, reader->fields);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, &value))
    if (!g_hash_table_contains (fields, (const char *) key))
      fields_set (fields, (const char *) key, value);
  return fields;
}

static void
xml_reset_element (XmlReader *reader)
{
  reader->in_node = reader->in_edge = FALSE;
  g_clear_pointer (&reader->node_key, g_free);
  g_clear_pointer (&reader->edge_source, g_free);
  g_clear_pointer (&reader->edge_target, g_free);
  g_hash_table_remove_all (reader->data);
  g_hash_table_remove_all (reader->fields);
  g_string_truncate (reader->label, 0);
}

/* A node's data ends where its nested graph (a yEd group, a GEXF
 * hierarchy) begins, so it is added there or at its end tag. */
static void
xml_flush_node (XmlReader *reader)
{
  g_autoptr(GHashTable) fields = NULL;

  if (!reader->in_node)
    return;
  fields = xml_fields (reader, "node");
  svyaz_foreign_graph_add_node (reader->graph, reader->node_key, fields);
  xml_reset_element (reader);
}

static void
xml_flush_edge (XmlReader *reader)
{
  g_autoptr(GHashTable) fields = NULL;

  if (!reader->in_edge)
    return;
  fields = xml_fields (reader, "edge");
  svyaz_foreign_graph_add_edge (reader->graph, reader->edge_source, reader->edge_target, fields);
  xml_reset_element (reader);
}

static void
xml_start_cb (GMarkupParseContext  *context,
              const char           *element_name,
              const char          **names,
              const char          **values,
              gpointer              user_data,
              GError              **error)
{
  XmlReader *reader = user_data;
  const char *name = local_name (element_name);
  gboolean graphml = reader->format == SVYAZ_GRAPH_FILE_GRAPHML;

  if (!reader->root_seen)
    {
      reader->root_seen = TRUE;
      if (!g_str_equal (name, graphml ? "graphml" : "gexf"))
        {
          g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                       "not a %s file: it starts with <%s>", graphml ? "GraphML" : "GEXF",
                       element_name);
          return;
        }
      return;
    }

  if ((graphml && g_str_equal (name, "key")) || (!graphml && g_str_equal (name, "attribute")))
    {
      const char *id = attribute (names, values, "id");
      const char *title = attribute (names, values, graphml ? "attr.name" : "title");
      const char *domain = graphml ? attribute (names, values, "for") : NULL;
      XmlKey *key;

      if (id == NULL)
        {
          g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                       "<%s> without an id", element_name);
          return;
        }
      key = g_new0 (XmlKey, 1);
      key->id = g_strdup (id);
      key->name = g_ascii_strdown (title ? title : id, -1);
      /* GEXF says the class on the enclosing <attributes>; kept in fields. */
      if (!graphml)
        domain = g_hash_table_lookup (reader->fields, "@class");
      key->domain = g_strdup (domain ? domain : "all");
      /* GEXF's node and edge attributes may share ids ("0", "1"…). */
      g_hash_table_replace (reader->keys, g_strconcat (key->domain, ":", key->id, NULL), key);
      reader->key_open = key;
    }
  else if (!graphml && g_str_equal (name, "attributes"))
    {
      const char *klass = attribute (names, values, "class");

      g_hash_table_replace (reader->fields, g_strdup ("@class"), g_strdup (klass ? klass : "all"));
    }
  else if (g_str_equal (name, "default") && reader->key_open != NULL)
    {
      g_string_truncate (reader->text, 0);
      reader->data_key = g_strdup ("@default");
    }
  else if (g_str_equal (name, "node"))
    {
      const char *id = attribute (names, values, "id");
      const char *label = attribute (names, values, "label");

      xml_flush_node (reader);
      if (id == NULL)
        {
          g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                       "a <node> without an id");
          return;
        }
      xml_reset_element (reader);
      reader->in_node = TRUE;
      reader->node_key = g_strdup (id);
      if (label != NULL)
        fields_set (reader->fields, "label", label);
    }
  else if (g_str_equal (name, "edge"))
    {
      const char *source = attribute (names, values, "source");
      const char *target = attribute (names, values, "target");
      const char *label = attribute (names, values, "label");
      const char *weight = attribute (names, values, "weight");

      xml_flush_node (reader);
      if (source == NULL || target == NULL)
        {
          g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                       "an <edge> without a source or a target");
          return;
        }
      xml_reset_element (reader);
      reader->in_edge = TRUE;
      reader->edge_source = g_strdup (source);
      reader->edge_target = g_strdup (target);
      if (label != NULL)
        fields_set (reader->fields, "label", label);
      if (weight != NULL)
        fields_set (reader->fields, "weight", weight);
    }
  else if (g_str_equal (name, "graph") || g_str_equal (name, "nodes"))
    {
      xml_flush_node (reader);
    }
  else if (graphml && g_str_equal (name, "data") && (reader->in_node || reader->in_edge))
    {
      const char *key = attribute (names, values, "key");

      g_string_truncate (reader->text, 0);
      g_free (reader->data_key);
      reader->data_key = g_strdup (key ? key : "");
    }
  else if (!graphml && g_str_equal (name, "attvalue") && (reader->in_node || reader->in_edge))
    {
      const char *key = attribute (names, values, "for");
      const char *value = attribute (names, values, "value");

      if (key == NULL)
        key = attribute (names, values, "id");
      if (key != NULL && value != NULL)
        g_hash_table_replace (reader->data, g_strdup (key), g_strdup (value));
    }
  else if (g_str_equal (name, "NodeLabel") || g_str_equal (name, "EdgeLabel"))
    {
      reader->in_label = reader->label->len == 0;
    }
}

static void
xml_end_cb (GMarkupParseContext  *context,
            const char           *element_name,
            gpointer              user_data,
            GError              **error)
{
  XmlReader *reader = user_data;
  const char *name = local_name (element_name);

  if (g_str_equal (name, "node"))
    xml_flush_node (reader);
  else if (g_str_equal (name, "edge"))
    xml_flush_edge (reader);
  else if (g_str_equal (name, "default") && reader->key_open != NULL)
    {
      g_free (reader->key_open->default_value);
      reader->key_open->default_value = g_strdup (reader->text->str);
      g_clear_pointer (&reader->data_key, g_free);
    }
  else if (g_str_equal (name, "key") || g_str_equal (name, "attribute"))
    reader->key_open = NULL;
  else if (g_str_equal (name, "data") && reader->data_key != NULL)
    {
      g_hash_table_replace (reader->data, g_steal_pointer (&reader->data_key),
                            g_strdup (reader->text->str));
    }
  else if (g_str_equal (name, "NodeLabel") || g_str_equal (name, "EdgeLabel"))
    reader->in_label = FALSE;
}

static void
xml_text_cb (GMarkupParseContext  *context,
             const char           *text,
             gsize                 len,
             gpointer              user_data,
             GError              **error)
{
  XmlReader *reader = user_data;

  if (reader->in_label)
    g_string_append_len (reader->label, text, len);
  else if (reader->data_key != NULL)
    g_string_append_len (reader->text, text, len);
}

static SvyazForeignGraph *
read_xml (const char           *path,
          SvyazGraphFileFormat  format,
          GError              **error)
{
  static const GMarkupParser parser = {
    .start_element = xml_start_cb,
    .end_element = xml_end_cb,
    .text = xml_text_cb,
  };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  XmlReader reader = { 0 };
  gboolean ok;
  gsize len;

  if (!read_text (path, &text, &len, error))
    return NULL;

  reader.format = format;
  reader.graph = svyaz_foreign_graph_new ();
  reader.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, xml_key_free);
  reader.data = fields_new ();
  reader.fields = fields_new ();
  reader.text = g_string_new (NULL);
  reader.label = g_string_new (NULL);

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &reader, NULL);
  ok = g_markup_parse_context_parse (context, text, (gssize) len, &local) &&
       g_markup_parse_context_end_parse (context, &local);
  if (ok && !reader.root_seen)
    {
      g_set_error (&local, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT, "the file is empty");
      ok = FALSE;
    }

  xml_reset_element (&reader);
  g_free (reader.data_key);
  g_hash_table_unref (reader.keys);
  g_hash_table_unref (reader.data);
  g_hash_table_unref (reader.fields);
  g_string_free (reader.text, TRUE);
  g_string_free (reader.label, TRUE);

  if (!ok)
    {
      g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT, "%s: %s", path,
                   local->message);
      svyaz_foreign_graph_free (reader.graph);
      return NULL;
    }
  return reader.graph;
}

/* Section: CSV */

/* One record of RFC 4180 text from *@p, which is moved past it. */
static GPtrArray *
csv_record (const char **p,
            const char  *end,
            char         delimiter,
            guint       *line,
            GError     **error)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *s = *p;

  while (TRUE)
    {
      if (s < end && *s == '"')
        {
          guint start_line = *line;

          for (s++; ; s++)
            {
              if (s >= end)
                {
                  g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                               "line %u: a quoted field is not closed", start_line);
                  g_ptr_array_unref (fields);
                  g_string_free (field, TRUE);
                  return NULL;
                }
              if (*s == '"' && s + 1 < end && s[1] == '"')
                {
                  g_string_append_c (field, '"');
                  s++;
                }
              else if (*s == '"')
                {
                  s++;
                  break;
                }
              else
                {
                  *line += *s == '\n';
                  g_string_append_c (field, *s);
                }
            }
        }
      while (s < end && *s != delimiter && *s != '\n' && *s != '\r')
        g_string_append_c (field, *s++);
      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);
      if (s < end && *s == delimiter)
        {
          s++;
          continue;
        }
      break;
    }
  if (s < end && *s == '\r')
    s++;
  if (s < end && *s == '\n')
    s++;
  (*line)++;
  *p = s;
  g_string_free (field, TRUE);
  return fields;
}

/* The delimiter the first line uses most, outside quotes: ',', ';' or tab. */
static char
csv_delimiter (const char *text,
               const char *end)
{
  guint commas = 0, semicolons = 0, tabs = 0;
  gboolean quoted = FALSE;

  for (const char *s = text; s < end && (quoted || *s != '\n'); s++)
    {
      if (*s == '"')
        quoted = !quoted;
      else if (!quoted)
        {
          commas += *s == ',';
          semicolons += *s == ';';
          tabs += *s == '\t';
        }
    }
  if (tabs > commas && tabs >= semicolons)
    return '\t';
  if (semicolons > commas)
    return ';';
  return ',';
}

static int
column (GPtrArray          *header,
        const char * const *names)
{
  for (guint n = 0; names[n]; n++)
    for (guint i = 0; i < header->len; i++)
      if (g_ascii_strcasecmp (g_strstrip ((char *) g_ptr_array_index (header, i)), names[n]) == 0)
        return (int) i;
  return -1;
}

static const char * const source_columns[] = { "source", "from", "subject", "src", "node1", NULL };
static const char * const target_columns[] = { "target", "to", "object", "dst", "node2", NULL };
static const char * const id_columns[] = { "id", "key", NULL };

/* The rows of @path into @graph: edges (a header naming Source and
 * Target, or none and then source, target, predicate) or nodes (a header
 * naming Id), each row's fields named by the header's lower-case names. */
static gboolean
csv_read (const char         *path,
          SvyazForeignGraph  *graph,
          gboolean            edges,
          GError            **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) local = NULL;
  const char *p, *end;
  gboolean with_header;
  int source_col, target_col, id_col;
  guint line = 1;
  gsize len;
  char delimiter;

  if (!read_text (path, &text, &len, error))
    return FALSE;
  p = text;
  end = text + len;
  if (len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  delimiter = csv_delimiter (p, end);

  header = csv_record (&p, end, delimiter, &line, &local);
  if (header == NULL)
    goto failed;
  source_col = column (header, source_columns);
  target_col = column (header, target_columns);
  id_col = column (header, id_columns);
  with_header = edges ? source_col >= 0 && target_col >= 0 : id_col >= 0;
  if (edges && !with_header && id_col >= 0)
    {
      g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                   "%s: a node list (it has an Id column but no Source and Target); "
                   "import the edge list that goes with it", path);
      return FALSE;
    }
  if (!edges && !with_header)
    {
      g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                   "%s:1: a node list needs a header with an Id column", path);
      return FALSE;
    }
  if (!with_header)
    {
      /* No header: source, target and the predicate, in that order. */
      g_ptr_array_set_size (header, 0);
      g_ptr_array_add (header, g_strdup ("source"));
      g_ptr_array_add (header, g_strdup ("target"));
      g_ptr_array_add (header, g_strdup ("predicate"));
      source_col = 0;
      target_col = 1;
      p = text + (len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0);
      line = 1;
    }

  while (p < end)
    {
      guint row_line = line;
      g_autoptr(GPtrArray) row = csv_record (&p, end, delimiter, &line, &local);
      g_autoptr(GHashTable) fields = NULL;

      if (row == NULL)
        goto failed;
      if (row->len == 1 && *(char *) g_ptr_array_index (row, 0) == '\0')
        continue;  /* a blank line */
      fields = fields_new ();
      for (guint i = 0; i < row->len && i < header->len; i++)
        fields_set (fields, g_ptr_array_index (header, i), g_ptr_array_index (row, i));
      if (edges)
        {
          const char *source = (guint) source_col < row->len ? g_ptr_array_index (row, source_col) : "";
          const char *target = (guint) target_col < row->len ? g_ptr_array_index (row, target_col) : "";
          g_autoptr(GHashTable) source_fields = fields_new ();
          g_autoptr(GHashTable) target_fields = fields_new ();
          const char *type;

          if (*source == '\0' || *target == '\0')
            {
              g_set_error (&local, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                           "line %u: the source or the target is empty", row_line);
              goto failed;
            }
          /* TSV-style type columns for the two ends. */
          if ((type = g_hash_table_lookup (fields, "subject_type")) ||
              (type = g_hash_table_lookup (fields, "source_type")))
            fields_set (source_fields, "type", type);
          if ((type = g_hash_table_lookup (fields, "object_type")) ||
              (type = g_hash_table_lookup (fields, "target_type")))
            fields_set (target_fields, "type", type);
          svyaz_foreign_graph_add_node (graph, source, source_fields);
          svyaz_foreign_graph_add_node (graph, target, target_fields);
          svyaz_foreign_graph_add_edge (graph, source, target, fields);
        }
      else
        {
          const char *id = (guint) id_col < row->len ? g_ptr_array_index (row, id_col) : "";

          if (*id == '\0')
            {
              g_set_error (&local, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                           "line %u: the Id is empty", row_line);
              goto failed;
            }
          svyaz_foreign_graph_add_node (graph, id, fields);
        }
    }
  return TRUE;

failed:
  g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT, "%s:%s", path,
               local->message + (g_str_has_prefix (local->message, "line ") ? 5 : 0));
  return FALSE;
}

static SvyazForeignGraph *
read_csv (const char  *path,
          GError     **error)
{
  g_autoptr(SvyazForeignGraph) graph = svyaz_foreign_graph_new ();
  g_autofree char *nodes_path = NULL;

  /* Nodes first, so the edges' ends find their names and types. Our own
   * export's node list sits beside the edges as NAME.nodes.csv. */
  if (g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV"))
    {
      g_autofree char *stem = g_strndup (path, strlen (path) - 4);

      if (!g_str_has_suffix (stem, ".nodes"))
        nodes_path = g_strconcat (stem, ".nodes.csv", NULL);
    }
  if (nodes_path != NULL && g_file_test (nodes_path, G_FILE_TEST_IS_REGULAR) &&
      !csv_read (nodes_path, graph, FALSE, error))
    return NULL;
  if (!csv_read (path, graph, TRUE, error))
    return NULL;
  return g_steal_pointer (&graph);
}

/* Section: JSON */

/* A scalar member as text; objects, arrays and nulls give NULL. */
static char *
json_scalar_text (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

/* An element's members (or, Cytoscape.js-style, its "data"'s) as fields. */
static JsonObject *
json_element (JsonNode *node)
{
  JsonObject *object;
  JsonNode *data;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  data = json_object_get_member (object, "data");
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    return json_node_get_object (data);
  return object;
}

static GHashTable *
json_fields (JsonObject *object)
{
  GHashTable *fields = fields_new ();
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l; l = l->next)
    {
      g_autofree char *text = json_scalar_text (json_object_get_member (object, l->data));

      if (text != NULL)
        fields_set (fields, l->data, text);
    }
  return fields;
}

static JsonArray *
json_array_member (JsonObject *object,
                   const char *a,
                   const char *b)
{
  JsonNode *node = json_object_get_member (object, a);

  if (node == NULL && b != NULL)
    node = json_object_get_member (object, b);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static SvyazForeignGraph *
read_json (const char  *path,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SvyazForeignGraph) graph = svyaz_foreign_graph_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  JsonObject *root;
  JsonArray *nodes, *edges;
  JsonNode *elements;
  gsize len;

  if (!read_text (path, &text, &len, error))
    return NULL;
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT, "%s: %s", path,
                   local->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto not_a_graph;
  root = json_node_get_object (json_parser_get_root (parser));
  elements = json_object_get_member (root, "elements");
  if (elements != NULL && JSON_NODE_HOLDS_OBJECT (elements))
    root = json_node_get_object (elements);
  nodes = json_array_member (root, "nodes", NULL);
  edges = json_array_member (root, "links", "edges");
  if (nodes == NULL && edges == NULL)
    goto not_a_graph;

  for (guint i = 0; nodes && i < json_array_get_length (nodes); i++)
    {
      JsonObject *object = json_element (json_array_get_element (nodes, i));
      g_autoptr(GHashTable) fields = NULL;
      g_autofree char *key = NULL;

      if (object == NULL)
        goto not_a_graph;
      fields = json_fields (object);
      /* d3 refers to nodes without ids by their index. */
      key = g_strdup (g_hash_table_lookup (fields, "id"));
      if (key == NULL)
        key = g_strdup_printf ("%u", i);
      svyaz_foreign_graph_add_node (graph, key, fields);
    }
  for (guint i = 0; edges && i < json_array_get_length (edges); i++)
    {
      JsonObject *object = json_element (json_array_get_element (edges, i));
      g_autoptr(GHashTable) fields = NULL;
      const char *source, *target;

      if (object == NULL)
        goto not_a_graph;
      fields = json_fields (object);
      source = g_hash_table_lookup (fields, "source");
      target = g_hash_table_lookup (fields, "target");
      if (source == NULL || target == NULL || *source == '\0' || *target == '\0')
        {
          g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
                       "%s: link %u has no source or no target", path, i + 1);
          return NULL;
        }
      svyaz_foreign_graph_add_edge (graph, source, target, fields);
    }
  return g_steal_pointer (&graph);

not_a_graph:
  g_set_error (error, SVYAZ_INTEROP_ERROR, SVYAZ_INTEROP_ERROR_FORMAT,
               "%s: not a graph: JSON with \"nodes\" and \"links\" (or \"edges\") arrays of objects "
               "was expected", path);
  return NULL;
}

/* Section: reading */

/**
 * svyaz_graph_file_read:
 *
 * Reads the graph in @path, all of it or nothing.
 *
 * Returns: (transfer full) (nullable): the graph, or %NULL with @error set
 */
SvyazForeignGraph *
svyaz_graph_file_read (const char           *path,
                       SvyazGraphFileFormat  format,
                       GError              **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no such file", path);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "%s: is a directory", path);
      return NULL;
    }

  switch (format)
    {
    case SVYAZ_GRAPH_FILE_GRAPHML:
    case SVYAZ_GRAPH_FILE_GEXF:
      return read_xml (path, format, error);
    case SVYAZ_GRAPH_FILE_CSV:
      return read_csv (path, error);
    case SVYAZ_GRAPH_FILE_JSON:
      return read_json (path, error);
    case SVYAZ_GRAPH_FILE_DOT:
      return svyaz_layout_read_dot (path, error);
    default:
      g_return_val_if_reached (NULL);
    }
}

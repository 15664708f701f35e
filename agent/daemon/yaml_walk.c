// SPDX-License-Identifier: GPL-2.0
/*
 * A YAML document checked against C tables, see yaml_walk.h.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_walk.h"

unsigned int yaml_line(const yaml_node_t *node)
{
	return (unsigned int)node->start_mark.line + 1;
}

void yaml_error(struct yaml_walk *walk, unsigned int line, const char *path,
		const char *fmt, ...)
{
	char msg[CONFIG_ERROR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path && *path)
		config_error(walk->errors, walk->file, line, "%s: %s", path,
			     msg);
	else
		config_error(walk->errors, walk->file, line, "%s", msg);
}

static void syntax_error(struct yaml_walk *walk, const yaml_parser_t *parser)
{
	const yaml_mark_t *mark = parser->error == YAML_READER_ERROR ?
				  &parser->mark : &parser->problem_mark;

	yaml_error(walk, (unsigned int)mark->line + 1, NULL,
		   "YAML syntax error: %s",
		   parser->problem ? parser->problem : "unknown problem");
}

/* A second document in the file is an error: which one would be meant? */
static int check_single_document(struct yaml_walk *walk,
				 yaml_parser_t *parser)
{
	yaml_document_t next;
	yaml_node_t *root;
	int ret = 0;

	if (!yaml_parser_load(parser, &next)) {
		syntax_error(walk, parser);
		return -EINVAL;
	}
	root = yaml_document_get_root_node(&next);
	if (root) {
		yaml_error(walk, yaml_line(root), NULL,
			   "a second YAML document; the configuration is one");
		ret = -EINVAL;
	}
	yaml_document_delete(&next);
	return ret;
}

int yaml_walk_load(struct yaml_walk *walk, const char *file,
		   struct config_errors *errors)
{
	yaml_parser_t parser;
	FILE *in;
	int ret = 0;

	memset(walk, 0, sizeof(*walk));
	walk->file = file;
	walk->errors = errors;
	in = fopen(file, "rb");
	if (!in) {
		yaml_error(walk, 0, NULL, "cannot open: %s", strerror(errno));
		return -EINVAL;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(in);
		return -ENOMEM;
	}
	yaml_parser_set_input_file(&parser, in);
	if (!yaml_parser_load(&parser, &walk->doc)) {
		syntax_error(walk, &parser);
		ret = -EINVAL;
	} else {
		walk->loaded = true;
		if (!yaml_document_get_root_node(&walk->doc)) {
			yaml_error(walk, 1, NULL, "the configuration is empty");
			ret = -EINVAL;
		} else {
			ret = check_single_document(walk, &parser);
		}
	}
	yaml_parser_delete(&parser);
	fclose(in);
	return ret;
}

void yaml_walk_free(struct yaml_walk *walk)
{
	if (walk->loaded)
		yaml_document_delete(&walk->doc);
	walk->loaded = false;
}

yaml_node_t *yaml_walk_root(struct yaml_walk *walk)
{
	return walk->loaded ? yaml_document_get_root_node(&walk->doc) : NULL;
}

const char *yaml_path_key(char *buf, size_t size, const char *parent,
			  const char *key)
{
	if (parent && *parent)
		snprintf(buf, size, "%s.%s", parent, key);
	else
		snprintf(buf, size, "%s", key);
	return buf;
}

const char *yaml_path_index(char *buf, size_t size, const char *parent,
			    size_t index)
{
	snprintf(buf, size, "%s[%zu]", parent, index);
	return buf;
}

static const char *node_kind(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a scalar";
	}
}

static const struct yaml_key *find_key(const struct yaml_key *keys,
				       size_t n_keys, const char *key)
{
	size_t i;

	for (i = 0; i < n_keys; i++) {
		if (!strcmp(keys[i].key, key))
			return &keys[i];
	}
	return NULL;
}

/* "a, b, c": the keys a mapping may hold, for the unknown-key error. */
static void key_list(char *buf, size_t size, const struct yaml_key *keys,
		     size_t n_keys)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n_keys && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? ", " : "", keys[i].key);
}

/* A number key's value (struct yaml_key) into its field of spec->size. */
static void walk_number(struct yaml_walk *walk, const char *path,
			yaml_node_t *value, const struct yaml_key *spec,
			void *dest)
{
	uint64_t n;

	/* The schema's own error: bounds its field cannot hold. */
	assert(spec->size == 8 || spec->max >> (8 * spec->size) == 0);
	if (!yaml_uint(walk, path, value, spec->min, spec->max, &n))
		return;
	switch (spec->size) {
	case 1:
		*(uint8_t *)dest = (uint8_t)n;
		break;
	case 2:
		*(uint16_t *)dest = (uint16_t)n;
		break;
	case 4:
		*(uint32_t *)dest = (uint32_t)n;
		break;
	default:
		*(uint64_t *)dest = n;
		break;
	}
}

static void walk_pair(struct yaml_walk *walk, const char *path,
		      yaml_node_pair_t *pair, const struct yaml_key *keys,
		      size_t n_keys, void *base, uint32_t *seen)
{
	yaml_node_t *key = yaml_document_get_node(&walk->doc, pair->key);
	yaml_node_t *value = yaml_document_get_node(&walk->doc, pair->value);
	char child[YAML_PATH_MAX], known[256];
	const struct yaml_key *spec;
	const char *name;
	uint32_t bit;

	if (!key || !value || key->type != YAML_SCALAR_NODE) {
		yaml_error(walk, key ? yaml_line(key) : 0, path,
			   "keys must be plain words");
		return;
	}
	name = (const char *)key->data.scalar.value;
	spec = find_key(keys, n_keys, name);
	if (!spec) {
		key_list(known, sizeof(known), keys, n_keys);
		yaml_error(walk, yaml_line(key), path,
			   "unknown key '%s' (expected one of: %s)", name,
			   known);
		return;
	}
	bit = 1u << (spec - keys);
	if (*seen & bit) {
		yaml_error(walk, yaml_line(key), path, "duplicate key '%s'",
			   name);
		return;
	}
	*seen |= bit;
	yaml_path_key(child, sizeof(child), path, name);
	if (spec->parse)
		spec->parse(walk, child, value, yaml_line(key),
			    (char *)base + spec->offset);
	else
		walk_number(walk, child, value, spec,
			    (char *)base + spec->offset);
}

bool yaml_walk_mapping(struct yaml_walk *walk, const char *path,
		       yaml_node_t *node, unsigned int key_line,
		       const struct yaml_key *keys, size_t n_keys,
		       void *base)
{
	yaml_node_pair_t *pair;
	uint32_t seen = 0;
	size_t i;

	if (node->type != YAML_MAPPING_NODE) {
		yaml_error(walk, yaml_line(node), path,
			   "must be a mapping (key: value lines), not %s",
			   node_kind(node));
		return false;
	}
	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++)
		walk_pair(walk, path, pair, keys, n_keys, base, &seen);
	for (i = 0; i < n_keys; i++) {
		if ((keys[i].flags & YAML_KEY_REQUIRED) &&
		    !(seen & (1u << i)))
			yaml_error(walk, key_line, path, "missing key '%s'",
				   keys[i].key);
	}
	return true;
}

bool yaml_scalar(struct yaml_walk *walk, const char *path, yaml_node_t *node,
		 const char **text)
{
	if (node->type != YAML_SCALAR_NODE) {
		yaml_error(walk, yaml_line(node), path,
			   "must be a single value, not %s", node_kind(node));
		return false;
	}
	*text = (const char *)node->data.scalar.value;
	return true;
}

bool yaml_string(struct yaml_walk *walk, const char *path, yaml_node_t *node,
		 char **out)
{
	const char *text;

	if (!yaml_scalar(walk, path, node, &text))
		return false;
	if (!*text) {
		yaml_error(walk, yaml_line(node), path, "must not be empty");
		return false;
	}
	if (strlen(text) != node->data.scalar.length) {
		yaml_error(walk, yaml_line(node), path,
			   "must not contain a NUL character");
		return false;
	}
	free(*out);
	*out = strdup(text);
	if (!*out) {
		yaml_error(walk, yaml_line(node), path, "out of memory");
		return false;
	}
	return true;
}

static bool all_digits(const char *text)
{
	if (!*text)
		return false;
	for (; *text; text++) {
		if (*text < '0' || *text > '9')
			return false;
	}
	return true;
}

bool yaml_uint(struct yaml_walk *walk, const char *path, yaml_node_t *node,
	       uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long value;
	const char *text;

	if (!yaml_scalar(walk, path, node, &text))
		return false;
	errno = 0;
	value = all_digits(text) ? strtoull(text, NULL, 10) : 0;
	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    !all_digits(text) || errno || value < min || value > max) {
		yaml_error(walk, yaml_line(node), path,
			   "must be an integer from %llu to %llu, not '%s'",
			   (unsigned long long)min, (unsigned long long)max,
			   text);
		return false;
	}
	*out = value;
	return true;
}

bool yaml_enum(struct yaml_walk *walk, const char *path, yaml_node_t *node,
	       const char *const *names, unsigned int *index)
{
	char list[256];
	const char *text;
	size_t len = 0;
	unsigned int i;

	if (!yaml_scalar(walk, path, node, &text))
		return false;
	for (i = 0; names[i]; i++) {
		if (!strcmp(text, names[i])) {
			*index = i;
			return true;
		}
	}
	list[0] = '\0';
	for (i = 0; names[i] && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len,
					"%s%s", i ? ", " : "", names[i]);
	yaml_error(walk, yaml_line(node), path,
		   "must be one of %s, not '%s'", list, text);
	return false;
}

bool yaml_sequence(struct yaml_walk *walk, const char *path,
		   yaml_node_t *node, yaml_node_item_t **items,
		   size_t *count)
{
	if (node->type != YAML_SEQUENCE_NODE) {
		yaml_error(walk, yaml_line(node), path,
			   "must be a list, not %s", node_kind(node));
		return false;
	}
	*items = node->data.sequence.items.start;
	*count = (size_t)(node->data.sequence.items.top -
			  node->data.sequence.items.start);
	return true;
}

yaml_node_t *yaml_item(struct yaml_walk *walk, yaml_node_item_t item)
{
	return yaml_document_get_node(&walk->doc, item);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checking a YAML document against a schema written as C tables, with
 * every error tied to its line: the machinery under config.c.
 *
 * A file is loaded whole with libyaml's document API (one document; a
 * syntax error is reported where libyaml found it). A mapping is walked
 * with a table of the keys it may hold; each key's function parses its
 * value into a field at an offset of the caller's struct, and the walker
 * reports unknown, duplicate and missing keys. Errors go to a struct
 * config_errors as "FILE:LINE: PATH: message", PATH being the dotted path
 * of the key ("tls.ca", "roles.ROLE.listen", "roles.ROLE.nafs[0].name").
 *
 * Scalars are typed by their text, not by YAML tags: an integer is a
 * plain (unquoted) scalar of decimal digits, a string any scalar.
 */
#ifndef E2MD_YAML_WALK_H
#define E2MD_YAML_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "config.h"

#define YAML_PATH_MAX	128

struct yaml_walk {
	const char *file;
	yaml_document_t doc;
	bool loaded;
	struct config_errors *errors;
};

/*
 * Loads file: 0, or -EINVAL with the error in errors (unreadable, syntax,
 * empty, more than one document). Free with yaml_walk_free() either way.
 */
int yaml_walk_load(struct yaml_walk *walk, const char *file,
		   struct config_errors *errors);
void yaml_walk_free(struct yaml_walk *walk);
yaml_node_t *yaml_walk_root(struct yaml_walk *walk);

/* The 1-based line a node starts on. */
unsigned int yaml_line(const yaml_node_t *node);

/* "PATH: message" at line, or "message" when path is empty. */
void __attribute__((format(printf, 4, 5)))
yaml_error(struct yaml_walk *walk, unsigned int line, const char *path,
	   const char *fmt, ...);

/*
 * Parses the value of one key into dest. key_line is the line of the key,
 * where an error about the value as a whole (a missing key in it) goes.
 */
typedef void (*yaml_parse_fn)(struct yaml_walk *walk, const char *path,
			      yaml_node_t *value, unsigned int key_line,
			      void *dest);

#define YAML_KEY_REQUIRED	0x1u

/*
 * A row of a mapping's schema. A key whose value is an unsigned number
 * between two bounds has no parse function of its own: parse NULL, min
 * and max the bounds, size the octets of its field (1, 2, 4 or 8, the
 * field's sizeof, which the bounds must fit), so that each such key is a
 * row, not a function.
 */
struct yaml_key {
	const char *key;
	yaml_parse_fn parse;	/* NULL: a number in [min, max] */
	size_t offset;		/* of dest in the walked struct */
	unsigned int flags;
	uint64_t min, max;
	size_t size;
};

/*
 * Walks the mapping node at path: each key of the table found calls its
 * parse function with base + offset. At most 32 keys in a table. Returns
 * false (and reports it) if node is not a mapping.
 */
bool yaml_walk_mapping(struct yaml_walk *walk, const char *path,
		       yaml_node_t *node, unsigned int key_line,
		       const struct yaml_key *keys, size_t n_keys,
		       void *base);

/* The path of a child, in buf: "parent.key", or "key" at the top. */
const char *yaml_path_key(char *buf, size_t size, const char *parent,
			  const char *key);
const char *yaml_path_index(char *buf, size_t size, const char *parent,
			    size_t index);

/* Typed scalars; each reports its own error and returns false on one. */
bool yaml_scalar(struct yaml_walk *walk, const char *path, yaml_node_t *node,
		 const char **text);
bool yaml_string(struct yaml_walk *walk, const char *path, yaml_node_t *node,
		 char **out);
bool yaml_uint(struct yaml_walk *walk, const char *path, yaml_node_t *node,
	       uint64_t min, uint64_t max, uint64_t *out);
/* One of names (NULL-terminated): its index. */
bool yaml_enum(struct yaml_walk *walk, const char *path, yaml_node_t *node,
	       const char *const *names, unsigned int *index);

/* The items of a sequence node, or false (reported) if it is not one. */
bool yaml_sequence(struct yaml_walk *walk, const char *path,
		   yaml_node_t *node, yaml_node_item_t **items,
		   size_t *count);
yaml_node_t *yaml_item(struct yaml_walk *walk, yaml_node_item_t item);

#endif /* E2MD_YAML_WALK_H */

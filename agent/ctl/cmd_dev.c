// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl dev, show and set, see cmd_dev.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_dev.h"
#include "util/cpu_list.h"
#include "kernel_args.h"
#include "kernel_show.h"

/* ---- show ----------------------------------------------------------------- */

struct dev_list {
	struct e2m_dev *devs;
	size_t count, capacity;
};

static int keep_dev(const struct e2m_dev *dev, void *arg)
{
	struct dev_list *list = arg;

	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 4;
		struct e2m_dev *devs = realloc(list->devs,
					       capacity * sizeof(*devs));

		if (!devs)
			return -ENOMEM;
		list->devs = devs;
		list->capacity = capacity;
	}
	list->devs[list->count++] = *dev;
	return 0;
}

/* Where the flows of one device go while its dump comes in. */
struct flow_sink {
	FILE *text;		/* human output, or */
	json_t *array;		/* JSON */
	struct json_builder *json;
};

static int emit_flow(const struct e2m_flow *flow, void *arg)
{
	struct flow_sink *sink = arg;

	if (sink->text) {
		print_flow(sink->text, "  ", flow);
		return 0;
	}
	jappend(sink->json, sink->array, flow_json(sink->json, flow));
	return sink->json->failed ? -ENOMEM : 0;
}

/*
 * The flows of dev into sink: 0, or the exit status. A device that went
 * away since the device dump (-ENODEV) is left out (*gone) when listing
 * all of them.
 */
static int dump_flows(const char *command, struct genl_conn *conn,
		      const struct e2m_dev *dev, bool named,
		      struct flow_sink *sink, bool *gone)
{
	int ret = e2m_flow_dump(conn, dev->name, emit_flow, sink);

	*gone = ret == -ENODEV && !named;
	if (*gone || !ret)
		return 0;
	if (ret == -ENOMEM)
		return runtime_error(command, "out of memory");
	return kernel_failed(command, conn);
}

/* One device block of text, into out. */
static int show_dev_text(const char *command, struct genl_conn *conn,
			 const struct e2m_dev *dev, bool named, FILE *out)
{
	struct flow_sink sink = { 0 };
	char *block = NULL;
	size_t size = 0;
	bool gone;
	int ret;

	sink.text = open_memstream(&block, &size);
	if (!sink.text)
		return runtime_error(command, "out of memory");
	print_device(sink.text, dev);
	ret = dump_flows(command, conn, dev, named, &sink, &gone);
	if (fclose(sink.text) && !ret)
		ret = runtime_error(command, "out of memory");
	if (!ret && !gone)
		fwrite(block, 1, size, out);
	free(block);
	return ret;
}

static int show_text(const char *command, struct genl_conn *conn,
		     const struct dev_list *list, bool named)
{
	char *text = NULL;
	size_t size = 0, i;
	FILE *out;
	int ret = 0;

	out = open_memstream(&text, &size);
	if (!out)
		return runtime_error(command, "out of memory");
	for (i = 0; i < list->count && !ret; i++) {
		if (i)
			fputc('\n', out);
		ret = show_dev_text(command, conn, &list->devs[i], named, out);
	}
	if (fclose(out) && !ret)
		ret = runtime_error(command, "out of memory");
	if (!ret)
		ret = write_text(command, text, size);
	free(text);
	return ret;
}

static int show_dev_json(const char *command, struct genl_conn *conn,
			 const struct e2m_dev *dev, bool named,
			 struct json_builder *b, json_t *devs)
{
	struct flow_sink sink = { .array = json_array(), .json = b };
	json_t *obj;
	bool gone;
	int ret;

	if (!sink.array)
		return runtime_error(command, "out of memory");
	ret = dump_flows(command, conn, dev, named, &sink, &gone);
	if (ret || gone) {
		json_decref(sink.array);
		return ret;
	}
	obj = device_json(b, dev);
	jset(b, obj, "flows", sink.array);
	jappend(b, devs, obj);
	if (b->failed)
		return runtime_error(command, "out of memory");
	return 0;
}

static int show_json(const char *command, struct genl_conn *conn,
		     const struct dev_list *list, bool named)
{
	struct json_builder b = { false };
	json_t *devs = json_array();
	size_t i;
	int ret = 0;

	if (!devs)
		return runtime_error(command, "out of memory");
	for (i = 0; i < list->count && !ret; i++)
		ret = show_dev_json(command, conn, &list->devs[i], named, &b,
				    devs);
	if (!ret)
		ret = write_json(command, devs);
	json_decref(devs);
	return ret;
}

static int dev_show(const char *command, int argc, char *argv[])
{
	struct dev_list list = { 0 };
	const char *name = NULL;
	struct genl_conn conn;
	bool json = false;
	int i, ret;

	for (i = 0; i < argc; i++) {
		if (arg_is_json(argv[i]))
			json = true;
		else if (argv[i][0] == '-')
			return usage_error(command, "unknown option \"%s\"",
					   argv[i]);
		else if (name)
			return usage_error(command,
					   "unexpected argument \"%s\"",
					   argv[i]);
		else
			name = argv[i];
	}
	if (name && (ret = arg_device(command, name)))
		return ret;
	if ((ret = kernel_connect(command, &conn)))
		return ret;
	ret = e2m_dev_dump(&conn, name, keep_dev, &list);
	if (ret == -ENOMEM)
		ret = runtime_error(command, "out of memory");
	else if (ret)
		ret = kernel_failed(command, &conn);
	if (!ret)
		ret = json ? show_json(command, &conn, &list, name != NULL) :
			     show_text(command, &conn, &list, name != NULL);
	free(list.devs);
	genl_close(&conn);
	return ret;
}

/* ---- set ------------------------------------------------------------------ */

static int parse_role(const char *command, const char *text, uint8_t *role)
{
	if (!strcmp(text, "hse"))
		*role = E2M_ROLE_HSE;
	else if (!strcmp(text, "ue"))
		*role = E2M_ROLE_UE;
	else
		return usage_error(command,
				   "role: expected hse or ue, not \"%s\"", text);
	return 0;
}

/* rx-cpus: a CPU list ("1-3,6"), or off. */
static int parse_rx_cpus(const char *command, const char *text,
			 struct e2m_dev_settings *s)
{
	int ret;

	if (!strcmp(text, "off")) {	/* one word, every bit clear */
		s->rx_cpus[0] = 0;
		s->rx_cpus_words = 1;
		return 0;
	}
	ret = cpu_list_parse(text, s->rx_cpus,
			     sizeof(s->rx_cpus) / sizeof(s->rx_cpus[0]),
			     &s->rx_cpus_words);
	if (ret == -ERANGE)
		return usage_error(command, "rx-cpus: a CPU above %zu in \"%s\"",
				   sizeof(s->rx_cpus) * 8 - 1, text);
	if (ret)
		return usage_error(command,
				   "rx-cpus: expected a CPU list (e.g. 1-3,6) or off, not \"%s\"",
				   text);
	return 0;
}

/* One "keyword value" of dev set. */
static int parse_setting(const char *command, const char *key,
			 const char *val, struct e2m_dev_settings *s)
{
	uint32_t value = 0;
	int ret;

	if (!strcmp(key, "role")) {
		ret = arg_once(command, key, &s->has_role);
		return ret ? ret : parse_role(command, val, &s->role);
	}
	if (!strcmp(key, "port")) {
		ret = arg_once(command, key, &s->has_port);
		if (!ret)
			ret = arg_u32(command, key, val, 1, UINT16_MAX, &value);
		s->port = (uint16_t)value;
		return ret;
	}
	if (!strcmp(key, "replay-window")) {
		ret = arg_once(command, key, &s->has_window);
		return ret ? ret : arg_u32(command, key, val, 0, UINT32_MAX,
					   &s->window);
	}
	if (!strcmp(key, "count-notify")) {
		ret = arg_once(command, key, &s->has_notify);
		return ret ? ret : arg_u32(command, key, val, 0, UINT32_MAX,
					   &s->notify);
	}
	if (!strcmp(key, "rx-cpus")) {
		ret = arg_once(command, key, &s->has_rx_cpus);
		return ret ? ret : parse_rx_cpus(command, val, s);
	}
	if (!strcmp(key, "count-limit")) {
		ret = arg_once(command, key, &s->has_limit);
		return ret ? ret : arg_u32(command, key, val, 0, UINT32_MAX,
					   &s->limit);
	}
	return usage_error(command, "unknown keyword \"%s\"", key);
}

static int dev_set(const char *command, int argc, char *argv[])
{
	struct e2m_dev_settings s = { 0 };
	struct genl_conn conn;
	const char *val;
	int i, ret;

	if ((ret = arg_device(command, argc ? argv[0] : NULL)))
		return ret;
	for (i = 1; i < argc; i++) {
		const char *key = argv[i];

		if (!(val = arg_value(command, argc, argv, &i)))
			return EXIT_USAGE;
		if ((ret = parse_setting(command, key, val, &s)))
			return ret;
	}
	if (!s.has_role && !s.has_port && !s.has_window && !s.has_notify &&
	    !s.has_limit && !s.has_rx_cpus)
		return usage_error(command, "nothing to set");
	if ((ret = kernel_connect(command, &conn)))
		return ret;
	if (e2m_dev_set(&conn, argv[0], &s))
		ret = kernel_failed(command, &conn);
	genl_close(&conn);
	return ret;
}

/* ---- the object ----------------------------------------------------------- */

int cmd_dev(int argc, char *argv[])
{
	const char *sub = argc ? argv[0] : "";

	if (!strcmp(sub, "show"))
		return dev_show("dev show", argc - 1, argv + 1);
	if (!strcmp(sub, "set"))
		return dev_set("dev set", argc - 1, argv + 1);
	if (!argc)
		return usage_error("dev", "expected show or set");
	return usage_error("dev", "unknown sub-command \"%s\" (show, set)",
			   sub);
}

int cmd_show(int argc, char *argv[])
{
	return dev_show("show", argc, argv);
}

int cmd_set(int argc, char *argv[])
{
	return dev_set("set", argc, argv);
}

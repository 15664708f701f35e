// SPDX-License-Identifier: GPL-2.0
/*
 * e2mctl monitor, see cmd_monitor.h.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd_monitor.h"
#include "kernel_args.h"

static const char *event_reason_name(uint8_t reason, char *buf, size_t size)
{
	const char *name = e2m_event_reason_name(reason);

	if (name)
		return name;
	snprintf(buf, size, "%u", reason);
	return buf;
}

struct monitor {
	unsigned long limit;	/* 0: no limit */
	unsigned long printed;
	bool write_failed;
};

static void print_event(const struct e2m_key_event *ev)
{
	char name[IF_NAMESIZE], reason[8];
	const char *kind = ev->cmd == E2M_CMD_EVENT_KEY ? "key" : "no-key";

	if (!if_indextoname(ev->ifindex, name))
		snprintf(name, sizeof(name), "-");
	printf("event %s dev %s ifindex %u teid %u", kind, name, ev->ifindex,
	       ev->teid);
	if (ev->has_key_id)
		printf(" key-id %u", ev->key_id);
	if (ev->has_serial)
		printf(" serial %d", ev->serial);
	if (ev->reason)
		printf(" reason %s", event_reason_name(ev->reason, reason,
						       sizeof(reason)));
}

static int take_event(struct genl_conn *conn, uint8_t cmd, struct nlattr **tb,
		      void *arg)
{
	struct monitor *mon = arg;
	struct e2m_key_event ev;

	if (mon->limit && mon->printed >= mon->limit)
		return 0;
	if (cmd != E2M_CMD_EVENT_KEY && cmd != E2M_CMD_EVENT_NO_KEY)
		return 0;
	/* One malformed event is worth a word, not the end of the watch. */
	if (e2m_key_event_parse(conn, cmd, tb, &ev)) {
		report(0, "monitor", "%s", conn->error);
		return 0;
	}
	print_event(&ev);
	/* Whoever reads us through a pipe or a file sees each event at once. */
	if (putchar('\n') == EOF || fflush(stdout))
		mon->write_failed = true;
	mon->printed++;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_monitor_args(const char *command, int argc, char *argv[],
			      struct monitor *mon, long *timeout_s)
{
	struct keyword k[] = { { .name = "count" }, { .name = "timeout" } };
	unsigned long value;
	bool dashed;
	int ret;

	*timeout_s = -1;
	ret = arg_keywords(command, k, 2, argc, argv, true, &dashed);
	if (!ret && k[0].value) {
		ret = arg_number(command, dashed ? "--count" : "count",
				 k[0].value, 1, ULONG_MAX, &value);
		mon->limit = value;
	}
	if (!ret && k[1].value) {
		/* poll() counts milliseconds in an int. */
		ret = arg_number(command, dashed ? "--timeout" : "timeout",
				 k[1].value, 0, INT32_MAX / 1000, &value);
		*timeout_s = (long)value;
	}
	return ret;
}

/* Prints events until mon's limit or the deadline; the exit status. */
static int watch(const char *command, struct genl_conn *conn,
		 struct monitor *mon, long timeout_s)
{
	int64_t deadline = timeout_s >= 0 ? now_ms() + timeout_s * 1000 : 0;
	int ret;

	while (!mon->limit || mon->printed < mon->limit) {
		int wait = -1;

		if (timeout_s >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				break;
			wait = (int)left;
		}
		ret = genl_wait_events(conn, wait, take_event, mon);
		if (mon->write_failed)
			return runtime_error(command,
					     "cannot write the output: %s",
					     strerror(errno));
		/* Lost events are worth a word, not the end of the watch. */
		if (ret == -ENOBUFS) {
			report(0, command, "%s", conn->error);
			continue;
		}
		if (ret < 0)
			return kernel_failed(command, conn);
	}
	return 0;
}

int cmd_monitor(int argc, char *argv[])
{
	const char *command = "monitor";
	struct monitor mon = { 0 };
	struct genl_conn conn;
	long timeout_s;
	int ret;

	if ((ret = parse_monitor_args(command, argc, argv, &mon, &timeout_s)))
		return ret;
	if ((ret = kernel_connect(command, &conn)))
		return ret;
	if (genl_subscribe_events(&conn) < 0)
		ret = kernel_failed(command, &conn);
	else
		ret = watch(command, &conn, &mon, timeout_s);
	genl_close(&conn);
	return ret;
}

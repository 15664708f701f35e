// SPDX-License-Identifier: GPL-2.0
/*
 * A listener's cap and whole-request deadline (net/http_conns.c through
 * http_server.c), on loopback with raw sockets in one event loop: a
 * client trickling a request a byte at a time is cut at the deadline, not
 * after it; an answer restarts the clock of a kept-alive connection; at
 * the cap the oldest idle connection makes room for a newcomer, and when
 * every slot is in a handler's hands the newcomer gets a 503 and EOF; the
 * counts are exact and logged in one rate-limited line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "net/http_server.h"
#include "daemon/log.h"
#include "util/mono_clock.h"
#include "tap.h"

#define MAX_CONNS	4
#define DEADLINE_S	1
#define HELD_MAX	8

static struct event_base *base;
static struct http_server *server;
static struct sockaddr_in server_addr;
static struct http_exchange *held[HELD_MAX];
static size_t n_held;

static void __attribute__((noreturn, format(printf, 1, 2)))
bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(1);
}

static void run_for(int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static void answer_ok(struct http_exchange *ex, void *arg)
{
	(void)arg;
	http_reply(ex, 200, "text/plain", "ok", 2);
}

static void hold(struct http_exchange *ex, void *arg)
{
	(void)arg;
	if (n_held == HELD_MAX)
		bail("too many held");
	held[n_held++] = ex;
}

static void answer_held(void)
{
	while (n_held)
		http_reply(held[--n_held], 200, "text/plain", "late", 4);
}

static int client(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&server_addr,
			      sizeof(server_addr)))
		bail("connect: %s", strerror(errno));
	if (fcntl(fd, F_SETFL, O_NONBLOCK))
		bail("O_NONBLOCK");
	return fd;
}

static void say(int fd, const char *text)
{
	if (send(fd, text, strlen(text), MSG_NOSIGNAL) != (ssize_t)strlen(text))
		bail("send: %s", strerror(errno));
}

/*
 * What came on fd so far, appended to got (NUL-terminated); whether the
 * server closed it (EOF or reset).
 */
static bool closed_by_server(int fd, char *got, size_t size)
{
	size_t len = got ? strlen(got) : 0;
	char buf[512];
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return true;
		if (n < 0)
			return false;
		if (got && len + (size_t)n < size) {
			memcpy(got + len, buf, (size_t)n);
			len += (size_t)n;
			got[len] = '\0';
		}
	}
}

static struct http_conns_stats stats(void)
{
	struct http_conns_stats s;

	http_server_connections(server, &s);
	return s;
}

static void start(void)
{
	static const struct config_listeners limits = {
		.max_connections = MAX_CONNS,
		.request_deadline = DEADLINE_S,
	};
	struct http_server_conf conf = {
		.role = "test", .name = "conns", .limits = &limits,
	};
	static struct config_listen listen;
	char why[256];
	const char *address, *colon;

	conf.listen = &listen;
	if (config_parse_listen("127.0.0.1:0", &listen) ||
	    http_server_new(&server, base, &conf, why, sizeof(why)) ||
	    http_server_route(server, "/ok", EVHTTP_REQ_GET, answer_ok, NULL) ||
	    http_server_route(server, "/hold", EVHTTP_REQ_GET, hold, NULL))
		bail("http_server_new: %s", why);
	address = http_server_address(server);
	colon = strrchr(address, ':');
	server_addr.sin_family = AF_INET;
	server_addr.sin_port = htons((uint16_t)atoi(colon + 1));
	inet_pton(AF_INET, "127.0.0.1", &server_addr.sin_addr);
}

/* One byte every 100 ms: evhttp's idle timer never fires, the deadline does. */
static void test_slowloris(void)
{
	static const char request[] =
		"GET /ok HTTP/1.1\r\nHost: a\r\nX-Slow: 0123456789abcdef\r\n";
	uint64_t began = mono_clock_ms(), lasted = 0;
	size_t sent = 0;
	int fd = client();
	bool cut = false;

	while (!cut && sent < sizeof(request) - 1) {
		char one[2] = { request[sent++], '\0' };

		say(fd, one);
		run_for(100);
		cut = closed_by_server(fd, NULL, 0);
	}
	lasted = mono_clock_ms() - began;
	ok(cut && lasted >= DEADLINE_S * 1000 &&
	   lasted < DEADLINE_S * 1000 + 400,
	   "slowloris: a byte every 100 ms is cut at the %d s deadline (%llu ms, %zu bytes sent)",
	   DEADLINE_S, (unsigned long long)lasted, sent);
	ok(stats().cut == 1 && stats().open == 0,
	   "slowloris: counted as cut (1), no connection left open");
	close(fd);
}

/* An answer restarts a kept-alive connection's clock. */
static void test_clock_restarts(void)
{
	char got[2048] = "";
	int fd = client();
	int i;
	bool cut = false;

	for (i = 0; i < 3 && !cut; i++) {
		run_for(600);
		say(fd, "GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
		run_for(50);
		cut = closed_by_server(fd, got, sizeof(got));
	}
	ok(!cut && strstr(got, "HTTP/1.1 200 OK") &&
	   strstr(got + 1, "HTTP/1.1 200 OK") &&
	   stats().cut == 1 && stats().open == 1,
	   "keep-alive: three requests 600 ms apart on one connection (1.9 s) all answered");
	run_for(DEADLINE_S * 1000 + 200);
	ok(closed_by_server(fd, NULL, 0) && stats().cut == 2 &&
	   stats().open == 0,
	   "keep-alive: idle past the deadline after its last answer, cut");
	close(fd);
}

/* At the cap, the oldest idle connection goes for the newcomer. */
static void test_eviction(void)
{
	int fds[MAX_CONNS + 1], i;
	char got[1024] = "";
	bool first_closed, others_open = true;

	for (i = 0; i < MAX_CONNS; i++) {
		fds[i] = client();
		run_for(20);
	}
	ok(stats().open == MAX_CONNS && stats().evicted == 0,
	   "cap: %d idle connections open", MAX_CONNS);
	fds[MAX_CONNS] = client();
	say(fds[MAX_CONNS], "GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
	run_for(50);
	first_closed = closed_by_server(fds[0], NULL, 0);
	for (i = 1; i < MAX_CONNS; i++)
		others_open &= !closed_by_server(fds[i], NULL, 0);
	closed_by_server(fds[MAX_CONNS], got, sizeof(got));
	ok(first_closed && others_open && strstr(got, "HTTP/1.1 200 OK") &&
	   stats().evicted == 1 && stats().refused == 0 &&
	   stats().open == MAX_CONNS,
	   "cap: a newcomer closes the oldest idle connection and is served");
	for (i = 0; i <= MAX_CONNS; i++)
		close(fds[i]);
	run_for(50);
	ok(stats().open == 0, "cap: the slots are free once the clients leave");
}

/* Every slot in a handler's hands: the newcomer is refused with a 503. */
static void test_refusal(void)
{
	int fds[MAX_CONNS], fd, i;
	char got[1024] = "";
	bool refused;

	for (i = 0; i < MAX_CONNS; i++) {
		fds[i] = client();
		say(fds[i], "GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
	}
	run_for(50);
	fd = client();
	run_for(50);
	refused = closed_by_server(fd, got, sizeof(got));
	ok(n_held == MAX_CONNS && refused &&
	   !strcmp(got, "HTTP/1.1 503 Service Unavailable\r\n"
		   "Content-Type: application/json\r\n"
		   "Content-Length: 63\r\n"
		   "Connection: close\r\n\r\n"
		   "{\"error\":\"service-unavailable\",\"detail\":\"too many connections\"}") &&
	   stats().refused == 1 && stats().open == MAX_CONNS,
	   "cap, every slot busy: the newcomer gets 503 and EOF, counted as refused");
	run_for(DEADLINE_S * 1000 + 200);
	ok(stats().cut == 2 && stats().open == MAX_CONNS,
	   "a connection in a handler's hands is not cut at the deadline");
	answer_held();
	run_for(50);
	for (i = 0; i < MAX_CONNS; i++) {
		got[0] = '\0';
		closed_by_server(fds[i], got, sizeof(got));
		if (!strstr(got, "HTTP/1.1 200 OK"))
			break;
	}
	ok(i == MAX_CONNS, "the held requests are answered after all");
	for (i = 0; i < MAX_CONNS; i++)
		close(fds[i]);
	close(fd);
	run_for(50);
	ok(stats().open == 0 && stats().accepted == 11,
	   "all slots free again; 11 connections accepted in all, the refused one not (%llu)",
	   stats().accepted);
}

static void flood(void)
{
	int fds[3 * MAX_CONNS], i;

	for (i = 0; i < 3 * MAX_CONNS; i++) {
		fds[i] = client();
		run_for(5);
	}
	run_for(50);
	ok(stats().evicted == 1 + 2 * MAX_CONNS && stats().open == MAX_CONNS,
	   "a flood of %d idle connections: %d evicted, %d open",
	   3 * MAX_CONNS, 2 * MAX_CONNS, MAX_CONNS);
	for (i = 0; i < 3 * MAX_CONNS; i++)
		close(fds[i]);
	run_for(50);
}

/* The log's lines without their "e2md[PID]: ", in place. */
static char *without_prefixes(char *log)
{
	char *in = log, *out = log, *after, *end;

	while (*in) {
		after = strstr(in, "]: ");
		end = strchr(in, '\n');
		if (!strncmp(in, "e2md[", 5) && after && (!end || after < end))
			in = after + 3;
		while (*in && *in != '\n')
			*out++ = *in++;
		if (*in)
			*out++ = *in++;
	}
	*out = '\0';
	return log;
}

/* More than the cap accepted in one turn of the loop: the oldest go. */
static void burst(void)
{
	int fds[3 * MAX_CONNS], i, closed = 0, oldest = 0;

	for (i = 0; i < 3 * MAX_CONNS; i++)
		fds[i] = client();
	run_for(50);
	for (i = 0; i < 3 * MAX_CONNS; i++) {
		bool gone = closed_by_server(fds[i], NULL, 0);

		closed += gone;
		oldest += gone && i < 2 * MAX_CONNS;
	}
	ok(closed == 2 * MAX_CONNS && oldest == 2 * MAX_CONNS &&
	   stats().evicted == 1 + 4 * MAX_CONNS && stats().refused == 1 &&
	   stats().open == MAX_CONNS,
	   "a burst of %d accepted in one turn: the %d oldest evicted, none refused",
	   3 * MAX_CONNS, 2 * MAX_CONNS);
	for (i = 0; i < 3 * MAX_CONNS; i++)
		close(fds[i]);
	run_for(50);
}

/* What stderr got since it was sent to tmp. */
static void read_log(FILE *tmp, char *out, size_t size)
{
	size_t n;

	fflush(stderr);
	rewind(tmp);
	n = fread(out, 1, size - 1, tmp);
	out[n] = '\0';
}

int main(void)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	char log[4096];

	if (!tmp || saved < 0 || dup2(fileno(tmp), STDERR_FILENO) < 0)
		bail("stderr to a file");
	base = event_base_new();
	if (!base)
		bail("event_base_new");
	start();
	test_slowloris();
	test_clock_restarts();
	test_eviction();
	test_refusal();
	flood();
	burst();
	http_server_free(server);
	dup2(saved, STDERR_FILENO);
	close(saved);
	read_log(tmp, log, sizeof(log));
	fclose(tmp);
	ok(!strcmp(without_prefixes(log),
		   "level=warning role=test event=connections-limited listener=conns refused=0 evicted=0 cut=1 open=0 max=4 period-ms=10000\n"
		   "level=warning role=test event=connections-limited listener=conns refused=1 evicted=17 cut=1 open=0 max=4 period-ms=10000\n"),
	   "logged: the first cut at once, the rest of the period in one line when the server goes:\n%s",
	   log);
	event_base_free(base);
	return done_testing();
}

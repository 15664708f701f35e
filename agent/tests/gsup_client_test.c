// SPDX-License-Identifier: GPL-2.0
/*
 * proto/gsup/gsup_client.c against a scripted HLR in a thread: the
 * identity exchange and the octets of a request, a vector answered, an
 * answer for another IMSI dropped, the bounded wait, PING, the
 * connection closed with a call sent, the backoff's fast failure, and the
 * reconnect.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "proto/gsup/gsup_client.h"
#include "proto/gsup/ipa.h"
#include "tap.h"

#define BCD1	"00010100000000f1"	/* 001010000000001 */
#define BCD2	"00010100000000f2"
#define BCD3	"00010100000000f3"
#define TUPLE	"0362" "2010" "23553cbe9637a89d218ae64dae47bf35" \
		"210446f8416a" "22089a9c2a3f4e5d6c7b" \
		"2310f769bcd751044604127672711c6d3441" \
		"2410b40ba9a3c58b2a05bbf0d987b21bf8cb" \
		"251055f328b43577b9b94a9ffac354dfafb3" "2708a54211d5e3ba50bf"

/* What the client sends: its identity, a request for an IMSI. */
#define ID_RESP	"0022fe05" "000a00" "6273662e7465737400" \
		"000a01" "6273662e7465737400" "000708" "302f302f3000"
#define REQ(bcd) "000fee05" "080108" bcd "520101"

static int listener;
static char server_log[1024];	/* what the server saw, checked at the end */

static void send_hex(int fd, const char *hex)
{
	uint8_t buf[512];
	size_t n = unhex(buf, sizeof(buf), hex);

	if (write(fd, buf, n) != (ssize_t)n)
		exit(2);
}

static void send_gsup(int fd, const char *hex)
{
	uint8_t buf[512], head[4];
	size_t n = unhex(buf, sizeof(buf), hex);

	ipa_gsup_header(head, n);
	if (write(fd, head, 4) != 4 || write(fd, buf, n) != (ssize_t)n)
		exit(2);
}

/* One frame, appended to server_log in hex; false at EOF. */
static bool read_frame(int fd)
{
	uint8_t buf[IPA_HEADER_LEN + 512];
	char hex[2 * sizeof(buf) + 2];
	size_t len, got = 0;
	ssize_t r;

	while (got < IPA_HEADER_LEN) {
		r = read(fd, buf + got, IPA_HEADER_LEN - got);
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	len = IPA_HEADER_LEN + ((size_t)buf[0] << 8 | buf[1]);
	while (got < len && len <= sizeof(buf)) {
		r = read(fd, buf + got, len - got);
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	hex_encode(hex, buf, len);
	strcat(hex, " ");
	strncat(server_log, hex, sizeof(server_log) - strlen(server_log) - 1);
	return true;
}

static int accept_and_identify(void)
{
	int fd = accept(listener, NULL, NULL);

	if (fd < 0)
		exit(2);
	send_hex(fd, "0011fe0401080107010201030104010501010100");
	read_frame(fd);			/* ID_RESP */
	return fd;
}

static void *hlr(void *arg)
{
	int fd = accept_and_identify();

	(void)arg;
	read_frame(fd);			/* request A */
	send_gsup(fd, "0a" "0108" BCD1 TUPLE);
	read_frame(fd);			/* request B: never answered */
	send_gsup(fd, "0a" "0108" BCD3 TUPLE);	/* no call for it */
	send_hex(fd, "0001fe00");	/* PING */
	read_frame(fd);			/* PONG */
	read_frame(fd);			/* request C */
	close(fd);			/* C is lost */
	fd = accept_and_identify();
	read_frame(fd);			/* request E */
	send_gsup(fd, "09" "0108" BCD1 "020102");
	while (read_frame(fd))
		;
	close(fd);
	return NULL;
}

struct outcome {
	bool done;
	uint8_t type;
	uint8_t cause;
	bool has_vector;
	char why[128];
};

static struct event_base *base;

static void done(const struct gsup_message *m, const char *why, void *arg)
{
	struct outcome *o = arg;

	o->done = true;
	if (m) {
		o->type = m->type;
		o->cause = m->cause;
		o->has_vector = m->has_vector;
	}
	snprintf(o->why, sizeof(o->why), "%s", why);
	event_base_loopbreak(base);
}

static void run_until(struct outcome *o)
{
	while (!o->done)
		event_base_loop(base, EVLOOP_ONCE);
}

static struct gsup_call *ask(struct gsup_client *c, const char *imsi,
			     struct outcome *o)
{
	struct gsup_sai_request req;

	memset(&req, 0, sizeof(req));
	strcpy(req.imsi, imsi);
	memset(o, 0, sizeof(*o));
	return gsup_client_send_auth_info(c, &req, done, o);
}

int main(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sin_len = sizeof(sin);
	struct outcome a, b, c, d, e;
	struct gsup_client *client;
	pthread_t thread;
	uint64_t t0;

	alarm(30);		/* a broken client fails, never hangs */
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(listener, 4) ||
	    getsockname(listener, (struct sockaddr *)&sin, &sin_len) ||
	    pthread_create(&thread, NULL, hlr, NULL))
		return 2;
	base = event_base_new();
	ok(gsup_client_new(&client, base, "hlr.test", 4222, "bsf.test", 1) ==
	   -EINVAL, "new: a DNS name is not an address");
	ok(!gsup_client_new(&client, base, "127.0.0.1", ntohs(sin.sin_port),
			    "bsf.test", 1), "new: a client of 127.0.0.1");

	ok(ask(client, "001010000000001", &a) != NULL,
	   "a call made while connecting waits");
	run_until(&a);
	ok(a.type == GSUP_MSGT_SAI_RESULT && a.has_vector && !a.why[0],
	   "it is sent once identified, and answered with a vector");
	ok(gsup_client_ready(client), "the client is ready");

	t0 = (uint64_t)time(NULL);
	ask(client, "001010000000002", &b);
	run_until(&b);
	ok(!strcmp(b.why, "no answer from the HLR within 1 s") &&
	   (uint64_t)time(NULL) - t0 <= 2,
	   "an answer for another IMSI is no answer: the call ends after 1 s");

	ask(client, "001010000000001", &c);
	run_until(&c);
	ok(!strcmp(c.why, "the HLR closed the connection"),
	   "the connection closed with the call sent: it ends at once (%s)",
	   c.why);
	ok(ask(client, "001010000000001", &d) != NULL, "a call during the backoff");
	run_until(&d);
	ok(!strcmp(d.why, "the HLR is not connected"),
	   "fails at once, from the loop (%s)", d.why);

	/* The backoff is 250 ms; wait for the reconnection. */
	while (!gsup_client_ready(client))
		event_base_loop(base, EVLOOP_ONCE);
	ok(1, "the client connects again by itself");
	ask(client, "001010000000001", &e);
	run_until(&e);
	ok(e.type == GSUP_MSGT_SAI_ERROR && e.cause == 2 && !e.has_vector,
	   "an error answer reaches the call, cause 2");

	ok(ask(client, "0010", &e) == NULL, "an invalid IMSI makes no call");
	ask(client, "001010000000002", &e);
	gsup_client_free(client);	/* cancels it: done never runs */
	ok(!e.done, "free cancels the calls without calling done");
	/* libevent closes a freed bufferevent's socket from the loop. */
	event_base_loop(base, EVLOOP_NONBLOCK);
	pthread_join(thread, NULL);
	ok(!strcmp(server_log, ID_RESP " " REQ(BCD1) " " REQ(BCD2) " "
		   "0001fe01 " REQ(BCD1) " " ID_RESP " " REQ(BCD1) " "),
	   "the HLR saw: ID_RESP, A, B, PONG, C, ID_RESP again, E");
	printf("# %s\n", server_log);
	event_base_free(base);
	close(listener);
	return done_testing();
}

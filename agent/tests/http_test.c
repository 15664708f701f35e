// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's TLS and HTTP plumbing (daemon/tls.c, http_server.c,
 * https_client.c) on loopback, in one event loop: a server with mutual
 * TLS and an https_client talking to it, with certificates made here.
 * Loading errors name the file at fault; the server sees the client's
 * certificate names; answers come back exactly, at once or later; a
 * client from another CA, a server that does not carry the host name, a
 * closed port and a silent server all fail the way https_client.h says;
 * a reload keeps serving; a stopped server is idle and refuses.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "net/http_server.h"
#include "net/https_client.h"
#include "daemon/log.h"
#include "net/tls.h"
#include "tls_fixture.h"

#define PATHS_MAX	64

static struct event_base *base;
static int waiting;			/* answers still expected */
static char paths[PATHS_MAX][SCRATCH_PATH_MAX];
static size_t n_paths;

struct result {
	bool got;
	int error;
	int status;
	char content_type[64];
	char body[1024];
	char why[128];
	char header[128];	/* X-Echo of the answer */
	size_t n_header;	/* how many X-Echo came */
};

static const char *keep_path(const char *name)
{
	if (n_paths == PATHS_MAX)
		bail("too many paths");
	snprintf(paths[n_paths], SCRATCH_PATH_MAX, "%s", scratch_path(name));
	return paths[n_paths++];
}

static struct config_tls tls_conf(const char *cert, const char *key,
				  const char *ca)
{
	struct config_tls conf = { .present = true };

	conf.certificate.path = (char *)keep_path(cert);
	conf.private_key.path = (char *)keep_path(key);
	conf.ca.path = (char *)keep_path(ca);
	return conf;
}

static void got_answer(const struct https_response *r, void *arg)
{
	struct result *res = arg;

	res->got = true;
	res->error = r->error;
	res->status = r->status;
	snprintf(res->why, sizeof(res->why), "%s", r->why);
	snprintf(res->content_type, sizeof(res->content_type), "%s",
		 r->content_type ? r->content_type : "");
	snprintf(res->body, sizeof(res->body), "%.*s", (int)r->body_len,
		 r->body);
	if (!r->error) {
		const char *value;

		res->n_header = https_response_header(r, "x-echo", &value);
		snprintf(res->header, sizeof(res->header), "%s",
			 value ? value : "");
	}
	if (--waiting == 0)
		event_base_loopbreak(base);
}

static void too_slow(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	bail("the event loop waited 10 s for an answer");
}

/* Runs the loop until n answers came. */
static void run_until(int n)
{
	struct timeval limit = { 10, 0 };
	struct event *timer = evtimer_new(base, too_slow, NULL);

	waiting = n;
	evtimer_add(timer, &limit);
	event_base_dispatch(base);
	event_free(timer);
}

/* Runs the loop for ms milliseconds. */
static void run_for(int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/* ---- the server's routes -------------------------------------------- */

static void echo(struct http_exchange *ex, void *arg)
{
	const struct tls_peer *peer = http_exchange_peer(ex);
	char answer[1024];
	const char *body;
	size_t len;

	(void)arg;
	body = http_exchange_body(ex, &len);
	snprintf(answer, sizeof(answer), "peer=%s cn=%s json=%d body=%s",
		 peer ? tls_peer_name(peer) : "-", peer ? peer->cn : "-",
		 http_exchange_content_type_is(ex, "application/json"),
		 body ? body : "?");
	http_reply(ex, 200, "text/plain", answer, strlen(answer));
}

/* Plain HTTP: the request's X-Test back in two X-Echo headers, no body. */
static void echo_header(struct http_exchange *ex, void *arg)
{
	const char *value = http_exchange_header(ex, "X-Test");
	char first[256];

	(void)arg;
	snprintf(first, sizeof(first), "%s %s %s", http_exchange_method(ex),
		 value ? value : "-", http_exchange_peer(ex) ? "tls" : "plain");
	http_exchange_add_header(ex, "X-Echo", first);
	http_exchange_add_header(ex, "X-Echo", "second");
	http_reply(ex, 401, NULL, NULL, 0);
}

/* The client's address and port: which connection a call came on. */
static void whoami(struct http_exchange *ex, void *arg)
{
	const char *remote = http_exchange_remote(ex);

	(void)arg;
	http_reply(ex, 200, "text/plain", remote, strlen(remote));
}

static struct http_exchange *held;	/* answered later */

static void answer_held(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	http_reply(held, 202, "text/plain", "later", 5);
	held = NULL;
}

static void later(struct http_exchange *ex, void *arg)
{
	struct timeval tv = { 0, 50000 };

	(void)arg;
	held = ex;
	event_base_once(base, -1, EV_TIMEOUT, answer_held, NULL, &tv);
}

static void never(struct http_exchange *ex, void *arg)
{
	(void)arg;
	held = ex;	/* answered by the test, after the client gave up */
}

/* ---- the tests -------------------------------------------------------- */

static void test_loading(void)
{
	struct config_tls conf = tls_conf("server.pem", "server.key", "ca.pem");
	struct config_tls missing = tls_conf("nothing.pem", "server.key",
					     "ca.pem");
	struct config_tls mismatch = tls_conf("server.pem", "client.key",
					      "ca.pem");
	struct config_tls bad_ca = tls_conf("server.pem", "server.key",
					    "garbage.pem");
	enum tls_file file = TLS_FILE_NONE;
	char why[256], expected[512];
	struct tls *tls = NULL;
	int ret;

	ret = tls_new(&tls, &conf, &file, why, sizeof(why));
	ok(ret == 0 && tls, "tls: a good certificate, key and CA load");
	tls_free(tls);

	ret = tls_new(&tls, &missing, &file, why, sizeof(why));
	snprintf(expected, sizeof(expected), "%s: No such file or directory",
		 missing.certificate.path);
	ok(ret == -ENOENT && !tls && file == TLS_FILE_CERTIFICATE &&
	   !strcmp(why, expected), "tls: a missing certificate: %s", why);
	ret = tls_new(&tls, &mismatch, &file, why, sizeof(why));
	snprintf(expected, sizeof(expected),
		 "%s: does not match the certificate",
		 mismatch.private_key.path);
	ok(ret == -EINVAL && file == TLS_FILE_PRIVATE_KEY &&
	   !strncmp(why, expected, strlen(expected)),
	   "tls: another key than the certificate's: %s", why);
	ret = tls_new(&tls, &bad_ca, &file, why, sizeof(why));
	snprintf(expected, sizeof(expected), "%s: no PEM CA certificate in it",
		 bad_ca.ca.path);
	ok(ret == -EINVAL && file == TLS_FILE_CA &&
	   !strncmp(why, expected, strlen(expected)),
	   "tls: a CA file without a certificate: %s", why);
	ok(!strcmp(tls_file_key(TLS_FILE_PRIVATE_KEY), "private-key"),
	   "tls: the private key's config key");
}

struct fixture {
	struct tls *server_tls, *client_tls, *rogue_tls;
	struct http_server *server;
	struct http_server *elsewhere;	/* on 127.0.0.2, not in the cert */
	struct config_listen listen, listen2;
	struct config_url url, wrong_url, closed_url;
	struct https_client *client, *rogue, *wrong_host, *closed;
};

static struct tls *load(const char *cert, const char *key, const char *ca)
{
	struct config_tls conf = tls_conf(cert, key, ca);
	char why[256];
	struct tls *tls;

	if (tls_new(&tls, &conf, NULL, why, sizeof(why))) {
		printf("# %s\n", why);
		bail("tls_new");
	}
	return tls;
}

static void start(struct fixture *f)
{
	struct http_server_conf conf = {
		.role = "test", .name = "api", .listen = &f->listen,
		.max_body = 1024, .timeout = 5,
	};
	char why[256];

	f->server_tls = load("server.pem", "server.key", "ca.pem");
	f->client_tls = load("client.pem", "client.key", "ca.pem");
	f->rogue_tls = load("rogue.pem", "rogue.key", "ca.pem");
	conf.tls = f->server_tls;
	if (config_parse_listen("127.0.0.1:0", &f->listen) ||
	    http_server_new(&f->server, base, &conf, why, sizeof(why)) ||
	    http_server_route(f->server, "/echo", EVHTTP_REQ_POST, echo,
			      NULL) ||
	    http_server_route(f->server, "/later", EVHTTP_REQ_POST, later,
			      NULL) ||
	    http_server_route(f->server, "/never", EVHTTP_REQ_POST, never,
			      NULL) ||
	    http_server_route(f->server, "/whoami", EVHTTP_REQ_POST, whoami,
			      NULL))
		bail("http_server_new");
	conf.listen = &f->listen2;
	if (config_parse_listen("127.0.0.2:0", &f->listen2) ||
	    http_server_new(&f->elsewhere, base, &conf, why, sizeof(why)) ||
	    http_server_route(f->elsewhere, "/echo", EVHTTP_REQ_POST, echo,
			      NULL))
		bail("http_server_new on 127.0.0.2");
	ok(http_server_route(f->server, "/echo", EVHTTP_REQ_GET, echo,
			     NULL) == -EEXIST, "server: a path routed twice");
	ok(strncmp(http_server_address(f->server), "127.0.0.1:", 10) == 0 &&
	   strcmp(http_server_address(f->server), "127.0.0.1:0"),
	   "server: listens on %s, the port the kernel chose",
	   http_server_address(f->server));
}

static void clients(struct fixture *f)
{
	char text[64];

	snprintf(text, sizeof(text), "https://%s",
		 http_server_address(f->server));
	if (config_parse_url(text, &f->url))
		bail("config_parse_url");
	/* the certificate names 127.0.0.1, not 127.0.0.2 */
	snprintf(text, sizeof(text), "https://%s",
		 http_server_address(f->elsewhere));
	if (config_parse_url(text, &f->wrong_url))
		bail("config_parse_url");
	/* port 1 on loopback: nobody listens there */
	if (config_parse_url("https://127.0.0.1:1", &f->closed_url))
		bail("config_parse_url");
	if (https_client_new(&f->client, base, f->client_tls, &f->url, 1) ||
	    https_client_new(&f->rogue, base, f->rogue_tls, &f->url, 0) ||
	    https_client_new(&f->wrong_host, base, f->client_tls,
			     &f->wrong_url, 0) ||
	    https_client_new(&f->closed, base, f->client_tls, &f->closed_url,
			     0))
		bail("https_client_new");
}

static void test_answers(struct fixture *f)
{
	static const char body[] = "{\"impi\": \"u@h\"}";
	struct result echoed = { 0 }, missing = { 0 }, delayed = { 0 };

	https_post(f->client, "/echo", "application/json", body,
		   strlen(body), got_answer, &echoed);
	https_post(f->client, "/nope", "application/json", "{}", 2,
		   got_answer, &missing);
	https_post(f->client, "/later", "text/plain", "x", 1, got_answer,
		   &delayed);
	run_until(3);
	ok(echoed.error == 0 && echoed.status == 200 &&
	   !strcmp(echoed.content_type, "text/plain") &&
	   !strcmp(echoed.body,
		   "peer=client.test cn=client.test json=1 body={\"impi\": \"u@h\"}"),
	   "a POST: 200, and the server saw the client's names: %s",
	   echoed.body);
	ok(missing.error == 0 && missing.status == 404 &&
	   !strcmp(missing.content_type, "application/json") &&
	   !strcmp(missing.body, "{\"error\":\"not-found\"}"),
	   "an unknown path: 404 and the error body: %s", missing.body);
	ok(delayed.error == 0 && delayed.status == 202 &&
	   !strcmp(delayed.body, "later"),
	   "an answer made later by the handler: 202 later");
	run_for(50);
	ok(!http_server_busy(f->server), "server: idle once all is answered");
}

static void test_refusals(struct fixture *f)
{
	struct result rogue = { 0 }, wrong_host = { 0 }, closed = { 0 };
	struct result big = { 0 };
	char large[2048];

	memset(large, 'x', sizeof(large));
	https_post(f->rogue, "/echo", "text/plain", "x", 1, got_answer, &rogue);
	https_post(f->wrong_host, "/echo", "text/plain", "x", 1, got_answer,
		   &wrong_host);
	https_post(f->closed, "/echo", "text/plain", "x", 1, got_answer,
		   &closed);
	https_post(f->client, "/echo", "text/plain", large, sizeof(large),
		   got_answer, &big);
	run_until(4);
	ok(rogue.error == -EPROTO && rogue.status == 0,
	   "a client certificate from another CA: refused, -EPROTO (%s)",
	   rogue.why);
	ok(wrong_host.error == -EPROTO && wrong_host.status == 0,
	   "a server certificate without the URL's host: -EPROTO (%s)",
	   wrong_host.why);
	ok(closed.error == -ECONNREFUSED && closed.status == 0,
	   "a closed port: -ECONNREFUSED (%s)", closed.why);
	ok(big.error == 0 && big.status == 413,
	   "a body over the server's limit: 413 (%d)", big.status);
}

static void test_timeout_and_cancel(struct fixture *f)
{
	struct result silent = { 0 }, cancelled = { 0 }, after = { 0 };
	struct https_call *call;

	https_post(f->client, "/never", "text/plain", "x", 1, got_answer,
		   &silent);
	call = https_post(f->client, "/echo", "text/plain", "x", 1,
			  got_answer, &cancelled);
	https_call_cancel(call);
	run_until(1);
	ok(silent.error == -ETIMEDOUT && silent.status == 0,
	   "a server that does not answer: -ETIMEDOUT after 1 s (%s)",
	   silent.why);
	ok(!cancelled.got, "a cancelled call: done never runs");
	ok(held && http_server_busy(f->server),
	   "server: busy while a request is unanswered");
	if (held)
		http_reply(held, 200, "text/plain", "too late", 8);
	held = NULL;
	run_for(50);
	ok(!http_server_busy(f->server),
	   "server: an answer to a client gone is dropped, and idle again");
	https_post(f->client, "/echo", "text/plain", "again", 5, got_answer,
		   &after);
	run_until(1);
	ok(after.status == 200, "the server still serves after all that");
}

/* One call on f->client, waited for: its connection's client address. */
static void whoami_call(struct fixture *f, struct result *res)
{
	memset(res, 0, sizeof(*res));
	https_post(f->client, "/whoami", "text/plain", "", 0, got_answer, res);
	run_until(1);
}

static void test_keep_alive(struct fixture *f)
{
	struct config_tls conf = tls_conf("client.pem", "client.key", "ca.pem");
	struct result a, b, c = { 0 }, d = { 0 }, e, g;
	unsigned long long before;
	enum tls_file file;
	char why[256];

	before = https_client_connections(f->client);
	whoami_call(f, &a);
	whoami_call(f, &b);
	ok(a.status == 200 && b.status == 200 && strcmp(a.body, b.body) &&
	   https_client_connections(f->client) == before + 2,
	   "no keep-alive by default: a connection per call");
	https_client_keep_alive(f->client);
	before = https_client_connections(f->client);
	whoami_call(f, &a);
	whoami_call(f, &b);
	ok(a.status == 200 && b.status == 200 && !strcmp(a.body, b.body) &&
	   https_client_connections(f->client) == before + 1,
	   "keep-alive: the second call rides the first one's connection (%s)",
	   b.body);
	https_post(f->client, "/whoami", "text/plain", "", 0, got_answer, &c);
	https_post(f->client, "/whoami", "text/plain", "", 0, got_answer, &d);
	run_until(2);
	ok(c.status == 200 && d.status == 200 && strcmp(c.body, d.body) &&
	   (!strcmp(c.body, a.body) || !strcmp(d.body, a.body)) &&
	   https_client_connections(f->client) == before + 2,
	   "keep-alive: two calls at once, the idle connection and a new one");
	run_for(HTTPS_IDLE_REUSE * 1000 + 200);
	whoami_call(f, &e);
	ok(e.status == 200 && strcmp(e.body, c.body) && strcmp(e.body, d.body) &&
	   https_client_connections(f->client) == before + 3,
	   "keep-alive: a connection idle longer than %d s is not reused",
	   HTTPS_IDLE_REUSE);
	if (tls_reload(f->client_tls, &conf, &file, why, sizeof(why)))
		bail("tls_reload of the client");
	whoami_call(f, &g);
	ok(g.status == 200 && strcmp(g.body, e.body) &&
	   https_client_connections(f->client) == before + 4,
	   "keep-alive: after a TLS reload, a new connection with the new context");
}

static void test_reload_and_stop(struct fixture *f)
{
	struct config_tls broken = tls_conf("nothing.pem", "server.key",
					    "ca.pem");
	struct config_tls good = tls_conf("server2.pem", "server2.key",
					  "ca.pem");
	struct result first = { 0 }, second = { 0 }, stopped = { 0 };
	struct result on_kept = { 0 };
	struct result moved = { 0 };
	enum tls_file file;
	char why[256];

	ok(tls_reload(f->server_tls, &broken, &file, why, sizeof(why)) ==
	   -ENOENT && file == TLS_FILE_CERTIFICATE,
	   "reload: a missing certificate is refused");
	https_post(f->client, "/echo", "text/plain", "1", 1, got_answer,
		   &first);
	run_until(1);
	ok(first.status == 200, "reload: the old material still serves");
	ok(tls_reload(f->server_tls, &good, &file, why, sizeof(why)) == 0,
	   "reload: new material loads");
	https_post(f->client, "/echo", "text/plain", "2", 1, got_answer,
		   &second);
	run_until(1);
	ok(second.status == 200, "reload: the new material serves");
	https_client_set_url(f->closed, &f->url);
	https_post(f->closed, "/echo", "text/plain", "4", 1, got_answer,
		   &moved);
	run_until(1);
	ok(moved.status == 200 && !strcmp(moved.body,
	   "peer=client.test cn=client.test json=0 body=4"),
	   "https_client_set_url: the next call goes to the new URL");
	http_server_stop(f->server);
	https_post(f->client, "/echo", "text/plain", "3", 1, got_answer,
		   &on_kept);
	run_until(1);
	ok(on_kept.status == 503 && !strcmp(on_kept.body,
	   "{\"error\":\"service-unavailable\",\"detail\":\"stopping\"}"),
	   "stopped: a request on a kept-alive connection gets 503: %s",
	   on_kept.body);
	https_post(f->client, "/echo", "text/plain", "3", 1, got_answer,
		   &stopped);
	run_until(1);
	ok(stopped.error == -ECONNREFUSED,
	   "stopped: that connection closed, new ones are refused");
}

/* A plain HTTP server and client (Ub), a GET with headers both ways. */
static void test_plain(void)
{
	struct http_server_conf conf = { .role = "test", .name = "ub" };
	const struct https_header headers[] = {
		{ "X-Test", "a \"quoted\" value" },
	};
	const struct https_request get = {
		.method = EVHTTP_REQ_GET, .path = "/", .headers = headers,
		.n_headers = 1,
	};
	const struct https_request post = {
		.method = EVHTTP_REQ_POST, .path = "/", .content_type = "a/b",
		.body = "x", .len = 1,
	};
	struct result plain = { 0 }, wrong = { 0 };
	struct config_listen listen;
	struct config_url url = { 0 }, dflt = { 0 };
	struct http_server *server;
	struct https_client *client;
	char why[256], text[64];

	ok(config_parse_http_url("http://bsf.home1.net", &dflt) == 0 &&
	   dflt.port == 80 && !strcmp(dflt.host, "bsf.home1.net") &&
	   config_parse_http_url("https://bsf.home1.net", &url) == -EINVAL &&
	   config_parse_url("http://bsf.home1.net", &url) == -EINVAL,
	   "http:// URLs: port 80 by default, each parser its own scheme");
	conf.listen = &listen;
	if (config_parse_listen("127.0.0.1:0", &listen) ||
	    http_server_new(&server, base, &conf, why, sizeof(why)) ||
	    http_server_route(server, "/", EVHTTP_REQ_GET, echo_header, NULL))
		bail("plain http_server_new");
	snprintf(text, sizeof(text), "http://%s", http_server_address(server));
	if (config_parse_http_url(text, &url) ||
	    https_client_new(&client, base, NULL, &url, 0))
		bail("plain https_client_new");
	https_request(client, &get, got_answer, &plain);
	https_request(client, &post, got_answer, &wrong);
	run_until(2);
	ok(plain.error == 0 && plain.status == 401 && plain.n_header == 2 &&
	   !strcmp(plain.header, "GET a \"quoted\" value plain") &&
	   !plain.body[0] && !plain.content_type[0],
	   "plain HTTP: a GET with a header of ours; the answer's headers, in order, no body nor Content-Type: %s",
	   plain.header);
	ok(wrong.status == 405, "plain HTTP: a POST where only GET is routed: 405");
	https_client_free(client);
	http_server_free(server);
	free(url.text);
	free(url.host);
	free(dflt.text);
	free(dflt.host);
}

static void finish(struct fixture *f)
{
	https_client_free(f->client);
	https_client_free(f->rogue);
	https_client_free(f->wrong_host);
	https_client_free(f->closed);
	http_server_free(f->server);
	http_server_free(f->elsewhere);
	tls_free(f->server_tls);
	tls_free(f->client_tls);
	tls_free(f->rogue_tls);
	free(f->url.text);
	free(f->url.host);
	free(f->wrong_url.text);
	free(f->wrong_url.host);
	free(f->closed_url.text);
	free(f->closed_url.host);
}

static void make_pki(void)
{
	struct pki_entity ca, other_ca, server, server2, client, rogue;

	pki_make(&ca, "e2m test CA", NULL);
	pki_make(&other_ca, "another CA", NULL);
	pki_make(&server, "server.test", &ca);
	pki_make(&server2, "server2.test", &ca);
	pki_make(&client, "client.test", &ca);
	pki_make(&rogue, "rogue.test", &other_ca);
	pki_write(&ca, scratch_path("ca.pem"), NULL);
	pki_write(&server, scratch_path("server.pem"),
		  scratch_path("server.key"));
	pki_write(&server2, scratch_path("server2.pem"),
		  scratch_path("server2.key"));
	pki_write(&client, scratch_path("client.pem"),
		  scratch_path("client.key"));
	pki_write(&rogue, scratch_path("rogue.pem"), scratch_path("rogue.key"));
	write_file(scratch_path("garbage.pem"), "not PEM\n", 8, 0600);
	pki_free(&ca);
	pki_free(&other_ca);
	pki_free(&server);
	pki_free(&server2);
	pki_free(&client);
	pki_free(&rogue);
}

/* Authorisation by a DNS SAN only: a subject CN beside it never counts. */
static void test_peer_names(void)
{
	struct tls_peer peer = { 0 };

	strcpy(peer.cn, "bsf.test");
	strcpy(peer.dns[0], "naf.test");
	peer.n_dns = 1;
	ok(!tls_peer_is(&peer, "bsf.test") && !tls_peer_is(&peer, "BSF.test"),
	   "peer names: the subject CN authorises nothing");
	ok(tls_peer_is(&peer, "naf.test") && tls_peer_is(&peer, "NAF.TEST"),
	   "peer names: a DNS SAN does, in any case");
	peer.n_dns = 0;
	ok(!tls_peer_is(&peer, "bsf.test") &&
	   !strcmp(tls_peer_name(&peer), "bsf.test"),
	   "peer names: a CN-only certificate is named by its CN in logs, listed nowhere");
}

int main(void)
{
	struct fixture f = { 0 };

	/* as e2md does: a peer gone mid-write is an error, not a signal */
	signal(SIGPIPE, SIG_IGN);
	scratch_make("http");
	make_pki();
	/* the server's refusals are logged: keep them out of TAP */
	log_set_level(LOG_LEVEL_ERROR);
	base = event_base_new();
	if (!base)
		bail("event_base_new");
	test_loading();
	test_peer_names();
	start(&f);
	clients(&f);
	test_answers(&f);
	test_refusals(&f);
	test_timeout_and_cancel(&f);
	test_keep_alive(&f);
	test_reload_and_stop(&f);
	test_plain();
	finish(&f);
	event_base_free(base);
	libevent_global_shutdown();
	scratch_remove();
	return done_testing();
}

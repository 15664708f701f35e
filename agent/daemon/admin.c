// SPDX-License-Identifier: GPL-2.0
/*
 * The admin socket: listening, connections from root or the admin group,
 * one JSON object per line. See admin.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* struct ucred */
#endif

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <openssl/crypto.h>

#include "admin.h"
#include "log.h"

/* The most supplementary groups of a peer we look through. */
#define NGROUPS_PEER	256

struct admin_client {
	struct admin *admin;
	struct bufferevent *bev;
	struct admin_client *prev, *next;
	bool closing;		/* close once the output is written */
	/* A request answered later: nothing more is read until it is. */
	struct admin_deferred *waiting;
};

/*
 * Lifetime: made by admin_defer() for the request being handled, freed
 * by admin_deferred_answer() or admin_deferred_drop(), whichever comes;
 * client is cleared when the connection goes first (the answer is then
 * dropped).
 */
struct admin_deferred {
	struct admin_client *client;
};

/* The client whose request a handler runs for, while it runs. */
static struct admin_client *handling;

struct admin {
	struct event_base *base;
	struct evconnlistener *listener;
	char *path;
	bool has_group;		/* admin.group: its members may connect */
	gid_t group;
	dev_t dev;		/* of our socket file, to remove only it */
	ino_t ino;
	admin_handler handler;
	void *arg;
	struct admin_client *clients;
	size_t n_clients;
};

json_t *admin_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

/* ---- connections --------------------------------------------------------- */

static void client_free(struct admin_client *client)
{
	struct admin *admin = client->admin;

	if (client->waiting)
		client->waiting->client = NULL;

	if (client->prev)
		client->prev->next = client->next;
	else
		admin->clients = client->next;
	if (client->next)
		client->next->prev = client->prev;
	admin->n_clients--;
	bufferevent_free(client->bev);
	free(client);
}

/* One answer line; a static one if even the answer cannot be written. */
static void send_answer(struct admin_client *client, json_t *answer)
{
	static const char no_memory[] = "{\"ok\":false,\"error\":\"out of memory\"}\n";
	struct evbuffer *out = bufferevent_get_output(client->bev);
	char *text = answer ? json_dumps(answer, JSON_COMPACT) : NULL;

	if (!text || evbuffer_add_printf(out, "%s\n", text) < 0)
		evbuffer_add(out, no_memory, sizeof(no_memory) - 1);
	free(text);
}

static json_t *parse_request(const char *line, size_t len)
{
	json_error_t error;
	json_t *request = json_loadb(line, len, JSON_REJECT_DUPLICATES, &error);

	if (!request)
		return NULL;
	if (!json_is_object(request) ||
	    !json_is_string(json_object_get(request, "command"))) {
		json_decref(request);
		return NULL;
	}
	return request;
}

static void handle_line(struct admin_client *client, const char *line,
			size_t len)
{
	json_t *request = parse_request(line, len), *answer;

	if (!request) {
		answer = admin_error("bad request: %s",
				     "one JSON object with a string \"command\" per line");
	} else {
		handling = client;
		answer = client->admin->handler(request, client->admin->arg);
		handling = NULL;
		json_decref(request);
		if (client->waiting && !answer) {
			/* Answered later: read nothing more until then. */
			bufferevent_disable(client->bev, EV_READ);
			return;
		}
		/* A handler that deferred and answered anyway: its answer. */
		if (client->waiting)
			admin_deferred_drop(client->waiting);
	}
	send_answer(client, answer);
	json_decref(answer);
}

struct admin_deferred *admin_defer(void)
{
	struct admin_deferred *d;

	if (!handling || handling->waiting)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->client = handling;
	handling->waiting = d;
	return d;
}

void admin_deferred_drop(struct admin_deferred *d)
{
	if (!d)
		return;
	if (d->client)
		d->client->waiting = NULL;
	free(d);
}

static void close_after_output(struct admin_client *client)
{
	client->closing = true;
	bufferevent_disable(client->bev, EV_READ);
	if (!evbuffer_get_length(bufferevent_get_output(client->bev)))
		client_free(client);
}

static void too_long(struct admin_client *client)
{
	json_t *answer = admin_error("request line too long");

	send_answer(client, answer);
	json_decref(answer);
	close_after_output(client);	/* may free client */
}

static void client_read(struct bufferevent *bev, void *arg)
{
	struct admin_client *client = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len;
	char *line;

	while (!client->waiting &&
	       (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF))) {
		bool fits = len <= ADMIN_LINE_MAX;

		/* A request may carry K and OPc: wipe our copy of it. */
		if (fits)
			handle_line(client, line, len);
		OPENSSL_cleanse(line, len);
		free(line);
		if (!fits) {
			too_long(client);
			return;
		}
	}
	if (!client->waiting && evbuffer_get_length(in) > ADMIN_LINE_MAX)
		too_long(client);
}

void admin_deferred_answer(struct admin_deferred *d, json_t *answer)
{
	struct admin_client *client = d->client;

	admin_deferred_drop(d);
	if (client) {
		send_answer(client, answer);
		/* The requests that came meanwhile, then the next ones. */
		bufferevent_enable(client->bev, EV_READ);
		client_read(client->bev, client);	/* may free client */
	}
	json_decref(answer);
}

static void client_written(struct bufferevent *bev, void *arg)
{
	struct admin_client *client = arg;

	if (client->closing && !evbuffer_get_length(bufferevent_get_output(bev)))
		client_free(client);
}

static void client_event(struct bufferevent *bev, short events, void *arg)
{
	struct admin_client *client = arg;

	(void)bev;
	if ((events & BEV_EVENT_EOF) && !client->closing) {
		close_after_output(client);
		return;
	}
	if (events & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		client_free(client);
}

/* A refusal before any request: written at once, then closed. */
static void refuse(int fd, const char *message)
{
	char line[256];
	int len = snprintf(line, sizeof(line),
			   "{\"ok\":false,\"error\":\"%s\"}\n", message);

	if (write(fd, line, (size_t)len) < 0) {
		/* the peer is gone; nothing to tell it */
	}
	close(fd);
}

/* Whether the peer's groups (primary and supplementary) hold group. */
static bool peer_in_group(int fd, const struct ucred *cred, gid_t group)
{
	gid_t groups[NGROUPS_PEER];
	socklen_t len = sizeof(groups);
	size_t i;

	if (cred->gid == group)
		return true;
	/* More groups than NGROUPS_PEER: ERANGE, and not a member for us. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len))
		return false;
	for (i = 0; i < len / sizeof(groups[0]); i++) {
		if (groups[i] == group)
			return true;
	}
	return false;
}

static bool peer_allowed(const struct admin *admin, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct log_line line;
	bool known;

	known = !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) &&
		len == sizeof(cred);
	if (known && (cred.uid == 0 ||
		      (admin->has_group && peer_in_group(fd, &cred,
							 admin->group))))
		return true;
	if (log_begin(&line, LOG_LEVEL_WARNING, NULL, "admin-refused")) {
		log_int(&line, "uid", known ? (long long)cred.uid : -1);
		log_int(&line, "pid", known ? (long long)cred.pid : -1);
		log_end(&line);
	}
	return false;
}

static void accept_client(struct evconnlistener *listener, evutil_socket_t fd,
			  struct sockaddr *addr, int addr_len, void *arg)
{
	struct admin *admin = arg;
	struct admin_client *client;
	struct timeval idle = { ADMIN_IDLE_TIMEOUT, 0 };

	(void)listener;
	(void)addr;
	(void)addr_len;
	if (!peer_allowed(admin, fd)) {
		refuse(fd, admin->has_group ?
		       "permission denied: only root and the admin group may use the admin socket" :
		       "permission denied: only root may use the admin socket");
		return;
	}
	if (admin->n_clients >= ADMIN_CLIENTS_MAX) {
		refuse(fd, "too many admin connections");
		return;
	}
	client = calloc(1, sizeof(*client));
	if (client)
		client->bev = bufferevent_socket_new(admin->base, fd,
						     BEV_OPT_CLOSE_ON_FREE);
	if (!client || !client->bev) {
		free(client);
		refuse(fd, "out of memory");
		return;
	}
	client->admin = admin;
	client->next = admin->clients;
	if (admin->clients)
		admin->clients->prev = client;
	admin->clients = client;
	admin->n_clients++;
	bufferevent_setcb(client->bev, client_read, client_written,
			  client_event, client);
	bufferevent_set_timeouts(client->bev, &idle, &idle);
	bufferevent_enable(client->bev, EV_READ | EV_WRITE);
}

/* ---- the socket file ------------------------------------------------------ */

/*
 * The socket's directory: created 0700 (0750 and the admin group's) if
 * missing, left as it is if not.
 */
static int make_directory(const struct admin *admin, const char *path,
			  char *why, size_t why_size)
{
	char *copy = strdup(path), *dir;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	dir = dirname(copy);
	if (!mkdir(dir, admin->has_group ? 0750 : 0700)) {
		if (admin->has_group && chown(dir, (uid_t)-1, admin->group))
			ret = -errno;
	} else if (errno != EEXIST) {
		ret = -errno;
	}
	if (ret)
		snprintf(why, why_size, "%s: cannot create: %s", dir,
			 strerror(-ret));
	free(copy);
	return ret;
}

/* The socket file's owner group and mode: root's, or the admin group's. */
static int set_socket_access(const struct admin *admin, const char *path)
{
	if (!admin->has_group)
		return chmod(path, 0600);
	if (chown(path, (uid_t)-1, admin->group))
		return -1;
	return chmod(path, 0660);
}

/*
 * A socket file already there: a daemon that died left it (nobody
 * answers: remove it), or one is running (leave it alone).
 */
static int clear_stale(const char *path, const struct sockaddr_un *sun,
		       char *why, size_t why_size)
{
	struct stat st;
	int fd, ret;

	if (lstat(path, &st))
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(why, why_size, "%s: exists and is not a socket", path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (ret == 0) {
		snprintf(why, why_size, "%s: another daemon is listening on it",
			 path);
		return -EADDRINUSE;
	}
	unlink(path);
	return 0;
}

static int listen_unix(struct admin *admin, const char *path, int *fd_out,
		       char *why, size_t why_size)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t mask;
	int fd, ret;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(why, why_size, "%s: path too long for a socket", path);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, path);
	ret = make_directory(admin, path, why, why_size);
	if (!ret)
		ret = clear_stale(path, &sun, why, why_size);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	/* No moment where the socket is open to others. */
	mask = umask(0177);
	ret = bind(fd, (const struct sockaddr *)&sun, sizeof(sun));
	umask(mask);
	if (ret || set_socket_access(admin, path) || listen(fd, 16) ||
	    stat(path, &st))
		goto fail;
	admin->dev = st.st_dev;
	admin->ino = st.st_ino;
	*fd_out = fd;
	return 0;
fail:
	ret = -errno;
	snprintf(why, why_size, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return ret;
}

int admin_new(struct admin **out, struct event_base *base,
	      const struct config_admin *config, admin_handler handler,
	      void *arg, char *why, size_t why_size)
{
	struct admin *admin = calloc(1, sizeof(*admin));
	const char *path = config->socket;
	int fd, ret;

	*out = NULL;
	snprintf(why, why_size, "out of memory");
	if (!admin || !(admin->path = strdup(path))) {
		free(admin);
		return -ENOMEM;
	}
	admin->has_group = config->has_group;
	admin->group = config->group;
	admin->base = base;
	admin->handler = handler;
	admin->arg = arg;
	ret = listen_unix(admin, path, &fd, why, why_size);
	if (ret) {
		free(admin->path);
		free(admin);
		return ret;
	}
	admin->listener = evconnlistener_new(base, accept_client, admin,
					     LEV_OPT_CLOSE_ON_FREE |
					     LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (!admin->listener) {
		close(fd);
		admin_free(admin);
		return -ENOMEM;
	}
	*out = admin;
	return 0;
}

void admin_stop(struct admin *admin)
{
	if (admin && admin->listener) {
		evconnlistener_free(admin->listener);
		admin->listener = NULL;
	}
}

void admin_free(struct admin *admin)
{
	struct stat st;

	if (!admin)
		return;
	admin_stop(admin);
	while (admin->clients)
		client_free(admin->clients);
	/* Only our own socket: a newer daemon may have replaced it. */
	if (!lstat(admin->path, &st) && st.st_dev == admin->dev &&
	    st.st_ino == admin->ino)
		unlink(admin->path);
	free(admin->path);
	free(admin);
}

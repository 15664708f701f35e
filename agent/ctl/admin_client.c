// SPDX-License-Identifier: GPL-2.0
/*
 * One request and its answer over e2md's admin socket, see admin_client.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "admin_client.h"
#include "options.h"

static const char *socket_option;

void admin_set_socket(const char *path)
{
	socket_option = path;
}

const char *admin_socket(void)
{
	const char *env = getenv("E2M_SOCKET");

	if (socket_option)
		return socket_option;
	return env && *env ? env : ADMIN_DEFAULT_SOCKET;
}

static int connect_socket(const char *command, int *fd_out)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = admin_socket();
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fail(command, "socket path too long: %s", path);
		return EXIT_USAGE;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fail(command, "cannot connect to e2md at %s: %s", path,
		     strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAILURE;
	}
	*fd_out = fd;
	return 0;
}

static int send_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 0, or the errno of the failure (not reported yet). */
static int send_request(int fd, json_t *request)
{
	char *text = json_dumps(request, JSON_COMPACT);
	size_t len;
	int err = 0;

	if (!text)
		return ENOMEM;
	len = strlen(text);
	if (send_all(fd, text, len) || send_all(fd, "\n", 1))
		err = errno;
	OPENSSL_cleanse(text, len);
	free(text);
	return err;
}

/* Milliseconds left until deadline, at least 0. */
static int time_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/* Doubles the buffer, up to ADMIN_REPLY_MAX: 0 or -1. */
static int grow(char **buf, size_t *size)
{
	char *bigger = *size < ADMIN_REPLY_MAX ? realloc(*buf, 2 * *size) :
						 NULL;

	if (!bigger)
		return -1;
	*buf = bigger;
	*size *= 2;
	return 0;
}

/*
 * Reads up to the first newline, within the timeout. send_err is the
 * errno of sending the request, 0 if it went: without an answer, that is
 * the error to report.
 */
static int read_line(const char *command, int fd, char **line, size_t *len,
		     int send_err, int timeout)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t size = 4096, used = 0;
	struct timespec deadline;
	char *buf = malloc(size);
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	if (!buf) {
		fail(command, "out of memory");
		return EXIT_FAILURE;
	}
	while (!memchr(buf, '\n', used)) {
		if (used == size && grow(&buf, &size)) {
			fail(command, "answer too large or out of memory");
			goto fail;
		}
		if (poll(&pfd, 1, time_left(&deadline)) == 0) {
			fail(command, "no answer from e2md within %d s",
			     timeout);
			goto fail;
		}
		n = recv(fd, buf + used, size - used, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 && send_err) {
			fail(command, "cannot send to e2md: %s",
			     strerror(send_err));
			goto fail;
		}
		if (n <= 0) {
			fail(command, "e2md closed the connection without an answer");
			goto fail;
		}
		used += (size_t)n;
	}
	*line = buf;
	*len = (size_t)((char *)memchr(buf, '\n', used) - buf);
	return 0;
fail:
	free(buf);
	return EXIT_FAILURE;
}

static int check_answer(const char *command, json_t *answer)
{
	json_t *ok = json_object_get(answer, "ok");
	const char *error;

	if (!json_is_boolean(ok)) {
		fail(command, "e2md sent an answer without \"ok\"");
		return EXIT_FAILURE;
	}
	if (json_is_true(ok))
		return 0;
	error = json_string_value(json_object_get(answer, "error"));
	fail(command, "%s", error ? error : "failed, without a reason");
	return EXIT_FAILURE;
}

int admin_call(const char *command, json_t *request, json_t **answer)
{
	return admin_call_within(command, request, answer,
				 ADMIN_REPLY_TIMEOUT);
}

int admin_call_within(const char *command, json_t *request, json_t **answer,
		      int timeout)
{
	json_error_t error;
	size_t len;
	char *line;
	int fd, ret, send_err;

	*answer = NULL;
	ret = connect_socket(command, &fd);
	if (ret)
		return ret;
	/*
	 * A daemon that refuses us answers before we are done sending, and
	 * closes: its answer is still there to read, and says more than
	 * EPIPE would.
	 */
	send_err = send_request(fd, request);
	if (send_err && send_err != EPIPE && send_err != ECONNRESET) {
		fail(command, "cannot send to e2md: %s", strerror(send_err));
		close(fd);
		return EXIT_FAILURE;
	}
	ret = read_line(command, fd, &line, &len, send_err, timeout);
	close(fd);
	if (ret)
		return ret;
	*answer = json_loadb(line, len, 0, &error);
	free(line);
	if (!json_is_object(*answer)) {
		fail(command, "e2md sent an answer that is not a JSON object");
		ret = EXIT_FAILURE;
	} else {
		ret = check_answer(command, *answer);
	}
	if (ret) {
		json_decref(*answer);
		*answer = NULL;
	}
	return ret;
}

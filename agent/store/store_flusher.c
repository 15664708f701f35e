// SPDX-License-Identifier: GPL-2.0
/*
 * The thread that flushes deferred commits, see store_flusher.h.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "store_engine.h"
#include "store_flusher.h"

/*
 * lock guards asked, flushed, ret and stop; the loop and the
 * thread share nothing else. The eventfd counts the thread's reports; the
 * loop reads it and then reads flushed and ret under the lock, so a report
 * it reads late only tells it more.
 */
struct store_flusher {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	uint64_t asked;			/* the last commit asked for */
	uint64_t flushed;		/* the last commit a flush covered */
	int ret;			/* that flush's result */
	bool stop;
	struct store *store;
	int notify;			/* eventfd, thread -> loop */
	struct event *notified;		/* pending while a flush is owed */
	uint64_t owed;			/* the loop's last ask */
	store_flusher_done done;
	void *arg;
};

static void *flusher_main(void *arg)
{
	struct store_flusher *f = arg;
	uint64_t target, one = 1;
	int ret;

	pthread_mutex_lock(&f->lock);
	for (;;) {
		while (f->asked == f->flushed && !f->stop)
			pthread_cond_wait(&f->wake, &f->lock);
		if (f->asked == f->flushed)
			break;
		/* Whatever was written up to now goes with this flush. */
		target = f->asked;
		pthread_mutex_unlock(&f->lock);
		ret = f->store->ops->flush(f->store);
		pthread_mutex_lock(&f->lock);
		f->flushed = target;
		f->ret = ret;
		/* Cannot fail short of 2^64 - 1 reports nobody read. */
		if (write(f->notify, &one, sizeof(one)) < 0)
			abort();
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

static void on_notify(evutil_socket_t fd, short what, void *arg)
{
	struct store_flusher *f = arg;
	uint64_t reports, flushed;
	int ret;

	(void)what;
	if (read(fd, &reports, sizeof(reports)) < 0)
		return;		/* EAGAIN: an earlier read took this report */
	pthread_mutex_lock(&f->lock);
	flushed = f->flushed;
	ret = f->ret;
	pthread_mutex_unlock(&f->lock);
	/* Nothing owed: the loop may end when it has nothing else to do. */
	if (flushed >= f->owed)
		event_del(f->notified);
	f->done(flushed, ret, f->arg);
}

/* With every signal blocked, so that the new thread inherits none. */
static int start_thread(struct store_flusher *f)
{
	sigset_t all, old;
	int ret;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&f->thread, NULL, flusher_main, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -ret;
}

int store_flusher_start(struct store_flusher **flusher, struct store *store,
			struct event_base *base, store_flusher_done done,
			void *arg)
{
	struct store_flusher *f;
	int ret;

	*flusher = NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->store = store;
	f->done = done;
	f->arg = arg;
	f->notify = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (f->notify < 0) {
		ret = -errno;
		free(f);
		return ret;
	}
	f->notified = event_new(base, f->notify, EV_READ | EV_PERSIST,
				on_notify, f);
	ret = f->notified ? 0 : -ENOMEM;
	if (!ret) {
		pthread_mutex_init(&f->lock, NULL);
		pthread_cond_init(&f->wake, NULL);
		ret = start_thread(f);
		if (ret) {
			pthread_cond_destroy(&f->wake);
			pthread_mutex_destroy(&f->lock);
		}
	}
	if (ret) {
		if (f->notified)
			event_free(f->notified);
		close(f->notify);
		free(f);
		return ret;
	}
	*flusher = f;
	return 0;
}

void store_flusher_ask(struct store_flusher *f, uint64_t commit)
{
	if (commit > f->owed) {
		f->owed = commit;
		/* Cannot fail for an event already assigned to its base. */
		event_add(f->notified, NULL);
	}
	pthread_mutex_lock(&f->lock);
	if (commit > f->asked) {
		f->asked = commit;
		pthread_cond_signal(&f->wake);
	}
	pthread_mutex_unlock(&f->lock);
}

void store_flusher_stop(struct store_flusher *f, uint64_t *flushed, int *ret)
{
	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_cond_signal(&f->wake);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	*flushed = f->flushed;
	*ret = f->ret;
	pthread_cond_destroy(&f->wake);
	pthread_mutex_destroy(&f->lock);
	event_free(f->notified);
	close(f->notify);
	free(f);
}

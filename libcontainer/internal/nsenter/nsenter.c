/*
 * The C stage of `ocirun init`: the namespace steps that Go's multithreaded
 * runtime cannot do (joining a user or mount namespace needs a
 * single-threaded process). It runs as an ELF constructor, before the Go
 * runtime starts, and does nothing unless _OCIRUN_SYNC_FD is set.
 *
 * Input (environment, set by the parent, removed here):
 *   _OCIRUN_NS_JOIN     lines "<type>:<path>", user first (see nsenter.go)
 *   _OCIRUN_NS_UNSHARE  clone flags to unshare here (decimal)
 *   _OCIRUN_NS_FORK     "1": fork once so the init enters the pid namespace
 *   _OCIRUN_TIME_OFFSETS lines "<clock> <secs> <nanosecs>" for a new time
 *                       namespace (/proc/self/timens_offsets format)
 * Messages (framed as in libcontainer/internal/syncproto): child-pid,
 * idmap-request / idmap-done, error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_JOIN 16

static int sync_fd = -1;

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* send_json frames one JSON object as syncproto does: u32 BE length + body. */
static void send_json(const char *body)
{
	uint32_t len = (uint32_t)strlen(body);
	unsigned char hdr[4] = { len >> 24, len >> 16, len >> 8, len };
	if (write_all(sync_fd, (const char *)hdr, 4) == 0)
		write_all(sync_fd, body, len);
}

/* fail reports an error message to the parent and exits. */
static void fail(const char *fmt, ...)
{
	char msg[1024], body[2200];
	char *o = body;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o += sprintf(o, "{\"type\":\"error\",\"msg\":\"nsenter: ");
	for (const char *c = msg; *c; c++) {
		if (*c == '"' || *c == '\\')
			*o++ = '\\';
		*o++ = (*c == '\n') ? ' ' : *c;
	}
	o += sprintf(o, ": %s\"}", strerror(errno));
	send_json(body);
	_exit(1);
}

/* wait_idmap blocks until the parent has written our uid/gid maps. */
static void wait_idmap(void)
{
	char buf[256];
	unsigned char hdr[4];
	uint32_t len;

	if (read(sync_fd, hdr, 4) != 4)
		fail("read idmap-done header");
	len = (uint32_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3];
	if (len >= sizeof(buf) || read(sync_fd, buf, len) != (ssize_t)len)
		fail("read idmap-done body");
	buf[len] = '\0';
	if (!strstr(buf, "\"idmap-done\""))
		fail("unexpected message instead of idmap-done: %s", buf);
}

static void join_namespaces(char *spec)
{
	int fds[MAX_JOIN];
	char *paths[MAX_JOIN];
	int n = 0;

	/* Open every path before joining any: a joined mount namespace
	 * could change what the later paths resolve to. */
	for (char *line = strtok(spec, "\n"); line; line = strtok(NULL, "\n")) {
		char *path = strchr(line, ':');
		if (!path || n == MAX_JOIN)
			fail("bad namespace list entry %s", line);
		path++;
		fds[n] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[n] < 0)
			fail("open namespace %s", line);
		paths[n++] = line;
	}
	for (int i = 0; i < n; i++) {
		if (setns(fds[i], 0) < 0)
			fail("join namespace %s", paths[i]);
		close(fds[i]);
		/* A joined user namespace may not map our uid: become its
		 * root, as a new one's init does. */
		if (strncmp(paths[i], "user:", 5) == 0 &&
		    (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
			fail("become root in the joined user namespace");
	}
}

/* write_time_offsets sets the clocks of the time namespace just unshared:
 * only possible before any process has entered it (our exec will). */
static void write_time_offsets(const char *offsets)
{
	int fd;
	size_t len;

	if (!offsets || !*offsets)
		return;
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail("linux.timeOffsets: open /proc/self/timens_offsets");
	len = strlen(offsets);
	if (write(fd, offsets, len) != (ssize_t)len)
		fail("linux.timeOffsets: write /proc/self/timens_offsets");
	close(fd);
}

static void unshare_namespaces(int flags)
{
	char body[96];

	if (flags & CLONE_NEWUSER) {
		if (unshare(CLONE_NEWUSER) < 0)
			fail("unshare user namespace");
		snprintf(body, sizeof(body), "{\"type\":\"idmap-request\",\"pid\":%d}", getpid());
		send_json(body);
		wait_idmap();
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			fail("become root in the user namespace");
		flags &= ~CLONE_NEWUSER;
	}
	if (flags && unshare(flags) < 0)
		fail("unshare namespaces 0x%x", flags);
	if (flags & CLONE_NEWTIME)
		write_time_offsets(getenv("_OCIRUN_TIME_OFFSETS"));
}

/* fork_init forks the real init as a sibling (CLONE_PARENT) so the ocirun
 * parent can wait for it; this intermediate process reports it and exits. */
static void fork_init(void)
{
	char body[64];
	long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);

	if (pid < 0)
		fail("fork init into its pid namespace");
	if (pid == 0)
		return;
	snprintf(body, sizeof(body), "{\"type\":\"child-pid\",\"pid\":%ld}", pid);
	send_json(body);
	_exit(0);
}

__attribute__((constructor)) static void ocirun_nsenter(void)
{
	const char *fd = getenv("_OCIRUN_SYNC_FD");
	char *join = getenv("_OCIRUN_NS_JOIN");
	const char *flags = getenv("_OCIRUN_NS_UNSHARE");
	const char *fork = getenv("_OCIRUN_NS_FORK");

	if (!fd)
		return;
	sync_fd = atoi(fd);
	/* Until the program is exec'd, processes already in the namespaces we
	 * join must not ptrace us or open our /proc files (e.g. exe). */
	if (join && *join && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		fail("make init non-dumpable");
	if (join && *join)
		join_namespaces(join);
	if (flags && *flags)
		unshare_namespaces(atoi(flags));
	if (fork && strcmp(fork, "1") == 0)
		fork_init();
	unsetenv("_OCIRUN_NS_JOIN");
	unsetenv("_OCIRUN_NS_UNSHARE");
	unsetenv("_OCIRUN_NS_FORK");
	unsetenv("_OCIRUN_TIME_OFFSETS");
}

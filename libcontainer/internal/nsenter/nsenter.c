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
 *   _OCIRUN_EXEC_STAGE  "1": `ocirun exec` fast path. After the namespaces,
 *                       read the exec plan (binary, see execstage.go), set
 *                       the process up and exec the program here, so the
 *                       Go runtime never starts (about 15 ms on a small VM).
 *   _OCIRUN_INIT_STAGE  "1": the same for a new container's pid 1
 *                       (create/run fast path): read the init start
 *                       message, make the cgroup namespace and a proc
 *                       filesystem context for the parent, which builds
 *                       the rootfs from a thread in our namespaces, then
 *                       the exec plan as above, with the exec fifo wait
 *                       before execve for create.
 * Messages (framed as in libcontainer/internal/syncproto): child-pid,
 * idmap-request / idmap-done, init-start, procfs, exec-plan, console,
 * ready, error.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <linux/close_range.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <termios.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_JOIN 16

static int sync_fd = -1;
static const char *fail_prefix = "nsenter: ";

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
	int err = errno;
	char msg[1024], body[2200];
	char *o = body;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	o += sprintf(o, "{\"type\":\"error\",\"msg\":\"%s", fail_prefix);
	for (const char *c = msg; *c; c++) {
		if (*c == '"' || *c == '\\')
			*o++ = '\\';
		*o++ = (*c == '\n') ? ' ' : *c;
	}
	/* lower-case, as Go prints errnos: "no such file or directory" */
	if (err)
		o += sprintf(o, ": %c%s", tolower(*strerror(err)), strerror(err) + 1);
	o += sprintf(o, "\"}");
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

/* ---- exec stage: the last steps of `ocirun exec`, in the order of the Go
 * init's setupConsole and prepareProcess (libcontainer/internal/initproc).
 * The parent only uses it for what it encodes (execstage.go): no LSM
 * label, scheduler, seccomp listener, user namespace or paused container. */

#define PLAN_MAGIC 0x3158434fu /* "OCX1" */
#define PLAN_NNP 1u
#define PLAN_SECCOMP_EARLY 2u /* before the identity: no noNewPrivileges */
#define PLAN_SECCOMP_LATE 4u  /* right before execve */
#define PLAN_KEYRING 8u
#define PLAN_TERMINAL 16u
#define PLAN_WINSIZE 32u /* process.consoleSize is set */
#define PLAN_CONSOLE 64u /* a new container: the pty becomes /dev/console */

struct plan_reader {
	const char *p, *end;
};

static uint32_t get_u32(struct plan_reader *r)
{
	uint32_t v;
	if (r->end - r->p < 4)
		fail("exec plan: truncated");
	memcpy(&v, r->p, 4);
	r->p += 4;
	return v;
}

static uint64_t get_u64(struct plan_reader *r)
{
	uint64_t lo = get_u32(r);
	return lo | (uint64_t)get_u32(r) << 32;
}

static const char *get_bytes(struct plan_reader *r, uint32_t n)
{
	const char *b = r->p;
	if ((uint64_t)(r->end - r->p) < n)
		fail("exec plan: truncated");
	r->p += n;
	return b;
}

/* get_strings reads a count and that many NUL-terminated strings into a
 * NULL-terminated array (argv and envp can be passed as they are). */
static char **get_strings(struct plan_reader *r)
{
	uint32_t n = get_u32(r);
	char **v;

	if (n > (uint32_t)(r->end - r->p))
		fail("exec plan: bad string count");
	v = calloc(n + 1, sizeof(char *));
	if (!v)
		fail("exec plan: allocate");
	for (uint32_t i = 0; i < n; i++) {
		const char *nul = memchr(r->p, '\0', r->end - r->p);
		if (!nul)
			fail("exec plan: unterminated string");
		v[i] = (char *)r->p;
		r->p = nul + 1;
	}
	return v;
}

/* read_frame reads one binary message body (what names it in errors). */
static char *read_frame(size_t *len, const char *what)
{
	unsigned char hdr[4];
	char *buf;
	size_t got = 0;

	if (read(sync_fd, hdr, 4) != 4)
		fail("read %s header", what);
	*len = (size_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3];
	if (*len > (64u << 20) || !(buf = malloc(*len ? *len : 1)))
		fail("%s of %zu bytes", what, *len);
	while (got < *len) {
		ssize_t n = read(sync_fd, buf + got, *len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("read %s", what);
		got += (size_t)n;
	}
	return buf;
}

/* send_fd_json sends one message with fd attached to its header bytes, as
 * syncproto.Send does. */
static void send_fd_json(const char *body, int fd)
{
	uint32_t len = (uint32_t)strlen(body);
	unsigned char hdr[4] = { len >> 24, len >> 16, len >> 8, len };
	struct iovec iov = { hdr, 4 };
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sync_fd, &msg, 0) != 4 || write_all(sync_fd, body, len) < 0)
		fail("send %s", body);
}

/* mount_console bind-mounts the pty slave on /dev/console, as the Go
 * init's rootfs.MountConsole does: never through a symlink (our root is
 * the container's, so a symlinked /dev can only lead inside it, but a
 * symlinked /dev/console is refused), and a missing file is made. */
static void mount_console(int slave)
{
	struct stat st;
	int tree, target = open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (target < 0 && errno == ENOENT) {
		int fd = open("/dev/console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
		target = open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (target < 0 || fstat(target, &st) < 0)
		fail("process.terminal: /dev/console");
	errno = 0;
	if (S_ISLNK(st.st_mode))
		fail("process.terminal: /dev/console in the container is a symlink, refusing to mount the terminal there");
	if (S_ISDIR(st.st_mode))
		fail("process.terminal: /dev/console in the container is a directory");
	tree = (int)syscall(SYS_open_tree, slave, "", 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC | AT_EMPTY_PATH);
	if (tree < 0 || syscall(SYS_move_mount, tree, "", target, "",
				0x4 /* MOVE_MOUNT_F_EMPTY_PATH */ | 0x40 /* MOVE_MOUNT_T_EMPTY_PATH */) < 0)
		fail("process.terminal: mount the terminal on /dev/console");
	close(tree);
	close(target);
}

/* setup_terminal: a pty pair from the container's own devpts, the master
 * to the parent, the slave as controlling terminal and stdio (setupConsole);
 * for a new container, /dev/console too. */
static void setup_terminal(uint32_t flags, uint32_t rows, uint32_t cols)
{
	int unlock = 0, slave, master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (master < 0)
		fail("process.terminal: open /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		fail("process.terminal: unlock pty");
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		fail("process.terminal: open pty slave");
	if (flags & PLAN_WINSIZE) {
		struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			fail("process.consoleSize");
	}
	if (flags & PLAN_CONSOLE)
		mount_console(slave);
	send_fd_json("{\"type\":\"console\"}", master);
	close(master);
	if (setsid() < 0)
		fail("process.terminal: setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		fail("process.terminal: set controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup3(slave, fd, 0) < 0)
			fail("process.terminal: dup pty to fd %d", fd);
	close(slave);
}

static void load_seccomp(const char *filter, uint32_t len, uint32_t flags)
{
	struct sock_fprog prog = { .len = (unsigned short)(len / 8), .filter = (struct sock_filter *)filter };
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);

	if (r < 0)
		fail("linux.seccomp: load filter (flags %#x)", flags);
	if (r > 0) {
		errno = EBUSY;
		fail("linux.seccomp: load filter: thread %ld could not be synchronized", r);
	}
}

/* find_program returns the first candidate that exists and is not a
 * directory with an x bit, like the Go init's lookPath. */
static const char *find_program(char **paths, const char *name)
{
	struct stat st;

	for (; *paths; paths++)
		if (stat(*paths, &st) == 0 && !S_ISDIR(st.st_mode) && (st.st_mode & 0111))
			return *paths;
	if (strchr(name, '/')) {
		if (stat(name, &st) < 0)
			fail("exec: \"%s\": stat %s", name, name);
		errno = EACCES;
		fail("exec: \"%s\"", name);
	}
	errno = 0;
	fail("exec: \"%s\": executable file not found in $PATH", name);
	return NULL;
}

/* fix_stdio_owner hands the inherited stdio to a non-root user so it can
 * reopen /dev/stdout, as runc does (best effort; /dev/null is left alone). */
static void fix_stdio_owner(uid_t uid, gid_t gid)
{
	struct stat null, st;
	int have_null = stat("/dev/null", &null) == 0;

	for (int fd = 0; fd < 3; fd++)
		if (fstat(fd, &st) == 0 && !(have_null && st.st_rdev == null.st_rdev))
			if (fchown(fd, uid, gid) < 0) {
				/* a pipe from another user namespace: fine */
			}
}

static void drop_bounding(uint64_t keep, uint32_t last_cap)
{
	for (uint32_t c = 0; c <= last_cap && c < 64; c++)
		if (!(keep >> c & 1) && prctl(PR_CAPBSET_READ, c, 0, 0, 0) > 0 &&
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			fail("process.capabilities.bounding: prctl(PR_CAPBSET_DROP, %u)", c);
}

static void set_identity(struct plan_reader *r)
{
	uint32_t uid = get_u32(r), gid = get_u32(r), mask = get_u32(r), ngroups = get_u32(r);
	const gid_t *groups = (const gid_t *)get_bytes(r, ngroups > 65536 ? ~0u : ngroups * 4);
	uint64_t bounding = get_u64(r), eff = get_u64(r), perm = get_u64(r), inh = get_u64(r), amb = get_u64(r);
	uint32_t last_cap = get_u32(r);
	const char *cwd = get_strings(r)[0], *wd;
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {
		{ (uint32_t)eff, (uint32_t)perm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(perm >> 32), (uint32_t)(inh >> 32) },
	};
	char buf[4096];

	if (!cwd)
		fail("exec plan: no cwd");
	if (uid != 0)
		fix_stdio_owner(uid, gid);
	drop_bounding(bounding, last_cap);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		fail("prctl(PR_SET_KEEPCAPS, 1)");
	if (setgroups(ngroups, groups) < 0)
		fail("process.user.additionalGids: setgroups");
	if (syscall(SYS_setresgid, gid, gid, gid) < 0)
		fail("process.user.gid: setresgid(%u)", gid);
	if (syscall(SYS_setresuid, uid, uid, uid) < 0)
		fail("process.user.uid: setresuid(%u)", uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		fail("prctl(PR_SET_KEEPCAPS, 0)");
	umask(mask);
	/* cwd: refuse one outside the root (CVE-2024-21626), see enterCwd. */
	if (chdir(cwd) < 0)
		fail("process.cwd: chdir %s", cwd);
	wd = getcwd(buf, sizeof(buf));
	if (!wd || wd[0] != '/') {
		errno = EPERM;
		fail("process.cwd: %s is outside the container's root filesystem", cwd);
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		fail("process.capabilities: capset(effective=%#llx, permitted=%#llx, inheritable=%#llx)",
		     (unsigned long long)eff, (unsigned long long)perm, (unsigned long long)inh);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		fail("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	/* The parent left out (and warned about) what the kernel would refuse. */
	for (uint32_t c = 0; c < 64; c++)
		if ((amb >> c & 1) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			fail("process.capabilities.ambient: prctl(PR_CAP_AMBIENT_RAISE, %u)", c);
}

/* wait_start blocks until `ocirun start` opens the exec fifo for reading,
 * then tells it the program runs now (the Go init's startOnSignal). The
 * fifo is reopened for writing through the host's /proc, opened before
 * pivot_root: the container may have no /proc of its own. */
static void wait_start(int proc, int fifo)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "self/fd/%d", fifo);
	fd = openat(proc, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail("open exec fifo");
	close(proc);
	close(fifo);
	if (write(fd, "0", 1) != 1)
		fail("write exec fifo");
	/* fd is O_CLOEXEC: execve closes it, and `start` reads EOF. */
}

/* exec_stage never returns: it execs the program or fails. With fifo >= 0
 * (a created container) it waits for `start` after "ready". */
static void exec_stage(int proc, int fifo)
{
	size_t len;
	char *buf;

	fail_prefix = ""; /* errors read as the Go init's */
	buf = read_frame(&len, "exec plan");
	struct plan_reader r = { buf, buf + len };
	uint32_t magic = get_u32(&r), flags = get_u32(&r);
	uint32_t preserve_fds, rows, cols, seccomp_flags, seccomp_len, nrlimits;
	const char *filter, *keyring, *path;
	char **argv, **envp, **paths;

	if (magic != PLAN_MAGIC) {
		errno = EPROTO;
		fail("exec plan: bad magic %#x", magic);
	}
	preserve_fds = get_u32(&r);
	rows = get_u32(&r);
	cols = get_u32(&r);
	seccomp_flags = get_u32(&r);
	seccomp_len = get_u32(&r);
	filter = get_bytes(&r, seccomp_len);
	keyring = get_strings(&r)[0];
	argv = get_strings(&r);
	envp = get_strings(&r);
	paths = get_strings(&r);
	nrlimits = get_u32(&r);
	for (uint32_t i = 0; i < nrlimits; i++) {
		uint32_t res = get_u32(&r);
		struct rlimit rl = { get_u64(&r), 0 };
		rl.rlim_max = get_u64(&r);
		if (setrlimit(res, &rl) < 0)
			fail("process.rlimits: setrlimit(%u, soft %llu, hard %llu)", res,
			     (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
	}
	if (!argv[0] || (seccomp_len % 8) != 0 || (seccomp_len == 0) != !(flags & (PLAN_SECCOMP_EARLY | PLAN_SECCOMP_LATE))) {
		errno = EPROTO;
		fail("exec plan: inconsistent");
	}
	if ((flags & PLAN_KEYRING) && keyring &&
	    syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, keyring) < 0 && errno != ENOSYS)
		fail("join session keyring");
	if (flags & PLAN_TERMINAL)
		setup_terminal(flags, rows, cols);
	path = find_program(paths, argv[0]);
	if ((flags & PLAN_NNP) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail("process.noNewPrivileges");
	if (flags & PLAN_SECCOMP_EARLY)
		load_seccomp(filter, seccomp_len, seccomp_flags);
	set_identity(&r); /* the rest of the plan */
	/* Only the program's own fds survive exec; ours is O_CLOEXEC too, so
	 * the parent reads EOF once the program runs. */
	if (syscall(SYS_close_range, 3 + preserve_fds, ~0u, CLOSE_RANGE_CLOEXEC) < 0)
		fail("mark fds close-on-exec");
	send_json("{\"type\":\"ready\"}");
	if (fifo >= 0)
		wait_start(proc, fifo);
	if (flags & PLAN_SECCOMP_LATE)
		load_seccomp(filter, seccomp_len, seccomp_flags);
	execve(path, argv, envp);
	fail("exec %s", path);
}

/* ---- init stage: a new container's pid 1 without the Go init (see
 * libcontainer/initstage.go). The parent has placed us in our cgroups and
 * sends "init-start": magic, flags, exec fifo fd (-1: run). We make our
 * cgroup namespace (rooted at the cgroup we are in now) and a proc
 * filesystem context (a procfs shows the pid namespace of whoever opened
 * the context: ours), and send it with "procfs". A thread of the parent
 * then joins our namespaces and builds the rootfs; its pivot_root moves
 * our root and cwd too. Then the exec plan, as for exec. */

#define START_MAGIC 0x3149434fu /* "OCI1" */
#define START_CGROUPNS 1u
#define START_PROCFS 2u

/* die_on_signal: the Go init exits (status 2) on these signals, as any Go
 * program does; as a pid namespace's init with no handler we would ignore
 * them, and `kill ID TERM` could not stop a created container. execve
 * resets the handlers. */
static void exit_on_signal(int sig)
{
	(void)sig;
	_exit(2);
}

static void die_on_signal(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGABRT };
	struct sigaction sa = { .sa_handler = exit_on_signal };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			fail("sigaction(%d)", sigs[i]);
}

static void init_stage(void)
{
	size_t len;
	char *buf;
	int proc = -1;

	fail_prefix = "";
	die_on_signal();
	buf = read_frame(&len, "init start");
	struct plan_reader r = { buf, buf + len };
	uint32_t magic = get_u32(&r), flags = get_u32(&r);
	int fifo = (int)get_u32(&r);

	if (magic != START_MAGIC) {
		errno = EPROTO;
		fail("init start: bad magic %#x", magic);
	}
	free(buf);
	if (fifo >= 0 && (proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		fail("open /proc");
	if ((flags & START_CGROUPNS) && unshare(CLONE_NEWCGROUP) < 0)
		fail("create cgroup namespace");
	if (flags & START_PROCFS) {
		int fs = (int)syscall(SYS_fsopen, "proc", 1 /* FSOPEN_CLOEXEC */);
		if (fs < 0)
			fail("fsopen proc");
		send_fd_json("{\"type\":\"procfs\"}", fs);
		close(fs);
	} else {
		send_json("{\"type\":\"procfs\"}");
	}
	exec_stage(proc, fifo);
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
	if (getenv("_OCIRUN_EXEC_STAGE"))
		exec_stage(-1, -1);
	if (getenv("_OCIRUN_INIT_STAGE"))
		init_stage();
	unsetenv("_OCIRUN_NS_JOIN");
	unsetenv("_OCIRUN_NS_UNSHARE");
	unsetenv("_OCIRUN_NS_FORK");
	unsetenv("_OCIRUN_TIME_OFFSETS");
}

/*
 * lackey.c - the valgrind lackey trace parser (see lackey.h).
 *
 * A hand-written scanner over the whole file, mapped into memory: no
 * sscanf, no copy, a few ns per record.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/diag.h"
#include "io/lackey.h"

/* Hex digit values; 0xff for every other byte. */
static uint8_t hexval[256];

__attribute__((constructor)) static void hexval_init(void)
{
	memset(hexval, 0xff, sizeof(hexval));
	for (int c = 0; c < 10; c++)
		hexval['0' + c] = (uint8_t)c;
	for (int c = 0; c < 6; c++) {
		hexval['a' + c] = (uint8_t)(10 + c);
		hexval['A' + c] = (uint8_t)(10 + c);
	}
}

static int bad(const char *path, unsigned line, const char *bol,
	       const char *at, const char *what)
{
	diag_error(path, line, (unsigned)(at - bol) + 1, "%s", what);
	return -1;
}

/*
 * The memory call a SYSCALL line names, with or without "sys_" (the names
 * strace logs), or STRACE_SYS_OTHER.
 */
static enum strace_sys mem_call(const char *name, size_t len)
{
	enum strace_sys sys;

	if (len > 4 && !memcmp(name, "sys_", 4)) {
		name += 4;
		len -= 4;
	}
	sys = strace_sys_lookup(name, len);
	return strace_is_mem(sys) ? sys : STRACE_SYS_OTHER;
}

/* A decimal or 0x-hex number at *p (before end); false if none. */
static bool number(const char **p, const char *end, uint64_t *v)
{
	const char *q = *p;
	unsigned base = 10, digits = 0;
	bool neg = q < end && *q == '-';

	*v = 0;
	if (neg)
		q++;
	if (end - q > 2 && q[0] == '0' && q[1] == 'x') {
		base = 16;
		q += 2;
	}
	for (; q < end; q++, digits++) {
		unsigned d = hexval[(unsigned char)*q];

		if (d >= base || *v > (UINT64_MAX - d) / base)
			break;
		*v = *v * base + d;
	}
	*p = q;
	if (neg)
		*v = -*v;       /* valgrind prints an fd of -1 so: two's complement */
	return digits && digits <= 20;
}

/* Steps over the character ch at *p; false (not moving) if it is not there. */
static bool skip(const char **p, const char *end, char ch)
{
	if (*p == end || **p != ch)
		return false;
	(*p)++;
	return true;
}

#define MAX_ASYNC 16

/* Memory calls whose result comes on a later line. */
struct call_state {
	struct strace_rec async[MAX_ASYNC]; /* "--> [async] ...": by thread */
	uint64_t async_tid[MAX_ASYNC];
	unsigned nr_async;
	struct strace_rec broken;   /* cut by valgrind's "==pid==" messages */
	bool has_broken;
};

/*
 * The result at p ("[pre-success] Success(0x..)", "Failure(0x..)"): 1
 * with c->ret set, -1 after an error.
 */
static int call_result(const char *path, unsigned line, const char *bol,
		       const char *p, const char *eol, struct strace_rec *c)
{
	uint64_t v;

	/* "[pre-success] ", "[pre-fail] ": valgrind's own answer */
	if (p < eol && *p == '[' && eol - p >= 6 && !memcmp(p, "[pre-", 5)) {
		const char *close = memchr(p, ']', (size_t)(eol - p));

		if (close && close + 1 < eol && close[1] == ' ')
			p = close + 2;
	}
	if (eol - p >= 8 && (!memcmp(p, "Success(", 8) || !memcmp(p, "Failure(", 8))) {
		bool ok = p[0] == 'S';

		p += 8;
		if (!number(&p, eol, &v) || p == eol || *p != ')')
			return bad(path, line, bol, p, "bad result");
		c->has_ret = true;
		c->ret = ok ? (int64_t)v : -(int64_t)v;
		return 1;
	}
	return bad(path, line, bol, p, "a memory call without its result "
		   "(expected Success(...) or Failure(...))");
}

/*
 * A "SYSCALL[" line from bol to eol (no newline). Returns 1 with *c filled
 * for a memory call, 0 for a line to skip (or a call whose result comes
 * later, kept in st), -1 after an error.
 */
static int syscall_line(const char *path, unsigned line, const char *bol,
			const char *eol, struct strace_rec *c,
			struct call_state *st)
{
	const char *p = bol + 8, *name, *res;
	uint64_t pid, tid, nr;

	if (!number(&p, eol, &pid) || !skip(&p, eol, ',') ||
	    !number(&p, eol, &tid) || !skip(&p, eol, ']') || !skip(&p, eol, '(') ||
	    !number(&p, eol, &nr) || !skip(&p, eol, ')') || !skip(&p, eol, ' '))
		return bad(path, line, bol, p, "not a valgrind SYSCALL line");
	if (eol - p >= 4 && !memcmp(p, "... ", 4)) {
		/* "... [async] --> Success(..)": the end of a call of tid */
		res = memmem(p, (size_t)(eol - p), "--> ", 4);
		for (unsigned i = 0; res && i < st->nr_async; i++) {
			if (st->async_tid[i] != tid)
				continue;
			*c = st->async[i];
			st->async[i] = st->async[--st->nr_async];
			st->async_tid[i] = st->async_tid[st->nr_async];
			return call_result(path, line, bol, res + 4, eol, c);
		}
		return 0;
	}
	for (name = p; p < eol && *p != ' ' && *p != '('; p++)
		;
	memset(c, 0, sizeof(*c));
	c->sys = mem_call(name, (size_t)(p - name));
	if (c->sys == STRACE_SYS_OTHER)
		return 0;           /* a call vmsim does not run */
	c->line = c->first_line = line;
	c->pid = (int)pid;
	c->name = name;
	c->name_len = (size_t)(p - name);
	while (p < eol && *p == ' ')
		p++;
	if (!skip(&p, eol, '('))
		return bad(path, line, bol, p, "expected '(' and the arguments");
	c->args = p;
	for (;;) {
		while (p < eol && *p == ' ')
			p++;
		if (p < eol && *p == ')')
			break;
		if (c->nr_args == 6 || !number(&p, eol, &c->arg[c->nr_args]))
			return bad(path, line, bol, p, "bad argument (a number)");
		c->nr_args++;
		while (p < eol && *p == ' ')
			p++;
		if (p < eol && *p == ',')
			p++;
		else if (p == eol || *p != ')')
			return bad(path, line, bol, p, "expected ',' or ')'");
	}
	c->args_len = (size_t)(p++ - c->args);
	if (c->name_len >= 5 && !memcmp(name + c->name_len - 5, "mmap2", 5))
		c->arg[5] <<= 12;   /* 32-bit mmap2: offset in 4096-byte units */
	res = memmem(p, (size_t)(eol - p), "--> ", 4);
	if (!res && eol - p >= 2 && p[0] == '=' && p[1] == '=') {
		/* valgrind's message cut the line: " --> result" follows */
		st->broken = *c;
		st->has_broken = true;
		return 0;
	}
	if (!res)
		return bad(path, line, bol, p, "a memory call without its result");
	p = res + 4;
	if (eol - p >= 7 && !memcmp(p, "[async]", 7)) {
		/* it may block (madvise): the result comes with tid's "..." */
		if (st->nr_async == MAX_ASYNC)
			return bad(path, line, bol, p, "too many calls waiting "
				   "for their results");
		st->async[st->nr_async] = *c;
		st->async_tid[st->nr_async++] = tid;
		return 0;
	}
	return call_result(path, line, bol, p, eol, c);
}

/*
 * A line of valgrind's system-call account: "SYSCALL[...", or " --> ...",
 * the end of a call line that one of valgrind's messages cut in two (it
 * completes the call kept in st, if any). Returns as syscall_line().
 */
static int call_line(const char *path, unsigned line, const char *bol,
		     const char *eol, struct strace_rec *c, struct call_state *st)
{
	if (bol[0] == 'S')
		return syscall_line(path, line, bol, eol, c, st);
	if (!st->has_broken)
		return 0;
	*c = st->broken;
	st->has_broken = false;
	return call_result(path, line, bol, bol + 5, eol, c);
}

int lackey_parse(const char *path, const char *buf, size_t len, lackey_fn fn,
		 void *arg, uint64_t *records)
{
	const char *p = buf, *end = buf + len;
	struct strace_rec call;
	struct call_state st = { .nr_async = 0 };
	struct lackey_rec r = { .call = NULL };
	uint64_t n = 0;
	unsigned line = 0;
	int rc = 0;

	while (p < end) {
		const char *bol = p, *q;
		unsigned digits = 0;
		uint64_t size;

		line++;
		/* "I  " at the start, or " L ", " S ", " M " */
		if (end - p >= 3 && p[0] == 'I' && p[1] == ' ' && p[2] == ' ') {
			r.kind = 'I';
			p += 3;
		} else if (end - p >= 3 && p[0] == ' ' && p[2] == ' ' &&
			   (p[1] == 'L' || p[1] == 'S' || p[1] == 'M')) {
			r.kind = p[1];
			p += 3;
		} else {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			if ((end - p >= 2 && p[0] == '=' && p[1] == '=') ||
			    *p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
				p = nl ? nl + 1 : end;
				continue;
			}
			/* valgrind's "--pid--" notes */
			if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
				p = nl ? nl + 1 : end;
				continue;
			}
			if ((end - p >= 5 && !memcmp(p, " --> ", 5)) ||
			    (end - p >= 8 && !memcmp(p, "SYSCALL[", 8))) {
				const char *eol = nl ? nl : end;

				if (eol > p && eol[-1] == '\r')
					eol--;
				rc = call_line(path, line, p, eol, &call, &st);
				if (rc < 0)
					break;
				p = nl ? nl + 1 : end;
				if (!rc)
					continue;
				r.kind = 'Y';
				r.line = line;
				r.call = &call;
				rc = fn(arg, &r);
				if (rc)
					break;
				continue;
			}
			rc = bad(path, line, bol, p, "not a lackey record "
				 "(expected 'I  ADDR,SIZE' or ' L|S|M ADDR,SIZE')");
			break;
		}
		r.addr = 0;
		for (q = p; q < end; q++) {
			unsigned v = hexval[(unsigned char)*q];

			if (v > 15)
				break;
			r.addr = r.addr << 4 | v;
		}
		digits = (unsigned)(q - p);
		if (!digits || digits > 16) {
			rc = bad(path, line, bol, p, q == end && digits <= 16 ?
				 "truncated record" : "bad address (hex, at most 16 digits)");
			break;
		}
		if (q == end || *q != ',') {
			rc = bad(path, line, bol, q, q == end ? "truncated record" :
				 "expected ',' after the address");
			break;
		}
		p = ++q;
		size = 0;
		for (; q < end && q - p < 11; q++) {
			unsigned v = (unsigned)(unsigned char)*q - '0';

			if (v > 9)
				break;
			size = size * 10 + v;
		}
		digits = (unsigned)(q - p);
		r.size = (unsigned)size;
		if (!digits || !size || size > UINT32_MAX) {
			rc = bad(path, line, bol, p, q == end ? "truncated record" :
				 "bad size (a positive decimal number)");
			break;
		}
		if (q < end && *q == '\r')
			q++;
		if (q == end) {
			rc = bad(path, line, bol, q, "truncated record (no end of line)");
			break;
		}
		if (*q != '\n') {
			rc = bad(path, line, bol, q, "unexpected text after the size");
			break;
		}
		p = q + 1;
		r.line = line;
		n++;
		rc = fn(arg, &r);
		if (rc)
			break;
	}
	if (records)
		*records = n;
	return rc;
}

/*
 * A gzip-compressed trace (bundled workloads keep theirs that way): the
 * text from `gzip -dc`, whole, in *out. gzip's own exit status decides
 * whether the file was whole, so a truncated .gz is an error, not a
 * shorter trace.
 */
static int gunzip(const char *path, char **out, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	struct sigaction old_chld;
	int pipefd[2], status;
	pid_t pid;
	ssize_t got;

	if (!buf || pipe(pipefd)) {
		free(buf);
		diag_error(path, 0, 0, "cannot decompress: %s", strerror(errno));
		return -1;
	}
	/* gzip's status is needed: a caller that ignores SIGCHLD would lose it */
	sigaction(SIGCHLD, &(struct sigaction){ .sa_handler = SIG_DFL }, &old_chld);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execlp("gzip", "gzip", "-dc", "--", path, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0) {
		sigaction(SIGCHLD, &old_chld, NULL);
		close(pipefd[0]);
		free(buf);
		diag_error(path, 0, 0, "cannot decompress: fork: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		got = read(pipefd[0], buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	sigaction(SIGCHLD, &old_chld, NULL);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		free(buf);
		diag_error(path, 0, 0, "not a whole gzip file (gzip -dc %s %d)",
			   WIFEXITED(status) ? "exited with" : "died of signal",
			   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

static bool gzipped(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && !strcmp(path + n - 3, ".gz");
}

int lackey_parse_file(const char *path, lackey_fn fn, void *arg,
		      uint64_t *records)
{
	int fd;
	struct stat st;
	void *map;
	int rc;

	if (gzipped(path)) {
		char *text;
		size_t len;

		if (access(path, R_OK)) {
			diag_error(path, 0, 0, "cannot open: %s", strerror(errno));
			return -1;
		}
		if (gunzip(path, &text, &len))
			return -1;
		rc = lackey_parse(path, text, len, fn, arg, records);
		free(text);
		return rc;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		diag_error(path, 0, 0, "cannot open: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		diag_error(path, 0, 0, "not a regular file");
		return -1;
	}
	if (st.st_size == 0) {
		close(fd);
		return lackey_parse(path, "", 0, fn, arg, records);
	}
	/* mapped, not read: a trace of gigabytes costs no copy */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		diag_error(path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	rc = lackey_parse(path, map, (size_t)st.st_size, fn, arg, records);
	munmap(map, (size_t)st.st_size);
	return rc;
}

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

int lackey_parse(const char *path, const char *buf, size_t len, lackey_fn fn,
		 void *arg, uint64_t *records)
{
	const char *p = buf, *end = buf + len;
	struct lackey_rec r;
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

/*
 * strace.c - a hand-written scanner for strace -f -y logs (see strace.h).
 *
 * Each line is taken apart in place:
 *
 *     1234  12:00:01.000001 mmap(NULL, 4096, ...) = 0x7ffff7fbf000 <0.000012>
 *     ^pid  ^timestamp (opt) ^name ^args       ^result         ^-T (ignored)
 *
 * A call split by another pid's output is kept per pid as its text up to
 * "<unfinished ...>"; its "<... name resumed>" line appends the rest and
 * the joined text is decoded like a whole line. Positions in joined text
 * map back to the line and column they came from, so errors still point
 * at the right character.
 *
 * The flag names are those of Linux x86-64 (include/uapi/asm-generic/
 * mman-common.h, mman.h, arch/x86/include/uapi/asm/mman.h) as strace
 * prints them; an unknown name in a memory call is an input error, an
 * unknown number is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/diag.h"
#include "io/strace.h"
#include "lib/compiler.h"

/* ---- names ------------------------------------------------------------ */

struct name_val {
	const char *name;           /* as strace prints it */
	uint8_t len;                /* strlen(name), compared first */
	uint64_t val;               /* Linux x86-64 value */
};

#define NV(n, v) { #n, sizeof(#n) - 1, v }

static const struct name_val prot_names[] = {
	NV(PROT_NONE, 0x0), NV(PROT_READ, 0x1), NV(PROT_WRITE, 0x2),
	NV(PROT_EXEC, 0x4), NV(PROT_SEM, 0x8),
	NV(PROT_GROWSDOWN, 0x01000000), NV(PROT_GROWSUP, 0x02000000),
};

static const struct name_val map_names[] = {
	NV(MAP_SHARED, 0x01), NV(MAP_PRIVATE, 0x02),
	NV(MAP_SHARED_VALIDATE, 0x03), NV(MAP_DROPPABLE, 0x08),
	NV(MAP_FIXED, 0x10), NV(MAP_ANONYMOUS, 0x20), NV(MAP_ANON, 0x20),
	NV(MAP_32BIT, 0x40), NV(MAP_FILE, 0x0), NV(MAP_GROWSDOWN, 0x100),
	NV(MAP_DENYWRITE, 0x800), NV(MAP_EXECUTABLE, 0x1000),
	NV(MAP_LOCKED, 0x2000), NV(MAP_NORESERVE, 0x4000),
	NV(MAP_POPULATE, 0x8000), NV(MAP_NONBLOCK, 0x10000),
	NV(MAP_STACK, 0x20000), NV(MAP_HUGETLB, 0x40000),
	NV(MAP_SYNC, 0x80000), NV(MAP_FIXED_NOREPLACE, 0x100000),
	NV(MAP_UNINITIALIZED, 0x4000000),
};

static const struct name_val mremap_names[] = {
	NV(MREMAP_MAYMOVE, 1), NV(MREMAP_FIXED, 2), NV(MREMAP_DONTUNMAP, 4),
};

static const struct name_val madv_names[] = {
	NV(MADV_NORMAL, 0), NV(MADV_RANDOM, 1), NV(MADV_SEQUENTIAL, 2),
	NV(MADV_WILLNEED, 3), NV(MADV_DONTNEED, 4), NV(MADV_FREE, 8),
	NV(MADV_REMOVE, 9), NV(MADV_DONTFORK, 10), NV(MADV_DOFORK, 11),
	NV(MADV_MERGEABLE, 12), NV(MADV_UNMERGEABLE, 13),
	NV(MADV_HUGEPAGE, 14), NV(MADV_NOHUGEPAGE, 15),
	NV(MADV_DONTDUMP, 16), NV(MADV_DODUMP, 17),
	NV(MADV_WIPEONFORK, 18), NV(MADV_KEEPONFORK, 19),
	NV(MADV_COLD, 20), NV(MADV_PAGEOUT, 21),
	NV(MADV_POPULATE_READ, 22), NV(MADV_POPULATE_WRITE, 23),
	NV(MADV_DONTNEED_LOCKED, 24), NV(MADV_COLLAPSE, 25),
	NV(MADV_HWPOISON, 100), NV(MADV_SOFT_OFFLINE, 101),
	NV(MADV_GUARD_INSTALL, 102), NV(MADV_GUARD_REMOVE, 103),
};

static const struct name_val clone_names[] = {
	NV(CLONE_VM, STRACE_CLONE_VM), NV(CLONE_FILES, STRACE_CLONE_FILES),
	NV(CLONE_VFORK, STRACE_CLONE_VFORK),
	NV(CLONE_THREAD, STRACE_CLONE_THREAD),
};

/* Error names of include/uapi/asm-generic/errno-base.h, errno.h and the
 * kernel-internal restart codes strace shows. */
static const struct name_val errno_names[] = {
	NV(EPERM, 1), NV(ENOENT, 2), NV(ESRCH, 3), NV(EINTR, 4), NV(EIO, 5),
	NV(ENXIO, 6), NV(E2BIG, 7), NV(ENOEXEC, 8), NV(EBADF, 9),
	NV(ECHILD, 10), NV(EAGAIN, 11), NV(ENOMEM, 12), NV(EACCES, 13),
	NV(EFAULT, 14), NV(ENOTBLK, 15), NV(EBUSY, 16), NV(EEXIST, 17),
	NV(EXDEV, 18), NV(ENODEV, 19), NV(ENOTDIR, 20), NV(EISDIR, 21),
	NV(EINVAL, 22), NV(ENFILE, 23), NV(EMFILE, 24), NV(ENOTTY, 25),
	NV(ETXTBSY, 26), NV(EFBIG, 27), NV(ENOSPC, 28), NV(ESPIPE, 29),
	NV(EROFS, 30), NV(EMLINK, 31), NV(EPIPE, 32), NV(EDOM, 33),
	NV(ERANGE, 34), NV(EDEADLK, 35), NV(ENAMETOOLONG, 36),
	NV(ENOLCK, 37), NV(ENOSYS, 38), NV(ENOTEMPTY, 39), NV(ELOOP, 40),
	NV(ENODATA, 61), NV(ETIME, 62), NV(EOVERFLOW, 75),
	NV(EOPNOTSUPP, 95), NV(ENOTSUP, 95), NV(ETIMEDOUT, 110),
	NV(EHWPOISON, 133),
	NV(ERESTARTSYS, 512), NV(ERESTARTNOINTR, 513),
	NV(ERESTARTNOHAND, 514), NV(ENOIOCTLCMD, 515),
	NV(ERESTART_RESTARTBLOCK, 516),
};

static const struct {
	const char *name;           /* as logged */
	enum strace_sys sys;        /* record kind */
} sys_names[] = {
	{ "mmap", STRACE_SYS_MMAP }, { "munmap", STRACE_SYS_MUNMAP },
	{ "mmap2", STRACE_SYS_MMAP },   /* 32-bit: offset in 4096-byte units */
	{ "mprotect", STRACE_SYS_MPROTECT }, { "brk", STRACE_SYS_BRK },
	{ "mremap", STRACE_SYS_MREMAP }, { "madvise", STRACE_SYS_MADVISE },
	{ "execve", STRACE_SYS_EXECVE }, { "execveat", STRACE_SYS_EXECVEAT },
	{ "clone", STRACE_SYS_CLONE }, { "clone3", STRACE_SYS_CLONE3 },
	{ "fork", STRACE_SYS_FORK }, { "vfork", STRACE_SYS_VFORK },
	{ "exit", STRACE_SYS_EXIT }, { "exit_group", STRACE_SYS_EXIT_GROUP },
	{ "open", STRACE_SYS_OPEN }, { "openat", STRACE_SYS_OPENAT },
	{ "close", STRACE_SYS_CLOSE },
};

const char *strace_sys_name(enum strace_sys sys)
{
	switch (sys) {
	case STRACE_SYS_OTHER:
		return "other";
	case STRACE_EV_EXITED:
		return "+++ exited";
	case STRACE_EV_KILLED:
		return "+++ killed";
	case STRACE_EV_SIGNAL:
		return "--- signal";
	default:
		break;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sys_names); i++)
		if (sys_names[i].sys == sys)
			return sys_names[i].name;
	return "?";
}

enum strace_sys strace_sys_lookup(const char *s, size_t len)
{
	/* Memory calls first: they are the bulk of a trace=memory log. */
	for (size_t i = 0; i < ARRAY_SIZE(sys_names); i++)
		if (!strncmp(sys_names[i].name, s, len) && !sys_names[i].name[len])
			return sys_names[i].sys;
	return STRACE_SYS_OTHER;
}

static const struct name_val *lookup_name(const struct name_val *t, size_t n,
					  const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].len == len && !memcmp(t[i].name, s, len))
			return &t[i];
	return NULL;
}

/* ---- positions and errors ---------------------------------------------- */

/*
 * The call text being decoded: [p0, end). Bytes before split sit on
 * line1 from column col1; bytes from split on line2 from column col2
 * (a resumed call), so every error names its true line and column.
 */
struct text {
	const char *fname;          /* for messages */
	const char *p0;             /* first byte of the call text */
	const char *end;            /* one past its last byte */
	const char *split;          /* first byte that came from line2 */
	unsigned line1, col1;       /* where p0 is in the log */
	unsigned line2, col2;       /* where split is in the log */
};

static unsigned t_line(const struct text *t, const char *at)
{
	return at < t->split ? t->line1 : t->line2;
}

static unsigned t_col(const struct text *t, const char *at)
{
	return at < t->split ? t->col1 + (unsigned)(at - t->p0)
			     : t->col2 + (unsigned)(at - t->split);
}

#define T_ERROR(t, at, ...) \
	(diag_error((t)->fname, t_line((t), (at)), t_col((t), (at)), \
		    __VA_ARGS__), -1)

/* ---- small scanners ---------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static const char *skip_blanks(const char *p, const char *e)
{
	while (p < e && is_blank(*p))
		p++;
	return p;
}

static const char *trim_end(const char *p, const char *e)
{
	while (e > p && is_blank(e[-1]))
		e--;
	return e;
}

/*
 * Reads a number at p: "0x" hex, decimal, optionally negative. Returns the
 * end of the digits, or NULL when there are none or it overflows.
 */
static const char *scan_number(const char *p, const char *e, uint64_t *out)
{
	bool neg = false;
	uint64_t v = 0;
	const char *d;

	if (p < e && *p == '-') {
		neg = true;
		p++;
	}
	if (e - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    hexval(p[2]) >= 0) {
		p += 2;
		for (d = p; p < e; p++) {
			int h = hexval(*p);

			if (h < 0)
				break;
			if (v >> 60)
				return NULL;
			v = v << 4 | (unsigned)h;
		}
	} else {
		for (d = p; p < e && is_digit(*p); p++) {
			if (v > (UINT64_MAX - 9) / 10)
				return NULL;
			v = v * 10 + (unsigned)(*p - '0');
		}
	}
	if (p == d)
		return NULL;
	*out = neg ? (uint64_t)-(int64_t)v : v;
	return p;
}

/* The whole token [p, e) is one number (or NULL). */
static bool token_number(const char *p, const char *e, uint64_t *out)
{
	if (e - p == 4 && !memcmp(p, "NULL", 4)) {
		*out = 0;
		return true;
	}
	return scan_number(p, e, out) == e;
}

/* MAP_HUGE_2MB and friends: log2(size) << MAP_HUGE_SHIFT (26). */
static bool map_huge(const char *p, const char *e, uint64_t *out)
{
	uint64_t n = 0, size;
	unsigned shift = 0;

	if (e - p < 12 || memcmp(p, "MAP_HUGE_", 9))
		return false;
	p += 9;
	if (!is_digit(*p))
		return false;
	while (p < e && is_digit(*p))
		n = n * 10 + (unsigned)(*p++ - '0');
	if (e - p != 2 || p[1] != 'B')
		return false;
	switch (p[0]) {
	case 'K': size = n << 10; break;
	case 'M': size = n << 20; break;
	case 'G': size = n << 30; break;
	default: return false;
	}
	if (!size || (size & (size - 1)))
		return false;
	while ((UINT64_C(1) << shift) < size)
		shift++;
	*out = (uint64_t)shift << 26;
	return true;
}

/*
 * A flag set "A|B|0x40" in [p, e) against table t. what names the
 * argument in messages. Unknown names are errors.
 */
static int parse_flags(const struct text *t, const char *p, const char *e,
		       const struct name_val *tab, size_t n, const char *what,
		       uint64_t *out)
{
	uint64_t v = 0;

	if (p == e)
		return T_ERROR(t, p, "missing %s", what);
	while (p < e) {
		const char *q = memchr(p, '|', (size_t)(e - p));
		const struct name_val *nv;
		uint64_t num;

		if (!q)
			q = e;
		if (q == p)
			return T_ERROR(t, p, "empty name in %s", what);
		if (is_digit(*p)) {
			if (!token_number(p, q, &num))
				return T_ERROR(t, p, "bad number '%.*s' in %s",
					       (int)(q - p), p, what);
			v |= num;
		} else if ((nv = lookup_name(tab, n, p, (size_t)(q - p)))) {
			v |= nv->val;
		} else if (tab == map_names && map_huge(p, q, &num)) {
			v |= num;
		} else {
			return T_ERROR(t, p, "unknown flag '%.*s' in %s",
				       (int)(q - p), p, what);
		}
		p = q + (q < e);
		if (q < e && p == e)
			return T_ERROR(t, q, "empty name in %s", what);
	}
	*out = v;
	return 0;
}

/* A number argument ("NULL", "0x..", "123", "-1"). */
static int parse_num_arg(const struct text *t, const char *p, const char *e,
			 const char *what, uint64_t *out)
{
	if (p == e)
		return T_ERROR(t, p, "missing %s", what);
	if (!token_number(p, e, out))
		return T_ERROR(t, p, "bad %s '%.*s'", what, (int)(e - p), p);
	return 0;
}

/*
 * Skips a -y annotation "<...>" starting at p (p[0] == '<'): it ends at
 * the first '>' followed by ',', ')', a blank or the end. Returns the
 * byte after it, or NULL when it is not closed.
 */
static const char *skip_annotation(const char *p, const char *e)
{
	for (const char *q = p + 1; q < e; q++)
		if (*q == '>' && (q + 1 == e || q[1] == ',' || q[1] == ')' ||
				  q[1] == '}' || is_blank(q[1])))
			return q + 1;
	return NULL;
}

/*
 * Scans the argument list starting at p (just after '(') up to the ')'
 * that closes it, in one pass: brackets nest, strings and -y annotations
 * are skipped, top-level commas split the arguments. The first max
 * arguments go to as/ae (blanks trimmed), *n counts them all. Returns the
 * closing ')', or NULL when the list is not closed on this text.
 */
static const char *scan_args(const char *p, const char *e, const char **as,
			     const char **ae, unsigned max, unsigned *n)
{
	const char *b = p, *s = p, *a;
	int depth = 0;

	*n = 0;
	for (; p < e; p++) {
		switch (*p) {
		case ',':
			if (depth)
				break;
			if (*n < max) {
				as[*n] = skip_blanks(s, p);
				ae[*n] = trim_end(as[*n], p);
			}
			(*n)++;
			s = p + 1;
			break;
		case '"':
			for (p++; p < e && *p != '"'; p++)
				if (*p == '\\')
					p++;
			if (p >= e)
				return NULL;
			break;
		case '(': case '[': case '{':
			depth++;
			break;
		case ']': case '}':
			depth--;
			break;
		case ')':
			if (depth--)
				break;
			a = skip_blanks(s, p);
			if (a < p || *n) {      /* "()" has no argument */
				if (*n < max) {
					as[*n] = a;
					ae[*n] = trim_end(a, p);
				}
				(*n)++;
			}
			return p;
		case '<': {
			const char *q;

			/* fd annotation: "3</path>", "AT_FDCWD</dir>" */
			if (p == b || (p[-1] != 'D' && !is_digit(p[-1])))
				break;
			q = skip_annotation(p, e);
			if (q)
				p = q - 1;  /* else a plain '<' */
			break;
		}
		default:
			break;
		}
	}
	return NULL;
}

/* Grows a parser-owned buffer to hold need bytes. */
static int reserve(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 256;

	while (n < need)
		n *= 2;
	char *b = realloc(*buf, n);

	if (!b)
		return -1;
	*buf = b;
	*cap = n;
	return 0;
}

/*
 * Copies the quoted C string at [p, e) (p[0] == '"') into p->str,
 * undoing strace's escapes (\" \\ \n \t \xNN \NNN).
 */
static int unquote(struct strace_parser *ps, const char *p, const char *e,
		   const char **out, size_t *out_len)
{
	size_t n = 0;

	if (reserve(&ps->str, &ps->str_cap, (size_t)(e - p) + 1))
		return -1;
	for (p++; p < e && *p != '"'; p++) {
		char c = *p;

		if (c == '\\' && p + 1 < e) {
			c = *++p;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'x' && p + 2 < e) {
				int hi = hexval(p[1]), lo = hexval(p[2]);

				if (hi >= 0 && lo >= 0) {
					c = (char)(hi << 4 | lo);
					p += 2;
				}
			} else if (c >= '0' && c <= '7') {
				int v = c - '0';

				for (int i = 0; i < 2 && p + 1 < e &&
				     p[1] >= '0' && p[1] <= '7'; i++)
					v = v * 8 + (*++p - '0');
				c = (char)v;
			}
		}
		ps->str[n++] = c;
	}
	ps->str[n] = '\0';
	*out = ps->str;
	*out_len = n;
	return 0;
}

/* ---- decoding one call ------------------------------------------------- */

/* The fd argument of mmap: "-1", "3" or "3</path>". */
static int parse_fd_arg(const struct text *t, const char *p, const char *e,
			struct strace_rec *r, uint64_t *fd)
{
	const char *q = scan_number(p, e, fd);

	if (!q)
		return T_ERROR(t, p, "bad fd '%.*s'", (int)(e - p), p);
	if (q == e)
		return 0;
	if (*q != '<' || e[-1] != '>')
		return T_ERROR(t, q, "bad fd annotation '%.*s'", (int)(e - q), q);
	r->path = q + 1;
	r->path_len = (size_t)(e - q - 2);
	/* -yy adds the device: "3</dev/zero<char 1:5>>" */
	if (r->path_len > 2 && r->path[r->path_len - 1] == '>') {
		const char *lt = r->path + r->path_len - 1;

		while (lt > r->path && *lt != '<')
			lt--;
		if (lt > r->path)
			r->path_len = (size_t)(lt - r->path);
	}
	return 0;
}

static int decode_mem_args(const struct text *t, const char *const *as,
			   const char *const *aend, unsigned n,
			   const char *ae, struct strace_rec *r)
{
	unsigned want_min, want_max;
	const char *name = strace_sys_name(r->sys);

	switch (r->sys) {
	case STRACE_SYS_MMAP: want_min = want_max = 6; break;
	case STRACE_SYS_MUNMAP: want_min = want_max = 2; break;
	case STRACE_SYS_MPROTECT: want_min = want_max = 3; break;
	case STRACE_SYS_BRK: want_min = want_max = 1; break;
	case STRACE_SYS_MREMAP: want_min = 4; want_max = 5; break;
	default: want_min = want_max = 3; break;   /* madvise */
	}
	if (n < want_min || n > want_max)
		return T_ERROR(t, n > want_max ? as[want_max] : ae,
			       "%s takes %u arguments, found %u", name,
			       want_min, n);
	r->nr_args = n;
	switch (r->sys) {
	case STRACE_SYS_MMAP:
		if (parse_num_arg(t, as[0], aend[0], "address", &r->arg[0]) ||
		    parse_num_arg(t, as[1], aend[1], "length", &r->arg[1]) ||
		    parse_flags(t, as[2], aend[2], prot_names,
				ARRAY_SIZE(prot_names), "mmap prot", &r->arg[2]) ||
		    parse_flags(t, as[3], aend[3], map_names,
				ARRAY_SIZE(map_names), "mmap flags", &r->arg[3]) ||
		    parse_fd_arg(t, as[4], aend[4], r, &r->arg[4]) ||
		    parse_num_arg(t, as[5], aend[5], "offset", &r->arg[5]))
			return -1;
		return 0;
	case STRACE_SYS_MUNMAP:
		return parse_num_arg(t, as[0], aend[0], "address", &r->arg[0]) ||
		       parse_num_arg(t, as[1], aend[1], "length", &r->arg[1]) ? -1 : 0;
	case STRACE_SYS_MPROTECT:
		if (parse_num_arg(t, as[0], aend[0], "address", &r->arg[0]) ||
		    parse_num_arg(t, as[1], aend[1], "length", &r->arg[1]) ||
		    parse_flags(t, as[2], aend[2], prot_names,
				ARRAY_SIZE(prot_names), "mprotect prot", &r->arg[2]))
			return -1;
		return 0;
	case STRACE_SYS_BRK:
		return parse_num_arg(t, as[0], aend[0], "address", &r->arg[0]);
	case STRACE_SYS_MREMAP:
		if (parse_num_arg(t, as[0], aend[0], "old address", &r->arg[0]) ||
		    parse_num_arg(t, as[1], aend[1], "old size", &r->arg[1]) ||
		    parse_num_arg(t, as[2], aend[2], "new size", &r->arg[2]) ||
		    parse_flags(t, as[3], aend[3], mremap_names,
				ARRAY_SIZE(mremap_names), "mremap flags", &r->arg[3]))
			return -1;
		if (n == 5 && parse_num_arg(t, as[4], aend[4], "new address",
					    &r->arg[4]))
			return -1;
		return 0;
	default:
		if (parse_num_arg(t, as[0], aend[0], "address", &r->arg[0]) ||
		    parse_num_arg(t, as[1], aend[1], "length", &r->arg[1]) ||
		    parse_flags(t, as[2], aend[2], madv_names,
				ARRAY_SIZE(madv_names), "madvise advice", &r->arg[2]))
			return -1;
		return 0;
	}
}

/* "flags=CLONE_VM|CLONE_FS|...|SIGCHLD" inside clone's or clone3's args. */
static void decode_clone_flags(const char *a, const char *ae,
			       struct strace_rec *r)
{
	const char *f = memmem(a, (size_t)(ae - a), "flags=", 6);

	r->clone_flags = 0;
	if (!f)
		return;
	for (const char *p = f + 6; p < ae && *p != ',' && *p != '}' && *p != ')'; ) {
		const char *q = p;
		const struct name_val *nv;
		uint64_t num;

		while (q < ae && *q != '|' && *q != ',' && *q != '}' && *q != ')')
			q++;
		if ((nv = lookup_name(clone_names, ARRAY_SIZE(clone_names), p,
				      (size_t)(q - p))))
			r->clone_flags |= nv->val;
		else if (is_digit(*p) && token_number(p, q, &num))
			r->clone_flags |= num & (STRACE_CLONE_VM |
						 STRACE_CLONE_FILES |
						 STRACE_CLONE_VFORK |
						 STRACE_CLONE_THREAD);
		p = q < ae && *q == '|' ? q + 1 : q;
	}
}

static int decode_life_args(struct strace_parser *ps, const char *a,
			    const char *ae, const char *const *as,
			    const char *const *aend, unsigned n,
			    struct strace_rec *r)
{
	unsigned path_arg = 0;
	uint64_t v;

	r->nr_args = n;
	switch (r->sys) {
	case STRACE_SYS_CLONE:
	case STRACE_SYS_CLONE3:
		decode_clone_flags(a, ae, r);
		return 0;
	case STRACE_SYS_EXIT:
	case STRACE_SYS_EXIT_GROUP:
	case STRACE_SYS_CLOSE:
		if (n >= 1 && scan_number(as[0], aend[0], &v))
			r->arg[0] = v;
		return 0;
	case STRACE_SYS_OPENAT:
	case STRACE_SYS_EXECVEAT:
		if (n >= 1) {
			if (aend[0] - as[0] >= 8 && !memcmp(as[0], "AT_FDCWD", 8))
				r->arg[0] = (uint64_t)-100;
			else if (scan_number(as[0], aend[0], &v))
				r->arg[0] = v;
		}
		path_arg = 1;
		break;
	case STRACE_SYS_OPEN:
	case STRACE_SYS_EXECVE:
		break;
	default:
		return 0;
	}
	if (n > path_arg && aend[path_arg] > as[path_arg] && *as[path_arg] == '"')
		return unquote(ps, as[path_arg], aend[path_arg], &r->path,
			       &r->path_len);
	return 0;
}

/*
 * The result after "= ": "?", "0x7f..", "0", "3</path>", "-1 ENOMEM (..)".
 * strict: a memory call, whose result must be a number or a known error.
 */
static int decode_result(const struct text *t, const char *p, const char *e,
			 bool strict, struct strace_rec *r)
{
	uint64_t v;
	const char *q;

	r->has_ret = false;
	if (p == e)
		return strict ? T_ERROR(t, p, "truncated line: missing the result after '='") : 0;
	if (*p == '?')
		return 0;
	q = scan_number(p, e, &v);
	if (!q || (q < e && !is_blank(*q) && *q != '<')) {
		if (!strict)
			return 0;
		return T_ERROR(t, p, "bad result '%.*s'",
			       (int)(trim_end(p, e) - p), p);
	}
	r->has_ret = true;
	r->ret = (int64_t)v;
	if (q < e && *q == '<') {
		const char *z = skip_annotation(q, e);

		/* "= 3</usr/lib/libc.so.6>": the file open* returned */
		if (z && (r->sys == STRACE_SYS_OPEN || r->sys == STRACE_SYS_OPENAT)) {
			r->path = q + 1;
			r->path_len = (size_t)(z - q - 2);
		}
		return 0;
	}
	if ((int64_t)v < 0) {
		const char *n0 = skip_blanks(q, e), *n1 = n0;
		const struct name_val *nv;

		while (n1 < e && !is_blank(*n1))
			n1++;
		nv = lookup_name(errno_names, ARRAY_SIZE(errno_names), n0,
				 (size_t)(n1 - n0));
		if (nv)
			r->ret = -(int64_t)nv->val;
		else if (strict && n1 > n0 && *n0 == 'E')
			return T_ERROR(t, n0, "unknown error name '%.*s'",
				       (int)(n1 - n0), n0);
		else if (strict && v == (uint64_t)-1)
			return T_ERROR(t, n0, "failed call without an error name");
	}
	return 0;
}

/* Decodes the call text t ("name(args) = result") into *r. */
static int decode_call(struct strace_parser *ps, const struct text *t,
		       struct strace_rec *r)
{
	const char *p = t->p0, *e = t->end, *n0 = p, *close, *q;
	const char *as[8], *aend[8];
	unsigned n;
	bool known;

	while (p < e && (is_digit(*p) || *p == '_' ||
			 (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		p++;
	if (p == n0 || p == e || *p != '(')
		return T_ERROR(t, n0, "expected a system call: name(arguments) = result");
	r->name = n0;
	r->name_len = (size_t)(p - n0);
	r->sys = strace_sys_lookup(n0, r->name_len);
	known = r->sys != STRACE_SYS_OTHER;
	r->args = ++p;
	close = scan_args(p, e, as, aend, known ? 8 : 0, &n);
	if (!close) {
		if (!known)
			return 0;
		return T_ERROR(t, trim_end(p, e),
			       "truncated line: expected ')' and '= result' after the arguments of %s",
			       strace_sys_name(r->sys));
	}
	r->args_len = (size_t)(close - p);
	q = skip_blanks(close + 1, e);
	if (q == e || *q != '=') {
		if (!known)
			return 0;
		return T_ERROR(t, q, q == e ?
			       "truncated line: expected '= result' after %s(...)" :
			       "expected '= result' after %s(...)",
			       strace_sys_name(r->sys));
	}
	q = skip_blanks(q + 1, e);
	if (strace_is_mem(r->sys)) {
		if (decode_mem_args(t, as, aend, n, close, r))
			return -1;
		if (r->sys == STRACE_SYS_MMAP && r->name_len == 5)
			r->arg[5] <<= 12;   /* mmap2's pgoff */
	} else if (known && decode_life_args(ps, p, close, as, aend,
					     n < 8 ? n : 8, r)) {
		return T_ERROR(t, p, "out of memory");
	}
	return decode_result(t, q, e, strace_is_mem(r->sys), r);
}

/* ---- pending (unfinished) calls ---------------------------------------- */

static struct strace_pending *pending_find(struct strace_parser *p, int pid)
{
	for (size_t i = 0; i < p->nr_pending; i++)
		if (p->pending[i].used && p->pending[i].pid == pid)
			return &p->pending[i];
	return NULL;
}

static struct strace_pending *pending_get(struct strace_parser *p, int pid)
{
	struct strace_pending *s = pending_find(p, pid);

	if (s)
		return s;
	for (size_t i = 0; i < p->nr_pending; i++)
		if (!p->pending[i].used)
			return &p->pending[i];
	s = realloc(p->pending, (p->nr_pending + 8) * sizeof(*s));
	if (!s)
		return NULL;
	memset(s + p->nr_pending, 0, 8 * sizeof(*s));
	p->pending = s;
	p->nr_pending += 8;
	return &p->pending[p->nr_pending - 8];
}

static void pending_drop_pid(struct strace_parser *p, int pid)
{
	struct strace_pending *s = pending_find(p, pid);

	if (s)
		s->used = false;
}

/* ---- lines ------------------------------------------------------------- */

static bool has_prefix(const char *p, const char *e, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(e - p) >= n && !memcmp(p, s, n);
}

/* "+++ exited with 0 +++", "+++ killed by SIGKILL +++" */
static int decode_exit_line(const struct text *t, struct strace_rec *r)
{
	const char *p = t->p0 + 4, *e = t->end;
	uint64_t v;

	r->name = t->p0;
	r->name_len = (size_t)(e - t->p0);
	if (has_prefix(p, e, "exited with ")) {
		const char *q = scan_number(p + 12, e, &v);

		if (!q)
			return T_ERROR(t, p + 12, "bad exit status");
		r->sys = STRACE_EV_EXITED;
		r->arg[0] = v;
		return 0;
	}
	if (has_prefix(p, e, "killed by ") || has_prefix(p, e, "superseded by ")) {
		r->sys = STRACE_EV_KILLED;
		return 0;
	}
	return T_ERROR(t, p, "unknown '+++' line");
}

int strace_next(struct strace_parser *p, struct strace_rec *r)
{
	while (p->pos < p->end) {
		const char *bol = p->pos, *nl, *eol, *q;
		struct text t = { .fname = p->fname };
		int pid = 0;

		nl = memchr(bol, '\n', (size_t)(p->end - bol));
		eol = nl ? nl : p->end;
		p->pos = nl ? nl + 1 : p->end;
		p->line++;
		p->nr_lines++;
		if (eol > bol && eol[-1] == '\r')
			eol--;
		q = skip_blanks(bol, eol);
		if (q == eol)
			continue;

		/* pid column: "1234 ", "[pid 1234] " or none */
		if (*q == '[' && has_prefix(q, eol, "[pid ")) {
			q = skip_blanks(q + 5, eol);
			while (q < eol && is_digit(*q))
				pid = pid * 10 + (*q++ - '0');
			if (q == eol || *q != ']')
				return diag_error(p->fname, p->line, (unsigned)(q - bol) + 1,
						  "expected ']' after the pid"), -1;
			q = skip_blanks(q + 1, eol);
		} else if (is_digit(*q)) {
			const char *d = q;
			int v = 0;

			while (d < eol && is_digit(*d) && v < 100000000)
				v = v * 10 + (*d++ - '0');
			if (d < eol && is_blank(*d)) {
				pid = v;
				q = skip_blanks(d, eol);
			}
		}
		/* optional -t/-tt/-ttt/-r timestamp */
		if (q < eol && is_digit(*q)) {
			const char *d = q;
			bool sep = false;

			while (d < eol && (is_digit(*d) || *d == ':' || *d == '.')) {
				sep |= *d == ':' || *d == '.';
				d++;
			}
			if (sep && d < eol && is_blank(*d))
				q = skip_blanks(d, eol);
		}
		/* -T "<0.000012>" at the end of the line */
		eol = trim_end(q, eol);
		if (eol > q && eol[-1] == '>') {
			const char *lt = eol - 1;

			while (lt > q && *lt != '<')
				lt--;
			if (lt > q && is_blank(lt[-1]) && is_digit(lt[1]) &&
			    (size_t)(eol - lt) > 2) {
				bool num = true;

				for (const char *d = lt + 1; d < eol - 1; d++)
					num &= is_digit(*d) || *d == '.';
				if (num)
					eol = trim_end(q, lt);
			}
		}

		memset(r, 0, sizeof(*r));
		r->pid = pid;
		r->line = r->first_line = p->line;
		t.p0 = q;
		t.end = t.split = eol;
		t.line1 = t.line2 = p->line;
		t.col1 = (unsigned)(q - bol) + 1;
		t.col2 = t.col1 + (unsigned)(eol - q);

		if (has_prefix(q, eol, "+++ ")) {
			pending_drop_pid(p, pid);
			return decode_exit_line(&t, r) ? -1 : 1;
		}
		if (has_prefix(q, eol, "--- ")) {
			r->sys = STRACE_EV_SIGNAL;
			r->name = q + 4;
			r->name_len = (size_t)(eol - q - 4);
			return 1;
		}
		if (has_prefix(q, eol, "<... ")) {
			/* "<... mmap resumed>) = 0x7f..." */
			const char *n0 = q + 5, *n1 = n0, *rest;
			struct strace_pending *s;
			size_t rest_len;

			while (n1 < eol && !is_blank(*n1))
				n1++;
			if (!has_prefix(n1, eol, " resumed>"))
				return T_ERROR(&t, n1, "expected '<... NAME resumed>'");
			rest = n1 + 9;
			s = pending_find(p, pid);
			if (!s || s->len < (size_t)(n1 - n0) ||
			    memcmp(s->text, n0, (size_t)(n1 - n0)) ||
			    s->text[n1 - n0] != '(') {
				if (strace_sys_lookup(n0, (size_t)(n1 - n0)) == STRACE_SYS_OTHER) {
					if (s)
						s->used = false;
					r->sys = STRACE_SYS_OTHER;
					r->name = n0;
					r->name_len = (size_t)(n1 - n0);
					return 1;
				}
				return T_ERROR(&t, q, "resumed %.*s with no unfinished %.*s call of pid %d",
					       (int)(n1 - n0), n0,
					       (int)(n1 - n0), n0, pid);
			}
			/* join: the unfinished text, then the rest */
			rest = skip_blanks(rest, eol);
			rest_len = (size_t)(eol - rest);
			if (reserve(&p->join, &p->join_cap, s->len + 1 + rest_len))
				return T_ERROR(&t, q, "out of memory");
			memcpy(p->join, s->text, s->len);
			size_t jl = s->len;

			if (jl && p->join[jl - 1] == ',')
				p->join[jl++] = ' ';
			memcpy(p->join + jl, rest, rest_len);
			t.p0 = p->join;
			t.split = p->join + jl;
			t.end = t.split + rest_len;
			t.line1 = s->line;
			t.col1 = s->col;
			t.line2 = p->line;
			t.col2 = (unsigned)(rest - bol) + 1;
			r->first_line = s->line;
			s->used = false;
			return decode_call(p, &t, r) ? -1 : 1;
		}
		if (eol - q >= 16 && !memcmp(eol - 16, "<unfinished ...>", 16)) {
			struct strace_pending *s = pending_get(p, pid);
			const char *te = trim_end(q, eol - 16);

			if (!s || reserve(&s->text, &s->cap, (size_t)(te - q) + 1))
				return T_ERROR(&t, q, "out of memory");
			memcpy(s->text, q, (size_t)(te - q));
			s->len = (size_t)(te - q);
			s->pid = pid;
			s->line = p->line;
			s->col = t.col1;
			s->used = true;
			continue;
		}
		return decode_call(p, &t, r) ? -1 : 1;
	}
	return 0;
}

/* ---- opening ----------------------------------------------------------- */

void strace_open_buf(struct strace_parser *p, const char *fname,
		     const char *buf, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->fname = fname;
	p->buf = p->pos = buf;
	p->end = buf + len;
}

int strace_open_file(struct strace_parser *p, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	strace_open_buf(p, path, "", 0);
	if (fd < 0)
		return diag_error(path, 0, 0, "cannot open: %s", strerror(errno)), -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			       fd, 0);

		if (m != MAP_FAILED) {
			close(fd);
			p->map = m;
			p->map_len = (size_t)st.st_size;
			p->buf = p->pos = m;
			p->end = p->buf + p->map_len;
			return 0;
		}
	}
	/* a pipe, an empty file or no mmap: read it */
	size_t len = 0, cap = 0;

	for (;;) {
		ssize_t n;

		if (len == cap && reserve(&p->owned, &cap, cap ? 2 * cap : 65536)) {
			close(fd);
			return diag_error(path, 0, 0, "out of memory"), -1;
		}
		n = read(fd, p->owned + len, cap - len);
		if (n < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			close(fd);
			return diag_error(path, 0, 0, "read error: %s", strerror(err)), -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	p->buf = p->pos = p->owned ? p->owned : "";
	p->end = p->buf + len;
	return 0;
}

void strace_close(struct strace_parser *p)
{
	if (p->map)
		munmap(p->map, p->map_len);
	free(p->owned);
	for (size_t i = 0; i < p->nr_pending; i++)
		free(p->pending[i].text);
	free(p->pending);
	free(p->join);
	free(p->str);
	memset(p, 0, sizeof(*p));
}

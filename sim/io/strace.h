/*
 * strace.h - reading `strace -f -y -e trace=memory` logs.
 *
 * A log is the kernel's own account of what a program asked for and got:
 *
 *     1788 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fc0000
 *     1788 mmap(NULL, 44887, PROT_READ, MAP_PRIVATE, 3</etc/ld.so.cache>, 0) = 0x7ffff7fb5000
 *     1083  munmap(0x300001800, 0)            = -1 EINVAL (Invalid argument)
 *     1234  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>
 *     1235  clone3({flags=CLONE_VM|..., ...}, 88) = 1236
 *     1234  <... mmap resumed>)          = 0x7ffff7fbf000
 *     1788 +++ exited with 0 +++
 *
 * The parser hands out one record per system call, in log order, with
 * split calls (<unfinished ...> / <... resumed>) joined per pid and
 * reported at their resumed line. It decodes what replay needs: the
 * memory calls (mmap, munmap, mprotect, brk, mremap, madvise) argument by
 * argument, with symbolic flag sets checked against Linux's names; the
 * process lifecycle (execve, clone, clone3, fork, vfork, exit, exit_group,
 * "+++ exited/killed +++"); openat/open/close for the fd -> file map that
 * -y makes unnecessary; signals ("--- SIG... ---"). Any other call comes
 * back as STRACE_SYS_OTHER with its name, for the caller to count.
 *
 * Accepted line prefixes: "PID ", "[pid PID] ", none (a single process:
 * pid 0), each optionally followed by a -t/-tt/-ttt/-r timestamp; a -T
 * "<0.000012>" suffix is ignored. -yy's device suffix ("</dev/zero<char
 * 1:5>>") is dropped from paths; -X raw numbers stand for flag names;
 * 32-bit mmap2 comes back as STRACE_SYS_MMAP with its offset in bytes.
 *
 * The log is read into memory once (mmap for regular files) and scanned
 * in place by hand: no regex, no allocation per line. Strings in a record
 * point into the parser's buffers and stay valid until the next call.
 *
 * Errors are "file:line:col: error: ..." through diag_error(): a memory
 * call with an unknown flag name, a garbage number or a missing
 * ") = result" (unless it is <unfinished ...>), a line that is no call at
 * all, a resumed memory call with no unfinished half.
 */
#ifndef SIM_IO_STRACE_H
#define SIM_IO_STRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum strace_sys {
	STRACE_SYS_OTHER,           /* a call vmsim does not model */
	STRACE_SYS_MMAP,            /* addr, length, prot, flags, fd, offset */
	STRACE_SYS_MUNMAP,          /* addr, length */
	STRACE_SYS_MPROTECT,        /* addr, length, prot */
	STRACE_SYS_BRK,             /* addr (NULL = 0) */
	STRACE_SYS_MREMAP,          /* old_addr, old_size, new_size, flags[, new_addr] */
	STRACE_SYS_MADVISE,         /* addr, length, advice */
	STRACE_SYS_EXECVE,          /* path in rec.path */
	STRACE_SYS_EXECVEAT,        /* path in rec.path */
	STRACE_SYS_CLONE,           /* rec.clone_flags; result = child pid */
	STRACE_SYS_CLONE3,          /* rec.clone_flags; result = child pid */
	STRACE_SYS_FORK,            /* result = child pid */
	STRACE_SYS_VFORK,           /* result = child pid */
	STRACE_SYS_EXIT,            /* status: one thread ends */
	STRACE_SYS_EXIT_GROUP,      /* status: the whole process ends */
	STRACE_SYS_OPEN,            /* rec.path; result = fd */
	STRACE_SYS_OPENAT,          /* dirfd; rec.path; result = fd */
	STRACE_SYS_CLOSE,           /* fd */
	STRACE_EV_EXITED,           /* "+++ exited with N +++": arg[0] = N */
	STRACE_EV_KILLED,           /* "+++ killed by SIG +++" (or superseded) */
	STRACE_EV_SIGNAL,           /* "--- SIGxxx {...} ---" */
	STRACE_SYS__COUNT
};

/* Linux x86-64 flag values the records carry (as the kernel defines them). */
#define STRACE_CLONE_VM     0x00000100ULL
#define STRACE_CLONE_FILES  0x00000400ULL
#define STRACE_CLONE_VFORK  0x00004000ULL
#define STRACE_CLONE_THREAD 0x00010000ULL

struct strace_rec {
	unsigned line;              /* log line (of the resumed half if split) */
	unsigned first_line;        /* line where the call started */
	int pid;                    /* process, 0 when the log has no pid column */
	enum strace_sys sys;        /* which call or event */
	const char *name;           /* the call's name as logged */
	size_t name_len;
	const char *args;           /* the text between the parentheses */
	size_t args_len;
	uint64_t arg[6];            /* decoded numeric arguments, see enum */
	unsigned nr_args;           /* how many arguments were logged */
	bool has_ret;               /* false for "= ?" (exit_group, killed) */
	int64_t ret;                /* result value, or -errno on failure */
	const char *path;           /* file of mmap's fd (-y), open's file, exec's path */
	size_t path_len;            /* 0 when path is NULL */
	uint64_t clone_flags;       /* STRACE_CLONE_* bits of clone/clone3 */
};

/* One pid's <unfinished ...> call waiting for its resumed half. */
struct strace_pending {
	int pid;                    /* owner */
	unsigned line;              /* line of the unfinished half */
	unsigned col;               /* column where the call text starts */
	char *text;                 /* the call text without "<unfinished ...>" */
	size_t len;                 /* bytes in text */
	size_t cap;                 /* allocated bytes */
	bool used;                  /* slot holds a call */
};

struct strace_parser {
	const char *fname;          /* for messages */
	const char *buf;            /* whole log */
	const char *pos;            /* next line */
	const char *end;            /* end of the log */
	void *map;                  /* mmap()ed file, or NULL */
	size_t map_len;             /* its length */
	char *owned;                /* read() copy of a non-regular file */
	unsigned line;              /* current line number */
	struct strace_pending *pending; /* unfinished calls, by pid */
	size_t nr_pending;          /* slots in pending */
	char *join;                 /* joined text of a resumed call */
	size_t join_cap;            /* bytes allocated for join */
	char *str;                  /* an unescaped quoted path */
	size_t str_cap;             /* bytes allocated for str */
	unsigned nr_lines;          /* lines read so far */
};

/*
 * Opens the log at path. Returns 0, or -1 after a diag_error() (cannot
 * open or read). strace_close() releases it in both cases.
 */
int strace_open_file(struct strace_parser *p, const char *path);

/* Parses len bytes of buf (not copied: it must outlive the parser). */
void strace_open_buf(struct strace_parser *p, const char *fname,
		     const char *buf, size_t len);

/*
 * Reads the next call or event into *r. Returns 1 when *r holds one, 0
 * at the end of the log, -1 after a diag_error() for a bad line.
 * <unfinished ...> calls whose resumed half never comes are dropped.
 */
int strace_next(struct strace_parser *p, struct strace_rec *r);

/* Releases everything the parser holds. */
void strace_close(struct strace_parser *p);

/* The kind of call named by len bytes at name ("mmap", "mmap2", "clone3",
 * ...); STRACE_SYS_OTHER for a call replay does not model. */
enum strace_sys strace_sys_lookup(const char *name, size_t len);

/* "mmap", "clone3", "+++ exited", ...: the name of a record kind. */
const char *strace_sys_name(enum strace_sys sys);

/* Is sys one of the memory calls replay runs (mmap ... madvise)? */
static inline bool strace_is_mem(enum strace_sys sys)
{
	return sys >= STRACE_SYS_MMAP && sys <= STRACE_SYS_MADVISE;
}

#endif /* SIM_IO_STRACE_H */

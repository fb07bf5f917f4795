/*
 * lackey.h - valgrind lackey memory traces (`valgrind --tool=lackey
 * --trace-mem=yes`): one record per access of the traced program,
 *
 *     I  04016cd0,3        instruction fetch of 3 bytes
 *      L 7ff000398,8       load
 *      S 04222cac,8        store
 *      M 0421e4a0,4        modify (a load and a store)
 *
 * address in hex (no 0x), size in decimal. Lines that valgrind itself
 * writes start with "==" and are skipped, as are blank lines.
 *
 * Recorded with --trace-syscalls=yes, the same log has valgrind's account
 * of every system call, in order with the accesses:
 *
 *     SYSCALL[1234,1](9) sys_mmap ( 0x0, 8192, 3, 34, 4294967295, 0 ) --> [pre-success] Success(0x4835000)
 *     SYSCALL[1234,1](11) sys_munmap ( 0x483c000, 44887 )[sync] --> Success(0x0)
 *
 * The memory calls (mmap, munmap, mprotect, brk, mremap, madvise) come
 * back as records of kind 'Y' carrying the call as an strace record
 * (arguments, result or -errno), for the strace replay to run; other
 * calls and their "... [async] -->" completions are skipped. Anything
 * else, a memory call without its result, or a record cut short (a
 * truncated file) is an error with its place:
 * "file:line:col: error: ...".
 */
#ifndef SIM_IO_LACKEY_H
#define SIM_IO_LACKEY_H

#include <stddef.h>
#include <stdint.h>

#include "io/strace.h"

struct lackey_rec {
	char kind;          /* 'I', 'L', 'S', 'M', or 'Y': a memory call */
	unsigned size;      /* bytes */
	uint64_t addr;      /* virtual address */
	unsigned line;      /* in the trace */
	const struct strace_rec *call; /* 'Y': the call (valid during fn) */
};

/* Called once per record; a non-zero return stops the parse with it. */
typedef int (*lackey_fn)(void *arg, const struct lackey_rec *r);

/*
 * Parses len bytes of trace text named path. Returns 0, what fn returned
 * when it stopped the parse, or -1 after a diag_error() for bad input.
 * *records (may be NULL) gets the records passed to fn.
 */
int lackey_parse(const char *path, const char *buf, size_t len, lackey_fn fn,
		 void *arg, uint64_t *records);

/*
 * The same for a file (mapped whole). A name ending in .gz is read through
 * `gzip -dc` (bundled traces are kept compressed); a .gz that gzip cannot
 * read to its end is an error. -1 also when the file cannot be read.
 */
int lackey_parse_file(const char *path, lackey_fn fn, void *arg,
		      uint64_t *records);

#endif

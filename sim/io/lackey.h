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
 * writes start with "==" and are skipped, as are blank lines. Anything
 * else, or a record cut short (a truncated file), is an error with its
 * place: "file:line:col: error: ...".
 */
#ifndef SIM_IO_LACKEY_H
#define SIM_IO_LACKEY_H

#include <stddef.h>
#include <stdint.h>

struct lackey_rec {
	char kind;          /* 'I', 'L', 'S' or 'M' */
	unsigned size;      /* bytes */
	uint64_t addr;      /* virtual address */
	unsigned line;      /* in the trace */
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

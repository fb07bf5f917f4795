/*
 * compiler.h - the few macros every layer of vmsim shares.
 *
 * container_of() turns an embedded (intrusive) node back into its object,
 * as in Linux. SIM_BUG_ON() is the always-compiled invariant check: when
 * its condition holds, the program is wrong, not the input, so it prints
 * where and why and aborts. Checks that cost more than a compare belong in
 * the module's *_validate() function instead, which tests and debug builds
 * run after every mutation.
 */
#ifndef SIM_LIB_COMPILER_H
#define SIM_LIB_COMPILER_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* keeps a rare path out of its caller's hot code */
#define noinline __attribute__((__noinline__))

/*
 * SIM_BUG_ON(cond, fmt, ...) - abort with a message when cond is true.
 * The message should name the object and the broken rule, e.g.
 * SIM_BUG_ON(pg->order > max, "pfn %lu: order %u > max_order", pfn, ...).
 */
#define SIM_BUG_ON(cond, ...)                                              \
	do {                                                               \
		if (unlikely(cond)) {                                      \
			fprintf(stderr, "vmsim: BUG at %s:%d: %s: ",       \
				__FILE__, __LINE__, #cond);                \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
			abort();                                           \
		}                                                          \
	} while (0)

/* Debug builds (and tests) define SIM_DEBUG: full validators run then. */
#ifdef SIM_DEBUG
#define SIM_VALIDATE 1
#else
#define SIM_VALIDATE 0
#endif

#endif /* SIM_LIB_COMPILER_H */

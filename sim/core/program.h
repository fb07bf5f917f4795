/*
 * program.h - a parsed workload: the operations a process executes.
 *
 * io/workload.c turns text into this form; core/sim.c executes it. A
 * program is a flat array of struct op. `repeat N { ... }` becomes an
 * OP_REPEAT that opens a loop and an OP_END that closes it, so a loop of a
 * million iterations costs two ops, not a million.
 *
 * Names: `A = kalloc 34K` binds the name A to the result. A name may carry
 * the index of an enclosing loop (`buf$i`): the binding is then keyed by
 * (name, current value of i), so each iteration has its own buffer. Names
 * are interned to small integers (struct program.names).
 */
#ifndef SIM_CORE_PROGRAM_H
#define SIM_CORE_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum op_kind {
	OP_KALLOC,      /* NAME SIZE: buddy allocation of SIZE bytes */
	OP_KFREE,       /* NAME: free a kalloc'd block */
	OP_DUMP,        /* WHAT: print a /proc-style file now */
	OP_AT,          /* TIME: wait until absolute simulated time */
	OP_SLEEP,       /* TIME: let simulated time pass */
	OP_REPEAT,      /* COUNT: open a loop (arg[1]: index of its OP_END) */
	OP_END,         /* close the loop (arg[1]: index of its OP_REPEAT) */
	OP_MMAP,        /* NAME = mmap ADDR|any LEN PROT FLAGS [file PATH OFF] */
	OP_MUNMAP,      /* ADDR [LEN] */
	OP_MPROTECT,    /* ADDR [LEN] PROT */
	OP_BRK,         /* ADDR: set the break */
	OP_SBRK,        /* [NAME =] sbrk DELTA */
	OP_READ,        /* ADDR: one load */
	OP_WRITE,       /* ADDR: one store */
	OP_EXEC,        /* ADDR: one instruction fetch */
	OP_ACCESS,      /* MODE PATTERN ADDR LEN COUNT [STEP]: generated accesses */
	OP_EXPLAIN,     /* ADDR [MODE]: print one translation step by step */
	OP_SEGMENT,     /* SEG BASE SIZE TYPE: install a segment descriptor */
	OP_SPAWN,       /* spawn NAME [LAYOUT] {: a process of its own (arg[1]: its OP_END;
			 * arg[2..5]: text, data, bss, stack bytes; path: NAME) */
	OP_FORK,        /* fork NAME {: a child runs the block (arg[1]: its OP_END; path: NAME) */
	OP_EXIT,        /* the process ends and gives its memory back */
	OP_NR_KINDS
};

/* Or'ed into OP_SEGMENT's TYPE (enum seg_type): a data segment without writes. */
#define SEGMENT_READ_ONLY 0x100

enum dump_what {
	DUMP_BUDDYINFO,   /* /proc/buddyinfo */
	DUMP_MAPS,        /* /proc/<pid>/maps */
	DUMP_FRAGINDEX,   /* unusable index and extfrag index per order */
	DUMP_SLABINFO,    /* /proc/slabinfo */
};

#define NAME_NONE UINT32_MAX

/* A reference to a name, possibly indexed by a loop counter. */
struct name_ref {
	uint32_t id;       /* interned name, NAME_NONE if absent */
	uint16_t depth;    /* loop nesting level whose counter indexes it */
	bool indexed;      /* `name$var` form */
};

/* An address operand: a number, `any`, or NAME[+OFFSET]. */
struct addr_arg {
	struct name_ref name;  /* NAME_NONE for a plain number */
	uint64_t value;        /* the number, or the offset from NAME */
	bool any;              /* `any`: the kernel chooses */
	uint8_t seg;           /* SEG:OFFSET: the segment's slot; 0 (the null slot) for a linear address */
};

struct op {
	uint16_t kind;         /* enum op_kind */
	uint32_t line, col;    /* where it was written, for messages */
	struct name_ref def;   /* name bound to the result, if any */
	struct name_ref ref;   /* name the op acts on (kfree A), if any */
	struct addr_arg addr;  /* address operand (mmap, munmap, ...) */
	uint64_t arg[6];       /* sizes, counts, times, prot, flags ... */
	const char *path;      /* file of a file mapping (interned) */
};

struct program {
	const char *file;      /* the workload's path, for messages */
	struct op *ops;        /* the operations in order */
	size_t nr_ops, cap_ops;
	char **names;          /* interned names, by id */
	uint32_t nr_names, cap_names;
	char **strings;        /* other interned strings (paths) */
	uint32_t nr_strings, cap_strings;
	unsigned max_depth;    /* deepest loop nesting */
};

void program_init(struct program *p, const char *file);
void program_free(struct program *p);

/* Appends an op; returns its index, or -ENOMEM. */
long program_add(struct program *p, const struct op *op);

/* Interns a name; returns its id, or NAME_NONE when out of memory. */
uint32_t program_name(struct program *p, const char *name, size_t len);

/* Interns any other string (paths). Returns NULL when out of memory. */
const char *program_string(struct program *p, const char *s);

#endif

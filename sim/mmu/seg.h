/*
 * seg.h - x86 segmentation: the descriptor table of one process and the
 * logical -> linear step of a translation (Intel SDM vol. 3, chapter 5:
 * limit, type and privilege checks; Linux's GDT entries).
 *
 * A logical address is (segment index, offset). The descriptor gives
 *
 *     linear = (base + offset) mod 2^va_bits
 *
 * after these checks, in the order the hardware makes them:
 *
 *     index 0 or beyond the table -> SEG_ERR_NULL      (null selector, #GP)
 *     descriptor not present      -> SEG_ERR_NOT_PRESENT (#NP)
 *     CPL > DPL                   -> SEG_ERR_PRIV
 *     write to code, fetch from data, write to read-only data
 *                                 -> SEG_ERR_TYPE
 *     offset outside the segment  -> SEG_ERR_LIMIT
 *
 * The limit is the last valid offset of an expand-up segment (byte
 * granular: a segment of size S has limit S - 1). An expand-down segment
 * (a stack) is valid at offsets (limit, max], max = 2^va_bits - 1, so
 * lowering its limit grows it downward:
 *
 *     expand-up   [0 ........ limit]                 valid
 *     expand-down             (limit ............ max] valid
 *
 * With base = the top of the stack and limit = max - size, the valid
 * offsets are -size .. -1 read as unsigned, and the linear addresses are
 * [top - size, top): the negative offsets of the textbook picture.
 *
 * Every access is checked as one byte (no access crosses a limit).
 *
 * Flat mode (Linux): every segment has base 0 and spans the whole linear
 * space (limit 4G - 1 on i386), so logical = linear and no check can fail
 * for a user segment; the stack segment is an expand-up data segment, as
 * Linux's __USER_DS. The table always holds the same six slots:
 */
#ifndef SIM_MMU_SEG_H
#define SIM_MMU_SEG_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/pt.h"

enum {
	SEG_NULL,                  /* the null descriptor */
	SEG_TEXT,                  /* user code (cs), DPL 3 */
	SEG_DATA,                  /* user data (ds), DPL 3 */
	SEG_STACK,                 /* user stack (ss), DPL 3 */
	SEG_KTEXT,                 /* kernel code, DPL 0, flat */
	SEG_KDATA,                 /* kernel data, DPL 0, flat */
	SEG_MAX = 8                /* slots in a table; 6, 7 free for seg_set */
};

enum seg_type {
	SEG_TYPE_CODE,             /* execute and read, never write */
	SEG_TYPE_DATA,             /* read, write if writable; expand-up */
	SEG_TYPE_STACK,            /* data, expand-down */
};

/* The outcome of seg_translate(). */
enum seg_result {
	SEG_OK,
	SEG_ERR_NULL,              /* null or out-of-table index */
	SEG_ERR_NOT_PRESENT,       /* descriptor not present */
	SEG_ERR_PRIV,              /* CPL > DPL */
	SEG_ERR_TYPE,              /* access the segment type forbids */
	SEG_ERR_LIMIT,             /* offset outside the segment */
};

/* One descriptor. */
struct seg_desc {
	uint64_t base;             /* linear address of offset 0 */
	uint64_t limit;            /* see the file comment, per type */
	enum seg_type type;        /* code, data or expand-down stack */
	uint8_t dpl;               /* descriptor privilege level, 0..3 */
	bool present;              /* usable */
	bool writable;             /* data and stack: writes allowed */
};

/* A process's descriptor table. */
struct seg_table {
	struct seg_desc d[SEG_MAX]; /* slot 0 is the null descriptor */
	unsigned va_bits;          /* linear address width */
	uint64_t max;              /* 2^va_bits - 1: largest offset, wrap mask */
	bool segmented;            /* built by seg_table_init_segmented */
};

/* Flat table for va_bits (1..64). Returns 0 or -EINVAL. */
int seg_table_init_flat(struct seg_table *t, unsigned va_bits);

/*
 * Segmented table: text [text_base, text_base + text_size) code, data
 * [data_base, data_base + data_size) writable data, stack the
 * expand-down segment [stack_top - stack_size, stack_top) (base =
 * stack_top), all DPL 3; kernel slots flat. Sizes from 1 to 2^va_bits
 * (the stack's below 2^va_bits). Returns 0 or -EINVAL.
 */
int seg_table_init_segmented(struct seg_table *t, unsigned va_bits,
			     uint64_t text_base, uint64_t text_size,
			     uint64_t data_base, uint64_t data_size,
			     uint64_t stack_top, uint64_t stack_size);

/* Installs desc in slot idx (1..SEG_MAX-1). Returns 0 or -EINVAL
 * (index, dpl > 3, limit > max). */
int seg_set(struct seg_table *t, unsigned idx, const struct seg_desc *desc);

/*
 * The logical -> linear step for one access at privilege cpl (0 kernel,
 * 3 user). On SEG_OK *linear gets the linear address; otherwise it is
 * left alone. Allocates nothing.
 */
enum seg_result seg_translate(const struct seg_table *t, unsigned idx,
			      uint64_t offset, enum pt_access access,
			      unsigned cpl, uint64_t *linear);

/* "ok", "null selector", ... for explain and messages. */
const char *seg_result_name(enum seg_result r);

/* The slot a name selects: cs/text, ds/data, ss/stack, kcs, kds, or a
 * decimal index; -EINVAL when unknown. */
int seg_by_name(const char *name);

/* "cs", "ds", "ss", "kcs", "kds" or "seg6"... (a static string). */
const char *seg_name(unsigned idx);

#endif /* SIM_MMU_SEG_H */

/*
 * seg.c - segment descriptor tables and the logical -> linear check (see
 * seg.h for the rules and their order).
 */
#include "mmu/seg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t addr_max(unsigned va_bits)
{
	return va_bits >= 64 ? UINT64_MAX : (1ull << va_bits) - 1;
}

static struct seg_desc flat(enum seg_type type, uint8_t dpl, uint64_t max)
{
	struct seg_desc d = {
		.base = 0, .limit = max, .type = type, .dpl = dpl,
		.present = true, .writable = type != SEG_TYPE_CODE,
	};

	return d;
}

int seg_table_init_flat(struct seg_table *t, unsigned va_bits)
{
	memset(t, 0, sizeof(*t));
	if (!va_bits || va_bits > 64)
		return -EINVAL;
	t->va_bits = va_bits;
	t->max = addr_max(va_bits);
	t->d[SEG_TEXT] = flat(SEG_TYPE_CODE, 3, t->max);
	t->d[SEG_DATA] = flat(SEG_TYPE_DATA, 3, t->max);
	t->d[SEG_STACK] = flat(SEG_TYPE_DATA, 3, t->max);
	t->d[SEG_KTEXT] = flat(SEG_TYPE_CODE, 0, t->max);
	t->d[SEG_KDATA] = flat(SEG_TYPE_DATA, 0, t->max);
	return 0;
}

int seg_table_init_segmented(struct seg_table *t, unsigned va_bits,
			     uint64_t text_base, uint64_t text_size,
			     uint64_t data_base, uint64_t data_size,
			     uint64_t stack_top, uint64_t stack_size)
{
	int err = seg_table_init_flat(t, va_bits);

	if (err)
		return err;
	/* size - 1 <= max admits a size of exactly 2^va_bits. */
	if (!text_size || text_size - 1 > t->max || !data_size ||
	    data_size - 1 > t->max || !stack_size || stack_size > t->max ||
	    text_base > t->max || data_base > t->max || stack_top > t->max)
		return -EINVAL;
	t->d[SEG_TEXT].base = text_base;
	t->d[SEG_TEXT].limit = text_size - 1;
	t->d[SEG_DATA].base = data_base;
	t->d[SEG_DATA].limit = data_size - 1;
	t->d[SEG_STACK].type = SEG_TYPE_STACK;
	t->d[SEG_STACK].base = stack_top;
	t->d[SEG_STACK].limit = t->max - stack_size;
	t->segmented = true;
	return 0;
}

int seg_set(struct seg_table *t, unsigned idx, const struct seg_desc *desc)
{
	if (!idx || idx >= SEG_MAX || desc->dpl > 3 || desc->limit > t->max ||
	    desc->base > t->max)
		return -EINVAL;
	t->d[idx] = *desc;
	return 0;
}

enum seg_result seg_translate(const struct seg_table *t, unsigned idx,
			      uint64_t offset, enum pt_access access,
			      unsigned cpl, uint64_t *linear)
{
	const struct seg_desc *d;

	if (!idx || idx >= SEG_MAX)
		return SEG_ERR_NULL;
	d = &t->d[idx];
	if (!d->present)
		return SEG_ERR_NOT_PRESENT;
	if (cpl > d->dpl)
		return SEG_ERR_PRIV;
	if (d->type == SEG_TYPE_CODE ? access == PT_WRITE
				     : access == PT_EXEC ||
				       (access == PT_WRITE && !d->writable))
		return SEG_ERR_TYPE;
	if (offset > t->max ||
	    (d->type == SEG_TYPE_STACK ? offset <= d->limit
				       : offset > d->limit))
		return SEG_ERR_LIMIT;
	*linear = (d->base + offset) & t->max;
	return SEG_OK;
}

const char *seg_result_name(enum seg_result r)
{
	switch (r) {
	case SEG_OK: return "ok";
	case SEG_ERR_NULL: return "null selector";
	case SEG_ERR_NOT_PRESENT: return "segment not present";
	case SEG_ERR_PRIV: return "privilege (CPL > DPL)";
	case SEG_ERR_TYPE: return "segment type forbids the access";
	case SEG_ERR_LIMIT: return "offset beyond the limit";
	}
	return "?";
}

static const char *const names[SEG_MAX] = {
	"null", "cs", "ds", "ss", "kcs", "kds", "seg6", "seg7",
};

const char *seg_name(unsigned idx)
{
	return idx < SEG_MAX ? names[idx] : "seg?";
}

int seg_by_name(const char *name)
{
	static const struct { const char *name; int idx; } alias[] = {
		{ "cs", SEG_TEXT }, { "text", SEG_TEXT },
		{ "ds", SEG_DATA }, { "data", SEG_DATA },
		{ "ss", SEG_STACK }, { "stack", SEG_STACK },
		{ "kcs", SEG_KTEXT }, { "kds", SEG_KDATA },
	};
	char *end;
	unsigned long v;

	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (!strcmp(name, alias[i].name))
			return alias[i].idx;
	if (*name < '0' || *name > '9')
		return -EINVAL;
	v = strtoul(name, &end, 10);
	if (*end || v >= SEG_MAX)
		return -EINVAL;
	return (int)v;
}

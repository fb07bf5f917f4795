/*
 * explain.c - one translation told step by step (see explain.h).
 *
 * For the i386 preset and a page written once, it prints (README.md has
 * the worked example):
 *
 *   explain 0x0804a123 (write, user mode)
 *     segment   ds: base 0x00000000 limit 0xffffffff: linear 0x0804a123
 *     split     10 | 10 | 12 bits: index 32 | 74, offset 0x123
 *     TLB       hit (L1), vpn 0x0804a
 *     level 0   table pfn 0x00000: entry 32 = 0x00002027 P W U A -> table pfn 0x00002
 *     ...
 */
#include <inttypes.h>

#include "core/cpu.h"
#include "core/explain.h"
#include "core/sim.h"
#include "mmu/seg.h"

static const char *const access_name[] = { "read", "write", "exec" };

/* Hex digits that hold any address of va_bits bits (at least 8). */
static int addr_width(unsigned va_bits)
{
	int w = (int)((va_bits + 3) / 4);

	return w < 8 ? 8 : w;
}

static void print_bits(FILE *out, uint64_t e, const struct pt_geometry *g)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} bits[] = {
		{ PTE_PRESENT, "P" }, { PTE_WRITE, "W" }, { PTE_USER, "U" },
		{ PTE_ACCESSED, "A" }, { PTE_DIRTY, "D" }, { PTE_NX, "NX" },
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if ((e & bits[i].bit) && (bits[i].bit & g->pte_flag_mask))
			fprintf(out, " %s", bits[i].name);
}

void explain_translation(struct sim *s, unsigned pidx, unsigned seg,
			 uint64_t va, enum pt_access a, FILE *out)
{
	struct proc *p = &s->procs[pidx];
	struct pt *pt = mm_pt(p->mm);
	const struct pt_geometry *g = &s->geom;
	int w = addr_width(g->va_bits), ew = (int)g->pte_size * 2;
	unsigned level;
	uint64_t linear = va, vpn, pte;
	const struct seg_table *st = &p->seg;
	struct seg_table flat;
	struct pt_trace t;
	enum seg_result sr;

	if (seg)
		fprintf(out, "explain %s:0x%0*" PRIx64 " (%s, user mode)\n",
			seg_name(seg), w, va, access_name[a]);
	else
		fprintf(out, "explain 0x%0*" PRIx64 " (%s, user mode)\n", w, va,
			access_name[a]);
	if (!seg) {
		/* a linear address: what a flat cs/ds gives (Linux) */
		seg_table_init_flat(&flat, g->va_bits);
		st = &flat;
		seg = a == PT_EXEC ? SEG_TEXT : SEG_DATA;
	}
	sr = seg_translate(st, seg, va, a, 3, &linear);
	fprintf(out, "  segment   %s: base 0x%0*" PRIx64 " limit 0x%0*" PRIx64 "%s",
		seg_name(seg), w, st->d[seg].base, w, st->d[seg].limit,
		st->d[seg].type == SEG_TYPE_STACK ? " (expand-down)" : "");
	if (sr != SEG_OK) {
		fprintf(out, ": %s: SIGSEGV\n", seg_result_name(sr));
		return;
	}
	fprintf(out, ": linear 0x%0*" PRIx64 "\n", w, linear);

	fprintf(out, "  split    ");
	for (level = 0; level < g->levels; level++)
		fprintf(out, " %u |", g->bits[level]);
	fprintf(out, " %u bits: index", g->page_shift);
	for (level = 0; level < g->levels; level++)
		fprintf(out, "%s %" PRIu64, level ? " |" : "",
			pt_index(g, level, linear));
	fprintf(out, ", offset 0x%" PRIx64 "\n",
		linear & (g->page_size - 1));

	vpn = linear >> g->page_shift;
	level = cpu_tlb_level(s, pidx, vpn);
	if (level)
		fprintf(out, "  TLB       hit (L%u), vpn 0x%" PRIx64 "\n", level, vpn);
	else
		fprintf(out, "  TLB       miss, vpn 0x%" PRIx64 ": walk the table\n",
			vpn);

	if (!pt) {
		fprintf(out, "  CR3       no page table yet: page fault\n");
		return;
	}
	pte = pt_lookup(pt, linear, &t);
	for (level = 0; level < t.nr_levels; level++) {
		uint64_t e = t.entry[level];

		fprintf(out, "  level %-3u table pfn 0x%05" PRIx64 ": entry %"
			PRIu64 " = 0x%0*" PRIx64, level, t.table_pfn[level],
			t.index[level], ew, e);
		print_bits(out, e, g);
		if (!(e & PTE_PRESENT))
			fprintf(out, " not present: page fault\n");
		else
			fprintf(out, " -> %s pfn 0x%05" PRIx64 "\n",
				level + 1 < g->levels ? "table" : "page",
				pte_pfn(g, e));
	}
	if (!pte)
		return;
	if (!pte_permits(pte, a, true)) {
		fprintf(out, "  check     %s not allowed by the entry: page fault"
			" (SIGSEGV unless the VMA allows it)\n", access_name[a]);
		return;
	}
	fprintf(out, "  physical  0x%05" PRIx64 " << %u | 0x%" PRIx64
		" = 0x%0*" PRIx64 "\n", pte_pfn(g, pte), g->page_shift,
		linear & (g->page_size - 1), w,
		pte_pfn(g, pte) << g->page_shift | (linear & (g->page_size - 1)));
}

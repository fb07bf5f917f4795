/*
 * test_vma.c - the VMA set of sim/mm (vma.c, mm.c, maps.c): lookup,
 * import, the layout rules that derive mmap_base, the maps printer byte for
 * byte, the validator, and a seeded random differential test of the whole
 * syscall layer against a naive model.
 *
 * The model keeps the VMAs in a sorted array and applies Linux's rules the
 * simple O(n) way: the highest (6.x: raw) gap found by scanning, merges by
 * looking at the array neighbours, splits by rebuilding the array. After
 * every operation the result and the full layout (bounds, vm_flags, pgoff,
 * shared object) must agree, and mm_validate must pass.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/rbtree.h"
#include "mm/internal.h"
#include "mm_common.h"

static void assert_valid(const struct mm_struct *mm)
{
	char why[256] = "";

	cr_assert_eq(mm_validate(mm, why, sizeof(why)), 0, "mm_validate: %s", why);
}

/* --- layout rules -------------------------------------------------- */

Test(vma, mmap_base_follows_the_stack_rlimit_as_linux)
{
	struct mm_params p;

	mm_params_default(&p);
	cr_assert_eq(mm_derive_mmap_base(&p), 0x7ffff7fff000ULL);	/* 8 MiB: 128 MiB floor */
	p.stack_rlimit = 1ULL << 30;
	cr_assert_eq(mm_derive_mmap_base(&p), 0x7fffbfeff000ULL);	/* 1 GiB + guard */
	p.stack_rlimit = UINT64_MAX;
	cr_assert_eq(mm_derive_mmap_base(&p), 0x155555556000ULL);	/* 5/6 ceiling */
	p.legacy_layout = true;
	cr_assert_eq(mm_derive_mmap_base(&p), 0x2aaaaaaab000ULL);
	cr_assert_eq(mm_legacy_mmap_base(&p), 0x2aaaaaaab000ULL);
}

Test(vma, create_rejects_bad_parameters)
{
	struct mm_params p;
	struct mm_struct *mm;

	mm_params_default(&p);
	p.page_size = 3000;
	cr_assert_eq(mm_create(&p, &mm), -EINVAL);
	cr_assert_null(mm);
	mm_params_default(&p);
	p.task_size = 0x7ffffffff001ULL;
	cr_assert_eq(mm_create(&p, &mm), -EINVAL);
}

/* --- lookup and import --------------------------------------------- */

static void import(struct mm_struct *mm, uint64_t s, uint64_t e, int prot)
{
	struct mm_vma_desc d = { .start = s, .end = e, .prot = prot };

	cr_assert_eq(mm_import_vma(mm, &d), 0);
}

Test(vma, find_vma_returns_the_first_vma_ending_above_addr)
{
	struct mm_struct *mm = new_mm();

	import(mm, 0x10000, 0x12000, PROT_READ);
	import(mm, 0x20000, 0x21000, RW);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0)), 0x10000);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x11fff)), 0x10000);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x12000)), 0x20000);
	cr_assert_null(mm_find_vma(mm, 0x21000));
	cr_assert_null(mm_find_vma_intersection(mm, 0x12000, 0x20000));
	cr_assert_eq(vma_start(mm_find_vma_intersection(mm, 0x12000, 0x20001)),
		     0x20000);
	cr_assert_eq(vma_prot(mm_first_vma(mm)), PROT_READ);
	cr_assert_null(mm_prev_vma(mm, mm_first_vma(mm)));
	cr_assert_null(mm_next_vma(mm, mm_find_vma(mm, 0x20000)));
	cr_assert_eq(mm_nr_vmas(mm), 2);
	mm_destroy(mm);
}

/*
 * The cached answer of find_vma stays right while the set changes under
 * it: asked in every order, after the cached VMA is unmapped, and for
 * addresses in the gaps on both sides of it.
 */
Test(vma, find_vma_cache_follows_changes)
{
	struct mm_struct *mm = new_mm();
	uint64_t out;

	import(mm, 0x10000, 0x12000, PROT_READ);
	import(mm, 0x20000, 0x21000, RW);
	import(mm, 0x30000, 0x31000, PROT_READ);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x20000)), 0x20000);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x1ffff)), 0x20000);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x11fff)), 0x10000);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x12000)), 0x20000);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x21000)), 0x30000);
	cr_assert_eq(mm_munmap(mm, 0x20000, PG), 0);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x12000)), 0x30000);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x0)), 0x10000);
	cr_assert_eq(mm_munmap(mm, 0x30000, PG), 0);
	cr_assert_null(mm_find_vma(mm, 0x12000));
	cr_assert_eq(mm_mmap(mm, 0x40000, PG, RW, PAF, NULL, 0, &out), 0);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x12000)), 0x40000);
	cr_assert_eq(vma_start(mm_find_vma(mm, 0x10000)), 0x10000);
	mm_destroy(mm);
}

/*
 * The space below the lowest VMA is kept out of the tree: top-down it is
 * the last gap tried, bottom-up the first.
 */
Test(vma, gap_below_the_lowest_vma_is_searched_in_address_order)
{
	struct mm_params p;
	struct mm_struct *mm = new_mm();
	uint64_t base = mm_params(mm)->mmap_base, lb, out;
	const int PA = MAP_PRIVATE | MAP_ANONYMOUS;

	cr_assert_eq(mm_mmap(mm, base - PG, PG, RW, PAF, NULL, 0, &out), 0);
	cr_assert_eq(mm_mmap(mm, base - 8 * PG, PG, RW, PAF, NULL, 0, &out), 0);
	/* the inner gap [base-7PG, base-PG) holds 6 pages, not 7 */
	cr_assert_eq(mm_mmap(mm, 0, 7 * PG, PROT_READ, PA, NULL, 0, &out), 0);
	cr_assert_eq(out, base - 15 * PG);
	cr_assert_eq(mm_mmap(mm, 0, 6 * PG, PROT_READ, PA, NULL, 0, &out), 0);
	cr_assert_eq(out, base - 7 * PG);
	mm_destroy(mm);

	mm_params_default(&p);
	p.legacy_layout = true;
	cr_assert_eq(mm_create(&p, &mm), 0);
	mm_set_validate(mm, true);
	lb = mm_legacy_mmap_base(&p);
	cr_assert_eq(mm_mmap(mm, lb + 2 * PG, PG, RW, PAF, NULL, 0, &out), 0);
	cr_assert_eq(mm_mmap(mm, lb + 10 * PG, PG, RW, PAF, NULL, 0, &out), 0);
	/* [lb, lb+2PG) of the bottom gap holds 2 pages, not 3 */
	cr_assert_eq(mm_mmap(mm, 0, 3 * PG, PROT_READ, PA, NULL, 0, &out), 0);
	cr_assert_eq(out, lb + 3 * PG);
	cr_assert_eq(mm_mmap(mm, 0, 2 * PG, PROT_READ, PA, NULL, 0, &out), 0);
	cr_assert_eq(out, lb);
	mm_destroy(mm);
}

Test(vma, import_rejects_overlap_and_unaligned_ranges)
{
	struct mm_struct *mm = new_mm();
	struct mm_vma_desc d = { .start = 0x10000, .end = 0x12000 };

	cr_assert_eq(mm_import_vma(mm, &d), 0);
	d.start = 0x11000;
	d.end = 0x13000;
	cr_assert_eq(mm_import_vma(mm, &d), -EEXIST);
	d.start = 0x13001;
	cr_assert_eq(mm_import_vma(mm, &d), -EINVAL);
	d.start = 0x14000;
	d.end = 0x14000;
	cr_assert_eq(mm_import_vma(mm, &d), -EINVAL);
	cr_assert_eq(mm_nr_vmas(mm), 1);
	mm_destroy(mm);
}

Test(vma, smaps_mnemonics_map_to_vm_flags)
{
	cr_assert_eq(mm_vmflag_from_smaps("rd"), VM_READ);
	cr_assert_eq(mm_vmflag_from_smaps("ac"), VM_ACCOUNT);
	cr_assert_eq(mm_vmflag_from_smaps("gd"), VM_GROWSDOWN);
	cr_assert_eq(mm_vmflag_from_smaps("nh"), VM_NOHUGEPAGE);
	cr_assert_eq(mm_vmflag_from_smaps("dc"), VM_DONTCOPY);
	cr_assert_eq(mm_vmflag_from_smaps("zz"), 0);
}

/* --- maps output --------------------------------------------------- */

Test(vma, maps_prints_as_linux_byte_for_byte)
{
	struct mm_struct *mm = new_mm();
	struct mm_file *libc = mm_file_new("/usr/lib/x86_64-linux-gnu/libc.so.6",
					   0xfe, 0, 332835, MM_FILE_READ);
	struct mm_vma_desc d = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	d = (struct mm_vma_desc){ .start = 0x555555554000, .end = 0x555555555000,
				  .prot = PROT_READ, .file = libc };
	cr_assert_eq(mm_import_vma(mm, &d), 0);
	d = (struct mm_vma_desc){ .start = 0x555555555000, .end = 0x55555555a000,
				  .prot = PROT_READ | PROT_EXEC, .offset = 0x1000,
				  .file = libc };
	cr_assert_eq(mm_import_vma(mm, &d), 0);
	import(mm, 0x55555555d000, 0x555555b3e000, RW);
	import(mm, 0x555555b3e000, 0x555555b5f000, RW);
	mm_set_brk(mm, 0x555555b3e000, 0x555555b5e123);
	d = (struct mm_vma_desc){ .start = 0x7ffff7fc8000, .end = 0x7ffff7fca000,
				  .prot = PROT_READ | PROT_EXEC, .name = "[vdso]" };
	cr_assert_eq(mm_import_vma(mm, &d), 0);
	d = (struct mm_vma_desc){ .start = 0x7ffffffde000, .end = 0x7ffffffff000,
				  .prot = RW, .name = "[stack]" };
	cr_assert_eq(mm_import_vma(mm, &d), 0);
	mm_set_gate_vma(mm, 0xffffffffff600000ULL, 0xffffffffff601000ULL,
			VM_EXEC, "[vsyscall]");
	mm_file_put(libc);

	f = open_memstream(&buf, &len);
	mm_print_maps(mm, f);
	fclose(f);
	cr_assert_str_eq(buf,
"555555554000-555555555000 r--p 00000000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
"555555555000-55555555a000 r-xp 00001000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
"55555555d000-555555b3e000 rw-p 00000000 00:00 0 \n"
"555555b3e000-555555b5f000 rw-p 00000000 00:00 0                          [heap]\n"
"7ffff7fc8000-7ffff7fca000 r-xp 00000000 00:00 0                          [vdso]\n"
"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n",
			 "got:\n%s", buf);
	free(buf);
	/* The gate is printed but not part of the set. */
	cr_assert_eq(mm_nr_vmas(mm), 6);
	mm_destroy(mm);
}

Test(vma, short_addresses_are_padded_to_eight_digits)
{
	struct mm_struct *mm = new_mm();
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	import(mm, 0x10000, 0x11000, PROT_NONE);
	f = open_memstream(&buf, &len);
	mm_print_maps(mm, f);
	fclose(f);
	cr_assert_str_eq(buf, "00010000-00011000 ---p 00000000 00:00 0 \n");
	free(buf);
	mm_destroy(mm);
}

/* --- the validator ------------------------------------------------- */

Test(vma, validate_catches_a_stale_subtree_gap_and_a_wrong_count)
{
	struct mm_struct *mm = new_mm();
	char why[256];

	for (uint64_t i = 0; i < 64; i++)
		import(mm, 0x10000000 + i * 3 * PG, 0x10000000 + i * 3 * PG + PG,
		       PROT_READ);
	assert_valid(mm);
	mm_find_vma(mm, 0x10000000 + 30 * 3 * PG)->rb_subtree_gap += PG;
	cr_assert_eq(mm_validate(mm, why, sizeof(why)), -EINVAL);
	cr_assert_neq(strstr(why, "rb_subtree_gap"), NULL, "%s", why);
	mm_find_vma(mm, 0x10000000 + 30 * 3 * PG)->rb_subtree_gap -= PG;
	assert_valid(mm);
	mm->map_count++;
	cr_assert_eq(mm_validate(mm, why, sizeof(why)), -EINVAL);
	cr_assert_neq(strstr(why, "map_count"), NULL, "%s", why);
	mm->map_count--;
	mm_destroy(mm);
}

Test(vma, struct_vma_fits_in_128_bytes)
{
	cr_assert_leq(sizeof(struct vma), 128);
}

Test(vma, a_million_vmas_with_raised_max_map_count)
{
	struct mm_params p;
	struct mm_struct *mm;
	uint64_t out, top;

	mm_params_default(&p);
	p.max_map_count = 2000000;
	cr_assert_eq(mm_create(&p, &mm), 0);
	/* Validating after each of 1e6 calls would be quadratic: once below. */
	mm_set_validate(mm, false);
	/* Alternating protections: no two neighbours merge. */
	for (int i = 0; i < 1000000; i++)
		cr_assert_eq(mm_mmap(mm, 0, PG, i & 1 ? PROT_READ : RW,
				     MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &out), 0);
	cr_assert_eq(mm_nr_vmas(mm), 1000000);
	top = mm_params(mm)->mmap_base;
	cr_assert_eq(out, top - 1000000 * PG);
	/* A hole deep inside is found by the gap search. */
	cr_assert_eq(mm_munmap(mm, top - 500000 * PG, PG), 0);
	cr_assert_eq(mm_mmap(mm, 0, PG, PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
			     NULL, 0, &out), 0);
	cr_assert_eq(out, top - 500000 * PG);
	assert_valid(mm);
	mm_destroy(mm);
}

/* --- differential test against a naive model ----------------------- */

#define MAXV 4096

struct mv {
	uint64_t s, e;		/* [s, e) */
	uint64_t flags;		/* VM_* */
	uint64_t pgoff;		/* pages */
	uint64_t anon;		/* anon_vma id, 0 none */
	int obj;		/* shared anonymous object, 0 none */
};

struct model {
	struct mv v[MAXV];
	int n;
	uint64_t start_brk, brk;
	uint64_t base, task, guard, min_addr, max_count;
	uint64_t next_anon;
	int next_obj;
};

static uint64_t m_start_gap(const struct model *m, const struct mv *v)
{
	if (!(v->flags & VM_GROWSDOWN))
		return v->s;
	return v->s > m->guard ? v->s - m->guard : 0;
}

/* Index of the first VMA with e > addr (n if none). */
static int m_find(const struct model *m, uint64_t addr)
{
	int i = 0;

	while (i < m->n && m->v[i].e <= addr)
		i++;
	return i;
}

static void m_insert_at(struct model *m, int i, struct mv v)
{
	memmove(&m->v[i + 1], &m->v[i], (size_t)(m->n - i) * sizeof(v));
	m->v[i] = v;
	m->n++;
}

static void m_delete_at(struct model *m, int i)
{
	memmove(&m->v[i], &m->v[i + 1], (size_t)(m->n - i - 1) * sizeof(m->v[0]));
	m->n--;
}

/* Topdown placement, Linux 6.x: highest raw gap, guard-gap retry. */
static int m_topdown(const struct model *m, uint64_t len, uint64_t *out)
{
	uint64_t low = m->min_addr, high = m->base;

	for (;;) {
		int found = -2;
		uint64_t end = 0;

		for (int i = m->n; i >= 0; i--) {
			uint64_t gs = i > 0 ? m->v[i - 1].e : 0;
			uint64_t ge = i < m->n ? m->v[i].s : UINT64_MAX;
			uint64_t cs = gs > low ? gs : low, ce = ge < high ? ge : high;

			if (ce > cs && ce - cs >= len) {
				found = i < m->n ? i : -1;
				end = ce;
				break;
			}
		}
		if (found == -2)
			return -ENOMEM;
		if (found >= 0 && (m->v[found].flags & VM_GROWSDOWN) &&
		    m_start_gap(m, &m->v[found]) < end) {
			high = m_start_gap(m, &m->v[found]);
			continue;
		}
		*out = end - len;
		return 0;
	}
}

/* Remove [s, e); -ENOMEM if a VMA would split in three at the limit. */
static int m_unmap(struct model *m, uint64_t s, uint64_t e)
{
	int i = m_find(m, s);

	if (i < m->n && m->v[i].s < s && e < m->v[i].e &&
	    (uint64_t)m->n >= m->max_count)
		return -ENOMEM;
	for (i = 0; i < m->n; i++) {
		struct mv *v = &m->v[i];

		if (v->e <= s || v->s >= e)
			continue;
		if (v->s < s && v->e > e) {
			struct mv r = *v;

			r.pgoff += (e - v->s) / PG;
			r.s = e;
			v->e = s;
			m_insert_at(m, i + 1, r);
			i++;
		} else if (v->s < s) {
			v->e = s;
		} else if (v->e > e) {
			v->pgoff += (e - v->s) / PG;
			v->s = e;
		} else {
			m_delete_at(m, i);
			i--;
		}
	}
	return 0;
}

static bool m_same(const struct mv *a, uint64_t flags, int obj)
{
	return !((a->flags ^ flags) & ~VM_SOFTDIRTY) && a->obj == obj;
}

static bool m_anon_ok(uint64_t tgt, uint64_t src)
{
	return !tgt || !src || tgt == src;
}

/* A new range [s, e): merge with the array neighbours or insert. */
static void m_place(struct model *m, uint64_t s, uint64_t e, uint64_t flags,
		    int obj, uint64_t pgoff, bool just_expand)
{
	int i = m_find(m, s);	/* the VMA after the range */
	struct mv *p = i > 0 ? &m->v[i - 1] : NULL;
	struct mv *n = i < m->n ? &m->v[i] : NULL;
	uint64_t pages = (e - s) / PG;
	bool left = !(flags & VM_SPECIAL) && p && p->e == s &&
		    m_same(p, flags, obj) && p->pgoff + (p->e - p->s) / PG == pgoff;
	bool right = !(flags & VM_SPECIAL) && !just_expand && n && n->s == e &&
		     m_same(n, flags, obj) && n->pgoff == pgoff + pages &&
		     (!left || m_anon_ok(p->anon, n->anon));

	if (left && right) {
		p->e = n->e;
		if (!p->anon)
			p->anon = n->anon;
		m_delete_at(m, i);
	} else if (left) {
		p->e = e;
	} else if (right) {
		n->s = s;
		n->pgoff = pgoff;
	} else {
		struct mv v = { s, e, flags, pgoff, 0, obj };

		m_insert_at(m, i, v);
	}
}

static int m_mmap(struct model *m, uint64_t addr, uint64_t len, int prot,
		  int flags, uint64_t *out)
{
	uint64_t vmf, pgoff, a;
	int i, obj = 0;

	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	len = (len + PG - 1) & ~(PG - 1);
	if ((uint64_t)m->n > m->max_count)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr > m->task - len)
			return -ENOMEM;
		if (addr & (PG - 1))
			return -EINVAL;
		a = addr;
	} else {
		i = m_find(m, addr);
		if (addr && addr <= m->task - len &&
		    (i == m->n || addr + len <= m_start_gap(m, &m->v[i])))
			a = addr;
		else if (m_topdown(m, len, &a))
			return -ENOMEM;
	}
	if (flags & MAP_FIXED_NOREPLACE) {
		i = m_find(m, a);
		if (i < m->n && m->v[i].s < a + len)
			return -EEXIST;
	}
	vmf = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	      (prot & PROT_EXEC ? VM_EXEC : 0) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (flags & MAP_GROWSDOWN)
		vmf |= VM_GROWSDOWN;
	if (flags & MAP_SHARED) {
		if (vmf & VM_GROWSDOWN)
			return -EINVAL;
		vmf |= VM_SHARED | VM_MAYSHARE;
		pgoff = 0;
	} else {
		pgoff = a / PG;
	}
	if (m_unmap(m, a, a + len))
		return -ENOMEM;
	if ((vmf & (VM_SHARED | VM_WRITE)) == VM_WRITE)
		vmf |= VM_ACCOUNT;
	if (vmf & VM_SHARED) {
		obj = ++m->next_obj;
		m_insert_at(m, m_find(m, a), (struct mv){ a, a + len, vmf, 0, 0, obj });
	} else {
		m_place(m, a, a + len, vmf, 0, pgoff, false);
	}
	*out = a;
	return 0;
}

/* vma_modify on v[i] for [s, e) with new flags: merge or split. */
static int m_modify(struct model *m, int i, uint64_t s, uint64_t e,
		    uint64_t nf, int *res)
{
	struct mv *v = &m->v[i];
	struct mv *p = i > 0 && m->v[i - 1].e == s ? &m->v[i - 1] : NULL;
	struct mv *n = i + 1 < m->n && m->v[i + 1].s == e ? &m->v[i + 1] : NULL;
	bool ls = s == v->s, rs = e == v->e;
	uint64_t pgoff = v->pgoff + (s - v->s) / PG, pages = (e - s) / PG;
	bool left = false, right = false;

	if (!(nf & VM_SPECIAL) && (ls || rs)) {
		left = ls && p && m_same(p, nf, v->obj) &&
		       m_anon_ok(p->anon, v->anon) &&
		       p->pgoff + (p->e - p->s) / PG == pgoff;
		right = rs && n && m_same(n, nf, v->obj) &&
			m_anon_ok(n->anon, v->anon) && n->pgoff == pgoff + pages &&
			(!left || m_anon_ok(p->anon, n->anon));
	}
	if (left && right) {
		if (!p->anon)
			p->anon = v->anon ? v->anon : n->anon;
		p->e = n->e;
		m_delete_at(m, i + 1);
		m_delete_at(m, i);
		*res = i - 1;
		return 0;
	}
	if (left) {
		if (!p->anon)
			p->anon = v->anon;
		p->e = e;
		if (rs) {
			m_delete_at(m, i);
		} else {
			v->pgoff += pages;
			v->s = e;
		}
		*res = i - 1;
		return 0;
	}
	if (right) {
		if (!n->anon)
			n->anon = v->anon;
		n->s = s;
		n->pgoff = pgoff;
		if (ls) {
			m_delete_at(m, i);
			*res = i;
		} else {
			v->e = s;
			*res = i + 1;
		}
		return 0;
	}
	if (v->s < s) {
		struct mv r = *v;

		if ((uint64_t)m->n >= m->max_count)
			return -ENOMEM;
		r.s = s;
		r.pgoff += (s - v->s) / PG;
		v->e = s;
		m_insert_at(m, ++i, r);
		v = &m->v[i];
	}
	if (v->e > e) {
		struct mv r = *v;

		if ((uint64_t)m->n >= m->max_count)
			return -ENOMEM;
		r.s = e;
		r.pgoff += (e - v->s) / PG;
		v->e = e;
		m_insert_at(m, i + 1, r);
	}
	m->v[i].flags = nf;
	*res = i;
	return 0;
}

static int m_mprotect(struct model *m, uint64_t s, uint64_t len, int prot)
{
	uint64_t e, tmp, nstart, acc;
	int i, err = 0;

	if (s & (PG - 1))
		return -EINVAL;
	if (!len)
		return 0;
	len = (len + PG - 1) & ~(PG - 1);
	e = s + len;
	i = m_find(m, s);
	if (i == m->n || m->v[i].s >= e || m->v[i].s > s)
		return -ENOMEM;
	acc = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	      (prot & PROT_EXEC ? VM_EXEC : 0);
	tmp = m->v[i].s;
	nstart = s;
	while (i < m->n && m->v[i].s < e) {
		struct mv *v = &m->v[i];
		uint64_t nf = acc | (v->flags & ~(VM_READ | VM_WRITE | VM_EXEC));
		int res;

		if (v->s != tmp) {
			err = -ENOMEM;
			break;
		}
		tmp = v->e < e ? v->e : e;
		if (nf != v->flags) {
			if (nf & VM_WRITE) {
				if (!(v->flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED |
						  VM_NORESERVE)))
					nf |= VM_ACCOUNT;
			} else if ((v->flags & VM_ACCOUNT) && !v->obj && !v->anon) {
				nf &= ~VM_ACCOUNT;
			}
			err = m_modify(m, i, nstart, tmp, nf, &res);
			if (err)
				break;
			i = res;
		}
		tmp = m->v[i].e;
		nstart = tmp;
		i++;
	}
	if (!err && tmp < e)
		err = -ENOMEM;
	return err;
}

static uint64_t m_brk(struct model *m, uint64_t brk)
{
	uint64_t nb, ob, lim;
	int i;

	if (brk < m->start_brk)
		return m->brk;
	nb = (brk + PG - 1) & ~(PG - 1);
	ob = (m->brk + PG - 1) & ~(PG - 1);
	if (nb == ob) {
		m->brk = brk;
		return brk;
	}
	if (brk <= m->brk) {
		i = m_find(m, nb);
		if (i == m->n || m->v[i].s >= ob)
			return m->brk;
		m_unmap(m, nb, ob);
		m->brk = brk;
		return brk;
	}
	lim = nb + PG + m->guard;
	i = m_find(m, ob);
	if (i < m->n && m->v[i].s < lim && nb + PG > m_start_gap(m, &m->v[i]))
		return m->brk;
	m_place(m, ob, nb, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
		VM_MAYEXEC | VM_ACCOUNT, 0, ob / PG,
		!(i > 0 && m->v[i - 1].e > m->start_brk) ||
		m->v[i - 1].e != ob ? true : true);
	/* An empty heap never merges with what is below start_brk. */
	m->brk = brk;
	return brk;
}

/* anon_vma_prepare on a written private writable VMA. */
static void m_touch(struct model *m, uint64_t addr)
{
	int i = m_find(m, addr);
	struct mv *v;
	uint64_t ign = VM_READ | VM_WRITE | VM_EXEC | VM_SOFTDIRTY;

	if (i == m->n || m->v[i].s > addr)
		return;
	v = &m->v[i];
	if (!(v->flags & VM_WRITE) || (v->flags & VM_SHARED) || v->anon)
		return;
	if (i + 1 < m->n) {
		struct mv *n = &m->v[i + 1];

		if (n->s == v->e && n->obj == v->obj && !((n->flags ^ v->flags) & ~ign) &&
		    n->pgoff == v->pgoff + (n->s - v->s) / PG && n->anon) {
			v->anon = n->anon;
			return;
		}
	}
	if (i > 0) {
		struct mv *p = &m->v[i - 1];

		if (p->e == v->s && p->obj == v->obj && !((p->flags ^ v->flags) & ~ign) &&
		    v->pgoff == p->pgoff + (v->s - p->s) / PG && p->anon) {
			v->anon = p->anon;
			return;
		}
	}
	v->anon = ++m->next_anon;
}

static void compare(const struct model *m, const struct mm_struct *mm,
		    int step)
{
	const struct vma *v = mm_first_vma(mm);
	int i = 0;

	for (; v && i < m->n; v = mm_next_vma(mm, v), i++) {
		const struct mv *x = &m->v[i];

		cr_assert(vma_start(v) == x->s && vma_end(v) == x->e &&
			  vma_flags(v) == x->flags && vma_pgoff(v) == x->pgoff &&
			  (vma_file(v) != NULL) == (x->obj != 0) &&
			  vma_has_anon_vma(v) == (x->anon != 0),
			  "step %d vma %d: mm %lx-%lx f=%lx pg=%lx anon=%d, "
			  "model %lx-%lx f=%lx pg=%lx anon=%d", step, i,
			  (unsigned long)vma_start(v), (unsigned long)vma_end(v),
			  (unsigned long)vma_flags(v), (unsigned long)vma_pgoff(v),
			  vma_has_anon_vma(v), (unsigned long)x->s,
			  (unsigned long)x->e, (unsigned long)x->flags,
			  (unsigned long)x->pgoff, x->anon != 0);
	}
	cr_assert(!v && i == m->n, "step %d: counts differ (mm %lu, model %d)",
		  step, (unsigned long)mm_nr_vmas(mm), m->n);
	cr_assert_eq(mm_cur_brk(mm), m->brk, "step %d: brk", step);
}

Test(vma, random_syscalls_match_a_naive_model, .timeout = 120)
{
	uint64_t seed = 20240501, st = seed;
	struct model *m = calloc(1, sizeof(*m));
	struct mm_struct *mm = new_mm();
	const struct mm_params *p = mm_params(mm);
	uint64_t win = 2048 * PG, wlo;
	static const int prots[] = { PROT_NONE, PROT_READ, RW, PROT_READ | PROT_EXEC,
				     RW | PROT_EXEC };

	TEST_SEED(seed);
	m->base = p->mmap_base;
	m->task = p->task_size;
	m->guard = p->stack_guard_gap;
	m->min_addr = p->mmap_min_addr;
	m->max_count = 300;
	wlo = m->base - win;
	m->start_brk = m->brk = wlo + 256 * PG;
	mm_set_brk(mm, m->start_brk, m->brk);
	/* The set is kept modest so that full validation per step is cheap. */
	((struct mm_params *)p)->max_map_count = m->max_count;

	for (int step = 0; step < 100000; step++) {
		uint64_t r = test_rand(&st), op = r % 100;
		uint64_t addr = wlo + test_rand_below(&st, 2048) * PG;
		uint64_t len = (1 + test_rand_below(&st, 12)) * PG;
		int prot = prots[test_rand_below(&st, 5)];
		uint64_t out = 0, mout = 0;
		int e1, e2;

		if (op < 35) {
			int fl = MAP_ANONYMOUS, kind = (int)test_rand_below(&st, 4);

			fl |= test_rand_below(&st, 8) == 0 ? MAP_SHARED : MAP_PRIVATE;
			if (test_rand_below(&st, 16) == 0)
				fl |= MAP_GROWSDOWN;
			if (kind == 0)
				addr = 0;
			else if (kind == 2)
				fl |= MAP_FIXED;
			else if (kind == 3)
				fl |= MAP_FIXED_NOREPLACE;
			if (test_rand_below(&st, 50) == 0)
				len = 0;
			e1 = mm_mmap(mm, addr, len, prot, fl, NULL, 0, &out);
			e2 = m_mmap(m, addr, len, prot, fl, &mout);
			cr_assert_eq(e1, e2, "step %d mmap: %d vs model %d", step, e1, e2);
			if (!e1)
				cr_assert_eq(out, mout, "step %d mmap address", step);
		} else if (op < 60) {
			len *= 1 + test_rand_below(&st, 3);
			e1 = mm_munmap(mm, addr, len);
			e2 = m_unmap(m, addr, addr + len);
			cr_assert_eq(e1, e2, "step %d munmap", step);
		} else if (op < 85) {
			len *= 1 + test_rand_below(&st, 3);
			e1 = mm_mprotect(mm, addr, len, prot);
			e2 = m_mprotect(m, addr, len, prot);
			cr_assert_eq(e1, e2, "step %d mprotect: %d vs %d", step, e1, e2);
		} else if (op < 93) {
			uint64_t b = m->start_brk - 2 * PG +
				     test_rand_below(&st, 64 * PG);

			cr_assert_eq(mm_brk(mm, b, &out), 0);
			cr_assert_eq(out, m_brk(m, b), "step %d brk(%lx)", step,
				     (unsigned long)b);
		} else {
			/* A write somewhere: the VMA may get its anon_vma. */
			int i = m_find(m, addr);

			if (i < m->n && m->v[i].s <= addr &&
			    (m->v[i].flags & VM_WRITE)) {
				cr_assert_eq(mm_touch(mm, addr, true), 0);
				m_touch(m, addr);
			}
		}
		compare(m, mm, step);
	}
	assert_valid(mm);
	mm_destroy(mm);
	free(m);
}

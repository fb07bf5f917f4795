/*
 * mmap.c - the memory syscalls on one address space, with Linux 6.x's
 * rules: mm/mmap.c (do_mmap, __get_unmapped_area, the brk syscall),
 * mm/vma.c (__mmap_region, vma_merge_new_range, vma_merge_existing_range,
 * vma_modify, do_vmi_align_munmap), arch/x86/mm/mmap.c and
 * arch/x86/kernel/sys_x86_64.c (placement), mm/huge_memory.c
 * (__thp_get_unmapped_area), mm/mprotect.c (do_mprotect_pkey,
 * mprotect_fixup), mm/mremap.c, mm/madvise.c, mm/rmap.c
 * (anon_vma_prepare, find_mergeable_anon_vma) and expand_downwards.
 *
 * Merging. A range [start, end) with flags F, file f, pgoff p and anon_vma
 * a can join a neighbour when (is_mergeable_vma, is_mergeable_anon_vma):
 * flags equal (VM_SOFTDIRTY aside), same file, same anon name, the anon_vmas
 * equal or one of them absent (and that side not inherited through fork),
 * and the file offsets continue across the boundary. Linux's cases, as
 * vma_merge's table draws them (P = prev, N = next, **** = the range):
 *
 *   new range (mmap, brk, mremap extend, copy_vma): vma_merge_new_range
 *
 *     ****             ****                 ****
 *    PPPPNNNN  ->  PPPPPPPPPPPP   1: both (P's and N's anon_vmas compatible)
 *    PPPP      ->  PPPPPPPP       2: prev only (also when 1 fails on anon)
 *        NNNN  ->  NNNNNNNN       3: next only
 *
 *   existing range (mprotect, madvise on part of VMA M): merge_existing
 *
 *     ****            ****           ****           ****
 *    PPPPMMMMNNNN -> PPPPPPPPPPPP   4: both, M removed
 *    PPPPMMMM     -> PPPPPPPP       5: prev takes all of M
 *    PPPPMMMMMMMM -> PPPPPPPPMMMM   6: prev takes the head of M
 *        MMMMNNNN ->     NNNNNNNN   7: next takes all of M
 *    MMMMMMMMNNNN -> MMMMNNNNNNNN   8: next takes the tail of M
 *
 *   and otherwise M is split at the range's edges (vma_modify).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "mm/internal.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif
#ifndef MAP_UNINITIALIZED
#define MAP_UNINITIALIZED 0x4000000
#endif

#define MAP_TYPE_MASK 0x0f
/* Flags MAP_SHARED_VALIDATE accepts (LEGACY_MAP_MASK | MAP_SYNC ...). */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS \
			 | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED \
			 | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE \
			 | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

static inline uint64_t page_mask(const struct mm_struct *mm)
{
	return mm->p.page_size - 1;
}

static inline uint64_t page_align(const struct mm_struct *mm, uint64_t x)
{
	return (x + page_mask(mm)) & ~page_mask(mm);
}

static inline uint64_t prot_to_vm(int prot)
{
	return (prot & PROT_READ ? VM_READ : 0) |
	       (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

static bool is_special_name(const char *name)
{
	return name && strncmp(name, "[anon:", 6) != 0 &&
	       strncmp(name, "[anon_shmem:", 12) != 0;
}

/* Linux vma_is_anonymous(): no vm_ops (not file, not shmem, not special). */
static inline bool vma_anon(const struct vma *v)
{
	return !v->vm_file && !is_special_name(v->vm_name);
}

static inline uint64_t limit_pages(const struct mm_struct *mm, uint64_t lim)
{
	return lim == UINT64_MAX ? UINT64_MAX : lim >> mm->page_shift;
}

/* may_expand_vm: RLIMIT_AS on total_vm, RLIMIT_DATA on data_vm. */
static bool may_expand_vm(const struct mm_struct *mm, uint64_t flags,
			  uint64_t npages)
{
	uint64_t as = limit_pages(mm, mm->p.address_space_limit);
	uint64_t data = limit_pages(mm, mm->p.data_rlimit);

	if (mm->cnt.total_vm + npages > as || mm->cnt.total_vm + npages < npages)
		return false;
	if ((flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE &&
	    mm->data_vm + npages > data)
		return false;
	return true;
}

/* ---------------------------------------------------------------------
 * Merge predicates.
 */

/* What is being placed or changed, as vma_merge_struct describes it. */
struct merge_src {
	uint64_t flags;			/* its vm_flags */
	struct mm_file *file;		/* its file */
	const char *name;		/* its interned name */
	uint64_t anon;			/* its anon_vma (0: none) */
	const struct vma *middle;	/* the existing VMA changed, NULL if new */
};

/* A special mapping (vm_ops with a name: [vdso], [vvar]) is never merged. */
static bool can_merge_remove(const struct vma *v)
{
	return !is_special_name(v->vm_name);
}

static bool had_uncowed_parents(const struct vma *v)
{
	return v && (v->anon_vma & ANON_FORKED);
}

/* is_mergeable_anon_vma (6.16+): src's anon_vma may go into tgt's VMA. */
static bool anon_mergeable(const struct vma *tgt, const struct merge_src *s)
{
	if (!tgt->anon_vma && s->anon)
		return !had_uncowed_parents(s->middle);
	if (tgt->anon_vma && !s->anon)
		return !had_uncowed_parents(tgt);
	return tgt->anon_vma == s->anon;
}

/* are_anon_vmas_compatible: prev and next may become one VMA. */
static bool anon_pair_ok(const struct vma *a, const struct vma *b)
{
	return !a->anon_vma || !b->anon_vma || a->anon_vma == b->anon_vma;
}

static bool is_mergeable_vma(const struct vma *v, const struct merge_src *s)
{
	return !((v->vm_flags ^ s->flags) & ~VM_SOFTDIRTY) &&
	       v->vm_file == s->file && v->vm_name == s->name &&
	       can_merge_remove(v);
}

/* Can the range, starting at file page pgoff, be appended to prev? */
static bool can_merge_after(const struct vma *prev, const struct merge_src *s,
			    uint64_t pgoff)
{
	return is_mergeable_vma(prev, s) && anon_mergeable(prev, s) &&
	       prev->vm_pgoff + vma_pages(prev) == pgoff;
}

/* Can the range, whose file pages end at pgoff_end, be prepended to next? */
static bool can_merge_before(const struct vma *next, const struct merge_src *s,
			     uint64_t pgoff_end)
{
	return is_mergeable_vma(next, s) && anon_mergeable(next, s) &&
	       next->vm_pgoff == pgoff_end;
}

static inline uint64_t first_anon(uint64_t a, uint64_t b, uint64_t c)
{
	return a ? a : b ? b : c;
}

/*
 * vma_merge_new_range: [start, end) is free, prev/next are the VMAs around
 * it. Returns the VMA that now covers the range (cases 1-3), or NULL.
 * just_expand (brk) only tries prev.
 */
static struct vma *merge_new_range(struct mm_struct *mm, struct vma *prev,
				   struct vma *next, uint64_t start,
				   uint64_t end, const struct merge_src *s,
				   uint64_t pgoff, bool just_expand)
{
	uint64_t pglen = (end - start) >> mm->page_shift;
	bool left, right;

	if ((s->flags & VM_SPECIAL) || (!prev && !next))
		return NULL;
	left = prev && prev->vm_end == start && can_merge_after(prev, s, pgoff);
	right = !just_expand && next && next->vm_start == end &&
		can_merge_before(next, s, pgoff + pglen) &&
		(!left || anon_pair_ok(prev, next));

	if (left) {
		uint64_t new_end = end;

		if (right) {		/* case 1 */
			new_end = next->vm_end;
			prev->anon_vma = first_anon(prev->anon_vma,
						    next->anon_vma, s->anon);
			/* grow over next first: no gap opens (see below) */
			vma_set_range(mm, prev, prev->vm_start, new_end);
			vma_remove(mm, next);
			mm->cnt.nr_merges += 2;
			return prev;
		}
		prev->anon_vma = first_anon(prev->anon_vma, s->anon, 0); /* case 2 */
		vma_set_range(mm, prev, prev->vm_start, new_end);
		mm->cnt.nr_merges++;
		return prev;
	}
	if (right) {			/* case 3 */
		next->anon_vma = first_anon(next->anon_vma, s->anon, 0);
		next->vm_pgoff = pgoff;
		vma_set_range(mm, next, start, next->vm_end);
		mm->cnt.nr_merges++;
		return next;
	}
	return NULL;
}

/*
 * vma_merge_existing_range: [start, end) of mid gets flags/name from *s.
 * Returns the VMA now holding the range (cases 4-8), or NULL.
 */
static struct vma *merge_existing(struct mm_struct *mm, struct vma *prev,
				  struct vma *mid, uint64_t start, uint64_t end,
				  const struct merge_src *s)
{
	bool left_side = start == mid->vm_start, right_side = end == mid->vm_end;
	uint64_t pgoff = mid->vm_pgoff + ((start - mid->vm_start) >> mm->page_shift);
	uint64_t pglen = (end - start) >> mm->page_shift;
	struct vma *next = NULL;
	bool left, right;

	if ((s->flags & VM_SPECIAL) || (!left_side && !right_side))
		return NULL;
	left = left_side && prev && prev->vm_end == start &&
	       can_merge_after(prev, s, pgoff);
	if (right_side)
		next = vma_next_entry(mm, mid);
	right = next && next->vm_start == end &&
		can_merge_before(next, s, pgoff + pglen) &&
		(!left || anon_pair_ok(prev, next));
	if (!left && !right)
		return NULL;
	if (left_side && right_side && !can_merge_remove(mid))
		return NULL;

	/*
	 * The surviving VMA grows over the ones it absorbs before they are
	 * removed. The gaps it overlaps meanwhile compute as 0, which is what
	 * they were (the VMAs are adjacent), so no gap opens and closes again
	 * and no rb_subtree_gap changes on the way: removing a VMA absorbed
	 * first is free of propagation up the tree.
	 */
	if (left && right) {			/* case 4 */
		prev->anon_vma = first_anon(prev->anon_vma, mid->anon_vma,
					    next->anon_vma);
		vma_set_range(mm, prev, prev->vm_start, next->vm_end);
		vma_remove(mm, mid);
		vma_remove(mm, next);
		mm->cnt.nr_merges += 2;
		return prev;
	}
	if (left) {
		prev->anon_vma = first_anon(prev->anon_vma, mid->anon_vma, 0);
		if (right_side) {		/* case 5 */
			vma_set_range(mm, prev, prev->vm_start, mid->vm_end);
			vma_remove(mm, mid);
		} else {			/* case 6 */
			vma_set_range(mm, prev, prev->vm_start, end);
			mid->vm_pgoff += pglen;
			vma_set_range(mm, mid, end, mid->vm_end);
		}
		mm->cnt.nr_merges++;
		return prev;
	}
	next->anon_vma = first_anon(next->anon_vma, mid->anon_vma, 0);
	if (left_side) {			/* case 7 */
		next->vm_pgoff = pgoff;
		vma_set_range(mm, next, mid->vm_start, next->vm_end);
		vma_remove(mm, mid);
	} else {				/* case 8 */
		vma_set_range(mm, mid, mid->vm_start, start);
		next->vm_pgoff = pgoff;
		vma_set_range(mm, next, start, next->vm_end);
	}
	mm->cnt.nr_merges++;
	return next;
}

/* split_vma: __split_vma behind the map_count check. */
static int split_vma(struct mm_struct *mm, struct vma *v, uint64_t addr,
		     bool new_below)
{
	if (mm->map_count >= mm->p.max_map_count)
		return -ENOMEM;
	return vma_split(mm, v, addr, new_below) ? 0 : -ENOMEM;
}

/*
 * vma_modify: give [start, end) of v the flags and name of *s, merging
 * where possible, else splitting v at the edges. The flags are set here.
 */
static int vma_modify(struct mm_struct *mm, struct vma *prev, struct vma *v,
		      uint64_t start, uint64_t end, uint64_t newflags,
		      const char *name, struct vma **res)
{
	struct merge_src s = { newflags, v->vm_file, name, v->anon_vma, v };
	struct vma *m = merge_existing(mm, prev, v, start, end, &s);
	int err;

	if (m) {
		*res = m;
		return 0;
	}
	if (v->vm_start < start) {
		err = split_vma(mm, v, start, true);
		if (err)
			return err;
	}
	if (v->vm_end > end) {
		err = split_vma(mm, v, end, false);
		if (err)
			return err;
	}
	vma_set_flags(mm, v, newflags);
	v->vm_name = name;
	*res = v;
	return 0;
}

/* ---------------------------------------------------------------------
 * anon_vma (mm/rmap.c).
 */

/* reusable_anon_vma: old's anon_vma, if a and b are compatible. */
static uint64_t reusable_anon(const struct vma *old, const struct vma *a,
			      const struct vma *b)
{
	if (vma_anon_compatible(a, b) && old->anon_vma &&
	    !(old->anon_vma & ANON_FORKED))
		return old->anon_vma;
	return 0;
}

/* anon_vma_prepare: a first write gives v an anon_vma, a neighbour's if it can. */
static void anon_vma_prepare(struct mm_struct *mm, struct vma *v)
{
	struct vma *next = vma_next_entry(mm, v), *prev = vma_prev_entry(mm, v);
	uint64_t a = 0;

	if (v->anon_vma)
		return;
	if (next)
		a = reusable_anon(next, v, next);
	if (!a && prev)
		a = reusable_anon(prev, prev, v);
	v->anon_vma = a ? a : mm->next_anon_vma++;
}

/* ---------------------------------------------------------------------
 * munmap.
 */

/*
 * do_vmi_align_munmap: removes everything in [start, end) (page aligned),
 * splitting the VMAs at the edges. Fails (-ENOMEM, nothing changed) only
 * when a VMA would be split in three at max_map_count.
 */
static int do_munmap_range(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct vma *v = mm_find_vma(mm, start);

	if (!v || v->vm_start >= end)
		return 0;
	if (start > v->vm_start) {
		if (end < v->vm_end && mm->map_count >= mm->p.max_map_count)
			return -ENOMEM;
		if (!vma_split(mm, v, start, true))
			return -ENOMEM;
	}
	while (v && v->vm_start < end) {
		struct vma *next = vma_next_entry(mm, v);

		if (v->vm_end > end && !vma_split(mm, v, end, false))
			return -ENOMEM;
		vma_remove(mm, v);
		v = next;
	}
	mm_zap_range(mm, start, end);
	return 0;
}

static int do_munmap(struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	uint64_t ts = mm->p.task_size;

	if ((addr & page_mask(mm)) || addr > ts || len > ts - addr)
		return -EINVAL;
	len = page_align(mm, len);
	if (!len)
		return -EINVAL;
	return do_munmap_range(mm, addr, addr + len);
}

int mm_munmap(struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	int err = do_munmap(mm, addr, len);

	mm->cnt.nr_munmap++;
	if (err)
		mm->cnt.nr_failed++;
	mm_after_op(mm, "munmap");
	return err;
}

/* ---------------------------------------------------------------------
 * Placement (get_unmapped_area).
 */

/* A hint is taken when the range and the guard gap above it are free. */
static bool hint_fits(const struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	struct vma *v;

	if (addr > mm->p.task_size - len)
		return false;
	v = mm_find_vma(mm, addr);
	return !v || addr + len <= vm_start_gap(v);
}

/* arch_get_unmapped_area (bottom-up, the legacy layout and the fallback). */
static int get_area_bottomup(const struct mm_struct *mm, uint64_t addr,
			     uint64_t len, uint64_t *out)
{
	uint64_t low = mm->mmap_legacy_base;

	if (len > mm->p.task_size)
		return -ENOMEM;
	if (addr) {
		addr = page_align(mm, addr);
		if (hint_fits(mm, addr, len)) {
			*out = addr;
			return 0;
		}
	}
	if (low < mm->p.mmap_min_addr)
		low = mm->p.mmap_min_addr;
	return vma_unmapped_area(mm, len, low, mm->p.task_size, out);
}

/* arch_get_unmapped_area_topdown, falling back to bottom-up. */
static int get_area(const struct mm_struct *mm, uint64_t addr, uint64_t len,
		    uint64_t *out)
{
	uint64_t low = mm->p.page_size;

	if (mm->p.legacy_layout)
		return get_area_bottomup(mm, addr, len, out);
	if (len > mm->p.task_size)
		return -ENOMEM;
	if (addr) {
		addr &= ~page_mask(mm);
		if (hint_fits(mm, addr, len)) {
			*out = addr;
			return 0;
		}
	}
	if (low < mm->p.mmap_min_addr)
		low = mm->p.mmap_min_addr;
	if (vma_unmapped_area_topdown(mm, len, low, mm->p.mmap_base, out) == 0)
		return 0;
	return get_area_bottomup(mm, addr, len, out);
}

/*
 * __thp_get_unmapped_area: place a range whose file offsets cover a whole
 * PMD so that address and offset agree modulo the PMD size, by asking for
 * len + PMD and aligning inside. Returns -1 when it does not apply.
 */
static int thp_get_area(const struct mm_struct *mm, uint64_t addr,
			uint64_t len, uint64_t off, uint64_t *out)
{
	uint64_t size = mm->p.thp_size, off_end, off_align, len_pad, ret, sub;

	off_end = (off + len) & ~(size - 1);
	off_align = (off + size - 1) & ~(size - 1);
	if (off_end <= off_align || off_end - off_align < size)
		return -1;
	len_pad = len + size;
	if (len_pad < len || off + len_pad < off)
		return -1;
	if (get_area(mm, addr, len_pad, &ret))
		return -1;
	if (ret == addr) {
		*out = addr;
		return 0;
	}
	sub = (off - ret) & (size - 1);
	if (!mm->p.legacy_layout && !sub)
		*out = ret + size;
	else
		*out = ret + sub;
	return 0;
}

/*
 * __get_unmapped_area: MAP_FIXED takes addr; a file whose filesystem
 * aligns for THP, or a private anonymous no-hint request of a PMD multiple,
 * goes through thp_get_area; everything else through get_area.
 */
static int get_unmapped_area(const struct mm_struct *mm,
			     const struct mm_file *file, uint64_t addr,
			     uint64_t len, uint64_t pgoff, int flags,
			     uint64_t *out)
{
	uint64_t a;
	int err = 0;

	if (len > mm->p.task_size)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		a = addr;
	} else if (file && (file->mode & MM_FILE_THP)) {
		if (thp_get_area(mm, addr, len, pgoff << mm->page_shift, &a))
			err = get_area(mm, addr, len, &a);
	} else if (!file && !(flags & MAP_SHARED) && mm->p.thp_align_anon &&
		   !addr && !(len & (mm->p.thp_size - 1))) {
		if (thp_get_area(mm, addr, len, pgoff << mm->page_shift, &a))
			err = get_area(mm, addr, len, &a);
	} else {
		err = get_area(mm, addr, len, &a);
	}
	if (err)
		return err;
	if (a > mm->p.task_size - len)
		return -ENOMEM;
	if (a & page_mask(mm))
		return -EINVAL;
	/* security_mmap_addr: below mmap_min_addr needs CAP_SYS_RAWIO. */
	if (a < mm->p.mmap_min_addr && !mm->p.privileged)
		return -EPERM;
	*out = a;
	return 0;
}

/* ---------------------------------------------------------------------
 * mmap.
 */

static uint64_t count_pages_range(const struct mm_struct *mm, uint64_t start,
				  uint64_t end)
{
	uint64_t n = 0;
	struct vma *v;

	for (v = mm_find_vma(mm, start); v && v->vm_start < end;
	     v = vma_next_entry(mm, v)) {
		uint64_t s = v->vm_start > start ? v->vm_start : start;
		uint64_t e = v->vm_end < end ? v->vm_end : end;

		n += (e - s) >> mm->page_shift;
	}
	return n;
}

/* __mmap_region: unmap what is in the way, then merge or insert. */
static int mmap_region(struct mm_struct *mm, struct mm_file *file,
		       uint64_t addr, uint64_t len, uint64_t vm_flags,
		       uint64_t pgoff)
{
	uint64_t end = addr + len, pglen = len >> mm->page_shift;
	struct merge_src s = { 0 };
	struct vma *prev, *next, *v;
	int err;

	if (!may_expand_vm(mm, vm_flags, pglen) &&
	    !may_expand_vm(mm, vm_flags,
			   pglen - count_pages_range(mm, addr, end)))
		return -ENOMEM;
	err = do_munmap_range(mm, addr, end);
	if (err)
		return err;
	/* accountable_mapping: private writable without MAP_NORESERVE. */
	if ((vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE)
		vm_flags |= VM_ACCOUNT;

	next = vma_find_prev(mm, addr, &prev);
	s.flags = vm_flags;
	s.file = file;
	if (merge_new_range(mm, prev, next, addr, end, &s, pgoff, false))
		return 0;

	v = vma_alloc(mm);
	if (!v)
		return -ENOMEM;
	v->vm_start = addr;
	v->vm_end = end;
	v->vm_flags = vm_flags;
	v->vm_pgoff = pgoff;
	if (file) {
		v->vm_file = mm_file_get(file);
	} else if (vm_flags & VM_SHARED) {
		/* shmem_zero_setup: a new object, "/dev/zero (deleted)". */
		static uint64_t shmem_ino = 1;

		v->vm_file = mm_file_new("/dev/zero (deleted)", 0, 1,
					 shmem_ino++,
					 MM_FILE_READ | MM_FILE_WRITE);
		if (!v->vm_file) {
			vma_free(mm, v);
			return -ENOMEM;
		}
	}
	vma_link(mm, v, prev);
	return 0;
}

static int do_mmap(struct mm_struct *mm, uint64_t addr, uint64_t len,
		   int prot, int flags, struct mm_file *file, uint64_t offset,
		   uint64_t *out)
{
	uint64_t pgoff, vm_flags;
	int err, type = flags & MAP_TYPE_MASK;

	if (offset & page_mask(mm))
		return -EINVAL;
	if (flags & MAP_ANONYMOUS)
		file = NULL;
	else if (!file)
		return -EBADF;
	pgoff = offset >> mm->page_shift;
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED)) {
		/* round_hint_to_min */
		addr &= ~page_mask(mm);
		if (addr && addr < mm->p.mmap_min_addr)
			addr = page_align(mm, mm->p.mmap_min_addr);
	}
	len = page_align(mm, len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> mm->page_shift) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > mm->p.max_map_count)
		return -ENOMEM;

	err = get_unmapped_area(mm, file, addr, len, pgoff, flags, &addr);
	if (err)
		return err;
	if ((flags & MAP_FIXED_NOREPLACE) &&
	    mm_find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;

	vm_flags = prot_to_vm(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	if (flags & MAP_STACK)
		vm_flags |= VM_NOHUGEPAGE;	/* 6.7+: MAP_STACK means no THP */

	if (file) {
		switch (type) {
		case MAP_SHARED:
			flags &= LEGACY_MAP_MASK;
			/* fall through */
		case MAP_SHARED_VALIDATE:
			if (flags & ~(LEGACY_MAP_MASK | MAP_SYNC |
				      MAP_FIXED_NOREPLACE))
				return -EOPNOTSUPP;
			if ((prot & PROT_WRITE) && !(file->mode & MM_FILE_WRITE))
				return -EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			if (!(file->mode & MM_FILE_WRITE))
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
			/* fall through */
		case MAP_PRIVATE:
			if (!(file->mode & MM_FILE_READ))
				return -EACCES;
			if (file->mode & MM_FILE_NOEXEC) {
				if (vm_flags & VM_EXEC)
					return -EPERM;
				vm_flags &= ~VM_MAYEXEC;
			}
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	} else {
		switch (type) {
		case MAP_SHARED:	/* MAP_SHARED_VALIDATE: -EINVAL, as Linux */
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_PRIVATE:
			pgoff = addr >> mm->page_shift;
			break;
		default:
			return -EINVAL;
		}
	}
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;

	err = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	if (err)
		return err;
	*out = addr;
	return 0;
}

int mm_mmap(struct mm_struct *mm, uint64_t addr, uint64_t len, int prot,
	    int flags, struct mm_file *file, uint64_t offset, uint64_t *out)
{
	uint64_t a = 0;
	int err = do_mmap(mm, addr, len, prot, flags, file, offset, &a);

	mm->cnt.nr_mmap++;
	if (err)
		mm->cnt.nr_failed++;
	else if (out)
		*out = a;
	mm_after_op(mm, "mmap");
	return err;
}

/* ---------------------------------------------------------------------
 * mprotect.
 */

static int mprotect_fixup(struct mm_struct *mm, struct vma *v,
			  struct vma **prev, uint64_t start, uint64_t end,
			  uint64_t newflags, struct vma **res)
{
	uint64_t oldflags = v->vm_flags;
	uint64_t nrpages = (end - start) >> mm->page_shift;
	int err;

	if (newflags == oldflags) {
		*prev = *res = v;
		return 0;
	}
	if (newflags & VM_WRITE) {
		if (!may_expand_vm(mm, newflags, nrpages) &&
		    may_expand_vm(mm, oldflags, nrpages))
			return -ENOMEM;
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB |
				  VM_SHARED | VM_NORESERVE)))
			newflags |= VM_ACCOUNT;
	} else if ((oldflags & VM_ACCOUNT) && vma_anon(v) && !v->anon_vma) {
		newflags &= ~VM_ACCOUNT;
	}
	err = vma_modify(mm, *prev, v, start, end, newflags, v->vm_name, res);
	if (err)
		return err;
	mm_protect_pages(mm, start, end, newflags);
	*prev = *res;
	return 0;
}

static int do_mprotect(struct mm_struct *mm, uint64_t start, uint64_t len,
		       int prot)
{
	int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	uint64_t end, tmp, nstart;
	struct vma *v, *prev;
	int err = 0;

	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (start & page_mask(mm))
		return -EINVAL;
	if (!len)
		return 0;
	len = page_align(mm, len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;

	v = mm_find_vma_intersection(mm, start, end);
	if (!v)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		start = v->vm_start;
		if (!(v->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
	} else {
		if (v->vm_start > start)
			return -ENOMEM;
		if (grows & PROT_GROWSUP)
			return -EINVAL;	/* no VM_GROWSUP on x86 */
	}
	prev = vma_prev_entry(mm, v);
	if (start > v->vm_start)
		prev = v;

	tmp = v->vm_start;
	nstart = start;
	while (v && v->vm_start < end) {
		uint64_t newflags;
		struct vma *res;

		if (v->vm_start != tmp) {
			err = -ENOMEM;
			break;
		}
		newflags = prot_to_vm(prot) | (v->vm_flags & ~VM_ACCESS_FLAGS);
		/* newflags >> 4 puts VM_MAY* in place of VM_* */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			err = -EACCES;
			break;
		}
		tmp = v->vm_end < end ? v->vm_end : end;
		err = mprotect_fixup(mm, v, &prev, nstart, tmp, newflags, &res);
		if (err)
			break;
		tmp = res->vm_end;
		nstart = tmp;
		v = vma_next_entry(mm, res);
	}
	if (!err && tmp < end)
		err = -ENOMEM;
	return err;
}

int mm_mprotect(struct mm_struct *mm, uint64_t addr, uint64_t len, int prot)
{
	int err = do_mprotect(mm, addr, len, prot);

	mm->cnt.nr_mprotect++;
	if (err)
		mm->cnt.nr_failed++;
	mm_after_op(mm, "mprotect");
	return err;
}

/* ---------------------------------------------------------------------
 * brk.
 */

/* do_brk_flags: extend the heap VMA below addr, or make a new one. */
static int do_brk_flags(struct mm_struct *mm, struct vma *brkvma,
			uint64_t addr, uint64_t len)
{
	uint64_t flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
			 VM_MAYEXEC | VM_ACCOUNT;
	uint64_t pgoff = addr >> mm->page_shift;
	struct merge_src s = { .flags = flags };
	struct vma *v, *prev;

	if (!may_expand_vm(mm, flags, len >> mm->page_shift))
		return -ENOMEM;
	if (mm->map_count > mm->p.max_map_count)
		return -ENOMEM;
	if (brkvma && brkvma->vm_end == addr &&
	    merge_new_range(mm, brkvma, NULL, addr, addr + len, &s, pgoff, true))
		return 0;
	v = vma_alloc(mm);
	if (!v)
		return -ENOMEM;
	v->vm_start = addr;
	v->vm_end = addr + len;
	v->vm_flags = flags;
	v->vm_pgoff = pgoff;
	vma_find_prev(mm, addr, &prev);
	vma_link(mm, v, prev);
	return 0;
}

static uint64_t do_brk(struct mm_struct *mm, uint64_t brk)
{
	uint64_t origbrk = mm->brk, newbrk, oldbrk, limit;
	struct vma *next, *prev;

	if (brk < mm->start_brk)
		return origbrk;
	if (mm->p.data_rlimit != UINT64_MAX &&
	    brk - mm->start_brk > mm->p.data_rlimit)
		return origbrk;
	newbrk = page_align(mm, brk);
	oldbrk = page_align(mm, mm->brk);
	/* check_brk_limits: the heap ends below task_size (and cannot wrap) */
	if (newbrk < brk || newbrk > mm->p.task_size)
		return origbrk;
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return brk;
	}
	/* Always allow shrinking brk, if something is mapped to free. */
	if (brk <= mm->brk) {
		if (!mm_find_vma_intersection(mm, newbrk, oldbrk))
			return origbrk;
		mm->brk = brk;
		if (do_munmap_range(mm, newbrk, oldbrk)) {
			mm->brk = origbrk;
			return origbrk;
		}
		return brk;
	}
	/* Growing: one page and the next VMA's guard gap must stay free. */
	limit = newbrk + mm->p.page_size + mm->p.stack_guard_gap;
	next = vma_find_prev(mm, oldbrk, &prev);
	if (next && next->vm_start < limit &&
	    newbrk + mm->p.page_size > vm_start_gap(next))
		return origbrk;
	/* vma_prev_limit(start_brk): the VMA below, if it ends above start_brk. */
	if (prev && prev->vm_end <= mm->start_brk)
		prev = NULL;
	if (do_brk_flags(mm, prev, oldbrk, newbrk - oldbrk))
		return origbrk;
	mm->brk = brk;
	return brk;
}

int mm_brk(struct mm_struct *mm, uint64_t new_brk, uint64_t *out)
{
	uint64_t old = mm->brk, r = do_brk(mm, new_brk);

	mm->cnt.nr_brk++;
	if (r != new_brk && new_brk != 0 && new_brk != old)
		mm->cnt.nr_failed++;
	if (out)
		*out = r;
	mm_after_op(mm, "brk");
	return 0;
}

/* ---------------------------------------------------------------------
 * mremap.
 */

/* copy_vma: a VMA like v at [addr, addr + len), merged where it can be. */
static struct vma *copy_vma(struct mm_struct *mm, struct vma *v,
			    uint64_t addr, uint64_t len, uint64_t pgoff)
{
	struct merge_src s = { v->vm_flags, v->vm_file, v->vm_name,
			       v->anon_vma, NULL };
	struct vma *prev, *next, *n;

	/* An unfaulted anonymous VMA takes the pgoff of its new place. */
	if (vma_anon(v) && !v->anon_vma)
		pgoff = addr >> mm->page_shift;
	next = vma_find_prev(mm, addr, &prev);
	n = merge_new_range(mm, prev, next, addr, addr + len, &s, pgoff, false);
	if (n)
		return n;
	n = vma_alloc(mm);
	if (!n)
		return NULL;
	n->vm_start = addr;
	n->vm_end = addr + len;
	n->vm_flags = v->vm_flags;
	n->vm_pgoff = pgoff;
	n->vm_file = v->vm_file ? mm_file_get(v->vm_file) : NULL;
	n->vm_name = v->vm_name;
	n->anon_vma = v->anon_vma;
	vma_link(mm, n, prev);
	return n;
}

/* move_vma: copy [old, old + old_len) of v to new_addr, unmap the old range. */
static int move_vma(struct mm_struct *mm, struct vma *v, uint64_t old,
		    uint64_t old_len, uint64_t new_len, uint64_t new_addr,
		    int flags)
{
	uint64_t pgoff = v->vm_pgoff + ((old - v->vm_start) >> mm->page_shift);
	bool whole = v->vm_start == old && v->vm_end == old + old_len;

	if (mm->map_count + 3 >= mm->p.max_map_count)
		return -ENOMEM;
	if (!copy_vma(mm, v, new_addr, new_len, pgoff))
		return -ENOMEM;
	if (mm_move_pages(mm, old, new_addr,
			  old_len < new_len ? old_len : new_len)) {
		/* no frame for a table page there: all stays where it was */
		do_munmap_range(mm, new_addr, new_addr + new_len);
		return -ENOMEM;
	}
	if (flags & MREMAP_DONTUNMAP) {
		/* The old range stays mapped, its pages (and anon_vma) gone. */
		v = mm_find_vma(mm, old);
		if (whole && v && v->vm_start == old)
			v->anon_vma = 0;
		if (v)
			vma_set_flags(mm, v, v->vm_flags &
				      ~(VM_LOCKED | VM_LOCKONFAULT));
		return 0;
	}
	return do_munmap_range(mm, old, old + old_len);
}

/* vma_to_resize: may v grow from old_len to new_len at addr? */
static int vma_to_resize(struct mm_struct *mm, struct vma *v, uint64_t addr,
			 uint64_t old_len, uint64_t new_len, int flags)
{
	if (old_len > v->vm_end - addr)
		return -EFAULT;
	if (new_len == old_len && !(flags & MREMAP_DONTUNMAP))
		return 0;
	if (v->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return (flags & MREMAP_DONTUNMAP) ? -EINVAL : -EFAULT;
	if (new_len > old_len &&
	    !may_expand_vm(mm, v->vm_flags, (new_len - old_len) >> mm->page_shift))
		return -ENOMEM;
	return 0;
}

static int mremap_to(struct mm_struct *mm, uint64_t addr, uint64_t old_len,
		     uint64_t new_len, int flags, uint64_t new_addr,
		     uint64_t *out)
{
	uint64_t ts = mm->p.task_size;
	struct vma *v;
	int err, mflags = 0;

	if (flags & MREMAP_FIXED) {
		if (new_addr & page_mask(mm))
			return -EINVAL;
		if (new_len > ts || new_addr > ts - new_len)
			return -EINVAL;
		/* The old and the new ranges may not overlap. */
		if (addr + old_len > new_addr && new_addr + new_len > addr)
			return -EINVAL;
	}
	if (mm->map_count + 2 >= mm->p.max_map_count - 3)
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		err = do_munmap_range(mm, new_addr, new_addr + new_len);
		if (err)
			return err;
	}
	if (old_len > new_len) {
		err = do_munmap_range(mm, addr + new_len, addr + old_len);
		if (err)
			return err;
		old_len = new_len;
	}
	v = mm_find_vma(mm, addr);
	if (!v || v->vm_start > addr)
		return -EFAULT;
	err = vma_to_resize(mm, v, addr, old_len, new_len, flags);
	if (err)
		return err;
	if ((flags & MREMAP_DONTUNMAP) &&
	    !may_expand_vm(mm, v->vm_flags, old_len >> mm->page_shift))
		return -ENOMEM;
	if (flags & MREMAP_FIXED)
		mflags |= MAP_FIXED;
	if (v->vm_flags & VM_MAYSHARE)
		mflags |= MAP_SHARED;
	err = get_unmapped_area(mm, v->vm_file, new_addr, new_len,
				v->vm_pgoff + ((addr - v->vm_start) >> mm->page_shift),
				mflags, &new_addr);
	if (err)
		return err;
	err = move_vma(mm, v, addr, old_len, new_len, new_addr, flags);
	if (err)
		return err;
	*out = new_addr;
	return 0;
}

static int do_mremap(struct mm_struct *mm, uint64_t addr, uint64_t old_len,
		     uint64_t new_len, int flags, uint64_t new_addr,
		     uint64_t *out)
{
	uint64_t delta;
	struct vma *v;
	int err;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & page_mask(mm))
		return -EINVAL;
	old_len = page_align(mm, old_len);
	new_len = page_align(mm, new_len);
	if (!new_len)
		return -EINVAL;
	/* old_len 0 duplicates a shared mapping in Linux: not modelled. */
	if (!old_len)
		return -EINVAL;
	v = mm_find_vma(mm, addr);
	if (!v || v->vm_start > addr)
		return -EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return mremap_to(mm, addr, old_len, new_len, flags, new_addr,
				 out);
	/* Shrinking: unmap the tail. */
	if (old_len >= new_len) {
		if (old_len > new_len) {
			err = do_munmap_range(mm, addr + new_len,
					      addr + old_len);
			if (err)
				return err;
		}
		*out = addr;
		return 0;
	}
	err = vma_to_resize(mm, v, addr, old_len, new_len, flags);
	if (err)
		return err;
	delta = new_len - old_len;
	/* Growing in place: old range reaches the VMA's end, room after it. */
	if (old_len == v->vm_end - addr && v->vm_end + delta > v->vm_end &&
	    v->vm_end + delta <= mm->p.task_size &&
	    !mm_find_vma_intersection(mm, v->vm_end, v->vm_end + delta)) {
		struct merge_src s = { v->vm_flags, v->vm_file, v->vm_name,
				       v->anon_vma, NULL };
		uint64_t e = v->vm_end;

		if (!merge_new_range(mm, v, vma_next_entry(mm, v), e, e + delta,
				     &s, v->vm_pgoff + vma_pages(v), false))
			return -ENOMEM;
		*out = addr;
		return 0;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	err = get_unmapped_area(mm, v->vm_file, 0, new_len,
				v->vm_pgoff + ((addr - v->vm_start) >> mm->page_shift),
				(v->vm_flags & VM_MAYSHARE) ? MAP_SHARED : 0,
				&new_addr);
	if (err)
		return err;
	err = move_vma(mm, v, addr, old_len, new_len, new_addr, flags);
	if (err)
		return err;
	*out = new_addr;
	return 0;
}

int mm_mremap(struct mm_struct *mm, uint64_t old_addr, uint64_t old_len,
	      uint64_t new_len, int flags, uint64_t new_addr, uint64_t *out)
{
	uint64_t a = 0;
	int err = do_mremap(mm, old_addr, old_len, new_len, flags, new_addr, &a);

	mm->cnt.nr_mremap++;
	if (err)
		mm->cnt.nr_failed++;
	else if (out)
		*out = a;
	mm_after_op(mm, "mremap");
	return err;
}

/* ---------------------------------------------------------------------
 * madvise.
 */

#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#define MADV_GUARD_INSTALL_ 102
#define MADV_GUARD_REMOVE_ 103
#define MADV_HWPOISON_ 100
#define MADV_SOFT_OFFLINE_ 101

static bool madvise_valid(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
	case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK:
	case MADV_COLD: case MADV_PAGEOUT:
	case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED: case MADV_COLLAPSE:
	case MADV_GUARD_INSTALL_: case MADV_GUARD_REMOVE_:
	case MADV_HWPOISON_: case MADV_SOFT_OFFLINE_:
		return true;
	default:
		return false;
	}
}

/*
 * The new vm_flags advice gives v (madvise_vma_behavior), or *nochange
 * for advice that leaves the VMA as it is; -errno for a refused VMA.
 */
static int madvise_flags(const struct vma *v, int advice, uint64_t *nf,
			 bool *nochange)
{
	uint64_t f = v->vm_flags;

	*nochange = false;
	switch (advice) {
	case MADV_NORMAL:
		f &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		f = (f & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		f = (f & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		f |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (f & VM_IO)
			return -EINVAL;
		f &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		if (v->vm_file || (f & VM_SHARED))
			return -EINVAL;
		f |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		f &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		f |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if (!(f & VM_HUGETLB) && (f & VM_SPECIAL))
			return -EINVAL;
		f &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
		if (f & (VM_MERGEABLE | VM_SHARED | VM_MAYSHARE | VM_PFNMAP |
			 VM_IO | VM_DONTEXPAND | VM_HUGETLB | VM_MIXEDMAP))
			break;
		f |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE:
		f &= ~VM_MERGEABLE;
		break;
	case MADV_HUGEPAGE:
		f = (f & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		f = (f & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		if (f & (VM_PFNMAP | VM_HUGETLB) ||
		    (advice == MADV_DONTNEED && (f & VM_LOCKED)))
			return -EINVAL;
		*nochange = true;
		break;
	case MADV_FREE:
		if (!vma_anon(v) || (f & (VM_LOCKED | VM_PFNMAP)))
			return -EINVAL;
		*nochange = true;
		break;
	case MADV_REMOVE:
		if ((f & VM_LOCKED) || !v->vm_file)
			return -EINVAL;
		if ((f & (VM_SHARED | VM_WRITE)) != (VM_SHARED | VM_WRITE))
			return -EACCES;
		*nochange = true;
		break;
	default:	/* WILLNEED, COLD, PAGEOUT, POPULATE_*, COLLAPSE, ... */
		*nochange = true;
		break;
	}
	*nf = f;
	return 0;
}

/* madvise_walk_vmas: visits every VMA of the range, past holes. */
static int do_madvise(struct mm_struct *mm, uint64_t start, uint64_t len_in,
		      int advice)
{
	uint64_t len, end;
	struct vma *v, *prev;
	int unmapped = 0;

	if (!madvise_valid(advice))
		return -EINVAL;
	if (start & page_mask(mm))
		return -EINVAL;
	len = page_align(mm, len_in);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	v = vma_find_prev(mm, start, &prev);
	if (v && start > v->vm_start)
		prev = v;
	for (;;) {
		uint64_t tmp, nf;
		bool nochange;
		struct vma *res;
		int err;

		if (!v)
			return -ENOMEM;
		if (start < v->vm_start) {
			unmapped = -ENOMEM;
			start = v->vm_start;
			if (start >= end)
				break;
		}
		tmp = v->vm_end < end ? v->vm_end : end;
		err = madvise_flags(v, advice, &nf, &nochange);
		if (err)
			return err;
		if (nochange || nf == v->vm_flags) {
			res = v;
			/* the pages go; the next touch faults in zeroed ones */
			if (advice == MADV_DONTNEED || advice == MADV_FREE ||
			    advice == MADV_DONTNEED_LOCKED || advice == MADV_REMOVE)
				mm_zap_range(mm, start, tmp);
		} else {
			err = vma_modify(mm, prev, v, start, tmp, nf,
					 v->vm_name, &res);
			if (err)
				return err;
		}
		prev = res;
		start = tmp;
		if (start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		v = mm_find_vma(mm, prev->vm_end);
	}
	return unmapped;
}

int mm_madvise(struct mm_struct *mm, uint64_t addr, uint64_t len, int advice)
{
	int err = do_madvise(mm, addr, len, advice);

	mm->cnt.nr_madvise++;
	if (err)
		mm->cnt.nr_failed++;
	mm_after_op(mm, "madvise");
	return err;
}

/* ---------------------------------------------------------------------
 * Faults: the layout side.
 */

/* expand_downwards: grow the growsdown v down to addr. */
static int expand_stack(struct mm_struct *mm, struct vma *v, uint64_t addr)
{
	struct vma *prev = vma_prev_entry(mm, v);
	uint64_t grow;

	addr &= ~page_mask(mm);
	if (addr < mm->p.mmap_min_addr)
		return -EPERM;
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) &&
	    (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    addr - prev->vm_end < mm->p.stack_guard_gap)
		return -ENOMEM;
	anon_vma_prepare(mm, v);
	grow = (v->vm_start - addr) >> mm->page_shift;
	if (grow > v->vm_pgoff)
		return -ENOMEM;
	if (!may_expand_vm(mm, v->vm_flags, grow))
		return -ENOMEM;
	if (mm->p.stack_rlimit != UINT64_MAX &&
	    v->vm_end - addr > mm->p.stack_rlimit)
		return -ENOMEM;
	v->vm_pgoff -= grow;
	vma_set_range(mm, v, addr, v->vm_end);
	mm->cnt.nr_stack_grow++;
	return 0;
}

int mm_touch(struct mm_struct *mm, uint64_t addr, bool write)
{
	struct vma *v = mm_find_vma(mm, addr);
	int err = 0;

	if (!v)
		return -EFAULT;
	if (v->vm_start > addr) {
		if (!(v->vm_flags & VM_GROWSDOWN) || expand_stack(mm, v, addr))
			err = -EFAULT;
	}
	if (!err && write && !(v->vm_flags & VM_WRITE))
		err = -EACCES;
	if (!err && !write && !(v->vm_flags & VM_ACCESS_FLAGS))
		err = -EACCES;
	if (!err && write && !(v->vm_flags & VM_SHARED))
		anon_vma_prepare(mm, v);
	mm_after_op(mm, "touch");
	return err;
}

void mm_touch_range(struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;
	struct vma *v;

	/* One write per VMA gives it its anon_vma; that is all layout needs. */
	for (v = mm_find_vma(mm, addr); v && v->vm_start < end;
	     v = vma_next_entry(mm, v))
		if ((v->vm_flags & VM_WRITE) && !(v->vm_flags & VM_SHARED))
			anon_vma_prepare(mm, v);
	mm_after_op(mm, "touch");
}

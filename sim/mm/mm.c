/*
 * mm.c - life cycle of an address space: parameters and the layout rule
 * that derives mmap_base (arch/x86/mm/mmap.c: mmap_base, arch_pick_mmap_
 * layout), creation, fork's copy (kernel/fork.c: dup_mmap), file
 * identities, interned names, snapshot import and the state exec sets
 * (start_brk, brk, start_stack, the gate VMA).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mm/internal.h"

#define SIZE_128M (128ULL << 20)

void mm_params_default(struct mm_params *p)
{
	memset(p, 0, sizeof(*p));
	p->page_size = 4096;
	p->task_size = 0x7ffffffff000ULL;
	p->mmap_min_addr = 65536;
	p->stack_rlimit = 8ULL << 20;
	p->stack_guard_gap = 256 * 4096;	/* Linux: 256 pages */
	p->mmap_base = 0;
	p->legacy_layout = false;
	p->max_map_count = 65530;
	p->address_space_limit = UINT64_MAX;
	p->data_rlimit = UINT64_MAX;
	p->privileged = true;
	p->thp_align_anon = true;
	p->thp_size = 2ULL << 20;
}

static uint64_t page_align(uint64_t x, uint64_t ps)
{
	return (x + ps - 1) & ~(ps - 1);
}

uint64_t mm_legacy_mmap_base(const struct mm_params *p)
{
	return page_align(p->task_size / 3, p->page_size);
}

uint64_t mm_derive_mmap_base(const struct mm_params *p)
{
	uint64_t gap = p->stack_rlimit, pad = p->stack_guard_gap;
	uint64_t gap_max = p->task_size / 6 * 5;

	if (p->legacy_layout)
		return mm_legacy_mmap_base(p);
	/* Values close to RLIM_INFINITY overflow: the pad is then left out. */
	if (gap + pad > gap)
		gap += pad;
	if (gap < SIZE_128M)
		gap = SIZE_128M;
	else if (gap > gap_max)
		gap = gap_max;
	return page_align(p->task_size - gap, p->page_size);
}

/* ---------------------------------------------------------------------
 * Files.
 */

struct mm_file *mm_file_new(const char *path, uint32_t dev_major,
			    uint32_t dev_minor, uint64_t inode, unsigned int mode)
{
	struct mm_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->path = strdup(path ? path : "");
	if (!f->path) {
		free(f);
		return NULL;
	}
	f->dev_major = dev_major;
	f->dev_minor = dev_minor;
	f->inode = inode;
	f->mode = mode;
	f->refcount = 1;
	return f;
}

struct mm_file *mm_file_get(struct mm_file *f)
{
	SIM_BUG_ON(f->refcount == 0, "mm_file %s: get after the last put",
		   f->path);
	f->refcount++;
	return f;
}

void mm_file_put(struct mm_file *f)
{
	if (!f)
		return;
	SIM_BUG_ON(f->refcount == 0, "mm_file %s: put after the last put",
		   f->path);
	if (--f->refcount == 0) {
		free(f->path);
		free(f);
	}
}

/* ---------------------------------------------------------------------
 * Names: interned per mm, so VMAs compare names by pointer.
 */
const char *mm_intern(struct mm_struct *mm, const char *s)
{
	struct mm_name *n;
	size_t len;

	if (!s)
		return NULL;
	for (n = mm->names; n; n = n->next)
		if (strcmp(n->str, s) == 0)
			return n->str;
	len = strlen(s) + 1;
	n = malloc(sizeof(*n) + len);
	if (!n)
		return NULL;
	memcpy(n->str, s, len);
	n->next = mm->names;
	mm->names = n;
	return n->str;
}

/* ---------------------------------------------------------------------
 * Life cycle.
 */

static bool params_ok(const struct mm_params *p)
{
	uint64_t ps = p->page_size;

	if (ps < 1024 || (ps & (ps - 1)))
		return false;
	if (p->task_size == 0 || (p->task_size & (ps - 1)))
		return false;
	if (p->mmap_base & (ps - 1) || p->mmap_base > p->task_size)
		return false;
	return p->max_map_count > 0;
}

int mm_create(const struct mm_params *p, struct mm_struct **out)
{
	struct mm_struct *mm;

	*out = NULL;
	if (!params_ok(p))
		return -EINVAL;
	mm = calloc(1, sizeof(*mm));
	if (!mm)
		return -ENOMEM;
	INIT_LIST_HEAD(&mm->mmap);
	mm->mm_rb = RB_ROOT;
	mm->p = *p;
	mm->validate = SIM_VALIDATE;
	mm->page_shift = (uint64_t)__builtin_ctzll(p->page_size);
	if (!mm->p.mmap_base)
		mm->p.mmap_base = mm_derive_mmap_base(p);
	if (!mm->p.thp_size)
		mm->p.thp_size = 2ULL << 20;
	mm->mmap_legacy_base = mm_legacy_mmap_base(p);
	mm->next_anon_vma = 1;
	*out = mm;
	return 0;
}

void mm_destroy(struct mm_struct *mm)
{
	struct vma *v, *tmp;

	if (!mm)
		return;
	mm_pages_destroy(mm);
	list_for_each_entry_safe(v, tmp, &mm->mmap, vm_list) {
		mm_file_put(v->vm_file);
		if (mm->vma_slab)
			slab_free(mm->vma_slab, v->slab_obj);
	}
	while (mm->chunks) {
		struct vma_chunk *c = mm->chunks;

		mm->chunks = c->next;
		free(c);
	}
	while (mm->names) {
		struct mm_name *n = mm->names;

		mm->names = n->next;
		free(n);
	}
	free(mm);
}

int mm_dup(const struct mm_struct *src, struct mm_struct **out)
{
	struct mm_struct *mm;
	const struct vma *v;
	struct vma *prev = NULL;
	int err = mm_create(&src->p, out);

	if (err)
		return err;
	mm = *out;
	mm->start_brk = src->start_brk;
	mm->brk = src->brk;
	mm->start_stack = src->start_stack;
	mm->next_anon_vma = src->next_anon_vma;
	mm->validate = src->validate;
	mm->gate_start = src->gate_start;
	mm->gate_end = src->gate_end;
	mm->gate_flags = src->gate_flags;
	mm->gate_name = mm_intern(mm, src->gate_name);
	mm->vma_slab = src->vma_slab;
	list_for_each_entry(v, &src->mmap, vm_list) {
		struct vma *n;

		if (v->vm_flags & VM_DONTCOPY)
			continue;
		n = vma_alloc(mm);
		if (n && v->vm_name && !mm_intern(mm, v->vm_name)) {
			vma_free(mm, n);
			n = NULL;
		}
		if (!n) {
			mm_destroy(mm);
			*out = NULL;
			return -ENOMEM;
		}
		n->vm_start = v->vm_start;
		n->vm_end = v->vm_end;
		n->vm_flags = v->vm_flags & ~VM_LOCKED;	/* mlock is not inherited */
		n->vm_pgoff = v->vm_pgoff;
		n->vm_file = v->vm_file ? mm_file_get(v->vm_file) : NULL;
		n->vm_name = mm_intern(mm, v->vm_name);
		if (v->anon_vma && !(v->vm_flags & VM_WIPEONFORK))
			n->anon_vma = v->anon_vma | ANON_FORKED;
		vma_link(mm, n, prev);
		prev = n;
	}
	mm_after_op(mm, "dup");
	return 0;
}

const struct mm_params *mm_params(const struct mm_struct *mm)
{
	return &mm->p;
}

void mm_set_validate(struct mm_struct *mm, bool on)
{
	mm->validate = on;
}

const struct mm_counters *mm_counters(const struct mm_struct *mm)
{
	return &mm->cnt;
}

/* ---------------------------------------------------------------------
 * State exec sets, and snapshot import.
 */

void mm_set_brk(struct mm_struct *mm, uint64_t start_brk, uint64_t brk)
{
	mm->start_brk = start_brk;
	mm->brk = brk;
}

void mm_set_slab(struct mm_struct *mm, struct slab_cache *vma_slab)
{
	mm->vma_slab = vma_slab;
}

uint64_t mm_start_brk(const struct mm_struct *mm) { return mm->start_brk; }
uint64_t mm_cur_brk(const struct mm_struct *mm) { return mm->brk; }

void mm_set_start_stack(struct mm_struct *mm, uint64_t addr)
{
	mm->start_stack = addr;
}

void mm_set_gate_vma(struct mm_struct *mm, uint64_t start, uint64_t end,
		     uint64_t vm_flags, const char *name)
{
	mm->gate_start = start;
	mm->gate_end = end;
	mm->gate_flags = vm_flags;
	mm->gate_name = mm_intern(mm, name);
}

/*
 * Linux anon_vma_compatible(): a and b (a just below b) could share an
 * anon_vma: same file, flags equal but for access bits, pgoff continuous.
 */
bool vma_anon_compatible(const struct vma *a, const struct vma *b)
{
	uint64_t ignore = VM_READ | VM_WRITE | VM_EXEC | VM_SOFTDIRTY;

	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       a->vm_name == b->vm_name &&
	       !((a->vm_flags ^ b->vm_flags) & ~ignore) &&
	       b->vm_pgoff == a->vm_pgoff +
		((b->vm_start - a->vm_start) >> a->vm_mm->page_shift);
}

int mm_import_vma(struct mm_struct *mm, const struct mm_vma_desc *d)
{
	uint64_t mask = mm->p.page_size - 1, flags;
	const char *name = d->name;
	struct vma *v, *prev, *next;
	bool heap = false, stack = false;

	if (d->start >= d->end || (d->start & mask) || (d->end & mask) ||
	    (d->offset & mask))
		return -EINVAL;
	next = vma_find_prev(mm, d->start, &prev);
	if (next && next->vm_start < d->end)
		return -EEXIST;
	if (name && strcmp(name, "[heap]") == 0) {
		heap = true;
		name = NULL;
	} else if (name && strcmp(name, "[stack]") == 0) {
		stack = true;
		name = NULL;
	}
	if (d->have_vm_flags) {
		flags = d->vm_flags;
	} else {
		flags = (d->prot & PROT_READ ? VM_READ : 0) |
			(d->prot & PROT_WRITE ? VM_WRITE : 0) |
			(d->prot & PROT_EXEC ? VM_EXEC : 0) |
			VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
		if (d->shared)
			flags |= VM_SHARED | VM_MAYSHARE;
		else if (flags & VM_WRITE)
			flags |= VM_ACCOUNT;
		if (stack)
			flags |= VM_GROWSDOWN;
	}
	v = vma_alloc(mm);
	if (!v)
		return -ENOMEM;
	v->vm_start = d->start;
	v->vm_end = d->end;
	v->vm_flags = flags;
	v->vm_file = d->file ? mm_file_get(d->file) : NULL;
	v->vm_name = mm_intern(mm, name);
	if (name && !v->vm_name) {
		mm_file_put(v->vm_file);
		vma_free(mm, v);
		return -ENOMEM;
	}
	if (v->vm_file || name)
		v->vm_pgoff = d->offset >> mm->page_shift;
	else
		v->vm_pgoff = d->start >> mm->page_shift;
	vma_link(mm, v, prev);
	if (d->anon) {
		/*
		 * A neighbour that differs only in access bits was most
		 * likely split off the same VMA (by mprotect): it shares the
		 * anon_vma, as anon_vma_prepare would have made it share.
		 */
		if (prev && prev->anon_vma && vma_anon_compatible(prev, v) &&
		    prev->vm_flags != v->vm_flags)
			v->anon_vma = prev->anon_vma;
		else if (next && next->anon_vma && vma_anon_compatible(v, next) &&
			 next->vm_flags != v->vm_flags)
			v->anon_vma = next->anon_vma;
		else
			v->anon_vma = mm->next_anon_vma++;
	}
	if (heap) {
		if (!mm->start_brk && !mm->brk) {
			mm->start_brk = d->start;
			mm->brk = d->end;
		} else if (d->end > mm->brk) {
			mm->brk = d->end;
		}
	}
	if (stack && !mm->start_stack)
		mm->start_stack = d->end - 1;
	mm_after_op(mm, "import");
	return 0;
}

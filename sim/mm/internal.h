/*
 * internal.h - what the files of sim/mm share and nobody else sees: the
 * layout of struct vma and struct mm_struct, and the VMA-set primitives
 * (vma.c) that the syscalls (mmap.c) are written with.
 *
 * One VMA, 112 bytes on x86-64:
 *
 *   +-------------+-----------+---------------------+----------------+
 *   | vm_rb (24)  | vm_list   | vm_start vm_end     | rb_subtree_gap |
 *   | tree node   | (16) list | [start, end)        | max gap below  |
 *   +-------------+-----------+---------------------+----------------+
 *   | vm_flags | vm_pgoff | vm_file | vm_name | vm_mm | anon_vma      |
 *   +----------+----------+---------+---------+-------+---------------+
 *
 * VMAs come from a per-mm cache: chunks of VMA_CHUNK structs, freed ones
 * kept on a free list, all released with the mm. An operation therefore
 * does not call malloc once the cache is warm, and the per-VMA overhead is
 * the struct alone (Linux: the vm_area_cachep slab).
 */
#ifndef SIM_MM_INTERNAL_H
#define SIM_MM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/compiler.h"
#include "lib/list.h"
#include "lib/rbtree.h"
#include "mm/mm.h"
#include "phys/slab.h"

/*
 * anon_vma identity. Linux gives a VMA an anon_vma on its first write
 * fault; VMAs made from one by split or merge share it, and two VMAs with
 * different ones do not merge. vmsim keeps an id (0 = none). The top bit
 * marks an anon_vma inherited through fork (Linux: the VMA's
 * anon_vma_chain is not singular), which blocks merging with a VMA that
 * has none (vma_had_uncowed_parents).
 */
#define ANON_FORKED	(1ULL << 63)

struct vma {
	struct rb_node vm_rb;		/* in mm->mm_rb, keyed by vm_start */
	struct list_head vm_list;	/* in mm->mmap, sorted by address */
	uint64_t vm_start;		/* first byte */
	uint64_t vm_end;		/* first byte after */
	uint64_t rb_subtree_gap;	/* largest free gap before any VMA of this subtree */
	uint64_t vm_flags;		/* VM_* */
	uint64_t vm_pgoff;		/* offset in the file (or object), pages */
	struct mm_file *vm_file;	/* referenced; NULL for private anonymous */
	const char *vm_name;		/* interned special name ("[vdso]", "[anon:x]"), or NULL */
	struct mm_struct *vm_mm;	/* owner (for the guard gap in gap computations) */
	uint64_t anon_vma;		/* anon_vma id, 0 = none; ANON_FORKED bit */
	uint64_t slab_obj;		/* its vm_area_struct in mm->vma_slab */
};

/* An interned name: names compare by pointer. */
struct mm_name {
	struct mm_name *next;		/* mm->names list */
	char str[];			/* NUL terminated */
};

/* A chunk of the VMA cache. */
#define VMA_CHUNK 256
struct vma_chunk {
	struct vma_chunk *next;		/* mm->chunks list */
	struct vma vmas[VMA_CHUNK];	/* handed out through mm->free_vmas */
};

struct mm_struct {
	struct list_head mmap;		/* all VMAs, sorted by address */
	struct rb_root mm_rb;		/* the same VMAs, augmented by rb_subtree_gap */
	uint64_t map_count;		/* number of VMAs */
	uint64_t highest_vm_end;	/* end of the highest VMA (gap above it is not in the tree) */
	struct vma *mmap_cache;		/* last find_vma answer (Linux <= 3.14 mm->mmap_cache), or NULL */
	struct mm_params p;		/* parameters, mmap_base derived */
	uint64_t page_shift;		/* log2(p.page_size) */
	uint64_t mmap_legacy_base;	/* bottom-up base (task_size / 3) */
	uint64_t start_brk;		/* where the heap starts */
	uint64_t brk;			/* current break (may be unaligned) */
	uint64_t start_stack;		/* names the [stack] VMA */
	uint64_t next_anon_vma;		/* next anon_vma id */
	uint64_t data_vm;		/* pages of private writable non-stack VMAs */
	uint64_t gate_start, gate_end;	/* [vsyscall]: printed last, not in the set */
	uint64_t gate_flags;		/* its VM_* */
	const char *gate_name;		/* interned, NULL = no gate */
	struct mm_counters cnt;		/* counters */
	bool validate;			/* mm_validate after every operation */
	struct vma *free_vmas;		/* VMA cache free list, linked by vm_rb.rb_right */
	struct vma_chunk *chunks;	/* VMA cache chunks */
	struct mm_name *names;		/* interned names */
	struct mm_pages *pages;		/* page table and fault state (fault.c), or NULL */
	struct slab_cache *vma_slab;	/* where vm_area_structs come from, or NULL */
};

/* fault.c: the pages of [start, end) follow a layout change. */
void mm_zap_range(struct mm_struct *mm, uint64_t start, uint64_t end);
void mm_protect_pages(struct mm_struct *mm, uint64_t start, uint64_t end,
		      uint64_t vm_flags);
/* Returns 0, or -ENOMEM with nothing moved (no frame for a table page). */
int mm_move_pages(struct mm_struct *mm, uint64_t old, uint64_t new_addr,
		  uint64_t len);
void mm_pages_destroy(struct mm_struct *mm);

static inline uint64_t vma_pages(const struct vma *v)
{
	return (v->vm_end - v->vm_start) >> v->vm_mm->page_shift;
}

static inline struct vma *vma_next_entry(const struct mm_struct *mm,
					 const struct vma *v)
{
	if (v->vm_list.next == &mm->mmap)
		return NULL;
	return list_entry(v->vm_list.next, struct vma, vm_list);
}

static inline struct vma *vma_prev_entry(const struct mm_struct *mm,
					 const struct vma *v)
{
	if (v->vm_list.prev == &mm->mmap)
		return NULL;
	return list_entry(v->vm_list.prev, struct vma, vm_list);
}

/* Linux vm_start_gap(): the start minus the guard gap of a growsdown VMA. */
static inline uint64_t vm_start_gap(const struct vma *v)
{
	uint64_t s = v->vm_start;

	if (v->vm_flags & VM_GROWSDOWN) {
		uint64_t g = v->vm_mm->p.stack_guard_gap;
		s = s > g ? s - g : 0;
	}
	return s;
}

/* Private anonymous: no file (shared anonymous has its /dev/zero object). */
static inline bool vma_is_anonymous(const struct vma *v)
{
	return v->vm_file == NULL;
}

/* --- vma.c: the VMA set --- */
struct vma *vma_alloc(struct mm_struct *mm);
void vma_free(struct mm_struct *mm, struct vma *v);
/* Links v (fields set) into list and tree after prev (NULL: first). */
void vma_link(struct mm_struct *mm, struct vma *v, struct vma *prev);
/* Unlinks v from list and tree and frees it (drops its file). */
void vma_remove(struct mm_struct *mm, struct vma *v);
/* v's start moved (down or up): fix its gap. */
void vma_start_changed(struct mm_struct *mm, struct vma *v);
/* v's end moved: fix the next VMA's gap or highest_vm_end. */
void vma_end_changed(struct mm_struct *mm, struct vma *v);
/* Moves v's bounds (accounting and gaps follow). */
void vma_set_range(struct mm_struct *mm, struct vma *v, uint64_t start,
		   uint64_t end);
/* Sets v's flags (accounting and gaps follow). */
void vma_set_flags(struct mm_struct *mm, struct vma *v, uint64_t flags);
/* Finds the VMA containing or after addr, and its predecessor. */
struct vma *vma_find_prev(const struct mm_struct *mm, uint64_t addr,
			  struct vma **prev);
/*
 * Splits v at addr (v->vm_start < addr < v->vm_end). new_below: the new VMA
 * is the lower part and v keeps [addr, end); else the new VMA is the upper
 * part. No map_count check (Linux __split_vma). Returns the new VMA, or
 * NULL when out of memory.
 */
struct vma *vma_split(struct mm_struct *mm, struct vma *v, uint64_t addr,
		      bool new_below);
/* The top-down / bottom-up free-area searches (unmapped_area*). */
int vma_unmapped_area_topdown(const struct mm_struct *mm, uint64_t len,
			      uint64_t low, uint64_t high, uint64_t *out);
int vma_unmapped_area(const struct mm_struct *mm, uint64_t len, uint64_t low,
		      uint64_t high, uint64_t *out);
/* Linux anon_vma_compatible(): a, just below b, may share b's anon_vma. */
bool vma_anon_compatible(const struct vma *a, const struct vma *b);
const char *mm_intern(struct mm_struct *mm, const char *s);
void mm_after_op(struct mm_struct *mm, const char *op);

#endif /* SIM_MM_INTERNAL_H */

/*
 * mm.h - a process's address space: the VMA set and the memory syscalls.
 *
 * This is the whole interface of sim/mm. It models what Linux 6.x does to
 * a process's address space (mm/mmap.c, mm/vma.c, mm/mprotect.c,
 * mm/mremap.c, mm/madvise.c, the brk syscall, fs/proc/task_mmu.c), built on
 * the pre-6.1 data structures: every VMA is in a list sorted by address and
 * in a red-black tree augmented with rb_subtree_gap, so find_vma and the
 * free-area search are O(log n).
 *
 * Conventions:
 * - Addresses and lengths are bytes (uint64_t); a VMA covers [start, end).
 * - The syscalls take the host's <sys/mman.h> PROT_*, MAP_*, MREMAP_* and
 *   MADV_* values, which are Linux x86-64's, and return what Linux returns:
 *   0 or a negative errno (-EINVAL, -ENOMEM, -EEXIST, -EFAULT, -EACCES,
 *   -EPERM, -EBADF, -EOVERFLOW); an address comes back through *out.
 * - On failure the address space is as Linux leaves it (which is not always
 *   unchanged: mprotect stops at a hole with the part before it changed).
 * - vm_flags carry Linux's VM_* bits with Linux's values, so smaps VmFlags
 *   map one to one (mm_vmflag_from_smaps()).
 *
 * State that /proc/<pid>/maps does not show but that decides merges is
 * modelled: VM_ACCOUNT, VM_NORESERVE, VM_NOHUGEPAGE (MAP_STACK), VM_DONTCOPY
 * (MADV_DONTFORK), and the anon_vma a VMA gets when it is first written
 * (mm_touch()). Two VMAs written separately get different anon_vmas and do
 * not merge, exactly as in Linux.
 */
#ifndef SIM_MM_MM_H
#define SIM_MM_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmu/pt.h"
#include "phys/buddy.h"

struct mm_struct;	/* one address space (opaque) */
struct vma;		/* one virtual memory area (opaque) */

/* ---------------------------------------------------------------------
 * VM_* flags: Linux's bit values (include/linux/mm.h, x86-64).
 */
#define VM_NONE		0x00000000ULL
#define VM_READ		0x00000001ULL
#define VM_WRITE	0x00000002ULL
#define VM_EXEC		0x00000004ULL
#define VM_SHARED	0x00000008ULL
#define VM_MAYREAD	0x00000010ULL
#define VM_MAYWRITE	0x00000020ULL
#define VM_MAYEXEC	0x00000040ULL
#define VM_MAYSHARE	0x00000080ULL
#define VM_GROWSDOWN	0x00000100ULL
#define VM_UFFD_MISSING	0x00000200ULL
#define VM_PFNMAP	0x00000400ULL
#define VM_UFFD_WP	0x00001000ULL
#define VM_LOCKED	0x00002000ULL
#define VM_IO		0x00004000ULL
#define VM_SEQ_READ	0x00008000ULL
#define VM_RAND_READ	0x00010000ULL
#define VM_DONTCOPY	0x00020000ULL
#define VM_DONTEXPAND	0x00040000ULL
#define VM_LOCKONFAULT	0x00080000ULL
#define VM_ACCOUNT	0x00100000ULL
#define VM_NORESERVE	0x00200000ULL
#define VM_HUGETLB	0x00400000ULL
#define VM_SYNC		0x00800000ULL
#define VM_ARCH_1	0x01000000ULL
#define VM_WIPEONFORK	0x02000000ULL
#define VM_DONTDUMP	0x04000000ULL
#define VM_SOFTDIRTY	0x08000000ULL
#define VM_MIXEDMAP	0x10000000ULL
#define VM_HUGEPAGE	0x20000000ULL
#define VM_NOHUGEPAGE	0x40000000ULL
#define VM_MERGEABLE	0x80000000ULL
#define VM_SHADOW_STACK	0x0000000400000000ULL	/* smaps "ss" */
#define VM_SEALED	0x0020000000000000ULL	/* smaps "sl" (mseal) */

/* Never merged, never expanded (Linux VM_SPECIAL). */
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)

/*
 * The VM_* bit an smaps "VmFlags:" mnemonic stands for ("rd", "wr", "ac",
 * "gd", "nh", "dc"...), 0 for a mnemonic vmsim does not know.
 */
uint64_t mm_vmflag_from_smaps(const char *mnemonic);

/* ---------------------------------------------------------------------
 * Parameters of an address space (Linux: task size, sysctls, rlimits).
 */
struct mm_params {
	uint64_t page_size;		/* bytes, a power of two (4096) */
	uint64_t task_size;		/* top of user space, exclusive (0x7ffffffff000) */
	uint64_t mmap_min_addr;		/* vm.mmap_min_addr (65536) */
	uint64_t stack_rlimit;		/* RLIMIT_STACK bytes; UINT64_MAX = unlimited (8 MiB) */
	uint64_t stack_guard_gap;	/* bytes kept free below a growsdown VMA (1 MiB) */
	uint64_t mmap_base;		/* top of the top-down area; 0 = derive as Linux does */
	bool legacy_layout;		/* bottom-up from task_size/3 (ADDR_COMPAT_LAYOUT) */
	uint64_t max_map_count;		/* vm.max_map_count (65530) */
	uint64_t address_space_limit;	/* RLIMIT_AS bytes; UINT64_MAX = unlimited */
	uint64_t data_rlimit;		/* RLIMIT_DATA bytes for brk; UINT64_MAX = unlimited */
	bool privileged;		/* CAP_SYS_RAWIO: MAP_FIXED below mmap_min_addr allowed (root, true) */
	bool thp_align_anon;		/* 6.7+: no-hint private anon mmaps of a 2 MiB multiple are 2 MiB aligned (true) */
	uint64_t thp_size;		/* PMD size for that alignment (2 MiB) */
};

/* Fills *p with the recorded kernel's defaults (x86-64, 47-bit, 4K, root). */
void mm_params_default(struct mm_params *p);

/*
 * Linux's top-down mmap_base (arch/x86/mm/mmap.c, ASLR off):
 * PAGE_ALIGN(task_size - clamp(stack_rlimit + stack_guard_gap, 128 MiB,
 * task_size / 6 * 5)); an unlimited stack takes the upper clamp.
 */
uint64_t mm_derive_mmap_base(const struct mm_params *p);

/* The legacy (bottom-up) base: PAGE_ALIGN(task_size / 3). */
uint64_t mm_legacy_mmap_base(const struct mm_params *p);

/* ---------------------------------------------------------------------
 * File identity. Linux's vm_file is the open file description, not the
 * inode: mappings made through one open (one fd, or its dups) share it and
 * may merge, two opens of the same path do not. A replayer therefore makes
 * one mm_file per openat() and passes it to every mmap of that fd; an
 * importer makes one per (dev, inode) of the snapshot. Refcounted: every
 * VMA holds a reference.
 */
#define MM_FILE_READ	0x1	/* opened for reading (FMODE_READ) */
#define MM_FILE_WRITE	0x2	/* opened for writing (FMODE_WRITE) */
#define MM_FILE_NOEXEC	0x4	/* on a noexec mount: PROT_EXEC -> -EPERM */
#define MM_FILE_THP	0x8	/* the filesystem aligns large mappings to 2 MiB
				 * (thp_get_unmapped_area: ext4, xfs, tmpfs huge) */

struct mm_file {
	char *path;		/* printed as is in maps (may end in " (deleted)") */
	uint32_t dev_major;	/* maps' device column */
	uint32_t dev_minor;
	uint64_t inode;		/* maps' inode column */
	unsigned int mode;	/* MM_FILE_* */
	unsigned int refcount;	/* owners: the creator and every VMA */
};

/* A new file identity with one reference; NULL when out of memory. */
struct mm_file *mm_file_new(const char *path, uint32_t dev_major,
			    uint32_t dev_minor, uint64_t inode, unsigned int mode);
/* Takes a reference; returns f. */
struct mm_file *mm_file_get(struct mm_file *f);
/* Drops a reference; frees the file at zero. NULL is a no-op. */
void mm_file_put(struct mm_file *f);

/* ---------------------------------------------------------------------
 * Life cycle.
 */

/*
 * An empty address space with parameters *p (copied). start_brk, brk and
 * start_stack are 0 until set. Returns 0, -EINVAL for bad parameters or
 * -ENOMEM.
 */
int mm_create(const struct mm_params *p, struct mm_struct **out);

/* Frees the address space, its VMAs and their file references. NULL ok. */
void mm_destroy(struct mm_struct *mm);

/*
 * fork (dup_mmap): a new address space with the same parameters, brk,
 * stack and gate, holding a copy of every VMA except VM_DONTCOPY ones.
 * VMAs that had an anon_vma share it with the parent in Linux; in the child
 * they are marked so that they do not merge with VMAs of a new anon_vma
 * (Linux: a non-singular anon_vma_chain). VM_WIPEONFORK VMAs come without.
 * Returns 0 or -ENOMEM.
 */
int mm_dup(const struct mm_struct *src, struct mm_struct **out);

/*
 * From now on every VMA of mm (and of its forks) is also an object of
 * vma_slab (a vm_area_struct the kernel allocates), before mm has any
 * VMA. An mmap that finds no memory for it fails with ENOMEM.
 */
struct slab_cache;
void mm_set_slab(struct mm_struct *mm, struct slab_cache *vma_slab);

/* The parameters the space was created with (mmap_base derived). */
const struct mm_params *mm_params(const struct mm_struct *mm);

/*
 * Run mm_validate() after every operation. On by default under SIM_DEBUG;
 * a test that builds a huge space turns it off and validates once.
 */
void mm_set_validate(struct mm_struct *mm, bool on);

/* ---------------------------------------------------------------------
 * The syscalls.
 */

/*
 * mmap(addr, len, prot, flags, fd, offset). file is the mapped file, NULL
 * for MAP_ANONYMOUS (ignored then); a file mapping without a file is
 * -EBADF. Supports MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE,
 * MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_STACK
 * (VM_NOHUGEPAGE, as 6.7+), MAP_NORESERVE, MAP_LOCKED; MAP_DENYWRITE,
 * MAP_EXECUTABLE, MAP_POPULATE, MAP_NONBLOCK are accepted without effect.
 * Placement: MAP_FIXED at addr (replacing what is there); else the hint
 * addr if the range and the guard gap below a growsdown VMA are free;
 * else the highest fitting gap below mmap_base (bottom-up from the legacy
 * base in the legacy layout). The new VMA merges with its neighbours as
 * vma_merge does. Shared anonymous memory is its own object, printed
 * "/dev/zero (deleted)". Returns 0 and the address in *out, or -errno.
 */
int mm_mmap(struct mm_struct *mm, uint64_t addr, uint64_t len, int prot,
	    int flags, struct mm_file *file, uint64_t offset, uint64_t *out);

/*
 * munmap(addr, len): splits VMAs at the range's edges and removes
 * everything inside. An unaligned addr or len 0 is -EINVAL; nothing mapped
 * there is 0; a middle split at max_map_count is -ENOMEM.
 */
int mm_munmap(struct mm_struct *mm, uint64_t addr, uint64_t len);

/*
 * mprotect(addr, len, prot), prot may include PROT_GROWSDOWN. Applies VMA
 * by VMA, splitting at the edges and merging with neighbours; on a hole it
 * returns -ENOMEM with the part before the hole already changed. A
 * permission beyond VM_MAY* is -EACCES. Making a private VMA writable adds
 * VM_ACCOUNT; removing write drops it only from an anonymous VMA that was
 * never written (has no anon_vma).
 */
int mm_mprotect(struct mm_struct *mm, uint64_t addr, uint64_t len, int prot);

/*
 * brk(new_brk). Like Linux it cannot fail: *out is the resulting break,
 * the old one when the request is refused (below start_brk, over
 * RLIMIT_DATA, colliding with the next VMA or its guard gap within one
 * page, a shrink with nothing mapped to free). The heap VMA grows from
 * start_brk; growing an empty heap makes a new VMA (no merge with bss).
 * Always returns 0.
 */
int mm_brk(struct mm_struct *mm, uint64_t new_brk, uint64_t *out);

/*
 * mremap(old_addr, old_len, new_len, flags, new_addr). Shrinks in place,
 * grows in place when the space after the VMA is free (merging with the
 * next VMA when it can), otherwise moves with MREMAP_MAYMOVE (-ENOMEM
 * without it); MREMAP_FIXED moves to new_addr, unmapping what is there.
 * MREMAP_DONTUNMAP moves and leaves the old range mapped (private
 * anonymous only, old_len == new_len). old_len 0 (duplicate a shared
 * mapping) is -EINVAL in vmsim. Returns 0 and the address in *out.
 */
int mm_mremap(struct mm_struct *mm, uint64_t old_addr, uint64_t old_len,
	      uint64_t new_len, int flags, uint64_t new_addr, uint64_t *out);

/*
 * madvise(addr, len, advice). Advice that changes vm_flags (MADV_DONTFORK,
 * DOFORK, HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP, WIPEONFORK, KEEPONFORK,
 * NORMAL, RANDOM, SEQUENTIAL, MERGEABLE, UNMERGEABLE) splits and merges like
 * mprotect; MADV_DONTNEED/FREE/WILLNEED/COLD/PAGEOUT/POPULATE_READ/WRITE, REMOVE
 * and the like keep the VMAs as they are. Unlike mprotect it goes on past
 * holes and returns -ENOMEM at the end. Unknown advice is -EINVAL.
 */
int mm_madvise(struct mm_struct *mm, uint64_t addr, uint64_t len, int advice);

/*
 * A user access at addr (the layout side of a page fault): finds the VMA,
 * growing a growsdown stack down to addr when it is below one (within the
 * stack rlimit and the guard gap), checks the permission, and on a write
 * to a private mapping gives the VMA an anon_vma (reusing an adjacent
 * compatible VMA's one, as anon_vma_prepare does). Returns 0, -EFAULT
 * when no VMA covers addr, -EACCES when the VMA forbids the access.
 */
int mm_touch(struct mm_struct *mm, uint64_t addr, bool write);

/*
 * mm_touch(write) on every page of [addr, addr+len) that is mapped and
 * writable.
 *
 * Replay guidance: a strace log does not show writes, and the recorded
 * conformance cases (synthetic, directed, real) all reproduce with NO
 * touches at all: anon_vma state comes only from the snapshot (smaps
 * Anonymous > 0 -> mm_vma_desc.anon). Touching every new writable mapping
 * breaks the synthetic and directed cases (their programs never write).
 */
void mm_touch_range(struct mm_struct *mm, uint64_t addr, uint64_t len);

/* ---------------------------------------------------------------------
 * Importing a snapshot (/proc/<pid>/maps or smaps) and setting the state
 * exec would have set.
 */
struct mm_vma_desc {
	uint64_t start;		/* page aligned */
	uint64_t end;		/* page aligned, > start */
	int prot;		/* PROT_* from the perms column */
	bool shared;		/* 's' in the perms column */
	uint64_t vm_flags;	/* all VM_* from smaps VmFlags, if have_vm_flags */
	bool have_vm_flags;	/* false: derive from prot/shared as mmap would */
	uint64_t offset;	/* the offset column, bytes */
	struct mm_file *file;	/* the file (a reference is taken), or NULL */
	const char *name;	/* a bracketed name ("[vdso]", "[anon:x]"), or NULL;
				 * "[heap]" and "[stack]" are derived (see below) */
	bool anon;		/* has an anon_vma: smaps Anonymous > 0 */
};

/*
 * Inserts one VMA as the snapshot shows it; no merging. "[stack]" also sets
 * start_stack (to end - 1) if it is unset; "[heap]" sets start_brk/brk to
 * the VMA's bounds if they are unset. Private anonymous VMAs get
 * pgoff = start / page_size (what mmap gives them). Returns 0, -EINVAL for
 * a malformed desc, -EEXIST if it overlaps a VMA, -ENOMEM.
 */
int mm_import_vma(struct mm_struct *mm, const struct mm_vma_desc *d);

/*
 * Sets mm->start_brk and mm->brk (brk need not be page aligned). The heap
 * is every VMA with start < brk and end > start_brk, as maps names it.
 * Replay guidance: with a [heap] VMA in the snapshot, start_brk is its
 * start and the first brk() result of the log gives the exact brk; with
 * none, the heap is empty and start_brk = brk = the end of the highest VMA
 * ending at or below the first brk() result (the page-aligned end of bss),
 * whatever that first call asked for.
 */
void mm_set_brk(struct mm_struct *mm, uint64_t start_brk, uint64_t brk);
uint64_t mm_start_brk(const struct mm_struct *mm);
uint64_t mm_cur_brk(const struct mm_struct *mm);

/* Sets mm->start_stack: the VMA containing it is named "[stack]". */
void mm_set_start_stack(struct mm_struct *mm, uint64_t addr);

/*
 * The gate VMA ([vsyscall], ffffffffff600000-ffffffffff601000 --xp on
 * x86-64): not part of the VMA set (no find_vma, no count), printed last
 * by mm_print_maps, as Linux prints it. name NULL removes it.
 */
void mm_set_gate_vma(struct mm_struct *mm, uint64_t start, uint64_t end,
		     uint64_t vm_flags, const char *name);

/* ---------------------------------------------------------------------
 * Lookup and iteration.
 */

/* Look up the first VMA which satisfies addr < end, NULL if none. */
struct vma *mm_find_vma(const struct mm_struct *mm, uint64_t addr);
/* The first VMA intersecting [start, end), NULL if none. */
struct vma *mm_find_vma_intersection(const struct mm_struct *mm,
				     uint64_t start, uint64_t end);
/* The lowest VMA / the one after v / before v; NULL at the ends. */
struct vma *mm_first_vma(const struct mm_struct *mm);
struct vma *mm_next_vma(const struct mm_struct *mm, const struct vma *v);
struct vma *mm_prev_vma(const struct mm_struct *mm, const struct vma *v);
/* Number of VMAs (Linux map_count; the gate VMA is not counted). */
uint64_t mm_nr_vmas(const struct mm_struct *mm);

uint64_t vma_start(const struct vma *v);
uint64_t vma_end(const struct vma *v);
uint64_t vma_flags(const struct vma *v);	/* VM_* */
int vma_prot(const struct vma *v);		/* PROT_* of VM_READ/WRITE/EXEC */
uint64_t vma_pgoff(const struct vma *v);	/* vm_pgoff, in pages */
struct mm_file *vma_file(const struct vma *v);	/* NULL if anonymous */
bool vma_has_anon_vma(const struct vma *v);	/* written (or imported so) */
/* The name maps prints: file path, [heap], [stack], special name, or NULL. */
const char *mm_vma_name(const struct mm_struct *mm, const struct vma *v);

/* ---------------------------------------------------------------------
 * Output and checking.
 */

/*
 * Writes /proc/<pid>/maps byte for byte as show_map_vma prints it:
 * "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " then, when there is a name,
 * spaces up to column 73 and the name; the gate VMA last.
 */
void mm_print_maps(const struct mm_struct *mm, FILE *out);

/*
 * Checks every invariant: tree red-black valid, in-order walk = list,
 * sorted, no overlap, aligned and non-empty VMAs, count, every cached
 * rb_subtree_gap recomputed from scratch, highest_vm_end. Returns 0, or
 * -EINVAL with the first broken rule written to why (len bytes).
 */
int mm_validate(const struct mm_struct *mm, char *why, size_t len);

/* Counters the replay and the stats read. */
struct mm_counters {
	uint64_t nr_mmap;	/* mm_mmap calls */
	uint64_t nr_munmap;
	uint64_t nr_mprotect;
	uint64_t nr_brk;
	uint64_t nr_mremap;
	uint64_t nr_madvise;
	uint64_t nr_failed;	/* calls that returned an error (brk: refused) */
	uint64_t nr_merges;	/* VMAs removed or avoided by a merge */
	uint64_t nr_splits;	/* __split_vma calls */
	uint64_t nr_stack_grow;	/* growsdown expansions in mm_touch */
	uint64_t total_vm;	/* pages mapped (Linux mm->total_vm) */
	uint64_t locked_vm;	/* pages with VM_LOCKED */
};
const struct mm_counters *mm_counters(const struct mm_struct *mm);

/* ---------------------------------------------------------------------
 * Pages (fault.c): the page table of the space and its page faults.
 * A space has one only after mm_attach_pt(); without one (a replayed
 * strace log) it is a layout and nothing else.
 */

/* Counters of the pages of one space (Linux vmstat names). */
struct mm_fault_stats {
	uint64_t pgfault;	/* faults that reached a VMA and passed its checks */
	uint64_t segv;		/* accesses outside any VMA or against its flags */
	uint64_t oom;		/* faults the page allocator could not serve */
	uint64_t pgalloc;	/* data frames taken */
	uint64_t pgfree;	/* data frames given back */
	uint64_t cow_faults;	/* writes that copied a page shared by fork */
};

/*
 * Gives mm a page table of geometry g whose table pages and data frames
 * come from zone, tagged owner. Returns 0, -EEXIST (it has one), or what
 * pt_create() returns.
 */
int mm_attach_pt(struct mm_struct *mm, struct zone *zone,
		 const struct pt_geometry *g, uint32_t owner);

/*
 * Called whenever PTEs of [start, end) are cleared, rewritten or moved
 * away (munmap, MAP_FIXED, brk shrink, mprotect, mremap, MADV_DONTNEED,
 * exit), so whoever caches translations drops them, as Linux's
 * flush_tlb_range and mmu notifiers do. owner is mm_attach_pt's.
 */
typedef void (*mm_flush_fn)(void *arg, uint32_t owner, uint64_t start,
			    uint64_t end);
void mm_set_flush(struct mm_struct *mm, mm_flush_fn fn, void *arg);

/* The page table, NULL without one. */
struct pt *mm_pt(struct mm_struct *mm);

/*
 * The page-fault handler for a user access at addr that the page table
 * did not serve: finds the VMA (growing a growsdown stack), checks the
 * access against its flags, takes a frame from the zone and maps the page
 * (writable if the VMA is, NX unless it is executable). Returns 0 with the
 * frame in *pfn; -EFAULT (no VMA) or -EACCES (flags forbid): SIGSEGV,
 * counted in segv; -ENOMEM when no frame or table page is left (counted in
 * oom); -EINVAL without a page table.
 */
int mm_fault(struct mm_struct *mm, uint64_t addr, enum pt_access access,
	     uint64_t *pfn);

const struct mm_fault_stats *mm_fault_stats(const struct mm_struct *mm);

/*
 * fork's copy_page_range: gives child (made by mm_dup(), no page table
 * yet) a page table with owner tag owner that maps every page parent
 * maps in a VMA the child has, to the same frame (one more holder each).
 * In private VMAs both sides lose the write bit (told to the flush hook),
 * so the first write on either side copies the page (cow_faults) or, when
 * the other side has let go, keeps it. Returns 0, or -ENOMEM (no frame
 * for a table page; the child then holds what was copied, and
 * mm_destroy() gives it back).
 */
int mm_fork_pages(struct mm_struct *child, struct mm_struct *parent,
		  uint32_t owner);

/* Present pages (Linux RSS). */
uint64_t mm_rss_pages(const struct mm_struct *mm);

#endif /* SIM_MM_MM_H */

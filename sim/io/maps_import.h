/*
 * maps_import.h - /proc/<pid>/maps and /proc/<pid>/smaps snapshots.
 *
 * A snapshot is the starting address space of a replay: one record per
 * VMA, as the kernel's show_map_vma() prints it (fs/proc/task_mmu.c),
 *
 *     7ffff7fa6000-7ffff7fa8000 rw-p 001d3000 fe:00 332835   /usr/lib/libc.so.6
 *     start        end          perms offset dev   inode     pathname or [name]
 *
 * and, when the file is an smaps, the fields that follow each header line,
 * of which two matter to the address space: VmFlags (the VM_* bits that
 * maps does not show: VM_ACCOUNT, VM_GROWSDOWN, VM_DONTCOPY, ...; the
 * two-letter codes of show_smap_vma_flags()) and Anonymous (whether the
 * VMA has anonymous pages, hence an anon_vma). smaps is recognised by its
 * field lines; a file may be either.
 *
 * The heap is inferred (maps does not print start_brk or brk):
 *   - with [heap] VMAs: start_brk = the first one's start, brk = the last
 *     one's end (the break itself may lie inside the last page; the
 *     snapshot cannot show that);
 *   - without: start_brk = brk = the end of the program's bss, which is
 *     the anonymous private VMA that starts exactly where the executable's
 *     last file VMA ends (or that file VMA's end when there is none). The
 *     executable is the file of the lowest file-backed VMA; its VMAs are
 *     that one and the ones right after it with the same name. This is what
 *     Linux does with ASLR off (the conformance cases); with ASLR on the
 *     heap starts at a random offset and the first brk(NULL) of a log
 *     corrects it.
 *
 * The mmap layout is inferred too: exec maps the interpreter (ld.so) with
 * the first mmap of the process and the vDSO ([vvar], [vvar_vclock],
 * [vdso]) right after it, so the contiguous run made of the vDSO block and
 * the file VMAs of one name directly above it (top-down: they end at
 * mmap_base) or directly below it (bottom-up: they start at the legacy
 * base) is [exec_lo, exec_hi). The replay turns that into mmap_base or the
 * legacy layout; a static program (no interpreter) leaves the vDSO block
 * alone, which ends at mmap_base or starts at the legacy base just as well.
 * Errors (truncated lines, garbage numbers, start >= end, VMAs out of
 * order or overlapping, unknown permission characters or VmFlags codes)
 * are reported with diag_error() as "file:line:col: error: ...".
 */
#ifndef SIM_IO_MAPS_IMPORT_H
#define SIM_IO_MAPS_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Permission bits of a snapshot VMA (Linux's PROT_* values). */
enum {
	MAPS_PROT_READ = 0x1,       /* 'r' */
	MAPS_PROT_WRITE = 0x2,      /* 'w' */
	MAPS_PROT_EXEC = 0x4,       /* 'x' */
};

/*
 * The VmFlags codes of smaps, one bit each (the order is vmsim's, not the
 * kernel's VM_* bit numbers). maps_vmflag_name() gives the code back.
 */
enum maps_vmflag {
	MAPS_VM_RD, MAPS_VM_WR, MAPS_VM_EX, MAPS_VM_SH,   /* read write exec shared */
	MAPS_VM_MR, MAPS_VM_MW, MAPS_VM_ME, MAPS_VM_MS,   /* may read/write/exec/share */
	MAPS_VM_GD,                 /* VM_GROWSDOWN: stack grows down */
	MAPS_VM_PF,                 /* VM_PFNMAP: pure PFN range */
	MAPS_VM_DW,                 /* VM_DENYWRITE (old kernels) */
	MAPS_VM_LO,                 /* VM_LOCKED */
	MAPS_VM_IO,                 /* VM_IO: memory-mapped I/O */
	MAPS_VM_SR, MAPS_VM_RR,     /* sequential / random read advice */
	MAPS_VM_DC,                 /* VM_DONTCOPY: MADV_DONTFORK */
	MAPS_VM_DE,                 /* VM_DONTEXPAND */
	MAPS_VM_LF,                 /* VM_LOCKONFAULT */
	MAPS_VM_AC,                 /* VM_ACCOUNT: charged to overcommit */
	MAPS_VM_NR,                 /* VM_NORESERVE */
	MAPS_VM_HT,                 /* VM_HUGETLB */
	MAPS_VM_SF,                 /* VM_SYNC */
	MAPS_VM_NL,                 /* VM_NONLINEAR (old kernels) */
	MAPS_VM_AR,                 /* VM_ARCH_1 */
	MAPS_VM_WF,                 /* VM_WIPEONFORK */
	MAPS_VM_DD,                 /* VM_DONTDUMP */
	MAPS_VM_BT,                 /* arm64 BTI */
	MAPS_VM_SD,                 /* soft-dirty */
	MAPS_VM_MM,                 /* VM_MIXEDMAP */
	MAPS_VM_HG, MAPS_VM_NH,     /* MADV_HUGEPAGE / MADV_NOHUGEPAGE */
	MAPS_VM_MG,                 /* VM_MERGEABLE (KSM) */
	MAPS_VM_UM, MAPS_VM_UW, MAPS_VM_UI, /* userfaultfd missing/wp/minor */
	MAPS_VM_MT,                 /* arm64 MTE */
	MAPS_VM_SS,                 /* shadow stack */
	MAPS_VM_SL,                 /* sealed (mseal) */
	MAPS_VM_DP,                 /* VM_DROPPABLE */
	MAPS_VM_GU,                 /* may contain guard regions */
	MAPS_VM__COUNT
};

#define MAPS_VM_BIT(f) (UINT64_C(1) << (f))

/* What a VMA is, as far as its name and perms tell. */
enum maps_kind {
	MAPS_KIND_FILE,             /* a pathname: file-backed */
	MAPS_KIND_ANON,             /* no name (or [anon:...]): private anonymous */
	MAPS_KIND_SHARED_ANON,      /* "/dev/zero (deleted)", "/SYSV...": shmem */
	MAPS_KIND_HEAP,             /* [heap] */
	MAPS_KIND_STACK,            /* [stack] */
	MAPS_KIND_SPECIAL,          /* [vdso], [vvar], [vvar_vclock], other [..] */
	MAPS_KIND_GATE,             /* [vsyscall]: the gate page above task_size */
};

struct maps_vma {
	uint64_t start;             /* first byte */
	uint64_t end;               /* one past the last byte */
	unsigned prot;              /* MAPS_PROT_* */
	bool shared;                /* 's' (MAP_SHARED) rather than 'p' */
	uint64_t offset;            /* file offset in bytes (pgoff << PAGE_SHIFT) */
	unsigned dev_major;         /* device of the file, 0 for anonymous */
	unsigned dev_minor;
	uint64_t inode;             /* inode of the file, 0 for anonymous */
	char *name;                 /* pathname or [name], "" if none (owned) */
	enum maps_kind kind;        /* classification of name and perms */
	bool has_smaps;             /* VmFlags and Anonymous below are known */
	uint64_t vmflags;           /* MAPS_VM_BIT(MAPS_VM_*) set */
	uint64_t anon_kb;           /* smaps Anonymous: kB */
	unsigned line;              /* header line in the snapshot file */
};

struct maps_snapshot {
	struct maps_vma *vmas;      /* sorted by start, no overlap */
	size_t nr;                  /* number of VMAs */
	size_t cap;                 /* allocated slots */
	bool smaps;                 /* the file had smaps field lines */
	bool has_heap;              /* a [heap] VMA was present */
	bool has_brk;               /* start_brk/brk could be inferred */
	uint64_t start_brk;         /* inferred start of the heap */
	uint64_t brk;               /* inferred program break */
	bool has_exec_area;         /* exec_lo/exec_hi were found */
	uint64_t exec_lo, exec_hi;  /* vDSO block plus the interpreter beside it */
};

/*
 * Parses the snapshot in path into *s (which the caller frees with
 * maps_snapshot_free(), also after a failure). Returns 0, or -1 after a
 * diag_error().
 */
int maps_parse_file(const char *path, struct maps_snapshot *s);

/*
 * Parses len bytes of buf as a snapshot; fname names it in messages.
 * Returns 0, or -1 after a diag_error().
 */
int maps_parse_buf(const char *fname, const char *buf, size_t len,
		   struct maps_snapshot *s);

/* Frees everything *s owns and leaves it empty. */
void maps_snapshot_free(struct maps_snapshot *s);

/* The two-letter smaps code of f ("rd", "ac", ...). */
const char *maps_vmflag_name(enum maps_vmflag f);

/* Looks up a two-letter code; returns its enum maps_vmflag or -1. */
int maps_vmflag_lookup(const char *code, size_t len);

#endif /* SIM_IO_MAPS_IMPORT_H */

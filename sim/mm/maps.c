/*
 * maps.c - /proc/<pid>/maps as Linux prints it (fs/proc/task_mmu.c:
 * show_map_vma, show_vma_header_prefix, seq_pad) and the smaps VmFlags
 * mnemonics (show_smap_vma_flags).
 *
 * One line per VMA:
 *
 *   start-end perms offset major:minor inode     name
 *   |<----------- padded to 72 columns ----------->| name at column 74
 *
 * The prefix is "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " (hex at
 * least 8 digits wide); with a name, spaces follow up to column 72, then
 * one more space and the name; without one the line ends with the space
 * after the inode. The offset of an anonymous VMA prints as 0, whatever its
 * vm_pgoff.
 */
#include <inttypes.h>
#include <string.h>

#include "mm/internal.h"

#define MAPS_PAD 72	/* seq_setwidth(m, 25 + sizeof(void *) * 6 - 1) */

static const struct {
	char mn[3];		/* the two letters smaps prints */
	uint64_t flag;		/* the VM_* bit */
} smaps_flags[] = {
	{ "rd", VM_READ },	{ "wr", VM_WRITE },	{ "ex", VM_EXEC },
	{ "sh", VM_SHARED },	{ "mr", VM_MAYREAD },	{ "mw", VM_MAYWRITE },
	{ "me", VM_MAYEXEC },	{ "ms", VM_MAYSHARE },	{ "gd", VM_GROWSDOWN },
	{ "pf", VM_PFNMAP },	{ "lo", VM_LOCKED },	{ "io", VM_IO },
	{ "sr", VM_SEQ_READ },	{ "rr", VM_RAND_READ },	{ "dc", VM_DONTCOPY },
	{ "de", VM_DONTEXPAND }, { "lf", VM_LOCKONFAULT }, { "ac", VM_ACCOUNT },
	{ "nr", VM_NORESERVE },	{ "ht", VM_HUGETLB },	{ "sf", VM_SYNC },
	{ "ar", VM_ARCH_1 },	{ "wf", VM_WIPEONFORK }, { "dd", VM_DONTDUMP },
	{ "sd", VM_SOFTDIRTY },	{ "mm", VM_MIXEDMAP },	{ "hg", VM_HUGEPAGE },
	{ "nh", VM_NOHUGEPAGE }, { "mg", VM_MERGEABLE }, { "um", VM_UFFD_MISSING },
	{ "uw", VM_UFFD_WP },	{ "ss", VM_SHADOW_STACK }, { "sl", VM_SEALED },
};

uint64_t mm_vmflag_from_smaps(const char *mnemonic)
{
	for (size_t i = 0; i < ARRAY_SIZE(smaps_flags); i++)
		if (strcmp(smaps_flags[i].mn, mnemonic) == 0)
			return smaps_flags[i].flag;
	return 0;
}

static bool is_anon_name(const char *name)
{
	return strncmp(name, "[anon:", 6) == 0 ||
	       strncmp(name, "[anon_shmem:", 12) == 0;
}

/* The naming order of show_map_vma: file, special, heap, stack, anon name. */
const char *mm_vma_name(const struct mm_struct *mm, const struct vma *v)
{
	if (v->vm_file)
		return v->vm_file->path;
	if (v->vm_name && !is_anon_name(v->vm_name))
		return v->vm_name;
	if (v->vm_start < mm->brk && v->vm_end > mm->start_brk)
		return "[heap]";
	if (mm->start_stack && v->vm_start <= mm->start_stack &&
	    v->vm_end >= mm->start_stack)
		return "[stack]";
	return v->vm_name;
}

static void print_line(FILE *out, uint64_t start, uint64_t end,
		       uint64_t flags, uint64_t off, uint32_t maj, uint32_t min,
		       uint64_t ino, const char *name)
{
	char buf[160];
	int n = snprintf(buf, sizeof(buf),
			 "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64
			 " %02x:%02x %" PRIu64 " ", start, end,
			 flags & VM_READ ? 'r' : '-',
			 flags & VM_WRITE ? 'w' : '-',
			 flags & VM_EXEC ? 'x' : '-',
			 flags & VM_MAYSHARE ? 's' : 'p', off, maj, min, ino);

	fputs(buf, out);
	if (name) {
		for (; n < MAPS_PAD; n++)
			fputc(' ', out);
		fputc(' ', out);
		fputs(name, out);
	}
	fputc('\n', out);
}

void mm_print_maps(const struct mm_struct *mm, FILE *out)
{
	const struct vma *v;

	list_for_each_entry(v, &mm->mmap, vm_list) {
		const struct mm_file *f = v->vm_file;

		print_line(out, v->vm_start, v->vm_end, v->vm_flags,
			   f ? v->vm_pgoff << mm->page_shift : 0,
			   f ? f->dev_major : 0, f ? f->dev_minor : 0,
			   f ? f->inode : 0, mm_vma_name(mm, v));
	}
	if (mm->gate_name)
		print_line(out, mm->gate_start, mm->gate_end, mm->gate_flags,
			   0, 0, 0, 0, mm->gate_name);
}

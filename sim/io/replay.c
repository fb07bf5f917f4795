/*
 * replay.c - re-running an strace log against vmsim's mm (see replay.h).
 *
 * Two passes over the log. The first only collects who created whom
 * (clone/fork/vfork results), because strace -f often prints a child's
 * first calls before its parent's "<... clone resumed> = CHILD": the child
 * is then set up at its first line, from its parent's state at that point.
 * The second pass runs the calls.
 *
 *     struct rproc (one per pid) ──space──► struct rspace (one mm_struct,
 *                 │                          shared by CLONE_VM children)
 *                 └──files──► struct rfiles (fd -> mm_file, from openat)
 *
 * Nothing is freed before the end of the replay: a pid that exits keeps
 * its last address space so that it can still be printed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "io/diag.h"
#include "io/maps_import.h"
#include "io/replay.h"
#include "lib/compiler.h"
#include "mm/mm.h"

struct rspace {
	struct mm_struct *mm;       /* the address space */
	bool borrowed;              /* the caller's: not destroyed here */
	struct rspace *next;        /* all spaces, for freeing */
};

struct rfd {
	int fd;                     /* descriptor number */
	struct mm_file *file;       /* its open file (one reference) */
};

struct rfiles {
	struct rfd *fds;            /* open descriptors, unsorted */
	size_t nr;                  /* entries used */
	size_t cap;                 /* entries allocated */
	struct rfiles *next;        /* all tables, for freeing */
};

struct rproc {
	int pid;                    /* process (or thread) id */
	struct rspace *space;       /* NULL: unknown (exec'd, unknown origin) */
	struct rspace *last;        /* the space before an execve */
	struct rfiles *files;       /* its fd table (NULL: none known) */
	bool seen_mem;              /* a memory call of it was replayed */
	bool exited;                /* exit_group or +++ exited/killed +++ */
};

struct rchild {
	int child;                  /* the new pid */
	int parent;                 /* who made it */
	uint64_t flags;             /* STRACE_CLONE_* */
};

struct replay {
	const struct replay_opts *o; /* what to do */
	struct replay_result *r;    /* counters and events */
	struct mm_params params;    /* for every address space */
	struct maps_snapshot snap;  /* the starting state */
	bool have_snap;             /* a snapshot was given */
	int main_pid;               /* pid that starts from the snapshot */
	struct rproc *procs;        /* every pid seen */
	size_t nr_procs;
	size_t cap_procs;
	struct rchild *children;    /* from the first pass */
	size_t nr_children;
	size_t cap_children;
	struct rspace *spaces;      /* all address spaces */
	struct rfiles *tables;      /* all fd tables */
};

/* ---- bookkeeping ------------------------------------------------------- */

static int grow(void **arr, size_t *cap, size_t nr, size_t size)
{
	void *n;
	size_t c;

	if (nr < *cap)
		return 0;
	c = *cap ? 2 * *cap : 16;
	n = realloc(*arr, c * size);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = c;
	return 0;
}

static struct rspace *space_new(struct replay *rp, struct mm_struct *mm)
{
	struct rspace *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->mm = mm;
	s->next = rp->spaces;
	rp->spaces = s;
	if (rp->o->cfg && rp->o->cfg->validate)
		mm_set_validate(mm, true);
	return s;
}

static struct rfiles *files_new(struct replay *rp, const struct rfiles *copy)
{
	struct rfiles *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->next = rp->tables;
	rp->tables = t;
	if (copy && copy->nr) {
		t->fds = malloc(copy->nr * sizeof(*t->fds));
		if (!t->fds)
			return NULL;
		t->nr = t->cap = copy->nr;
		for (size_t i = 0; i < copy->nr; i++) {
			t->fds[i] = copy->fds[i];
			mm_file_get(t->fds[i].file);
		}
	}
	return t;
}

static struct rfd *fd_find(struct rfiles *t, int fd)
{
	if (!t)
		return NULL;
	for (size_t i = 0; i < t->nr; i++)
		if (t->fds[i].fd == fd)
			return &t->fds[i];
	return NULL;
}

/* Installs file (taking over the caller's reference) as fd. */
static int fd_install(struct rfiles *t, int fd, struct mm_file *file)
{
	struct rfd *e = fd_find(t, fd);

	if (e) {
		mm_file_put(e->file);
		e->file = file;
		return 0;
	}
	if (grow((void **)&t->fds, &t->cap, t->nr, sizeof(*t->fds))) {
		mm_file_put(file);
		return -ENOMEM;
	}
	t->fds[t->nr].fd = fd;
	t->fds[t->nr].file = file;
	t->nr++;
	return 0;
}

static void fd_close(struct rfiles *t, int fd)
{
	struct rfd *e = fd_find(t, fd);

	if (!e)
		return;
	mm_file_put(e->file);
	*e = t->fds[--t->nr];
}

static struct rproc *proc_find(struct replay *rp, int pid)
{
	for (size_t i = 0; i < rp->nr_procs; i++)
		if (rp->procs[i].pid == pid)
			return &rp->procs[i];
	return NULL;
}

static const struct rchild *child_find(const struct replay *rp, int pid)
{
	for (size_t i = 0; i < rp->nr_children; i++)
		if (rp->children[i].child == pid)
			return &rp->children[i];
	return NULL;
}

/* ---- the snapshot ------------------------------------------------------ */

/* The VM_* bits of an smaps VmFlags set. */
static uint64_t snap_vm_flags(uint64_t vmflags)
{
	uint64_t flags = 0;

	for (unsigned f = 0; f < MAPS_VM__COUNT; f++)
		if (vmflags & MAPS_VM_BIT(f))
			flags |= mm_vmflag_from_smaps(maps_vmflag_name(f));
	return flags;
}

/* dev and inode of path in the snapshot (0 when it is not there). */
static void snap_file_ids(const struct replay *rp, const char *path,
			  size_t len, uint32_t *maj, uint32_t *min,
			  uint64_t *ino)
{
	*maj = *min = 0;
	*ino = 0;
	for (size_t i = 0; i < rp->snap.nr; i++) {
		const struct maps_vma *v = &rp->snap.vmas[i];

		if (v->kind == MAPS_KIND_FILE && strlen(v->name) == len &&
		    !memcmp(v->name, path, len)) {
			*maj = v->dev_major;
			*min = v->dev_minor;
			*ino = v->inode;
			return;
		}
	}
}

/*
 * Without smaps, whether a VMA has anonymous pages is a guess: private
 * writable VMAs do, and so does a read-only private file VMA directly
 * followed by a writable one of the same file (RELRO: written by the
 * dynamic linker, then made read-only).
 */
static bool guess_anon(const struct maps_snapshot *s, size_t i)
{
	const struct maps_vma *v = &s->vmas[i], *n;

	if (v->shared)
		return false;
	if (v->prot & MAPS_PROT_WRITE)
		return v->kind != MAPS_KIND_SPECIAL;
	if (v->kind != MAPS_KIND_FILE || i + 1 >= s->nr)
		return false;
	n = &s->vmas[i + 1];
	return n->start == v->end && !n->shared && (n->prot & MAPS_PROT_WRITE) &&
	       !strcmp(n->name, v->name) && v->offset;
}

int replay_import_snapshot(struct mm_struct *mm, const struct maps_snapshot *s,
			   const char *path)
{
	uint64_t task_size = mm_params(mm)->task_size;
	struct mm_file **files = calloc(s->nr ? s->nr : 1, sizeof(*files));
	int ret = 0;

	if (!files)
		return diag_error(path, 0, 0, "out of memory"), -1;
	for (size_t i = 0; i < s->nr && !ret; i++) {
		const struct maps_vma *v = &s->vmas[i];
		struct mm_vma_desc d = {
			.start = v->start, .end = v->end,
			.prot = (int)v->prot, .shared = v->shared,
			.offset = v->offset,
		};
		int err;

		if (v->has_smaps) {
			d.vm_flags = snap_vm_flags(v->vmflags);
			d.have_vm_flags = true;
			d.anon = v->anon_kb > 0;
		} else {
			d.anon = guess_anon(s, i);
		}
		if (v->kind == MAPS_KIND_GATE && v->start >= task_size) {
			uint64_t fl = d.have_vm_flags ? d.vm_flags :
				(v->prot & MAPS_PROT_READ ? VM_READ : 0) |
				(v->prot & MAPS_PROT_WRITE ? VM_WRITE : 0) |
				(v->prot & MAPS_PROT_EXEC ? VM_EXEC : 0);

			mm_set_gate_vma(mm, v->start, v->end, fl, v->name);
			continue;
		}
		switch (v->kind) {
		case MAPS_KIND_FILE:
			/* one identity per (dev, inode, path): one open file */
			for (size_t j = 0; j < i; j++)
				if (files[j] && s->vmas[j].dev_major == v->dev_major &&
				    s->vmas[j].dev_minor == v->dev_minor &&
				    s->vmas[j].inode == v->inode &&
				    !strcmp(s->vmas[j].name, v->name)) {
					files[i] = mm_file_get(files[j]);
					break;
				}
			if (!files[i])
				files[i] = mm_file_new(v->name, v->dev_major,
						       v->dev_minor, v->inode,
						       MM_FILE_READ | MM_FILE_WRITE);
			if (!files[i]) {
				ret = (diag_error(path, v->line, 0,
						  "out of memory"), -1);
				break;
			}
			d.file = files[i];
			break;
		case MAPS_KIND_SHARED_ANON:
			break;      /* shmem: mm names it /dev/zero (deleted) */
		case MAPS_KIND_ANON:
			d.name = v->name[0] ? v->name : NULL;
			break;
		default:            /* [heap], [stack], [vdso], [vvar], ... */
			d.name = v->name;
			break;
		}
		if (ret)
			break;
		err = mm_import_vma(mm, &d);
		if (err)
			ret = (diag_error(path, v->line, 0,
					  "cannot import VMA %llx-%llx: %s",
					  (unsigned long long)v->start,
					  (unsigned long long)v->end,
					  strerror(-err)), -1);
	}
	for (size_t i = 0; i < s->nr; i++)
		mm_file_put(files[i]);
	free(files);
	if (!ret && s->has_brk)
		mm_set_brk(mm, s->start_brk, s->brk);
	return ret;
}

/* ---- processes --------------------------------------------------------- */

static struct rproc *proc_add(struct replay *rp, int pid)
{
	struct rproc *p;

	if (grow((void **)&rp->procs, &rp->cap_procs, rp->nr_procs,
		 sizeof(*rp->procs)))
		return NULL;
	p = &rp->procs[rp->nr_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	rp->r->processes++;
	return p;
}

/*
 * The process pid, set up at its first appearance: from its parent when
 * the log shows its creation (share or copy), else unknown.
 * Returns NULL only when out of memory.
 */
static struct rproc *proc_get(struct replay *rp, int pid)
{
	struct rproc *p = proc_find(rp, pid), *parent;
	const struct rchild *c;
	struct mm_struct *mm;
	size_t parent_idx;

	if (p)
		return p;
	c = child_find(rp, pid);
	parent = c ? proc_find(rp, c->parent) : NULL;
	parent_idx = parent ? (size_t)(parent - rp->procs) : 0;
	p = proc_add(rp, pid);
	if (!p)
		return NULL;
	if (!parent)
		return p;
	parent = &rp->procs[parent_idx];    /* proc_add may have moved it */
	if (!parent->space)
		return p;
	if (!parent->files && !(parent->files = files_new(rp, NULL)))
		return NULL;
	if (c->flags & STRACE_CLONE_FILES) {
		p->files = parent->files;   /* one fd table (threads) */
	} else {
		p->files = files_new(rp, parent->files);
		if (!p->files)
			return NULL;
	}
	if (c->flags & STRACE_CLONE_VM) {
		p->space = parent->space;   /* a thread, or vfork: one mm */
		return p;
	}
	if (mm_dup(parent->space->mm, &mm))
		return NULL;
	p->space = space_new(rp, mm);
	if (!p->space) {
		mm_destroy(mm);
		return NULL;
	}
	return p;
}

/* ---- results ----------------------------------------------------------- */

static void record(struct replay *rp, const struct strace_rec *rec,
		   int64_t vmsim, int64_t kernel)
{
	struct replay_result *r = rp->r;
	bool mismatch = vmsim != kernel;

	if (mismatch) {
		r->replay_mismatches++;
		if (!r->first_mismatch_line)
			r->first_mismatch_line = rec->line;
	}
	if (!rp->o->events)
		return;
	if (grow((void **)&r->events, &r->cap_events, r->nr_events,
		 sizeof(*r->events)))
		return;
	struct replay_event *e = &r->events[r->nr_events];

	e->args = strndup(rec->args ? rec->args : "", rec->args_len);
	if (!e->args)
		return;
	e->line = rec->line;
	e->pid = rec->pid;
	e->sys = rec->sys;
	e->vmsim_ret = vmsim;
	e->kernel_ret = kernel;
	e->mismatch = mismatch;
	r->nr_events++;
}

static uint64_t page_up(const struct replay *rp, uint64_t x)
{
	uint64_t m = rp->params.page_size - 1;

	return x > UINT64_MAX - m ? x : (x + m) & ~m;
}

/* The file an mmap's fd refers to (borrowed), or NULL. */
static struct mm_file *mmap_file(struct replay *rp, struct rproc *p,
				 const struct strace_rec *rec)
{
	int fd = (int)(int64_t)rec->arg[4];
	struct rfd *e = fd_find(p->files, fd);
	struct mm_file *f;
	uint32_t maj, min;
	uint64_t ino;

	if (!rec->path)
		return e ? e->file : NULL;
	if (e && strlen(e->file->path) == rec->path_len &&
	    !memcmp(e->file->path, rec->path, rec->path_len))
		return e->file;
	/* opened before the log began (or by a call not traced): a new
	 * open file; its mode is unknown, so allow what the kernel allowed */
	char *path = strndup(rec->path, rec->path_len);

	if (!path)
		return NULL;
	snap_file_ids(rp, rec->path, rec->path_len, &maj, &min, &ino);
	f = mm_file_new(path, maj, min, ino, MM_FILE_READ | MM_FILE_WRITE);
	free(path);
	if (!f)
		return NULL;
	if (!p->files)
		p->files = files_new(rp, NULL);
	if (!p->files || fd_install(p->files, fd, f))
		return NULL;
	return f;
}

static void replay_mmap(struct replay *rp, struct rproc *p,
			const struct strace_rec *rec)
{
	struct mm_struct *mm = p->space->mm;
	uint64_t addr = rec->arg[0], len = rec->arg[1], off = rec->arg[5];
	int prot = (int)rec->arg[2], flags = (int)rec->arg[3];
	struct mm_file *file = NULL;
	uint64_t out = 0;
	int64_t v, k = rec->ret;
	int err;

	if (!(flags & MAP_ANONYMOUS))
		file = mmap_file(rp, p, rec);
	err = mm_mmap(mm, addr, len, prot, flags, file, off, &out);
	v = err ? err : (int64_t)out;
	record(rp, rec, v, k);
	if (v == k)
		return;
	/* adopt the kernel's outcome */
	if (v >= 0) {
		if (flags & MAP_FIXED) {
			rp->r->unsupported++;   /* what it replaced is gone */
			return;
		}
		mm_munmap(mm, out, len);
	}
	if (k >= 0) {
		flags = (flags & ~MAP_FIXED_NOREPLACE) | MAP_FIXED;
		if (!file && !(flags & MAP_ANONYMOUS)) {
			/* a file vmsim cannot name: keep at least its range */
			flags |= MAP_ANONYMOUS;
			rp->r->unsupported++;
		}
		if (mm_mmap(mm, (uint64_t)k, len, prot, flags, file, off, &out))
			rp->r->unsupported++;
	}
}

/* Makes the heap what the kernel's brk left: break k, was old. */
static void adopt_brk(struct replay *rp, struct mm_struct *mm, uint64_t old,
		      uint64_t v, uint64_t k)
{
	uint64_t po = page_up(rp, old), pv = page_up(rp, v), pk = page_up(rp, k);
	uint64_t out;
	int rw = PROT_READ | PROT_WRITE;
	int fl = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

	/* undo vmsim's change */
	if (pv > po)
		mm_munmap(mm, po, pv - po);
	else if (pv < po)
		mm_mmap(mm, pv, po - pv, rw, fl, NULL, 0, &out);
	/* and make the kernel's */
	if (pk > po) {
		if (mm_mmap(mm, po, pk - po, rw, fl, NULL, 0, &out))
			rp->r->unsupported++;
	} else if (pk < po) {
		mm_munmap(mm, pk, po - pk);
	}
	mm_set_brk(mm, mm_start_brk(mm), k);
}

static void replay_brk(struct replay *rp, struct rproc *p,
		       const struct strace_rec *rec)
{
	struct mm_struct *mm = p->space->mm;
	uint64_t old = mm_cur_brk(mm), out = old;
	int64_t k = rec->ret;

	if (!mm_start_brk(mm) && k > 0) {
		/* the snapshot did not show where the heap starts */
		mm_set_brk(mm, (uint64_t)k, (uint64_t)k);
		old = out = (uint64_t)k;
	}
	mm_brk(mm, rec->arg[0], &out);
	record(rp, rec, (int64_t)out, k);
	if ((int64_t)out != k && k > 0)
		adopt_brk(rp, mm, old, out, (uint64_t)k);
}

static void replay_mremap(struct replay *rp, struct rproc *p,
			  const struct strace_rec *rec)
{
	struct mm_struct *mm = p->space->mm;
	uint64_t old = rec->arg[0], old_len = rec->arg[1], new_len = rec->arg[2];
	uint64_t new_addr = rec->nr_args > 4 ? rec->arg[4] : 0, out = 0;
	int flags = (int)rec->arg[3];
	int64_t v, k = rec->ret;
	int err;

	err = mm_mremap(mm, old, old_len, new_len, flags, new_addr, &out);
	v = err ? err : (int64_t)out;
	record(rp, rec, v, k);
	if (v == k)
		return;
	if (k >= 0 && v >= 0)
		err = mm_mremap(mm, (uint64_t)v, new_len, new_len,
				MREMAP_MAYMOVE | MREMAP_FIXED, (uint64_t)k, &out);
	else if (k >= 0 && (uint64_t)k != old)
		err = mm_mremap(mm, old, old_len, new_len,
				MREMAP_MAYMOVE | MREMAP_FIXED, (uint64_t)k, &out);
	else
		err = -EINVAL;
	if (err)
		rp->r->unsupported++;
}

static void replay_mem(struct replay *rp, struct rproc *p,
		       const struct strace_rec *rec)
{
	struct mm_struct *mm;

	if (!p->space) {
		rp->r->replay_skipped++;
		return;
	}
	if (!rec->has_ret) {
		rp->r->unsupported++;   /* "= ?": the kernel's result is unknown */
		return;
	}
	mm = p->space->mm;
	p->seen_mem = true;
	rp->r->calls++;
	switch (rec->sys) {
	case STRACE_SYS_MMAP:
		replay_mmap(rp, p, rec);
		break;
	case STRACE_SYS_MUNMAP:
		record(rp, rec, mm_munmap(mm, rec->arg[0], rec->arg[1]), rec->ret);
		break;
	case STRACE_SYS_MPROTECT:
		record(rp, rec, mm_mprotect(mm, rec->arg[0], rec->arg[1],
					    (int)rec->arg[2]), rec->ret);
		break;
	case STRACE_SYS_BRK:
		replay_brk(rp, p, rec);
		break;
	case STRACE_SYS_MREMAP:
		replay_mremap(rp, p, rec);
		break;
	default:
		record(rp, rec, mm_madvise(mm, rec->arg[0], rec->arg[1],
					   (int)rec->arg[2]), rec->ret);
		break;
	}
}

/* openat/open: a new open file for the returned fd. */
static int replay_open(struct replay *rp, struct rproc *p,
		       const struct strace_rec *rec)
{
	unsigned mode = MM_FILE_READ;
	struct mm_file *f;
	uint32_t maj, min;
	uint64_t ino;
	char *path;

	if (!rec->has_ret || rec->ret < 0 || !rec->path)
		return 0;
	if (memmem(rec->args, rec->args_len, "O_RDWR", 6))
		mode = MM_FILE_READ | MM_FILE_WRITE;
	else if (memmem(rec->args, rec->args_len, "O_WRONLY", 8))
		mode = MM_FILE_WRITE;
	path = strndup(rec->path, rec->path_len);
	if (!path)
		return -ENOMEM;
	snap_file_ids(rp, rec->path, rec->path_len, &maj, &min, &ino);
	f = mm_file_new(path, maj, min, ino, mode);
	free(path);
	if (!f)
		return -ENOMEM;
	if (!p->files)
		p->files = files_new(rp, NULL);
	if (!p->files) {
		mm_file_put(f);
		return -ENOMEM;
	}
	return fd_install(p->files, (int)rec->ret, f);
}

static int replay_record(struct replay *rp, const struct strace_rec *rec)
{
	struct rproc *p;

	rp->r->by_sys[rec->sys]++;
	if (rec->sys == STRACE_SYS_OTHER) {
		rp->r->unknown_syscalls++;
		return 0;
	}
	p = proc_get(rp, rec->pid);
	if (!p)
		return -ENOMEM;
	if (strace_is_mem(rec->sys)) {
		replay_mem(rp, p, rec);
		return 0;
	}
	switch (rec->sys) {
	case STRACE_SYS_EXECVE:
	case STRACE_SYS_EXECVEAT:
		if (!rec->has_ret || rec->ret != 0)
			break;
		if (p->pid == rp->main_pid && !p->seen_mem && p->space)
			break;      /* the exec the snapshot was taken after */
		if (p->space)
			p->last = p->space;
		p->space = NULL;
		break;
	case STRACE_SYS_CLONE:
	case STRACE_SYS_CLONE3:
	case STRACE_SYS_FORK:
	case STRACE_SYS_VFORK:
		if (rec->has_ret && rec->ret > 0 && !proc_get(rp, (int)rec->ret))
			return -ENOMEM;
		break;
	case STRACE_SYS_OPEN:
	case STRACE_SYS_OPENAT:
		return replay_open(rp, p, rec);
	case STRACE_SYS_CLOSE:
		if (rec->has_ret && rec->ret == 0)
			fd_close(p->files, (int)rec->arg[0]);
		break;
	case STRACE_SYS_EXIT_GROUP:
	case STRACE_EV_EXITED:
	case STRACE_EV_KILLED:
		p->exited = true;
		break;
	default:
		break;      /* exit of one thread, signals */
	}
	return 0;
}

/* ---- the two passes ---------------------------------------------------- */

/* Pass 1: the first pid and every clone/fork/vfork's child. */
static int scan_children(struct replay *rp)
{
	struct strace_parser ps;
	struct strace_rec rec;
	bool first = true;
	int ret;

	if (strace_open_file(&ps, rp->o->strace_path)) {
		strace_close(&ps);
		return -1;
	}
	while ((ret = strace_next(&ps, &rec)) == 1) {
		uint64_t flags;

		if (first && !rp->main_pid)
			rp->main_pid = rec.pid;
		first = false;
		switch (rec.sys) {
		case STRACE_SYS_CLONE:
		case STRACE_SYS_CLONE3:
			flags = rec.clone_flags;
			break;
		case STRACE_SYS_VFORK:
			flags = STRACE_CLONE_VM | STRACE_CLONE_VFORK;
			break;
		case STRACE_SYS_FORK:
			flags = 0;
			break;
		default:
			continue;
		}
		if (!rec.has_ret || rec.ret <= 0 || child_find(rp, (int)rec.ret))
			continue;
		if (grow((void **)&rp->children, &rp->cap_children,
			 rp->nr_children, sizeof(*rp->children))) {
			ret = (diag_error(rp->o->strace_path, 0, 0, "out of memory"), -1);
			break;
		}
		rp->children[rp->nr_children++] = (struct rchild){
			.child = (int)rec.ret, .parent = rec.pid, .flags = flags,
		};
	}
	strace_close(&ps);
	return ret < 0 ? -1 : 0;
}

/* Pass 2: every record, in order. */
static int run_log(struct replay *rp)
{
	struct strace_parser ps;
	struct strace_rec rec;
	int ret;

	if (strace_open_file(&ps, rp->o->strace_path)) {
		strace_close(&ps);
		return -1;
	}
	while ((ret = strace_next(&ps, &rec)) == 1) {
		if (replay_record(rp, &rec)) {
			ret = (diag_error(rp->o->strace_path, rec.line, 0,
					  "out of memory"), -1);
			break;
		}
	}
	rp->r->lines = ps.nr_lines;
	strace_close(&ps);
	return ret < 0 ? -1 : 0;
}

static int setup_params(struct replay *rp)
{
	struct sim_config cfg;

	mm_params_default(&rp->params);
	if (!rp->o->cfg)
		return 0;
	cfg = *rp->o->cfg;
	if (cfg_check(&cfg, "config"))
		return -1;
	rp->params.page_size = cfg.page_size;
	rp->params.task_size = cfg.task_size;
	rp->params.mmap_min_addr = cfg.mmap_min_addr;
	rp->params.stack_rlimit = cfg.stack_rlimit;
	rp->params.stack_guard_gap = cfg.stack_guard_gap;
	rp->params.mmap_base = cfg.mmap_base;
	rp->params.legacy_layout = cfg.mmap_layout == CFG_LAYOUT_LEGACY;
	rp->params.max_map_count = cfg.max_map_count;
	rp->params.address_space_limit = cfg.address_space_limit;
	return 0;
}

/*
 * The snapshot shows where exec put the interpreter and the vDSO (see
 * maps_import.h), hence the layout the traced process had: the legacy one
 * when they start at the legacy base, else a top-down one whose mmap_base
 * is where they end. This is what the stack limit (or ASLR) decided, so it
 * beats the configured stack_rlimit; an explicit mmap_base or legacy
 * layout in the config wins.
 */
static void layout_from_snapshot(struct replay *rp)
{
	const struct maps_snapshot *s = &rp->snap;
	struct mm_params *p = &rp->params;

	if (!s->has_exec_area || p->mmap_base || p->legacy_layout)
		return;
	if (s->exec_lo == mm_legacy_mmap_base(p))
		p->legacy_layout = true;
	else if (s->exec_hi <= p->task_size && !(s->exec_hi & (p->page_size - 1)))
		p->mmap_base = s->exec_hi;
}

static void replay_cleanup(struct replay *rp)
{
	while (rp->spaces) {
		struct rspace *s = rp->spaces;

		rp->spaces = s->next;
		if (!s->borrowed)
			mm_destroy(s->mm);
		free(s);
	}
	while (rp->tables) {
		struct rfiles *t = rp->tables;

		rp->tables = t->next;
		for (size_t i = 0; i < t->nr; i++)
			mm_file_put(t->fds[i].file);
		free(t->fds);
		free(t);
	}
	free(rp->procs);
	free(rp->children);
	maps_snapshot_free(&rp->snap);
}

int replay_run(const struct replay_opts *o, struct replay_result *r)
{
	struct replay rp = { .o = o, .r = r, .main_pid = o->pid };
	struct mm_struct *mm = NULL;
	struct rproc *main_proc;
	struct rspace *show;
	int err, ret = -1;

	memset(r, 0, sizeof(*r));
	if (!o->strace_path)
		return diag_error("replay", 0, 0, "no strace log given (--strace LOG)"), -1;
	if (setup_params(&rp))
		return -1;
	if (o->maps_path) {
		if (maps_parse_file(o->maps_path, &rp.snap))
			goto out;
		rp.have_snap = true;
		layout_from_snapshot(&rp);
	}
	if (scan_children(&rp))
		goto out;

	err = mm_create(&rp.params, &mm);
	if (err) {
		diag_error("replay", 0, 0, "cannot create an address space: %s",
			   strerror(-err));
		goto out;
	}
	main_proc = proc_add(&rp, rp.main_pid);
	if (!main_proc || !(main_proc->space = space_new(&rp, mm))) {
		mm_destroy(mm);
		diag_error("replay", 0, 0, "out of memory");
		goto out;
	}
	if (rp.have_snap && replay_import_snapshot(mm, &rp.snap, o->maps_path))
		goto out;
	if (run_log(&rp))
		goto out;

	main_proc = proc_find(&rp, rp.main_pid);
	show = main_proc->space ? main_proc->space : main_proc->last;
	r->pid = rp.main_pid;
	if (o->out && show)
		mm_print_maps(show->mm, o->out);
	ret = 0;
out:
	replay_cleanup(&rp);
	return ret;
}

void replay_result_free(struct replay_result *r)
{
	for (size_t i = 0; i < r->nr_events; i++)
		free(r->events[i].args);
	free(r->events);
	memset(r, 0, sizeof(*r));
}

/* ---- a session on the caller's address space --------------------------- */

struct replay_session {
	struct replay rp;
	struct replay_opts o;
};

int replay_session_new(struct mm_struct *mm, const struct sim_config *cfg,
		       struct replay_result *r, struct replay_session **out)
{
	struct replay_session *s = calloc(1, sizeof(*s));
	struct rproc *p;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	s->o.cfg = cfg;
	s->rp.o = &s->o;
	s->rp.r = r;
	if (setup_params(&s->rp)) {
		free(s);
		return -EINVAL;
	}
	p = proc_add(&s->rp, 0);
	if (!p || !(p->space = space_new(&s->rp, mm))) {
		replay_session_free(s);
		return -ENOMEM;
	}
	p->space->borrowed = true;
	*out = s;
	return 0;
}

int replay_session_call(struct replay_session *s, const struct strace_rec *rec)
{
	struct strace_rec one = *rec;

	/* one process: its threads' calls act on the same address space */
	one.pid = 0;
	return replay_record(&s->rp, &one);
}

void replay_session_free(struct replay_session *s)
{
	if (!s)
		return;
	replay_cleanup(&s->rp);
	free(s);
}

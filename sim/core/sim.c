/*
 * sim.c - the discrete-event loop and the executors of workload ops.
 *
 * Each op kind has one executor in op_exec[] (indexed by enum op_kind);
 * io/workload.c's table is the grammar, this one the semantics. An
 * executor does the work, fills the event record, and returns the
 * simulated cost in ns; control ops (repeat, end, @, sleep) are handled by
 * the stepper itself and cost nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/compiler.h"
#include "core/cpu.h"
#include "core/explain.h"
#include "core/gen.h"
#include "core/sim.h"

static void sim_fail(struct sim *s, const struct op *op, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void sim_fail(struct sim *s, const struct op *op, const char *fmt, ...)
{
	va_list ap;

	s->error.line = op->line;
	s->error.col = op->col;
	va_start(ap, fmt);
	vsnprintf(s->error.msg, sizeof(s->error.msg), fmt, ap);
	va_end(ap);
}

static const char *op_exec_name(const struct op *op);

/* ---- names: open addressing, linear probing, keyed by (id, index) ---- */

static uint64_t name_key(const struct proc *p, const struct name_ref *r)
{
	uint64_t idx = r->indexed ? p->loop[r->depth].index : 0;

	return (((uint64_t)r->id << 32) | (idx & 0xffffffffu)) + 1;
}

static size_t name_slot(const struct proc *p, uint64_t key)
{
	size_t mask = p->names_cap - 1;
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & mask;

	while (p->names[i].key && p->names[i].key != key)
		i = (i + 1) & mask;
	return i;
}

static struct binding *name_lookup(struct proc *p, const struct name_ref *r)
{
	struct binding *b;

	if (!p->names_cap)
		return NULL;
	b = &p->names[name_slot(p, name_key(p, r))];
	return b->key ? b : NULL;
}

static struct binding *name_bind(struct proc *p, const struct name_ref *r)
{
	uint64_t key = name_key(p, r);
	struct binding *b;

	if ((p->names_len + 1) * 4 > p->names_cap * 3) {
		size_t cap = p->names_cap ? p->names_cap * 2 : 64;
		struct binding *old = p->names;
		size_t oldcap = p->names_cap;

		p->names = calloc(cap, sizeof(*p->names));
		if (!p->names) {
			p->names = old;
			return NULL;
		}
		p->names_cap = cap;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].key)
				p->names[name_slot(p, old[i].key)] = old[i];
		free(old);
	}
	b = &p->names[name_slot(p, key)];
	if (!b->key) {
		b->key = key;
		p->names_len++;
	}
	return b;
}

/* "buf[3]" for an indexed name, "A" otherwise. */
static const char *name_text(const struct proc *p, const struct name_ref *r,
			     char *buf, size_t len)
{
	if (r->id == NAME_NONE)
		return "";
	if (r->indexed)
		snprintf(buf, len, "%s[%" PRIu64 "]", p->prog->names[r->id],
			 p->loop[r->depth].index);
	else
		snprintf(buf, len, "%s", p->prog->names[r->id]);
	return buf;
}

/* ---- executors ---- */

typedef int (*op_exec_fn)(struct sim *s, struct proc *p, const struct op *op,
			  struct sim_event *ev, uint64_t *cost);

static int exec_kalloc(struct sim *s, struct proc *p, const struct op *op,
		       struct sim_event *ev, uint64_t *cost)
{
	struct binding *b = name_lookup(p, &op->def);
	uint64_t pfn;
	unsigned order;
	int rc;

	if (b && b->live) {
		char nb[160];

		sim_fail(s, op, "kalloc: '%s' still holds a live block (kfree it first)",
			 name_text(p, &op->def, nb, sizeof(nb)));
		return SIM_EWORKLOAD;
	}
	if (op->arg[0] == 0) {
		sim_fail(s, op, "kalloc: size 0");
		return SIM_EWORKLOAD;
	}
	s->stats.kalloc++;
	*cost = s->cfg->cost_kalloc_ns;
	s->stats.kalloc_time_ns += *cost;
	ev->size_bytes = op->arg[0];
	rc = buddy_alloc_bytes(&s->zone, op->arg[0], (uint32_t)(p - s->procs) + 1,
			       &pfn, &order);
	ev->result = rc;
	if (rc == -EINVAL) {
		sim_fail(s, op, "kalloc: %" PRIu64 " bytes is larger than the largest block (%" PRIu64 " bytes)",
			 op->arg[0], s->zone.page_size << s->zone.max_order);
		return SIM_EWORKLOAD;
	}
	if (rc) {
		/* exhaustion is an outcome: counted, the name stays unbound */
		s->stats.kalloc_fail++;
		return 0;
	}
	b = name_bind(p, &op->def);
	if (!b)
		return SIM_ENOMEM;
	b->kind = BIND_BLOCK;
	b->value = pfn;
	b->size = op->arg[0];
	b->live = true;
	ev->order = (int)order;
	ev->addr = pfn << s->zone.page_shift;
	ev->has_addr = true;
	return 0;
}

static int exec_kfree(struct sim *s, struct proc *p, const struct op *op,
		      struct sim_event *ev, uint64_t *cost)
{
	struct binding *b = name_lookup(p, &op->ref);
	struct buddy_block info;
	char nb[160];

	if (!b || b->kind != BIND_BLOCK) {
		sim_fail(s, op, "kfree: '%s' holds no block (its kalloc failed or never ran)",
			 name_text(p, &op->ref, nb, sizeof(nb)));
		return SIM_EWORKLOAD;
	}
	if (!b->live) {
		sim_fail(s, op, "kfree: '%s' was already freed",
			 name_text(p, &op->ref, nb, sizeof(nb)));
		return SIM_EWORKLOAD;
	}
	if (buddy_block_info(&s->zone, b->value, &info) == 0)
		ev->order = (int)info.order;
	ev->size_bytes = b->size;
	ev->addr = b->value << s->zone.page_shift;
	ev->has_addr = true;
	ev->result = buddy_free(&s->zone, b->value);
	SIM_BUG_ON(ev->result, "kfree of live binding pfn %" PRIu64 " failed", b->value);
	b->live = false;
	s->stats.kfree++;
	*cost = s->cfg->cost_kfree_ns;
	s->stats.kalloc_time_ns += *cost;
	return 0;
}

static int exec_dump(struct sim *s, struct proc *p, const struct op *op,
		     struct sim_event *ev, uint64_t *cost)
{
	(void)ev;
	*cost = 0;
	if (!s->dump_out)
		return 0;
	switch (op->arg[0]) {
	case DUMP_BUDDYINFO:
		buddy_print_buddyinfo(&s->zone, s->dump_out);
		break;
	case DUMP_FRAGINDEX:
		buddy_print_unusable_index(&s->zone, s->dump_out);
		buddy_print_extfrag_index(&s->zone, s->dump_out);
		break;
	case DUMP_MAPS:
		mm_print_maps(p->mm, s->dump_out);
		break;
	case DUMP_SLABINFO: {
		const struct slab_cache *caches[] = {
			&s->slab_task, &s->slab_mm, &s->slab_vma,
		};

		slab_print_slabinfo(caches, s->slab ? 3 : 0, s->dump_out);
		break;
	}
	}
	return 0;
}

/* ---- address-space operations (mm/) ---- */

/*
 * Resolves an address operand: a number, or NAME[+OFF] of a live mapping.
 * *size gets the bound size left after OFF (0 for a number).
 */
static int resolve_addr(struct sim *s, struct proc *p, const struct op *op,
			uint64_t *addr, uint64_t *size)
{
	struct binding *b;
	char nb[160];

	*size = 0;
	if (op->addr.name.id == NAME_NONE) {
		*addr = op->addr.value;
		return 0;
	}
	b = name_lookup(p, &op->addr.name);
	if (!b || b->kind != BIND_ADDR || !b->live) {
		sim_fail(s, op, "%s: '%s' holds no mapping (its mmap failed, or it was unmapped)",
			 op_exec_name(op), name_text(p, &op->addr.name, nb, sizeof(nb)));
		return SIM_EWORKLOAD;
	}
	*addr = b->value + op->addr.value;
	*size = op->addr.value < b->size ? b->size - op->addr.value : 0;
	return 0;
}

static void count_syscall(struct sim *s, struct sim_event *ev, long long rc,
			  uint64_t *cost)
{
	s->stats.syscalls++;
	if (rc < 0)
		s->stats.syscall_errors++;
	*cost = s->cfg->cost_syscall_ns + s->cfg->cost_vma_op_ns;
	s->stats.syscall_time_ns += *cost;
	ev->result = rc;
}

static struct mm_file *sim_file(struct sim *s, const char *path)
{
	for (unsigned i = 0; i < s->nr_files; i++)
		if (s->files[i].path == path)
			return s->files[i].file;
	if (s->nr_files == s->cap_files) {
		unsigned cap = s->cap_files ? s->cap_files * 2 : 8;
		struct sim_file *f = realloc(s->files, cap * sizeof(*f));

		if (!f)
			return NULL;
		s->files = f;
		s->cap_files = cap;
	}
	/* one open file per path; inode numbers in order of first use */
	s->files[s->nr_files].path = path;
	s->files[s->nr_files].file = mm_file_new(path, 0, 0, s->nr_files + 1,
						 MM_FILE_READ | MM_FILE_WRITE);
	return s->files[s->nr_files++].file;
}

static int exec_mmap(struct sim *s, struct proc *p, const struct op *op,
		     struct sim_event *ev, uint64_t *cost)
{
	struct mm_file *file = NULL;
	struct binding *b;
	uint64_t addr = 0, size, out = 0;
	int rc;

	if (!op->addr.any && (rc = resolve_addr(s, p, op, &addr, &size)))
		return rc;
	if (op->path && !(file = sim_file(s, op->path)))
		return SIM_ENOMEM;
	rc = mm_mmap(p->mm, addr, op->arg[0], (int)op->arg[1], (int)op->arg[2],
		     file, op->arg[3], &out);
	count_syscall(s, ev, rc ? rc : (long long)out, cost);
	ev->size_bytes = op->arg[0];
	if (rc)
		return 0;
	ev->addr = out;
	ev->has_addr = true;
	s->mmap_slack_bytes += -op->arg[0] & (s->cfg->page_size - 1);
	b = name_bind(p, &op->def);
	if (!b)
		return SIM_ENOMEM;
	*b = (struct binding){ b->key, out, op->arg[0], BIND_ADDR, true };
	return 0;
}

/* munmap and mprotect: ADDR [LEN], LEN defaulting to the named size. */
static int range_args(struct sim *s, struct proc *p, const struct op *op,
		      uint64_t *addr, uint64_t *len)
{
	uint64_t size;
	int rc = resolve_addr(s, p, op, addr, &size);

	if (rc)
		return rc;
	*len = op->arg[0] ? op->arg[0] : size;
	if (!*len && op->addr.name.id == NAME_NONE) {
		sim_fail(s, op, "%s: a plain address needs a length", op_exec_name(op));
		return SIM_EWORKLOAD;
	}
	return 0;
}

static int exec_munmap(struct sim *s, struct proc *p, const struct op *op,
		       struct sim_event *ev, uint64_t *cost)
{
	uint64_t addr, len;
	int rc = range_args(s, p, op, &addr, &len);

	if (rc)
		return rc;
	rc = mm_munmap(p->mm, addr, len);
	count_syscall(s, ev, rc, cost);
	ev->addr = addr;
	ev->has_addr = true;
	ev->size_bytes = len;
	/* unmapping a whole named mapping ends the name's life */
	if (!rc && op->addr.name.id != NAME_NONE && !op->addr.value) {
		struct binding *b = name_lookup(p, &op->addr.name);

		if (b && len >= b->size)
			b->live = false;
	}
	return 0;
}

static int exec_mprotect(struct sim *s, struct proc *p, const struct op *op,
			 struct sim_event *ev, uint64_t *cost)
{
	uint64_t addr, len;
	int rc = range_args(s, p, op, &addr, &len);

	if (rc)
		return rc;
	rc = mm_mprotect(p->mm, addr, len, (int)op->arg[1]);
	count_syscall(s, ev, rc, cost);
	ev->addr = addr;
	ev->has_addr = true;
	ev->size_bytes = len;
	return 0;
}

static int set_break(struct sim *s, struct proc *p, const struct op *op,
		     struct sim_event *ev, uint64_t *cost, uint64_t want)
{
	uint64_t old = mm_cur_brk(p->mm), got = old;
	struct binding *b;

	mm_brk(p->mm, want, &got);
	/* brk cannot fail; a refused request leaves the old break */
	count_syscall(s, ev, got == want ? (long long)got : -ENOMEM, cost);
	ev->addr = got;
	ev->has_addr = true;
	ev->size_bytes = want > old ? want - old : old - want;
	if (op->def.id == NAME_NONE || got != want)
		return 0;
	b = name_bind(p, &op->def);
	if (!b)
		return SIM_ENOMEM;
	/* sbrk's value is the old break: the start of the new memory */
	*b = (struct binding){ b->key, op->kind == OP_SBRK ? old : got,
			       want > old ? want - old : 0, BIND_ADDR, true };
	return 0;
}

static int exec_brk(struct sim *s, struct proc *p, const struct op *op,
		    struct sim_event *ev, uint64_t *cost)
{
	uint64_t addr, size;
	int rc = resolve_addr(s, p, op, &addr, &size);

	return rc ? rc : set_break(s, p, op, ev, cost, addr);
}

static int exec_sbrk(struct sim *s, struct proc *p, const struct op *op,
		     struct sim_event *ev, uint64_t *cost)
{
	uint64_t old = mm_cur_brk(p->mm);

	return set_break(s, p, op, ev, cost, old + op->arg[0]);
}

/* ---- memory accesses (the translation path, core/cpu.c) ---- */

static const enum pt_access op_access[] = {
	[OP_READ] = PT_READ, [OP_WRITE] = PT_WRITE, [OP_EXEC] = PT_EXEC,
};

/*
 * What an access that did not translate does to its process: a SIGSEGV
 * kills it (segv = kill) or is skipped; out of memory kills it. A killed
 * process gives back its memory, as exit does, and runs no further op.
 */
static void access_failed(struct sim *s, struct proc *p, enum cpu_result r,
			  struct sim_event *ev)
{
	ev->result = r == CPU_OOM ? -ENOMEM : -EFAULT;
	if (r == CPU_SEGV && s->cfg->segv == CFG_SEGV_SKIP)
		return;
	if (r == CPU_OOM && p->killed)
		return;         /* the OOM killer chose this process: it is gone */
	if (r == CPU_OOM) {
		/* nothing holds a page to free (the kernel's blocks fill memory) */
		s->stats.oom_kills++;
		p->oom_killed = true;
	}
	p->killed = true;
	sim_proc_exit(s, (unsigned)(p - s->procs));
}

/*
 * Linux's out_of_memory(): no frame is left for a fault, so the process
 * with the largest RSS is killed and its memory freed (oom_kills, and an
 * "oom_kill" event naming it). Returns the victim's index, or -1 when no
 * process holds a page (the fault cannot be served at all).
 */
static int oom_kill(struct sim *s)
{
	uint64_t best = 0;
	int victim = -1;

	for (unsigned i = 0; i < s->nr_procs; i++) {
		uint64_t rss = s->procs[i].mm ? mm_rss_pages(s->procs[i].mm) : 0;

		if (rss > best) {
			best = rss;
			victim = (int)i;
		}
	}
	if (victim < 0)
		return -1;
	s->stats.oom_kills++;
	s->procs[victim].killed = true;
	s->procs[victim].oom_killed = true;
	if (s->hooks.event) {
		struct sim_event ev = {
			.time_ns = s->now, .op = "oom_kill", .pid = (unsigned)victim + 1,
			.name = s->procs[victim].name, .order = -1,
			.size_bytes = best * s->cfg->page_size,
		};

		s->hooks.event(s->hooks.ctx, s, &ev);
	}
	sim_proc_exit(s, (unsigned)victim);
	return victim;
}

/*
 * The logical -> linear step: an address with a segment goes through the
 * process's descriptor table (user mode); a fault there is a SIGSEGV.
 */
static enum cpu_result segment_step(struct sim *s, struct proc *p,
				    unsigned seg, uint64_t offset,
				    enum pt_access a, uint64_t *linear)
{
	if (!seg) {
		*linear = offset;
		return CPU_OK;
	}
	if (seg_translate(&p->seg, seg, offset, a, 3, linear) == SEG_OK)
		return CPU_OK;
	s->stats.accesses++;
	s->stats.sigsegv++;
	s->stats.seg_faults++;
	return CPU_SEGV;
}

/* One user access at a logical address: segments, then the MMU. */
static enum cpu_result user_access(struct sim *s, struct proc *p,
				   unsigned seg, uint64_t addr, enum pt_access a,
				   uint64_t *cost)
{
	uint64_t linear;
	enum cpu_result r = segment_step(s, p, seg, addr, a, &linear);
	unsigned idx = (unsigned)(p - s->procs);
	int victim;

	uint64_t accesses = s->stats.accesses;

	if (r != CPU_OK)
		return r;
	r = cpu_access(s, idx, linear, a, cost);
	/* out of frames: the OOM killer frees some, then the access retries */
	while (r == CPU_OOM) {
		victim = oom_kill(s);
		if (victim < 0 || (unsigned)victim == idx)
			break;
		r = cpu_access(s, idx, linear, a, cost);
	}
	s->stats.accesses = accesses + 1;       /* one access, however often tried */
	return r;
}

static int exec_access1(struct sim *s, struct proc *p, const struct op *op,
			struct sim_event *ev, uint64_t *cost)
{
	uint64_t addr, size;
	enum cpu_result r;
	int rc = resolve_addr(s, p, op, &addr, &size);

	if (rc)
		return rc;
	*cost = 0;
	ev->addr = addr;
	ev->has_addr = true;
	ev->size_bytes = 1;
	r = user_access(s, p, op->addr.seg, addr, op_access[op->kind], cost);
	if (r != CPU_OK)
		access_failed(s, p, r, ev);
	return 0;
}

/*
 * access MODE PATTERN ADDR LEN COUNT [STEP]: COUNT accesses to items of
 * STEP bytes (8 by default) of [ADDR, ADDR+LEN), in the pattern's order.
 * arg[0] mode, arg[1] pattern, arg[2] len, arg[3] count, arg[4] step.
 */
static int exec_access(struct sim *s, struct proc *p, const struct op *op,
		       struct sim_event *ev, uint64_t *cost)
{
	uint64_t addr, size, step = op->arg[4] ? op->arg[4] : 8;
	enum pt_access a = (enum pt_access)op->arg[0];
	struct gen g;
	int rc = resolve_addr(s, p, op, &addr, &size);

	if (rc)
		return rc;
	if (op->arg[2] < step) {
		sim_fail(s, op, "access: the region (%" PRIu64 " bytes) is smaller"
			 " than one step (%" PRIu64 ")", op->arg[2], step);
		return SIM_EWORKLOAD;
	}
	gen_init(&g, (enum gen_pattern)op->arg[1], op->arg[2] / step,
		 gen_rand(&p->rng));
	*cost = 0;
	ev->addr = addr;
	ev->has_addr = true;
	ev->size_bytes = op->arg[2];
	for (uint64_t i = 0; i < op->arg[3]; i++) {
		enum cpu_result r = user_access(s, p, op->addr.seg,
						addr + gen_next(&g) * step, a,
						cost);

		if (r != CPU_OK) {
			access_failed(s, p, r, ev);
			if (p->killed)
				break;
		}
	}
	return 0;
}

static int exec_explain(struct sim *s, struct proc *p, const struct op *op,
			struct sim_event *ev, uint64_t *cost)
{
	uint64_t addr, size;
	int rc = resolve_addr(s, p, op, &addr, &size);

	if (rc)
		return rc;
	*cost = 0;
	ev->addr = addr;
	ev->has_addr = true;
	if (s->dump_out)
		explain_translation(s, (unsigned)(p - s->procs), op->addr.seg,
				    addr, (enum pt_access)op->arg[0], s->dump_out);
	return 0;
}

/*
 * segment SEG BASE SIZE TYPE: code and data segments cover [BASE,
 * BASE+SIZE); a stack segment is expand-down with its top at BASE, so its
 * offsets are the SIZE bytes below 2^va_bits (the negative offsets of the
 * textbook picture) and its linear addresses [BASE-SIZE, BASE).
 */
static int exec_segment(struct sim *s, struct proc *p, const struct op *op,
			struct sim_event *ev, uint64_t *cost)
{
	uint64_t max = p->seg.max, size = op->arg[2];
	unsigned type = (unsigned)(op->arg[3] & ~(uint64_t)SEGMENT_READ_ONLY);
	struct seg_desc d = {
		.base = op->arg[1], .type = (enum seg_type)type, .dpl = 3,
		.present = true, .writable = !(op->arg[3] & SEGMENT_READ_ONLY),
	};

	*cost = 0;
	ev->addr = op->arg[1];
	ev->has_addr = true;
	ev->size_bytes = size;
	if (s->cfg->segmentation != CFG_SEG_SEGMENTED) {
		sim_fail(s, op, "segment: the machine is flat (set segmentation=segmented)");
		return SIM_EWORKLOAD;
	}
	if (!size || size - 1 > max || d.base > max ||
	    (type == SEG_TYPE_STACK && size > d.base)) {
		sim_fail(s, op, "segment: %" PRIu64 " bytes at 0x%" PRIx64
			 " do not fit a %u-bit linear space", size, d.base,
			 p->seg.va_bits);
		return SIM_EWORKLOAD;
	}
	d.limit = type == SEG_TYPE_STACK ? max - size : size - 1;
	if (seg_set(&p->seg, (unsigned)op->arg[0], &d)) {
		sim_fail(s, op, "segment: cannot install the descriptor");
		return SIM_EWORKLOAD;
	}
	p->seg.segmented = true;
	return 0;
}

/* ---- processes ---- */

#define PROC_NEW_NOMEM (-2)

static int proc_new(struct sim *s, const struct program *prog, const char *name,
		    unsigned parent);

/*
 * fork NAME { ... }: the child is a copy of the caller (address space with
 * its pages shared copy-on-write, bindings, loop counters) that runs the
 * block; the caller goes on after it. arg[1] is the block's OP_END.
 */
static int exec_fork(struct sim *s, struct proc *p, const struct op *op,
		     struct sim_event *ev, uint64_t *cost)
{
	unsigned pidx = (unsigned)(p - s->procs);
	struct proc *parent, *child;
	int idx = proc_new(s, p->prog, op->path, pidx + 1), err;

	*cost = s->cfg->cost_syscall_ns;
	if (idx == PROC_NEW_NOMEM) {
		/* no simulated memory for its task_struct: fork fails (ENOMEM) */
		s->stats.syscalls++;
		s->stats.syscall_errors++;
		ev->result = -ENOMEM;
		s->procs[pidx].pc = op->arg[1];
		return 0;
	}
	if (idx < 0)
		return SIM_ENOMEM;
	parent = &s->procs[pidx];       /* proc_new may have moved the array */
	child = &s->procs[idx];
	mm_destroy(child->mm);
	child->mm = NULL;
	err = mm_dup(parent->mm, &child->mm);
	if (!err && parent->has_pt) {
		err = mm_fork_pages(child->mm, parent->mm, (uint32_t)idx + 1);
		child->has_pt = !err || mm_pt(child->mm);
		if (child->has_pt)
			cpu_attach(s, (unsigned)idx);
	}
	if (err) {
		/* no memory for the child: fork fails with ENOMEM */
		sim_proc_exit(s, (unsigned)idx);
		s->stats.syscalls++;
		s->stats.syscall_errors++;
		ev->result = -ENOMEM;
		parent->pc = op->arg[1];
		return 0;
	}
	if (s->cfg->validate)
		mm_set_validate(child->mm, true);
	child->seg = parent->seg;
	child->depth = parent->depth;
	memcpy(child->loop, parent->loop, sizeof(child->loop));
	if (parent->names_cap) {
		child->names = malloc(parent->names_cap * sizeof(*child->names));
		if (!child->names)
			return SIM_ENOMEM;
		memcpy(child->names, parent->names,
		       parent->names_cap * sizeof(*child->names));
		child->names_cap = parent->names_cap;
		child->names_len = parent->names_len;
		/* a kalloc'd block is the kernel's, held by the parent's name */
		for (size_t i = 0; i < child->names_cap; i++)
			if (child->names[i].key && child->names[i].kind == BIND_BLOCK)
				child->names[i] = (struct binding){
					.key = child->names[i].key };
	}
	child->pc = (size_t)(op - parent->prog->ops) + 1;
	s->stats.syscalls++;
	s->stats.forks++;
	ev->result = idx + 1;           /* the child's pid */
	if (evq_push(&s->evq, s->now + *cost, EV_WAKE, (uint64_t)idx))
		return SIM_ENOMEM;
	parent->pc = op->arg[1];        /* proc_step steps past the block */
	return 0;
}

static int exec_exit(struct sim *s, struct proc *p, const struct op *op,
		     struct sim_event *ev, uint64_t *cost)
{
	(void)op;
	(void)ev;
	*cost = s->cfg->cost_syscall_ns;
	sim_proc_exit(s, (unsigned)(p - s->procs));
	return 0;
}

static const struct {
	const char *name;      /* keyword, for events.csv */
	op_exec_fn fn;         /* NULL: control op handled by the stepper */
} op_exec[OP_NR_KINDS] = {
	[OP_KALLOC] = { "kalloc", exec_kalloc },
	[OP_KFREE] = { "kfree", exec_kfree },
	[OP_DUMP] = { "dump", exec_dump },
	[OP_AT] = { "@", NULL },
	[OP_SLEEP] = { "sleep", NULL },
	[OP_REPEAT] = { "repeat", NULL },
	[OP_END] = { "}", NULL },
	[OP_MMAP] = { "mmap", exec_mmap },
	[OP_MUNMAP] = { "munmap", exec_munmap },
	[OP_MPROTECT] = { "mprotect", exec_mprotect },
	[OP_BRK] = { "brk", exec_brk },
	[OP_SBRK] = { "sbrk", exec_sbrk },
	[OP_READ] = { "read", exec_access1 },
	[OP_WRITE] = { "write", exec_access1 },
	[OP_EXEC] = { "exec", exec_access1 },
	[OP_ACCESS] = { "access", exec_access },
	[OP_EXPLAIN] = { "explain", exec_explain },
	[OP_SEGMENT] = { "segment", exec_segment },
	[OP_SPAWN] = { "spawn", NULL },
	[OP_FORK] = { "fork", exec_fork },
	[OP_EXIT] = { "exit", exec_exit },
};

static const char *op_exec_name(const struct op *op)
{
	return op_exec[op->kind].name;
}

/* ---- the machine ---- */

/* The CPUs, caches and zone of a machine sim_init() was building. */
static void sim_destroy_machine(struct sim *s)
{
	for (unsigned i = 0; i < s->nr_cpus; i++)
		tlb_destroy(&s->cpus[i].tlb);
	free(s->cpus);
	s->cpus = NULL;
	s->nr_cpus = 0;
	slab_cache_destroy(&s->slab_vma);
	slab_cache_destroy(&s->slab_mm);
	slab_cache_destroy(&s->slab_task);
	buddy_destroy(&s->zone);
}

int sim_init(struct sim *s, const struct sim_config *cfg)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->dump_out = stdout;
	rc = buddy_init(&s->zone, cfg->memory_size, cfg->page_size, cfg->max_order);
	if (rc)
		return rc;
	if (cfg->validate)
		buddy_set_validate(&s->zone, 1);
	rc = pt_geometry_init(&s->geom, cfg->va_bits, cfg->page_size,
			      cfg->pte_size, cfg->pt_levels);
	if (!rc) {
		struct tlb_params tp;

		rc = tlb_params_init(&tp, cfg->tlb_entries, cfg->tlb_ways,
				     cfg->tlb2_entries, cfg->tlb2_ways, cfg->asid);
		s->cpus = rc ? NULL : calloc(cfg->cpus ? cfg->cpus : 1, sizeof(*s->cpus));
		if (!rc && !s->cpus)
			rc = -ENOMEM;
		for (unsigned i = 0; !rc && i < (cfg->cpus ? cfg->cpus : 1); i++) {
			rc = tlb_init(&s->cpus[i].tlb, &tp);
			if (!rc)
				s->nr_cpus++;
		}
	}
	if (rc) {
		sim_destroy_machine(s);
		return rc;
	}
	if (cfg->slab) {
		/* sizes and, by slab_cache_init's rule, slab geometry of Linux 6.18 x86-64 */
		rc = slab_cache_init(&s->slab_vma, "vm_area_struct", 192, &s->zone, 0);
		if (!rc)
			rc = slab_cache_init(&s->slab_mm, "mm_struct", 1600, &s->zone, 0);
		if (!rc)
			rc = slab_cache_init(&s->slab_task, "task_struct", 5824, &s->zone, 0);
		if (rc) {
			sim_destroy_machine(s);
			return rc;
		}
		s->slab = true;
	}
	evq_init(&s->evq);
	sim_update_stats(s);
	return 0;
}

void sim_destroy(struct sim *s)
{
	for (unsigned i = 0; i < s->nr_procs; i++) {
		free(s->procs[i].names);
		mm_destroy(s->procs[i].mm);
	}
	free(s->procs);
	for (unsigned i = 0; i < s->nr_files; i++)
		mm_file_put(s->files[i].file);
	free(s->files);
	evq_destroy(&s->evq);
	free(s->runq);
	sim_destroy_machine(s);
	memset(s, 0, sizeof(*s));
}

void sim_mm_params(const struct sim_config *cfg, struct mm_params *p)
{
	mm_params_default(p);
	p->page_size = cfg->page_size;
	p->task_size = cfg->task_size;
	p->mmap_min_addr = cfg->mmap_min_addr;
	p->stack_rlimit = cfg->stack_rlimit;
	p->stack_guard_gap = cfg->stack_guard_gap;
	p->mmap_base = cfg->mmap_base;
	p->legacy_layout = cfg->mmap_layout == CFG_LAYOUT_LEGACY;
	p->max_map_count = cfg->max_map_count;
	p->address_space_limit = cfg->address_space_limit;
}

uint64_t sim_default_start_brk(const struct sim_config *cfg)
{
	uint64_t mask = cfg->page_size - 1;

	return (cfg->task_size / 3 * 2 + mask) & ~mask;
}

/*
 * A new process (index returned): empty address space, flat segments.
 * -1 when the host is out of memory; PROC_NEW_NOMEM when the simulated
 * machine has no memory for its task_struct or mm_struct.
 */
static int proc_new(struct sim *s, const struct program *prog, const char *name,
		    unsigned parent)
{
	struct mm_params mp;
	struct proc *p;
	uint64_t brk;

	if (s->nr_procs == s->cap_procs) {
		unsigned cap = s->cap_procs ? s->cap_procs * 2 : 4;
		struct proc *procs = realloc(s->procs, cap * sizeof(*procs));

		if (!procs)
			return -1;
		s->procs = procs;
		s->cap_procs = cap;
	}
	p = &s->procs[s->nr_procs];
	memset(p, 0, sizeof(*p));
	p->prog = prog;
	p->name = name;
	p->parent = parent;
	sim_mm_params(s->cfg, &mp);
	if (s->slab) {
		/* the kernel's task_struct and mm_struct */
		if (slab_alloc(&s->slab_task, &p->task_obj))
			return PROC_NEW_NOMEM;
		if (slab_alloc(&s->slab_mm, &p->mm_obj)) {
			slab_free(&s->slab_task, p->task_obj);
			return PROC_NEW_NOMEM;
		}
	}
	if (mm_create(&mp, &p->mm)) {
		if (s->slab) {
			slab_free(&s->slab_task, p->task_obj);
			slab_free(&s->slab_mm, p->mm_obj);
		}
		return -1;
	}
	if (s->slab)
		mm_set_slab(p->mm, &s->slab_vma);
	seg_table_init_flat(&p->seg, s->cfg->va_bits);
	p->rng = s->cfg->seed ^ (0x9e3779b97f4a7c15ULL * (s->nr_procs + 1));
	brk = sim_default_start_brk(s->cfg);
	mm_set_brk(p->mm, brk, brk);
	if (s->cfg->validate)
		mm_set_validate(p->mm, true);
	s->nr_running++;
	return (int)s->nr_procs++;
}

/*
 * The address space exec gives a program of text, data and bss bytes
 * (Linux's load_elf_binary for a PIE, without randomization): the text
 * (r-x, the program's file) at ELF_ET_DYN_BASE, two thirds of user space;
 * the data (rw-, the file at the text's length) after it; the bss
 * (anonymous rw-) after that; the heap from the page after the bss; and
 * a [stack] VMA of stack bytes (growing down) ending at task_size.
 */
static int layout(struct sim *s, struct proc *p, const struct op *op)
{
	uint64_t mask = s->cfg->page_size - 1, text = (op->arg[2] + mask) & ~mask;
	uint64_t data = (op->arg[3] + mask) & ~mask, bss = (op->arg[4] + mask) & ~mask;
	uint64_t stack = (op->arg[5] + mask) & ~mask;
	uint64_t base = sim_default_start_brk(s->cfg), at = base, brk;
	struct mm_file *file = sim_file(s, op->path);
	struct mm_vma_desc d;
	int err = 0;

	if (!file)
		return -ENOMEM;
	if (text + data + bss > s->cfg->task_size - base ||
	    stack > s->cfg->task_size - base - text - data - bss) {
		sim_fail(s, op, "spawn %s: %" PRIu64 " bytes of text, data and bss from"
			 " 0x%" PRIx64 " and a %" PRIu64 "-byte stack do not fit below"
			 " task_size 0x%" PRIx64, op->path, text + data + bss, base,
			 stack, s->cfg->task_size);
		return SIM_EWORKLOAD;
	}
	if (text) {
		d = (struct mm_vma_desc){ .start = at, .end = at + text,
			.prot = PROT_READ | PROT_EXEC, .file = file };
		err = mm_import_vma(p->mm, &d);
		at += text;
	}
	if (!err && data) {
		d = (struct mm_vma_desc){ .start = at, .end = at + data,
			.prot = PROT_READ | PROT_WRITE, .offset = text, .file = file };
		err = mm_import_vma(p->mm, &d);
		at += data;
	}
	if (!err && bss) {
		d = (struct mm_vma_desc){ .start = at, .end = at + bss,
			.prot = PROT_READ | PROT_WRITE };
		err = mm_import_vma(p->mm, &d);
		at += bss;
	}
	brk = at;
	if (!err)
		mm_set_brk(p->mm, brk, brk);
	if (!err && stack) {
		d = (struct mm_vma_desc){ .start = s->cfg->task_size - stack,
			.end = s->cfg->task_size, .prot = PROT_READ | PROT_WRITE,
			.name = "[stack]" };
		err = mm_import_vma(p->mm, &d);
	}
	/*
	 * Segmented mode, as teaching texts draw a process: cs over the
	 * text, ds from the data up to where the stack may grow (data, bss,
	 * heap and the mmap area), ss the expand-down stack of stack_rlimit
	 * bytes (or what is left) with its top at task_size.
	 */
	if (!err && text && stack && s->cfg->segmentation == CFG_SEG_SEGMENTED) {
		uint64_t top = s->cfg->task_size, room = top - (base + text);
		uint64_t ss = s->cfg->stack_rlimit < room / 2 ? s->cfg->stack_rlimit : room / 2;

		err = seg_table_init_segmented(&p->seg, s->cfg->va_bits, base, text,
					       base + text, room - ss, top, ss);
	}
	return err;
}

int sim_add_process(struct sim *s, const struct program *prog)
{
	bool spawns = false, others = false;
	int idx, err;

	for (size_t i = 0; i < prog->nr_ops; i++)
		if (prog->ops[i].kind == OP_SPAWN || prog->ops[i].kind == OP_FORK)
			s->multiprocess = true;
	for (size_t i = 0; i < prog->nr_ops; i++) {
		if (prog->ops[i].kind == OP_SPAWN) {
			spawns = true;
			i = prog->ops[i].arg[1];        /* its OP_END */
		} else {
			others = true;
		}
	}
	if (others || !spawns) {
		idx = proc_new(s, prog, "main", 0);
		if (idx < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < prog->nr_ops; i++) {
		const struct op *op = &prog->ops[i];

		if (op->kind != OP_SPAWN)
			continue;
		idx = proc_new(s, prog, op->path, 0);
		if (idx == PROC_NEW_NOMEM) {
			sim_fail(s, op, "spawn %s: no memory left for its task_struct and "
				 "mm_struct (memory_size %" PRIu64 ")", op->path,
				 s->cfg->memory_size);
			return SIM_EWORKLOAD;
		}
		if (idx < 0)
			return -ENOMEM;
		s->procs[idx].pc = i + 1;
		err = layout(s, &s->procs[idx], op);
		if (err == SIM_EWORKLOAD)
			return err;
		if (err)
			return -ENOMEM;
		i = op->arg[1];
	}
	return 0;
}

void sim_proc_exit(struct sim *s, unsigned idx)
{
	struct proc *p = &s->procs[idx];

	if (p->exited)
		return;
	p->exited = true;
	s->stats.exits++;
	if (!p->done) {
		p->done = true;
		p->end_ns = s->now;
		s->nr_running--;
	}
	cpu_forget(s, idx);
	mm_destroy(p->mm);
	p->mm = NULL;
	p->has_pt = false;
	if (s->slab) {
		slab_free(&s->slab_task, p->task_obj);
		slab_free(&s->slab_mm, p->mm_obj);
	}
}

void sim_proc_stats(const struct sim *s, unsigned idx, struct stats *out)
{
	const struct proc *p = &s->procs[idx];

	*out = p->st;
	for (unsigned i = 0; i < stats_nr_fields; i++)
		if (stats_fields[i].scope != STATS_FLOW)
			*(uint64_t *)((char *)out + stats_fields[i].offset) = 0;
	out->sim_time_ns = p->done ? p->end_ns : s->now;
	/* its own end, not the op that caused it (another's OOM kill) */
	out->exits = p->exited;
	out->oom_kills = p->oom_killed;
	if (p->mm) {
		out->nr_vmas = mm_nr_vmas(p->mm);
		out->total_vm_pages = mm_counters(p->mm)->total_vm;
		out->rss_pages = mm_rss_pages(p->mm);
		if (mm_pt(p->mm))
			out->nr_page_table_pages = pt_nr_table_pages(mm_pt(p->mm));
		out->page_table_bytes = out->nr_page_table_pages * s->cfg->page_size;
	}
}

void sim_sample(struct sim *s)
{
	sim_update_stats(s);
	s->hooks.sample(s->hooks.ctx, s);
	s->last_sample_ns = s->now;
}

void sim_update_stats(struct sim *s)
{
	const struct buddy_stats *b = &s->zone.stats;

	s->stats.sim_time_ns = s->now;
	s->stats.pgalloc = b->pgalloc;
	s->stats.pgfree = b->pgfree;
	s->stats.nr_free_pages = s->zone.nr_free_pages;
	s->stats.nr_alloc_pages = buddy_nr_alloc_pages(&s->zone);
	s->stats.requested_bytes = b->requested_bytes;
	s->stats.internal_frag_bytes = b->internal_frag_bytes;
	s->stats.nr_vmas = 0;
	s->stats.total_vm_pages = 0;
	s->stats.rss_pages = 0;
	s->stats.nr_page_table_pages = 0;
	s->stats.vm_internal_frag_bytes = s->mmap_slack_bytes;
	for (unsigned i = 0; i < s->nr_procs; i++) {
		struct mm_struct *mm = s->procs[i].mm;

		if (!mm)
			continue;
		s->stats.vm_internal_frag_bytes += -mm_cur_brk(mm) & (s->cfg->page_size - 1);
		s->stats.nr_vmas += mm_nr_vmas(mm);
		s->stats.total_vm_pages += mm_counters(mm)->total_vm;
		s->stats.rss_pages += mm_rss_pages(mm);
		if (mm_pt(mm))
			s->stats.nr_page_table_pages += pt_nr_table_pages(mm_pt(mm));
	}
	s->stats.page_table_bytes = s->stats.nr_page_table_pages * s->cfg->page_size;
	s->stats.slab_bytes = s->slab ? slab_cache_bytes(&s->slab_vma) +
		slab_cache_bytes(&s->slab_mm) + slab_cache_bytes(&s->slab_task) : 0;
}

/*
 * Advances p past control ops to its next real op. Returns the time the
 * op may start (>= now), or UINT64_MAX when the program has ended.
 */
static uint64_t proc_advance(struct sim *s, struct proc *p)
{
	const struct program *prog = p->prog;
	uint64_t when = s->now;

	while (p->pc < prog->nr_ops) {
		const struct op *op = &prog->ops[p->pc];
		struct loop_frame *f;

		switch (op->kind) {
		case OP_REPEAT:
			if (op->arg[0] == 0) {
				p->pc = op->arg[1] + 1;
				break;
			}
			SIM_BUG_ON(p->depth == SIM_MAX_DEPTH, "loop nesting overflow");
			p->loop[p->depth++] = (struct loop_frame){ 0, op->arg[0], p->pc };
			p->pc++;
			break;
		case OP_SPAWN:
			p->pc = op->arg[1] + 1;         /* another process's */
			break;
		case OP_END:
			if (prog->ops[op->arg[1]].kind != OP_REPEAT)
				return UINT64_MAX;      /* its fork or spawn block */
			f = &p->loop[p->depth - 1];
			if (++f->index < f->count) {
				p->pc = f->start + 1;
			} else {
				p->depth--;
				p->pc++;
			}
			break;
		case OP_AT:
			p->pc++;
			if (op->arg[0] > when)
				return op->arg[0];
			break;
		case OP_SLEEP:
			p->pc++;
			return when + op->arg[0];
		default:
			return when;
		}
	}
	return UINT64_MAX;
}

/* ---- the scheduler ---- */

static int rq_push(struct sim *s, unsigned idx)
{
	if (s->rq_len == s->rq_cap) {
		unsigned cap = s->rq_cap ? s->rq_cap * 2 : 16;
		unsigned *q = malloc(cap * sizeof(*q));

		if (!q)
			return SIM_ENOMEM;
		for (unsigned i = 0; i < s->rq_len; i++)
			q[i] = s->runq[(s->rq_head + i) % s->rq_cap];
		free(s->runq);
		s->runq = q;
		s->rq_cap = cap;
		s->rq_head = 0;
	}
	s->runq[(s->rq_head + s->rq_len++) % s->rq_cap] = idx;
	return SIM_OK;
}

/*
 * The policy: which waiting process a free CPU takes (the head of the
 * FIFO for both policies), and whether a running one gives way at the end
 * of an op (rr: its slice is over and someone waits; fifo: never).
 */
static int sched_pick(struct sim *s)
{
	while (s->rq_len) {
		unsigned idx = s->runq[s->rq_head];

		s->rq_head = (s->rq_head + 1) % s->rq_cap;
		s->rq_len--;
		if (!s->procs[idx].done)
			return (int)idx;
	}
	return -1;
}

static bool sched_preempt(const struct sim *s, const struct proc *p)
{
	return s->cfg->sched == CFG_SCHED_RR && s->rq_len && s->now >= p->slice_end;
}

/*
 * Process idx starts on CPU cpu now: a context switch (its cost, counted)
 * unless the CPU last ran this very process; its first op runs when the
 * switch is done.
 */
static int dispatch(struct sim *s, unsigned cpu, unsigned idx)
{
	struct sim_cpu *c = &s->cpus[cpu];
	struct proc *p = &s->procs[idx];
	uint64_t cost = 0;

	if (c->last && c->last != idx + 1) {
		cost = s->cfg->cost_context_switch_ns;
		s->stats.context_switches++;
		p->st.context_switches++;
	}
	c->cur = c->last = idx + 1;
	cpu_switch_in(s, cpu, idx);
	p->slice_end = s->now + cost + s->cfg->time_slice_ns;
	return evq_push(&s->evq, s->now + cost, EV_PROC_STEP, idx) ? SIM_ENOMEM : SIM_OK;
}

/* CPU cpu is free now: the next waiting process, or idle. */
static int cpu_release(struct sim *s, unsigned cpu)
{
	int next = sched_pick(s);

	s->cpus[cpu].cur = 0;
	return next < 0 ? SIM_OK : dispatch(s, cpu, (unsigned)next);
}

/* Process p leaves its CPU now (it sleeps, ended or gives way). */
static int leave_cpu(struct sim *s, struct proc *p)
{
	unsigned cpu = p->cpu - 1;

	p->cpu = 0;
	return cpu_release(s, cpu);
}

/*
 * Process idx is runnable: an idle CPU takes it, the one it ran on last
 * if that is idle (its TLB may still hold its entries), else one that has
 * run nothing yet, else the first idle one; with none idle it waits.
 */
static int wake(struct sim *s, unsigned idx)
{
	int best = -1, fresh = -1;

	if (s->procs[idx].done)
		return SIM_OK;
	for (unsigned i = 0; i < s->nr_cpus; i++) {
		if (s->cpus[i].cur)
			continue;
		if (s->cpus[i].last == idx + 1) {
			fresh = best = (int)i;
			break;
		}
		if (fresh < 0 && !s->cpus[i].last)
			fresh = (int)i;
		if (best < 0)
			best = (int)i;
	}
	if (fresh >= 0)
		best = fresh;
	if (best >= 0)
		return dispatch(s, (unsigned)best, idx);
	return rq_push(s, idx);
}

static int proc_step(struct sim *s, unsigned idx)
{
	struct proc *p = &s->procs[idx];
	const struct op *op;
	struct sim_event ev;
	struct stats before;
	char nb[160];
	uint64_t cost = 0, when;
	int rc;

	if (p->done) {
		/* killed by another process's fault while it ran here */
		if (p->cpu && s->cpus[p->cpu - 1].cur == idx + 1)
			return leave_cpu(s, p);
		return SIM_OK;
	}
	/*
	 * The event fires when the op at pc may start. That op may itself be
	 * a control op (a sleep or `@` ended the last advance right before
	 * another one, a `}` or a repeat): run those now, and come back
	 * later if they wait.
	 */
	when = proc_advance(s, p);
	if (when == UINT64_MAX) {
		p->done = true;         /* out of ops: it keeps its memory */
		p->end_ns = s->now;
		s->nr_running--;
		return leave_cpu(s, p);
	}
	if (when > s->now) {
		/* it sleeps: the CPU is free until it wakes */
		if (evq_push(&s->evq, when, EV_WAKE, idx))
			return SIM_ENOMEM;
		return leave_cpu(s, p);
	}
	if (sched_preempt(s, p)) {
		rc = rq_push(s, idx);
		return rc ? rc : leave_cpu(s, p);
	}
	op = &p->prog->ops[p->pc];
	memset(&ev, 0, sizeof(ev));
	ev.time_ns = s->now;
	ev.pid = idx + 1;
	ev.op = op_exec[op->kind].name;
	ev.order = -1;
	before = s->stats;
	rc = op_exec[op->kind].fn(s, p, op, &ev, &cost);
	if (rc)
		return rc;
	s->stats.ops++;
	p = &s->procs[idx];             /* a fork may have moved the array */
	stats_add_delta(&p->st, &s->stats, &before);
	ev.latency_ns = cost;
	if (s->hooks.event) {
		ev.name = name_text(p, op->def.id != NAME_NONE ? &op->def : &op->ref,
				    nb, sizeof(nb));
		s->hooks.event(s->hooks.ctx, s, &ev);
	}
	p->pc++;
	if (p->done) {
		/* exited or killed: its CPU is free when the op's time is up */
		unsigned cpu = p->cpu ? p->cpu - 1 : 0;

		p->cpu = 0;
		return evq_push(&s->evq, s->now + cost, EV_CPU_FREE, cpu) ?
			SIM_ENOMEM : SIM_OK;
	}
	return evq_push(&s->evq, s->now + cost, EV_PROC_STEP, idx) ? SIM_ENOMEM : SIM_OK;
}

int sim_run(struct sim *s)
{
	struct event ev;
	int rc = SIM_OK;

	/* The sampler's first row shows the machine before any op runs. */
	if (s->cfg->sample_interval_ns && s->hooks.sample &&
	    evq_push(&s->evq, 0, EV_SAMPLE, 0))
		return SIM_ENOMEM;
	/* Each process starts at its first real op (after a leading `@`). */
	for (unsigned i = 0; i < s->nr_procs; i++) {
		uint64_t when = proc_advance(s, &s->procs[i]);

		if (evq_push(&s->evq, when == UINT64_MAX ? 0 : when, EV_WAKE, i))
			return SIM_ENOMEM;
	}

	while (rc == SIM_OK && evq_pop(&s->evq, &ev)) {
		/* a sample due after the last process ended is not taken */
		if (ev.type == EV_SAMPLE && !s->nr_running)
			continue;
		s->now = ev.time;
		s->nr_events++;
		switch (ev.type) {
		case EV_PROC_STEP:
			rc = proc_step(s, ev.arg);
			break;
		case EV_WAKE:
			rc = wake(s, ev.arg);
			break;
		case EV_CPU_FREE:
			rc = cpu_release(s, ev.arg);
			break;
		case EV_SAMPLE:
			sim_sample(s);
			/* keep sampling while processes remain */
			if (s->nr_running &&
			    evq_push(&s->evq, s->now + s->cfg->sample_interval_ns,
				     EV_SAMPLE, 0))
				rc = SIM_ENOMEM;
			break;
		}
	}
	sim_update_stats(s);
	/* A last row shows the state at the end of the run. */
	if (rc == SIM_OK && s->cfg->sample_interval_ns && s->hooks.sample &&
	    s->now > s->last_sample_ns)
		s->hooks.sample(s->hooks.ctx, s);
	return rc;
}

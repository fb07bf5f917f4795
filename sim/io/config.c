/*
 * config.c - the key table and the INI reader (libinih).
 *
 * Every key lives in cfg_keys[] with its section, default, type and help;
 * nothing else in vmsim knows key names. libinih's handler gets no line
 * numbers in Debian's build, so the reader counts lines itself through
 * ini_parse_stream() with a line-counting reader, and an error names the
 * exact line.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "lib/compiler.h"
#include "io/config.h"
#include "io/diag.h"

enum cfg_type {
	CFG_SIZE,       /* bytes, with K/M/G/T suffixes */
	CFG_U64,        /* plain number (decimal or 0x) */
	CFG_UINT,       /* small plain number */
	CFG_TIME,       /* duration in ns, with ns/us/ms/s suffixes */
	CFG_RLIMIT,     /* size or "unlimited" */
	CFG_BOOL,       /* true/false, yes/no, on/off, 1/0 */
	CFG_LAYOUT,     /* topdown or legacy */
	CFG_SEGMODE,    /* flat or segmented */
	CFG_SEGV,       /* kill or skip */
	CFG_SCHED,      /* rr or fifo */
};

struct cfg_key {
	const char *name;     /* unique across sections */
	const char *section;  /* where it is documented */
	enum cfg_type type;   /* how the value is parsed */
	size_t offset;        /* field in struct sim_config */
	const char *def;      /* default, as text (parsed by cfg_defaults) */
	uint64_t min, max;    /* accepted range (inclusive) */
	const char *help;     /* one line for README and --help */
};

#define F(field) offsetof(struct sim_config, field)
#define GiB (1ull << 30)

static const struct cfg_key cfg_keys[] = {
	{ "memory_size", "machine", CFG_SIZE, F(memory_size), "1G", 1, 1ull << 50,
	  "simulated physical memory" },
	{ "page_size", "machine", CFG_SIZE, F(page_size), "4K", 1, 1ull << 30,
	  "bytes per page, a power of two (4K, 8K, 16K, 64K, ...)" },
	{ "max_order", "machine", CFG_UINT, F(max_order), "10", 0, 30,
	  "largest buddy order (Linux: 10)" },
	{ "cpus", "machine", CFG_UINT, F(cpus), "1", 1, 64,
	  "simulated CPUs, each with its own TLB" },
	{ "sched", "machine", CFG_SCHED, F(sched), "rr", 0, 1,
	  "scheduling policy: rr (round robin, time slices) or fifo (run until it blocks)" },
	{ "time_slice_ns", "machine", CFG_TIME, F(time_slice_ns), "4ms", 1, UINT64_MAX,
	  "round robin's time slice" },
	{ "slab", "machine", CFG_BOOL, F(slab), "true", 0, 1,
	  "kernel objects (task_struct, mm_struct, vm_area_struct) take memory from slab caches" },
	{ "va_bits", "layout", CFG_UINT, F(va_bits), "48", 16, 64,
	  "virtual address bits" },
	{ "task_size", "layout", CFG_U64, F(task_size), "0", 0, UINT64_MAX,
	  "end of user space (TASK_SIZE); 0 derives it from va_bits and page_size" },
	{ "mmap_min_addr", "layout", CFG_SIZE, F(mmap_min_addr), "64K", 0, UINT64_MAX,
	  "lowest address mmap hands out without MAP_FIXED" },
	{ "stack_rlimit", "layout", CFG_RLIMIT, F(stack_rlimit), "8M", 0, UINT64_MAX,
	  "RLIMIT_STACK (or unlimited); sets mmap_base" },
	{ "stack_guard_gap", "layout", CFG_SIZE, F(stack_guard_gap), "1M", 0, UINT64_MAX,
	  "gap kept free below a growsdown VMA" },
	{ "mmap_base", "layout", CFG_U64, F(mmap_base), "0", 0, UINT64_MAX,
	  "top of the mmap area; 0 derives it as Linux does" },
	{ "mmap_layout", "layout", CFG_LAYOUT, F(mmap_layout), "topdown", 0, 1,
	  "topdown, or legacy (bottom-up from task_size/3)" },
	{ "max_map_count", "layout", CFG_U64, F(max_map_count), "65530", 1, UINT64_MAX,
	  "most VMAs in one address space" },
	{ "address_space_limit", "layout", CFG_RLIMIT, F(address_space_limit), "unlimited", 0, UINT64_MAX,
	  "RLIMIT_AS (or unlimited)" },
	{ "pte_size", "mmu", CFG_UINT, F(pte_size), "8", 4, 8,
	  "bytes per page-table entry (4 or 8)" },
	{ "pt_levels", "mmu", CFG_UINT, F(pt_levels), "0", 0, 8,
	  "page-table levels; 0 derives ceil((va_bits - page_shift) / log2(page_size / pte_size))" },
	{ "tlb_entries", "mmu", CFG_UINT, F(tlb_entries), "64", 1, 1u << 20,
	  "first-level TLB entries" },
	{ "tlb_ways", "mmu", CFG_UINT, F(tlb_ways), "4", 1, 1u << 20,
	  "first-level TLB associativity (ways = entries: fully associative)" },
	{ "tlb2_entries", "mmu", CFG_UINT, F(tlb2_entries), "1536", 0, 1u << 24,
	  "second-level TLB entries (0: none)" },
	{ "tlb2_ways", "mmu", CFG_UINT, F(tlb2_ways), "12", 1, 1u << 24,
	  "second-level TLB associativity" },
	{ "asid", "mmu", CFG_BOOL, F(asid), "false", 0, 1,
	  "tagged TLB entries (PCID): a context switch does not flush" },
	{ "nr_asids", "mmu", CFG_UINT, F(nr_asids), "6", 1, 64,
	  "ASIDs per CPU with asid on (Linux x86: 6 PCIDs)" },
	{ "segmentation", "mmu", CFG_SEGMODE, F(segmentation), "flat", 0, 1,
	  "flat (Linux: logical = linear) or segmented (distinct segments)" },
	{ "segv", "mmu", CFG_SEGV, F(segv), "kill", 0, 1,
	  "on SIGSEGV: kill the process, or skip the access" },
	{ "cost_kalloc_ns", "costs", CFG_TIME, F(cost_kalloc_ns), "100ns", 0, UINT64_MAX,
	  "one buddy allocation" },
	{ "cost_kfree_ns", "costs", CFG_TIME, F(cost_kfree_ns), "80ns", 0, UINT64_MAX,
	  "one buddy free" },
	{ "cost_syscall_ns", "costs", CFG_TIME, F(cost_syscall_ns), "100ns", 0, UINT64_MAX,
	  "entering and leaving the kernel" },
	{ "cost_vma_op_ns", "costs", CFG_TIME, F(cost_vma_op_ns), "500ns", 0, UINT64_MAX,
	  "one mmap/munmap/mprotect/brk VMA update" },
	{ "cost_fault_ns", "costs", CFG_TIME, F(cost_fault_ns), "1000ns", 0, UINT64_MAX,
	  "page-fault entry and exit" },
	{ "cost_zero_page_ns", "costs", CFG_TIME, F(cost_zero_page_ns), "250ns", 0, UINT64_MAX,
	  "zeroing one 4K of a new page (scaled by page size)" },
	{ "cost_tlb_hit_ns", "costs", CFG_TIME, F(cost_tlb_hit_ns), "1ns", 0, UINT64_MAX,
	  "a translation served by the TLB" },
	{ "cost_walk_level_ns", "costs", CFG_TIME, F(cost_walk_level_ns), "20ns", 0, UINT64_MAX,
	  "one page-table level of a walk" },
	{ "cost_context_switch_ns", "costs", CFG_TIME, F(cost_context_switch_ns), "2us", 0, UINT64_MAX,
	  "switching processes on a CPU" },
	{ "sample_interval_ns", "run", CFG_TIME, F(sample_interval_ns), "10us", 0, UINT64_MAX,
	  "time-series sampling period (0: no time series)" },
	{ "seed", "run", CFG_U64, F(seed), "1", 0, UINT64_MAX,
	  "seed of every random generator in the run" },
	{ "validate", "run", CFG_BOOL, F(validate), "false", 0, 1,
	  "run the full validators after every operation" },
};

/* Decimal, or hex after 0x; a leading zero is not octal ("010" is ten). */
static int parse_u64(const char *s, uint64_t *out, const char **end)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	char *e;

	if (!isdigit((unsigned char)*s) || (hex && !isxdigit((unsigned char)s[2])))
		return -1;
	errno = 0;
	*out = strtoull(s, &e, hex ? 16 : 10);
	if (errno || e == s)
		return -1;
	*end = e;
	return 0;
}

int cfg_parse_size(const char *s, uint64_t *out)
{
	static const char suffixes[] = "KMGT";
	const char *end, *p;
	uint64_t v;
	unsigned shift = 0;

	if (parse_u64(s, &v, &end))
		return -1;
	if (*end && (p = strchr(suffixes, toupper((unsigned char)*end)))) {
		shift = 10 * (unsigned)(p - suffixes + 1);
		end++;
		if (*end == 'i' || *end == 'I')  /* KiB, MiB ... */
			end++;
		if (*end == 'B' || *end == 'b')
			end++;
	}
	if (*end)
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

int cfg_parse_time(const char *s, uint64_t *out)
{
	static const struct { const char *unit; uint64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 }, { "", 1 },
	};
	const char *end;
	uint64_t v;

	if (parse_u64(s, &v, &end))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcmp(end, units[i].unit)) {
			if (v > UINT64_MAX / units[i].ns)
				return -1;
			*out = v * units[i].ns;
			return 0;
		}
	}
	return -1;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i]))
			return *out = true, 0;
		if (!strcasecmp(s, no[i]))
			return *out = false, 0;
	}
	return -1;
}

static const struct cfg_key *cfg_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cfg_keys); i++)
		if (!strcmp(cfg_keys[i].name, name))
			return &cfg_keys[i];
	return NULL;
}

static const char *type_what(enum cfg_type t)
{
	switch (t) {
	case CFG_SIZE: return "a size (e.g. 4096, 4K, 1M, 2G)";
	case CFG_U64:
	case CFG_UINT: return "a number";
	case CFG_TIME: return "a duration (e.g. 100ns, 2us, 1ms, 1s)";
	case CFG_RLIMIT: return "a size or 'unlimited'";
	case CFG_BOOL: return "true or false";
	case CFG_LAYOUT: return "'topdown' or 'legacy'";
	case CFG_SEGMODE: return "'flat' or 'segmented'";
	case CFG_SEGV: return "'kill' or 'skip'";
	case CFG_SCHED: return "'rr' or 'fifo'";
	}
	return "a value";
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/*
 * Parses value into key's field. Returns 0, or -1 with *why set to a
 * static message for the caller to place (NULL: the syntax was wrong).
 */
static int cfg_apply(struct sim_config *cfg, const struct cfg_key *k,
		     const char *value, const char **why)
{
	char *field = (char *)cfg + k->offset;
	uint64_t v = 0;
	bool b;
	int rc;

	*why = NULL;
	switch (k->type) {
	case CFG_SIZE:
		rc = cfg_parse_size(value, &v);
		break;
	case CFG_U64:
	case CFG_UINT: {
		const char *end;

		rc = parse_u64(value, &v, &end) || *end ? -1 : 0;
		break;
	}
	case CFG_TIME:
		rc = cfg_parse_time(value, &v);
		break;
	case CFG_RLIMIT:
		if (!strcasecmp(value, "unlimited") || !strcasecmp(value, "infinity")) {
			v = CFG_UNLIMITED;
			rc = 0;
		} else {
			rc = cfg_parse_size(value, &v);
		}
		break;
	case CFG_BOOL:
		if (parse_bool(value, &b))
			return -1;
		*(bool *)field = b;
		return 0;
	case CFG_LAYOUT:
		if (!strcmp(value, "topdown"))
			v = CFG_LAYOUT_TOPDOWN;
		else if (!strcmp(value, "legacy"))
			v = CFG_LAYOUT_LEGACY;
		else
			return -1;
		*(enum cfg_layout *)field = (enum cfg_layout)v;
		return 0;
	case CFG_SEGMODE:
		if (!strcmp(value, "flat"))
			v = CFG_SEG_FLAT;
		else if (!strcmp(value, "segmented"))
			v = CFG_SEG_SEGMENTED;
		else
			return -1;
		*(enum cfg_segmentation *)field = (enum cfg_segmentation)v;
		return 0;
	case CFG_SEGV:
		if (!strcmp(value, "kill"))
			v = CFG_SEGV_KILL;
		else if (!strcmp(value, "skip"))
			v = CFG_SEGV_SKIP;
		else
			return -1;
		*(enum cfg_segv *)field = (enum cfg_segv)v;
		return 0;
	case CFG_SCHED:
		if (!strcmp(value, "rr"))
			v = CFG_SCHED_RR;
		else if (!strcmp(value, "fifo"))
			v = CFG_SCHED_FIFO;
		else
			return -1;
		*(enum cfg_sched *)field = (enum cfg_sched)v;
		return 0;
	default:
		return -1;
	}
	if (rc)
		return -1;
	/* the one per-key rule that needs no other key: checked here so the
	 * message names the line that set it */
	if (k->offset == F(page_size) && (!is_pow2(v) || v < 256)) {
		*why = "not a power of two of at least 256 bytes";
		return -1;
	}
	if (v < k->min || (v > k->max && !(k->type == CFG_RLIMIT && v == CFG_UNLIMITED))) {
		*why = "out of range";
		return -1;
	}
	if (k->type == CFG_UINT)
		*(unsigned *)field = (unsigned)v;
	else
		*(uint64_t *)field = v;
	return 0;
}

void cfg_defaults(struct sim_config *cfg)
{
	const char *why;

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < ARRAY_SIZE(cfg_keys); i++) {
		int rc = cfg_apply(cfg, &cfg_keys[i], cfg_keys[i].def, &why);

		SIM_BUG_ON(rc, "default of %s does not parse", cfg_keys[i].name);
	}
}

/* Strips white space from both ends, in place; returns the new start. */
static char *trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/*
 * Assigns name = value. Returns 0, or -1 with the reason in msg (without
 * the file:line prefix, which the caller knows).
 */
static int cfg_assign(struct sim_config *cfg, const char *name,
		      const char *value, char *msg, size_t len)
{
	const struct cfg_key *k = cfg_find(name);
	const char *why;

	if (!k) {
		snprintf(msg, len, "unknown config key '%s'", name);
		return -1;
	}
	if (cfg_apply(cfg, k, value, &why)) {
		if (why && !strcmp(why, "out of range"))
			snprintf(msg, len, "%s = '%s': out of range (%" PRIu64 " to %" PRIu64 ")",
				 name, value, k->min, k->max);
		else if (why)
			snprintf(msg, len, "%s = '%s': %s", name, value, why);
		else
			snprintf(msg, len, "%s = '%s': expected %s", name, value,
				 type_what(k->type));
		return -1;
	}
	return 0;
}

#define CFG_MAX_ERRORS 20

/* One error found while reading a file, printed in line order at the end. */
struct cfg_error {
	unsigned line;           /* where */
	char msg[192];           /* what, without the file:line prefix */
};

struct ini_reader_state {
	FILE *f;                 /* the file being read */
	unsigned line;           /* lines handed to inih so far */
	unsigned section_line;   /* line of the last [section] header */
	struct sim_config *cfg;  /* being filled */
	struct cfg_error err[CFG_MAX_ERRORS]; /* errors found, in any order */
	unsigned nr_err;
};

static void cfg_error_add(struct ini_reader_state *st, unsigned line,
			  const char *msg)
{
	if (st->nr_err == CFG_MAX_ERRORS)
		return;
	st->err[st->nr_err].line = line;
	snprintf(st->err[st->nr_err].msg, sizeof(st->err[0].msg), "%s", msg);
	st->nr_err++;
}

/*
 * fgets for inih, counting lines so errors can name them. A line longer
 * than inih's buffer is an error here: fgets would hand its rest to inih
 * as a line of its own and every later line number would be off.
 */
static char *ini_line_reader(char *buf, int size, void *stream)
{
	struct ini_reader_state *st = stream;
	char *r = fgets(buf, size, st->f), *s;
	size_t n;

	if (!r)
		return NULL;
	st->line++;
	n = strlen(buf);
	if (n && buf[n - 1] != '\n' && !feof(st->f)) {
		int c;

		while ((c = fgetc(st->f)) != EOF && c != '\n')
			;
		snprintf(buf, (size_t)size, "; line too long\n");
		cfg_error_add(st, st->line, "line too long");
	}
	for (s = buf; *s == ' ' || *s == '\t'; s++)
		;
	if (*s == '[')
		st->section_line = st->line;
	return r;
}

static int cfg_ini_handler(void *user, const char *section, const char *name,
		       const char *value)
{
	static const char *const sections[] = {
		"machine", "layout", "mmu", "costs", "run",
	};
	static const char expected[] = "(expected [machine], [layout], [costs] or [run])";
	struct ini_reader_state *st = user;
	bool known = false;
	char v[256], msg[192];

	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		known |= !strcmp(section, sections[i]);
	if (!*section) {
		snprintf(msg, sizeof(msg), "'%s' is outside any section %s", name, expected);
		cfg_error_add(st, st->line, msg);
		return 1;
	}
	if (!known) {
		/* once per section, at its header */
		if (!st->nr_err || st->err[st->nr_err - 1].line != st->section_line) {
			snprintf(msg, sizeof(msg), "unknown section [%s] %s", section, expected);
			cfg_error_add(st, st->section_line, msg);
		}
		return 1;
	}
	snprintf(v, sizeof(v), "%s", value);
	if (cfg_assign(st->cfg, name, trim(v), msg, sizeof(msg)))
		cfg_error_add(st, st->line, msg);
	return 1;
}

static int cfg_error_cmp(const void *a, const void *b)
{
	const struct cfg_error *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

int cfg_load(struct sim_config *cfg, const char *path)
{
	struct ini_reader_state st = { .cfg = cfg };
	int rc;

	st.f = fopen(path, "r");
	if (!st.f) {
		diag_error(path, 0, 0, "cannot open config: %s", strerror(errno));
		return -1;
	}
	rc = ini_parse_stream(ini_line_reader, &st, cfg_ini_handler, &st);
	fclose(st.f);
	if (rc > 0)   /* inih returns the first line it could not parse */
		cfg_error_add(&st, (unsigned)rc,
			      "malformed line (expected 'key = value' or '[section]')");
	else if (rc < 0)
		cfg_error_add(&st, 0, "out of memory");
	/* no line has two errors (inih hands a malformed line to nobody), so
	 * qsort's instability does not matter */
	qsort(st.err, st.nr_err, sizeof(st.err[0]), cfg_error_cmp);
	for (unsigned i = 0; i < st.nr_err; i++)
		diag_error(path, st.err[i].line, 0, "%s", st.err[i].msg);
	return st.nr_err ? -1 : 0;
}

int cfg_set(struct sim_config *cfg, const char *assignment, const char *where)
{
	char buf[320], msg[192], *name, *value, *eq;

	snprintf(buf, sizeof(buf), "%s", assignment);
	eq = strchr(buf, '=');
	if (eq)
		*eq = '\0';
	if (!eq || !*trim(buf)) {
		diag_error(where, 0, 0, "expected KEY=VALUE, got '%s'", assignment);
		return -1;
	}
	name = trim(buf);
	value = trim(eq + 1);
	if (cfg_assign(cfg, name, value, msg, sizeof(msg))) {
		diag_error(where, 0, 0, "%s", msg);
		return -1;
	}
	return 0;
}

/*
 * The derived TASK_SIZE: x86-64 keeps the top page of the lower half
 * unmapped (2^47 - 4K on 48 bits), i386 splits 3G/1G.
 */
static uint64_t derived_task_size(const struct sim_config *cfg)
{
	if (cfg->va_bits <= 32)
		return (1ull << cfg->va_bits) / 4 * 3;
	return (1ull << (cfg->va_bits - 1)) - cfg->page_size;
}

int cfg_check(struct sim_config *cfg, const char *where)
{
	if (!is_pow2(cfg->page_size) || cfg->page_size < 256) {
		diag_error(where, 0, 0,
			   "page_size %" PRIu64 " is not a power of two of at least 256 bytes",
			   cfg->page_size);
		return -1;
	}
	if (cfg->memory_size < cfg->page_size) {
		diag_error(where, 0, 0,
			   "memory_size %" PRIu64 " is smaller than one page (%" PRIu64 ")",
			   cfg->memory_size, cfg->page_size);
		return -1;
	}
	if (cfg->pte_size != 4 && cfg->pte_size != 8) {
		diag_error(where, 0, 0, "pte_size %u: must be 4 or 8", cfg->pte_size);
		return -1;
	}
	if (cfg->tlb_ways > cfg->tlb_entries || cfg->tlb_entries % cfg->tlb_ways ||
	    !is_pow2(cfg->tlb_entries / cfg->tlb_ways)) {
		diag_error(where, 0, 0,
			   "tlb_entries %u / tlb_ways %u: the number of sets must be a power of two",
			   cfg->tlb_entries, cfg->tlb_ways);
		return -1;
	}
	if (cfg->tlb2_entries && (cfg->tlb2_ways > cfg->tlb2_entries ||
				  cfg->tlb2_entries % cfg->tlb2_ways ||
				  !is_pow2(cfg->tlb2_entries / cfg->tlb2_ways))) {
		diag_error(where, 0, 0,
			   "tlb2_entries %u / tlb2_ways %u: the number of sets must be a power of two",
			   cfg->tlb2_entries, cfg->tlb2_ways);
		return -1;
	}
	if (cfg->memory_size / cfg->page_size > UINT32_MAX) {
		diag_error(where, 0, 0,
			   "memory_size / page_size is more than 2^32 frames");
		return -1;
	}
	if (!cfg->task_size)
		cfg->task_size = derived_task_size(cfg);
	if (cfg->va_bits < 64 && cfg->task_size > (1ull << cfg->va_bits)) {
		diag_error(where, 0, 0,
			   "task_size 0x%" PRIx64 " does not fit in va_bits %u",
			   cfg->task_size, cfg->va_bits);
		return -1;
	}
	if (cfg->task_size % cfg->page_size) {
		diag_error(where, 0, 0, "task_size 0x%" PRIx64 " is not page aligned",
			   cfg->task_size);
		return -1;
	}
	if (cfg->mmap_base && (cfg->mmap_base % cfg->page_size ||
			       cfg->mmap_base > cfg->task_size)) {
		diag_error(where, 0, 0,
			   "mmap_base 0x%" PRIx64 " is not a page-aligned address below task_size",
			   cfg->mmap_base);
		return -1;
	}
	return 0;
}

/*
 * Linux arch/x86/mm/mmap.c: the gap left for the stack is the stack
 * rlimit plus the guard gap, clamped to [128 MiB, 5/6 of the space]; the
 * legacy layout starts at TASK_UNMAPPED_BASE = PAGE_ALIGN(task_size / 3).
 */
uint64_t cfg_mmap_base(const struct sim_config *cfg)
{
	uint64_t ps = cfg->page_size, gap, pad = cfg->stack_guard_gap;
	uint64_t gap_min = 128ull << 20, gap_max = cfg->task_size / 6 * 5;

	if (cfg->mmap_base)
		return cfg->mmap_base;
	if (cfg->mmap_layout == CFG_LAYOUT_LEGACY)
		return (cfg->task_size / 3 + ps - 1) & ~(ps - 1);
	gap = cfg->stack_rlimit;
	if (gap == CFG_UNLIMITED || gap + pad < gap)
		gap = gap_max;
	else
		gap += pad;
	if (gap < gap_min)
		gap = gap_min;
	if (gap > gap_max)
		gap = gap_max;
	/* PAGE_ALIGN rounds up: 5/6 of 0x7ffffffff000 -> 0x155555556000 */
	return (cfg->task_size - gap + ps - 1) & ~(ps - 1);
}

unsigned cfg_nr_keys(void)
{
	return ARRAY_SIZE(cfg_keys);
}

const char *cfg_key_name(unsigned i)
{
	return i < ARRAY_SIZE(cfg_keys) ? cfg_keys[i].name : NULL;
}

const char *cfg_key_help(unsigned i)
{
	return i < ARRAY_SIZE(cfg_keys) ? cfg_keys[i].help : NULL;
}

const char *cfg_key_default(unsigned i)
{
	return i < ARRAY_SIZE(cfg_keys) ? cfg_keys[i].def : NULL;
}

void cfg_format(const struct sim_config *cfg, unsigned i, char *buf, size_t len)
{
	const struct cfg_key *k = &cfg_keys[i];
	const char *field = (const char *)cfg + k->offset;
	uint64_t v;

	switch (k->type) {
	case CFG_BOOL:
		snprintf(buf, len, "%s", *(const bool *)field ? "true" : "false");
		return;
	case CFG_LAYOUT:
		snprintf(buf, len, "%s", *(const enum cfg_layout *)field ==
			 CFG_LAYOUT_LEGACY ? "legacy" : "topdown");
		return;
	case CFG_SEGMODE:
		snprintf(buf, len, "%s", *(const enum cfg_segmentation *)field ==
			 CFG_SEG_SEGMENTED ? "segmented" : "flat");
		return;
	case CFG_SEGV:
		snprintf(buf, len, "%s", *(const enum cfg_segv *)field ==
			 CFG_SEGV_SKIP ? "skip" : "kill");
		return;
	case CFG_SCHED:
		snprintf(buf, len, "%s", *(const enum cfg_sched *)field ==
			 CFG_SCHED_FIFO ? "fifo" : "rr");
		return;
	case CFG_UINT:
		snprintf(buf, len, "%u", *(const unsigned *)field);
		return;
	default:
		v = *(const uint64_t *)field;
		if (k->type == CFG_RLIMIT && v == CFG_UNLIMITED)
			snprintf(buf, len, "unlimited");
		else
			snprintf(buf, len, "%" PRIu64, v);
	}
}

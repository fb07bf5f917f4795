/*
 * workload.c - the workload parser (see workload.h, README.md).
 *
 * A line is split into tokens (whitespace separated, "quoted" strings
 * allowed, `#` starts a comment). Its shape is
 *
 *     [@ TIME] [NAME =] OPERATION ARGUMENTS...
 *
 * plus the block lines `repeat N [VAR] {` and `}`, and the header lines
 * `config PATH` and `set KEY=VALUE`. OPERATION is looked up in op_table[],
 * whose row says which arguments follow; the parsers for each argument
 * kind (size, time, address, prot, flags, name) are shared by every row.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/compiler.h"
#include "io/config.h"
#include "io/diag.h"
#include "io/workload.h"
#include "core/gen.h"
#include "mmu/pt.h"
#include "mmu/seg.h"

#define MAX_TOKENS 16
#define MAX_ERRORS 20
#define MAX_DEPTH 8

struct token {
	const char *s;     /* NUL-terminated copy inside the line buffer */
	unsigned col;      /* 1-based column of its first character */
};

/* Argument kinds of op_table rows. */
enum arg_kind {
	A_NONE,
	A_NEWNAME,   /* a name the op binds (kalloc NAME SIZE) */
	A_NAME,      /* an existing name */
	A_SIZE,      /* 4096, 4K, 1M ... -> arg[] */
	A_SDELTA,    /* signed size: +4K, -8K -> arg[] (two's complement) */
	A_TIME,      /* 10us -> arg[] */
	A_COUNT,     /* plain number -> arg[] */
	A_ADDR,      /* number, any, NAME[+OFF] -> op.addr */
	A_PROT,      /* r, rw, r-x, none, PROT_READ|PROT_WRITE -> arg[] */
	A_FLAGS,     /* private,anon,fixed ... -> arg[] */
	A_DUMP,      /* buddyinfo | maps | fragindex | slabinfo -> arg[] */
	A_MODE,      /* read | write | exec -> arg[] (enum pt_access) */
	A_PATTERN,   /* seq | uniform | zipf -> arg[] (enum gen_pattern) */
	A_SEG,       /* cs, ds, ss, ... -> arg[] (slot) */
	A_SEGTYPE,   /* code | data | rodata | stack -> arg[] */
};

#define OPT 0x80     /* or'ed into an arg kind: may be omitted */

struct op_def {
	const char *name;          /* the keyword */
	enum op_kind kind;         /* what core executes */
	bool binds;                /* may take `NAME =` */
	unsigned char args[6];     /* argument kinds, A_NONE-terminated */
	unsigned char slot[6];     /* arg[] slot for value kinds */
	const char *usage;         /* for messages */
};

static const struct op_def op_table[] = {
	{ "kalloc", OP_KALLOC, true, { A_NEWNAME, A_SIZE }, { 0, 0 },
	  "kalloc NAME SIZE  or  NAME = kalloc SIZE" },
	{ "kfree", OP_KFREE, false, { A_NAME }, { 0 }, "kfree NAME" },
	{ "dump", OP_DUMP, false, { A_DUMP }, { 0 },
	  "dump buddyinfo|fragindex|maps|slabinfo" },
	{ "sleep", OP_SLEEP, false, { A_TIME }, { 0 }, "sleep TIME" },
	{ "mmap", OP_MMAP, true, { A_ADDR, A_SIZE, A_PROT, A_FLAGS }, { 0, 0, 1, 2 },
	  "NAME = mmap ADDR|any LEN PROT FLAGS [file PATH [OFFSET]]" },
	{ "munmap", OP_MUNMAP, false, { A_ADDR, A_SIZE | OPT }, { 0, 0 },
	  "munmap ADDR [LEN]" },
	{ "mprotect", OP_MPROTECT, false, { A_ADDR, A_SIZE | OPT, A_PROT }, { 0, 0, 1 },
	  "mprotect ADDR [LEN] PROT" },
	{ "brk", OP_BRK, true, { A_ADDR }, { 0 }, "brk ADDR" },
	{ "sbrk", OP_SBRK, true, { A_SDELTA }, { 0 }, "[NAME =] sbrk [+|-]SIZE" },
	{ "read", OP_READ, false, { A_ADDR }, { 0 }, "read ADDR" },
	{ "write", OP_WRITE, false, { A_ADDR }, { 0 }, "write ADDR" },
	{ "exec", OP_EXEC, false, { A_ADDR }, { 0 }, "exec ADDR" },
	{ "access", OP_ACCESS, false,
	  { A_MODE, A_PATTERN, A_ADDR, A_SIZE, A_COUNT, A_SIZE | OPT },
	  { 0, 1, 0, 2, 3, 4 },
	  "access read|write|exec seq|uniform|zipf ADDR LEN COUNT [STEP]" },
	{ "explain", OP_EXPLAIN, false, { A_ADDR, A_MODE | OPT }, { 0, 0 },
	  "explain ADDR [read|write|exec]" },
	{ "segment", OP_SEGMENT, false, { A_SEG, A_SIZE, A_SIZE, A_SEGTYPE },
	  { 0, 1, 2, 3 }, "segment cs|ds|ss|6|7 BASE SIZE code|data|rodata|stack" },
	{ "exit", OP_EXIT, false, { 0 }, { 0 }, "exit" },
};

#define MAX_BLOCKS 16

/* An open `{` block: repeat, spawn or fork. */
struct block {
	long op;                  /* its opening op */
	unsigned line, col;       /* where it was opened */
	const char *what;         /* "repeat", "spawn", "fork" */
};

struct parser {
	const char *file;         /* for messages */
	const char *dir;          /* directory of the file, for `config` */
	struct program *prog;     /* being built */
	struct wl_header *hdr;    /* being built */
	unsigned line;            /* current line number */
	unsigned errors;          /* errors reported so far */
	bool seen_op;             /* an operation appeared (header closed) */
	char var[MAX_DEPTH][32];  /* loop variable of each open repeat */
	unsigned depth;           /* open repeat blocks */
	struct block blocks[MAX_BLOCKS]; /* open blocks of every kind */
	unsigned nr_blocks;
	bool *defined;            /* by name id: bound somewhere above */
	size_t nr_defined;
};

static void perr(struct parser *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(struct parser *p, unsigned col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	p->errors++;
	if (p->errors > MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(p->file, p->line, col, "%s", msg);
}

/* Splits line in place into tokens. Returns the count, or -1 on error. */
static int tokenize(struct parser *p, char *line, struct token *tok)
{
	char *s = line;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s || *s == '#' || *s == '\n')
			break;
		if (n == MAX_TOKENS) {
			perr(p, (unsigned)(s - line) + 1, "too many words on one line (at most %d)",
			     MAX_TOKENS);
			return -1;
		}
		tok[n].col = (unsigned)(s - line) + 1;
		if (*s == '"') {
			char *end = strchr(s + 1, '"');

			if (!end) {
				perr(p, tok[n].col, "unterminated string");
				return -1;
			}
			tok[n].s = s + 1;
			*end = '\0';
			s = end + 1;
		} else {
			tok[n].s = s;
			while (*s && !isspace((unsigned char)*s) && *s != '#')
				s++;
			if (*s == '#') {
				/* `a#b` is a word followed by a comment */
				*s = '\0';
				n++;
				break;
			}
			if (*s)
				*s++ = '\0';
		}
		n++;
	}
	return n;
}

static bool valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (s++; *s && *s != '$'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
			return false;
	return true;
}

/* Levenshtein distance, for "did you mean" hints on short words. */
static unsigned edit_distance(const char *a, const char *b)
{
	unsigned d[32][32];
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 32 || lb >= 32)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			unsigned del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;

			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	}
	return d[la][lb];
}

static const struct op_def *find_op(const char *word)
{
	for (size_t i = 0; i < ARRAY_SIZE(op_table); i++)
		if (!strcmp(op_table[i].name, word))
			return &op_table[i];
	return NULL;
}

static void unknown_op(struct parser *p, const struct token *t)
{
	const char *best = NULL;
	unsigned bestd = 3;

	for (size_t i = 0; i < ARRAY_SIZE(op_table); i++) {
		unsigned d = edit_distance(t->s, op_table[i].name);

		if (d < bestd) {
			bestd = d;
			best = op_table[i].name;
		}
	}
	if (best)
		perr(p, t->col, "unknown operation '%s' (did you mean '%s'?)", t->s, best);
	else
		perr(p, t->col, "unknown operation '%s'", t->s);
}

static void mark_defined(struct parser *p, uint32_t id)
{
	if (id >= p->nr_defined) {
		size_t n = (id + 1) * 2;
		bool *d = realloc(p->defined, n * sizeof(*d));

		if (!d)
			return;
		memset(d + p->nr_defined, 0, (n - p->nr_defined) * sizeof(*d));
		p->defined = d;
		p->nr_defined = n;
	}
	p->defined[id] = true;
}

/* Parses NAME or NAME$VAR into ref. Returns 0 or -1 (reported). */
static int parse_name(struct parser *p, const struct token *t, struct name_ref *ref,
		      bool binding)
{
	const char *dollar = strchr(t->s, '$');
	size_t len = dollar ? (size_t)(dollar - t->s) : strlen(t->s);

	if (!valid_name(t->s) || len == 0) {
		perr(p, t->col, "'%s' is not a valid name (a letter, then letters, digits, _ . -)",
		     t->s);
		return -1;
	}
	ref->indexed = false;
	ref->depth = 0;
	if (dollar) {
		unsigned d;

		for (d = p->depth; d > 0; d--)
			if (!strcmp(p->var[d - 1], dollar + 1))
				break;
		if (!d) {
			perr(p, t->col + (unsigned)len, "'$%s' is not the variable of an enclosing repeat",
			     dollar + 1);
			return -1;
		}
		ref->indexed = true;
		ref->depth = (uint16_t)(d - 1);
	}
	ref->id = program_name(p->prog, t->s, len);
	if (ref->id == NAME_NONE) {
		perr(p, t->col, "out of memory");
		return -1;
	}
	if (binding) {
		mark_defined(p, ref->id);
	} else if (ref->id >= p->nr_defined || !p->defined[ref->id]) {
		perr(p, t->col, "'%.*s' is not bound by any operation above", (int)len, t->s);
		return -1;
	}
	return 0;
}

static int parse_prot(const char *s, uint64_t *out)
{
	uint64_t prot = 0;

	if (!strcmp(s, "none") || !strcmp(s, "---") || !strcmp(s, "PROT_NONE")) {
		*out = PROT_NONE;
		return 0;
	}
	if (!strncmp(s, "PROT_", 5)) {
		char buf[128];

		snprintf(buf, sizeof(buf), "%s", s);
		for (char *w = strtok(buf, "|"); w; w = strtok(NULL, "|")) {
			if (!strcmp(w, "PROT_READ")) prot |= PROT_READ;
			else if (!strcmp(w, "PROT_WRITE")) prot |= PROT_WRITE;
			else if (!strcmp(w, "PROT_EXEC")) prot |= PROT_EXEC;
			else if (!strcmp(w, "PROT_NONE")) ;
			else return -1;
		}
		*out = prot;
		return 0;
	}
	/* rwx letters in any order; '-' placeholders as maps prints them */
	for (; *s; s++) {
		switch (*s) {
		case 'r': prot |= PROT_READ; break;
		case 'w': prot |= PROT_WRITE; break;
		case 'x': prot |= PROT_EXEC; break;
		case '-': break;
		default: return -1;
		}
	}
	*out = prot;
	return 0;
}

static const struct { const char *name; uint64_t flag; } map_flags[] = {
	{ "private", MAP_PRIVATE }, { "shared", MAP_SHARED },
	{ "anon", MAP_ANONYMOUS }, { "anonymous", MAP_ANONYMOUS },
	{ "fixed", MAP_FIXED }, { "fixed_noreplace", MAP_FIXED_NOREPLACE },
	{ "noreplace", MAP_FIXED_NOREPLACE }, { "growsdown", MAP_GROWSDOWN },
	{ "stack", MAP_STACK }, { "noreserve", MAP_NORESERVE },
	{ "populate", MAP_POPULATE }, { "denywrite", MAP_DENYWRITE },
	{ "MAP_PRIVATE", MAP_PRIVATE }, { "MAP_SHARED", MAP_SHARED },
	{ "MAP_ANONYMOUS", MAP_ANONYMOUS }, { "MAP_ANON", MAP_ANONYMOUS },
	{ "MAP_FIXED", MAP_FIXED }, { "MAP_FIXED_NOREPLACE", MAP_FIXED_NOREPLACE },
	{ "MAP_GROWSDOWN", MAP_GROWSDOWN }, { "MAP_STACK", MAP_STACK },
	{ "MAP_NORESERVE", MAP_NORESERVE }, { "MAP_POPULATE", MAP_POPULATE },
	{ "MAP_DENYWRITE", MAP_DENYWRITE },
};

/* Parses "private,anon" or "MAP_PRIVATE|MAP_ANONYMOUS". */
static int parse_flags(struct parser *p, const struct token *t, uint64_t *out)
{
	char buf[256];
	uint64_t flags = 0;

	snprintf(buf, sizeof(buf), "%s", t->s);
	for (char *save, *w = strtok_r(buf, ",|", &save); w; w = strtok_r(NULL, ",|", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(map_flags); i++)
			if (!strcmp(w, map_flags[i].name))
				break;
		if (i == ARRAY_SIZE(map_flags)) {
			perr(p, t->col + (unsigned)(w - buf),
			     "unknown mmap flag '%s' (private, shared, anon, fixed, noreplace, growsdown, stack, noreserve, populate)",
			     w);
			return -1;
		}
		flags |= map_flags[i].flag;
	}
	if (!(flags & (MAP_PRIVATE | MAP_SHARED))) {
		perr(p, t->col, "mmap flags need 'private' or 'shared'");
		return -1;
	}
	*out = flags;
	return 0;
}

static int parse_addr(struct parser *p, const struct token *t, struct addr_arg *a)
{
	const char *plus;

	memset(a, 0, sizeof(*a));
	a->name.id = NAME_NONE;
	if (!strcmp(t->s, "any")) {
		a->any = true;
		return 0;
	}
	/* SEG:OFFSET, a logical address: cs:0x10, ds:4K, ss:0xfffffff0 */
	if (strchr(t->s, ':')) {
		const char *colon = strchr(t->s, ':');
		char seg[16];
		int idx;

		snprintf(seg, sizeof(seg), "%.*s", (int)(colon - t->s), t->s);
		idx = (size_t)(colon - t->s) < sizeof(seg) ? seg_by_name(seg) : -EINVAL;
		if (idx <= 0) {
			perr(p, t->col, "'%s' is not a segment (cs, ds, ss, kcs, kds or 6, 7)",
			     seg);
			return -1;
		}
		if (cfg_parse_size(colon + 1, &a->value)) {
			perr(p, t->col + (unsigned)(colon - t->s) + 1,
			     "'%s' is not an offset", colon + 1);
			return -1;
		}
		a->seg = (uint8_t)idx;
		return 0;
	}
	if (isdigit((unsigned char)t->s[0])) {
		if (cfg_parse_size(t->s, &a->value)) {
			perr(p, t->col, "'%s' is not an address", t->s);
			return -1;
		}
		return 0;
	}
	plus = strchr(t->s, '+');
	if (plus) {
		char name[128];
		struct token nt = { name, t->col };

		if ((size_t)(plus - t->s) >= sizeof(name) || cfg_parse_size(plus + 1, &a->value)) {
			perr(p, t->col + (unsigned)(plus - t->s) + 1,
			     "'%s' is not an offset (expected NAME+SIZE)", plus + 1);
			return -1;
		}
		memcpy(name, t->s, (size_t)(plus - t->s));
		name[plus - t->s] = '\0';
		return parse_name(p, &nt, &a->name, false);
	}
	return parse_name(p, t, &a->name, false);
}

/* The words an argument kind may take, and what each stands for. */
struct keyword {
	const char *name;
	uint64_t value;
};

static const struct keyword dump_words[] = {
	{ "buddyinfo", DUMP_BUDDYINFO }, { "maps", DUMP_MAPS },
	{ "fragindex", DUMP_FRAGINDEX }, { "slabinfo", DUMP_SLABINFO }, { NULL, 0 },
};
static const struct keyword mode_words[] = {
	{ "read", PT_READ }, { "write", PT_WRITE }, { "exec", PT_EXEC },
	{ NULL, 0 },
};
static const struct keyword segtype_words[] = {
	{ "code", SEG_TYPE_CODE }, { "data", SEG_TYPE_DATA },
	{ "rodata", SEG_TYPE_DATA | SEGMENT_READ_ONLY },
	{ "stack", SEG_TYPE_STACK }, { NULL, 0 },
};
static const struct keyword pattern_words[] = {
	{ "seq", GEN_SEQ }, { "uniform", GEN_UNIFORM }, { "zipf", GEN_ZIPF },
	{ NULL, 0 },
};

/* Looks t up in words; else reports bad_fmt (with t as its %s). */
static int parse_keyword(struct parser *p, const struct token *t,
			 const struct keyword *words, const char *bad_fmt,
			 uint64_t *out)
{
	for (; words->name; words++)
		if (!strcmp(t->s, words->name)) {
			*out = words->value;
			return 0;
		}
	perr(p, t->col, bad_fmt, t->s);
	return -1;
}

static int parse_arg(struct parser *p, const struct op_def *d, unsigned kind,
		     unsigned slot, const struct token *t, struct op *op)
{
	uint64_t v;

	switch (kind) {
	case A_NEWNAME:
		return parse_name(p, t, &op->def, true);
	case A_NAME:
		return parse_name(p, t, &op->ref, false);
	case A_SIZE:
		if (cfg_parse_size(t->s, &v)) {
			perr(p, t->col, "'%s' is not a size (e.g. 4096, 34K, 2M)", t->s);
			return -1;
		}
		op->arg[slot] = v;
		return 0;
	case A_SDELTA: {
		bool neg = t->s[0] == '-';
		const char *s = t->s + (t->s[0] == '-' || t->s[0] == '+');

		if (cfg_parse_size(s, &v) || v > (uint64_t)INT64_MAX) {
			perr(p, t->col, "'%s' is not a size change (e.g. +4K, -8K)", t->s);
			return -1;
		}
		op->arg[slot] = neg ? (uint64_t)-(int64_t)v : v;
		return 0;
	}
	case A_TIME:
		if (cfg_parse_time(t->s, &v)) {
			perr(p, t->col, "'%s' is not a time (e.g. 500ns, 10us, 2ms, 1s)", t->s);
			return -1;
		}
		op->arg[slot] = v;
		return 0;
	case A_COUNT: {
		char *end;

		errno = 0;
		v = strtoull(t->s, &end, 0);
		if (!isdigit((unsigned char)t->s[0]) || *end || errno) {
			perr(p, t->col, "'%s' is not a count", t->s);
			return -1;
		}
		op->arg[slot] = v;
		return 0;
	}
	case A_ADDR:
		return parse_addr(p, t, &op->addr);
	case A_PROT:
		if (parse_prot(t->s, &v)) {
			perr(p, t->col, "'%s' is not a protection (r, rw, rx, rwx, none)", t->s);
			return -1;
		}
		op->arg[slot] = v;
		return 0;
	case A_FLAGS:
		return parse_flags(p, t, &op->arg[slot]);
	case A_DUMP:
		return parse_keyword(p, t, dump_words,
				     "cannot dump '%s' (buddyinfo, fragindex, maps, slabinfo)",
				     &op->arg[slot]);
	case A_MODE:
		return parse_keyword(p, t, mode_words,
				     "'%s' is not an access mode (read, write, exec)",
				     &op->arg[slot]);
	case A_SEG: {
		int idx = seg_by_name(t->s);

		if (idx <= 0 || idx == SEG_KTEXT || idx == SEG_KDATA) {
			perr(p, t->col, "'%s' is not a user segment (cs, ds, ss, 6, 7)", t->s);
			return -1;
		}
		op->arg[slot] = (uint64_t)idx;
		return 0;
	}
	case A_SEGTYPE:
		return parse_keyword(p, t, segtype_words,
				     "'%s' is not a segment type (code, data, rodata, stack)",
				     &op->arg[slot]);
	case A_PATTERN:
		return parse_keyword(p, t, pattern_words,
				     "'%s' is not an access pattern (seq, uniform, zipf)",
				     &op->arg[slot]);
	}
	perr(p, t->col, "internal: bad argument kind in '%s'", d->name);
	return -1;
}

/* Matches tokens to d's argument list; optional args fill from the left
 * only when there are enough tokens for every required one after them. */
static int parse_args(struct parser *p, const struct op_def *d,
		      const struct token *tok, int ntok, struct op *op,
		      unsigned endcol)
{
	unsigned nreq = 0, nall = 0;
	int spare, ti = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(d->args) && d->args[i]; i++) {
		nall++;
		nreq += !(d->args[i] & OPT);
	}
	if (ntok < (int)nreq) {
		perr(p, ntok ? tok[ntok - 1].col : endcol, "%s: missing argument (usage: %s)",
		     d->name, d->usage);
		return -1;
	}
	spare = ntok - (int)nreq;
	for (unsigned i = 0; i < nall; i++) {
		unsigned kind = d->args[i] & ~OPT;

		if ((d->args[i] & OPT) && spare <= 0)
			continue;
		if (d->args[i] & OPT)
			spare--;
		if (parse_arg(p, d, kind, d->slot[i], &tok[ti], op))
			return -1;
		ti++;
	}
	if (ti < ntok) {
		/* The one trailing form: mmap ... file PATH [OFFSET]. */
		if (d->kind == OP_MMAP && !strcmp(tok[ti].s, "file")) {
			if (ti + 1 >= ntok) {
				perr(p, tok[ti].col, "mmap: 'file' needs a PATH");
				return -1;
			}
			op->path = program_string(p->prog, tok[ti + 1].s);
			if (ti + 2 < ntok) {
				if (cfg_parse_size(tok[ti + 2].s, &op->arg[3])) {
					perr(p, tok[ti + 2].col, "'%s' is not a file offset",
					     tok[ti + 2].s);
					return -1;
				}
				ti++;
			}
			ti += 2;
			if (op->arg[2] & MAP_ANONYMOUS) {
				perr(p, tok[ti - 2].col, "mmap: a file mapping cannot be 'anon'");
				return -1;
			}
		}
		if (ti < ntok) {
			perr(p, tok[ti].col, "%s: unexpected '%s' (usage: %s)", d->name,
			     tok[ti].s, d->usage);
			return -1;
		}
	}
	if (op->addr.seg && d->kind != OP_READ && d->kind != OP_WRITE &&
	    d->kind != OP_EXEC && d->kind != OP_ACCESS && d->kind != OP_EXPLAIN) {
		perr(p, tok[0].col, "%s: a SEG:OFFSET address is for read, write, exec, "
		     "access and explain", d->name);
		return -1;
	}
	if (d->kind == OP_MMAP && !op->path && !(op->arg[2] & MAP_ANONYMOUS)) {
		perr(p, tok[3].col, "mmap: flags need 'anon', or the mapping needs 'file PATH'");
		return -1;
	}
	return 0;
}

static void add_op(struct parser *p, struct op *op)
{
	if (program_add(p->prog, op) < 0)
		perr(p, op->col, "out of memory");
}

static void header_line(struct parser *p, const struct token *tok, int ntok)
{
	if (p->seen_op) {
		perr(p, tok[0].col, "'%s' must come before the first operation", tok[0].s);
		return;
	}
	if (ntok != 2) {
		perr(p, tok[0].col, "usage: %s %s", tok[0].s,
		     !strcmp(tok[0].s, "set") ? "KEY=VALUE" : "PATH");
		return;
	}
	if (strcmp(tok[0].s, "set")) {
		/* config, lackey, maps: a file beside the workload */
		char path[PATH_MAX], **slot = !strcmp(tok[0].s, "config") ?
			&p->hdr->config : !strcmp(tok[0].s, "lackey") ?
			&p->hdr->lackey : &p->hdr->maps;

		if (tok[1].s[0] == '/')
			snprintf(path, sizeof(path), "%s", tok[1].s);
		else
			snprintf(path, sizeof(path), "%s/%s", p->dir, tok[1].s);
		free(*slot);
		*slot = strdup(path);
	} else {
		struct wl_setting *s = realloc(p->hdr->settings,
					       (p->hdr->nr_settings + 1) * sizeof(*s));
		char where[PATH_MAX + 32];

		if (!s)
			return;
		p->hdr->settings = s;
		if (!strchr(tok[1].s, '=')) {
			perr(p, tok[1].col, "set: expected KEY=VALUE, got '%s'", tok[1].s);
			return;
		}
		snprintf(where, sizeof(where), "%s:%u:%u", p->file, p->line, tok[1].col);
		s[p->hdr->nr_settings].assignment = strdup(tok[1].s);
		s[p->hdr->nr_settings].where = strdup(where);
		p->hdr->nr_settings++;
	}
}

static long open_block(struct parser *p, const struct op *op, unsigned col,
		       const char *what)
{
	long idx;

	if (p->nr_blocks == MAX_BLOCKS) {
		perr(p, col, "blocks nest at most %d deep", MAX_BLOCKS);
		return -1;
	}
	idx = program_add(p->prog, op);
	if (idx < 0)
		return -1;
	p->blocks[p->nr_blocks++] = (struct block){ idx, p->line, col, what };
	return idx;
}

static void repeat_line(struct parser *p, const struct token *tok, int ntok)
{
	struct op op = { .kind = OP_REPEAT, .line = p->line, .col = tok[0].col };
	const char *var = NULL;
	long idx;

	op.def.id = op.ref.id = NAME_NONE;
	if (ntok < 3 || ntok > 4 || strcmp(tok[ntok - 1].s, "{")) {
		perr(p, tok[0].col, "usage: repeat COUNT [VAR] {");
		return;
	}
	if (parse_arg(p, NULL, A_COUNT, 0, &tok[1], &op))
		return;
	if (ntok == 4) {
		var = tok[2].s;
		if (!valid_name(var) || strchr(var, '$')) {
			perr(p, tok[2].col, "'%s' is not a valid loop variable", var);
			return;
		}
		if (strlen(var) >= sizeof(p->var[0])) {
			perr(p, tok[2].col, "loop variable '%s' is longer than %zu characters",
			     var, sizeof(p->var[0]) - 1);
			return;
		}
	}
	if (p->depth == MAX_DEPTH) {
		perr(p, tok[0].col, "repeat blocks nest at most %d deep", MAX_DEPTH);
		return;
	}
	idx = open_block(p, &op, tok[0].col, "repeat");
	if (idx < 0)
		return;
	snprintf(p->var[p->depth], sizeof(p->var[0]), "%s",
		 var ? var : (const char *[]){ "i", "j", "k", "l", "m", "n", "o", "q" }[p->depth]);
	p->depth++;
	if (p->depth > p->prog->max_depth)
		p->prog->max_depth = p->depth;
}

/*
 * spawn NAME [text=SIZE] [data=SIZE] [bss=SIZE] [stack=SIZE] {  (top level)
 * fork NAME {
 */
static void process_line(struct parser *p, const struct token *tok, int ntok)
{
	static const char *const keys[] = { "text", "data", "bss", "stack" };
	bool spawn = !strcmp(tok[0].s, "spawn");
	struct op op = { .kind = spawn ? OP_SPAWN : OP_FORK, .line = p->line,
			 .col = tok[0].col };

	op.def.id = op.ref.id = NAME_NONE;
	if (ntok < 3 || strcmp(tok[ntok - 1].s, "{") || (!spawn && ntok != 3)) {
		perr(p, tok[0].col, "usage: %s", spawn ?
		     "spawn NAME [text=SIZE] [data=SIZE] [bss=SIZE] [stack=SIZE] {" :
		     "fork NAME {");
		return;
	}
	/* the block opens whatever is wrong inside the line, so its '}' matches */
	if (!valid_name(tok[1].s) || strchr(tok[1].s, '$'))
		perr(p, tok[1].col, "'%s' is not a valid process name", tok[1].s);
	else if (spawn && p->nr_blocks)
		perr(p, tok[0].col, "spawn blocks stand at the top level, not inside '%s'",
		     p->blocks[p->nr_blocks - 1].what);
	for (int i = 2; i < ntok - 1; i++) {
		const char *eq = strchr(tok[i].s, '=');
		size_t k;

		for (k = 0; k < ARRAY_SIZE(keys); k++)
			if (eq && (size_t)(eq - tok[i].s) == strlen(keys[k]) &&
			    !strncmp(tok[i].s, keys[k], strlen(keys[k])))
				break;
		if (k == ARRAY_SIZE(keys))
			perr(p, tok[i].col, "expected text=SIZE, data=SIZE, bss=SIZE or "
			     "stack=SIZE, got '%s'", tok[i].s);
		else if (cfg_parse_size(eq + 1, &op.arg[2 + k]))
			perr(p, tok[i].col + (unsigned)(eq + 1 - tok[i].s),
			     "bad size '%s'", eq + 1);
	}
	op.path = program_string(p->prog, tok[1].s);
	if (!op.path)
		perr(p, tok[1].col, "out of memory");
	open_block(p, &op, tok[0].col, spawn ? "spawn" : "fork");
}

static void close_line(struct parser *p, const struct token *tok, int ntok)
{
	struct op op = { .kind = OP_END, .line = p->line, .col = tok[0].col };
	const struct block *b;
	long idx;

	op.def.id = op.ref.id = NAME_NONE;
	if (ntok != 1) {
		perr(p, tok[1].col, "unexpected '%s' after '}'", tok[1].s);
		return;
	}
	if (!p->nr_blocks) {
		perr(p, tok[0].col, "'}' without an open repeat, spawn or fork");
		return;
	}
	b = &p->blocks[--p->nr_blocks];
	if (!strcmp(b->what, "repeat"))
		p->depth--;
	op.arg[1] = (uint64_t)b->op;
	idx = program_add(p->prog, &op);
	if (idx >= 0)
		p->prog->ops[b->op].arg[1] = (uint64_t)idx;
}

static void parse_line(struct parser *p, char *line)
{
	struct token tok[MAX_TOKENS];
	struct op op;
	const struct op_def *d;
	int ntok = tokenize(p, line, tok), ti = 0;
	bool binds = false;

	if (ntok <= 0)
		return;
	if (!strcmp(tok[0].s, "config") || !strcmp(tok[0].s, "set") ||
	    !strcmp(tok[0].s, "lackey") || !strcmp(tok[0].s, "maps")) {
		header_line(p, tok, ntok);
		return;
	}
	if (p->hdr->lackey && !p->seen_op)
		perr(p, tok[0].col, "a workload with a `lackey` trace has no operations:"
		     " the trace is its program");
	p->seen_op = true;
	if (!strcmp(tok[0].s, "repeat")) {
		repeat_line(p, tok, ntok);
		return;
	}
	if (!strcmp(tok[0].s, "spawn") || !strcmp(tok[0].s, "fork")) {
		process_line(p, tok, ntok);
		return;
	}
	if (!strcmp(tok[0].s, "}")) {
		close_line(p, tok, ntok);
		return;
	}
	memset(&op, 0, sizeof(op));
	op.def.id = op.ref.id = op.addr.name.id = NAME_NONE;
	op.line = p->line;

	/* @ TIME, alone or in front of an operation; "@10us" works too. */
	if (tok[0].s[0] == '@') {
		struct token t = tok[0];
		struct op at = { .kind = OP_AT, .line = p->line, .col = tok[0].col };

		at.def.id = at.ref.id = at.addr.name.id = NAME_NONE;
		if (t.s[1]) {
			t.s++;
			t.col++;
			ti = 1;
		} else if (ntok > 1) {
			t = tok[1];
			ti = 2;
		} else {
			perr(p, tok[0].col, "'@' needs a time (e.g. @ 10us)");
			return;
		}
		if (parse_arg(p, NULL, A_TIME, 0, &t, &at))
			return;
		add_op(p, &at);
		if (ti == ntok)
			return;
	}
	if (ntok - ti >= 2 && !strcmp(tok[ti + 1].s, "=")) {
		if (parse_name(p, &tok[ti], &op.def, true))
			return;
		binds = true;
		ti += 2;
		if (ti == ntok) {
			perr(p, tok[ti - 1].col, "'=' needs an operation after it");
			return;
		}
	}
	d = find_op(tok[ti].s);
	if (!d) {
		unknown_op(p, &tok[ti]);
		return;
	}
	if (binds && !d->binds) {
		perr(p, tok[ti].col, "%s does not produce a value to name", d->name);
		return;
	}
	op.kind = (uint16_t)d->kind;
	op.col = tok[ti].col;
	if (binds && d->args[0] == A_NEWNAME) {
		/* NAME = kalloc SIZE: the name is already bound */
		struct op_def alt = *d;

		memmove(alt.args, alt.args + 1, sizeof(alt.args) - 1);
		memmove(alt.slot, alt.slot + 1, sizeof(alt.slot) - 1);
		alt.args[ARRAY_SIZE(alt.args) - 1] = A_NONE;
		if (parse_args(p, &alt, tok + ti + 1, ntok - ti - 1, &op,
			       tok[ti].col + (unsigned)strlen(tok[ti].s)))
			return;
	} else if (parse_args(p, d, tok + ti + 1, ntok - ti - 1, &op,
			      tok[ti].col + (unsigned)strlen(tok[ti].s))) {
		return;
	}
	if (d->kind == OP_MMAP && op.def.id == NAME_NONE) {
		perr(p, tok[ti].col, "mmap needs a name for its result: NAME = mmap ...");
		return;
	}
	add_op(p, &op);
}

static int parse_text(struct parser *p, char *text)
{
	char *line = text, *next;

	for (p->line = 1; line && *line; p->line++, line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		parse_line(p, line);
	}
	if (p->nr_blocks) {
		const struct block *b = &p->blocks[p->nr_blocks - 1];

		p->line = b->line;
		perr(p, b->col, "%s block opened here is never closed with '}'", b->what);
	}
	free(p->defined);
	if (p->errors > MAX_ERRORS)
		diag_error(p->file, 0, 0, "%u more errors not shown", p->errors - MAX_ERRORS);
	return p->errors ? -1 : 0;
}

static int parse_common(const char *name, const char *dir, char *text,
			struct program *prog, struct wl_header *hdr)
{
	struct parser p = { .file = name, .dir = dir, .prog = prog, .hdr = hdr };

	program_init(prog, name);
	memset(hdr, 0, sizeof(*hdr));
	if (parse_text(&p, text)) {
		program_free(prog);
		wl_header_free(hdr);
		return -1;
	}
	return 0;
}

int wl_parse_string(const char *name, const char *text, struct program *prog,
		    struct wl_header *hdr)
{
	char *copy = strdup(text);
	int rc;

	if (!copy)
		return -1;
	rc = parse_common(name, ".", copy, prog, hdr);
	free(copy);
	return rc;
}

int wl_parse_file(const char *path, struct program *prog, struct wl_header *hdr)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL, *pathcopy;
	size_t len = 0;
	int rc = -1;

	memset(hdr, 0, sizeof(*hdr));
	program_init(prog, path);
	if (!f) {
		diag_error(path, 0, 0, "cannot open workload: %s", strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);

		if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)n + 1))) {
			len = fread(text, 1, (size_t)n, f);
			text[len] = '\0';
		}
	}
	fclose(f);
	if (!text) {
		diag_error(path, 0, 0, "cannot read workload");
		return -1;
	}
	if (memchr(text, '\0', len)) {
		diag_error(path, 0, 0, "binary file (contains NUL bytes)");
		free(text);
		return -1;
	}
	pathcopy = strdup(path);
	if (pathcopy)
		rc = parse_common(path, dirname(pathcopy), text, prog, hdr);
	free(pathcopy);
	free(text);
	return rc;
}

void wl_header_free(struct wl_header *hdr)
{
	for (size_t i = 0; i < hdr->nr_settings; i++) {
		free(hdr->settings[i].assignment);
		free(hdr->settings[i].where);
	}
	free(hdr->settings);
	free(hdr->config);
	free(hdr->lackey);
	free(hdr->maps);
	memset(hdr, 0, sizeof(*hdr));
}

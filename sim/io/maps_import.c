/*
 * maps_import.c - reading /proc/<pid>/maps and smaps snapshots.
 *
 * Mirrors, in reverse, fs/proc/task_mmu.c: show_map_vma() prints the
 * header line of each VMA, __show_smap() the "Key:   value kB" fields and
 * show_smap_vma_flags() the VmFlags codes. The parser is a hand-written
 * scanner over one line at a time; every error names the line and the
 * column of the offending character.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/diag.h"
#include "io/maps_import.h"
#include "lib/compiler.h"

/* The codes, indexed by enum maps_vmflag. */
static const char vmflag_codes[MAPS_VM__COUNT][3] = {
	[MAPS_VM_RD] = "rd", [MAPS_VM_WR] = "wr", [MAPS_VM_EX] = "ex",
	[MAPS_VM_SH] = "sh", [MAPS_VM_MR] = "mr", [MAPS_VM_MW] = "mw",
	[MAPS_VM_ME] = "me", [MAPS_VM_MS] = "ms", [MAPS_VM_GD] = "gd",
	[MAPS_VM_PF] = "pf", [MAPS_VM_DW] = "dw", [MAPS_VM_LO] = "lo",
	[MAPS_VM_IO] = "io", [MAPS_VM_SR] = "sr", [MAPS_VM_RR] = "rr",
	[MAPS_VM_DC] = "dc", [MAPS_VM_DE] = "de", [MAPS_VM_LF] = "lf",
	[MAPS_VM_AC] = "ac", [MAPS_VM_NR] = "nr", [MAPS_VM_HT] = "ht",
	[MAPS_VM_SF] = "sf", [MAPS_VM_NL] = "nl", [MAPS_VM_AR] = "ar",
	[MAPS_VM_WF] = "wf", [MAPS_VM_DD] = "dd", [MAPS_VM_BT] = "bt",
	[MAPS_VM_SD] = "sd", [MAPS_VM_MM] = "mm", [MAPS_VM_HG] = "hg",
	[MAPS_VM_NH] = "nh", [MAPS_VM_MG] = "mg", [MAPS_VM_UM] = "um",
	[MAPS_VM_UW] = "uw", [MAPS_VM_UI] = "ui", [MAPS_VM_MT] = "mt",
	[MAPS_VM_SS] = "ss", [MAPS_VM_SL] = "sl", [MAPS_VM_DP] = "dp",
	[MAPS_VM_GU] = "gu",
};

const char *maps_vmflag_name(enum maps_vmflag f)
{
	return (unsigned)f < MAPS_VM__COUNT ? vmflag_codes[f] : "??";
}

int maps_vmflag_lookup(const char *code, size_t len)
{
	if (len != 2)
		return -1;
	for (unsigned i = 0; i < MAPS_VM__COUNT; i++)
		if (code[0] == vmflag_codes[i][0] && code[1] == vmflag_codes[i][1])
			return (int)i;
	return -1;
}

/* One line being scanned: [p, end) with the line's start for columns. */
struct cursor {
	const char *fname;          /* file name for messages */
	unsigned line;              /* 1-based line number */
	const char *bol;            /* beginning of the line */
	const char *p;              /* next character */
	const char *end;            /* end of the line (no newline) */
};

static unsigned col_of(const struct cursor *c, const char *at)
{
	return (unsigned)(at - c->bol) + 1;
}

/* Reports an error at position at of the current line; returns -1. */
#define cur_error(c, at, ...) \
	(diag_error((c)->fname, (c)->line, col_of((c), (at)), __VA_ARGS__), -1)

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Reads a number in base 16 or 10 (digits only, no prefix) at the cursor.
 * what names it in messages. The number must be followed by one of the
 * characters in stop, or by the end of the line when stop contains '\n'.
 */
static int scan_num(struct cursor *c, unsigned base, const char *what,
		    const char *stop, uint64_t *out)
{
	const char *start = c->p;
	uint64_t v = 0;

	if (c->p == c->end)
		return cur_error(c, c->p, "truncated line: expected %s", what);
	for (; c->p < c->end; c->p++) {
		int d = hexval(*c->p);

		if (d < 0 || (unsigned)d >= base)
			break;
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return cur_error(c, start, "%s out of range", what);
		v = v * base + (unsigned)d;
	}
	if (c->p == start) {
		const char *t = start;

		while (t < c->end && *t != ' ' && *t != '\t' && !strchr(stop, *t))
			t++;
		if (t == start)
			t++;
		return cur_error(c, start, "bad %s '%.*s'", what,
				 (int)(t - start), start);
	}
	if (c->p == c->end) {
		if (!strchr(stop, '\n'))
			return cur_error(c, c->p, "truncated line after %s", what);
	} else if (!strchr(stop, *c->p)) {
		return cur_error(c, c->p, "bad character '%c' in %s", *c->p, what);
	}
	*out = v;
	return 0;
}

static void skip_blanks(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* Requires at least one blank, then skips all of them. */
static int expect_blanks(struct cursor *c, const char *next)
{
	if (c->p == c->end)
		return cur_error(c, c->p, "truncated line: expected %s", next);
	if (*c->p != ' ' && *c->p != '\t')
		return cur_error(c, c->p, "expected a blank before %s", next);
	skip_blanks(c);
	if (c->p == c->end)
		return cur_error(c, c->p, "truncated line: expected %s", next);
	return 0;
}

static enum maps_kind classify(const char *name, bool shared)
{
	if (!name[0] || !strncmp(name, "[anon:", 6))
		return MAPS_KIND_ANON;
	if (!strcmp(name, "[heap]"))
		return MAPS_KIND_HEAP;
	if (!strcmp(name, "[stack]"))
		return MAPS_KIND_STACK;
	if (!strcmp(name, "[vsyscall]"))
		return MAPS_KIND_GATE;
	if (name[0] == '[')
		return MAPS_KIND_SPECIAL;
	if (shared && (!strncmp(name, "/dev/zero", 9) ||
		       !strncmp(name, "/SYSV", 5)))
		return MAPS_KIND_SHARED_ANON;
	return MAPS_KIND_FILE;
}

static int push_vma(struct maps_snapshot *s, struct maps_vma **out)
{
	if (s->nr == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct maps_vma *v = realloc(s->vmas, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->vmas = v;
		s->cap = cap;
	}
	*out = &s->vmas[s->nr++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* Parses one header line "start-end perms offset maj:min inode [name]". */
static int parse_header(struct cursor *c, struct maps_snapshot *s)
{
	static const char perm_chars[4][2] = {
		{ 'r', '-' }, { 'w', '-' }, { 'x', '-' }, { 'p', 's' },
	};
	struct maps_vma *v;
	uint64_t n, maj, min;
	const char *at, *name, *name_end;

	if (push_vma(s, &v))
		return cur_error(c, c->p, "out of memory");
	v->line = c->line;
	at = c->p;
	if (scan_num(c, 16, "start address", "-", &v->start))
		return -1;
	c->p++;
	if (scan_num(c, 16, "end address", " \t", &v->end))
		return -1;
	if (v->start >= v->end)
		return cur_error(c, at, "VMA start %#llx is not below its end %#llx",
				 (unsigned long long)v->start,
				 (unsigned long long)v->end);
	if (expect_blanks(c, "permissions"))
		return -1;
	for (unsigned i = 0; i < 4; i++, c->p++) {
		if (c->p == c->end || *c->p == ' ' || *c->p == '\t')
			return cur_error(c, c->p, "truncated permissions: expected 4 characters");
		if (*c->p == perm_chars[i][0]) {
			if (i < 3)
				v->prot |= 1u << i;
			else
				v->shared = false;
		} else if (*c->p == perm_chars[i][1]) {
			if (i == 3)
				v->shared = true;
		} else {
			return cur_error(c, c->p, "unknown permission character '%c' (expected '%c' or '%c')",
					 *c->p, perm_chars[i][0], perm_chars[i][1]);
		}
	}
	if (expect_blanks(c, "offset"))
		return -1;
	if (scan_num(c, 16, "offset", " \t", &v->offset))
		return -1;
	if (expect_blanks(c, "device"))
		return -1;
	if (scan_num(c, 16, "device major", ":", &maj))
		return -1;
	c->p++;
	if (scan_num(c, 16, "device minor", " \t", &min))
		return -1;
	if (maj > 0xfff || min > 0xfffff)
		return cur_error(c, c->p, "device %llx:%llx out of range",
				 (unsigned long long)maj, (unsigned long long)min);
	v->dev_major = (unsigned)maj;
	v->dev_minor = (unsigned)min;
	if (expect_blanks(c, "inode"))
		return -1;
	if (scan_num(c, 10, "inode", " \t\n", &n))
		return -1;
	v->inode = n;
	skip_blanks(c);
	name = c->p;
	name_end = c->end;
	while (name_end > name && (name_end[-1] == ' ' || name_end[-1] == '\t'))
		name_end--;
	v->name = strndup(name, (size_t)(name_end - name));
	if (!v->name)
		return cur_error(c, name, "out of memory");
	v->kind = classify(v->name, v->shared);

	if (s->nr > 1) {
		const struct maps_vma *prev = &s->vmas[s->nr - 2];

		if (v->start < prev->end)
			return cur_error(c, at, "VMA %llx-%llx %s the previous one (%llx-%llx, line %u)",
					 (unsigned long long)v->start,
					 (unsigned long long)v->end,
					 v->start < prev->start ? "is out of order with" : "overlaps",
					 (unsigned long long)prev->start,
					 (unsigned long long)prev->end, prev->line);
	}
	return 0;
}

/* Parses "VmFlags: rd wr mr ..." after the key. */
static int parse_vmflags(struct cursor *c, struct maps_vma *v)
{
	v->vmflags = 0;
	for (;;) {
		const char *w;
		int f;

		skip_blanks(c);
		if (c->p == c->end)
			break;
		w = c->p;
		while (c->p < c->end && *c->p != ' ' && *c->p != '\t')
			c->p++;
		f = maps_vmflag_lookup(w, (size_t)(c->p - w));
		if (f < 0)
			return cur_error(c, w, "unknown VmFlags code '%.*s'",
					 (int)(c->p - w), w);
		v->vmflags |= MAPS_VM_BIT(f);
	}
	return 0;
}

/* Parses one "Key: value" smaps field line for the VMA v. */
static int parse_field(struct cursor *c, struct maps_snapshot *s,
		       struct maps_vma *v, bool *seen_vmflags)
{
	const char *key = c->p;
	size_t klen;

	while (c->p < c->end && *c->p != ':' && *c->p != ' ' && *c->p != '\t')
		c->p++;
	klen = (size_t)(c->p - key);
	if (c->p == c->end || *c->p != ':' || !klen)
		return cur_error(c, key, "expected a VMA line (start-end perms offset dev inode [name]) or an smaps field");
	if (!v)
		return cur_error(c, key, "smaps field '%.*s' before the first VMA line",
				 (int)klen, key);
	c->p++;
	s->smaps = true;
	if (klen == 7 && !memcmp(key, "VmFlags", 7)) {
		if (*seen_vmflags)
			return cur_error(c, key, "second VmFlags line for one VMA");
		*seen_vmflags = true;
		v->has_smaps = true;
		return parse_vmflags(c, v);
	}
	if (klen == 9 && !memcmp(key, "Anonymous", 9)) {
		skip_blanks(c);
		if (scan_num(c, 10, "Anonymous size", " \t\n", &v->anon_kb))
			return -1;
		skip_blanks(c);
		if (c->end - c->p != 2 || memcmp(c->p, "kB", 2))
			return cur_error(c, c->p, "expected 'kB' after the Anonymous size");
		return 0;
	}
	return 0;   /* Size, Rss, Pss, ...: statistics, not state */
}

/*
 * Is the line at c a VMA header? The kernel prints addresses in lower-case
 * hex and every smaps field name starts with a capital ("Anonymous" is
 * not an address), so the first character decides.
 */
static bool is_header(const struct cursor *c)
{
	char ch = *c->p;

	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

/*
 * The heap rule of the header comment: [heap] VMAs if any, else the end
 * of the bss that follows the executable's last file VMA.
 */
static void infer_brk(struct maps_snapshot *s)
{
	size_t i, exe = s->nr;

	for (i = 0; i < s->nr; i++) {
		const struct maps_vma *v = &s->vmas[i];

		if (v->kind != MAPS_KIND_HEAP)
			continue;
		if (!s->has_heap)
			s->start_brk = v->start;
		s->has_heap = true;
		s->brk = v->end;
	}
	if (s->has_heap) {
		s->has_brk = true;
		return;
	}
	for (i = 0; i < s->nr; i++)
		if (s->vmas[i].kind == MAPS_KIND_FILE) {
			exe = i;
			break;
		}
	if (exe == s->nr)
		return;
	/* The executable's VMAs follow each other and share its name. */
	while (exe + 1 < s->nr && s->vmas[exe + 1].kind == MAPS_KIND_FILE &&
	       !strcmp(s->vmas[exe + 1].name, s->vmas[exe].name))
		exe++;
	s->brk = s->vmas[exe].end;
	if (exe + 1 < s->nr) {
		const struct maps_vma *bss = &s->vmas[exe + 1];

		if (bss->kind == MAPS_KIND_ANON && !bss->shared &&
		    bss->start == s->vmas[exe].end &&
		    (bss->prot & MAPS_PROT_WRITE))
			s->brk = bss->end;
	}
	s->start_brk = s->brk;
	s->has_brk = true;
}

static bool is_vdso_part(const struct maps_vma *v)
{
	return v->kind == MAPS_KIND_SPECIAL &&
	       (!strcmp(v->name, "[vdso]") || !strcmp(v->name, "[vvar]") ||
		!strcmp(v->name, "[vvar_vclock]"));
}

/* The exec-area rule of the header comment. */
static void infer_exec_area(struct maps_snapshot *s)
{
	size_t i, lo, hi;

	for (i = 0; i < s->nr; i++)
		if (s->vmas[i].kind == MAPS_KIND_SPECIAL &&
		    !strcmp(s->vmas[i].name, "[vdso]"))
			break;
	if (i == s->nr)
		return;
	lo = hi = i;
	while (lo > 0 && is_vdso_part(&s->vmas[lo - 1]) &&
	       s->vmas[lo - 1].end == s->vmas[lo].start)
		lo--;
	while (hi + 1 < s->nr && is_vdso_part(&s->vmas[hi + 1]) &&
	       s->vmas[hi + 1].start == s->vmas[hi].end)
		hi++;
	if (hi + 1 < s->nr && s->vmas[hi + 1].kind == MAPS_KIND_FILE &&
	    s->vmas[hi + 1].start == s->vmas[hi].end) {
		const char *interp = s->vmas[++hi].name;

		while (hi + 1 < s->nr && s->vmas[hi + 1].kind == MAPS_KIND_FILE &&
		       s->vmas[hi + 1].start == s->vmas[hi].end &&
		       !strcmp(s->vmas[hi + 1].name, interp))
			hi++;
	} else if (lo > 0 && s->vmas[lo - 1].kind == MAPS_KIND_FILE &&
		   s->vmas[lo - 1].end == s->vmas[lo].start) {
		const char *interp = s->vmas[--lo].name;

		while (lo > 0 && s->vmas[lo - 1].kind == MAPS_KIND_FILE &&
		       s->vmas[lo - 1].end == s->vmas[lo].start &&
		       !strcmp(s->vmas[lo - 1].name, interp))
			lo--;
	}
	s->has_exec_area = true;
	s->exec_lo = s->vmas[lo].start;
	s->exec_hi = s->vmas[hi].end;
}

int maps_parse_buf(const char *fname, const char *buf, size_t len,
		   struct maps_snapshot *s)
{
	const char *p = buf, *end = buf + len;
	struct cursor c = { .fname = fname };
	struct maps_vma *cur = NULL;
	bool seen_vmflags = false;

	memset(s, 0, sizeof(*s));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		c.line++;
		c.bol = c.p = p;
		c.end = eol;
		if (c.end > c.bol && c.end[-1] == '\r')
			c.end--;
		p = nl ? nl + 1 : end;
		if (c.p == c.end)
			continue;   /* blank lines are tolerated */
		if (is_header(&c)) {
			if (s->smaps && cur && !seen_vmflags)
				return diag_error(fname, cur->line, 0,
						  "smaps VMA has no VmFlags line"), -1;
			if (parse_header(&c, s))
				return -1;
			cur = &s->vmas[s->nr - 1];
			seen_vmflags = false;
			continue;
		}
		if (parse_field(&c, s, cur, &seen_vmflags))
			return -1;
		cur = &s->vmas[s->nr - 1];
	}
	if (!s->nr)
		return diag_error(fname, 0, 0, "no VMA lines in the snapshot"), -1;
	if (s->smaps && !seen_vmflags)
		return diag_error(fname, cur->line, 0,
				  "smaps VMA has no VmFlags line"), -1;
	infer_brk(s);
	infer_exec_area(s);
	return 0;
}

int maps_parse_file(const char *path, struct maps_snapshot *s)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int ret;

	memset(s, 0, sizeof(*s));
	if (!f)
		return diag_error(path, 0, 0, "cannot open: %s", strerror(errno)), -1;
	for (;;) {
		size_t n;

		if (len == cap) {
			char *nb = realloc(buf, cap ? 2 * cap : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return diag_error(path, 0, 0, "out of memory"), -1;
			}
			buf = nb;
			cap = cap ? 2 * cap : 65536;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		int err = errno;

		free(buf);
		fclose(f);
		return diag_error(path, 0, 0, "read error: %s", strerror(err)), -1;
	}
	fclose(f);
	ret = maps_parse_buf(path, buf, len, s);
	free(buf);
	return ret;
}

void maps_snapshot_free(struct maps_snapshot *s)
{
	for (size_t i = 0; i < s->nr; i++)
		free(s->vmas[i].name);
	free(s->vmas);
	memset(s, 0, sizeof(*s));
}

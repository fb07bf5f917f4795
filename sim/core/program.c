/*
 * program.c - storage for parsed workloads (see program.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/program.h"

void program_init(struct program *p, const char *file)
{
	memset(p, 0, sizeof(*p));
	p->file = file;
}

void program_free(struct program *p)
{
	for (uint32_t i = 0; i < p->nr_names; i++)
		free(p->names[i]);
	for (uint32_t i = 0; i < p->nr_strings; i++)
		free(p->strings[i]);
	free(p->names);
	free(p->strings);
	free(p->ops);
	memset(p, 0, sizeof(*p));
}

static int grow(void **arr, size_t elem, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 16;
	void *a;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	a = realloc(*arr, n * elem);
	if (!a)
		return -ENOMEM;
	*arr = a;
	*cap = n;
	return 0;
}

long program_add(struct program *p, const struct op *op)
{
	if (grow((void **)&p->ops, sizeof(*p->ops), &p->cap_ops, p->nr_ops + 1))
		return -ENOMEM;
	p->ops[p->nr_ops] = *op;
	return (long)p->nr_ops++;
}

uint32_t program_name(struct program *p, const char *name, size_t len)
{
	size_t cap = p->cap_names;
	char *s;

	for (uint32_t i = 0; i < p->nr_names; i++)
		if (strlen(p->names[i]) == len && !memcmp(p->names[i], name, len))
			return i;
	if (grow((void **)&p->names, sizeof(char *), &cap, p->nr_names + 1))
		return NAME_NONE;
	p->cap_names = (uint32_t)cap;
	s = strndup(name, len);
	if (!s)
		return NAME_NONE;
	p->names[p->nr_names] = s;
	return p->nr_names++;
}

const char *program_string(struct program *p, const char *str)
{
	size_t cap = p->cap_strings;
	char *s;

	for (uint32_t i = 0; i < p->nr_strings; i++)
		if (!strcmp(p->strings[i], str))
			return p->strings[i];
	if (grow((void **)&p->strings, sizeof(char *), &cap, p->nr_strings + 1))
		return NULL;
	p->cap_strings = (uint32_t)cap;
	s = strdup(str);
	if (!s)
		return NULL;
	p->strings[p->nr_strings++] = s;
	return s;
}

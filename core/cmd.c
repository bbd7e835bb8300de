/*
 * The command table and word matching, shared by the daemon and the client.
 *
 * cmd_table is expanded from core/cli_cmds.def. The table is read as a tree
 * of keywords the way BIRD's client builds one: a node is a sequence of
 * leading keywords ("show", "show status"); its children are the distinct
 * keywords that follow it in table order. A node may carry a real command,
 * a hidden help row (CMDF_HIDDEN, shown by `?` instead of the real row when
 * both exist), or nothing (an inner word of a longer command).
 *
 * Matching walks the tree word by word: a typed word selects the child whose
 * keyword it equals, else the one keyword it is a prefix of; two or more
 * candidates are ambiguous. The walk stops at the first word that matches
 * no child: that word and what follows are the arguments. Keywords are
 * compared case-sensitively, as birdc does. No memory is allocated: the
 * table is small and every walk is a few linear scans of it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/cli.h"

const struct cmd_def cmd_table[CMD__COUNT] = {
#define CMD(id, words, args, help, flags) [CMD_##id] = { CMD_##id, words, args, help, flags },
#include "core/cli_cmds.def"
#undef CMD
};

/* A node of the keyword tree: `depth` leading keywords, spelled as the
 * first `depth` words of table entry `ex` (ex < 0 only for the root). */
struct node {
	int ex;			/* an entry that lies under this node */
	int depth;		/* number of keywords on the path */
};

static int
is_sp(char c)
{
	return isspace((unsigned char)c);
}

/* The i-th keyword of `words`; its length in *len, NULL past the end. */
const char *
cmd_word(const char *words, int i, size_t *len)
{
	const char *p = words;

	*len = 0;
	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			return NULL;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if (i-- == 0) {
			*len = (size_t)(e - p);
			return p;
		}
		p = e;
	}
}

static int
nwords(const char *words)
{
	size_t len;
	int n = 0;

	while (cmd_word(words, n, &len))
		n++;
	return n;
}

/* Does entry e lie under node n (its first n.depth keywords are n's)? */
static int
under(int e, struct node n)
{
	for (int i = 0; i < n.depth; i++) {
		size_t la = 0, lb = 0;
		const char *a = cmd_word(cmd_table[e].words, i, &la);
		const char *b = cmd_word(cmd_table[n.ex].words, i, &lb);
		if (!a || la != lb || memcmp(a, b, la))
			return 0;
	}
	return 1;
}

/* Keyword of entry e at position d, if e is a proper descendant of n and
 * is the first entry in table order that names this child. */
static const char *
child_kw(int e, struct node n, size_t *len)
{
	if (!under(e, n))
		return NULL;
	const char *kw = cmd_word(cmd_table[e].words, n.depth, len);
	if (!kw)
		return NULL;
	for (int j = 0; j < e; j++) {
		size_t l2;
		const char *k2;
		if (under(j, n) && (k2 = cmd_word(cmd_table[j].words, n.depth, &l2)) &&
		    l2 == *len && !memcmp(k2, kw, l2))
			return NULL;
	}
	return kw;
}

/* BIRD's client prefers other keywords to "roa" and "rip" when both are
 * candidates for an abbreviation ("show r" is "show route"). */
static int
prio(const char *kw, size_t len)
{
	return !(len == 3 && (!memcmp(kw, "roa", 3) || !memcmp(kw, "rip", 3)));
}

/* The child of n that word w (length wl) names: an exact keyword wins,
 * else the only one (of the highest priority) it abbreviates. */
static int
find_abbrev(struct node n, const char *w, size_t wl, int *ambig)
{
	int best = -1, best_prio = -1, count = 0;

	*ambig = 0;
	for (int e = 0; e < CMD__COUNT; e++) {
		size_t len;
		const char *kw = child_kw(e, n, &len);
		if (!kw || len < wl || memcmp(kw, w, wl))
			continue;
		if (len == wl)
			return e;
		int p = prio(kw, len);
		if (p < best_prio)
			continue;
		if (p > best_prio)
			count = 0;
		best = e;
		best_prio = p;
		count++;
	}
	if (count > 1) {
		*ambig = 1;
		return -1;
	}
	return best;
}

/* The entry that sits exactly at node n: the real command, or with
 * want_help the hidden help row when there is one. */
static int
at_node(struct node n, int want_help)
{
	int real = -1, help = -1;

	if (n.ex < 0)
		return -1;
	for (int e = 0; e < CMD__COUNT; e++) {
		if (!under(e, n) || nwords(cmd_table[e].words) != n.depth)
			continue;
		if (cmd_table[e].flags & CMDF_HIDDEN) {
			if (help < 0)
				help = e;
		} else if (real < 0) {
			real = e;
		}
	}
	if (want_help && help >= 0)
		return help;
	return real >= 0 ? real : (want_help ? -1 : help);
}

/*
 * Walk the words of line[0..len) down the tree. Returns the deepest node
 * reached; *stop is just past its last keyword (where the arguments
 * begin, leading spaces included), or at the ambiguous word if the walk
 * stopped on one, which *amb_w and *amb_l then give.
 */
static struct node
walk(const char *line, size_t len, const char **stop, const char **amb_w, size_t *amb_l)
{
	struct node n = { -1, 0 };
	const char *p = line, *end = line + len;

	*amb_w = NULL;
	*stop = line;
	while (p < end) {
		if (is_sp(*p)) {
			p++;
			continue;
		}
		const char *w = p;
		while (p < end && !is_sp(*p))
			p++;
		int ambig, e = find_abbrev(n, w, (size_t)(p - w), &ambig);
		if (ambig) {
			*amb_w = w;
			*amb_l = (size_t)(p - w);
			*stop = w;
			return n;
		}
		if (e < 0)
			return n;
		n.ex = e;
		n.depth++;
		*stop = p;
	}
	return n;
}

enum cmd_match
cmd_match(const char *line, const struct cmd_def **out, const char **rest,
	  char *expanded, size_t exlen)
{
	const char *stop, *amb_w;
	size_t amb_l;
	struct node n = walk(line, strlen(line), &stop, &amb_w, &amb_l);

	*out = NULL;
	*rest = stop;
	if (amb_w)
		return CMD_MATCH_AMBIG;
	/* A node with only a help row ("show") still matches; the caller
	 * sees CMDF_HIDDEN and reports it as birdc does. */
	int e = at_node(n, 0);
	if (e < 0)
		return CMD_MATCH_NONE;
	*out = &cmd_table[e];
	/* `stop` sits right after the last keyword: birdc sends the full
	 * keywords followed by the line from there on, spacing unchanged. */
	if (expanded && exlen)
		snprintf(expanded, exlen, "%s%s", cmd_table[e].words, stop);
	while (is_sp(**rest))
		(*rest)++;
	return CMD_MATCH_OK;
}

/* One help row as birdc prints it: "words args" padded to 45, two spaces,
 * the help text. */
static void
emit_row(int e, void (*emit)(const char *row, void *arg), void *arg)
{
	const struct cmd_def *c = &cmd_table[e];
	char lhs[256], row[512];

	snprintf(lhs, sizeof lhs, "%s %s", c->words, c->args);
	snprintf(row, sizeof row, "%-45s  %s", lhs, c->help);
	emit(row, arg);
}

/* The row that stands for child node (ex, depth): its hidden help row,
 * else its command, else (an inner word) its first descendant's row. */
static int
child_row(struct node child)
{
	int e = at_node(child, 1);
	return e >= 0 ? e : child.ex;
}

/* Rows of the children of n whose keywords start with w[0..wl). */
static int
list_children(struct node n, const char *w, size_t wl, int exact_too,
	      void (*emit)(const char *row, void *arg), void *arg)
{
	int rows = 0;

	for (int e = 0; e < CMD__COUNT; e++) {
		size_t len;
		const char *kw = child_kw(e, n, &len);
		if (!kw || len < wl || (len == wl && !exact_too) || memcmp(kw, w, wl))
			continue;
		struct node c = { e, n.depth + 1 };
		emit_row(child_row(c), emit, arg);
		rows++;
	}
	return rows;
}

int
cmd_help_rows(const char *line, void (*emit)(const char *row, void *arg), void *arg)
{
	const char *stop, *amb_w;
	size_t amb_l;
	struct node n = walk(line, strlen(line), &stop, &amb_w, &amb_l);

	/* Ambiguous word: the keywords it could abbreviate (birdc lists only
	 * the longer ones, an exact keyword never being ambiguous). */
	if (amb_w)
		return list_children(n, amb_w, amb_l, 0, emit, arg);

	/* Otherwise the node's own command, then a row per child. */
	int rows = 0, e = at_node(n, 0);
	if (e >= 0 && !(cmd_table[e].flags & CMDF_HIDDEN)) {
		emit_row(e, emit, arg);
		rows++;
	}
	return rows + list_children(n, "", 0, 1, emit, arg);
}

int
cmd_complete(const char *line, char *ext, size_t extlen,
	     void (*emit)(const char *word, void *arg), void *arg)
{
	size_t len = strlen(line), fin = len;
	const char *stop, *amb_w;
	size_t amb_l;

	if (extlen)
		ext[0] = 0;
	/* The word being completed runs from `fin` to the end. */
	while (fin > 0 && !is_sp(line[fin - 1]))
		fin--;
	struct node n = walk(line, fin, &stop, &amb_w, &amb_l);
	if (amb_w)
		return -1;
	if (stop < line + fin) {
		/* an earlier word matched nothing: we are in the arguments */
		const char *p = stop;
		while (p < line + fin && is_sp(*p))
			p++;
		if (p < line + fin)
			return 0;
	}

	const char *w = line + fin, *first = NULL;
	size_t wl = len - fin, common = 0;
	int count = 0, best_prio = -1;
	for (int e = 0; e < CMD__COUNT; e++) {
		size_t kl;
		const char *kw = child_kw(e, n, &kl);
		if (!kw || kl < wl || memcmp(kw, w, wl))
			continue;
		int p = prio(kw, kl);
		if (p < best_prio)
			continue;
		if (p > best_prio) {
			count = 0;
			best_prio = p;
		}
		if (count++ == 0) {
			first = kw + wl;
			common = kl - wl;
		} else {
			size_t i = 0;
			while (i < common && i < kl - wl && first[i] == kw[wl + i])
				i++;
			common = i;
		}
	}
	if (count && extlen) {
		size_t c = common < extlen - 1 ? common : extlen - 1;
		memcpy(ext, first, c);
		ext[c] = 0;
	}
	/* Report the candidates of the winning priority only. */
	if (emit && count) {
		for (int e = 0; e < CMD__COUNT; e++) {
			size_t kl;
			const char *kw = child_kw(e, n, &kl);
			char word[128];
			if (!kw || kl < wl || memcmp(kw, w, wl) || prio(kw, kl) != best_prio)
				continue;
			snprintf(word, sizeof word, "%.*s", (int)kl, kw);
			emit(word, arg);
		}
	}
	return count;
}

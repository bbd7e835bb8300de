/*
 * Keywords: BIRD 2's reserved words (keywords.def) looked up through a
 * hash. The words the grammar uses map to their own tokens, the rest to
 * KW; either way a keyword is never a name.
 */
#include <stdlib.h>
#include <string.h>

#include "lang/cf_int.h"
#include "lang/parser.h"

struct kw {
	const char *name;	/* lower case, as written in a config */
	int token;		/* TOK_* */
};

static const struct kw keywords[] = {
#define CF_KW(s, t) { s, TOK_##t },
#include "lang/keywords.def"
#undef CF_KW
};

/* the lexer asks for every word it reads: an open-addressed hash of the
 * keywords (index + 1), made on first use, costs one strcmp per keyword
 * where the binary search cost ten */
enum { KW_HASH = 2048 };
static uint16_t kw_hash[KW_HASH];

static unsigned
kw_slot(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h & (KW_HASH - 1);
}

int
cf_keyword(const char *name, const char **text)
{
	const size_t n = sizeof keywords / sizeof keywords[0];
	static bool made;

	_Static_assert(sizeof keywords / sizeof keywords[0] < KW_HASH / 2, "keyword hash too small");
	if (!made) {
		for (size_t i = 0; i < n; i++) {
			unsigned h = kw_slot(keywords[i].name);
			while (kw_hash[h])
				h = (h + 1) & (KW_HASH - 1);
			kw_hash[h] = (uint16_t)(i + 1);
		}
		made = true;
	}
	for (unsigned h = kw_slot(name); kw_hash[h]; h = (h + 1) & (KW_HASH - 1)) {
		const struct kw *k = &keywords[kw_hash[h] - 1];
		if (!strcmp(k->name, name)) {
			*text = k->name;
			return k->token;
		}
	}
	return -1;
}

int
cf_is_keyword(const char *name)
{
	const char *t;

	return cf_keyword(name, &t) >= 0;
}

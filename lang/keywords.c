/*
 * Keywords: BIRD 2's reserved words (keywords.def) looked up by binary
 * search. The words the grammar uses map to their own tokens, the rest to
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

static int
kwcmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct kw *)elem)->name);
}

int
cf_keyword(const char *name, const char **text)
{
	const struct kw *k = bsearch(name, keywords, sizeof keywords / sizeof keywords[0],
				     sizeof keywords[0], kwcmp);
	if (!k)
		return -1;
	*text = k->name;
	return k->token;
}

int
cf_is_keyword(const char *name)
{
	const char *t;

	return cf_keyword(name, &t) >= 0;
}

/*
 * The filter language's syntax tree, as the parser leaves it for the
 * compiler: one tree per filter and per function, typed and resolved.
 * Grammar actions build it bottom-up through the constructors in ast.c;
 * each constructor hands the new node to the checker (typecheck.c), which
 * gives it its static type and reports BIRD's parse-time errors. By the
 * time a config is returned without errors:
 *   - every N_VAR / N_SET_VAR / N_DECL / N_FOR names a SYM_VARIABLE whose
 *     struct f_var holds its type and its slot in the frame;
 *   - every N_ATTR / N_SET_ATTR / N_UNSET / N_DEFINED points at a struct
 *     f_attr (built in, or a custom `attribute` declaration);
 *   - every N_CALL points at a struct f_function with its arity checked;
 *   - constant sub-terms that BIRD folds (sets, pairs of constants, list
 *     and path operations on constants, ...) are N_CONST with their value
 *     (lists and paths in the VM's layout, see lang/eval.c).
 * A node's type is T_VOID when it is not known statically (BIRD checks
 * those at run time) or when an error was already reported for it; the
 * checker never reports a second error about a T_VOID operand.
 *
 * Everything lives in the config's pool and is immutable once parsed,
 * except a static route's block (FF_CMDS): its tree is built in the
 * parser's scratch pool, compiled into the config's program as soon as it
 * is read, and dropped (body NULL); reconfiguration compares the code.
 */
#ifndef BIRCH_LANG_AST_H
#define BIRCH_LANG_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "lang/lang.h"
#include "vm/vm.h"

enum f_node_kind {
	/* expressions */
	N_CONST,	/* val */
	N_VAR,		/* sym: read a variable or argument */
	N_ATTR,		/* attr: read a route attribute */
	N_BINOP,	/* op, a, b */
	N_NOT,		/* a: !a */
	N_PAIR,		/* a, b: (a, b) of non-constant parts */
	N_LC,		/* a, b, c: (a, b, c) of non-constant parts */
	N_EC,		/* ec_kind, a, b: (rt|ro|generic|unknown N, a, b) */
	N_EMPTY,	/* type: `x.empty` of a non-list x (empty lists are N_CONST) */
	N_PATH_MASK,	/* mask: [= ... =] */
	N_METHOD,	/* method, a (the object), args: a.len, a.add(x), add(a, x) */
	N_CALL,		/* sym (SYM_FUNCTION), args */
	N_DEFINED,	/* attr: defined(attr) */
	N_ROA_CHECK,	/* sym (SYM_TABLE), args: none (net, bgp_path) or (prefix, asn) */
	N_FORMAT,	/* a: format(a) -> string */
	/* statements */
	N_BLOCK,	/* args: the statements in order */
	N_DECL,		/* sym, a (initial value, or NULL) */
	N_SET_VAR,	/* sym, a */
	N_SET_ATTR,	/* attr, a */
	N_UNSET,	/* attr */
	N_IF,		/* a (condition), b (then), c (else, or NULL) */
	N_CASE,		/* a (value), cases */
	N_FOR,		/* sym (loop variable), a (what to iterate), b (body) */
	N_RETURN,	/* a (value, or NULL in a filter) */
	N_ACCEPT,	/* args: message terms (printed), may be none */
	N_REJECT,	/* args: as N_ACCEPT */
	N_ERROR,	/* args: `error "..."` ends the filter with a runtime error */
	N_PRINT,	/* args; newline: print (true) or printn (false) */
	N_BT_ASSERT,	/* a: bt_assert(a) */
	N_CALL_STMT,	/* a: a function call whose value is dropped */
};

enum f_op {
	OP_ADD, OP_SUB, OP_MUL, OP_DIV,		/* int */
	OP_AND, OP_OR,				/* bool, short-circuit */
	OP_EQ, OP_NEQ, OP_LT, OP_GT, OP_LE, OP_GE,	/* comparison */
	OP_MATCH, OP_NMATCH,			/* ~ and !~ */
};

/* methods and their function forms (prepend(p, a) is M_PREPEND on p) */
enum f_method {
	M_LEN, M_FIRST, M_LAST, M_LAST_NONAGG, M_ASN, M_DATA, M_DATA1, M_DATA2,
	M_IP, M_MASK, M_TYPE, M_SRC, M_DST, M_MAXLEN, M_RD, M_MIN, M_MAX, M_IS_V4,
	M_EMPTY, M_PREPEND, M_ADD, M_DELETE, M_FILTER,
	M__COUNT
};

/* extended community kinds, as written in (KIND, a, b) */
enum f_ec_kind { EC_RT, EC_RO, EC_GENERIC, EC_UNKNOWN };

/* A route attribute: built in (attrs.c) or declared with `attribute`. */
enum f_attr_flags {
	FA_RO = 1,		/* read-only: assigning it is an error */
	FA_STATIC = 2,		/* a field of the route itself (net, gw, ...) */
	FA_CUSTOM = 4,		/* `attribute TYPE NAME` */
	FA_BIRCH = 8,		/* Birch only, not in BIRD 2 (krt_tunnel for Calico) */
};

struct f_attr {
	const char *name;	/* as written in a filter */
	enum f_type type;	/* its value's type */
	uint16_t id;		/* custom: F_ATTR_CUSTOM + n; built-ins: see f_attr_id() */
	uint8_t flags;		/* enum f_attr_flags */
};

#define F_ATTR_CUSTOM 0x1000	/* first id of a custom attribute */

/* One element of a bgpmask [= ... =] */
enum f_pm_kind {
	PM_ASN,		/* a fixed ASN: asn */
	PM_ASTERISK,	/* '*': any number of ASNs */
	PM_QUESTION,	/* '?': exactly one ASN */
	PM_RANGE,	/* lo..hi: one ASN in the range */
	PM_EXPR,	/* expr: one ASN, computed at run time (an int term) */
	PM_SET,		/* expr: one ASN in a set (an int set term) */
};

struct f_pm_item {
	enum f_pm_kind kind;	/* which of the below */
	uint32_t asn, lo, hi;	/* PM_ASN, PM_RANGE */
	struct f_node *expr;	/* PM_EXPR, PM_SET */
};

struct f_path_mask {
	unsigned n;			/* items */
	struct f_pm_item *items;	/* in the order written */
};

/* One label group of a `case`: `1, 2..5, (64500, *): stmts;` or `else: stmts;` */
struct f_case {
	struct f_case *next;	/* in the order written */
	struct f_val labels;	/* a T_SET / T_PREFIX_SET of the labels; T_VOID for else */
	bool is_else;		/* `else:` */
	struct f_node *body;	/* N_BLOCK */
};

struct f_node {
	enum f_node_kind kind;		/* what it is */
	enum f_type type;		/* static type; T_VOID: unknown or erroneous */
	struct f_node *next;		/* next argument or statement in a list */
	const char *file;		/* where it starts */
	int line, col;
	struct f_node *a, *b, *c;	/* operands, see the kinds */
	struct f_node *args;		/* argument or statement list (via next) */
	struct cf_symbol *sym;		/* N_VAR, N_SET_VAR, N_DECL, N_FOR, N_CALL, N_ROA_CHECK */
	const struct f_attr *attr;	/* N_ATTR, N_SET_ATTR, N_UNSET, N_DEFINED */
	struct f_case *cases;		/* N_CASE */
	struct f_path_mask *mask;	/* N_PATH_MASK */
	struct f_val val;		/* N_CONST */
	int op;				/* N_BINOP: enum f_op; N_METHOD: enum f_method;
					   N_EC: enum f_ec_kind; N_PRINT: newline;
					   N_DECL: 1 when declared before a body's
					   brace (BIRD 2.0 style, starts empty) */
};

/* A variable or argument: the u.ptr of a SYM_VARIABLE symbol. */
struct f_var {
	enum f_type type;		/* declared type */
	unsigned slot;			/* index in its function's or filter's frame */
	bool is_arg;			/* a function argument */
};

/* `function NAME(args) [-> TYPE] { ... }`: u.ptr of a SYM_FUNCTION. */
struct f_function {
	struct cf_symbol *sym;		/* its name */
	unsigned nargs;			/* arguments, slots 0..nargs-1 */
	struct cf_symbol **argv;	/* their symbols (SYM_VARIABLE) */
	enum f_type ret;		/* declared or inferred return type; T_VOID: none/unknown */
	bool ret_declared;		/* written as `-> TYPE` (2.13+) */
	unsigned nslots;		/* frame size: arguments and every local */
	struct f_node *body;		/* N_BLOCK */
};

/* What a channel's import/export (or `show route filter`) runs. */
enum f_filter_kind {
	FF_ALL,		/* `all`: accept everything */
	FF_NONE,	/* `none`: reject everything */
	FF_NAMED,	/* `filter NAME { ... }` declared globally */
	FF_INLINE,	/* `filter { ... }` written in place */
	FF_WHERE,	/* `where EXPR`: accept when EXPR is true */
	FF_CMDS,	/* commands run on a route (a static route's `{ ... }`): running
			 * off the end accepts, as BIRD runs such blocks */
};

/* A filter: the u.ptr of a SYM_FILTER, or made in place by filter_spec. */
struct f_filter {
	enum f_filter_kind kind;	/* see above */
	const char *name;		/* FF_NAMED: its name; others: "(unnamed)" */
	unsigned nslots;		/* frame size: its local variables */
	struct f_node *body;		/* N_BLOCK; for FF_WHERE an N_IF accept/reject */
	const char *file;		/* where it was written */
	int line, col;
};

/* `ipv4 table NAME` etc.: u.ptr of a SYM_TABLE */
enum f_table_type { TAB_IPV4, TAB_IPV6, TAB_ROA4, TAB_ROA6, TAB_ANY };

struct f_table {
	const char *name;		/* as declared */
	enum f_table_type type;		/* its net type; TAB_ANY: BIRD 1.x `table NAME` */
	/* BIRD 2's table options: `ipv4 table T [sorted] [{ ... }]` */
	uint32_t sorted;		/* `sorted`: routes kept in preference order */
	uint32_t trie;			/* `trie`: a prefix trie for net lookups */
	uint32_t gc_threshold;		/* `gc threshold N`, 0: default */
	uint32_t gc_period, gc_period_unit;	/* `gc period N s|ms|us`: N, µs per unit */
	uint32_t min_settle, min_settle_unit;	/* `min settle time N s|ms|us` */
	uint32_t max_settle, max_settle_unit;	/* `max settle time N s|ms|us` */
};

/* A `bt_test_suite(f, "description")` or `bt_test_same(f, g, expected)`. */
struct f_test {
	struct f_test *next;		/* in file order */
	const struct f_function *fn;	/* the test */
	const struct f_function *fn2;	/* bt_test_same: the other function, or NULL */
	const char *desc;		/* description, or NULL */
	uint32_t expected;		/* bt_test_same's third argument */
	const char *file;		/* where it was written */
	int line;
};

/* attrs.c: the route attributes and enum constants a filter can name */
const struct f_attr *f_attr_find(const char *name);	/* built in, or NULL */
uint16_t f_attr_id(const struct f_attr *a);		/* stable number for the compiler */
int f_method_find(const char *name);			/* enum f_method, or -1 */
int f_enum_find(const char *name, struct f_val *out);	/* 0 and the value, or -1 */
const char *f_method_name(enum f_method m);		/* "len", "prepend", ... */
const char *f_op_name(enum f_op op);			/* BIRD's instruction name: "ADD" */
/* typecheck.c: BIRD's error for a ROA/VPN/SADR accessor (.maxlen, .asn,
 * .rd, .src, .dst) on an IP net, the only nets Birch holds; NULL if none */
const char *f_net_method_error(enum f_method m);

#endif

/*
 * The config grammar: BIRD 2's global statements, `define` with constant
 * terms and sets, and protocol/template headers with the options every
 * protocol takes. Each action is one call into build.c or eval.c.
 *
 * Error recovery resumes at `;` (a statement) and at `}` (a protocol
 * body), so one run reports every error. Statements and protocol options
 * Birch does not implement yet are recognised by their leading keyword and
 * swallowed whole (up to `;` or a balanced `{ }`) with one error naming
 * them. Syntax errors read like BIRD's: "syntax error, unexpected X[,
 * expecting Y or Z]" with BIRD's token names.
 *
 * Nonterminals for the protocol and channel rules (the filter language's
 * section at the end of this file owns them):
 *   filter_spec  `all | none | filter NAME | filter { ... } | where EXPR`,
 *                a const struct f_filter * (lang/ast.h) for a channel's
 *                import/export; cf_filter_spec() in ast.c makes it.
 *   term         a filter expression: struct f_node * (typed syntax tree).
 *   cterm        a term folded to a constant (struct f_val, T_VOID after an
 *                error was reported): for option values and `define`.
 *   expr         an int constant (NUM, a constant's name or `( cterm )`).
 *   cmds         a list of filter statements (struct f_node *, chained by
 *                next): for blocks such as a static route's `{ bgp_med = 5; }`;
 *                wrap it with cf_scope_push()/cf_scope_pop() if it may declare.
 * Route attribute names are the token ATTR (plus FROM and PREFERENCE) and
 * carry their text, like KW; enum constants (RTS_BGP, ...) are ENUM.
 */
%code requires {
#include "lang/cf_int.h"
#include "lang/ast.h"
#define CF_YYLTYPE struct cf_loc
#define CF_YYLTYPE_IS_DECLARED 1
}

%code {
#include <stdio.h>
#include <string.h>

int cf_lex(CF_YYSTYPE *lval, struct cf_loc *lloc, void *scanner);
static int braces(struct cf_parser *P, int t);

static int
cf_yylex(CF_YYSTYPE *lval, struct cf_loc *lloc, struct cf_parser *P)
{
	if (P->too_many)
		return TOK_END;
	if (P->start) {		/* an entry point other than a config (cf_parse_term) */
		int t = P->start;
		P->start = 0;
		return t;
	}
	return braces(P, cf_lex(lval, lloc, P->scanner));
}

/*
 * A `{` in a protocol body after a statement whose option takes filter
 * commands (a static route's `{ bgp_med = 5; }`) opens `cmds`, not a block
 * of options; the grammar cannot tell the two apart, so the token does:
 * it comes as FBLOCK. This follows `{`, `}` and `;` to know the depth and
 * each statement's leading keyword (keywords are the tokens DEFINE..ATTR,
 * declared in one run below).
 */
static int
braces(struct cf_parser *P, int t)
{
	switch (t) {
	case '{':
		P->stmt_start = true;
		if (P->braces++ == 1 && P->kind && P->stmt_head &&
		    cf_opt_takes_cmds(P->kind->opts, P->stmt_head))
			t = TOK_FBLOCK;
		P->stmt_head = NULL;
		break;
	case '}':
		P->braces -= P->braces > 0;
		P->stmt_start = true;
		P->stmt_head = NULL;
		break;
	case ';':
		P->stmt_start = true;
		break;
	default:
		if (P->stmt_start)
			P->stmt_head = t >= TOK_DEFINE && t <= TOK_ATTR ? P->last_kw : NULL;
		P->stmt_start = false;
	}
	return t;
}

static void
cf_yyerror(const struct cf_loc *l, struct cf_parser *P, const char *msg)
{
	cf_err(P, l, "%s", msg);
}

#define YYLLOC_DEFAULT(Cur, Rhs, N)					\
	do {								\
		(Cur) = (N) ? YYRHSLOC(Rhs, 1) : YYRHSLOC(Rhs, 0);	\
	} while (0)
}

%define api.pure full
%define api.prefix {cf_yy}
%define api.token.prefix {TOK_}
%define parse.error custom
%define parse.lac full
%locations
%param {struct cf_parser *P}

%union {
	uint32_t i;			/* NUM, flags, masks */
	uint64_t rd;			/* VPN_RD */
	ip_addr ip;			/* IP4, IP6 */
	char *s;			/* TEXT, in the config pool */
	const char *t;			/* keywords (their static text) */
	struct cf_symref sym;		/* CF_SYM_KNOWN, CF_SYM_UNDEFINED */
	struct f_val v;			/* terms */
	struct cf_set_item *item;	/* one element of a set (eval.c's, in the pool) */
	struct cf_setb *setb;		/* a set being built */
	struct log_target *lt;		/* `log` destination */
	const struct proto_class *kind;	/* protocol kind, NULL: skip */
	struct cf_stmt *stmt;		/* a protocol statement, collected */
	struct cf_limit limit;		/* import/receive/export limit */
	int n;				/* small enums */
	struct f_node *node;		/* filter syntax (lang/ast.h) */
	struct f_case *cases;		/* `case` labels and bodies */
	struct f_path_mask *pm;		/* a bgpmask being built */
	struct f_pm_item pmi;		/* one item of a bgpmask */
	const struct f_filter *filter;	/* filter_spec */
}

%token END 0			/* BIRD's name for the end of input */
%token <i> NUM
%token <ip> IP4 IP6
%token <rd> VPN_RD
%token <v> BYTETEXT			/* hex:01:02, 16+ hex pairs (2.14+) */
%token <sym> CF_SYM_KNOWN CF_SYM_UNDEFINED
%token <s> TEXT
%token DDOT GEQ LEQ NEQ AND OR NMA PO PC IMP

%token <t> DEFINE ROUTER ID FROM HOSTNAME LOG STDERR SYSLOG NAME ALL DEBUG
%token <t> PROTOCOLS COMMANDS OFF STATES ROUTES FILTERS INTERFACES EVENTS
%token <t> PACKETS TIMEFORMAT ROUTE PROTOCOL BASE ISO SHORT LONG MS US
%token <t> GRACEFUL RESTART WAIT TEMPLATE DISABLED DESCRIPTION TRUE FALSE ON
%token <t> YES NO INFO WARNING ERROR FATAL TRACE REMOTE AUTH BUG BGP KERNEL
%token <t> DEVICE DIRECT STATIC PIPE KW
/* protocol bodies and channels (also FILTER WHERE NONE for filter_spec) */
%token <t> IMPORT EXPORT TABLE PREFERENCE RECEIVE LIMIT ACTION WARN BLOCK DISABLE KEEP FILTERED IPV4 IPV6 NONE FILTER WHERE

/* the filter language */
%token <t> FUNCTION IF THEN ELSE CASE FOR IN DO RETURN ACCEPT REJECT PRINT PRINTN BT_ASSERT BT_TEST_SUITE BT_TEST_SAME DEFINED UNSET ROA_CHECK FORMAT PREPEND ADD DELETE EMPTY
%token <t> ATTRIBUTE ROA4 ROA6 INT BOOL IP PREFIX PAIR QUAD EC LC STRING BYTESTRING BGPMASK BGPPATH CLIST ECLIST LCLIST SET RD RT RO GENERIC UNKNOWN ENUM ATTR
%token FBLOCK				/* `{` of filter commands in an option (see braces()) */
%token START_FILTER START_TERM		/* entry points for CLI filters and terms */

%precedence ADDR			/* an address, unless '/' makes it a prefix */
%precedence THEN			/* if-then without else ... */
%precedence ELSE			/* ... takes the nearest else */
%left AND OR
%nonassoc '=' '<' '>' GEQ LEQ NEQ '~' NMA
%left '+' '-'
%left '*' '/'
%precedence '!'
%precedence '.'

%type <i> idval expr bool log_mask log_classes log_class debug_mask debug_flags debug_flag
%type <n> tf_which proto_start
%type <s> text
%type <t> top_head opt_head any_kw any opt_word block_word opt_kw
%type <sym> symbol
%type <v> cterm constant net set_atom sym_atom
%type <node> term args cmd cmds body decls for_var
%type <item> case_item patt
%type <setb> case_labels
%type <n> ec_kind method_fn ftype fn_ret table_kind
%type <t> attr_word method_word
%type <cases> cases
%type <pm> pm_items
%type <pmi> pm_item
%type <filter> filter_spec opt_cmds
%type <item> set_item
%type <setb> set_items pset_items
%type <lt> log_dest
%type <kind> proto_kind
%type <stmt> opt_stmt opt_tail opt_block opt_block_items
%type <v> opt_value
%type <s> opt_punct
%type <n> chan_type
%type <limit> chan_limit

%%

input
	: config
	| START_FILTER filter_spec		{ P->cli_filter = $2; }
	| START_TERM term			{ P->cli_term = $2; }
	;

config
	: %empty
	| config stmt
	;

stmt
	: ';'
	| DEFINE symbol '=' cterm ';'		{ cf_define(P, &$2, &@2, &$4); }
	| filter_def
	| function_def
	| ATTRIBUTE ftype symbol ';'		{ cf_attribute(P, $2, &$3, &@3); }
	| table_kind TABLE symbol opt_tail ';'	{ cf_table(P, $1, &$3, $4, &@3); }
	| table_kind TABLE symbol opt_tail opt_block	{ cf_table(P, $1, &$3, cf_stmt_block(P, $4, $5, &@5), &@3); }
	| TABLE symbol ';'			{ cf_table(P, TAB_ANY, &$2, NULL, &@2); }
	| BT_TEST_SUITE '(' CF_SYM_KNOWN ',' text ')'	{ cf_test_suite(P, &$3, $5, &@3); }
	| BT_TEST_SAME '(' CF_SYM_KNOWN ',' CF_SYM_KNOWN ',' NUM ')'	{ cf_test_same(P, &$3, &$5, $7, &@3); }
	| ROUTER ID idval ';'			{ P->conf->router_id = $3; }
	| ROUTER ID FROM rid_patts ';'
	| HOSTNAME text ';'			{ P->conf->hostname = $2; }
	| LOG log_dest log_mask ';'		{ cf_log(P, $2, $3); }
	| DEBUG PROTOCOLS debug_mask ';'	{ P->conf->debug_protocols = $3; }
	| DEBUG COMMANDS expr ';'		{ P->conf->debug_commands = $3; }
	| TIMEFORMAT tf_which text ';'		{ cf_timeformat(P, $2, $3, 0, NULL); }
	| TIMEFORMAT tf_which text expr text ';'	{ cf_timeformat(P, $2, $3, $4, $5); }
	| TIMEFORMAT tf_which ISO SHORT ';'	{ cf_timeformat_iso(P, $2, "iso short"); }
	| TIMEFORMAT tf_which ISO LONG ';'	{ cf_timeformat_iso(P, $2, "iso long"); }
	| TIMEFORMAT tf_which ISO SHORT MS ';'	{ cf_timeformat_iso(P, $2, "iso short ms"); }
	| TIMEFORMAT tf_which ISO LONG MS ';'	{ cf_timeformat_iso(P, $2, "iso long ms"); }
	| TIMEFORMAT tf_which ISO SHORT US ';'	{ cf_timeformat_iso(P, $2, "iso short us"); }
	| TIMEFORMAT tf_which ISO LONG US ';'	{ cf_timeformat_iso(P, $2, "iso long us"); }
	| GRACEFUL RESTART WAIT expr ';'	{ P->conf->gr_wait = $4; }
	| proto
	| top_head					{ cf_unknown_begin(P, $1, &@1); }
	  unknown_rest					{ cf_unknown_end(P, false); }
	| error ';'				{ yyerrok; cf_recover(P); }
	| error '}'				{ yyerrok; cf_recover(P); }
	;

symbol
	: CF_SYM_UNDEFINED
	| CF_SYM_KNOWN
	;

text
	: TEXT
	| CF_SYM_KNOWN				{ $$ = cf_text_sym(P, &$1, &@1); }
	;

/* BIRD's `expr`: a number, a constant, or a term in parentheses */
expr
	: NUM
	| '(' cterm ')'				{ $$ = cf_int_expr(P, &$2, &@2); }
	| CF_SYM_KNOWN				{ struct f_val v; cf_sym_value(P, &v, &$1, &@1); $$ = cf_int_expr(P, &v, &@1); }
	;

idval
	: NUM
	| IP4					{ $$ = ip4_to_u32($1); }
	| '(' cterm ')'				{ $$ = cf_idval(P, &$2, &@2); }
	| CF_SYM_KNOWN				{ $$ = cf_idval_sym(P, &$1, &@1); }
	;

rid_patts
	: rid_patt
	| rid_patts ',' rid_patt
	;

rid_patt
	: text					{ cf_rid_from(P, $1, false); }
	| '-' text				{ cf_rid_from(P, $2, true); }
	;

/* ---- log, debug, timeformat ------------------------------------------ */

log_dest
	: text					{ $$ = cf_log_target(P, LOGT_FILE, $1, 0, NULL); }
	| text expr text			{ $$ = cf_log_target(P, LOGT_FILE, $1, $2, $3); }
	| SYSLOG				{ $$ = cf_log_target(P, LOGT_SYSLOG, NULL, 0, NULL); }
	| SYSLOG NAME text			{ $$ = cf_log_target(P, LOGT_SYSLOG, $3, 0, NULL); }
	| STDERR				{ $$ = cf_log_target(P, LOGT_STDERR, NULL, 0, NULL); }
	;

log_mask
	: ALL					{ $$ = LOG_ALL; }
	| '{' log_classes '}'			{ $$ = $2; }
	;

log_classes
	: log_class
	| log_classes ',' log_class		{ $$ = $1 | $3; }
	;

log_class
	: DEBUG					{ $$ = 1u << L_DEBUG; }
	| TRACE					{ $$ = 1u << L_TRACE; }
	| INFO					{ $$ = 1u << L_INFO; }
	| REMOTE				{ $$ = 1u << L_REMOTE; }
	| WARNING				{ $$ = 1u << L_WARN; }
	| ERROR					{ $$ = 1u << L_ERR; }
	| AUTH					{ $$ = 1u << L_AUTH; }
	| FATAL					{ $$ = 1u << L_FATAL; }
	| BUG					{ $$ = 1u << L_BUG; }
	;

debug_mask
	: ALL					{ $$ = D_ALL; }
	| OFF					{ $$ = 0; }
	| '{' debug_flags '}'			{ $$ = $2; }
	;

debug_flags
	: debug_flag
	| debug_flags ',' debug_flag		{ $$ = $1 | $3; }
	;

debug_flag
	: STATES				{ $$ = D_STATES; }
	| ROUTES				{ $$ = D_ROUTES; }
	| FILTERS				{ $$ = D_FILTERS; }
	| INTERFACES				{ $$ = D_IFACES; }
	| EVENTS				{ $$ = D_EVENTS; }
	| PACKETS				{ $$ = D_PACKETS; }
	;

table_kind
	: IPV4					{ $$ = TAB_IPV4; }
	| IPV6					{ $$ = TAB_IPV6; }
	| ROA4					{ $$ = TAB_ROA4; }
	| ROA6					{ $$ = TAB_ROA6; }
	;

tf_which
	: ROUTE					{ $$ = TF_ROUTE; }
	| PROTOCOL				{ $$ = TF_PROTO; }
	| BASE					{ $$ = TF_BASE; }
	| LOG					{ $$ = TF_LOG; }
	;

/* ---- protocols and templates ----------------------------------------- */

proto
	: proto_start proto_kind		{ cf_proto_begin(P, $1, $2, &@2); }
	  proto_name proto_body
	;

proto_start
	: PROTOCOL				{ $$ = 0; P->proto_stmts++; }
	| TEMPLATE				{ $$ = 1; }
	;

proto_kind
	: BGP					{ $$ = cf_proto_kind_word(P, $1, true, &@1); }
	| KERNEL				{ $$ = cf_proto_kind_word(P, $1, true, &@1); }
	| DEVICE				{ $$ = cf_proto_kind_word(P, $1, true, &@1); }
	| DIRECT				{ $$ = cf_proto_kind_word(P, $1, true, &@1); }
	| STATIC				{ $$ = cf_proto_kind_word(P, $1, true, &@1); }
	| PIPE					{ $$ = cf_proto_kind_word(P, $1, true, &@1); }
	| KW					{ $$ = cf_proto_kind_word(P, $1, true, &@1); }
	| CF_SYM_UNDEFINED			{ $$ = cf_proto_kind_word(P, $1.name, false, &@1); }
	;

proto_name
	: %empty				{ cf_proto_name(P, NULL, NULL); }
	| symbol				{ cf_proto_name(P, &$1, &@1); }
	| FROM CF_SYM_KNOWN			{ cf_proto_name(P, NULL, NULL); cf_proto_from(P, &$2, &@2); }
	| symbol FROM CF_SYM_KNOWN		{ cf_proto_name(P, &$1, &@1); cf_proto_from(P, &$3, &@3); }
	;

proto_body
	: '{' proto_items '}'			{ cf_proto_end(P, &@3); }
	| '{' proto_items error '}'		{ yyerrok; cf_proto_end(P, NULL); }
	;

proto_items
	: %empty
	| proto_items proto_item
	;

proto_item
	: ';'
	| DISABLED bool ';'			{ cf_proto_disabled(P, $2); }
	| DESCRIPTION text ';'			{ cf_proto_description(P, $2); }
	| DEBUG debug_mask ';'			{ cf_proto_debug(P, $2); }
	| ROUTER ID idval ';'			{ cf_proto_router_id(P, $3); }
	| chan_item
	| chan_type				{ cf_chan_begin(P, $1, P->last_kw, &@1); }
	  chan_body				{ cf_chan_end(P); }
	| opt_stmt				{ cf_opt_stmt(P, $1); }
	| error ';'				{ yyerrok; }
	;

/* ---- protocol options: collected generically, matched by options.c ------ */

/* a statement of the protocol's own options: keywords, values, names,
 * punctuation, up to `;` or a `{ }` block */
opt_stmt
	: opt_word opt_tail ';'			{ $$ = cf_stmt_head(P, $1, &@1, $2); }
	| opt_word opt_tail opt_block		{ $$ = cf_stmt_head(P, $1, &@1, cf_stmt_block(P, $2, $3, &@3)); }
	| opt_word opt_tail opt_cmds ';'	{ $$ = cf_stmt_head(P, $1, &@1, cf_stmt_cmds(P, $2, $3, &@3)); }
	;

/* filter commands in an option (BIRD 2's static route attributes), kept
 * as an inline filter for the compiler */
opt_cmds
	: FBLOCK cmds_open cmds '}'		{ $$ = cf_filter_spec(P, FF_CMDS, NULL, cf_body(P, NULL, $3, &@1), &@1); }
	;

cmds_open
	: %empty				{ cf_cmds_begin(P); }
	;

/* BIRD's options start with a keyword, or with a word it does not reserve
 * (pipe's `peer table`) */
opt_word
	: opt_head
	| CF_SYM_UNDEFINED			{ $$ = $1.name; }
	| CF_SYM_KNOWN				{ $$ = $1.name; }
	;

opt_tail
	: %empty				{ $$ = cf_stmt_new(P); }
	| opt_tail opt_kw			{ $$ = cf_stmt_word(P, $1, $2, &@2); }
	| opt_tail opt_value			{ $$ = cf_stmt_val(P, $1, &$2, &@2); }
	| opt_tail CF_SYM_KNOWN			{ $$ = cf_stmt_sym(P, $1, &$2, &@2); }
	| opt_tail CF_SYM_UNDEFINED		{ $$ = cf_stmt_sym(P, $1, &$2, &@2); }
	| opt_tail opt_punct			{ $$ = cf_stmt_punct(P, $1, $2, &@2); }
	| opt_tail '%' symbol			{ $$ = cf_stmt_scope(P, $1, &$3, &@2); }
	;

opt_value
	: NUM					{ cf_val_int(&$$, $1); }
	| IP4 %prec ADDR			{ cf_val_ip(&$$, $1); }
	| IP6 %prec ADDR			{ cf_val_ip(&$$, $1); }
	| net
	| TEXT					{ cf_val_string(&$$, $1); }
	| VPN_RD				{ cf_val_rd(&$$, $1); }
	| '(' cterm ')'				{ $$ = $2; }
	;

opt_punct
	: ','					{ $$ = ","; }
	| '-'					{ $$ = "-"; }
	| '/'					{ $$ = "/"; }
	| '='					{ $$ = "="; }
	| ':'					{ $$ = ":"; }
	| '.'					{ $$ = "."; }
	;

/* statements in a nested block: any keyword may lead them */
opt_block
	: '{' opt_block_items '}'		{ $$ = $2; }
	;

opt_block_items
	: %empty				{ $$ = NULL; }
	| opt_block_items ';'			{ $$ = $1; }
	| opt_block_items block_word opt_tail ';'	{ $$ = cf_stmt_append($1, cf_stmt_head(P, $2, &@2, $3)); }
	| opt_block_items block_word opt_tail opt_block	{ $$ = cf_stmt_append($1, cf_stmt_head(P, $2, &@2, cf_stmt_block(P, $3, $4, &@4))); }
	;

block_word
	: opt_kw
	| CF_SYM_UNDEFINED			{ $$ = $1.name; }
	| CF_SYM_KNOWN				{ $$ = $1.name; }
	;

/* every keyword: any_kw and the filter language's */
opt_kw
	: any_kw
	| FUNCTION | IF | THEN | ELSE | CASE | FOR | IN | DO | RETURN | ACCEPT
	| REJECT | PRINT | PRINTN | BT_ASSERT | BT_TEST_SUITE | BT_TEST_SAME
	| DEFINED | UNSET | ROA_CHECK | FORMAT | PREPEND | ADD | DELETE | EMPTY
	| ATTRIBUTE | ROA4 | ROA6 | INT | BOOL | IP | PREFIX | PAIR | QUAD | EC
	| LC | STRING | BYTESTRING | BGPMASK | BGPPATH | CLIST | ECLIST | LCLIST
	| SET | RD | RT | RO | GENERIC | UNKNOWN | ENUM | ATTR
	;

/* ---- channels ----------------------------------------------------------- */

/* `ipv4`, `ipv6`; other channel types are refused (family 0) */
chan_type
	: IPV4					{ $$ = CF_AF_IPV4; }
	| IPV6					{ $$ = CF_AF_IPV6; }
	| IPV4 KW				{ $$ = 0; }
	| IPV6 KW				{ $$ = 0; }
	;

chan_body
	: ';'
	| '{' chan_items '}'
	| '{' chan_items error '}'		{ yyerrok; }
	;

chan_items
	: %empty
	| chan_items ';'
	| chan_items chan_item
	| chan_items DEBUG debug_mask ';'	{ cf_chan_debug(P, $3); }
	| chan_items opt_stmt			{ cf_opt_stmt(P, $2); }
	| chan_items error ';'			{ yyerrok; }
	;

/* what every channel takes; at the protocol level, BIRD 1.x style (or a
 * pipe's own) */
chan_item
	: TABLE symbol ';'			{ cf_chan_table(P, &$2, &@2); }
	| PREFERENCE expr ';'			{ cf_chan_preference(P, $2, &@2); }
	| IMPORT filter_spec ';'		{ cf_chan_filter(P, false, $2, &@1); }
	| EXPORT filter_spec ';'		{ cf_chan_filter(P, true, $2, &@1); }
	| IMPORT LIMIT chan_limit ';'		{ cf_chan_limit(P, 0, &$3, &@1); }
	| RECEIVE LIMIT chan_limit ';'		{ cf_chan_limit(P, 1, &$3, &@1); }
	| EXPORT LIMIT chan_limit ';'		{ cf_chan_limit(P, 2, &$3, &@1); }
	| IMPORT KEEP FILTERED bool ';'		{ cf_chan_keep_filtered(P, $4, &@1); }
	| IMPORT TABLE bool ';'			{ cf_chan_word_opt(P, "import", "table", $3, &@1); }
	| EXPORT TABLE bool ';'			{ cf_chan_word_opt(P, "export", "table", $3, &@1); }
	;

chan_limit
	: expr					{ $$ = (struct cf_limit){ $1, LIMIT_WARN }; }
	| OFF					{ $$ = (struct cf_limit){ 0, LIMIT_WARN }; }
	| expr ACTION WARN			{ $$ = (struct cf_limit){ $1, LIMIT_WARN }; }
	| expr ACTION BLOCK			{ $$ = (struct cf_limit){ $1, LIMIT_BLOCK }; }
	| expr ACTION RESTART			{ $$ = (struct cf_limit){ $1, LIMIT_RESTART }; }
	| expr ACTION DISABLE			{ $$ = (struct cf_limit){ $1, LIMIT_DISABLE }; }
	;


bool
	: expr					{ $$ = !!$1; }
	| ON					{ $$ = 1; }
	| YES					{ $$ = 1; }
	| OFF					{ $$ = 0; }
	| NO					{ $$ = 0; }
	| %empty				{ $$ = 1; }
	;

/* ---- what Birch does not implement yet: swallowed whole ----------------- */

unknown_rest
	: unknown_words ';'
	| unknown_words block
	;

unknown_words
	: %empty
	| unknown_words any			{ cf_unknown_word(P, $2); }
	;

block
	: '{' block_items '}'
	;

block_items
	: %empty
	| block_items any
	| block_items ';'
	| block_items block
	;

/* any token but ; { }, with a keyword's text (NULL for others) */
any
	: any_kw
	| NUM { $$ = NULL; } | IP4 { $$ = NULL; } | IP6 { $$ = NULL; }
	| VPN_RD { $$ = NULL; } | TEXT { (void)$1; $$ = NULL; } | BYTETEXT { $$ = NULL; }
	| CF_SYM_KNOWN { $$ = NULL; } | CF_SYM_UNDEFINED { $$ = NULL; }
	| DDOT { $$ = NULL; } | GEQ { $$ = NULL; } | LEQ { $$ = NULL; }
	| NEQ { $$ = NULL; } | AND { $$ = NULL; } | OR { $$ = NULL; }
	| NMA { $$ = NULL; } | PO { $$ = NULL; } | PC { $$ = NULL; }
	| IMP { $$ = NULL; } | '=' { $$ = NULL; } | '<' { $$ = NULL; }
	| '>' { $$ = NULL; } | '+' { $$ = NULL; } | '-' { $$ = NULL; }
	| '*' { $$ = NULL; } | '/' { $$ = NULL; } | '%' { $$ = NULL; }
	| '(' { $$ = NULL; } | ')' { $$ = NULL; } | '[' { $$ = NULL; }
	| ']' { $$ = NULL; } | ',' { $$ = NULL; } | '.' { $$ = NULL; }
	| ':' { $$ = NULL; } | '~' { $$ = NULL; } | '!' { $$ = NULL; }
	| '?' { $$ = NULL; } | '|' { $$ = NULL; } | '&' { $$ = NULL; }
	| '^' { $$ = NULL; }
	| FUNCTION | IF | THEN | ELSE | CASE | FOR | IN | DO | RETURN | ACCEPT
	| REJECT | PRINT | PRINTN | BT_ASSERT | BT_TEST_SUITE | BT_TEST_SAME
	| DEFINED | UNSET | ROA_CHECK | FORMAT | PREPEND | ADD | DELETE | EMPTY
	| ATTRIBUTE | ROA4 | ROA6 | INT | BOOL | IP | PREFIX | PAIR | QUAD | EC
	| LC | STRING | BYTESTRING | BGPMASK | BGPPATH | CLIST | ECLIST | LCLIST
	| SET | RD | RT | RO | GENERIC | UNKNOWN | ENUM | ATTR
	;

/* keywords that cannot start a known global statement (the filter
 * language's own keywords are syntax errors there, not statements) */
top_head
	: ID | FROM | STDERR | SYSLOG | NAME | ALL | PROTOCOLS | COMMANDS
	| OFF | STATES | ROUTES | FILTERS | INTERFACES | EVENTS | PACKETS
	| ROUTE | BASE | ISO | SHORT | LONG | MS | US | RESTART | WAIT
	| DISABLED | DESCRIPTION | TRUE | FALSE | ON | YES | NO | INFO
	| WARNING | ERROR | FATAL | TRACE | REMOTE | AUTH | BUG | BGP | KERNEL
	| DEVICE | DIRECT | STATIC | PIPE | KW
	| IMPORT | EXPORT | PREFERENCE | RECEIVE | LIMIT | ACTION | WARN
	| BLOCK | DISABLE | KEEP | FILTERED | NONE | WHERE
	;

/* keywords that cannot start a known protocol option */
opt_head
	: DEFINE | ID | FROM | HOSTNAME | LOG | STDERR | SYSLOG | NAME | ALL
	| PROTOCOLS | COMMANDS | OFF | STATES | ROUTES | FILTERS | INTERFACES
	| EVENTS | PACKETS | TIMEFORMAT | ROUTE | PROTOCOL | BASE | ISO
	| SHORT | LONG | MS | US | GRACEFUL | RESTART | WAIT | TEMPLATE | TRUE
	| FALSE | ON | YES | NO | INFO | WARNING | ERROR | FATAL | TRACE
	| REMOTE | AUTH | BUG | BGP | KERNEL | DEVICE | DIRECT | STATIC | PIPE
	| KW | LIMIT | ACTION | WARN | BLOCK | DISABLE | KEEP | FILTERED | NONE
	| FILTER | WHERE
	| FUNCTION | IF | THEN | ELSE | CASE | FOR | IN | DO | RETURN | ACCEPT
	| REJECT | PRINT | PRINTN | BT_ASSERT | BT_TEST_SUITE | BT_TEST_SAME
	| DEFINED | UNSET | ROA_CHECK | FORMAT | PREPEND | ADD | DELETE | EMPTY
	| ATTRIBUTE | ROA4 | ROA6 | INT | BOOL | IP | PREFIX | PAIR | QUAD | EC
	| LC | STRING | BYTESTRING | BGPMASK | BGPPATH | CLIST | ECLIST | LCLIST
	| SET | RD | RT | RO | GENERIC | UNKNOWN | ENUM | ATTR
	;

any_kw
	: DEFINE | ROUTER | ID | FROM | HOSTNAME | LOG | STDERR | SYSLOG
	| NAME | ALL | DEBUG | PROTOCOLS | COMMANDS | OFF | STATES | ROUTES
	| FILTERS | INTERFACES | EVENTS | PACKETS | TIMEFORMAT | ROUTE
	| PROTOCOL | BASE | ISO | SHORT | LONG | MS | US | GRACEFUL | RESTART
	| WAIT | TEMPLATE | DISABLED | DESCRIPTION | TRUE | FALSE | ON | YES
	| NO | INFO | WARNING | ERROR | FATAL | TRACE | REMOTE | AUTH | BUG
	| BGP | KERNEL | DEVICE | DIRECT | STATIC | PIPE | KW
	| IMPORT | EXPORT | TABLE | PREFERENCE | RECEIVE | LIMIT | ACTION | WARN
	| BLOCK | DISABLE | KEEP | FILTERED | IPV4 | IPV6 | NONE | FILTER | WHERE
	;

/* ---- the filter language ------------------------------------------------- */

/*
 * Terms build the syntax tree (lang/ast.h) through ast.c; each constructor
 * types its node and reports BIRD's parse-time errors. `cterm` is a term
 * folded to a constant value where one is needed (`define`, sets, options).
 */

cterm
	: term					{ cf_fold(P, &$$, $1, &@1); }
	;

term
	: '(' term ')'				{ $$ = $2; }
	| term '+' term				{ $$ = cf_binop_node(P, OP_ADD, $1, $3, &@2); }
	| term '-' term				{ $$ = cf_binop_node(P, OP_SUB, $1, $3, &@2); }
	| term '*' term				{ $$ = cf_binop_node(P, OP_MUL, $1, $3, &@2); }
	| term '/' term				{ $$ = cf_binop_node(P, OP_DIV, $1, $3, &@2); }
	| term AND term				{ $$ = cf_binop_node(P, OP_AND, $1, $3, &@2); }
	| term OR term				{ $$ = cf_binop_node(P, OP_OR, $1, $3, &@2); }
	| term '=' term				{ $$ = cf_binop_node(P, OP_EQ, $1, $3, &@2); }
	| term NEQ term				{ $$ = cf_binop_node(P, OP_NEQ, $1, $3, &@2); }
	| term '<' term				{ $$ = cf_binop_node(P, OP_LT, $1, $3, &@2); }
	| term '>' term				{ $$ = cf_binop_node(P, OP_GT, $1, $3, &@2); }
	| term LEQ term				{ $$ = cf_binop_node(P, OP_LE, $1, $3, &@2); }
	| term GEQ term				{ $$ = cf_binop_node(P, OP_GE, $1, $3, &@2); }
	| term '~' term				{ $$ = cf_binop_node(P, OP_MATCH, $1, $3, &@2); }
	| term NMA term				{ $$ = cf_binop_node(P, OP_NMATCH, $1, $3, &@2); }
	| '!' term				{ $$ = cf_not_node(P, $2, &@1); }
	| '(' term ',' term ')'			{ $$ = cf_pair_node(P, $2, $4, &@1); }
	| '(' term ',' term ',' term ')'	{ $$ = cf_lc_node(P, $2, $4, $6, &@1); }
	| '(' ec_kind ',' term ',' term ')'	{ $$ = cf_ec_node(P, $2, $4, $6, &@1); }
	| constant				{ $$ = cf_const_node(P, &$1, &@1); }
	| '[' set_items ']'			{ $$ = cf_set_node(P, $2, &@1); }
	| '[' pset_items ']'			{ $$ = cf_set_node(P, $2, &@1); }
	| '[' ']'				{ $$ = cf_set_node(P, NULL, &@1); }
	| PO pm_items PC			{ $$ = cf_mask_node(P, $2, &@1); }
	| PO PC					{ $$ = cf_mask_node(P, NULL, &@1); }
	| '+' EMPTY '+'				{ $$ = cf_empty_node(P, T_PATH, &@1); }
	| '-' EMPTY '-'				{ $$ = cf_empty_node(P, T_CLIST, &@1); }
	| '-' '-' EMPTY '-' '-'			{ $$ = cf_empty_node(P, T_ECLIST, &@1); }
	| '-' '-' '-' EMPTY '-' '-' '-'		{ $$ = cf_empty_node(P, T_LCLIST, &@1); }
	| CF_SYM_KNOWN				{ $$ = cf_sym_node(P, &$1, &@1); }
	| CF_SYM_UNDEFINED			{ $$ = cf_undef_node(P, &$1, &@1); }
	| attr_word				{ $$ = cf_attr_node(P, $1, &@1); }
	| term '.' method_word			{ $$ = cf_method_node(P, $1, $3, NULL, false, &@3); }
	| term '.' method_word '(' args ')'	{ $$ = cf_method_node(P, $1, $3, $5, true, &@3); }
	| method_fn '(' args ')'		{ $$ = cf_method_fn(P, $1, $3, &@1); }
	| FORMAT '(' term ')'			{ $$ = cf_format_node(P, $3, &@1); }
	| DEFINED '(' term ')'			{ $$ = cf_defined_node(P, $3, &@1); }
	| ROA_CHECK '(' CF_SYM_KNOWN ')'		{ $$ = cf_roa_node(P, &$3, NULL, &@1); }
	| ROA_CHECK '(' CF_SYM_KNOWN ',' args ')'	{ $$ = cf_roa_node(P, &$3, $5, &@1); }
	| CF_SYM_KNOWN '(' ')'			{ $$ = cf_call_node(P, &$1, NULL, &@1); }
	| CF_SYM_KNOWN '(' args ')'		{ $$ = cf_call_node(P, &$1, $3, &@1); }
	;

args
	: term					{ $$ = cf_list(NULL, $1); }
	| args ',' term				{ $$ = cf_list($1, $3); }
	;

constant
	: NUM					{ cf_val_int(&$$, $1); }
	| TRUE					{ cf_val_bool(&$$, true); }
	| FALSE					{ cf_val_bool(&$$, false); }
	| TEXT					{ cf_val_string(&$$, $1); }
	| IP4 %prec ADDR			{ cf_val_ip(&$$, $1); }
	| IP6 %prec ADDR			{ cf_val_ip(&$$, $1); }
	| VPN_RD				{ cf_val_rd(&$$, $1); }
	| ENUM					{ cf_val_enum(P, &$$, $1, &@1); }
	| BYTETEXT
	| net
	;

net
	: IP4 '/' NUM				{ cf_net(P, &$$, $1, true, $3, &@3); }
	| IP6 '/' NUM				{ cf_net(P, &$$, $1, false, $3, &@3); }
	;

ec_kind
	: RT					{ $$ = EC_RT; }
	| RO					{ $$ = EC_RO; }
	| GENERIC				{ $$ = EC_GENERIC; }
	| UNKNOWN NUM				{ $$ = EC_UNKNOWN | (int)($2 << 8); }
	;

/* route attributes that are keywords; custom ones are symbols */
attr_word
	: ATTR
	| FROM
	| PREFERENCE
	;

/* what may follow '.': method names are keywords of several tokens */
method_word
	: KW | IP | RD | FILTER | EMPTY | PREPEND | ADD | DELETE
	;

method_fn
	: PREPEND				{ $$ = M_PREPEND; }
	| ADD					{ $$ = M_ADD; }
	| DELETE				{ $$ = M_DELETE; }
	| FILTER				{ $$ = M_FILTER; }
	;

set_items
	: set_item				{ $$ = cf_setb_add(P, NULL, $1); }
	| set_items ',' set_item		{ $$ = cf_setb_add(P, $1, $3); }
	;

/* a prefix set: as in BIRD's grammar, its items are prefix patterns only,
 * so a set mixing them with other values is a syntax error */
pset_items
	: patt					{ $$ = cf_setb_add(P, NULL, $1); }
	| pset_items ',' patt			{ $$ = cf_setb_add(P, $1, $3); }
	;

set_item
	: case_item
	| sym_atom				{ $$ = cf_item_value(P, &$1, &@1); }
	| set_atom DDOT sym_atom		{ $$ = cf_item_range(P, &$1, &$3, &@1); }
	| sym_atom DDOT set_atom		{ $$ = cf_item_range(P, &$1, &$3, &@1); }
	| sym_atom DDOT sym_atom		{ $$ = cf_item_range(P, &$1, &$3, &@1); }
	;

/*
 * A set item that does not name a constant: also a `case` label. Pairs
 * take a value, a range or `*` in each part; large communities take
 * ranges and wildcards only where every later part is `*`; both also
 * (a, b)..(c, d). The parts are constant terms.
 */
case_item
	: set_atom				{ $$ = cf_item_value(P, &$1, &@1); }
	| set_atom DDOT set_atom		{ $$ = cf_item_range(P, &$1, &$3, &@1); }
	| '(' cterm ',' cterm ')'		{ $$ = cf_item_pair(P, (const struct f_val *[]){ &$2, &$2, &$4, &$4 }, &@1); }
	| '(' cterm ',' cterm DDOT cterm ')'	{ $$ = cf_item_pair(P, (const struct f_val *[]){ &$2, &$2, &$4, &$6 }, &@1); }
	| '(' cterm ',' '*' ')'			{ $$ = cf_item_pair(P, (const struct f_val *[]){ &$2, &$2, NULL, NULL }, &@1); }
	| '(' cterm DDOT cterm ',' cterm ')'	{ $$ = cf_item_pair(P, (const struct f_val *[]){ &$2, &$4, &$6, &$6 }, &@1); }
	| '(' cterm DDOT cterm ',' cterm DDOT cterm ')'	{ $$ = cf_item_pair(P, (const struct f_val *[]){ &$2, &$4, &$6, &$8 }, &@1); }
	| '(' cterm DDOT cterm ',' '*' ')'	{ $$ = cf_item_pair(P, (const struct f_val *[]){ &$2, &$4, NULL, NULL }, &@1); }
	| '(' '*' ',' cterm ')'			{ $$ = cf_item_pair(P, (const struct f_val *[]){ NULL, NULL, &$4, &$4 }, &@1); }
	| '(' '*' ',' cterm DDOT cterm ')'	{ $$ = cf_item_pair(P, (const struct f_val *[]){ NULL, NULL, &$4, &$6 }, &@1); }
	| '(' '*' ',' '*' ')'			{ $$ = cf_item_pair(P, (const struct f_val *[]){ NULL, NULL, NULL, NULL }, &@1); }
	| '(' cterm ',' cterm ')' DDOT '(' cterm ',' cterm ')'	{ $$ = cf_item_pair_to(P, (const struct f_val *[]){ &$2, &$4, &$8, &$10 }, &@1); }
	| '(' cterm ',' cterm ',' cterm ')'	{ $$ = cf_item_lc(P, (const struct f_val *[]){ &$2, &$2, &$4, &$4, &$6, &$6 }, &@1); }
	| '(' cterm ',' cterm ',' cterm DDOT cterm ')'	{ $$ = cf_item_lc(P, (const struct f_val *[]){ &$2, &$2, &$4, &$4, &$6, &$8 }, &@1); }
	| '(' cterm ',' cterm ',' '*' ')'	{ $$ = cf_item_lc(P, (const struct f_val *[]){ &$2, &$2, &$4, &$4, NULL, NULL }, &@1); }
	| '(' cterm ',' cterm DDOT cterm ',' '*' ')'	{ $$ = cf_item_lc(P, (const struct f_val *[]){ &$2, &$2, &$4, &$6, NULL, NULL }, &@1); }
	| '(' cterm ',' '*' ',' '*' ')'		{ $$ = cf_item_lc(P, (const struct f_val *[]){ &$2, &$2, NULL, NULL, NULL, NULL }, &@1); }
	| '(' cterm DDOT cterm ',' '*' ',' '*' ')'	{ $$ = cf_item_lc(P, (const struct f_val *[]){ &$2, &$4, NULL, NULL, NULL, NULL }, &@1); }
	| '(' '*' ',' '*' ',' '*' ')'		{ $$ = cf_item_lc(P, (const struct f_val *[]){ NULL, NULL, NULL, NULL, NULL, NULL }, &@1); }
	| '(' cterm ',' cterm ',' cterm ')' DDOT '(' cterm ',' cterm ',' cterm ')'	{ $$ = cf_item_lc_to(P, (const struct f_val *[]){ &$2, &$4, &$6, &$10, &$12, &$14 }, &@1); }
	| '(' ec_kind ',' cterm ',' cterm ')'	{ $$ = cf_item_ec(P, $2, &$4, &$6, &$6, &@1); }
	| '(' ec_kind ',' cterm ',' cterm DDOT cterm ')'	{ $$ = cf_item_ec(P, $2, &$4, &$6, &$8, &@1); }
	| '(' ec_kind ',' cterm ',' '*' ')'	{ $$ = cf_item_ec(P, $2, &$4, NULL, NULL, &@1); }
	;

/* prefix patterns: P, P+ (and longer), P- (and shorter), P{a,b} */
patt
	: net					{ $$ = cf_item_patt(P, &$1, 0, 0, 0, &@1); }
	| net '+'				{ $$ = cf_item_patt(P, &$1, '+', 0, 0, &@1); }
	| net '-'				{ $$ = cf_item_patt(P, &$1, '-', 0, 0, &@1); }
	| net '{' NUM ',' NUM '}'		{ $$ = cf_item_patt(P, &$1, '{', $3, $5, &@3); }
	;

/* BIRD's set atoms; a constant's name is one only in a set literal */
set_atom
	: NUM					{ cf_val_int(&$$, $1); }
	| IP4					{ cf_val_ip(&$$, $1); }
	| IP6					{ cf_val_ip(&$$, $1); }
	| VPN_RD				{ cf_val_rd(&$$, $1); }
	| ENUM					{ cf_val_enum(P, &$$, $1, &@1); }
	| '(' cterm ')'				{ cf_set_atom(P, &$$, &$2, NULL, &@2); }
	;

sym_atom
	: CF_SYM_KNOWN				{ cf_set_atom(P, &$$, NULL, &$1, &@1); }
	;

/* [= 64500 * ? 1..3 (x) [set] =] */
pm_items
	: pm_item				{ $$ = cf_mask_add(P, NULL, &$1); }
	| pm_items pm_item			{ $$ = cf_mask_add(P, $1, &$2); }
	;

pm_item
	: NUM					{ cf_pm_item(P, &$$, PM_ASN, $1, $1, NULL); }
	| NUM DDOT NUM				{ cf_pm_item(P, &$$, PM_RANGE, $1, $3, NULL); }
	| '*'					{ cf_pm_item(P, &$$, PM_ASTERISK, 0, 0, NULL); }
	| '?'					{ cf_pm_item(P, &$$, PM_QUESTION, 0, 0, NULL); }
	| '(' term ')'				{ cf_pm_item(P, &$$, PM_EXPR, 0, 0, $2); }
	| CF_SYM_KNOWN				{ cf_pm_item(P, &$$, PM_EXPR, 0, 0, cf_sym_node(P, &$1, &@1)); }
	| '[' set_items ']'			{ cf_pm_item(P, &$$, PM_SET, 0, 0, cf_set_node(P, $2, &@1)); }
	;

/* ---- types --------------------------------------------------------------- */

ftype
	: INT					{ $$ = T_INT; }
	| BOOL					{ $$ = T_BOOL; }
	| IP					{ $$ = T_IP; }
	| RD					{ $$ = T_RD; }
	| PREFIX				{ $$ = T_NET; }
	| PAIR					{ $$ = T_PAIR; }
	| QUAD					{ $$ = T_QUAD; }
	| EC					{ $$ = T_EC; }
	| LC					{ $$ = T_LC; }
	| STRING				{ $$ = T_STRING; }
	| BYTESTRING				{ $$ = T_BYTESTRING; }
	| BGPMASK				{ $$ = T_PATH_MASK; }
	| BGPPATH				{ $$ = T_PATH; }
	| CLIST					{ $$ = T_CLIST; }
	| ECLIST				{ $$ = T_ECLIST; }
	| LCLIST				{ $$ = T_LCLIST; }
	| ftype SET				{ $$ = cf_set_type(P, $1, &@2); }
	;

/* ---- filters and functions ----------------------------------------------- */

filter_def
	: FILTER symbol				{ cf_filter_begin(P, &$2, &@2); }
	  body					{ cf_filter_end(P, $4); }
	;

function_def
	: FUNCTION symbol			{ cf_function_begin(P, &$2, &@2); }
	  '(' fn_args ')' fn_ret body		{ cf_function_end(P, $7, $8, &@7); }
	;

fn_args
	: %empty
	| fn_arg_list
	;

fn_arg_list
	: ftype symbol				{ cf_function_arg(P, $1, &$2, &@2); }
	| fn_arg_list ';' ftype symbol		{ cf_function_arg(P, $3, &$4, &@4); }
	| fn_arg_list ',' ftype symbol		{ cf_function_arg(P, $3, &$4, &@4); }
	;

fn_ret
	: %empty				{ $$ = -1; }
	| IMP ftype				{ $$ = cf_function_ret(P, $2); }
	;

/* BIRD 2.0's declarations before the brace, then the statements */
body
	: decls '{' cmds '}'			{ $$ = cf_body(P, $1, $3, &@2); }
	;

decls
	: %empty				{ $$ = NULL; }
	| decls ftype symbol ';'		{ $$ = cf_list($1, cf_decl_node(P, $2, &$3, NULL, &@3)); }
	;

cmds
	: %empty				{ $$ = NULL; }
	| cmds cmd				{ $$ = cf_list($1, $2); }
	;

scope_open
	: %empty				{ cf_scope_push(P); }
	;

cmd
	: '{' scope_open cmds '}'		{ $$ = cf_block_node(P, $3, &@1); }
	| IF term THEN cmd %prec THEN		{ $$ = cf_if_node(P, $2, $4, NULL, &@1); }
	| IF term THEN cmd ELSE cmd		{ $$ = cf_if_node(P, $2, $4, $6, &@1); }
	| ftype symbol ';'			{ $$ = cf_decl_node(P, $1, &$2, NULL, &@2); }
	| ftype symbol '=' term ';'		{ $$ = cf_decl_node(P, $1, &$2, $4, &@2); }
	| CF_SYM_KNOWN '=' term ';'		{ $$ = cf_assign_sym(P, &$1, $3, &@1); }
	| CF_SYM_UNDEFINED '=' term ';'		{ $$ = cf_assign_attr(P, cf_undef_node(P, &$1, &@1), $3, &@1); }
	| attr_word '=' term ';'		{ $$ = cf_assign_attr(P, cf_attr_node(P, $1, &@1), $3, &@1); }
	| RETURN term ';'			{ $$ = cf_return_node(P, $2, &@1); }
	| UNSET '(' term ')' ';'		{ $$ = cf_unset_node(P, $3, &@1); }
	| ACCEPT ';'				{ $$ = cf_break_node(P, N_ACCEPT, NULL, &@1); }
	| ACCEPT args ';'			{ $$ = cf_break_node(P, N_ACCEPT, $2, &@1); }
	| REJECT ';'				{ $$ = cf_break_node(P, N_REJECT, NULL, &@1); }
	| REJECT args ';'			{ $$ = cf_break_node(P, N_REJECT, $2, &@1); }
	| ERROR ';'				{ $$ = cf_break_node(P, N_ERROR, NULL, &@1); }
	| ERROR args ';'			{ $$ = cf_break_node(P, N_ERROR, $2, &@1); }
	| PRINT ';'				{ $$ = cf_print_node(P, NULL, true, &@1); }
	| PRINT args ';'			{ $$ = cf_print_node(P, $2, true, &@1); }
	| PRINTN ';'				{ $$ = cf_print_node(P, NULL, false, &@1); }
	| PRINTN args ';'			{ $$ = cf_print_node(P, $2, false, &@1); }
	| CF_SYM_KNOWN '(' ')' ';'		{ $$ = cf_call_stmt(P, cf_call_node(P, &$1, NULL, &@1)); }
	| CF_SYM_KNOWN '(' args ')' ';'		{ $$ = cf_call_stmt(P, cf_call_node(P, &$1, $3, &@1)); }
	| CF_SYM_KNOWN '.' method_word ';'	{ $$ = cf_method_stmt(P, cf_sym_node(P, &$1, &@1), $3, NULL, &@3); }
	| CF_SYM_KNOWN '.' method_word '(' args ')' ';'	{ $$ = cf_method_stmt(P, cf_sym_node(P, &$1, &@1), $3, $5, &@3); }
	| attr_word '.' method_word ';'		{ $$ = cf_method_stmt(P, cf_attr_node(P, $1, &@1), $3, NULL, &@3); }
	| attr_word '.' method_word '(' args ')' ';'	{ $$ = cf_method_stmt(P, cf_attr_node(P, $1, &@1), $3, $5, &@3); }
	| CASE term '{' cases '}'		{ $$ = cf_case_node(P, $2, $4, &@1); }
	| BT_ASSERT '(' term ')' ';'		{ $$ = cf_assert_node(P, $3, &@1); }
	| FOR for_var IN term DO cmd		{ $$ = cf_for_node(P, $2, $4, $6, &@1); }
	| error ';'				{ $$ = NULL; yyerrok; }
	;

for_var
	: ftype symbol				{ $$ = cf_for_var(P, $1, &$2, &@2); }
	| CF_SYM_KNOWN				{ $$ = cf_for_var(P, -1, &$1, &@1); }
	;

cases
	: %empty				{ $$ = NULL; }
	| cases case_labels ':' cmds		{ $$ = cf_case_add(P, $1, $2, $4, &@3); }
	| cases ELSE ':' cmds			{ $$ = cf_case_add(P, $1, NULL, $4, &@2); }
	;

/* as in BIRD, labels name no constants */
case_labels
	: case_item				{ $$ = cf_setb_add(P, NULL, $1); }
	| patt					{ $$ = cf_setb_add(P, NULL, $1); }
	| case_labels ',' case_item		{ $$ = cf_setb_add(P, $1, $3); }
	| case_labels ',' patt			{ $$ = cf_setb_add(P, $1, $3); }
	;

/* what channels run: `import all | none | filter NAME | filter { } | where EXPR` */
filter_spec
	: ALL					{ $$ = cf_filter_spec(P, FF_ALL, NULL, NULL, &@1); }
	| NONE					{ $$ = cf_filter_spec(P, FF_NONE, NULL, NULL, &@1); }
	| FILTER CF_SYM_KNOWN			{ $$ = cf_filter_spec(P, FF_NAMED, &$2, NULL, &@2); }
	| FILTER scope_open body		{ $$ = cf_filter_spec(P, FF_INLINE, NULL, $3, &@1); }
	| WHERE scope_open term			{ $$ = cf_filter_spec(P, FF_WHERE, NULL, $3, &@1); }
	;

%%

/* BIRD's wording: "syntax error, unexpected X, expecting Y or Z"; keywords
 * show as their upper-case spelling, as BIRD's token names do. */
static int
yyreport_syntax_error(const yypcontext_t *ctx, struct cf_parser *P)
{
	enum { MAX_EXP = 4 };
	yysymbol_kind_t exp[MAX_EXP + 1];
	yysymbol_kind_t tok = yypcontext_token(ctx);
	char msg[256], kw[64];
	size_t n = 0;
	int ne = yypcontext_expected_tokens(ctx, exp, MAX_EXP + 1);

	const char *name = yysymbol_name(tok);
	if ((tok == YYSYMBOL_KW || tok == YYSYMBOL_ATTR) && P->last_kw) {
		size_t i;
		for (i = 0; P->last_kw[i] && i < sizeof kw - 1; i++)
			kw[i] = (char)(P->last_kw[i] >= 'a' && P->last_kw[i] <= 'z' ?
				       P->last_kw[i] - 'a' + 'A' : P->last_kw[i]);
		kw[i] = 0;
		name = kw;
	}
	n += (size_t)snprintf(msg, sizeof msg, "syntax error, unexpected %s", name);
	if (ne > 0 && ne <= MAX_EXP)
		for (int i = 0; i < ne && n < sizeof msg; i++)
			n += (size_t)snprintf(msg + n, sizeof msg - n, "%s%s",
					      i ? " or " : ", expecting ", yysymbol_name(exp[i]));
	cf_err(P, yypcontext_location(ctx), "%s", msg);
	return 0;
}

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
 */
%code requires {
#include "lang/cf_int.h"
#define CF_YYLTYPE struct cf_loc
#define CF_YYLTYPE_IS_DECLARED 1
}

%code {
#include <stdio.h>
#include <string.h>

int cf_lex(CF_YYSTYPE *lval, struct cf_loc *lloc, void *scanner);

static int
cf_yylex(CF_YYSTYPE *lval, struct cf_loc *lloc, struct cf_parser *P)
{
	if (P->too_many)
		return TOK_END;
	return cf_lex(lval, lloc, P->scanner);
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
	struct cf_set_item item;	/* one element of a set */
	struct cf_setb *setb;		/* a set being built */
	struct log_target *lt;		/* `log` destination */
	const struct cf_proto_kind *kind;	/* protocol kind, NULL: skip */
	int n;				/* small enums */
}

%token END 0			/* BIRD's name for the end of input */
%token <i> NUM
%token <ip> IP4 IP6
%token <rd> VPN_RD
%token <sym> CF_SYM_KNOWN CF_SYM_UNDEFINED
%token <s> TEXT
%token DDOT GEQ LEQ NEQ AND OR NMA PO PC IMP

%token <t> DEFINE ROUTER ID FROM HOSTNAME LOG STDERR SYSLOG NAME ALL DEBUG
%token <t> PROTOCOLS COMMANDS OFF STATES ROUTES FILTERS INTERFACES EVENTS
%token <t> PACKETS TIMEFORMAT ROUTE PROTOCOL BASE ISO SHORT LONG MS US
%token <t> GRACEFUL RESTART WAIT TEMPLATE DISABLED DESCRIPTION TRUE FALSE ON
%token <t> YES NO INFO WARNING ERROR FATAL TRACE REMOTE AUTH BUG BGP KERNEL
%token <t> DEVICE DIRECT STATIC PIPE KW

%precedence ADDR			/* an address, unless '/' makes it a prefix */
%left AND OR
%nonassoc '=' '<' '>' GEQ LEQ NEQ
%left '+' '-'
%left '*' '/'
%precedence '!'

%type <i> idval expr bool log_mask log_classes log_class debug_mask debug_flags debug_flag
%type <n> tf_which proto_start
%type <s> text
%type <t> top_head opt_head any_kw any
%type <sym> symbol
%type <v> term constant net set_atom
%type <item> set_item
%type <setb> set_items
%type <lt> log_dest
%type <kind> proto_kind

%%

config
	: %empty
	| config stmt
	;

stmt
	: ';'
	| DEFINE symbol '=' term ';'		{ cf_define(P, &$2, &@2, &$4); }
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
	| error ';'				{ yyerrok; }
	| error '}'				{ yyerrok; }
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
	| '(' term ')'				{ $$ = cf_int_expr(P, &$2, &@2); }
	| CF_SYM_KNOWN				{ struct f_val v; cf_sym_value(P, &v, &$1, &@1); $$ = cf_int_expr(P, &v, &@1); }
	;

idval
	: NUM
	| IP4					{ $$ = ip4_to_u32($1); }
	| '(' term ')'				{ $$ = cf_idval(P, &$2, &@2); }
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
	| opt_head				{ cf_unknown_begin(P, $1, &@1); }
	  unknown_rest				{ cf_unknown_end(P, true); }
	| error ';'				{ yyerrok; }
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
	| VPN_RD { $$ = NULL; } | TEXT { (void)$1; $$ = NULL; }
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
	;

/* keywords that cannot start a known global statement */
top_head
	: ID | FROM | STDERR | SYSLOG | NAME | ALL | PROTOCOLS | COMMANDS
	| OFF | STATES | ROUTES | FILTERS | INTERFACES | EVENTS | PACKETS
	| ROUTE | BASE | ISO | SHORT | LONG | MS | US | RESTART | WAIT
	| DISABLED | DESCRIPTION | TRUE | FALSE | ON | YES | NO | INFO
	| WARNING | ERROR | FATAL | TRACE | REMOTE | AUTH | BUG | BGP | KERNEL
	| DEVICE | DIRECT | STATIC | PIPE | KW
	;

/* keywords that cannot start a known protocol option */
opt_head
	: DEFINE | ID | FROM | HOSTNAME | LOG | STDERR | SYSLOG | NAME | ALL
	| PROTOCOLS | COMMANDS | OFF | STATES | ROUTES | FILTERS | INTERFACES
	| EVENTS | PACKETS | TIMEFORMAT | ROUTE | PROTOCOL | BASE | ISO
	| SHORT | LONG | MS | US | GRACEFUL | RESTART | WAIT | TEMPLATE | TRUE
	| FALSE | ON | YES | NO | INFO | WARNING | ERROR | FATAL | TRACE
	| REMOTE | AUTH | BUG | BGP | KERNEL | DEVICE | DIRECT | STATIC | PIPE
	| KW
	;

any_kw
	: DEFINE | ROUTER | ID | FROM | HOSTNAME | LOG | STDERR | SYSLOG
	| NAME | ALL | DEBUG | PROTOCOLS | COMMANDS | OFF | STATES | ROUTES
	| FILTERS | INTERFACES | EVENTS | PACKETS | TIMEFORMAT | ROUTE
	| PROTOCOL | BASE | ISO | SHORT | LONG | MS | US | GRACEFUL | RESTART
	| WAIT | TEMPLATE | DISABLED | DESCRIPTION | TRUE | FALSE | ON | YES
	| NO | INFO | WARNING | ERROR | FATAL | TRACE | REMOTE | AUTH | BUG
	| BGP | KERNEL | DEVICE | DIRECT | STATIC | PIPE | KW
	;

/* ---- constant terms (folded as they are parsed) ------------------------- */

term
	: '(' term ')'				{ $$ = $2; }
	| term '+' term				{ cf_binop(P, &$$, '+', &$1, &$3, &@2); }
	| term '-' term				{ cf_binop(P, &$$, '-', &$1, &$3, &@2); }
	| term '*' term				{ cf_binop(P, &$$, '*', &$1, &$3, &@2); }
	| term '/' term				{ cf_binop(P, &$$, '/', &$1, &$3, &@2); }
	| term AND term				{ cf_binop(P, &$$, '&', &$1, &$3, &@2); }
	| term OR term				{ cf_binop(P, &$$, '|', &$1, &$3, &@2); }
	| term '=' term				{ cf_binop(P, &$$, '=', &$1, &$3, &@2); }
	| term NEQ term				{ cf_binop(P, &$$, 'n', &$1, &$3, &@2); }
	| term '<' term				{ cf_binop(P, &$$, '<', &$1, &$3, &@2); }
	| term '>' term				{ cf_binop(P, &$$, '>', &$1, &$3, &@2); }
	| term LEQ term				{ cf_binop(P, &$$, 'l', &$1, &$3, &@2); }
	| term GEQ term				{ cf_binop(P, &$$, 'g', &$1, &$3, &@2); }
	| '!' term				{ cf_not(P, &$$, &$2, &@1); }
	| '(' term ',' term ')'			{ cf_pair(P, &$$, &$2, &$4, &@1); }
	| '(' term ',' term ',' term ')'	{ cf_lc(P, &$$, &$2, &$4, &$6, &@1); }
	| constant
	| CF_SYM_KNOWN				{ cf_sym_value(P, &$$, &$1, &@1); }
	| '[' set_items ']'			{ cf_set_end(P, &$$, $2, &@1); }
	| '[' ']'				{ cf_set_end(P, &$$, NULL, &@1); }
	;

constant
	: NUM					{ cf_val_int(&$$, $1); }
	| TRUE					{ cf_val_bool(&$$, true); }
	| FALSE					{ cf_val_bool(&$$, false); }
	| TEXT					{ cf_val_string(&$$, $1); }
	| IP4 %prec ADDR			{ cf_val_ip(&$$, $1); }
	| IP6 %prec ADDR			{ cf_val_ip(&$$, $1); }
	| VPN_RD				{ cf_val_rd(&$$, $1); }
	| net
	;

net
	: IP4 '/' NUM				{ cf_net(P, &$$, $1, true, $3, &@3); }
	| IP6 '/' NUM				{ cf_net(P, &$$, $1, false, $3, &@3); }
	;

set_items
	: set_item				{ $$ = cf_setb_add(P, NULL, &$1); }
	| set_items ',' set_item		{ $$ = cf_setb_add(P, $1, &$3); }
	;

set_item
	: set_atom				{ cf_item_value(P, &$$, &$1, &@1); }
	| set_atom DDOT set_atom		{ cf_item_range(P, &$$, &$1, &$3, &@1); }
	| '(' term ',' '*' ')'			{ cf_item_pair_range(P, &$$, &$2, NULL, NULL, &@1); }
	| '(' term ',' term DDOT term ')'	{ cf_item_pair_range(P, &$$, &$2, &$4, &$6, &@1); }
	| net					{ cf_item_patt(P, &$$, &$1, 0, 0, 0, &@1); }
	| net '+'				{ cf_item_patt(P, &$$, &$1, '+', 0, 0, &@1); }
	| net '-'				{ cf_item_patt(P, &$$, &$1, '-', 0, 0, &@1); }
	| net '{' NUM ',' NUM '}'		{ cf_item_patt(P, &$$, &$1, '{', $3, $5, &@3); }
	;

set_atom
	: NUM					{ cf_val_int(&$$, $1); }
	| IP4					{ cf_val_ip(&$$, $1); }
	| VPN_RD				{ cf_val_rd(&$$, $1); }
	| '(' term ')'				{ $$ = $2; }
	| '(' term ',' term ')'			{ cf_pair(P, &$$, &$2, &$4, &@1); }
	| '(' term ',' term ',' term ')'	{ cf_lc(P, &$$, &$2, &$4, &$6, &@1); }
	| CF_SYM_KNOWN				{ cf_sym_value(P, &$$, &$1, &@1); }
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
	if (tok == YYSYMBOL_KW && P->last_kw) {
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

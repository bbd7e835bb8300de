# Birch: one non-recursive makefile for the daemon, the tools and every test.
#
#   make              build birchd, birchc and birch-check into $(B)/
#   make check        install missing packages, build, run every test suite
#   make asan         the same suite built with ASan + UBSan (in build-asan/)
#   make fuzz         libFuzzer harnesses (clang), short runs
#   make demo         run birchd on examples/demo.conf and talk to it
#   make deps         install missing Debian packages (as root)
#
# Objects of every module go into one static library; each program links its
# own main file against it, so a unit test pulls in only what it uses.

B        ?= build
CC       ?= cc
SAN      ?=
PREFIX   ?= /usr/local

ifeq ($(origin CC),default)
CC := gcc
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wcast-qual -Wformat=2 -Wundef -Wvla -Werror
OPT  ?= -O2 -g
CPPFLAGS += -I. -I$(B) -D_GNU_SOURCE
CFLAGS   += -std=c11 $(OPT) $(WARN) -MMD -MP $(EXTRA_CFLAGS)
LDLIBS   += -levent -lmnl -lcap

ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CPPFLAGS += -DBIRCH_VERSION='"$(VERSION)"'

# ---- sources --------------------------------------------------------------

MAINS    := core/birchd.c tools/birchc.c tools/birch-check.c
LIB_SRC  := $(filter-out $(MAINS),$(wildcard core/*.c lang/*.c vm/*.c bgp/*.c kernel/*.c))
GEN_SRC  := $(B)/lang/lexer.c $(B)/lang/parser.c
GEN_HDR  := $(B)/lang/parser.h

LIB_OBJ  := $(patsubst %.c,$(B)/%.o,$(LIB_SRC)) $(GEN_SRC:.c=.o)

# birch-check's own modules (route readers; the printer is core/rte_print.c):
# linked into birch-check, into unit tests that name them on their LINK line,
# and into the fuzz harnesses
TOOLS_SRC := tools/routes.c tools/mrt.c
TOOLS_OBJ := $(patsubst %.c,$(B)/%.o,$(TOOLS_SRC))
LIB      := $(B)/libbirch.a

PROGS    := $(B)/birchd $(B)/birchc $(B)/birch-check

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

.PHONY: all deps check check-nodeps unit lang-tests filter-tests integration \
        fuzz fuzz-short asan demo clean install bench

all: $(PROGS)

# the interpreter dispatches by computed goto: GCC's manual advises
# -fno-gcse for such code, and without -fno-crossjumping it merges every
# handler's dispatch into one shared indirect jump (clang does neither)
INTERP_CFLAGS := $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null | head -1)),,\
                   -fno-gcse -fno-crossjumping)
$(B)/vm/interp.o: CFLAGS += $(INTERP_CFLAGS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# lang/ sources include the grammar's token header
$(B)/lang/%.o: lang/%.c | $(GEN_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# flex and bison output: generated code is not ours, so some warnings are off.
GEN_CFLAGS := $(CFLAGS) -Wno-unused-function -Wno-sign-compare -Wno-missing-prototypes \
              -Wno-unused-parameter -Wno-shadow -Wno-cast-qual -Wno-undef

$(B)/lang/lexer.c: lang/lexer.l $(GEN_HDR)
	@mkdir -p $(dir $@)
	flex -o $@ $<

$(B)/lang/parser.c $(B)/lang/parser.h &: lang/parser.y
	@mkdir -p $(B)/lang
	bison -Wall -Werror --defines=$(B)/lang/parser.h -o $(B)/lang/parser.c $<

$(B)/lang/lexer.o: $(B)/lang/lexer.c
	$(CC) $(CPPFLAGS) -Ilang $(GEN_CFLAGS) -c -o $@ $<

$(B)/lang/parser.o: $(B)/lang/parser.c
	$(CC) $(CPPFLAGS) -Ilang $(GEN_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/birchd: $(B)/core/birchd.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/birchc: $(B)/tools/birchc.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -ledit

$(B)/birch-check: $(B)/tools/birch-check.o $(TOOLS_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ---- tests ----------------------------------------------------------------

# A unit test links only the production files its first lines name, as
#   /* LINK: core/net.c core/mem.c */
# plus stubs of its own, so one module's tests build while others change.
unit_link = $(patsubst %.c,$(B)/%.o,$(shell sed -n 's|^/\* *LINK: *\(.*\)\*/.*|\1|p' $(1)))
define unit_rule
$(B)/tests/$(1): tests/unit/$(1).c $(call unit_link,tests/unit/$(1).c)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) -Wno-missing-prototypes $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS) -lcmocka
endef
$(foreach t,$(patsubst tests/unit/%.c,%,$(UNIT_SRC)),$(eval $(call unit_rule,$(t))))

deps:
	@sh tests/deps.sh

# `check` installs what is missing first; `check-nodeps` is the suite alone.
check: deps
	@$(MAKE) --no-print-directory check-nodeps

check-nodeps: all $(UNIT_BIN)
	@B=$(B) sh tests/run-all.sh

unit: $(UNIT_BIN)
	@B=$(B) sh tests/run-all.sh unit

integration: all
	@B=$(B) sh tests/run-all.sh integration

lang-tests: all
	@B=$(B) sh tests/run-all.sh lang

asan: deps
	@SKIP_FUZZ=1 $(MAKE) --no-print-directory B=build-asan SAN=1 OPT='-O1 -g' check-nodeps

# libFuzzer harnesses: clang only, built with their own flags in build-fuzz/.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRC))

# The library is brought up to date by a make of its own, so the harness
# depends on it through a target that always runs.
.PHONY: fuzz-lib
fuzz-lib:
	@$(MAKE) --no-print-directory B=build-fuzz CC=clang OPT='-O1 -g' \
	  EXTRA_CFLAGS='-fsanitize=fuzzer-no-link,address,undefined' build-fuzz/libbirch.a

build-fuzz/%: tests/fuzz/%.c $(TOOLS_SRC) fuzz-lib
	clang $(CPPFLAGS:-I$(B)=-Ibuild-fuzz) -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined \
	  -o $@ $< $(TOOLS_SRC) build-fuzz/libbirch.a $(LDLIBS)

fuzz: $(FUZZ_BIN)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-60} sh tests/run-all.sh fuzz

fuzz-short: $(FUZZ_BIN)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-20} sh tests/run-all.sh fuzz

demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh $(B)

bench: all
	@sh tests/bench/run.sh $(B)

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/sbin/
	install -m 644 docs/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/

clean:
	rm -rf build build-asan build-fuzz build-clang

-include $(LIB_OBJ:.o=.d) $(TOOLS_OBJ:.o=.d) $(B)/core/birchd.d $(B)/tools/birchc.d $(B)/tools/birch-check.d

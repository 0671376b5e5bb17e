# kdlab: the front door. `make help` lists the targets.
# The work is done by the scripts in common/; this file only wires them up.

LAB        ?= 1
KERNEL     ?= lab
SUBMISSION ?=
# SOLUTION=1: use the reference in solutions/ instead of the skeleton in labs/
SOLUTION   ?=
# GDB=1: start the VM halted, waiting for `make gdb`; GDB=PORT uses TCP
GDB        ?=
GDBPORT    ?=
# make lab-5 STUDENT=id: lab 5's module is each student's own (docs/lab-5.md)
STUDENT    ?=
# make dist DEST=DIR [LABS=1,2]: the student edition
DEST       ?=
LABS       ?=
# make grade-all LAB=N SUBMISSIONS=DIR [JOBS=N] [HOSTS=file] [TIMEOUT=S]
SUBMISSIONS ?=

tree   := $(if $(SOLUTION),solutions,labs)
export KERNEL

.PHONY: help deps kernel gdb grade test mutants bench skels clean dist grade-all
.DEFAULT_GOAL := help

help:
	@echo 'kdlab: Linux kernel debugging labs on QEMU, gdb and Bats'
	@echo
	@echo '  make lab-N            build lab N (labs/, or SOLUTION=1 for solutions/) and'
	@echo '                        boot it: a shell on a terminal, else the lab demo'
	@echo '  make lab-N GDB=1      the same, halted until `make gdb LAB=N` attaches'
	@echo '  make lab-5 STUDENT=id lab 5: write your own buggy module first (once)'
	@echo '  make gdb LAB=N        attach gdb (vmlinux, lx- commands, lab symbols)'
	@echo '  make grade LAB=N [SUBMISSION=DIR] [TEST=regex]  grade a lab folder, print'
	@echo '                        the score (TEST: only the tests whose names match,'
	@echo '                        JOBS=N: N tests at a time)'
	@echo '  make grade-all LAB=N SUBMISSIONS=DIR [JOBS=N] [HOSTS=file]  grade a whole'
	@echo '                        class, resumable; results/lab-N/gradebook.html'
	@echo '  make dist DEST=DIR [LABS=1,2]  the student edition: no solutions, no keys'
	@echo '  make test             the project check: every solution full marks, every'
	@echo '                        skeleton failing, labs/ in sync, shellcheck, style'
	@echo "  make test-fresh       the README's first command on a fresh Debian 12 root"
	@echo '                        (mmdebstrap, as root): the last commit, not the work tree'
	@echo '  make mutants [LAB=N]  grade the wrong solutions in bats/mutants/: all must fail'
	@echo '                        (JOBS=N: N mutants at a time)'
	@echo '  make bench            boot times against the bare-boot floor, suite time'
	@echo '  make kernel           build the lab kernel (KERNEL=debug: KASAN & co.)'
	@echo '  make deps             install the Debian packages (run by every target)'
	@echo '  make skels            rewrite labs/ from solutions/'
	@echo '  make clean            remove build outputs and results'
	@echo
	@echo 'Variables: LAB=N KERNEL=lab|debug SOLUTION=1 GDB=1|PORT SUBMISSION=DIR TEST=regex JOBS=N'
	@echo '           STUDENT=id (lab 5)'
	@echo 'Docs: README.md, docs/setup.md, docs/lab-N.md'

deps:
	@common/deps

kernel: deps
	@common/build-kernel $(KERNEL) >/dev/null

# make lab-3: boot lab 3. With no terminal (CI, a pipe) it runs the lab's
# demo.sh in the guest and exits with its status.
# A demo that fails on a skeleton is expected: say so, and where to go next.
lab-%: deps
	@common/run-vm --lab $* --tree $(tree) --kernel $(KERNEL) \
		$(if $(GDB),$(if $(filter 1,$(GDB)),--gdb,--gdb=$(GDB))) \
		$(if $(shell [ -t 0 ] || echo no-tty),-- sh ./demo.sh) || \
	{ status=$$?; [ "$$status" = 2 ] || [ -n "$(SOLUTION)" ] || \
	  common/lab-hint $* >&2; exit $$status; }

# Lab 5: write the student's module into labs/ first, once; later runs
# read labs/lab-5-*/STUDENT (bats/lab-5/variant never overwrites work).
lab-5: lab-5-student
.PHONY: lab-5-student
lab-5-student:
	@$(if $(SOLUTION),:,bats/lab-5/variant write labs $(STUDENT))

gdb: deps
	@common/gdb/attach --lab $(LAB) --tree $(tree) --kernel $(KERNEL) \
		$(if $(GDBPORT),--port $(GDBPORT))

grade: deps
	@TEST='$(TEST)' common/grade $(LAB) $(SUBMISSION)

test: kernel
	@common/deps --for-tests
	@common/test

# Needs root and installs nothing on the host: `common/deps --for-tests` first.
.PHONY: test-fresh
test-fresh:
	@common/test-fresh

mutants: kernel
	@common/mutants $(if $(filter command line,$(origin LAB)),$(LAB))

bench: deps
	@common/bench

skels:
	@FORCE=$(FORCE) common/mkskel

dist:
	@common/dist '$(DEST)' '$(LABS)'

# JOBS, HOSTS, TIMEOUT, RESULTS, TEST, FORCE reach the script from the
# command line through the environment.
grade-all: deps
	@common/grade-all '$(LAB)' '$(SUBMISSIONS)'

clean:
	rm -rf labs/*/build solutions/*/build bats/smoke/build results

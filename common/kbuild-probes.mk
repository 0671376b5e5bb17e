# Kbuild's answers to its compiler probes, kept per kernel build.
#
# Every module build starts by asking the compiler about 30 questions
# (cc-option, cc-disable-warning, ld-option: each one a try-run that starts
# about six processes). That was 2.5 s of a `make lab-N` with nothing to
# rebuild. The answers change only with the kernel's configuration and the
# compiler, which its build folder already stands for, so common/build-kernel
# records them there once (kdlab-probes.mk) and lab.mk's builds read them.
#
# lab.mk names this file in MAKEFILES: GNU make reads it before the
# kernel's makefiles, in every sub-make too, since it is in the environment.
# (Not --eval: that shows in MAKEFLAGS, where Kbuild's modpost reads any
# letter i as make's -i.) `override` keeps our try-run when
# scripts/Makefile.compiler defines its own. A question not in the record
# (W=1 asks more) is put to the compiler as before.
#
# KDLAB_PROBES: the record to read. KDLAB_PROBES_RECORD: where build-kernel
# wants the answers written (appended, one line each).

# A probe is a shell command; its key is the command made into one word
# that a makefile can hold: no blanks, $, #, %, quote or backslash.
kdlab-hash := \#
kdlab-space := $(subst ,, )
kdlab-escape = $(subst %,^p,$(subst $$,^d,$(subst ^,^^,$(strip $(1)))))
kdlab-key = $(subst $(kdlab-space),^_,$(subst ',^q,$(subst \,^b,$(subst $(kdlab-hash),^h,$(call kdlab-escape,$(1))))))

# The answers hold for one compiler: each key starts with its version, read
# once per make (Kbuild's CC_VERSION_TEXT runs `$(CC) --version`).
kdlab-cc = $(eval kdlab-cc := $(call kdlab-key,$(CC_VERSION_TEXT)))$(kdlab-cc)
kdlab-probe-key = $(kdlab-cc):$(call kdlab-key,$(1))

-include $(KDLAB_PROBES)

# $(1) the probe, $(2) the answer if it succeeds, $(3) if it fails.
override try-run = $(if $(filter $(kdlab-probe-key),$(kdlab-probe-passed)),$(2),$\
	$(if $(filter $(kdlab-probe-key),$(kdlab-probe-failed)),$(3),$\
	$(call kdlab-probe-run,$(1),$(2),$(3))))

# The probe runs in a folder of its own ($TMP names a file there), as in
# Kbuild; its verdict is written down when build-kernel asks for it.
kdlab-probe-run = $(if $(shell set -e; dir=$(TMPOUT); mkdir -p $$dir; \
	trap 'rm -rf '$$dir EXIT; TMP=$$dir/tmp; \
	if ($(1)) >/dev/null 2>&1; then verdict=passed; else verdict=failed; fi; \
	$(if $(KDLAB_PROBES_RECORD),echo 'kdlab-probe-'$$verdict' += \
	$(kdlab-probe-key)' >>'$(KDLAB_PROBES_RECORD)';) \
	[ $$verdict = passed ] && echo y),$(2),$(3))

# Three values of the kernel's Makefile are exported and defined with `=`:
# make works them out again for every command that it runs (the release's
# `cat` came 18 times in one build of lab 1, pahole-flags.sh 6 times). Each
# is worked out once per make here, with the Makefile's own command, when
# first used.
override KERNELRELEASE = $(eval override KERNELRELEASE := $\
	$(shell cat include/config/kernel.release 2>/dev/null))$(KERNELRELEASE)
override CC_VERSION_TEXT = $(eval override CC_VERSION_TEXT := $\
	$(subst $(kdlab-hash),,$(shell LC_ALL=C $(CC) --version 2>/dev/null | head -n 1)))$(CC_VERSION_TEXT)
override PAHOLE_FLAGS = $(eval override PAHOLE_FLAGS := $\
	$(shell PAHOLE=$(PAHOLE) $(srctree)/scripts/pahole-flags.sh))$(PAHOLE_FLAGS)

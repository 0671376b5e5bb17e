# Builds one lab folder against the lab kernel, with Kbuild:
#   make -f common/lab.mk SRC=labs/lab-1-umh-shm KDIR=kernel-build-folder \
#        [KERNEL=lab|debug] [OUT=folder]
# KDIR is what common/build-kernel prints (lib.sh's kernel_build); without
# it, this asks build-kernel itself, when it builds and not before.
# The lab's own Kbuild file names its modules (obj-m) and its static user
# programs (userprogs-always-y). The sources are copied to OUT first, so one
# lab folder can be built for both kernels, and a submission stays untouched.
# OUT/kdlab.outputs then lists what goes to the guest's /lab: the modules,
# the programs and demo.sh (common/lab-outputs.mk reads them from Kbuild).
# Any other variable (C=1 for sparse, W=1) goes on to Kbuild, and Kbuild
# reads its compiler probes' answers from the kernel's build folder
# (common/kbuild-probes.mk).

KDLAB_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
KERNEL ?= lab
ifndef SRC
$(error SRC=<lab folder> is required)
endif
OUT ?= $(SRC)/build/$(KERNEL)

.PHONY: all clean
all:
	@mkdir -p $(OUT)
	@$(sync_sources)
	@kdir='$(KDIR)'; kdir=$${kdir:-$$($(KDLAB_ROOT)/common/build-kernel $(KERNEL))} && \
	MAKEFILES=$(KDLAB_ROOT)/common/kbuild-probes.mk $(MAKE) -C "$$kdir" \
		M=$(abspath $(OUT)) KDLAB_ROOT=$(KDLAB_ROOT) \
		KDLAB_PROBES="$$kdir/kdlab-probes.mk" modules
	@$(MAKE) -s --no-print-directory -f $(SRC)/Kbuild -f $(KDLAB_ROOT)/common/lab-outputs.mk \
		src=$(OUT) obj=$(OUT) KDLAB_ROOT=$(KDLAB_ROOT) kdlab-outputs >$(OUT)/kdlab.outputs

clean:
	rm -rf $(SRC)/build

# OUT matches SRC: a changed file is copied with a new time, so Kbuild
# rebuilds from it even when the student restored an older copy; a file
# gone from SRC goes from OUT too (OUT/.kdlab-sources lists the copies).
define sync_sources
cd $(SRC) && for f in *; do \
	[ -f "$$f" ] && [ "$$f" != build ] || continue; \
	cmp -s "$$f" "$(abspath $(OUT))/$$f" || cp -L "$$f" "$(abspath $(OUT))/$$f"; \
	echo "$$f"; \
done >$(abspath $(OUT))/.kdlab-sources.new && cd $(abspath $(OUT)) && \
if [ -f .kdlab-sources ]; then \
	grep -vxF -f .kdlab-sources.new .kdlab-sources | while read -r f; do rm -f "$$f"; done; \
fi; mv .kdlab-sources.new .kdlab-sources
endef

# Builds one lab folder against the lab kernel, with Kbuild:
#   make -f common/lab.mk SRC=labs/lab-1-shm [KERNEL=lab|debug] [OUT=folder]
# The lab's own Kbuild file names its modules (obj-m) and its static user
# programs (userprogs-always-y). The sources are copied to OUT first, so one
# lab folder can be built for both kernels, and a submission stays untouched.
# Any other variable (C=1 for sparse, W=1) goes on to Kbuild.

KDLAB_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
KERNEL ?= lab
ifndef SRC
$(error SRC=<lab folder> is required)
endif
OUT ?= $(SRC)/build/$(KERNEL)
KDIR := $(shell $(KDLAB_ROOT)/common/build-kernel $(KERNEL))
ifeq ($(KDIR),)
$(error the '$(KERNEL)' kernel could not be built)
endif
sources := $(filter-out $(SRC)/build,$(wildcard $(SRC)/*))

.PHONY: all clean
all:
	@mkdir -p $(OUT)
	@cp -pu $(sources) $(OUT)/
	$(MAKE) -C $(KDIR) M=$(abspath $(OUT)) KDLAB_ROOT=$(KDLAB_ROOT) modules

clean:
	rm -rf $(SRC)/build

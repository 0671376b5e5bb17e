# Read by common/lab.mk after a lab's Kbuild file: prints what the build
# gives the guest's /lab, one name a line: the modules of obj-m, the user
# programs of userprogs-always-y, and demo.sh when the lab has one.
.PHONY: kdlab-outputs
kdlab-outputs:
	@printf '%s\n' $(patsubst %.o,%.ko,$(obj-m)) $(userprogs-always-y) \
		$(if $(wildcard $(src)/demo.sh),demo.sh)

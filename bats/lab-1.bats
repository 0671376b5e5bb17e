#!/usr/bin/env bats
# shellcheck shell=bash
# Lab 1: /dev/umh_shm, one kernel page shared with userspace through mmap.
# Most tests load the module with a random request (id, payload, hash) and
# expect those bytes back through a mapping, so no answer can be built in.
# shm_probe (in the lab folder) runs one step per argument and prints one
# line per step; see the comment at the top of shm_probe.c.

load helpers/kdlab

setup_file() {
	kdlab_build_lab 1
}

# A fresh random request, and the insmod command that writes it.
new_request() {
	random_request
	INSMOD="insmod umh_shmem.ko id=$ID payload=$PAYLOAD hash=$HASH"
}

# probe_refused MODE STEPS [MODE STEPS]...: loads the module with a random
# request, and for each pair runs a probe that opens the device in MODE,
# runs STEPS (which must fail) and then maps the page read-only on the same
# open, which must show the random request: a driver that refuses
# everything does not pass.
probe_refused() {
	local probes=''
	new_request
	while [ $# -ge 2 ]; do
		probes+=" && ./shm_probe open $1 $2 mmap 4096 0 r shared read"
		shift 2
	done
	run vm "$INSMOD$probes"
}

# What one probe of probe_refused prints for a good driver, with the lines
# of its STEPS in the middle.
refused_output() {
	printf '%s\n' 'open ok' "$@" 'mmap ok' "read $ID $PAYLOAD $HASH"
}

# bats test_tags=points:1,kdlab:baseline
@test "the module loads, makes /dev/umh_shm root-only (i_mode 0x2180) and unloads" {
	run vm 'insmod umh_shmem.ko && stat -c "%F %f %u:%g" /dev/umh_shm &&
		rmmod umh_shmem && [ ! -e /dev/umh_shm ] && echo removed'
	assert_success
	assert_output - <<-'EOF'
		character special file 2180 0:0
		removed
	EOF
	assert_kernel_clean
}

# bats test_tags=points:2
@test "the article's program prints 2 hello world right after insmod" {
	run vm 'insmod umh_shmem.ko && ./shm_read'
	assert_success
	assert_output '2 hello world'
	assert_kernel_clean
}

# bats test_tags=points:2
@test "the page shows the article's x/2gx dump at 0 and +1024, and zeros elsewhere" {
	run vm 'insmod umh_shmem.ko &&
		./shm_probe open ro mmap 4096 0 r shared dump 0 dump 1024 nonzero'
	assert_success
	# 11 bytes: the id's 2, "hello" and "world".
	assert_output - <<-'EOF'
		open ok
		mmap ok
		dump 0x6c6c656800000002 0x000000000000006f
		dump 0x6c726f7700000000 0x0000000000000064
		nonzero 11
	EOF
	assert_kernel_clean
}

# bats test_tags=points:3
@test "a random id, payload and hash given to insmod come back through the mapping" {
	new_request
	run vm "$INSMOD && ./shm_read"
	assert_success
	assert_output "$ID $PAYLOAD $HASH"
	assert_kernel_clean
}

# bats test_tags=points:1
@test "a length over the page is refused with EINVAL" {
	probe_refused ro 'mmap 8192 0 r shared'
	assert_success
	assert_output "$(refused_output 'mmap EINVAL')"
	assert_kernel_clean
}

# bats test_tags=points:1
@test "a non-zero offset is refused with ENXIO" {
	probe_refused ro 'mmap 4096 4096 r shared'
	assert_success
	assert_output "$(refused_output 'mmap ENXIO')"
	assert_kernel_clean
}

# bats test_tags=points:1
@test "MAP_PRIVATE is refused with EINVAL, on a read-only and a read-write open" {
	probe_refused ro 'mmap 4096 0 r private' rw 'mmap 4096 0 rw private'
	assert_success
	assert_output "$(refused_output 'mmap EINVAL'; refused_output 'mmap EINVAL')"
	assert_kernel_clean
}

# do_mmap() refuses MAP_SHARED with PROT_WRITE on a read-only open before
# the driver runs, but lets MAP_PRIVATE through (a private copy needs no
# write access to the file): there only the driver's own check of the
# open's mode says EACCES, as the guide's table asks, before MAP_PRIVATE's
# EINVAL.
# bats test_tags=points:1
@test "PROT_WRITE on a read-only open is refused with EACCES, shared or private" {
	probe_refused ro 'mmap 4096 0 rw shared' ro 'mmap 4096 0 rw private'
	assert_success
	assert_output "$(refused_output 'mmap EACCES'; refused_output 'mmap EACCES')"
	assert_kernel_clean
}

# bats test_tags=points:1
@test "PROT_EXEC is refused with EPERM, on a read-only and a read-write open" {
	probe_refused ro 'mmap 4096 0 rx shared' rw 'mmap 4096 0 rwx shared'
	assert_success
	assert_output "$(refused_output 'mmap EPERM'; refused_output 'mmap EPERM')"
	assert_kernel_clean
}

# bats test_tags=points:1
@test "a later mprotect to PROT_WRITE is refused with EACCES, even on a read-write open" {
	# The rights of a mapping are fixed when it is made, whatever the open.
	probe_refused ro 'mmap 4096 0 r shared mprotect rw' \
		rw 'mmap 4096 0 r shared mprotect rw'
	assert_success
	assert_output "$(refused_output 'mmap ok' 'mprotect EACCES'
		refused_output 'mmap ok' 'mprotect EACCES')"
	assert_kernel_clean
}

# bats test_tags=points:1
@test "a later mprotect to PROT_EXEC is refused with EACCES" {
	probe_refused ro 'mmap 4096 0 r shared mprotect rx' \
		rw 'mmap 4096 0 rw shared mprotect rwx'
	assert_success
	assert_output "$(refused_output 'mmap ok' 'mprotect EACCES'
		refused_output 'mmap ok' 'mprotect EACCES')"
	assert_kernel_clean
}

# bats test_tags=points:1
@test "an mremap that grows the mapping is refused with EFAULT" {
	probe_refused ro 'mmap 4096 0 r shared mremap 8192'
	assert_success
	assert_output "$(refused_output 'mmap ok' 'mremap EFAULT')"
	assert_kernel_clean
}

# bats test_tags=points:1
@test "a non-root user cannot open /dev/umh_shm: EACCES" {
	new_request
	run vm "$INSMOD &&
		su -s /bin/sh student -c 'id -u; ./shm_probe open ro; ./shm_probe open rw' &&
		./shm_probe open ro mmap 4096 0 r shared read"
	assert_success
	assert_output - <<-EOF
		1000
		open EACCES
		open EACCES
		open ok
		mmap ok
		read $ID $PAYLOAD $HASH
	EOF
	assert_kernel_clean
}

# bats/lab-1/sharers.sh: readers a and b and writer w map the page at
# once and unmap and close in different orders.
# bats test_tags=points:3
@test "several processes map the page at once and see the same bytes, unmapped and closed in any order" {
	new_request
	word=$(random_word 10)
	run vm --add "$BATS_TEST_DIRNAME/lab-1/sharers.sh" -- \
		"sh sharers.sh $ID $PAYLOAD $HASH $word"
	assert_success
	assert_line "w: read $ID $word $HASH"
	assert_line "a: read $ID $word $HASH"
	assert_line "b: read $ID $word $HASH"
	# The kernel's new write reached a mapping whose fd is long closed.
	assert_line "a: read $ID $PAYLOAD $HASH"
	assert_line "$ID $PAYLOAD $HASH"
	assert_line unloaded
	refute_output --partial timeout
	refute_output --regexp ': (open|mmap|munmap|close) E'
	assert_kernel_clean
}

# A mapping with its fd closed holds the device open. rmmod may refuse
# (the lab's way) or go ahead, but the mapping must stay good either way,
# even when a new load follows (bats/lab-1/rmmod-mapped.sh).
# bats test_tags=points:2
@test "rmmod while a mapping is alive is refused or safe, and the mapping stays good" {
	new_request
	run vm --add "$BATS_TEST_DIRNAME/lab-1/rmmod-mapped.sh" -- \
		"sh rmmod-mapped.sh $ID $PAYLOAD $HASH"
	assert_success
	assert_line --regexp '^rmmod: (done|refused)$'
	assert_line "h: read $ID $PAYLOAD $HASH"
	assert_line 'h: munmap ok'
	assert_line gone
	assert_kernel_clean
}

# A lost page per cycle would be 100 pages.
# bats test_tags=points:3,kdlab:debug
@test "loading and unloading 100 times with mappings in between leaks nothing" {
	new_request
	# The page count moves by a page or two on the lab kernel.
	run vm --timeout 300 --add "$BATS_TEST_DIRNAME/lab-1/cycles.sh" \
		--add "$GUEST/ktap.sh" --add "$GUEST/memory.sh" -- \
		"sh cycles.sh $ID $PAYLOAD $HASH $(page_loss_limit 20)"
	assert_success
	assert_ktap_ok
	assert_kernel_clean
}

# A failed init must give back the page it took. The lab kernel has no
# fault injection, so on both kernels the grader makes misc_register() fail
# by a name clash: a copy of the submission's own module, renamed in its
# ELF strings, holds the name umh_shm first. 30 insmods run the init 60
# times (busybox retries with init_module): 60 pages for a leaky init,
# against a noise of a few pages. KERNEL=debug adds a failslab sweep that
# fails each allocation of a load in turn, the init's own included, under
# KASAN, lockdep and kmemleak.
# bats test_tags=points:2,kdlab:debug
@test "an init that fails after taking its page gives everything back" {
	new_request
	# The module's name and its exported symbol, renamed in place.
	perl -0777 -pe 's/umh_shmem\0/umh_clash\0/g; s/umh_shm_page/umh_shm_pag2/g' \
		"$KDLAB_LAB_BUILD/umh_shmem.ko" >"$BATS_TEST_TMPDIR/umh_clash.ko"
	run vm --timeout 300 --add "$BATS_TEST_TMPDIR/umh_clash.ko" \
		--add "$(grader_program lab-1/fail_nth.c)" \
		--add "$BATS_TEST_DIRNAME/lab-1/init-fail.sh" \
		--add "$GUEST/ktap.sh" --add "$GUEST/memory.sh" -- \
		"sh init-fail.sh $ID $PAYLOAD $HASH $(page_loss_limit 20)"
	assert_success
	assert_ktap_ok
	assert_kernel_clean
}

# payload and hash are writable parameters; health_check writes the
# request again with their new values, over the old one.
# bats test_tags=points:2
@test "a health check rewritten with shorter strings leaves no byte of the longer ones" {
	new_request
	long_payload=$(random_word $((40 + RANDOM % 40)))
	long_hash=$(random_word $((40 + RANDOM % 40)))
	P=/sys/module/umh_shmem/parameters
	run vm "insmod umh_shmem.ko id=$ID payload=$long_payload hash=$long_hash &&
		./shm_probe @long open ro mmap 4096 0 r shared read nonzero &&
		printf %s $PAYLOAD >$P/payload && printf %s $HASH >$P/hash &&
		echo 1 >/sys/kernel/debug/umh_shm/health_check &&
		./shm_probe @short open ro mmap 4096 0 r shared read nonzero"
	assert_success
	assert_line "long: read $ID $long_payload $long_hash"
	assert_line "short: read $ID $PAYLOAD $HASH"
	long=$(sed -n 's/^long: nonzero //p' <<<"$output")
	short=$(sed -n 's/^short: nonzero //p' <<<"$output")
	# The id's bytes are the same in both.
	assert_equal "$short" \
		$((long - ${#long_payload} - ${#long_hash} + ${#PAYLOAD} + ${#HASH}))
	assert_kernel_clean
}

# For the graders and lab 4's gdb: not a TODO, but it needs the page.
# bats test_tags=points:1
@test "debugfs tells root where the page is: the very page that is mapped" {
	new_request
	run vm "$INSMOD && stat -c %a /sys/kernel/debug/umh_shm/page &&
		cat /sys/kernel/debug/umh_shm/page &&
		./shm_probe open ro mmap 4096 0 r shared pfn"
	assert_success
	assert_line -n 0 400
	phys=$(sed -n 's/^phys //p' <<<"$output")
	virt=$(sed -n 's/^virt //p' <<<"$output")
	[ -n "$phys" ] && [ $((phys % 4096)) -eq 0 ] || fail "no page-aligned phys line"
	# The lab kernel has no KASLR: the direct map starts at its default.
	assert_equal "$virt" "$(printf '0x%x' $((KDLAB_PAGE_OFFSET + phys)))"
	assert_line "pfn $(printf '0x%x' $((phys >> 12)))"
	assert_kernel_clean
}

#!/usr/bin/env bats
# shellcheck shell=bash
# Lab 5's answer key, proven site by site (not a grader; make test runs it,
# see docs/lab-5.md, "For instructors"). A variant is one crash site and
# one debug site, and every variant's module fails the grader as soon as
# its crash site oopses, so each site is proven once instead of each of the
# 192 variants:
#   - crash site: the reference with it planted oopses the lab kernel in
#     the grader's scenario, with the page fault of its class; and for a
#     student who has it, the reference's diagnosis and crash.gdb score full
#     marks on the grader's hidden tests (common/grade);
#   - debug site: the reference with it planted runs the whole scenario on
#     the lab kernel without a word, and the debug kernel's checker reports
#     it (the site's "checker" line in the key);
#   - the key: every variant's own diagnosis grades right, and 30 ids get
#     mostly variants of their own (bats/lab-5/variant check).
# One test per site, named after it: bats --filter 'site NAME' runs one.

# The harness finds the project from the test file's folder: bats/.
BATS_TEST_DIRNAME=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
load helpers/kdlab
load lab-5/lib

VARIANT=$BATS_TEST_DIRNAME/lab-5/variant

# site_field SITE N: field N of the site's line in "variant sites".
site_field() {
	"$VARIANT" sites | awk -F'\t' -v s="$1" -v n="$2" '$1 == s { print $n }'
}

# The reference with SITE planted, built for kernel $2, as the lab under
# test.
build_site() {
	local src=$BATS_TEST_TMPDIR/src-$1 out=$BATS_TEST_TMPDIR/$1-$2
	given_files_into 5 "$src" || return 1
	"$VARIANT" plant "$1" >"$src/reqcache.c"
	KERNEL=$2 kdlab_build_into "$src" "$out"
}

check_crash() {
	local site=$1 class id sub
	class=$(site_field "$site" 3)
	build_site "$site" lab
	KERNEL=lab run vm --timeout 120 "${SCENARIO[@]}" -- "sh scenario.sh $(scenario_values) 0"
	assert_equal "$status" 125
	case $class in
	null-deref) assert_kernel_log 'BUG: kernel NULL pointer dereference, address: ' ;;
	past-page) assert_kernel_log 'BUG: unable to handle page fault for address: ' ;;
	*) fail "$site: a crash site of class $class" ;;
	esac
	assert_kernel_log 'RIP: 0010:[a-z_]+\+0x[0-9a-f]+/0x[0-9a-f]+ \[reqcache\]'
	# The grader's hidden tests, for a student who has this crash bug,
	# with the reference's answers: the diagnosis and crash.gdb.
	id=$("$VARIANT" id-for crash "$site")
	sub=$BATS_TEST_TMPDIR/$id/lab-5-bughunt
	mkdir -p "$sub"
	cp -L "$(lab_source_dir solutions 5)"/* "$sub/"
	"$VARIANT" diagnosis "$id" >"$sub/diagnosis"
	echo "$id" >"$sub/STUDENT"
	run env KDLAB_STUDENT="$id" TEST='^(diagnosis|crash\.gdb)' \
		RESULTS="$BATS_TEST_TMPDIR/results" "$KDLAB_ROOT/common/grade" 5 "$sub"
	assert_success
	assert_line --regexp '^Score: ([0-9]+)/\1$'
}

check_debug() {
	local site=$1 class checker leaks=0
	class=$(site_field "$site" 3)
	checker=$(awk -v s="$site" '$1 == "site" { in_site = ($2 == s) }
		in_site && $1 == "checker" { sub(/^checker /, ""); print; exit }' \
		"$(lab_source_dir solutions 5)/sites")
	[ -n "$checker" ] || fail "$site has no checker line"
	# Silent on the lab kernel: the whole scenario passes, the log is clean.
	build_site "$site" lab
	KERNEL=lab run vm --timeout 120 "${SCENARIO[@]}" -- "sh scenario.sh $(scenario_values) 0"
	assert_success
	assert_ktap_ok
	assert_kernel_clean
	# Reported on the debug kernel.
	[ "$class" != leak ] || leaks=1
	build_site "$site" debug
	KERNEL=debug run vm --timeout 300 "${SCENARIO[@]}" -- "sh scenario.sh $(scenario_values) $leaks"
	if [ "$class" = leak ]; then
		assert_output --regexp "$checker"
	else
		assert_kernel_log "$checker"
	fi
}

@test "the key: each variant's diagnosis grades right, 30 ids mostly apart" {
	run "$VARIANT" check
	assert_success
}

@test "every site of the key has its test here" {
	local site
	for site in $("$VARIANT" sites | awk -F'\t' '$2 != "example" { print $1 }'); do
		grep -qx "@test \"site $site\" { check_[a-z]* $site; }" "$BATS_TEST_FILENAME" ||
			fail "no test for site $site"
	done
}

@test "site get-checks-reply" { check_crash get-checks-reply; }
@test "site drop-unchecked" { check_crash drop-unchecked; }
@test "site set-no-reply-check" { check_crash set-no-reply-check; }
@test "site add-no-reply-check" { check_crash add-no-reply-check; }
@test "site get-reply-index" { check_crash get-reply-index; }
@test "site reply-index-signed" { check_crash reply-index-signed; }
@test "site drop-reply-index" { check_crash drop-reply-index; }
@test "site add-reply-index" { check_crash add-reply-index; }
@test "site drop-answer-after-free" { check_debug drop-answer-after-free; }
@test "site expire-notify-after-free" { check_debug expire-notify-after-free; }
@test "site flush-notify-after-free" { check_debug flush-notify-after-free; }
@test "site add-duplicate-answer" { check_debug add-duplicate-answer; }
@test "site add-no-room-for-nul" { check_debug add-no-room-for-nul; }
@test "site set-in-place-when-longer" { check_debug set-in-place-when-longer; }
@test "site get-copies-whole-field" { check_debug get-copies-whole-field; }
@test "site drop-keeps-data" { check_debug drop-keeps-data; }
@test "site add-duplicate-keeps-data" { check_debug add-duplicate-keeps-data; }
@test "site expire-keeps-data" { check_debug expire-keeps-data; }
@test "site set-loses-old-data" { check_debug set-loses-old-data; }
@test "site flush-keeps-records" { check_debug flush-keeps-records; }
@test "site exit-puts-timer-ref" { check_debug exit-puts-timer-ref; }
@test "site expire-puts-when-rearmed" { check_debug expire-puts-when-rearmed; }
@test "site flush-puts-timer-ref" { check_debug flush-puts-timer-ref; }
@test "site flush-frees-under-lock" { check_debug flush-frees-under-lock; }
@test "site expire-takes-ctl-lock" { check_debug expire-takes-ctl-lock; }
@test "site set-sleeping-alloc" { check_debug set-sleeping-alloc; }
@test "site get-lock-without-bh" { check_debug get-lock-without-bh; }
@test "site drop-lock-without-bh" { check_debug drop-lock-without-bh; }
@test "site list-lock-without-bh" { check_debug list-lock-without-bh; }
@test "site set-lock-without-bh" { check_debug set-lock-without-bh; }
@test "site ctl-unknown-unlocks" { check_debug ctl-unknown-unlocks; }
@test "site drop-missing-unlocks" { check_debug drop-missing-unlocks; }

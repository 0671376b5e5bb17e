#!/usr/bin/env bats
# A grader with no VM, for the harness suite: the corner cases that
# common/grade must count right (bats/harness.bats grades it with GRADER=).

# A grader's own teardown must not cost the failing tests their transcripts.
teardown() {
	:
}

# bats test_tags=points:2
@test 'a test whose name has "quotes"' {
	true
}

# bats test_tags=points:3
@test "a skipped test earns nothing" {
	skip "not today"
}

@test "a test with no points" {
	true
}

# bats test_tags=points:4,kdlab:debug
# (a comment between the tags and the test)
@test "a failing test" {
	echo "the console of a boot" >"$BATS_TEST_TMPDIR/console.log"
	false
}

# bats test_tags=points:1
@test "a name that ends like a timing in 5ms" {
	true
}

# Its failure details hold what a guest may print: XML's special
# characters and control characters (the JUnit report must stay XML).
@test "a test with no points that fails" {
	printf 'a <tag> & "quotes", an escape \033[1m and a \001\n'
	false
}

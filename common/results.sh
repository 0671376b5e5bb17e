# shellcheck shell=bash
# The layout of a grade's results folder, shared by common/grade, which
# writes it, and common/grade-one and common/gradebook, which read it:
#   results.tsv    VERDICT POINTS MAX MS TAGS NAME, a test a line
#   results.json   the same, with the score, and "problem" (or null)
#   report.xml     JUnit; tap.txt, bats' own stream (the failure details)
#   problem.txt    one line, when the grading itself failed (no build, a
#                  timeout): what the gradebook shows in its problem column
#   transcripts/   a failing test's console, as transcript_file names it
#   report.html    the student's page (common/gradebook --student)
#   grading        written by common/grade-one: "key value" lines (status,
#                  seconds, host, submission and grader fingerprints)
# Source it; it defines functions only.

# Sets the variable $1 to the JSON string of $2.
json_string() {
	local s=${2//\\/\\\\}
	printf -v "$1" '"%s"' "${s//\"/\\\"}"
}

# Sets the variable $1 to the file, relative to the results folder, of the
# transcript of test $2: its name, each byte but A-Za-z0-9._- made a "_"
# (in the shell: a grade and its page name many tests, a fork each costs).
transcript_file() {
	local LC_ALL=C
	printf -v "$1" 'transcripts/%s.log' "${2//[^A-Za-z0-9._-]/_}"
}

# The labs whose references grader file $1 runs (kdlab_build_reference).
reference_labs() {
	awk '$1 == "kdlab_build_reference" { for (i = 2; i <= NF; i++) print $i }' "$1"
}

# The fingerprint of what grades lab LAB here, for KERNEL, TEST and GRADER
# (a file, or empty for bats/lab-LAB.bats): the grader and its folder, the
# helpers and guest libraries, common/, images/, the references of the lab
# and of the labs whose references it runs (graders take files from them),
# and the kernel source's version. Paths are relative, so hosts with the
# same project agree; grade-all grades a submission again when this changes.
grader_fingerprint() {
	local lab=$1 kernel=$2 test=$3 grader=${4:-$KDLAB_ROOT/bats/lab-$1.bats} path paths=() list sums version ref
	for ref in "$lab" $(reference_labs "$grader"); do
		for path in "$KDLAB_ROOT"/solutions/lab-"$ref"-*; do
			[ ! -e "$path" ] || paths+=("${path#"$KDLAB_ROOT"/}")
		done
	done
	for path in common images bats/helpers bats/guest "bats/lab-$lab"; do
		[ ! -e "$KDLAB_ROOT/$path" ] || paths+=("$path")
	done
	list=$(cd "$KDLAB_ROOT" && find "${paths[@]}" -path '*/build' -prune -o -type f -print) || return 1
	list=$(LC_ALL=C sort <<<"$list")
	sums=$(cd "$KDLAB_ROOT" && xargs -r -d '\n' sha256sum <<<"$list") || return 1
	sums+=$(sha256sum <"$grader") || return 1
	version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || version=none
	sums=$(sha256sum <<<"kernel $kernel test $test source $version $sums")
	echo "${sums:0:16}"
}

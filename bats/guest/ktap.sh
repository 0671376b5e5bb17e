# shellcheck shell=sh
# Sourced by the graders' guest scenarios (run-vm --add "$GUEST/ktap.sh"):
# their report in KTAP, the kernel's test format
# (Documentation/dev-tools/ktap.rst), which assert_ktap_ok checks.
#   ktap_plan N             the header and the plan: N results follow
#   step NAME CMD [ARG...]  runs CMD; its output becomes "# " lines, its
#                           status the result "ok I NAME" or "not ok I NAME"
#   skip_step NAME WHY      the result "ok I NAME # SKIP WHY": not run here
#   said STATUS TEXT        a command for step: prints TEXT, returns STATUS
#   diag TEXT               a diagnostic line
#   bail TEXT               gives up: what follows could not mean anything

ktap_n=0

ktap_plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

diag() {
	echo "# $*"
}

step() {
	ktap_name=$1
	shift
	ktap_out=$("$@" 2>&1)
	ktap_status=$?
	[ -z "$ktap_out" ] || printf '%s\n' "$ktap_out" | sed 's/^/# /'
	ktap_n=$((ktap_n + 1))
	if [ "$ktap_status" -eq 0 ]; then
		echo "ok $ktap_n $ktap_name"
	else
		echo "not ok $ktap_n $ktap_name"
	fi
}

skip_step() {
	ktap_n=$((ktap_n + 1))
	echo "ok $ktap_n $1 # SKIP $2"
}

said() {
	[ -z "$2" ] || echo "$2"
	return "$1"
}

bail() {
	echo "Bail out! $*"
	exit 1
}

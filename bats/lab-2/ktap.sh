# shellcheck shell=sh
# Sourced by lab 2's guest scenarios: their report in KTAP, the kernel's
# test format (Documentation/dev-tools/ktap.rst), which the grader checks
# with assert_ktap_ok.
#   ktap_plan N             the header and the plan: N results follow
#   step NAME CMD [ARG...]  runs CMD; its output becomes "# " lines, its
#                           status the result "ok I NAME" or "not ok I NAME"
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

bail() {
	echo "Bail out! $*"
	exit 1
}

# Helpers of lab 2's scenarios.
# shellcheck disable=SC2034 # the scenarios use it
D=/sys/kernel/debug/umh_helper

# The number of lines of the kernel log that match an extended regexp.
log_count() {
	dmesg | grep -cE "$1"
}

# Waits up to 5 s for a kernel log line that matches an extended regexp.
wait_log() {
	wait_log_i=0
	while ! dmesg | grep -qE "$1"; do
		wait_log_i=$((wait_log_i + 1))
		[ "$wait_log_i" -le 50 ] || { echo "no kernel log line matches '$1'"; return 1; }
		sleep 0.1
	done
}

# Uptime in milliseconds.
uptime_ms() {
	awk '{ printf "%d", $1 * 1000 }' /proc/uptime
}

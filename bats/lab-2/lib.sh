# shellcheck shell=sh
# Sourced by lab 2's guest scenarios: KTAP (the graders' bats/guest/ktap.sh)
# and what lab 2's scenarios share.
# shellcheck source=bats/guest/ktap.sh
. ./ktap.sh

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

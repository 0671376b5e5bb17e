# shellcheck shell=bash
# Shared by lab 5's grader (bats/lab-5.bats) and its site proofs
# (bats/lab-5/sites.bats). Load it after helpers/kdlab.

# The scenario's values, picked per run (scenario.sh says what they are).
# Data lengths keep clear of the kmalloc size classes (8, 16, 32 bytes)
# so that a byte written past an object lands in its slack: the lab kernel
# does not notice, KASAN does. A's longer length stays in A's class.
scenario_values() {
	local ok=(1 2 3 4 5 6 7 9 10 11 12 13 14 15 17 18 19 20 21 22 23 24 25 26 27 28 29 30)
	local ids lens lenA lenB i slots
	while :; do
		ids=$(for i in 1 2 3 4 5 6 7 8; do random_u30; done)
		[ "$(sort -u <<<"$ids" | wc -l)" -eq 8 ] && break
	done
	lenA=$((9 + RANDOM % 6))
	lenB=${ok[1 + RANDOM % (${#ok[@]} - 1)]}
	lens=$lenA,$lenB
	for i in 1 2 3 4 5; do lens+=,${ok[RANDOM % ${#ok[@]}]}; done
	lens+=,$((lenA + 1 + RANDOM % (15 - lenA)))
	while :; do
		i=${ok[RANDOM % ${#ok[@]}]}
		[ "$i" -lt "$lenB" ] && break
	done
	lens+=,$i
	# The slot of the id that is never added, which the requests that
	# crash use, is not slot 0: a gdb file that reads slot 0 gets another id.
	slots=$(shuf -i 0-15 | paste -sd,)
	[ "$(cut -d, -f8 <<<"$slots")" != 0 ] ||
		slots=$(awk -F, -v OFS=, '{ t = $1; $1 = $8; $8 = t; print }' <<<"$slots")
	echo "$slots $(shuf -i 0-15 | paste -sd,)" \
		"$(paste -sd, <<<"$ids") $lens $(random_word 32)" \
		"$(((1 << 31) + (RANDOM << 15 | RANDOM)))" "$((200 + RANDOM % 101))"
}

# The run-vm options that put the scenario and what it sources in /lab.
# shellcheck disable=SC2034 # the graders use it
SCENARIO=(--add "$GUEST/ktap.sh" --add "$KDLAB_ROOT/bats/lab-5/scenario.sh")

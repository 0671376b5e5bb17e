# shellcheck shell=sh
# Lab 4, exercise 2's guest: ex2.sh NAME PERM SPENT FD0 FD1 FD2
# Makes lab 1's device node anew as /dev/NAME with the permissions PERM,
# after SPENT other files in /dev (so that its inode number changes), keeps
# /dev/umh_shm as a symbolic link to it, and has lab 1's prober map it with
# standard input, output and error on the files that FD0, FD1 and FD2 say:
# null, zero (those devices), file:PERM (a regular file), dir:PERM (a
# directory, for reading only). Prints the node's mode and inode number,
# and the mode of each of the prober's descriptors 0 to 2.
insmod umh_shmem.ko || exit 1
# One touch for them all: 2,000 files take about 0.1 s under TCG.
seq "$3" | sed 's,^,/dev/.spent,' | xargs touch || exit 1
dev=$(stat -c '%t %T' /dev/umh_shm) || exit 1
mknod "/dev/$1" c $((0x${dev% *})) $((0x${dev#* })) || exit 1
rm /dev/umh_shm && ln -s "$1" /dev/umh_shm || exit 1
chmod "$2" "/dev/$1" || exit 1
stat -c 'truth mode %f' "/dev/$1"
stat -c 'truth ino %i' "/dev/$1"

# stream FD SPEC: makes the file that SPEC says and prints its path.
stream() {
	case $2 in
	null | zero) echo "/dev/$2" ;;
	file:*)
		: >"/tmp/fd$1" && chmod "${2#file:}" "/tmp/fd$1" && echo "/tmp/fd$1"
		;;
	dir:*)
		mkdir "/tmp/fd$1" && chmod "${2#dir:}" "/tmp/fd$1" && echo "/tmp/fd$1"
		;;
	*) echo "ex2.sh: bad stream '$2'" >&2 && return 1 ;;
	esac
}
in=$(stream 0 "$4") && out=$(stream 1 "$5") && err=$(stream 2 "$6") || exit 1
./shm_probe open ro mmap 4096 0 r shared touch /tmp/mapped wait /tmp/done \
	<"$in" >"$out" 2>"$err" &
p=$!
./shm_probe wait /tmp/mapped >/dev/null
for n in 0 1 2; do
	echo "truth fd$n $(stat -L -c %f "/proc/$p/fd/$n")"
done
touch /tmp/done
wait "$p"

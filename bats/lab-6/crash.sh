# shellcheck shell=sh
# Lab 6's guest: crash.sh PAGES ID PAYLOAD HASH WORD CRASHER MAPPERS DECOYS NOISE
# Holds PAGES pages first (the module's page moves: bats/lab-6/holder.c),
# loads lab 1's module with the request ID PAYLOAD HASH, then starts, each
# after a number of short processes taken in turn from NOISE (so that PIDs
# move):
#   - a program per name in MAPPERS, each mapping the page and waiting;
#   - the crasher, under the name CRASHER: it maps the page, writes WORD
#     into the request's payload through its mapping, and waits;
#   - a program per name in DECOYS: the first opens the device without
#     mapping it, the second maps the page and unmaps it again, the others
#     neither; the last one starts after the crasher.
# Prints its ground truth ("truth KEY VALUE" lines), then lets the crasher
# panic the kernel (sysrq c) from its own write().
set -e
/lab/holder "$1" /tmp/ready.holder &
while [ ! -e /tmp/ready.holder ]; do sleep 0.01; done
insmod umh_shmem.ko id="$2" payload="$3" hash="$4"
sed 's/^/truth /' /sys/kernel/debug/umh_shm/page
word=$5 crasher=$6 mappers=$7 decoys=$8 noise=$9

# Runs the next number of NOISE short processes.
noise() {
	n=${noise%% *}
	noise=${noise#* }
	while [ "$n" -gt 0 ]; do
		/bin/true
		n=$((n - 1))
	done
}

# start NAME STEPS...: shm_probe under NAME, in the background, which runs
# STEPS, says it is ready and waits; returns once it is ready.
start() {
	name=$1
	shift
	noise
	cp /lab/shm_probe "/tmp/$name"
	"/tmp/$name" "$@" touch "/tmp/ready.$name" wait /tmp/never >/dev/null &
	while [ ! -e "/tmp/ready.$name" ]; do sleep 0.01; done
}

for name in $mappers; do
	start "$name" open rw mmap 4096 0 rw shared
	echo "truth mapper $! $name"
done
# shellcheck disable=SC2086 # the names are words
set -- $decoys
last=
i=0
for name in $decoys; do
	i=$((i + 1))
	if [ "$i" -eq $# ]; then
		last=$name
		break
	fi
	case $i in
	1) start "$name" open ro ;;
	2) start "$name" open rw mmap 4096 0 r shared munmap ;;
	*) start "$name" ;;
	esac
	echo "truth decoy $! $name"
done

noise
cp /lab/crasher "/tmp/$crasher"
"/tmp/$crasher" "$word" /tmp/ready.crasher /tmp/go &
while [ ! -e /tmp/ready.crasher ]; do sleep 0.01; done
if [ -n "$last" ]; then
	start "$last" open ro
	echo "truth decoy $! $last"
fi
echo "truth done"
# The output port drains before the panic stops everything.
sleep 0.5
touch /tmp/go
wait

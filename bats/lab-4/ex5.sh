# shellcheck shell=sh
# Lab 4, exercise 5's guest: ex5.sh PAGES ID PAYLOAD HASH JUNK
# Takes PAGES pages first (the module's page moves), loads lab 1's module
# with the request ID PAYLOAD HASH, has a user program write JUNK into the
# payload through its own mapping, then asks the driver to write the
# request again. Prints the page's place, what the user left in the page
# and the request's words, read back through a mapping.
dd if=/dev/zero of=/tmp/fill bs=4096 count="$1" 2>/dev/null
insmod umh_shmem.ko id="$2" payload="$3" hash="$4" || exit 1
./shm_probe open rw mmap 4096 0 rw shared write "$5" dump 0 | sed -n 's/^dump/truth junk/p'
echo 1 >/sys/kernel/debug/umh_shm/health_check
sed 's/^/truth /' /sys/kernel/debug/umh_shm/page
./shm_probe open ro mmap 4096 0 r shared dump 0 | sed -n 's/^dump/truth dump0/p'
./shm_probe open ro mmap 4096 0 r shared dump 1024 | sed -n 's/^dump/truth dump1024/p'

# shellcheck shell=bash
# Shared by the scripts in common/: where things live, and how to complain.
# Source it; it defines functions and variables only.

# The project's root, from this file's place; a KDLAB_ROOT from the caller
# is kept when it is absolute and this very project's, which spares every
# script a subshell (a grade starts a few hundred: 6 ms a fork here).
if [[ ${KDLAB_ROOT:-} != /* ]] || ! [ "$KDLAB_ROOT/common/lib.sh" -ef "${BASH_SOURCE[0]}" ]; then
	KDLAB_ROOT=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
fi
# The kernel cache lives outside the clone so that every clone on the machine
# shares one build.
KDLAB_CACHE=${KDLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kdlab}
KDLAB_KERNEL_TARBALL=${KDLAB_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
# shellcheck source=images/kernel/layout
. "$KDLAB_ROOT/images/kernel/layout"

die() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
	exit 2
}

note() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

# The config fragments that make up a kernel variant, in the order applied.
kernel_fragments() {
	case $1 in
	lab) echo "$KDLAB_ROOT/images/kernel/lab.config" ;;
	debug) echo "$KDLAB_ROOT/images/kernel/lab.config $KDLAB_ROOT/images/kernel/debug.config" ;;
	*) die "unknown kernel variant '$1' (KERNEL=lab or KERNEL=debug)" ;;
	esac
}

# Identifies the kernel source: the package version when dpkg knows it,
# otherwise the tarball's size and mtime.
kernel_source_id() {
	[ -r "$KDLAB_KERNEL_TARBALL" ] ||
		die "no kernel source at $KDLAB_KERNEL_TARBALL (run 'make deps')"
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
		stat -c '%s-%Y' "$KDLAB_KERNEL_TARBALL"
}

# The unpacked kernel source, shared by all variants.
kernel_source_dir() {
	local id
	id=$(kernel_source_id) || exit 2
	echo "$KDLAB_CACHE/src/linux-$id"
}

# The version of the build recipe in common/build-kernel: bump it when a
# change there alters what gets built, so that cached kernels are rebuilt.
KDLAB_KERNEL_RECIPE=1

# The cache entry of a variant: named by the source version and a hash of
# everything that decides the build (the recipe version and the fragments).
# Each step is checked on its own: a failure inside the pipe below would
# otherwise go unseen, and cat with no file would read standard input.
kernel_dir() {
	local variant=$1 id fragments key
	fragments=$(kernel_fragments "$variant") || exit 2
	id=$(kernel_source_id) || exit 2
	# The fragments are words; build-kernel, the one caller, sets pipefail,
	# so that the || below sees cat's failure.
	# shellcheck disable=SC2086,SC2312
	key=$(printf '%srecipe %s\n' "$id" "$KDLAB_KERNEL_RECIPE" | cat - $fragments | sha256sum) ||
		die "cannot read the fragments $fragments"
	echo "$KDLAB_CACHE/kernel/$variant-${key:0:16}"
}

# The one place that decides where a variant's kernel is: builds it if it
# is not in the cache, and prints its folder. A script calls it once and
# hands the folder on (run-vm --kernel-dir, lab.mk KDIR=).
kernel_build() {
	"$KDLAB_ROOT/common/build-kernel" "$1"
}

# The folder of lab N in TREE: labs, solutions, or a folder that holds
# lab-N-* folders (a student edition, a class's repository).
lab_source_dir() {
	local tree=$1 lab=$2 base matches
	case $lab in '' | *[!0-9]*) die "LAB must be a lab number, not '$lab'" ;; esac
	case $tree in
	labs | solutions) base=$KDLAB_ROOT/$tree ;;
	*) base=$(realpath -e "$tree" 2>/dev/null) || die "no folder '$tree'" ;;
	esac
	matches=("$base"/lab-"$lab"-*/)
	[ -d "${matches[0]}" ] || die "no lab $lab in $base"
	echo "${matches[0]%/}"
}

# Where common/lab.mk puts the build of lab folder SRC for a kernel variant.
lab_build_dir() {
	echo "$1/build/$2"
}

# Sets KDLAB_SANDBOX to the start of a bubblewrap command line for code
# that a submission controls: the host's programs read-only, private /tmp,
# /proc and /dev, no network or other shared namespace, no capabilities, no
# environment. Each caller adds the folders the code may see, read-only
# (--ro-bind DIR DIR) or writable for its outputs (--bind), then "--".
sandbox_init() {
	KDLAB_SANDBOX=(bwrap --unshare-all --die-with-parent --new-session --cap-drop ALL
		--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib
		--symlink usr/lib64 /lib64 --symlink usr/sbin /sbin
		--ro-bind /etc/ld.so.cache /etc/ld.so.cache
		--ro-bind /etc/alternatives /etc/alternatives
		--proc /proc --dev /dev --tmpfs /tmp
		--clearenv --setenv PATH /usr/bin:/bin --setenv HOME /tmp
		--setenv LANG C.UTF-8 --chdir /tmp)
}

# Builds lab folder SRC into OUT (default: its build folder) against the
# kernel in KDIR, quietly but for errors, on every CPU (the module and the
# user programs compile at once). With KDLAB_BUILD_SANDBOXED set (the
# graders set it), the compiler runs in the sandbox: a submission's code
# could otherwise read host files at build time (#include, .incbin).
lab_build() {
	local src=$1 kdir=$2 variant=$3 out=${4:-} ksrc run=()
	[ -n "$out" ] || out=$(lab_build_dir "$src" "$variant")
	if [ -n "${KDLAB_BUILD_SANDBOXED:-}" ]; then
		ksrc=$(kernel_source_dir)
		mkdir -p "$out"
		sandbox_init
		run=("${KDLAB_SANDBOX[@]}" --ro-bind "$KDLAB_ROOT/common" "$KDLAB_ROOT/common"
			--ro-bind "$kdir" "$kdir" --ro-bind "$ksrc" "$ksrc"
			--ro-bind "$src" "$src" --bind "$out" "$out" --)
	fi
	"${run[@]}" make -s -j"$(nproc)" -f "$KDLAB_ROOT/common/lab.mk" SRC="$src" KDIR="$kdir" \
		KERNEL="$variant" OUT="$out" >&2
}

# lab_sources LAB SUBMISSION DEST: what builds lab LAB's submission, in
# DEST: the submission's own files, then each file that the lab gives
# complete (the Kbuild file, the test programs, a file carried over from an
# earlier lab; common/given-files lists them) over them, so that a
# submission cannot change what checks it. A link of the submission's that
# leads nowhere (a copied lab 2 links to lab 1's files) is left out.
lab_sources() {
	mkdir -p "$3" || return 1
	find "$2" -maxdepth 1 -xtype f -exec cp -L -t "$3" {} + || return 1
	given_files_into "$1" "$3"
}

# given_files_into LAB DEST: copies the files that lab LAB gives complete
# (common/given-files lists them) into folder DEST, over what is there.
given_files_into() {
	local given
	mkdir -p "$2" || return 1
	given=$("$KDLAB_ROOT/common/given-files" "$1") || return 1
	[ -z "$given" ] || xargs -d '\n' cp -L -t "$2" <<<"$given"
}

# shared_build SRC KDIR VARIANT SHARE [RETRY]: builds lab folder SRC,
# sandboxed, into a folder of SHARE named by a hash of the build's inputs
# (the kernel, SRC's files, the project's build recipe and headers), and
# prints that folder's path. Builds of one SHARE hold its lock: the first
# to need a build makes it, the others wait and find it made, a failure
# too (its compiler output: FOLDER.log), which fails them alike; with
# RETRY set (a SHARE kept across grades) a failed build is made again.
# A build cut short left no FOLDER.status and is made again from nothing.
shared_build() {
	local src=$1 kdir=$2 variant=$3 share=$4 retry=${5:-} key shared
	key=$( (echo "$variant $kdir"
		cd "$src" && sha256sum -- * 2>/dev/null
		cd "$KDLAB_ROOT/common" && sha256sum -- *.mk include/*) | sha256sum) || return 1
	shared=$share/${key:0:16}
	echo "$shared"
	(
		flock 9
		status=
		[ ! -f "$shared.status" ] || status=$(<"$shared.status")
		if [ -z "$status" ] || { [ "$status" != 0 ] && [ -n "$retry" ]; }; then
			rm -rf "$shared" "$shared.status"
			status=0
			KDLAB_BUILD_SANDBOXED=1 lab_build "$src" "$kdir" "$variant" "$shared" \
				2>"$shared.log" || status=$?
			echo "$status" >"$shared.status"
		fi
		[ "$status" = 0 ]
	) 9>"$shared.lock"
}

# A folder private to the user, for sockets and per-boot state.
runtime_dir() {
	local dir
	dir=${XDG_RUNTIME_DIR:-/tmp}/kdlab-$(id -u)
	mkdir -p "$dir"
	chmod 0700 "$dir"
	echo "$dir"
}

# The per-user socket of QEMU's gdbstub: users of one machine never collide.
gdb_socket() {
	local dir
	dir=$(runtime_dir) || exit 2
	echo "$dir/gdb.sock"
}

# QEMU's accelerator. TCG unless ACCEL=kvm and a bounded probe (a bare boot,
# once per host boot) showed that KVM works here; nested KVM can hang.
# Sets the array KDLAB_ACCEL to its options, with no fork in the usual case.
# usage: kvm_accel_args CPUS (the guest's number of CPUs)
# A guest of one CPU gets single-threaded TCG, whose code needs no host
# atomics and no cross-thread TLB flushes: two boots at once took 1.14
# times a boot alone with it, 1.23 without (docs/contributing.md): a
# grade's JOBS gain hangs on that.
# shellcheck disable=SC2034 # run-vm reads it
kvm_accel_args() {
	local tcg=tcg
	[ "${1:-1}" != 1 ] || tcg=tcg,thread=single
	if [ "${KDLAB_ACCEL_FORCE:-}" = kvm ]; then
		KDLAB_ACCEL=(-accel kvm -cpu host)
		return
	fi
	if [ "${ACCEL:-tcg}" != kvm ]; then
		KDLAB_ACCEL=(-accel "$tcg")
		return
	fi
	local verdict dir boot
	dir=$(runtime_dir) || exit 2
	boot=$(cat /proc/sys/kernel/random/boot_id) || exit 2
	verdict=$dir/kvm-$boot
	if [ ! -f "$verdict" ]; then
		note "probing KVM (at most 10 s, once per host boot)"
		if [ -w /dev/kvm ] && KDLAB_ACCEL_FORCE=kvm \
			"$KDLAB_ROOT/common/run-vm" --bare --timeout 10 >/dev/null 2>&1; then
			echo ok >"$verdict"
		else
			echo broken >"$verdict"
		fi
	fi
	if grep -qx ok "$verdict"; then
		KDLAB_ACCEL=(-accel kvm -cpu host)
	else
		note "KVM does not work here (see $verdict); using TCG"
		KDLAB_ACCEL=(-accel "$tcg")
	fi
}

// Lab 2's rules on the page's accesses, checked in the student's source
// with Coccinelle, since no test on x86 can see them broken: x86 reorders
// neither stores with stores nor loads with loads, and a double fetch
// only shows when a writer wins a race.
//
//   spatch -D kernel --sp-file ordering.cocci umh_kern.c
//     req_seq is only stored by smp_store_release(), after the request's
//     fields; ans_seq is only loaded by smp_load_acquire(), before any
//     answer field is read.
//   spatch -D helper --sp-file ordering.cocci umhd.c
//     req_seq is only loaded with acquire ordering (C11 acquire or
//     seq_cst), before any request field is read; ans_seq is only stored
//     with release ordering (or seq_cst), after the answer's fields.
//   spatch -D once --sp-file ordering.cocci umh_kern.c
//     each answer field (ans_id, ans_len, ans_status, ans_hash) is read
//     from the page once, by READ_ONCE(): a second read could see what a
//     hostile writer stored after the first was checked.
//
// Prints one line per problem, "FILE:LINE: what", and nothing when the
// file follows the rules.

virtual kernel
virtual helper
virtual once

@initialize:python@
@@
problems = set()
# What the file must do at least once, and what it was seen doing.
required = set()
seen = set()
# once: field -> positions read, and the positions inside READ_ONCE().
reads = {}
read_once = set()


def problem(p, what):
    problems.add("%s:%s: %s" % (p[0].file, p[0].line, what))

// ---- the kernel: umh_kern.c ---------------------------------------------

@script:python depends on kernel@
@@
required.update(["smp_store_release() of req_seq",
                 "smp_load_acquire() of ans_seq"])

@k_release depends on kernel@
expression E, V;
position p;
@@
smp_store_release(&E->req_seq@p, V)

@script:python depends on k_release@
@@
seen.add("smp_store_release() of req_seq")

@k_acquire depends on kernel@
expression E;
position p;
@@
smp_load_acquire(&E->ans_seq@p)

@script:python depends on k_acquire@
@@
seen.add("smp_load_acquire() of ans_seq")

@k_req_plain depends on kernel@
expression E;
position p != k_release.p;
@@
E->req_seq@p

@script:python@
p << k_req_plain.p;
@@
problem(p, "req_seq is accessed other than by smp_store_release()")

@k_ans_plain depends on kernel@
expression E;
position p != k_acquire.p;
@@
E->ans_seq@p

@script:python@
p << k_ans_plain.p;
@@
problem(p, "ans_seq is accessed other than by smp_load_acquire()")

@k_late depends on kernel exists@
expression R, E, V, W;
identifier f;
position p;
@@
smp_store_release(&R->req_seq, V);
... when any
(
E->id@p = W
|
f(E->payload@p, ...)
|
f(E->pl_hash@p, ...)
)

@script:python@
p << k_late.p;
@@
problem(p, "a request field is written after req_seq is published")

@k_early depends on kernel exists@
expression R, E;
position p;
@@
(
E->ans_id@p
|
E->ans_len@p
|
E->ans_status@p
|
E->ans_hash@p
)
... when any
smp_load_acquire(&R->ans_seq)

@script:python@
p << k_early.p;
@@
problem(p, "an answer field is read before the load-acquire of ans_seq")

// ---- the helper: umhd.c -------------------------------------------------

@script:python depends on helper@
@@
required.update(["an acquire load of req_seq", "a release store of ans_seq"])

@h_acquire depends on helper@
symbol memory_order_acquire, memory_order_seq_cst;
expression E;
position p;
@@
(
atomic_load_explicit(<+... E->req_seq@p ...+>, memory_order_acquire)
|
atomic_load_explicit(<+... E->req_seq@p ...+>, memory_order_seq_cst)
|
atomic_load(<+... E->req_seq@p ...+>)
|
__atomic_load_n(<+... E->req_seq@p ...+>, __ATOMIC_ACQUIRE)
|
__atomic_load_n(<+... E->req_seq@p ...+>, __ATOMIC_SEQ_CST)
)

@script:python depends on h_acquire@
@@
seen.add("an acquire load of req_seq")

@h_release depends on helper@
symbol memory_order_release, memory_order_seq_cst;
expression E, V;
position p;
@@
(
atomic_store_explicit(<+... E->ans_seq@p ...+>, V, memory_order_release)
|
atomic_store_explicit(<+... E->ans_seq@p ...+>, V, memory_order_seq_cst)
|
atomic_store(<+... E->ans_seq@p ...+>, V)
|
__atomic_store_n(<+... E->ans_seq@p ...+>, V, __ATOMIC_RELEASE)
|
__atomic_store_n(<+... E->ans_seq@p ...+>, V, __ATOMIC_SEQ_CST)
)

@script:python depends on h_release@
@@
seen.add("a release store of ans_seq")

@h_req_plain depends on helper@
expression E;
position p != h_acquire.p;
@@
E->req_seq@p

@script:python@
p << h_req_plain.p;
@@
problem(p, "req_seq is accessed other than by an acquire load")

@h_ans_plain depends on helper@
expression E;
position p != h_release.p;
@@
E->ans_seq@p

@script:python@
p << h_ans_plain.p;
@@
problem(p, "ans_seq is accessed other than by a release store")

@h_early depends on helper exists@
expression R, E, O;
position p;
@@
(
E->id@p
|
E->payload@p
|
E->pl_hash@p
)
... when any
(
atomic_load_explicit(<+... R->req_seq ...+>, O)
|
atomic_load(<+... R->req_seq ...+>)
|
__atomic_load_n(<+... R->req_seq ...+>, O)
)

@script:python@
p << h_early.p;
@@
problem(p, "a request field is read before the load-acquire of req_seq")

@h_late depends on helper exists@
expression R, E, V, W, O;
position p;
@@
(
atomic_store_explicit(<+... R->ans_seq ...+>, V, O);
|
atomic_store(<+... R->ans_seq ...+>, V);
|
__atomic_store_n(<+... R->ans_seq ...+>, V, O);
)
... when any
(
E->ans_id@p = W
|
E->ans_len@p = W
|
E->ans_status@p = W
|
E->ans_hash@p = W
)

@script:python@
p << h_late.p;
@@
problem(p, "an answer field is written after ans_seq is published")

// ---- once: the kernel reads each answer field once ----------------------

@script:python depends on once@
@@
for f in ("ans_id", "ans_len", "ans_status", "ans_hash"):
    reads[f] = set()

@o_once depends on once@
expression E;
identifier fld = {ans_id, ans_len, ans_status, ans_hash};
position p;
@@
READ_ONCE(E->fld@p)

@script:python@
p << o_once.p;
@@
read_once.add((p[0].line, p[0].column))

@o_any depends on once@
expression E;
identifier fld = {ans_id, ans_len, ans_status, ans_hash};
position p;
@@
E->fld@p

@script:python@
p << o_any.p;
fld << o_any.fld;
@@
reads[str(fld)].add((p[0].file, p[0].line, p[0].column))

@finalize:python@
@@
for what in sorted(required - seen):
    print("%s: missing" % what)
for fld in sorted(reads):
    if not reads[fld]:
        print("%s is never read" % fld)
    elif len(reads[fld]) > 1:
        print("%s is read %d times: at lines %s" % (
            fld, len(reads[fld]),
            ", ".join(str(r[1]) for r in sorted(reads[fld]))))
    for r in sorted(reads[fld]):
        if (r[1], r[2]) not in read_once:
            print("%s:%s: %s is read without READ_ONCE()" % (r[0], r[1], fld))
for line in sorted(problems):
    print(line)

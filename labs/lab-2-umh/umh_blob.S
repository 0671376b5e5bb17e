/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helper program, built by Kbuild as a static user program (umhd),
 * embedded byte for byte in umh_helper.ko, as net/bpfilter/ embeds
 * bpfilter_umh. Not .init.rodata as there: a restart needs it later.
 */
	.section .rodata, "a"
	.global umhd_blob_start
umhd_blob_start:
	.incbin "umhd"
	.global umhd_blob_end
umhd_blob_end:

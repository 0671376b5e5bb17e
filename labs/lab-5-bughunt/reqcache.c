// SPDX-License-Identifier: GPL-2.0
#error "no module yet: run 'make lab-5 STUDENT=your-id' (docs/lab-5.md)"
MODULE_LICENSE("GPL");

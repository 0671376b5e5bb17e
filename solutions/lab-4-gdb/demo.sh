#!/bin/sh
# make lab-4 without a terminal. Lab 4 is gdb command files run against lab
# 1's and lab 3's modules, so the guest alone has nothing to show: this says
# where to look.
echo "lab 4: gdb sessions, see docs/lab-4.md"
echo "grade them with: make grade LAB=4"
echo "try one with:    make lab-1 SOLUTION=1 GDB=1, then common/gdb/attach --lab 1 --tree solutions -- -batch -x labs/lab-4-gdb/ex1-attach.gdb"

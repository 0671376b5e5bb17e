// SPDX-License-Identifier: GPL-2.0
/* A static user program, to prove Kbuild's userprogs reach /lab. */
#include <stdio.h>

int main(void)
{
	puts("hello from a static user program");
	return 0;
}

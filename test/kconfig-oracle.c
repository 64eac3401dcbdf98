// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own Kconfig library, driven for many configurations at once.
 *
 *   kconfig-oracle Kconfig MODE IN OUT [MODE IN OUT ...]
 *
 * MODE is "olddefconfig" (OUT is what `conf --olddefconfig` writes from IN) or
 * "savedefconfig" (OUT is what `conf --savedefconfig=OUT` writes from IN).
 *
 * Linked with the tree's own scripts/kconfig objects (everything `conf` is
 * made of but conf.o), it does what conf's main() does for those modes:
 * conf_parse(), then conf_read() and conf_write() / conf_write_defconfig().
 * The tree is parsed, and its $(shell,...) macros run, once for all the
 * inputs instead of once per input: that is nearly all of a conf run's time.
 * Each input is then handled in a child forked from the freshly parsed state,
 * so no input sees what an earlier one left behind (since 6.11 the order of a
 * choice's members, for one, is state). The oracle test also checks this
 * driver against separate conf processes on a sample of its inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lkc.h"

/* What conf's main() does after conf_parse() for one input, in a child. */
static int run_one(const char *prog, const char *mode, const char *in, const char *out)
{
	if (conf_read(in)) {
		fprintf(stderr, "%s: cannot read %s\n", prog, in);
		return 1;
	}
	if (sym_dep_errors())
		return 1;
	if (strcmp(mode, "olddefconfig") == 0)
		return conf_write(out) ? 1 : 0;
	if (strcmp(mode, "savedefconfig") == 0)
		return conf_write_defconfig(out) ? 1 : 0;
	fprintf(stderr, "%s: unknown mode %s\n", prog, mode);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2 || (argc - 2) % 3 != 0) {
		fprintf(stderr, "usage: %s Kconfig MODE IN OUT [MODE IN OUT ...]\n", argv[0]);
		return 2;
	}
	conf_set_message_callback(NULL);
	conf_parse(argv[1]);
	if (conf_errors())
		return 1;

	for (int i = 2; i < argc; i += 3) {
		int status;
		pid_t child = fork();

		if (child < 0) {
			perror("fork");
			return 1;
		}
		if (child == 0)
			_exit(run_one(argv[0], argv[i], argv[i + 1], argv[i + 2]));
		if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "%s: %s %s failed\n", argv[0], argv[i], argv[i + 1]);
			return 1;
		}
	}
	return 0;
}

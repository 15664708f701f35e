# SPDX-License-Identifier: GPL-2.0
#
# e2m top-level Makefile.
#
#   make             the kernel module for KVER and the agent (e2md, e2mctl)
#   make demo        installs what it needs, boots the test VM, shows e2m work
#   make check       installs what it needs, runs every test, prints the total
#   make bench       data path benchmark in the test VM on both kernels
#                    (E2M_KERNELS) with flame graphs of e2m in build/bench/,
#                    then on KVER BEST's HSE pull at scale (installs/s,
#                    triplet to first packet), 10^6 flows on one device
#                    (memory, installs/s, packets/s, dump;
#                    E2M_FLOWS_COUNTS), then the agent's (vectors/s, Ub
#                    bootstraps/s)
#   make fuzz        the agent's libFuzzer targets, FUZZ_SECONDS each (300),
#                    then the kernel's netlink fuzzer (make fuzz-kernel)
#   make fuzz-kernel the netlink fuzzer in the test VM under traffic for
#                    FUZZ_SECONDS (KVER=6.1, 6.12 or debug; FUZZ_SEED to
#                    repeat)
#   make install     e2md, e2mctl, their man pages and systemd units (PREFIX,
#                    /usr/local by default; DESTDIR), and the module's
#                    source for DKMS in /usr/src/e2m-VERSION (install-dkms)
#   make deb         Debian packages e2m-agent and e2m-dkms in build/deb/
#                    (dpkg-buildpackage; Documentation/deploy.md)
#   make cycles      100 module load/unload and 100 device create/delete
#                    cycles under traffic in the test VM (KVER=6.1, 6.12 or
#                    debug; make check runs 10 of each)
#   make vm-shell    a root shell in the test VM (KVER=6.1, 6.12 or debug)
#   make debug-kernel  the test VM's debug kernel (KASAN, lockdep, kmemleak,
#                    ...) from Debian's linux-source, cached under build/
#   make sparse      sparse (C=2) over the module
#   make checkpatch  checkpatch --strict over the kernel sources
#   make mutants     one-line bugs (selftests/mutants.list) put one at a time
#                    into a copy of the tree in build/mutants/: which the
#                    suites catch (slow; not in check). MUTANTS_ARGS=--skip-vm
#                    leaves out the kernel's, --only ID,... picks some
#
# KVER picks the kernel to build against: a full release or a Debian series
# (6.1, 6.12), or debug: the test VM's debug kernel (make debug-kernel, which
# make check builds; Documentation/testing.md). By default the running kernel
# if its headers are installed, otherwise the newest installed Debian 6.1
# kernel. E2M_DEBUG=y builds the module with its self-tests and debug checks.

BUILD := build
KVER ?= $(shell selftests/vm/kver.sh default 2>/dev/null)
override KVER := $(shell selftests/vm/kver.sh $(KVER) 2>/dev/null || echo $(KVER))
# The debug kernel's build tree (KVER=debug) is under build/.
KDIR ?= $(firstword $(wildcard /lib/modules/$(KVER)/build \
	$(BUILD)/linux-debug/root/lib/modules/$(KVER)/build) /lib/modules/$(KVER)/build)
E2M_DEBUG ?=

KMOD_DIR := $(BUILD)/kmod/$(KVER)$(if $(E2M_DEBUG),-debug)
KSFT_DIR := $(BUILD)/kselftest
SELFTEST_DIR := $(BUILD)/selftests
LINUX_SOURCE ?= $(lastword $(sort $(wildcard /usr/src/linux-source-*.tar.xz)))

KERNEL_SOURCES := $(wildcard kernel/*.c kernel/*.h) uapi/linux/e2m.h Kbuild

.PHONY: all module agent demo check bench fuzz deps vm-shell sparse checkpatch \
	selftests kselftest-headers clean mutants debug-kernel cycles fuzz-kernel \
	install install-dkms deb

all: module agent

# Kbuild writes its objects next to the sources, so each kernel (and the
# debug flavour) gets its own tree of symbolic links to them.
module: $(KMOD_DIR)/e2m.ko

$(KMOD_DIR)/e2m.ko: $(KERNEL_SOURCES)
	@mkdir -p $(KMOD_DIR)
	@cp -asf $(abspath Kbuild) $(KMOD_DIR)/Kbuild
	@cp -asf $(abspath kernel) $(abspath uapi) $(KMOD_DIR)/
	$(MAKE) -C $(KDIR) M=$(abspath $(KMOD_DIR)) E2M_DEBUG=$(E2M_DEBUG) modules

agent:
	$(MAKE) -C agent

# The one version string of the module, the agent and the packages.
E2M_VERSION := $(shell sed -n 's/^\#define E2M_VERSION "\(.*\)"/\1/p' kernel/version.h)
# DKMS takes its sources from /usr/src whatever the prefix.
DKMS_SOURCE_DIR := /usr/src/e2m-$(E2M_VERSION)

# PREFIX, DESTDIR and the agent's directories: agent/Makefile's install.
install: install-dkms
	$(MAKE) -C agent install

# The module's sources as DKMS builds them: its dkms.conf with the version
# filled in, then `dkms install e2m/$(E2M_VERSION)`.
install-dkms:
	install -d $(DESTDIR)$(DKMS_SOURCE_DIR)/kernel $(DESTDIR)$(DKMS_SOURCE_DIR)/uapi/linux
	install -m 0644 Kbuild $(DESTDIR)$(DKMS_SOURCE_DIR)/
	install -m 0644 $(wildcard kernel/*.c kernel/*.h) $(DESTDIR)$(DKMS_SOURCE_DIR)/kernel/
	install -m 0644 uapi/linux/e2m.h $(DESTDIR)$(DKMS_SOURCE_DIR)/uapi/linux/
	sed 's/#MODULE_VERSION#/$(E2M_VERSION)/' kernel/dkms.conf > $(DESTDIR)$(DKMS_SOURCE_DIR)/dkms.conf
	chmod 0644 $(DESTDIR)$(DKMS_SOURCE_DIR)/dkms.conf

# The packages are built from a copy of the tree (what git tracks, and new
# files it does not ignore) with agent/dist/debian/ as its debian/, in
# build/deb/e2m-VERSION; the .deb files land in build/deb/.
DEB_DIR := $(BUILD)/deb
DEB_TREE := $(DEB_DIR)/e2m-$(E2M_VERSION)

deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_TREE)
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ ! -e "$$f" ] || printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -xf - -C $(DEB_TREE)
	cp -a agent/dist/debian $(DEB_TREE)/debian
	cd $(DEB_TREE) && dpkg-buildpackage --build=binary --no-sign -j$(shell nproc)

# The kernel's own kselftest headers, from Debian's linux-source package.
kselftest-headers: $(KSFT_DIR)/kselftest_harness.h

$(KSFT_DIR)/kselftest_harness.h:
	@test -n "$(LINUX_SOURCE)" || { echo "no linux-source tarball (make deps)"; exit 1; }
	@mkdir -p $(KSFT_DIR)
	tar -xJf $(LINUX_SOURCE) -C $(KSFT_DIR) --strip-components=4 --wildcards \
		'*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/kselftest_harness.h'
	@touch $@

$(KSFT_DIR)/checkpatch.pl:
	@test -n "$(LINUX_SOURCE)" || { echo "no linux-source tarball (make deps)"; exit 1; }
	@mkdir -p $(KSFT_DIR)
	tar -xJf $(LINUX_SOURCE) -C $(KSFT_DIR) --strip-components=2 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	@touch $@

SELFTEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-I uapi -I $(KSFT_DIR)
SELFTESTS := $(SELFTEST_DIR)/keys $(SELFTEST_DIR)/netlink $(SELFTEST_DIR)/gtp-pdp \
	$(SELFTEST_DIR)/nlfuzz
LIBNL_CFLAGS = $(shell pkg-config --cflags libnl-genl-3.0)
LIBNL_LIBS = $(shell pkg-config --libs libnl-genl-3.0)

selftests: $(SELFTESTS)

$(SELFTEST_DIR)/keys: selftests/e2m/keys.c uapi/linux/e2m.h $(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(SELFTEST_DIR)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $< -lkeyutils

$(SELFTEST_DIR)/netlink: selftests/e2m/netlink.c uapi/linux/e2m.h $(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(SELFTEST_DIR)
	$(CC) $(SELFTEST_CFLAGS) $(LIBNL_CFLAGS) -o $@ $< $(LIBNL_LIBS) -lkeyutils

NLFUZZ_SOURCES := $(wildcard selftests/e2m/nlfuzz/*.c)
$(SELFTEST_DIR)/nlfuzz: $(NLFUZZ_SOURCES) $(wildcard selftests/e2m/nlfuzz/*.h) uapi/linux/e2m.h
	@mkdir -p $(SELFTEST_DIR)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $(NLFUZZ_SOURCES) -lkeyutils -lpthread

# The same fuzzer under ASan and UBSan, for its generator's host check
# (selftests/e2m/nlfuzz-generator.sh: a dry run needs no module).
$(SELFTEST_DIR)/nlfuzz-asan: $(NLFUZZ_SOURCES) $(wildcard selftests/e2m/nlfuzz/*.h) uapi/linux/e2m.h
	@mkdir -p $(SELFTEST_DIR)
	$(CC) $(SELFTEST_CFLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -o $@ $(NLFUZZ_SOURCES) -lkeyutils -lpthread

$(SELFTEST_DIR)/gtp-pdp: selftests/bench/gtp-pdp.c
	@mkdir -p $(SELFTEST_DIR)
	$(CC) $(SELFTEST_CFLAGS) $(LIBNL_CFLAGS) -o $@ $< $(LIBNL_LIBS)

deps:
	@selftests/deps.sh

# Cached under build/linux-debug: nothing runs when it is up to date.
debug-kernel: deps
	selftests/vm/debug-kernel.sh

check: deps
	@selftests/check.sh

demo: deps
	@selftests/demo.sh

# The flow counts of selftests/bench/flows.sh, ascending, and the VM's memory
# for the last: 2 GiB and 3 KiB a flow (two devices hold them).
E2M_FLOWS_COUNTS ?= 1 1000 100000 1000000
E2M_FLOWS_MEM ?= $(shell echo $$(( 2048 + $(lastword $(E2M_FLOWS_COUNTS)) * 3 / 1024 )))
E2M_FLOWS_TIMEOUT ?= 3600
# selftests/bench/reconcile.sh: the HSE started over this many rows, flows
# and keys (2 GiB and 3 KiB a row; 10^6 takes about 16 minutes in the VM).
E2M_RECONCILE_ROWS ?= 1000000
E2M_RECONCILE_MEM ?= $(shell echo $$(( 2048 + $(E2M_RECONCILE_ROWS) * 3 / 1024 )))

# The data path and BEST's HSE against its bound on each of E2M_KERNELS (as
# make check: both Debian series), one boot each: the release module is
# measured, the debug one gives the raw crypto rate; the flame graphs land
# in build/bench/. The VM loop is
# apart from the lines with $(MAKE), which make -n runs: make -n boots none.
E2M_KERNELS ?= 6.1 6.12

bench: deps module agent selftests
	for k in $(E2M_KERNELS); do \
		$(MAKE) module KVER=$$k && $(MAKE) module KVER=$$k E2M_DEBUG=y || exit 1; \
	done
	for k in $(E2M_KERNELS); do \
		kver=$$(selftests/vm/kver.sh $$k) && \
		selftests/vm/run.sh --kver $$kver --timeout 900 -- \
			selftests/bench/datapath.sh $(BUILD)/kmod/$$kver/e2m.ko \
			$(BUILD)/kmod/$$kver-debug/e2m.ko || exit 1; \
		selftests/vm/run.sh --kver $$kver --timeout 900 -- \
			selftests/bench/steer.sh $(BUILD)/kmod/$$kver/e2m.ko \
			$(BUILD)/kmod/$$kver-debug/e2m.ko || exit 1; \
	done
	$(MAKE) -C agent build/bench/best_bench build/bench/install_bound
	for k in $(E2M_KERNELS); do \
		kver=$$(selftests/vm/kver.sh $$k) && \
		selftests/vm/run.sh --kver $$kver --timeout 1800 -- \
			selftests/bench/best.sh $(BUILD)/kmod/$$kver/e2m.ko || exit 1; \
	done
	$(MAKE) -C agent build/bench/flows_bench
	selftests/vm/run.sh --kver $(KVER) --timeout $(E2M_FLOWS_TIMEOUT) \
		--mem $(E2M_FLOWS_MEM) -- env E2M_FLOWS_COUNTS="$(E2M_FLOWS_COUNTS)" \
		selftests/bench/flows.sh $(KMOD_DIR)/e2m.ko
	$(MAKE) -C agent build/bench/reconcile_bench
	selftests/vm/run.sh --kver $(KVER) --timeout $(E2M_FLOWS_TIMEOUT) \
		--mem $(E2M_RECONCILE_MEM) -- \
		env E2M_RECONCILE_ROWS="$(E2M_RECONCILE_ROWS)" \
		selftests/bench/reconcile.sh $(KMOD_DIR)/e2m.ko
	$(MAKE) -C agent bench

FUZZ_SECONDS ?= 300

fuzz: deps
	$(MAKE) -C agent fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)
	$(MAKE) fuzz-kernel

# The debug module, as in make check; the VM's limit leaves room for set-up.
fuzz-kernel: deps selftests agent
	$(MAKE) module E2M_DEBUG=y
	selftests/vm/run.sh --kver $(KVER) --timeout $$(( $(FUZZ_SECONDS) * 2 + 600 )) -- \
		selftests/e2m/fuzz-vm.sh $(FUZZ_SECONDS) $(FUZZ_SEED)

mutants: deps
	@selftests/mutants.py --kver $(KVER) $(MUTANTS_ARGS)

# The life cycles of selftests/e2m/cycles.sh, 100 of each (make check: 10).
cycles: deps agent
	$(MAKE) module E2M_DEBUG=y
	selftests/vm/run.sh --kver $(KVER) --timeout 7200 -- \
		env E2M_CYCLES=$(or $(E2M_CYCLES),100) selftests/e2m/cycles.sh $(KMOD_DIR)-debug/e2m.ko

vm-shell: module selftests
	selftests/vm/run.sh --kver $(KVER) --shell

sparse:
	@mkdir -p $(KMOD_DIR)
	@cp -asf $(abspath Kbuild) $(KMOD_DIR)/Kbuild
	@cp -asf $(abspath kernel) $(abspath uapi) $(KMOD_DIR)/
	$(MAKE) -C $(KDIR) M=$(abspath $(KMOD_DIR)) C=2 CHECK=sparse modules

CHECKPATCH = perl $(KSFT_DIR)/checkpatch.pl --strict --no-tree --terse --show-types

# compat.h is where the version tests live, and only there.
checkpatch: $(KSFT_DIR)/checkpatch.pl
	$(CHECKPATCH) -f $(filter-out kernel/compat.h,$(wildcard kernel/*.c kernel/*.h)) \
		uapi/linux/e2m.h
	$(CHECKPATCH) --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f kernel/compat.h

clean:
	rm -rf $(BUILD)
	$(MAKE) -C agent clean

#!/bin/sh
# /init of the pc64 test initramfs (tools/guests/build-guests.sh): busybox
# only. Mounts the kernel's file systems, says PC64-SHELL-READY on the
# console, then runs pc64.cmd="..." from the kernel command line and powers
# off, or gives a shell on ttyS0.
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox --install -s /bin
export PATH=/bin
# The ACPI power button (a module in Debian's kernels; build-guests.sh adds it).
[ -f /lib/button.ko ] && insmod /lib/button.ko 2>/dev/null
cmd=
for arg in $(cat /proc/cmdline); do
  case $arg in pc64.cmd=*) cmd=${arg#pc64.cmd=} ;; esac
done
echo PC64-SHELL-READY
if [ -n "$cmd" ]; then
  # Spaces cannot appear in one kernel argument: ',' stands for a space.
  sh -c "$(echo "$cmd" | tr , ' ')"
  echo "PC64-CMD-EXIT $?"
  poweroff -f
fi
exec setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'

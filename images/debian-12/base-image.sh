#!/bin/sh
# Base disk for the `local` target: a minimal Debian with a kernel, openssh-server and containerd,
# made without loop devices or KVM (debootstrap, mke2fs -d, qemu-img). Run by csp as root.
# Usage: base-image.sh OUT_DIR SUITE MIRROR SSH_PUBKEY_FILE DISK_SIZE
set -eu
out=$1 suite=$2 mirror=$3 pubkey=$4 size=$5
root="$out/root"
rm -rf "$root"
mkdir -p "$root"
debootstrap --variant=minbase \
  --include=linux-image-cloud-amd64,systemd-sysv,openssh-server,ifupdown,isc-dhcp-client,iproute2,containerd \
  "$suite" "$root" "$mirror"
mkdir -p "$root/root/.ssh"
cp "$pubkey" "$root/root/.ssh/authorized_keys"
chmod 700 "$root/root/.ssh"
chmod 600 "$root/root/.ssh/authorized_keys"
printf 'auto lo\niface lo inet loopback\nauto eth0\niface eth0 inet dhcp\n' >"$root/etc/network/interfaces"
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$root/etc/fstab"
printf 'csp-node\n' >"$root/etc/hostname"
# No stale machine identity or apt lists in the image.
: >"$root/etc/machine-id"
rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin
cp "$(readlink -f "$root/vmlinuz")" "$out/vmlinuz"
cp "$(readlink -f "$root/initrd.img")" "$out/initrd.img"
rm -f "$out/disk.raw"
mke2fs -q -t ext4 -d "$root" "$out/disk.raw" "$size"
qemu-img convert -O qcow2 "$out/disk.raw" "$out/base.qcow2"
rm -rf "$out/disk.raw" "$root"

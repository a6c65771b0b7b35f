#!/bin/sh
# Runs inside the booted base image over SSH: checks the container runtime and records the node's inputs.
set -eu
: "${KUBERNETES_SEMVER:?}" "${REBUILD_KEY:?}"
containerd --version
systemctl enable containerd >/dev/null 2>&1 || true
mkdir -p /etc/csp
printf 'kubernetes_semver=%s\nrebuild_key=%s\n' "$KUBERNETES_SEMVER" "$REBUILD_KEY" >/etc/csp/node-image
# Clean for cloning: no build key, no machine identity.
rm -f /root/.ssh/authorized_keys
: >/etc/machine-id
sync

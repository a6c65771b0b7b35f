#!/bin/sh
# Installs containerd, runc and the Kubernetes node packages of one patch release from pkgs.k8s.io,
# configures containerd for the systemd cgroup driver and cleans the image for cloning.
set -eu
: "${KUBERNETES_SERIES:?}" "${KUBERNETES_DEB_VERSION:?}" "${CRICTL_VERSION:?}" "${PAUSE_IMAGE:?}"
export DEBIAN_FRONTEND=noninteractive
cloud-init status --wait >/dev/null 2>&1 || true
apt-get update -q
apt-get install -y -q ca-certificates curl gpg containerd runc
install -d -m 0755 /etc/apt/keyrings
curl -fsSL "https://pkgs.k8s.io/core:/stable:/${KUBERNETES_SERIES}/deb/Release.key" | gpg --dearmor -o /etc/apt/keyrings/kubernetes.gpg
echo "deb [signed-by=/etc/apt/keyrings/kubernetes.gpg] https://pkgs.k8s.io/core:/stable:/${KUBERNETES_SERIES}/deb/ /" >/etc/apt/sources.list.d/kubernetes.list
apt-get update -q
apt-get install -y -q "kubelet=${KUBERNETES_DEB_VERSION}" "kubeadm=${KUBERNETES_DEB_VERSION}" "kubectl=${KUBERNETES_DEB_VERSION}" cri-tools
apt-mark hold kubelet kubeadm kubectl
mkdir -p /etc/containerd
containerd config default | sed -e 's/SystemdCgroup = false/SystemdCgroup = true/' -e "s#sandbox_image = .*#sandbox_image = \"${PAUSE_IMAGE}\"#" >/etc/containerd/config.toml
printf 'overlay\nbr_netfilter\n' >/etc/modules-load.d/kubernetes.conf
printf 'net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\n' >/etc/sysctl.d/99-kubernetes.conf
systemctl enable containerd kubelet
# Clean for cloning: no build password, machine identity, cloud-init state or apt lists.
passwd -l ubuntu 2>/dev/null || true
cloud-init clean --logs --seed 2>/dev/null || true
: >/etc/machine-id
apt-get clean
rm -rf /var/lib/apt/lists/* /tmp/* /root/.bash_history

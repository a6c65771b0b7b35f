# Plugin pins for Packer >= 1.7 (`packer init`); csp adds this file only when the Packer in use supports it,
# so the JSON templates beside it still validate with Debian's Packer 1.6.6 (built-in builders).
packer {
  required_plugins {
    qemu = {
      version = "= 1.1.3"
      source  = "github.com/hashicorp/qemu"
    }
    openstack = {
      version = "= 1.1.2"
      source  = "github.com/hashicorp/openstack"
    }
    hcloud = {
      version = "= 1.6.1"
      source  = "github.com/hetznercloud/hcloud"
    }
  }
}

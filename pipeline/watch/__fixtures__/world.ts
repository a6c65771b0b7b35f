/**
 * Upstream states for the watch tests: "current" announces exactly what stacks/ and the SCS fixtures pin
 * (a bump must change nothing); "newer" announces new patches plus the traps a policy must refuse.
 */
import type { ChartVersion, UpstreamState } from '../../testing/upstream.js';

const v = (version: string, extra: Partial<ChartVersion> = {}): ChartVersion => ({ version, ...extra });

/** The SCS openstack fixture's image path for a Kubernetes version (Ubuntu 22.04 up to 1.32). */
export const imagePath = (k8s: string): string => `ubuntu-2204-kube-v${k8s.split('.').slice(0, 2).join('.')}/ubuntu-2204-kube-v${k8s}.qcow2`;

/** Exactly the versions the stacks pin today. */
export function currentState(): Partial<UpstreamState> {
  return {
    stable: { '1.30': 'v1.30.13\n', '1.31': 'v1.31.9\n', '1.32': 'v1.32.5\n' },
    repos: {
      cilium: { cilium: [v('1.16.6'), v('1.17.4')] },
      cpo: {
        'openstack-cloud-controller-manager': [v('2.30.5'), v('2.31.3'), v('2.32.0')],
        'openstack-cinder-csi': [v('2.30.3'), v('2.31.7'), v('2.32.0')],
      },
      'metrics-server': { 'metrics-server': [v('3.12.2')] },
      hcloud: { 'hcloud-cloud-controller-manager': [v('1.35.0')], 'hcloud-csi': [v('2.22.1')] },
    },
    images: { [imagePath('1.32.5')]: '8bfad5cb331480a7530952d8d6ff41155c28b2941f8be7a3f0318ebd1569cf83' },
  };
}

/** New patches everywhere, listed in ascending (non-canonical) order, with pre-releases, removed entries and traps. */
export function newerState(): Partial<UpstreamState> {
  return {
    stable: { '1.30': 'v1.30.14\n', '1.31': 'v1.31.14\n', '1.32': 'v1.32.14\n', '1.33': 'v1.33.7\n' },
    repos: {
      cilium: {
        cilium: [v('1.16.6'), v('1.16.15'), v('1.17.4'), v('1.17.7'), v('1.17.8', { removed: true }), v('1.17.9-pre.1'), v('1.18.2')],
      },
      cpo: {
        'openstack-cloud-controller-manager': [v('2.30.5'), v('2.30.6'), v('2.31.3'), v('2.31.5'), v('2.32.0'), v('2.32.3'), v('2.33.0')],
        'openstack-cinder-csi': [v('2.31.7'), v('2.30.3'), v('2.32.2'), v('2.32.0'), v('2.33.1'), v('2.32.4-rc.1')],
      },
      'metrics-server': { 'metrics-server': [v('3.12.2'), v('3.12.3', { kubeVersion: '>=1.40.0-0' }), v('3.13.0')] },
      hcloud: { 'hcloud-cloud-controller-manager': [v('1.35.0'), v('1.35.2')], 'hcloud-csi': [v('2.22.1'), v('2.22.3')] },
    },
    images: {
      [imagePath('1.32.5')]: '8bfad5cb331480a7530952d8d6ff41155c28b2941f8be7a3f0318ebd1569cf83',
      [imagePath('1.32.14')]: 'c0ffee'.padEnd(64, '0'),
    },
  };
}

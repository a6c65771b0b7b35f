/**
 * String formats as the two validators understand them: the Kubernetes apiserver's CRD format list
 * (kube-openapi strfmt) and kubeconform's JSON Schema Draft 4 set. Formats outside a set are ignored.
 */
import net from 'node:net';

/** A format check on a string value (formats on other types are never asserted). */
export type FormatCheck = (value: string) => boolean;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const HOSTNAME = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w))+$|^[-+]?0$/;
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^([0-9a-f]{2}[:-]){7}[0-9a-f]{2}$|^([0-9a-f]{4}\.){2}[0-9a-f]{4}$/i;
const HEX_COLOR = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;
const RGB_COLOR = /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/;
const BSON_OID = /^[0-9a-f]{24}$/i;

function isCidr(v: string): boolean {
  const slash = v.indexOf('/');
  if (slash < 0) return false;
  const ip = v.slice(0, slash);
  const bits = v.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const max = net.isIPv4(ip) ? 32 : net.isIPv6(ip) ? 128 : -1;
  return max >= 0 && Number(bits) <= max;
}

function isUri(v: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

function isRealDate(v: string): boolean {
  const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Formats the Kubernetes apiserver asserts for CRD fields (apiextensions supported formats). */
export const KUBERNETES_FORMATS: Readonly<Record<string, FormatCheck>> = {
  bsonobjectid: (v) => BSON_OID.test(v),
  uri: isUri,
  email: (v) => EMAIL.test(v),
  hostname: (v) => HOSTNAME.test(v),
  ipv4: (v) => net.isIPv4(v),
  ipv6: (v) => net.isIPv6(v),
  cidr: isCidr,
  mac: (v) => MAC.test(v),
  uuid: (v) => UUID.test(v),
  uuid3: (v) => UUID3.test(v),
  uuid4: (v) => UUID4.test(v),
  uuid5: (v) => UUID5.test(v),
  isbn: (v) => /^(?:\d[\d -]{8,15}[\dXx])$/.test(v),
  isbn10: (v) => /^(?:\d[\d -]{7,11}[\dXx])$/.test(v),
  isbn13: (v) => /^(?:\d[\d -]{11,16}\d)$/.test(v),
  creditcard: (v) => /^[\d -]{12,23}$/.test(v),
  ssn: (v) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v),
  hexcolor: (v) => HEX_COLOR.test(v),
  rgbcolor: (v) => RGB_COLOR.test(v),
  byte: (v) => BASE64.test(v),
  password: () => true,
  date: (v) => DATE.test(v) && isRealDate(v),
  duration: (v) => GO_DURATION.test(v),
  datetime: (v) => DATE_TIME.test(v) && isRealDate(v),
  'date-time': (v) => DATE_TIME.test(v) && isRealDate(v),
};

/** Formats kubeconform (santhosh-tekuri/jsonschema) asserts; `duration` also takes Go durations. */
export const KUBECONFORM_FORMATS: Readonly<Record<string, FormatCheck>> = {
  'date-time': (v) => DATE_TIME.test(v) && isRealDate(v),
  date: (v) => DATE.test(v) && isRealDate(v),
  time: (v) => TIME.test(v),
  duration: (v) => ISO_DURATION.test(v) || GO_DURATION.test(v),
  email: (v) => EMAIL.test(v),
  hostname: (v) => HOSTNAME.test(v),
  ipv4: (v) => net.isIPv4(v),
  ipv6: (v) => net.isIPv6(v),
  uri: isUri,
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

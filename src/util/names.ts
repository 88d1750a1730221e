// Kubernetes object names. Checked before any URL is built, so a name can never smuggle a path
// ("a/../b"), a query or a space into a request.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `name` is not a DNS-1123 subdomain (pods, StatefulSets), or undefined when it is one. */
export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'a name must not be empty';
  if (name.length > 253) return `a name must be at most 253 characters (got ${name.length})`;
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return 'a name must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit';
  }
  return undefined;
}

/** Why `name` is not a DNS-1123 label (namespaces, Services), or undefined when it is one. */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'a name must not be empty';
  if (name.length > 63) return `a name must be at most 63 characters (got ${name.length})`;
  if (!DNS1123_LABEL.test(name)) {
    return 'a name must consist of lower-case letters, digits and "-", and start and end with a letter or digit';
  }
  return undefined;
}

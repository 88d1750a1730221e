// The images this kubelet can run. An image is a repository path with an optional registry host,
// tag or digest; only the repository decides what runs.

export type ImageKind = 'reference-gateway';

const KNOWN_REPOSITORIES: Record<string, ImageKind> = {
  'conduit/reference-gateway': 'reference-gateway',
};

/** Entry-point names that mean "the image's own program" when a container sets `command`. */
export const GATEWAY_ENTRYPOINTS = ['conduit-gateway', '/usr/local/bin/conduit-gateway'];

export function repositoryOf(image: string): string {
  let rest = image.split('@')[0]!;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) rest = rest.slice(0, colon);
  const parts = rest.split('/');
  // A first component with a dot or a port is a registry host (ghcr.io/…, localhost:5000/…).
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) parts.shift();
  return parts.join('/');
}

export function imageKind(image: string | undefined): ImageKind | undefined {
  if (!image) return undefined;
  const repository = repositoryOf(image);
  return KNOWN_REPOSITORIES[repository] ?? KNOWN_REPOSITORIES[repository.split('/').slice(-2).join('/')];
}

export function knownImages(): string[] {
  return Object.keys(KNOWN_REPOSITORIES);
}

/** glibc's strerror() text for the errno codes Node reports, for messages in perror's form. */
const TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  EMFILE: 'Too many open files',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
};

/** `perror(what)`: "what: No such file or directory". */
export function perror(what: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const text = code && TEXT[code] ? TEXT[code] : err instanceof Error ? err.message : String(err);
  return `${what}: ${text}`;
}

/**
 * UPIDs: `UPID:<node>:<pid 8HEX>:<pstart 8-9HEX>:<starttime 8HEX>:<type>:<id>:<user>:`, with the
 * trailing colon ([COM] UPID.pm:18-55). The user may be a token (`root@pam!uni-manager`), the id empty.
 */
export interface UpidParts {
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
}

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

export function encodeUpid(p: UpidParts): string {
  return `UPID:${p.node}:${hex(p.pid, 8)}:${hex(p.pstart, 8)}:${hex(p.starttime, 8)}:${p.type}:${p.id}:${p.user}:`;
}

const UPID_RE =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

export function decodeUpid(upid: string): UpidParts | undefined {
  const m = UPID_RE.exec(upid);
  if (!m) return undefined;
  return {
    node: m[1] as string,
    pid: parseInt(m[3] as string, 16),
    pstart: parseInt(m[4] as string, 16),
    starttime: parseInt(m[5] as string, 16),
    type: m[6] as string,
    id: m[7] as string,
    user: m[8] as string,
  };
}

/**
 * Token buckets for socket events: a burst of `capacity`, refilled at `perSecond`. Counted per
 * socket and per client IP, so many sockets from one address cannot multiply the allowance.
 */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.tokens = capacity;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((now - this.last) / 1000) * this.perSecond,
    );
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface SocketLimits {
  /** Events per socket: burst and steady rate. */
  socketBurst: number;
  socketPerSecond: number;
  /** Events per IP across its sockets. */
  ipBurst: number;
  ipPerSecond: number;
  /** Concurrent sockets per IP. */
  maxSocketsPerIp: number;
  /** Refused events before the socket is disconnected. */
  maxViolations: number;
  /** Largest accepted message text. */
  maxMessageChars: number;
}

/** Per-IP state shared by that IP's sockets; dropped when its last socket leaves. */
export class IpLimiter {
  private readonly ips = new Map<string, { sockets: number; bucket: TokenBucket }>();

  constructor(private readonly limits: SocketLimits) {}

  connect(ip: string): boolean {
    const entry = this.ips.get(ip) ?? {
      sockets: 0,
      bucket: new TokenBucket(this.limits.ipBurst, this.limits.ipPerSecond),
    };
    if (entry.sockets >= this.limits.maxSocketsPerIp) return false;
    entry.sockets += 1;
    this.ips.set(ip, entry);
    return true;
  }

  disconnect(ip: string): void {
    const entry = this.ips.get(ip);
    if (!entry) return;
    entry.sockets -= 1;
    if (entry.sockets <= 0) this.ips.delete(ip);
  }

  take(ip: string): boolean {
    return this.ips.get(ip)?.bucket.take() ?? false;
  }
}

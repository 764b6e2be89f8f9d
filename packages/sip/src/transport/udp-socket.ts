/**
 * One UDP socket bound to the node's own address and port. It receives and it also sends, so every
 * datagram leaves from the node's address (what a capture and a NAT-less peer expect).
 */
import { type Socket, createSocket } from "node:dgram";
import { type LookupOneOptions, lookup as dnsLookup } from "node:dns";
import { isIP, isIPv6 } from "node:net";
import { type Endpoint, type PacketTap, ImsError } from "@ims/runtime";

/** Bytes of kernel receive buffer asked for per SIP UDP socket (Linux default: 208 KiB). */
const UDP_RECEIVE_BUFFER = 4 * 1024 * 1024;

/** A datagram's source: an Endpoint that is also a SIP Destination. */
export interface UdpPeer extends Endpoint {
  readonly transport: "udp";
}

/** Peers remembered at most; past that the table starts over (a spray of source ports only churns it). */
const MAX_PEERS = 4096;

/**
 * The source of each peer, made once: datagrams from one peer share one object, so what a message
 * or a transaction completed for Timer J keeps is that, not a new object and address per datagram.
 */
class Peers {
  private readonly byAddress = new Map<string, Map<number, UdpPeer>>();
  private count = 0;

  get(address: string, port: number): UdpPeer {
    let ports = this.byAddress.get(address);
    const known = ports?.get(port);
    if (known !== undefined) return known;
    if (this.count >= MAX_PEERS) {
      this.byAddress.clear();
      this.count = 0;
      ports = undefined;
    }
    if (ports === undefined) {
      ports = new Map();
      this.byAddress.set(address, ports);
    }
    const peer: UdpPeer = { transport: "udp", address, port };
    ports.set(port, peer);
    this.count++;
    return peer;
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram passes the destination of every send() through dns.lookup, which answers an IP literal on
 * the next tick. Our destinations are always addresses (RFC 3263 resolution happened before), so
 * they go out at once; a name still goes to dns.lookup.
 */
function literalLookup(hostname: string, options: LookupOneOptions | number, callback: LookupCallback): void {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, typeof options === "number" ? { family: options } : options, callback);
}

export class UdpSocket {
  private handler: (data: Buffer, remote: UdpPeer) => void = () => undefined;
  private readonly peers = new Peers();

  private constructor(
    private readonly socket: Socket,
    readonly local: Endpoint,
    private readonly tap: PacketTap | undefined,
  ) {
    socket.on("message", (data, rinfo) => {
      const remote = this.peers.get(rinfo.address, rinfo.port);
      this.tap?.({ transport: "udp", direction: "in", src: remote, dst: this.local, data });
      this.handler(data, remote);
    });
    // A send error (ICMP unreachable on Linux) surfaces on the socket: it is not fatal to it.
    socket.on("error", () => undefined);
  }

  static bind(local: Endpoint, tap?: PacketTap): Promise<UdpSocket> {
    // A large receive buffer rides out event-loop pauses (GC, a busy neighbour) under load instead of
    // dropping datagrams; a lost 1xx is never retransmitted (RFC 3261 §17.2.1). The kernel caps it
    // at net.core.rmem_max.
    const socket = createSocket({ type: isIPv6(local.address) ? "udp6" : "udp4", reuseAddr: false, recvBufferSize: UDP_RECEIVE_BUFFER, lookup: literalLookup });
    return new Promise((resolve, reject) => {
      const onError = (e: Error) =>
        reject(new ImsError("bind-failed", `UDP ${local.address}:${local.port}: ${e.message}`, { cause: e }));
      socket.once("error", onError);
      socket.bind(local.port, local.address, () => {
        socket.off("error", onError);
        const a = socket.address();
        resolve(new UdpSocket(socket, { address: a.address, port: a.port }, tap));
      });
    });
  }

  onPacket(handler: (data: Buffer, remote: UdpPeer) => void): void {
    this.handler = handler;
  }

  send(data: Buffer, remote: Endpoint): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.send(data, remote.port, remote.address, (e) => {
        if (e) reject(e);
        else {
          this.tap?.({ transport: "udp", direction: "out", src: this.local, dst: { address: remote.address, port: remote.port }, data });
          resolve();
        }
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}

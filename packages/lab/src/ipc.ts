import type { TappedPacket } from "@ims/runtime";

/** Messages between the lab supervisor and a node process (over the fork IPC channel). */
export type ToNode = { readonly type: "stop" };

export type FromNode =
  | { readonly type: "ready"; readonly state: string }
  | { readonly type: "failed"; readonly reason: string }
  | {
      readonly type: "packet";
      readonly transport: TappedPacket["transport"];
      readonly direction: TappedPacket["direction"];
      readonly src: TappedPacket["src"];
      readonly dst: TappedPacket["dst"];
      readonly time: number;
      readonly data: string;
    };

export function isFromNode(value: unknown): value is FromNode {
  if (typeof value !== "object" || value === null) return false;
  const t = (value as { type?: unknown }).type;
  return t === "ready" || t === "failed" || t === "packet";
}

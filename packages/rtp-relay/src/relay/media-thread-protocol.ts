/** Messages between the control thread and a media thread (worker_threads), structured-clone safe. */
import type { Endpoint } from "@ims/runtime";
import type { LegSnapshot } from "../call/leg.js";
import type { MediaCounters } from "./udp-media-plane.js";

export interface WireMedia {
  readonly index: number;
  readonly type: string;
  readonly port: number;
  readonly protocol: string;
  readonly formats: readonly string[];
  readonly rtp: Endpoint | undefined;
  readonly rtcp: Endpoint | undefined;
  readonly clockRates: readonly (readonly [number, number])[];
}

export type ToMediaThread =
  | { readonly op: "open"; readonly id: number; readonly callId: string; readonly side: "A" | "B"; readonly index: number; readonly rtp: number; readonly rtcp: number }
  | { readonly op: "update"; readonly id: number; readonly peer: number | undefined; readonly media: WireMedia | undefined }
  | { readonly op: "close"; readonly id: number };

export type FromMediaThread =
  | { readonly op: "opened"; readonly id: number; readonly ok: boolean }
  | { readonly op: "closed"; readonly id: number }
  | {
      readonly op: "report";
      readonly counters: MediaCounters;
      /** `idleMs`: time since the leg's last packet, undefined before any. */
      readonly legs: readonly { readonly id: number; readonly snap: LegSnapshot; readonly idleMs: number | undefined }[];
    };

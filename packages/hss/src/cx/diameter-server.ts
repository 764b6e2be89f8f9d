import { randomBytes } from "node:crypto";
import { CX_APPLICATION_ID, DiameterNode, type DiameterMessage } from "@ims/diameter";
import type { Logger, PacketTap } from "@ims/runtime";
import type { CxContext } from "./context.js";
import type { CxSender } from "./sender.js";
import { answerCx } from "./server.js";
import type { HssIdentity } from "./wire.js";

export interface CxServerConfig {
  readonly ctx: CxContext;
  readonly identity: HssIdentity;
  readonly address: string;
  readonly port: number;
  readonly logger: Logger;
  readonly tap?: PacketTap;
  /** Timeout of an RTR/PPR (ms). */
  readonly requestTimeoutMs?: number;
}

export interface CxServer {
  readonly port: number;
  readonly node: DiameterNode;
  /** Sends RTR/PPR to the S-CSCF named in Destination-Host. */
  readonly sender: CxSender;
  stop(): Promise<void>;
}

/** TS 29.229 command codes the HSS serves (UAR, SAR, LIR, MAR). */
const SERVED = [300, 301, 302, 303] as const;

/**
 * The HSS's Diameter side on packages/diameter's node: accepts any Cx peer (the CSCFs connect to
 * it), answers UAR/SAR/LIR/MAR, and sends RTR/PPR to the S-CSCF that registered the user.
 */
export async function startCxServer(c: CxServerConfig): Promise<CxServer> {
  const node = await DiameterNode.start({
    originHost: c.identity.originHost,
    originRealm: c.identity.originRealm,
    bindAddress: c.address,
    listenPort: c.port,
    acceptUnknownPeers: true,
    productName: "ims-hss",
    logger: c.logger,
    ...(c.tap === undefined ? {} : { tap: c.tap }),
  });
  for (const code of SERVED) node.handle(CX_APPLICATION_ID, code, (req) => answerCx(c.ctx, c.identity, req, { validated: true }));
  const prefix = `${c.identity.originHost};${Math.floor(Date.now() / 1000)};${randomBytes(3).toString("hex")}`;
  let session = 0;
  const sender: CxSender = {
    nextIds: () => node.nextIds(),
    nextSessionId: () => `${prefix};${++session}`,
    async send(request: DiameterMessage): Promise<DiameterMessage> {
      const r = await node.request(request, { timeoutMs: c.requestTimeoutMs ?? 5000 });
      if (!r.ok) throw new Error(`request failed: ${r.error.kind}`);
      return r.value;
    },
  };
  const port = node.localEndpoint?.port ?? c.port;
  return { port, node, sender, stop: () => node.stop("REBOOTING") };
}

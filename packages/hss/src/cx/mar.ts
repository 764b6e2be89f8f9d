import { keyFromSecret } from "@ims/aka";
import { avp, getValue, type Avp, type DiameterMessage } from "@ims/diameter";
import type { CxContext } from "./context.js";
import { answerHead, isMissing, requiredString, type HssIdentity, type MissingAvp } from "./wire.js";
import type { AkaKeys, AkaProvider } from "../auth/aka-provider.js";
import { digestHa1, realmOf } from "../auth/digest.js";
import { isAuthScheme, isDigestScheme, UNKNOWN_SCHEME, type AuthScheme } from "../auth/schemes.js";
import { findImpi, findImpu, marLookup, type ImpiRow } from "../store/cx-repo.js";
import { runPreparedOn } from "../store/prepared.js";
import { reserveSqns } from "../store/sqn.js";
import { experimental, result, SUCCESS, type CxResult } from "./outcome.js";

/** Multimedia-Auth-Request as the HSS reads it (TS 29.229 §6.1.7). */
export interface MarInput {
  readonly userName: string;
  readonly publicIdentity: string;
  readonly serverName: string;
  readonly numberAuthItems: number;
  /** SIP-Authentication-Scheme of the request's SIP-Auth-Data-Item ("Unknown" → the IMPI's default). */
  readonly scheme: string;
  /** SIP-Authorization of the request: RAND(16) ‖ AUTS(14) on an AKA resynchronisation. */
  readonly authorization?: Uint8Array;
}

export type AuthItem =
  | {
      readonly kind: "aka";
      readonly itemNumber: number;
      readonly scheme: AuthScheme;
      /** RAND ‖ AUTN (32 octets). */
      readonly authenticate: Uint8Array;
      /** XRES. */
      readonly authorization: Uint8Array;
      readonly ck: Uint8Array;
      readonly ik: Uint8Array;
    }
  | {
      readonly kind: "digest";
      readonly itemNumber: number;
      readonly scheme: AuthScheme;
      readonly realm: string;
      readonly algorithm: "MD5";
      readonly qop: "auth";
      readonly ha1: string;
    };

export interface MarOutput {
  readonly result: CxResult;
  readonly userName?: string;
  readonly publicIdentity?: string;
  readonly items: readonly AuthItem[];
}

/** At most this many vectors per MAR, whatever SIP-Number-Auth-Items asks. */
export const MAX_AUTH_ITEMS = 16;

const fail = (r: CxResult): MarOutput => ({ result: r, items: [] });

/** K: 32 hex digits when provisioned, else the secret's bytes zero-padded to 16 (as FHoSS and PJSUA do). */
export function keyOf(impi: ImpiRow): Uint8Array {
  return impi.k !== null ? Buffer.from(impi.k, "hex") : keyFromSecret(impi.secret ?? "");
}

/** K, OPc and AMF by the stored values they derive from (OPc costs two AES runs per MAR otherwise). */
const derivedKeys = new WeakMap<AkaProvider, Map<string, AkaKeys>>();
const MAX_DERIVED = 4096;

/**
 * The AKA keys of an IMPI. Cached under the exact stored k, secret, op, opc and amf values, so any
 * provisioning change of them is a different entry and nothing needs invalidating.
 */
function akaKeysOf(aka: AkaProvider, row: ImpiRow): AkaKeys {
  let cache = derivedKeys.get(aka);
  if (cache === undefined) derivedKeys.set(aka, (cache = new Map()));
  const id = `${row.k ?? "-"}\u0000${row.secret ?? "-"}\u0000${row.op ?? "-"}\u0000${row.opc ?? "-"}\u0000${row.amf}`;
  let keys = cache.get(id);
  if (keys === undefined) {
    const k = keyOf(row);
    const opc = row.opc !== null ? Buffer.from(row.opc, "hex") : aka.opc(k, Buffer.from(row.op ?? "0".repeat(32), "hex"));
    keys = { k, opc, amf: Buffer.from(row.amf, "hex") };
    if (cache.size >= MAX_DERIVED) cache.clear();
    cache.set(id, keys);
  }
  return keys;
}

/** Whether a comma-separated list (as auth_schemes is stored) holds `item`, without splitting it. */
export function inList(csv: string, item: string): boolean {
  for (let from = 0; ; ) {
    const at = csv.indexOf(item, from);
    if (at < 0) return false;
    const end = at + item.length;
    if ((at === 0 || csv.charCodeAt(at - 1) === 44) && (end === csv.length || csv.charCodeAt(end) === 44)) return true;
    from = at + 1;
  }
}

/** TS 29.228 §6.3.1: authentication procedure. */
export async function handleMar(ctx: CxContext, req: MarInput): Promise<MarOutput> {
  const db = ctx.hss.db;
  const row = await marLookup(db, req.userName, req.publicIdentity);
  if (row === undefined) {
    // 1./2. say which check failed
    const [impi, impu] = await Promise.all([findImpi(db, req.userName), findImpu(db, req.publicIdentity)]);
    return fail(experimental(impi === undefined || impu === undefined ? "DIAMETER_ERROR_USER_UNKNOWN" : "DIAMETER_ERROR_IDENTITIES_DONT_MATCH"));
  }
  // 3. the scheme: "Unknown" asks for the IMPI's default
  const asked = req.scheme === "" || req.scheme === UNKNOWN_SCHEME ? row.default_scheme : req.scheme;
  if (!isAuthScheme(asked) || !inList(row.auth_schemes, asked)) return fail(experimental("DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED"));
  // 4. the S-CSCF name is kept as pending until the SAR assigns it
  const storePending =
    row.scscf_name !== req.serverName && row.pending_scscf !== req.serverName
      ? async (trx: typeof db) => {
          await runPreparedOn(db, trx, "set-pending-scscf", [req.serverName, row.sub_id], (d, [name, id]) =>
            d.updateTable("subscription").set({ pending_scscf: name }).where("id", "=", id),
          );
        }
      : undefined;

  if (isDigestScheme(asked)) {
    if (row.secret === null) return fail(experimental("DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED"));
    if (storePending !== undefined) await storePending(db);
    const realm = realmOf(row.identity, ctx.homeRealm);
    const ha1 = digestHa1(row.identity, realm, row.secret);
    return { result: SUCCESS, userName: row.identity, publicIdentity: req.publicIdentity, items: [{ kind: "digest", itemNumber: 1, scheme: asked, realm, algorithm: "MD5", qop: "auth", ha1 }] };
  }

  // Digest-AKAv1-MD5
  const keys = akaKeysOf(ctx.aka, row);
  if (req.authorization !== undefined && req.authorization.length > 0 && req.authorization.length < 30) {
    return fail(result("DIAMETER_UNABLE_TO_COMPLY"));
  }
  let resyncFrom: string | undefined;
  if (req.authorization !== undefined && req.authorization.length >= 30) {
    const r = ctx.aka.resync(keys, req.authorization.subarray(0, 16), req.authorization.subarray(16, 30));
    if (r.ok) resyncFrom = r.value;
    else ctx.logger.warn({ impi: row.identity }, "MAR: AUTS did not verify; issuing fresh vectors without resynchronising");
  }
  const count = Math.min(Math.max(1, req.numberAuthItems), MAX_AUTH_ITEMS);
  const reservation = await reserveSqns(db, ctx.hss.dialect, row.id, {
    count,
    step: (s) => ctx.aka.nextSqn(s),
    expected: row.sqn,
    ...(resyncFrom === undefined ? {} : { resyncFrom }),
    ...(storePending === undefined ? {} : { alsoInTransaction: storePending }),
  });
  if (reservation === undefined) return fail(experimental("DIAMETER_ERROR_USER_UNKNOWN"));
  const items: AuthItem[] = reservation.sqns.map((sqn, i) => {
    const v = ctx.aka.vector(keys, sqn);
    return {
      kind: "aka",
      itemNumber: i + 1,
      scheme: asked,
      authenticate: Buffer.concat([v.rand, v.autn]),
      authorization: v.xres,
      ck: v.ck,
      ik: v.ik,
    };
  });
  return { result: SUCCESS, userName: row.identity, publicIdentity: req.publicIdentity, items };
}

export function marFromRequest(msg: DiameterMessage): MarInput | MissingAvp {
  const userName = requiredString(msg, "User-Name");
  if (isMissing(userName)) return userName;
  const publicIdentity = requiredString(msg, "Public-Identity");
  if (isMissing(publicIdentity)) return publicIdentity;
  const serverName = requiredString(msg, "Server-Name");
  if (isMissing(serverName)) return serverName;
  const item = getValue(msg, "SIP-Auth-Data-Item");
  if (item === undefined) return { missing: "SIP-Auth-Data-Item" };
  const scheme = getValue(item, "SIP-Authentication-Scheme") ?? UNKNOWN_SCHEME;
  const authorization = getValue(item, "SIP-Authorization");
  return {
    userName,
    publicIdentity,
    serverName,
    numberAuthItems: getValue(msg, "SIP-Number-Auth-Items") ?? 1,
    scheme,
    ...(authorization === undefined ? {} : { authorization }),
  };
}

/** MAA AVPs after Session-Id (TS 29.229 §6.1.8); SIP-Auth-Data-Item per TS 29.229 §6.3.13. */
export function maaAvps(id: HssIdentity, out: MarOutput): Avp[] {
  const items = out.items.map((i) =>
    i.kind === "aka"
      ? avp("SIP-Auth-Data-Item", [
          avp("SIP-Item-Number", i.itemNumber),
          avp("SIP-Authentication-Scheme", i.scheme),
          avp("SIP-Authenticate", i.authenticate),
          avp("SIP-Authorization", i.authorization),
          avp("Confidentiality-Key", i.ck),
          avp("Integrity-Key", i.ik),
        ])
      : avp("SIP-Auth-Data-Item", [
          avp("SIP-Item-Number", i.itemNumber),
          avp("SIP-Authentication-Scheme", i.scheme),
          avp("SIP-Digest-Authenticate", [
            avp("Digest-Realm", i.realm),
            avp("Digest-Algorithm", i.algorithm),
            avp("Digest-QoP", i.qop),
            avp("Digest-HA1", i.ha1),
          ]),
        ]),
  );
  return [
    ...answerHead(id, out.result),
    ...(out.userName === undefined ? [] : [avp("User-Name", out.userName)]),
    ...(out.publicIdentity === undefined ? [] : [avp("Public-Identity", out.publicIdentity)]),
    ...(out.result.kind === "result" && out.result.name === "DIAMETER_SUCCESS" ? [avp("SIP-Number-Auth-Items", items.length)] : []),
    ...items,
  ];
}

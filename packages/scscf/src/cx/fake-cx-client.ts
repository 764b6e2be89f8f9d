import {
  type CxAnswerRead,
  type CxResult,
  type MultimediaAuthAnswer,
  type ServerAssignmentAnswer,
  cxSuccess,
  experimentalResult,
} from "@ims/ims";
import { type Result, ok } from "@ims/runtime";
import type { CxClient, CxError, MarFields, SarFields } from "./cx-client.js";

const HSS = { sessionId: "scscf.test;1;1", originHost: "hss.test", originRealm: "test" } as const;

type Maa = MultimediaAuthAnswer & CxAnswerRead;
type Saa = ServerAssignmentAnswer & CxAnswerRead;

/**
 * A CxClient for unit tests: records every MAR/SAR and answers with what the test scripted
 * (by default: SIP Digest vectors with `ha1` and SAR success without User-Data).
 */
export class FakeCxClient implements CxClient {
  readonly mars: MarFields[] = [];
  readonly sars: SarFields[] = [];
  onMar: (r: MarFields) => Result<Maa, CxError> = () => ok(digestMaa("0".repeat(32), "test"));
  onSar: (r: SarFields) => Result<Saa, CxError> = () => ok(saa(cxSuccess));

  mar(r: MarFields): Promise<Result<Maa, CxError>> {
    this.mars.push(r);
    return Promise.resolve(this.onMar(r));
  }

  sar(r: SarFields): Promise<Result<Saa, CxError>> {
    this.sars.push(r);
    return Promise.resolve(this.onSar(r));
  }
}

/** A MAA carrying one SIP Digest item. */
export function digestMaa(ha1: string, realm: string): Maa {
  return {
    ...HSS,
    result: cxSuccess,
    items: [{ itemNumber: 1, scheme: "SIP Digest", digest: { realm, algorithm: "MD5", qop: "auth", ha1 } }],
  };
}

/** A MAA carrying one AKA vector. */
export function akaMaa(v: { rand: Uint8Array; autn: Uint8Array; xres: Uint8Array; ck: Uint8Array; ik: Uint8Array }): Maa {
  return {
    ...HSS,
    result: cxSuccess,
    items: [
      {
        itemNumber: 1,
        scheme: "Digest-AKAv1-MD5",
        authenticate: Buffer.concat([v.rand, v.autn]),
        authorization: v.xres,
        confidentialityKey: v.ck,
        integrityKey: v.ik,
      },
    ],
  };
}

/** A MAA failing with an Experimental-Result (5001 user unknown, 5006 scheme not supported...). */
export function failedMaa(code: number): Maa {
  return { ...HSS, result: experimentalResult(code), items: [] };
}

export function saa(result: CxResult, userData?: string): Saa {
  return { ...HSS, result, ...(userData === undefined ? {} : { userData }) };
}

#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/**
 * ims-hss: the HSS provisioning CLI, a thin client of the REST API.
 *   HSS_API=http://127.0.0.77:8080 HSS_TOKEN=… ims-hss add a@domain sip:a@domain apass --sqn 000000021090
 */
const USAGE = `usage: ims-hss [--api URL] [--token T] <command>
  add <impi> <impu>[,<impu>…] <secret> [--amf 8000] [--op HEX | --opc HEX] [--k HEX] [--sqn HEX]
      [--scheme "SIP Digest"|Digest-AKAv1-MD5] [--profile default]
  list                      public identities with their registration state
  show <impi|impu>          one identity (secrets are never shown)
  delete <impi>             the IMPI's whole subscription
  deregister <impu>         administrative de-registration (RTR to the S-CSCF)
env: HSS_API (default http://127.0.0.77:8080), HSS_TOKEN`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  fetch: typeof fetch;
  env: Readonly<Record<string, string | undefined>>;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        api: { type: "string" },
        token: { type: "string" },
        amf: { type: "string" },
        op: { type: "string" },
        opc: { type: "string" },
        k: { type: "string" },
        sqn: { type: "string" },
        scheme: { type: "string" },
        profile: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values: o, positionals: [cmd, ...args] } = parsed;
  if (o.help === true || cmd === undefined) {
    io.out(USAGE);
    return cmd === undefined && o.help !== true ? 2 : 0;
  }
  const api = (o.api ?? io.env["HSS_API"] ?? "http://127.0.0.77:8080").replace(/\/$/, "");
  const token = o.token ?? io.env["HSS_TOKEN"];
  if (token === undefined) {
    io.err("HSS_TOKEN (or --token) is required");
    return 2;
  }
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await io.fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text === "" ? null : JSON.parse(text) };
  };
  const fail = (r: { status: number; json: unknown }): number => {
    const j = r.json as { reason?: string } | null;
    io.err(`error ${r.status}: ${j?.reason ?? ""}`);
    return 1;
  };
  const enc = encodeURIComponent;

  switch (cmd) {
    case "add": {
      const [impi, impus, secret] = args;
      if (impi === undefined || impus === undefined || secret === undefined) {
        io.err(USAGE);
        return 2;
      }
      const scheme = o.scheme ?? "SIP Digest";
      const body = {
        impi,
        impus: impus.split(","),
        secret,
        ...(o.amf === undefined ? {} : { amf: o.amf }),
        ...(o.op === undefined ? {} : { op: o.op }),
        ...(o.opc === undefined ? {} : { opc: o.opc }),
        ...(o.k === undefined ? {} : { k: o.k }),
        ...(o.sqn === undefined ? {} : { sqn: o.sqn }),
        ...(o.profile === undefined ? {} : { serviceProfile: o.profile }),
        defaultScheme: scheme,
        authSchemes: [scheme, ...["SIP Digest", "Digest-AKAv1-MD5"].filter((s) => s !== scheme)],
      };
      const r = await call("POST", "/subscribers", body);
      if (r.status !== 201) return fail(r);
      io.out(`added ${impi}`);
      return 0;
    }
    case "list": {
      const r = await call("GET", "/impus");
      if (r.status !== 200) return fail(r);
      for (const u of r.json as { identity: string; registrationState: string; impis: string[]; barring: boolean }[]) {
        io.out(`${u.identity}\t${u.registrationState}\t${u.impis.join(",")}${u.barring ? "\tBARRED" : ""}`);
      }
      return 0;
    }
    case "show": {
      const id = args[0] ?? "";
      const r = await call("GET", /^(sips?|tel):/i.test(id) ? `/impus/${enc(id)}` : `/impis/${enc(id)}`);
      if (r.status !== 200) return fail(r);
      io.out(JSON.stringify(r.json, null, 2));
      return 0;
    }
    case "delete": {
      const r = await call("GET", `/impis/${enc(args[0] ?? "")}`);
      if (r.status !== 200) return fail(r);
      const sub = (r.json as { subscription: string }).subscription;
      const d = await call("DELETE", `/subscriptions/${enc(sub)}`);
      if (d.status !== 204) return fail(d);
      io.out(`deleted ${args[0] ?? ""} (subscription ${sub})`);
      return 0;
    }
    case "deregister": {
      const r = await call("POST", `/impus/${enc(args[0] ?? "")}/deregister`);
      if (r.status !== 200) return fail(r);
      io.out(JSON.stringify(r.json));
      return 0;
    }
    default:
      io.err(`unknown command ${cmd}\n${USAGE}`);
      return 2;
  }
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}
const isMain = invokedDirectly();
if (isMain) {
  runCli(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    fetch,
    env: process.env,
  }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`ims-hss: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}

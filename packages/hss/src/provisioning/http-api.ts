import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ZodError } from "zod";
import { ImsError, timingSafeEqualString, type Logger } from "@ims/runtime";
import type { HssDb } from "../store/open-db.js";
import { CONSOLE_HTML } from "./console-page.js";
import { openApiDocument } from "./openapi.js";
import { ROUTES, type ProvisioningEvents, type Route } from "./routes.js";

export interface ProvisioningApiConfig {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  readonly hss: HssDb;
  readonly events: ProvisioningEvents;
  readonly logger: Logger;
}

export interface ProvisioningApi {
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;

interface CompiledRoute {
  readonly route: Route;
  readonly re: RegExp;
}

function compile(routes: readonly Route[]): CompiledRoute[] {
  return routes.map((route) => ({
    route,
    re: new RegExp(`^${route.path.replace(/\{\w+\}/g, "([^/]+)")}$`),
  }));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204 || body === null) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** application/json, with parameters (charset) or as a +json suffix type (RFC 6839). */
function isJson(contentType: string | undefined): boolean {
  const media = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return media === "application/json" || (media.startsWith("application/") && media.endsWith("+json"));
}

/**
 * The provisioning REST API (node:http) and its web console at /. Every route but / and /openapi.json needs
 * `Authorization: Bearer <token>`; bodies are validated with zod; secrets are write-only.
 */
export async function startProvisioningApi(config: ProvisioningApiConfig): Promise<ProvisioningApi> {
  if (config.token.length < 8) throw new ImsError("config-invalid", "hss token: must be at least 8 characters");
  const routes = compile(ROUTES);
  const doc = openApiDocument(ROUTES, `http://${config.host}:${config.port}`);
  const expected = `Bearer ${config.token}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://hss");
    const method = req.method ?? "GET";
    if (method === "GET" && url.pathname === "/openapi.json") return send(res, 200, doc);
    if (method === "GET" && url.pathname === "/") {
      // The console page holds no data; everything it shows comes through the token-protected API.
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        "x-frame-options": "DENY",
      });
      res.end(CONSOLE_HTML);
      return;
    }
    const auth = req.headers.authorization ?? "";
    if (!timingSafeEqualString(auth, expected)) {
      res.setHeader("www-authenticate", 'Bearer realm="hss"');
      return send(res, 401, { error: "unauthorized", reason: "missing or wrong bearer token" });
    }
    const candidates = routes.map((r) => ({ r, m: r.re.exec(url.pathname) })).filter((x) => x.m !== null);
    if (candidates.length === 0) return send(res, 404, { error: "not-found", reason: `no route ${url.pathname}` });
    const hit = candidates.find((x) => x.r.route.method === method);
    if (hit === undefined || hit.m === null) return send(res, 405, { error: "method-not-allowed", reason: method });
    let params: string[];
    try {
      params = hit.m.slice(1).map((s) => decodeURIComponent(s));
    } catch {
      return send(res, 400, { error: "bad-request", reason: "bad URL encoding" });
    }
    let body: unknown = undefined;
    if (hit.r.route.request !== undefined) {
      if (!isJson(req.headers["content-type"])) {
        // Read nothing of a body we will not parse; the connection cannot be reused past it.
        res.setHeader("connection", "close");
        return send(res, 415, { error: "unsupported-media-type", reason: "content-type must be application/json" });
      }
      const text = await readBody(req);
      if (text === undefined) {
        // The rest of the body stays unread: close the connection after answering, or the next
        // request on it would be read from the middle of this body (the client got ECONNRESET).
        res.setHeader("connection", "close");
        return send(res, 413, { error: "too-large", reason: `body over ${MAX_BODY} bytes` });
      }
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { error: "bad-request", reason: "body is not JSON" });
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        return send(res, 422, { error: "invalid", reason: "(root): expected a JSON object" });
      }
    }
    try {
      const out = await hit.r.route.handle({ hss: config.hss, events: config.events, params, body });
      config.logger.debug({ method, path: hit.r.route.path, status: out.status }, "provisioning");
      send(res, out.status, out.body);
    } catch (e) {
      if (e instanceof ZodError) {
        const reason = e.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
        return send(res, 422, { error: "invalid", reason });
      }
      config.logger.error({ method, path: hit.r.route.path, err: (e as Error).message }, "provisioning failed");
      send(res, 500, { error: "internal", reason: "internal error" });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: "internal", reason: "internal error" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr !== null ? addr.port : config.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

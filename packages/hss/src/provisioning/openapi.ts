import { z } from "zod";
import type { Route } from "./routes.js";

const STATUS_TEXT: Readonly<Record<string, string>> = {
  "200": "OK",
  "201": "Created",
  "204": "Deleted",
  "400": "Body is not JSON",
  "401": "Missing or wrong bearer token",
  "404": "Not found",
  "409": "Already exists or still referenced",
  "422": "Invalid body (the error names the key)",
};

/** The OpenAPI 3.1 document served at /openapi.json, generated from the route table and zod schemas. */
export function openApiDocument(routes: readonly Route[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const responses: Record<string, { description: string }> = {};
    const okCode = r.method === "POST" && !r.path.endsWith("deregister") ? "201" : r.method === "DELETE" ? "204" : "200";
    for (const code of [okCode, "401", ...(params.length > 0 ? ["404"] : []), ...(r.request ? ["400", "409", "422"] : [])]) {
      responses[code] = { description: STATUS_TEXT[code] ?? code };
    }
    const op: Record<string, unknown> = { summary: r.summary, parameters: params, responses };
    if (r.request !== undefined) {
      const schema = z.toJSONSchema(r.request, { io: "input", unrepresentable: "any" });
      delete (schema as { $schema?: unknown }).$schema;
      op["requestBody"] = { required: true, content: { "application/json": { schema } } };
    }
    paths[r.path] = { ...paths[r.path], [r.method.toLowerCase()]: op };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "IMS HSS provisioning API",
      version: "1.0.0",
      description: "Subscriptions, private/public identities, service profiles with iFCs, application servers. Secrets (password, K, OP/OPc) are write-only.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}

export * from "./message/index.js";
export * from "./uri/index.js";
export * from "./headers/index.js";
export * from "./transaction/index.js";
export * from "./transport/index.js";
export * from "./proxy/index.js";
export * from "./auth/index.js";

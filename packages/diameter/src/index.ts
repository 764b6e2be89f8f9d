export * from "./codec/index.js";
export * from "./dictionary/index.js";
export * from "./peer/index.js";
export * from "./transport/index.js";
export * from "./node/index.js";

export * from "./cx/index.js";
export * from "./user-data/index.js";
export * from "./reginfo/index.js";
export * from "./p-headers/index.js";
export * from "./registration/index.js";
export * from "./cx-client/index.js";
export * from "./ifc/index.js";

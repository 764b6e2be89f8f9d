export { type LabConfig, labConfigSchema, loadLabConfig, parseLabConfig, fqdn } from "./config.js";
export { type NodeSpec, type Role, labNodes } from "./nodes.js";
export { LabSupervisor, type LabOptions, type NodeStatus } from "./supervisor.js";
export { statusTable, clientSettings } from "./client-settings.js";

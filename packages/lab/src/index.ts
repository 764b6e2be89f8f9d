export { type LabConfig, labConfigSchema, loadLabConfig, parseLabConfig, fqdn, configPath } from "./config.js";
export { type NodeSpec, type Role, labNodes } from "./nodes.js";
export { LabSupervisor, type LabOptions, type NodeStatus } from "./supervisor.js";
export { statusTable, clientSettings } from "./client-settings.js";
export { type RunningNode, type StartContext, type Starter, starters } from "./starters.js";
export { dnsResolver } from "./sip-resolver.js";
export { labZoneConfig } from "./zone.js";

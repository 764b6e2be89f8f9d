export { type IfcRequest, matchSpt, matchTriggerPoint, matchingIfcs } from "./evaluate.js";

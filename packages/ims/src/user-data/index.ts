export * from "./types.js";
export { serializeUserData, parseUserData, type UserDataError } from "./user-data-xml.js";
export { parseXml, escapeXml, type XmlElement, type XmlError } from "./xml-tree.js";

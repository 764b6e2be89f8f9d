export { COMPACT_FORMS, SINGLE_VALUE_HEADERS, headerKey, headerSpelling } from "./names.js";

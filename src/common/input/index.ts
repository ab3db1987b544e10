export { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth';
export { findUnsafeText, isUnsafeText } from './unsafe-text';

export { IsFreeText, trimString } from './free-text';

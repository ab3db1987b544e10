export { ActorDto, ApiJson, ApiPage } from './api-responses';

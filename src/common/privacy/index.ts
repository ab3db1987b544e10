export { PersonalDataRegistry } from './personal-data.registry';
export type { DataSubject, PersonalDataHolder, PersonalDataChannelType } from './personal-data.registry';
export { ERASED, likePatterns, mentions, needlesOf, scrubMentions } from './personal-values';

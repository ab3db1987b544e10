export * from './domain-error';
export * from './error-codes';
export { toProblem } from './problem';
export type { ProblemBody } from './problem';
export { ProblemFilter, sendProblem, PROBLEM_CONTENT_TYPE } from './problem.filter';
export { flattenValidationErrors, validationExceptionFactory } from './validation';
export { ApiProblem, problemCodes, problemContent, PROBLEM_SCHEMA_REF, SEND_REFUSALS } from './api-problem';

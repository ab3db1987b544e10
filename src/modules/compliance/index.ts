export { ComplianceModule } from './compliance.module';
export { ComplianceService } from './compliance.service';
export type { SendCheck, ComplianceDecision } from './compliance.service';
export { evaluateSendPolicy, retryPath, whatsappWindow, WHATSAPP_WINDOW_MS } from './send-policy';
export type { SendDecision, SendPath, RefusalCode } from './send-policy';
export { templateShape, templateParamsProblem } from './template-placeholders';
export type { TemplateShape, TemplateParameters } from './template-placeholders';
export { consentKeyword, DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from './consent-keywords';
export { COMPLIANCE_SERVICE } from './compliance.tokens';

import type { PromptMessage } from '../prompt/prompt-builder';
import type { Language } from '../prompt/language';
import { splitSentences } from './local-summary';

interface ReplyTemplate {
  greeting: string;
  question: (topic: string) => string;
  statement: (topic: string) => string;
  closing: string;
}

/** Reply templates per language; a language without one gets English. */
const TEMPLATES: Record<string, ReplyTemplate> = {
  en: {
    greeting: 'Hello,',
    question: (t) => `Thank you for your question (“${t}”). We are checking this for you and will get back to you shortly.`,
    statement: (t) => `Thank you for your message (“${t}”). We are looking into it and will get back to you shortly.`,
    closing: 'Kind regards',
  },
  es: {
    greeting: 'Hola:',
    question: (t) => `Gracias por su pregunta («${t}»). Lo estamos revisando y le responderemos en breve.`,
    statement: (t) => `Gracias por su mensaje («${t}»). Lo estamos revisando y le responderemos en breve.`,
    closing: 'Saludos cordiales',
  },
  fr: {
    greeting: 'Bonjour,',
    question: (t) => `Merci pour votre question (« ${t} »). Nous vérifions cela et revenons vers vous très vite.`,
    statement: (t) => `Merci pour votre message (« ${t} »). Nous nous en occupons et revenons vers vous très vite.`,
    closing: 'Cordialement',
  },
  de: {
    greeting: 'Hallo,',
    question: (t) => `Vielen Dank für Ihre Frage („${t}“). Wir prüfen das und melden uns in Kürze.`,
    statement: (t) => `Vielen Dank für Ihre Nachricht („${t}“). Wir kümmern uns darum und melden uns in Kürze.`,
    closing: 'Freundliche Grüße',
  },
  pt: {
    greeting: 'Olá,',
    question: (t) => `Obrigado pela sua pergunta (“${t}”). Estamos a verificar e respondemos em breve.`,
    statement: (t) => `Obrigado pela sua mensagem (“${t}”). Estamos a tratar do assunto e respondemos em breve.`,
    closing: 'Com os melhores cumprimentos',
  },
  it: {
    greeting: 'Buongiorno,',
    question: (t) => `Grazie per la sua domanda («${t}»). Stiamo verificando e le risponderemo a breve.`,
    statement: (t) => `Grazie per il suo messaggio («${t}»). Ce ne stiamo occupando e le risponderemo a breve.`,
    closing: 'Cordiali saluti',
  },
  nl: {
    greeting: 'Hallo,',
    question: (t) => `Bedankt voor uw vraag („${t}”). We zoeken het voor u uit en laten snel iets weten.`,
    statement: (t) => `Bedankt voor uw bericht („${t}”). We zoeken het voor u uit en laten snel iets weten.`,
    closing: 'Met vriendelijke groet',
  },
};

const MAX_TOPIC_CHARS = 80;

const topicOf = (text: string) => {
  const first = splitSentences(text)[0] ?? text.trim();
  return first.length > MAX_TOPIC_CHARS ? `${first.slice(0, MAX_TOPIC_CHARS - 1).trimEnd()}…` : first;
};

/**
 * A reply to the customer's last message in their language, from templates: it acknowledges what
 * they wrote and says the team is on it. An agent edits it before approving; nothing here invents facts.
 */
export function templateDraft(messages: PromptMessage[], language: Language): { content: string; sources: string[] } | null {
  const last = [...messages].reverse().find((m) => m.direction === 'inbound' && m.text.trim());
  if (!last) return null;
  const t = TEMPLATES[language.code] ?? TEMPLATES.en;
  const topic = topicOf(last.text);
  const body = last.text.includes('?') ? t.question(topic) : t.statement(topic);
  return { content: `${t.greeting}\n\n${body}\n\n${t.closing}`, sources: [last.id] };
}

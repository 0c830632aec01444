/** Italian. A plain module that imports nothing at run time (the classic script loads it too). */
import type { KnownErrorCode, Messages } from './en.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, (count: number) => string>> & { other: (count: number) => string };
const rules = new Intl.PluralRules('it');
const plural = (count: number, forms: Forms) => (forms[rules.select(count)] ?? forms.other)(count).replace(/(\d) /g, '$1\u00a0');

const errors = {
  bad_json: "Si è verificato un problema durante l'invio della risposta. Riprova.",
  invalid_body: 'Non siamo riusciti a leggere la tua risposta. Controllala e riprova.',
  csrf_rejected: 'Non è stato possibile verificare questa pagina. Ricarica la pagina e riprova.',
  origin_rejected: 'Questa pagina non è autorizzata a verificarti. Ricarica la pagina e riprova.',
  not_found: 'Non riusciamo a raggiungere il servizio di verifica. Riprova più tardi.',
  method_not_allowed: 'Non riusciamo a raggiungere il servizio di verifica. Riprova più tardi.',
  action_mismatch: 'Questo passaggio è cambiato. Ricarica la pagina per continuare.',
  session_finished: 'Questa verifica è già terminata.',
  payload_too_large: 'La tua risposta è troppo lunga. Controllala e riprova.',
  unsupported_media_type: "Si è verificato un problema durante l'invio della risposta. Riprova.",
  session_unknown: 'Non troviamo la tua verifica. Ricomincia.',
  wrong_code: 'Questo codice non è corretto.',
  code_expired: 'Questo codice è scaduto. Richiedi un nuovo codice.',
  session_missing: 'La tua sessione di verifica non è stata trovata. Ricomincia.',
  session_invalid: 'La tua sessione di verifica non è valida. Ricomincia.',
  session_expired: 'La tua sessione di verifica è scaduta. Ricomincia.',
  too_many_attempts: 'Troppi codici errati.',
  resend_too_soon: 'Attendi un momento prima di richiedere un altro codice.',
  resend_limit_reached: 'Non puoi richiedere altri codici.',
  send_limited: 'Sono stati inviati troppi messaggi a questi recapiti. Riprova più tardi.',
  send_limited_network: 'Sono state avviate troppe verifiche da questa rete. Riprova più tardi.',
  internal_error: 'Si è verificato un problema da parte nostra. Riprova.',
  body_consumed: 'Si è verificato un problema da parte nostra. Riprova.',
  upstream_auth_failed: 'Il servizio di verifica non è disponibile al momento. Riprova più tardi.',
  upstream_error: 'Il servizio di verifica ha avuto un problema. Riprova.',
  upstream_invalid_response: 'Il servizio di verifica ha avuto un problema. Riprova.',
  upstream_unavailable: 'Il servizio di verifica è occupato. Riprova tra un momento.',
  store_unavailable: 'Il servizio di verifica è occupato. Riprova tra un momento.',
  upstream_timeout: 'Il servizio di verifica ha impiegato troppo tempo a rispondere. Riprova.',
  network_error: 'Non riusciamo a raggiungere il servizio di verifica. Riprova tra un momento.',
  offline: 'Sei offline. Controlla la connessione a Internet e riprova.',
  timeout: 'Ci sta volendo troppo tempo. Controlla la connessione e riprova.',
  invalid_response: 'Abbiamo ricevuto una risposta inattesa. Riprova.',
  aborted: 'La richiesta è stata annullata.',
  wrong_answers: 'Alcune risposte non sono corrette.',
  quiz_expired: 'Il tempo per queste domande è scaduto.',
  retry_not_allowed: 'Non puoi ripetere questo passaggio.',
  channel_unavailable: 'Non possiamo inviarlo in questo modo. Scegline un altro.',
} satisfies Record<KnownErrorCode, string>;

function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  const seconds = (count: number) => plural(count, { one: (n) => `${n} secondo`, other: (n) => `${n} secondi` });
  if (total < 60) return seconds(total);
  const minutes = plural(Math.floor(total / 60), { one: (n) => `${n} minuto`, other: (n) => `${n} minuti` });
  return total % 60 === 0 ? minutes : `${minutes} e ${seconds(total % 60)}`;
}

export const it: Messages = {
  flowLoading: 'Caricamento della verifica…',
  flowStartAgain: 'Ricomincia',
  flowStep: (index, total) => `Passaggio ${index} di ${total}`,
  flowDecisionTitle: {
    ALLOW: 'Verifica completata',
    BLOCK: 'Non siamo riusciti a verificarti',
    REVIEW: 'Grazie, stiamo controllando',
  },
  flowDecisionBody: {
    ALLOW: 'Grazie per aver confermato la tua identità. Puoi continuare.',
    BLOCK: 'Non siamo riusciti a confermare la tua identità, quindi questa volta non possiamo continuare.',
    REVIEW: 'Abbiamo bisogno di un po’ più di tempo per controllare i tuoi dati. Ti contatteremo.',
  },
  flowUnsupported: (name) => `Questo passaggio di verifica (${name}) non è disponibile qui. Contatta l'assistenza.`,
  flowUnavailable: 'Non siamo riusciti a completare questo controllo qui. Riprova tra qualche minuto.',
  retry: 'Riprova',

  errorMessage: (code) => (Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : 'Si è verificato un problema. Riprova.'),

  duration,

  attemptsLeft: (count) => plural(count, { one: (n) => `Resta ${n} tentativo.`, other: (n) => `Restano ${n} tentativi.` }),

  otpLabel: 'Codice di verifica',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Abbiamo inviato un codice di ${codeLength} cifre via email a ${destination}.`
      : `Abbiamo inviato un codice di ${codeLength} cifre al ${destination}.`,
  otpHint: (codeLength) => `Inserisci il codice di ${codeLength} cifre.`,
  otpVerify: 'Verifica',
  otpVerifying: 'Verifica in corso…',
  otpExpiresIn: (seconds) => `Il codice scade tra ${duration(seconds)}.`,
  otpResend: 'Invia un nuovo codice',
  otpResendIn: (seconds) => `Potrai richiedere un nuovo codice tra ${duration(seconds)}.`,
  resendsLeft: (count) => plural(count, { one: (n) => `Resta ${n} nuovo codice.`, other: (n) => `Restano ${n} nuovi codici.` }),
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Abbiamo inviato un nuovo codice di ${codeLength} cifre via email a ${destination}.`
      : `Abbiamo inviato un nuovo codice di ${codeLength} cifre al ${destination}.`,
  otpOnlyNewest: 'Funziona solo il codice più recente.',
  otpResendSending: 'Invio di un nuovo codice…',
  otpNoResendsLeft: "Non puoi richiedere altri codici. Usa l'ultimo codice che ti abbiamo inviato.",
  otpLockedWait: (seconds) => `Potrai riprovare tra ${duration(seconds)}.`,
  otpUnlocked: 'Puoi di nuovo inserire un codice.',
  otpOneMoreLocks: 'Un altro codice errato e dovrai aspettare di nuovo.',
  otpResendReady: 'Ora puoi richiedere un nuovo codice.',
  otpValueMissing: (codeLength) => `Inserisci il codice di ${codeLength} cifre.`,
  otpTooShort: (codeLength) => `Inserisci tutte le ${codeLength} cifre.`,
  otpPatternMismatch: 'Usa solo cifre.',

  kbaQuestionOf: (index, total) => `Domanda ${index} di ${total}`,
  kbaChooseAllThatApply: 'Scegli tutte le risposte pertinenti.',
  kbaBack: 'Indietro',
  kbaNext: 'Avanti',
  kbaReviewAnswers: 'Rivedi le risposte',
  kbaReviewTitle: 'Controlla le tue risposte',
  kbaReviewHint: "Puoi modificare qualsiasi risposta prima dell'invio.",
  kbaChange: 'Modifica',
  kbaNotAnswered: 'Senza risposta',
  kbaSubmit: 'Invia le risposte',
  kbaSubmitting: 'Invio in corso…',
  kbaChooseOne: 'Scegli una risposta per continuare.',
  kbaChooseAtLeastOne: 'Scegli almeno una risposta per continuare.',
  kbaTimeLeft: (seconds) => `Tempo rimasto: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  kbaTimeLeftAnnouncement: (seconds) => `Hai ancora ${duration(seconds)} per rispondere.`,
  kbaTimeUp: 'Il tempo per queste domande è scaduto.',
  kbaNewQuestions: 'Ecco delle nuove domande.',
  kbaTooManyAttempts: 'Troppi tentativi.',
  kbaLockedWait: (seconds) => `Troppi tentativi. Potrai riprovare tra ${duration(seconds)}.`,
  kbaUnlocked: 'Puoi di nuovo inviare le risposte.',
  kbaAnswersKept: 'Le tue risposte sono state conservate.',

  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `Abbiamo inviato un link via email a ${destination}.` : `Abbiamo inviato un link via SMS al ${destination}.`,
  othInstructions: 'Apri il link su qualsiasi dispositivo per continuare.',
  othStatus: {
    MESSAGE_SENT: "In attesa che tu apra il link…",
    VERIFIED: 'Link confermato. Completamento…',
    TERMINATED: 'Questo link è stato annullato.',
    FAILED_AUTHORIZATION: 'Non siamo riusciti a confermare la tua identità con questo link.',
    VERIFICATION_ATTEMPT_FAILED: 'Questo link non ha funzionato.',
    INVALID: 'Questo link non è più valido.',
    UNKNOWN: 'Controllo del link…',
  },
  othFailureHelp: (canResend) =>
    canResend ? 'Invia un nuovo link per riprovare.' : 'Non possiamo inviare altri link. Ricomincia.',
  othResend: 'Invia un nuovo link',
  othResendSending: 'Invio di un nuovo link…',
  othResendIn: (seconds) => `Potrai richiedere un nuovo link tra ${duration(seconds)}.`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `Abbiamo inviato un nuovo link via email a ${destination}. Funziona solo il link più recente.`
      : `Abbiamo inviato un nuovo link via SMS al ${destination}. Funziona solo il link più recente.`,
  othResendReady: 'Ora puoi richiedere un nuovo link.',
  othNoResendsLeft: 'Non puoi richiedere altri link.',
  othLinksLeft: (count) => plural(count, { one: (n) => `Resta ${n} nuovo link.`, other: (n) => `Restano ${n} nuovi link.` }),
  othSendBy: (channel) => (channel === 'EMAIL' ? 'Invialo invece via email' : 'Invialo invece via SMS'),
  othExpiresIn: (seconds) => `Il link scade tra ${duration(seconds)}.`,
  othExpired: 'Questo link è scaduto.',
  othOffline: 'Sei offline. Controlleremo di nuovo quando tornerai online.',
  othBackOnline: 'Sei di nuovo online.',

  docvSmsSent: (destination) =>
    destination
      ? `Abbiamo inviato un link via SMS al ${destination}. Aprilo sul telefono per fotografare il tuo documento d'identità.`
      : "Abbiamo inviato un link via SMS al tuo telefono. Aprilo per fotografare il tuo documento d'identità.",
  docvScanQr: "Inquadra questo codice con la fotocamera del telefono, poi segui i passaggi per fotografare il tuo documento d'identità.",
  docvQrLabel: "Codice QR che apre la verifica del documento sul tuo telefono",
  docvContinueHere: 'Continua su questo dispositivo',
  docvOpensInNewTab: '(si apre in una nuova scheda)',
  docvLinkUnavailable: 'Il link non è disponibile. Riprova più tardi.',
  docvStepsLabel: 'Avanzamento',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'Link inviato' : 'Link pronto'),
  docvStepBegun: 'Avviato sul tuo telefono',
  docvStepCaptured: 'Documento fotografato',
  docvStepProcessing: 'Controllo del documento',
  docvStepDone: 'completato',
  docvStatus: {
    SENT: 'In attesa che tu apra il link sul telefono.',
    BEGUN: 'Hai aperto il link. Segui i passaggi sul telefono.',
    CAPTURED: 'Abbiamo le foto del tuo documento.',
    PROCESSING: 'Stiamo controllando il tuo documento. Può richiedere un minuto.',
    VERIFIED: 'Abbiamo controllato il tuo documento.',
    FAILED: 'Non siamo riusciti a verificare il tuo documento.',
    NEEDS_RETRY: 'Non siamo riusciti a leggere il tuo documento. Riprova con una foto nitida e ben illuminata.',
  },
  docvRetrying: 'Nuovo tentativo…',
  docvRetriesLeft: (count) => plural(count, { one: (n) => `Resta ${n} tentativo.`, other: (n) => `Restano ${n} tentativi.` }),
  docvOffline: 'Sei offline. Questa pagina si aggiornerà quando tornerai online.',
  docvRetryIn: (seconds) => `Potrai riprovare tra ${duration(seconds)}.`,
  docvRetryReady: 'Ora puoi riprovare.',
  docvStepFailed: 'non superato',
  docvResend: 'Inviami un nuovo link',
  docvResending: 'Invio in corso…',
  docvResendIn: (seconds) => `Potrai richiedere un nuovo link tra ${duration(seconds)}.`,
  docvResendReady: 'Ora puoi richiedere un nuovo link.',
  docvResent: (destination) =>
    destination
      ? `Abbiamo inviato un nuovo link via SMS al ${destination}. Funziona solo il link più recente.`
      : 'Ti abbiamo inviato un nuovo link. Funziona solo il link più recente.',
};

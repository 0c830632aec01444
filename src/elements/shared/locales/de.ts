/** German. A plain module that imports nothing at run time (the classic script loads it too). */
import type { KnownErrorCode, Messages } from './en.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, (count: number) => string>> & { other: (count: number) => string };
const rules = new Intl.PluralRules('de');
const plural = (count: number, forms: Forms) => (forms[rules.select(count)] ?? forms.other)(count).replace(/(\d) /g, '$1\u00a0');

const errors = {
  bad_json: 'Beim Senden Ihrer Antwort ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut.',
  invalid_body: 'Wir konnten Ihre Antwort nicht lesen. Prüfen Sie sie und versuchen Sie es erneut.',
  csrf_rejected: 'Diese Seite konnte nicht überprüft werden. Laden Sie die Seite neu und versuchen Sie es erneut.',
  origin_rejected: 'Diese Seite darf Sie nicht verifizieren. Laden Sie die Seite neu und versuchen Sie es erneut.',
  not_found: 'Wir erreichen den Verifizierungsdienst nicht. Bitte versuchen Sie es später erneut.',
  method_not_allowed: 'Wir erreichen den Verifizierungsdienst nicht. Bitte versuchen Sie es später erneut.',
  action_mismatch: 'Dieser Schritt hat sich geändert. Laden Sie die Seite neu, um fortzufahren.',
  session_finished: 'Diese Verifizierung ist bereits abgeschlossen.',
  payload_too_large: 'Ihre Antwort ist zu lang. Prüfen Sie sie und versuchen Sie es erneut.',
  unsupported_media_type: 'Beim Senden Ihrer Antwort ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut.',
  session_unknown: 'Wir finden Ihre Verifizierung nicht. Bitte beginnen Sie von vorn.',
  wrong_code: 'Dieser Code ist nicht richtig.',
  code_expired: 'Dieser Code ist abgelaufen. Fordern Sie einen neuen Code an.',
  session_missing: 'Ihre Verifizierungssitzung wurde nicht gefunden. Bitte beginnen Sie von vorn.',
  session_invalid: 'Ihre Verifizierungssitzung ist ungültig. Bitte beginnen Sie von vorn.',
  session_expired: 'Ihre Verifizierungssitzung ist abgelaufen. Bitte beginnen Sie von vorn.',
  too_many_attempts: 'Zu viele falsche Codes.',
  resend_too_soon: 'Bitte warten Sie einen Moment, bevor Sie einen weiteren Code anfordern.',
  resend_limit_reached: 'Sie können keine weiteren Codes anfordern.',
  send_limited: 'An diese Kontaktdaten wurden zu viele Nachrichten gesendet. Versuchen Sie es später erneut.',
  send_limited_network: 'Von diesem Netzwerk aus wurden zu viele Verifizierungen gestartet. Versuchen Sie es später erneut.',
  internal_error: 'Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut.',
  body_consumed: 'Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut.',
  upstream_auth_failed: 'Der Verifizierungsdienst ist gerade nicht verfügbar. Bitte versuchen Sie es später erneut.',
  upstream_error: 'Beim Verifizierungsdienst ist ein Problem aufgetreten. Bitte versuchen Sie es erneut.',
  upstream_invalid_response: 'Beim Verifizierungsdienst ist ein Problem aufgetreten. Bitte versuchen Sie es erneut.',
  upstream_unavailable: 'Der Verifizierungsdienst ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.',
  store_unavailable: 'Der Verifizierungsdienst ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.',
  upstream_timeout: 'Der Verifizierungsdienst hat zu lange gebraucht. Bitte versuchen Sie es erneut.',
  network_error: 'Wir erreichen den Verifizierungsdienst nicht. Bitte versuchen Sie es gleich noch einmal.',
  offline: 'Sie sind offline. Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
  timeout: 'Das dauert zu lange. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  invalid_response: 'Wir haben eine unerwartete Antwort erhalten. Bitte versuchen Sie es erneut.',
  aborted: 'Die Anfrage wurde abgebrochen.',
  wrong_answers: 'Einige Ihrer Antworten sind nicht richtig.',
  quiz_expired: 'Die Zeit für diese Fragen ist abgelaufen.',
  retry_not_allowed: 'Sie können diesen Schritt nicht wiederholen.',
  channel_unavailable: 'Auf diesem Weg können wir es nicht senden. Wählen Sie einen anderen.',
} satisfies Record<KnownErrorCode, string>;

function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  const seconds = (count: number) => plural(count, { one: (n) => `${n} Sekunde`, other: (n) => `${n} Sekunden` });
  if (total < 60) return seconds(total);
  const minutes = plural(Math.floor(total / 60), { one: (n) => `${n} Minute`, other: (n) => `${n} Minuten` });
  return total % 60 === 0 ? minutes : `${minutes} und ${seconds(total % 60)}`;
}

/** German puts "in" with the dative: "in 2 Minuten", "in 1 Minute", "in 30 Sekunden". */
const within = (seconds: number) => `in ${duration(seconds)}`;

export const de: Messages = {
  flowLoading: 'Ihre Verifizierung wird geladen…',
  flowStartAgain: 'Neu beginnen',
  flowStep: (index, total) => `Schritt ${index} von ${total}`,
  flowDecisionTitle: {
    ALLOW: 'Sie sind verifiziert',
    BLOCK: 'Wir konnten Sie nicht verifizieren',
    REVIEW: 'Danke, wir prüfen das',
  },
  flowDecisionBody: {
    ALLOW: 'Danke für Ihre Bestätigung. Sie können fortfahren.',
    BLOCK: 'Wir konnten Ihre Identität nicht bestätigen und können deshalb diesmal nicht fortfahren.',
    REVIEW: 'Wir brauchen etwas mehr Zeit, um Ihre Angaben zu prüfen. Wir melden uns bei Ihnen.',
  },
  flowUnsupported: (name) => `Dieser Verifizierungsschritt (${name}) ist hier nicht verfügbar. Bitte wenden Sie sich an den Support.`,
  flowUnavailable: 'Wir konnten diese Prüfung hier nicht abschließen. Versuchen Sie es in ein paar Minuten erneut.',
  retry: 'Erneut versuchen',

  errorMessage: (code) =>
    Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : 'Ein Fehler ist aufgetreten. Bitte versuchen Sie es erneut.',

  duration,

  attemptsLeft: (count) => plural(count, { one: (n) => `Noch ${n} Versuch.`, other: (n) => `Noch ${n} Versuche.` }),

  otpLabel: 'Bestätigungscode',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Wir haben einen ${codeLength}-stelligen Code per E-Mail an ${destination} gesendet.`
      : `Wir haben einen ${codeLength}-stelligen Code an ${destination} gesendet.`,
  otpHint: (codeLength) => `Geben Sie den ${codeLength}-stelligen Code ein.`,
  otpVerify: 'Bestätigen',
  otpVerifying: 'Wird geprüft…',
  otpExpiresIn: (seconds) => `Der Code läuft ${within(seconds)} ab.`,
  otpResend: 'Neuen Code senden',
  otpResendIn: (seconds) => `Sie können ${within(seconds)} einen neuen Code anfordern.`,
  resendsLeft: (count) => plural(count, { one: (n) => `Noch ${n} neuer Code.`, other: (n) => `Noch ${n} neue Codes.` }),
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Wir haben einen neuen ${codeLength}-stelligen Code per E-Mail an ${destination} gesendet.`
      : `Wir haben einen neuen ${codeLength}-stelligen Code an ${destination} gesendet.`,
  otpOnlyNewest: 'Nur der neueste Code funktioniert.',
  otpResendSending: 'Neuer Code wird gesendet…',
  otpNoResendsLeft: 'Sie können keine weiteren Codes anfordern. Verwenden Sie den zuletzt gesendeten Code.',
  otpLockedWait: (seconds) => `Sie können es ${within(seconds)} erneut versuchen.`,
  otpUnlocked: 'Sie können wieder einen Code eingeben.',
  otpOneMoreLocks: 'Ein weiterer falscher Code, und Sie müssen erneut warten.',
  otpResendReady: 'Sie können jetzt einen neuen Code anfordern.',
  otpValueMissing: (codeLength) => `Geben Sie den ${codeLength}-stelligen Code ein.`,
  otpTooShort: (codeLength) => `Geben Sie alle ${codeLength} Ziffern ein.`,
  otpPatternMismatch: 'Verwenden Sie nur Ziffern.',

  kbaQuestionOf: (index, total) => `Frage ${index} von ${total}`,
  kbaChooseAllThatApply: 'Wählen Sie alle zutreffenden Antworten.',
  kbaBack: 'Zurück',
  kbaNext: 'Weiter',
  kbaReviewAnswers: 'Antworten prüfen',
  kbaReviewTitle: 'Prüfen Sie Ihre Antworten',
  kbaReviewHint: 'Sie können jede Antwort vor dem Absenden ändern.',
  kbaChange: 'Ändern',
  kbaNotAnswered: 'Nicht beantwortet',
  kbaSubmit: 'Antworten senden',
  kbaSubmitting: 'Wird gesendet…',
  kbaChooseOne: 'Wählen Sie eine Antwort, um fortzufahren.',
  kbaChooseAtLeastOne: 'Wählen Sie mindestens eine Antwort, um fortzufahren.',
  kbaTimeLeft: (seconds) => `Verbleibende Zeit: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  kbaTimeLeftAnnouncement: (seconds) => `Noch ${duration(seconds)} zum Antworten.`,
  kbaTimeUp: 'Die Zeit für diese Fragen ist abgelaufen.',
  kbaNewQuestions: 'Hier sind neue Fragen.',
  kbaTooManyAttempts: 'Zu viele Versuche.',
  kbaLockedWait: (seconds) => `Zu viele Versuche. Sie können es ${within(seconds)} erneut versuchen.`,
  kbaUnlocked: 'Sie können Ihre Antworten wieder senden.',
  kbaAnswersKept: 'Ihre Antworten bleiben erhalten.',

  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `Wir haben einen Link per E-Mail an ${destination} gesendet.` : `Wir haben einen Link per SMS an ${destination} gesendet.`,
  othInstructions: 'Öffnen Sie den Link auf einem beliebigen Gerät, um fortzufahren.',
  othStatus: {
    MESSAGE_SENT: 'Wir warten, bis Sie den Link öffnen…',
    VERIFIED: 'Link bestätigt. Wird abgeschlossen…',
    TERMINATED: 'Dieser Link wurde storniert.',
    FAILED_AUTHORIZATION: 'Wir konnten mit diesem Link nicht bestätigen, dass Sie es sind.',
    VERIFICATION_ATTEMPT_FAILED: 'Dieser Link hat nicht funktioniert.',
    INVALID: 'Dieser Link ist nicht mehr gültig.',
    UNKNOWN: 'Der Link wird geprüft…',
  },
  othFailureHelp: (canResend) =>
    canResend ? 'Senden Sie einen neuen Link, um es erneut zu versuchen.' : 'Wir können keine weiteren Links senden. Bitte beginnen Sie von vorn.',
  othResend: 'Neuen Link senden',
  othResendSending: 'Neuer Link wird gesendet…',
  othResendIn: (seconds) => `Sie können ${within(seconds)} einen neuen Link anfordern.`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `Wir haben einen neuen Link per E-Mail an ${destination} gesendet. Nur der neueste Link funktioniert.`
      : `Wir haben einen neuen Link per SMS an ${destination} gesendet. Nur der neueste Link funktioniert.`,
  othResendReady: 'Sie können jetzt einen neuen Link anfordern.',
  othNoResendsLeft: 'Sie können keine weiteren Links anfordern.',
  othLinksLeft: (count) => plural(count, { one: (n) => `Noch ${n} neuer Link.`, other: (n) => `Noch ${n} neue Links.` }),
  othSendBy: (channel) => (channel === 'EMAIL' ? 'Stattdessen per E-Mail senden' : 'Stattdessen per SMS senden'),
  othExpiresIn: (seconds) => `Der Link läuft ${within(seconds)} ab.`,
  othExpired: 'Dieser Link ist abgelaufen.',
  othOffline: 'Sie sind offline. Wir prüfen erneut, sobald Sie wieder online sind.',
  othBackOnline: 'Sie sind wieder online.',

  docvSmsSent: (destination) =>
    destination
      ? `Wir haben einen Link per SMS an ${destination} gesendet. Öffnen Sie ihn auf Ihrem Smartphone, um Ihren Ausweis zu fotografieren.`
      : 'Wir haben einen Link per SMS an Ihr Smartphone gesendet. Öffnen Sie ihn, um Ihren Ausweis zu fotografieren.',
  docvScanQr: 'Scannen Sie diesen Code mit der Kamera Ihres Smartphones und folgen Sie dann den Schritten, um Ihren Ausweis zu fotografieren.',
  docvQrLabel: 'QR-Code, der die Ausweisprüfung auf Ihrem Smartphone öffnet',
  docvContinueHere: 'Auf diesem Gerät fortfahren',
  docvOpensInNewTab: '(öffnet sich in einem neuen Tab)',
  docvLinkUnavailable: 'Der Link ist nicht verfügbar. Bitte versuchen Sie es später erneut.',
  docvStepsLabel: 'Fortschritt',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'Link gesendet' : 'Link bereit'),
  docvStepBegun: 'Auf Ihrem Smartphone gestartet',
  docvStepCaptured: 'Ausweis fotografiert',
  docvStepProcessing: 'Ausweis wird geprüft',
  docvStepDone: 'erledigt',
  docvStatus: {
    SENT: 'Wir warten, bis Sie den Link auf Ihrem Smartphone öffnen.',
    BEGUN: 'Sie haben den Link geöffnet. Folgen Sie den Schritten auf Ihrem Smartphone.',
    CAPTURED: 'Wir haben die Fotos Ihres Ausweises.',
    PROCESSING: 'Wir prüfen Ihren Ausweis. Das kann eine Minute dauern.',
    VERIFIED: 'Wir haben Ihren Ausweis geprüft.',
    FAILED: 'Wir konnten Ihren Ausweis nicht verifizieren.',
    NEEDS_RETRY: 'Wir konnten Ihren Ausweis nicht lesen. Versuchen Sie es erneut mit einem scharfen, gut beleuchteten Foto.',
  },
  docvRetrying: 'Wird neu gestartet…',
  docvRetriesLeft: (count) => plural(count, { one: (n) => `Noch ${n} Versuch.`, other: (n) => `Noch ${n} Versuche.` }),
  docvOffline: 'Sie sind offline. Die Anzeige wird aktualisiert, sobald Sie wieder online sind.',
  docvRetryIn: (seconds) => `Sie können es ${within(seconds)} erneut versuchen.`,
  docvRetryReady: 'Sie können es jetzt erneut versuchen.',
  docvStepFailed: 'nicht bestanden',
  docvResend: 'Neuen Link per SMS senden',
  docvResending: 'Wird gesendet…',
  docvResendIn: (seconds) => `Sie können ${within(seconds)} einen neuen Link anfordern.`,
  docvResendReady: 'Sie können jetzt einen neuen Link anfordern.',
  docvResent: (destination) =>
    destination
      ? `Wir haben einen neuen Link per SMS an ${destination} gesendet. Nur der neueste Link funktioniert.`
      : 'Wir haben Ihnen einen neuen Link gesendet. Nur der neueste Link funktioniert.',
};

/** Dutch. A plain module that imports nothing at run time (the classic script loads it too). */
import type { KnownErrorCode, Messages } from './en.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, (count: number) => string>> & { other: (count: number) => string };
const rules = new Intl.PluralRules('nl');
const plural = (count: number, forms: Forms) => (forms[rules.select(count)] ?? forms.other)(count).replace(/(\d) /g, '$1\u00a0');

const errors = {
  bad_json: 'Er ging iets mis bij het versturen van je antwoord. Probeer het opnieuw.',
  invalid_body: 'We konden je antwoord niet lezen. Controleer het en probeer het opnieuw.',
  csrf_rejected: 'Deze pagina kon niet worden gecontroleerd. Laad de pagina opnieuw en probeer het nog eens.',
  origin_rejected: 'Deze pagina mag je niet verifiëren. Laad de pagina opnieuw en probeer het nog eens.',
  not_found: 'We kunnen de verificatiedienst niet bereiken. Probeer het later opnieuw.',
  method_not_allowed: 'We kunnen de verificatiedienst niet bereiken. Probeer het later opnieuw.',
  action_mismatch: 'Deze stap is gewijzigd. Laad de pagina opnieuw om verder te gaan.',
  session_finished: 'Deze verificatie is al afgerond.',
  payload_too_large: 'Je antwoord is te lang. Controleer het en probeer het opnieuw.',
  unsupported_media_type: 'Er ging iets mis bij het versturen van je antwoord. Probeer het opnieuw.',
  session_unknown: 'We kunnen je verificatie niet vinden. Begin opnieuw.',
  wrong_code: 'Die code klopt niet.',
  code_expired: 'Die code is verlopen. Vraag een nieuwe code aan.',
  session_missing: 'Je verificatiesessie is niet gevonden. Begin opnieuw.',
  session_invalid: 'Je verificatiesessie is ongeldig. Begin opnieuw.',
  session_expired: 'Je verificatiesessie is verlopen. Begin opnieuw.',
  too_many_attempts: 'Te veel verkeerde codes.',
  resend_too_soon: 'Wacht even voordat je een nieuwe code aanvraagt.',
  resend_limit_reached: 'Je kunt geen codes meer aanvragen.',
  send_limited: 'Er zijn te veel berichten naar deze gegevens gestuurd. Probeer het later opnieuw.',
  send_limited_network: 'Er zijn te veel verificaties gestart vanaf dit netwerk. Probeer het later opnieuw.',
  internal_error: 'Er ging bij ons iets mis. Probeer het opnieuw.',
  body_consumed: 'Er ging bij ons iets mis. Probeer het opnieuw.',
  upstream_auth_failed: 'De verificatiedienst is nu niet beschikbaar. Probeer het later opnieuw.',
  upstream_error: 'De verificatiedienst had een probleem. Probeer het opnieuw.',
  upstream_invalid_response: 'De verificatiedienst had een probleem. Probeer het opnieuw.',
  upstream_unavailable: 'De verificatiedienst is nu druk. Probeer het zo opnieuw.',
  store_unavailable: 'De verificatiedienst is nu druk. Probeer het zo opnieuw.',
  upstream_timeout: 'De verificatiedienst deed er te lang over. Probeer het opnieuw.',
  network_error: 'We kunnen de verificatiedienst niet bereiken. Probeer het zo opnieuw.',
  offline: 'Je bent offline. Controleer je internetverbinding en probeer het opnieuw.',
  timeout: 'Dit duurt te lang. Controleer je verbinding en probeer het opnieuw.',
  invalid_response: 'We kregen een onverwacht antwoord. Probeer het opnieuw.',
  aborted: 'Het verzoek is geannuleerd.',
  wrong_answers: 'Sommige van je antwoorden kloppen niet.',
  quiz_expired: 'De tijd voor deze vragen is om.',
  retry_not_allowed: 'Je kunt deze stap niet opnieuw doen.',
  channel_unavailable: 'Op die manier kunnen we het niet versturen. Kies een andere manier.',
} satisfies Record<KnownErrorCode, string>;

function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  const seconds = (count: number) => plural(count, { one: (n) => `${n} seconde`, other: (n) => `${n} seconden` });
  if (total < 60) return seconds(total);
  const minutes = plural(Math.floor(total / 60), { one: (n) => `${n} minuut`, other: (n) => `${n} minuten` });
  return total % 60 === 0 ? minutes : `${minutes} en ${seconds(total % 60)}`;
}

export const nl: Messages = {
  flowLoading: 'Je verificatie wordt geladen…',
  flowStartAgain: 'Opnieuw beginnen',
  flowStep: (index, total) => `Stap ${index} van ${total}`,
  flowDecisionTitle: {
    ALLOW: 'Je bent geverifieerd',
    BLOCK: 'We konden je niet verifiëren',
    REVIEW: 'Bedankt, we bekijken het',
  },
  flowDecisionBody: {
    ALLOW: 'Bedankt voor je bevestiging. Je kunt verder.',
    BLOCK: 'We konden je identiteit niet bevestigen, dus we kunnen deze keer niet verder.',
    REVIEW: 'We hebben wat meer tijd nodig om je gegevens te controleren. We nemen contact met je op.',
  },
  flowUnsupported: (name) => `Deze verificatiestap (${name}) is hier niet beschikbaar. Neem contact op met de klantenservice.`,
  flowUnavailable: 'We konden deze controle hier niet afronden. Probeer het over een paar minuten opnieuw.',
  retry: 'Opnieuw proberen',

  errorMessage: (code) => (Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : 'Er ging iets mis. Probeer het opnieuw.'),

  duration,

  attemptsLeft: (count) => plural(count, { one: (n) => `Nog ${n} poging.`, other: (n) => `Nog ${n} pogingen.` }),

  otpLabel: 'Verificatiecode',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `We hebben een code van ${codeLength} cijfers gemaild naar ${destination}.`
      : `We hebben een code van ${codeLength} cijfers gestuurd naar ${destination}.`,
  otpHint: (codeLength) => `Voer de code van ${codeLength} cijfers in.`,
  otpVerify: 'Bevestigen',
  otpVerifying: 'Bezig met controleren…',
  otpExpiresIn: (seconds) => `De code verloopt over ${duration(seconds)}.`,
  otpResend: 'Nieuwe code sturen',
  otpResendIn: (seconds) => `Je kunt over ${duration(seconds)} een nieuwe code aanvragen.`,
  resendsLeft: (count) => plural(count, { one: (n) => `Nog ${n} nieuwe code.`, other: (n) => `Nog ${n} nieuwe codes.` }),
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `We hebben een nieuwe code van ${codeLength} cijfers gemaild naar ${destination}.`
      : `We hebben een nieuwe code van ${codeLength} cijfers gestuurd naar ${destination}.`,
  otpOnlyNewest: 'Alleen de nieuwste code werkt.',
  otpResendSending: 'Nieuwe code wordt verstuurd…',
  otpNoResendsLeft: 'Je kunt geen codes meer aanvragen. Gebruik de laatste code die we stuurden.',
  otpLockedWait: (seconds) => `Je kunt het over ${duration(seconds)} opnieuw proberen.`,
  otpUnlocked: 'Je kunt weer een code invoeren.',
  otpOneMoreLocks: 'Nog één verkeerde code en je moet opnieuw wachten.',
  otpResendReady: 'Je kunt nu een nieuwe code aanvragen.',
  otpValueMissing: (codeLength) => `Voer de code van ${codeLength} cijfers in.`,
  otpTooShort: (codeLength) => `Voer alle ${codeLength} cijfers in.`,
  otpPatternMismatch: 'Gebruik alleen cijfers.',

  kbaQuestionOf: (index, total) => `Vraag ${index} van ${total}`,
  kbaChooseAllThatApply: 'Kies alles wat van toepassing is.',
  kbaBack: 'Terug',
  kbaNext: 'Volgende',
  kbaReviewAnswers: 'Antwoorden bekijken',
  kbaReviewTitle: 'Controleer je antwoorden',
  kbaReviewHint: 'Je kunt elk antwoord wijzigen voordat je ze verstuurt.',
  kbaChange: 'Wijzigen',
  kbaNotAnswered: 'Niet beantwoord',
  kbaSubmit: 'Antwoorden versturen',
  kbaSubmitting: 'Bezig met versturen…',
  kbaChooseOne: 'Kies een antwoord om verder te gaan.',
  kbaChooseAtLeastOne: 'Kies minstens één antwoord om verder te gaan.',
  kbaTimeLeft: (seconds) => `Resterende tijd: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  kbaTimeLeftAnnouncement: (seconds) => `Nog ${duration(seconds)} om te antwoorden.`,
  kbaTimeUp: 'De tijd voor deze vragen is om.',
  kbaNewQuestions: 'Hier zijn nieuwe vragen.',
  kbaTooManyAttempts: 'Te veel pogingen.',
  kbaLockedWait: (seconds) => `Te veel pogingen. Je kunt het over ${duration(seconds)} opnieuw proberen.`,
  kbaUnlocked: 'Je kunt je antwoorden weer versturen.',
  kbaAnswersKept: 'Je antwoorden zijn bewaard.',

  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `We hebben een link gemaild naar ${destination}.` : `We hebben een link ge-sms't naar ${destination}.`,
  othInstructions: 'Open de link op een willekeurig apparaat om verder te gaan.',
  othStatus: {
    MESSAGE_SENT: 'We wachten tot je de link opent…',
    VERIFIED: 'Link bevestigd. Bezig met afronden…',
    TERMINATED: 'Deze link is geannuleerd.',
    FAILED_AUTHORIZATION: 'We konden met deze link niet bevestigen dat jij het was.',
    VERIFICATION_ATTEMPT_FAILED: 'Die link werkte niet.',
    INVALID: 'Deze link is niet meer geldig.',
    UNKNOWN: 'De link wordt gecontroleerd…',
  },
  othFailureHelp: (canResend) =>
    canResend ? 'Stuur een nieuwe link om het opnieuw te proberen.' : 'We kunnen geen links meer sturen. Begin opnieuw.',
  othResend: 'Nieuwe link sturen',
  othResendSending: 'Nieuwe link wordt verstuurd…',
  othResendIn: (seconds) => `Je kunt over ${duration(seconds)} een nieuwe link aanvragen.`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `We hebben een nieuwe link gemaild naar ${destination}. Alleen de nieuwste link werkt.`
      : `We hebben een nieuwe link ge-sms't naar ${destination}. Alleen de nieuwste link werkt.`,
  othResendReady: 'Je kunt nu een nieuwe link aanvragen.',
  othNoResendsLeft: 'Je kunt geen links meer aanvragen.',
  othLinksLeft: (count) => plural(count, { one: (n) => `Nog ${n} nieuwe link.`, other: (n) => `Nog ${n} nieuwe links.` }),
  othSendBy: (channel) => (channel === 'EMAIL' ? 'Liever per e-mail sturen' : 'Liever per sms sturen'),
  othExpiresIn: (seconds) => `De link verloopt over ${duration(seconds)}.`,
  othExpired: 'Deze link is verlopen.',
  othOffline: 'Je bent offline. We kijken opnieuw zodra je weer online bent.',
  othBackOnline: 'Je bent weer online.',

  docvSmsSent: (destination) =>
    destination
      ? `We hebben een link ge-sms't naar ${destination}. Open hem op je telefoon om je identiteitsbewijs te fotograferen.`
      : "We hebben een link naar je telefoon ge-sms't. Open hem om je identiteitsbewijs te fotograferen.",
  docvScanQr: 'Scan deze code met de camera van je telefoon en volg de stappen om je identiteitsbewijs te fotograferen.',
  docvQrLabel: 'QR-code die de controle van je identiteitsbewijs op je telefoon opent',
  docvContinueHere: 'Verder op dit apparaat',
  docvOpensInNewTab: '(opent in een nieuw tabblad)',
  docvLinkUnavailable: 'De link is niet beschikbaar. Probeer het later opnieuw.',
  docvStepsLabel: 'Voortgang',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'Link verstuurd' : 'Link klaar'),
  docvStepBegun: 'Gestart op je telefoon',
  docvStepCaptured: 'Identiteitsbewijs gefotografeerd',
  docvStepProcessing: 'Identiteitsbewijs wordt gecontroleerd',
  docvStepDone: 'klaar',
  docvStatus: {
    SENT: 'We wachten tot je de link op je telefoon opent.',
    BEGUN: 'Je hebt de link geopend. Volg de stappen op je telefoon.',
    CAPTURED: "We hebben de foto's van je identiteitsbewijs.",
    PROCESSING: 'We controleren je identiteitsbewijs. Dit kan een minuut duren.',
    VERIFIED: 'We hebben je identiteitsbewijs gecontroleerd.',
    FAILED: 'We konden je identiteitsbewijs niet verifiëren.',
    NEEDS_RETRY: 'We konden je identiteitsbewijs niet lezen. Probeer het opnieuw met een scherpe, goed belichte foto.',
  },
  docvRetrying: 'Opnieuw beginnen…',
  docvRetriesLeft: (count) => plural(count, { one: (n) => `Nog ${n} poging.`, other: (n) => `Nog ${n} pogingen.` }),
  docvOffline: 'Je bent offline. Dit wordt bijgewerkt zodra je weer online bent.',
  docvRetryIn: (seconds) => `Je kunt het over ${duration(seconds)} opnieuw proberen.`,
  docvRetryReady: 'Je kunt het nu opnieuw proberen.',
  docvStepFailed: 'niet gelukt',
  docvResend: 'Stuur me een nieuwe link',
  docvResending: 'Bezig met versturen…',
  docvResendIn: (seconds) => `Je kunt over ${duration(seconds)} een nieuwe link aanvragen.`,
  docvResendReady: 'Je kunt nu een nieuwe link aanvragen.',
  docvResent: (destination) =>
    destination
      ? `We hebben een nieuwe link ge-sms't naar ${destination}. Alleen de nieuwste link werkt.`
      : 'We hebben je een nieuwe link gestuurd. Alleen de nieuwste link werkt.',
};

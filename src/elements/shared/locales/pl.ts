/**
 * Polish. Counts take one of three forms (one, few, many), which `Intl.PluralRules` picks: 1
 * sekunda, 2–4 sekundy, 5 sekund, 22 sekundy. A plain module that imports nothing at run time.
 */
import type { KnownErrorCode, Messages } from './en.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, (count: number) => string>> & { other: (count: number) => string };
const rules = new Intl.PluralRules('pl');
const plural = (count: number, forms: Forms) => (forms[rules.select(count)] ?? forms.other)(count).replace(/(\d) /g, '$1\u00a0');

const errors = {
  bad_json: 'Coś poszło nie tak podczas wysyłania odpowiedzi. Spróbuj ponownie.',
  invalid_body: 'Nie udało się odczytać odpowiedzi. Sprawdź ją i spróbuj ponownie.',
  csrf_rejected: 'Nie udało się zweryfikować tej strony. Odśwież stronę i spróbuj ponownie.',
  origin_rejected: 'Ta strona nie może Cię zweryfikować. Odśwież stronę i spróbuj ponownie.',
  not_found: 'Nie możemy połączyć się z usługą weryfikacji. Spróbuj ponownie później.',
  method_not_allowed: 'Nie możemy połączyć się z usługą weryfikacji. Spróbuj ponownie później.',
  action_mismatch: 'Ten krok się zmienił. Odśwież stronę, aby kontynuować.',
  session_finished: 'Ta weryfikacja została już zakończona.',
  payload_too_large: 'Odpowiedź jest za długa. Sprawdź ją i spróbuj ponownie.',
  unsupported_media_type: 'Coś poszło nie tak podczas wysyłania odpowiedzi. Spróbuj ponownie.',
  session_unknown: 'Nie możemy znaleźć Twojej weryfikacji. Zacznij od nowa.',
  wrong_code: 'Ten kod jest nieprawidłowy.',
  code_expired: 'Ten kod wygasł. Poproś o nowy kod.',
  session_missing: 'Nie znaleziono Twojej sesji weryfikacji. Zacznij od nowa.',
  session_invalid: 'Twoja sesja weryfikacji jest nieważna. Zacznij od nowa.',
  session_expired: 'Twoja sesja weryfikacji wygasła. Zacznij od nowa.',
  too_many_attempts: 'Zbyt wiele błędnych kodów.',
  resend_too_soon: 'Poczekaj chwilę, zanim poprosisz o kolejny kod.',
  resend_limit_reached: 'Nie możesz poprosić o więcej kodów.',
  send_limited: 'Wysłano zbyt wiele wiadomości na te dane kontaktowe. Spróbuj ponownie później.',
  send_limited_network: 'Z tej sieci rozpoczęto zbyt wiele weryfikacji. Spróbuj ponownie później.',
  internal_error: 'Coś poszło nie tak po naszej stronie. Spróbuj ponownie.',
  body_consumed: 'Coś poszło nie tak po naszej stronie. Spróbuj ponownie.',
  upstream_auth_failed: 'Usługa weryfikacji jest teraz niedostępna. Spróbuj ponownie później.',
  upstream_error: 'Usługa weryfikacji napotkała problem. Spróbuj ponownie.',
  upstream_invalid_response: 'Usługa weryfikacji napotkała problem. Spróbuj ponownie.',
  upstream_unavailable: 'Usługa weryfikacji jest teraz zajęta. Spróbuj ponownie za chwilę.',
  store_unavailable: 'Usługa weryfikacji jest teraz zajęta. Spróbuj ponownie za chwilę.',
  upstream_timeout: 'Usługa weryfikacji odpowiadała zbyt długo. Spróbuj ponownie.',
  network_error: 'Nie możemy połączyć się z usługą weryfikacji. Spróbuj ponownie za chwilę.',
  offline: 'Jesteś offline. Sprawdź połączenie z internetem i spróbuj ponownie.',
  timeout: 'To trwa zbyt długo. Sprawdź połączenie i spróbuj ponownie.',
  invalid_response: 'Otrzymaliśmy nieoczekiwaną odpowiedź. Spróbuj ponownie.',
  aborted: 'Żądanie zostało anulowane.',
  wrong_answers: 'Niektóre odpowiedzi są nieprawidłowe.',
  quiz_expired: 'Czas na te pytania minął.',
  retry_not_allowed: 'Nie możesz powtórzyć tego kroku.',
  channel_unavailable: 'Nie możemy wysłać tego w ten sposób. Wybierz inny.',
} satisfies Record<KnownErrorCode, string>;

/** "za 2 minuty", "za 5 sekund": the accusative after "za" has the same forms as the nominative. */
function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  const seconds = (count: number) =>
    plural(count, { one: (n) => `${n} sekundę`, few: (n) => `${n} sekundy`, many: (n) => `${n} sekund`, other: (n) => `${n} sekundy` });
  if (total < 60) return seconds(total);
  const minutes = plural(Math.floor(total / 60), {
    one: (n) => `${n} minutę`,
    few: (n) => `${n} minuty`,
    many: (n) => `${n} minut`,
    other: (n) => `${n} minuty`,
  });
  return total % 60 === 0 ? minutes : `${minutes} i ${seconds(total % 60)}`;
}

/** Attempts at a code and tries at the ID capture are the same word: "próba". */
const triesLeft = (count: number) =>
    plural(count, {
      one: (n) => `Została ${n} próba.`,
      few: (n) => `Zostały ${n} próby.`,
      many: (n) => `Zostało ${n} prób.`,
      other: (n) => `Zostało ${n} próby.`,
    });

export const pl: Messages = {
  flowLoading: 'Wczytujemy weryfikację…',
  flowStartAgain: 'Zacznij od nowa',
  flowStep: (index, total) => `Krok ${index} z ${total}`,
  flowDecisionTitle: {
    ALLOW: 'Weryfikacja zakończona',
    BLOCK: 'Nie udało się Cię zweryfikować',
    REVIEW: 'Dziękujemy, sprawdzamy to',
  },
  flowDecisionBody: {
    ALLOW: 'Dziękujemy za potwierdzenie tożsamości. Możesz kontynuować.',
    BLOCK: 'Nie udało się potwierdzić Twojej tożsamości, więc tym razem nie możemy kontynuować.',
    REVIEW: 'Potrzebujemy trochę więcej czasu, aby sprawdzić Twoje dane. Skontaktujemy się z Tobą.',
  },
  flowUnsupported: (name) => `Ten krok weryfikacji (${name}) nie jest tu dostępny. Skontaktuj się z pomocą techniczną.`,
  flowUnavailable: 'Nie udało się tu dokończyć tej weryfikacji. Spróbuj ponownie za kilka minut.',
  retry: 'Spróbuj ponownie',

  errorMessage: (code) => (Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : 'Coś poszło nie tak. Spróbuj ponownie.'),

  duration,

  attemptsLeft: (count) => triesLeft(count),

  otpLabel: 'Kod weryfikacyjny',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Wysłaliśmy ${codeLength}-cyfrowy kod e-mailem na adres ${destination}.`
      : `Wysłaliśmy ${codeLength}-cyfrowy kod na numer ${destination}.`,
  otpHint: (codeLength) => `Wpisz ${codeLength}-cyfrowy kod.`,
  otpVerify: 'Zweryfikuj',
  otpVerifying: 'Weryfikujemy…',
  otpExpiresIn: (seconds) => `Kod wygaśnie za ${duration(seconds)}.`,
  otpResend: 'Wyślij nowy kod',
  otpResendIn: (seconds) => `O nowy kod możesz poprosić za ${duration(seconds)}.`,
  resendsLeft: (count) =>
    plural(count, {
      one: (n) => `Został ${n} nowy kod.`,
      few: (n) => `Zostały ${n} nowe kody.`,
      many: (n) => `Zostało ${n} nowych kodów.`,
      other: (n) => `Zostało ${n} nowego kodu.`,
    }),
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Wysłaliśmy nowy ${codeLength}-cyfrowy kod e-mailem na adres ${destination}.`
      : `Wysłaliśmy nowy ${codeLength}-cyfrowy kod na numer ${destination}.`,
  otpOnlyNewest: 'Działa tylko najnowszy kod.',
  otpResendSending: 'Wysyłamy nowy kod…',
  otpNoResendsLeft: 'Nie możesz poprosić o więcej kodów. Użyj ostatniego kodu, który wysłaliśmy.',
  otpLockedWait: (seconds) => `Możesz spróbować ponownie za ${duration(seconds)}.`,
  otpUnlocked: 'Możesz znowu wpisać kod.',
  otpOneMoreLocks: 'Jeszcze jeden błędny kod oznacza kolejne oczekiwanie.',
  otpResendReady: 'Możesz teraz poprosić o nowy kod.',
  otpValueMissing: (codeLength) => `Wpisz ${codeLength}-cyfrowy kod.`,
  otpTooShort: (codeLength) => `Wpisz wszystkie cyfry (${codeLength}).`,
  otpPatternMismatch: 'Używaj tylko cyfr.',

  kbaQuestionOf: (index, total) => `Pytanie ${index} z ${total}`,
  kbaChooseAllThatApply: 'Wybierz wszystkie pasujące odpowiedzi.',
  kbaBack: 'Wstecz',
  kbaNext: 'Dalej',
  kbaReviewAnswers: 'Przejrzyj odpowiedzi',
  kbaReviewTitle: 'Sprawdź swoje odpowiedzi',
  kbaReviewHint: 'Przed wysłaniem możesz zmienić każdą odpowiedź.',
  kbaChange: 'Zmień',
  kbaNotAnswered: 'Bez odpowiedzi',
  kbaSubmit: 'Wyślij odpowiedzi',
  kbaSubmitting: 'Wysyłamy…',
  kbaChooseOne: 'Wybierz odpowiedź, aby kontynuować.',
  kbaChooseAtLeastOne: 'Wybierz co najmniej jedną odpowiedź, aby kontynuować.',
  kbaTimeLeft: (seconds) => `Pozostały czas: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  kbaTimeLeftAnnouncement: (seconds) => `Na odpowiedź masz jeszcze ${duration(seconds)}.`,
  kbaTimeUp: 'Czas na te pytania minął.',
  kbaNewQuestions: 'Oto nowe pytania.',
  kbaTooManyAttempts: 'Zbyt wiele prób.',
  kbaLockedWait: (seconds) => `Zbyt wiele prób. Możesz spróbować ponownie za ${duration(seconds)}.`,
  kbaUnlocked: 'Możesz znowu wysłać odpowiedzi.',
  kbaAnswersKept: 'Twoje odpowiedzi zostały zachowane.',

  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `Wysłaliśmy link e-mailem na adres ${destination}.` : `Wysłaliśmy link SMS-em na numer ${destination}.`,
  othInstructions: 'Otwórz link na dowolnym urządzeniu, aby kontynuować.',
  othStatus: {
    MESSAGE_SENT: 'Czekamy, aż otworzysz link…',
    VERIFIED: 'Link potwierdzony. Kończymy…',
    TERMINATED: 'Ten link został anulowany.',
    FAILED_AUTHORIZATION: 'Nie udało się potwierdzić tym linkiem, że to Ty.',
    VERIFICATION_ATTEMPT_FAILED: 'Ten link nie zadziałał.',
    INVALID: 'Ten link jest już nieważny.',
    UNKNOWN: 'Sprawdzamy link…',
  },
  othFailureHelp: (canResend) =>
    canResend ? 'Wyślij nowy link, aby spróbować ponownie.' : 'Nie możemy wysłać więcej linków. Zacznij od nowa.',
  othResend: 'Wyślij nowy link',
  othResendSending: 'Wysyłamy nowy link…',
  othResendIn: (seconds) => `O nowy link możesz poprosić za ${duration(seconds)}.`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `Wysłaliśmy nowy link e-mailem na adres ${destination}. Działa tylko najnowszy link.`
      : `Wysłaliśmy nowy link SMS-em na numer ${destination}. Działa tylko najnowszy link.`,
  othResendReady: 'Możesz teraz poprosić o nowy link.',
  othNoResendsLeft: 'Nie możesz poprosić o więcej linków.',
  othLinksLeft: (count) =>
    plural(count, {
      one: (n) => `Został ${n} nowy link.`,
      few: (n) => `Zostały ${n} nowe linki.`,
      many: (n) => `Zostało ${n} nowych linków.`,
      other: (n) => `Zostało ${n} nowego linku.`,
    }),
  othSendBy: (channel) => (channel === 'EMAIL' ? 'Wyślij e-mailem' : 'Wyślij SMS-em'),
  othExpiresIn: (seconds) => `Link wygaśnie za ${duration(seconds)}.`,
  othExpired: 'Ten link wygasł.',
  othOffline: 'Jesteś offline. Sprawdzimy ponownie, gdy wrócisz do sieci.',
  othBackOnline: 'Znowu jesteś online.',

  docvSmsSent: (destination) =>
    destination
      ? `Wysłaliśmy link SMS-em na numer ${destination}. Otwórz go na telefonie, aby sfotografować dokument tożsamości.`
      : 'Wysłaliśmy link SMS-em na Twój telefon. Otwórz go, aby sfotografować dokument tożsamości.',
  docvScanQr: 'Zeskanuj ten kod aparatem telefonu, a potem wykonaj kroki, aby sfotografować dokument tożsamości.',
  docvQrLabel: 'Kod QR, który otwiera weryfikację dokumentu na telefonie',
  docvContinueHere: 'Kontynuuj na tym urządzeniu',
  docvOpensInNewTab: '(otwiera się w nowej karcie)',
  docvLinkUnavailable: 'Link jest niedostępny. Spróbuj ponownie później.',
  docvStepsLabel: 'Postęp',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'Link wysłany' : 'Link gotowy'),
  docvStepBegun: 'Rozpoczęto na telefonie',
  docvStepCaptured: 'Dokument sfotografowany',
  docvStepProcessing: 'Sprawdzamy dokument',
  docvStepDone: 'gotowe',
  docvStatus: {
    SENT: 'Czekamy, aż otworzysz link na telefonie.',
    BEGUN: 'Link został otwarty. Wykonaj kroki na telefonie.',
    CAPTURED: 'Mamy zdjęcia Twojego dokumentu.',
    PROCESSING: 'Sprawdzamy Twój dokument. To może potrwać minutę.',
    VERIFIED: 'Sprawdziliśmy Twój dokument.',
    FAILED: 'Nie udało się zweryfikować Twojego dokumentu.',
    NEEDS_RETRY: 'Nie udało się odczytać Twojego dokumentu. Spróbuj ponownie z ostrym, dobrze oświetlonym zdjęciem.',
  },
  docvRetrying: 'Zaczynamy od nowa…',
  docvRetriesLeft: (count) => triesLeft(count),
  docvOffline: 'Jesteś offline. Ta strona odświeży się, gdy wrócisz do sieci.',
  docvRetryIn: (seconds) => `Możesz spróbować ponownie za ${duration(seconds)}.`,
  docvRetryReady: 'Możesz teraz spróbować ponownie.',
  docvStepFailed: 'niezaliczone',
  docvResend: 'Wyślij mi nowy link',
  docvResending: 'Wysyłamy…',
  docvResendIn: (seconds) => `O nowy link możesz poprosić za ${duration(seconds)}.`,
  docvResendReady: 'Możesz teraz poprosić o nowy link.',
  docvResent: (destination) =>
    destination
      ? `Wysłaliśmy nowy link SMS-em na numer ${destination}. Działa tylko najnowszy link.`
      : 'Wysłaliśmy Ci nowy link. Działa tylko najnowszy link.',
};
